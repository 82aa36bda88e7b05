// SPDX-License-Identifier: GPL-2.0
/*
 * vlab-media: play the lab's test-pattern camera (media_model.c), a
 * virtio-media device, until SIGTERM or SIGINT, then remove it.
 *
 *	vlab-media
 *
 * Prints "vlab-media: virtioN" once the device is registered, and at the
 * end "vlab-media: N frames".
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "media_model.h"

static void *serve(void *arg)
{
	int err = media_model_serve(arg);

	if (err)
		fprintf(stderr, "vlab-media: serving failed: %s\n", strerror(-err));
	return NULL;
}

int main(void)
{
	struct media_model m;
	struct vlab_info info;
	pthread_t thread;
	sigset_t stop;
	int err, sig;

	/* the thread inherits the mask: only sigwait() takes the signals */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);

	err = media_model_create(&m);
	if (!err)
		err = vlab_info(&m.dev.lab, &info);
	if (err) {
		fprintf(stderr, "vlab-media: no device: %s\n", strerror(-err));
		return 1;
	}
	printf("vlab-media: %s\n", info.name);
	fflush(stdout);
	err = pthread_create(&thread, NULL, serve, &m);
	if (err) {
		fprintf(stderr, "vlab-media: %s\n", strerror(err));
		media_model_destroy(&m);
		return 1;
	}
	sigwait(&stop, &sig);
	media_model_stop(&m);
	pthread_join(thread, NULL);
	printf("vlab-media: %u frames\n", m.frames);
	media_model_destroy(&m);
	return 0;
}
