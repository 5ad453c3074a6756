/* cmd-read.c - `mamori read`: analyse capture files into the store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/cap-pcap.h"
#include "cli/commands.h"
#include "cli/sensor.h"
#include "util/i18n.h"
#include "util/util.h"
#include "version.h"

struct read_state {
    struct pipeline *p;
    int failed; /* a sink failed: stop */
};

static int read_one_packet(void *arg, struct packet *pkt)
{
    struct read_state *st = arg;
    if (!pkt)
        return sensor_stop;
    if (pipeline_packet(st->p, pkt) < 0) {
        st->failed = 1;
        return 1;
    }
    return sensor_stop;
}

/* Opens one capture with its filter. Returns NULL after printing a line. */
static struct cap *open_capture(const char *path, const char *bpf)
{
    char err[512];
    struct cap *c = cap_open_file(path, err, sizeof(err));
    if (!c) {
        error("'%s': %s", path, err);
        return NULL;
    }
    int lt = cap_linktype(c);
    if (!sensor_linktype_supported(lt)) {
        error(TR("'%s': unsupported link type %d (mamori reads Ethernet, Linux cooked, raw IP "
                 "and BSD loopback captures)",
                 "'%s': 未対応のリンク種別 %d です（Ethernet、Linux cooked、raw IP、BSD loopback "
                 "に対応）"),
              path, lt);
        cap_close(c);
        return NULL;
    }
    if (bpf && cap_set_filter(c, bpf, err, sizeof(err)) < 0) {
        error("'%s': %s", path, err);
        cap_close(c);
        return NULL;
    }
    return c;
}

int cmd_read(int argc, char **argv)
{
    struct sensor_opts o;
    int first;
    int rc = sensor_parse_opts(argc, argv, 0, &o, &first);
    if (rc)
        return rc;
    if (first >= argc) {
        error("%s", TR("read: no capture file given (usage: mamori read [OPTIONS] CAPTURE...)",
                       "read: キャプチャファイルを指定してください（mamori read [OPTIONS] CAPTURE...）"));
        return EXIT_USAGE;
    }

    /* Open the first capture before touching the store, so that a typo in
     * the file name does not leave an empty run behind. */
    struct cap *c = open_capture(argv[first], o.bpf);
    if (!c)
        return EXIT_USAGE;

    struct pipeline p;
    rc = sensor_setup(&o, &p);
    if (rc) {
        cap_close(c);
        pipeline_release(&p);
        sensor_release(&o);
        return rc;
    }
    /* About a second's worth at the rates read runs at; by count, so the same
     * file gives the same store on any machine. */
    p.commit_packets = READ_COMMIT_PACKETS;

    /* The run's source: all file names, space separated. */
    size_t srclen = 1;
    for (int i = first; i < argc; i++)
        srclen += strlen(argv[i]) + 1;
    char *source = xmalloc(srclen);
    source[0] = '\0';
    size_t off = 0;
    for (int i = first; i < argc; i++)
        off += (size_t)snprintf(source + off, srclen - off, "%s%s", i > first ? " " : "", argv[i]);
    struct run_info ri = {
        .command = "read", .source = source, .bpf = o.bpf, .version = MAMORI_VERSION};
    if (pipeline_run_start(&p, &ri) < 0) {
        free(source);
        cap_close(c);
        pipeline_release(&p);
        sensor_release(&o);
        return EXIT_ENV;
    }

    sensor_install_signals();
    uint64_t t0 = mono_ms();
    struct read_state st = {.p = &p};
    int status = 0;
    for (int i = first; i < argc && !st.failed && !sensor_stop; i++) {
        if (!c) {
            c = open_capture(argv[i], o.bpf);
            if (!c) {
                status = EXIT_USAGE;
                continue;
            }
        }
        char err[512];
        int lrc = cap_loop(c, read_one_packet, &st, err, sizeof(err));
        if (lrc < 0) {
            error("'%s': %s", argv[i], err);
            status = EXIT_USAGE;
        }
        cap_close(c);
        c = NULL;
    }
    cap_close(c);

    if (pipeline_finish(&p) < 0)
        st.failed = 1;
    double elapsed = (double)(mono_ms() - t0) / 1000.0;
    if (!o.quiet)
        sensor_print_summary(&p, elapsed, 0);
    pipeline_release(&p);
    sensor_release(&o);
    free(source);
    if (st.failed)
        return EXIT_ENV;
    if (sensor_stop)
        return 128 + sensor_stop;
    return status;
}
