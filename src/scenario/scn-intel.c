/* scn-intel.c - scenarios for the intel detectors (expectations in
 * tests/golden/scenarios-intel.tsv, which also holds the small threat lists
 * these captures are read with: `intel` lines).
 *
 * One office network: the Yamaha gateway 192.168.10.1 (DNS forwarder) and
 * two PCs, SOUMU-PC01 (.101) and EIGYO-PC02 (.102). Documentation address
 * ranges stand in for the Internet.
 *
 *  intel-c2     EIGYO-PC02 is infected: it resolves update.evil-c2.example,
 *               then calls 198.51.100.66 over HTTPS every 5 minutes for an
 *               hour (data both ways) with an old TLS library, and tries a
 *               second C2 198.51.100.67 on 8080 which refuses. Meanwhile a
 *               listed scanner 203.0.113.77 probes the gateway on 23 and 22.
 *  intel-phish  SOUMU-PC01 opens a phishing page over plain HTTP (listed URL,
 *               JPCERT style) and an HTTPS phishing site whose URL is listed
 *               (only the SNI is visible).
 *  intel-quiet  ordinary browsing and Windows-Update-like downloads, plus
 *               look-alikes of the listed names (evil-c2.example.com,
 *               myevil-c2.example) and an address just outside a listed /24:
 *               nothing may match.
 */
#include <stdio.h>
#include <string.h>

#include "scenario/scenario.h"
#include "scenario/scn-build.h"
#include "util/util.h"

static const char ua_chrome[] = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
                                "(KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";

struct intel_net {
    struct scn_host *gw, *pc1, *pc2;
    uint64_t t;
};

static void intel_net_init(struct scn *s, struct intel_net *n)
{
    n->gw = scn_host_new(s, "RTX830", SCN_OS_ROUTER, scn_oui_yamaha, SCN_IP4(192, 168, 10, 1));
    n->pc1 = scn_host_new(s, "SOUMU-PC01", SCN_OS_WINDOWS, scn_oui_dell, SCN_IP4(192, 168, 10, 101));
    n->pc2 = scn_host_new(s, "EIGYO-PC02", SCN_OS_WINDOWS, scn_oui_hp, SCN_IP4(192, 168, 10, 102));
    n->t = SCN_EPOCH_US;
    scn_arp_request(s, n->t, n->pc1, n->gw->ip4);
    scn_arp_reply(s, n->t + 300, n->gw, n->pc1);
    scn_arp_request(s, n->t + 1000, n->pc2, n->gw->ip4);
    scn_arp_reply(s, n->t + 1300, n->gw, n->pc2);
    n->t += 5 * SCN_MS;
}

/* A lookup of name answered with one A record. */
static void intel_dns(struct scn *s, struct intel_net *n, struct scn_host *pc, const char *name,
                      uint32_t addr)
{
    struct scn_dns_rr an = {.type = SCN_DNS_A, .ttl = 300, .a = addr};
    scn_dns_lookup(s, &n->t, pc, n->gw, name, SCN_DNS_A, &an, 1, 0, 15 * SCN_MS);
}

/* An HTTPS visit with a given client profile (JA3). */
static void intel_https(struct scn *s, struct intel_net *n, struct scn_host *pc,
                        struct scn_host *srv, const char *sni, enum scn_tls_client prof,
                        size_t up, size_t down)
{
    struct scn_tcp c;
    scn_tcp_open(s, &c, pc, srv, 0, 443, false, n->t, 40 * SCN_MS);
    scn_tls_handshake(s, &c, prof, sni, prof == SCN_TLS_OLD ? NULL : "h2,http/1.1",
                      prof != SCN_TLS_OLD, sni, NULL);
    scn_tls_data(s, &c, 0, up);
    scn_tls_data(s, &c, 1, down);
    scn_tcp_close(s, &c, 0);
    n->t = c.t + 200 * SCN_MS;
}

static void intel_http(struct scn *s, struct intel_net *n, struct scn_host *pc,
                       struct scn_host *srv, const char *host, const char *path, size_t len)
{
    struct scn_tcp c;
    scn_tcp_open(s, &c, pc, srv, 0, 80, false, n->t, 30 * SCN_MS);
    scn_http_exchange(s, &c, "GET", host, path, ua_chrome, NULL, NULL, 200, "text/html", len);
    scn_tcp_close(s, &c, 0);
    n->t = c.t + 200 * SCN_MS;
}

static void scn_intel_c2(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    struct intel_net n;
    intel_net_init(s, &n);
    struct scn_host *c2 = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(198, 51, 100, 66), NULL);
    struct scn_host *c2b = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(198, 51, 100, 67), NULL);
    struct scn_host *scanner =
        scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(203, 0, 113, 77), NULL);
    struct scn_host *web = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(203, 0, 113, 10), NULL);

    /* Ordinary start of the day on the other PC. */
    intel_dns(s, &n, n.pc1, "www.example.co.jp", web->ip4);
    intel_https(s, &n, n.pc1, web, "www.example.co.jp", SCN_TLS_CHROME, 900, 42000);

    /* The infected PC: look up the C2 name, then call it every 5 minutes
     * (with a little jitter) for an hour. */
    intel_dns(s, &n, n.pc2, "update.evil-c2.example", c2->ip4);
    uint64_t start = n.t;
    for (unsigned i = 0; i < 12; i++) {
        n.t = start + i * 300 * SCN_SEC + scn_rng_range(&s->rng, 0, 4 * SCN_SEC);
        intel_https(s, &n, n.pc2, c2, "update.evil-c2.example", SCN_TLS_OLD,
                    scn_rng_range(&s->rng, 300, 900), scn_rng_range(&s->rng, 200, 4000));
        if (i % 4 == 1)
            scn_tcp_refused(s, n.pc2, c2b, 8080, n.t, 40 * SCN_MS);
    }

    /* A listed scanner knocks on the gateway (telnet, ssh): refused. */
    uint64_t t = start + 600 * SCN_SEC;
    for (unsigned i = 0; i < 6; i++)
        scn_tcp_refused(s, scanner, n.gw, i % 2 ? 22 : 23, t + i * 20 * SCN_SEC, 30 * SCN_MS);
}

static void scn_intel_phish(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    struct intel_net n;
    intel_net_init(s, &n);
    struct scn_host *phish = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(192, 0, 2, 200),
                                             NULL);
    struct scn_host *phish2 = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(192, 0, 2, 201),
                                              NULL);
    struct scn_host *web = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(203, 0, 113, 10), NULL);

    intel_dns(s, &n, n.pc1, "www.example.co.jp", web->ip4);
    intel_https(s, &n, n.pc1, web, "www.example.co.jp", SCN_TLS_CHROME, 900, 42000);
    /* A link in a mail: the plain-HTTP phishing page, its CSS and a form. */
    n.t += 30 * SCN_SEC;
    intel_dns(s, &n, n.pc1, "smbc-card-login.example.net", phish->ip4);
    intel_http(s, &n, n.pc1, phish, "smbc-card-login.example.net", "/jp/verify?id=8812#top",
               5200);
    intel_http(s, &n, n.pc1, phish, "smbc-card-login.example.net", "/jp/style.css", 1800);
    /* Later the HTTPS one, on the other PC. */
    n.t += 600 * SCN_SEC;
    intel_dns(s, &n, n.pc2, "secure.jcb-point.example.org", phish2->ip4);
    intel_https(s, &n, n.pc2, phish2, "secure.jcb-point.example.org", SCN_TLS_CHROME, 1500,
                23000);
}

static void scn_intel_quiet(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    struct intel_net n;
    intel_net_init(s, &n);
    struct scn_host *web = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(203, 0, 113, 10), NULL);
    struct scn_host *upd = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(203, 0, 113, 20), NULL);
    struct scn_host *near = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(198, 51, 101, 66),
                                            NULL);
    struct scn_host *look = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(203, 0, 113, 30), NULL);

    for (unsigned i = 0; i < 20; i++) {
        struct scn_host *pc = i % 2 ? n.pc2 : n.pc1;
        intel_dns(s, &n, pc, "www.example.co.jp", web->ip4);
        intel_https(s, &n, pc, web, "www.example.co.jp", SCN_TLS_CHROME, 900, 42000);
        if (i % 5 == 0) {
            intel_dns(s, &n, pc, "download.windowsupdate.example.com", upd->ip4);
            intel_http(s, &n, pc, upd, "download.windowsupdate.example.com",
                       "/d/msdownload/update/software/secu/2026/11/kb5046617.cab", 400000);
        }
        n.t += 45 * SCN_SEC;
    }
    /* Look-alikes: a different registrable domain that contains the listed
     * name, a longer label ending in it, and the listed page's host on
     * another path. */
    intel_dns(s, &n, n.pc1, "evil-c2.example.com", look->ip4);
    intel_https(s, &n, n.pc1, look, "evil-c2.example.com", SCN_TLS_CHROME, 700, 9000);
    intel_dns(s, &n, n.pc1, "myevil-c2.example", look->ip4);
    intel_https(s, &n, n.pc1, look, "myevil-c2.example", SCN_TLS_CHROME, 700, 9000);
    intel_dns(s, &n, n.pc2, "smbc-card-login.example.net.example.co.jp", look->ip4);
    intel_http(s, &n, n.pc2, look, "smbc-card-login.example.net.example.co.jp", "/jp/verify?id=8812",
               3000);
    /* Next door to a listed network. */
    intel_https(s, &n, n.pc2, near, "cdn.example.net", SCN_TLS_CHROME, 800, 12000);
}

const struct scenario scn_table_intel[] = {
    {"intel-c2", "infected PC calling a listed C2 (name, address, JA3), a listed scanner",
     scn_intel_c2},
    {"intel-phish", "phishing pages on a JPCERT-style URL list opened over HTTP and HTTPS",
     scn_intel_phish},
    {"intel-quiet", "ordinary browsing and updates, look-alikes of listed names: no match",
     scn_intel_quiet},
    {.name = NULL},
};
