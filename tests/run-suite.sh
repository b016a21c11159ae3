#!/usr/bin/env bash
# `make test`: every stage of the suite, then one line "N passed, N failed".
#   lint      Clang static analyzer + cppcheck, zero findings; every rule
#             ID of spec/ named by its code, a test and, for guest input, a
#             hostile scenario or fuzz oracle (tests/rule-trace.py)
#   unit      hosted unit tests under ASan/UBSan
#   prove     Frama-C WP, every goal proved (answers replayed from
#             proofs/wp-cache/ where the goal is unchanged)
#   build     hypervisor, dom0, test guests (-Werror); gdb through make debug's
#             script to a hypervisor breakpoint and back; the ISO rebuilt
#             after an edit to each kind of its inputs, and only then
#   scenarios guest scenarios under QEMU (and Bochs where segment limits matter)
#   fuzz      replay of the committed corpus under the sanitizers
# Each stage prints PASS/FAIL/SKIP lines and its duration; the suite
# counts the lines. Builds and checks use every core (JOBS).
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
mkdir -p "$BUILD"
results="$BUILD/suite-results.txt"
: > "$results"
start=$(date +%s)

stage() {
    local name=$1; shift
    local t0=$SECONDS
    echo "== $name"
    "$@" 2>&1 | tee -a "$BUILD/suite-$name.log" | grep -E '^(PASS|FAIL|SKIP) ' | tee -a "$results"
    local rc=${PIPESTATUS[0]}
    if [ "$rc" -ne 0 ] && ! grep -q "^FAIL" <(tail -n 50 "$BUILD/suite-$name.log"); then
        echo "FAIL $name: stage exited $rc (see $BUILD/suite-$name.log)" | tee -a "$results"
    fi
    echo "   ($name: $((SECONDS - t0)) s)"
}

unit_stage() {
    make -s -j"$JOBS" unit-build || { echo "FAIL unit-build"; return 1; }
    local t
    for t in "$BUILD"/unit/test_*; do
        [ -x "$t" ] || continue
        if "$t" > "$t.out" 2>&1; then
            echo "PASS unit/$(basename "$t") ($(tail -n 1 "$t.out" | sed 's/.*: //'))"
        else
            echo "FAIL unit/$(basename "$t"): $(grep -m3 FAILED "$t.out" | tr '\n' ' ')"
        fi
    done
}

lint_stage() {
    tests/lint.sh "$BUILD/lint"
    local out
    if out=$(tests/rule-trace.py --summary); then
        echo "PASS rule-trace (${out#rule-trace: })"
    else
        printf '%s\n' "$out"
        echo "FAIL rule-trace: the chains above are broken"
    fi
}

build_stage() {
    if make -s -j"$JOBS" hv dom0 guests >/dev/null 2>"$BUILD/build-errors.txt"; then
        echo "PASS build"
    else
        head -20 "$BUILD/build-errors.txt"
        echo "FAIL build"
        return 1
    fi
    tests/debug-gdb.sh "$BUILD"         # make debug's gdb script, to a breakpoint and back
    tests/iso-rebuild.sh "$BUILD"       # make run never boots a stale image
}

rm -f "$BUILD"/suite-*.log
stage lint lint_stage
stage unit unit_stage
stage prove make -s prove-report
stage build build_stage
stage scenarios make -s scenarios
stage fuzz make -s fuzz-smoke-report

passed=$(grep -c '^PASS' "$results")
failed=$(grep -c '^FAIL' "$results")
skipped=$(grep -c '^SKIP' "$results")
echo
grep '^FAIL' "$results" || true
echo "($skipped skipped, $(( $(date +%s) - start )) s)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
