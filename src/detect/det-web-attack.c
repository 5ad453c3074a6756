/* det-web-attack.c - web.attack: attacks on a web site of the office, seen
 * in the HTTP requests to a web server on the LAN (the sensor) or in the
 * site's access log (`mamori weblog`, which feeds the same "http" events).
 *
 * Why: the roundtable shops were hit through their web sites: card testing
 * on a web shop (stolen card numbers tried one after another, the shop pays
 * the chargeback fees and its payment contract is at risk), WordPress admin
 * passwords guessed, vulnerability scanners finding a forgotten backup file
 * or an old plugin, and defaced pages.
 *
 * Variants (facts.variant), one alert per (client, site, variant, UTC day):
 *  - "scan" (low): vulnerability scanning. One of: requests for at least
 *    web.scan_min_signatures different known exploit paths/patterns (a short
 *    built-in list below, matched case-insensitively on the percent-decoded
 *    URI: /.env, /.git/, /phpmyadmin, /cgi-bin/, ../, SQL injection, XSS,
 *    Log4Shell, Shellshock, Struts, ThinkPHP...); one "strong" pattern (an
 *    exploit payload such as ${jndi: or union select, which no browser
 *    sends); or web.scan_min_404 "404 Not Found" answers on at least half as
 *    many distinct paths making up half the client's requests. Low: the
 *    Internet does this to every server every day.
 *  - "exposed" (medium) / "leak" (high): an exploit path was answered 200
 *    with a body: "leak" for secret files (.env, .git, config backups, SQL
 *    dumps: passwords are probably in the attacker's hands now), "exposed"
 *    for admin tools and info pages found by a client already flagged as
 *    scanning (staff using phpMyAdmin stay quiet). Sites that answer 200 to
 *    every path (single-page apps) would make every probe a hit, so a hit
 *    counts only once the same client also got a 404, and not when two
 *    different exploit paths got bodies of the same length.
 *  - "login" (medium): password guessing: at least web.login_min_attempts
 *    POSTs to login pages (wp-login.php, Joomla /administrator/, EC-CUBE
 *    login_check, any path with login/signin/logon), or web.xmlrpc_min_posts
 *    POSTs to WordPress xmlrpc.php (system.multicall tries hundreds of
 *    passwords per request; Jetpack also posts there, hence a higher bar).
 *  - "login_success" (high): a login that worked after at least
 *    web.login_success_after failed ones from the same client: a redirect
 *    away from the login page (WordPress: 302 to /wp-admin/), or any redirect
 *    where the failures were not redirects.
 *  - "card" (high): card testing from one client: at least
 *    web.card_min_posts POSTs to payment/checkout endpoints (/checkout,
 *    /cart, /payment, /order, /api/payments, WooCommerce ?wc-ajax=checkout,
 *    EC-CUBE /shopping/confirm, donation forms) that mostly failed (4xx/5xx)
 *    or make up half the client's requests (a bot that never looks at a
 *    product page; a customer browses, and pays once or twice).
 *  - "card_slow" (high): card testing spread over many addresses (a slow run
 *    over hours from rotating proxies): per site and day, at least
 *    web.card_site_min payment POSTs that failed or came from a client with
 *    no page view before, from at least web.card_site_sources clients, and
 *    at least half of all payment POSTs that day.
 *  - "webshell" (high): a script (.php, .jsp, .asp...) uploaded with PUT and
 *    accepted, or a script under an upload directory (/wp-content/uploads/,
 *    /uploads/, /images/...) that answered: what defacement and site
 *    takeover look like from outside.
 *
 * Input: "http" events whose server (the flow's responder) is in the home
 * networks, or unspecified (0.0.0.0 / ::: the log reader's "this site").
 * Outbound browsing is never looked at. Facts: variant, site, requests (the
 * client's requests to the site that day when raised), failures, paths (up
 * to three examples), path (the one that matters for a hit), statuses
 * ("404 x25, 200 x3"), user_agent, sources (card_slow). {count} is the
 * number of requests of that kind, updated as they come.
 *
 * Cost: only HTTP transactions reach this (not packets); per request a
 * bounded decode (WEB_URI_MAX bytes) and a scan of ~100 short patterns.
 * State: one entry per (client, server) capped at web.max_sources (LRU),
 * expired after 6 h idle, and one per site.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"
#include "detect/detect.h"
#include "detect/track.h"
#include "util/netaddr.h"
#include "util/util.h"

#define WEB_URI_MAX 1024  /* bytes of a URI looked at */
#define WEB_SITE_LEN 64
#define WEB_PATH_LEN 72
#define WEB_UA_LEN 96
#define WEB_NSTATUS 6
#define WEB_NEX 3
#define WEB_DAY_US (86400ull * 1000000ull)
#define WEB_IDLE_US (6ull * 3600ull * 1000000ull)

static const struct detect_param web_params[] = {
    {"web.scan_min_signatures", 3, 1, 64},
    {"web.scan_min_404", 20, 2, 1000000},
    {"web.login_min_attempts", 20, 2, 1000000},
    {"web.xmlrpc_min_posts", 50, 2, 1000000},
    {"web.login_success_after", 10, 1, 1000000},
    {"web.card_min_posts", 10, 2, 1000000},
    {"web.card_site_min", 30, 2, 1000000},
    {"web.card_site_sources", 5, 2, 1000000},
    {"web.max_sources", 10000, 16, 1000000},
    {NULL, 0, 0, 0},
};

/* ------------------------------------------------------------ signatures */

enum sig_flags {
    SIG_PATH = 1,     /* matched in the decoded path only */
    SIG_SUFFIX = 2,   /* the decoded path ends with it */
    SIG_ANY = 4,      /* matched anywhere in the decoded URI (path and query) */
    SIG_UA = 8,       /* matched in the user agent */
    SIG_STRONG = 16,  /* an exploit payload: one is enough to call it a scan */
    SIG_SECRET = 32,  /* a file whose content is a secret: a 200 is a leak */
    SIG_FILE = 64,    /* a path whose 200 means something exists there */
};

/* Groups: a scanner trying many of them is what "scan" counts. */
enum sig_group {
    G_ENV, G_GIT, G_BACKUP, G_WPCONFIG, G_KEYS, G_PMA, G_CGI, G_ADMIN_TOOL, G_INFO, G_WP_PROBE,
    G_SHELL, G_PHPUNIT, G_TRAVERSAL, G_PASSWD, G_SQLI, G_XSS, G_JNDI, G_SHELLSHOCK, G_CMDI,
    G_PHPCGI, G_STRUTS, G_THINKPHP, G_IOT, G_APPLIANCE, G_JAVA, G_SCANNER_UA, G_MAX
};

struct web_sig {
    const char *pat; /* lower case */
    uint8_t group;
    uint8_t flags;
};

/* A short list of what scanners try every day; lower case, matched on the
 * percent-decoded (twice), lower-cased URI. */
static const struct web_sig web_sigs[] = {
    {"/.env", G_ENV, SIG_PATH | SIG_SECRET | SIG_FILE},
    {"/.git/", G_GIT, SIG_PATH | SIG_SECRET | SIG_FILE},
    {"/.svn/", G_GIT, SIG_PATH | SIG_SECRET | SIG_FILE},
    {"/.htpasswd", G_KEYS, SIG_PATH | SIG_SECRET | SIG_FILE},
    {"/.aws/", G_KEYS, SIG_PATH | SIG_SECRET | SIG_FILE},
    {"/.ssh/", G_KEYS, SIG_PATH | SIG_SECRET | SIG_FILE},
    {"/id_rsa", G_KEYS, SIG_PATH | SIG_SECRET | SIG_FILE},
    {"/wp-config", G_WPCONFIG, SIG_PATH | SIG_SECRET | SIG_FILE},
    {".sql", G_BACKUP, SIG_SUFFIX | SIG_SECRET | SIG_FILE},
    {".sql.gz", G_BACKUP, SIG_SUFFIX | SIG_SECRET | SIG_FILE},
    {".bak", G_BACKUP, SIG_SUFFIX | SIG_SECRET | SIG_FILE},
    {".old", G_BACKUP, SIG_SUFFIX | SIG_SECRET | SIG_FILE},
    {".swp", G_BACKUP, SIG_SUFFIX | SIG_SECRET | SIG_FILE},
    {".php~", G_BACKUP, SIG_SUFFIX | SIG_SECRET | SIG_FILE},
    {"/backup.zip", G_BACKUP, SIG_PATH | SIG_SECRET | SIG_FILE},
    {"/backup.tar", G_BACKUP, SIG_PATH | SIG_SECRET | SIG_FILE},
    {"/phpmyadmin", G_PMA, SIG_PATH | SIG_FILE},
    {"/pma/", G_PMA, SIG_PATH | SIG_FILE},
    {"/myadmin", G_PMA, SIG_PATH | SIG_FILE},
    {"/mysqladmin", G_PMA, SIG_PATH | SIG_FILE},
    {"/adminer", G_PMA, SIG_PATH | SIG_FILE},
    {"/cgi-bin/", G_CGI, SIG_PATH | SIG_FILE},
    {"/manager/html", G_ADMIN_TOOL, SIG_PATH | SIG_FILE},
    {"/jmx-console", G_ADMIN_TOOL, SIG_PATH | SIG_FILE},
    {"/actuator/", G_ADMIN_TOOL, SIG_PATH | SIG_FILE},
    {"/solr/admin", G_ADMIN_TOOL, SIG_PATH | SIG_FILE},
    {"/_profiler", G_ADMIN_TOOL, SIG_PATH | SIG_FILE},
    {"/telescope/requests", G_ADMIN_TOOL, SIG_PATH | SIG_FILE},
    {"/phpinfo", G_INFO, SIG_PATH | SIG_FILE},
    {"/info.php", G_INFO, SIG_PATH | SIG_FILE},
    {"/server-status", G_INFO, SIG_PATH | SIG_FILE},
    {"/.ds_store", G_INFO, SIG_PATH | SIG_FILE},
    {"/.vscode/", G_INFO, SIG_PATH | SIG_FILE},
    {"/wlwmanifest.xml", G_WP_PROBE, SIG_PATH},
    {"/wp-admin/setup-config.php", G_WP_PROBE, SIG_PATH | SIG_FILE},
    {"/wp-admin/install.php", G_WP_PROBE, SIG_PATH},
    {"/wp-content/plugins/wp-file-manager", G_WP_PROBE, SIG_PATH | SIG_FILE},
    {"/shell.php", G_SHELL, SIG_PATH | SIG_FILE},
    {"/cmd.php", G_SHELL, SIG_PATH | SIG_FILE},
    {"/wso.php", G_SHELL, SIG_PATH | SIG_FILE},
    {"/c99.php", G_SHELL, SIG_PATH | SIG_FILE},
    {"/r57.php", G_SHELL, SIG_PATH | SIG_FILE},
    {"/alfa.php", G_SHELL, SIG_PATH | SIG_FILE},
    {"/webshell", G_SHELL, SIG_PATH | SIG_FILE},
    {"/vendor/phpunit/", G_PHPUNIT, SIG_PATH | SIG_STRONG},
    {"eval-stdin.php", G_PHPUNIT, SIG_PATH | SIG_STRONG},
    {"../", G_TRAVERSAL, SIG_ANY},
    {"..\\", G_TRAVERSAL, SIG_ANY},
    {"/etc/passwd", G_PASSWD, SIG_ANY | SIG_STRONG},
    {"win.ini", G_PASSWD, SIG_ANY | SIG_STRONG},
    {"union select", G_SQLI, SIG_ANY | SIG_STRONG},
    {"union all select", G_SQLI, SIG_ANY | SIG_STRONG},
    {"' or '1'='1", G_SQLI, SIG_ANY | SIG_STRONG},
    {"' or 1=1", G_SQLI, SIG_ANY | SIG_STRONG},
    {"\" or 1=1", G_SQLI, SIG_ANY | SIG_STRONG},
    {"information_schema", G_SQLI, SIG_ANY | SIG_STRONG},
    {"sleep(", G_SQLI, SIG_ANY | SIG_STRONG},
    {"benchmark(", G_SQLI, SIG_ANY | SIG_STRONG},
    {"waitfor delay", G_SQLI, SIG_ANY | SIG_STRONG},
    {"extractvalue(", G_SQLI, SIG_ANY | SIG_STRONG},
    {"updatexml(", G_SQLI, SIG_ANY | SIG_STRONG},
    {"<script", G_XSS, SIG_ANY | SIG_STRONG},
    {"javascript:", G_XSS, SIG_ANY | SIG_STRONG},
    {"onerror=", G_XSS, SIG_ANY | SIG_STRONG},
    {"<svg", G_XSS, SIG_ANY | SIG_STRONG},
    {"${jndi", G_JNDI, SIG_ANY | SIG_UA | SIG_STRONG},
    {"${${", G_JNDI, SIG_ANY | SIG_UA | SIG_STRONG},
    {"() {", G_SHELLSHOCK, SIG_ANY | SIG_UA | SIG_STRONG},
    {";wget ", G_CMDI, SIG_ANY | SIG_STRONG},
    {"|wget ", G_CMDI, SIG_ANY | SIG_STRONG},
    {"wget http", G_CMDI, SIG_ANY | SIG_STRONG},
    {"curl http", G_CMDI, SIG_ANY | SIG_STRONG},
    {"/bin/sh", G_CMDI, SIG_ANY | SIG_STRONG},
    {"/bin/bash", G_CMDI, SIG_ANY | SIG_STRONG},
    {"cmd.exe", G_CMDI, SIG_ANY | SIG_STRONG},
    {"php://input", G_PHPCGI, SIG_ANY | SIG_STRONG},
    {"allow_url_include", G_PHPCGI, SIG_ANY | SIG_STRONG},
    {"auto_prepend_file", G_PHPCGI, SIG_ANY | SIG_STRONG},
    {"base64_decode(", G_PHPCGI, SIG_ANY | SIG_STRONG},
    {"%{(#", G_STRUTS, SIG_ANY | SIG_STRONG},
    {"_memberaccess", G_STRUTS, SIG_ANY | SIG_STRONG},
    {"redirect:${", G_STRUTS, SIG_ANY | SIG_STRONG},
    {"invokefunction", G_THINKPHP, SIG_ANY | SIG_STRONG},
    {"think\\app", G_THINKPHP, SIG_ANY | SIG_STRONG},
    {"call_user_func_array", G_THINKPHP, SIG_ANY | SIG_STRONG},
    {"/boaform/", G_IOT, SIG_PATH},
    {"/gponform/", G_IOT, SIG_PATH},
    {"/hnap1", G_IOT, SIG_PATH},
    {"/setup.cgi", G_IOT, SIG_PATH},
    {"/shell?", G_IOT, SIG_ANY | SIG_STRONG},
    {"/remote/fgt_lang", G_APPLIANCE, SIG_PATH},
    {"/dana-na/", G_APPLIANCE, SIG_PATH},
    {"/autodiscover/autodiscover.json", G_APPLIANCE, SIG_PATH},
    {"/owa/auth/", G_APPLIANCE, SIG_PATH},
    {"/global-protect/", G_APPLIANCE, SIG_PATH},
    {"/wls-wsat/", G_JAVA, SIG_PATH},
    {"/_ignition/execute-solution", G_JAVA, SIG_PATH | SIG_STRONG},
    {"/invoker/", G_JAVA, SIG_PATH},
    {"sqlmap", G_SCANNER_UA, SIG_UA},
    {"nikto", G_SCANNER_UA, SIG_UA},
    {"nuclei", G_SCANNER_UA, SIG_UA},
    {"wpscan", G_SCANNER_UA, SIG_UA},
    {"acunetix", G_SCANNER_UA, SIG_UA},
    {"nmap scripting engine", G_SCANNER_UA, SIG_UA},
    {"dirbuster", G_SCANNER_UA, SIG_UA},
    {"gobuster", G_SCANNER_UA, SIG_UA},
    {"feroxbuster", G_SCANNER_UA, SIG_UA},
    {"zgrab", G_SCANNER_UA, SIG_UA},
};

/* ------------------------------------------------------------------ state */

enum web_variant {
    V_SCAN, V_EXPOSED, V_LEAK, V_LOGIN, V_LOGIN_SUCCESS, V_CARD, V_CARD_SLOW, V_WEBSHELL, V_MAX
};

static const char *const web_variant_name[V_MAX] = {
    "scan", "exposed", "leak", "login", "login_success", "card", "card_slow", "webshell",
};

static const uint8_t web_variant_sev[V_MAX] = {
    SEV_LOW, SEV_MEDIUM, SEV_HIGH, SEV_MEDIUM, SEV_HIGH, SEV_HIGH, SEV_HIGH, SEV_HIGH,
};

/* (client, server); site is a hash of the site name when the server address
 * is unspecified (an access log), 0 otherwise. */
struct web_key {
    struct ip_addr src, dst;
    uint64_t site;
};

struct web_src {
    uint32_t day;                /* UTC day number the counts are for */
    uint32_t requests;
    uint32_t n404, scan_reqs;    /* 404 answers; requests that were 404 or matched */
    uint64_t groups;             /* signature groups seen (bit per enum sig_group) */
    bool strong;
    struct dcount paths404;
    uint32_t login, login_fail, login_redirects, xmlrpc;
    uint32_t pay, pay_fail;
    uint16_t raised;             /* bit per enum web_variant */
    /* an exploit path answered with a body, waiting for the guards */
    bool hit, catchall, hit_secret;
    uint8_t hit_group;
    int hit_status;
    uint64_t hit_len;
    uint16_t st_code[WEB_NSTATUS];
    uint32_t st_n[WEB_NSTATUS];
    uint8_t nex_scan;
    char hit_path[WEB_PATH_LEN];
    char site[WEB_SITE_LEN];
    char ua[WEB_UA_LEN];
    char ex_scan[WEB_NEX][WEB_PATH_LEN];
    char ex_login[WEB_PATH_LEN];
    char ex_pay[WEB_PATH_LEN];
};

struct web_site_key {
    struct ip_addr dst;
    uint64_t site;
};

struct web_site {
    uint32_t day;
    uint32_t pay, suspicious, pay_fail;
    struct dcount sources;
    bool raised;
    char site[WEB_SITE_LEN];
    char ex_pay[WEB_PATH_LEN];
};

struct web {
    struct detect *d;
    struct track *src, *site;
    uint64_t last_expire_us;
    uint32_t scan_min_sig, scan_min_404, login_min, xmlrpc_min, success_after, card_min,
        card_site_min, card_site_sources;
};

/* The tunables, at create time and again on SIGHUP (detect_reconfigure):
 * thresholds and windows change, tables and what they hold stay. */
static void web_reconfigure(void *st)
{
    struct web *w = st;
    struct detect *d = w->d;
    w->scan_min_sig = detect_param(d, "web.scan_min_signatures");
    w->scan_min_404 = detect_param(d, "web.scan_min_404");
    w->login_min = detect_param(d, "web.login_min_attempts");
    w->xmlrpc_min = detect_param(d, "web.xmlrpc_min_posts");
    w->success_after = detect_param(d, "web.login_success_after");
    w->card_min = detect_param(d, "web.card_min_posts");
    w->card_site_min = detect_param(d, "web.card_site_min");
    w->card_site_sources = detect_param(d, "web.card_site_sources");
}

static void *web_create(struct detect *d)
{
    struct web *w = xcalloc(1, sizeof(*w));
    w->d = d;
    web_reconfigure(w);
    w->src = track_new(sizeof(struct web_key), sizeof(struct web_src),
                       detect_param(d, "web.max_sources"));
    w->site = track_new(sizeof(struct web_site_key), sizeof(struct web_site), 1024);
    return w;
}

static void web_destroy(void *st)
{
    struct web *w = st;
    track_free(w->src);
    track_free(w->site);
    free(w);
}

/* ---------------------------------------------------------------- helpers */

static const char *web_jstr(const json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static long long web_jint(const json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_integer(v) ? (long long)json_integer_value(v) : 0;
}

/* Copies s into out (size n), cut at a UTF-8 character boundary. */
static void web_copy(char *out, size_t n, const char *s)
{
    size_t len = strlen(s);
    if (len >= n) {
        len = n - 1;
        while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
            len--;
    }
    memcpy(out, s, len);
    out[len] = '\0';
}

static int web_hex(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* One round of percent-decoding of in[0..n) into out (never longer than
 * in); '+' becomes a space, NUL a space, letters lower case. Returns the
 * length. */
static size_t web_decode_once(const char *in, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)in[i];
        if (c == '%' && i + 2 < n && web_hex(in[i + 1]) >= 0 && web_hex(in[i + 2]) >= 0) {
            c = web_hex(in[i + 1]) * 16 + web_hex(in[i + 2]);
            i += 2;
        } else if (c == '+') {
            c = ' ';
        }
        if (c == 0)
            c = ' ';
        if (c >= 'A' && c <= 'Z')
            c += 'a' - 'A';
        out[o++] = (char)c;
    }
    return o;
}

/* The decoded, lower-cased URI (two rounds, for %252e) in out
 * (WEB_URI_MAX + 1 bytes); *qoff gets where the query starts (the first
 * '?' of the raw URI), or the length when there is none. */
static size_t web_decode(const char *uri, char *out, size_t *qoff)
{
    char tmp[WEB_URI_MAX + 1];
    size_t n = strnlen(uri, WEB_URI_MAX);
    const char *q = memchr(uri, '?', n);
    size_t plen = q ? (size_t)(q - uri) : n;
    /* Path and query decoded apart, so an encoded '?' stays in the path. */
    size_t a = web_decode_once(uri, plen, tmp);
    size_t pl = web_decode_once(tmp, a, out);
    size_t b = web_decode_once(uri + plen, n - plen, tmp);
    size_t ql = web_decode_once(tmp, b, out + pl);
    out[pl + ql] = '\0';
    *qoff = pl;
    return pl + ql;
}

static bool web_has(const char *hay, size_t hlen, const char *needle)
{
    return memmem(hay, hlen, needle, strlen(needle)) != NULL;
}

static bool web_ends(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

static bool web_is_script(const char *p, size_t n)
{
    static const char *const ext[] = {".php", ".php3", ".php4", ".php5", ".php7", ".phtml",
                                      ".phar", ".jsp", ".jspx", ".asp", ".aspx"};
    for (size_t i = 0; i < ARRAY_SIZE(ext); i++)
        if (web_ends(p, n, ext[i]))
            return true;
    return false;
}

static bool web_in_upload_dir(const char *p, size_t n)
{
    static const char *const dirs[] = {"/wp-content/uploads/", "/uploads/", "/upload/",
                                       "/files/", "/images/", "/img/", "/tmp/",
                                       "/user_data/"};
    for (size_t i = 0; i < ARRAY_SIZE(dirs); i++)
        if (web_has(p, n, dirs[i]))
            return true;
    return false;
}

enum login_kind { LK_NONE, LK_WP, LK_XMLRPC, LK_JOOMLA, LK_GENERIC };

static enum login_kind web_login_kind(const char *p, size_t pl, size_t qlen)
{
    if (web_ends(p, pl, "/wp-login.php"))
        return LK_WP;
    if (web_ends(p, pl, "/xmlrpc.php"))
        return LK_XMLRPC;
    /* Joomla's login form posts to the bare admin page; admin work posts
     * carry ?option=... */
    if (qlen == 0 && (web_ends(p, pl, "/administrator/") ||
                      web_ends(p, pl, "/administrator/index.php")))
        return LK_JOOMLA;
    static const char *const words[] = {"login", "signin", "sign_in", "sign-in", "logon"};
    for (size_t i = 0; i < ARRAY_SIZE(words); i++)
        if (web_has(p, pl, words[i]))
            return LK_GENERIC;
    return LK_NONE;
}

static bool web_is_payment(const char *p, size_t pl, const char *q, size_t ql)
{
    if (web_has(q, ql, "wc-ajax=checkout") || web_has(q, ql, "wc-ajax=complete_order"))
        return true;
    /* Adding to a cart is shopping, not paying. */
    static const char *const not_pay[] = {"/cart/add", "/cart/change", "/cart/update",
                                          "/cart/remove", "/cart/clear", "/cart/up/",
                                          "/cart/down/", "add-to-cart", "add_to_cart",
                                          "add_cart"};
    for (size_t i = 0; i < ARRAY_SIZE(not_pay); i++)
        if (web_has(p, pl, not_pay[i]) || web_has(q, ql, not_pay[i]))
            return false;
    static const char *const pay[] = {"/checkout", "/cart", "/payment", "/order", "/purchase",
                                      "/shopping/confirm", "/charge", "/donat", "/pay/"};
    for (size_t i = 0; i < ARRAY_SIZE(pay); i++)
        if (web_has(p, pl, pay[i]))
            return true;
    return web_ends(p, pl, "/pay");
}

/* Login outcome of one POST. */
enum login_out { LO_UNKNOWN, LO_FAIL, LO_SUCCESS, LO_REDIRECT };

static enum login_out web_login_outcome(enum login_kind k, int status, const char *redirect)
{
    if (status <= 0 || k == LK_XMLRPC)
        return LO_UNKNOWN;
    if (status >= 300 && status < 400) {
        if (redirect && redirect[0]) {
            char r[256];
            size_t n = web_decode_once(redirect, strnlen(redirect, sizeof(r) - 1), r);
            static const char *const back[] = {"login", "signin", "sign_in", "error", "fail",
                                               "denied", "reauth", "logon"};
            for (size_t i = 0; i < ARRAY_SIZE(back); i++)
                if (web_has(r, n, back[i]))
                    return LO_FAIL;
            return LO_SUCCESS;
        }
        /* wp-login.php answers a wrong password with the form again (200). */
        return k == LK_WP ? LO_SUCCESS : LO_REDIRECT;
    }
    return LO_FAIL;
}

static void web_count_status(struct web_src *s, int status)
{
    if (status <= 0 || status > 999)
        return;
    for (unsigned i = 0; i < WEB_NSTATUS; i++) {
        if (s->st_code[i] == status || s->st_code[i] == 0) {
            s->st_code[i] = (uint16_t)status;
            s->st_n[i]++;
            return;
        }
    }
}

static void web_statuses(const uint16_t *code, const uint32_t *cnt, char *out, size_t n)
{
    size_t o = 0;
    out[0] = '\0';
    for (unsigned i = 0; i < WEB_NSTATUS && code[i]; i++) {
        int k = snprintf(out + o, n - o, "%s%u x%u", o ? ", " : "", code[i], cnt[i]);
        if (k < 0 || (size_t)k >= n - o)
            break;
        o += (size_t)k;
    }
}

static void web_add_example(char ex[][WEB_PATH_LEN], uint8_t *nex, const char *url)
{
    char tmp[WEB_PATH_LEN];
    web_copy(tmp, sizeof(tmp), url);
    for (unsigned i = 0; i < *nex; i++)
        if (strcmp(ex[i], tmp) == 0)
            return;
    if (*nex < WEB_NEX)
        memcpy(ex[(*nex)++], tmp, sizeof(tmp));
}

static void web_join(char ex[][WEB_PATH_LEN], unsigned nex, char *out, size_t n)
{
    size_t o = 0;
    out[0] = '\0';
    for (unsigned i = 0; i < nex; i++) {
        int k = snprintf(out + o, n - o, "%s%s", o ? ", " : "", ex[i]);
        if (k < 0 || (size_t)k >= n - o)
            break;
        o += (size_t)k;
    }
}

/* --------------------------------------------------------------- raising */

/* What one request contributes to an alert. */
struct web_req {
    const struct app_event *ev;
    const char *url, *method;
    int status;
    bool unspec;        /* server address unspecified (access log) */
    char date[16];
};

static void web_alert_base(struct web *w, struct alert *a, const struct web_req *r,
                           enum web_variant v, const char *site, bool with_src)
{
    const struct flow *f = r->ev->f;
    char src[48] = "*", dst[48];
    alert_init(a, "web.attack", (enum alert_severity)web_variant_sev[v], r->ev->ts_us);
    if (with_src) {
        a->has_src = true;
        a->src = f->src;
        ip_addr_fmt(&f->src, src, sizeof(src));
    }
    if (!r->unspec) {
        a->has_dst = true;
        a->dst = f->dst;
        a->dport = f->dport;
        a->proto = 6;
        detect_alert_device_ip(w->d, a, &f->dst);
        ip_addr_fmt(&f->dst, dst, sizeof(dst));
    } else {
        snprintf(dst, sizeof(dst), "%s", "-");
    }
    alert_add_flow(a, f->id);
    /* The site name is the Host header, which the client chooses: the key
     * uses the server address when there is one. */
    alert_set_key(a, "web.attack|%s|%s|%s|%.60s|%s", web_variant_name[v], src, dst,
                  r->unspec ? site : "", r->date);
}

/* Raises variant v for client state s: the first time with every fact,
 * later as an update of count. */
static void web_raise(struct web *w, struct web_src *s, const struct web_req *r,
                      enum web_variant v, uint32_t count)
{
    struct alert a;
    web_alert_base(w, &a, r, v, s->site, true);
    a.count = count ? count : 1;
    if (!(s->raised & (1u << v))) {
        char buf[WEB_NEX * (WEB_PATH_LEN + 2) + 8];
        s->raised |= (uint16_t)(1u << v);
        alert_fact_str(&a, "variant", web_variant_name[v]);
        alert_fact_str(&a, "site", s->site);
        alert_fact_int(&a, "requests", s->requests);
        alert_fact_str(&a, "user_agent", s->ua);
        web_statuses(s->st_code, s->st_n, buf, sizeof(buf));
        alert_fact_str(&a, "statuses", buf);
        switch (v) {
        case V_SCAN:
            alert_fact_int(&a, "failures", s->n404);
            web_join(s->ex_scan, s->nex_scan, buf, sizeof(buf));
            alert_fact_str(&a, "paths", buf);
            break;
        case V_EXPOSED:
        case V_LEAK:
            web_join(s->ex_scan, s->nex_scan, buf, sizeof(buf));
            alert_fact_str(&a, "paths", buf);
            alert_fact_str(&a, "path", s->hit_path);
            alert_fact_int(&a, "status", s->hit_status);
            alert_fact_int(&a, "length", (long long)s->hit_len);
            break;
        case V_LOGIN:
        case V_LOGIN_SUCCESS:
            alert_fact_int(&a, "failures", s->login_fail);
            alert_fact_int(&a, "attempts", s->login + s->xmlrpc);
            alert_fact_str(&a, "paths", s->ex_login);
            if (v == V_LOGIN_SUCCESS)
                alert_fact_int(&a, "status", r->status);
            break;
        case V_CARD:
            alert_fact_int(&a, "failures", s->pay_fail);
            alert_fact_int(&a, "posts", s->pay);
            alert_fact_str(&a, "paths", s->ex_pay);
            break;
        case V_WEBSHELL: {
            char p[WEB_PATH_LEN];
            web_copy(p, sizeof(p), r->url);
            alert_fact_str(&a, "path", p);
            alert_fact_str(&a, "method", r->method);
            alert_fact_int(&a, "status", r->status);
            break;
        }
        default:
            break;
        }
    }
    detect_raise(w->d, &a);
    alert_release(&a);
}

static void web_raise_site(struct web *w, struct web_site *ws, const struct web_req *r,
                           uint32_t count, const struct web_src *s)
{
    struct alert a;
    web_alert_base(w, &a, r, V_CARD_SLOW, ws->site, false);
    a.count = count ? count : 1;
    if (!ws->raised) {
        ws->raised = true;
        alert_fact_str(&a, "variant", web_variant_name[V_CARD_SLOW]);
        alert_fact_str(&a, "site", ws->site);
        alert_fact_int(&a, "requests", ws->pay);
        alert_fact_int(&a, "failures", ws->pay_fail);
        alert_fact_int(&a, "sources", dcount_get(&ws->sources));
        alert_fact_str(&a, "paths", ws->ex_pay);
        alert_fact_str(&a, "user_agent", s->ua);
    }
    detect_raise(w->d, &a);
    alert_release(&a);
}

/* ------------------------------------------------------------------- hook */

static void web_scan_check(struct web *w, struct web_src *s, const struct web_req *r,
                           bool scan_req)
{
    if (s->raised & (1u << V_SCAN)) {
        if (scan_req)
            web_raise(w, s, r, V_SCAN, 1);
    } else {
        unsigned ngroups = (unsigned)__builtin_popcountll(s->groups);
        bool many404 = s->n404 >= w->scan_min_404 &&
                       dcount_get(&s->paths404) * 2 >= w->scan_min_404 &&
                       s->n404 * 2 >= s->requests;
        if (ngroups >= w->scan_min_sig || s->strong || many404)
            web_raise(w, s, r, V_SCAN, s->scan_reqs);
    }
    /* An exploit path answered: a secret file whenever the site is not a
     * catch-all (it gave this client a 404 too); anything else only from a
     * client that is scanning. */
    if (s->hit && !s->catchall && s->n404 > 0 &&
        (s->hit_secret || (s->raised & (1u << V_SCAN)))) {
        enum web_variant v = s->hit_secret ? V_LEAK : V_EXPOSED;
        if (!(s->raised & (1u << v))) {
            web_raise(w, s, r, v, 1);
        }
    }
}

static void web_app_event(void *st, const struct app_event *ev)
{
    struct web *w = st;
    if (!ev->type || strcmp(ev->type, "http") != 0 || !ev->f || !ev->body)
        return;
    const struct flow *f = ev->f;
    bool unspec = ip_addr_is_unspecified(&f->dst);
    if (!unspec && !detect_is_home(w->d, &f->dst))
        return;
    if (memcmp(&f->src, &f->dst, sizeof(f->src)) == 0)
        return;
    const char *url = web_jstr(ev->body, "url");
    if (!url || !url[0])
        return;
    const char *method = web_jstr(ev->body, "http_method");
    const char *host = web_jstr(ev->body, "hostname");
    const char *ua = web_jstr(ev->body, "http_user_agent");
    const char *redirect = web_jstr(ev->body, "redirect");
    long long st_ll = web_jint(ev->body, "status");
    int status = st_ll > 0 && st_ll < 1000 ? (int)st_ll : 0;
    long long len_ll = web_jint(ev->body, "length");
    uint64_t length = len_ll > 0 ? (uint64_t)len_ll : 0;
    if (!method)
        method = "";

    struct web_req r = {.ev = ev, .url = url, .method = method, .status = status,
                        .unspec = unspec};
    alert_date(ev->ts_us, r.date);
    uint32_t day = (uint32_t)(ev->ts_us / WEB_DAY_US);

    char site[WEB_SITE_LEN];
    if (host && host[0])
        web_copy(site, sizeof(site), host);
    else if (!unspec)
        ip_addr_fmt(&f->dst, site, sizeof(site));
    else
        site[0] = '\0';

    struct web_key k;
    memset(&k, 0, sizeof(k));
    k.src = f->src;
    k.dst = f->dst;
    if (unspec)
        k.site = track_hash_str(site);
    struct web_src *s = track_get(w->src, &k, ev->ts_us, NULL);
    if (s->day != day) {
        memset(s, 0, sizeof(*s));
        s->day = day;
    }
    if (!s->site[0])
        web_copy(s->site, sizeof(s->site), site);
    if (!s->ua[0] && ua)
        web_copy(s->ua, sizeof(s->ua), ua);
    uint32_t before = s->requests;
    s->requests++;
    web_count_status(s, status);

    char dec[WEB_URI_MAX + 1];
    size_t qoff;
    size_t dlen = web_decode(url, dec, &qoff);
    const char *path = dec, *query = dec + qoff;
    size_t plen = qoff, qlen = dlen - qoff;
    bool post = strcmp(method, "POST") == 0;
    bool is2xx = status >= 200 && status < 300 && status != 204;

    /* --- exploit signatures --- */
    bool matched = false, file_seen = false;
    char uabuf[WEB_UA_LEN * 2];
    size_t ualen = 0;
    if (ua) {
        ualen = strnlen(ua, sizeof(uabuf) - 1);
        for (size_t i = 0; i < ualen; i++)
            uabuf[i] = (char)(ua[i] >= 'A' && ua[i] <= 'Z' ? ua[i] + ('a' - 'A') : ua[i]);
        uabuf[ualen] = '\0';
    }
    for (size_t i = 0; i < ARRAY_SIZE(web_sigs); i++) {
        const struct web_sig *g = &web_sigs[i];
        bool hit = false;
        if ((g->flags & SIG_PATH) && web_has(path, plen, g->pat))
            hit = true;
        else if ((g->flags & SIG_SUFFIX) && web_ends(path, plen, g->pat))
            hit = true;
        else if ((g->flags & SIG_ANY) && web_has(dec, dlen, g->pat))
            hit = true;
        else if ((g->flags & SIG_UA) && ualen && web_has(uabuf, ualen, g->pat))
            hit = true;
        if (!hit)
            continue;
        /* A scanner's UA alone is not a request for an exploit path. */
        if (g->group != G_SCANNER_UA)
            matched = true;
        s->groups |= 1ull << g->group;
        if (g->flags & SIG_STRONG)
            s->strong = true;
        if ((g->flags & SIG_FILE) && is2xx && length > 0 && !file_seen) {
            file_seen = true;
            if (!s->hit) {
                s->hit = true;
                s->hit_group = g->group;
                s->hit_secret = (g->flags & SIG_SECRET) != 0;
                s->hit_status = status;
                s->hit_len = length;
                web_copy(s->hit_path, sizeof(s->hit_path), url);
            } else if (s->hit_group != g->group && s->hit_len == length) {
                s->catchall = true; /* the same page for different probes */
            } else if (!s->hit_secret && (g->flags & SIG_SECRET)) {
                s->hit_secret = true;
                s->hit_group = g->group;
                s->hit_status = status;
                s->hit_len = length;
                web_copy(s->hit_path, sizeof(s->hit_path), url);
            }
        }
    }
    bool scan_req = matched || status == 404;
    if (status == 404) {
        s->n404++;
        dcount_add(&s->paths404, track_hash_bytes(path, plen));
    }
    if (scan_req) {
        s->scan_reqs++;
        web_add_example(s->ex_scan, &s->nex_scan, url);
    }
    web_scan_check(w, s, &r, scan_req);

    /* --- web shells and uploaded scripts --- */
    if (is2xx || status == 201 || status == 204) {
        bool script = web_is_script(path, plen);
        bool put = strcmp(method, "PUT") == 0 || strcmp(method, "MOVE") == 0;
        if (script && (put || (web_in_upload_dir(path, plen) && is2xx && (post || s->n404 > 0))))
            web_raise(w, s, &r, V_WEBSHELL, 1);
    }

    /* --- login guessing --- */
    enum login_kind lk = post ? web_login_kind(path, plen, qlen) : LK_NONE;
    if (lk != LK_NONE) {
        enum login_out lo = web_login_outcome(lk, status, redirect);
        if (lk == LK_XMLRPC)
            s->xmlrpc++;
        else
            s->login++;
        if (!s->ex_login[0])
            web_copy(s->ex_login, sizeof(s->ex_login), url);
        bool success = false;
        if (lo == LO_FAIL) {
            s->login_fail++;
        } else if (lo == LO_SUCCESS) {
            success = s->login_fail >= w->success_after;
        } else if (lo == LO_REDIRECT) {
            /* A redirect means success only where failures were not. */
            success = s->login_fail >= w->success_after && s->login_redirects == 0;
            s->login_redirects++;
        }
        if (success)
            web_raise(w, s, &r, V_LOGIN_SUCCESS, 1);
        if (s->raised & (1u << V_LOGIN))
            web_raise(w, s, &r, V_LOGIN, 1);
        else if (s->login >= w->login_min || s->xmlrpc >= w->xmlrpc_min)
            web_raise(w, s, &r, V_LOGIN, s->login + s->xmlrpc);
    }

    /* --- card testing --- */
    if (post && lk == LK_NONE && web_is_payment(path, plen, query, qlen)) {
        bool fail = status >= 400;
        s->pay++;
        if (fail)
            s->pay_fail++;
        if (!s->ex_pay[0])
            web_copy(s->ex_pay, sizeof(s->ex_pay), url);
        if (s->raised & (1u << V_CARD))
            web_raise(w, s, &r, V_CARD, 1);
        else if (s->pay >= w->card_min && (s->pay_fail * 2 >= s->pay || s->pay * 2 >= s->requests))
            web_raise(w, s, &r, V_CARD, s->pay);

        /* The same over the whole site and day. */
        struct web_site_key sk;
        memset(&sk, 0, sizeof(sk));
        sk.dst = f->dst;
        sk.site = k.site;
        struct web_site *ws = track_get(w->site, &sk, ev->ts_us, NULL);
        if (ws->day != day) {
            memset(ws, 0, sizeof(*ws));
            ws->day = day;
        }
        if (!ws->site[0])
            web_copy(ws->site, sizeof(ws->site), site);
        if (!ws->ex_pay[0])
            web_copy(ws->ex_pay, sizeof(ws->ex_pay), url);
        ws->pay++;
        /* Suspicious: declined, or straight to the payment without a page
         * view first (a customer always has one). */
        if (fail || before < 2) {
            ws->suspicious++;
            if (fail)
                ws->pay_fail++;
            dcount_add(&ws->sources, track_hash_ip(&f->src));
            if (ws->raised)
                web_raise_site(w, ws, &r, 1, s);
            else if (ws->suspicious >= w->card_site_min &&
                     dcount_get(&ws->sources) >= w->card_site_sources &&
                     ws->suspicious * 2 >= ws->pay)
                web_raise_site(w, ws, &r, ws->suspicious, s);
        }
    }
}

static void web_tick(void *st, uint64_t now_us)
{
    struct web *w = st;
    if (now_us < w->last_expire_us + 60ull * 1000000ull)
        return;
    w->last_expire_us = now_us;
    if (now_us > WEB_IDLE_US)
        track_expire(w->src, now_us - WEB_IDLE_US, NULL, NULL);
    if (now_us > WEB_DAY_US + WEB_IDLE_US)
        track_expire(w->site, now_us - WEB_DAY_US - WEB_IDLE_US, NULL, NULL);
}

const struct detector_ops det_web_attack = {
    .name = "web.attack",
    .params = web_params,
    .create = web_create,
    .reconfigure = web_reconfigure,
    .destroy = web_destroy,
    .app_event = web_app_event,
    .tick = web_tick,
};
