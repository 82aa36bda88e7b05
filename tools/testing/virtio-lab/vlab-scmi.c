// SPDX-License-Identifier: GPL-2.0
/*
 * vlab-scmi: play the lab's SCMI platform (scmi_model.h: Base, seven
 * sensors, System Power) until removed or told to stop.
 *
 *	vlab-scmi [--request shutdown|cold-reset|warm-reset [--forceful]
 *		  [--timeout MS]]
 *
 * With --request, once the agent asked for system power requests, the
 * platform requests that system state, gracefully unless --forceful,
 * within MS milliseconds (default 0: no time limit).
 *
 * Prints "vlab-scmi: virtioN" once the device is registered, then
 * "vlab-scmi: requested STATE" once the request is sent, flushed. SIGTERM
 * or SIGINT remove the device and end.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scmi_model.h"

#define say(fmt, ...) do {						\
	printf("vlab-scmi: " fmt "\n", ##__VA_ARGS__);			\
	fflush(stdout);							\
} while (0)

static const char usage[] =
	"usage: vlab-scmi [--request shutdown|cold-reset|warm-reset [--forceful]\n"
	"                 [--timeout MS]]\n";

static const char *const state_names[] = {
	[SCMI_SYSTEM_SHUTDOWN] = "shutdown",
	[SCMI_SYSTEM_COLD_RESET] = "cold-reset",
	[SCMI_SYSTEM_WARM_RESET] = "warm-reset",
};

struct request {
	int state;		/* -1: none */
	uint32_t flags;
	uint32_t timeout_ms;
};

static void *serve(void *arg)
{
	int err = scmi_model_serve(arg, -1);

	if (err)
		fprintf(stderr, "vlab-scmi: the device failed: %s\n", strerror(-err));
	return NULL;
}

static int parse(int argc, char **argv, struct request *req)
{
	unsigned int i;
	char *end;
	int a;

	req->state = -1;
	req->flags = SCMI_SYSTEM_GRACEFUL;
	req->timeout_ms = 0;
	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--forceful")) {
			req->flags = 0;
		} else if (!strcmp(argv[a], "--request") && a + 1 < argc) {
			a++;
			for (i = 0; i < ARRAY_SIZE(state_names); i++)
				if (!strcmp(argv[a], state_names[i]))
					req->state = i;
			if (req->state < 0)
				return -1;
		} else if (!strcmp(argv[a], "--timeout") && a + 1 < argc) {
			a++;
			errno = 0;
			req->timeout_ms = strtoul(argv[a], &end, 0);
			if (errno || *end || end == argv[a])
				return -1;
		} else {
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct scmi_model m;
	struct vlab_info info;
	struct request req;
	pthread_t thread;
	sigset_t stop;
	int err, sig;

	if (parse(argc, argv, &req)) {
		fputs(usage, stderr);
		return 2;
	}
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);

	err = scmi_model_create(&m, true);
	if (!err)
		err = vlab_info(&m.lab, &info);
	if (err) {
		fprintf(stderr, "vlab-scmi: no device: %s\n", strerror(-err));
		return 1;
	}
	err = -pthread_create(&thread, NULL, serve, &m);
	if (err) {
		fprintf(stderr, "vlab-scmi: %s\n", strerror(-err));
		scmi_model_destroy(&m);
		return 1;
	}
	say("%s", info.name);

	/* once the agent asked and an event buffer is there */
	while (req.state >= 0) {
		err = scmi_model_request_power(&m, req.flags, req.state, req.timeout_ms);
		if (err == 1) {
			say("requested %s", state_names[req.state]);
			break;
		}
		if (err < 0 && err != -ENOSPC) {
			fprintf(stderr, "vlab-scmi: no request: %s\n", strerror(-err));
			break;
		}
		usleep(20000);
	}
	sigwait(&stop, &sig);
	vlab_remove(&m.lab, 0);
	pthread_join(thread, NULL);
	scmi_model_destroy(&m);
	return 0;
}
