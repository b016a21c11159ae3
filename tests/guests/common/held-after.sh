#!/usr/bin/env bash
# After attack-held: the victim was intact after the attack, and once the
# attacker was destroyed every frame came back (the first and last `mem`
# lines agree).
log=$1
here=$(dirname "$0")
"$here/victim-after.sh" "$log" || exit 1
"$here/same-free-memory.sh" "$log"
