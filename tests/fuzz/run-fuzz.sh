#!/bin/sh
# run-fuzz.sh - how `meson test --suite fuzz` runs a libFuzzer target.
#
# Usage: run-fuzz.sh TARGET SEED_DIR WORK_DIR SECONDS
# Copies the seeds into WORK_DIR (in the build tree) and fuzzes that copy, so
# the source tree is never written; new inputs and crash-*/leak-*/timeout-*
# artifacts stay in WORK_DIR. A crash makes the test fail (exit 1: libFuzzer's own
# default, 77, would read as "skipped" to meson); move the artifact
# to tests/fuzz/corpus/<target>/crash-<what> to keep it as a regression seed.
set -eu
target=$1 seeds=$2 work=$3 seconds=$4

mkdir -p "$work/corpus" "$work/artifacts"
# Seeds win over an older copy of the same name; earlier finds are kept.
cp -f "$seeds"/* "$work/corpus/" 2>/dev/null || true
exec "$target" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -error_exitcode=1 \
    -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$work/corpus"
