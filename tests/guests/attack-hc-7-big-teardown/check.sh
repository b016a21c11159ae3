#!/usr/bin/env bash
# HC-7, PT-41: dom0's destroy of the big attacker did not hold the CPU:
# the victim printed progress lines between dom0 issuing `destroy 2` and
# its next command; afterwards the memory is back (same-free-memory.sh)
# and the victim is intact.
d=$(dirname "$0")/../common
"$d/victim-after.sh" "$1" &&
"$d/same-free-memory.sh" "$1" &&
"$d/victim-during.sh" "$1" '^dom0> destroy 2$' '^dom0> ' 2
