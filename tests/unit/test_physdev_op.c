/*
 * physdev_op as the hypervisor runs it (hv/core/physdev_op.c,
 * spec/hypercalls.md HC-10, spec/emulation.md EMUL-25): set_iopl for
 * every IOPL, and each error with its code.
 */
#include <string.h>

#include "check.h"
#include "hosted_env.h"
#include "physdev_op.h"
#include "pv/errno.h"
#include "pv/layout.h"
#include "pv/physdev.h"

#define WIN_VA  0x10000000u
#define WIN_LEN 0x1000u

static uint8_t win[WIN_LEN];

static int32_t set_iopl(uint32_t *viopl, uint32_t iopl)
{
    struct physdev_set_iopl op = { iopl };

    memcpy(win, &op, sizeof(op));
    return physdev_op(viopl, PHYSDEVOP_set_iopl, guest_ptr(WIN_VA));
}

static void test_set_iopl(void)
{
    static const uint32_t bad[] = { 4, 5, 0x100u, 0x80000000u, 0xFFFFFFFFu };
    uint32_t viopl = 0, iopl;
    unsigned i;

    for (iopl = 0; iopl <= 3; iopl++) {
        CHECK_EQ_CASE("EMUL-25 set_iopl 0..3", set_iopl(&viopl, iopl), 0);
        CHECK_EQ_CASE("EMUL-25 ... becomes the virtual IOPL", viopl, iopl);
    }
    for (i = 0; i < ARRAY_SIZE(bad); i++) {
        CHECK_EQ_CASE("EMUL-25 set_iopl above 3 is -EINVAL", set_iopl(&viopl, bad[i]), -EINVAL);
        CHECK_EQ_CASE("EMUL-25 ... unchanged", viopl, 3);
    }
}

static void test_errors(void)
{
    static const uint32_t cmds[] = { 0, 5, PHYSDEVOP_set_iobitmap, 8, 0xFFFFFFFFu };
    uint32_t viopl = 2;
    unsigned i;

    for (i = 0; i < ARRAY_SIZE(cmds); i++)
        CHECK_EQ_CASE("HC-10 a command other than set_iopl is -ENOSYS",
                      physdev_op(&viopl, cmds[i], guest_ptr(WIN_VA)), -ENOSYS);
    CHECK_EQ_CASE("HC-10 set_iopl, argument unreadable, is -EFAULT",
                  physdev_op(&viopl, PHYSDEVOP_set_iopl, guest_ptr(WIN_VA + WIN_LEN - 2)), -EFAULT);
    CHECK_EQ_CASE("HC-10 set_iopl, argument NULL, is -EFAULT",
                  physdev_op(&viopl, PHYSDEVOP_set_iopl, guest_ptr(0)), -EFAULT);
    CHECK_EQ_CASE("HC-10 set_iopl, argument in the hypervisor, is -EFAULT",
                  physdev_op(&viopl, PHYSDEVOP_set_iopl, guest_ptr(HYPERVISOR_VIRT_START)), -EFAULT);
    CHECK_EQ_CASE("HC-10 ... refusals change nothing", viopl, 2);
}

int main(void)
{
    hosted_env_init(1);
    hosted_guest_window(WIN_VA, win, WIN_LEN);
    test_set_iopl();
    test_errors();
    hosted_env_fini();
    return check_report();
}
