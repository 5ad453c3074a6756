# tap.sh - shared by the command test scripts (source it after cd-ing into the
# scratch directory): TAP counters and lines, running a command into out/err,
# the sanitizer check, and the two common assertions (check, expect_err).
# The scripts end with: echo "1..$n"; [ "$failed" = 0 ].
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
SAN_RE='AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|MemorySanitizer|runtime error:'

n=0
failed=0
rc=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
# not_ok NAME [REASON...]: the reasons and the first lines of the last run's
# stdout and stderr follow as comments.
not_ok() {
    n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift
    for l in "$@"; do printf '#   %s\n' "$l"; done
    [ -s out ] && sed -n '1,10s/^/#   stdout: /p' out
    [ -s err ] && sed -n '1,12s/^/#   stderr: /p' err
    return 0
}
run() { "$@" >out 2>err; rc=$?; }
clean() { ! grep -Eq "$SAN_RE" err 2>/dev/null; }
# check NAME CMD...: passes when CMD (a test on the last run) succeeds and no
# sanitizer spoke during that run.
check() {
    local name=$1; shift
    if ! clean; then not_ok "$name" "sanitizer report"; return; fi
    if "$@"; then ok "$name"; else not_ok "$name" "check failed: $*" "rc=$rc"; fi
}
# expect_err NAME STATUS NEEDLE CMD...: runs CMD, which must exit with STATUS
# and say exactly one line on stderr, starting "mamori: " and containing NEEDLE
# (when not empty), with no sanitizer report. Whatever it printed before it
# failed may stay on stdout (read prints what it kept of a broken capture).
expect_err() {
    local name=$1 want=$2 needle=$3; shift 3
    run "$@"
    local why=() lines first
    lines=$(grep -c '' err); first=$(head -n 1 err)
    clean || why+=("sanitizer report")
    [ "$rc" -ge 128 ] && why+=("killed by signal $((rc - 128))")
    [ "$rc" -ne "$want" ] && why+=("exit $rc, want $want")
    [ "$lines" -ne 1 ] && why+=("$lines lines on stderr")
    case $first in mamori:\ *) ;; *) why+=("stderr does not start with 'mamori: '") ;; esac
    [ -n "$needle" ] && [[ $first != *"$needle"* ]] && why+=("stderr does not name '$needle'")
    if [ ${#why[@]} -eq 0 ]; then ok "$name"; else not_ok "$name" "${why[@]}"; fi
}
# expect_ok NAME CMD...: runs CMD, which must exit 0 with no sanitizer report.
expect_ok() {
    local name=$1; shift
    run "$@"
    local why=()
    clean || why+=("sanitizer report")
    [ "$rc" -ne 0 ] && why+=("exit $rc, want 0")
    if [ ${#why[@]} -eq 0 ]; then ok "$name"; else not_ok "$name" "${why[@]}"; fi
}
