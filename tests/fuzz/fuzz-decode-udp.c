/* fuzz-decode-udp.c - decode_udp() over a UDP datagram (a VXLAN port hands on
 * to decode_vxlan), as the last layer of an IPv4 packet whose header said it
 * carries exactly the input. A fresh decode context per input. */
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
    struct ip_layer *l = fuzz_add_ip_layer(&pkt, 4, IPPROTO_NUM_UDP, (uint32_t)size);

    int rc = decode_udp(&ctx, &pkt, l, data, (uint32_t)size);
    fuzz_check_rc(rc, &pkt);
    fuzz_check_packet(&pkt);

    decode_ctx_release(&ctx);
    return 0;
}
