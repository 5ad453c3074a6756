/* fuzz-intel-list.c - intel_db_add_list() over a whole threat-list file:
 * format detection, every loader (byte 0 forces a format: 0 auto, 1..10),
 * then lookups of what the loaders must have kept consistent. */
#include "fuzz.h"
#include "intel/intel.h"
#include "util/util.h"

static void fuzz_probe(void *arg, const struct intel_match *m)
{
    (void)arg;
    if (!m->list || !m->entry || !m->note)
        fuzz_fail("intel match with a NULL field");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > FUZZ_MAX_INPUT)
        return 0;
    struct intel_load_opts o;
    intel_load_opts_default(&o);
    o.format = (enum intel_format)(data[0] % INTEL_FMT_MAX);
    o.ipsum_min = 1u + data[0] / INTEL_FMT_MAX % 4u;
    const char *buf = (const char *)data + 1;
    size_t len = size - 1;
    struct intel_db *db = intel_db_new();
    struct intel_load_result r;
    char err[512];
    int rc = intel_db_add_list(db, "fuzz", buf, len, &o, &r, err, sizeof(err));
    if (rc < 0) {
        if (!err[0])
            fuzz_fail("rejected without a reason");
        if (intel_db_entries(db) != 0)
            fuzz_fail("entries kept after a rejection");
    } else {
        /* Duplicates and public suffixes are understood lines left out
         * (skipped): they count against the bad ones too. */
        if (r.entries == 0 || r.bad * 2 > r.entries + r.skipped + r.bad)
            fuzz_fail("accepted a list that should be rejected");
        if (intel_db_entries(db) > r.entries)
            fuzz_fail("more entries than the loader reported");
    }
    /* Lookups with pieces of the input itself. */
    char probe[256];
    size_t n = len < sizeof(probe) - 1 ? len : sizeof(probe) - 1;
    memcpy(probe, buf, n);
    probe[n] = '\0';
    for (char *p = probe; *p; p++)
        if (*p == '\n' || *p == '\r') {
            *p = '\0';
            break;
        }
    struct intel_match m;
    intel_match_domain(db, probe, &m);
    intel_match_url(db, probe, &m);
    intel_match_url_host(db, probe, &m);
    intel_match_ja3(db, probe, &m);
    intel_check(db, probe, fuzz_probe, NULL);
    intel_db_free(db);
    return 0;
}
