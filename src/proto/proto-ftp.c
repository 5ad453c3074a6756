/* proto-ftp.c - the FTP control connection (RFC 959), AUTH TLS (RFC 4217)
 * and the data ports of PORT/PASV (RFC 959) and EPRT/EPSV (RFC 2428).
 *
 * One "ftp" event per command, in Suricata's shape: command, command_data,
 * the completion codes and reply lines (a 1xx preliminary reply and the
 * final one go to the same command), dynamic_port and mode for data
 * connections. The PASS argument is never stored or logged: its event
 * has no command_data, and the store gets only the facts that a password was
 * sent in clear and whether the server accepted it (230) or not (530). */
#include <string.h>

#include "app/app.h"
#include "proto/proto-text.h"
#include "util/limits.h"
#include "util/util.h"

/* Bytes of command_data and of each reply line kept (Suricata logs them
 * whole; longer ones set command_truncated/reply_truncated). */
#define FTP_MAX_TEXT 512

enum ftp_kind {
    FTP_K_OTHER = 0,
    FTP_K_USER,
    FTP_K_PASS,
    FTP_K_AUTH_TLS,
    FTP_K_PASV,
    FTP_K_EPSV,
    FTP_K_PORT, /* PORT or EPRT: the port is in the command */
};

struct ftp_cmd {
    json_t *ev;          /* the "ftp" object being built */
    json_t *codes, *replies;
    uint8_t kind;
    bool truncated;
};

struct ftp_state {
    struct app_line line[2];
    struct ftp_cmd pend[MAIL_MAX_PENDING];
    uint32_t phead, pcount, plost;
    bool in_reply;       /* inside a multi-line reply */
    int reply_code;      /* code of the multi-line reply being read */
    bool greeting_seen;
    bool desync;
    uint32_t events;
    struct ptext_login login;
    bool upgraded;
    bool ended;
};

static void ftp_cmd_free(struct ftp_cmd *c)
{
    json_decref(c->ev);
    json_decref(c->codes);
    json_decref(c->replies);
    memset(c, 0, sizeof(*c));
}

/* RFC 959 4.1.2: h1,h2,h3,h4,p1,p2; returns the port or -1. */
static int ftp_port_hp(const uint8_t *s, uint32_t n)
{
    uint32_t v[6] = {0}, k = 0, digits = 0;
    for (uint32_t i = 0; i < n && k < 6; i++) {
        if (s[i] >= '0' && s[i] <= '9') {
            v[k] = v[k] * 10 + (uint32_t)(s[i] - '0');
            if (++digits > 3)
                return -1;
        } else if (s[i] == ',' && digits > 0) {
            k++;
            digits = 0;
        } else if (digits > 0) {
            break;
        } else if (k > 0) {
            return -1;
        }
    }
    if (k == 5 && digits > 0)
        k = 6;
    if (k != 6 || v[4] > 255 || v[5] > 255)
        return -1;
    return (int)(v[4] * 256 + v[5]);
}

/* RFC 2428: "|proto|addr|port|" (EPRT) or "(|||port|)" (EPSV reply). */
static int ftp_port_ext(const uint8_t *s, uint32_t n)
{
    uint32_t bars = 0, port = 0, digits = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (s[i] == '|') {
            if (++bars == 4)
                return digits > 0 && digits <= 5 && port <= 65535 ? (int)port : -1;
        } else if (bars == 3) {
            if (s[i] < '0' || s[i] > '9' || ++digits > 5)
                return -1;
            port = port * 10 + (uint32_t)(s[i] - '0');
        }
    }
    return -1;
}

static void ftp_emit(struct app_cx *cx, struct ftp_state *s, struct ftp_cmd *c, bool replied)
{
    if (s->events < FTP_MAX_EVENTS) {
        json_t *ev = c->ev;
        if (json_array_size(c->codes) > 0)
            json_object_set(ev, "completion_code", c->codes);
        if (json_array_size(c->replies) > 0)
            json_object_set(ev, "reply", c->replies);
        json_object_set_new_nocheck(ev, "reply_received", json_string(replied ? "yes" : "no"));
        if (c->truncated)
            json_object_set_new_nocheck(ev, "reply_truncated", json_true());
        json_t *x = NULL;
        if (c->kind == FTP_K_PASS || c->kind == FTP_K_USER) {
            x = json_object();
            if (s->login.user)
                json_object_set(x, "user", s->login.user);
            if (c->kind == FTP_K_PASS) {
                json_object_set_new_nocheck(x, "password_sent_in_clear",
                                            json_boolean(!s->login.tls));
                json_object_set_new_nocheck(x, "login_attempts", json_integer(s->login.attempts));
                if (replied)
                    json_object_set_new_nocheck(x, "login_success",
                                                json_boolean(s->login.any_success));
            }
        }
        c->ev = NULL;
        s->events++;
        app_event(cx, "ftp", 0, ev, x);
    }
    ftp_cmd_free(c);
}

static void ftp_client_line(struct app_cx *cx, struct ftp_state *s, const uint8_t *l, uint32_t n,
                            bool overlong)
{
    uint32_t off = 0;
    const uint8_t *verb, *arg;
    uint32_t vn = ptext_word(l, n, &off, &verb);
    if (vn == 0)
        return;
    uint32_t an = ptext_rest(l, n, off, &arg);
    s->login.activity = true;
    if (s->pcount >= MAIL_MAX_PENDING) {
        s->plost++;
        app_anomaly(cx, "ftp.too_many_pipelined_commands");
        return;
    }
    struct ftp_cmd *c = &s->pend[(s->phead + s->pcount) % MAIL_MAX_PENDING];
    s->pcount++;
    memset(c, 0, sizeof(*c));
    c->ev = json_object();
    c->codes = json_array();
    c->replies = json_array();
    /* Commands are upper-cased words (RFC 959 5.3.1 is case-insensitive);
     * Suricata logs them as sent. */
    json_object_set_new_nocheck(c->ev, "command", app_json_str(verb, vn, 32));
    bool is_pass = ptext_ieq(verb, vn, "PASS");
    if (an > 0 && !is_pass) {
        json_object_set_new_nocheck(c->ev, "command_data", app_json_str(arg, an, FTP_MAX_TEXT));
        if (an > FTP_MAX_TEXT || overlong)
            json_object_set_new_nocheck(c->ev, "command_truncated", json_true());
    }
    if (ptext_ieq(verb, vn, "USER")) {
        c->kind = FTP_K_USER;
        ptext_login_set(&s->login.user, arg, an);
    } else if (is_pass) {
        c->kind = FTP_K_PASS;
        s->login.attempts++;
        s->login.any_success = false;
    } else if (ptext_ieq(verb, vn, "AUTH") &&
               (ptext_ieq(arg, an, "TLS") || ptext_ieq(arg, an, "SSL") ||
                ptext_ieq(arg, an, "TLS-C"))) {
        c->kind = FTP_K_AUTH_TLS;
        s->login.starttls = true;
    } else if (ptext_ieq(verb, vn, "PASV")) {
        c->kind = FTP_K_PASV;
    } else if (ptext_ieq(verb, vn, "EPSV")) {
        c->kind = FTP_K_EPSV;
    } else if (ptext_ieq(verb, vn, "PORT") || ptext_ieq(verb, vn, "EPRT")) {
        c->kind = FTP_K_PORT;
        int port = verb[0] == 'E' || verb[0] == 'e' ? ftp_port_ext(arg, an) : ftp_port_hp(arg, an);
        if (port >= 0) {
            json_object_set_new_nocheck(c->ev, "dynamic_port", json_integer(port));
            json_object_set_new_nocheck(c->ev, "mode", json_string_nocheck("active"));
        } else {
            app_anomaly(cx, "ftp.invalid_port");
        }
    }
}

/* One reply line of the command at the head of the queue. */
static void ftp_reply_line(struct ftp_state *s, int code, const uint8_t *l, uint32_t n)
{
    struct ftp_cmd *c = &s->pend[s->phead];
    if (json_array_size(c->replies) >= FTP_MAX_REPLY_LINES) {
        c->truncated = true;
        return;
    }
    const uint8_t *t = l;
    uint32_t tn = n;
    if (code > 0) {
        char cs[4] = {(char)l[0], (char)l[1], (char)l[2], 0};
        json_array_append_new(c->codes, json_string(cs));
        tn = ptext_rest(l, n, 4 < n ? 4 : n, &t);
    }
    if (tn > FTP_MAX_TEXT)
        c->truncated = true;
    json_array_append_new(c->replies, app_json_str(t, tn, FTP_MAX_TEXT));
}

static void ftp_reply_done(struct app_cx *cx, struct ftp_state *s, int code)
{
    struct ftp_cmd *c = &s->pend[s->phead];
    switch (c->kind) {
    case FTP_K_PASS:
        if (code == 230 || code == 202)
            s->login.any_success = true;
        else if (code >= 400)
            s->login.failures++;
        break;
    case FTP_K_USER:
        if (code == 230) /* no password needed */
            s->login.any_success = true;
        break;
    case FTP_K_PASV:
    case FTP_K_EPSV:
        if (code == 227 || code == 229) {
            uint32_t n = json_array_size(c->replies);
            const char *t = n ? json_string_value(json_array_get(c->replies, n - 1)) : "";
            const uint8_t *open = (const uint8_t *)strchr(t, '(');
            int port = -1;
            if (code == 227) {
                /* Some servers omit the parentheses: take the first digit. */
                const uint8_t *p = open ? open + 1 : (const uint8_t *)t;
                while (*p && !(*p >= '0' && *p <= '9'))
                    p++;
                port = ftp_port_hp(p, (uint32_t)strlen((const char *)p));
            } else if (open) {
                port = ftp_port_ext(open + 1, (uint32_t)strlen((const char *)open + 1));
            }
            if (port >= 0) {
                json_object_set_new_nocheck(c->ev, "dynamic_port", json_integer(port));
                json_object_set_new_nocheck(c->ev, "mode", json_string_nocheck("passive"));
            } else {
                app_anomaly(cx, "ftp.invalid_port");
            }
        }
        break;
    default:
        break;
    }
    /* A preliminary 1xx reply: the final one is still to come. */
    if (code >= 100 && code < 200)
        return;
    uint8_t kind = c->kind;
    ftp_emit(cx, s, c, true);
    s->phead = (s->phead + 1) % MAIL_MAX_PENDING;
    s->pcount--;
    if (kind == FTP_K_AUTH_TLS && code == 234) {
        s->login.tls = true;
        s->upgraded = true;
        app_upgrade(cx, APP_TLS);
    }
}

static void ftp_server_line(struct app_cx *cx, struct ftp_state *s, const uint8_t *l, uint32_t n)
{
    bool more;
    int code = ptext_reply_code(l, n, &more);
    if (s->in_reply) {
        /* RFC 959 4.2: a multi-line reply ends with a line starting with
         * the same code and a space; lines in between are free text. */
        bool last = code == s->reply_code && !more;
        if (s->pcount > 0)
            ftp_reply_line(s, code, l, n);
        if (!last)
            return;
        s->in_reply = false;
        if (s->pcount == 0) {
            if (code != 120)
                s->greeting_seen = true;
            return;
        }
    } else {
        if (code < 0) {
            app_anomaly(cx, "ftp.invalid_reply");
            return;
        }
        if (!s->greeting_seen && s->pcount == 0) {
            /* The greeting (220, or 120 then 220) answers no command. */
            if (!s->login.banner && n > 4) {
                const uint8_t *t;
                uint32_t tn = ptext_rest(l, n, 4, &t);
                ptext_login_set(&s->login.banner, t, tn);
            }
            s->in_reply = more;
            s->reply_code = code;
            if (!more && code != 120)
                s->greeting_seen = true;
            return;
        }
        s->greeting_seen = true;
        if (s->pcount == 0) {
            if (s->plost > 0)
                s->plost--;
            else if (!s->desync && code != 421)
                app_anomaly(cx, "ftp.reply_without_command");
            s->in_reply = more;
            s->reply_code = code;
            return;
        }
        ftp_reply_line(s, code, l, n);
        if (more) {
            s->in_reply = true;
            s->reply_code = code;
            return;
        }
    }
    if (s->pcount > 0)
        ftp_reply_done(cx, s, code);
}

static void ftp_feed(struct app_cx *cx, void *state, int dir, const uint8_t *data, uint32_t len)
{
    struct ftp_state *s = state;
    struct app_line *lb = &s->line[dir ? 1 : 0];

    lb->max = MAIL_MAX_LINE;
    while (len > 0 && !s->upgraded) {
        if (!app_line_take(lb, &data, &len))
            break;
        if (lb->overlong)
            app_anomaly(cx, "ftp.line_too_long");
        if (dir == 1) {
            ftp_server_line(cx, s, lb->buf, lb->len);
        } else {
            ftp_client_line(cx, s, lb->buf, lb->len, lb->overlong);
            ptext_wipe(lb->buf, lb->len); /* PASS */
        }
        app_line_reset(lb);
    }
}

static void ftp_gap(struct app_cx *cx, void *state, int dir)
{
    struct ftp_state *s = state;
    app_line_reset(&s->line[dir ? 1 : 0]);
    /* Report what waited; the replies in flight can no longer be paired. */
    while (s->pcount > 0) {
        ftp_emit(cx, s, &s->pend[s->phead], false);
        s->phead = (s->phead + 1) % MAIL_MAX_PENDING;
        s->pcount--;
    }
    s->in_reply = false;
    s->desync = true;
}

static void ftp_end(struct app_cx *cx, void *state)
{
    struct ftp_state *s = state;
    if (s->ended)
        return;
    s->ended = true;
    while (s->pcount > 0) {
        ftp_emit(cx, s, &s->pend[s->phead], false);
        s->phead = (s->phead + 1) % MAIL_MAX_PENDING;
        s->pcount--;
    }
}

static void ftp_release(void *state)
{
    struct ftp_state *s = state;
    if (s->line[0].buf)
        ptext_wipe(s->line[0].buf, s->line[0].cap);
    app_line_free(&s->line[0]);
    app_line_free(&s->line[1]);
    for (uint32_t i = 0; i < MAIL_MAX_PENDING; i++)
        ftp_cmd_free(&s->pend[i]);
    s->pcount = 0;
    ptext_login_free(&s->login);
}

/* Server: a "220" greeting (or "120" service ready soon); one that names
 * SMTP is SMTP's (see proto-smtp.c). Client: USER, AUTH TLS, FEAT. */
static enum app_probe_result ftp_probe(const uint8_t *data, uint32_t len, int dir)
{
    if (dir == 0) {
        static const char *const cmds[] = {"USER ", "AUTH TLS", "AUTH SSL", "FEAT\r\n", "SYST\r\n"};
        return ptext_probe_words(data, len, cmds, ARRAY_SIZE(cmds));
    }
    static const char *const greet[] = {"220 ", "220-", "120 ", "120-"};
    enum app_probe_result r = ptext_probe_words(data, len, greet, ARRAY_SIZE(greet));
    if (r != APP_PROBE_YES)
        return r;
    const uint8_t *nl = memchr(data, '\n', len);
    if (!nl && len < APP_PROBE_MAX)
        return APP_PROBE_NEED_MORE;
    uint32_t ll = nl ? (uint32_t)(nl - data) : len;
    if (ptext_icontains(data, ll, "ftp"))
        return APP_PROBE_YES;
    if (ptext_icontains(data, ll, "smtp") || ptext_icontains(data, ll, "mail"))
        return APP_PROBE_NO;
    return APP_PROBE_YES;
}

static const uint16_t ftp_ports[] = {21, 0};

const struct app_parser app_parser_ftp = {
    .id = APP_FTP,
    .name = "ftp",
    .ipproto = 6,
    .ports = ftp_ports,
    .probe = ftp_probe,
    .state_size = sizeof(struct ftp_state),
    .feed = ftp_feed,
    .gap = ftp_gap,
    .end = ftp_end,
    .release = ftp_release,
};
