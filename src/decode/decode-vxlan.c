/* decode-vxlan.c - VXLAN (RFC 7348 section 5), on UDP port ctx->cfg.vxlan_port:
 *   flags(1: only I = 0x08 defined) reserved(3) VNI(3) reserved(1)
 * followed by a whole Ethernet frame. The I flag "MUST be set to 1 for a
 * valid VXLAN Network ID"; without it this is not VXLAN (or is broken), so it
 * is malformed. Reserved bits "MUST be ignored on receipt".
 */
#include "decode/decode.h"
#include "util/rd.h"
#include "util/util.h"

#define VXLAN_FLAG_I 0x08

int decode_vxlan(struct decode_ctx *ctx, struct packet *pkt, const uint8_t *p, uint32_t len)
{
    struct rd r;

    rd_init(&r, p, len);
    uint8_t flags = rd_u8(&r);
    rd_skip(&r, 3 + 3 + 1); /* reserved, VNI, reserved */
    if (!rd_ok(&r)) {
        decode_event_trunc(ctx, pkt, DEV_VXLAN_TOO_SMALL);
        return DECODE_ERR;
    }
    if (!(flags & VXLAN_FLAG_I)) {
        decode_event(ctx, pkt, DEV_VXLAN_BAD_FLAGS);
        return DECODE_ERR;
    }
    /* NEEDSWORK: the VNI separates tenants whose inner addresses may
     * overlap; flows do not key on it yet. */
    return decode_ethernet_inner(ctx, pkt, rd_ptr(&r), rd_left(&r), TUNNEL_VXLAN);
}
