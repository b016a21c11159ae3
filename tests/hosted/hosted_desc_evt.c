/* Hosted implementation of env.h's descriptor-table and event seams (see hosted_env.h). */
#include <string.h>

#include "env.h"
#include "frame.h"
#include "hosted_env.h"

static struct hosted_desc_evt de;
static uint32_t shared_mfn[HOSTED_MAX_SHARED];
static bool shared_init;

void hosted_desc_evt_reset(bool all)
{
    memset(&de, 0, sizeof(de));
    if (all || !shared_init) {
        uint32_t i;

        for (i = 0; i < HOSTED_MAX_SHARED; i++)
            shared_mfn[i] = INVALID_MFN;
    }
    shared_init = true;
}

const struct hosted_desc_evt *hosted_desc_evt(void)
{
    return &de;
}

void hosted_set_shared_info(uint16_t dom, uint32_t mfn)
{
    if (!shared_init)
        hosted_desc_evt_reset(true);
    if (dom < HOSTED_MAX_SHARED)
        shared_mfn[dom] = mfn;
}

struct shared_info *env_shared_info_map(domid_t dom)
{
    if (!shared_init || dom >= HOSTED_MAX_SHARED || shared_mfn[dom] == INVALID_MFN)
        return NULL;
    return env_map_frame(shared_mfn[dom]);
}

void env_shared_info_unmap(struct shared_info *s)
{
    env_unmap_frame(s);
}

void env_evtchn_kick(domid_t dom)
{
    de.kicks++;
    de.last_kick_dom = dom;
}

void env_poll_block(uint64_t timeout)
{
    de.poll_blocks++;
    de.last_poll_timeout = timeout;
}

static void desc_page(domid_t dom, uint32_t page, uint32_t mfn)
{
    de.last_desc_dom = dom;
    de.last_desc_page = page;
    de.last_desc_mfn = mfn;
}

void env_gdt_page_set(domid_t dom, uint32_t page, uint32_t mfn)
{
    de.gdt_page_set++;
    desc_page(dom, page, mfn);
}

void env_ldt_page_set(domid_t dom, uint32_t page, uint32_t mfn)
{
    de.ldt_page_set++;
    desc_page(dom, page, mfn);
}

void env_desc_changed(void)
{
    de.desc_changed++;
}
