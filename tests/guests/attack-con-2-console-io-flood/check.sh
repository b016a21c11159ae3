#!/usr/bin/env bash
# CON-2..CON-4: the flood was bounded and counted. dom0's `list` shows the
# attacker's dropped bytes (at least the 3.9 GB write less one call's
# bound), only a bucket's worth of the 2,000 flood lines reached the
# serial line, and the victim is intact after the attack.
log=$1
d=$(dirname "$0")/../common
"$d/victim-after.sh" "$log" || exit 1
# ID NAME STATE MEM(KiB) CPU(ms) WEIGHT CONDROP(B): the 7th column
dropped=$(grep -aE '^2 +attacker +[a-z]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+' "$log" | tail -n 1 |
          awk '{print $7}')
[ -n "$dropped" ] || { echo "no list line for the attacker"; exit 1; }
[ "$dropped" -ge 4000000000 ] || { echo "only $dropped bytes counted as dropped"; exit 1; }
lines=$(grep -acE '^\[attacker\] F{99}$' "$log")
# 16 KiB of bucket, 2 KiB/s of refill over a run of a few seconds: well
# under the 2,000 lines written, and some got through
if [ "$lines" -ge 1000 ] || [ "$lines" -lt 50 ]; then
    echo "$lines flood lines printed (want 50..999)"
    exit 1
fi
echo "dropped $dropped bytes, printed $lines of 2000 flood lines"
