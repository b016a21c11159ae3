/*
 * The hosted model of machine memory behind hv/core/env.h.
 *
 * Unit tests and fuzzers give the core a block of "machine memory" of
 * hosted_nr_frames frames; env_map_frame() returns a pointer into it.
 * Guest virtual memory is modelled as a flat window: [guest_base,
 * guest_base + guest_len) maps onto `guest_mem`; anything outside it, or
 * at or above the hypervisor hole, is -EFAULT.
 */
#ifndef HOSTED_ENV_H
#define HOSTED_ENV_H

#include <stdbool.h>
#include <stdint.h>

void hosted_env_init(uint32_t nr_frames);
void hosted_env_fini(void);
uint8_t *hosted_frame(uint32_t mfn);
uint32_t hosted_nr_frames(void);

/* A flat guest-virtual window for the copy seams. */
void hosted_guest_window(uint32_t guest_base, uint8_t *mem, uint32_t len);

/* Live map count, so tests can check that the core unmaps what it maps. */
int hosted_live_maps(void);

/*
 * Which frames the core has mapped since the last hosted_touched_reset()
 * (and how many maps in all). The fuzzers use this to restore only the
 * frames a program could have changed, and to skip the audit after an
 * operation that mapped nothing and changed no count.
 */
bool hosted_frame_touched(uint32_t mfn);
void hosted_touched_reset(void);
unsigned long hosted_map_count(void);

/*
 * env_ldt_changed() counts in hosted_hw and then calls `hook` (if any),
 * so a harness can do what the hypervisor glue does at that moment
 * (release the shadow LDT frames).
 */
void hosted_set_ldt_hook(void (*hook)(uint32_t base, uint32_t nr_ents));

/*
 * The paging-hardware hooks of env.h only count here, so tests can check
 * that the core asked for a flush or a CR3 reload when it had to.
 */
struct hosted_hw {
    unsigned tlb_flush_all;
    unsigned tlb_flush_local;
    unsigned invlpg_local;
    unsigned invlpg_all;
    unsigned load_cr3;
    unsigned l3_updated;
    unsigned ldt_changed;
    uint32_t last_invlpg_va;
    uint32_t last_cr3;
    uint32_t last_l3;
    uint32_t ldt_base;
    uint32_t ldt_ents;
};

const struct hosted_hw *hosted_hw(void);
void hosted_hw_reset(void);

/*
 * env_foreign_mappable() answers from a settable set of domain ids
 * (initially empty, emptied by hosted_env_init()); the hypervisor's rule
 * (paused, unprivileged, not the caller) is the test's to model.
 */
void hosted_set_foreign_mappable(uint16_t dom, bool mappable);
unsigned hosted_foreign_queries(void);

/*
 * env_preempt_pending() answers yes on every `every`-th query since this
 * call (0, the default after hosted_env_init(): never), so a test or a
 * fuzzer can stop a batch at chosen points and issue its continuation.
 */
void hosted_set_preempt(uint32_t every);
uint32_t hosted_preempt_queries(void);

/*
 * env_multicall_entry() calls `fn` (NULL, the default: every entry
 * answers -ENOSYS); env_caller_active() answers the flag set here (true
 * by default); env_console_emit() appends to a buffer of
 * HOSTED_CONSOLE_MAX bytes (the rest is lost).
 */
struct hc_cont;
typedef int32_t hosted_mc_fn(uint32_t op, const uint32_t args[5], struct hc_cont *sub,
                             bool *preempted);
void hosted_set_multicall(hosted_mc_fn *fn);
void hosted_set_caller_active(bool active);
#define HOSTED_CONSOLE_MAX 65536u
const char *hosted_console(uint32_t *len);
void hosted_console_reset(void);

/*
 * The descriptor-table and event seams (hosted_desc_evt.c).
 * env_shared_info_map() lends the frame set here for a domain id
 * (INVALID_MFN, the default after hosted_desc_evt_reset(): none, so
 * events to it are dropped); the other seams only count and remember
 * their last arguments, so tests can check what the core asked for.
 */
struct hosted_desc_evt {
    unsigned gdt_page_set, ldt_page_set, desc_changed;
    uint16_t last_desc_dom;
    uint32_t last_desc_page, last_desc_mfn;
    unsigned kicks;
    uint16_t last_kick_dom;
    unsigned poll_blocks;
    uint64_t last_poll_timeout;
};
#define HOSTED_MAX_SHARED 16u
void hosted_set_shared_info(uint16_t dom, uint32_t mfn);
const struct hosted_desc_evt *hosted_desc_evt(void);
/* Counters to zero; with `all`, the shared_info frames forgotten as well. */
void hosted_desc_evt_reset(bool all);

/*
 * The scheduling and lifecycle seams (hosted_sched.c): env_now_ns()
 * answers `now` (which a test may move), the others only count and
 * remember the last shutdown reason.
 */
struct hosted_sched {
    uint64_t now;
    unsigned now_reads;
    unsigned yields, blocks, shutdowns;
    uint32_t last_reason;
};
void hosted_sched_reset(uint64_t now);
struct hosted_sched *hosted_sched(void);

/*
 * The guest-CPU and serial-input seams (hosted_cpu.c): the CPU seams
 * count and remember their last arguments; env_console_getc() hands out
 * `input[input_pos .. input_len)`, which a test fills, then -1.
 */
#define HOSTED_INPUT_MAX 512u
struct hosted_cpu {
    unsigned int80_sets, stack_sets, ts_sets, getc_calls;
    uint64_t int80_gate;
    uint16_t stack_ss;
    uint32_t stack_sp;
    bool ts;
    char input[HOSTED_INPUT_MAX];
    uint32_t input_len, input_pos;
};
void hosted_cpu_reset(void);
struct hosted_cpu *hosted_cpu(void);

#endif
