#!/usr/bin/env bash
# HC-7, PT-42: dom0's destroy of the big attacker did not hold the CPU:
# the victim printed progress lines between the hypervisor starting the
# destroy (it logs the domain destroyed) and finishing the teardown (it
# logs the domain taken apart), both inside dom0's one domctl, so a single
# line between them shows the domctl did not hold the CPU; afterwards
# the memory is back (same-free-memory.sh) and the victim is intact.
d=$(dirname "$0")/../common
"$d/victim-after.sh" "$1" &&
"$d/same-free-memory.sh" "$1" &&
"$d/victim-during.sh" "$1" '^Bulkhead: domain 2 \(attacker\) destroyed$' \
    '^Bulkhead: domain 2 \(attacker\) taken apart$' 1
