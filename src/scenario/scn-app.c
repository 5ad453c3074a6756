/* scn-app.c - application protocols over scenario TCP sessions: TLS (with a
 * DER certificate for TLS 1.2), HTTP/1.1, SMTP submission, SSH and SMB2. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "scenario/scn-build.h"
#include "util/util.h"

/* ------------------------------------------------------------------ TLS */

/* RFC 8701 GREASE values: 0x0a0a, 0x1a1a, ... 0xfafa. */
static uint16_t grease(struct scn *s)
{
    uint16_t n = (uint16_t)scn_rng_range(&s->rng, 0, 15);
    return (uint16_t)(0x0a0a | (n << 12) | (n << 4));
}

static void tls_ext_begin(struct scn_buf *b, uint16_t type, size_t *mark)
{
    scn_buf_u16(b, type);
    *mark = scn_buf_mark(b, 2);
}

static void tls_alpn(struct scn_buf *b, const char *alpn)
{
    size_t m, l;
    tls_ext_begin(b, 0x0010, &m);
    l = scn_buf_mark(b, 2);
    const char *p = alpn;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        scn_buf_u8(b, (uint8_t)n);
        scn_buf_mem(b, p, n);
        p += n;
        if (*p == ',')
            p++;
    }
    scn_buf_patch(b, l, 2);
    scn_buf_patch(b, m, 2);
}

static void tls_u16_list_ext(struct scn_buf *b, uint16_t type, unsigned lenbytes, const uint16_t *v,
                             size_t n)
{
    size_t m, l;
    tls_ext_begin(b, type, &m);
    l = scn_buf_mark(b, lenbytes);
    for (size_t i = 0; i < n; i++)
        scn_buf_u16(b, v[i]);
    scn_buf_patch(b, l, lenbytes);
    scn_buf_patch(b, m, 2);
}

static void tls_client_hello(struct scn *s, struct scn_buf *rec, enum scn_tls_client prof,
                             const char *sni, const char *alpn)
{
    static const uint16_t cs_chrome[] = {0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f,
                                         0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013,
                                         0xc014, 0x009c, 0x009d, 0x002f, 0x0035};
    static const uint16_t cs_safari[] = {0x1301, 0x1302, 0x1303, 0xc02c, 0xc02b, 0xcca9, 0xc030,
                                         0xc02f, 0xcca8, 0xc00a, 0xc009, 0xc014, 0xc013, 0x009d,
                                         0x009c, 0x0035, 0x002f, 0xc008, 0xc012, 0x000a};
    static const uint16_t cs_firefox[] = {0x1301, 0x1303, 0x1302, 0xc02b, 0xc02f, 0xcca9,
                                          0xcca8, 0xc02c, 0xc030, 0xc00a, 0xc009, 0xc013,
                                          0xc014, 0x009c, 0x009d, 0x002f, 0x0035};
    static const uint16_t cs_old[] = {0xc02f, 0xc030, 0xc02b, 0xc02c, 0xc013, 0xc014,
                                      0x009c, 0x009d, 0x002f, 0x0035, 0x000a};
    static const uint16_t sig_modern[] = {0x0403, 0x0804, 0x0401, 0x0503,
                                          0x0805, 0x0501, 0x0806, 0x0601};
    static const uint16_t sig_old[] = {0x0401, 0x0501, 0x0201, 0x0403, 0x0503,
                                       0x0203, 0x0202, 0x0601, 0x0603};
    bool chrome = prof == SCN_TLS_CHROME, safari = prof == SCN_TLS_SAFARI;
    bool old = prof == SCN_TLS_OLD;
    bool gr = chrome || safari;
    const uint16_t *cs;
    size_t ncs, m, l, hs, exts;
    uint16_t g = grease(s);

    switch (prof) {
    case SCN_TLS_CHROME:
        cs = cs_chrome, ncs = ARRAY_SIZE(cs_chrome);
        break;
    case SCN_TLS_SAFARI:
        cs = cs_safari, ncs = ARRAY_SIZE(cs_safari);
        break;
    case SCN_TLS_OLD:
        cs = cs_old, ncs = ARRAY_SIZE(cs_old);
        break;
    default:
        cs = cs_firefox, ncs = ARRAY_SIZE(cs_firefox);
        break;
    }

    scn_buf_clear(rec);
    scn_buf_u8(rec, 22);
    scn_buf_u16(rec, 0x0301); /* record version of a first ClientHello */
    size_t rl = scn_buf_mark(rec, 2);
    scn_buf_u8(rec, 1);
    hs = scn_buf_mark(rec, 3);
    scn_buf_u16(rec, 0x0303);
    scn_buf_rand(rec, &s->rng, 32);
    if (old) {
        scn_buf_u8(rec, 0);
    } else {
        scn_buf_u8(rec, 32); /* middlebox compatibility session id (RFC 8446 D.4) */
        scn_buf_rand(rec, &s->rng, 32);
    }
    l = scn_buf_mark(rec, 2);
    if (gr)
        scn_buf_u16(rec, grease(s));
    for (size_t i = 0; i < ncs; i++)
        scn_buf_u16(rec, cs[i]);
    scn_buf_patch(rec, l, 2);
    scn_buf_u8(rec, 1);
    scn_buf_u8(rec, 0);
    exts = scn_buf_mark(rec, 2);

    if (gr) {
        scn_buf_u16(rec, g);
        scn_buf_u16(rec, 0);
    }
    if (sni) {
        tls_ext_begin(rec, 0x0000, &m);
        l = scn_buf_mark(rec, 2);
        scn_buf_u8(rec, 0); /* host_name */
        scn_buf_u16(rec, (uint16_t)strlen(sni));
        scn_buf_str(rec, sni);
        scn_buf_patch(rec, l, 2);
        scn_buf_patch(rec, m, 2);
    }
    if (old) {
        static const uint16_t groups[] = {0x0017, 0x0018};
        tls_u16_list_ext(rec, 0x000a, 2, groups, ARRAY_SIZE(groups));
        scn_buf_u16(rec, 0x000b); /* ec_point_formats: uncompressed */
        scn_buf_u16(rec, 2);
        scn_buf_u8(rec, 1);
        scn_buf_u8(rec, 0);
        tls_u16_list_ext(rec, 0x000d, 2, sig_old, ARRAY_SIZE(sig_old));
        scn_buf_u16(rec, 0x0023); /* session_ticket */
        scn_buf_u16(rec, 0);
        scn_buf_u16(rec, 0x0017); /* extended_master_secret */
        scn_buf_u16(rec, 0);
        scn_buf_u16(rec, 0xff01); /* renegotiation_info */
        scn_buf_u16(rec, 1);
        scn_buf_u8(rec, 0);
        if (alpn)
            tls_alpn(rec, alpn);
    } else {
        scn_buf_u16(rec, 0x0017);
        scn_buf_u16(rec, 0);
        scn_buf_u16(rec, 0xff01);
        scn_buf_u16(rec, 1);
        scn_buf_u8(rec, 0);
        {
            uint16_t groups[7];
            size_t n = 0;
            if (gr)
                groups[n++] = g;
            groups[n++] = 0x001d;
            groups[n++] = 0x0017;
            groups[n++] = 0x0018;
            if (!chrome)
                groups[n++] = 0x0019;
            if (prof == SCN_TLS_FIREFOX || prof == SCN_TLS_MAILER) {
                groups[n++] = 0x0100;
                groups[n++] = 0x0101;
            }
            tls_u16_list_ext(rec, 0x000a, 2, groups, n);
        }
        scn_buf_u16(rec, 0x000b);
        scn_buf_u16(rec, 2);
        scn_buf_u8(rec, 1);
        scn_buf_u8(rec, 0);
        if (!safari) {
            scn_buf_u16(rec, 0x0023);
            scn_buf_u16(rec, 0);
        }
        if (alpn)
            tls_alpn(rec, alpn);
        scn_buf_u16(rec, 0x0005); /* status_request: OCSP, no responders/extensions */
        scn_buf_u16(rec, 5);
        scn_buf_u8(rec, 1);
        scn_buf_u32(rec, 0);
        tls_u16_list_ext(rec, 0x000d, 2, sig_modern, ARRAY_SIZE(sig_modern));
        if (gr) {
            scn_buf_u16(rec, 0x0012); /* signed_certificate_timestamp */
            scn_buf_u16(rec, 0);
        }
        tls_ext_begin(rec, 0x0033, &m); /* key_share */
        l = scn_buf_mark(rec, 2);
        if (gr) {
            scn_buf_u16(rec, g);
            scn_buf_u16(rec, 1);
            scn_buf_u8(rec, 0);
        }
        scn_buf_u16(rec, 0x001d);
        scn_buf_u16(rec, 32);
        scn_buf_rand(rec, &s->rng, 32);
        if (prof == SCN_TLS_FIREFOX || prof == SCN_TLS_MAILER) {
            scn_buf_u16(rec, 0x0017);
            scn_buf_u16(rec, 65);
            scn_buf_u8(rec, 4);
            scn_buf_rand(rec, &s->rng, 64);
        }
        scn_buf_patch(rec, l, 2);
        scn_buf_patch(rec, m, 2);
        scn_buf_u16(rec, 0x002d); /* psk_key_exchange_modes: psk_dhe_ke */
        scn_buf_u16(rec, 2);
        scn_buf_u8(rec, 1);
        scn_buf_u8(rec, 1);
        {
            uint16_t vers[5];
            size_t n = 0;
            if (gr)
                vers[n++] = grease(s);
            vers[n++] = 0x0304;
            vers[n++] = 0x0303;
            if (safari) {
                vers[n++] = 0x0302;
                vers[n++] = 0x0301;
            }
            tls_ext_begin(rec, 0x002b, &m);
            scn_buf_u8(rec, (uint8_t)(2 * n));
            for (size_t i = 0; i < n; i++)
                scn_buf_u16(rec, vers[i]);
            scn_buf_patch(rec, m, 2);
        }
        if (gr) {
            scn_buf_u16(rec, 0x001b); /* compress_certificate */
            scn_buf_u16(rec, 3);
            scn_buf_u8(rec, 2);
            scn_buf_u16(rec, chrome ? 0x0002 : 0x0001);
        } else {
            scn_buf_u16(rec, 0x001c); /* record_size_limit */
            scn_buf_u16(rec, 2);
            scn_buf_u16(rec, 0x4001);
        }
        if (gr) {
            scn_buf_u16(rec, grease(s));
            scn_buf_u16(rec, 1);
            scn_buf_u8(rec, 0);
        }
    }
    scn_buf_patch(rec, exts, 2);
    scn_buf_patch(rec, hs, 3);
    scn_buf_patch(rec, rl, 2);
}

void scn_tls_client_hello(struct scn *s, struct scn_buf *rec, enum scn_tls_client prof,
                          const char *sni, const char *alpn)
{
    tls_client_hello(s, rec, prof, sni, alpn);
}

/* ---- a minimal DER X.509 certificate (RFC 5280) ---- */

static void der_len(struct scn_buf *b, size_t n)
{
    if (n < 128) {
        scn_buf_u8(b, (uint8_t)n);
    } else if (n < 256) {
        scn_buf_u8(b, 0x81);
        scn_buf_u8(b, (uint8_t)n);
    } else {
        scn_buf_u8(b, 0x82);
        scn_buf_u16(b, (uint16_t)n);
    }
}

static void der_tlv(struct scn_buf *b, uint8_t tag, const void *p, size_t n)
{
    scn_buf_u8(b, tag);
    der_len(b, n);
    scn_buf_mem(b, p, n);
}

/* Wraps everything in b from `from` on into a TLV with tag. */
static void der_wrap(struct scn_buf *b, size_t from, uint8_t tag)
{
    struct scn_buf tmp;
    scn_buf_init(&tmp);
    scn_buf_mem(&tmp, b->p + from, b->len - from);
    b->len = from;
    der_tlv(b, tag, tmp.p, tmp.len);
    scn_buf_free(&tmp);
}

static void der_oid(struct scn_buf *b, const uint8_t *enc, size_t n)
{
    der_tlv(b, 0x06, enc, n);
}

static void der_name(struct scn_buf *b, const char *org, const char *cn)
{
    static const uint8_t oid_c[] = {0x55, 0x04, 0x06};
    static const uint8_t oid_o[] = {0x55, 0x04, 0x0a};
    static const uint8_t oid_cn[] = {0x55, 0x04, 0x03};
    size_t name = b->len, set, seq;

    set = b->len;
    seq = b->len;
    der_oid(b, oid_c, sizeof(oid_c));
    der_tlv(b, 0x13, "JP", 2); /* PrintableString */
    der_wrap(b, seq, 0x30);
    der_wrap(b, set, 0x31);
    if (org) {
        set = b->len;
        seq = b->len;
        der_oid(b, oid_o, sizeof(oid_o));
        der_tlv(b, 0x0c, org, strlen(org)); /* UTF8String */
        der_wrap(b, seq, 0x30);
        der_wrap(b, set, 0x31);
    }
    set = b->len;
    seq = b->len;
    der_oid(b, oid_cn, sizeof(oid_cn));
    der_tlv(b, 0x0c, cn, strlen(cn));
    der_wrap(b, seq, 0x30);
    der_wrap(b, set, 0x31);
    der_wrap(b, name, 0x30);
}

static void der_alg_sha256rsa(struct scn_buf *b)
{
    static const uint8_t oid[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b};
    size_t at = b->len;
    der_oid(b, oid, sizeof(oid));
    der_tlv(b, 0x05, NULL, 0);
    der_wrap(b, at, 0x30);
}

static void tls_cert_ex(struct scn *s, struct scn_buf *b, const char *org, const char *cn,
                        const char *issuer_org, const char *issuer);

static void tls_cert(struct scn *s, struct scn_buf *b, const char *cn, const char *issuer)
{
    tls_cert_ex(s, b, NULL, cn, "Sakura Trust K.K.", issuer);
}

void scn_tls_cert(struct scn *s, struct scn_buf *b, const char *org, const char *cn,
                  const char *issuer_org, const char *issuer_cn)
{
    tls_cert_ex(s, b, org, cn, issuer_org, issuer_cn);
}

static void tls_cert_ex(struct scn *s, struct scn_buf *b, const char *org, const char *cn,
                        const char *issuer_org, const char *issuer)
{
    static const uint8_t oid_rsa[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};
    static const uint8_t oid_san[] = {0x55, 0x1d, 0x11};
    size_t cert = b->len, tbs, at, at2;
    uint8_t serial[16], mod[257];

    tbs = b->len;
    at = b->len;
    der_tlv(b, 0x02, "\x02", 1); /* version v3 */
    der_wrap(b, at, 0xa0);
    scn_rng_bytes(&s->rng, serial, sizeof(serial));
    serial[0] = (uint8_t)((serial[0] & 0x7f) | 0x01); /* positive, no leading zero */
    der_tlv(b, 0x02, serial, sizeof(serial));
    der_alg_sha256rsa(b);
    der_name(b, issuer_org, issuer);
    at = b->len;
    /* 90-day certificate around the scenario date */
    der_tlv(b, 0x17, "260915000000Z", 13);
    der_tlv(b, 0x17, "261214235959Z", 13);
    der_wrap(b, at, 0x30);
    der_name(b, org, cn);
    /* SubjectPublicKeyInfo: RSA 2048 */
    at = b->len;
    at2 = b->len;
    der_oid(b, oid_rsa, sizeof(oid_rsa));
    der_tlv(b, 0x05, NULL, 0);
    der_wrap(b, at2, 0x30);
    at2 = b->len;
    scn_buf_u8(b, 0); /* BIT STRING unused bits */
    size_t key = b->len;
    scn_rng_bytes(&s->rng, mod, sizeof(mod));
    mod[0] = 0;
    mod[1] |= 0x80;
    der_tlv(b, 0x02, mod, sizeof(mod));
    der_tlv(b, 0x02, "\x01\x00\x01", 3);
    der_wrap(b, key, 0x30);
    der_wrap(b, at2, 0x03);
    der_wrap(b, at, 0x30);
    /* extensions: subjectAltName dNSName = cn */
    at = b->len;
    at2 = b->len;
    der_oid(b, oid_san, sizeof(oid_san));
    {
        size_t os = b->len, gn = b->len;
        der_tlv(b, 0x82, cn, strlen(cn));
        der_wrap(b, gn, 0x30);
        der_wrap(b, os, 0x04);
    }
    der_wrap(b, at2, 0x30);
    der_wrap(b, at, 0x30);
    der_wrap(b, at, 0xa3);
    der_wrap(b, tbs, 0x30);
    der_alg_sha256rsa(b);
    at = b->len;
    scn_buf_u8(b, 0);
    scn_buf_rand(b, &s->rng, 256);
    der_wrap(b, at, 0x03);
    der_wrap(b, cert, 0x30);
}

static void tls_record_rand(struct scn *s, struct scn_buf *b, uint8_t type, size_t len)
{
    scn_buf_u8(b, type);
    scn_buf_u16(b, 0x0303);
    scn_buf_u16(b, (uint16_t)len);
    scn_buf_rand(b, &s->rng, len);
}

static void tls_ccs(struct scn_buf *b)
{
    scn_buf_u8(b, 20);
    scn_buf_u16(b, 0x0303);
    scn_buf_u16(b, 1);
    scn_buf_u8(b, 1);
}

/* First protocol of an ALPN list the server picks. */
static size_t alpn_first(const char *alpn, const char **p)
{
    const char *comma = strchr(alpn, ',');
    *p = alpn;
    return comma ? (size_t)(comma - alpn) : strlen(alpn);
}

void scn_tls_handshake(struct scn *s, struct scn_tcp *c, enum scn_tls_client prof, const char *sni,
                       const char *alpn, bool tls13, const char *cert_cn, const char *issuer_cn)
{
    struct scn_buf b;
    size_t rl, hs, m;
    uint8_t sid[32];

    if (prof == SCN_TLS_OLD)
        tls13 = false;
    scn_buf_init(&b);
    tls_client_hello(s, &b, prof, sni, alpn);
    /* session id offset: 5 record + 4 handshake + 2 version + 32 random */
    size_t sid_len = b.p[43];
    memcpy(sid, b.p + 44, sid_len);
    scn_tcp_send(s, c, 0, b.p, b.len);

    scn_buf_clear(&b);
    scn_buf_u8(&b, 22);
    scn_buf_u16(&b, 0x0303);
    rl = scn_buf_mark(&b, 2);
    scn_buf_u8(&b, 2);
    hs = scn_buf_mark(&b, 3);
    scn_buf_u16(&b, 0x0303);
    scn_buf_rand(&b, &s->rng, 32);
    if (tls13) {
        scn_buf_u8(&b, (uint8_t)sid_len);
        scn_buf_mem(&b, sid, sid_len);
        scn_buf_u16(&b, 0x1301);
        scn_buf_u8(&b, 0);
        size_t ex = scn_buf_mark(&b, 2);
        scn_buf_u16(&b, 0x0033);
        scn_buf_u16(&b, 36);
        scn_buf_u16(&b, 0x001d);
        scn_buf_u16(&b, 32);
        scn_buf_rand(&b, &s->rng, 32);
        scn_buf_u16(&b, 0x002b);
        scn_buf_u16(&b, 2);
        scn_buf_u16(&b, 0x0304);
        scn_buf_patch(&b, ex, 2);
        scn_buf_patch(&b, hs, 3);
        scn_buf_patch(&b, rl, 2);
        tls_ccs(&b);
        /* EncryptedExtensions, Certificate, CertificateVerify, Finished */
        tls_record_rand(s, &b, 23, scn_rng_range(&s->rng, 2400, 4800));
        tls_record_rand(s, &b, 23, 53);
        scn_tcp_send(s, c, 1, b.p, b.len);
        scn_buf_clear(&b);
        tls_ccs(&b);
        tls_record_rand(s, &b, 23, 53); /* client Finished */
        scn_tcp_send(s, c, 0, b.p, b.len);
    } else {
        scn_buf_u8(&b, 32);
        scn_buf_rand(&b, &s->rng, 32);
        scn_buf_u16(&b, 0xc02f); /* ECDHE-RSA-AES128-GCM-SHA256 */
        scn_buf_u8(&b, 0);
        size_t ex = scn_buf_mark(&b, 2);
        scn_buf_u16(&b, 0xff01);
        scn_buf_u16(&b, 1);
        scn_buf_u8(&b, 0);
        scn_buf_u16(&b, 0x0017);
        scn_buf_u16(&b, 0);
        scn_buf_u16(&b, 0x000b);
        scn_buf_u16(&b, 2);
        scn_buf_u8(&b, 1);
        scn_buf_u8(&b, 0);
        if (alpn) {
            const char *p;
            size_t n = alpn_first(alpn, &p);
            scn_buf_u16(&b, 0x0010);
            m = scn_buf_mark(&b, 2);
            scn_buf_u16(&b, (uint16_t)(n + 1));
            scn_buf_u8(&b, (uint8_t)n);
            scn_buf_mem(&b, p, n);
            scn_buf_patch(&b, m, 2);
        }
        scn_buf_patch(&b, ex, 2);
        scn_buf_patch(&b, hs, 3);
        /* Certificate */
        scn_buf_u8(&b, 11);
        hs = scn_buf_mark(&b, 3);
        size_t list = scn_buf_mark(&b, 3);
        size_t one = scn_buf_mark(&b, 3);
        tls_cert(s, &b, cert_cn ? cert_cn : (sni ? sni : "localhost"),
                 issuer_cn ? issuer_cn : "Sakura Trust RSA CA 2024");
        scn_buf_patch(&b, one, 3);
        scn_buf_patch(&b, list, 3);
        scn_buf_patch(&b, hs, 3);
        /* ServerKeyExchange: named curve x25519, RSA PKCS#1 SHA-256 signature */
        scn_buf_u8(&b, 12);
        hs = scn_buf_mark(&b, 3);
        scn_buf_u8(&b, 3);
        scn_buf_u16(&b, 0x001d);
        scn_buf_u8(&b, 32);
        scn_buf_rand(&b, &s->rng, 32);
        scn_buf_u16(&b, 0x0401);
        scn_buf_u16(&b, 256);
        scn_buf_rand(&b, &s->rng, 256);
        scn_buf_patch(&b, hs, 3);
        /* ServerHelloDone */
        scn_buf_u8(&b, 14);
        scn_buf_u24(&b, 0);
        scn_buf_patch(&b, rl, 2);
        scn_tcp_send(s, c, 1, b.p, b.len);

        scn_buf_clear(&b);
        scn_buf_u8(&b, 22);
        scn_buf_u16(&b, 0x0303);
        scn_buf_u16(&b, 37);
        scn_buf_u8(&b, 16); /* ClientKeyExchange */
        scn_buf_u24(&b, 33);
        scn_buf_u8(&b, 32);
        scn_buf_rand(&b, &s->rng, 32);
        tls_ccs(&b);
        tls_record_rand(s, &b, 22, 40); /* encrypted Finished */
        scn_tcp_send(s, c, 0, b.p, b.len);
        scn_buf_clear(&b);
        tls_ccs(&b);
        tls_record_rand(s, &b, 22, 40);
        scn_tcp_send(s, c, 1, b.p, b.len);
    }
    scn_buf_free(&b);
}

void scn_tls_data(struct scn *s, struct scn_tcp *c, int dir, size_t len)
{
    struct scn_buf b;
    scn_buf_init(&b);
    while (len) {
        size_t n = MIN(len, (size_t)16384);
        /* AEAD: 16-byte tag (+ 1 content type byte in TLS 1.3) */
        tls_record_rand(s, &b, 23, n + 17);
        len -= n;
    }
    scn_tcp_send(s, c, dir, b.p, b.len);
    scn_buf_free(&b);
}

void scn_https_visit(struct scn *s, struct scn_host *cli, struct scn_host *srv, const char *sni,
                     enum scn_tls_client prof, bool tls13, uint64_t t0, uint64_t rtt_us,
                     unsigned exchanges, size_t up, size_t down)
{
    struct scn_tcp c;
    const char *alpn = prof == SCN_TLS_OLD ? "http/1.1" : "h2,http/1.1";

    scn_tcp_open(s, &c, cli, srv, 0, 443, false, t0, rtt_us);
    scn_tls_handshake(s, &c, prof, sni, alpn, tls13, sni, NULL);
    for (unsigned i = 0; i < exchanges; i++) {
        size_t u = up / (exchanges ? exchanges : 1) + scn_rng_range(&s->rng, 30, 400);
        size_t d = down / (exchanges ? exchanges : 1) + scn_rng_range(&s->rng, 40, 900);
        scn_tls_data(s, &c, 0, u);
        scn_tcp_wait(&c, scn_rng_range(&s->rng, 2 * SCN_MS, 40 * SCN_MS));
        scn_tls_data(s, &c, 1, d);
        scn_tcp_wait(&c, scn_rng_range(&s->rng, 50 * SCN_MS, 4 * SCN_SEC));
    }
    /* Browsers keep connections open; most end with the client's FIN after
     * an idle period, some with the server's. */
    scn_tcp_wait(&c, scn_rng_range(&s->rng, 5 * SCN_SEC, 60 * SCN_SEC));
    if (tls13 || (scn_rng_next(&s->rng) & 3) != 0) {
        struct scn_buf alert;
        scn_buf_init(&alert);
        tls_record_rand(s, &alert, 21, 19); /* close_notify, encrypted */
        scn_tcp_send(s, &c, 0, alert.p, alert.len);
        scn_buf_free(&alert);
        scn_tcp_close(s, &c, 0);
    } else {
        scn_tcp_close(s, &c, 1);
    }
}

/* ----------------------------------------------------------------- HTTP */

static void http_date(char *out, size_t n, uint64_t ts_us)
{
    time_t t = (time_t)(ts_us / SCN_SEC);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, n, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

/* Exactly len bytes of plausible body text. */
static void http_body(struct scn_buf *b, const char *ctype, size_t len)
{
    static const char head[] = "<!DOCTYPE html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\">"
                               "<title>Portal</title></head>\n<body>\n";
    static const char tail[] = "</body></html>\n";
    static const char para[] = "<p>Notice: system maintenance is scheduled this weekend.</p>\n";
    size_t start = b->len;
    bool html = ctype && strncmp(ctype, "text/html", 9) == 0;

    if (html && len >= sizeof(head) + sizeof(tail)) {
        scn_buf_str(b, head);
        while (b->len - start + sizeof(para) - 1 + sizeof(tail) - 1 <= len)
            scn_buf_str(b, para);
        while (b->len - start + sizeof(tail) - 1 < len)
            scn_buf_u8(b, ' ');
        scn_buf_str(b, tail);
    } else {
        static const char txt[] = "Microsoft Connect Test ";
        for (size_t i = 0; i < len; i++)
            scn_buf_u8(b, (uint8_t)txt[i % (sizeof(txt) - 1)]);
    }
}

static const char *http_reason(unsigned status)
{
    switch (status) {
    case 200:
        return "OK";
    case 204:
        return "No Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 304:
        return "Not Modified";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    default:
        return "Internal Server Error";
    }
}

void scn_http_exchange(struct scn *s, struct scn_tcp *c, const char *method, const char *host,
                       const char *path, const char *ua, const char *req_ctype,
                       const char *req_body, unsigned status, const char *resp_ctype,
                       size_t resp_len)
{
    struct scn_buf b;
    char date[64];

    scn_buf_init(&b);
    scn_buf_fmt(&b, "%s %s HTTP/1.1\r\nHost: %s\r\n", method, path, host);
    if (ua)
        scn_buf_fmt(&b, "User-Agent: %s\r\n", ua);
    scn_buf_str(&b, "Accept: */*\r\nAccept-Language: ja-JP,ja;q=0.9,en;q=0.8\r\n"
                    "Connection: keep-alive\r\n");
    if (req_body)
        scn_buf_fmt(&b, "Content-Type: %s\r\nContent-Length: %zu\r\n",
                    req_ctype ? req_ctype : "application/x-www-form-urlencoded", strlen(req_body));
    scn_buf_str(&b, "\r\n");
    if (req_body)
        scn_buf_str(&b, req_body);
    scn_tcp_send(s, c, 0, b.p, b.len);

    scn_tcp_wait(c, scn_rng_range(&s->rng, 1 * SCN_MS, 30 * SCN_MS));
    http_date(date, sizeof(date), c->t);
    scn_buf_clear(&b);
    scn_buf_fmt(&b, "HTTP/1.1 %u %s\r\nDate: %s\r\nServer: nginx\r\n", status, http_reason(status),
                date);
    if (resp_len || status == 200)
        scn_buf_fmt(&b, "Content-Type: %s\r\n", resp_ctype ? resp_ctype : "text/html");
    scn_buf_fmt(&b, "Content-Length: %zu\r\nConnection: keep-alive\r\n\r\n", resp_len);
    http_body(&b, resp_ctype, resp_len);
    scn_tcp_send(s, c, 1, b.p, b.len);
    scn_buf_free(&b);
}

/* ----------------------------------------------------------------- SMTP */

static void base64(struct scn_buf *b, const char *in)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const uint8_t *p = (const uint8_t *)in;
    size_t n = strlen(in);

    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        scn_buf_u8(b, (uint8_t)tab[(v >> 18) & 63]);
        scn_buf_u8(b, (uint8_t)tab[(v >> 12) & 63]);
        scn_buf_u8(b, (uint8_t)(i + 1 < n ? tab[(v >> 6) & 63] : '='));
        scn_buf_u8(b, (uint8_t)(i + 2 < n ? tab[v & 63] : '='));
    }
}

/* One command line from the client and the server's reply. */
static void smtp_say(struct scn *s, struct scn_tcp *c, struct scn_buf *b, const char *cmd,
                     const char *reply)
{
    scn_tcp_send(s, c, 0, cmd, strlen(cmd));
    scn_tcp_wait(c, scn_rng_range(&s->rng, 200, 3 * SCN_MS));
    scn_buf_clear(b);
    scn_buf_str(b, reply);
    scn_tcp_send(s, c, 1, b->p, b->len);
    scn_tcp_wait(c, scn_rng_range(&s->rng, 300, 5 * SCN_MS));
}

void scn_smtp_session(struct scn *s, struct scn_host *cli, struct scn_host *srv, uint16_t port,
                      uint64_t t0, uint64_t rtt_us, const char *ehlo, bool starttls,
                      const char *server_name, const char *user, const char *pass, const char *from,
                      const char *to)
{
    struct scn_tcp c;
    struct scn_buf b, cmd;

    scn_buf_init(&b);
    scn_buf_init(&cmd);
    scn_tcp_open(s, &c, cli, srv, 0, port, false, t0, rtt_us);
    scn_buf_fmt(&b, "220 %s ESMTP Postfix\r\n", server_name);
    scn_tcp_send(s, &c, 1, b.p, b.len);
    scn_buf_clear(&cmd);
    scn_buf_fmt(&cmd, "EHLO %s\r\n", ehlo);
    scn_buf_u8(&cmd, 0);
    scn_buf_clear(&b);
    scn_buf_fmt(&b,
                "250-%s\r\n250-PIPELINING\r\n250-SIZE 20480000\r\n250-STARTTLS\r\n"
                "250-AUTH PLAIN LOGIN\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n"
                "250 SMTPUTF8\r\n",
                server_name);
    scn_buf_u8(&b, 0);
    smtp_say(s, &c, &cmd, (const char *)cmd.p, (const char *)b.p);

    if (starttls) {
        smtp_say(s, &c, &b, "STARTTLS\r\n", "220 2.0.0 Ready to start TLS\r\n");
        scn_tls_handshake(s, &c, SCN_TLS_MAILER, server_name, NULL, true, server_name, NULL);
        /* EHLO, AUTH, MAIL, RCPT, DATA, message, QUIT: sizes only */
        static const size_t up[] = {24, 48, 40, 36, 8, 0, 8};
        static const size_t down[] = {180, 40, 16, 16, 40, 40, 20};
        for (size_t i = 0; i < ARRAY_SIZE(up); i++) {
            size_t u = up[i] ? up[i] : scn_rng_range(&s->rng, 3000, 60000);
            scn_tls_data(s, &c, 0, u);
            scn_tcp_wait(&c, scn_rng_range(&s->rng, 1 * SCN_MS, 20 * SCN_MS));
            scn_tls_data(s, &c, 1, down[i]);
        }
        scn_tcp_close(s, &c, 1);
    } else {
        char line[256];
        smtp_say(s, &c, &b, "AUTH LOGIN\r\n", "334 VXNlcm5hbWU6\r\n");
        scn_buf_clear(&cmd);
        base64(&cmd, user);
        scn_buf_str(&cmd, "\r\n");
        scn_buf_u8(&cmd, 0);
        smtp_say(s, &c, &b, (const char *)cmd.p, "334 UGFzc3dvcmQ6\r\n");
        scn_buf_clear(&cmd);
        base64(&cmd, pass);
        scn_buf_str(&cmd, "\r\n");
        scn_buf_u8(&cmd, 0);
        smtp_say(s, &c, &b, (const char *)cmd.p, "235 2.7.0 Authentication successful\r\n");
        snprintf(line, sizeof(line), "MAIL FROM:<%s>\r\n", from);
        smtp_say(s, &c, &b, line, "250 2.1.0 Ok\r\n");
        snprintf(line, sizeof(line), "RCPT TO:<%s>\r\n", to);
        smtp_say(s, &c, &b, line, "250 2.1.5 Ok\r\n");
        smtp_say(s, &c, &b, "DATA\r\n", "354 End data with <CR><LF>.<CR><LF>\r\n");
        char date[64];
        http_date(date, sizeof(date), c.t);
        scn_buf_clear(&cmd);
        scn_buf_fmt(&cmd,
                    "From: <%s>\r\nTo: <%s>\r\nSubject: =?ISO-2022-JP?B?GyRCN248IUpzOXAbKEI=?=\r\n"
                    "Date: %s\r\nMessage-ID: <%08x.%s>\r\nMIME-Version: 1.0\r\n"
                    "Content-Type: text/plain; charset=ISO-2022-JP\r\n"
                    "Content-Transfer-Encoding: 7bit\r\nX-Mailer: Microsoft Outlook 14.0\r\n\r\n",
                    from, to, date, (uint32_t)scn_rng_next(&s->rng), from);
        scn_buf_str(&cmd, "\x1b$B$*Hh$lMM$G$9!#7PM}$NEDCf$G$9!#\x1b(B\r\n"
                          "11\x1b$B7nJ,$N@A5a=q$rAwIU$$$?$7$^$9!#\x1b(B\r\n"
                          "\x1b$B$h$m$7$/$*4j$$$$$?$7$^$9!#\x1b(B\r\n.\r\n");
        scn_buf_u8(&cmd, 0);
        snprintf(line, sizeof(line), "250 2.0.0 Ok: queued as 4N%05X\r\n",
                 (unsigned)(scn_rng_next(&s->rng) & 0xfffff));
        smtp_say(s, &c, &b, (const char *)cmd.p, line);
        smtp_say(s, &c, &b, "QUIT\r\n", "221 2.0.0 Bye\r\n");
        scn_tcp_close(s, &c, 1);
    }
    scn_buf_free(&b);
    scn_buf_free(&cmd);
}

/* ------------------------------------------------------------------ SSH */

static void ssh_string(struct scn_buf *b, const char *str)
{
    scn_buf_u32(b, (uint32_t)strlen(str));
    scn_buf_str(b, str);
}

/* RFC 4253 6: packet_length, padding_length, payload, random padding; the
 * whole packet a multiple of 8 bytes with at least 4 bytes of padding. */
static void ssh_packet(struct scn *s, struct scn_buf *out, const struct scn_buf *payload)
{
    size_t pad = 8 - (5 + payload->len) % 8;
    if (pad < 4)
        pad += 8;
    scn_buf_u32(out, (uint32_t)(1 + payload->len + pad));
    scn_buf_u8(out, (uint8_t)pad);
    scn_buf_mem(out, payload->p, payload->len);
    scn_buf_rand(out, &s->rng, pad);
}

static void ssh_kexinit(struct scn *s, struct scn_buf *out, bool server)
{
    struct scn_buf p;
    scn_buf_init(&p);
    scn_buf_u8(&p, 20);
    scn_buf_rand(&p, &s->rng, 16);
    ssh_string(&p, server ? "curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,"
                            "ecdh-sha2-nistp384,ecdh-sha2-nistp521,"
                            "diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,"
                            "diffie-hellman-group18-sha512,diffie-hellman-group14-sha256,"
                            "kex-strict-s-v00@openssh.com"
                          : "curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,"
                            "ecdh-sha2-nistp384,ecdh-sha2-nistp521,"
                            "diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,"
                            "diffie-hellman-group14-sha256,ext-info-c,"
                            "kex-strict-c-v00@openssh.com");
    ssh_string(&p, server ? "rsa-sha2-512,rsa-sha2-256"
                          : "ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh"
                            ".com,ssh-ed25519,ecdsa-sha2-nistp256,rsa-sha2-512,rsa-sha2-256");
    for (int i = 0; i < 2; i++)
        ssh_string(&p, "chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,"
                       "aes128-gcm@openssh.com,aes256-gcm@openssh.com");
    for (int i = 0; i < 2; i++)
        ssh_string(&p, "umac-64-etm@openssh.com,umac-128-etm@openssh.com,"
                       "hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,"
                       "hmac-sha1-etm@openssh.com,umac-64@openssh.com,umac-128@openssh.com,"
                       "hmac-sha2-256,hmac-sha2-512,hmac-sha1");
    for (int i = 0; i < 2; i++)
        ssh_string(&p, server ? "none,zlib@openssh.com" : "none");
    ssh_string(&p, "");
    ssh_string(&p, "");
    scn_buf_u8(&p, 0);
    scn_buf_u32(&p, 0);
    ssh_packet(s, out, &p);
    scn_buf_free(&p);
}

void scn_ssh_session(struct scn *s, struct scn_host *cli, struct scn_host *srv, uint64_t t0,
                     uint64_t rtt_us, const char *cli_banner, const char *srv_banner,
                     unsigned keystrokes)
{
    struct scn_tcp c;
    struct scn_buf b, p;

    scn_buf_init(&b);
    scn_buf_init(&p);
    scn_tcp_open(s, &c, cli, srv, 0, 22, false, t0, rtt_us);
    scn_buf_fmt(&b, "%s\r\n", srv_banner);
    scn_tcp_send(s, &c, 1, b.p, b.len);
    scn_buf_clear(&b);
    scn_buf_fmt(&b, "%s\r\n", cli_banner);
    scn_tcp_send(s, &c, 0, b.p, b.len);
    scn_buf_clear(&b);
    ssh_kexinit(s, &b, false);
    scn_tcp_send(s, &c, 0, b.p, b.len);
    scn_buf_clear(&b);
    ssh_kexinit(s, &b, true);
    scn_tcp_send(s, &c, 1, b.p, b.len);

    /* SSH_MSG_KEX_ECDH_INIT (RFC 5656 4) */
    scn_buf_clear(&b);
    scn_buf_clear(&p);
    scn_buf_u8(&p, 30);
    scn_buf_u32(&p, 32);
    scn_buf_rand(&p, &s->rng, 32);
    ssh_packet(s, &b, &p);
    scn_tcp_send(s, &c, 0, b.p, b.len);
    /* KEX_ECDH_REPLY: host key, server key, signature; then NEWKEYS */
    scn_buf_clear(&b);
    scn_buf_clear(&p);
    scn_buf_u8(&p, 31);
    /* host key: ssh-rsa, e and n (RFC 4253 6.6) */
    {
        uint8_t n[257];
        scn_rng_bytes(&s->rng, n, sizeof(n));
        n[0] = 0;
        n[1] |= 0x80;
        scn_buf_u32(&p, 4 + 7 + 4 + 3 + 4 + 257);
        ssh_string(&p, "ssh-rsa");
        scn_buf_u32(&p, 3);
        scn_buf_mem(&p, "\x01\x00\x01", 3);
        scn_buf_u32(&p, 257);
        scn_buf_mem(&p, n, sizeof(n));
    }
    scn_buf_u32(&p, 32); /* Q_S */
    scn_buf_rand(&p, &s->rng, 32);
    /* signature: rsa-sha2-512 (RFC 8332 3) */
    scn_buf_u32(&p, 4 + 12 + 4 + 256);
    ssh_string(&p, "rsa-sha2-512");
    scn_buf_u32(&p, 256);
    scn_buf_rand(&p, &s->rng, 256);
    ssh_packet(s, &b, &p);
    scn_buf_clear(&p);
    scn_buf_u8(&p, 21);
    ssh_packet(s, &b, &p);
    scn_tcp_send(s, &c, 1, b.p, b.len);
    scn_buf_clear(&b);
    ssh_packet(s, &b, &p); /* client NEWKEYS */
    scn_tcp_send(s, &c, 0, b.p, b.len);

    /* Encrypted from here (chacha20-poly1305: 4 + payload + 16 tag):
     * service request, user auth, channel open, pty, shell... */
    static const size_t up[] = {52, 68, 468, 112, 384, 52};
    static const size_t down[] = {52, 84, 52, 52, 36, 740};
    for (size_t i = 0; i < ARRAY_SIZE(up); i++) {
        scn_tcp_send_rand(s, &c, 0, up[i]);
        scn_tcp_send_rand(s, &c, 1, down[i]);
    }
    /* Typing: each keystroke goes out and is echoed. */
    for (unsigned i = 0; i < keystrokes; i++) {
        scn_tcp_wait(&c, scn_rng_range(&s->rng, 80 * SCN_MS, 900 * SCN_MS));
        scn_tcp_send_rand(s, &c, 0, 36);
        scn_tcp_send_rand(s, &c, 1, 36);
        if (i % 12 == 11) /* a command's output */
            scn_tcp_send_rand(s, &c, 1, scn_rng_range(&s->rng, 200, 6000));
    }
    scn_tcp_wait(&c, scn_rng_range(&s->rng, 1 * SCN_SEC, 5 * SCN_SEC));
    scn_tcp_send_rand(s, &c, 0, 36);
    scn_tcp_send_rand(s, &c, 1, 116);
    scn_tcp_close(s, &c, 0);
    scn_buf_free(&b);
    scn_buf_free(&p);
}

/* ----------------------------------------------------------------- SMB2 */

struct smb2 {
    struct scn_tcp c;
    uint64_t msg_id;
    uint64_t session;
    uint32_t tree;
};

static uint64_t filetime(uint64_t us)
{
    /* 100 ns units since 1601-01-01 */
    return (us + 11644473600ull * SCN_SEC) * 10;
}

static void smb2_hdr(struct scn_buf *b, const struct smb2 *m, uint16_t cmd, bool resp,
                     uint32_t status)
{
    scn_buf_mem(b, "\xfeSMB", 4);
    scn_buf_le16(b, 64);
    scn_buf_le16(b, 1); /* credit charge */
    scn_buf_le32(b, status);
    scn_buf_le16(b, cmd);
    scn_buf_le16(b, resp ? 32 : 31); /* credits granted / requested */
    scn_buf_le32(b, resp ? 1 : 0);   /* SMB2_FLAGS_SERVER_TO_REDIR */
    scn_buf_le32(b, 0);
    scn_buf_le64(b, m->msg_id);
    scn_buf_le32(b, 0xfeff); /* process id */
    scn_buf_le32(b, m->tree);
    scn_buf_le64(b, m->session);
    scn_buf_zero(b, 16); /* unsigned */
}

/* NetBIOS session message framing for direct TCP (MS-SMB2 2.1). */
static void smb2_send(struct scn *s, struct smb2 *m, int dir, struct scn_buf *msg)
{
    struct scn_buf f;
    scn_buf_init(&f);
    scn_buf_u8(&f, 0);
    scn_buf_u24(&f, (uint32_t)msg->len);
    scn_buf_mem(&f, msg->p, msg->len);
    scn_tcp_send(s, &m->c, dir, f.p, f.len);
    scn_buf_free(&f);
    scn_buf_clear(msg);
}

static void ntlm_field(struct scn_buf *b, size_t len, size_t off)
{
    scn_buf_le16(b, (uint16_t)len);
    scn_buf_le16(b, (uint16_t)len);
    scn_buf_le32(b, (uint32_t)off);
}

static void ntlm_version(struct scn_buf *b)
{
    /* Windows 10.0 build 19041, NTLM revision 15 */
    scn_buf_mem(b, "\x0a\x00\x61\x4a\x00\x00\x00\x0f", 8);
}

static void ntlm_av(struct scn_buf *b, uint16_t id, const char *ascii)
{
    scn_buf_le16(b, id);
    scn_buf_le16(b, (uint16_t)(2 * strlen(ascii)));
    scn_buf_utf16(b, ascii);
}

static void ntlm_target_info(struct scn_buf *b, const char *domain, const char *server,
                             uint64_t now_us)
{
    char dns[96], fqdn[128];
    snprintf(dns, sizeof(dns), "%s.local", domain);
    snprintf(fqdn, sizeof(fqdn), "%s.%s", server, dns);
    ntlm_av(b, 2, domain);
    ntlm_av(b, 1, server);
    ntlm_av(b, 4, dns);
    ntlm_av(b, 3, fqdn);
    scn_buf_le16(b, 7);
    scn_buf_le16(b, 8);
    scn_buf_le64(b, filetime(now_us));
    scn_buf_le32(b, 0); /* MsvAvEOL */
}

static void smb2_session_setup_req(struct scn_buf *b, const struct scn_buf *blob)
{
    scn_buf_le16(b, 25);
    scn_buf_u8(b, 0);
    scn_buf_u8(b, 1);   /* signing enabled */
    scn_buf_le32(b, 1); /* DFS */
    scn_buf_le32(b, 0);
    scn_buf_le16(b, 64 + 24);
    scn_buf_le16(b, (uint16_t)blob->len);
    scn_buf_le64(b, 0);
    scn_buf_mem(b, blob->p, blob->len);
}

static void smb2_session_setup_resp(struct scn_buf *b, const struct scn_buf *blob)
{
    scn_buf_le16(b, 9);
    scn_buf_le16(b, 0);
    scn_buf_le16(b, blob && blob->len ? 64 + 8 : 0);
    scn_buf_le16(b, blob ? (uint16_t)blob->len : 0);
    if (blob)
        scn_buf_mem(b, blob->p, blob->len);
}

void scn_smb2_session(struct scn *s, struct scn_host *cli, struct scn_host *srv, uint64_t t0,
                      const char *domain, const char *user, const char *share_path, unsigned reads)
{
    struct smb2 m;
    struct scn_buf b, blob;
    uint8_t guid[16], file_id[16];

    memset(&m, 0, sizeof(m));
    scn_buf_init(&b);
    scn_buf_init(&blob);
    scn_tcp_open(s, &m.c, cli, srv, 0, 445, false, t0, scn_rng_range(&s->rng, 150, 600));

    /* NEGOTIATE: dialects 2.0.2 - 3.0.2 */
    smb2_hdr(&b, &m, 0, false, 0);
    scn_buf_le16(&b, 36);
    scn_buf_le16(&b, 4);
    scn_buf_le16(&b, 1);
    scn_buf_le16(&b, 0);
    scn_buf_le32(&b, 0x7f);
    scn_buf_rand(&b, &s->rng, 16);
    scn_buf_le64(&b, 0);
    scn_buf_le16(&b, 0x0202);
    scn_buf_le16(&b, 0x0210);
    scn_buf_le16(&b, 0x0300);
    scn_buf_le16(&b, 0x0302);
    smb2_send(s, &m, 0, &b);
    smb2_hdr(&b, &m, 0, true, 0);
    scn_buf_le16(&b, 65);
    scn_buf_le16(&b, 1);
    scn_buf_le16(&b, 0x0302);
    scn_buf_le16(&b, 0);
    scn_rng_bytes(&s->rng, guid, sizeof(guid));
    scn_buf_mem(&b, guid, 16);
    scn_buf_le32(&b, 0x2f);
    scn_buf_le32(&b, 8388608);
    scn_buf_le32(&b, 8388608);
    scn_buf_le32(&b, 8388608);
    scn_buf_le64(&b, filetime(m.c.t));
    scn_buf_le64(&b, 0);
    scn_buf_le16(&b, 0);
    scn_buf_le16(&b, 0);
    scn_buf_le32(&b, 0);
    smb2_send(s, &m, 1, &b);
    m.msg_id++;

    /* SESSION_SETUP 1: NTLMSSP_NEGOTIATE */
    scn_buf_clear(&blob);
    scn_buf_mem(&blob, "NTLMSSP", 8);
    scn_buf_le32(&blob, 1);
    scn_buf_le32(&blob, 0xe2088297);
    ntlm_field(&blob, 0, 0);
    ntlm_field(&blob, 0, 0);
    ntlm_version(&blob);
    smb2_hdr(&b, &m, 1, false, 0);
    smb2_session_setup_req(&b, &blob);
    smb2_send(s, &m, 0, &b);
    /* response: NTLMSSP_CHALLENGE, STATUS_MORE_PROCESSING_REQUIRED */
    m.session = 0x0000400000000000ull | (scn_rng_next(&s->rng) & 0xffffffull);
    struct scn_buf ti;
    scn_buf_init(&ti);
    ntlm_target_info(&ti, domain, srv->name, m.c.t);
    size_t tn_len = 2 * strlen(domain);
    scn_buf_clear(&blob);
    scn_buf_mem(&blob, "NTLMSSP", 8);
    scn_buf_le32(&blob, 2);
    ntlm_field(&blob, tn_len, 56);
    scn_buf_le32(&blob, 0xe28a8215);
    scn_buf_rand(&blob, &s->rng, 8);
    scn_buf_zero(&blob, 8);
    ntlm_field(&blob, ti.len, 56 + tn_len);
    ntlm_version(&blob);
    scn_buf_utf16(&blob, domain);
    scn_buf_mem(&blob, ti.p, ti.len);
    smb2_hdr(&b, &m, 1, true, 0xc0000016);
    smb2_session_setup_resp(&b, &blob);
    smb2_send(s, &m, 1, &b);
    m.msg_id++;

    /* SESSION_SETUP 2: NTLMSSP_AUTH with an NTLMv2 response */
    scn_tcp_wait(&m.c, scn_rng_range(&s->rng, 1 * SCN_MS, 8 * SCN_MS));
    {
        struct scn_buf nt;
        scn_buf_init(&nt);
        scn_buf_rand(&nt, &s->rng, 16); /* NTProofStr */
        scn_buf_mem(&nt, "\x01\x01\x00\x00\x00\x00\x00\x00", 8);
        scn_buf_le64(&nt, filetime(m.c.t));
        scn_buf_rand(&nt, &s->rng, 8);
        scn_buf_le32(&nt, 0);
        scn_buf_mem(&nt, ti.p, ti.len);
        scn_buf_le32(&nt, 0);
        size_t dl = 2 * strlen(domain), ul = 2 * strlen(user), wl = 2 * strlen(cli->name);
        size_t off = 88;
        scn_buf_clear(&blob);
        scn_buf_mem(&blob, "NTLMSSP", 8);
        scn_buf_le32(&blob, 3);
        ntlm_field(&blob, 24, off + dl + ul + wl);               /* LM */
        ntlm_field(&blob, nt.len, off + dl + ul + wl + 24);      /* NT */
        ntlm_field(&blob, dl, off);                              /* domain */
        ntlm_field(&blob, ul, off + dl);                         /* user */
        ntlm_field(&blob, wl, off + dl + ul);                    /* workstation */
        ntlm_field(&blob, 16, off + dl + ul + wl + 24 + nt.len); /* session key */
        scn_buf_le32(&blob, 0xe2888215);
        ntlm_version(&blob);
        scn_buf_rand(&blob, &s->rng, 16); /* MIC */
        scn_buf_utf16(&blob, domain);
        scn_buf_utf16(&blob, user);
        scn_buf_utf16(&blob, cli->name);
        scn_buf_zero(&blob, 24);
        scn_buf_mem(&blob, nt.p, nt.len);
        scn_buf_rand(&blob, &s->rng, 16);
        scn_buf_free(&nt);
    }
    scn_buf_free(&ti);
    smb2_hdr(&b, &m, 1, false, 0);
    smb2_session_setup_req(&b, &blob);
    smb2_send(s, &m, 0, &b);
    smb2_hdr(&b, &m, 1, true, 0);
    smb2_session_setup_resp(&b, NULL);
    smb2_send(s, &m, 1, &b);
    m.msg_id++;

    /* TREE_CONNECT */
    scn_buf_clear(&blob);
    scn_buf_utf16(&blob, share_path);
    smb2_hdr(&b, &m, 3, false, 0);
    scn_buf_le16(&b, 9);
    scn_buf_le16(&b, 0);
    scn_buf_le16(&b, 64 + 8);
    scn_buf_le16(&b, (uint16_t)blob.len);
    scn_buf_mem(&b, blob.p, blob.len);
    smb2_send(s, &m, 0, &b);
    m.tree = (uint32_t)scn_rng_range(&s->rng, 1, 9);
    smb2_hdr(&b, &m, 3, true, 0);
    scn_buf_le16(&b, 16);
    scn_buf_u8(&b, 1); /* disk */
    scn_buf_u8(&b, 0);
    scn_buf_le32(&b, 0x00000800);
    scn_buf_le32(&b, 0);
    scn_buf_le32(&b, 0x001f01ff);
    smb2_send(s, &m, 1, &b);
    m.msg_id++;

    /* CREATE a file, READ it in 64 KiB pieces, CLOSE */
    scn_tcp_wait(&m.c, scn_rng_range(&s->rng, 20 * SCN_MS, 400 * SCN_MS));
    scn_buf_clear(&blob);
    scn_buf_utf16(&blob, "keiri\\2026-11_seikyu.xlsx");
    smb2_hdr(&b, &m, 5, false, 0);
    scn_buf_le16(&b, 57);
    scn_buf_u8(&b, 0);
    scn_buf_u8(&b, 0);
    scn_buf_le32(&b, 2); /* impersonation */
    scn_buf_le64(&b, 0);
    scn_buf_le64(&b, 0);
    scn_buf_le32(&b, 0x00120089); /* read data/attributes/EA, sync */
    scn_buf_le32(&b, 0x80);
    scn_buf_le32(&b, 7);
    scn_buf_le32(&b, 1); /* FILE_OPEN */
    scn_buf_le32(&b, 0x44);
    scn_buf_le16(&b, 64 + 56);
    scn_buf_le16(&b, (uint16_t)blob.len);
    scn_buf_le32(&b, 0);
    scn_buf_le32(&b, 0);
    scn_buf_mem(&b, blob.p, blob.len);
    smb2_send(s, &m, 0, &b);
    size_t fsize = (size_t)reads * 65536 - scn_rng_range(&s->rng, 100, 30000);
    uint64_t ft = filetime(m.c.t - 3 * 24 * 3600 * SCN_SEC);
    scn_rng_bytes(&s->rng, file_id, sizeof(file_id));
    smb2_hdr(&b, &m, 5, true, 0);
    scn_buf_le16(&b, 89);
    scn_buf_u8(&b, 0);
    scn_buf_u8(&b, 0);
    scn_buf_le32(&b, 1); /* FILE_OPENED */
    for (int i = 0; i < 4; i++)
        scn_buf_le64(&b, ft);
    scn_buf_le64(&b, (fsize + 4095) & ~(size_t)4095);
    scn_buf_le64(&b, fsize);
    scn_buf_le32(&b, 0x20);
    scn_buf_le32(&b, 0);
    scn_buf_mem(&b, file_id, 16);
    scn_buf_le32(&b, 0);
    scn_buf_le32(&b, 0);
    smb2_send(s, &m, 1, &b);
    m.msg_id++;

    for (size_t off = 0; off < fsize; off += 65536) {
        size_t n = MIN((size_t)65536, fsize - off);
        smb2_hdr(&b, &m, 8, false, 0);
        scn_buf_le16(&b, 49);
        scn_buf_u8(&b, 0x50);
        scn_buf_u8(&b, 0);
        scn_buf_le32(&b, 65536);
        scn_buf_le64(&b, off);
        scn_buf_mem(&b, file_id, 16);
        scn_buf_le32(&b, 1);
        scn_buf_le32(&b, 0);
        scn_buf_le32(&b, 0);
        scn_buf_le16(&b, 0);
        scn_buf_le16(&b, 0);
        scn_buf_u8(&b, 0);
        smb2_send(s, &m, 0, &b);
        smb2_hdr(&b, &m, 8, true, 0);
        scn_buf_le16(&b, 17);
        scn_buf_u8(&b, 0x50);
        scn_buf_u8(&b, 0);
        scn_buf_le32(&b, (uint32_t)n);
        scn_buf_le32(&b, 0);
        scn_buf_le32(&b, 0);
        scn_buf_rand(&b, &s->rng, n);
        smb2_send(s, &m, 1, &b);
        m.msg_id++;
    }

    smb2_hdr(&b, &m, 6, false, 0);
    scn_buf_le16(&b, 24);
    scn_buf_le16(&b, 0);
    scn_buf_le32(&b, 0);
    scn_buf_mem(&b, file_id, 16);
    smb2_send(s, &m, 0, &b);
    smb2_hdr(&b, &m, 6, true, 0);
    scn_buf_le16(&b, 60);
    scn_buf_le16(&b, 0);
    scn_buf_le32(&b, 0);
    scn_buf_zero(&b, 52);
    smb2_send(s, &m, 1, &b);
    m.msg_id++;
    /* The mapped drive stays connected; the capture ends first. */
    scn_buf_free(&b);
    scn_buf_free(&blob);
}

/* ------------------------------------------- SMB 3.1.1 with SPNEGO, SMB1 */

static const uint8_t oid_ntlmssp[] = {0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x0a};

/* RFC 4178 negTokenInit wrapped in the GSS-API header (RFC 2743 3.1) with
 * NTLMSSP as the only mechanism and `token` as mechToken. */
static void spnego_init(struct scn_buf *b, const struct scn_buf *token)
{
    static const uint8_t oid_spnego[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x02};
    size_t app = b->len, ctx0, seq, at;

    der_oid(b, oid_spnego, sizeof(oid_spnego));
    ctx0 = b->len;
    seq = b->len;
    at = b->len;
    der_oid(b, oid_ntlmssp, sizeof(oid_ntlmssp));
    der_wrap(b, at, 0x30); /* MechTypeList */
    der_wrap(b, at, 0xa0); /* mechTypes [0] */
    at = b->len;
    der_tlv(b, 0x04, token->p, token->len);
    der_wrap(b, at, 0xa2); /* mechToken [2] */
    der_wrap(b, seq, 0x30);
    der_wrap(b, ctx0, 0xa0);
    der_wrap(b, app, 0x60);
}

/* negTokenResp [1]: state (-1: omitted), supportedMech when mech, token. */
static void spnego_resp(struct scn_buf *b, int state, bool mech, const struct scn_buf *token)
{
    size_t top = b->len, at;
    if (state >= 0) {
        at = b->len;
        uint8_t st = (uint8_t)state;
        der_tlv(b, 0x0a, &st, 1);
        der_wrap(b, at, 0xa0);
    }
    if (mech) {
        at = b->len;
        der_oid(b, oid_ntlmssp, sizeof(oid_ntlmssp));
        der_wrap(b, at, 0xa1);
    }
    if (token) {
        at = b->len;
        der_tlv(b, 0x04, token->p, token->len);
        der_wrap(b, at, 0xa2);
    }
    der_wrap(b, top, 0x30);
    der_wrap(b, top, 0xa1);
}

static void smb2_neg_ctx(struct scn_buf *b, uint16_t type, const struct scn_buf *data)
{
    while (b->len % 8) /* contexts are 8-byte aligned from the SMB2 header */
        scn_buf_u8(b, 0);
    scn_buf_le16(b, type);
    scn_buf_le16(b, (uint16_t)data->len);
    scn_buf_le32(b, 0);
    scn_buf_mem(b, data->p, data->len);
}

static void smb311_contexts(struct scn *s, struct scn_buf *b, bool resp)
{
    struct scn_buf d;
    scn_buf_init(&d);
    /* PREAUTH_INTEGRITY_CAPABILITIES: SHA-512 and a 32-byte salt */
    scn_buf_le16(&d, 1);
    scn_buf_le16(&d, 32);
    scn_buf_le16(&d, 0x0001);
    scn_buf_rand(&d, &s->rng, 32);
    smb2_neg_ctx(b, 1, &d);
    /* ENCRYPTION_CAPABILITIES: AES-128-GCM, AES-128-CCM (server picks GCM) */
    scn_buf_clear(&d);
    scn_buf_le16(&d, resp ? 1 : 2);
    scn_buf_le16(&d, 0x0002);
    if (!resp)
        scn_buf_le16(&d, 0x0001);
    smb2_neg_ctx(b, 2, &d);
    scn_buf_free(&d);
}

void scn_smb311_session(struct scn *s, struct scn_host *cli, struct scn_host *srv, uint64_t t0,
                        const char *domain, const char *user, const char *share_path)
{
    struct smb2 m;
    struct scn_buf b, blob, tok;
    uint8_t guid[16];

    memset(&m, 0, sizeof(m));
    scn_buf_init(&b);
    scn_buf_init(&blob);
    scn_buf_init(&tok);
    scn_tcp_open(s, &m.c, cli, srv, 0, 445, false, t0, scn_rng_range(&s->rng, 150, 600));

    /* NEGOTIATE: 2.0.2 - 3.1.1 with negotiate contexts (MS-SMB2 2.2.3) */
    static const uint16_t dialects[] = {0x0202, 0x0210, 0x0300, 0x0302, 0x0311};
    smb2_hdr(&b, &m, 0, false, 0);
    scn_buf_le16(&b, 36);
    scn_buf_le16(&b, (uint16_t)ARRAY_SIZE(dialects));
    scn_buf_le16(&b, 1);
    scn_buf_le16(&b, 0);
    scn_buf_le32(&b, 0x7f);
    scn_buf_rand(&b, &s->rng, 16);
    size_t ctx_off = b.len;
    scn_buf_le32(&b, 0); /* NegotiateContextOffset, patched */
    scn_buf_le16(&b, 2);
    scn_buf_le16(&b, 0);
    for (size_t i = 0; i < ARRAY_SIZE(dialects); i++)
        scn_buf_le16(&b, dialects[i]);
    while (b.len % 8)
        scn_buf_u8(&b, 0);
    b.p[ctx_off] = (uint8_t)b.len; /* from the SMB2 header; < 256 here */
    smb311_contexts(s, &b, false);
    smb2_send(s, &m, 0, &b);

    smb2_hdr(&b, &m, 0, true, 0);
    scn_buf_le16(&b, 65);
    scn_buf_le16(&b, 1);
    scn_buf_le16(&b, 0x0311);
    scn_buf_le16(&b, 2); /* NegotiateContextCount */
    scn_rng_bytes(&s->rng, guid, sizeof(guid));
    scn_buf_mem(&b, guid, 16);
    scn_buf_le32(&b, 0x2f);
    scn_buf_le32(&b, 8388608);
    scn_buf_le32(&b, 8388608);
    scn_buf_le32(&b, 8388608);
    scn_buf_le64(&b, filetime(m.c.t));
    scn_buf_le64(&b, 0);
    scn_buf_le16(&b, 0); /* no security buffer */
    scn_buf_le16(&b, 0);
    ctx_off = b.len;
    scn_buf_le32(&b, 0);
    while (b.len % 8)
        scn_buf_u8(&b, 0);
    b.p[ctx_off] = (uint8_t)b.len;
    smb311_contexts(s, &b, true);
    smb2_send(s, &m, 1, &b);
    m.msg_id++;

    /* SESSION_SETUP 1: SPNEGO negTokenInit carrying NTLMSSP_NEGOTIATE */
    scn_buf_clear(&tok);
    scn_buf_mem(&tok, "NTLMSSP", 8);
    scn_buf_le32(&tok, 1);
    scn_buf_le32(&tok, 0xe2088297);
    ntlm_field(&tok, 0, 0);
    ntlm_field(&tok, 0, 0);
    ntlm_version(&tok);
    scn_buf_clear(&blob);
    spnego_init(&blob, &tok);
    smb2_hdr(&b, &m, 1, false, 0);
    smb2_session_setup_req(&b, &blob);
    smb2_send(s, &m, 0, &b);

    /* negTokenResp accept-incomplete with NTLMSSP_CHALLENGE */
    m.session = 0x0000400000000000ull | (scn_rng_next(&s->rng) & 0xffffffull);
    struct scn_buf ti;
    scn_buf_init(&ti);
    ntlm_target_info(&ti, domain, srv->name, m.c.t);
    size_t tn_len = 2 * strlen(domain);
    scn_buf_clear(&tok);
    scn_buf_mem(&tok, "NTLMSSP", 8);
    scn_buf_le32(&tok, 2);
    ntlm_field(&tok, tn_len, 56);
    scn_buf_le32(&tok, 0xe28a8215);
    scn_buf_rand(&tok, &s->rng, 8);
    scn_buf_zero(&tok, 8);
    ntlm_field(&tok, ti.len, 56 + tn_len);
    ntlm_version(&tok);
    scn_buf_utf16(&tok, domain);
    scn_buf_mem(&tok, ti.p, ti.len);
    scn_buf_clear(&blob);
    spnego_resp(&blob, 1, true, &tok);
    smb2_hdr(&b, &m, 1, true, 0xc0000016);
    smb2_session_setup_resp(&b, &blob);
    smb2_send(s, &m, 1, &b);
    m.msg_id++;

    /* SESSION_SETUP 2: negTokenResp with NTLMSSP_AUTH (NTLMv2) */
    scn_tcp_wait(&m.c, scn_rng_range(&s->rng, 1 * SCN_MS, 8 * SCN_MS));
    {
        struct scn_buf nt;
        scn_buf_init(&nt);
        scn_buf_rand(&nt, &s->rng, 16); /* NTProofStr */
        scn_buf_mem(&nt, "\x01\x01\x00\x00\x00\x00\x00\x00", 8);
        scn_buf_le64(&nt, filetime(m.c.t));
        scn_buf_rand(&nt, &s->rng, 8);
        scn_buf_le32(&nt, 0);
        scn_buf_mem(&nt, ti.p, ti.len);
        scn_buf_le32(&nt, 0);
        size_t dl = 2 * strlen(domain), ul = 2 * strlen(user), wl = 2 * strlen(cli->name);
        size_t off = 88;
        scn_buf_clear(&tok);
        scn_buf_mem(&tok, "NTLMSSP", 8);
        scn_buf_le32(&tok, 3);
        ntlm_field(&tok, 24, off + dl + ul + wl);
        ntlm_field(&tok, nt.len, off + dl + ul + wl + 24);
        ntlm_field(&tok, dl, off);
        ntlm_field(&tok, ul, off + dl);
        ntlm_field(&tok, wl, off + dl + ul);
        ntlm_field(&tok, 16, off + dl + ul + wl + 24 + nt.len);
        scn_buf_le32(&tok, 0xe2888215);
        ntlm_version(&tok);
        scn_buf_rand(&tok, &s->rng, 16); /* MIC */
        scn_buf_utf16(&tok, domain);
        scn_buf_utf16(&tok, user);
        scn_buf_utf16(&tok, cli->name);
        scn_buf_zero(&tok, 24);
        scn_buf_mem(&tok, nt.p, nt.len);
        scn_buf_rand(&tok, &s->rng, 16);
        scn_buf_free(&nt);
    }
    scn_buf_free(&ti);
    scn_buf_clear(&blob);
    spnego_resp(&blob, -1, false, &tok);
    smb2_hdr(&b, &m, 1, false, 0);
    smb2_session_setup_req(&b, &blob);
    smb2_send(s, &m, 0, &b);
    scn_buf_clear(&blob);
    spnego_resp(&blob, 0, false, NULL); /* accept-completed */
    smb2_hdr(&b, &m, 1, true, 0);
    smb2_session_setup_resp(&b, &blob);
    smb2_send(s, &m, 1, &b);
    m.msg_id++;

    /* TREE_CONNECT */
    scn_buf_clear(&blob);
    scn_buf_utf16(&blob, share_path);
    smb2_hdr(&b, &m, 3, false, 0);
    scn_buf_le16(&b, 9);
    scn_buf_le16(&b, 0);
    scn_buf_le16(&b, 64 + 8);
    scn_buf_le16(&b, (uint16_t)blob.len);
    scn_buf_mem(&b, blob.p, blob.len);
    smb2_send(s, &m, 0, &b);
    m.tree = (uint32_t)scn_rng_range(&s->rng, 1, 9);
    smb2_hdr(&b, &m, 3, true, 0);
    scn_buf_le16(&b, 16);
    scn_buf_u8(&b, 1); /* disk */
    scn_buf_u8(&b, 0);
    scn_buf_le32(&b, 0x00000800);
    scn_buf_le32(&b, 0);
    scn_buf_le32(&b, 0x001f01ff);
    smb2_send(s, &m, 1, &b);
    m.msg_id++;

    /* LOGOFF, then the client closes */
    scn_tcp_wait(&m.c, scn_rng_range(&s->rng, 100 * SCN_MS, 900 * SCN_MS));
    smb2_hdr(&b, &m, 2, false, 0);
    scn_buf_le16(&b, 4);
    scn_buf_le16(&b, 0);
    smb2_send(s, &m, 0, &b);
    smb2_hdr(&b, &m, 2, true, 0);
    scn_buf_le16(&b, 4);
    scn_buf_le16(&b, 0);
    smb2_send(s, &m, 1, &b);
    scn_tcp_close(s, &m.c, 0);
    scn_buf_free(&b);
    scn_buf_free(&blob);
    scn_buf_free(&tok);
}

/* SMB1 NEGOTIATE from an old client (MS-CIFS 2.2.4.52) answered with NT LM
 * 0.12 and a classic 8-byte challenge, no extended security. */
void scn_smb1_negotiate(struct scn *s, struct scn_host *cli, struct scn_host *srv, uint64_t t0,
                        const char *domain)
{
    static const char *const dialects[] = {"PC NETWORK PROGRAM 1.0", "LANMAN1.0",
                                           "Windows for Workgroups 3.1a", "LM1.2X002",
                                           "LANMAN2.1", "NT LM 0.12"};
    struct smb2 m;
    struct scn_buf b;
    uint16_t mid = (uint16_t)scn_rng_range(&s->rng, 1, 200);

    memset(&m, 0, sizeof(m));
    scn_buf_init(&b);
    scn_tcp_open(s, &m.c, cli, srv, 0, 445, false, t0, scn_rng_range(&s->rng, 150, 600));
    for (int resp = 0; resp < 2; resp++) {
        scn_buf_mem(&b, "\xffSMB", 4);
        scn_buf_u8(&b, 0x72);                  /* SMB_COM_NEGOTIATE */
        scn_buf_le32(&b, 0);                   /* status */
        scn_buf_u8(&b, resp ? 0x98 : 0x18);    /* flags: reply, case-insensitive, canonical */
        scn_buf_le16(&b, 0x4001);             /* flags2: long names, error codes 32 */
        scn_buf_le16(&b, 0);                   /* PID high */
        scn_buf_zero(&b, 8);                   /* security features */
        scn_buf_le16(&b, 0);
        scn_buf_le16(&b, 0);      /* TID */
        scn_buf_le16(&b, 0xfeff); /* PID */
        scn_buf_le16(&b, 0);      /* UID */
        scn_buf_le16(&b, mid);
        if (!resp) {
            scn_buf_u8(&b, 0); /* WordCount */
            size_t bc = b.len;
            scn_buf_le16(&b, 0);
            for (size_t i = 0; i < ARRAY_SIZE(dialects); i++) {
                scn_buf_u8(&b, 0x02);
                scn_buf_mem(&b, dialects[i], strlen(dialects[i]) + 1);
            }
            size_t n = b.len - bc - 2;
            b.p[bc] = (uint8_t)n;
            b.p[bc + 1] = (uint8_t)(n >> 8);
        } else {
            scn_buf_u8(&b, 17);
            scn_buf_le16(&b, (uint16_t)(ARRAY_SIZE(dialects) - 1));
            scn_buf_u8(&b, 0x03); /* user level, encrypt passwords */
            scn_buf_le16(&b, 50);
            scn_buf_le16(&b, 1);
            scn_buf_le32(&b, 16644);
            scn_buf_le32(&b, 65536);
            scn_buf_le32(&b, 0);
            scn_buf_le32(&b, 0x0000e3fd & ~0x4u); /* no CAP_UNICODE: OEM names follow */
            scn_buf_le64(&b, filetime(m.c.t));
            scn_buf_le16(&b, (uint16_t)-540); /* minutes from UTC: JST */
            scn_buf_u8(&b, 8);
            size_t bc = b.len;
            scn_buf_le16(&b, 0);
            scn_buf_rand(&b, &s->rng, 8);
            scn_buf_mem(&b, domain, strlen(domain) + 1);
            scn_buf_mem(&b, srv->name, strlen(srv->name) + 1);
            size_t n = b.len - bc - 2;
            b.p[bc] = (uint8_t)n;
            b.p[bc + 1] = (uint8_t)(n >> 8);
        }
        smb2_send(s, &m, resp, &b);
    }
    scn_tcp_wait(&m.c, scn_rng_range(&s->rng, 1 * SCN_MS, 20 * SCN_MS));
    scn_tcp_close(s, &m.c, 0);
    scn_buf_free(&b);
}
