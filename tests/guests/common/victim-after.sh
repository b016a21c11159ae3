#!/usr/bin/env bash
# The victim reported an intact pattern after the attack was over: a
# "victim: intact" line comes after the last line of any attacker (its
# verdict or its crash; attackers are named attacker or atk-<case>), so a
# report from before the attack cannot pass for one.
log=$1
last_attack=$(grep -anE '^\[(attacker|atk-[^]]+)\] |domain [0-9]+ \((attacker|atk-[^)]+)\) crashed' "$log" |
    tail -n 1 | cut -d: -f1)
[ -n "$last_attack" ] || { echo "no attacker output"; exit 1; }
tail -n +"$last_attack" "$log" | grep -aqE '^\[victim\] victim: intact after' ||
    { echo "no intact report from the victim after the attack (line $last_attack)"; exit 1; }
echo "victim intact after the attack"
