/* fuzz-decode-arp.c - decode_arp() over an ARP message (the bytes after the
 * Ethernet header). A fresh decode context per input, so every crash
 * reproduces from its one input file. */
#include "fuzz.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct decode_config cfg;
    struct decode_ctx ctx;
    struct packet pkt;

    if (size > FUZZ_MAX_INPUT)
        return 0;
    decode_config_defaults(&cfg);
    decode_ctx_init(&ctx, &cfg);
    fuzz_packet_init(&pkt, data, size, LINKTYPE_ETHERNET);
    ctx.now_us = pkt.ts_us;

    int rc = decode_arp(&ctx, &pkt, data, (uint32_t)size);
    fuzz_check_rc(rc, &pkt);
    fuzz_check_packet(&pkt);

    decode_ctx_release(&ctx);
    return 0;
}
