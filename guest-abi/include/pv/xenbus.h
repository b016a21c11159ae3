/*
 * The xenbus handshake (Xen's io/xenbus.h): each split device has a
 * frontend directory in the guest's part of the store and a backend
 * directory in the backend domain's, each with a `state` key holding one
 * of these numbers in decimal. Both ends walk them; spec/devices.md says
 * which key each end writes and when.
 */
#ifndef PV_XENBUS_H
#define PV_XENBUS_H

#define XenbusStateUnknown       0
#define XenbusStateInitialising  1
#define XenbusStateInitWait      2   /* backend: features written, waiting for the frontend */
#define XenbusStateInitialised   3   /* frontend: rings and channel published */
#define XenbusStateConnected     4
#define XenbusStateClosing       5
#define XenbusStateClosed        6
#define XenbusStateReconfiguring 7
#define XenbusStateReconfigured  8

#endif
