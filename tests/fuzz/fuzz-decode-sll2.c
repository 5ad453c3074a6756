/* fuzz-decode-sll2.c - decode_sll2() over a Linux "cooked" capture v2 (SLL2,
 * 20-byte header) frame. A fresh decode context per input, so every crash
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
    fuzz_packet_init(&pkt, data, size, LINKTYPE_LINUX_SLL2);
    ctx.now_us = pkt.ts_us;

    int rc = decode_sll2(&ctx, &pkt, data, (uint32_t)size);
    fuzz_check_rc(rc, &pkt);
    fuzz_check_packet(&pkt);

    decode_ctx_release(&ctx);
    return 0;
}
