/* flow.h - bidirectional flows and the table that holds them.
 *
 * A flow is keyed by (VLAN ids, addresses, ports, protocol) regardless of
 * direction. The initiator is whoever spoke first, except that a flow whose
 * first packet is a SYN+ACK (we missed the SYN) is turned round so that the
 * SYN+ACK's receiver is the initiator, as Suricata and Zeek do.
 * Direction 0 ("toserver") is initiator -> responder, 1 ("toclient") back.
 *
 * The table owns every struct flow. When a flow ends (FIN/RST then a short
 * wait, idle timeout, active timeout, eviction, or the end of the capture)
 * the table calls the `on_end` callback given at creation with the flow,
 * then recycles it: the callback must copy what it keeps.
 *
 * Memory is capped: max_flows structs at most. When full, the oldest idle
 * flow is ended with reason FLOW_END_EVICTED, so a SYN flood from random
 * sources costs no more than the cap.
 */
#ifndef MAMORI_FLOW_H
#define MAMORI_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "decode/packet.h"

enum flow_end_reason {
    FLOW_END_NONE = 0,
    FLOW_END_FIN,         /* both sides sent FIN (then the closed timeout ran) */
    FLOW_END_RST,         /* a RST ended it */
    FLOW_END_TIMEOUT,     /* idle timeout */
    FLOW_END_ACTIVE,      /* active timeout: a long flow is cut into records */
    FLOW_END_EVICTED,     /* table full, oldest idle flow pushed out */
    FLOW_END_CAPTURE_END, /* capture file ended / sensor stopped */
    FLOW_END_REUSED,      /* a new SYN on a closed TCP flow started a new one */
};

/* TCP state as Suricata reports it in EVE (flow.state / tcp.state). */
enum flow_tcp_state {
    TCPS_NONE = 0,
    TCPS_SYN_SENT,
    TCPS_SYN_RECV,
    TCPS_ESTABLISHED,
    TCPS_FIN_WAIT,  /* one side sent FIN */
    TCPS_CLOSING,   /* both sides sent FIN */
    TCPS_CLOSED,    /* RST, or both FINs acknowledged */
};

/* Which timeout list a flow sits on; each has its own idle timeout. */
enum flow_tclass {
    FTC_TCP_NEW = 0, /* no handshake completed yet */
    FTC_TCP_EST,
    FTC_TCP_CLOSED,
    FTC_UDP_NEW,     /* only one direction seen */
    FTC_UDP_EST,
    FTC_ICMP_NEW,
    FTC_ICMP_EST,
    FTC_OTHER_NEW,
    FTC_OTHER_EST,
    FTC_MAX
};

struct flow_config {
    uint32_t max_flows;                /* hard cap on flows in memory */
    uint32_t idle_timeout_s[FTC_MAX];  /* per class, seconds of packet time */
    uint32_t active_timeout_s;         /* 0: never cut long flows */
    uint64_t hash_seed;                /* 0: a random seed per table (nothing
                                        * observable depends on it) */
};

void flow_config_defaults(struct flow_config *cfg);

struct app_flow; /* app/app.c */

struct flow_key {
    struct ip_addr a, b;   /* a <= b (memcmp), so both directions hash alike */
    uint16_t port_a, port_b;
    uint16_t vlan[2];      /* outer and inner VLAN id (0 if none) */
    uint8_t proto;
    uint8_t pad[3];        /* zeroed: the key is hashed and compared as bytes */
};

struct flow {
    /* --- table bookkeeping (private to flow-table.c) ---
     * The fields a hash-chain walk reads come first, within 64 bytes. */
    struct flow *hnext;              /* hash chain */
    uint32_t hash;
    uint8_t tclass;                  /* enum flow_tclass */
    struct flow_key key;
    struct flow *lprev, *lnext;      /* timeout list (per class), oldest first */
    uint64_t touch_us;               /* table clock at the last packet */
    uint64_t lts_us;                 /* table clock when put at its list's tail */

    /* --- what gets recorded --- */
    uint64_t id;                     /* unique within a run, never 0 */
    uint64_t first_ts_us, last_ts_us;
    uint8_t ip_version;
    uint8_t proto;
    uint16_t vlan[2];
    uint8_t vlan_count;
    uint8_t tunnel;                  /* enum tunnel_type of the layer */
    uint8_t tunnel_depth;            /* index of the layer in the packet */
    struct ip_addr src, dst;         /* initiator, responder */
    uint16_t sport, dport;
    bool has_mac;
    uint8_t src_mac[6], dst_mac[6];  /* Ethernet addresses of the first frame, oriented */
    uint64_t pkts[2], bytes[2];      /* [0] toserver, [1] toclient; bytes = wire length */
    uint64_t data_bytes[2];          /* transport payload bytes each way, as the
                                      * headers declared (Zeek orig_bytes/resp_bytes,
                                      * but retransmissions count again) */
    uint8_t tcp_flags[2];            /* OR of flags each way */
    uint8_t tcp_state;               /* enum flow_tcp_state */
    bool syn_seen[2], synack_seen, fin_seen[2], rst_seen[2];
    uint8_t icmp_type, icmp_code;    /* first ICMP message from the initiator */
    uint8_t resp_icmp_type, resp_icmp_code;
    bool resp_icmp_seen;
    uint8_t end_reason;              /* enum flow_end_reason, set when it ends */
    char conn_state[8];              /* Zeek-style summary (S0, SF, REJ, ...), set at end */
    uint32_t seq_no;                 /* record number within a cut-up long flow (active timeout) */
    char app_proto[24];              /* application protocol name, "" if unknown; set before
                                      * the flow reaches the sinks (app_flow_end) */
    uint32_t tcp_isn[2];             /* sequence number of each side's first SYN (valid when
                                      * syn_seen[dir]): reassembly starts on the first
                                      * payload but still knows where each stream began */
    uint8_t pkt_dir;                 /* direction of the packet flow_table_update() just
                                      * counted: 0 initiator -> responder, 1 back */
    struct app_flow *app;            /* application layer state (app/app.c), NULL until
                                      * payload is seen; freed in app_flow_end() */
};

struct flow_stats {
    uint64_t created;
    uint64_t ended[FLOW_END_REUSED + 1];
    uint64_t evicted;          /* same as ended[FLOW_END_EVICTED]: table was full */
    uint64_t active_now;
    uint64_t max_active;
    uint64_t no_flow;          /* IP layers that could not be put in a flow */
};

struct flow_table;

/* The callback may change the flow's recorded part (the application layer
 * sets app_proto and frees f->app there). */
typedef void (*flow_end_fn)(void *arg, struct flow *f);

/* Creates a table; free with flow_table_free() (which does NOT end the flows:
 * call flow_table_flush() first). */
struct flow_table *flow_table_new(const struct flow_config *cfg, flow_end_fn on_end, void *arg);
void flow_table_free(struct flow_table *ft);

/* Accounts one IP layer of a packet: finds or creates its flow, updates
 * counters and TCP state. `wire_bytes` is what to add to the byte count (the
 * frame's wire length, or all fragments' for a reassembled datagram) and
 * `frames` how many packets that is. `l` must point into pkt->layers (its
 * index is the tunnel depth; only layer 0 records MAC addresses). Returns
 * the flow (valid until the next call into the table), or NULL if the layer
 * cannot form a flow: a non-final fragment (not counted), or TCP/UDP whose
 * header did not decode (counted in stats.no_flow). May end other flows
 * (timeout due, port reuse, active timeout, eviction) through on_end. */
struct flow *flow_table_update(struct flow_table *ft, const struct packet *pkt,
                               const struct ip_layer *l, uint32_t frames, uint64_t wire_bytes);

/* Ends flows whose timeout passed at packet time now_us. O(1) when nothing
 * is due and O(flows ended) otherwise; the pipeline calls it each time
 * packet time has moved on by >= 1 s. A flow ends within 1 s after its
 * timeout (never before), in order of when its timeout ran out. A flow whose
 * timeout passed is also ended when its next packet arrives, so which
 * packets land in which record does not depend on how often this is called. */
void flow_table_expire(struct flow_table *ft, uint64_t now_us);

/* Ends every flow with reason FLOW_END_CAPTURE_END. */
void flow_table_flush(struct flow_table *ft);

const struct flow_stats *flow_table_stats(const struct flow_table *ft);

/* Bytes the table holds (flow slabs and hash buckets), for stats. */
uint64_t flow_table_mem(const struct flow_table *ft);

/* Names used in the store and EVE. */
const char *flow_end_reason_name(enum flow_end_reason r);
const char *flow_tcp_state_name(enum flow_tcp_state s);
/* Suricata's EVE flow.reason: "timeout", "forced" or "shutdown". */
const char *flow_end_reason_eve(enum flow_end_reason r);
/* Suricata's EVE flow.state: "new", "established" or "closed". */
const char *flow_state_eve(const struct flow *f);
/* "TCP", "UDP", "ICMP", "IPv6-ICMP", "GRE" or the number as text. */
const char *ip_proto_name(uint8_t proto, char *buf, unsigned len);

#endif
