#!/bin/sh
# geoip-install.sh - installs an offline country database for `mamori report`
# (probes from the Internet by country) and `mamori mail`, and prints the
# path of the .mmdb file.
#
#   tools/geoip-install.sh [DIR]        (default DIR: /var/lib/mamori/geoip)
#
# It runs `npm install` of @ip-location-db/geo-whois-asn-country-mmdb (IP to
# country from public WHOIS and ASN data, CC0/PDDL, updated daily upstream)
# into DIR. Then point mamori at the printed file: `geoip.db = PATH` in the
# settings file, `--geoip PATH`, or MAMORI_GEOIP=PATH; or copy it to
# /var/lib/mamori/country.mmdb, where mamori looks by default. Run it again
# (e.g. monthly from cron) to update.
#
# Exit status: 0 installed (the path on standard output), 1 npm missing or
# the install failed (npm's messages on standard error).
set -eu
PKG=@ip-location-db/geo-whois-asn-country-mmdb
DIR=${1:-/var/lib/mamori/geoip}
if ! command -v npm >/dev/null 2>&1; then
    echo "geoip-install: npm is not installed (apt-get install npm)" >&2
    exit 1
fi
mkdir -p "$DIR"
cd "$DIR"
[ -f package.json ] || printf '{"name":"mamori-geoip","private":true}\n' > package.json
if ! npm install --no-audit --no-fund --loglevel=error "$PKG@latest" >&2; then
    echo "geoip-install: npm install $PKG failed" >&2
    exit 1
fi
# The combined IPv4+IPv6 file; the package also has -ipv4/-ipv6 halves.
f=$(find "$DIR/node_modules/$PKG" -name '*.mmdb' ! -name '*-ipv4.mmdb' ! -name '*-ipv6.mmdb' |
    sort | head -n 1)
[ -n "$f" ] || f=$(find "$DIR/node_modules/$PKG" -name '*.mmdb' | sort | head -n 1)
if [ -z "$f" ] || [ ! -s "$f" ]; then
    echo "geoip-install: no .mmdb file in $PKG" >&2
    exit 1
fi
echo "$f"
