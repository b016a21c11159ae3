# Sourced by attack-ctl-6-domid-reuse[-prod]/scenario.conf (CTL-6).
# dom0 starts a sharer (domain 1) that offers a port and two grants to
# domain 2, then the legitimate peer (domain 2), which binds and copies and
# shuts down, and is destroyed. Then the attacker is created: it must not
# get id 2 again, and must not be able to bind the sharer's port or copy
# from or into its grants; the sharer's pages stay intact and its port is
# never rebound. `wait 2` and `wait 3` cover both ids the attacker can get
# (the first one answers "no such domain" once ids are not reused).
domid_reuse() {
    local dir="build/tests/$NAME"
    mkdir -p "$dir"
    cat > "$dir/guests.cfg" <<CFG
[sharer]
kernel = domid-reuse.elf
memory = 4M
cmdline = sharer peer=2

[peer]
kernel = domid-reuse.elf
memory = 4M
cmdline = peer sharer=1

[attacker]
kernel = domid-reuse.elf
memory = 4M
cmdline = attacker sharer=1
CFG
    cat > "$dir/run.script" <<SCRIPT
create sharer
create peer
wait 2
destroy 2
sleep 100
create attacker
wait 2
wait 3
sleep 600
list
destroy 3
destroy 2
destroy 1
mem
shutdown
SCRIPT
    DOM0=build/dom0.elf
    HV_ARGS=${ATTACK_HV_ARGS-audit}
    MODULES="build/guests/attack-ctl-6-domid-reuse.elf domid-reuse.elf;$dir/guests.cfg guests.cfg;$dir/run.script run.script"
    EXPECT_VERDICT=none
    TIMEOUT=120
    EXPECT_LOG="\[peer\] peer: bound port [0-9]+ of domain 1 and read its secret page
\[peer\] Test result: SUCCESS
\[sharer\] sharer: peer gone, port [0-9]+ unbound for domain 2 \(EVT-13\)
\[attacker\] attacker: created as domain 3
\[attacker\] ATTACK CTL-6 domid-reuse: result 0 port\(s\) bound, 0 ref\(s\) read, 0 written
\[attacker\] Test result: SUCCESS
1 +sharer +(running|blocked)"
    REFUSE_LOG="CORRUPTED
REBOUND
Test result: (FAILURE|ERROR)
crashed"
    CHECK=tests/guests/common/sharer-after.sh
}
