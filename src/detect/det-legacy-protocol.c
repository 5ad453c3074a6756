/* det-legacy-protocol.c - legacy.protocol: a connection used a protocol
 * version that should have been retired years ago: SMB version 1, Telnet,
 * SSLv2/SSLv3/TLS 1.0/TLS 1.1 (and the SSLv2-format ClientHello of old
 * clients), SSH protocol 1, and SSH servers running an OpenSSH older than
 * legacy.ssh_min_openssh.
 *
 * Why: these are what old NAS boxes, copiers, factory PCs and routers still
 * speak, and what attackers count on: WannaCry spread through SMBv1 on its
 * own, Telnet carries everything (passwords included) in clear, and the old
 * TLS and SSH versions have published attacks. device.legacy_os reports the
 * unsupported OS itself; the protocol findings are this detector's alone, so
 * one old thing is one alert.
 *
 * Input: the parsers' app events (smb, telnet, tls, ssh).
 *  - SMB: a NEGOTIATE answered with an SMB1 dialect ("NT LM 0.12"), or any
 *    SMB1 command beyond it (a capture that started mid-session): variant
 *    smb1. A client that offers SMB1 dialects to a server that picks SMB2/3
 *    (Windows' multi-protocol negotiate with the SMB1 client still
 *    installed, or no answer seen): variant smb1_offered, keyed by the
 *    client, since the server did nothing wrong (legacy.smb1_offered).
 *  - Telnet: any Telnet session the parser recognised. Variant telnet, or
 *    telnet_internet when a server on the LAN is reached from the Internet.
 *  - TLS: the version the server chose is below legacy.tls_min_version
 *    (12 = TLS 1.2), or the client sent an SSLv2-format hello. A server on
 *    the LAN (or one whose client's offer is unknown): variant tls, keyed by
 *    the server. A server on the Internet with a client that offers nothing
 *    newer (its highest version, from supported_versions or the hello's
 *    version, is below the minimum): variant tls_client, keyed by the client,
 *    count = servers, since the owner's fix is that client's software and a
 *    Windows 7 era PC would otherwise raise one alert per web site. An
 *    Internet server that picks an old version although the client offered
 *    a current one is left alone: nothing the owner can change.
 *  - SSH: either banner says protocol 1 ("SSH-1.5-", and a server's "1.99",
 *    which still accepts it): variant ssh; else a server banner of OpenSSH
 *    older than legacy.ssh_min_openssh: variant ssh_software.
 * Deliberately left out: FTP as such (cleartext reports its logins;
 * anonymous downloads of public files are no risk), SMB2.0.2/2.1 (old but
 * supported and not exploitable as SMB1 is), TLS certificates (another
 * matter).
 *
 * Severity: smb1 medium (self-spreading ransomware; the server accepting it
 * is the hole), telnet_internet medium (a login prompt open to the whole
 * Internet, the Mirai story), everything else low: weaker protection of one
 * service that an attacker needs to be on the path or already inside to
 * abuse, mostly a sign of old firmware worth updating.
 *
 * Key: "legacy.protocol|<variant>|<server>|<date>" (smb1_offered and
 * tls_client: "<client>" instead of the server): one alert per server,
 * protocol and UTC day. Count = distinct clients (smb1_offered, tls_client:
 * distinct servers): the alert
 * is raised again only when a new one shows, so the owner sees how many
 * devices still depend on the old protocol.
 *
 * Facts: what ("SMBv1", "Telnet", "TLS 1.0", "SSH protocol 1", "OpenSSH
 * 5.3"), server (TLS SNI, else nothing), port, detail (the SMB dialect, the
 * SSH banner, "SSLv2-format ClientHello").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"
#include "detect/detect.h"
#include "detect/track.h"
#include "util/util.h"

enum lp_variant {
    LP_SMB1 = 0,
    LP_SMB1_OFFERED,
    LP_TELNET,
    LP_TELNET_INTERNET,
    LP_TLS,
    LP_TLS_CLIENT,
    LP_SSH,
    LP_SSH_SOFTWARE,
    LP_MAX
};

static const char *const lp_names[LP_MAX] = {
    "smb1", "smb1_offered", "telnet", "telnet_internet", "tls", "tls_client", "ssh",
    "ssh_software",
};

static const uint8_t lp_sev[LP_MAX] = {
    SEV_MEDIUM, SEV_LOW, SEV_LOW, SEV_MEDIUM, SEV_LOW, SEV_LOW, SEV_LOW, SEV_LOW,
};

/* Per (who, variant, day): the peers seen. */
struct lp_key {
    struct ip_addr who;
    uint32_t day;
    uint8_t variant;
    uint8_t pad[3];
};

struct lp_state {
    struct dcount peers;
};

struct det_lp {
    struct detect *d;
    struct track *t;
    bool smb1_offered;
    uint32_t tls_min, ssh_min;
    uint64_t last_expire_us;
};

static const struct detect_param lp_params[] = {
    /* 0: do not report clients that only offer SMB1 */
    {"legacy.smb1_offered", 1, 0, 1},
    /* lowest TLS version not reported: 10 = 1.0, 11 = 1.1, 12 = 1.2, 13 = 1.3
     * (SSL 2 and 3 are always reported) */
    {"legacy.tls_min_version", 12, 10, 13},
    /* OpenSSH servers older than this (74 = 7.4, the 2016 release with the
     * fixes of the years before) are reported; 0: never */
    {"legacy.ssh_min_openssh", 74, 0, 999},
    /* (server, protocol, day) entries followed at once */
    {"legacy.max_tracked", 4096, 16, 1u << 20},
    {NULL, 0, 0, 0},
};

/* The tunables, at create time and again on SIGHUP (detect_reconfigure):
 * thresholds and windows change, tables and what they hold stay. */
static void lp_reconfigure(void *st)
{
    struct det_lp *s = st;
    struct detect *d = s->d;
    s->smb1_offered = detect_param(d, "legacy.smb1_offered") != 0;
    s->tls_min = detect_param(d, "legacy.tls_min_version");
    s->ssh_min = detect_param(d, "legacy.ssh_min_openssh");
}

static void *lp_create(struct detect *d)
{
    struct det_lp *s = xcalloc(1, sizeof(*s));
    s->d = d;
    lp_reconfigure(s);
    s->t = track_new(sizeof(struct lp_key), sizeof(struct lp_state),
                     detect_param(d, "legacy.max_tracked"));
    return s;
}

static void lp_destroy(void *st)
{
    struct det_lp *s = st;
    track_free(s->t);
    free(s);
}

/* Entries of past days are dead weight: drop what was idle for a day. */
static void lp_tick(void *st, uint64_t now_us)
{
    struct det_lp *s = st;
    if (now_us < s->last_expire_us + 60ull * 1000000u)
        return;
    s->last_expire_us = now_us;
    if (now_us > 86400ull * 1000000u)
        track_expire(s->t, now_us - 86400ull * 1000000u, NULL, NULL);
}

static const char *lp_str(const json_t *o, const char *key)
{
    const json_t *v = o ? json_object_get(o, key) : NULL;
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Reports variant v of the flow (server f->dst unless by_client) if the
 * peer is new for this (who, variant, day). */
static void lp_report(struct det_lp *s, const struct app_event *ev, enum lp_variant v,
                      bool by_client, const char *what, const char *server, const char *detail)
{
    const struct flow *f = ev->f;
    const struct ip_addr *who = by_client ? &f->src : &f->dst;
    const struct ip_addr *peer = by_client ? &f->dst : &f->src;
    struct lp_key k;
    memset(&k, 0, sizeof(k));
    k.who = *who;
    k.day = (uint32_t)(ev->ts_us / (86400ull * 1000000u));
    k.variant = (uint8_t)v;
    struct lp_state *e = track_get(s->t, &k, ev->ts_us, NULL);
    uint32_t before = dcount_get(&e->peers);
    dcount_add(&e->peers, track_hash_ip(peer));
    if (dcount_get(&e->peers) == before)
        return;

    struct alert a;
    char whobuf[48], date[16];
    alert_init(&a, "legacy.protocol", (enum alert_severity)lp_sev[v], ev->ts_us);
    alert_fact_str(&a, "variant", lp_names[v]);
    alert_set_conn(&a, f);
    /* The device to fix: the server when it is ours (it offers the old
     * protocol), else the client (old software talking to the outside). */
    if (!by_client && detect_is_home(s->d, &f->dst))
        detect_alert_device_ip(s->d, &a, &f->dst);
    else
        detect_alert_device_ip(s->d, &a, &f->src);
    alert_add_flow(&a, f->id);
    alert_fact_str(&a, "what", what);
    alert_fact_str(&a, "server", server);
    alert_fact_int(&a, "port", f->dport);
    alert_fact_str(&a, "detail", detail);
    ip_addr_fmt(who, whobuf, sizeof(whobuf));
    alert_date(ev->ts_us, date);
    alert_set_key(&a, "legacy.protocol|%s|%s|%s", lp_names[v], whobuf, date);
    detect_raise(s->d, &a);
    alert_release(&a);
}

/* SMB1 dialect names (MS-CIFS 1.7): everything a client offers in an SMB1
 * NEGOTIATE except the "SMB 2.xxx" entries that ask for SMB2. */
static bool lp_smb1_dialect(const char *d)
{
    if (!d || !d[0] || strcmp(d, "unknown") == 0)
        return false;
    if (strncmp(d, "SMB 2", 5) == 0)
        return false;
    /* SMB2/3 dialects as the parser prints them: "2.02", "3.1.1", "2.??" */
    if ((d[0] == '2' || d[0] == '3') && d[1] == '.')
        return false;
    return true;
}

static void lp_smb(struct det_lp *s, const struct app_event *ev)
{
    const json_t *b = ev->body;
    const char *cmd = lp_str(b, "command");
    const char *dialect = lp_str(b, "dialect");
    if (!cmd || strncmp(cmd, "SMB1_", 5) != 0)
        return;
    if (strcmp(cmd, "SMB1_COMMAND_NEGOTIATE_PROTOCOL") != 0) {
        /* An SMB1 session under way: SMB1 was negotiated. */
        lp_report(s, ev, LP_SMB1, false, "SMBv1", NULL,
                  lp_smb1_dialect(dialect) ? dialect : "NT LM 0.12");
        return;
    }
    if (lp_smb1_dialect(dialect)) {
        lp_report(s, ev, LP_SMB1, false, "SMBv1", NULL, dialect);
        return;
    }
    if (!s->smb1_offered)
        return;
    const json_t *offered = json_object_get(b, "client_dialects");
    size_t n = json_array_size(offered);
    for (size_t i = 0; i < n && i < 64; i++) {
        const char *o = json_string_value(json_array_get(offered, i));
        if (lp_smb1_dialect(o)) {
            lp_report(s, ev, LP_SMB1_OFFERED, true, "SMBv1", NULL, o);
            return;
        }
    }
}

/* "SSLv3" etc. as the TLS parser prints versions: the name shown, and the
 * version as 10 * major + minor of TLS (SSL as 0 and 1 below TLS 1.0). */
static bool lp_tls_version(const char *v, const char **what, uint32_t *num)
{
    static const struct {
        const char *eve, *what;
        uint32_t num;
    } vers[] = {
        {"SSLv2", "SSLv2", 2},      {"SSLv3", "SSLv3", 3},      {"TLSv1", "TLS 1.0", 10},
        {"TLS 1.1", "TLS 1.1", 11}, {"TLS 1.2", "TLS 1.2", 12}, {"TLS 1.3", "TLS 1.3", 13},
    };
    for (size_t i = 0; v && i < ARRAY_SIZE(vers); i++) {
        if (strcmp(v, vers[i].eve) == 0) {
            *what = vers[i].what;
            *num = vers[i].num;
            return true;
        }
    }
    return false;
}

/* The highest version the client offered (as lp_tls_version's numbers), or
 * -1 when the event does not say: supported_versions, else the hello's
 * version (the first JA3 field: 769 = TLS 1.0). */
static int lp_tls_client_max(const struct app_event *ev)
{
    const json_t *vo = ev->extra ? json_object_get(ev->extra, "versions_offered") : NULL;
    int best = -1;
    size_t n = json_array_size(vo);
    for (size_t i = 0; i < n && i < 16; i++) {
        const char *w;
        uint32_t num;
        if (lp_tls_version(json_string_value(json_array_get(vo, i)), &w, &num) &&
            (int)num > best)
            best = (int)num;
    }
    if (best >= 0)
        return best;
    const char *ja3 = lp_str(json_object_get(ev->body, "ja3"), "string");
    if (!ja3)
        return -1;
    uint32_t v = 0;
    for (unsigned i = 0; i < 6 && ja3[i] >= '0' && ja3[i] <= '9'; i++)
        v = v * 10 + (uint32_t)(ja3[i] - '0');
    switch (v) {
    case 0x0300:
        return 3;
    case 0x0301:
        return 10;
    case 0x0302:
        return 11;
    case 0x0303:
        return 12;
    case 0x0304:
        return 13;
    default:
        return -1;
    }
}

static void lp_tls(struct det_lp *s, const struct app_event *ev)
{
    const char *what = NULL;
    uint32_t num = 0;
    bool known = lp_tls_version(lp_str(ev->body, "version"), &what, &num);
    bool v2hello = ev->extra && json_is_true(json_object_get(ev->extra, "sslv2_hello"));
    bool old = known && (num < 10 || num < s->tls_min);
    if (!old && !v2hello)
        return;
    const char *detail = v2hello ? "SSLv2-format ClientHello" : NULL;
    if (!old)
        what = "SSLv2-format ClientHello";
    const char *sni = lp_str(ev->body, "sni");
    if (detect_is_home(s->d, &ev->f->dst)) {
        lp_report(s, ev, LP_TLS, false, what, sni, detail);
        return;
    }
    /* An SSLv2-format hello is old client software by itself. */
    int cmax = v2hello ? 10 : lp_tls_client_max(ev);
    if (cmax < 0)
        lp_report(s, ev, LP_TLS, false, what, sni, detail);
    else if ((uint32_t)cmax < s->tls_min)
        lp_report(s, ev, LP_TLS_CLIENT, true, what, sni, detail);
}

/* "1.5", "1.99": protocol 1 (1.99 = 1 and 2). */
static bool lp_ssh_v1(const char *proto)
{
    return proto && proto[0] == '1' && proto[1] == '.';
}

/* OpenSSH_X.Y... -> 10 * X + Y (Y capped at 9), 0 if not OpenSSH. */
static uint32_t lp_openssh(const char *sw, char *what, size_t whatlen)
{
    if (!sw || strncmp(sw, "OpenSSH_", 8) != 0)
        return 0;
    const char *p = sw + 8;
    uint32_t major = 0, minor = 0;
    unsigned nd = 0;
    for (; *p >= '0' && *p <= '9' && nd < 4; p++, nd++)
        major = major * 10 + (uint32_t)(*p - '0');
    if (nd == 0 || *p != '.')
        return 0;
    p++;
    nd = 0;
    for (; *p >= '0' && *p <= '9' && nd < 4; p++, nd++)
        minor = minor * 10 + (uint32_t)(*p - '0');
    if (nd == 0)
        return 0;
    snprintf(what, whatlen, "OpenSSH %u.%u", major, minor);
    return major * 10 + MIN(minor, 9u);
}

static void lp_ssh(struct det_lp *s, const struct app_event *ev)
{
    const json_t *cli = json_object_get(ev->body, "client");
    const json_t *srv = json_object_get(ev->body, "server");
    const char *cproto = lp_str(cli, "proto_version");
    const char *sproto = lp_str(srv, "proto_version");
    const char *ssw = lp_str(srv, "software_version");
    char banner[96];
    snprintf(banner, sizeof(banner), "SSH-%.8s-%.64s", sproto ? sproto : "",
             ssw ? ssw : "");
    /* A client speaking 1.x, or a server that accepts it (1.99 with a 2.0
     * client still offers protocol 1 to anyone who asks). */
    if (lp_ssh_v1(cproto) || lp_ssh_v1(sproto)) {
        lp_report(s, ev, LP_SSH, false, "SSH protocol 1", NULL, sproto ? banner : NULL);
        return;
    }
    char what[48];
    uint32_t v = lp_openssh(ssw, what, sizeof(what));
    if (v && s->ssh_min && v < s->ssh_min)
        lp_report(s, ev, LP_SSH_SOFTWARE, false, what, NULL, banner);
}

static void lp_telnet(struct det_lp *s, const struct app_event *ev)
{
    const struct flow *f = ev->f;
    bool exposed = !detect_is_home(s->d, &f->src) && detect_is_home(s->d, &f->dst);
    lp_report(s, ev, exposed ? LP_TELNET_INTERNET : LP_TELNET, false, "Telnet", NULL, NULL);
}

static void lp_app_event(void *st, const struct app_event *ev)
{
    struct det_lp *s = st;
    if (!ev->f || !ev->type)
        return;
    const char *t = ev->type;
    if (strcmp(t, "telnet") == 0)
        lp_telnet(s, ev);
    else if (!json_is_object(ev->body))
        return;
    else if (strcmp(t, "smb") == 0)
        lp_smb(s, ev);
    else if (strcmp(t, "tls") == 0)
        lp_tls(s, ev);
    else if (strcmp(t, "ssh") == 0)
        lp_ssh(s, ev);
}

const struct detector_ops det_legacy_protocol = {
    .name = "legacy.protocol",
    .params = lp_params,
    .create = lp_create,
    .reconfigure = lp_reconfigure,
    .destroy = lp_destroy,
    .app_event = lp_app_event,
    .tick = lp_tick,
};
