#!/usr/bin/env bash
# `make iso` as a person editing the tree meets it: run again with nothing
# changed, it leaves the ISO alone; after an edit to any kind of input that
# ends up in it (a hypervisor header, arch assembly, dom0, the guest
# runtime, a module of the demo, the command line) it builds a new one, so
# `make run` never boots a stale image. An edit is simulated by touching
# the file (its content stays). Prints one PASS/FAIL line.
#
#   tests/iso-rebuild.sh [build dir]
set -u
BUILD=${1:-build}
ISO=$BUILD/bulkhead.iso
marker=$BUILD/tests/iso-rebuild.marker
mkdir -p "$BUILD/tests"
log=$BUILD/tests/iso-rebuild.log
: > "$log"
fail() { echo "FAIL build/iso-rebuild: $* (see $log)"; exit 1; }

make_iso() { make -s iso "$@" >> "$log" 2>&1 || fail "make iso $* failed"; }

# The ISO is newer than the marker, i.e. `make iso` wrote it after `what`.
rebuilt_after() {
    local what=$1; shift
    touch "$marker"
    [ -n "$what" ] && touch "$what"
    make_iso "$@"
    [ "$ISO" -nt "$marker" ]
}

make_iso
rebuilt_after "" && fail "make iso rebuilt the ISO with nothing changed"
for f in hv/core/cmdline.h hv/arch/x86_32/entry.S dom0/shell.c guest-abi/lib/runtime.c \
         dom0/demo/demo.script tests/mkiso.sh; do
    [ -e "$f" ] || fail "$f is gone: update this list"
    rebuilt_after "$f" || fail "an edit to $f left the ISO as it was"
done
rebuilt_after "" RUN_ARGS="loglvl=info iso-rebuild" || fail "a new RUN_ARGS left the ISO as it was"
rebuilt_after "" || fail "going back to the default RUN_ARGS left the ISO as it was"
echo "PASS build/iso-rebuild"
