/* decode-vlan.c - IEEE 802.1Q and 802.1ad (QinQ) tags.
 *
 * A tag is a 2-byte TCI (PCP 3 bits, DEI 1 bit, VLAN id 12 bits) and the
 * next ethertype; the TPID before it was the ethertype that led here. Tags
 * are walked in a loop rather than by recursion so that MAX_VLAN_TAGS bounds
 * the work.
 *
 * VLAN id 0 is a priority tag (802.1Q clause 9.6: "the frame does not carry
 * a VLAN identifier"); such frames belong to the untagged LAN, so id 0 is not
 * stored and a priority-tagged flow is the same flow as an untagged one.
 */
#include "decode/decode.h"
#include "util/rd.h"
#include "util/util.h"

#define VLAN_ID_MASK 0x0fff

static bool vlan_is_tpid(uint16_t type)
{
    return type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ || type == ETHERTYPE_QINQ_OLD;
}

int decode_vlan_tags(struct decode_ctx *ctx, struct packet *pkt, const uint8_t *p, uint32_t len,
                     bool store, uint16_t *type, uint32_t *hdr_len)
{
    struct rd r;
    unsigned tags = 0;
    uint16_t next;

    rd_init(&r, p, len);
    do {
        if (tags == MAX_VLAN_TAGS) {
            decode_event(ctx, pkt, DEV_VLAN_TOO_MANY);
            return DECODE_ERR;
        }
        uint16_t tci = rd_be16(&r);
        next = rd_be16(&r);
        if (!rd_ok(&r)) {
            decode_event_trunc(ctx, pkt, DEV_VLAN_TOO_SMALL);
            return DECODE_ERR;
        }
        tags++;
        uint16_t id = tci & VLAN_ID_MASK;
        /* vlan_count <= tags <= MAX_VLAN_TAGS, so this never overflows. */
        if (store && id != 0 && pkt->vlan_count < MAX_VLAN_TAGS)
            pkt->vlan[pkt->vlan_count++] = id;
    } while (vlan_is_tpid(next));

    *type = next;
    *hdr_len = r.off;
    return DECODE_OK;
}

int decode_vlan(struct decode_ctx *ctx, struct packet *pkt, const uint8_t *p, uint32_t len)
{
    uint16_t type;
    uint32_t hdr_len;

    if (decode_vlan_tags(ctx, pkt, p, len, true, &type, &hdr_len) < 0)
        return DECODE_ERR;
    /* The tags parsed; a failure further in is counted by that layer. */
    decode_ethertype(ctx, pkt, type, p + hdr_len, len - hdr_len, TUNNEL_NONE);
    return DECODE_OK;
}
