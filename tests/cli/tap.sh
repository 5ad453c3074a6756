# tap.sh - shared by the command test scripts (source it after cd-ing into the
# scratch directory): TAP counters and lines, running a command into out/err,
# and the sanitizer check. The scripts end with: echo "1..$n"; [ "$failed" = 0 ].
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
SAN_RE='AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:'

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { # NAME [REASON...]: the reasons and the first lines of err follow as comments
    n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift
    for l in "$@"; do printf '#   %s\n' "$l"; done
    [ -s err ] && sed -n '1,12s/^/#   stderr: /p' err
}
run() { "$@" >out 2>err; rc=$?; }
clean() { ! grep -Eq "$SAN_RE" err; }
