/* app.c - the application-layer dispatcher: per-flow state, probing, TCP
 * reassembly into the parsers, nDPI for the rest, events to the sinks.
 * See app.h for the contract with parsers. */
#include <string.h>

#include "app/app.h"
#include "app/app-dump.h"
#include "app/app-ndpi.h"
#include "util/util.h"

/* UDP datagrams of a flow offered to the parsers before giving up on it. */
#define APP_UDP_PROBE_DATAGRAMS 8

/* Per-flow state; f->app points here while the flow lives. */
struct app_flow {
    const struct app_parser *parser; /* NULL while probing */
    const struct app_parser *first;  /* the parser that took the flow (names it) */
    void *state;
    struct stream_tcp st;            /* TCP only */
    uint8_t *probe[2];               /* bytes seen before a parser was chosen */
    uint16_t probe_len[2];
    uint32_t rejected[2];            /* bit per parser id that said NO, per direction */
    uint32_t seen_gaps[2];           /* stream gaps already told to the parser */
    uint8_t done_mask;               /* directions nobody wants any more */
    uint8_t first_dir;               /* direction of the first payload */
    bool has_payload;
    bool probing_failed;             /* no parser of ours can read it */
    uint8_t udp_misses;              /* UDP datagrams no parser took */
    bool tcp;
    uint16_t anomaly_events;
    struct app_ndpi_flow *ndpi;
    uint16_t ndpi_pkts;
    bool ndpi_done;
    char ndpi_name[24];
};

/* Serialised body/extra of the event being handed to the sinks. */
struct app_event_text {
    struct app_dump_buf d[2];
    bool done[2];
};

struct app_layer {
    struct app_config cfg;
    struct app_event_text text;
    app_event_fn cb;
    void *arg;
    struct stream_pool pool;
    struct app_ndpi *ndpi;
    struct app_stats stats;
    /* Parsers per transport: port-matched first at run time. */
    const struct app_parser *tcp_parsers[APP_PROTO_MAX];
    const struct app_parser *udp_parsers[APP_PROTO_MAX];
    unsigned ntcp, nudp;
    uint32_t tcp_mask, udp_mask; /* bit per parser id in each list */
    /* The packet being handled, for the stream callback. */
    struct flow *cur_f;
    uint64_t cur_ts;
};

static const struct app_parser *app_parser_table(enum app_proto_id id)
{
    switch (id) {
    case APP_DNS: return &app_parser_dns;
    case APP_MDNS: return &app_parser_mdns;
    case APP_LLMNR: return &app_parser_llmnr;
    case APP_NBNS: return &app_parser_nbns;
    case APP_DHCP: return &app_parser_dhcp;
    case APP_DHCPV6: return &app_parser_dhcpv6;
    case APP_TLS: return &app_parser_tls;
    case APP_HTTP: return &app_parser_http;
    case APP_SMTP: return &app_parser_smtp;
    case APP_POP3: return &app_parser_pop3;
    case APP_IMAP: return &app_parser_imap;
    case APP_FTP: return &app_parser_ftp;
    case APP_TELNET: return &app_parser_telnet;
    case APP_SSH: return &app_parser_ssh;
    case APP_SMB: return &app_parser_smb;
    case APP_QUIC: return &app_parser_quic;
    case APP_RDP: return &app_parser_rdp;
    case APP_DCERPC: return &app_parser_dcerpc;
    case APP_NONE:
    case APP_PROTO_MAX:
        break;
    }
    return NULL;
}

const struct app_parser *app_parser_get(enum app_proto_id id)
{
    const struct app_parser *p = app_parser_table(id);
    return p && p->feed ? p : NULL;
}

const char *app_proto_name(enum app_proto_id id)
{
    const struct app_parser *p = app_parser_get(id);
    return p ? p->name : "";
}

/* Parsers whose probes are strict enough to try on any port. The others
 * (a "220 " banner, a Telnet IAC, a DNS-shaped header) only on their own
 * ports, or random binary traffic would be misnamed. */
static bool app_any_port(enum app_proto_id id)
{
    return id == APP_TLS || id == APP_HTTP || id == APP_SSH || id == APP_SMB || id == APP_RDP ||
           id == APP_QUIC || id == APP_DCERPC;
}

void app_config_defaults(struct app_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->enabled = true;
    cfg->ndpi = true;
    cfg->ndpi_max_packets = 16;
    cfg->max_anomaly_events_per_flow = 8;
    stream_config_defaults(&cfg->stream);
}

struct app_layer *app_layer_new(const struct app_config *cfg, app_event_fn cb, void *arg)
{
    struct app_layer *al = xcalloc(1, sizeof(*al));
    al->cfg = *cfg;
    al->cb = cb;
    al->arg = arg;
    stream_pool_init(&al->pool, &cfg->stream);
    for (int id = APP_NONE + 1; id < APP_PROTO_MAX; id++) {
        const struct app_parser *p = app_parser_get((enum app_proto_id)id);
        if (!p)
            continue;
        if (p->ipproto == 6 || p->ipproto == 0) {
            al->tcp_parsers[al->ntcp++] = p;
            al->tcp_mask |= 1u << p->id;
        }
        if (p->ipproto == 17 || p->ipproto == 0) {
            al->udp_parsers[al->nudp++] = p;
            al->udp_mask |= 1u << p->id;
        }
    }
    if (cfg->enabled && cfg->ndpi)
        al->ndpi = app_ndpi_new();
    return al;
}

void app_layer_free(struct app_layer *al)
{
    if (!al)
        return;
    app_ndpi_free(al->ndpi);
    free(al->text.d[0].buf);
    free(al->text.d[1].buf);
    free(al);
}

const struct app_stats *app_layer_stats(const struct app_layer *al)
{
    return &al->stats;
}

const struct stream_stats *app_layer_stream_stats(const struct app_layer *al)
{
    return &al->pool.stats;
}

/* --- what parsers call --- */

const char *app_event_json(const struct app_event *ev, int which, size_t *len)
{
    /* Events built by hand (tests) have no cache: one shared scratch. */
    static struct app_event_text scratch;
    const json_t *obj = which ? ev->extra : ev->body;
    struct app_event_text *t = ev->text ? ev->text : &scratch;
    int w = which ? 1 : 0;
    struct app_dump_buf *b = &t->d[w];
    if (!obj) {
        *len = 0;
        return NULL;
    }
    if (!ev->text || !t->done[w]) {
        b->len = 0;
        if (app_dump_json(b, obj) < 0) {
            *len = 0;
            return NULL;
        }
        t->done[w] = true;
    }
    *len = b->len;
    return b->buf;
}

static void app_emit_aux(struct app_layer *al, const struct flow *f, uint64_t ts,
                         const char *type, int dir, const json_t *body, const json_t *extra,
                         const char *aux_key, const json_t *aux)
{
    al->text.done[0] = al->text.done[1] = false;
    struct app_event ev = {
        .text = &al->text,
        .aux_key = aux ? aux_key : NULL,
        .aux = aux_key ? aux : NULL,
        .type = type,
        .f = f,
        .ts_us = ts,
        .dir = dir,
        .app_proto = f->app_proto,
        .body = body,
        .extra = extra,
    };
    al->cb(al->arg, &ev);
}

static void app_emit(struct app_layer *al, const struct flow *f, uint64_t ts, const char *type,
                     int dir, const json_t *body, const json_t *extra)
{
    app_emit_aux(al, f, ts, type, dir, body, extra, NULL, NULL);
}

void app_event_aux(struct app_cx *cx, const char *type, int dir, json_t *body, json_t *extra,
                   const char *aux_key, json_t *aux)
{
    cx->al->stats.events++;
    app_emit_aux(cx->al, cx->f, cx->ts_us, type, dir, body, extra, aux_key, aux);
    json_decref(body);
    json_decref(extra);
    json_decref(aux);
}

void app_event(struct app_cx *cx, const char *type, int dir, json_t *body, json_t *extra)
{
    cx->al->stats.events++;
    app_emit(cx->al, cx->f, cx->ts_us, type, dir, body, extra);
    json_decref(body);
    json_decref(extra);
}

/* Anomalies of any layer: EVE's anomaly object {type, event, layer,
 * app_proto}; bounded per flow so a hostile flow cannot flood the log. */
static void app_anomaly_emit(struct app_layer *al, struct flow *f, uint64_t ts, const char *type,
                             const char *event, const char *layer)
{
    al->stats.anomalies++;
    struct app_flow *af = f->app;
    if (af) {
        if (af->anomaly_events >= al->cfg.max_anomaly_events_per_flow)
            return;
        af->anomaly_events++;
    }
    json_t *o = json_object();
    json_object_set_new_nocheck(o, "type", json_string(type));
    json_object_set_new_nocheck(o, "event", json_string(event));
    json_object_set_new_nocheck(o, "layer", json_string(layer));
    if (f->app_proto[0])
        json_object_set_new_nocheck(o, "app_proto", json_string(f->app_proto));
    app_emit(al, f, ts, "anomaly", f->pkt_dir, o, NULL);
    json_decref(o);
}

void app_anomaly(struct app_cx *cx, const char *event)
{
    app_anomaly_emit(cx->al, cx->f, cx->ts_us, "applayer", event, "proto_parser");
}

void app_done(struct app_cx *cx, int dir)
{
    if (dir < 0)
        cx->done_mask |= 3;
    else if (dir <= 1)
        cx->done_mask |= (uint8_t)(1u << dir);
}

void app_upgrade(struct app_cx *cx, enum app_proto_id to)
{
    cx->upgrade_to = (uint8_t)to;
}

/* --- per-flow state --- */

static void app_set_name(struct flow *f, const char *name)
{
    snprintf(f->app_proto, sizeof(f->app_proto), "%s", name);
}

static void app_parser_stop(struct app_layer *al, struct flow *f, struct app_flow *af, bool end)
{
    if (!af->parser)
        return;
    struct app_cx cx = {.al = al, .f = f, .ts_us = al->cur_ts ? al->cur_ts : f->last_ts_us};
    if (end && af->parser->end)
        af->parser->end(&cx, af->state);
    if (af->parser->release)
        af->parser->release(af->state);
    al->stats.state_bytes -= af->parser->state_size;
    free(af->state);
    af->state = NULL;
    af->parser = NULL;
}

static void app_parser_start(struct app_layer *al, struct flow *f, struct app_flow *af,
                             const struct app_parser *p)
{
    af->parser = p;
    if (!af->first) {
        af->first = p;
        app_set_name(f, p->name);
    }
    af->state = xcalloc(1, p->state_size ? p->state_size : 1);
    al->stats.state_bytes += p->state_size;
    if (af->ndpi) {
        app_ndpi_flow_free(af->ndpi);
        af->ndpi = NULL;
        al->stats.state_bytes -= app_ndpi_flow_size();
    }
    af->ndpi_done = true;
    al->stats.flows_parsed[p->id]++;
    af->done_mask = 0;
}

static void app_probe_free(struct app_layer *al, struct app_flow *af)
{
    for (int d = 0; d < 2; d++) {
        if (af->probe[d])
            al->stats.state_bytes -= APP_PROBE_MAX;
        free(af->probe[d]);
        af->probe[d] = NULL;
        af->probe_len[d] = 0;
    }
}

/* Runs the parser's feed and applies what it asked for. */
static void app_feed(struct app_layer *al, struct flow *f, struct app_flow *af, int dir,
                     const uint8_t *data, uint32_t len)
{
    struct app_cx cx = {.al = al, .f = f, .ts_us = al->cur_ts};
    af->parser->feed(&cx, af->state, dir, data, len);
    af->done_mask |= cx.done_mask;
    if (cx.upgrade_to != APP_NONE) {
        const struct app_parser *to = app_parser_get((enum app_proto_id)cx.upgrade_to);
        app_parser_stop(al, f, af, true);
        if (to)
            app_parser_start(al, f, af, to);
        else
            af->done_mask = 3;
    }
}

static void app_ndpi_start(struct app_layer *al, struct app_flow *af)
{
    if (!al->ndpi || af->ndpi || af->ndpi_done)
        return;
    af->ndpi = app_ndpi_flow_new(al->ndpi);
    al->stats.ndpi_flows++;
    al->stats.state_bytes += app_ndpi_flow_size();
}

static void app_ndpi_stop(struct app_layer *al, struct app_flow *af)
{
    if (!af->ndpi)
        return;
    app_ndpi_flow_free(af->ndpi);
    af->ndpi = NULL;
    af->ndpi_done = true;
    al->stats.state_bytes -= app_ndpi_flow_size();
    if (af->ndpi_name[0])
        al->stats.ndpi_named++;
}

static bool app_port_match(const struct app_parser *p, uint16_t port)
{
    for (const uint16_t *pp = p->ports; pp && *pp; pp++)
        if (*pp == port)
            return true;
    return false;
}

/* Tries the parsers on `data` (the first bytes of direction dir): those on
 * the flow's ports first, then the strict ones on any port. Returns the one
 * that said YES, or NULL; sets *more when some parser wants more bytes. */
static const struct app_parser *app_probe(struct app_layer *al, struct flow *f,
                                          struct app_flow *af, int dir, const uint8_t *data,
                                          uint32_t len, bool *more)
{
    const struct app_parser *const *list = af->tcp ? al->tcp_parsers : al->udp_parsers;
    unsigned n = af->tcp ? al->ntcp : al->nudp;
    *more = false;
    for (int pass = 0; pass < 2; pass++) {
        for (unsigned i = 0; i < n; i++) {
            const struct app_parser *p = list[i];
            bool ported = app_port_match(p, f->dport) || app_port_match(p, f->sport);
            if (pass == 0 ? !ported : (ported || !app_any_port(p->id)))
                continue;
            if (af->rejected[dir] & (1u << p->id))
                continue;
            enum app_probe_result r = p->probe ? p->probe(data, len, dir) : APP_PROBE_NO;
            if (r == APP_PROBE_YES)
                return p;
            if (r == APP_PROBE_NEED_MORE && af->tcp && len < APP_PROBE_MAX)
                *more = true;
            else if (af->tcp)
                af->rejected[dir] |= 1u << p->id;
            /* UDP: each datagram stands alone, so one odd datagram (a
             * malformed mDNS packet first) must not hide the rest of the
             * flow; app_probe_bytes() gives up after a few instead. */
        }
    }
    return NULL;
}

/* Probing gave up: nobody of ours reads this flow. */
static void app_probe_fail(struct app_layer *al, struct app_flow *af)
{
    af->probing_failed = true;
    app_probe_free(al, af);
    app_ndpi_start(al, af);
}

/* In-order bytes of a flow without a parser yet. */
static void app_probe_bytes(struct app_layer *al, struct flow *f, struct app_flow *af, int dir,
                            const uint8_t *data, uint32_t len)
{
    if (af->probing_failed)
        return;
    if (!af->has_payload) {
        af->has_payload = true;
        af->first_dir = (uint8_t)dir;
    }
    const uint8_t *pd = data;
    uint32_t plen = len;
    uint32_t lost = 0; /* bytes of this chunk that did not fit the probe buffer */
    const uint8_t *rest = NULL;
    if (af->tcp && (af->probe_len[dir] > 0 || len < APP_PROBE_MAX)) {
        /* Collect up to APP_PROBE_MAX bytes so a probe sees a whole
         * header even when it arrives a byte at a time. */
        if (!af->probe[dir]) {
            af->probe[dir] = xmalloc(APP_PROBE_MAX);
            al->stats.state_bytes += APP_PROBE_MAX;
        }
        uint32_t take = MIN(len, (uint32_t)(APP_PROBE_MAX - af->probe_len[dir]));
        memcpy(af->probe[dir] + af->probe_len[dir], data, take);
        af->probe_len[dir] = (uint16_t)(af->probe_len[dir] + take);
        pd = af->probe[dir];
        plen = af->probe_len[dir];
        lost = len - take;
        rest = data + take;
    }
    bool more;
    const struct app_parser *p = app_probe(al, f, af, dir, pd, plen, &more);
    if (!p && !af->tcp) {
        if (++af->udp_misses >= APP_UDP_PROBE_DATAGRAMS)
            app_probe_fail(al, af);
        else
            app_ndpi_start(al, af); /* let nDPI look meanwhile */
        return;
    }
    if (!p) {
        uint32_t all = af->tcp ? al->tcp_mask : al->udp_mask;
        /* A parser may still recognise the other direction (a server's
         * greeting text before an SSH banner, a client that speaks first),
         * so give up only when every parser said no to both. */
        if (!more && (af->rejected[0] & af->rejected[1] & all) == all)
            app_probe_fail(al, af);
        return;
    }
    app_parser_start(al, f, af, p);
    if (!af->tcp) {
        app_feed(al, f, af, dir, data, len);
        return;
    }
    /* Replay what was collected: the direction that spoke first first. */
    uint8_t *buf[2] = {af->probe[0], af->probe[1]};
    uint16_t blen[2] = {af->probe_len[0], af->probe_len[1]};
    af->probe[0] = af->probe[1] = NULL;
    af->probe_len[0] = af->probe_len[1] = 0;
    for (int k = 0; k < 2; k++) {
        int d = k == 0 ? af->first_dir : 1 - af->first_dir;
        if (!buf[d] || !blen[d] || !af->parser || (af->done_mask & (1u << d)))
            continue;
        app_feed(al, f, af, d, buf[d], blen[d]);
    }
    for (int d = 0; d < 2; d++) {
        if (buf[d])
            al->stats.state_bytes -= APP_PROBE_MAX;
        free(buf[d]);
    }
    if (!af->parser || (af->done_mask & (1u << dir)))
        return;
    if (!buf[dir])
        app_feed(al, f, af, dir, data, len); /* came whole, not through the buffer */
    else if (lost > 0)
        app_feed(al, f, af, dir, rest, lost); /* what did not fit the buffer */
}

/* In-order bytes of direction dir: from reassembly (TCP) or a datagram. */
static void app_bytes(struct app_layer *al, struct flow *f, struct app_flow *af, int dir,
                      const uint8_t *data, uint32_t len)
{
    if (!af->parser) {
        app_probe_bytes(al, f, af, dir, data, len);
        return;
    }
    if (af->done_mask & (1u << dir))
        return;
    if (af->tcp && af->st.dir[dir].gaps != af->seen_gaps[dir]) {
        af->seen_gaps[dir] = af->st.dir[dir].gaps;
        if (af->parser->gap) {
            struct app_cx cx = {.al = al, .f = f, .ts_us = al->cur_ts};
            af->parser->gap(&cx, af->state, dir);
        } else {
            af->done_mask |= (uint8_t)(1u << dir);
            return;
        }
        if (!af->parser || (af->done_mask & (1u << dir)))
            return;
    }
    app_feed(al, f, af, dir, data, len);
}

static void app_stream_cb(void *arg, int dir, const uint8_t *data, uint32_t len)
{
    struct app_layer *al = arg;
    struct flow *f = al->cur_f;
    struct app_flow *af = f->app;
    if (!af->parser && !af->probing_failed && af->st.dir[dir].gaps) {
        /* A hole before a parser was chosen: the probe bytes no longer
         * start the stream; give up rather than misread the rest. */
        app_probe_fail(al, af);
        return;
    }
    app_bytes(al, f, af, dir, data, len);
}

static bool app_flow_wants_bytes(const struct app_flow *af)
{
    if (af->parser)
        return af->done_mask != 3;
    return !af->probing_failed;
}

void app_packet(struct app_layer *al, struct flow *f, const struct ip_layer *l, int dir,
                uint64_t ts_us)
{
    if (!al->cfg.enabled || !l->l4_ok || (l->proto != 6 && l->proto != 17))
        return;
    struct app_flow *af = f->app;
    al->cur_f = f;
    al->cur_ts = ts_us;
    if (!af) {
        /* State only once there is payload: a SYN flood costs nothing
         * here. The handshake's sequence numbers were kept in the flow. */
        if (l->payload_len == 0)
            goto out;
        af = f->app = xcalloc(1, sizeof(*af));
        af->tcp = l->proto == 6;
        stream_tcp_init(&af->st);
        al->stats.state_bytes += sizeof(*af);
        for (int d = 0; af->tcp && d < 2; d++)
            if (f->syn_seen[d])
                stream_tcp_segment(&al->pool, &af->st, d, TH_SYN, f->tcp_isn[d], NULL, 0,
                                   app_stream_cb, al);
    }

    if (app_flow_wants_bytes(af)) {
        if (af->tcp) {
            uint64_t mismatch = al->pool.stats.overlap_mismatch;
            int d = dir;
            /* A direction the parser is done with is not reassembled. */
            if (!(af->parser && (af->done_mask & (1u << d))))
                stream_tcp_segment(&al->pool, &af->st, d, l->tcp_flags, l->tcp_seq, l->payload,
                                   l->payload_len, app_stream_cb, al);
            if (al->pool.stats.overlap_mismatch != mismatch)
                app_anomaly_emit(al, f, ts_us, "stream",
                                 "stream.reassembly_overlap_different_data", "stream");
        } else if (l->payload_len > 0) {
            app_bytes(al, f, af, dir, l->payload, l->payload_len);
        }
    }

    /* nDPI on flows none of ours took, for their first packets: a TCP flow
     * from its first payload that no parser claimed at once (a parser may
     * still take it later, which stops nDPI), UDP once probing gave up. */
    if (af->tcp && !af->parser && !af->ndpi_done && l->payload_len > 0)
        app_ndpi_start(al, af);
    if (af->ndpi && l->l3) {
        if (app_ndpi_packet(al->ndpi, af->ndpi, l->l3, l->l3_len, ts_us, af->ndpi_name,
                            sizeof(af->ndpi_name)) ||
            ++af->ndpi_pkts >= al->cfg.ndpi_max_packets) {
            if (!af->ndpi_name[0])
                app_ndpi_giveup(al->ndpi, af->ndpi, af->ndpi_name, sizeof(af->ndpi_name));
            app_ndpi_stop(al, af);
        }
    }
out:
    al->cur_f = NULL;
    al->cur_ts = 0;
}

void app_flow_end(struct app_layer *al, struct flow *f)
{
    struct app_flow *af = f->app;
    if (!af)
        return;
    al->cur_f = f;
    al->cur_ts = f->last_ts_us;
    if (af->tcp && af->parser && af->done_mask != 3) {
        /* Held data after holes still reaches the parser. */
        stream_tcp_gap(&al->pool, &af->st, -1, app_stream_cb, al);
    }
    app_parser_stop(al, f, af, true);
    stream_tcp_release(&al->pool, &af->st);
    app_probe_free(al, af);
    if (af->ndpi) {
        app_ndpi_giveup(al->ndpi, af->ndpi, af->ndpi_name, sizeof(af->ndpi_name));
        app_ndpi_stop(al, af);
    }
    if (!af->first && af->ndpi_name[0])
        app_set_name(f, af->ndpi_name);
    al->stats.state_bytes -= sizeof(*af);
    free(af);
    f->app = NULL;
    al->cur_f = NULL;
    al->cur_ts = 0;
}
