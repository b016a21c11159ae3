# The cases of attack-desc-13-lazy-selectors (and its -prod twin): a ring-1
# stack selector that stack_switch accepts, because the guest could fill
# the entry in later, is absent or unsuitable when the hypervisor needs it
# for a bounce from ring 3, an event upcall from ring 3 or the failsafe
# path. As in Xen, whose bounce-frame code faults loading or writing
# through it, the guest is crashed; the reason names the selector.
. tests/guests/common/attack-cases.sh
lazy_selector_cases() {
    attack_cases build/guests/attack-seg.elf \
        "stack-ldt-none|#BP breakpoint: stack segment 0007: no descriptor" \
        "stack-ldt-unmapped|#BP breakpoint: stack segment 0005: no descriptor" \
        "stack-ldt-shrunk|#BP breakpoint: stack segment 0965: no descriptor" \
        "stack-ldt-moved|#BP breakpoint: stack segment 0005: not writable data" \
        "stack-gdt-past-ents|#BP breakpoint: stack segment 0141: no descriptor" \
        "stack-gdt-gate|#BP breakpoint: stack segment 0021: not writable data" \
        "stack-gdt-code|#BP breakpoint: stack segment 0011: not writable data" \
        "stack-gdt-rodata|#BP breakpoint: stack segment 0031: not writable data" \
        "stack-gdt-absent|#BP breakpoint: stack segment 0039: not present" \
        "stack-gdt-dpl|#BP breakpoint: stack segment 000b: DPL below RPL" \
        "stack-upcall|event upcall: stack segment 0005: no descriptor" \
        "stack-failsafe|failsafe callback: stack segment 0005: no descriptor"
}
