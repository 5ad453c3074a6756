/* fuzz-decode-raw.c - decode_raw() over a raw IP packet: the version nibble
 * picks IPv4 or IPv6. A fresh decode context per input, so every crash
 * reproduces from its one input file (fragment state is fuzzed by fuzz-decode-
 * ipv4/-ipv6). */
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
    fuzz_packet_init(&pkt, data, size, LINKTYPE_RAW);
    ctx.now_us = pkt.ts_us;

    int rc = decode_raw(&ctx, &pkt, data, (uint32_t)size, TUNNEL_NONE);
    fuzz_check_rc(rc, &pkt);
    fuzz_check_packet(&pkt);

    decode_ctx_release(&ctx);
    return 0;
}
