#!/usr/bin/env bash
# The first and the last `mem` line of a run report the same free memory
# and the same number of domain records: nothing leaked in between.
log=$1
first=$(grep -aE '^free [0-9]+ KiB' "$log" | head -n 1)
last=$(grep -aE '^free [0-9]+ KiB' "$log" | tail -n 1)
[ -n "$first" ] || { echo "no mem line"; exit 1; }
[ "$first" = "$last" ] || { echo "before: '$first' after: '$last'"; exit 1; }
echo "free memory unchanged: $first"
