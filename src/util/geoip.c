/* geoip.c - see geoip.h. */
#include "util/geoip.h"

#include <maxminddb.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/util.h"

struct geoip {
    MMDB_s mmdb;
    char *path;
};

const char *geoip_default_path(void)
{
    static const char *const paths[] = {
        "/var/lib/mamori/country.mmdb",
        "/usr/share/mamori/country.mmdb",
        "/usr/share/GeoIP/GeoLite2-Country.mmdb",
        "/usr/share/GeoIP/dbip-country-lite.mmdb",
    };
    const char *env = getenv("MAMORI_GEOIP");
    if (env && *env)
        return access(env, R_OK) == 0 ? env : NULL;
    for (size_t i = 0; i < ARRAY_SIZE(paths); i++)
        if (access(paths[i], R_OK) == 0)
            return paths[i];
    return NULL;
}

struct geoip *geoip_open(const char *path, const char **why)
{
    if (!path)
        path = geoip_default_path();
    if (!path) {
        if (why)
            *why = "no GeoIP country database installed";
        return NULL;
    }
    struct geoip *g = xcalloc(1, sizeof(*g));
    int rc = MMDB_open(path, MMDB_MODE_MMAP, &g->mmdb);
    if (rc != MMDB_SUCCESS) {
        if (why)
            *why = MMDB_strerror(rc);
        free(g);
        return NULL;
    }
    g->path = xstrdup(path);
    return g;
}

void geoip_close(struct geoip *g)
{
    if (!g)
        return;
    MMDB_close(&g->mmdb);
    free(g->path);
    free(g);
}

const char *geoip_path(const struct geoip *g)
{
    return g ? g->path : NULL;
}

/* Reads a two-letter string at one of the usual paths: GeoLite2 has
 * country.iso_code, ip-location-db's country mmdb has country_code. */
static int geoip_get_cc(MMDB_entry_s *e, char cc[3])
{
    MMDB_entry_data_s d;
    static const char *const p1[] = {"country", "iso_code", NULL};
    static const char *const p2[] = {"country_code", NULL};
    static const char *const p3[] = {"registered_country", "iso_code", NULL};
    const char *const *paths[] = {p1, p2, p3};
    for (size_t i = 0; i < ARRAY_SIZE(paths); i++) {
        if (MMDB_aget_value(e, &d, paths[i]) == MMDB_SUCCESS && d.has_data &&
            d.type == MMDB_DATA_TYPE_UTF8_STRING && d.data_size == 2) {
            cc[0] = d.utf8_string[0];
            cc[1] = d.utf8_string[1];
            cc[2] = '\0';
            return 0;
        }
    }
    return -1;
}

int geoip_country(struct geoip *g, const char *ip, char cc[3])
{
    if (!g || !ip)
        return -1;
    int gai = 0, mmdb = 0;
    MMDB_lookup_result_s r = MMDB_lookup_string(&g->mmdb, ip, &gai, &mmdb);
    if (gai != 0 || mmdb != MMDB_SUCCESS || !r.found_entry)
        return -1;
    return geoip_get_cc(&r.entry, cc);
}
