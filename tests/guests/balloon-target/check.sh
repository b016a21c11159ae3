#!/usr/bin/env bash
# DEV-26, DEV-27, DOM0-7: the hypervisor's free memory moves by exactly
# the frames the guest gave back or took. The run's `mem` lines, in order:
# before the guest, with it at 8 MiB, at 5 MiB, after two malformed
# targets (still 5 MiB), at 3 MiB, after a hand-written target above
# the maximum (still 3 MiB: mem-set bound the hypervisor's maximum to
# 3 MiB, so the guest's attempt to take more is refused), at 6 MiB,
# after it is gone. Then nothing leaked
# (same-free-memory.sh).
log=$1
here=$(dirname "$0")
mapfile -t free < <(grep -aoE '^free [0-9]+ KiB' "$log" | awk '{print $2}')
[ "${#free[@]}" -eq 8 ] || { echo "want 8 mem lines, got ${#free[@]}"; exit 1; }
base=${free[1]}
want=(x "$base" $((base + 3072)) $((base + 3072)) $((base + 5120)) $((base + 5120)) $((base + 2048)))
for i in 2 3 4 5 6; do
    [ "${free[$i]}" -eq "${want[$i]}" ] ||
        { echo "mem line $i: free ${free[$i]} KiB, want ${want[$i]} (guest at 8 MiB: $base)"; exit 1; }
done
echo "free memory followed the target: ${free[*]}"
exec "$here/../common/same-free-memory.sh" "$log"
