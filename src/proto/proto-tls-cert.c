/* proto-tls-cert.c - one X.509 certificate from a TLS Certificate message
 * into EVE's tls fields, with OpenSSL doing the DER parsing. The formats are
 * those Suricata 7 logs, so our records line up with theirs: see
 * proto-tls-cert.h. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "app/app.h"
#include "proto/proto-tls-cert.h"
#include "util/limits.h"
#include "util/rd.h"
#include "util/util.h"

/* Longest DN kept: real ones are < 300 bytes; a name can hold 64 KiB. */
#define TLS_CERT_MAX_DN 2048
/* Longest serial printed: RFC 5280 4.1.2.2 allows 20 octets; some CAs use
 * a few more, nothing legitimate comes near 64. */
#define TLS_CERT_MAX_SERIAL 64
/* Longest SAN entry kept (a DNS name is at most 253 bytes). */
#define TLS_CERT_MAX_SAN 512

/* "C=US, O=Let's Encrypt, CN=R3": RDNs in encoding order, short attribute
 * names, ", " between RDNs and " + " inside a multi-valued one, no spaces
 * around '=' (what Suricata's x509 parser prints). Strings are converted to
 * UTF-8 and not escaped here: app_json_str() makes the text safe. */
static json_t *tls_cert_name(const X509_NAME *name)
{
    BIO *bio = BIO_new(BIO_s_mem());
    if (!bio)
        die("out of memory");
    unsigned long flags = XN_FLAG_SEP_CPLUS_SPC | XN_FLAG_FN_SN | ASN1_STRFLGS_UTF8_CONVERT;
    if (X509_NAME_print_ex(bio, name, 0, flags) < 0)
        BIO_reset(bio);
    char *p = NULL;
    long n = BIO_get_mem_data(bio, &p);
    json_t *j = app_json_str((const uint8_t *)p, n > 0 ? (size_t)n : 0, TLS_CERT_MAX_DN);
    BIO_free(bio);
    return j;
}

static void tls_cert_hex(char *out, size_t cap, const uint8_t *b, size_t n, bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && o + 3 < cap; i++) {
        if (i)
            out[o++] = ':';
        out[o++] = digits[b[i] >> 4];
        out[o++] = digits[b[i] & 15];
    }
    out[o] = '\0';
}

/* The serial's INTEGER content octets (with the leading 00 of a positive
 * number whose top bit is set), taken from the DER re-encoding. */
static void tls_cert_serial(X509 *x, json_t *obj)
{
    unsigned char *der = NULL;
    int n = i2d_ASN1_INTEGER(X509_get0_serialNumber(x), &der);
    if (n <= 0)
        return;
    struct rd r;
    rd_init(&r, der, (uint32_t)n);
    uint8_t tag = rd_u8(&r);
    uint32_t clen = rd_u8(&r);
    if (clen & 0x80) {
        uint32_t nlen = clen & 0x7f;
        clen = 0;
        for (uint32_t i = 0; i < nlen && i < 4; i++)
            clen = clen << 8 | rd_u8(&r);
    }
    if (rd_ok(&r) && tag == 0x02 && clen <= rd_left(&r) && clen <= TLS_CERT_MAX_SERIAL) {
        char hex[TLS_CERT_MAX_SERIAL * 3 + 1];
        tls_cert_hex(hex, sizeof(hex), rd_ptr(&r), clen, true);
        json_object_set_new_nocheck(obj, "serial", json_string(hex));
    }
    OPENSSL_free(der);
}

/* "2024-01-01T00:00:00" (UTC); skipped when the year does not fit the
 * schema's 1000-2999 range. */
static void tls_cert_time(json_t *obj, const char *key, const ASN1_TIME *t)
{
    struct tm tm;
    if (!t || ASN1_TIME_to_tm(t, &tm) != 1)
        return;
    int year = tm.tm_year + 1900;
    if (year < 1000 || year > 2999)
        return;
    char buf[32];
    snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d", year, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min, tm.tm_sec);
    json_object_set_new_nocheck(obj, key, json_string(buf));
}

static void tls_cert_sans(X509 *x, json_t *extra)
{
    GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
    if (!gens)
        return;
    json_t *arr = json_array();
    int num = sk_GENERAL_NAME_num(gens);
    for (int i = 0; i < num && i < TLS_MAX_SANS; i++) {
        const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
        if (g->type == GEN_DNS || g->type == GEN_EMAIL || g->type == GEN_URI) {
            const ASN1_STRING *s = g->d.ia5;
            int len = ASN1_STRING_length(s);
            json_array_append_new(arr, app_json_str(ASN1_STRING_get0_data(s),
                                                    len > 0 ? (size_t)len : 0, TLS_CERT_MAX_SAN));
        } else if (g->type == GEN_IPADD) {
            const ASN1_OCTET_STRING *s = g->d.iPAddress;
            int len = ASN1_STRING_length(s);
            char ip[INET6_ADDRSTRLEN];
            int af = len == 4 ? AF_INET : len == 16 ? AF_INET6 : 0;
            if (af && inet_ntop(af, ASN1_STRING_get0_data(s), ip, sizeof(ip)))
                json_array_append_new(arr, json_string(ip));
        }
    }
    GENERAL_NAMES_free(gens);
    if (json_array_size(arr))
        json_object_set_new_nocheck(extra, "sans", arr);
    else
        json_decref(arr);
}

/* Self-signed: the issuer is the subject and the certificate's own key
 * verifies its signature (a name match alone would also flag a leaf whose
 * CA happens to carry the same DN). */
static bool tls_cert_self_signed(X509 *x)
{
    if (X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x)) != 0)
        return false;
    EVP_PKEY *pk = X509_get0_pubkey(x);
    bool ok = pk && X509_verify(x, pk) == 1;
    ERR_clear_error();
    return ok;
}

static void tls_cert_key(X509 *x, json_t *extra)
{
    EVP_PKEY *pk = X509_get0_pubkey(x);
    if (pk) {
        const char *type = EVP_PKEY_get0_type_name(pk);
        char buf[64];
        snprintf(buf, sizeof(buf), "%s %d", type ? type : "unknown", EVP_PKEY_get_bits(pk));
        json_object_set_new_nocheck(extra, "cert_key", json_string(buf));
    }
    int nid = X509_get_signature_nid(x);
    const char *sig = nid != NID_undef ? OBJ_nid2ln(nid) : NULL;
    if (sig)
        json_object_set_new_nocheck(extra, "cert_sig_alg", json_string(sig));
}

static int tls_cert_parse(const uint8_t *der, uint32_t len, const uint8_t *md, unsigned mdlen,
                          json_t *obj, json_t *extra)
{
    const unsigned char *p = der;
    X509 *x = d2i_X509(NULL, &p, (long)len);
    if (!x) {
        ERR_clear_error();
        return -1;
    }
    json_object_set_new_nocheck(obj, "subject", tls_cert_name(X509_get_subject_name(x)));
    json_object_set_new_nocheck(obj, "issuerdn", tls_cert_name(X509_get_issuer_name(x)));
    tls_cert_serial(x, obj);
    if (mdlen) {
        char hex[EVP_MAX_MD_SIZE * 3 + 1];
        tls_cert_hex(hex, sizeof(hex), md, mdlen, false);
        json_object_set_new_nocheck(obj, "fingerprint", json_string(hex));
    }
    tls_cert_time(obj, "notbefore", X509_get0_notBefore(x));
    tls_cert_time(obj, "notafter", X509_get0_notAfter(x));
    tls_cert_sans(x, extra);
    json_object_set_new_nocheck(extra, "self_signed", json_boolean(tls_cert_self_signed(x)));
    tls_cert_key(x, extra);
    X509_free(x);
    ERR_clear_error();
    return 0;
}

/* The same few certificates come back in every connection to a server, and
 * OpenSSL's decoding (the public key above all, for the self-signed check)
 * costs far more than the rest of a TLS handshake's parsing. So results are
 * kept by the certificate's SHA-1 in a small direct-mapped cache. */
#define TLS_CERT_CACHE 256

struct tls_cert_cached {
    uint8_t md[20];
    bool used;
    json_t *obj, *extra;
};

static struct tls_cert_cached tls_cert_cache[TLS_CERT_CACHE];

int tls_cert_json(const uint8_t *der, uint32_t len, json_t *obj, json_t *extra)
{
    uint8_t md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (EVP_Digest(der, len, md, &mdlen, EVP_sha1(), NULL) != 1 || mdlen != 20) {
        json_t *x = json_object();
        int rc = tls_cert_parse(der, len, md, 0, obj, x);
        if (extra)
            json_object_update(extra, x);
        json_decref(x);
        return rc;
    }
    struct tls_cert_cached *c = &tls_cert_cache[(md[0] | md[1] << 8) % TLS_CERT_CACHE];
    if (!c->used || memcmp(c->md, md, 20) != 0) {
        json_t *o = json_object(), *x = json_object();
        if (tls_cert_parse(der, len, md, mdlen, o, x) < 0) {
            json_decref(o);
            json_decref(x);
            return -1;
        }
        json_decref(c->obj);
        json_decref(c->extra);
        memcpy(c->md, md, 20);
        c->used = true;
        c->obj = o;
        c->extra = x;
    }
    json_object_update(obj, c->obj);
    if (extra)
        json_object_update(extra, c->extra);
    return 0;
}
