/* scn-practice.c - scenarios for the practice detectors, cleartext and
 * legacy.protocol (expectations in tests/golden/scenarios-practice.tsv).
 *
 * One small office, 192.168.60.0/24 behind a Yamaha router at .1, on
 * Monday 2026-11-02 from 09:00 JST. Positive scenarios show the bad habits
 * the detectors exist for (mail read over POP3 every few minutes, a NAS
 * administered over http and FTP, an old copier speaking SMBv1, a router's
 * Telnet port forwarded to the Internet); the quiet one does the same jobs
 * the way a current office does (TLS everywhere, SMB 3.1.1) and posts
 * ordinary forms, and must raise nothing of these two detectors. */
#include <stdio.h>
#include <string.h>

#include "scenario/scenario.h"
#include "scenario/scn-build.h"
#include "util/util.h"

#define PR_IP(x) SCN_IP4(192, 168, 60, (x))
#define PR_DOMAIN "kato-shoten.example"

static const uint8_t oui_ricoh[3] = {0x00, 0x26, 0x73};

static const char pr_ua[] = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
                            "(KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";

struct pr_net {
    struct scn_host *gw, *pc, *pc2, *nas;
    uint64_t t;
};

static void pr_net_init(struct scn *s, struct pr_net *n)
{
    n->gw = scn_host_new(s, "RTX830", SCN_OS_ROUTER, scn_oui_yamaha, PR_IP(1));
    n->pc = scn_host_new(s, "JIMU-PC01", SCN_OS_WINDOWS, scn_oui_dell, PR_IP(101));
    n->pc2 = scn_host_new(s, "EIGYO-PC02", SCN_OS_WINDOWS, scn_oui_hp, PR_IP(102));
    n->nas = scn_host_new(s, "NAS01", SCN_OS_LINUX, scn_oui_synology, PR_IP(20));
    n->t = SCN_EPOCH_US;
    scn_arp_request(s, n->t, n->pc, n->gw->ip4);
    scn_arp_reply(s, n->t + 300, n->gw, n->pc);
    scn_arp_request(s, n->t + 2 * SCN_MS, n->pc2, n->gw->ip4);
    scn_arp_reply(s, n->t + 2 * SCN_MS + 300, n->gw, n->pc2);
    scn_arp_announce(s, n->t + 4 * SCN_MS, n->nas);
    n->t += 10 * SCN_MS;
}

static void pr_next(struct pr_net *n, const struct scn_tcp *c, uint64_t gap)
{
    n->t = MAX(n->t, c->t) + gap;
}

static void pr_text(struct scn *s, struct scn_tcp *c, int dir, const char *text)
{
    scn_tcp_send(s, c, dir, text, strlen(text));
    scn_tcp_wait(c, scn_rng_range(&s->rng, 300, 4 * SCN_MS));
}

/* Client line, then the server's reply (either may be NULL). */
static void pr_say(struct scn *s, struct scn_tcp *c, const char *cmd, const char *reply)
{
    if (cmd)
        pr_text(s, c, 0, cmd);
    if (reply)
        pr_text(s, c, 1, reply);
}

/* POP3 USER/PASS (or APOP when apop) and a short mailbox check. */
static void pr_pop3(struct scn *s, struct scn_host *cli, struct scn_host *srv, uint64_t t,
                    bool apop)
{
    struct scn_tcp c;
    scn_tcp_open(s, &c, cli, srv, 0, 110, false, t, 18 * SCN_MS);
    pr_say(s, &c, NULL, "+OK POP3 pop.ocn-mail.example server ready <1896.697170952@ocn>\r\n");
    if (apop) {
        pr_say(s, &c, "APOP kato c4c9334bac560ecc979e58001b3e22fb\r\n", "+OK maildrop has 1\r\n");
    } else {
        pr_say(s, &c, "USER kato\r\n", "+OK\r\n");
        pr_say(s, &c, "PASS Shoten2026\r\n", "+OK Logged in.\r\n");
    }
    pr_say(s, &c, "STAT\r\n", "+OK 0 0\r\n");
    pr_say(s, &c, "QUIT\r\n", "+OK Bye\r\n");
    scn_tcp_close(s, &c, 1);
}

/* ----------------------------------------------------- practice-mail */

/* JIMU-PC01's mail program polls the provider's POP3 server every 10
 * minutes for four hours with USER/PASS, sends two messages with AUTH LOGIN
 * on 587 without STARTTLS, and EIGYO-PC02 reads its mail over IMAP LOGIN.
 * -> cleartext/internet (medium) for each (client, server, protocol, user):
 * POP3 once with count 24, SMTP, IMAP. */
static void pr_gen_mail(struct scn *s, const struct scenario_opts *o)
{
    struct pr_net n;
    struct scn_host *pop, *smtp, *imap;
    struct scn_tcp c;
    (void)o;

    pr_net_init(s, &n);
    pop = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(203, 0, 113, 110), NULL);
    smtp = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(203, 0, 113, 25), NULL);
    imap = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(198, 51, 100, 143), NULL);

    for (int i = 0; i < 24; i++)
        pr_pop3(s, n.pc, pop, n.t + (uint64_t)i * 10 * SCN_MIN + scn_rng_range(&s->rng, 0, 5 * SCN_SEC),
                false);
    scn_smtp_session(s, n.pc, smtp, 587, n.t + 31 * SCN_MIN, 18 * SCN_MS, "JIMU-PC01", false,
                     "smtp.ocn-mail.example", "kato@" PR_DOMAIN, "Shoten2026",
                     "kato@" PR_DOMAIN, "order@tonya.example.jp");
    scn_smtp_session(s, n.pc, smtp, 587, n.t + 95 * SCN_MIN, 18 * SCN_MS, "JIMU-PC01", false,
                     "smtp.ocn-mail.example", "kato@" PR_DOMAIN, "Shoten2026",
                     "kato@" PR_DOMAIN, "keiri@zeirishi.example.jp");

    scn_tcp_open(s, &c, n.pc2, imap, 0, 143, false, n.t + 12 * SCN_MIN, 25 * SCN_MS);
    pr_say(s, &c, NULL, "* OK [CAPABILITY IMAP4rev1 LITERAL+ AUTH=PLAIN] imap.mail.example ready\r\n");
    pr_say(s, &c, "a1 LOGIN eigyo2 \"Eigyo!2026\"\r\n", "a1 OK LOGIN completed\r\n");
    pr_say(s, &c, "a2 SELECT INBOX\r\n", "* 3 EXISTS\r\na2 OK [READ-WRITE] SELECT completed\r\n");
    pr_say(s, &c, "a3 LOGOUT\r\n", "* BYE\r\na3 OK LOGOUT completed\r\n");
    scn_tcp_close(s, &c, 1);
}

/* ------------------------------------------------------ practice-lan */

/* Office habits inside the LAN: JIMU-PC01 uploads the day's files to NAS01
 * by FTP, logs in to the NAS's http admin page with a form (user/passwd)
 * and to the router's page with Basic authentication, and EIGYO-PC02
 * configures the switch over Telnet. -> cleartext/lan (low) for each, and
 * legacy.protocol/telnet (low) for the switch. Anonymous FTP to the NAS's
 * public folder raises nothing. */
static void pr_gen_lan(struct scn *s, const struct scenario_opts *o)
{
    struct pr_net n;
    struct scn_host *sw;
    struct scn_tcp c;
    (void)o;

    pr_net_init(s, &n);
    sw = scn_host_new(s, "SW01", SCN_OS_ROUTER, scn_oui_nec, PR_IP(254));

    for (int i = 0; i < 2; i++) {
        const char *user = i == 0 ? "USER kato\r\n" : "USER anonymous\r\n";
        const char *pass = i == 0 ? "PASS Nas-Upload7\r\n" : "PASS guest@\r\n";
        scn_tcp_open(s, &c, n.pc, n.nas, 0, 21, false, n.t, 400);
        pr_say(s, &c, NULL, "220 NAS01 FTP server ready.\r\n");
        pr_say(s, &c, user, "331 Password required.\r\n");
        pr_say(s, &c, pass, "230 User logged in.\r\n");
        pr_say(s, &c, "TYPE I\r\n", "200 Type set to I.\r\n");
        pr_say(s, &c, "QUIT\r\n", "221 Goodbye.\r\n");
        scn_tcp_close(s, &c, 1);
        pr_next(&n, &c, 30 * SCN_SEC);
    }

    scn_tcp_open(s, &c, n.pc, n.nas, 0, 5000, false, n.t, 400);
    scn_http_exchange(s, &c, "GET", "192.168.60.20:5000", "/webman/index.cgi", pr_ua, NULL, NULL,
                      200, "text/html", 3200);
    scn_http_exchange(s, &c, "POST", "192.168.60.20:5000", "/webman/login.cgi", pr_ua, NULL,
                      "username=admin&passwd=Nas%21Admin99&OTPcode=&rememberme=0", 200,
                      "application/json", 120);
    scn_tcp_close(s, &c, 0);
    pr_next(&n, &c, 20 * SCN_SEC);

    /* The router's page, Basic authentication (admin:Rtx830pass) on each request. */
    scn_tcp_open(s, &c, n.pc, n.gw, 0, 80, false, n.t, 400);
    for (int i = 0; i < 3; i++) {
        char req[256];
        snprintf(req, sizeof(req),
                 "GET /dashboard/%d.html HTTP/1.1\r\nHost: 192.168.60.1\r\nUser-Agent: %.40s\r\n"
                 "Authorization: Basic YWRtaW46UnR4ODMwcGFzcw==\r\n\r\n",
                 i, pr_ua);
        pr_text(s, &c, 0, req);
        pr_text(s, &c, 1,
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 12\r\n\r\n"
                "<html></html>");
    }
    scn_tcp_close(s, &c, 0);
    pr_next(&n, &c, 40 * SCN_SEC);

    scn_tcp_open(s, &c, n.pc2, sw, 0, 23, false, n.t, 700);
    {
        static const uint8_t srv1[] = {0xff, 0xfb, 0x01, 0xff, 0xfb, 0x03};
        static const uint8_t cli1[] = {0xff, 0xfd, 0x01, 0xff, 0xfd, 0x03};
        scn_tcp_send(s, &c, 1, srv1, sizeof(srv1));
        scn_tcp_send(s, &c, 0, cli1, sizeof(cli1));
        pr_text(s, &c, 1, "\r\nQX-S1016GT login: ");
        pr_text(s, &c, 0, "manager\r\n");
        pr_text(s, &c, 1, "\r\nPassword: ");
        pr_text(s, &c, 0, "Sw1tchPass\r\n");
        pr_text(s, &c, 1, "\r\nQX-S1016GT> ");
        pr_text(s, &c, 0, "show vlan\r\n");
        pr_text(s, &c, 1, "VLAN 1 default\r\nQX-S1016GT> ");
        pr_text(s, &c, 0, "exit\r\n");
        scn_tcp_close(s, &c, 1);
    }
}

/* ------------------------------------------------------ practice-web */

/* Logins to Internet sites over plain http: JIMU-PC01 signs in to a
 * supplier's ordering site (login_id/password), EIGYO-PC02 to an old
 * Japanese portal whose field is named パスワード (percent-encoded), and
 * later in a chunked POST. -> cleartext/internet (medium) for both, the
 * field name in the facts. */
static void pr_gen_web(struct scn *s, const struct scenario_opts *o)
{
    struct pr_net n;
    struct scn_host *shop, *portal;
    struct scn_tcp c;
    (void)o;

    pr_net_init(s, &n);
    shop = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(203, 0, 113, 80), NULL);
    portal = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(198, 51, 100, 80), NULL);

    scn_tcp_open(s, &c, n.pc, shop, 0, 80, false, n.t, 12 * SCN_MS);
    scn_http_exchange(s, &c, "GET", "order.tonya.example.jp", "/login", pr_ua, NULL, NULL, 200,
                      "text/html", 5400);
    scn_http_exchange(s, &c, "POST", "order.tonya.example.jp", "/login", pr_ua, NULL,
                      "csrf=8f1e2a&login_id=kato-shoten&password=Tonya%402026&remember=on", 302,
                      "text/html", 0);
    scn_tcp_close(s, &c, 0);
    pr_next(&n, &c, 2 * SCN_MIN);

    scn_tcp_open(s, &c, n.pc2, portal, 0, 80, false, n.t, 14 * SCN_MS);
    /* ユーザーID=eigyo02&パスワード=Eigyo!2026 */
    scn_http_exchange(s, &c, "POST", "portal.kumiai.example.jp", "/member/login.php", pr_ua,
                      "application/x-www-form-urlencoded; charset=UTF-8",
                      "%E3%83%A6%E3%83%BC%E3%82%B6%E3%83%BCID=eigyo02&"
                      "%E3%83%91%E3%82%B9%E3%83%AF%E3%83%BC%E3%83%89=Eigyo%212026",
                      200, "text/html", 2400);
    scn_tcp_close(s, &c, 0);
}

/* ------------------------------------------------------ practice-smb1 */

/* SMB framing helpers for the multi-protocol negotiate. */
static void pr_nbss(struct scn *s, struct scn_tcp *c, int dir, const struct scn_buf *msg)
{
    struct scn_buf f;
    scn_buf_init(&f);
    scn_buf_u8(&f, 0);
    scn_buf_u24(&f, (uint32_t)msg->len);
    scn_buf_mem(&f, msg->p, msg->len);
    scn_tcp_send(s, c, dir, f.p, f.len);
    scn_buf_free(&f);
}

/* Windows with the SMB1 client still installed: an SMB1 NEGOTIATE offering
 * "NT LM 0.12", "SMB 2.002" and "SMB 2.???", answered by the server with an
 * SMB2 NEGOTIATE response (dialect 0x02ff: go on in SMB2), MS-SMB2 3.3.5.3.1. */
static void pr_smb_multi(struct scn *s, struct scn_host *cli, struct scn_host *srv, uint64_t t0)
{
    static const char *const dialects[] = {"PC NETWORK PROGRAM 1.0", "LANMAN1.0",
                                           "Windows for Workgroups 3.1a", "LM1.2X002",
                                           "LANMAN2.1", "NT LM 0.12", "SMB 2.002", "SMB 2.???"};
    struct scn_tcp c;
    struct scn_buf b;
    scn_buf_init(&b);
    scn_tcp_open(s, &c, cli, srv, 0, 445, false, t0, scn_rng_range(&s->rng, 150, 600));
    scn_buf_mem(&b, "\xffSMB", 4);
    scn_buf_u8(&b, 0x72);
    scn_buf_le32(&b, 0);
    scn_buf_u8(&b, 0x18);
    scn_buf_le16(&b, 0xc853);
    scn_buf_le16(&b, 0);
    scn_buf_zero(&b, 8);
    scn_buf_le16(&b, 0);
    scn_buf_le16(&b, 0);
    scn_buf_le16(&b, 0xfeff);
    scn_buf_le16(&b, 0);
    scn_buf_le16(&b, 0);
    scn_buf_u8(&b, 0);
    size_t bc = b.len;
    scn_buf_le16(&b, 0);
    for (size_t i = 0; i < ARRAY_SIZE(dialects); i++) {
        scn_buf_u8(&b, 0x02);
        scn_buf_mem(&b, dialects[i], strlen(dialects[i]) + 1);
    }
    size_t nb = b.len - bc - 2;
    b.p[bc] = (uint8_t)nb;
    b.p[bc + 1] = (uint8_t)(nb >> 8);
    pr_nbss(s, &c, 0, &b);

    /* SMB2 NEGOTIATE response, dialect 2.??, no security blob */
    scn_buf_clear(&b);
    scn_buf_mem(&b, "\xfeSMB", 4);
    scn_buf_le16(&b, 64);
    scn_buf_le16(&b, 0);
    scn_buf_le32(&b, 0);
    scn_buf_le16(&b, 0);  /* NEGOTIATE */
    scn_buf_le16(&b, 1);
    scn_buf_le32(&b, 1);  /* response */
    scn_buf_le32(&b, 0);
    scn_buf_le64(&b, 0);
    scn_buf_le32(&b, 0xfeff);
    scn_buf_le32(&b, 0);
    scn_buf_le64(&b, 0);
    scn_buf_zero(&b, 16);
    scn_buf_le16(&b, 65);
    scn_buf_le16(&b, 1);      /* signing enabled */
    scn_buf_le16(&b, 0x02ff); /* wildcard: continue with SMB2 */
    scn_buf_le16(&b, 0);
    scn_buf_rand(&b, &s->rng, 16); /* server GUID */
    scn_buf_le32(&b, 7);
    scn_buf_le32(&b, 8388608);
    scn_buf_le32(&b, 8388608);
    scn_buf_le32(&b, 8388608);
    scn_buf_le64(&b, 0);
    scn_buf_le64(&b, 0);
    scn_buf_le16(&b, 128);
    scn_buf_le16(&b, 0);
    scn_buf_le32(&b, 0);
    pr_nbss(s, &c, 1, &b);
    scn_tcp_wait(&c, scn_rng_range(&s->rng, 1 * SCN_MS, 10 * SCN_MS));
    scn_tcp_close(s, &c, 0);
    scn_buf_free(&b);
}

/* The copier (Ricoh, MFP01) saves scans to the NAS over SMBv1 (NT LM 0.12
 * negotiated) three times; the old accounting PC KEIRI-PC03 does too
 * -> legacy.protocol/smb1 (medium) for NAS01, count 2 clients.
 * EIGYO-PC02 still has the SMB1 client: its multi-protocol negotiate to the
 * Windows file server FILESV01 is answered in SMB2 -> smb1_offered (low)
 * keyed by EIGYO-PC02. JIMU-PC01 speaks SMB 3.1.1 only -> nothing. */
static void pr_gen_smb1(struct scn *s, const struct scenario_opts *o)
{
    struct pr_net n;
    struct scn_host *mfp, *old, *fs;
    (void)o;

    pr_net_init(s, &n);
    mfp = scn_host_new(s, "MFP01", SCN_OS_PRINTER, oui_ricoh, PR_IP(30));
    old = scn_host_new(s, "KEIRI-PC03", SCN_OS_WINDOWS, scn_oui_nec, PR_IP(103));
    fs = scn_host_new(s, "FILESV01", SCN_OS_WINDOWS, scn_oui_dell, PR_IP(10));
    scn_arp_announce(s, n.t, mfp);
    scn_arp_announce(s, n.t + 1 * SCN_MS, old);
    scn_arp_announce(s, n.t + 2 * SCN_MS, fs);
    for (int i = 0; i < 3; i++)
        scn_smb1_negotiate(s, mfp, n.nas, n.t + (uint64_t)(i * 40 + 1) * SCN_MIN, "WORKGROUP");
    scn_smb1_negotiate(s, old, n.nas, n.t + 17 * SCN_MIN, "WORKGROUP");
    pr_smb_multi(s, n.pc2, fs, n.t + 5 * SCN_MIN);
    pr_smb_multi(s, n.pc2, fs, n.t + 65 * SCN_MIN);
    scn_smb311_session(s, n.pc, fs, n.t + 8 * SCN_MIN, "WORKGROUP", "kato", "\\\\FILESV01\\share");
}

/* -------------------------------------------------- practice-legacy */

/* A TLS 1.0 handshake (RFC 2246): the client's hello (an SSLv2-format one
 * when v2hello, as old Java and OpenSSL 0.9 sent), ServerHello 0x0301 with
 * TLS_RSA_WITH_AES_128_CBC_SHA, a self-signed certificate, then the key
 * exchange and encrypted records. */
static void pr_tls10(struct scn *s, struct scn_tcp *c, const char *sni, bool v2hello)
{
    struct scn_buf b;
    scn_buf_init(&b);
    if (v2hello) {
        static const uint8_t ciphers[] = {0x00, 0x00, 0x2f, 0x00, 0x00, 0x35, 0x00, 0x00, 0x0a,
                                          0x01, 0x00, 0x80, 0x07, 0x00, 0xc0};
        size_t len = 9 + sizeof(ciphers) + 16;
        scn_buf_u16(&b, (uint16_t)(0x8000 | len));
        scn_buf_u8(&b, 1);
        scn_buf_u16(&b, 0x0301);
        scn_buf_u16(&b, sizeof(ciphers));
        scn_buf_u16(&b, 0);
        scn_buf_u16(&b, 16);
        scn_buf_mem(&b, ciphers, sizeof(ciphers));
        scn_buf_rand(&b, &s->rng, 16);
    } else {
        scn_tls_client_hello(s, &b, SCN_TLS_OLD, sni, NULL);
        b.p[1] = 0x03; /* record version 3.1 */
        b.p[2] = 0x01;
        b.p[9] = 0x03; /* client_version TLS 1.0: the device knows nothing newer */
        b.p[10] = 0x01;
    }
    scn_tcp_send(s, c, 0, b.p, b.len);

    scn_buf_clear(&b);
    scn_buf_u8(&b, 22);
    scn_buf_u16(&b, 0x0301);
    size_t rl = scn_buf_mark(&b, 2);
    scn_buf_u8(&b, 2);
    size_t hs = scn_buf_mark(&b, 3);
    scn_buf_u16(&b, 0x0301);
    scn_buf_rand(&b, &s->rng, 32);
    scn_buf_u8(&b, 32);
    scn_buf_rand(&b, &s->rng, 32);
    scn_buf_u16(&b, 0x002f);
    scn_buf_u8(&b, 0);
    scn_buf_patch(&b, hs, 3);
    scn_buf_u8(&b, 11);
    hs = scn_buf_mark(&b, 3);
    size_t list = scn_buf_mark(&b, 3);
    size_t one = scn_buf_mark(&b, 3);
    scn_tls_cert(s, &b, "Kato Shoten", sni ? sni : "nas01", "Kato Shoten", sni ? sni : "nas01");
    scn_buf_patch(&b, one, 3);
    scn_buf_patch(&b, list, 3);
    scn_buf_patch(&b, hs, 3);
    scn_buf_u8(&b, 14);
    scn_buf_u24(&b, 0);
    scn_buf_patch(&b, rl, 2);
    scn_tcp_send(s, c, 1, b.p, b.len);

    scn_buf_clear(&b);
    scn_buf_mem(&b, "\x16\x03\x01\x01\x06\x10\x00\x01\x02\x01\x00", 11); /* ClientKeyExchange */
    scn_buf_rand(&b, &s->rng, 256);
    scn_buf_mem(&b, "\x14\x03\x01\x00\x01\x01\x16\x03\x01\x00\x30", 11);
    scn_buf_rand(&b, &s->rng, 48);
    scn_tcp_send(s, c, 0, b.p, b.len);
    scn_buf_clear(&b);
    scn_buf_mem(&b, "\x14\x03\x01\x00\x01\x01\x16\x03\x01\x00\x30", 11);
    scn_buf_rand(&b, &s->rng, 48);
    scn_tcp_send(s, c, 1, b.p, b.len);
    scn_buf_clear(&b);
    scn_buf_mem(&b, "\x17\x03\x01\x01\x40", 5);
    scn_buf_rand(&b, &s->rng, 320);
    scn_tcp_send(s, c, 0, b.p, b.len);
    scn_buf_free(&b);
}

/* The copier's https admin page speaks only TLS 1.0, and JIMU-PC01 and
 * EIGYO-PC02 open it (-> legacy.protocol/tls, count 2); an old scanner
 * utility on JIMU-PC01 talks to an Internet server with an SSLv2-format
 * hello (-> tls for that server); the factory's control box answers
 * SSH-1.5 (-> ssh) and the NAS runs OpenSSH 5.3 (-> ssh_software); and
 * the router's Telnet, forwarded to the Internet, gets login attempts from
 * two outside addresses (-> telnet_internet, medium; their failed guesses
 * are not cleartext alerts). */
static void pr_gen_legacy(struct scn *s, const struct scenario_opts *o)
{
    struct pr_net n;
    struct scn_host *mfp, *ctl, *upd, *bot[2];
    struct scn_tcp c;
    (void)o;

    pr_net_init(s, &n);
    mfp = scn_host_new(s, "MFP01", SCN_OS_PRINTER, oui_ricoh, PR_IP(30));
    ctl = scn_host_new(s, "SEIGYO-BOX", SCN_OS_ROUTER, scn_oui_nec, PR_IP(40));
    upd = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(203, 0, 113, 44), NULL);
    bot[0] = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(198, 51, 100, 23), NULL);
    bot[1] = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(192, 0, 2, 77), NULL);
    scn_arp_announce(s, n.t, mfp);
    scn_arp_announce(s, n.t + 1 * SCN_MS, ctl);

    for (int i = 0; i < 3; i++) {
        struct scn_host *cli = i == 1 ? n.pc2 : n.pc;
        scn_tcp_open(s, &c, cli, mfp, 0, 443, false, n.t, 900);
        pr_tls10(s, &c, NULL, false);
        scn_tcp_close(s, &c, 0);
        pr_next(&n, &c, 3 * SCN_MIN);
    }
    scn_tcp_open(s, &c, n.pc, upd, 0, 443, false, n.t, 20 * SCN_MS);
    pr_tls10(s, &c, NULL, true);
    scn_tcp_close(s, &c, 0);
    pr_next(&n, &c, 1 * SCN_MIN);

    scn_ssh_session(s, n.pc2, ctl, n.t, 600, "SSH-1.5-PuTTY_Release_0.58", "SSH-1.5-1.2.27",
                    12);
    n.t += 2 * SCN_MIN;
    scn_ssh_session(s, n.pc, n.nas, n.t, 400, "SSH-2.0-OpenSSH_for_Windows_9.5",
                    "SSH-2.0-OpenSSH_5.3", 20);
    n.t += 2 * SCN_MIN;

    for (int k = 0; k < 4; k++) {
        static const uint8_t srv1[] = {0xff, 0xfb, 0x01, 0xff, 0xfb, 0x03};
        static const uint8_t cli1[] = {0xff, 0xfd, 0x01, 0xff, 0xfd, 0x03};
        scn_tcp_open(s, &c, bot[k % 2], n.gw, 0, 23, false, n.t, 90 * SCN_MS);
        scn_tcp_send(s, &c, 1, srv1, sizeof(srv1));
        scn_tcp_send(s, &c, 0, cli1, sizeof(cli1));
        pr_text(s, &c, 1, "\r\nRTX830 login: ");
        pr_text(s, &c, 0, k % 2 ? "admin\r\n" : "root\r\n");
        pr_text(s, &c, 1, "\r\nPassword: ");
        pr_text(s, &c, 0, k % 2 ? "admin\r\n" : "xc3511\r\n");
        pr_text(s, &c, 1, "\r\nLogin incorrect\r\n\r\nRTX830 login: ");
        scn_tcp_close(s, &c, 0);
        pr_next(&n, &c, 7 * SCN_MIN);
    }
}

/* ------------------------------------------------------ practice-quiet */

/* The same jobs done the current way, plus forms that are not logins:
 * webmail and the ordering site over https (TLS 1.3 and 1.2), mail sent on
 * 587 with STARTTLS before AUTH, IMAPS and POP3S (TLS from the first byte),
 * a search box, a contact form and a form with "passport_no" and "compass"
 * fields posted over plain http, SMB 3.1.1 to the file server, SSH 2 to a
 * current OpenSSH, and anonymous FTP from a public mirror. -> no cleartext,
 * no legacy.protocol. */
static void pr_gen_quiet(struct scn *s, const struct scenario_opts *o)
{
    struct pr_net n;
    struct scn_host *web, *mail, *site, *fs, *mirror, *shop;
    struct scn_tcp c;
    (void)o;

    pr_net_init(s, &n);
    web = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(203, 0, 113, 200), NULL);
    mail = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(203, 0, 113, 25), NULL);
    site = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(198, 51, 100, 80), NULL);
    mirror = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(192, 0, 2, 21), NULL);
    shop = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(203, 0, 113, 81), NULL);
    fs = scn_host_new(s, "FILESV01", SCN_OS_WINDOWS, scn_oui_dell, PR_IP(10));
    scn_arp_announce(s, n.t, fs);

    scn_https_visit(s, n.pc, web, "mail.google.com", SCN_TLS_CHROME, true, n.t, 12 * SCN_MS, 4,
                    900, 40000);
    scn_https_visit(s, n.pc2, shop, "order.tonya.example.jp", SCN_TLS_OLD, false,
                    n.t + 1 * SCN_MIN, 12 * SCN_MS, 3, 1500, 20000);
    scn_smtp_session(s, n.pc, mail, 587, n.t + 2 * SCN_MIN, 15 * SCN_MS, "JIMU-PC01", true,
                     "smtp.ocn-mail.example", "kato@" PR_DOMAIN, "Shoten2026",
                     "kato@" PR_DOMAIN, "order@tonya.example.jp");
    for (int i = 0; i < 2; i++) {
        scn_tcp_open(s, &c, i ? n.pc2 : n.pc, mail, 0, i ? 995 : 993, false,
                     n.t + (uint64_t)(3 + i) * SCN_MIN, 15 * SCN_MS);
        scn_tls_handshake(s, &c, SCN_TLS_MAILER, i ? "pop.ocn-mail.example" : "imap.ocn-mail.example",
                          NULL, true, NULL, NULL);
        scn_tls_data(s, &c, 0, 300);
        scn_tls_data(s, &c, 1, 6000);
        scn_tcp_close(s, &c, 0);
    }
    n.t += 5 * SCN_MIN;

    scn_tcp_open(s, &c, n.pc, site, 0, 80, false, n.t, 14 * SCN_MS);
    scn_http_exchange(s, &c, "POST", "www.kumiai.example.jp", "/search", pr_ua, NULL,
                      "q=%E8%AB%8B%E6%B1%82%E6%9B%B8&page=1", 200, "text/html", 8000);
    scn_http_exchange(s, &c, "POST", "www.kumiai.example.jp", "/contact", pr_ua, NULL,
                      "name=Kato&email=kato%40kato-shoten.example&subject=pass+rate&"
                      "message=Please+send+the+password+reset+form", 200, "text/html", 1200);
    scn_http_exchange(s, &c, "POST", "www.kumiai.example.jp", "/travel", pr_ua, NULL,
                      "passport_no=TZ1234567&compass=north&bypass=1&password=", 200,
                      "text/html", 900);
    scn_tcp_close(s, &c, 0);
    pr_next(&n, &c, 30 * SCN_SEC);

    scn_smb311_session(s, n.pc, fs, n.t, "WORKGROUP", "kato", "\\\\FILESV01\\share");
    scn_smb311_session(s, n.pc2, fs, n.t + 20 * SCN_SEC, "WORKGROUP", "eigyo",
                       "\\\\FILESV01\\share");
    n.t += 1 * SCN_MIN;
    scn_ssh_session(s, n.pc, n.nas, n.t, 400, "SSH-2.0-OpenSSH_for_Windows_9.5",
                    "SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13.5", 30);
    n.t += 2 * SCN_MIN;

    scn_tcp_open(s, &c, n.pc2, mirror, 0, 21, false, n.t, 30 * SCN_MS);
    pr_say(s, &c, NULL, "220 ftp.mirror.example FTP server ready\r\n");
    pr_say(s, &c, "USER anonymous\r\n", "331 Please send your e-mail address as password.\r\n");
    pr_say(s, &c, "PASS guest@\r\n", "230 Anonymous access granted.\r\n");
    pr_say(s, &c, "QUIT\r\n", "221 Goodbye.\r\n");
    scn_tcp_close(s, &c, 1);
}

/* ------------------------------------------------------ practice-apop */

/* A mail program set to APOP: not a cleartext password, but a weak login
 * -> cleartext/weak (low), once for 6 polls. */
static void pr_gen_apop(struct scn *s, const struct scenario_opts *o)
{
    struct pr_net n;
    struct scn_host *pop;
    (void)o;

    pr_net_init(s, &n);
    pop = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(203, 0, 113, 110), NULL);
    for (int i = 0; i < 6; i++)
        pr_pop3(s, n.pc, pop, n.t + (uint64_t)i * 15 * SCN_MIN, true);
}

const struct scenario scn_table_practice[] = {
    {"practice-mail", "POP3, IMAP and SMTP AUTH logins in clear to the mail provider",
     pr_gen_mail},
    {"practice-lan", "FTP, NAS login form, router Basic auth and switch Telnet inside the LAN",
     pr_gen_lan},
    {"practice-web", "login forms posted over plain http to Internet sites", pr_gen_web},
    {"practice-apop", "a mail program polling with POP3 APOP", pr_gen_apop},
    {"practice-smb1", "a copier and an old PC on SMBv1, a PC still offering it", pr_gen_smb1},
    {"practice-legacy", "TLS 1.0 copier, SSLv2 hello, SSH-1 box, OpenSSH 5.3, exposed Telnet",
     pr_gen_legacy},
    {"practice-quiet", "the same jobs over TLS, SMB 3.1.1 and SSH 2, ordinary forms",
     pr_gen_quiet},
    {.name = NULL},
};
