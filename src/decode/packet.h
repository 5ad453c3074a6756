/* packet.h - what the decoders learn from one captured frame.
 *
 * The capture layer fills the top part (timestamp, lengths, bytes, link
 * type); decode_packet() fills the rest. Packet bytes are borrowed for one
 * callback: nothing here may be kept after the pipeline returns.
 *
 * A frame can hold several IP layers (tunnels: GRE, VXLAN, IP-in-IP). Each
 * becomes one entry of layers[], outermost first; every layer that carries
 * transport ports (or is ICMP / another IP protocol) updates a flow, so a
 * VXLAN frame counts both for the outer UDP/4789 flow and the inner TCP flow,
 * as tshark's conversation tables and Suricata do.
 */
#ifndef MAMORI_PACKET_H
#define MAMORI_PACKET_H

#include <stdbool.h>
#include <stdint.h>

#include "util/limits.h"

/* An IP address, IPv4 stored as an IPv4-mapped IPv6 address (::ffff:a.b.c.d)
 * so one 16-byte compare serves both families. */
struct ip_addr {
    uint8_t b[16];
};

/* Tunnel that led to a layer (the encapsulation of the layer before it). */
enum tunnel_type {
    TUNNEL_NONE = 0,
    TUNNEL_GRE,
    TUNNEL_VXLAN,
    TUNNEL_IPIP, /* IPv4/IPv6 directly inside IPv4/IPv6 (6in4, 4in6, ...) */
    TUNNEL_TEREDO,
};

/* TCP flag bits as on the wire (low byte of the TCP flags field). */
#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PSH 0x08
#define TH_ACK 0x10
#define TH_URG 0x20
#define TH_ECE 0x40
#define TH_CWR 0x80

/* TCP options seen on the SYN matter for OS fingerprinting (later issue);
 * keep the few values p0f uses. */
struct tcp_opts {
    uint16_t mss;
    uint8_t wscale;
    bool has_mss, has_wscale, sack_ok, has_ts;
    uint32_t ts_val, ts_ecr;
    /* Option kinds in order (p0f's "olayout"), at most MAX_TCP_OPTIONS. */
    uint8_t layout[MAX_TCP_OPTIONS];
    uint8_t layout_len;
};

struct ip_layer {
    uint8_t ip_version;    /* 4 or 6 */
    uint8_t proto;         /* final transport protocol (after IPv6 ext headers) */
    uint8_t ttl;           /* IPv4 TTL or IPv6 hop limit */
    enum tunnel_type tunnel; /* how this layer was encapsulated in the previous one */
    struct ip_addr src, dst;
    uint16_t sport, dport; /* TCP/UDP ports; 0 for other protocols */
    uint32_t ip_len;       /* IP total length (header + payload) as declared */
    /* The IP header and what follows as captured (nDPI wants whole IP
     * packets); a reassembled datagram has l3 NULL. */
    const uint8_t *l3;
    uint32_t l3_len;

    /* Fragments: a layer that is a non-final fragment has is_fragment set and
     * no transport fields. When a datagram completes, the layer describes the
     * reassembled datagram and frag_frames/frag_wire_bytes say how many frames
     * (this one included) and how many wire bytes they carried. */
    bool is_fragment;
    bool reassembled;
    uint32_t frag_frames;
    uint64_t frag_wire_bytes;

    bool l4_ok;            /* transport header fully decoded */
    /* TCP */
    uint8_t tcp_flags;
    uint32_t tcp_seq, tcp_ack;
    uint16_t tcp_win;
    struct tcp_opts tcp_opts;
    /* ICMP / ICMPv6 */
    uint8_t icmp_type, icmp_code;
    uint16_t icmp_id, icmp_seq; /* echo request/reply only */

    /* Transport payload: points into the frame (or the defrag buffer), only
     * the captured part; payload_wire_len is what the headers declared. */
    const uint8_t *payload;
    uint32_t payload_len;
    uint32_t payload_wire_len;
};

struct arp_info {
    uint16_t op;           /* 1 request, 2 reply */
    uint8_t sha[6], tha[6];
    uint8_t spa[4], tpa[4];
};

struct packet {
    /* Filled by the capture layer. */
    uint64_t ts_us;        /* packet time, microseconds since the epoch */
    uint64_t num;          /* 1-based position in the capture (pcap_cnt) */
    uint32_t caplen;       /* bytes captured */
    uint32_t wirelen;      /* bytes on the wire (counted in flows) */
    int linktype;          /* DLT_* of the capture */
    const uint8_t *data;

    /* Filled by decode_packet(). */
    bool has_eth;
    uint8_t src_mac[6], dst_mac[6];
    uint16_t vlan[MAX_VLAN_TAGS];
    uint8_t vlan_count;
    uint16_t ethertype;    /* innermost ethertype of the outer frame */

    bool has_arp;
    struct arp_info arp;

    uint8_t layer_count;
    struct ip_layer layers[MAX_IP_LAYERS];

    bool malformed;        /* at least one decode event was raised */
};

#endif
