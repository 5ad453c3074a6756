/* test-cap-pcap.c - capture files: pcap, gzip, and every way a file can be
 * wrong. Files are written by the test itself into a temp directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "capture/cap-pcap.h"
#include "util/util.h"

static char tmpdir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/mamori-cap-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* A classic little-endian microsecond pcap: 24-byte file header, then
 * `n` records of a 60-byte Ethernet frame each. */
static size_t make_pcap(uint8_t *buf, size_t cap, int n, uint32_t linktype)
{
    size_t off = 0;
    const uint8_t hdr[24] = {
        0xd4, 0xc3, 0xb2, 0xa1, /* magic, little-endian, microseconds */
        2,    0,    4,    0,    /* version 2.4 */
        0,    0,    0,    0,    /* thiszone */
        0,    0,    0,    0,    /* sigfigs */
        0xff, 0xff, 0,    0,    /* snaplen 65535 */
        (uint8_t)linktype, (uint8_t)(linktype >> 8), 0, 0, /* link type */
    };
    memcpy(buf, hdr, sizeof(hdr));
    off = sizeof(hdr);
    for (int i = 0; i < n && off + 16 + 60 <= cap; i++) {
        uint8_t rec[16] = {
            (uint8_t)(10 + i), 0, 0, 0, /* ts_sec */
            7, 0, 0, 0,                 /* ts_usec 7 */
            60, 0, 0, 0,                /* caplen 60 */
            60, 0, 0, 0,                /* len 60 */
        };
        memcpy(buf + off, rec, 16);
        off += 16;
        memset(buf + off, 0, 60);
        buf[off + 12] = 0x88; /* ethertype 0x88cc (LLDP): not IP, still a packet */
        buf[off + 13] = 0xcc;
        off += 60;
    }
    return off;
}

static void write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
}

struct counter {
    int n;
    uint64_t last_ts;
    uint64_t last_num;
};

static int count_cb(void *arg, struct packet *pkt)
{
    struct counter *c = arg;
    if (pkt) {
        c->n++;
        c->last_ts = pkt->ts_us;
        c->last_num = pkt->num;
        assert_int_equal(pkt->caplen, 60);
        assert_int_equal(pkt->wirelen, 60);
        assert_int_equal(pkt->linktype, 1);
    }
    return 0;
}

static void test_reads_plain_pcap(void **state)
{
    (void)state;
    uint8_t buf[4096];
    char path[128], err[256];
    size_t n = make_pcap(buf, sizeof(buf), 3, 1);
    snprintf(path, sizeof(path), "%s/a.pcap", tmpdir);
    write_file(path, buf, n);
    struct cap *c = cap_open_file(path, err, sizeof(err));
    assert_non_null(c);
    assert_int_equal(cap_linktype(c), 1);
    struct counter cnt = {0};
    assert_int_equal(cap_loop(c, count_cb, &cnt, err, sizeof(err)), 1);
    assert_int_equal(cnt.n, 3);
    assert_int_equal(cnt.last_num, 3);
    assert_int_equal(cnt.last_ts, 12u * 1000000u + 7u);
    cap_close(c);
}

static void test_reads_gzip_pcap(void **state)
{
    (void)state;
    uint8_t buf[4096];
    char path[128], err[256];
    size_t n = make_pcap(buf, sizeof(buf), 5, 1);
    snprintf(path, sizeof(path), "%s/a.pcap.gz", tmpdir);
    gzFile gz = gzopen(path, "wb");
    assert_non_null(gz);
    assert_int_equal(gzwrite(gz, buf, (unsigned)n), (int)n);
    gzclose(gz);
    struct cap *c = cap_open_file(path, err, sizeof(err));
    assert_non_null(c);
    struct counter cnt = {0};
    assert_int_equal(cap_loop(c, count_cb, &cnt, err, sizeof(err)), 1);
    assert_int_equal(cnt.n, 5);
    cap_close(c);
}

/* The last record cut one byte short: the two whole packets before it
 * are delivered, then the loop reports the truncation. */
static void test_truncated_last_record(void **state)
{
    (void)state;
    uint8_t buf[4096];
    char path[128], err[256];
    size_t n = make_pcap(buf, sizeof(buf), 3, 1);
    snprintf(path, sizeof(path), "%s/t.pcap", tmpdir);
    write_file(path, buf, n - 1);
    struct cap *c = cap_open_file(path, err, sizeof(err));
    assert_non_null(c);
    struct counter cnt = {0};
    assert_int_equal(cap_loop(c, count_cb, &cnt, err, sizeof(err)), -1);
    assert_int_equal(cnt.n, 2);
    assert_non_null(strstr(err, "truncated"));
    cap_close(c);
}

static void test_absurd_record_length(void **state)
{
    (void)state;
    uint8_t buf[4096];
    char path[128], err[256];
    size_t n = make_pcap(buf, sizeof(buf), 2, 1);
    /* second record's caplen (offset 24 + 76 + 8) = 0xffffffff */
    memset(buf + 24 + 76 + 8, 0xff, 4);
    snprintf(path, sizeof(path), "%s/absurd.pcap", tmpdir);
    write_file(path, buf, n);
    struct cap *c = cap_open_file(path, err, sizeof(err));
    assert_non_null(c);
    struct counter cnt = {0};
    assert_int_equal(cap_loop(c, count_cb, &cnt, err, sizeof(err)), -1);
    assert_int_equal(cnt.n, 1);
    cap_close(c);
}

static void test_not_a_capture(void **state)
{
    (void)state;
    char path[128], err[256];
    snprintf(path, sizeof(path), "%s/notes.txt", tmpdir);
    write_file(path, "hello, this is text and not a capture\n", 38);
    assert_null(cap_open_file(path, err, sizeof(err)));
    assert_string_equal(err, "not a pcap or pcapng capture file");
}

static void test_empty_file_and_directory(void **state)
{
    (void)state;
    char path[128], err[256];
    snprintf(path, sizeof(path), "%s/empty.pcap", tmpdir);
    write_file(path, "", 0);
    assert_null(cap_open_file(path, err, sizeof(err)));
    assert_non_null(strstr(err, "empty"));
    assert_null(cap_open_file(tmpdir, err, sizeof(err)));
    assert_non_null(strstr(err, "directory"));
    snprintf(path, sizeof(path), "%s/missing.pcap", tmpdir);
    assert_null(cap_open_file(path, err, sizeof(err)));
    assert_non_null(strstr(err, "No such file"));
}

/* Header only, cut inside the 24-byte file header (23 bytes). */
static void test_truncated_file_header(void **state)
{
    (void)state;
    uint8_t buf[256];
    char path[128], err[256];
    make_pcap(buf, sizeof(buf), 0, 1);
    snprintf(path, sizeof(path), "%s/hdr.pcap", tmpdir);
    write_file(path, buf, 23);
    assert_null(cap_open_file(path, err, sizeof(err)));
}

static void test_unknown_linktype_opens(void **state)
{
    (void)state;
    uint8_t buf[512];
    char path[128], err[256];
    size_t n = make_pcap(buf, sizeof(buf), 1, 147);
    snprintf(path, sizeof(path), "%s/user0.pcap", tmpdir);
    write_file(path, buf, n);
    struct cap *c = cap_open_file(path, err, sizeof(err));
    assert_non_null(c);
    assert_int_equal(cap_linktype(c), 147); /* the CLI refuses it, not the reader */
    cap_close(c);
}

static void test_bad_filter(void **state)
{
    (void)state;
    uint8_t buf[512];
    char path[128], err[256];
    size_t n = make_pcap(buf, sizeof(buf), 1, 1);
    snprintf(path, sizeof(path), "%s/f.pcap", tmpdir);
    write_file(path, buf, n);
    struct cap *c = cap_open_file(path, err, sizeof(err));
    assert_non_null(c);
    assert_int_equal(cap_set_filter(c, "tcp port", err, sizeof(err)), -1);
    assert_int_equal(cap_set_filter(c, "tcp port 80", err, sizeof(err)), 0);
    struct counter cnt = {0};
    assert_int_equal(cap_loop(c, count_cb, &cnt, err, sizeof(err)), 1);
    assert_int_equal(cnt.n, 0); /* the LLDP frame does not match */
    cap_close(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_plain_pcap),
        cmocka_unit_test(test_reads_gzip_pcap),
        cmocka_unit_test(test_truncated_last_record),
        cmocka_unit_test(test_absurd_record_length),
        cmocka_unit_test(test_not_a_capture),
        cmocka_unit_test(test_empty_file_and_directory),
        cmocka_unit_test(test_truncated_file_header),
        cmocka_unit_test(test_unknown_linktype_opens),
        cmocka_unit_test(test_bad_filter),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
