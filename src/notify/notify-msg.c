/* notify-msg.c - turning a message (a JSON object, notify-int.h) into what
 * each channel takes: an RFC 5322 mail (UTF-8, base64 body, RFC 2047
 * subject), Slack blocks, a Teams Adaptive Card, a Chatwork form body and
 * the generic JSON.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "notify/notify-int.h"
#include "util/util.h"

#define L(lang, en, ja) ((lang) == LANG_JA ? (ja) : (en))

const char *notify_sev_label(int sev, enum ui_lang lang)
{
    static const char *const en[] = {"info", "low", "medium", "high", "critical"};
    static const char *const ja[] = {"情報", "低", "中", "高", "緊急"};
    if (sev < 0 || sev >= SEV_MAX)
        sev = 0;
    return lang == LANG_JA ? ja[sev] : en[sev];
}

static const char *jstr(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static enum ui_lang msg_lang(const json_t *msg)
{
    return strcmp(jstr(msg, "lang"), "ja") == 0 ? LANG_JA : LANG_EN;
}

static int msg_sev(const json_t *msg)
{
    int s = alert_severity_parse(jstr(msg, "severity"));
    return s < 0 ? 0 : s;
}

void notify_subject(const json_t *msg, struct strbuf *out)
{
    enum ui_lang lang = msg_lang(msg);
    const char *kind = jstr(msg, "kind");
    const char *co = jstr(msg, "company");
    sb_puts(out, "[mamori");
    if (*co)
        sb_printf(out, " %s", co);
    sb_puts(out, "] ");
    if (strcmp(kind, "digest") != 0 && strcmp(kind, "test") != 0)
        sb_printf(out, "%s%s: ", L(lang, "", "重要度 "), notify_sev_label(msg_sev(msg), lang));
    if (strcmp(kind, "followup") == 0)
        sb_puts(out, L(lang, "Update: ", "続報: "));
    sb_puts(out, jstr(msg, "title"));
    size_t n = json_array_size(json_object_get(msg, "alerts"));
    json_int_t more = json_integer_value(json_object_get(msg, "more"));
    if (strcmp(kind, "digest") != 0 && (n > 1 || more > 0))
        sb_printf(out, L(lang, " (+%lld more)", " (ほか %lld 件)"),
                  (long long)(n ? n - 1 : 0) + (long long)more);
}

static void put_indented(struct strbuf *out, const char *text)
{
    const char *p = text;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        sb_puts(out, "  ");
        sb_putn(out, p, n);
        sb_putc(out, '\n');
        p += n + (e ? 1 : 0);
    }
}

static void alert_line(const json_t *a, enum ui_lang lang, struct strbuf *out)
{
    int sev = alert_severity_parse(jstr(a, "severity"));
    const char *title = jstr(a, "title");
    sb_printf(out, "  - #%lld [%s] %s", (long long)json_integer_value(json_object_get(a, "id")),
              notify_sev_label(sev < 0 ? 0 : sev, lang), title);
    /* The name and address, unless the title already says them. */
    const char *dev = jstr(a, "device_name"), *ip = jstr(a, "src_ip");
    if (!*dev)
        dev = jstr(a, "device");
    int show_dev = *dev && !strstr(title, dev), show_ip = *ip && !strstr(title, ip);
    if (show_dev || show_ip)
        sb_printf(out, " (%s%s%s)", show_dev ? dev : "", show_dev && show_ip ? " " : "",
                  show_ip ? ip : "");
    json_int_t count = json_integer_value(json_object_get(a, "count"));
    if (count > 1)
        sb_printf(out, L(lang, " x%lld", " ×%lld回"), (long long)count);
    const char *first = jstr(a, "first");
    if (*first)
        sb_printf(out, " %s", first);
    json_int_t also = json_integer_value(json_object_get(a, "similar"));
    if (also > 0)
        sb_printf(out, L(lang, " (and %lld similar)", " (ほか同種 %lld 件)"), (long long)also);
    sb_putc(out, '\n');
}

void notify_text_body(const json_t *msg, struct strbuf *out)
{
    enum ui_lang lang = msg_lang(msg);
    const char *kind = jstr(msg, "kind");
    int digest = strcmp(kind, "digest") == 0;
    sb_printf(out, "%s\n\n", jstr(msg, "title"));
    if (!digest && strcmp(kind, "test") != 0)
        sb_printf(out, "%s: %s\n\n", L(lang, "Severity", "重要度"),
                  notify_sev_label(msg_sev(msg), lang));
    const char *text = jstr(msg, "text"), *action = jstr(msg, "action");
    if (*text) {
        sb_printf(out, "%s\n",
                  digest ? L(lang, "Summary:", "概要:")
                         : L(lang, "What happened:", "何が起きたか:"));
        put_indented(out, text);
        sb_putc(out, '\n');
    }
    if (*action) {
        sb_printf(out, "%s\n", L(lang, "What to do:", "対応のお願い:"));
        put_indented(out, action);
        sb_putc(out, '\n');
    }
    const json_t *alerts = json_object_get(msg, "alerts");
    if (json_array_size(alerts)) {
        if (digest)
            sb_printf(out, "%s\n", L(lang, "Findings:", "内訳:"));
        else
            sb_printf(out, L(lang, "Alerts (%zu):\n", "関連するアラート (%zu 件):\n"),
                      json_array_size(alerts));
        size_t i;
        const json_t *a;
        json_array_foreach(alerts, i, a) alert_line(a, lang, out);
    }
    json_int_t more = json_integer_value(json_object_get(msg, "more"));
    if (more > 0)
        sb_printf(out,
                  L(lang, "  ... and %lld more (see the details below)\n",
                    "  ...ほか %lld 件 (詳細は下記でご確認ください)\n"),
                  (long long)more);
    sb_putc(out, '\n');
    const char *link = jstr(msg, "link"), *cmd = jstr(msg, "command");
    if (*link)
        sb_printf(out, "%s %s\n", L(lang, "Details:", "詳細:"), link);
    if (*cmd)
        sb_printf(out, "%s\n  %s\n",
                  L(lang, "To see the details on the sensor:", "センサー上で詳細を見るには:"), cmd);
    sb_printf(out, "\n-- \n%s\n",
              L(lang, "mamori network monitor (sent automatically; replies are not read)",
                "mamori ネットワーク監視 (自動送信のメッセージです。返信はお読みできません)"));
}

/* --- mail --- */

void notify_base64_lines(const unsigned char *p, size_t n, struct strbuf *out)
{
    /* 57 input bytes make one 76-character line. */
    unsigned char line[80];
    for (size_t off = 0; off < n; off += 57) {
        size_t k = MIN(57, n - off);
        int w = EVP_EncodeBlock(line, p + off, (int)k);
        sb_putn(out, (const char *)line, (size_t)w);
        sb_puts(out, "\r\n");
    }
}

static int is_plain_ascii(const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x80 || c < 0x20)
            return 0;
    }
    return 1;
}

void notify_rfc2047(const char *name, const char *value, struct strbuf *out)
{
    size_t vlen = strlen(value);
    if (is_plain_ascii(value) && strstr(value, "=?") == NULL && vlen + strlen(name) + 2 <= 998) {
        sb_puts(out, value);
        return;
    }
    /* Encoded words of at most 75 characters: "=?UTF-8?B?" + 60 base64
     * characters (45 bytes) + "?=", never splitting a UTF-8 character. */
    size_t off = 0;
    int first = 1;
    while (off < vlen) {
        size_t k = MIN(45, vlen - off);
        while (k > 0 && off + k < vlen && ((unsigned char)value[off + k] & 0xC0) == 0x80)
            k--;
        if (k == 0)
            k = MIN(45, vlen - off); /* not UTF-8: split anyway */
        unsigned char enc[64];
        int w = EVP_EncodeBlock(enc, (const unsigned char *)value + off, (int)k);
        if (!first)
            sb_puts(out, "\r\n ");
        sb_puts(out, "=?UTF-8?B?");
        sb_putn(out, (const char *)enc, (size_t)w);
        sb_puts(out, "?=");
        first = 0;
        off += k;
    }
}

static void rfc5322_date(time_t t, struct strbuf *out)
{
    static const char *const wd[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const mo[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct tm tm;
    localtime_r(&t, &tm);
    long off = tm.tm_gmtoff / 60;
    char sign = off < 0 ? '-' : '+';
    if (off < 0)
        off = -off;
    sb_printf(out, "%s, %02d %s %04d %02d:%02d:%02d %c%02ld%02ld", wd[tm.tm_wday % 7], tm.tm_mday,
              mo[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec, sign,
              off / 60, off % 60);
}

static void put_to_header(const char *list, struct strbuf *out)
{
    const char *p = list;
    int n = 0;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *e = p;
        while (*e && *e != ',')
            e++;
        size_t len = (size_t)(e - p);
        while (len && p[len - 1] == ' ')
            len--;
        if (len) {
            sb_puts(out, n++ ? ",\r\n " : "");
            sb_putn(out, p, len);
        }
        p = e;
    }
}

void notify_mail_message(const struct notify_channel *ch, const json_t *msg, time_t now,
                         struct strbuf *out)
{
    struct strbuf subj = STRBUF_INIT, body = STRBUF_INIT;
    notify_subject(msg, &subj);
    notify_text_body(msg, &body);
    /* Bodies use CRLF like the rest of the message. */
    struct strbuf crlf = STRBUF_INIT;
    for (size_t i = 0; i < body.len; i++) {
        if (body.s[i] == '\n')
            sb_putc(&crlf, '\r');
        sb_putc(&crlf, body.s[i]);
    }
    unsigned char rnd[8] = {0};
    if (RAND_bytes(rnd, sizeof(rnd)) != 1)
        memcpy(rnd, &now, MIN(sizeof(now), sizeof(rnd)));
    const char *dom = strchr(ch->from, '@');
    sb_puts(out, "Date: ");
    rfc5322_date(now, out);
    sb_printf(out, "\r\nMessage-ID: <%lld.%02x%02x%02x%02x%02x%02x%02x%02x@%s>\r\n", (long long)now,
              rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7],
              dom ? dom + 1 : "mamori.invalid");
    sb_printf(out, "From: mamori <%s>\r\nTo: ", ch->from);
    put_to_header(ch->to, out);
    sb_puts(out, "\r\nSubject: ");
    notify_rfc2047("Subject", subj.s ? subj.s : "", out);
    sb_puts(out, "\r\nMIME-Version: 1.0\r\n"
                 "Content-Type: text/plain; charset=UTF-8\r\n"
                 "Content-Transfer-Encoding: base64\r\n"
                 "Auto-Submitted: auto-generated\r\n"
                 "X-Mailer: mamori\r\n");
    if (msg_sev(msg) >= SEV_CRITICAL)
        sb_puts(out, "Importance: high\r\nX-Priority: 1\r\n");
    sb_puts(out, "\r\n");
    notify_base64_lines((const unsigned char *)(crlf.s ? crlf.s : ""), crlf.len, out);
    sb_free(&subj);
    sb_free(&body);
    sb_free(&crlf);
}

/* --- webhooks --- */

static char *dump(json_t *o)
{
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (!s)
        die("out of memory");
    return s;
}

static char *plain_text(const json_t *msg)
{
    struct strbuf sb = STRBUF_INIT;
    notify_text_body(msg, &sb);
    return sb_detach(&sb);
}

char *notify_generic_json(const json_t *msg)
{
    json_t *o = json_object();
    json_object_set_new(o, "source", json_string("mamori"));
    json_object_set_new(o, "kind", json_string(jstr(msg, "kind")));
    json_object_set_new(o, "severity", json_string(jstr(msg, "severity")));
    struct strbuf subj = STRBUF_INIT;
    notify_subject(msg, &subj);
    json_object_set_new(o, "subject", json_string(subj.s ? subj.s : ""));
    sb_free(&subj);
    json_object_set_new(o, "title", json_string(jstr(msg, "title")));
    json_object_set_new(o, "text", json_string(jstr(msg, "text")));
    json_object_set_new(o, "action", json_string(jstr(msg, "action")));
    json_t *alerts = json_object_get(msg, "alerts");
    json_object_set_new(o, "alerts", alerts ? json_deep_copy(alerts) : json_array());
    json_object_set_new(o, "more", json_integer(json_integer_value(json_object_get(msg, "more"))));
    const char *link = jstr(msg, "link"), *cmd = jstr(msg, "command");
    json_object_set_new(o, "link", *link ? json_string(link) : json_null());
    json_object_set_new(o, "command", *cmd ? json_string(cmd) : json_null());
    json_object_set_new(o, "lang", json_string(jstr(msg, "lang")));
    json_object_set_new(o, "created", json_string(jstr(msg, "created")));
    return dump(o);
}

/* buf was cut by snprintf: drop a partial UTF-8 character at its end. */
static void cut_utf8(char *buf, size_t full_len)
{
    size_t n = strlen(buf);
    if (n >= full_len)
        return;
    size_t k = n;
    while (k && ((unsigned char)buf[k - 1] & 0xC0) == 0x80)
        k--;
    if (k && (unsigned char)buf[k - 1] >= 0xC0) {
        unsigned char lead = (unsigned char)buf[k - 1];
        size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
        if (n - (k - 1) < need)
            buf[k - 1] = '\0';
    }
}

static json_t *slack_section(const char *text)
{
    /* Slack limits a section's text to 3000 characters. */
    char buf[2900];
    snprintf(buf, sizeof(buf), "%s", text);
    cut_utf8(buf, strlen(text));
    return json_pack("{s:s, s:{s:s, s:s}}", "type", "section", "text", "type", "mrkdwn", "text",
                     buf);
}

/* Slack mrkdwn treats &, < and > specially. */
static void slack_escape(const char *s, struct strbuf *out)
{
    for (; *s; s++) {
        if (*s == '&')
            sb_puts(out, "&amp;");
        else if (*s == '<')
            sb_puts(out, "&lt;");
        else if (*s == '>')
            sb_puts(out, "&gt;");
        else
            sb_putc(out, *s);
    }
}

char *notify_slack_json(const json_t *msg)
{
    enum ui_lang lang = msg_lang(msg);
    struct strbuf subj = STRBUF_INIT, sb = STRBUF_INIT;
    notify_subject(msg, &subj);
    json_t *blocks = json_array();
    /* A header holds at most 150 characters; 140 bytes is always safe. */
    char head[141];
    snprintf(head, sizeof(head), "%s", subj.s ? subj.s : "");
    cut_utf8(head, subj.len);
    json_array_append_new(blocks, json_pack("{s:s, s:{s:s, s:s}}", "type", "header", "text", "type",
                                            "plain_text", "text", head));
    const char *text = jstr(msg, "text"), *action = jstr(msg, "action");
    if (*text) {
        sb_printf(&sb, "*%s*\n", L(lang, "What happened", "何が起きたか"));
        slack_escape(text, &sb);
        json_array_append_new(blocks, slack_section(sb.s));
        sb_reset(&sb);
    }
    if (*action) {
        sb_printf(&sb, "*%s*\n", L(lang, "What to do", "対応のお願い"));
        slack_escape(action, &sb);
        json_array_append_new(blocks, slack_section(sb.s));
        sb_reset(&sb);
    }
    const json_t *alerts = json_object_get(msg, "alerts");
    if (json_array_size(alerts)) {
        struct strbuf lines = STRBUF_INIT;
        size_t i;
        const json_t *a;
        json_array_foreach(alerts, i, a) alert_line(a, lang, &lines);
        json_int_t more = json_integer_value(json_object_get(msg, "more"));
        if (more > 0)
            sb_printf(&lines, L(lang, "  ... and %lld more\n", "  ...ほか %lld 件\n"),
                      (long long)more);
        slack_escape(lines.s, &sb);
        json_array_append_new(blocks, slack_section(sb.s));
        sb_reset(&sb);
        sb_free(&lines);
    }
    const char *link = jstr(msg, "link"), *cmd = jstr(msg, "command");
    json_t *ctx = json_array();
    if (*link)
        sb_printf(&sb, "<%s|%s>", link, L(lang, "Open the details", "詳細を開く"));
    if (*cmd) {
        sb_printf(&sb, "%s`", sb.len ? "  " : "");
        slack_escape(cmd, &sb);
        sb_putc(&sb, '`');
    }
    if (sb.len) {
        json_array_append_new(ctx, json_pack("{s:s, s:s}", "type", "mrkdwn", "text", sb.s));
        json_array_append_new(blocks, json_pack("{s:s, s:o}", "type", "context", "elements", ctx));
    } else {
        json_decref(ctx);
    }
    /* text is what notifications and old clients show. */
    json_t *o = json_pack("{s:s, s:o}", "text", subj.s ? subj.s : "", "blocks", blocks);
    sb_free(&subj);
    sb_free(&sb);
    return dump(o);
}

/* Adaptive Card text is Markdown: a host name an attacker chose could
 * otherwise render as a link ("[update](https://evil)"). Breaking "](" is
 * enough; nothing else in a TextBlock is active. */
static json_t *teams_text(const char *s)
{
    struct strbuf sb = STRBUF_INIT;
    for (; *s; s++) {
        sb_putc(&sb, *s);
        if (*s == ']' && s[1] == '(')
            sb_putc(&sb, ' ');
    }
    json_t *j = json_string(sb.s ? sb.s : "");
    sb_free(&sb);
    return j;
}

char *notify_teams_json(const json_t *msg)
{
    enum ui_lang lang = msg_lang(msg);
    struct strbuf subj = STRBUF_INIT;
    notify_subject(msg, &subj);
    int sev = msg_sev(msg);
    const char *kind = jstr(msg, "kind");
    const char *color = strcmp(kind, "digest") == 0 || strcmp(kind, "test") == 0 ? "default"
                        : sev >= SEV_HIGH                                        ? "attention"
                        : sev >= SEV_MEDIUM                                      ? "warning"
                                                                                 : "default";
    json_t *body = json_array();
    json_array_append_new(body, json_pack("{s:s, s:o, s:s, s:s, s:b, s:s}", "type", "TextBlock",
                                          "text", teams_text(subj.s ? subj.s : ""), "weight",
                                          "Bolder", "size", "Medium", "wrap", 1, "color", color));
    const char *text = jstr(msg, "text"), *action = jstr(msg, "action");
    if (*text) {
        json_array_append_new(body, json_pack("{s:s, s:s, s:s, s:b}", "type", "TextBlock", "text",
                                              L(lang, "What happened", "何が起きたか"), "weight",
                                              "Bolder", "wrap", 1));
        json_array_append_new(body, json_pack("{s:s, s:o, s:b}", "type", "TextBlock", "text",
                                              teams_text(text), "wrap", 1));
    }
    if (*action) {
        json_array_append_new(body, json_pack("{s:s, s:s, s:s, s:b}", "type", "TextBlock", "text",
                                              L(lang, "What to do", "対応のお願い"), "weight",
                                              "Bolder", "wrap", 1));
        json_array_append_new(body, json_pack("{s:s, s:o, s:b}", "type", "TextBlock", "text",
                                              teams_text(action), "wrap", 1));
    }
    const json_t *alerts = json_object_get(msg, "alerts");
    if (json_array_size(alerts)) {
        struct strbuf lines = STRBUF_INIT;
        size_t i;
        const json_t *a;
        json_array_foreach(alerts, i, a) alert_line(a, lang, &lines);
        json_int_t more = json_integer_value(json_object_get(msg, "more"));
        if (more > 0)
            sb_printf(&lines, L(lang, "  ... and %lld more\n", "  ...ほか %lld 件\n"),
                      (long long)more);
        json_array_append_new(body,
                              json_pack("{s:s, s:o, s:b, s:s}", "type", "TextBlock", "text",
                                        teams_text(lines.s), "wrap", 1, "fontType", "Monospace"));
        sb_free(&lines);
    }
    const char *cmd = jstr(msg, "command");
    if (*cmd)
        json_array_append_new(body, json_pack("{s:s, s:s, s:b, s:s}", "type", "TextBlock", "text",
                                              cmd, "wrap", 1, "fontType", "Monospace"));
    json_t *card = json_pack("{s:s, s:s, s:s, s:o}", "$schema",
                             "http://adaptivecards.io/schemas/adaptive-card.json", "type",
                             "AdaptiveCard", "version", "1.4", "body", body);
    const char *link = jstr(msg, "link");
    if (*link)
        json_object_set_new(card, "actions",
                            json_pack("[{s:s, s:s, s:s}]", "type", "Action.OpenUrl", "title",
                                      L(lang, "Open the details", "詳細を開く"), "url", link));
    json_t *o = json_pack("{s:s, s:s, s:[{s:s, s:n, s:o}]}", "type", "message", "summary",
                          subj.s ? subj.s : "", "attachments", "contentType",
                          "application/vnd.microsoft.card.adaptive", "contentUrl", "content", card);
    sb_free(&subj);
    return dump(o);
}

void notify_chatwork_form(const json_t *msg, struct strbuf *out)
{
    struct strbuf subj = STRBUF_INIT, body = STRBUF_INIT, text = STRBUF_INIT;
    notify_subject(msg, &subj);
    char *plain = plain_text(msg);
    /* Chatwork's [info][title] box; the tags in our own text are harmless
     * but a title containing "[/title]" would end the box early. */
    sb_printf(&text, "[info][title]%s[/title]%s[/info]", subj.s ? subj.s : "", plain);
    free(plain);
    char *enc = curl_easy_escape(NULL, text.s, (int)text.len);
    if (!enc)
        die("out of memory");
    sb_printf(out, "body=%s&self_unread=0", enc);
    curl_free(enc);
    sb_free(&subj);
    sb_free(&body);
    sb_free(&text);
}
