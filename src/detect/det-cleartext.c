/* det-cleartext.c - cleartext: a password crossed the network unencrypted,
 * where anyone on the path could read it: FTP USER/PASS, a Telnet login,
 * POP3 USER/PASS, IMAP LOGIN, SMTP/POP3/IMAP AUTH PLAIN or LOGIN without
 * STARTTLS, HTTP Basic authentication, and HTTP login forms (a urlencoded
 * POST with a password field) over plain http.
 *
 * Why: small firms still read mail over POP3 on port 110, upload their web
 * site by FTP and log in to a NAS or router over http. A password read once
 * is reused for months (and, often, for the mail and the bank too); the
 * Emotet gangs harvest exactly these mail passwords to send spam in the
 * firm's name.
 *
 * Input: the parsers' app events; they already decided that a password went
 * out in clear (extra "password_sent_in_clear", HTTP "cleartext_login" or
 * "password_field") and never keep the password itself. This detector never
 * sees or stores it either; the user name is shown, since it tells the owner
 * whose password to change.
 *
 * Variants and severity:
 *   internet (medium) - one end is outside net.home: the password crossed
 *       the Internet in clear and must be changed.
 *   lan (low) - both ends on the LAN: still readable by any infected PC or
 *       visitor on the same network, but it did not leave the building.
 *   weak (low) - a challenge-response login without encryption (POP3 APOP,
 *       CRAM-MD5): the password itself is not sent, but anyone who records
 *       the exchange can guess it offline at leisure (cleartext.report_weak).
 * Stays quiet: anonymous FTP (the "password" is an e-mail address by
 * convention; cleartext.report_anonymous), failed guesses from the Internet
 * against a server on the LAN (an attacker's guesses are not the firm's
 * passwords: bruteforce reports them), anything inside TLS (not visible).
 *
 * Key: "cleartext|<client>|<server>|<protocol>|<user>|<date>" ("|weak"
 * appended for the weak variant): one alert per client, server, protocol and
 * user each UTC day, count = login events (a 30-guess brute force in clear is
 * one alert with count 30; SMTP reports its login facts with each message of
 * the session, so there count is messages sent after a login in clear).
 *
 * Facts: protocol ("FTP", "Telnet", "POP3", "IMAP", "SMTP", "HTTP"), user,
 * server (HTTP Host, else a host name from the server's banner), port,
 * field (the form field that held the password, HTTP forms only).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"
#include "detect/detect.h"
#include "util/util.h"

/* Bytes of the user name shown and used in the key (names are short; a long
 * one is cut, which can only merge two alerts, never lose one). */
#define CLEAR_USER_MAX 64
#define CLEAR_KEY_USER 40

struct det_clear {
    struct detect *d;
    bool report_anonymous, report_weak;
};

static const struct detect_param clear_params[] = {
    /* 1: also report anonymous FTP logins (by convention not a secret) */
    {"cleartext.report_anonymous", 0, 0, 1},
    /* 0: do not report challenge-response logins without TLS (APOP, CRAM-MD5) */
    {"cleartext.report_weak", 1, 0, 1},
    {NULL, 0, 0, 0},
};

/* The tunables, at create time and again on SIGHUP (detect_reconfigure):
 * thresholds and windows change, tables and what they hold stay. */
static void clear_reconfigure(void *st)
{
    struct det_clear *s = st;
    struct detect *d = s->d;
    s->report_anonymous = detect_param(d, "cleartext.report_anonymous") != 0;
    s->report_weak = detect_param(d, "cleartext.report_weak") != 0;
}

static void *clear_create(struct detect *d)
{
    struct det_clear *s = xcalloc(1, sizeof(*s));
    s->d = d;
    clear_reconfigure(s);
    return s;
}

static void clear_destroy(void *st)
{
    free(st);
}

static const char *clear_protocol(const char *type)
{
    static const struct {
        const char *type, *name;
    } names[] = {
        {"ftp", "FTP"},   {"telnet", "Telnet"}, {"pop3", "POP3"},
        {"imap", "IMAP"}, {"smtp", "SMTP"},     {"http", "HTTP"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(names); i++)
        if (strcmp(type, names[i].type) == 0)
            return names[i].name;
    return NULL;
}

static bool clear_true(const json_t *o, const char *key)
{
    return json_is_true(json_object_get(o, key));
}

static const char *clear_str(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static bool clear_ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
        if (x != y)
            return false;
    }
    return *a == *b;
}

static bool clear_host_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.';
}

/* The first word of a server banner that looks like a host name
 * ("220 smtp.example.jp ESMTP ready" -> smtp.example.jp): host-name
 * characters only, a dot inside, a last label of two or more letters (so
 * "3.0.5" and "ready." are not names). "" when there is none. */
static void clear_banner_host(const char *banner, char *out, size_t outlen)
{
    out[0] = '\0';
    if (!banner)
        return;
    const char *p = banner;
    for (unsigned words = 0; *p && words < 16; words++) {
        while (*p == ' ')
            p++;
        const char *w = p;
        while (*p && *p != ' ')
            p++;
        size_t n = (size_t)(p - w);
        while (n > 0 && w[n - 1] == '.')
            n--;
        if (n < 4 || n >= outlen)
            continue;
        bool ok = true, dot = false;
        size_t last = 0; /* start of the last label */
        for (size_t i = 0; i < n && ok; i++) {
            ok = clear_host_char(w[i]);
            if (w[i] == '.') {
                dot = true;
                last = i + 1;
            }
        }
        if (!ok || !dot || n - last < 2 || w[0] == '.' || w[0] == '-')
            continue;
        for (size_t i = last; i < n && ok; i++)
            ok = (w[i] >= 'a' && w[i] <= 'z') || (w[i] >= 'A' && w[i] <= 'Z');
        if (!ok)
            continue;
        memcpy(out, w, n);
        out[n] = '\0';
        return;
    }
}

/* Copies a user name for facts and the key, cut at a UTF-8 character
 * boundary. */
static void clear_copy(char *dst, size_t dstlen, const char *src)
{
    size_t n = src ? strlen(src) : 0;
    if (n > dstlen - 1) {
        n = dstlen - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
            n--;
    }
    if (n)
        memcpy(dst, src, n);
    dst[n] = '\0';
}

enum clear_kind { CK_NONE, CK_CLEAR, CK_WEAK };

/* What the event says: a password in clear, a weak challenge-response login
 * in clear, or nothing. */
static enum clear_kind clear_kind(const struct det_clear *s, const struct app_event *ev,
                                  const json_t *x)
{
    if (strcmp(ev->type, "http") == 0)
        return clear_true(x, "cleartext_login") || clear_str(x, "password_field") ? CK_CLEAR
                                                                                  : CK_NONE;
    if (clear_true(x, "password_sent_in_clear"))
        return CK_CLEAR;
    if (!s->report_weak || clear_true(x, "tls") || clear_true(x, "starttls"))
        return CK_NONE;
    const char *mech = clear_str(x, "auth_mechanism");
    if (mech && (clear_ieq(mech, "APOP") || clear_ieq(mech, "CRAM-MD5")) &&
        (json_integer_value(json_object_get(x, "login_attempts")) > 0 ||
         json_integer_value(json_object_get(x, "auth_attempts")) > 0))
        return CK_WEAK;
    return CK_NONE;
}

static void clear_app_event(void *st, const struct app_event *ev)
{
    struct det_clear *s = st;
    const char *proto = clear_protocol(ev->type);
    const json_t *x = ev->extra;
    if (!proto || !json_is_object(x) || !ev->f)
        return;
    enum clear_kind kind = clear_kind(s, ev, x);
    if (kind == CK_NONE)
        return;
    const struct flow *f = ev->f;
    char user[CLEAR_USER_MAX];
    clear_copy(user, sizeof(user), clear_str(x, "user"));
    if (strcmp(ev->type, "ftp") == 0 && !s->report_anonymous &&
        (clear_ieq(user, "anonymous") || clear_ieq(user, "ftp")))
        return;
    bool cli_home = detect_is_home(s->d, &f->src);
    bool srv_home = detect_is_home(s->d, &f->dst);
    /* A guess from the Internet that the server refused is an attack on the
     * server (bruteforce's), not a password of the firm's. */
    const json_t *ok = json_object_get(x, "login_success");
    if (!cli_home && srv_home && json_is_false(ok))
        return;

    const char *variant;
    enum alert_severity sev;
    if (kind == CK_WEAK) {
        variant = "weak";
        sev = SEV_LOW;
    } else if (cli_home && srv_home) {
        variant = "lan";
        sev = SEV_LOW;
    } else {
        variant = "internet";
        sev = SEV_MEDIUM;
    }

    char server[256];
    server[0] = '\0';
    if (strcmp(ev->type, "http") == 0) {
        const char *host = ev->body ? clear_str(ev->body, "hostname") : NULL;
        if (host)
            clear_copy(server, sizeof(server), host);
    } else {
        clear_banner_host(clear_str(x, "server_banner"), server, sizeof(server));
    }

    struct alert a;
    char cli[48], srv[48], date[16], kuser[CLEAR_KEY_USER + 1];
    alert_init(&a, "cleartext", sev, ev->ts_us);
    alert_fact_str(&a, "variant", variant);
    alert_set_conn(&a, f);
    /* The device whose password it was: the client, or the firm's server
     * when an outsider logged in to it. */
    if (cli_home || !srv_home)
        detect_alert_device_ip(s->d, &a, &f->src);
    else
        detect_alert_device_ip(s->d, &a, &f->dst);
    alert_add_flow(&a, f->id);
    alert_fact_str(&a, "protocol", proto);
    alert_fact_str(&a, "user", user);
    alert_fact_str(&a, "server", server);
    alert_fact_int(&a, "port", f->dport);
    if (strcmp(ev->type, "http") == 0)
        alert_fact_str(&a, "field", clear_str(x, "password_field"));
    ip_addr_fmt(&f->src, cli, sizeof(cli));
    ip_addr_fmt(&f->dst, srv, sizeof(srv));
    alert_date(ev->ts_us, date);
    clear_copy(kuser, sizeof(kuser), user);
    alert_set_key(&a, "cleartext|%s|%s|%s|%s|%s%s", cli, srv, ev->type, kuser, date,
                  kind == CK_WEAK ? "|weak" : "");
    detect_raise(s->d, &a);
    alert_release(&a);
}

const struct detector_ops det_cleartext = {
    .name = "cleartext",
    .params = clear_params,
    .create = clear_create,
    .reconfigure = clear_reconfigure,
    .destroy = clear_destroy,
    .app_event = clear_app_event,
};
