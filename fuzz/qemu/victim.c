/*
 * The victim beside the hostile guest of fuzz layer 2. It fills 1 MiB of
 * its memory with a pattern, records the checksum, then keeps verifying
 * it between short sleeps and prints a heartbeat with the checksum. The
 * runner (fuzz/qemu/run.sh) requires every heartbeat to carry the first
 * checksum and one heartbeat after the hostile guest finished; a changed
 * word is reported at once ("CORRUPTED") and crashes the victim.
 *
 * It also holds a few event channels (an unbound port for the hostile
 * guest, the timer VIRQ), so the attacker's guessed victim ports name
 * something real.
 *
 * Command line: peer=ID (the hostile guest), beat=N (checks per heartbeat).
 */
#include "events.h"
#include "guest.h"
#include "pvtime.h"
#include "traps.h"

#define WORDS (1u << 18)

static uint32_t area[WORDS];

static uint32_t pattern(uint32_t i)
{
    return (i * 2654435761u) ^ 0xA5C3E187u;
}

static uint32_t checksum(void)
{
    uint32_t i, h = 2166136261u;

    for (i = 0; i < WORDS; i++) {
        if (area[i] != pattern(i))
            guest_panic("fuzz-victim: CORRUPTED word %u: %08x, expected %08x", i, area[i],
                        pattern(i));
        h = (h ^ area[i]) * 16777619u;
    }
    return h;
}

static uint32_t arg_num(const char *cmd, const char *key, uint32_t dflt)
{
    const char *p = strstr(cmd, key);
    uint32_t v = 0;

    if (!p)
        return dflt;
    for (p += strlen(key); *p >= '0' && *p <= '9'; p++)
        v = v * 10u + (uint32_t)(*p - '0');
    return v;
}

int guest_main(struct start_info *si)
{
    uint32_t i, sum, beats = 0, checks = 0, port = 0;
    uint32_t peer = arg_num(si->cmd_line, "peer=", 2), every = arg_num(si->cmd_line, "beat=", 5);

    if (traps_init())
        guest_panic("fuzz-victim: traps_init failed");
    for (i = 0; i < WORDS; i++)
        area[i] = pattern(i);
    sum = checksum();
    evtchn_alloc_unbound_port((domid_t)peer, &port);
    gprintf("fuzz-victim: ready sum=%08x words=%u port=%u\n", sum, WORDS, port);
    for (;;) {
        uint32_t now;

        pv_sleep_ns(100000000ull);
        now = checksum();
        if (now != sum)
            guest_panic("fuzz-victim: CORRUPTED sum=%08x, expected %08x", now, sum);
        if (++checks % (every ? every : 1) == 0)
            gprintf("fuzz-victim: intact hb=%u sum=%08x\n", ++beats, now);
    }
}
