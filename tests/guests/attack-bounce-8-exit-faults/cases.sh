# The boot of every attack-bounce-8-exit-faults scenario (spec/traps.md
# BOUNCE-8): dom0 starts the victim, then two attackers, one after the
# other. atk-exit-faults (tests/guests/attack-seg, attack=exit-faults)
# makes the way back to it fault in every way it can, and continues each
# time through its failsafe callback: ES, DS, FS, GS unloadable (a GDT
# entry made not present, the LDT withdrawn or moved), CS a data segment,
# CS in an LDT withdrawn under it, SS with the wrong RPL, a trap handler
# and an event callback whose CS is absent when used, and, where the CPU
# enforces segment limits, EIP past the code segment's limit and ESP past
# the stack segment's (the guest's own #SS in ring 3). Each case prints
# "EXIT <case>: ... (ok)". atk-failsafe-faults registers a failsafe
# callback whose CS is absent when an exit fault needs it: it must be
# crashed, never looped on. The victim must run on and dom0 shut down
# normally.
#   exit_faults <verdict of atk-exit-faults: SUCCESS, or SKIP where limits are not enforced>
exit_faults() {
    local verdict=$1 dir="build/tests/$NAME" c
    mkdir -p "$dir"
    cat > "$dir/guests.cfg" <<CFG
[victim]
kernel = victim.elf
memory = 8M

[atk-exit-faults]
kernel = attack-seg.elf
memory = 4M
cmdline = attack=exit-faults

[atk-failsafe-faults]
kernel = attack-seg.elf
memory = 4M
cmdline = attack=failsafe-faults
CFG
    printf '%s\n' "create victim" "sleep 60" "create atk-exit-faults" "wait 2" \
        "create atk-failsafe-faults" "wait 3" "sleep 1000" "list" "destroy 3" "destroy 2" \
        "destroy 1" "mem" "shutdown" > "$dir/run.script"
    DOM0=build/dom0.elf
    HV_ARGS=${ATTACK_HV_ARGS-audit}
    CHECK=tests/guests/common/victim-after.sh
    MODULES="build/guests/victim.elf victim.elf;build/guests/attack-seg.elf attack-seg.elf;$dir/guests.cfg guests.cfg;$dir/run.script run.script"
    EXPECT_VERDICT=$verdict     # the last verdict line is atk-exit-faults' (the next one crashes)
    EXPECT_LOG=""
    for c in es-gdt-entry-absent ds-gdt-entry-absent fs-ldt-withdrawn gs-ldt-moved \
             cs-data-segment cs-ldt-withdrawn ss-rpl-not-cpl trap-handler-cs-absent \
             event-callback-cs-absent; do
        EXPECT_LOG+="\\[atk-exit-faults\\] EXIT $c: failsafe frame .*\\(ok\\)"$'\n'
    done
    if [ "$verdict" = SUCCESS ]; then
        EXPECT_LOG+="\\[atk-exit-faults\\] segment limits enforced here
\\[atk-exit-faults\\] EXIT eip-past-cs-limit: failsafe frame .*\\(ok\\)
\\[atk-exit-faults\\] EXIT esp-past-ss-limit: #SS from ring 3 delivered \\(ok\\)"$'\n'
    else
        EXPECT_LOG+="\\[atk-exit-faults\\] EXIT eip-past-cs-limit: SKIP
\\[atk-exit-faults\\] EXIT esp-past-ss-limit: SKIP"$'\n'
    fi
    EXPECT_LOG+="\\[atk-exit-faults\\] ATTACK BOUNCE-8 exit-faults: result 0
\\[atk-exit-faults\\] Test result: $verdict
domain 3 \\(atk-failsafe-faults\\) crashed: failsafe callback entry faulted \\(iret
\\[victim\\] victim: intact after
1 +victim +(running|blocked)
Bulkhead: dom0 shut down"
    REFUSE_LOG="CORRUPTED
FAILED
WRONG
Test result: (FAILURE|ERROR)
still running
victim\\) crashed
atk-exit-faults\\) crashed"
}
