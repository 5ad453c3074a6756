/* proto-quic.c - QUIC: the version and the TLS ClientHello (SNI, JA3, JA4)
 * from the client's Initial packets.
 *
 * Initial packets are encrypted, but with keys anyone can derive from the
 * Destination Connection ID the client chose (RFC 9001 section 5.2), so a
 * passive observer can open them: derive the keys, remove header protection
 * (5.4), decrypt the payload with AES-128-GCM (5.3), walk the frames and put
 * the CRYPTO bytes back in order until the whole ClientHello is there. It may
 * span several packets and datagrams, arrive out of order and in small pieces
 * (Chrome cuts it up on purpose). All cryptography is libcrypto's.
 *
 * One "quic" event per flow, when the ClientHello is complete or, failing
 * that, at the end of the flow (or after QUIC_MAX_IDLE_DATAGRAMS client
 * datagrams with nothing to open) with the version alone. Server datagrams
 * only add what their first long header says (version, Retry, the versions of
 * a Version Negotiation) to the store-only facts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/kdf.h>

#include "app/app.h"
#include "proto/proto-quic.h"
#include "proto/proto-tls.h"
#include "util/limits.h"
#include "util/rd.h"
#include "util/util.h"

/* RFC 9000 14.1: a client MUST pad datagrams carrying Initial packets to at
 * least 1200 bytes (servers drop smaller ones). */
#define QUIC_MIN_INITIAL_DATAGRAM 1200
/* RFC 9001 5.4.2: the header protection sample starts 4 bytes after the
 * start of the packet number field and is 16 bytes long. */
#define QUIC_HP_SAMPLE_OFF 4
#define QUIC_HP_SAMPLE_LEN 16
#define QUIC_HS_CLIENT_HELLO 1
#define QUIC_CRYPTO_BITMAP (QUIC_CRYPTO_MAX / 8)

struct quic_state {
    /* CRYPTO reassembly: QUIC_CRYPTO_MAX data bytes followed by a bitmap of
     * the bytes received; allocated with the first CRYPTO frame, freed once
     * the event is out. */
    uint8_t *crypto;
    uint32_t crypto_contig; /* bytes present from offset 0 on */
    uint32_t crypto_new;    /* new bytes stored by the current datagram */
    /* The client's current Initial keys and the DCID they came from (see
     * quic_open_initial()). */
    struct quic_keys keys;
    uint8_t key_dcid[QUIC_MAX_CID_LEN];
    uint8_t key_dcid_len;
    uint32_t key_version;
    bool keys_valid;
    /* The client's first Initial (Zeek logs its DCID as client_initial_dcid). */
    uint8_t dcid[QUIC_MAX_CID_LEN], scid[QUIC_MAX_CID_LEN];
    uint8_t dcid_len, scid_len;
    bool have_cids;
    uint32_t version; /* of the client's latest long header */
    bool have_version;
    uint64_t largest_pn; /* of the client's Initial packet number space */
    bool have_pn;
    uint64_t close_error;
    bool have_close;
    /* The server's first datagram. */
    bool server_seen, server_retry;
    uint32_t server_version;
    uint32_t vn_versions[QUIC_MAX_VN_VERSIONS];
    uint8_t vn_count;
    bool server_vn;
    uint16_t datagrams, idle;
    bool reported;
    bool flag_small, flag_too_long, flag_mismatch, flag_decrypt;
};

/* ---- Initial secrets (RFC 9001 5.2, RFC 9369 3.3) ---- */

static const uint8_t quic_salt_v1[20] = {
    0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
    0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a,
};
static const uint8_t quic_salt_v2[20] = {
    0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93,
    0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9,
};
/* draft-ietf-quic-tls-29 to -32. */
static const uint8_t quic_salt_d29[20] = {
    0xaf, 0xbf, 0xec, 0x28, 0x99, 0x93, 0xd2, 0x4c, 0x9e, 0x97,
    0x86, 0xf1, 0x9c, 0x61, 0x11, 0xe0, 0x43, 0x90, 0xa8, 0x99,
};
/* draft-ietf-quic-tls-23 to -28. */
static const uint8_t quic_salt_d23[20] = {
    0xc3, 0xee, 0xf7, 0x12, 0xc7, 0x2e, 0xbb, 0x5a, 0x11, 0xa7,
    0xd2, 0x43, 0x2b, 0xb4, 0x63, 0x65, 0xbe, 0xf9, 0xf5, 0x02,
};

/* The salt of a version, NULL if we cannot open its Initials. Drafts 33 and
 * 34 already used the v1 salt. */
static const uint8_t *quic_salt(uint32_t version)
{
    if (version == QUIC_VERSION_1 || version == 0xff000021u || version == 0xff000022u)
        return quic_salt_v1;
    if (version == QUIC_VERSION_2)
        return quic_salt_v2;
    if (version >= 0xff00001du && version <= 0xff000020u)
        return quic_salt_d29;
    if (version >= 0xff000017u && version <= 0xff00001cu)
        return quic_salt_d23;
    return NULL;
}

int quic_version_known(uint32_t version)
{
    return quic_salt(version) != NULL;
}

/* Long header packet types 0-3 were rotated by one in v2 (RFC 9369 3.2). */
static unsigned quic_type_initial(uint32_t version)
{
    return version == QUIC_VERSION_2 ? 1 : 0;
}

static unsigned quic_type_retry(uint32_t version)
{
    return version == QUIC_VERSION_2 ? 0 : 3;
}

const char *quic_version_str(uint32_t version, char *buf, unsigned len)
{
    /* gQUIC tags Suricata names; the rest is printed as hex. */
    static const uint32_t gquic[] = {0x51303339u, 0x51303433u, 0x51303434u, 0x51303435u,
                                     0x51303436u};
    for (size_t i = 0; i < ARRAY_SIZE(gquic); i++) {
        if (version == gquic[i]) {
            snprintf(buf, len, "%c%c%c%c", (char)(version >> 24), (char)(version >> 16),
                     (char)(version >> 8), (char)version);
            return buf;
        }
    }
    snprintf(buf, len, "%x", version);
    return buf;
}

/* One HKDF step with SHA-256: Extract(salt, ikm) when info is NULL,
 * Expand(prk = ikm, info) otherwise. Returns 0 or -1. */
static int quic_hkdf(const uint8_t *salt, size_t salt_len, const uint8_t *ikm, size_t ikm_len,
                     const uint8_t *info, size_t info_len, uint8_t *out, size_t out_len)
{
    EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, NULL);
    int rc = -1;
    size_t n = out_len;

    if (!pc || EVP_PKEY_derive_init(pc) <= 0 || EVP_PKEY_CTX_set_hkdf_md(pc, EVP_sha256()) <= 0)
        goto out_free;
    if (EVP_PKEY_CTX_set_hkdf_mode(pc, info ? EVP_PKEY_HKDEF_MODE_EXPAND_ONLY
                                            : EVP_PKEY_HKDEF_MODE_EXTRACT_ONLY) <= 0)
        goto out_free;
    if (EVP_PKEY_CTX_set1_hkdf_key(pc, ikm, (int)ikm_len) <= 0)
        goto out_free;
    if (!info && EVP_PKEY_CTX_set1_hkdf_salt(pc, salt, (int)salt_len) <= 0)
        goto out_free;
    if (info && EVP_PKEY_CTX_add1_hkdf_info(pc, info, (int)info_len) <= 0)
        goto out_free;
    if (EVP_PKEY_derive(pc, out, &n) <= 0 || n != out_len)
        goto out_free;
    rc = 0;
out_free:
    EVP_PKEY_CTX_free(pc);
    return rc;
}

/* TLS 1.3 HKDF-Expand-Label with an empty context (RFC 8446 7.1). */
static int quic_expand_label(const uint8_t *secret, const char *label, uint8_t *out,
                             size_t out_len)
{
    uint8_t info[2 + 1 + 6 + 32 + 1];
    size_t ll = strlen(label), n = 0;

    if (ll > 32)
        return -1;
    info[n++] = (uint8_t)(out_len >> 8);
    info[n++] = (uint8_t)out_len;
    info[n++] = (uint8_t)(6 + ll);
    memcpy(info + n, "tls13 ", 6);
    n += 6;
    memcpy(info + n, label, ll);
    n += ll;
    info[n++] = 0;
    return quic_hkdf(NULL, 0, secret, 32, info, n, out, out_len);
}

int quic_initial_keys(uint32_t version, const uint8_t *dcid, uint32_t dcid_len, int server,
                      struct quic_keys *out)
{
    const uint8_t *salt = quic_salt(version);
    uint8_t initial[32], secret[32];
    bool v2 = version == QUIC_VERSION_2;
    int rc = -1;

    if (!salt || dcid_len > 255)
        return -1;
    if (quic_hkdf(salt, 20, dcid, dcid_len, NULL, 0, initial, sizeof(initial)) < 0 ||
        quic_expand_label(initial, server ? "server in" : "client in", secret, 32) < 0 ||
        quic_expand_label(secret, v2 ? "quicv2 key" : "quic key", out->key, 16) < 0 ||
        quic_expand_label(secret, v2 ? "quicv2 iv" : "quic iv", out->iv, 12) < 0 ||
        quic_expand_label(secret, v2 ? "quicv2 hp" : "quic hp", out->hp, 16) < 0)
        goto out_wipe;
    rc = 0;
out_wipe:
    memset(initial, 0, sizeof(initial));
    memset(secret, 0, sizeof(secret));
    return rc;
}

/* ---- Packet protection (RFC 9001 5.3, 5.4) ---- */

/* AES-128-ECB of the 16-byte sample: the header protection mask. */
static int quic_hp_mask(const uint8_t *hp, const uint8_t *sample, uint8_t mask[16])
{
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int n = 0, rc = -1;

    if (c && EVP_EncryptInit_ex(c, EVP_aes_128_ecb(), NULL, hp, NULL) > 0 &&
        EVP_CIPHER_CTX_set_padding(c, 0) > 0 &&
        EVP_EncryptUpdate(c, mask, &n, sample, QUIC_HP_SAMPLE_LEN) > 0 && n == 16)
        rc = 0;
    EVP_CIPHER_CTX_free(c);
    return rc;
}

static void quic_nonce(const struct quic_keys *k, uint64_t pn, uint8_t nonce[12])
{
    memcpy(nonce, k->iv, 12);
    for (unsigned i = 0; i < 8; i++)
        nonce[4 + i] ^= (uint8_t)(pn >> (56 - 8 * i));
}

/* AES-128-GCM: seals (enc) or opens len bytes of in into out with the tag
 * after/at tag. Returns 0, or -1 (for opening: the tag did not match). */
static int quic_gcm(int enc, const struct quic_keys *k, uint64_t pn, const uint8_t *aad,
                    uint32_t aad_len, const uint8_t *in, uint32_t len, uint8_t *out,
                    uint8_t tag[QUIC_TAG_LEN])
{
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    uint8_t nonce[12];
    int n = 0, rc = -1;

    quic_nonce(k, pn, nonce);
    if (!c || EVP_CipherInit_ex(c, EVP_aes_128_gcm(), NULL, NULL, NULL, enc) <= 0 ||
        EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) <= 0 ||
        EVP_CipherInit_ex(c, NULL, NULL, k->key, nonce, enc) <= 0 ||
        EVP_CipherUpdate(c, NULL, &n, aad, (int)aad_len) <= 0)
        goto out_free;
    if (len > 0 && EVP_CipherUpdate(c, out, &n, in, (int)len) <= 0)
        goto out_free;
    if (!enc && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, QUIC_TAG_LEN, tag) <= 0)
        goto out_free;
    if (EVP_CipherFinal_ex(c, out + len, &n) <= 0)
        goto out_free;
    if (enc && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, QUIC_TAG_LEN, tag) <= 0)
        goto out_free;
    rc = 0;
out_free:
    EVP_CIPHER_CTX_free(c);
    return rc;
}

int quic_protect_initial(uint32_t version, const uint8_t *dcid, uint8_t dcid_len,
                         const uint8_t *scid, uint8_t scid_len, const struct quic_keys *k,
                         uint32_t pn, unsigned pn_len, const uint8_t *payload,
                         uint32_t payload_len, uint8_t *out, uint32_t cap)
{
    uint32_t n = 0, pn_off, length = pn_len + payload_len + QUIC_TAG_LEN;
    uint8_t mask[16], tag[QUIC_TAG_LEN];

    if (pn_len < 1 || pn_len > 4 || length > 0x3fff || pn_len + payload_len < 4 ||
        (uint64_t)7 + dcid_len + scid_len + 3 + length > cap)
        return -1;
    out[n++] = (uint8_t)(0xc0 | quic_type_initial(version) << 4 | (pn_len - 1));
    for (int i = 24; i >= 0; i -= 8)
        out[n++] = (uint8_t)(version >> i);
    out[n++] = dcid_len;
    if (dcid_len)
        memcpy(out + n, dcid, dcid_len);
    n += dcid_len;
    out[n++] = scid_len;
    if (scid_len)
        memcpy(out + n, scid, scid_len);
    n += scid_len;
    out[n++] = 0; /* token length */
    out[n++] = (uint8_t)(0x40 | length >> 8);
    out[n++] = (uint8_t)length;
    pn_off = n;
    for (unsigned i = 0; i < pn_len; i++)
        out[n++] = (uint8_t)(pn >> (8 * (pn_len - 1 - i)));
    if (quic_gcm(1, k, pn, out, n, payload, payload_len, out + n, tag) < 0)
        return -1;
    memcpy(out + n + payload_len, tag, QUIC_TAG_LEN);
    if (quic_hp_mask(k->hp, out + pn_off + QUIC_HP_SAMPLE_OFF, mask) < 0)
        return -1;
    out[0] ^= mask[0] & 0x0f;
    for (unsigned i = 0; i < pn_len; i++)
        out[pn_off + i] ^= mask[1 + i];
    return (int)(n + payload_len + QUIC_TAG_LEN);
}

/* RFC 9000 A.3: the full packet number closest to the next expected one. */
static uint64_t quic_decode_pn(const struct quic_state *s, uint64_t truncated, unsigned bits)
{
    uint64_t expected = s->have_pn ? s->largest_pn + 1 : 0;
    uint64_t win = 1ull << bits, hwin = win / 2, mask = win - 1;
    uint64_t cand = (expected & ~mask) | truncated;

    if (cand + hwin <= expected && cand < (1ull << 62) - win)
        return cand + win;
    if (cand > expected + hwin && cand >= win)
        return cand - win;
    return cand;
}

/* ---- Reading ---- */

/* RFC 9000 16: a 1, 2, 4 or 8-byte integer, length in the top two bits. */
static uint64_t quic_varint(struct rd *r)
{
    uint8_t b = rd_u8(r);
    unsigned extra = (1u << (b >> 6)) - 1;
    uint64_t v = b & 0x3f;

    for (unsigned i = 0; i < extra; i++)
        v = v << 8 | rd_u8(r);
    return rd_ok(r) ? v : 0;
}

static json_t *quic_json_hex(const uint8_t *p, unsigned n)
{
    char buf[2 * 255 + 1];

    buf[0] = '\0';
    for (unsigned i = 0; i < n && i < 255; i++)
        snprintf(buf + 2 * i, 3, "%02x", p[i]);
    return json_string(buf);
}

/* ---- The event ---- */

/* TLS extension names as Suricata logs them in its quic event (IANA names,
 * "alpn" for application_layer_protocol_negotiation). */
static const char *quic_ext_name(uint16_t t)
{
    static const char *const names[] = {
        "server_name", "max_fragment_length", "client_certificate_url", "trusted_ca_keys",
        "truncated_hmac", "status_request", "user_mapping", "client_authz", "server_authz",
        "cert_type", "supported_groups", "ec_point_formats", "srp", "signature_algorithms",
        "use_srtp", "heartbeat", "alpn", "status_request_v2", "signed_certificate_timestamp",
        "client_certificate_type", "server_certificate_type", "padding", "encrypt_then_mac",
        "extended_master_secret", "token_binding", "cached_info", "tls_lts",
        "compress_certificate", "record_size_limit", "pwd_protect", "pwd_clear",
        "password_salt", "ticket_pinning", "tls_cert_with_extern_psk", "delegated_credentials",
        "session_ticket", "tlmsp", "tlmsp_proxying", "tlmsp_delegate", "supported_ekt_ciphers",
        NULL, "pre_shared_key", "early_data", "supported_versions", "cookie",
        "psk_key_exchange_modes", NULL, "certificate_authorities", "oid_filters",
        "post_handshake_auth", "signature_algorithms_cert", "key_share", "transparency_info",
        "connection_id_deprecated", "connection_id", "external_id_hash", "external_session_id",
        "quic_transport_parameters", "ticket_request", "dnssec_chain",
    };
    if (t < ARRAY_SIZE(names))
        return names[t];
    if (t == 13172)
        return "next_protocol_negotiation";
    if (t == 65281)
        return "renegotiation_info";
    return NULL;
}

/* The values Suricata lists for an extension: the host names of server_name
 * (RFC 6066 3), the protocols of ALPN (RFC 7301 3.1). */
static void quic_ext_values(json_t *e, uint16_t type, struct rd *d)
{
    json_t *vals = json_array();
    struct rd list;
    uint16_t list_len = rd_be16(d);

    rd_sub(d, list_len, &list);
    for (unsigned i = 0; i < QUIC_MAX_EXT_VALUES && rd_left(&list) > 0; i++) {
        uint32_t n;
        if (type == 0) {
            rd_u8(&list); /* name_type: host_name */
            n = rd_be16(&list);
        } else {
            n = rd_u8(&list);
        }
        if (!rd_has(&list, n))
            break;
        json_array_append_new(vals, app_json_str(rd_ptr(&list), n, 1024));
        rd_skip(&list, n);
    }
    if (json_array_size(vals) > 0)
        json_object_set_new_nocheck(e, "values", vals);
    else
        json_decref(vals);
}

/* The "extensions" array of Suricata's quic event from the ClientHello
 * body (RFC 8446 4.1.2); what is malformed is left out. */
static void quic_extensions(json_t *body, const uint8_t *ch, uint32_t len)
{
    struct rd r, exts;
    json_t *arr;

    rd_init(&r, ch, len);
    rd_skip(&r, 2 + 32);      /* legacy_version, random */
    rd_skip(&r, rd_u8(&r));   /* legacy_session_id */
    rd_skip(&r, rd_be16(&r)); /* cipher_suites */
    rd_skip(&r, rd_u8(&r));   /* legacy_compression_methods */
    uint16_t ext_len = rd_be16(&r);
    if (!rd_ok(&r))
        return;
    rd_sub(&r, ext_len, &exts);
    arr = json_array();
    for (unsigned i = 0; i < QUIC_MAX_EXTENSIONS && rd_left(&exts) >= 4; i++) {
        uint16_t type = rd_be16(&exts), n = rd_be16(&exts);
        struct rd data;
        if (!rd_sub(&exts, n, &data))
            break;
        json_t *e = json_object();
        const char *name = quic_ext_name(type);
        if (name)
            json_object_set_new_nocheck(e, "name", json_string(name));
        json_object_set_new_nocheck(e, "type", json_integer(type));
        if (type == 0 || type == 16)
            quic_ext_values(e, type, &data);
        json_array_append_new(arr, e);
    }
    if (json_array_size(arr) > 0)
        json_object_set_new_nocheck(body, "extensions", arr);
    else
        json_decref(arr);
}

static void quic_report(struct app_cx *cx, struct quic_state *s, bool hello)
{
    json_t *body, *extra;
    char vb[12];

    if (s->reported)
        return;
    s->reported = true;
    if (!s->have_version)
        goto out_done;
    body = json_object();
    extra = json_object();
    json_object_set_new_nocheck(body, "version",
                                json_string(quic_version_str(s->version, vb, sizeof(vb))));
    if (hello) {
        /* The ClientHello reader fills a tls-shaped object: sni/ja3/ja4 are
         * quic fields too, the rest (its "version" is the TLS one) is kept
         * in the store as tls_<key>. */
        uint32_t hlen = (uint32_t)s->crypto[1] << 16 | (uint32_t)s->crypto[2] << 8 | s->crypto[3];
        json_t *t = json_object(), *v;
        const char *key;
        tls_client_hello_json(s->crypto + 4, hlen, 'q', t, extra, cx);
        json_object_foreach(t, key, v) {
            if (strcmp(key, "sni") == 0 || strcmp(key, "ja3") == 0 || strcmp(key, "ja4") == 0) {
                json_object_set(body, key, v);
            } else {
                char k2[64];
                snprintf(k2, sizeof(k2), "tls_%s", key);
                json_object_set(extra, k2, v);
            }
        }
        json_decref(t);
        quic_extensions(body, s->crypto + 4, hlen);
    } else {
        json_object_set_new_nocheck(extra, "client_hello",
                                    json_string(s->crypto_contig > 0 ? "partial" : "none"));
    }
    if (s->have_cids) {
        json_object_set_new_nocheck(extra, "client_initial_dcid",
                                    quic_json_hex(s->dcid, s->dcid_len));
        if (s->scid_len)
            json_object_set_new_nocheck(extra, "client_scid", quic_json_hex(s->scid, s->scid_len));
    }
    if (s->server_seen && !s->server_vn)
        json_object_set_new_nocheck(
            extra, "server_version",
            json_string(quic_version_str(s->server_version, vb, sizeof(vb))));
    if (s->server_retry)
        json_object_set_new_nocheck(extra, "retry", json_true());
    if (s->server_vn) {
        json_t *a = json_array();
        for (unsigned i = 0; i < s->vn_count; i++)
            json_array_append_new(a, json_string(quic_version_str(s->vn_versions[i], vb,
                                                                  sizeof(vb))));
        json_object_set_new_nocheck(extra, "version_negotiation", a);
    }
    if (s->have_close)
        json_object_set_new_nocheck(extra, "close_error", json_integer((json_int_t)s->close_error));
    app_event(cx, "quic", 0, body, extra);
out_done:
    free(s->crypto);
    s->crypto = NULL;
    app_done(cx, -1);
}

/* ---- Client Initials ---- */

static void quic_crypto_store(struct app_cx *cx, struct quic_state *s, uint64_t off,
                              const uint8_t *data, uint32_t n)
{
    uint8_t *map;

    if (off >= QUIC_CRYPTO_MAX || n > QUIC_CRYPTO_MAX - off) {
        if (!s->flag_too_long)
            app_anomaly(cx, "quic.crypto_too_long");
        s->flag_too_long = true;
        if (off >= QUIC_CRYPTO_MAX)
            return;
        n = QUIC_CRYPTO_MAX - (uint32_t)off;
    }
    if (!s->crypto)
        s->crypto = xcalloc(1, QUIC_CRYPTO_MAX + QUIC_CRYPTO_BITMAP);
    map = s->crypto + QUIC_CRYPTO_MAX;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t pos = (uint32_t)off + i;
        uint8_t bit = (uint8_t)(1u << (pos & 7));
        if (map[pos >> 3] & bit) {
            /* A retransmission must repeat the bytes; different ones are an
             * attempt to show us another ClientHello than the server's. */
            if (s->crypto[pos] != data[i] && !s->flag_mismatch) {
                app_anomaly(cx, "quic.crypto_overlap_mismatch");
                s->flag_mismatch = true;
            }
            continue;
        }
        map[pos >> 3] |= bit;
        s->crypto[pos] = data[i];
        s->crypto_new++;
    }
    while (s->crypto_contig < QUIC_CRYPTO_MAX &&
           (map[s->crypto_contig >> 3] & (1u << (s->crypto_contig & 7))))
        s->crypto_contig++;
}

/* Frames of one decrypted Initial (RFC 9000 12.4: only PADDING, PING, ACK,
 * CRYPTO and CONNECTION_CLOSE may appear in it). Stops at the first frame it
 * cannot read. */
static void quic_frames(struct app_cx *cx, struct quic_state *s, const uint8_t *p, uint32_t len)
{
    struct rd r;

    rd_init(&r, p, len);
    for (unsigned n = 0; rd_left(&r) > 0; n++) {
        if (n >= QUIC_MAX_FRAMES_PER_PACKET) {
            app_anomaly(cx, "quic.too_many_frames");
            return;
        }
        uint64_t type = quic_varint(&r);
        switch (type) {
        case 0x00: /* PADDING: a run of zero bytes counts as one frame */
            while (rd_left(&r) > 0 && *rd_ptr(&r) == 0)
                rd_skip(&r, 1);
            break;
        case 0x01: /* PING */
            break;
        case 0x02: /* ACK */
        case 0x03: { /* ACK with ECN counts */
            quic_varint(&r); /* largest acknowledged */
            quic_varint(&r); /* ack delay */
            uint64_t ranges = quic_varint(&r);
            quic_varint(&r); /* first ack range */
            if (ranges > QUIC_MAX_ACK_RANGES) {
                app_anomaly(cx, "quic.invalid_frame");
                return;
            }
            for (uint64_t i = 0; i < 2 * ranges; i++)
                quic_varint(&r); /* gap, ack range length */
            if (type == 0x03)
                for (unsigned i = 0; i < 3; i++)
                    quic_varint(&r); /* ECT0, ECT1, ECN-CE */
            break;
        }
        case 0x06: { /* CRYPTO */
            uint64_t off = quic_varint(&r), n_bytes = quic_varint(&r);
            if (!rd_ok(&r) || n_bytes > rd_left(&r)) {
                r.err = true; /* truncated: reported below */
                break;
            }
            const uint8_t *d = rd_ptr(&r);
            rd_skip(&r, (uint32_t)n_bytes);
            quic_crypto_store(cx, s, off, d, (uint32_t)n_bytes);
            break;
        }
        case 0x1c: /* CONNECTION_CLOSE (transport) */
        case 0x1d: { /* (application; not allowed in Initials, read anyway) */
            uint64_t code = quic_varint(&r);
            if (type == 0x1c)
                quic_varint(&r); /* frame type */
            uint64_t reason = quic_varint(&r);
            if (reason > rd_left(&r)) {
                r.err = true;
                break;
            }
            rd_skip(&r, (uint32_t)reason);
            s->close_error = code;
            s->have_close = rd_ok(&r);
            break;
        }
        default:
            app_anomaly(cx, "quic.invalid_frame");
            return;
        }
        if (!rd_ok(&r)) {
            app_anomaly(cx, "quic.invalid_frame");
            return;
        }
    }
}

/* Removes header protection from and decrypts the packet copied to buf
 * (hdr_len + length bytes; the plaintext goes after it). Returns the
 * plaintext length, or -1 if the keys do not open it. */
static int quic_try_open(const struct quic_state *s, const struct quic_keys *k, const uint8_t *pkt,
                         uint32_t hdr_len, uint32_t length, uint8_t *buf, uint64_t *pn_out)
{
    uint32_t total = hdr_len + length, pn_len, ct_len;
    uint8_t mask[16], tag[QUIC_TAG_LEN];
    uint64_t pn = 0;

    memcpy(buf, pkt, total);
    if (quic_hp_mask(k->hp, buf + hdr_len + QUIC_HP_SAMPLE_OFF, mask) < 0)
        return -1;
    buf[0] ^= mask[0] & 0x0f;
    pn_len = (buf[0] & 3u) + 1;
    for (uint32_t i = 0; i < pn_len; i++) {
        buf[hdr_len + i] ^= mask[1 + i];
        pn = pn << 8 | buf[hdr_len + i];
    }
    pn = quic_decode_pn(s, pn, 8 * pn_len);
    /* length >= 20 >= pn_len + 16, so ct_len cannot wrap. */
    ct_len = length - pn_len - QUIC_TAG_LEN;
    memcpy(tag, buf + hdr_len + pn_len + ct_len, QUIC_TAG_LEN);
    if (quic_gcm(0, k, pn, buf, hdr_len + pn_len, buf + hdr_len + pn_len, ct_len, buf + total,
                 tag) < 0)
        return -1;
    *pn_out = pn;
    return (int)ct_len;
}

/* Opens one client Initial: pkt[0..hdr_len) is the header up to the packet
 * number, `length` bytes follow (packet number, ciphertext, tag).
 *
 * Which keys: those of the DCID of the client's first Initial, which stay in
 * use after the client switches its DCID to the server's SCID (RFC 9001
 * 5.2); failing that, those of this packet's DCID, which a Retry or a
 * Version Negotiation makes the new Initial keys. */
static void quic_open_initial(struct app_cx *cx, struct quic_state *s, uint32_t version,
                              const uint8_t *pkt, uint32_t hdr_len, uint32_t length,
                              const uint8_t *dcid, uint8_t dcid_len)
{
    uint32_t total = hdr_len + length;
    uint64_t pn = 0;
    uint8_t *buf;
    int n = -1;

    /* The sample needs 4 + 16 bytes after the packet number offset; a
     * shorter packet cannot be opened (and the tag alone is 16). */
    if (length < QUIC_HP_SAMPLE_OFF + QUIC_HP_SAMPLE_LEN) {
        app_anomaly(cx, "quic.packet_too_short");
        return;
    }
    buf = xmalloc(2 * (size_t)total);
    if (s->keys_valid && s->key_version == version)
        n = quic_try_open(s, &s->keys, pkt, hdr_len, length, buf, &pn);
    if (n < 0 && !(s->keys_valid && s->key_version == version && s->key_dcid_len == dcid_len &&
                   memcmp(s->key_dcid, dcid, dcid_len) == 0)) {
        struct quic_keys k;
        if (quic_initial_keys(version, dcid, dcid_len, 0, &k) == 0) {
            n = quic_try_open(s, &k, pkt, hdr_len, length, buf, &pn);
            if (n >= 0 || !s->keys_valid || s->key_version != version) {
                s->keys = k;
                s->key_version = version;
                s->key_dcid_len = dcid_len;
                memcpy(s->key_dcid, dcid, dcid_len);
                s->keys_valid = true;
            }
            memset(&k, 0, sizeof(k));
        }
    }
    if (n < 0) {
        if (!s->flag_decrypt)
            app_anomaly(cx, "quic.decrypt_failed");
        s->flag_decrypt = true;
        goto out_free;
    }
    /* RFC 9000 17.2: the reserved bits are 0 once protection is removed. */
    if (buf[0] & 0x0c)
        app_anomaly(cx, "quic.reserved_bits");
    if (!s->have_pn || pn > s->largest_pn)
        s->largest_pn = pn;
    s->have_pn = true;
    quic_frames(cx, s, buf + total, (uint32_t)n);
out_free:
    free(buf);
}

/* One long-header packet of a client datagram starting at r->off. Returns 0
 * when the next coalesced packet may follow, -1 when the rest of the datagram
 * cannot be read. */
static int quic_client_packet(struct app_cx *cx, struct quic_state *s, struct rd *r,
                              uint32_t dgram_len)
{
    const uint8_t *pkt = rd_ptr(r), *dcid, *scid;
    uint32_t start = r->off;
    uint8_t b0 = rd_u8(r), dcid_len, scid_len;
    uint32_t version = rd_be32(r);
    uint64_t length;
    unsigned type;

    if (!(b0 & 0x80))
        return -1; /* short header: 1-RTT to the end of the datagram, or padding */
    if (!rd_ok(r)) {
        app_anomaly(cx, "quic.invalid_header");
        return -1;
    }
    if (version == QUIC_VERSION_NEG) {
        app_anomaly(cx, "quic.invalid_header"); /* only servers send these */
        return -1;
    }
    s->version = version;
    s->have_version = true;
    if (!quic_version_known(version))
        return -1; /* the version is all we can learn */
    dcid_len = rd_u8(r);
    dcid = rd_ptr(r);
    rd_skip(r, dcid_len);
    scid_len = rd_u8(r);
    scid = rd_ptr(r);
    rd_skip(r, scid_len);
    if (!rd_ok(r) || dcid_len > QUIC_MAX_CID_LEN || scid_len > QUIC_MAX_CID_LEN) {
        app_anomaly(cx, "quic.invalid_header");
        return -1;
    }
    type = (b0 >> 4) & 3u;
    if (type == quic_type_retry(version)) {
        app_anomaly(cx, "quic.invalid_header"); /* only servers send these */
        return -1;
    }
    if (type == quic_type_initial(version)) {
        uint64_t token = quic_varint(r);
        if (token > rd_left(r))
            r->err = true;
        else
            rd_skip(r, (uint32_t)token);
    }
    length = quic_varint(r);
    if (!rd_ok(r) || length > rd_left(r)) {
        app_anomaly(cx, "quic.invalid_header");
        return -1;
    }
    uint32_t hdr_len = r->off - start;
    rd_skip(r, (uint32_t)length);
    if (type != quic_type_initial(version))
        return 0; /* 0-RTT or Handshake: keys we cannot have */
    if (!s->have_cids) {
        memcpy(s->dcid, dcid, dcid_len);
        memcpy(s->scid, scid, scid_len);
        s->dcid_len = dcid_len;
        s->scid_len = scid_len;
        s->have_cids = true;
    }
    if (dgram_len < QUIC_MIN_INITIAL_DATAGRAM && !s->flag_small) {
        app_anomaly(cx, "quic.initial_too_small");
        s->flag_small = true;
    }
    quic_open_initial(cx, s, version, pkt, hdr_len, (uint32_t)length, dcid, dcid_len);
    return 0;
}

/* Reports once the CRYPTO bytes from offset 0 hold a whole ClientHello, or
 * gives up on what can never become one. */
static void quic_check_hello(struct app_cx *cx, struct quic_state *s)
{
    uint32_t hlen;

    if (s->reported || s->crypto_contig < 4)
        return;
    if (s->crypto[0] != QUIC_HS_CLIENT_HELLO) {
        app_anomaly(cx, "quic.unexpected_handshake");
        quic_report(cx, s, false);
        return;
    }
    hlen = (uint32_t)s->crypto[1] << 16 | (uint32_t)s->crypto[2] << 8 | s->crypto[3];
    if (hlen > QUIC_CRYPTO_MAX - 4) {
        if (!s->flag_too_long)
            app_anomaly(cx, "quic.crypto_too_long");
        s->flag_too_long = true;
        quic_report(cx, s, false);
        return;
    }
    if (s->crypto_contig >= 4 + hlen)
        quic_report(cx, s, true);
}

/* ---- Server datagrams: only the first long header ---- */

static void quic_server_datagram(struct app_cx *cx, struct quic_state *s, const uint8_t *data,
                                 uint32_t len)
{
    struct rd r;
    uint8_t b0;
    uint32_t version;

    if (s->server_seen)
        return;
    rd_init(&r, data, len);
    b0 = rd_u8(&r);
    version = rd_be32(&r);
    if (!rd_ok(&r) || !(b0 & 0x80))
        return;
    s->server_seen = true;
    if (version == QUIC_VERSION_NEG) {
        /* RFC 9000 17.2.1 (and RFC 8999: CIDs up to 255 bytes). */
        rd_skip(&r, rd_u8(&r));
        rd_skip(&r, rd_u8(&r));
        if (!rd_ok(&r) || rd_left(&r) < 4 || rd_left(&r) % 4 != 0) {
            app_anomaly(cx, "quic.invalid_header");
            return;
        }
        s->server_vn = true;
        while (rd_left(&r) >= 4 && s->vn_count < QUIC_MAX_VN_VERSIONS)
            s->vn_versions[s->vn_count++] = rd_be32(&r);
        return;
    }
    s->server_version = version;
    s->server_retry = quic_version_known(version) && ((b0 >> 4) & 3u) == quic_type_retry(version);
}

/* ---- The parser ---- */

static enum app_probe_result quic_probe(const uint8_t *data, uint32_t len, int dir)
{
    struct rd r;
    uint8_t b0, dcid_len, scid_len;
    uint32_t version;

    rd_init(&r, data, len);
    b0 = rd_u8(&r);
    version = rd_be32(&r);
    dcid_len = rd_u8(&r);
    rd_skip(&r, dcid_len);
    scid_len = rd_u8(&r);
    rd_skip(&r, scid_len);
    if (!rd_ok(&r) || !(b0 & 0x80))
        return APP_PROBE_NO;
    if (version == QUIC_VERSION_NEG)
        return dir == 1 && rd_left(&r) >= 4 && (rd_left(&r) % 4 == 0 || len >= APP_PROBE_MAX)
                   ? APP_PROBE_YES
                   : APP_PROBE_NO;
    if (!(b0 & 0x40) || dcid_len > QUIC_MAX_CID_LEN || scid_len > QUIC_MAX_CID_LEN)
        return APP_PROBE_NO;
    /* RFC 9000 15: versions 0x?a?a?a?a are reserved to make the server
     * answer with Version Negotiation. */
    if ((version & 0x0f0f0f0fu) == 0x0a0a0a0au)
        return APP_PROBE_YES;
    if (version != QUIC_VERSION_1 && version != QUIC_VERSION_2 &&
        (version & 0xffffff00u) != 0xff000000u)
        return APP_PROBE_NO;
    /* A client starts with an Initial, which has a token and a length. */
    if (dir == 0 && quic_version_known(version) &&
        ((b0 >> 4) & 3u) != quic_type_initial(version))
        return APP_PROBE_NO;
    return APP_PROBE_YES;
}

static void quic_feed(struct app_cx *cx, void *state, int dir, const uint8_t *data, uint32_t len)
{
    struct quic_state *s = state;
    struct rd r;

    if (s->reported)
        return;
    if (dir != 0) {
        quic_server_datagram(cx, s, data, len);
        return;
    }
    s->datagrams++;
    s->crypto_new = 0;
    rd_init(&r, data, len);
    for (unsigned i = 0; i < QUIC_MAX_PACKETS_PER_DATAGRAM && rd_left(&r) > 0; i++)
        if (quic_client_packet(cx, s, &r, len) < 0)
            break;
    quic_check_hello(cx, s);
    if (s->reported)
        return;
    if (s->crypto_new == 0)
        s->idle++;
    if (s->idle >= QUIC_MAX_IDLE_DATAGRAMS || s->datagrams >= QUIC_MAX_CLIENT_DATAGRAMS)
        quic_report(cx, s, false);
}

static void quic_end(struct app_cx *cx, void *state)
{
    quic_report(cx, state, false);
}

static void quic_release(void *state)
{
    struct quic_state *s = state;

    free(s->crypto);
    s->crypto = NULL;
    memset(&s->keys, 0, sizeof(s->keys));
}

static const uint16_t quic_ports[] = {443, 8443, 0};

const struct app_parser app_parser_quic = {
    .id = APP_QUIC,
    .name = "quic",
    .ipproto = 17,
    .ports = quic_ports,
    .probe = quic_probe,
    .state_size = sizeof(struct quic_state),
    .feed = quic_feed,
    .gap = NULL,
    .end = quic_end,
    .release = quic_release,
};
