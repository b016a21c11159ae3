/*
 * vm_assist as the hypervisor runs it (hv/core/assist_op.c,
 * spec/hypercalls.md HC-9): every type and command, each error with its
 * code, and that only the named bit changes.
 */
#include "assist_op.h"
#include "check.h"
#include "pv/errno.h"
#include "pv/vm_assist.h"

static void test_types(void)
{
    uint32_t type, on = 0;

    for (type = 0; type <= MAX_VMASST_TYPE; type++) {
        CHECK_EQ_CASE("HC-9 enable a known type", vm_assist_op(&on, VMASST_CMD_enable, type), 0);
        CHECK_EQ_CASE("HC-9 ... its bit set", on, (2u << type) - 1u);
    }
    CHECK_EQ_CASE("HC-9 enable twice", vm_assist_op(&on, VMASST_CMD_enable, 2), 0);
    CHECK_EQ_CASE("HC-9 ... no change", on, VM_ASSIST_KNOWN);
    CHECK_EQ_CASE("HC-9 disable architectural_iopl",
                  vm_assist_op(&on, VMASST_CMD_disable, VMASST_TYPE_architectural_iopl), 0);
    CHECK_EQ_CASE("HC-9 ... only its bit cleared", on, VM_ASSIST_KNOWN & ~(1u << VMASST_TYPE_architectural_iopl));
    CHECK_EQ_CASE("HC-9 disable one not on", vm_assist_op(&on, VMASST_CMD_disable,
                                                          VMASST_TYPE_architectural_iopl), 0);
    CHECK_EQ_CASE("HC-9 ... no change", on, VM_ASSIST_KNOWN & ~(1u << VMASST_TYPE_architectural_iopl));
}

static void test_errors(void)
{
    static const uint32_t bad_types[] = { MAX_VMASST_TYPE + 1, 31, 32, 33, 0x80000000u, 0xFFFFFFFFu };
    static const uint32_t bad_cmds[] = { 2, 3, 0x100u, 0xFFFFFFFFu };
    uint32_t on = 0x5;
    unsigned i;

    for (i = 0; i < ARRAY_SIZE(bad_types); i++) {
        CHECK_EQ_CASE("HC-9 enable an unknown type is -EINVAL",
                      vm_assist_op(&on, VMASST_CMD_enable, bad_types[i]), -EINVAL);
        CHECK_EQ_CASE("HC-9 disable an unknown type is -EINVAL",
                      vm_assist_op(&on, VMASST_CMD_disable, bad_types[i]), -EINVAL);
        CHECK_EQ_CASE("HC-9 an unknown type with an unknown command is -EINVAL (type first)",
                      vm_assist_op(&on, 7, bad_types[i]), -EINVAL);
    }
    for (i = 0; i < ARRAY_SIZE(bad_cmds); i++)
        CHECK_EQ_CASE("HC-9 an unknown command is -ENOSYS", vm_assist_op(&on, bad_cmds[i], 1), -ENOSYS);
    CHECK_EQ_CASE("HC-9 ... refusals change nothing", on, 0x5);
}

int main(void)
{
    test_types();
    test_errors();
    return check_report();
}
