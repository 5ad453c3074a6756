/* scn-web.c - scenarios for the web detectors (expectations in
 * tests/golden/scenarios-web.tsv).
 *
 * A small shop runs its web site on a server in the office, 192.168.60.10
 * (plain HTTP on port 80, forwarded by the router 192.168.60.1), host name
 * shop.example.jp. Visitors come from the Internet (documentation
 * addresses) through the router. Positive scenarios: a card-testing burst,
 * a WordPress password guessing run that ends in a login, a vulnerability
 * scanner that finds a .env file. Negative ones: a busy day of ordinary
 * customers (a few declined cards among them), a search engine crawler with
 * some stale links, an uptime monitor, staff logging into the admin once.
 */
#include <stdio.h>
#include <string.h>

#include "scenario/scenario.h"
#include "scenario/scn-build.h"
#include "util/util.h"

#define WEB_HOST "shop.example.jp"
#define WEB_IP(x) SCN_IP4(192, 168, 60, (x))

static const char ua_chrome[] = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
                                "(KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";
static const char ua_iphone[] = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) "
                                "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 "
                                "Mobile/15E148 Safari/604.1";

struct web_net {
    struct scn_host *gw, *srv;
};

static void web_net(struct scn *s, struct web_net *n)
{
    n->gw = scn_host_new(s, "router", SCN_OS_ROUTER, scn_oui_yamaha, WEB_IP(1));
    n->srv = scn_host_new(s, "shop-server", SCN_OS_LINUX, scn_oui_fujitsu, WEB_IP(10));
}

/* One request and its answer on an open session; location adds a Location
 * header (redirects). */
static void web_exchange(struct scn *s, struct scn_tcp *c, const char *method, const char *path,
                         const char *ua, const char *body, unsigned status,
                         const char *location, size_t resp_len)
{
    struct scn_buf b;
    scn_buf_init(&b);
    scn_buf_fmt(&b, "%s %s HTTP/1.1\r\nHost: %s\r\n", method, path, WEB_HOST);
    if (ua)
        scn_buf_fmt(&b, "User-Agent: %s\r\n", ua);
    scn_buf_str(&b, "Accept: */*\r\n");
    if (body)
        scn_buf_fmt(&b, "Content-Type: application/x-www-form-urlencoded\r\n"
                        "Content-Length: %zu\r\n",
                    strlen(body));
    scn_buf_str(&b, "\r\n");
    if (body)
        scn_buf_str(&b, body);
    scn_tcp_send(s, c, 0, b.p, b.len);
    scn_tcp_wait(c, scn_rng_range(&s->rng, 5 * SCN_MS, 80 * SCN_MS));

    const char *reason = status == 200   ? "OK"
                         : status == 302 ? "Found"
                         : status == 402 ? "Payment Required"
                         : status == 404 ? "Not Found"
                                         : "Other";
    scn_buf_clear(&b);
    scn_buf_fmt(&b, "HTTP/1.1 %u %s\r\nServer: nginx\r\n", status, reason);
    if (location)
        scn_buf_fmt(&b, "Location: %s\r\n", location);
    scn_buf_fmt(&b, "Content-Type: text/html; charset=UTF-8\r\nContent-Length: %zu\r\n\r\n",
                resp_len);
    for (size_t i = 0; i < resp_len; i++)
        scn_buf_u8(&b, (uint8_t)("<p>shop page</p>\n"[i % 17]));
    scn_tcp_send(s, c, 1, b.p, b.len);
    scn_buf_free(&b);
}

/* A visitor from the Internet. */
static struct scn_host *web_visitor(struct scn *s, const struct web_net *n, uint32_t ip)
{
    return scn_host_remote(s, n->gw, SCN_OS_LINUX, ip, NULL);
}

/* A customer: home page, two product pages, cart, checkout page, one
 * payment (declined ones retry once). */
static void web_customer(struct scn *s, const struct web_net *n, uint32_t ip, uint64_t t0,
                         bool declined, const char *ua)
{
    struct scn_tcp c;
    struct scn_host *h = web_visitor(s, n, ip);
    scn_tcp_open(s, &c, h, n->srv, 0, 80, false, t0, 30 * SCN_MS);
    char path[64];
    web_exchange(s, &c, "GET", "/", ua, NULL, 200, NULL, 900);
    web_exchange(s, &c, "GET", "/css/style.css", ua, NULL, 200, NULL, 300);
    for (int i = 0; i < 2; i++) {
        scn_tcp_wait(&c, scn_rng_range(&s->rng, 5, 40) * SCN_SEC);
        snprintf(path, sizeof(path), "/products/detail/%u",
                 (unsigned)scn_rng_range(&s->rng, 1, 80));
        web_exchange(s, &c, "GET", path, ua, NULL, 200, NULL, 1200);
    }
    web_exchange(s, &c, "POST", "/cart/add", ua, "product_id=12&quantity=1", 302, "/cart", 0);
    web_exchange(s, &c, "GET", "/cart", ua, NULL, 200, NULL, 800);
    web_exchange(s, &c, "GET", "/shopping", ua, NULL, 200, NULL, 1000);
    scn_tcp_wait(&c, scn_rng_range(&s->rng, 20, 90) * SCN_SEC);
    if (declined) {
        web_exchange(s, &c, "POST", "/shopping/confirm", ua, "payment=card", 402, NULL, 200);
        scn_tcp_wait(&c, 30 * SCN_SEC);
    }
    web_exchange(s, &c, "POST", "/shopping/confirm", ua, "payment=card", 302,
                 "/shopping/complete", 0);
    web_exchange(s, &c, "GET", "/shopping/complete", ua, NULL, 200, NULL, 600);
    scn_tcp_close(s, &c, 0);
}

/* ---------------------------------------------------------- positives */

/* A bot posts 60 payments in 20 minutes from one address, mostly declined,
 * never looking at a page; two customers shop meanwhile. */
static void gen_card_testing(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    struct web_net n;
    web_net(s, &n);
    uint64_t t = SCN_EPOCH_US + 3 * 3600 * SCN_SEC;
    web_customer(s, &n, SCN_IP4(198, 51, 100, 21), t, false, ua_chrome);
    struct scn_host *bot = web_visitor(s, &n, SCN_IP4(203, 0, 113, 66));
    struct scn_tcp c;
    scn_tcp_open(s, &c, bot, n.srv, 0, 80, false, t + 60 * SCN_SEC, 120 * SCN_MS);
    for (int i = 0; i < 60; i++) {
        bool ok = scn_rng_range(&s->rng, 0, 9) == 0;
        web_exchange(s, &c, "POST", "/shopping/confirm", "python-requests/2.31.0",
                     "card_no=4111111111111111&exp=12%2F28&cvc=123", ok ? 302 : 402,
                     ok ? "/shopping/complete" : NULL, ok ? 0 : 180);
        scn_tcp_wait(&c, scn_rng_range(&s->rng, 10, 30) * SCN_SEC);
    }
    scn_tcp_close(s, &c, 0);
    web_customer(s, &n, SCN_IP4(198, 51, 100, 22), t + 15 * SCN_MIN, false, ua_iphone);
}

/* 40 wrong WordPress passwords, then a 302 to /wp-admin/ and the dashboard. */
static void gen_wp_bruteforce(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    struct web_net n;
    web_net(s, &n);
    uint64_t t = SCN_EPOCH_US + 14 * 3600 * SCN_SEC;
    struct scn_host *bot = web_visitor(s, &n, SCN_IP4(198, 51, 100, 99));
    const char *ua = "Mozilla/5.0 (Windows NT 6.1; rv:45.0) Gecko/20100101 Firefox/45.0";
    for (int i = 0; i < 41; i++) {
        struct scn_tcp c;
        scn_tcp_open(s, &c, bot, n.srv, 0, 80, false, t, 150 * SCN_MS);
        bool last = i == 40;
        web_exchange(s, &c, "POST", "/wp-login.php", ua,
                     last ? "log=admin&pwd=shop2024&wp-submit=Log+In"
                          : "log=admin&pwd=guess&wp-submit=Log+In",
                     last ? 302 : 200, last ? "http://" WEB_HOST "/wp-admin/" : NULL,
                     last ? 0 : 4200);
        if (last)
            web_exchange(s, &c, "GET", "/wp-admin/", ua, NULL, 200, NULL, 5000);
        scn_tcp_close(s, &c, 0);
        t = c.t + scn_rng_range(&s->rng, 2, 8) * SCN_SEC;
    }
}

/* A scanner tries 40 known paths; the shop's forgotten /.env answers. */
static void gen_vuln_scan(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    static const char *const paths[] = {
        "/.git/config", "/wp-config.php.bak", "/phpmyadmin/index.php", "/pma/",
        "/cgi-bin/luci", "/admin/config.php", "/backup.sql",
        "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php",
        "/index.php?s=/Index/\\think\\app/invokefunction&function=call_user_func_array",
        "/?id=1%20UNION%20SELECT%201,2,3--", "/solr/admin/info/system", "/actuator/env",
        "/server-status", "/.aws/credentials", "/wp-content/plugins/wp-file-manager/readme.txt",
        "/boaform/admin/formLogin", "/HNAP1/", "/owa/auth/logon.aspx", "/manager/html",
        "/.DS_Store", "/info.php", "/test.php", "/old/", "/shell.php", "/wso.php",
    };
    struct web_net n;
    web_net(s, &n);
    uint64_t t = SCN_EPOCH_US + 2 * 3600 * SCN_SEC;
    struct scn_host *bot = web_visitor(s, &n, SCN_IP4(203, 0, 113, 201));
    const char *ua = "Mozilla/5.0 (compatible; Nuclei - Open-source project "
                     "(github.com/projectdiscovery/nuclei))";
    struct scn_tcp c;
    scn_tcp_open(s, &c, bot, n.srv, 0, 80, false, t, 200 * SCN_MS);
    web_exchange(s, &c, "GET", "/", ua, NULL, 200, NULL, 900);
    for (size_t i = 0; i < ARRAY_SIZE(paths); i++) {
        web_exchange(s, &c, "GET", paths[i], ua, NULL, 404, NULL, 150);
        if (i == 10)
            web_exchange(s, &c, "GET", "/.env", ua, NULL, 200, NULL, 420);
    }
    scn_tcp_close(s, &c, 0);
}

/* ---------------------------------------------------------- negatives */

/* 40 customers over the day, three of them with a declined card first. */
static void gen_shop_busy(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    struct web_net n;
    web_net(s, &n);
    for (unsigned i = 0; i < 40; i++) {
        uint64_t t = SCN_EPOCH_US + i * 12 * SCN_MIN + scn_rng_range(&s->rng, 0, 300) * SCN_SEC;
        web_customer(s, &n, SCN_IP4(198, 51, 100, 30 + i), t, i % 13 == 5,
                     i % 2 ? ua_chrome : ua_iphone);
    }
}

/* A crawler fetches robots.txt, 150 pages and 8 stale links (404). */
static void gen_crawler(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    struct web_net n;
    web_net(s, &n);
    struct scn_host *bot = web_visitor(s, &n, SCN_IP4(192, 0, 2, 66));
    const char *ua = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
    uint64_t t = SCN_EPOCH_US + 5 * 3600 * SCN_SEC;
    struct scn_tcp c;
    scn_tcp_open(s, &c, bot, n.srv, 0, 80, false, t, 100 * SCN_MS);
    web_exchange(s, &c, "GET", "/robots.txt", ua, NULL, 200, NULL, 120);
    char path[64];
    for (unsigned i = 0; i < 158; i++) {
        bool stale = i % 20 == 7;
        snprintf(path, sizeof(path), stale ? "/products/detail/%u/old" : "/products/detail/%u", i);
        web_exchange(s, &c, "GET", path, ua, NULL, stale ? 404 : 200, NULL, stale ? 150 : 1500);
        scn_tcp_wait(&c, scn_rng_range(&s->rng, 1, 5) * SCN_SEC);
    }
    scn_tcp_close(s, &c, 0);
}

/* An uptime monitor checks the home page and the login page once a minute
 * for three hours. */
static void gen_uptime(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    struct web_net n;
    web_net(s, &n);
    struct scn_host *mon = web_visitor(s, &n, SCN_IP4(198, 51, 100, 250));
    const char *ua = "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)";
    for (unsigned i = 0; i < 180; i++) {
        struct scn_tcp c;
        scn_tcp_open(s, &c, mon, n.srv, 0, 80, false, SCN_EPOCH_US + i * SCN_MIN, 40 * SCN_MS);
        web_exchange(s, &c, "HEAD", i % 10 == 0 ? "/wp-login.php" : "/", ua, NULL, 200, NULL, 0);
        scn_tcp_close(s, &c, 0);
    }
}

/* Staff log in to WordPress once (one typo first) and edit a post. */
static void gen_admin_login(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    struct web_net n;
    web_net(s, &n);
    struct scn_host *pc = scn_host_new(s, "JIMU-PC01", SCN_OS_WINDOWS, scn_oui_fujitsu, WEB_IP(21));
    struct scn_tcp c;
    scn_tcp_open(s, &c, pc, n.srv, 0, 80, false, SCN_EPOCH_US + 30 * SCN_MIN, 1 * SCN_MS);
    web_exchange(s, &c, "GET", "/wp-login.php", ua_chrome, NULL, 200, NULL, 4200);
    web_exchange(s, &c, "POST", "/wp-login.php", ua_chrome, "log=tanaka&pwd=typo", 200, NULL,
                 4300);
    web_exchange(s, &c, "POST", "/wp-login.php", ua_chrome, "log=tanaka&pwd=right", 302,
                 "http://" WEB_HOST "/wp-admin/", 0);
    web_exchange(s, &c, "GET", "/wp-admin/", ua_chrome, NULL, 200, NULL, 6000);
    web_exchange(s, &c, "GET", "/wp-admin/post.php?post=12&action=edit", ua_chrome, NULL, 200,
                 NULL, 9000);
    web_exchange(s, &c, "POST", "/wp-admin/post.php", ua_chrome, "post_ID=12&action=editpost",
                 302, "/wp-admin/post.php?post=12&action=edit&message=1", 0);
    web_exchange(s, &c, "POST", "/wp-admin/async-upload.php", ua_chrome, "name=photo.jpg", 200,
                 NULL, 300);
    scn_tcp_close(s, &c, 0);
}

const struct scenario scn_table_web[] = {
    {"web-card-testing", "web shop on the LAN: 60 card payments from one bot in 20 minutes",
     gen_card_testing},
    {"web-wp-bruteforce", "WordPress on the LAN: 40 wrong passwords, then a login",
     gen_wp_bruteforce},
    {"web-vuln-scan", "vulnerability scanner against a LAN web server; /.env answers",
     gen_vuln_scan},
    {"web-shop-busy", "negative: 40 ordinary customers, three declined cards", gen_shop_busy},
    {"web-crawler", "negative: a search engine crawler with a few stale links", gen_crawler},
    {"web-uptime", "negative: an uptime monitor every minute for three hours", gen_uptime},
    {"web-admin-login", "negative: staff log in to WordPress once and edit a post",
     gen_admin_login},
    {.name = NULL},
};
