#!/usr/bin/env bash
# DEV-15: blk2's disk was served in full while the attacker's ring stayed
# full: between two of blk2's turns with work, the block backend gave the
# other disks at most one round's share (64 sectors, plus the rest of the
# request that crossed it: at most 151), and the attacker itself never got
# more than that in one round; the attacker was served throughout. The
# victim stayed intact; nothing leaked.
log=$1
fail() { echo "$*"; exit 1; }
row() { grep -aE "^$1 +$2 +vbd " "$log" | tail -n 1; }
field() { sed -nE "s/.* $1 ([0-9]+).*/\1/p" <<< "$2"; }
blk2=$(row 3 blk2)
attacker=$(row 2 attacker)
[ -n "$blk2" ] && [ -n "$attacker" ] || fail "no vbd counters for blk2 and the attacker"
[ "$(field max-wait "$blk2")" -le 151 ] || fail "blk2 waited for $(field max-wait "$blk2") sectors of others' work"
[ "$(field max-round "$attacker")" -le 151 ] || fail "the attacker got $(field max-round "$attacker") sectors in one round"
before=$(grep -aE '^2 +attacker +vbd ' "$log" | head -n 1)
[ "$(field reads "$attacker")" -gt "$(field reads "$before")" ] || fail "the attacker was not served during blk2's run"
echo "blk2 waited at most $(field max-wait "$blk2") sectors; the attacker got at most $(field max-round "$attacker") a round, $(field reads "$attacker") requests in all"
"$(dirname "$0")/../common/victim-after.sh" "$log" || exit 1
exec "$(dirname "$0")/../common/same-free-memory.sh" "$log"
