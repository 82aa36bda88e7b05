/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vbe, the virtio back-end core: what every in-kernel back-end of
 * virtio-extra shares. A back-end is a software vDPA device; userspace
 * reaches it through vhost-vdpa (a VMM gives it to a guest), the host's own
 * virtio drivers through virtio_vdpa. The core owns the vDPA plumbing,
 * guest memory, the split virtqueues and the worker; a back-end only says
 * what its device does with a request.
 */

#ifndef _VBE_H
#define _VBE_H

#include <linux/atomic.h>
#include <linux/mutex.h>
#include <linux/ratelimit.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/types.h>
#include <linux/vdpa.h>

struct vbe_device;
struct vhost_iotlb;
struct vhost_task;

/**
 * struct vbe_segment - one guest buffer of a descriptor chain
 * @addr: its guest address (IOVA)
 * @len: its length in bytes
 */
struct vbe_segment {
	u64 addr;
	u32 len;
};

/**
 * struct vbe_chain - a descriptor chain taken from the available ring
 * @head: the chain's head index, what the used ring returns
 * @nr_out: number of device-readable segments, first in @segments
 * @nr_in: number of device-writable segments, after them
 * @out_len: total length of the device-readable segments
 * @in_len: total length of the device-writable segments
 * @segments: the segments; owned by the queue, valid until the next pop
 *
 * Every segment has been checked against the guest's memory map and the
 * direction rules before the chain is handed out.
 */
struct vbe_chain {
	u16 head;
	unsigned int nr_out;
	unsigned int nr_in;
	u64 out_len;
	u64 in_len;
	struct vbe_segment *segments;
};

/**
 * struct vbe_vq - a split virtqueue, seen from the device
 * @dev: the device it belongs to
 * @index: its index
 * @num: ring size the driver chose (a power of two, at most %VBE_QUEUE_MAX)
 * @desc_addr: guest address of the descriptor table
 * @driver_addr: guest address of the available ring
 * @device_addr: guest address of the used ring
 * @ready: the driver enabled the queue
 * @cb: how to interrupt the driver
 * @last_avail_idx: next available ring entry the device takes
 * @used_idx: next used ring entry the device fills
 * @signalled_used: used index at the last interrupt (event index)
 * @signalled_used_valid: @signalled_used means something
 * @pushed: buffers returned since the last interrupt decision
 * @segments: room for the longest chain the rules allow (@num segments)
 *
 * All fields are protected by the device's lock.
 */
struct vbe_vq {
	struct vbe_device *dev;
	u16 index;
	u32 num;
	u64 desc_addr;
	u64 driver_addr;
	u64 device_addr;
	bool ready;
	struct vdpa_callback cb;
	u16 last_avail_idx;
	u16 used_idx;
	u16 signalled_used;
	bool signalled_used_valid;
	bool pushed;
	struct vbe_segment *segments;
};

/*
 * Largest ring a driver may choose: QEMU's virtio-mmio offers every queue
 * 1024 entries whatever the device says, and the guest takes them all.
 */
#define VBE_QUEUE_MAX 1024

/* handle_vq() result: the budget ran out, call again at once. */
#define VBE_AGAIN (-EAGAIN)

/**
 * struct vbe_device_info - what a back-end tells the core about its device
 * @name: back-end name, used in log lines and worker names
 * @device_id: virtio device ID
 * @features: device-specific feature bits; the core adds the ring and
 *	transport ones it implements
 * @nvqs: number of virtqueues
 * @config_size: size of the configuration space, kept in the core (0 for
 *	none: the driver then sees a few zero bytes)
 * @handle_vq: serve the available buffers of one queue. Runs in the
 *	device's worker, with the device lock held and the guest memory
 *	reachable. Returns 0 when done: the ring is empty (vbe_vq_pop() then
 *	asked for the driver's next kick) or its buffers wait for the
 *	back-end's data (vbe_device_kick() when it comes). Returns %VBE_AGAIN
 *	when it stopped for fairness with work left, or a positive delay in
 *	jiffies after which to call it again (throttling). After an error (the
 *	device is then marked broken) it returns 0. The queues are served in
 *	index order, and the driver is interrupted after all of them were,
 *	so a handler may return buffers of another queue.
 * @features_ok: optional: whether the negotiated features (dev->features)
 *	and the back-end's settings let the device start. Called with the
 *	device lock held when the driver sets FEATURES_OK; a non-zero return
 *	refuses it (the back-end says why in the log).
 * @reset: optional: back to the state after creation; called with the
 *	device lock held when the driver resets the device.
 */
struct vbe_device_info {
	const char *name;
	u32 device_id;
	u64 features;
	unsigned int nvqs;
	size_t config_size;
	long (*handle_vq)(struct vbe_device *dev, struct vbe_vq *vq);
	int (*features_ok)(struct vbe_device *dev);
	void (*reset)(struct vbe_device *dev);
};

/**
 * struct vbe_mgmt - a back-end's management device, what iproute2's vdpa
 *	names in "vdpa dev add name NAME mgmtdev MGMTDEV"
 * @vdpa: the vDPA management device; the back-end fills in its ops,
 *	id_table and max_supported_vqs
 * @max_devices: most devices at once; more are refused with -ENOSPC
 * @count: devices now
 */
struct vbe_mgmt {
	struct vdpa_mgmt_dev vdpa;
	unsigned int max_devices;
	atomic_t count;
};

/**
 * struct vbe_device - a back-end device on the vDPA bus
 * @vdpa: the vDPA device; first, as vdpa_alloc_device() wants
 * @info: what the back-end said about it
 * @mgmt: the management device that made it
 * @lock: serializes the driver's requests (status, features, queue setup)
 *	with the worker, which holds it while it serves the rings
 * @status: device status; written under @lock, read without
 * @suspended: vhost-vdpa suspended the device (QEMU does so to read the
 *	rings' state when it stops them): the rings are left alone until reset
 * @offered: features the device offers: the core's and the back-end's; a
 *	back-end may withdraw some of its own while the status is 0
 * @features: negotiated features
 * @generation: configuration generation
 * @nvqs: number of virtqueues (info->nvqs, kept for vbe_free(), which may
 *	run after the back-end's module is gone)
 * @dma_api_driver: since the last reset, the driver asked for the queues'
 *	DMA device: it maps its buffers with the DMA API, so its addresses are
 *	physical (identity map). vhost-vdpa never asks.
 * @vqs: the virtqueues
 * @config_cb: how to tell the driver its configuration changed
 * @config_lock: protects @config
 * @config: configuration space
 * @map_lock: protects @iotlb, which the driver replaces while the worker
 *	translates (held only for lookups, never while touching memory)
 * @iotlb: guest address map from vhost-vdpa, or NULL: none
 * @identity: no map was set since reset (or vhost-vdpa reset it): guest
 *	addresses are DMA addresses, for virtio_vdpa only
 * @mm: address space of the vhost-vdpa owner; the map points into it.
 *	Written under @lock, read without by the worker.
 * @run_lock: protects @owner_task and @kthread for those who wake them
 * @owner_task: serves the rings while an owner is bound: a thread of the
 *	owner's process
 * @kthread: serves them otherwise
 * @run_flags: a pass is wanted
 * @throttle: asks for a pass when a back-end's throttle delay ends
 * @log_ratelimit: limits the log lines a driver's errors cause
 */
struct vbe_device {
	struct vdpa_device vdpa;
	const struct vbe_device_info *info;
	struct vbe_mgmt *mgmt;
	struct mutex lock; /* driver requests vs worker */
	u8 status;
	bool suspended;
	u64 offered;
	u64 features;
	u32 generation;
	unsigned int nvqs;
	bool dma_api_driver;
	struct vbe_vq *vqs;
	struct vdpa_callback config_cb;
	spinlock_t config_lock; /* config */
	u8 *config;
	spinlock_t map_lock; /* iotlb */
	struct vhost_iotlb *iotlb;
	bool identity;
	struct mm_struct *mm;
	spinlock_t run_lock; /* owner_task, kthread */
	struct vhost_task *owner_task;
	struct task_struct *kthread;
	unsigned long run_flags;
	struct timer_list throttle;
	struct ratelimit_state log_ratelimit;
};

int vbe_mgmt_register(struct vbe_mgmt *mgmt, const char *name);
void vbe_mgmt_unregister(struct vbe_mgmt *mgmt);

struct vbe_device *vbe_device_alloc(const struct vbe_device_info *info,
				    struct vbe_mgmt *mgmt,
				    const char *name, size_t size);
void vbe_device_discard(struct vbe_device *dev);
int vbe_device_register(struct vbe_device *dev);
void vbe_device_unregister(struct vbe_device *dev);
void vbe_device_kick(struct vbe_device *dev);
void vbe_device_get_config(struct vbe_device *dev, unsigned int offset,
			   void *buf, size_t len);
void vbe_device_set_config(struct vbe_device *dev, unsigned int offset,
			   const void *buf, size_t len);
void vbe_device_config_changed(struct vbe_device *dev);

int vbe_vq_pop(struct vbe_vq *vq, struct vbe_chain *chain);
void vbe_vq_unpop(struct vbe_vq *vq);
int vbe_vq_push(struct vbe_vq *vq, const struct vbe_chain *chain, u32 written);
int vbe_chain_write(struct vbe_vq *vq, const struct vbe_chain *chain,
		    u64 offset, const void *buf, size_t len);
int vbe_chain_read(struct vbe_vq *vq, const struct vbe_chain *chain,
		   u64 offset, void *buf, size_t len);

__printf(2, 3)
void vbe_device_broken(struct vbe_device *dev, const char *fmt, ...);
__printf(2, 3)
void vbe_device_complain(struct vbe_device *dev, const char *fmt, ...);

ssize_t vbe_stat_show(struct device *d, struct device_attribute *attr,
		      char *buf);

/*
 * A read-only sysfs counter of a back-end's device: the unsigned long at
 * member of type, the back-end's device structure (the core's first).
 */
#define VBE_STAT(type, member, attr_name) {				\
	.attr = {							\
		.attr = { .name = attr_name, .mode = 0444 },		\
		.show = vbe_stat_show,					\
	},								\
	.var = (void *)offsetof(type, member),				\
}

static inline bool vbe_has_feature(const struct vbe_device *dev,
				   unsigned int bit)
{
	return dev->features & BIT_ULL(bit);
}

#endif /* _VBE_H */
