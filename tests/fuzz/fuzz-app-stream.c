/* fuzz-app-stream.c - whole TCP connections through the dispatcher: TCP
 * reassembly, probing, every parser, upgrades (STARTTLS, CONNECT, RDP to
 * TLS), gaps and flow end.
 *
 * Input: byte 0 picks the server port (so each parser's default port, and
 * none, get reached), byte 1 sets flags (bit 0: no handshake seen, bit 1:
 * UDP instead of TCP). Then records of [ctl u8][len u8][len bytes]: ctl bit
 * 0 is the direction, bits 1-3 move the segment's sequence number relative
 * to the next expected byte (0: in order; others: before it (a
 * retransmission, an overlap) or after it (a hole), bits 4-7 the size of the
 * move), so segments arrive in any order, overlap, or leave holes. At the end
 * the flow ends, which flushes held data to the parsers and frees every
 * state. Checks: events are well formed, and the layer gives back every
 * byte of state it took (LeakSanitizer and app_stats.state_bytes). */
#include "app/app.h"
#include "fuzz.h"
#include "util/util.h"

static void fuzz_stream_on_event(void *arg, const struct app_event *ev)
{
    (void)arg;
    if (!ev->type || !*ev->type)
        fuzz_fail("event without a type");
    if (ev->body && !json_is_object(ev->body))
        fuzz_fail("body is not an object");
    if (ev->extra && !json_is_object(ev->extra))
        fuzz_fail("extra is not an object");
    size_t n;
    const char *t = app_event_json(ev, 0, &n);
    if (ev->body && (!t || n == 0 || t[0] != '{'))
        fuzz_fail("body does not serialise");
}

static const uint16_t fuzz_ports[] = {80,  443, 25,  110,  143, 21,   23,   22,  445,
                                      139, 53,  3389, 587, 8080, 5353, 9999, 1234, 993};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || size > FUZZ_MAX_INPUT)
        return 0;
    static struct app_layer *al;
    if (!al) {
        struct app_config cfg;
        app_config_defaults(&cfg);
        cfg.ndpi = false; /* nDPI is fuzzed by its own project; ours is the glue */
        cfg.stream.max_ooo_bytes_per_flow = 4096;
        cfg.stream.memcap = 64 * 1024;
        al = app_layer_new(&cfg, fuzz_stream_on_event, NULL);
    }
    uint64_t bytes_before = app_layer_stats(al)->state_bytes;

    struct flow f;
    memset(&f, 0, sizeof(f));
    bool udp = data[1] & 2;
    f.proto = udp ? 17 : 6;
    f.ip_version = 4;
    f.sport = 40000;
    f.dport = fuzz_ports[data[0] % ARRAY_SIZE(fuzz_ports)];
    uint32_t next[2] = {1000, 900000};
    if (!udp && !(data[1] & 1)) {
        f.syn_seen[0] = f.syn_seen[1] = true;
        f.tcp_isn[0] = next[0]++;
        f.tcp_isn[1] = next[1]++;
    }
    uint64_t ts = FUZZ_T0_US;
    size_t off = 2;
    while (off + 2 <= size) {
        uint8_t ctl = data[off], len = data[off + 1];
        off += 2;
        if (len > size - off)
            len = (uint8_t)(size - off);
        int dir = ctl & 1;
        int64_t move = (int64_t)(ctl >> 4) * 7;
        switch ((ctl >> 1) & 7) {
        case 1: move = -move; break;       /* retransmission / overlap */
        case 2: move = move * 37; break;   /* a hole */
        case 3: move = -(int64_t)len; break;
        case 0: default: move = 0; break;
        }
        /* A heap copy of exactly the segment, so a read past it is caught. */
        uint8_t *seg = xmalloc(len ? len : 1);
        memcpy(seg, data + off, len);
        struct ip_layer l;
        memset(&l, 0, sizeof(l));
        l.ip_version = 4;
        l.proto = f.proto;
        l.l4_ok = true;
        l.tcp_flags = TH_ACK | TH_PSH;
        l.tcp_seq = (uint32_t)((int64_t)next[dir] + move);
        l.payload = seg;
        l.payload_len = len;
        l.payload_wire_len = len;
        f.pkt_dir = (uint8_t)dir;
        f.last_ts_us = ts;
        app_packet(al, &f, &l, dir, ts);
        free(seg);
        if (move == 0)
            next[dir] += len;
        off += len;
        ts += 1000;
    }
    app_flow_end(al, &f);
    if (f.app)
        fuzz_fail("flow state left after app_flow_end");
    if (app_layer_stats(al)->state_bytes != bytes_before)
        fuzz_fail("state bytes not given back");
    return 0;
}
