/* test-osguess.c - one evidence item -> a hint, and the vote over hints. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "inventory/osguess.h"
#include "util/util.h"

/* One row: what osguess_hint() must say about (kind, value). wmin/wmax
 * bound the weight so a table change that flips strong and weak evidence
 * shows up here. */
struct hint_case {
    enum os_ev_kind kind;
    const char *value;
    bool said;
    const char *os, *family, *type;
    unsigned wmin, wmax;
    const char *legacy; /* NULL: not legacy */
};

static void check_cases(const struct hint_case *c, size_t n)
{
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        struct os_hint h;
        bool said = osguess_hint(c[i].kind, c[i].value, &h);
        bool ok = said == c[i].said;
        if (ok && said) {
            ok = strcmp(h.os, c[i].os) == 0 && strcmp(h.family, c[i].family) == 0 &&
                 strcmp(h.type, c[i].type) == 0 && h.weight >= c[i].wmin && h.weight <= c[i].wmax &&
                 h.legacy == (c[i].legacy != NULL) &&
                 (!c[i].legacy || strcmp(h.legacy_what, c[i].legacy) == 0);
        }
        if (ok && !said) {
            /* "zeroed first" and nothing left behind */
            static const struct os_hint zero;
            ok = memcmp(&h, &zero, sizeof(h)) == 0;
        }
        if (!ok) {
            print_error("case %zu %s \"%s\": said=%d os=\"%s\" family=\"%s\" type=\"%s\" "
                        "weight=%u legacy=%d \"%s\"\n",
                        i, osguess_kind_name(c[i].kind), c[i].value, said, h.os, h.family, h.type,
                        h.weight, h.legacy, h.legacy_what);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

#define W10 "1,3,6,15,31,33,43,44,46,47,119,121,249,252"

static void test_dhcp_fp(void **state)
{
    (void)state;
    static const struct hint_case c[] = {
        {OSE_DHCP_FP, W10, true, "Windows 10/11", "windows", "", 55, 70, NULL},
        /* spaces around the commas are tolerated */
        {OSE_DHCP_FP, " 1, 3 ,6,15,31,33,43,44,46,47,119,121,249,252 ", true, "Windows 10/11",
         "windows", "", 55, 70, NULL},
        {OSE_DHCP_FP, "1,15,3,6,44,46,47,31,33,121,249,252,43", true, "Windows 8/8.1/10", "windows",
         "", 40, 60, NULL},
        {OSE_DHCP_FP, "1,15,3,6,44,46,47,31,33,121,249,43,252", true, "Windows Vista/7", "windows",
         "", 40, 60, "Windows Vista/7"},
        {OSE_DHCP_FP, "1,15,3,6,44,46,47,31,33,121,249,43", true, "Windows Vista/7", "windows", "",
         40, 60, "Windows Vista/7"},
        {OSE_DHCP_FP, "1,15,3,6,44,46,47,31,33,249,43", true, "Windows XP", "windows", "", 40, 60,
         "Windows XP"},
        {OSE_DHCP_FP, "1,15,3,6,44,46,47,31,33,249,43,252", true, "Windows XP", "windows", "", 40,
         60, "Windows XP"},
        {OSE_DHCP_FP, "1,15,3,6,44,46,47,31,33,43", true, "Windows 2000", "windows", "", 40, 60,
         "Windows 2000"},
        {OSE_DHCP_FP, "1,121,3,6,15,119,252,95,44,46", true, "macOS", "macos", "", 40, 60, NULL},
        {OSE_DHCP_FP, "1,121,3,6,15,108,114,119,252,95,44,46", true, "macOS", "macos", "", 40, 60,
         NULL},
        {OSE_DHCP_FP, "1,121,3,6,15,119,252", true, "iOS", "ios", "", 40, 60, NULL},
        {OSE_DHCP_FP, "1,121,3,6,15,108,114,119,252", true, "iOS", "ios", "", 40, 60, NULL},
        {OSE_DHCP_FP, "1,3,6,15,26,28,51,58,59,43", true, "Android", "android", "", 40, 60, NULL},
        {OSE_DHCP_FP, "1,3,6,15,26,28,51,58,59,43,114", true, "Android", "android", "", 40, 60,
         NULL},
        {OSE_DHCP_FP, "1,33,3,6,15,28,51,58,59", true, "Android", "android", "", 30, 50, NULL},
        {OSE_DHCP_FP, "1,28,2,3,15,6,119,12,44,47,26,121,42", true, "Linux", "linux", "", 40, 50,
         NULL},
        {OSE_DHCP_FP, "1,2,6,12,15,26,28,121,3,33,40,41,42,119,249,252,17", true, "Linux", "linux",
         "", 40, 50, NULL},
        {OSE_DHCP_FP, "1,3,12,15,6,33,121,42", true, "Linux", "linux", "", 30, 50, NULL},
        {OSE_DHCP_FP, "1,121,33,3,6,12,15,26,28,42,51,54,58,59,119", true, "Linux", "linux", "", 30,
         50, NULL},
        {OSE_DHCP_FP, "1,121,33,3,6,12,15,26,28,51,54,58,59,119,252", true, "Chrome OS", "linux",
         "pc", 40, 60, NULL},
        {OSE_DHCP_FP, "1,3,6,12,15,28,42", true, "Embedded Linux", "embedded", "", 25, 40, NULL},
        {OSE_DHCP_FP, "1,3,44,6,7,12,15,22,54,58,59,69,18,144", true, "HP printer", "embedded",
         "printer", 40, 60, NULL},
        {OSE_DHCP_FP, "1,3,6,15,44,47", true, "Canon printer", "embedded", "printer", 30, 50, NULL},
        /* near misses: the family at a lower weight, never a version or legacy */
        {OSE_DHCP_FP, W10 ",108", true, "Windows", "windows", "", 15, 35, NULL},
        {OSE_DHCP_FP, "1,15,3,6,44,46,47,31,33,249,43,252,12,81", true, "Windows", "windows", "",
         15, 35, NULL},
        {OSE_DHCP_FP, "1,121,3,6,15,119,252,95,44,46,47", true, "macOS", "macos", "", 15, 35, NULL},
        {OSE_DHCP_FP, "1,3,44,6,7,12,15,22,54,58,59,69,18,144,119", true, "", "embedded", "printer",
         15, 35, NULL},
        /* short or unlike lists borrow nothing */
        {OSE_DHCP_FP, "1,3,6", false, NULL, NULL, NULL, 0, 0, NULL},
        /* a MikroTik router (real capture) is not a Canon printer */
        {OSE_DHCP_FP, "1,3,6,15,44,33", false, NULL, NULL, NULL, 0, 0, NULL},
        /* the shortest list tried fuzzily: 7 codes (iOS plus one) */
        {OSE_DHCP_FP, "1,121,3,6,15,119,252,114", true, "iOS", "ios", "", 15, 35, NULL},
        {OSE_DHCP_FP, "1,121,3,6,15,119", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_DHCP_FP, "200,201,202,203,204,205", false, NULL, NULL, NULL, 0, 0, NULL},
        /* malformed */
        {OSE_DHCP_FP, "", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_DHCP_FP, "abc", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_DHCP_FP, "1,,3,6,15", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_DHCP_FP, "1,3,6,15,256", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_DHCP_FP, "-1,3", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_DHCP_FP, W10 ",", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_DHCP_FP, "99999999999999999999,1", false, NULL, NULL, NULL, 0, 0, NULL},
    };
    check_cases(c, ARRAY_SIZE(c));
}

static void test_dhcp_vendor(void **state)
{
    (void)state;
    static const struct hint_case c[] = {
        {OSE_DHCP_VENDOR, "MSFT 5.0", true, "Windows", "windows", "", 30, 50, NULL},
        {OSE_DHCP_VENDOR, "MSFT 98", true, "Windows 98/ME", "windows", "", 30, 50, "Windows 98/ME"},
        {OSE_DHCP_VENDOR, "android-dhcp-13", true, "Android 13", "android", "phone", 40, 60, NULL},
        {OSE_DHCP_VENDOR, "android-dhcp-", true, "Android", "android", "phone", 30, 50, NULL},
        {OSE_DHCP_VENDOR, "dhcpcd-9.4.1:Linux-6.1.0-rpi7:armv7l:BCM2835", true, "Linux", "linux",
         "", 30, 50, NULL},
        {OSE_DHCP_VENDOR, "dhcpcd-5.5.6", true, "Android", "android", "phone", 25, 45, NULL},
        {OSE_DHCP_VENDOR, "udhcp 1.36.1", true, "Embedded Linux", "embedded", "", 25, 45, NULL},
        {OSE_DHCP_VENDOR, "Cisco Systems, Inc. IP Phone CP-8841", true, "", "embedded", "phone", 30,
         50, NULL},
        {OSE_DHCP_VENDOR, "Hewlett-Packard JetDirect", true, "HP printer", "embedded", "printer",
         30, 50, NULL},
        {OSE_DHCP_VENDOR, "PXEClient:Arch:00000:UNDI:002001", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_DHCP_VENDOR, "", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_DHCP_VENDOR, "\xff\xfe\x80", false, NULL, NULL, NULL, 0, 0, NULL},
    };
    check_cases(c, ARRAY_SIZE(c));
}

static void test_ttl(void **state)
{
    (void)state;
    static const struct hint_case c[] = {
        {OSE_TTL, "128", true, "Windows", "windows", "", 5, 15, NULL},
        /* 64 is only "not Windows": a group, no family */
        {OSE_TTL, "64", true, "Unix-like", "", "", 5, 15, NULL},
        {OSE_TTL, "255", true, "", "embedded", "", 5, 15, NULL},
        {OSE_TTL, "32", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_TTL, "64x", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_TTL, "-64", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_TTL, "", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_TTL, "0000000000000000000000000128", false, NULL, NULL, NULL, 0, 0, NULL},
    };
    check_cases(c, ARRAY_SIZE(c));
}

static void test_tcp_syn(void **state)
{
    (void)state;
    static const struct hint_case c[] = {
        {OSE_TCP_SYN, "128:64240:1460:8:mss,nop,ws,nop,nop,sok", true, "Windows", "windows", "", 25,
         45, NULL},
        {OSE_TCP_SYN, "128:8192:1460:8:mss,nop,ws,nop,nop,sok", true, "Windows Vista/7/8",
         "windows", "", 25, 45, NULL},
        {OSE_TCP_SYN, "128:65535:1460:*:mss,nop,nop,sok", true, "Windows XP/2000", "windows", "",
         25, 45, "Windows XP/2000"},
        {OSE_TCP_SYN, "64:64240:1460:7:mss,sok,ts,nop,ws", true, "Linux-based", "", "", 20, 40,
         NULL},
        {OSE_TCP_SYN, "64:65535:1460:6:mss,nop,ws,nop,nop,ts,sok,eol,eol", true, "Apple", "", "",
         20, 40, NULL},
        {OSE_TCP_SYN, "64:65535:1460:6:mss,nop,ws,nop,nop,ts,sok,eol+1", true, "Apple", "", "", 20,
         40, NULL},
        {OSE_TCP_SYN, "64:65535:1460:6:mss,nop,ws,sok,ts", true, "FreeBSD", "bsd", "", 20, 40,
         NULL},
        /* unknown layout: the initial TTL alone, weaker than a TTL item */
        {OSE_TCP_SYN, "255:4128:536:*:mss", true, "", "embedded", "", 1, 9, NULL},
        {OSE_TCP_SYN, "128:64240:1460:8:mss,?30,nop", true, "Windows", "windows", "", 1, 9, NULL},
        /* a Windows layout with a Unix TTL is not Windows */
        {OSE_TCP_SYN, "64:64240:1460:8:mss,nop,ws,nop,nop,sok", true, "Unix-like", "", "", 1, 9,
         NULL},
        {OSE_TCP_SYN, "garbage", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_TCP_SYN, "128:", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_TCP_SYN, "128:1:2:3", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_TCP_SYN, "128:1:2:x:mss", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_TCP_SYN, "::::", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_TCP_SYN, "32:1:1:1:mss", false, NULL, NULL, NULL, 0, 0, NULL},
    };
    check_cases(c, ARRAY_SIZE(c));
}

static void test_http_ua(void **state)
{
    (void)state;
    static const struct hint_case c[] = {
        {OSE_HTTP_UA,
         "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/120.0.0.0 Safari/537.36",
         true, "Windows 10/11", "windows", "", 40, 60, NULL},
        {OSE_HTTP_UA, "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; SV1)", true, "Windows XP",
         "windows", "", 40, 60, "Windows XP"},
        {OSE_HTTP_UA, "Mozilla/4.0 (compatible; MSIE 5.01; Windows NT 5.0)", true, "Windows 2000",
         "windows", "", 40, 60, "Windows 2000"},
        {OSE_HTTP_UA, "Mozilla/5.0 (Windows NT 5.2; rv:10.0)", true, "Windows XP x64/Server 2003",
         "windows", "", 40, 60, "Windows XP x64/Server 2003"},
        {OSE_HTTP_UA, "Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.0; Trident/5.0)", true,
         "Windows Vista", "windows", "", 40, 60, "Windows Vista"},
        {OSE_HTTP_UA, "Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko", true,
         "Windows 7", "windows", "", 40, 60, "Windows 7"},
        {OSE_HTTP_UA, "Mozilla/5.0 (Windows NT 6.2; Win64; x64)", true, "Windows 8", "windows", "",
         40, 60, "Windows 8"},
        {OSE_HTTP_UA, "Mozilla/5.0 (Windows NT 6.3; Win64; x64)", true, "Windows 8.1", "windows",
         "", 40, 60, "Windows 8.1"},
        {OSE_HTTP_UA, "Mozilla/5.0 (Windows NT 7.9)", true, "Windows", "windows", "", 30, 50, NULL},
        {OSE_HTTP_UA,
         "Mozilla/5.0 (iPhone; CPU iPhone OS 16_5 like Mac OS X) AppleWebKit/605.1.15 "
         "(KHTML, like Gecko) Version/16.5 Mobile/15E148 Safari/604.1",
         true, "iOS 16", "ios", "phone", 40, 60, NULL},
        {OSE_HTTP_UA, "Mozilla/5.0 (iPad; CPU OS 15_0 like Mac OS X) AppleWebKit/605.1.15", true,
         "iOS 15", "ios", "phone", 40, 60, NULL},
        {OSE_HTTP_UA,
         "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/116.0.0.0 Mobile Safari/537.36",
         true, "Android 13", "android", "phone", 40, 60, NULL},
        {OSE_HTTP_UA, "Dalvik/2.1.0 (Linux; U; Android 11; SM-A105F Build/RP1A.200720.012)", true,
         "Android 11", "android", "phone", 40, 60, NULL},
        {OSE_HTTP_UA,
         "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/120.0.0.0 Safari/537.36",
         true, "Chrome OS", "linux", "pc", 40, 60, NULL},
        {OSE_HTTP_UA,
         "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
         "Gecko) Version/17.1 Safari/605.1.15",
         true, "macOS", "macos", "pc", 40, 60, NULL},
        {OSE_HTTP_UA, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_5) AppleWebKit/537.78.2", true,
         "macOS 10.9", "macos", "pc", 40, 60, "macOS 10.9"},
        {OSE_HTTP_UA,
         "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:109.0) Gecko/20100101 "
         "Firefox/115.0",
         true, "Linux", "linux", "", 30, 50, NULL},
        {OSE_HTTP_UA, "Windows-Update-Agent/10.0.10011.16384 Client-Protocol/2.0", true, "Windows",
         "windows", "", 30, 50, NULL},
        {OSE_HTTP_UA, "Microsoft-CryptoAPI/6.1", true, "Windows 7/Server 2008 R2", "windows", "",
         40, 60, "Windows 7"},
        {OSE_HTTP_UA, "Microsoft-CryptoAPI/10.0", true, "Windows 10/Server", "windows", "", 40, 60,
         NULL},
        {OSE_HTTP_UA, "Microsoft NCSI", true, "Windows", "windows", "", 30, 50, NULL},
        {OSE_HTTP_UA, "Mozilla/4.0 (compatible; MSIE 5.5; Windows 98; Win 9x 4.90)", true,
         "Windows 9x", "windows", "pc", 40, 60, "Windows 9x"},
        {OSE_HTTP_UA, "Mozilla/5.0 (PlayStation 5 3.20) AppleWebKit/605.1.15", true, "", "embedded",
         "tv", 30, 50, NULL},
        {OSE_HTTP_UA, "Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36", true, "",
         "embedded", "tv", 25, 45, NULL},
        {OSE_HTTP_UA, "com.apple.trustd/3.0 CFNetwork/1404.0.5 Darwin/22.5.0", true, "Apple", "",
         "", 20, 40, NULL},
        /* tools say nothing about the OS */
        {OSE_HTTP_UA, "curl/8.4.0", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_HTTP_UA, "Wget/1.21.3", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_HTTP_UA, "python-requests/2.31.0", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_HTTP_UA, "Go-http-client/1.1", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_HTTP_UA, "", false, NULL, NULL, NULL, 0, 0, NULL},
        /* non-UTF-8 bytes around a token do not hide it */
        {OSE_HTTP_UA, "\xff\xfe(Windows NT 6.1;\x80\xc3)", true, "Windows 7", "windows", "", 40, 60,
         "Windows 7"},
        /* "Androidx" is a word of its own, and the rest says nothing */
        {OSE_HTTP_UA, "MyApp Androidx/1.0", false, NULL, NULL, NULL, 0, 0, NULL},
    };
    check_cases(c, ARRAY_SIZE(c));
}

static void test_smb_and_ntlm(void **state)
{
    (void)state;
    static const struct hint_case c[] = {
        /* SMB1 is legacy whatever the OS: no OS claim, weight 0 */
        {OSE_SMB_DIALECT, "NT LM 0.12", true, "", "", "", 0, 0, "SMBv1"},
        {OSE_SMB_DIALECT, "LANMAN1.0", true, "", "", "", 0, 0, "SMBv1"},
        {OSE_SMB_DIALECT, "PC NETWORK PROGRAM 1.0", true, "", "", "", 0, 0, "SMBv1"},
        {OSE_SMB_DIALECT, "2.02", true, "Windows Vista/Server 2008", "windows", "", 1, 10, NULL},
        {OSE_SMB_DIALECT, "2.10", true, "Windows 7/Server 2008 R2", "windows", "", 1, 10, NULL},
        {OSE_SMB_DIALECT, "3.1.1", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_SMB_DIALECT, "x", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_NTLM_VERSION, "10.0 build 19041", true, "Windows 10/Server", "windows", "", 85, 100,
         NULL},
        {OSE_NTLM_VERSION, "10.0 build 20348", true, "Windows 10/Server", "windows", "", 85, 100,
         NULL},
        {OSE_NTLM_VERSION, "10.0 build 22621", true, "Windows 11", "windows", "", 85, 100, NULL},
        /* the boundary itself: 22000 is the first Windows 11 build */
        {OSE_NTLM_VERSION, "10.0 build 21999", true, "Windows 10/Server", "windows", "", 85, 100,
         NULL},
        {OSE_NTLM_VERSION, "10.0 build 22000", true, "Windows 11", "windows", "", 85, 100, NULL},
        {OSE_NTLM_VERSION, "10.0", true, "Windows 10/Server", "windows", "", 85, 100, NULL},
        {OSE_NTLM_VERSION, "6.1 build 7601", true, "Windows 7/Server 2008 R2", "windows", "", 85,
         100, "Windows 7"},
        {OSE_NTLM_VERSION, "6.3 build 9600", true, "Windows 8.1/Server 2012 R2", "windows", "", 85,
         100, "Windows 8.1"},
        {OSE_NTLM_VERSION, "5.1 build 2600", true, "Windows XP", "windows", "", 85, 100,
         "Windows XP"},
        {OSE_NTLM_VERSION, "5.2 build 3790", true, "Windows XP x64/Server 2003", "windows", "", 85,
         100, "Windows XP x64/Server 2003"},
        {OSE_NTLM_VERSION, "99.1 build 1", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_NTLM_VERSION, "6.", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_NTLM_VERSION, "abc", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_SMB_NATIVE_OS, "Windows 5.1", true, "Windows XP", "windows", "", 60, 80, "Windows XP"},
        {OSE_SMB_NATIVE_OS, "Windows 2000 2195 / Windows 2000 5.0", true, "Windows 2000", "windows",
         "", 60, 80, "Windows 2000"},
        {OSE_SMB_NATIVE_OS, "Windows Server 2003 3790 Service Pack 2", true, "Windows Server 2003",
         "windows", "server", 60, 80, "Windows Server 2003"},
        {OSE_SMB_NATIVE_OS, "Windows Server 2008 R2 Standard 7601 Service Pack 1", true,
         "Windows Server 2008 R2", "windows", "server", 60, 80, "Windows Server 2008 R2"},
        {OSE_SMB_NATIVE_OS,
         "Windows 7 Professional 7601 Service Pack 1 / Windows 7 "
         "Professional 6.1",
         true, "Windows 7", "windows", "pc", 60, 80, "Windows 7"},
        {OSE_SMB_NATIVE_OS, "Windows Server 2016 Standard 14393", true, "Windows Server 2016",
         "windows", "server", 60, 80, NULL},
        {OSE_SMB_NATIVE_OS, "Windows 10 Pro 19045", true, "Windows 10", "windows", "pc", 60, 80,
         NULL},
        /* "7601" must not read as "Windows 7" */
        {OSE_SMB_NATIVE_OS, "Windows 7601", true, "Windows", "windows", "", 50, 70, NULL},
        {OSE_SMB_NATIVE_OS, "Unix / Samba 3.0.28a", true, "Unix-like", "", "", 30, 50,
         "Samba 3 or older"},
        {OSE_SMB_NATIVE_OS, "Unix / Samba 4.15.13-Ubuntu", true, "Unix-like", "", "", 30, 50, NULL},
        {OSE_SMB_NATIVE_OS, "OS/2", false, NULL, NULL, NULL, 0, 0, NULL},
    };
    check_cases(c, ARRAY_SIZE(c));
}

static void test_ssh_tls(void **state)
{
    (void)state;
    static const struct hint_case c[] = {
        {OSE_SSH_BANNER, "2.0-OpenSSH_9.2p1 Debian-2+deb12u1", true, "Linux", "linux", "", 30, 50,
         NULL},
        {OSE_SSH_BANNER, "2.0-OpenSSH_8.2p1 Ubuntu-4ubuntu0.5", true, "Linux", "linux", "", 30, 50,
         NULL},
        {OSE_SSH_BANNER, "2.0-OpenSSH_9.3 FreeBSD-20230719", true, "FreeBSD", "bsd", "", 30, 50,
         NULL},
        {OSE_SSH_BANNER, "2.0-OpenSSH_9.6", true, "Unix-like", "", "", 10, 20, NULL},
        /* 7.4 is the first version not flagged; 7.3 the last one flagged */
        {OSE_SSH_BANNER, "2.0-OpenSSH_7.4", true, "Unix-like", "", "", 10, 20, NULL},
        {OSE_SSH_BANNER, "2.0-OpenSSH_7.3p1", true, "Unix-like", "", "", 10, 20, "OpenSSH 7.3"},
        {OSE_SSH_BANNER, "2.0-OpenSSH_5.3", true, "Unix-like", "", "", 10, 20, "OpenSSH 5.3"},
        {OSE_SSH_BANNER, "2.0-OpenSSH_6.7p1 Debian-5+deb8u4", true, "Linux", "linux", "", 30, 50,
         "OpenSSH 6.7"},
        /* protocol 1 wins over the old-OpenSSH note */
        {OSE_SSH_BANNER, "1.5-OpenSSH_6.6", true, "Unix-like", "", "", 10, 20, "SSH protocol 1"},
        {OSE_SSH_BANNER, "1.99-OpenSSH_3.9p1", true, "Unix-like", "", "", 10, 20, "SSH protocol 1"},
        {OSE_SSH_BANNER, "1.5-", true, "", "", "", 0, 0, "SSH protocol 1"},
        {OSE_SSH_BANNER, "2.0-OpenSSH_for_Windows_8.1", true, "Windows", "windows", "", 35, 55,
         NULL},
        {OSE_SSH_BANNER, "2.0-dropbear_2019.78", true, "Embedded Linux", "embedded", "router", 20,
         40, NULL},
        {OSE_SSH_BANNER, "2.0-Cisco-1.25", true, "Cisco IOS", "embedded", "router", 40, 60, NULL},
        {OSE_SSH_BANNER, "2.0-ROSSSH", true, "RouterOS", "embedded", "router", 40, 60, NULL},
        {OSE_SSH_BANNER, "2.0-libssh_0.9.6", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_SSH_BANNER, "no dash here", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_SSH_BANNER, "-", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_TLS_VERSION, "SSLv2", true, "", "", "", 0, 0, "SSLv2"},
        {OSE_TLS_VERSION, "SSLv3", true, "", "", "", 0, 0, "SSLv3"},
        {OSE_TLS_VERSION, "TLS 1.0", true, "", "", "", 0, 0, "TLS 1.0"},
        {OSE_TLS_VERSION, "TLSv1", true, "", "", "", 0, 0, "TLS 1.0"},
        {OSE_TLS_VERSION, "TLS 1.1", true, "", "", "", 0, 0, "TLS 1.1"},
        {OSE_TLS_VERSION, "TLS 1.2", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_TLS_VERSION, "TLS 1.3", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_TLS_VERSION, "TLS 1.10", false, NULL, NULL, NULL, 0, 0, NULL},
    };
    check_cases(c, ARRAY_SIZE(c));
}

static void test_mdns_vendor(void **state)
{
    (void)state;
    static const struct hint_case c[] = {
        {OSE_MDNS, "_ipp._tcp", true, "", "", "printer", 20, 30, NULL},
        {OSE_MDNS, "Brother MFC-L2750DW series._ipp._tcp", true, "", "", "printer", 20, 30, NULL},
        {OSE_MDNS, "_pdl-datastream._tcp", true, "", "", "printer", 20, 30, NULL},
        {OSE_MDNS, "_ipp._tcpx", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_MDNS, "x_ipp._tcp", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_MDNS, "_airplay._tcp", true, "Apple", "", "", 5, 15, NULL},
        {OSE_MDNS, "_raop._tcp", true, "Apple", "", "", 5, 15, NULL},
        {OSE_MDNS, "_googlecast._tcp", true, "", "", "tv", 20, 30, NULL},
        {OSE_MDNS, "_smb._tcp", true, "", "", "nas", 1, 10, NULL},
        {OSE_MDNS, "model=MacBookPro18,1", true, "macOS", "macos", "pc", 50, 70, NULL},
        {OSE_MDNS, "model=Mac14,2", true, "macOS", "macos", "pc", 50, 70, NULL},
        {OSE_MDNS, "model=iPhone14,2", true, "iOS", "ios", "phone", 50, 70, NULL},
        {OSE_MDNS, "model=iPad13,1", true, "iPadOS", "ios", "phone", 50, 70, NULL},
        {OSE_MDNS, "model=MacSamba", true, "Unix-like", "", "nas", 10, 20, NULL},
        {OSE_MDNS, "md=MFC-L2750DW", true, "", "", "printer", 30, 40, NULL},
        {OSE_MDNS, "md=", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_MDNS, "model=Foo", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_MDNS, "_ssh._tcp", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_VENDOR, "Brother industries, LTD.", true, "", "", "printer", 20, 30, NULL},
        {OSE_VENDOR, "Seiko Epson Corporation", true, "", "", "printer", 20, 30, NULL},
        {OSE_VENDOR, "Apple, Inc.", true, "Apple", "", "", 5, 15, NULL},
        {OSE_VENDOR, "YAMAHA CORPORATION", true, "", "", "router", 10, 20, NULL},
        {OSE_VENDOR, "NEC Platforms, Ltd.", true, "", "", "router", 10, 20, NULL},
        {OSE_VENDOR, "Routerboard.com", true, "", "", "router", 20, 30, NULL},
        {OSE_VENDOR, "Synology Incorporated", true, "", "", "nas", 25, 35, NULL},
        {OSE_VENDOR, "Hangzhou Hikvision Digital Technology Co.,Ltd.", true, "", "", "camera", 25,
         35, NULL},
        {OSE_VENDOR, "VMware, Inc.", true, "", "", "server", 5, 15, NULL},
        {OSE_VENDOR, "Raspberry Pi Trading Ltd", true, "", "linux", "iot", 10, 20, NULL},
        {OSE_VENDOR, "Hewlett Packard", true, "", "", "printer", 1, 5, NULL},
        {OSE_VENDOR, "Hewlett Packard Enterprise", true, "", "", "server", 5, 15, NULL},
        /* whole words only: no "HP Inc" inside "PHP Inc", no "Dell" in "Wendell" */
        {OSE_VENDOR, "PHP Inc", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_VENDOR, "Wendell Tools", false, NULL, NULL, NULL, 0, 0, NULL},
        {OSE_VENDOR, "Unknown Maker Co.", false, NULL, NULL, NULL, 0, 0, NULL},
    };
    check_cases(c, ARRAY_SIZE(c));
}

/* What every answer must look like whatever the input. */
static void check_sane(enum os_ev_kind kind, const char *value)
{
    struct os_hint h;
    memset(&h, 0xa5, sizeof(h)); /* must be zeroed first */
    bool said = osguess_hint(kind, value, &h);
    assert_true(memchr(h.os, '\0', sizeof(h.os)) != NULL);
    assert_true(memchr(h.family, '\0', sizeof(h.family)) != NULL);
    assert_true(memchr(h.type, '\0', sizeof(h.type)) != NULL);
    assert_true(memchr(h.legacy_what, '\0', sizeof(h.legacy_what)) != NULL);
    assert_true(h.weight <= 100);
    assert_int_equal(said, h.weight > 0 || h.legacy);
}

/* Huge, binary, separator-only and random values for every kind: no
 * crash, no hang, always a sane answer (ASan/UBSan watch the rest). */
static void test_odd_input(void **state)
{
    (void)state;
    size_t big = 100000;
    char *huge = malloc(big + 1);
    assert_non_null(huge);
    static const char *const odd[] = {
        "",
        " ",
        ",",
        ",,,,",
        ":",
        "::::",
        "-",
        "=",
        "/",
        "1.",
        ".1",
        "\t\n",
        "model=",
        "Windows ",
        "Windows NT ",
        "Mac OS X 10",
        "Mac OS X 10_",
        "android-dhcp-",
        "Microsoft-CryptoAPI/",
        "OpenSSH_",
        "2.0-OpenSSH_",
        "2.0-OpenSSH_7.",
        "Samba ",
        "Unix / Samba",
        "\xc3\x28",
        "\xed\xa0\x80",
        "\xf4\x90\x80\x80",
        "\x80\x81\xfe\xff",
    };
    uint32_t seed = 12345;
    for (int k = -1; k <= OSE_MAX; k++) {
        enum os_ev_kind kind = (enum os_ev_kind)k;
        for (size_t i = 0; i < ARRAY_SIZE(odd); i++)
            check_sane(kind, odd[i]);
        check_sane(kind, NULL);
        /* a huge value of one letter, of digits, and of a real value repeated */
        memset(huge, 'A', big);
        huge[big] = '\0';
        check_sane(kind, huge);
        for (size_t i = 0; i < big; i++)
            huge[i] = (i % 2) ? ',' : '1';
        check_sane(kind, huge);
        for (size_t i = 0; i < big; i++)
            huge[i] = "Windows NT 6.1; "[i % 16];
        check_sane(kind, huge);
        /* random bytes 1..255, fixed seed so a failure reproduces */
        char rnd[200];
        for (int round = 0; round < 500; round++) {
            size_t len = (size_t)(round % 199);
            for (size_t i = 0; i < len; i++) {
                seed = seed * 1103515245u + 12345u;
                rnd[i] = (char)(1 + (seed >> 16) % 255);
            }
            rnd[len] = '\0';
            check_sane(kind, rnd);
        }
    }
    free(huge);
    struct os_hint h;
    assert_false(osguess_hint(OSE_TTL, "64", NULL));
    assert_false(osguess_hint(OSE_MAX, "64", &h));
    assert_false(osguess_hint((enum os_ev_kind) - 1, "64", &h));
}

/* The legacy alert is keyed by legacy_what: one Windows 7 PC seen three
 * ways must name its OS the same way three times. */
static void test_legacy_label_consistent(void **state)
{
    (void)state;
    static const struct {
        enum os_ev_kind kind;
        const char *value;
    } win7[] = {
        {OSE_NTLM_VERSION, "6.1 build 7601"},
        {OSE_HTTP_UA, "Mozilla/5.0 (Windows NT 6.1; Win64; x64)"},
        {OSE_HTTP_UA, "Microsoft-CryptoAPI/6.1"},
        {OSE_SMB_NATIVE_OS, "Windows 7 Ultimate 7601 Service Pack 1"},
        {OSE_SMB_NATIVE_OS, "Windows 6.1"},
    };
    for (size_t i = 0; i < ARRAY_SIZE(win7); i++) {
        struct os_hint h;
        assert_true(osguess_hint(win7[i].kind, win7[i].value, &h));
        assert_true(h.legacy);
        assert_string_equal(h.legacy_what, "Windows 7");
    }
}

/* --- osguess_combine ------------------------------------------------- */

struct ev {
    enum os_ev_kind kind;
    const char *value;
};

static void guess_from(const struct ev *e, unsigned n, struct os_guess *g)
{
    struct os_hint hints[32];
    enum os_ev_kind kinds[32];
    assert_true(n <= 32);
    for (unsigned i = 0; i < n; i++) {
        osguess_hint(e[i].kind, e[i].value, &hints[i]);
        kinds[i] = e[i].kind;
    }
    osguess_combine(hints, kinds, n, g);
}

static void test_combine_windows10_pc(void **state)
{
    (void)state;
    static const struct ev e[] = {
        {OSE_DHCP_FP, W10},
        {OSE_TTL, "128"},
        {OSE_HTTP_UA, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"},
        {OSE_DHCP_VENDOR, "MSFT 5.0"},
    };
    struct os_guess g;
    guess_from(e, ARRAY_SIZE(e), &g);
    assert_string_equal(g.os, "Windows 10/11");
    assert_string_equal(g.family, "windows");
    assert_string_equal(g.type, "pc"); /* implied by the OS */
    assert_in_range(g.confidence, 80, 95);
    assert_string_equal(g.basis, "dhcp_fp,http_ua,dhcp_vendor,ttl");
}

static void test_combine_windows_xp_legacy(void **state)
{
    (void)state;
    static const struct ev e[] = {
        {OSE_HTTP_UA, "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; SV1)"},
        {OSE_SMB_DIALECT, "NT LM 0.12"},
    };
    struct os_hint hints[2];
    enum os_ev_kind kinds[2] = {e[0].kind, e[1].kind};
    assert_true(osguess_hint(e[0].kind, e[0].value, &hints[0]));
    assert_true(osguess_hint(e[1].kind, e[1].value, &hints[1]));
    assert_true(hints[0].legacy);
    assert_string_equal(hints[0].legacy_what, "Windows XP");
    assert_true(hints[1].legacy);
    assert_string_equal(hints[1].legacy_what, "SMBv1");
    struct os_guess g;
    osguess_combine(hints, kinds, 2, &g);
    assert_string_equal(g.os, "Windows XP");
    assert_string_equal(g.family, "windows");
    assert_string_equal(g.type, "pc");
    /* the SMB1 dialect says nothing about the OS: not in the basis */
    assert_string_equal(g.basis, "http_ua");
    assert_in_range(g.confidence, 40, 60);
}

/* The OS naming itself (NTLM) decides the version; the other hints agree
 * on the same kernel, and the most specific of the agreeing names wins. */
static void test_combine_windows7_specific_name(void **state)
{
    (void)state;
    static const struct ev e[] = {
        {OSE_NTLM_VERSION, "6.1 build 7601"},
        {OSE_HTTP_UA, "Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko"},
        {OSE_DHCP_FP, "1,15,3,6,44,46,47,31,33,121,249,43,252"},
        {OSE_TTL, "128"},
    };
    struct os_guess g;
    guess_from(e, ARRAY_SIZE(e), &g);
    assert_string_equal(g.os, "Windows 7");
    assert_string_equal(g.family, "windows");
    assert_in_range(g.confidence, 90, 95);
    assert_string_equal(g.basis, "ntlm_version,dhcp_fp,http_ua,ttl");
}

static void test_combine_windows_server(void **state)
{
    (void)state;
    static const struct ev e[] = {
        {OSE_SMB_NATIVE_OS, "Windows Server 2008 R2 Standard 7601 Service Pack 1"},
        {OSE_NTLM_VERSION, "6.1 build 7601"},
        {OSE_TTL, "128"},
        {OSE_VENDOR, "Dell Inc."},
    };
    struct os_guess g;
    guess_from(e, ARRAY_SIZE(e), &g);
    assert_string_equal(g.os, "Windows Server 2008 R2");
    assert_string_equal(g.type, "server");
}

static void test_combine_iphone_random_mac(void **state)
{
    (void)state;
    /* a private MAC: no vendor evidence at all */
    static const struct ev e[] = {
        {OSE_DHCP_FP, "1,121,3,6,15,108,114,119,252"},
        {OSE_MDNS, "model=iPhone14,2"},
        {OSE_TTL, "64"},
        {OSE_TCP_SYN, "64:65535:1460:6:mss,nop,ws,nop,nop,ts,sok,eol,eol"},
    };
    struct os_guess g;
    guess_from(e, ARRAY_SIZE(e), &g);
    assert_string_equal(g.os, "iOS");
    assert_string_equal(g.family, "ios");
    assert_string_equal(g.type, "phone");
    assert_in_range(g.confidence, 80, 95);
    assert_string_equal(g.basis, "mdns,dhcp_fp,tcp_syn,ttl");
}

static void test_combine_brother_printer(void **state)
{
    (void)state;
    static const struct ev e[] = {
        {OSE_VENDOR, "Brother industries, LTD."},
        {OSE_MDNS, "_ipp._tcp"},
        {OSE_MDNS, "md=MFC-L2750DW"},
        {OSE_TTL, "255"},
    };
    struct os_guess g;
    guess_from(e, ARRAY_SIZE(e), &g);
    assert_string_equal(g.type, "printer");
    assert_string_equal(g.family, "embedded");
    assert_string_equal(g.os, "Embedded");
    assert_string_equal(g.basis, "mdns,vendor,ttl");
}

static void test_combine_type_only(void **state)
{
    (void)state;
    /* no OS evidence at all: the type still comes through */
    static const struct ev e[] = {
        {OSE_VENDOR, "Hangzhou Hikvision Digital Technology Co.,Ltd."},
        {OSE_MDNS, "_rtsp._tcp"},
    };
    struct os_guess g;
    guess_from(e, ARRAY_SIZE(e), &g);
    assert_string_equal(g.os, "");
    assert_string_equal(g.family, "");
    assert_string_equal(g.type, "camera");
    assert_in_range(g.confidence, 30, 40);
    assert_string_equal(g.basis, "vendor,mdns");
}

static void test_combine_group_only(void **state)
{
    (void)state;
    /* TTL 64 alone: "not Windows", nothing more specific */
    static const struct ev e[] = {{OSE_TTL, "64"}};
    struct os_guess g;
    guess_from(e, 1, &g);
    assert_string_equal(g.os, "Unix-like");
    assert_string_equal(g.family, "");
    assert_string_equal(g.type, "");
    assert_in_range(g.confidence, 5, 15);
    assert_string_equal(g.basis, "ttl");

    /* A Synology: its SMB dialect leans Windows a little, but TTL 64 and
     * the vendor outweigh it; the os stays the group's. */
    static const struct ev nas[] = {
        {OSE_VENDOR, "Synology Incorporated"},
        {OSE_TTL, "64"},
        {OSE_SMB_DIALECT, "2.10"},
        {OSE_SSH_BANNER, "2.0-OpenSSH_8.2"},
    };
    guess_from(nas, ARRAY_SIZE(nas), &g);
    assert_string_equal(g.os, "Unix-like");
    assert_string_equal(g.family, "");
    assert_string_equal(g.type, "nas");
}

static void test_combine_conflict_lowers_confidence(void **state)
{
    (void)state;
    static const struct ev clean[] = {
        {OSE_DHCP_FP, W10},
        {OSE_TTL, "128"},
        {OSE_HTTP_UA, "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"},
    };
    static const struct ev mixed[] = {
        {OSE_DHCP_FP, W10},
        {OSE_TTL, "128"},
        {OSE_HTTP_UA, "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"},
        {OSE_MDNS, "model=MacBookPro18,1"},
        {OSE_TCP_SYN, "64:65535:1460:6:mss,nop,ws,nop,nop,ts,sok,eol,eol"},
    };
    struct os_guess a, b;
    guess_from(clean, ARRAY_SIZE(clean), &a);
    guess_from(mixed, ARRAY_SIZE(mixed), &b);
    assert_string_equal(a.family, "windows");
    assert_string_equal(b.family, "windows");
    assert_true(b.confidence + 30 < a.confidence);
    /* macOS evidence is not in Windows' basis */
    assert_null(strstr(b.basis, "mdns"));
    assert_null(strstr(b.basis, "tcp_syn"));

    /* Version conflict inside the family: the name with more support wins,
     * with less confidence than when everything agrees. */
    static const struct ev ver[] = {
        {OSE_DHCP_FP, W10},
        {OSE_NTLM_VERSION, "10.0 build 19045"},
        {OSE_HTTP_UA, "Mozilla/5.0 (Windows NT 6.1; WOW64)"},
    };
    static const struct ev ver_ok[] = {
        {OSE_DHCP_FP, W10},
        {OSE_NTLM_VERSION, "10.0 build 19045"},
        {OSE_HTTP_UA, "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"},
    };
    guess_from(ver, ARRAY_SIZE(ver), &a);
    guess_from(ver_ok, ARRAY_SIZE(ver_ok), &b);
    assert_string_equal(a.os, "Windows 10/Server");
    assert_true(a.confidence < b.confidence);
}

/* Equal scores for two families: the first in the documented order
 * (windows, macos, ios, android, linux, bsd, embedded) wins, whatever the
 * input order. */
static void test_combine_tie_rule(void **state)
{
    (void)state;
    struct os_hint h[2];
    memset(h, 0, sizeof(h));
    snprintf(h[0].os, sizeof(h[0].os), "Linux");
    snprintf(h[0].family, sizeof(h[0].family), "linux");
    h[0].weight = 40;
    snprintf(h[1].os, sizeof(h[1].os), "Windows");
    snprintf(h[1].family, sizeof(h[1].family), "windows");
    h[1].weight = 40;
    enum os_ev_kind k[2] = {OSE_HTTP_UA, OSE_DHCP_FP};
    struct os_guess a, b;
    osguess_combine(h, k, 2, &a);
    struct os_hint hr[2] = {h[1], h[0]};
    enum os_ev_kind kr[2] = {k[1], k[0]};
    osguess_combine(hr, kr, 2, &b);
    assert_string_equal(a.family, "windows");
    assert_memory_equal(&a, &b, sizeof(a));
    /* 40% for, 40% against */
    assert_int_equal(a.confidence, 24);
}

static void test_combine_order_independent(void **state)
{
    (void)state;
    static const struct ev e[] = {
        {OSE_DHCP_FP, W10},
        {OSE_TTL, "128"},
        {OSE_TTL, "64"},
        {OSE_HTTP_UA, "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"},
        {OSE_HTTP_UA, "Mozilla/5.0 (Windows NT 6.1; WOW64)"},
        {OSE_NTLM_VERSION, "10.0 build 22631"},
        {OSE_VENDOR, "Dell Inc."},
        {OSE_MDNS, "_smb._tcp"},
        {OSE_SMB_DIALECT, "NT LM 0.12"},
        {OSE_TCP_SYN, "128:64240:1460:8:mss,nop,ws,nop,nop,sok"},
        {OSE_SSH_BANNER, "2.0-OpenSSH_for_Windows_8.1"},
        {OSE_MDNS, "model=MacBookPro18,1"},
    };
    enum { N = ARRAY_SIZE(e) };
    struct os_hint hints[N], ph[N];
    enum os_ev_kind kinds[N], pk[N];
    for (unsigned i = 0; i < N; i++) {
        osguess_hint(e[i].kind, e[i].value, &hints[i]);
        kinds[i] = e[i].kind;
    }
    struct os_guess ref, g;
    osguess_combine(hints, kinds, N, &ref);
    assert_string_equal(ref.family, "windows");
    assert_string_equal(ref.os, "Windows 11");
    unsigned perm[N];
    uint32_t seed = 7;
    for (int round = 0; round < 200; round++) {
        for (unsigned i = 0; i < N; i++)
            perm[i] = i;
        if (round == 1) {
            for (unsigned i = 0; i < N; i++)
                perm[i] = N - 1 - i;
        } else if (round > 1) {
            for (unsigned i = N - 1; i > 0; i--) { /* Fisher-Yates, fixed seed */
                seed = seed * 1103515245u + 12345u;
                unsigned j = (seed >> 16) % (i + 1);
                unsigned t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
        }
        for (unsigned i = 0; i < N; i++) {
            ph[i] = hints[perm[i]];
            pk[i] = kinds[perm[i]];
        }
        osguess_combine(ph, pk, N, &g);
        assert_memory_equal(&g, &ref, sizeof(g));
    }
}

static void test_combine_edges(void **state)
{
    (void)state;
    struct os_guess g;
    static const struct os_guess zero;
    memset(&g, 0x5a, sizeof(g));
    osguess_combine(NULL, NULL, 0, &g);
    assert_memory_equal(&g, &zero, sizeof(g));
    osguess_combine(NULL, NULL, 0, NULL);

    /* legacy-only evidence: the guess stays empty */
    static const struct ev e[] = {{OSE_TLS_VERSION, "TLS 1.0"}, {OSE_SMB_DIALECT, "NT LM 0.12"}};
    guess_from(e, 2, &g);
    assert_memory_equal(&g, &zero, sizeof(g));

    /* kinds out of range are ignored, not indexed */
    struct os_hint h[2];
    osguess_hint(OSE_NTLM_VERSION, "10.0 build 19045", &h[0]);
    osguess_hint(OSE_TTL, "64", &h[1]);
    enum os_ev_kind k[2] = {(enum os_ev_kind)99, OSE_TTL};
    osguess_combine(h, k, 2, &g);
    assert_string_equal(g.os, "Unix-like");

    /* strings without their NUL are skipped, not read past */
    struct os_hint bad[2];
    memset(bad, 'x', sizeof(bad));
    bad[0].weight = bad[1].weight = 50;
    bad[1].legacy = false;
    enum os_ev_kind bk[2] = {OSE_HTTP_UA, OSE_DHCP_FP};
    osguess_combine(bad, bk, 2, &g);
    assert_memory_equal(&g, &zero, sizeof(g));

    /* a weight above 100 from a corrupt store counts as 100 */
    h[0].weight = 250;
    k[0] = OSE_NTLM_VERSION;
    osguess_combine(h, k, 1, &g);
    assert_string_equal(g.family, "windows");
    assert_true(g.confidence <= 95);

    /* every kind at once: the basis is cut at a whole name and never
     * overflows (the names add up to more than 96 bytes) */
    struct os_hint all[OSE_MAX];
    enum os_ev_kind ak[OSE_MAX];
    for (int i = 0; i < OSE_MAX; i++) {
        memset(&all[i], 0, sizeof(all[i]));
        snprintf(all[i].os, sizeof(all[i].os), "Windows");
        snprintf(all[i].family, sizeof(all[i].family), "windows");
        all[i].weight = (uint8_t)(10 + i);
        ak[i] = (enum os_ev_kind)i;
    }
    osguess_combine(all, ak, OSE_MAX, &g);
    size_t len = strlen(g.basis);
    assert_true(len > 0 && len < sizeof(g.basis));
    assert_true(g.basis[len - 1] != ',');
    assert_true(strncmp(g.basis, "vendor,mdns,tls_version", 23) == 0);
    assert_in_range(g.confidence, 80, 95);
}

static void test_kind_names(void **state)
{
    (void)state;
    static const char *const names[OSE_MAX] = {
        "dhcp_fp",      "dhcp_vendor",   "ttl",        "tcp_syn",     "http_ua", "smb_dialect",
        "ntlm_version", "smb_native_os", "ssh_banner", "tls_version", "mdns",    "vendor",
    };
    for (int k = 0; k < OSE_MAX; k++) {
        assert_string_equal(osguess_kind_name((enum os_ev_kind)k), names[k]);
        assert_int_equal(osguess_kind_parse(names[k]), k);
    }
    assert_int_equal(osguess_kind_parse("nope"), -1);
    assert_int_equal(osguess_kind_parse(""), -1);
    assert_int_equal(osguess_kind_parse("TTL"), -1);
    assert_int_equal(osguess_kind_parse(NULL), -1);
    assert_string_equal(osguess_kind_name(OSE_MAX), "unknown");
    assert_string_equal(osguess_kind_name((enum os_ev_kind) - 1), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dhcp_fp),
        cmocka_unit_test(test_dhcp_vendor),
        cmocka_unit_test(test_ttl),
        cmocka_unit_test(test_tcp_syn),
        cmocka_unit_test(test_http_ua),
        cmocka_unit_test(test_smb_and_ntlm),
        cmocka_unit_test(test_ssh_tls),
        cmocka_unit_test(test_mdns_vendor),
        cmocka_unit_test(test_odd_input),
        cmocka_unit_test(test_legacy_label_consistent),
        cmocka_unit_test(test_combine_windows10_pc),
        cmocka_unit_test(test_combine_windows_xp_legacy),
        cmocka_unit_test(test_combine_windows7_specific_name),
        cmocka_unit_test(test_combine_windows_server),
        cmocka_unit_test(test_combine_iphone_random_mac),
        cmocka_unit_test(test_combine_brother_printer),
        cmocka_unit_test(test_combine_type_only),
        cmocka_unit_test(test_combine_group_only),
        cmocka_unit_test(test_combine_conflict_lowers_confidence),
        cmocka_unit_test(test_combine_tie_rule),
        cmocka_unit_test(test_combine_order_independent),
        cmocka_unit_test(test_combine_edges),
        cmocka_unit_test(test_kind_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
