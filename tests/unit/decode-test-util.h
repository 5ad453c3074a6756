/* decode-test-util.h - helpers the decoder unit tests share.
 *
 * Used by test-decode-{link,arp,tunnel,ipv4,ipv6,tcp,udp,icmp}.c and
 * test-defrag.c, which otherwise each carried their own identical copies of
 * the fixtures, the event counter, the address assertion and the code that
 * walks a capture under ../shared/data/pcap. Everything here is static or
 * static inline, so a test that uses only part of it still builds
 * warning-free.
 *
 * Two fixture styles, picked by a macro defined before the #include:
 *
 *   DECODE_TEST_GLOBAL_PKT  one file-wide `ctx` and `pkt`, set up and torn
 *                           down by cmocka (setup()/teardown()), reset per
 *                           frame by pkt_reset(), with events_total(void).
 *                           Used by test-decode-link/-arp/-tunnel. Define
 *                           DECODE_TEST_LINKTYPE to give pkt_reset() frames
 *                           a link type (default 0).
 *   DECODE_TEST_FX          a per-test `struct fx` (context + packet) from
 *                           fx_init(), with events_total(ctx). Used by
 *                           test-decode-ipv4/-ipv6.
 */
#ifndef MAMORI_DECODE_TEST_UTIL_H
#define MAMORI_DECODE_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pcap/pcap.h>

#include "decode/decode.h"
#include "util/util.h"

/* A decode context with the default configuration. */
static inline void decode_test_ctx_init(struct decode_ctx *c)
{
    struct decode_config cfg;
    decode_config_defaults(&cfg);
    decode_ctx_init(c, &cfg);
}

/* Decode events counted so far, of every kind. */
static inline uint64_t decode_test_events(const struct decode_ctx *c)
{
    uint64_t n = 0;
    for (unsigned i = 0; i < DEV_MAX; i++)
        n += c->events[i];
    return n;
}

static inline void assert_v4(const struct ip_addr *a, uint8_t b0, uint8_t b1, uint8_t b2,
                             uint8_t b3)
{
    const uint8_t want[4] = {b0, b1, b2, b3};
    struct ip_addr w;
    ip_addr_from_v4(&w, want);
    assert_memory_equal(a->b, w.b, 16);
}

/* IPv4 + UDP, 28 bytes: 192.0.2.1:1234 -> 198.51.100.2:53, no payload. */
/* clang-format off */
#define IPV4_UDP                                                                                  \
    0x45,                   /* version 4, IHL 5 (20 bytes) */                                     \
        0x00,               /* DSCP/ECN */                                                        \
        0x00, 0x1c,         /* total length 28 */                                                 \
        0x12, 0x34,         /* id */                                                              \
        0x00, 0x00,         /* flags 0, fragment offset 0 */                                      \
        0x40,               /* TTL 64 */                                                          \
        0x11,               /* protocol UDP */                                                    \
        0x00, 0x00,         /* header checksum (not checked) */                                   \
        192, 0, 2, 1,       /* source 192.0.2.1 */                                                \
        198, 51, 100, 2,    /* destination 198.51.100.2 */                                        \
        0x04, 0xd2,         /* UDP source port 1234 */                                            \
        0x00, 0x35,         /* destination port 53 */                                             \
        0x00, 0x08,         /* UDP length 8 (header only) */                                      \
        0x00, 0x00          /* checksum */
/* clang-format on */
#define IPV4_UDP_LEN 28

/* ---- Shared captures ---- */

/* Opens ../shared/data/pcap/<rel> (or $MAMORI_SHARED/data/pcap/<rel>).
 * Returns NULL, after printing why, when the file is absent, so the caller
 * can skip. */
static inline pcap_t *decode_test_pcap_open(const char *rel)
{
    const char *shared = getenv("MAMORI_SHARED");
    char path[4096], errbuf[PCAP_ERRBUF_SIZE];
    pcap_t *pc;

    snprintf(path, sizeof(path), "%s/data/pcap/%s", shared ? shared : "../shared", rel);
    pc = pcap_open_offline(path, errbuf);
    if (!pc)
        print_message("skipping: %s not available (%s)\n", path, errbuf);
    return pc;
}

/* Fresh packet state for capture record `num` (counted from 1). */
static inline void decode_test_pcap_packet(struct packet *p, pcap_t *pc,
                                           const struct pcap_pkthdr *h, const u_char *data,
                                           uint64_t num)
{
    memset(p, 0, sizeof(*p));
    p->data = data;
    p->caplen = h->caplen;
    p->wirelen = h->len;
    p->linktype = pcap_datalink(pc);
    p->ts_us = (uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec;
    p->num = num;
}

/* ---- One file-wide context and packet ---- */

#ifdef DECODE_TEST_GLOBAL_PKT

#ifndef DECODE_TEST_LINKTYPE
#define DECODE_TEST_LINKTYPE 0
#endif

static struct decode_ctx ctx;
static struct packet pkt;

static inline int setup(void **state)
{
    (void)state;
    decode_test_ctx_init(&ctx);
    memset(&pkt, 0, sizeof(pkt));
    return 0;
}

static inline int teardown(void **state)
{
    (void)state;
    decode_ctx_release(&ctx);
    return 0;
}

/* Fresh packet state for one frame of `len` bytes captured whole (so a short
 * header is malformed, not snaplen truncation). */
static inline void pkt_reset(const uint8_t *p, uint32_t len)
{
    memset(&pkt, 0, sizeof(pkt));
    pkt.data = p;
    pkt.caplen = len;
    pkt.wirelen = len;
    pkt.linktype = DECODE_TEST_LINKTYPE;
    memset(ctx.events, 0, sizeof(ctx.events));
}

static inline uint64_t events_total(void)
{
    return decode_test_events(&ctx);
}

#endif /* DECODE_TEST_GLOBAL_PKT */

/* ---- A context and packet per test ---- */

#ifdef DECODE_TEST_FX

struct fx {
    struct decode_ctx ctx;
    struct packet pkt;
};

static inline void fx_init(struct fx *f, uint32_t caplen, uint32_t wirelen)
{
    memset(f, 0, sizeof(*f));
    decode_test_ctx_init(&f->ctx);
    f->pkt.caplen = caplen;
    f->pkt.wirelen = wirelen;
}

static inline uint64_t events_total(const struct decode_ctx *c)
{
    return decode_test_events(c);
}

#endif /* DECODE_TEST_FX */

#endif
