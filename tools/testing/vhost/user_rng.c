// SPDX-License-Identifier: GPL-2.0
/*
 * user_rng: a userspace virtio entropy device. See user_rng.h.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <stdlib.h>
#include <sys/random.h>

#include "user_rng.h"
#include "user_vq.h"

/* As the kernel device: at most this much per request. */
#define USER_RNG_REQUEST_MAX 65536

/* Fill the writable buffers of a request and return it. */
static void serve_one(struct user_vq *q, const struct user_chain *c,
		      void *arg)
{
	uint32_t left = USER_RNG_REQUEST_MAX, done = 0;
	unsigned int i;

	if (c->nr_out)
		exit(1);
	for (i = 0; i < c->nr_in && left; i++) {
		uint32_t len = c->seg[i].len < left ? c->seg[i].len : left;

		if (len && getrandom(c->seg[i].p, len, 0) != (ssize_t)len)
			exit(1);
		done += len;
		left -= len;
	}
	user_vq_push(q, c->head, done);
}

void user_rng_serve(const struct vd_mem *mem, const struct vd_ring *r)
{
	struct pollfd pfd = { .fd = r->kick_fd, .events = POLLIN };
	struct user_vq q;

	user_vq_init(&q, mem, r);
	for (;;) {
		if (user_vq_wait(&pfd, 1) < 0)
			continue;
		user_vq_take_kicks(&q);
		user_vq_drain(&q, serve_one, NULL);
	}
}
