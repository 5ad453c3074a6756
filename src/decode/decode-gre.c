/* decode-gre.c - Generic Routing Encapsulation.
 *
 * Version 0 (RFC 2784 with the key and sequence number of RFC 2890):
 *   C R K S s Recur(3) | flags(5) version(3) | protocol type(2)
 *   [checksum(2) reserved1(2)] if C (or R, RFC 1701)
 *   [key(4)] if K   [sequence number(4)] if S
 * followed by a payload whose protocol type is an ethertype; 0x6558 is a
 * whole Ethernet frame (transparent bridging, also NVGRE).
 *
 * Counted but not decoded (legal, so not malformed):
 *   - version 1, PPTP's enhanced GRE (RFC 2637): the PPP payload is nearly
 *     always MPPE-encrypted, so there is no IP to see;
 *   - the RFC 1701 routing field (R bit), deprecated by RFC 2784 and not
 *     sent by any current stack;
 *   - ERSPAN mirror sessions (types II/III): copies of other traffic whose
 *     flows would be counted twice.
 * Versions 2-7 do not exist and are malformed.
 *
 * The IP decoder has already made the layer for this GRE packet (proto 47);
 * the payload becomes the next layer with tunnel TUNNEL_GRE.
 */
#include "decode/decode.h"
#include "util/rd.h"
#include "util/util.h"

#define GRE_FLAG_C 0x80
#define GRE_FLAG_R 0x40
#define GRE_FLAG_K 0x20
#define GRE_FLAG_S 0x10
#define GRE_VERSION_MASK 0x07
#define GRE_VERSION_PPTP 1

#define ETHERTYPE_ERSPAN_II 0x88be
#define ETHERTYPE_ERSPAN_III 0x22eb

int decode_gre(struct decode_ctx *ctx, struct packet *pkt, const uint8_t *p, uint32_t len)
{
    struct rd r;

    rd_init(&r, p, len);
    uint8_t flags = rd_u8(&r);
    uint8_t ver = rd_u8(&r) & GRE_VERSION_MASK;
    uint16_t proto = rd_be16(&r);
    if (!rd_ok(&r)) {
        decode_event_trunc(ctx, pkt, DEV_GRE_TOO_SMALL);
        return DECODE_ERR;
    }

    if (ver == GRE_VERSION_PPTP) {
        decode_note(ctx, DEV_GRE_UNSUPPORTED);
        return DECODE_OK;
    }
    if (ver != 0) {
        decode_event(ctx, pkt, DEV_GRE_BAD_VERSION);
        return DECODE_ERR;
    }
    if (flags & GRE_FLAG_R) {
        decode_note(ctx, DEV_GRE_UNSUPPORTED);
        return DECODE_OK;
    }

    if (flags & GRE_FLAG_C)
        rd_skip(&r, 4); /* checksum, reserved1 */
    if (flags & GRE_FLAG_K)
        rd_skip(&r, 4); /* key (NVGRE: VSID and flow id) */
    if (flags & GRE_FLAG_S)
        rd_skip(&r, 4); /* sequence number */
    if (!rd_ok(&r)) {
        decode_event_trunc(ctx, pkt, DEV_GRE_TOO_SMALL);
        return DECODE_ERR;
    }

    if (proto == ETHERTYPE_ERSPAN_II || proto == ETHERTYPE_ERSPAN_III) {
        decode_note(ctx, DEV_GRE_UNSUPPORTED);
        return DECODE_OK;
    }
    /* The GRE header parsed; the payload's layer counts its own failures. */
    decode_ethertype(ctx, pkt, proto, rd_ptr(&r), rd_left(&r), TUNNEL_GRE);
    return DECODE_OK;
}
