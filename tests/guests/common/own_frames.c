/* Frames of the test guest's own that are not in its P2M (own_frames.h). */
#include "guest.h"
#include "own_frames.h"
#include "pv/grant_table.h"
#include "pv/mmu.h"

uint32_t own_grant_frame(void)
{
    struct gnttab_setup_table setup;
    uint32_t mfn = 0;

    memset(&setup, 0, sizeof(setup));
    setup.dom = DOMID_SELF;
    setup.nr_frames = 1;
    setup.frame_list = GPTR(&mfn);
    if (hcall3(__HYPERVISOR_grant_table_op, GNTTABOP_setup_table, GPTR(&setup), 1) || setup.status)
        return 0;
    return mfn;
}
