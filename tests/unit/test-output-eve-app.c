/* test-output-eve-app.c - EVE JSON application events and app_proto on flow
 * lines: the exact head, src/dest turned round for dir 1, the parser's
 * object under the event type's key, events EVE has no type for left out,
 * escaping, and validation of every line against Suricata's schema with
 * tests/oracle/eve-validate.py (skipped when ../shared or jsonschema is
 * missing).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "app/app.h"
#include "decode/decode.h"
#include "store/sink.h"
#include "util/util.h"

#include "flow-test-util.h"

struct tmpdir {
    char dir[64];
    char eve[128];
};

static void tmpdir_make(struct tmpdir *t)
{
    snprintf(t->dir, sizeof(t->dir), "/tmp/mamori-test-eve-app-XXXXXX");
    assert_non_null(mkdtemp(t->dir));
    snprintf(t->eve, sizeof(t->eve), "%s/eve.json", t->dir);
}

static void tmpdir_remove(struct tmpdir *t)
{
    unlink(t->eve);
    rmdir(t->dir);
}

static json_t *jp(const char *fmt, ...)
{
    va_list ap;
    json_error_t err;
    va_start(ap, fmt);
    json_t *v = json_vpack_ex(&err, 0, fmt, ap);
    va_end(ap);
    if (!v)
        fail_msg("json_pack: %s", err.text);
    return v;
}

/* A flow from client 10.0.0.<n>:50000+n to server 192.0.2.<n>:dport. */
static void make_flow(struct flow *f, uint64_t id, uint8_t proto, uint8_t n, uint16_t dport,
                      const char *app_proto)
{
    memset(f, 0, sizeof(*f));
    f->id = id;
    f->first_ts_us = T0_US + 100u;
    f->last_ts_us = T0_US + 2000000u;
    f->ip_version = 4;
    f->proto = proto;
    v4(&f->src, 10, 0, 0, n);
    v4(&f->dst, 192, 0, 2, n);
    f->sport = (uint16_t)(50000u + n);
    f->dport = dport;
    f->pkts[0] = 1;
    f->pkts[1] = 1;
    f->bytes[0] = 80;
    f->bytes[1] = 120;
    f->end_reason = FLOW_END_TIMEOUT;
    if (proto == 6) {
        f->tcp_flags[0] = TH_SYN | TH_ACK;
        f->tcp_flags[1] = TH_SYN | TH_ACK;
        f->tcp_state = TCPS_ESTABLISHED;
    }
    snprintf(f->app_proto, sizeof(f->app_proto), "%s", app_proto);
}

/* The event's body; the sink borrows it, the test keeps it to compare. */
struct ev_spec {
    const char *type;
    int flow; /* index into the flows */
    int dir;
    json_t *body;
    json_t *extra;
};

enum {
    FL_DNS,
    FL_TLS,
    FL_HTTP,
    FL_SMTP,
    FL_POP3,
    FL_SSH,
    FL_SMB,
    FL_DHCP,
    FL_QUIC,
    FL_RDP,
    FL_FTP,
    FL_COUNT
};

static void make_flows(struct flow fl[FL_COUNT])
{
    make_flow(&fl[FL_DNS], 1, 17, 5, 53, "dns");
    fl[FL_DNS].vlan_count = 1;
    fl[FL_DNS].vlan[0] = 10;
    make_flow(&fl[FL_TLS], 2, 6, 6, 443, "tls");
    make_flow(&fl[FL_HTTP], 3, 6, 7, 80, "http");
    make_flow(&fl[FL_SMTP], 4, 6, 8, 25, "smtp");
    make_flow(&fl[FL_POP3], 5, 6, 9, 110, "pop3");
    make_flow(&fl[FL_SSH], 6, 6, 10, 22, "ssh");
    make_flow(&fl[FL_SMB], 7, 6, 11, 445, "smb");
    make_flow(&fl[FL_DHCP], 8, 17, 12, 67, "dhcp");
    make_flow(&fl[FL_QUIC], 9, 17, 13, 443, "quic");
    make_flow(&fl[FL_RDP], 10, 6, 14, 3389, "rdp");
    make_flow(&fl[FL_FTP], 11, 6, 15, 21, "");
}

/* Events of every type EVE knows, shaped as the schema wants, plus one it
 * does not (pop3: body NULL). */
static size_t make_events(struct ev_spec *ev, size_t max)
{
    /* Wire text as the parsers make it: invalid UTF-8 and control bytes
     * become "\xNN" text. */
    json_t *sni = app_json_str((const uint8_t *)"bad\xff\x01name.example", 17, 256);
    struct ev_spec all[] = {
        {"dns", FL_DNS, 0,
         jp("{s:i, s:s, s:i, s:s, s:s, s:i}", "version", 2, "type", "query", "id", 4660, "rrname",
            "example.com", "rrtype", "A", "tx_id", 0),
         NULL},
        {"dns", FL_DNS, 1,
         jp("{s:i, s:s, s:i, s:s, s:b, s:b, s:b, s:s, s:s, s:s, s:[{s:s, s:s, s:i, s:s}],"
            " s:{s:[s]}}",
            "version", 2, "type", "answer", "id", 4660, "flags", "8180", "qr", 1, "rd", 1, "ra", 1,
            "rrname", "example.com", "rrtype", "A", "rcode", "NOERROR", "answers", "rrname",
            "example.com", "rrtype", "A", "ttl", 300, "rdata", "93.184.216.34", "grouped", "A",
            "93.184.216.34"),
         NULL},
        {"tls", FL_TLS, 0,
         jp("{s:o, s:s, s:{s:s, s:s}, s:s}", "sni", sni, "version", "TLS 1.3", "ja3", "hash",
            "e7d705a3286e19ea42f587b344ee6865", "string", "771,4865-4866,0-23,29,0", "ja4",
            "t13d1516h2_8daaf6152771_e5627efa2ab1"),
         jp("{s:[s]}", "alpn", "h2")},
        {"http", FL_HTTP, 0,
         jp("{s:s, s:s, s:s, s:s, s:s, s:i, s:i}", "hostname", "www.example.net", "url", "/",
            "http_user_agent", "curl/8.0", "http_method", "GET", "protocol", "HTTP/1.1", "status",
            200, "length", 512),
         NULL},
        {"smtp", FL_SMTP, 0,
         jp("{s:s, s:s, s:[s]}", "helo", "pc.example", "mail_from", "<a@example.com>", "rcpt_to",
            "<b@example.com>"),
         jp("{s:b}", "starttls", 0)},
        {"pop3", FL_POP3, 0, NULL, jp("{s:s, s:b}", "user", "alice", "login_success", 1)},
        {"ssh", FL_SSH, 0,
         jp("{s:{s:s, s:s}, s:{s:s, s:s}}", "client", "proto_version", "2.0", "software_version",
            "OpenSSH_9.6", "server", "proto_version", "2.0", "software_version", "OpenSSH_8.9"),
         NULL},
        {"smb", FL_SMB, 0,
         jp("{s:i, s:s, s:s, s:s, s:{s:s, s:s, s:s}}", "id", 1, "dialect", "3.11", "command",
            "SMB2_COMMAND_SESSION_SETUP", "status", "STATUS_SUCCESS", "ntlmssp", "domain", "OFFICE",
            "user", "dave", "host", "PC-07"),
         NULL},
        {"dhcp", FL_DHCP, 0,
         jp("{s:s, s:i, s:s, s:s, s:s, s:s}", "type", "request", "id", 305419896, "client_mac",
            "00:11:22:aa:bb:cc", "assigned_ip", "0.0.0.0", "dhcp_type", "request", "hostname",
            "pc-07"),
         NULL},
        {"quic", FL_QUIC, 0,
         jp("{s:s, s:s, s:s}", "version", "1", "sni", "www.example.com", "ja4",
            "q13d0310h3_55b375c5d22e_cd85d2d88918"),
         NULL},
        {"rdp", FL_RDP, 0,
         jp("{s:i, s:s, s:s}", "tx_id", 0, "event_type", "initial_request", "cookie",
            "mstshash=admin"),
         NULL},
        {"ftp", FL_FTP, 0,
         jp("{s:s, s:s, s:[s], s:[s], s:s}", "command", "USER", "command_data", "carol",
            "completion_code", "331", "reply", "Password required", "reply_received", "yes"),
         NULL},
        {"anomaly", FL_SMTP, 0,
         jp("{s:s, s:s, s:s, s:s}", "type", "applayer", "event", "smtp.line_too_long", "layer",
            "proto_parser", "app_proto", "smtp"),
         NULL},
    };
    assert_true(ARRAY_SIZE(all) <= max);
    memcpy(ev, all, sizeof(all));
    return ARRAY_SIZE(all);
}

static void free_events(struct ev_spec *ev, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        json_decref(ev[i].body);
        json_decref(ev[i].extra);
    }
}

/* Writes every event at T0 + 1 ms + i us, then the flows; returns the
 * number of events. */
static size_t write_all(const char *path, const char *sensor, struct flow fl[FL_COUNT],
                        struct ev_spec *ev, size_t max)
{
    make_flows(fl);
    size_t n = make_events(ev, max);
    struct sink *s = eve_open(path, sensor);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++) {
        const struct flow *f = &fl[ev[i].flow];
        const struct app_event e = {.type = ev[i].type,
                                    .f = f,
                                    .ts_us = T0_US + 1000u + i,
                                    .dir = ev[i].dir,
                                    .app_proto = f->app_proto,
                                    .body = ev[i].body,
                                    .extra = ev[i].extra};
        assert_int_equal(s->ops->app_event(s, &e), 0);
    }
    for (int i = 0; i < FL_COUNT; i++)
        assert_int_equal(s->ops->flow(s, &fl[i]), 0);
    assert_int_equal(s->ops->commit(s), 0);
    s->ops->close(s);
    return n;
}

/* Reads the file's lines (at most max, each parsed); returns the count. */
static size_t read_lines(const char *path, char **text, json_t **obj, size_t max)
{
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    size_t n = 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, fp)) > 0) {
        assert_true(n < max);
        assert_int_equal(line[len - 1], '\n');
        json_error_t err;
        obj[n] = json_loads(line, JSON_REJECT_DUPLICATES, &err);
        if (!obj[n])
            fail_msg("line %zu does not parse: %s: %s", n + 1, err.text, line);
        text[n] = xstrdup(line);
        n++;
    }
    free(line);
    fclose(fp);
    return n;
}

static const char *str_of(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    if (!json_is_string(v))
        fail_msg("no string \"%s\"", key);
    return json_string_value(v);
}

static void test_events(void **state)
{
    (void)state;
    struct tmpdir t;
    tmpdir_make(&t);
    struct flow fl[FL_COUNT];
    struct ev_spec ev[32];
    size_t nev = write_all(t.eve, "sensor-1", fl, ev, ARRAY_SIZE(ev));
    char *text[64];
    json_t *obj[64];
    size_t n = read_lines(t.eve, text, obj, ARRAY_SIZE(obj));
    /* pop3 (body NULL) is left out; every flow has its line. */
    assert_int_equal(n, nev - 1 + FL_COUNT);

    /* The head of an event, byte for byte: the DNS answer (dir 1) has the
     * server as src; vlan, host and app_proto as on flow lines. */
    assert_string_equal(text[1],
                        "{\"timestamp\":\"2024-01-01T00:00:00.001001+0000\",\"flow_id\":1,"
                        "\"host\":\"sensor-1\",\"event_type\":\"dns\",\"vlan\":[10],"
                        "\"src_ip\":\"192.0.2.5\",\"src_port\":53,\"dest_ip\":\"10.0.0.5\","
                        "\"dest_port\":50005,\"proto\":\"UDP\",\"app_proto\":\"dns\",\"dns\":{"
                        "\"version\":2,\"type\":\"answer\",\"id\":4660,\"flags\":\"8180\","
                        "\"qr\":true,\"rd\":true,\"ra\":true,\"rrname\":\"example.com\","
                        "\"rrtype\":\"A\",\"rcode\":\"NOERROR\",\"answers\":[{\"rrname\":"
                        "\"example.com\",\"rrtype\":\"A\",\"ttl\":300,\"rdata\":"
                        "\"93.184.216.34\"}],\"grouped\":{\"A\":[\"93.184.216.34\"]}}}\n");
    /* The query (dir 0): the client is src. */
    assert_string_equal(str_of(obj[0], "src_ip"), "10.0.0.5");
    assert_int_equal(json_integer_value(json_object_get(obj[0], "src_port")), 50005);
    assert_string_equal(str_of(obj[0], "dest_ip"), "192.0.2.5");

    size_t line = 0;
    for (size_t i = 0; i < nev; i++) {
        if (!ev[i].body)
            continue;
        json_t *o = obj[line++];
        const struct flow *f = &fl[ev[i].flow];
        assert_string_equal(str_of(o, "event_type"), ev[i].type);
        assert_int_equal(json_integer_value(json_object_get(o, "flow_id")), f->id);
        /* The body as given, under the type's key; extra never in EVE. */
        if (!json_equal(json_object_get(o, ev[i].type), ev[i].body))
            fail_msg("event %zu: body differs", i);
        if (f->app_proto[0])
            assert_string_equal(str_of(o, "app_proto"), f->app_proto);
        else
            assert_null(json_object_get(o, "app_proto"));
        /* Nothing but the head keys and the body key. */
        static const char *const head[] = {"timestamp", "flow_id", "host",     "event_type",
                                           "vlan",      "src_ip",  "src_port", "dest_ip",
                                           "dest_port", "proto",   "app_proto"};
        const char *key;
        json_t *v;
        json_object_foreach(o, key, v)
        {
            bool known = strcmp(key, ev[i].type) == 0;
            for (size_t k = 0; k < ARRAY_SIZE(head) && !known; k++)
                known = strcmp(key, head[k]) == 0;
            if (!known)
                fail_msg("event %zu: unexpected key %s", i, key);
        }
    }
    /* The wire bytes of the SNI arrive as printable escapes. */
    assert_string_equal(json_string_value(json_object_get(json_object_get(obj[2], "tls"), "sni")),
                        "bad\\xff\\x01name.example");
    /* The anomaly line as Suricata writes one. */
    json_t *an = obj[line - 1];
    assert_string_equal(str_of(an, "event_type"), "anomaly");
    assert_string_equal(str_of(json_object_get(an, "anomaly"), "event"), "smtp.line_too_long");

    /* Flow lines: app_proto right after proto, left out when unknown. */
    assert_non_null(
        strstr(text[line + FL_TLS], "\"proto\":\"TCP\",\"app_proto\":\"tls\",\"flow\":{"));
    assert_string_equal(str_of(obj[line + FL_TLS], "event_type"), "flow");
    assert_null(json_object_get(obj[line + FL_FTP], "app_proto"));
    assert_non_null(strstr(text[line + FL_FTP], "\"proto\":\"TCP\",\"flow\":{"));

    for (size_t i = 0; i < n; i++) {
        json_decref(obj[i]);
        free(text[i]);
    }
    free_events(ev, nev);
    tmpdir_remove(&t);
}

/* A protocol name with characters JSON must escape (names come from nDPI
 * too) still gives a valid line; the bytes are not trusted. */
static void test_app_proto_escaped(void **state)
{
    (void)state;
    struct tmpdir t;
    tmpdir_make(&t);
    struct flow f;
    make_flow(&f, 7, 6, 1, 8080, "we\"ird\\\x01");
    struct sink *s = eve_open(t.eve, NULL);
    assert_non_null(s);
    json_t *body = jp("{s:s}", "hostname", "h");
    const struct app_event e = {
        .type = "http", .f = &f, .ts_us = T0_US, .dir = 0, .app_proto = f.app_proto, .body = body};
    assert_int_equal(s->ops->app_event(s, &e), 0);
    assert_int_equal(s->ops->flow(s, &f), 0);
    s->ops->close(s);
    json_decref(body);
    char *text[4];
    json_t *obj[4];
    assert_int_equal(read_lines(t.eve, text, obj, 4), 2);
    for (int i = 0; i < 2; i++) {
        assert_string_equal(str_of(obj[i], "app_proto"), "we\"ird\\\x01");
        assert_non_null(strstr(text[i], "\"app_proto\":\"we\\\"ird\\\\\\u0001\""));
        json_decref(obj[i]);
        free(text[i]);
    }
    tmpdir_remove(&t);
}

/* An event of a failed sink is refused quietly, like a flow. */
static void test_failed_sink(void **state)
{
    (void)state;
    if (access("/dev/full", W_OK) != 0)
        skip();
    struct flow f;
    make_flow(&f, 1, 17, 1, 53, "dns");
    json_t *body = jp("{s:s}", "type", "query");
    const struct app_event e = {
        .type = "dns", .f = &f, .ts_us = T0_US, .dir = 0, .app_proto = "dns", .body = body};
    struct sink *s = eve_open("/dev/full", NULL);
    assert_non_null(s);
    struct capture c;
    capture_begin(&c, 2);
    int rc1 = s->ops->app_event(s, &e); /* buffered */
    int rc2 = s->ops->commit(s);
    int rc3 = s->ops->app_event(s, &e);
    s->ops->close(s);
    capture_end(&c, 2);
    json_decref(body);
    assert_int_equal(rc1, 0);
    assert_int_equal(rc2, -1);
    assert_int_equal(rc3, -1);
    assert_int_equal(count_lines(c.text), 1);
}

/* Runs tests/oracle/eve-validate.py on the file: 0 valid, 77 skip, else
 * invalid (the script lists the lines). */
static int run_validator(const char *script, const char *schema, const char *eve)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        char *const argv[] = {xstrdup("python3"), xstrdup(script), xstrdup("--schema"),
                              xstrdup(schema),    xstrdup(eve),    NULL};
        execv("/usr/bin/python3", argv);
        _exit(127);
    }
    int status = 0;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

static void test_schema_valid(void **state)
{
    (void)state;
    const char *shared = getenv("MAMORI_SHARED");
    char schema[512], script[512];
    snprintf(schema, sizeof(schema), "%s/data/eve-schema.json", shared ? shared : "../shared");
    if (access(schema, R_OK) != 0) {
        print_message("skip: no EVE schema at %s\n", schema);
        skip();
    }
    /* The script sits next to this file's directory in the source tree;
     * __FILE__ is the path the compiler was given (relative to the build
     * directory, where meson runs the test). */
    const char *slash = strrchr(__FILE__, '/');
    int dirlen = slash ? (int)(slash - __FILE__) : 1;
    snprintf(script, sizeof(script), "%.*s/../oracle/eve-validate.py", dirlen,
             slash ? __FILE__ : ".");
    if (access(script, R_OK) != 0 || access("/usr/bin/python3", X_OK) != 0) {
        print_message("skip: %s or /usr/bin/python3 not found\n", script);
        skip();
    }
    struct tmpdir t;
    tmpdir_make(&t);
    struct flow fl[FL_COUNT];
    struct ev_spec ev[32];
    size_t nev = write_all(t.eve, "sensor-1", fl, ev, ARRAY_SIZE(ev));
    free_events(ev, nev);
    int rc = run_validator(script, schema, t.eve);
    if (rc == 77) {
        tmpdir_remove(&t);
        print_message("skip: python3 has no jsonschema module\n");
        skip();
    }
    if (rc != 0)
        fail_msg("%s does not validate against %s (exit %d)", t.eve, schema, rc);
    tmpdir_remove(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_events),
        cmocka_unit_test(test_app_proto_escaped),
        cmocka_unit_test(test_failed_sink),
        cmocka_unit_test(test_schema_valid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
