/* decode-icmpv4.c - ICMP (RFC 792): type, code and the echo identifiers.
 *
 * Error messages quote the offending IP header; that quote is left alone
 * here (it is not a packet of this flow), so nothing is decoded past the
 * 8-byte ICMP header. */
#include "decode/decode.h"
#include "util/rd.h"
#include "util/util.h"

#define ICMP_HDR_LEN 8
#define ICMP_ECHOREPLY 0
#define ICMP_ECHO 8

/* Types IANA lists as assigned, deprecated ones included (they still show up
 * from old stacks and scanners): 0, 3-6, 8-18, 19-29 reserved (robustness
 * experiments), 30-43, 253-254 (RFC 3692 experiments). */
static bool icmpv4_type_known(uint8_t type)
{
    return type == 0 || (type >= 3 && type <= 6) || (type >= 8 && type <= 43) || type == 253 ||
           type == 254;
}

int decode_icmp_header(struct decode_ctx *ctx, struct packet *pkt, struct ip_layer *l,
                       const uint8_t *p, uint32_t len, enum decode_event too_small,
                       uint8_t echo_request, uint8_t echo_reply)
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
        if (wire < ICMP_HDR_LEN)
            decode_event(ctx, pkt, too_small);
        else
            decode_event_trunc(ctx, pkt, too_small);
        l->payload_wire_len = 0;
        return DECODE_ERR;
    }
    if (l->icmp_type == echo_request || l->icmp_type == echo_reply) {
        l->icmp_id = id;
        l->icmp_seq = seq;
    }
    l->l4_ok = true;
    l->payload = p + ICMP_HDR_LEN;
    l->payload_len = len - ICMP_HDR_LEN;
    l->payload_wire_len = wire - ICMP_HDR_LEN;
    return DECODE_OK;
}

int decode_icmpv4(struct decode_ctx *ctx, struct packet *pkt, struct ip_layer *l, const uint8_t *p,
                  uint32_t len)
{
    int rc = decode_icmp_header(ctx, pkt, l, p, len, DEV_ICMPV4_TOO_SMALL, ICMP_ECHO,
                                ICMP_ECHOREPLY);
    if (rc == DECODE_OK && !icmpv4_type_known(l->icmp_type))
        decode_note(ctx, DEV_ICMPV4_UNKNOWN_TYPE);
    return rc;
}
