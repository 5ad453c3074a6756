/* decode-events.h - every reason a packet can be malformed or odd.
 * Each is a named counter ("decode.ipv4.hlen_too_small"), stored per run and
 * printed by `mamori read -v`. Add a line here, then count it with
 * decode_event(ctx, DEV_...). */
#ifndef MAMORI_DECODE_EVENTS_H
#define MAMORI_DECODE_EVENTS_H

#define DECODE_EVENT_LIST(X)                                                                      \
    X(DEV_LINK_UNSUPPORTED, "decode.link.unsupported_linktype")                                   \
    X(DEV_ETH_TOO_SMALL, "decode.ethernet.too_small")                                             \
    X(DEV_ETH_UNKNOWN_TYPE, "decode.ethernet.unknown_ethertype")                                  \
    X(DEV_VLAN_TOO_SMALL, "decode.vlan.too_small")                                                \
    X(DEV_VLAN_TOO_MANY, "decode.vlan.too_many_layers")                                           \
    X(DEV_SLL_TOO_SMALL, "decode.sll.too_small")                                                  \
    X(DEV_SLL2_TOO_SMALL, "decode.sll2.too_small")                                                \
    X(DEV_NULL_TOO_SMALL, "decode.null.too_small")                                                \
    X(DEV_NULL_UNKNOWN_FAMILY, "decode.null.unknown_family")                                      \
    X(DEV_RAW_BAD_VERSION, "decode.raw.bad_ip_version")                                           \
    X(DEV_ARP_TOO_SMALL, "decode.arp.too_small")                                                  \
    X(DEV_ARP_UNSUPPORTED, "decode.arp.unsupported_hw_or_proto")                                  \
    X(DEV_IPV4_TOO_SMALL, "decode.ipv4.too_small")                                                \
    X(DEV_IPV4_BAD_VERSION, "decode.ipv4.bad_version")                                            \
    X(DEV_IPV4_HLEN_TOO_SMALL, "decode.ipv4.hlen_too_small")                                      \
    X(DEV_IPV4_IPLEN_SMALLER_THAN_HLEN, "decode.ipv4.iplen_smaller_than_hlen")                    \
    X(DEV_IPV4_TRUNCATED, "decode.ipv4.truncated")                                                \
    X(DEV_IPV4_OPT_INVALID, "decode.ipv4.opt_invalid")                                            \
    X(DEV_IPV4_OPT_MALFORMED, "decode.ipv4.opt_malformed")                                        \
    X(DEV_IPV4_FRAG_OVERLAP, "decode.ipv4.frag_overlap")                                          \
    X(DEV_IPV4_FRAG_TOO_LARGE, "decode.ipv4.frag_too_large")                                      \
    X(DEV_IPV4_UNKNOWN_PROTO, "decode.ipv4.unknown_proto")                                        \
    X(DEV_IPV6_TOO_SMALL, "decode.ipv6.too_small")                                                \
    X(DEV_IPV6_BAD_VERSION, "decode.ipv6.bad_version")                                            \
    X(DEV_IPV6_TRUNCATED, "decode.ipv6.truncated")                                                \
    X(DEV_IPV6_EXTHDR_TRUNCATED, "decode.ipv6.exthdr_truncated")                                  \
    X(DEV_IPV6_EXTHDR_TOO_MANY, "decode.ipv6.exthdr_too_many")                                    \
    X(DEV_IPV6_FRAG_OVERLAP, "decode.ipv6.frag_overlap")                                          \
    X(DEV_IPV6_FRAG_TOO_LARGE, "decode.ipv6.frag_too_large")                                      \
    X(DEV_IPV6_UNKNOWN_NEXT, "decode.ipv6.unknown_next_header")                                   \
    X(DEV_FRAG_TABLE_FULL, "decode.defrag.table_full")                                            \
    X(DEV_FRAG_MEMCAP, "decode.defrag.memcap_reached")                                            \
    X(DEV_FRAG_TIMEOUT, "decode.defrag.timeout")                                                  \
    X(DEV_FRAG_TOO_MANY, "decode.defrag.too_many_fragments")                                      \
    X(DEV_FRAG_REASSEMBLED, "decode.defrag.reassembled")                                          \
    X(DEV_TCP_TOO_SMALL, "decode.tcp.too_small")                                                  \
    X(DEV_TCP_HLEN_TOO_SMALL, "decode.tcp.hlen_too_small")                                        \
    X(DEV_TCP_HLEN_TRUNCATED, "decode.tcp.hlen_truncated")                                        \
    X(DEV_TCP_OPT_INVALID_LEN, "decode.tcp.opt_invalid_len")                                      \
    X(DEV_TCP_OPT_DUPLICATE, "decode.tcp.opt_duplicate")                                          \
    X(DEV_UDP_TOO_SMALL, "decode.udp.too_small")                                                  \
    X(DEV_UDP_LEN_INVALID, "decode.udp.len_invalid")                                              \
    X(DEV_ICMPV4_TOO_SMALL, "decode.icmpv4.too_small")                                            \
    X(DEV_ICMPV4_UNKNOWN_TYPE, "decode.icmpv4.unknown_type")                                      \
    X(DEV_ICMPV6_TOO_SMALL, "decode.icmpv6.too_small")                                            \
    X(DEV_ICMPV6_UNKNOWN_TYPE, "decode.icmpv6.unknown_type")                                      \
    X(DEV_GRE_TOO_SMALL, "decode.gre.too_small")                                                  \
    X(DEV_GRE_UNSUPPORTED, "decode.gre.unsupported_version_or_type")                              \
    X(DEV_VXLAN_TOO_SMALL, "decode.vxlan.too_small")                                              \
    X(DEV_VXLAN_BAD_FLAGS, "decode.vxlan.bad_flags")                                              \
    X(DEV_TUNNEL_TOO_DEEP, "decode.tunnel.too_deep")                                              \
    X(DEV_CAPLEN_TRUNCATED, "decode.packet.snaplen_truncated")                                    \
    X(DEV_NON_IP, "decode.packet.non_ip")                                                         \
    X(DEV_GRE_BAD_VERSION, "decode.gre.bad_version")

enum decode_event {
#define X(id, name) id,
    DECODE_EVENT_LIST(X)
#undef X
        DEV_MAX
};

/* Returns the dotted name of an event ("decode.ipv4.truncated"). */
const char *decode_event_name(enum decode_event ev);

#endif
