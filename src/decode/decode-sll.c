/* decode-sll.c - Linux "cooked" captures (tcpdump -i any), v1 and v2.
 *
 * Formats as documented by libpcap (linktype_linux_sll.html / _sll2.html):
 *   v1, 16 bytes: packet type(2) ARPHRD type(2) address length(2)
 *                 address(8) protocol(2)
 *   v2, 20 bytes: protocol(2) reserved(2) interface index(4)
 *                 ARPHRD type(2) packet type(1) address length(1) address(8)
 * The protocol is an ethertype for every ARPHRD type except netlink, where it
 * is a netlink family; values below 0x0600 are Linux ETH_P_802_3/802_2
 * pseudo-types (raw 802.3 / LLC frames) and end up as non-IP. Only the
 * sender's address is present, so pkt->has_eth stays false.
 */
#include "decode/decode.h"
#include "util/rd.h"
#include "util/util.h"

#define SLL_ADDR_LEN 8
#define ARPHRD_NETLINK 824

static int sll_payload(struct decode_ctx *ctx, struct packet *pkt, uint16_t hatype, uint16_t proto,
                       const struct rd *r)
{
    if (hatype == ARPHRD_NETLINK) {
        decode_note(ctx, DEV_NON_IP);
        return DECODE_OK;
    }
    /* The link header parsed; failures further in are counted there. */
    decode_ethertype(ctx, pkt, proto, rd_ptr(r), rd_left(r), TUNNEL_NONE);
    return DECODE_OK;
}

int decode_sll(struct decode_ctx *ctx, struct packet *pkt, const uint8_t *p, uint32_t len)
{
    struct rd r;

    rd_init(&r, p, len);
    rd_skip(&r, 2); /* packet type: to us, broadcast, outgoing, ... */
    uint16_t hatype = rd_be16(&r);
    rd_skip(&r, 2 + SLL_ADDR_LEN); /* address length and address */
    uint16_t proto = rd_be16(&r);
    if (!rd_ok(&r)) {
        decode_event_trunc(ctx, pkt, DEV_SLL_TOO_SMALL);
        return DECODE_ERR;
    }
    return sll_payload(ctx, pkt, hatype, proto, &r);
}

int decode_sll2(struct decode_ctx *ctx, struct packet *pkt, const uint8_t *p, uint32_t len)
{
    struct rd r;

    rd_init(&r, p, len);
    uint16_t proto = rd_be16(&r);
    rd_skip(&r, 2 + 4); /* reserved, interface index */
    uint16_t hatype = rd_be16(&r);
    rd_skip(&r, 1 + 1 + SLL_ADDR_LEN); /* packet type, address length, address */
    if (!rd_ok(&r)) {
        decode_event_trunc(ctx, pkt, DEV_SLL2_TOO_SMALL);
        return DECODE_ERR;
    }
    return sll_payload(ctx, pkt, hatype, proto, &r);
}
