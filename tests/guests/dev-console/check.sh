#!/usr/bin/env bash
# Every one of the 300 numbered lines arrived, once, in order: with the
# guest's name in front, or raw while `console 1` showed it live (a line
# the console left half shown is shown again whole, with the name).
log=$1
seq=$(grep -aE '^(\[pvcons\] )?pvconsole: line [0-9]+ of 300$' "$log" | awk '{print $(NF-2)}' |
    uniq | tr '\n' ' ')
want=$(seq 1 300 | tr '\n' ' ')
[ "$seq" = "$want" ] || { echo "lines out of order or missing"; exit 1; }
