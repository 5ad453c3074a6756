/* decode-arp.c - ARP (RFC 826) for Ethernet and IPv4, the only pairing an
 * office LAN uses:
 *   hardware type(2) protocol type(2) hw addr len(1) proto addr len(1)
 *   opcode(2) sender hw(6) sender ip(4) target hw(6) target ip(4)
 * Other hardware/protocol pairs are legal (IEEE 802, FDDI, ...) but are only
 * counted; Ethernet/IPv4 with other address lengths contradicts itself and is
 * malformed. Any opcode is kept (1 request, 2 reply; RARP and InARP reuse the
 * format). Padding after the 28 bytes is ignored.
 */
#include "decode/decode.h"
#include "util/rd.h"
#include "util/util.h"

#define ARP_HTYPE_ETHERNET 1
#define ARP_HLEN_ETHERNET 6
#define ARP_PLEN_IPV4 4

int decode_arp(struct decode_ctx *ctx, struct packet *pkt, const uint8_t *p, uint32_t len)
{
    struct rd r;
    struct arp_info a;

    rd_init(&r, p, len);
    uint16_t htype = rd_be16(&r);
    uint16_t ptype = rd_be16(&r);
    uint8_t hlen = rd_u8(&r);
    uint8_t plen = rd_u8(&r);
    a.op = rd_be16(&r);
    if (!rd_ok(&r)) {
        decode_event_trunc(ctx, pkt, DEV_ARP_TOO_SMALL);
        return DECODE_ERR;
    }

    if (htype != ARP_HTYPE_ETHERNET || ptype != ETHERTYPE_IPV4) {
        decode_note(ctx, DEV_ARP_UNSUPPORTED);
        return DECODE_OK;
    }
    if (hlen != ARP_HLEN_ETHERNET || plen != ARP_PLEN_IPV4) {
        decode_event(ctx, pkt, DEV_ARP_UNSUPPORTED);
        return DECODE_ERR;
    }

    rd_bytes(&r, a.sha, sizeof(a.sha));
    rd_bytes(&r, a.spa, sizeof(a.spa));
    rd_bytes(&r, a.tha, sizeof(a.tha));
    rd_bytes(&r, a.tpa, sizeof(a.tpa));
    if (!rd_ok(&r)) {
        decode_event_trunc(ctx, pkt, DEV_ARP_TOO_SMALL);
        return DECODE_ERR;
    }

    pkt->arp = a;
    pkt->has_arp = true;
    return DECODE_OK;
}
