/* det-bruteforce.c - bruteforce: password guessing against a login service,
 * from one source to one server (or, as password spraying, many users or
 * many servers at once).
 *
 * What counts as an attempt:
 *  - cleartext logins, from the parsers' login events: FTP PASS (230 / 530),
 *    POP3 (+OK / -ERR), IMAP (OK / NO), Telnet (the parser reads the
 *    server's verdict), SMTP AUTH (235 / 535; the parser's counters are
 *    per session, so the detector adds what is new since the flow's last
 *    event), SMB SESSION_SETUP (STATUS_SUCCESS / LOGON_FAILURE and the other
 *    account errors; MORE_PROCESSING_REQUIRED is the challenge step, not a
 *    verdict). The user name comes with them; passwords never reach here.
 *  - Kerberos, read here from the first bytes of each datagram/segment on
 *    port 88 (there is no Kerberos parser): an AS-REQ is an attempt (its
 *    client name is a user), a KRB-ERROR with C_PRINCIPAL_UNKNOWN (6),
 *    CLIENT_REVOKED (18) or PREAUTH_FAILED (24) a failure, an AS-REP a
 *    success. PREAUTH_REQUIRED (25) is the normal first step of every
 *    Windows logon and counts for nothing, as do clock-skew and TGS errors:
 *    the AD lab capture has hundreds of those and no failure.
 *  - encrypted services (SSH, RDP, VPN portals: TLS 4433/10443/443/8443,
 *    PPTP 1723, IKE 500/4500, L2TP 1701): a short session, i.e. the server
 *    answered (data both ways) and the session ended within
 *    bruteforce.short_max_s with at most bruteforce.short_max_kb each way. Each guessing tool
 * connection looks like that (sshguess: 11 sessions of 3-10 s and 4 kB); an administrator's session
 * lasts longer. A session that is not short, after a burst, is taken as the login that worked.
 * HTTPS (443, 8443) is every web site's port, so it is only counted inbound (Internet to a LAN
 * gateway/server) and needs bruteforce.https_min_sessions.
 *
 * A burst: within bruteforce.window_s, bruteforce.min_failures failures
 * (cleartext, Kerberos, SMB), or bruteforce.min_sessions short sessions
 * (encrypted services), or bruteforce.spray_min_users distinct user names
 * with at least as many failures (password spraying). A user who mistypes
 * twice, mail clients polling POP3/IMAP every few minutes (all successes),
 * a PC's ordinary Kerberos logons stay far below. A source whose failures
 * hit bruteforce.spray_min_servers servers of one service within the window
 * is spraying across servers (its own alert, dst unset).
 *
 * Reporting: the alert is raised once the burst has been quiet for two
 * minutes (or ten minutes after it started, or at the end of the capture),
 * so its facts hold the whole burst; later attempts that day only add to
 * its count. One alert per source, server and service per day.
 *
 * Severity by direction: Internet -> LAN (an exposed service; the Internet
 * guesses at every exposed login daily) medium; LAN -> LAN (a PC guessing
 * passwords: infected or an insider) high; LAN -> Internet (a PC used as an
 * attack bot, or stolen mail passwords tried out) high. A login that
 * succeeded after the burst is high (variant "success"; raised as its own
 * alert when the burst was already reported). Traffic between two outside
 * addresses is ignored; VPN ports are not counted outbound (a PC's VPN
 * client reconnecting is not an attack).
 *
 * Variants: success, spray (many users, or many servers), internal,
 * outbound; inbound is the plain text.
 * Facts: service, port, attempts, failures, sessions (short sessions),
 * users (distinct names seen), user_names (up to three), success (0/1),
 * seconds (first to last attempt), servers (spray across servers).
 *
 * HTTP login forms (wp-login.php...) belong to web.attack.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"
#include "detect/detect.h"
#include "detect/track.h"
#include "util/rd.h"
#include "util/util.h"

enum bf_svc {
    BF_SSH = 0,
    BF_TELNET,
    BF_FTP,
    BF_SMTP,
    BF_POP3,
    BF_IMAP,
    BF_RDP,
    BF_SMB,
    BF_KERBEROS,
    BF_VPN,
    BF_HTTPS, /* TLS to 443/8443 of a LAN host from outside: a VPN/web portal */
    BF_SVC_MAX
};

/* Names shown in the texts (protocol names, the same in both languages)
 * and used in keys. */
static const char *const bf_svc_name[BF_SVC_MAX] = {
    "SSH", "Telnet", "FTP",      "SMTP AUTH", "POP3",      "IMAP",
    "RDP", "SMB",    "Kerberos", "VPN",       "HTTPS/VPN",
};
static const char *const bf_svc_key[BF_SVC_MAX] = {
    "ssh", "telnet", "ftp", "smtp", "pop3", "imap", "rdp", "smb", "kerberos", "vpn", "https",
};

/* Encrypted services are judged by their sessions. */
static bool bf_svc_sessions(enum bf_svc s)
{
    return s == BF_SSH || s == BF_RDP || s == BF_VPN || s == BF_HTTPS;
}

enum bf_dir { BF_INBOUND, BF_INTERNAL, BF_OUTBOUND, BF_TRANSIT };

#define BF_NAMES 3
#define BF_NAME_LEN 40
#define BF_FLOWS 8
#define BF_UEXACT 32
#define BF_PENDING_MAX 128
#define BF_QUIET_US (120ull * 1000000u)     /* burst quiet this long: report */
#define BF_MAX_DELAY_US (600ull * 1000000u) /* report at the latest this long after */
#define BF_IDLE_US (3600ull * 1000000u)     /* state dropped after an hour unused */
#define DAY_US (86400ull * 1000000u)

enum bf_phase { BF_IDLE = 0, BF_PENDING, BF_RAISED };

struct bf_key {
    struct ip_addr src, dst;
    uint8_t svc;
    uint8_t pad[7];
};

struct bf_state {
    uint64_t day; /* packet-time day of the counters */
    uint64_t win_start_us;
    uint32_t win_failures;   /* failures (or short sessions) in the window */
    struct dcount win_users; /* user names tried in the window */
    uint64_t first_us, last_us, burst_us;
    uint32_t attempts, failures, sessions;
    struct dcount users;       /* beyond BF_UEXACT names: an estimate */
    uint32_t uhash[BF_UEXACT]; /* the first distinct names, counted exactly */
    uint8_t nuhash;
    char names[BF_NAMES][BF_NAME_LEN];
    uint8_t nnames;
    uint8_t phase; /* enum bf_phase */
    bool success;  /* a login worked after the burst */
    bool success_raised;
    bool spray;
    uint16_t port;
    uint64_t flows[BF_FLOWS];
    uint8_t nflows;
};

/* Spraying across servers: one source, one service. */
struct bf_skey {
    struct ip_addr src;
    uint8_t svc;
    uint8_t pad[7];
};
struct bf_sstate {
    uint64_t win_start_us, day;
    struct dcount servers;
    uint32_t failures;
    bool raised;
};

/* SMTP AUTH counters already counted, per flow. */
struct bf_smtp {
    uint32_t attempts, failures;
    bool success;
};

static const struct detect_param bf_params[] = {
    {"bruteforce.window_s", 300, 10, 86400},       {"bruteforce.min_failures", 8, 2, 100000},
    {"bruteforce.min_sessions", 10, 2, 100000},    {"bruteforce.https_min_sessions", 60, 2, 100000},
    {"bruteforce.short_max_s", 30, 1, 3600},       {"bruteforce.short_max_kb", 64, 1, 1000000},
    {"bruteforce.spray_min_users", 5, 2, 100000},  {"bruteforce.spray_min_servers", 10, 2, 100000},
    {"bruteforce.max_tracked", 8192, 16, 1000000}, {NULL, 0, 0, 0},
};

struct det_bf {
    struct detect *d;
    uint64_t window_us, short_max_us, short_max_bytes;
    uint32_t min_failures, min_sessions, https_min_sessions, spray_users, spray_servers;
    struct track *t;     /* struct bf_key -> struct bf_state */
    struct track *spray; /* struct bf_skey -> struct bf_sstate */
    struct track *smtp;  /* flow id -> struct bf_smtp */
    struct bf_key pending[BF_PENDING_MAX];
    uint32_t npending;
    uint64_t last_expire_us;
};

static void bf_report(struct det_bf *b, const struct bf_key *k, struct bf_state *st);

static void bf_drop(void *arg, const void *key, void *val)
{
    struct bf_state *st = val;
    if (st->phase == BF_PENDING)
        bf_report(arg, key, st);
}

/* The tunables, at create time and again on SIGHUP (detect_reconfigure):
 * thresholds and windows change, tables and what they hold stay. */
static void bf_reconfigure(void *st)
{
    struct det_bf *b = st;
    struct detect *d = b->d;
    b->window_us = (uint64_t)detect_param(d, "bruteforce.window_s") * 1000000u;
    b->min_failures = detect_param(d, "bruteforce.min_failures");
    b->min_sessions = detect_param(d, "bruteforce.min_sessions");
    b->https_min_sessions = detect_param(d, "bruteforce.https_min_sessions");
    b->short_max_us = (uint64_t)detect_param(d, "bruteforce.short_max_s") * 1000000u;
    b->short_max_bytes = (uint64_t)detect_param(d, "bruteforce.short_max_kb") * 1024u;
    b->spray_users = detect_param(d, "bruteforce.spray_min_users");
    b->spray_servers = detect_param(d, "bruteforce.spray_min_servers");
}

static void *bf_create(struct detect *d)
{
    struct det_bf *b = xcalloc(1, sizeof(*b));
    b->d = d;
    bf_reconfigure(b);
    uint32_t max = detect_param(d, "bruteforce.max_tracked");
    b->t = track_new(sizeof(struct bf_key), sizeof(struct bf_state), max);
    track_set_drop(b->t, bf_drop, b);
    b->spray = track_new(sizeof(struct bf_skey), sizeof(struct bf_sstate), max / 4 + 1);
    b->smtp = track_new(sizeof(uint64_t), sizeof(struct bf_smtp), 1024);
    return b;
}

static void bf_destroy(void *st)
{
    struct det_bf *b = st;
    track_set_drop(b->t, NULL, NULL);
    track_free(b->t);
    track_free(b->spray);
    track_free(b->smtp);
    free(b);
}

static enum bf_dir bf_direction(const struct det_bf *b, const struct ip_addr *src,
                                const struct ip_addr *dst)
{
    bool sh = detect_is_home(b->d, src), dh = detect_is_home(b->d, dst);
    if (sh && dh)
        return BF_INTERNAL;
    if (dh)
        return BF_INBOUND;
    if (sh)
        return BF_OUTBOUND;
    return BF_TRANSIT;
}

static void bf_add_name(struct bf_state *st, const char *user)
{
    for (unsigned i = 0; i < st->nnames; i++)
        if (strcmp(st->names[i], user) == 0)
            return;
    if (st->nnames < BF_NAMES)
        snprintf(st->names[st->nnames++], BF_NAME_LEN, "%s", user);
}

static void bf_add_user(struct bf_state *st, uint64_t h)
{
    dcount_add(&st->users, h);
    if (st->nuhash > BF_UEXACT)
        return; /* past exact counting: the estimate speaks */
    uint32_t h32 = (uint32_t)(h ^ (h >> 32));
    for (unsigned i = 0; i < st->nuhash; i++)
        if (st->uhash[i] == h32)
            return;
    if (st->nuhash < BF_UEXACT)
        st->uhash[st->nuhash] = h32;
    st->nuhash++;
}

static uint32_t bf_users(const struct bf_state *st)
{
    return st->nuhash <= BF_UEXACT ? st->nuhash : dcount_get(&st->users);
}

/* Fills the parts every bruteforce alert shares. */
static void bf_alert_base(struct det_bf *b, struct alert *a, const struct bf_key *k,
                          enum alert_severity sev, uint64_t ts)
{
    alert_init(a, "bruteforce", sev, ts);
    a->has_src = true;
    a->src = k->src;
    if (!ip_addr_is_unspecified(&k->dst)) {
        a->has_dst = true;
        a->dst = k->dst;
    }
    /* The local device concerned: the guessing PC, else the server. */
    if (detect_is_home(b->d, &k->src))
        detect_alert_device_ip(b->d, a, &k->src);
    else if (a->has_dst)
        detect_alert_device_ip(b->d, a, &k->dst);
    alert_fact_str(a, "service", bf_svc_name[k->svc]);
}

static void bf_key_str(const struct bf_key *k, uint64_t ts, const char *suffix, struct alert *a)
{
    char s[48], d[48], day[16];
    ip_addr_fmt(&k->src, s, sizeof(s));
    ip_addr_fmt(&k->dst, d, sizeof(d));
    alert_date(ts, day);
    alert_set_key(a, "bruteforce|%s|%s|%s|%s%s", s, d, bf_svc_key[k->svc], day, suffix);
}

static void bf_facts(struct alert *a, const struct bf_key *k, const struct bf_state *st)
{
    alert_fact_int(a, "port", st->port);
    alert_fact_int(a, "attempts", st->attempts);
    alert_fact_int(a, "failures", st->failures);
    if (bf_svc_sessions((enum bf_svc)k->svc))
        alert_fact_int(a, "sessions", st->sessions);
    alert_fact_int(a, "users", bf_users(st));
    if (st->nnames) {
        char list[BF_NAMES * (BF_NAME_LEN + 2)];
        size_t off = 0;
        list[0] = 0;
        for (unsigned i = 0; i < st->nnames && off < sizeof(list); i++) {
            int n = snprintf(list + off, sizeof(list) - off, "%s%s", i ? ", " : "", st->names[i]);
            if (n < 0)
                break;
            off += (size_t)n;
        }
        alert_fact_str(a, "user_names", list);
    }
    alert_fact_int(a, "success", st->success ? 1 : 0);
    /* Rounded up: a burst within a second reads "1 seconds", not 0. */
    uint64_t secs =
        st->last_us > st->first_us ? (st->last_us - st->first_us + 999999u) / 1000000u : 0;
    alert_fact_int(a, "seconds", (long long)secs);
}

/* The first report of a burst. */
static void bf_report(struct det_bf *b, const struct bf_key *k, struct bf_state *st)
{
    if (st->phase != BF_PENDING)
        return;
    st->phase = BF_RAISED;
    /* Many names over the burst (not only when it crossed the line). */
    if (bf_users(st) >= b->spray_users)
        st->spray = true;
    enum bf_dir dir = bf_direction(b, &k->src, &k->dst);
    enum alert_severity sev = dir == BF_INBOUND && !st->success ? SEV_MEDIUM : SEV_HIGH;
    struct alert a;
    bf_alert_base(b, &a, k, sev, st->first_us);
    a.last_ts_us = st->last_us;
    a.count = st->attempts ? st->attempts : 1;
    a.dport = st->port;
    const char *variant = st->success          ? "success"
                          : st->spray          ? "spray"
                          : dir == BF_INTERNAL ? "internal"
                          : dir == BF_OUTBOUND ? "outbound"
                                               : NULL;
    alert_fact_str(&a, "variant", variant);
    bf_facts(&a, k, st);
    for (unsigned i = 0; i < st->nflows; i++)
        alert_add_flow(&a, st->flows[i]);
    bf_key_str(k, st->first_us, "", &a);
    detect_raise(b->d, &a);
    alert_release(&a);
    st->success_raised = st->success;
}

/* A login worked after an already reported burst: its own, higher alert. */
static void bf_report_success(struct det_bf *b, const struct bf_key *k, struct bf_state *st,
                              uint64_t ts, uint64_t flow_id)
{
    st->success_raised = true;
    struct alert a;
    bf_alert_base(b, &a, k, SEV_HIGH, ts);
    a.dport = st->port;
    alert_fact_str(&a, "variant", "success");
    bf_facts(&a, k, st);
    for (unsigned i = 0; i < st->nflows; i++)
        alert_add_flow(&a, st->flows[i]);
    alert_add_flow(&a, flow_id);
    bf_key_str(k, st->first_us, "|success", &a);
    detect_raise(b->d, &a);
    alert_release(&a);
}

static void bf_pending_add(struct det_bf *b, const struct bf_key *k, struct bf_state *st)
{
    if (b->npending >= BF_PENDING_MAX) {
        bf_report(b, k, st); /* no room to wait: report now */
        return;
    }
    b->pending[b->npending++] = *k;
}

/* Spraying across servers: failures of one source against many servers. */
static void bf_spray_servers(struct det_bf *b, const struct bf_key *k, uint64_t ts,
                             uint32_t failures, uint64_t flow_id)
{
    struct bf_skey sk;
    memset(&sk, 0, sizeof(sk));
    sk.src = k->src;
    sk.svc = k->svc;
    struct bf_sstate *ss = track_get(b->spray, &sk, ts, NULL);
    uint64_t day = ts / DAY_US;
    if (ss->day != day) {
        memset(ss, 0, sizeof(*ss));
        ss->day = day;
    }
    if (!ss->win_start_us || ts - ss->win_start_us > b->window_us) {
        uint64_t keep_day = ss->day;
        bool raised = ss->raised;
        memset(ss, 0, sizeof(*ss));
        ss->day = keep_day;
        ss->raised = raised;
        ss->win_start_us = ts;
    }
    dcount_add(&ss->servers, track_hash_ip(&k->dst));
    ss->failures += failures;
    uint32_t servers = dcount_get(&ss->servers);
    if (ss->raised || servers < b->spray_servers)
        return;
    ss->raised = true;
    struct bf_key any = *k;
    memset(&any.dst, 0, sizeof(any.dst));
    enum bf_dir dir = detect_is_home(b->d, &k->src) ? BF_INTERNAL : BF_INBOUND;
    struct alert a;
    bf_alert_base(b, &a, &any, dir == BF_INBOUND ? SEV_MEDIUM : SEV_HIGH, ss->win_start_us);
    a.last_ts_us = ts;
    alert_fact_str(&a, "variant", "spray");
    alert_fact_int(&a, "servers", servers);
    alert_fact_int(&a, "failures", ss->failures);
    alert_fact_int(&a, "attempts", ss->failures);
    alert_fact_int(&a, "success", 0);
    alert_fact_int(&a, "seconds", (long long)((ts - ss->win_start_us) / 1000000u));
    alert_add_flow(&a, flow_id);
    char s[48], day_s[16];
    ip_addr_fmt(&k->src, s, sizeof(s));
    alert_date(ts, day_s);
    alert_set_key(&a, "bruteforce|%s|*|%s|%s", s, bf_svc_key[k->svc], day_s);
    detect_raise(b->d, &a);
    alert_release(&a);
}

/* One observation: `attempts` logins tried, `failures` of them refused (or
 * short sessions), success: one worked; user may be NULL. A success or a
 * long session on a key never seen before creates no state. */
static void bf_note(struct det_bf *b, const struct ip_addr *src, const struct ip_addr *dst,
                    enum bf_svc svc, uint16_t port, uint64_t ts, uint32_t attempts,
                    uint32_t failures, bool session, bool success, const char *user,
                    uint64_t flow_id)
{
    enum bf_dir dir = bf_direction(b, src, dst);
    if (dir == BF_TRANSIT)
        return;
    if ((svc == BF_VPN || svc == BF_HTTPS) && dir != BF_INBOUND)
        return;
    struct bf_key k;
    memset(&k, 0, sizeof(k));
    k.src = *src;
    k.dst = *dst;
    k.svc = (uint8_t)svc;
    struct bf_state *st;
    if (attempts == 0 && failures == 0) {
        st = track_find(b->t, &k);
        if (!st)
            return;
        (void)track_get(b->t, &k, ts, NULL);
    } else {
        st = track_get(b->t, &k, ts, NULL);
    }
    uint64_t day = ts / DAY_US;
    if (st->day != day) {
        if (st->phase == BF_PENDING)
            bf_report(b, &k, st);
        memset(st, 0, sizeof(*st));
        st->day = day;
    }
    if (!st->port)
        st->port = port;
    if (!st->first_us)
        st->first_us = ts;
    if (!st->win_start_us || ts - st->win_start_us > b->window_us) {
        st->win_start_us = ts;
        st->win_failures = 0;
        memset(&st->win_users, 0, sizeof(st->win_users));
    }
    if (attempts || failures)
        st->last_us = MAX(st->last_us, ts);
    st->attempts += attempts;
    st->failures += failures;
    st->win_failures += failures;
    if (session)
        st->sessions += failures;
    if (user && user[0]) {
        uint64_t h = track_hash_str(user);
        bf_add_user(st, h);
        dcount_add(&st->win_users, h);
        bf_add_name(st, user);
    }
    if (flow_id && st->nflows < BF_FLOWS) {
        bool have = false;
        for (unsigned i = 0; i < st->nflows; i++)
            have = have || st->flows[i] == flow_id;
        if (!have)
            st->flows[st->nflows++] = flow_id;
    }
    if (success && st->phase != BF_IDLE && !st->success) {
        st->success = true;
        if (st->phase == BF_RAISED && !st->success_raised)
            bf_report_success(b, &k, st, ts, flow_id);
    }
    if (failures && !session)
        bf_spray_servers(b, &k, ts, failures, flow_id);

    if (st->phase == BF_RAISED) {
        if (attempts) {
            /* Later attempts of the day add to the alert's count. */
            struct alert a;
            bf_alert_base(b, &a, &k, SEV_MEDIUM, ts);
            a.count = attempts;
            alert_add_flow(&a, flow_id);
            bf_key_str(&k, st->first_us, "", &a);
            detect_raise(b->d, &a);
            alert_release(&a);
        }
        return;
    }
    if (st->phase != BF_IDLE)
        return;
    uint32_t need = svc == BF_HTTPS        ? b->https_min_sessions
                    : bf_svc_sessions(svc) ? b->min_sessions
                                           : b->min_failures;
    uint32_t wusers = dcount_get(&st->win_users);
    bool spray = wusers >= b->spray_users && st->win_failures >= b->spray_users;
    if (st->win_failures >= need || spray) {
        st->spray = spray;
        st->phase = BF_PENDING;
        st->burst_us = ts;
        bf_pending_add(b, &k, st);
    }
}

/* ------------------------------------------------------------ flows */

static bool bf_port_in(uint16_t p, const uint16_t *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == p)
            return true;
    return false;
}

static const uint16_t bf_vpn_tcp[] = {4433, 10443, 1723};
static const uint16_t bf_vpn_udp[] = {500, 4500, 1701};

static void bf_flow(void *stp, const struct flow *f)
{
    struct det_bf *b = stp;
    enum bf_svc svc;
    if (f->proto == 6) {
        if (f->dport == 22 || strcmp(f->app_proto, "ssh") == 0)
            svc = BF_SSH;
        else if (f->dport == 3389 || strcmp(f->app_proto, "rdp") == 0)
            svc = BF_RDP;
        else if (bf_port_in(f->dport, bf_vpn_tcp, ARRAY_SIZE(bf_vpn_tcp)))
            svc = BF_VPN;
        else if (f->dport == 443 || f->dport == 8443)
            svc = BF_HTTPS;
        else if (f->dport == 88)
            svc = BF_KERBEROS;
        else
            return;
    } else if (f->proto == 17) {
        if (bf_port_in(f->dport, bf_vpn_udp, ARRAY_SIZE(bf_vpn_udp)))
            svc = BF_VPN;
        else if (f->dport == 88)
            svc = BF_KERBEROS;
        else
            return;
    } else {
        return;
    }
    if (svc == BF_KERBEROS) {
        /* Only evidence: the packet hook counted the messages. */
        struct bf_key k;
        memset(&k, 0, sizeof(k));
        k.src = f->src;
        k.dst = f->dst;
        k.svc = BF_KERBEROS;
        struct bf_state *st = track_find(b->t, &k);
        if (st && st->nflows < BF_FLOWS)
            st->flows[st->nflows++] = f->id;
        return;
    }
    /* The server must have answered: refused and unanswered connections
     * are scans (scan.*), not login attempts. */
    if (f->data_bytes[0] == 0 || f->data_bytes[1] == 0)
        return;
    if (f->proto == 6 && !f->synack_seen)
        return;
    uint64_t dur = f->last_ts_us > f->first_ts_us ? f->last_ts_us - f->first_ts_us : 0;
    bool is_short = dur <= b->short_max_us && f->data_bytes[1] <= b->short_max_bytes &&
                    f->data_bytes[0] <= b->short_max_bytes && f->end_reason != FLOW_END_ACTIVE;
    if (is_short)
        bf_note(b, &f->src, &f->dst, svc, f->dport, f->last_ts_us, 1, 1, true, false, NULL, f->id);
    else
        bf_note(b, &f->src, &f->dst, svc, f->dport, f->last_ts_us, 0, 0, true, true, NULL, f->id);
}

/* ------------------------------------------------------- login events */

static const char *bf_str(const json_t *o, const char *key)
{
    const json_t *v = o ? json_object_get(o, key) : NULL;
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static long long bf_int(const json_t *o, const char *key)
{
    const json_t *v = o ? json_object_get(o, key) : NULL;
    return json_is_integer(v) ? json_integer_value(v) : 0;
}

/* 1 true, 0 false, -1 absent. */
static int bf_bool(const json_t *o, const char *key)
{
    const json_t *v = o ? json_object_get(o, key) : NULL;
    return json_is_boolean(v) ? (json_is_true(v) ? 1 : 0) : -1;
}

/* SMB statuses that refuse the credentials. */
static bool bf_smb_failure(const char *s)
{
    static const char *const bad[] = {
        "STATUS_LOGON_FAILURE",      "STATUS_WRONG_PASSWORD",   "STATUS_NO_SUCH_USER",
        "STATUS_ACCOUNT_LOCKED_OUT", "STATUS_ACCOUNT_DISABLED", "STATUS_ACCOUNT_RESTRICTION",
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
        if (strcmp(s, bad[i]) == 0)
            return true;
    return false;
}

static void bf_app_event(void *stp, const struct app_event *ev)
{
    struct det_bf *b = stp;
    const struct flow *f = ev->f;
    if (!f || !ev->type)
        return;
    const char *t = ev->type;
    enum bf_svc svc;
    if (strcmp(t, "ftp") == 0)
        svc = BF_FTP;
    else if (strcmp(t, "pop3") == 0)
        svc = BF_POP3;
    else if (strcmp(t, "imap") == 0)
        svc = BF_IMAP;
    else if (strcmp(t, "telnet") == 0)
        svc = BF_TELNET;
    else if (strcmp(t, "smtp") == 0)
        svc = BF_SMTP;
    else if (strcmp(t, "smb") == 0)
        svc = BF_SMB;
    else
        return;
    const json_t *x = ev->extra;
    uint32_t attempts = 0, failures = 0;
    bool success = false;
    const char *user = bf_str(x, "user");

    if (svc == BF_SMTP) {
        long long na = bf_int(x, "auth_attempts");
        if (na <= 0)
            return;
        struct bf_smtp *sm = track_get(b->smtp, &f->id, ev->ts_us, NULL);
        long long nf = bf_int(x, "auth_failures");
        if ((uint64_t)na > sm->attempts)
            attempts = (uint32_t)MIN((uint64_t)na - sm->attempts, 100000u);
        if (nf > 0 && (uint64_t)nf > sm->failures)
            failures = (uint32_t)MIN((uint64_t)nf - sm->failures, 100000u);
        sm->attempts = (uint32_t)MIN(na, 0xffffffffll);
        sm->failures = (uint32_t)MIN(nf > 0 ? nf : 0, 0xffffffffll);
        if (bf_bool(x, "auth_success") == 1 && !sm->success) {
            sm->success = true;
            success = true;
        }
        if (!attempts && !success)
            return;
    } else if (svc == BF_SMB) {
        const char *cmd = bf_str(ev->body, "command");
        const char *status = bf_str(ev->body, "status");
        if (!cmd || !status || !strstr(cmd, "SESSION_SETUP"))
            return;
        if (strcmp(status, "STATUS_SUCCESS") == 0) {
            success = true;
        } else if (bf_smb_failure(status)) {
            failures = 1;
        } else {
            return; /* MORE_PROCESSING_REQUIRED (challenge step) and others */
        }
        attempts = 1;
        const json_t *ntlm = json_object_get(ev->body, "ntlmssp");
        user = bf_str(ntlm, "user");
        if (!user)
            user = bf_str(x, "account");
    } else {
        /* FTP PASS, POP3/IMAP/Telnet attempts: login_attempts is set on
         * attempt events only (the session summary has 0). */
        if (bf_int(x, "login_attempts") <= 0)
            return;
        attempts = 1;
        int ok = bf_bool(x, "login_success");
        if (ok == 1)
            success = true;
        else if (ok == 0)
            failures = 1;
    }
    bf_note(b, &f->src, &f->dst, svc, f->dport, ev->ts_us, attempts, failures, false, success, user,
            f->id);
}

/* ------------------------------------------------------------ Kerberos */

/* One DER TLV header; val covers the content (what was captured of it). */
static bool krb_tlv(struct rd *r, uint8_t *tag, struct rd *val)
{
    uint8_t t = rd_u8(r);
    uint8_t l = rd_u8(r);
    if (!rd_ok(r))
        return false;
    uint32_t len = l;
    if (l & 0x80) {
        unsigned nb = l & 0x7fu;
        if (nb == 0 || nb > 4)
            return false;
        len = 0;
        for (unsigned i = 0; i < nb; i++)
            len = len << 8 | rd_u8(r);
        if (!rd_ok(r))
            return false;
    }
    *tag = t;
    (void)rd_sub(r, len, val);
    return true;
}

/* Opens a constructed TLV with the expected tag. */
static bool krb_open(struct rd *r, uint8_t want, struct rd *val)
{
    uint8_t tag;
    return krb_tlv(r, &tag, val) && tag == want;
}

/* The context-tagged field [n] of a SEQUENCE body. */
static bool krb_field(struct rd seq, unsigned n, struct rd *val)
{
    for (unsigned i = 0; i < 16 && rd_left(&seq) > 0; i++) {
        uint8_t tag;
        if (!krb_tlv(&seq, &tag, val))
            return false;
        if (tag == (0xa0 | n))
            return true;
    }
    return false;
}

/* AS-REQ: [APPLICATION 10] SEQUENCE { ... req-body [4] SEQUENCE { kdc-options
 * [0], cname [1] PrincipalName { name-type [0], name-string [1] SEQUENCE OF
 * GeneralString } } } (RFC 4120 5.4.1). The first name-string. */
static bool krb_as_req_user(struct rd r, char *out, size_t outlen)
{
    struct rd app, seq, f, body, cname, pn, names, s;
    if (!krb_open(&r, 0x6a, &app) || !krb_open(&app, 0x30, &seq))
        return false;
    if (!krb_field(seq, 4, &f) || !krb_open(&f, 0x30, &body))
        return false;
    if (!krb_field(body, 1, &f) || !krb_open(&f, 0x30, &pn))
        return false;
    if (!krb_field(pn, 1, &cname) || !krb_open(&cname, 0x30, &names))
        return false;
    if (!krb_open(&names, 0x1b, &s))
        return false;
    uint32_t n = rd_left(&s);
    if (n == 0)
        return false;
    size_t j = 0;
    for (uint32_t i = 0; i < n && j + 1 < outlen; i++) {
        uint8_t c = rd_ptr(&s)[i];
        out[j++] = c >= 0x20 && c < 0x7f ? (char)c : '_';
    }
    out[j] = 0;
    return true;
}

/* KRB-ERROR: [APPLICATION 30] SEQUENCE { ... error-code [6] Int32 }. */
static int krb_error_code(struct rd r)
{
    struct rd app, seq, f, v;
    if (!krb_open(&r, 0x7e, &app) || !krb_open(&app, 0x30, &seq))
        return -1;
    if (!krb_field(seq, 6, &f) || !krb_open(&f, 0x02, &v))
        return -1;
    uint32_t n = rd_left(&v);
    if (n == 0 || n > 4)
        return -1;
    int code = 0;
    for (uint32_t i = 0; i < n; i++)
        code = code << 8 | rd_ptr(&v)[i];
    return code;
}

static void bf_packet(void *stp, const struct packet *pkt)
{
    if (pkt->layer_count == 0)
        return;
    const struct ip_layer *l = &pkt->layers[pkt->layer_count - 1];
    if (l->sport != 88 && l->dport != 88)
        return;
    if ((l->proto != 6 && l->proto != 17) || !l->l4_ok || l->payload_len < 8)
        return;
    const uint8_t *p = l->payload;
    uint32_t n = l->payload_len;
    /* Over TCP each message has a 4-byte length in front (RFC 4120 7.2.2);
     * only segments that start a message are read. */
    if (l->proto == 6) {
        if (p[0] != 0 || (p[4] != 0x6a && p[4] != 0x6b && p[4] != 0x7e))
            return;
        p += 4;
        n -= 4;
    }
    struct det_bf *b = stp;
    struct rd r;
    rd_init(&r, p, n);
    if (p[0] == 0x6a && l->dport == 88) {
        char user[BF_NAME_LEN];
        if (!krb_as_req_user(r, user, sizeof(user)))
            user[0] = 0;
        bf_note(b, &l->src, &l->dst, BF_KERBEROS, 88, pkt->ts_us, 1, 0, false, false, user, 0);
    } else if (p[0] == 0x7e && l->sport == 88) {
        int code = krb_error_code(r);
        /* C_PRINCIPAL_UNKNOWN, CLIENT_REVOKED, PREAUTH_FAILED */
        if (code == 6 || code == 18 || code == 24)
            bf_note(b, &l->dst, &l->src, BF_KERBEROS, 88, pkt->ts_us, 0, 1, false, false, NULL, 0);
    } else if (p[0] == 0x6b && l->sport == 88) {
        bf_note(b, &l->dst, &l->src, BF_KERBEROS, 88, pkt->ts_us, 0, 0, false, true, NULL, 0);
    }
}

/* ------------------------------------------------------------- timing */

static void bf_flush_pending(struct det_bf *b, uint64_t now_us, bool all)
{
    uint32_t keep = 0;
    for (uint32_t i = 0; i < b->npending; i++) {
        struct bf_key *k = &b->pending[i];
        struct bf_state *st = track_find(b->t, k);
        if (!st || st->phase != BF_PENDING)
            continue;
        if (all || now_us - MIN(now_us, st->last_us) >= BF_QUIET_US ||
            now_us - MIN(now_us, st->burst_us) >= BF_MAX_DELAY_US) {
            bf_report(b, k, st);
            continue;
        }
        b->pending[keep++] = *k;
    }
    b->npending = keep;
}

static void bf_tick(void *stp, uint64_t now_us)
{
    struct det_bf *b = stp;
    if (b->npending)
        bf_flush_pending(b, now_us, false);
    if (now_us - MIN(now_us, b->last_expire_us) >= 60ull * 1000000u) {
        b->last_expire_us = now_us;
        if (now_us > BF_IDLE_US) {
            track_expire(b->t, now_us - BF_IDLE_US, bf_drop, b);
            track_expire(b->spray, now_us - BF_IDLE_US, NULL, NULL);
            track_expire(b->smtp, now_us - BF_IDLE_US, NULL, NULL);
        }
    }
}

static void bf_finish(void *stp)
{
    struct det_bf *b = stp;
    bf_flush_pending(b, 0, true);
}

const struct detector_ops det_bruteforce = {
    .name = "bruteforce",
    .params = bf_params,
    .create = bf_create,
    .reconfigure = bf_reconfigure,
    .destroy = bf_destroy,
    .packet = bf_packet,
    .flow = bf_flow,
    .app_event = bf_app_event,
    .tick = bf_tick,
    .finish = bf_finish,
};
