#!/usr/bin/env bash
# XS-7, XS-18: every hog reported its verdict, the victim is intact after
# the attacks, and once every guest is destroyed the free memory and the
# store's counts are those from before the first guest.
log=$1
for h in attacker atk-h4 atk-h5 atk-h6 atk-h7 atk-h8 atk-h9 atk-h10; do
    grep -aqE "^\[$h\] Test result: SUCCESS" "$log" || { echo "no success from $h"; exit 1; }
done
tests/guests/common/victim-after.sh "$log" || exit 1
tests/guests/common/same-free-memory.sh "$log"
