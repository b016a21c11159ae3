#!/usr/bin/env bash
# Every one of the 300 numbered lines arrived, once, in order (the shell's
# echo of typed commands may share a line with guest output).
log=$1
seq=$(grep -aoE '\[pvcons\] pvconsole: line [0-9]+ ' "$log" | awk '{print $4}' | tr '\n' ' ')
want=$(seq 1 300 | tr '\n' ' ')
[ "$seq" = "$want" ] || { echo "lines out of order or missing"; exit 1; }
