/* decode-icmpv6.c - ICMPv6 (RFC 4443): type, code and the echo identifiers.
 *
 * Error messages (types 1-4) quote the offending packet; as for ICMPv4 the
 * quote is not decoded. Neighbour discovery options are left for later. */
#include "decode/decode.h"
#include "util/rd.h"
#include "util/util.h"

#define ICMP6_HDR_LEN 8
#define ICMP6_ECHO_REQUEST 128
#define ICMP6_ECHO_REPLY 129

/* Assigned in the IANA ICMPv6 registry: errors 1-4, private experiments
 * 100/101 and 200/201, informational 127-161, 255 reserved for expansion. */
static bool icmpv6_type_known(uint8_t type)
{
    return (type >= 1 && type <= 4) || type == 100 || type == 101 || (type >= 127 && type <= 161) ||
           type == 200 || type == 201 || type == 255;
}

int decode_icmpv6(struct decode_ctx *ctx, struct packet *pkt, struct ip_layer *l, const uint8_t *p,
                  uint32_t len)
{
    struct rd r;
    uint32_t wire = MAX(l->payload_wire_len, len);
    uint16_t id, seq;

    rd_init(&r, p, len);
    l->icmp_type = rd_u8(&r);
    l->icmp_code = rd_u8(&r);
    rd_skip(&r, 2); /* checksum */
    id = rd_be16(&r);
    seq = rd_be16(&r);
    if (!rd_ok(&r)) {
        if (wire < ICMP6_HDR_LEN)
            decode_event(ctx, pkt, DEV_ICMPV6_TOO_SMALL);
        else
            decode_event_trunc(ctx, pkt, DEV_ICMPV6_TOO_SMALL);
        l->payload_wire_len = 0;
        return DECODE_ERR;
    }
    if (l->icmp_type == ICMP6_ECHO_REQUEST || l->icmp_type == ICMP6_ECHO_REPLY) {
        l->icmp_id = id;
        l->icmp_seq = seq;
    }
    if (!icmpv6_type_known(l->icmp_type))
        decode_note(ctx, DEV_ICMPV6_UNKNOWN_TYPE);
    l->l4_ok = true;
    l->payload = p + ICMP6_HDR_LEN;
    l->payload_len = len - ICMP6_HDR_LEN;
    l->payload_wire_len = wire - ICMP6_HDR_LEN;
    return DECODE_OK;
}
