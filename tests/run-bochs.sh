#!/usr/bin/env bash
# Boot a GRUB ISO under Bochs, which (unlike QEMU's TCG) enforces segment
# limits. Bochs has no exit device, so the run ends when the serial log
# shows the hypervisor stopping the machine ("machine stopped (status v)");
# this script then exits with QEMU's status for the same v, (v << 1) | 1,
# so the scenario runner judges both emulators alike.
#   tests/run-bochs.sh <iso> <log> <timeout seconds> <MiB>
set -u
iso=$1 log=$2 timeout=$3 mem=$4
dir=$(mktemp -d)
trap 'rm -rf "$dir"; [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null' EXIT
serial="$dir/serial.log"
: > "$serial"
cat > "$dir/bochsrc" <<RC
megs: $mem
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/vgabios/vgabios.bin
cpu: model=corei7_haswell_4770, ips=200000000
ata0-master: type=cdrom, path=$iso, status=inserted
boot: cdrom
com1: enabled=1, mode=file, dev=$serial
display_library: rfb, options="timeout=0"
port_e9_hack: enabled=1
clock: sync=none, time0=local
log: $dir/bochs.log
panic: action=fatal
error: action=report
info: action=ignore
debug: action=ignore
RC
# The debugger is built in: it waits for "c" (continue) on stdin.
(echo c; sleep "$timeout") | bochs -q -f "$dir/bochsrc" > "$dir/bochs.out" 2>&1 &
pid=$!
status=124
for _ in $(seq $((timeout * 5))); do
    if v=$(grep -aoE 'machine stopped \(status [0-9]+\)' "$serial" | grep -oE '[0-9]+' | head -n1); [ -n "$v" ]; then
        status=$(( (v << 1) | 1 ))
        break
    fi
    kill -0 "$pid" 2>/dev/null || { status=2; break; }
    sleep 0.2
done
kill "$pid" 2>/dev/null
cp "$serial" "$log"
if [ "$status" = 2 ]; then
    echo "bochs exited early:" >> "$log"
    tail -n 20 "$dir/bochs.out" >> "$log"
fi
exit "$status"
