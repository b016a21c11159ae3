#!/usr/bin/env bash
# Judge one boot of the layer-2 fuzz setup from its serial log.
#
#   fuzz/qemu/check.sh <log> [min hostile hypercalls]
#
# Prints one line per problem and exits 1 on a finding:
#   a hypervisor panic (an audit mismatch panics too), a failed audit
#   that dom0 asked for, a FUZZ-FINDING
#   self-check of the hostile guest, a harmed victim (CORRUPTED, crashed,
#   a heartbeat whose checksum differs from the first, no heartbeat after
#   the hostile guest finished, missing from dom0's list), or fewer
#   hostile hypercalls than asked. A crash of the hostile guest itself is
#   not a finding (exit 2 tells the runner to go on after its program).
set -u
log=$1
min=${2:-0}
bad=0
say() { echo "$*"; bad=1; }

if grep -aq 'Bulkhead PANIC' "$log"; then
    say "finding: hypervisor panic: $(grep -a -m1 -A3 'Bulkhead PANIC' "$log" | tr '\n' ' ' | head -c 400)"
fi
if grep -a 'audit' "$log" | grep -avE 'every reference accounted for|dom0> audit' | grep -aqE 'audit: |error: audit'; then
    say "finding: audit: $(grep -a 'audit' "$log" | grep -avE 'every reference accounted for|dom0> audit' | head -n1)"
fi
if grep -aq 'FUZZ-FINDING' "$log"; then
    say "finding: $(grep -a -m1 'FUZZ-FINDING' "$log")"
fi
if grep -aqE 'CORRUPTED|LOST WAKEUP|\(victim\) crashed' "$log"; then
    say "finding: victim harmed: $(grep -a -m1 -E 'CORRUPTED|LOST WAKEUP|\(victim\) crashed' "$log")"
fi
# Woken but not run: scheduling latency (the audit makes every hypercall
# of the victim expensive); only a long starvation is a finding.
starved=$(grep -aoE 'fuzz-victim: LATE: runnable [0-9]+ ms, blocked [0-9]+' "$log" |
          awk '$4 >= 20000 || $NF >= 20000' | head -n1)
[ -n "$starved" ] && say "finding: victim woken or run 20 s late: $starved ms"
ready=$(grep -aoE 'fuzz-victim: ready sum=[0-9a-f]+' "$log" | head -n1 | sed 's/.*sum=//')
if [ -z "$ready" ]; then
    say "finding: the victim never reported ready"
else
    other=$(grep -aoE 'fuzz-victim: intact hb=[0-9]+ sum=[0-9a-f]+' "$log" | sed 's/.*sum=//' |
            grep -v "^$ready\$" | head -n1)
    [ -n "$other" ] && say "finding: victim checksum changed: $other, first $ready"
fi
done_line=$(grep -an 'fuzz-hostile: done' "$log" | tail -n1)
if [ -n "$done_line" ]; then
    n=${done_line%%:*}
    if ! tail -n +"$n" "$log" | grep -aq 'fuzz-victim: intact hb='; then
        say "finding: no victim heartbeat after the hostile guest finished"
    fi
    if ! grep -aqE '^ *1 +victim +(running|blocked)' "$log"; then
        say "finding: the victim is not running in dom0's final list"
    fi
    calls=$(echo "$done_line" | grep -oE 'hypercalls=[0-9]+' | cut -d= -f2)
    if [ "${calls:-0}" -lt "$min" ]; then
        say "too few hostile hypercalls: ${calls:-0} < $min"
    fi
elif [ $bad -eq 0 ]; then
    crash='\(hostile\) crashed|\(hostile\) shut down, reason 3|\[hostile\] guest panic'
    if grep -aqE "$crash" "$log"; then
        echo "hostile guest crashed (not a finding): $(grep -a -m1 -E "$crash" "$log")"
        exit 2
    fi
    say "finding: the hostile guest never finished (hang?)"
fi
exit $bad
