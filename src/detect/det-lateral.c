/* det-lateral.c - lateral: an intruder or a worm moving from one PC of the
 * office to others.
 *
 * What it finds (variants of the category "lateral"):
 *  - "exploit": SMB exploitation signs from an internal host (the SMB1
 *    TRANS2 SESSION_SETUP request that drives the DoublePulsar backdoor,
 *    planted by EternalBlue: WannaCry, NotPetya). High for one target,
 *    critical from lateral.exploit_critical_targets targets: a worm is
 *    spreading.
 *  - "spread": one internal host reaching lateral.spread_min_targets or more
 *    internal hosts over SMB, RPC, RDP, WinRM or SSH within
 *    lateral.spread_window_s, counting only paths (source, target, service)
 *    not seen on an earlier day. High; critical when it comes with
 *    exploitation signs or admin-share access on 2 or more targets
 *    (ransomware spreading).
 *  - "psexec": remote service creation, the way PsExec (and ransomware
 *    operators with it) runs a program on another PC: an SMB tree connect to
 *    ADMIN$/C$ with a program written there or the service manager (svcctl)
 *    opened, or a PSEXESVC pipe. High; medium on a path that did this on an
 *    earlier day ("psexec_known": an admin PC that does this every day).
 *  - "task": a remote scheduled task (atsvc, ITaskSchedulerService) with a
 *    program copied over; high, medium alone or on a known path.
 *  - "wmi": WMI remote execution (DCERPC bind to IWbemLevel1Login /
 *    IWbemServices, on 135 then the dynamic port). Medium, new paths only.
 *  - "rdp", "winrm": Remote Desktop / PowerShell remoting between internal
 *    hosts. Medium, new paths only: admins do this, and so do intruders.
 *
 * Baseline: per (source, target, service) the first day it was seen; a path
 * seen on an earlier day is "known" (a backup server, an admin's PC), kept
 * lateral.baseline_days after its last use. The first day of monitoring
 * everything is new.
 *
 * What stays quiet: PCs mapping one file server (one target each), domain
 * logons (SMB/RPC to the DC: lsarpc, netlogon, samr are not remote
 * execution), printers, a backup server pulling files from many PCs (a
 * connection that mostly downloads, more than lateral.pull_min_bytes at 8x
 * what was sent, is collection, not propagation, and does not count towards
 * "spread"), RDP/WinRM/WMI on known paths. Plain SSH never alerts on its
 * own, only towards "spread". Failed connections are the scan detector's.
 *
 * Aggregation: per (source, target) per day for the path variants, per
 * source per day for exploit and spread.
 *
 * Facts: target, targets (list), ntargets, service, port, share, file,
 * pipe, interface, new_path (1/0), window_min.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decode/decode.h"
#include "detect/detect.h"
#include "detect/track.h"
#include "util/util.h"

enum lat_svc { LSVC_NONE, LSVC_SMB, LSVC_RPC, LSVC_RDP, LSVC_WINRM, LSVC_SSH,
               /* pseudo services for the baseline of remote execution */
               LSVC_PSEXEC, LSVC_TASK, LSVC_WMI };

static const char *const lat_svc_name[] = {"", "SMB", "RPC", "RDP", "WinRM", "SSH",
                                           "SMB", "RPC", "WMI"};

/* Signs seen on a (source, target) pair today. */
#define SIGN_ADMIN_SHARE 0x001u /* tree connect to ADMIN$ or a drive share C$ */
#define SIGN_IPC 0x002u
#define SIGN_EXE_WRITE 0x004u   /* a program written on an admin share */
#define SIGN_SVCCTL 0x008u      /* service control manager pipe or interface */
#define SIGN_TASK 0x010u        /* atsvc / task scheduler */
#define SIGN_WMI 0x020u
#define SIGN_PSEXESVC 0x040u    /* PsExec's own pipe/file names (and clones) */
#define SIGN_EXPLOIT 0x080u     /* DoublePulsar TRANS2 */
#define SIGN_WINREG 0x100u

/* Variants raised on a pair (bits of lat_pair.raised). */
#define RAISED_PSEXEC 0x01u
#define RAISED_TASK 0x02u
#define RAISED_WMI 0x04u
#define RAISED_RDP 0x08u
#define RAISED_WINRM 0x10u

#define LAT_MAX_TARGETS 8 /* listed in the facts */

static const struct detect_param lat_params[] = {
    {"lateral.spread_min_targets", 5, 2, 10000},
    {"lateral.spread_window_s", 600, 10, 86400},
    {"lateral.exploit_critical_targets", 2, 1, 1000},
    {"lateral.baseline_days", 30, 1, 3650},
    {"lateral.pull_min_bytes", 1000000, 1000, 4000000000u},
    {"lateral.max_tracked", 65536, 64, 4000000},
    {NULL, 0, 0, 0},
};

struct lat_pair_key {
    struct ip_addr src, dst;
};

struct lat_pair {
    uint32_t day;
    uint32_t signs;
    uint8_t raised;
    uint8_t nflows;
    uint64_t flows[4];
    char share[24];
    char file[64];
    char pipe[48];  /* cut */
    char iface[24];
};

struct lat_path_key {
    struct ip_addr src, dst;
    uint8_t svc;
    uint8_t pad[3];
};

struct lat_path {
    uint32_t first_day;
};

struct lat_src {
    uint32_t day;
    uint64_t win_start;
    struct dcount win_targets;     /* new-path targets in the window (not pulls) */
    struct dcount admin_targets;   /* admin share reached today */
    struct dcount exploit_targets; /* exploitation signs today */
    uint8_t spread_sev, exploit_sev; /* highest raised today (0: none) */
    uint8_t ntargets;
    struct ip_addr targets[LAT_MAX_TARGETS]; /* today's targets, for the facts */
    uint8_t nflows;
    uint64_t flows[8];
};

struct det_lat {
    struct detect *d;
    uint32_t spread_min, window_s, exploit_crit, baseline_days, pull_min;
    struct track *pairs, *paths, *srcs;
};

/* The tunables, at create time and again on SIGHUP (detect_reconfigure):
 * thresholds and windows change, tables and what they hold stay. */
static void lat_reconfigure(void *st)
{
    struct det_lat *s = st;
    struct detect *d = s->d;
    s->spread_min = detect_param(d, "lateral.spread_min_targets");
    s->window_s = detect_param(d, "lateral.spread_window_s");
    s->exploit_crit = detect_param(d, "lateral.exploit_critical_targets");
    s->baseline_days = detect_param(d, "lateral.baseline_days");
    s->pull_min = detect_param(d, "lateral.pull_min_bytes");
}

static void *lat_create(struct detect *d)
{
    struct det_lat *s = xcalloc(1, sizeof(*s));
    s->d = d;
    lat_reconfigure(s);
    uint32_t max = detect_param(d, "lateral.max_tracked");
    s->pairs = track_new(sizeof(struct lat_pair_key), sizeof(struct lat_pair), max);
    s->paths = track_new(sizeof(struct lat_path_key), sizeof(struct lat_path), max);
    s->srcs = track_new(sizeof(struct ip_addr), sizeof(struct lat_src), max / 4 + 16);
    return s;
}

static void lat_destroy(void *st)
{
    struct det_lat *s = st;
    track_free(s->pairs);
    track_free(s->paths);
    track_free(s->srcs);
    free(s);
}

static uint32_t lat_day(uint64_t ts_us)
{
    return (uint32_t)(ts_us / (86400ull * 1000000ull));
}

/* Both ends inside, and not the same host. */
static bool lat_internal(const struct det_lat *s, const struct ip_addr *a, const struct ip_addr *b)
{
    return memcmp(a, b, sizeof(*a)) != 0 && detect_is_home(s->d, a) && detect_is_home(s->d, b);
}

static enum lat_svc lat_flow_svc(const struct flow *f)
{
    switch (f->dport) {
    case 445:
    case 139: return LSVC_SMB;
    case 135: return LSVC_RPC;
    case 3389: return LSVC_RDP;
    case 5985:
    case 5986: return LSVC_WINRM;
    case 22: return LSVC_SSH;
    default: break;
    }
    if (strcmp(f->app_proto, "dcerpc") == 0 || strcmp(f->app_proto, "dce_rpc") == 0)
        return LSVC_RPC;
    if (strcmp(f->app_proto, "rdp") == 0)
        return LSVC_RDP;
    if (strcmp(f->app_proto, "smb") == 0)
        return LSVC_SMB;
    return LSVC_NONE;
}

/* The path's baseline: true when it was first seen before today. Records
 * it (first seen today) when new. */
static bool lat_path_known(struct det_lat *s, const struct ip_addr *src, const struct ip_addr *dst,
                           enum lat_svc svc, uint64_t now_us)
{
    struct lat_path_key k;
    memset(&k, 0, sizeof(k));
    k.src = *src;
    k.dst = *dst;
    k.svc = (uint8_t)svc;
    bool created;
    struct lat_path *p = track_get(s->paths, &k, now_us, &created);
    uint32_t today = lat_day(now_us);
    if (created || p->first_day > today)
        p->first_day = today;
    return p->first_day < today;
}

static struct lat_pair *lat_pair_get(struct det_lat *s, const struct ip_addr *src,
                                     const struct ip_addr *dst, uint64_t now_us)
{
    struct lat_pair_key k;
    memset(&k, 0, sizeof(k));
    k.src = *src;
    k.dst = *dst;
    struct lat_pair *p = track_get(s->pairs, &k, now_us, NULL);
    uint32_t today = lat_day(now_us);
    if (p->day != today) {
        memset(p, 0, sizeof(*p));
        p->day = today;
    }
    return p;
}

static struct lat_src *lat_src_get(struct det_lat *s, const struct ip_addr *src, uint64_t now_us)
{
    struct lat_src *e = track_get(s->srcs, src, now_us, NULL);
    uint32_t today = lat_day(now_us);
    if (e->day != today) {
        memset(e, 0, sizeof(*e));
        e->day = today;
    }
    return e;
}

static void lat_src_target(struct lat_src *e, const struct ip_addr *dst)
{
    for (unsigned i = 0; i < e->ntargets; i++)
        if (memcmp(&e->targets[i], dst, sizeof(*dst)) == 0)
            return;
    if (e->ntargets < LAT_MAX_TARGETS)
        e->targets[e->ntargets++] = *dst;
}

static void lat_src_flow(struct lat_src *e, uint64_t id)
{
    if (!id)
        return;
    for (unsigned i = 0; i < e->nflows; i++)
        if (e->flows[i] == id)
            return;
    if (e->nflows < ARRAY_SIZE(e->flows))
        e->flows[e->nflows++] = id;
}

static void lat_pair_flow(struct lat_pair *p, uint64_t id)
{
    if (!id)
        return;
    for (unsigned i = 0; i < p->nflows; i++)
        if (p->flows[i] == id)
            return;
    if (p->nflows < ARRAY_SIZE(p->flows))
        p->flows[p->nflows++] = id;
}

static void lat_alert_ends(struct det_lat *s, struct alert *a, const struct ip_addr *src,
                           const struct ip_addr *dst)
{
    a->has_src = true;
    a->src = *src;
    if (dst) {
        a->has_dst = true;
        a->dst = *dst;
        char ip[48];
        ip_addr_fmt(dst, ip, sizeof(ip));
        alert_fact_str(a, "target", ip);
    }
    detect_alert_device_ip(s->d, a, src);
}

/* The targets list of a source, "192.168.1.10, 192.168.1.11". */
static void lat_targets_fact(struct alert *a, const struct lat_src *e)
{
    char buf[LAT_MAX_TARGETS * 48];
    size_t n = 0;
    buf[0] = '\0';
    for (unsigned i = 0; i < e->ntargets && n < sizeof(buf); i++) {
        char ip[48];
        ip_addr_fmt(&e->targets[i], ip, sizeof(ip));
        int w = snprintf(buf + n, sizeof(buf) - n, "%s%s", i ? ", " : "", ip);
        if (w < 0)
            break;
        n += (size_t)w;
    }
    alert_fact_str(a, "targets", buf);
}

/* exploit and spread: per source and day; a higher severity escalates the day's alert. */
static void lat_eval_src(struct det_lat *s, const struct ip_addr *src, struct lat_src *e,
                         uint64_t now_us)
{
    char ip[48], date[16];
    ip_addr_fmt(src, ip, sizeof(ip));
    alert_date(now_us, date);
    uint32_t nexp = dcount_get(&e->exploit_targets);
    if (nexp > 0) {
        uint8_t sev = nexp >= s->exploit_crit ? SEV_CRITICAL : SEV_HIGH;
        if (sev > e->exploit_sev) {
            e->exploit_sev = sev;
            struct alert a;
            alert_init(&a, "lateral", sev, now_us);
            alert_fact_str(&a, "variant", "exploit");
            lat_alert_ends(s, &a, src, nexp == 1 && e->ntargets == 1 ? &e->targets[0] : NULL);
            alert_fact_int(&a, "ntargets", nexp);
            lat_targets_fact(&a, e);
            alert_fact_str(&a, "service", "SMB");
            for (unsigned i = 0; i < e->nflows; i++)
                alert_add_flow(&a, e->flows[i]);
            alert_set_key(&a, "lateral|exploit|%s|%s", ip, date);
            detect_raise(s->d, &a);
            alert_release(&a);
        }
    }
    uint32_t n = dcount_get(&e->win_targets);
    if (n >= s->spread_min) {
        uint8_t sev = nexp > 0 || dcount_get(&e->admin_targets) >= 2 ? SEV_CRITICAL : SEV_HIGH;
        if (sev > e->spread_sev) {
            e->spread_sev = sev;
            struct alert a;
            alert_init(&a, "lateral", sev, now_us);
            alert_fact_str(&a, "variant", "spread");
            lat_alert_ends(s, &a, src, NULL);
            alert_fact_int(&a, "ntargets", n);
            alert_fact_int(&a, "window_min", (s->window_s + 59) / 60);
            lat_targets_fact(&a, e);
            for (unsigned i = 0; i < e->nflows; i++)
                alert_add_flow(&a, e->flows[i]);
            alert_set_key(&a, "lateral|spread|%s|%s", ip, date);
            detect_raise(s->d, &a);
            alert_release(&a);
        }
    }
}

static void lat_raise_pair(struct det_lat *s, const struct ip_addr *src, const struct ip_addr *dst,
                           struct lat_pair *p, const char *variant, enum alert_severity sev,
                           enum lat_svc svc, bool known, uint64_t now_us)
{
    char ip[48], ipd[48], date[16];
    ip_addr_fmt(src, ip, sizeof(ip));
    ip_addr_fmt(dst, ipd, sizeof(ipd));
    alert_date(now_us, date);
    struct alert a;
    alert_init(&a, "lateral", sev, now_us);
    alert_fact_str(&a, "variant", variant);
    lat_alert_ends(s, &a, src, dst);
    alert_fact_str(&a, "service", lat_svc_name[svc]);
    alert_fact_str(&a, "share", p->share);
    alert_fact_str(&a, "file", p->file);
    alert_fact_str(&a, "pipe", p->pipe);
    alert_fact_str(&a, "interface", p->iface);
    alert_fact_int(&a, "new_path", known ? 0 : 1);
    for (unsigned i = 0; i < p->nflows; i++)
        alert_add_flow(&a, p->flows[i]);
    alert_set_key(&a, "lateral|%s|%s|%s|%s", variant, ip, ipd, date);
    detect_raise(s->d, &a);
    alert_release(&a);
}

/* Remote execution on a pair, from the signs gathered so far. */
static void lat_eval_pair(struct det_lat *s, const struct ip_addr *src, const struct ip_addr *dst,
                          struct lat_pair *p, uint64_t now_us)
{
    uint32_t g = p->signs;
    bool psexec = (g & SIGN_PSEXESVC) || ((g & SIGN_ADMIN_SHARE) && (g & (SIGN_EXE_WRITE |
                                                                          SIGN_SVCCTL))) ||
                  ((g & SIGN_EXE_WRITE) && (g & SIGN_SVCCTL));
    if (psexec && !(p->raised & RAISED_PSEXEC)) {
        p->raised |= RAISED_PSEXEC;
        bool known = lat_path_known(s, src, dst, LSVC_PSEXEC, now_us);
        lat_raise_pair(s, src, dst, p, known ? "psexec_known" : "psexec",
                       known ? SEV_MEDIUM : SEV_HIGH, LSVC_PSEXEC, known, now_us);
    }
    if ((g & SIGN_TASK) && !psexec && !(p->raised & RAISED_TASK)) {
        p->raised |= RAISED_TASK;
        bool known = lat_path_known(s, src, dst, LSVC_TASK, now_us);
        bool copied = (g & (SIGN_ADMIN_SHARE | SIGN_EXE_WRITE)) != 0;
        lat_raise_pair(s, src, dst, p, "task", copied && !known ? SEV_HIGH : SEV_MEDIUM,
                       LSVC_TASK, known, now_us);
    }
    if ((g & SIGN_WMI) && !(p->raised & RAISED_WMI)) {
        p->raised |= RAISED_WMI;
        if (!lat_path_known(s, src, dst, LSVC_WMI, now_us))
            lat_raise_pair(s, src, dst, p, "wmi", SEV_MEDIUM, LSVC_WMI, false, now_us);
    }
}

/* A file or pipe name's last component, lower case. */
static void lat_base_lower(const char *name, char *out, size_t n)
{
    const char *b = strrchr(name, '\\');
    b = b ? b + 1 : name;
    size_t i = 0;
    for (; b[i] && i + 1 < n; i++)
        out[i] = (char)(b[i] >= 'A' && b[i] <= 'Z' ? b[i] + 32 : b[i]);
    out[i] = '\0';
}

static bool lat_is_exec(const char *lower)
{
    static const char *const ext[] = {".exe", ".dll", ".bat", ".cmd", ".ps1", ".vbs", ".scr",
                                      ".sys", ".msi", ".hta"};
    size_t l = strlen(lower);
    for (size_t i = 0; i < ARRAY_SIZE(ext); i++) {
        size_t e = strlen(ext[i]);
        if (l > e && strcmp(lower + l - e, ext[i]) == 0)
            return true;
    }
    return false;
}

/* ADMIN$ or a drive share (C$, D$). */
static bool lat_admin_share(const char *share)
{
    size_t l = strlen(share);
    return strcasecmp(share, "ADMIN$") == 0 || (l == 2 && share[1] == '$');
}

static void lat_smb(const struct app_event *ev, struct lat_pair *p,
                    struct lat_src *e)
{
    const char *cmd = json_string_value(json_object_get(ev->body, "command"));
    if (!cmd)
        return;
    const char *status = json_string_value(json_object_get(ev->body, "status"));
    bool ok = !status || strcmp(status, "STATUS_SUCCESS") == 0;
    const char *path = json_string_value(json_object_get(ev->body, "share"));
    char share[24] = "";
    if (path) {
        const char *b = strrchr(path, '\\');
        snprintf(share, sizeof(share), "%s", b ? b + 1 : path);
    }
    if (strstr(cmd, "TREE_CONNECT")) {
        if (!ok || !share[0])
            return;
        if (strcasecmp(share, "IPC$") == 0) {
            p->signs |= SIGN_IPC;
        } else if (lat_admin_share(share)) {
            p->signs |= SIGN_ADMIN_SHARE;
            snprintf(p->share, sizeof(p->share), "%s", share);
            dcount_add(&e->admin_targets, track_hash_ip(&ev->f->dst));
        }
    } else if (strstr(cmd, "CREATE")) {
        const char *fn = json_string_value(json_object_get(ev->body, "filename"));
        if (!fn)
            return;
        char low[64];
        lat_base_lower(fn, low, sizeof(low));
        bool write = json_is_true(json_object_get(ev->extra, "write"));
        if (strstr(low, "psexesvc") || strstr(low, "remcom") || strstr(low, "paexec") ||
            strstr(low, "csexec")) {
            p->signs |= SIGN_PSEXESVC;
            if (lat_is_exec(low) || !p->pipe[0]) {
                if (lat_is_exec(low))
                    snprintf(p->file, sizeof(p->file), "%s", fn);
                else
                    snprintf(p->pipe, sizeof(p->pipe), "%.47s", low);
            }
        }
        if (strcasecmp(share, "IPC$") == 0 || (!share[0] && !strchr(low, '.'))) {
            uint32_t sign = 0;
            if (strcmp(low, "svcctl") == 0)
                sign = SIGN_SVCCTL;
            else if (strcmp(low, "atsvc") == 0)
                sign = SIGN_TASK;
            else if (strcmp(low, "winreg") == 0)
                sign = SIGN_WINREG;
            if (sign && ok) {
                p->signs |= sign;
                if (sign != SIGN_WINREG)
                    snprintf(p->pipe, sizeof(p->pipe), "%.47s", low);
            }
        } else if (write && lat_is_exec(low) && (lat_admin_share(share) || !share[0])) {
            p->signs |= SIGN_EXE_WRITE;
            snprintf(p->file, sizeof(p->file), "%s", fn);
            if (share[0])
                snprintf(p->share, sizeof(p->share), "%s", share);
        }
    } else if (strstr(cmd, "TRANS2")) {
        if (json_is_true(json_object_get(ev->extra, "doublepulsar"))) {
            p->signs |= SIGN_EXPLOIT;
            dcount_add(&e->exploit_targets, track_hash_ip(&ev->f->dst));
            lat_src_target(e, &ev->f->dst);
            lat_src_flow(e, ev->f->id);
        }
    }
}

static void lat_dcerpc(const struct app_event *ev, struct lat_pair *p)
{
    json_t *names = json_object_get(ev->extra, "names");
    size_t i;
    json_t *v;
    json_array_foreach(names, i, v) {
        const char *n = json_string_value(v);
        if (!n)
            continue;
        uint32_t sign = 0;
        if (strcmp(n, "svcctl") == 0)
            sign = SIGN_SVCCTL;
        else if (strcmp(n, "atsvc") == 0 || strcmp(n, "taskscheduler") == 0 ||
                 strcmp(n, "sasec") == 0)
            sign = SIGN_TASK;
        else if (strcmp(n, "wmi") == 0)
            sign = SIGN_WMI;
        else if (strcmp(n, "winreg") == 0)
            sign = SIGN_WINREG;
        if (!sign)
            continue;
        p->signs |= sign;
        if (sign != SIGN_WINREG)
            snprintf(p->iface, sizeof(p->iface), "%s", n);
    }
}

static void lat_app_event(void *st, const struct app_event *ev)
{
    struct det_lat *s = st;
    bool smb = strcmp(ev->type, "smb") == 0;
    if ((!smb && strcmp(ev->type, "dcerpc") != 0) || !ev->f || !ev->body)
        return;
    const struct flow *f = ev->f;
    if (!lat_internal(s, &f->src, &f->dst))
        return;
    struct lat_pair *p = lat_pair_get(s, &f->src, &f->dst, ev->ts_us);
    struct lat_src *e = lat_src_get(s, &f->src, ev->ts_us);
    uint32_t before = p->signs;
    if (smb)
        lat_smb(ev, p, e);
    else
        lat_dcerpc(ev, p);
    if (p->signs == before)
        return;
    lat_pair_flow(p, f->id);
    lat_eval_pair(s, &f->src, &f->dst, p, ev->ts_us);
    if (p->signs & SIGN_EXPLOIT)
        lat_eval_src(s, &f->src, e, ev->ts_us);
}

static void lat_flow(void *st, const struct flow *f)
{
    struct det_lat *s = st;
    if (f->proto != 6 || !f->synack_seen || f->data_bytes[1] == 0)
        return; /* not answered: the scan detector's */
    enum lat_svc svc = lat_flow_svc(f);
    if (svc == LSVC_NONE || !lat_internal(s, &f->src, &f->dst))
        return;
    uint64_t now = f->first_ts_us;
    bool known = lat_path_known(s, &f->src, &f->dst, svc, now);
    struct lat_pair *p = lat_pair_get(s, &f->src, &f->dst, now);
    lat_pair_flow(p, f->id);
    struct lat_src *e = lat_src_get(s, &f->src, now);

    /* Collection (a backup pulling files) is not propagation. */
    bool pull = f->data_bytes[1] >= s->pull_min && f->data_bytes[1] / 8 > f->data_bytes[0];
    if (!known && !pull) {
        uint64_t win_us = (uint64_t)s->window_s * 1000000u;
        if (!e->win_start || now < e->win_start || now - e->win_start > win_us) {
            memset(&e->win_targets, 0, sizeof(e->win_targets));
            e->win_start = now;
        }
        dcount_add(&e->win_targets, track_hash_ip(&f->dst));
        lat_src_target(e, &f->dst);
        lat_src_flow(e, f->id);
        lat_eval_src(s, &f->src, e, now);
    }
    if (known)
        return;
    if (svc == LSVC_RDP && !(p->raised & RAISED_RDP)) {
        p->raised |= RAISED_RDP;
        lat_raise_pair(s, &f->src, &f->dst, p, "rdp", SEV_MEDIUM, svc, false, now);
    } else if (svc == LSVC_WINRM && !(p->raised & RAISED_WINRM)) {
        p->raised |= RAISED_WINRM;
        lat_raise_pair(s, &f->src, &f->dst, p, "winrm", SEV_MEDIUM, svc, false, now);
    }
}

static void lat_tick(void *st, uint64_t now_us)
{
    struct det_lat *s = st;
    /* Once a minute is plenty for day-long state. */
    if (now_us % (60ull * 1000000u) >= 1000000u)
        return;
    uint64_t day = 86400ull * 1000000u;
    if (now_us > 2 * day) {
        track_expire(s->pairs, now_us - 2 * day, NULL, NULL);
        track_expire(s->srcs, now_us - 2 * day, NULL, NULL);
    }
    uint64_t keep = (uint64_t)s->baseline_days * day;
    if (now_us > keep)
        track_expire(s->paths, now_us - keep, NULL, NULL);
}

const struct detector_ops det_lateral = {
    .name = "lateral",
    .params = lat_params,
    .create = lat_create,
    .reconfigure = lat_reconfigure,
    .destroy = lat_destroy,
    .app_event = lat_app_event,
    .flow = lat_flow,
    .tick = lat_tick,
};
