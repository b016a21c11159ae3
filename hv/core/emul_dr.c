/*
 * Debug-register policy (see emul_dr.h for the invariant it keeps).
 *
 * Every DR7 field is taken by dividing by its power of two: the same
 * expression as the ACSL logic in emul_dr.h, so the proof compares like
 * with like instead of asking the provers to relate masks and shifts.
 */
#include "emul_dr.h"

/*@ requires n <= 3;
    assigns \nothing;
    ensures \result == dr7_nib(n);
*/
static uint32_t dr7_nibble(uint32_t n)
{
    switch (n) {
    case 0: return 1;
    case 1: return 16;
    case 2: return 256;
    default: return 4096;
    }
}

/*@ requires n <= 3;
    assigns \nothing;
    ensures \result == dr7_pair(n);
*/
static uint32_t dr7_pair_unit(uint32_t n)
{
    switch (n) {
    case 0: return 1;
    case 1: return 4;
    case 2: return 16;
    default: return 64;
    }
}

/*@ requires n <= 3;
    assigns \nothing;
    ensures \result <==> dr7_en(dr7, n) != 0;
*/
static bool dr7_enabled(uint32_t dr7, uint32_t n)
{
    return dr7 / dr7_pair_unit(n) % 4 != 0;
}

/*@ requires n <= 3;
    assigns \nothing;
    ensures \result == dr7_rw(dr7, n);
*/
static uint32_t dr7_rw_field(uint32_t dr7, uint32_t n)
{
    return dr7 / (65536u * dr7_nibble(n)) % 4;
}

/*@ requires n <= 3;
    assigns \nothing;
    ensures \result == dr7_lenf(dr7, n);
*/
static uint32_t dr7_len_field(uint32_t dr7, uint32_t n)
{
    return dr7 / (262144u * dr7_nibble(n)) % 4;
}

uint32_t emul_dr7_len(uint32_t dr7, uint32_t n)
{
    switch (dr7_len_field(dr7, n)) {
    case 0: return 1;
    case 1: return 2;
    case 2: return 8;   /* 8-byte data breakpoints: every CPU with long mode */
    default: return 4;
    }
}

bool emul_dr_range_ok(uint32_t addr, uint32_t len)
{
    return addr <= HYPERVISOR_VIRT_START - len;
}

/* EMUL-9, EMUL-10 for one breakpoint. */
/*@ requires n <= 3;
    assigns \nothing;
    ensures \result <==> bp_safe(addr, dr7, n);
*/
static bool bp_ok(uint32_t addr, uint32_t dr7, uint32_t n)
{
    uint32_t rw;

    if (!dr7_enabled(dr7, n))
        return true;    /* cannot fire; enabling it later is checked again */
    rw = dr7_rw_field(dr7, n);
    if (rw == EMUL_DR7_RW_IO)
        return false;   /* would trap the hypervisor's own port accesses */
    if (rw == EMUL_DR7_RW_EXEC && dr7_len_field(dr7, n) != 0)
        return false;   /* undefined on the CPU */
    return emul_dr_range_ok(addr, emul_dr7_len(dr7, n));
}

/*@ assigns \nothing;
    ensures \result <==> dr7_fixed(dr7);
*/
static bool dr7_reserved_ok(uint32_t dr7)
{
    return dr7 / 1024 % 2 == 1 && dr7 / 2048 % 4 == 0 && dr7 / 16384 % 4 == 0;
}

/* The invariant for the state (dr, dr7): see emul_dr.h. */
/*@ requires \valid_read(dr + (0 .. 3));
    assigns \nothing;
    ensures \result <==> (dr7 / 8192) % 2 == 0 && dr7_fixed(dr7) &&
        bp_safe(dr[0], dr7, 0) && bp_safe(dr[1], dr7, 1) &&
        bp_safe(dr[2], dr7, 2) && bp_safe(dr[3], dr7, 3);
*/
static bool state_ok(const uint32_t *dr, uint32_t dr7)
{
    if (dr7 / 8192 % 2 != 0)
        return false;   /* GD: the hypervisor's own DR accesses would #DB */
    if (!dr7_reserved_ok(dr7))
        return false;
    return bp_ok(dr[0], dr7, 0) && bp_ok(dr[1], dr7, 1) &&
           bp_ok(dr[2], dr7, 2) && bp_ok(dr[3], dr7, 3);
}

/*
 * EMUL-11: DR7 as the CPU would hold it: L/G, LE/GE (bits 0-9), GD (13)
 * and RW/LEN (16-31) from the guest, bit 10 set, 11/12/14/15 clear.
 */
/*@ assigns \nothing; */
static uint32_t dr7_fix(uint32_t v)
{
    return v / 65536 * 65536 + v / 8192 % 2 * 8192 + 1024 + v % 1024;
}

/* EMUL-11: DR6 keeps B0-B3 and BD/BS/BT; every other bit reads as 1. */
/*@ assigns \nothing; */
static uint32_t dr6_fix(uint32_t v)
{
    return EMUL_DR6_INIT + v / 8192 % 8 * 8192 + v % 16;
}

void emul_dr_init(struct emul_dr_state *s)
{
    s->dr[0] = 0;
    s->dr[1] = 0;
    s->dr[2] = 0;
    s->dr[3] = 0;
    s->dr6 = EMUL_DR6_INIT;
    s->dr7 = EMUL_DR7_INIT;
}

/*
 * DR0-DR3: EMUL-20 (Xen's own address check, whatever DR7 says), then
 * the invariant with the new address against the current DR7.
 */
/*@ requires \valid(s) && n <= 3;
    assigns s->dr[n];
    ensures \result == 0 || \result == -EPERM;
    ensures \result == 0 ==> dr_state_safe(*s);
    ensures \result == 0 ==> value <= EMUL_DR_ADDR_MAX;
    ensures \result != 0 ==> dr_state_same(*s, \old(*s));
*/
static int write_addr(struct emul_dr_state *s, uint32_t n, uint32_t value)
{
    uint32_t dr[4];

    if (value > EMUL_DR_ADDR_MAX)
        return -EPERM;  /* EMUL-20: addr + 4 must stay below the hypervisor */
    dr[0] = s->dr[0];
    dr[1] = s->dr[1];
    dr[2] = s->dr[2];
    dr[3] = s->dr[3];
    dr[n] = value;
    if (!state_ok(dr, s->dr7))
        return -EPERM;
    s->dr[n] = value;
    return 0;
}

int emul_dr_write(struct emul_dr_state *s, uint32_t n, uint32_t value)
{
    uint32_t dr7;

    switch (n) {
    case 0: case 1: case 2: case 3:
        return write_addr(s, n, value);
    case 4: case 6:
        s->dr6 = dr6_fix(value);
        return 0;
    case 5: case 7:
        dr7 = dr7_fix(value);
        if (!state_ok(s->dr, dr7))
            return -EPERM;
        s->dr7 = dr7;
        return 0;
    default:
        return -ENODEV;     /* EMUL-21: no such register (#UD) */
    }
}

int emul_dr_read(const struct emul_dr_state *s, uint32_t n, uint32_t *value)
{
    if (n < 4)
        *value = s->dr[n];
    else if (n == 4 || n == 6)
        *value = s->dr6;
    else if (n == 5 || n == 7)
        *value = s->dr7;
    else
        return -ENODEV;     /* EMUL-21 */
    return 0;
}

bool emul_dr_active(struct emul_dr_state s)
{
    return s.dr7 % 256 != 0;    /* EMUL-22: L0-L3 or G0-G3 */
}

void emul_dr_note_db(struct emul_dr_state *s, uint32_t hw_dr6)
{
    /* EMUL-23: B0-B3 (bits 0-3) and BD/BS/BT (13-15), old and new */
    uint32_t b = (s->dr6 % 16 | hw_dr6 % 16) % 16;
    uint32_t st = (s->dr6 / 8192 % 8 | hw_dr6 / 8192 % 8) % 8;

    s->dr6 = dr6_fix(st * 8192 + b);
}

/*@ requires n <= 3;
    assigns \nothing;
*/
static bool dr6_hit(uint32_t dr6, uint32_t n)
{
    static const uint32_t bit[4] = { 1, 2, 4, 8 };

    return dr6 / bit[n] % 2 != 0;   /* B_n is DR6 bit n */
}

bool emul_dr_hv_db_fatal(uint32_t hw_dr6, uint32_t hw_dr7)
{
    uint32_t n;

    /*@ loop invariant 0 <= n <= 4;
        loop assigns n;
        loop variant 4 - n;
    */
    for (n = 0; n < 4; n++)
        if (dr6_hit(hw_dr6, n) && dr7_enabled(hw_dr7, n) &&
            dr7_rw_field(hw_dr7, n) == EMUL_DR7_RW_EXEC)
            return true;
    return false;
}

int emul_dr_load(struct emul_dr_state *s, const uint32_t *regs)
{
    struct emul_dr_state t;
    uint32_t n;

    emul_dr_init(&t);
    /* DR6 first; DR0-3 before DR7, so enabling is checked against them. */
    if (emul_dr_write(&t, 6, regs[6]) != 0)
        return -EINVAL;
    /*@ loop invariant 0 <= n <= 4;
        loop invariant dr_state_safe(t);
        loop assigns n, t;
        loop variant 4 - n;
    */
    for (n = 0; n < 4; n++)
        if (emul_dr_write(&t, n, regs[n]) != 0)
            return -EINVAL;     /* EMUL-24: Xen's answer for a bad address */
    if (emul_dr_write(&t, 7, regs[7]) != 0)
        return -EINVAL;
    *s = t;
    return 0;
}
