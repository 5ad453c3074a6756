/* dnsname.h - what the dns.* detectors ask about a DNS name: its registrable
 * domain (example.co.jp from a.b.example.co.jp, Public Suffix List ICANN
 * section through libpsl), whether it is a local or service name that says
 * nothing about the Internet, whether a subdomain carries encoded data, and
 * whether a domain label looks machine-generated (letter-pair likelihood
 * against a small English and romaji table, digits mixed in, consonant runs).
 *
 * Names are as the DNS parser renders them: labels joined by '.', bytes
 * outside printable ASCII as \DDD escapes. Every function reads at most
 * DNSNAME_MAX bytes.
 */
#ifndef MAMORI_DNSNAME_H
#define MAMORI_DNSNAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "app/app.h"

/* A rendered name may be up to 4 times the 255 wire bytes (\DDD escapes). */
#define DNSNAME_MAX 1024

/* Lower-cases name into out without the trailing dot. Returns its length,
 * 0 for an empty or too long name. */
size_t dnsname_norm(const char *name, char *out, size_t outlen);

/* The registrable domain of a normalised name: a pointer to where it starts
 * inside name (the longest ICANN public suffix and one more label; private
 * rules such as cloudfront.net are not suffixes here, so CDN customer names
 * group under the CDN). NULL when there is none: a single label, a public
 * suffix itself, or a name under a TLD the list does not know ("pirate.sea",
 * "dnscat.6b03f5...": only a server answering for it directly, a tunnel's,
 * or a local one, resolves such a name). */
const char *dnsname_registrable(const char *name);

/* Names that say nothing about the Internet: single labels (Windows and
 * browser probes), local suffixes (.local, .lan, .home.arpa, .corp,
 * .internal...), reverse lookups (.arpa), and service names with a label
 * starting with '_' (SRV, DKIM, DMARC, ACME). */
bool dnsname_is_local(const char *name);

/* Whether the registrable domain rd (normalised) is on the built-in list of
 * services that put hashes or addresses in labels by design: DNS block lists
 * (Spamhaus, SpamCop, SORBS, SURBL, URIBL, rbl.jp...), antivirus and
 * reputation clouds (Sophos, McAfee, ESET, Trend Micro, Team Cymru) and
 * Microsoft's network measurement (footprintdns.com). */
bool dnsname_is_hash_service(const char *rd);

/* Shannon entropy in bits per character of s[0..n), dots excluded. */
double dnsname_entropy(const char *s, size_t n);

/* What a subdomain (the labels left of the registrable domain) looks like. */
struct dnsname_sub {
    uint32_t len;       /* characters without the dots */
    uint32_t labels;
    uint32_t max_label; /* longest label */
    bool encoded;       /* a long label of hex, base32/base64 or binary data */
};
void dnsname_subdomain(const char *sub, size_t n, struct dnsname_sub *out);

/* Average cost in tenths of a half-bit (20 * -log2 P) of the letter pairs of
 * s[0..n) under the built-in English + romaji table; *pairs gets how many
 * pairs were scored (letters only, runs split at digits and hyphens). Words
 * cost about 60-90, random letters about 120. */
unsigned dnsname_bigram_cost(const char *s, size_t n, unsigned *pairs);

enum dnsname_random {
    DNSNAME_WORDLIKE = 0,
    DNSNAME_RANDOM_LETTERS, /* unlikely letter pairs or a long consonant run */
    DNSNAME_RANDOM_MIXED,   /* letters and digits interleaved */
    DNSNAME_RANDOM_HEX,     /* hex digits, both digits and letters (a hash) */
};
/* Whether one label (the registrable label: "db54a845" of db54a845.top)
 * looks generated. Labels shorter than 8 characters are never judged. */
enum dnsname_random dnsname_label_random(const char *label, size_t n);

/* Whether the TLD of name is one cheap TLDs where most generated malware
 * domains are registered (.top, .xyz, .icu, .tk...). */
bool dnsname_abused_tld(const char *name);

/* One "dns" event of plain DNS (not mDNS, LLMNR or NBNS), as the detectors
 * read it. Pointers are borrowed from the event. */
struct dnsname_ev {
    bool answer;             /* a response; else a query */
    const char *rrname;      /* the question name */
    const char *rrtype;      /* the question type ("A", "TXT", "NULL", "65280") */
    const char *rcode;       /* answers: "NOERROR", "NXDOMAIN", ... */
    const json_t *answers;   /* answers: the "answers" array, or NULL */
    struct ip_addr client, server;
};
/* Fills out from ev; false when ev is not a plain DNS query or answer with a
 * question name. The client is the side not on port 53 (else the sender of a
 * query / the receiver of an answer). */
bool dnsname_event(const struct app_event *ev, struct dnsname_ev *out);

#endif
