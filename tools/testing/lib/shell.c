// SPDX-License-Identifier: GPL-2.0
/*
 * shell: commands the tests run with /bin/sh. See shell.h.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shell.h"

pid_t shell_start(const char *fmt, va_list ap)
{
	char cmd[512];
	pid_t pid;

	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	pid = fork();
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	return pid;
}

int shell_status(int wstatus)
{
	return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
}

int shell_within_ms(int ms, const char *fmt, ...)
{
	int status, waited;
	va_list ap;
	pid_t pid;

	va_start(ap, fmt);
	pid = shell_start(fmt, ap);
	va_end(ap);
	if (pid < 0)
		return -errno;
	for (waited = 0; waited < ms; waited += 10) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return shell_status(status);
		usleep(10000);
	}
	return -ETIMEDOUT;
}
