/* proto-telnet.c - Telnet (RFC 854) logins.
 *
 * Option negotiation (IAC WILL/WONT/DO/DONT opt, IAC SB ... IAC SE, other
 * IAC commands) is removed from both directions; what remains is the text
 * the user and the host exchanged. The parser watches the server's text for
 * a "login:" or "Password:" prompt and takes the client's next line as the
 * answer: a user name is kept, a password only counted (its bytes are
 * wiped). After the password, the server's words decide: "incorrect",
 * "failed", "denied" or a new login prompt mean failure; "Last login",
 * "Welcome" or a shell prompt mean success. EVE has no Telnet event, so
 * each attempt is a "telnet" event with store facts only; once a login
 * succeeded the parser stops reading the session. */
#include <string.h>

#include "app/app.h"
#include "proto/proto-text.h"
#include "util/limits.h"
#include "util/util.h"

#define TELNET_IAC 255
#define TELNET_SB 250
#define TELNET_SE 240
#define TELNET_WILL 251
#define TELNET_DONT 254

/* Bytes kept of the server's current line (prompts are short) and of the
 * client's answer (a user name). */
#define TELNET_TAIL_MAX 128
#define TELNET_ANSWER_MAX 128
/* Server bytes read while waiting for a login prompt before giving up:
 * a host that never asks is not a login session (or it is already in). */
#define TELNET_MAX_PRELOGIN (256u * 1024u)

enum telnet_iac_st {
    TN_DATA = 0,
    TN_IAC,    /* after IAC */
    TN_OPT,    /* after IAC WILL/WONT/DO/DONT: one option byte */
    TN_SB,     /* inside a subnegotiation */
    TN_SB_IAC, /* IAC inside a subnegotiation */
};

enum telnet_wait {
    TN_W_NONE = 0,
    TN_W_USER,   /* a login prompt was shown */
    TN_W_PASS,   /* a password prompt was shown */
    TN_W_RESULT, /* a password was sent */
};

struct telnet_state {
    uint8_t iac[2];             /* enum telnet_iac_st per direction */
    uint8_t tail[TELNET_TAIL_MAX]; /* the server's current line */
    uint32_t tail_len;
    bool tail_cr;               /* previous client byte was CR */
    uint8_t answer[TELNET_ANSWER_MAX];
    uint32_t answer_len;
    uint8_t wait;               /* enum telnet_wait */
    uint64_t server_bytes;
    struct ptext_login login;
    bool banner_done;
    bool finished;
    bool ended;
};

static bool telnet_tail_ends_with(const struct telnet_state *s, const char *word)
{
    uint32_t n = s->tail_len;
    while (n > 0 && (s->tail[n - 1] == ' ' || s->tail[n - 1] == '\t'))
        n--;
    size_t wl = strlen(word);
    return n >= wl && ptext_iprefix(s->tail + n - wl, (uint32_t)wl, word);
}

static bool telnet_failure_text(const uint8_t *t, uint32_t n)
{
    return ptext_icontains(t, n, "incorrect") || ptext_icontains(t, n, "failed") ||
           ptext_icontains(t, n, "denied") || ptext_icontains(t, n, "invalid");
}

static void telnet_verdict(struct app_cx *cx, struct telnet_state *s, bool success)
{
    ptext_login_result(cx, &s->login, "telnet", true, success);
    s->wait = TN_W_NONE;
    if (success) {
        /* Past the login the session is the user's shell: nothing more to
         * learn here, and reading it would cost time. */
        s->finished = true;
        app_done(cx, -1);
    }
}

/* Looks at the server's line so far (called after each line and at the end
 * of each feed, so prompts without a newline are seen). */
static void telnet_server_check(struct app_cx *cx, struct telnet_state *s, bool line_end)
{
    if (s->wait == TN_W_RESULT) {
        if (telnet_failure_text(s->tail, s->tail_len)) {
            telnet_verdict(cx, s, false);
            return;
        }
        if (ptext_icontains(s->tail, s->tail_len, "last login") ||
            ptext_icontains(s->tail, s->tail_len, "welcome")) {
            telnet_verdict(cx, s, true);
            return;
        }
    }
    if (line_end)
        return;
    if (telnet_tail_ends_with(s, "login:") || telnet_tail_ends_with(s, "username:") ||
        telnet_tail_ends_with(s, "user name:")) {
        if (s->wait == TN_W_RESULT)
            telnet_verdict(cx, s, false); /* asked again: the last one failed */
        s->wait = TN_W_USER;
        s->answer_len = 0;
    } else if (telnet_tail_ends_with(s, "password:")) {
        s->wait = TN_W_PASS;
        s->answer_len = 0;
    } else if (s->wait == TN_W_RESULT &&
               (telnet_tail_ends_with(s, "$") || telnet_tail_ends_with(s, "#") ||
                telnet_tail_ends_with(s, ">") || telnet_tail_ends_with(s, "%"))) {
        telnet_verdict(cx, s, true);
    }
}

static void telnet_server_byte(struct app_cx *cx, struct telnet_state *s, uint8_t c)
{
    if (c == '\n' || c == '\r') {
        if (s->tail_len > 0) {
            if (!s->banner_done) {
                /* The first non-empty line is the host's greeting. */
                ptext_login_set(&s->login.banner, s->tail, s->tail_len);
                s->banner_done = true;
            }
            telnet_server_check(cx, s, true);
        }
        s->tail_len = 0;
        return;
    }
    if (c == 0)
        return;
    if (s->tail_len < TELNET_TAIL_MAX) {
        s->tail[s->tail_len++] = c;
    } else {
        /* Keep the end of a long line: prompts are at the end. */
        memmove(s->tail, s->tail + 1, TELNET_TAIL_MAX - 1);
        s->tail[TELNET_TAIL_MAX - 1] = c;
    }
}

static void telnet_client_line(struct app_cx *cx, struct telnet_state *s)
{
    if (s->wait == TN_W_USER) {
        ptext_login_set(&s->login.user, s->answer, s->answer_len);
        s->wait = TN_W_NONE;
    } else if (s->wait == TN_W_PASS) {
        ptext_login_attempt(cx, &s->login, "telnet", true);
        s->wait = TN_W_RESULT;
    }
    ptext_wipe(s->answer, sizeof(s->answer));
    s->answer_len = 0;
}

static void telnet_client_byte(struct app_cx *cx, struct telnet_state *s, uint8_t c)
{
    /* RFC 854: end of line is CR LF or CR NUL; some clients send LF. */
    if (c == '\r' || (c == '\n' && !s->tail_cr)) {
        s->tail_cr = c == '\r';
        s->login.activity = true;
        telnet_client_line(cx, s);
        return;
    }
    bool was_cr = s->tail_cr;
    s->tail_cr = false;
    if ((c == '\n' || c == 0) && was_cr)
        return;
    if (c == 0x08 || c == 0x7f) { /* backspace / delete while typing */
        if (s->answer_len > 0)
            s->answer_len--;
        return;
    }
    if (s->wait != TN_W_USER && s->wait != TN_W_PASS)
        return;
    if (s->answer_len < TELNET_ANSWER_MAX)
        s->answer[s->answer_len++] = c;
}

static void telnet_feed(struct app_cx *cx, void *state, int dir, const uint8_t *data, uint32_t len)
{
    struct telnet_state *s = state;
    int d = dir ? 1 : 0;

    if (s->finished)
        return;
    if (d == 1) {
        s->server_bytes += len;
        if (s->server_bytes > TELNET_MAX_PRELOGIN && s->login.attempts == 0 &&
            s->wait == TN_W_NONE) {
            s->finished = true;
            app_done(cx, -1);
            return;
        }
    }
    for (uint32_t i = 0; i < len && !s->finished; i++) {
        uint8_t c = data[i];
        switch (s->iac[d]) {
        case TN_DATA:
            if (c == TELNET_IAC) {
                s->iac[d] = TN_IAC;
                continue;
            }
            break;
        case TN_IAC:
            if (c == TELNET_IAC) {
                s->iac[d] = TN_DATA; /* an escaped 0xff data byte */
                break;
            }
            s->iac[d] = c == TELNET_SB ? TN_SB : c >= TELNET_WILL && c <= TELNET_DONT ? TN_OPT
                                                                                        : TN_DATA;
            continue;
        case TN_OPT:
            s->iac[d] = TN_DATA;
            continue;
        case TN_SB:
            if (c == TELNET_IAC)
                s->iac[d] = TN_SB_IAC;
            continue;
        default: /* TN_SB_IAC */
            s->iac[d] = c == TELNET_SE ? TN_DATA : TN_SB;
            continue;
        }
        if (d == 1)
            telnet_server_byte(cx, s, c);
        else
            telnet_client_byte(cx, s, c);
    }
    if (d == 1 && !s->finished && s->tail_len > 0)
        telnet_server_check(cx, s, false);
}

static void telnet_gap(struct app_cx *cx, void *state, int dir)
{
    struct telnet_state *s = state;
    (void)cx;
    s->iac[dir ? 1 : 0] = TN_DATA;
    if (dir)
        s->tail_len = 0;
    else
        s->answer_len = 0;
}

static void telnet_end(struct app_cx *cx, void *state)
{
    struct telnet_state *s = state;
    if (s->ended)
        return;
    s->ended = true;
    ptext_login_end(cx, &s->login, "telnet");
}

static void telnet_release(void *state)
{
    struct telnet_state *s = state;
    ptext_wipe(s->answer, sizeof(s->answer));
    ptext_login_free(&s->login);
}

/* Telnet sessions open with option negotiation: IAC then WILL/WONT/DO/DONT
 * (or SB) from either side. */
static enum app_probe_result telnet_probe(const uint8_t *data, uint32_t len, int dir)
{
    (void)dir;
    if (len == 0)
        return APP_PROBE_NEED_MORE;
    if (data[0] != TELNET_IAC)
        return APP_PROBE_NO;
    if (len < 3)
        return APP_PROBE_NEED_MORE;
    if ((data[1] >= TELNET_WILL && data[1] <= TELNET_DONT) || data[1] == TELNET_SB)
        return APP_PROBE_YES;
    return APP_PROBE_NO;
}

static const uint16_t telnet_ports[] = {23, 0};

const struct app_parser app_parser_telnet = {
    .id = APP_TELNET,
    .name = "telnet",
    .ipproto = 6,
    .ports = telnet_ports,
    .probe = telnet_probe,
    .state_size = sizeof(struct telnet_state),
    .feed = telnet_feed,
    .gap = telnet_gap,
    .end = telnet_end,
    .release = telnet_release,
};
