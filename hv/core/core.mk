# The pure core: one object list, built freestanding into the hypervisor and
# hosted into the unit tests and fuzzers, and read by the proofs.
CORE_SRCS := \
	hv/core/frame_alloc.c \
	hv/core/cmdline.c \
	hv/core/boot_layout.c \
	hv/core/boot_module.c \
	hv/core/hypercall_page.c \
	hv/core/held_frame.c \
	hv/core/pte.c \
	hv/core/pagetype.c \
	hv/core/pt_ref.c \
	hv/core/pt_table.c \
	hv/core/pt_update.c \
	hv/core/mmu_decode.c \
	hv/core/mmu_ops.c \
	hv/core/pt_audit.c \
	hv/core/elf_image.c \
	hv/core/elf_bsdsym.c \
	hv/core/timekeeping.c \
	hv/core/clock_guard.c \
	hv/core/emul_decode.c \
	hv/core/emul_policy.c \
	hv/core/emul_dr.c \
	hv/core/fpu_virt.c \
	hv/core/sched_policy.c \
	hv/core/desc_check.c \
	hv/core/desc_op.c \
	hv/core/seg_lookup.c \
	hv/core/trap_check.c \
	hv/core/evtchn.c \
	hv/core/evtchn_2l.c \
	hv/core/evtchn_op.c \
	hv/core/sched_op.c \
	hv/core/vcpu_op.c \
	hv/core/gnttab_track.c \
	hv/core/gnttab.c \
	hv/core/gnttab_op.c \
	hv/core/domid.c \
	hv/core/ctl_version.c \
	hv/core/hc_cont.c \
	hv/core/mc_batch.c \
	hv/core/memop.c \
	hv/core/cons_write.c \
	hv/core/teardown.c
