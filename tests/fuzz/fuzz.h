/* fuzz.h - what every fuzz target shares.
 *
 * Each fuzz-<name>.c defines LLVMFuzzerTestOneInput(). With clang and
 * -Dfuzz=true it links libFuzzer's main; otherwise it links replay-main.c,
 * which runs it over the seed corpus (see README.md).
 *
 * Besides "does not crash under ASan/UBSan", the targets check the promises
 * decode.h and packet.h make about a decoded packet: counts within their
 * caps, payload pointers that can be read for payload_len bytes, and an
 * event counted whenever a decoder returns DECODE_ERR. A broken promise
 * aborts, so libFuzzer saves the input like any other crash.
 */
#ifndef MAMORI_FUZZ_H
#define MAMORI_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"
#include "decode/defrag.h"
#include "decode/packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Inputs larger than this are skipped: no frame or capture the targets are
 * meant for is bigger, and it keeps uint32_t lengths from wrapping. */
#define FUZZ_MAX_INPUT (16u * 1024u * 1024u)

/* Packet time the stateful targets start from (2023-11-14), so timestamps
 * look like real ones and flow/defrag timeouts are reached by adding. */
#define FUZZ_T0_US (1700000000ull * 1000000ull)

static inline void fuzz_fail(const char *what)
{
    fprintf(stderr, "fuzz: broken promise: %s\n", what);
    abort();
}

/* Keeps the loads that computed `v` (the compiler may not drop them). */
static inline void fuzz_use(uint8_t v)
{
    __asm__ volatile("" : : "r"(v));
}

/* A capture-layer packet over the whole input. */
static inline void fuzz_packet_init(struct packet *pkt, const uint8_t *data, size_t size,
                                    int linktype)
{
    memset(pkt, 0, sizeof(*pkt));
    pkt->ts_us = FUZZ_T0_US;
    pkt->num = 1;
    pkt->caplen = (uint32_t)size;
    pkt->wirelen = (uint32_t)size;
    pkt->linktype = linktype;
    pkt->data = data;
}

/* Appends an IP layer the way decode_ipv4()/decode_ipv6() leave it before
 * handing the payload to a transport or tunnel decoder: 10.0.0.1 -> 10.0.0.2
 * or 2001:db8::1 -> 2001:db8::2, a minimal header and `payload_len` bytes
 * after it. */
static inline struct ip_layer *fuzz_add_ip_layer(struct packet *pkt, uint8_t version, uint8_t proto,
                                                 uint32_t payload_len)
{
    static const uint8_t v4_src[4] = {10, 0, 0, 1}, v4_dst[4] = {10, 0, 0, 2};
    struct ip_layer *l = &pkt->layers[pkt->layer_count++];

    memset(l, 0, sizeof(*l));
    l->ip_version = version;
    l->proto = proto;
    l->ttl = 64;
    l->tunnel = TUNNEL_NONE;
    if (version == 4) {
        ip_addr_from_v4(&l->src, v4_src);
        ip_addr_from_v4(&l->dst, v4_dst);
        l->ip_len = payload_len + 20;
    } else {
        static const uint8_t doc_prefix[4] = {0x20, 0x01, 0x0d, 0xb8};
        memcpy(l->src.b, doc_prefix, 4);
        memcpy(l->dst.b, doc_prefix, 4);
        l->src.b[15] = 1;
        l->dst.b[15] = 2;
        l->ip_len = payload_len + 40;
    }
    return l;
}

/* Reads every payload byte of every layer: if a decoder left a pointer or
 * length that is off, ASan reports it here, next to the decoder that did. */
static inline void fuzz_check_packet(const struct packet *pkt)
{
    uint8_t acc = 0;

    if (pkt->layer_count > MAX_IP_LAYERS)
        fuzz_fail("layer_count > MAX_IP_LAYERS");
    if (pkt->vlan_count > MAX_VLAN_TAGS)
        fuzz_fail("vlan_count > MAX_VLAN_TAGS");
    for (unsigned i = 0; i < pkt->layer_count; i++) {
        const struct ip_layer *l = &pkt->layers[i];
        if (l->ip_version != 4 && l->ip_version != 6)
            fuzz_fail("ip_version neither 4 nor 6");
        if (l->tcp_opts.layout_len > MAX_TCP_OPTIONS)
            fuzz_fail("tcp_opts.layout_len > MAX_TCP_OPTIONS");
        if (l->payload_len && !l->payload)
            fuzz_fail("payload_len set without payload");
        for (uint32_t j = 0; j < l->payload_len; j++)
            acc ^= l->payload[j];
    }
    fuzz_use(acc);
}

/* decode.h: a decoder returns 0, or a negative value after counting an event. */
static inline void fuzz_check_rc(int rc, const struct packet *pkt)
{
    if (rc > 0)
        fuzz_fail("decoder returned a positive value");
    if (rc < 0 && !pkt->malformed)
        fuzz_fail("DECODE_ERR without a decode event");
}

/* The fresh-context targets (every fuzz-decode-*.c except -ipv4/-ipv6, which
 * keep one context across inputs): a new decode context per input, so every
 * crash reproduces from its one input file. fuzz_fresh_begin() returns false
 * for an input to skip; fuzz_fresh_end() checks the decoder's result and the
 * packet, then releases the context. */
static inline bool fuzz_fresh_begin(struct decode_ctx *ctx, struct packet *pkt, const uint8_t *data,
                                    size_t size, int linktype)
{
    struct decode_config cfg;

    if (size > FUZZ_MAX_INPUT)
        return false;
    decode_config_defaults(&cfg);
    decode_ctx_init(ctx, &cfg);
    fuzz_packet_init(pkt, data, size, linktype);
    ctx->now_us = pkt->ts_us;
    return true;
}

static inline void fuzz_fresh_end(struct decode_ctx *ctx, struct packet *pkt, int rc)
{
    fuzz_check_rc(rc, pkt);
    fuzz_check_packet(pkt);
    decode_ctx_release(ctx);
}

/* A link-level decoder (decode_ethernet(), decode_arp(), ...) over the whole
 * input as a `linktype` frame, with a fresh context. Returns 0 for libFuzzer. */
typedef int (*fuzz_frame_decoder)(struct decode_ctx *ctx, struct packet *pkt, const uint8_t *p,
                                  uint32_t len);

static inline int fuzz_decode_frame(const uint8_t *data, size_t size, int linktype,
                                    fuzz_frame_decoder decode)
{
    struct decode_ctx ctx;
    struct packet pkt;

    if (!fuzz_fresh_begin(&ctx, &pkt, data, size, linktype))
        return 0;
    fuzz_fresh_end(&ctx, &pkt, decode(&ctx, &pkt, data, (uint32_t)size));
    return 0;
}

/* A transport decoder (decode_tcp(), decode_icmpv6(), ...) over the whole
 * input, as the last layer of an IPv<version> packet (fuzz_add_ip_layer())
 * whose header said it carries exactly the input, with a fresh context.
 * Returns 0 for libFuzzer. */
typedef int (*fuzz_l4_decoder)(struct decode_ctx *ctx, struct packet *pkt, struct ip_layer *l,
                               const uint8_t *p, uint32_t len);

static inline int fuzz_decode_l4(const uint8_t *data, size_t size, uint8_t version, uint8_t proto,
                                 fuzz_l4_decoder decode)
{
    struct decode_ctx ctx;
    struct packet pkt;

    if (!fuzz_fresh_begin(&ctx, &pkt, data, size, LINKTYPE_RAW))
        return 0;
    struct ip_layer *l = fuzz_add_ip_layer(&pkt, version, proto, (uint32_t)size);
    fuzz_fresh_end(&ctx, &pkt, decode(&ctx, &pkt, l, data, (uint32_t)size));
    return 0;
}

/* fuzz-decode-ipv4/-ipv6: decode_ipv4() or decode_ipv6() over one packet,
 * with a decode context that lives across inputs (see fuzz-decode-ipv4.c for
 * why). Packet time moves on by one millisecond per input; expired defrag
 * trackers are dropped every FUZZ_EXPIRE_EVERY inputs; the context is rebuilt
 * every FUZZ_CTX_INPUTS inputs. Each target has one static fuzz_ip_state,
 * with now_us starting at FUZZ_T0_US. */
#define FUZZ_CTX_INPUTS 100000
/* How often (in inputs) expired trackers are dropped, as the pipeline would
 * when packet time moves on. */
#define FUZZ_EXPIRE_EVERY 64

struct fuzz_ip_state {
    struct decode_ctx ctx;
    bool ctx_ready;
    uint64_t inputs;
    uint64_t now_us; /* starts at FUZZ_T0_US */
};

typedef int (*fuzz_ip_decoder)(struct decode_ctx *ctx, struct packet *pkt, const uint8_t *p,
                               uint32_t len, enum tunnel_type tunnel);

static inline int fuzz_decode_ip_persistent(struct fuzz_ip_state *st, const uint8_t *data,
                                            size_t size, int linktype, fuzz_ip_decoder decode)
{
    struct packet pkt;

    if (size > FUZZ_MAX_INPUT)
        return 0;
    if (st->ctx_ready && st->inputs % FUZZ_CTX_INPUTS == 0) {
        decode_ctx_release(&st->ctx);
        st->ctx_ready = false;
    }
    if (!st->ctx_ready) {
        struct decode_config cfg;
        decode_config_defaults(&cfg);
        decode_ctx_init(&st->ctx, &cfg);
        st->ctx_ready = true;
    }
    st->inputs++;
    st->now_us += 1000;

    fuzz_packet_init(&pkt, data, size, linktype);
    pkt.ts_us = st->now_us;
    pkt.num = st->inputs;
    st->ctx.now_us = st->now_us;
    if (st->inputs % FUZZ_EXPIRE_EVERY == 0)
        defrag_expire(st->ctx.defrag, &st->ctx, st->now_us);

    int rc = decode(&st->ctx, &pkt, data, (uint32_t)size, TUNNEL_NONE);
    fuzz_check_rc(rc, &pkt);
    fuzz_check_packet(&pkt);
    return 0;
}

#endif
