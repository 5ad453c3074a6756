/* test-det-device.c - the five device detectors, fed hand-made inventory
 * events through a real detection stage (detect_raise's de-duplication
 * included), alerts captured at the stage's callback. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "decode/decode.h"
#define CAP_MAX 32
#include "det-test-util.h"
#include "detect/detect.h"
#include "detect/explain.h"
#include "inventory/known.h"
#include "util/netaddr.h"
#include "util/util.h"

#define S (1000000ull)
#define DAY (86400ull * S)
/* 2026-11-26 09:15:00 UTC */
#define T0 (1795684500ull * S)

/* A device as the inventory would hand it over, with its own IP array. */
struct tdev {
    struct device dev;
    struct inv_ip ips[INV_MAX_IPS];
};

static void tdev_init(struct tdev *t, const char *mac, const char *ip, uint64_t first_us)
{
    memset(t, 0, sizeof(*t));
    assert_int_equal(mac_parse(mac, t->dev.mac), 0);
    t->dev.nmacs = 1;
    memcpy(t->dev.macs[0].mac, t->dev.mac, 6);
    t->dev.macs[0].first_us = first_us;
    t->dev.macs[0].last_us = first_us;
    t->dev.first_us = t->dev.last_us = first_us;
    t->dev.ips = t->ips;
    snprintf(t->dev.vendor, sizeof(t->dev.vendor), "%s", "Dell Inc.");
    snprintf(t->dev.hostname, sizeof(t->dev.hostname), "%s", "SOUMU-PC01");
    snprintf(t->dev.os.os, sizeof(t->dev.os.os), "%s", "Windows 10/11");
    if (ip) {
        assert_int_equal(ip_addr_parse(ip, &t->ips[0].ip), 0);
        t->ips[0].first_us = t->ips[0].last_us = first_us;
        t->dev.nips = 1;
    }
}

static void tdev_add_ip(struct tdev *t, const char *ip, uint64_t last_us)
{
    struct inv_ip *e = &t->ips[t->dev.nips++];
    assert_int_equal(ip_addr_parse(ip, &e->ip), 0);
    e->first_us = e->last_us = last_us;
}

static void fx_event(struct fx *f, const struct inv_event *ev)
{
    f->ops->inv_event(f->st, ev);
}

static void assert_src(const struct alert *a, const char *ip)
{
    char buf[64];
    assert_true(a->has_src);
    ip_addr_fmt(&a->src, buf, sizeof(buf));
    assert_string_equal(buf, ip);
}

/* What every alert of these tests must satisfy: a key, a MAC, and texts that
 * render with no "?" in either language (the devices here have every fact),
 * with only facts explain-texts.c documents (plus evidence facts). */
static void check_alert(const struct alert *a)
{
    static const char *const documented[] = {
        "variant", "vendor", "hostname", "os", "ip", "type", "router", "other_mac",
        "other_device", "how", "per_min", "days", "last_seen", "what", "evidence",
        "service", "port", "proto", "app_proto",
    };
    assert_true(a->key[0] != '\0');
    assert_true(a->has_mac);
    check_facts_documented(a, documented, ARRAY_SIZE(documented));
    check_texts(a);
}

/* ---------------- device.new ---------------- */

static void new_event(struct inv_event *ev, struct tdev *t, uint64_t ts)
{
    memset(ev, 0, sizeof(*ev));
    ev->kind = INV_DEVICE_NEW;
    ev->ts_us = ts;
    ev->dev = &t->dev;
}

static void test_new_without_list(void **state)
{
    struct fx *f = *state;
    struct tdev t;
    struct inv_event ev;
    fx_open(f, &det_device_new);
    tdev_init(&t, "f8:bc:12:8b:7c:36", "192.168.1.23", T0);
    tdev_add_ip(&t, "fe80::1", T0 + 5 * S); /* newer, but IPv4 is what owners find */
    new_event(&ev, &t, T0 + 60 * S);
    ev.flow_id = 42;
    fx_event(f, &ev);
    assert_int_equal(f->cap.n, 1);
    const struct alert *a = &f->cap.a[0];
    check_alert(a);
    assert_string_equal(a->category, "device.new");
    assert_int_equal(a->severity, SEV_LOW); /* no list: an inventory, not a warning */
    assert_string_equal(a->key, "device.new|f8:bc:12:8b:7c:36");
    assert_src(a, "192.168.1.23");
    assert_int_equal(a->nflows, 1);
    assert_int_equal(a->flow_ids[0], 42);
    assert_string_equal(a->device, "SOUMU-PC01");
    assert_string_equal(fact_str(a, "vendor"), "Dell Inc.");
    assert_string_equal(fact_str(a, "hostname"), "SOUMU-PC01");
    assert_string_equal(fact_str(a, "os"), "Windows 10/11");
    assert_string_equal(fact_str(a, "ip"), "192.168.1.23");
    assert_null(fact_str(a, "variant"));

    /* Once per device: a second event only counts. */
    fx_event(f, &ev);
    assert_int_equal(f->cap.nfirst, 1);
    fx_close(f);

    /* Other events are not this detector's business. */
    fx_open(f, &det_device_new);
    ev.kind = INV_DEVICE_RETURNED;
    fx_event(f, &ev);
    ev.kind = INV_SERVICE_NEW;
    fx_event(f, &ev);
    assert_int_equal(f->cap.n, 0);
    fx_close(f);
}

static void test_new_with_list(void **state)
{
    struct fx *f = *state;
    struct known_list kl;
    char err[128];
    uint8_t known_mac[6], second[6];
    struct tdev t;
    struct inv_event ev;
    known_init(&kl);

    /* An empty list (nobody curates it yet): still low. */
    fx_open_cb(f, &det_device_new, &kl, on_alert);
    tdev_init(&t, "f8:bc:12:8b:7c:36", "192.168.1.23", T0);
    new_event(&ev, &t, T0 + 60 * S);
    fx_event(f, &ev);
    assert_int_equal(f->cap.n, 1);
    assert_int_equal(f->cap.a[0].severity, SEV_LOW);
    fx_close(f);

    assert_int_equal(mac_parse("00:11:22:33:44:55", known_mac), 0);
    assert_int_equal(known_upsert(&kl, known_mac, "総務PC01", "佐藤", NULL, err, sizeof(err)),
                     0);

    /* A curated list without this device: medium. */
    fx_open_cb(f, &det_device_new, &kl, on_alert);
    fx_event(f, &ev);
    assert_int_equal(f->cap.n, 1);
    assert_int_equal(f->cap.a[0].severity, SEV_MEDIUM);
    check_alert(&f->cap.a[0]);
    fx_close(f);

    /* Its primary MAC on the list: nothing. */
    fx_open_cb(f, &det_device_new, &kl, on_alert);
    tdev_init(&t, "00:11:22:33:44:55", "192.168.1.30", T0);
    new_event(&ev, &t, T0 + 60 * S);
    fx_event(f, &ev);
    assert_int_equal(f->cap.n, 0);
    fx_close(f);

    /* Only a grouped (second) MAC on the list: still known, nothing. */
    fx_open_cb(f, &det_device_new, &kl, on_alert);
    tdev_init(&t, "9a:11:22:33:44:66", "192.168.1.31", T0);
    assert_int_equal(mac_parse("00:11:22:33:44:55", second), 0);
    memcpy(t.dev.macs[1].mac, second, 6);
    t.dev.nmacs = 2;
    new_event(&ev, &t, T0 + 60 * S);
    fx_event(f, &ev);
    assert_int_equal(f->cap.n, 0);
    fx_close(f);
    known_free(&kl);
}

static void test_new_randomized_and_router(void **state)
{
    struct fx *f = *state;
    struct tdev t, r;
    struct inv_event ev;
    fx_open(f, &det_device_new);
    tdev_init(&t, "9a:3f:10:22:33:44", "192.168.1.50", T0);
    t.dev.randomized = true;
    new_event(&ev, &t, T0 + 60 * S);
    fx_event(f, &ev);
    assert_int_equal(f->cap.n, 1);
    assert_string_equal(fact_str(&f->cap.a[0], "variant"), "randomized");
    check_alert(&f->cap.a[0]);

    /* A new router is news too. */
    tdev_init(&r, "00:1a:2b:3c:4d:5e", "192.168.1.1", T0);
    r.dev.is_router = true;
    new_event(&ev, &r, T0 + 60 * S);
    fx_event(f, &ev);
    assert_int_equal(f->cap.n, 2);
    assert_string_equal(f->cap.a[1].key, "device.new|00:1a:2b:3c:4d:5e");
    assert_int_equal(fact_int(&f->cap.a[1], "router"), 1);

    /* No address known: no source, and still an alert. */
    struct tdev n;
    tdev_init(&n, "00:1a:2b:3c:4d:60", NULL, T0);
    new_event(&ev, &n, T0 + 60 * S);
    fx_event(f, &ev);
    assert_int_equal(f->cap.n, 3);
    assert_false(f->cap.a[2].has_src);
    fx_close(f);
}

/* ---------------- device.ip_conflict / device.arp_spoof ---------------- */

static void moved(struct inv_event *ev, struct tdev *to, const struct tdev *from, const char *ip,
                  uint64_t ts, uint64_t gap)
{
    memset(ev, 0, sizeof(*ev));
    ev->kind = INV_IP_MOVED;
    ev->ts_us = ts;
    ev->dev = &to->dev;
    ev->other = &from->dev;
    assert_int_equal(ip_addr_parse(ip, &ev->ip), 0);
    ev->gap_us = gap;
    ev->from_arp = true;
    ev->count = 1;
}

static void test_gateway_spoof(void **state)
{
    struct fx *f = *state;
    struct tdev gw, evil;
    struct inv_event ev;
    tdev_init(&gw, "00:1a:2b:3c:4d:5e", "192.168.1.1", T0);
    gw.dev.is_router = true;
    snprintf(gw.dev.hostname, sizeof(gw.dev.hostname), "%s", "router");
    tdev_init(&evil, "de:ad:be:ef:00:01", "192.168.1.66", T0);
    snprintf(evil.dev.hostname, sizeof(evil.dev.hostname), "%s", "kali");

    fx_open(f, &det_device_arp);
    /* The router spoke 2 s ago: someone else claims its address. */
    moved(&ev, &evil, &gw, "192.168.1.1", T0 + 100 * S, 2 * S);
    ev.is_gateway_ip = true;
    ev.flow_id = 9;
    fx_event(f, &ev);
    assert_int_equal(f->cap.n, 1);
    const struct alert *a = &f->cap.a[0];
    check_alert(a);
    assert_string_equal(a->category, "device.arp_spoof");
    assert_string_equal(fact_str(a, "variant"), "gateway");
    assert_int_equal(a->severity, SEV_HIGH);
    assert_string_equal(a->key, "device.arp_spoof|gw|192.168.1.1|de:ad:be:ef:00:01");
    assert_src(a, "192.168.1.1");
    assert_string_equal(a->device, "kali");
    assert_string_equal(fact_str(a, "other_mac"), "00:1a:2b:3c:4d:5e");
    assert_int_equal(a->flow_ids[0], 9);

    /* The router takes it back (flip-flop): still the impostor's alert, an
     * update, never an alert naming the router. */
    moved(&ev, &gw, &evil, "192.168.1.1", T0 + 101 * S, 1 * S);
    ev.is_gateway_ip = true;
    fx_event(f, &ev);
    assert_int_equal(f->cap.n, 1);
    detect_flush(f->d);
    assert_int_equal(f->cap.n, 2);
    assert_true(f->cap.a[1].update);
    assert_string_equal(f->cap.a[1].key, "device.arp_spoof|gw|192.168.1.1|de:ad:be:ef:00:01");
    fx_close(f);

    /* Without the router flag on either side the flip-flop alone says who
     * reclaims the address. */
    gw.dev.is_router = false;
    fx_open(f, &det_device_arp);
    moved(&ev, &evil, &gw, "192.168.1.1", T0 + 100 * S, 2 * S);
    ev.is_gateway_ip = true;
    fx_event(f, &ev);
    moved(&ev, &gw, &evil, "192.168.1.1", T0 + 101 * S, 1 * S);
    ev.is_gateway_ip = true;
    fx_event(f, &ev);
    assert_int_equal(f->cap.nfirst, 1);
    assert_string_equal(f->cap.a[0].key, "device.arp_spoof|gw|192.168.1.1|de:ad:be:ef:00:01");
    fx_close(f);
    gw.dev.is_router = true;

    /* Started in the middle of it: the first move we see is the router
     * taking its address back; the router flag names the impostor. */
    fx_open(f, &det_device_arp);
    moved(&ev, &gw, &evil, "192.168.1.1", T0 + 100 * S, 1 * S);
    ev.is_gateway_ip = true;
    fx_event(f, &ev);
    assert_int_equal(f->cap.n, 1);
    assert_string_equal(f->cap.a[0].key, "device.arp_spoof|gw|192.168.1.1|de:ad:be:ef:00:01");
    assert_string_equal(f->cap.a[0].device, "kali");
    fx_close(f);

    /* Router replaced: the old one silent for longer than the window. */
    fx_open(f, &det_device_arp);
    moved(&ev, &evil, &gw, "192.168.1.1", T0 + 100 * S,
          (uint64_t)f->cfg.ip_conflict_window_s * S + 1);
    ev.is_gateway_ip = true;
    fx_event(f, &ev);
    assert_int_equal(f->cap.n, 0);
    /* Exactly at the window: still a claim (pins > vs >=). */
    moved(&ev, &evil, &gw, "192.168.1.1", T0 + 200 * S,
          (uint64_t)f->cfg.ip_conflict_window_s * S);
    ev.is_gateway_ip = true;
    fx_event(f, &ev);
    assert_int_equal(f->cap.n, 1);
    fx_close(f);
}

static void test_ip_conflict(void **state)
{
    struct fx *f = *state;
    struct tdev a1, b1;
    struct inv_event ev;
    tdev_init(&a1, "00:00:00:00:00:0b", "192.168.1.40", T0);
    tdev_init(&b1, "00:00:00:00:00:0a", "192.168.1.40", T0);
    b1.dev.hostname[0] = '\0'; /* unnamed: other_device falls back to its MAC */

    fx_open(f, &det_device_arp);
    moved(&ev, &a1, &b1, "192.168.1.40", T0 + 100 * S, 30 * S);
    fx_event(f, &ev);
    assert_int_equal(f->cap.n, 1);
    const struct alert *a = &f->cap.a[0];
    check_alert(a);
    assert_string_equal(a->category, "device.ip_conflict");
    assert_int_equal(a->severity, SEV_MEDIUM);
    /* The pair sorted: A->B and B->A are one alert. */
    assert_string_equal(a->key, "device.ip_conflict|192.168.1.40|00:00:00:00:00:0a|"
                                "00:00:00:00:00:0b");
    assert_src(a, "192.168.1.40");
    assert_string_equal(fact_str(a, "other_device"), "00:00:00:00:00:0a");
    assert_string_equal(fact_str(a, "ip"), "192.168.1.40");
    fx_close(f);

    /* Nothing when: the old holder was silent for longer than the window,
     * DHCP handed the address over, or the old holder has moved on to
     * another address, or there is no old holder / it is the same device. */
    fx_open(f, &det_device_arp);
    moved(&ev, &a1, &b1, "192.168.1.40", T0 + 100 * S, 3600 * S);
    fx_event(f, &ev);
    moved(&ev, &a1, &b1, "192.168.1.40", T0 + 200 * S, 30 * S);
    ev.dhcp_assigned = true;
    ev.from_arp = false;
    fx_event(f, &ev);
    struct tdev c;
    tdev_init(&c, "00:00:00:00:00:0c", "192.168.1.41", T0);
    c.ips[0].last_us = T0 + 270 * S;
    tdev_add_ip(&c, "192.168.1.42", T0 + 290 * S); /* its new address, used since */
    moved(&ev, &a1, &c, "192.168.1.41", T0 + 300 * S, 30 * S);
    fx_event(f, &ev);
    moved(&ev, &a1, &a1, "192.168.1.40", T0 + 300 * S, 1 * S);
    fx_event(f, &ev);
    ev.other = NULL;
    fx_event(f, &ev);
    assert_int_equal(f->cap.n, 0);
    fx_close(f);
}

static void test_flip_flop(void **state)
{
    struct fx *f = *state;
    struct tdev a1, b1;
    struct inv_event ev;
    tdev_init(&a1, "00:00:00:00:00:0a", "192.168.1.40", T0);
    tdev_init(&b1, "00:00:00:00:00:0b", "192.168.1.40", T0);

    fx_open(f, &det_device_arp);
    moved(&ev, &b1, &a1, "192.168.1.40", T0 + 100 * S, 10 * S);
    fx_event(f, &ev);
    assert_int_equal(f->cap.nfirst, 1);
    assert_string_equal(f->cap.a[0].category, "device.ip_conflict");
    /* ... and back within the window: a flip-flop. Two devices with one
     * fixed address flip all the time: still the one conflict, counted. */
    moved(&ev, &a1, &b1, "192.168.1.40", T0 + 110 * S, 10 * S);
    fx_event(f, &ev);
    assert_int_equal(f->cap.nfirst, 1);
    assert_string_equal(f->cap.a[0].key, "device.ip_conflict|192.168.1.40|00:00:00:00:00:0a|"
                                         "00:00:00:00:00:0b");
    /* ... and forth again: the same alert counts up. */
    moved(&ev, &b1, &a1, "192.168.1.40", T0 + 120 * S, 10 * S);
    fx_event(f, &ev);
    assert_int_equal(f->cap.nfirst, 1);
    fx_close(f);

    /* Back after longer than the window: not a flip-flop, a conflict. */
    fx_open(f, &det_device_arp);
    moved(&ev, &b1, &a1, "192.168.1.40", T0 + 100 * S, 10 * S);
    fx_event(f, &ev);
    moved(&ev, &a1, &b1, "192.168.1.40",
          T0 + 100 * S + (uint64_t)f->cfg.ip_conflict_window_s * S + S, 10 * S);
    fx_event(f, &ev);
    assert_int_equal(f->cap.nfirst, 1);
    assert_string_equal(f->cap.a[0].category, "device.ip_conflict");
    fx_close(f);
}

static void gratuitous(struct inv_event *ev, struct tdev *t, uint64_t ts, uint32_t count)
{
    memset(ev, 0, sizeof(*ev));
    ev->kind = INV_ARP_GRATUITOUS;
    ev->ts_us = ts;
    ev->dev = &t->dev;
    ev->ip = t->ips[0].ip;
    ev->gratuitous = true;
    ev->count = count;
}

static void test_gratuitous_storm(void **state)
{
    struct fx *f = *state;
    struct tdev t;
    struct inv_event ev;
    tdev_init(&t, "de:ad:be:ef:00:02", "192.168.1.77", T0);
    fx_open(f, &det_device_arp);
    uint32_t thr = f->cfg.gratuitous_arp_per_min;
    /* Below the threshold (pins >=): nothing. */
    for (uint32_t i = 1; i < thr; i++) {
        gratuitous(&ev, &t, T0 + i * 100000, i);
        fx_event(f, &ev);
    }
    assert_int_equal(f->cap.n, 0);
    gratuitous(&ev, &t, T0 + 5 * S, thr);
    fx_event(f, &ev);
    assert_int_equal(f->cap.n, 1);
    const struct alert *a = &f->cap.a[0];
    check_alert(a);
    assert_string_equal(fact_str(a, "variant"), "storm");
    assert_int_equal(a->severity, SEV_MEDIUM);
    assert_string_equal(a->key, "device.arp_spoof|storm|de:ad:be:ef:00:02|2026-11-26");
    assert_int_equal(fact_int(a, "per_min"), thr);
    assert_src(a, "192.168.1.77");
    /* The rest of the minute adds nothing. */
    for (uint32_t i = thr + 1; i < thr + 50; i++) {
        gratuitous(&ev, &t, T0 + 6 * S, i);
        fx_event(f, &ev);
    }
    detect_flush(f->d);
    assert_int_equal(f->cap.n, 1);
    /* Next minute: the same alert, one more storm minute. */
    gratuitous(&ev, &t, T0 + 65 * S, thr);
    fx_event(f, &ev);
    detect_flush(f->d);
    assert_int_equal(f->cap.n, 2);
    assert_true(f->cap.a[1].update);
    assert_int_equal(f->cap.a[1].count, 1);
    /* Next day: a new alert. */
    gratuitous(&ev, &t, T0 + DAY, thr);
    fx_event(f, &ev);
    assert_int_equal(f->cap.nfirst, 2);
    assert_string_equal(f->cap.a[2].key, "device.arp_spoof|storm|de:ad:be:ef:00:02|2026-11-27");
    fx_close(f);
}

/* ---------------- device.returned ---------------- */

static void test_returned(void **state)
{
    struct fx *f = *state;
    struct tdev t;
    struct inv_event ev = {0};
    tdev_init(&t, "f8:bc:12:8b:7c:36", "192.168.1.23", T0 - 200 * DAY);
    fx_open(f, &det_device_returned);
    ev.kind = INV_DEVICE_RETURNED;
    ev.ts_us = T0;
    ev.dev = &t.dev;
    ev.gap_us = 45 * DAY + 23 * 3600 * S; /* 45.96 days: whole days are 45 */
    ev.flow_id = 3;
    fx_event(f, &ev);
    assert_int_equal(f->cap.n, 1);
    const struct alert *a = &f->cap.a[0];
    check_alert(a);
    assert_string_equal(a->category, "device.returned");
    assert_int_equal(a->severity, SEV_MEDIUM);
    assert_int_equal(fact_int(a, "days"), 45);
    /* T0 - 45 d 23 h = 2026-10-11 10:15 UTC */
    assert_string_equal(fact_str(a, "last_seen"), "2026-10-11");
    assert_string_equal(a->key, "device.returned|f8:bc:12:8b:7c:36|2026-11-26");
    assert_src(a, "192.168.1.23");
    assert_int_equal(a->flow_ids[0], 3);
    /* The same day again: one alert. Another day: another. */
    ev.ts_us = T0 + 3600 * S;
    fx_event(f, &ev);
    assert_int_equal(f->cap.nfirst, 1);
    ev.ts_us = T0 + 40 * DAY;
    fx_event(f, &ev);
    assert_int_equal(f->cap.nfirst, 2);
    /* Other events: nothing. */
    ev.kind = INV_DEVICE_NEW;
    ev.ts_us = T0 + 80 * DAY;
    fx_event(f, &ev);
    assert_int_equal(f->cap.nfirst, 2);
    fx_close(f);
}

/* ---------------- device.legacy_os ---------------- */

static void evidence(struct inv_evidence *e, enum os_ev_kind kind, const char *value,
                     const char *what)
{
    memset(e, 0, sizeof(*e));
    e->kind = (uint8_t)kind;
    snprintf(e->value, sizeof(e->value), "%s", value);
    if (what) {
        e->hint.legacy = true;
        snprintf(e->hint.legacy_what, sizeof(e->hint.legacy_what), "%s", what);
    }
}

static void test_legacy_os(void **state)
{
    struct fx *f = *state;
    struct tdev t;
    struct inv_evidence e;
    struct inv_event ev = {0};
    tdev_init(&t, "00:0c:29:aa:bb:cc", "192.168.1.90", T0);
    snprintf(t.dev.os.os, sizeof(t.dev.os.os), "%s", "Windows 7");
    fx_open(f, &det_device_legacy_os);
    ev.kind = INV_EVIDENCE;
    ev.ts_us = T0 + S;
    ev.dev = &t.dev;
    ev.ev = &e;

    /* Protocol evidence (SMBv1, SSH, TLS) is legacy.protocol's: nothing
     * here. */
    evidence(&e, OSE_SMB_DIALECT, "NT LM 0.12", "SMBv1");
    fx_event(f, &ev);
    evidence(&e, OSE_SSH_BANNER, "1.5-OpenSSH_3.9p1", "SSH protocol 1");
    fx_event(f, &ev);
    evidence(&e, OSE_TLS_VERSION, "TLS 1.0", "TLS 1.0");
    fx_event(f, &ev);
    assert_int_equal(f->cap.n, 0);

    static const struct {
        enum os_ev_kind kind;
        const char *value, *what, *variant;
        uint8_t sev;
    } cases[] = {
        {OSE_NTLM_VERSION, "6.1 build 7601", "Windows 7", "os", SEV_MEDIUM},
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        evidence(&e, cases[i].kind, cases[i].value, cases[i].what);
        fx_event(f, &ev);
        assert_int_equal(f->cap.n, i + 1);
        const struct alert *a = &f->cap.a[i];
        check_alert(a);
        assert_string_equal(a->category, "device.legacy_os");
        assert_string_equal(fact_str(a, "variant"), cases[i].variant);
        assert_int_equal(a->severity, cases[i].sev);
        assert_string_equal(fact_str(a, "what"), cases[i].what);
        char want[256];
        snprintf(want, sizeof(want), "%s: %s", osguess_kind_name(cases[i].kind), cases[i].value);
        assert_string_equal(fact_str(a, "evidence"), want);
        snprintf(want, sizeof(want), "device.legacy_os|00:0c:29:aa:bb:cc|%s", cases[i].variant);
        assert_string_equal(a->key, want);
        assert_src(a, "192.168.1.90");
    }
    /* The same thing again from other evidence: no new alert; nor another
     * old OS name for the same device (one old PC, one alert). */
    evidence(&e, OSE_SMB_NATIVE_OS, "Windows 7 Professional 7601 Service Pack 1", "Windows 7");
    fx_event(f, &ev);
    evidence(&e, OSE_HTTP_UA, "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1)", "Windows XP");
    fx_event(f, &ev);
    assert_int_equal(f->cap.nfirst, ARRAY_SIZE(cases));
    /* Evidence that is not legacy: nothing. */
    evidence(&e, OSE_SMB_DIALECT, "3.1.1", NULL);
    fx_event(f, &ev);
    evidence(&e, OSE_TLS_VERSION, "TLS 1.3", NULL);
    fx_event(f, &ev);
    ev.ev = NULL;
    fx_event(f, &ev);
    assert_int_equal(f->cap.nfirst, ARRAY_SIZE(cases));
    fx_close(f);
}

/* ---------------- device.new_service ---------------- */

static void service(struct inv_event *ev, struct inv_service *svc, struct tdev *t, uint64_t ts,
                    uint8_t proto, uint16_t port, const char *app)
{
    memset(ev, 0, sizeof(*ev));
    memset(svc, 0, sizeof(*svc));
    svc->proto = proto;
    svc->port = port;
    snprintf(svc->app_proto, sizeof(svc->app_proto), "%s", app ? app : "");
    svc->first_us = svc->last_us = ts;
    ev->kind = INV_SERVICE_NEW;
    ev->ts_us = ts;
    ev->dev = &t->dev;
    ev->svc = svc;
}

static void test_new_service(void **state)
{
    struct fx *f = *state;
    struct tdev t;
    struct inv_service svc;
    struct inv_event ev;
    tdev_init(&t, "f8:bc:12:8b:7c:36", "192.168.1.23", T0);
    fx_open(f, &det_device_new_service);
    uint64_t learned = T0 + (uint64_t)f->cfg.service_learning_s * S;

    /* Still learning (pins <): its baseline. */
    service(&ev, &svc, &t, learned - 1, 6, 3389, "rdp");
    fx_event(f, &ev);
    assert_int_equal(f->cap.n, 0);

    static const struct {
        uint8_t proto;
        uint16_t port;
        const char *app, *variant, *service;
        uint8_t sev;
    } yes[] = {
        {6, 3389, "rdp", "remote", "RDP", SEV_MEDIUM},
        {6, 22, "ssh", "remote", "SSH", SEV_MEDIUM},
        {6, 23, NULL, "remote", "Telnet", SEV_MEDIUM},
        {6, 5903, NULL, "remote", "VNC", SEV_MEDIUM},
        {6, 5986, NULL, "remote", "WinRM", SEV_MEDIUM},
        {6, 445, "smb", "share", "SMB", SEV_LOW},
        {6, 139, NULL, "share", "NetBIOS/SMB", SEV_LOW},
        {6, 2049, NULL, "share", "NFS", SEV_LOW},
        {6, 548, NULL, "share", "AFP", SEV_LOW},
        {6, 8080, "http", NULL, "HTTP", SEV_LOW},
        {6, 1433, NULL, NULL, "SQL Server", SEV_LOW},
        {6, 1023, NULL, NULL, "TCP/1023", SEV_LOW},   /* any TCP port below 1024 */
        {6, 631, "ipp", NULL, "ipp", SEV_LOW},        /* unnamed: what answered */
        {17, 161, NULL, NULL, "SNMP", SEV_LOW},
        {17, 69, NULL, NULL, "TFTP", SEV_LOW},
    };
    for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
        service(&ev, &svc, &t, learned, yes[i].proto, yes[i].port, yes[i].app);
        ev.flow_id = 100 + i;
        fx_event(f, &ev);
        assert_int_equal(f->cap.n, i + 1);
        const struct alert *a = &f->cap.a[i];
        check_alert(a);
        assert_string_equal(a->category, "device.new_service");
        if (yes[i].variant)
            assert_string_equal(fact_str(a, "variant"), yes[i].variant);
        else
            assert_null(fact_str(a, "variant"));
        assert_int_equal(a->severity, yes[i].sev);
        assert_string_equal(fact_str(a, "service"), yes[i].service);
        assert_int_equal(fact_int(a, "port"), yes[i].port);
        assert_string_equal(fact_str(a, "proto"), yes[i].proto == 6 ? "TCP" : "UDP");
        char want[96];
        snprintf(want, sizeof(want), "device.new_service|f8:bc:12:8b:7c:36|%s/%u",
                 yes[i].proto == 6 ? "tcp" : "udp", yes[i].port);
        assert_string_equal(a->key, want);
        assert_src(a, "192.168.1.23");
        assert_int_equal(a->flow_ids[0], 100 + i);
    }
    unsigned n = f->cap.n;
    /* Ports that do not matter: high TCP ports not in the list (pins 1024),
     * UDP that every PC answers on, other protocols. */
    static const struct {
        uint8_t proto;
        uint16_t port;
    } no[] = {{6, 1024}, {6, 49152}, {6, 5904}, {6, 0}, {17, 1900}, {17, 137}, {17, 5353},
              {17, 53}, {1, 0}};
    for (size_t i = 0; i < ARRAY_SIZE(no); i++) {
        service(&ev, &svc, &t, learned + S, no[i].proto, no[i].port, NULL);
        fx_event(f, &ev);
    }
    assert_int_equal(f->cap.n, n);
    /* A device whose first sighting is after the event (clock skew). */
    t.dev.first_us = learned + DAY;
    service(&ev, &svc, &t, learned + S, 6, 21, NULL);
    fx_event(f, &ev);
    assert_int_equal(f->cap.n, n);
    fx_close(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_new_without_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_new_with_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_new_randomized_and_router, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gateway_spoof, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ip_conflict, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flip_flop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gratuitous_storm, setup, teardown),
        cmocka_unit_test_setup_teardown(test_returned, setup, teardown),
        cmocka_unit_test_setup_teardown(test_legacy_os, setup, teardown),
        cmocka_unit_test_setup_teardown(test_new_service, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
