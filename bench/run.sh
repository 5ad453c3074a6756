#!/usr/bin/env bash
# bench/run.sh - throughput and peak memory of `mamori read` on a large capture, side by side
# with Suricata 7 when it is installed. `make bench` calls it as: bench/run.sh build/src/cli/mamori
#
# usage: bench/run.sh [MAMORI]          (default: build/src/cli/mamori)
# environment:
#   MAMORI_SHARED    the shared kit (default: ../shared next to the repository)
#   BENCH_DIR        work directory (default /tmp/mamori-bench); the corpus is kept there and
#                    rebuilt only when its parameters or inputs change
#   BENCH_SIZE_MB    corpus size given to make-corpus.sh -s (default 512)
#   BENCH_RUNS       runs per tool (default 5); figures are medians
#   BENCH_CPU        the one core both tools are pinned to with taskset (default 0)
#   BENCH_SURICATA_EVE  app (default): Suricata logs EVE flow, dns, tls, http and smtp records
#                    (mamori logs flows and every protocol it parses); flow: flow records only;
#                    all: Suricata's EVE types as in suricata-bench.yaml
#   BENCH_SURICATA_RULES  both (default): two comparisons. Parsing and logging: mamori with
#                    every parser on and its detectors and inventory off (--set
#                    detect.enabled=no) against Suricata with no rules (-S /dev/null).
#                    Detection: mamori with everything on against Suricata with the rules its
#                    Debian package ships (suricata-bench.yaml's rule-files).
#                    bundled / none: only the detection / only the parsing comparison
#   BENCH_INTEL_ENTRIES  N > 0 (default 1000000): a second mamori line with N generated
#                    threat-list entries loaded (tools/gen-intel.py: half IPv4 addresses and
#                    networks, half domains), to measure what the lookups cost; 0: skip
#   BENCH_INSTALL=1  install Suricata first with ../shared/bench/run-install.sh (root)
#
# Method (../shared/bench/README.md): one corpus built by make-corpus.sh from the real captures,
# read once untimed so that it is in the page cache for every run;
# each tool reads it BENCH_RUNS times, alternately (mamori, suricata, mamori, suricata...), with a
# fresh output directory each run, pinned to one core, under /usr/bin/time -f '%e %U %S %M'.
# mamori: `mamori read --db DIR/x.db --eve DIR/eve.json CORPUS` (flow records and protocol
# events to the store and EVE; with --set detect.enabled=no for the parsing comparison).
# Suricata: `unshare -n suricata -c suricata-bench.yaml -r CORPUS -l DIR --runmode single`
# (with -S /dev/null for the parsing comparison), EVE restricted to flow, dns, tls, http and
# smtp records by --set
# ...enabled=no on the other EVE types. Reported: median wall time, packets/s, MB/s (corpus file size, 10^6 bytes),
# median CPU time (user + sys), median peak RSS, and the ratios mamori/suricata (packets/s by
# wall time and by CPU time, peak RSS).
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
mamori=${1:-$repo/build/src/cli/mamori}
shared=${MAMORI_SHARED:-$repo/../shared}
dir=${BENCH_DIR:-/tmp/mamori-bench}
size_mb=${BENCH_SIZE_MB:-512}
runs=${BENCH_RUNS:-5}
cpu=${BENCH_CPU:-0}
suri_eve=${BENCH_SURICATA_EVE:-app}
suri_rules=${BENCH_SURICATA_RULES:-both}
intel_entries=${BENCH_INTEL_ENTRIES:-1000000}

die() { echo "bench: $*" >&2; exit 1; }
# calc EXPR: floating-point arithmetic without bc
calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }
# median COLUMN FILE
median() { awk -v c="$1" '{ print $c }' "$2" | sort -g | awk '{ v[NR] = $1 }
    END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
[ -x "$mamori" ] || die "no mamori binary at '$mamori' (build it: make all)"
mamori=$(cd "$(dirname "$mamori")" && pwd)/$(basename "$mamori")
[ -d "$shared/data/pcap" ] || die "no capture corpus at $shared/data/pcap (set MAMORI_SHARED)"
[ -x /usr/bin/time ] || die "/usr/bin/time missing (apt-get install time)"
shared=$(cd "$shared" && pwd)
kit=$shared/bench
pin=()
if command -v taskset >/dev/null && taskset -c "$cpu" true 2>/dev/null; then
    pin=(taskset -c "$cpu")
else
    echo "bench: taskset unavailable or core $cpu not usable: runs are not pinned" >&2
fi

if [ "${BENCH_INSTALL:-0}" = 1 ] && ! command -v suricata >/dev/null; then
    bash "$kit/run-install.sh"
fi

# --- the corpus: rebuilt only when its parameters or inputs changed ---------------------
mkdir -p "$dir"
corpus=$dir/corpus.pcap
stamp_want=$( {
    echo "size=$size_mb inputs=$shared/data/pcap"
    sha256sum "$kit/make-corpus.sh" "$kit/make-corpus.py" | cut -c1-64
    (cd "$shared/data/pcap" && find . -type f -printf '%P %s %T@\n' | sort)
} | sha256sum | cut -c1-64)
if [ -s "$corpus" ] && [ -f "$corpus.stamp" ] &&
    [ "$(sed -n 1p "$corpus.stamp")" = "$stamp_want" ] &&
    [ "$(sed -n 2p "$corpus.stamp")" = "$(stat -c %s "$corpus")" ]; then
    echo "corpus: $corpus (up to date)"
else
    echo "corpus: building $corpus ($size_mb MiB) with make-corpus.sh ..."
    rm -f "$corpus.stamp"
    "$kit/make-corpus.sh" -o "$corpus" -s "$size_mb" "$shared/data/pcap" > "$dir/corpus.log" 2>&1 ||
        { tail -n 20 "$dir/corpus.log" >&2; die "make-corpus.sh failed"; }
    printf '%s\n%s\n' "$stamp_want" "$(stat -c %s "$corpus")" > "$corpus.stamp"
fi
corpus_bytes=$(stat -c %s "$corpus")

# --- runs -------------------------------------------------------------------------------
# run_tool NAME OUTDIR CMD... : one timed run; appends "wall user sys rss_kib" to $dir/NAME.times
run_tool() {
    local name=$1 out=$2
    shift 2
    rm -rf "$out"
    mkdir -p "$out"
    if ! /usr/bin/time -f '%e %U %S %M' -o "$out/time" "${pin[@]}" "$@" \
        > "$out/stdout" 2> "$out/stderr"; then
        echo "bench: $name failed (exit status in $out/time):" >&2
        tail -n 5 "$out/stderr" "$out/time" >&2
        return 1
    fi
    tail -n 1 "$out/time" >> "$dir/$name.times"
    read -r w u s m < <(tail -n 1 "$out/time")
    printf '  %-8s wall %6.2f s  user %6.2f s  sys %5.2f s  peak RSS %7.1f MiB\n' \
        "$name" "$w" "$u" "$s" "$(calc "$m / 1024")"
}

suricata=$(command -v suricata || true)
suri_set=()
if [ -n "$suricata" ]; then
    yaml=$kit/suricata-bench.yaml
    [ -f "$yaml" ] || die "missing $yaml"
    if [ "$suri_eve" != all ]; then
        # --set the "enabled: no" switch of every EVE type not kept: outputs.I.eve-log.types.J.T
        mapfile -t suri_set < <(/usr/bin/python3 - "$yaml" "$suri_eve" <<'EOF'
import re, sys
keep = {'flow'} if sys.argv[2] == 'flow' else {'flow', 'dns', 'tls', 'http', 'smtp'}
lines = open(sys.argv[1]).read().split('\n')
out_idx = -1; in_outputs = in_eve = in_types = False; types_indent = item_indent = None; j = -1
for line in lines:
    if not line.strip() or line.lstrip().startswith('#'):
        continue
    ind = len(line) - len(line.lstrip())
    if re.match(r'^outputs:\s*$', line):
        in_outputs = True; continue
    if in_outputs and ind == 0:
        break
    if not in_outputs:
        continue
    m = re.match(r'^  - ([\w-]+):', line)
    if m:
        out_idx += 1; in_eve = m.group(1) == 'eve-log'; in_types = False; continue
    if not in_eve:
        continue
    if in_types and ind <= types_indent:
        in_types = False
    if not in_types and re.match(r'^\s+types:\s*$', line):
        in_types = True; types_indent = ind; item_indent = None; j = -1; continue
    if in_types:
        m = re.match(r'^(\s*)- ([\w-]+)', line)
        if m and (item_indent is None or len(m.group(1)) == item_indent):
            item_indent = len(m.group(1)); j += 1
            if m.group(2) not in keep:
                print('outputs.%d.eve-log.types.%d.%s.enabled=no' % (out_idx, j, m.group(2)))
EOF
        )
    fi
fi
suri_args=()
for s in "${suri_set[@]}"; do suri_args+=(--set "$s"); done
# Which comparisons: "parse" (mamori without detectors vs Suricata without rules) and/or
# "detect" (mamori with everything vs Suricata with its bundled rules).
case $suri_rules in
    none) modes="parse"; rules_desc="no rules" ;;
    bundled) modes="detect"; rules_desc="the rules of its package (suricata-bench.yaml rule-files)" ;;
    both) modes="parse detect"
        rules_desc="no rules, then the rules of its package (suricata-bench.yaml rule-files)" ;;
    *) die "BENCH_SURICATA_RULES must be both, bundled or none" ;;
esac
has_mode() { case " $modes " in *" $1 "*) return 0 ;; esac; return 1; }

echo "corpus: $corpus, $((corpus_bytes / 1000000)) MB"
echo "mamori: $mamori ($("$mamori" --version 2>&1 | head -n 1))"
if [ -n "$suricata" ]; then
    echo "suricata: $("$suricata" -V 2>&1 | head -n 1), runmode single, $rules_desc, EVE types:" \
        "$(case $suri_eve in flow) echo "flow only (${#suri_set[@]} others disabled)";;
            app) echo "flow, dns, tls, http, smtp (${#suri_set[@]} others disabled)";;
            *) echo "as in suricata-bench.yaml";; esac)"
else
    echo "suricata: not installed (BENCH_INSTALL=1 installs it): mamori alone"
fi
# --- threat lists for the mamori+intel line ----------------------------------------------
intel_dir=$dir/intel-$intel_entries
if [ "$intel_entries" -gt 0 ] && [ ! -f "$intel_dir/.done" ]; then
    echo "intel: generating $intel_entries entries into $intel_dir ..."
    rm -rf "$intel_dir"
    mkdir -p "$intel_dir"
    half=$((intel_entries / 2))
    # Single addresses: random networks (--kind mixed) would cover much of the corpus's
    # rewritten address space and turn the run into an alert-writing test.
    python3 "$repo/tools/gen-intel.py" "$half" --kind ip --seed 1 > "$dir/intel-ip.txt"
    python3 "$repo/tools/gen-intel.py" "$((intel_entries - half))" --kind domain --seed 2 \
        > "$dir/intel-domain.txt"
    "$mamori" intel add "$dir/intel-ip.txt" --name bench-ip --intel "$intel_dir" > /dev/null
    "$mamori" intel add "$dir/intel-domain.txt" --name bench-domain --intel "$intel_dir" > /dev/null
    rm -f "$dir/intel-ip.txt" "$dir/intel-domain.txt"
    touch "$intel_dir/.done"
fi
# What loading the lists costs at start (once per sensor start, not per packet): the
# median of three reads of an empty capture with and without them.
intel_load=0
if [ "$intel_entries" -gt 0 ]; then
    "$mamori" gen-scenario empty -o "$dir/empty.pcap" > /dev/null
    for i in 1 2 3; do
        rm -rf "$dir/run-load"; mkdir -p "$dir/run-load"
        /usr/bin/time -f '%e' -o "$dir/run-load/t0" "${pin[@]}" "$mamori" read --quiet \
            --db "$dir/run-load/a.db" "$dir/empty.pcap"
        /usr/bin/time -f '%e' -o "$dir/run-load/t1" "${pin[@]}" "$mamori" read --quiet \
            --intel "$intel_dir" --db "$dir/run-load/b.db" "$dir/empty.pcap"
        calc "$(tail -n 1 "$dir/run-load/t1") - $(tail -n 1 "$dir/run-load/t0")"; echo
    done > "$dir/intel-load.times"
    intel_load=$(median 1 "$dir/intel-load.times")
fi

echo "cpu: ${pin[*]:-not pinned}; $runs runs each, alternating"
# Read the corpus once before the timed runs: otherwise the first run (always
# mamori's) may read it from disk, e.g. after the store benchmark of a
# previous bench pushed it out of the page cache, and every other run from
# memory.
cat "$corpus" > /dev/null
rm -f "$dir"/*.times
packets=
# mamori_run NAME [OPTION...]: `mamori read` of the corpus into a fresh store and EVE file
mamori_run() {
    local name=$1
    shift
    run_tool "$name" "$dir/run-$name" "$mamori" read "$@" --db "$dir/run-$name/x.db" \
        --eve "$dir/run-$name/eve.json" "$corpus" || exit 1
    local p
    p=$(awk '$1 == "packets" { print $2; exit }' "$dir/run-$name/stdout")
    [ -n "$p" ] || die "no 'packets N' line in mamori's summary"
    [ -z "$packets" ] || [ "$p" = "$packets" ] || die "packet count changed: $packets then $p"
    packets=$p
}
# suricata_run NAME [OPTION...]
suricata_run() {
    local name=$1
    shift
    run_tool "$name" "$dir/run-$name" unshare -n "$suricata" -c "$kit/suricata-bench.yaml" \
        -r "$corpus" -l "$dir/run-$name" --runmode single "${suri_args[@]}" "$@" || exit 1
}
for i in $(seq 1 "$runs"); do
    echo "run $i:"
    if has_mode parse; then
        mamori_run mamori-parse --set detect.enabled=no
        [ -z "$suricata" ] || suricata_run suricata-norules -S /dev/null
    fi
    if has_mode detect; then
        mamori_run mamori
        [ -z "$suricata" ] || suricata_run suricata-rules
    fi
    if [ "$intel_entries" -gt 0 ]; then
        mamori_run mamori-intel --intel "$intel_dir"
    fi
done

# --- figures ----------------------------------------------------------------------------
report() {
    local name=$1 w m c
    w=$(median 1 "$dir/$name.times")
    m=$(median 4 "$dir/$name.times")
    # CPU seconds (user + sys): steadier than wall time on a shared machine
    c=$(awk '{ print $2 + $3 }' "$dir/$name.times" > "$dir/$name.cpu"; median 1 "$dir/$name.cpu")
    printf '%-16s median wall %6.2f s  %9.0f packets/s  %7.1f MB/s  cpu %6.2f s  peak RSS %7.1f MiB\n' \
        "$name" "$w" "$(calc "$packets / $w")" \
        "$(calc "$corpus_bytes / 1000000 / $w")" "$c" "$(calc "$m / 1024")"
    local v=${name//-/_}
    eval "${v}_wall=$w ${v}_rss=$m ${v}_cpu=$c"
}
echo "packets: $packets"
# ratio LABEL MAMORI SURICATA: packets/s ratio = inverse ratio of wall times (same file)
ratio() {
    local m=${2//-/_} s=${3//-/_}
    eval "local mw=\$${m}_wall mc=\$${m}_cpu mr=\$${m}_rss sw=\$${s}_wall sc=\$${s}_cpu sr=\$${s}_rss"
    printf '%s: mamori/suricata packets/s x%.2f (by cpu time x%.2f), peak RSS x%.2f\n' "$1" \
        "$(calc "$sw / $mw")" "$(calc "$sc / $mc")" "$(calc "$mr / $sr")"
    # Each mamori run against the Suricata run right after it: the two share
    # the machine's state of the moment, which drifts over a bench.
    local pairs
    pairs=$(paste "$dir/$2.times" "$dir/$3.times" | awk '{ printf "%.6f\n", $5 / $1 }' |
        sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) m = v[(NR + 1) / 2];
            else m = (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "x%.2f (from x%.2f to x%.2f)", m, v[1], v[NR] }')
    printf '  run by run, each mamori run against the Suricata run beside it: median %s\n' "$pairs"
}
{
    if has_mode parse; then
        report mamori-parse
        [ -z "$suricata" ] || report suricata-norules
    fi
    if has_mode detect; then
        report mamori
        [ -z "$suricata" ] || report suricata-rules
    fi
    if [ "$intel_entries" -gt 0 ]; then
        report mamori-intel
        if has_mode detect; then
            printf 'threat lists: %d entries load in %.2f s at start; lookups cost %.1f%% of packets/s (%.1f%% counting the load)\n' \
                "$intel_entries" "$intel_load" \
                "$(calc "(1 - $mamori_wall / (${mamori_intel_wall} - $intel_load)) * 100")" \
                "$(calc "(1 - $mamori_wall / ${mamori_intel_wall}) * 100")"
        fi
    fi
    if [ -n "$suricata" ]; then
        ! has_mode parse ||
            ratio "parsing and logging (parsers on, detectors off / no rules)" mamori-parse suricata-norules
        ! has_mode detect ||
            ratio "detection (everything on / bundled rules)" mamori suricata-rules
    fi
} | tee "$dir/results.txt"

# Query times on a month of a 50-device office store (issues 6 and 7): scope, timeline, report.
echo
"$here/scope-report.sh" "$mamori"
