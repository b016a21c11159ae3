/* Further figures; each subsystem adds its own measurements here. */
#include "bench.h"

void bench_extra(void)
{
}
