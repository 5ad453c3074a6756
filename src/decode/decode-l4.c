/* decode-l4.c - what follows an IP header: transport decoders and tunnels.
 *
 * On entry l->payload_wire_len holds the IP payload length as the IP header
 * declared it (the IP decoders set it); `len` is the captured part. The
 * transport decoders replace it with the length of their own payload.
 */
#include "decode/decode.h"
#include "util/util.h"

/* Protocol numbers IANA has never assigned (146-252) or reserved (255): seen
 * in protocol scans and crafted packets, not in normal traffic. 253/254 are
 * for experiments (RFC 3692) and stay quiet. */
static bool proto_unassigned(uint8_t proto)
{
    return (proto >= 146 && proto <= 252) || proto == 255;
}

int decode_l4(struct decode_ctx *ctx, struct packet *pkt, struct ip_layer *l, const uint8_t *p,
              uint32_t len)
{
    switch (l->proto) {
    case IPPROTO_NUM_TCP:
        return decode_tcp(ctx, pkt, l, p, len);
    case IPPROTO_NUM_UDP:
        return decode_udp(ctx, pkt, l, p, len);
    case IPPROTO_NUM_ICMP:
        return decode_icmpv4(ctx, pkt, l, p, len);
    case IPPROTO_NUM_ICMPV6:
        return decode_icmpv6(ctx, pkt, l, p, len);
    case IPPROTO_NUM_IPIP:
        return decode_ipv4(ctx, pkt, p, len, TUNNEL_IPIP);
    case IPPROTO_NUM_IPV6:
        return decode_ipv6(ctx, pkt, p, len, TUNNEL_IPIP);
    case IPPROTO_NUM_GRE:
        return decode_gre(ctx, pkt, p, len);
    default:
        /* ESP, AH, OSPF, IGMP, SCTP, PIM, VRRP...: a flow without ports. The
         * payload is kept so later stages can look at it if they want. */
        if (proto_unassigned(l->proto))
            decode_note(ctx, l->ip_version == 4 ? DEV_IPV4_UNKNOWN_PROTO : DEV_IPV6_UNKNOWN_NEXT);
        l->payload = p;
        l->payload_len = len;
        return DECODE_OK;
    }
}
