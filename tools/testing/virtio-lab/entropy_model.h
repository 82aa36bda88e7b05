/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A virtio entropy device (ID 4) played in the lab.
 */
#ifndef ENTROPY_MODEL_H
#define ENTROPY_MODEL_H

#include <stdint.h>

#include "libvlab.h"

/* Where the bytes come from. */
enum entropy_source {
	ENTROPY_CRNG,		/* getrandom() */
	ENTROPY_COUNTER,	/* 0, 1, 2 ... 255, 0, 1 ...: checkable */
};

struct entropy_model {
	struct vlab lab;
	enum entropy_source source;
	uint8_t next;		/* the counter source's next byte */
	uint64_t bytes;		/* bytes supplied so far */
};

/* Create the device; the driver binds to it as to real hardware. */
int entropy_model_create(struct entropy_model *m, enum entropy_source source);

/*
 * Serve requests until max_bytes were supplied (0: no limit), the device
 * is removed, or nothing happens for idle_ms. Returns 0 or -errno.
 */
int entropy_model_serve(struct entropy_model *m, uint64_t max_bytes,
			int idle_ms);

#endif /* ENTROPY_MODEL_H */
