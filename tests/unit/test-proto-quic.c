/* test-proto-quic.c - QUIC Initial keys, packet protection and the quic
 * parser: RFC 9001 Appendix A vectors, RFC 9369 (v2) keys, a ClientHello of
 * our own split over packets and datagrams, damaged packets, every prefix of
 * a datagram, the probe.
 *
 * With MAMORI_QUIC_SEED_DIR set, the datagrams built here are also written
 * there in the fuzz target's input format (tests/fuzz/fuzz-proto-quic.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app-test-util.h"
#include "proto/proto-quic.h"
#include "proto/proto-tls.h"
#include "util/util.h"

/* ---- helpers ---- */

static size_t unhex(const char *h, uint8_t *out, size_t cap)
{
    size_t n = 0;
    for (; h[0] && h[1]; h += 2) {
        unsigned v;
        assert_true(n < cap);
        assert_int_equal(sscanf(h, "%2x", &v), 1);
        out[n++] = (uint8_t)v;
    }
    return n;
}

static void assert_hex(const uint8_t *got, const char *want)
{
    uint8_t w[64];
    size_t n = unhex(want, w, sizeof(w));
    assert_memory_equal(got, w, n);
}

/* Appends a QUIC variable-length integer (RFC 9000 16) in the smallest
 * encoding. */
static size_t put_varint(uint8_t *p, uint64_t v)
{
    if (v < 64) {
        p[0] = (uint8_t)v;
        return 1;
    }
    if (v < 16384) {
        p[0] = (uint8_t)(0x40 | v >> 8);
        p[1] = (uint8_t)v;
        return 2;
    }
    p[0] = (uint8_t)(0x80 | v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
    return 4;
}

static size_t put_crypto(uint8_t *p, uint64_t off, const uint8_t *d, size_t n)
{
    size_t k = 0;
    p[k++] = 0x06; /* CRYPTO */
    k += put_varint(p + k, off);
    k += put_varint(p + k, n);
    memcpy(p + k, d, n);
    return k + n;
}

static const uint8_t t_dcid[8] = {0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08};
static const uint8_t t_scid[4] = {0xc1, 0x1e, 0x47, 0x01};

/* One client Initial carrying `frames`, padded with PADDING frames so that
 * the packet alone is `min_len` bytes (1200: the datagram minimum). */
static size_t build_initial_k(uint32_t version, const uint8_t *dcid, uint8_t dcid_len,
                              const uint8_t *key_dcid, uint8_t key_dcid_len, uint32_t pn,
                              const uint8_t *frames, size_t flen, size_t min_len, uint8_t *out,
                              size_t cap)
{
    struct quic_keys k;
    uint8_t payload[4096];
    /* Header: 1 + 4 + 1 + dcid + 1 + scid + token length 1 + Length 2 + pn 2. */
    size_t hdr = 7 + dcid_len + sizeof(t_scid) + 3 + 2;
    size_t plen = flen;

    assert_true(flen <= sizeof(payload));
    memcpy(payload, frames, flen);
    if (hdr + plen + QUIC_TAG_LEN < min_len)
        plen = min_len - hdr - QUIC_TAG_LEN;
    if (plen < 4)
        plen = 4; /* room for the header protection sample */
    assert_true(plen <= sizeof(payload));
    memset(payload + flen, 0, plen - flen);
    assert_int_equal(quic_initial_keys(version, key_dcid, key_dcid_len, 0, &k), 0);
    int n = quic_protect_initial(version, dcid, dcid_len, t_scid, sizeof(t_scid), &k, pn, 2,
                                 payload, (uint32_t)plen, out, (uint32_t)cap);
    assert_true(n > 0);
    return (size_t)n;
}

/* The usual case: keys from the DCID in the header. */
static size_t build_initial(uint32_t version, const uint8_t *dcid, uint8_t dcid_len,
                            uint32_t pn, const uint8_t *frames, size_t flen, size_t min_len,
                            uint8_t *out, size_t cap)
{
    return build_initial_k(version, dcid, dcid_len, dcid, dcid_len, pn, frames, flen, min_len,
                           out, cap);
}

/* A ClientHello handshake message (RFC 8446 4.1.2) with SNI `host`, ALPN
 * "h3", TLS 1.3 only, and a padding extension of `pad` bytes so it can be
 * made to need several packets. */
static size_t build_client_hello(const char *host, size_t pad, uint8_t *out, size_t cap)
{
    uint8_t ext[4096];
    size_t e = 0, hl = strlen(host), n = 0;

    /* server_name: type 0, len, list len, name_type 0, name len, name */
    ext[e++] = 0x00, ext[e++] = 0x00;
    ext[e++] = (uint8_t)((hl + 5) >> 8), ext[e++] = (uint8_t)(hl + 5);
    ext[e++] = (uint8_t)((hl + 3) >> 8), ext[e++] = (uint8_t)(hl + 3);
    ext[e++] = 0x00;
    ext[e++] = (uint8_t)(hl >> 8), ext[e++] = (uint8_t)hl;
    memcpy(ext + e, host, hl);
    e += hl;
    /* alpn: type 16, len 5, list len 3, "h3" */
    static const uint8_t alpn[] = {0x00, 0x10, 0x00, 0x05, 0x00, 0x03, 0x02, 'h', '3'};
    memcpy(ext + e, alpn, sizeof(alpn));
    e += sizeof(alpn);
    /* supported_versions: type 43, len 3, list len 2, TLS 1.3 */
    static const uint8_t sv[] = {0x00, 0x2b, 0x00, 0x03, 0x02, 0x03, 0x04};
    memcpy(ext + e, sv, sizeof(sv));
    e += sizeof(sv);
    /* supported_groups: type 10, len 4, list len 2, x25519 */
    static const uint8_t sg[] = {0x00, 0x0a, 0x00, 0x04, 0x00, 0x02, 0x00, 0x1d};
    memcpy(ext + e, sg, sizeof(sg));
    e += sizeof(sg);
    /* padding: type 21 */
    assert_true(e + 4 + pad <= sizeof(ext));
    ext[e++] = 0x00, ext[e++] = 0x15;
    ext[e++] = (uint8_t)(pad >> 8), ext[e++] = (uint8_t)pad;
    memset(ext + e, 0, pad);
    e += pad;

    size_t body = 2 + 32 + 1 + 2 + 6 + 2 + 2 + e;
    assert_true(4 + body <= cap);
    out[n++] = 0x01; /* ClientHello */
    out[n++] = (uint8_t)(body >> 16), out[n++] = (uint8_t)(body >> 8), out[n++] = (uint8_t)body;
    out[n++] = 0x03, out[n++] = 0x03; /* legacy_version */
    memset(out + n, 0x5a, 32);        /* random */
    n += 32;
    out[n++] = 0x00; /* legacy_session_id: empty in QUIC */
    out[n++] = 0x00, out[n++] = 0x06;
    static const uint8_t cs[] = {0x13, 0x01, 0x13, 0x02, 0x13, 0x03};
    memcpy(out + n, cs, sizeof(cs));
    n += sizeof(cs);
    out[n++] = 0x01, out[n++] = 0x00; /* compression: null */
    out[n++] = (uint8_t)(e >> 8), out[n++] = (uint8_t)e;
    memcpy(out + n, ext, e);
    n += e;
    return n;
}

/* Writes a seed for the fuzz target: records of [flags][len be16][bytes],
 * flags bit 0 the direction. */
static void write_seed(const char *name, const uint8_t *const *dg, const size_t *len,
                       const int *dir, unsigned n)
{
    const char *d = getenv("MAMORI_QUIC_SEED_DIR");
    char path[512];
    if (!d)
        return;
    snprintf(path, sizeof(path), "%s/%s", d, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    for (unsigned i = 0; i < n; i++) {
        uint8_t h[3] = {(uint8_t)dir[i], (uint8_t)(len[i] >> 8), (uint8_t)len[i]};
        fwrite(h, 1, 3, f);
        fwrite(dg[i], 1, len[i], f);
    }
    fclose(f);
}

/* ---- RFC 9001 Appendix A ---- */

/* A.2: the CRYPTO frame of the client's first Initial (a ClientHello for
 * example.com), followed by 917 bytes of PADDING to make 1162. */
static const char rfc_a2_frames[] =
    "060040f1010000ed0303ebf8fa56f12939b9584a3896472ec40bb863cfd3e868"
    "04fe3a47f06a2b69484c00000413011302010000c000000010000e00000b6578"
    "616d706c652e636f6dff01000100000a00080006001d00170018001000070005"
    "04616c706e000500050100000000003300260024001d00209370b2c9caa47fba"
    "baf4559fedba753de171fa71f50f1ce15d43e994ec74d748002b000302030400"
    "0d0010000e0403050306030203080408050806002d00020101001c0002400100"
    "3900320408ffffffffffffffff05048000ffff07048000ffff08011001048000"
    "75300901100f088394c8f03e51570806048000ffff";

/* A.2: the protected packet, 1200 bytes (the whole datagram). */
static const char rfc_a2_packet[] =
    "c000000001088394c8f03e5157080000449e7b9aec34d1b1c98dd7689fb8ec11"
    "d242b123dc9bd8bab936b47d92ec356c0bab7df5976d27cd449f63300099f399"
    "1c260ec4c60d17b31f8429157bb35a1282a643a8d2262cad67500cadb8e7378c"
    "8eb7539ec4d4905fed1bee1fc8aafba17c750e2c7ace01e6005f80fcb7df6212"
    "30c83711b39343fa028cea7f7fb5ff89eac2308249a02252155e2347b63d58c5"
    "457afd84d05dfffdb20392844ae812154682e9cf012f9021a6f0be17ddd0c208"
    "4dce25ff9b06cde535d0f920a2db1bf362c23e596d11a4f5a6cf3948838a3aec"
    "4e15daf8500a6ef69ec4e3feb6b1d98e610ac8b7ec3faf6ad760b7bad1db4ba3"
    "485e8a94dc250ae3fdb41ed15fb6a8e5eba0fc3dd60bc8e30c5c4287e53805db"
    "059ae0648db2f64264ed5e39be2e20d82df566da8dd5998ccabdae053060ae6c"
    "7b4378e846d29f37ed7b4ea9ec5d82e7961b7f25a9323851f681d582363aa5f8"
    "9937f5a67258bf63ad6f1a0b1d96dbd4faddfcefc5266ba6611722395c906556"
    "be52afe3f565636ad1b17d508b73d8743eeb524be22b3dcbc2c7468d54119c74"
    "68449a13d8e3b95811a198f3491de3e7fe942b330407abf82a4ed7c1b311663a"
    "c69890f4157015853d91e923037c227a33cdd5ec281ca3f79c44546b9d90ca00"
    "f064c99e3dd97911d39fe9c5d0b23a229a234cb36186c4819e8b9c5927726632"
    "291d6a418211cc2962e20fe47feb3edf330f2c603a9d48c0fcb5699dbfe58964"
    "25c5bac4aee82e57a85aaf4e2513e4f05796b07ba2ee47d80506f8d2c25e50fd"
    "14de71e6c418559302f939b0e1abd576f279c4b2e0feb85c1f28ff18f58891ff"
    "ef132eef2fa09346aee33c28eb130ff28f5b766953334113211996d20011a198"
    "e3fc433f9f2541010ae17c1bf202580f6047472fb36857fe843b19f5984009dd"
    "c324044e847a4f4a0ab34f719595de37252d6235365e9b84392b061085349d73"
    "203a4a13e96f5432ec0fd4a1ee65accdd5e3904df54c1da510b0ff20dcc0c77f"
    "cb2c0e0eb605cb0504db87632cf3d8b4dae6e705769d1de354270123cb11450e"
    "fc60ac47683d7b8d0f811365565fd98c4c8eb936bcab8d069fc33bd801b03ade"
    "a2e1fbc5aa463d08ca19896d2bf59a071b851e6c239052172f296bfb5e724047"
    "90a2181014f3b94a4e97d117b438130368cc39dbb2d198065ae3986547926cd2"
    "162f40a29f0c3c8745c0f50fba3852e566d44575c29d39a03f0cda721984b6f4"
    "40591f355e12d439ff150aab7613499dbd49adabc8676eef023b15b65bfc5ca0"
    "6948109f23f350db82123535eb8a7433bdabcb909271a6ecbcb58b936a88cd4e"
    "8f2e6ff5800175f113253d8fa9ca8885c2f552e657dc603f252e1a8e308f76f0"
    "be79e2fb8f5d5fbbe2e30ecadd220723c8c0aea8078cdfcb3868263ff8f09400"
    "54da48781893a7e49ad5aff4af300cd804a6b6279ab3ff3afb64491c85194aab"
    "760d58a606654f9f4400e8b38591356fbf6425aca26dc85244259ff2b19c41b9"
    "f96f3ca9ec1dde434da7d2d392b905ddf3d1f9af93d1af5950bd493f5aa731b4"
    "056df31bd267b6b90a079831aaf579be0a39013137aac6d404f518cfd4684064"
    "7e78bfe706ca4cf5e9c5453e9f7cfd2b8b4c8d169a44e55c88d4a9a7f9474241"
    "e221af44860018ab0856972e194cd934";

static size_t rfc_a2(uint8_t *out)
{
    size_t n = unhex(rfc_a2_packet, out, 1200);
    assert_int_equal(n, 1200);
    return n;
}

/* A.1: keys from DCID 0x8394c8f03e515708. */
static void test_rfc9001_a1_keys(void **st)
{
    struct quic_keys k;
    (void)st;
    assert_int_equal(quic_initial_keys(QUIC_VERSION_1, t_dcid, 8, 0, &k), 0);
    assert_hex(k.key, "1f369613dd76d5467730efcbe3b1a22d");
    assert_hex(k.iv, "fa044b2f42a3fd3b46fb255c");
    assert_hex(k.hp, "9f50449e04a0e810283a1e9933adedd2");
    assert_int_equal(quic_initial_keys(QUIC_VERSION_1, t_dcid, 8, 1, &k), 0);
    assert_hex(k.key, "cf3a5331653c364c88f0f379b6067e37");
    assert_hex(k.iv, "0ac1493ca1905853b0bba03e");
    assert_hex(k.hp, "c206b8d9b9f0f37644430b490eeaa314");
    /* No salt known: gQUIC Q050, draft 22, an unassigned version. */
    assert_int_equal(quic_initial_keys(0x51303530u, t_dcid, 8, 0, &k), -1);
    assert_int_equal(quic_initial_keys(0xff000016u, t_dcid, 8, 0, &k), -1);
    assert_int_equal(quic_initial_keys(0xdeadbeefu, t_dcid, 8, 0, &k), -1);
}

/* RFC 9369 A.1: v2 uses its own salt and "quicv2 key/iv/hp" labels. */
static void test_rfc9369_v2_keys(void **st)
{
    struct quic_keys k;
    (void)st;
    assert_int_equal(quic_initial_keys(QUIC_VERSION_2, t_dcid, 8, 0, &k), 0);
    assert_hex(k.key, "8b1a0bc121284290a29e0971b5cd045d");
    assert_hex(k.iv, "91f73e2351d8fa91660e909f");
    assert_hex(k.hp, "45b95e15235d6f45a6b19cbcb0294ba9");
    assert_int_equal(quic_initial_keys(QUIC_VERSION_2, t_dcid, 8, 1, &k), 0);
    assert_hex(k.key, "82db637861d55e1d011f19ea71d5d2a7");
    assert_hex(k.iv, "dd13c276499c0249d3310652");
    assert_hex(k.hp, "edf6d05c83121201b436e16877593c3a");
}

/* A.2: sealing the given frames with packet number 2 in 4 bytes gives the
 * published protected packet byte for byte (payload, tag, header mask). */
static void test_rfc9001_a2_protect(void **st)
{
    uint8_t frames[1162], want[1200], got[1300];
    struct quic_keys k;
    (void)st;
    memset(frames, 0, sizeof(frames));
    assert_int_equal(unhex(rfc_a2_frames, frames, sizeof(frames)), 245);
    rfc_a2(want);
    assert_int_equal(quic_initial_keys(QUIC_VERSION_1, t_dcid, 8, 0, &k), 0);
    int n = quic_protect_initial(QUIC_VERSION_1, t_dcid, 8, NULL, 0, &k, 2, 4, frames,
                                 sizeof(frames), got, sizeof(got));
    assert_int_equal(n, 1200);
    assert_memory_equal(got, want, 1200);
    /* One byte short of room: refused, nothing written past cap. */
    assert_int_equal(quic_protect_initial(QUIC_VERSION_1, t_dcid, 8, NULL, 0, &k, 2, 4, frames,
                                          sizeof(frames), got, 1199),
                     -1);
}

/* A.3: the server's Initial (ServerHello), packet number 1 in 2 bytes, keys
 * from the client's DCID, its own empty DCID and SCID f067a5502a4262b5. */
static void test_rfc9001_a3_server(void **st)
{
    static const char frames_hex[] =
        "02000000000600405a020000560303eefce7f7b37ba1d1632e96677825ddf739"
        "88cfc79825df566dc5430b9a045a1200130100002e00330024001d00209d3c94"
        "0d89690b84d08a60993c144eca684d1081287c834d5311bcf32bb9da1a002b00"
        "020304";
    static const char want_hex[] =
        "cf000000010008f067a5502a4262b5004075c0d95a482cd0991cd25b0aac406a"
        "5816b6394100f37a1c69797554780bb38cc5a99f5ede4cf73c3ec2493a1839b3"
        "dbcba3f6ea46c5b7684df3548e7ddeb9c3bf9c73cc3f3bded74b562bfb19fb84"
        "022f8ef4cdd93795d77d06edbb7aaf2f58891850abbdca3d20398c276456cbc4"
        "2158407dd074ee";
    static const uint8_t scid[8] = {0xf0, 0x67, 0xa5, 0x50, 0x2a, 0x42, 0x62, 0xb5};
    uint8_t frames[128], want[160], got[256];
    struct quic_keys k;
    (void)st;
    size_t fl = unhex(frames_hex, frames, sizeof(frames));
    size_t wl = unhex(want_hex, want, sizeof(want));
    assert_int_equal(quic_initial_keys(QUIC_VERSION_1, t_dcid, 8, 1, &k), 0);
    int n = quic_protect_initial(QUIC_VERSION_1, NULL, 0, scid, 8, &k, 1, 2, frames,
                                 (uint32_t)fl, got, sizeof(got));
    assert_int_equal(n, (int)wl);
    assert_memory_equal(got, want, wl);
}

/* The parser opens the A.2 datagram and reports example.com. */
static void test_parse_rfc_a2(void **st)
{
    uint8_t dg[1200];
    struct apt t;
    (void)st;
    size_t n = rfc_a2(dg);
    const uint8_t *seeds[1] = {dg};
    const size_t lens[1] = {n};
    const int dirs[1] = {0};
    write_seed("rfc9001-a2-client-initial", seeds, lens, dirs, 1);

    apt_begin(&t, &app_parser_quic, 17);
    apt_feed(&t, 0, dg, (uint32_t)n);
    /* Reported as soon as the ClientHello is whole, and done with the flow. */
    assert_int_equal(t.nevents, 1);
    assert_int_equal(t.cx.done_mask, 3);
    assert_int_equal(t.nanomalies, 0);
    assert_non_null(strstr(t.ev[0], "quic {"));
    assert_non_null(strstr(t.ev[0], "\"version\":\"1\""));
    assert_non_null(strstr(t.ev[0], "{\"name\":\"server_name\",\"type\":0,"
                                    "\"values\":[\"example.com\"]}"));
    assert_non_null(strstr(t.ev[0], "{\"name\":\"alpn\",\"type\":16,\"values\":[\"alpn\"]}"));
    assert_non_null(strstr(t.ev[0], "{\"name\":\"quic_transport_parameters\",\"type\":57}"));
    assert_non_null(strstr(t.ev[0], "\"client_initial_dcid\":\"8394c8f03e515708\""));
    assert_non_null(strstr(t.ev[0], "\"sni\":\"example.com\""));
    assert_non_null(strstr(t.ev[0], "\"ja4\":\"q13d"));
    assert_non_null(strstr(t.ev[0], "\"ja3\":{\"hash\":"));
    fprintf(stderr, "A.2 event: %s\n", t.ev[0]);
    apt_end(&t);
    assert_int_equal(t.nevents, 1); /* end() does not report twice */
    apt_free(&t);
}

/* Each prefix of the A.2 datagram as a datagram of its own: never a crash,
 * never a ClientHello, an anomaly whenever there were 5+ bytes (a long
 * header's first byte and version) and the version from then on. */
static void test_parse_prefixes(void **st)
{
    uint8_t dg[1200];
    (void)st;
    size_t n = rfc_a2(dg);
    struct apt t;
    /* One dispatcher for all (setting one up starts nDPI, which is slow);
     * a fresh parser state for each prefix. */
    apt_begin(&t, &app_parser_quic, 17);
    for (size_t cut = 0; cut < n; cut++) {
        uint8_t *p = malloc(cut ? cut : 1);
        memcpy(p, dg, cut);
        apt_clear(&t);
        memset(t.state, 0, app_parser_quic.state_size);
        t.cx.done_mask = 0;
        if (cut)
            apt_feed(&t, 0, p, (uint32_t)cut);
        app_parser_quic.end(&t.cx, t.state);
        app_parser_quic.release(t.state);
        free(p);
        if (cut < 5) {
            /* 0-4 bytes: no version yet, so no event (off-by-one: 4 bytes
             * hold the first byte and 3 of the 4 version bytes). */
            assert_int_equal(t.nevents, 0);
        } else {
            assert_int_equal(t.nevents, 1);
            assert_non_null(strstr(t.ev[0], "\"version\":\"1\""));
            assert_null(strstr(t.ev[0], "example.com"));
        }
        if (cut > 0)
            assert_true(t.nanomalies >= 1);
    }
    apt_free(&t);
}

/* A damaged tag or ciphertext: quic.decrypt_failed, the version only. */
static void test_bad_tag(void **st)
{
    uint8_t dg[1200];
    (void)st;
    size_t n = rfc_a2(dg);
    static const size_t flips[] = {100, 1199, 1184}; /* ciphertext, last tag byte, first */
    for (size_t i = 0; i < ARRAY_SIZE(flips); i++) {
        struct apt t;
        uint8_t bad[1200];
        memcpy(bad, dg, n);
        bad[flips[i]] ^= 0x01;
        apt_begin(&t, &app_parser_quic, 17);
        apt_feed(&t, 0, bad, (uint32_t)n);
        assert_int_equal(t.nevents, 0);
        assert_true(apt_has_anomaly(&t, "quic.decrypt_failed"));
        apt_end(&t);
        assert_int_equal(t.nevents, 1);
        assert_non_null(strstr(t.ev[0], "\"version\":\"1\""));
        assert_non_null(strstr(t.ev[0], "\"client_hello\":\"none\""));
        apt_free(&t);
    }
}

/* A ClientHello too big for one packet: CRYPTO 0..900 in the first
 * datagram, 900..end in the second, SNI cut across the two halves' border
 * in the variant where it lies there. In order, reversed, and both packets
 * coalesced in one datagram. */
static void test_split_two_packets(void **st)
{
    uint8_t ch[2048], f1[1200], f2[1500], d1[1400], d2[1600], both[3000];
    (void)st;
    size_t chl = build_client_hello("split.example.org", 1000, ch, sizeof(ch));
    assert_true(chl > 1000);
    /* The name starts at 4 + 2 + 32 + 1 + 2 + 6 + 2 + 2 + 9 = 60: cut at 65
     * to split it too. */
    static const size_t cuts[] = {65, 900};
    for (size_t c = 0; c < ARRAY_SIZE(cuts); c++) {
        size_t cut = cuts[c];
        size_t l1 = put_crypto(f1, 0, ch, cut);
        size_t l2 = put_crypto(f2, cut, ch + cut, chl - cut);
        size_t n1 = build_initial(QUIC_VERSION_1, t_dcid, 8, 0, f1, l1, 1200, d1, sizeof(d1));
        size_t n2 = build_initial(QUIC_VERSION_1, t_dcid, 8, 1, f2, l2, 1200, d2, sizeof(d2));
        if (c == 1) {
            const uint8_t *seeds[2] = {d1, d2};
            const size_t lens[2] = {n1, n2};
            const int dirs[2] = {0, 0};
            write_seed("split-two-datagrams", seeds, lens, dirs, 2);
        }
        for (int order = 0; order < 3; order++) {
            struct apt t;
            apt_begin(&t, &app_parser_quic, 17);
            if (order == 0) {
                apt_feed(&t, 0, d1, (uint32_t)n1);
                assert_int_equal(t.nevents, 0); /* half a ClientHello: wait */
                apt_feed(&t, 0, d2, (uint32_t)n2);
            } else if (order == 1) {
                apt_feed(&t, 0, d2, (uint32_t)n2);
                assert_int_equal(t.nevents, 0);
                apt_feed(&t, 0, d1, (uint32_t)n1);
            } else {
                memcpy(both, d1, n1);
                memcpy(both + n1, d2, n2);
                apt_feed(&t, 0, both, (uint32_t)(n1 + n2));
            }
            assert_int_equal(t.nevents, 1);
            assert_int_equal(t.nanomalies, 0);
            assert_non_null(strstr(t.ev[0], "\"values\":[\"split.example.org\"]"));
            assert_non_null(strstr(t.ev[0], "\"values\":[\"h3\"]"));
            assert_non_null(strstr(t.ev[0], "\"sni\":\"split.example.org\""));
            apt_free(&t);
        }
    }
}

/* The client's DCID changes mid-handshake. (a) After the server's first
 * Initial the DCID field carries the server's SCID but the keys stay those
 * of the first DCID (RFC 9001 5.2). (b) After a Retry the new DCID brings
 * new keys, and the ClientHello is sent again in full. Neither is an
 * anomaly. */
static void test_dcid_change(void **st)
{
    static const uint8_t dcid_b[5] = {0x5e, 0x7e, 0x7a, 0x11, 0x42};
    uint8_t ch[2048], f1[1200], f2[2100], d1[1400], d2[2300];
    (void)st;
    size_t chl = build_client_hello("moved.example", 1000, ch, sizeof(ch));
    size_t l1 = put_crypto(f1, 0, ch, 500);
    size_t n1 = build_initial(QUIC_VERSION_1, t_dcid, 8, 0, f1, l1, 1200, d1, sizeof(d1));
    for (int c = 0; c < 2; c++) {
        struct apt t;
        size_t l2, n2;
        if (c == 0) {
            l2 = put_crypto(f2, 500, ch + 500, chl - 500);
            n2 = build_initial_k(QUIC_VERSION_1, dcid_b, 5, t_dcid, 8, 1, f2, l2, 1200, d2,
                                 sizeof(d2));
        } else {
            l2 = put_crypto(f2, 0, ch, chl);
            n2 = build_initial(QUIC_VERSION_1, dcid_b, 5, 1, f2, l2, 1200, d2, sizeof(d2));
        }
        apt_begin(&t, &app_parser_quic, 17);
        apt_feed(&t, 0, d1, (uint32_t)n1);
        assert_int_equal(t.nevents, 0);
        apt_feed(&t, 0, d2, (uint32_t)n2);
        assert_int_equal(t.nevents, 1);
        assert_int_equal(t.nanomalies, 0);
        assert_non_null(strstr(t.ev[0], "\"sni\":\"moved.example\""));
        /* The first DCID is the one logged. */
        assert_non_null(strstr(t.ev[0], "\"client_initial_dcid\":\"8394c8f03e515708\""));
        apt_free(&t);
    }
}

/* Chrome-style: the ClientHello in many small CRYPTO frames out of order,
 * with PING and PADDING between them and an ACK first, in one packet; then
 * the same packet again (a retransmission) must change nothing. */
static void test_chaos_frames(void **st)
{
    uint8_t ch[512], frames[1200], dg[1400];
    struct apt t;
    size_t fl = 0;
    (void)st;
    size_t chl = build_client_hello("chaos.example", 16, ch, sizeof(ch));
    /* ACK: largest 0, delay 0, 1 extra range (gap 0, length 0), first 0 */
    static const uint8_t ack[] = {0x02, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00};
    memcpy(frames, ack, sizeof(ack));
    fl += sizeof(ack);
    /* pieces of 7 bytes, last first */
    size_t starts[64], np = 0;
    for (size_t o = 0; o < chl; o += 7)
        starts[np++] = o;
    for (size_t i = np; i-- > 0;) {
        size_t o = starts[i], len = MIN((size_t)7, chl - o);
        fl += put_crypto(frames + fl, o, ch + o, len);
        frames[fl++] = (i % 2) ? 0x01 : 0x00; /* PING or a PADDING byte */
    }
    size_t n = build_initial(QUIC_VERSION_1, t_dcid, 8, 0, frames, fl, 1200, dg, sizeof(dg));
    const uint8_t *seeds[1] = {dg};
    const size_t lens[1] = {n};
    const int dirs[1] = {0};
    write_seed("chaos-frames", seeds, lens, dirs, 1);

    apt_begin(&t, &app_parser_quic, 17);
    apt_feed(&t, 0, dg, (uint32_t)n);
    assert_int_equal(t.nevents, 1);
    assert_int_equal(t.nanomalies, 0);
    assert_non_null(strstr(t.ev[0], "\"values\":[\"chaos.example\"]"));
    apt_feed(&t, 0, dg, (uint32_t)n); /* after the report: ignored */
    assert_int_equal(t.nevents, 1);
    apt_free(&t);
}

/* v2 (Initial is long packet type 1) and draft-29 Initials open with their
 * own salts; the version is printed the way Suricata does. */
static void test_versions(void **st)
{
    static const struct {
        uint32_t v;
        const char *s;
    } cases[] = {
        {QUIC_VERSION_2, "\"version\":\"6b3343cf\""},
        {QUIC_VERSION_DRAFT29, "\"version\":\"ff00001d\""},
        {0xff00001bu, "\"version\":\"ff00001b\""}, /* draft 27: the draft-23 salt */
        {0xff000022u, "\"version\":\"ff000022\""}, /* draft 34: the v1 salt */
    };
    uint8_t ch[512], frames[600], dg[1400];
    (void)st;
    size_t chl = build_client_hello("v.example", 0, ch, sizeof(ch));
    size_t fl = put_crypto(frames, 0, ch, chl);
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct apt t;
        size_t n = build_initial(cases[i].v, t_dcid, 8, 0, frames, fl, 1200, dg, sizeof(dg));
        if (i == 0) {
            const uint8_t *seeds[1] = {dg};
            const size_t lens[1] = {n};
            const int dirs[1] = {0};
            write_seed("v2-client-initial", seeds, lens, dirs, 1);
            assert_int_equal(dg[0] & 0x30, 0x10); /* v2 Initial type bits */
        }
        assert_int_equal(app_parser_quic.probe(dg, 512, 0), APP_PROBE_YES);
        apt_begin(&t, &app_parser_quic, 17);
        apt_feed(&t, 0, dg, (uint32_t)n);
        assert_int_equal(t.nevents, 1);
        assert_int_equal(t.nanomalies, 0);
        assert_non_null(strstr(t.ev[0], cases[i].s));
        assert_non_null(strstr(t.ev[0], "\"values\":[\"v.example\"]"));
        apt_free(&t);
    }
    char b[12];
    assert_string_equal(quic_version_str(0x51303436u, b, sizeof(b)), "Q046");
    assert_string_equal(quic_version_str(1, b, sizeof(b)), "1");
}

/* An unknown version: nothing to open; the version alone, once the client
 * sent QUIC_MAX_IDLE_DATAGRAMS datagrams (off-by-one: not after 7). */
static void test_unknown_version_idle(void **st)
{
    uint8_t dg[1200];
    struct apt t;
    (void)st;
    memset(dg, 0, sizeof(dg));
    /* long header, fixed bit, Initial; version 0x1a2a3a4a (reserved, VN
     * forcing); DCID length 8, DCID, SCID length 0 */
    static const uint8_t hdr[] = {0xc0, 0x1a, 0x2a, 0x3a, 0x4a, 0x08, 1, 2, 3, 4, 5, 6, 7, 8, 0x00};
    memcpy(dg, hdr, sizeof(hdr));
    assert_int_equal(app_parser_quic.probe(dg, 512, 0), APP_PROBE_YES);
    apt_begin(&t, &app_parser_quic, 17);
    for (int i = 0; i < 7; i++)
        apt_feed(&t, 0, dg, sizeof(dg));
    assert_int_equal(t.nevents, 0);
    apt_feed(&t, 0, dg, sizeof(dg));
    assert_int_equal(t.nevents, 1);
    assert_non_null(strstr(t.ev[0], "\"version\":\"1a2a3a4a\""));
    assert_int_equal(t.cx.done_mask, 3);
    apt_free(&t);
}

/* The server's first long header goes to the store-only facts: a Version
 * Negotiation lists what the server offers, then the client's v1 Initial
 * carries the ClientHello. */
static void test_server_version_negotiation(void **st)
{
    uint8_t dg[1200];
    struct apt t;
    (void)st;
    /* VN: first byte (any, long), version 0, DCID len 4 + DCID, SCID len 8
     * + SCID, then versions 1 and 0x6b3343cf */
    static const uint8_t vn[] = {0x80, 0, 0, 0, 0, 0x04, 0xc1, 0x1e, 0x47, 0x01, 0x08, 0x83,
                                 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08, 0x00, 0x00, 0x00,
                                 0x01, 0x6b, 0x33, 0x43, 0xcf};
    assert_int_equal(app_parser_quic.probe(vn, sizeof(vn), 1), APP_PROBE_YES);
    /* The same from the client: only servers negotiate. */
    assert_int_equal(app_parser_quic.probe(vn, sizeof(vn), 0), APP_PROBE_NO);
    /* One version byte short (off-by-one on the 4-byte list). */
    assert_int_equal(app_parser_quic.probe(vn, sizeof(vn) - 1, 1), APP_PROBE_NO);
    size_t n = rfc_a2(dg);
    const uint8_t *seeds[2] = {vn, dg};
    const size_t lens[2] = {sizeof(vn), n};
    const int dirs[2] = {1, 0};
    write_seed("server-version-negotiation", seeds, lens, dirs, 2);
    apt_begin(&t, &app_parser_quic, 17);
    apt_feed(&t, 1, vn, sizeof(vn));
    apt_feed(&t, 0, dg, (uint32_t)n);
    assert_int_equal(t.nevents, 1);
    assert_non_null(strstr(t.ev[0], "\"version_negotiation\":[\"1\",\"6b3343cf\"]"));
    apt_free(&t);
}

/* Damage inside a decrypted packet: an unknown frame, a CRYPTO frame past
 * the buffer, a ClientHello claiming more than the buffer, different bytes
 * for the same offset, a datagram under 1200 bytes. */
static void test_frame_anomalies(void **st)
{
    uint8_t ch[512], frames[1200], dg[1400];
    (void)st;
    size_t chl = build_client_hello("a.example", 0, ch, sizeof(ch));
    struct {
        const char *anomaly;
        int events_after_feed;
    } want[] = {
        {"quic.invalid_frame", 0},
        {"quic.crypto_too_long", 0},
        {"quic.crypto_too_long", 1},
        {"quic.crypto_overlap_mismatch", 1},
        {"quic.initial_too_small", 1},
        {"quic.unexpected_handshake", 1},
    };
    for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
        struct apt t;
        size_t fl = 0, min = 1200;
        switch (i) {
        case 0: /* STREAM (0x08) is not allowed in an Initial */
            frames[fl++] = 0x08;
            frames[fl++] = 0x00;
            break;
        case 1: /* CRYPTO at offset QUIC_CRYPTO_MAX - 2, 4 bytes: 2 too many */
            fl = put_crypto(frames, 16382, ch, 4);
            break;
        case 2: /* handshake length 0x010000: more than 16 KiB - 4 */
            fl = put_crypto(frames, 0, (const uint8_t[]){0x01, 0x01, 0x00, 0x00}, 4);
            break;
        case 3: /* the ClientHello, then its first byte again, changed */
            fl = put_crypto(frames, 0, ch, chl);
            fl += put_crypto(frames + fl, 0, (const uint8_t[]){0x02}, 1);
            break;
        case 4: /* a 1199-byte datagram (off-by-one below the minimum) */
            fl = put_crypto(frames, 0, ch, chl);
            min = 1199;
            break;
        case 5: /* a ServerHello (type 2) from the client */
            fl = put_crypto(frames, 0, (const uint8_t[]){0x02, 0x00, 0x00, 0x00}, 4);
            break;
        }
        size_t n = build_initial(QUIC_VERSION_1, t_dcid, 8, 0, frames, fl, min, dg, sizeof(dg));
        if (i == 4)
            assert_int_equal(n, 1199);
        apt_begin(&t, &app_parser_quic, 17);
        apt_feed(&t, 0, dg, (uint32_t)n);
        assert_true(apt_has_anomaly(&t, want[i].anomaly));
        assert_int_equal(t.nevents, (unsigned)want[i].events_after_feed);
        apt_end(&t);
        assert_int_equal(t.nevents, 1);
        apt_free(&t);
    }
}

/* The probe: what a client's or server's first datagram must look like. */
static void test_probe(void **st)
{
    uint8_t dg[1200];
    (void)st;
    rfc_a2(dg);
    const struct app_parser *p = &app_parser_quic;
    assert_int_equal(p->probe(dg, 512, 0), APP_PROBE_YES);
    assert_int_equal(p->probe(dg, 1200, 0), APP_PROBE_YES);
    /* 14 bytes end inside the DCID (1 + 4 + 1 + 8 + 1 = 15 are needed). */
    assert_int_equal(p->probe(dg, 14, 0), APP_PROBE_NO);
    assert_int_equal(p->probe(dg, 15, 0), APP_PROBE_YES);
    assert_int_equal(p->probe(dg, 0, 0), APP_PROBE_NO);
    uint8_t b[32];
    memcpy(b, dg, sizeof(b));
    b[0] = 0x40; /* short header */
    assert_int_equal(p->probe(b, sizeof(b), 0), APP_PROBE_NO);
    memcpy(b, dg, sizeof(b));
    b[0] &= (uint8_t)~0x40; /* fixed bit clear */
    assert_int_equal(p->probe(b, sizeof(b), 0), APP_PROBE_NO);
    memcpy(b, dg, sizeof(b));
    b[0] = (uint8_t)((b[0] & 0xcf) | 0x20); /* a v1 Handshake packet first */
    assert_int_equal(p->probe(b, sizeof(b), 0), APP_PROBE_NO);
    assert_int_equal(p->probe(b, sizeof(b), 1), APP_PROBE_YES);
    memcpy(b, dg, sizeof(b));
    b[1] = 0xde, b[2] = 0xad, b[3] = 0xbe, b[4] = 0xef; /* unknown version */
    assert_int_equal(p->probe(b, sizeof(b), 0), APP_PROBE_NO);
    memcpy(b, dg, sizeof(b));
    b[5] = 21; /* DCID longer than 20 (off-by-one: 20 is allowed) */
    assert_int_equal(p->probe(b, sizeof(b), 0), APP_PROBE_NO);
    b[5] = 20;
    b[26] = 0; /* SCID length after the 20-byte DCID */
    assert_int_equal(p->probe(b, sizeof(b), 0), APP_PROBE_YES);
    /* DNS-looking bytes on 443 */
    static const uint8_t dns[] = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0};
    assert_int_equal(p->probe(dns, sizeof(dns), 0), APP_PROBE_NO);
}

/* Header damage the parser must name: a Length past the datagram, a CID
 * over 20 bytes, a Retry or Version Negotiation from the client. */
static void test_header_anomalies(void **st)
{
    uint8_t dg[1200];
    (void)st;
    size_t n = rfc_a2(dg);
    for (int i = 0; i < 4; i++) {
        struct apt t;
        uint8_t b[1200];
        memcpy(b, dg, n);
        if (i == 0)
            b[17] = 0x9f; /* Length 0x049f: one byte past the datagram */
        else if (i == 1)
            b[5] = 21;
        else if (i == 2)
            b[0] |= 0x30; /* Retry */
        else
            memset(b + 1, 0, 4); /* version 0 */
        apt_begin(&t, &app_parser_quic, 17);
        apt_feed(&t, 0, b, (uint32_t)n);
        assert_true(apt_has_anomaly(&t, "quic.invalid_header"));
        apt_free(&t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc9001_a1_keys),
        cmocka_unit_test(test_rfc9369_v2_keys),
        cmocka_unit_test(test_rfc9001_a2_protect),
        cmocka_unit_test(test_rfc9001_a3_server),
        cmocka_unit_test(test_parse_rfc_a2),
        cmocka_unit_test(test_parse_prefixes),
        cmocka_unit_test(test_bad_tag),
        cmocka_unit_test(test_split_two_packets),
        cmocka_unit_test(test_dcid_change),
        cmocka_unit_test(test_chaos_frames),
        cmocka_unit_test(test_versions),
        cmocka_unit_test(test_unknown_version_idle),
        cmocka_unit_test(test_server_version_negotiation),
        cmocka_unit_test(test_frame_anomalies),
        cmocka_unit_test(test_probe),
        cmocka_unit_test(test_header_anomalies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
