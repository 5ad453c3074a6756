/* decode-tcp.c - TCP header (RFC 9293) and the options p0f cares about. */
#include <string.h>

#include "decode/decode.h"
#include "util/rd.h"
#include "util/util.h"

#define TCP_HDR_LEN 20

#define TCPOPT_EOL 0
#define TCPOPT_NOP 1
#define TCPOPT_MSS 2
#define TCPOPT_WS 3
#define TCPOPT_SACK_PERM 4
#define TCPOPT_SACK 5
#define TCPOPT_TS 8

/* Walks the options. A bad length stops the walk (nothing after it can be
 * trusted to be aligned); options already read are kept. */
static void tcp_walk_options(struct decode_ctx *ctx, struct packet *pkt, struct tcp_opts *o,
                             const uint8_t *p, uint32_t len)
{
    struct rd r;
    rd_init(&r, p, len);

    for (unsigned n = 0; n < MAX_TCP_OPTIONS && rd_left(&r) > 0; n++) {
        uint8_t kind = rd_u8(&r);
        uint8_t olen;
        bool bad_len, dup = false;

        if (o->layout_len < MAX_TCP_OPTIONS)
            o->layout[o->layout_len++] = kind;
        if (kind == TCPOPT_EOL)
            return;
        if (kind == TCPOPT_NOP)
            continue;
        olen = rd_u8(&r);
        if (!rd_ok(&r) || olen < 2 || olen - 2u > rd_left(&r)) {
            decode_event(ctx, pkt, DEV_TCP_OPT_INVALID_LEN);
            return;
        }
        switch (kind) {
        case TCPOPT_MSS:
            bad_len = olen != 4;
            break;
        case TCPOPT_WS:
            bad_len = olen != 3;
            break;
        case TCPOPT_SACK_PERM:
            bad_len = olen != 2;
            break;
        case TCPOPT_SACK:
            /* 1 to 4 blocks of two sequence numbers (RFC 2018). */
            bad_len = olen < 10 || olen > 34 || (olen - 2) % 8 != 0;
            break;
        case TCPOPT_TS:
            bad_len = olen != 10;
            break;
        default:
            bad_len = false;
            break;
        }
        if (bad_len) {
            decode_event(ctx, pkt, DEV_TCP_OPT_INVALID_LEN);
            return;
        }
        switch (kind) {
        case TCPOPT_MSS:
            dup = o->has_mss;
            o->has_mss = true;
            o->mss = rd_be16(&r);
            break;
        case TCPOPT_WS:
            dup = o->has_wscale;
            o->has_wscale = true;
            o->wscale = rd_u8(&r);
            break;
        case TCPOPT_SACK_PERM:
            dup = o->sack_ok;
            o->sack_ok = true;
            break;
        case TCPOPT_TS:
            dup = o->has_ts;
            o->has_ts = true;
            o->ts_val = rd_be32(&r);
            o->ts_ecr = rd_be32(&r);
            break;
        default:
            rd_skip(&r, olen - 2u);
            break;
        }
        if (dup)
            decode_event(ctx, pkt, DEV_TCP_OPT_DUPLICATE);
    }
}

int decode_tcp(struct decode_ctx *ctx, struct packet *pkt, struct ip_layer *l, const uint8_t *p,
               uint32_t len)
{
    struct rd r;
    uint32_t wire = MAX(l->payload_wire_len, len);
    uint32_t hlen;
    uint8_t off;

    rd_init(&r, p, len);
    l->sport = rd_be16(&r);
    l->dport = rd_be16(&r);
    l->tcp_seq = rd_be32(&r);
    l->tcp_ack = rd_be32(&r);
    off = rd_u8(&r);
    l->tcp_flags = rd_u8(&r);
    l->tcp_win = rd_be16(&r);
    rd_skip(&r, 4); /* checksum, urgent pointer */
    if (!rd_ok(&r)) {
        /* Ports are kept when they were there: a snaplen-cut segment still
         * belongs to its connection. */
        if (len < 4)
            l->sport = l->dport = 0;
        if (wire < TCP_HDR_LEN)
            decode_event(ctx, pkt, DEV_TCP_TOO_SMALL);
        else
            decode_event_trunc(ctx, pkt, DEV_TCP_TOO_SMALL);
        l->payload_wire_len = 0;
        return DECODE_ERR;
    }
    hlen = (uint32_t)(off >> 4) * 4;
    if (hlen < TCP_HDR_LEN) {
        decode_event(ctx, pkt, DEV_TCP_HLEN_TOO_SMALL);
        l->payload_wire_len = 0;
        return DECODE_ERR;
    }
    if (hlen > len) {
        /* Options cut off. Past the end of the segment itself is an error;
         * past the captured part only means a small snaplen. */
        if (hlen > wire)
            decode_event(ctx, pkt, DEV_TCP_HLEN_TRUNCATED);
        else
            decode_event_trunc(ctx, pkt, DEV_TCP_HLEN_TRUNCATED);
        l->payload_wire_len = wire > hlen ? wire - hlen : 0;
        return DECODE_ERR;
    }
    memset(&l->tcp_opts, 0, sizeof(l->tcp_opts));
    tcp_walk_options(ctx, pkt, &l->tcp_opts, p + TCP_HDR_LEN, hlen - TCP_HDR_LEN);

    l->l4_ok = true;
    l->payload = p + hlen;
    l->payload_len = len - hlen;
    l->payload_wire_len = wire - hlen;
    return DECODE_OK;
}
