/* SPDX-License-Identifier: GPL-2.0 */
/*
 * user_vq: a virtqueue served by a device in userspace, the way vhost-user
 * daemons serve one: the ring and its buffers in guest memory mapped from
 * the VMM's memfd, a kick eventfd to wait on, a call eventfd to signal.
 * The userspace devices of the benchmarks (user_rng.c, user_can.c) are
 * built on it. The driver lays the ring out (vdpa_driver.h).
 *
 * A chain that breaks the rules (outside guest memory, a loop, readable
 * after writable buffers, more than USER_CHAIN_SEGS) ends the process with
 * status 1: the driver made a mistake the benchmark should not hide.
 */
#ifndef USER_VQ_H
#define USER_VQ_H

#include <poll.h>
#include <stdint.h>

#include "vdpa_driver.h"

#define USER_CHAIN_SEGS 16

struct user_seg {
	uint8_t *p;
	uint32_t len;
};

/* A chain taken from the ring: its readable buffers, then its writable. */
struct user_chain {
	uint16_t head;
	unsigned int nr_out, nr_in;
	uint32_t out_len, in_len;	/* bytes, readable and writable */
	struct user_seg seg[USER_CHAIN_SEGS];
};

struct user_vq {
	const struct vd_mem *mem;
	const struct vd_ring *ring;
	uint16_t last_avail;	/* available entries taken */
	uint16_t used_idx;	/* used entries published */
	int pushed;		/* entries used since the driver was called */
};

void user_vq_init(struct user_vq *q, const struct vd_mem *mem,
		  const struct vd_ring *ring);
/* Whether the driver made chains available that were not taken yet. */
int user_vq_pending(const struct user_vq *q);
/* Take the next available chain: 1, or 0 when there is none. */
int user_vq_pop(struct user_vq *q, struct user_chain *c);
/* Give chain head back to the driver with len bytes written. */
void user_vq_push(struct user_vq *q, uint16_t head, uint32_t len);
/* Signal the driver if entries were used, unless it asked for no calls. */
void user_vq_call(struct user_vq *q);
/* Consume the kicks the driver sent. */
void user_vq_take_kicks(const struct user_vq *q);

/*
 * Microseconds a device waits busy (polling without sleeping) for its
 * file descriptors before it sleeps in poll(): the in-kernel worker's
 * poll_us, for a like-for-like comparison. 0 by default.
 */
extern unsigned int user_poll_us;

/* poll(pfd, n, -1), after waiting busy for user_poll_us. */
int user_vq_wait(struct pollfd *pfd, nfds_t n);
/*
 * Give every available chain to serve(), asking the driver for no kicks
 * meanwhile, until none is left; then signal the driver.
 */
void user_vq_drain(struct user_vq *q,
		   void (*serve)(struct user_vq *q, const struct user_chain *c,
				 void *arg),
		   void *arg);

/*
 * Copy len bytes at offset off of the chain's readable buffers to buf,
 * or buf to its writable buffers: 0, or -1 when they are shorter.
 */
int user_chain_read(const struct user_chain *c, uint32_t off, void *buf,
		    uint32_t len);
int user_chain_write(const struct user_chain *c, uint32_t off,
		     const void *buf, uint32_t len);

#endif /* USER_VQ_H */
