/* proto-http.c - HTTP/1.x over TCP (RFC 9110, RFC 9112): requests and
 * responses of each direction parsed incrementally, matched in order into
 * transactions, one "http" event per transaction in Suricata's EVE shape.
 *
 * Each direction is a state machine fed stream bytes in pieces of any size:
 * start line, header lines (collected in a bounded line buffer), then a body
 * framed as RFC 9112 section 6.3 says: none (HEAD, 1xx, 204, 304), chunked,
 * Content-Length, or until the connection closes (responses only). Bodies are
 * counted and skipped, never kept. Requests queue up (pipelining, RFC 9112
 * section 9.3) and each response goes to the oldest request still without
 * one. A transaction is reported when both halves are complete, or at flow
 * end, when the queue overflows, or when a gap cut one half short.
 *
 * Kept from the wire: the fields EVE logs (host, URL, user agent, ...) and a
 * few more for the store. Never kept: cookie values, Authorization
 * credentials (only the scheme, and the user name of Basic), bodies.
 *
 * Login forms: the body of a urlencoded POST (application/x-www-form-
 * urlencoded) is scanned, at most HTTP_FORM_SCAN bytes of it, for a field
 * named like a password (password, passwd, pwd, pass, パスワード, ...) with a
 * non-empty value. Only the field's name is reported (store-only
 * "password_field" and "cleartext_login"); value bytes are counted, never
 * copied.
 */
#include <string.h>

#include "app/app.h"
#include "proto/proto-text.h"
#include "util/limits.h"
#include "util/util.h"

static const uint16_t http_ports[] = {80, 8080, 8000, 8008, 8888, 3128, 81, 0};

/* Methods the probe and resynchronisation accept (RFC 9110 9.3, RFC 5789
 * PATCH, WebDAV RFC 4918/3253/3744/5842, CalDAV RFC 4791, and the common
 * cache PURGE). The parser itself takes any token as a method. */
static const char *const http_methods[] = {
    "GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "CONNECT", "TRACE", "PATCH",
    "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "SEARCH", "REPORT",
    "MKACTIVITY", "CHECKOUT", "CHECKIN", "UNCHECKOUT", "MERGE", "LABEL", "UPDATE",
    "VERSION-CONTROL", "BASELINE-CONTROL", "MKWORKSPACE", "ORDERPATCH", "ACL", "BIND",
    "UNBIND", "REBIND", "MKCALENDAR", "PURGE",
};

/* Length of the longest method above (BASELINE-CONTROL). */
#define HTTP_METHOD_MAX 16u

/* Bytes of a urlencoded request body scanned for a password field: login
 * forms are a few fields at the start of the body; a bigger body is an
 * upload, not a login. */
#define HTTP_FORM_SCAN 4096u
/* Bytes of a (percent-decoded) form field name kept while scanning. */
#define HTTP_FORM_NAME 64u

/* Where a direction is: the states that read lines first. */
enum http_phase {
    HP_START = 0,    /* before a request or status line (empty lines skipped) */
    HP_HEADERS,      /* header lines until the empty line */
    HP_CHUNK_SIZE,   /* chunk-size [; ext] line */
    HP_CHUNK_END,    /* the CRLF after chunk data */
    HP_TRAILERS,     /* trailer lines after the last chunk */
    HP_RESYNC,       /* after garbage or a gap: lines until a start line */
    HP_BODY_CL,      /* body bytes: `remain` left (Content-Length) */
    HP_CHUNK_DATA,   /* chunk bytes: `remain` left */
    HP_BODY_CLOSE,   /* response body until the connection closes */
    HP_CONNECT_WAIT, /* request side after CONNECT, until its response */
    HP_TUNNEL,       /* CONNECT accepted: decide between TLS and done */
    HP_DONE,         /* nothing more to parse (upgraded, tunnelled) */
};


/* Bytes copied from the wire (not NUL-terminated); p == NULL: not seen. */
struct http_str {
    uint8_t *p;
    uint32_t len;
};

/* Scanner of a urlencoded request body: the name of the field being read
 * (percent-decoded), then only the length of its value. */
struct http_form {
    uint32_t scanned;          /* body bytes looked at (<= HTTP_FORM_SCAN) */
    uint8_t name[HTTP_FORM_NAME];
    uint32_t name_len;
    bool name_cut;             /* the name was longer than kept: never a match */
    uint8_t pct;               /* 0, or 1/2 after '%' and one hex digit */
    uint8_t pct_val;
    bool in_value;
    bool pw_name;              /* the current field's name is a password's */
    uint32_t value_len;
};

struct http_tx {
    bool queued;          /* in st->q; false for a response without request */
    bool has_req, req_done, req_truncated;
    bool has_resp, resp_done, resp_truncated;
    bool is_head, is_connect;
    bool cookie, set_cookie, cleartext_login;
    bool form;            /* request body is urlencoded: being scanned */
    bool has_port, has_req_cl, has_resp_cl;
    uint16_t port;
    int status;           /* 0 until a valid status line */
    uint64_t req_cl, resp_cl, req_body, resp_body;
    /* request */
    struct http_str method, url, protocol, host, user_agent, referer, xff, auth_scheme,
        proxy_auth_scheme, req_content_type, req_upgrade, auth_user, pw_field;
    struct http_form *fs; /* form scanner, while tx->form */
    /* response */
    struct http_str resp_protocol, content_type, location, server, content_encoding, upgrade;
};

struct http_dir {
    enum http_phase phase;
    struct app_line line; /* max HTTP_MAX_LINE */
    struct http_tx *tx;     /* message being parsed; NULL if none (dropped) */
    struct http_str *fold;  /* field an obs-fold line extends (RFC 9112 5.2) */
    uint64_t remain;        /* body or chunk bytes still to skip */
    uint32_t hdr_bytes, hdr_count;
    bool hdr_flagged;       /* a header-limit anomaly was raised for this message */
    bool has_cl, cl_bad, te, chunked;
    uint64_t cl;
    int status;             /* response being parsed: its status, 0 if invalid */
    bool gap_seen;
};

struct http_state {
    struct http_dir d[2];
    struct http_tx *q[HTTP_MAX_PENDING]; /* requests in order, oldest first */
    unsigned nq;
    uint16_t connect_port;               /* target port of an accepted CONNECT */
};

/* --- small helpers --- */

/* RFC 9110 5.6.2 tchar. */
static bool http_is_tchar(uint8_t c)
{
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return true;
    return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static bool http_known_method(const uint8_t *s, uint32_t n)
{
    for (size_t i = 0; i < ARRAY_SIZE(http_methods); i++)
        if (strlen(http_methods[i]) == n && memcmp(s, http_methods[i], n) == 0)
            return true;
    return false;
}

/* "HTTP/d.d" exactly (RFC 9112 2.3; the name is case-sensitive). */
static bool http_is_version(const uint8_t *s, uint32_t n)
{
    return n == 8 && memcmp(s, "HTTP/", 5) == 0 && s[5] >= '0' && s[5] <= '9' && s[6] == '.' &&
           s[7] >= '0' && s[7] <= '9';
}

static uint32_t http_trim(const uint8_t **s, uint32_t n)
{
    const uint8_t *p = *s;
    while (n > 0 && ptext_is_space(p[0])) {
        p++;
        n--;
    }
    while (n > 0 && ptext_is_space(p[n - 1]))
        n--;
    *s = p;
    return n;
}

/* Keeps the first occurrence of a field (cut at max); later ones are
 * ignored. Returns the field when it was set, for obs-fold lines. */
static struct http_str *http_str_set(struct http_str *f, const uint8_t *s, uint32_t n,
                                     uint32_t max)
{
    if (f->p)
        return NULL;
    if (n > max)
        n = max;
    f->p = xmalloc(n ? n : 1);
    memcpy(f->p, s, n);
    f->len = n;
    return f;
}

/* An obs-fold continuation: " " + the trimmed line, up to HTTP_MAX_FIELD. */
static void http_str_append(struct http_str *f, const uint8_t *s, uint32_t n)
{
    if (f->len >= HTTP_MAX_FIELD)
        return;
    uint32_t add = MIN(n + 1, HTTP_MAX_FIELD - f->len);
    f->p = xrealloc(f->p, f->len + add);
    f->p[f->len] = ' ';
    memcpy(f->p + f->len + 1, s, add - 1);
    f->len += add;
}

static void http_str_free(struct http_str *f)
{
    free(f->p);
    f->p = NULL;
    f->len = 0;
}

/* Hostname as libhtp normalises it for Suricata: lower case, trailing dots
 * dropped, an IPv6 literal kept with its brackets; a valid port is kept
 * apart (EVE http_port). */
static void http_set_host(struct http_tx *tx, const uint8_t *s, uint32_t n)
{
    n = http_trim(&s, n);
    if (n == 0 || tx->host.p)
        return;
    uint32_t hend = n;
    const uint8_t *port = NULL;
    uint32_t plen = 0;
    const uint8_t *c = s[0] == '[' ? memchr(s, ']', n) : s;
    if (c) {
        const uint8_t *colon = memchr(c, ':', n - (uint32_t)(c - s));
        if (colon) {
            hend = (uint32_t)(colon - s);
            port = colon + 1;
            plen = n - hend - 1;
        }
    }
    while (hend > 1 && s[hend - 1] == '.')
        hend--;
    if (hend == 0)
        return;
    http_str_set(&tx->host, s, hend, HTTP_MAX_FIELD);
    for (uint32_t i = 0; i < tx->host.len; i++)
        tx->host.p[i] = ptext_lower(tx->host.p[i]);
    if (plen == 0 || plen > 5)
        return;
    uint32_t v = 0;
    for (uint32_t i = 0; i < plen; i++) {
        if (port[i] < '0' || port[i] > '9')
            return;
        v = v * 10 + (uint32_t)(port[i] - '0');
    }
    if (v >= 1 && v <= 65535) {
        tx->has_port = true;
        tx->port = (uint16_t)v;
    }
}

/* --- transactions --- */

static void http_tx_free(struct http_tx *tx)
{
    struct http_str *all[] = {
        &tx->method, &tx->url, &tx->protocol, &tx->host, &tx->user_agent, &tx->referer,
        &tx->xff, &tx->auth_scheme, &tx->proxy_auth_scheme, &tx->req_content_type,
        &tx->req_upgrade, &tx->resp_protocol, &tx->content_type, &tx->location, &tx->server,
        &tx->content_encoding, &tx->upgrade, &tx->auth_user, &tx->pw_field,
    };
    for (size_t i = 0; i < ARRAY_SIZE(all); i++)
        http_str_free(all[i]);
    free(tx->fs);
    free(tx);
}

static void http_set_str(json_t *o, const char *key, const struct http_str *f)
{
    if (f->p)
        app_json_set_bytes(o, key, f->p, f->len, f->len);
}

/* --- login forms --- */

/* s[0..n) (lower case) contains the lower-case ASCII or UTF-8 needle. */
static bool http_form_has(const uint8_t *s, uint32_t n, const char *needle)
{
    uint32_t k = (uint32_t)strlen(needle);
    for (uint32_t i = 0; i + k <= n; i++)
        if (memcmp(s + i, needle, k) == 0)
            return true;
    return false;
}

/* Whether a form field name is a password's: it contains password, passwd,
 * passwort, passphrase, pwd or パスワード (case-insensitive), or one of its
 * words (split at anything but letters and digits, and at a lower-to-upper
 * case change: loginPass) is pass, pw or pword. "passport" or "compass" are
 * not. */
static bool http_form_pw_name(const uint8_t *name, uint32_t n)
{
    uint8_t low[HTTP_FORM_NAME];
    for (uint32_t i = 0; i < n; i++)
        low[i] = ptext_lower(name[i]);
    static const char *const subs[] = {
        "password", "passwd", "passwort", "passphrase", "pwd",
        "\xe3\x83\x91\xe3\x82\xb9\xe3\x83\xaf\xe3\x83\xbc\xe3\x83\x89", /* パスワード */
    };
    for (size_t i = 0; i < ARRAY_SIZE(subs); i++)
        if (http_form_has(low, n, subs[i]))
            return true;
    static const char *const words[] = {"pass", "pw", "pword"};
    uint32_t i = 0;
    while (i < n) {
        while (i < n && !((low[i] >= 'a' && low[i] <= 'z') || (low[i] >= '0' && low[i] <= '9')))
            i++;
        uint32_t start = i++;
        while (i < n && ((low[i] >= 'a' && low[i] <= 'z') || (low[i] >= '0' && low[i] <= '9')) &&
               !(name[i] >= 'A' && name[i] <= 'Z' && name[i - 1] >= 'a' && name[i - 1] <= 'z'))
            i++;
        if (start >= n)
            break;
        for (size_t w = 0; w < ARRAY_SIZE(words); w++)
            if (strlen(words[w]) == i - start && memcmp(low + start, words[w], i - start) == 0)
                return true;
    }
    return false;
}

static int http_hex(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = ptext_lower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* The end of a field (at '&' or the end of the body): a password field
 * with a value is remembered (its name only, the first one). */
static void http_form_field_end(struct http_tx *tx, struct http_form *fs)
{
    if (fs->in_value && fs->pw_name && fs->value_len > 0 && !tx->pw_field.p)
        http_str_set(&tx->pw_field, fs->name, fs->name_len, HTTP_FORM_NAME);
    fs->name_len = 0;
    fs->name_cut = false;
    fs->pct = 0;
    fs->in_value = false;
    fs->pw_name = false;
    fs->value_len = 0;
}

static void http_form_name_byte(struct http_form *fs, uint8_t c)
{
    if (fs->name_len >= HTTP_FORM_NAME) {
        fs->name_cut = true;
        return;
    }
    fs->name[fs->name_len++] = c;
}

/* Body bytes of a urlencoded request: "name=value&name=value". */
static void http_form_scan(struct http_tx *tx, const uint8_t *p, uint32_t len)
{
    struct http_form *fs = tx->fs;
    if (!fs || fs->scanned >= HTTP_FORM_SCAN)
        return;
    len = MIN(len, HTTP_FORM_SCAN - fs->scanned);
    fs->scanned += len;
    for (uint32_t i = 0; i < len; i++) {
        uint8_t c = p[i];
        if (c == '&') {
            http_form_field_end(tx, fs);
        } else if (fs->in_value) {
            fs->value_len++;
        } else if (c == '=') {
            fs->in_value = true;
            fs->pw_name = !fs->name_cut && http_form_pw_name(fs->name, fs->name_len);
        } else if (fs->pct) {
            int h = http_hex(c);
            if (h < 0) {
                fs->pct = 0; /* "%zz": keep the bytes out of the name */
            } else if (fs->pct == 1) {
                fs->pct_val = (uint8_t)h;
                fs->pct = 2;
            } else {
                http_form_name_byte(fs, (uint8_t)(fs->pct_val * 16 + h));
                fs->pct = 0;
            }
        } else if (c == '%') {
            fs->pct = 1;
        } else {
            http_form_name_byte(fs, c == '+' ? ' ' : c);
        }
    }
}

/* The request body ended (or the transaction is reported): the last field
 * counts too. */
static void http_form_done(struct http_tx *tx)
{
    if (!tx->fs)
        return;
    http_form_field_end(tx, tx->fs);
    free(tx->fs);
    tx->fs = NULL;
    tx->form = false;
}

static void http_tx_emit(struct app_cx *cx, struct http_tx *tx)
{
    http_form_done(tx);
    json_t *b = json_object();
    json_t *x = json_object();
    http_set_str(b, "hostname", &tx->host);
    if (tx->has_port)
        json_object_set_new_nocheck(b, "http_port", json_integer(tx->port));
    http_set_str(b, "url", &tx->url);
    http_set_str(b, "http_user_agent", &tx->user_agent);
    http_set_str(b, "http_content_type", &tx->content_type);
    http_set_str(b, "http_refer", &tx->referer);
    http_set_str(b, "http_method", &tx->method);
    http_set_str(b, "protocol", &tx->protocol);
    if (tx->status > 0)
        json_object_set_new_nocheck(b, "status", json_integer(tx->status));
    http_set_str(b, "redirect", &tx->location);
    http_set_str(b, "xff", &tx->xff);
    json_object_set_new_nocheck(b, "length", json_integer((json_int_t)tx->resp_body));

    if (tx->has_req_cl)
        json_object_set_new_nocheck(x, "request_content_length",
                                    json_integer((json_int_t)tx->req_cl));
    if (tx->has_resp_cl)
        json_object_set_new_nocheck(x, "response_content_length",
                                    json_integer((json_int_t)tx->resp_cl));
    if (tx->has_req)
        json_object_set_new_nocheck(x, "request_body_len", json_integer((json_int_t)tx->req_body));
    http_set_str(x, "request_content_type", &tx->req_content_type);
    http_set_str(x, "server", &tx->server);
    http_set_str(x, "content_encoding", &tx->content_encoding);
    http_set_str(x, "auth_scheme", &tx->auth_scheme);
    http_set_str(x, "proxy_auth_scheme", &tx->proxy_auth_scheme);
    http_set_str(x, "upgrade", tx->upgrade.p ? &tx->upgrade : &tx->req_upgrade);
    if (tx->resp_protocol.p && (!tx->protocol.p || tx->protocol.len != tx->resp_protocol.len ||
                                memcmp(tx->protocol.p, tx->resp_protocol.p, tx->protocol.len)))
        http_set_str(x, "response_protocol", &tx->resp_protocol);
    if (tx->cleartext_login || tx->pw_field.p)
        json_object_set_new_nocheck(x, "cleartext_login", json_true());
    http_set_str(x, "user", &tx->auth_user);
    if (tx->pw_field.p) {
        json_object_set_new_nocheck(x, "login_form", json_true());
        http_set_str(x, "password_field", &tx->pw_field);
    }
    if (tx->cookie)
        json_object_set_new_nocheck(x, "cookie_seen", json_true());
    if (tx->set_cookie)
        json_object_set_new_nocheck(x, "set_cookie_seen", json_true());
    if (!tx->has_req)
        json_object_set_new_nocheck(x, "no_request", json_true());
    if (!tx->has_resp)
        json_object_set_new_nocheck(x, "no_response", json_true());
    if (tx->req_truncated)
        json_object_set_new_nocheck(x, "request_truncated", json_true());
    if (tx->resp_truncated)
        json_object_set_new_nocheck(x, "response_truncated", json_true());
    if (json_object_size(x) == 0) {
        json_decref(x);
        x = NULL;
    }
    app_event(cx, "http", 0, b, x);
}

/* Forgets tx everywhere (queue, both directions) and frees it. */
static void http_tx_drop(struct http_state *st, struct http_tx *tx)
{
    if (tx->queued) {
        for (unsigned i = 0; i < st->nq; i++) {
            if (st->q[i] == tx) {
                memmove(&st->q[i], &st->q[i + 1], (st->nq - i - 1) * sizeof(st->q[0]));
                st->nq--;
                break;
            }
        }
    }
    for (int d = 0; d < 2; d++) {
        if (st->d[d].tx == tx) {
            st->d[d].tx = NULL;
            st->d[d].fold = NULL;
        }
    }
    http_tx_free(tx);
}

static void http_tx_try_finish(struct app_cx *cx, struct http_state *st, struct http_tx *tx)
{
    if (tx->req_done && tx->resp_done) {
        http_tx_emit(cx, tx);
        http_tx_drop(st, tx);
    }
}

/* Resets what one message's headers said about its framing. */
static void http_msg_reset(struct http_dir *d)
{
    d->tx = NULL;
    d->fold = NULL;
    d->remain = 0;
    d->hdr_bytes = 0;
    d->hdr_count = 0;
    d->hdr_flagged = false;
    d->has_cl = d->cl_bad = d->te = d->chunked = false;
    d->cl = 0;
    d->status = 0;
}

/* The message of direction dir is over (complete, or cut when truncated);
 * the caller sets the next phase. */
static void http_msg_done(struct app_cx *cx, struct http_state *st, int dir, bool truncated)
{
    struct http_dir *d = &st->d[dir];
    struct http_tx *tx = d->tx;
    http_msg_reset(d);
    if (!tx)
        return;
    if (dir == 0) {
        tx->req_done = true;
        tx->req_truncated |= truncated;
    } else {
        tx->resp_done = true;
        tx->resp_truncated |= truncated;
    }
    http_tx_try_finish(cx, st, tx);
}

/* --- start lines --- */

/* A status line resynchronisation may restart on: stricter than the parser,
 * so body bytes after a gap are unlikely to look like one. */
static bool http_looks_status(const uint8_t *s, uint32_t n)
{
    return n >= 12 && http_is_version(s, 8) && s[8] == ' ' && s[9] >= '1' && s[9] <= '9' &&
           s[10] >= '0' && s[10] <= '9' && s[11] >= '0' && s[11] <= '9' &&
           (n == 12 || s[12] == ' ');
}

/* Where in a line read while resynchronising a start line begins. A message
 * follows the end of a body with no delimiter, so after a gap it is usually
 * glued to the tail of the body we could not frame: look inside the line,
 * not only at its start. A request line must end with the version, which is
 * tested once, so the scan is linear in the line. */
static bool http_find_start(const uint8_t *s, uint32_t n, int dir, uint32_t *off)
{
    if (dir == 0 && (n < 10 || s[n - 9] != ' ' || !http_is_version(s + n - 8, 8)))
        return false;
    for (uint32_t i = 0; i < n; i++) {
        bool hit;
        if (dir == 0) {
            const uint8_t *sp = s[i] >= 'A' && s[i] <= 'Z' ? memchr(s + i, ' ', MIN(n - i, HTTP_METHOD_MAX + 1u))
                                                           : NULL;
            hit = sp && http_known_method(s + i, (uint32_t)(sp - (s + i)));
        } else {
            hit = s[i] == 'H' && http_looks_status(s + i, n - i);
        }
        if (hit) {
            *off = i;
            return true;
        }
    }
    return false;
}

/* Authority of an absolute URI ("http://user@host:port/path"): the host for
 * EVE's hostname, as libhtp prefers it over the Host header. */
static void http_uri_host(struct http_tx *tx, const uint8_t *u, uint32_t n)
{
    uint32_t skip;
    if (ptext_iprefix(u, n, "http://"))
        skip = 7;
    else if (ptext_iprefix(u, n, "https://"))
        skip = 8;
    else
        return;
    const uint8_t *a = u + skip;
    uint32_t alen = 0;
    while (alen < n - skip && a[alen] != '/' && a[alen] != '?' && a[alen] != '#')
        alen++;
    for (uint32_t i = alen; i > 0; i--) {
        if (a[i - 1] == '@') {
            a += i;
            alen -= i;
            break;
        }
    }
    http_set_host(tx, a, alen);
}

/* Queues a new transaction; a full queue first reports its oldest. */
static struct http_tx *http_tx_new_request(struct app_cx *cx, struct http_state *st)
{
    if (st->nq == HTTP_MAX_PENDING) {
        app_anomaly(cx, "http.pipeline_overflow");
        struct http_tx *old = st->q[0];
        http_tx_emit(cx, old);
        http_tx_drop(st, old);
    }
    struct http_tx *tx = xcalloc(1, sizeof(*tx));
    tx->queued = true;
    tx->has_req = true;
    st->q[st->nq++] = tx;
    return tx;
}

/* Request line "method SP request-target SP HTTP-version" (RFC 9112 3).
 * A line of two words is an HTTP/0.9 request: no headers follow. */
static void http_request_line(struct app_cx *cx, struct http_state *st, const uint8_t *s,
                              uint32_t n, bool overlong)
{
    struct http_dir *d = &st->d[0];
    uint32_t m = 0;
    while (m < n && http_is_tchar(s[m]))
        m++;
    const uint8_t *rest = s + m;
    uint32_t rlen = http_trim(&rest, n - m);
    if (m == 0 || m == n || s[m] != ' ' || rlen == 0) {
        app_anomaly(cx, "http.request_line_invalid");
        d->phase = HP_RESYNC;
        return;
    }
    /* The version is the last word; the target is what lies between (a
     * target with spaces is kept as sent, as libhtp does). */
    const uint8_t *url = rest, *ver = NULL;
    uint32_t ulen = rlen, vlen = 0;
    bool http09 = false;
    const uint8_t *sp = NULL;
    for (uint32_t i = rlen; i > 0; i--) {
        if (ptext_is_space(rest[i - 1])) {
            sp = rest + i - 1;
            break;
        }
    }
    if (overlong) {
        app_anomaly(cx, "http.request_line_too_long");
    } else if (sp) {
        ver = sp + 1;
        vlen = rlen - (uint32_t)(ver - rest);
        ulen = http_trim(&url, (uint32_t)(sp - rest));
        if (!http_is_version(ver, vlen)) {
            app_anomaly(cx, "http.request_line_invalid");
            d->phase = HP_RESYNC;
            return;
        }
    } else {
        http09 = true;
    }
    struct http_tx *tx = http_tx_new_request(cx, st);
    http_msg_reset(d);
    d->tx = tx;
    http_str_set(&tx->method, s, m, HTTP_MAX_FIELD);
    http_str_set(&tx->url, url, ulen, HTTP_MAX_URL);
    if (ver)
        http_str_set(&tx->protocol, ver, vlen, HTTP_MAX_FIELD);
    tx->is_head = m == 4 && memcmp(s, "HEAD", 4) == 0;
    tx->is_connect = m == 7 && memcmp(s, "CONNECT", 7) == 0;
    if (tx->is_connect)
        http_set_host(tx, url, ulen);
    else
        http_uri_host(tx, url, ulen);
    if (http09) {
        http_msg_done(cx, st, 0, false);
        d->phase = HP_START;
        return;
    }
    d->phase = HP_HEADERS;
}

/* The oldest request still waiting for its response. */
static struct http_tx *http_tx_awaiting(struct http_state *st)
{
    for (unsigned i = 0; i < st->nq; i++)
        if (!st->q[i]->has_resp && !st->q[i]->resp_done)
            return st->q[i];
    return NULL;
}

/* Bytes where a response should start were lost or unreadable: they were
 * (part of) the answer to the oldest waiting request, so that request is
 * reported without one and the next status line found goes to the next. */
static void http_resp_lost(struct app_cx *cx, struct http_state *st)
{
    struct http_tx *tx = http_tx_awaiting(st);
    if (!tx)
        return;
    tx->resp_done = true;
    tx->resp_truncated = true;
    http_tx_try_finish(cx, st, tx);
}

/* Status line "HTTP-version SP 3DIGIT SP reason" (RFC 9112 4). */
static void http_status_line(struct app_cx *cx, struct http_state *st, const uint8_t *s,
                             uint32_t n, bool overlong)
{
    struct http_dir *d = &st->d[1];
    if (n < 8 || !http_is_version(s, 8) || (n > 8 && s[8] != ' ')) {
        app_anomaly(cx, "http.invalid_status");
        http_resp_lost(cx, st);
        d->phase = HP_RESYNC;
        return;
    }
    if (overlong)
        app_anomaly(cx, "http.status_line_too_long");
    http_msg_reset(d);
    /* libhtp (and so Suricata) accepts 100..999. */
    int status = 0;
    if (n >= 12 && s[9] >= '1' && s[9] <= '9' && s[10] >= '0' && s[10] <= '9' && s[11] >= '0' &&
        s[11] <= '9' && (n == 12 || s[12] == ' '))
        status = (s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0');
    else
        app_anomaly(cx, "http.invalid_status");
    d->status = status;

    struct http_tx *tx = http_tx_awaiting(st);
    if (!tx) {
        /* After a gap in the client's stream its request is simply lost. */
        if (!st->d[0].gap_seen)
            app_anomaly(cx, "http.response_without_request");
        tx = xcalloc(1, sizeof(*tx));
        tx->req_done = true;
    }
    tx->has_resp = true;
    if (status)
        tx->status = status;
    if (!tx->resp_protocol.p)
        http_str_set(&tx->resp_protocol, s, 8, 8);
    d->tx = tx;
    d->phase = HP_HEADERS;
}

/* --- headers --- */

/* Content-Length: 1*DIGIT, or a list of identical values (RFC 9110 8.6). */
static void http_content_length(struct app_cx *cx, struct http_dir *d, const uint8_t *v,
                                uint32_t n)
{
    bool ok = n > 0, have = false;
    uint64_t val = 0;
    for (uint32_t i = 0; i < n && ok;) {
        uint32_t j = i;
        while (j < n && v[j] != ',')
            j++;
        const uint8_t *e = v + i;
        uint32_t elen = http_trim(&e, j - i);
        uint64_t x = 0;
        if (elen == 0)
            ok = false;
        for (uint32_t k = 0; k < elen && ok; k++) {
            if (e[k] < '0' || e[k] > '9' || x > HTTP_MAX_CONTENT_LENGTH / 10)
                ok = false;
            else
                x = x * 10 + (uint64_t)(e[k] - '0');
        }
        if (ok && x > HTTP_MAX_CONTENT_LENGTH)
            ok = false;
        if (ok && have && x != val) {
            /* "5, 6": two lengths in one field. */
            app_anomaly(cx, "http.content_length_conflict");
            d->cl_bad = true;
            return;
        }
        val = x;
        have = true;
        i = j + 1;
    }
    if (!ok) {
        if (!d->cl_bad)
            app_anomaly(cx, "http.invalid_content_length");
        d->cl_bad = true;
        return;
    }
    if (d->has_cl && d->cl != val) {
        app_anomaly(cx, "http.content_length_conflict");
        return;
    }
    d->has_cl = true;
    d->cl = val;
}

/* Transfer-Encoding: chunked only when it is the last coding (RFC 9112 6.1). */
static void http_transfer_encoding(struct http_dir *d, const uint8_t *v, uint32_t n)
{
    uint32_t i = n;
    while (i > 0 && v[i - 1] != ',')
        i--;
    const uint8_t *last = v + i;
    uint32_t llen = http_trim(&last, n - i);
    d->te = true;
    d->chunked = ptext_ieq(last, llen, "chunked");
}

/* Authorization: only the scheme is kept, and for Basic the user name
 * (RFC 7617: base64 of "user:password"); the decoded password is wiped. */
static void http_auth(struct http_tx *tx, struct http_str *f, const uint8_t *v, uint32_t n)
{
    uint32_t w = 0;
    while (w < n && !ptext_is_space(v[w]))
        w++;
    http_str_set(f, v, w, HTTP_MAX_FIELD);
    if (!ptext_ieq(v, w, "basic"))
        return;
    tx->cleartext_login = true;
    if (f != &tx->auth_scheme)
        return;
    const uint8_t *cred = v + w;
    uint32_t cn = http_trim(&cred, n - w);
    uint8_t dec[384];
    int dn = ptext_b64_decode(cred, cn, dec, sizeof(dec));
    if (dn > 0) {
        const uint8_t *colon = memchr(dec, ':', (size_t)dn);
        if (colon && colon > dec)
            http_str_set(&tx->auth_user, dec, (uint32_t)(colon - dec), MAIL_MAX_FIELD);
    }
    ptext_wipe(dec, sizeof(dec));
}

static void http_header(struct app_cx *cx, struct http_state *st, int dir, const uint8_t *s,
                        uint32_t n, bool overlong)
{
    struct http_dir *d = &st->d[dir];
    d->hdr_count++;
    d->hdr_bytes += n + 2;
    if (!d->hdr_flagged && (overlong || d->hdr_bytes > HTTP_MAX_HEADER_BLOCK)) {
        app_anomaly(cx, "http.header_too_long");
        d->hdr_flagged = true;
    } else if (!d->hdr_flagged && d->hdr_count > HTTP_MAX_HEADERS) {
        app_anomaly(cx, "http.too_many_headers");
        d->hdr_flagged = true;
    }
    if (ptext_is_space(s[0])) {
        const uint8_t *v = s;
        uint32_t vlen = http_trim(&v, n);
        if (d->fold && vlen)
            http_str_append(d->fold, v, vlen);
        return;
    }
    d->fold = NULL;
    const uint8_t *colon = memchr(s, ':', n);
    uint32_t nlen = colon ? (uint32_t)(colon - s) : 0;
    for (uint32_t i = 0; i < nlen; i++)
        if (!http_is_tchar(s[i]))
            nlen = 0;
    if (nlen == 0) {
        app_anomaly(cx, "http.header_invalid");
        return;
    }
    const uint8_t *v = colon + 1;
    uint32_t vlen = http_trim(&v, n - nlen - 1);

    if (ptext_ieq(s, nlen, "content-length")) {
        http_content_length(cx, d, v, vlen);
        return;
    }
    if (ptext_ieq(s, nlen, "transfer-encoding")) {
        http_transfer_encoding(d, v, vlen);
        return;
    }
    struct http_tx *tx = d->tx;
    if (!tx)
        return;
    struct http_str *f = NULL;
    uint32_t max = HTTP_MAX_FIELD;
    if (dir == 0) {
        if (ptext_ieq(s, nlen, "host")) {
            http_set_host(tx, v, vlen);
        } else if (ptext_ieq(s, nlen, "user-agent")) {
            f = &tx->user_agent;
        } else if (ptext_ieq(s, nlen, "referer")) {
            f = &tx->referer;
            max = HTTP_MAX_URL;
        } else if (ptext_ieq(s, nlen, "x-forwarded-for")) {
            f = &tx->xff;
        } else if (ptext_ieq(s, nlen, "content-type")) {
            f = &tx->req_content_type;
        } else if (ptext_ieq(s, nlen, "upgrade")) {
            f = &tx->req_upgrade;
        } else if (ptext_ieq(s, nlen, "authorization")) {
            http_auth(tx, &tx->auth_scheme, v, vlen);
        } else if (ptext_ieq(s, nlen, "proxy-authorization")) {
            http_auth(tx, &tx->proxy_auth_scheme, v, vlen);
        } else if (ptext_ieq(s, nlen, "cookie")) {
            tx->cookie = true;
        }
    } else {
        if (ptext_ieq(s, nlen, "content-type")) {
            /* Suricata logs the media type without its parameters. */
            const uint8_t *semi = memchr(v, ';', vlen);
            if (semi)
                vlen = http_trim(&v, (uint32_t)(semi - v));
            f = &tx->content_type;
        } else if (ptext_ieq(s, nlen, "location")) {
            f = &tx->location;
            max = HTTP_MAX_URL;
        } else if (ptext_ieq(s, nlen, "server")) {
            f = &tx->server;
        } else if (ptext_ieq(s, nlen, "content-encoding")) {
            f = &tx->content_encoding;
        } else if (ptext_ieq(s, nlen, "upgrade")) {
            f = &tx->upgrade;
        } else if (ptext_ieq(s, nlen, "set-cookie")) {
            tx->set_cookie = true;
        }
    }
    if (f)
        d->fold = http_str_set(f, v, vlen, max);
}

/* Body framing of a request (RFC 9112 6.3 items 4-7: no length means no
 * body). */
static void http_request_headers_done(struct app_cx *cx, struct http_state *st)
{
    struct http_dir *d = &st->d[0];
    struct http_tx *tx = d->tx;
    if (tx) {
        tx->has_req_cl = d->has_cl;
        tx->req_cl = d->cl;
        /* A urlencoded POST may be a login form: scan its start. */
        static const char form_type[] = "application/x-www-form-urlencoded";
        if (tx->method.p && ptext_ieq(tx->method.p, tx->method.len, "POST") &&
            tx->req_content_type.p &&
            ptext_iprefix(tx->req_content_type.p, tx->req_content_type.len, form_type) &&
            (d->chunked || (d->has_cl && d->cl > 0))) {
            tx->form = true;
            tx->fs = xcalloc(1, sizeof(*tx->fs));
        }
    }
    bool connect = tx && tx->is_connect;
    if (d->te) {
        if (d->has_cl || d->cl_bad)
            app_anomaly(cx, "http.content_length_conflict");
        if (d->chunked) {
            d->phase = HP_CHUNK_SIZE;
            return;
        }
        /* A request whose length cannot be known (RFC 9112 6.3 item 4). */
        http_msg_done(cx, st, 0, true);
        d->phase = HP_RESYNC;
        return;
    }
    if (d->cl_bad) {
        http_msg_done(cx, st, 0, true);
        d->phase = HP_RESYNC;
        return;
    }
    if (d->has_cl && d->cl > 0) {
        d->remain = d->cl;
        d->phase = HP_BODY_CL;
        return;
    }
    http_msg_done(cx, st, 0, false);
    d->phase = connect ? HP_CONNECT_WAIT : HP_START;
}

static void http_response_headers_done(struct app_cx *cx, struct http_state *st)
{
    struct http_dir *d = &st->d[1];
    struct http_tx *tx = d->tx;
    int status = d->status;
    if (tx) {
        tx->has_resp_cl = d->has_cl;
        tx->resp_cl = d->cl;
    }
    if (status == 101) {
        /* Switching protocols (WebSocket, h2c): nothing more for us. */
        if (tx) {
            tx->req_done = true;
            http_msg_done(cx, st, 1, false);
        }
        st->d[0].phase = HP_DONE;
        d->phase = HP_DONE;
        app_done(cx, -1);
        return;
    }
    if (status >= 100 && status < 200) {
        /* Interim (100 Continue, 103 Early Hints): the final response for
         * the same request follows. */
        if (tx && tx->queued)
            tx->has_resp = false;
        else if (tx)
            http_tx_drop(st, tx);
        http_msg_reset(d);
        d->phase = HP_START;
        return;
    }
    if (tx && tx->is_connect) {
        if (st->d[0].phase == HP_CONNECT_WAIT)
            st->d[0].phase = HP_START;
        if (status >= 200 && status < 300) {
            st->connect_port = tx->has_port ? tx->port : 0;
            tx->req_done = true;
            http_msg_done(cx, st, 1, false);
            st->d[0].phase = HP_DONE;
            d->phase = HP_TUNNEL;
            return;
        }
    }
    if ((tx && tx->is_head) || status == 204 || status == 304) {
        http_msg_done(cx, st, 1, false);
        d->phase = HP_START;
        return;
    }
    if (d->te) {
        if (d->has_cl || d->cl_bad)
            app_anomaly(cx, "http.content_length_conflict");
        d->phase = d->chunked ? HP_CHUNK_SIZE : HP_BODY_CLOSE;
        return;
    }
    if (d->cl_bad) {
        http_msg_done(cx, st, 1, true);
        d->phase = HP_RESYNC;
        return;
    }
    if (d->has_cl) {
        if (d->cl == 0) {
            http_msg_done(cx, st, 1, false);
            d->phase = HP_START;
        } else {
            d->remain = d->cl;
            d->phase = HP_BODY_CL;
        }
        return;
    }
    d->phase = HP_BODY_CLOSE;
}

/* chunk-size [ chunk-ext ] (RFC 9112 7.1): hex digits, then optional blanks
 * and ";" extensions. */
static void http_chunk_size(struct app_cx *cx, struct http_state *st, int dir, const uint8_t *s,
                            uint32_t n)
{
    struct http_dir *d = &st->d[dir];
    uint64_t v = 0;
    uint32_t i = 0;
    bool ok = true;
    for (; i < n; i++) {
        uint8_t c = ptext_lower(s[i]);
        int h = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (h < 0)
            break;
        if (v > HTTP_MAX_CHUNK_SIZE) {
            ok = false;
            break;
        }
        v = v * 16 + (uint64_t)h;
    }
    if (i == 0 || v > HTTP_MAX_CHUNK_SIZE)
        ok = false;
    while (ok && i < n && ptext_is_space(s[i]))
        i++;
    if (ok && i < n && s[i] != ';')
        ok = false;
    if (!ok) {
        app_anomaly(cx, "http.chunk_size_invalid");
        http_msg_done(cx, st, dir, true);
        d->phase = HP_RESYNC;
        return;
    }
    if (v == 0) {
        d->phase = HP_TRAILERS;
        d->hdr_bytes = 0;
        d->hdr_count = 0;
        return;
    }
    d->remain = v;
    d->phase = HP_CHUNK_DATA;
}

static void http_start_line(struct app_cx *cx, struct http_state *st, int dir,
                            const uint8_t *s, uint32_t n, bool overlong)
{
    /* RFC 9112 2.2: empty lines before a start line are ignored. */
    if (n == 0)
        return;
    if (dir == 0)
        http_request_line(cx, st, s, n, overlong);
    else
        http_status_line(cx, st, s, n, overlong);
}

static void http_on_line(struct app_cx *cx, struct http_state *st, int dir, const uint8_t *s,
                         uint32_t n, bool overlong)
{
    struct http_dir *d = &st->d[dir];
    switch (d->phase) {
    case HP_RESYNC: {
        uint32_t off;
        if (!http_find_start(s, n, dir, &off))
            return;
        d->phase = HP_START;
        http_start_line(cx, st, dir, s + off, n - off, overlong);
        return;
    }
    case HP_START:
        http_start_line(cx, st, dir, s, n, overlong);
        return;
    case HP_HEADERS:
        if (n == 0) {
            if (dir == 0)
                http_request_headers_done(cx, st);
            else
                http_response_headers_done(cx, st);
            return;
        }
        http_header(cx, st, dir, s, n, overlong);
        return;
    case HP_CHUNK_SIZE:
        http_chunk_size(cx, st, dir, s, n);
        return;
    case HP_CHUNK_END:
        if (n != 0) {
            app_anomaly(cx, "http.chunk_size_invalid");
            http_msg_done(cx, st, dir, true);
            d->phase = HP_RESYNC;
            return;
        }
        d->phase = HP_CHUNK_SIZE;
        return;
    case HP_TRAILERS:
        if (n == 0) {
            http_msg_done(cx, st, dir, false);
            d->phase = HP_START;
            return;
        }
        /* Trailer fields count against the header limits but are not kept. */
        d->hdr_count++;
        d->hdr_bytes += n + 2;
        if (!d->hdr_flagged && (overlong || d->hdr_bytes > HTTP_MAX_HEADER_BLOCK ||
                                d->hdr_count > HTTP_MAX_HEADERS)) {
            app_anomaly(cx, overlong || d->hdr_bytes > HTTP_MAX_HEADER_BLOCK
                                ? "http.header_too_long"
                                : "http.too_many_headers");
            d->hdr_flagged = true;
        }
        return;
    case HP_BODY_CL:
    case HP_CHUNK_DATA:
    case HP_BODY_CLOSE:
    case HP_CONNECT_WAIT:
    case HP_TUNNEL:
    case HP_DONE:
        break;
    }
}

/* A CONNECT was accepted: the tunnel is TLS when its first bytes say so
 * (a handshake record, 0x16 0x03); when none arrived yet in this feed, the
 * target port decides, since app_upgrade() must be called before the next
 * feed carries the ClientHello. */
static void http_tunnel(struct app_cx *cx, struct http_state *st, const uint8_t *data,
                        uint32_t len)
{
    static const uint16_t tls_ports[] = {443, 8443, 993, 995, 465, 636, 853, 5223, 5061};
    bool tls = false;
    if (len > 0) {
        tls = data[0] == 0x16 && (len < 2 || data[1] == 0x03);
    } else {
        for (size_t i = 0; i < ARRAY_SIZE(tls_ports); i++)
            if (st->connect_port == tls_ports[i])
                tls = true;
    }
    st->d[0].phase = HP_DONE;
    st->d[1].phase = HP_DONE;
    if (tls)
        app_upgrade(cx, APP_TLS);
    else
        app_done(cx, -1);
}

/* --- the parser interface --- */

static enum app_probe_result http_probe(const uint8_t *data, uint32_t len, int dir)
{
    if (len == 0)
        return APP_PROBE_NEED_MORE;
    if (dir != 0) {
        static const char v[] = "HTTP/1.";
        uint32_t n = MIN(len, (uint32_t)sizeof(v) - 1);
        if (memcmp(data, v, n) != 0)
            return APP_PROBE_NO;
        return n == sizeof(v) - 1 ? APP_PROBE_YES : APP_PROBE_NEED_MORE;
    }
    bool partial = false;
    for (size_t i = 0; i < ARRAY_SIZE(http_methods); i++) {
        uint32_t ml = (uint32_t)strlen(http_methods[i]);
        if (len > ml) {
            if (memcmp(data, http_methods[i], ml) == 0 && data[ml] == ' ')
                return APP_PROBE_YES;
        } else if (memcmp(data, http_methods[i], len) == 0) {
            partial = true;
        }
    }
    return partial ? APP_PROBE_NEED_MORE : APP_PROBE_NO;
}

/* Every pass of the loop consumes at least one byte, so it ends within len
 * passes; lines are bounded by HTTP_MAX_LINE, bodies are only counted. */
static void http_feed(struct app_cx *cx, void *state, int dir, const uint8_t *data, uint32_t len)
{
    struct http_state *st = state;
    dir = dir ? 1 : 0;
    struct http_dir *d = &st->d[dir];
    while (len > 0) {
        switch (d->phase) {
        case HP_DONE:
            return;
        case HP_TUNNEL:
            http_tunnel(cx, st, data, len);
            return;
        case HP_CONNECT_WAIT:
            /* Bytes an eager client tunnels before the answer: not HTTP. */
            return;
        case HP_BODY_CLOSE:
            if (d->tx)
                d->tx->resp_body += len;
            return;
        case HP_BODY_CL:
        case HP_CHUNK_DATA: {
            uint32_t take = d->remain < len ? (uint32_t)d->remain : len;
            if (d->tx) {
                if (dir == 0) {
                    d->tx->req_body += take;
                    if (d->tx->form)
                        http_form_scan(d->tx, data, take);
                } else {
                    d->tx->resp_body += take;
                }
            }
            d->remain -= take;
            data += take;
            len -= take;
            if (d->remain == 0) {
                if (d->phase == HP_CHUNK_DATA) {
                    d->phase = HP_CHUNK_END;
                } else {
                    bool connect = dir == 0 && d->tx && d->tx->is_connect;
                    http_msg_done(cx, st, dir, false);
                    d->phase = connect ? HP_CONNECT_WAIT : HP_START;
                }
            }
            break;
        }
        case HP_START:
        case HP_HEADERS:
        case HP_CHUNK_SIZE:
        case HP_CHUNK_END:
        case HP_TRAILERS:
        case HP_RESYNC:
            d->line.max = HTTP_MAX_LINE;
            if (!app_line_take(&d->line, &data, &len))
                return;
            http_on_line(cx, st, dir, d->line.buf, d->line.len, d->line.overlong);
            app_line_reset(&d->line);
            break;
        }
    }
    if (d->phase == HP_TUNNEL)
        http_tunnel(cx, st, NULL, 0);
}

/* Bytes were lost: the message in progress is cut, and the direction looks
 * for the next start line. A body read until close just goes on. */
static void http_gap(struct app_cx *cx, void *state, int dir)
{
    struct http_state *st = state;
    dir = dir ? 1 : 0;
    struct http_dir *d = &st->d[dir];
    d->gap_seen = true;
    app_line_reset(&d->line);
    switch (d->phase) {
    case HP_DONE:
    case HP_TUNNEL:
    case HP_CONNECT_WAIT:
        return;
    case HP_BODY_CLOSE:
        if (d->tx)
            d->tx->resp_truncated = true;
        return;
    case HP_START:
        if (dir == 1)
            http_resp_lost(cx, st);
        d->phase = HP_RESYNC;
        return;
    case HP_RESYNC:
        return;
    case HP_HEADERS:
    case HP_CHUNK_SIZE:
    case HP_CHUNK_END:
    case HP_TRAILERS:
    case HP_BODY_CL:
    case HP_CHUNK_DATA:
        http_msg_done(cx, st, dir, true);
        d->phase = HP_RESYNC;
        return;
    }
}

/* Flow end: every transaction still open is reported as it stands. */
static void http_end(struct app_cx *cx, void *state)
{
    struct http_state *st = state;
    for (int dir = 0; dir < 2; dir++) {
        struct http_tx *tx = st->d[dir].tx;
        if (!tx)
            continue;
        /* A body read until close ends with the connection; any other
         * message still open was cut. */
        bool cut = !(dir == 1 && st->d[dir].phase == HP_BODY_CLOSE);
        if (dir == 0)
            tx->req_truncated |= cut;
        else
            tx->resp_truncated |= cut;
    }
    struct http_tx *lone = st->d[1].tx && !st->d[1].tx->queued ? st->d[1].tx : NULL;
    while (st->nq > 0) {
        struct http_tx *tx = st->q[0];
        http_tx_emit(cx, tx);
        http_tx_drop(st, tx);
    }
    if (lone) {
        http_tx_emit(cx, lone);
        http_tx_drop(st, lone);
    }
    st->d[0].phase = HP_DONE;
    st->d[1].phase = HP_DONE;
}

static void http_release(void *state)
{
    struct http_state *st = state;
    if (st->d[1].tx && !st->d[1].tx->queued)
        http_tx_drop(st, st->d[1].tx);
    while (st->nq > 0)
        http_tx_drop(st, st->q[0]);
    for (int dir = 0; dir < 2; dir++) {
        app_line_free(&st->d[dir].line);
    }
}

const struct app_parser app_parser_http = {
    .id = APP_HTTP,
    .name = "http",
    .ipproto = 6,
    .ports = http_ports,
    .probe = http_probe,
    .state_size = sizeof(struct http_state),
    .feed = http_feed,
    .gap = http_gap,
    .end = http_end,
    .release = http_release,
};
