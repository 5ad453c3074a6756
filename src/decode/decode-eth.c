/* decode-eth.c - Ethernet II / IEEE 802.3 frames and the ethertype dispatch.
 *
 * A type/length field >= 0x0600 is an ethertype (Ethernet II); <= 1500 is an
 * 802.3 length followed by an 802.2 LLC header, which carries IP only inside
 * SNAP with an ethertype OUI (RFC 1042). Everything else an office LAN sends
 * in 802.3 (STP, CDP, LLDP, NetBIOS over LLC) is legal non-IP traffic: it is
 * counted as DEV_NON_IP and never marks the packet malformed.
 */
#include <string.h>

#include "decode/decode.h"
#include "util/rd.h"
#include "util/util.h"

#define ETH_HDR_LEN 14
/* IEEE 802.3 clause 3.2.6: values up to 1500 are a length, from 0x0600 on an
 * ethertype; 1501..1535 are undefined. */
#define ETH_MAX_8023_LEN 1500
#define ETHERTYPE_MIN 0x0600

#define LLC_SAP_SNAP 0xaa
#define LLC_CTRL_UI 0x03
/* SNAP OUIs whose protocol id is an ethertype: RFC 1042 and 802.1H
 * bridge-tunnel. Others (Cisco 00000c: CDP, VTP, ...) are vendor ids. */
#define SNAP_OUI_RFC1042 0x000000
#define SNAP_OUI_8021H 0x0000f8

/* Dispatch shared by the public entry points. Transparent Ethernet bridging
 * is followed only when `allow_teb`: the inner frame of a GRE tunnel is
 * dispatched with it off, so a frame cannot nest Ethernet inside Ethernet
 * without going through another (capped) IP layer. VLAN tags are walked in
 * a loop by decode_vlan_tags(), which ends on a non-VLAN type, so this
 * recurses at most once more. */
static int eth_dispatch(struct decode_ctx *ctx, struct packet *pkt, uint16_t type, const uint8_t *p,
                        uint32_t len, enum tunnel_type tunnel, bool allow_teb)
{
    /* pkt->ethertype describes the outer frame (innermost tag of it). */
    if (tunnel == TUNNEL_NONE)
        pkt->ethertype = type;

    switch (type) {
    case ETHERTYPE_IPV4:
        return decode_ipv4(ctx, pkt, p, len, tunnel);
    case ETHERTYPE_IPV6:
        return decode_ipv6(ctx, pkt, p, len, tunnel);
    case ETHERTYPE_ARP:
        /* ARP inside a tunnel describes the overlay; filling pkt->arp with
         * it next to the outer MACs would make the underlay host look like
         * it claims overlay addresses, so it is only counted. */
        if (tunnel != TUNNEL_NONE) {
            decode_note(ctx, DEV_NON_IP);
            return DECODE_OK;
        }
        return decode_arp(ctx, pkt, p, len);
    case ETHERTYPE_VLAN:
    case ETHERTYPE_QINQ:
    case ETHERTYPE_QINQ_OLD: {
        uint16_t inner;
        uint32_t hdr_len;
        if (decode_vlan_tags(ctx, pkt, p, len, tunnel == TUNNEL_NONE, &inner, &hdr_len) < 0)
            return DECODE_ERR;
        return eth_dispatch(ctx, pkt, inner, p + hdr_len, len - hdr_len, tunnel, allow_teb);
    }
    case ETHERTYPE_TEB:
        if (allow_teb)
            return decode_ethernet_inner(ctx, pkt, p, len, tunnel);
        decode_note(ctx, DEV_NON_IP);
        return DECODE_OK;
    default:
        decode_note(ctx, DEV_NON_IP);
        return DECODE_OK;
    }
}

int decode_ethertype(struct decode_ctx *ctx, struct packet *pkt, uint16_t type, const uint8_t *p,
                     uint32_t len, enum tunnel_type tunnel)
{
    /* 0x6558 means "Ethernet follows" only as a GRE protocol type. */
    return eth_dispatch(ctx, pkt, type, p, len, tunnel, tunnel == TUNNEL_GRE);
}

/* 802.3 frame: `r` is positioned after the length field. IP travels only in
 * LLC/SNAP with an ethertype OUI; the rest is non-IP. */
static void eth_8023(struct decode_ctx *ctx, struct packet *pkt, struct rd *r, uint16_t length,
                     enum tunnel_type tunnel)
{
    /* The length field covers the LLC data; minimum-size padding follows it
     * and a declared length beyond the capture is simply truncated. */
    struct rd llc;
    rd_sub(r, length, &llc);

    uint8_t dsap = rd_u8(&llc);
    uint8_t ssap = rd_u8(&llc);
    uint8_t ctrl = rd_u8(&llc);
    if (!rd_ok(&llc) || dsap != LLC_SAP_SNAP || ssap != LLC_SAP_SNAP || ctrl != LLC_CTRL_UI) {
        /* STP (SAP 0x42), NetBIOS (0xf0), IPX (0xe0), ...: not IP. */
        decode_note(ctx, DEV_NON_IP);
        return;
    }
    uint32_t oui = rd_be24(&llc);
    uint16_t type = rd_be16(&llc);
    if (!rd_ok(&llc)) {
        /* AA-AA-03 announces a 5-byte SNAP header that is not there. */
        decode_event_trunc(ctx, pkt, DEV_ETH_TOO_SMALL);
        return;
    }
    if (oui != SNAP_OUI_RFC1042 && oui != SNAP_OUI_8021H) {
        /* Vendor protocol: CDP, VTP, DTP (Cisco), ... */
        decode_note(ctx, DEV_NON_IP);
        return;
    }
    eth_dispatch(ctx, pkt, type, rd_ptr(&llc), rd_left(&llc), tunnel, false);
}

/* Parses the 14-byte header; `outer` says whether it is the captured frame
 * (its MACs are kept) or one carried by a tunnel. */
static int eth_frame(struct decode_ctx *ctx, struct packet *pkt, const uint8_t *p, uint32_t len,
                     enum tunnel_type tunnel)
{
    struct rd r;
    uint8_t dst[6], src[6];

    rd_init(&r, p, len);
    rd_bytes(&r, dst, sizeof(dst));
    rd_bytes(&r, src, sizeof(src));
    uint16_t type = rd_be16(&r);
    if (!rd_ok(&r)) {
        decode_event_trunc(ctx, pkt, DEV_ETH_TOO_SMALL);
        return DECODE_ERR;
    }

    if (tunnel == TUNNEL_NONE) {
        pkt->has_eth = true;
        memcpy(pkt->dst_mac, dst, sizeof(dst));
        memcpy(pkt->src_mac, src, sizeof(src));
    }

    if (type >= ETHERTYPE_MIN) {
        /* A failure further in is already counted and in pkt->malformed;
         * the Ethernet layer itself parsed. */
        eth_dispatch(ctx, pkt, type, rd_ptr(&r), rd_left(&r), tunnel, false);
    } else if (type <= ETH_MAX_8023_LEN) {
        eth_8023(ctx, pkt, &r, type, tunnel);
    } else {
        /* 1501..1535 is neither a length nor an ethertype. */
        decode_note(ctx, DEV_NON_IP);
    }
    return DECODE_OK;
}

int decode_ethernet(struct decode_ctx *ctx, struct packet *pkt, const uint8_t *p, uint32_t len)
{
    return eth_frame(ctx, pkt, p, len, TUNNEL_NONE);
}

int decode_ethernet_inner(struct decode_ctx *ctx, struct packet *pkt, const uint8_t *p,
                          uint32_t len, enum tunnel_type tunnel)
{
    /* The tunnel type is what tells the inner frame from the outer one. */
    if (tunnel == TUNNEL_NONE)
        BUG("decode_ethernet_inner without a tunnel type");
    return eth_frame(ctx, pkt, p, len, tunnel);
}
