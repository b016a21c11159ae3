#!/usr/bin/env bash
# The victim reported an intact pattern after the attack was over: a
# "victim: intact" line comes after the attacker's last line (its verdict
# or its crash), so a report from before the attack cannot pass for one.
log=$1
last_attack=$(grep -anE '^\[attacker\] |domain 2 \(attacker\) crashed' "$log" | tail -n 1 | cut -d: -f1)
[ -n "$last_attack" ] || { echo "no attacker output"; exit 1; }
tail -n +"$last_attack" "$log" | grep -aqE '^\[victim\] victim: intact after' ||
    { echo "no intact report from the victim after the attack (line $last_attack)"; exit 1; }
echo "victim intact after the attack"
