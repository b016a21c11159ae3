/*
 * physdev_op (hypercall 33): physical-device and I/O-privilege
 * operations. physdev_op(cmd, arg). Only the I/O-privilege commands a
 * PV kernel uses are described; the IRQ and PCI commands of the hardware
 * domain are left out. Numbers and layouts were checked against Xen's
 * public physdev.h.
 */
#ifndef PV_PHYSDEV_H
#define PV_PHYSDEV_H

#include "types.h"

/*
 * The vCPU's virtual IOPL: the ring up to which IN/OUT/CLI/STI are
 * allowed (emulated). The hardware IOPL of a guest is always 0.
 */
#define PHYSDEVOP_set_iopl 6

struct physdev_set_iopl {
    uint32_t iopl;                /* IN: 0-3 */
};
PV_ABI_SIZE(struct physdev_set_iopl, 4);

/* The vCPU's I/O-port bitmap (a set bit denies the port, as in a TSS). */
#define PHYSDEVOP_set_iobitmap 7

struct physdev_set_iobitmap {
    pv_handle_t bitmap;           /* IN: guest virtual address */
    uint32_t    nr_ports;         /* IN */
};
PV_ABI_SIZE(struct physdev_set_iobitmap, 8);
PV_ABI_OFFSET(struct physdev_set_iobitmap, nr_ports, 4);

#endif
