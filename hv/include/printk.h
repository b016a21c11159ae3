/*
 * Hypervisor log output on the serial line. Messages below the configured
 * level (loglvl=) are dropped; panic() always prints, then stops the
 * machine (or leaves QEMU with the panic status in test mode).
 */
#ifndef HV_PRINTK_H
#define HV_PRINTK_H

#include <stdarg.h>

enum log_level { LOG_ERR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };

extern int log_level;

void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_at(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vprintk(const char *fmt, va_list ap);
void console_write_raw(const char *s, unsigned long n);

#define log_err(...)   log_at(LOG_ERR, __VA_ARGS__)
#define log_warn(...)  log_at(LOG_WARN, __VA_ARGS__)
#define log_info(...)  log_at(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_at(LOG_DEBUG, __VA_ARGS__)

struct cpu_regs;
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void panic_regs(const struct cpu_regs *regs, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 2, 3)));

#endif
