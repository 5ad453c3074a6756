/* test-proto-smtp.c - the SMTP parser: transactions, pipelining, DATA and
 * BDAT counting, AUTH (credentials never reported), STARTTLS upgrade,
 * anomalies, probes. Every session is also fed with each message cut at
 * every point and one byte at a time, and must report the same events. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "app-test-util.h"
#include "util/limits.h"
#include "util/util.h"

static void apt_feed_str(struct apt *t, int dir, const char *s)
{
    apt_feed(t, dir, s, (uint32_t)strlen(s));
}

/* Starts a new session on the same app_layer (creating one per split point
 * would spend the time in nDPI's setup). */
static void apt_restart(struct apt *t)
{
    apt_end(t);
    apt_clear(t);
    memset(t->state, 0, t->p->state_size);
    t->ended = false;
    t->cx.upgrade_to = APP_NONE;
    t->cx.done_mask = 0;
}

/* One message of a session: who sent it and its bytes. */
struct step {
    int dir;
    const char *text;
};

/* Feeds steps in order; step `cut_step` is cut at `cut` (apt_feed_split),
 * or every step goes one byte at a time when bytes is true. */
static void run(struct apt *t, const struct step *st, size_t n, size_t cut_step, uint32_t cut,
                bool bytes)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t len = (uint32_t)strlen(st[i].text);
        if (bytes)
            apt_feed_bytes(t, st[i].dir, st[i].text, len);
        else if (i == cut_step)
            apt_feed_split(t, st[i].dir, st[i].text, len, cut);
        else
            apt_feed(t, st[i].dir, st[i].text, len);
        if (t->cx.upgrade_to != APP_NONE)
            break;
    }
    apt_end(t);
}

static void assert_no_secret(const struct apt *t, const char *const *secrets, size_t ns)
{
    for (unsigned i = 0; i < t->nevents; i++)
        for (size_t k = 0; k < ns; k++)
            if (strstr(t->ev[i], secrets[k])) {
                fail_msg("secret \"%s\" in event: %s", secrets[k], t->ev[i]);
            }
}

/* Runs the session whole, then each step cut at each point, then byte by
 * byte: all must give the same events and anomalies. Leaves the whole-feed
 * result in *t (caller frees). */
static void run_all_ways(struct apt *t, const struct step *st, size_t n,
                         const char *const *secrets, size_t ns)
{
    apt_begin(t, &app_parser_smtp, 6);
    run(t, st, n, SIZE_MAX, 0, false);
    assert_no_secret(t, secrets, ns);
    struct apt u;
    apt_begin(&u, t->p, 6);
    for (size_t i = 0; i <= n; i++) {
        uint32_t len = i < n ? (uint32_t)strlen(st[i].text) : 0;
        for (uint32_t cut = 0; cut <= len; cut++) {
            apt_restart(&u);
            run(&u, st, n, i, cut, i == n);
            assert_int_equal(u.nevents, t->nevents);
            for (unsigned e = 0; e < t->nevents; e++)
                assert_string_equal(u.ev[e], t->ev[e]);
            assert_int_equal(u.nanomalies, t->nanomalies);
            assert_int_equal(u.cx.upgrade_to, t->cx.upgrade_to);
            if (i == n)
                break;
        }
    }
    apt_free(&u);
}

/* Submission with AUTH LOGIN and three recipients, the commands one by one.
 * "YWxpY2U=" is base64("alice"), "czNjcmV0UFc=" base64("s3cretPW"). */
static const struct step sess_login[] = {
    {1, "220 mx.example.org ESMTP Postfix\r\n"},
    {0, "EHLO client.example.com\r\n"},
    {1, "250-mx.example.org\r\n250-PIPELINING\r\n250-STARTTLS\r\n250-AUTH PLAIN LOGIN\r\n"
        "250 8BITMIME\r\n"},
    {0, "AUTH LOGIN\r\n"},
    {1, "334 VXNlcm5hbWU6\r\n"},
    {0, "YWxpY2U=\r\n"},
    {1, "334 UGFzc3dvcmQ6\r\n"},
    {0, "czNjcmV0UFc=\r\n"},
    {1, "235 2.7.0 Authentication successful\r\n"},
    {0, "MAIL FROM:<alice@example.com> SIZE=120\r\n"},
    {1, "250 2.1.0 Ok\r\n"},
    {0, "RCPT TO:<bob@example.org>\r\n"},
    {1, "250 2.1.5 Ok\r\n"},
    {0, "RCPT TO:<carol@example.org>\r\n"},
    {1, "250 2.1.5 Ok\r\n"},
    {0, "RCPT TO:<dave@example.org>\r\n"},
    {1, "250 2.1.5 Ok\r\n"},
    {0, "DATA\r\n"},
    {1, "354 End data with <CR><LF>.<CR><LF>\r\n"},
    /* 37 bytes of message: a header, a blank line, a dot-stuffed line
     * ("..x" is not the end), then the terminator ".\r\n" (not counted). */
    {0, "Subject: hi\r\n\r\nhello\r\n..x\r\n.not end\r\n.\r\n"},
    {1, "250 2.0.0 Ok: queued as 4B1C2\r\n"},
    {0, "QUIT\r\n"},
    {1, "221 2.0.0 Bye\r\n"},
};

static const char *const login_secrets[] = {"s3cretPW", "czNjcmV0UFc", "UFc="};

static void test_smtp_auth_login_session(void **state)
{
    (void)state;
    struct apt t;
    run_all_ways(&t, sess_login, ARRAY_SIZE(sess_login), login_secrets,
                 ARRAY_SIZE(login_secrets));
    assert_int_equal(t.nevents, 1);
    assert_int_equal(t.nanomalies, 0);
    const char *e = t.ev[0];
    assert_non_null(strstr(e, "smtp {\"helo\":\"client.example.com\","
                              "\"mail_from\":\"<alice@example.com> SIZE=120\","
                              "\"rcpt_to\":[\"<bob@example.org>\",\"<carol@example.org>\","
                              "\"<dave@example.org>\"]}"));
    assert_non_null(strstr(e, "\"auth_mechanism\":\"LOGIN\""));
    assert_non_null(strstr(e, "\"auth_user\":\"alice\""));
    assert_non_null(strstr(e, "\"auth_success\":true"));
    assert_non_null(strstr(e, "\"rcpt_count\":3"));
    assert_non_null(strstr(e, "\"cleartext_message\":true"));
    /* strlen("Subject: hi\r\n\r\nhello\r\n..x\r\n.not end\r\n") == 37: pins that
     * the terminator's 3 bytes are not counted. */
    assert_non_null(strstr(e, "\"message_bytes\":37"));
    assert_non_null(strstr(e, "\"data_reply_code\":250"));
    assert_non_null(strstr(e, "\"server_banner\":\"mx.example.org ESMTP Postfix\""));
    assert_non_null(strstr(e, "\"starttls_offered\":true"));
    assert_non_null(strstr(e, "\"starttls\":false"));
    apt_free(&t);
}

/* RFC 2920 pipelining: the whole envelope and DATA in one segment, the
 * replies in one; the second recipient is refused (550). */
static const struct step sess_pipe[] = {
    {1, "220 mail.example.net ESMTP\r\n"},
    {0, "EHLO [192.0.2.7]\r\n"},
    {1, "250-mail.example.net\r\n250 PIPELINING\r\n"},
    {0, "MAIL FROM:<x@example.com>\r\nRCPT TO:<a@example.net>\r\nRCPT TO:<b@example.net>\r\n"
        "DATA\r\n"},
    {1, "250 ok\r\n250 ok\r\n550 no such user\r\n354 go\r\n"},
    {0, "body\r\n.\r\nMAIL FROM:<y@example.com>\r\nRCPT TO:<c@example.net>\r\nRSET\r\n"},
    {1, "250 queued\r\n250 ok\r\n250 ok\r\n250 reset\r\n"},
};

static void test_smtp_pipelining(void **state)
{
    (void)state;
    struct apt t;
    run_all_ways(&t, sess_pipe, ARRAY_SIZE(sess_pipe), NULL, 0);
    assert_int_equal(t.nevents, 2);
    /* The RSET transaction is reported when RSET is sent, before the reply
     * to the first message's "." arrives: find each by its sender. */
    int a = apt_find(&t, "\"mail_from\":\"<x@example.com>\"");
    int b = apt_find(&t, "\"mail_from\":\"<y@example.com>\"");
    assert_true(a >= 0 && b >= 0);
    assert_non_null(strstr(t.ev[a], "\"rcpt_to\":[\"<a@example.net>\",\"<b@example.net>\"]"));
    assert_non_null(strstr(t.ev[a], "\"message_bytes\":6"));
    assert_non_null(strstr(t.ev[a], "\"data_reply_code\":250"));
    assert_non_null(strstr(t.ev[b], "\"data_seen\":false"));
    assert_null(strstr(t.ev[b], "message_bytes"));
    assert_int_equal(t.nanomalies, 0);
    apt_free(&t);
}

/* STARTTLS: the 220 reply hands the flow to TLS; the session event says so
 * and no bytes after the 220 are read as SMTP. */
static const struct step sess_tls[] = {
    {1, "220 smtp.example.com ESMTP ready\r\n"},
    {0, "EHLO laptop\r\n"},
    {1, "250-smtp.example.com\r\n250 STARTTLS\r\n"},
    {0, "STARTTLS\r\n"},
    {1, "220 2.0.0 Ready to start TLS\r\n\x16\x03\x01garbage"},
};

static void test_smtp_starttls(void **state)
{
    (void)state;
    struct apt t;
    run_all_ways(&t, sess_tls, ARRAY_SIZE(sess_tls), NULL, 0);
    assert_int_equal(t.cx.upgrade_to, APP_TLS);
    assert_int_equal(t.nevents, 1);
    assert_non_null(strstr(t.ev[0], "smtp {\"helo\":\"laptop\"}"));
    assert_non_null(strstr(t.ev[0], "\"starttls\":true"));
    assert_non_null(strstr(t.ev[0], "\"tls\":true"));
    assert_int_equal(t.nanomalies, 0);
    apt_free(&t);
}

/* A refused STARTTLS (454) does not upgrade. */
static void test_smtp_starttls_refused(void **state)
{
    (void)state;
    static const struct step st[] = {
        {1, "220 a ESMTP\r\n"}, {0, "EHLO b\r\n"}, {1, "250 a\r\n"},
        {0, "STARTTLS\r\n"},    {1, "454 TLS not available\r\n"},
        {0, "QUIT\r\n"},        {1, "221 bye\r\n"},
    };
    struct apt t;
    run_all_ways(&t, st, ARRAY_SIZE(st), NULL, 0);
    assert_int_equal(t.cx.upgrade_to, APP_NONE);
    assert_int_equal(t.nevents, 1);
    assert_non_null(strstr(t.ev[0], "\"starttls\":true"));
    assert_non_null(strstr(t.ev[0], "\"tls\":false"));
    apt_free(&t);
}

/* RFC 3030 BDAT: chunks skipped by length, so "\r\n.\r\n" inside a chunk
 * does not end anything; 10 + 5 bytes counted. */
static const struct step sess_bdat[] = {
    {1, "220 x ESMTP\r\n"},
    {0, "EHLO y\r\n"},
    {1, "250-x\r\n250 CHUNKING\r\n"},
    {0, "MAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\n"},
    {1, "250 ok\r\n250 ok\r\n"},
    {0, "BDAT 10\r\nab\r\n.\r\nQUI"}, /* 10 bytes: a b CR LF . CR LF Q U I */
    {1, "250 10 octets\r\n"},
    {0, "BDAT 5 LAST\r\nT\r\n.."},     /* 5 bytes */
    {1, "250 Message accepted\r\n"},
    {0, "QUIT\r\n"},
    {1, "221 bye\r\n"},
};

static void test_smtp_bdat(void **state)
{
    (void)state;
    struct apt t;
    run_all_ways(&t, sess_bdat, ARRAY_SIZE(sess_bdat), NULL, 0);
    assert_int_equal(t.nevents, 1);
    assert_non_null(strstr(t.ev[0], "\"message_bytes\":15"));
    assert_non_null(strstr(t.ev[0], "\"data_reply_code\":250"));
    assert_non_null(strstr(t.ev[0], "\"message_complete\":true"));
    assert_int_equal(t.nanomalies, 0);
    apt_free(&t);
}

/* AUTH PLAIN with an initial response that fails (535), twice: a session
 * event without a transaction, with the user from PLAIN and no password.
 * base64("\0mallory\0hunter2") = "AG1hbGxvcnkAaHVudGVyMg==". */
static const struct step sess_plain[] = {
    {1, "220 mx ESMTP\r\n"},
    {0, "EHLO bot\r\n"},
    {1, "250 mx\r\n"},
    {0, "AUTH PLAIN AG1hbGxvcnkAaHVudGVyMg==\r\n"},
    {1, "535 5.7.8 Authentication failed\r\n"},
    {0, "AUTH PLAIN AG1hbGxvcnkAaHVudGVyMg==\r\n"},
    {1, "535 5.7.8 Authentication failed\r\n"},
};

static void test_smtp_auth_plain_failure(void **state)
{
    (void)state;
    static const char *const secrets[] = {"hunter2", "aHVudGVyMg", "AG1hbGxvcnkAaHVudGVyMg"};
    struct apt t;
    run_all_ways(&t, sess_plain, ARRAY_SIZE(sess_plain), secrets, ARRAY_SIZE(secrets));
    assert_int_equal(t.nevents, 1);
    assert_non_null(strstr(t.ev[0], "smtp {\"helo\":\"bot\"}"));
    assert_non_null(strstr(t.ev[0], "\"auth_user\":\"mallory\""));
    assert_non_null(strstr(t.ev[0], "\"auth_success\":false"));
    assert_non_null(strstr(t.ev[0], "\"auth_attempts\":2"));
    assert_non_null(strstr(t.ev[0], "\"auth_failures\":2"));
    apt_free(&t);
}

/* DATA refused with 554: the next line is a command again, not text. */
static void test_smtp_data_refused(void **state)
{
    (void)state;
    static const struct step st[] = {
        {1, "220 m ESMTP\r\n"},  {0, "HELO h\r\n"},           {1, "250 m\r\n"},
        {0, "MAIL FROM:<>\r\n"}, {1, "250 ok\r\n"},           {0, "DATA\r\n"},
        {1, "554 no valid recipients\r\n"},                   {0, "QUIT\r\n"},
        {1, "221 bye\r\n"},
    };
    struct apt t;
    run_all_ways(&t, st, ARRAY_SIZE(st), NULL, 0);
    assert_int_equal(t.nevents, 1);
    assert_non_null(strstr(t.ev[0], "\"mail_from\":\"<>\""));
    assert_non_null(strstr(t.ev[0], "\"data_seen\":false"));
    assert_int_equal(t.nanomalies, 0);
    apt_free(&t);
}

/* Anomalies: a reply nobody asked for, a line that is no reply, a command
 * line longer than MAIL_MAX_LINE. The flow ends in the middle of DATA:
 * the transaction is still reported, message_complete false. */
static void test_smtp_anomalies(void **state)
{
    (void)state;
    struct apt t;
    apt_begin(&t, &app_parser_smtp, 6);
    apt_feed_str(&t, 1, "220 m ESMTP\r\n250 unasked\r\nhello there\r\n");
    char *lng = malloc(MAIL_MAX_LINE + 20);
    memset(lng, 'A', MAIL_MAX_LINE + 20);
    memcpy(lng, "HELO ", 5);
    memcpy(lng + MAIL_MAX_LINE + 18, "\r\n", 2);
    apt_feed(&t, 0, lng, MAIL_MAX_LINE + 20);
    free(lng);
    apt_feed_str(&t, 0, "MAIL FROM:<a@b>\r\nDATA\r\npartial text");
    apt_end(&t);
    assert_true(apt_has_anomaly(&t, "smtp.reply_without_command"));
    assert_true(apt_has_anomaly(&t, "smtp.invalid_reply"));
    assert_true(apt_has_anomaly(&t, "smtp.line_too_long"));
    assert_int_equal(t.nevents, 1);
    assert_non_null(strstr(t.ev[0], "\"message_complete\":false"));
    assert_non_null(strstr(t.ev[0], "\"message_bytes\":12"));
    apt_free(&t);
}

/* More recipients than SMTP_MAX_RCPT: all counted, SMTP_MAX_RCPT kept. */
static void test_smtp_rcpt_cap(void **state)
{
    (void)state;
    struct apt t;
    apt_begin(&t, &app_parser_smtp, 6);
    apt_feed_str(&t, 0, "MAIL FROM:<a@b>\r\n");
    for (int i = 0; i < SMTP_MAX_RCPT + 1; i++) /* pins the cap: 101st not kept */
        apt_feed_str(&t, 0, "RCPT TO:<r@x>\r\n");
    apt_end(&t);
    assert_int_equal(t.nevents, 1);
    char want[32];
    snprintf(want, sizeof(want), "\"rcpt_count\":%d", SMTP_MAX_RCPT + 1);
    assert_non_null(strstr(t.ev[0], want));
    size_t kept = 0;
    for (const char *p = t.ev[0]; (p = strstr(p, "<r@x>")) != NULL; p++)
        kept++;
    assert_int_equal(kept, SMTP_MAX_RCPT);
    apt_free(&t);
}

/* Every prefix of a pipelined segment with more commands than the queue
 * holds: no crash, a counted anomaly. */
static void test_smtp_pending_overflow(void **state)
{
    (void)state;
    struct apt t;
    apt_begin(&t, &app_parser_smtp, 6);
    for (int i = 0; i < MAIL_MAX_PENDING + 1; i++) /* pins the queue size */
        apt_feed_str(&t, 0, "NOOP\r\n");
    apt_end(&t);
    assert_true(apt_has_anomaly(&t, "smtp.too_many_pipelined_commands"));
    apt_free(&t);

    apt_begin(&t, &app_parser_smtp, 6);
    for (int i = 0; i < MAIL_MAX_PENDING; i++)
        apt_feed_str(&t, 0, "NOOP\r\n");
    apt_end(&t);
    assert_false(apt_has_anomaly(&t, "smtp.too_many_pipelined_commands"));
    apt_free(&t);
}

static enum app_probe_result probe(const char *s, int dir)
{
    return app_parser_smtp.probe((const uint8_t *)s, (uint32_t)strlen(s), dir);
}

static void test_smtp_probe(void **state)
{
    (void)state;
    assert_int_equal(probe("220 mx.example.org ESMTP Postfix\r\n", 1), APP_PROBE_YES);
    assert_int_equal(probe("220-mx.example.org\r\n", 1), APP_PROBE_YES);
    assert_int_equal(probe("220 ProFTPD Server ready\r\n", 1), APP_PROBE_NO);
    assert_int_equal(probe("220 mx.example.org", 1), APP_PROBE_NEED_MORE);
    assert_int_equal(probe("22", 1), APP_PROBE_NEED_MORE);
    assert_int_equal(probe("221 x\r\n", 1), APP_PROBE_NO);
    assert_int_equal(probe("220x\r\n", 1), APP_PROBE_NO);
    assert_int_equal(probe("HTTP/1.1 200 OK\r\n", 1), APP_PROBE_NO);
    assert_int_equal(probe("EHLO a\r\n", 0), APP_PROBE_YES);
    assert_int_equal(probe("ehlo a\r\n", 0), APP_PROBE_YES);
    assert_int_equal(probe("EHL", 0), APP_PROBE_NEED_MORE);
    assert_int_equal(probe("GET / HTTP/1.1\r\n", 0), APP_PROBE_NO);
    /* Every prefix of a banner is NEED_MORE until the line is complete. */
    const char *b = "220 mx ESMTP\r\n";
    for (uint32_t n = 0; n < strlen(b); n++)
        assert_int_equal(app_parser_smtp.probe((const uint8_t *)b, n, 1), APP_PROBE_NEED_MORE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_smtp_auth_login_session),
        cmocka_unit_test(test_smtp_pipelining),
        cmocka_unit_test(test_smtp_starttls),
        cmocka_unit_test(test_smtp_starttls_refused),
        cmocka_unit_test(test_smtp_bdat),
        cmocka_unit_test(test_smtp_auth_plain_failure),
        cmocka_unit_test(test_smtp_data_refused),
        cmocka_unit_test(test_smtp_anomalies),
        cmocka_unit_test(test_smtp_rcpt_cap),
        cmocka_unit_test(test_smtp_pending_overflow),
        cmocka_unit_test(test_smtp_probe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
