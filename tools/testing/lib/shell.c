// SPDX-License-Identifier: GPL-2.0
/*
 * shell: commands the tests run with /bin/sh. See shell.h.
 */
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
