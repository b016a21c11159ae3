#!/usr/bin/env bash
# attack-dev-4-ring-ref: the victim is intact after the attack, dom0 wrote
# at most one "cannot map its ring" line for the attacker's device however
# often it kicked (DEV-4), and it counted the refused kicks.
log=$1
here=$(dirname "$0")
"$here/victim-after.sh" "$log" || exit 1
lines=$(grep -ac 'dom0: vbd of domain 2: cannot map its ring' "$log")
[ "$lines" -le 1 ] || { echo "dom0 logged $lines refused maps, not at most 1"; exit 1; }
refused=$(grep -aoE '^2 +attacker +vbd .* refused-maps [0-9]+' "$log" | awk '{print $NF}' | tail -n 1)
[ -n "$refused" ] && [ "$refused" -ge 50 ] ||
    { echo "refused maps counted: '${refused:-none}', want at least 50"; exit 1; }
echo "one log line, $refused refused maps counted"
