/* scn-auth.c - scenarios for the auth detectors, bruteforce and spam.burst
 * (expectations in tests/golden/scenarios-auth.tsv).
 *
 * One small office, 192.168.10.0/24: router 192.168.10.1 (DNS forwarder),
 * domain controller DC01 .10, NAS01 .20 (SSH, FTP), mail server MAIL01 .25
 * (only in the mail-server scenarios), PCs from .101, the copier .50.
 * Outside: the provider's mail server 203.0.113.25, attackers in
 * 198.51.100.0/24, recipients' MX hosts in 192.0.2.0/24 and 203.0.113.128/25.
 *
 * Positive: auth-ssh-inbound, auth-ssh-success, auth-ftp-internal,
 * auth-imap-spray, auth-smtp-outbound, auth-kerberos-spray, auth-vpn-inbound,
 * spam-emotet, spam-bot-small.
 * Negative (ordinary office traffic that resembles them): auth-quiet-mailpoll,
 * auth-quiet-typo, auth-quiet-adlogon, auth-quiet-admin, spam-quiet-copier,
 * spam-quiet-mailserver, spam-quiet-outlook.
 */
#include <stdio.h>
#include <string.h>

#include "scenario/scenario.h"
#include "scenario/scn-build.h"
#include "util/util.h"

#define AUTH_IP(x) SCN_IP4(192, 168, 10, (x))
#define AUTH_REALM "YAMADA.LOCAL"
#define AUTH_DOMAIN "yamada-shoji.example"

struct auth_net {
    struct scn_host *gw, *dc, *nas, *pc[8];
    unsigned npc;
    struct scn_host *provider; /* the provider's mail server (outside) */
    uint64_t t;
};

static void auth_net_init(struct scn *s, struct auth_net *n, unsigned npc)
{
    static const char *const names[] = {"SOUMU-PC01",  "EIGYO-PC02",   "KEIRI-PC03",
                                        "EIGYO-PC04",  "SEKKEI-PC05",  "SEKKEI-PC06",
                                        "SHACHO-PC07", "UKETSUKE-PC08"};
    n->gw = scn_host_new(s, "RTX830", SCN_OS_ROUTER, scn_oui_yamaha, AUTH_IP(1));
    n->dc = scn_host_new(s, "DC01", SCN_OS_WINDOWS, scn_oui_hp, AUTH_IP(10));
    n->nas = scn_host_new(s, "NAS01", SCN_OS_LINUX, scn_oui_hp, AUTH_IP(20));
    n->npc = MIN(npc, ARRAY_SIZE(names));
    for (unsigned i = 0; i < n->npc; i++)
        n->pc[i] = scn_host_new(s, names[i], SCN_OS_WINDOWS, scn_oui_dell, AUTH_IP(101 + i));
    n->provider = scn_host_remote(s, n->gw, SCN_OS_LINUX, SCN_IP4(203, 0, 113, 25), NULL);
    n->t = SCN_EPOCH_US;
    for (unsigned i = 0; i < n->npc; i++) {
        scn_arp_request(s, n->t, n->pc[i], n->gw->ip4);
        scn_arp_reply(s, n->t + 300, n->gw, n->pc[i]);
        n->t += 3 * SCN_MS;
    }
}

/* One line from side dir, then a short think. */
static void say(struct scn *s, struct scn_tcp *c, int dir, const char *text)
{
    scn_tcp_send(s, c, dir, text, strlen(text));
    scn_tcp_wait(c, scn_rng_range(&s->rng, 300, 3 * SCN_MS));
}

/* Client line and the server's answer. */
static void ask(struct scn *s, struct scn_tcp *c, const char *cmd, const char *answer)
{
    if (cmd)
        say(s, c, 0, cmd);
    say(s, c, 1, answer);
}

/* ------------------------------------------------------------- mail */

/* A POP3 check: USER/PASS (ok decides the answer), STAT, QUIT. */
static uint64_t pop3_check(struct scn *s, struct scn_host *cli, struct scn_host *srv, uint64_t t0,
                           const char *user, bool ok)
{
    struct scn_tcp c;
    char line[128];
    scn_tcp_open(s, &c, cli, srv, 0, 110, false, t0, 12 * SCN_MS);
    ask(s, &c, NULL, "+OK Dovecot ready.\r\n");
    snprintf(line, sizeof(line), "USER %s\r\n", user);
    ask(s, &c, line, "+OK\r\n");
    ask(s, &c, "PASS kaisha2026\r\n",
        ok ? "+OK Logged in.\r\n" : "-ERR [AUTH] Authentication failed.\r\n");
    if (ok)
        ask(s, &c, "STAT\r\n", "+OK 3 14820\r\n");
    ask(s, &c, "QUIT\r\n", "+OK Logging out.\r\n");
    scn_tcp_close(s, &c, 1);
    return c.t;
}

/* An IMAP session: `bad` failed LOGINs, then (if good) one that works. */
static uint64_t imap_session(struct scn *s, struct scn_host *cli, struct scn_host *srv,
                             uint16_t sport, uint64_t t0, const char *user, unsigned bad, bool good)
{
    struct scn_tcp c;
    char line[160];
    unsigned tag = 1;
    scn_tcp_open(s, &c, cli, srv, sport, 143, false, t0, 12 * SCN_MS);
    ask(s, &c, NULL,
        "* OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE AUTH=PLAIN] "
        "Dovecot ready.\r\n");
    for (unsigned i = 0; i < bad; i++) {
        snprintf(line, sizeof(line), "a%03u LOGIN %s \"Passw0rd%u\"\r\n", tag, user, i);
        say(s, &c, 0, line);
        scn_tcp_wait(&c, 1500 * SCN_MS); /* servers delay a failed login */
        snprintf(line, sizeof(line), "a%03u NO [AUTHENTICATIONFAILED] Authentication failed.\r\n",
                 tag++);
        say(s, &c, 1, line);
    }
    if (good) {
        snprintf(line, sizeof(line), "a%03u LOGIN %s \"Sakura-2026\"\r\n", tag, user);
        say(s, &c, 0, line);
        snprintf(line, sizeof(line), "a%03u OK Logged in\r\n", tag++);
        say(s, &c, 1, line);
        snprintf(line, sizeof(line), "a%03u SELECT INBOX\r\n", tag);
        say(s, &c, 0, line);
        snprintf(line, sizeof(line),
                 "* 12 EXISTS\r\n* 0 RECENT\r\na%03u OK [READ-WRITE] Select "
                 "completed.\r\n",
                 tag++);
        say(s, &c, 1, line);
    }
    snprintf(line, sizeof(line), "a%03u LOGOUT\r\n", tag);
    say(s, &c, 0, line);
    snprintf(line, sizeof(line), "* BYE Logging out\r\na%03u OK Logout completed.\r\n", tag);
    say(s, &c, 1, line);
    scn_tcp_close(s, &c, 1);
    return c.t;
}

/* SMTP to an MX: EHLO, MAIL, nrcpt RCPTs, DATA, a short message, QUIT. */
static uint64_t smtp_deliver(struct scn *s, struct scn_host *cli, struct scn_host *mx, uint64_t t0,
                             const char *helo, const char *from, const char *domain, unsigned nrcpt)
{
    struct scn_tcp c;
    char line[200];
    scn_tcp_open(s, &c, cli, mx, 0, 25, false, t0, 40 * SCN_MS);
    snprintf(line, sizeof(line), "220 mx.%s ESMTP\r\n", domain);
    ask(s, &c, NULL, line);
    snprintf(line, sizeof(line), "EHLO %s\r\n", helo);
    ask(s, &c, line, "250-Hello\r\n250-SIZE 35882577\r\n250 8BITMIME\r\n");
    snprintf(line, sizeof(line), "MAIL FROM:<%s>\r\n", from);
    ask(s, &c, line, "250 2.1.0 Ok\r\n");
    for (unsigned i = 0; i < nrcpt; i++) {
        snprintf(line, sizeof(line), "RCPT TO:<user%u@%s>\r\n", i + 1, domain);
        ask(s, &c, line, "250 2.1.5 Ok\r\n");
    }
    ask(s, &c, "DATA\r\n", "354 End data with <CR><LF>.<CR><LF>\r\n");
    snprintf(line, sizeof(line),
             "From: <%s>\r\nSubject: Invoice\r\nMIME-Version: 1.0\r\n\r\nPlease see the "
             "attached invoice.\r\n.\r\n",
             from);
    ask(s, &c, line, "250 2.0.0 Ok: queued\r\n");
    ask(s, &c, "QUIT\r\n", "221 2.0.0 Bye\r\n");
    scn_tcp_close(s, &c, 1);
    return c.t;
}

/* A DNS MX lookup of domain and the A lookup of its exchanger. */
static void mx_lookup(struct scn *s, uint64_t *t, struct scn_host *cli, struct scn_host *dns,
                      const char *domain, const char *mxname, uint32_t ip)
{
    struct scn_dns_rr mx = {.type = SCN_DNS_MX, .ttl = 300, .target = mxname, .pref = 10};
    struct scn_dns_rr a = {.name = NULL, .type = SCN_DNS_A, .ttl = 300, .a = ip};
    scn_dns_lookup(s, t, cli, dns, domain, SCN_DNS_MX, &mx, 1, 0, 8 * SCN_MS);
    scn_dns_lookup(s, t, cli, dns, mxname, SCN_DNS_A, &a, 1, 0, 8 * SCN_MS);
}

/* A PC infected with a spam bot: MX lookups, then SMTP straight to `nmx`
 * recipients' MX servers within a couple of minutes, 3 recipients each. */
static void spam_bot(struct scn *s, struct auth_net *n, struct scn_host *pc, unsigned nmx)
{
    uint64_t t = n->t;
    for (unsigned i = 0; i < nmx; i++) {
        char domain[64], mxname[80];
        uint32_t ip = i < 100 ? SCN_IP4(192, 0, 2, 10 + i) : SCN_IP4(203, 0, 113, 28 + i);
        snprintf(domain, sizeof(domain), "torihiki%02u.example", i + 1);
        snprintf(mxname, sizeof(mxname), "mx%u.torihiki%02u.example", 1 + i % 3, i + 1);
        struct scn_host *mx = scn_host_remote(s, n->gw, SCN_OS_LINUX, ip, NULL);
        mx_lookup(s, &t, pc, n->gw, domain, mxname, ip);
        smtp_deliver(s, pc, mx, t, "SOUMU-PC01", "tanaka@" AUTH_DOMAIN, domain, 3);
        t += scn_rng_range(&s->rng, 500 * SCN_MS, 4 * SCN_SEC);
    }
    n->t = t + 5 * SCN_MIN;
}

/* spam-emotet: 40 MX servers in about two minutes -> critical. */
static void gen_spam_emotet(struct scn *s, const struct scenario_opts *o)
{
    struct auth_net n;
    (void)o;
    auth_net_init(s, &n, 2);
    /* The PC's ordinary submission first: one mail through the provider. */
    scn_smtp_session(s, n.pc[1], n.provider, 587, n.t, 12 * SCN_MS, "EIGYO-PC02", true,
                     "mail." AUTH_DOMAIN, NULL, NULL, NULL, NULL);
    n.t += 30 * SCN_SEC;
    spam_bot(s, &n, n.pc[0], 40);
}

/* spam-bot-small: 10 MX servers -> high (not critical). */
static void gen_spam_bot_small(struct scn *s, const struct scenario_opts *o)
{
    struct auth_net n;
    (void)o;
    auth_net_init(s, &n, 2);
    spam_bot(s, &n, n.pc[0], 10);
}

/* spam-quiet-copier: the copier's scan-to-mail, 12 mails over an hour
 * through the provider's submission port with AUTH. */
static void gen_spam_quiet_copier(struct scn *s, const struct scenario_opts *o)
{
    struct auth_net n;
    (void)o;
    auth_net_init(s, &n, 1);
    struct scn_host *mfp = scn_host_new(s, "MFC-L2750DW", SCN_OS_PRINTER, scn_oui_brother, AUTH_IP(50));
    for (unsigned i = 0; i < 12; i++) {
        scn_smtp_session(s, mfp, n.provider, 587, n.t, 12 * SCN_MS, "MFC-L2750DW", false,
                         "mail." AUTH_DOMAIN, "scan@" AUTH_DOMAIN, "Fukugouki01",
                         "scan@" AUTH_DOMAIN, "tanaka@" AUTH_DOMAIN);
        n.t += scn_rng_range(&s->rng, 2 * SCN_MIN, 8 * SCN_MIN);
    }
}

/* spam-quiet-outlook: a PC with four mail accounts (its own provider and
 * three cloud ones) sends a few mails from each, three times in an hour. */
static void gen_spam_quiet_outlook(struct scn *s, const struct scenario_opts *o)
{
    struct auth_net n;
    (void)o;
    auth_net_init(s, &n, 1);
    static const struct {
        const char *name;
        uint32_t ip;
        uint16_t port;
    } subs[] = {
        {"smtp.office365.com", SCN_IP4(52, 98, 152, 194), 587},
        {"smtp.gmail.com", SCN_IP4(142, 250, 157, 108), 587},
        {"smtp.mail.yahoo.co.jp", SCN_IP4(183, 79, 57, 197), 465},
    };
    struct scn_host *srv[3];
    for (unsigned i = 0; i < 3; i++)
        srv[i] = scn_host_remote(s, n.gw, SCN_OS_LINUX, subs[i].ip, NULL);
    for (unsigned round = 0; round < 3; round++) {
        scn_smtp_session(s, n.pc[0], n.provider, 587, n.t, 12 * SCN_MS, "SOUMU-PC01", true,
                         "mail." AUTH_DOMAIN, NULL, NULL, NULL, NULL);
        for (unsigned i = 0; i < 3; i++) {
            struct scn_tcp c;
            scn_tcp_open(s, &c, n.pc[0], srv[i], 0, subs[i].port, false,
                         n.t + (i + 1) * 2 * SCN_SEC, 20 * SCN_MS);
            scn_tls_handshake(s, &c, SCN_TLS_MAILER, subs[i].name, NULL, true, subs[i].name, NULL);
            scn_tls_data(s, &c, 0, scn_rng_range(&s->rng, 2000, 40000));
            scn_tls_data(s, &c, 1, 400);
            scn_tcp_close(s, &c, 0);
        }
        n.t += 20 * SCN_MIN;
    }
}

/* spam-quiet-mailserver: the office's own mail server receives mail from
 * outside, takes the PCs' submissions and relays 30 mails to 15 different
 * MX servers within ten minutes. */
static void gen_spam_quiet_mailserver(struct scn *s, const struct scenario_opts *o)
{
    struct auth_net n;
    (void)o;
    auth_net_init(s, &n, 3);
    struct scn_host *mail = scn_host_new(s, "MAIL01", SCN_OS_LINUX, scn_oui_hp, AUTH_IP(25));
    /* inbound mail from two outside senders */
    for (unsigned i = 0; i < 2; i++) {
        struct scn_host *ext =
            scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(192, 0, 2, 200 + i), NULL);
        n.t = smtp_deliver(s, ext, mail, n.t, "mx.partner.example", "info@partner.example",
                           AUTH_DOMAIN, 1) +
              2 * SCN_SEC;
    }
    /* submissions from the PCs */
    for (unsigned i = 0; i < n.npc; i++)
        scn_smtp_session(s, n.pc[i], mail, 587, n.t + i * 20 * SCN_SEC, 500, n.pc[i]->name, true,
                         "mail." AUTH_DOMAIN, NULL, NULL, NULL, NULL);
    n.t += 2 * SCN_MIN;
    /* the relay */
    struct scn_host *mx[15];
    for (unsigned i = 0; i < 15; i++)
        mx[i] = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(203, 0, 113, 130 + i), NULL);
    for (unsigned i = 0; i < 30; i++) {
        char domain[64];
        snprintf(domain, sizeof(domain), "kokyaku%02u.example", i % 15 + 1);
        smtp_deliver(s, mail, mx[i % 15], n.t, "mail." AUTH_DOMAIN, "eigyo@" AUTH_DOMAIN, domain,
                     2);
        n.t += scn_rng_range(&s->rng, 5 * SCN_SEC, 30 * SCN_SEC);
    }
}

/* auth-quiet-mailpoll: six PCs check mail (POP3 or IMAP) at the provider
 * every five minutes for an hour: many short sessions, all logins good. */
static void gen_auth_quiet_mailpoll(struct scn *s, const struct scenario_opts *o)
{
    struct auth_net n;
    (void)o;
    auth_net_init(s, &n, 6);
    static const char *const users[] = {"tanaka", "suzuki", "sato", "takahashi", "ito", "watanabe"};
    for (unsigned round = 0; round < 12; round++) {
        for (unsigned i = 0; i < n.npc; i++) {
            uint64_t t = n.t + round * 5 * SCN_MIN + i * 7 * SCN_SEC;
            if (i % 2)
                imap_session(s, n.pc[i], n.provider, 0, t, users[i], 0, true);
            else
                pop3_check(s, n.pc[i], n.provider, t, users[i], true);
        }
    }
}

/* auth-quiet-typo: a user mistypes the IMAP password twice, then gets it;
 * another fails FTP on the NAS twice and logs in on the third try. */
static void gen_auth_quiet_typo(struct scn *s, const struct scenario_opts *o)
{
    struct auth_net n;
    (void)o;
    auth_net_init(s, &n, 2);
    n.t = imap_session(s, n.pc[0], n.provider, 0, n.t, "tanaka", 2, true) + 10 * SCN_SEC;
    for (unsigned i = 0; i < 3; i++) {
        struct scn_tcp c;
        scn_tcp_open(s, &c, n.pc[1], n.nas, 0, 21, false, n.t, 500);
        ask(s, &c, NULL, "220 (vsFTPd 3.0.5)\r\n");
        ask(s, &c, "USER suzuki\r\n", "331 Please specify the password.\r\n");
        if (i < 2) {
            ask(s, &c, "PASS suzuk1\r\n", "530 Login incorrect.\r\n");
        } else {
            ask(s, &c, "PASS suzuki-2026\r\n", "230 Login successful.\r\n");
            ask(s, &c, "PWD\r\n", "257 \"/home/suzuki\" is the current directory\r\n");
        }
        ask(s, &c, "QUIT\r\n", "221 Goodbye.\r\n");
        scn_tcp_close(s, &c, 1);
        n.t = c.t + scn_rng_range(&s->rng, 4 * SCN_SEC, 15 * SCN_SEC);
    }
}

/* auth-imap-spray: an Internet host tries two passwords on eight mailboxes
 * of the office's mail server (IMAP exposed on 143). */
static void gen_auth_imap_spray(struct scn *s, const struct scenario_opts *o)
{
    struct auth_net n;
    (void)o;
    auth_net_init(s, &n, 1);
    struct scn_host *mail = scn_host_new(s, "MAIL01", SCN_OS_LINUX, scn_oui_hp, AUTH_IP(25));
    struct scn_host *atk = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(198, 51, 100, 23), NULL);
    static const char *const users[] = {"info",   "admin", "sales",   "tanaka",
                                        "suzuki", "keiri", "support", "office"};
    for (unsigned i = 0; i < ARRAY_SIZE(users); i++)
        n.t = imap_session(s, atk, mail, 0, n.t, users[i], 2, false) +
              scn_rng_range(&s->rng, 1 * SCN_SEC, 6 * SCN_SEC);
}

/* auth-ftp-internal: a PC guesses the NAS's FTP password: 20 attempts in
 * under a minute, one connection each (as hydra does). */
static void gen_auth_ftp_internal(struct scn *s, const struct scenario_opts *o)
{
    struct auth_net n;
    (void)o;
    auth_net_init(s, &n, 2);
    for (unsigned i = 0; i < 20; i++) {
        struct scn_tcp c;
        char line[64];
        scn_tcp_open(s, &c, n.pc[1], n.nas, 0, 21, false, n.t, 500);
        ask(s, &c, NULL, "220 (vsFTPd 3.0.5)\r\n");
        ask(s, &c, "USER admin\r\n", "331 Please specify the password.\r\n");
        snprintf(line, sizeof(line), "PASS pass%03u\r\n", i);
        say(s, &c, 0, line);
        scn_tcp_wait(&c, 2 * SCN_SEC);
        say(s, &c, 1, "530 Login incorrect.\r\n");
        scn_tcp_close(s, &c, 0);
        n.t = c.t + scn_rng_range(&s->rng, 200 * SCN_MS, 900 * SCN_MS);
    }
}

/* auth-smtp-outbound: a PC tries stolen mail passwords (AUTH LOGIN in clear)
 * on the provider's submission server: 4 accounts, 3 tries each. */
static void gen_auth_smtp_outbound(struct scn *s, const struct scenario_opts *o)
{
    struct auth_net n;
    (void)o;
    auth_net_init(s, &n, 1);
    /* base64 of the user names and of a few passwords */
    static const char *const users[] = {
        "aW5mb0B0b3JpaGlraS5leGFtcGxl", "c2FsZXNAa29reWFrdS5leGFtcGxl",
        "YWRtaW5Aa29reWFrdS5leGFtcGxl", "a2VpcmlAdG9yaWhpa2kuZXhhbXBsZQ=="};
    for (unsigned u = 0; u < ARRAY_SIZE(users); u++) {
        struct scn_tcp c;
        char line[96];
        scn_tcp_open(s, &c, n.pc[0], n.provider, 0, 587, false, n.t, 12 * SCN_MS);
        ask(s, &c, NULL, "220 mail." AUTH_DOMAIN " ESMTP Postfix\r\n");
        ask(s, &c, "EHLO SOUMU-PC01\r\n",
            "250-mail." AUTH_DOMAIN "\r\n250-AUTH PLAIN LOGIN\r\n"
            "250 8BITMIME\r\n");
        for (unsigned k = 0; k < 3; k++) {
            ask(s, &c, "AUTH LOGIN\r\n", "334 VXNlcm5hbWU6\r\n");
            snprintf(line, sizeof(line), "%s\r\n", users[u]);
            ask(s, &c, line, "334 UGFzc3dvcmQ6\r\n");
            ask(s, &c,
                k == 0   ? "MTIzNDU2\r\n"
                : k == 1 ? "cGFzc3dvcmQ=\r\n"
                         : "cXdlcnR5\r\n",
                "535 5.7.8 Error: authentication failed\r\n");
        }
        ask(s, &c, "QUIT\r\n", "221 2.0.0 Bye\r\n");
        scn_tcp_close(s, &c, 1);
        n.t = c.t + scn_rng_range(&s->rng, 1 * SCN_SEC, 5 * SCN_SEC);
    }
}

/* ------------------------------------------------------------- SSH */

#define SSH_CLI "SSH-2.0-libssh_0.9.6"
#define SSH_SRV "SSH-2.0-OpenSSH_8.4p1 Debian-5+deb11u1"

/* auth-ssh-inbound: an Internet host tries SSH on the NAS (port forwarded
 * by the router): 25 short sessions in about three minutes. */
static void gen_auth_ssh(struct scn *s, struct auth_net *n, bool success)
{
    struct scn_host *atk = scn_host_remote(s, n->gw, SCN_OS_LINUX, SCN_IP4(198, 51, 100, 77), NULL);
    for (unsigned i = 0; i < 25; i++) {
        scn_ssh_session(s, atk, n->nas, n->t, 180 * SCN_MS, SSH_CLI, SSH_SRV, 0);
        n->t += scn_rng_range(&s->rng, 5 * SCN_SEC, 9 * SCN_SEC);
    }
    if (success) {
        /* the password found: a long interactive session follows */
        n->t += 20 * SCN_SEC;
        scn_ssh_session(s, atk, n->nas, n->t, 180 * SCN_MS, "SSH-2.0-OpenSSH_9.6", SSH_SRV, 240);
    }
}

static void gen_auth_ssh_inbound(struct scn *s, const struct scenario_opts *o)
{
    struct auth_net n;
    (void)o;
    auth_net_init(s, &n, 1);
    gen_auth_ssh(s, &n, false);
}

static void gen_auth_ssh_success(struct scn *s, const struct scenario_opts *o)
{
    struct auth_net n;
    (void)o;
    auth_net_init(s, &n, 1);
    gen_auth_ssh(s, &n, true);
}

/* auth-quiet-admin: an administrator works on the NAS over SSH (two long
 * sessions) and copies three files with scp (short sessions). */
static void gen_auth_quiet_admin(struct scn *s, const struct scenario_opts *o)
{
    struct auth_net n;
    (void)o;
    auth_net_init(s, &n, 1);
    scn_ssh_session(s, n.pc[0], n.nas, n.t, 600, "SSH-2.0-OpenSSH_for_Windows_9.5", SSH_SRV, 120);
    n.t += 3 * SCN_MIN;
    for (unsigned i = 0; i < 3; i++) {
        scn_ssh_session(s, n.pc[0], n.nas, n.t, 600, "SSH-2.0-OpenSSH_for_Windows_9.5", SSH_SRV, 0);
        n.t += 20 * SCN_SEC;
    }
    scn_ssh_session(s, n.pc[0], n.nas, n.t, 600, "SSH-2.0-OpenSSH_for_Windows_9.5", SSH_SRV, 80);
}

/* auth-vpn-inbound: an Internet host hammers the router's SSL-VPN portal
 * (TLS on 10443): 30 short sessions, each a handshake and a refused login. */
static void gen_auth_vpn_inbound(struct scn *s, const struct scenario_opts *o)
{
    struct auth_net n;
    (void)o;
    auth_net_init(s, &n, 1);
    struct scn_host *atk = scn_host_remote(s, n.gw, SCN_OS_LINUX, SCN_IP4(198, 51, 100, 140), NULL);
    for (unsigned i = 0; i < 30; i++) {
        struct scn_tcp c;
        scn_tcp_open(s, &c, atk, n.gw, 0, 10443, false, n.t, 150 * SCN_MS);
        scn_tls_handshake(s, &c, SCN_TLS_OLD, "vpn." AUTH_DOMAIN, NULL, false, "vpn." AUTH_DOMAIN,
                          "vpn." AUTH_DOMAIN);
        scn_tls_data(s, &c, 0, 620);
        scn_tls_data(s, &c, 1, 1400);
        scn_tcp_close(s, &c, 1);
        n.t = c.t + scn_rng_range(&s->rng, 1 * SCN_SEC, 4 * SCN_SEC);
    }
}

/* ------------------------------------------------------------- Kerberos */

static void der_len(struct scn_buf *b, size_t n)
{
    if (n < 0x80) {
        scn_buf_u8(b, (uint8_t)n);
    } else if (n < 0x100) {
        scn_buf_u8(b, 0x81);
        scn_buf_u8(b, (uint8_t)n);
    } else {
        scn_buf_u8(b, 0x82);
        scn_buf_u16(b, (uint16_t)n);
    }
}

/* Wraps what b holds from `from` on into a TLV with tag. */
static void der_wrap(struct scn_buf *b, size_t from, uint8_t tag)
{
    struct scn_buf body;
    scn_buf_init(&body);
    scn_buf_mem(&body, b->p + from, b->len - from);
    b->len = from;
    scn_buf_u8(b, tag);
    der_len(b, body.len);
    scn_buf_mem(b, body.p, body.len);
    scn_buf_free(&body);
}

static void der_int_field(struct scn_buf *b, uint8_t ctx, uint32_t v)
{
    size_t m = b->len;
    if (v < 0x80) {
        scn_buf_u8(b, 0x02);
        scn_buf_u8(b, 1);
        scn_buf_u8(b, (uint8_t)v);
    } else {
        scn_buf_u8(b, 0x02);
        scn_buf_u8(b, 4);
        scn_buf_u32(b, v & 0x7fffffffu);
    }
    der_wrap(b, m, (uint8_t)(0xa0 | ctx));
}

static void der_gstr(struct scn_buf *b, const char *str)
{
    scn_buf_u8(b, 0x1b);
    der_len(b, strlen(str));
    scn_buf_str(b, str);
}

/* PrincipalName { name-type [0], name-string [1] SEQUENCE OF GeneralString }
 * as context field ctx. */
static void krb_principal(struct scn_buf *b, uint8_t ctx, uint32_t type, const char *n1,
                          const char *n2)
{
    size_t f = b->len;
    size_t seq = b->len;
    der_int_field(b, 0, type);
    size_t names = b->len;
    der_gstr(b, n1);
    if (n2)
        der_gstr(b, n2);
    der_wrap(b, names, 0x30);
    der_wrap(b, names, 0xa1);
    der_wrap(b, seq, 0x30);
    der_wrap(b, f, (uint8_t)(0xa0 | ctx));
}

static void krb_as_req(struct scn *s, struct scn_buf *b, const char *user, bool preauth)
{
    scn_buf_clear(b);
    der_int_field(b, 1, 5);
    der_int_field(b, 2, 10);
    if (preauth) { /* PA-ENC-TIMESTAMP (2): encrypted, random here */
        size_t pa = b->len;
        der_int_field(b, 1, 2);
        size_t v = b->len;
        scn_buf_rand(b, &s->rng, 60);
        der_wrap(b, v, 0x04);
        der_wrap(b, v, 0xa2);
        der_wrap(b, pa, 0x30);
        der_wrap(b, pa, 0x30);
        der_wrap(b, pa, 0xa3);
    }
    size_t body = b->len;
    scn_buf_mem(b, "\xa0\x07\x03\x05\x00\x50\x80\x00\x00", 9);
    krb_principal(b, 1, 1, user, NULL);
    size_t r = b->len;
    der_gstr(b, AUTH_REALM);
    der_wrap(b, r, 0xa2);
    krb_principal(b, 3, 2, "krbtgt", AUTH_REALM);
    size_t till = b->len;
    scn_buf_u8(b, 0x18);
    scn_buf_u8(b, 15);
    scn_buf_str(b, "20370913024805Z");
    der_wrap(b, till, 0xa5);
    der_int_field(b, 7, (uint32_t)scn_rng_next(&s->rng));
    size_t et = b->len;
    scn_buf_mem(b, "\x02\x01\x12\x02\x01\x11\x02\x01\x17", 9);
    der_wrap(b, et, 0x30);
    der_wrap(b, et, 0xa8);
    der_wrap(b, body, 0x30);
    der_wrap(b, body, 0xa4);
    der_wrap(b, 0, 0x30);
    der_wrap(b, 0, 0x6a);
}

static void krb_error(struct scn_buf *b, uint32_t code)
{
    scn_buf_clear(b);
    der_int_field(b, 0, 5);
    der_int_field(b, 1, 30);
    size_t st = b->len;
    scn_buf_u8(b, 0x18);
    scn_buf_u8(b, 15);
    scn_buf_str(b, "20261102000512Z");
    der_wrap(b, st, 0xa4);
    der_int_field(b, 5, 81234);
    der_int_field(b, 6, code);
    size_t r = b->len;
    der_gstr(b, AUTH_REALM);
    der_wrap(b, r, 0xa9);
    krb_principal(b, 10, 2, "krbtgt", AUTH_REALM);
    der_wrap(b, 0, 0x30);
    der_wrap(b, 0, 0x7e);
}

static void krb_as_rep(struct scn *s, struct scn_buf *b, const char *user)
{
    scn_buf_clear(b);
    der_int_field(b, 0, 5);
    der_int_field(b, 1, 11);
    size_t r = b->len;
    der_gstr(b, AUTH_REALM);
    der_wrap(b, r, 0xa3);
    krb_principal(b, 4, 1, user, NULL);
    size_t tk = b->len; /* ticket and enc-part: opaque here */
    scn_buf_rand(b, &s->rng, 900);
    der_wrap(b, tk, 0x04);
    der_wrap(b, tk, 0xa5);
    der_wrap(b, 0, 0x30);
    der_wrap(b, 0, 0x6b);
}

/* One AS exchange over UDP: request, answer (code 0: AS-REP). */
static void krb_exchange(struct scn *s, uint64_t *t, struct scn_host *cli, struct scn_host *kdc,
                         const char *user, bool preauth, uint32_t code)
{
    struct scn_buf b;
    struct scn_ep c = scn_ep4(cli), k = scn_ep4(kdc);
    uint16_t sport = scn_host_port(s, cli);
    scn_buf_init(&b);
    krb_as_req(s, &b, user, preauth);
    scn_udp(s, *t, &c, &k, sport, 88, b.p, b.len);
    *t += scn_rng_range(&s->rng, 400, 2 * SCN_MS);
    if (code)
        krb_error(&b, code);
    else
        krb_as_rep(s, &b, user);
    scn_udp(s, *t, &k, &c, 88, sport, b.p, b.len);
    *t += scn_rng_range(&s->rng, 200, 1 * SCN_MS);
    scn_buf_free(&b);
}

/* auth-kerberos-spray: a PC tries one password on twelve accounts at the
 * domain controller (kerbrute): unknown names, wrong passwords, and one
 * account whose password was the one tried. */
static void gen_auth_kerberos_spray(struct scn *s, const struct scenario_opts *o)
{
    struct auth_net n;
    (void)o;
    auth_net_init(s, &n, 2);
    static const struct {
        const char *user;
        uint32_t code;
    } tries[] = {
        {"administrator", 24}, {"admin", 6},  {"tanaka", 24},  {"suzuki", 24},
        {"sato", 24},          {"backup", 6}, {"svc-sql", 6},  {"takahashi", 24},
        {"guest", 18},         {"test", 6},   {"scanner", 24}, {"ito", 0},
    };
    uint64_t t = n.t + 10 * SCN_SEC;
    for (size_t i = 0; i < ARRAY_SIZE(tries); i++)
        krb_exchange(s, &t, n.pc[1], n.dc, tries[i].user, tries[i].code != 6, tries[i].code);
}

/* auth-quiet-adlogon: eight PCs log on in the morning: AS-REQ without
 * pre-authentication (PREAUTH_REQUIRED), then with it (AS-REP), for the
 * machine account and the user; one user mistypes once. */
static void gen_auth_quiet_adlogon(struct scn *s, const struct scenario_opts *o)
{
    struct auth_net n;
    (void)o;
    auth_net_init(s, &n, 8);
    static const char *const users[] = {"tanaka", "suzuki",   "sato",     "takahashi",
                                        "ito",    "watanabe", "yamamoto", "nakamura"};
    uint64_t t = n.t + 5 * SCN_SEC;
    for (unsigned i = 0; i < n.npc; i++) {
        char machine[40];
        snprintf(machine, sizeof(machine), "%s$", n.pc[i]->name);
        krb_exchange(s, &t, n.pc[i], n.dc, machine, false, 25);
        krb_exchange(s, &t, n.pc[i], n.dc, machine, true, 0);
        t += scn_rng_range(&s->rng, 10 * SCN_SEC, 40 * SCN_SEC);
        krb_exchange(s, &t, n.pc[i], n.dc, users[i], false, 25);
        if (i == 3)
            krb_exchange(s, &t, n.pc[i], n.dc, users[i], true, 24);
        krb_exchange(s, &t, n.pc[i], n.dc, users[i], true, 0);
        t += scn_rng_range(&s->rng, 20 * SCN_SEC, 90 * SCN_SEC);
    }
}

const struct scenario scn_table_auth[] = {
    {"auth-ssh-inbound", "bruteforce: an Internet host tries SSH on the NAS (25 short sessions)",
     gen_auth_ssh_inbound},
    {"auth-ssh-success", "bruteforce: SSH guessing from the Internet, then a long session",
     gen_auth_ssh_success},
    {"auth-ftp-internal", "bruteforce: a PC guesses the NAS's FTP password (20 failures)",
     gen_auth_ftp_internal},
    {"auth-imap-spray", "bruteforce: an Internet host tries 8 mailboxes on the office IMAP",
     gen_auth_imap_spray},
    {"auth-smtp-outbound", "bruteforce: a PC tries stolen passwords on SMTP AUTH (587)",
     gen_auth_smtp_outbound},
    {"auth-kerberos-spray", "bruteforce: Kerberos AS-REQ password spray on the DC, one hit",
     gen_auth_kerberos_spray},
    {"auth-vpn-inbound", "bruteforce: 30 short TLS sessions to the router's SSL-VPN (10443)",
     gen_auth_vpn_inbound},
    {"auth-quiet-mailpoll", "quiet: six PCs check POP3/IMAP mail every 5 minutes for an hour",
     gen_auth_quiet_mailpoll},
    {"auth-quiet-typo", "quiet: two users mistype their password twice, then log in",
     gen_auth_quiet_typo},
    {"auth-quiet-adlogon", "quiet: eight PCs log on to the domain (Kerberos), one typo",
     gen_auth_quiet_adlogon},
    {"auth-quiet-admin", "quiet: an administrator's SSH sessions and scp copies to the NAS",
     gen_auth_quiet_admin},
    {"spam-emotet", "spam.burst: an infected PC mails 40 MX servers in two minutes",
     gen_spam_emotet},
    {"spam-bot-small", "spam.burst: an infected PC mails 10 MX servers", gen_spam_bot_small},
    {"spam-quiet-copier", "quiet: the copier's scan-to-mail, 12 mails in an hour via 587",
     gen_spam_quiet_copier},
    {"spam-quiet-outlook", "quiet: Outlook with four accounts sending through four servers",
     gen_spam_quiet_outlook},
    {"spam-quiet-mailserver", "quiet: the office mail server relays 30 mails to 15 MX servers",
     gen_spam_quiet_mailserver},
    {.name = NULL},
};
