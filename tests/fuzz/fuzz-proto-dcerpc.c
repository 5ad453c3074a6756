/* fuzz-proto-dcerpc.c - app_parser_dcerpc over a two-sided stream. Input: a
 * big-endian u16 client length, the client bytes, then the server bytes.
 * Both sides are fed interleaved in pieces of 1-97 bytes (sizes from the
 * bytes themselves), then end() and release(); ASan checks every buffer and
 * LeakSanitizer that release() frees all. */
#include "fuzz-app.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_app_sides(&app_parser_dcerpc, "dcerpc", data, size);
}
