/* fuzz-decode-icmpv4.c - decode_icmpv4() over an ICMP message (errors quote
 * the offending IPv4 header), as the last layer of an IPv4 packet whose header
 * said it carries exactly the input. A fresh decode context per input. */
#include "fuzz.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_decode_l4(data, size, 4, IPPROTO_NUM_ICMP, decode_icmpv4);
}
