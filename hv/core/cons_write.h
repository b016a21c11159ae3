/*
 * console_io's CONSOLEIO_write: how much of a write reaches the serial
 * line (spec/hypercalls.md, CON-1..CON-4, HC-6).
 *
 * Theory of operation. The serial line is one shared, slow device (on
 * hardware the driver waits for the UART: 11.5 KB/s at 115200 baud), so
 * an unprivileged domain's output is bounded twice: one call prints at
 * most CONS_CALL_MAX bytes (CON-2), and each domain draws from its own
 * token bucket refilled at a fixed rate (CON-3). Bytes beyond either bound are dropped without being read and
 * counted in the domain's `dropped`, which dom0 reads (CON-4). The rate
 * is the hypervisor's `console_rate=` (default CONS_RATE_DEFAULT); the
 * bucket holds CONS_BURST_SECONDS of it. The call
 * still returns 0, as a guest cannot act on a lost console line anyway.
 *
 * The privileged domain is exempt: dom0 is trusted with the console and
 * the operator reads its output. Its write is preemptible instead (HC-6,
 * as Xen's guest_console_write): it stops between two CONS_CHUNK chunks
 * when other work is due and is issued again for the rest.
 *
 * Either way the guest buffer is copied in chunks into a local buffer
 * and only the copy is printed (env_console_emit), so a guest changing
 * its buffer meanwhile cannot make the hypervisor print something other
 * than what it copied.
 */
#ifndef CORE_CONS_WRITE_H
#define CORE_CONS_WRITE_H

#include "hc_cont.h"

#define CONS_CHUNK         128u      /* bytes copied and printed at a time */
#define CONS_CALL_MAX      1024u     /* CON-2: bytes one unprivileged call may print */
#define CONS_RATE_DEFAULT  2048u     /* CON-3: bytes per second a bucket refills */
#define CONS_RATE_MAX      1048576u  /* the largest rate console_rate= accepts */
#define CONS_BURST_SECONDS 8u        /* CON-3: a bucket holds this many seconds of rate */

/* One unprivileged domain's allowance (the glue keeps one per domain). */
struct cons_limit {
    uint32_t rate;               /* bytes per second, 1 .. CONS_RATE_MAX */
    uint32_t burst;              /* CONS_BURST_SECONDS of rate */
    uint32_t tokens;             /* bytes it may print now, <= burst */
    uint64_t last_ns;            /* when tokens were last brought up to date */
    uint64_t dropped;            /* CON-4: bytes refused since the domain was created */
};

/* A new domain's allowance at `rate` bytes a second (clamped to 1 ..
 * CONS_RATE_MAX): a full bucket, nothing dropped. */
void cons_limit_init(struct cons_limit *l, uint64_t now_ns, uint32_t rate);

/*
 * CON-3: refill for the time since last_ns (saturating at the burst; a
 * clock that went backwards refills nothing), then take up to `want`
 * bytes. Returns how many may be printed; the rest count as dropped.
 */
uint32_t cons_limit_take(struct cons_limit *l, uint64_t now_ns, uint32_t want);

/*
 * CONSOLEIO_write(count, buf) for the caller; `l` is its allowance, or
 * NULL for the privileged domain (exempt, preemptible). Returns 0;
 * -EFAULT (the buffer reaches HYPERVISOR_VIRT_START, CON-1, or a chunk
 * to be printed cannot be read: the chunks before it were printed); or,
 * for the exempt caller, -ERESTART with *cont = (CONSOLEIO_write, the
 * bytes left, buf past the bytes printed), never with cont NULL.
 */
int32_t cons_write(struct cons_limit *l, uint64_t now_ns, guest_ptr_t buf, uint32_t count,
                   struct hc_cont *cont);

#endif
