/* test-output-eve.c - EVE JSON flow events: fields, types, omissions, errors,
 * and validation against Suricata's schema (../shared/data/eve-schema.json)
 * with /usr/bin/python3 + jsonschema when both are there.
 */
#include <errno.h>
#include <fcntl.h>
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

#include "decode/decode.h"
#include "detect/alert.h"
#include "store/sink.h"
#include "util/util.h"

#include "flow-test-util.h"

struct tmpdir {
    char dir[64];
    char eve[128];
};

static void tmpdir_make(struct tmpdir *t)
{
    snprintf(t->dir, sizeof(t->dir), "/tmp/mamori-test-eve-XXXXXX");
    assert_non_null(mkdtemp(t->dir));
    snprintf(t->eve, sizeof(t->eve), "%s/eve.json", t->dir);
}

static void tmpdir_remove(struct tmpdir *t)
{
    unlink(t->eve);
    rmdir(t->dir);
}

/* The six flows every field test writes, in this order. */
enum { F_TCP, F_UDP6, F_ICMP, F_ICMP6, F_GRE, F_OTHER, F_COUNT };

static void make_flows(struct flow fl[F_COUNT])
{
    memset(fl, 0, sizeof(struct flow) * F_COUNT);

    /* TCP/IPv4, two VLAN tags, MACs, full handshake and FIN, 3.9 s long but
     * crossing 4 second boundaries: age counts whole seconds like Suricata
     * (end second minus start second), pinning 4 rather than 3. */
    struct flow *f = &fl[F_TCP];
    f->id = 1234567890123ull;
    f->first_ts_us = T0_US + 900000u;
    f->last_ts_us = T0_US + 4800000u;
    f->ip_version = 4;
    f->proto = 6;
    v4(&f->src, 10, 0, 0, 1);
    v4(&f->dst, 192, 0, 2, 80);
    f->sport = 51000;
    f->dport = 443;
    f->vlan_count = 2;
    f->vlan[0] = 100;
    f->vlan[1] = 200;
    f->has_mac = true;
    memcpy(f->src_mac, "\x00\x11\x22\xaa\xbb\xcc", 6);
    memcpy(f->dst_mac, "\x02\x00\x00\x00\x00\x01", 6);
    f->pkts[0] = 12;
    f->pkts[1] = 10;
    f->bytes[0] = 1500;
    f->bytes[1] = 30000;
    f->tcp_flags[0] = TH_SYN | TH_ACK | TH_PSH | TH_FIN; /* 0x1b */
    f->tcp_flags[1] = TH_SYN | TH_ACK | TH_FIN | TH_ECE; /* 0x53 */
    f->tcp_state = TCPS_CLOSED;
    f->end_reason = FLOW_END_FIN;

    /* UDP/IPv6, one tag, no MACs, unanswered, ended by the capture end. */
    f = &fl[F_UDP6];
    f->id = 2;
    f->first_ts_us = T0_US;
    f->last_ts_us = T0_US;
    f->ip_version = 6;
    f->proto = 17;
    f->src.b[0] = 0xfe; /* fe80::1 */
    f->src.b[1] = 0x80;
    f->src.b[15] = 1;
    f->dst.b[0] = 0xff; /* ff02::fb */
    f->dst.b[1] = 0x02;
    f->dst.b[15] = 0xfb;
    f->sport = 5353;
    f->dport = 5353;
    f->vlan_count = 1;
    f->vlan[0] = 4094;
    f->pkts[0] = 1;
    f->bytes[0] = 90;
    f->end_reason = FLOW_END_CAPTURE_END;

    /* ICMP echo with reply. */
    f = &fl[F_ICMP];
    f->id = 3;
    f->first_ts_us = T0_US + 1;
    f->last_ts_us = T0_US + 2;
    f->ip_version = 4;
    f->proto = 1;
    v4(&f->src, 10, 0, 0, 9);
    v4(&f->dst, 8, 8, 8, 8);
    f->icmp_type = 8;
    f->resp_icmp_type = 0;
    f->resp_icmp_seen = true;
    f->pkts[0] = f->pkts[1] = 1;
    f->bytes[0] = f->bytes[1] = 98;
    f->end_reason = FLOW_END_TIMEOUT;

    /* ICMPv6 echo, never answered, evicted. */
    f = &fl[F_ICMP6];
    f->id = 4;
    f->first_ts_us = T0_US;
    f->last_ts_us = T0_US;
    f->ip_version = 6;
    f->proto = 58;
    f->src.b[0] = 0x20; /* 2001:db8::1 -> 2001:db8::2 */
    f->src.b[1] = 0x01;
    f->src.b[2] = 0x0d;
    f->src.b[3] = 0xb8;
    f->dst = f->src;
    f->src.b[15] = 1;
    f->dst.b[15] = 2;
    f->icmp_type = 128;
    f->pkts[0] = 1;
    f->end_reason = FLOW_END_EVICTED;

    /* GRE: a named protocol without ports (sport set by mistake must not show). */
    f = &fl[F_GRE];
    f->id = 5;
    f->first_ts_us = T0_US;
    f->last_ts_us = T0_US + 1000000u;
    f->ip_version = 4;
    f->proto = 47;
    v4(&f->src, 10, 0, 0, 1);
    v4(&f->dst, 10, 0, 0, 2);
    f->sport = 7;
    f->pkts[0] = 2;
    f->pkts[1] = 2;
    f->end_reason = FLOW_END_TIMEOUT;

    /* Protocol 253 (experimental): proto is the number as a string. */
    fl[F_OTHER] = fl[F_GRE];
    fl[F_OTHER].id = 6;
    fl[F_OTHER].proto = 253;
}

/* Writes the flows to path and returns the parsed lines. */
static void write_and_parse(const char *path, const char *sensor, json_t *out[F_COUNT])
{
    struct flow fl[F_COUNT];
    make_flows(fl);
    struct sink *s = eve_open(path, sensor);
    assert_non_null(s);
    for (int i = 0; i < F_COUNT; i++)
        assert_int_equal(s->ops->flow(s, &fl[i]), 0);
    assert_int_equal(s->ops->commit(s), 0);
    s->ops->close(s);

    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    char line[4096];
    int n = 0;
    while (fgets(line, sizeof(line), fp)) {
        assert_true(n < F_COUNT);
        size_t len = strlen(line);
        assert_true(len > 0 && line[len - 1] == '\n'); /* one object per line */
        assert_null(memchr(line, '\n', len - 1));
        json_error_t err;
        out[n] = json_loads(line, 0, &err);
        if (!out[n])
            fail_msg("line %d is not JSON: %s", n + 1, err.text);
        assert_true(json_is_object(out[n]));
        n++;
    }
    fclose(fp);
    assert_int_equal(n, F_COUNT);
}

static void free_events(json_t *ev[F_COUNT])
{
    for (int i = 0; i < F_COUNT; i++)
        json_decref(ev[i]);
}

static const char *str_of(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_string(v))
        fail_msg("\"%s\" is not a string", key);
    return json_string_value(v);
}

static json_int_t int_of(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_integer(v))
        fail_msg("\"%s\" is not an integer", key);
    return json_integer_value(v);
}

static void test_tcp_event(void **state)
{
    (void)state;
    struct tmpdir t;
    tmpdir_make(&t);
    json_t *ev[F_COUNT];
    write_and_parse(t.eve, "office-sensor", ev);
    json_t *e = ev[F_TCP];

    /* Key order is Suricata's: consumers should not care, people reading do. */
    const char *first_keys[] = {"timestamp", "flow_id", "host", "event_type", "vlan", "src_ip"};
    void *it = json_object_iter(e);
    for (size_t i = 0; i < ARRAY_SIZE(first_keys); i++, it = json_object_iter_next(e, it)) {
        assert_non_null(it);
        assert_string_equal(json_object_iter_key(it), first_keys[i]);
    }

    assert_string_equal(str_of(e, "timestamp"), "2024-01-01T00:00:04.800000+0000");
    assert_int_equal(int_of(e, "flow_id"), 1234567890123ll);
    assert_string_equal(str_of(e, "host"), "office-sensor");
    assert_string_equal(str_of(e, "event_type"), "flow");
    json_t *vl = json_object_get(e, "vlan");
    assert_true(json_is_array(vl));
    assert_int_equal(json_array_size(vl), 2);
    assert_int_equal(json_integer_value(json_array_get(vl, 0)), 100);
    assert_int_equal(json_integer_value(json_array_get(vl, 1)), 200);
    assert_string_equal(str_of(e, "src_ip"), "10.0.0.1");
    assert_int_equal(int_of(e, "src_port"), 51000);
    assert_string_equal(str_of(e, "dest_ip"), "192.0.2.80");
    assert_int_equal(int_of(e, "dest_port"), 443);
    assert_string_equal(str_of(e, "proto"), "TCP");
    assert_null(json_object_get(e, "app_proto")); /* unknown: left out */
    assert_null(json_object_get(e, "icmp_type"));
    assert_null(json_object_get(e, "tunnel"));

    json_t *fo = json_object_get(e, "flow");
    assert_true(json_is_object(fo));
    assert_int_equal(int_of(fo, "pkts_toserver"), 12);
    assert_int_equal(int_of(fo, "pkts_toclient"), 10);
    assert_int_equal(int_of(fo, "bytes_toserver"), 1500);
    assert_int_equal(int_of(fo, "bytes_toclient"), 30000);
    assert_string_equal(str_of(fo, "start"), "2024-01-01T00:00:00.900000+0000");
    assert_string_equal(str_of(fo, "end"), "2024-01-01T00:00:04.800000+0000");
    assert_int_equal(int_of(fo, "age"), 4);
    assert_string_equal(str_of(fo, "state"), "closed");
    assert_string_equal(str_of(fo, "reason"), "timeout");
    assert_true(json_is_false(json_object_get(fo, "alerted")));

    json_t *eth = json_object_get(e, "ether");
    assert_true(json_is_object(eth));
    assert_string_equal(str_of(eth, "src_mac"), "00:11:22:aa:bb:cc");
    assert_string_equal(str_of(eth, "dest_mac"), "02:00:00:00:00:01");

    json_t *tcp = json_object_get(e, "tcp");
    assert_true(json_is_object(tcp));
    assert_string_equal(str_of(tcp, "tcp_flags"), "5b");
    assert_string_equal(str_of(tcp, "tcp_flags_ts"), "1b");
    assert_string_equal(str_of(tcp, "tcp_flags_tc"), "53");
    static const char *const set[] = {"syn", "fin", "psh", "ack", "ecn"};
    static const char *const unset[] = {"rst", "urg", "cwr"};
    for (size_t i = 0; i < ARRAY_SIZE(set); i++)
        assert_true(json_is_true(json_object_get(tcp, set[i])));
    for (size_t i = 0; i < ARRAY_SIZE(unset); i++)
        assert_null(json_object_get(tcp, unset[i])); /* absent, not false */
    assert_string_equal(str_of(tcp, "state"), "closed");
    free_events(ev);
    tmpdir_remove(&t);
}

static void test_other_events(void **state)
{
    (void)state;
    struct tmpdir t;
    tmpdir_make(&t);
    json_t *ev[F_COUNT];
    write_and_parse(t.eve, "", ev);

    json_t *e = ev[F_UDP6];
    assert_null(json_object_get(e, "host")); /* empty sensor name: no host */
    assert_string_equal(str_of(e, "src_ip"), "fe80::1");
    assert_string_equal(str_of(e, "dest_ip"), "ff02::fb");
    assert_int_equal(int_of(e, "src_port"), 5353);
    assert_string_equal(str_of(e, "proto"), "UDP");
    assert_int_equal(json_array_size(json_object_get(e, "vlan")), 1);
    assert_null(json_object_get(e, "ether"));
    assert_null(json_object_get(e, "tcp"));
    json_t *fo = json_object_get(e, "flow");
    assert_string_equal(str_of(fo, "state"), "new");       /* no answer */
    assert_string_equal(str_of(fo, "reason"), "shutdown"); /* capture end */
    assert_int_equal(int_of(fo, "age"), 0);
    assert_int_equal(int_of(fo, "pkts_toclient"), 0);

    e = ev[F_ICMP];
    assert_string_equal(str_of(e, "proto"), "ICMP");
    assert_null(json_object_get(e, "src_port"));
    assert_null(json_object_get(e, "dest_port"));
    assert_null(json_object_get(e, "vlan")); /* untagged: no vlan key */
    assert_int_equal(int_of(e, "icmp_type"), 8);
    assert_int_equal(int_of(e, "icmp_code"), 0);
    assert_int_equal(int_of(e, "response_icmp_type"), 0);
    assert_int_equal(int_of(e, "response_icmp_code"), 0);
    assert_string_equal(str_of(json_object_get(e, "flow"), "state"), "established");

    e = ev[F_ICMP6];
    assert_string_equal(str_of(e, "proto"), "IPv6-ICMP");
    assert_string_equal(str_of(e, "src_ip"), "2001:db8::1");
    assert_int_equal(int_of(e, "icmp_type"), 128);
    assert_null(json_object_get(e, "response_icmp_type")); /* no reply seen */
    assert_null(json_object_get(e, "response_icmp_code"));
    assert_string_equal(str_of(json_object_get(e, "flow"), "reason"), "forced");

    e = ev[F_GRE];
    assert_string_equal(str_of(e, "proto"), "GRE");
    assert_null(json_object_get(e, "src_port"));
    assert_null(json_object_get(e, "icmp_type"));
    assert_int_equal(int_of(json_object_get(e, "flow"), "age"), 1);

    e = ev[F_OTHER];
    assert_string_equal(str_of(e, "proto"), "253");
    assert_null(json_object_get(e, "src_port"));
    free_events(ev);
    tmpdir_remove(&t);
}

/* A sensor name with characters JSON must escape comes back unchanged. */
static void test_host_escaped(void **state)
{
    (void)state;
    struct tmpdir t;
    tmpdir_make(&t);
    const char *name = "lab \"one\"\\\t\xc3\xa9";
    json_t *ev[F_COUNT];
    write_and_parse(t.eve, name, ev);
    assert_string_equal(str_of(ev[0], "host"), name);
    free_events(ev);
    tmpdir_remove(&t);
}

/* A second open appends rather than truncating (like Suricata's eve.json). */
static void test_appends(void **state)
{
    (void)state;
    struct tmpdir t;
    tmpdir_make(&t);
    struct flow fl[F_COUNT];
    make_flows(fl);
    for (int round = 0; round < 2; round++) {
        struct sink *s = eve_open(t.eve, NULL);
        assert_non_null(s);
        assert_int_equal(s->ops->flow(s, &fl[F_TCP]), 0);
        s->ops->close(s); /* close alone must flush */
    }
    /* A bulk load (read) syncs in the background: same lines. */
    struct sink *s = eve_open_bulk(t.eve, NULL, true);
    assert_non_null(s);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(s->ops->flow(s, &fl[F_TCP]), 0);
        assert_int_equal(s->ops->commit(s), 0);
    }
    assert_int_equal(s->ops->flow(s, &fl[F_UDP6]), 0);
    s->ops->close(s);
    FILE *fp = fopen(t.eve, "r");
    assert_non_null(fp);
    char buf[8192];
    size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    assert_int_equal(count_lines(buf), 6);
    tmpdir_remove(&t);
}

/* "-" writes to stdout (captured here into a file). */
static void test_stdout(void **state)
{
    (void)state;
    struct flow fl[F_COUNT];
    make_flows(fl);
    struct capture c;
    capture_begin(&c, 1);
    struct sink *s = eve_open("-", "x");
    assert_non_null(s);
    int rc = s->ops->flow(s, &fl[F_ICMP]);
    int rc2 = s->ops->commit(s); /* fsync of a non-file is not an error */
    s->ops->close(s);
    capture_end(&c, 1);
    assert_int_equal(rc, 0);
    assert_int_equal(rc2, 0);
    assert_int_equal(count_lines(c.text), 1);
    json_t *e = json_loads(c.text, JSON_DISABLE_EOF_CHECK, NULL);
    assert_non_null(e);
    assert_string_equal(str_of(e, "proto"), "ICMP");
    json_decref(e);
}

static void expect_open_fails(const char *path, const char *reason)
{
    struct capture c;
    char want[256];
    capture_begin(&c, 2);
    struct sink *s = eve_open(path, NULL);
    capture_end(&c, 2);
    assert_null(s);
    snprintf(want, sizeof(want), "mamori: cannot open eve file '%s': %s\n", path, reason);
    assert_string_equal(c.text, want);
}

static void test_unwritable(void **state)
{
    (void)state;
    struct tmpdir t;
    tmpdir_make(&t);
    char p[160];
    snprintf(p, sizeof(p), "%s/no-such-dir/eve.json", t.dir);
    expect_open_fails(p, "No such file or directory");
    expect_open_fails(t.dir, "Is a directory");
    tmpdir_remove(&t);
}

/* /dev/full accepts the open and fails every write with ENOSPC: the error
 * surfaces at commit (the buffer flush), once, and the sink stays failed. */
static void test_disk_full(void **state)
{
    (void)state;
    if (access("/dev/full", W_OK) != 0)
        skip();
    struct flow fl[F_COUNT];
    make_flows(fl);
    for (int bulk = 0; bulk < 2; bulk++) {
        struct sink *s = eve_open_bulk("/dev/full", NULL, bulk);
        assert_non_null(s);
        struct capture c;
        capture_begin(&c, 2);
        int rc_flow = s->ops->flow(s, &fl[F_TCP]);
        int rc_commit = s->ops->commit(s);
        int rc_again = s->ops->flow(s, &fl[F_TCP]);
        int rc_commit2 = s->ops->commit(s);
        s->ops->close(s);
        capture_end(&c, 2);
        assert_int_equal(rc_flow, 0); /* buffered */
        assert_int_equal(rc_commit, -1);
        assert_int_equal(rc_again, -1);
        assert_int_equal(rc_commit2, -1);
        assert_string_equal(c.text,
                            "mamori: cannot write to eve file '/dev/full': No space left on device\n");
    }
}

/* Runs `python3 -c SCRIPT schema eve` without a shell. Exit 0: every line
 * valid; 77: jsonschema missing; anything else: invalid (details on stderr). */
static int run_validator(const char *schema, const char *eve)
{
    static const char script[] =
        "import json, sys\n"
        "try:\n"
        "    import jsonschema\n"
        "except ImportError:\n"
        "    sys.exit(77)\n"
        "schema = json.load(open(sys.argv[1]))\n"
        "cls = jsonschema.validators.validator_for(schema)\n"
        "v = cls(schema)\n"
        "bad = 0\n"
        "for n, line in enumerate(open(sys.argv[2]), 1):\n"
        "    for e in v.iter_errors(json.loads(line)):\n"
        "        bad += 1\n"
        "        print('line %d: %s at %s' % (n, e.message, list(e.absolute_path)),"
        " file=sys.stderr)\n"
        "sys.exit(1 if bad else 0)\n";
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        /* execv wants mutable strings; the copies die with the exec. */
        char *const argv[] = {xstrdup("python3"), xstrdup("-c"), xstrdup(script),
                              xstrdup(schema),    xstrdup(eve),  NULL};
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
    char schema[512];
    snprintf(schema, sizeof(schema), "%s/data/eve-schema.json", shared ? shared : "../shared");
    if (access(schema, R_OK) != 0) {
        print_message("skip: no EVE schema at %s\n", schema);
        skip();
    }
    if (access("/usr/bin/python3", X_OK) != 0) {
        print_message("skip: /usr/bin/python3 not found\n");
        skip();
    }
    struct tmpdir t;
    tmpdir_make(&t);
    json_t *ev[F_COUNT];
    write_and_parse(t.eve, "sensor-1", ev);
    free_events(ev);
    int rc = run_validator(schema, t.eve);
    if (rc == 77) {
        tmpdir_remove(&t);
        print_message("skip: python3 has no jsonschema module\n");
        skip();
    }
    if (rc != 0) {
        /* Keep the file for a look. */
        fail_msg("%s does not validate against %s (exit %d)", t.eve, schema, rc);
    }
    tmpdir_remove(&t);
}

/* An alert is written when first raised and again when it escalates; other
 * updates (counts) are not written. */
static void test_alert_escalation(void **state)
{
    (void)state;
    struct tmpdir t;
    tmpdir_make(&t);
    struct sink *s = eve_open(t.eve, NULL);
    assert_non_null(s);
    struct alert a;
    alert_init(&a, "lateral", SEV_HIGH, 1795684500000000ull);
    alert_set_key(&a, "lateral|spread|192.168.1.5|2026-11-26");
    a.has_src = true;
    v4(&a.src, 192, 168, 1, 5);
    assert_int_equal(s->ops->alert(s, &a), 0);
    a.update = true;
    a.count = 3;
    assert_int_equal(s->ops->alert(s, &a), 0); /* a count: not written */
    a.escalated = true;
    a.severity = SEV_CRITICAL;
    assert_int_equal(s->ops->alert(s, &a), 0);
    alert_release(&a);
    assert_int_equal(s->ops->commit(s), 0);
    s->ops->close(s);

    FILE *fp = fopen(t.eve, "r");
    assert_non_null(fp);
    char line[8192];
    int n = 0;
    long long sev[2] = {0, 0};
    while (fgets(line, sizeof(line), fp)) {
        json_error_t err;
        json_t *o = json_loads(line, 0, &err);
        assert_non_null(o);
        assert_string_equal(str_of(o, "event_type"), "alert");
        assert_true(n < 2);
        sev[n++] = json_integer_value(json_object_get(json_object_get(o, "alert"), "severity"));
        json_decref(o);
    }
    fclose(fp);
    assert_int_equal(n, 2);
    assert_int_equal(sev[0], 1); /* high and critical are both Suricata's 1 */
    assert_int_equal(sev[1], 1);
    tmpdir_remove(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tcp_event),    cmocka_unit_test(test_other_events),
        cmocka_unit_test(test_host_escaped), cmocka_unit_test(test_appends),
        cmocka_unit_test(test_stdout),       cmocka_unit_test(test_unwritable),
        cmocka_unit_test(test_disk_full),    cmocka_unit_test(test_schema_valid),
        cmocka_unit_test(test_alert_escalation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
