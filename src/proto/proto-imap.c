/* proto-imap.c - IMAP4 (RFC 9051/3501) logins: LOGIN, AUTHENTICATE
 * (RFC 4959 SASL-IR too) and STARTTLS.
 *
 * Both directions are lines that may end in a literal "{n}" or "{n+}"
 * (RFC 9051 4.3): the next n bytes are data, skipped by length and never
 * read as lines, so a mail body cannot fake a tagged response. A LOGIN's
 * first argument (the user) is kept, whether atom, quoted string or
 * literal; its second (the password) is never copied out of the line buffer,
 * which is wiped. Tagged responses are matched to commands by tag. EVE has
 * no IMAP event, so each login attempt is an "imap" event with store facts
 * only. */
#include <string.h>

#include "app/app.h"
#include "proto/proto-text.h"
#include "util/limits.h"
#include "util/util.h"

#define IMAP_TAG_MAX 32

enum imap_cmd {
    IMAP_C_OTHER = 0,
    IMAP_C_LOGIN,
    IMAP_C_AUTH,
    IMAP_C_STARTTLS,
};

struct imap_pending {
    uint8_t tag[IMAP_TAG_MAX];
    uint8_t tag_len;
    uint8_t kind;
};

struct imap_state {
    struct app_line line[2];
    uint64_t literal_left[2]; /* bytes of a literal still to skip */
    bool cont[2];             /* the next line continues a command after a literal */
    struct imap_pending pend[MAIL_MAX_PENDING];
    uint32_t npend;
    struct ptext_login login;
    /* the client command being read (over several lines if literals) */
    uint8_t cur_kind;
    uint32_t login_arg;       /* LOGIN arguments seen so far */
    bool literal_is_user;     /* the literal being skipped is LOGIN's user */
    uint8_t user_buf[MAIL_MAX_FIELD];
    uint32_t user_len;
    bool in_sasl;             /* client lines are SASL responses */
    uint32_t sasl_step;
    uint8_t mech[32];
    uint32_t mech_len;
    bool greeting_seen;
    bool upgraded;
    bool ended;
};

/* A line ending in "{n}" or "{n+}": returns true and the literal length. */
static bool imap_literal(struct app_cx *cx, const uint8_t *l, uint32_t n, uint64_t *size)
{
    if (n < 3 || l[n - 1] != '}')
        return false;
    uint32_t end = n - 1;
    if (l[end - 1] == '+' || l[end - 1] == '-') /* LITERAL+ / LITERAL- */
        end--;
    uint32_t i = end;
    while (i > 0 && l[i - 1] >= '0' && l[i - 1] <= '9' && end - i < 20)
        i--;
    if (i == end || i == 0 || l[i - 1] != '{')
        return false;
    uint64_t v = 0;
    for (uint32_t k = i; k < end; k++) {
        if (v > (UINT64_MAX - 9) / 10) {
            app_anomaly(cx, "imap.literal_too_long");
            v = UINT64_MAX;
            break;
        }
        v = v * 10 + (uint64_t)(l[k] - '0');
    }
    if (v > IMAP_MAX_LITERAL)
        app_anomaly(cx, "imap.literal_too_long");
    *size = v;
    return true;
}

/* Next LOGIN argument from l[*off..n): atom or quoted string (RFC 9051
 * "astring"). Returns false at a literal or the end. */
static bool imap_astring(const uint8_t *l, uint32_t n, uint32_t *off, const uint8_t **arg,
                         uint32_t *alen)
{
    uint32_t i = *off;
    while (i < n && l[i] == ' ')
        i++;
    if (i >= n || l[i] == '{')
        return false;
    if (l[i] == '"') {
        uint32_t start = ++i;
        while (i < n && l[i] != '"') {
            if (l[i] == '\\' && i + 1 < n)
                i++;
            i++;
        }
        *arg = l + start;
        *alen = i - start;
        *off = i < n ? i + 1 : n;
        return true;
    }
    uint32_t start = i;
    while (i < n && l[i] != ' ')
        i++;
    *arg = l + start;
    *alen = i - start;
    *off = i;
    return true;
}

static void imap_login_args(struct imap_state *s, const uint8_t *l, uint32_t n, uint32_t off)
{
    const uint8_t *a;
    uint32_t an;
    while (s->login_arg < 2 && imap_astring(l, n, &off, &a, &an)) {
        if (s->login_arg == 0)
            ptext_login_set(&s->login.user, a, an);
        s->login_arg++;
    }
}

static void imap_push(struct app_cx *cx, struct imap_state *s, const uint8_t *tag, uint32_t tn,
                      uint8_t kind)
{
    if (s->npend >= MAIL_MAX_PENDING) {
        app_anomaly(cx, "imap.too_many_pipelined_commands");
        return;
    }
    struct imap_pending *p = &s->pend[s->npend++];
    p->tag_len = (uint8_t)MIN(tn, (uint32_t)IMAP_TAG_MAX);
    memcpy(p->tag, tag, p->tag_len);
    p->kind = kind;
}

static void imap_client_line(struct app_cx *cx, struct imap_state *s, const uint8_t *l,
                             uint32_t n, bool continued)
{
    if (continued) {
        /* The rest of a command after a literal. */
        if (s->cur_kind == IMAP_C_LOGIN)
            imap_login_args(s, l, n, 0);
        return;
    }
    if (s->in_sasl) {
        if (!(n == 1 && l[0] == '*'))
            ptext_sasl_user(&s->login.user, s->mech, s->mech_len, s->sasl_step, l, n);
        s->sasl_step++;
        return;
    }
    uint32_t off = 0;
    const uint8_t *tag, *cmd;
    uint32_t tn = ptext_word(l, n, &off, &tag);
    uint32_t cn = ptext_word(l, n, &off, &cmd);
    if (tn == 0)
        return;
    s->login.activity = true;
    s->cur_kind = IMAP_C_OTHER;
    if (ptext_ieq(cmd, cn, "LOGIN")) {
        s->cur_kind = IMAP_C_LOGIN;
        s->login_arg = 0;
        imap_login_args(s, l, n, off);
        ptext_login_attempt(cx, &s->login, "imap", true);
    } else if (ptext_ieq(cmd, cn, "AUTHENTICATE")) {
        const uint8_t *m, *ir;
        uint32_t mn = ptext_word(l, n, &off, &m);
        uint32_t irn = ptext_word(l, n, &off, &ir);
        s->cur_kind = IMAP_C_AUTH;
        s->mech_len = MIN(mn, (uint32_t)sizeof(s->mech));
        memcpy(s->mech, m, s->mech_len);
        ptext_login_set(&s->login.mech, m, mn);
        s->sasl_step = 0;
        s->in_sasl = true;
        if (irn > 0) {
            if (!(irn == 1 && ir[0] == '='))
                ptext_sasl_user(&s->login.user, s->mech, s->mech_len, 0, ir, irn);
            s->sasl_step++;
        }
        bool clear = ptext_ieq(m, mn, "PLAIN") || ptext_ieq(m, mn, "LOGIN");
        ptext_login_attempt(cx, &s->login, "imap", clear);
    } else if (ptext_ieq(cmd, cn, "STARTTLS")) {
        s->cur_kind = IMAP_C_STARTTLS;
        s->login.starttls = true;
    }
    imap_push(cx, s, tag, tn, s->cur_kind);
}

static void imap_tagged(struct app_cx *cx, struct imap_state *s, const uint8_t *tag, uint32_t tn,
                        const uint8_t *status, uint32_t sn)
{
    uint32_t i;
    for (i = 0; i < s->npend; i++)
        if (s->pend[i].tag_len == tn && memcmp(s->pend[i].tag, tag, tn) == 0)
            break;
    if (i == s->npend) {
        app_anomaly(cx, "imap.response_without_command");
        return;
    }
    uint8_t kind = s->pend[i].kind;
    memmove(&s->pend[i], &s->pend[i + 1], (s->npend - i - 1) * sizeof(s->pend[0]));
    s->npend--;
    bool ok = ptext_ieq(status, sn, "OK");
    if (kind == IMAP_C_LOGIN || kind == IMAP_C_AUTH) {
        s->in_sasl = false;
        ptext_login_result(cx, &s->login, "imap", true, ok);
    } else if (kind == IMAP_C_STARTTLS && ok) {
        s->login.tls = true;
        s->upgraded = true;
        app_upgrade(cx, APP_TLS);
    }
}

static void imap_server_line(struct app_cx *cx, struct imap_state *s, const uint8_t *l, uint32_t n,
                             bool continued)
{
    if (continued)
        return; /* the rest of a response after a literal */
    uint32_t off = 0;
    const uint8_t *tag, *st;
    uint32_t tn = ptext_word(l, n, &off, &tag);
    uint32_t sn = ptext_word(l, n, &off, &st);
    if (tn == 0) {
        app_anomaly(cx, "imap.invalid_response");
        return;
    }
    if (tn == 1 && tag[0] == '*') {
        if (!s->greeting_seen && (ptext_ieq(st, sn, "OK") || ptext_ieq(st, sn, "PREAUTH"))) {
            const uint8_t *t;
            uint32_t tl = ptext_rest(l, n, off, &t);
            ptext_login_set(&s->login.banner, t, tl);
        }
        if (ptext_icontains(l, n, "capability") && ptext_icontains(l, n, " starttls"))
            s->login.starttls_offered = true;
        s->greeting_seen = true;
        return;
    }
    s->greeting_seen = true;
    if (tn == 1 && tag[0] == '+')
        return; /* continuation request */
    imap_tagged(cx, s, tag, tn, st, sn);
}

static void imap_feed(struct app_cx *cx, void *state, int dir, const uint8_t *data, uint32_t len)
{
    struct imap_state *s = state;
    int d = dir ? 1 : 0;
    struct app_line *lb = &s->line[d];

    lb->max = MAIL_MAX_LINE;
    while (len > 0 && !s->upgraded) {
        if (s->literal_left[d] > 0) {
            uint32_t take = s->literal_left[d] < len ? (uint32_t)s->literal_left[d] : len;
            if (d == 0 && s->literal_is_user) {
                uint32_t room = (uint32_t)sizeof(s->user_buf) - s->user_len;
                uint32_t c = MIN(take, room);
                memcpy(s->user_buf + s->user_len, data, c);
                s->user_len += c;
            }
            s->literal_left[d] -= take;
            data += take;
            len -= take;
            if (s->literal_left[d] == 0 && d == 0 && s->literal_is_user) {
                ptext_login_set(&s->login.user, s->user_buf, s->user_len);
                s->literal_is_user = false;
                s->login_arg++;
            } else if (s->literal_left[d] == 0 && d == 0 && s->cur_kind == IMAP_C_LOGIN) {
                s->login_arg++; /* the password literal: skipped, never copied */
            }
            continue;
        }
        if (!app_line_take(lb, &data, &len))
            break;
        if (lb->overlong)
            app_anomaly(cx, "imap.line_too_long");
        bool continued = s->cont[d];
        uint64_t lit = 0;
        bool has_lit = imap_literal(cx, lb->buf, lb->len, &lit);
        if (d == 1) {
            imap_server_line(cx, s, lb->buf, lb->len, continued);
        } else {
            imap_client_line(cx, s, lb->buf, lb->len, continued);
            ptext_wipe(lb->buf, lb->len); /* LOGIN and SASL lines hold secrets */
            if (has_lit && s->cur_kind == IMAP_C_LOGIN && s->login_arg == 0 && !s->in_sasl) {
                s->literal_is_user = true;
                s->user_len = 0;
            }
        }
        s->cont[d] = has_lit;
        s->literal_left[d] = lit;
        app_line_reset(lb);
    }
}

static void imap_gap(struct app_cx *cx, void *state, int dir)
{
    struct imap_state *s = state;
    (void)cx;
    int d = dir ? 1 : 0;
    app_line_reset(&s->line[d]);
    s->literal_left[d] = 0;
    s->cont[d] = false;
    s->literal_is_user = false;
    if (d == 0)
        s->in_sasl = false;
}

static void imap_end(struct app_cx *cx, void *state)
{
    struct imap_state *s = state;
    if (s->ended)
        return;
    s->ended = true;
    ptext_login_end(cx, &s->login, "imap");
}

static void imap_release(void *state)
{
    struct imap_state *s = state;
    if (s->line[0].buf)
        ptext_wipe(s->line[0].buf, s->line[0].cap);
    app_line_free(&s->line[0]);
    app_line_free(&s->line[1]);
    ptext_login_free(&s->login);
}

/* Server: "* OK" / "* PREAUTH" greeting (RFC 9051 7.1). Client: a tag and
 * one of the commands a client starts with. */
static enum app_probe_result imap_probe(const uint8_t *data, uint32_t len, int dir)
{
    if (dir == 1) {
        static const char *const greet[] = {"* OK", "* PREAUTH"};
        return ptext_probe_words(data, len, greet, ARRAY_SIZE(greet));
    }
    uint32_t i = 0;
    while (i < len && i < IMAP_TAG_MAX && data[i] > ' ' && data[i] < 0x7f && data[i] != '{' &&
           data[i] != '*' && data[i] != '"')
        i++;
    if (i == len)
        return i < IMAP_TAG_MAX ? APP_PROBE_NEED_MORE : APP_PROBE_NO;
    if (i == 0 || data[i] != ' ')
        return APP_PROBE_NO;
    static const char *const cmds[] = {"CAPABILITY\r\n", "LOGIN ", "AUTHENTICATE ",
                                       "STARTTLS\r\n", "ID ", "NOOP\r\n"};
    return ptext_probe_words(data + i + 1, len - i - 1, cmds, ARRAY_SIZE(cmds));
}

static const uint16_t imap_ports[] = {143, 0};

const struct app_parser app_parser_imap = {
    .id = APP_IMAP,
    .name = "imap",
    .ipproto = 6,
    .ports = imap_ports,
    .probe = imap_probe,
    .state_size = sizeof(struct imap_state),
    .feed = imap_feed,
    .gap = imap_gap,
    .end = imap_end,
    .release = imap_release,
};
