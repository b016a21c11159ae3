#!/usr/bin/env bash
# The victim is intact after the attack, and once every guest is
# destroyed the machine's free memory and the store's nodes, watches,
# open transactions and heap bytes are what they were before the first
# guest (XS-18): the attacker died holding all it could, and nothing of
# it stayed.
log=$1
tests/guests/common/victim-after.sh "$log" || exit 1
tests/guests/common/same-free-memory.sh "$log"
