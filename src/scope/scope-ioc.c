/* scope-ioc.c - what `mamori scope` is asked about: parsing the indicator.
 *
 * The kind is guessed from the text unless a prefix (ip:, domain:, url:,
 * ja3:, ja4:, device:, alert:) says it. A guess never depends on the store,
 * so the same text always means the same thing.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decode/decode.h"
#include "scope/scope.h"
#include "util/i18n.h"
#include "util/util.h"

const char *scope_ioc_kind_name(enum scope_ioc_kind k)
{
    static const char *const names[] = {"ip", "cidr", "domain", "url", "ja3", "ja4", "device",
                                        "alert"};
    return (unsigned)k < ARRAY_SIZE(names) ? names[k] : "unknown";
}

static bool all_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isxdigit((unsigned char)s[i]))
            return false;
    return s[n] == '\0';
}

/* JA4: t13d1516h2_8daaf6152771_e5627efa2ab1 (FoxIO): protocol t/q/d, TLS
 * version, d/i, two 2-digit counts, two ALPN characters, then two 12-hex
 * hashes. */
static bool is_ja4(const char *s)
{
    if (strlen(s) != 36 || s[10] != '_' || s[23] != '_')
        return false;
    if (!strchr("tqd", s[0]) || !isalnum((unsigned char)s[1]) || !isalnum((unsigned char)s[2]) ||
        !strchr("di", s[3]))
        return false;
    for (int i = 4; i < 8; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    if (!isalnum((unsigned char)s[8]) || !isalnum((unsigned char)s[9]))
        return false;
    for (int i = 11; i < 23; i++)
        if (!isxdigit((unsigned char)s[i]))
            return false;
    for (int i = 24; i < 36; i++)
        if (!isxdigit((unsigned char)s[i]))
            return false;
    return true;
}

/* A DNS name as users type it: labels of letters, digits, '-' and '_'
 * (SRV and some malware names), 1-63 bytes each, 253 in all. Lower-cases
 * it and drops one trailing dot. */
static bool domain_norm(const char *s, char *out, size_t outlen)
{
    size_t n = strlen(s);
    if (n && s[n - 1] == '.')
        n--;
    if (n == 0 || n > 253 || n >= outlen)
        return false;
    size_t label = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '.') {
            if (label == 0)
                return false;
            label = 0;
        } else if (isalnum(c) || c == '-' || c == '_') {
            if (++label > 63)
                return false;
        } else {
            return false;
        }
        out[i] = (char)tolower(c);
    }
    out[n] = '\0';
    return label > 0;
}

/* One-line reason in the current language; en and ja are literals. */
#define fail(err, errlen, en, ja, s) (snprintf((err), (errlen), TR(en, ja), (s)), -1)

static int parse_ip(const char *s, struct scope_ioc *o, char *err, size_t errlen)
{
    char e[128];
    if (strlen(s) > 60 || netset_parse(&o->net, s, e, sizeof(e)) < 0 || o->net.n != 1)
        return fail(err, errlen, "'%s' is not an IP address or network (e.g. 203.0.113.5, "
                                 "203.0.113.0/24)",
                    "'%s' は IP アドレスやネットワークとして読めません（例: 203.0.113.5、"
                    "203.0.113.0/24）",
                    s);
    o->v4 = ip_addr_is_v4(&o->net.net[0]);
    unsigned maxbits = o->v4 ? 32 : 128;
    o->prefix = o->net.bits[0] - (o->v4 ? 96 : 0);
    o->kind = o->prefix == maxbits ? SCOPE_IOC_IP : SCOPE_IOC_CIDR;
    char a[48];
    ip_addr_fmt(&o->net.net[0], a, sizeof(a));
    if (o->kind == SCOPE_IOC_IP)
        snprintf(o->text, sizeof(o->text), "%s", a);
    else
        snprintf(o->text, sizeof(o->text), "%s/%u", a, o->prefix);
    return 0;
}

static int parse_domain(const char *s, struct scope_ioc *o, char *err, size_t errlen)
{
    if (!domain_norm(s, o->host, sizeof(o->host)))
        return fail(err, errlen, "'%s' is not a domain name (e.g. evil.example.com)",
                    "'%s' はドメイン名として読めません（例: evil.example.com）", s);
    o->kind = SCOPE_IOC_DOMAIN;
    snprintf(o->text, sizeof(o->text), "%s", o->host);
    return 0;
}

/* http(s)://host[:port][/path[?query]]: the host (a name or an address,
 * IPv6 in brackets) and the path as an HTTP request line carries it. */
static int parse_url(const char *s, struct scope_ioc *o, char *err, size_t errlen)
{
#define en "'%s' is not a URL (e.g. http://evil.example/payload.bin)"
#define ja "'%s' は URL として読めません（例: http://evil.example/payload.bin）"
    const char *p;
    if (strncasecmp(s, "http://", 7) == 0) {
        p = s + 7;
    } else if (strncasecmp(s, "https://", 8) == 0) {
        p = s + 8;
        o->https = true;
    } else {
        return fail(err, errlen, en, ja, s);
    }
    size_t hl = strcspn(p, "/?#");
    const char *rest = p + hl;
    char host[256];
    if (hl == 0 || hl >= sizeof(host))
        return fail(err, errlen, en, ja, s);
    memcpy(host, p, hl);
    host[hl] = '\0';
    char *at = strrchr(host, '@'); /* user:pass@ is never sent in Host */
    char *h = at ? at + 1 : host;
    if (h[0] == '[') {
        char *close = strchr(h, ']');
        if (!close)
            return fail(err, errlen, en, ja, s);
        *close = '\0';
        h++;
        struct ip_addr a;
        if (ip_addr_parse(h, &a) < 0)
            return fail(err, errlen, en, ja, s);
        snprintf(o->host, sizeof(o->host), "%s", h);
    } else {
        char *colon = strchr(h, ':');
        if (colon) {
            uint64_t port;
            if (parse_u64(colon + 1, &port) < 0 || port == 0 || port > 65535)
                return fail(err, errlen, en, ja, s);
            *colon = '\0';
        }
        struct ip_addr a;
        if (ip_addr_parse(h, &a) == 0)
            snprintf(o->host, sizeof(o->host), "%s", h);
        else if (!domain_norm(h, o->host, sizeof(o->host)))
            return fail(err, errlen, en, ja, s);
    }
    size_t pl = strcspn(rest, "#");
    if (pl >= sizeof(o->path))
        return fail(err, errlen,
                    "the URL '%.60s...' is too long", "URL '%.60s...' が長すぎます", s);
    memcpy(o->path, rest, pl);
    o->path[pl] = '\0';
    for (size_t i = 0; i < pl; i++)
        if ((unsigned char)o->path[i] <= ' ')
            return fail(err, errlen, en, ja, s);
    if (strcmp(o->path, "/") == 0)
        o->path[0] = '\0';
#undef en
#undef ja
    o->kind = SCOPE_IOC_URL;
    snprintf(o->text, sizeof(o->text), "%s://%s%s", o->https ? "https" : "http", o->host,
             o->path[0] ? o->path : "/");
    return 0;
}

/* s: the digits; shown: the indicator as typed, for the message. */
static int parse_alert(const char *s, const char *shown, struct scope_ioc *o, char *err,
                       size_t errlen)
{
    uint64_t id;
    if (parse_u64(s, &id) < 0 || id == 0 || id > INT64_MAX)
        return fail(err, errlen, "'%s' is not an alert number (e.g. alert:12 or #12)",
                    "'%s' は警告番号として読めません（例: alert:12、#12）", shown);
    o->kind = SCOPE_IOC_ALERT;
    o->alert_id = (int64_t)id;
    snprintf(o->text, sizeof(o->text), "alert:%lld", (long long)id);
    return 0;
}

static int parse_device(const char *s, struct scope_ioc *o, char *err, size_t errlen)
{
    o->kind = SCOPE_IOC_DEVICE;
    if (mac_parse(s, o->mac) == 0) {
        o->has_mac = true;
        mac_fmt(o->mac, o->text);
        return 0;
    }
    size_t n = strlen(s);
    if (n == 0 || n >= sizeof(o->devname))
        return fail(err, errlen, "'%s' is not a device name or MAC address",
                    "'%s' は機器名や MAC アドレスとして読めません", s);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < ' ' || s[i] == 0x7f)
            return fail(err, errlen, "'%s' is not a device name or MAC address",
                        "'%s' は機器名や MAC アドレスとして読めません", s);
    snprintf(o->devname, sizeof(o->devname), "%s", s);
    snprintf(o->text, sizeof(o->text), "%s", s);
    return 0;
}

static int parse_fp(const char *s, struct scope_ioc *o, enum scope_ioc_kind k, char *err,
                    size_t errlen)
{
    size_t n = strlen(s);
    if (k == SCOPE_IOC_JA3 ? (n != 32 || !all_hex(s, 32)) : !is_ja4(s))
        return fail(err, errlen,
                    k == SCOPE_IOC_JA3 ? "'%s' is not a JA3 hash (32 hex digits)"
                                       : "'%s' is not a JA4 fingerprint (e.g. "
                                         "t13d1516h2_8daaf6152771_e5627efa2ab1)",
                    k == SCOPE_IOC_JA3 ? "'%s' は JA3 ハッシュ（16 進 32 桁）として読めません"
                                       : "'%s' は JA4 フィンガープリントとして読めません（例: "
                                         "t13d1516h2_8daaf6152771_e5627efa2ab1）",
                    s);
    o->kind = k;
    for (size_t i = 0; i <= n; i++)
        o->fp[i] = k == SCOPE_IOC_JA3 ? (char)tolower((unsigned char)s[i]) : s[i];
    snprintf(o->text, sizeof(o->text), "%s", o->fp);
    return 0;
}

int scope_ioc_parse(const char *in, struct scope_ioc *o, char *err, size_t errlen)
{
    memset(o, 0, sizeof(*o));
    char buf[600];
    size_t n = strlen(in);
    while (n && isspace((unsigned char)in[n - 1]))
        n--;
    while (n && isspace((unsigned char)*in)) {
        in++;
        n--;
    }
    if (n == 0)
        return fail(err, errlen, "%sthe indicator is empty", "%s調べる対象（IOC）が空です", "");
    if (n >= sizeof(buf))
        return fail(err, errlen, "the indicator '%.40s...' is too long",
                    "調べる対象 '%.40s...' が長すぎます", in);
    memcpy(buf, in, n);
    buf[n] = '\0';
    const char *s = buf;
    static const struct {
        const char *prefix;
        int kind;
    } forced[] = {
        {"ip:", SCOPE_IOC_IP},         {"domain:", SCOPE_IOC_DOMAIN}, {"url:", SCOPE_IOC_URL},
        {"ja3:", SCOPE_IOC_JA3},       {"ja4:", SCOPE_IOC_JA4},       {"device:", SCOPE_IOC_DEVICE},
        {"alert:", SCOPE_IOC_ALERT},
    };
    for (size_t i = 0; i < ARRAY_SIZE(forced); i++) {
        size_t pl = strlen(forced[i].prefix);
        if (strncasecmp(s, forced[i].prefix, pl) != 0)
            continue;
        const char *v = s + pl;
        switch (forced[i].kind) {
        case SCOPE_IOC_IP: return parse_ip(v, o, err, errlen);
        case SCOPE_IOC_DOMAIN: return parse_domain(v, o, err, errlen);
        case SCOPE_IOC_URL: return parse_url(v, o, err, errlen);
        case SCOPE_IOC_JA3: return parse_fp(v, o, SCOPE_IOC_JA3, err, errlen);
        case SCOPE_IOC_JA4: return parse_fp(v, o, SCOPE_IOC_JA4, err, errlen);
        case SCOPE_IOC_DEVICE: return parse_device(v, o, err, errlen);
        default: return parse_alert(v, s, o, err, errlen);
        }
    }
    if (s[0] == '#')
        return parse_alert(s + 1, s, o, err, errlen);
    if (strstr(s, "://"))
        return parse_url(s, o, err, errlen);
    struct ip_addr a;
    char head[64];
    size_t hl = strcspn(s, "/");
    if (hl < sizeof(head)) {
        memcpy(head, s, hl);
        head[hl] = '\0';
        if (ip_addr_parse(head, &a) == 0)
            return parse_ip(s, o, err, errlen);
    }
    if (n == 32 && all_hex(s, 32))
        return parse_fp(s, o, SCOPE_IOC_JA3, err, errlen);
    if (is_ja4(s))
        return parse_fp(s, o, SCOPE_IOC_JA4, err, errlen);
    uint8_t mac[6];
    if (strchr(s, ':') || strchr(s, '-') || (n == 12 && all_hex(s, 12))) {
        if (mac_parse(s, mac) == 0)
            return parse_device(s, o, err, errlen);
    }
    if (strchr(s, '.')) {
        /* 1.2.3 or 300.1.1.1: a mistyped address, not a domain */
        bool digits = true;
        for (const char *p = s; *p; p++)
            if (!isdigit((unsigned char)*p) && *p != '.' && *p != '/')
                digits = false;
        if (digits)
            return parse_ip(s, o, err, errlen);
        if (strchr(s, '/'))
            return fail(err, errlen,
                        "'%s' is neither a network nor a URL (write http://... for a URL)",
                        "'%s' はネットワークとしても URL としても読めません（URL は http://... "
                        "の形で指定してください）",
                        s);
        return parse_domain(s, o, err, errlen);
    }
    if (strchr(s, '/') || strchr(s, ' '))
        return fail(err, errlen, "'%s' is not an indicator mamori scope understands",
                    "'%s' は mamori scope で調べられる形式ではありません", s);
    return parse_device(s, o, err, errlen);
}
