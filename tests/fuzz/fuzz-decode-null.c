/* fuzz-decode-null.c - decode_null() over a BSD loopback (DLT_NULL/LOOP)
 * frame: a 4-byte address family in either byte order, then IPv4/IPv6. A fresh
 * decode context per input, so every crash reproduces from its one input file. */
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
    fuzz_packet_init(&pkt, data, size, LINKTYPE_NULL);
    ctx.now_us = pkt.ts_us;

    int rc = decode_null(&ctx, &pkt, data, (uint32_t)size);
    fuzz_check_rc(rc, &pkt);
    fuzz_check_packet(&pkt);

    decode_ctx_release(&ctx);
    return 0;
}
