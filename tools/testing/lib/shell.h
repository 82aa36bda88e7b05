/* SPDX-License-Identifier: GPL-2.0 */
/*
 * shell: commands the tests run with /bin/sh while they do something else
 * (play a device, watch a clock).
 */
#ifndef SHELL_H
#define SHELL_H

#include <stdarg.h>
#include <sys/types.h>

/* Start sh -c with the command fmt and ap make; its pid, or -1. */
pid_t shell_start(const char *fmt, va_list ap);

/* A wait status as the shell reports it: the exit code, or -1 if killed. */
int shell_status(int wstatus);

/*
 * Run a command that must finish within ms: its exit status, or
 * -ETIMEDOUT (the command is left behind: it may hang in the kernel).
 */
int shell_within_ms(int ms, const char *fmt, ...);

#endif /* SHELL_H */
