#!/usr/bin/env bash
# The victim kept running while something held out in the hypervisor:
# at least MIN `[victim] victim: progress` lines between the first log
# line matching START and the first line after it matching END (both
# extended regexes), and END present. The victim prints one such line at
# every 20 ms wake-up (its `progress` command line); a hypercall or a
# teardown that held the CPU would leave none in between.
#
#   victim-during.sh <log> <start regex> <end regex> [min, default 3]
log=$1 start_re=$2 end_re=$3 min=${4:-3}
start=$(grep -anE -- "$start_re" "$log" | head -n 1 | cut -d: -f1)
[ -n "$start" ] || { echo "no line matching /$start_re/"; exit 1; }
end=$(tail -n +"$((start + 1))" "$log" | grep -anE -- "$end_re" | head -n 1 | cut -d: -f1)
[ -n "$end" ] || { echo "no line matching /$end_re/ after line $start"; exit 1; }
end=$((start + end))
n=$(sed -n "$((start + 1)),$((end - 1))p" "$log" | grep -acE '^\[victim\] victim: progress [0-9]+$')
if [ "$n" -lt "$min" ]; then
    echo "only $n victim progress line(s) between lines $start and $end (want $min)"
    exit 1
fi
echo "the victim printed $n progress lines between lines $start and $end"
