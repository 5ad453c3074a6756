/* scope-out.c - `mamori scope` results as JSON and as terminal text. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "scope/scope.h"
#include "util/i18n.h"
#include "util/util.h"

#define NONE ((size_t)-1)

void scope_fmt_time(char *buf, size_t len, uint64_t ts_us)
{
    time_t t = (time_t)(ts_us / 1000000u);
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        snprintf(buf, len, "?");
        return;
    }
    snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03uZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (unsigned)(ts_us % 1000000u / 1000u));
}

static json_t *jtime(uint64_t us)
{
    if (!us)
        return json_null();
    char b[40];
    scope_fmt_time(b, sizeof(b), us);
    return json_string(b);
}

static json_t *jstrs(const struct scope_strs *s)
{
    json_t *a = json_array();
    for (size_t i = 0; i < s->n; i++)
        json_array_append_new(a, json_string(s->v[i]));
    return a;
}

static json_t *jtext(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

static const char *verdict_name(enum scope_verdict v)
{
    return v == SCOPE_ISOLATE ? "isolate" : v == SCOPE_EXAMINE ? "examine" : "clean";
}

static const char *why_name(enum scope_why w)
{
    static const char *const n[] = {"contact", "start", "resolved", "spread", "known_path",
                                    "untouched"};
    return (unsigned)w < ARRAY_SIZE(n) ? n[w] : "untouched";
}

static const char *node_label(const struct scope_node *n)
{
    return n->name[0] ? n->name : n->ip;
}

/* The first edge that reached node i (its reason to be in the spread). */
static const struct scope_edge *reaching_edge(const struct scope_result *r, size_t i)
{
    const struct scope_edge *best = NULL;
    for (size_t e = 0; e < r->nedges; e++) {
        const struct scope_edge *ed = &r->edges[e];
        if (ed->dst != i)
            continue;
        if (!best || (ed->followed && !best->followed) ||
            (ed->followed == best->followed && ed->first_ts < best->first_ts))
            best = ed;
    }
    return best;
}

void scope_why_text(const struct scope_result *r, const struct scope_node *n, char *buf,
                    size_t len)
{
    char t[40], z[24];
    fmt_iso_local(t, sizeof(t), n->first_ts); /* people read these: their clock */
    fmt_zone_local(z, sizeof(z), n->first_ts);
    const struct scope_edge *e = reaching_edge(r, (size_t)(n - r->nodes));
    switch (n->why) {
    case SCOPE_WHY_CONTACT:
        if (ui_lang == LANG_JA)
            snprintf(buf, len,
                     "%.10s %.5s（%s）から %s と通信しました（%" PRIu64 " フロー、送信 %" PRIu64
                     " バイト）",
                     t, t + 11, z, r->ioc.text, n->flows, n->bytes_out);
        else
            snprintf(buf, len,
                     "talked to %s from %.10s %.5s %s (%" PRIu64 " flows, %" PRIu64
                     " bytes sent)",
                     r->ioc.text, t, t + 11, z, n->flows, n->bytes_out);
        break;
    case SCOPE_WHY_START:
        snprintf(buf, len,
                 TR("the search started here (counted from %.10s %.5s %s)",
                    "調査の起点です（%.10s %.5s（%s）以降を調べました）"),
                 t, t + 11, z);
        break;
    case SCOPE_WHY_RESOLVED:
        snprintf(buf, len,
                 TR("looked up the name at %.10s %.5s %s but no connection was seen",
                    "%.10s %.5s（%s）に名前を問い合わせましたが、接続は見られません"),
                 t, t + 11, z);
        break;
    case SCOPE_WHY_SPREAD:
    case SCOPE_WHY_KNOWN_PATH:
        if (e) {
            char et[40], ez[24];
            fmt_iso_local(et, sizeof(et), e->first_ts);
            fmt_zone_local(ez, sizeof(ez), e->first_ts);
            const struct scope_node *s = &r->nodes[e->src];
            const char *kind_en = e->admin ? "an admin share / remote execution"
                                  : e->new_path ? "a new path"
                                                : "a path it already used";
            const char *kind_ja = e->admin ? "管理共有・リモート実行"
                                  : e->new_path ? "これまでになかった経路"
                                                : "以前から使われていた経路";
            if (ui_lang == LANG_JA) {
                snprintf(buf, len, "%s から %.10s %.5s（%s）に %s で接続されました（%s）",
                         node_label(s), et, et + 11, ez, e->proto, kind_ja);
            } else {
                snprintf(buf, len, "%s reached it over %s (%s) at %.10s %.5s %s",
                         node_label(s), kind_en, e->proto, et, et + 11, ez);
            }
        } else {
            snprintf(buf, len, "%s", TR("reached in the spread", "横展開の先です"));
        }
        break;
    case SCOPE_WHY_UNTOUCHED:
    default:
        snprintf(buf, len, "%s",
                 n->resolver
                     ? TR("DNS server: it only forwarded the lookup for other devices",
                          "DNS サーバーです: 他の機器の問い合わせを中継しただけです")
                     : TR("never in the exposure or the spread",
                          "接触・横展開のどちらにも現れません"));
        break;
    }
}

json_t *scope_to_json(const struct scope_result *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "ioc", json_string(r->ioc.text));
    json_object_set_new(o, "ioc_kind", json_string(scope_ioc_kind_name(r->ioc.kind)));
    json_object_set_new(o, "ioc_ips", jstrs(&r->ioc_ips));
    json_object_set_new(o, "ioc_names", jstrs(&r->ioc_names));
    json_object_set_new(o, "since", jtime(r->since_us));
    json_object_set_new(o, "until", jtime(r->until_us));
    json_object_set_new(o, "hops", json_integer(r->hops));
    json_object_set_new(o, "store_first", jtime(r->store_first_ts));
    json_object_set_new(o, "store_last", jtime(r->store_last_ts));
    json_object_set_new(o, "patient_zero", r->patient_zero == NONE
                                               ? json_null()
                                               : json_string(r->nodes[r->patient_zero].ip));
    json_t *ex = json_array();
    size_t *ord = xcalloc(r->nnodes + 1, sizeof(*ord));
    size_t nord = scope_exposed_order(r, ord);
    for (size_t k = 0; k < nord; k++) {
        size_t i = ord[k];
        const struct scope_node *n = &r->nodes[i];
        json_t *d = json_object();
        json_object_set_new(d, "ip", json_string(n->ip));
        json_object_set_new(d, "mac", jtext(n->mac));
        json_object_set_new(d, "name", jtext(n->name));
        json_object_set_new(d, "first_contact", jtime(n->first_ts));
        json_object_set_new(d, "last_contact", jtime(n->last_ts));
        json_object_set_new(d, "connected", json_boolean(n->connected));
        json_object_set_new(d, "flows", json_integer((json_int_t)n->flows));
        json_object_set_new(d, "bytes_out", json_integer((json_int_t)n->bytes_out));
        json_object_set_new(d, "bytes_in", json_integer((json_int_t)n->bytes_in));
        json_object_set_new(d, "protocols", jstrs(&n->protos));
        json_object_set_new(d, "names", jstrs(&n->names));
        json_object_set_new(d, "patient_zero", json_boolean(i == r->patient_zero));
        json_array_append_new(ex, d);
    }
    free(ord);
    json_object_set_new(o, "exposed", ex);
    json_t *sp = json_array();
    for (size_t i = 0; i < r->nedges; i++) {
        const struct scope_edge *e = &r->edges[i];
        json_t *d = json_object();
        json_object_set_new(d, "src_ip", json_string(r->nodes[e->src].ip));
        json_object_set_new(d, "src_name", jtext(r->nodes[e->src].name));
        json_object_set_new(d, "dest_ip", json_string(r->nodes[e->dst].ip));
        json_object_set_new(d, "dest_name", jtext(r->nodes[e->dst].name));
        json_object_set_new(d, "time", jtime(e->first_ts));
        json_object_set_new(d, "last_time", jtime(e->last_ts));
        json_object_set_new(d, "proto", json_string(e->proto));
        json_object_set_new(d, "dest_port", json_integer(e->port));
        json_object_set_new(d, "hop", json_integer(e->hop));
        json_object_set_new(d, "new_path", json_boolean(e->new_path));
        json_object_set_new(d, "admin", json_boolean(e->admin));
        json_object_set_new(d, "followed", json_boolean(e->followed));
        json_object_set_new(d, "flows", json_integer((json_int_t)e->flows));
        json_object_set_new(d, "bytes_out", json_integer((json_int_t)e->bytes_out));
        json_object_set_new(d, "bytes_in", json_integer((json_int_t)e->bytes_in));
        json_object_set_new(d, "shares", jstrs(&e->shares));
        json_object_set_new(d, "files", jstrs(&e->files));
        json_object_set_new(d, "rpc", jstrs(&e->rpc));
        json_array_append_new(sp, d);
    }
    json_object_set_new(o, "spread", sp);
    json_t *ou = json_array();
    for (size_t i = 0; i < r->nouts; i++) {
        const struct scope_out *x = &r->outs[i];
        json_t *d = json_object();
        json_object_set_new(d, "src_ip", json_string(r->nodes[x->node].ip));
        json_object_set_new(d, "src_name", jtext(r->nodes[x->node].name));
        json_object_set_new(d, "dest_ip", json_string(x->ip));
        json_object_set_new(d, "dest_port", json_integer(x->port));
        json_object_set_new(d, "names", jstrs(&x->names));
        json_object_set_new(d, "first_time", jtime(x->first_ts));
        json_object_set_new(d, "last_time", jtime(x->last_ts));
        json_object_set_new(d, "flows", json_integer((json_int_t)x->flows));
        json_object_set_new(d, "bytes_out", json_integer((json_int_t)x->bytes_out));
        json_object_set_new(d, "bytes_in", json_integer((json_int_t)x->bytes_in));
        json_array_append_new(ou, d);
    }
    json_object_set_new(o, "outside", ou);
    json_object_set_new(o, "outside_total", json_integer((json_int_t)r->nouts_total));
    json_t *iso = json_array(), *devs = json_array();
    for (int v = SCOPE_ISOLATE; v <= SCOPE_CLEAN; v++)
        for (size_t i = 0; i < r->nnodes; i++) {
            const struct scope_node *n = &r->nodes[i];
            if ((int)n->verdict != v)
                continue;
            if (v == SCOPE_ISOLATE)
                json_array_append_new(iso, json_string(n->ip));
            char why[512];
            scope_why_text(r, n, why, sizeof(why));
            json_t *d = json_object();
            json_object_set_new(d, "ip", json_string(n->ip));
            json_object_set_new(d, "mac", jtext(n->mac));
            json_object_set_new(d, "name", jtext(n->name));
            json_object_set_new(d, "verdict", json_string(verdict_name(n->verdict)));
            json_object_set_new(d, "reason", json_string(why_name(n->why)));
            json_object_set_new(d, "why", json_string(why));
            json_object_set_new(d, "hop", n->hop >= 0 ? json_integer(n->hop) : json_null());
            json_array_append_new(devs, d);
        }
    json_object_set_new(o, "isolate", iso);
    json_object_set_new(o, "devices", devs);
    json_object_set_new(o, "elapsed_ms", json_integer((json_int_t)r->elapsed_ms));
    return o;
}

static void human_bytes(char *buf, size_t len, uint64_t b)
{
    if (b >= 10ull * 1024 * 1024 * 1024)
        snprintf(buf, len, "%" PRIu64 " GB", b / (uint64_t)(1024 * 1024 * 1024));
    else if (b >= 10ull * 1024 * 1024)
        snprintf(buf, len, "%" PRIu64 " MB", b / (uint64_t)(1024 * 1024));
    else if (b >= 10ull * 1024)
        snprintf(buf, len, "%" PRIu64 " kB", b / 1024);
    else
        snprintf(buf, len, "%" PRIu64 " B", b);
}

static void join_strs(char *buf, size_t len, const struct scope_strs *s, size_t max)
{
    buf[0] = '\0';
    size_t off = 0;
    for (size_t i = 0; i < s->n && i < max && off < len; i++)
        off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? ", " : "", s->v[i]);
    if (s->n > max && off < len)
        snprintf(buf + off, len - off, TR(", +%zu more", " ほか %zu 件"), s->n - max);
}

void scope_print_text(const struct scope_result *r, FILE *f)
{
    char t1[40], t2[40], b1[32], b2[32], list[600];
    fprintf(f, TR("Scope of %s (%s)\n", "%s（%s）の影響範囲\n"), r->ioc.text,
            scope_ioc_kind_name(r->ioc.kind));
    if (r->ioc_names.n) {
        join_strs(list, sizeof(list), &r->ioc_names, 8);
        fprintf(f, TR("  names: %s\n", "  名前: %s\n"), list);
    }
    if (r->ioc_ips.n) {
        join_strs(list, sizeof(list), &r->ioc_ips, 8);
        fprintf(f, TR("  addresses: %s\n", "  アドレス: %s\n"), list);
    }
    uint64_t p1 = r->since_us ? r->since_us : r->store_first_ts;
    char z[24];
    fmt_iso_local(t1, sizeof(t1), p1);
    fmt_iso_local(t2, sizeof(t2), r->until_us ? r->until_us : r->store_last_ts);
    fmt_zone_local(z, sizeof(z), p1);
    fprintf(f, TR("  period: %.10s %.5s - %.10s %.5s %s; hops followed: %d\n\n",
                  "  期間: %.10s %.5s 〜 %.10s %.5s（%s）、横展開は %d 段まで\n\n"),
            t1, t1 + 11, t2, t2 + 11, z, r->hops);

    size_t nex = 0;
    for (size_t i = 0; i < r->nnodes; i++)
        nex += r->nodes[i].exposed;
    fprintf(f, TR("Exposed devices (%zu)\n", "接触した機器（%zu 台）\n"), nex);
    if (!nex)
        fprintf(f, "  %s\n", TR("No inside device was in contact with it in this period.",
                                "この期間に接触した社内の機器はありません。"));
    size_t *ord = xcalloc(r->nnodes + 1, sizeof(*ord));
    size_t nord = scope_exposed_order(r, ord);
    for (size_t k = 0; k < nord; k++) {
        size_t i = ord[k];
        const struct scope_node *n = &r->nodes[i];
        scope_fmt_time(t1, sizeof(t1), n->first_ts);
        scope_fmt_time(t2, sizeof(t2), n->last_ts);
        human_bytes(b1, sizeof(b1), n->bytes_out);
        human_bytes(b2, sizeof(b2), n->bytes_in);
        fprintf(f, "  %s%-15s %-18s %s\n", i == r->patient_zero ? "* " : "  ", n->ip,
                n->mac[0] ? n->mac : "-", n->name);
        if (n->why == SCOPE_WHY_START)
            fprintf(f, TR("      the search starts here, from %.10s %.8s\n",
                          "      調査の起点: %.10s %.8s 以降\n"),
                    t1, t1 + 11);
        else
            fprintf(f, TR("      first %.10s %.8s, last %.10s %.8s; sent %s, received %s\n",
                          "      最初 %.10s %.8s、最後 %.10s %.8s、送信 %s、受信 %s\n"),
                    t1, t1 + 11, t2, t2 + 11, b1, b2);
        join_strs(list, sizeof(list), &n->protos, 8);
        if (list[0])
            fprintf(f, TR("      protocols: %s\n", "      プロトコル: %s\n"), list);
        join_strs(list, sizeof(list), &n->names, 6);
        if (list[0])
            fprintf(f, TR("      names: %s\n", "      名前: %s\n"), list);
    }
    free(ord);
    if (r->patient_zero != NONE)
        fprintf(f, TR("  * patient zero: the earliest contact (%s)\n",
                      "  * 最初の感染の疑い（最も早く接触した機器）: %s\n"),
                node_label(&r->nodes[r->patient_zero]));

    fprintf(f, TR("\nSpread inside (%zu connections)\n", "\n社内での横展開（%zu 件）\n"),
            r->nedges);
    if (!r->nedges)
        fprintf(f, "  %s\n", TR("No SMB, RPC, RDP, WinRM or SSH connections after the contact.",
                                "接触の後、SMB・RPC・RDP・WinRM・SSH の接続はありません。"));
    for (size_t i = 0; i < r->nedges; i++) {
        const struct scope_edge *e = &r->edges[i];
        scope_fmt_time(t1, sizeof(t1), e->first_ts);
        fprintf(f, "  [%d] %.10s %.8s  %s -> %s  %s/%u  %s%s\n", e->hop, t1, t1 + 11,
                node_label(&r->nodes[e->src]), node_label(&r->nodes[e->dst]), e->proto, e->port,
                e->new_path ? TR("NEW PATH", "新しい経路") : TR("known path", "既知の経路"),
                e->admin ? TR(", admin share/remote exec", "、管理共有・リモート実行") : "");
        if (e->shares.n || e->files.n || e->rpc.n) {
            join_strs(list, sizeof(list), &e->shares, 4);
            if (list[0])
                fprintf(f, TR("      shares: %s\n", "      共有: %s\n"), list);
            join_strs(list, sizeof(list), &e->files, 4);
            if (list[0])
                fprintf(f, TR("      files: %s\n", "      ファイル: %s\n"), list);
            join_strs(list, sizeof(list), &e->rpc, 6);
            if (list[0])
                fprintf(f, TR("      RPC: %s\n", "      RPC: %s\n"), list);
        }
    }

    fprintf(f, TR("\nNew outside destinations after the contact (%zu)\n",
                  "\n接触の後に初めて通信した外部の宛先（%zu 件）\n"),
            r->nouts_total);
    for (size_t i = 0; i < r->nouts && i < 15; i++) {
        const struct scope_out *x = &r->outs[i];
        scope_fmt_time(t1, sizeof(t1), x->first_ts);
        human_bytes(b1, sizeof(b1), x->bytes_out);
        join_strs(list, sizeof(list), &x->names, 2);
        fprintf(f, TR("  %s -> %s:%u %s  sent %s, first %.10s %.5s\n",
                      "  %s -> %s:%u %s  送信 %s、最初 %.10s %.5s\n"),
                node_label(&r->nodes[x->node]), x->ip, x->port, list, b1, t1, t1 + 11);
    }
    if (r->nouts_total > 15)
        fprintf(f, TR("  ... %zu more (see --json or --html)\n",
                      "  ... ほか %zu 件（--json か --html で確認できます）\n"),
                r->nouts_total - 15);

    static const char *const head_en[] = {"Isolate and examine", "Examine", "Likely clean"};
    static const char *const head_ja[] = {"ネットワークから切り離して調べる", "調べる",
                                          "おそらく問題なし"};
    fprintf(f, "\n%s\n", TR("What to do", "対処"));
    for (int v = SCOPE_ISOLATE; v <= SCOPE_CLEAN; v++) {
        size_t cnt = 0;
        for (size_t i = 0; i < r->nnodes; i++)
            cnt += (int)r->nodes[i].verdict == v;
        if (!cnt)
            continue;
        fprintf(f, TR("  %s (%zu):\n", "  %s（%zu 台）:\n"),
                ui_lang == LANG_JA ? head_ja[v] : head_en[v], cnt);
        for (size_t i = 0; i < r->nnodes; i++) {
            const struct scope_node *n = &r->nodes[i];
            if ((int)n->verdict != v)
                continue;
            char why[512];
            scope_why_text(r, n, why, sizeof(why));
            fprintf(f, "    %-15s %-16s %s\n", n->ip, n->name[0] ? n->name : "-", why);
        }
    }
    fprintf(f, TR("\n(%" PRIu64 " ms)\n", "\n（%" PRIu64 " ミリ秒）\n"), r->elapsed_ms);
}
