/*
 * The C side of guest traps (see traps.h). An exception nobody handles is
 * reported and ends the domain as a crash, so tests never loop on a fault.
 */
#include "events.h"
#include "guest.h"
#include "pvtime.h"
#include "pv/arch_x86_32.h"
#include "pv/callback.h"
#include "pv/mmu.h"
#include "traps.h"

#define NR_VECTORS 257

extern char __virt_base[];

static trap_handler_fn *handlers[NR_VECTORS];
static uint8_t ring1_stack[8192] __attribute__((aligned(16)));

void guest_trap_dispatch(struct trap_frame *f);

void guest_trap_dispatch(struct trap_frame *f)
{
    if (f->vector < NR_VECTORS && handlers[f->vector]) {
        handlers[f->vector](f);
        return;
    }
    guest_panic("unhandled trap %u at %04x:%08x (error %x)", f->vector, f->cs & 0xFFFFu,
                f->eip, f->error);
}

void traps_set_handler(uint32_t vector, trap_handler_fn *fn)
{
    if (vector < NR_VECTORS)
        handlers[vector] = fn;
}

#define STUB(n) extern char guest_trap_##n[];
STUB(0) STUB(1) STUB(2) STUB(3) STUB(4) STUB(5) STUB(6) STUB(7) STUB(8) STUB(9)
STUB(10) STUB(11) STUB(12) STUB(13) STUB(14) STUB(16) STUB(17) STUB(18) STUB(19)
STUB(32) STUB(64) STUB(65) STUB(129) STUB(256)
extern char guest_syscall_entry[];

#define ENTRY(v, dpl, fn) { (v), (dpl), FLAT_RING1_CS, GPTR(fn) }

/* The default event upcall: run the port handlers. */
static void event_upcall(struct trap_frame *f)
{
    (void)f;
    events_dispatch();
}

int traps_init(void)
{
    /* Exceptions as interrupt gates (events masked on entry). */
    static const struct trap_info table[] = {
        ENTRY(0, TI_IF_FLAG, guest_trap_0),   ENTRY(1, TI_IF_FLAG, guest_trap_1),
        ENTRY(2, TI_IF_FLAG, guest_trap_2),   ENTRY(3, 3 | TI_IF_FLAG, guest_trap_3),
        ENTRY(4, 3 | TI_IF_FLAG, guest_trap_4),   ENTRY(5, TI_IF_FLAG, guest_trap_5),
        ENTRY(6, TI_IF_FLAG, guest_trap_6),   ENTRY(7, TI_IF_FLAG, guest_trap_7),
        ENTRY(8, TI_IF_FLAG, guest_trap_8),   ENTRY(9, TI_IF_FLAG, guest_trap_9),
        ENTRY(10, TI_IF_FLAG, guest_trap_10), ENTRY(11, TI_IF_FLAG, guest_trap_11),
        ENTRY(12, TI_IF_FLAG, guest_trap_12), ENTRY(13, TI_IF_FLAG, guest_trap_13),
        ENTRY(14, TI_IF_FLAG, guest_trap_14), ENTRY(16, TI_IF_FLAG, guest_trap_16),
        ENTRY(17, TI_IF_FLAG, guest_trap_17), ENTRY(18, TI_IF_FLAG, guest_trap_18),
        ENTRY(19, TI_IF_FLAG, guest_trap_19),
        ENTRY(0x20, 1, guest_trap_32), ENTRY(0x40, 1, guest_trap_64), ENTRY(0x41, 0, guest_trap_65),
        ENTRY(0x80, 3, guest_syscall_entry), ENTRY(0x81, 3 | TI_IF_FLAG, guest_trap_129),
        { 0, 0, 0, 0 },
    };
    struct callback_register ev = { CALLBACKTYPE_event, 0, { FLAT_RING1_CS, GPTR(guest_trap_256) } };
    int rc = hcall1(__HYPERVISOR_set_trap_table, GPTR(table));

    if (!rc)
        rc = hcall2(__HYPERVISOR_callback_op, CALLBACKOP_register, GPTR(&ev));
    if (!rc)
        rc = hcall2(__HYPERVISOR_stack_switch, FLAT_RING1_DS, GPTR(ring1_stack + sizeof(ring1_stack)));
    if (!rc)
        rc = pv_map_shared_info();
    handlers[TRAP_EVENT] = event_upcall;
    return rc;
}

int traps_make_user(uint32_t start, uint32_t end)
{
    const uint32_t *p2m = (const uint32_t *)(uintptr_t)start_info->mfn_list;
    uint32_t va;

    for (va = start & ~0xFFFu; va < end; va += 4096u) {
        uint64_t pte = ((uint64_t)p2m[(va - GPTR(__virt_base)) / 4096u] << 12) | 0x067u;  /* P RW US A D */
        int rc = hcall4(__HYPERVISOR_update_va_mapping, va, (uint32_t)pte, (uint32_t)(pte >> 32), UVMF_INVLPG);
        if (rc)
            return rc;
    }
    /* Our shared_info view lives in a page of the image: put it back. */
    return pv_remap_shared_info();
}
