/* fuzz-packet.c - whole frames through the pipeline: decode, defrag, flow
 * table (no sinks), with one pipeline that lives across inputs.
 *
 * Input layout (3 header bytes, then the frame):
 *   byte 0     bits 0-3: index into fuzz_linktypes[] (mod its size)
 *              bit 6:    packet time goes back instead of forward
 *              bit 7:    the frame was cut by the snaplen (wirelen > caplen)
 *   bytes 1-2  big-endian milliseconds by which packet time moves
 *   bytes 3..  the frame, as the capture layer would hand it over
 *
 * The pipeline is kept so that flows, TCP state, evictions (the table is
 * made small), fragment trackers and timeouts build up over many inputs;
 * every FUZZ_PIPELINE_INPUTS inputs it is finished (all flows end) and
 * rebuilt. A crash may therefore depend on earlier inputs: replay the whole
 * corpus directory in name order to reproduce, as replay-main does. */
#include "engine/pipeline.h"
#include "fuzz.h"
#include "util/util.h"

#define FUZZ_PIPELINE_INPUTS 4096
#define FUZZ_HDR_LEN 3

/* Every link type decode_packet() knows, plus one it does not (DLT_PPP). */
static const int fuzz_linktypes[] = {
    LINKTYPE_ETHERNET,
    LINKTYPE_LINUX_SLL,
    LINKTYPE_LINUX_SLL2,
    LINKTYPE_NULL,
    LINKTYPE_LOOP,
    LINKTYPE_RAW,
    LINKTYPE_IPV4,
    LINKTYPE_IPV6,
    DLT_RAW_BSD,
    DLT_RAW_BSD2,
    9,
};

static struct pipeline pl;
static bool pl_ready;
static uint64_t inputs;
static uint64_t now_us = FUZZ_T0_US;

static void fuzz_pipeline_start(void)
{
    struct mamori_config cfg;
    const struct run_info ri = {
        .command = "read",
        .source = "fuzz",
        .bpf = NULL,
        .version = "fuzz",
    };

    config_defaults(&cfg);
    /* nDPI setup costs more than a whole input here (it is fuzzed by its own
     * project); the parsers and reassembly still run on every flow. */
    cfg.app.ndpi = false;
    /* Small tables so eviction and the defrag limits are reached quickly. */
    cfg.flow.max_flows = 1024;
    cfg.decode.defrag_max_trackers = 16;
    cfg.decode.defrag_memcap = 256u * 1024u;
    pipeline_init(&pl, &cfg);
    if (pipeline_run_start(&pl, &ri) != 0)
        fuzz_fail("pipeline_run_start without sinks failed");
    pl_ready = true;
}

static void fuzz_pipeline_stop(void)
{
    if (pipeline_finish(&pl) != 0)
        fuzz_fail("pipeline_finish without sinks failed");
    pipeline_release(&pl);
    pl_ready = false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct packet pkt;

    if (size < FUZZ_HDR_LEN || size > FUZZ_MAX_INPUT)
        return 0;
    if (pl_ready && inputs % FUZZ_PIPELINE_INPUTS == 0)
        fuzz_pipeline_stop();
    if (!pl_ready)
        fuzz_pipeline_start();
    inputs++;

    uint8_t flags = data[0];
    uint64_t step_us = (uint64_t)((data[1] << 8) | data[2]) * 1000;
    if ((flags & 0x40) && now_us - FUZZ_T0_US >= step_us)
        now_us -= step_us;
    else
        now_us += step_us;

    fuzz_packet_init(&pkt, data + FUZZ_HDR_LEN, size - FUZZ_HDR_LEN,
                     fuzz_linktypes[(flags & 0x0f) % ARRAY_SIZE(fuzz_linktypes)]);
    pkt.ts_us = now_us;
    pkt.num = inputs;
    if (flags & 0x80)
        pkt.wirelen += 64;

    if (pipeline_packet(&pl, &pkt) != 0)
        fuzz_fail("pipeline_packet without sinks failed");
    fuzz_check_packet(&pkt);
    return 0;
}
