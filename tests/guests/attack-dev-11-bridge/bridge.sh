# Sourced by attack-dev-11-bridge's scenario.conf files:
#   bridge_attack <datagrams> <floods>
# writes the guests' configuration (the filler, the spy flooding <floods>
# broadcasts a round, then bob and alice, who trade <datagrams>
# datagrams) and sets the modules.
bridge_attack() {
    local dir="build/tests/$NAME"
    mkdir -p "$dir"
    cat > "$dir/guests.cfg" <<CFG
[filler]
kernel = attack-dev-11-bridge.elf
memory = 4M
mac = 02:00:00:00:00:77
cmdline = fill n=300

[spy]
kernel = attack-dev-11-bridge.elf
memory = 4M
mac = 02:00:00:00:00:66
cmdline = spy a=02:00:00:00:00:01 b=02:00:00:00:00:02 flood=$2

[bob]
kernel = netdgram.elf
memory = 4M
mac = 02:00:00:00:00:02
cmdline = recv peer=02:00:00:00:00:01 count=$1 bye

[alice]
kernel = netdgram.elf
memory = 4M
mac = 02:00:00:00:00:01
cmdline = send peer=02:00:00:00:00:02 count=$1
CFG
    MODULES="build/guests/attack-dev-11-bridge.elf attack-dev-11-bridge.elf;build/guests/netdgram.elf netdgram.elf;$dir/guests.cfg guests.cfg;tests/guests/attack-dev-11-bridge/run.script run.script"
}
