/* fuzz-decode-null.c - decode_null() over a BSD loopback (DLT_NULL/LOOP)
 * frame: a 4-byte address family in either byte order, then IPv4/IPv6. A fresh
 * decode context per input, so every crash reproduces from its one input file. */
#include "fuzz.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_decode_frame(data, size, LINKTYPE_NULL, decode_null);
}
