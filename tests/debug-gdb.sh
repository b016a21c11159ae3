#!/usr/bin/env bash
# `make debug`, driven the way README tells a person to use it: QEMU waits
# with its GDB stub, gdb loads the hypervisor's and dom0's symbols from
# build/debug.gdb, stops at a hypervisor breakpoint (the xen_version
# hypercall dom0 makes at start), shows where it is, and continues to the
# end of the run. Prints one PASS/FAIL line.
#
#   tests/debug-gdb.sh [build dir]
set -u
BUILD=${1:-build}
out=$BUILD/tests/debug-gdb
mkdir -p "$out"
port=$((20000 + $$ % 20000))
script=$BUILD/debug.gdb
fail() { echo "FAIL debug/gdb: $*"; exit 1; }

command -v gdb >/dev/null || fail "gdb not installed"
tests/debug-gdb-script.sh "$BUILD" "127.0.0.1:$port" > "$script" || fail "no gdb script"
timeout 120 qemu-system-i386 -accel tcg -cpu max -m 256 -display none -no-reboot \
    -serial "file:$out/serial.log" -monitor none -parallel none \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$BUILD/bulkhead.elf" \
    -append "testmode" -initrd "$BUILD/dom0.elf,tests/guests/boot-dom0/halt.script halt.script" \
    -S -gdb "tcp:127.0.0.1:$port" &
qemu=$!
sleep 0.5
timeout 120 gdb -batch -nx -x "$script" -ex "hbreak do_xen_version" -ex continue -ex "bt 2" \
    -ex "print args[0]" -ex delete -ex continue > "$out/gdb.log" 2>&1
wait "$qemu"
status=$?
grep -q "Breakpoint 1, do_xen_version" "$out/gdb.log" || fail "no stop at do_xen_version (see $out/gdb.log)"
grep -q "^#1 .* in hypercall" "$out/gdb.log" || fail "no backtrace through the hypercall dispatch"
[ "$status" = 1 ] || fail "QEMU exit status $status after continuing, expected 1 (dom0 powered off)"
grep -q "dom0 script ran" "$out/serial.log" || fail "dom0 did not run to its end after the breakpoint"
echo "PASS debug/gdb (stopped at do_xen_version, continued to dom0's poweroff)"
