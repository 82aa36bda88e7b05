// SPDX-License-Identifier: GPL-2.0
/*
 * Split virtqueues, device side (VIRTIO 1.x, section 2.7), for back-ends
 * that cannot use the kernel's vringh (Debian does not build it). Each ring
 * field is read from guest memory once and checked before use: the driver
 * is not trusted. A rule broken marks the device broken, which stops it
 * until the driver resets it.
 */

#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>

#include "vbe_priv.h"

/*
 * The uapi ring structures carry legacy (__virtio) types; VERSION_1 rings
 * are little-endian, which these say.
 */
struct vbe_desc {
	__le64 addr;
	__le32 len;
	__le16 flags;
	__le16 next;
};

struct vbe_used_elem {
	__le32 id;
	__le32 len;
};

static_assert(sizeof(struct vbe_desc) == sizeof(struct vring_desc));
static_assert(sizeof(struct vbe_used_elem) == sizeof(struct vring_used_elem));

/* Guest addresses of the ring fields (section 2.7). */
static u64 vbe_avail_flags(const struct vbe_vq *vq)
{
	return vq->driver_addr;
}

static u64 vbe_avail_idx(const struct vbe_vq *vq)
{
	return vq->driver_addr + offsetof(struct vring_avail, idx);
}

static u64 vbe_avail_entry(const struct vbe_vq *vq, u32 i)
{
	return vq->driver_addr + offsetof(struct vring_avail, ring) +
	       (u64)i * sizeof(__le16);
}

/* used_event follows the available ring's last entry */
static u64 vbe_used_event(const struct vbe_vq *vq)
{
	return vbe_avail_entry(vq, vq->num);
}

static u64 vbe_used_flags(const struct vbe_vq *vq)
{
	return vq->device_addr;
}

static u64 vbe_used_idx(const struct vbe_vq *vq)
{
	return vq->device_addr + offsetof(struct vring_used, idx);
}

static u64 vbe_used_entry(const struct vbe_vq *vq, u32 i)
{
	return vq->device_addr + offsetof(struct vring_used, ring) +
	       (u64)i * sizeof(struct vbe_used_elem);
}

/* avail_event follows the used ring's last entry */
static u64 vbe_avail_event(const struct vbe_vq *vq)
{
	return vbe_used_entry(vq, vq->num);
}

static const char *vbe_mem_error(int err)
{
	return err == -EACCES ? "mapped for the other direction" : "not mapped";
}

/**
 * vbe_vq_check_layout - check the ring size and addresses the driver chose
 * @vq: the queue, about to be used
 *
 * Return: 0, or -EINVAL with the device marked broken.
 */
int vbe_vq_check_layout(struct vbe_vq *vq)
{
	if (!is_power_of_2(vq->num) || vq->num > VBE_QUEUE_MAX) {
		vbe_device_broken(vq->dev, "queue %u: size %u is not a power of two up to %u",
				  vq->index, vq->num, VBE_QUEUE_MAX);
		return -EINVAL;
	}
	if (!IS_ALIGNED(vq->desc_addr, 16) || !IS_ALIGNED(vq->driver_addr, 2) ||
	    !IS_ALIGNED(vq->device_addr, 4)) {
		vbe_device_broken(vq->dev,
				  "queue %u: misaligned ring (descriptors %#llx, available %#llx, used %#llx)",
				  vq->index, vq->desc_addr, vq->driver_addr,
				  vq->device_addr);
		return -EINVAL;
	}
	return 0;
}

/**
 * vbe_vq_start - the driver enabled the queue
 * @vq: the queue
 *
 * The used ring continues where the available ring is (the base the driver
 * set, 0 for a new ring); nothing is in flight.
 */
void vbe_vq_start(struct vbe_vq *vq)
{
	vq->used_idx = vq->last_avail_idx;
	vq->signalled_used_valid = false;
	vq->pushed = false;
}

/**
 * vbe_vq_reset - forget everything the driver set up
 * @vq: the queue
 */
void vbe_vq_reset(struct vbe_vq *vq)
{
	vq->num = 0;
	vq->desc_addr = 0;
	vq->driver_addr = 0;
	vq->device_addr = 0;
	vq->ready = false;
	vq->cb.callback = NULL;
	vq->cb.private = NULL;
	vq->last_avail_idx = 0;
	vbe_vq_start(vq);
}

/* Indexes and events: single accesses, as the driver changes them. */
static int vbe_vq_read16(struct vbe_vq *vq, u64 addr, const char *what,
			 u16 *val)
{
	int ret = vbe_mem_read16(vq->dev, addr, val);

	if (ret)
		vbe_device_broken(vq->dev, "queue %u: %s at %#llx %s",
				  vq->index, what, addr, vbe_mem_error(ret));
	return ret;
}

static int vbe_vq_write16(struct vbe_vq *vq, u64 addr, const char *what,
			  u16 val)
{
	int ret = vbe_mem_write16(vq->dev, addr, val);

	if (ret)
		vbe_device_broken(vq->dev, "queue %u: %s at %#llx %s",
				  vq->index, what, addr, vbe_mem_error(ret));
	return ret;
}

/* One buffer descriptor: checked, then added to the chain. */
static int vbe_chain_add(struct vbe_vq *vq, struct vbe_chain *chain,
			 const struct vbe_desc *desc)
{
	bool write = le16_to_cpu(desc->flags) & VRING_DESC_F_WRITE;
	u64 addr = le64_to_cpu(desc->addr);
	u32 len = le32_to_cpu(desc->len);
	struct vbe_segment *seg;
	int ret;

	if (!write && chain->nr_in) {
		vbe_device_broken(vq->dev,
				  "queue %u: chain %u: device-readable buffer after a device-writable one",
				  vq->index, chain->head);
		return -EPROTO;
	}
	ret = vbe_mem_check(vq->dev, addr, len, write);
	if (ret) {
		vbe_device_broken(vq->dev, "queue %u: chain %u: %s buffer [%#llx, +%u) %s",
				  vq->index, chain->head,
				  write ? "device-writable" : "device-readable",
				  addr, len, vbe_mem_error(ret));
		return ret;
	}
	seg = &chain->segments[chain->nr_out + chain->nr_in];
	seg->addr = addr;
	seg->len = len;
	if (write) {
		chain->nr_in++;
		chain->in_len += len;
	} else {
		chain->nr_out++;
		chain->out_len += len;
	}
	return 0;
}

/* An indirect descriptor: check it, make its table the one to walk. */
static int vbe_chain_indirect(struct vbe_vq *vq, struct vbe_chain *chain,
			      const struct vbe_desc *desc, bool nested,
			      u64 *table, u32 *table_size)
{
	u16 flags = le16_to_cpu(desc->flags);
	u32 len = le32_to_cpu(desc->len);

	if (!vbe_has_feature(vq->dev, VIRTIO_RING_F_INDIRECT_DESC)) {
		vbe_device_broken(vq->dev,
				  "queue %u: chain %u: indirect descriptor, feature not negotiated",
				  vq->index, chain->head);
		return -EPROTO;
	}
	if (nested) {
		vbe_device_broken(vq->dev,
				  "queue %u: chain %u: indirect descriptor in an indirect table",
				  vq->index, chain->head);
		return -EPROTO;
	}
	if (flags & VRING_DESC_F_NEXT) {
		vbe_device_broken(vq->dev, "queue %u: chain %u: indirect descriptor with NEXT set",
				  vq->index, chain->head);
		return -EPROTO;
	}
	if (!len || len % sizeof(struct vbe_desc) ||
	    len / sizeof(struct vbe_desc) > vq->num) {
		vbe_device_broken(vq->dev,
				  "queue %u: chain %u: indirect table of %u bytes (not 1 to %u descriptors of 16 bytes)",
				  vq->index, chain->head, len, vq->num);
		return -EPROTO;
	}
	*table = le64_to_cpu(desc->addr);
	*table_size = len / sizeof(struct vbe_desc);
	return 0;
}

/* Walk the chain starting at head, in the ring's table and at most one
 * indirect table, into chain. Loops end at the length limit.
 */
static int vbe_chain_walk(struct vbe_vq *vq, u16 head, struct vbe_chain *chain)
{
	u64 table = vq->desc_addr;
	u32 table_size = vq->num;
	bool indirect = false;
	unsigned int count = 0;
	u16 i = head;
	int ret;

	chain->head = head;
	chain->nr_out = 0;
	chain->nr_in = 0;
	chain->out_len = 0;
	chain->in_len = 0;
	chain->segments = vq->segments;

	for (;;) {
		struct vbe_desc desc;
		u64 addr = table + (u64)i * sizeof(desc);
		u16 flags;

		ret = vbe_mem_read(vq->dev, addr, &desc, sizeof(desc));
		if (ret) {
			vbe_device_broken(vq->dev, "queue %u: chain %u: descriptor at %#llx %s",
					  vq->index, head, addr,
					  vbe_mem_error(ret));
			return ret;
		}
		flags = le16_to_cpu(desc.flags);
		if (flags & VRING_DESC_F_INDIRECT) {
			ret = vbe_chain_indirect(vq, chain, &desc, indirect,
						 &table, &table_size);
			if (ret)
				return ret;
			indirect = true;
			i = 0;
			continue;
		}
		if (++count > vq->num) {
			vbe_device_broken(vq->dev,
					  "queue %u: chain %u: longer than the ring (%u descriptors) or a loop",
					  vq->index, head, vq->num);
			return -ELOOP;
		}
		ret = vbe_chain_add(vq, chain, &desc);
		if (ret)
			return ret;
		if (!(flags & VRING_DESC_F_NEXT))
			return 0;
		i = le16_to_cpu(desc.next);
		if (i >= table_size) {
			vbe_device_broken(vq->dev,
					  "queue %u: chain %u: next descriptor %u outside a table of %u",
					  vq->index, head, i, table_size);
			return -EPROTO;
		}
	}
}

/**
 * vbe_vq_disable_kicks - ask the driver not to kick while the worker runs
 * @vq: the queue
 *
 * With event index, the available event left behind already does that.
 */
void vbe_vq_disable_kicks(struct vbe_vq *vq)
{
	if (!vbe_has_feature(vq->dev, VIRTIO_RING_F_EVENT_IDX))
		vbe_vq_write16(vq, vbe_used_flags(vq), "used ring flags",
			       VRING_USED_F_NO_NOTIFY);
}

/*
 * Ask for a kick at the next buffer, then read the available index again
 * into avail_idx: buffers published before the request get no kick.
 */
static int vbe_vq_enable_kicks(struct vbe_vq *vq, u16 *avail_idx)
{
	int ret;

	if (vbe_has_feature(vq->dev, VIRTIO_RING_F_EVENT_IDX))
		ret = vbe_vq_write16(vq, vbe_avail_event(vq), "available event",
				     vq->last_avail_idx);
	else
		ret = vbe_vq_write16(vq, vbe_used_flags(vq), "used ring flags", 0);
	if (ret)
		return ret;
	/* the request for kicks is visible before the index is read again */
	smp_mb();
	return vbe_vq_read16(vq, vbe_avail_idx(vq), "available index", avail_idx);
}

/**
 * vbe_vq_pop - take the next chain from the available ring
 * @vq: the queue
 * @chain: where to describe it
 *
 * An empty ring asks the driver for a kick at its next buffer, so a queue
 * is watched only once drained: a queue whose buffers wait for the
 * back-end's data (a receive queue) sleeps until that data wakes it.
 *
 * Return: 1 with @chain filled, 0 when the ring is empty, or a negative
 * errno when the driver broke a rule (the device is then marked broken).
 */
int vbe_vq_pop(struct vbe_vq *vq, struct vbe_chain *chain)
{
	u16 avail_idx, head;
	int ret;

	ret = vbe_vq_read16(vq, vbe_avail_idx(vq), "available index", &avail_idx);
	if (ret)
		return ret;
	if (avail_idx == vq->last_avail_idx) {
		ret = vbe_vq_enable_kicks(vq, &avail_idx);
		if (ret || avail_idx == vq->last_avail_idx)
			return ret;
		/* no kick will come for what arrived meanwhile */
		vbe_vq_disable_kicks(vq);
	}
	if ((u16)(avail_idx - vq->last_avail_idx) > vq->num) {
		vbe_device_broken(vq->dev,
				  "queue %u: available index %u is more than the ring size %u ahead of %u",
				  vq->index, avail_idx, vq->num,
				  vq->last_avail_idx);
		return -EPROTO;
	}
	/* the entry is read after the index that published it */
	smp_rmb();
	ret = vbe_vq_read16(vq, vbe_avail_entry(vq, vq->last_avail_idx & (vq->num - 1)),
			    "available ring entry", &head);
	if (ret)
		return ret;
	if (head >= vq->num) {
		vbe_device_broken(vq->dev, "queue %u: available ring names descriptor %u of %u",
				  vq->index, head, vq->num);
		return -EPROTO;
	}
	ret = vbe_chain_walk(vq, head, chain);
	if (ret)
		return ret;
	vq->last_avail_idx++;
	return 1;
}
EXPORT_SYMBOL_GPL(vbe_vq_pop);

/**
 * vbe_vq_unpop - give back the chain vbe_vq_pop() just returned
 * @vq: the queue
 *
 * For a device that cannot serve it now; the next pop returns it again.
 */
void vbe_vq_unpop(struct vbe_vq *vq)
{
	vq->last_avail_idx--;
}
EXPORT_SYMBOL_GPL(vbe_vq_unpop);

/**
 * vbe_vq_push - return a chain to the driver through the used ring
 * @vq: the queue
 * @chain: the chain, from vbe_vq_pop()
 * @written: bytes the device wrote into its writable segments
 *
 * The driver is interrupted (as it asked) when the worker's pass ends.
 *
 * Return: 0, or a negative errno with the device marked broken.
 */
int vbe_vq_push(struct vbe_vq *vq, const struct vbe_chain *chain, u32 written)
{
	struct vbe_used_elem elem = {
		.id = cpu_to_le32(chain->head),
		.len = cpu_to_le32(written),
	};
	u64 addr = vbe_used_entry(vq, vq->used_idx & (vq->num - 1));
	int ret;

	ret = vbe_mem_write(vq->dev, addr, &elem, sizeof(elem));
	if (ret) {
		vbe_device_broken(vq->dev, "queue %u: used ring entry at %#llx %s",
				  vq->index, addr, vbe_mem_error(ret));
		return ret;
	}
	/* the entry is visible before the index that publishes it */
	smp_wmb();
	ret = vbe_vq_write16(vq, vbe_used_idx(vq), "used index",
			     vq->used_idx + 1);
	if (ret)
		return ret;
	vq->used_idx++;
	vq->pushed = true;
	return 0;
}
EXPORT_SYMBOL_GPL(vbe_vq_push);

/* Copy between buf and the chain's segments of one direction. */
static int vbe_chain_copy(struct vbe_vq *vq, const struct vbe_chain *chain,
			  u64 offset, void *buf, size_t len, bool write)
{
	unsigned int first = write ? chain->nr_out : 0;
	unsigned int end = write ? chain->nr_out + chain->nr_in : chain->nr_out;
	unsigned int i;
	int ret;

	for (i = first; i < end && len; i++) {
		const struct vbe_segment *seg = &chain->segments[i];
		size_t n;

		if (offset >= seg->len) {
			offset -= seg->len;
			continue;
		}
		n = min_t(u64, len, seg->len - offset);
		if (write)
			ret = vbe_mem_write(vq->dev, seg->addr + offset, buf, n);
		else
			ret = vbe_mem_read(vq->dev, seg->addr + offset, buf, n);
		if (ret) {
			/* checked when popped: the owner unmapped it since */
			vbe_device_broken(vq->dev, "queue %u: chain %u: buffer at %#llx %s",
					  vq->index, chain->head,
					  seg->addr + offset,
					  vbe_mem_error(ret));
			return ret;
		}
		offset = 0;
		buf += n;
		len -= n;
	}
	return len ? -EINVAL : 0;
}

/**
 * vbe_chain_write - fill the device-writable part of a chain
 * @vq: the queue the chain came from
 * @chain: the chain
 * @offset: where in the writable part, in bytes
 * @buf: what
 * @len: how many bytes
 *
 * Return: 0, -EINVAL past the writable part, or another negative errno
 * with the device marked broken.
 */
int vbe_chain_write(struct vbe_vq *vq, const struct vbe_chain *chain,
		    u64 offset, const void *buf, size_t len)
{
	return vbe_chain_copy(vq, chain, offset, (void *)buf, len, true);
}
EXPORT_SYMBOL_GPL(vbe_chain_write);

/**
 * vbe_chain_read - read the device-readable part of a chain
 * @vq: the queue the chain came from
 * @chain: the chain
 * @offset: where in the readable part, in bytes
 * @buf: where to
 * @len: how many bytes
 *
 * Return: 0, -EINVAL past the readable part, or another negative errno
 * with the device marked broken.
 */
int vbe_chain_read(struct vbe_vq *vq, const struct vbe_chain *chain,
		   u64 offset, void *buf, size_t len)
{
	return vbe_chain_copy(vq, chain, offset, buf, len, false);
}
EXPORT_SYMBOL_GPL(vbe_chain_read);

/**
 * vbe_vq_interrupt - interrupt the driver for returned buffers, if it wants
 * @vq: the queue
 */
void vbe_vq_interrupt(struct vbe_vq *vq)
{
	u16 val;

	if (!vq->pushed)
		return;
	vq->pushed = false;
	/* the used index is visible before the driver's wish is read */
	smp_mb();
	if (vbe_has_feature(vq->dev, VIRTIO_RING_F_EVENT_IDX)) {
		u16 old = vq->signalled_used;
		bool valid = vq->signalled_used_valid;

		if (vbe_vq_read16(vq, vbe_used_event(vq), "used event", &val))
			return;
		vq->signalled_used = vq->used_idx;
		vq->signalled_used_valid = true;
		if (valid && !vring_need_event(val, vq->used_idx, old))
			return;
	} else {
		if (vbe_vq_read16(vq, vbe_avail_flags(vq), "available ring flags", &val))
			return;
		if (val & VRING_AVAIL_F_NO_INTERRUPT)
			return;
	}
	vbe_callback(&vq->cb);
}
