/* scn-quic.c - the app-quic scenario: QUIC version 1 Initial packets
 * protected as RFC 9001 5 says (keys from the client's first Destination
 * Connection ID through HKDF-SHA256, AES-128-GCM payload, AES-128-ECB
 * header protection), carrying a TLS 1.3 ClientHello in CRYPTO frames, so
 * that a parser (and tshark) can remove the protection and read the SNI. */
#include <string.h>

#include <openssl/evp.h>
#include <openssl/kdf.h>

#include "scenario/scenario.h"
#include "scenario/scn-build.h"
#include "util/util.h"

struct quic_keys {
    uint8_t key[16], iv[12], hp[16];
};

static void hkdf(int mode, const uint8_t *salt, size_t salt_len, const uint8_t *key,
                 size_t key_len, const uint8_t *info, size_t info_len, uint8_t *out,
                 size_t out_len)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, NULL);
    size_t n = out_len;
    if (!ctx || EVP_PKEY_derive_init(ctx) <= 0 ||
        EVP_PKEY_CTX_set_hkdf_md(ctx, EVP_sha256()) <= 0 ||
        EVP_PKEY_CTX_set_hkdf_mode(ctx, mode) <= 0 ||
        (salt && EVP_PKEY_CTX_set1_hkdf_salt(ctx, salt, (int)salt_len) <= 0) ||
        EVP_PKEY_CTX_set1_hkdf_key(ctx, key, (int)key_len) <= 0 ||
        (info && EVP_PKEY_CTX_add1_hkdf_info(ctx, info, (int)info_len) <= 0) ||
        EVP_PKEY_derive(ctx, out, &n) <= 0 || n != out_len)
        BUG("quic: HKDF failed");
    EVP_PKEY_CTX_free(ctx);
}

/* HKDF-Expand-Label (RFC 8446 7.1) with an empty context. */
static void expand_label(const uint8_t *secret, const char *label, uint8_t *out, size_t len)
{
    uint8_t info[64];
    size_t l = strlen(label), n = 0;
    info[n++] = (uint8_t)(len >> 8);
    info[n++] = (uint8_t)len;
    info[n++] = (uint8_t)(6 + l);
    memcpy(info + n, "tls13 ", 6);
    n += 6;
    memcpy(info + n, label, l);
    n += l;
    info[n++] = 0;
    hkdf(EVP_PKEY_HKDEF_MODE_EXPAND_ONLY, NULL, 0, secret, 32, info, n, out, len);
}

/* RFC 9001 5.2: Initial secrets of one side from the client's first DCID. */
static void quic_initial_keys(const uint8_t *dcid, size_t dcid_len, bool server,
                              struct quic_keys *k)
{
    static const uint8_t salt[] = {0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
                                   0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a};
    uint8_t initial[32], secret[32];
    hkdf(EVP_PKEY_HKDEF_MODE_EXTRACT_ONLY, salt, sizeof(salt), dcid, dcid_len, NULL, 0, initial,
         32);
    expand_label(initial, server ? "server in" : "client in", secret, 32);
    expand_label(secret, "quic key", k->key, 16);
    expand_label(secret, "quic iv", k->iv, 12);
    expand_label(secret, "quic hp", k->hp, 16);
}

/* Variable-length integer (RFC 9000 16), 1, 2 or 4 bytes. */
static void varint(struct scn_buf *b, uint64_t v)
{
    if (v < 64) {
        scn_buf_u8(b, (uint8_t)v);
    } else if (v < 16384) {
        scn_buf_u16(b, (uint16_t)(0x4000 | v));
    } else {
        scn_buf_u32(b, (uint32_t)(0x80000000u | v));
    }
}

/* One Initial packet from the payload frames (padded to `pad_to` datagram
 * bytes when non-zero), protected with k, appended to out. */
static void quic_initial(struct scn_buf *out, const struct quic_keys *k, const uint8_t *dcid,
                         size_t dcid_len, const uint8_t *scid, size_t scid_len, uint32_t pn,
                         const struct scn_buf *frames, size_t pad_to)
{
    struct scn_buf h;
    size_t pn_len = 2, tag = 16;
    size_t plen = frames->len;
    size_t hdr_guess = 1 + 4 + 1 + dcid_len + 1 + scid_len + 1 + 2 + pn_len;
    uint8_t nonce[12], ct[2048], mask[16];
    int outl = 0, tmp = 0;

    if (pad_to && hdr_guess + plen + tag < pad_to)
        plen = pad_to - hdr_guess - tag;
    if (plen > sizeof(ct) - tag)
        BUG("quic: Initial too large");
    scn_buf_init(&h);
    scn_buf_u8(&h, (uint8_t)(0xc0 | (pn_len - 1))); /* long header, Initial */
    scn_buf_u32(&h, 1);
    scn_buf_u8(&h, (uint8_t)dcid_len);
    scn_buf_mem(&h, dcid, dcid_len);
    scn_buf_u8(&h, (uint8_t)scid_len);
    scn_buf_mem(&h, scid, scid_len);
    varint(&h, 0); /* no token */
    scn_buf_u16(&h, (uint16_t)(0x4000 | (pn_len + plen + tag)));
    size_t pn_off = h.len;
    scn_buf_u16(&h, (uint16_t)pn);

    uint8_t pt[2048];
    memcpy(pt, frames->p, frames->len);
    memset(pt + frames->len, 0, plen - frames->len); /* PADDING frames */
    memcpy(nonce, k->iv, 12);
    for (int i = 0; i < 4; i++)
        nonce[11 - i] ^= (uint8_t)(pn >> (8 * i));
    EVP_CIPHER_CTX *cx = EVP_CIPHER_CTX_new();
    if (!cx || EVP_EncryptInit_ex(cx, EVP_aes_128_gcm(), NULL, NULL, NULL) != 1 ||
        EVP_CIPHER_CTX_ctrl(cx, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) != 1 ||
        EVP_EncryptInit_ex(cx, NULL, NULL, k->key, nonce) != 1 ||
        EVP_EncryptUpdate(cx, NULL, &tmp, h.p, (int)h.len) != 1 ||
        EVP_EncryptUpdate(cx, ct, &outl, pt, (int)plen) != 1 ||
        EVP_EncryptFinal_ex(cx, ct + outl, &tmp) != 1 ||
        EVP_CIPHER_CTX_ctrl(cx, EVP_CTRL_GCM_GET_TAG, 16, ct + plen) != 1)
        BUG("quic: AES-GCM failed");
    EVP_CIPHER_CTX_free(cx);

    /* Header protection (RFC 9001 5.4): sample 4 bytes after the packet
     * number's start, i.e. ciphertext offset 4 - pn_len. */
    const uint8_t *sample = ct + (4 - pn_len);
    cx = EVP_CIPHER_CTX_new();
    if (!cx || EVP_EncryptInit_ex(cx, EVP_aes_128_ecb(), NULL, k->hp, NULL) != 1 ||
        EVP_CIPHER_CTX_set_padding(cx, 0) != 1 ||
        EVP_EncryptUpdate(cx, mask, &outl, sample, 16) != 1 || outl != 16)
        BUG("quic: AES-ECB failed");
    EVP_CIPHER_CTX_free(cx);
    h.p[0] ^= mask[0] & 0x0f;
    for (size_t i = 0; i < pn_len; i++)
        h.p[pn_off + i] ^= mask[1 + i];
    scn_buf_mem(out, h.p, h.len);
    scn_buf_mem(out, ct, plen + tag);
    scn_buf_free(&h);
}

static void ext_begin(struct scn_buf *b, uint16_t type, size_t *m)
{
    scn_buf_u16(b, type);
    *m = scn_buf_mark(b, 2);
}

/* TLS 1.3 ClientHello handshake message for QUIC (no record layer): SNI,
 * ALPN h3, x25519 key share, quic_transport_parameters (RFC 9001 8.2). */
static void quic_client_hello(struct scn *s, struct scn_buf *b, const char *sni,
                              const uint8_t *scid, size_t scid_len)
{
    static const uint8_t sigs[] = {0x00, 0x10, 0x04, 0x03, 0x08, 0x04, 0x04, 0x01, 0x05,
                                   0x03, 0x08, 0x05, 0x05, 0x01, 0x08, 0x06, 0x06, 0x01};
    size_t hs, ex, m, l;

    scn_buf_clear(b);
    scn_buf_u8(b, 1);
    hs = scn_buf_mark(b, 3);
    scn_buf_u16(b, 0x0303);
    scn_buf_rand(b, &s->rng, 32);
    scn_buf_u8(b, 0);
    scn_buf_mem(b, "\x00\x06\x13\x01\x13\x02\x13\x03\x01\x00", 10);
    ex = scn_buf_mark(b, 2);
    ext_begin(b, 0x0000, &m);
    l = scn_buf_mark(b, 2);
    scn_buf_u8(b, 0);
    scn_buf_u16(b, (uint16_t)strlen(sni));
    scn_buf_str(b, sni);
    scn_buf_patch(b, l, 2);
    scn_buf_patch(b, m, 2);
    scn_buf_mem(b, "\x00\x0a\x00\x08\x00\x06\x00\x1d\x00\x17\x00\x18", 12);
    scn_buf_mem(b, "\x00\x10\x00\x05\x00\x03\x02h3", 9);
    scn_buf_u16(b, 0x000d);
    scn_buf_u16(b, sizeof(sigs));
    scn_buf_mem(b, sigs, sizeof(sigs));
    scn_buf_mem(b, "\x00\x33\x00\x26\x00\x24\x00\x1d\x00\x20", 10);
    scn_buf_rand(b, &s->rng, 32);
    scn_buf_mem(b, "\x00\x2d\x00\x02\x01\x01", 6);
    scn_buf_mem(b, "\x00\x2b\x00\x03\x02\x03\x04", 7);
    ext_begin(b, 0x0039, &m);
    scn_buf_mem(b, "\x01\x04\x80\x00\x75\x30", 6);     /* max_idle_timeout 30000 */
    scn_buf_mem(b, "\x03\x02\x45\xc0", 4);             /* max_udp_payload_size 1472 */
    scn_buf_mem(b, "\x04\x04\x80\x98\x96\x80", 6);     /* initial_max_data */
    scn_buf_mem(b, "\x05\x04\x80\x0f\x42\x40", 6);     /* ..._stream_data_bidi_local */
    scn_buf_mem(b, "\x08\x02\x40\x64", 4);             /* initial_max_streams_bidi 100 */
    scn_buf_u8(b, 0x0f);                               /* initial_source_connection_id */
    scn_buf_u8(b, (uint8_t)scid_len);
    scn_buf_mem(b, scid, scid_len);
    scn_buf_patch(b, m, 2);
    scn_buf_patch(b, ex, 2);
    scn_buf_patch(b, hs, 3);
}

static void crypto_frame(struct scn_buf *f, size_t off, const uint8_t *p, size_t n)
{
    scn_buf_u8(f, 0x06);
    varint(f, off);
    varint(f, n);
    scn_buf_mem(f, p, n);
}

/* One QUIC connection: the ClientHello in `parts` Initial packets (1 or 2),
 * the server's Initial (ACK + ServerHello), then a few protected 1-RTT
 * packets each way (random bytes behind a short header). */
static void quic_conn(struct scn *s, struct scn_host *cli, struct scn_host *srv, uint64_t *t,
                      const char *sni, unsigned parts)
{
    struct scn_ep c = scn_ep4(cli), v = scn_ep4(srv);
    uint8_t dcid[8], scid[8], srv_cid[8];
    struct quic_keys kc, ks;
    struct scn_buf ch, f, pkt;
    uint16_t sport = scn_host_port(s, cli);

    scn_rng_bytes(&s->rng, dcid, sizeof(dcid));
    scn_rng_bytes(&s->rng, scid, sizeof(scid));
    scn_rng_bytes(&s->rng, srv_cid, sizeof(srv_cid));
    quic_initial_keys(dcid, sizeof(dcid), false, &kc);
    quic_initial_keys(dcid, sizeof(dcid), true, &ks);
    scn_buf_init(&ch);
    scn_buf_init(&f);
    scn_buf_init(&pkt);
    quic_client_hello(s, &ch, sni, scid, sizeof(scid));

    size_t cut = parts > 1 ? ch.len / 2 : ch.len;
    for (unsigned i = 0; i < parts; i++) {
        size_t off = i ? cut : 0, n = i ? ch.len - cut : cut;
        scn_buf_clear(&f);
        scn_buf_clear(&pkt);
        crypto_frame(&f, off, ch.p + off, n);
        quic_initial(&pkt, &kc, dcid, sizeof(dcid), scid, sizeof(scid), i, &f, 1200);
        scn_udp(s, *t, &c, &v, sport, 443, pkt.p, pkt.len);
        *t += 30;
    }
    *t += scn_rng_range(&s->rng, 5 * SCN_MS, 25 * SCN_MS);

    /* server Initial: ACK of the client's packets, ServerHello */
    {
        struct scn_buf sh;
        size_t hs, ex;
        scn_buf_init(&sh);
        scn_buf_u8(&sh, 2);
        hs = scn_buf_mark(&sh, 3);
        scn_buf_u16(&sh, 0x0303);
        scn_buf_rand(&sh, &s->rng, 32);
        scn_buf_u8(&sh, 0);
        scn_buf_u16(&sh, 0x1301);
        scn_buf_u8(&sh, 0);
        ex = scn_buf_mark(&sh, 2);
        scn_buf_mem(&sh, "\x00\x33\x00\x24\x00\x1d\x00\x20", 8);
        scn_buf_rand(&sh, &s->rng, 32);
        scn_buf_mem(&sh, "\x00\x2b\x00\x02\x03\x04", 6);
        scn_buf_patch(&sh, ex, 2);
        scn_buf_patch(&sh, hs, 3);
        scn_buf_clear(&f);
        scn_buf_u8(&f, 0x02); /* ACK: largest, delay, 0 more ranges, first range */
        varint(&f, parts - 1);
        varint(&f, 0);
        varint(&f, 0);
        varint(&f, parts - 1);
        crypto_frame(&f, 0, sh.p, sh.len);
        scn_buf_clear(&pkt);
        quic_initial(&pkt, &ks, scid, sizeof(scid), srv_cid, sizeof(srv_cid), 0, &f, 1200);
        scn_udp(s, *t, &v, &c, 443, sport, pkt.p, pkt.len);
        scn_buf_free(&sh);
    }
    /* 1-RTT packets: short header (fixed bit, key phase 0), DCID, random */
    for (int i = 0; i < 4; i++) {
        int dir = i % 2;
        scn_buf_clear(&pkt);
        scn_buf_u8(&pkt, (uint8_t)(0x40 | (scn_rng_next(&s->rng) & 0x03)));
        scn_buf_mem(&pkt, dir ? scid : srv_cid, 8);
        scn_buf_rand(&pkt, &s->rng, dir ? scn_rng_range(&s->rng, 300, 1200) : 60);
        *t += scn_rng_range(&s->rng, 2 * SCN_MS, 20 * SCN_MS);
        if (dir)
            scn_udp(s, *t, &v, &c, 443, sport, pkt.p, pkt.len);
        else
            scn_udp(s, *t, &c, &v, sport, 443, pkt.p, pkt.len);
    }
    *t += 1 * SCN_SEC;
    scn_buf_free(&ch);
    scn_buf_free(&f);
    scn_buf_free(&pkt);
}

/* QUIC: SOUMU-PC01 opens www.google.com (ClientHello in one Initial) and
 * www.example.co.jp (ClientHello split over two Initials). */
void scn_gen_app_quic(struct scn *s, const struct scenario_opts *o)
{
    struct scn_host *gw, *pc, *google, *web;
    uint64_t t = SCN_EPOCH_US;
    (void)o;

    gw = scn_host_new(s, "RTX830", SCN_OS_ROUTER, scn_oui_yamaha, SCN_IP4(192, 168, 10, 1));
    pc = scn_host_new(s, "SOUMU-PC01", SCN_OS_WINDOWS, scn_oui_dell, SCN_IP4(192, 168, 10, 101));
    google = scn_host_remote(s, gw, SCN_OS_LINUX, SCN_IP4(142, 250, 196, 100), NULL);
    web = scn_host_remote(s, gw, SCN_OS_LINUX, SCN_IP4(203, 0, 113, 10), NULL);
    quic_conn(s, pc, google, &t, "www.google.com", 1);
    quic_conn(s, pc, web, &t, "www.example.co.jp", 2);
}
