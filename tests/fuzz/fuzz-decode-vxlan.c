/* fuzz-decode-vxlan.c - decode_vxlan() over a VXLAN header and the Ethernet
 * frame inside it. The outer IPv4 layer is already in pkt->layers, as when
 * decode_ipv4() hands over, so the inner packet becomes layer 2 and tunnel
 * depth limits are reached by nesting inside the input. A fresh decode context
 * per input. */
#include "fuzz.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct decode_ctx ctx;
    struct packet pkt;

    if (!fuzz_fresh_begin(&ctx, &pkt, data, size, LINKTYPE_RAW))
        return 0;
    struct ip_layer *outer = fuzz_add_ip_layer(&pkt, 4, IPPROTO_NUM_UDP, (uint32_t)size + 8);
    /* Outer UDP 12345 -> 4789, as decode_udp() leaves it before the hand-off. */
    outer->sport = 12345;
    outer->dport = VXLAN_PORT;
    outer->l4_ok = true;
    outer->payload = data;
    outer->payload_len = (uint32_t)size;
    outer->payload_wire_len = (uint32_t)size;
    fuzz_fresh_end(&ctx, &pkt, decode_vxlan(&ctx, &pkt, data, (uint32_t)size));
    return 0;
}
