/* output-eve.c - ended flows as Suricata EVE JSON "flow" events, and
 * application events ("dns", "tls", ..., "anomaly"), one per line.
 *
 * Field names, types and omissions follow what Suricata writes for
 * event_type "flow" (output-json-flow.c), so tools that read Suricata's
 * eve.json (jq recipes, Filebeat's suricata module, Elastic/Splunk parsers)
 * take ours unchanged; /work/shared/data/eve-schema.json is Suricata's own
 * schema and tests/unit/test-output-eve.c validates against it. Where we
 * differ:
 *   - timestamp is the flow's last packet time (Suricata uses the time it
 *     logged the event, which for a replayed capture is also packet time);
 *   - flow_id is our per-run flow number, not a hash;
 *   - tcp.state uses our coarser state names (flow_tcp_state_name()).
 * An application event has the same head as its flow's line (flow_id, vlan,
 * addresses, proto), with src/dest turned round when the server sent it,
 * the event's own packet time, and the parser's object under the key named
 * like event_type; the parser built it in Suricata's shape (app.h).
 *
 * Lines go through a large stdio buffer; commit() flushes and fsyncs, which is
 * when records become durable (in a bulk load, the fsync runs on a bgsync
 * thread and the next commit waits for it). A write error is reported once and the sink
 * then refuses further work.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decode/decode.h"
#include "app/app-dump.h"
#include "detect/explain.h"
#include "store/sink.h"
#include "util/bgsync.h"
#include "util/i18n.h"
#include "util/netaddr.h"
#include "util/util.h"

/* Big enough that a busy second of flows costs a few write(2)s. */
#define EVE_BUF_SIZE (1u << 20)

struct eve_sink {
    struct sink sink; /* first: the pipeline holds a struct sink * */
    FILE *fp;
    char *path;
    char *iobuf;  /* our stdio buffer (NULL for stdout) */
    char *host_json; /* sensor name as a JSON string literal; NULL if none */
    char *line;   /* one serialised event, grown as needed */
    size_t line_cap;
    struct bgsync *bg; /* a bulk load's fsync, one commit behind; NULL: at commit */
    bool is_stdout;
    bool failed; /* an error was printed; refuse further work */
};

static struct eve_sink *eve_of(struct sink *s)
{
    return (struct eve_sink *)s;
}

static int eve_fail(struct eve_sink *es, int err)
{
    if (!es->failed)
        error("cannot write to eve file '%s': %s", es->path, strerror(err ? err : EIO));
    es->failed = true;
    return -1;
}

/* Events are written straight into a line buffer: a flow event has a fixed
 * shape of numbers, addresses and a few fixed words, and building a jansson
 * object tree per flow cost more than all of the packet decoding. The only
 * free text (the sensor name) is escaped once by jansson at open time. */
struct jline {
    char *p;
    size_t len, cap;
};

/* The writers below are inlined into every call: keys are literals, so
 * their lengths are known at compile time and each piece is one short copy
 * (a flow line has about 25 of them). */
#define JL_INLINE static inline __attribute__((always_inline))

static __attribute__((noinline)) void jl_grow(struct jline *l, size_t n)
{
    while (l->cap - l->len < n)
        l->cap *= 2;
    l->p = xrealloc(l->p, l->cap);
}

JL_INLINE void jl_reserve(struct jline *l, size_t n)
{
    if (l->cap - l->len < n)
        jl_grow(l, n);
}

JL_INLINE void jl_raw(struct jline *l, const char *s, size_t n)
{
    jl_reserve(l, n);
    memcpy(l->p + l->len, s, n);
    l->len += n;
}

#define JL_LIT(l, lit) jl_raw((l), (lit), sizeof(lit) - 1)

JL_INLINE void jl_str(struct jline *l, const char *s)
{
    jl_raw(l, s, strlen(s));
}

JL_INLINE void jl_uint(struct jline *l, uint64_t v)
{
    char buf[24];
    jl_raw(l, buf, (size_t)(put_dec(buf, v) - buf));
}

/* A key and a quoted value that needs no escaping (our own words, digits,
 * addresses, timestamps). */
JL_INLINE void jl_kv_word(struct jline *l, const char *key, const char *val)
{
    jl_raw(l, "\"", 1);
    jl_str(l, key);
    jl_raw(l, "\":\"", 3);
    jl_str(l, val);
    jl_raw(l, "\"", 1);
}

/* A key and a quoted value that may need escaping (protocol names from nDPI,
 * event types): only our own text, never wire bytes, so plain ASCII is the
 * rule and anything else is escaped rather than trusted. */
static void jl_kv_esc(struct jline *l, const char *key, const char *val, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    jl_raw(l, "\"", 1);
    jl_str(l, key);
    jl_raw(l, "\":\"", 3);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)val[i];
        if (c == '"' || c == '\\') {
            char esc[2] = {'\\', (char)c};
            jl_raw(l, esc, 2);
        } else if (c < 0x20 || c >= 0x7f) {
            char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf]};
            jl_raw(l, esc, 6);
        } else {
            jl_raw(l, (const char *)&c, 1);
        }
    }
    jl_raw(l, "\"", 1);
}

JL_INLINE void jl_kv_uint(struct jline *l, const char *key, uint64_t v)
{
    jl_raw(l, "\"", 1);
    jl_str(l, key);
    jl_raw(l, "\":", 2);
    jl_uint(l, v);
}

/* fmt_ts_eve()'s text without its gmtime_r() and snprintf() on every call
 * (three times per flow line, once per event line: a tenth of the cost of
 * the EVE file). Packet times move forward, so the "YYYY-MM-DDTHH:MM:SS"
 * part of a second is made once by fmt_ts_eve itself and kept in a small
 * cache (a flow line's start, end and timestamp are usually different
 * seconds); only the microseconds are written each time. */
#define JL_TS_CACHE 64
struct jl_ts_second {
    uint64_t sec;
    bool valid;
    uint8_t len;
    char text[32];
};

static void jl_kv_ts(struct jline *l, const char *key, uint64_t ts_us)
{
    static _Thread_local struct jl_ts_second cache[JL_TS_CACHE];
    uint64_t sec = ts_us / 1000000u;
    unsigned us = (unsigned)(ts_us % 1000000u);
    struct jl_ts_second *c = &cache[sec % JL_TS_CACHE];
    if (!c->valid || c->sec != sec) {
        char full[48];
        fmt_ts_eve(full, sizeof(full), sec * 1000000u);
        const char *dot = strrchr(full, '.');
        size_t n = dot ? (size_t)(dot - full) : 0;
        if (!dot || n >= sizeof(c->text)) {
            /* Not the usual shape: no caching, fmt_ts_eve's text as it is. */
            fmt_ts_eve(full, sizeof(full), ts_us);
            jl_kv_word(l, key, full);
            return;
        }
        memcpy(c->text, full, n);
        c->len = (uint8_t)n;
        c->sec = sec;
        c->valid = true;
    }
    char buf[48];
    memcpy(buf, c->text, c->len);
    char *p = buf + c->len;
    *p++ = '.';
    for (int i = 5; i >= 0; i--) {
        p[i] = (char)('0' + us % 10);
        us /= 10;
    }
    memcpy(p + 6, "+0000", 6);
    jl_kv_word(l, key, buf);
}

static void jl_kv_ip(struct jline *l, const char *key, const struct ip_addr *a)
{
    char buf[IP_ADDR_TEXT_MAX];
    ip_addr_fmt(a, buf, sizeof(buf));
    jl_kv_word(l, key, buf);
}

static void jl_kv_mac(struct jline *l, const char *key, const uint8_t mac[6])
{
    char buf[18];
    mac_fmt(mac, buf);
    jl_kv_word(l, key, buf);
}

/* Suricata prints TCP flags as two lowercase hex digits ("1b"). */
static void jl_kv_hex8(struct jline *l, const char *key, uint8_t v)
{
    char buf[3];
    *put_hex_bytes(buf, &v, 1) = '\0';
    jl_kv_word(l, key, buf);
}

static void eve_flow_section(struct jline *l, const struct flow *f)
{
    JL_LIT(l, "\"flow\":{");
    jl_kv_uint(l, "pkts_toserver", f->pkts[0]);
    JL_LIT(l, ",");
    jl_kv_uint(l, "pkts_toclient", f->pkts[1]);
    JL_LIT(l, ",");
    jl_kv_uint(l, "bytes_toserver", f->bytes[0]);
    JL_LIT(l, ",");
    jl_kv_uint(l, "bytes_toclient", f->bytes[1]);
    JL_LIT(l, ",");
    jl_kv_ts(l, "start", f->first_ts_us);
    JL_LIT(l, ",");
    jl_kv_ts(l, "end", f->last_ts_us);
    JL_LIT(l, ",");
    /* Suricata: whole seconds of the end minus whole seconds of the start. */
    uint64_t first_s = f->first_ts_us / 1000000u, last_s = f->last_ts_us / 1000000u;
    jl_kv_uint(l, "age", last_s >= first_s ? last_s - first_s : 0);
    JL_LIT(l, ",");
    jl_kv_word(l, "state", flow_state_eve(f));
    JL_LIT(l, ",");
    jl_kv_word(l, "reason", flow_end_reason_eve((enum flow_end_reason)f->end_reason));
    JL_LIT(l, ",\"alerted\":false}");
}

static void eve_tcp_section(struct jline *l, const struct flow *f)
{
    static const struct {
        uint8_t bit;
        const char *name;
    } bits[] = {
        {TH_SYN, "syn"}, {TH_FIN, "fin"}, {TH_RST, "rst"}, {TH_PSH, "psh"},
        {TH_ACK, "ack"}, {TH_URG, "urg"}, {TH_ECE, "ecn"}, {TH_CWR, "cwr"},
    };
    uint8_t all = (uint8_t)(f->tcp_flags[0] | f->tcp_flags[1]);
    JL_LIT(l, "\"tcp\":{");
    jl_kv_hex8(l, "tcp_flags", all);
    JL_LIT(l, ",");
    jl_kv_hex8(l, "tcp_flags_ts", f->tcp_flags[0]);
    JL_LIT(l, ",");
    jl_kv_hex8(l, "tcp_flags_tc", f->tcp_flags[1]);
    /* Like Suricata, only the flags that were seen appear, as true. */
    for (size_t i = 0; i < ARRAY_SIZE(bits); i++) {
        if (all & bits[i].bit) {
            JL_LIT(l, ",\"");
            jl_str(l, bits[i].name);
            JL_LIT(l, "\":true");
        }
    }
    if (f->tcp_state != TCPS_NONE) {
        JL_LIT(l, ",");
        jl_kv_word(l, "state", flow_tcp_state_name((enum flow_tcp_state)f->tcp_state));
    }
    JL_LIT(l, "}");
}

/* The keys every event of flow f starts with, up to "proto", in Suricata's
 * order: "{" timestamp, flow_id, host, event_type, vlan, addresses, proto.
 * dir 1 puts the responder first (an event the server sent). */
static void eve_head(const struct eve_sink *es, struct jline *l, const struct flow *f,
                     uint64_t ts_us, const char *event_type, int dir)
{
    char protobuf[8];
    bool has_ports = f->proto == 6 || f->proto == 17 || f->proto == 132;

    JL_LIT(l, "{");
    jl_kv_ts(l, "timestamp", ts_us);
    JL_LIT(l, ",");
    jl_kv_uint(l, "flow_id", f->id > (uint64_t)INT64_MAX ? (uint64_t)INT64_MAX : f->id);
    if (es->host_json) {
        JL_LIT(l, ",\"host\":");
        jl_str(l, es->host_json);
    }
    JL_LIT(l, ",");
    jl_kv_esc(l, "event_type", event_type, strlen(event_type));
    if (f->vlan_count) {
        JL_LIT(l, ",\"vlan\":[");
        for (unsigned i = 0; i < f->vlan_count && i < ARRAY_SIZE(f->vlan); i++) {
            if (i)
                JL_LIT(l, ",");
            jl_uint(l, f->vlan[i]);
        }
        JL_LIT(l, "]");
    }
    JL_LIT(l, ",");
    jl_kv_ip(l, "src_ip", dir ? &f->dst : &f->src);
    if (has_ports) {
        JL_LIT(l, ",");
        jl_kv_uint(l, "src_port", dir ? f->dport : f->sport);
    }
    JL_LIT(l, ",");
    jl_kv_ip(l, "dest_ip", dir ? &f->src : &f->dst);
    if (has_ports) {
        JL_LIT(l, ",");
        jl_kv_uint(l, "dest_port", dir ? f->sport : f->dport);
    }
    JL_LIT(l, ",");
    jl_kv_word(l, "proto", ip_proto_name(f->proto, protobuf, sizeof(protobuf)));
}

/* Suricata puts the flow's app_proto at the top level, after proto; left
 * out while unknown. */
static void eve_app_proto(struct jline *l, const char *name, size_t max)
{
    size_t n = strnlen(name, max);
    if (n) {
        JL_LIT(l, ",");
        jl_kv_esc(l, "app_proto", name, n);
    }
}

/* Writes one flow event (with the newline) into l, in Suricata's key order. */
static void eve_flow_event(const struct eve_sink *es, struct jline *l, const struct flow *f)
{
    bool is_icmp = f->proto == 1 || f->proto == 58;

    eve_head(es, l, f, f->last_ts_us, "flow", 0);
    if (is_icmp) {
        JL_LIT(l, ",");
        jl_kv_uint(l, "icmp_type", f->icmp_type);
        JL_LIT(l, ",");
        jl_kv_uint(l, "icmp_code", f->icmp_code);
        /* Suricata adds the response fields only when the responder spoke. */
        if (f->resp_icmp_seen) {
            JL_LIT(l, ",");
            jl_kv_uint(l, "response_icmp_type", f->resp_icmp_type);
            JL_LIT(l, ",");
            jl_kv_uint(l, "response_icmp_code", f->resp_icmp_code);
        }
    }
    eve_app_proto(l, f->app_proto, sizeof(f->app_proto));
    JL_LIT(l, ",");
    eve_flow_section(l, f);
    if (f->has_mac) {
        JL_LIT(l, ",\"ether\":{");
        jl_kv_mac(l, "src_mac", f->src_mac);
        JL_LIT(l, ",");
        jl_kv_mac(l, "dest_mac", f->dst_mac);
        JL_LIT(l, "}");
    }
    if (f->proto == 6) {
        JL_LIT(l, ",");
        eve_tcp_section(l, f);
    }
    JL_LIT(l, "}\n");
}

static int eve_flow(struct sink *s, const struct flow *f)
{
    struct eve_sink *es = eve_of(s);
    if (es->failed)
        return -1;
    struct jline l = {.p = es->line, .len = 0, .cap = es->line_cap};
    eve_flow_event(es, &l, f);
    es->line = l.p;
    es->line_cap = l.cap;
    errno = 0;
    if (fwrite(l.p, 1, l.len, es->fp) != l.len || ferror(es->fp))
        return eve_fail(es, errno);
    return 0;
}

/* One application event: the head, app_proto, then the parser's object
 * under the key named like the event type (Suricata's layout; an anomaly's
 * object is complete as the dispatcher built it). Events EVE has no type
 * for (body NULL: POP3, IMAP, Telnet, DHCPv6) go to the store only. */
static int eve_app_event(struct sink *s, const struct app_event *ev)
{
    struct eve_sink *es = eve_of(s);
    if (es->failed)
        return -1;
    if (!ev->body)
        return 0;
    struct jline l = {.p = es->line, .len = 0, .cap = es->line_cap};
    eve_head(es, &l, ev->f, ev->ts_us, ev->type, ev->dir);
    if (ev->app_proto)
        eve_app_proto(&l, ev->app_proto, SIZE_MAX);
    JL_LIT(&l, ",\"");
    jl_str(&l, ev->type);
    JL_LIT(&l, "\":");
    /* Wire text in the body is already safe JSON text (app_json_str()), and
     * jansson escapes what it must; the text is shared with the store. */
    size_t n;
    const char *txt = app_event_json(ev, 0, &n);
    if (txt)
        jl_raw(&l, txt, n);
    else
        JL_LIT(&l, "{}"); /* cannot happen for a tree built with jansson */
    if (ev->aux_key && ev->aux) {
        char *aux = json_dumps(ev->aux, JSON_COMPACT | JSON_ENCODE_ANY);
        if (aux) {
            JL_LIT(&l, ",\"");
            jl_str(&l, ev->aux_key);
            JL_LIT(&l, "\":");
            jl_raw(&l, aux, strlen(aux));
            free(aux);
        }
    }
    JL_LIT(&l, "}\n");
    es->line = l.p;
    es->line_cap = l.cap;
    errno = 0;
    if (fwrite(l.p, 1, l.len, es->fp) != l.len || ferror(es->fp))
        return eve_fail(es, errno);
    return 0;
}

/* Suricata's signature_id for one of our categories: stable across runs and
 * versions (a hash of the name), in the 9 100 000 - 9 199 999 range that no
 * public rule set uses, so SIEM rules can key on it. */
static json_int_t eve_sid(const char *category)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)category; *p; p++)
        h = (h ^ *p) * 16777619u;
    return 9100000 + (json_int_t)(h % 100000);
}

/* An alert when first raised, and again when it escalates (other updates
 * only change counts, which `mamori alerts` shows). Alerts are rare, so a
 * jansson tree is fine here. */
static int eve_alert(struct sink *s, const struct alert *a)
{
    struct eve_sink *es = eve_of(s);
    if (es->failed)
        return -1;
    if (a->update && !a->escalated)
        return 0;
    char ts[40], ip[48], protobuf[8], title[512];
    json_t *o = json_object();
    fmt_ts_eve(ts, sizeof(ts), a->ts_us);
    json_object_set_new(o, "timestamp", json_string(ts));
    if (a->nflows)
        json_object_set_new(o, "flow_id", json_integer((json_int_t)MIN(a->flow_ids[0],
                                                                          (uint64_t)INT64_MAX)));
    if (es->host_json) {
        json_t *h = json_loads(es->host_json, JSON_DECODE_ANY, NULL);
        if (h)
            json_object_set_new(o, "host", h);
    }
    json_object_set_new(o, "event_type", json_string("alert"));
    if (a->has_src) {
        ip_addr_fmt(&a->src, ip, sizeof(ip));
        json_object_set_new(o, "src_ip", json_string(ip));
        if (a->sport)
            json_object_set_new(o, "src_port", json_integer(a->sport));
    }
    if (a->has_dst) {
        ip_addr_fmt(&a->dst, ip, sizeof(ip));
        json_object_set_new(o, "dest_ip", json_string(ip));
        if (a->dport)
            json_object_set_new(o, "dest_port", json_integer(a->dport));
    }
    if (a->proto)
        json_object_set_new(o, "proto",
                            json_string(ip_proto_name(a->proto, protobuf, sizeof(protobuf))));
    json_t *al = json_object();
    json_object_set_new(al, "action", json_string("allowed"));
    json_object_set_new(al, "gid", json_integer(1));
    json_object_set_new(al, "signature_id", json_integer(eve_sid(a->category)));
    json_object_set_new(al, "rev", json_integer(1));
    /* SIEMs sort and search by signature: English, whatever the reader's
     * language (the Japanese text is in `mamori alerts --lang ja`). */
    explain_render(a, EXPLAIN_TITLE, LANG_EN, title, sizeof(title));
    json_t *sig = json_string(title);
    json_object_set_new(al, "signature", sig ? sig : json_string(a->category));
    json_object_set_new(al, "category", json_string(a->category));
    json_object_set_new(al, "severity", json_integer(alert_severity_eve(a->severity)));
    json_t *md = json_object();
    json_object_set_new(md, "mamori_severity",
                        json_pack("[s]", alert_severity_name(a->severity)));
    if (a->has_mac) {
        char mac[18];
        mac_fmt(a->mac, mac);
        json_object_set_new(md, "device", json_pack("[s]", mac));
    }
    if (a->device[0]) {
        json_t *dn = json_string(a->device);
        if (dn)
            json_object_set_new(md, "device_name", json_pack("[o]", dn));
    }
    json_object_set_new(al, "metadata", md);
    json_object_set_new(o, "alert", al);
    /* Into the sink's line buffer, as the event lines are. */
    struct app_dump_buf b = {.buf = es->line, .cap = es->line_cap};
    int drc = app_dump_json(&b, o);
    es->line = b.buf;
    es->line_cap = b.cap;
    json_decref(o);
    if (drc < 0)
        return 0;
    errno = 0;
    if (fwrite(b.buf, 1, b.len, es->fp) != b.len || fputc('\n', es->fp) == EOF || ferror(es->fp))
        return eve_fail(es, errno);
    return 0;
}

static int eve_commit(struct sink *s)
{
    struct eve_sink *es = eve_of(s);
    if (es->failed)
        return -1;
    if (fflush(es->fp) == EOF)
        return eve_fail(es, errno);
    if (es->bg) {
        int err = bgsync_kick(es->bg);
        return err ? eve_fail(es, err) : 0;
    }
    /* A pipe or terminal cannot be fsynced (EINVAL); that is not a failure. */
    if (fsync(fileno(es->fp)) < 0 && errno != EINVAL && errno != EROFS)
        return eve_fail(es, errno);
    return 0;
}

static void eve_close(struct sink *s)
{
    struct eve_sink *es = eve_of(s);
    if (!es)
        return;
    if (!es->failed && eve_commit(s) == 0 && es->bg) {
        int err = bgsync_drain(es->bg);
        if (err)
            eve_fail(es, err);
    }
    bgsync_free(es->bg);
    if (es->is_stdout) {
        fflush(es->fp);
    } else if (fclose(es->fp) == EOF && !es->failed) {
        error("cannot write to eve file '%s': %s", es->path, strerror(errno));
    }
    free(es->host_json);
    free(es->line);
    free(es->iobuf);
    free(es->path);
    free(es);
}

static const struct sink_ops eve_ops = {
    .name = "eve",
    .run_start = NULL,
    .flow = eve_flow,
    .app_event = eve_app_event,
    .alert = eve_alert,
    .commit = eve_commit,
    .run_end = NULL,
    .close = eve_close,
};

struct sink *eve_open(const char *path, const char *sensor_name)
{
    return eve_open_bulk(path, sensor_name, false);
}

struct sink *eve_open_bulk(const char *path, const char *sensor_name, bool bulk_load)
{
    struct eve_sink *es = xcalloc(1, sizeof(*es));
    es->sink.ops = &eve_ops;
    es->path = xstrdup(path);
    es->line_cap = 2048; /* a flow event is about 600 bytes */
    es->line = xmalloc(es->line_cap);

    if (strcmp(path, "-") == 0) {
        es->fp = stdout;
        es->is_stdout = true;
    } else {
        /* Appended, like Suricata's eve.json, so a restart never truncates. */
        int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
        if (fd < 0)
            goto out_fail;
        es->fp = fdopen(fd, "a");
        if (!es->fp) {
            int err = errno;
            close(fd);
            errno = err;
            goto out_fail;
        }
        es->iobuf = xmalloc(EVE_BUF_SIZE);
        setvbuf(es->fp, es->iobuf, _IOFBF, EVE_BUF_SIZE);
        /* Without a thread, the fsync stays at commit. */
        if (bulk_load)
            es->bg = bgsync_new(fd, false);
    }
    if (sensor_name && *sensor_name) {
        /* json_string() refuses text that is not UTF-8. */
        json_t *host = json_string(sensor_name);
        if (!host)
            warning("sensor name is not valid UTF-8: leaving \"host\" out of EVE events");
        else
            es->host_json = json_dumps(host, JSON_ENCODE_ANY);
        json_decref(host);
    }
    return &es->sink;

out_fail:
    error("cannot open eve file '%s': %s", path, strerror(errno));
    free(es->line);
    free(es->path);
    free(es);
    return NULL;
}
