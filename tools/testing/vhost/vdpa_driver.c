// SPDX-License-Identifier: GPL-2.0
/*
 * vdpa_driver: the driver side of a vhost-vdpa device, as QEMU drives one.
 * See vdpa_driver.h.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/userfaultfd.h>
#include <linux/vhost.h>
#include <linux/virtio_config.h>

#include "vdpa_driver.h"
#include "clock.h"

/* Older uapi headers lack it (Linux 6.7). */
#ifndef VHOST_BACKEND_F_IOTLB_PERSIST
#define VHOST_BACKEND_F_IOTLB_PERSIST 0x8
#endif

static int neg_errno(int ret)
{
	return ret < 0 ? -errno : ret;
}

int vd_mem_init(struct vd_mem *mem, size_t size, uint64_t iova)
{
	mem->fd = memfd_create("vd-guest-memory", MFD_CLOEXEC);
	if (mem->fd < 0)
		return -errno;
	if (ftruncate(mem->fd, size) < 0)
		goto err;
	/* shared and file-backed: the only memory vhost-vdpa maps by VA */
	mem->base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
			 mem->fd, 0);
	if (mem->base == MAP_FAILED)
		goto err;
	mem->iova = iova;
	mem->size = size;
	return 0;
err:
	close(mem->fd);
	mem->fd = -1;
	return -errno;
}

void vd_mem_free(struct vd_mem *mem)
{
	if (mem->fd < 0)
		return;
	munmap(mem->base, mem->size);
	close(mem->fd);
	mem->fd = -1;
}

void *vd_ptr(const struct vd_mem *mem, uint64_t iova)
{
	return mem->base + (iova - mem->iova);
}

uint64_t vd_iova(const struct vd_mem *mem, const void *p)
{
	return mem->iova + ((const uint8_t *)p - mem->base);
}

int vd_ring_init(struct vd_ring *ring, struct vd_mem *mem, unsigned int num)
{
	memset(mem->base, 0, VD_RING_AREA);
	return vd_ring_init_slot(ring, mem, num, 0);
}

int vd_ring_init_slot(struct vd_ring *ring, struct vd_mem *mem,
		      unsigned int num, unsigned int n)
{
	uint8_t *p = mem->base + n * VD_RING_SLOT;

	vd_ring_free(ring);
	memset(p, 0, VD_RING_SLOT);
	ring->num = num;
	ring->desc = (struct vring_desc *)p;
	ring->avail = (struct vring_avail *)(p + 16 * num);
	/* the used ring on its own page, as vring_init() would put it */
	ring->used = (struct vring_used *)(p + ((16 * num + 6 + 2 * num + 4095) & ~4095u));
	ring->desc_iova = vd_iova(mem, ring->desc);
	ring->avail_iova = vd_iova(mem, ring->avail);
	ring->used_iova = vd_iova(mem, ring->used);
	ring->avail_idx = 0;
	ring->last_used = 0;
	ring->calls = 0;
	ring->kick_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ring->call_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (ring->kick_fd < 0 || ring->call_fd < 0)
		return -errno;
	return 0;
}

void vd_ring_free(struct vd_ring *ring)
{
	if (ring->kick_fd >= 0)
		close(ring->kick_fd);
	if (ring->call_fd >= 0)
		close(ring->call_fd);
	ring->kick_fd = -1;
	ring->call_fd = -1;
}

/* host byte order in, little-endian in guest memory */
void vd_set_desc(struct vring_desc *table, unsigned int i, uint64_t iova,
		 uint32_t len, uint16_t flags, uint16_t next)
{
	table[i].addr = htole64(iova);
	table[i].len = htole32(len);
	table[i].flags = htole16(flags);
	table[i].next = htole16(next);
}

void vd_desc(struct vd_ring *ring, unsigned int i, uint64_t iova,
	     uint32_t len, uint16_t flags, uint16_t next)
{
	vd_set_desc(ring->desc, i, iova, len, flags, next);
}

void vd_publish(struct vd_ring *ring, uint16_t head)
{
	ring->avail->ring[ring->avail_idx % ring->num] = htole16(head);
	ring->avail_idx++;
	/* the entry before the index that publishes it */
	__atomic_store_n(&ring->avail->idx, htole16(ring->avail_idx),
			 __ATOMIC_RELEASE);
}

void vd_kick(struct vd_ring *ring)
{
	uint64_t one = 1;

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (write(ring->kick_fd, &one, sizeof(one)) != sizeof(one))
		return;
}

/* The count a (non-blocking) eventfd holds, which it then forgets. */
static uint64_t vd_eventfd_take(int fd)
{
	uint64_t n;

	return read(fd, &n, sizeof(n)) == sizeof(n) ? n : 0;
}

/* The same, waiting up to timeout_ms for a signal. */
static uint64_t vd_eventfd_wait(int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, timeout_ms) > 0 ? vd_eventfd_take(fd) : 0;
}

/* Count the calls the eventfd holds. */
static void vd_take_calls(struct vd_ring *ring)
{
	ring->calls += vd_eventfd_take(ring->call_fd);
}

int vd_called(struct vd_ring *ring, int timeout_ms)
{
	int called;

	if (!ring->calls)
		ring->calls += vd_eventfd_wait(ring->call_fd, timeout_ms);
	called = ring->calls > 0;
	ring->calls = 0;
	return called;
}

int vd_wait_used(struct vd_ring *ring, uint32_t *id, uint32_t *len,
		 int timeout_ms)
{
	int64_t end = now_ms() + timeout_ms;

	for (;;) {
		uint16_t idx = le16toh(__atomic_load_n(&ring->used->idx,
							__ATOMIC_ACQUIRE));
		struct pollfd pfd = { .fd = ring->call_fd, .events = POLLIN };
		int64_t left = end - now_ms();

		if (idx != ring->last_used) {
			struct vring_used_elem *e =
				&ring->used->ring[ring->last_used % ring->num];

			*id = le32toh(e->id);
			*len = le32toh(e->len);
			ring->last_used++;
			return 1;
		}
		if (left <= 0)
			return 0;
		/* short waits: a driver that asked for no call still sees */
		if (poll(&pfd, 1, left < 20 ? left : 20) > 0)
			vd_take_calls(ring);
	}
}

int vd_open(struct vd_dev *d, const char *path)
{
	uint64_t features, wanted;

	memset(d, 0, sizeof(*d));
	d->mem.fd = -1;
	d->ring.kick_fd = -1;
	d->ring.call_fd = -1;
	d->config_fd = -1;
	d->fd = open(path, O_RDWR | O_CLOEXEC);
	if (d->fd < 0)
		return -errno;
	if (ioctl(d->fd, VHOST_SET_OWNER) < 0 ||
	    ioctl(d->fd, VHOST_GET_BACKEND_FEATURES, &features) < 0)
		goto err;
	/* as QEMU: IOTLB v2 messages, batches, a map that survives reset */
	wanted = features & ((1ull << VHOST_BACKEND_F_IOTLB_MSG_V2) |
			     (1ull << VHOST_BACKEND_F_IOTLB_BATCH) |
			     (1ull << VHOST_BACKEND_F_IOTLB_PERSIST));
	if (ioctl(d->fd, VHOST_SET_BACKEND_FEATURES, &wanted) < 0)
		goto err;
	return 0;
err:
	close(d->fd);
	d->fd = -1;
	return -errno;
}

void vd_close(struct vd_dev *d)
{
	vd_ring_free(&d->ring);
	if (d->config_fd >= 0)
		close(d->config_fd);
	d->config_fd = -1;
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
	vd_mem_free(&d->mem);
}

int vd_reopen(struct vd_dev *d, const char *path)
{
	int i, ret = -EBUSY;

	for (i = 0; i < 100 && ret == -EBUSY; i++) {
		ret = vd_open(d, path);
		if (ret == -EBUSY)
			usleep(20000);
	}
	return ret;
}

int vd_missing_page(struct vd_dev *d, uint64_t *iova, pid_t *holder)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	long page = sysconf(_SC_PAGESIZE);
	uint64_t off = d->mem.size - page;
	int uffd = syscall(__NR_userfaultfd, O_CLOEXEC);

	reg.range.start = (uintptr_t)d->mem.base + off;
	reg.range.len = page;
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api) ||
	    ioctl(uffd, UFFDIO_REGISTER, &reg))
		return -errno;
	*holder = fork();
	if (*holder < 0)
		return -errno;
	if (*holder == 0) {
		/* the device's file is the owner's alone */
		close(d->fd);
		pause();
		_exit(0);
	}
	close(uffd);
	*iova = d->mem.iova + off;
	return 0;
}

pid_t vd_stalled_owner(void (*owner)(void *arg, int report), void *arg,
		       pid_t *holder)
{
	int report[2];
	pid_t pid;

	if (pipe(report))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(report[0]);
		owner(arg, report[1]);
		_exit(1);
	}
	close(report[1]);
	if (pid > 0 && read(report[0], holder, sizeof(*holder)) != sizeof(*holder)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		pid = -1;
	}
	close(report[0]);
	/* the worker reaches the page */
	usleep(500000);
	return pid;
}

int vd_kill_owner(void (*owner)(void *arg), void *arg, unsigned int ms)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0) {
		owner(arg);
		_exit(0);
	}
	usleep(ms * 1000);
	kill(pid, SIGKILL);
	if (waitpid(pid, &status, 0) != pid)
		return -errno;
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

static int vd_iotlb(struct vd_dev *d, uint8_t type, uint64_t iova,
		    uint64_t size, void *uaddr, uint8_t perm)
{
	struct vhost_msg_v2 msg = {
		.type = VHOST_IOTLB_MSG_V2,
		.iotlb = {
			.iova = iova,
			.size = size,
			.uaddr = (uintptr_t)uaddr,
			.perm = perm,
			.type = type,
		},
	};

	return write(d->fd, &msg, sizeof(msg)) == sizeof(msg) ? 0 : -errno;
}

int vd_map(struct vd_dev *d, uint64_t iova, void *uaddr, uint64_t size,
	   uint8_t perm)
{
	return vd_iotlb(d, VHOST_IOTLB_UPDATE, iova, size, uaddr, perm);
}

int vd_unmap(struct vd_dev *d, uint64_t iova, uint64_t size)
{
	return vd_iotlb(d, VHOST_IOTLB_INVALIDATE, iova, size, NULL, 0);
}

int vd_get_status(struct vd_dev *d, uint8_t *status)
{
	return neg_errno(ioctl(d->fd, VHOST_VDPA_GET_STATUS, status));
}

int vd_set_status(struct vd_dev *d, uint8_t status)
{
	return neg_errno(ioctl(d->fd, VHOST_VDPA_SET_STATUS, &status));
}

int vd_wait_status(struct vd_dev *d, uint8_t mask, int timeout_ms)
{
	int64_t end = now_ms() + timeout_ms;
	uint8_t status;

	do {
		if (vd_get_status(d, &status) == 0 && (status & mask))
			return 1;
		usleep(5000);
	} while (now_ms() < end);
	return 0;
}

int vd_device_features(struct vd_dev *d, uint64_t *features)
{
	return neg_errno(ioctl(d->fd, VHOST_GET_FEATURES, features));
}

int vd_negotiate(struct vd_dev *d, uint64_t features)
{
	uint8_t status = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER;
	int ret;

	ret = vd_set_status(d, 0);
	if (!ret)
		ret = vd_set_status(d, status);
	if (!ret)
		ret = neg_errno(ioctl(d->fd, VHOST_SET_FEATURES, &features));
	if (ret)
		return ret;
	status |= VIRTIO_CONFIG_S_FEATURES_OK;
	ret = vd_set_status(d, status);
	if (!ret)
		ret = vd_get_status(d, &status);
	if (!ret && !(status & VIRTIO_CONFIG_S_FEATURES_OK))
		ret = -EPROTO;
	d->features = features;
	return ret;
}

int vd_vq_attach(struct vd_dev *d, unsigned int index, struct vd_ring *r)
{
	struct vhost_vring_state state = { .index = index, .num = r->num };
	struct vhost_vring_addr addr = { .index = index };
	struct vhost_vring_file kick = { .index = index }, call = { .index = index };

	addr.desc_user_addr = r->desc_iova;
	addr.avail_user_addr = r->avail_iova;
	addr.used_user_addr = r->used_iova;
	kick.fd = r->kick_fd;
	call.fd = r->call_fd;
	if (ioctl(d->fd, VHOST_SET_VRING_NUM, &state) < 0 ||
	    ioctl(d->fd, VHOST_SET_VRING_ADDR, &addr) < 0)
		return -errno;
	state.num = 0;
	if (ioctl(d->fd, VHOST_SET_VRING_BASE, &state) < 0 ||
	    ioctl(d->fd, VHOST_SET_VRING_KICK, &kick) < 0 ||
	    ioctl(d->fd, VHOST_SET_VRING_CALL, &call) < 0)
		return -errno;
	state.num = 1;
	if (ioctl(d->fd, VHOST_VDPA_SET_VRING_ENABLE, &state) < 0)
		return -errno;
	return 0;
}

int vd_driver_ok(struct vd_dev *d)
{
	uint8_t status;
	int ret = vd_get_status(d, &status);

	return ret ? ret : vd_set_status(d, status | VIRTIO_CONFIG_S_DRIVER_OK);
}

int vd_ring_attach(struct vd_dev *d)
{
	int ret = vd_vq_attach(d, 0, &d->ring);

	return ret ? ret : vd_driver_ok(d);
}

int vd_set_config_call(struct vd_dev *d)
{
	if (d->config_fd < 0)
		d->config_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (d->config_fd < 0)
		return -errno;
	return neg_errno(ioctl(d->fd, VHOST_VDPA_SET_CONFIG_CALL, &d->config_fd));
}

int vd_config_called(struct vd_dev *d, int timeout_ms)
{
	return vd_eventfd_wait(d->config_fd, timeout_ms) > 0;
}

int vd_get_config(struct vd_dev *d, unsigned int offset, void *buf,
		  unsigned int len)
{
	struct vhost_vdpa_config *c = calloc(1, sizeof(*c) + len);
	int ret;

	if (!c)
		return -ENOMEM;
	c->off = offset;
	c->len = len;
	ret = neg_errno(ioctl(d->fd, VHOST_VDPA_GET_CONFIG, c));
	if (!ret)
		memcpy(buf, c->buf, len);
	free(c);
	return ret;
}

int vd_start_ring(struct vd_dev *d, unsigned int num)
{
	int ret = vd_ring_init(&d->ring, &d->mem, num);

	return ret ? ret : vd_ring_attach(d);
}

int vd_mem_setup(struct vd_dev *d)
{
	int ret;

	if (d->mem.fd >= 0)
		return 0;
	ret = vd_mem_init(&d->mem, VD_MEM_SIZE, VD_IOVA_BASE);
	return ret ? ret : vd_map(d, d->mem.iova, d->mem.base, d->mem.size,
				  VHOST_ACCESS_RW);
}

int vd_start(struct vd_dev *d, uint64_t features, unsigned int num)
{
	int ret = vd_mem_setup(d);

	if (!ret)
		ret = vd_negotiate(d, features);
	return ret ? ret : vd_start_ring(d, num);
}

/* A thread's utime + stime from its stat line, or -1. */
static long vd_task_ticks(int tid)
{
	unsigned long utime, stime;
	char path[64], line[512], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	p = fgets(line, sizeof(line), f);
	fclose(f);
	/* the fields after the name: state is 3rd, utime 14th, stime 15th */
	p = p ? strrchr(line, ')') : NULL;
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
			 &utime, &stime) != 2)
		return -1;
	return utime + stime;
}

/* The thread ID of the worker serving this process's device, or -1. */
int vd_worker_tid(void)
{
	DIR *dir = opendir("/proc/self/task");
	char path[300], comm[32];
	struct dirent *e;
	int tid = -1;
	FILE *f;

	if (!dir)
		return -1;
	while (tid < 0 && (e = readdir(dir))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/comm", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) && !strncmp(comm, "vbe-", 4))
			tid = atoi(e->d_name);
		fclose(f);
	}
	closedir(dir);
	return tid;
}

long vd_worker_cpu_ticks(void)
{
	int tid = vd_worker_tid();

	return tid < 0 ? -1 : vd_task_ticks(tid);
}

long vd_worker_sleeps(void)
{
	char path[64], line[128];
	int tid = vd_worker_tid();
	long sleeps = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/status", tid);
	f = tid < 0 ? NULL : fopen(path, "r");
	if (!f)
		return -1;
	while (sleeps < 0 && fgets(line, sizeof(line), f))
		sscanf(line, "voluntary_ctxt_switches: %ld", &sleeps);
	fclose(f);
	return sleeps;
}
