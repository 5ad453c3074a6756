/* fuzz-decode-ethernet.c - decode_ethernet() over an Ethernet II frame: VLAN
 * and QinQ tags, ARP, IPv4/IPv6 and everything they carry. A fresh decode
 * context per input, so every crash reproduces from its one input file. */
#include "fuzz.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_decode_frame(data, size, LINKTYPE_ETHERNET, decode_ethernet);
}
