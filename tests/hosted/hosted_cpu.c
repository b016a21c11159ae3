/* Hosted implementation of env.h's guest-CPU and serial-input seams (see hosted_env.h). */
#include <string.h>

#include "env.h"
#include "hosted_env.h"

static struct hosted_cpu hc;

void hosted_cpu_reset(void)
{
    memset(&hc, 0, sizeof(hc));
}

struct hosted_cpu *hosted_cpu(void)
{
    return &hc;
}

void env_int80_gate_set(uint64_t gate)
{
    hc.int80_sets++;
    hc.int80_gate = gate;
}

void env_kernel_stack_set(uint16_t ss, uint32_t sp)
{
    hc.stack_sets++;
    hc.stack_ss = ss;
    hc.stack_sp = sp;
}

void env_fpu_ts_set(bool ts)
{
    hc.ts_sets++;
    hc.ts = ts;
}

int env_console_getc(void)
{
    hc.getc_calls++;
    if (hc.input_pos >= hc.input_len)
        return -1;
    return (uint8_t)hc.input[hc.input_pos++];
}
