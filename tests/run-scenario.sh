#!/usr/bin/env bash
# Boot one guest scenario and judge it.
#
#   tests/run-scenario.sh <scenario.conf> <log file>
#
# A scenario file sets shell variables:
#   NAME        scenario name
#   EMULATOR    qemu (multiboot1 -kernel), grub (QEMU booting a GRUB ISO),
#               or bochs (GRUB ISO under Bochs, which enforces segment limits)
#   HV          hypervisor image           DOM0   dom0 image (first module)
#   MODULES     further modules, "path args;path args"
#   HV_ARGS     hypervisor command line    DOM0_ARGS  dom0 command line
#   EXPECT_STATUS   QEMU exit status (1 = dom0 powered off, 3 = dom0 crashed,
#                   5 = hypervisor panic, 9 = dom0 image refused)
#   EXPECT_VERDICT  SUCCESS, or "none" when no guest verdict is expected
#   EXPECT_LOG      extended regexes (one per line) that must appear in the log
#   REFUSE_LOG      extended regexes that must NOT appear
#   CHECK       a script run as `CHECK <log>` that must exit 0 (numeric checks)
#   TIMEOUT     seconds (default 60)
#   MEM         machine memory in MiB (default 256)
#   INPUT       bytes typed on the serial line (printf format), all at
#               once; QEMU holds them until dom0 reads them (a boot
#               script's wait or sleep reads them ahead for the shell)
#   INPUT_WHEN  extended regexes (one per line): type INPUT only once the
#               log shows every one of them (qemu only)
#   NMI_ON      (qemu only) an extended regex: when the log first shows it,
#               an NMI is injected through QEMU's monitor (QMP inject-nmi)
#   PAUSE_ON    (qemu only) an extended regex: when the log first shows it,
#               QEMU is stopped with SIGSTOP for PAUSE_SECONDS (default 3)
#               and continued, as a loaded host deschedules it: its TSC
#               and its clocks run on meanwhile, its tick interrupts coalesce
# Prints one line "PASS <name>" or "FAIL <name>: <why>"; exit status 0/1.
# A test whose verdict needs segment limits reports SKIP under TCG.
set -u
conf=$1
log=$2
NAME=$(basename "$(dirname "$conf")")
EMULATOR=qemu HV=build/bulkhead.elf DOM0= MODULES= HV_ARGS= DOM0_ARGS=
EXPECT_STATUS=1 EXPECT_VERDICT=SUCCESS EXPECT_LOG= REFUSE_LOG= CHECK= TIMEOUT=60 MEM=256 INPUT=
INPUT_WHEN= NMI_ON= PAUSE_ON= PAUSE_SECONDS=3
# shellcheck disable=SC1090
. "$conf"
# A scenario folder with C sources is itself the (dom0) guest under test.
if [ -z "$DOM0" ]; then
    DOM0=build/guests/$NAME.elf
fi

mkdir -p "$(dirname "$log")"
here=$(cd "$(dirname "$0")" && pwd)

fail() {
    echo "FAIL $NAME: $*"
    exit 1
}

qemu_base=(qemu-system-i386 -accel tcg -cpu max -m "$MEM" -display none -no-reboot
           -serial stdio -monitor none -parallel none
           -device isa-debug-exit,iobase=0xf4,iosize=0x04)

# The typist, for INPUT_WHEN: QEMU reads a FIFO; once the log shows every
# INPUT_WHEN line, INPUT is typed into it and it is closed. Gives up when
# QEMU is gone.
run_qemu_typist() {
    local fifo="${log%.log}.input" pid re pending
    rm -f "$fifo" && mkfifo "$fifo" || fail "cannot make $fifo"
    : > "$log"
    timeout "$TIMEOUT" "${qemu_base[@]}" "$@" < "$fifo" > "$log" 2>&1 &
    pid=$!
    exec 3> "$fifo"
    while kill -0 "$pid" 2>/dev/null; do
        pending=0
        while IFS= read -r re; do
            [ -n "$re" ] && ! grep -aqE -- "$re" "$log" && pending=1
        done <<< "$INPUT_WHEN"
        if [ "$pending" = 0 ]; then
            # shellcheck disable=SC2059
            printf "$INPUT" >&3
            break
        fi
        sleep 0.05
    done
    exec 3>&-
    wait "$pid"
    local status=$?
    rm -f "$fifo"
    return $status
}

# NMI_ON: wait for the line in the log, then send QMP inject-nmi once.
nmi_watch() {
    local sock=$1 i
    for i in $(seq $((TIMEOUT * 10))); do
        if grep -aqE -- "$NMI_ON" "$log" 2>/dev/null; then
            python3 - "$sock" 2>/dev/null <<'PY'
import json, socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
f = s.makefile('rw')
f.readline()
for cmd in ('qmp_capabilities', 'inject-nmi'):
    f.write(json.dumps({'execute': cmd}) + '\n')
    f.flush()
    f.readline()
PY
            return
        fi
        sleep 0.1
    done
}

# PAUSE_ON: wait for the line in the log, then SIGSTOP QEMU (the child of
# this script's `timeout`, found by parent pid) for PAUSE_SECONDS.
pause_watch() {
    local parent=$1 i tpid qpid
    for i in $(seq $((TIMEOUT * 10))); do
        if grep -aqE -- "$PAUSE_ON" "$log" 2>/dev/null; then
            tpid=$(pgrep -P "$parent" -x timeout | head -n 1)
            qpid=${tpid:+$(pgrep -P "$tpid" | head -n 1)}
            [ -n "$qpid" ] || return
            kill -STOP "$qpid" && sleep "$PAUSE_SECONDS"
            kill -CONT "$qpid"
            echo "run-scenario: QEMU stopped for $PAUSE_SECONDS s" >&2
            return
        fi
        sleep 0.1
    done
}

run_qemu_kernel() {
    local initrd="$DOM0 $DOM0_ARGS" m sock="${log%.log}.qmp" watcher= pauser= rc
    IFS=';' read -r -a extra <<< "$MODULES"
    for m in "${extra[@]}"; do
        [ -n "$m" ] && initrd="$initrd,$m"
    done
    if [ -n "$NMI_ON" ]; then
        rm -f "$sock"
        qemu_base+=(-qmp "unix:$sock,server=on,wait=off")
        : > "$log"
        nmi_watch "$sock" &
        watcher=$!
    fi
    if [ -n "$PAUSE_ON" ]; then
        : > "$log"
        pause_watch $$ &
        pauser=$!
    fi
    if [ -n "$INPUT" ] && [ -n "$INPUT_WHEN" ]; then
        run_qemu_typist -kernel "$HV" -append "testmode $HV_ARGS" -initrd "$initrd"
    elif [ -n "$INPUT" ]; then
        # shellcheck disable=SC2059
        printf "$INPUT" | timeout "$TIMEOUT" "${qemu_base[@]}" -kernel "$HV" \
            -append "testmode $HV_ARGS" -initrd "$initrd" > "$log" 2>&1
    else
        timeout "$TIMEOUT" "${qemu_base[@]}" -kernel "$HV" -append "testmode $HV_ARGS" \
            -initrd "$initrd" > "$log" 2>&1 < /dev/null
    fi
    rc=$?
    if [ -n "$pauser" ]; then
        kill "$pauser" 2>/dev/null
        wait "$pauser" 2>/dev/null
    fi
    if [ -n "$watcher" ]; then
        kill "$watcher" 2>/dev/null
        wait "$watcher" 2>/dev/null
        rm -f "$sock"
    fi
    return $rc
}

make_iso() {
    "$here/mkiso.sh" "$1" "$HV" "testmode $HV_ARGS" "$DOM0" "$DOM0_ARGS" "$MODULES" > /dev/null
}

run_qemu_grub() {
    local iso="${log%.log}.iso"
    make_iso "$iso" || fail "could not build the ISO"
    timeout "$TIMEOUT" "${qemu_base[@]}" -cdrom "$iso" -boot d > "$log" 2>&1 < /dev/null
}

run_bochs() {
    local iso="${log%.log}.iso"
    make_iso "$iso" || fail "could not build the ISO"
    "$here/run-bochs.sh" "$iso" "$log" "$TIMEOUT" "$MEM"
}

case "$EMULATOR" in
    qemu)  run_qemu_kernel; status=$? ;;
    grub)  run_qemu_grub; status=$? ;;
    bochs) run_bochs; status=$? ;;
    *)     fail "unknown emulator $EMULATOR" ;;
esac

[ "$status" -eq 124 ] && fail "timed out after ${TIMEOUT}s (log: $log)"
tr -d '\r' < "$log" > "$log.txt" && mv "$log.txt" "$log"

verdict=$(grep -aoE 'Test result: (SUCCESS|FAILURE|ERROR|SKIP)' "$log" | tail -n 1 | awk '{print $3}')
if [ "$verdict" = SKIP ] && [ "$EXPECT_VERDICT" != SKIP ]; then
    echo "SKIP $NAME: $(grep -a -m1 'SKIP' "$log" | head -c 200)"
    exit 0
fi
# Bochs has no exit device: the run script reports the status it saw in the log.
if [ "$EMULATOR" != bochs ] && [ "$status" != "$EXPECT_STATUS" ]; then
    fail "exit status $status, expected $EXPECT_STATUS (log: $log)"
fi
if [ "$EXPECT_VERDICT" != none ] && [ "$verdict" != "$EXPECT_VERDICT" ]; then
    fail "verdict '${verdict:-missing}', expected $EXPECT_VERDICT (log: $log)"
fi
while IFS= read -r re; do
    [ -z "$re" ] && continue
    grep -aqE -- "$re" "$log" || fail "log lacks /$re/ (log: $log)"
done <<< "$EXPECT_LOG"
while IFS= read -r re; do
    [ -z "$re" ] && continue
    grep -aqE -- "$re" "$log" && fail "log has forbidden /$re/ (log: $log)"
done <<< "$REFUSE_LOG"
grep -aq 'Bulkhead PANIC' "$log" && [ "$EXPECT_STATUS" != 5 ] && fail "hypervisor panic (log: $log)"
if [ -n "$CHECK" ]; then
    out=$("$CHECK" "$log" 2>&1) || fail "$CHECK: $(echo "$out" | tr '\n' ';')"
fi
echo "PASS $NAME"
