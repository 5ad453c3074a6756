/* cmd-watch.c - `mamori watch -i IFACE`: live capture.
 *
 * Order matters for safety: open the store and EVE file, open the
 * interface (the only step that needs root), then drop root at once, and
 * only then look at any packet.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "capture/cap-pcap.h"
#include "cli/commands.h"
#include "cli/sensor.h"
#include "util/i18n.h"
#include "util/util.h"
#include "version.h"

struct watch_state {
    struct pipeline *p;
    struct cap *cap;
    int failed;
};

static uint64_t wall_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static int watch_one_packet(void *arg, struct packet *pkt)
{
    struct watch_state *st = arg;
    if (pkt) {
        if (pipeline_packet(st->p, pkt) < 0) {
            st->failed = 1;
            return 1;
        }
    } else {
        /* Quiet line: live timestamps are wall-clock time, so moving on to
         * now expires idle flows just as later packets would. */
        pipeline_tick(st->p, wall_us());
        if (pipeline_maybe_commit(st->p) < 0) {
            st->failed = 1;
            return 1;
        }
    }
    return sensor_stop;
}

/* Drops root for good: supplementary groups, gid, uid, and no way back
 * (PR_SET_NO_NEW_PRIVS). Returns 0 or -1 after printing a line. */
static int drop_privileges(const char *user)
{
    if (geteuid() != 0 && getuid() != 0)
        return 0; /* not root (e.g. capabilities): nothing to drop */
    struct passwd *pw = getpwnam(user);
    if (!pw) {
        error(TR("no such user '%s' to run as (--user)", "--user の '%s' というユーザーがいません"),
              user);
        return -1;
    }
    if (setgroups(1, &pw->pw_gid) < 0 || setgid(pw->pw_gid) < 0 || setuid(pw->pw_uid) < 0) {
        error(TR("cannot drop privileges to '%s': %s", "'%s' の権限に切り替えられません: %s"), user,
              strerror(errno));
        return -1;
    }
    if (pw->pw_uid != 0 && setuid(0) != -1) {
        error("%s", TR("privileges could not be dropped for good", "root 権限を完全に手放せませんでした"));
        return -1;
    }
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    debug("running as user '%s' (uid %u)", user, (unsigned)pw->pw_uid);
    return 0;
}

int cmd_watch(int argc, char **argv)
{
    struct sensor_opts o;
    int first;
    int rc = sensor_parse_opts(argc, argv, 1, &o, &first);
    if (rc)
        return rc;
    if (!o.iface) {
        error("%s", TR("watch: which interface? (usage: mamori watch -i IFACE)",
                       "watch: インタフェースを -i で指定してください（mamori watch -i IFACE）"));
        return EXIT_USAGE;
    }
    if (first < argc) {
        error(TR("watch: unexpected argument '%s'", "watch: 余分な引数 '%s' があります"),
              argv[first]);
        return EXIT_USAGE;
    }

    struct pipeline p;
    rc = sensor_setup(&o, &p);
    if (rc) {
        pipeline_release(&p);
        sensor_release(&o);
        return rc;
    }

    char err[512];
    struct cap *c = cap_open_live(o.iface, o.cfg.snaplen, o.cfg.pcap_buffer_mb, err, sizeof(err));
    if (!c) {
        error("'%s': %s", o.iface, err);
        pipeline_release(&p);
        sensor_release(&o);
        return EXIT_USAGE;
    }
    if (drop_privileges(o.user ? o.user : "nobody") < 0) {
        cap_close(c);
        pipeline_release(&p);
        sensor_release(&o);
        return EXIT_USAGE;
    }
    if (!sensor_linktype_supported(cap_linktype(c))) {
        error(TR("'%s': unsupported link type %d", "'%s': 未対応のリンク種別 %d です"), o.iface,
              cap_linktype(c));
        cap_close(c);
        pipeline_release(&p);
        sensor_release(&o);
        return EXIT_USAGE;
    }
    if (o.bpf && cap_set_filter(c, o.bpf, err, sizeof(err)) < 0) {
        error("'%s': %s", o.iface, err);
        cap_close(c);
        pipeline_release(&p);
        sensor_release(&o);
        return EXIT_USAGE;
    }

    struct run_info ri = {
        .command = "watch", .source = o.iface, .bpf = o.bpf, .version = MAMORI_VERSION};
    if (pipeline_run_start(&p, &ri) < 0) {
        cap_close(c);
        pipeline_release(&p);
        sensor_release(&o);
        return EXIT_ENV;
    }
    sensor_install_signals();
    if (!o.quiet)
        fprintf(stderr, TR("mamori: watching '%s' (Ctrl-C to stop)\n",
                           "mamori: '%s' を監視しています（Ctrl-C で終了）\n"),
                o.iface);

    uint64_t t0 = mono_ms();
    struct watch_state st = {.p = &p, .cap = c};
    int status = 0;
    int lrc = cap_loop(c, watch_one_packet, &st, err, sizeof(err));
    if (lrc < 0 && !sensor_stop) {
        error("'%s': %s", o.iface, err);
        status = EXIT_ENV;
    }
    cap_drops(c, &p.kernel_drops, &p.iface_drops);
    cap_close(c);
    if (pipeline_finish(&p) < 0)
        st.failed = 1;
    if (!o.quiet)
        sensor_print_summary(&p, (double)(mono_ms() - t0) / 1000.0, 1);
    if (p.kernel_drops + p.iface_drops)
        warning(TR("the kernel dropped %llu packets: the sensor could not keep up",
                   "カーネルが %llu パケットを取りこぼしました（処理が追いついていません）"),
                (unsigned long long)(p.kernel_drops + p.iface_drops));
    pipeline_release(&p);
    sensor_release(&o);
    return st.failed ? EXIT_ENV : status;
}
