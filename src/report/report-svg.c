/* report-svg.c - the monthly report's charts as inline SVG.
 *
 * Each chart is drawn in a fixed 720-unit-wide viewBox and scales to the
 * page width. They are made to survive black-and-white printing: every
 * series has a pattern as well as a colour (solid, stripes, dots, lines),
 * a legend with words, axes with formatted numbers, and a <title>/<desc>
 * that says in one sentence what the chart shows for screen readers. The
 * model's rows are capped (CHART_MAX_*) so a hostile model cannot make the
 * SVG unbounded.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/report-svg.h"
#include "util/strbuf.h"
#include "util/util.h"

#define VIEW_W 720
#define PAD_L 70  /* room for y-axis labels such as "1.5 GB" */
#define PAD_R 14
#define PAD_T 34  /* legend row */
#define PAD_B 34  /* x-axis labels */
/* Caps on what one chart draws: a month has ~31 days and ~5 weeks; more
 * than this is a long custom period (still drawn, thinner) or junk. */
#define CHART_MAX_POINTS 400
#define CHART_MAX_BARS 12   /* horizontal bar charts: the top N is the point */
#define BAR_LABEL_COLS 26   /* display columns of a horizontal bar's label */

struct series {
    const char *key;   /* model key */
    const char *label; /* legend text */
    const char *fill;  /* pattern id suffix */
};

/* --- small helpers --- */

static void fmt_count(char *buf, size_t len, double v)
{
    rep_fmt_int(buf, len, (long long)llround(v));
}

/* A "nice" axis step (1, 2 or 5 x 10^k) giving about `ticks` steps up to max. */
static double nice_step(double max, int ticks, bool integer)
{
    if (!(max > 0))
        return 1;
    double raw = max / ticks;
    double p = pow(10, floor(log10(raw)));
    double f = raw / p;
    double s = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
    if (integer && s < 1)
        s = 1;
    return s;
}

/* Patterns every chart may use; ids are prefixed with the chart's id so two
 * charts on one page never clash. Light backgrounds keep the patterns
 * visible in grayscale print. */
static void put_defs(struct strbuf *sb, const char *id)
{
    sb_printf(sb,
              "<defs>"
              "<pattern id=\"%s-stripe\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
              "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#fed7aa\"/>"
              "<rect width=\"3\" height=\"6\" fill=\"#c2410c\"/></pattern>"
              "<pattern id=\"%s-high\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
              "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#fecaca\"/>"
              "<rect width=\"3\" height=\"6\" fill=\"#b91c1c\"/></pattern>"
              "<pattern id=\"%s-medium\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">"
              "<rect width=\"6\" height=\"6\" fill=\"#fde68a\"/>"
              "<circle cx=\"3\" cy=\"3\" r=\"1.6\" fill=\"#92400e\"/></pattern>"
              "<pattern id=\"%s-low\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">"
              "<rect width=\"6\" height=\"6\" fill=\"#dbeafe\"/>"
              "<rect y=\"2\" width=\"6\" height=\"1.5\" fill=\"#1d4ed8\"/></pattern>"
              "<pattern id=\"%s-off\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" "
              "patternTransform=\"rotate(-45)\"><rect width=\"8\" height=\"8\" fill=\"#f3f4f6\"/>"
              "<rect width=\"1.5\" height=\"8\" fill=\"#9ca3af\"/></pattern>"
              "</defs>",
              id, id, id, id, id);
}

static const char *fill_of(const char *id, const char *what, char *buf, size_t len)
{
    if (!strcmp(what, "solid"))
        return "#1e3a8a";
    if (!strcmp(what, "critical"))
        return "#450a0a";
    if (!strcmp(what, "info"))
        return "#e5e7eb";
    if (!strcmp(what, "green"))
        return "#15803d";
    if (!strcmp(what, "none"))
        return "none";
    snprintf(buf, len, "url(#%s-%s)", id, what);
    return buf;
}

/* Opens <figure> and <svg>; returns the id prefix in id (16 bytes). */
static void chart_open(struct rep_ctx *c, struct strbuf *sb, const char *cls,
                       const char *title, const char *desc, int height, char *id)
{
    snprintf(id, 16, "ch%u", ++c->chart_seq);
    sb_printf(sb, "<figure class=\"chart %s\"><figcaption>", cls);
    rep_esc(sb, title);
    sb_printf(sb,
              "</figcaption>\n<svg class=\"chart-svg\" viewBox=\"0 0 %d %d\" width=\"100%%\" "
              "preserveAspectRatio=\"xMidYMid meet\" role=\"img\" aria-labelledby=\"%s-t %s-d\" "
              "xmlns=\"http://www.w3.org/2000/svg\"><title id=\"%s-t\">",
              VIEW_W, height, id, id, id);
    rep_esc(sb, title);
    sb_printf(sb, "</title><desc id=\"%s-d\">", id);
    rep_esc(sb, desc);
    sb_puts(sb, "</desc>");
    put_defs(sb, id);
}

static void chart_close(struct strbuf *sb)
{
    sb_puts(sb, "</svg></figure>\n");
}

/* A chart with nothing to draw still gets its title, so the reader sees
 * that the question was asked and the answer is "nothing". */
static void chart_empty(struct strbuf *sb, const char *cls, const char *title, const char *why)
{
    sb_printf(sb, "<figure class=\"chart %s\"><figcaption>", cls);
    rep_esc(sb, title);
    sb_puts(sb, "</figcaption><p class=\"chart-empty\">");
    rep_esc(sb, why);
    sb_puts(sb, "</p></figure>\n");
}

static void legend(struct strbuf *sb, const char *id, const struct series *s, size_t n)
{
    int x = PAD_L;
    char fb[48];
    for (size_t i = 0; i < n; i++) {
        sb_printf(sb, "<rect x=\"%d\" y=\"8\" width=\"14\" height=\"14\" fill=\"%s\" "
                      "stroke=\"#374151\" stroke-width=\"0.8\"/>",
                  x, fill_of(id, s[i].fill, fb, sizeof(fb)));
        sb_printf(sb, "<text x=\"%d\" y=\"20\" class=\"lg\">", x + 19);
        rep_esc(sb, s[i].label);
        sb_puts(sb, "</text>");
        /* CJK glyphs are about twice as wide as Latin ones at this size. */
        size_t cols = 0;
        for (const unsigned char *p = (const unsigned char *)s[i].label; *p; p++)
            if ((*p & 0xC0) != 0x80)
                cols += *p >= 0xE0 ? 2 : 1;
        x += 19 + (int)cols * 7 + 22;
    }
}

typedef void (*fmt_fn)(char *buf, size_t len, double v);

static void fmt_bytes_d(char *buf, size_t len, double v)
{
    rep_fmt_bytes(buf, len, v);
}

/* Horizontal grid lines and y labels for a vertical chart; returns the
 * value at the top of the axis. */
static double y_axis(struct strbuf *sb, double max, int plot_h, int y0, bool integer, fmt_fn fmt)
{
    double step = nice_step(max, 4, integer);
    double top = ceil(max / step) * step;
    if (top <= 0)
        top = step;
    for (int i = 0; i * step <= top + step / 1000 && i <= 20; i++) {
        double v = i * step;
        double y = y0 - v / top * plot_h;
        char lb[32];
        fmt(lb, sizeof(lb), v);
        sb_printf(sb, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" class=\"%s\"/>", PAD_L,
                  VIEW_W - PAD_R, y, y, i == 0 ? "axis" : "grid");
        sb_printf(sb, "<text x=\"%d\" y=\"%.1f\" class=\"yl\">%s</text>", PAD_L - 6, y + 4, lb);
    }
    return top;
}

/* Which x labels to print so they do not collide (about 10 across). */
static size_t label_every(size_t n)
{
    return n <= 12 ? 1 : (n + 9) / 10;
}

static void x_label(const struct rep_ctx *c, struct strbuf *sb, double x, int y, const char *iso,
                    const char *fallback)
{
    char d[48];
    rep_fmt_date(c, d, sizeof(d), iso, REP_DATE_SHORT);
    sb_printf(sb, "<text x=\"%.1f\" y=\"%d\" class=\"xl\">", x, y);
    rep_esc_max(sb, d[0] ? d : fallback, 24);
    sb_puts(sb, "</text>");
}

/* --- days the sensor was (mostly) off --- */

/* Whether the sensor gaps cover at least half of the local day `date`
 * ("2026-10-10"). Gaps are capped like everywhere else. */
static bool day_off(const json_t *gaps, const char *date)
{
    long long d0;
    if (!json_is_array(gaps) || rep_parse_time(date, &d0) < 0)
        return false;
    long long d1 = d0 + 86400, covered = 0;
    for (size_t i = 0; i < json_array_size(gaps) && i < 1000; i++) {
        const json_t *g = json_array_get(gaps, i);
        long long a, b;
        if (rep_parse_time(rep_str(g, "start"), &a) < 0 || rep_parse_time(rep_str(g, "end"), &b) < 0)
            continue;
        a = MAX(a, d0);
        b = MIN(b, d1);
        if (b > a)
            covered += b - a;
    }
    return covered >= 43200;
}

/* Grey hatched bands behind the days the sensor was off; returns whether
 * there was any (then the legend gets an entry). */
static bool off_bands(struct strbuf *sb, const char *id, const json_t *rows, size_t n,
                      const json_t *gaps, double slot, int top, int bottom)
{
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        if (!day_off(gaps, rep_str(json_array_get(rows, i), "date")))
            continue;
        any = true;
        sb_printf(sb, "<rect class=\"off\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                      "fill=\"url(#%s-off)\"/>",
                  PAD_L + slot * (double)i, top, slot, bottom - top, id);
    }
    return any;
}

/* --- traffic per day: grouped bars, in (solid) and out (striped) --- */

void rep_chart_traffic(struct rep_ctx *c, struct strbuf *sb, const json_t *rows,
                       const json_t *gaps)
{
    const char *title = rep_label(c, "chart_traffic");
    size_t n = json_is_array(rows) ? MIN(json_array_size(rows), (size_t)CHART_MAX_POINTS) : 0;
    double max = 0, tin = 0, tout = 0, best = -1;
    const char *best_day = NULL;
    for (size_t i = 0; i < n; i++) {
        const json_t *r = json_array_get(rows, i);
        double bi = rep_num(r, "bytes_in", NULL), bo = rep_num(r, "bytes_out", NULL);
        bi = bi > 0 ? bi : 0;
        bo = bo > 0 ? bo : 0;
        tin += bi;
        tout += bo;
        max = MAX(max, MAX(bi, bo));
        if (bi + bo > best) {
            best = bi + bo;
            best_day = rep_str(r, "date");
        }
    }
    if (n == 0 || !(max > 0)) {
        chart_empty(sb, "chart-traffic", title, rep_label(c, "chart_traffic_none"));
        return;
    }
    char a[32], b[32], m[32], day[48], desc[400];
    rep_fmt_bytes(a, sizeof(a), tin);
    rep_fmt_bytes(b, sizeof(b), tout);
    rep_fmt_bytes(m, sizeof(m), best);
    rep_fmt_date(c, day, sizeof(day), best_day, REP_DATE_LONG);
    if (c->ja)
        snprintf(desc, sizeof(desc),
                 "期間中の受信は合計 %s、送信は合計 %s です。いちばん多かった日は %s (%s) です。",
                 a, b, day, m);
    else
        snprintf(desc, sizeof(desc),
                 "In total %s came in and %s went out. The busiest day was %s (%s).", a, b, day,
                 m);
    const int h = 250, y0 = h - PAD_B, plot_h = y0 - PAD_T;
    char id[16];
    chart_open(c, sb, "chart-traffic", title, desc, h, id);
    const struct series s[] = {
        {"bytes_in", rep_label(c, "legend_in"), "solid"},
        {"bytes_out", rep_label(c, "legend_out"), "stripe"},
        {NULL, rep_label(c, "legend_off"), "off"},
    };
    double slot = (double)(VIEW_W - PAD_L - PAD_R) / (double)n;
    bool off = off_bands(sb, id, rows, n, gaps, slot, PAD_T, y0);
    legend(sb, id, s, off ? 3 : 2);
    double top = y_axis(sb, max, plot_h, y0, false, fmt_bytes_d);
    double bw = slot * 0.4;
    size_t every = label_every(n);
    char fb[48];
    for (size_t i = 0; i < n; i++) {
        const json_t *r = json_array_get(rows, i);
        double x = PAD_L + slot * (double)i + slot * 0.1;
        for (size_t k = 0; k < 2; k++) {
            double v = rep_num(r, s[k].key, NULL);
            double bh = v > 0 ? v / top * plot_h : 0;
            char vb[32];
            rep_fmt_bytes(vb, sizeof(vb), v > 0 ? v : 0);
            sb_printf(sb, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" "
                          "stroke=\"#1f2937\" stroke-width=\"0.4\"><title>",
                      x + bw * (double)k, y0 - bh, bw, bh, fill_of(id, s[k].fill, fb, sizeof(fb)));
            rep_esc_max(sb, rep_str(r, "date"), 40);
            sb_printf(sb, " %s: %s</title></rect>", s[k].label, vb);
        }
        if (i % every == 0)
            x_label(c, sb, PAD_L + slot * ((double)i + 0.5), y0 + 18, rep_str(r, "date"), "");
    }
    chart_close(sb);
}

/* --- findings per week: stacked bars by severity --- */

void rep_chart_findings(struct rep_ctx *c, struct strbuf *sb, const json_t *rows)
{
    const char *title = rep_label(c, "chart_findings");
    /* Most serious at the bottom, where the eye starts. */
    const struct series s[] = {
        {"critical", rep_label(c, "sev_critical"), "critical"},
        {"high", rep_label(c, "sev_high"), "high"},
        {"medium", rep_label(c, "sev_medium"), "medium"},
        {"low", rep_label(c, "sev_low"), "low"},
        {"info", rep_label(c, "sev_info"), "info"},
    };
    double tot[ARRAY_SIZE(s)] = {0};
    size_t n = json_is_array(rows) ? MIN(json_array_size(rows), (size_t)CHART_MAX_POINTS) : 0;
    double max = 0, all = 0;
    for (size_t i = 0; i < n; i++) {
        const json_t *r = json_array_get(rows, i);
        double sum = 0;
        for (size_t k = 0; k < ARRAY_SIZE(s); k++) {
            double v = rep_num(r, s[k].key, NULL);
            v = v > 0 ? v : 0;
            tot[k] += v;
            sum += v;
        }
        max = MAX(max, sum);
        all += sum;
    }
    if (n == 0 || !(all > 0)) {
        chart_empty(sb, "chart-findings", title, rep_label(c, "chart_findings_none"));
        return;
    }
    char desc[600], t[5][32], ta[32];
    for (size_t k = 0; k < ARRAY_SIZE(s); k++)
        fmt_count(t[k], sizeof(t[k]), tot[k]);
    fmt_count(ta, sizeof(ta), all);
    if (c->ja)
        snprintf(desc, sizeof(desc), "期間中の検出は合計 %s 件です (%s %s、%s %s、%s %s、%s %s、%s %s)。",
                 ta, s[0].label, t[0], s[1].label, t[1], s[2].label, t[2], s[3].label, t[3],
                 s[4].label, t[4]);
    else
        snprintf(desc, sizeof(desc), "%s findings in the period (%s %s, %s %s, %s %s, %s %s, %s %s).",
                 ta, s[0].label, t[0], s[1].label, t[1], s[2].label, t[2], s[3].label, t[3],
                 s[4].label, t[4]);
    const int h = 250, y0 = h - PAD_B, plot_h = y0 - PAD_T - 14; /* room for totals */
    char id[16], fb[48];
    chart_open(c, sb, "chart-findings", title, desc, h, id);
    legend(sb, id, s, ARRAY_SIZE(s));
    double top = y_axis(sb, max, plot_h, y0, true, fmt_count);
    double slot = (double)(VIEW_W - PAD_L - PAD_R) / (double)n;
    double bw = MIN(slot * 0.6, 80);
    size_t every = label_every(n);
    for (size_t i = 0; i < n; i++) {
        const json_t *r = json_array_get(rows, i);
        double x = PAD_L + slot * ((double)i + 0.5) - bw / 2, y = y0, sum = 0;
        for (size_t k = 0; k < ARRAY_SIZE(s); k++) {
            double v = rep_num(r, s[k].key, NULL);
            if (!(v > 0))
                continue;
            double bh = v / top * plot_h;
            y -= bh;
            sum += v;
            char vb[32];
            fmt_count(vb, sizeof(vb), v);
            sb_printf(sb, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" "
                          "stroke=\"#1f2937\" stroke-width=\"0.6\"><title>",
                      x, y, bw, bh, fill_of(id, s[k].fill, fb, sizeof(fb)));
            rep_esc_max(sb, rep_str(r, "week"), 40);
            sb_printf(sb, " %s: %s</title></rect>", s[k].label, vb);
        }
        char sumb[32];
        fmt_count(sumb, sizeof(sumb), sum);
        sb_printf(sb, "<text x=\"%.1f\" y=\"%.1f\" class=\"vl\" text-anchor=\"middle\">%s</text>",
                  x + bw / 2, y - 4, sumb);
        if (i % every == 0) {
            const char *start = rep_str(r, "start");
            char d[48];
            rep_fmt_date(c, d, sizeof(d), start, REP_DATE_SHORT);
            sb_printf(sb, "<text x=\"%.1f\" y=\"%d\" class=\"xl\">", x + bw / 2, y0 + 18);
            if (d[0]) {
                sb_puts(sb, d);
                sb_puts(sb, c->ja ? "〜" : "–");
            } else {
                rep_esc_max(sb, rep_str(r, "week"), 24);
            }
            sb_puts(sb, "</text>");
        }
    }
    chart_close(sb);
}

/* --- horizontal bars: countries and services --- */

/* Copies at most `cols` display columns of s (CJK counts 2) into buf,
 * ending with "…" when cut; never splits a UTF-8 sequence. */
static void cut_label(char *buf, size_t len, const char *s, size_t cols)
{
    size_t used = 0, o = 0;
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        size_t l = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : 2;
        size_t w = *p >= 0xE0 ? 2 : 1;
        if (used + w > cols || o + l + 4 >= len) {
            if (o + 4 < len) {
                memcpy(buf + o, "\xE2\x80\xA6", 3); /* … */
                o += 3;
            }
            break;
        }
        for (size_t i = 0; i < l && p[i]; i++)
            buf[o++] = (char)p[i];
        if (strnlen((const char *)p, l) < l)
            break;
        p += l;
        used += w;
    }
    buf[o] = '\0';
}

struct hbar {
    const char *label;  /* row name (model text) */
    const char *detail; /* tooltip (model text), may be NULL */
    double value;
    char text[128];     /* value text at the bar's end */
};

static void hbars(struct rep_ctx *c, struct strbuf *sb, const char *cls, const char *title,
                  const char *desc, const struct hbar *rows, size_t n, const char *fill)
{
    const int label_w = 190, row_h = 26, h = 16 + (int)n * row_h + 8;
    const int x0 = label_w, bar_max = VIEW_W - PAD_R - label_w - 150;
    double max = 0;
    for (size_t i = 0; i < n; i++)
        max = MAX(max, rows[i].value);
    char id[16], fb[48];
    chart_open(c, sb, cls, title, desc, h, id);
    sb_printf(sb, "<line x1=\"%d\" x2=\"%d\" y1=\"8\" y2=\"%d\" class=\"axis\"/>", x0, x0, h - 8);
    for (size_t i = 0; i < n; i++) {
        int y = 12 + (int)i * row_h;
        double w = max > 0 ? rows[i].value / max * bar_max : 0;
        char lb[160];
        cut_label(lb, sizeof(lb), rows[i].label, BAR_LABEL_COLS);
        sb_printf(sb, "<g><title>");
        rep_esc_max(sb, rows[i].detail ? rows[i].detail : rows[i].label, 200);
        sb_printf(sb, "</title><text x=\"%d\" y=\"%d\" class=\"yl\">", x0 - 8, y + 14);
        rep_esc(sb, lb);
        sb_printf(sb, "</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"18\" fill=\"%s\" "
                      "stroke=\"#1f2937\" stroke-width=\"0.6\"/>",
                  x0, y + 1, w < 1 ? 1 : w, fill_of(id, fill, fb, sizeof(fb)));
        sb_printf(sb, "<text x=\"%.1f\" y=\"%d\" class=\"vl\">", x0 + (w < 1 ? 1 : w) + 6, y + 14);
        rep_esc(sb, rows[i].text);
        sb_puts(sb, "</text></g>");
    }
    chart_close(sb);
}

void rep_chart_countries(struct rep_ctx *c, struct strbuf *sb, const json_t *obj)
{
    const char *title = rep_label(c, "chart_countries");
    const json_t *rows = json_object_get(obj, "rows");
    size_t total = json_is_array(rows) ? json_array_size(rows) : 0;
    if (!json_is_true(json_object_get(obj, "available"))) {
        const char *note = rep_str(obj, "note");
        chart_empty(sb, "chart-countries", title,
                    note && *note ? note : rep_label(c, "chart_countries_nogeo"));
        return;
    }
    struct hbar bars[CHART_MAX_BARS];
    size_t n = 0;
    double all = 0;
    for (size_t i = 0; i < total; i++) {
        const json_t *r = json_array_get(rows, i);
        double v = rep_num(r, "probes", NULL);
        all += v > 0 ? v : 0;
        if (n < CHART_MAX_BARS && v > 0) {
            struct hbar *b = &bars[n++];
            b->label = rep_str(r, "name");
            if (!b->label || !*b->label)
                b->label = rep_str(r, "cc");
            if (!b->label || !*b->label)
                b->label = "?";
            b->detail = rep_str(r, "cc");
            b->value = v;
            char num[32];
            fmt_count(num, sizeof(num), v);
            snprintf(b->text, sizeof(b->text), c->ja ? "%s 回" : "%s", num);
        }
    }
    if (n == 0) {
        chart_empty(sb, "chart-countries", title, rep_label(c, "chart_countries_none"));
        return;
    }
    char desc[400], a[32], top[160];
    fmt_count(a, sizeof(a), all);
    cut_label(top, sizeof(top), bars[0].label, 40);
    if (c->ja)
        snprintf(desc, sizeof(desc), "外部からの探りは合計 %s 回で、いちばん多かったのは %s からです。", a,
                 top);
    else
        snprintf(desc, sizeof(desc), "%s probes from outside in total; the most came from %s.", a,
                 top);
    hbars(c, sb, "chart-countries", title, desc, bars, n, "stripe");
}

void rep_chart_services(struct rep_ctx *c, struct strbuf *sb, const json_t *rows)
{
    const char *title = rep_label(c, "chart_services");
    size_t total = json_is_array(rows) ? json_array_size(rows) : 0;
    struct hbar bars[CHART_MAX_BARS];
    size_t n = 0;
    for (size_t i = 0; i < total && n < 10; i++) {
        const json_t *r = json_array_get(rows, i);
        double v = rep_num(r, "bytes", NULL);
        if (!(v > 0))
            continue;
        struct hbar *b = &bars[n++];
        b->label = rep_str(r, "name");
        if (!b->label || !*b->label)
            b->label = "?";
        b->detail = NULL;
        b->value = v;
        char by[32], dv[32];
        rep_fmt_bytes(by, sizeof(by), v);
        bool ok = false;
        double d = rep_num(r, "devices", &ok);
        if (ok && d > 0) {
            fmt_count(dv, sizeof(dv), d);
            if (c->ja)
                snprintf(b->text, sizeof(b->text), "%s ・ %s 台", by, dv);
            else
                snprintf(b->text, sizeof(b->text), "%s · %s device%s", by, dv, d == 1 ? "" : "s");
        } else {
            snprintf(b->text, sizeof(b->text), "%s", by);
        }
    }
    if (n == 0) {
        chart_empty(sb, "chart-services", title, rep_label(c, "chart_services_none"));
        return;
    }
    char desc[400], top[160], by[32];
    cut_label(top, sizeof(top), bars[0].label, 40);
    rep_fmt_bytes(by, sizeof(by), bars[0].value);
    if (c->ja)
        snprintf(desc, sizeof(desc), "いちばん多く使われた外部サービスは %s (%s) です。", top, by);
    else
        snprintf(desc, sizeof(desc), "The outside service used most was %s (%s).", top, by);
    hbars(c, sb, "chart-services", title, desc, bars, n, "solid");
}

/* --- devices seen per day: a line --- */

void rep_chart_devices(struct rep_ctx *c, struct strbuf *sb, const json_t *rows,
                       const json_t *gaps)
{
    const char *title = rep_label(c, "chart_devices");
    size_t n = json_is_array(rows) ? MIN(json_array_size(rows), (size_t)CHART_MAX_POINTS) : 0;
    double max = 0, min = -1;
    for (size_t i = 0; i < n; i++) {
        double v = rep_num(json_array_get(rows, i), "count", NULL);
        v = v > 0 ? v : 0;
        max = MAX(max, v);
        min = min < 0 ? v : MIN(min, v);
    }
    if (n == 0 || !(max > 0)) {
        chart_empty(sb, "chart-devices", title, rep_label(c, "chart_devices_none"));
        return;
    }
    char desc[300], a[32], b[32];
    fmt_count(a, sizeof(a), min);
    fmt_count(b, sizeof(b), max);
    if (c->ja)
        snprintf(desc, sizeof(desc), "1日に見えた機器の数は、少ない日で %s 台、多い日で %s 台です。", a,
                 b);
    else
        snprintf(desc, sizeof(desc), "Devices seen per day: %s on the quietest day, %s on the busiest.",
                 a, b);
    const int h = 220, y0 = h - PAD_B, plot_h = y0 - PAD_T;
    char id[16];
    chart_open(c, sb, "chart-devices", title, desc, h, id);
    const struct series s[] = {
        {"count", rep_label(c, "legend_devices"), "solid"},
        {NULL, rep_label(c, "legend_off"), "off"},
    };
    double slot = (double)(VIEW_W - PAD_L - PAD_R) / (double)n;
    bool off = off_bands(sb, id, rows, n, gaps, slot, PAD_T, y0);
    legend(sb, id, s, off ? 2 : 1);
    double top = y_axis(sb, max, plot_h, y0, true, fmt_count);
    size_t every = label_every(n);
    sb_puts(sb, "<polyline class=\"line\" fill=\"none\" stroke=\"#1e3a8a\" stroke-width=\"2.5\" points=\"");
    for (size_t i = 0; i < n; i++) {
        double v = rep_num(json_array_get(rows, i), "count", NULL);
        sb_printf(sb, "%s%.1f,%.1f", i ? " " : "", PAD_L + slot * ((double)i + 0.5),
                  y0 - (v > 0 ? v : 0) / top * plot_h);
    }
    sb_puts(sb, "\"/>");
    for (size_t i = 0; i < n; i++) {
        const json_t *r = json_array_get(rows, i);
        double v = rep_num(r, "count", NULL);
        double x = PAD_L + slot * ((double)i + 0.5);
        if (n <= 62) {
            char vb[32];
            fmt_count(vb, sizeof(vb), v > 0 ? v : 0);
            sb_printf(sb, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#fff\" stroke=\"#1e3a8a\" "
                          "stroke-width=\"1.5\"><title>",
                      x, y0 - (v > 0 ? v : 0) / top * plot_h);
            rep_esc_max(sb, rep_str(r, "date"), 40);
            sb_printf(sb, ": %s</title></circle>", vb);
        }
        if (i % every == 0)
            x_label(c, sb, x, y0 + 18, rep_str(r, "date"), "");
    }
    chart_close(sb);
}
