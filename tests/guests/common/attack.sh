# Sourced by an attack scenario's scenario.conf:
#   attack <attacker image> <attack name> [<crash reason regex>]
# With a crash reason, the attack must end the attacker (and only it) with
# that reason; without, the attacker reports the refusal and its verdict.
# dom0 starts a victim, then the attacker with attack=<name>; the attacker
# reports the hypervisor's answer and its verdict; the victim must still be
# watching an intact pattern afterwards, and the hypervisor audits every
# page-table reference after every hypercall (PT-31; a mismatch panics). The
# victim's intact report must come after the attacker's last line
# (victim-after.sh).
# Optional: ATTACKER_CFG (more lines for the attacker's section, e.g. a
# disk), ATTACK_MODULES (more modules), ATTACK_LOG (more lines to expect),
# ATTACK_GUESTS (more guest sections), ATTACK_AFTER (commands run after
# the attack, before the final checks), VICTIM_CMDLINE (the victim's
# command line, e.g. `progress`), ATTACKER_MEMORY (default 8M),
# ATTACK_WAIT (the script's commands from creating the attacker to the
# checks; default: wait for it, then a second), ATTACK_BEFORE (commands
# before the victim is created).
attack() {
    local image=$1 name=$2 crash=${3:-} dir="build/tests/$NAME"
    mkdir -p "$dir"
    cat > "$dir/guests.cfg" <<CFG
[victim]
kernel = victim.elf
memory = 8M
${VICTIM_CMDLINE:+cmdline = $VICTIM_CMDLINE}

[attacker]
kernel = $(basename "$image")
memory = ${ATTACKER_MEMORY:-8M}
cmdline = attack=$name
${ATTACKER_CFG:-}

${ATTACK_GUESTS:-}
CFG
    cat > "$dir/run.script" <<SCRIPT
${ATTACK_BEFORE:-}
create victim
sleep 60
create attacker
${ATTACK_WAIT:-wait 2
sleep 1000}
${ATTACK_AFTER:-}
list
devices
destroy 2
destroy 1
mem
shutdown
SCRIPT
    DOM0=build/dom0.elf
    HV_ARGS=${ATTACK_HV_ARGS-audit}
    CHECK=tests/guests/common/victim-after.sh
    MODULES="build/guests/victim.elf victim.elf;$image $(basename "$image");${ATTACK_MODULES:+$ATTACK_MODULES;}$dir/guests.cfg guests.cfg;$dir/run.script run.script"
    EXPECT_VERDICT=none
    if [ -n "$crash" ]; then
        EXPECT_LOG="domain 2 \\(attacker\\) crashed: $crash
2 +attacker +crashed
\[victim\] victim: intact after
1 +victim +(running|blocked)"
        REFUSE_LOG="CORRUPTED
Test result: (FAILURE|ERROR)
victim\\) crashed"
        return
    fi
    EXPECT_LOG="\[attacker\] ATTACK [A-Z]+-[0-9]+ $name: result
\[attacker\] Test result: SUCCESS
\[victim\] victim: intact after
1 +victim +(running|blocked)
${ATTACK_LOG:-}"
    REFUSE_LOG="CORRUPTED
Test result: (FAILURE|ERROR)
crashed"
}
