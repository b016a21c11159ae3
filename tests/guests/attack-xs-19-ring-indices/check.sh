#!/usr/bin/env bash
# XS-12, XS-19: each guest that broke its link is logged exactly once,
# and no other guest is; the victim is intact after the attacks, and once
# every guest is destroyed the free memory and the store's counts are
# those from before the first guest (XS-18).
log=$1
for d in 2 4 5 6 7; do
    n=$(grep -acE "^dom0: xenstore of domain $d: impossible ring indices; disconnected" "$log")
    [ "$n" = 1 ] || { echo "domain $d: $n log lines for its broken link, expected 1"; exit 1; }
done
n=$(grep -acE '^dom0: xenstore of domain [0-9]+: ' "$log")
[ "$n" = 5 ] || { echo "$n broken links logged, expected 5"; exit 1; }
tests/guests/common/victim-after.sh "$log" || exit 1
tests/guests/common/same-free-memory.sh "$log"
