// SPDX-License-Identifier: GPL-2.0
/*
 * vlab-param: play the lab's vehicle (param_model.h) as a parameter server
 * until removed or told to stop.
 *
 *	vlab-param
 *
 * Prints "vlab-param: virtioN" once the device is registered. SIGUSR1
 * moves the gear lever (GEAR_SELECTION: park, reverse, neutral, drive, in
 * turn), which an ON_CHANGE event tells; SIGTERM or SIGINT remove the
 * device and end.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "param_model.h"

static void *serve(void *arg)
{
	int err = param_model_serve(arg, -1);

	if (err)
		fprintf(stderr, "vlab-param: the device failed: %s\n", strerror(-err));
	return NULL;
}

int main(int argc, char **argv)
{
	static const int32_t gears[] = { 4, 2, 1, 8 };
	struct param_model m;
	struct vlab_info info;
	unsigned int gear = 0;
	pthread_t thread;
	sigset_t sigs;
	int err, sig;

	if (argc != 1) {
		fputs("usage: vlab-param\n", stderr);
		return 2;
	}
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);

	err = param_model_create(&m);
	if (!err)
		err = vlab_info(&m.lab, &info);
	if (!err)
		err = -pthread_create(&thread, NULL, serve, &m);
	if (err) {
		fprintf(stderr, "vlab-param: no device: %s\n", strerror(-err));
		return 1;
	}
	printf("vlab-param: %s\n", info.name);
	fflush(stdout);
	while (!sigwait(&sigs, &sig) && sig == SIGUSR1) {
		gear = (gear + 1) % ARRAY_SIZE(gears);
		param_model_set_int32(&m, PARAM_GEAR_SELECTION, 0, gears[gear]);
	}
	vlab_remove(&m.lab, 0);
	pthread_join(thread, NULL);
	param_model_destroy(&m);
	return 0;
}
