/* cmd-watch.c - `mamori watch [-i IFACE]...`: live capture, meant to run for
 * months under systemd (docs/service.md).
 *
 * Order matters for safety: open the store and EVE file, open every
 * interface (the only step that needs root), then drop root at once, and
 * only then look at any packet. Only CAP_NET_RAW/CAP_NET_ADMIN are kept, so
 * an interface can be opened again when it goes away and comes back.
 *
 * Several interfaces (capture.interface = eth0, eth1, or -i eth0 -i eth1):
 * one pcap handle each, all read by this one thread with poll()
 * (cap_poll). Not a thread per interface: the flow table, the detectors
 * and the store are single-threaded, and a tap's two directions arriving
 * on two interfaces must meet in one flow table; interleaving batches on
 * one thread gives that with no locks and no hand-over queue, and the
 * kernel ring of each handle (capture.buffer_mb) absorbs the wait. A lost
 * interface gets its own capture_error gap and is reopened with backoff
 * between rounds, while the others keep being read.
 *
 * Between packet batches (after the store's own commit, when it holds no
 * transaction) the loop does the service's chores on a second connection:
 * run checkpoints for `mamori status`, pruning (service/retention.h), the
 * free-space check, and it notices a deleted database. SIGHUP reloads the
 * settings and lists: detector thresholds apply to the running detectors,
 * flows and what the detectors counted stay, and the keys that need a
 * restart are named (watch_reload).
 */
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "capture/cap-pcap.h"
#include "cli/commands.h"
#include "cli/sensor.h"
#include "notify/notify.h"
#include "service/reload.h"
#include "service/retention.h"
#include "service/service.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/util.h"
#include "version.h"

/* How often the chores run (milliseconds of monotonic time). */
#define WATCH_PRUNE_EVERY_MS 1000        /* one batch while a pass is under way */
#define WATCH_PRUNE_PASS_EVERY_MS 600000 /* a new pass every 10 minutes */
#define WATCH_DISK_EVERY_MS 10000
#define WATCH_DBFILE_EVERY_MS 2000
#define WATCH_STORE_RETRY_MS 15000
#define WATCH_REOPEN_MAX_S 60
/* Free pages kept inside the database while the disk is low (at most a
 * tenth of the database): new rows go there instead of growing the file. */
#define WATCH_DISK_RESERVE_BYTES (64ll << 20)

/* One interface being watched. */
struct watch_iface {
    char name[64];
    struct cap *cap;                              /* NULL while lost */
    uint64_t pkts_base, kdrops_base, idrops_base; /* from handles closed before */
    int64_t gap;                                  /* its open capture_error gap (0: none) */
    unsigned delay_s;                             /* the next retry's delay (backoff) */
    uint64_t retry_ms;                            /* mono_ms() of the next reopen attempt */
    uint64_t lost_us;                             /* wall time it was lost */
    char why[512]; /* why it was lost, then the latest retry's reason */
};

struct watch_state {
    struct sensor_opts *o;
    struct pipeline *p;
    struct watch_iface ifs[CONFIG_MAX_INTERFACES];
    unsigned nifs, nlost;
    char source[CONFIG_MAX_INTERFACES * 64]; /* "eth0,eth1": runs.source */
    struct run_info ri;
    struct svc_db svc;
    struct notifier *notifier;
    int failed;                /* fatal: stop */
    int store_broken;          /* the store sink failed; capture goes on */
    uint64_t store_retry_ms;
    uint64_t store_broken_us;  /* when it broke: the gap recorded once it works again */
    char store_why[160];
    uint64_t seen_commit_ms;   /* p->last_commit_ms when the chores last ran */
    uint64_t last_checkpoint_ms, last_prune_ms, last_pass_ms, last_disk_ms, last_dbfile_ms;
    struct retention_progress rp;
    int disk_low;
    dev_t db_dev;
    ino_t db_ino;
};

static uint64_t wall_us(void)
{
    return svc_now_us();
}

static void watch_note_db_identity(struct watch_state *st)
{
    struct stat sb;
    if (stat(st->o->db, &sb) == 0) {
        st->db_dev = sb.st_dev;
        st->db_ino = sb.st_ino;
    }
}

/* The store sink the pipeline writes to (the first sink; sensor.c adds it
 * first). */
static int watch_store_index(const struct pipeline *p)
{
    for (int i = 0; i < p->nsinks; i++)
        if (strcmp(p->sinks[i]->ops->name, "sqlite") == 0)
            return i;
    return -1;
}

/* The store failed (disk full, I/O error, file deleted): the pipeline
 * keeps counting and detecting, rows go nowhere until the store is back. */
static void watch_store_broke(struct watch_state *st, const char *why)
{
    if (st->store_broken)
        return;
    st->store_broken = 1;
    st->store_retry_ms = mono_ms();
    error(TR("store: %s; capture continues, rows are not saved until it works again",
             "データベース: %s。キャプチャは続けますが、復旧するまで記録は保存されません"),
          why);
    /* The gap is written once the store works again: a store that cannot
     * write cannot record that either. */
    st->store_broken_us = wall_us();
    snprintf(st->store_why, sizeof(st->store_why), "%s", why);
}

/* Replaces the failed store sink with a fresh connection and a new run
 * (the old run is marked 'interrupted'). Returns 0 when the store works. */
static int watch_store_reopen(struct watch_state *st)
{
    struct pipeline *p = st->p;
    int idx = watch_store_index(p);
    if (idx < 0)
        return -1;
    /* The failed connection may still hold a lock: do not wait for it. */
    if (st->svc.db && st->svc.run_id) {
        sqlite3_busy_timeout(st->svc.db, 200);
        svc_run_mark(&st->svc, st->svc.run_id, "interrupted");
    }
    svc_close(&st->svc);
    struct sink *s = store_sqlite_open(st->o->db);
    if (!s)
        return -1;
    if (s->ops->run_start && s->ops->run_start(s, &st->ri) < 0) {
        s->ops->close(s);
        return -1;
    }
    p->sinks[idx]->ops->close(p->sinks[idx]);
    p->sinks[idx] = s;
    p->sink_failed = 0;
    char err[256];
    if (svc_open(&st->svc, st->o->db, err, sizeof(err)) == 0)
        st->svc.run_id = svc_latest_run(&st->svc);
    watch_note_db_identity(st);
    if (st->svc.db)
        svc_gap_close(&st->svc, svc_gap_open(&st->svc, st->store_broken_us, "store_error",
                                             st->store_why),
                      wall_us());
    st->store_broken = 0;
    fprintf(stderr, "%s", TR("mamori: store: writing again\n",
                             "mamori: データベース: 記録を再開しました\n"));
    return 0;
}

/* Commits what the store holds, so the service connection can write at
 * once: the store's transaction stays open until its next commit, which
 * only this thread makes, so waiting for the lock would wait for nothing. */
static void watch_store_commit_now(struct watch_state *st)
{
    struct pipeline *p = st->p;
    if (st->store_broken)
        return;
    for (int i = 0; i < p->nsinks; i++) {
        if (p->sinks[i]->ops->commit(p->sinks[i]) < 0)
            p->sink_failed = 1;
    }
}

/* An interface's totals over every handle it had: packets, kernel and
 * interface drops. */
static void watch_iface_totals(const struct watch_iface *wi, uint64_t *pkts, uint64_t *kdrops,
                               uint64_t *idrops)
{
    uint64_t k = 0, i = 0;
    if (wi->cap)
        cap_drops(wi->cap, &k, &i);
    *pkts = wi->pkts_base + (wi->cap ? cap_packets(wi->cap) : 0);
    *kdrops = wi->kdrops_base + k;
    *idrops = wi->idrops_base + i;
}

/* The interface's row set in `state` (capture.IFACE.*) for `status`. */
static void watch_iface_state(struct watch_state *st, const struct watch_iface *wi)
{
    uint64_t pk, kd, id;
    char state[640];
    if (!st->svc.db)
        return;
    watch_iface_totals(wi, &pk, &kd, &id);
    if (wi->cap) {
        snprintf(state, sizeof(state), "capturing");
    } else {
        char ts[40];
        fmt_ts_eve(ts, sizeof(ts), wi->lost_us);
        snprintf(state, sizeof(state), "lost %s %s", ts, wi->why);
    }
    svc_iface_counters(&st->svc, wi->name, pk, kd + id, state);
}

static void watch_checkpoint(struct watch_state *st)
{
    const struct pipeline *p = st->p;
    uint64_t kdrops = 0, idrops = 0;
    for (unsigned n = 0; n < st->nifs; n++) {
        uint64_t pk, kd, id;
        watch_iface_totals(&st->ifs[n], &pk, &kd, &id);
        kdrops += kd;
        idrops += id;
        watch_iface_state(st, &st->ifs[n]);
    }
    svc_checkpoint(&st->svc, p->packets, p->bytes, p->flows_out, kdrops, idrops, p->first_ts_us,
                   p->last_ts_us);
}

/* Disk nearly full: delete the oldest flows and events until the database
 * holds a reserve of free pages, so it stops growing. */
static void watch_disk_check(struct watch_state *st)
{
    int64_t free_mb = svc_free_mb(st->o->db);
    int low = retention_disk_low(free_mb, st->o->cfg.min_free_mb);
    if (low && !st->disk_low) {
        warning(TR("disk nearly full (%lld MiB free, store.min_free_mb is %u): pruning the "
                   "oldest records early",
                   "ディスクの空きが少なくなっています（残り %lld MiB、store.min_free_mb は %u）。"
                   "古い記録から前倒しで削除します"),
                (long long)free_mb, st->o->cfg.min_free_mb);
        char v[96];
        snprintf(v, sizeof(v), "%lld MiB free", (long long)free_mb);
        svc_state_set_stamped(&st->svc, "disk.low", v);
    } else if (!low && st->disk_low) {
        svc_state_set(&st->svc, "disk.low", "");
    }
    st->disk_low = low;
    if (!low)
        return;
    char err[256];
    uint64_t total = 0;
    uint64_t t0 = mono_ms();
    /* A few batches per check, at most ~200 ms, so capture is not held up. */
    /* The reserve: 64 MiB, but never more than a tenth of the database, so
     * a small disk does not lose everything to it. */
    struct stat sb;
    int64_t reserve = WATCH_DISK_RESERVE_BYTES;
    if (stat(st->o->db, &sb) == 0 && sb.st_size / 10 < reserve)
        reserve = sb.st_size / 10;
    while (mono_ms() - t0 < 200) {
        int64_t have = retention_db_free_bytes(st->svc.db);
        if (have < 0 || have >= reserve)
            break;
        long n = retention_emergency_step(st->svc.db, st->o->cfg.prune_batch, err, sizeof(err));
        if (n <= 0) {
            if (n < 0)
                debug("emergency prune: %s", err);
            break;
        }
        total += (uint64_t)n;
    }
    if (total) {
        char v[96];
        snprintf(v, sizeof(v), "disk low: %llu oldest rows deleted", (unsigned long long)total);
        svc_state_set_stamped(&st->svc, "prune.last", v);
    }
}

static void watch_prune(struct watch_state *st, uint64_t now)
{
    if (st->rp.done) {
        if (now - st->last_pass_ms < WATCH_PRUNE_PASS_EVERY_MS)
            return;
        memset(&st->rp, 0, sizeof(st->rp));
    }
    if (now - st->last_prune_ms < WATCH_PRUNE_EVERY_MS)
        return;
    st->last_prune_ms = now;
    struct retention_cfg rc = {.retention_days = st->o->cfg.retention_days,
                               .alert_retention_days = st->o->cfg.alert_retention_days,
                               .batch = st->o->cfg.prune_batch};
    char err[256];
    long n = retention_step(st->svc.db, &rc, wall_us(), &st->rp, err, sizeof(err));
    if (n < 0) {
        debug("prune: %s", err);
        st->rp.done = 1; /* try again at the next pass */
    }
    if (st->rp.done) {
        st->last_pass_ms = now;
        if (st->rp.deleted) {
            char v[96];
            snprintf(v, sizeof(v), "%llu rows older than the retention deleted",
                     (unsigned long long)st->rp.deleted);
            svc_state_set_stamped(&st->svc, "prune.last", v);
        }
    }
}

/* Was the database file deleted or replaced under us? SQLite would go on
 * writing to the unlinked file and every row would be lost. */
static void watch_check_dbfile(struct watch_state *st)
{
    struct stat sb;
    if (stat(st->o->db, &sb) < 0)
        watch_store_broke(st, TR("the database file was deleted", "データベースファイルが削除されました"));
    else if (sb.st_ino != st->db_ino || sb.st_dev != st->db_dev)
        watch_store_broke(st, TR("the database file was replaced", "データベースファイルが置き換えられました"));
}

/* Applies the detection stage's part of new settings (thresholds, on/off)
 * and keeps the running settings in step with what is in effect. */
static void watch_reload_detect(struct watch_state *st, const struct mamori_config *ncfg,
                                struct strbuf *applied, struct strbuf *restart)
{
    struct sensor_opts *o = st->o;
    if (!st->p->det) {
        /* Started with detect.enabled = no: the stage (inventory, lists,
         * MAC registry) was never made. */
        if (ncfg->detect.enabled)
            sb_list_add(restart, "detect.enabled");
        return;
    }
    detect_reconfigure(st->p->det, &ncfg->detect, applied, restart);
    o->cfg.detect = *detect_cfg(st->p->det);
}

static void watch_reload(struct watch_state *st)
{
    struct sensor_opts *o = st->o;
    sensor_reload = 0;
    if (!o->config_path) {
        fprintf(stderr, "%s", TR("mamori: reload: reloading the lists (no --config)\n",
                                 "mamori: 再読み込み: リストを読み直します（--config なし）\n"));
    }
    struct mamori_config *ncfg = xmalloc(sizeof(*ncfg));
    if (sensor_load_config(o, ncfg) < 0) {
        error("%s", TR("reload: the settings have problems; keeping the old ones",
                       "再読み込み: 設定に問題があるため、以前の設定を使い続けます"));
        free(ncfg);
        if (st->svc.db)
            svc_state_set_stamped(&st->svc, "service.reload",
                                  "rejected: the settings have problems");
        return;
    }
    struct strbuf applied = STRBUF_INIT, restart = STRBUF_INIT;
    /* Thresholds first: intel.ipsum_min_count applies to the lists loaded
     * next. */
    watch_reload_detect(st, ncfg, &applied, &restart);
    reload_settings(&o->cfg, ncfg, &applied, &restart);
    int failed = sensor_reload_lists(o, st->p, ncfg);
    if (st->notifier)
        notifier_reload(st->notifier, ncfg);
    memset(&st->rp, 0, sizeof(st->rp)); /* a new retention applies at once */
    free(ncfg);
    if (applied.len)
        fprintf(stderr,
                TR("mamori: reload: applied: %s\n", "mamori: 再読み込み: 反映しました: %s\n"),
                sb_str(&applied));
    if (restart.len)
        warning(
            TR("reload: these changes need a restart to take effect (systemctl restart "
               "mamori): %s",
               "再読み込み: 次の変更は再起動するまで反映されません（systemctl restart mamori）: "
               "%s"),
            sb_str(&restart));
    if (!applied.len && !restart.len)
        fprintf(stderr, "%s",
                TR("mamori: reload: no setting changed; lists loaded again\n",
                   "mamori: 再読み込み: 設定の変更はありません。リストを読み直しました\n"));
    fprintf(stderr, "%s", failed ? TR("mamori: reload: done, with problems (see above)\n",
                                      "mamori: 再読み込み: 一部に問題があります（上記参照）\n")
                                 : TR("mamori: reload: done\n", "mamori: 再読み込み: 完了しました\n"));
    if (st->svc.db) {
        struct strbuf v = STRBUF_INIT;
        sb_puts(&v, failed ? "with problems" : "ok");
        if (restart.len)
            sb_printf(&v, "; restart needed for: %.400s", sb_str(&restart));
        svc_state_set_stamped(&st->svc, "service.reload", sb_str(&v));
        sb_free(&v);
    }
    sb_free(&applied);
    sb_free(&restart);
}

/* The chores, after a packet batch or on a quiet tick. Each is due at
 * its own interval; the store commits first when one is, so the service
 * connection never waits for the store's lock. */
static void watch_chores(struct watch_state *st)
{
    uint64_t now = mono_ms();
    if (sensor_reload) {
        watch_store_commit_now(st);
        watch_reload(st);
    }
    if (st->store_broken) {
        if (now - st->store_retry_ms >= WATCH_STORE_RETRY_MS) {
            st->store_retry_ms = now;
            if (st->svc.db && retention_disk_low(svc_free_mb(st->o->db), st->o->cfg.min_free_mb)) {
                char err[256];
                sqlite3_busy_timeout(st->svc.db, 200);
                retention_emergency_step(st->svc.db, st->o->cfg.prune_batch, err, sizeof(err));
            }
            watch_store_reopen(st);
        }
        return;
    }
    if (!st->svc.db)
        return;
    if (now - st->last_dbfile_ms >= WATCH_DBFILE_EVERY_MS) {
        st->last_dbfile_ms = now;
        watch_check_dbfile(st);
        if (st->store_broken)
            return;
    }
    int cp = now - st->last_checkpoint_ms >= (uint64_t)st->o->cfg.checkpoint_s * 1000u;
    int disk = now - st->last_disk_ms >= WATCH_DISK_EVERY_MS;
    int prune = (!st->rp.done || now - st->last_pass_ms >= WATCH_PRUNE_PASS_EVERY_MS) &&
                now - st->last_prune_ms >= WATCH_PRUNE_EVERY_MS;
    if (!cp && !disk && !prune)
        return;
    watch_store_commit_now(st);
    if (cp) {
        st->last_checkpoint_ms = now;
        watch_checkpoint(st);
    }
    if (disk) {
        st->last_disk_ms = now;
        watch_disk_check(st);
    }
    if (prune)
        watch_prune(st, now);
}

static int watch_one_packet(void *arg, struct packet *pkt)
{
    struct watch_state *st = arg;
    int rc;
    if (pkt) {
        rc = pipeline_packet(st->p, pkt);
    } else {
        /* Quiet line: live timestamps are wall-clock time, so moving on to
         * now expires idle flows just as later packets would. */
        pipeline_tick(st->p, wall_us());
        rc = pipeline_maybe_commit(st->p);
    }
    if (rc < 0 && !st->store_broken)
        watch_store_broke(st, TR("writing failed (see above)", "書き込みに失敗しました（上記参照）"));
    if (!pkt || st->p->last_commit_ms != st->seen_commit_ms) {
        st->seen_commit_ms = st->p->last_commit_ms;
        watch_chores(st);
    }
    return sensor_stop;
}

/* Keeps CAP_NET_RAW and CAP_NET_ADMIN (and nothing else) after setuid, so
 * a capture that lost its interface can open it again. */
static int keep_capture_caps(void)
{
    struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
    struct __user_cap_data_struct d[2];
    memset(d, 0, sizeof(d));
    uint32_t mask = (1u << CAP_NET_RAW) | (1u << CAP_NET_ADMIN);
    d[0].effective = d[0].permitted = mask;
    return (int)syscall(SYS_capset, &h, d);
}

/* The store's files this root process just made (database, -wal, -shm,
 * pid file) go to the user it becomes, so it can reopen them after a
 * failure. Files someone else owns are left alone. */
static void hand_over_store(const char *db, uid_t uid, gid_t gid)
{
    static const char *const sfx[] = {"", "-wal", "-shm", ".pid"};
    for (size_t i = 0; i < ARRAY_SIZE(sfx); i++) {
        char path[1100];
        struct stat sb;
        snprintf(path, sizeof(path), "%s%s", db, sfx[i]);
        if (lstat(path, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_uid == 0 &&
            lchown(path, uid, gid) < 0) /* never through a symlink */
            debug("cannot hand '%s' to uid %u: %s", path, (unsigned)uid, strerror(errno));
    }
}

/* Drops root for good: supplementary groups, gid, uid, every capability
 * but the two capture needs, and no way back (PR_SET_NO_NEW_PRIVS).
 * Returns 0 or -1 after printing a line. */
static int drop_privileges(const char *user, const char *db)
{
    if (geteuid() != 0 && getuid() != 0)
        return 0; /* not root (e.g. systemd's AmbientCapabilities): nothing to drop */
    struct passwd *pw = getpwnam(user);
    if (!pw) {
        error(TR("no such user '%s' to run as (--user or service.user)",
                 "--user または service.user の '%s' というユーザーがいません"),
              user);
        return -1;
    }
    if (pw->pw_uid != 0) {
        hand_over_store(db, pw->pw_uid, pw->pw_gid);
        prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);
    }
    if (setgroups(1, &pw->pw_gid) < 0 || setgid(pw->pw_gid) < 0 || setuid(pw->pw_uid) < 0) {
        error(TR("cannot drop privileges to '%s': %s", "'%s' の権限に切り替えられません: %s"), user,
              strerror(errno));
        return -1;
    }
    if (pw->pw_uid != 0) {
        prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
        if (keep_capture_caps() < 0)
            warning(TR("cannot keep the capture capability (%s): a lost interface cannot be "
                       "opened again without a restart",
                       "キャプチャ権限を保持できません（%s）。インタフェースが消えた場合は再起動が"
                       "必要です"),
                    strerror(errno));
        if (setuid(0) != -1) {
            error("%s", TR("privileges could not be dropped for good",
                           "root 権限を完全に手放せませんでした"));
            return -1;
        }
    }
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    debug("running as user '%s' (uid %u)", user, (unsigned)pw->pw_uid);
    return 0;
}

/* Which user to become: --user, else service.user; the built-in default
 * "mamori" falls back to "nobody" on a machine without that account. */
static const char *watch_user(const struct sensor_opts *o)
{
    if (o->user)
        return o->user;
    if (strcmp(o->cfg.service_user, "mamori") == 0 && !getpwnam("mamori"))
        return "nobody";
    return o->cfg.service_user;
}

/* Opens the interface, checks its link type and sets the filter. NULL
 * with a reason in err. */
static struct cap *watch_open_iface(const struct sensor_opts *o, const char *iface, char *err,
                                    size_t errlen)
{
    struct cap *c = cap_open_live(iface, o->cfg.snaplen, o->cfg.pcap_buffer_mb, err, errlen);
    if (!c)
        return NULL;
    if (!sensor_linktype_supported(cap_linktype(c))) {
        snprintf(err, errlen, TR("unsupported link type %d", "未対応のリンク種別 %d です"),
                 cap_linktype(c));
        cap_close(c);
        return NULL;
    }
    if (o->bpf && cap_set_filter(c, o->bpf, err, errlen) < 0) {
        cap_close(c);
        return NULL;
    }
    return c;
}

/* Capture on one interface failed (gone, down, read error): close it,
 * record a gap for it and schedule the first retry; the other interfaces
 * go on being read. */
static void watch_iface_lost(struct watch_state *st, struct watch_iface *wi, const char *why)
{
    if (st->nifs > 1)
        error(TR("'%s': %s; retrying (the other interfaces keep capturing)",
                 "'%s': %s。再接続を試みます（他のインタフェースは監視を続けます）"),
              wi->name, why);
    else
        error(TR("'%s': %s; retrying", "'%s': %s。再接続を試みます"), wi->name, why);
    uint64_t pk, kd, id;
    watch_iface_totals(wi, &pk, &kd, &id);
    wi->pkts_base = pk;
    wi->kdrops_base = kd;
    wi->idrops_base = id;
    cap_close(wi->cap);
    wi->cap = NULL;
    st->nlost++;
    wi->lost_us = wall_us();
    snprintf(wi->why, sizeof(wi->why), "%s", why);
    wi->delay_s = 1;
    wi->retry_ms = mono_ms() + 1000;
    watch_store_commit_now(st);
    if (st->svc.db) {
        char detail[600];
        snprintf(detail, sizeof(detail), "%s: %s", wi->name, why);
        int64_t g = svc_gap_open(&st->svc, wi->lost_us, "capture_error", detail);
        wi->gap = g > 0 ? g : 0;
        watch_iface_state(st, wi);
    }
}

static void watch_iface_back(struct watch_state *st, struct watch_iface *wi)
{
    watch_store_commit_now(st);
    if (wi->gap && st->svc.db)
        svc_gap_close(&st->svc, wi->gap, wall_us());
    wi->gap = 0;
    st->nlost--;
    watch_iface_state(st, wi);
}

/* Tries the lost interfaces whose retry is due: 1, 2, 4 ... up to 60 s
 * apart, one line per new reason (not per try). */
static void watch_reopen_due(struct watch_state *st)
{
    if (!st->nlost)
        return;
    uint64_t now = mono_ms();
    for (unsigned n = 0; n < st->nifs; n++) {
        struct watch_iface *wi = &st->ifs[n];
        if (wi->cap || now < wi->retry_ms)
            continue;
        char err[512];
        wi->cap = watch_open_iface(st->o, wi->name, err, sizeof(err));
        if (wi->cap) {
            watch_iface_back(st, wi);
            fprintf(
                stderr,
                TR("mamori: '%s': capture resumed\n", "mamori: '%s': キャプチャを再開しました\n"),
                wi->name);
            continue;
        }
        if (strcmp(err, wi->why) != 0) {
            error(TR("'%s': %s; still retrying", "'%s': %s。再接続を続けます"), wi->name, err);
            snprintf(wi->why, sizeof(wi->why), "%s", err);
            watch_store_commit_now(st); /* the service connection writes next */
            watch_iface_state(st, wi);
        }
        wi->delay_s = wi->delay_s * 2 > WATCH_REOPEN_MAX_S ? WATCH_REOPEN_MAX_S : wi->delay_s * 2;
        wi->retry_ms = now + wi->delay_s * 1000u;
    }
}

/* Stop: every gap still open ends now (the next start records the time
 * the sensor was not running as its own gap). */
static void watch_close_gaps(struct watch_state *st)
{
    for (unsigned n = 0; n < st->nifs; n++) {
        struct watch_iface *wi = &st->ifs[n];
        if (wi->gap && st->svc.db)
            svc_gap_close(&st->svc, wi->gap, wall_us());
        wi->gap = 0;
    }
}

/* The interfaces: -i (every one), else capture.interface. Each at most
 * once: two handles on one interface would count every packet twice. */
static int watch_pick_ifaces(struct watch_state *st)
{
    char names[CONFIG_MAX_INTERFACES][64];
    unsigned n = config_interfaces(&st->o->cfg, names, CONFIG_MAX_INTERFACES);
    if (n == 0) {
        error("%s", TR("watch: which interface? (-i IFACE or capture.interface in the settings)",
                       "watch: インタフェースを -i か設定の capture.interface で指定してください"));
        return EXIT_USAGE;
    }
    size_t off = 0;
    for (unsigned i = 0; i < n; i++) {
        for (unsigned j = 0; j < i; j++) {
            if (strcmp(names[i], names[j]) == 0) {
                error(TR("watch: interface '%s' is named twice",
                         "watch: インタフェース '%s' が 2 回指定されています"),
                      names[i]);
                return EXIT_USAGE;
            }
        }
        snprintf(st->ifs[i].name, sizeof(st->ifs[i].name), "%.*s", (int)sizeof(st->ifs[i].name) - 1,
                 names[i]); /* checked names are at most IFNAMSIZ */
        int w =
            snprintf(st->source + off, sizeof(st->source) - off, "%s%s", i ? "," : "", names[i]);
        if (w > 0)
            off += (size_t)w;
    }
    st->nifs = n;
    return 0;
}

/* Opens every interface before root is dropped; any that fails is an
 * error (a typo should not look like a running sensor). */
static int watch_open_all(struct watch_state *st)
{
    char err[512];
    for (unsigned n = 0; n < st->nifs; n++) {
        struct watch_iface *wi = &st->ifs[n];
        wi->cap = watch_open_iface(st->o, wi->name, err, sizeof(err));
        if (!wi->cap) {
            error("'%s': %s", wi->name, err);
            return -1;
        }
    }
    return 0;
}

static void watch_close_all(struct watch_state *st)
{
    for (unsigned n = 0; n < st->nifs; n++) {
        cap_close(st->ifs[n].cap);
        st->ifs[n].cap = NULL;
    }
}

static void watch_start_service(struct watch_state *st)
{
    char err[512];
    if (svc_open(&st->svc, st->o->db, err, sizeof(err)) < 0) {
        warning(TR("status bookkeeping is off: %s", "稼働状況の記録ができません: %s"), err);
        return;
    }
    st->svc.run_id = svc_latest_run(&st->svc);
    uint64_t now = wall_us();
    svc_gap_close_stale(&st->svc, st->svc.run_id);
    /* Less than two checkpoints apart is a restart, not an outage. */
    svc_gap_between_runs(&st->svc, st->svc.run_id, now, st->o->cfg.checkpoint_s * 2);
    svc_state_set_stamped(&st->svc, "service.started", st->source);
    /* Per-interface rows are this run's: an interface watched before and
     * not now must not look alive in `status`. */
    svc_state_clear_prefix(&st->svc, "capture.");
    svc_state_set(&st->svc, "capture.interfaces", st->source);
    for (unsigned n = 0; n < st->nifs; n++)
        watch_iface_state(st, &st->ifs[n]);
    watch_note_db_identity(st);
    if (svc_pidfile_write(st->o->db) < 0)
        debug("cannot write the pid file: %s", strerror(errno));
    st->notifier = notifier_start(&st->o->cfg, st->o->db, err, sizeof(err));
    if (!st->notifier)
        warning(TR("notifications are off: %s", "通知が無効です: %s"), err);
}

/* The capture loop: a round over every interface, then the chores and
 * the retries of lost interfaces. */
static void watch_run(struct watch_state *st)
{
    char err[512];
    while (!sensor_stop && !st->failed) {
        struct cap *caps[CONFIG_MAX_INTERFACES];
        for (unsigned n = 0; n < st->nifs; n++)
            caps[n] = st->ifs[n].cap;
        unsigned bad = 0;
        int rc = cap_poll(caps, st->nifs, 250, watch_one_packet, st, &bad, err, sizeof(err));
        if (rc > 0 || sensor_stop)
            break;
        if (rc < 0 && bad < st->nifs)
            watch_iface_lost(st, &st->ifs[bad], err);
        else if (rc < 0) {
            /* poll() itself failed (no memory?): wait a round, try again. */
            debug("%s", err);
            struct timespec ts = {0, 250 * 1000000L};
            nanosleep(&ts, NULL);
        }
        /* Quiet line or not: flows expire and the chores run. */
        if (watch_one_packet(st, NULL))
            break;
        watch_reopen_due(st);
    }
}

int cmd_watch(int argc, char **argv)
{
    struct sensor_opts o;
    int first;
    int rc = sensor_parse_opts(argc, argv, 1, &o, &first);
    if (rc)
        return rc;
    if (first < argc) {
        error(TR("watch: unexpected argument '%s'", "watch: 余分な引数 '%s' があります"),
              argv[first]);
        return EXIT_USAGE;
    }
    /* Big (interfaces, reasons): on the heap, zeroed. */
    struct watch_state *st = xcalloc(1, sizeof(*st));
    st->o = &o;
    rc = watch_pick_ifaces(st);
    if (rc) {
        free(st);
        return rc;
    }

    struct pipeline p;
    rc = sensor_setup(&o, &p);
    if (rc) {
        pipeline_release(&p);
        sensor_release(&o);
        free(st);
        return rc;
    }
    st->p = &p;
    if (watch_open_all(st) < 0) {
        watch_close_all(st);
        pipeline_release(&p);
        sensor_release(&o);
        free(st);
        return EXIT_USAGE;
    }
    st->ri = (struct run_info){
        .command = "watch", .source = st->source, .bpf = o.bpf, .version = MAMORI_VERSION};
    if (pipeline_run_start(&p, &st->ri) < 0) {
        watch_close_all(st);
        pipeline_release(&p);
        sensor_release(&o);
        free(st);
        return EXIT_ENV;
    }
    sensor_install_signals();
    /* Before dropping root: the files were made by this user. */
    watch_start_service(st);
    if (drop_privileges(watch_user(&o), o.db) < 0) {
        notifier_stop(st->notifier);
        svc_pidfile_remove(o.db);
        svc_close(&st->svc);
        watch_close_all(st);
        pipeline_release(&p);
        sensor_release(&o);
        free(st);
        return EXIT_USAGE;
    }
    if (!o.quiet) {
        struct strbuf names = STRBUF_INIT;
        for (unsigned n = 0; n < st->nifs; n++)
            sb_printf(&names, "%s'%s'", n ? ", " : "", st->ifs[n].name);
        fprintf(stderr,
                TR("mamori: watching %s (Ctrl-C to stop)\n",
                   "mamori: %s を監視しています（Ctrl-C で終了）\n"),
                sb_str(&names));
        sb_free(&names);
    }

    uint64_t t0 = mono_ms();
    st->seen_commit_ms = p.last_commit_ms;
    watch_run(st);
    /* The last checkpoint first: it reads the captures' drop counters. */
    if (!st->store_broken && st->svc.db) {
        watch_store_commit_now(st);
        watch_checkpoint(st);
        watch_close_gaps(st);
    }
    p.kernel_drops = p.iface_drops = 0;
    for (unsigned n = 0; n < st->nifs; n++) {
        uint64_t pk, kd, id;
        watch_iface_totals(&st->ifs[n], &pk, &kd, &id);
        p.kernel_drops += kd;
        p.iface_drops += id;
    }
    watch_close_all(st);
    if (pipeline_finish(&p) < 0 && !st->store_broken)
        st->failed = 1;
    /* After the last alerts are stored, so it can still send them. */
    notifier_stop(st->notifier);
    if (st->store_broken && st->svc.db) {
        sqlite3_busy_timeout(st->svc.db, 200); /* the failed store may hold a lock */
        if (st->svc.run_id)
            svc_run_mark(&st->svc, st->svc.run_id, "interrupted");
    }
    if (st->svc.db)
        svc_state_set_stamped(&st->svc, "service.stopped", sensor_stop ? "signal" : "error");
    svc_pidfile_remove(o.db);
    svc_close(&st->svc);
    if (!o.quiet)
        sensor_print_summary(&p, (double)(mono_ms() - t0) / 1000.0, 1);
    if (p.kernel_drops + p.iface_drops)
        warning(TR("the kernel dropped %llu packets: the sensor could not keep up",
                   "カーネルが %llu パケットを取りこぼしました（処理が追いついていません）"),
                (unsigned long long)(p.kernel_drops + p.iface_drops));
    int failed = st->failed;
    pipeline_release(&p);
    sensor_release(&o);
    free(st);
    return failed ? EXIT_ENV : 0;
}
