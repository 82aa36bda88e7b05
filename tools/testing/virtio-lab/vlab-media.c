// SPDX-License-Identifier: GPL-2.0
/*
 * vlab-media: play a virtio-media device until SIGTERM or SIGINT, then
 * remove it: the lab's test-pattern camera (media_model.c), or with
 * --relay the V4L2 device NODE of the same system (media_proxy.c).
 *
 *	vlab-media [--relay NODE]
 *
 * Prints "vlab-media: virtioN" once the device is registered, and at the
 * end "vlab-media: N frames".
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "media_model.h"
#include "media_proxy.h"

/* The relayed node, or NULL for the camera. */
static const char *relay;
static struct media_model model;
static struct media_proxy proxy;

static void *serve(void *arg)
{
	int err = relay ? media_proxy_serve(&proxy) : media_model_serve(&model);

	if (err)
		fprintf(stderr, "vlab-media: serving failed: %s\n", strerror(-err));
	return NULL;
}

static void destroy(void)
{
	if (relay)
		media_proxy_destroy(&proxy);
	else
		media_model_destroy(&model);
}

int main(int argc, char **argv)
{
	struct vlab_info info;
	pthread_t thread;
	sigset_t stop;
	int err, sig;

	if (argc == 3 && !strcmp(argv[1], "--relay")) {
		relay = argv[2];
	} else if (argc != 1) {
		fprintf(stderr, "usage: vlab-media [--relay NODE]\n");
		return 2;
	}
	/* the thread inherits the mask: only sigwait() takes the signals */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);

	err = relay ? media_proxy_create(&proxy, relay) : media_model_create(&model);
	if (!err)
		err = vlab_info(relay ? &proxy.dev.lab : &model.dev.lab, &info);
	if (err) {
		fprintf(stderr, "vlab-media: no device: %s\n", strerror(-err));
		return 1;
	}
	printf("vlab-media: %s\n", info.name);
	fflush(stdout);
	err = pthread_create(&thread, NULL, serve, NULL);
	if (err) {
		fprintf(stderr, "vlab-media: %s\n", strerror(err));
		destroy();
		return 1;
	}
	sigwait(&stop, &sig);
	if (relay)
		media_proxy_stop(&proxy);
	else
		media_model_stop(&model);
	pthread_join(thread, NULL);
	printf("vlab-media: %u frames\n", relay ? proxy.frames : model.frames);
	destroy();
	return 0;
}
