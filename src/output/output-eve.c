/* output-eve.c - ended flows as Suricata EVE JSON "flow" events, one per line.
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
 *   - tcp.state uses our coarser state names (flow_tcp_state_name());
 *   - app_proto is left out until protocol detection exists.
 *
 * Lines go through a large stdio buffer; commit() flushes and fsyncs, which is
 * when records become durable. A write error is reported once and the sink
 * then refuses further work.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decode/decode.h"
#include "store/sink.h"
#include "util/util.h"

/* Big enough that a busy second of flows costs a few write(2)s. */
#define EVE_BUF_SIZE (1u << 20)

struct eve_sink {
    struct sink sink; /* first: the pipeline holds a struct sink * */
    FILE *fp;
    char *path;
    char *iobuf;  /* our stdio buffer (NULL for stdout) */
    json_t *host; /* sensor name, shared by every event; NULL if none */
    char *line;   /* one serialised event, grown as needed */
    size_t line_cap;
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

/* Suricata prints TCP flags as two lowercase hex digits ("1b"). */
static json_t *eve_hex8(uint8_t v)
{
    static const char hex[] = "0123456789abcdef";
    char buf[3] = {hex[v >> 4], hex[v & 0xf], '\0'};
    return json_stringn(buf, 2);
}

static json_t *eve_ts(uint64_t ts_us)
{
    char buf[40];
    fmt_ts_eve(buf, sizeof(buf), ts_us);
    return json_string(buf);
}

static json_t *eve_ip(const struct ip_addr *a)
{
    char buf[48];
    ip_addr_fmt(a, buf, sizeof(buf));
    return json_string(buf);
}

static json_t *eve_mac(const uint8_t mac[6])
{
    char buf[18];
    snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
             mac[4], mac[5]);
    return json_string(buf);
}

/* JSON integers are signed 64-bit in jansson; our counters never reach 2^63. */
static json_t *eve_uint(uint64_t v)
{
    return json_integer(v > (uint64_t)INT64_MAX ? INT64_MAX : (json_int_t)v);
}

static json_t *eve_flow_section(const struct flow *f)
{
    json_t *o = json_object();
    json_object_set_new(o, "pkts_toserver", eve_uint(f->pkts[0]));
    json_object_set_new(o, "pkts_toclient", eve_uint(f->pkts[1]));
    json_object_set_new(o, "bytes_toserver", eve_uint(f->bytes[0]));
    json_object_set_new(o, "bytes_toclient", eve_uint(f->bytes[1]));
    json_object_set_new(o, "start", eve_ts(f->first_ts_us));
    json_object_set_new(o, "end", eve_ts(f->last_ts_us));
    /* Suricata: whole seconds of the end minus whole seconds of the start. */
    uint64_t first_s = f->first_ts_us / 1000000u, last_s = f->last_ts_us / 1000000u;
    json_object_set_new(o, "age",
                        json_integer(last_s >= first_s ? (json_int_t)(last_s - first_s) : 0));
    json_object_set_new(o, "state", json_string(flow_state_eve(f)));
    json_object_set_new(o, "reason",
                        json_string(flow_end_reason_eve((enum flow_end_reason)f->end_reason)));
    json_object_set_new(o, "alerted", json_false());
    return o;
}

static json_t *eve_tcp_section(const struct flow *f)
{
    static const struct {
        uint8_t bit;
        const char *name;
    } bits[] = {
        {TH_SYN, "syn"}, {TH_FIN, "fin"}, {TH_RST, "rst"}, {TH_PSH, "psh"},
        {TH_ACK, "ack"}, {TH_URG, "urg"}, {TH_ECE, "ecn"}, {TH_CWR, "cwr"},
    };
    uint8_t all = (uint8_t)(f->tcp_flags[0] | f->tcp_flags[1]);
    json_t *o = json_object();
    json_object_set_new(o, "tcp_flags", eve_hex8(all));
    json_object_set_new(o, "tcp_flags_ts", eve_hex8(f->tcp_flags[0]));
    json_object_set_new(o, "tcp_flags_tc", eve_hex8(f->tcp_flags[1]));
    /* Like Suricata, only the flags that were seen appear, as true. */
    for (size_t i = 0; i < ARRAY_SIZE(bits); i++)
        if (all & bits[i].bit)
            json_object_set_new(o, bits[i].name, json_true());
    if (f->tcp_state != TCPS_NONE)
        json_object_set_new(o, "state",
                            json_string(flow_tcp_state_name((enum flow_tcp_state)f->tcp_state)));
    return o;
}

/* Builds the event; the caller owns the result. */
static json_t *eve_flow_event(const struct eve_sink *es, const struct flow *f)
{
    char protobuf[8];
    bool has_ports = f->proto == 6 || f->proto == 17 || f->proto == 132;
    bool is_icmp = f->proto == 1 || f->proto == 58;

    json_t *ev = json_object();
    json_object_set_new(ev, "timestamp", eve_ts(f->last_ts_us));
    json_object_set_new(ev, "flow_id", eve_uint(f->id));
    if (es->host)
        json_object_set(ev, "host", es->host);
    json_object_set_new(ev, "event_type", json_string("flow"));
    if (f->vlan_count) {
        json_t *vl = json_array();
        for (unsigned i = 0; i < f->vlan_count && i < ARRAY_SIZE(f->vlan); i++)
            json_array_append_new(vl, json_integer(f->vlan[i]));
        json_object_set_new(ev, "vlan", vl);
    }
    json_object_set_new(ev, "src_ip", eve_ip(&f->src));
    if (has_ports)
        json_object_set_new(ev, "src_port", json_integer(f->sport));
    json_object_set_new(ev, "dest_ip", eve_ip(&f->dst));
    if (has_ports)
        json_object_set_new(ev, "dest_port", json_integer(f->dport));
    json_object_set_new(ev, "proto",
                        json_string(ip_proto_name(f->proto, protobuf, sizeof(protobuf))));
    if (is_icmp) {
        json_object_set_new(ev, "icmp_type", json_integer(f->icmp_type));
        json_object_set_new(ev, "icmp_code", json_integer(f->icmp_code));
        /* Suricata adds the response fields only when the responder spoke. */
        if (f->resp_icmp_seen) {
            json_object_set_new(ev, "response_icmp_type", json_integer(f->resp_icmp_type));
            json_object_set_new(ev, "response_icmp_code", json_integer(f->resp_icmp_code));
        }
    }
    json_object_set_new(ev, "flow", eve_flow_section(f));
    if (f->has_mac) {
        json_t *eth = json_object();
        json_object_set_new(eth, "src_mac", eve_mac(f->src_mac));
        json_object_set_new(eth, "dest_mac", eve_mac(f->dst_mac));
        json_object_set_new(ev, "ether", eth);
    }
    if (f->proto == 6)
        json_object_set_new(ev, "tcp", eve_tcp_section(f));
    return ev;
}

static int eve_flow(struct sink *s, const struct flow *f)
{
    struct eve_sink *es = eve_of(s);
    if (es->failed)
        return -1;
    json_t *ev = eve_flow_event(es, f);
    /* Serialise into our buffer and write the line with one fwrite():
     * json_dumpf() calls fwrite() once per token, a quarter of the cost. */
    size_t n = json_dumpb(ev, es->line, es->line_cap - 1, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (n > es->line_cap - 1) {
        es->line_cap = n + 64;
        es->line = xrealloc(es->line, es->line_cap);
        n = json_dumpb(ev, es->line, es->line_cap - 1, JSON_COMPACT | JSON_PRESERVE_ORDER);
    }
    json_decref(ev);
    if (n == 0 || n > es->line_cap - 1)
        BUG("cannot serialise an EVE event");
    es->line[n++] = '\n';
    errno = 0;
    if (fwrite(es->line, 1, n, es->fp) != n || ferror(es->fp))
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
    if (!es->failed)
        eve_commit(s);
    if (es->is_stdout) {
        fflush(es->fp);
    } else if (fclose(es->fp) == EOF && !es->failed) {
        error("cannot write to eve file '%s': %s", es->path, strerror(errno));
    }
    json_decref(es->host);
    free(es->line);
    free(es->iobuf);
    free(es->path);
    free(es);
}

static const struct sink_ops eve_ops = {
    .name = "eve",
    .run_start = NULL,
    .flow = eve_flow,
    .commit = eve_commit,
    .run_end = NULL,
    .close = eve_close,
};

struct sink *eve_open(const char *path, const char *sensor_name)
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
    }
    if (sensor_name && *sensor_name) {
        /* json_string() refuses text that is not UTF-8. */
        es->host = json_string(sensor_name);
        if (!es->host)
            warning("sensor name is not valid UTF-8: leaving \"host\" out of EVE events");
    }
    return &es->sink;

out_fail:
    error("cannot open eve file '%s': %s", path, strerror(errno));
    free(es->line);
    free(es->path);
    free(es);
    return NULL;
}
