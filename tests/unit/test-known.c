/* test-known.c - the known-device list CSV: parsing, errors with their line
 * numbers, saving, editing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "inventory/known.h"
#include "util/netaddr.h"
#include "util/util.h"

static char tmpdir[64];

static int setup_dir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/mamori-known-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_dir(void **state)
{
    (void)state;
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "chmod -R u+w %s; rm -rf %s", tmpdir, tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static int parse(struct known_list *kl, const char *text, char *err)
{
    return known_parse(kl, text, strlen(text), err, 256);
}

/* Expects text to fail with exactly `want` as the message. */
static void expect_error(const char *text, size_t len, const char *want)
{
    struct known_list kl;
    char err[256];
    known_init(&kl);
    assert_int_equal(known_parse(&kl, text, len, err, sizeof(err)), -1);
    assert_string_equal(err, want);
    assert_int_equal(kl.n, 0);
    known_free(&kl);
}

static void expect_error_s(const char *text, const char *want)
{
    expect_error(text, strlen(text), want);
}

static const struct known_device *find(const struct known_list *kl, const char *mac)
{
    uint8_t m[6];
    assert_int_equal(mac_parse(mac, m), 0);
    return known_find(kl, m);
}

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    static char buf[65536];
    *len = fread(buf, 1, sizeof(buf) - 1, fp);
    buf[*len] = '\0';
    fclose(fp);
    return buf;
}

/* Files in tmpdir/sub whose name starts with prefix. */
static int count_files(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
            n++;
    closedir(d);
    return n;
}

static void test_parse_basic(void **state)
{
    (void)state;
    struct known_list kl;
    char err[256];
    known_init(&kl);
    const char *text = "mac,name,owner,note\n"
                       "f8:bc:12:8b:7c:36,総務PC01,佐藤,2024年購入\n"
                       "00-11-22-33-44-55,Printer,,\n" /* dashes, empty fields */
                       "0011.2233.4466,\"Router, main\",IT,\"says \"\"hi\"\"\"\n"
                       "AABBCCDDEEFF,  spaced  ,\" kept \",x\n" /* unquoted trimmed */
                       "00:11:22:33:44:00\n";                   /* only the MAC */
    assert_int_equal(parse(&kl, text, err), 0);
    assert_int_equal(kl.n, 5);
    /* Sorted by MAC. */
    for (size_t i = 1; i < kl.n; i++)
        assert_true(memcmp(kl.v[i - 1].mac, kl.v[i].mac, 6) < 0);
    const struct known_device *d = find(&kl, "f8:bc:12:8b:7c:36");
    assert_non_null(d);
    assert_string_equal(d->name, "総務PC01");
    assert_string_equal(d->owner, "佐藤");
    assert_string_equal(d->note, "2024年購入");
    d = find(&kl, "00:11:22:33:44:55");
    assert_string_equal(d->name, "Printer");
    assert_string_equal(d->owner, "");
    d = find(&kl, "00:11:22:33:44:66");
    assert_string_equal(d->name, "Router, main");
    assert_string_equal(d->note, "says \"hi\"");
    d = find(&kl, "aa:bb:cc:dd:ee:ff");
    assert_string_equal(d->name, "spaced");
    assert_string_equal(d->owner, " kept ");
    d = find(&kl, "00:11:22:33:44:00");
    assert_string_equal(d->name, "");
    assert_string_equal(d->note, "");
    assert_null(find(&kl, "00:11:22:33:44:01"));
    known_free(&kl);
}

static void test_parse_layout(void **state)
{
    (void)state;
    struct known_list kl;
    char err[256];
    known_init(&kl);
    /* BOM, CRLF, blank lines (also before the header), columns reordered,
     * an extra column, an Excel empty row, a multi-line quoted note, no
     * final line break. */
    const char *text = "\xef\xbb\xbf\r\n"
                       "Note,Extra,NAME,mac\r\n"
                       "\r\n"
                       "\"line1\r\nline2\",zz,PC-1,00:00:00:00:00:01\r\n"
                       ",,,\r\n"
                       "n2,\"x,y\",PC-2,00:00:00:00:00:02";
    assert_int_equal(parse(&kl, text, err), 0);
    assert_int_equal(kl.n, 2);
    assert_string_equal(kl.v[0].name, "PC-1");
    assert_string_equal(kl.v[0].note, "line1\r\nline2");
    assert_string_equal(kl.v[0].owner, "");
    assert_string_equal(kl.v[1].name, "PC-2");
    assert_string_equal(kl.v[1].note, "n2");

    /* Japanese column names, a header only, an empty file. */
    assert_int_equal(parse(&kl, "MACアドレス,名前,担当者,メモ\n0:0:0:0:0:1,a,b,c\n", err), -1);
    assert_int_equal(parse(&kl, "MACアドレス,名前,担当者,メモ\n00:00:00:00:00:01,a,b,c\n", err), 0);
    assert_string_equal(kl.v[0].owner, "b");
    assert_string_equal(kl.v[0].note, "c");
    assert_int_equal(parse(&kl, "mac,name\n", err), 0);
    assert_int_equal(kl.n, 0);
    assert_int_equal(known_parse(&kl, "", 0, err, sizeof(err)), 0);
    assert_int_equal(kl.n, 0);
    assert_int_equal(parse(&kl, "\xef\xbb\xbf", err), 0);
    /* Lone CR line ends (old Mac Excel). */
    assert_int_equal(parse(&kl, "mac,name\r00:00:00:00:00:09,x\r", err), 0);
    assert_int_equal(kl.n, 1);
    known_free(&kl);
}

/* Excel on Japanese Windows saves CSV as CP932. */
static void test_parse_shift_jis(void **state)
{
    (void)state;
    struct known_list kl;
    char err[256];
    known_init(&kl);
    /* mac,name,owner,note / MAC,総務PC,佐藤,ｱｲｳ (half-width katakana) */
    const char sjis[] = "mac,name,owner,note\r\n"
                        "00:11:22:33:44:55,\x91\x8d\x96\xb1PC,\x8d\xb2\x93\xa1,\xb1\xb2\xb3\r\n";
    assert_int_equal(known_parse(&kl, sjis, sizeof(sjis) - 1, err, sizeof(err)), 0);
    assert_int_equal(kl.n, 1);
    assert_string_equal(kl.v[0].name, "総務PC");
    assert_string_equal(kl.v[0].owner, "佐藤");
    assert_string_equal(kl.v[0].note, "ｱｲｳ");
    /* A Shift_JIS header: 名前 and 備考. */
    const char sjis_hdr[] = "mac,\x96\xbc\x91\x4f,\x94\xf5\x8d\x6c\n00:11:22:33:44:55,a,b\n";
    assert_int_equal(known_parse(&kl, sjis_hdr, sizeof(sjis_hdr) - 1, err, sizeof(err)), 0);
    assert_string_equal(kl.v[0].name, "a");
    assert_string_equal(kl.v[0].note, "b");
    known_free(&kl);
}

static void test_parse_errors(void **state)
{
    (void)state;
    expect_error_s("mac,name\n"
                   "00:00:00:00:00:01,a\n"
                   "00:00:00:00:00:02,b\n"
                   "00:00:00:00:00:03,c\n"
                   "00:00:00:00:00:04,d\n"
                   "00:00:00:00:00:05,e\n"
                   "zz:11:22:33:44:55,f\n",
                   "line 7: bad MAC address 'zz:11:22:33:44:55'");
    expect_error_s("mac,name\n"
                   "00:00:00:00:00:01,a\n"
                   "00:00:00:00:00:02,\"unterminated\n"
                   "00:00:00:00:00:03,c\n",
                   "line 3: unterminated quoted field");
    expect_error_s("name,owner\n00:00:00:00:00:01,a\n", "line 1: header has no 'mac' column");
    /* The header is the first non-blank line. */
    expect_error_s("\n\nname\n", "line 3: header has no 'mac' column");
    expect_error_s("mac,name,MAC\n", "line 1: header has two 'mac' columns");
    expect_error_s("mac,name\n"
                   "00:00:00:00:00:01,a\n"
                   "00:00:00:00:00:02,b\n"
                   "00:00:00:00:00:03,c\n"
                   "aa:bb:cc:dd:ee:ff,d\n"
                   "00:00:00:00:00:05,e\n"
                   "00:00:00:00:00:06,f\n"
                   "00:00:00:00:00:07,g\n"
                   "AABB.CCDD.EEFF,h\n",
                   "line 9: duplicate MAC aa:bb:cc:dd:ee:ff (first on line 5)");
    expect_error_s("mac,name\n00:00:00:00:00:01,\"a\"b\n",
                   "line 2: unexpected text after a closing quote");
    expect_error_s("mac,name\n,a\n", "line 2: no MAC address");
    expect_error_s("mac,name\n00:00:00:00:00:01:02,a\n",
                   "line 2: bad MAC address '00:00:00:00:00:01:02'");
    /* A long MAC field is quoted cut, with control bytes hidden. */
    expect_error_s("mac\n\"0123456789\x01\x32\x33\x34\x35\x36\x37\x38\x39"
                   "0123456789012345678901234567890123456789\"\n",
                   "line 2: bad MAC address '0123456789?23456789012345678901234567890...'");
    /* Line numbers count the lines inside a quoted field. */
    expect_error_s("mac,note\n"
                   "00:00:00:00:00:01,\"a\nb\nc\"\n"
                   "junk,x\n",
                   "line 5: bad MAC address 'junk'");
    /* CRLF counts once. */
    expect_error_s("mac\r\n\r\n00:00:00:00:00:01\r\nbad\r\n", "line 4: bad MAC address 'bad'");
    /* The first error in the file wins: a duplicate on line 3 before a bad
     * MAC on line 4 (duplicates are found after the rows are read). */
    expect_error_s("mac\n00:00:00:00:00:01\n00:00:00:00:00:01\nbad\n",
                   "line 3: duplicate MAC 00:00:00:00:00:01 (first on line 2)");
    /* Of several duplicates the earliest second occurrence is reported. */
    expect_error_s("mac\nff:00:00:00:00:01\n00:00:00:00:00:01\n00:00:00:00:00:01\n"
                   "ff:00:00:00:00:01\nff:00:00:00:00:01\n",
                   "line 4: duplicate MAC 00:00:00:00:00:01 (first on line 3)");
    expect_error("mac\n00:00:00:00:00:01\n\0\n", 24, "line 3: NUL byte");
    /* Claimed UTF-8 (BOM) but not. */
    expect_error_s("\xef\xbb\xbfmac,name\n00:00:00:00:00:01,\xff\n", "line 2: invalid UTF-8");
    /* Neither UTF-8 nor CP932 (0x80 is unassigned in CP932). */
    expect_error_s("mac,name\n00:00:00:00:00:01,a\n00:00:00:00:00:02,\x80\n",
                   "line 3: the file is neither UTF-8 nor Shift_JIS text");
}

/* Field caps: KNOWN_NAME_MAX - 1 bytes fit, one more is an error; the
 * formula prefix ' does not count (a saved 127-byte "=..." loads back). */
static void test_field_lengths(void **state)
{
    (void)state;
    struct known_list kl;
    char err[256];
    static char text[2048];
    char name[KNOWN_NAME_MAX + 1];
    known_init(&kl);

    memset(name, 'n', KNOWN_NAME_MAX - 1);
    name[KNOWN_NAME_MAX - 1] = '\0';
    snprintf(text, sizeof(text), "mac,name\n00:00:00:00:00:01,%s\n", name);
    assert_int_equal(parse(&kl, text, err), 0);
    assert_int_equal(strlen(kl.v[0].name), KNOWN_NAME_MAX - 1);

    name[KNOWN_NAME_MAX - 1] = 'n';
    name[KNOWN_NAME_MAX] = '\0';
    snprintf(text, sizeof(text), "mac,name\n00:00:00:00:00:01,%s\n", name);
    expect_error_s(text, "line 2: name is longer than 127 bytes");
    snprintf(text, sizeof(text), "mac,owner\n00:00:00:00:00:01,\"%s\"\n", name);
    expect_error_s(text, "line 2: owner is longer than 127 bytes");

    name[0] = '=';
    name[KNOWN_NAME_MAX - 1] = '\0';
    snprintf(text, sizeof(text), "mac,name\n00:00:00:00:00:01,\"'%s\"\n", name);
    assert_int_equal(parse(&kl, text, err), 0);
    assert_string_equal(kl.v[0].name, name);

    char note[KNOWN_NOTE_MAX + 1];
    memset(note, 'x', KNOWN_NOTE_MAX);
    note[KNOWN_NOTE_MAX] = '\0';
    snprintf(text, sizeof(text), "mac,note\n00:00:00:00:00:01,%s\n", note);
    expect_error_s(text, "line 2: note is longer than 511 bytes");
    known_free(&kl);
}

/* KNOWN_MAX_DEVICES rows load; one more is an error naming its line. */
static void test_too_many_devices(void **state)
{
    (void)state;
    size_t rows = KNOWN_MAX_DEVICES + 1, cap = 8 + rows * 14;
    char *text = xmalloc(cap);
    size_t n = (size_t)snprintf(text, cap, "mac\n");
    for (size_t i = 0; i < rows; i++)
        n += (size_t)snprintf(text + n, cap - n, "%012zx\n", i);
    struct known_list kl;
    char err[256];
    known_init(&kl);
    /* Without the last row: exactly the maximum. */
    assert_int_equal(known_parse(&kl, text, n - 13, err, sizeof(err)), 0);
    assert_int_equal(kl.n, KNOWN_MAX_DEVICES);
    assert_int_equal(known_parse(&kl, text, n, err, sizeof(err)), -1);
    assert_string_equal(err, "line 100002: more than 100000 devices");
    assert_int_equal(kl.n, 0);
    known_free(&kl);
    free(text);
}

static void test_upsert_merge(void **state)
{
    (void)state;
    struct known_list a, b;
    char err[256];
    uint8_t m1[6] = {0, 0, 0, 0, 0, 1}, m2[6] = {0, 0, 0, 0, 0, 2}, m3[6] = {0, 0, 0, 0, 0, 3};
    known_init(&a);
    known_init(&b);

    assert_null(known_find(&a, m1));
    /* Inserted out of order, kept sorted. */
    assert_int_equal(known_upsert(&a, m3, "three", NULL, NULL, err, sizeof(err)), 0);
    assert_int_equal(known_upsert(&a, m1, "one", "sato", "n1", err, sizeof(err)), 0);
    assert_int_equal(a.n, 2);
    assert_memory_equal(a.v[0].mac, m1, 6);
    assert_string_equal(known_find(&a, m3)->owner, "");
    /* NULL keeps a field, "" clears it. */
    assert_int_equal(known_upsert(&a, m1, NULL, "", "n1b", err, sizeof(err)), 0);
    assert_int_equal(a.n, 2);
    assert_string_equal(known_find(&a, m1)->name, "one");
    assert_string_equal(known_find(&a, m1)->owner, "");
    assert_string_equal(known_find(&a, m1)->note, "n1b");
    /* Too long or not UTF-8: nothing changes. */
    char longname[KNOWN_NAME_MAX + 1];
    memset(longname, 'a', KNOWN_NAME_MAX);
    longname[KNOWN_NAME_MAX] = '\0';
    assert_int_equal(known_upsert(&a, m1, "ok", NULL, longname, err, sizeof(err)), 0);
    assert_int_equal(known_upsert(&a, m1, longname, NULL, NULL, err, sizeof(err)), -1);
    assert_string_equal(err, "name is longer than 127 bytes");
    assert_string_equal(known_find(&a, m1)->name, "ok");
    assert_int_equal(known_upsert(&a, m2, "x", "\xff", NULL, err, sizeof(err)), -1);
    assert_string_equal(err, "owner is not valid UTF-8");
    assert_null(known_find(&a, m2));

    /* Merge: m1 changed, m3 identical, m2 new. */
    assert_int_equal(known_upsert(&b, m1, "one-new", NULL, NULL, err, sizeof(err)), 0);
    assert_int_equal(known_upsert(&b, m2, "two", NULL, NULL, err, sizeof(err)), 0);
    assert_int_equal(known_upsert(&b, m3, "three", NULL, NULL, err, sizeof(err)), 0);
    assert_int_equal(known_merge(&a, &b), 2);
    assert_int_equal(a.n, 3);
    for (size_t i = 1; i < a.n; i++)
        assert_true(memcmp(a.v[i - 1].mac, a.v[i].mac, 6) < 0);
    /* src replaces the whole entry. */
    assert_string_equal(known_find(&a, m1)->name, "one-new");
    assert_string_equal(known_find(&a, m1)->note, "");
    assert_string_equal(known_find(&a, m2)->name, "two");
    assert_int_equal(known_merge(&a, &b), 0);
    struct known_list empty;
    known_init(&empty);
    assert_int_equal(known_merge(&a, &empty), 0);
    assert_int_equal(known_merge(&empty, &a), 3);
    assert_int_equal(empty.n, 3);
    known_free(&empty);
    known_free(&a);
    known_free(&b);
}

/* Values that need quoting or the formula prefix survive save + load, and
 * the file on disk has the form a spreadsheet reads safely. */
static void test_save_load_round_trip(void **state)
{
    (void)state;
    static const char *const names[] = {
        "plain",
        "comma, inside",
        "quote \" inside",
        "multi\nline",
        "crlf\r\nin",
        " leading",
        "trailing ",
        "\ttab",
        "=1+2",
        "+81 3",
        "-",
        "@SUM(A1)",
        "'=already",
        "''=twice",
        "'plain",
        "総務PC,経理",
        "",
        "a\"\"b",
        "\r",
        "=HYPERLINK(\"x\")",
    };
    struct known_list kl, back;
    char err[256], path[128];
    known_init(&kl);
    known_init(&back);
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        uint8_t m[6] = {0x02, 0, 0, 0, 0, (uint8_t)i};
        assert_int_equal(known_upsert(&kl, m, names[i], names[(i + 1) % ARRAY_SIZE(names)],
                                      names[(i + 2) % ARRAY_SIZE(names)], err, sizeof(err)),
                         0);
    }
    snprintf(path, sizeof(path), "%s/known.csv", tmpdir);
    assert_int_equal(known_save(&kl, path, err, sizeof(err)), 0);
    assert_int_equal(known_load(&back, path, 0, err, sizeof(err)), 0);
    assert_int_equal(back.n, kl.n);
    for (size_t i = 0; i < kl.n; i++) {
        assert_memory_equal(back.v[i].mac, kl.v[i].mac, 6);
        assert_string_equal(back.v[i].name, kl.v[i].name);
        assert_string_equal(back.v[i].owner, kl.v[i].owner);
        assert_string_equal(back.v[i].note, kl.v[i].note);
    }

    size_t len;
    const char *text = read_file(path, &len);
    assert_true(strncmp(text, "mac,name,owner,note\n", 20) == 0);
    assert_non_null(strstr(text, "\n02:00:00:00:00:00,plain,\"comma, inside\","));
    assert_non_null(strstr(text, ",\"'=1+2\","));
    assert_non_null(strstr(text, ",\"'-\","));
    assert_non_null(strstr(text, ",\"'''=twice\","));
    assert_non_null(strstr(text, ",'plain,"));
    assert_non_null(strstr(text, ",\"'=HYPERLINK(\"\"x\"\")\""));
    /* No unquoted cell starts with a formula character. */
    for (size_t i = 0; i < len; i++)
        if ((i == 0 || text[i - 1] == ',' || text[i - 1] == '\n') && strchr("=+-@", text[i]))
            fail_msg("formula character at offset %zu", i);

    /* Saving the empty list gives just the header. */
    struct known_list empty;
    known_init(&empty);
    assert_int_equal(known_save(&empty, path, err, sizeof(err)), 0);
    text = read_file(path, &len);
    assert_string_equal(text, "mac,name,owner,note\n");
    assert_int_equal(count_files(tmpdir, ".known.csv.tmp"), 0);
    known_free(&kl);
    known_free(&back);
}

static void test_load_missing_and_errors(void **state)
{
    (void)state;
    struct known_list kl;
    char err[512], path[128];
    known_init(&kl);
    snprintf(path, sizeof(path), "%s/nope.csv", tmpdir);
    assert_int_equal(known_load(&kl, path, 1, err, sizeof(err)), 0);
    assert_int_equal(kl.n, 0);
    assert_int_equal(known_load(&kl, path, 0, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "nope.csv"));

    snprintf(path, sizeof(path), "%s/bad.csv", tmpdir);
    write_file(path, "mac\n00:00:00:00:00:01\nxx\n", 25);
    assert_int_equal(known_load(&kl, path, 0, err, sizeof(err)), -1);
    char want[256];
    snprintf(want, sizeof(want), "%s: line 3: bad MAC address 'xx'", path);
    assert_string_equal(err, want);

    /* A directory is not a list. */
    assert_int_equal(known_load(&kl, tmpdir, 1, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "not a regular file"));
    known_free(&kl);
}

/* A save that cannot finish leaves the old list as it was and no temporary
 * file behind. */
static void test_failed_save_keeps_old(void **state)
{
    (void)state;
    struct known_list kl;
    char err[256], path[160], dir[128];
    uint8_t m[6] = {0, 1, 2, 3, 4, 5};
    const char old[] = "mac,name\n00:00:00:00:00:01,old\n";
    known_init(&kl);
    assert_int_equal(known_upsert(&kl, m, "new", NULL, NULL, err, sizeof(err)), 0);

    /* The path is a directory: the temporary file is written, the rename
     * fails, and the temporary file is removed. */
    snprintf(dir, sizeof(dir), "%s/isdir", tmpdir);
    assert_int_equal(mkdir(dir, 0755), 0);
    snprintf(path, sizeof(path), "%s/inside", dir);
    write_file(path, old, sizeof(old) - 1);
    assert_int_equal(known_save(&kl, dir, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "cannot replace"));
    assert_int_equal(count_files(tmpdir, ".isdir.tmp"), 0);
    size_t len;
    assert_string_equal(read_file(path, &len), old);

    /* The directory does not exist. */
    snprintf(path, sizeof(path), "%s/missing/known.csv", tmpdir);
    assert_int_equal(known_save(&kl, path, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "cannot create a temporary file"));

    /* A read-only directory (root writes anyway, so only as a user). */
    snprintf(dir, sizeof(dir), "%s/ro", tmpdir);
    assert_int_equal(mkdir(dir, 0755), 0);
    snprintf(path, sizeof(path), "%s/known.csv", dir);
    write_file(path, old, sizeof(old) - 1);
    assert_int_equal(chmod(dir, 0555), 0);
    if (geteuid() != 0) {
        assert_int_equal(known_save(&kl, path, err, sizeof(err)), -1);
        assert_non_null(strstr(err, "cannot create a temporary file"));
    } else {
        print_message("read-only directory case skipped: running as root\n");
    }
    assert_string_equal(read_file(path, &len), old);
    assert_int_equal(count_files(dir, ".known.csv.tmp"), 0);
    assert_int_equal(chmod(dir, 0755), 0);
    known_free(&kl);
}

/* A temporary file left by a crashed save is never read as the list, and
 * the next save neither uses nor needs it. */
static void test_leftover_temp_file(void **state)
{
    (void)state;
    struct known_list kl;
    char err[256], path[128], stale[160];
    uint8_t m[6] = {0, 1, 2, 3, 4, 5};
    known_init(&kl);
    snprintf(path, sizeof(path), "%s/list.csv", tmpdir);
    write_file(path, "mac,name\n00:00:00:00:00:01,old\n", 31);
    snprintf(stale, sizeof(stale), "%s/.list.csv.tmp-AAAAAA", tmpdir);
    write_file(stale, "mac,name\n00:00:00:00:00:02,half", 31);

    assert_int_equal(known_load(&kl, path, 0, err, sizeof(err)), 0);
    assert_int_equal(kl.n, 1);
    assert_string_equal(kl.v[0].name, "old");
    assert_int_equal(known_upsert(&kl, m, "added", NULL, NULL, err, sizeof(err)), 0);
    assert_int_equal(known_save(&kl, path, err, sizeof(err)), 0);
    assert_int_equal(known_load(&kl, path, 0, err, sizeof(err)), 0);
    assert_int_equal(kl.n, 2);
    assert_string_equal(kl.v[1].name, "added");
    /* The stale file is untouched (it may be another save in progress). */
    size_t len;
    assert_string_equal(read_file(stale, &len), "mac,name\n00:00:00:00:00:02,half");
    assert_int_equal(count_files(tmpdir, ".list.csv.tmp"), 1);
    known_free(&kl);
}

/* Saving keeps the mode of the list it replaces. */
static void test_save_keeps_mode(void **state)
{
    (void)state;
    struct known_list kl;
    char err[256], path[128];
    struct stat st;
    known_init(&kl);
    snprintf(path, sizeof(path), "%s/mode.csv", tmpdir);
    write_file(path, "mac\n", 4);
    assert_int_equal(chmod(path, 0640), 0);
    assert_int_equal(known_save(&kl, path, err, sizeof(err)), 0);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640);
    known_free(&kl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_basic),
        cmocka_unit_test(test_parse_layout),
        cmocka_unit_test(test_parse_shift_jis),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_field_lengths),
        cmocka_unit_test(test_too_many_devices),
        cmocka_unit_test(test_upsert_merge),
        cmocka_unit_test(test_save_load_round_trip),
        cmocka_unit_test(test_load_missing_and_errors),
        cmocka_unit_test(test_failed_save_keeps_old),
        cmocka_unit_test(test_leftover_temp_file),
        cmocka_unit_test(test_save_keeps_mode),
    };
    return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
