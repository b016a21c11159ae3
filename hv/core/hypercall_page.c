/* Filling the hypercall page (see hypercall_page.h). */
#include "env.h"
#include "held_frame.h"
#include "hypercall_page.h"
#include "pv/hypercall.h"

static void put_imm32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* BOOT-15: slot n is `mov $n,%eax; int $0x82; ret`, iret's pushes EAX first. */
void hypercall_page_fill(void *page)
{
    uint8_t *p = page;
    uint32_t i;

    for (i = 0; i < HYPERCALL_PAGE_SIZE; i++)
        p[i] = HYPERCALL_PAGE_FILL;
    for (i = 0; i < HYPERCALL_PAGE_NR_SLOTS; i++) {
        uint8_t *slot = p + i * HYPERCALL_PAGE_SLOT_SIZE;

        if (i == __HYPERVISOR_iret) {
            /* The guest jumps here with its IRET frame on the stack. */
            slot[0] = HYPERCALL_OPC_PUSH_EAX;
            slot[1] = HYPERCALL_OPC_MOV_EAX;
            put_imm32(slot + 2, i);
            slot[6] = HYPERCALL_OPC_INT;
            slot[7] = HYPERCALL_VECTOR;
            continue;
        }
        slot[0] = HYPERCALL_OPC_MOV_EAX;
        put_imm32(slot + 1, i);
        slot[5] = HYPERCALL_OPC_INT;
        slot[6] = HYPERCALL_VECTOR;
        slot[7] = HYPERCALL_OPC_RET;
    }
}

int hypercall_page_install(struct pt_ctx *ctx, uint32_t mfn)
{
    void *page;
    int rc = held_frame_take(ctx, mfn);                         /* PT-40 */

    if (rc)
        return rc;
    page = env_map_frame(mfn);
    hypercall_page_fill(page);
    env_unmap_frame(page);
    held_frame_release(ctx, mfn);
    return 0;
}
