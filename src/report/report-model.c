/* report-model.c - the monthly report data model (docs/report.md).
 *
 * Reads one period of the store (and the period before it, for the
 * comparison) and builds the JSON model every renderer lays out: the overall
 * status and why, the three things to do, key numbers, every finding by
 * theme in plain words with its technical evidence kept apart, chart data,
 * device lists, a glossary of the terms used and what the sensor saw.
 * Every text is in the report's language; times are ISO-8601 on the local clock
 * (TZ) with their offset, and days, weeks and months are local ones.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "decode/decode.h"
#include "detect/explain.h"
#include "report/report-internal.h"
#include "store/store-inv.h"
#include "util/strbuf.h"
#include "util/netaddr.h"
#include "util/util.h"

#define DAY_US 86400000000ull

struct finding {
    int64_t id;
    char category[64], variant[48];
    int sev;
    uint32_t count;
    uint64_t first, last;
    char src[48], dst[48], mac[18], device[128];
    uint16_t dport;
    uint64_t flows[ALERT_MAX_FLOWS];
    unsigned nflows;
    json_t *facts;
    char title[512], what[2048], action[1024];
    const char *theme;
    enum report_todo_id todo;
};

struct flist {
    struct finding *v;
    size_t n, cap;
    enum ui_lang lang;
};

struct rm {
    const struct netset *home; /* report_home_extra */
    uint64_t baseline; /* devices first seen before this were there when monitoring began */
    sqlite3 *db;
    const struct report_opts *o;
    int ja;
    char *err;
    size_t errlen;
    struct flist cur, prev;
};

#define L(en, ja_) (r->ja ? (ja_) : (en))

/* Model times are instants on the local clock with their offset
 * ("2026-11-01T09:00:00+09:00"), so renderers show what the reader's clock
 * said and programs still get the exact instant. */
static void iso(uint64_t us, char out[32])
{
    fmt_iso_local(out, 32, us);
}

static json_t *jiso(uint64_t us)
{
    if (!us)
        return json_null();
    char b[32];
    iso(us, b);
    return json_string(b);
}

/* A string member that is never invalid JSON (bad UTF-8 becomes null). */
static void set_str(json_t *o, const char *key, const char *v)
{
    json_t *s = v ? json_string(v) : NULL;
    json_object_set_new(o, key, s ? s : json_null());
}

/* --- findings --- */

static int collect_one(void *arg, int64_t id, const struct alert *a)
{
    struct flist *l = arg;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
    }
    struct finding *f = &l->v[l->n++];
    memset(f, 0, sizeof(*f));
    f->id = id;
    snprintf(f->category, sizeof(f->category), "%s", a->category);
    const char *variant = json_string_value(json_object_get(a->facts, "variant"));
    snprintf(f->variant, sizeof(f->variant), "%s", variant ? variant : "");
    f->sev = a->severity < SEV_MAX ? a->severity : SEV_CRITICAL;
    f->count = a->count;
    f->first = a->ts_us;
    f->last = a->last_ts_us;
    if (a->has_src)
        ip_addr_fmt(&a->src, f->src, sizeof(f->src));
    if (a->has_dst)
        ip_addr_fmt(&a->dst, f->dst, sizeof(f->dst));
    if (a->has_mac)
        mac_fmt(a->mac, f->mac);
    snprintf(f->device, sizeof(f->device), "%s", a->device);
    f->dport = a->dport;
    f->nflows = a->nflows;
    memcpy(f->flows, a->flow_ids, sizeof(f->flows));
    f->facts = json_deep_copy(a->facts);
    explain_render(a, EXPLAIN_TITLE, l->lang, f->title, sizeof(f->title));
    explain_render(a, EXPLAIN_TEXT, l->lang, f->what, sizeof(f->what));
    explain_render(a, EXPLAIN_ACTION, l->lang, f->action, sizeof(f->action));
    f->theme = report_theme_of(f->category, variant);
    f->todo = report_todo_of(f->category, variant, f->sev);
    return 0;
}

static int collect(sqlite3 *db, uint64_t since, uint64_t until, struct flist *l)
{
    struct alert_query q = {.since_us = since ? since : 1, .until_us = until};
    return store_alerts_each(db, &q, collect_one, l);
}

static void flist_free(struct flist *l)
{
    for (size_t i = 0; i < l->n; i++)
        json_decref(l->v[i].facts);
    free(l->v);
}

/* The name a person knows a device by: the known-device list, else the
 * name the alert recorded, else its address. */
static const char *device_label(const struct rm *r, const struct finding *f)
{
    uint8_t mac[6];
    const struct known_device *k;
    if (r->o->known && f->mac[0] && mac_parse(f->mac, mac) == 0 &&
        (k = known_find(r->o->known, mac)) && k->name[0])
        return k->name;
    if (f->device[0])
        return f->device;
    if (f->src[0] && report_ip_local(r->home, f->src))
        return f->src;
    if (f->mac[0])
        return f->mac;
    if (f->dst[0] && report_ip_local(r->home, f->dst))
        return f->dst;
    return f->src[0] ? f->src : L("a device", "ある機器");
}

/* --- counts --- */

struct counts {
    long long new_devices, serious, outside, mail;
};

/* Devices first seen in [since, until), not counting the ones there when
 * monitoring began (the same rule as the "new" device list). */
static long long count_new_devices(struct rm *r, uint64_t since, uint64_t until)
{
    sqlite3_stmt *s = NULL;
    long long n = 0;
    if (sqlite3_prepare_v2(r->db,
                           "SELECT count(*) FROM devices WHERE first_ts >= ?1 AND first_ts < ?2"
                           " AND first_ts >= ?3",
                           -1, &s, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(s, 1, (sqlite3_int64)since);
        sqlite3_bind_int64(s, 2, (sqlite3_int64)until);
        sqlite3_bind_int64(s, 3, (sqlite3_int64)r->baseline);
        if (sqlite3_step(s) == SQLITE_ROW)
            n = sqlite3_column_int64(s, 0);
    }
    sqlite3_finalize(s);
    return n;
}

static void count_findings(const struct flist *l, struct counts *c)
{
    for (size_t i = 0; i < l->n; i++) {
        const struct finding *f = &l->v[i];
        if (f->sev >= SEV_HIGH)
            c->serious++;
        if (strcmp(f->theme, "outside") == 0)
            c->outside++;
        if (strncmp(f->category, "spam.", 5) == 0 || strncmp(f->category, "mail.", 5) == 0)
            c->mail++;
    }
}

static void add_count(json_t *arr, const char *id, const char *label, long long v, long long prev)
{
    json_array_append_new(arr, json_pack("{s:s,s:s,s:I,s:I}", "id", id, "label", label, "value",
                                         (json_int_t)v, "previous", (json_int_t)prev));
}

static json_t *build_counts(struct rm *r)
{
    struct counts c = {0}, p = {0};
    count_findings(&r->cur, &c);
    count_findings(&r->prev, &p);
    c.new_devices = count_new_devices(r, r->o->since_us, r->o->until_us);
    if (r->o->prev_until_us > r->o->prev_since_us)
        p.new_devices = count_new_devices(r, r->o->prev_since_us, r->o->prev_until_us);
    json_t *arr = json_array();
    add_count(arr, "new_devices", L("New devices", "新しい機器"), c.new_devices, p.new_devices);
    add_count(arr, "serious_findings", L("Serious findings", "重大な検知"), c.serious, p.serious);
    add_count(arr, "outside_attacks", L("Attacks from outside", "外部からの攻撃"), c.outside,
              p.outside);
    add_count(arr, "mail_threats", L("Mail-borne threats", "メールによる脅威"), c.mail, p.mail);
    return arr;
}

/* --- things to do --- */

struct todo {
    enum report_todo_id kind;
    int sev;
    const struct finding *top; /* the most severe (then latest) finding */
    char device[128];
    json_t *ids;
    json_t *devices; /* distinct device labels */
};

static const char *urgency_of(int sev)
{
    return sev >= SEV_HIGH ? "now" : sev == SEV_MEDIUM ? "this_week" : "this_month";
}

/* Replaces {device} and {n} in tpl. */
static void todo_title(const char *tpl, const char *device, long long n, char *out, size_t len)
{
    size_t o = 0;
    out[0] = 0;
    for (const char *p = tpl; *p && o + 1 < len;) {
        char buf[160];
        const char *put = NULL;
        size_t skip = 1;
        if (strncmp(p, "{device}", 8) == 0) {
            put = device;
            skip = 8;
        } else if (strncmp(p, "{n}", 3) == 0) {
            snprintf(buf, sizeof(buf), "%lld", n);
            put = buf;
            skip = 3;
        }
        if (put) {
            int w = snprintf(out + o, len - o, "%s", put);
            o = w < 0 ? o : MIN(len - 1, o + (size_t)w);
        } else {
            out[o++] = *p;
            out[o] = 0;
        }
        p += skip;
    }
}

static int todo_cmp(const void *a, const void *b)
{
    const struct todo *x = a, *y = b;
    if (x->sev != y->sev)
        return y->sev - x->sev;
    if (x->kind != y->kind)
        return (int)x->kind - (int)y->kind;
    size_t nx = json_array_size(x->ids), ny = json_array_size(y->ids);
    if (nx != ny)
        return nx > ny ? -1 : 1;
    return x->top && y->top ? (x->top->id < y->top->id ? -1 : x->top->id > y->top->id) : 0;
}

/* Severity a sensor outage counts as when it competes with findings: a
 * month half unwatched matters more than a low finding. */
static int gap_severity(double coverage)
{
    return coverage < 50 ? SEV_HIGH : SEV_MEDIUM;
}

static json_t *build_todo(struct rm *r, double coverage, int nodata)
{
    struct todo *t = xcalloc(r->cur.n + 2, sizeof(*t));
    size_t nt = 0;
    for (size_t i = 0; i < r->cur.n; i++) {
        const struct finding *f = &r->cur.v[i];
        if (f->sev < SEV_LOW)
            continue;
        const struct report_todo_kind *k = &report_todo_kinds[f->todo];
        const char *dev = device_label(r, f);
        size_t j;
        for (j = 0; j < nt; j++)
            if (t[j].kind == f->todo && (k->aggregate || strcmp(t[j].device, dev) == 0))
                break;
        if (j == nt) {
            t[nt].kind = f->todo;
            t[nt].sev = -1;
            snprintf(t[nt].device, sizeof(t[nt].device), "%s", dev);
            t[nt].ids = json_array();
            t[nt].devices = json_object();
            nt++;
        }
        struct todo *g = &t[j];
        json_array_append_new(g->ids, json_integer(f->id));
        json_object_set_new(g->devices, dev, json_true());
        if (f->sev > g->sev || (f->sev == g->sev && g->top && f->last >= g->top->last)) {
            g->sev = f->sev;
            g->top = f;
        }
    }
    if (nodata) {
        t[nt++] = (struct todo){.kind = TODO_NODATA, .sev = SEV_HIGH, .ids = json_array()};
    } else if (coverage < 90.0) {
        t[nt++] = (struct todo){.kind = TODO_SENSOR, .sev = gap_severity(coverage),
                                .ids = json_array()};
    }
    qsort(t, nt, sizeof(*t), todo_cmp);
    json_t *arr = json_array();
    for (size_t i = 0; i < nt; i++) {
        if (i < 3) {
            const struct report_todo_kind *k = &report_todo_kinds[t[i].kind];
            char title[512];
            long long n = t[i].devices ? (long long)json_object_size(t[i].devices) : 0;
            todo_title(k->title[r->ja], t[i].device, n, title, sizeof(title));
            char *plural = strstr(title, "device(s)");
            if (plural) { /* English only: "1 unknown device", "2 unknown devices" */
                size_t keep = n == 1 ? 6 : 7;
                plural[6] = 's';
                memmove(plural + keep, plural + 9, strlen(plural + 9) + 1);
            }
            json_t *o = json_object();
            set_str(o, "title", title);
            set_str(o, "why", k->why[r->ja]);
            char seen[1024] = "";
            if (k->aggregate && n > 1) { /* the devices concerned, by name */
                const char *dn;
                json_t *dv;
                size_t shown = 0, used = 0;
                json_object_foreach(t[i].devices, dn, dv) {
                    if (shown == 6) {
                        snprintf(seen + used, sizeof(seen) - used, "%s", L(", ...", "、ほか"));
                        break;
                    }
                    int w = snprintf(seen + used, sizeof(seen) - used, "%s%s",
                                     shown ? L(", ", "、") : "", dn);
                    if (w < 0 || (size_t)w >= sizeof(seen) - used)
                        break;
                    used += (size_t)w;
                    shown++;
                }
            } else if (t[i].top) {
                snprintf(seen, sizeof(seen), "%s", t[i].top->title);
            }
            set_str(o, "seen", seen);
            set_str(o, "how", k->how[r->ja] && n > 1 ? k->how[r->ja]
                              : t[i].top             ? t[i].top->action
                                                     : k->why[r->ja]);
            if (!t[i].top && t[i].kind == TODO_SENSOR)
                set_str(o, "how", L("Check that the sensor's power and network cables are "
                                    "plugged in and that it is not switched off at night or "
                                    "at weekends; the gaps are listed at the end of this report.",
                                    "センサーの電源ケーブルと LAN ケーブルが抜けていないか、夜間や"
                                    "週末に電源を切っていないかを確認してください。止まっていた"
                                    "期間は報告書の最後に載っています。"));
            if (!t[i].top && t[i].kind == TODO_NODATA)
                set_str(o, "how", L("Check that the sensor is powered on and its network cable "
                                    "goes to the switch's mirror port; 'mamori status' shows "
                                    "whether it is capturing.",
                                    "センサーの電源が入っていて、LAN ケーブルがスイッチのミラー"
                                    "ポートにつながっているか確認してください。'mamori status' "
                                    "で記録中かどうかがわかります。"));
            json_object_set_new(o, "urgency", json_string(urgency_of(t[i].sev)));
            json_object_set_new(o, "kind", json_string(k->id));
            json_object_set_new(o, "severity", json_string(report_severity_names[t[i].sev]));
            json_object_set(o, "alert_ids", t[i].ids);
            json_array_append_new(arr, o);
        }
        json_decref(t[i].ids);
        json_decref(t[i].devices);
    }
    free(t);
    return arr;
}

/* --- themes --- */

static int finding_cmp(const void *a, const void *b)
{
    const struct finding *const *x = a, *const *y = b;
    if ((*x)->sev != (*y)->sev)
        return (*y)->sev - (*x)->sev;
    if ((*x)->first != (*y)->first)
        return (*x)->first < (*y)->first ? -1 : 1;
    return (*x)->id < (*y)->id ? -1 : (*x)->id > (*y)->id;
}

static json_t *finding_json(struct rm *r, const struct finding *f)
{
    json_t *o = json_object();
    json_object_set_new(o, "alert_id", json_integer(f->id));
    set_str(o, "category", f->category);
    json_object_set_new(o, "severity", json_string(report_severity_names[f->sev]));
    set_str(o, "severity_label", report_severity_labels[f->sev][r->ja]);
    set_str(o, "title", f->title);
    set_str(o, "what", f->what);
    set_str(o, "why", report_todo_kinds[f->todo].why[r->ja]);
    set_str(o, "action", f->action);
    json_object_set_new(o, "urgency", json_string(urgency_of(f->sev)));
    json_object_set_new(o, "count", json_integer(f->count));
    json_object_set_new(o, "first", jiso(f->first));
    json_object_set_new(o, "last", jiso(f->last));
    set_str(o, "device", f->mac[0] ? f->mac : NULL);
    set_str(o, "device_name", device_label(r, f));
    json_t *ev = json_object();
    set_str(ev, "src_ip", f->src[0] ? f->src : NULL);
    set_str(ev, "dest_ip", f->dst[0] ? f->dst : NULL);
    json_object_set_new(ev, "dest_port", f->dport ? json_integer(f->dport) : json_null());
    json_t *ids = json_array();
    for (unsigned i = 0; i < f->nflows; i++)
        json_array_append_new(ids, json_integer((json_int_t)f->flows[i]));
    json_object_set_new(ev, "flow_ids", ids);
    json_object_set(ev, "facts", f->facts ? f->facts : json_object());
    if (!f->facts)
        json_object_set_new(ev, "facts", json_object());
    json_object_set_new(o, "evidence", ev);
    return o;
}

/* New-device alerts become one card per group instead of one card each:
 * those of devices already there when monitoring began (the sensor met them
 * on its first day: the starting point, not newcomers, and the "New devices"
 * count leaves them out too), and, in a month with many newcomers, the
 * ordinary (low) ones. The to-do to register the unknown ones still comes
 * from the single alerts. */
enum dev_group { DG_NONE, DG_BASELINE, DG_NEW };
#define DG_NEW_MIN 4 /* fewer new devices keep a card each */

/* A low "new device" alert after the first day: one of many in a busy month. */
static bool is_ordinary_new(const struct rm *r, const struct finding *f)
{
    return strcmp(f->category, "device.new") == 0 && f->first >= r->baseline &&
           f->sev <= SEV_LOW;
}

static enum dev_group dev_group_of(const struct rm *r, const struct finding *f, size_t nnew)
{
    if (strcmp(f->category, "device.new") == 0 && f->first < r->baseline)
        return DG_BASELINE;
    return nnew >= DG_NEW_MIN && is_ordinary_new(r, f) ? DG_NEW : DG_NONE;
}

static void dev_group_text(struct rm *r, enum dev_group g, unsigned count, const char *names,
                           char *title, size_t tlen, char *what, size_t wlen)
{
    if (g == DG_BASELINE) {
        snprintf(title, tlen,
                 L("Devices found when monitoring began: %u", "監視を始めたときにあった機器: %u 台"),
                 count);
        snprintf(what, wlen,
                 L("When the sensor started watching, these devices were already on the "
                   "network: %s. They are not newcomers but the starting point: from now on, a "
                   "device that joins later is reported as new.",
                   "センサーが見張りを始めたとき、次の機器がすでにネットワークにありました: %s。"
                   "新しく来た機器ではなく、これが出発点です。これから後に加わった機器は"
                   "「新しい機器」として報告します。"),
                 names);
        return;
    }
    snprintf(title, tlen,
             L("New devices on the network: %u", "新しくネットワークに加わった機器: %u 台"), count);
    snprintf(what, wlen,
             L("These devices joined the network in this period and are not on your known-device "
               "list: %s. Most new devices are a new PC, a visitor's phone or a replacement "
               "printer, but an unknown device is also how an infected private laptop gets in.",
               "この期間に次の機器がネットワークに加わりました。いずれも登録済みの機器の一覧に"
               "ありません: %s。多くは新しいパソコンや来客のスマートフォン、入れ替えたプリンター"
               "ですが、ウイルスに感染した私物のパソコンが入り込むのもこの形です。"),
             names);
}

static json_t *dev_group_json(struct rm *r, enum dev_group g, const struct finding **sorted,
                              size_t n, size_t nnew)
{
    struct strbuf names = {0};
    json_t *ids = json_array(), *devs = json_array();
    const struct finding *first = NULL, *last = NULL;
    unsigned count = 0;
    int sev = SEV_INFO;
    for (size_t i = 0; i < n; i++) {
        const struct finding *f = sorted[i];
        if (dev_group_of(r, f, nnew) != g)
            continue;
        if (!first || f->first < first->first)
            first = f;
        if (!last || f->last > last->last)
            last = f;
        sev = f->sev > sev ? f->sev : sev;
        const char *name = device_label(r, f);
        if (count < 12)
            sb_printf(&names, "%s%s", count ? L(", ", "、") : "", name);
        count++;
        json_array_append_new(ids, json_integer(f->id));
        json_t *js = json_string(name);
        json_array_append_new(devs, js ? js : json_null());
    }
    if (count > 12)
        sb_printf(&names, L(" and %u more", " ほか %u 台"), count - 12);
    char title[256], what[4096];
    dev_group_text(r, g, count, names.s ? names.s : "", title, sizeof(title), what, sizeof(what));
    sb_free(&names);
    json_t *o = json_object();
    json_object_set_new(o, "alert_id", json_null());
    set_str(o, "category", g == DG_BASELINE ? "device.baseline" : "device.new_group");
    json_object_set_new(o, "severity", json_string(report_severity_names[sev]));
    set_str(o, "severity_label", report_severity_labels[sev][r->ja]);
    set_str(o, "title", title);
    set_str(o, "what", what);
    set_str(o, "why", report_todo_kinds[TODO_UNKNOWN].why[r->ja]);
    set_str(o, "action",
            L("Look through the device lists at the end of this report and register your "
              "company's own with 'mamori devices approve MAC --name NAME --owner OWNER'. "
              "Unplug any that nobody recognises and have it checked.",
              "この報告書の最後にある機器の一覧を確認し、自社の機器は "
              "'mamori devices approve MAC --name 名前 --owner 使用者' で登録してください。"
              "誰のものかわからない機器は LAN から外し、点検してから戻してください。"));
    json_object_set_new(o, "urgency", json_string(urgency_of(sev)));
    json_object_set_new(o, "count", json_integer(count));
    json_object_set_new(o, "first", jiso(first ? first->first : 0));
    json_object_set_new(o, "last", jiso(last ? last->last : 0));
    json_object_set_new(o, "device", json_null());
    json_object_set_new(o, "device_name", json_null());
    json_object_set_new(o, "evidence",
                        json_pack("{s:n,s:n,s:n,s:[],s:{s:o,s:o}}", "src_ip", "dest_ip",
                                  "dest_port", "flow_ids", "facts", "alert_ids", ids, "devices",
                                  devs));
    return o;
}

static json_t *build_themes(struct rm *r)
{
    const struct finding **sorted = xcalloc(r->cur.n + 1, sizeof(*sorted));
    size_t nnew = 0;
    for (size_t i = 0; i < r->cur.n; i++) {
        sorted[i] = &r->cur.v[i];
        nnew += is_ordinary_new(r, sorted[i]);
    }
    qsort(sorted, r->cur.n, sizeof(*sorted), finding_cmp);
    json_t *arr = json_array();
    for (size_t t = 0; t < REPORT_NTHEMES; t++) {
        const struct report_theme *th = &report_themes[t];
        json_t *fs = json_array();
        bool done[3] = {false, false, false};
        for (size_t i = 0; i < r->cur.n; i++) {
            if (strcmp(sorted[i]->theme, th->id) != 0)
                continue;
            enum dev_group g = dev_group_of(r, sorted[i], nnew);
            if (g == DG_NONE)
                json_array_append_new(fs, finding_json(r, sorted[i]));
            else if (!done[g]) {
                done[g] = true;
                json_array_append_new(fs, dev_group_json(r, g, sorted, r->cur.n, nnew));
            }
        }
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:o}", "id", th->id, "title",
                                             th->title[r->ja], "intro", th->intro[r->ja],
                                             "findings", fs));
    }
    free(sorted);
    return arr;
}

/* --- findings per week (ISO weeks, Monday first) --- */

static json_t *build_weeks(struct rm *r)
{
    json_t *arr = json_array();
    uint64_t since = r->o->since_us, until = r->o->until_us;
    /* The local Monday on or before since; weeks are local calendar weeks. */
    time_t st = (time_t)(since / 1000000);
    struct tm stm;
    localtime_r(&st, &stm);
    uint64_t monday = local_add_days(local_day_start(since), -((stm.tm_wday + 6) % 7));
    for (uint64_t w = monday, next; w < until; w = next) {
        next = local_add_days(w, 7);
        if (next <= w)
            break;
        long long n[5] = {0};
        for (size_t i = 0; i < r->cur.n; i++) {
            const struct finding *f = &r->cur.v[i];
            uint64_t at = f->first < since ? since : f->first;
            if (at >= w && at < next)
                n[f->sev]++;
        }
        char week[16], start[16];
        time_t mt = (time_t)(w / 1000000);
        struct tm mtm;
        localtime_r(&mt, &mtm);
        strftime(week, sizeof(week), "%G-W%V", &mtm);
        fmt_date_local(start, sizeof(start), w < since ? since : w);
        json_array_append_new(arr, json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I}", "week", week,
                                             "start", start, "info", (json_int_t)n[0], "low",
                                             (json_int_t)n[1], "medium", (json_int_t)n[2], "high",
                                             (json_int_t)n[3], "critical", (json_int_t)n[4]));
    }
    return arr;
}

/* --- devices --- */

static const struct known_device *known_of(struct rm *r, const char *mac)
{
    uint8_t m[6];
    if (!r->o->known || mac_parse(mac, m) < 0)
        return NULL;
    const struct known_device *k = known_find(r->o->known, m);
    if (k)
        return k;
    /* The device's other (private) MACs may be the ones on the list. */
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(r->db, "SELECT mac FROM device_macs WHERE device = ?1", -1, &s,
                           NULL) == SQLITE_OK) {
        sqlite3_bind_text(s, 1, mac, -1, SQLITE_STATIC);
        while (!k && sqlite3_step(s) == SQLITE_ROW) {
            const char *other = (const char *)sqlite3_column_text(s, 0);
            if (other && mac_parse(other, m) == 0)
                k = known_find(r->o->known, m);
        }
    }
    sqlite3_finalize(s);
    return k;
}

static json_t *device_json(struct rm *r, sqlite3_stmt *s, const char *note)
{
    const char *mac = (const char *)sqlite3_column_text(s, 0);
    const struct known_device *k = known_of(r, mac);
    json_t *d = json_object();
    set_str(d, "mac", mac);
    set_str(d, "name", k && k->name[0] ? k->name : (const char *)sqlite3_column_text(s, 2));
    set_str(d, "owner", k && k->owner[0] ? k->owner : NULL);
    set_str(d, "vendor", (const char *)sqlite3_column_text(s, 1));
    set_str(d, "ip", (const char *)sqlite3_column_text(s, 6));
    set_str(d, "os", (const char *)sqlite3_column_text(s, 3));
    json_object_set_new(d, "first_seen", jiso((uint64_t)sqlite3_column_int64(s, 4)));
    json_object_set_new(d, "last_seen", jiso((uint64_t)sqlite3_column_int64(s, 5)));
    set_str(d, "note", note && *note ? note : k && k->note[0] ? k->note : NULL);
    json_object_set_new(d, "known", json_boolean(k != NULL));
    return d;
}

#define DEV_COLS                                                                                   \
    "d.mac, d.vendor, d.hostname, d.os, d.first_ts, d.last_ts,"                                    \
    " (SELECT ip FROM device_ips i WHERE i.device = d.mac ORDER BY i.last_ts DESC LIMIT 1)"

static int build_devices(struct rm *r, json_t *model)
{
    const struct report_opts *o = r->o;
    json_t *nw = json_array(), *unk = json_array(), *ret = json_array(), *old = json_array();
    json_t *devs = json_pack("{s:o,s:o,s:o,s:o,s:b}", "new", nw, "unknown", unk, "returned", ret,
                             "outdated", old, "known_list", o->known && o->known->n > 0);
    json_object_set_new(model, "devices", devs);
    uint64_t baseline = r->baseline;
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(r->db,
                           "SELECT " DEV_COLS " FROM devices d WHERE d.last_ts >= ?1"
                           " AND d.first_ts < ?2 ORDER BY d.first_ts, d.mac",
                           -1, &s, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(s, 1, (sqlite3_int64)o->since_us);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)o->until_us);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        uint64_t first = (uint64_t)sqlite3_column_int64(s, 4);
        json_t *d = device_json(r, s, NULL);
        if (first >= o->since_us && first >= baseline)
            json_array_append(nw, d);
        if (!json_is_true(json_object_get(d, "known")))
            json_array_append(unk, d);
        json_decref(d);
    }
    if (rc != SQLITE_DONE)
        goto fail;
    sqlite3_finalize(s);
    /* Returned: the device.returned findings of the period. */
    if (sqlite3_prepare_v2(r->db, "SELECT " DEV_COLS " FROM devices d WHERE d.mac = ?1", -1, &s,
                           NULL) != SQLITE_OK)
        goto fail;
    for (size_t i = 0; i < r->cur.n; i++) {
        const struct finding *f = &r->cur.v[i];
        if (strcmp(f->category, "device.returned") != 0 || !f->mac[0])
            continue;
        sqlite3_reset(s);
        sqlite3_bind_text(s, 1, f->mac, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(s) == SQLITE_ROW) {
            json_int_t days = json_integer_value(json_object_get(f->facts, "days"));
            char note[128] = "";
            if (days > 0)
                snprintf(note, sizeof(note), L("away for %lld days", "%lld 日ぶり"),
                         (long long)days);
            json_array_append_new(ret, device_json(r, s, note));
        }
    }
    sqlite3_finalize(s);
    /* Outdated: what the evidence says is past its support. */
    if (sqlite3_prepare_v2(r->db,
                           "SELECT " DEV_COLS ", (SELECT group_concat(legacy, ', ') FROM"
                           " (SELECT DISTINCT legacy FROM device_evidence e WHERE e.device = d.mac"
                           " AND e.legacy IS NOT NULL AND e.legacy <> '' AND e.last_ts >= ?1"
                           " AND e.first_ts < ?2 ORDER BY legacy)) AS old"
                           " FROM devices d WHERE d.last_ts >= ?1 AND d.first_ts < ?2"
                           " AND old IS NOT NULL ORDER BY d.mac",
                           -1, &s, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(s, 1, (sqlite3_int64)o->since_us);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)o->until_us);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        json_array_append_new(old, device_json(r, s, (const char *)sqlite3_column_text(s, 7)));
    if (rc != SQLITE_DONE)
        goto fail;
    sqlite3_finalize(s);
    return 0;
fail:
    snprintf(r->err, r->errlen, "cannot read devices: %s", sqlite3_errmsg(r->db));
    sqlite3_finalize(s);
    return -1;
}

/* --- status --- */

static json_t *build_status(struct rm *r, double coverage, int nodata)
{
    const struct finding *top = NULL;
    int nattn = 0;
    for (size_t i = 0; i < r->cur.n; i++) {
        const struct finding *f = &r->cur.v[i];
        if (f->sev >= SEV_MEDIUM)
            nattn++;
        if (!top || f->sev > top->sev || (f->sev == top->sev && f->last > top->last))
            top = f;
    }
    const char *level;
    char why[1024];
    int inside_high = top && top->sev >= SEV_HIGH && strcmp(top->theme, "outside") != 0;
    if (top && (top->sev >= SEV_CRITICAL || inside_high)) {
        level = "red";
        snprintf(why, sizeof(why),
                 L("Something serious needs action today: %s.",
                   "今すぐ対応が必要な重大な問題があります: %s。"),
                 top->title);
    } else if (nodata) {
        level = "amber";
        snprintf(why, sizeof(why), "%s",
                 L("The sensor recorded nothing in this period, so this report cannot say "
                   "whether the network was safe.",
                   "この期間、センサーは何も記録していないため、ネットワークが安全だったかどうか"
                   "はこの報告書ではわかりません。"));
    } else if (nattn) {
        level = "amber";
        snprintf(why, sizeof(why),
                 L("%d finding(s) need attention; the most important: %s.",
                   "対応が必要な検知が %d 件あります。最も重要なもの: %s。"),
                 nattn, top->title);
    } else if (coverage < 90.0) {
        level = "amber";
        snprintf(why, sizeof(why),
                 L("Nothing serious was seen, but the sensor watched only %.0f%% of the period, "
                   "so part of it is unknown.",
                   "重大な問題は見つかりませんでしたが、センサーが監視できたのは期間の %.0f%% "
                   "だけで、残りの期間の状況はわかりません。"),
                 coverage);
    } else {
        level = "green";
        snprintf(why, sizeof(why),
                 L("No serious problems were seen, and the sensor watched %.0f%% of the period.",
                   "重大な問題は見つからず、センサーは期間の %.0f%% を監視できました。"),
                 coverage);
    }
    json_t *o = json_object();
    json_object_set_new(o, "level", json_string(level));
    set_str(o, "reason", why);
    char lab[32];
    snprintf(lab, sizeof(lab), "status_%s", level);
    for (const struct report_label *l = report_labels; l->id; l++)
        if (strcmp(l->id, lab) == 0)
            set_str(o, "label", l->text[r->ja]);
    return o;
}

/* --- glossary --- */

static int term_used(struct rm *r, const struct report_term *t, json_t *model)
{
    if (t->trigger) {
        size_t n = strlen(t->trigger);
        for (size_t i = 0; i < r->cur.n; i++) {
            char cv[128];
            snprintf(cv, sizeof(cv), "%s/%s", r->cur.v[i].category, r->cur.v[i].variant);
            if (strncmp(cv, t->trigger, n) == 0)
                return 1;
        }
        return 0;
    }
    json_t *devs = json_object_get(model, "devices");
    if (strcmp(t->id, "sensor") == 0)
        return 1;
    if (strcmp(t->id, "ip") == 0 || strcmp(t->id, "flow") == 0) {
        for (size_t i = 0; i < r->cur.n; i++)
            if (t->id[0] == 'i' ? (r->cur.v[i].src[0] || r->cur.v[i].dst[0])
                                : r->cur.v[i].nflows > 0)
                return 1;
        return 0;
    }
    if (strcmp(t->id, "mac") == 0) {
        const char *k;
        json_t *v;
        json_object_foreach(devs, k, v) if (json_array_size(v)) return 1;
        return 0;
    }
    if (strcmp(t->id, "known") == 0)
        return json_array_size(json_object_get(devs, "unknown")) > 0;
    if (strcmp(t->id, "country") == 0)
        return json_array_size(json_object_get(
                   json_object_get(json_object_get(model, "charts"), "inbound_by_country"),
                   "rows")) > 0;
    return 0;
}

static json_t *build_glossary(struct rm *r, json_t *model)
{
    json_t *arr = json_array();
    for (const struct report_term *t = report_terms; t->id; t++)
        if (term_used(r, t, model))
            json_array_append_new(arr, json_pack("{s:s,s:s,s:s}", "id", t->id, "term",
                                                 t->term[r->ja], "text", t->text[r->ja]));
    return arr;
}

/* --- periods --- */

static void period_label(int ja, uint64_t since, uint64_t until, char *out, size_t len)
{
    static const char *const months[] = {"January", "February", "March",     "April",
                                         "May",     "June",     "July",      "August",
                                         "September", "October", "November", "December"};
    time_t a = (time_t)(since / 1000000), b = (time_t)((until - 1) / 1000000);
    struct tm ta, tb, tn;
    localtime_r(&a, &ta);
    localtime_r(&b, &tb);
    time_t n = (time_t)(until / 1000000);
    localtime_r(&n, &tn);
    int whole_month = local_day_start(since) == since && local_day_start(until) == until &&
                      ta.tm_mday == 1 &&
                      tn.tm_mday == 1 && (ta.tm_year * 12 + ta.tm_mon + 1 == tn.tm_year * 12 + tn.tm_mon);
    if (whole_month && ja)
        snprintf(out, len, "%d年%d月", ta.tm_year + 1900, ta.tm_mon + 1);
    else if (whole_month)
        snprintf(out, len, "%s %d", months[ta.tm_mon], ta.tm_year + 1900);
    else if (ja)
        snprintf(out, len, "%d年%d月%d日〜%d年%d月%d日", ta.tm_year + 1900, ta.tm_mon + 1,
                 ta.tm_mday, tb.tm_year + 1900, tb.tm_mon + 1, tb.tm_mday);
    else
        snprintf(out, len, "%d %.3s %d – %d %.3s %d", ta.tm_mday, months[ta.tm_mon],
                 ta.tm_year + 1900, tb.tm_mday, months[tb.tm_mon], tb.tm_year + 1900);
}

static json_t *period_json(int ja, uint64_t since, uint64_t until, const char *label)
{
    char lab[128];
    if (label && *label)
        snprintf(lab, sizeof(lab), "%s", label);
    else if (until > since)
        period_label(ja, since, until, lab, sizeof(lab));
    else /* no previous period (the report starts at the epoch) */
        lab[0] = 0;
    json_t *o = json_object();
    char a[32], b[32];
    iso(since, a);
    iso(until, b);
    set_str(o, "since", a);
    set_str(o, "until", b);
    set_str(o, "label", lab);
    return o;
}

int report_month_range(const char *ym, uint64_t *since, uint64_t *until, uint64_t *prev_since,
                       uint64_t *prev_until)
{
    int y, m;
    char extra;
    if (!ym || strlen(ym) != 7 || ym[4] != '-' || sscanf(ym, "%4d-%2d%c", &y, &m, &extra) != 2 ||
        y < 1970 || y > 9999 || m < 1 || m > 12)
        return -1;
    for (int i = 0; i < 7; i++)
        if (i != 4 && (ym[i] < '0' || ym[i] > '9'))
            return -1;
    /* Months on the local clock: a Japanese firm's November starts at 00:00 JST. */
    int64_t a = local_month_start(y, m);
    int64_t b = local_month_start(y + (m == 12), m % 12 + 1);
    int64_t p = local_month_start(y - (m == 1), (m + 10) % 12 + 1);
    if (a < 0 || b <= a)
        return -1;
    *since = (uint64_t)a * 1000000ull;
    *until = (uint64_t)b * 1000000ull;
    *prev_until = *since;
    *prev_since = p > 0 ? (uint64_t)p * 1000000ull : 0;
    return 0;
}

/* --- the model --- */

static json_t *build_labels(int ja)
{
    json_t *o = json_object();
    for (const struct report_label *l = report_labels; l->id; l++)
        json_object_set_new(o, l->id, json_string(l->text[ja]));
    return o;
}

json_t *report_model_build(sqlite3 *db, const struct report_opts *o, char *err, size_t errlen)
{
    struct rm r = {.db = db, .o = o, .ja = o->lang == LANG_JA, .err = err, .errlen = errlen};
    r.cur.lang = r.prev.lang = o->lang;
    r.home = report_home_extra(o);
    if (o->until_us <= o->since_us) {
        snprintf(err, errlen, "the period is empty");
        return NULL;
    }
    if (collect(db, o->since_us, o->until_us, &r.cur) < 0 ||
        (o->prev_until_us > o->prev_since_us &&
         collect(db, o->prev_since_us, o->prev_until_us, &r.prev) < 0)) {
        snprintf(err, errlen, "cannot read alerts: %s", sqlite3_errmsg(db));
        flist_free(&r.cur);
        flist_free(&r.prev);
        return NULL;
    }
    /* Devices present when monitoring began are the baseline, not new: the
     * first day of the first run is when the sensor met them. */
    sqlite3_stmt *bs = NULL;
    if (sqlite3_prepare_v2(db, "SELECT min(first_ts) FROM runs", -1, &bs, NULL) == SQLITE_OK &&
        sqlite3_step(bs) == SQLITE_ROW && sqlite3_column_type(bs, 0) != SQLITE_NULL)
        r.baseline = (uint64_t)sqlite3_column_int64(bs, 0) + DAY_US;
    sqlite3_finalize(bs);
    json_t *m = json_object();
    json_object_set_new(m, "version", json_integer(REPORT_MODEL_VERSION));
    json_object_set_new(m, "lang", json_string(r.ja ? "ja" : "en"));
    set_str(m, "company", o->company ? o->company : "");
    uint64_t gen = o->generated_us;
    if (!gen) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        gen = (uint64_t)ts.tv_sec * 1000000ull;
    }
    json_object_set_new(m, "generated_at", jiso(gen));
    json_object_set_new(m, "period", period_json(r.ja, o->since_us, o->until_us, o->label));
    json_object_set_new(m, "previous",
                        period_json(r.ja, o->prev_since_us, o->prev_until_us, o->prev_label));
    /* Placeholders keep the keys in reading order (filled in below). */
    static const char *const order[] = {"status", "todo", "counts", "themes"};
    for (size_t i = 0; i < ARRAY_SIZE(order); i++)
        json_object_set_new(m, order[i], json_null());
    json_object_set_new(m, "charts", json_object());
    json_object_set_new(m, "devices", json_null());
    json_object_set_new(m, "glossary", json_null());
    json_object_set_new(m, "sensor", json_object());

    /* Sources of the attacks from outside, for the by-country chart. */
    json_t *outside_ips = json_object();
    for (size_t i = 0; i < r.cur.n; i++) {
        const struct finding *f = &r.cur.v[i];
        if (strcmp(f->theme, "outside") == 0 && f->src[0] && !report_ip_local(r.home, f->src)) {
            json_t *c = json_object_get(outside_ips, f->src);
            json_object_set_new(outside_ips, f->src,
                                json_integer(json_integer_value(c) + (json_int_t)f->count));
        }
    }
    struct report_opts oc = *o;
    oc.generated_us = gen;
    int rc = report_data_charts(db, &oc, m, outside_ips, err, errlen);
    json_decref(outside_ips);
    if (!rc)
        rc = build_devices(&r, m);
    if (rc) {
        json_decref(m);
        flist_free(&r.cur);
        flist_free(&r.prev);
        return NULL;
    }
    json_t *sensor = json_object_get(m, "sensor");
    double coverage = json_real_value(json_object_get(sensor, "coverage_pct"));
    int nodata = json_integer_value(json_object_get(sensor, "flows")) == 0 && r.cur.n == 0;
    json_object_set_new(json_object_get(m, "charts"), "findings_per_week", build_weeks(&r));
    json_object_set_new(m, "status", build_status(&r, coverage, nodata));
    json_object_set_new(m, "todo", build_todo(&r, coverage, nodata));
    json_object_set_new(m, "counts", build_counts(&r));
    json_object_set_new(m, "themes", build_themes(&r));
    json_object_set_new(m, "glossary", build_glossary(&r, m));
    json_object_set_new(m, "labels", build_labels(r.ja));
    flist_free(&r.cur);
    flist_free(&r.prev);
    return m;
}
