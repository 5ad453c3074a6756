/* fuzz-decode-raw.c - decode_raw() over a raw IP packet: the version nibble
 * picks IPv4 or IPv6. A fresh decode context per input, so every crash
 * reproduces from its one input file (fragment state is fuzzed by fuzz-decode-
 * ipv4/-ipv6). */
#include "fuzz.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct decode_ctx ctx;
    struct packet pkt;

    if (!fuzz_fresh_begin(&ctx, &pkt, data, size, LINKTYPE_RAW))
        return 0;
    fuzz_fresh_end(&ctx, &pkt, decode_raw(&ctx, &pkt, data, (uint32_t)size, TUNNEL_NONE));
    return 0;
}
