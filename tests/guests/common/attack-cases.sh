# Sourced by a scenario.conf that runs several attack cases in one boot,
# each in its own attacker domain, each ending with that domain crashed:
#   attack_cases <attacker image> "<case>|<crash reason regex>" ...
# dom0 starts the victim, then one attacker per case (configuration
# section atk-<case>, command line attack=<case>, domains 2, 3, ... in
# order), waiting for each to stop before the next starts. Each must be
# crashed with its reason and no other line of its own saying it is still
# running; the victim must report an intact pattern after the last
# attacker (victim-after.sh) and still run; dom0 then destroys every
# domain and shuts down normally. The audit is on unless ATTACK_HV_ARGS
# says otherwise (set it empty for the production configuration).
attack_cases() {
    local image=$1 dir="build/tests/$NAME" id=2 c name reason script destroys=""
    shift
    mkdir -p "$dir"
    printf '[victim]\nkernel = victim.elf\nmemory = 8M\n' > "$dir/guests.cfg"
    script=$'create victim\nsleep 60\n'
    EXPECT_LOG=""
    for c in "$@"; do
        name=${c%%|*}
        reason=${c#*|}
        printf '\n[atk-%s]\nkernel = %s\nmemory = 4M\ncmdline = attack=%s\n' \
            "$name" "$(basename "$image")" "$name" >> "$dir/guests.cfg"
        script+="create atk-$name"$'\n'"wait $id"$'\n'
        EXPECT_LOG+="domain $id \\(atk-$name\\) crashed: $reason"$'\n'
        destroys="destroy $id"$'\n'"$destroys"
        id=$((id + 1))
    done
    script+=$'sleep 1000\nlist\n'"$destroys"$'destroy 1\nmem\nshutdown\n'
    printf '%s' "$script" > "$dir/run.script"
    DOM0=build/dom0.elf
    HV_ARGS=${ATTACK_HV_ARGS-audit}
    CHECK=tests/guests/common/victim-after.sh
    MODULES="build/guests/victim.elf victim.elf;$image $(basename "$image");$dir/guests.cfg guests.cfg;$dir/run.script run.script"
    EXPECT_VERDICT=none
    EXPECT_LOG+="\[victim\] victim: intact after
1 +victim +(running|blocked)
Bulkhead: dom0 shut down"
    REFUSE_LOG="CORRUPTED
Test result: (FAILURE|ERROR)
still running
victim\\) crashed"
}
