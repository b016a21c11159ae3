/* Unit test: the hypercall page has the exact bytes the ABI defines (BOOT-15). */
#include "check.h"
#include "hypercall_page.h"
#include "pv/hypercall.h"

static uint8_t page[4096];

int main(void)
{
    static const uint8_t normal[8] = { 0xB8, 0x11, 0, 0, 0, 0xCD, 0x82, 0xC3 };  /* slot 17 */
    static const uint8_t iret[8] = { 0x50, 0xB8, 0x17, 0, 0, 0, 0xCD, 0x82 };
    unsigned i, slot, cc = 0;

    memset(page, 0x5A, sizeof(page));
    hypercall_page_fill(page);
    CHECK(memcmp(page + 17 * 32, normal, 8) == 0);
    CHECK(memcmp(page + 0x2E0, iret, 8) == 0);
    CHECK_EQ(page[0x2E0 + 8], 0xCC);          /* no ret after the iret trap */
    for (slot = 0; slot < 128; slot++) {
        if (slot == 23)
            continue;
        CHECK_EQ_CASE("mov imm", page[slot * 32 + 1], slot);
        CHECK_EQ_CASE("ret", page[slot * 32 + 7], 0xC3);
    }
    for (i = 0; i < sizeof(page); i++)
        if (i % 32 >= 8)
            cc += page[i] == 0xCC;
    CHECK_EQ(cc, 128 * 24);                   /* every other byte is int3 */
    return check_report();
}
