/*
 * The toolstack's device nodes: see xb_nodes.h. As libxl's
 * libxl__device_generic_add: the frontend directory is the guest's and
 * readable by the backend (dom0), the backend directory is dom0's and
 * readable by the guest; the primary console's frontend directory is
 * dom0's (the guest only reads it), since it holds the page and port the
 * builder chose and nothing of the guest's.
 */
#include "xb_nodes.h"
#include "config.h"
#include "devices.h"
#include "guest.h"
#include "pv/xenbus.h"
#include "xsd.h"

struct kv {
    const char *key;
    const char *value;
};

void xb_paths(domid_t id, const char *kind, uint32_t devid, char fe[XB_PATH_LEN],
              char be[XB_PATH_LEN])
{
    snprintf(fe, XB_PATH_LEN, "/local/domain/%u/device/%s/%u", id, kind, devid);
    snprintf(be, XB_PATH_LEN, "/local/domain/0/backend/%s/%u/%u", kind, id, devid);
}

/* dir (owner, reader), then each key below it (inheriting them). */
static int write_dir(const char *dir, int owner, int reader, const struct kv *kv, uint32_t n)
{
    char path[XB_PATH_LEN + 32];
    uint32_t i;
    int rc = xsd_node(dir, NULL, owner, reader);

    for (i = 0; !rc && i < n; i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, kv[i].key);
        rc = xsd_node(path, kv[i].value, -1, -1);
    }
    return rc;
}

#define N(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))

int xb_nodes_console(domid_t id, uint32_t mfn, uint32_t port)
{
    char fe[XB_PATH_LEN], be[XB_PATH_LEN], fid[8], ref[12], evt[12];
    int rc;

    snprintf(fe, sizeof(fe), "/local/domain/%u/console", id);
    snprintf(be, sizeof(be), "/local/domain/0/backend/console/%u/0", id);
    snprintf(fid, sizeof(fid), "%u", id);
    snprintf(ref, sizeof(ref), "%u", mfn);
    snprintf(evt, sizeof(evt), "%u", port);
    {
        const struct kv back[] = { { "frontend", fe }, { "frontend-id", fid }, { "online", "1" },
                                   { "state", "1" }, { "protocol", "vt100" } };
        const struct kv front[] = { { "backend", be }, { "backend-id", "0" },
                                    { "limit", "1048576" }, { "type", "xenconsoled" },
                                    { "output", "pty" }, { "tty", "" }, { "ring-ref", ref },
                                    { "port", evt } };
        rc = write_dir(be, 0, id, back, N(back));
        if (!rc)
            rc = write_dir(fe, 0, id, front, N(front));
    }
    return rc;
}

int xb_nodes_vbd(domid_t id, uint32_t vdev)
{
    char fe[XB_PATH_LEN], be[XB_PATH_LEN], fid[8], devid[12], name[8];
    int rc;

    xb_paths(id, "vbd", vdev, fe, be);
    snprintf(fid, sizeof(fid), "%u", id);
    snprintf(devid, sizeof(devid), "%u", vdev);
    config_vdev_name(vdev, name);
    {
        const struct kv back[] = { { "frontend", fe }, { "frontend-id", fid }, { "online", "1" },
                                   { "removable", "0" }, { "bootable", "1" }, { "state", "1" },
                                   { "dev", name }, { "type", "phy" }, { "mode", "w" },
                                   { "device-type", "disk" }, { "discard-enable", "0" } };
        const struct kv front[] = { { "backend", be }, { "backend-id", "0" }, { "state", "1" },
                                    { "virtual-device", devid }, { "device-type", "disk" },
                                    { "protocol", "x86_32-abi" } };
        rc = write_dir(be, 0, id, back, N(back));
        if (!rc)
            rc = write_dir(fe, id, 0, front, N(front));
    }
    return rc;
}

int xb_nodes_vif(domid_t id, uint32_t handle, const uint8_t mac[6])
{
    char fe[XB_PATH_LEN], be[XB_PATH_LEN], fid[8], m[18], h[12];
    int rc;

    xb_paths(id, "vif", handle, fe, be);
    snprintf(fid, sizeof(fid), "%u", id);
    snprintf(h, sizeof(h), "%u", handle);
    devices_format_mac(mac, m);
    {
        const struct kv back[] = { { "frontend", fe }, { "frontend-id", fid }, { "online", "1" },
                                   { "state", "1" }, { "mac", m }, { "handle", h },
                                   { "type", "vif" }, { "mtu", "1500" } };
        const struct kv front[] = { { "backend", be }, { "backend-id", "0" }, { "state", "1" },
                                    { "handle", h }, { "mac", m }, { "mtu", "1500" } };
        rc = write_dir(be, 0, id, back, N(back));
        if (!rc)
            rc = write_dir(fe, id, 0, front, N(front));
    }
    return rc;
}
