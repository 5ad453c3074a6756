/* store-app.c - the application-event tables of the SQLite store: one table
 * per event type (dns, tls, http, ...), one row per event (docs/schema.md).
 *
 * A table has the columns every event has (run, flow, time, oriented
 * addresses), a few typed columns for the fields people filter and join on,
 * and the whole EVE body and the store-only `extra` object as compact JSON,
 * so json_extract() reaches every other field. Each typed column is filled
 * from the event's JSON by a small descriptor (name, JSON path, body or
 * extra), so a parser that adds a field needs no code here, only a column if
 * it deserves one (and that is a new migration step).
 *
 * Rows are inserted one at a time with one prepared statement per table
 * (prepare once, bind, step, reset) inside the transaction store-sqlite.c
 * keeps open until its next commit: the same durability as flows.
 */
#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"
#include "store/store-app.h"
#include "util/util.h"

/* One SQL clause per line reads better than clang-format's packing. */
/* clang-format off */
/* The columns every table of step 2 starts and ends with. Part of the
 * shipped step: never edit (a change needs a new step). */
#define SA_V2_HEAD                                                                           \
    " id INTEGER PRIMARY KEY,"                                                               \
    " run_id INTEGER NOT NULL REFERENCES runs(id) DEFERRABLE INITIALLY DEFERRED,"            \
    " flow_id INTEGER NOT NULL, ts INTEGER NOT NULL,"                                        \
    " src_ip TEXT, src_port INTEGER, dst_ip TEXT, dst_port INTEGER, proto INTEGER,"
#define SA_V2_TAIL " body TEXT, extra TEXT);"

const char store_app_schema_v2[] =
    "CREATE TABLE dns (" SA_V2_HEAD
    " type TEXT, dns_id INTEGER, rrname TEXT COLLATE NOCASE, rrtype TEXT, rcode TEXT,"
    " answers TEXT,"
    SA_V2_TAIL
    "CREATE INDEX dns_flow_id ON dns (flow_id);"
    "CREATE INDEX dns_rrname ON dns (rrname);"
    "CREATE INDEX dns_src_ip ON dns (src_ip);"
    "CREATE TABLE dhcp (" SA_V2_HEAD
    " type TEXT, dhcp_id INTEGER, dhcp_type TEXT, client_mac TEXT COLLATE NOCASE,"
    " client_ip TEXT, requested_ip TEXT, assigned_ip TEXT, hostname TEXT COLLATE NOCASE,"
    " vendor_class TEXT, param_request_list TEXT, lease_time INTEGER, client_id TEXT,"
    SA_V2_TAIL
    "CREATE INDEX dhcp_flow_id ON dhcp (flow_id);"
    "CREATE INDEX dhcp_client_mac ON dhcp (client_mac);"
    "CREATE TABLE dhcpv6 (" SA_V2_HEAD
    " msg_type TEXT, transaction_id INTEGER, client_duid TEXT,"
    " hostname TEXT COLLATE NOCASE, vendor_class TEXT, assigned_ip TEXT,"
    " param_request_list TEXT,"
    SA_V2_TAIL
    "CREATE INDEX dhcpv6_flow_id ON dhcpv6 (flow_id);"
    "CREATE TABLE tls (" SA_V2_HEAD
    " sni TEXT COLLATE NOCASE, version TEXT, ja3 TEXT, ja3s TEXT, ja4 TEXT, subject TEXT,"
    " issuerdn TEXT, serial TEXT, fingerprint TEXT, notbefore TEXT, notafter TEXT,"
    " self_signed INTEGER, session_resumed INTEGER, alpn TEXT,"
    SA_V2_TAIL
    "CREATE INDEX tls_flow_id ON tls (flow_id);"
    "CREATE INDEX tls_sni ON tls (sni);"
    "CREATE TABLE http (" SA_V2_HEAD
    " hostname TEXT COLLATE NOCASE, url TEXT, http_method TEXT, protocol TEXT,"
    " status INTEGER, http_user_agent TEXT, http_content_type TEXT, http_refer TEXT,"
    " length INTEGER,"
    SA_V2_TAIL
    "CREATE INDEX http_flow_id ON http (flow_id);"
    "CREATE INDEX http_hostname ON http (hostname);"
    "CREATE TABLE smtp (" SA_V2_HEAD
    " helo TEXT, mail_from TEXT, rcpt_to TEXT, rcpt_count INTEGER, user TEXT,"
    " login_success INTEGER, password_sent_in_clear INTEGER, starttls INTEGER,"
    " auth_mechanism TEXT, cleartext_message INTEGER, subject TEXT,"
    SA_V2_TAIL
    "CREATE INDEX smtp_flow_id ON smtp (flow_id);"
    "CREATE TABLE pop3 (" SA_V2_HEAD
    " user TEXT, login_success INTEGER, password_sent_in_clear INTEGER, starttls INTEGER,"
    " auth_mechanism TEXT,"
    SA_V2_TAIL
    "CREATE INDEX pop3_flow_id ON pop3 (flow_id);"
    "CREATE TABLE imap (" SA_V2_HEAD
    " user TEXT, login_success INTEGER, password_sent_in_clear INTEGER, starttls INTEGER,"
    " auth_mechanism TEXT,"
    SA_V2_TAIL
    "CREATE INDEX imap_flow_id ON imap (flow_id);"
    "CREATE TABLE ftp (" SA_V2_HEAD
    " command TEXT, command_data TEXT, completion_code TEXT, reply TEXT,"
    " dynamic_port INTEGER, mode TEXT, user TEXT, login_success INTEGER,"
    " password_sent_in_clear INTEGER,"
    SA_V2_TAIL
    "CREATE INDEX ftp_flow_id ON ftp (flow_id);"
    "CREATE TABLE telnet (" SA_V2_HEAD
    " user TEXT, login_success INTEGER, password_sent_in_clear INTEGER,"
    SA_V2_TAIL
    "CREATE INDEX telnet_flow_id ON telnet (flow_id);"
    "CREATE TABLE ssh (" SA_V2_HEAD
    " client_software TEXT, client_proto TEXT, server_software TEXT, server_proto TEXT,"
    " hassh TEXT, hassh_server TEXT,"
    SA_V2_TAIL
    "CREATE INDEX ssh_flow_id ON ssh (flow_id);"
    "CREATE TABLE smb (" SA_V2_HEAD
    " command TEXT, dialect TEXT, status TEXT, ntlm_user TEXT COLLATE NOCASE,"
    " ntlm_domain TEXT COLLATE NOCASE, ntlm_host TEXT COLLATE NOCASE,"
    " share TEXT COLLATE NOCASE, filename TEXT,"
    SA_V2_TAIL
    "CREATE INDEX smb_flow_id ON smb (flow_id);"
    "CREATE INDEX smb_ntlm_user ON smb (ntlm_user);"
    "CREATE TABLE quic (" SA_V2_HEAD
    " version TEXT, sni TEXT COLLATE NOCASE, ja3 TEXT, ja4 TEXT, ua TEXT,"
    SA_V2_TAIL
    "CREATE INDEX quic_flow_id ON quic (flow_id);"
    "CREATE INDEX quic_sni ON quic (sni);"
    "CREATE TABLE rdp (" SA_V2_HEAD
    " event_type TEXT, cookie TEXT, client_name TEXT, client_build TEXT,"
    SA_V2_TAIL
    "CREATE INDEX rdp_flow_id ON rdp (flow_id);"
    "CREATE TABLE anomalies (" SA_V2_HEAD
    " event TEXT, anomaly_type TEXT, layer TEXT, app_proto TEXT,"
    SA_V2_TAIL
    "CREATE INDEX anomalies_flow_id ON anomalies (flow_id);"
    "CREATE TABLE app_events (" SA_V2_HEAD
    " type TEXT, app_proto TEXT,"
    SA_V2_TAIL
    "CREATE INDEX app_events_flow_id ON app_events (flow_id);"
    /* Events join their flow on (run_id, flow_id); flows_run_id alone made
     * that a scan of the whole run. flow_id grows within a run, so this
     * index is appended to, unlike the address indexes, and it serves the
     * run_id queries too. */
    "CREATE INDEX flows_run_flow ON flows (run_id, flow_id);"
    "DROP INDEX flows_run_id;";
/* clang-format on */

/* Typed columns of each table. `extra` keys a parser may choose freely are
 * looked up under a few names ("a|b") so the column fills whichever the
 * parser settled on; docs/schema.md lists them. */
static const struct store_app_col sac_dns[] = {
    {"type", "type", SAW_BODY, SAK_VALUE},     {"dns_id", "id", SAW_BODY, SAK_VALUE},
    {"rrname", "rrname|name", SAW_ANY, SAK_VALUE}, {"rrtype", "rrtype", SAW_BODY, SAK_VALUE},
    {"rcode", "rcode", SAW_BODY, SAK_VALUE},   {"answers", "answers[].rdata", SAW_BODY, SAK_JOIN},
};

static const struct store_app_col sac_dhcp[] = {
    {"type", "type", SAW_BODY, SAK_VALUE},
    {"dhcp_id", "id", SAW_BODY, SAK_VALUE},
    {"dhcp_type", "dhcp_type", SAW_BODY, SAK_VALUE},
    {"client_mac", "client_mac", SAW_BODY, SAK_VALUE},
    {"client_ip", "client_ip", SAW_BODY, SAK_VALUE},
    {"requested_ip", "requested_ip", SAW_BODY, SAK_VALUE},
    {"assigned_ip", "assigned_ip", SAW_BODY, SAK_VALUE},
    {"hostname", "hostname", SAW_BODY, SAK_VALUE},
    {"vendor_class", "vendor_class_identifier", SAW_BODY, SAK_VALUE},
    {"param_request_list", "param_request_list|params", SAW_ANY, SAK_JOIN},
    {"lease_time", "lease_time", SAW_BODY, SAK_VALUE},
    {"client_id", "client_id", SAW_BODY, SAK_VALUE},
};

static const struct store_app_col sac_dhcpv6[] = {
    {"msg_type", "msg_type|dhcp_type|type", SAW_EXTRA, SAK_VALUE},
    {"transaction_id", "transaction_id|id", SAW_EXTRA, SAK_VALUE},
    {"client_duid", "client_duid|duid", SAW_EXTRA, SAK_VALUE},
    {"hostname", "hostname|fqdn", SAW_EXTRA, SAK_VALUE},
    {"vendor_class", "vendor_class", SAW_EXTRA, SAK_VALUE},
    {"assigned_ip", "assigned_ip|addresses", SAW_EXTRA, SAK_JOIN},
    {"param_request_list", "param_request_list|oro", SAW_EXTRA, SAK_JOIN},
};

static const struct store_app_col sac_tls[] = {
    {"sni", "sni", SAW_BODY, SAK_VALUE},
    {"version", "version", SAW_BODY, SAK_VALUE},
    {"ja3", "ja3.hash", SAW_BODY, SAK_VALUE},
    {"ja3s", "ja3s.hash", SAW_BODY, SAK_VALUE},
    {"ja4", "ja4", SAW_BODY, SAK_VALUE},
    {"subject", "subject", SAW_BODY, SAK_VALUE},
    {"issuerdn", "issuerdn", SAW_BODY, SAK_VALUE},
    {"serial", "serial", SAW_BODY, SAK_VALUE},
    {"fingerprint", "fingerprint", SAW_BODY, SAK_VALUE},
    {"notbefore", "notbefore", SAW_BODY, SAK_VALUE},
    {"notafter", "notafter", SAW_BODY, SAK_VALUE},
    {"self_signed", "self_signed", SAW_ANY, SAK_VALUE},
    {"session_resumed", "session_resumed", SAW_BODY, SAK_VALUE},
    {"alpn", "alpn_ts|alpn", SAW_ANY, SAK_JOIN},
};

static const struct store_app_col sac_http[] = {
    {"hostname", "hostname", SAW_BODY, SAK_VALUE},
    {"url", "url", SAW_BODY, SAK_VALUE},
    {"http_method", "http_method", SAW_BODY, SAK_VALUE},
    {"protocol", "protocol", SAW_BODY, SAK_VALUE},
    {"status", "status", SAW_BODY, SAK_VALUE},
    {"http_user_agent", "http_user_agent", SAW_BODY, SAK_VALUE},
    {"http_content_type", "http_content_type", SAW_BODY, SAK_VALUE},
    {"http_refer", "http_refer", SAW_BODY, SAK_VALUE},
    {"length", "length", SAW_BODY, SAK_VALUE},
};

static const struct store_app_col sac_smtp[] = {
    {"helo", "helo", SAW_BODY, SAK_VALUE},
    {"mail_from", "mail_from", SAW_BODY, SAK_VALUE},
    {"rcpt_to", "rcpt_to", SAW_BODY, SAK_JOIN},
    {"rcpt_count", "rcpt_to", SAW_BODY, SAK_COUNT},
    {"user", "user", SAW_ANY, SAK_VALUE},
    {"login_success", "login_success", SAW_ANY, SAK_VALUE},
    {"password_sent_in_clear", "password_sent_in_clear", SAW_ANY, SAK_VALUE},
    {"starttls", "starttls", SAW_ANY, SAK_VALUE},
    {"auth_mechanism", "auth_mechanism", SAW_ANY, SAK_VALUE},
    {"cleartext_message", "cleartext_message", SAW_ANY, SAK_VALUE},
    {"subject", "subject|email.subject", SAW_ANY, SAK_VALUE},
};

static const struct store_app_col sac_pop3[] = {
    {"user", "user", SAW_ANY, SAK_VALUE},
    {"login_success", "login_success", SAW_ANY, SAK_VALUE},
    {"password_sent_in_clear", "password_sent_in_clear", SAW_ANY, SAK_VALUE},
    {"starttls", "starttls", SAW_ANY, SAK_VALUE},
    {"auth_mechanism", "auth_mechanism", SAW_ANY, SAK_VALUE},
};

static const struct store_app_col sac_imap[] = {
    {"user", "user", SAW_ANY, SAK_VALUE},
    {"login_success", "login_success", SAW_ANY, SAK_VALUE},
    {"password_sent_in_clear", "password_sent_in_clear", SAW_ANY, SAK_VALUE},
    {"starttls", "starttls", SAW_ANY, SAK_VALUE},
    {"auth_mechanism", "auth_mechanism", SAW_ANY, SAK_VALUE},
};

static const struct store_app_col sac_ftp[] = {
    {"command", "command", SAW_BODY, SAK_VALUE},
    {"command_data", "command_data", SAW_BODY, SAK_VALUE},
    {"completion_code", "completion_code", SAW_BODY, SAK_JOIN},
    {"reply", "reply", SAW_BODY, SAK_JOIN},
    {"dynamic_port", "dynamic_port", SAW_BODY, SAK_VALUE},
    {"mode", "mode", SAW_BODY, SAK_VALUE},
    {"user", "user", SAW_ANY, SAK_VALUE},
    {"login_success", "login_success", SAW_ANY, SAK_VALUE},
    {"password_sent_in_clear", "password_sent_in_clear", SAW_ANY, SAK_VALUE},
};

static const struct store_app_col sac_telnet[] = {
    {"user", "user", SAW_ANY, SAK_VALUE},
    {"login_success", "login_success", SAW_ANY, SAK_VALUE},
    {"password_sent_in_clear", "password_sent_in_clear", SAW_ANY, SAK_VALUE},
};

static const struct store_app_col sac_ssh[] = {
    {"client_software", "client.software_version", SAW_BODY, SAK_VALUE},
    {"client_proto", "client.proto_version", SAW_BODY, SAK_VALUE},
    {"server_software", "server.software_version", SAW_BODY, SAK_VALUE},
    {"server_proto", "server.proto_version", SAW_BODY, SAK_VALUE},
    {"hassh", "client.hassh.hash", SAW_BODY, SAK_VALUE},
    {"hassh_server", "server.hassh.hash", SAW_BODY, SAK_VALUE},
};

static const struct store_app_col sac_smb[] = {
    {"command", "command", SAW_BODY, SAK_VALUE},
    {"dialect", "dialect", SAW_BODY, SAK_VALUE},
    {"status", "status", SAW_BODY, SAK_VALUE},
    {"ntlm_user", "ntlmssp.user", SAW_BODY, SAK_VALUE},
    {"ntlm_domain", "ntlmssp.domain", SAW_BODY, SAK_VALUE},
    {"ntlm_host", "ntlmssp.host", SAW_BODY, SAK_VALUE},
    {"share", "share", SAW_BODY, SAK_VALUE},
    {"filename", "filename", SAW_BODY, SAK_VALUE},
};

static const struct store_app_col sac_quic[] = {
    {"version", "version", SAW_BODY, SAK_VALUE}, {"sni", "sni", SAW_BODY, SAK_VALUE},
    {"ja3", "ja3.hash", SAW_BODY, SAK_VALUE},    {"ja4", "ja4", SAW_BODY, SAK_VALUE},
    {"ua", "ua", SAW_BODY, SAK_VALUE},
};

static const struct store_app_col sac_rdp[] = {
    {"event_type", "event_type", SAW_BODY, SAK_VALUE},
    {"cookie", "cookie", SAW_BODY, SAK_VALUE},
    {"client_name", "client.client_name", SAW_BODY, SAK_VALUE},
    {"client_build", "client.build", SAW_BODY, SAK_VALUE},
};

static const struct store_app_col sac_anomalies[] = {
    {"event", "event", SAW_BODY, SAK_VALUE},
    {"anomaly_type", "type", SAW_BODY, SAK_VALUE},
    {"layer", "layer", SAW_BODY, SAK_VALUE},
    {"app_proto", "app_proto", SAW_BODY, SAK_VALUE},
};

const struct store_app_table store_app_tables[] = {
    {"dns", "dns", sac_dns, ARRAY_SIZE(sac_dns)},
    {"dhcp", "dhcp", sac_dhcp, ARRAY_SIZE(sac_dhcp)},
    {"dhcpv6", "dhcpv6", sac_dhcpv6, ARRAY_SIZE(sac_dhcpv6)},
    {"tls", "tls", sac_tls, ARRAY_SIZE(sac_tls)},
    {"http", "http", sac_http, ARRAY_SIZE(sac_http)},
    {"smtp", "smtp", sac_smtp, ARRAY_SIZE(sac_smtp)},
    {"pop3", "pop3", sac_pop3, ARRAY_SIZE(sac_pop3)},
    {"imap", "imap", sac_imap, ARRAY_SIZE(sac_imap)},
    {"ftp", "ftp", sac_ftp, ARRAY_SIZE(sac_ftp)},
    {"telnet", "telnet", sac_telnet, ARRAY_SIZE(sac_telnet)},
    {"ssh", "ssh", sac_ssh, ARRAY_SIZE(sac_ssh)},
    {"smb", "smb", sac_smb, ARRAY_SIZE(sac_smb)},
    {"quic", "quic", sac_quic, ARRAY_SIZE(sac_quic)},
    {"rdp", "rdp", sac_rdp, ARRAY_SIZE(sac_rdp)},
    {"anomaly", "anomalies", sac_anomalies, ARRAY_SIZE(sac_anomalies)},
    {NULL, "app_events", NULL, 0},
};

const unsigned store_app_ntables = ARRAY_SIZE(store_app_tables);

/* Limits on walking the JSON. The descriptors are ours, the JSON comes from
 * parsers that bound their own arrays; these only keep one joined column from
 * growing without end. */
#define SA_PATH_SEGMENTS_MAX 8 /* "client.hassh.hash" has 3 */
#define SA_JOIN_ITEMS_MAX 256  /* items of one joined column */

/* A growing text buffer, reused from event to event. */
struct sa_buf {
    char *p;
    size_t len, cap;
};

static void sa_buf_add(struct sa_buf *b, const char *s, size_t n)
{
    if (b->cap - b->len < n + 1) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap - b->len < n + 1)
            cap *= 2;
        b->p = xrealloc(b->p, cap);
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static int sa_buf_dump_cb(const char *buffer, size_t size, void *data)
{
    sa_buf_add(data, buffer, size);
    return 0;
}

/* Appends v as compact JSON. */
static void sa_buf_json(struct sa_buf *b, const json_t *v)
{
    json_dump_callback(v, sa_buf_dump_cb, b, JSON_COMPACT | JSON_ENCODE_ANY);
}

/* A column's path, split once when the store opens: for each "a|b"
 * alternative its dotted segments and the member of a "list[].member"
 * path. Looking the text up afresh for every column of every event was a
 * visible part of an event row. */
#define SA_ALTS_MAX 4
struct sa_seg {
    const char *s;
    size_t n;
};
struct sa_alt {
    struct sa_seg seg[SA_PATH_SEGMENTS_MAX];
    unsigned nseg;
    const char *member; /* NULL: none */
    size_t member_len;
};
struct sa_path {
    struct sa_alt alt[SA_ALTS_MAX];
    unsigned nalt;
};

struct store_app {
    sqlite3 *db;
    sqlite3_stmt **ins;     /* one INSERT per store_app_tables[] entry */
    struct sa_path **paths; /* per table, one per column */
    struct sa_buf tmp;      /* JSON of one column (arrays, objects) */
};

/* Index of the table for an event type: the catch-all (last) if none. */
static unsigned sa_table_of(const char *type)
{
    for (unsigned i = 0; i + 1 < store_app_ntables; i++) {
        if (strcmp(store_app_tables[i].type, type) == 0)
            return i;
    }
    return store_app_ntables - 1;
}

/* Splits a column's path (see struct store_app_col) into p. Our own
 * descriptors: a path with more alternatives or segments than the limits is
 * a mistake in this file, and its extra parts never match. */
static void sa_compile(const char *path, struct sa_path *p)
{
    memset(p, 0, sizeof(*p));
    const char *alt = path;
    while (*alt && p->nalt < SA_ALTS_MAX) {
        const char *bar = strchr(alt, '|');
        size_t alen = bar ? (size_t)(bar - alt) : strlen(alt);
        size_t plen = alen;
        struct sa_alt *a = &p->alt[p->nalt++];
        for (size_t i = 0; i + 1 < alen; i++) {
            if (alt[i] == '[' && alt[i + 1] == ']') {
                plen = i;
                /* "[]." then the member, or "[]" alone */
                if (i + 3 < alen) {
                    a->member = alt + i + 3;
                    a->member_len = alen - i - 3;
                }
                break;
            }
        }
        size_t off = 0;
        for (;;) {
            const char *dot = memchr(alt + off, '.', plen - off);
            size_t n = dot ? (size_t)(dot - (alt + off)) : plen - off;
            if (a->nseg == SA_PATH_SEGMENTS_MAX) {
                a->nseg = 0; /* too deep: never found */
                break;
            }
            a->seg[a->nseg++] = (struct sa_seg){alt + off, n};
            if (!dot)
                break;
            off += n + 1;
        }
        if (!bar)
            break;
        alt = bar + 1;
    }
}

/* The value at an alternative's path below root, or NULL. JSON null counts
 * as absent. */
static const json_t *sa_get(const json_t *root, const struct sa_alt *a)
{
    const json_t *v = root;
    if (a->nseg == 0)
        return NULL;
    for (unsigned i = 0; i < a->nseg; i++) {
        if (!json_is_object(v))
            return NULL;
        v = json_object_getn(v, a->seg[i].s, a->seg[i].n);
        if (!v)
            return NULL;
    }
    return json_is_null(v) ? NULL : v;
}

/* Finds what column c reads in the event: the first alternative present,
 * body before extra for SAW_ANY. *member gets the item member of a
 * "list[].member" path (NULL if none). */
static const json_t *sa_find(const struct store_app_col *c, const struct sa_path *p,
                             const json_t *body, const json_t *extra, const char **member,
                             size_t *member_len)
{
    const json_t *roots[2] = {c->where == SAW_EXTRA ? extra : body,
                              c->where == SAW_ANY ? extra : NULL};
    for (unsigned k = 0; k < p->nalt; k++) {
        for (int r = 0; r < 2; r++) {
            const json_t *v = roots[r] ? sa_get(roots[r], &p->alt[k]) : NULL;
            if (v) {
                *member = p->alt[k].member;
                *member_len = p->alt[k].member_len;
                return v;
            }
        }
    }
    return NULL;
}

/* Appends one item of a joined column as text. */
static void sa_join_item(struct sa_buf *b, const json_t *v)
{
    char num[32];
    if (json_is_string(v)) {
        sa_buf_add(b, json_string_value(v), json_string_length(v));
    } else if (json_is_integer(v)) {
        int n = snprintf(num, sizeof(num), "%" PRId64, (int64_t)json_integer_value(v));
        sa_buf_add(b, num, (size_t)n);
    } else {
        sa_buf_json(b, v);
    }
}

/* Binds the text of a joined column: the items of an array (their `member`
 * if given) or a single value, comma-separated; NULL if none. */
static void sa_bind_join(struct store_app *sa, sqlite3_stmt *stmt, int col, const json_t *v,
                         const char *member, size_t member_len)
{
    struct sa_buf *b = &sa->tmp;
    size_t n = json_is_array(v) ? json_array_size(v) : 1;
    b->len = 0;
    bool any = false;
    for (size_t i = 0; i < n && i < SA_JOIN_ITEMS_MAX; i++) {
        const json_t *item = json_is_array(v) ? json_array_get(v, i) : v;
        if (member)
            item = json_is_object(item) ? json_object_getn(item, member, member_len) : NULL;
        if (!item || json_is_null(item))
            continue;
        if (any)
            sa_buf_add(b, ",", 1);
        sa_join_item(b, item);
        any = true;
    }
    if (any)
        sqlite3_bind_text(stmt, col, b->p, (int)b->len, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(stmt, col);
}

/* Binds a JSON value with the SQLite type that matches it. Strings stay
 * valid until the statement has run (the event outlives the call). */
static void sa_bind_value(struct store_app *sa, sqlite3_stmt *stmt, int col, const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_STRING:
        sqlite3_bind_text(stmt, col, json_string_value(v), (int)json_string_length(v),
                          SQLITE_STATIC);
        break;
    case JSON_INTEGER:
        sqlite3_bind_int64(stmt, col, (sqlite3_int64)json_integer_value(v));
        break;
    case JSON_REAL:
        sqlite3_bind_double(stmt, col, json_real_value(v));
        break;
    case JSON_TRUE:
        sqlite3_bind_int(stmt, col, 1);
        break;
    case JSON_FALSE:
        sqlite3_bind_int(stmt, col, 0);
        break;
    case JSON_NULL:
        sqlite3_bind_null(stmt, col);
        break;
    default: /* object, array */
        sa->tmp.len = 0;
        sa_buf_json(&sa->tmp, v);
        sqlite3_bind_text(stmt, col, sa->tmp.p, (int)sa->tmp.len, SQLITE_TRANSIENT);
        break;
    }
}

static void sa_bind_col(struct store_app *sa, sqlite3_stmt *stmt, int col,
                        const struct store_app_col *c, const struct sa_path *p,
                        const struct app_event *ev)
{
    const char *member = NULL;
    size_t member_len = 0;
    const json_t *v = sa_find(c, p, ev->body, ev->extra, &member, &member_len);
    if (!v) {
        sqlite3_bind_null(stmt, col);
        return;
    }
    switch (c->kind) {
    case SAK_JOIN:
        sa_bind_join(sa, stmt, col, v, member, member_len);
        break;
    case SAK_COUNT:
        if (json_is_array(v))
            sqlite3_bind_int64(stmt, col, (sqlite3_int64)json_array_size(v));
        else
            sqlite3_bind_null(stmt, col);
        break;
    default:
        sa_bind_value(sa, stmt, col, v);
        break;
    }
}

/* Binds body (which 0) or extra (1) as compact JSON text, serialised once
 * per event for all sinks (app_event_json()). */
static void sa_bind_object(sqlite3_stmt *stmt, int col, const struct app_event *ev, int which)
{
    size_t n;
    const char *txt = app_event_json(ev, which, &n);
    if (!txt)
        sqlite3_bind_null(stmt, col);
    else
        sqlite3_bind_text(stmt, col, txt, (int)n, SQLITE_STATIC);
}

int store_app_insert(struct store_app *sa, int64_t run_id, const struct app_event *ev)
{
    unsigned t = sa_table_of(ev->type);
    const struct store_app_table *tab = &store_app_tables[t];
    sqlite3_stmt *stmt = sa->ins[t];
    const struct flow *f = ev->f;
    bool has_ports = f->proto == 6 || f->proto == 17 || f->proto == 132;
    /* dir 1: the server sent it (a DNS answer), so it is the source. */
    const struct ip_addr *src = ev->dir ? &f->dst : &f->src;
    const struct ip_addr *dst = ev->dir ? &f->src : &f->dst;
    uint16_t sport = ev->dir ? f->dport : f->sport;
    uint16_t dport = ev->dir ? f->sport : f->dport;
    char src_ip[IP_ADDR_TEXT_MAX], dst_ip[IP_ADDR_TEXT_MAX];
    int col = 1;

    ip_addr_fmt(src, src_ip, sizeof(src_ip));
    ip_addr_fmt(dst, dst_ip, sizeof(dst_ip));
    sqlite3_bind_int64(stmt, col++, run_id);
    sqlite3_bind_int64(stmt, col++, f->id > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)f->id);
    sqlite3_bind_int64(stmt, col++,
                       ev->ts_us > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)ev->ts_us);
    sqlite3_bind_text(stmt, col++, src_ip, -1, SQLITE_STATIC);
    if (has_ports)
        sqlite3_bind_int(stmt, col++, sport);
    else
        sqlite3_bind_null(stmt, col++);
    sqlite3_bind_text(stmt, col++, dst_ip, -1, SQLITE_STATIC);
    if (has_ports)
        sqlite3_bind_int(stmt, col++, dport);
    else
        sqlite3_bind_null(stmt, col++);
    sqlite3_bind_int(stmt, col++, f->proto);
    if (!tab->type) {
        sqlite3_bind_text(stmt, col++, ev->type, -1, SQLITE_STATIC);
        if (ev->app_proto && *ev->app_proto)
            sqlite3_bind_text(stmt, col++, ev->app_proto, -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(stmt, col++);
    }
    for (unsigned i = 0; i < tab->ncols; i++)
        sa_bind_col(sa, stmt, col++, &tab->cols[i], &sa->paths[t][i], ev);
    sa_bind_object(stmt, col++, ev, 0);
    sa_bind_object(stmt, col++, ev, 1);

    int rc = sqlite3_step(stmt);
    /* Drop the bindings: some point into the caller's event, which is gone
     * after this call. */
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return rc;
}

/* "INSERT OR FAIL INTO t (run_id, ..., body, extra) VALUES (?, ...)". OR FAIL
 * and the deferred foreign key keep SQLite from writing a statement journal,
 * as for flows (store-sqlite.c). */
static char *sa_insert_sql(const struct store_app_table *tab)
{
    struct sa_buf b = {0};
    unsigned nparams = 8 + (tab->type ? 0 : 2) + tab->ncols + 2;
    sa_buf_add(&b, "INSERT OR FAIL INTO ", 20);
    sa_buf_add(&b, tab->table, strlen(tab->table));
    static const char common[] = " (run_id, flow_id, ts, src_ip, src_port, dst_ip, dst_port, proto";
    sa_buf_add(&b, common, sizeof(common) - 1);
    if (!tab->type)
        sa_buf_add(&b, ", type, app_proto", 17);
    for (unsigned i = 0; i < tab->ncols; i++) {
        sa_buf_add(&b, ", ", 2);
        sa_buf_add(&b, tab->cols[i].name, strlen(tab->cols[i].name));
    }
    sa_buf_add(&b, ", body, extra) VALUES (?", 24);
    for (unsigned i = 1; i < nparams; i++)
        sa_buf_add(&b, ",?", 2);
    sa_buf_add(&b, ")", 1);
    return b.p;
}

struct store_app *store_app_new(sqlite3 *db)
{
    struct store_app *sa = xcalloc(1, sizeof(*sa));
    sa->db = db;
    sa->ins = xcalloc(store_app_ntables, sizeof(*sa->ins));
    sa->paths = xcalloc(store_app_ntables, sizeof(*sa->paths));
    for (unsigned i = 0; i < store_app_ntables; i++) {
        const struct store_app_table *tab = &store_app_tables[i];
        sa->paths[i] = xcalloc(tab->ncols ? tab->ncols : 1, sizeof(*sa->paths[i]));
        for (unsigned c = 0; c < tab->ncols; c++)
            sa_compile(tab->cols[c].path, &sa->paths[i][c]);
        char *sql = sa_insert_sql(tab);
        int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &sa->ins[i], NULL);
        free(sql);
        if (rc != SQLITE_OK) {
            store_app_free(sa);
            return NULL;
        }
    }
    return sa;
}

void store_app_free(struct store_app *sa)
{
    if (!sa)
        return;
    for (unsigned i = 0; i < store_app_ntables; i++) {
        sqlite3_finalize(sa->ins[i]);
        free(sa->paths[i]);
    }
    free(sa->ins);
    free(sa->paths);
    free(sa->tmp.p);
    free(sa);
}
