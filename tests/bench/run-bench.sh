#!/usr/bin/env bash
# `make bench`: boot the benchmark guest as dom0 under QEMU, then the real
# dom0 with guests it builds, and print a table of figures, each beside
# the baseline measured in the same run.
# Cycles are the emulated CPU's TSC under QEMU TCG: they compare
# operations with each other, not with real hardware.
set -eu
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
log="$BUILD/bench.log"
# The hypervisor's entry and exit are timed twice, against the bare gate
# (`benchgate`) of the same boot: as shipped (SMEP and SMAP on, which QEMU's
# `-cpu max` has), then with `smep=0 smap=0`; the second boot runs only those.
timeout 300 qemu-system-i386 -accel tcg -cpu max -m 256 -display none -no-reboot \
    -serial stdio -monitor none -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -kernel "$BUILD/bulkhead.elf" -append "testmode loglvl=warn benchgate" \
    -initrd "$BUILD/bench.elf" > "$log" 2>&1 < /dev/null || true
tr -d '\r' < "$log" | grep -q '^BENCH done' || { echo "bench: the guest did not finish (see $log)"; exit 1; }
timeout 300 qemu-system-i386 -accel tcg -cpu max -m 256 -display none -no-reboot \
    -serial stdio -monitor none -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -kernel "$BUILD/bulkhead.elf" -append "testmode loglvl=warn benchgate smep=0 smap=0" \
    -initrd "$BUILD/bench.elf entry-only tag=smep-smap-off" >> "$log" 2>&1 < /dev/null || true
# The real dom0 measures building and destroying a guest.
timeout 300 qemu-system-i386 -accel tcg -cpu max -m 256 -display none -no-reboot \
    -serial stdio -monitor none -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -kernel "$BUILD/bulkhead.elf" -append "testmode loglvl=warn" \
    -initrd "$BUILD/dom0.elf,$BUILD/guests/spin.elf spin.elf,tests/bench/dom0/bench.cfg bench.cfg,tests/bench/dom0/bench.script bench.script" \
    >> "$log" 2>&1 < /dev/null || true
# Split devices: block, net and event channels between guests built by dom0.
timeout 300 qemu-system-i386 -accel tcg -cpu max -m 256 -display none -no-reboot \
    -serial stdio -monitor none -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -kernel "$BUILD/bulkhead.elf" -append "testmode loglvl=warn" \
    -initrd "$BUILD/dom0.elf,$BUILD/guests/blkdisk.elf blkdisk.elf,$BUILD/guests/netdgram.elf netdgram.elf,$BUILD/guests/pingpong.elf pingpong.elf,$BUILD/disk.img disk.img,tests/bench/dom0/io.cfg io.cfg,tests/bench/dom0/io.script io.script" \
    >> "$log" 2>&1 < /dev/null || true
# Preemption: a sleeping guest's wake-up latency beside a CPU-bound guest
# and beside one issuing maximal batches, against the scheduler quantum
# given to the hypervisor in the same run.
QUANTUM_MS=10
sed "s/QUANTUM_MS/$QUANTUM_MS/" tests/bench/dom0/preempt.cfg > "$BUILD/bench-preempt.cfg"
timeout 300 qemu-system-i386 -accel tcg -cpu max -m 256 -display none -no-reboot \
    -serial stdio -monitor none -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -kernel "$BUILD/bulkhead.elf" -append "testmode loglvl=warn sched_quantum_ms=$QUANTUM_MS" \
    -initrd "$BUILD/dom0.elf,$BUILD/guests/spin.elf spin.elf,$BUILD/guests/wakeup.elf wakeup.elf,$BUILD/guests/attack-hc.elf attack-hc.elf,$BUILD/bench-preempt.cfg preempt.cfg,tests/bench/dom0/preempt.script preempt.script" \
    >> "$log" 2>&1 < /dev/null || true
# Values are cycles unless the figure's name gives its unit.
printf '%-44s %12s   %-28s %12s %8s\n' "figure" "value" "baseline (same run)" "value" "ratio"
tr -d '\r' < "$log" | sed 's/^\[[a-z0-9_-]*\] //' | awk '$1 == "BENCH" && NF == 5 {
    # two decimals below 10x: batching and similar gains are ratios under 1
    ratio = ($5 <= 0) ? "-" : sprintf(($3 / $5 < 10) ? "%.2fx" : "%.1fx", $3 / $5);
    printf "%-44s %12d   %-28s %12d %8s\n", $2, $3, $4, $5, ratio }
  # a name with a space would shift the fields: say so rather than drop the figure
  $1 == "BENCH" && NF != 5 && $2 != "done" { print "bench: malformed line: " $0 > "/dev/stderr" }'
