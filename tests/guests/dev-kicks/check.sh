#!/usr/bin/env bash
# DEV-9, DEV-14: the kicker finished every round trip while dom0 was still
# in its one `sleep` (its report comes before the line dom0 prints after
# the sleep); dom0 was woken by events (kicks) at least once per round
# trip but 100, and it did not spin (at most 5000 sleeps in the whole run:
# a dom0 that never slept would count hundreds of thousands); nothing
# leaked.
log=$1
done_at=$(grep -anE '^\[kicker\] kicks: 200 block reads, 200 console drains, 200 net round trips' "$log" | head -n 1 | cut -d: -f1)
over_at=$(grep -anE '^dom0: the sleep is over' "$log" | head -n 1 | cut -d: -f1)
[ -n "$done_at" ] || { echo "no complete kicker report"; exit 1; }
[ -n "$over_at" ] || { echo "dom0's sleep never ended"; exit 1; }
[ "$done_at" -lt "$over_at" ] ||
    { echo "the round trips ended after dom0's sleep (line $done_at, sleep over at $over_at)"; exit 1; }
read -r slept woken < <(sed -nE 's/^dom0: slept ([0-9]+) times waiting for the backends, ([0-9]+) ended by an event.*/\1 \2/p' "$log" | tail -n 1)
[ -n "$slept" ] || { echo "no dom0 sleep counters"; exit 1; }
[ "$woken" -ge 500 ] || { echo "only $woken of dom0's sleeps ended by an event (want >= 500)"; exit 1; }
[ "$slept" -le 5000 ] || { echo "dom0 slept $slept times: it spins"; exit 1; }
echo "every round trip was served during dom0's sleep; $woken of $slept sleeps ended by an event"
exec "$(dirname "$0")/../common/same-free-memory.sh" "$log"
