/* test-proto-login.c - the cleartext login parsers: POP3, IMAP, FTP and
 * Telnet. Each session is fed whole, with each message cut at every point
 * and one byte at a time (same events every way), and no event may contain
 * the password. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "app-test-util.h"
#include "util/limits.h"
#include "util/util.h"


/* --- POP3 --- */

/* USER/PASS that fails, then succeeds; a RETR whose mail text contains a
 * line "-ERR" and "+OK" (must be skipped up to "."), then STLS offered in
 * CAPA. */
static const struct apt_step pop3_sess[] = {
    {1, "+OK Dovecot ready.\r\n"},
    {0, "CAPA\r\n"},
    {1, "+OK\r\nUSER\r\nSTLS\r\nSASL PLAIN\r\n.\r\n"},
    {0, "USER alice\r\n"},
    {1, "+OK\r\n"},
    {0, "PASS wrongpass1\r\n"},
    {1, "-ERR [AUTH] Authentication failed.\r\n"},
    {0, "USER alice\r\n"},
    {1, "+OK\r\n"},
    {0, "PASS pop3Secret!\r\n"},
    {1, "+OK Logged in.\r\n"},
    {0, "RETR 1\r\n"},
    {1, "+OK 30 octets\r\n-ERR not a status\r\n+OK neither\r\n..\r\n.\r\n"},
    {0, "QUIT\r\n"},
    {1, "+OK Logging out.\r\n"},
};

static void test_pop3_login(void **state)
{
    (void)state;
    static const char *const secrets[] = {"wrongpass1", "pop3Secret"};
    struct apt t;
    apt_run_all_ways(&t, &app_parser_pop3, pop3_sess, ARRAY_SIZE(pop3_sess), secrets,
                 ARRAY_SIZE(secrets));
    assert_int_equal(t.nevents, 2);
    assert_non_null(strstr(t.ev[0], "pop3 null {"));
    assert_non_null(strstr(t.ev[0], "\"login_success\":false"));
    assert_non_null(strstr(t.ev[0], "\"password_sent_in_clear\":true"));
    assert_non_null(strstr(t.ev[0], "\"user\":\"alice\""));
    assert_non_null(strstr(t.ev[1], "\"login_success\":true"));
    assert_non_null(strstr(t.ev[1], "\"login_attempts\":2"));
    assert_non_null(strstr(t.ev[1], "\"starttls_offered\":true"));
    assert_non_null(strstr(t.ev[1], "\"server_banner\":\"Dovecot ready.\""));
    assert_int_equal(t.nanomalies, 0);
    apt_free(&t);
}

/* STLS accepted: upgrade to TLS; no login, a session event at the end. */
static void test_pop3_stls(void **state)
{
    (void)state;
    static const struct apt_step st[] = {
        {1, "+OK POP3 ready\r\n"}, {0, "STLS\r\n"}, {1, "+OK Begin TLS\r\n\x16\x03\x01"},
    };
    struct apt t;
    apt_run_all_ways(&t, &app_parser_pop3, st, ARRAY_SIZE(st), NULL, 0);
    assert_int_equal(t.cx.upgrade_to, APP_TLS);
    assert_int_equal(t.nevents, 1);
    assert_non_null(strstr(t.ev[0], "\"starttls\":true"));
    assert_non_null(strstr(t.ev[0], "\"login_attempts\":0"));
    apt_free(&t);
}

/* AUTH PLAIN with a continuation: the user is decoded from the response,
 * the password never shown. base64("\0bob\0Pl4inPass") = "AGJvYgBQbDRpblBhc3M=". */
static void test_pop3_auth_plain(void **state)
{
    (void)state;
    static const struct apt_step st[] = {
        {1, "+OK ready\r\n"},   {0, "AUTH PLAIN\r\n"},       {1, "+ \r\n"},
        {0, "AGJvYgBQbDRpblBhc3M=\r\n"},                     {1, "+OK welcome\r\n"},
    };
    static const char *const secrets[] = {"Pl4inPass", "AGJvYgBQbDRpblBhc3M", "blBhc3M"};
    struct apt t;
    apt_run_all_ways(&t, &app_parser_pop3, st, ARRAY_SIZE(st), secrets, ARRAY_SIZE(secrets));
    assert_int_equal(t.nevents, 1);
    assert_non_null(strstr(t.ev[0], "\"user\":\"bob\""));
    assert_non_null(strstr(t.ev[0], "\"auth_mechanism\":\"PLAIN\""));
    assert_non_null(strstr(t.ev[0], "\"login_success\":true"));
    apt_free(&t);
}

/* --- IMAP --- */

/* LOGIN with quoted strings that fails, then LOGIN with synchronizing
 * literals {5} and {9} that succeeds; a FETCH whose literal contains a fake
 * tagged line ("a3 OK") that must be skipped by length. */
static const struct apt_step imap_sess[] = {
    {1, "* OK [CAPABILITY IMAP4rev1 STARTTLS LOGIN-REFERRALS] Dovecot ready.\r\n"},
    {0, "a1 LOGIN \"alice\" \"bad\\\"pw\"\r\n"},
    {1, "a1 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n"},
    {0, "a2 LOGIN {5}\r\n"},
    {1, "+ OK\r\n"},
    {0, "alice {9}\r\n"},
    {1, "+ OK\r\n"},
    {0, "imapS3cr8\r\n"},
    {1, "a2 OK Logged in\r\n"},
    {0, "a3 FETCH 1 BODY[]\r\n"},
    /* the literal is 13 bytes: "a3 OK fake\r\n" plus "x" */
    {1, "* 1 FETCH (BODY[] {13}\r\na3 OK fake\r\nx)\r\na3 OK Fetch completed.\r\n"},
    {0, "a4 LOGOUT\r\n"},
    {1, "* BYE\r\na4 OK bye\r\n"},
};

static void test_imap_login(void **state)
{
    (void)state;
    static const char *const secrets[] = {"imapS3cr8", "bad\\\\\\\"pw", "bad\\\"pw", "pw\""};
    struct apt t;
    apt_run_all_ways(&t, &app_parser_imap, imap_sess, ARRAY_SIZE(imap_sess), secrets,
                 ARRAY_SIZE(secrets));
    assert_int_equal(t.nevents, 2);
    assert_non_null(strstr(t.ev[0], "imap null {"));
    assert_non_null(strstr(t.ev[0], "\"user\":\"alice\""));
    assert_non_null(strstr(t.ev[0], "\"login_success\":false"));
    assert_non_null(strstr(t.ev[1], "\"user\":\"alice\""));
    assert_non_null(strstr(t.ev[1], "\"login_success\":true"));
    assert_non_null(strstr(t.ev[1], "\"starttls_offered\":true"));
    assert_int_equal(t.nanomalies, 0);
    apt_free(&t);
}

static void test_imap_starttls_and_anomalies(void **state)
{
    (void)state;
    static const struct apt_step st[] = {
        {1, "* OK IMAP4rev1 ready\r\n"},
        {0, "x1 STARTTLS\r\n"},
        {1, "zz OK not ours\r\nx1 OK Begin TLS negotiation now\r\n"},
    };
    struct apt t;
    apt_run_all_ways(&t, &app_parser_imap, st, ARRAY_SIZE(st), NULL, 0);
    assert_int_equal(t.cx.upgrade_to, APP_TLS);
    assert_true(apt_has_anomaly(&t, "imap.response_without_command"));
    assert_int_equal(t.nevents, 1);
    assert_non_null(strstr(t.ev[0], "\"tls\":true"));
    apt_free(&t);

    /* A literal larger than IMAP_MAX_LITERAL is flagged (and skipped). */
    apt_begin(&t, &app_parser_imap, 6);
    apt_feed_str(&t, 0, "a APPEND INBOX {99999999999}\r\n");
    apt_end(&t);
    assert_true(apt_has_anomaly(&t, "imap.literal_too_long"));
    apt_free(&t);
}

/* --- FTP --- */

/* A login that fails, one that succeeds (multi-line 230), PASV + RETR with
 * 150 then 226, PORT; then AUTH TLS is refused. */
static const struct apt_step ftp_sess[] = {
    {1, "220 (vsFTPd 3.0.3)\r\n"},
    {0, "USER alice\r\n"},
    {1, "331 Please specify the password.\r\n"},
    {0, "PASS nope\r\n"},
    {1, "530 Login incorrect.\r\n"},
    {0, "USER alice\r\n"},
    {1, "331 Please specify the password.\r\n"},
    {0, "PASS ftpS3cret\r\n"},
    {1, "230-Welcome\r\n  to the server\r\n230 Login successful.\r\n"},
    {0, "PASV\r\n"},
    {1, "227 Entering Passive Mode (192,0,2,10,82,11).\r\n"},
    {0, "RETR file.txt\r\n"},
    {1, "150 Opening BINARY mode data connection for file.txt (3 bytes).\r\n"},
    {1, "226 Transfer complete.\r\n"},
    {0, "PORT 192,0,2,7,4,1\r\n"},
    {1, "200 PORT command successful.\r\n"},
    {0, "EPSV\r\n"},
    {1, "229 Entering Extended Passive Mode (|||50000|)\r\n"},
    {0, "QUIT\r\n"},
    {1, "221 Goodbye.\r\n"},
};

static void test_ftp_session(void **state)
{
    (void)state;
    static const char *const secrets[] = {"ftpS3cret", "nope"};
    struct apt t;
    apt_run_all_ways(&t, &app_parser_ftp, ftp_sess, ARRAY_SIZE(ftp_sess), secrets,
                 ARRAY_SIZE(secrets));
    assert_int_equal(t.nevents, 9);
    assert_int_equal(t.nanomalies, 0);
    assert_string_equal(t.ev[0], "ftp {\"command\":\"USER\",\"command_data\":\"alice\","
                                 "\"completion_code\":[\"331\"],"
                                 "\"reply\":[\"Please specify the password.\"],"
                                 "\"reply_received\":\"yes\"} {\"user\":\"alice\"}");
    assert_non_null(strstr(t.ev[1], "ftp {\"command\":\"PASS\",\"completion_code\":[\"530\"]"));
    assert_non_null(strstr(t.ev[1], "\"login_success\":false"));
    assert_non_null(strstr(t.ev[1], "\"password_sent_in_clear\":true"));
    assert_non_null(strstr(t.ev[3], "\"completion_code\":[\"230\",\"230\"]"));
    assert_non_null(strstr(t.ev[3], "\"reply\":[\"Welcome\",\"  to the server\",\"Login successful.\"]"));
    assert_non_null(strstr(t.ev[3], "\"login_success\":true"));
    assert_non_null(strstr(t.ev[4], "\"dynamic_port\":21003"));
    assert_non_null(strstr(t.ev[4], "\"mode\":\"passive\""));
    assert_non_null(strstr(t.ev[5], "\"completion_code\":[\"150\",\"226\"]"));
    assert_non_null(strstr(t.ev[6], "\"dynamic_port\":1025"));
    assert_non_null(strstr(t.ev[6], "\"mode\":\"active\""));
    assert_non_null(strstr(t.ev[7], "\"dynamic_port\":50000"));
    apt_free(&t);
}

static void test_ftp_auth_tls(void **state)
{
    (void)state;
    static const struct apt_step st[] = {
        {1, "220 ProFTPD Server\r\n"}, {0, "AUTH TLS\r\n"},
        {1, "234 AUTH TLS successful\r\n\x16\x03\x03"},
    };
    struct apt t;
    apt_run_all_ways(&t, &app_parser_ftp, st, ARRAY_SIZE(st), NULL, 0);
    assert_int_equal(t.cx.upgrade_to, APP_TLS);
    assert_int_equal(t.nevents, 1);
    assert_non_null(strstr(t.ev[0], "\"command\":\"AUTH\",\"command_data\":\"TLS\""));
    apt_free(&t);

    /* A command without reply at the end: reply_received "no". */
    apt_begin(&t, &app_parser_ftp, 6);
    apt_feed_str(&t, 0, "NOOP\r\n");
    apt_feed_str(&t, 1, "xyz\r\n");
    apt_end(&t);
    assert_int_equal(t.nevents, 1);
    assert_non_null(strstr(t.ev[0], "\"reply_received\":\"no\""));
    assert_true(apt_has_anomaly(&t, "ftp.invalid_reply"));
    apt_free(&t);
}

static enum app_probe_result probe(const struct app_parser *p, const char *s, int dir)
{
    return p->probe((const uint8_t *)s, (uint32_t)strlen(s), dir);
}

static void test_probes(void **state)
{
    (void)state;
    assert_int_equal(probe(&app_parser_ftp, "220 (vsFTPd 3.0.3)\r\n", 1), APP_PROBE_YES);
    assert_int_equal(probe(&app_parser_ftp, "220 mx ESMTP Postfix\r\n", 1), APP_PROBE_NO);
    assert_int_equal(probe(&app_parser_ftp, "220 host ready", 1), APP_PROBE_NEED_MORE);
    assert_int_equal(probe(&app_parser_ftp, "USER x\r\n", 0), APP_PROBE_YES);
    assert_int_equal(probe(&app_parser_pop3, "+OK ready\r\n", 1), APP_PROBE_YES);
    assert_int_equal(probe(&app_parser_pop3, "+O", 1), APP_PROBE_NEED_MORE);
    assert_int_equal(probe(&app_parser_pop3, "* OK", 1), APP_PROBE_NO);
    assert_int_equal(probe(&app_parser_imap, "* OK IMAP4rev1\r\n", 1), APP_PROBE_YES);
    assert_int_equal(probe(&app_parser_imap, "* PREAUTH x\r\n", 1), APP_PROBE_YES);
    assert_int_equal(probe(&app_parser_imap, "a001 LOGIN x y\r\n", 0), APP_PROBE_YES);
    assert_int_equal(probe(&app_parser_imap, "a001 CAPABILITY\r\n", 0), APP_PROBE_YES);
    assert_int_equal(probe(&app_parser_imap, "a001", 0), APP_PROBE_NEED_MORE);
    assert_int_equal(probe(&app_parser_imap, "GET / HTTP/1.1\r\n", 0), APP_PROBE_NO);
    assert_int_equal(probe(&app_parser_telnet, "\xff\xfd\x18", 1), APP_PROBE_YES);
    assert_int_equal(probe(&app_parser_telnet, "\xff\xfd", 0), APP_PROBE_NEED_MORE);
    assert_int_equal(probe(&app_parser_telnet, "\xff\xf1x", 0), APP_PROBE_NO);
    assert_int_equal(probe(&app_parser_telnet, "login:", 1), APP_PROBE_NO);
}

/* --- Telnet --- */

/* Option negotiation from both sides (IAC DO/WILL/SB...SE), a failed login
 * (character mode: the server echoes the user name, not the password),
 * then a successful one with a shell prompt. */
static const struct apt_step telnet_sess[] = {
    {0, "\xff\xfd\x03\xff\xfb\x18\xff\xfb\x1f"},
    {1, "\xff\xfd\x18\xff\xfa\x18\x01\xff\xf0\xff\xfb\x01"},
    /* TERMINAL-TYPE IS would start with a NUL, which strlen() cannot carry;
     * 0x02 keeps the shape of a subnegotiation. */
    {0, "\xff\xfa\x18\x02xterm\xff\xf0"},
    {1, "\r\nUbuntu 22.04 LTS\r\nhost login: "},
    {0, "r"}, {1, "r"}, {0, "o"}, {1, "o"}, {0, "o"}, {1, "o"}, {0, "tx\x7f"}, {1, "tx\b \b"},
    {0, "\r\n"},
    {1, "\r\nPassword: "},
    {0, "wrong1\r\n"},
    {1, "\r\n\r\nLogin incorrect\r\nhost login: "},
    {0, "root\r\0"},
    {1, "\r\nPassword: "},
    {0, "Tel\xff\xffnetPW\r\n"}, /* IAC IAC: a 0xff in the password */
    {1, "\r\nLast login: Mon Jan  1 from 192.0.2.9\r\nroot@host:~# "},
    {0, "cat /etc/shadow\r\n"},
};

static void test_telnet_login(void **state)
{
    (void)state;
    static const char *const secrets[] = {"wrong1", "TelnetPW", "Tel\\u00ffnetPW", "netPW"};
    struct apt t;
    apt_run_all_ways(&t, &app_parser_telnet, telnet_sess, ARRAY_SIZE(telnet_sess), secrets,
                 ARRAY_SIZE(secrets));
    assert_int_equal(t.nevents, 2);
    assert_non_null(strstr(t.ev[0], "telnet null {"));
    assert_non_null(strstr(t.ev[0], "\"user\":\"root\""));
    assert_non_null(strstr(t.ev[0], "\"login_success\":false"));
    assert_non_null(strstr(t.ev[0], "\"server_banner\":\"Ubuntu 22.04 LTS\""));
    assert_non_null(strstr(t.ev[1], "\"login_success\":true"));
    assert_non_null(strstr(t.ev[1], "\"login_attempts\":2"));
    assert_non_null(strstr(t.ev[1], "\"password_sent_in_clear\":true"));
    assert_int_equal(t.cx.done_mask, 3);
    apt_free(&t);
}

/* A password sent, then the flow ends: the attempt is reported without a
 * verdict. */
static void test_telnet_no_verdict(void **state)
{
    (void)state;
    static const struct apt_step st[] = {
        {1, "login: "}, {0, "admin\n"}, {1, "Password:"}, {0, "admin\n"},
    };
    struct apt t;
    apt_run_all_ways(&t, &app_parser_telnet, st, ARRAY_SIZE(st), NULL, 0);
    assert_int_equal(t.nevents, 1);
    assert_non_null(strstr(t.ev[0], "\"user\":\"admin\""));
    assert_null(strstr(t.ev[0], "login_success"));
    apt_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pop3_login),
        cmocka_unit_test(test_pop3_stls),
        cmocka_unit_test(test_pop3_auth_plain),
        cmocka_unit_test(test_imap_login),
        cmocka_unit_test(test_imap_starttls_and_anomalies),
        cmocka_unit_test(test_ftp_session),
        cmocka_unit_test(test_ftp_auth_tls),
        cmocka_unit_test(test_probes),
        cmocka_unit_test(test_telnet_login),
        cmocka_unit_test(test_telnet_no_verdict),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
