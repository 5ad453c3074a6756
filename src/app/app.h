/* app.h - the application layer: which protocol a flow speaks, the parser
 * that reads it, and the records that parser reports.
 *
 * Data path: the pipeline hands every TCP/UDP layer of a packet to
 * app_packet(). For TCP the bytes go through stream reassembly
 * (stream/stream-tcp.h) first, so a parser sees each direction as the byte
 * stream the sender wrote, in pieces of any size (down to one byte). For UDP
 * a parser sees one datagram per feed call.
 *
 * Identification: until a parser owns a flow, the first bytes of each
 * direction (up to APP_PROBE_MAX) are offered to the probe() of every parser
 * for that transport. A probe answers NO, NEED_MORE or YES; the first YES
 * wins, parsers whose default port matches the flow are asked first (so an
 * FTP banner on port 21 is FTP, the same banner on 25 is SMTP). When no parser
 * claims a flow, nDPI names it (app-ndpi.c) so that AnyDesk, Tor or
 * BitTorrent still show in the flow's app_proto.
 *
 * Records: a parser reports what it saw with app_event(): an event type
 * ("dns", "tls", ...), a JSON object in Suricata's EVE shape (the value of the
 * key named like the event type, validated against eve-schema.json) and
 * optionally a second object of facts EVE has no field for (kept in SQLite
 * only). The sinks (SQLite, EVE) get each event as it happens. Anomalies in
 * the protocol (a record too long, a message that contradicts itself) go to
 * app_anomaly() and become EVE "anomaly" events and counters.
 *
 * JSON text: bytes from the wire become strings only through app_json_str()
 * and its wrappers, which make them valid UTF-8. Keys, and values our code
 * writes (names from our tables, numbers and hex it formats), are ASCII, so
 * parsers set and make them with jansson's _nocheck calls: its UTF-8 check
 * cost about 180 instructions a key, 1.7% of a read with every parser on.
 *
 * Ownership: parser state is allocated (zeroed, state_size bytes) by the
 * dispatcher when the parser takes the flow and freed after release(). JSON
 * objects handed to app_event() are taken over (the caller must not use or
 * decref them afterwards).
 */
#ifndef MAMORI_APP_H
#define MAMORI_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "flow/flow.h"
#include "stream/stream-tcp.h"

/* Parsers of this project. The order is the order probes are tried in when
 * no default port matches. */
enum app_proto_id {
    APP_NONE = 0,
    APP_DNS,    /* DNS over UDP or TCP */
    APP_MDNS,   /* multicast DNS, UDP 5353 */
    APP_LLMNR,  /* UDP 5355 */
    APP_NBNS,   /* NetBIOS name service, UDP 137 */
    APP_DHCP,   /* DHCPv4, UDP 67/68 */
    APP_DHCPV6, /* UDP 546/547 */
    APP_TLS,
    APP_HTTP,
    APP_SMTP,
    APP_POP3,
    APP_IMAP,
    APP_FTP,
    APP_TELNET,
    APP_SSH,
    APP_SMB,
    APP_QUIC,
    APP_RDP,
    APP_DCERPC, /* DCE/RPC binds over TCP (135 and the dynamic ports) */
    APP_PROTO_MAX
};

/* Bytes of each direction kept for probing before a parser is chosen. */
#define APP_PROBE_MAX 512

enum app_probe_result {
    APP_PROBE_NO = 0,        /* not this protocol */
    APP_PROBE_NEED_MORE = 1, /* could be; ask again with more bytes */
    APP_PROBE_YES = 2,
};

/* Context of a parser call. Parsers read these fields and pass cx to the
 * functions below; they never keep it. */
struct app_cx {
    struct app_layer *al; /* the dispatcher (opaque to parsers) */
    struct flow *f;       /* the flow; f->src/sport is the initiator (client) */
    uint64_t ts_us;       /* packet time of the bytes being fed */
    /* Set through app_done()/app_upgrade(); the dispatcher reads them after
     * the call (unit tests may too). */
    uint8_t done_mask;    /* bit 0: toserver done, bit 1: toclient done */
    uint8_t upgrade_to;   /* enum app_proto_id, APP_NONE if none */
};

struct app_parser {
    enum app_proto_id id;
    const char *name;        /* app_proto value: "dns", "tls", "smtp", ... */
    uint8_t ipproto;         /* 6 (TCP), 17 (UDP), or 0 for both (DNS: the
                              * parser reads cx->f->proto to frame messages) */
    const uint16_t *ports;   /* default server ports, 0-terminated */
    /* Looks at the first `len` bytes the flow sent in direction `dir` (0:
     * client to server). Must not read past len, must not keep data. */
    enum app_probe_result (*probe)(const uint8_t *data, uint32_t len, int dir);
    size_t state_size;       /* zeroed bytes given to the calls below */
    /* Stream bytes (TCP) or one datagram (UDP) of direction `dir`, in order.
     * The first feed of each direction starts with the probed bytes. */
    void (*feed)(struct app_cx *cx, void *state, int dir, const uint8_t *data, uint32_t len);
    /* Bytes were lost in direction `dir` before the next feed (a hole in the
     * capture). NULL: the dispatcher stops feeding that direction. */
    void (*gap)(struct app_cx *cx, void *state, int dir);
    /* The flow ends: report what is still pending (a request without a
     * response, ...). May be NULL. */
    void (*end)(struct app_cx *cx, void *state);
    /* Frees what the state points to (not the state itself). May be NULL. */
    void (*release)(void *state);
};

/* --- for parsers --- */

/* Reports one record. `type` is the EVE event_type ("dns", "tls", ...; a
 * string literal), `dir` says who is src_ip in EVE (0: the client, as
 * Suricata does for transactions; 1: the server, e.g. a DNS answer), `body`
 * the EVE object (Suricata's field names) or NULL for an event EVE does not
 * know (POP3, IMAP, Telnet), `extra` NULL or an object of further facts for
 * the store. Takes over both references. */
void app_event(struct app_cx *cx, const char *type, int dir, json_t *body, json_t *extra);

/* Like app_event(), with one more EVE object written at the top level of the
 * event next to the body under `aux_key` (a string literal), as Suricata puts
 * "email" beside "smtp". aux may be NULL; taken over like body. */
void app_event_aux(struct app_cx *cx, const char *type, int dir, json_t *body, json_t *extra,
                   const char *aux_key, json_t *aux);

/* Counts a protocol anomaly, e.g. "tls.record_too_long" (a string literal:
 * "<proto>.<what>", lower case). The first few per flow become EVE anomaly
 * events. */
void app_anomaly(struct app_cx *cx, const char *event);

/* The parser wants no more bytes in `dir` (0, 1, or -1 for both): e.g. TLS
 * after the handshake, SSH after the banners. Saves reassembly work. */
void app_done(struct app_cx *cx, int dir);

/* The flow switches protocol after the current feed (SMTP/IMAP/POP3/FTP
 * STARTTLS, HTTP CONNECT): the current parser's end() and release() run,
 * then `to` parses the following bytes. */
void app_upgrade(struct app_cx *cx, enum app_proto_id to);

/* --- for the pipeline --- */

struct app_config {
    bool enabled;              /* false: flows only, no payload inspection */
    bool ndpi;                 /* name unparsed flows with nDPI */
    uint32_t ndpi_max_packets; /* packets per flow nDPI may look at */
    uint32_t max_anomaly_events_per_flow;
    struct stream_config stream;
};

void app_config_defaults(struct app_config *cfg);

/* One event as the sinks get it (see sink.h). All pointers are borrowed
 * for the call. */
struct app_event {
    const char *type;        /* "dns", ..., "anomaly" */
    const struct flow *f;
    uint64_t ts_us;
    int dir;                 /* 0: client is src in EVE, 1: server is */
    const char *app_proto;   /* the flow's protocol name */
    const json_t *body;      /* EVE object, or NULL */
    const json_t *extra;     /* store-only facts, or NULL */
    const char *aux_key;     /* a second top-level EVE object ("email"), or NULL */
    const json_t *aux;
    struct app_event_text *text; /* JSON text of body/extra once made (NULL: none yet) */
};

/* The body (which 0) or extra (which 1) as compact JSON text, made once per
 * event by whichever sink asks first, so the EVE line and the SQLite row do
 * not each serialise it. NULL when that object is NULL. Valid until the
 * sink callback returns. */
const char *app_event_json(const struct app_event *ev, int which, size_t *len);

typedef void (*app_event_fn)(void *arg, const struct app_event *ev);

struct app_stats {
    uint64_t flows_parsed[APP_PROTO_MAX]; /* flows each parser took */
    uint64_t events;
    uint64_t anomalies;
    uint64_t ndpi_flows;                  /* flows nDPI looked at */
    uint64_t ndpi_named;                  /* ... and named */
    uint64_t state_bytes;                 /* parser and probe memory now */
};

struct app_layer;

struct app_layer *app_layer_new(const struct app_config *cfg, app_event_fn cb, void *arg);
void app_layer_free(struct app_layer *al);

/* One TCP or UDP layer `l` of packet time ts_us belonging to flow f, sent in
 * direction dir (0: initiator to responder). */
void app_packet(struct app_layer *al, struct flow *f, const struct ip_layer *l, int dir,
                uint64_t ts_us);

/* The flow ends (before the sinks get it): flushes reassembly, lets the
 * parser report what is pending, sets f->app_proto, frees the state. */
void app_flow_end(struct app_layer *al, struct flow *f);

const struct app_stats *app_layer_stats(const struct app_layer *al);
const struct stream_stats *app_layer_stream_stats(const struct app_layer *al);

/* The parser table and lookups. */
const struct app_parser *app_parser_get(enum app_proto_id id);
const char *app_proto_name(enum app_proto_id id);

/* Parsers (each defined in its src/proto/proto-*.c file). */
extern const struct app_parser app_parser_dns, app_parser_mdns,
    app_parser_llmnr, app_parser_nbns, app_parser_dhcp, app_parser_dhcpv6, app_parser_tls,
    app_parser_http, app_parser_smtp, app_parser_pop3, app_parser_imap, app_parser_ftp,
    app_parser_telnet, app_parser_ssh, app_parser_smb, app_parser_quic, app_parser_rdp,
    app_parser_dcerpc;

/* --- helpers for parsers (app-util.c) --- */

/* A JSON string from untrusted bytes: invalid UTF-8 and control characters
 * become \xNN escapes as text, so the JSON is always valid and printable;
 * cut at max bytes of input. Never NULL (aborts on out-of-memory). */
json_t *app_json_str(const uint8_t *s, size_t len, size_t max);
/* Same for a NUL-terminated C string. */
json_t *app_json_cstr(const char *s);
/* Sets obj[key] from untrusted bytes (as app_json_str). */
void app_json_set_bytes(json_t *obj, const char *key, const uint8_t *s, size_t len, size_t max);
/* "192.0.2.1" / "2001:db8::1" into a JSON string. */
json_t *app_json_ip(const struct ip_addr *a);

/* A line buffer for text protocols (SMTP, FTP, POP3, IMAP, HTTP headers):
 * collects bytes up to LF across feeds, at most `max` bytes per line (a
 * longer line is cut and flagged). The buffer grows as lines need it, so an
 * idle flow holds only what its longest line took. */
struct app_line {
    uint8_t *buf;      /* allocated on first use, grows up to `max` bytes */
    uint32_t len;
    uint32_t cap;      /* bytes allocated */
    uint32_t max;      /* set before first use; 0 means 1024 */
    bool overlong;     /* the line being collected passed max */
};
/* Takes bytes from *data (advancing it and *len) until a full line is
 * collected: returns true with the line (without CR LF) in lb->buf/lb->len
 * and lb->overlong set if it was cut; the caller handles it and calls
 * app_line_reset(). Returns false when the input ran out first. */
bool app_line_take(struct app_line *lb, const uint8_t **data, uint32_t *len);
void app_line_reset(struct app_line *lb);
void app_line_free(struct app_line *lb);

#endif
