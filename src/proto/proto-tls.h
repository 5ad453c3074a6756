/* proto-tls.h - TLS record and handshake parser (app_parser_tls in app.h),
 * and the ClientHello reader QUIC shares (proto-quic.c). */
#ifndef MAMORI_PROTO_TLS_H
#define MAMORI_PROTO_TLS_H

#include <stdint.h>

#include <jansson.h>

#include "app/app.h"

/* Reads one ClientHello handshake body (the bytes after the 4-byte handshake
 * header: legacy_version, random, ...) and adds to `tls` what EVE's tls/quic
 * objects carry: "sni", "version" (highest offered, e.g. "TLS 1.3"), "ja3"
 * {hash,string}, "ja4" (transport 't' for TLS over TCP, 'q' for QUIC), and
 * to `extra` (may be NULL) the facts EVE has no field for: "alpn_ts" (ALPN
 * names offered), "versions_offered" (supported_versions as names),
 * "client_ciphers" (count without GREASE), "ciphers" (the first
 * TLS_MAX_LISTED_CIPHERS as "0x1301" ...). Anomalies go to cx (may be NULL).
 * Returns 0, or -1 if the body is malformed (what was read before the fault
 * is still added, but never a JA3/JA4 of a partial hello). */
int tls_client_hello_json(const uint8_t *body, uint32_t len, char transport, json_t *tls,
                          json_t *extra, struct app_cx *cx);

#endif
