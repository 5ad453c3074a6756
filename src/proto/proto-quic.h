/* proto-quic.h - QUIC Initial packet protection (RFC 9001 section 5,
 * RFC 9369 section 3.3 for v2), shared by the parser (app_parser_quic in
 * app.h), its unit test and its fuzz target. */
#ifndef MAMORI_PROTO_QUIC_H
#define MAMORI_PROTO_QUIC_H

#include <stdint.h>

#define QUIC_VERSION_NEG 0x00000000u
#define QUIC_VERSION_1 0x00000001u
#define QUIC_VERSION_2 0x6b3343cfu /* RFC 9369 */
#define QUIC_VERSION_DRAFT29 0xff00001du
#define QUIC_MAX_CID_LEN 20 /* RFC 9000 17.2, versions 1 and 2 */
#define QUIC_TAG_LEN 16     /* AES-128-GCM */

/* AEAD_AES_128_GCM keys of one side's Initial packets. */
struct quic_keys {
    uint8_t key[16];
    uint8_t iv[12];
    uint8_t hp[16];
};

/* Derives the Initial keys of the client (server = 0) or the server from the
 * Destination Connection ID of the client's first Initial. Returns 0, or -1
 * if the version has no known Initial salt (unknown, gQUIC, draft < 23) or
 * libcrypto failed. */
int quic_initial_keys(uint32_t version, const uint8_t *dcid, uint32_t dcid_len, int server,
                      struct quic_keys *out);

/* Whether the version is one whose Initial packets quic_initial_keys() can
 * open (v1, v2, drafts 23-34). */
int quic_version_known(uint32_t version);

/* The version as Suricata logs it: lower-case hex without leading zeros
 * ("1", "6b3343cf", "ff00001d"), gQUIC tags Q039-Q046 by name. buf needs
 * 12 bytes. Returns buf. */
const char *quic_version_str(uint32_t version, char *buf, unsigned len);

/* Builds one protected Initial packet: long header (token empty, 2-byte
 * Length), packet number pn in pn_len (1-4) bytes, then payload (frames)
 * encrypted with k and the header protected. Writes at most cap bytes to out
 * and returns the packet length, or -1 if it does not fit or pn_len+payload
 * is too short to sample (RFC 9001 5.4.2 needs 20 bytes from pn on). Tests
 * and the fuzz target make the packets the parser must open with it; the
 * unit test checks it against RFC 9001 A.2/A.3. */
int quic_protect_initial(uint32_t version, const uint8_t *dcid, uint8_t dcid_len,
                         const uint8_t *scid, uint8_t scid_len, const struct quic_keys *k,
                         uint32_t pn, unsigned pn_len, const uint8_t *payload,
                         uint32_t payload_len, uint8_t *out, uint32_t cap);

#endif
