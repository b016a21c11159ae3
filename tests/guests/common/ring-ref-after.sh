#!/usr/bin/env bash
# attack-dev-4-ring-ref: the victim is intact after the attack, dom0 wrote
# at most one "cannot map its ring" line and one "refused its frontend's"
# line for the attacker's device however often it was offered a bad ring
# or bad keys (DEV-4, DEV-22), counted the refusals, and the attacker's
# device nodes are gone after its destroy (DEV-20).
log=$1
here=$(dirname "$0")
"$here/victim-after.sh" "$log" || exit 1
"$here/same-free-memory.sh" "$log" || exit 1
lines=$(grep -ac 'dom0: vbd of domain 2: cannot map its ring' "$log")
[ "$lines" -le 1 ] || { echo "dom0 logged $lines refused maps, not at most 1"; exit 1; }
refused=$(grep -aoE '^2 +attacker +vbd .* refused-maps [0-9]+' "$log" | awk '{print $NF}' | tail -n 1)
[ -n "$refused" ] && [ "$refused" -ge 14 ] ||
    { echo "refused maps counted: '${refused:-none}', want at least 14"; exit 1; }
lines=$(grep -ac "dom0: vbd of domain 2: refused its frontend's" "$log")
[ "$lines" -eq 1 ] || { echo "dom0 logged $lines refused key sets, not exactly 1"; exit 1; }
keys=$(grep -aoE '^2 +attacker +vbd .* refused-keys [0-9]+' "$log" | awk '{print $NF}' | tail -n 1)
[ -n "$keys" ] && [ "$keys" -ge 11 ] ||
    { echo "refused key sets counted: '${keys:-none}', want at least 11"; exit 1; }
echo "one log line each, $refused refused maps and $keys refused key sets counted"
