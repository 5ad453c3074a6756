/* decode.h - turns one captured frame into a struct packet.
 *
 * decode_packet() is the only entry point the pipeline calls. The per-layer
 * functions below are exported so that layers can call each other (GRE and
 * VXLAN call back into Ethernet/IPv4/IPv6) and so that each one has its own
 * unit tests and fuzz target. All of them:
 *   - read only through util/rd.h;
 *   - count every malformed input with decode_event() and return a negative
 *     value (DECODE_ERR) instead of crashing; 0 on success;
 *   - never keep pointers into the frame after returning.
 */
#ifndef MAMORI_DECODE_H
#define MAMORI_DECODE_H

#include <stdint.h>
#include <string.h>

#include "decode/decode-events.h"
#include "decode/packet.h"

#define DECODE_OK 0
#define DECODE_ERR (-1)

/* Link types we decode (values are libpcap's LINKTYPE_ / DLT_ numbers). */
#define LINKTYPE_NULL 0
#define LINKTYPE_ETHERNET 1
#define LINKTYPE_RAW 101
#define LINKTYPE_LOOP 108
#define LINKTYPE_LINUX_SLL 113
#define LINKTYPE_IPV4 228
#define LINKTYPE_IPV6 229
#define LINKTYPE_LINUX_SLL2 276
#define DLT_RAW_BSD 12 /* some BSDs use 12 or 14 for raw IP */
#define DLT_RAW_BSD2 14

/* Ethertypes. */
#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_ARP 0x0806
#define ETHERTYPE_VLAN 0x8100
#define ETHERTYPE_QINQ 0x88a8
#define ETHERTYPE_QINQ_OLD 0x9100
#define ETHERTYPE_IPV6 0x86dd
#define ETHERTYPE_TEB 0x6558 /* transparent Ethernet bridging, in GRE */

#define IPPROTO_NUM_ICMP 1
#define IPPROTO_NUM_IPIP 4
#define IPPROTO_NUM_TCP 6
#define IPPROTO_NUM_UDP 17
#define IPPROTO_NUM_IPV6 41
#define IPPROTO_NUM_GRE 47
#define IPPROTO_NUM_ICMPV6 58

#define VXLAN_PORT 4789

struct defrag; /* decode/defrag.h */

struct decode_config {
    uint32_t defrag_max_trackers; /* datagrams being reassembled at once */
    uint32_t defrag_memcap;       /* bytes held by the fragment tracker */
    uint32_t defrag_timeout_s;    /* a datagram older than this is dropped */
    uint16_t vxlan_port;          /* UDP port decoded as VXLAN (0: off) */
};

void decode_config_defaults(struct decode_config *cfg);

struct decode_ctx {
    struct decode_config cfg;
    struct defrag *defrag;
    uint64_t events[DEV_MAX]; /* how often each decode event happened */
    uint64_t now_us;          /* time of the packet being decoded */
};

/* Sets up a context; release with decode_ctx_release(). */
void decode_ctx_init(struct decode_ctx *ctx, const struct decode_config *cfg);
void decode_ctx_release(struct decode_ctx *ctx);

/* Decodes pkt->data[0..caplen) according to pkt->linktype and fills the rest
 * of pkt. Returns DECODE_OK when at least the link layer parsed (the packet
 * may still be malformed further in: see pkt->malformed and ctx->events). */
int decode_packet(struct decode_ctx *ctx, struct packet *pkt);

static inline void decode_event(struct decode_ctx *ctx, struct packet *pkt, enum decode_event ev)
{
    ctx->events[ev]++;
    pkt->malformed = true;
}

/* Counts something legal that we do not decode (a non-IP frame such as STP,
 * CDP or LLDP; PPTP's enhanced GRE): unlike decode_event() the packet is not
 * marked malformed, which is kept for real decode errors. */
static inline void decode_note(struct decode_ctx *ctx, enum decode_event ev)
{
    ctx->events[ev]++;
}

/* Counts a header that declares more bytes than were captured. When the
 * capture itself was cut short (snaplen: caplen < wirelen) the bytes exist on
 * the wire, so this is counted but the packet is not marked malformed; a frame
 * captured whole but shorter than its headers say is a real error. */
static inline void decode_event_trunc(struct decode_ctx *ctx, struct packet *pkt,
                                      enum decode_event ev)
{
    ctx->events[ev]++;
    if (pkt->caplen >= pkt->wirelen)
        pkt->malformed = true;
}

/* Per-layer decoders: `p`/`len` are the bytes of this layer onward. */
int decode_ethernet(struct decode_ctx *ctx, struct packet *pkt, const uint8_t *p, uint32_t len);
int decode_vlan(struct decode_ctx *ctx, struct packet *pkt, const uint8_t *p, uint32_t len);
int decode_sll(struct decode_ctx *ctx, struct packet *pkt, const uint8_t *p, uint32_t len);
int decode_sll2(struct decode_ctx *ctx, struct packet *pkt, const uint8_t *p, uint32_t len);
int decode_null(struct decode_ctx *ctx, struct packet *pkt, const uint8_t *p, uint32_t len);
/* Raw IP: looks at the version nibble and calls decode_ipv4/decode_ipv6. */
int decode_raw(struct decode_ctx *ctx, struct packet *pkt, const uint8_t *p, uint32_t len,
               enum tunnel_type tunnel);
/* Dispatches on an ethertype (used by Ethernet, VLAN, SLL, GRE). */
int decode_ethertype(struct decode_ctx *ctx, struct packet *pkt, uint16_t type, const uint8_t *p,
                     uint32_t len, enum tunnel_type tunnel);
int decode_arp(struct decode_ctx *ctx, struct packet *pkt, const uint8_t *p, uint32_t len);

/* An Ethernet frame carried by a tunnel (VXLAN, GRE transparent Ethernet
 * bridging): like decode_ethernet() but the outer MACs, VLAN ids and
 * ethertype of pkt are left alone, and `tunnel` is passed to the next IP
 * layer. Returns DECODE_ERR only when the inner Ethernet header is short. */
int decode_ethernet_inner(struct decode_ctx *ctx, struct packet *pkt, const uint8_t *p,
                          uint32_t len, enum tunnel_type tunnel);
/* Walks stacked 802.1Q/802.1ad tags; `p` is the TCI of the first tag. On
 * success *type is the first non-VLAN ethertype and *hdr_len the bytes the
 * tags took. Non-zero ids go to pkt->vlan[] when `store` (outer frame only;
 * id 0 is a priority tag and is treated as untagged). At most MAX_VLAN_TAGS
 * tags (priority tags included) are accepted. */
int decode_vlan_tags(struct decode_ctx *ctx, struct packet *pkt, const uint8_t *p, uint32_t len,
                     bool store, uint16_t *type, uint32_t *hdr_len);

/* Appends a zeroed layer to pkt->layers, or counts DEV_TUNNEL_TOO_DEEP and
 * returns NULL when MAX_IP_LAYERS are already there. */
struct ip_layer *decode_push_layer(struct decode_ctx *ctx, struct packet *pkt);

/* IP layers append to pkt->layers (DEV_TUNNEL_TOO_DEEP when full); `tunnel`
 * says how this layer was encapsulated. */
int decode_ipv4(struct decode_ctx *ctx, struct packet *pkt, const uint8_t *p, uint32_t len,
                enum tunnel_type tunnel);
int decode_ipv6(struct decode_ctx *ctx, struct packet *pkt, const uint8_t *p, uint32_t len,
                enum tunnel_type tunnel);

/* Transport decoders fill the given layer (the last one of pkt->layers). */
int decode_tcp(struct decode_ctx *ctx, struct packet *pkt, struct ip_layer *l, const uint8_t *p,
               uint32_t len);
int decode_udp(struct decode_ctx *ctx, struct packet *pkt, struct ip_layer *l, const uint8_t *p,
               uint32_t len);
int decode_icmpv4(struct decode_ctx *ctx, struct packet *pkt, struct ip_layer *l,
                  const uint8_t *p, uint32_t len);
int decode_icmpv6(struct decode_ctx *ctx, struct packet *pkt, struct ip_layer *l,
                  const uint8_t *p, uint32_t len);
/* The 8-byte header ICMPv4 and ICMPv6 share (type, code, checksum, and the
 * echo id/sequence kept for the two echo types); decode-icmpv4.c. */
int decode_icmp_header(struct decode_ctx *ctx, struct packet *pkt, struct ip_layer *l,
                       const uint8_t *p, uint32_t len, enum decode_event too_small,
                       uint8_t echo_request, uint8_t echo_reply);
/* Called by IPv4/IPv6 once the transport protocol is known: switches to the
 * decoder above, or to GRE / IP-in-IP tunnels. */
int decode_l4(struct decode_ctx *ctx, struct packet *pkt, struct ip_layer *l, const uint8_t *p,
              uint32_t len);

/* Tunnels: decode the encapsulated traffic as a new layer. */
int decode_gre(struct decode_ctx *ctx, struct packet *pkt, const uint8_t *p, uint32_t len);
int decode_vxlan(struct decode_ctx *ctx, struct packet *pkt, const uint8_t *p, uint32_t len);

/* Formats an address for output: inet_ntop()'s text, IPv4-mapped shown as
 * IPv4. With len below IP_ADDR_TEXT_MAX, a text that does not fit gives an
 * empty string. */
#define IP_ADDR_TEXT_MAX 46 /* INET6_ADDRSTRLEN */
void ip_addr_fmt(const struct ip_addr *a, char *buf, unsigned len);
static inline bool ip_addr_is_v4(const struct ip_addr *a)
{
    /* ::ffff:0:0/96, compared as two words (it runs for every address the
     * flows, detectors and outputs look at). */
    static const uint8_t mapped[4] = {0, 0, 0xff, 0xff};
    uint64_t lo;
    uint32_t hi, want;
    memcpy(&lo, a->b, 8);
    memcpy(&hi, a->b + 8, 4);
    memcpy(&want, mapped, 4);
    return lo == 0 && hi == want;
}
void ip_addr_from_v4(struct ip_addr *a, const uint8_t v4[4]);

#endif
