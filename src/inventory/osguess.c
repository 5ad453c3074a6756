/* osguess.c - what one piece of evidence says about a device's OS and kind,
 * and the weighted vote over all of it (see osguess.h).
 *
 * Every table here is our own, written from what the systems are documented
 * or observed to send (the public Fingerbank/Satori/p0f work taught us what
 * to look at, not what to write). Weights are on one scale:
 *   90  the OS names itself (NTLM version)
 *   60-70  a precise fingerprint (exact DHCP list, SMB NativeOS, mDNS model)
 *   35-55  a strong hint (user agent, vendor class, SYN layout)
 *   5-25   a weak hint (TTL, MAC vendor, a service type)
 * A hint whose family is empty but whose os names a group ("Apple",
 * "Unix-like", "Linux-based") speaks for every family of that group and
 * against the others: that is how a TTL of 64 says "not Windows" without
 * saying which Unix.
 *
 * Input is untrusted text (packets, the store): each value is copied into a
 * bounded buffer first and only that copy is scanned, byte by byte, so odd
 * bytes, missing NULs past OSG_MAX_VALUE and non-UTF-8 are all harmless.
 */
#include <stdio.h>
#include <string.h>

#include "inventory/osguess.h"
#include "util/util.h"

/* Bytes of a value we look at: evidence is stored in 160 bytes
 * (INV_EVIDENCE_LEN); a longer string is junk or an attack and its head is
 * enough to recognise anything we know. */
#define OSG_MAX_VALUE 512
/* DHCP option 55 codes kept: the option's own length byte allows 255, real
 * clients send fewer than 40. */
#define OSG_MAX_FP_CODES 64
/* Distinct os names weighed in osguess_combine(): more than the inventory's
 * INV_MAX_EVIDENCE (48) items could ever give. */
#define OSG_MAX_NAMES 64
/* Similarity (per mille) a DHCP list needs to borrow a known list's family,
 * and the fewest codes either list must have for that to be tried. */
#define OSG_FP_MIN_SIM 750
#define OSG_FP_MIN_FUZZY 7
/* Never certain: passive evidence can be spoofed or shared (NAT, VMs). */
#define OSG_MAX_CONFIDENCE 95

/* --- small text helpers (ASCII only: bytes >= 0x80 compare as themselves) */

static char osg_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool osg_is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool osg_is_alnum(char c)
{
    return osg_is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool ci_prefix(const char *s, const char *p)
{
    for (; *p; s++, p++) {
        if (osg_lower(*s) != osg_lower(*p))
            return false;
    }
    return true;
}

/* Case-insensitive substring; hay is one of our bounded copies. */
static const char *ci_find(const char *hay, const char *needle)
{
    if (!*needle)
        return hay;
    for (; *hay; hay++) {
        if (ci_prefix(hay, needle))
            return hay;
    }
    return NULL;
}

/* needle found as whole words (no letter or digit just before or after),
 * so "HP" does not match inside "PHP", "Dell" not inside "Wendell" and
 * "Android" not inside "Androidx". */
static const char *ci_word(const char *hay, const char *needle)
{
    size_t len = strlen(needle);
    for (const char *p = hay; *p; p++) {
        if ((p == hay || !osg_is_alnum(p[-1])) && ci_prefix(p, needle) && !osg_is_alnum(p[len]))
            return p;
    }
    return NULL;
}

/* Reads a decimal number at *p (at most 9 digits: no overflow), advancing
 * *p. False when there is no digit. */
static bool osg_number(const char **p, unsigned long *out)
{
    unsigned long v = 0;
    unsigned n = 0;
    const char *s = *p;
    while (osg_is_digit(*s)) {
        if (n < 9)
            v = v * 10 + (unsigned long)(*s - '0');
        n++;
        s++;
    }
    if (!n)
        return false;
    *p = s;
    *out = n > 9 ? 999999999ul : v;
    return true;
}

static void osg_copy(char *dst, size_t cap, const char *src)
{
    size_t n = src ? strnlen(src, cap - 1) : 0;
    if (n)
        memcpy(dst, src, n);
    dst[n] = '\0';
}

static bool hint_set(struct os_hint *h, const char *os, const char *family, const char *type,
                     unsigned weight)
{
    snprintf(h->os, sizeof(h->os), "%s", os);
    snprintf(h->family, sizeof(h->family), "%s", family);
    snprintf(h->type, sizeof(h->type), "%s", type);
    h->weight = (uint8_t)MIN(weight, 100u);
    return true;
}

static bool hint_legacy(struct os_hint *h, const char *what)
{
    h->legacy = true;
    snprintf(h->legacy_what, sizeof(h->legacy_what), "%s", what);
    return true;
}

/* --- families and groups ------------------------------------------------ */

enum osg_family {
    FAM_WINDOWS,
    FAM_MACOS,
    FAM_IOS,
    FAM_ANDROID,
    FAM_LINUX,
    FAM_BSD,
    FAM_EMBEDDED,
    FAM_COUNT
};

static const char *const fam_names[FAM_COUNT] = {
    "windows", "macos", "ios", "android", "linux", "bsd", "embedded",
};

/* What the os field says when only the family is known: a hint carrying
 * exactly this name is "generic" and never beats a specific version. */
static const char *const fam_display[FAM_COUNT] = {
    "Windows", "macOS", "iOS", "Android", "Linux", "BSD", "Embedded",
};

#define FBIT(f) (1u << (f))

static const struct {
    const char *name;
    unsigned mask;
} osg_groups[] = {
    {"Apple", FBIT(FAM_MACOS) | FBIT(FAM_IOS)},
    {"Linux-based", FBIT(FAM_LINUX) | FBIT(FAM_ANDROID) | FBIT(FAM_EMBEDDED)},
    {"Unix-like", FBIT(FAM_MACOS) | FBIT(FAM_IOS) | FBIT(FAM_ANDROID) | FBIT(FAM_LINUX) |
                      FBIT(FAM_BSD) | FBIT(FAM_EMBEDDED)},
};

static int fam_index(const char *family)
{
    for (int f = 0; f < FAM_COUNT; f++) {
        if (strcmp(family, fam_names[f]) == 0)
            return f;
    }
    return -1;
}

static const char *const group_apple = "Apple";
static const char *const group_linux = "Linux-based";
static const char *const group_unix = "Unix-like";

/* --- Windows versions by NT kernel number ------------------------------- */

struct nt_version {
    unsigned major, minor;
    const char *desktop; /* what a browser on it is: the user agent's name */
    const char *full;    /* every product on that kernel: NTLM, SMB */
    bool legacy;
};

static const struct nt_version nt_versions[] = {
    {4, 0, "Windows NT 4.0", "Windows NT 4.0", true},
    {5, 0, "Windows 2000", "Windows 2000", true},
    {5, 1, "Windows XP", "Windows XP", true},
    {5, 2, "Windows XP x64/Server 2003", "Windows XP x64/Server 2003", true},
    {6, 0, "Windows Vista", "Windows Vista/Server 2008", true},
    {6, 1, "Windows 7", "Windows 7/Server 2008 R2", true},
    {6, 2, "Windows 8", "Windows 8/Server 2012", true},
    {6, 3, "Windows 8.1", "Windows 8.1/Server 2012 R2", true},
    /* Browsers froze "Windows NT 10.0" for Windows 11 too. NEEDSWORK:
     * Windows 10 itself left support in October 2025; once the build alone
     * can tell 10 from Server 2016-2022 it should be legacy as well. */
    {10, 0, "Windows 10/11", "Windows 10/Server", false},
};

static const struct nt_version *nt_lookup(unsigned long major, unsigned long minor)
{
    for (size_t i = 0; i < ARRAY_SIZE(nt_versions); i++) {
        if (nt_versions[i].major == major && nt_versions[i].minor == minor)
            return &nt_versions[i];
    }
    return NULL;
}

/* "6.1" at p -> the version entry, or NULL. */
static const struct nt_version *nt_parse(const char *p)
{
    unsigned long major, minor;
    if (!osg_number(&p, &major) || *p != '.')
        return NULL;
    p++;
    if (!osg_number(&p, &minor))
        return NULL;
    return nt_lookup(major, minor);
}

/* The legacy label is always the desktop name, whatever the evidence: the
 * legacy-OS alert is keyed by it, so a Windows 7 PC seen by its user agent,
 * its NTLM version and its SMB NativeOS raises one alert, not three. The os
 * field keeps what the evidence can really tell ("Windows 7/Server 2008 R2"
 * from NTLM). */
static bool hint_nt(struct os_hint *h, const struct nt_version *v, bool desktop, unsigned weight)
{
    hint_set(h, desktop ? v->desktop : v->full, "windows", "", weight);
    if (v->legacy)
        hint_legacy(h, v->desktop);
    return true;
}

/* --- OSE_DHCP_FP -------------------------------------------------------- */

/* Option 55 lists as clients send them (order matters: it is the client
 * software's own order). legacy: the list is only ever sent by an
 * unsupported system. */
struct dhcp_fp {
    const char *codes;
    const char *os, *family, *type;
    uint8_t weight;
    const char *legacy;
};

static const struct dhcp_fp dhcp_fps[] = {
    /* Windows 10 (1709+) and 11, also Server 2016+ (same DHCP client) */
    {"1,3,6,15,31,33,43,44,46,47,119,121,249,252", "Windows 10/11", "windows", "", 60, NULL},
    /* Windows 8, 8.1 and early Windows 10 */
    {"1,15,3,6,44,46,47,31,33,121,249,252,43", "Windows 8/8.1/10", "windows", "", 50, NULL},
    /* Windows Vista and 7 (and Server 2008/2008 R2) */
    {"1,15,3,6,44,46,47,31,33,121,249,43", "Windows Vista/7", "windows", "", 55, "Windows Vista/7"},
    {"1,15,3,6,44,46,47,31,33,121,249,43,252", "Windows Vista/7", "windows", "", 55,
     "Windows Vista/7"},
    /* Windows XP / Server 2003: no classless routes (121) yet */
    {"1,15,3,6,44,46,47,31,33,249,43", "Windows XP", "windows", "", 55, "Windows XP"},
    {"1,15,3,6,44,46,47,31,33,249,43,252", "Windows XP", "windows", "", 55, "Windows XP"},
    {"1,15,3,6,44,46,47,31,33,249,43,252,12", "Windows XP", "windows", "", 55, "Windows XP"},
    /* Windows 2000: not even 249 */
    {"1,15,3,6,44,46,47,31,33,43", "Windows 2000", "windows", "", 55, "Windows 2000"},
    {"1,15,3,6,44,46,47,31,33,43,252", "Windows 2000", "windows", "", 55, "Windows 2000"},
    {"1,15,3,6,44,46,47,43,77", "Windows 98/ME", "windows", "", 50, "Windows 98/ME"},
    {"1,3,6,15,44,46,47,57", "Windows 98", "windows", "", 50, "Windows 98"},
    /* macOS: classless routes first, 95 (LDAP) and NetBIOS at the end;
     * 108 (IPv6-only preferred) and 114 (captive portal) from 2022 on */
    {"1,121,3,6,15,119,252,95,44,46", "macOS", "macos", "", 55, NULL},
    {"1,121,3,6,15,108,114,119,252,95,44,46", "macOS", "macos", "", 55, NULL},
    {"1,3,6,15,119,95,252,44,46", "macOS", "macos", "", 50, NULL},
    {"1,3,6,15,119,95,252,44,46,47", "macOS", "macos", "", 50, NULL},
    /* iOS / iPadOS: the macOS list without LDAP and NetBIOS */
    {"1,121,3,6,15,119,252", "iOS", "ios", "", 55, NULL},
    {"1,121,3,6,15,108,114,119,252", "iOS", "ios", "", 55, NULL},
    {"1,3,6,15,119,252", "iOS", "ios", "", 45, NULL},
    {"1,3,6,15,119,78,79,95,252", "iOS", "ios", "", 40, NULL},
    /* Android's own DhcpClient (8+): lease times last, 43 and 114 added */
    {"1,3,6,15,26,28,51,58,59,43", "Android", "android", "", 50, NULL},
    {"1,3,6,15,26,28,51,58,59,43,114", "Android", "android", "", 50, NULL},
    {"1,3,6,15,26,28,51,58,59,43,114,108", "Android", "android", "", 50, NULL},
    /* Android up to 7 (dhcpcd 5) */
    {"1,121,33,3,6,15,28,51,58,59,119", "Android", "android", "", 40, NULL},
    {"1,33,3,6,15,28,51,58,59", "Android", "android", "", 40, NULL},
    {"1,33,3,6,15,26,28,51,58,59", "Android", "android", "", 40, NULL},
    {"1,121,33,3,6,28,51,58,59", "Android", "android", "", 40, NULL},
    /* ISC dhclient (Debian, Ubuntu, Red Hat) */
    {"1,28,2,3,15,6,119,12,44,47,26,121,42", "Linux", "linux", "", 45, NULL},
    {"1,28,2,3,15,6,119,12,44,47,26,121,42,121,249,252,42", "Linux", "linux", "", 45, NULL},
    {"1,28,2,3,15,6,119,12,44,47,26,121,42,121,249,33,252,42", "Linux", "linux", "", 45, NULL},
    {"1,28,2,121,15,6,12,40,41,42,26,119,3,121,249,33,252,42", "Linux", "linux", "", 45, NULL},
    {"1,28,2,3,15,6,12,40,41,42", "Linux", "linux", "", 40, NULL},
    /* NetworkManager's internal client */
    {"1,2,6,12,15,26,28,121,3,33,40,41,42,119,249,252,17", "Linux", "linux", "", 45, NULL},
    {"1,2,3,6,12,15,17,26,28,33,40,41,42,119,121,249,252", "Linux", "linux", "", 45, NULL},
    /* systemd-networkd: sd-dhcp-client's defaults (1,3,12,15,6) then what
     * the .network file asks for, in that order */
    {"1,3,12,15,6,33,121,42", "Linux", "linux", "", 40, NULL},
    {"1,3,12,15,6,33,121,119,42", "Linux", "linux", "", 40, NULL},
    /* dhcpcd on Linux (Raspberry Pi OS, Arch) */
    {"1,121,33,3,6,12,15,26,28,42,51,54,58,59,119", "Linux", "linux", "", 40, NULL},
    /* Chrome OS (dhcpcd without NTP, with WPAD) */
    {"1,121,33,3,6,12,15,26,28,51,54,58,59,119,252", "Chrome OS", "linux", "pc", 50, NULL},
    {"1,121,33,3,6,12,15,26,28,51,54,58,59,119", "Chrome OS", "linux", "pc", 45, NULL},
    /* BusyBox udhcpc: routers, cameras, set-top boxes */
    {"1,3,6,12,15,28,42", "Embedded Linux", "embedded", "", 35, NULL},
    {"1,3,6,12,15,28,40,41,42", "Embedded Linux", "embedded", "", 35, NULL},
    {"1,3,6,12,15,17,28,42", "Embedded Linux", "embedded", "", 35, NULL},
    /* printers */
    {"1,3,44,6,7,12,15,22,54,58,59,69,18,144", "HP printer", "embedded", "printer", 55, NULL},
    {"1,3,44,6,7,12,15,22,54,58,59,69,18,43,119,154", "HP printer", "embedded", "printer", 55,
     NULL},
    {"1,3,44,6,7,12,15,22,54,58,59,69,18,43,119,81,153,154", "HP printer", "embedded", "printer",
     55, NULL},
    {"1,3,7,44,51,54,58,59,12,15,144,18", "HP printer", "embedded", "printer", 55, NULL},
    {"1,3,6,12,15,28,42,40,44,46", "Brother printer", "embedded", "printer", 45, NULL},
    {"6,3,1,15,66,67,13,12,44,2,42", "Brother printer", "embedded", "printer", 45, NULL},
    {"1,3,6,15,44,47", "Canon printer", "embedded", "printer", 40, NULL},
    {"3,6,15,44,47", "Canon printer", "embedded", "printer", 40, NULL},
    {"1,3,6,12,15,28,51,54,58,59", "Epson printer", "embedded", "printer", 40, NULL},
    {"1,3,6,15,28,44,47", "Ricoh printer", "embedded", "printer", 40, NULL},
    {"1,3,6,12,15,28,44,47,204", "Ricoh printer", "embedded", "printer", 40, NULL},
    {"1,3,12,6,15,23,44,47", "Kyocera printer", "embedded", "printer", 40, NULL},
    {"1,28,3,15,6,12,44,78,79", "Xerox printer", "embedded", "printer", 40, NULL},
};

/* Parses "1,3,6" (spaces allowed around commas) into codes; false on
 * anything else or no code at all. A list longer than the cap keeps its
 * head, which is what identifies the client anyway. */
static bool dhcp_fp_parse(const char *s, uint8_t *codes, unsigned *n)
{
    *n = 0;
    const char *p = s;
    for (;;) {
        while (*p == ' ')
            p++;
        unsigned long v;
        if (!osg_number(&p, &v) || v > 255)
            return false;
        if (*n < OSG_MAX_FP_CODES)
            codes[(*n)++] = (uint8_t)v;
        while (*p == ' ')
            p++;
        if (*p == '\0')
            return true;
        if (*p != ',')
            return false;
        p++;
    }
}

/* Similarity per mille: half the Dice coefficient of the two code sets
 * (what is asked) and half the common prefix (the client's own order). */
static unsigned dhcp_fp_sim(const uint8_t *a, unsigned na, const uint8_t *b, unsigned nb)
{
    uint8_t in_b[32] = {0};
    uint8_t seen[32] = {0};
    for (unsigned i = 0; i < nb; i++)
        in_b[b[i] >> 3] |= (uint8_t)(1u << (b[i] & 7));
    unsigned common = 0, ua = 0, ub = 0;
    for (unsigned i = 0; i < na; i++) {
        if (seen[a[i] >> 3] & (1u << (a[i] & 7)))
            continue;
        seen[a[i] >> 3] |= (uint8_t)(1u << (a[i] & 7));
        ua++;
        if (in_b[a[i] >> 3] & (1u << (a[i] & 7)))
            common++;
    }
    memset(seen, 0, sizeof(seen));
    for (unsigned i = 0; i < nb; i++) {
        if (!(seen[b[i] >> 3] & (1u << (b[i] & 7)))) {
            seen[b[i] >> 3] |= (uint8_t)(1u << (b[i] & 7));
            ub++;
        }
    }
    unsigned lcp = 0;
    while (lcp < na && lcp < nb && a[lcp] == b[lcp])
        lcp++;
    unsigned dice = ua + ub ? 2000 * common / (ua + ub) : 0;
    unsigned pref = 1000 * lcp / MAX(na, nb);
    return (dice + pref) / 2;
}

static bool hint_dhcp_fp(const char *v, struct os_hint *h)
{
    uint8_t codes[OSG_MAX_FP_CODES], ref[OSG_MAX_FP_CODES];
    unsigned n, nref;
    if (!dhcp_fp_parse(v, codes, &n))
        return false;
    const struct dhcp_fp *best = NULL;
    unsigned best_sim = 0;
    for (size_t i = 0; i < ARRAY_SIZE(dhcp_fps); i++) {
        const struct dhcp_fp *e = &dhcp_fps[i];
        if (!dhcp_fp_parse(e->codes, ref, &nref))
            continue;
        if (nref == n && memcmp(ref, codes, n) == 0) {
            hint_set(h, e->os, e->family, e->type, e->weight);
            if (e->legacy)
                hint_legacy(h, e->legacy);
            return true;
        }
        /* Short lists are shared by too many things to borrow from: a
         * MikroTik's "1,3,6,15,44,33" is five sixths of a Canon printer's. */
        if (n < OSG_FP_MIN_FUZZY || nref < OSG_FP_MIN_FUZZY)
            continue;
        unsigned sim = dhcp_fp_sim(codes, n, ref, nref);
        if (sim > best_sim) { /* strictly greater: the first entry wins a tie */
            best_sim = sim;
            best = e;
        }
    }
    if (!best || best_sim < OSG_FP_MIN_SIM)
        return false;
    /* A near miss tells the family and kind, never the version (so never
     * legacy): a Windows 10 list plus one new option is still Windows. */
    int f = fam_index(best->family);
    const char *os = (f >= 0 && f != FAM_EMBEDDED) ? fam_display[f] : "";
    return hint_set(h, os, best->family, best->type, best->weight * best_sim / 2000);
}

/* --- OSE_DHCP_VENDOR ----------------------------------------------------- */

static bool hint_dhcp_vendor(const char *v, struct os_hint *h)
{
    unsigned long n;
    const char *p;
    if (ci_prefix(v, "MSFT 98"))
        return hint_set(h, "Windows 98/ME", "windows", "", 45) && hint_legacy(h, "Windows 98/ME");
    if (ci_prefix(v, "MSFT")) /* "MSFT 5.0": every Windows since 2000 */
        return hint_set(h, "Windows", "windows", "", 40);
    if (ci_prefix(v, "android-dhcp-")) {
        p = v + 13;
        if (osg_number(&p, &n) && n < 100) {
            char os[32];
            snprintf(os, sizeof(os), "Android %lu", n);
            return hint_set(h, os, "android", "phone", 50);
        }
        return hint_set(h, "Android", "android", "phone", 45);
    }
    if (ci_prefix(v, "dhcpcd")) {
        /* "dhcpcd-9.4.1:Linux-6.1.0:armv7l:BCM2835" on Linux; Android up to
         * 7 sent a bare "dhcpcd-5.5.6". */
        if (ci_find(v, ":Linux"))
            return hint_set(h, "Linux", "linux", "", 40);
        if (!strchr(v, ':'))
            return hint_set(h, "Android", "android", "phone", 35);
        if (ci_find(v, "BSD"))
            return hint_set(h, "BSD", "bsd", "", 35);
        return hint_set(h, group_unix, "", "", 20);
    }
    if (ci_prefix(v, "udhcp")) /* BusyBox: "udhcp 1.36.1" */
        return hint_set(h, "Embedded Linux", "embedded", "", 35);
    if (ci_prefix(v, "Linux ipconfig"))
        return hint_set(h, "Linux", "linux", "", 30);
    if (ci_prefix(v, "Cisco")) {
        if (ci_find(v, "Phone"))
            return hint_set(h, "", "embedded", "phone", 40);
        return hint_set(h, "Cisco IOS", "embedded", "router", 40);
    }
    if (ci_prefix(v, "ubnt"))
        return hint_set(h, "", "embedded", "router", 35);
    static const struct {
        const char *prefix, *os;
    } printers[] = {
        {"Hewlett-Packard", "HP printer"}, {"HP ", "HP printer"},
        {"Brother", "Brother printer"},    {"Canon", "Canon printer"},
        {"EPSON", "Epson printer"},        {"RICOH", "Ricoh printer"},
        {"Xerox", "Xerox printer"},        {"KYOCERA", "Kyocera printer"},
        {"Lexmark", "Lexmark printer"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(printers); i++) {
        if (ci_prefix(v, printers[i].prefix))
            return hint_set(h, printers[i].os, "embedded", "printer", 40);
    }
    if (ci_find(v, "Polycom") || ci_find(v, "Aastra") || ci_find(v, "Grandstream") ||
        ci_find(v, "Yealink"))
        return hint_set(h, "", "embedded", "phone", 35);
    /* "PXEClient", "HUAWEI:android:..." and the rest: nothing we trust */
    if (ci_find(v, "android"))
        return hint_set(h, "Android", "android", "phone", 35);
    return false;
}

/* --- OSE_TTL -------------------------------------------------------------- */

static bool hint_ttl_value(unsigned long ttl, unsigned weight, struct os_hint *h)
{
    switch (ttl) {
    case 128:
        return hint_set(h, "Windows", "windows", "", weight);
    case 64:
        /* Linux, Android, macOS, iOS, BSD, most embedded: only "not Windows" */
        return hint_set(h, group_unix, "", "", weight);
    case 255:
        /* Cisco IOS, printers, Solaris-derived stacks; which one we can't say */
        return hint_set(h, "", "embedded", "", weight);
    default:
        return false;
    }
}

static bool hint_ttl(const char *v, struct os_hint *h)
{
    const char *p = v;
    unsigned long ttl;
    while (*p == ' ')
        p++;
    if (!osg_number(&p, &ttl) || *p != '\0')
        return false;
    return hint_ttl_value(ttl, 10, h);
}

/* --- OSE_TCP_SYN ------------------------------------------------------- */

/* Option layouts as p0f writes them; our producer spells padding as
 * repeated "eol", p0f as "eol+N": both start the same. */
static bool hint_tcp_syn(const char *v, struct os_hint *h)
{
    const char *p = v;
    unsigned long ittl, win, mss, ws = 0;
    bool has_ws;
    if (!osg_number(&p, &ittl) || *p++ != ':')
        return false;
    if (!osg_number(&p, &win) || *p++ != ':')
        return false;
    if (*p == '*') {
        mss = 0;
        p++;
    } else if (!osg_number(&p, &mss)) {
        return false;
    }
    if (*p++ != ':')
        return false;
    if (*p == '*') {
        has_ws = false;
        p++;
    } else if (osg_number(&p, &ws)) {
        has_ws = true;
    } else {
        return false;
    }
    if (*p++ != ':')
        return false;
    const char *layout = p;
    (void)mss;

    if (ittl == 128 && strcmp(layout, "mss,nop,ws,nop,nop,sok") == 0 && has_ws) {
        /* Vista and later. 8192 with scale 8 is 7/8's fixed window (p0f's
         * "Windows 7 or 8"); 10 and 11 autotune (64240, 65535). */
        if (win == 8192)
            return hint_set(h, "Windows Vista/7/8", "windows", "", 35);
        return hint_set(h, "Windows", "windows", "", 35);
    }
    if (ittl == 128 && strcmp(layout, "mss,nop,nop,sok") == 0 && !has_ws) {
        /* No window scaling at all: XP and 2000 (and Server 2003) */
        hint_set(h, "Windows XP/2000", "windows", "", 35);
        return hint_legacy(h, "Windows XP/2000");
    }
    if (ittl == 64 && ci_prefix(layout, "mss,sok,ts,nop,ws") && has_ws)
        return hint_set(h, group_linux, "", "", 30);
    if (ittl == 64 && ci_prefix(layout, "mss,nop,ws,nop,nop,ts,sok,eol") && has_ws)
        return hint_set(h, group_apple, "", "", 30);
    if (ittl == 64 && strcmp(layout, "mss,nop,ws,sok,ts") == 0 && has_ws)
        return hint_set(h, "FreeBSD", "bsd", "", 30);
    /* An unknown layout still tells the initial TTL, a little. */
    return hint_ttl_value(ittl, 8, h);
}

/* --- OSE_HTTP_UA ---------------------------------------------------------- */

/* "OS 16_5 like" / "Android 13;" -> 16 / 13 after the marker. */
static bool version_after(const char *v, const char *marker, unsigned long *major)
{
    const char *p = ci_find(v, marker);
    if (!p)
        return false;
    p += strlen(marker);
    return osg_number(&p, major);
}

static bool hint_http_ua(const char *v, struct os_hint *h)
{
    const char *p;
    unsigned long major = 0, minor = 0;
    char os[48];

    if (ci_find(v, "Windows Phone"))
        return hint_set(h, "Windows Phone", "windows", "phone", 45) &&
               hint_legacy(h, "Windows Phone");
    if (ci_find(v, "Xbox"))
        return hint_set(h, "Xbox", "windows", "tv", 45);
    if ((p = ci_find(v, "Windows NT ")) != NULL) {
        const struct nt_version *nt = nt_parse(p + 11);
        if (nt)
            return hint_nt(h, nt, true, 50);
        return hint_set(h, "Windows", "windows", "", 40);
    }
    if (ci_find(v, "iPhone") || ci_find(v, "iPad") || ci_find(v, "iPod")) {
        if (version_after(v, "OS ", &major) && major >= 3 && major < 100) {
            snprintf(os, sizeof(os), "iOS %lu", major);
            return hint_set(h, os, "ios", "phone", 50);
        }
        return hint_set(h, "iOS", "ios", "phone", 45);
    }
    if (ci_find(v, "AppleTV") || ci_find(v, "tvOS"))
        return hint_set(h, "tvOS", "ios", "tv", 45);
    if (ci_word(v, "Android")) {
        if (version_after(v, "Android ", &major) && major >= 1 && major < 100) {
            snprintf(os, sizeof(os), "Android %lu", major);
            return hint_set(h, os, "android", "phone", 50);
        }
        return hint_set(h, "Android", "android", "phone", 45);
    }
    if (ci_word(v, "CrOS"))
        return hint_set(h, "Chrome OS", "linux", "pc", 50);
    if ((p = ci_find(v, "Mac OS X 10")) != NULL) {
        /* "Mac OS X 10_15_7" is frozen in every browser on macOS 11 and
         * later, so only versions below 10.15 are exact. */
        p += 11;
        if ((*p == '_' || *p == '.') && (p++, osg_number(&p, &minor)) && minor < 15) {
            snprintf(os, sizeof(os), "macOS 10.%lu", minor);
            hint_set(h, os, "macos", "pc", 50);
            return hint_legacy(h, os);
        }
        return hint_set(h, "macOS", "macos", "pc", 45);
    }
    if (ci_find(v, "Macintosh"))
        return hint_set(h, "macOS", "macos", "pc", 45);
    if (ci_find(v, "Windows 98") || ci_find(v, "Win98") || ci_find(v, "Windows 95") ||
        ci_find(v, "Win95") || ci_find(v, "Windows ME") || ci_find(v, "Win 9x"))
        return hint_set(h, "Windows 9x", "windows", "pc", 50) && hint_legacy(h, "Windows 9x");
    if ((p = ci_find(v, "Microsoft-CryptoAPI/")) != NULL) {
        /* the version is the OS's own NT version */
        const struct nt_version *nt = nt_parse(p + 20);
        if (nt)
            return hint_nt(h, nt, false, 50);
        return hint_set(h, "Windows", "windows", "", 45);
    }
    if (ci_find(v, "Windows-Update-Agent") || ci_find(v, "Microsoft NCSI") ||
        ci_find(v, "Microsoft-Delivery-Optimization") || ci_find(v, "Microsoft BITS") ||
        ci_find(v, "Microsoft-WNS") || ci_word(v, "Windows"))
        return hint_set(h, "Windows", "windows", "", 40);
    if (ci_find(v, "PlayStation") || ci_find(v, "Nintendo"))
        return hint_set(h, "", "embedded", "tv", 40);
    if (ci_find(v, "SMART-TV") || ci_find(v, "SmartTV") || ci_find(v, "Tizen") ||
        ci_find(v, "Web0S") || ci_find(v, "webOS") || ci_find(v, "BRAVIA") || ci_find(v, "AQUOS") ||
        ci_find(v, "HbbTV"))
        return hint_set(h, "", "embedded", "tv", 35);
    if (ci_find(v, "HP-Chai") || ci_find(v, "Brother") || ci_find(v, "EPSON"))
        return hint_set(h, "", "embedded", "printer", 25);
    if (ci_find(v, "Darwin/") || ci_find(v, "CFNetwork/"))
        return hint_set(h, group_apple, "", "", 30);
    if (ci_word(v, "FreeBSD") || ci_word(v, "OpenBSD") || ci_word(v, "NetBSD"))
        return hint_set(h, "BSD", "bsd", "", 35);
    if (ci_word(v, "Linux") || ci_word(v, "Ubuntu") || ci_word(v, "Fedora") || ci_word(v, "X11"))
        return hint_set(h, "Linux", "linux", "", 35);
    /* curl, Wget, python-requests, Go-http-client, Java...: tools, no OS */
    return false;
}

/* --- OSE_SMB_DIALECT, OSE_NTLM_VERSION, OSE_SMB_NATIVE_OS --------------- */

static bool hint_smb_dialect(const char *v, struct os_hint *h)
{
    if (ci_prefix(v, "NT LM") || ci_prefix(v, "LANMAN") || ci_prefix(v, "PC NETWORK") ||
        ci_prefix(v, "SMB 1") || ci_prefix(v, "SMB1") || ci_prefix(v, "Samba") ||
        ci_prefix(v, "DOS LM") || ci_prefix(v, "LM1.2X002") || ci_prefix(v, "MICROSOFT NETWORKS"))
        return hint_set(h, "", "", "", 0) && hint_legacy(h, "SMBv1");
    /* The dialect is the best both sides speak, and Samba speaks them all:
     * only a weak pointer to the Windows of that era. 3.1.1 says nothing
     * (every current Windows and Samba). */
    if (strcmp(v, "2.02") == 0)
        return hint_set(h, "Windows Vista/Server 2008", "windows", "", 8);
    if (strcmp(v, "2.10") == 0)
        return hint_set(h, "Windows 7/Server 2008 R2", "windows", "", 8);
    if (strcmp(v, "3.00") == 0 || strcmp(v, "3.0") == 0)
        return hint_set(h, "Windows 8/Server 2012", "windows", "", 8);
    if (strcmp(v, "3.02") == 0)
        return hint_set(h, "Windows 8.1/Server 2012 R2", "windows", "", 8);
    return false;
}

static bool hint_ntlm_version(const char *v, struct os_hint *h)
{
    const char *p = v;
    unsigned long major, minor, build = 0;
    if (!osg_number(&p, &major) || *p++ != '.' || !osg_number(&p, &minor))
        return false;
    const char *b = ci_find(p, "build ");
    if (b) {
        b += 6;
        if (!osg_number(&b, &build))
            build = 0;
    }
    if (major == 10 && minor == 0) {
        /* Windows 11 kept the 10.0 kernel number; only the build tells.
         * NEEDSWORK: Server 2025 shares Windows 11 24H2's build 26100. */
        if (build >= 22000)
            return hint_set(h, "Windows 11", "windows", "", 90);
        return hint_set(h, "Windows 10/Server", "windows", "", 90);
    }
    const struct nt_version *nt = nt_lookup(major, minor);
    if (nt)
        return hint_nt(h, nt, false, 90);
    /* Samba and other NTLM implementations put odd numbers here. */
    return false;
}

static const struct {
    const char *prefix; /* after "Windows " */
    const char *os;
    const char *type;
    bool legacy;
} smb_products[] = {
    {"Server 2003", "Windows Server 2003", "server", true},
    {"Server 2008 R2", "Windows Server 2008 R2", "server", true},
    {"Server (R) 2008", "Windows Server 2008", "server", true},
    {"Server 2008", "Windows Server 2008", "server", true},
    {"Server 2012 R2", "Windows Server 2012 R2", "server", true},
    {"Server 2012", "Windows Server 2012", "server", true},
    {"Server 2016", "Windows Server 2016", "server", false},
    {"Server 2019", "Windows Server 2019", "server", false},
    {"Server 2022", "Windows Server 2022", "server", false},
    {"Server 2025", "Windows Server 2025", "server", false},
    {"Storage Server", "Windows Server", "server", false},
    {"2000", "Windows 2000", "", true},
    {"XP", "Windows XP", "pc", true},
    {"Vista", "Windows Vista", "pc", true},
    {"7", "Windows 7", "pc", true},
    {"8.1", "Windows 8.1", "pc", true},
    {"8", "Windows 8", "pc", true},
    {"10", "Windows 10", "pc", false},
    {"11", "Windows 11", "pc", false},
    {"NT 4.0", "Windows NT 4.0", "", true},
    {"NT", "Windows NT 4.0", "", true},
};

static bool hint_smb_native_os(const char *v, struct os_hint *h)
{
    /* "NativeOS / NativeLanMan"; NativeOS alone is enough for Windows. */
    if (ci_prefix(v, "Windows ")) {
        const char *p = v + 8;
        /* "Windows 5.1", "Windows 4.0": the NT number */
        if (osg_is_digit(p[0]) && p[1] == '.' && osg_is_digit(p[2])) {
            const struct nt_version *nt = nt_parse(p);
            if (nt)
                return hint_nt(h, nt, false, 70);
        }
        for (size_t i = 0; i < ARRAY_SIZE(smb_products); i++) {
            size_t len = strlen(smb_products[i].prefix);
            /* whole word: "Windows 7 ..." but not "Windows 7601" */
            if (ci_prefix(p, smb_products[i].prefix) && !osg_is_alnum(p[len]) && p[len] != '.') {
                hint_set(h, smb_products[i].os, "windows", smb_products[i].type, 70);
                if (smb_products[i].legacy)
                    hint_legacy(h, smb_products[i].os);
                return true;
            }
        }
        return hint_set(h, "Windows", "windows", "", 60);
    }
    const char *samba = ci_find(v, "Samba");
    if (samba || ci_prefix(v, "Unix")) {
        hint_set(h, group_unix, "", "", 40);
        unsigned long major;
        const char *p = samba ? samba + 5 : NULL;
        if (p && *p == ' ' && (p++, osg_number(&p, &major)) && major < 4)
            hint_legacy(h, "Samba 3 or older");
        return true;
    }
    return false;
}

/* --- OSE_SSH_BANNER ---------------------------------------------------- */

static bool hint_ssh_banner(const char *v, struct os_hint *h)
{
    const char *dash = strchr(v, '-');
    if (!dash)
        return false;
    const char *sw = dash + 1;
    bool v1 = v[0] == '1' && v[1] == '.'; /* "1.5", and "1.99" = 1 and 2 */
    bool said = false;

    if (ci_prefix(sw, "OpenSSH_for_Windows")) {
        said = hint_set(h, "Windows", "windows", "", 45);
    } else if (ci_prefix(sw, "OpenSSH")) {
        const char *c = sw;
        if (ci_word(c, "Ubuntu") || ci_word(c, "Debian") || ci_word(c, "Raspbian") ||
            ci_find(c, "el7") || ci_find(c, "el8"))
            said = hint_set(h, "Linux", "linux", "", 40);
        else if (ci_word(c, "FreeBSD"))
            said = hint_set(h, "FreeBSD", "bsd", "", 40);
        else if (ci_word(c, "NetBSD") || ci_word(c, "OpenBSD"))
            said = hint_set(h, "BSD", "bsd", "", 40);
        else
            said = hint_set(h, group_unix, "", "", 15);
        /* OpenSSH_X.Y: anything before 7.4 (2016) lacks years of fixes */
        const char *p = sw + 7;
        unsigned long major, minor;
        if (*p == '_' && (p++, osg_number(&p, &major)) && *p == '.' &&
            (p++, osg_number(&p, &minor)) && (major < 7 || (major == 7 && minor < 4))) {
            char what[48];
            snprintf(what, sizeof(what), "OpenSSH %lu.%lu", major, minor);
            hint_legacy(h, what);
        }
    } else if (ci_prefix(sw, "dropbear")) {
        said = hint_set(h, "Embedded Linux", "embedded", "router", 30);
    } else if (ci_prefix(sw, "Cisco")) {
        said = hint_set(h, "Cisco IOS", "embedded", "router", 50);
    } else if (ci_prefix(sw, "ROSSSH")) {
        said = hint_set(h, "RouterOS", "embedded", "router", 50);
    } else if (ci_prefix(sw, "RomSShell") || ci_prefix(sw, "lancom") || ci_prefix(sw, "HUAWEI") ||
               ci_prefix(sw, "Comware")) {
        said = hint_set(h, "", "embedded", "router", 30);
    }
    /* SSH-1 overrides an old-OpenSSH note: it is the worse of the two. */
    if (v1)
        said = hint_legacy(h, "SSH protocol 1");
    return said || h->legacy;
}

/* --- OSE_TLS_VERSION --------------------------------------------------- */

static bool hint_tls_version(const char *v, struct os_hint *h)
{
    /* normalise "TLSv1.0", "tls 1.0", "TLS1" -> "tls1.0" */
    char k[16];
    size_t n = 0;
    for (const char *p = v; *p && n + 1 < sizeof(k); p++) {
        if (*p == ' ' || *p == 'v' || *p == 'V')
            continue;
        k[n++] = osg_lower(*p);
    }
    k[n] = '\0';
    static const struct {
        const char *key, *what;
    } old[] = {
        {"ssl2", "SSLv2"},   {"ssl2.0", "SSLv2"},   {"ssl3", "SSLv3"},     {"ssl3.0", "SSLv3"},
        {"tls1", "TLS 1.0"}, {"tls1.0", "TLS 1.0"}, {"tls1.1", "TLS 1.1"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(old); i++) {
        if (strcmp(k, old[i].key) == 0)
            return hint_set(h, "", "", "", 0) && hint_legacy(h, old[i].what);
    }
    return false;
}

/* --- OSE_MDNS ------------------------------------------------------------ */

static bool hint_mdns(const char *v, struct os_hint *h)
{
    if (ci_prefix(v, "model=")) {
        const char *m = v + 6;
        if (ci_prefix(m, "iPhone") || ci_prefix(m, "iPod"))
            return hint_set(h, "iOS", "ios", "phone", 60);
        if (ci_prefix(m, "iPad"))
            return hint_set(h, "iPadOS", "ios", "phone", 60);
        if (ci_prefix(m, "AppleTV"))
            return hint_set(h, "tvOS", "ios", "tv", 60);
        if (ci_prefix(m, "AudioAccessory")) /* HomePod */
            return hint_set(h, "", "ios", "iot", 50);
        /* Synology and Samba's vfs_fruit pretend to be an Xserve or a
         * "MacSamba" so Finder shows a server icon. */
        if (ci_prefix(m, "Xserve") || ci_prefix(m, "RackMac") || ci_prefix(m, "MacSamba"))
            return hint_set(h, group_unix, "", "nas", 15);
        if (ci_prefix(m, "MacBook") || ci_prefix(m, "iMac") || ci_prefix(m, "Macmini") ||
            ci_prefix(m, "MacPro") || ci_prefix(m, "MacStudio") ||
            (ci_prefix(m, "Mac") && osg_is_digit(m[3])))
            return hint_set(h, "macOS", "macos", "pc", 60);
        return false;
    }
    /* printer TXT keys (IPP Everywhere / Bonjour printing): model names */
    if (ci_prefix(v, "md=") || ci_prefix(v, "ty=") || ci_prefix(v, "product=") ||
        ci_prefix(v, "usb_MDL="))
        return v[strcspn(v, "=") + 1] ? hint_set(h, "", "", "printer", 35) : false;

    static const struct {
        const char *svc;
        const char *os, *family, *type;
        uint8_t weight;
    } svcs[] = {
        {"_ipp._tcp", "", "", "printer", 25},
        {"_ipps._tcp", "", "", "printer", 25},
        {"_printer._tcp", "", "", "printer", 25},
        {"_pdl-datastream._tcp", "", "", "printer", 25},
        {"_scanner._tcp", "", "", "printer", 20},
        {"_uscan._tcp", "", "", "printer", 20},
        {"_airplay._tcp", "Apple", "", "", 10}, /* Apple TV, Mac, also some TVs */
        {"_raop._tcp", "Apple", "", "", 10},
        {"_companion-link._tcp", "Apple", "", "", 15},
        {"_apple-mobdev2._tcp", "Apple", "", "", 15},
        {"_googlecast._tcp", "", "", "tv", 25},
        {"_androidtvremote2._tcp", "", "android", "tv", 30},
        {"_smb._tcp", "", "", "nas", 5}, /* NAS, or a PC sharing files */
        {"_afpovertcp._tcp", "", "", "nas", 5},
        {"_adisk._tcp", "", "", "nas", 10}, /* Time Machine target */
        {"_hap._tcp", "", "", "iot", 25},   /* HomeKit accessory */
        {"_matter._tcp", "", "", "iot", 25},
        {"_axis-video._tcp", "", "", "camera", 35},
        {"_rtsp._tcp", "", "", "camera", 10},
        {"_workstation._tcp", "Linux-based", "", "", 10}, /* avahi's default */
    };
    for (size_t i = 0; i < ARRAY_SIZE(svcs); i++) {
        const char *p = ci_find(v, svcs[i].svc);
        if (!p)
            continue;
        /* the service type itself or an instance of it ("X._ipp._tcp") */
        if (p != v && p[-1] != '.')
            continue;
        char end = p[strlen(svcs[i].svc)];
        if (end != '\0' && end != '.')
            continue;
        return hint_set(h, svcs[i].os, svcs[i].family, svcs[i].type, svcs[i].weight);
    }
    return false;
}

/* --- OSE_VENDOR ---------------------------------------------------------- */

/* MAC vendor words (at a word start, case-insensitive) and what the maker
 * mostly puts on an office LAN. Order matters: more specific names first. */
static const struct {
    const char *word;
    const char *os, *family, *type;
    uint8_t weight;
} vendors[] = {
    {"Apple", "Apple", "", "", 10},
    {"Aruba", "", "", "router", 15}, /* "Aruba, a Hewlett Packard Enterprise ..." */
    {"Hewlett Packard Enterprise", "", "", "server", 10},
    {"Hewlett", "", "", "printer", 5}, /* HP makes PCs too */
    {"HP Inc", "", "", "printer", 5},
    {"Brother", "", "", "printer", 25},
    {"Seiko Epson", "", "", "printer", 25},
    {"Epson", "", "", "printer", 20},
    {"Canon", "", "", "printer", 15}, /* and cameras */
    {"Kyocera Document", "", "", "printer", 25},
    {"Kyocera", "", "", "printer", 10}, /* and phones */
    {"Ricoh", "", "", "printer", 25},
    {"Sharp", "", "", "printer", 5}, /* MFPs, and AQUOS phones */
    {"Fuji Xerox", "", "", "printer", 25},
    {"FUJIFILM Business", "", "", "printer", 25},
    {"Xerox", "", "", "printer", 25},
    {"Konica Minolta", "", "", "printer", 25},
    {"Lexmark", "", "", "printer", 25},
    {"Oki Data", "", "", "printer", 20},
    {"Toshiba Tec", "", "", "printer", 20},
    {"Zebra Technologies", "", "", "printer", 20},
    {"Yamaha", "", "", "router", 15}, /* RTX routers; also audio gear */
    {"NEC Platforms", "", "", "router", 15},
    {"Buffalo", "", "", "router", 10}, /* and NAS */
    {"Allied Telesis", "", "", "router", 20},
    {"Cisco", "", "", "router", 15},
    {"Juniper", "", "", "router", 20},
    {"Routerboard", "", "", "router", 25}, /* MikroTik */
    {"MikroTik", "", "", "router", 25},
    {"TP-Link", "", "", "router", 5},
    {"Fortinet", "", "", "router", 25},
    {"Palo Alto Networks", "", "", "router", 25},
    {"SonicWall", "", "", "router", 25},
    {"Ubiquiti", "", "", "router", 10},
    {"NETGEAR", "", "", "router", 10},
    {"ZyXEL", "", "", "router", 15},
    {"Ruckus", "", "", "router", 15},
    {"Extreme Networks", "", "", "router", 20},
    {"Arista", "", "", "router", 20},
    {"D-Link", "", "", "router", 10},
    {"Synology", "", "", "nas", 30},
    {"QNAP", "", "", "nas", 30},
    {"ASUSTOR", "", "", "nas", 30},
    {"Sony Mobile", "", "android", "phone", 15},
    {"FCNT", "", "android", "phone", 15},
    {"OnePlus", "", "android", "phone", 15},
    {"Samsung", "", "", "phone", 5}, /* and TVs, PCs, printers */
    {"Hikvision", "", "", "camera", 30},
    {"Dahua", "", "", "camera", 30},
    {"Axis Communications", "", "", "camera", 30},
    {"i-PRO", "", "", "camera", 25},
    {"VMware", "", "", "server", 10},
    {"PCS Systemtechnik", "", "", "server", 5}, /* VirtualBox's OUI */
    {"Oracle", "", "", "server", 5},
    {"Xensource", "", "", "server", 10},
    {"Nutanix", "", "", "server", 10},
    {"QEMU", "", "", "server", 10},
    {"Red Hat", "", "", "server", 10},
    {"Microsoft", "", "", "server", 5}, /* Hyper-V; also Surface, Xbox */
    {"Super Micro", "", "", "server", 10},
    {"Raspberry Pi", "", "linux", "iot", 15},
    {"Espressif", "", "embedded", "iot", 25},
    {"Sonos", "", "", "iot", 25},
    {"Amazon Technologies", "", "", "iot", 10},
    {"Nintendo", "", "", "tv", 25},
    {"Sony Interactive", "", "", "tv", 25},
    {"Roku", "", "", "tv", 30},
    {"Grandstream", "", "embedded", "phone", 20},
    {"Polycom", "", "embedded", "phone", 20},
    {"Yealink", "", "embedded", "phone", 20},
    {"Dell", "", "", "pc", 5},
    {"Lenovo", "", "", "pc", 5},
    {"Intel Corporate", "", "", "pc", 5}, /* laptop Wi-Fi */
    {"ASUSTek", "", "", "pc", 5},
    {"Fujitsu", "", "", "pc", 5},
    {"Dynabook", "", "", "pc", 5},
    {"Micro-Star", "", "", "pc", 5},
};

static bool hint_vendor(const char *v, struct os_hint *h)
{
    for (size_t i = 0; i < ARRAY_SIZE(vendors); i++) {
        if (ci_word(v, vendors[i].word))
            return hint_set(h, vendors[i].os, vendors[i].family, vendors[i].type,
                            vendors[i].weight);
    }
    return false;
}

/* --- osguess_hint ---------------------------------------------------------- */

bool osguess_hint(enum os_ev_kind kind, const char *value, struct os_hint *out)
{
    if (!out)
        return false;
    memset(out, 0, sizeof(*out));
    if (!value || (unsigned)kind >= OSE_MAX)
        return false;
    char v[OSG_MAX_VALUE + 1];
    osg_copy(v, sizeof(v), value);
    if (!v[0])
        return false;

    bool said;
    switch (kind) {
    case OSE_DHCP_FP:
        said = hint_dhcp_fp(v, out);
        break;
    case OSE_DHCP_VENDOR:
        said = hint_dhcp_vendor(v, out);
        break;
    case OSE_TTL:
        said = hint_ttl(v, out);
        break;
    case OSE_TCP_SYN:
        said = hint_tcp_syn(v, out);
        break;
    case OSE_HTTP_UA:
        said = hint_http_ua(v, out);
        break;
    case OSE_SMB_DIALECT:
        said = hint_smb_dialect(v, out);
        break;
    case OSE_NTLM_VERSION:
        said = hint_ntlm_version(v, out);
        break;
    case OSE_SMB_NATIVE_OS:
        said = hint_smb_native_os(v, out);
        break;
    case OSE_SSH_BANNER:
        said = hint_ssh_banner(v, out);
        break;
    case OSE_TLS_VERSION:
        said = hint_tls_version(v, out);
        break;
    case OSE_MDNS:
        said = hint_mdns(v, out);
        break;
    case OSE_VENDOR:
        said = hint_vendor(v, out);
        break;
    default:
        said = false;
        break;
    }
    if (!said || (out->weight == 0 && !out->legacy)) {
        memset(out, 0, sizeof(*out));
        return false;
    }
    return true;
}

/* --- osguess_combine -------------------------------------------------------
 *
 * 1. Each hint speaks for a set of families (its own, or its group's) and,
 *    if that set is not empty, against all the others.
 * 2. Per family and per evidence kind only the strongest hint counts (ten
 *    user agents from one browser are one piece of evidence), and the kinds
 *    add up as independent witnesses: belief = 1 - prod(1 - w/100).
 * 3. score(F) = belief_for(F) * (1 - belief_against(F)); the highest score
 *    wins. Ties: the family first in enum osg_family order.
 * 4. Within the winner, specific os names (not the bare family name) are
 *    weighed the same way; names sharing an alternative ("Windows 7" and
 *    "Windows 7/Server 2008 R2") support each other. Ties: fewer
 *    alternatives (the most precise of the names that agree), then the
 *    strongest single hint, then strcmp order.
 *    Weight for incompatible names of the same family lowers the
 *    confidence by half its belief.
 * 5. Type: the same vote among hints not against the winner; ties by strcmp
 *    order; none -> what the OS implies.
 * 6. Confidence: the larger of the OS score and the type's belief (a
 *    printer known by its services is a confident guess even when its OS
 *    is only "Embedded"), capped at OSG_MAX_CONFIDENCE.
 * All ties fall back to fixed orders, never to input order, so the result
 * does not depend on how the hints are ordered.
 */

/* belief of independent witnesses, per mille */
static unsigned noisy_or(const uint8_t *w, unsigned n)
{
    unsigned miss = 1000;
    for (unsigned i = 0; i < n; i++)
        miss = miss * (100u - MIN(w[i], 100u)) / 100u;
    return 1000 - miss;
}

static unsigned hint_mask(const struct os_hint *h)
{
    if (h->weight == 0)
        return 0;
    int f = fam_index(h->family);
    if (f >= 0)
        return FBIT(f);
    if (h->family[0])
        return 0; /* a family we do not know: no vote */
    for (size_t i = 0; i < ARRAY_SIZE(osg_groups); i++) {
        if (strcmp(h->os, osg_groups[i].name) == 0)
            return osg_groups[i].mask;
    }
    return 0;
}

/* A hint that counts: a known kind, some weight, and strings that end
 * inside their arrays (hints may come from a damaged store). */
static bool hint_valid(const struct os_hint *hints, const enum os_ev_kind *kinds, unsigned i)
{
    const struct os_hint *h = &hints[i];
    return (unsigned)kinds[i] < OSE_MAX && h->weight > 0 && memchr(h->os, '\0', sizeof(h->os)) &&
           memchr(h->family, '\0', sizeof(h->family)) && memchr(h->type, '\0', sizeof(h->type));
}

/* Splits an os name into its alternatives without the "Windows " prefix:
 * "Windows 10/11" -> "10", "11"; "Windows 8/Server 2012" -> "8",
 * "Server 2012". An alternative starting with a digit inherits the first
 * one's words before its version ("XP x64/..." is not affected). */
#define OSG_MAX_ALTS 4
struct osg_alts {
    char alt[OSG_MAX_ALTS][48];
    unsigned n;
};

static void name_alts(const char *name, struct osg_alts *a)
{
    char buf[48];
    osg_copy(buf, sizeof(buf), name);
    a->n = 0;
    char prefix[48] = "";
    const char *p = buf;
    if (ci_prefix(p, "Windows "))
        p += 8;
    while (*p && a->n < OSG_MAX_ALTS) {
        size_t len = strcspn(p, "/");
        char part[48];
        memcpy(part, p, len);
        part[len] = '\0';
        if (a->n == 0) {
            const char *sp = strrchr(part, ' ');
            if (sp)
                snprintf(prefix, sizeof(prefix), "%.*s", (int)(sp - part + 1), part);
            snprintf(a->alt[a->n++], sizeof(a->alt[0]), "%s", part);
        } else if (osg_is_digit(part[0])) {
            snprintf(a->alt[a->n++], sizeof(a->alt[0]), "%s%s", prefix, part);
        } else {
            snprintf(a->alt[a->n++], sizeof(a->alt[0]), "%s", part);
        }
        p += len;
        if (*p == '/')
            p++;
    }
}

static bool names_compatible(const char *x, const char *y)
{
    if (strcmp(x, y) == 0)
        return true;
    struct osg_alts a, b;
    name_alts(x, &a);
    name_alts(y, &b);
    for (unsigned i = 0; i < a.n; i++) {
        for (unsigned j = 0; j < b.n; j++) {
            if (strcmp(a.alt[i], b.alt[j]) == 0)
                return true;
        }
    }
    return false;
}

struct osg_name {
    const char *name;
    unsigned support; /* per mille */
    unsigned against; /* per mille */
    uint8_t top;      /* strongest single hint carrying this exact name */
    unsigned nalts;
};

/* Is name one of the generic family names or a group name? */
static bool name_is_generic(const char *name)
{
    for (int f = 0; f < FAM_COUNT; f++) {
        if (strcmp(name, fam_display[f]) == 0)
            return true;
    }
    for (size_t i = 0; i < ARRAY_SIZE(osg_groups); i++) {
        if (strcmp(name, osg_groups[i].name) == 0)
            return true;
    }
    return false;
}

static bool name_better(const struct osg_name *a, const struct osg_name *b)
{
    if (a->support != b->support)
        return a->support > b->support;
    if (a->nalts != b->nalts)
        return a->nalts < b->nalts;
    if (a->top != b->top)
        return a->top > b->top;
    return strcmp(a->name, b->name) < 0;
}

/* Picks the os name within family win; returns the belief against it
 * from incompatible specific names of that family (per mille). */
static unsigned choose_name(const struct os_hint *hints, const enum os_ev_kind *kinds, unsigned n,
                            int win, struct os_guess *out)
{
    struct osg_name names[OSG_MAX_NAMES];
    unsigned nn = 0;
    for (unsigned i = 0; i < n && nn < OSG_MAX_NAMES; i++) {
        if (!hint_valid(hints, kinds, i) || fam_index(hints[i].family) != win || !hints[i].os[0] ||
            name_is_generic(hints[i].os))
            continue;
        bool dup = false;
        for (unsigned j = 0; j < nn && !dup; j++)
            dup = strcmp(names[j].name, hints[i].os) == 0;
        if (!dup)
            names[nn++] = (struct osg_name){.name = hints[i].os};
    }
    if (nn == 0)
        return 0;
    for (unsigned j = 0; j < nn; j++) {
        uint8_t sup[OSE_MAX] = {0}, ag[OSE_MAX] = {0};
        for (unsigned i = 0; i < n; i++) {
            if (!hint_valid(hints, kinds, i) || fam_index(hints[i].family) != win ||
                !hints[i].os[0] || name_is_generic(hints[i].os))
                continue;
            uint8_t w = hints[i].weight;
            if (names_compatible(names[j].name, hints[i].os))
                sup[kinds[i]] = MAX(sup[kinds[i]], w);
            else
                ag[kinds[i]] = MAX(ag[kinds[i]], w);
            if (strcmp(names[j].name, hints[i].os) == 0)
                names[j].top = MAX(names[j].top, w);
        }
        names[j].support = noisy_or(sup, OSE_MAX);
        names[j].against = noisy_or(ag, OSE_MAX);
        struct osg_alts a;
        name_alts(names[j].name, &a);
        names[j].nalts = a.n;
    }
    unsigned best = 0;
    for (unsigned j = 1; j < nn; j++) {
        if (name_better(&names[j], &names[best]))
            best = j;
    }
    snprintf(out->os, sizeof(out->os), "%s", names[best].name);
    return names[best].against;
}

static void basis_add(char *basis, size_t cap, const char *name)
{
    size_t len = strlen(basis);
    size_t need = strlen(name) + (len ? 1 : 0);
    if (len + need + 1 > cap)
        return;
    snprintf(basis + len, cap - len, "%s%s", len ? "," : "", name);
}

void osguess_combine(const struct os_hint *hints, const enum os_ev_kind *kinds, unsigned n,
                     struct os_guess *out)
{
    if (!out)
        return;
    memset(out, 0, sizeof(*out));
    if (!hints || !kinds || n == 0)
        return;

    /* 1-3: the family vote */
    int win = -1;
    unsigned win_score = 0;
    bool win_direct = false;
    for (int f = 0; f < FAM_COUNT; f++) {
        uint8_t sup[OSE_MAX] = {0}, ag[OSE_MAX] = {0};
        bool direct = false;
        for (unsigned i = 0; i < n; i++) {
            if (!hint_valid(hints, kinds, i))
                continue;
            unsigned m = hint_mask(&hints[i]);
            if (!m)
                continue;
            uint8_t w = hints[i].weight;
            if (m & FBIT(f)) {
                sup[kinds[i]] = MAX(sup[kinds[i]], w);
                direct |= fam_index(hints[i].family) == f;
            } else {
                ag[kinds[i]] = MAX(ag[kinds[i]], w);
            }
        }
        unsigned score = noisy_or(sup, OSE_MAX) * (1000 - noisy_or(ag, OSE_MAX)) / 1000;
        /* strictly greater, or a direct claim over a group-only tie: the
         * first family in enum order wins any remaining tie */
        if (score > win_score || (score == win_score && score && direct && !win_direct)) {
            win = f;
            win_score = score;
            win_direct = direct;
        }
    }

    /* 4: the os name */
    unsigned confidence = win_score;
    if (win >= 0 && win_direct) {
        snprintf(out->family, sizeof(out->family), "%s", fam_names[win]);
        unsigned against = choose_name(hints, kinds, n, win, out);
        confidence = confidence * (1000 - against / 2) / 1000;
        if (!out->os[0])
            snprintf(out->os, sizeof(out->os), "%s", fam_display[win]);
    } else if (win >= 0) {
        /* Only groups speak for it: name the strongest group (ties: the
         * first in osg_groups order). */
        uint8_t best_w = 0;
        for (size_t g = 0; g < ARRAY_SIZE(osg_groups); g++) {
            if (!(osg_groups[g].mask & FBIT(win)))
                continue;
            for (unsigned i = 0; i < n; i++) {
                if (hint_valid(hints, kinds, i) && !hints[i].family[0] &&
                    strcmp(hints[i].os, osg_groups[g].name) == 0 && hints[i].weight > best_w) {
                    best_w = hints[i].weight;
                    snprintf(out->os, sizeof(out->os), "%s", osg_groups[g].name);
                }
            }
        }
    }

    /* 5: the type, among hints that are not against the winner */
    const char *type = NULL;
    unsigned type_belief = 0;
    for (unsigned i = 0; i < n; i++) {
        if (!hint_valid(hints, kinds, i) || !hints[i].type[0])
            continue;
        /* A maker's usual product (HP: printers, NEC: routers) says nothing
         * once the device has shown a desktop or phone OS of its own. */
        if (kinds[i] == OSE_VENDOR && win >= 0 && win_direct &&
            (win == FAM_WINDOWS || win == FAM_MACOS || win == FAM_IOS || win == FAM_ANDROID))
            continue;
        const char *t = hints[i].type;
        bool seen = false;
        for (unsigned j = 0; j < i && !seen; j++)
            seen = hint_valid(hints, kinds, j) && strcmp(hints[j].type, t) == 0;
        if (seen)
            continue;
        uint8_t sup[OSE_MAX] = {0};
        for (unsigned j = 0; j < n; j++) {
            if (!hint_valid(hints, kinds, j) || strcmp(hints[j].type, t) != 0)
                continue;
            unsigned m = hint_mask(&hints[j]);
            if (win >= 0 && m && !(m & FBIT(win)))
                continue;
            sup[kinds[j]] = MAX(sup[kinds[j]], hints[j].weight);
        }
        unsigned b = noisy_or(sup, OSE_MAX);
        if (b > type_belief || (b == type_belief && b && type && strcmp(t, type) < 0)) {
            type = t;
            type_belief = b;
        }
    }
    if (type)
        snprintf(out->type, sizeof(out->type), "%s", type);
    if (ci_prefix(out->os, "Windows Server") && (!out->type[0] || !strcmp(out->type, "pc")))
        snprintf(out->type, sizeof(out->type), "server");
    if (!out->type[0] && win >= 0 && win_direct) {
        if (win == FAM_IOS || win == FAM_ANDROID)
            snprintf(out->type, sizeof(out->type), "phone");
        else if (win == FAM_WINDOWS || win == FAM_MACOS)
            snprintf(out->type, sizeof(out->type), "pc");
    }
    confidence = MAX(confidence, type_belief);
    out->confidence = (uint8_t)MIN(confidence / 10, (unsigned)OSG_MAX_CONFIDENCE);

    /* basis: kinds whose evidence is for the family or the chosen type,
     * strongest first, ties in kind order */
    uint8_t strength[OSE_MAX] = {0};
    for (unsigned i = 0; i < n; i++) {
        if (!hint_valid(hints, kinds, i))
            continue;
        unsigned m = hint_mask(&hints[i]);
        bool for_family = win >= 0 && (m & FBIT(win));
        bool for_type = out->type[0] && strcmp(hints[i].type, out->type) == 0 &&
                        !(win >= 0 && m && !(m & FBIT(win)));
        if (for_family || for_type)
            strength[kinds[i]] = MAX(strength[kinds[i]], hints[i].weight);
    }
    for (;;) {
        int best = -1;
        for (int k = 0; k < OSE_MAX; k++) {
            if (strength[k] && (best < 0 || strength[k] > strength[best]))
                best = k;
        }
        if (best < 0)
            break;
        basis_add(out->basis, sizeof(out->basis), osguess_kind_name((enum os_ev_kind)best));
        strength[best] = 0;
    }
}

/* --- kind names ------------------------------------------------------------- */

static const char *const kind_names[OSE_MAX] = {
    [OSE_DHCP_FP] = "dhcp_fp",
    [OSE_DHCP_VENDOR] = "dhcp_vendor",
    [OSE_TTL] = "ttl",
    [OSE_TCP_SYN] = "tcp_syn",
    [OSE_HTTP_UA] = "http_ua",
    [OSE_SMB_DIALECT] = "smb_dialect",
    [OSE_NTLM_VERSION] = "ntlm_version",
    [OSE_SMB_NATIVE_OS] = "smb_native_os",
    [OSE_SSH_BANNER] = "ssh_banner",
    [OSE_TLS_VERSION] = "tls_version",
    [OSE_MDNS] = "mdns",
    [OSE_VENDOR] = "vendor",
};

const char *osguess_kind_name(enum os_ev_kind k)
{
    if ((unsigned)k >= OSE_MAX)
        return "unknown";
    return kind_names[k];
}

int osguess_kind_parse(const char *name)
{
    if (!name)
        return -1;
    for (int k = 0; k < OSE_MAX; k++) {
        if (strcmp(name, kind_names[k]) == 0)
            return k;
    }
    return -1;
}
