#!/usr/bin/env bash
# The sharer reported its pages intact after the attacker's last line, so a
# report from before the attack cannot pass for one (domid-reuse.sh).
log=$1
last_attack=$(grep -anE '^\[attacker\] ' "$log" | tail -n 1 | cut -d: -f1)
[ -n "$last_attack" ] || { echo "no attacker output"; exit 1; }
tail -n +"$last_attack" "$log" | grep -aqE '^\[sharer\] sharer: intact after' ||
    { echo "no intact report from the sharer after the attack (line $last_attack)"; exit 1; }
echo "sharer intact after the attack"
