/* Unit tests for the device tokens a frontend reads (guest-abi/lib/devices.c). */
#include "check.h"
#include "devices.h"

static void test_vbd(void)
{
    struct vbd_params p;

    CHECK(devices_find_vbd("blk1 vbd=3,8192", &p));
    CHECK_EQ(p.port, 3);
    CHECK_EQ(p.sectors, 8192);
    CHECK(devices_find_vbd("vbd=1,1 vif=2,02:00:00:00:00:01", &p));
    CHECK(!devices_find_vbd("xvbd=3,8192", &p));          /* only at a word start */
    CHECK(!devices_find_vbd("vbd=3", &p));
    CHECK(!devices_find_vbd("vbd=3,", &p));
    CHECK(!devices_find_vbd("vbd=,5", &p));
    CHECK(!devices_find_vbd("vbd=3,5x", &p));
    CHECK(!devices_find_vbd("vbd=3,4294967296", &p));     /* over 32 bits */
    CHECK(!devices_find_vbd("", &p));
}

static void test_vif(void)
{
    struct vif_params p;
    char text[18];

    CHECK(devices_find_vif("send peer=x vif=4,02:aB:00:00:00:ff", &p));
    CHECK_EQ(p.port, 4);
    CHECK_EQ(p.mac[1], 0xAB);
    CHECK_EQ(p.mac[5], 0xFF);
    devices_format_mac(p.mac, text);
    CHECK(strcmp(text, "02:ab:00:00:00:ff") == 0);
    CHECK(!devices_find_vif("vif=4,02:00:00:00:00", &p));
    CHECK(!devices_find_vif("vif=4,02:00:00:00:00:01:02", &p));
    CHECK(!devices_find_vif("vif=4,02-00-00-00-00-01", &p));
    CHECK(!devices_find_vif("vif=4,0g:00:00:00:00:01", &p));
    CHECK(!devices_find_vif("vif=4;02:00:00:00:00:01", &p));
}

int main(void)
{
    test_vbd();
    test_vif();
    return check_report();
}
