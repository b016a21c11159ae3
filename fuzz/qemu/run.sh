#!/usr/bin/env bash
# Fuzz layer 2 runner: boots the hypervisor under QEMU with dom0, a victim
# and the hostile guest, and judges each boot with fuzz/qemu/check.sh.
#
#   fuzz/qemu/run.sh campaign --seed S --programs N [--hypercalls H]
#                    [--audit 1|0] [--chunk N] [--hang SECS] --out DIR
#   fuzz/qemu/run.sh repro --pack FILE [--audit 1|0] --out DIR
#
# A campaign runs programs start.. of seed S (the corpus pack first, then
# generated ones) in boots of --chunk programs. The hostile guest prints
# "~P<index> s<seed>" before each program; on a finding (hypervisor
# panic or audit failure, FUZZ-FINDING, harmed victim, or no new marker
# for --hang seconds) the run stops, the last marked program is
# regenerated on the host (progtool gen), written out, printed, and the
# reproduction command is shown. A crash of the hostile guest only
# restarts the campaign after the program that caused it.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
FQ=$BUILD/fuzz-qemu
TOOL=$FQ/progtool
mode=$1; shift
seed=1 programs=1000 hypercalls=0 audit=1 chunk=20000 hang= out=$FQ/run pack= tail_ms= mem=128 start=0 verbose=1
while [ $# -gt 0 ]; do
    case $1 in
        --seed) seed=$2 ;; --programs) programs=$2 ;; --hypercalls) hypercalls=$2 ;;
        --audit) audit=$2 ;; --chunk) chunk=$2 ;; --hang) hang=$2 ;; --out) out=$2 ;;
        --pack) pack=$2 ;; --tail-ms) tail_ms=$2 ;; --start) start=$2 ;; --verbose) verbose=$2 ;; --mem) mem=$2 ;;
        *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift 2
done
mkdir -p "$out"
# the hostile guest's `~P` markers name the program a finding is blamed
# on: let every one through the console_io rate bound (CON-3)
hv_args="testmode console_rate=1048576" slack=2000
# with the audit after every hypercall, timers fire a little late
[ "$audit" = 1 ] && hv_args="$hv_args audit" slack=5000
[ -z "$tail_ms" ] && { [ "$audit" = 1 ] && tail_ms=8000 || tail_ms=3000; }
# a program and its reset may make a few thousand hypercalls (port
# exhaustion, then closing every port): minutes with the audit on
[ -z "$hang" ] && { [ "$audit" = 1 ] && hang=600 || hang=60; }

# One boot: victim (domain 1), then the hostile guest (domain 2) with
# `cmdline`; dom0 waits for the hostile guest, lets the victim beat a few
# more times, lists the domains and powers off.
boot() {
    local image=$1 cmdline=$2 log=$3 timeout=$4
    cat > "$out/fuzz.cfg" <<CFG
[victim]
kernel = victim.elf
memory = 8M
cmdline = peer=2 beat=1 slack=$slack

[hostile]
kernel = hostile.elf
memory = 8M
cmdline = $cmdline
CFG
    # dom0 also asks for the full audit now and then while the hostile
    # guest runs and once after it: with the per-hypercall audit off, this
    # still catches a broken reference count that persists
    { echo "create victim"; echo "sleep 300"; echo "create hostile"
      for _ in 1 2 3 4 5 6 7 8; do echo "sleep 250"; echo "audit"; done
      echo "wait 2"; echo "audit"; echo "sleep $tail_ms"; echo "list"; echo "shutdown"
    } > "$out/fuzz.script"
    timeout "$timeout" qemu-system-i386 -accel tcg -cpu max -m "$mem" -display none -no-reboot \
        -serial stdio -monitor none -parallel none -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
        -kernel "$BUILD/bulkhead.elf" -append "$hv_args" \
        -initrd "$BUILD/dom0.elf,$FQ/victim.elf victim.elf,$image hostile.elf,$out/fuzz.cfg fuzz.cfg,$out/fuzz.script fuzz.script" \
        < /dev/null > "$log" 2>&1 &
    local qpid=$! last= idle=0
    # A hang: the hostile guest has not started a program for $hang s.
    while kill -0 $qpid 2>/dev/null; do
        sleep 2
        grep -aq 'fuzz-hostile: done' "$log" && continue
        local now
        now=$(grep -a '~P' "$log" | tail -n1)
        if [ -n "$now" ] && [ "$now" = "$last" ]; then
            idle=$((idle + 2))
            if [ $idle -ge "$hang" ]; then
                echo "HANG: no new program for ${hang}s after '$now'" >> "$log"
                kill $qpid 2>/dev/null
                break
            fi
        else
            idle=0
            last=$now
        fi
    done
    wait $qpid
    local rc=$?
    tr -d '\r' < "$log" > "$log.tmp" && mv "$log.tmp" "$log"
    return $rc
}

last_index() {
    grep -aoE '~P[0-9]+ s[0-9]+' "$1" | tail -n1 | sed -E 's/~P([0-9]+) s.*/\1/'
}

# The program to blame: the last one started, or for a victim that slept
# through its timer, the one running when it went to sleep (the last
# marker before its last heartbeat ahead of the report).
blame_index() {
    local log=$1 late hb
    late=$(grep -anE 'LOST WAKEUP|LATE: runnable [0-9]+ ms, blocked [0-9]{5}|LATE: runnable [0-9]{5}' "$log" |
           head -n1 | cut -d: -f1)
    if [ -n "$late" ] && ! grep -aqE 'Bulkhead PANIC|FUZZ-FINDING|CORRUPTED' "$log"; then
        hb=$(head -n "$late" "$log" | grep -an 'fuzz-victim: intact' | tail -n1 | cut -d: -f1)
        head -n "${hb:-$late}" "$log" | grep -aoE '~P[0-9]+ s[0-9]+' | tail -n1 | sed -E 's/~P([0-9]+) s.*/\1/'
        return
    fi
    last_index "$log"
}

report_finding() {
    local log=$1 idx dir i
    idx=$(blame_index "$log")
    echo "FINDING (log: $log)"
    "$here_check" "$log" | sed 's/^/  /'
    grep -a 'HANG:' "$log" | sed 's/^/  /'
    if [ -z "$idx" ]; then
        echo "  no program had started: the setup itself failed"
        return
    fi
    dir=$out/finding-s$seed-p$idx
    mkdir -p "$dir"
    cp "$log" "$dir/serial.log"
    "$TOOL" gen "$seed" "$idx" "$FQ/corpus.pack" "$dir/program.bin"
    # with the programs before it, for a finding that needs earlier state
    local files=()
    for i in $(seq $((idx > 7 ? idx - 7 : 0)) "$idx"); do
        "$TOOL" gen "$seed" "$i" "$FQ/corpus.pack" "$dir/p$i.bin"
        files+=("$dir/p$i.bin")
    done
    "$TOOL" pack "$dir/with-previous.pack" "${files[@]}"
    rm -f "${files[@]}"
    echo "  program $idx of seed $seed ($dir/program.bin):"
    "$TOOL" print "$dir/program.bin" | sed 's/^/    /'
    echo "  reproduce:  make fuzz-qemu-repro FILE=$dir/program.bin"
    echo "  with the 7 programs before it:  make fuzz-qemu-repro FILE=$dir/with-previous.pack"
}
here_check=fuzz/qemu/check.sh

if [ "$mode" = repro ]; then
    n=$("$TOOL" print "$pack" | grep -c '^-- pack entry')
    log=$out/serial.log
    echo "repro: $n program(s) from $pack, audit=$audit"
    boot "$FQ/hostile-repro.elf" "seed=0 start=0 count=$n corpus=1 gen=0 verbose=$verbose status=0" "$log" 300
    grep -aE '^\[hostile\]|Bulkhead PANIC|FUZZ-FINDING|CORRUPTED|crashed' "$log" | grep -av '~P' | head -n 400
    if "$here_check" "$log" > "$out/verdict.txt"; then
        echo "repro: no finding (log: $log)"
    else
        echo "repro: REPRODUCED (log: $log)"
        sed 's/^/  /' "$out/verdict.txt"
        exit 1
    fi
    exit 0
fi

# ---- campaign ----
next=$start total_calls=0 total_skipped=0 crashes=0 t0=$(date +%s) boot_nr=0
echo "fuzz-qemu: seed $seed, $programs programs${hypercalls:+ or $hypercalls hypercalls}, audit=$audit"
while [ "$next" -lt "$programs" ]; do
    if [ "$hypercalls" -gt 0 ] && [ "$total_calls" -ge "$hypercalls" ]; then
        break
    fi
    count=$((programs - next))
    [ "$count" -gt "$chunk" ] && count=$chunk
    calls=0
    [ "$hypercalls" -gt 0 ] && calls=$((hypercalls - total_calls))
    boot_nr=$((boot_nr + 1))
    log=$out/boot-$boot_nr.log
    b0=$(date +%s)
    # generous: a program takes about 2 s on average with the audit on
    boot "$FQ/hostile.elf" "seed=$seed start=$next count=$count calls=$calls victim=1 self=2" \
        "$log" $((300 + (audit == 1 ? count * 10 : count / 20)))
    "$here_check" "$log" > "$log.verdict"
    verdict=$?
    done_line=$(grep -a 'fuzz-hostile: done' "$log" | tail -n1)
    if [ $verdict -eq 1 ]; then
        report_finding "$log"
        exit 1
    fi
    if [ $verdict -eq 2 ]; then
        crashes=$((crashes + 1))
        idx=$(last_index "$log")
        echo "  boot $boot_nr: hostile guest crashed in program $idx (not a finding): $(head -c 200 "$log.verdict")"
        c=$(grep -aoE 'status programs=[0-9]+ hypercalls=[0-9]+' "$log" | tail -n1 | sed 's/.*hypercalls=//')
        total_calls=$((total_calls + ${c:-0}))
        next=$((idx + 1))
        continue
    fi
    c=$(echo "$done_line" | grep -oE 'hypercalls=[0-9]+' | cut -d= -f2)
    s=$(echo "$done_line" | grep -oE 'skipped=[0-9]+' | cut -d= -f2)
    n=$(echo "$done_line" | grep -oE 'next=[0-9]+' | cut -d= -f2)
    total_calls=$((total_calls + c))
    total_skipped=$((total_skipped + s))
    secs=$(( $(date +%s) - b0 ))
    echo "  boot $boot_nr: programs $next..$((n - 1)), $c hostile hypercalls in ${secs}s (incl. boot): $((c / (secs ? secs : 1)))/s"
    next=$n
done
secs=$(( $(date +%s) - t0 ))
echo "fuzz-qemu: done: $((next - start)) programs (up to index $next), $total_calls hostile hypercalls ($total_skipped guarded ops skipped), $crashes hostile crashes, ${secs}s, $((total_calls / (secs ? secs : 1))) hypercalls/s, audit=$audit, no finding"
