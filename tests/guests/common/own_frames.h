/* Frames of the test guest's own that are not in its P2M. */
#ifndef TEST_GUEST_OWN_FRAMES_H
#define TEST_GUEST_OWN_FRAMES_H

#include <stdint.h>

/* The first frame of our grant table (setup_table for one frame, which
 * the builder already gave us): ours, held by the hypervisor, not in the
 * P2M. 0 if the hypervisor refuses. */
uint32_t own_grant_frame(void);

#endif
