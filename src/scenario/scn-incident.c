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

#define LAN(x) SCN_IP4(192, 168, 30, (x))
#define HOUR (3600ull * SCN_SEC)

struct inet {
    struct scn_host *gw, *fs, *app, *db, *prn;
    struct scn_host *pc[4];
    struct scn_host *web, *c2, *drop;
};

/* One SMB session: tree connect to share, then create (write len) or read. */
static void smb_visit(struct scn *s, struct scn_host *cli, struct scn_host *srv, uint64_t t0,
                      const char *share, const char *file, size_t len)
{
    struct scn_smb m;
    scn_smb_open(s, &m, cli, srv, t0);
    scn_smb_tree(s, &m, share, 1);
    scn_smb_create(s, &m, file, len > 0, len);
    if (!len) /* a read of the file's first 64 KiB */
        scn_smb_read(s, &m, 65536);
    scn_tcp_close(s, &m.c, 0);
}

/* A DCE/RPC bind of svcctl (v2) on 135 and its ack (PsExec-style service
 * creation). */
static void rpc_svcctl(struct scn *s, struct scn_host *cli, struct scn_host *srv, uint64_t t0)
{
    static const uint8_t svcctl[16] = {0x81, 0xbb, 0x7a, 0x36, 0x44, 0x98, 0xf1, 0x35,
                                       0xad, 0x32, 0x98, 0xf0, 0x38, 0x00, 0x10, 0x03};
    scn_rpc_bind(s, cli, srv, 135, svcctl, 2, t0);
}

/* ---- the network ---- */

static void inet_init(struct scn *s, struct inet *n)
{
    n->gw = scn_host_new(s, "RTX830", SCN_OS_ROUTER, scn_oui_yamaha, LAN(1));
    n->fs = scn_host_new(s, "FILESRV", SCN_OS_WINDOWS, scn_oui_hp, LAN(10));
    n->app = scn_host_new(s, "APPSRV", SCN_OS_WINDOWS, scn_oui_hp, LAN(11));
    n->db = scn_host_new(s, "DBSRV", SCN_OS_WINDOWS, scn_oui_hp, LAN(12));
    n->prn = scn_host_new(s, "BRN-MFC", SCN_OS_PRINTER, scn_oui_brother, LAN(30));
    for (int i = 0; i < 4; i++) {
        char name[16];
        snprintf(name, sizeof(name), "PC%02d", i + 1);
        n->pc[i] = scn_host_new(s, name, SCN_OS_WINDOWS, scn_oui_dell, 0);
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
