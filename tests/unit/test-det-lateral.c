/* test-det-lateral.c - lateral and remote_access through a real detection
 * stage: hand-made flows and app events in, alerts captured at the stage's
 * callback. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "decode/decode.h"
#include "det-test-util.h"
#include "detect/detect.h"
#include "detect/explain.h"
#include "util/netaddr.h"
#include "util/util.h"

#define S (1000000ull)
#define DAY (86400ull * S)
#define T0 (1795684500ull * S) /* 2026-11-26 09:15 UTC */

/* The flow id handed out next. */
static uint64_t next_id;

/* First raises only (no test here reads an update); a full capture drops the
 * rest. */
static void on_first_alert(void *arg, const struct alert *a)
{
    struct cap *c = arg;
    if ((a->update && !a->escalated) || c->n >= CAP_MAX)
        return;
    alert_copy(&c->a[c->n++], a);
}

/* The whole stage, every detector on: tests feed it detect_flow() and
 * detect_app_event(). */
static int fx_setup(void **state)
{
    setup(state);
    fx_open_cb(*state, NULL, NULL, on_first_alert);
    next_id = 1;
    return 0;
}

static int fx_teardown(void **state)
{
    fx_close(*state);
    return teardown(state);
}

static void mkflow(struct flow *f, const char *src, const char *dst, uint16_t dport,
                   const char *app, uint64_t ts, uint64_t up, uint64_t down)
{
    memset(f, 0, sizeof(*f));
    f->id = next_id++;
    f->proto = 6;
    assert_int_equal(ip_addr_parse(src, &f->src), 0);
    assert_int_equal(ip_addr_parse(dst, &f->dst), 0);
    f->sport = 50000;
    f->dport = dport;
    f->first_ts_us = ts;
    f->last_ts_us = ts + 5 * S;
    f->syn_seen[0] = f->synack_seen = true;
    f->data_bytes[0] = up;
    f->data_bytes[1] = down;
    snprintf(f->app_proto, sizeof(f->app_proto), "%s", app);
}

static unsigned count(const struct fx *f, const char *cat, const char *variant, const char *sev)
{
    unsigned n = 0;
    for (unsigned i = 0; i < f->cap.n; i++) {
        const struct alert *a = &f->cap.a[i];
        const char *v = json_string_value(json_object_get(a->facts, "variant"));
        if (strcmp(a->category, cat) == 0 && (!variant || (v && strcmp(v, variant) == 0)) &&
            (!sev || strcmp(alert_severity_name(a->severity), sev) == 0))
            n++;
    }
    return n;
}

static void smb_event(struct fx *fx, const struct flow *f, uint64_t ts, const char *json,
                      const char *extra)
{
    json_error_t err;
    json_t *body = json_loads(json, 0, &err);
    json_t *ex = extra ? json_loads(extra, 0, &err) : NULL;
    assert_non_null(body);
    struct app_event ev = {.type = "smb", .f = f, .ts_us = ts, .app_proto = "smb",
                           .body = body, .extra = ex};
    detect_app_event(fx->d, &ev);
    json_decref(body);
    json_decref(ex);
}

/* ADMIN$ + a program written = PsExec, high; the same path the next day is
 * medium (psexec_known). */
static void test_psexec_baseline(void **state)
{
    struct fx *fx = *state;
    for (int day = 0; day < 2; day++) {
        uint64_t t = T0 + (uint64_t)day * DAY;
        struct flow f;
        mkflow(&f, "192.168.1.31", "192.168.1.10", 445, "smb", t, 80000, 3000);
        smb_event(fx, &f, t,
                  "{\"command\":\"SMB2_COMMAND_TREE_CONNECT\",\"share\":\"\\\\\\\\dc1\\\\ADMIN$\","
                  "\"status\":\"STATUS_SUCCESS\"}",
                  NULL);
        assert_int_equal(count(fx, "lateral", NULL, NULL), (unsigned)day);
        smb_event(fx, &f, t + S,
                  "{\"command\":\"SMB2_COMMAND_CREATE\",\"share\":\"ADMIN$\","
                  "\"filename\":\"PSEXESVC.exe\",\"status\":\"STATUS_SUCCESS\"}",
                  "{\"write\":true}");
        detect_flow(fx->d, &f);
    }
    assert_int_equal(count(fx, "lateral", "psexec", "high"), 1);
    assert_int_equal(count(fx, "lateral", "psexec_known", "medium"), 1);
    char out[1024];
    explain_render(&fx->cap.a[0], EXPLAIN_TITLE, LANG_EN, out, sizeof(out));
    assert_non_null(strstr(out, "192.168.1.10"));
}

/* DoublePulsar on two targets: high, then the same alert escalated to
 * critical (sent again at the next flush). */
static void test_exploit(void **state)
{
    struct fx *fx = *state;
    const char *dsts[] = {"192.168.116.138", "192.168.116.143"};
    for (int i = 0; i < 2; i++) {
        struct flow f;
        mkflow(&f, "192.168.116.149", dsts[i], 445, "smb", T0 + (uint64_t)i * S, 9000, 900);
        smb_event(fx, &f, T0 + (uint64_t)i * S,
                  "{\"command\":\"SMB1_COMMAND_TRANS2\",\"subcmd\":\"0x000e\"}",
                  "{\"doublepulsar\":true}");
    }
    assert_int_equal(count(fx, "lateral", "exploit", "high"), 1);
    assert_int_equal(count(fx, "lateral", "exploit", "critical"), 0);
    detect_flush(fx->d);
    assert_int_equal(count(fx, "lateral", "exploit", "critical"), 1);
    const struct alert *last = &fx->cap.a[fx->cap.n - 1];
    assert_true(last->update && last->escalated);
    assert_string_equal(last->key, fx->cap.a[0].key);
    assert_int_equal(json_integer_value(json_object_get(last->facts, "ntargets")), 2);
}

/* Fan-out: 5 new targets within minutes = spread (high); a backup server
 * pulling megabytes from 10 PCs is not. */
static void test_spread_and_backup(void **state)
{
    struct fx *fx = *state;
    char ip[32];
    for (int i = 0; i < 10; i++) {
        struct flow f;
        snprintf(ip, sizeof(ip), "192.168.1.%d", 100 + i);
        mkflow(&f, "192.168.1.20", ip, 445, "smb", T0 + (uint64_t)i * 10 * S, 20000, 50000000);
        detect_flow(fx->d, &f);
    }
    assert_int_equal(count(fx, "lateral", NULL, NULL), 0);
    for (int i = 0; i < 5; i++) {
        struct flow f;
        snprintf(ip, sizeof(ip), "192.168.1.%d", 100 + i);
        mkflow(&f, "192.168.1.55", ip, 445, "smb", T0 + (uint64_t)i * 20 * S, 40000, 2000);
        detect_flow(fx->d, &f);
    }
    assert_int_equal(count(fx, "lateral", "spread", "high"), 1);
}

/* Internal RDP: medium on a new path, silent on the next days. Inbound RDP
 * from the Internet: remote_access high. AnyDesk: medium. Tor: medium. */
static void test_rdp_and_remote(void **state)
{
    struct fx *fx = *state;
    for (int day = 0; day < 3; day++) {
        struct flow f;
        mkflow(&f, "192.168.1.40", "192.168.1.10", 3389, "rdp", T0 + (uint64_t)day * DAY,
               50000, 900000);
        detect_flow(fx->d, &f);
    }
    assert_int_equal(count(fx, "lateral", "rdp", "medium"), 1);
    struct flow f;
    mkflow(&f, "203.0.113.9", "192.168.1.40", 3389, "rdp", T0, 5000, 9000);
    detect_flow(fx->d, &f);
    assert_int_equal(count(fx, "remote_access", "inbound", "high"), 1);
    mkflow(&f, "192.168.1.41", "198.51.100.7", 443, "anydesk", T0, 5000, 90000);
    detect_flow(fx->d, &f);
    assert_int_equal(count(fx, "remote_access", "tool", "medium"), 1);
    mkflow(&f, "192.168.1.42", "198.51.100.8", 9001, "tor", T0, 5000, 9000);
    detect_flow(fx->d, &f);
    assert_int_equal(count(fx, "tor", NULL, "medium"), 1);
    /* an Internet scanner's SYN to 3389: nothing */
    mkflow(&f, "203.0.113.10", "192.168.1.43", 3389, "", T0, 0, 0);
    detect_flow(fx->d, &f);
    assert_int_equal(count(fx, "remote_access", NULL, NULL), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_psexec_baseline, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_exploit, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_spread_and_backup, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_rdp_and_remote, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
