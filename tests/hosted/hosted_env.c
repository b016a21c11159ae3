/* Hosted implementation of env.h over a malloc'd model of machine memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env.h"
#include "hosted_env.h"
#include "pv/errno.h"
#include "pv/layout.h"

static uint8_t *machine_mem;
static uint32_t machine_frames;
static int live_maps;
static uint8_t *touched;            /* one bit per frame mapped since the last reset */
static unsigned long map_count;
static void (*ldt_hook)(uint32_t base, uint32_t nr_ents);

static uint32_t window_base;
static uint8_t *window_mem;
static uint32_t window_len;

/* One bit per domid: may a privileged caller map that domain's frames? */
static uint8_t foreign_mappable[0x10000 / 8];
static unsigned foreign_queries;

/* env_preempt_pending(): yes on every preempt_every-th query (0: never). */
static uint32_t preempt_every, preempt_queries;

/* The multicall, caller and console seams. */
static hosted_mc_fn *mc_hook;
static bool caller_active = true;
static char console_out[HOSTED_CONSOLE_MAX];
static uint32_t console_len;

void hosted_env_init(uint32_t nr_frames)
{
    free(machine_mem);
    free(touched);
    machine_mem = calloc(nr_frames, PAGE_SIZE);
    touched = calloc(nr_frames / 8u + 1u, 1);
    if (!machine_mem || !touched) {
        perror("hosted_env_init");
        exit(2);
    }
    machine_frames = nr_frames;
    live_maps = 0;
    window_mem = NULL;
    window_len = 0;
    memset(foreign_mappable, 0, sizeof(foreign_mappable));
    foreign_queries = 0;
    preempt_every = 0;
    preempt_queries = 0;
    mc_hook = NULL;
    caller_active = true;
    console_len = 0;
    map_count = 0;
    ldt_hook = NULL;
}

void hosted_env_fini(void)
{
    free(machine_mem);
    free(touched);
    touched = NULL;
    machine_mem = NULL;
    machine_frames = 0;
}

uint8_t *hosted_frame(uint32_t mfn)
{
    if (mfn >= machine_frames) {
        fprintf(stderr, "hosted model: frame %u out of range\n", mfn);
        abort();
    }
    return machine_mem + (size_t)mfn * PAGE_SIZE;
}

uint32_t hosted_nr_frames(void)
{
    return machine_frames;
}

void *env_map_frame(uint32_t mfn)
{
    uint8_t *p = hosted_frame(mfn);     /* aborts on a frame beyond the model */

    live_maps++;
    map_count++;
    touched[mfn / 8u] |= (uint8_t)(1u << (mfn % 8u));
    return p;
}

void env_unmap_frame(const void *va)
{
    (void)va;
    live_maps--;
}

int hosted_live_maps(void)
{
    return live_maps;
}

bool hosted_frame_touched(uint32_t mfn)
{
    return mfn < machine_frames && ((touched[mfn / 8u] >> (mfn % 8u)) & 1u);
}

void hosted_touched_reset(void)
{
    memset(touched, 0, machine_frames / 8u + 1u);
}

unsigned long hosted_map_count(void)
{
    return map_count;
}

void hosted_set_ldt_hook(void (*hook)(uint32_t base, uint32_t nr_ents))
{
    ldt_hook = hook;
}

void hosted_guest_window(uint32_t guest_base, uint8_t *mem, uint32_t len)
{
    window_base = guest_base;
    window_mem = mem;
    window_len = len;
}

static uint8_t *window_at(guest_ptr_t p, uint32_t len)
{
    if (!window_mem)
        return NULL;
    if (p.va < window_base || p.va - window_base > window_len ||
        len > window_len - (p.va - window_base))
        return NULL;
    if (p.va >= HYPERVISOR_VIRT_START || len > HYPERVISOR_VIRT_START - p.va)
        return NULL;
    return window_mem + (p.va - window_base);
}

int env_copy_from_guest(void *dst, guest_ptr_t src, uint32_t len)
{
    uint8_t *from;

    if (len == 0)
        return 0;
    from = window_at(src, len);
    if (!from)
        return -EFAULT;
    memcpy(dst, from, len);
    return 0;
}

int env_copy_to_guest(guest_ptr_t dst, const void *src, uint32_t len)
{
    uint8_t *to;

    if (len == 0)
        return 0;
    to = window_at(dst, len);
    if (!to)
        return -EFAULT;
    memcpy(to, src, len);
    return 0;
}

static struct hosted_hw hw;

const struct hosted_hw *hosted_hw(void)
{
    return &hw;
}

void hosted_hw_reset(void)
{
    memset(&hw, 0, sizeof(hw));
}

void env_tlb_flush_all(void)
{
    hw.tlb_flush_all++;
}

void env_tlb_flush_local(void)
{
    hw.tlb_flush_local++;
}

void env_invlpg_local(uint32_t va)
{
    hw.invlpg_local++;
    hw.last_invlpg_va = va;
}

void env_invlpg_all(uint32_t va)
{
    hw.invlpg_all++;
    hw.last_invlpg_va = va;
}

void env_load_cr3(uint32_t l3_mfn)
{
    hw.load_cr3++;
    hw.last_cr3 = l3_mfn;
}

void env_l3_updated(uint32_t l3_mfn)
{
    hw.l3_updated++;
    hw.last_l3 = l3_mfn;
}

void env_ldt_changed(uint32_t base, uint32_t nr_ents)
{
    hw.ldt_changed++;
    hw.ldt_base = base;
    hw.ldt_ents = nr_ents;
    if (ldt_hook)
        ldt_hook(base, nr_ents);
}

void hosted_set_foreign_mappable(uint16_t dom, bool mappable)
{
    uint8_t bit = (uint8_t)(1u << (dom % 8u));

    if (mappable)
        foreign_mappable[dom / 8u] |= bit;
    else
        foreign_mappable[dom / 8u] &= (uint8_t)~bit;
}

unsigned hosted_foreign_queries(void)
{
    return foreign_queries;
}

bool env_foreign_mappable(domid_t fd)
{
    foreign_queries++;
    return (foreign_mappable[fd / 8u] >> (fd % 8u)) & 1u;
}

void hosted_set_preempt(uint32_t every)
{
    preempt_every = every;
    preempt_queries = 0;
}

uint32_t hosted_preempt_queries(void)
{
    return preempt_queries;
}

bool env_preempt_pending(void)
{
    preempt_queries++;
    return preempt_every != 0 && preempt_queries % preempt_every == 0;
}

void hosted_set_multicall(hosted_mc_fn *fn)
{
    mc_hook = fn;
}

void hosted_set_caller_active(bool active)
{
    caller_active = active;
}

int32_t env_multicall_entry(uint32_t op, const uint32_t args[5], struct hc_cont *sub,
                            bool *preempted)
{
    *preempted = false;
    return mc_hook ? mc_hook(op, args, sub, preempted) : -ENOSYS;
}

bool env_caller_active(void)
{
    return caller_active;
}

void env_console_emit(const char *buf, uint32_t n)
{
    uint32_t room = HOSTED_CONSOLE_MAX - console_len;
    uint32_t take = n < room ? n : room;

    memcpy(console_out + console_len, buf, take);
    console_len += take;
}

const char *hosted_console(uint32_t *len)
{
    *len = console_len;
    return console_out;
}

void hosted_console_reset(void)
{
    console_len = 0;
}
