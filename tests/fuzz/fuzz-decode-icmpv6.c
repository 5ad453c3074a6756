/* fuzz-decode-icmpv6.c - decode_icmpv6() over an ICMPv6 message, as the last
 * layer of an IPv6 packet whose header said it carries exactly the input. A
 * fresh decode context per input. */
#include "fuzz.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_decode_l4(data, size, 6, IPPROTO_NUM_ICMPV6, decode_icmpv6);
}
