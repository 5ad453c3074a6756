/* test-proto-smtp.c - the SMTP parser: transactions, pipelining, DATA and
 * BDAT counting, AUTH (credentials never reported), STARTTLS upgrade,
 * anomalies, probes, and the "email" record read from the message headers
 * (folding, address lists, RFC 2047 words, MIME attachment names, caps).
 * Every session is also fed with each message cut at every point and one
 * byte at a time, and must report the same events. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "app-test-util.h"
#include "util/limits.h"
#include "util/util.h"


/* Submission with AUTH LOGIN and three recipients, the commands one by one.
 * "YWxpY2U=" is base64("alice"), "czNjcmV0UFc=" base64("s3cretPW"). */
static const struct apt_step sess_login[] = {
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
    apt_run_all_ways(&t, &app_parser_smtp, sess_login, ARRAY_SIZE(sess_login), login_secrets,
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
static const struct apt_step sess_pipe[] = {
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
    apt_run_all_ways(&t, &app_parser_smtp, sess_pipe, ARRAY_SIZE(sess_pipe), NULL, 0);
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
static const struct apt_step sess_tls[] = {
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
    apt_run_all_ways(&t, &app_parser_smtp, sess_tls, ARRAY_SIZE(sess_tls), NULL, 0);
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
    static const struct apt_step st[] = {
        {1, "220 a ESMTP\r\n"}, {0, "EHLO b\r\n"}, {1, "250 a\r\n"},
        {0, "STARTTLS\r\n"},    {1, "454 TLS not available\r\n"},
        {0, "QUIT\r\n"},        {1, "221 bye\r\n"},
    };
    struct apt t;
    apt_run_all_ways(&t, &app_parser_smtp, st, ARRAY_SIZE(st), NULL, 0);
    assert_int_equal(t.cx.upgrade_to, APP_NONE);
    assert_int_equal(t.nevents, 1);
    assert_non_null(strstr(t.ev[0], "\"starttls\":true"));
    assert_non_null(strstr(t.ev[0], "\"tls\":false"));
    apt_free(&t);
}

/* RFC 3030 BDAT: chunks skipped by length, so "\r\n.\r\n" inside a chunk
 * does not end anything; 10 + 5 bytes counted. */
static const struct apt_step sess_bdat[] = {
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
    apt_run_all_ways(&t, &app_parser_smtp, sess_bdat, ARRAY_SIZE(sess_bdat), NULL, 0);
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
static const struct apt_step sess_plain[] = {
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
    apt_run_all_ways(&t, &app_parser_smtp, sess_plain, ARRAY_SIZE(sess_plain), secrets, ARRAY_SIZE(secrets));
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
    static const struct apt_step st[] = {
        {1, "220 m ESMTP\r\n"},  {0, "HELO h\r\n"},           {1, "250 m\r\n"},
        {0, "MAIL FROM:<>\r\n"}, {1, "250 ok\r\n"},           {0, "DATA\r\n"},
        {1, "554 no valid recipients\r\n"},                   {0, "QUIT\r\n"},
        {1, "221 bye\r\n"},
    };
    struct apt t;
    apt_run_all_ways(&t, &app_parser_smtp, st, ARRAY_SIZE(st), NULL, 0);
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

/* ------------------------------------------------------------ email */

/* A mail whose header block has every field of the email record: a Return-
 * Path and Reply-To (store only), To over two lines with a comma inside a
 * quoted display name and inside a comment (neither splits), two Cc fields,
 * a Subject folded twice (the folding WSP stays, RFC 5322 2.2.3, a tab as a
 * space so the record stays readable). The body
 * holds a phrase that must never reach an event. */
static const struct apt_step sess_hdr[] = {
    {1, "220 mx ESMTP\r\n"},
    {0, "EHLO pc\r\n"},
    {1, "250 mx\r\n"},
    {0, "MAIL FROM:<tanaka@yamada-shoji.example>\r\nRCPT TO:<suzuki@example.co.jp>\r\n"},
    {1, "250 ok\r\n250 ok\r\n"},
    {0, "DATA\r\n"},
    {1, "354 go\r\n"},
    {0, "Return-Path: <bounce@yamada-shoji.example>\r\n"
        "From: Tanaka <tanaka@yamada-shoji.example>\r\n"
        "Reply-To: tanaka.keiri@freemail.example\r\n"
        "To: \"Suzuki, Ichiro\" <suzuki@example.co.jp>, sato@example.co.jp,\r\n"
        " (comment, with comma) kato@example.co.jp\r\n"
        "Cc: keiri@yamada-shoji.example, <bucho@yamada-shoji.example>\r\n"
        "cc: audit@yamada-shoji.example\r\n"
        "Subject: Bank account\r\n change\r\n\tnotice\r\n"
        "Date: Tue, 03 Nov 2026 10:00:00 +0900\r\n"
        "Message-ID: <x1@yamada-shoji.example>\r\n"
        "X-Mailer: Microsoft Outlook 16.0\r\n"
        "\r\n"
        "New account: BODYSECRET 1234567\r\n"
        ".\r\n"},
    {1, "250 queued\r\n"},
    {0, "QUIT\r\n"},
    {1, "221 bye\r\n"},
};

static void test_smtp_email_headers(void **state)
{
    (void)state;
    static const char *const body_text[] = {"BODYSECRET", "1234567"};
    struct apt t;
    apt_run_all_ways(&t, &app_parser_smtp, sess_hdr, ARRAY_SIZE(sess_hdr), body_text, ARRAY_SIZE(body_text));
    assert_int_equal(t.nevents, 1);
    assert_int_equal(t.nanomalies, 0);
    const char *e = t.ev[0];
    assert_non_null(strstr(
        e, " email {\"cc\":[\"keiri@yamada-shoji.example\",\"<bucho@yamada-shoji.example>\","
           "\"audit@yamada-shoji.example\"],"
           "\"date\":\"Tue, 03 Nov 2026 10:00:00 +0900\","
           "\"from\":\"Tanaka <tanaka@yamada-shoji.example>\","
           "\"message_id\":\"<x1@yamada-shoji.example>\","
           "\"status\":\"PARSED_COMPLETE\","
           "\"subject\":\"Bank account change notice\","
           "\"to\":[\"\\\"Suzuki, Ichiro\\\" <suzuki@example.co.jp>\",\"sato@example.co.jp\","
           "\"(comment, with comma) kato@example.co.jp\"],"
           "\"x_mailer\":\"Microsoft Outlook 16.0\"}"));
    assert_non_null(strstr(e, "\"reply_to\":\"tanaka.keiri@freemail.example\""));
    assert_non_null(strstr(e, "\"return_path\":\"<bounce@yamada-shoji.example>\""));
    assert_non_null(strstr(e, "\"subject\":\"Bank account change notice\""));
    assert_non_null(strstr(e, "\"has_executable_attachment\":false"));
    assert_null(strstr(e, "\"attachment\""));
    apt_free(&t);
}

/* One message "hdr CRLF CRLF body" in a DATA transaction, fed whole and one
 * byte at a time (same event both ways); returns the event in t. */
static void run_msg(struct apt *t, const char *msg)
{
    static const char pre[] = "MAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nDATA\r\n";
    struct apt u;
    apt_begin(t, &app_parser_smtp, 6);
    apt_begin(&u, &app_parser_smtp, 6);
    apt_feed_str(t, 0, pre);
    apt_feed_str(t, 0, msg);
    apt_feed_str(t, 0, "\r\n.\r\n");
    apt_end(t);
    apt_feed_bytes(&u, 0, pre, (uint32_t)strlen(pre));
    apt_feed_bytes(&u, 0, msg, (uint32_t)strlen(msg));
    apt_feed_bytes(&u, 0, "\r\n.\r\n", 5);
    apt_end(&u);
    assert_int_equal(t->nevents, 1);
    assert_int_equal(u.nevents, 1);
    assert_string_equal(t->ev[0], u.ev[0]);
    assert_int_equal(u.nanomalies, t->nanomalies);
    apt_free(&u);
}

/* RFC 2047 encoded-words in Subject and From: B and Q, UTF-8, ISO-8859-1,
 * ISO-2022-JP (through iconv) and Shift_JIS; adjacent words are joined
 * without the white space between them (6.2), also when a character is cut
 * between two words; words that do not decode stay as sent. */
static void test_smtp_email_encoded_words(void **state)
{
    (void)state;
    static const struct {
        const char *hdr, *want;
    } cases[] = {
        /* UTF-8, B: "請求書のご案内" */
        {"Subject: =?UTF-8?B?6KuL5rGC5pu444Gu44GU5qGI5YaF?=", "\"subject\":\"請求書のご案内\""},
        /* lower-case charset and encoding letter */
        {"Subject: =?utf-8?b?6KuL5rGC5pu444Gu44GU5qGI5YaF?=", "\"subject\":\"請求書のご案内\""},
        /* UTF-8, Q, "_" is a space; text around the word kept */
        {"Subject: Re: =?UTF-8?Q?Caf=C3=A9_=C3=9Cberweisung?= now",
         "\"subject\":\"Re: Café Überweisung now\""},
        /* ISO-8859-1, Q: E9 becomes U+00E9 */
        {"Subject: =?ISO-8859-1?Q?Caf=E9?=", "\"subject\":\"Café\""},
        /* ISO-2022-JP, B: "請求書のご案内" (ESC $ B ... ESC ( B) */
        {"Subject: =?ISO-2022-JP?B?GyRCQEE1YT1xJE4kNDBGRmIbKEI=?=",
         "\"subject\":\"請求書のご案内\""},
        /* the same cut into two words (the second lacks ESC $ B) and folded:
         * decoded as one, the fold between words dropped */
        {"Subject: =?ISO-2022-JP?B?GyRCQEE1YT1x?=\r\n =?ISO-2022-JP?B?JE4kNDBGRmIbKEI=?=",
         "\"subject\":\"請求書のご案内\""},
        /* two charsets side by side: "振込先変更" + "Café" */
        {"Subject: =?ISO-2022-JP?B?GyRCPzY5fkBoSlE5ORsoQg==?= =?UTF-8?Q?Caf=C3=A9?=",
         "\"subject\":\"振込先変更Café\""},
        /* Shift_JIS: "請求書" */
        {"Subject: =?Shift_JIS?B?kL+LgY+R?=", "\"subject\":\"請求書\""},
        /* From: display name encoded, address as sent: "山田商事 田中" */
        {"From: =?UTF-8?B?5bGx55Sw5ZWG5LqLIOeUsOS4rQ==?= <tanaka@yamada-shoji.example>",
         "\"from\":\"山田商事 田中 <tanaka@yamada-shoji.example>\""},
        /* unknown charset, bad base64, bad Q escape: kept as sent */
        {"Subject: =?X-UNKNOWN?B?QUJD?=", "\"subject\":\"=?X-UNKNOWN?B?QUJD?=\""},
        {"Subject: =?UTF-8?B?!!!!?=", "\"subject\":\"=?UTF-8?B?!!!!?=\""},
        {"Subject: =?UTF-8?Q?a=Zz?=", "\"subject\":\"=?UTF-8?Q?a=Zz?=\""},
        /* invalid ISO-2022-JP (ESC $ B then a cut character): kept as sent */
        {"Subject: =?ISO-2022-JP?B?GyRCQA==?=", "\"subject\":\"=?ISO-2022-JP?B?GyRCQA==?=\""},
        /* not an encoded word (space inside, no end) */
        {"Subject: =?UTF-8?B?ab cd?= =?UTF-8?Q?x", "\"subject\":\"=?UTF-8?B?ab cd?= =?UTF-8?Q?x\""},
        /* decoded bytes that are not UTF-8 are escaped, never invalid JSON */
        {"Subject: =?UTF-8?B?/w==?=", "\"subject\":\"\\\\xff\""},
    };
    for (size_t k = 0; k < ARRAY_SIZE(cases); k++) {
        char msg[512];
        snprintf(msg, sizeof(msg), "%s\r\nTo: x@y.example\r\n\r\nbody", cases[k].hdr);
        struct apt t;
        run_msg(&t, msg);
        const char *email = strstr(t.ev[0], " email {");
        assert_non_null(email);
        if (!strstr(email, cases[k].want))
            fail_msg("case %zu: want %s in %s", k, cases[k].want, email);
        apt_free(&t);
    }
}

/* MIME attachment names (RFC 2183 filename=, RFC 2045 name=, RFC 2231
 * filename*= and continuations), in nested multiparts; a part whose name
 * ends in .exe/.lnk... sets has_executable_attachment. Fed split at every
 * point and one byte at a time. */
static const struct apt_step sess_mime[] = {
    {0, "MAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\nDATA\r\n"},
    {1, "250 ok\r\n250 ok\r\n354 go\r\n"},
    {0, "From: a@b.example\r\n"
        "Subject: docs\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed;\r\n boundary=\"==outer==\"\r\n"
        "\r\n"
        "preamble\r\n"
        "--==outer==\r\n"
        "Content-Type: multipart/alternative; boundary=inner\r\n"
        "\r\n"
        "--inner\r\n"
        "Content-Type: text/plain\r\n"
        "\r\n"
        "--not-a-boundary\r\n"
        "--inner--\r\n"
        "--==outer==\r\n"
        "Content-Type: application/pdf; name=\"ignored.pdf\"\r\n"
        "Content-Disposition: attachment; filename=\"invoice 11.pdf\"\r\n"
        "\r\n"
        "JVBERi0xLjQK\r\n"
        "--==outer==\r\n"
        "Content-Type: application/octet-stream; name=\"=?UTF-8?B?6KuL5rGC5pu4?=.zip\"\r\n"
        "\r\n"
        "UEsDBA==\r\n"
        "--==outer==\r\n"
        "Content-Disposition: attachment;\r\n"
        " filename*=UTF-8''%E8%AB%8B%E6%B1%82%E6%9B%B8.pdf%E3%80%80.exe\r\n"
        "\r\n"
        "TVqQ\r\n"
        "--==outer==\r\n"
        "Content-Disposition: attachment; filename*0*=ISO-2022-JP''%1B%24B%40A5a;\r\n"
        " filename*1*=%3Dq%1B%28B; filename*2=\".txt\"\r\n"
        "\r\n"
        "x\r\n"
        "--==outer==--\r\n"
        "--==outer==\r\n"
        "Content-Disposition: attachment; filename=after-close.exe\r\n"
        "\r\n"
        ".\r\n"},
    {1, "250 queued\r\n"},
};

static void test_smtp_email_attachments(void **state)
{
    (void)state;
    struct apt t;
    apt_run_all_ways(&t, &app_parser_smtp, sess_mime, ARRAY_SIZE(sess_mime), NULL, 0);
    assert_int_equal(t.nevents, 1);
    const char *e = t.ev[0];
    /* after "--==outer==--" no part opens again: 4 names, not 5 */
    assert_non_null(strstr(e, "\"attachment\":[\"invoice 11.pdf\",\"請求書.zip\","
                              "\"請求書.pdf　.exe\",\"請求書.txt\"]"));
    assert_non_null(strstr(e, "\"attachment_count\":4"));
    assert_non_null(strstr(e, "\"has_executable_attachment\":true"));
    assert_non_null(strstr(e, "\"has_macro_attachment\":false"));
    assert_non_null(strstr(e, "\"subject\":\"docs\""));
    assert_null(strstr(e, "after-close"));
    assert_null(strstr(e, "JVBERi0"));
    apt_free(&t);

    /* The Emotet malspam shape: a raw UTF-8 name of a macro workbook, on the
     * top-level header block of a single-part message. */
    run_msg(&t, "Content-Type: application/vnd.ms-excel.sheet.macroEnabled.12\r\n"
                "Content-Disposition: attachment; filename=\"documentación_455.XLSM\"\r\n\r\n"
                "UEsDBBQ");
    assert_non_null(strstr(t.ev[0], "\"attachment\":[\"documentación_455.XLSM\"]"));
    assert_non_null(strstr(t.ev[0], "\"has_macro_attachment\":true"));
    assert_non_null(strstr(t.ev[0], "\"has_executable_attachment\":false"));
    apt_free(&t);
}

/* More parts than SMTP_MAX_ATTACHMENTS: all counted, the first kept. A
 * boundary of SMTP_MAX_BOUNDARY characters is followed, one longer not. */
static void test_smtp_email_attachment_cap(void **state)
{
    (void)state;
    char bnd[SMTP_MAX_BOUNDARY + 2];
    size_t cap = 64 * 1024;
    char *msg = malloc(cap);
    for (int longer = 0; longer < 2; longer++) {
        /* pins the boundary length cap: 70 is followed, 71 is not */
        memset(bnd, 'b', sizeof(bnd));
        bnd[SMTP_MAX_BOUNDARY + longer] = '\0';
        size_t o = (size_t)snprintf(msg, cap, "Content-Type: multipart/mixed; boundary=%s\r\n\r\n",
                                    bnd);
        for (int i = 0; i < SMTP_MAX_ATTACHMENTS + 1; i++)
            o += (size_t)snprintf(msg + o, cap - o,
                                  "--%s\r\nContent-Disposition: attachment; filename=f%d.txt\r\n"
                                  "\r\ndata\r\n",
                                  bnd, i);
        struct apt t;
        run_msg(&t, msg);
        char want[64];
        if (!longer) {
            snprintf(want, sizeof(want), "\"attachment_count\":%d", SMTP_MAX_ATTACHMENTS + 1);
            assert_non_null(strstr(t.ev[0], want));
            snprintf(want, sizeof(want), "\"f%d.txt\"", SMTP_MAX_ATTACHMENTS - 1);
            assert_non_null(strstr(t.ev[0], want)); /* the 32nd is kept */
            snprintf(want, sizeof(want), "\"f%d.txt\"", SMTP_MAX_ATTACHMENTS);
            assert_null(strstr(t.ev[0], want)); /* the 33rd is not (off by one) */
        } else {
            assert_non_null(strstr(t.ev[0], "\"attachment_count\":0"));
        }
        apt_free(&t);
    }
    free(msg);
}

/* A header block longer than SMTP_MAX_HEADER_BLOCK: one anomaly, fields
 * before the cap are kept, none after it, and the blank line that ends the
 * block is still found (the attachment after it is read). */
static void test_smtp_email_header_too_long(void **state)
{
    (void)state;
    size_t cap = SMTP_MAX_HEADER_BLOCK + 4096;
    char *msg = malloc(cap);
    size_t o = (size_t)snprintf(msg, cap,
                                "From: first@a.example\r\nContent-Type: multipart/mixed; "
                                "boundary=B\r\n");
    while (o < SMTP_MAX_HEADER_BLOCK + 100)
        o += (size_t)snprintf(msg + o, cap - o, "X-Junk: %060d\r\n", 0);
    snprintf(msg + o, cap - o,
             "Subject: late\r\n\r\n--B\r\nContent-Disposition: attachment; filename=a.lnk\r\n"
             "\r\nx\r\n--B--\r\n");
    struct apt t;
    run_msg(&t, msg);
    free(msg);
    assert_int_equal(t.nanomalies, 1);
    assert_true(apt_has_anomaly(&t, "smtp.header_too_long"));
    const char *e = t.ev[0];
    assert_non_null(strstr(e, "\"from\":\"first@a.example\""));
    assert_null(strstr(e, "late"));
    assert_non_null(strstr(e, "\"attachment\":[\"a.lnk\"]"));
    assert_non_null(strstr(e, "\"has_macro_attachment\":false"));
    assert_non_null(strstr(e, "\"has_executable_attachment\":true"));
    assert_non_null(strstr(e, "\"status\":\"PARSED_COMPLETE\""));
    apt_free(&t);

    /* A block of exactly SMTP_MAX_HEADER_BLOCK bytes (the final CR LF of the
     * blank line included) is no anomaly: pins > against >=. */
    msg = malloc(SMTP_MAX_HEADER_BLOCK + 16);
    size_t fill = SMTP_MAX_HEADER_BLOCK - strlen("X: \r\n\r\n");
    memcpy(msg, "X: ", 3);
    memset(msg + 3, 'a', fill);
    memcpy(msg + 3 + fill, "\r\n\r\nbody", 9);
    run_msg(&t, msg);
    assert_int_equal(t.nanomalies, 0);
    apt_free(&t);
    memcpy(msg + 3 + fill, "a\r\n\r\nbody", 10); /* one byte more */
    run_msg(&t, msg);
    assert_true(apt_has_anomaly(&t, "smtp.header_too_long"));
    apt_free(&t);
    free(msg);
}

/* Dot-stuffing (RFC 5321 4.5.2): lines sent as ".." are counted and read
 * with one dot less, so a stuffed part header is read as the sender wrote
 * it; ".\r\n" still ends the message, message_bytes counts the wire. */
static void test_smtp_email_dot_stuffing(void **state)
{
    (void)state;
    static const char msg[] = "From: a@b.example\r\n"
                              "Content-Type: multipart/mixed; boundary=\".x\"\r\n"
                              "\r\n"
                              "..hidden line\r\n"
                              "--.x\r\n"
                              "Content-Disposition: attachment;\r\n"
                              "\tfilename=\"..profile.js\"\r\n"
                              "\r\n"
                              "...\r\n"
                              "--.x--";
    struct apt t;
    run_msg(&t, msg);
    const char *e = t.ev[0];
    assert_non_null(strstr(e, "\"dot_stuffed_lines\":2"));
    assert_non_null(strstr(e, "\"attachment\":[\"..profile.js\"]"));
    assert_non_null(strstr(e, "\"has_executable_attachment\":true"));
    assert_non_null(strstr(e, "\"status\":\"PARSED_COMPLETE\""));
    char want[48];
    snprintf(want, sizeof(want), "\"message_bytes\":%zu", strlen(msg) + 2);
    assert_non_null(strstr(e, want));
    apt_free(&t);

    /* A header line that starts with a dot: the sender stuffed ".X-Dot" as
     * "..X-Dot"; the field after it is still read. */
    run_msg(&t, "..X-Dot: 1\r\nSubject: after dot\r\n\r\nb");
    assert_non_null(strstr(t.ev[0], "\"subject\":\"after dot\""));
    assert_non_null(strstr(t.ev[0], "\"dot_stuffed_lines\":1"));
    apt_free(&t);
}

/* The flow ends inside the message: in the body the record says
 * HEADER_READY, inside the header block PARSED_INCOMPLETE with the fields
 * read so far (the last one too, cut at the end of the capture). */
static void test_smtp_email_cut(void **state)
{
    (void)state;
    struct apt t;
    apt_begin(&t, &app_parser_smtp, 6);
    apt_feed_str(&t, 0, "MAIL FROM:<a@b>\r\nDATA\r\nSubject: s\r\n\r\nbody...");
    apt_end(&t);
    assert_int_equal(t.nevents, 1);
    assert_non_null(strstr(t.ev[0], " email {\"status\":\"HEADER_READY\",\"subject\":\"s\"}"));
    apt_free(&t);

    apt_begin(&t, &app_parser_smtp, 6);
    apt_feed_str(&t, 0, "MAIL FROM:<a@b>\r\nDATA\r\nFrom: f@x\r\nSubject: cut her");
    apt_end(&t);
    assert_non_null(strstr(t.ev[0], " email {\"from\":\"f@x\",\"status\":\"PARSED_INCOMPLETE\","
                                    "\"subject\":\"cut her\"}"));
    apt_free(&t);

    /* DATA with no text at all: no email object */
    apt_begin(&t, &app_parser_smtp, 6);
    apt_feed_str(&t, 0, "MAIL FROM:<a@b>\r\nDATA\r\n");
    apt_end(&t);
    assert_null(strstr(t.ev[0], " email "));
    apt_free(&t);
}

/* BDAT: the header block spans two chunks (cut inside a field name); chunk
 * text is read as sent (no dot-stuffing in BDAT). */
static const struct apt_step sess_bdat_hdr[] = {
    {0, "MAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\n"},
    {1, "250 ok\r\n250 ok\r\n"},
    {0, "BDAT 21\r\nFrom: x@y.example\r\nSu"}, /* 21 bytes */
    {1, "250 21 octets\r\n"},
    {0, "BDAT 23 LAST\r\nbject: ..chunked\r\n\r\nb\r\n"}, /* 23 bytes */
    {1, "250 ok\r\n"},
};

static void test_smtp_email_bdat(void **state)
{
    (void)state;
    struct apt t;
    apt_run_all_ways(&t, &app_parser_smtp, sess_bdat_hdr, ARRAY_SIZE(sess_bdat_hdr), NULL, 0);
    assert_int_equal(t.nevents, 1);
    assert_non_null(strstr(t.ev[0], " email {\"from\":\"x@y.example\","
                                    "\"status\":\"PARSED_COMPLETE\",\"subject\":\"..chunked\"}"));
    assert_non_null(strstr(t.ev[0], "\"message_bytes\":44"));
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
        cmocka_unit_test(test_smtp_email_headers),
        cmocka_unit_test(test_smtp_email_encoded_words),
        cmocka_unit_test(test_smtp_email_attachments),
        cmocka_unit_test(test_smtp_email_attachment_cap),
        cmocka_unit_test(test_smtp_email_header_too_long),
        cmocka_unit_test(test_smtp_email_dot_stuffing),
        cmocka_unit_test(test_smtp_email_cut),
        cmocka_unit_test(test_smtp_email_bdat),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
