/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vdpa_driver: the driver side of a virtio device reached through
 * vhost-vdpa, done the way QEMU does it: guest memory in a shared memfd,
 * mapped into the device with IOTLB messages; one split virtqueue set up
 * with the vring ioctls, kicked and called through eventfds.
 *
 *	struct vd_dev d;
 *	vd_open(&d, "/dev/vhost-vdpa-0");
 *	vd_start(&d, features, 16);
 *	... vd_desc(), vd_publish(), vd_kick(), vd_wait_used() ...
 *
 * The ring helpers work on any struct vd_ring in a struct vd_mem, so a
 * userspace device can share them (see user_rng.c). Calls return 0 or a
 * negative errno value unless said otherwise.
 */
#ifndef VDPA_DRIVER_H
#define VDPA_DRIVER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/virtio_ring.h>

/* Guest memory: this much, at this guest address (not the user address). */
#define VD_MEM_SIZE (8u << 20)
#define VD_IOVA_BASE 0x40000000ull
/* Room the rings take at the start of guest memory; buffers come after. */
#define VD_RING_AREA (64u << 10)
/* Room one ring of at most 256 entries takes in it: four fit. */
#define VD_RING_SLOT (16u << 10)

struct vd_mem {
	int fd;			/* the memfd */
	uint8_t *base;		/* where it is mapped here */
	uint64_t iova;		/* where the device sees it */
	size_t size;
};

struct vd_ring {
	unsigned int num;
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	uint64_t desc_iova, avail_iova, used_iova;
	uint16_t avail_idx;	/* next available index to publish */
	uint16_t last_used;	/* used entries consumed */
	int kick_fd;		/* eventfd: driver -> device */
	int call_fd;		/* eventfd: device -> driver */
	uint64_t calls;		/* calls seen, not yet asked for */
};

struct vd_dev {
	int fd;
	uint64_t features;	/* negotiated */
	struct vd_mem mem;
	struct vd_ring ring;
	int config_fd;		/* eventfd: configuration changes, or -1 */
};

int vd_mem_init(struct vd_mem *mem, size_t size, uint64_t iova);
void vd_mem_free(struct vd_mem *mem);
void *vd_ptr(const struct vd_mem *mem, uint64_t iova);
uint64_t vd_iova(const struct vd_mem *mem, const void *p);

/* Lay a ring of up to 1024 entries out at the start of mem; new eventfds. */
int vd_ring_init(struct vd_ring *ring, struct vd_mem *mem, unsigned int num);
/* The same, in ring slot n of the ring area (n < 4). */
int vd_ring_init_slot(struct vd_ring *ring, struct vd_mem *mem,
		      unsigned int num, unsigned int n);
void vd_ring_free(struct vd_ring *ring);
/* Fill entry i of a descriptor table: the ring's, or an indirect one. */
void vd_set_desc(struct vring_desc *table, unsigned int i, uint64_t iova,
		 uint32_t len, uint16_t flags, uint16_t next);
/* Fill descriptor i of the ring. */
void vd_desc(struct vd_ring *ring, unsigned int i, uint64_t iova,
	     uint32_t len, uint16_t flags, uint16_t next);
/* Make the chain at head available (does not kick). */
void vd_publish(struct vd_ring *ring, uint16_t head);
void vd_kick(struct vd_ring *ring);
/*
 * The next used entry, waiting up to timeout_ms for the device's call:
 * 1 with *id and *len set, 0 on timeout.
 */
int vd_wait_used(struct vd_ring *ring, uint32_t *id, uint32_t *len,
		 int timeout_ms);
/*
 * Whether the device called since the last look, waiting up to timeout_ms
 * for a call (consumes the calls).
 */
int vd_called(struct vd_ring *ring, int timeout_ms);

/* Open the vhost-vdpa device, become its owner, pick backend features. */
int vd_open(struct vd_dev *d, const char *path);
void vd_close(struct vd_dev *d);
/*
 * Open path again after its owner died: vhost-vdpa answers EBUSY until the
 * old owner's release is done, so wait up to 2 s for that.
 */
int vd_reopen(struct vd_dev *d, const char *path);
/*
 * Make the last page of guest memory one that never comes: nothing has
 * touched it, and a userfaultfd registered on it is held open, never read,
 * by a child (*holder, to be killed by the caller). The device stalls on
 * its first access there, in the owner's memory, as on a VMM that stops
 * answering its faults. Its guest address in *iova.
 */
int vd_missing_page(struct vd_dev *d, uint64_t *iova, pid_t *holder);

/*
 * Run owner(arg, report) in a child that stalls its device on a missing
 * page and writes the holder's pid to report once it kicked the request
 * that reaches it; wait until the device is there. The child's pid, and
 * the holder's in *holder; -1 when the child did not report.
 */
pid_t vd_stalled_owner(void (*owner)(void *arg, int report), void *arg,
		       pid_t *holder);

/*
 * A guest killed mid-transfer: run owner(arg) in a child process (it opens
 * and drives the device), SIGKILL it after ms, reap it. Returns 1 when the
 * kill ended it, 0 when it had ended before, a negative errno on failure.
 */
int vd_kill_owner(void (*owner)(void *arg), void *arg, unsigned int ms);
/*
 * The worker serving this process's device (its thread "vbe-..."): its
 * thread ID, the CPU time it has used in clock ticks, and how often it
 * went to sleep (voluntary context switches); -1 when there is none.
 */
int vd_worker_tid(void);
long vd_worker_cpu_ticks(void);
long vd_worker_sleeps(void);
int vd_map(struct vd_dev *d, uint64_t iova, void *uaddr, uint64_t size,
	   uint8_t perm);
int vd_unmap(struct vd_dev *d, uint64_t iova, uint64_t size);
int vd_get_status(struct vd_dev *d, uint8_t *status);
int vd_set_status(struct vd_dev *d, uint8_t status);
/* Poll the status until a bit of mask is set: 1, or 0 after timeout_ms. */
int vd_wait_status(struct vd_dev *d, uint8_t mask, int timeout_ms);
int vd_device_features(struct vd_dev *d, uint64_t *features);
/* Guest memory, mapped read-write for the device, unless it is already. */
int vd_mem_setup(struct vd_dev *d);
/*
 * Reset, negotiate features, map all guest memory read-write, set up a
 * ring of num entries and start the device (DRIVER_OK).
 */
int vd_start(struct vd_dev *d, uint64_t features, unsigned int num);
/* Negotiation only: status ACKNOWLEDGE | DRIVER, then the features. */
int vd_negotiate(struct vd_dev *d, uint64_t features);
/* Ring set-up and DRIVER_OK after vd_negotiate(), the memory mapped. */
int vd_start_ring(struct vd_dev *d, unsigned int num);
/* The second half of it: give the device d->ring as it is, DRIVER_OK. */
int vd_ring_attach(struct vd_dev *d);
/* Give the device a ring as queue index and enable it (no DRIVER_OK). */
int vd_vq_attach(struct vd_dev *d, unsigned int index, struct vd_ring *ring);
/* Add DRIVER_OK to the status. */
int vd_driver_ok(struct vd_dev *d);
/* Have the device signal configuration changes on d->config_fd. */
int vd_set_config_call(struct vd_dev *d);
/*
 * Whether the device signalled a configuration change since the last
 * look, waiting up to timeout_ms for one.
 */
int vd_config_called(struct vd_dev *d, int timeout_ms);
/* Read len bytes of the configuration space at offset. */
int vd_get_config(struct vd_dev *d, unsigned int offset, void *buf,
		  unsigned int len);

#endif /* VDPA_DRIVER_H */
