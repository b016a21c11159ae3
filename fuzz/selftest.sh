#!/usr/bin/env bash
# `make fuzz-selftest`: do the oracles catch real bugs? Each case plants
# one bug in a COPY of a core file under BUILD/fuzz/selftest/ (hv/core/ is
# never touched), builds the replay tool over that copy and replays the
# committed corpus; the case passes when the replay reports a finding (or
# a sanitizer error). A case whose pattern no longer matches the core fails
# loudly, so the planted bugs follow the code.
#   selftest.sh BUILD "CORE_SRCS..." "EXEC_SRCS..." "CFLAGS..." "INCLUDES..."
set -u
cd "$(dirname "$0")/.."
BUILD=$1 core_srcs=$2 exec_srcs=$3 cflags=$4 includes=$5
out=$BUILD/fuzz/selftest
rc=0
shopt -s nullglob
corpus=(fuzz/corpus/*.bin fuzz/corpus/afl/* fuzz/findings/*.bin)

# name % file % sed expression planting the bug % what the bug breaks
cases=(
"pt-rw-table%hv/core/pt_ref.c%s/^    if (!rw)\$/    if (!rw || (ctx->ft->frames[mfn].type != PGT_WRITABLE \&\& ctx->ft->frames[mfn].type_count))/%PT-7: a writable mapping of a page table takes no PGT_WRITABLE reference"
"pte-pse%hv/core/pte.c%s/if (has(l2e, PTE_PSE))/if (0 \&\& has(l2e, PTE_PSE))/%PT-4: PSE superpages accepted in an L2 (the audit shares the check)"
"l3-slot3%hv/core/pte.c%s/if (slot >= PT_XEN_L3_SLOT) /if (slot > PT_XEN_L3_SLOT) /%PT-13: mmu_update may rewrite L3 slot 3"
"gnt-handle-kept%hv/core/gnttab.c%s#^    gnttab_handle_free(me, op->handle); .*GNT-2 \*/\$#    /* planted: the handle stays in use */#%GNT-2: an unmapped handle is never freed"
"gnt-ro-writable%hv/core/gnttab_track.c%s#if (rw \&\& (flags / GTF_readonly)#if (0 \&\& rw \&\& (flags / GTF_readonly)#%GNT-5: a read-only grant mapped or copied into writably"
"evt-bounds%hv/core/evtchn.c%s/return port < d->max_ports \&\& port < EVTCHN_NR_PORTS;/return port <= d->max_ports \&\& port <= EVTCHN_NR_PORTS;/%EVT-1: port bound off by one"
"evt-unmask-unchecked%hv/core/evtchn_op.c%s/int rc = evtchn_unmask_check(c->w, c->caller, port);/int rc = 0;/%EVT-1, EVT-16: event_channel_op unmasks a port past the table"
"desc-update-unchecked%hv/core/desc_op.c%s/if (desc_check(\&desc))/if (0 \&\& desc_check(\&desc))/%DESC-15: update_descriptor stores an unchecked descriptor"
"desc-update-table%hv/core/desc_op.c%s/return f->type == PGT_SEG_DESC || f->type == PGT_NONE || f->type == PGT_WRITABLE;/return true;/%DESC-15: update_descriptor writes into a page table"
"trap-entry-unchecked%hv/core/trap_op.c%s/if (trap_check_entry(\&ti))/if (0 \&\& trap_check_entry(\&ti))/%TRAP-3, TRAP-7: set_trap_table stores an entry it never checked"
"callback-refused-kept%hv/core/trap_op.c%s/^    \*callback_slot(tv, reg.type) = cb;\$/    *callback_slot(tv, reg.type) = (struct trap_callback){ (uint32_t)reg.address.eip, (uint16_t)reg.address.cs, false };/%CB-2, CB-3: callback_op installs the callback as given, not as checked"
"desc-gdt-undo%hv/core/desc_op.c%s/while (--i > 0) /while (0 \&\& --i > 0) /%DESC-14: a refused set_gdt keeps the frames typed before it"
"stack-any-ss%hv/core/trap_check.c%s/if (!trap_stack_selector_ok(fixed))/if (0 \&\& !trap_stack_selector_ok(fixed))/%CB-7: stack_switch accepts a hypervisor or null stack selector"
"callbacks-failsafe-unchecked%hv/core/trap_op.c%s/^        rc = trap_callback_register(\&fs, \&fs_cb);\$/        (void)trap_callback_register(\&fs, \&fs_cb);/%CB-3, CB-8: set_callbacks installs a failsafe callback it refused"
"assist-unknown-type%hv/core/assist_op.c%s/if (type >= 32 || !(VM_ASSIST_KNOWN \& (1u << type)))/if (type >= 32)/%HC-9: vm_assist switches a type Xen does not know"
"physdev-iopl-4%hv/core/physdev_op.c%s/if (op.iopl > 3)/if (op.iopl > 4)/%EMUL-25: physdev_op sets a virtual IOPL of 4"
"fpu-ts-not-real%hv/core/fpu_virt.c%s/^    env_fpu_ts_set(\*virt_ts);/    (void)virt_ts;/%FPU-3: fpu_taskswitch leaves the real TS behind the virtual one"
"block-keeps-mask%hv/core/sched_op.c%s/^        vi->evtchn_upcall_mask = 0;\$/        (void)vi;/%SCHED-5: SCHEDOP_block sleeps with upcalls still masked"
"vcpu-period-short%hv/core/vcpu_op.c%s/if (t.period_ns < VCPU_PERIOD_MIN_NS || /if (/%TIME-5: vcpu_op accepts a periodic timer under 1 ms"
)

for c in "${cases[@]}"; do
    IFS='%' read -r name file expr what <<<"$c"
    d=$out/$name
    rm -rf "$d" && mkdir -p "$d"
    sed "$expr" "$file" > "$d/$(basename "$file")"
    if cmp -s "$file" "$d/$(basename "$file")"; then
        echo "FAIL fuzz/selftest-$name: the pattern no longer matches $file"
        rc=1
        continue
    fi
    srcs=${core_srcs//$file/$d/$(basename "$file")}
    # shellcheck disable=SC2086
    if ! $HOSTCC $cflags $includes -o "$d/replay" fuzz/replay_main.c $exec_srcs $srcs \
            >"$d/build.log" 2>&1; then
        echo "FAIL fuzz/selftest-$name: does not build (see $d/build.log)"
        rc=1
        continue
    fi
    # in a command substitution, so the shell reports no "Aborted" line
    st=$("$d/replay" "${corpus[@]}" >"$d/replay.log" 2>&1; echo $?)
    if [ "$st" = 0 ]; then
        echo "FAIL fuzz/selftest-$name: corpus replays clean with the bug ($what)"
        rc=1
        continue
    fi
    seed=$(grep '^== ' "$d/replay.log" | tail -n 1 | awk '{ print $2 }')
    found=$(grep -m1 -o 'FINDING.*\|ERROR: AddressSanitizer: [a-z-]*\|runtime error: .*' \
        "$d/replay.log" | cut -c1-110)
    echo "PASS fuzz/selftest-$name ($what: $(basename "$seed"): $found)"
done
exit $rc
