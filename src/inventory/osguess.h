/* osguess.h - what a piece of evidence says about a device's operating
 * system and kind, and the best guess from all of it (p0f and Fingerbank are
 * the models: passive, explainable, never certain).
 *
 * The inventory collects evidence items (kind + value text) per device and
 * asks osguess_hint() once per new item; osguess_combine() turns the hints
 * into one guess with a confidence and the evidence it rests on.
 */
#ifndef MAMORI_OSGUESS_H
#define MAMORI_OSGUESS_H

#include <stdbool.h>
#include <stdint.h>

enum os_ev_kind {
    OSE_DHCP_FP = 0,  /* DHCP option 55 as decimal codes: "1,3,6,15,31,33,43,44,46,47,119,121,249,252" */
    OSE_DHCP_VENDOR,  /* DHCP option 60: "MSFT 5.0", "android-dhcp-13", "dhcpcd-9.4.1:Linux-6.1.0:..." */
    OSE_TTL,          /* initial TTL of packets the device sent, rounded up to 32/64/128/255: "128" */
    OSE_TCP_SYN,      /* the device's SYN: "ittl:window:mss:wscale:layout", wscale "*" when absent,
                       * layout p0f-style: "128:64240:1460:8:mss,nop,ws,nop,nop,sok" */
    OSE_HTTP_UA,      /* a User-Agent the device sent */
    OSE_SMB_DIALECT,  /* SMB dialect negotiated with the device as client or server: "NT LM 0.12"
                       * (SMB1), "2.02", "2.10", "3.00", "3.02", "3.1.1" */
    OSE_NTLM_VERSION, /* OS version from NTLMSSP: "10.0 build 19041", "6.1 build 7601" */
    OSE_SMB_NATIVE_OS,/* SMB1 session setup NativeOS/NativeLanMan: "Windows 5.1", "Windows 2000 2195" */
    OSE_SSH_BANNER,   /* "<proto>-<software>" from the device's SSH banner: "2.0-OpenSSH_9.2p1",
                       * "1.5-OpenSSH_3.9p1", "2.0-dropbear_2019.78" */
    OSE_TLS_VERSION,  /* TLS version negotiated (or offered, when no answer was seen) with the device:
                       * "SSLv3", "TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3" */
    OSE_MDNS,         /* an mDNS service type or TXT model the device announced: "_ipp._tcp",
                       * "_airplay._tcp", "md=MFC-L2750DW", "model=MacBookPro18,1" */
    OSE_VENDOR,       /* the MAC's vendor (oui.h): "Brother Industries, LTD." */
    OSE_MAX
};

struct os_hint {
    char os[48];            /* "Windows 10/11", "Windows 7", "macOS", "iOS", "Android", "Linux",
                             * "Windows" (version unknown), ... "" when the item says nothing */
    char family[16];        /* "windows", "macos", "ios", "android", "linux", "bsd", "embedded",
                             * "" */
    char type[16];          /* "pc", "server", "phone", "printer", "router", "nas", "camera",
                             * "iot", "tv", "" */
    uint8_t weight;         /* 0 (says nothing) .. 100 (decisive) */
    bool legacy;            /* shows an unsupported OS or obsolete protocol */
    char legacy_what[48];   /* "Windows XP", "Windows 7", "SMBv1", "SSH protocol 1",
                             * "OpenSSH 5.3", "TLS 1.0" */
};

/* Interprets one item. Fills out (zeroed first) and returns true when the
 * item says anything (weight > 0 or legacy). Never fails on odd input. */
bool osguess_hint(enum os_ev_kind kind, const char *value, struct os_hint *out);

struct os_guess {
    char os[48];            /* best OS, "" if nothing is known */
    char family[16];
    char type[16];          /* best device type, "" if unknown */
    uint8_t confidence;     /* 0..100 */
    char basis[96];         /* evidence kinds that support the guess, comma-separated names
                             * (osguess_kind_name), strongest first */
};

/* Combines hints (n items; kinds[i] is hints[i]'s kind). Evidence for one
 * family adds up, evidence against it subtracts; the most specific os name
 * within the winning family is kept (e.g. "Windows 7" over "Windows"). */
void osguess_combine(const struct os_hint *hints, const enum os_ev_kind *kinds, unsigned n,
                     struct os_guess *out);

/* "dhcp_fp", "dhcp_vendor", "ttl", "tcp_syn", "http_ua", "smb_dialect", "ntlm_version",
 * "smb_native_os", "ssh_banner", "tls_version", "mdns", "vendor". */
const char *osguess_kind_name(enum os_ev_kind k);
/* Inverse; -1 if unknown. */
int osguess_kind_parse(const char *name);

#endif
