// SPDX-License-Identifier: GPL-2.0
/*
 * user_rng: a userspace virtio entropy device. See user_rng.h.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/random.h>
#include <unistd.h>

#include "user_rng.h"

/* As the kernel device: at most this much per request. */
#define USER_RNG_REQUEST_MAX 65536

/* Guest buffer [iova, +len) as a pointer, or NULL outside guest memory. */
static uint8_t *guest(const struct vd_mem *mem, uint64_t iova, uint64_t len)
{
	if (iova < mem->iova || len > mem->size ||
	    iova - mem->iova > mem->size - len)
		return NULL;
	return vd_ptr(mem, iova);
}

/* Fill the writable buffers of the chain at head: the bytes written. */
static uint32_t fill_chain(const struct vd_mem *mem, const struct vd_ring *r,
			   uint16_t head)
{
	const struct vring_desc *table = r->desc;
	uint32_t size = r->num, left = USER_RNG_REQUEST_MAX, done = 0;
	unsigned int count = 0;
	uint16_t i = head;

	for (;;) {
		const struct vring_desc *d = &table[i];
		uint16_t flags = le16toh(d->flags);
		uint32_t len = le32toh(d->len);
		uint8_t *p = guest(mem, le64toh(d->addr), len);

		if (!p || ++count > r->num)
			exit(1);
		if (flags & VRING_DESC_F_INDIRECT) {
			table = (const struct vring_desc *)p;
			size = len / sizeof(*table);
			i = 0;
			continue;
		}
		if (!(flags & VRING_DESC_F_WRITE))
			exit(1);
		len = len < left ? len : left;
		if (len && getrandom(p, len, 0) != (ssize_t)len)
			exit(1);
		done += len;
		left -= len;
		if (!(flags & VRING_DESC_F_NEXT))
			return done;
		i = le16toh(d->next);
		if (i >= size)
			exit(1);
	}
}

static uint16_t avail_idx(const struct vd_ring *r)
{
	return le16toh(__atomic_load_n(&r->avail->idx, __ATOMIC_ACQUIRE));
}

/* The request at available entry avail, answered in used entry used. */
static void serve_one(const struct vd_mem *mem, const struct vd_ring *r,
		      uint16_t avail, uint16_t used)
{
	uint16_t head = le16toh(r->avail->ring[avail % r->num]);
	struct vring_used_elem *e = &r->used->ring[used % r->num];

	if (head >= r->num)
		exit(1);
	e->id = htole32(head);
	e->len = htole32(fill_chain(mem, r, head));
	/* the entry before the index that publishes it */
	__atomic_store_n(&r->used->idx, htole16(used + 1), __ATOMIC_RELEASE);
}

void user_rng_serve(const struct vd_mem *mem, const struct vd_ring *r)
{
	uint16_t last_avail = 0, used_idx = 0;
	struct pollfd pfd = { .fd = r->kick_fd, .events = POLLIN };
	uint64_t kicks;

	for (;;) {
		uint16_t avail;
		int pushed = 0;

		if (poll(&pfd, 1, -1) < 0 ||
		    read(r->kick_fd, &kicks, sizeof(kicks)) < 0)
			continue;
		for (;;) {
			/* no kicks while the ring is being drained */
			r->used->flags = htole16(VRING_USED_F_NO_NOTIFY);
			while ((avail = avail_idx(r)) != last_avail) {
				serve_one(mem, r, last_avail++, used_idx++);
				pushed = 1;
			}
			r->used->flags = 0;
			__atomic_thread_fence(__ATOMIC_SEQ_CST);
			if (le16toh(r->avail->idx) == last_avail)
				break;
		}
		if (pushed && !(le16toh(r->avail->flags) & VRING_AVAIL_F_NO_INTERRUPT)) {
			uint64_t one = 1;

			if (write(r->call_fd, &one, sizeof(one)) < 0)
				exit(1);
		}
	}
}
