// SPDX-License-Identifier: GPL-2.0
/*
 * vlab-audio-policy: play the lab's vehicle audio policy (apol_model.h) as
 * an audio policy device until removed or told to stop.
 *
 *	vlab-audio-policy
 *
 * Prints "vlab-audio-policy: virtioN" once the device is registered.
 * SIGUSR1 limits the front media stream to 50 % for a hot amplifier
 * (THERMAL_LIMITATION), or lifts the limit, in turn; SIGTERM or SIGINT
 * remove the device and end.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "apol_model.h"

static void *serve(void *arg)
{
	int err = apol_model_serve(arg, -1);

	if (err)
		fprintf(stderr, "vlab-audio-policy: the device failed: %s\n", strerror(-err));
	return NULL;
}

int main(int argc, char **argv)
{
	struct apol_model m;
	struct vlab_info info;
	bool limited = false;
	pthread_t thread;
	sigset_t sigs;
	int err, sig;

	if (argc != 1) {
		fputs("usage: vlab-audio-policy\n", stderr);
		return 2;
	}
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);

	err = apol_model_create(&m, NULL);
	if (!err)
		err = vlab_info(&m.lab, &info);
	if (!err)
		err = -pthread_create(&thread, NULL, serve, &m);
	if (err) {
		fprintf(stderr, "vlab-audio-policy: no device: %s\n", strerror(-err));
		return 1;
	}
	printf("vlab-audio-policy: %s\n", info.name);
	fflush(stdout);
	while (!sigwait(&sigs, &sig) && sig == SIGUSR1) {
		limited = !limited;
		apol_model_set_target(&m, VIRTIO_AUDIO_POLICY_EVENT_GAIN_LIMIT,
				      VIRTIO_AUDIO_POLICY_TARGET_STREAM, APOL_STREAM_FRONT_MEDIA,
				      limited ? 50 : 100,
				      limited ? VIRTIO_AUDIO_POLICY_REASON_THERMAL_LIMITATION : 0);
	}
	vlab_remove(&m.lab, 0);
	pthread_join(thread, NULL);
	apol_model_destroy(&m);
	return 0;
}
