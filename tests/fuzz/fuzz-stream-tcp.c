/* fuzz-stream-tcp.c - stream_tcp_segment() and stream_tcp_gap() over a
 * script of segments for one flow, with a fresh pool per input.
 *
 * Input: byte 0 picks the config (bits 0-1 depth, 2-3 out-of-order cap per
 * flow, 4-5 memcap, bit 6 starts both directions just below 2^32). Then
 * operations, each an op byte (bit 0 direction, bit 1 SYN, bit 2 FIN, bit 3
 * call stream_tcp_gap() instead, bit 4 payload taken from the input, bit 5
 * length in units of 16), 2 bytes big-endian sequence offset from the
 * direction's base, 1 byte length, then the payload when bit 4 is set.
 *
 * Without bit 4 the payload is a function of each byte's sequence number, so
 * overlaps always agree; then every delivered byte must be the one for its
 * sequence number (next_seq inside the callback) and no mismatch may be
 * counted. Always: memory within memcap and the per-flow cap, accounting
 * consistent, nothing past depth, and everything freed at the end.
 */
#include "fuzz.h"
#include "stream/stream-tcp.h"
#include "util/limits.h"
#include "util/rd.h"
#include "util/util.h"

/* Operations per input: a flow with more segments than this explores
 * nothing new, and it bounds the time per input. */
#define FUZZ_STREAM_MAX_OPS 4096

struct fuzz_stream {
    struct stream_pool pool;
    struct stream_tcp st;
    bool noisy[2]; /* some payload in this direction came from the input */
    uint64_t got[2];
};

static uint8_t fuzz_stream_byte(int dir, uint32_t seq)
{
    return (uint8_t)(((seq * 2654435761u) >> 24) ^ (uint32_t)dir);
}

static void fuzz_stream_cb(void *arg, int dir, const uint8_t *data, uint32_t len)
{
    struct fuzz_stream *fs = arg;

    if (dir != 0 && dir != 1)
        fuzz_fail("callback direction not 0/1");
    if (len == 0)
        fuzz_fail("callback with no data");
    if (!fs->noisy[dir]) {
        uint32_t seq = fs->st.dir[dir].next_seq;
        for (uint32_t i = 0; i < len; i++)
            if (data[i] != fuzz_stream_byte(dir, seq + i))
                fuzz_fail("delivered byte is not the one sent at its sequence number");
    }
    fs->got[dir] += len;
}

static void fuzz_stream_check(const struct fuzz_stream *fs)
{
    const struct stream_pool *pool = &fs->pool;
    const struct stream_config *cfg = &pool->cfg;
    uint32_t held = fs->st.dir[0].ooo_bytes + fs->st.dir[1].ooo_bytes;

    if (cfg->memcap && pool->mem_used > cfg->memcap)
        fuzz_fail("memory above memcap");
    if (held > cfg->max_ooo_bytes_per_flow)
        fuzz_fail("flow holds more than its cap");
    if (held != pool->stats.bytes_held)
        fuzz_fail("bytes_held disagrees with the flow");
    if (fs->st.dir[0].ooo_segs + fs->st.dir[1].ooo_segs != pool->stats.segs_held)
        fuzz_fail("segs_held disagrees with the flow");
    for (int d = 0; d < 2; d++) {
        const struct stream_dir *sd = &fs->st.dir[d];
        if (sd->ooo_segs > MAX_STREAM_OOO_SEGS)
            fuzz_fail("more segments held than MAX_STREAM_OOO_SEGS");
        if (sd->delivered != fs->got[d])
            fuzz_fail("delivered disagrees with the callback");
        if (sd->delivered > sd->consumed)
            fuzz_fail("delivered more than consumed");
        if (cfg->depth && sd->consumed > cfg->depth)
            fuzz_fail("stream offset past depth");
        if (sd->depth_reached && sd->ooo_segs)
            fuzz_fail("segments held after depth");
    }
    if (!fs->noisy[0] && !fs->noisy[1] && pool->stats.overlap_mismatch)
        fuzz_fail("mismatch counted for identical bytes");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint32_t depths[4] = {0, 16, 300, 4096};
    static const uint32_t caps[4] = {0, 40, 600, 65536};
    static const uint64_t memcaps[4] = {0, 200, 2000, 1u << 20};
    static uint8_t payload[255 * 16];
    struct fuzz_stream fs;
    struct stream_config cfg;
    struct rd r;

    if (size > FUZZ_MAX_INPUT)
        return 0;
    rd_init(&r, data, (uint32_t)size);
    uint8_t c = rd_u8(&r);
    if (!rd_ok(&r))
        return 0;
    cfg.depth = depths[c & 3];
    cfg.max_ooo_bytes_per_flow = caps[(c >> 2) & 3];
    cfg.memcap = memcaps[(c >> 4) & 3];
    uint32_t base = (c & 0x40) ? 0xffffff00u : 1000u;

    memset(&fs, 0, sizeof(fs));
    stream_pool_init(&fs.pool, &cfg);
    stream_tcp_init(&fs.st);

    for (unsigned n = 0; n < FUZZ_STREAM_MAX_OPS; n++) {
        uint8_t op = rd_u8(&r);
        uint32_t seq = base + rd_be16(&r);
        uint32_t len = rd_u8(&r);
        if (!rd_ok(&r))
            break;
        int dir = op & 1;
        if (op & 0x08) {
            stream_tcp_gap(&fs.pool, &fs.st, (op & 0x10) ? -1 : dir, fuzz_stream_cb, &fs);
            fuzz_stream_check(&fs);
            continue;
        }
        if (op & 0x20)
            len *= 16;
        uint8_t flags = (uint8_t)(TH_ACK | ((op & 2) ? TH_SYN : 0) | ((op & 4) ? TH_FIN : 0));
        const uint8_t *p = payload;
        if (op & 0x10) {
            len = MIN(len, rd_left(&r));
            p = rd_ptr(&r);
            rd_skip(&r, len);
            if (len)
                fs.noisy[dir] = true;
        } else {
            /* Data on a SYN starts one after it. */
            uint32_t first = (flags & TH_SYN) ? seq + 1 : seq;
            for (uint32_t i = 0; i < len; i++)
                payload[i] = fuzz_stream_byte(dir, first + i);
        }
        if (stream_tcp_segment(&fs.pool, &fs.st, dir, flags, seq, len ? p : NULL, len,
                               fuzz_stream_cb, &fs) != 0)
            fuzz_fail("stream_tcp_segment refused a valid segment");
        fuzz_stream_check(&fs);
    }

    stream_tcp_gap(&fs.pool, &fs.st, -1, fuzz_stream_cb, &fs);
    fuzz_stream_check(&fs);
    if (fs.st.dir[0].ooo_segs || fs.st.dir[1].ooo_segs)
        fuzz_fail("segments held after skipping every gap");
    stream_tcp_release(&fs.pool, &fs.st);
    if (fs.pool.mem_used || fs.pool.stats.bytes_held || fs.pool.stats.segs_held)
        fuzz_fail("memory still accounted after release");
    return 0;
}
