/* decode-udp.c - UDP header (RFC 768) and the tunnels that ride on UDP:
 * VXLAN (configured port) and Teredo (RFC 4380, port 3544). */
#include "decode/decode.h"
#include "util/rd.h"
#include "util/util.h"

#define UDP_HDR_LEN 8
#define TEREDO_PORT 3544
#define TEREDO_AUTH 0x0001   /* authentication indicator, RFC 4380 5.1.1 */
#define TEREDO_ORIGIN 0x0000 /* origin indication, RFC 4380 5.1.1 */

/* The next two bytes without consuming them; -1 when they are not there. */
static int32_t peek_be16(const struct rd *r)
{
    if (!rd_has(r, 2))
        return -1;
    return (int32_t)(rd_ptr(r)[0] << 8 | rd_ptr(r)[1]);
}

/* Teredo carries a bare IPv6 packet, optionally after an authentication and
 * then an origin indication. Returns true when an IPv6 layer was decoded:
 * the payload must start with version 6 and declare exactly the bytes that
 * are left, which keeps other traffic on port 3544 from being misread. */
static bool udp_try_teredo(struct decode_ctx *ctx, struct packet *pkt, const uint8_t *p,
                           uint32_t len, uint32_t wire)
{
    struct rd r;
    uint16_t plen;

    rd_init(&r, p, len);
    if (peek_be16(&r) == TEREDO_AUTH) {
        /* type(2) id-len(1) auth-len(1) id auth nonce(8) confirmation(1) */
        uint8_t id_len, au_len;
        rd_skip(&r, 2);
        id_len = rd_u8(&r);
        au_len = rd_u8(&r);
        rd_skip(&r, (uint32_t)id_len + au_len + 9);
    }
    if (peek_be16(&r) == TEREDO_ORIGIN)
        rd_skip(&r, 8); /* type(2) obfuscated port(2) obfuscated address(4) */
    if (!rd_has(&r, 40) || (rd_ptr(&r)[0] >> 4) != 6)
        return false;
    plen = (uint16_t)(rd_ptr(&r)[4] << 8 | rd_ptr(&r)[5]);
    if (40u + plen != wire - r.off)
        return false;
    decode_ipv6(ctx, pkt, rd_ptr(&r), rd_left(&r), TUNNEL_TEREDO);
    return true;
}

int decode_udp(struct decode_ctx *ctx, struct packet *pkt, struct ip_layer *l, const uint8_t *p,
               uint32_t len)
{
    struct rd r;
    uint32_t wire = MAX(l->payload_wire_len, len);
    uint16_t ulen;

    rd_init(&r, p, len);
    l->sport = rd_be16(&r);
    l->dport = rd_be16(&r);
    ulen = rd_be16(&r);
    rd_skip(&r, 2); /* checksum */
    if (!rd_ok(&r)) {
        if (len < 4)
            l->sport = l->dport = 0;
        if (wire < UDP_HDR_LEN)
            decode_event(ctx, pkt, DEV_UDP_TOO_SMALL);
        else
            decode_event_trunc(ctx, pkt, DEV_UDP_TOO_SMALL);
        l->payload_wire_len = 0;
        return DECODE_ERR;
    }
    l->l4_ok = true;
    /* The UDP length may be shorter than the IP payload (the surplus area of
     * RFC 9868 UDP options) but never longer, nor shorter than the header. */
    if (ulen < UDP_HDR_LEN || ulen > wire) {
        decode_event(ctx, pkt, DEV_UDP_LEN_INVALID);
        ulen = (uint16_t)MIN(wire, 65535u);
    }
    l->payload = p + UDP_HDR_LEN;
    l->payload_wire_len = ulen - UDP_HDR_LEN;
    l->payload_len = MIN(len, (uint32_t)ulen) - UDP_HDR_LEN;

    if (ctx->cfg.vxlan_port && (l->dport == ctx->cfg.vxlan_port || l->sport == ctx->cfg.vxlan_port))
        return decode_vxlan(ctx, pkt, l->payload, l->payload_len) < 0 ? DECODE_ERR : DECODE_OK;
    if (l->dport == TEREDO_PORT || l->sport == TEREDO_PORT)
        udp_try_teredo(ctx, pkt, l->payload, l->payload_len, l->payload_wire_len);
    return DECODE_OK;
}
