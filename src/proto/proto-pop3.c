/* proto-pop3.c - POP3 (RFC 1939) logins: USER/PASS, APOP, AUTH (RFC 5034)
 * and STLS (RFC 2595).
 *
 * Commands wait in a queue for their "+OK"/"-ERR" (clients may pipeline,
 * RFC 2449); the multi-line answers of RETR, TOP, LIST, UIDL and CAPA are
 * skipped up to their "." line, so mail text is never read as a status.
 * The PASS argument and SASL responses are never stored; the parser only
 * records that a password went over the wire in clear. EVE has no POP3
 * event, so each login attempt is a "pop3" event with only store facts. */
#include <string.h>

#include "app/app.h"
#include "proto/proto-text.h"
#include "util/limits.h"
#include "util/util.h"

enum pop3_cmd {
    POP3_C_OTHER = 0,
    POP3_C_MULTI, /* answered by +OK and lines up to "." */
    POP3_C_CAPA,  /* multi-line too; its lines name STLS */
    POP3_C_USER,
    POP3_C_PASS,
    POP3_C_APOP,
    POP3_C_AUTH,
    POP3_C_STLS,
};

struct pop3_state {
    struct app_line line[2];
    struct ptext_ring pend;
    struct ptext_login login;
    uint8_t mech[32];
    uint32_t mech_len;
    uint32_t sasl_step;
    bool in_auth;       /* client lines are SASL responses */
    bool greeting_seen;
    bool in_multi;      /* server lines are a multi-line answer */
    bool multi_capa;
    bool upgraded;
    bool ended;
};

static void pop3_client_line(struct app_cx *cx, struct pop3_state *s, const uint8_t *l,
                             uint32_t n)
{
    if (s->in_auth) {
        if (!(n == 1 && l[0] == '*'))
            ptext_sasl_user(&s->login.user, s->mech, s->mech_len, s->sasl_step, l, n);
        s->sasl_step++;
        return;
    }
    uint32_t off = 0;
    const uint8_t *verb, *arg;
    uint32_t vn = ptext_word(l, n, &off, &verb);
    if (vn == 0)
        return;
    uint32_t an = ptext_word(l, n, &off, &arg);
    uint8_t kind = POP3_C_OTHER;
    s->login.activity = true;
    if (ptext_ieq(verb, vn, "USER")) {
        ptext_login_set(&s->login.user, arg, an);
        kind = POP3_C_USER;
    } else if (ptext_ieq(verb, vn, "PASS")) {
        ptext_login_attempt(cx, &s->login, "pop3", true);
        kind = POP3_C_PASS;
    } else if (ptext_ieq(verb, vn, "APOP")) {
        /* APOP sends an MD5 digest, not the password. */
        ptext_login_set(&s->login.user, arg, an);
        ptext_login_set(&s->login.mech, (const uint8_t *)"APOP", 4);
        ptext_login_attempt(cx, &s->login, "pop3", false);
        kind = POP3_C_APOP;
    } else if (ptext_ieq(verb, vn, "AUTH") && an > 0) {
        s->mech_len = MIN(an, (uint32_t)sizeof(s->mech));
        memcpy(s->mech, arg, s->mech_len);
        ptext_login_set(&s->login.mech, arg, an);
        s->sasl_step = 0;
        s->in_auth = true;
        const uint8_t *ir;
        uint32_t irn = ptext_word(l, n, &off, &ir);
        if (irn > 0) {
            if (!(irn == 1 && ir[0] == '='))
                ptext_sasl_user(&s->login.user, s->mech, s->mech_len, 0, ir, irn);
            s->sasl_step++;
        }
        bool clear = ptext_ieq(arg, an, "PLAIN") || ptext_ieq(arg, an, "LOGIN");
        ptext_login_attempt(cx, &s->login, "pop3", clear);
        kind = POP3_C_AUTH;
    } else if (ptext_ieq(verb, vn, "STLS")) {
        s->login.starttls = true;
        kind = POP3_C_STLS;
    } else if (ptext_ieq(verb, vn, "CAPA")) {
        kind = POP3_C_CAPA;
    } else if (ptext_ieq(verb, vn, "RETR") || ptext_ieq(verb, vn, "TOP") ||
               ((ptext_ieq(verb, vn, "LIST") || ptext_ieq(verb, vn, "UIDL")) && an == 0)) {
        kind = POP3_C_MULTI;
    }
    if (!ptext_ring_push(&s->pend, kind))
        app_anomaly(cx, "pop3.too_many_pipelined_commands");
}

static void pop3_server_status(struct app_cx *cx, struct pop3_state *s, bool ok)
{
    if (s->pend.count == 0) {
        if (s->pend.lost > 0)
            s->pend.lost--;
        else
            app_anomaly(cx, "pop3.reply_without_command");
        return;
    }
    uint8_t kind = s->pend.q[s->pend.head];
    ptext_ring_pop(&s->pend);
    switch (kind) {
    case POP3_C_MULTI:
    case POP3_C_CAPA:
        s->in_multi = ok;
        s->multi_capa = kind == POP3_C_CAPA;
        break;
    case POP3_C_PASS:
    case POP3_C_APOP:
    case POP3_C_AUTH:
        s->in_auth = false;
        ptext_login_result(cx, &s->login, "pop3", true, ok);
        break;
    case POP3_C_STLS:
        if (ok) {
            s->login.tls = true;
            s->upgraded = true;
            app_upgrade(cx, APP_TLS);
        }
        break;
    default:
        break;
    }
}

static void pop3_server_line(struct app_cx *cx, struct pop3_state *s, const uint8_t *l, uint32_t n)
{
    if (s->in_multi) {
        /* RFC 1939 3: a line of one "." ends it; "..x" is byte-stuffed. */
        if (n == 1 && l[0] == '.')
            s->in_multi = false;
        else if (s->multi_capa && ptext_ieq(l, n, "STLS"))
            s->login.starttls_offered = true;
        return;
    }
    bool ok = ptext_iprefix(l, n, "+OK");
    if (!s->greeting_seen) {
        s->greeting_seen = true;
        if (ok && s->pend.count == 0) {
            const uint8_t *t;
            uint32_t tn = ptext_rest(l, n, 3, &t);
            ptext_login_set(&s->login.banner, t, tn);
            return;
        }
    }
    if (ok || ptext_iprefix(l, n, "-ERR")) {
        pop3_server_status(cx, s, ok);
    } else if (n >= 1 && l[0] == '+' && s->in_auth) {
        /* "+ challenge" of AUTH (RFC 5034 4): the command goes on. */
    } else {
        app_anomaly(cx, "pop3.invalid_reply");
    }
}

static void pop3_feed(struct app_cx *cx, void *state, int dir, const uint8_t *data, uint32_t len)
{
    struct pop3_state *s = state;
    struct app_line *lb = &s->line[dir ? 1 : 0];

    lb->max = MAIL_MAX_LINE;
    while (len > 0 && !s->upgraded) {
        if (!app_line_take(lb, &data, &len))
            break;
        if (lb->overlong && !(dir == 1 && s->in_multi))
            app_anomaly(cx, "pop3.line_too_long");
        if (dir == 1) {
            pop3_server_line(cx, s, lb->buf, lb->len);
        } else {
            pop3_client_line(cx, s, lb->buf, lb->len);
            ptext_wipe(lb->buf, lb->len); /* PASS and SASL lines */
        }
        app_line_reset(lb);
    }
}

static void pop3_gap(struct app_cx *cx, void *state, int dir)
{
    struct pop3_state *s = state;
    (void)cx;
    app_line_reset(&s->line[dir ? 1 : 0]);
    memset(&s->pend, 0, sizeof(s->pend));
    s->pend.lost = MAIL_MAX_PENDING; /* do not judge the replies in flight */
    s->in_multi = false;
    s->in_auth = false;
}

static void pop3_end(struct app_cx *cx, void *state)
{
    struct pop3_state *s = state;
    if (s->ended)
        return;
    s->ended = true;
    ptext_login_end(cx, &s->login, "pop3");
}

static void pop3_release(void *state)
{
    struct pop3_state *s = state;
    app_line_free(&s->line[0]);
    app_line_free(&s->line[1]);
    ptext_login_free(&s->login);
}

static enum app_probe_result pop3_probe(const uint8_t *data, uint32_t len, int dir)
{
    if (dir == 1) {
        static const char *const greet[] = {"+OK"};
        return ptext_probe_words(data, len, greet, ARRAY_SIZE(greet));
    }
    /* USER is FTP's too; port 110 gets here first anyway. */
    static const char *const cmds[] = {"CAPA\r\n", "STLS\r\n", "APOP ", "AUTH ", "USER "};
    return ptext_probe_words(data, len, cmds, ARRAY_SIZE(cmds));
}

static const uint16_t pop3_ports[] = {110, 0};

const struct app_parser app_parser_pop3 = {
    .id = APP_POP3,
    .name = "pop3",
    .ipproto = 6,
    .ports = pop3_ports,
    .probe = pop3_probe,
    .state_size = sizeof(struct pop3_state),
    .feed = pop3_feed,
    .gap = pop3_gap,
    .end = pop3_end,
    .release = pop3_release,
};
