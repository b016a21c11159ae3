#!/usr/bin/env bash
# HC-1: the victim ran while the attacker's one multicall was in flight,
# and is intact after it.
d=$(dirname "$0")/../common
"$d/victim-after.sh" "$1" &&
"$d/victim-during.sh" "$1" '^\[attacker\] ATTACK HC-1: issuing' \
    '^\[attacker\] ATTACK HC-1: the multicall returned' 3
