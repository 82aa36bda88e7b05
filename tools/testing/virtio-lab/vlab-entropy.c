// SPDX-License-Identifier: GPL-2.0
/*
 * vlab-entropy: play a virtio entropy device until killed.
 *
 *	vlab-entropy [--counter] [--bytes N]
 *
 * With the stock virtio_rng driver bound, /dev/hwrng then serves the CRNG's
 * bytes (or the counter 0, 1, 2 ...). Prints the device's name when it is
 * registered.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entropy_model.h"

int main(int argc, char **argv)
{
	enum entropy_source source = ENTROPY_CRNG;
	struct entropy_model m;
	struct vlab_info info;
	uint64_t bytes = 0;
	int i, err;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--counter")) {
			source = ENTROPY_COUNTER;
		} else if (!strcmp(argv[i], "--bytes") && i + 1 < argc) {
			bytes = strtoull(argv[++i], NULL, 0);
		} else {
			fprintf(stderr, "usage: vlab-entropy [--counter] [--bytes N]\n");
			return 2;
		}
	}
	err = entropy_model_create(&m, source);
	if (!err)
		err = vlab_info(&m.lab, &info);
	if (err) {
		fprintf(stderr, "vlab-entropy: %s\n", strerror(-err));
		return 1;
	}
	printf("vlab-entropy: %s\n", info.name);
	fflush(stdout);
	err = entropy_model_serve(&m, bytes, -1);
	if (err)
		fprintf(stderr, "vlab-entropy: %s\n", strerror(-err));
	vlab_close(&m.lab);
	return err ? 1 : 0;
}
