/*
 * The virtual CR0.TS and the FPU switch decisions (hv/core/fpu_virt.c,
 * FPU-2..FPU-5 in spec/emulation.md), and the fpu_taskswitch hypercall
 * as the hypervisor runs it (fpu_taskswitch_op()).
 */
#include "check.h"
#include "fpu_virt.h"
#include "hosted_env.h"
#include "pv/errno.h"

#define CR0_REAL 0x80010033u     /* PG WP NE ET MP PE, as the hypervisor runs */

static void test_cr0_views(void)
{
    CHECK_EQ_CASE("FPU-2 guest reads TS set", fpu_guest_cr0(CR0_REAL, true), CR0_REAL | FPU_CR0_TS);
    CHECK_EQ_CASE("FPU-2 guest reads TS clear though the real one is set",
                  fpu_guest_cr0(CR0_REAL | FPU_CR0_TS, false), CR0_REAL);
    CHECK_EQ_CASE("FPU-2 other bits are the real ones", fpu_guest_cr0(0x8005003Bu, true), 0x8005003Bu);
    CHECK_EQ_CASE("FPU-3 vCPU with TS runs with the real TS", fpu_vcpu_cr0(CR0_REAL, true), CR0_REAL | FPU_CR0_TS);
    CHECK_EQ_CASE("FPU-3 vCPU without TS runs with it clear", fpu_vcpu_cr0(CR0_REAL | FPU_CR0_TS, false),
                  CR0_REAL);
}

static void test_ts_writes(void)
{
    bool ts = false;

    CHECK_EQ_CASE("FPU-3 taskswitch(1) sets", fpu_taskswitch_ts(1), 1);
    CHECK_EQ_CASE("FPU-3 taskswitch(any non-zero) sets", fpu_taskswitch_ts(0x80000000u), 1);
    CHECK_EQ_CASE("FPU-3 taskswitch(0) clears", fpu_taskswitch_ts(0), 0);
    CHECK_EQ_CASE("FPU-3 mov cr0 setting TS", fpu_cr0_write(CR0_REAL, CR0_REAL | FPU_CR0_TS, &ts), 0);
    CHECK_EQ_CASE("FPU-3 mov cr0 set TS", ts, 1);
    CHECK_EQ_CASE("FPU-3 mov cr0 clearing TS", fpu_cr0_write(CR0_REAL | FPU_CR0_TS, CR0_REAL, &ts), 0);
    CHECK_EQ_CASE("FPU-3 mov cr0 cleared TS", ts, 0);
    ts = true;
    CHECK_EQ_CASE("FPU-3 mov cr0 clearing WP refused", fpu_cr0_write(CR0_REAL, CR0_REAL & ~0x10000u, &ts), -EPERM);
    CHECK_EQ_CASE("FPU-3 refused write leaves TS", ts, 1);
    CHECK_EQ_CASE("FPU-3 mov cr0 setting EM refused", fpu_cr0_write(CR0_REAL, CR0_REAL | 4u, &ts), -EPERM);
    CHECK_EQ_CASE("FPU-3 mov cr0 clearing PG with TS refused",
                  fpu_cr0_write(CR0_REAL, (CR0_REAL & ~0x80000000u) | FPU_CR0_TS, &ts), -EPERM);
    CHECK_EQ_CASE("FPU-3 refused write leaves TS (2)", ts, 1);
}

static void test_nm(void)
{
    CHECK_EQ_CASE("FPU-4 #NM with TS set is delivered", fpu_nm_decide(true), FPU_NM_DELIVER);
    CHECK_EQ_CASE("FPU-4 #NM with TS clear is retried", fpu_nm_decide(false), FPU_NM_RETRY);
}

struct ptr_case {
    const char *name;
    struct fpu_cpu_id id;
    bool leak;
};

#define AMD   0x68747541u, 0x69746E65u, 0x444D4163u
#define HYGON 0x6F677948u, 0x6E65476Eu, 0x656E6975u
#define INTEL 0x756E6547u, 0x49656E69u, 0x6C65746Eu

static const struct ptr_case ptr_cases[] = {
    { "FPU-5 AMD without RSTR_FP_ERR_PTRS leaks", { AMD, 0x80000008u, 0 }, true },
    { "FPU-5 AMD with RSTR_FP_ERR_PTRS does not", { AMD, 0x80000008u, FPU_RSTR_FP_ERR_PTRS }, false },
    { "FPU-5 AMD with other leaf-8 bits leaks", { AMD, 0x8000001Fu, ~FPU_RSTR_FP_ERR_PTRS }, true },
    { "FPU-5 AMD without leaf 0x80000008 leaks", { AMD, 0x80000004u, FPU_RSTR_FP_ERR_PTRS }, true },
    { "FPU-5 Hygon without the bit leaks", { HYGON, 0x80000008u, 0 }, true },
    { "FPU-5 Hygon with the bit does not", { HYGON, 0x80000008u, FPU_RSTR_FP_ERR_PTRS }, false },
    { "FPU-5 Intel never", { INTEL, 0x80000008u, 0 }, false },
    { "FPU-5 half an AMD vendor string is not AMD", { 0x68747541u, 0x49656E69u, 0x444D4163u, 0x80000008u, 0 },
      false },
};

static void test_ptrs(void)
{
    uint32_t i;

    for (i = 0; i < ARRAY_SIZE(ptr_cases); i++)
        CHECK_EQ_CASE(ptr_cases[i].name, fpu_ptrs_leak(&ptr_cases[i].id), ptr_cases[i].leak);
    CHECK_EQ_CASE("FPU-5 zap a clean image", fpu_zap_before_restore(true, 0x0000, 0x037F), 1);
    CHECK_EQ_CASE("FPU-5 zap: masked exception flags only", fpu_zap_before_restore(true, 0x003F, 0x037F), 1);
    CHECK_EQ_CASE("FPU-5 no zap: unmasked #Z pending", fpu_zap_before_restore(true, 0x0084, 0x037B), 0);
    CHECK_EQ_CASE("FPU-5 no zap: unmasked #I pending", fpu_zap_before_restore(true, 0x0001, 0x037E), 0);
    CHECK_EQ_CASE("FPU-5 zap: flag set but its mask on", fpu_zap_before_restore(true, 0x0004, 0x037F), 1);
    CHECK_EQ_CASE("FPU-5 never where pointers are restored", fpu_zap_before_restore(false, 0x0000, 0x037F), 0);
}

/* FPU-3: fpu_taskswitch(arg) sets the virtual TS and asks the real one to follow. */
static void test_taskswitch_op(void)
{
    static const uint32_t set[] = { 1, 2, 0x80000000u, 0xFFFFFFFFu };
    bool ts = false;
    unsigned i;

    hosted_cpu_reset();
    for (i = 0; i < ARRAY_SIZE(set); i++) {
        ts = false;
        CHECK_EQ_CASE("FPU-3 fpu_taskswitch(non-zero) is 0", fpu_taskswitch_op(&ts, set[i]), 0);
        CHECK_EQ_CASE("FPU-3 ... sets the virtual TS", ts, true);
        CHECK_EQ_CASE("FPU-3 ... and the real one follows", hosted_cpu()->ts, true);
    }
    CHECK_EQ_CASE("FPU-3 fpu_taskswitch(0) is 0", fpu_taskswitch_op(&ts, 0), 0);
    CHECK_EQ_CASE("FPU-3 ... clears the virtual TS", ts, false);
    CHECK_EQ_CASE("FPU-3 ... and the real one follows", hosted_cpu()->ts, false);
    CHECK_EQ_CASE("FPU-3 ... asked once a call", hosted_cpu()->ts_sets, ARRAY_SIZE(set) + 1);
}

int main(void)
{
    test_cr0_views();
    test_ts_writes();
    test_taskswitch_op();
    test_nm();
    test_ptrs();
    return check_report();
}
