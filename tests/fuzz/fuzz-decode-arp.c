/* fuzz-decode-arp.c - decode_arp() over an ARP message (the bytes after the
 * Ethernet header). A fresh decode context per input, so every crash
 * reproduces from its one input file. */
#include "fuzz.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_decode_frame(data, size, LINKTYPE_ETHERNET, decode_arp);
}
