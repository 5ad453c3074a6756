/* scn-lateral.c - scenarios for the lateral detectors (expectations in
 * tests/golden/scenarios-lateral.tsv).
 *
 * An office LAN 192.168.20.0/24: PCs .101-.112, a file server .10, a domain
 * controller .5, a backup server .20, a printer .30. Positive: PsExec from
 * a PC to the file server, a worm spreading over SMB to many PCs with admin
 * shares, inbound RDP from the Internet, AnyDesk. Negative: mapping the file
 * share every morning, domain logons, a backup server pulling from every PC
 * every night, an admin's daily RDP to the server, printing.
 */
#include <stdio.h>
#include <string.h>

#include "scenario/scenario.h"
#include "scenario/scn-build.h"
#include "util/util.h"

#define LAN(x) SCN_IP4(192, 168, 20, (x))
#define DAY_US (86400ull * SCN_SEC)

struct lnet {
    struct scn_host *gw, *fs, *dc, *bk, *prn;
    struct scn_host *pc[12];
};

static void lnet_init(struct scn *s, struct lnet *n)
{
    n->gw = scn_host_new(s, "RTX830", SCN_OS_ROUTER, scn_oui_yamaha, LAN(1));
    n->fs = scn_host_new(s, "FILESRV", SCN_OS_WINDOWS, scn_oui_hp, LAN(10));
    n->dc = scn_host_new(s, "DC01", SCN_OS_WINDOWS, scn_oui_hp, LAN(5));
    n->bk = scn_host_new(s, "BACKUP01", SCN_OS_WINDOWS, scn_oui_hp, LAN(20));
    n->prn = scn_host_new(s, "BRN-MFC", SCN_OS_PRINTER, scn_oui_brother, LAN(30));
    for (int i = 0; i < 12; i++) {
        char name[16];
        snprintf(name, sizeof(name), "PC%02d", i + 1);
        n->pc[i] = scn_host_new(s, name, SCN_OS_WINDOWS, scn_oui_dell, LAN(101 + i));
    }
}

/* svcctl 367abb81-9844-35f1-ad32-98f038001003, little-endian fields */
static const uint8_t uuid_svcctl[16] = {0x81, 0xbb, 0x7a, 0x36, 0x44, 0x98, 0xf1, 0x35,
                                        0xad, 0x32, 0x98, 0xf0, 0x38, 0x00, 0x10, 0x03};
/* netlogon 12345678-1234-abcd-ef00-01234567cffb */
static const uint8_t uuid_netlogon[16] = {0x78, 0x56, 0x34, 0x12, 0x34, 0x12, 0xcd, 0xab,
                                          0xef, 0x00, 0x01, 0x23, 0x45, 0x67, 0xcf, 0xfb};

/* A remote session of random bytes both ways (RDP after its handshake). */
static void lsession(struct scn *s, struct scn_host *cli, struct scn_host *srv, uint16_t port,
                     uint64_t t0, unsigned rounds)
{
    struct scn_tcp c;
    scn_tcp_open(s, &c, cli, srv, 0, port, false, t0, scn_rng_range(&s->rng, 300, 900));
    /* RDP negotiation request/response (X.224), as the rdp parser expects */
    if (port == 3389) {
        static const uint8_t req[] = {0x03, 0x00, 0x00, 0x13, 0x0e, 0xe0, 0x00, 0x00, 0x00, 0x00,
                                      0x00, 0x01, 0x00, 0x08, 0x00, 0x03, 0x00, 0x00, 0x00};
        static const uint8_t rsp[] = {0x03, 0x00, 0x00, 0x13, 0x0e, 0xd0, 0x00, 0x00, 0x12, 0x34,
                                      0x00, 0x02, 0x1f, 0x08, 0x00, 0x02, 0x00, 0x00, 0x00};
        scn_tcp_send(s, &c, 0, req, sizeof(req));
        scn_tcp_send(s, &c, 1, rsp, sizeof(rsp));
    }
    for (unsigned i = 0; i < rounds; i++) {
        scn_tcp_send_rand(s, &c, 0, scn_rng_range(&s->rng, 60, 400));
        scn_tcp_send_rand(s, &c, 1, scn_rng_range(&s->rng, 500, 6000));
        scn_tcp_wait(&c, scn_rng_range(&s->rng, 200 * SCN_MS, 2 * SCN_SEC));
    }
    scn_tcp_close(s, &c, 0);
}

/* ---- positive ---- */

/* PC07 runs PsExec against the file server: ADMIN$, PSEXESVC.exe, IPC$
 * svcctl, a bind to svcctl on 135 and the dynamic port. */
static void gen_psexec(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    struct lnet n;
    lnet_init(s, &n);
    uint64_t t = SCN_EPOCH_US + 3 * 3600 * SCN_SEC;
    struct scn_smb m;
    scn_smb_open(s, &m, n.pc[6], n.fs, t);
    scn_smb_tree(s, &m, "\\\\FILESRV\\ADMIN$", 1);
    scn_smb_create(s, &m, "PSEXESVC.exe", true, 60000);
    scn_smb_tree(s, &m, "\\\\FILESRV\\IPC$", 2);
    scn_smb_create(s, &m, "svcctl", false, 0);
    scn_smb_create(s, &m, "PSEXESVC-PC07-4242-stdin", false, 0);
    scn_tcp_close(s, &m.c, 0);
    scn_rpc_bind(s, n.pc[6], n.fs, 135, uuid_svcctl, 0, t + 2 * SCN_SEC);
}

/* PC03 infected: within 4 minutes it reaches 8 PCs over SMB, connects to
 * C$ on each and drops a program (a ransomware worm copying itself). */
static void gen_spread(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    struct lnet n;
    lnet_init(s, &n);
    uint64_t t = SCN_EPOCH_US + 5 * 3600 * SCN_SEC;
    int k = 0;
    for (int i = 0; i < 12 && k < 8; i++) {
        if (i == 2)
            continue;
        struct scn_smb m;
        scn_smb_open(s, &m, n.pc[2], n.pc[i], t + (uint64_t)k * 30 * SCN_SEC);
        scn_smb_tree(s, &m, "\\\\PC\\C$", 1);
        scn_smb_create(s, &m, "Windows\\Temp\\svchost64.exe", true, 30000);
        scn_tcp_close(s, &m.c, 0);
        k++;
    }
}

/* Port forwarding of 3389 to PC01: an Internet host logs in. (AnyDesk or
 * Tor are named by nDPI from their own patterns; not synthesised here.) */
static void gen_rdp_inbound(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    struct lnet n;
    lnet_init(s, &n);
    struct scn_host *atk = scn_host_remote(s, n.gw, SCN_OS_WINDOWS, SCN_IP4(45, 141, 84, 7), NULL);
    lsession(s, atk, n.pc[0], 3389, SCN_EPOCH_US + 20 * 3600 * SCN_SEC, 20);
}

/* ---- negative ---- */

/* Every PC maps the file server's share each morning and opens files, logs
 * on to the domain controller (SMB SYSVOL/IPC$ and RPC netlogon) and prints,
 * over three days. */
static void gen_quiet_office(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    struct lnet n;
    lnet_init(s, &n);
    for (int d = 0; d < 3; d++) {
        uint64_t day = SCN_EPOCH_US + (uint64_t)d * DAY_US;
        for (int i = 0; i < 12; i++) {
            uint64_t t = day + scn_rng_range(&s->rng, 0, 40 * SCN_MIN);
            struct scn_smb m;
            scn_smb_open(s, &m, n.pc[i], n.dc, t);
            scn_smb_tree(s, &m, "\\\\DC01\\IPC$", 1);
            scn_smb_create(s, &m, "netlogon", false, 0);
            scn_smb_tree(s, &m, "\\\\DC01\\SYSVOL", 2);
            scn_tcp_close(s, &m.c, 0);
            scn_rpc_bind(s, n.pc[i], n.dc, 135, uuid_netlogon, 0, t + SCN_SEC);
            scn_smb_open(s, &m, n.pc[i], n.fs, t + 30 * SCN_SEC);
            scn_smb_tree(s, &m, "\\\\FILESRV\\share", 1);
            scn_smb_read(s, &m, 200000);
            scn_tcp_close(s, &m.c, 0);
            struct scn_tcp c;
            scn_tcp_open(s, &c, n.pc[i], n.prn, 0, 9100, false, t + 5 * SCN_MIN, 400);
            scn_tcp_send_rand(s, &c, 0, 40000);
            scn_tcp_close(s, &c, 0);
        }
    }
}

/* BACKUP01 pulls each PC's documents over SMB every night at 01:00 (12 PCs
 * within minutes), four nights; the admin PC01 RDPs to FILESRV daily. */
static void gen_quiet_backup(struct scn *s, const struct scenario_opts *o)
{
    (void)o;
    struct lnet n;
    lnet_init(s, &n);
    for (int d = 0; d < 4; d++) {
        uint64_t night = SCN_EPOCH_US + (uint64_t)d * DAY_US + 16 * 3600 * SCN_SEC;
        for (int i = 0; i < 12; i++) {
            struct scn_smb m;
            scn_smb_open(s, &m, n.bk, n.pc[i], night + (uint64_t)i * 20 * SCN_SEC);
            scn_smb_tree(s, &m, "\\\\PC\\Users", 1);
            scn_smb_read(s, &m, 3000000);
            scn_tcp_close(s, &m.c, 0);
        }
        lsession(s, n.pc[0], n.fs, 3389, SCN_EPOCH_US + (uint64_t)d * DAY_US + SCN_MIN, 10);
    }
}

const struct scenario scn_table_lateral[] = {
    {"lateral-psexec", "PsExec from a PC to the file server (ADMIN$, PSEXESVC.exe, svcctl)",
     gen_psexec},
    {"lateral-spread", "a PC drops a program on C$ of 8 other PCs within 4 minutes", gen_spread},
    {"lateral-rdp-inbound", "Remote Desktop from the Internet to a PC (port forwarding)",
     gen_rdp_inbound},
    {"lateral-quiet-office", "3 days of file-share mapping, domain logons and printing",
     gen_quiet_office},
    {"lateral-quiet-backup", "a backup server pulling from 12 PCs nightly; admin RDP daily",
     gen_quiet_backup},
    {.name = NULL},
};
