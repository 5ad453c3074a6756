/* fuzz-known-csv.c - known_parse() over a whole known-device list file:
 * quoting, line counting, the UTF-8 check and the CP932 conversion. */
#include "fuzz.h"
#include "inventory/known.h"
#include "util/util.h"

static bool fuzz_utf8_ok(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n = *p < 0x80                  ? 0
                   : *p >= 0xc2 && *p <= 0xdf ? 1
                   : *p >= 0xe0 && *p <= 0xef ? 2
                   : *p >= 0xf0 && *p <= 0xf4 ? 3
                                              : 4;
        if (n == 4)
            return false;
        for (size_t k = 1; k <= n; k++)
            if ((p[k] & 0xc0) != 0x80)
                return false;
        p += n + 1;
    }
    return true;
}

static void fuzz_check_string(const char *s, size_t size)
{
    if (!memchr(s, '\0', size))
        fuzz_fail("known field not NUL-terminated");
    if (!fuzz_utf8_ok(s))
        fuzz_fail("known field not UTF-8");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct known_list kl;
    char err[256];

    if (size > FUZZ_MAX_INPUT)
        return 0;
    known_init(&kl);
    /* known.h: 0 with a list sorted by MAC, or -1 with "line N: ..." and
     * an empty list. */
    if (known_parse(&kl, (const char *)data, size, err, sizeof(err)) == 0) {
        if (kl.n > KNOWN_MAX_DEVICES)
            fuzz_fail("more than KNOWN_MAX_DEVICES entries");
        for (size_t i = 0; i < kl.n; i++) {
            const struct known_device *d = &kl.v[i];
            if (i && memcmp(kl.v[i - 1].mac, d->mac, 6) >= 0)
                fuzz_fail("entries not sorted by MAC or duplicated");
            fuzz_check_string(d->name, sizeof(d->name));
            fuzz_check_string(d->owner, sizeof(d->owner));
            fuzz_check_string(d->note, sizeof(d->note));
            if (known_find(&kl, d->mac) != d)
                fuzz_fail("known_find misses an entry");
        }
    } else {
        if (strncmp(err, "line ", 5) != 0)
            fuzz_fail("error without a line number");
        if (kl.n != 0)
            fuzz_fail("list not empty after an error");
    }
    known_free(&kl);
    return 0;
}
