#!/usr/bin/env bash
# dom0-typing: what the operator typed did what a person means.
log=$1
fail() { echo "$*"; exit 1; }
# the Up arrow, three times, brought `xl list` back: its table twice
[ "$(grep -acE '^Name +ID +Mem +VCPUs' "$log")" -eq 2 ] || fail "xl list did not run twice"
# the long line ran nothing: sleeper (domain 1) was destroyed only at the end
first=$(grep -anE '^destroyed domain 1 ' "$log" | head -n 1 | cut -d: -f1)
refused=$(grep -anE '^error: line too long' "$log" | head -n 1 | cut -d: -f1)
[ -n "$first" ] && [ -n "$refused" ] && [ "$first" -gt "$refused" ] || fail "the long line ran"
[ "$(grep -acE '^destroyed domain 1 ' "$log")" -eq 1 ] || fail "domain 1 destroyed twice"
exec "$(dirname "$0")/../common/same-free-memory.sh" "$log"
