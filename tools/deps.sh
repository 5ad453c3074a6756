#!/usr/bin/env bash
# deps.sh demo|check|bench - make sure the Debian packages a target needs are
# installed. As root it installs what is missing with apt-get; otherwise it
# prints the one apt-get line to run and fails.
set -euo pipefail
what=${1:-check}

build=(build-essential meson ninja-build pkg-config libpcap-dev libsqlite3-dev libjansson-dev
       zlib1g-dev sqlite3 libndpi-dev libssl-dev libcurl4-openssl-dev libpsl-dev
       ieee-data libgmime-3.0-dev libmagic-dev libmaxminddb-dev libgoogle-perftools-dev)
case $what in
  demo)  pkgs=("${build[@]}") ;;
  check) pkgs=("${build[@]}" libcmocka-dev tshark python3 python3-jsonschema clang
               libclang-rt-14-dev chromium fonts-noto-cjk python3-aiosmtpd tcpreplay iproute2) ;;
  bench) pkgs=("${build[@]}" wireshark-common python3 time util-linux) ;;
  *) echo "usage: $0 demo|check|bench" >&2; exit 2 ;;
esac

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  echo "installing: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  # tshark asks whether non-root users may capture; answer no, do not ask.
  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "mamori needs these Debian packages; run:" >&2
  echo "  sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
