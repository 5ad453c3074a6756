/* test-report-html.c - the monthly report page (report-html.c, report-svg.c)
 * from hand-written models: the two sample months (tests/report/), an empty
 * model, models with every key of the wrong type, and a hostile one (markup
 * in every string, very long words, control characters, 10,000 findings).
 * Each page must be well-formed (every element closed in order), contain no
 * markup from the model, stay bounded in size and time, and say "nothing to
 * report" where there is nothing.
 *
 * Set REPORT_HTML_OUT=DIR to keep the rendered sample pages for a look.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>

#include "report/report-svg.h"
#include "report/report.h"
#include "util/strbuf.h"
#include "util/util.h"

/* --- helpers --- */

/* The source tree: __FILE__ is relative to the build root (two levels above
 * this binary) or absolute. */
static void src_path(char *buf, size_t len, const char *rel)
{
    const char *f = __FILE__;
    const char *tail = strstr(f, "tests/unit/");
    size_t pre = tail ? (size_t)(tail - f) : 0;
    if (f[0] == '/') {
        snprintf(buf, len, "%.*s%s", (int)pre, f, rel);
        return;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    assert_true(n > 0);
    exe[n] = '\0';
    for (int i = 0; i < 3; i++) { /* strip test name, unit/, tests/ */
        char *s = strrchr(exe, '/');
        assert_non_null(s);
        *s = '\0';
    }
    struct strbuf sb = STRBUF_INIT;
    sb_printf(&sb, "%s/%.*s%s", exe, (int)pre, f, rel);
    assert_true(sb.len < len);
    memcpy(buf, sb.s, sb.len + 1);
    sb_free(&sb);
}

static json_t *load_sample(const char *name)
{
    char p[PATH_MAX];
    src_path(p, sizeof(p), name);
    json_error_t e;
    json_t *m = json_load_file(p, 0, &e);
    if (!m)
        fail_msg("%s: %s (line %d)", p, e.text, e.line);
    return m;
}

static void keep(const char *name, const struct strbuf *sb)
{
    const char *dir = getenv("REPORT_HTML_OUT");
    if (!dir || !*dir)
        return;
    char p[PATH_MAX];
    snprintf(p, sizeof(p), "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(sb_str(sb), f);
    fclose(f);
}

static bool is_void(const char *tag, size_t n)
{
    static const char *const v[] = {"meta", "br", "col", "img", "hr", "link", "input", "wbr"};
    for (size_t i = 0; i < ARRAY_SIZE(v); i++)
        if (strlen(v[i]) == n && !strncasecmp(tag, v[i], n))
            return true;
    return false;
}

/* Every start tag is closed in order (void elements and "/>" aside) and
 * the text between tags holds no stray '<' or '>'; <style> is skipped. */
static void assert_well_formed(const char *html)
{
    enum { DEPTH = 64 };
    char stack[DEPTH][16];
    int depth = 0;
    const char *p = html;
    const char *doctype = "<!DOCTYPE html>";
    assert_int_equal(strncmp(p, doctype, strlen(doctype)), 0);
    p += strlen(doctype);
    while (*p) {
        if (*p == '>')
            fail_msg("stray '>' in text near: %.60s", p > html + 30 ? p - 30 : html);
        if (*p != '<') {
            p++;
            continue;
        }
        bool close = p[1] == '/';
        const char *name = p + 1 + close;
        size_t n = strcspn(name, " \t\n/>");
        const char *end = strchr(name, '>');
        if (!end || n == 0 || n >= sizeof(stack[0]))
            fail_msg("bad tag near: %.60s", p);
        /* Inside a tag a '<' would be a second, broken tag. */
        const char *lt = memchr(name, '<', (size_t)(end - name));
        if (lt)
            fail_msg("'<' inside a tag near: %.60s", p);
        bool selfclose = end[-1] == '/';
        if (close) {
            if (depth == 0 || strlen(stack[depth - 1]) != n ||
                strncmp(stack[depth - 1], name, n))
                fail_msg("</%.*s> closes <%s>", (int)n, name, depth ? stack[depth - 1] : "(none)");
            depth--;
        } else if (!selfclose && !is_void(name, n)) {
            if (depth >= DEPTH)
                fail_msg("nesting deeper than %d", DEPTH);
            snprintf(stack[depth++], sizeof(stack[0]), "%.*s", (int)n, name);
            if (n == 5 && !strncmp(name, "style", 5)) {
                const char *st = strstr(end, "</style>");
                assert_non_null(st);
                end = st - 1;
            }
        }
        p = end + 1;
    }
    if (depth)
        fail_msg("<%s> never closed", stack[depth - 1]);
}

static void render(const json_t *m, struct strbuf *sb)
{
    sb_reset(sb);
    report_html_render(m, sb);
    assert_non_null(sb->s);
    assert_well_formed(sb->s);
    /* Self-contained: nothing the browser would fetch or run. */
    assert_null(strcasestr(sb->s, "<script"));
    assert_null(strcasestr(sb->s, "<link"));
    assert_null(strcasestr(sb->s, "<img"));
    assert_null(strcasestr(sb->s, "url(http"));
    assert_null(strcasestr(sb->s, "@import"));
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* --- tests --- */

static void test_sample_ja(void **state)
{
    (void)state;
    json_t *m = load_sample("tests/report/model-sample-ja.json");
    struct strbuf sb = STRBUF_INIT;
    render(m, &sb);
    const char *s = sb.s;
    assert_non_null(strstr(s, "<html lang=\"ja\">"));
    assert_non_null(strstr(s, "株式会社さくら会計事務所 御中"));
    assert_non_null(strstr(s, "2026年10月1日 〜 2026年10月31日")); /* until is exclusive */
    assert_non_null(strstr(s, "class=\"status status-red\""));
    assert_non_null(strstr(s, "要対応"));                           /* the badge has a word */
    assert_int_equal(count(s, "<li><h3>"), 3);                     /* three things to do */
    /* 1,284 vs 1,530 */
    assert_non_null(strstr(s, "▼ 246 減<span class=\"prev\">2026年9月は 1,530</span>"));
    assert_non_null(strstr(s, "▲ 2 増<span class=\"prev\">2026年9月は 0</span>"));
    assert_non_null(strstr(s, "＝ 変化なし<span class=\"prev\">2026年9月は 7</span>"));
    assert_non_null(strstr(s, "<p class=\"value\">1,284</p>"));
    assert_int_equal(count(s, "<article class=\"card"), 6);
    assert_int_equal(count(s, "<details class=\"evidence"), 6);
    assert_non_null(strstr(s, "185.220.101.47:443"));
    /* Five charts: four drawn, countries explained (no GeoIP database). */
    assert_int_equal(count(s, "<figure class=\"chart"), 5);
    assert_int_equal(count(s, "<svg class=\"chart-svg\""), 4);
    assert_non_null(strstr(s, "国の情報を調べるデータベースがない"));
    assert_non_null(strstr(s, "<title id=\"ch1-t\">"));
    assert_non_null(strstr(s, "38 GB"));                            /* Microsoft 365 */
    assert_non_null(strstr(s, "(未登録)"));
    assert_non_null(strstr(s, "(10 時間)："));
    assert_non_null(strstr(s, "184,220,931"));
    keep("sample-ja.html", &sb);
    sb_free(&sb);
    json_decref(m);
}

static void test_sample_en(void **state)
{
    (void)state;
    json_t *m = load_sample("tests/report/model-sample-en.json");
    struct strbuf sb = STRBUF_INIT;
    render(m, &sb);
    const char *s = sb.s;
    assert_non_null(strstr(s, "<html lang=\"en\">"));
    assert_non_null(strstr(s, "1 Oct 2026 – 31 Oct 2026"));
    assert_non_null(strstr(s, "Action needed"));
    assert_non_null(strstr(s, "▼ 246 fewer<span class=\"prev\">September 2026: 1,530</span>"));
    assert_int_equal(count(s, "<svg class=\"chart-svg\""), 5);     /* countries drawn too */
    assert_non_null(strstr(s, "United States"));
    assert_non_null(strstr(s, "Take the accounting PC &quot;KEIRI-PC03&quot;"));
    assert_null(strstr(s, "年"));                                  /* no Japanese dates */
    keep("sample-en.html", &sb);
    sb_free(&sb);
    json_decref(m);
}

static void test_empty(void **state)
{
    (void)state;
    struct strbuf sb = STRBUF_INIT;
    json_t *m = json_object();
    render(m, &sb);
    assert_non_null(strstr(sb.s, "<html lang=\"en\">"));
    assert_non_null(strstr(sb.s, "Nothing needs doing this month."));
    assert_non_null(strstr(sb.s, "No figures for this month."));
    assert_non_null(strstr(sb.s, "Nothing to report."));
    assert_non_null(strstr(sb.s, "status-unknown"));
    assert_int_equal(count(sb.s, "<p class=\"chart-empty\">"), 5);
    assert_non_null(strstr(sb.s, "The sensor recorded nothing"));
    keep("empty.html", &sb);
    json_decref(m);

    /* Not even an object, or NULL. */
    m = json_string("nope");
    render(m, &sb);
    json_decref(m);
    render(NULL, &sb);

    /* A sensor gap whose reason is a code gets words; an unknown one is
     * shown as given. */
    m = json_pack("{s:s,s:{s:s,s:[{s:s,s:s,s:f,s:s},{s:s,s:s,s:f,s:s}]}}", "lang", "ja",
                  "sensor", "first", "2026-10-01T00:00:00Z", "gaps", "start",
                  "2026-10-10T00:00:00Z", "end", "2026-10-13T00:00:00Z", "hours", 72.0, "reason",
                  "no_traffic", "start", "2026-10-20T00:00:00Z", "end", "2026-10-20T01:30:00Z",
                  "hours", 1.5, "reason", "odd_code");
    render(m, &sb);
    assert_non_null(strstr(sb.s, "(72 時間)：通信がまったくありませんでした"));
    assert_non_null(strstr(sb.s, "(1.5 時間)：odd_code"));
    json_decref(m);

    /* Japanese, nothing else. */
    m = json_pack("{s:s}", "lang", "ja");
    render(m, &sb);
    assert_non_null(strstr(sb.s, "今月は対応が必要なことはありません"));
    assert_non_null(strstr(sb.s, "報告することはありません"));
    json_decref(m);
    sb_free(&sb);
}

/* Every key present with the wrong type, nulls, and numbers that are too
 * big, negative or fractional. */
static void test_wrong_types(void **state)
{
    (void)state;
    json_error_t e;
    json_t *m = json_loads(
        "{\"lang\":7,\"company\":[],\"generated_at\":\"2026-13-45T99:99:00Z\","
        "\"period\":{\"since\":\"yesterday\",\"until\":12,\"label\":null},"
        "\"status\":{\"level\":\"purple\",\"reason\":5},"
        "\"todo\":[1,null,{\"title\":\"\"},{\"title\":\"x\",\"urgency\":\"never\"}],"
        "\"counts\":\"many\",\"themes\":{\"a\":1},"
        "\"charts\":{\"traffic_per_day\":[{\"date\":1,\"bytes_in\":-5,\"bytes_out\":1e308},"
        "{\"bytes_in\":\"x\"}],\"findings_per_week\":[{\"high\":1e300},{\"week\":3}],"
        "\"inbound_by_country\":{\"available\":true,\"rows\":[{\"probes\":-1},{\"probes\":2}]},"
        "\"top_services\":[{\"bytes\":1e30,\"devices\":-3}],\"devices_per_day\":[{\"count\":2.7}]},"
        "\"devices\":{\"new\":[null,3,{\"first_seen\":\"2026-02-30\"}],\"unknown\":{}},"
        "\"glossary\":[{\"term\":null},{\"term\":\"t\",\"text\":[1]}],"
        "\"sensor\":{\"first\":\"2026-10-01T00:00:00Z\",\"packets\":-1,\"coverage_pct\":400,\"gaps\":[{},{\"hours\":\"x\"}]},"
        "\"labels\":[1,2]}",
        0, &e);
    assert_non_null(m);
    struct strbuf sb = STRBUF_INIT;
    render(m, &sb);
    assert_non_null(strstr(sb.s, "100.0%")); /* coverage clamped */
    json_decref(m);
    sb_free(&sb);
}

static json_t *hostile_string(const char *tag)
{
    struct strbuf s = STRBUF_INIT;
    sb_printf(&s, "<script>alert('%s')</script>\"><img src=x onerror=alert(1)>&amp;\x01\x1f\x7f"
                  "</details></svg>]]>",
              tag);
    json_t *j = json_string(s.s);
    sb_free(&s);
    return j;
}

/* Puts a hostile string at every string leaf of a copy of the sample. */
static void poison(json_t *j, int depth)
{
    if (depth > 10)
        return;
    if (json_is_object(j)) {
        const char *k;
        json_t *v;
        void *tmp;
        json_object_foreach_safe(j, tmp, k, v) {
            if (json_is_string(v) && strcmp(k, "lang") && strcmp(k, "severity") &&
                strcmp(k, "level") && strcmp(k, "urgency"))
                json_object_set_new(j, k, hostile_string(k));
            else
                poison(v, depth + 1);
        }
    } else if (json_is_array(j)) {
        for (size_t i = 0; i < json_array_size(j); i++) {
            json_t *v = json_array_get(j, i);
            if (json_is_string(v))
                json_array_set_new(j, i, hostile_string("item"));
            else
                poison(v, depth + 1);
        }
    }
}

static void test_hostile(void **state)
{
    (void)state;
    json_t *m = load_sample("tests/report/model-sample-en.json");
    poison(m, 0);
    /* Hostile label texts and an evidence fact whose key is markup. */
    json_object_set_new(m, "labels", json_pack("{s:s,s:s}", "title", "<b>x</b>", "todo", "\"'"));
    json_t *f0 = json_array_get(json_object_get(json_array_get(json_object_get(m, "themes"), 0),
                                                "findings"),
                                0);
    json_object_set_new(json_object_get(json_object_get(f0, "evidence"), "facts"),
                        "<i onmouseover=x>", json_string("v"));
    /* A 100 kB word. */
    char *big = xmalloc(100001);
    memset(big, 'W', 100000);
    big[100000] = '\0';
    json_object_set_new(json_object_get(m, "status"), "reason", json_string(big));
    json_object_set_new(f0, "what", json_string(big));
    free(big);

    struct strbuf sb = STRBUF_INIT;
    render(m, &sb);
    const char *s = sb.s;
    assert_null(strstr(s, "<script"));
    assert_null(strstr(s, "<img"));
    assert_null(strstr(s, "<i "));
    assert_null(strstr(s, "<b>x"));
    assert_null(strstr(s, "\x01"));
    assert_null(strstr(s, "\x7f"));
    assert_non_null(strstr(s, "&lt;script&gt;alert(&#39;title&#39;)"));
    assert_non_null(strstr(s, "&lt;b&gt;x&lt;/b&gt;"));
    /* The long word is cut (at 600 bytes: the status sentence) with an ellipsis. */
    char want[64];
    snprintf(want, sizeof(want), "WWWW\xE2\x80\xA6</p>");
    assert_non_null(strstr(s, want));
    /* Card texts are cut at REP_MAX_TEXT bytes. */
    char *cut = xmalloc(REP_MAX_TEXT + 32);
    memset(cut, 'W', REP_MAX_TEXT);
    snprintf(cut + REP_MAX_TEXT, 32, "\xE2\x80\xA6</dd>");
    const char *at = strstr(s, cut);
    assert_non_null(at);
    assert_true(at == s || at[-1] != 'W');
    free(cut);
    assert_true(sb.len < 400000);
    keep("hostile.html", &sb);
    json_decref(m);
    sb_free(&sb);
}

/* 10,000 findings in one theme: the page caps the cards and says how many
 * more there are, and stays small and quick. */
static void test_many_findings(void **state)
{
    (void)state;
    json_t *m = load_sample("tests/report/model-sample-ja.json");
    json_t *theme = json_array_get(json_object_get(m, "themes"), 2);
    json_t *fs = json_object_get(theme, "findings");
    json_t *one = json_deep_copy(json_array_get(fs, 0));
    for (int i = 0; i < 10000; i++)
        json_array_append(fs, one);
    json_decref(one);
    json_t *devs = json_object_get(json_object_get(m, "devices"), "unknown");
    json_t *d = json_deep_copy(json_array_get(devs, 0));
    for (int i = 0; i < 5000; i++)
        json_array_append(devs, d);
    json_decref(d);
    uint64_t t0 = mono_ms();
    struct strbuf sb = STRBUF_INIT;
    render(m, &sb);
    uint64_t ms = mono_ms() - t0;
    assert_true(ms < 5000);
    assert_true(sb.len < 3 * 1024 * 1024);
    assert_non_null(strstr(sb.s, "ほか 9,902 件は"));  /* 10,002 - 100 shown */
    assert_non_null(strstr(sb.s, "ほか 4,702 行は"));  /* 5,002 - 300 shown */
    json_decref(m);
    sb_free(&sb);
}

static void test_formatting(void **state)
{
    (void)state;
    char b[64];
    rep_fmt_int(b, sizeof(b), 0);
    assert_string_equal(b, "0");
    rep_fmt_int(b, sizeof(b), 999);
    assert_string_equal(b, "999");
    rep_fmt_int(b, sizeof(b), 1000);           /* the first comma */
    assert_string_equal(b, "1,000");
    rep_fmt_int(b, sizeof(b), -1234567);
    assert_string_equal(b, "-1,234,567");
    rep_fmt_int(b, sizeof(b), LLONG_MIN);
    assert_string_equal(b, "-9,223,372,036,854,775,808");
    rep_fmt_int(b, 4, 123456);                 /* truncated, still terminated */
    assert_int_equal(strlen(b), 3);
    rep_fmt_bytes(b, sizeof(b), 999);
    assert_string_equal(b, "999 B");
    rep_fmt_bytes(b, sizeof(b), 1000);         /* the first unit step */
    assert_string_equal(b, "1.0 KB");
    rep_fmt_bytes(b, sizeof(b), 1.2e9);
    assert_string_equal(b, "1.2 GB");
    rep_fmt_bytes(b, sizeof(b), 38.2e9);
    assert_string_equal(b, "38 GB");
    rep_fmt_bytes(b, sizeof(b), -5);
    assert_string_equal(b, "0 B");
    rep_fmt_bytes(b, sizeof(b), 1e30);         /* past PB: stays in PB */
    assert_non_null(strstr(b, "PB"));

    struct rep_ctx ja = {.ja = true}, en = {.ja = false};
    rep_fmt_date(&ja, b, sizeof(b), "2026-10-01T00:00:00Z", REP_DATE_LONG);
    assert_string_equal(b, "2026年10月1日");
    rep_fmt_date(&en, b, sizeof(b), "2026-10-01", REP_DATE_LONG);
    assert_string_equal(b, "1 Oct 2026");
    rep_fmt_date(&ja, b, sizeof(b), "2026-10-01T23:30:00+09:00", REP_DATE_SHORT);
    assert_string_equal(b, "10/1");            /* 14:30 UTC */
    rep_fmt_date(&en, b, sizeof(b), "2026-12-31T23:59:59.999Z", REP_DATE_SHORT);
    assert_string_equal(b, "Dec 31");
    rep_fmt_date(&ja, b, sizeof(b), "2026-10-03T05:07:00Z", REP_DATE_TIME); /* TZ=UTC */
    assert_string_equal(b, "2026年10月3日 05:07");
    static const char *const junk[] = {"", "2026", "2026-1-01", "2026-10-01X", "2026-00-10",
                                       "2026-10-01T25:00", "2026-10-01T10:00+9", "１２３"};
    for (size_t i = 0; i < ARRAY_SIZE(junk); i++) {
        rep_fmt_date(&ja, b, sizeof(b), junk[i], REP_DATE_LONG);
        assert_string_equal(b, "");
    }
    rep_fmt_date(&ja, b, sizeof(b), NULL, REP_DATE_LONG);
    assert_string_equal(b, "");

    /* Escaping: markup, quotes, controls, and the cut on a UTF-8 boundary. */
    struct strbuf sb = STRBUF_INIT;
    rep_esc(&sb, "<a href='x'>\"&\x02\t</a>");
    assert_string_equal(sb_str(&sb), "&lt;a href=&#39;x&#39;&gt;&quot;&amp;\t&lt;/a&gt;");
    sb_reset(&sb);
    rep_esc_max(&sb, "あいう", 4); /* 3-byte characters: cut after one */
    assert_string_equal(sb_str(&sb), "あ…");
    sb_free(&sb);

    /* Labels: the model's own wording (under its key name) wins. */
    json_t *l = json_pack("{s:s}", "todo", "今月のやること");
    struct rep_ctx c = {.ja = true, .labels = l};
    assert_string_equal(rep_label(&c, "todo_heading"), "今月のやること");
    assert_string_equal(rep_label(&c, "counts_heading"), "今月の数字");
    json_decref(l);
}

/* Days the sensor was off at least half the day are shaded in the daily
 * charts (and only those: 11 h is not enough). */
static void test_off_days(void **state)
{
    (void)state;
    json_error_t e;
    json_t *m = json_loads(
        "{\"lang\":\"ja\",\"charts\":{\"traffic_per_day\":["
        "{\"date\":\"2026-10-09\",\"bytes_in\":5000,\"bytes_out\":100},"
        "{\"date\":\"2026-10-10\",\"bytes_in\":0,\"bytes_out\":0},"
        "{\"date\":\"2026-10-11\",\"bytes_in\":4000,\"bytes_out\":90}],"
        "\"devices_per_day\":[{\"date\":\"2026-10-09\",\"count\":9},"
        "{\"date\":\"2026-10-10\",\"count\":0},{\"date\":\"2026-10-11\",\"count\":8}]},"
        "\"sensor\":{\"first\":\"2026-10-01T00:00:00Z\",\"gaps\":["
        "{\"start\":\"2026-10-09T13:00:00Z\",\"end\":\"2026-10-10T12:00:00Z\"},"
        "{\"start\":\"2026-10-10T12:00:00Z\",\"end\":\"2026-10-10T13:00:00Z\"}]}}",
        0, &e);
    assert_non_null(m);
    struct strbuf sb = STRBUF_INIT;
    render(m, &sb);
    /* 10/9: 11 h off, not shaded; 10/10: 12 + 1 h, shaded; in both charts. */
    assert_int_equal(count(sb.s, "<rect class=\"off\""), 2);
    assert_int_equal(count(sb.s, ">センサー停止</text>"), 2);
    json_decref(m);
    sb_free(&sb);
}

/* The PDF writer's own failures, without starting a browser. */
static void test_pdf_errors(void **state)
{
    (void)state;
    char err[512];
    const char *old = getenv("PATH");
    char *saved = old ? xstrdup(old) : NULL;
    setenv("PATH", "/nonexistent", 1);
    assert_int_equal(report_pdf_write("x.html", "x.pdf", err, sizeof(err)), -1);
    assert_non_null(strstr(err, "chromium is not installed"));
    if (saved)
        setenv("PATH", saved, 1);
    free(saved);
    /* Past the browser look-up: needs one installed. */
    if (access("/usr/bin/chromium", X_OK) == 0) {
        char html[PATH_MAX];
        src_path(html, sizeof(html), "tests/report/model-sample-ja.json");
        assert_int_equal(report_pdf_write("/nonexistent/r.html", "r.pdf", err, sizeof(err)), -1);
        assert_non_null(strstr(err, "cannot read '/nonexistent/r.html'"));
        assert_int_equal(report_pdf_write(html, "/nonexistent/dir/r.pdf", err, sizeof(err)), -1);
        assert_non_null(strstr(err, "cannot write '/nonexistent/dir/r.pdf'"));
    }
}

int main(void)
{
    setenv("TZ", "UTC", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sample_ja),   cmocka_unit_test(test_sample_en),
        cmocka_unit_test(test_empty),       cmocka_unit_test(test_wrong_types),
        cmocka_unit_test(test_hostile),     cmocka_unit_test(test_many_findings),
        cmocka_unit_test(test_formatting), cmocka_unit_test(test_off_days),
        cmocka_unit_test(test_pdf_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
