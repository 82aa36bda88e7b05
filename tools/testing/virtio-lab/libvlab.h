/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libvlab: the device side of a virtio lab device, for device models.
 *
 *	struct vlab lab;
 *	vlab_start(&lab, &(struct vlab_create){ .device_id = 4, ... });
 *	while ((ev = vlab_next(&lab, 1000)))
 *		... answer ev with vlab_complete(), vlab_set_config() ...
 *
 * Every call returns 0 or a negative errno value.
 */
#ifndef LIBVLAB_H
#define LIBVLAB_H

#include <stdbool.h>
#include <stdint.h>

#include "virtio_lab.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

struct vlab {
	int fd;
	struct vlab_event *ev;	/* the last event vlab_next() returned */
};

int vlab_open(struct vlab *lab);
void vlab_close(struct vlab *lab);
int vlab_create(struct vlab *lab, const struct vlab_create *create);
/* vlab_open() and vlab_create(), closing again on failure. */
int vlab_start(struct vlab *lab, const struct vlab_create *create);
/* The device's name on the virtio bus ("virtioN"); waits until it has one. */
int vlab_info(struct vlab *lab, struct vlab_info *info);

/*
 * The next event, waiting up to timeout_ms (-1: forever). NULL on timeout
 * (errno ETIMEDOUT), at the end of the events of a removed device (errno
 * ENODEV), or on error. Valid until the next call.
 */
struct vlab_event *vlab_next(struct vlab *lab, int timeout_ms);

/*
 * Wait for an event of this type (and, for VLAB_EVENT_CHAIN, this queue;
 * -1 for any), handing the events before it to skip (which may be NULL).
 */
struct vlab_event *vlab_wait(struct vlab *lab, uint32_t type, int queue,
			     int timeout_ms,
			     void (*skip)(struct vlab *lab, struct vlab_event *ev));

/* Wait until the driver has set every bit of status. */
int vlab_wait_status(struct vlab *lab, uint8_t status, int timeout_ms);

int vlab_complete(struct vlab *lab, uint32_t queue, uint32_t id,
		  const void *data, uint32_t len, uint32_t used_len,
		  uint32_t flags);
/*
 * Keep rewriting len bytes at offset of the buffer last completed on queue,
 * with the two patterns at patterns in turn; len 0 stops (VLAB_IOC_REWRITE).
 */
int vlab_rewrite(struct vlab *lab, uint32_t queue, uint32_t offset,
		 const void *patterns, uint32_t len);
/* Read or write len bytes of guest memory at addr (VLAB_IOC_MEMORY). */
int vlab_memory_read(struct vlab *lab, uint64_t addr, void *buf, uint32_t len);
int vlab_memory_write(struct vlab *lab, uint64_t addr, const void *buf,
		      uint32_t len);
int vlab_set_config(struct vlab *lab, uint32_t offset, const void *data,
		    uint32_t len, uint32_t flags);
int vlab_interrupt(struct vlab *lab, uint32_t queue);
int vlab_remove(struct vlab *lab, uint32_t flags);
/*
 * The device-writable buffers a driver made available on an event queue,
 * oldest first, until the device writes an event into one.
 */
#define VLAB_POOL_SIZE 64
struct vlab_pool {
	uint32_t queue;
	uint32_t ids[VLAB_POOL_SIZE];
	unsigned int n;
};

void vlab_pool_init(struct vlab_pool *pool, uint32_t queue);
/* Keep a buffer of the queue; false when the pool is full. */
bool vlab_pool_add(struct vlab_pool *pool, uint32_t id);
/* Forget every buffer: a reset took them back. */
void vlab_pool_clear(struct vlab_pool *pool);
/*
 * Write len bytes into the oldest buffer and give it back, telling the
 * driver used_len; buffers a reset voided are skipped. -ENOSPC with none.
 */
int vlab_pool_send(struct vlab *lab, struct vlab_pool *pool, const void *data,
		   uint32_t len, uint32_t used_len);

/* Map shared memory region id; NULL on failure (errno set). */
void *vlab_map_shm(struct vlab *lab, unsigned int id, uint64_t size);

#endif /* LIBVLAB_H */
