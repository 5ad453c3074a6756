/* test-inventory.c - the device inventory: which frames make devices, how
 * private MACs are grouped, address moves, routers, and the round trip
 * through the SQLite store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decode/decode.h"
#include "inventory/inventory.h"
#include "store/sink.h"
#include "store/store-inv.h"
#include "util/netaddr.h"
#include "util/util.h"

#define SEC 1000000ull
#define T0 (1764115200ull * SEC) /* 2025-11-26 00:00 UTC */

struct rec {
    struct inv_event ev[256];
    unsigned n;
};

static void rec_cb(void *arg, const struct inv_event *ev)
{
    struct rec *r = arg;
    if (r->n < 256)
        r->ev[r->n++] = *ev;
}

static unsigned rec_count(const struct rec *r, enum inv_event_kind k)
{
    unsigned n = 0;
    for (unsigned i = 0; i < r->n; i++)
        n += r->ev[i].kind == k;
    return n;
}

static struct inventory *new_inv(struct rec *r)
{
    struct inventory_config cfg;
    inventory_config_defaults(&cfg);
    memset(r, 0, sizeof(*r));
    return inventory_new(&cfg, NULL, rec_cb, r);
}

static void v4(struct ip_addr *a, const char *s)
{
    assert_int_equal(ip_addr_parse(s, a), 0);
}

static void mac(uint8_t m[6], const char *s)
{
    assert_int_equal(mac_parse(s, m), 0);
}

/* An IPv4/UDP frame as decode leaves it (only what the inventory reads). */
static void ip_pkt(struct packet *p, uint64_t ts, const char *smac, const char *dmac,
                   const char *src, const char *dst)
{
    memset(p, 0, sizeof(*p));
    p->ts_us = ts;
    p->wirelen = 100;
    p->has_eth = true;
    mac(p->src_mac, smac);
    mac(p->dst_mac, dmac);
    p->layer_count = 1;
    p->layers[0].ip_version = 4;
    p->layers[0].proto = 17;
    p->layers[0].ttl = 128;
    v4(&p->layers[0].src, src);
    v4(&p->layers[0].dst, dst);
}

static void arp_pkt(struct packet *p, uint64_t ts, const char *sha, const char *spa,
                    const char *tpa, uint16_t op)
{
    memset(p, 0, sizeof(*p));
    p->ts_us = ts;
    p->wirelen = 60;
    p->has_eth = true;
    mac(p->src_mac, sha);
    memset(p->dst_mac, 0xff, 6);
    p->has_arp = true;
    p->arp.op = op;
    mac(p->arp.sha, sha);
    struct ip_addr a;
    v4(&a, spa);
    memcpy(p->arp.spa, a.b + 12, 4);
    v4(&a, tpa);
    memcpy(p->arp.tpa, a.b + 12, 4);
}

/* A DHCP request event from client_mac with hostname and fingerprint. */
static void dhcp_request(struct inventory *inv, uint64_t ts, const char *cmac, const char *host,
                         const char *cid, const char *fp)
{
    struct flow f;
    memset(&f, 0, sizeof(f));
    f.id = 1;
    f.has_mac = true;
    mac(f.src_mac, cmac);
    memset(f.dst_mac, 0xff, 6);
    v4(&f.src, "0.0.0.0");
    v4(&f.dst, "255.255.255.255");
    json_t *body = json_pack("{s:s,s:s,s:s,s:s}", "type", "request", "client_mac", cmac,
                             "dhcp_type", "request", "hostname", host);
    if (cid)
        json_object_set_new(body, "client_id", json_string(cid));
    json_t *extra = json_pack("{s:s}", "param_request_list", fp);
    struct app_event ev = {.type = "dhcp", .f = &f, .ts_us = ts, .app_proto = "dhcp",
                           .body = body, .extra = extra};
    struct packet p;
    ip_pkt(&p, ts, cmac, "ff:ff:ff:ff:ff:ff", "0.0.0.0", "255.255.255.255");
    inventory_packet(inv, &p);
    inventory_app_event(inv, &ev);
    json_decref(body);
    json_decref(extra);
}

/* Only senders become devices: an ARP sweep of 256 addresses adds one
 * device (the scanner), not 256. */
static void test_arp_sweep_no_phantoms(void **state)
{
    (void)state;
    struct rec r;
    struct inventory *inv = new_inv(&r);
    struct packet p;
    for (int i = 1; i < 255; i++) {
        char tpa[20];
        snprintf(tpa, sizeof(tpa), "192.168.1.%d", i);
        arp_pkt(&p, T0 + (uint64_t)i * 1000, "00:11:22:33:44:55", "192.168.1.247", tpa, 1);
        inventory_packet(inv, &p);
    }
    assert_int_equal(inventory_count(inv), 1);
    inventory_finish(inv);
    assert_int_equal(rec_count(&r, INV_DEVICE_NEW), 1);
    inventory_free(inv);
}

/* Frames from outside addresses make a MAC a router, and its outside
 * addresses are not its own. A frame from a local address makes a device;
 * a multicast source MAC never does. */
static void test_router_and_locality(void **state)
{
    (void)state;
    struct rec r;
    struct inventory *inv = new_inv(&r);
    struct packet p;
    ip_pkt(&p, T0, "00:a0:de:00:00:01", "00:11:22:33:44:55", "192.168.1.1", "192.168.1.10");
    inventory_packet(inv, &p);
    for (int i = 0; i < 5; i++) {
        char src[20];
        snprintf(src, sizeof(src), "203.0.113.%d", i + 1);
        ip_pkt(&p, T0 + SEC, "00:a0:de:00:00:01", "00:11:22:33:44:55", src, "192.168.1.10");
        inventory_packet(inv, &p);
    }
    ip_pkt(&p, T0 + SEC, "01:00:5e:00:00:fb", "00:11:22:33:44:55", "192.168.1.9", "224.0.0.251");
    inventory_packet(inv, &p);
    /* an outside source from an unknown MAC: not a device (yet) */
    ip_pkt(&p, T0 + SEC, "00:99:99:99:99:99", "00:11:22:33:44:55", "198.51.100.1", "192.168.1.1");
    inventory_packet(inv, &p);
    assert_int_equal(inventory_count(inv), 1);
    uint8_t m[6];
    mac(m, "00:a0:de:00:00:01");
    struct device *d = inventory_find(inv, m);
    assert_non_null(d);
    assert_true(d->is_router);
    assert_int_equal(d->nips, 1);
    inventory_free(inv);
}

/* A phone with a private MAC that changes each day, same hostname and
 * fingerprint: one device, one "new device", five MACs. */
static void test_randomized_grouping(void **state)
{
    (void)state;
    struct rec r;
    struct inventory *inv = new_inv(&r);
    const char *macs[] = {"6a:11:22:33:44:01", "6a:11:22:33:44:02", "7e:11:22:33:44:03",
                          "f2:11:22:33:44:04", "a6:11:22:33:44:05"};
    for (int day = 0; day < 5; day++) {
        uint64_t t = T0 + (uint64_t)day * 86400 * SEC;
        dhcp_request(inv, t, macs[day], "Pixel-8", NULL, "1,3,6,15,26,28,51,58,59,43,114");
        struct packet p;
        ip_pkt(&p, t + 2 * SEC, macs[day], "00:a0:de:00:00:01", "192.168.1.50", "8.8.8.8");
        inventory_packet(inv, &p);
        inventory_tick(inv, t + 3600 * SEC);
    }
    inventory_finish(inv);
    assert_int_equal(inventory_count(inv), 1);
    assert_int_equal(rec_count(&r, INV_DEVICE_NEW), 1);
    uint8_t m[6];
    mac(m, macs[4]);
    struct device *d = inventory_find(inv, m);
    assert_non_null(d);
    assert_int_equal(d->nmacs, 5);
    assert_string_equal(d->hostname, "Pixel-8");
    assert_true(d->randomized);
    /* Universal MACs are never grouped: two PCs may share a hostname. */
    dhcp_request(inv, T0 + 6 * 86400 * SEC, "00:1b:8b:00:00:01", "PC", NULL, "1,3,6");
    dhcp_request(inv, T0 + 6 * 86400 * SEC, "00:1b:8b:00:00:02", "PC", NULL, "1,3,6");
    assert_int_equal(inventory_count(inv), 3);
    inventory_free(inv);
}

/* Client id alone groups private MACs (hostname may be absent). */
static void test_group_by_client_id(void **state)
{
    (void)state;
    struct rec r;
    struct inventory *inv = new_inv(&r);
    dhcp_request(inv, T0, "6a:00:00:00:00:01", "", "ff:00:00:00:01:00:01", "1,3,6");
    inventory_tick(inv, T0 + 3600 * SEC);
    dhcp_request(inv, T0 + 7200 * SEC, "6a:00:00:00:00:02", "", "ff:00:00:00:01:00:01", "1,3,6");
    inventory_finish(inv);
    assert_int_equal(inventory_count(inv), 1);
    assert_int_equal(rec_count(&r, INV_DEVICE_NEW), 1);
    inventory_free(inv);
}

/* ARP claims of an address by a second MAC are told with the previous
 * holder and how long ago it used it; the gateway address is marked. */
static void test_ip_moved(void **state)
{
    (void)state;
    struct rec r;
    struct inventory *inv = new_inv(&r);
    struct packet p;
    arp_pkt(&p, T0, "00:a0:de:00:00:01", "192.168.1.1", "192.168.1.10", 2);
    inventory_packet(inv, &p);
    for (int i = 0; i < 5; i++) {
        ip_pkt(&p, T0 + SEC, "00:a0:de:00:00:01", "00:11:22:33:44:55", "203.0.113.9",
               "192.168.1.10");
        inventory_packet(inv, &p);
    }
    arp_pkt(&p, T0 + 10 * SEC, "00:66:66:66:66:66", "192.168.1.1", "192.168.1.10", 2);
    inventory_packet(inv, &p);
    assert_int_equal(rec_count(&r, INV_IP_MOVED), 1);
    const struct inv_event *ev = NULL;
    for (unsigned i = 0; i < r.n; i++)
        if (r.ev[i].kind == INV_IP_MOVED)
            ev = &r.ev[i];
    assert_non_null(ev);
    assert_true(ev->from_arp);
    assert_true(ev->is_gateway_ip);
    assert_int_equal(ev->gap_us, 9 * SEC);
    assert_non_null(ev->other);
    /* and back: a flip-flop */
    arp_pkt(&p, T0 + 11 * SEC, "00:a0:de:00:00:01", "192.168.1.1", "192.168.1.10", 2);
    inventory_packet(inv, &p);
    arp_pkt(&p, T0 + 12 * SEC, "00:66:66:66:66:66", "192.168.1.1", "192.168.1.10", 2);
    inventory_packet(inv, &p);
    assert_int_equal(rec_count(&r, INV_IP_MOVED), 3);
    assert_int_equal(r.ev[r.n - 1].count, 2);
    /* IP packets alone never move an address (a router forwarding for
     * another subnet would look like a thief) */
    unsigned before = rec_count(&r, INV_IP_MOVED);
    ip_pkt(&p, T0 + 13 * SEC, "00:77:77:77:77:77", "00:a0:de:00:00:01", "192.168.1.1",
           "192.168.1.10");
    inventory_packet(inv, &p);
    assert_int_equal(rec_count(&r, INV_IP_MOVED), before);
    inventory_free(inv);
}

/* A device silent for longer than returned_days is "returned" on its next
 * frame; a short silence is nothing. */
static void test_returned(void **state)
{
    (void)state;
    struct rec r;
    struct inventory *inv = new_inv(&r);
    struct packet p;
    ip_pkt(&p, T0, "00:1b:8b:00:00:09", "00:a0:de:00:00:01", "192.168.1.30", "192.168.1.1");
    inventory_packet(inv, &p);
    inventory_finish(inv);
    ip_pkt(&p, T0 + 3 * 86400 * SEC, "00:1b:8b:00:00:09", "00:a0:de:00:00:01", "192.168.1.30",
           "192.168.1.1");
    inventory_packet(inv, &p);
    assert_int_equal(rec_count(&r, INV_DEVICE_RETURNED), 0);
    ip_pkt(&p, T0 + 48 * 86400 * SEC, "00:1b:8b:00:00:09", "00:a0:de:00:00:01", "192.168.1.30",
           "192.168.1.1");
    inventory_packet(inv, &p);
    assert_int_equal(rec_count(&r, INV_DEVICE_RETURNED), 1);
    assert_int_equal(r.ev[r.n - 1].gap_us, 45 * 86400 * SEC);
    inventory_free(inv);
}

/* Saves inv into a new store at path and frees it; returns a new inventory
 * loaded from that store, whose sink stays open in *out. */
static struct inventory *save_and_reload(struct inventory *inv, struct rec *r, const char *path,
                                         struct sink **out)
{
    struct sink *s = store_sqlite_open(path);
    assert_non_null(s);
    struct run_info ri = {.command = "test"};
    assert_int_equal(s->ops->run_start(s, &ri), 0);
    assert_int_equal(inventory_save(inv, (int (*)(void *, const struct device *))s->ops->device,
                                    s),
                     0);
    assert_int_equal(s->ops->commit(s), 0);
    s->ops->close(s);
    inventory_free(inv);

    inv = new_inv(r);
    s = store_sqlite_open(path);
    assert_non_null(s);
    assert_int_equal(s->ops->load_inventory(s, inv), 0);
    *out = s;
    return inv;
}

/* Makes the directory dir (a mkdtemp template) and names the store in it. */
static void store_dir(char *dir, char *path, size_t len)
{
    assert_non_null(mkdtemp(dir));
    snprintf(path, len, "%s/m.db", dir);
}

static void remove_store(const char *dir, const char *path)
{
    char f[160];
    const char *sfx[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(f, sizeof(f), "%s%s", path, sfx[i]);
        unlink(f);
    }
    rmdir(dir);
}

/* Devices survive a restart through the store: the second run knows them
 * (no new-device event) and keeps their MACs, names and first sighting. */
static void test_store_round_trip(void **state)
{
    (void)state;
    char dir[] = "/tmp/mamori-inv-XXXXXX", path[128];
    store_dir(dir, path, sizeof(path));

    struct rec r;
    struct inventory *inv = new_inv(&r);
    dhcp_request(inv, T0, "6a:00:00:00:00:01", "iPhone-Sato", NULL, "1,121,3,6,15,108,114");
    inventory_finish(inv);
    struct sink *s;
    inv = save_and_reload(inv, &r, path, &s);
    assert_int_equal(inventory_count(inv), 1);
    /* the same phone with its next private MAC */
    dhcp_request(inv, T0 + 86400 * SEC, "6a:00:00:00:00:02", "iPhone-Sato", NULL,
                 "1,121,3,6,15,108,114");
    inventory_finish(inv);
    assert_int_equal(inventory_count(inv), 1);
    assert_int_equal(rec_count(&r, INV_DEVICE_NEW), 0);
    uint8_t m[6];
    mac(m, "6a:00:00:00:00:02");
    struct device *d = inventory_find(inv, m);
    assert_non_null(d);
    assert_int_equal(d->first_us, T0);
    assert_int_equal(d->nmacs, 2);
    s->ops->close(s);
    inventory_free(inv);

    sqlite3 *db = store_open_readonly(path);
    assert_non_null(db);
    sqlite3_close(db);
    remove_store(dir, path);
}

/* A device's lists grow entry by entry up to their caps, keep the newest
 * entries once full, and come back whole from the store: 20 host names
 * (cap 16) and 60 DHCP fingerprints (evidence, cap 48) from one MAC. */
static void test_lists_grow_to_their_caps(void **state)
{
    (void)state;
    char dir[] = "/tmp/mamori-inv-XXXXXX", path[128];
    store_dir(dir, path, sizeof(path));
    struct rec r;
    struct inventory *inv = new_inv(&r);
    char host[32], fp[32];
    for (int i = 0; i < 60; i++) {
        snprintf(host, sizeof(host), "host-%02d", i % 20);
        snprintf(fp, sizeof(fp), "1,3,6,%d", 100 + i);
        dhcp_request(inv, T0 + (uint64_t)i * SEC, "00:11:22:33:44:55", host, NULL, fp);
    }
    uint8_t m[6];
    mac(m, "00:11:22:33:44:55");
    struct device *d = inventory_find(inv, m);
    assert_non_null(d);
    assert_int_equal(d->nnames, INV_MAX_NAMES);
    assert_int_equal(d->nevidence, INV_MAX_EVIDENCE);
    bool newest = false, oldest = false;
    for (unsigned i = 0; i < d->nevidence; i++) {
        newest |= strcmp(d->evidence[i].value, "1,3,6,159") == 0;
        oldest |= strcmp(d->evidence[i].value, "1,3,6,100") == 0;
    }
    assert_true(newest);
    assert_false(oldest);
    inventory_finish(inv);

    struct sink *s;
    inv = save_and_reload(inv, &r, path, &s);
    d = inventory_find(inv, m);
    assert_non_null(d);
    assert_int_equal(d->nnames, INV_MAX_NAMES);
    assert_int_equal(d->nevidence, INV_MAX_EVIDENCE);
    /* a restored list takes new entries like a grown one */
    dhcp_request(inv, T0 + 100 * SEC, "00:11:22:33:44:55", "host-new", NULL, "1,3,6,999");
    d = inventory_find(inv, m);
    bool found = false;
    for (unsigned i = 0; i < d->nnames; i++)
        found |= strcmp(d->names[i].name, "host-new") == 0;
    assert_true(found);
    assert_int_equal(d->nnames, INV_MAX_NAMES);
    s->ops->close(s);
    inventory_free(inv);
    remove_store(dir, path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arp_sweep_no_phantoms),
        cmocka_unit_test(test_router_and_locality),
        cmocka_unit_test(test_randomized_grouping),
        cmocka_unit_test(test_group_by_client_id),
        cmocka_unit_test(test_ip_moved),
        cmocka_unit_test(test_returned),
        cmocka_unit_test(test_store_round_trip),
        cmocka_unit_test(test_lists_grow_to_their_caps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
