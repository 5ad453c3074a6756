/* scope-html.c - `mamori scope --html FILE`: one self-contained page (no
 * scripts, no fonts or images fetched, works offline) with the spread as an
 * inline SVG graph laid out in columns by hop, and the tables and verdicts.
 * Every text from the store goes through sb_html().
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "scope/scope.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/util.h"

#define NONE ((size_t)-1)
#define COL_W 230
#define ROW_H 64
#define BOX_W 180
#define BOX_H 42
#define PAD 20

static void h_time(struct strbuf *sb, uint64_t us)
{
    char t[40];
    if (!us) {
        sb_puts(sb, "-");
        return;
    }
    fmt_iso_local(t, sizeof(t), us); /* the page names the zone once, at the top */
    sb_printf(sb, "%.10s %.8s", t, t + 11);
}

static void h_strs(struct strbuf *sb, const struct scope_strs *s, size_t max)
{
    for (size_t i = 0; i < s->n && i < max; i++) {
        if (i)
            sb_puts(sb, ", ");
        sb_html(sb, s->v[i]);
    }
    if (s->n > max)
        sb_printf(sb, TR(", +%zu more", " ほか %zu 件"), s->n - max);
}

/* Text cut to max characters (UTF-8 aware) with an ellipsis. */
static void h_cut(struct strbuf *sb, const char *s, size_t max)
{
    char buf[256];
    size_t chars = 0, i = 0;
    for (; s[i] && i < sizeof(buf) - 4; i++) {
        if (((unsigned char)s[i] & 0xc0) != 0x80 && chars++ == max)
            break;
        buf[i] = s[i];
    }
    buf[i] = '\0';
    sb_html(sb, buf);
    if (s[i])
        sb_puts(sb, "\xe2\x80\xa6");
}

struct layout {
    int *col;   /* per node: column, -1 not drawn */
    int *row;
    int ncols, maxrows;
};

static int node_col(const struct scope_result *r, size_t i)
{
    const struct scope_node *n = &r->nodes[i];
    if (n->hop >= 0 && (n->exposed || n->hop > 0))
        return n->hop + 1;
    int c = -1;
    for (size_t e = 0; e < r->nedges; e++) /* a target over known paths only */
        if (r->edges[e].dst == i && (c < 0 || r->edges[e].hop + 1 < c))
            c = r->edges[e].hop + 1;
    return c;
}

static void layout(const struct scope_result *r, struct layout *L)
{
    L->col = xcalloc(r->nnodes + 1, sizeof(int));
    L->row = xcalloc(r->nnodes + 1, sizeof(int));
    L->ncols = 1;
    L->maxrows = 1;
    int rows[16] = {1}; /* column 0: the indicator */
    for (size_t i = 0; i < r->nnodes; i++) {
        int c = node_col(r, i);
        if (c > 15)
            c = 15;
        L->col[i] = c;
        if (c < 0)
            continue;
        L->row[i] = rows[c]++;
        L->ncols = MAX(L->ncols, c + 1);
        L->maxrows = MAX(L->maxrows, rows[c]);
    }
}

static int node_x(int col)
{
    return PAD + col * COL_W;
}

static int node_y(int row)
{
    return PAD + 14 + row * ROW_H;
}

static void svg_node(struct strbuf *sb, int x, int y, const char *cls, const char *ip,
                     const char *name, const char *title)
{
    sb_printf(sb, "<g class=\"node %s\" data-ip=\"", cls);
    sb_html(sb, ip);
    sb_printf(sb, "\"><title>");
    sb_html(sb, title);
    sb_printf(sb, "</title><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"6\"/>", x, y,
              BOX_W, BOX_H);
    sb_printf(sb, "<text x=\"%d\" y=\"%d\" class=\"n1\">", x + 8, y + 17);
    h_cut(sb, name && *name ? name : ip, 22);
    sb_printf(sb, "</text><text x=\"%d\" y=\"%d\" class=\"n2\">", x + 8, y + 33);
    h_cut(sb, name && *name ? ip : "", 26);
    sb_puts(sb, "</text></g>\n");
}

static void svg_graph(struct strbuf *sb, const struct scope_result *r)
{
    struct layout L;
    layout(r, &L);
    int w = 2 * PAD + (L.ncols - 1) * COL_W + BOX_W;
    int h = node_y(L.maxrows - 1) + BOX_H + PAD;
    sb_printf(sb,
              "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"graph\" viewBox=\"0 0 %d %d\""
              " width=\"100%%\" style=\"max-width:%dpx;min-width:%dpx\" role=\"img\""
              " aria-label=\"%s\">\n",
              w, h, w, MIN(w, 720), TR("spread graph", "横展開の図"));
    sb_puts(sb, "<defs><marker id=\"arr\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\""
                " markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">"
                "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"context-stroke\"/></marker></defs>\n");
    for (int c = 0; c < L.ncols; c++) {
        sb_printf(sb, "<text class=\"col\" x=\"%d\" y=\"%d\">", node_x(c), PAD);
        if (c == 0)
            sb_puts(sb, TR("indicator", "痕跡（IOC）"));
        else if (c == 1)
            sb_puts(sb, TR("exposed", "接触した機器"));
        else
            sb_printf(sb, TR("hop %d", "%d 段目"), c - 1);
        sb_puts(sb, "</text>\n");
    }
    int iy = node_y(0);
    /* contact lines from the indicator to each exposed device */
    for (size_t i = 0; i < r->nnodes; i++) {
        if (L.col[i] != 1 || !r->nodes[i].exposed)
            continue;
        int y = node_y(L.row[i]);
        sb_printf(sb,
                  "<line class=\"contact%s\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\""
                  " marker-end=\"url(#arr)\"/>\n",
                  r->nodes[i].connected ? "" : " dnsonly", node_x(0) + BOX_W, iy + BOX_H / 2,
                  node_x(1) - 2, y + BOX_H / 2);
    }
    /* one arrow per pair: SMB and RPC between the same two hosts share it */
    for (size_t e = 0; e < r->nedges; e++) {
        const struct scope_edge *ed = &r->edges[e];
        bool dup = false;
        for (size_t k = 0; k < e && !dup; k++)
            dup = r->edges[k].src == ed->src && r->edges[k].dst == ed->dst;
        if (dup || L.col[ed->src] < 0 || L.col[ed->dst] < 0)
            continue;
        bool is_new = false, admin = false;
        uint64_t first = ed->first_ts;
        char protos[64] = "";
        for (size_t k = e; k < r->nedges; k++) {
            const struct scope_edge *o = &r->edges[k];
            if (o->src != ed->src || o->dst != ed->dst)
                continue;
            is_new |= o->new_path;
            admin |= o->admin;
            first = MIN(first, o->first_ts);
            if (!strstr(protos, o->proto) && strlen(protos) + strlen(o->proto) + 2 < sizeof(protos))
                snprintf(protos + strlen(protos), sizeof(protos) - strlen(protos), "%s%s",
                         protos[0] ? "+" : "", o->proto);
        }
        int x1 = node_x(L.col[ed->src]) + BOX_W, y1 = node_y(L.row[ed->src]) + BOX_H / 2;
        int x2 = node_x(L.col[ed->dst]), y2 = node_y(L.row[ed->dst]) + BOX_H / 2;
        int back = x2 <= x1;
        if (back) /* same column or backwards: a bow on the right */
            x2 = node_x(L.col[ed->dst]) + BOX_W;
        char t[40], z[24];
        fmt_iso_local(t, sizeof(t), first);
        fmt_zone_local(z, sizeof(z), first);
        sb_printf(sb, "<g class=\"edge %s%s\" data-src=\"", is_new ? "new" : "known",
                  admin ? " admin" : "");
        sb_html(sb, r->nodes[ed->src].ip); /* addresses are text columns of the store */
        sb_puts(sb, "\" data-dst=\"");
        sb_html(sb, r->nodes[ed->dst].ip);
        sb_printf(sb, "\" data-new=\"%d\" data-hop=\"%d\"><title>", is_new ? 1 : 0, ed->hop);
        sb_printf(sb, "%s %s %.10s %.8s %s%s", is_new ? TR("new path", "新しい経路")
                                                    : TR("known path", "既知の経路"),
                  protos, t, t + 11, z,
                  admin ? TR(", admin share / remote execution", "、管理共有・リモート実行") : "");
        sb_puts(sb, "</title>");
        int cx = back ? x1 + 90 : (x1 + x2) / 2, cy = (y1 + y2) / 2;
        /* the label sits a third of the way along, where arrows from one box
         * have already parted */
        int lx = back ? x1 + 12 : x1 + (x2 - x1) / 3 - 10, ly = back ? y1 - 5 : y1 + (y2 - y1) / 3 - 5;
        sb_printf(sb,
                  "<path d=\"M%d,%d Q%d,%d %d,%d\" marker-end=\"url(#arr)\"/>"
                  "<text x=\"%d\" y=\"%d\" class=\"el\">%s</text></g>\n",
                  x1, y1, cx, cy, x2 - (back ? 0 : 2), y2, lx, ly, protos);
    }
    svg_node(sb, node_x(0), iy, "ioc", r->ioc.text, scope_ioc_kind_name(r->ioc.kind),
             r->ioc.text);
    for (size_t i = 0; i < r->nnodes; i++) {
        if (L.col[i] < 0)
            continue;
        const struct scope_node *n = &r->nodes[i];
        const char *cls = n->verdict == SCOPE_ISOLATE   ? "isolate"
                          : n->verdict == SCOPE_EXAMINE ? "examine"
                                                        : "clean";
        char why[512];
        scope_why_text(r, n, why, sizeof(why));
        svg_node(sb, node_x(L.col[i]), node_y(L.row[i]), cls, n->ip, n->name, why);
    }
    sb_puts(sb, "</svg>\n");
    free(L.col);
    free(L.row);
}

static void human_bytes(struct strbuf *sb, uint64_t b)
{
    if (b >= 10ull * 1024 * 1024)
        sb_printf(sb, "%" PRIu64 " MB", b / (uint64_t)(1024 * 1024));
    else if (b >= 10ull * 1024)
        sb_printf(sb, "%" PRIu64 " kB", b / 1024);
    else
        sb_printf(sb, "%" PRIu64 " B", b);
}

static const char css[] =
    "*{box-sizing:border-box}"
    "body{font-family:'Noto Sans CJK JP','Noto Sans JP','Hiragino Sans','Yu Gothic',"
    "Meiryo,sans-serif;margin:0;background:#f5f6f8;color:#1d2433}"
    "main{max-width:1100px;margin:0 auto;padding:24px}"
    "h1{font-size:22px;margin:0 0 4px;overflow-wrap:anywhere}"
    "h2{font-size:17px;margin:28px 0 8px;border-bottom:2px solid #d5d9e0;padding-bottom:4px}"
    ".meta{color:#5b6475;font-size:13px;overflow-wrap:anywhere}"
    ".card{background:#fff;border:1px solid #d5d9e0;border-radius:8px;padding:12px;"
    "overflow:hidden}"
    "table{width:100%;border-collapse:collapse;table-layout:fixed;font-size:13px}"
    "th,td{text-align:left;padding:5px 6px;border-bottom:1px solid #e6e8ec;vertical-align:top;"
    "overflow-wrap:anywhere;word-break:break-word}"
    "th{background:#eef0f4;font-weight:600}"
    ".v-isolate{color:#a61b1b;font-weight:700}.v-examine{color:#9a6700;font-weight:700}"
    ".v-clean{color:#1a7f37}"
    ".tag{display:inline-block;padding:0 6px;border-radius:4px;font-size:12px}"
    ".tag.new{background:#fde2e1;color:#a61b1b}.tag.known{background:#e6eaf0;color:#4a5568}"
    "svg{display:block;height:auto}.graph{overflow-x:auto}"
    "svg text{font-size:12px;fill:#1d2433}svg text.n2{fill:#5b6475;font-size:11px}"
    "svg text.col{font-weight:600;fill:#5b6475}svg text.el{font-size:11px;fill:#4a5568}"
    "svg .node rect{fill:#fff;stroke:#8a94a6;stroke-width:1.5}"
    "svg .node.isolate rect{fill:#fde2e1;stroke:#c0392b}"
    "svg .node.examine rect{fill:#fff4d6;stroke:#b7791f}"
    "svg .node.ioc rect{fill:#2d3748;stroke:#2d3748}svg .node.ioc text{fill:#fff}"
    "svg line.contact{stroke:#c0392b;stroke-width:1.5}"
    "svg line.contact.dnsonly{stroke:#b7791f;stroke-dasharray:4 3}"
    "svg .edge path{fill:none;stroke-width:2}"
    "svg .edge.new path{stroke:#c0392b}svg .edge.known path{stroke:#8a94a6;"
    "stroke-dasharray:5 4}svg .edge.admin path{stroke-width:3.5}"
    ".legend{font-size:12px;color:#5b6475;margin-top:6px}"
    ".legend span{margin-right:14px}";

static void sec_exposed(struct strbuf *sb, const struct scope_result *r)
{
    sb_printf(sb, "<h2>%s</h2><div class=\"card\"><table id=\"exposed\"><tr><th>%s</th>"
                  "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n",
              TR("Exposed devices", "接触した機器"), TR("Device", "機器"), TR("First", "最初"),
              TR("Last", "最後"), TR("Sent", "送信"), TR("Received", "受信"),
              TR("Protocols", "プロトコル"), TR("Names", "名前"));
    size_t *ord = xcalloc(r->nnodes + 1, sizeof(*ord));
    size_t n = scope_exposed_order(r, ord);
    for (size_t k = 0; k < n; k++) {
        size_t i = ord[k];
        const struct scope_node *d = &r->nodes[i];
        sb_puts(sb, "<tr><td>");
        if (i == r->patient_zero)
            sb_printf(sb, "<b>%s</b><br>", TR("patient zero", "最初の感染の疑い"));
        sb_html(sb, d->name[0] ? d->name : "-");
        sb_puts(sb, "<br>");
        sb_html(sb, d->ip);
        sb_puts(sb, "<br>");
        sb_html(sb, d->mac);
        sb_puts(sb, "</td><td>");
        h_time(sb, d->first_ts);
        sb_puts(sb, "</td><td>");
        h_time(sb, d->last_ts);
        sb_puts(sb, "</td><td>");
        human_bytes(sb, d->bytes_out);
        sb_puts(sb, "</td><td>");
        human_bytes(sb, d->bytes_in);
        sb_puts(sb, "</td><td>");
        h_strs(sb, &d->protos, 8);
        sb_puts(sb, "</td><td>");
        h_strs(sb, &d->names, 6);
        sb_puts(sb, "</td></tr>\n");
    }
    free(ord);
    if (!n)
        sb_printf(sb, "<tr><td colspan=\"7\">%s</td></tr>",
                  TR("No inside device was in contact with it in this period.",
                     "この期間に接触した社内の機器はありません。"));
    sb_puts(sb, "</table></div>\n");
}

static void sec_spread(struct strbuf *sb, const struct scope_result *r)
{
    sb_printf(sb, "<h2>%s</h2><div class=\"card\"><table id=\"spread\"><tr><th>%s</th><th>%s</th>"
                  "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n",
              TR("Spread inside", "社内での横展開"), TR("Hop", "段"), TR("Time", "時刻"),
              TR("From", "接続元"), TR("To", "接続先"), TR("Kind", "種類"), TR("Path", "経路"),
              TR("Shares, files, RPC", "共有・ファイル・RPC"));
    for (size_t i = 0; i < r->nedges; i++) {
        const struct scope_edge *e = &r->edges[i];
        sb_printf(sb, "<tr><td>%d</td><td>", e->hop);
        h_time(sb, e->first_ts);
        sb_puts(sb, "</td><td>");
        sb_html(sb, r->nodes[e->src].name[0] ? r->nodes[e->src].name : r->nodes[e->src].ip);
        sb_puts(sb, "<br>");
        sb_html(sb, r->nodes[e->src].ip);
        sb_puts(sb, "</td><td>");
        sb_html(sb, r->nodes[e->dst].name[0] ? r->nodes[e->dst].name : r->nodes[e->dst].ip);
        sb_puts(sb, "<br>");
        sb_html(sb, r->nodes[e->dst].ip);
        sb_printf(sb, "</td><td>%s/%u</td><td><span class=\"tag %s\">%s</span>%s</td><td>",
                  e->proto, e->port, e->new_path ? "new" : "known",
                  e->new_path ? TR("new path", "新しい経路") : TR("known path", "既知の経路"),
                  e->admin ? TR("<br>admin share / remote exec", "<br>管理共有・リモート実行")
                           : "");
        h_strs(sb, &e->shares, 4);
        if (e->files.n) {
            sb_puts(sb, "<br>");
            h_strs(sb, &e->files, 4);
        }
        if (e->rpc.n) {
            sb_puts(sb, "<br>RPC: ");
            h_strs(sb, &e->rpc, 6);
        }
        sb_puts(sb, "</td></tr>\n");
    }
    if (!r->nedges)
        sb_printf(sb, "<tr><td colspan=\"7\">%s</td></tr>",
                  TR("No SMB, RPC, RDP, WinRM or SSH connections after the contact.",
                     "接触の後、SMB・RPC・RDP・WinRM・SSH の接続はありません。"));
    sb_puts(sb, "</table></div>\n");
}

static void sec_outside(struct strbuf *sb, const struct scope_result *r)
{
    sb_printf(sb, "<h2>%s</h2><div class=\"card\"><table id=\"outside\"><tr><th>%s</th>"
                  "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n",
              TR("New outside destinations after the contact",
                 "接触の後に初めて通信した外部の宛先"),
              TR("Device", "機器"), TR("Destination", "宛先"), TR("Names", "名前"),
              TR("First", "最初"), TR("Sent", "送信"));
    for (size_t i = 0; i < r->nouts && i < 100; i++) {
        const struct scope_out *x = &r->outs[i];
        const struct scope_node *n = &r->nodes[x->node];
        sb_puts(sb, "<tr><td>");
        sb_html(sb, n->name[0] ? n->name : n->ip);
        sb_puts(sb, "</td><td>");
        sb_html(sb, x->ip);
        sb_printf(sb, ":%u</td><td>", x->port);
        h_strs(sb, &x->names, 3);
        sb_puts(sb, "</td><td>");
        h_time(sb, x->first_ts);
        sb_puts(sb, "</td><td>");
        human_bytes(sb, x->bytes_out);
        sb_puts(sb, "</td></tr>\n");
    }
    if (!r->nouts)
        sb_printf(sb, "<tr><td colspan=\"5\">%s</td></tr>",
                  TR("None.", "ありません。"));
    sb_puts(sb, "</table></div>\n");
}

static void sec_verdicts(struct strbuf *sb, const struct scope_result *r)
{
    static const char *const en[] = {"Isolate and examine", "Examine", "Likely clean"};
    static const char *const ja[] = {"ネットワークから切り離して調べる", "調べる",
                                     "おそらく問題なし"};
    static const char *const cls[] = {"v-isolate", "v-examine", "v-clean"};
    sb_printf(sb, "<h2>%s</h2><div class=\"card\"><table id=\"verdicts\"><tr><th>%s</th>"
                  "<th>%s</th><th>%s</th></tr>\n",
              TR("What to do", "対処"), TR("Verdict", "判定"), TR("Device", "機器"),
              TR("Why", "理由"));
    for (int v = SCOPE_ISOLATE; v <= SCOPE_CLEAN; v++)
        for (size_t i = 0; i < r->nnodes; i++) {
            const struct scope_node *n = &r->nodes[i];
            if ((int)n->verdict != v)
                continue;
            char why[512];
            scope_why_text(r, n, why, sizeof(why));
            sb_puts(sb, "<tr data-ip=\"");
            sb_html(sb, n->ip);
            sb_printf(sb, "\" data-verdict=\"%d\"><td class=\"%s\">%s</td><td>", v, cls[v],
                      ui_lang == LANG_JA ? ja[v] : en[v]);
            sb_html(sb, n->name[0] ? n->name : "-");
            sb_puts(sb, "<br>");
            sb_html(sb, n->ip);
            sb_puts(sb, "</td><td>");
            sb_html(sb, why);
            sb_puts(sb, "</td></tr>\n");
        }
    sb_puts(sb, "</table></div>\n");
}

int scope_write_html(const struct scope_result *r, const char *path)
{
    struct strbuf sb = STRBUF_INIT;
    sb_printf(&sb, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
                   "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                   "<title>",
              ui_lang == LANG_JA ? "ja" : "en");
    sb_printf(&sb, TR("mamori scope: %s", "mamori 影響範囲: %s"), "");
    sb_html(&sb, r->ioc.text);
    sb_printf(&sb, "</title><style>%s</style></head><body><main>\n", css);
    sb_printf(&sb, "<h1>%s ", TR("How far did it spread?", "感染の広がり"));
    sb_html(&sb, r->ioc.text);
    sb_puts(&sb, "</h1><p class=\"meta\">");
    char t1[40], t2[40];
    uint64_t p1 = r->since_us ? r->since_us : r->store_first_ts;
    char z[24];
    fmt_iso_local(t1, sizeof(t1), p1);
    fmt_iso_local(t2, sizeof(t2), r->until_us ? r->until_us : r->store_last_ts);
    fmt_zone_local(z, sizeof(z), p1);
    sb_printf(&sb, TR("%s; period %.10s %.5s - %.10s %.5s %s; hops followed: %d",
                      "%s、期間 %.10s %.5s 〜 %.10s %.5s（%s）、横展開は %d 段まで"),
              scope_ioc_kind_name(r->ioc.kind), t1, t1 + 11, t2, t2 + 11, z, r->hops);
    if (r->ioc_names.n) {
        sb_puts(&sb, "<br>");
        sb_puts(&sb, TR("names: ", "名前: "));
        h_strs(&sb, &r->ioc_names, 10);
    }
    if (r->ioc_ips.n) {
        sb_puts(&sb, "<br>");
        sb_puts(&sb, TR("addresses: ", "アドレス: "));
        h_strs(&sb, &r->ioc_ips, 10);
    }
    sb_puts(&sb, "</p>\n");
    sec_verdicts(&sb, r);
    sb_printf(&sb, "<h2>%s</h2><div class=\"card\">", TR("Spread graph", "横展開の図"));
    /* on a narrow screen the graph scrolls sideways rather than shrinking
     * its labels to nothing */
    sb_puts(&sb, "<div class=\"graph\">");
    svg_graph(&sb, r);
    sb_puts(&sb, "</div>");
    sb_printf(&sb,
              "<div class=\"legend\"><span style=\"color:#c0392b\">&#9472;&#9472; %s</span>"
              "<span style=\"color:#8a94a6\">- - %s</span><span>%s</span></div></div>\n",
              TR("new path", "新しい経路"), TR("known path", "既知の経路"),
              TR("thick: admin share / remote execution", "太線: 管理共有・リモート実行"));
    sec_exposed(&sb, r);
    sec_spread(&sb, r);
    sec_outside(&sb, r);
    sb_printf(&sb, "<p class=\"meta\">mamori scope, %" PRIu64 " ms</p></main></body></html>\n",
              r->elapsed_ms);
    FILE *f = fopen(path, "w");
    if (!f) {
        sb_free(&sb);
        return -1;
    }
    size_t len = sb.len;
    int ok = fwrite(sb_str(&sb), 1, len, f) == len;
    int saved = errno;
    if (fclose(f) != 0 && ok) {
        ok = 0;
        saved = errno;
    }
    sb_free(&sb);
    errno = saved;
    return ok ? 0 : -1;
}
