/* fuzz-decode-gre.c - decode_gre() over a GRE packet (checksum, key and
 * sequence fields, then Ethernet/IPv4/IPv6 inside). The outer IPv4 layer is
 * already in pkt->layers, as when decode_ipv4() hands over, so the inner
 * packet becomes layer 2 and tunnel depth limits are reached by nesting inside
 * the input. A fresh decode context per input. */
#include "fuzz.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct decode_ctx ctx;
    struct packet pkt;

    if (!fuzz_fresh_begin(&ctx, &pkt, data, size, LINKTYPE_RAW))
        return 0;
    fuzz_add_ip_layer(&pkt, 4, IPPROTO_NUM_GRE, (uint32_t)size);
    fuzz_fresh_end(&ctx, &pkt, decode_gre(&ctx, &pkt, data, (uint32_t)size));
    return 0;
}
