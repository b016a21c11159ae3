/* Build identification, passed in by the build (see hv/hv.mk). */
#ifndef HV_VERSION_INFO_H
#define HV_VERSION_INFO_H

#ifndef BUILD_CHANGESET
#define BUILD_CHANGESET "unknown"
#endif
#ifndef BUILD_DATE
#define BUILD_DATE "unknown"
#endif
#define BUILD_COMPILER "gcc " __VERSION__

extern const char *hv_cmdline;

#endif
