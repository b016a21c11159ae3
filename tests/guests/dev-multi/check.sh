#!/usr/bin/env bash
# dev-multi: `devices` shows the guest's two disks and two interfaces, each
# connected with its own index, vdev or MAC and counters (DEV-32): xvdb
# served its own reads and writes, and vif 1 sent and received exactly its
# 20 frames and the done frame (its echoes never reached vif 0). Then
# nothing leaked (DEV-10, DEV-20).
log=$1
fail() { echo "$*"; exit 1; }
grep -aqE '^2 +multi +vbd +connected sectors 0\+64 .* index 0 vdev 51712 xvda$' "$log" ||
    fail "no connected xvda (index 0)"
grep -aqE '^2 +multi +vbd +connected sectors 64\+32 reads [1-9][0-9]* writes 1 errors 1 .* index 1 vdev 51728 xvdb$' "$log" ||
    fail "no connected xvdb (index 1) with its own counters"
grep -aqE '^2 +multi +vif +connected tx [0-9]+ rx [0-9]+ .* index 0 mac 02:00:00:00:aa:01$' "$log" ||
    fail "no connected vif index 0"
grep -aqE '^2 +multi +vif +connected tx 21 rx 20 dropped 0 malformed 0 spoofed 0 nodest 0 .* index 1 mac 02:00:00:00:aa:02$' "$log" ||
    fail "vif index 1 did not move exactly its own frames"
grep -aqE '^1 +peer +vif +(connected|disconnected) .* index 0 mac 02:00:00:00:bb:01$' "$log" ||
    fail "no vif for the peer"
# after the reboot (domain 3): all four connected again, vif 1 moved exactly its 5 frames each way
[ "$(grep -acE '^3 +multi +(vbd|vif) +connected .* index [01] ' "$log")" -eq 4 ] ||
    fail "not all four devices connected after the reboot"
grep -aqE '^3 +multi +vif +connected tx 5 rx 5 dropped 0 malformed 0 spoofed 0 nodest 0 .* index 1 mac 02:00:00:00:aa:02$' "$log" ||
    fail "vif index 1 after the reboot did not move exactly its own frames"
# DEV-3: the rings' refs the runtime chose and published, read back from the store
for pair in vbd/51712/ring-ref=8 vbd/51728/ring-ref=160 vif/0/tx-ring-ref=9 \
            vif/0/rx-ring-ref=10 vif/1/tx-ring-ref=168 vif/1/rx-ring-ref=169; do
    key=${pair%=*} want=${pair#*=}
    got=$(grep -a -A1 "xenstore-read /local/domain/3/device/$key\$" "$log" | tail -n 1 | tr -d '\r')
    [ "$got" = "$want" ] || fail "DEV-3: device/$key is '$got', not $want"
done
echo "four devices connected, each with its index, before and after a reboot; DEV-3's refs published"
exec "$(dirname "$0")/../common/same-free-memory.sh" "$log"
