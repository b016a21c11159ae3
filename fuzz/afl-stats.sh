#!/usr/bin/env bash
# One line from an afl-fuzz output directory's fuzzer_stats:
#   afl-stats.sh OUT/default
# Exits 1 when the run saved a crash or a hang (each is a finding: replay
# it with `make fuzz-repro FILE=...`).
set -u
d=${1:?usage: afl-stats.sh AFL_OUTPUT_INSTANCE_DIR}
s=$d/fuzzer_stats
[ -f "$s" ] || { echo "afl-stats: no $s"; exit 2; }
get() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$s"; }
echo "afl: $(get run_time) s, $(get execs_done) execs ($(get execs_per_sec)/s)," \
    "corpus $(get corpus_count), edges $(get edges_found) ($(get bitmap_cvg))," \
    "crashes $(get saved_crashes), hangs $(get saved_hangs)"
if [ "$(get saved_crashes)" != 0 ] || [ "$(get saved_hangs)" != 0 ]; then
    ls "$d"/crashes/id:* "$d"/hangs/id:* 2>/dev/null | head -5
    exit 1
fi
