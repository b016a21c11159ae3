#!/usr/bin/env bash
# Build a GRUB (multiboot2) ISO for one boot configuration.
#   tests/mkiso.sh <out.iso> <hypervisor> <hv args> <dom0> <dom0 args> "<path args;path args>"
set -eu
out=$1 hv=$2 hv_args=$3 dom0=$4 dom0_args=$5 modules=${6:-}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/boot/grub"
cp "$hv" "$dir/boot/bulkhead.elf"
cp "$dom0" "$dir/boot/dom0.elf"
{
    echo 'serial --unit=0 --speed=115200'
    echo 'terminal_input serial'
    echo 'terminal_output serial'
    echo 'set timeout=0'
    echo 'menuentry "Bulkhead" {'
    echo "    multiboot2 /boot/bulkhead.elf $hv_args"
    echo "    module2 /boot/dom0.elf $dom0_args"
    i=0
    IFS=';' read -r -a extra <<< "$modules"
    for m in "${extra[@]}"; do
        [ -z "$m" ] && continue
        path=${m%% *}
        args=${m#"$path"}
        cp "$path" "$dir/boot/mod$i"
        echo "    module2 /boot/mod$i$args"
        i=$((i + 1))
    done
    echo '    boot'
    echo '}'
} > "$dir/boot/grub/grub.cfg"
grub-mkrescue -o "$out" "$dir" >/dev/null 2>&1
