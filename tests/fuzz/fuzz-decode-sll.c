/* fuzz-decode-sll.c - decode_sll() over a Linux "cooked" capture (SLL, 16-byte
 * header) frame. A fresh decode context per input, so every crash reproduces
 * from its one input file. */
#include "fuzz.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_decode_frame(data, size, LINKTYPE_LINUX_SLL, decode_sll);
}
