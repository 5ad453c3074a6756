/* decode-null.c - BSD loopback (DLT_NULL 0, DLT_LOOP 108).
 *
 * A 4-byte address family precedes the IP packet. DLT_NULL stores it in the
 * byte order of the machine that captured, DLT_LOOP in network order, and
 * files get moved between machines, so both orders are accepted: the values
 * we look for are small and cannot be mistaken for each other swapped.
 * AF_INET is 2 everywhere; AF_INET6 differs by OS: 24 (NetBSD, OpenBSD,
 * BSD/OS), 28 (FreeBSD, DragonFly), 30 (macOS); libpcap accepts the same.
 */
#include "decode/decode.h"
#include "util/rd.h"
#include "util/util.h"

#define BSD_AF_INET 2
#define BSD_AF_INET6_BSD 24
#define BSD_AF_INET6_FREEBSD 28
#define BSD_AF_INET6_DARWIN 30

/* Returns the IP version the family stands for, or 0. */
static int null_family_version(uint32_t af)
{
    switch (af) {
    case BSD_AF_INET:
        return 4;
    case BSD_AF_INET6_BSD:
    case BSD_AF_INET6_FREEBSD:
    case BSD_AF_INET6_DARWIN:
        return 6;
    default:
        return 0;
    }
}

int decode_null(struct decode_ctx *ctx, struct packet *pkt, const uint8_t *p, uint32_t len)
{
    struct rd r, r_le;

    /* Same 4 bytes read in both orders. */
    rd_init(&r_le, p, len);
    uint32_t af_le = rd_le32(&r_le);
    rd_init(&r, p, len);
    uint32_t af_be = rd_be32(&r);
    if (!rd_ok(&r)) {
        decode_event_trunc(ctx, pkt, DEV_NULL_TOO_SMALL);
        return DECODE_ERR;
    }

    int version = null_family_version(af_le);
    if (version == 0)
        version = null_family_version(af_be);

    /* The link header parsed; failures further in are counted there. */
    if (version == 4) {
        decode_ipv4(ctx, pkt, rd_ptr(&r), rd_left(&r), TUNNEL_NONE);
    } else if (version == 6) {
        decode_ipv6(ctx, pkt, rd_ptr(&r), rd_left(&r), TUNNEL_NONE);
    } else {
        /* AF_APPLETALK, AF_ISO, AF_IPX...: legal but not IP. */
        decode_note(ctx, DEV_NULL_UNKNOWN_FAMILY);
    }
    return DECODE_OK;
}
