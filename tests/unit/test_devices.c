/* Unit tests for the MAC text of the store's `mac` keys (guest-abi/lib/devices.c). */
#include "check.h"
#include "devices.h"

static void test_mac(void)
{
    uint8_t mac[6];
    const char *end = NULL;
    char text[18];

    CHECK(devices_parse_mac("02:aB:00:00:00:ff", mac, &end));
    CHECK_EQ(mac[1], 0xAB);
    CHECK_EQ(mac[5], 0xFF);
    CHECK_EQ(*end, '\0');
    devices_format_mac(mac, text);
    CHECK(strcmp(text, "02:ab:00:00:00:ff") == 0);
    CHECK(!devices_parse_mac("02:00:00:00:00", mac, NULL));
    CHECK(!devices_parse_mac("02-00-00-00-00-01", mac, NULL));
    CHECK(!devices_parse_mac("0g:00:00:00:00:01", mac, NULL));
    CHECK(!devices_parse_mac("", mac, NULL));             /* reads nothing past the end */
    CHECK(!devices_parse_mac("0", mac, NULL));
    CHECK(!devices_parse_mac("02:", mac, NULL));
}

int main(void)
{
    test_mac();
    return check_report();
}
