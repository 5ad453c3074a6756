/* fuzz-decode-ipv6.c - decode_ipv6() over one IPv6 packet, with a decode
 * context that lives across inputs.
 *
 * Keeping the context is the point: fragments from earlier inputs wait in the
 * defrag tracker, so overlaps, duplicates, timeouts and the memcap/tracker
 * limits get exercised by sequences of inputs, not just single ones. Packet
 * time moves on by one millisecond per input, so trackers also time out
 * (after defrag_timeout_s, 30000 inputs by default). The context is rebuilt
 * every FUZZ_CTX_INPUTS inputs so the run also covers defrag_free() of a
 * busy table.
 *
 * The flip side: a crash may need the inputs before it. libFuzzer then
 * reports it with the last input only; rerun with the corpus (replay mode
 * replays a directory in name order) or use fuzz-decode-raw to narrow it. */
#include "fuzz.h"
#include "util/util.h"

static struct fuzz_ip_state state = {.now_us = FUZZ_T0_US};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_decode_ip_persistent(&state, data, size, LINKTYPE_IPV6, decode_ipv6);
}
