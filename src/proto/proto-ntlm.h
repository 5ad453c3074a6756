/* proto-ntlm.h - NTLMSSP message reader (MS-NLMP 2.2.1), shared by SMB and
 * HTTP/WinRM authentication.
 *
 * Reads the names an NTLM exchange shows in clear: the client's domain, user
 * and workstation from AUTHENTICATE, the server's NetBIOS/DNS names from the
 * CHALLENGE's AV_PAIRs, the Windows version both may carry. Never the
 * challenge-responses themselves (they are password-equivalent): only
 * whether the NT response has the NTLMv1 (24 bytes) or NTLMv2 shape. */
#ifndef MAMORI_PROTO_NTLM_H
#define MAMORI_PROTO_NTLM_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "util/limits.h"

enum ntlm_type {
    NTLM_NEGOTIATE = 1,
    NTLM_CHALLENGE = 2,
    NTLM_AUTHENTICATE = 3,
};

/* A name as UTF-8 (converted from UTF-16LE when the message negotiated
 * Unicode, else the OEM bytes as they were). Up to NTLM_MAX_NAME characters,
 * each at most 3 bytes of UTF-8. */
struct ntlm_name {
    bool present;
    uint16_t len;
    char s[NTLM_MAX_NAME * 3 + 1];
};

struct ntlm_msg {
    enum ntlm_type type;
    uint32_t flags;       /* NegotiateFlags */
    bool has_version;     /* the 8-byte VERSION field was there */
    uint8_t ver_major, ver_minor;
    uint16_t ver_build;
    /* NEGOTIATE / AUTHENTICATE */
    struct ntlm_name domain, user, host;
    /* AUTHENTICATE: 0 anonymous (empty NT response), 1 NTLMv1, 2 NTLMv2. */
    int auth_version;
    /* CHALLENGE: TargetName and AV_PAIRs 1-4. */
    struct ntlm_name target, nb_computer, nb_domain, dns_computer, dns_domain;
    /* Something was out of bounds or contradictory (the fields read before
     * still hold). */
    bool malformed;
};

/* Offset of "NTLMSSP\0" in blob (e.g. a SPNEGO security blob), or -1. */
int32_t ntlm_find(const uint8_t *blob, uint32_t len);

/* Parses one NTLMSSP message starting at its signature. Returns 0, or -1 if
 * it is not one (bad signature, unknown type, too short for its fixed
 * header); m->malformed tells of bad fields in a message that was read. */
int ntlm_parse(const uint8_t *p, uint32_t len, struct ntlm_msg *m);

/* A JSON string from len bytes of UTF-16LE (at most NTLM_MAX_NAME units;
 * a NUL unit ends it; bad surrogates become U+FFFD). SMB uses it for share
 * paths and native OS strings. New reference. */
json_t *ntlm_utf16le_json(const uint8_t *p, uint32_t len);

/* EVE's "ntlmssp" object of an AUTHENTICATE: {domain,user,host[,version]}
 * with version "major.minor build N" as Suricata writes it. New reference. */
json_t *ntlm_auth_json(const struct ntlm_msg *m);

/* Adds the facts EVE has no field for to extra: "ntlm_version" ("NTLMv1",
 * "NTLMv2", "anonymous") for AUTHENTICATE, "ntlm_server" {nb_computer,
 * nb_domain, dns_computer, dns_domain, target, version} for CHALLENGE. */
void ntlm_extra_json(const struct ntlm_msg *m, json_t *extra);

#endif
