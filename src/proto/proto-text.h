/* proto-text.h - small helpers shared by the line-based login protocols
 * (SMTP, POP3, IMAP, FTP, Telnet): words of a command line, reply codes,
 * case-insensitive matching and base64 decoding of SASL responses.
 *
 * Header-only (static inline) so it needs no build-file entry. Every function
 * works on a line the parser already copied into its own bounded buffer
 * (struct app_line), never on packet memory, and never reads past `len`. */
#ifndef MAMORI_PROTO_TEXT_H
#define MAMORI_PROTO_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "app/app.h"
#include "util/limits.h"

static inline uint8_t ptext_lower(uint8_t c)
{
    return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}

static inline bool ptext_is_space(uint8_t c)
{
    return c == ' ' || c == '\t';
}

/* s[0..len) starts with `prefix` (ASCII, case-insensitive). */
static inline bool ptext_iprefix(const uint8_t *s, uint32_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    if (n > len)
        return false;
    for (size_t i = 0; i < n; i++)
        if (ptext_lower(s[i]) != ptext_lower((uint8_t)prefix[i]))
            return false;
    return true;
}

/* The first n bytes of a and b are equal (case-insensitive). */
static inline bool ptext_iprefix_bytes(const uint8_t *a, const uint8_t *b, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (ptext_lower(a[i]) != ptext_lower(b[i]))
            return false;
    return true;
}

/* s[0..len) equals `w` (case-insensitive). */
static inline bool ptext_ieq(const uint8_t *s, uint32_t len, const char *w)
{
    return strlen(w) == len && ptext_iprefix(s, len, w);
}

/* `needle` (lower case ASCII) occurs in s[0..len), case-insensitive. The
 * naive search is fine: lines are bounded by the parser's line maximum. */
static inline bool ptext_icontains(const uint8_t *s, uint32_t len, const char *needle)
{
    size_t n = strlen(needle);
    if (n == 0)
        return true;
    if (n > len)
        return false;
    for (uint32_t i = 0; i + n <= len; i++)
        if (ptext_iprefix(s + i, len - i, needle))
            return true;
    return false;
}

/* Next word of s[0..len) from *off: skips blanks, returns the word's length
 * and start (0 at the end of the line) and leaves *off after it. */
static inline uint32_t ptext_word(const uint8_t *s, uint32_t len, uint32_t *off,
                                  const uint8_t **word)
{
    uint32_t i = *off;
    while (i < len && ptext_is_space(s[i]))
        i++;
    uint32_t start = i;
    while (i < len && !ptext_is_space(s[i]))
        i++;
    *word = s + start;
    *off = i;
    return i - start;
}

/* The rest of the line from *off with leading and trailing blanks removed. */
static inline uint32_t ptext_rest(const uint8_t *s, uint32_t len, uint32_t off,
                                  const uint8_t **rest)
{
    while (off < len && ptext_is_space(s[off]))
        off++;
    uint32_t end = len;
    while (end > off && ptext_is_space(s[end - 1]))
        end--;
    *rest = s + off;
    return end - off;
}

/* A reply line "ddd", "ddd text" or "ddd-text" (SMTP, FTP: RFC 5321 4.2,
 * RFC 959 4.2): returns the code (100..599) and sets *more when the line
 * continues a multi-line reply ('-'), or -1 if the line is not a reply. */
static inline int ptext_reply_code(const uint8_t *s, uint32_t len, bool *more)
{
    *more = false;
    if (len < 3)
        return -1;
    for (int i = 0; i < 3; i++)
        if (s[i] < '0' || s[i] > '9')
            return -1;
    if (s[0] < '1' || s[0] > '5')
        return -1;
    if (len > 3) {
        if (s[3] == '-')
            *more = true;
        else if (s[3] != ' ' && s[3] != '\t')
            return -1;
    }
    return (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
}

static inline int ptext_b64_val(uint8_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* Decodes base64 (RFC 4648 4, padding optional) into out[0..cap): returns
 * the decoded length, or -1 if the input is not base64 or does not fit.
 * Callers decoding a SASL response wipe `out` after taking the user name. */
static inline int ptext_b64_decode(const uint8_t *in, uint32_t len, uint8_t *out, uint32_t cap)
{
    uint32_t acc = 0, bits = 0, o = 0;
    while (len > 0 && in[len - 1] == '=')
        len--;
    for (uint32_t i = 0; i < len; i++) {
        int v = ptext_b64_val(in[i]);
        if (v < 0)
            return -1;
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (o >= cap)
                return -1;
            out[o++] = (uint8_t)(acc >> bits);
            acc &= (1u << bits) - 1u;
        }
    }
    return (int)o;
}

/* Client-side probe: YES when data starts with one of `words` (case-
 * insensitive), NEED_MORE while data is still a prefix of one, else NO. */
static inline enum app_probe_result ptext_probe_words(const uint8_t *data, uint32_t len,
                                                      const char *const *words, size_t n)
{
    enum app_probe_result r = APP_PROBE_NO;
    for (size_t i = 0; i < n; i++) {
        uint32_t wl = (uint32_t)strlen(words[i]);
        if (len >= wl && ptext_iprefix(data, len, words[i]))
            return APP_PROBE_YES;
        if (len < wl && ptext_iprefix_bytes((const uint8_t *)words[i], data, len))
            r = APP_PROBE_NEED_MORE;
    }
    return r;
}

/* Wipes a buffer that held a credential so it does not linger in freed
 * memory (a volatile store the compiler cannot drop). */
static inline void ptext_wipe(void *p, size_t n)
{
    volatile uint8_t *v = p;
    for (size_t i = 0; i < n; i++)
        v[i] = 0;
}

/* Commands waiting for their reply, oldest first (POP3, SMTP-like
 * protocols). A full ring drops the command and counts it in `lost`, so the
 * matching reply is then not reported as unasked. */
struct ptext_ring {
    uint8_t q[MAIL_MAX_PENDING];
    uint32_t head, count, lost;
};

static inline bool ptext_ring_push(struct ptext_ring *r, uint8_t v)
{
    if (r->count >= MAIL_MAX_PENDING) {
        r->lost++;
        return false;
    }
    r->q[(r->head + r->count) % MAIL_MAX_PENDING] = v;
    r->count++;
    return true;
}

static inline void ptext_ring_pop(struct ptext_ring *r)
{
    if (r->count == 0)
        return;
    r->head = (r->head + 1) % MAIL_MAX_PENDING;
    r->count--;
}

/* What the login protocols (POP3, IMAP, Telnet, and FTP's summary) record
 * about logins: never the password, only that one was sent and how the
 * server answered. One event per attempt (at most LOGIN_MAX_EVENTS), and
 * one for the session at the end if there was no attempt. */
struct ptext_login {
    json_t *user, *mech, *banner;
    uint32_t attempts, failures, events;
    bool pending;         /* an attempt awaits the server's verdict */
    bool pending_clear;   /* ... and it sent a password in clear */
    bool starttls, starttls_offered, tls;
    bool any_success;
    bool activity;        /* the client said anything at all */
};

static inline void ptext_login_set(json_t **dst, const uint8_t *p, uint32_t n)
{
    json_decref(*dst);
    *dst = app_json_str(p, n, MAIL_MAX_FIELD);
}

static inline json_t *ptext_login_extra(const struct ptext_login *l)
{
    json_t *x = json_object();
    if (l->user)
        json_object_set(x, "user", l->user);
    if (l->mech)
        json_object_set(x, "auth_mechanism", l->mech);
    if (l->banner)
        json_object_set(x, "server_banner", l->banner);
    json_object_set_new_nocheck(x, "login_attempts", json_integer(l->attempts));
    json_object_set_new_nocheck(x, "login_failures", json_integer(l->failures));
    json_object_set_new_nocheck(x, "starttls", json_boolean(l->starttls));
    json_object_set_new_nocheck(x, "starttls_offered", json_boolean(l->starttls_offered));
    json_object_set_new_nocheck(x, "tls", json_boolean(l->tls));
    return x;
}

/* The server's verdict on the pending attempt (known false: flow ended
 * before it came). */
static inline void ptext_login_result(struct app_cx *cx, struct ptext_login *l, const char *type,
                                      bool known, bool success)
{
    if (!l->pending)
        return;
    l->pending = false;
    if (known && !success)
        l->failures++;
    if (known && success)
        l->any_success = true;
    if (l->events >= LOGIN_MAX_EVENTS)
        return;
    json_t *x = ptext_login_extra(l);
    json_object_set_new_nocheck(x, "password_sent_in_clear", json_boolean(l->pending_clear));
    if (known)
        json_object_set_new_nocheck(x, "login_success", json_boolean(success));
    l->events++;
    app_event(cx, type, 0, NULL, x);
}

/* A login was sent (USER/PASS, LOGIN, AUTH ...). An earlier attempt that
 * got no verdict is reported first. */
static inline void ptext_login_attempt(struct app_cx *cx, struct ptext_login *l, const char *type,
                                       bool cleartext)
{
    ptext_login_result(cx, l, type, false, false);
    l->attempts++;
    l->pending = true;
    l->pending_clear = cleartext;
}

/* The flow ends: the pending attempt, or a session summary when there was
 * no attempt but the client talked (STARTTLS, CAPA, a banner grab). */
static inline void ptext_login_end(struct app_cx *cx, struct ptext_login *l, const char *type)
{
    ptext_login_result(cx, l, type, false, false);
    if (l->attempts == 0 && l->events == 0 && (l->activity || l->starttls)) {
        json_t *x = ptext_login_extra(l);
        json_object_set_new_nocheck(x, "password_sent_in_clear", json_false());
        l->events++;
        app_event(cx, type, 0, NULL, x);
    }
}

static inline void ptext_login_free(struct ptext_login *l)
{
    json_decref(l->user);
    json_decref(l->mech);
    json_decref(l->banner);
    l->user = l->mech = l->banner = NULL;
}

/* SASL initial/continuation response (RFC 4422): the user name of PLAIN
 * (authzid NUL authcid NUL passwd, RFC 4616) or LOGIN (first response is
 * the user name) or XOAUTH2 ("user=" name ^A ...); the decoded secret is
 * wiped. step: responses sent before this one in the exchange. */
static inline void ptext_sasl_user(json_t **user, const uint8_t *mech, uint32_t mech_len,
                                   uint32_t step, const uint8_t *p, uint32_t n)
{
    uint8_t dec[MAIL_MAX_LINE];
    if (step != 0)
        return;
    int dn = ptext_b64_decode(p, n, dec, sizeof(dec));
    if (dn <= 0)
        return;
    uint32_t len = (uint32_t)dn;
    if (ptext_ieq(mech, mech_len, "LOGIN")) {
        ptext_login_set(user, dec, len);
    } else if (ptext_ieq(mech, mech_len, "PLAIN")) {
        const uint8_t *z1 = memchr(dec, 0, len);
        if (z1) {
            const uint8_t *u = z1 + 1;
            const uint8_t *z2 = memchr(u, 0, len - (uint32_t)(u - dec));
            if (z2)
                ptext_login_set(user, u, (uint32_t)(z2 - u));
        }
    } else if (ptext_ieq(mech, mech_len, "XOAUTH2") && ptext_iprefix(dec, len, "user=")) {
        const uint8_t *u = dec + 5;
        const uint8_t *e = memchr(u, 0x01, len - 5);
        ptext_login_set(user, u, e ? (uint32_t)(e - u) : len - 5);
    }
    ptext_wipe(dec, sizeof(dec));
}

#endif
