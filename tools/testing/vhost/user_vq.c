// SPDX-License-Identifier: GPL-2.0
/*
 * user_vq: a virtqueue served from userspace. See user_vq.h.
 */
#include <endian.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "user_vq.h"

/* Guest buffer [iova, +len) as a pointer, or NULL outside guest memory. */
static uint8_t *guest(const struct vd_mem *mem, uint64_t iova, uint64_t len)
{
	if (iova < mem->iova || len > mem->size ||
	    iova - mem->iova > mem->size - len)
		return NULL;
	return vd_ptr(mem, iova);
}

void user_vq_init(struct user_vq *q, const struct vd_mem *mem,
		  const struct vd_ring *ring)
{
	q->mem = mem;
	q->ring = ring;
	q->last_avail = 0;
	q->used_idx = 0;
	q->pushed = 0;
}

int user_vq_pending(const struct user_vq *q)
{
	return le16toh(__atomic_load_n(&q->ring->avail->idx, __ATOMIC_ACQUIRE)) !=
		q->last_avail;
}

/* Add a buffer to the chain; whether another follows it. */
static int add_seg(struct user_chain *c, uint8_t *p, uint32_t len,
		   uint16_t flags)
{
	struct user_seg *s = &c->seg[c->nr_out + c->nr_in];

	if (c->nr_out + c->nr_in == USER_CHAIN_SEGS)
		exit(1);
	s->p = p;
	s->len = len;
	if (flags & VRING_DESC_F_WRITE) {
		c->nr_in++;
		c->in_len += len;
	} else {
		if (c->nr_in)
			exit(1);
		c->nr_out++;
		c->out_len += len;
	}
	return !!(flags & VRING_DESC_F_NEXT);
}

/* Descriptor i of a table of size entries. */
static const struct vring_desc *desc_at(const struct vring_desc *table,
					uint32_t size, uint16_t i)
{
	if (i >= size)
		exit(1);
	return &table[i];
}

int user_vq_pop(struct user_vq *q, struct user_chain *c)
{
	const struct vd_ring *r = q->ring;
	const struct vring_desc *table = r->desc, *d;
	uint32_t size = r->num;

	if (!user_vq_pending(q))
		return 0;
	c->head = le16toh(r->avail->ring[q->last_avail % r->num]);
	q->last_avail++;
	c->nr_out = 0;
	c->nr_in = 0;
	c->out_len = 0;
	c->in_len = 0;
	d = desc_at(table, size, c->head);
	/* an indirect table, as the chain's only descriptor */
	if (le16toh(d->flags) & VRING_DESC_F_INDIRECT) {
		size = le32toh(d->len) / sizeof(*table);
		table = (const struct vring_desc *)guest(q->mem, le64toh(d->addr),
							 le32toh(d->len));
		if (!table)
			exit(1);
		d = desc_at(table, size, 0);
	}
	/* each step adds a segment, of at most USER_CHAIN_SEGS: no loop */
	for (;;) {
		uint16_t flags = le16toh(d->flags);
		uint32_t len = le32toh(d->len);
		uint8_t *p = guest(q->mem, le64toh(d->addr), len);

		if (!p || (flags & VRING_DESC_F_INDIRECT))
			exit(1);
		if (!add_seg(c, p, len, flags))
			return 1;
		d = desc_at(table, size, le16toh(d->next));
	}
}

void user_vq_push(struct user_vq *q, uint16_t head, uint32_t len)
{
	const struct vd_ring *r = q->ring;
	struct vring_used_elem *e = &r->used->ring[q->used_idx % r->num];

	e->id = htole32(head);
	e->len = htole32(len);
	q->used_idx++;
	/* the entry before the index that publishes it */
	__atomic_store_n(&r->used->idx, htole16(q->used_idx), __ATOMIC_RELEASE);
	q->pushed = 1;
}

void user_vq_call(struct user_vq *q)
{
	uint64_t one = 1;

	if (!q->pushed)
		return;
	q->pushed = 0;
	if (le16toh(q->ring->avail->flags) & VRING_AVAIL_F_NO_INTERRUPT)
		return;
	if (write(q->ring->call_fd, &one, sizeof(one)) < 0)
		exit(1);
}

unsigned int user_poll_us;

int user_vq_wait(struct pollfd *pfd, nfds_t n)
{
	long long end = now_us() + user_poll_us;
	int ret;

	while (user_poll_us && now_us() < end) {
		ret = poll(pfd, n, 0);
		if (ret)
			return ret;
	}
	return poll(pfd, n, -1);
}

void user_vq_take_kicks(const struct user_vq *q)
{
	uint64_t kicks;

	/* non-blocking: nothing to take is no error */
	if (read(q->ring->kick_fd, &kicks, sizeof(kicks)) < 0)
		return;
}

void user_vq_drain(struct user_vq *q,
		   void (*serve)(struct user_vq *q, const struct user_chain *c,
				 void *arg),
		   void *arg)
{
	struct vring_used *used = q->ring->used;
	struct user_chain c;

	for (;;) {
		/* no kicks while the ring is being drained */
		used->flags = htole16(VRING_USED_F_NO_NOTIFY);
		while (user_vq_pop(q, &c))
			serve(q, &c, arg);
		used->flags = 0;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (!user_vq_pending(q))
			break;
	}
	user_vq_call(q);
}

/* Copy between buf and the segments [first, first + n) from offset off. */
static int chain_copy(const struct user_chain *c, unsigned int first,
		      unsigned int n, uint32_t off, uint8_t *buf, uint32_t len,
		      int to_chain)
{
	unsigned int i;

	for (i = first; i < first + n && len; i++) {
		const struct user_seg *s = &c->seg[i];
		uint32_t part;

		if (off >= s->len) {
			off -= s->len;
			continue;
		}
		part = s->len - off < len ? s->len - off : len;
		if (to_chain)
			memcpy(s->p + off, buf, part);
		else
			memcpy(buf, s->p + off, part);
		buf += part;
		len -= part;
		off = 0;
	}
	return len ? -1 : 0;
}

int user_chain_read(const struct user_chain *c, uint32_t off, void *buf,
		    uint32_t len)
{
	return chain_copy(c, 0, c->nr_out, off, buf, len, 0);
}

int user_chain_write(const struct user_chain *c, uint32_t off,
		     const void *buf, uint32_t len)
{
	return chain_copy(c, c->nr_out, c->nr_in, off, (uint8_t *)buf, len, 1);
}
