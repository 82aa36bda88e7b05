// SPDX-License-Identifier: GPL-2.0
/*
 * virtio lab: a virtio transport whose devices are played by userspace.
 *
 * A process creates a device through /dev/virtio-lab (virtio_lab.h). The
 * kernel's drivers bind to it as to hardware; the process sees every status
 * change, reset, configuration write and available buffer chain as events,
 * and answers with ioctls: complete a chain with any data and any reported
 * length, rewrite the configuration, interrupt, remove the device. It exists
 * to test front-ends against well-behaved and hostile devices; it is test
 * equipment and never installed.
 *
 * The device side of the split rings is here: vringh is not built by
 * distribution kernels. Rings and buffers are kernel memory. Descriptor
 * addresses are physical addresses, or with VIRTIO_F_ACCESS_PLATFORM the
 * DMA addresses of the lab's parent device, which has no IOMMU: the
 * drivers' buffers then go through the DMA API, and its debugging checks
 * them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/dma-direct.h>
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/ioport.h>
#include <linux/interrupt.h>
#include <linux/kthread.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>
#include <linux/workqueue.h>

#include "virtio_lab.h"
#include "virtio_lab_shm.h"

/* Events not yet read may hold this much before the lab stops pulling. */
#define VLAB_MAX_PENDING (16U << 20)
/* Bound on the descriptors of one chain, indirect tables included. */
#define VLAB_MAX_SEGMENTS 4096

struct vlab_segment {
	void *addr;
	u32 len;
	bool writable;
};

/* A chain taken from the avail ring and not yet completed. */
struct vlab_chain {
	u32 in_len;
	u32 nseg;
	struct vlab_segment seg[];
};

struct vlab_queue {
	u16 capacity;			/* the size the process chose */
	u16 size;			/* the ring's; smaller after a resize */
	struct virtqueue *vq;
	const struct vring *vring;
	u16 last_avail;
	u16 used_idx;
	bool broken;
	bool resetting;			/* device or queue reset: no interrupts */
	struct vlab_chain **chains;	/* by head index, capacity of them */
};

/* A device that keeps writing buffers it returned (VLAB_IOC_REWRITE). */
struct vlab_rewriter {
	struct task_struct *task;
	u32 queue;
	u32 offset;
	u32 len;
	u8 pattern[2][VLAB_MAX_REWRITE];
	u8 *at;		/* in the chain last completed; set under dev->lock */
};

struct vlab_pending {
	struct list_head node;
	struct vlab_event ev;		/* followed by ev.out_len bytes */
};

/**
 * struct vlab_dev - one lab device
 * @vdev: the virtio device.
 * @lock: protects the queues' ring state: taken in the driver's kick, which
 *	may run with interrupts off, so a spinlock.
 * @irq_lock: keeps each queue's virtqueue alive while its driver is
 *	interrupted. Separate from @lock, which a callback's kick takes.
 * @status: device status as the driver wrote it.
 * @features: features offered.
 * @config_lock: protects @config and @config_gen (read in atomic context).
 * @config: configuration space.
 * @config_size: its size.
 * @config_gen: configuration generation.
 * @events: events for the process, protected by @events_lock.
 * @events_lock: protects @events, @pending_bytes and @gone.
 * @pending_bytes: bytes held by @events.
 * @gone: the device is unregistered; no event follows.
 * @readers: the process waits here for events.
 * @kicked: queues with chains not yet taken: kicked by the driver, or held
 *	back by a backlog of unread events until the process reads.
 * @irq_pending: queues to interrupt from @irq_work.
 * @dying: the device is being removed: it answers every chain with nothing,
 *	under @lock.
 * @named: completed once the virtio core named the device (or failed to).
 * @irq_work: raises the interrupts a dying device owes, outside the
 *	driver's own kick.
 * @register_work: registers the device without holding up the creator.
 * @registered: register_virtio_device() succeeded.
 * @frozen: the driver's freeze ran and its restore has not (lab_sleep).
 * @rewrite_lock: serializes starting and stopping @rewriter.
 * @rewriter: the running rewrite job, or NULL; changed under both
 *	@rewrite_lock and @lock.
 * @shm: shared memory regions.
 * @num_shm: how many.
 * @num_queues: number of queues.
 * @queues: the queues.
 * @walk: segments of the chain being walked, under @lock.
 */
struct vlab_dev {
	struct virtio_device vdev;
	spinlock_t lock;		/* see above */
	spinlock_t irq_lock;		/* see above */
	u8 status;
	u64 features;
	spinlock_t config_lock;		/* see above */
	u8 *config;
	u32 config_size;
	u32 config_gen;
	struct list_head events;
	spinlock_t events_lock;		/* see above */
	size_t pending_bytes;
	bool gone;
	wait_queue_head_t readers;
	unsigned long kicked;
	unsigned long irq_pending;
	bool dying;
	struct completion named;
	struct work_struct irq_work;
	struct work_struct register_work;
	bool registered;
	bool frozen;
	struct mutex rewrite_lock;	/* see above */
	struct vlab_rewriter *rewriter;
	struct vlab_shm *shm[VLAB_MAX_SHM];
	u32 num_shm;
	u32 num_queues;
	struct vlab_queue queues[VLAB_MAX_QUEUES];
	struct vlab_segment walk[VLAB_MAX_SEGMENTS];
};

/* The state of one open /dev/virtio-lab. */
struct vlab_file {
	struct mutex lock;		/* protects dev (created once) */
	struct vlab_dev *dev;
	bool removed;
};

static struct device *vlab_parent;

static struct vlab_dev *to_vlab(struct virtio_device *vdev)
{
	return container_of(vdev, struct vlab_dev, vdev);
}

static void vlab_push(struct vlab_dev *dev, struct vlab_pending *p)
{
	unsigned long flags;

	spin_lock_irqsave(&dev->events_lock, flags);
	list_add_tail(&p->node, &dev->events);
	dev->pending_bytes += p->ev.size;
	spin_unlock_irqrestore(&dev->events_lock, flags);
	wake_up_interruptible(&dev->readers);
}

/* Queue an event without data; may be called in atomic context. */
static void vlab_event(struct vlab_dev *dev, u32 type, u64 value)
{
	struct vlab_pending *p = kzalloc(sizeof(*p), GFP_ATOMIC);

	if (!p)
		return;
	p->ev.type = type;
	p->ev.size = sizeof(p->ev);
	p->ev.value = value;
	vlab_push(dev, p);
}

static bool vlab_backlogged(struct vlab_dev *dev)
{
	unsigned long flags;
	bool full;

	spin_lock_irqsave(&dev->events_lock, flags);
	full = dev->pending_bytes >= VLAB_MAX_PENDING;
	spin_unlock_irqrestore(&dev->events_lock, flags);
	return full;
}

/*
 * Translate a descriptor's buffer. The driver side is the kernel's own ring
 * code, but a buggy driver can still post anything: refuse what is not RAM
 * in the direct map rather than touch it.
 */
static void *vlab_map(struct vlab_dev *dev, u64 addr, u32 len)
{
	if (virtio_has_feature(&dev->vdev, VIRTIO_F_ACCESS_PLATFORM))
		addr = dma_to_phys(vlab_parent, addr);
	if (!len || addr + len < addr || !pfn_valid(PHYS_PFN(addr)) ||
	    !pfn_valid(PHYS_PFN(addr + len - 1)))
		return NULL;
	return phys_to_virt(addr);
}

/*
 * Walk the chain at head: every descriptor followed, indirect tables
 * included, with loops and over-long chains refused.
 */
static struct vlab_chain *vlab_walk(struct vlab_dev *dev, struct vlab_queue *q,
				    u16 head)
{
	struct virtio_device *vdev = &dev->vdev;
	const struct vring_desc *table = q->vring->desc;
	u32 table_size = q->size, steps = 0, nseg = 0, in_len = 0;
	struct vlab_segment *seg;
	struct vlab_chain *chain;
	bool indirect = false, seen_writable = false;
	u16 i = head, flags;
	u64 addr;
	u32 len;

	for (;;) {
		if (i >= table_size || ++steps > table_size)
			return ERR_PTR(-ELOOP);
		addr = virtio64_to_cpu(vdev, READ_ONCE(table[i].addr));
		len = virtio32_to_cpu(vdev, READ_ONCE(table[i].len));
		flags = virtio16_to_cpu(vdev, READ_ONCE(table[i].flags));

		if (flags & VRING_DESC_F_INDIRECT) {
			if (indirect || (flags & VRING_DESC_F_NEXT) ||
			    len % sizeof(*table) || !len)
				return ERR_PTR(-EINVAL);
			table = vlab_map(dev, addr, len);
			if (!table)
				return ERR_PTR(-EFAULT);
			table_size = len / sizeof(*table);
			indirect = true;
			steps = 0;
			i = 0;
			continue;
		}
		if (flags & VRING_DESC_F_WRITE) {
			seen_writable = true;
			in_len += len;
		} else if (seen_writable) {
			return ERR_PTR(-EINVAL);	/* readable after writable */
		}
		if (len) {
			if (nseg >= VLAB_MAX_SEGMENTS)
				return ERR_PTR(-E2BIG);
			seg = &dev->walk[nseg++];
			seg->addr = vlab_map(dev, addr, len);
			if (!seg->addr)
				return ERR_PTR(-EFAULT);
			seg->len = len;
			seg->writable = flags & VRING_DESC_F_WRITE;
		}
		if (!(flags & VRING_DESC_F_NEXT))
			break;
		i = virtio16_to_cpu(vdev, READ_ONCE(table[i].next));
	}

	chain = kmalloc(struct_size(chain, seg, nseg), GFP_ATOMIC);
	if (!chain)
		return ERR_PTR(-ENOMEM);
	chain->in_len = in_len;
	chain->nseg = nseg;
	memcpy(chain->seg, dev->walk, nseg * sizeof(*seg));
	return chain;
}

/* Hand a chain to the process: its id, capacity and driver-written bytes. */
static int vlab_post_chain(struct vlab_dev *dev, u32 qi, u16 head,
			   struct vlab_chain *chain)
{
	struct vlab_pending *p;
	size_t out_len = 0;
	u8 *data;
	u32 s;

	for (s = 0; s < chain->nseg; s++)
		if (!chain->seg[s].writable)
			out_len += chain->seg[s].len;
	if (out_len > VLAB_MAX_CHAIN_OUT)
		return -EMSGSIZE;

	/* Only the header needs zeroing: the data is copied in whole. */
	p = kmalloc(sizeof(*p) + out_len, GFP_ATOMIC);
	if (!p)
		return -ENOMEM;
	memset(p, 0, sizeof(*p));
	p->ev.type = VLAB_EVENT_CHAIN;
	p->ev.size = sizeof(p->ev) + out_len;
	p->ev.queue = qi;
	p->ev.id = head;
	p->ev.out_len = out_len;
	p->ev.in_len = chain->in_len;
	data = p->ev.data;
	for (s = 0; s < chain->nseg; s++) {
		if (chain->seg[s].writable)
			continue;
		memcpy(data, chain->seg[s].addr, chain->seg[s].len);
		data += chain->seg[s].len;
	}
	vlab_push(dev, p);
	return 0;
}

static void vlab_queue_broken(struct vlab_dev *dev, struct vlab_queue *q,
			      u32 qi, const char *why, int err)
{
	q->broken = true;
	dev_err_ratelimited(&dev->vdev.dev, "queue %u: %s (%d); queue stopped\n",
			    qi, why, err);
}

/*
 * Return chain head to the driver, told len bytes were written. Called with
 * dev->lock held; the caller interrupts.
 */
static void vlab_put_used(struct vlab_dev *dev, u32 qi, u16 head, u32 len)
{
	struct virtio_device *vdev = &dev->vdev;
	struct vlab_queue *q = &dev->queues[qi];
	u16 slot = q->used_idx % q->size;

	q->vring->used->ring[slot].id = cpu_to_virtio32(vdev, head);
	q->vring->used->ring[slot].len = cpu_to_virtio32(vdev, len);
	virtio_wmb(true);
	q->used_idx++;
	WRITE_ONCE(q->vring->used->idx, cpu_to_virtio16(vdev, q->used_idx));
	kfree(q->chains[head]);
	q->chains[head] = NULL;
}

/* Take every new chain of queue qi. Called with dev->lock held. */
static void vlab_process_queue(struct vlab_dev *dev, u32 qi)
{
	struct virtio_device *vdev = &dev->vdev;
	struct vlab_queue *q = &dev->queues[qi];
	struct vlab_chain *chain;
	u16 avail_idx, head;
	int err;

	if (!q->vring || q->broken)
		return;
	for (;;) {
		avail_idx = virtio16_to_cpu(vdev, READ_ONCE(q->vring->avail->idx));
		if (avail_idx == q->last_avail) {
			if (!virtio_has_feature(vdev, VIRTIO_RING_F_EVENT_IDX))
				return;
			/* Ask for a kick at the next buffer, then look again. */
			vring_avail_event(q->vring) = cpu_to_virtio16(vdev, avail_idx);
			virtio_mb(true);
			if (virtio16_to_cpu(vdev, READ_ONCE(q->vring->avail->idx)) == avail_idx)
				return;
			continue;
		}
		if ((u16)(avail_idx - q->last_avail) > q->size) {
			vlab_queue_broken(dev, q, qi, "avail index ran ahead", -EINVAL);
			return;
		}
		if (!dev->dying && vlab_backlogged(dev)) {
			set_bit(qi, &dev->kicked);	/* taken when the process reads */
			return;
		}
		virtio_rmb(true);
		head = virtio16_to_cpu(vdev,
				       READ_ONCE(q->vring->avail->ring[q->last_avail % q->size]));
		if (head >= q->size || q->chains[head]) {
			vlab_queue_broken(dev, q, qi, "bad or busy head", -EINVAL);
			return;
		}
		if (dev->dying) {
			vlab_put_used(dev, qi, head, 0);
			q->last_avail++;
			continue;
		}
		chain = vlab_walk(dev, q, head);
		if (IS_ERR(chain)) {
			vlab_queue_broken(dev, q, qi, "bad descriptor chain", PTR_ERR(chain));
			return;
		}
		err = vlab_post_chain(dev, qi, head, chain);
		if (err) {
			kfree(chain);
			vlab_queue_broken(dev, q, qi, "chain not passed on", err);
			return;
		}
		q->chains[head] = chain;
		q->last_avail++;
	}
}

/* Interrupt the driver of queue qi, as its device's interrupt would. */
static int vlab_interrupt(struct vlab_dev *dev, u32 qi)
{
	unsigned long flags;
	int err = 0;

	spin_lock_irqsave(&dev->irq_lock, flags);
	if (dev->queues[qi].vq && !dev->queues[qi].resetting)
		vring_interrupt(0, dev->queues[qi].vq);
	else
		err = -ESTALE;
	spin_unlock_irqrestore(&dev->irq_lock, flags);
	return err;
}

static void vlab_process_kicked(struct vlab_dev *dev)
{
	unsigned long flags;
	bool owed = false;
	u32 qi;

	spin_lock_irqsave(&dev->lock, flags);
	for (qi = 0; qi < dev->num_queues; qi++) {
		if (!test_and_clear_bit(qi, &dev->kicked))
			continue;
		vlab_process_queue(dev, qi);
		if (dev->dying) {
			set_bit(qi, &dev->irq_pending);
			owed = true;
		}
	}
	spin_unlock_irqrestore(&dev->lock, flags);
	if (owed)
		queue_work(system_unbound_wq, &dev->irq_work);
}

/* Raise the interrupts a dying device owes: never from inside a kick. */
static void vlab_irq_work(struct work_struct *work)
{
	struct vlab_dev *dev = container_of(work, struct vlab_dev, irq_work);
	u32 qi;

	for (qi = 0; qi < dev->num_queues; qi++)
		if (test_and_clear_bit(qi, &dev->irq_pending))
			vlab_interrupt(dev, qi);
}

/*
 * The driver kicked a queue. Its chains are taken here, in the driver's
 * context: a driver may spin with interrupts off until the device answers
 * (virtio_console's transmit does), and a device played on the same CPUs
 * must not need that CPU to schedule anything first.
 */
static bool vlab_notify(struct virtqueue *vq)
{
	struct vlab_dev *dev = to_vlab(vq->vdev);

	set_bit(vq->index, &dev->kicked);
	vlab_process_kicked(dev);
	return true;
}

static void vlab_free_chains(struct vlab_queue *q)
{
	u32 i;

	if (!q->chains)
		return;
	for (i = 0; i < q->capacity; i++) {
		kfree(q->chains[i]);
		q->chains[i] = NULL;
	}
}

/* --- a device that keeps writing what it returned --- */

static int vlab_rewrite_thread(void *data)
{
	struct vlab_rewriter *rw = data;
	unsigned int turn = 0, i;

	while (!kthread_should_stop()) {
		for (i = 0; i < 1024; i++) {
			u8 *at = READ_ONCE(rw->at);

			if (at)
				memcpy(at, rw->pattern[turn], rw->len);
			turn ^= 1;
		}
		cond_resched();
	}
	return 0;
}

/*
 * Stop the rewrite job and wait for it: the driver frees its buffers once
 * the device is reset.
 */
static void vlab_rewrite_stop(struct vlab_dev *dev)
{
	struct vlab_rewriter *rw;
	unsigned long flags;

	mutex_lock(&dev->rewrite_lock);
	spin_lock_irqsave(&dev->lock, flags);
	rw = dev->rewriter;
	dev->rewriter = NULL;
	spin_unlock_irqrestore(&dev->lock, flags);
	mutex_unlock(&dev->rewrite_lock);
	if (rw) {
		kthread_stop(rw->task);
		kfree(rw);
	}
}

/* Where len bytes at offset of the chain's writable part lie, or NULL. */
static u8 *vlab_writable_at(const struct vlab_chain *chain, u32 offset, u32 len)
{
	u32 s;

	for (s = 0; s < chain->nseg; s++) {
		if (!chain->seg[s].writable)
			continue;
		if (offset < chain->seg[s].len)
			return len <= chain->seg[s].len - offset ?
			       (u8 *)chain->seg[s].addr + offset : NULL;
		offset -= chain->seg[s].len;
	}
	return NULL;
}

/* --- virtio_config_ops: what the driver does to the device --- */

static void vlab_get(struct virtio_device *vdev, unsigned int offset,
		     void *buf, unsigned int len)
{
	struct vlab_dev *dev = to_vlab(vdev);
	unsigned long flags;

	spin_lock_irqsave(&dev->config_lock, flags);
	if (offset <= dev->config_size && len <= dev->config_size - offset)
		memcpy(buf, dev->config + offset, len);
	else
		memset(buf, 0, len);
	spin_unlock_irqrestore(&dev->config_lock, flags);
}

static void vlab_set(struct virtio_device *vdev, unsigned int offset,
		     const void *buf, unsigned int len)
{
	struct vlab_dev *dev = to_vlab(vdev);
	struct vlab_pending *p;
	unsigned long flags;

	if (offset > dev->config_size || len > dev->config_size - offset)
		return;
	spin_lock_irqsave(&dev->config_lock, flags);
	memcpy(dev->config + offset, buf, len);
	spin_unlock_irqrestore(&dev->config_lock, flags);

	p = kzalloc(sizeof(*p) + len, GFP_ATOMIC);
	if (!p)
		return;
	p->ev.type = VLAB_EVENT_CONFIG_WRITE;
	p->ev.size = sizeof(p->ev) + len;
	p->ev.offset = offset;
	p->ev.out_len = len;
	memcpy(p->ev.data, buf, len);
	vlab_push(dev, p);
}

static u32 vlab_generation(struct virtio_device *vdev)
{
	struct vlab_dev *dev = to_vlab(vdev);

	return READ_ONCE(dev->config_gen);
}

static u8 vlab_get_status(struct virtio_device *vdev)
{
	return READ_ONCE(to_vlab(vdev)->status);
}

static void vlab_set_status(struct virtio_device *vdev, u8 status)
{
	struct vlab_dev *dev = to_vlab(vdev);

	WRITE_ONCE(dev->status, status);
	/* The core names the device before it first acknowledges it. */
	if (status & VIRTIO_CONFIG_S_ACKNOWLEDGE)
		complete_all(&dev->named);
	vlab_event(dev, VLAB_EVENT_STATUS, status);
}

static void vlab_reset(struct virtio_device *vdev)
{
	struct vlab_dev *dev = to_vlab(vdev);
	unsigned long flags;
	u32 qi;

	/*
	 * The driver will take back and free every buffer it posted: forget
	 * the chains and leave the rings alone until the queues are set up
	 * again.
	 */
	spin_lock_irqsave(&dev->lock, flags);
	WRITE_ONCE(dev->status, 0);
	for (qi = 0; qi < dev->num_queues; qi++) {
		vlab_free_chains(&dev->queues[qi]);
		dev->queues[qi].vring = NULL;
	}
	spin_unlock_irqrestore(&dev->lock, flags);
	/*
	 * As virtio-pci synchronizes its vectors: once reset returns, no
	 * callback runs (one in flight has ended) until the queues are set
	 * up again, so the driver may take its buffers back unlocked.
	 */
	spin_lock_irqsave(&dev->irq_lock, flags);
	for (qi = 0; qi < dev->num_queues; qi++)
		dev->queues[qi].resetting = true;
	spin_unlock_irqrestore(&dev->irq_lock, flags);
	/* After the chains are gone, so that no new job can find them. */
	vlab_rewrite_stop(dev);
	vlab_event(dev, VLAB_EVENT_RESET, 0);
}

static void vlab_del_vqs(struct virtio_device *vdev)
{
	struct vlab_dev *dev = to_vlab(vdev);
	struct virtqueue *vq;
	struct vlab_chain **chains;
	struct vlab_queue *q;
	unsigned long flags;
	u32 qi;

	for (qi = 0; qi < dev->num_queues; qi++) {
		q = &dev->queues[qi];
		spin_lock_irqsave(&dev->lock, flags);
		vlab_free_chains(q);
		chains = q->chains;
		vq = q->vq;
		q->chains = NULL;
		q->vring = NULL;
		clear_bit(qi, &dev->kicked);
		spin_unlock_irqrestore(&dev->lock, flags);
		spin_lock_irqsave(&dev->irq_lock, flags);
		q->vq = NULL;
		spin_unlock_irqrestore(&dev->irq_lock, flags);
		kfree(chains);
		if (vq)
			vring_del_virtqueue(vq);
	}
}

/* The device takes the queue's ring from its start, and interrupts. */
static void vlab_queue_start(struct vlab_dev *dev, struct vlab_queue *q,
			     const struct vring *vring)
{
	unsigned long flags;

	spin_lock_irqsave(&dev->lock, flags);
	q->vring = vring;
	q->size = vring->num;
	q->last_avail = 0;
	q->used_idx = 0;
	q->broken = false;
	spin_unlock_irqrestore(&dev->lock, flags);
	spin_lock_irqsave(&dev->irq_lock, flags);
	q->resetting = false;
	spin_unlock_irqrestore(&dev->irq_lock, flags);
}

static int vlab_setup_vqs(struct virtio_device *vdev, unsigned int nvqs,
			  struct virtqueue *vqs[],
			  struct virtqueue_info vqs_info[],
			  struct irq_affinity *desc)
{
	struct vlab_dev *dev = to_vlab(vdev);
	struct vlab_queue *q;
	unsigned int i;

	if (nvqs > dev->num_queues)
		return -ENOENT;
	for (i = 0; i < nvqs; i++) {
		vqs[i] = NULL;
		if (!vqs_info[i].name)
			continue;
		q = &dev->queues[i];
		q->vq = vring_create_virtqueue(i, q->capacity, SMP_CACHE_BYTES, vdev,
					       true, false, vqs_info[i].ctx,
					       vlab_notify, vqs_info[i].callback,
					       vqs_info[i].name);
		q->chains = kcalloc(q->capacity, sizeof(*q->chains), GFP_KERNEL);
		if (!q->vq || !q->chains) {
			if (q->vq)
				vring_del_virtqueue(q->vq);
			q->vq = NULL;
			kfree(q->chains);
			q->chains = NULL;
			vlab_del_vqs(vdev);
			return -ENOMEM;
		}
		/* what a resize may ask for, as a PCI device's queue_size says */
		q->vq->num_max = q->capacity;
		vlab_queue_start(dev, q, virtqueue_get_vring(q->vq));
		vqs[i] = q->vq;
	}
	return 0;
}

#define VX_FIND_VQS_IMPL vlab_setup_vqs
#include <vx-compat/find_vqs_op.h>

/*
 * VIRTIO_F_RING_RESET: the driver resets one queue. Its chains are void, as
 * at a device reset, and no interrupt reaches the queue until it is enabled
 * again.
 */
static int vlab_disable_vq_and_reset(struct virtqueue *vq)
{
	struct vlab_dev *dev = to_vlab(vq->vdev);
	struct vlab_queue *q = &dev->queues[vq->index];
	struct vlab_pending *p;
	unsigned long flags;

	if (!virtio_has_feature(vq->vdev, VIRTIO_F_RING_RESET))
		return -ENOENT;
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	spin_lock_irqsave(&dev->irq_lock, flags);
	q->resetting = true;
	spin_unlock_irqrestore(&dev->irq_lock, flags);
	spin_lock_irqsave(&dev->lock, flags);
	vlab_free_chains(q);
	q->vring = NULL;
	clear_bit(vq->index, &dev->kicked);
	spin_unlock_irqrestore(&dev->lock, flags);
	/* it may be writing a buffer of this queue, which the driver frees */
	vlab_rewrite_stop(dev);
	p->ev.type = VLAB_EVENT_QUEUE_RESET;
	p->ev.size = sizeof(p->ev);
	p->ev.queue = vq->index;
	vlab_push(dev, p);
	return 0;
}

static int vlab_enable_vq_after_reset(struct virtqueue *vq)
{
	struct vlab_dev *dev = to_vlab(vq->vdev);
	struct vlab_queue *q = &dev->queues[vq->index];
	const struct vring *vring = virtqueue_get_vring(vq);

	/* a resize may shrink the ring, not grow it past the chains' room */
	if (vring->num > q->capacity)
		return -EINVAL;
	vlab_queue_start(dev, q, vring);
	return 0;
}

static u64 vlab_get_features(struct virtio_device *vdev)
{
	return to_vlab(vdev)->features;
}

static int vlab_finalize_features(struct virtio_device *vdev)
{
	bool ring_reset = __virtio_test_bit(vdev, VIRTIO_F_RING_RESET);

	vring_transport_features(vdev);
	/* as in virtio_pci, the transport resets queues: it keeps the bit */
	if (ring_reset)
		__virtio_set_bit(vdev, VIRTIO_F_RING_RESET);
	vlab_event(to_vlab(vdev), VLAB_EVENT_FEATURES, vdev->features);
	return 0;
}

static const char *vlab_bus_name(struct virtio_device *vdev)
{
	return "virtio-lab";
}

/* --- shared memory regions --- */

static bool vlab_get_shm_region(struct virtio_device *vdev,
				struct virtio_shm_region *region, u8 id)
{
	struct vlab_dev *dev = to_vlab(vdev);

	if (id >= dev->num_shm)
		return false;
	region->addr = dev->shm[id]->phys;
	region->len = dev->shm[id]->size;
	return true;
}

static const struct virtio_config_ops vlab_config_ops = {
	.get = vlab_get,
	.set = vlab_set,
	.generation = vlab_generation,
	.get_status = vlab_get_status,
	.set_status = vlab_set_status,
	.reset = vlab_reset,
	.find_vqs = vx_find_vqs_op,
	.del_vqs = vlab_del_vqs,
	.get_features = vlab_get_features,
	.finalize_features = vlab_finalize_features,
	.bus_name = vlab_bus_name,
	.get_shm_region = vlab_get_shm_region,
	.disable_vq_and_reset = vlab_disable_vq_and_reset,
	.enable_vq_after_reset = vlab_enable_vq_after_reset,
};

/* --- the device's life --- */

static void vlab_release_dev(struct device *d)
{
	struct vlab_dev *dev = to_vlab(dev_to_virtio(d));
	struct vlab_pending *p, *tmp;
	u32 i;

	list_for_each_entry_safe(p, tmp, &dev->events, node)
		kfree(p);
	for (i = 0; i < dev->num_shm; i++)
		vlab_shm_put(dev->shm[i]);
	kfree(dev->config);
	kvfree(dev);
}

static void vlab_mark_gone(struct vlab_dev *dev)
{
	unsigned long flags;

	spin_lock_irqsave(&dev->events_lock, flags);
	dev->gone = true;
	spin_unlock_irqrestore(&dev->events_lock, flags);
	wake_up_interruptible(&dev->readers);
}

#ifdef CONFIG_PM_SLEEP
/*
 * lab_sleep: what a system sleep does to this device alone, on demand.
 * Writing "freeze" runs the driver's freeze callback as the power
 * management core would, "restore" its restore. A real suspend of the VM
 * would also reset its other virtio devices, which have no such callbacks.
 */
static ssize_t lab_sleep_show(struct device *d, struct device_attribute *attr,
			      char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  to_vlab(dev_to_virtio(d))->frozen ? "frozen" : "awake");
}

static ssize_t lab_sleep_store(struct device *d, struct device_attribute *attr,
			       const char *buf, size_t count)
{
	struct vlab_dev *dev = to_vlab(dev_to_virtio(d));
	bool freeze;
	int err;

	if (sysfs_streq(buf, "freeze"))
		freeze = true;
	else if (sysfs_streq(buf, "restore"))
		freeze = false;
	else
		return -EINVAL;

	device_lock(d);
	if (!d->driver)
		err = -ENODEV;
	else if (dev->frozen == freeze)
		err = -EALREADY;
	else if (freeze)
		err = virtio_device_freeze(&dev->vdev);
	else
		err = virtio_device_restore(&dev->vdev);
	if (!err)
		dev->frozen = freeze;
	device_unlock(d);
	return err ?: count;
}
static DEVICE_ATTR_RW(lab_sleep);

static struct attribute *vlab_dev_attrs[] = {
	&dev_attr_lab_sleep.attr,
	NULL,
};
ATTRIBUTE_GROUPS(vlab_dev);
#endif

static void vlab_register_work(struct work_struct *work)
{
	struct vlab_dev *dev = container_of(work, struct vlab_dev, register_work);
	int err;

	/*
	 * On failure the device keeps the one reference its initialization
	 * gave it, which becomes the file's; on success the file takes its own,
	 * as unregistering drops the bus's.
	 */
	err = register_virtio_device(&dev->vdev);
	if (err) {
		dev_err(vlab_parent, "registering the device failed (%d)\n", err);
		vlab_event(dev, VLAB_EVENT_REMOVED, err);
		vlab_mark_gone(dev);
		complete_all(&dev->named);
		return;
	}
	get_device(&dev->vdev.dev);
	WRITE_ONCE(dev->registered, true);
}

/*
 * From now on the device answers every chain with nothing: a driver that
 * waits for it (a probe reading an hwrng, say) finishes, and can be unbound.
 */
static void vlab_kill(struct vlab_dev *dev)
{
	struct vlab_queue *q;
	unsigned long flags;
	u32 qi, head;

	spin_lock_irqsave(&dev->lock, flags);
	dev->dying = true;
	for (qi = 0; qi < dev->num_queues; qi++) {
		q = &dev->queues[qi];
		if (!q->vring)
			continue;
		for (head = 0; head < q->size; head++)
			if (q->chains[head])
				vlab_put_used(dev, qi, head, 0);
		set_bit(qi, &dev->kicked);
	}
	spin_unlock_irqrestore(&dev->lock, flags);
	vlab_process_kicked(dev);
}

/* Unregister the device; the file keeps its reference for the events. */
static void vlab_remove(struct vlab_file *f, bool surprise)
{
	struct vlab_dev *dev = f->dev;

	if (!dev || f->removed)
		return;
	f->removed = true;
	/*
	 * A surprise removal breaks the queues before the chains come back
	 * empty, so that a driver sees a broken device, not an empty answer.
	 * Once registered, that is; a probe still running gets the answers.
	 */
	if (surprise && READ_ONCE(dev->registered))
		virtio_break_device(&dev->vdev);
	vlab_kill(dev);
	flush_work(&dev->register_work);
	if (dev->registered) {
		if (surprise)
			virtio_break_device(&dev->vdev);
		unregister_virtio_device(&dev->vdev);
		vlab_event(dev, VLAB_EVENT_REMOVED, 0);
	}
	vlab_mark_gone(dev);
	cancel_work_sync(&dev->irq_work);
}

static int vlab_check_create(const struct vlab_create *c)
{
	u32 i;

	if (c->features & BIT_ULL(VIRTIO_F_RING_PACKED))
		return -EOPNOTSUPP;
	if (!c->device_id || c->num_queues > VLAB_MAX_QUEUES ||
	    c->config_size > VLAB_MAX_CONFIG || c->num_shm > VLAB_MAX_SHM ||
	    c->reserved)
		return -EINVAL;
	for (i = 0; i < c->num_queues; i++)
		if (!c->queue_size[i] || c->queue_size[i] > VLAB_MAX_QUEUE_SIZE ||
		    !is_power_of_2(c->queue_size[i]))
			return -EINVAL;
	for (i = 0; i < c->num_shm; i++)
		if (!c->shm_size[i] || c->shm_size[i] > VLAB_MAX_SHM_SIZE ||
		    !PAGE_ALIGNED(c->shm_size[i]))
			return -EINVAL;
	return 0;
}

static long vlab_create(struct vlab_file *f, void __user *arg)
{
	struct vlab_create c;
	struct vlab_shm *shm;
	struct vlab_dev *dev;
	u32 i;
	int err;

	if (copy_from_user(&c, arg, sizeof(c)))
		return -EFAULT;
	err = vlab_check_create(&c);
	if (err)
		return err;
	if (f->dev)
		return -EBUSY;

	dev = kvzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return -ENOMEM;
	spin_lock_init(&dev->lock);
	spin_lock_init(&dev->irq_lock);
	spin_lock_init(&dev->config_lock);
	spin_lock_init(&dev->events_lock);
	mutex_init(&dev->rewrite_lock);
	INIT_LIST_HEAD(&dev->events);
	init_waitqueue_head(&dev->readers);
	INIT_WORK(&dev->irq_work, vlab_irq_work);
	INIT_WORK(&dev->register_work, vlab_register_work);
	init_completion(&dev->named);
	dev->features = c.features;
	dev->num_queues = c.num_queues;
	for (i = 0; i < c.num_queues; i++)
		dev->queues[i].capacity = c.queue_size[i];

	dev->config_size = c.config_size;
	dev->config = kzalloc(max(c.config_size, 1U), GFP_KERNEL);
	if (!dev->config) {
		err = -ENOMEM;
		goto free;
	}
	if (copy_from_user(dev->config, u64_to_user_ptr(c.config), c.config_size)) {
		err = -EFAULT;
		goto free;
	}
	for (i = 0; i < c.num_shm; i++) {
		shm = vlab_shm_alloc(c.shm_size[i]);
		if (IS_ERR(shm)) {
			err = PTR_ERR(shm);
			goto free;
		}
		dev->shm[dev->num_shm++] = shm;
	}

	dev->vdev.id.device = c.device_id;
	dev->vdev.id.vendor = c.vendor_id;
	dev->vdev.config = &vlab_config_ops;
	dev->vdev.dev.parent = vlab_parent;
	dev->vdev.dev.release = vlab_release_dev;
#ifdef CONFIG_PM_SLEEP
	dev->vdev.dev.groups = vlab_dev_groups;
#endif
	f->dev = dev;
	queue_work(system_unbound_wq, &dev->register_work);
	return 0;
free:
	for (i = 0; i < dev->num_shm; i++)
		vlab_shm_put(dev->shm[i]);
	kfree(dev->config);
	kvfree(dev);
	return err;
}

/* Copy the process's bytes into the chain's device-writable segments. */
static void vlab_fill(struct vlab_chain *chain, const u8 *data, u32 len)
{
	u32 s, n;

	for (s = 0; s < chain->nseg && len; s++) {
		if (!chain->seg[s].writable)
			continue;
		n = min(len, chain->seg[s].len);
		memcpy(chain->seg[s].addr, data, n);
		data += n;
		len -= n;
	}
}

static long vlab_complete(struct vlab_dev *dev, void __user *arg)
{
	struct vlab_complete c;
	struct vlab_queue *q;
	unsigned long flags;
	u8 *data = NULL;
	int err = 0;

	if (copy_from_user(&c, arg, sizeof(c)))
		return -EFAULT;
	if (c.reserved || c.flags & ~VLAB_COMPLETE_NO_INTERRUPT)
		return -EINVAL;
	if (c.queue >= dev->num_queues || c.data_len > VLAB_MAX_CHAIN_OUT)
		return -EINVAL;
	/* Bounce the data: the ring is written with the lock held. */
	if (c.data_len) {
		data = memdup_user(u64_to_user_ptr(c.data), c.data_len);
		if (IS_ERR(data))
			return PTR_ERR(data);
	}

	spin_lock_irqsave(&dev->lock, flags);
	q = &dev->queues[c.queue];
	/* After a reset or queue teardown the chain is void: -ESTALE. */
	if (!q->vring || c.id >= q->size || !q->chains[c.id]) {
		err = -ESTALE;
		goto out;
	}
	vlab_fill(q->chains[c.id], data, c.data_len);
	if (dev->rewriter && dev->rewriter->queue == c.queue)
		WRITE_ONCE(dev->rewriter->at,
			   vlab_writable_at(q->chains[c.id], dev->rewriter->offset,
					    dev->rewriter->len));
	vlab_put_used(dev, c.queue, c.id, c.used_len);
out:
	spin_unlock_irqrestore(&dev->lock, flags);
	kfree(data);
	if (!err && !(c.flags & VLAB_COMPLETE_NO_INTERRUPT))
		vlab_interrupt(dev, c.queue);
	return err;
}

static long vlab_set_config(struct vlab_dev *dev, void __user *arg)
{
	struct vlab_config c;
	unsigned long flags;
	u8 *buf;

	if (copy_from_user(&c, arg, sizeof(c)))
		return -EFAULT;
	if (c.reserved || c.flags & ~VLAB_CONFIG_NOTIFY ||
	    c.offset > dev->config_size || c.len > dev->config_size - c.offset)
		return -EINVAL;
	buf = memdup_user(u64_to_user_ptr(c.data), c.len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	spin_lock_irqsave(&dev->config_lock, flags);
	memcpy(dev->config + c.offset, buf, c.len);
	dev->config_gen++;
	spin_unlock_irqrestore(&dev->config_lock, flags);
	kfree(buf);
	if (c.flags & VLAB_CONFIG_NOTIFY)
		virtio_config_changed(&dev->vdev);
	return 0;
}

static long vlab_raise(struct vlab_dev *dev, u32 __user *arg)
{
	u32 qi;

	if (get_user(qi, arg))
		return -EFAULT;
	if (qi >= dev->num_queues)
		return -EINVAL;
	return vlab_interrupt(dev, qi);
}

static long vlab_info(struct vlab_dev *dev, void __user *arg)
{
	struct vlab_info info = {};

	/* Not the whole registration: a probe may wait for the device. */
	if (wait_for_completion_interruptible(&dev->named))
		return -ERESTARTSYS;
	if (!dev_name(&dev->vdev.dev))
		return -ENODEV;
	strscpy(info.name, dev_name(&dev->vdev.dev), sizeof(info.name));
	info.index = dev->vdev.index;
	if (READ_ONCE(dev->registered))
		info.flags |= VLAB_INFO_REGISTERED;
	return copy_to_user(arg, &info, sizeof(info)) ? -EFAULT : 0;
}

static long vlab_rewrite(struct vlab_dev *dev, void __user *arg)
{
	struct vlab_rewriter *rw;
	struct vlab_rewrite r;
	unsigned long flags;
	int err = 0;

	if (copy_from_user(&r, arg, sizeof(r)))
		return -EFAULT;
	if (r.reserved || r.queue >= dev->num_queues || r.len > VLAB_MAX_REWRITE)
		return -EINVAL;
	vlab_rewrite_stop(dev);
	if (!r.len)
		return 0;
	rw = kzalloc(sizeof(*rw), GFP_KERNEL);
	if (!rw)
		return -ENOMEM;
	rw->queue = r.queue;
	rw->offset = r.offset;
	rw->len = r.len;
	if (copy_from_user(rw->pattern[0], u64_to_user_ptr(r.data), r.len) ||
	    copy_from_user(rw->pattern[1], u64_to_user_ptr(r.data + r.len), r.len)) {
		kfree(rw);
		return -EFAULT;
	}
	mutex_lock(&dev->rewrite_lock);
	rw->task = kthread_run(vlab_rewrite_thread, rw, "vlab-rewrite");
	if (IS_ERR(rw->task)) {
		err = PTR_ERR(rw->task);
		kfree(rw);
	} else {
		spin_lock_irqsave(&dev->lock, flags);
		dev->rewriter = rw;
		spin_unlock_irqrestore(&dev->lock, flags);
	}
	mutex_unlock(&dev->rewrite_lock);
	return err;
}

/*
 * Copy len bytes at off of page pfn to or from user memory buf, through
 * bounce: no user fault with the page held. Only a page the kernel has
 * allocated: a reference keeps it from being freed (and unmapped, under
 * DEBUG_PAGEALLOC) meanwhile. Slab pages whose count cannot be taken (it
 * stays at zero on newer kernels) are read as they are: a driver's buffer
 * there lives until its request completes, after the model read it.
 */
static int vlab_memory_page(unsigned long pfn, unsigned int off,
			    unsigned int len, bool write, void __user *buf,
			    u8 *bounce)
{
	struct folio *folio;
	struct page *page;
	int err = 0;
	u8 *p;

	if (!pfn_valid(pfn) || !page_is_ram(pfn))
		return -EFAULT;
	page = pfn_to_page(pfn);
	folio = page_folio(page);
	/*
	 * Reserved pages are the kernel's own (its image), but for the slab
	 * objects KFENCE serves from its boot-time pool.
	 */
	if (PageReserved(page) && !folio_test_slab(folio))
		return -EFAULT;
	if (!folio_try_get(folio)) {
		if (!folio_test_slab(folio))
			return -EFAULT;
		folio = NULL;
	} else if (page_folio(page) != folio) {
		folio_put(folio);
		return -EFAULT;
	}
	if (write && copy_from_user(bounce, buf, len)) {
		err = -EFAULT;
	} else {
		p = kmap_local_page(page);
		if (write)
			memcpy(p + off, bounce, len);
		else
			memcpy(bounce, p + off, len);
		kunmap_local(p);
		if (!write && copy_to_user(buf, bounce, len))
			err = -EFAULT;
	}
	if (folio)
		folio_put(folio);
	return err;
}

static long vlab_memory(void __user *arg)
{
	void __user *buf;
	struct vlab_memory m;
	unsigned int chunk;
	u32 done;
	u8 *bounce;
	int err = 0;

	if (copy_from_user(&m, arg, sizeof(m)))
		return -EFAULT;
	if (m.flags & ~VLAB_MEMORY_WRITE || !m.len ||
	    m.len > VLAB_MAX_CHAIN_OUT || m.addr + m.len < m.addr)
		return -EINVAL;
	bounce = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	buf = u64_to_user_ptr(m.data);
	for (done = 0; !err && done < m.len; done += chunk) {
		chunk = min_t(u32, m.len - done,
			      PAGE_SIZE - offset_in_page(m.addr + done));
		err = vlab_memory_page(PHYS_PFN(m.addr + done),
				       offset_in_page(m.addr + done), chunk,
				       m.flags & VLAB_MEMORY_WRITE, buf + done,
				       bounce);
	}
	kfree(bounce);
	return err;
}

static long vlab_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct vlab_file *f = file->private_data;
	void __user *uarg = (void __user *)arg;
	struct vlab_dev *dev;
	long ret;
	u32 flags;

	mutex_lock(&f->lock);
	if (cmd == VLAB_IOC_CREATE) {
		ret = vlab_create(f, uarg);
		goto out;
	}
	dev = f->dev;
	if (!dev) {
		ret = -ENODEV;
		goto out;
	}
	if (f->removed) {
		ret = cmd == VLAB_IOC_REMOVE ? 0 : -ENODEV;
		goto out;
	}
	switch (cmd) {
	case VLAB_IOC_COMPLETE:
		ret = vlab_complete(dev, uarg);
		break;
	case VLAB_IOC_SET_CONFIG:
		ret = vlab_set_config(dev, uarg);
		break;
	case VLAB_IOC_INTERRUPT:
		ret = vlab_raise(dev, uarg);
		break;
	case VLAB_IOC_INFO:
		ret = vlab_info(dev, uarg);
		break;
	case VLAB_IOC_REWRITE:
		ret = vlab_rewrite(dev, uarg);
		break;
	case VLAB_IOC_MEMORY:
		ret = vlab_memory(uarg);
		break;
	case VLAB_IOC_REMOVE:
		ret = get_user(flags, (u32 __user *)uarg);
		if (!ret && flags & ~VLAB_REMOVE_SURPRISE)
			ret = -EINVAL;
		if (!ret)
			vlab_remove(f, flags & VLAB_REMOVE_SURPRISE);
		break;
	default:
		ret = -ENOTTY;
	}
out:
	mutex_unlock(&f->lock);
	return ret;
}

static struct vlab_pending *vlab_take(struct vlab_dev *dev, size_t room,
				      ssize_t *err)
{
	struct vlab_pending *p = NULL;
	unsigned long flags;

	spin_lock_irqsave(&dev->events_lock, flags);
	if (list_empty(&dev->events)) {
		*err = dev->gone ? 0 : -EAGAIN;
	} else {
		p = list_first_entry(&dev->events, struct vlab_pending, node);
		if (p->ev.size > room) {
			*err = -EMSGSIZE;
			p = NULL;
		} else {
			list_del(&p->node);
			dev->pending_bytes -= p->ev.size;
		}
	}
	spin_unlock_irqrestore(&dev->events_lock, flags);
	return p;
}

static bool vlab_readable(struct vlab_dev *dev)
{
	unsigned long flags;
	bool ready;

	spin_lock_irqsave(&dev->events_lock, flags);
	ready = !list_empty(&dev->events) || dev->gone;
	spin_unlock_irqrestore(&dev->events_lock, flags);
	return ready;
}

static ssize_t vlab_read(struct file *file, char __user *buf, size_t len,
			 loff_t *ppos)
{
	struct vlab_file *f = file->private_data;
	struct vlab_dev *dev = READ_ONCE(f->dev);
	struct vlab_pending *p;
	ssize_t err;

	if (!dev)
		return -ENODEV;
	for (;;) {
		p = vlab_take(dev, len, &err);
		if (p || err != -EAGAIN)
			break;
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		if (wait_event_interruptible(dev->readers, vlab_readable(dev)))
			return -ERESTARTSYS;
	}
	if (!p)
		return err;
	err = copy_to_user(buf, &p->ev, p->ev.size) ? -EFAULT : p->ev.size;
	kfree(p);
	/* Reading made room: take what a backlog held back. */
	if (READ_ONCE(dev->kicked))
		vlab_process_kicked(dev);
	return err;
}

static __poll_t vlab_poll(struct file *file, poll_table *wait)
{
	struct vlab_file *f = file->private_data;
	struct vlab_dev *dev = READ_ONCE(f->dev);
	unsigned long flags;
	__poll_t mask = 0;

	if (!dev)
		return EPOLLERR;
	poll_wait(file, &dev->readers, wait);
	spin_lock_irqsave(&dev->events_lock, flags);
	if (!list_empty(&dev->events))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (dev->gone)
		mask |= EPOLLHUP;
	spin_unlock_irqrestore(&dev->events_lock, flags);
	return mask;
}

static int vlab_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct vlab_file *f = file->private_data;
	struct vlab_dev *dev = READ_ONCE(f->dev);
	u64 offset = (u64)vma->vm_pgoff << PAGE_SHIFT;
	u64 id = offset / VLAB_SHM_MMAP_STRIDE;

	if (!dev || offset % VLAB_SHM_MMAP_STRIDE || id >= dev->num_shm)
		return -EINVAL;
	return vlab_shm_mmap(dev->shm[id], vma);
}

static int vlab_open(struct inode *inode, struct file *file)
{
	struct vlab_file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	mutex_init(&f->lock);
	file->private_data = f;
	return 0;
}

/* The process closed the file or died: the device vanishes. */
static int vlab_release(struct inode *inode, struct file *file)
{
	struct vlab_file *f = file->private_data;

	if (f->dev) {
		vlab_remove(f, true);
		put_device(&f->dev->vdev.dev);
	}
	kfree(f);
	return 0;
}

static const struct file_operations vlab_fops = {
	.owner = THIS_MODULE,
	.open = vlab_open,
	.release = vlab_release,
	.read = vlab_read,
	.poll = vlab_poll,
	.mmap = vlab_mmap,
	.unlocked_ioctl = vlab_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice vlab_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "virtio-lab",
	.fops = &vlab_fops,
};

static int __init vlab_init(void)
{
	int err;

	err = vlab_shm_init();
	if (err)
		return err;
	vlab_parent = root_device_register("virtio-lab");
	if (IS_ERR(vlab_parent)) {
		vlab_shm_exit();
		return PTR_ERR(vlab_parent);
	}
	/* Devices with VIRTIO_F_ACCESS_PLATFORM map through it. */
	err = dma_coerce_mask_and_coherent(vlab_parent, DMA_BIT_MASK(64));
	if (!err)
		err = misc_register(&vlab_misc);
	if (err) {
		root_device_unregister(vlab_parent);
		vlab_shm_exit();
	}
	return err;
}

static void __exit vlab_exit(void)
{
	misc_deregister(&vlab_misc);
	root_device_unregister(vlab_parent);
	vlab_shm_exit();
}

module_init(vlab_init);
module_exit(vlab_exit);
MODULE_DESCRIPTION("virtio lab: virtio devices played by userspace, for tests");
MODULE_LICENSE("GPL");
