/*
 * Unit tests for the bridge's forwarding policy (dom0/bridge.c,
 * spec/devices.md DEV-11, DEV-12, DEV-13), including the BSA-2026-6
 * sequence: many invented source addresses first, interfaces attached
 * afterwards.
 */
#include "bridge.h"
#include "check.h"
#include "pv/errno.h"

static struct bridge br;

static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t mac_b[6] = { 0x02, 0, 0, 0, 0, 0x02 };
static const uint8_t mac_spy[6] = { 0x02, 0, 0, 0, 0, 0x66 };
static const uint8_t bcast[6] = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };

/* An Ethernet header: destination, then source. */
static const uint8_t *hdr(const uint8_t dst[6], const uint8_t src[6])
{
    static uint8_t h[12];

    memcpy(h, dst, 6);
    memcpy(h + 6, src, 6);
    return h;
}

static enum bridge_verdict route(uint32_t from, const uint8_t dst[6], const uint8_t src[6],
                                 uint64_t now, uint32_t *to)
{
    return bridge_route(&br, from, hdr(dst, src), now, to);
}

/* Ports 0 (a), 1 (b), 2 (spy), all connected. */
static void three_ports(void)
{
    memset(&br, 0, sizeof(br));
    CHECK_EQ(bridge_attach(&br, 0, mac_a), 0);
    CHECK_EQ(bridge_attach(&br, 1, mac_b), 0);
    CHECK_EQ(bridge_attach(&br, 2, mac_spy), 0);
    bridge_set_connected(&br, 0, true);
    bridge_set_connected(&br, 1, true);
    bridge_set_connected(&br, 2, true);
}

static void test_attach(void)
{
    const uint8_t group[6] = { 0x03, 0, 0, 0, 0, 0x07 };

    memset(&br, 0, sizeof(br));
    CHECK_EQ(bridge_attach(&br, 0, mac_a), 0);
    CHECK_EQ(bridge_attach(&br, 1, mac_a), -EEXIST);       /* one address, one port */
    CHECK_EQ(bridge_attach(&br, 0, mac_b), -EINVAL);       /* already attached */
    CHECK_EQ(bridge_attach(&br, 1, group), -EINVAL);
    CHECK_EQ(bridge_attach(&br, BRIDGE_PORTS, mac_b), -EINVAL);
    CHECK(!bridge_can_receive(&br, 0));                     /* attached, not connected */
    bridge_set_connected(&br, 0, true);
    CHECK(bridge_can_receive(&br, 0));
    CHECK(!bridge_can_receive(&br, BRIDGE_PORTS));
    bridge_detach(&br, 0);
    CHECK(!bridge_can_receive(&br, 0));
    CHECK_EQ(bridge_attach(&br, 1, mac_a), 0);              /* its address is free again */
    bridge_set_connected(&br, 7, true);                     /* not attached: stays off */
    CHECK(!bridge_can_receive(&br, 7));
}

/* DEV-11: a port sends only from its configured MAC. */
static void test_source(void)
{
    const uint8_t invented[6] = { 0x02, 0xBA, 0xD0, 0, 0, 0x09 };
    uint32_t to = 99;

    three_ports();
    CHECK_EQ(route(2, mac_b, mac_a, 0, &to), BRIDGE_SPOOFED);      /* another port's MAC */
    CHECK_EQ(route(2, mac_b, invented, 0, &to), BRIDGE_SPOOFED);   /* nobody's MAC */
    CHECK_EQ(route(2, mac_b, bcast, 0, &to), BRIDGE_SPOOFED);      /* a group source */
    CHECK_EQ(route(3, mac_b, mac_spy, 0, &to), BRIDGE_SPOOFED);    /* a port not attached */
    CHECK_EQ(route(BRIDGE_PORTS, mac_b, mac_spy, 0, &to), BRIDGE_SPOOFED);
    CHECK_EQ(to, 99);
    CHECK_EQ(route(0, mac_b, mac_a, 0, &to), BRIDGE_UNICAST);
    CHECK_EQ(to, 1);
}

/* DEV-12: unicast goes to its configured owner or nowhere, never flooded. */
static void test_unicast(void)
{
    const uint8_t nobody[6] = { 0x02, 0, 0, 0, 0, 0x77 };
    uint32_t to = 99;

    three_ports();
    CHECK_EQ(route(1, mac_a, mac_b, 0, &to), BRIDGE_UNICAST);
    CHECK_EQ(to, 0);
    CHECK_EQ(route(0, nobody, mac_a, 0, &to), BRIDGE_NO_DEST);
    CHECK_EQ(route(0, mac_a, mac_a, 0, &to), BRIDGE_NO_DEST);      /* never back to the sender */
    bridge_set_connected(&br, 1, false);
    CHECK_EQ(route(0, mac_b, mac_a, 0, &to), BRIDGE_NO_DEST);      /* not flooded meanwhile */
    bridge_detach(&br, 1);
    CHECK_EQ(route(0, mac_b, mac_a, 0, &to), BRIDGE_NO_DEST);
    /* a frame held for b while port 1 was detached and given to another MAC */
    CHECK(bridge_still_for(&br, 0, mac_a));
    CHECK(!bridge_still_for(&br, 1, mac_b));
    CHECK_EQ(bridge_attach(&br, 1, mac_spy + 0), -EEXIST);
    bridge_detach(&br, 2);
    CHECK_EQ(bridge_attach(&br, 1, mac_spy), 0);
    bridge_set_connected(&br, 1, true);
    CHECK(!bridge_still_for(&br, 1, mac_b));
    CHECK(bridge_still_for(&br, 1, mac_spy));
    CHECK(!bridge_still_for(&br, BRIDGE_PORTS, mac_spy));
}

/*
 * BSA-2026-6: a port's frames from 10,000 invented sources are refused and
 * leave no trace; interfaces attached afterwards are still found, and a
 * frame claiming their address from the spy is refused.
 */
static void test_exhaustion(void)
{
    uint8_t src[6] = { 0x02, 0xBA, 0xD0, 0, 0, 0 }, dst[6];
    uint32_t i, to = 99, spoofed = 0;

    memset(&br, 0, sizeof(br));
    CHECK_EQ(bridge_attach(&br, 2, mac_spy), 0);
    bridge_set_connected(&br, 2, true);
    for (i = 0; i < 10000; i++) {
        src[3] = (uint8_t)(i >> 16);
        src[4] = (uint8_t)(i >> 8);
        src[5] = (uint8_t)i;
        memcpy(dst, src, 6);
        dst[0] = 0x06;
        spoofed += route(2, dst, src, i, &to) == BRIDGE_SPOOFED;
    }
    CHECK_EQ(spoofed, 10000);
    for (i = 3; i < BRIDGE_PORTS; i++) {        /* and every other port attached too (DEV-33) */
        uint8_t m[6] = { 0x02, 0x11, 0, 0, (uint8_t)(i >> 8), (uint8_t)i };
        CHECK_EQ_CASE("fill", bridge_attach(&br, i, m), 0);
    }
    CHECK_EQ(bridge_attach(&br, 0, mac_a), 0);
    CHECK_EQ(bridge_attach(&br, 1, mac_b), 0);
    bridge_set_connected(&br, 0, true);
    bridge_set_connected(&br, 1, true);
    CHECK_EQ(route(0, mac_b, mac_a, 0, &to), BRIDGE_UNICAST);
    CHECK_EQ(to, 1);
    CHECK_EQ(route(2, mac_b, mac_a, 0, &to), BRIDGE_SPOOFED);
    CHECK_EQ(route(2, mac_a, mac_b, 0, &to), BRIDGE_SPOOFED);
}

/* DEV-13: floods within a burst, then one per interval, per port. */
static void test_flood_budget(void)
{
    const uint64_t t = BRIDGE_FLOOD_INTERVAL_NS;
    const uint8_t multi[6] = { 0x01, 0x00, 0x5E, 0, 0, 1 };
    uint32_t i, ok = 0, to = 0;
    uint64_t now = 1000000000ull;

    three_ports();
    for (i = 0; i < 1000; i++)
        ok += route(2, bcast, mac_spy, now, &to) == BRIDGE_FLOOD;
    CHECK_EQ(ok, BRIDGE_FLOOD_BURST);
    CHECK_EQ(route(2, multi, mac_spy, now, &to), BRIDGE_LIMITED);  /* multicast counts too */
    /* another port's budget is its own */
    CHECK_EQ(route(0, bcast, mac_a, now, &to), BRIDGE_FLOOD);
    /* unicast is not charged to it */
    CHECK_EQ(route(2, mac_a, mac_spy, now, &to), BRIDGE_UNICAST);
    /* one more per interval */
    CHECK_EQ(route(2, bcast, mac_spy, now + t - 1, &to), BRIDGE_LIMITED);
    CHECK_EQ(route(2, bcast, mac_spy, now + t, &to), BRIDGE_FLOOD);
    CHECK_EQ(route(2, bcast, mac_spy, now + t, &to), BRIDGE_LIMITED);
    /* flooding without pause for a second: burst plus one per interval at most */
    ok = 0;
    for (i = 0; i < 100000; i++)
        ok += route(2, bcast, mac_spy, now + 2 * t + i * 10000ull, &to) == BRIDGE_FLOOD;
    CHECK(ok <= 1000000000ull / t + 1);
    CHECK(ok >= 1000000000ull / t - 2);
    /* idle long enough and a full burst is back */
    now += 100 * 1000000000ull;
    ok = 0;
    for (i = 0; i < 1000; i++)
        ok += route(2, bcast, mac_spy, now, &to) == BRIDGE_FLOOD;
    CHECK_EQ(ok, BRIDGE_FLOOD_BURST);
    /* a port attached again starts afresh */
    bridge_detach(&br, 2);
    CHECK_EQ(bridge_attach(&br, 2, mac_spy), 0);
    CHECK_EQ(route(2, bcast, mac_spy, now, &to), BRIDGE_FLOOD);
}

/*
 * DEV-13, DEV-33: the flood budget is the guest's, shared by all its
 * interfaces, so a guest with four interfaces floods no more than with
 * one; a port whose payer is gone has its own budget again.
 */
static void test_flood_budget_per_guest(void)
{
    static const uint8_t mac_a2[6] = { 0x02, 0, 0, 0, 0, 0x11 };
    uint64_t now = 1000000000ull;
    uint32_t i, ok = 0, to = 0;

    three_ports();
    CHECK_EQ(bridge_attach(&br, 3, mac_a2), 0);               /* a's second interface */
    bridge_set_connected(&br, 3, true);
    CHECK_EQ(bridge_share_budget(&br, 3, 0), 0);
    CHECK_EQ(bridge_share_budget(&br, 4, 0), -EINVAL);        /* not attached */
    CHECK_EQ(bridge_share_budget(&br, 3, BRIDGE_PORTS), -EINVAL);
    for (i = 0; i < 1000; i++) {
        ok += route(0, bcast, mac_a, now, &to) == BRIDGE_FLOOD;
        ok += route(3, bcast, mac_a2, now, &to) == BRIDGE_FLOOD;
    }
    CHECK_EQ(ok, BRIDGE_FLOOD_BURST);
    CHECK_EQ(route(2, bcast, mac_spy, now, &to), BRIDGE_FLOOD);   /* another guest's is its own */
    /* the payer detached (its port may go to another guest): port 3 pays for itself */
    bridge_detach(&br, 0);
    CHECK_EQ(bridge_attach(&br, 0, mac_a), 0);                /* say, another guest's now */
    bridge_set_connected(&br, 0, true);
    ok = 0;
    for (i = 0; i < 1000; i++)
        ok += route(3, bcast, mac_a2, now, &to) == BRIDGE_FLOOD;
    CHECK_EQ(ok, BRIDGE_FLOOD_BURST);
    CHECK_EQ(route(0, bcast, mac_a, now, &to), BRIDGE_FLOOD);     /* not charged for port 3 */
    bridge_detach(&br, 3);
}

int main(void)
{
    test_attach();
    test_source();
    test_unicast();
    test_exhaustion();
    test_flood_budget();
    test_flood_budget_per_guest();
    return check_report();
}
