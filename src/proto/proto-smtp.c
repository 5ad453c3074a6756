/* proto-smtp.c - SMTP (RFC 5321) with pipelining (RFC 2920), CHUNKING/BDAT
 * (RFC 3030), STARTTLS (RFC 3207) and AUTH (RFC 4954).
 *
 * The client direction is read line by line in command mode; after DATA the
 * message is only counted (never kept) until the CRLF.CRLF that ends it,
 * after BDAT the chunk is skipped by its length, and after AUTH the lines
 * are SASL responses: credentials, never stored (the user name of PLAIN,
 * LOGIN and XOAUTH2 is decoded, the rest wiped). Commands wait in a queue
 * until the server's reply (the last line of a multi-line reply) arrives, so
 * pipelined commands get their own codes.
 *
 * One "smtp" event per mail transaction (MAIL FROM up to the reply to the
 * end of the message, RSET, QUIT, a new MAIL or the end of the flow); a
 * session that never sent a mail still gets one event at the end, so AUTH
 * guessing and STARTTLS sessions are visible. A 220 reply to STARTTLS hands
 * the flow to the TLS parser. */
#include <string.h>

#include "app/app.h"
#include "proto/proto-text.h"
#include "util/limits.h"
#include "util/util.h"

enum smtp_cmd {
    SMTP_C_OTHER = 0,
    SMTP_C_HELO,
    SMTP_C_MAIL,
    SMTP_C_RCPT,
    SMTP_C_DATA,     /* the DATA command itself (354 expected) */
    SMTP_C_DATA_END, /* the "." that ended the message */
    SMTP_C_BDAT,
    SMTP_C_BDAT_LAST,
    SMTP_C_AUTH,
    SMTP_C_STARTTLS,
    SMTP_C_RSET,
    SMTP_C_QUIT,
};

enum smtp_mode {
    SMTP_M_CMD = 0,
    SMTP_M_DATA, /* message text until CRLF.CRLF */
    SMTP_M_BDAT, /* bdat_left bytes of a chunk */
    SMTP_M_AUTH, /* SASL response lines */
};

/* Where the DATA scanner is relative to the terminating CRLF "." CRLF. */
enum smtp_data_pos {
    SMTP_D_MID = 0,  /* inside a line */
    SMTP_D_BOL,      /* at the start of a line */
    SMTP_D_DOT,      /* "." at the start of a line */
    SMTP_D_DOT_CR,   /* ".\r" at the start of a line */
};

enum smtp_mech { SMTP_MECH_OTHER = 0, SMTP_MECH_PLAIN, SMTP_MECH_LOGIN, SMTP_MECH_XOAUTH2 };

struct smtp_state {
    struct app_line line[2];
    bool upgraded;    /* STARTTLS done: the rest is TLS */
    bool ended;

    /* client direction */
    uint8_t mode;     /* enum smtp_mode */
    uint8_t data_pos; /* enum smtp_data_pos */
    uint64_t bdat_left;
    bool bdat_last;
    uint8_t auth_mech; /* enum smtp_mech */
    uint32_t auth_step; /* SASL responses sent in this AUTH */

    /* commands awaiting a reply (ring) */
    uint8_t pend[MAIL_MAX_PENDING];
    uint32_t phead, pcount;
    uint32_t plost;   /* commands not queued because the ring was full */
    bool desync;      /* a gap: stop judging replies against commands */

    /* server direction */
    bool greeting_seen;
    bool in_reply;    /* inside a multi-line reply */

    /* session */
    json_t *helo, *banner, *auth_mech_name, *auth_user;
    bool starttls, starttls_offered, tls;
    bool auth_result_known, auth_success;
    uint32_t auth_attempts, auth_failures;
    bool auth_clear;  /* a PLAIN or LOGIN exchange (the password in base64) */
    uint32_t commands;
    uint32_t tx_events;

    /* the current mail transaction */
    bool tx_active;
    json_t *mail_from, *rcpt_to;
    json_t *await_body, *await_extra; /* a finished message awaiting its reply */
    uint32_t rcpt_count;
    bool data_seen, data_done;
    uint64_t message_bytes;
};

static void smtp_pend_push(struct app_cx *cx, struct smtp_state *s, uint8_t cmd)
{
    if (s->pcount >= MAIL_MAX_PENDING) {
        s->plost++;
        app_anomaly(cx, "smtp.too_many_pipelined_commands");
        return;
    }
    s->pend[(s->phead + s->pcount) % MAIL_MAX_PENDING] = cmd;
    s->pcount++;
}

static void smtp_pend_pop(struct smtp_state *s)
{
    s->phead = (s->phead + 1) % MAIL_MAX_PENDING;
    s->pcount--;
}

static void smtp_tx_clear(struct smtp_state *s)
{
    json_decref(s->mail_from);
    json_decref(s->rcpt_to);
    s->mail_from = s->rcpt_to = NULL;
    s->tx_active = false;
    s->rcpt_count = 0;
    s->data_seen = s->data_done = false;
    s->message_bytes = 0;
}

static json_t *smtp_extra(const struct smtp_state *s)
{
    json_t *x = json_object();
    json_object_set_new(x, "starttls", json_boolean(s->starttls));
    json_object_set_new(x, "starttls_offered", json_boolean(s->starttls_offered));
    json_object_set_new(x, "tls", json_boolean(s->tls));
    if (s->auth_mech_name)
        json_object_set(x, "auth_mechanism", s->auth_mech_name);
    if (s->auth_attempts) {
        json_object_set_new(x, "auth_attempts", json_integer(s->auth_attempts));
        json_object_set_new(x, "auth_failures", json_integer(s->auth_failures));
    }
    if (s->auth_result_known) {
        json_object_set_new(x, "auth_success", json_boolean(s->auth_success));
        /* The names the other login protocols use (the store's columns). */
        json_object_set_new(x, "login_success", json_boolean(s->auth_success));
    }
    if (s->auth_user) {
        json_object_set(x, "auth_user", s->auth_user);
        json_object_set(x, "user", s->auth_user);
    }
    if (s->auth_attempts)
        json_object_set_new(x, "password_sent_in_clear", json_boolean(s->auth_clear && !s->tls));
    if (s->banner)
        json_object_set(x, "server_banner", s->banner);
    return x;
}

/* The EVE body and store facts of the current transaction; starts over. */
static void smtp_tx_build(struct smtp_state *s, json_t **body_out, json_t **extra_out)
{
    json_t *body = json_object();
    json_t *x = smtp_extra(s);
    if (s->helo)
        json_object_set(body, "helo", s->helo);
    if (s->mail_from)
        json_object_set(body, "mail_from", s->mail_from);
    if (s->rcpt_to && json_array_size(s->rcpt_to) > 0)
        json_object_set(body, "rcpt_to", s->rcpt_to);
    json_object_set_new(x, "rcpt_count", json_integer(s->rcpt_count));
    json_object_set_new(x, "data_seen", json_boolean(s->data_seen));
    if (s->data_seen) {
        /* Mail after STARTTLS is never seen here (the TLS parser has the
         * flow), so any message we counted crossed the wire in clear. */
        json_object_set_new(x, "cleartext_message", json_boolean(!s->tls));
        json_object_set_new(x, "message_bytes", json_integer((json_int_t)s->message_bytes));
        json_object_set_new(x, "message_complete", json_boolean(s->data_done));
    }
    *body_out = body;
    *extra_out = x;
    smtp_tx_clear(s);
}

/* Reports the message that waits for the reply to its end (code 0: the
 * reply never came). */
static void smtp_await_emit(struct app_cx *cx, struct smtp_state *s, int code)
{
    if (!s->await_body)
        return;
    if (code)
        json_object_set_new(s->await_extra, "data_reply_code", json_integer(code));
    s->tx_events++;
    app_event(cx, "smtp", 0, s->await_body, s->await_extra);
    s->await_body = s->await_extra = NULL;
}

/* The message text ended ("." or the last BDAT chunk): the client may
 * pipeline the next envelope before the server's reply to it arrives, so
 * the transaction waits aside for that reply. */
static void smtp_tx_finish(struct app_cx *cx, struct smtp_state *s)
{
    smtp_await_emit(cx, s, 0);
    smtp_tx_build(s, &s->await_body, &s->await_extra);
}

/* Reports the current transaction (if any) and starts over. */
static void smtp_tx_emit(struct app_cx *cx, struct smtp_state *s)
{
    if (!s->tx_active)
        return;
    json_t *body, *x;
    smtp_tx_build(s, &body, &x);
    s->tx_events++;
    app_event(cx, "smtp", 0, body, x);
}

static void smtp_set_field(json_t **dst, const uint8_t *p, uint32_t n)
{
    json_decref(*dst);
    *dst = app_json_str(p, n, MAIL_MAX_FIELD);
}

/* The user name in a SASL response; the decoded secret is wiped. PLAIN is
 * authzid NUL authcid NUL passwd (RFC 4616), LOGIN sends the user name
 * first, XOAUTH2 is "user=" name ^A "auth=Bearer " token ^A^A. */
static void smtp_sasl_user(struct smtp_state *s, const uint8_t *p, uint32_t n)
{
    uint8_t dec[MAIL_MAX_LINE];
    int dn = ptext_b64_decode(p, n, dec, sizeof(dec));
    if (dn <= 0)
        return;
    uint32_t len = (uint32_t)dn;
    if (s->auth_mech == SMTP_MECH_LOGIN && s->auth_step == 0) {
        smtp_set_field(&s->auth_user, dec, len);
    } else if (s->auth_mech == SMTP_MECH_PLAIN && s->auth_step == 0) {
        const uint8_t *z1 = memchr(dec, 0, len);
        if (z1) {
            const uint8_t *u = z1 + 1;
            const uint8_t *z2 = memchr(u, 0, len - (uint32_t)(u - dec));
            if (z2)
                smtp_set_field(&s->auth_user, u, (uint32_t)(z2 - u));
        }
    } else if (s->auth_mech == SMTP_MECH_XOAUTH2 && s->auth_step == 0) {
        if (ptext_iprefix(dec, len, "user=")) {
            const uint8_t *u = dec + 5;
            const uint8_t *e = memchr(u, 0x01, len - 5);
            uint32_t ul = e ? (uint32_t)(e - u) : len - 5;
            smtp_set_field(&s->auth_user, u, ul);
        }
    }
    ptext_wipe(dec, sizeof(dec));
}

static void smtp_auth_response(struct smtp_state *s, const uint8_t *p, uint32_t n)
{
    if (n == 1 && p[0] == '*') {
        /* RFC 4954 4: the client cancels; the server answers 501. */
        return;
    }
    smtp_sasl_user(s, p, n);
    s->auth_step++;
}

static void smtp_client_command(struct app_cx *cx, struct smtp_state *s, const uint8_t *l,
                                uint32_t n)
{
    uint32_t off = 0;
    const uint8_t *verb;
    uint32_t vn = ptext_word(l, n, &off, &verb);
    const uint8_t *rest;
    uint32_t rn;

    if (vn == 0)
        return; /* an empty line is no command: no reply comes for it */
    s->commands++;
    if (ptext_ieq(verb, vn, "HELO") || ptext_ieq(verb, vn, "EHLO")) {
        rn = ptext_rest(l, n, off, &rest);
        smtp_set_field(&s->helo, rest, rn);
        smtp_pend_push(cx, s, SMTP_C_HELO);
    } else if (ptext_iprefix(l, n, "MAIL FROM:")) {
        smtp_tx_emit(cx, s); /* a MAIL without RSET after an unfinished one */
        s->tx_active = true;
        rn = ptext_rest(l, n, 10, &rest);
        smtp_set_field(&s->mail_from, rest, rn);
        smtp_pend_push(cx, s, SMTP_C_MAIL);
    } else if (ptext_iprefix(l, n, "RCPT TO:")) {
        if (!s->tx_active) {
            app_anomaly(cx, "smtp.rcpt_without_mail");
            s->tx_active = true;
        }
        if (!s->rcpt_to)
            s->rcpt_to = json_array();
        if (json_array_size(s->rcpt_to) < SMTP_MAX_RCPT) {
            rn = ptext_rest(l, n, 8, &rest);
            json_array_append_new(s->rcpt_to, app_json_str(rest, rn, MAIL_MAX_FIELD));
        }
        s->rcpt_count++;
        smtp_pend_push(cx, s, SMTP_C_RCPT);
    } else if (ptext_ieq(verb, vn, "DATA")) {
        if (!s->tx_active) {
            app_anomaly(cx, "smtp.data_without_mail");
            s->tx_active = true;
        }
        /* Like Suricata, assume the 354 comes: the client must wait for it
         * before sending the text, so a refusal arrives first and takes us
         * back to command mode (smtp_reply_done). */
        s->data_seen = true;
        s->message_bytes = 0;
        s->mode = SMTP_M_DATA;
        s->data_pos = SMTP_D_BOL;
        smtp_pend_push(cx, s, SMTP_C_DATA);
    } else if (ptext_ieq(verb, vn, "BDAT")) {
        const uint8_t *w;
        uint32_t wn = ptext_word(l, n, &off, &w);
        uint64_t size = 0;
        bool ok = wn > 0 && wn <= 19;
        for (uint32_t i = 0; ok && i < wn; i++) {
            if (w[i] < '0' || w[i] > '9')
                ok = false;
            else
                size = size * 10 + (uint64_t)(w[i] - '0');
        }
        if (!ok) {
            app_anomaly(cx, "smtp.invalid_bdat");
            smtp_pend_push(cx, s, SMTP_C_OTHER);
            return;
        }
        wn = ptext_word(l, n, &off, &w);
        if (!s->tx_active) {
            app_anomaly(cx, "smtp.data_without_mail");
            s->tx_active = true;
        }
        s->data_seen = true;
        s->bdat_left = size;
        s->bdat_last = wn > 0 && ptext_ieq(w, wn, "LAST");
        s->mode = size > 0 ? SMTP_M_BDAT : SMTP_M_CMD;
        smtp_pend_push(cx, s, s->bdat_last ? SMTP_C_BDAT_LAST : SMTP_C_BDAT);
        if (size == 0 && s->bdat_last) {
            s->data_done = true;
            smtp_tx_finish(cx, s);
        }
    } else if (ptext_ieq(verb, vn, "AUTH")) {
        const uint8_t *m;
        uint32_t mn = ptext_word(l, n, &off, &m);
        s->auth_attempts++;
        s->auth_mech = ptext_ieq(m, mn, "PLAIN")     ? SMTP_MECH_PLAIN
                       : ptext_ieq(m, mn, "LOGIN")   ? SMTP_MECH_LOGIN
                       : ptext_ieq(m, mn, "XOAUTH2") ? SMTP_MECH_XOAUTH2
                                                     : SMTP_MECH_OTHER;
        smtp_set_field(&s->auth_mech_name, m, mn);
        if (s->auth_mech == SMTP_MECH_PLAIN || s->auth_mech == SMTP_MECH_LOGIN)
            s->auth_clear = true;
        s->auth_step = 0;
        s->mode = SMTP_M_AUTH;
        const uint8_t *ir;
        uint32_t irn = ptext_word(l, n, &off, &ir);
        /* RFC 4954 4: an initial response; "=" stands for an empty one. */
        if (irn > 0 && !(irn == 1 && ir[0] == '='))
            smtp_auth_response(s, ir, irn);
        else if (irn == 1)
            s->auth_step++;
        smtp_pend_push(cx, s, SMTP_C_AUTH);
    } else if (ptext_ieq(verb, vn, "STARTTLS")) {
        s->starttls = true;
        smtp_pend_push(cx, s, SMTP_C_STARTTLS);
    } else if (ptext_ieq(verb, vn, "RSET")) {
        smtp_tx_emit(cx, s);
        smtp_pend_push(cx, s, SMTP_C_RSET);
    } else if (ptext_ieq(verb, vn, "QUIT")) {
        smtp_tx_emit(cx, s);
        smtp_pend_push(cx, s, SMTP_C_QUIT);
    } else {
        smtp_pend_push(cx, s, SMTP_C_OTHER);
    }
}

/* The last line of a reply: completes the oldest command waiting. */
static void smtp_reply_done(struct app_cx *cx, struct smtp_state *s, int code)
{
    if (!s->greeting_seen) {
        s->greeting_seen = true;
        if (s->pcount == 0)
            return;
    }
    if (s->pcount == 0) {
        if (s->plost > 0) {
            s->plost--;
            return;
        }
        /* 421 may come unasked when the server shuts down (RFC 5321 3.8). */
        if (code != 421 && !s->desync)
            app_anomaly(cx, "smtp.reply_without_command");
        return;
    }
    uint8_t cmd = s->pend[s->phead];
    switch (cmd) {
    case SMTP_C_AUTH:
        if (code == 334)
            return; /* a challenge: the AUTH goes on */
        if (s->mode == SMTP_M_AUTH)
            s->mode = SMTP_M_CMD;
        s->auth_result_known = true;
        s->auth_success = code == 235;
        if (code != 235)
            s->auth_failures++;
        break;
    case SMTP_C_DATA:
        if (code != 354 && s->mode == SMTP_M_DATA && s->message_bytes == 0 &&
            s->data_pos == SMTP_D_BOL) {
            s->mode = SMTP_M_CMD; /* refused: no message follows */
            s->data_seen = false;
        }
        break;
    case SMTP_C_DATA_END:
    case SMTP_C_BDAT_LAST:
        smtp_pend_pop(s);
        smtp_await_emit(cx, s, code);
        return;
    case SMTP_C_STARTTLS:
        smtp_pend_pop(s);
        if (code == 220) {
            s->tls = true;
            s->upgraded = true;
            app_upgrade(cx, APP_TLS);
        }
        return;
    default:
        break;
    }
    smtp_pend_pop(s);
}

static void smtp_server_line(struct app_cx *cx, struct smtp_state *s, const uint8_t *l, uint32_t n)
{
    bool more;
    int code = ptext_reply_code(l, n, &more);
    if (code < 0) {
        app_anomaly(cx, "smtp.invalid_reply");
        return;
    }
    if (!s->greeting_seen && !s->in_reply && !s->banner && n > 4) {
        const uint8_t *t;
        uint32_t tn = ptext_rest(l, n, 4, &t);
        s->banner = app_json_str(t, tn, MAIL_MAX_FIELD);
    }
    /* EHLO keywords (RFC 5321 4.1.1.1), one per reply line. */
    if (s->pcount > 0 && s->pend[s->phead] == SMTP_C_HELO && n > 4 &&
        ptext_iprefix(l + 4, n - 4, "STARTTLS"))
        s->starttls_offered = true;
    s->in_reply = more;
    if (!more)
        smtp_reply_done(cx, s, code);
}

/* Counts message text up to CRLF "." CRLF (RFC 5321 4.5.2: a line that is a
 * single dot; dot-stuffed lines start with ".." and are not the end). Returns
 * the bytes used from data. */
static uint32_t smtp_data_scan(struct app_cx *cx, struct smtp_state *s, const uint8_t *data,
                               uint32_t len)
{
    uint32_t i = 0;
    while (i < len) {
        if (s->data_pos == SMTP_D_MID) {
            const uint8_t *nl = memchr(data + i, '\n', len - i);
            if (!nl) {
                i = len;
                break;
            }
            i = (uint32_t)(nl - data) + 1;
            s->data_pos = SMTP_D_BOL;
            continue;
        }
        uint8_t c = data[i++];
        bool after_cr = s->data_pos == SMTP_D_DOT_CR;
        if (s->data_pos == SMTP_D_BOL)
            s->data_pos = c == '.' ? SMTP_D_DOT : c == '\n' ? SMTP_D_BOL : SMTP_D_MID;
        else if (s->data_pos == SMTP_D_DOT)
            s->data_pos = c == '\r' ? SMTP_D_DOT_CR : c == '\n' ? 0xff : SMTP_D_MID;
        else /* SMTP_D_DOT_CR */
            s->data_pos = c == '\n' ? 0xff : SMTP_D_MID;
        if (s->data_pos == 0xff) {
            /* The terminator is not part of the message. */
            uint32_t term = after_cr ? 3 : 2; /* ".\r\n" or a bare ".\n" */
            s->message_bytes += i;
            s->message_bytes = s->message_bytes >= term ? s->message_bytes - term : 0;
            s->data_pos = SMTP_D_BOL;
            s->mode = SMTP_M_CMD;
            s->data_done = true;
            smtp_tx_finish(cx, s);
            smtp_pend_push(cx, s, SMTP_C_DATA_END);
            return i;
        }
    }
    s->message_bytes += i;
    return i;
}

static void smtp_feed(struct app_cx *cx, void *state, int dir, const uint8_t *data, uint32_t len)
{
    struct smtp_state *s = state;
    struct app_line *lb = &s->line[dir ? 1 : 0];

    lb->max = MAIL_MAX_LINE;
    while (len > 0 && !s->upgraded) {
        if (dir == 0 && s->mode == SMTP_M_DATA) {
            uint32_t used = smtp_data_scan(cx, s, data, len);
            data += used;
            len -= used;
            continue;
        }
        if (dir == 0 && s->mode == SMTP_M_BDAT) {
            uint32_t take = s->bdat_left < len ? (uint32_t)s->bdat_left : len;
            s->message_bytes += take;
            s->bdat_left -= take;
            data += take;
            len -= take;
            if (s->bdat_left == 0) {
                s->mode = SMTP_M_CMD;
                if (s->bdat_last) {
                    s->data_done = true;
                    smtp_tx_finish(cx, s);
                }
            }
            continue;
        }
        if (!app_line_take(lb, &data, &len))
            break;
        if (lb->overlong)
            app_anomaly(cx, "smtp.line_too_long");
        if (dir == 1) {
            smtp_server_line(cx, s, lb->buf, lb->len);
        } else if (s->mode == SMTP_M_AUTH) {
            smtp_auth_response(s, lb->buf, lb->len);
            ptext_wipe(lb->buf, lb->len);
        } else {
            smtp_client_command(cx, s, lb->buf, lb->len);
        }
        app_line_reset(lb);
    }
}

static void smtp_gap(struct app_cx *cx, void *state, int dir)
{
    struct smtp_state *s = state;
    (void)cx;
    app_line_reset(&s->line[dir ? 1 : 0]);
    /* Commands and replies can no longer be paired. */
    s->pcount = 0;
    s->plost = 0;
    s->desync = true;
    if (dir == 1)
        s->in_reply = false;
    else if (s->mode == SMTP_M_AUTH)
        s->mode = SMTP_M_CMD;
}

static void smtp_end(struct app_cx *cx, void *state)
{
    struct smtp_state *s = state;
    if (s->ended)
        return;
    s->ended = true;
    smtp_await_emit(cx, s, 0);
    smtp_tx_emit(cx, s);
    if (s->tx_events == 0 && (s->commands > 0 || s->starttls)) {
        json_t *body = json_object();
        if (s->helo)
            json_object_set(body, "helo", s->helo);
        json_t *x = smtp_extra(s);
        json_object_set_new(x, "rcpt_count", json_integer(0));
        s->tx_events++;
        app_event(cx, "smtp", 0, body, x);
    }
}

static void smtp_release(void *state)
{
    struct smtp_state *s = state;
    if (s->line[0].buf) /* may hold a SASL response */
        ptext_wipe(s->line[0].buf, s->line[0].max);
    app_line_free(&s->line[0]);
    app_line_free(&s->line[1]);
    smtp_tx_clear(s);
    json_decref(s->await_body);
    json_decref(s->await_extra);
    s->await_body = s->await_extra = NULL;
    json_decref(s->helo);
    json_decref(s->banner);
    json_decref(s->auth_mech_name);
    json_decref(s->auth_user);
    s->helo = s->banner = s->auth_mech_name = s->auth_user = NULL;
}

/* First line of the server greeting: "220" then SP or "-" (RFC 5321 4.2).
 * FTP greets with 220 too (RFC 959): a greeting that names FTP is left to
 * it, every other 220 is taken here, and the dispatcher asks the parser of
 * the flow's port first, so port 21 stays FTP. */
static enum app_probe_result smtp_probe(const uint8_t *data, uint32_t len, int dir)
{
    if (dir == 0) {
        static const char *const cmds[] = {"EHLO ", "HELO ", "MAIL FROM:", "STARTTLS\r\n"};
        return ptext_probe_words(data, len, cmds, ARRAY_SIZE(cmds));
    }
    static const char g[] = "220";
    uint32_t n = MIN(len, 3u);
    if (memcmp(data, g, n) != 0)
        return APP_PROBE_NO;
    if (len < 4)
        return APP_PROBE_NEED_MORE;
    if (data[3] != ' ' && data[3] != '-')
        return APP_PROBE_NO;
    const uint8_t *nl = memchr(data, '\n', len);
    if (!nl && len < APP_PROBE_MAX)
        return APP_PROBE_NEED_MORE;
    uint32_t ll = nl ? (uint32_t)(nl - data) : len;
    if (ptext_icontains(data, ll, "smtp") || ptext_icontains(data, ll, "mail"))
        return APP_PROBE_YES;
    if (ptext_icontains(data, ll, "ftp"))
        return APP_PROBE_NO;
    return APP_PROBE_YES;
}

static const uint16_t smtp_ports[] = {25, 587, 2525, 0};

const struct app_parser app_parser_smtp = {
    .id = APP_SMTP,
    .name = "smtp",
    .ipproto = 6,
    .ports = smtp_ports,
    .probe = smtp_probe,
    .state_size = sizeof(struct smtp_state),
    .feed = smtp_feed,
    .gap = smtp_gap,
    .end = smtp_end,
    .release = smtp_release,
};
