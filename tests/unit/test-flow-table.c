/* test-flow-table.c - the flow table: keys, direction, TCP state, timeouts,
 * eviction and the records it hands to on_end. Packets are built by hand
 * (struct packet + struct ip_layer); no decoder is involved. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "flow/flow.h"
#include "util/util.h"

#define S(x) ((uint64_t)(x)*1000000u) /* seconds to microseconds */

/* --- ended-flow recorder ------------------------------------------------ */

#define REC_MAX 64

struct rec {
    struct flow f[REC_MAX]; /* copies of the first REC_MAX ended flows */
    unsigned n;             /* flows ended in all */
    uint64_t last_id;
};

static void rec_on_end(void *arg, struct flow *f)
{
    struct rec *r = arg;
    if (r->n < REC_MAX)
        r->f[r->n] = *f;
    r->n++;
}

/* --- packet builders ---------------------------------------------------- */

static struct ip_addr v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
    struct ip_addr x;
    memset(&x, 0, sizeof(x));
    x.b[10] = 0xff; /* IPv4-mapped: ::ffff:a.b.c.d */
    x.b[11] = 0xff;
    x.b[12] = a;
    x.b[13] = b;
    x.b[14] = c;
    x.b[15] = d;
    return x;
}

/* ::ffff:10.0.0.1 (client) and ::ffff:10.0.0.2 (server). */
static const struct ip_addr A = {{[10] = 0xff, 0xff, 10, 0, 0, 1}};
static const struct ip_addr B = {{[10] = 0xff, 0xff, 10, 0, 0, 2}};

static const uint8_t MAC_A[6] = {0x02, 0, 0, 0, 0, 0x0a};
static const uint8_t MAC_B[6] = {0x02, 0, 0, 0, 0, 0x0b};

/* One Ethernet frame with a single IP layer (layers[0]). */
static struct packet *mk(struct packet *p, uint64_t ts, struct ip_addr src, uint16_t sport,
                         struct ip_addr dst, uint16_t dport, uint8_t proto, uint8_t flags)
{
    memset(p, 0, sizeof(*p));
    p->ts_us = ts;
    p->wirelen = 100;
    p->caplen = 100;
    p->has_eth = true;
    bool a_sends = memcmp(&src, &A, sizeof(src)) == 0;
    memcpy(p->src_mac, a_sends ? MAC_A : MAC_B, 6);
    memcpy(p->dst_mac, a_sends ? MAC_B : MAC_A, 6);
    p->layer_count = 1;
    struct ip_layer *l = &p->layers[0];
    l->ip_version = 4;
    l->proto = proto;
    l->src = src;
    l->dst = dst;
    l->sport = sport;
    l->dport = dport;
    l->l4_ok = true;
    l->tcp_flags = flags;
    /* TCP carries 10 bytes of data only when PSH is set, so SYN/ACK/RST/FIN
     * segments are empty as in real handshakes; other protocols always 10. */
    l->payload_wire_len = (proto != 6 || (flags & TH_PSH)) ? 10 : 0;
    return p;
}

static struct flow *tcp(struct flow_table *ft, uint64_t ts, struct ip_addr src, uint16_t sport,
                        struct ip_addr dst, uint16_t dport, uint8_t flags)
{
    struct packet p;
    mk(&p, ts, src, sport, dst, dport, 6, flags);
    return flow_table_update(ft, &p, &p.layers[0], 1, p.wirelen);
}

static struct flow *udp(struct flow_table *ft, uint64_t ts, struct ip_addr src, uint16_t sport,
                        struct ip_addr dst, uint16_t dport)
{
    struct packet p;
    mk(&p, ts, src, sport, dst, dport, 17, 0);
    return flow_table_update(ft, &p, &p.layers[0], 1, p.wirelen);
}

static struct flow *icmp(struct flow_table *ft, uint64_t ts, struct ip_addr src, struct ip_addr dst,
                         uint8_t type, uint8_t code)
{
    struct packet p;
    mk(&p, ts, src, 0, dst, 0, 1, 0);
    p.layers[0].icmp_type = type;
    p.layers[0].icmp_code = code;
    return flow_table_update(ft, &p, &p.layers[0], 1, p.wirelen);
}

static struct flow_table *new_table(struct rec *r, uint32_t max_flows)
{
    struct flow_config cfg;
    flow_config_defaults(&cfg);
    cfg.max_flows = max_flows;
    cfg.hash_seed = 42;
    memset(r, 0, sizeof(*r));
    return flow_table_new(&cfg, rec_on_end, r);
}

/* Opens A:1234 -> B:80 with SYN, SYN+ACK, ACK at t, t+1ms, t+2ms. */
static struct flow *handshake(struct flow_table *ft, uint64_t t)
{
    tcp(ft, t, A, 1234, B, 80, TH_SYN);
    tcp(ft, t + 1000, B, 80, A, 1234, TH_SYN | TH_ACK);
    return tcp(ft, t + 2000, A, 1234, B, 80, TH_ACK);
}

/* --- tests -------------------------------------------------------------- */

static void test_defaults(void **state)
{
    (void)state;
    struct flow_config c;
    flow_config_defaults(&c);
    assert_int_equal(c.max_flows, DEFAULT_MAX_FLOWS);
    assert_int_equal(c.idle_timeout_s[FTC_TCP_NEW], 60);
    assert_int_equal(c.idle_timeout_s[FTC_TCP_EST], 3600);
    assert_int_equal(c.idle_timeout_s[FTC_TCP_CLOSED], 10);
    assert_int_equal(c.idle_timeout_s[FTC_UDP_NEW], 30);
    assert_int_equal(c.idle_timeout_s[FTC_UDP_EST], 300);
    assert_int_equal(c.idle_timeout_s[FTC_ICMP_NEW], 30);
    assert_int_equal(c.idle_timeout_s[FTC_ICMP_EST], 300);
    assert_int_equal(c.idle_timeout_s[FTC_OTHER_NEW], 30);
    assert_int_equal(c.idle_timeout_s[FTC_OTHER_EST], 300);
    assert_int_equal(c.active_timeout_s, 0);
}

/* A full connection: both directions counted, state walked through, closed
 * timeout after FIN/FIN/ACK, reported as SF with reason fin. */
static void test_tcp_both_directions_and_fin(void **state)
{
    (void)state;
    struct rec r;
    struct flow_table *ft = new_table(&r, 1024);
    uint64_t t = S(1000);

    struct flow *f = tcp(ft, t, A, 1234, B, 80, TH_SYN);
    assert_non_null(f);
    assert_int_equal(f->id, 1);
    assert_int_equal(f->tcp_state, TCPS_SYN_SENT);
    assert_int_equal(f->tclass, FTC_TCP_NEW);
    f = tcp(ft, t + 1, B, 80, A, 1234, TH_SYN | TH_ACK);
    assert_int_equal(f->tcp_state, TCPS_SYN_RECV);
    f = tcp(ft, t + 2, A, 1234, B, 80, TH_ACK);
    assert_int_equal(f->tcp_state, TCPS_ESTABLISHED);
    assert_int_equal(f->tclass, FTC_TCP_EST);
    f = tcp(ft, t + 3, A, 1234, B, 80, TH_ACK | TH_PSH);
    f = tcp(ft, t + 4, B, 80, A, 1234, TH_ACK | TH_PSH);
    f = tcp(ft, t + 5, B, 80, A, 1234, TH_ACK);

    assert_int_equal(f->id, 1);
    assert_memory_equal(&f->src, &A, sizeof(A));
    assert_memory_equal(&f->dst, &B, sizeof(B));
    assert_int_equal(f->sport, 1234);
    assert_int_equal(f->dport, 80);
    assert_int_equal(f->pkts[0], 3);
    assert_int_equal(f->pkts[1], 3);
    assert_int_equal(f->bytes[0], 300);
    assert_int_equal(f->bytes[1], 300);
    assert_int_equal(f->data_bytes[0], 10);
    assert_int_equal(f->data_bytes[1], 10);
    assert_int_equal(f->tcp_flags[0], TH_SYN | TH_ACK | TH_PSH);
    assert_int_equal(f->tcp_flags[1], TH_SYN | TH_ACK | TH_PSH);
    assert_true(f->has_mac);
    assert_memory_equal(f->src_mac, MAC_A, 6);
    assert_memory_equal(f->dst_mac, MAC_B, 6);

    f = tcp(ft, t + 10, A, 1234, B, 80, TH_FIN | TH_ACK);
    assert_int_equal(f->tcp_state, TCPS_FIN_WAIT);
    assert_int_equal(f->tclass, FTC_TCP_EST);
    f = tcp(ft, t + 11, B, 80, A, 1234, TH_FIN | TH_ACK);
    assert_int_equal(f->tcp_state, TCPS_CLOSING);
    assert_int_equal(f->tclass, FTC_TCP_CLOSED);
    f = tcp(ft, t + 12, A, 1234, B, 80, TH_ACK);
    assert_int_equal(f->tcp_state, TCPS_CLOSED);
    assert_int_equal(f->first_ts_us, t);
    assert_int_equal(f->last_ts_us, t + 12);

    /* Off-by-one pinned: the closed timeout (10 s) has not run 1 us early. */
    flow_table_expire(ft, t + 12 + S(10) - 1);
    assert_int_equal(r.n, 0);
    flow_table_expire(ft, t + 12 + S(10));
    assert_int_equal(r.n, 1);
    assert_int_equal(r.f[0].end_reason, FLOW_END_FIN);
    assert_string_equal(r.f[0].conn_state, "SF");
    assert_int_equal(r.f[0].pkts[0], 5);
    assert_int_equal(r.f[0].pkts[1], 4);
    const struct flow_stats *st = flow_table_stats(ft);
    assert_int_equal(st->created, 1);
    assert_int_equal(st->ended[FLOW_END_FIN], 1);
    assert_int_equal(st->active_now, 0);
    assert_int_equal(st->max_active, 1);
    flow_table_free(ft);
}

/* First packet is a SYN+ACK (the SYN was missed): its receiver is the
 * initiator, so the flow is turned round and the packet counts toclient. */
static void test_synack_first_flips(void **state)
{
    (void)state;
    struct rec r;
    struct flow_table *ft = new_table(&r, 1024);
    struct flow *f = tcp(ft, S(1), B, 80, A, 1234, TH_SYN | TH_ACK);
    assert_memory_equal(&f->src, &A, sizeof(A));
    assert_int_equal(f->sport, 1234);
    assert_int_equal(f->dport, 80);
    assert_int_equal(f->pkts[0], 0);
    assert_int_equal(f->pkts[1], 1);
    assert_true(f->synack_seen);
    assert_false(f->syn_seen[0]);
    assert_int_equal(f->tcp_state, TCPS_SYN_RECV);
    /* MACs are oriented too: the initiator's is the frame's destination. */
    assert_memory_equal(f->src_mac, MAC_A, 6);
    assert_memory_equal(f->dst_mac, MAC_B, 6);
    f = tcp(ft, S(1) + 5, A, 1234, B, 80, TH_ACK);
    assert_int_equal(f->pkts[0], 1);
    assert_int_equal(f->tcp_state, TCPS_ESTABLISHED);
    flow_table_flush(ft);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.f[0].conn_state, "OTH"); /* Zeek: no SYN from the originator */
    flow_table_free(ft);
}

/* A flow picked up mid-stream becomes established once both sides ACK. */
static void test_tcp_midstream(void **state)
{
    (void)state;
    struct rec r;
    struct flow_table *ft = new_table(&r, 1024);
    struct flow *f = tcp(ft, S(1), A, 1234, B, 80, TH_ACK | TH_PSH);
    assert_int_equal(f->tcp_state, TCPS_NONE);
    assert_int_equal(f->tclass, FTC_TCP_NEW);
    f = tcp(ft, S(1) + 1, B, 80, A, 1234, TH_ACK);
    assert_int_equal(f->tcp_state, TCPS_ESTABLISHED);
    assert_int_equal(f->tclass, FTC_TCP_EST);
    flow_table_flush(ft);
    assert_string_equal(r.f[0].conn_state, "OTH");
    assert_int_equal(r.f[0].end_reason, FLOW_END_CAPTURE_END);
    flow_table_free(ft);
}

static void test_udp(void **state)
{
    (void)state;
    struct rec r;
    struct flow_table *ft = new_table(&r, 1024);
    /* One-way flow: S0, NEW timeout 30 s. */
    struct flow *f = udp(ft, S(10), A, 5353, B, 53);
    assert_int_equal(f->tclass, FTC_UDP_NEW);
    /* Request and reply: SF, EST timeout 300 s. */
    f = udp(ft, S(10), A, 40000, B, 53);
    f = udp(ft, S(10) + 500, B, 53, A, 40000);
    assert_int_equal(f->tclass, FTC_UDP_EST);
    assert_int_equal(f->pkts[0], 1);
    assert_int_equal(f->pkts[1], 1);
    assert_int_equal(f->sport, 40000);

    flow_table_expire(ft, S(40)); /* 30 s after the one-way flow */
    assert_int_equal(r.n, 1);
    assert_int_equal(r.f[0].sport, 5353);
    assert_string_equal(r.f[0].conn_state, "S0");
    assert_int_equal(r.f[0].end_reason, FLOW_END_TIMEOUT);
    flow_table_expire(ft, S(310) + 499);
    assert_int_equal(r.n, 1);
    flow_table_expire(ft, S(310) + 500);
    assert_int_equal(r.n, 2);
    assert_string_equal(r.f[1].conn_state, "SF");
    flow_table_free(ft);
}

/* ICMP: ports are not part of the key; first type/code each way kept. */
static void test_icmp(void **state)
{
    (void)state;
    struct rec r;
    struct flow_table *ft = new_table(&r, 1024);
    struct packet p;
    mk(&p, S(1), A, 0, B, 0, 1, 0);
    p.layers[0].icmp_type = 8; /* echo request */
    p.layers[0].sport = 77;    /* junk a decoder might leave: must not split flows */
    struct flow *f = flow_table_update(ft, &p, &p.layers[0], 1, 98);
    assert_int_equal(f->sport, 0);
    assert_int_equal(f->icmp_type, 8);
    assert_false(f->resp_icmp_seen);
    f = icmp(ft, S(1) + 10, B, A, 0, 0); /* echo reply */
    assert_true(f->resp_icmp_seen);
    assert_int_equal(f->resp_icmp_type, 0);
    assert_int_equal(f->tclass, FTC_ICMP_EST);
    f = icmp(ft, S(2), A, B, 8, 0);
    f = icmp(ft, S(2) + 10, B, A, 3, 3); /* later messages do not overwrite */
    assert_int_equal(f->icmp_type, 8);
    assert_int_equal(f->resp_icmp_type, 0);
    assert_int_equal(f->pkts[0], 2);
    assert_int_equal(f->pkts[1], 2);
    assert_int_equal(flow_table_stats(ft)->created, 1);
    flow_table_flush(ft);
    assert_string_equal(r.f[0].conn_state, "OTH");
    flow_table_free(ft);
}

/* The same 5-tuple on two VLANs (or QinQ inner tags) is two flows. */
static void test_vlan_separates(void **state)
{
    (void)state;
    struct rec r;
    struct flow_table *ft = new_table(&r, 1024);
    struct packet p;
    mk(&p, S(1), A, 1000, B, 53, 17, 0);
    struct flow *f0 = flow_table_update(ft, &p, &p.layers[0], 1, 100);
    p.vlan_count = 1;
    p.vlan[0] = 10;
    struct flow *f10 = flow_table_update(ft, &p, &p.layers[0], 1, 100);
    p.vlan_count = 2;
    p.vlan[1] = 20;
    struct flow *f1020 = flow_table_update(ft, &p, &p.layers[0], 1, 100);
    p.vlan[1] = 21;
    struct flow *f1021 = flow_table_update(ft, &p, &p.layers[0], 1, 100);
    assert_int_equal(f0->id, 1);
    assert_int_equal(f10->id, 2);
    assert_int_equal(f1020->id, 3);
    assert_int_equal(f1021->id, 4);
    assert_int_equal(f10->vlan_count, 1);
    assert_int_equal(f10->vlan[0], 10);
    assert_int_equal(f1021->vlan_count, 2);
    assert_int_equal(f1021->vlan[1], 21);
    /* The reply on VLAN 10/20 finds its flow. */
    mk(&p, S(2), B, 53, A, 1000, 17, 0);
    p.vlan_count = 2;
    p.vlan[0] = 10;
    p.vlan[1] = 20;
    struct flow *f = flow_table_update(ft, &p, &p.layers[0], 1, 100);
    assert_int_equal(f->id, 3);
    assert_int_equal(f->pkts[1], 1);
    assert_int_equal(flow_table_stats(ft)->active_now, 4);
    flow_table_flush(ft);
    flow_table_free(ft);
}

/* A tunnelled inner layer: keyed with the frame's VLANs, no MACs, depth. */
static void test_inner_layer(void **state)
{
    (void)state;
    struct rec r;
    struct flow_table *ft = new_table(&r, 1024);
    struct packet p;
    mk(&p, S(1), v4(192, 0, 2, 1), 4789, v4(192, 0, 2, 2), 4789, 17, 0);
    p.vlan_count = 1;
    p.vlan[0] = 7;
    p.layer_count = 2;
    struct ip_layer *in = &p.layers[1];
    *in = p.layers[0];
    in->src = A;
    in->dst = B;
    in->sport = 1234;
    in->dport = 80;
    in->proto = 6;
    in->tcp_flags = TH_SYN;
    in->tunnel = TUNNEL_VXLAN;
    struct flow *outer = flow_table_update(ft, &p, &p.layers[0], 1, 150);
    assert_true(outer->has_mac);
    assert_int_equal(outer->tunnel_depth, 0);
    struct flow *inner = flow_table_update(ft, &p, in, 1, 150);
    assert_int_not_equal(inner->id, 1);
    assert_false(inner->has_mac);
    assert_int_equal(inner->tunnel_depth, 1);
    assert_int_equal(inner->tunnel, TUNNEL_VXLAN);
    assert_int_equal(inner->vlan[0], 7);
    assert_int_equal(inner->bytes[0], 150);
    flow_table_flush(ft);
    flow_table_free(ft);
}

/* Each class ends after its own idle timeout; the boundary is "idle for
 * exactly the timeout" (1 us earlier it is still alive). */
static void test_idle_timeout_per_class(void **state)
{
    (void)state;
    struct rec r;
    struct flow_table *ft = new_table(&r, 1024);
    uint64_t t = S(100);
    tcp(ft, t, A, 1, B, 80, TH_SYN); /* TCP NEW 60 */
    handshake(ft, t - 2000);         /* TCP EST 3600, last packet at t */
    udp(ft, t, A, 2, B, 53);         /* UDP NEW 30 */
    icmp(ft, t, A, B, 8, 0);         /* ICMP NEW 30 */
    struct packet p;
    mk(&p, t, A, 0, B, 0, 47, 0); /* GRE: OTHER NEW 30 */
    flow_table_update(ft, &p, &p.layers[0], 1, 100);
    udp(ft, t, A, 3, B, 123);
    udp(ft, t, B, 123, A, 3); /* UDP EST 300 */
    assert_int_equal(flow_table_stats(ft)->active_now, 6);

    flow_table_expire(ft, t + S(30) - 1);
    assert_int_equal(r.n, 0);
    flow_table_expire(ft, t + S(30));
    assert_int_equal(r.n, 3);
    flow_table_expire(ft, t + S(60) - 1);
    assert_int_equal(r.n, 3);
    flow_table_expire(ft, t + S(60));
    assert_int_equal(r.n, 4);
    assert_int_equal(r.f[3].proto, 6);
    assert_string_equal(r.f[3].conn_state, "S0");
    flow_table_expire(ft, t + S(300));
    assert_int_equal(r.n, 5);
    assert_int_equal(r.f[4].dport, 123);
    flow_table_expire(ft, t + S(3600) - 1);
    assert_int_equal(r.n, 5);
    flow_table_expire(ft, t + S(3600));
    assert_int_equal(r.n, 6);
    assert_int_equal(r.f[5].dport, 80);
    assert_string_equal(r.f[5].conn_state, "S1");
    for (unsigned i = 0; i < r.n; i++)
        assert_int_equal(r.f[i].end_reason, FLOW_END_TIMEOUT);
    flow_table_free(ft);
}

/* Packets within the same second do not re-queue the flow, but its expiry
 * still counts from its last packet (late by < 1 s at worst, never early). */
static void test_idle_timeout_counts_from_last_packet(void **state)
{
    (void)state;
    struct rec r;
    struct flow_table *ft = new_table(&r, 1024);
    udp(ft, S(10), A, 1, B, 53);
    udp(ft, S(10) + 900000, A, 1, B, 53);
    flow_table_expire(ft, S(40));
    assert_int_equal(r.n, 0); /* not early */
    flow_table_expire(ft, S(40) + 900000);
    assert_int_equal(r.n, 1);
    flow_table_free(ft);
}

/* A flow whose timeout passed is ended when its next packet arrives even if
 * flow_table_expire() was not called in between. */
static void test_due_on_update(void **state)
{
    (void)state;
    struct rec r;
    struct flow_table *ft = new_table(&r, 1024);
    struct flow *f = udp(ft, S(10), A, 1, B, 53);
    assert_int_equal(f->id, 1);
    f = udp(ft, S(40), A, 1, B, 53);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.f[0].end_reason, FLOW_END_TIMEOUT);
    assert_int_equal(f->id, 2);
    assert_int_equal(f->pkts[0], 1);
    flow_table_free(ft);
}

static void test_rst(void **state)
{
    (void)state;
    struct rec r;
    struct flow_table *ft = new_table(&r, 1024);
    /* Established, then the responder resets: RSTR. */
    struct flow *f = handshake(ft, S(1));
    f = tcp(ft, S(2), B, 80, A, 1234, TH_RST | TH_ACK);
    assert_int_equal(f->tcp_state, TCPS_CLOSED);
    assert_int_equal(f->tclass, FTC_TCP_CLOSED);
    assert_true(f->rst_seen[1]);
    /* A late ACK within the closed timeout stays in the flow. */
    f = tcp(ft, S(3), A, 1234, B, 80, TH_ACK);
    assert_int_equal(f->id, 1);
    /* SYN answered by RST: REJ. */
    tcp(ft, S(3), A, 2000, B, 81, TH_SYN);
    tcp(ft, S(3) + 1, B, 81, A, 2000, TH_RST | TH_ACK);
    /* SYN then RST from the originator: RSTOS0. */
    tcp(ft, S(3), A, 2001, B, 82, TH_SYN);
    tcp(ft, S(3) + 1, A, 2001, B, 82, TH_RST);
    /* Off-by-one pinned: flow 1's last packet was at 3 s, the others' at
     * 3 s + 1 us, so at 13 s only flow 1 has been closed for 10 s. */
    flow_table_expire(ft, S(13));
    assert_int_equal(r.n, 1);
    flow_table_expire(ft, S(13) + 1);
    assert_int_equal(r.n, 3);
    assert_int_equal(r.f[0].end_reason, FLOW_END_RST);
    assert_string_equal(r.f[0].conn_state, "RSTR");
    assert_int_equal(r.f[0].pkts[0], 3);
    assert_int_equal(r.f[1].end_reason, FLOW_END_RST);
    assert_string_equal(r.f[1].conn_state, "REJ");
    assert_string_equal(r.f[2].conn_state, "RSTOS0");

    /* Established, originator resets: RSTO. */
    handshake(ft, S(20));
    tcp(ft, S(21), A, 1234, B, 80, TH_RST);
    flow_table_flush(ft);
    assert_string_equal(r.f[3].conn_state, "RSTO");
    assert_int_equal(r.f[3].end_reason, FLOW_END_CAPTURE_END);
    flow_table_free(ft);
}

/* Half-closes and half-opens, for the other conn_state values. */
static void test_conn_states(void **state)
{
    (void)state;
    struct rec r;
    struct flow_table *ft = new_table(&r, 1024);
    handshake(ft, S(1));
    tcp(ft, S(2), A, 1234, B, 80, TH_FIN | TH_ACK); /* S2: only the originator closed */
    tcp(ft, S(1), A, 3000, B, 80, TH_SYN);
    tcp(ft, S(2), A, 3000, B, 80, TH_FIN); /* SH: SYN then FIN, no answer */
    tcp(ft, S(3), A, 3001, B, 80, TH_SYN);
    tcp(ft, S(3) + 1, B, 80, A, 3001, TH_SYN | TH_ACK);
    tcp(ft, S(3) + 2, A, 3001, B, 80, TH_ACK);
    tcp(ft, S(3) + 3, B, 80, A, 3001, TH_FIN | TH_ACK); /* S3: only the responder closed */
    flow_table_flush(ft);
    assert_int_equal(r.n, 3);
    assert_string_equal(r.f[0].conn_state, "S2");
    assert_int_equal(r.f[0].tcp_state, TCPS_FIN_WAIT);
    assert_string_equal(r.f[1].conn_state, "SH");
    assert_string_equal(r.f[2].conn_state, "S3");
    flow_table_free(ft);
}

/* A new SYN on a closed flow ends it (port reuse) and starts another; a SYN
 * on an open flow (retransmission) does not. */
static void test_port_reuse(void **state)
{
    (void)state;
    struct rec r;
    struct flow_table *ft = new_table(&r, 1024);
    struct flow *f = handshake(ft, S(1));
    f = tcp(ft, S(1) + 10, A, 1234, B, 80, TH_SYN);
    assert_int_equal(f->id, 1);
    assert_int_equal(r.n, 0);
    tcp(ft, S(2), A, 1234, B, 80, TH_FIN | TH_ACK);
    tcp(ft, S(2) + 1, B, 80, A, 1234, TH_FIN | TH_ACK);
    tcp(ft, S(2) + 2, A, 1234, B, 80, TH_ACK);
    /* Within the closed timeout, and from the other side this time. */
    f = tcp(ft, S(3), B, 80, A, 1234, TH_SYN);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.f[0].end_reason, FLOW_END_REUSED);
    assert_string_equal(r.f[0].conn_state, "SF");
    assert_int_equal(f->id, 2);
    assert_memory_equal(&f->src, &B, sizeof(B));
    assert_int_equal(f->sport, 80);
    assert_int_equal(f->pkts[0], 1);
    assert_int_equal(f->pkts[1], 0);
    assert_int_equal(f->tcp_state, TCPS_SYN_SENT);
    /* A SYN+ACK on a closed flow is a late packet, not a new connection. */
    tcp(ft, S(4), A, 5555, B, 80, TH_SYN);
    tcp(ft, S(4) + 1, B, 80, A, 5555, TH_RST | TH_ACK);
    f = tcp(ft, S(4) + 2, B, 80, A, 5555, TH_SYN | TH_ACK);
    assert_int_equal(f->id, 3);
    assert_int_equal(flow_table_stats(ft)->ended[FLOW_END_REUSED], 1);
    flow_table_free(ft);
}

/* Active timeout cuts a long flow into records with the same orientation. */
static void test_active_timeout(void **state)
{
    (void)state;
    struct rec r;
    struct flow_config cfg;
    flow_config_defaults(&cfg);
    cfg.active_timeout_s = 60;
    memset(&r, 0, sizeof(r));
    struct flow_table *ft = flow_table_new(&cfg, rec_on_end, &r);
    handshake(ft, S(0));
    /* A packet every 10 s, alternating direction, up to t = 200 s. */
    for (unsigned i = 1; i <= 20; i++) {
        if (i % 2)
            tcp(ft, S(10 * i), B, 80, A, 1234, TH_ACK);
        else
            tcp(ft, S(10 * i), A, 1234, B, 80, TH_ACK);
    }
    /* Cut at t=60 (first_ts 0), t=120, t=180: records 0..59, 60..119, 120..179. */
    assert_int_equal(r.n, 3);
    for (unsigned i = 0; i < 3; i++) {
        assert_int_equal(r.f[i].end_reason, FLOW_END_ACTIVE);
        assert_int_equal(r.f[i].seq_no, i);
        assert_int_equal(r.f[i].id, i + 1);
        assert_memory_equal(&r.f[i].src, &A, sizeof(A));
        assert_int_equal(r.f[i].sport, 1234);
        assert_string_equal(r.f[i].conn_state, "S1");
    }
    assert_int_equal(r.f[0].first_ts_us, 0);
    assert_int_equal(r.f[0].last_ts_us, S(50));
    assert_int_equal(r.f[1].first_ts_us, S(60));
    assert_int_equal(r.f[1].pkts[0] + r.f[1].pkts[1], 6);
    flow_table_flush(ft);
    assert_int_equal(r.n, 4);
    assert_int_equal(r.f[3].seq_no, 3);
    assert_int_equal(r.f[3].first_ts_us, S(180));
    uint64_t total = 0;
    for (unsigned i = 0; i < 4; i++)
        total += r.f[i].pkts[0] + r.f[i].pkts[1];
    assert_int_equal(total, 23);
    const struct flow_stats *st = flow_table_stats(ft);
    assert_int_equal(st->created, 4);
    assert_int_equal(st->ended[FLOW_END_ACTIVE], 3);
    assert_int_equal(st->active_now, 0);
    flow_table_free(ft);
}

/* Full table: the flow nearest its timeout goes first, i.e. the longest idle
 * within a class, and a half-open flow before an established one. */
static void test_eviction_order(void **state)
{
    (void)state;
    struct rec r;
    struct flow_table *ft = new_table(&r, 4);
    handshake(ft, S(0));                 /* TCP EST, quiet since t=0 */
    udp(ft, S(10), A, 1, B, 53);         /* UDP NEW, 30 s: due at 40 */
    tcp(ft, S(11), A, 2, B, 80, TH_SYN); /* TCP NEW, 60 s: due at 71 */
    udp(ft, S(12), A, 3, B, 53);         /* UDP NEW: due at 42 */
    assert_int_equal(flow_table_stats(ft)->active_now, 4);
    udp(ft, S(20), A, 4, B, 53);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.f[0].end_reason, FLOW_END_EVICTED);
    assert_int_equal(r.f[0].sport, 1);
    udp(ft, S(21), A, 5, B, 53);
    assert_int_equal(r.f[1].sport, 3);
    udp(ft, S(22), A, 6, B, 53);
    /* UDP from 20 s is due at 50 s, before the SYN (71 s). */
    assert_int_equal(r.f[2].sport, 4);
    assert_int_equal(flow_table_stats(ft)->evicted, 3);
    /* Flows already due (UDP 5 at 51 s, 6 at 52 s) end as timeouts, not
     * evictions, and make room. */
    udp(ft, S(60), A, 7, B, 53);
    assert_int_equal(r.n, 5);
    assert_int_equal(r.f[3].end_reason, FLOW_END_TIMEOUT);
    assert_int_equal(r.f[3].sport, 5);
    assert_int_equal(r.f[4].sport, 6);
    assert_int_equal(flow_table_stats(ft)->evicted, 3);
    assert_int_equal(flow_table_stats(ft)->active_now, 3);
    /* The quiet established session outlived all of it. */
    assert_int_equal(tcp(ft, S(61), A, 1234, B, 80, TH_ACK)->id, 1);
    flow_table_free(ft);
}

/* 1e6 SYNs from random sources into a 1024-flow table: the cap holds, memory
 * stays bounded and the one established session survives. */
static void test_syn_flood(void **state)
{
    (void)state;
    struct rec r;
    struct flow_table *ft = new_table(&r, 1024);
    struct flow *est = handshake(ft, S(100));
    uint64_t est_id = est->id;
    uint64_t mem_max = 0;
    uint32_t x = 2463534242u; /* xorshift32 */
    struct packet p;
    mk(&p, S(101), A, 0, B, 80, 6, TH_SYN);
    const unsigned n = 1000000;
    for (unsigned i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p.ts_us = S(101) + i;
        memcpy(p.layers[0].src.b + 12, &x, 4);
        p.layers[0].sport = (uint16_t)(x >> 7);
        assert_non_null(flow_table_update(ft, &p, &p.layers[0], 1, 60));
        if ((i & 1023) == 0) {
            uint64_t m = flow_table_mem(ft);
            mem_max = MAX(mem_max, m);
        }
    }
    const struct flow_stats *st = flow_table_stats(ft);
    assert_true(st->active_now <= 1024);
    assert_true(st->max_active <= 1024);
    assert_int_equal(st->created, n + 1);
    assert_int_equal(st->evicted, st->created - st->active_now);
    /* Slabs for 1024 flows, 1024 buckets, the table and the slab index. */
    assert_true(mem_max <= 1024 * (sizeof(struct flow) + sizeof(void *)) + 4096);
    /* The session is still there: its packet finds flow est_id. */
    struct flow *f = tcp(ft, S(102), A, 1234, B, 80, TH_ACK);
    assert_int_equal(f->id, est_id);
    flow_table_free(ft);
}

/* Flush ends everything, in order of first packet. */
static void test_flush(void **state)
{
    (void)state;
    struct rec r;
    struct flow_table *ft = new_table(&r, 1024);
    udp(ft, S(30), A, 1, B, 53);
    tcp(ft, S(10), A, 2, B, 80, TH_SYN); /* time went back */
    icmp(ft, S(20), A, B, 8, 0);
    handshake(ft, S(5));
    flow_table_flush(ft);
    assert_int_equal(r.n, 4);
    for (unsigned i = 0; i < 4; i++)
        assert_int_equal(r.f[i].end_reason, FLOW_END_CAPTURE_END);
    assert_int_equal(r.f[0].first_ts_us, S(5));
    assert_int_equal(r.f[1].first_ts_us, S(10));
    assert_int_equal(r.f[2].first_ts_us, S(20));
    assert_int_equal(r.f[3].first_ts_us, S(30));
    const struct flow_stats *st = flow_table_stats(ft);
    assert_int_equal(st->ended[FLOW_END_CAPTURE_END], 4);
    assert_int_equal(st->active_now, 0);
    flow_table_flush(ft); /* nothing left: no callbacks */
    assert_int_equal(r.n, 4);
    flow_table_free(ft);
}

/* Timestamps going backwards (stitched captures): first/last stay ordered,
 * timeouts run on the table clock (the largest time seen). */
static void test_time_backwards(void **state)
{
    (void)state;
    struct rec r;
    struct flow_table *ft = new_table(&r, 1024);
    udp(ft, S(1000), A, 1, B, 53);
    struct flow *f = udp(ft, S(500), A, 1, B, 53);
    assert_int_equal(f->first_ts_us, S(500));
    assert_int_equal(f->last_ts_us, S(1000));
    assert_int_equal(f->pkts[0], 2);
    udp(ft, S(400), A, 2, B, 53);  /* new flow in the past */
    flow_table_expire(ft, S(500)); /* an old `now` does not move time back */
    assert_int_equal(r.n, 0);
    flow_table_expire(ft, S(1030) - 1);
    assert_int_equal(r.n, 0);
    flow_table_expire(ft, S(1030));
    assert_int_equal(r.n, 2);
    assert_true(r.f[1].last_ts_us >= r.f[1].first_ts_us);
    /* A timestamp near the end of time must not wrap any arithmetic. */
    f = udp(ft, UINT64_MAX - 5, A, 3, B, 53);
    assert_non_null(f);
    flow_table_expire(ft, UINT64_MAX);
    flow_table_flush(ft);
    assert_int_equal(r.n, 3);
    flow_table_free(ft);
}

/* Layers that cannot form a flow. */
static void test_no_flow_layers(void **state)
{
    (void)state;
    struct rec r;
    struct flow_table *ft = new_table(&r, 1024);
    struct packet p;
    mk(&p, S(1), A, 0, B, 0, 17, 0);
    p.layers[0].is_fragment = true; /* non-final fragment: credited later */
    assert_null(flow_table_update(ft, &p, &p.layers[0], 1, 100));
    assert_int_equal(flow_table_stats(ft)->no_flow, 0);
    mk(&p, S(1), A, 1, B, 80, 6, TH_SYN);
    p.layers[0].l4_ok = false; /* TCP header cut short: ports unknown */
    assert_null(flow_table_update(ft, &p, &p.layers[0], 1, 100));
    assert_int_equal(flow_table_stats(ft)->no_flow, 1);
    assert_int_equal(flow_table_stats(ft)->created, 0);
    /* The completing fragment carries all frames and bytes. */
    mk(&p, S(1), A, 5000, B, 53, 17, 0);
    p.layers[0].reassembled = true;
    struct flow *f = flow_table_update(ft, &p, &p.layers[0], 3, 3000);
    assert_int_equal(f->pkts[0], 3);
    assert_int_equal(f->bytes[0], 3000);
    flow_table_free(ft); /* with a live flow: no callback, no leak */
    assert_int_equal(r.n, 0);
}

/* IPv6 keys normalise too, and many flows survive the bucket array growing. */
static void test_many_flows_and_growth(void **state)
{
    (void)state;
    struct rec r;
    struct flow_table *ft = new_table(&r, 8192);
    struct packet p;
    struct ip_addr a6, b6;
    memset(&a6, 0, sizeof(a6));
    memset(&b6, 0, sizeof(b6));
    a6.b[0] = 0x20; /* 2001:db8::1 and 2001:db8::2 */
    a6.b[1] = 0x01;
    a6.b[2] = 0x0d;
    a6.b[3] = 0xb8;
    b6 = a6;
    a6.b[15] = 1;
    b6.b[15] = 2;
    for (unsigned i = 0; i < 5000; i++) {
        mk(&p, S(1), b6, (uint16_t)(10000 + i), a6, 443, 6, TH_SYN);
        p.layers[0].ip_version = 6;
        struct flow *f = flow_table_update(ft, &p, &p.layers[0], 1, 80);
        assert_int_equal(f->id, i + 1);
    }
    for (unsigned i = 0; i < 5000; i++) {
        mk(&p, S(2), a6, 443, b6, (uint16_t)(10000 + i), 6, TH_SYN | TH_ACK);
        p.layers[0].ip_version = 6;
        struct flow *f = flow_table_update(ft, &p, &p.layers[0], 1, 80);
        assert_int_equal(f->id, i + 1);
        assert_int_equal(f->pkts[1], 1);
        assert_int_equal(f->ip_version, 6);
    }
    assert_int_equal(flow_table_stats(ft)->created, 5000);
    flow_table_flush(ft);
    assert_int_equal(r.n, 5000);
    flow_table_free(ft);
}

/* Same address both ends (a LAND-style packet): the ports orient the key,
 * and the reply still finds the flow. */
static void test_same_address(void **state)
{
    (void)state;
    struct rec r;
    struct flow_table *ft = new_table(&r, 1024);
    struct flow *f = udp(ft, S(1), A, 5000, A, 53);
    f = udp(ft, S(1) + 1, A, 53, A, 5000);
    assert_int_equal(f->id, 1);
    assert_int_equal(f->sport, 5000);
    assert_int_equal(f->pkts[0], 1);
    assert_int_equal(f->pkts[1], 1);
    /* Same address and port: every packet is toserver. */
    f = udp(ft, S(1), A, 7, A, 7);
    f = udp(ft, S(1), A, 7, A, 7);
    assert_int_equal(f->id, 2);
    assert_int_equal(f->pkts[0], 2);
    flow_table_free(ft);
}

/* The cap is inclusive: max_flows flows fit, the next one evicts. */
static void test_cap_boundary(void **state)
{
    (void)state;
    struct rec r;
    struct flow_table *ft = new_table(&r, 1);
    udp(ft, S(1), A, 1, B, 53);
    assert_int_equal(r.n, 0);
    udp(ft, S(1), A, 1, B, 53);
    assert_int_equal(r.n, 0); /* same flow: no eviction */
    struct flow *f = udp(ft, S(2), A, 2, B, 53);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.f[0].sport, 1);
    assert_int_equal(r.f[0].pkts[0], 2);
    assert_int_equal(f->id, 2);
    assert_int_equal(flow_table_stats(ft)->max_active, 1);
    flow_table_free(ft);
}

/* Checksum of every ended record, in order. */
static void sum_on_end(void *arg, struct flow *f)
{
    uint64_t *h = arg;
    uint64_t v[6] = {f->id, f->end_reason, f->pkts[0], f->pkts[1], f->first_ts_us, f->sport};
    for (unsigned i = 0; i < 6; i++)
        *h = (*h ^ v[i]) * 0x100000001b3ULL;
}

static uint64_t run_mixed(uint64_t seed)
{
    struct flow_config cfg;
    flow_config_defaults(&cfg);
    cfg.max_flows = 64;
    cfg.hash_seed = seed;
    uint64_t sum = 14695981039346656037ULL;
    struct flow_table *ft = flow_table_new(&cfg, sum_on_end, &sum);
    uint32_t x = 12345;
    struct packet p;
    for (unsigned i = 0; i < 20000; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        uint8_t protos[3] = {6, 17, 1};
        uint8_t flags[4] = {TH_SYN, TH_SYN | TH_ACK, TH_ACK, TH_FIN | TH_ACK};
        uint16_t cport = (uint16_t)(1000 + x % 200);
        uint64_t ts = S(1) + (uint64_t)i * 20000; /* 20 ms apart: timeouts happen too */
        if (x & 0x100)
            mk(&p, ts, A, cport, B, 80, protos[(x >> 9) % 3], flags[(x >> 12) % 4]);
        else
            mk(&p, ts, B, 80, A, cport, protos[(x >> 9) % 3], flags[(x >> 12) % 4]);
        flow_table_update(ft, &p, &p.layers[0], 1, 100);
        if (i % 50 == 0)
            flow_table_expire(ft, ts);
    }
    flow_table_flush(ft);
    flow_table_free(ft);
    return sum;
}

/* Nothing observable depends on the hash seed (bucket order). */
static void test_seed_independent(void **state)
{
    (void)state;
    assert_int_equal(run_mixed(1), run_mixed(0xdeadbeefcafeULL));
    assert_int_equal(run_mixed(1), run_mixed(0)); /* 0: a random seed */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_tcp_both_directions_and_fin),
        cmocka_unit_test(test_synack_first_flips),
        cmocka_unit_test(test_tcp_midstream),
        cmocka_unit_test(test_udp),
        cmocka_unit_test(test_icmp),
        cmocka_unit_test(test_vlan_separates),
        cmocka_unit_test(test_inner_layer),
        cmocka_unit_test(test_idle_timeout_per_class),
        cmocka_unit_test(test_idle_timeout_counts_from_last_packet),
        cmocka_unit_test(test_due_on_update),
        cmocka_unit_test(test_rst),
        cmocka_unit_test(test_conn_states),
        cmocka_unit_test(test_port_reuse),
        cmocka_unit_test(test_active_timeout),
        cmocka_unit_test(test_eviction_order),
        cmocka_unit_test(test_syn_flood),
        cmocka_unit_test(test_flush),
        cmocka_unit_test(test_time_backwards),
        cmocka_unit_test(test_no_flow_layers),
        cmocka_unit_test(test_many_flows_and_growth),
        cmocka_unit_test(test_same_address),
        cmocka_unit_test(test_cap_boundary),
        cmocka_unit_test(test_seed_independent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
