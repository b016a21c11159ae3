#!/usr/bin/env bash
# XS-7, XS-18: every hog (the attacker and atk-h*) reported success, the
# victim is intact after the attacks, and once every guest is destroyed
# the free memory and the store's counts are those from before the first
# guest.
log=$1
hogs=$(grep -acE '^\[(attacker|atk-h[0-9]+)\] xenstore: hog holds 128 watches, 10 transactions' "$log")
wins=$(grep -acE '^\[(attacker|atk-h[0-9]+)\] Test result: SUCCESS' "$log")
[ "$hogs" -ge 3 ] && [ "$hogs" = "$wins" ] || { echo "$hogs hogs, $wins succeeded"; exit 1; }
tests/guests/common/victim-after.sh "$log" || exit 1
tests/guests/common/same-free-memory.sh "$log"
