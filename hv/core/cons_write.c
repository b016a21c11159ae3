/*
 * CONSOLEIO_write bounds and the chunked copy (see cons_write.h).
 */
#include "cons_write.h"
#include "pv/layout.h"

#define NS_PER_SEC 1000000000ull

void cons_limit_init(struct cons_limit *l, uint64_t now_ns, uint32_t rate)
{
    l->rate = rate == 0 ? 1u : rate > CONS_RATE_MAX ? CONS_RATE_MAX : rate;
    l->burst = l->rate * CONS_BURST_SECONDS;
    l->tokens = l->burst;
    l->last_ns = now_ns;
    l->dropped = 0;
}

/* CON-3: bring the bucket up to now. Time worth less than a token is
 * kept (last_ns moves only by the time the tokens added stand for), so
 * frequent small writes still earn their share. */
static void refill(struct cons_limit *l, uint64_t now_ns)
{
    uint64_t elapsed, add;

    if (now_ns < l->last_ns || l->tokens >= l->burst) {
        l->last_ns = now_ns;
        return;
    }
    elapsed = now_ns - l->last_ns;
    if (elapsed >= CONS_BURST_SECONDS * NS_PER_SEC) {   /* long enough to fill it */
        l->tokens = l->burst;
        l->last_ns = now_ns;
        return;
    }
    add = elapsed * l->rate / NS_PER_SEC;           /* < burst: no overflow below 2^64 */
    l->last_ns += add * NS_PER_SEC / l->rate;
    l->tokens = l->tokens + add >= l->burst ? l->burst : l->tokens + (uint32_t)add;
}

uint32_t cons_limit_take(struct cons_limit *l, uint64_t now_ns, uint32_t want)
{
    uint32_t n;

    refill(l, now_ns);
    n = want < l->tokens ? want : l->tokens;
    l->tokens -= n;
    return n;
}

/*
 * Copy and print `count` bytes at buf in chunks, stopping between two
 * when cont allows it and other work is due (HC-1, HC-6). *done gets the
 * bytes printed. 0, -EFAULT or -ERESTART.
 */
static int32_t print_chunks(guest_ptr_t buf, uint32_t count, uint32_t *done,
                            const struct hc_cont *cont)
{
    char chunk[CONS_CHUNK];
    uint32_t i;

    for (*done = 0, i = 0; *done < count; i++) {
        uint32_t n = count - *done < CONS_CHUNK ? count - *done : CONS_CHUNK;

        if (hc_should_stop(i, cont))
            return -ERESTART;
        if (env_copy_from_guest(chunk, guest_ptr_add(buf, *done), n))  /* once */
            return -EFAULT;
        env_console_emit(chunk, n);
        *done += n;
    }
    return 0;
}

int32_t cons_write(struct cons_limit *l, uint64_t now_ns, guest_ptr_t buf, uint32_t count,
                   struct hc_cont *cont)
{
    uint32_t done = 0;
    int32_t rc;

    /* CON-1: the whole buffer below the hypervisor, so the walk cannot wrap */
    if (buf.va >= HYPERVISOR_VIRT_START || count > HYPERVISOR_VIRT_START - buf.va)
        return -EFAULT;
    if (l != NULL) {
        uint32_t allowed = cons_limit_take(l, now_ns, count < CONS_CALL_MAX ? count : CONS_CALL_MAX);
        l->dropped += count - allowed;              /* CON-2, CON-3, CON-4 */
        return print_chunks(buf, allowed, &done, NULL);
    }
    rc = print_chunks(buf, count, &done, cont);     /* exempt: HC-6 */
    if (rc == -ERESTART)
        hc_cont_console(cont, count, buf.va, done);
    return rc;
}
