/* test-oui.c - MAC vendor lookup from the IEEE registry CSV files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "inventory/oui.h"
#include "util/netaddr.h"
#include "util/util.h"

static char tmpdir[64];

static void write_file(const char *name, const char *data)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, strlen(data), fp), strlen(data));
    assert_int_equal(fclose(fp), 0);
}

/* A fixture directory in the format of Debian's ieee-data. The prefixes
 * overlap: 00:1A:2B is MA-L, 00:1A:2B:C is an MA-M block inside it and
 * 00:1A:2B:CD:E is an MA-S block inside that. */
static int setup_dir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/mamori-oui-XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    write_file("oui.csv",
               "Registry,Assignment,Organization Name,Organization Address\n"
               "MA-L,001A2B,Large Maker,1 Street Town JP 100\n"
               "MA-L,3C2AF4,\"Brother Industries, LTD.\",\"15-1, Naeshirocho, Mizuho-ku "
               "NAGOYA  JP 4678561 \"\n"
               "MA-L,000C29,\"VMware, Inc.\",3401 Hillview Avenue Palo Alto CA US 94304 \n"
               /* a quoted address over two lines */
               "MA-L,ACDE48,  Spaced Name  ,\"line one\nline two\"\n"
               "MA-L,A0B1C2,\"Quote \"\"Q\"\" Corp\",addr\r\n"
               /* malformed: skipped */
               "MA-L,12345,Too Short,addr\n"
               "MA-L,GGGGGG,Not Hex,addr\n"
               "MA-L,0A0B0C\n"
               "MA-L,0D0E0F,,empty name\n"
               "MA-L,101112,\"junk\"after,addr\n"
               "\n"
               "MA-L,202122,Last Line No Newline,addr");
    write_file("mam.csv", "Registry,Assignment,Organization Name,Organization Address\n"
                          "MA-M,001A2BC,Medium Block,addr\n"
                          "MA-M,FFFFFF0,Group Bit Set,addr\n");
    write_file("oui36.csv", "Registry,Assignment,Organization Name,Organization Address\n"
                            "MA-S,001A2BCDE,Small Block,\"a, b\"\n"
                            "MA-S,70B3D5F2F,\"Unterminated");
    write_file("iab.csv", "Registry,Assignment,Organization Name,Organization Address\n"
                          "IAB,0050C27D5,DEUTA-WERKE GmbH,Paffrather Strasse 140\n");
    return 0;
}

static int teardown_dir(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *lookup(const struct oui_db *db, const char *mac)
{
    uint8_t m[6];
    assert_int_equal(mac_parse(mac, m), 0);
    return oui_lookup(db, m);
}

static void test_fixture(void **state)
{
    (void)state;
    unsigned long loaded = 0;
    struct oui_db *db = oui_load(tmpdir, &loaded);
    assert_non_null(db);
    /* 6 good MA-L lines, 2 MA-M, 1 MA-S, 1 IAB. */
    assert_int_equal(loaded, 10);

    /* Longest prefix wins, and each boundary is exact. */
    assert_string_equal(lookup(db, "00:1a:2b:cd:e0:00"), "Small Block");
    assert_string_equal(lookup(db, "00:1a:2b:cd:ef:ff"), "Small Block");
    assert_string_equal(lookup(db, "00:1a:2b:cd:f0:00"), "Medium Block");
    assert_string_equal(lookup(db, "00:1a:2b:c0:00:00"), "Medium Block");
    assert_string_equal(lookup(db, "00:1a:2b:bf:ff:ff"), "Large Maker");
    assert_string_equal(lookup(db, "00:1a:2b:d0:00:00"), "Large Maker");
    assert_null(lookup(db, "00:1a:2c:00:00:00"));

    /* Quoted names with commas and "" escapes, trimmed names. */
    assert_string_equal(lookup(db, "3c:2a:f4:01:02:03"), "Brother Industries, LTD.");
    assert_string_equal(lookup(db, "00:0c:29:aa:bb:cc"), "VMware, Inc.");
    assert_string_equal(lookup(db, "ac:de:48:00:00:01"), "Spaced Name");
    assert_string_equal(lookup(db, "a0:b1:c2:00:00:01"), "Quote \"Q\" Corp");
    assert_string_equal(lookup(db, "20:21:22:00:00:01"), "Last Line No Newline");
    assert_string_equal(lookup(db, "00:50:c2:7d:50:00"), "DEUTA-WERKE GmbH");

    /* Malformed lines were skipped. */
    assert_null(lookup(db, "0a:0b:0c:00:00:00"));
    assert_null(lookup(db, "0d:0e:0f:00:00:00"));
    assert_null(lookup(db, "10:11:12:00:00:00"));
    assert_null(lookup(db, "70:b3:d5:f2:f0:00"));

    /* Locally administered and group addresses have no maker, even under a
     * registered prefix. */
    assert_null(lookup(db, "02:1a:2b:cd:e0:00"));
    assert_null(lookup(db, "ff:ff:ff:ff:ff:ff"));
    assert_null(lookup(db, "01:00:5e:00:00:01"));
    assert_null(oui_lookup(NULL, (const uint8_t[6]){0, 0x0c, 0x29, 0, 0, 0}));
    oui_free(db);
}

static void test_missing_dir_and_env(void **state)
{
    (void)state;
    unsigned long loaded = 99;
    struct oui_db *db = oui_load("/nonexistent/ieee-data", &loaded);
    assert_non_null(db);
    assert_int_equal(loaded, 0);
    assert_null(lookup(db, "00:0c:29:00:00:00"));
    oui_free(db);

    /* MAMORI_IEEE_DATA is used when dir is NULL. */
    assert_int_equal(setenv("MAMORI_IEEE_DATA", tmpdir, 1), 0);
    db = oui_load(NULL, NULL);
    assert_string_equal(lookup(db, "00:1a:2b:cd:e0:00"), "Small Block");
    oui_free(db);
    assert_int_equal(unsetenv("MAMORI_IEEE_DATA"), 0);
    oui_free(NULL);
}

/* Every prefix of a registry line is either skipped or read the same. */
static void test_truncated_lines(void **state)
{
    (void)state;
    static const char line[] = "MA-L,3C2AF4,\"Brother Industries, LTD.\",\"15-1, N\"\n";
    char sub[96];
    snprintf(sub, sizeof(sub), "%s/t", tmpdir);
    (void)mkdir(sub, 0755);
    for (size_t n = 0; n <= sizeof(line) - 1; n++) {
        char path[128];
        snprintf(path, sizeof(path), "%s/oui.csv", sub);
        FILE *fp = fopen(path, "wb");
        assert_non_null(fp);
        assert_int_equal(fwrite(line, 1, n, fp), n);
        fclose(fp);
        unsigned long loaded;
        struct oui_db *db = oui_load(sub, &loaded);
        const char *name = lookup(db, "3c:2a:f4:00:00:01");
        /* Read once the name's closing quote is in (n = 38, plus the ','
         * at 39); skipped while the address quote is open (40..len-2). */
        bool want = n == 38 || n == 39 || n >= sizeof(line) - 2;
        assert_int_equal(loaded, want ? 1 : 0);
        if (want)
            assert_string_equal(name, "Brother Industries, LTD.");
        else
            assert_null(name);
        oui_free(db);
    }
}

/* The registries Debian ships, when installed (package ieee-data). */
static void test_system_registry(void **state)
{
    (void)state;
    if (access("/usr/share/ieee-data/oui.csv", R_OK) != 0) {
        print_message("skipped: /usr/share/ieee-data/oui.csv is absent "
                      "(apt-get install ieee-data)\n");
        skip();
    }
    unsigned long loaded = 0;
    uint64_t t0 = mono_ms();
    struct oui_db *db = oui_load("/usr/share/ieee-data", &loaded);
    uint64_t t1 = mono_ms();
    print_message("loaded %lu registry entries in %llu ms\n", loaded,
                  (unsigned long long)(t1 - t0));
    assert_true(loaded > 30000);
    assert_string_equal(lookup(db, "00:0c:29:12:34:56"), "VMware, Inc.");
    assert_string_equal(lookup(db, "3c:2a:f4:12:34:56"), "Brother Industries, LTD.");
    assert_string_equal(lookup(db, "00:00:00:00:00:01"), "XEROX CORPORATION");
    const char *cisco = lookup(db, "f4:bd:9e:00:00:01");
    assert_non_null(cisco);
    assert_non_null(strstr(cisco, "Cisco"));
    /* 70:B3:D5 is the IEEE's MA-S pool: a 36-bit entry beats the MA-L. */
    const char *mas = lookup(db, "70:b3:d5:f2:f0:01");
    assert_non_null(mas);
    assert_string_equal(mas, "TELEPLATFORMS");
    oui_free(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture),
        cmocka_unit_test(test_missing_dir_and_env),
        cmocka_unit_test(test_truncated_lines),
        cmocka_unit_test(test_system_registry),
    };
    return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
