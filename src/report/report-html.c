/* report-html.c - the monthly report as one self-contained HTML page.
 *
 * The page is read by a shop owner in five minutes and handed over by an IT
 * vendor, on screen or on paper. Page one is the summary (status, three
 * things to do, the month in numbers) and fits one A4 sheet; then the
 * findings by theme as cards whose technical evidence is folded into
 * <details> (opened when printed), the charts (report-svg.c), the device
 * tables, a glossary and what the sensor saw.
 *
 * No JavaScript, no network: CSS and SVG are inline, fonts are the system's
 * (with Japanese fallbacks). Every string from the model is escaped and
 * length-capped (rep_esc), every list is capped, and a missing or mistyped
 * key gives a "nothing to report" line, never a crash: the model comes from
 * our own store, but the store's strings come from the network.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "report/report-svg.h"
#include "report/report.h"
#include "util/strbuf.h"
#include "util/util.h"

/* Caps on what one page shows. A month with more than this is not made more
 * readable by printing it all; the rest is one `mamori alerts` away. */
#define MAX_TODO 3
#define MAX_COUNTS 8
#define MAX_THEMES 8
#define MAX_CARDS_PER_THEME 100
#define MAX_DEVICE_ROWS 300
#define MAX_GLOSSARY 80
#define MAX_GAPS 60
#define MAX_FLOW_IDS 20
#define MAX_FACTS 40

/* --- fixed texts: the model's "labels" win, these are the fallbacks --- */

struct label {
    const char *key, *en, *ja;
};

static const struct label labels[] = {
    {"title", "Monthly security report", "月次セキュリティレポート"},
    {"period", "Period", "対象期間"},
    {"generated", "Written on", "作成日"},
    {"company_none", "Your office network", "事業所のネットワーク"},
    {"status_heading", "This month's status", "今月の状態"},
    {"status_green", "Good", "良好"},
    {"status_amber", "Attention", "注意"},
    {"status_red", "Action needed", "要対応"},
    {"status_unknown", "Not known", "不明"},
    {"status_reason_none", "The sensor did not record enough to judge this month.",
     "今月は判断できるだけの記録がありません。"},
    {"todo_heading", "This month's things to do", "今月やること"},
    {"todo_none", "Nothing needs doing this month. mamori keeps watching.",
     "今月は対応が必要なことはありません。引き続き mamori が見守ります。"},
    {"todo_how", "How", "やり方"},
    {"counts_heading", "This month in numbers", "今月の数字"},
    {"counts_none", "No figures for this month.", "今月の数字はありません。"},
    {"happened_heading", "What happened", "今月あったこと"},
    {"theme_none", "Nothing to report.", "報告することはありません。"},
    {"card_what", "What happened", "何があったか"},
    {"card_why", "Why it matters", "なぜ大切か"},
    {"card_action", "What to do", "やること"},
    {"card_times", "Seen", "回数"},
    {"card_device", "Device", "機器"},
    {"card_when", "When", "期間"},
    {"evidence", "Technical details for your IT vendor", "技術的な詳細 (IT 担当・ベンダー向け)"},
    {"ev_alert", "Alert id", "アラート ID"},
    {"ev_category", "Category", "種類"},
    {"ev_severity", "Severity", "重要度"},
    {"ev_src", "Source address", "送信元アドレス"},
    {"ev_dest", "Destination", "宛先"},
    {"ev_mac", "MAC address", "MAC アドレス"},
    {"ev_first", "First seen", "最初"},
    {"ev_last", "Last seen", "最後"},
    {"ev_flows", "Flow ids", "フロー ID"},
    {"more_findings", "more of this kind: see `mamori alerts`.",
     "件は `mamori alerts` で確認できます。"},
    {"more_prefix", "And", "ほか"},
    {"charts_heading", "The month in charts", "グラフで見る今月"},
    {"chart_traffic", "Traffic per day", "1日ごとの通信量"},
    {"chart_traffic_none", "No traffic was recorded in this period.", "この期間の通信の記録はありません。"},
    {"chart_findings", "Findings per week, by severity", "週ごとの検出数 (重要度別)"},
    {"chart_findings_none", "Nothing was found in this period.", "この期間に検出はありませんでした。"},
    {"chart_countries", "Probes from outside, by country", "国別の外部からの探り"},
    {"chart_countries_none", "No probes from outside were recorded.", "外部からの探りは記録されていません。"},
    {"chart_countries_nogeo", "Countries are not shown: no GeoIP country database is set up.",
     "国の情報を調べるデータベース (GeoIP) が設定されていないため、国別には表示できません。"},
    {"chart_services", "Outside services used most", "よく使われた外部サービス"},
    {"chart_services_none", "No outside services were recorded.", "外部サービスの利用は記録されていません。"},
    {"chart_devices", "Devices seen per day", "1日に見えた機器の数"},
    {"chart_devices_none", "No devices were recorded in this period.", "この期間に機器の記録はありません。"},
    {"legend_in", "Received (in)", "受信 (外→社内)"},
    {"legend_out", "Sent (out)", "送信 (社内→外)"},
    {"legend_devices", "Devices", "機器の数"},
    {"legend_off", "Sensor off", "センサー停止"},
    {"sev_critical", "Critical", "緊急"},
    {"sev_high", "High", "高"},
    {"sev_medium", "Medium", "中"},
    {"sev_low", "Low", "低"},
    {"sev_info", "Info", "情報"},
    {"urg_now", "Now", "今すぐ"},
    {"urg_this_week", "This week", "今週中"},
    {"urg_this_month", "This month", "今月中"},
    {"devices_heading", "Devices", "機器"},
    {"devices_new", "New devices", "新しく見つかった機器"},
    {"devices_unknown", "Devices without an owner", "持ち主が登録されていない機器"},
    {"devices_returned", "Devices back after a long absence", "久しぶりに現れた機器"},
    {"devices_outdated", "Devices with an outdated system", "古い OS の機器"},
    {"devices_none", "None.", "ありません。"},
    {"col_device", "Device", "機器"},
    {"col_owner", "Owner", "持ち主"},
    {"col_ip", "Address", "IP アドレス"},
    {"col_os", "System", "OS"},
    {"col_seen", "First / last seen", "初めて / 最後に見た日"},
    {"col_note", "Note", "メモ"},
    {"owner_none", "(not registered)", "(未登録)"},
    {"more_rows", "more rows not shown.", "行は省略しました。"},
    {"glossary_heading", "Words used in this report", "用語集"},
    {"sensor_heading", "What the sensor saw", "センサーの稼働状況"},
    {"sensor_span", "Recording", "記録した期間"},
    {"sensor_packets", "Packets", "パケット数"},
    {"sensor_bytes", "Data", "データ量"},
    {"sensor_flows", "Connections", "通信 (フロー) 数"},
    {"sensor_runs", "Runs", "稼働回数"},
    {"sensor_coverage", "Time covered", "記録できた時間の割合"},
    {"sensor_gaps", "Times the sensor was off", "センサーが止まっていた時間"},
    {"sensor_nogaps", "None: the sensor ran the whole period.", "ありません。期間中ずっと動いていました。"},
    {"sensor_none", "The sensor recorded nothing in this period.", "この期間、センサーの記録はありません。"},
    {"hours", "h", "時間"},
    /* Why the sensor saw nothing, when the model gives a code (report-data.c). */
    {"gap_not_running", "mamori was not running", "mamori が動いていませんでした"},
    {"gap_no_traffic", "no traffic at all: a cable, switch port or power problem, or a holiday",
     "通信がまったくありませんでした（ケーブル・スイッチの差し口・電源の問題、または休業日）"},
    {"footer", "Made by mamori from what its sensor saw on your network. Times are shown in",
     "この報告書は、mamori のセンサーが社内ネットワークで見た通信をもとに作成しました。時刻の表示:"},
    {"count_new_devices", "New devices", "新しい機器"},
    {"count_serious_findings", "Serious findings", "重大な検出"},
    {"count_outside_attacks", "Attacks from outside", "外部からの攻撃"},
    {"count_mail_threats", "Dangerous mails", "危険なメール"},
    {"chg_up", "more", "増"},
    {"chg_down", "fewer", "減"},
    {"chg_same", "no change", "変化なし"},
    {"chg_none", "no figure for last month", "先月の記録なし"},
    {"chg_prev", "previous period", "前の期間"},
};

/* Our key -> the key the model's "labels" use for the same text
 * (docs/report.md). The model's wording wins so the text, HTML and mail
 * versions of one report say the same thing; ours is the fallback. */
static const struct {
    const char *ours, *model;
} label_alias[] = {
    {"generated", "generated_at"}, {"status_heading", "status"}, {"todo_heading", "todo"},
    {"counts_heading", "counts"}, {"happened_heading", "happened"}, {"theme_none", "no_findings"},
    {"card_what", "what"}, {"card_why", "why"}, {"card_action", "action"},
    {"card_times", "count"}, {"card_device", "device"}, {"ev_category", "category"},
    {"ev_severity", "severity"}, {"ev_src", "src_ip"}, {"ev_dest", "dest_ip"},
    {"ev_first", "first"}, {"ev_last", "last"}, {"ev_flows", "flow_ids"},
    {"charts_heading", "charts"}, {"chart_traffic", "traffic_per_day"},
    {"chart_findings", "findings_per_week"}, {"chart_countries", "inbound_by_country"},
    {"chart_services", "top_services"}, {"chart_devices", "devices_per_day"},
    {"legend_in", "bytes_in"}, {"legend_out", "bytes_out"}, {"legend_devices", "devices_count"},
    {"urg_now", "urgency_now"}, {"urg_this_week", "urgency_this_week"},
    {"urg_this_month", "urgency_this_month"}, {"devices_heading", "devices"},
    {"col_owner", "owner"}, {"col_ip", "ip"}, {"col_os", "os"}, {"col_note", "note"},
    {"glossary_heading", "glossary"}, {"sensor_heading", "sensor"},
    {"sensor_packets", "packets"}, {"sensor_flows", "flows"}, {"sensor_runs", "runs"},
    {"sensor_coverage", "coverage"}, {"sensor_gaps", "gaps"}, {"sensor_nogaps", "gaps_none"},
    {"chg_up", "change_up"}, {"chg_down", "change_down"}, {"chg_same", "change_same"},
};

static const char *label_lookup(const json_t *l, const char *key)
{
    for (size_t i = 0; i < ARRAY_SIZE(label_alias); i++)
        if (!strcmp(label_alias[i].ours, key)) {
            key = label_alias[i].model;
            break;
        }
    const char *v = json_string_value(json_object_get(l, key));
    return v && *v ? v : NULL;
}

const char *rep_label(const struct rep_ctx *c, const char *key)
{
    const char *v = c->labels ? label_lookup(c->labels, key) : NULL;
    if (v)
        return v;
    for (size_t i = 0; i < ARRAY_SIZE(labels); i++)
        if (!strcmp(labels[i].key, key))
            return c->ja ? labels[i].ja : labels[i].en;
    return key; /* our own bug, but visible rather than a crash */
}

/* --- escaping and formatting --- */

void rep_esc_max(struct strbuf *sb, const char *s, size_t max)
{
    if (!s)
        return;
    size_t n = strnlen(s, max + 1);
    bool cut = n > max;
    if (cut) {
        n = max;
        /* Back up to the start of a UTF-8 sequence. */
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    const char *run = s;
    for (const char *p = s; p < s + n; p++) {
        unsigned char ch = (unsigned char)*p;
        const char *rep = NULL;
        switch (ch) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default:
            /* C0 controls (but tab/newline) and DEL are not text. */
            if ((ch < 0x20 && ch != '\t' && ch != '\n') || ch == 0x7F)
                rep = "";
            else
                continue;
        }
        sb_putn(sb, run, (size_t)(p - run));
        sb_puts(sb, rep);
        run = p + 1;
    }
    sb_putn(sb, run, (size_t)(s + n - run));
    if (cut)
        sb_puts(sb, "\xE2\x80\xA6");
}

void rep_esc(struct strbuf *sb, const char *s)
{
    rep_esc_max(sb, s, REP_MAX_TEXT);
}

const char *rep_str(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

double rep_num(const json_t *obj, const char *key, bool *ok)
{
    const json_t *v = json_object_get(obj, key);
    bool is = json_is_number(v);
    if (ok)
        *ok = is;
    double d = is ? json_number_value(v) : 0;
    return isfinite(d) ? d : 0;
}

void rep_fmt_int(char *buf, size_t len, long long v)
{
    char tmp[32];
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    int n = snprintf(tmp, sizeof(tmp), "%llu", u);
    size_t o = 0;
    if (v < 0 && o + 1 < len)
        buf[o++] = '-';
    for (int i = 0; i < n && o + 1 < len; i++) {
        if (i > 0 && (n - i) % 3 == 0 && o + 1 < len)
            buf[o++] = ',';
        if (o + 1 < len)
            buf[o++] = tmp[i];
    }
    if (len)
        buf[o < len ? o : len - 1] = '\0';
}

void rep_fmt_bytes(char *buf, size_t len, double v)
{
    static const char *const unit[] = {"B", "KB", "MB", "GB", "TB", "PB"};
    size_t u = 0;
    if (!(v > 0))
        v = 0;
    while (v >= 1000 && u + 1 < ARRAY_SIZE(unit)) {
        v /= 1000;
        u++;
    }
    if (u == 0)
        snprintf(buf, len, "%.0f B", v);
    else if (v < 9.95)
        snprintf(buf, len, "%.1f %s", v, unit[u]);
    else
        snprintf(buf, len, "%.0f %s", v, unit[u]);
}

/* Parses ISO-8601 ("2026-10-01", "2026-10-01T09:05:00Z", "...+09:00",
 * fractions ignored) to seconds since the epoch; -1 if it is not one. */
static int parse_iso(const char *s, time_t *out, bool *has_time)
{
    if (!s)
        return -1;
    int y, mo, d, h = 0, mi = 0, se = 0, n = 0;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
        return -1;
    if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31)
        return -1;
    const char *p = s + n;
    *has_time = false;
    if (*p == 'T' || *p == ' ') {
        int m = 0;
        if (sscanf(p + 1, "%2d:%2d%n", &h, &mi, &m) != 2 || m != 5)
            return -1;
        p += 1 + m;
        if (*p == ':') {
            if (sscanf(p + 1, "%2d%n", &se, &m) != 1 || m != 2)
                return -1;
            p += 3;
        }
        if (*p == '.')
            while (*++p >= '0' && *p <= '9')
                ;
        if (h > 23 || mi > 59 || se > 60)
            return -1;
        *has_time = true;
    }
    long off = 0;
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om, m = 0;
        if (sscanf(p + 1, "%2d:%2d%n", &oh, &om, &m) != 2 || m != 5)
            return -1;
        off = (*p == '-' ? -1 : 1) * (oh * 3600L + om * 60L);
        p += 1 + m;
    }
    if (*p)
        return -1;
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = se;
    if (!*has_time) { /* a date in the model is a local calendar day: its midnight */
        tm.tm_isdst = -1;
        *out = mktime(&tm);
        return *out == (time_t)-1 ? -1 : 0;
    }
    *out = timegm(&tm) - off;
    return 0;
}

int rep_parse_time(const char *iso, long long *out)
{
    time_t t;
    bool has_time;
    if (parse_iso(iso, &t, &has_time) < 0)
        return -1;
    *out = (long long)t;
    return 0;
}

static const char *const mon_en[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

void rep_fmt_date(const struct rep_ctx *c, char *buf, size_t len, const char *iso,
                  enum rep_date style)
{
    time_t t;
    bool has_time;
    if (len)
        buf[0] = '\0';
    if (parse_iso(iso, &t, &has_time) < 0)
        return;
    struct tm tm;
    /* Everything is shown on the local clock the model was made on. */
    if (!localtime_r(&t, &tm))
        return;
    int y = tm.tm_year + 1900, m = tm.tm_mon + 1, d = tm.tm_mday;
    switch (style) {
    case REP_DATE_SHORT:
        if (c->ja)
            snprintf(buf, len, "%d/%d", m, d);
        else
            snprintf(buf, len, "%s %d", mon_en[tm.tm_mon], d);
        break;
    case REP_DATE_TIME:
        if (has_time) {
            if (c->ja)
                snprintf(buf, len, "%d年%d月%d日 %02d:%02d", y, m, d, tm.tm_hour, tm.tm_min);
            else
                snprintf(buf, len, "%d %s %d %02d:%02d", d, mon_en[tm.tm_mon], y, tm.tm_hour,
                         tm.tm_min);
            break;
        }
        /* a date without a time: */
        /* fall through */
    case REP_DATE_LONG:
        if (c->ja)
            snprintf(buf, len, "%d年%d月%d日", y, m, d);
        else
            snprintf(buf, len, "%d %s %d", d, mon_en[tm.tm_mon], y);
        break;
    }
}

/* The last day of [since, until): until is exclusive, so a month ending at
 * 2026-11-01T00:00Z is shown as ending on 31 October. */
static void fmt_until(const struct rep_ctx *c, char *buf, size_t len, const char *iso)
{
    time_t t;
    bool has_time;
    if (parse_iso(iso, &t, &has_time) < 0) {
        buf[0] = '\0';
        return;
    }
    t -= 1;
    struct tm tm;
    char tmp[32];
    if (!gmtime_r(&t, &tm) || !strftime(tmp, sizeof(tmp), "%Y-%m-%dT%H:%M:%SZ", &tm)) {
        buf[0] = '\0';
        return;
    }
    rep_fmt_date(c, buf, len, tmp, REP_DATE_LONG);
}

static void put_date(const struct rep_ctx *c, struct strbuf *sb, const char *iso,
                     enum rep_date style)
{
    char d[64];
    rep_fmt_date(c, d, sizeof(d), iso, style);
    if (d[0])
        sb_puts(sb, d);
    else
        rep_esc_max(sb, iso, 64); /* not a date: show what it is */
}

static void put_int(struct strbuf *sb, double v)
{
    char b[32];
    rep_fmt_int(b, sizeof(b), (long long)llround(v));
    sb_puts(sb, b);
}

/* Puts a model text, or the fallback label when it is missing or empty. */
static void put_text_or(const struct rep_ctx *c, struct strbuf *sb, const char *s,
                        const char *fallback_key)
{
    if (s && *s)
        rep_esc(sb, s);
    else
        rep_esc(sb, rep_label(c, fallback_key));
}

/* Class-name safe token from a model value chosen from a fixed set. */
static const char *pick(const char *v, const char *const *set, size_t n, const char *dflt)
{
    for (size_t i = 0; v && i < n; i++)
        if (!strcmp(v, set[i]))
            return set[i];
    return dflt;
}

static const char *const severities[] = {"info", "low", "medium", "high", "critical"};
static const char *const urgencies[] = {"now", "this_week", "this_month"};

static void put_urgency(const struct rep_ctx *c, struct strbuf *sb, const char *u)
{
    const char *k = pick(u, urgencies, ARRAY_SIZE(urgencies), NULL);
    if (!k)
        return;
    char key[32];
    snprintf(key, sizeof(key), "urg_%s", k);
    sb_printf(sb, "<span class=\"urg urg-%s\">", k);
    /* Shape as well as colour: ● now, ◆ this week, ○ this month. */
    sb_puts(sb, !strcmp(k, "now") ? "● " : !strcmp(k, "this_week") ? "◆ " : "○ ");
    rep_esc(sb, rep_label(c, key));
    sb_puts(sb, "</span>");
}

/* --- the style sheet --- */

static const char css[] =
    ":root{--ink:#111827;--muted:#4b5563;--line:#d1d5db;--paper:#fff;--bg:#eef0f3;"
    "--green:#166534;--green-bg:#dcfce7;--amber:#92400e;--amber-bg:#fef3c7;--red:#991b1b;"
    "--red-bg:#fee2e2;--blue:#1e3a8a}\n"
    "*{box-sizing:border-box}\n"
    "html{-webkit-text-size-adjust:100%;print-color-adjust:exact;-webkit-print-color-adjust:exact}\n"
    "body{margin:0;background:var(--bg);color:var(--ink);font-size:14px;line-height:1.6;"
    "font-family:system-ui,-apple-system,\"Segoe UI\",\"Noto Sans CJK JP\",\"Noto Sans JP\","
    "\"Hiragino Sans\",\"Hiragino Kaku Gothic ProN\",\"Yu Gothic\",YuGothic,Meiryo,sans-serif;"
    "overflow-wrap:anywhere;word-break:normal;line-break:strict}\n"
    ":lang(ja) body,body:lang(ja){font-family:\"Noto Sans CJK JP\",\"Noto Sans JP\",\"Hiragino Sans\","
    "\"Hiragino Kaku Gothic ProN\",\"Yu Gothic\",YuGothic,Meiryo,system-ui,sans-serif}\n"
    /* On screen each part is a sheet of A4 width (210mm - 2 x 12mm margins
     * = 186mm of text), so what one sees is what prints. */
    ".sheet{background:var(--paper);width:210mm;max-width:100%;margin:16px auto;padding:12mm;"
    "box-shadow:0 1px 4px rgba(0,0,0,.15)}\n"
    "h1,h2,h3,h4{line-height:1.3;margin:0}\n"
    "h2{font-size:20px;margin:0 0 10px;padding-bottom:4px;border-bottom:2px solid var(--ink)}\n"
    "h3{font-size:16px}\n"
    "p{margin:0 0 6px}\n"
    ".masthead{display:flex;justify-content:space-between;align-items:flex-end;gap:12px;"
    "border-bottom:3px solid var(--blue);padding-bottom:8px;margin-bottom:14px}\n"
    ".masthead .brand{font-weight:700;color:var(--blue);letter-spacing:.05em;font-size:13px}\n"
    ".masthead h1{font-size:24px}\n"
    ".masthead .company{font-size:17px;font-weight:600;margin:2px 0 0}\n"
    ".masthead>div:first-child{min-width:0;flex:1 1 auto}\n"
    ".masthead .meta{text-align:right;font-size:13px;color:var(--muted);flex:0 1 auto;max-width:50%}\n"
    ".masthead .meta strong{display:block;font-size:18px;color:var(--ink)}\n"
    ".status{display:flex;align-items:center;gap:14px;border:3px solid;border-radius:10px;"
    "padding:10px 14px;margin-bottom:16px}\n"
    ".status svg{flex:none;width:56px;height:56px}\n"
    ".status .word{font-size:24px;font-weight:800;line-height:1.2;margin:0}\n"
    ".status .reason{font-size:15px;margin:2px 0 0}\n"
    ".status-green{border-color:var(--green);background:var(--green-bg);color:var(--green)}\n"
    ".status-amber{border-color:var(--amber);background:var(--amber-bg);color:var(--amber)}\n"
    ".status-red{border-color:var(--red);background:var(--red-bg);color:var(--red)}\n"
    ".status-unknown{border-color:var(--muted);background:#f3f4f6;color:var(--muted)}\n"
    ".status .reason{color:var(--ink)}\n"
    ".todo{list-style:none;margin:0 0 16px;padding:0;counter-reset:todo}\n"
    ".todo li{counter-increment:todo;position:relative;padding:8px 10px 8px 52px;"
    "border:1px solid var(--line);border-radius:8px;margin-bottom:8px;break-inside:avoid}\n"
    ".todo li::before{content:counter(todo);position:absolute;left:10px;top:8px;width:32px;"
    "height:32px;border-radius:50%;background:var(--ink);color:#fff;font-weight:700;"
    "font-size:18px;text-align:center;line-height:32px}\n"
    ".todo h3{display:inline;font-size:16px;margin-right:6px}\n"
    ".todo .why{margin:2px 0 2px;color:var(--muted);font-size:13px;line-height:1.5}\n"
    ".todo .how{margin:0;font-size:13px;line-height:1.5}\n"
    ".todo .how b{margin-right:4px}\n"
    ".urg{display:inline-block;font-size:12px;font-weight:700;border:1.5px solid;border-radius:4px;"
    "padding:0 6px;vertical-align:2px;white-space:nowrap}\n"
    ".urg-now{color:#fff;background:var(--red);border-color:var(--red)}\n"
    ".urg-this_week{color:var(--amber);background:var(--amber-bg);border-color:var(--amber)}\n"
    ".urg-this_month{color:var(--blue);background:#fff;border-color:var(--blue)}\n"
    ".counts{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:8px;"
    "margin:0}\n"
    ".count{border:1px solid var(--line);border-radius:8px;padding:8px 10px;break-inside:avoid}\n"
    ".count .label{font-size:13px;color:var(--muted);margin:0}\n"
    ".count .value{font-size:30px;font-weight:800;line-height:1.2;margin:0}\n"
    ".count .chg{font-size:12px;margin:0}\n"
    ".count .prev{display:block;color:var(--muted)}\n"
    ".chg-up{color:var(--red)}.chg-down{color:var(--green)}.chg-same,.chg-none{color:var(--muted)}\n"
    ".none{color:var(--muted);font-style:italic}\n"
    ".theme{margin-bottom:18px}\n"
    ".theme>h3{font-size:18px;margin:14px 0 4px}\n"
    ".theme>.intro{color:var(--muted)}\n"
    ".card{border:1px solid var(--line);border-left:8px solid var(--muted);border-radius:6px;"
    "padding:8px 12px;margin:8px 0;break-inside:avoid;page-break-inside:avoid}\n"
    ".card header{display:flex;flex-wrap:wrap;align-items:baseline;gap:6px 8px;margin-bottom:4px}\n"
    ".card h4{font-size:16px;flex:1 1 60%}\n"
    ".sev{display:inline-block;font-size:12px;font-weight:700;border-radius:4px;padding:0 6px;"
    "border:1.5px solid;white-space:nowrap}\n"
    ".sev-critical{border-left-color:#450a0a}.sev-critical .sev{background:#450a0a;color:#fff;border-color:#450a0a}\n"
    ".sev-high{border-left-color:#b91c1c}.sev-high .sev{background:#fee2e2;color:#991b1b;border-color:#b91c1c}\n"
    ".sev-medium{border-left-color:#d97706}.sev-medium .sev{background:#fef3c7;color:#92400e;border-color:#d97706}\n"
    ".sev-low{border-left-color:#1d4ed8}.sev-low .sev{background:#dbeafe;color:#1e3a8a;border-color:#1d4ed8}\n"
    ".sev-info{border-left-color:#9ca3af}.sev-info .sev{background:#f3f4f6;color:#374151;border-color:#9ca3af}\n"
    ".card dl{display:grid;grid-template-columns:9em 1fr;gap:2px 10px;margin:0}\n"
    ".card dt{font-weight:700;color:var(--muted);font-size:13px;padding-top:1px}\n"
    ".card dd{margin:0}\n"
    ".card .meta{font-size:12px;color:var(--muted);margin:4px 0 0}\n"
    "details,.evidence{margin-top:6px;font-size:12px}\n"
    ".print-only{display:none}\n"
    ".evidence .evh{font-weight:700;color:var(--muted);margin:0}\n"
    "details summary{cursor:pointer;color:var(--blue)}\n"
    ".ev{border-collapse:collapse;margin-top:4px;width:100%;table-layout:fixed}\n"
    ".ev th{text-align:left;width:11em;color:var(--muted);font-weight:600;vertical-align:top}\n"
    ".ev th,.ev td{padding:1px 6px;border-top:1px solid #eee}\n"
    ".ev td{font-family:ui-monospace,\"DejaVu Sans Mono\",Menlo,Consolas,\"Noto Sans Mono CJK JP\",monospace}\n"
    ".more{color:var(--muted)}\n"
    ".chart{margin:0 0 16px;break-inside:avoid;page-break-inside:avoid}\n"
    ".chart figcaption{font-weight:700;font-size:15px;margin-bottom:4px}\n"
    ".chart-svg{display:block;height:auto;max-width:100%}\n"
    ".chart-svg text{font-size:12px;fill:#111827;font-family:inherit}\n"
    ".chart-svg .yl{text-anchor:end}.chart-svg .xl{text-anchor:middle}\n"
    ".chart-svg .vl{font-weight:600}.chart-svg .lg{font-size:13px}\n"
    ".chart-svg .grid{stroke:#e5e7eb;stroke-width:1}.chart-svg .axis{stroke:#374151;stroke-width:1.2}\n"
    ".chart-empty{border:1px dashed var(--line);border-radius:6px;padding:10px;color:var(--muted)}\n"
    ".devtable{width:100%;border-collapse:collapse;table-layout:fixed;font-size:12.5px;margin-bottom:14px}\n"
    ".devtable caption{text-align:left;font-weight:700;font-size:15px;padding:4px 0}\n"
    ".devtable th,.devtable td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:left;"
    "vertical-align:top}\n"
    ".devtable th{background:#f3f4f6;font-weight:700}\n"
    ".devtable tr{break-inside:avoid}\n"
    ".devtable .sub{display:block;color:var(--muted);font-size:11.5px}\n"
    ".devtable .noowner{color:var(--red);font-weight:600}\n"
    ".glossary dt{font-weight:700;margin-top:6px}.glossary dd{margin:0 0 0 1em}\n"
    ".sensor dl{display:grid;grid-template-columns:14em 1fr;gap:2px 10px;margin:0 0 8px}\n"
    ".sensor dt{color:var(--muted)}.sensor dd{margin:0}\n"
    ".sensor ul{margin:0 0 8px;padding-left:1.2em}\n"
    "footer.note{font-size:12px;color:var(--muted);border-top:1px solid var(--line);padding-top:6px;"
    "margin-top:10px}\n"
    /* Paper: A4, the browser's own margins replaced by ours, page one alone,
     * no card or chart split across sheets, evidence unfolded. */
    "@page{size:A4;margin:12mm}\n"
    "@media print{body{background:#fff;font-size:13px}"
    ".sheet{width:auto;margin:0;padding:0;box-shadow:none}"
    ".sheet+.sheet{break-before:page;page-break-before:always}"
    "#summary{break-after:page;page-break-after:always}"
    "h2,h3,h4,figcaption,caption{break-after:avoid;page-break-after:avoid}"
    ".screen-only{display:none!important}.print-only{display:block!important}"
    /* Evidence on paper runs as one small paragraph of "name value" pairs:
     * a table per card would make each card half a sheet. */
    ".print-only .ev,.print-only .ev tbody{display:block;width:auto}"
    ".print-only .ev tr{display:inline-block;max-width:100%;margin-right:14px;vertical-align:top}"
    ".print-only .ev th,.print-only .ev td{display:inline;border:0;padding:0;width:auto}"
    ".print-only .ev th::after{content:\" \"}"
    ".evidence{font-size:10.5px;line-height:1.45;margin-top:3px}"
    ".card{padding:6px 10px;margin:6px 0}"
    ".card h4{font-size:14px}"
    ".card dl{font-size:12px;line-height:1.5;grid-template-columns:7.5em 1fr}"
    ".card dt{font-size:11.5px}"
    ".card .meta{font-size:11px;margin-top:2px}"
    "a{color:inherit;text-decoration:none}}\n";

/* --- page one: the summary --- */

static void status_icon(struct strbuf *sb, const char *level)
{
    /* Shape says the level without colour: circle+check, triangle+!, octagon+x. */
    sb_puts(sb, "<svg viewBox=\"0 0 56 56\" aria-hidden=\"true\" focusable=\"false\">");
    if (!strcmp(level, "green"))
        sb_puts(sb, "<circle cx=\"28\" cy=\"28\" r=\"25\" fill=\"#166534\"/>"
                    "<path d=\"M16 29l8 8 16-17\" fill=\"none\" stroke=\"#fff\" stroke-width=\"6\" "
                    "stroke-linecap=\"round\" stroke-linejoin=\"round\"/>");
    else if (!strcmp(level, "amber"))
        sb_puts(sb, "<path d=\"M28 4L53 50H3z\" fill=\"#b45309\" stroke=\"#92400e\" "
                    "stroke-width=\"2\" stroke-linejoin=\"round\"/>"
                    "<rect x=\"25\" y=\"18\" width=\"6\" height=\"18\" rx=\"2\" fill=\"#fff\"/>"
                    "<circle cx=\"28\" cy=\"43\" r=\"3.5\" fill=\"#fff\"/>");
    else if (!strcmp(level, "red"))
        sb_puts(sb, "<path d=\"M18 3h20l15 15v20L38 53H18L3 38V18z\" fill=\"#991b1b\"/>"
                    "<path d=\"M19 19l18 18M37 19L19 37\" stroke=\"#fff\" stroke-width=\"6\" "
                    "stroke-linecap=\"round\"/>");
    else
        sb_puts(sb, "<circle cx=\"28\" cy=\"28\" r=\"24\" fill=\"none\" stroke=\"#4b5563\" "
                    "stroke-width=\"4\" stroke-dasharray=\"6 5\"/>"
                    "<text x=\"28\" y=\"37\" text-anchor=\"middle\" font-size=\"26\" "
                    "font-weight=\"700\" fill=\"#4b5563\">?</text>");
    sb_puts(sb, "</svg>");
}

static void render_masthead(const struct rep_ctx *c, struct strbuf *sb, const json_t *m)
{
    const json_t *period = json_object_get(m, "period");
    const char *company = rep_str(m, "company");
    sb_puts(sb, "<header class=\"masthead\"><div><div class=\"brand\">mamori</div><h1>");
    rep_esc(sb, rep_label(c, "title"));
    sb_puts(sb, "</h1><p class=\"company\">");
    if (company && *company) {
        rep_esc_max(sb, company, 200);
        /* A report addressed to an organisation takes 御中 (様 is for a
         * person), unless the name already carries an honorific. */
        size_t n = strlen(company);
        static const char *const hon[] = {"御中", "様", "殿"};
        bool has = false;
        for (size_t i = 0; i < ARRAY_SIZE(hon); i++)
            if (n >= strlen(hon[i]) && !strcmp(company + n - strlen(hon[i]), hon[i]))
                has = true;
        if (c->ja && !has)
            sb_puts(sb, " 御中");
    } else {
        rep_esc(sb, rep_label(c, "company_none"));
    }
    sb_puts(sb, "</p></div><div class=\"meta\">");
    const char *label = rep_str(period, "label");
    char a[64], b[64];
    rep_fmt_date(c, a, sizeof(a), rep_str(period, "since"), REP_DATE_LONG);
    fmt_until(c, b, sizeof(b), rep_str(period, "until"));
    if (label && *label) {
        sb_puts(sb, "<strong>");
        rep_esc_max(sb, label, 100);
        sb_puts(sb, "</strong>");
    }
    if (a[0] && b[0]) {
        rep_esc(sb, rep_label(c, "period"));
        sb_printf(sb, ": %s %s %s<br>", a, c->ja ? "〜" : "–", b);
    }
    char g[64];
    rep_fmt_date(c, g, sizeof(g), rep_str(m, "generated_at"), REP_DATE_LONG);
    if (g[0]) {
        rep_esc(sb, rep_label(c, "generated"));
        sb_printf(sb, ": %s", g);
    }
    sb_puts(sb, "</div></header>\n");
}

static void render_status(const struct rep_ctx *c, struct strbuf *sb, const json_t *m)
{
    static const char *const levels[] = {"green", "amber", "red"};
    const json_t *st = json_object_get(m, "status");
    const char *level = pick(rep_str(st, "level"), levels, ARRAY_SIZE(levels), "unknown");
    char key[32];
    snprintf(key, sizeof(key), "status_%s", level);
    sb_printf(sb, "<div class=\"status status-%s\" role=\"status\">", level);
    status_icon(sb, level);
    sb_puts(sb, "<div><p class=\"word\">");
    rep_esc(sb, rep_label(c, key));
    sb_puts(sb, "</p><p class=\"reason\">");
    const char *reason = rep_str(st, "reason");
    /* One sentence by design; a cap keeps page one a single sheet. */
    if (reason && *reason)
        rep_esc_max(sb, reason, 600);
    else
        rep_esc(sb, rep_label(c, "status_reason_none"));
    sb_puts(sb, "</p></div></div>\n");
}

static void render_todo(const struct rep_ctx *c, struct strbuf *sb, const json_t *m)
{
    const json_t *todo = json_object_get(m, "todo");
    size_t n = json_is_array(todo) ? json_array_size(todo) : 0;
    sb_puts(sb, "<h2>");
    rep_esc(sb, rep_label(c, "todo_heading"));
    sb_puts(sb, "</h2>\n");
    size_t shown = 0;
    for (size_t i = 0; i < n && shown < MAX_TODO; i++) {
        const json_t *t = json_array_get(todo, i);
        const char *title = rep_str(t, "title");
        if (!title || !*title)
            continue;
        if (!shown++)
            sb_puts(sb, "<ol class=\"todo\">");
        sb_puts(sb, "<li><h3>");
        rep_esc_max(sb, title, 300);
        sb_puts(sb, "</h3>");
        put_urgency(c, sb, rep_str(t, "urgency"));
        /* Tighter caps than elsewhere: three items must leave page one a
         * single A4 sheet (the cards later carry the full story). */
        const char *why = rep_str(t, "why"), *how = rep_str(t, "how");
        if (why && *why) {
            sb_puts(sb, "<p class=\"why\">");
            rep_esc_max(sb, why, 600);
            sb_puts(sb, "</p>");
        }
        if (how && *how) {
            sb_puts(sb, "<p class=\"how\"><b>");
            rep_esc(sb, rep_label(c, "todo_how"));
            sb_puts(sb, ":</b>");
            rep_esc_max(sb, how, 900);
            sb_puts(sb, "</p>");
        }
        sb_puts(sb, "</li>\n");
    }
    if (shown)
        sb_puts(sb, "</ol>\n");
    else {
        sb_puts(sb, "<p class=\"none todo-none\">");
        rep_esc(sb, rep_label(c, "todo_none"));
        sb_puts(sb, "</p>\n");
    }
}

/* "▲ 3 more (October 2026: 2)": arrow, number and words, so the change
 * reads the same in grayscale; the previous period by its label, since it
 * is not always a month. */
static void render_change(const struct rep_ctx *c, struct strbuf *sb, const json_t *item,
                          const char *prev_label)
{
    bool has_prev = false;
    double v = rep_num(item, "value", NULL);
    double p = rep_num(item, "previous", &has_prev);
    if (!has_prev) {
        sb_puts(sb, "<p class=\"chg chg-none\">");
        rep_esc(sb, rep_label(c, "chg_none"));
        sb_puts(sb, "</p>");
        return;
    }
    double d = (double)(llround(v) - llround(p));
    const char *cls = d > 0 ? "up" : d < 0 ? "down" : "same";
    sb_printf(sb, "<p class=\"chg chg-%s\">", cls);
    if (d > 0 || d < 0) {
        sb_puts(sb, d > 0 ? "▲ " : "▼ ");
        put_int(sb, fabs(d));
        sb_putc(sb, ' ');
        rep_esc(sb, rep_label(c, d > 0 ? "chg_up" : "chg_down"));
    } else {
        sb_puts(sb, "＝ ");
        rep_esc(sb, rep_label(c, "chg_same"));
    }
    /* The previous figure on a line of its own, so the boxes stay even. */
    sb_puts(sb, "<span class=\"prev\">");
    rep_esc_max(sb, prev_label && *prev_label ? prev_label : rep_label(c, "chg_prev"), 60);
    sb_puts(sb, c->ja ? "は " : ": ");
    put_int(sb, p);
    sb_puts(sb, "</span></p>");
}

static void render_counts(const struct rep_ctx *c, struct strbuf *sb, const json_t *m)
{
    const json_t *counts = json_object_get(m, "counts");
    size_t n = json_is_array(counts) ? json_array_size(counts) : 0;
    sb_puts(sb, "<h2>");
    rep_esc(sb, rep_label(c, "counts_heading"));
    sb_puts(sb, "</h2>\n");
    size_t shown = 0;
    for (size_t i = 0; i < n && shown < MAX_COUNTS; i++) {
        const json_t *item = json_array_get(counts, i);
        if (!json_is_object(item))
            continue;
        if (!shown++)
            sb_puts(sb, "<div class=\"counts\">");
        const char *label = rep_str(item, "label");
        const char *id = rep_str(item, "id");
        sb_puts(sb, "<div class=\"count\"><p class=\"label\">");
        if (label && *label) {
            rep_esc_max(sb, label, 100);
        } else {
            char key[80];
            snprintf(key, sizeof(key), "count_%.60s", id ? id : "");
            const char *l = rep_label(c, key);
            rep_esc_max(sb, l == key ? (id ? id : "?") : l, 100);
        }
        sb_puts(sb, "</p><p class=\"value\">");
        put_int(sb, rep_num(item, "value", NULL));
        sb_puts(sb, "</p>");
        render_change(c, sb, item, rep_str(json_object_get(m, "previous"), "label"));
        sb_puts(sb, "</div>");
    }
    if (shown)
        sb_puts(sb, "</div>\n");
    else {
        sb_puts(sb, "<p class=\"none\">");
        rep_esc(sb, rep_label(c, "counts_none"));
        sb_puts(sb, "</p>\n");
    }
}

/* --- what happened: findings by theme --- */

static void ev_row(struct strbuf *sb, const char *th, const char *td)
{
    if (!td || !*td)
        return;
    sb_puts(sb, "<tr><th>");
    rep_esc(sb, th);
    sb_puts(sb, "</th><td>");
    rep_esc_max(sb, td, 1000);
    sb_puts(sb, "</td></tr>");
}

static void render_evidence(const struct rep_ctx *c, struct strbuf *out, const json_t *f)
{
    const json_t *ev = json_object_get(f, "evidence");
    struct strbuf tb = STRBUF_INIT;
    struct strbuf *sb = &tb;
    sb_puts(sb, "<table class=\"ev\">");
    char buf[64];
    const json_t *aid = json_object_get(f, "alert_id");
    if (json_is_integer(aid)) {
        snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(aid));
        ev_row(sb, rep_label(c, "ev_alert"), buf);
    } else {
        ev_row(sb, rep_label(c, "ev_alert"), json_string_value(aid));
    }
    ev_row(sb, rep_label(c, "ev_category"), rep_str(f, "category"));
    ev_row(sb, rep_label(c, "ev_severity"), rep_str(f, "severity"));
    ev_row(sb, rep_label(c, "ev_mac"), rep_str(f, "device"));
    ev_row(sb, rep_label(c, "ev_src"), rep_str(ev, "src_ip"));
    const char *dst = rep_str(ev, "dest_ip");
    if (dst && *dst) {
        struct strbuf d = STRBUF_INIT;
        sb_puts(&d, dst);
        bool ok;
        double port = rep_num(ev, "dest_port", &ok);
        if (ok && port > 0 && port < 65536)
            sb_printf(&d, strchr(dst, ':') ? " port %.0f" : ":%.0f", port);
        ev_row(sb, rep_label(c, "ev_dest"), sb_str(&d));
        sb_free(&d);
    }
    char t[64];
    rep_fmt_date(c, t, sizeof(t), rep_str(f, "first"), REP_DATE_TIME);
    ev_row(sb, rep_label(c, "ev_first"), t[0] ? t : rep_str(f, "first"));
    rep_fmt_date(c, t, sizeof(t), rep_str(f, "last"), REP_DATE_TIME);
    ev_row(sb, rep_label(c, "ev_last"), t[0] ? t : rep_str(f, "last"));
    const json_t *ids = json_object_get(ev, "flow_ids");
    size_t nid = json_is_array(ids) ? json_array_size(ids) : 0;
    if (nid) {
        struct strbuf d = STRBUF_INIT;
        for (size_t i = 0; i < nid && i < MAX_FLOW_IDS; i++) {
            const json_t *v = json_array_get(ids, i);
            if (i)
                sb_puts(&d, ", ");
            if (json_is_integer(v))
                sb_printf(&d, "%lld", (long long)json_integer_value(v));
            else if (json_is_string(v))
                sb_printf(&d, "%.40s", json_string_value(v));
        }
        if (nid > MAX_FLOW_IDS)
            sb_printf(&d, " (+%zu)", nid - MAX_FLOW_IDS);
        ev_row(sb, rep_label(c, "ev_flows"), sb_str(&d));
        sb_free(&d);
    }
    /* Detector-specific facts, as the detector named them. */
    json_t *facts = json_object_get(ev, "facts");
    const char *k;
    json_t *v;
    size_t nf = 0;
    if (json_is_object(facts)) {
        json_object_foreach(facts, k, v) {
            if (nf++ >= MAX_FACTS)
                break;
            if (json_is_string(v)) {
                ev_row(sb, k, json_string_value(v));
            } else {
                char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
                ev_row(sb, k, s);
                free(s);
            }
        }
    }
    sb_puts(sb, "</table>");
    /* Folded on screen; on paper <details> cannot be opened by CSS in every
     * browser, so the same table is written once more for print only. */
    sb_puts(out, "<details class=\"evidence screen-only\"><summary>");
    rep_esc(out, rep_label(c, "evidence"));
    sb_puts(out, "</summary>");
    sb_puts(out, sb_str(&tb));
    sb_puts(out, "</details><div class=\"evidence print-only\"><p class=\"evh\">");
    rep_esc(out, rep_label(c, "evidence"));
    sb_puts(out, "</p>");
    sb_puts(out, sb_str(&tb));
    sb_puts(out, "</div>");
    sb_free(&tb);
}

static void card_part(struct strbuf *sb, const char *dt, const char *dd)
{
    if (!dd || !*dd)
        return;
    sb_puts(sb, "<dt>");
    rep_esc(sb, dt);
    sb_puts(sb, "</dt><dd>");
    rep_esc(sb, dd);
    sb_puts(sb, "</dd>");
}

static void render_card(const struct rep_ctx *c, struct strbuf *sb, const json_t *f)
{
    const char *sev = pick(rep_str(f, "severity"), severities, ARRAY_SIZE(severities), "info");
    sb_printf(sb, "<article class=\"card sev-%s\"><header><h4>", sev);
    put_text_or(c, sb, rep_str(f, "title"), "theme_none");
    sb_puts(sb, "</h4><span class=\"sev\">");
    rep_esc(sb, rep_label(c, "ev_severity"));
    sb_puts(sb, c->ja ? "：" : ": ");
    const char *sl = rep_str(f, "severity_label");
    if (sl && *sl) {
        rep_esc_max(sb, sl, 40);
    } else {
        char key[32];
        snprintf(key, sizeof(key), "sev_%s", sev);
        rep_esc(sb, rep_label(c, key));
    }
    sb_puts(sb, "</span>");
    put_urgency(c, sb, rep_str(f, "urgency"));
    sb_puts(sb, "</header><dl>");
    card_part(sb, rep_label(c, "card_what"), rep_str(f, "what"));
    card_part(sb, rep_label(c, "card_why"), rep_str(f, "why"));
    card_part(sb, rep_label(c, "card_action"), rep_str(f, "action"));
    sb_puts(sb, "</dl>");
    /* One line a non-technical reader can still use: which device, how
     * often, over what time. */
    struct strbuf meta = STRBUF_INIT;
    const char *dn = rep_str(f, "device_name");
    if (dn && *dn) {
        rep_esc(&meta, rep_label(c, "card_device"));
        sb_puts(&meta, ": ");
        rep_esc_max(&meta, dn, 200);
    }
    bool ok;
    double cnt = rep_num(f, "count", &ok);
    if (ok && cnt > 1) {
        if (meta.len)
            sb_puts(&meta, c->ja ? "　" : " · ");
        rep_esc(&meta, rep_label(c, "card_times"));
        sb_puts(&meta, ": ");
        put_int(&meta, cnt);
        sb_puts(&meta, c->ja ? " 回" : " times");
    }
    char a[64], b[64];
    rep_fmt_date(c, a, sizeof(a), rep_str(f, "first"), REP_DATE_TIME);
    rep_fmt_date(c, b, sizeof(b), rep_str(f, "last"), REP_DATE_TIME);
    if (a[0]) {
        if (meta.len)
            sb_puts(&meta, c->ja ? "　" : " · ");
        rep_esc(&meta, rep_label(c, "card_when"));
        sb_printf(&meta, ": %s", a);
        if (b[0] && strcmp(a, b))
            sb_printf(&meta, " %s %s", c->ja ? "〜" : "–", b);
    }
    if (meta.len)
        sb_printf(sb, "<p class=\"meta\">%s</p>", sb_str(&meta));
    sb_free(&meta);
    render_evidence(c, sb, f);
    sb_puts(sb, "</article>\n");
}

static void render_themes(const struct rep_ctx *c, struct strbuf *sb, const json_t *m)
{
    const json_t *themes = json_object_get(m, "themes");
    size_t n = json_is_array(themes) ? json_array_size(themes) : 0;
    sb_puts(sb, "<section class=\"sheet happened\" id=\"happened\"><h2>");
    rep_esc(sb, rep_label(c, "happened_heading"));
    sb_puts(sb, "</h2>\n");
    size_t shown = 0;
    for (size_t i = 0; i < n && i < MAX_THEMES; i++) {
        const json_t *t = json_array_get(themes, i);
        if (!json_is_object(t))
            continue;
        shown++;
        static const char *const ids[] = {"devices", "outside", "inside", "practice"};
        sb_printf(sb, "<section class=\"theme theme-%s\"><h3>",
                  pick(rep_str(t, "id"), ids, ARRAY_SIZE(ids), "other"));
        put_text_or(c, sb, rep_str(t, "title"), "happened_heading");
        sb_puts(sb, "</h3>");
        const char *intro = rep_str(t, "intro");
        if (intro && *intro) {
            sb_puts(sb, "<p class=\"intro\">");
            rep_esc(sb, intro);
            sb_puts(sb, "</p>");
        }
        const json_t *fs = json_object_get(t, "findings");
        size_t nf = json_is_array(fs) ? json_array_size(fs) : 0, cards = 0;
        for (size_t j = 0; j < nf && cards < MAX_CARDS_PER_THEME; j++) {
            const json_t *f = json_array_get(fs, j);
            if (!json_is_object(f))
                continue;
            render_card(c, sb, f);
            cards++;
        }
        if (nf > MAX_CARDS_PER_THEME) {
            sb_puts(sb, "<p class=\"more\">");
            rep_esc(sb, rep_label(c, "more_prefix"));
            sb_putc(sb, ' ');
            put_int(sb, (double)(nf - MAX_CARDS_PER_THEME));
            sb_putc(sb, ' ');
            rep_esc(sb, rep_label(c, "more_findings"));
            sb_puts(sb, "</p>");
        } else if (!cards) {
            sb_puts(sb, "<p class=\"none\">");
            rep_esc(sb, rep_label(c, "theme_none"));
            sb_puts(sb, "</p>");
        }
        sb_puts(sb, "</section>\n");
    }
    if (!shown) {
        sb_puts(sb, "<p class=\"none\">");
        rep_esc(sb, rep_label(c, "theme_none"));
        sb_puts(sb, "</p>\n");
    }
    sb_puts(sb, "</section>\n");
}

/* --- charts, devices, glossary, sensor --- */

static void render_charts(struct rep_ctx *c, struct strbuf *sb, const json_t *m)
{
    const json_t *ch = json_object_get(m, "charts");
    sb_puts(sb, "<section class=\"sheet charts\" id=\"charts\"><h2>");
    rep_esc(sb, rep_label(c, "charts_heading"));
    sb_puts(sb, "</h2>\n");
    const json_t *gaps = json_object_get(json_object_get(m, "sensor"), "gaps");
    rep_chart_traffic(c, sb, json_object_get(ch, "traffic_per_day"), gaps);
    rep_chart_findings(c, sb, json_object_get(ch, "findings_per_week"));
    rep_chart_countries(c, sb, json_object_get(ch, "inbound_by_country"));
    rep_chart_services(c, sb, json_object_get(ch, "top_services"));
    rep_chart_devices(c, sb, json_object_get(ch, "devices_per_day"), gaps);
    sb_puts(sb, "</section>\n");
}

static void render_device_table(const struct rep_ctx *c, struct strbuf *sb, const json_t *devs,
                                const char *kind)
{
    char key[40];
    snprintf(key, sizeof(key), "devices_%s", kind);
    const json_t *rows = json_object_get(devs, kind);
    size_t n = json_is_array(rows) ? json_array_size(rows) : 0;
    if (!n) {
        sb_printf(sb, "<h3 class=\"devcap\">");
        rep_esc(sb, rep_label(c, key));
        sb_puts(sb, "</h3><p class=\"none\">");
        rep_esc(sb, rep_label(c, "devices_none"));
        sb_puts(sb, "</p>\n");
        return;
    }
    sb_printf(sb, "<table class=\"devtable dev-%s\"><caption>", kind);
    rep_esc(sb, rep_label(c, key));
    sb_printf(sb, " (");
    put_int(sb, (double)n);
    sb_puts(sb, ")</caption><colgroup><col style=\"width:25%\"><col style=\"width:15%\">"
                "<col style=\"width:14%\"><col style=\"width:14%\"><col style=\"width:16%\">"
                "<col style=\"width:16%\"></colgroup><thead><tr>");
    static const char *const cols[] = {"col_device", "col_owner", "col_ip", "col_os", "col_seen",
                                       "col_note"};
    for (size_t i = 0; i < ARRAY_SIZE(cols); i++) {
        sb_puts(sb, "<th scope=\"col\">");
        rep_esc(sb, rep_label(c, cols[i]));
        sb_puts(sb, "</th>");
    }
    sb_puts(sb, "</tr></thead><tbody>");
    for (size_t i = 0; i < n && i < MAX_DEVICE_ROWS; i++) {
        const json_t *d = json_array_get(rows, i);
        const char *name = rep_str(d, "name"), *mac = rep_str(d, "mac"),
                   *vendor = rep_str(d, "vendor"), *owner = rep_str(d, "owner");
        sb_puts(sb, "<tr><td>");
        rep_esc_max(sb, name && *name ? name : mac, 200);
        if (name && *name && mac && *mac) {
            sb_puts(sb, "<span class=\"sub\">");
            rep_esc_max(sb, mac, 64);
            sb_puts(sb, "</span>");
        }
        if (vendor && *vendor) {
            sb_puts(sb, "<span class=\"sub\">");
            rep_esc_max(sb, vendor, 200);
            sb_puts(sb, "</span>");
        }
        sb_puts(sb, "</td><td>");
        if (owner && *owner)
            rep_esc_max(sb, owner, 200);
        else {
            sb_puts(sb, "<span class=\"noowner\">");
            rep_esc(sb, rep_label(c, "owner_none"));
            sb_puts(sb, "</span>");
        }
        sb_puts(sb, "</td><td>");
        rep_esc_max(sb, rep_str(d, "ip"), 64);
        sb_puts(sb, "</td><td>");
        rep_esc_max(sb, rep_str(d, "os"), 200);
        sb_puts(sb, "</td><td>");
        const char *fs = rep_str(d, "first_seen"), *ls = rep_str(d, "last_seen");
        if (fs)
            put_date(c, sb, fs, REP_DATE_LONG);
        if (ls) {
            sb_puts(sb, "<span class=\"sub\">");
            put_date(c, sb, ls, REP_DATE_LONG);
            sb_puts(sb, "</span>");
        }
        sb_puts(sb, "</td><td>");
        rep_esc_max(sb, rep_str(d, "note"), 600);
        sb_puts(sb, "</td></tr>\n");
    }
    sb_puts(sb, "</tbody></table>\n");
    if (n > MAX_DEVICE_ROWS) {
        sb_puts(sb, "<p class=\"more\">");
        rep_esc(sb, rep_label(c, "more_prefix"));
        sb_putc(sb, ' ');
        put_int(sb, (double)(n - MAX_DEVICE_ROWS));
        sb_putc(sb, ' ');
        rep_esc(sb, rep_label(c, "more_rows"));
        sb_puts(sb, "</p>\n");
    }
}

static void render_devices(const struct rep_ctx *c, struct strbuf *sb, const json_t *m)
{
    const json_t *devs = json_object_get(m, "devices");
    sb_puts(sb, "<section class=\"sheet devices\" id=\"devices\"><h2>");
    rep_esc(sb, rep_label(c, "devices_heading"));
    sb_puts(sb, "</h2>\n");
    static const char *const kinds[] = {"new", "unknown", "returned", "outdated"};
    for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
        render_device_table(c, sb, devs, kinds[i]);
}

static void render_glossary(const struct rep_ctx *c, struct strbuf *sb, const json_t *m)
{
    const json_t *g = json_object_get(m, "glossary");
    size_t n = json_is_array(g) ? json_array_size(g) : 0;
    if (!n)
        return;
    sb_puts(sb, "<section class=\"glossary\" id=\"glossary\"><h2>");
    rep_esc(sb, rep_label(c, "glossary_heading"));
    sb_puts(sb, "</h2><dl>");
    for (size_t i = 0; i < n && i < MAX_GLOSSARY; i++) {
        const json_t *e = json_array_get(g, i);
        const char *term = rep_str(e, "term"), *text = rep_str(e, "text");
        if (!term || !*term)
            continue;
        sb_puts(sb, "<dt>");
        rep_esc_max(sb, term, 200);
        sb_puts(sb, "</dt><dd>");
        rep_esc_max(sb, text, 1000);
        sb_puts(sb, "</dd>");
    }
    sb_puts(sb, "</dl></section>\n");
}

static void sensor_row(const struct rep_ctx *c, struct strbuf *sb, const char *key,
                       const char *value)
{
    sb_puts(sb, "<dt>");
    rep_esc(sb, rep_label(c, key));
    sb_puts(sb, "</dt><dd>");
    sb_puts(sb, value); /* already escaped or formatted by us */
    sb_puts(sb, "</dd>");
}

/* A gap's reason: a known code ("no_traffic") in words, else as given. */
static const char *gap_reason(const struct rep_ctx *c, const char *why)
{
    char key[64];
    if (strspn(why, "abcdefghijklmnopqrstuvwxyz_") != strlen(why) || strlen(why) > 40)
        return why;
    snprintf(key, sizeof(key), "gap_%s", why);
    const char *l = rep_label(c, key);
    return l == key ? why : l;
}

static void render_sensor(const struct rep_ctx *c, struct strbuf *sb, const json_t *m)
{
    const json_t *s = json_object_get(m, "sensor");
    sb_puts(sb, "<section class=\"sensor\" id=\"sensor\"><h2>");
    rep_esc(sb, rep_label(c, "sensor_heading"));
    sb_puts(sb, "</h2>");
    char a[64], b[64], v[160];
    rep_fmt_date(c, a, sizeof(a), rep_str(s, "first"), REP_DATE_TIME);
    rep_fmt_date(c, b, sizeof(b), rep_str(s, "last"), REP_DATE_TIME);
    bool okp = false;
    double packets = rep_num(s, "packets", &okp);
    if (!a[0] && !(packets > 0)) {
        sb_puts(sb, "<p class=\"none\">");
        rep_esc(sb, rep_label(c, "sensor_none"));
        sb_puts(sb, "</p>");
    } else {
        sb_puts(sb, "<dl>");
        if (a[0]) {
            snprintf(v, sizeof(v), "%s %s %s", a, c->ja ? "〜" : "–", b);
            sensor_row(c, sb, "sensor_span", v);
        }
        static const char *const nums[] = {"packets", "flows", "runs"};
        for (size_t i = 0; i < ARRAY_SIZE(nums); i++) {
            bool ok;
            double x = rep_num(s, nums[i], &ok);
            if (!ok)
                continue;
            char key[32];
            snprintf(key, sizeof(key), "sensor_%s", nums[i]);
            rep_fmt_int(v, sizeof(v), (long long)llround(x));
            sensor_row(c, sb, key, v);
        }
        bool ok;
        double by = rep_num(s, "bytes", &ok);
        if (ok) {
            rep_fmt_bytes(v, sizeof(v), by);
            sensor_row(c, sb, "sensor_bytes", v);
        }
        double cov = rep_num(s, "coverage_pct", &ok);
        if (ok) {
            snprintf(v, sizeof(v), "%.1f%%", cov < 0 ? 0 : cov > 100 ? 100 : cov);
            sensor_row(c, sb, "sensor_coverage", v);
        }
        sb_puts(sb, "</dl>");
        const json_t *gaps = json_object_get(s, "gaps");
        size_t n = json_is_array(gaps) ? json_array_size(gaps) : 0;
        sb_puts(sb, "<h3>");
        rep_esc(sb, rep_label(c, "sensor_gaps"));
        sb_puts(sb, "</h3>");
        if (!n) {
            sb_puts(sb, "<p>");
            rep_esc(sb, rep_label(c, "sensor_nogaps"));
            sb_puts(sb, "</p>");
        } else {
            sb_puts(sb, "<ul class=\"gaps\">");
            for (size_t i = 0; i < n && i < MAX_GAPS; i++) {
                const json_t *g = json_array_get(gaps, i);
                rep_fmt_date(c, a, sizeof(a), rep_str(g, "start"), REP_DATE_TIME);
                rep_fmt_date(c, b, sizeof(b), rep_str(g, "end"), REP_DATE_TIME);
                sb_printf(sb, "<li>%s %s %s", a, c->ja ? "〜" : "–", b);
                bool okh;
                double h = rep_num(g, "hours", &okh);
                if (okh && h >= 0 && h < 1e7)
                    sb_printf(sb, h == floor(h) ? " (%.0f %s)" : " (%.1f %s)", h,
                              rep_label(c, "hours"));
                const char *why = rep_str(g, "reason");
                if (why && *why) {
                    sb_puts(sb, c->ja ? "：" : ": ");
                    rep_esc_max(sb, gap_reason(c, why), 300);
                }
                sb_puts(sb, "</li>");
            }
            if (n > MAX_GAPS)
                sb_printf(sb, "<li>… (+%zu)</li>", n - MAX_GAPS);
            sb_puts(sb, "</ul>");
        }
    }
    /* Which clock the times are on, since event times are local: the zone's
     * name at the start of the period (never the wall clock). */
    time_t when = 0;
    bool has_time;
    if (parse_iso(rep_str(json_object_get(m, "period"), "since"), &when, &has_time) < 0)
        when = 0;
    struct tm tm;
    char zone[16] = "UTC";
    if (localtime_r(&when, &tm) && tm.tm_zone && *tm.tm_zone)
        snprintf(zone, sizeof(zone), "%s", tm.tm_zone);
    sb_puts(sb, "<footer class=\"note\">");
    rep_esc(sb, rep_label(c, "footer"));
    sb_putc(sb, ' ');
    rep_esc(sb, zone);
    sb_puts(sb, c->ja ? "" : ".");
    sb_puts(sb, "</footer></section>\n");
}

/* --- the page --- */

void report_html_render(const json_t *model, struct strbuf *out)
{
    const json_t *m = json_is_object(model) ? model : NULL;
    const char *lang = rep_str(m, "lang");
    struct rep_ctx c = {
        .ja = lang && !strncmp(lang, "ja", 2),
        .labels = json_object_get(m, "labels"),
        .chart_seq = 0,
    };
    if (!json_is_object(c.labels))
        c.labels = NULL;
    const json_t *period = json_object_get(m, "period");
    const char *plabel = rep_str(period, "label");
    const char *company = rep_str(m, "company");

    sb_printf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<meta name=\"generator\" content=\"mamori\">\n<title>",
              c.ja ? "ja" : "en");
    rep_esc(out, rep_label(&c, "title"));
    if (plabel && *plabel) {
        sb_puts(out, " ");
        rep_esc_max(out, plabel, 100);
    }
    if (company && *company) {
        sb_puts(out, " - ");
        rep_esc_max(out, company, 200);
    }
    /* The only style is ours; nothing is fetched (no fonts, no images). */
    sb_puts(out, "</title>\n<style>\n");
    sb_puts(out, css);
    sb_puts(out, "</style>\n</head>\n<body>\n<main class=\"report\">\n");

    sb_puts(out, "<section class=\"sheet summary\" id=\"summary\">\n");
    render_masthead(&c, out, m);
    render_status(&c, out, m);
    render_todo(&c, out, m);
    render_counts(&c, out, m);
    sb_puts(out, "</section>\n");

    render_themes(&c, out, m);
    render_charts(&c, out, m);
    render_devices(&c, out, m);
    render_glossary(&c, out, m);
    render_sensor(&c, out, m);
    sb_puts(out, "</section>\n</main>\n</body>\n</html>\n");
}
