/*
 * console_io (hypercall 18): the hypervisor's own emergency console,
 * used before (or instead of) the shared console ring of console_ring.h.
 *
 * Arguments: cmd, count, buffer (a guest virtual address). Xen keeps only
 * printable characters from a domain other than the console domain and
 * holds them until a newline, so that guest cannot forge or split the
 * lines of another writer. Reads are for the console domain only.
 */
#ifndef PV_CONSOLE_H
#define PV_CONSOLE_H

#define CONSOLEIO_write 0   /* IN buffer of count bytes */
#define CONSOLEIO_read  1   /* OUT buffer; returns the number of bytes read */

#endif
