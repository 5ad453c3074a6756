/* det-spam.c - spam.burst: a LAN host sending mail in bulk, the sign of
 * Emotet and other spam bots (a PC that suddenly mails hundreds of people,
 * often the firm's own partners, in the firm's name).
 *
 * What is counted, per LAN host, over spam.window_s:
 *  - SMTP sessions it opens to outside servers on 25, 465, 587 and 2525
 *    (counted at the first packet, so unanswered attempts at dead MX hosts
 *    count too) and how many distinct servers they go to. A PC normally
 *    talks to one or two submission servers (its provider, Microsoft 365);
 *    a spam bot delivers straight to each recipient's MX: dozens of
 *    servers within minutes (spambot.pcap: 12 MX servers in 0.1 s).
 *  - recipients and messages in SMTP transactions it sends outside (only
 *    visible in clear text: port 25 without STARTTLS).
 *  - MX lookups it makes (a PC has no reason to look up MX records; a bot
 *    does before each delivery): reported as evidence (the domains).
 * A burst is spam.min_servers distinct servers, or spam.min_sessions
 * sessions, or spam.min_recipients recipients within the window.
 *
 * Mail servers: a LAN host that accepts SMTP itself (it answered on 25, 465
 * or 587) relays mail for the office, so all its limits are multiplied by
 * spam.mailserver_factor. PCs sending a handful of mails through the
 * provider's submission server (587 with AUTH/STARTTLS), a copier's
 * scan-to-mail and Outlook with several accounts stay far below.
 *
 * Severity: high (mass mail from the LAN damages the firm's name and gets
 * its address blocklisted); critical when spam.critical_servers servers or
 * spam.critical_recipients recipients are reached within the window.
 * Reported when the burst has been quiet for a minute (or five minutes
 * after it started, or at the end of the capture), once per host per day.
 *
 * Facts: servers, sessions, recipients, messages, window (seconds the burst
 * took), mx (up to three MX-looked-up domains), mx_lookups, ports, variant
 * "mailserver" for a host that is itself a mail server.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"
#include "detect/detect.h"
#include "detect/track.h"
#include "util/util.h"

#define SPAM_MX 3
#define SPAM_MX_LEN 64
#define SPAM_FLOWS 8
#define SPAM_SEXACT 64
#define SPAM_PENDING_MAX 64
#define SPAM_QUIET_US (60ull * 1000000u)
#define SPAM_MAX_DELAY_US (300ull * 1000000u)
#define SPAM_IDLE_US (3600ull * 1000000u)
#define SPAM_DAY_US (86400ull * 1000000u)

enum spam_phase { SPAM_IDLE = 0, SPAM_PENDING, SPAM_RAISED };

struct spam_state {
    uint64_t win_start_us, first_us, last_us, burst_us;
    uint64_t raised_day;         /* day + 1 of the last report (0: never) */
    struct dcount servers;       /* beyond SPAM_SEXACT servers: an estimate */
    uint32_t shash[SPAM_SEXACT]; /* the first distinct servers, counted exactly */
    uint32_t nshash;
    uint32_t sessions, recipients, messages, mx_lookups;
    char mx[SPAM_MX][SPAM_MX_LEN];
    uint8_t nmx;
    uint8_t phase; /* enum spam_phase */
    uint8_t ports; /* bit 0: 25, 1: 465, 2: 587, 3: 2525 */
    uint64_t flows[SPAM_FLOWS];
    uint8_t nflows;
};

static const struct detect_param spam_params[] = {
    {"spam.window_s", 300, 10, 86400},
    {"spam.min_servers", 8, 2, 100000},
    {"spam.min_sessions", 60, 2, 1000000},
    {"spam.min_recipients", 150, 2, 1000000},
    {"spam.critical_servers", 30, 2, 1000000},
    {"spam.critical_recipients", 300, 2, 1000000},
    {"spam.mailserver_factor", 10, 1, 1000},
    {"spam.max_tracked", 4096, 16, 1000000},
    {NULL, 0, 0, 0},
};

struct det_spam {
    struct detect *d;
    uint64_t window_us;
    uint32_t min_servers, min_sessions, min_recipients, crit_servers, crit_recipients, factor;
    struct track *hosts;   /* struct ip_addr -> struct spam_state */
    struct track *servers; /* struct ip_addr -> uint8_t: LAN hosts that accept SMTP */
    struct ip_addr pending[SPAM_PENDING_MAX];
    uint32_t npending;
    uint64_t last_expire_us;
};

static void spam_report(struct det_spam *s, const struct ip_addr *ip, struct spam_state *st);

static void spam_drop(void *arg, const void *key, void *val)
{
    struct spam_state *st = val;
    if (st->phase == SPAM_PENDING)
        spam_report(arg, key, st);
}

/* The tunables, at create time and again on SIGHUP (detect_reconfigure):
 * thresholds and windows change, tables and what they hold stay. */
static void spam_reconfigure(void *st)
{
    struct det_spam *s = st;
    struct detect *d = s->d;
    s->window_us = (uint64_t)detect_param(d, "spam.window_s") * 1000000u;
    s->min_servers = detect_param(d, "spam.min_servers");
    s->min_sessions = detect_param(d, "spam.min_sessions");
    s->min_recipients = detect_param(d, "spam.min_recipients");
    s->crit_servers = detect_param(d, "spam.critical_servers");
    s->crit_recipients = detect_param(d, "spam.critical_recipients");
    s->factor = detect_param(d, "spam.mailserver_factor");
}

static void *spam_create(struct detect *d)
{
    struct det_spam *s = xcalloc(1, sizeof(*s));
    s->d = d;
    spam_reconfigure(s);
    uint32_t max = detect_param(d, "spam.max_tracked");
    s->hosts = track_new(sizeof(struct ip_addr), sizeof(struct spam_state), max);
    track_set_drop(s->hosts, spam_drop, s);
    s->servers = track_new(sizeof(struct ip_addr), sizeof(uint8_t), 256);
    return s;
}

static void spam_destroy(void *p)
{
    struct det_spam *s = p;
    track_set_drop(s->hosts, NULL, NULL);
    track_free(s->hosts);
    track_free(s->servers);
    free(s);
}

static int spam_port_bit(uint16_t port)
{
    switch (port) {
    case 25:
        return 0;
    case 465:
        return 1;
    case 587:
        return 2;
    case 2525:
        return 3;
    default:
        return -1;
    }
}

static void spam_add_server(struct spam_state *st, const struct ip_addr *ip)
{
    uint64_t h = track_hash_ip(ip);
    dcount_add(&st->servers, h);
    if (st->nshash > SPAM_SEXACT)
        return;
    uint32_t h32 = (uint32_t)(h ^ (h >> 32));
    for (uint32_t i = 0; i < st->nshash; i++)
        if (st->shash[i] == h32)
            return;
    if (st->nshash < SPAM_SEXACT)
        st->shash[st->nshash] = h32;
    st->nshash++;
}

static uint32_t spam_servers(const struct spam_state *st)
{
    return st->nshash <= SPAM_SEXACT ? st->nshash : dcount_get(&st->servers);
}

static bool spam_is_mailserver(const struct det_spam *s, const struct ip_addr *ip)
{
    return track_find(s->servers, ip) != NULL;
}

/* The host's state with its window rolled over if it ran out. */
static struct spam_state *spam_state(struct det_spam *s, const struct ip_addr *ip, uint64_t ts)
{
    struct spam_state *st = track_get(s->hosts, ip, ts, NULL);
    if (st->phase == SPAM_IDLE && (!st->win_start_us || ts - st->win_start_us > s->window_us)) {
        /* MX lookups just before the window opens are part of it. */
        st->win_start_us = ts;
        st->first_us = 0;
        memset(&st->servers, 0, sizeof(st->servers));
        st->nshash = 0;
        st->sessions = st->recipients = st->messages = 0;
        st->ports = 0;
        st->nflows = 0;
    }
    return st;
}

static bool spam_critical(const struct det_spam *s, const struct spam_state *st, uint32_t f)
{
    return spam_servers(st) >= s->crit_servers * f || st->recipients >= s->crit_recipients * f;
}

static void spam_check(struct det_spam *s, const struct ip_addr *ip, struct spam_state *st,
                       uint64_t ts)
{
    if (st->phase != SPAM_IDLE)
        return;
    if (st->raised_day == ts / SPAM_DAY_US + 1)
        return; /* reported today: the alert's count grows instead */
    uint32_t f = spam_is_mailserver(s, ip) ? s->factor : 1;
    if (spam_servers(st) >= s->min_servers * f || st->sessions >= s->min_sessions * f ||
        st->recipients >= s->min_recipients * f) {
        st->phase = SPAM_PENDING;
        st->burst_us = ts;
        if (s->npending < SPAM_PENDING_MAX)
            s->pending[s->npending++] = *ip;
        else
            spam_report(s, ip, st);
    }
}

static void spam_report(struct det_spam *s, const struct ip_addr *ip, struct spam_state *st)
{
    if (st->phase != SPAM_PENDING)
        return;
    bool mailserver = spam_is_mailserver(s, ip);
    uint32_t f = mailserver ? s->factor : 1;
    struct alert a;
    alert_init(&a, "spam.burst", spam_critical(s, st, f) ? SEV_CRITICAL : SEV_HIGH,
               st->first_us ? st->first_us : st->win_start_us);
    a.last_ts_us = st->last_us;
    a.count = st->sessions ? st->sessions : 1;
    a.has_src = true;
    a.src = *ip;
    detect_alert_device_ip(s->d, &a, ip);
    if (mailserver)
        alert_fact_str(&a, "variant", "mailserver");
    alert_fact_int(&a, "servers", spam_servers(st));
    alert_fact_int(&a, "sessions", st->sessions);
    if (st->recipients) /* "for 0 recipients" says nothing: no RCPT was seen */
        alert_fact_int(&a, "recipients", st->recipients);
    alert_fact_int(&a, "messages", st->messages);
    uint64_t from = st->first_us ? st->first_us : st->win_start_us;
    alert_fact_int(&a, "window",
                   (long long)(st->last_us > from ? (st->last_us - from) / 1000000u : 0));
    char ports[32];
    size_t off = 0;
    static const char *const names[] = {"25", "465", "587", "2525"};
    ports[0] = 0;
    for (unsigned i = 0; i < 4; i++)
        if (st->ports & (1u << i))
            off += (size_t)snprintf(ports + off, sizeof(ports) - off, "%s%s", off ? ", " : "",
                                    names[i]);
    alert_fact_str(&a, "ports", ports);
    if (st->nmx) {
        char mx[SPAM_MX * (SPAM_MX_LEN + 2)];
        off = 0;
        mx[0] = 0;
        for (unsigned i = 0; i < st->nmx; i++) {
            int n = snprintf(mx + off, sizeof(mx) - off, "%s%s", i ? ", " : "", st->mx[i]);
            if (n < 0 || (size_t)n >= sizeof(mx) - off)
                break;
            off += (size_t)n;
        }
        alert_fact_str(&a, "mx", mx);
        alert_fact_int(&a, "mx_lookups", st->mx_lookups);
    }
    for (unsigned i = 0; i < st->nflows; i++)
        alert_add_flow(&a, st->flows[i]);
    char ipbuf[48], day[16];
    ip_addr_fmt(ip, ipbuf, sizeof(ipbuf));
    alert_date(a.ts_us, day);
    alert_set_key(&a, "spam.burst|%s|%s", ipbuf, day);
    detect_raise(s->d, &a);
    alert_release(&a);
    st->phase = SPAM_RAISED;
    st->raised_day = a.ts_us / SPAM_DAY_US + 1;
}

static void spam_flow_start(void *p, const struct flow *f)
{
    struct det_spam *s = p;
    if (f->proto != 6)
        return;
    int bit = spam_port_bit(f->dport);
    if (bit < 0)
        return;
    if (!detect_is_home(s->d, &f->src) || detect_is_home(s->d, &f->dst))
        return;
    uint64_t ts = f->first_ts_us;
    struct spam_state *st = spam_state(s, &f->src, ts);
    if (st->phase == SPAM_RAISED) {
        /* Already reported today: more sessions add to its count. */
        if (st->raised_day == ts / SPAM_DAY_US + 1) {
            struct alert a;
            char ipbuf[48], day[16];
            alert_init(&a, "spam.burst", SEV_HIGH, ts);
            ip_addr_fmt(&f->src, ipbuf, sizeof(ipbuf));
            alert_date((st->raised_day - 1) * SPAM_DAY_US, day);
            alert_set_key(&a, "spam.burst|%s|%s", ipbuf, day);
            alert_add_flow(&a, f->id);
            detect_raise(s->d, &a);
            alert_release(&a);
            return;
        }
        st->phase = SPAM_IDLE;
        st = spam_state(s, &f->src, ts);
    }
    if (!st->first_us)
        st->first_us = ts;
    st->last_us = MAX(st->last_us, ts);
    st->sessions++;
    st->ports |= (uint8_t)(1u << bit);
    spam_add_server(st, &f->dst);
    if (st->nflows < SPAM_FLOWS)
        st->flows[st->nflows++] = f->id;
    spam_check(s, &f->src, st, ts);
}

/* A LAN host that answered SMTP is a mail server. */
static void spam_flow(void *p, const struct flow *f)
{
    struct det_spam *s = p;
    if (f->proto != 6 || !f->synack_seen || f->data_bytes[1] == 0)
        return;
    if (f->dport != 25 && f->dport != 465 && f->dport != 587)
        return;
    if (!detect_is_home(s->d, &f->dst))
        return;
    uint8_t *v = track_get(s->servers, &f->dst, f->last_ts_us, NULL);
    *v = 1;
}

/* A name that looks like a mail exchanger: a label "mx" or starting with
 * "mx" followed by a digit, dash or dot, or a first label with "smtp" or
 * "mailin" in it (mx2.hotmail.com, a.mx.mail.yahoo.com, mailin-04.mx.aol.com,
 * hrndva-smtpin02.mail.rr.com). A bot resolves these (or asks for MX
 * records) before delivering; a PC resolves its one submission server. */
static bool spam_mx_like(const char *name)
{
    size_t n = strnlen(name, 256);
    size_t first = strcspn(name, ".");
    char lab[64];
    size_t ln = MIN(first, sizeof(lab) - 1);
    for (size_t i = 0; i < ln; i++)
        lab[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32 : name[i]);
    lab[ln] = 0;
    if (strstr(lab, "smtp") || strstr(lab, "mailin"))
        return true;
    for (size_t i = 0; i + 1 < n; i++) {
        if (i > 0 && name[i - 1] != '.')
            continue;
        if ((name[i] | 32) != 'm' || (name[i + 1] | 32) != 'x')
            continue;
        char c = i + 2 < n ? name[i + 2] : 0;
        if (c == '.' || c == '-' || c == 0 || (c >= '0' && c <= '9'))
            return true;
    }
    return false;
}

static void spam_app_event(void *p, const struct app_event *ev)
{
    struct det_spam *s = p;
    const struct flow *f = ev->f;
    if (!f || !ev->type)
        return;
    if (strcmp(ev->type, "smtp") == 0) {
        if (!detect_is_home(s->d, &f->src) || detect_is_home(s->d, &f->dst))
            return;
        const json_t *rc = ev->extra ? json_object_get(ev->extra, "rcpt_count") : NULL;
        json_int_t n = json_is_integer(rc) ? json_integer_value(rc) : 0;
        if (n <= 0)
            return;
        struct spam_state *st = spam_state(s, &f->src, ev->ts_us);
        if (st->phase == SPAM_RAISED)
            return;
        st->recipients += (uint32_t)MIN(n, 100000);
        const json_t *ds = json_object_get(ev->extra, "data_seen");
        if (json_is_true(ds))
            st->messages++;
        st->last_us = MAX(st->last_us, ev->ts_us);
        spam_check(s, &f->src, st, ev->ts_us);
        return;
    }
    if (strcmp(ev->type, "dns") != 0 || !ev->body || ev->dir != 0)
        return;
    const json_t *type = json_object_get(ev->body, "type");
    const json_t *rrtype = json_object_get(ev->body, "rrtype");
    const json_t *rrname = json_object_get(ev->body, "rrname");
    if (!json_is_string(type) || strcmp(json_string_value(type), "query") != 0 ||
        !json_is_string(rrtype) || !json_is_string(rrname))
        return;
    const char *qt = json_string_value(rrtype);
    bool mx = strcmp(qt, "MX") == 0;
    if (!mx && (strcmp(qt, "A") == 0 || strcmp(qt, "AAAA") == 0))
        mx = spam_mx_like(json_string_value(rrname));
    if (!mx)
        return;
    if (!detect_is_home(s->d, &f->src))
        return;
    struct spam_state *st = track_get(s->hosts, &f->src, ev->ts_us, NULL);
    if (st->phase == SPAM_RAISED)
        return;
    st->mx_lookups++;
    const char *name = json_string_value(rrname);
    for (unsigned i = 0; i < st->nmx; i++)
        if (strcmp(st->mx[i], name) == 0)
            return;
    if (st->nmx < SPAM_MX)
        snprintf(st->mx[st->nmx++], SPAM_MX_LEN, "%s", name);
}

static void spam_flush_pending(struct det_spam *s, uint64_t now_us, bool all)
{
    uint32_t keep = 0;
    for (uint32_t i = 0; i < s->npending; i++) {
        struct spam_state *st = track_find(s->hosts, &s->pending[i]);
        if (!st || st->phase != SPAM_PENDING)
            continue;
        if (all || now_us - MIN(now_us, st->last_us) >= SPAM_QUIET_US ||
            now_us - MIN(now_us, st->burst_us) >= SPAM_MAX_DELAY_US) {
            spam_report(s, &s->pending[i], st);
            continue;
        }
        s->pending[keep++] = s->pending[i];
    }
    s->npending = keep;
}

static void spam_tick(void *p, uint64_t now_us)
{
    struct det_spam *s = p;
    if (s->npending)
        spam_flush_pending(s, now_us, false);
    if (now_us - MIN(now_us, s->last_expire_us) >= 60ull * 1000000u) {
        s->last_expire_us = now_us;
        if (now_us > SPAM_IDLE_US)
            track_expire(s->hosts, now_us - SPAM_IDLE_US, spam_drop, s);
        /* Mail servers are remembered for a week of quiet. */
        if (now_us > 7 * SPAM_DAY_US)
            track_expire(s->servers, now_us - 7 * SPAM_DAY_US, NULL, NULL);
    }
}

static void spam_finish(void *p)
{
    spam_flush_pending(p, 0, true);
}

const struct detector_ops det_spam = {
    .name = "spam.burst",
    .params = spam_params,
    .create = spam_create,
    .reconfigure = spam_reconfigure,
    .destroy = spam_destroy,
    .flow_start = spam_flow_start,
    .flow = spam_flow,
    .app_event = spam_app_event,
    .tick = spam_tick,
    .finish = spam_finish,
};
