/* test-notify.c - the notification policy with an injected clock (routing,
 * incidents, quiet hours, cap with "N more", escalation follow-up, digest
 * schedule and contents, backoff) and message building (RFC 2047 subject,
 * base64 body, the JSON of each webhook type), plus a round on a real
 * store with no channels. TZ=UTC (meson sets it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "notify/notify-int.h"
#include "store/sink.h"
#include "util/config.h"
#include "util/netaddr.h"
#include "util/util.h"

/* 2026-11-26 (Thursday) 00:00:00 UTC */
#define DAY0 ((time_t)1795651200)
#define AT(h, m) (DAY0 + (h)*3600 + (m)*60)

static void cfg_set(struct notify_config *nc, const char *k, const char *v)
{
    char err[256];
    if (notify_config_set(nc, k, v, err, sizeof(err)) != 0)
        fail_msg("%s = %s: %s", k, v, err);
}

static void test_config(void **state)
{
    (void)state;
    struct notify_config nc;
    char err[256];
    notify_config_defaults(&nc);
    cfg_set(&nc, "notify.lang", "ja");
    cfg_set(&nc, "notify.quiet_hours", "22:00-07:00");
    cfg_set(&nc, "notify.digest_time", "7:05");
    assert_int_equal(nc.digest_time, 7 * 60 + 5);
    cfg_set(&nc, "notify.office.type", "smtp");
    cfg_set(&nc, "notify.office.url", "smtp://mail.example.jp:587");
    cfg_set(&nc, "notify.office.from", "mamori@example.jp");
    cfg_set(&nc, "notify.office.to", "a@example.jp, b@example.jp");
    cfg_set(&nc, "notify.office.user", "mamori");
    cfg_set(&nc, "notify.office.password", "s3cret");
    assert_int_equal(nc.nchannels, 1);
    assert_int_equal(nc.quiet_start, 22 * 60);
    assert_int_equal(nc.quiet_end, 7 * 60);
    assert_int_equal(notify_config_check(&nc, err, sizeof(err)), 0);
    assert_int_equal(notify_config_set(&nc, "inventory.x", "1", err, sizeof(err)), -2);
    /* every bad value names its key */
    static const char *const bad[][2] = {
        {"notify.quiet_hours", "22-7"},
        {"notify.quiet_hours", "25:00-07:00"},
        {"notify.max_per_hour", "-1"},
        {"notify.digest", "hourly"},
        {"notify.digest_time", "8.30"},
        {"notify.immediate_min_severity", "info"},
        {"notify.lang", "fr"},
        {"notify.nosuch", "1"},
        {"notify.office.type", "fax"},
        {"notify.office.url", "ftp://x"},
        {"notify.office.starttls", "maybe"},
        {"notify.office.timeout", "0"},
        {"notify.office.bogus", "1"},
        {"notify.bad name.type", "smtp"},
        {"notify.office.to", "a@x\r\nBcc: evil@x"},
        {"notify.dashboard_url", "javascript:x"},
        {"notify.cw.room_id", "12ab"},
        {"notify.digest_time", "8:3"},
        {"notify.quiet_hours", "22:00-07:0"},
        {"notify.digest_time", "08:30x"},
        {"notify.digest_day", "someday"},
        {"notify.group_window", "x"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        err[0] = '\0';
        assert_int_equal(notify_config_set(&nc, bad[i][0], bad[i][1], err, sizeof(err)), -1);
        assert_non_null(strstr(err, bad[i][0]));
    }
    /* missing pieces are found by the check */
    struct notify_config n2;
    notify_config_defaults(&n2);
    cfg_set(&n2, "notify.m.type", "smtp");
    cfg_set(&n2, "notify.m.url", "smtp://127.0.0.1:25");
    cfg_set(&n2, "notify.m.from", "x@y.jp");
    assert_int_equal(notify_config_check(&n2, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "notify.m.to"));
    cfg_set(&n2, "notify.m.to", "bad address");
    assert_int_equal(notify_config_check(&n2, err, sizeof(err)), -1);
    cfg_set(&n2, "notify.m.to", "a@y.jp");
    cfg_set(&n2, "notify.m.user", "u");
    cfg_set(&n2, "notify.m.starttls", "no");
    assert_int_equal(notify_config_check(&n2, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "notify.m.starttls"));
    struct notify_config n3;
    notify_config_defaults(&n3);
    cfg_set(&n3, "notify.s.type", "slack");
    cfg_set(&n3, "notify.s.url", "smtp://x");
    assert_int_equal(notify_config_check(&n3, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "notify.s.url"));
    notify_config_defaults(&n3);
    cfg_set(&n3, "notify.cw.type", "chatwork");
    assert_int_equal(notify_config_check(&n3, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "notify.cw.token"));
}

static void test_route(void **state)
{
    (void)state;
    struct notify_config nc;
    notify_config_defaults(&nc);
    assert_int_equal(notify_route(&nc, SEV_HIGH, -1), NR_IMMEDIATE);
    assert_int_equal(notify_route(&nc, SEV_CRITICAL, -1), NR_IMMEDIATE);
    assert_int_equal(notify_route(&nc, SEV_MEDIUM, -1), NR_DIGEST);
    assert_int_equal(notify_route(&nc, SEV_INFO, -1), NR_DIGEST);
    /* an open incident: more of the same is grouped, worse is one follow-up */
    assert_int_equal(notify_route(&nc, SEV_HIGH, SEV_HIGH), NR_GROUPED);
    assert_int_equal(notify_route(&nc, SEV_MEDIUM, SEV_HIGH), NR_GROUPED);
    assert_int_equal(notify_route(&nc, SEV_CRITICAL, SEV_HIGH), NR_FOLLOWUP);
    assert_int_equal(notify_route(&nc, SEV_CRITICAL, SEV_CRITICAL), NR_GROUPED);
    /* a medium incident opened under a lower threshold stays quiet at medium */
    nc.immediate_min_severity = SEV_MEDIUM;
    assert_int_equal(notify_route(&nc, SEV_MEDIUM, -1), NR_IMMEDIATE);
    assert_int_equal(notify_route(&nc, SEV_LOW, SEV_MEDIUM), NR_GROUPED);
}

static void test_incident_key(void **state)
{
    (void)state;
    struct alert a;
    char k[96];
    alert_init(&a, "scan.port", SEV_HIGH, 1);
    notify_incident_key(&a, k, sizeof(k));
    assert_string_equal(k, "cat:scan.port");
    a.has_dst = true;
    ip_addr_parse("192.0.2.1", &a.dst);
    notify_incident_key(&a, k, sizeof(k));
    assert_string_equal(k, "ip:192.0.2.1");
    a.has_src = true;
    ip_addr_parse("192.168.1.5", &a.src);
    notify_incident_key(&a, k, sizeof(k));
    assert_string_equal(k, "ip:192.168.1.5");
    a.has_mac = true;
    mac_parse("00:11:22:33:44:55", a.mac);
    notify_incident_key(&a, k, sizeof(k));
    assert_string_equal(k, "dev:00:11:22:33:44:55");
    alert_release(&a);
}

static void test_quiet_hours(void **state)
{
    (void)state;
    struct notify_config nc;
    notify_config_defaults(&nc);
    assert_false(notify_is_quiet(&nc, AT(23, 0)));
    cfg_set(&nc, "notify.quiet_hours", "22:00-07:00");
    assert_true(notify_is_quiet(&nc, AT(23, 0)));
    assert_true(notify_is_quiet(&nc, AT(3, 0)));
    assert_true(notify_is_quiet(&nc, AT(22, 0)));
    assert_false(notify_is_quiet(&nc, AT(7, 0)));
    assert_false(notify_is_quiet(&nc, AT(12, 0)));
    /* held until 07:00 the next morning; critical goes at once */
    assert_int_equal(notify_quiet_end(&nc, AT(23, 10)), AT(24 + 7, 0));
    assert_int_equal(notify_quiet_end(&nc, AT(3, 0)), AT(7, 0));
    assert_int_equal(notify_release_time(&nc, SEV_HIGH, AT(23, 10)), AT(24 + 7, 0));
    assert_int_equal(notify_release_time(&nc, SEV_CRITICAL, AT(23, 10)), AT(23, 10));
    assert_int_equal(notify_release_time(&nc, SEV_HIGH, AT(12, 0)), AT(12, 0));
    /* a daytime window (lunch) */
    cfg_set(&nc, "notify.quiet_hours", "12:00-13:00");
    assert_true(notify_is_quiet(&nc, AT(12, 30)));
    assert_false(notify_is_quiet(&nc, AT(13, 0)));
    assert_int_equal(notify_quiet_end(&nc, AT(12, 30)), AT(13, 0));
    cfg_set(&nc, "notify.quiet_hours", "off");
    assert_false(notify_is_quiet(&nc, AT(12, 30)));
}

static void test_backoff_and_cap(void **state)
{
    (void)state;
    assert_int_equal(notify_backoff(30, 1), 30);
    assert_int_equal(notify_backoff(30, 2), 120);
    assert_int_equal(notify_backoff(30, 3), 600);
    assert_int_equal(notify_backoff(30, 4), 3600);
    assert_int_equal(notify_backoff(30, 9), 3600);
    assert_int_equal(notify_backoff(0, 3), 0);
    struct notify_config nc;
    notify_config_defaults(&nc);
    assert_true(notify_cap_allows(&nc, 5));
    assert_false(notify_cap_allows(&nc, 6));
    nc.max_per_hour = 0;
    assert_true(notify_cap_allows(&nc, 1000));
}

static void test_digest_slot(void **state)
{
    (void)state;
    struct notify_config nc;
    notify_config_defaults(&nc); /* daily 08:30 */
    assert_int_equal(notify_digest_slot(&nc, AT(9, 0)), AT(8, 30));
    assert_int_equal(notify_digest_slot(&nc, AT(8, 30)), AT(8, 30));
    assert_int_equal(notify_digest_slot(&nc, AT(8, 29)), AT(8 - 24, 30));
    /* weekly on Monday: 2026-11-26 is a Thursday, the Monday before is the 23rd */
    cfg_set(&nc, "notify.digest", "weekly");
    assert_int_equal(notify_digest_slot(&nc, AT(9, 0)), AT(8 - 3 * 24, 30));
    cfg_set(&nc, "notify.digest_day", "thu");
    assert_int_equal(notify_digest_slot(&nc, AT(9, 0)), AT(8, 30));
    assert_int_equal(notify_digest_slot(&nc, AT(8, 0)), AT(8 - 7 * 24, 30));
    cfg_set(&nc, "notify.digest", "off");
    assert_int_equal(notify_digest_slot(&nc, AT(9, 0)), 0);
}

static json_t *sample_msg(const char *lang)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:[{s:i, s:s, s:s, s:s, s:s, s:s, s:i}],"
                     " s:i, s:s, s:s, s:s}",
                     "kind", "incident", "severity", "high", "lang", lang, "title",
                     "不審な通信 <PC-12> & more", "text", "PC-12 が外部へ繰り返し接続しています。",
                     "action", "PC-12 をネットワークから外してください。", "alerts", "id", 7,
                     "category", "intel.ip", "severity", "high", "title", "既知の攻撃者への接続",
                     "device", "00:11:22:33:44:55", "src_ip", "192.168.1.12", "count", 3, "more", 2,
                     "link", "https://dash.example.jp/", "command",
                     "mamori alerts --db /var/lib/mamori/mamori.db --device 00:11:22:33:44:55",
                     "company", "");
}

static size_t b64dec(const char *in, size_t n, unsigned char *out)
{
    /* strip CRLF first */
    char *tmp = calloc(1, n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (in[i] != '\r' && in[i] != '\n')
            tmp[k++] = in[i];
    int w = EVP_DecodeBlock(out, (const unsigned char *)tmp, (int)k);
    size_t pad = (k && tmp[k - 1] == '=') + (k > 1 && tmp[k - 2] == '=');
    free(tmp);
    return w < 0 ? 0 : (size_t)w - pad;
}

static void test_rfc2047(void **state)
{
    (void)state;
    struct strbuf sb = STRBUF_INIT;
    notify_rfc2047("Subject", "plain ascii", &sb);
    assert_string_equal(sb.s, "plain ascii");
    sb_reset(&sb);
    const char *ja = "[mamori] 重要度 高: 既知の攻撃者のアドレスへの通信がありました (ほか 2 件)";
    notify_rfc2047("Subject", ja, &sb);
    /* every encoded word is at most 75 characters, lines folded, and the
     * decoded words give back the text */
    struct strbuf dec = STRBUF_INIT;
    const char *p = sb.s;
    while ((p = strstr(p, "=?UTF-8?B?")) != NULL) {
        const char *e = strstr(p + 10, "?=");
        assert_non_null(e);
        assert_true(e + 2 - p <= 75);
        unsigned char buf[128];
        size_t n = b64dec(p + 10, (size_t)(e - p - 10), buf);
        /* each word holds whole UTF-8 characters */
        assert_true((buf[0] & 0xC0) != 0x80);
        sb_putn(&dec, (const char *)buf, n);
        p = e + 2;
    }
    assert_string_equal(dec.s, ja);
    assert_null(strstr(sb.s, "\r\n\r\n"));
    assert_non_null(strstr(sb.s, "?=\r\n =?UTF-8?B?"));
    sb_free(&sb);
    sb_free(&dec);
    /* a host name with a line break cannot add a header: it is encoded */
    struct strbuf h = STRBUF_INIT;
    notify_rfc2047("Subject", "new device PC\r\nBcc: x@evil.example", &h);
    assert_null(strstr(h.s, "Bcc:"));
    assert_null(strstr(h.s, "\r\nB"));
    sb_free(&h);
}

static void test_mail_message(void **state)
{
    (void)state;
    struct notify_channel ch = {0};
    snprintf(ch.from, sizeof(ch.from), "mamori@example.jp");
    snprintf(ch.to, sizeof(ch.to), "a@example.jp, b@example.jp");
    json_t *m = sample_msg("ja");
    struct strbuf sb = STRBUF_INIT;
    notify_mail_message(&ch, m, AT(10, 0), &sb);
    assert_non_null(strstr(sb.s, "Date: Thu, 26 Nov 2026 10:00:00 +0000\r\n"));
    assert_non_null(strstr(sb.s, "\r\nMessage-ID: <"));
    assert_non_null(strstr(sb.s, "@example.jp>\r\n"));
    assert_non_null(strstr(sb.s, "From: mamori <mamori@example.jp>\r\n"));
    assert_non_null(strstr(sb.s, "To: a@example.jp,\r\n b@example.jp\r\n"));
    assert_non_null(strstr(sb.s, "Subject: =?UTF-8?B?"));
    assert_non_null(strstr(sb.s, "MIME-Version: 1.0\r\n"));
    assert_non_null(strstr(sb.s, "Content-Type: text/plain; charset=UTF-8\r\n"));
    assert_non_null(strstr(sb.s, "Content-Transfer-Encoding: base64\r\n"));
    /* bare LF never appears; body lines are at most 76 */
    for (size_t i = 0; i < sb.len; i++)
        if (sb.s[i] == '\n')
            assert_int_equal(sb.s[i - 1], '\r');
    const char *body = strstr(sb.s, "\r\n\r\n") + 4;
    for (const char *l = body; *l;) {
        const char *e = strstr(l, "\r\n");
        assert_non_null(e);
        assert_true(e - l <= 76);
        l = e + 2;
    }
    unsigned char *dec = malloc(strlen(body));
    size_t n = b64dec(body, strlen(body), dec);
    dec[n] = '\0';
    assert_non_null(strstr((char *)dec, "何が起きたか:\r\n  PC-12 が外部へ"));
    assert_non_null(strstr((char *)dec, "対応のお願い:"));
    assert_non_null(strstr((char *)dec, "#7 [高] 既知の攻撃者への接続"));
    assert_non_null(strstr((char *)dec, "ほか 2 件"));
    assert_non_null(strstr((char *)dec, "詳細: https://dash.example.jp/"));
    assert_non_null(strstr((char *)dec, "mamori alerts --db /var/lib/mamori/mamori.db"));
    free(dec);
    sb_free(&sb);
    json_decref(m);
}

static void test_subject_en(void **state)
{
    (void)state;
    json_t *m = sample_msg("en");
    struct strbuf sb = STRBUF_INIT;
    notify_subject(m, &sb);
    assert_string_equal(sb.s, "[mamori] high: 不審な通信 <PC-12> & more (+2 more)");
    sb_reset(&sb);
    json_object_set_new(m, "kind", json_string("followup"));
    json_object_set_new(m, "more", json_integer(0));
    notify_subject(m, &sb);
    assert_string_equal(sb.s, "[mamori] high: Update: 不審な通信 <PC-12> & more");
    sb_free(&sb);
    json_decref(m);
}

static void test_webhook_json(void **state)
{
    (void)state;
    json_t *m = sample_msg("ja");
    char *s = notify_slack_json(m);
    json_t *o = json_loads(s, 0, NULL);
    assert_non_null(o);
    assert_true(json_is_string(json_object_get(o, "text")));
    json_t *blocks = json_object_get(o, "blocks");
    assert_true(json_array_size(blocks) >= 4);
    assert_string_equal(json_string_value(json_object_get(json_array_get(blocks, 0), "type")),
                        "header");
    /* the link is ours (mrkdwn); specials in the texts are escaped */
    free(s);
    json_object_set_new(m, "action", json_string("<!channel> a & b"));
    s = notify_slack_json(m);
    assert_non_null(strstr(s, "&lt;!channel&gt; a &amp; b"));
    assert_non_null(strstr(s, "<https://dash.example.jp/|詳細を開く>"));
    json_decref(o);
    free(s);

    s = notify_teams_json(m);
    o = json_loads(s, 0, NULL);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "type")), "message");
    json_t *att = json_array_get(json_object_get(o, "attachments"), 0);
    assert_string_equal(json_string_value(json_object_get(att, "contentType")),
                        "application/vnd.microsoft.card.adaptive");
    json_t *card = json_object_get(att, "content");
    assert_string_equal(json_string_value(json_object_get(card, "type")), "AdaptiveCard");
    assert_true(json_array_size(json_object_get(card, "body")) >= 5);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(card, "actions"), 0), "url")),
                        "https://dash.example.jp/");
    json_decref(o);
    free(s);
    /* Markdown links from untrusted names are broken up in Teams */
    json_object_set_new(m, "text", json_string("host [update](https://evil.example/)"));
    s = notify_teams_json(m);
    assert_null(strstr(s, "](https://evil"));
    assert_non_null(strstr(s, "] (https://evil"));
    free(s);

    s = notify_generic_json(m);
    o = json_loads(s, 0, NULL);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "severity")), "high");
    assert_string_equal(json_string_value(json_object_get(o, "title")),
                        "不審な通信 <PC-12> & more");
    assert_int_equal(json_array_size(json_object_get(o, "alerts")), 1);
    assert_int_equal(json_integer_value(json_object_get(o, "more")), 2);
    assert_string_equal(json_string_value(json_object_get(o, "link")), "https://dash.example.jp/");
    assert_non_null(json_object_get(o, "action"));
    json_decref(o);
    free(s);

    struct strbuf sb = STRBUF_INIT;
    notify_chatwork_form(m, &sb);
    assert_memory_equal(sb.s, "body=", 5);
    assert_non_null(strstr(sb.s, "%5Binfo%5D%5Btitle%5D"));
    assert_null(strchr(sb.s + 5, ' '));
    sb_free(&sb);
    json_decref(m);
}

/* --- a round on a real store, no channels: grouping, follow-up, cap --- */

static const char *tmpdb(char *buf, size_t len)
{
    snprintf(buf, len, "/tmp/test-notify-%ld.db", (long)getpid());
    unlink(buf);
    struct sink *s = store_sqlite_open(buf);
    assert_non_null(s);
    s->ops->close(s);
    return buf;
}

static void add_alert(sqlite3 *db, const char *key, const char *cat, int sev, const char *mac,
                      const char *src)
{
    char *sql = sqlite3_mprintf(
        "INSERT INTO alerts (dedup_key, first_ts, last_ts, count, category, severity, src_ip,"
        " device, facts) VALUES (%Q, 1795680000000000, 1795680000000000, 1, %Q, %d, %Q, %Q,"
        " '{}')",
        key, cat, sev, src, mac);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_free(sql);
}

static int count(sqlite3 *db, const char *where)
{
    char *sql = sqlite3_mprintf("SELECT count(*) FROM notifications WHERE %s", where);
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    int n = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    sqlite3_free(sql);
    return n;
}

static void test_round(void **state)
{
    (void)state;
    char path[64], err[256];
    tmpdb(path, sizeof(path));
    struct notify_config nc;
    notify_config_defaults(&nc);
    nc.max_per_hour = 2;
    struct notify_db *d = ndb_open(path, err, sizeof(err));
    assert_non_null(d);
    sqlite3 *db = ndb_handle(d);
    /* three alerts of one device and a medium one elsewhere */
    add_alert(db, "k1", "scan.port", SEV_HIGH, "00:11:22:33:44:55", "192.168.1.5");
    add_alert(db, "k2", "scan.host", SEV_HIGH, "00:11:22:33:44:55", "192.168.1.5");
    add_alert(db, "k3", "auth.brute", SEV_MEDIUM, "00:11:22:33:44:55", "192.168.1.5");
    add_alert(db, "k4", "device.new", SEV_MEDIUM, "00:11:22:33:44:66", "192.168.1.6");
    struct notify_round r;
    assert_int_equal(notify_run_round(d, &nc, path, AT(10, 0), 0, &r, err, sizeof(err)), 0);
    assert_int_equal(r.new_alerts, 4);
    assert_int_equal(r.messages, 1); /* one incident, the medium one waits for the digest */
    assert_int_equal(count(db, "kind = 'incident'"), 1);
    assert_int_equal(count(db, "kind = 'incident' AND alert_ids = '[1,2,3]'"), 1);
    /* nothing new: nothing happens */
    assert_int_equal(notify_run_round(d, &nc, path, AT(10, 1), 0, &r, err, sizeof(err)), 0);
    assert_int_equal(r.new_alerts + r.messages, 0);
    /* more of the same incident: grouped; an escalation: one follow-up */
    add_alert(db, "k5", "scan.port", SEV_HIGH, "00:11:22:33:44:55", "192.168.1.5");
    assert_int_equal(notify_run_round(d, &nc, path, AT(10, 5), 0, &r, err, sizeof(err)), 0);
    assert_int_equal(r.messages, 0);
    assert_int_equal(
        sqlite3_exec(db, "UPDATE alerts SET severity = 4 WHERE id = 2", NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_equal(notify_run_round(d, &nc, path, AT(10, 6), 0, &r, err, sizeof(err)), 0);
    assert_int_equal(r.messages, 1);
    assert_int_equal(count(db, "kind = 'followup' AND severity = 4"), 1);
    assert_int_equal(notify_run_round(d, &nc, path, AT(10, 7), 0, &r, err, sizeof(err)), 0);
    assert_int_equal(r.messages, 0);
    /* the cap (2 per hour) is reached: the next incident is folded ... */
    add_alert(db, "k6", "intel.ip", SEV_HIGH, "00:11:22:33:44:77", "192.168.1.7");
    assert_int_equal(notify_run_round(d, &nc, path, AT(10, 10), 0, &r, err, sizeof(err)), 0);
    assert_int_equal(r.folded, 1);
    assert_int_equal(count(db, "status = 'folded'"), 1);
    /* ... and told as "and 1 more" in the next message after the hour */
    add_alert(db, "k7", "intel.ip", SEV_HIGH, "00:11:22:33:44:88", "192.168.1.8");
    assert_int_equal(notify_run_round(d, &nc, path, AT(11, 30), 0, &r, err, sizeof(err)), 0);
    assert_int_equal(r.messages, 1);
    assert_int_equal(count(db, "status = 'told'"), 1);
    assert_int_equal(count(db, "incident = 'dev:00:11:22:33:44:88' AND subject LIKE '%(+1 more)'"),
                     1);
    /* after the window the same device is a new incident again */
    add_alert(db, "k8", "scan.port", SEV_HIGH, "00:11:22:33:44:55", "192.168.1.5");
    assert_int_equal(notify_run_round(d, &nc, path, AT(12, 30), 0, &r, err, sizeof(err)), 0);
    assert_int_equal(r.messages, 1);
    /* the digest lists everything since the start, told or not */
    json_t *m = notify_make_digest(d, &nc, path, AT(13, 0), 1, err, sizeof(err));
    assert_non_null(m);
    assert_string_equal(json_string_value(json_object_get(m, "kind")), "digest");
    /* listed: what was not told one by one: k4 (medium) and k6 (folded) */
    assert_int_equal(json_array_size(json_object_get(m, "alerts")), 2);
    assert_non_null(strstr(json_string_value(json_object_get(m, "action")), "hourly limit"));
    assert_non_null(strstr(json_string_value(json_object_get(m, "title")), "8 findings"));
    json_decref(m);
    /* a second digest right after has nothing */
    m = notify_make_digest(d, &nc, path, AT(13, 1), 1, err, sizeof(err));
    assert_null(m);
    assert_string_equal(err, "");
    /* digest_when_quiet: an "all quiet" digest, or a warning when nothing at
     * all was recorded */
    assert_int_equal(notify_config_set(&nc, "notify.digest_when_quiet", "yes", err, sizeof(err)),
                     0);
    m = notify_make_digest(d, &nc, path, AT(13, 2), 1, err, sizeof(err));
    assert_non_null(m);
    assert_non_null(strstr(json_string_value(json_object_get(m, "title")), "no traffic"));
    assert_string_equal(json_string_value(json_object_get(m, "severity")), "medium");
    json_decref(m);
    char *ins = sqlite3_mprintf("PRAGMA foreign_keys = OFF;"
                                "INSERT INTO flows (run_id, flow_id, first_ts, last_ts, src_mac)"
                                " VALUES (1, 1, %lld, 0, 'a'), (1, 2, %lld, 0, 'a'),"
                                " (1, 3, %lld, 0, 'b')",
                                (long long)AT(13, 3) * 1000000, (long long)AT(13, 4) * 1000000,
                                (long long)AT(13, 5) * 1000000);
    assert_int_equal(sqlite3_exec(db, ins, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_free(ins);
    assert_int_equal(ndb_state_set(db, "last_digest", AT(13, 2)), 0);
    m = notify_make_digest(d, &nc, path, AT(14, 0), 1, err, sizeof(err));
    assert_non_null(m);
    assert_non_null(strstr(json_string_value(json_object_get(m, "title")), "nothing found"));
    assert_non_null(strstr(json_string_value(json_object_get(m, "text")),
                           "3 connections from 2 devices"));
    assert_int_equal(json_array_size(json_object_get(m, "alerts")), 0);
    json_decref(m);
    assert_int_equal(count(db, "kind = 'digest'"), 3);
    assert_int_equal(notify_config_set(&nc, "notify.digest_when_quiet", "maybe", err, sizeof(err)),
                     -1);
    char last[128];
    assert_int_equal(notify_last_sent(db, last, sizeof(last)), 0);
    assert_string_equal(last, "never");
    ndb_close(d);
    unlink(path);
}

static void test_round_schedule(void **state)
{
    (void)state;
    char path[64], err[256];
    tmpdb(path, sizeof(path));
    struct notify_config nc;
    notify_config_defaults(&nc);
    cfg_set(&nc, "notify.quiet_hours", "22:00-07:00");
    cfg_set(&nc, "notify.x.type", "webhook");
    /* port 9 on loopback: nothing listens; deliveries are not due anyway */
    cfg_set(&nc, "notify.x.url", "http://127.0.0.1:9/");
    struct notify_db *d = ndb_open(path, err, sizeof(err));
    sqlite3 *db = ndb_handle(d);
    struct notify_round r;
    assert_int_equal(notify_run_round(d, &nc, path, AT(21, 0), 0, &r, err, sizeof(err)), 0);
    /* a high alert at 23:00 waits until 07:00; a critical one does not */
    add_alert(db, "h", "scan.port", SEV_HIGH, "00:11:22:33:44:55", NULL);
    add_alert(db, "c", "intel.ip", SEV_CRITICAL, "00:11:22:33:44:66", NULL);
    nc.ch[0].timeout = 1;
    assert_int_equal(notify_run_round(d, &nc, path, AT(23, 0), 0, &r, err, sizeof(err)), 0);
    assert_int_equal(r.messages, 2);
    char *sql = sqlite3_mprintf("severity = 3 AND status = 'pending' AND next_try = %lld",
                                (long long)AT(24 + 7, 0));
    assert_int_equal(count(db, sql), 1);
    sqlite3_free(sql);
    /* the critical one was tried (refused) and will be retried in 30 s */
    assert_int_equal(r.failed, 1);
    sql = sqlite3_mprintf("severity = 4 AND attempts = 1 AND next_try = %lld AND last_error ="
                          " 'connection refused'",
                          (long long)AT(23, 0) + 30);
    assert_int_equal(count(db, sql), 1);
    sqlite3_free(sql);
    /* the held high incident escalates to critical at 23:30: the follow-up
     * goes now and takes the held first message with it */
    assert_int_equal(
        sqlite3_exec(db, "UPDATE alerts SET severity = 4 WHERE dedup_key = 'h'", NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_equal(notify_run_round(d, &nc, path, AT(23, 30), 0, &r, err, sizeof(err)), 0);
    assert_int_equal(r.messages, 1);
    assert_int_equal(count(db, "kind = 'followup' AND severity = 4"), 1);
    assert_int_equal(count(db, "severity = 3 AND status = 'pending' AND attempts = 1"), 1);
    /* the digest is due at 08:30 the next day, not before */
    assert_int_equal(notify_run_round(d, &nc, path, AT(24 + 8, 29), 0, &r, err, sizeof(err)), 0);
    assert_int_equal(count(db, "kind = 'digest'"), 0);
    assert_int_equal(notify_run_round(d, &nc, path, AT(24 + 8, 31), 0, &r, err, sizeof(err)), 0);
    assert_int_equal(count(db, "kind = 'digest'"), 1);
    /* giving up after a day */
    assert_int_equal(notify_run_round(d, &nc, path, AT(48, 0), 0, &r, err, sizeof(err)), 0);
    assert_true(count(db, "status = 'failed' AND last_error LIKE 'gave up after%'") >= 2);
    char last[256];
    assert_int_equal(notify_last_sent(db, last, sizeof(last)), 0);
    assert_non_null(strstr(last, " x pending: connection refused"));
    ndb_close(d);
    unlink(path);
}

/* The thread the service runs: starts with no channels, takes the alerts,
 * reloads, stops quickly; a bad database is NULL with a reason. */
static void test_notifier_thread(void **state)
{
    (void)state;
    char path[64], err[256];
    tmpdb(path, sizeof(path));
    struct mamori_config *cfg = malloc(sizeof(*cfg));
    config_defaults(cfg);
    assert_null(notifier_start(cfg, "/nonexistent/dir/x.db", err, sizeof(err)));
    assert_non_null(strstr(err, "cannot open database"));
    struct notify_db *d = ndb_open(path, err, sizeof(err));
    add_alert(ndb_handle(d), "k1", "scan.port", SEV_HIGH, "00:11:22:33:44:55", "192.168.1.5");
    struct notifier *n = notifier_start(cfg, path, err, sizeof(err));
    assert_non_null(n);
    int got = 0;
    for (int i = 0; i < 100 && !got; i++) {
        usleep(50 * 1000);
        got = count(ndb_handle(d), "kind = 'incident'") == 1;
    }
    assert_true(got);
    cfg->notify.max_per_hour = 1;
    notifier_reload(n, cfg);
    uint64_t t0 = mono_ms();
    notifier_stop(n);
    assert_true(mono_ms() - t0 < 5000);
    /* a stop does not wait for a receiver that never answers: a socket
     * that listens but is never read (the kernel completes the connect) */
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(ls, (struct sockaddr *)&sin, sizeof(sin)), 0);
    assert_int_equal(listen(ls, 4), 0);
    socklen_t sl = sizeof(sin);
    getsockname(ls, (struct sockaddr *)&sin, &sl);
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%u/", ntohs(sin.sin_port));
    char e1[256];
    assert_int_equal(notify_config_set(&cfg->notify, "notify.h.type", "webhook", e1, sizeof(e1)),
                     0);
    assert_int_equal(notify_config_set(&cfg->notify, "notify.h.url", url, e1, sizeof(e1)), 0);
    assert_int_equal(notify_config_set(&cfg->notify, "notify.h.timeout", "60", e1, sizeof(e1)), 0);
    add_alert(ndb_handle(d), "k2", "scan.port", SEV_HIGH, "00:11:22:33:44:99", "192.168.1.9");
    cfg->notify.max_per_hour = 0;
    n = notifier_start(cfg, path, err, sizeof(err));
    assert_non_null(n);
    usleep(1500 * 1000); /* the delivery is now waiting for an answer */
    t0 = mono_ms();
    notifier_stop(n);
    assert_true(mono_ms() - t0 < 5000);
    assert_int_equal(count(ndb_handle(d), "channel = 'h' AND status = 'pending' AND attempts = 1"
                                          " AND last_error = 'interrupted: mamori is stopping'"),
                     1);
    close(ls);
    cfg->notify.nchannels = 0;
    /* a bad channel set is refused at start */
    char e2[256];
    assert_int_equal(notify_config_set(&cfg->notify, "notify.z.type", "slack", e2, sizeof(e2)), 0);
    assert_null(notifier_start(cfg, path, err, sizeof(err)));
    assert_non_null(strstr(err, "notify.z.url"));
    free(cfg);
    ndb_close(d);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config),          cmocka_unit_test(test_route),
        cmocka_unit_test(test_incident_key),    cmocka_unit_test(test_quiet_hours),
        cmocka_unit_test(test_backoff_and_cap), cmocka_unit_test(test_digest_slot),
        cmocka_unit_test(test_rfc2047),         cmocka_unit_test(test_mail_message),
        cmocka_unit_test(test_subject_en),      cmocka_unit_test(test_webhook_json),
        cmocka_unit_test(test_round),           cmocka_unit_test(test_round_schedule),
        cmocka_unit_test(test_notifier_thread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
