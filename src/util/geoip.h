/* geoip.h - country of an IP address from an offline MaxMind-format database
 * (libmaxminddb), e.g. the npm package @ip-location-db/geo-whois-asn-country-mmdb
 * or GeoLite2-Country. Used by `mamori report` (inbound probes by country)
 * and `mamori mail` (origin of a message). Optional everywhere: without a
 * database callers say so and go on.
 */
#ifndef MAMORI_GEOIP_H
#define MAMORI_GEOIP_H

struct geoip;

/* Opens path; NULL path looks in the usual places (geoip_default_path).
 * Returns NULL if there is no database or it cannot be read; *why (may be
 * NULL) then points at a static English reason. */
struct geoip *geoip_open(const char *path, const char **why);
void geoip_close(struct geoip *g);
/* ISO 3166 two-letter country code of ip (text form, v4 or v6) into cc.
 * Returns 0, or -1 if the address is not in the database or malformed. */
int geoip_country(struct geoip *g, const char *ip, char cc[3]);
/* Path the database was opened from. */
const char *geoip_path(const struct geoip *g);
/* The first existing file of: $MAMORI_GEOIP, /var/lib/mamori/country.mmdb,
 * /usr/share/mamori/country.mmdb, /usr/share/GeoIP/GeoLite2-Country.mmdb,
 * or NULL. */
const char *geoip_default_path(void);

#endif
