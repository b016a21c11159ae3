#!/usr/bin/env bash
# The first and the last `mem` line of a run report the same free memory
# and the same number of domain records, and the store holds the same
# number of nodes, watches, transactions and heap bytes (DEV-20, XS-11,
# XS-18): nothing leaked in between.
log=$1
first=$(grep -aE '^free [0-9]+ KiB' "$log" | head -n 1)
last=$(grep -aE '^free [0-9]+ KiB' "$log" | tail -n 1)
[ -n "$first" ] || { echo "no mem line"; exit 1; }
[ "$first" = "$last" ] || { echo "before: '$first' after: '$last'"; exit 1; }
xfirst=$(grep -aE '^xenstore: [0-9]+ nodes' "$log" | head -n 1)
xlast=$(grep -aE '^xenstore: [0-9]+ nodes' "$log" | tail -n 1)
[ -n "$xfirst" ] || { echo "no xenstore line"; exit 1; }
[ "$xfirst" = "$xlast" ] || { echo "store before: '$xfirst' after: '$xlast'"; exit 1; }
echo "free memory unchanged: $first; $xfirst"
