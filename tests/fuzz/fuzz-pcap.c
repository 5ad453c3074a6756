/* fuzz-pcap.c - a whole capture file (pcap or pcapng, maybe gzip'd) read
 * through cap_open_stream() and cap_loop() into a pipeline without sinks,
 * then finished and released. Everything is per input, so each crash
 * reproduces from its one file.
 *
 * libpcap itself is not instrumented for coverage, so the fuzzer steers by
 * what our code does with the records; its value is in odd headers, record
 * lengths and link types reaching cap-pcap.c and the decoders together. */
#include "capture/cap-pcap.h"
#include "engine/pipeline.h"
#include "fuzz.h"
#include "util/util.h"

static int fuzz_on_packet(void *arg, struct packet *pkt)
{
    uint8_t acc = 0;

    /* cap-pcap.h: data holds caplen readable bytes for this callback. */
    for (uint32_t i = 0; i < pkt->caplen; i++)
        acc ^= pkt->data[i];
    fuzz_use(acc);

    if (pipeline_packet(arg, pkt) != 0)
        fuzz_fail("pipeline_packet without sinks failed");
    fuzz_check_packet(pkt);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mamori_config cfg;
    struct pipeline pl;
    struct cap *c;
    char err[256];

    /* fmemopen() of zero bytes fails on older C libraries. */
    if (size == 0 || size > FUZZ_MAX_INPUT)
        return 0;
    /* fmemopen() wants a writable buffer; ours is const. */
    uint8_t *copy = xmalloc(size);
    memcpy(copy, data, size);
    FILE *fp = fmemopen(copy, size, "rb");
    if (!fp)
        goto out_free_copy;

    c = cap_open_stream(fp, err, sizeof(err));
    if (!c)
        goto out_free_copy;

    config_defaults(&cfg);
    /* nDPI setup costs more than a whole input here (it is fuzzed by its own
     * project); the parsers and reassembly still run on every flow. */
    cfg.app.ndpi = false;
    cfg.flow.max_flows = 1024;
    cfg.decode.defrag_max_trackers = 16;
    cfg.decode.defrag_memcap = 256u * 1024u;
    pipeline_init(&pl, &cfg);
    cap_loop(c, fuzz_on_packet, &pl, err, sizeof(err));
    if (pipeline_finish(&pl) != 0)
        fuzz_fail("pipeline_finish without sinks failed");
    pipeline_release(&pl);
    cap_close(c);

out_free_copy:
    free(copy);
    return 0;
}
