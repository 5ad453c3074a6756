/* decode-ipv4.c - IPv4 header (RFC 791), options and fragments.
 *
 * The total length field opens the reader for the rest: shorter than what was
 * captured means the rest is link-layer padding; longer means the datagram
 * was truncated and only the captured part is decoded.
 */
#include <string.h>

#include "decode/decode.h"
#include "decode/defrag.h"
#include "util/rd.h"
#include "util/util.h"

#define IPV4_HDR_LEN 20
#define IPV4_MF 0x2000
#define IPV4_OFF_MASK 0x1fff

#define IPOPT_EOL 0
#define IPOPT_NOP 1

/* Walks the options area (RFC 791 section 3.1): EOL ends it, NOP is one
 * byte, everything else is type, length (>= 2, counting both), data. We only
 * validate; no option changes how we decode. */
static void ipv4_walk_options(struct decode_ctx *ctx, struct packet *pkt, const uint8_t *p,
                              uint32_t len)
{
    struct rd r;
    rd_init(&r, p, len);

    for (unsigned n = 0; n < MAX_IPV4_OPTIONS && rd_left(&r) > 0; n++) {
        uint8_t type = rd_u8(&r);
        uint8_t olen;
        if (type == IPOPT_EOL)
            return;
        if (type == IPOPT_NOP)
            continue;
        if (rd_left(&r) == 0) {
            /* A type byte with no room for its length. */
            decode_event(ctx, pkt, DEV_IPV4_OPT_MALFORMED);
            return;
        }
        olen = rd_u8(&r);
        if (olen < 2) {
            decode_event(ctx, pkt, DEV_IPV4_OPT_INVALID);
            return;
        }
        if (olen - 2u > rd_left(&r)) {
            decode_event(ctx, pkt, DEV_IPV4_OPT_MALFORMED);
            return;
        }
        rd_skip(&r, olen - 2u);
    }
}

int decode_ipv4(struct decode_ctx *ctx, struct packet *pkt, const uint8_t *p, uint32_t len,
                enum tunnel_type tunnel)
{
    struct rd r, body;
    struct ip_layer *l;
    uint8_t vihl, ttl, proto, src[4], dst[4];
    uint16_t total_len, id, frag;
    uint32_t hlen, offset;
    bool more;

    rd_init(&r, p, len);
    vihl = rd_u8(&r);
    rd_skip(&r, 1); /* DSCP/ECN */
    total_len = rd_be16(&r);
    id = rd_be16(&r);
    frag = rd_be16(&r);
    ttl = rd_u8(&r);
    proto = rd_u8(&r);
    rd_skip(&r, 2); /* checksum: NEEDSWORK offloaded checksums make it useless on captures */
    rd_bytes(&r, src, 4);
    rd_bytes(&r, dst, 4);
    if (!rd_ok(&r)) {
        if (len > 0 && (p[0] >> 4) != 4)
            decode_event(ctx, pkt, DEV_IPV4_BAD_VERSION);
        else
            decode_event_trunc(ctx, pkt, DEV_IPV4_TOO_SMALL);
        return DECODE_ERR;
    }
    if ((vihl >> 4) != 4) {
        decode_event(ctx, pkt, DEV_IPV4_BAD_VERSION);
        return DECODE_ERR;
    }
    hlen = (uint32_t)(vihl & 0x0f) * 4;
    if (hlen < IPV4_HDR_LEN) {
        decode_event(ctx, pkt, DEV_IPV4_HLEN_TOO_SMALL);
        return DECODE_ERR;
    }
    /* Total length 0 is what captures of TCP segmentation offload show for
     * outgoing super-packets: the NIC fills it in later. Take the captured
     * length instead of calling a real packet malformed. */
    if (total_len == 0)
        total_len = (uint16_t)MIN(len, 65535u);
    if (total_len < hlen) {
        decode_event(ctx, pkt, DEV_IPV4_IPLEN_SMALLER_THAN_HLEN);
        return DECODE_ERR;
    }

    l = decode_push_layer(ctx, pkt);
    if (!l)
        return DECODE_ERR;
    l->ip_version = 4;
    l->proto = proto;
    l->ttl = ttl;
    l->tunnel = tunnel;
    ip_addr_from_v4(&l->src, src);
    ip_addr_from_v4(&l->dst, dst);
    l->ip_len = total_len;
    l->l3 = p;
    l->l3_len = MIN(len, (uint32_t)total_len);

    /* Everything after the fixed header, up to the declared total length. */
    rd_init(&r, p, len);
    if (!rd_sub(&r, total_len, &body))
        decode_event_trunc(ctx, pkt, DEV_IPV4_TRUNCATED);
    if (hlen > body.len) {
        /* Options cut off: the addresses are known, nothing beyond them is.
         * (Truncation was counted just above.) */
        return DECODE_ERR;
    }
    ipv4_walk_options(ctx, pkt, p + IPV4_HDR_LEN, hlen - IPV4_HDR_LEN);
    rd_skip(&body, hlen);

    more = (frag & IPV4_MF) != 0;
    offset = (uint32_t)(frag & IPV4_OFF_MASK) * 8;
    if (more || offset != 0) {
        const uint8_t *out;
        uint32_t out_len, frames;
        uint64_t wire_bytes;
        int rc;

        l->is_fragment = true;
        /* A fragment missing captured bytes cannot be reassembled right. */
        if (body.len < total_len)
            return DECODE_OK;
        rc = defrag_add(ctx->defrag, ctx, pkt, 4, &l->src, &l->dst, id, proto, offset, more,
                        rd_ptr(&body), rd_left(&body), &out, &out_len, &frames, &wire_bytes);
        if (rc != 1)
            return rc < 0 ? DECODE_ERR : DECODE_OK;
        l->is_fragment = false;
        l->reassembled = true;
        l->l3 = NULL;
        l->l3_len = 0;
        l->frag_frames = frames;
        l->frag_wire_bytes = wire_bytes;
        l->ip_len = hlen + out_len;
        l->payload_wire_len = out_len;
        return decode_l4(ctx, pkt, l, out, out_len);
    }

    l->payload_wire_len = total_len - hlen;
    return decode_l4(ctx, pkt, l, rd_ptr(&body), rd_left(&body));
}
