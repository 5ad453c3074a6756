/* fuzz-decode-ipv4.c - decode_ipv4() over one IPv4 packet, with a decode
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
#include "decode/defrag.h"
#include "fuzz.h"
#include "util/util.h"

#define FUZZ_CTX_INPUTS 100000
/* How often (in inputs) expired trackers are dropped, as the pipeline would
 * when packet time moves on. */
#define FUZZ_EXPIRE_EVERY 64

static struct decode_ctx ctx;
static bool ctx_ready;
static uint64_t inputs;
static uint64_t now_us = FUZZ_T0_US;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct packet pkt;

    if (size > FUZZ_MAX_INPUT)
        return 0;
    if (ctx_ready && inputs % FUZZ_CTX_INPUTS == 0) {
        decode_ctx_release(&ctx);
        ctx_ready = false;
    }
    if (!ctx_ready) {
        struct decode_config cfg;
        decode_config_defaults(&cfg);
        decode_ctx_init(&ctx, &cfg);
        ctx_ready = true;
    }
    inputs++;
    now_us += 1000;

    fuzz_packet_init(&pkt, data, size, LINKTYPE_IPV4);
    pkt.ts_us = now_us;
    pkt.num = inputs;
    ctx.now_us = now_us;
    if (inputs % FUZZ_EXPIRE_EVERY == 0)
        defrag_expire(ctx.defrag, &ctx, now_us);

    int rc = decode_ipv4(&ctx, &pkt, data, (uint32_t)size, TUNNEL_NONE);
    fuzz_check_rc(rc, &pkt);
    fuzz_check_packet(&pkt);
    return 0;
}
