/* decode-ipv6.c - IPv6 header (RFC 8200), extension headers and fragments.
 *
 * The extension header chain is walked until a header we do not know as an
 * extension: that is the layer's protocol. ESP (50) ends the walk too, since
 * what follows is encrypted. At most MAX_IPV6_EXT_HEADERS are walked.
 */
#include <string.h>

#include "decode/decode.h"
#include "decode/defrag.h"
#include "util/rd.h"
#include "util/util.h"

#define IPV6_HDR_LEN 40

#define NH_HOPOPTS 0
#define NH_ROUTING 43
#define NH_FRAGMENT 44
#define NH_AH 51
#define NH_NONE 59
#define NH_DSTOPTS 60

static bool nh_is_ext(uint8_t nh)
{
    return nh == NH_HOPOPTS || nh == NH_ROUTING || nh == NH_FRAGMENT || nh == NH_DSTOPTS ||
           nh == NH_AH;
}

/* Hands one fragment (the bytes after the Fragment header) to defrag.
 * Returns 1 with *body switched to the reassembled data, 0 when more
 * fragments are needed or the fragment was dropped. */
static int ipv6_fragment(struct decode_ctx *ctx, struct packet *pkt, struct ip_layer *l,
                         struct rd *body, bool captured_whole, uint8_t nh, uint16_t offlg,
                         uint32_t id)
{
    const uint8_t *out;
    uint32_t out_len, frames;
    uint64_t wire_bytes;
    int rc;

    l->is_fragment = true;
    if (!captured_whole)
        return 0; /* truncated fragment: cannot be reassembled right */
    rc = defrag_add(ctx->defrag, ctx, pkt, 6, &l->src, &l->dst, id, nh, offlg & 0xfff8u, offlg & 1u,
                    rd_ptr(body), rd_left(body), &out, &out_len, &frames, &wire_bytes);
    if (rc != 1)
        return 0;
    l->is_fragment = false;
    l->reassembled = true;
    l->l3 = NULL;
    l->l3_len = 0;
    l->frag_frames = frames;
    l->frag_wire_bytes = wire_bytes;
    /* The datagram as the sender built it: fixed header, the headers before
     * the Fragment header, then the reassembled part (RFC 8200 4.5). */
    l->ip_len = IPV6_HDR_LEN + (body->off - 8) + out_len;
    rd_init(body, out, out_len);
    return 1;
}

int decode_ipv6(struct decode_ctx *ctx, struct packet *pkt, const uint8_t *p, uint32_t len,
                enum tunnel_type tunnel)
{
    struct rd r, body;
    struct ip_layer *l;
    uint32_t vtcfl;
    uint16_t plen;
    uint8_t nh, hlim;
    bool whole, defragged = false;
    unsigned n;

    rd_init(&r, p, len);
    vtcfl = rd_be32(&r);
    plen = rd_be16(&r);
    nh = rd_u8(&r);
    hlim = rd_u8(&r);
    rd_skip(&r, 32); /* addresses, copied below once we know we keep the layer */
    if (!rd_ok(&r)) {
        if (len > 0 && (p[0] >> 4) != 6)
            decode_event(ctx, pkt, DEV_IPV6_BAD_VERSION);
        else
            decode_event_trunc(ctx, pkt, DEV_IPV6_TOO_SMALL);
        return DECODE_ERR;
    }
    if ((vtcfl >> 28) != 6) {
        decode_event(ctx, pkt, DEV_IPV6_BAD_VERSION);
        return DECODE_ERR;
    }

    l = decode_push_layer(ctx, pkt);
    if (!l)
        return DECODE_ERR;
    l->ip_version = 6;
    l->ttl = hlim;
    l->tunnel = tunnel;
    memcpy(l->src.b, p + 8, 16);
    memcpy(l->dst.b, p + 24, 16);
    l->ip_len = IPV6_HDR_LEN + (uint32_t)plen;
    l->proto = nh;
    l->l3 = p;
    l->l3_len = MIN(len, l->ip_len);

    if (plen == 0 && nh == NH_HOPOPTS) {
        /* A jumbogram (RFC 2675) declares its length in a hop-by-hop option;
         * nothing on a LAN sends one, and a capture of one is truncated. */
        decode_event_trunc(ctx, pkt, DEV_IPV6_TRUNCATED);
        return DECODE_ERR;
    }
    whole = rd_sub(&r, plen, &body);
    if (!whole)
        decode_event_trunc(ctx, pkt, DEV_IPV6_TRUNCATED);

    for (n = 0; n < MAX_IPV6_EXT_HEADERS && nh_is_ext(nh); n++) {
        struct rd ext;
        uint8_t next = rd_u8(&body);
        uint8_t hl = rd_u8(&body);
        uint32_t ext_len;

        if (!rd_ok(&body)) {
            decode_event_trunc(ctx, pkt, DEV_IPV6_EXTHDR_TRUNCATED);
            return DECODE_ERR;
        }
        if (nh == NH_FRAGMENT) {
            uint16_t offlg = rd_be16(&body);
            uint32_t id = rd_be32(&body);
            if (!rd_ok(&body)) {
                decode_event_trunc(ctx, pkt, DEV_IPV6_EXTHDR_TRUNCATED);
                return DECODE_ERR;
            }
            l->proto = next;
            nh = next;
            if ((offlg & 0xfff9u) == 0)
                continue; /* atomic fragment (RFC 6946): offset 0, no M flag */
            if (defragged) {
                /* A fragment header inside a reassembled datagram: nested
                 * fragmentation is never legitimate. */
                decode_event(ctx, pkt, DEV_IPV6_EXTHDR_TOO_MANY);
                return DECODE_ERR;
            }
            if (ipv6_fragment(ctx, pkt, l, &body, whole, next, offlg, id) != 1)
                return DECODE_OK;
            defragged = true;
            continue;
        }
        /* AH counts its length in 4-byte words minus 2 (RFC 4302); the
         * others in 8-byte words not counting the first (RFC 8200). */
        if (nh == NH_AH)
            ext_len = ((uint32_t)hl + 2) * 4;
        else
            ext_len = ((uint32_t)hl + 1) * 8;
        if (!rd_sub(&body, ext_len - 2, &ext)) {
            decode_event_trunc(ctx, pkt, DEV_IPV6_EXTHDR_TRUNCATED);
            return DECODE_ERR;
        }
        l->proto = next;
        nh = next;
    }
    if (nh_is_ext(nh)) {
        decode_event(ctx, pkt, DEV_IPV6_EXTHDR_TOO_MANY);
        return DECODE_ERR;
    }
    if (nh == NH_NONE)
        return DECODE_OK;

    l->payload_wire_len = defragged ? rd_left(&body) : plen - body.off;
    return decode_l4(ctx, pkt, l, rd_ptr(&body), rd_left(&body));
}
