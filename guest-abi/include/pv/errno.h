/*
 * Error numbers returned (negated) by every hypercall.
 *
 * The numbering is Xen's public one (itself Linux's x86 numbering), so a
 * guest kernel written for Xen interprets Bulkhead's answers unchanged.
 * Bulkhead uses only the codes listed here; each handler's comment names
 * the subset it can return.
 */
#ifndef PV_ERRNO_H
#define PV_ERRNO_H

#define EPERM      1   /* caller lacks the privilege */
#define ENOENT     2   /* no such object */
#define ESRCH      3   /* no such domain */
#define EINTR      4
#define EIO        5
#define ENXIO      6
#define E2BIG      7   /* argument list or count too large */
#define ENOEXEC    8   /* image is not loadable */
#define EBADF      9
#define EAGAIN     11  /* try again (preempted / transient) */
#define ENOMEM     12  /* out of machine memory or allowance */
#define EACCES     13  /* interface version mismatch */
#define EFAULT     14  /* guest pointer unmapped, foreign or in the hypervisor */
#define EBUSY      16  /* object in use (type held, mapped, pinned) */
#define EEXIST     17  /* already done (already pinned, already bound) */
#define EXDEV      18
#define ENODEV     19
#define EISDIR     21  /* xenstore error name only */
#define EINVAL     22  /* malformed argument */
#define ENOSPC     28  /* table full (ports, grant frames) */
#define EROFS      30  /* xenstore error name only */
#define ERANGE     34
#define ENOSYS     38  /* hypercall or sub-op not implemented */
#define ENOTEMPTY  39
#define ENODATA    61
#define ETIME      62  /* deadline already past */
#define EOVERFLOW  75  /* a count would overflow */
#define EOPNOTSUPP 95
#define EISCONN    106
#define ETIMEDOUT  110 /* a wait ran out */
#define ENOTCONN   107
#define EALREADY   114

#endif
