/* proto-tls-cert.h - the X.509 half of the TLS parser (private to
 * proto-tls.c): one DER certificate into the fields Suricata's EVE "tls"
 * object carries. */
#ifndef MAMORI_PROTO_TLS_CERT_H
#define MAMORI_PROTO_TLS_CERT_H

#include <stdint.h>

#include <jansson.h>

/* Parses the DER certificate der[0..len) with OpenSSL and sets in `obj`
 * "subject", "issuerdn" (RDNs in encoding order, "C=US, O=Org, CN=name" as
 * Suricata prints them), "serial" (upper-case colon hex of the INTEGER's
 * content bytes, "00:AB:..."), "fingerprint" (SHA-1 of the DER as sent,
 * lower-case colon hex) and "notbefore"/"notafter" ("2024-01-01T00:00:00",
 * UTC). When `extra` is not NULL it also gets "sans" (DNS names, IPs, e-mail
 * addresses), "self_signed" (subject equals issuer and the signature verifies
 * with the certificate's own key), "cert_key" ("RSA 2048", "EC 256", ...)
 * and "cert_sig_alg". Returns 0, or -1 when OpenSSL cannot read the
 * certificate (nothing is set then). */
int tls_cert_json(const uint8_t *der, uint32_t len, json_t *obj, json_t *extra);

#endif
