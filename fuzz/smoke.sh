#!/usr/bin/env bash
# The suite's fuzz stage (`make -s fuzz-smoke-report`), one PASS/FAIL/SKIP
# line per check, nonzero when one fails:
#   fuzz/corpus-fresh   fuzz/corpus/ is what gen_corpus writes today
#   fuzz/corpus-replay  the whole committed corpus replays under ASan+UBSan
#                       with no finding
#   fuzz/elf-replay     the ELF loader's corpus and every built kernel image
#                       replay through the raw-image harness (ASan+UBSan)
#   fuzz/afl-smoke      afl-fuzz starts on the persistent harness, runs for
#                       FUZZ_SMOKE_SECONDS and saves no crash or hang
set -u
cd "$(dirname "$0")/.."
BUILD=${1:-build}
out=$BUILD/fuzz
secs=${FUZZ_SMOKE_SECONDS:-20}
rc=0
mkdir -p "$out"
shopt -s nullglob

have_afl=0
command -v afl-fuzz >/dev/null && command -v afl-clang-fast >/dev/null && have_afl=1
# everything at once: the builds are single compiler runs of the whole tree
targets=("$out/replay" "$out/gen_corpus" "$out/elf-fuzz")
[ $have_afl = 1 ] && targets+=("$out/afl-harness")
make -s -k -j3 BUILD="$BUILD" "${targets[@]}" >"$out/build.log" 2>&1
if [ ! -x "$out/replay" ] || [ ! -x "$out/gen_corpus" ]; then
    head -20 "$out/build.log"
    echo "FAIL fuzz/build: see $out/build.log"
    exit 1
fi

# The generator is deterministic, so the committed seeds must match it.
fresh=$out/corpus-fresh
rm -rf "$fresh" && mkdir -p "$fresh"
"$out/gen_corpus" "$fresh" >/dev/null
stale=0
for f in "$fresh"/*; do
    cmp -s "$f" "fuzz/corpus/$(basename "$f")" || { echo "differs: $(basename "$f")"; stale=1; }
done
for f in fuzz/corpus/[0-9]*.bin; do
    [ -e "$fresh/$(basename "$f")" ] || { echo "not generated: $f"; stale=1; }
done
if [ $stale = 0 ]; then
    echo "PASS fuzz/corpus-fresh ($(ls "$fresh"/*.bin | wc -l) seeds)"
else
    echo "FAIL fuzz/corpus-fresh: run make fuzz-corpus and commit fuzz/corpus/"
    rc=1
fi

corpus=(fuzz/corpus/*.bin fuzz/corpus/afl/* fuzz/findings/*.bin)
if "$out/replay" -q "${corpus[@]}" >"$out/replay.log" 2>&1; then
    sum=$(sed -n 's/^replayed \([0-9]*\) programs, \([0-9]*\) ops, .*/\1 programs, \2 ops/p' \
        "$out/replay.log")
    echo "PASS fuzz/corpus-replay ($sum, ASan+UBSan)"
else
    grep -m1 -A3 'FINDING\|ERROR\|runtime error' "$out/replay.log"
    echo "FAIL fuzz/corpus-replay: see $out/replay.log"
    rc=1
fi

elf_inputs=(fuzz/corpus-elf/* "$BUILD"/guests/*.elf "$BUILD"/dom0.elf "$BUILD"/bad-images/*.elf)
if [ ! -x "$out/elf-fuzz" ]; then
    echo "FAIL fuzz/elf-replay: harness does not build (see $out/build.log)"
    rc=1
elif "$out/elf-fuzz" "${elf_inputs[@]}" >"$out/elf-replay.log" 2>&1; then
    echo "PASS fuzz/elf-replay (${#elf_inputs[@]} images, ASan+UBSan)"
else
    grep -m1 -A3 'FINDING\|ERROR\|runtime error' "$out/elf-replay.log"
    echo "FAIL fuzz/elf-replay: see $out/elf-replay.log"
    rc=1
fi

if [ $have_afl = 0 ]; then
    echo "SKIP fuzz/afl-smoke: AFL++ not installed"
    exit $rc
fi
if [ ! -x "$out/afl-harness" ]; then
    head -20 "$out/build.log"
    echo "FAIL fuzz/afl-smoke: harness does not build"
    exit 1
fi
seeds=$out/smoke-seeds
rm -rf "$seeds" "$out/smoke" && mkdir -p "$seeds"
cp "${corpus[@]}" "$seeds/"
# No system changes: the AFL_ variables accept a core_pattern that pipes,
# a CPU governor that scales and a machine with no free core to bind.
AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 \
    timeout -k 5 $((secs + 60)) afl-fuzz -i "$seeds" -o "$out/smoke" -V "$secs" -t 1000 \
    -- "$out/afl-harness" >"$out/smoke.log" 2>&1
stats=$(fuzz/afl-stats.sh "$out/smoke/default")
src=$?
execs=$(awk -F' *: *' '$1 == "execs_done" { print $2 }' "$out/smoke/default/fuzzer_stats" \
    2>/dev/null)
if [ $src = 0 ] && [ "${execs:-0}" -gt 0 ]; then
    echo "PASS fuzz/afl-smoke (${stats#afl: })"
else
    tail -5 "$out/smoke.log"
    echo "$stats"
    echo "FAIL fuzz/afl-smoke: see $out/smoke.log"
    rc=1
fi
exit $rc
