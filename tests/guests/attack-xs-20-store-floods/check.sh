#!/usr/bin/env bash
# XS-21: every event fired at the watcher after its watches were set is
# either one it read or one dom0 dropped and counted (`devices`): its 20
# writes and the busy guest's (400, or 96 in the short run) each fire its 64 watches on them, the
# busy guest's grant of data/busy 64, its last write 64. Then the victim
# is intact and nothing leaked (XS-18).
log=$1
busy=$(grep -aoE '^\[xsbusy\] xenstore: busy guest wrote [0-9]+ nodes' "$log" | grep -oE '[0-9]+ nodes' | cut -d' ' -f1)
[ -n "$busy" ] || { echo "no count of the busy writes"; exit 1; }
fired=$(( (20 + 1 + busy + 1) * 64 ))
got=$(grep -aoE '^\[atk-watch\] xenstore: watcher read [0-9]+ events' "$log" | grep -oE '[0-9]+ events' | cut -d' ' -f1)
dropped=$(grep -aE '^4 +atk-watch +xenstore ' "$log" | tail -n 1 | grep -oE 'events-dropped [0-9]+' | cut -d' ' -f2)
[ -n "$got" ] && [ -n "$dropped" ] || { echo "no watcher count or no dropped count"; exit 1; }
[ $((got + dropped)) = "$fired" ] ||
    { echo "watcher read $got, dom0 dropped $dropped: $((got + dropped)), fired $fired"; exit 1; }
echo "watcher read $got events, dom0 dropped $dropped, $fired fired"
tests/guests/common/victim-after.sh "$log" || exit 1
tests/guests/common/same-free-memory.sh "$log"
