/* decode-raw.c - raw IP link types (LINKTYPE_RAW, IPV4, IPV6, BSD 12/14):
 * the frame starts with the IP header and its version nibble says which. */
#include "decode/decode.h"
#include "util/rd.h"
#include "util/util.h"

int decode_raw(struct decode_ctx *ctx, struct packet *pkt, const uint8_t *p, uint32_t len,
               enum tunnel_type tunnel)
{
    struct rd r;

    rd_init(&r, p, len);
    uint8_t first = rd_u8(&r);
    /* An empty frame has no version either: same event. */
    unsigned version = rd_ok(&r) ? first >> 4 : 0;

    /* Here the IP header is the link layer, so its result is ours. */
    switch (version) {
    case 4:
        return decode_ipv4(ctx, pkt, p, len, tunnel);
    case 6:
        return decode_ipv6(ctx, pkt, p, len, tunnel);
    default:
        decode_event(ctx, pkt, DEV_RAW_BAD_VERSION);
        return DECODE_ERR;
    }
}
