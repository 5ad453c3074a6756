/* weblog.c - access log lines into "http" events (weblog.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app/app.h"
#include "util/netaddr.h"
#include "util/util.h"
#include "weblog/weblog.h"

int weblog_format_parse(const char *s, enum weblog_format *out)
{
    if (strcmp(s, "auto") == 0)
        *out = WEBLOG_AUTO;
    else if (strcmp(s, "combined") == 0)
        *out = WEBLOG_COMBINED;
    else if (strcmp(s, "common") == 0)
        *out = WEBLOG_COMMON;
    else
        return -1;
    return 0;
}

/* A cursor over the line. */
struct wl_cur {
    const char *p;
    size_t n, i;
};

static bool wl_eof(const struct wl_cur *c)
{
    return c->i >= c->n;
}

static bool wl_char(struct wl_cur *c, char ch)
{
    if (wl_eof(c) || c->p[c->i] != ch)
        return false;
    c->i++;
    return true;
}

static void wl_spaces(struct wl_cur *c)
{
    while (!wl_eof(c) && (c->p[c->i] == ' ' || c->p[c->i] == '\t'))
        c->i++;
}

/* A token up to the next blank; copied (cut) into out. Returns its length
 * (0: none). */
static size_t wl_token(struct wl_cur *c, char *out, size_t outlen)
{
    size_t start = c->i;
    while (!wl_eof(c) && c->p[c->i] != ' ' && c->p[c->i] != '\t')
        c->i++;
    size_t len = c->i - start;
    if (out) {
        size_t k = MIN(len, outlen - 1);
        memcpy(out, c->p + start, k);
        out[k] = '\0';
    }
    return len;
}

/* A "quoted" field with \" and \\ unescaped (other escapes kept as text),
 * cut to outlen - 1 bytes; *full gets the field's real length. */
static bool wl_quoted(struct wl_cur *c, char *out, size_t outlen, size_t *full)
{
    if (!wl_char(c, '"'))
        return false;
    size_t o = 0, len = 0;
    while (!wl_eof(c)) {
        char ch = c->p[c->i++];
        if (ch == '"') {
            out[o] = '\0';
            if (full)
                *full = len;
            return true;
        }
        if (ch == '\\' && !wl_eof(c) && (c->p[c->i] == '"' || c->p[c->i] == '\\'))
            ch = c->p[c->i++];
        if (ch == '\0')
            ch = ' ';
        if (o + 1 < outlen)
            out[o++] = ch;
        len++;
    }
    return false; /* unterminated */
}

static bool wl_digits(const char *s, size_t n, unsigned *out)
{
    unsigned v = 0;
    if (n == 0 || n > 9)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    *out = v;
    return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil). */
static int64_t wl_days(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/* [26/Nov/2026:09:15:02 +0900] (the brackets included). */
static bool wl_time(struct wl_cur *c, uint64_t *ts_us)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    if (c->n - c->i < 28 || c->p[c->i] != '[')
        return false;
    const char *s = c->p + c->i + 1;
    unsigned day, year, hh, mm, ss, zh, zm, mon = 0;
    if (!wl_digits(s, 2, &day) || s[2] != '/' || s[6] != '/' || !wl_digits(s + 7, 4, &year) ||
        s[11] != ':' || !wl_digits(s + 12, 2, &hh) || s[14] != ':' ||
        !wl_digits(s + 15, 2, &mm) || s[17] != ':' || !wl_digits(s + 18, 2, &ss) ||
        s[20] != ' ' || (s[21] != '+' && s[21] != '-') || !wl_digits(s + 22, 2, &zh) ||
        !wl_digits(s + 24, 2, &zm) || s[26] != ']')
        return false;
    for (unsigned k = 0; k < 12; k++)
        if (memcmp(s + 3, months + 3 * k, 3) == 0)
            mon = k + 1;
    if (!mon || day < 1 || day > 31 || year < 1970 || hh > 23 || mm > 59 || ss > 60 || zh > 23 ||
        zm > 59)
        return false;
    int64_t t = wl_days(year, mon, day) * 86400 + hh * 3600 + mm * 60 + ss;
    int64_t zone = (int64_t)(zh * 3600 + zm * 60);
    t -= s[21] == '+' ? zone : -zone;
    if (t < 0)
        return false;
    *ts_us = (uint64_t)t * 1000000ull;
    c->i += 28;
    return true;
}

/* RFC 9110 tchar, for telling a method from junk (a TLS hello sent to
 * port 80 is logged as "\x16\x03\x01..."). */
static bool wl_method_ok(const char *m)
{
    if (!m[0])
        return false;
    for (const char *p = m; *p; p++) {
        char ch = *p;
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == '-' || ch == '_'))
            return false;
    }
    return true;
}

static void wl_split_request(struct weblog_req *r, const char *req)
{
    const char *sp1 = strchr(req, ' ');
    if (sp1 && (size_t)(sp1 - req) < sizeof(r->method)) {
        memcpy(r->method, req, (size_t)(sp1 - req));
        r->method[sp1 - req] = '\0';
        if (wl_method_ok(r->method)) {
            const char *u = sp1 + 1;
            const char *sp2 = strrchr(u, ' ');
            size_t ulen = sp2 ? (size_t)(sp2 - u) : strlen(u);
            if (sp2 && strncmp(sp2 + 1, "HTTP/", 5) == 0 && strlen(sp2 + 1) < sizeof(r->protocol))
                memcpy(r->protocol, sp2 + 1, strlen(sp2 + 1) + 1);
            else
                ulen = strlen(u);
            ulen = MIN(ulen, sizeof(r->uri) - 1);
            memcpy(r->uri, u, ulen);
            r->uri[ulen] = '\0';
            return;
        }
    }
    r->method[0] = '\0';
    size_t n = MIN(strlen(req), sizeof(r->uri) - 1);
    memcpy(r->uri, req, n);
    r->uri[n] = '\0';
}

int weblog_parse_line(const char *line, size_t len, enum weblog_format fmt,
                      struct weblog_req *r)
{
    memset(r, 0, sizeof(*r));
    if (len > WEBLOG_MAX_LINE)
        return -1;
    while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == '\n'))
        len--;
    struct wl_cur c = {line, len, 0};
    char tok[64];

    /* %h: the client address (HostnameLookups off, as is the default). */
    if (wl_token(&c, tok, sizeof(tok)) >= sizeof(tok) || ip_addr_parse(tok, &r->client) < 0)
        return -1;
    /* %l %u: identity and user, never looked at. */
    wl_spaces(&c);
    if (!wl_token(&c, NULL, 0))
        return -1;
    wl_spaces(&c);
    if (!wl_token(&c, NULL, 0))
        return -1;
    wl_spaces(&c);
    if (!wl_time(&c, &r->ts_us))
        return -1;
    wl_spaces(&c);
    char req[sizeof(r->uri) + 64];
    if (!wl_quoted(&c, req, sizeof(req), NULL))
        return -1;
    wl_split_request(r, req);
    wl_spaces(&c);
    unsigned v;
    size_t n = wl_token(&c, tok, sizeof(tok));
    if (n != 3 || !wl_digits(tok, 3, &v) || v < 100)
        return -1;
    r->status = (int)v;
    wl_spaces(&c);
    n = wl_token(&c, tok, sizeof(tok));
    if (n == 1 && tok[0] == '-') {
        r->has_bytes = false;
    } else {
        uint64_t b;
        if (n == 0 || n >= sizeof(tok) || parse_u64(tok, &b) < 0)
            return -1;
        r->has_bytes = true;
        r->bytes = b;
    }
    if (fmt == WEBLOG_COMMON)
        return 0;
    wl_spaces(&c);
    if (wl_eof(&c))
        return fmt == WEBLOG_COMBINED ? -1 : 0;
    struct wl_cur save = c;
    if (!wl_quoted(&c, r->referer, sizeof(r->referer), NULL)) {
        if (fmt == WEBLOG_COMBINED)
            return -1;
        c = save; /* auto: something else follows the size; take it as common */
        r->referer[0] = '\0';
        return 0;
    }
    wl_spaces(&c);
    if (!wl_quoted(&c, r->user_agent, sizeof(r->user_agent), NULL)) {
        if (fmt == WEBLOG_COMBINED)
            return -1;
        r->referer[0] = r->user_agent[0] = '\0';
        return 0;
    }
    r->has_referer = r->referer[0] && strcmp(r->referer, "-") != 0;
    r->has_ua = r->user_agent[0] && strcmp(r->user_agent, "-") != 0;
    return 0;
}

/* ------------------------------------------------------------------ feed */

struct weblog_feed {
    struct detect *d;
    char *site;
    struct ip_addr server;
    uint16_t port;
    uint64_t nreq;
    uint64_t last_tick_s;
};

struct weblog_feed *weblog_feed_new(struct detect *d, const char *site,
                                    const struct ip_addr *server, uint16_t port)
{
    struct weblog_feed *wf = xcalloc(1, sizeof(*wf));
    wf->d = d;
    wf->site = site && site[0] ? xstrdup(site) : NULL;
    if (server)
        wf->server = *server;
    wf->port = port;
    return wf;
}

void weblog_feed_free(struct weblog_feed *wf)
{
    if (!wf)
        return;
    free(wf->site);
    free(wf);
}

static bool wl_is_v4(const struct ip_addr *a)
{
    static const uint8_t pfx[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    return memcmp(a->b, pfx, 12) == 0;
}

void weblog_feed_req(struct weblog_feed *wf, const struct weblog_req *r)
{
    uint64_t sec = r->ts_us / 1000000ull;
    if (sec > wf->last_tick_s) {
        wf->last_tick_s = sec;
        detect_tick(wf->d, r->ts_us);
    }
    struct flow f;
    memset(&f, 0, sizeof(f));
    f.id = ++wf->nreq;
    f.first_ts_us = f.last_ts_us = r->ts_us;
    f.proto = 6;
    f.ip_version = wl_is_v4(&r->client) ? 4 : 6;
    f.src = r->client;
    f.dst = wf->server;
    f.sport = (uint16_t)(49152 + f.id % 16384);
    f.dport = wf->port;
    f.pkts[0] = f.pkts[1] = 1;
    snprintf(f.app_proto, sizeof(f.app_proto), "%s", "http");

    /* The shape proto-http.c reports. */
    json_t *b = json_object();
    if (wf->site)
        app_json_set_bytes(b, "hostname", (const uint8_t *)wf->site, strlen(wf->site), 255);
    app_json_set_bytes(b, "url", (const uint8_t *)r->uri, strlen(r->uri), sizeof(r->uri));
    if (r->has_ua)
        app_json_set_bytes(b, "http_user_agent", (const uint8_t *)r->user_agent,
                           strlen(r->user_agent), sizeof(r->user_agent));
    if (r->has_referer)
        app_json_set_bytes(b, "http_refer", (const uint8_t *)r->referer, strlen(r->referer),
                           sizeof(r->referer));
    if (r->method[0])
        app_json_set_bytes(b, "http_method", (const uint8_t *)r->method, strlen(r->method),
                           sizeof(r->method));
    if (r->protocol[0])
        app_json_set_bytes(b, "protocol", (const uint8_t *)r->protocol, strlen(r->protocol),
                           sizeof(r->protocol));
    json_object_set_new(b, "status", json_integer(r->status));
    json_object_set_new(b, "length", json_integer(r->has_bytes && r->bytes < (1ull << 62)
                                                      ? (json_int_t)r->bytes
                                                      : 0));
    struct app_event ev;
    memset(&ev, 0, sizeof(ev));
    ev.type = "http";
    ev.f = &f;
    ev.ts_us = r->ts_us;
    ev.dir = 0;
    ev.app_proto = "http";
    ev.body = b;
    detect_app_event(wf->d, &ev);
    json_decref(b);
}
