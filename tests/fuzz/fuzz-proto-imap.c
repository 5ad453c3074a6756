/* fuzz-proto-imap.c - the imap parser over the input as a session: byte 0 of
 * each piece picks the direction (bit 7) and the piece size (1-64), so both
 * directions interleave in pieces of any size; a gap now and then, then
 * end() and release() (ASan's leak check covers release). Checks that every
 * event is well-formed JSON with the documented type and that the upgrade
 * target, when set, is TLS. */
#include "fuzz-app.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_app_pieces(&app_parser_imap, "imap", data, size);
}
