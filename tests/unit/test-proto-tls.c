/* test-proto-tls.c - TLS record layer, hellos, JA3/JA3S/JA4, certificates,
 * the one "tls" event per flow, and anomalies. Messages are hand-built; the
 * test certificates are generated here with OpenSSL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "app-test-util.h"
#include "proto/proto-tls.h"
#include "util/util.h"

/* clang-format off */

#define R32(b) b, b, b, b, b, b, b, b, b, b, b, b, b, b, b, b, \
               b, b, b, b, b, b, b, b, b, b, b, b, b, b, b, b

/* ClientHello in one record, GREASE in ciphers, extensions, groups and
 * supported_versions. Expected (computed by hand from the fields below):
 *   JA3 string "771,4865-4866-49195,0-10-11-13-16-43,29-23,0"
 *     (version 0x0303; ciphers 0x1301 0x1302 0xc02b; extensions SNI, groups,
 *     point formats, sig algs, ALPN, supported_versions; groups x25519 and
 *     secp256r1; point format uncompressed), MD5 11138d9933242c3a03b6aad35a296476
 *   JA4 "t13d0306h2_5559582ccdc4_fb71836bce29": TLS 1.3 from
 *     supported_versions, SNI present, 3 ciphers, 6 extensions, ALPN "h2";
 *     sha256("1301,1302,c02b")[:12]; sha256("000a,000b,000d,002b_0403,0804")[:12]. */
static const uint8_t ch_rec[] = {
    0x16, 0x03, 0x01, 0x00, 0x86,       /* record: handshake, TLS 1.0, 134 bytes */
    0x01, 0x00, 0x00, 0x82,             /* ClientHello, 130 bytes */
    0x03, 0x03,                         /* legacy_version TLS 1.2 */
    R32(0x11),                          /* random */
    0x00,                               /* session id: empty */
    0x00, 0x08,                         /* cipher_suites: 8 bytes */
    0x0a, 0x0a,                         /*   GREASE */
    0x13, 0x01, 0x13, 0x02,             /*   TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384 */
    0xc0, 0x2b,                         /*   ECDHE_ECDSA_AES_128_GCM_SHA256 */
    0x01, 0x00,                         /* compression: 1 method, null */
    0x00, 0x51,                         /* extensions: 81 bytes */
    0x1a, 0x1a, 0x00, 0x00,             /*   GREASE extension, empty */
    0x00, 0x00, 0x00, 0x10,             /*   server_name, 16 bytes */
    0x00, 0x0e, 0x00, 0x00, 0x0b,       /*     list 14, host_name, 11 bytes */
    'e', 'x', 'a', 'm', 'p', 'l', 'e', '.', 'c', 'o', 'm',
    0x00, 0x0a, 0x00, 0x08,             /*   supported_groups, 8 bytes */
    0x00, 0x06, 0x2a, 0x2a,             /*     list 6: GREASE, */
    0x00, 0x1d, 0x00, 0x17,             /*     x25519, secp256r1 */
    0x00, 0x0b, 0x00, 0x02, 0x01, 0x00, /*   ec_point_formats: uncompressed */
    0x00, 0x0d, 0x00, 0x06,             /*   signature_algorithms, 6 bytes */
    0x00, 0x04, 0x04, 0x03, 0x08, 0x04, /*     list 4: ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256 */
    0x00, 0x10, 0x00, 0x0e,             /*   ALPN, 14 bytes */
    0x00, 0x0c, 0x02, 'h', '2',         /*     list 12: "h2", */
    0x08, 'h', 't', 't', 'p', '/', '1', '.', '1', /* "http/1.1" */
    0x00, 0x2b, 0x00, 0x07,             /*   supported_versions, 7 bytes */
    0x06, 0x3a, 0x3a,                   /*     list 6: GREASE, */
    0x03, 0x04, 0x03, 0x03,             /*     TLS 1.3, TLS 1.2 */
};

/* TLS 1.2 ServerHello echoing no session, choosing ECDHE_RSA_AES_128_GCM.
 * JA3S "771,49199,65281-11-16", MD5 1089ea6f0461a29006cc96dfe7a11d80. */
static const uint8_t sh12_rec[] = {
    0x16, 0x03, 0x03, 0x00, 0x60,       /* record: handshake, TLS 1.2, 96 bytes */
    0x02, 0x00, 0x00, 0x5c,             /* ServerHello, 92 bytes */
    0x03, 0x03,                         /* legacy_version TLS 1.2 */
    R32(0x22),                          /* random */
    0x20, R32(0x33),                    /* session id: 32 bytes (new session) */
    0xc0, 0x2f,                         /* cipher ECDHE_RSA_AES_128_GCM_SHA256 */
    0x00,                               /* compression null */
    0x00, 0x14,                         /* extensions: 20 bytes */
    0xff, 0x01, 0x00, 0x01, 0x00,       /*   renegotiation_info, empty */
    0x00, 0x0b, 0x00, 0x02, 0x01, 0x00, /*   ec_point_formats: uncompressed */
    0x00, 0x10, 0x00, 0x05,             /*   ALPN, 5 bytes */
    0x00, 0x03, 0x02, 'h', '2',         /*     list 3: "h2" */
};

/* TLS 1.3 ServerHello: supported_versions says 1.3, key_share x25519.
 * JA3S "771,4865,43-51", MD5 f4febc55ea12b31ae17cfb7e614afda8. */
static const uint8_t sh13_rec[] = {
    0x16, 0x03, 0x03, 0x00, 0x5a,       /* record: handshake, 90 bytes */
    0x02, 0x00, 0x00, 0x56,             /* ServerHello, 86 bytes */
    0x03, 0x03,                         /* legacy_version TLS 1.2 */
    R32(0x44),                          /* random */
    0x00,                               /* session id: empty */
    0x13, 0x01,                         /* TLS_AES_128_GCM_SHA256 */
    0x00,                               /* compression null */
    0x00, 0x2e,                         /* extensions: 46 bytes */
    0x00, 0x2b, 0x00, 0x02, 0x03, 0x04, /*   supported_versions: TLS 1.3 */
    0x00, 0x33, 0x00, 0x24,             /*   key_share, 36 bytes */
    0x00, 0x1d, 0x00, 0x20, R32(0x55),  /*     x25519, 32-byte key */
};

static const uint8_t ccs_rec[] = {
    0x14, 0x03, 0x03, 0x00, 0x01, 0x01, /* ChangeCipherSpec */
};

/* Encrypted Finished after ChangeCipherSpec: opaque to us. */
static const uint8_t fin_rec[] = {
    0x16, 0x03, 0x03, 0x00, 0x10,       /* record: handshake, 16 bytes (ciphertext) */
    0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03, 0x04,
    0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c,
};

static const uint8_t shd_msg[] = {
    0x0e, 0x00, 0x00, 0x00,             /* ServerHelloDone, empty */
};

/* clang-format on */

/* --- building messages ---------------------------------------------------- */

struct tb {
    uint8_t *b;
    size_t n, cap;
};

static void tb_put(struct tb *t, const void *p, size_t n)
{
    if (t->n + n > t->cap) {
        t->cap = (t->n + n) * 2 + 64;
        t->b = realloc(t->b, t->cap);
    }
    memcpy(t->b + t->n, p, n);
    t->n += n;
}

static void tb_u8(struct tb *t, unsigned v)
{
    uint8_t b = (uint8_t)v;
    tb_put(t, &b, 1);
}

static void tb_u16(struct tb *t, unsigned v)
{
    tb_u8(t, v >> 8);
    tb_u8(t, v);
}

static void tb_u24(struct tb *t, unsigned v)
{
    tb_u8(t, v >> 16);
    tb_u16(t, v);
}

/* Wraps `body` in records of type `type` of at most `max` bytes each. */
static void tb_records(struct tb *out, uint8_t type, const uint8_t *body, size_t n, size_t max)
{
    size_t off = 0;
    do {
        size_t k = MIN(max, n - off);
        tb_u8(out, type);
        tb_u16(out, 0x0303);
        tb_u16(out, (unsigned)k);
        tb_put(out, body + off, k);
        off += k;
    } while (off < n);
}

/* A handshake message: type, 24-bit length, body. */
static void tb_hs(struct tb *out, uint8_t type, const uint8_t *body, size_t n)
{
    tb_u8(out, type);
    tb_u24(out, (unsigned)n);
    tb_put(out, body, n);
}

/* A Certificate message body with `count` copies of der. */
static void tb_cert_body(struct tb *out, const uint8_t *der, size_t n, unsigned count)
{
    tb_u24(out, (unsigned)((n + 3) * count));
    for (unsigned i = 0; i < count; i++) {
        tb_u24(out, (unsigned)n);
        tb_put(out, der, n);
    }
}

/* A self-signed EC P-256 certificate: C=US, O=Mamori Test, CN=test.example,
 * serial 0x8001 (top bit set: DER adds a 00), valid 2024-01-01 to
 * 2034-01-01, SANs test.example and 192.0.2.1. With `other_signer` the
 * issuer name is still the subject but another key signs it (so it is NOT
 * self-signed). Returns the DER length; *der is freed with OPENSSL_free(). */
static int make_cert(uint8_t **der, bool other_signer)
{
    EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    EVP_PKEY *signer = other_signer ? EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256") : key;
    X509 *x = X509_new();
    assert_non_null(key);
    assert_non_null(x);
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 0x8001);
    ASN1_TIME_set_string(X509_getm_notBefore(x), "20240101000000Z");
    ASN1_TIME_set_string(X509_getm_notAfter(x), "20340101000000Z");
    X509_NAME *name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC, (const unsigned char *)"US", -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const unsigned char *)"Mamori Test", -1,
                               -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"test.example",
                               -1, -1, 0);
    X509_set_issuer_name(x, name);
    X509_set_pubkey(x, key);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
    X509_EXTENSION *ext =
        X509V3_EXT_conf_nid(NULL, &ctx, NID_subject_alt_name, "DNS:test.example,IP:192.0.2.1");
    assert_non_null(ext);
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
    assert_true(X509_sign(x, signer, EVP_sha256()) > 0);
    *der = NULL;
    int n = i2d_X509(x, der);
    assert_true(n > 0);
    X509_free(x);
    if (signer != key)
        EVP_PKEY_free(signer);
    EVP_PKEY_free(key);
    return n;
}

/* Server flight of a TLS 1.2 full handshake: ServerHello record, then one
 * record with Certificate (2 copies of der) and ServerHelloDone. */
static void tb_server_flight12(struct tb *out, const uint8_t *der, size_t n)
{
    struct tb cert = {0}, msgs = {0};
    tb_put(out, sh12_rec, sizeof(sh12_rec));
    tb_cert_body(&cert, der, n, 2);
    tb_hs(&msgs, 11, cert.b, cert.n);
    tb_put(&msgs, shd_msg, sizeof(shd_msg));
    tb_records(out, 22, msgs.b, msgs.n, 16384);
    free(cert.b);
    free(msgs.b);
}

/* Client's second flight: ClientKeyExchange, CCS, encrypted Finished. */
static void tb_client_finish(struct tb *out)
{
    static const uint8_t cke[] = {0x10, 0x00, 0x00, 0x02, 0x01, 0x04};
    tb_records(out, 22, cke, sizeof(cke), 16384);
    tb_put(out, ccs_rec, sizeof(ccs_rec));
    tb_put(out, fin_rec, sizeof(fin_rec));
}

static void tb_server_finish(struct tb *out)
{
    tb_put(out, ccs_rec, sizeof(ccs_rec));
    tb_put(out, fin_rec, sizeof(fin_rec));
}

static void assert_has(const struct apt *t, unsigned i, const char *needle)
{
    assert_true(i < t->nevents);
    if (!strstr(t->ev[i], needle))
        fail_msg("missing %s in %s", needle, t->ev[i]);
}

static void assert_lacks(const struct apt *t, unsigned i, const char *needle)
{
    assert_true(i < t->nevents);
    if (strstr(t->ev[i], needle))
        fail_msg("unexpected %s in %s", needle, t->ev[i]);
}

/* Starts a new flow on the same app layer (app_layer_new() sets up nDPI,
 * far too slow to repeat per split point). Call after apt_end(). */
static void tls_reset(struct apt *t)
{
    apt_end(t);
    apt_clear(t);
    memset(t->state, 0, t->p->state_size);
    t->cx.done_mask = 0;
    t->cx.upgrade_to = 0;
    t->ended = false;
}

/* --- tests ---------------------------------------------------------------- */

static void test_probe(void **state)
{
    (void)state;
    const struct app_parser *p = &app_parser_tls;
    assert_int_equal(p->probe(ch_rec, sizeof(ch_rec), 0), APP_PROBE_YES);
    assert_int_equal(p->probe(sh12_rec, sizeof(sh12_rec), 1), APP_PROBE_YES);
    /* Off-by-one: 5 bytes (header only) is not enough, 6 is. */
    assert_int_equal(p->probe(ch_rec, 5, 0), APP_PROBE_NEED_MORE);
    assert_int_equal(p->probe(ch_rec, 6, 0), APP_PROBE_YES);
    assert_int_equal(p->probe(ch_rec, 1, 0), APP_PROBE_NEED_MORE);
    assert_int_equal(p->probe((const uint8_t *)"GET / HTTP/1.1\r\n", 16, 0), APP_PROBE_NO);
    assert_int_equal(p->probe((const uint8_t *)"G", 1, 0), APP_PROBE_NO);
    /* A ServerHello is not what a client sends first. */
    assert_int_equal(p->probe(sh12_rec, sizeof(sh12_rec), 0), APP_PROBE_NO);
    /* Record version 0x0305 is not TLS (yet); 0x0304 is the top. */
    uint8_t v[sizeof(ch_rec)];
    memcpy(v, ch_rec, sizeof(v));
    v[2] = 0x05;
    assert_int_equal(p->probe(v, sizeof(v), 0), APP_PROBE_NO);
    v[2] = 0x04;
    assert_int_equal(p->probe(v, sizeof(v), 0), APP_PROBE_YES);
    /* SSLv2-format hello: length 0x802e, CLIENT-HELLO, version TLS 1.0. */
    static const uint8_t v2[] = {0x80, 0x2e, 0x01, 0x03, 0x01, 0x00, 0x15};
    assert_int_equal(p->probe(v2, sizeof(v2), 0), APP_PROBE_YES);
    assert_int_equal(p->probe(v2, sizeof(v2), 1), APP_PROBE_NO);
}

static void test_client_hello_ja3_ja4(void **state)
{
    (void)state;
    struct apt t;
    apt_begin(&t, &app_parser_tls, 6);
    apt_feed(&t, 0, ch_rec, sizeof(ch_rec));
    assert_int_equal(t.nevents, 0); /* waits for the server */
    apt_end(&t);
    assert_int_equal(t.nevents, 1);
    assert_int_equal(t.nanomalies, 0);
    assert_has(&t, 0, "\"sni\":\"example.com\"");
    assert_has(&t, 0, "\"string\":\"771,4865-4866-49195,0-10-11-13-16-43,29-23,0\"");
    assert_has(&t, 0, "\"hash\":\"11138d9933242c3a03b6aad35a296476\"");
    assert_has(&t, 0, "\"ja4\":\"t13d0306h2_5559582ccdc4_fb71836bce29\"");
    /* No ServerHello: Suricata's version is the server's, so undetermined. */
    assert_has(&t, 0, "\"version\":\"UNDETERMINED\"");
    assert_has(&t, 0, "\"alpn_ts\":[\"h2\",\"http/1.1\"]");
    assert_has(&t, 0, "\"versions_offered\":[\"TLS 1.3\",\"TLS 1.2\"]");
    assert_has(&t, 0, "\"client_ciphers\":3");
    assert_lacks(&t, 0, "ja3s");
    apt_free(&t);
}

/* The FoxIO JA4.md worked example: 15 ciphers, 16 extensions, ALPN h2, the
 * listed signature algorithms give t13d1516h2_8daaf6152771_e5627efa2ab1.
 * Goes through tls_client_hello_json() directly, as QUIC does. */
static void test_ja4_spec_example(void **state)
{
    (void)state;
    static const uint16_t ciphers[] = {0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030,
                                       0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f,
                                       0x0035};
    static const uint16_t exts[] = {0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017,
                                    0x002d, 0x000d, 0x0005, 0x0023, 0x0012, 0x002b,
                                    0xff01, 0x000b, 0x000a, 0x0015};
    static const uint16_t sigs[] = {0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806,
                                    0x0601};
    struct tb b = {0}, e = {0};
    tb_u16(&b, 0x0303);
    for (int i = 0; i < 32; i++)
        tb_u8(&b, 0);
    tb_u8(&b, 0);
    tb_u16(&b, 2 * ARRAY_SIZE(ciphers));
    for (size_t i = 0; i < ARRAY_SIZE(ciphers); i++)
        tb_u16(&b, ciphers[i]);
    tb_u8(&b, 1);
    tb_u8(&b, 0);
    for (size_t i = 0; i < ARRAY_SIZE(exts); i++) {
        tb_u16(&e, exts[i]);
        if (exts[i] == 0x0000) { /* SNI "a.b" */
            tb_u16(&e, 8);
            tb_u16(&e, 6);
            tb_u8(&e, 0);
            tb_u16(&e, 3);
            tb_put(&e, "a.b", 3);
        } else if (exts[i] == 0x0010) { /* ALPN h2 */
            tb_u16(&e, 5);
            tb_u16(&e, 3);
            tb_u8(&e, 2);
            tb_put(&e, "h2", 2);
        } else if (exts[i] == 0x002b) { /* supported_versions 1.3, 1.2 */
            tb_u16(&e, 5);
            tb_u8(&e, 4);
            tb_u16(&e, 0x0304);
            tb_u16(&e, 0x0303);
        } else if (exts[i] == 0x000d) {
            tb_u16(&e, 2 + 2 * ARRAY_SIZE(sigs));
            tb_u16(&e, 2 * ARRAY_SIZE(sigs));
            for (size_t k = 0; k < ARRAY_SIZE(sigs); k++)
                tb_u16(&e, sigs[k]);
        } else {
            tb_u16(&e, 0);
        }
    }
    tb_u16(&b, (unsigned)e.n);
    tb_put(&b, e.b, e.n);

    json_t *tls = json_object(), *extra = json_object();
    assert_int_equal(tls_client_hello_json(b.b, (uint32_t)b.n, 't', tls, extra, NULL), 0);
    assert_string_equal(json_string_value(json_object_get(tls, "ja4")),
                        "t13d1516h2_8daaf6152771_e5627efa2ab1");
    assert_string_equal(json_string_value(json_object_get(tls, "version")), "TLS 1.3");
    assert_string_equal(json_string_value(json_object_get(tls, "sni")), "a.b");
    json_decref(tls);
    json_decref(extra);

    /* QUIC: transport 'q'; extra may be NULL. */
    tls = json_object();
    assert_int_equal(tls_client_hello_json(b.b, (uint32_t)b.n, 'q', tls, NULL, NULL), 0);
    assert_string_equal(json_string_value(json_object_get(tls, "ja4")),
                        "q13d1516h2_8daaf6152771_e5627efa2ab1");
    json_decref(tls);

    /* Every prefix is rejected cleanly (-1), except the one that ends
     * right before the extensions block: a valid extension-less hello. */
    uint32_t no_ext = (uint32_t)(b.n - e.n - 2);
    for (uint32_t n = 0; n < b.n; n++) {
        tls = json_object();
        int rc = tls_client_hello_json(b.b, n, 't', tls, NULL, NULL);
        assert_int_equal(rc, n == no_ext ? 0 : -1);
        if (rc < 0)
            assert_null(json_object_get(tls, "ja4"));
        json_decref(tls);
    }
    free(b.b);
    free(e.b);
}

/* Edge cases of JA4's a-part: no ALPN / non-alphanumeric ALPN, no SNI, no
 * supported_versions (legacy version counts), no extensions at all. */
static void test_ja4_edges(void **state)
{
    (void)state;
    /* TLS 1.0 hello: 1 cipher, no extensions block. */
    static const uint8_t old[] = {
        0x03, 0x01, R32(0), 0x00, /* version TLS 1.0, random, no session */
        0x00, 0x02, 0x00, 0x2f,   /* 1 cipher: RSA_AES_128_CBC_SHA */
        0x01, 0x00,               /* compression null */
    };
    json_t *tls = json_object();
    assert_int_equal(tls_client_hello_json(old, sizeof(old), 't', tls, NULL, NULL), 0);
    /* No SNI, 1 cipher, 0 extensions, no ALPN; sha256("002f")[:12]
     * (python hashlib); no extensions -> 000000000000. */
    const char *ja4 = json_string_value(json_object_get(tls, "ja4"));
    assert_non_null(ja4);
    assert_string_equal(ja4, "t10i010000_ba72b8082249_000000000000");
    assert_string_equal(json_string_value(json_object_get(json_object_get(tls, "ja3"), "string")),
                        "769,47,,,");
    json_decref(tls);

    /* ALPN whose first byte is not alphanumeric: hex nibbles 0xAB 0xCD
     * -> first hex char of 0xab ('a') and last of 0xcd ('d'). */
    static const uint8_t odd[] = {
        0x03, 0x03, R32(0), 0x00, 0x00, 0x02, 0x13, 0x01, 0x01, 0x00,
        0x00, 0x09,                         /* extensions: 9 bytes */
        0x00, 0x10, 0x00, 0x05, 0x00, 0x03, /* ALPN, list 3 */
        0x02, 0xab, 0xcd,                   /*   one 2-byte name */
    };
    tls = json_object();
    assert_int_equal(tls_client_hello_json(odd, sizeof(odd), 't', tls, NULL, NULL), 0);
    ja4 = json_string_value(json_object_get(tls, "ja4"));
    assert_memory_equal(ja4, "t12i0101ad_", 11);
    json_decref(tls);
}

/* A TLS 1.2 full handshake; returns the client and server byte streams. */
static void build_tls12(struct tb *c, struct tb *s, const uint8_t *der, int n)
{
    tb_put(c, ch_rec, sizeof(ch_rec));
    tb_server_flight12(s, der, (size_t)n);
    tb_client_finish(c);
    tb_server_finish(s);
}

static void check_tls12_event(const struct apt *t, const uint8_t *der, int n)
{
    assert_int_equal(t->nevents, 1);
    assert_int_equal(t->nanomalies, 0);
    assert_has(t, 0, "\"version\":\"TLS 1.2\"");
    assert_has(t, 0, "\"sni\":\"example.com\"");
    assert_has(t, 0, "\"ja3s\":{\"hash\":\"1089ea6f0461a29006cc96dfe7a11d80\","
                     "\"string\":\"771,49199,65281-11-16\"}");
    assert_has(t, 0, "\"subject\":\"C=US, O=Mamori Test, CN=test.example\"");
    assert_has(t, 0, "\"issuerdn\":\"C=US, O=Mamori Test, CN=test.example\"");
    assert_has(t, 0, "\"serial\":\"00:80:01\"");
    assert_has(t, 0, "\"notbefore\":\"2024-01-01T00:00:00\"");
    assert_has(t, 0, "\"notafter\":\"2034-01-01T00:00:00\"");
    assert_has(t, 0, "\"sans\":[\"test.example\",\"192.0.2.1\"]");
    assert_has(t, 0, "\"self_signed\":true");
    assert_has(t, 0, "\"cert_count\":2");
    assert_has(t, 0, "\"cipher_chosen\":\"0xc02f\"");
    assert_has(t, 0, "\"alpn_tc\":\"h2\"");
    assert_has(t, 0, "\"cert_key\":\"EC 256\"");
    assert_lacks(t, 0, "session_resumed");

    /* SHA-1 of the DER, lower-case colon hex. */
    uint8_t md[20];
    unsigned mdlen = 0;
    assert_int_equal(EVP_Digest(der, (size_t)n, md, &mdlen, EVP_sha1(), NULL), 1);
    char fp[80] = "\"fingerprint\":\"";
    size_t o = strlen(fp);
    for (unsigned i = 0; i < mdlen; i++)
        o += (size_t)snprintf(fp + o, sizeof(fp) - o, i ? ":%02x" : "%02x", md[i]);
    snprintf(fp + o, sizeof(fp) - o, "\"");
    assert_has(t, 0, fp);
}

static void test_tls12_full_handshake(void **state)
{
    (void)state;
    uint8_t *der;
    int n = make_cert(&der, false);
    struct tb c = {0}, s = {0};
    build_tls12(&c, &s, der, n);

    /* Whole flights in order: the event goes out when the server's CCS
     * arrives (both sides have switched to ciphertext), and we are done. */
    struct apt t;
    apt_begin(&t, &app_parser_tls, 6);
    apt_feed(&t, 0, c.b, sizeof(ch_rec));
    apt_feed(&t, 1, s.b, (uint32_t)(s.n - sizeof(ccs_rec) - sizeof(fin_rec)));
    assert_int_equal(t.nevents, 0);
    apt_feed(&t, 0, c.b + sizeof(ch_rec), (uint32_t)(c.n - sizeof(ch_rec)));
    assert_int_equal(t.nevents, 0);
    apt_feed(&t, 1, s.b + s.n - sizeof(ccs_rec) - sizeof(fin_rec),
             (uint32_t)(sizeof(ccs_rec) + sizeof(fin_rec)));
    assert_int_equal(t.nevents, 1);
    assert_int_equal(t.cx.done_mask, 3);
    apt_end(&t);
    check_tls12_event(&t, der, n);
    apt_free(&t);

    /* Byte at a time, both directions. */
    apt_begin(&t, &app_parser_tls, 6);
    apt_feed_bytes(&t, 0, c.b, sizeof(ch_rec));
    apt_feed_bytes(&t, 1, s.b, (uint32_t)s.n);
    apt_feed_bytes(&t, 0, c.b + sizeof(ch_rec), (uint32_t)(c.n - sizeof(ch_rec)));
    apt_end(&t);
    check_tls12_event(&t, der, n);
    apt_free(&t);

    /* Every split point of the server stream (records, the certificate
     * list, the DER): same result. */
    apt_begin(&t, &app_parser_tls, 6);
    for (uint32_t cut = 0; cut <= s.n; cut++) {
        apt_feed(&t, 0, c.b, (uint32_t)c.n);
        apt_feed_split(&t, 1, s.b, (uint32_t)s.n, cut);
        apt_end(&t);
        check_tls12_event(&t, der, n);
        tls_reset(&t);
    }
    /* ... and of the client stream. */
    for (uint32_t cut = 0; cut <= c.n; cut++) {
        apt_feed_split(&t, 0, c.b, (uint32_t)c.n, cut);
        apt_feed(&t, 1, s.b, (uint32_t)s.n);
        apt_end(&t);
        check_tls12_event(&t, der, n);
        tls_reset(&t);
    }
    apt_free(&t);
    free(c.b);
    free(s.b);
    OPENSSL_free(der);
}

/* The server flight with each message in its own record, and the
 * Certificate message cut across three records of 100 bytes. */
static void test_handshake_across_records(void **state)
{
    (void)state;
    uint8_t *der;
    int n = make_cert(&der, false);
    struct tb cert = {0}, msg = {0}, s = {0}, c = {0};
    tb_cert_body(&cert, der, (size_t)n, 2);
    tb_hs(&msg, 11, cert.b, cert.n);
    tb_put(&s, sh12_rec, sizeof(sh12_rec));
    tb_records(&s, 22, msg.b, msg.n, 100);
    tb_records(&s, 22, shd_msg, sizeof(shd_msg), 100);
    tb_server_finish(&s);
    tb_put(&c, ch_rec, sizeof(ch_rec));
    tb_client_finish(&c);

    struct apt t;
    apt_begin(&t, &app_parser_tls, 6);
    apt_feed(&t, 0, c.b, (uint32_t)c.n);
    apt_feed(&t, 1, s.b, (uint32_t)s.n);
    apt_end(&t);
    check_tls12_event(&t, der, n);
    apt_free(&t);
    free(cert.b);
    free(msg.b);
    free(s.b);
    free(c.b);
    OPENSSL_free(der);
}

static void test_not_self_signed(void **state)
{
    (void)state;
    uint8_t *der;
    int n = make_cert(&der, true);
    struct tb c = {0}, s = {0};
    build_tls12(&c, &s, der, n);
    struct apt t;
    apt_begin(&t, &app_parser_tls, 6);
    apt_feed(&t, 0, c.b, (uint32_t)c.n);
    apt_feed(&t, 1, s.b, (uint32_t)s.n);
    apt_end(&t);
    assert_int_equal(t.nevents, 1);
    /* Same names, but another key signed it. */
    assert_has(&t, 0, "\"self_signed\":false");
    apt_free(&t);
    free(c.b);
    free(s.b);
    OPENSSL_free(der);
}

static void test_tls13(void **state)
{
    (void)state;
    struct apt t;
    apt_begin(&t, &app_parser_tls, 6);
    for (uint32_t cut = 0; cut <= sizeof(sh13_rec); cut++) {
        apt_feed(&t, 0, ch_rec, sizeof(ch_rec));
        apt_feed_split(&t, 1, sh13_rec, sizeof(sh13_rec), cut);
        /* Everything after the ServerHello is encrypted: logged now. */
        assert_int_equal(t.nevents, 1);
        assert_int_equal(t.cx.done_mask, 3);
        assert_has(&t, 0, "\"version\":\"TLS 1.3\"");
        assert_has(&t, 0, "\"string\":\"771,4865,43-51\"");
        assert_has(&t, 0, "\"hash\":\"f4febc55ea12b31ae17cfb7e614afda8\"");
        assert_has(&t, 0, "\"ja4\":\"t13d0306h2_");
        assert_lacks(&t, 0, "session_resumed");
        /* Later bytes (compat CCS, app data) change nothing. */
        apt_feed(&t, 1, ccs_rec, sizeof(ccs_rec));
        apt_feed(&t, 0, ch_rec, sizeof(ch_rec));
        apt_end(&t);
        assert_int_equal(t.nevents, 1);
        assert_int_equal(t.nanomalies, 0);
        tls_reset(&t);
    }
    apt_free(&t);
}

/* RFC 8446 4.1.4: a HelloRetryRequest, the client's compat CCS and second
 * ClientHello, then the real ServerHello. */
static void test_hello_retry(void **state)
{
    (void)state;
    static const uint8_t hrr_random[32] = {
        0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c,
        0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb,
        0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
    };
    uint8_t hrr[sizeof(sh13_rec)];
    memcpy(hrr, sh13_rec, sizeof(hrr));
    memcpy(hrr + 11, hrr_random, 32); /* after record(5)+hs(4)+version(2) */
    struct apt t;
    apt_begin(&t, &app_parser_tls, 6);
    apt_feed(&t, 0, ch_rec, sizeof(ch_rec));
    apt_feed(&t, 1, hrr, sizeof(hrr));
    assert_int_equal(t.nevents, 0);
    apt_feed(&t, 1, ccs_rec, sizeof(ccs_rec));
    apt_feed(&t, 0, ccs_rec, sizeof(ccs_rec));
    apt_feed(&t, 0, ch_rec, sizeof(ch_rec));
    assert_int_equal(t.nevents, 0);
    apt_feed(&t, 1, sh13_rec, sizeof(sh13_rec));
    assert_int_equal(t.nevents, 1);
    assert_has(&t, 0, "\"hello_retry\":true");
    assert_has(&t, 0, "\"version\":\"TLS 1.3\"");
    assert_has(&t, 0, "\"string\":\"771,4865,43-51\"");
    apt_free(&t);
    assert_int_equal(t.nanomalies, 0);
}

/* Abbreviated handshake: the server echoes the client's session id, sends
 * no certificate, CCS first. */
static void test_session_resumed(void **state)
{
    (void)state;
    uint8_t ch[sizeof(ch_rec) + 32];
    /* Same hello with a 32-byte session id 0x33...: lengths grow by 32. */
    memcpy(ch, ch_rec, 43);
    ch[4] = (uint8_t)(ch_rec[4] + 32);
    ch[8] = (uint8_t)(ch_rec[8] + 32);
    ch[43] = 32;
    memset(ch + 44, 0x33, 32);
    memcpy(ch + 76, ch_rec + 44, sizeof(ch_rec) - 44);

    struct apt t;
    apt_begin(&t, &app_parser_tls, 6);
    apt_feed(&t, 0, ch, sizeof(ch));
    apt_feed(&t, 1, sh12_rec, sizeof(sh12_rec));
    apt_feed(&t, 1, ccs_rec, sizeof(ccs_rec));
    apt_feed(&t, 1, fin_rec, sizeof(fin_rec));
    assert_int_equal(t.nevents, 0);
    apt_feed(&t, 0, ccs_rec, sizeof(ccs_rec));
    assert_int_equal(t.nevents, 1);
    assert_has(&t, 0, "\"session_resumed\":true");
    assert_has(&t, 0, "\"sni\":\"example.com\"");
    assert_lacks(&t, 0, "subject");
    apt_free(&t);

    /* The client's own id was different: a new session, not resumed. */
    ch[44] = 0x34;
    apt_begin(&t, &app_parser_tls, 6);
    apt_feed(&t, 0, ch, sizeof(ch));
    apt_feed(&t, 1, sh12_rec, sizeof(sh12_rec));
    apt_feed(&t, 1, ccs_rec, sizeof(ccs_rec));
    apt_feed(&t, 0, ccs_rec, sizeof(ccs_rec));
    assert_int_equal(t.nevents, 1);
    assert_lacks(&t, 0, "session_resumed");
    apt_free(&t);
}

/* Each prefix of the client hello, then the flow ends: no crash, an event
 * only once the hello is complete, and no anomaly for a cut stream. */
static void test_prefixes(void **state)
{
    (void)state;
    struct apt t;
    apt_begin(&t, &app_parser_tls, 6);
    for (uint32_t n = 0; n <= sizeof(ch_rec); n++) {
        apt_feed(&t, 0, ch_rec, n);
        apt_end(&t);
        assert_int_equal(t.nevents, n == sizeof(ch_rec) ? 1 : 0);
        assert_int_equal(t.nanomalies, 0);
        tls_reset(&t);
    }
    for (uint32_t n = 0; n <= sizeof(sh12_rec); n++) {
        apt_feed(&t, 0, ch_rec, sizeof(ch_rec));
        apt_feed(&t, 1, sh12_rec, n);
        apt_end(&t);
        assert_int_equal(t.nevents, 1);
        if (n == sizeof(sh12_rec))
            assert_has(&t, 0, "ja3s");
        else
            assert_lacks(&t, 0, "ja3s");
        tls_reset(&t);
    }
    apt_free(&t);
}

static void one_record_anomaly(const uint8_t *rec, uint32_t n, int dir, const char *anomaly)
{
    struct apt t;
    apt_begin(&t, &app_parser_tls, 6);
    apt_feed(&t, 0, ch_rec, sizeof(ch_rec));
    apt_feed(&t, dir, rec, n);
    apt_end(&t);
    if (!apt_has_anomaly(&t, anomaly))
        fail_msg("expected anomaly %s (got %u anomalies)", anomaly, t.nanomalies);
    apt_free(&t);
}

static void test_record_anomalies(void **state)
{
    (void)state;
    static const uint8_t bad_type[] = {0x63, 0x03, 0x03, 0x00, 0x01, 0x00};
    one_record_anomaly(bad_type, sizeof(bad_type), 1, "tls.invalid_record_type");
    static const uint8_t bad_version[] = {0x16, 0x04, 0x00, 0x00, 0x01, 0x00};
    one_record_anomaly(bad_version, sizeof(bad_version), 1, "tls.invalid_record_version");

    /* Off-by-one: 2^14+2048 = 18432 is the longest legal record, 18433 is
     * too long. */
    struct tb r = {0};
    uint8_t *zero = calloc(1, 18433);
    tb_u8(&r, 23);
    tb_u16(&r, 0x0303);
    tb_u16(&r, 18432);
    tb_put(&r, zero, 18432);
    struct apt t;
    apt_begin(&t, &app_parser_tls, 6);
    apt_feed(&t, 0, ch_rec, sizeof(ch_rec));
    apt_feed(&t, 0, r.b, (uint32_t)r.n);
    apt_end(&t);
    assert_int_equal(t.nanomalies, 0);
    apt_free(&t);
    r.b[3] = 0x48;
    r.b[4] = 0x01; /* 18433 */
    one_record_anomaly(r.b, 5, 0, "tls.record_too_long");
    free(r.b);
    free(zero);

    /* Bytes after a bad record are not read. */
    uint8_t two[sizeof(bad_type) + sizeof(sh12_rec)];
    memcpy(two, bad_type, sizeof(bad_type));
    memcpy(two + sizeof(bad_type), sh12_rec, sizeof(sh12_rec));
    apt_begin(&t, &app_parser_tls, 6);
    apt_feed(&t, 0, ch_rec, sizeof(ch_rec));
    apt_feed(&t, 1, two, sizeof(two));
    apt_end(&t);
    assert_int_equal(t.nevents, 1);
    assert_lacks(&t, 0, "ja3s");
    apt_free(&t);

    /* Unknown handshake type 99 (empty). */
    static const uint8_t bad_hs[] = {0x16, 0x03, 0x03, 0x00, 0x04, 99, 0, 0, 0};
    one_record_anomaly(bad_hs, sizeof(bad_hs), 1, "tls.invalid_handshake_type");

    /* Heartbeat request claiming 0x4000 payload bytes in a 19-byte record
     * (Heartbleed). */
    static const uint8_t hb[] = {0x18, 0x03, 0x03, 0x00, 0x13, 0x01, 0x40, 0x00, R32(0)};
    uint8_t hbrec[5 + 19];
    memcpy(hbrec, hb, sizeof(hbrec));
    one_record_anomaly(hbrec, sizeof(hbrec), 0, "tls.overflow_heartbeat");
}

/* A handshake message longer than TLS_MAX_HS_MSG is flagged, kept only up
 * to the cap and skipped: the next message still parses. Off-by-one: a
 * message of exactly 65536 bytes is not flagged. */
static void hs_len_case(uint32_t body_len, bool flagged)
{
    uint8_t *body = calloc(1, body_len);
    struct tb msg = {0}, s = {0};
    tb_hs(&msg, 12, body, body_len); /* ServerKeyExchange, zeros */
    tb_put(&s, sh12_rec, sizeof(sh12_rec));
    tb_records(&s, 22, msg.b, msg.n, 16384);
    tb_records(&s, 22, shd_msg, sizeof(shd_msg), 16384);
    tb_server_finish(&s);
    struct apt t;
    apt_begin(&t, &app_parser_tls, 6);
    apt_feed(&t, 0, ch_rec, sizeof(ch_rec));
    apt_feed(&t, 0, ccs_rec, sizeof(ccs_rec));
    apt_feed(&t, 1, s.b, (uint32_t)s.n);
    assert_int_equal(t.nevents, 1); /* the CCS after it was found */
    assert_int_equal(apt_has_anomaly(&t, "tls.handshake_too_long"), flagged);
    apt_free(&t);
    free(body);
    free(msg.b);
    free(s.b);
}

static void test_handshake_too_long(void **state)
{
    (void)state;
    hs_len_case(65536, false);
    hs_len_case(65537, true);
}

static void test_truncated_hello(void **state)
{
    (void)state;
    /* cipher_suites length 0x0800 runs past the message. */
    uint8_t ch[sizeof(ch_rec)];
    memcpy(ch, ch_rec, sizeof(ch));
    ch[44] = 0x08;
    struct apt t;
    apt_begin(&t, &app_parser_tls, 6);
    apt_feed(&t, 0, ch, sizeof(ch));
    apt_end(&t);
    assert_true(apt_has_anomaly(&t, "tls.truncated_hello"));
    assert_int_equal(t.nevents, 1);
    assert_lacks(&t, 0, "ja3");
    apt_free(&t);

    /* A session id length of 33 is malformed. */
    memcpy(ch, ch_rec, sizeof(ch));
    ch[43] = 33;
    apt_begin(&t, &app_parser_tls, 6);
    apt_feed(&t, 0, ch, sizeof(ch));
    apt_end(&t);
    assert_true(apt_has_anomaly(&t, "tls.invalid_handshake"));
    apt_free(&t);

    /* SNI list length past the extension: the rest still fingerprints. */
    memcpy(ch, ch_rec, sizeof(ch));
    ch[67] = 0x0f; /* server_name list length 14 -> 15 */
    apt_begin(&t, &app_parser_tls, 6);
    apt_feed(&t, 0, ch, sizeof(ch));
    apt_end(&t);
    assert_true(apt_has_anomaly(&t, "tls.invalid_extension"));
    assert_has(&t, 0, "\"hash\":\"11138d9933242c3a03b6aad35a296476\"");
    apt_free(&t);
}

/* A hole in the server stream: the direction is given up; the event still
 * comes at end() with what the client said. */
static void test_gap(void **state)
{
    (void)state;
    struct apt t;
    apt_begin(&t, &app_parser_tls, 6);
    apt_feed(&t, 0, ch_rec, sizeof(ch_rec));
    apt_feed(&t, 1, sh12_rec, 20);
    apt_gap(&t, 1);
    assert_true(t.cx.done_mask & 2);
    apt_feed(&t, 1, sh12_rec + 20, sizeof(sh12_rec) - 20);
    apt_end(&t);
    assert_int_equal(t.nevents, 1);
    assert_has(&t, 0, "\"sni\":\"example.com\"");
    assert_lacks(&t, 0, "ja3s");
    apt_free(&t);
}

/* SSLv2-format hello offering TLS 1.0, answered by a TLS 1.0 server. */
static void test_sslv2_hello(void **state)
{
    (void)state;
    static const uint8_t v2[] = {
        0x80, 0x1f,             /* SSLv2 record, 31 bytes */
        0x01,                   /* CLIENT-HELLO */
        0x03, 0x01,             /* version TLS 1.0 */
        0x00, 0x06,             /* cipher specs: 6 bytes (2 specs) */
        0x00, 0x00,             /* session id: none */
        0x00, 0x10,             /* challenge: 16 bytes */
        0x00, 0x00, 0x2f,       /* TLS_RSA_WITH_AES_128_CBC_SHA */
        0x01, 0x00, 0x80,       /* SSL_CK_RC4_128_WITH_MD5 */
        R32(0x77),              /* challenge (16) + 16 spare bytes */
    };
    uint8_t sh[sizeof(sh12_rec)];
    memcpy(sh, sh12_rec, sizeof(sh));
    sh[10] = 0x01; /* ServerHello legacy_version TLS 1.0 */
    struct apt t;
    apt_begin(&t, &app_parser_tls, 6);
    apt_feed_bytes(&t, 0, v2, 2 + 0x1f);
    apt_feed(&t, 1, sh, sizeof(sh));
    apt_end(&t);
    assert_int_equal(t.nevents, 1);
    assert_int_equal(t.nanomalies, 0);
    assert_has(&t, 0, "\"sslv2_hello\":true");
    assert_has(&t, 0, "\"client_ciphers\":2");
    assert_has(&t, 0, "\"version\":\"TLSv1\"");
    apt_free(&t);
}

/* A plaintext fatal alert from the server is kept in extra. */
static void test_alert(void **state)
{
    (void)state;
    static const uint8_t alert[] = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28};
    struct apt t;
    apt_begin(&t, &app_parser_tls, 6);
    apt_feed(&t, 0, ch_rec, sizeof(ch_rec));
    apt_feed_bytes(&t, 1, alert, sizeof(alert));
    apt_end(&t);
    assert_int_equal(t.nevents, 1);
    assert_has(&t, 0, "\"alert_desc\":40");
    assert_has(&t, 0, "\"alert_level\":2");
    apt_free(&t);
}

/* Junk that is not TLS at all: no event, an anomaly, no crash. */
static void test_junk(void **state)
{
    (void)state;
    struct apt t;
    apt_begin(&t, &app_parser_tls, 6);
    apt_feed(&t, 0, "GET / HTTP/1.1\r\n\r\n", 18);
    apt_feed(&t, 1, "HTTP/1.1 200 OK\r\n\r\n", 19);
    apt_end(&t);
    assert_int_equal(t.nevents, 0);
    assert_true(apt_has_anomaly(&t, "tls.invalid_record_type"));
    apt_free(&t);

    /* State released mid-message without end(). */
    apt_begin(&t, &app_parser_tls, 6);
    apt_feed(&t, 0, ch_rec, 30);
    app_parser_tls.release(t.state);
    t.ended = true;
    apt_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_probe),
        cmocka_unit_test(test_client_hello_ja3_ja4),
        cmocka_unit_test(test_ja4_spec_example),
        cmocka_unit_test(test_ja4_edges),
        cmocka_unit_test(test_tls12_full_handshake),
        cmocka_unit_test(test_handshake_across_records),
        cmocka_unit_test(test_not_self_signed),
        cmocka_unit_test(test_tls13),
        cmocka_unit_test(test_hello_retry),
        cmocka_unit_test(test_session_resumed),
        cmocka_unit_test(test_prefixes),
        cmocka_unit_test(test_record_anomalies),
        cmocka_unit_test(test_handshake_too_long),
        cmocka_unit_test(test_truncated_hello),
        cmocka_unit_test(test_gap),
        cmocka_unit_test(test_sslv2_hello),
        cmocka_unit_test(test_alert),
        cmocka_unit_test(test_junk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
