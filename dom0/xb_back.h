/*
 * One split device's backend end of the xenbus handshake
 * (spec/devices.md DEV-20..DEV-23): its directories, the state it has
 * written, and a watch on its frontend's `state` through dom0's own store
 * connection. The device (back_block.c, back_net.c) does the connecting;
 * this file only moves the states and reads the frontend's keys.
 */
#ifndef DOM0_XB_BACK_H
#define DOM0_XB_BACK_H

#include <stdbool.h>
#include <stdint.h>

#include "pv/domctl.h"
#include "xb_nodes.h"
#include "xb_state.h"

struct xb_back {
    char fe[XB_PATH_LEN];               /* /local/domain/<id>/device/<kind>/<devid> */
    char be[XB_PATH_LEN];               /* /local/domain/0/backend/<kind>/<id>/<devid> */
    char token[16];                     /* "<kind>:<slot>:<index>": routes its watch events */
    uint32_t state;                     /* ours, as last written */
    bool watching;
    bool dirty;                         /* its frontend's state may have changed */
    uint32_t last_fe;                   /* the frontend state last acted on */
    uint32_t refused;                   /* connects refused (keys, map, bind): DEV-22 */
};

/* Key = value pair for the features a backend writes before InitWait. */
struct xb_kv {
    const char *key;
    const char *value;
};

/*
 * DEV-21 probe: write the features, switch to InitWait and watch the
 * frontend's state (the watch's first event makes it dirty at once).
 */
int xb_back_start(struct xb_back *x, domid_t id, const char *kind, uint32_t devid,
                  uint32_t slot, uint32_t index, const struct xb_kv *features, uint32_t n);
/* Stop watching (the nodes themselves go with the guest's directory: xsd_release). */
void xb_back_stop(struct xb_back *x);

/* If the frontend's state moved, the step to take (true); false when nothing is to be done. */
bool xb_back_take(struct xb_back *x, struct xb_step *st);
/* Write our state. */
void xb_back_switch(struct xb_back *x, uint32_t state);
/* A frontend key as a number (DEV-22): 0, -ENOENT if missing, -EINVAL if not a number <= max. */
int xb_back_read_u32(const struct xb_back *x, const char *key, uint32_t max, uint32_t *out);
/* A frontend key as a string: its length, -ENOENT, -E2BIG. */
int xb_back_read(const struct xb_back *x, const char *key, char *buf, uint32_t max);
/* Write a key of ours. */
int xb_back_write(const struct xb_back *x, const char *key, const char *value);
int xb_back_write_u32(const struct xb_back *x, const char *key, uint32_t value);

#endif
