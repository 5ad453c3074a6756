/* fuzz-decode-gre.c - decode_gre() over a GRE packet (checksum, key and
 * sequence fields, then Ethernet/IPv4/IPv6 inside). The outer IPv4 layer is
 * already in pkt->layers, as when decode_ipv4() hands over, so the inner
 * packet becomes layer 2 and tunnel depth limits are reached by nesting inside
 * the input. A fresh decode context per input. */
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
    fuzz_add_ip_layer(&pkt, 4, IPPROTO_NUM_GRE, (uint32_t)size);

    int rc = decode_gre(&ctx, &pkt, data, (uint32_t)size);
    fuzz_check_rc(rc, &pkt);
    fuzz_check_packet(&pkt);

    decode_ctx_release(&ctx);
    return 0;
}
