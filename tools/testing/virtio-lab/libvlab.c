// SPDX-License-Identifier: GPL-2.0
/*
 * libvlab: the device side of a virtio lab device, for device models.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "libvlab.h"

#define VLAB_EVENT_BUF (sizeof(struct vlab_event) + VLAB_MAX_CHAIN_OUT)

int vlab_open(struct vlab *lab)
{
	lab->ev = malloc(VLAB_EVENT_BUF);
	if (!lab->ev)
		return -ENOMEM;
	lab->fd = open("/dev/virtio-lab", O_RDWR | O_CLOEXEC);
	if (lab->fd < 0) {
		free(lab->ev);
		lab->ev = NULL;
		return -errno;
	}
	return 0;
}

void vlab_close(struct vlab *lab)
{
	if (lab->fd >= 0)
		close(lab->fd);
	lab->fd = -1;
	free(lab->ev);
	lab->ev = NULL;
}

static int vlab_ioctl(struct vlab *lab, unsigned long cmd, void *arg)
{
	return ioctl(lab->fd, cmd, arg) ? -errno : 0;
}

int vlab_create(struct vlab *lab, const struct vlab_create *create)
{
	return vlab_ioctl(lab, VLAB_IOC_CREATE, (void *)create);
}

int vlab_start(struct vlab *lab, const struct vlab_create *create)
{
	int err = vlab_open(lab);

	if (err)
		return err;
	err = vlab_create(lab, create);
	if (err)
		vlab_close(lab);
	return err;
}

int vlab_info(struct vlab *lab, struct vlab_info *info)
{
	return vlab_ioctl(lab, VLAB_IOC_INFO, info);
}

struct vlab_event *vlab_next(struct vlab *lab, int timeout_ms)
{
	struct pollfd pfd = { .fd = lab->fd, .events = POLLIN };
	ssize_t n;
	int r;

	r = poll(&pfd, 1, timeout_ms);
	if (r < 0)
		return NULL;
	if (r == 0) {
		errno = ETIMEDOUT;
		return NULL;
	}
	n = read(lab->fd, lab->ev, VLAB_EVENT_BUF);
	if (n < 0)
		return NULL;
	if (n == 0) {
		errno = ENODEV;
		return NULL;
	}
	if ((size_t)n < sizeof(*lab->ev) || lab->ev->size != (uint32_t)n) {
		errno = EPROTO;
		return NULL;
	}
	return lab->ev;
}

struct vlab_event *vlab_wait(struct vlab *lab, uint32_t type, int queue,
			     int timeout_ms,
			     void (*skip)(struct vlab *lab, struct vlab_event *ev))
{
	struct vlab_event *ev;

	while ((ev = vlab_next(lab, timeout_ms))) {
		if (ev->type == type &&
		    (type != VLAB_EVENT_CHAIN || queue < 0 || ev->queue == (uint32_t)queue))
			return ev;
		if (skip)
			skip(lab, ev);
	}
	return NULL;
}

int vlab_wait_status(struct vlab *lab, uint8_t status, int timeout_ms)
{
	struct vlab_event *ev;

	do {
		ev = vlab_wait(lab, VLAB_EVENT_STATUS, -1, timeout_ms, NULL);
		if (!ev)
			return -errno;
	} while ((ev->value & status) != status);
	return 0;
}

int vlab_complete(struct vlab *lab, uint32_t queue, uint32_t id,
		  const void *data, uint32_t len, uint32_t used_len,
		  uint32_t flags)
{
	struct vlab_complete c = {
		.queue = queue,
		.id = id,
		.used_len = used_len,
		.flags = flags,
		.data = (uintptr_t)data,
		.data_len = len,
	};

	return vlab_ioctl(lab, VLAB_IOC_COMPLETE, &c);
}

void vlab_pool_init(struct vlab_pool *pool, uint32_t queue)
{
	pool->queue = queue;
	pool->n = 0;
}

bool vlab_pool_add(struct vlab_pool *pool, uint32_t id)
{
	if (pool->n == VLAB_POOL_SIZE)
		return false;
	pool->ids[pool->n++] = id;
	return true;
}

void vlab_pool_clear(struct vlab_pool *pool)
{
	pool->n = 0;
}

int vlab_pool_send(struct vlab *lab, struct vlab_pool *pool, const void *data,
		   uint32_t len, uint32_t used_len)
{
	uint32_t id;
	int err;

	do {
		if (!pool->n)
			return -ENOSPC;
		id = pool->ids[0];
		memmove(pool->ids, pool->ids + 1, --pool->n * sizeof(id));
		err = vlab_complete(lab, pool->queue, id, data, len, used_len, 0);
	} while (err == -ESTALE);	/* voided by a reset: the next one */
	return err;
}

int vlab_rewrite(struct vlab *lab, uint32_t queue, uint32_t offset,
		 const void *patterns, uint32_t len)
{
	struct vlab_rewrite r = {
		.queue = queue,
		.offset = offset,
		.len = len,
		.data = (uintptr_t)patterns,
	};

	return vlab_ioctl(lab, VLAB_IOC_REWRITE, &r);
}

static int vlab_memory(struct vlab *lab, uint64_t addr, const void *buf,
		       uint32_t len, uint32_t flags)
{
	struct vlab_memory m = {
		.addr = addr,
		.len = len,
		.flags = flags,
		.data = (uintptr_t)buf,
	};

	return vlab_ioctl(lab, VLAB_IOC_MEMORY, &m);
}

int vlab_memory_read(struct vlab *lab, uint64_t addr, void *buf, uint32_t len)
{
	return vlab_memory(lab, addr, buf, len, 0);
}

int vlab_memory_write(struct vlab *lab, uint64_t addr, const void *buf,
		      uint32_t len)
{
	return vlab_memory(lab, addr, buf, len, VLAB_MEMORY_WRITE);
}

int vlab_set_config(struct vlab *lab, uint32_t offset, const void *data,
		    uint32_t len, uint32_t flags)
{
	struct vlab_config c = {
		.offset = offset,
		.len = len,
		.data = (uintptr_t)data,
		.flags = flags,
	};

	return vlab_ioctl(lab, VLAB_IOC_SET_CONFIG, &c);
}

int vlab_interrupt(struct vlab *lab, uint32_t queue)
{
	return vlab_ioctl(lab, VLAB_IOC_INTERRUPT, &queue);
}

int vlab_remove(struct vlab *lab, uint32_t flags)
{
	return vlab_ioctl(lab, VLAB_IOC_REMOVE, &flags);
}

void *vlab_map_shm(struct vlab *lab, unsigned int id, uint64_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, lab->fd,
		       (off_t)(id * VLAB_SHM_MMAP_STRIDE));

	return p == MAP_FAILED ? NULL : p;
}
