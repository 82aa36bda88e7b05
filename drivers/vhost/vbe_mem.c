// SPDX-License-Identifier: GPL-2.0
/*
 * Guest memory of a back-end device, as each kind of driver presents it:
 *
 * - a vhost-vdpa user (a VMM) maps guest memory with IOTLB updates. The
 *   device is created with use_va, so each range points into the owner's
 *   address space, which the owner's own thread serving the rings runs in.
 * - virtio_vdpa, the host's own virtio drivers, maps nothing: its DMA
 *   addresses are physical addresses (a vDPA device has no IOMMU).
 *
 * The identity map is granted from what the driver does, not from its
 * name: only to a driver that asked for the queues' DMA device (so maps
 * its buffers with the DMA API) and while no owner's address space is
 * bound (vhost-vdpa binds one). A vhost-vdpa user that maps nothing, or
 * whose map a reset cleared, must not reach host memory.
 */

#include <linux/dma-direct.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/uaccess.h>
#include <linux/vhost_iotlb.h>

#include "vbe_priv.h"

/* Ranges in one guest memory map; a VMM needs a few dozen. */
#define VBE_MAP_RANGES_MAX 2048

/*
 * Where [addr, addr + len) starts in host terms: a user address in the
 * owner's address space (*user) or a physical address. Returns the length
 * of the contiguous piece, at most len, or a negative errno.
 */
static s64 vbe_mem_translate(struct vbe_device *dev, u64 addr, u64 len,
			     bool write, u64 *target, bool *user)
{
	u32 perm = write ? VHOST_MAP_WO : VHOST_MAP_RO;
	struct vhost_iotlb_map *map;
	s64 piece;

	spin_lock(&dev->map_lock);
	if (!dev->iotlb) {
		bool identity = dev->identity;

		spin_unlock(&dev->map_lock);
		if (!identity || !READ_ONCE(dev->dma_api_driver) ||
		    READ_ONCE(dev->mm))
			return -EFAULT;
		*target = dma_to_phys(vx_vdpa_dma_dev(&dev->vdpa), addr);
		*user = false;
		return len;
	}
	map = vhost_iotlb_itree_first(dev->iotlb, addr, addr);
	if (!map) {
		spin_unlock(&dev->map_lock);
		return -EFAULT;
	}
	if ((map->perm & perm) != perm) {
		spin_unlock(&dev->map_lock);
		return -EACCES;
	}
	/* map->last - addr + 1 overflows for a map reaching U64_MAX */
	piece = len - 1 <= map->last - addr ? len : map->last - addr + 1;
	*target = map->addr + (addr - map->start);
	*user = true;
	spin_unlock(&dev->map_lock);
	return piece;
}

static int vbe_mem_copy_phys(u64 pa, void *buf, size_t len, bool write)
{
	while (len) {
		unsigned long pfn = PHYS_PFN(pa);
		size_t offset = offset_in_page(pa);
		size_t n = min_t(size_t, len, PAGE_SIZE - offset);
		void *p;

		if (!pfn_valid(pfn))
			return -EFAULT;
		p = kmap_local_page(pfn_to_page(pfn));
		if (write)
			memcpy(p + offset, buf, n);
		else
			memcpy(buf, p + offset, n);
		kunmap_local(p);
		pa += n;
		buf += n;
		len -= n;
	}
	return 0;
}

/* Only the worker, inside the owner's address space, touches user memory. */
static bool vbe_mem_in_owner(const struct vbe_device *dev)
{
	return dev->mm && current->mm == dev->mm;
}

static int vbe_mem_copy_user(struct vbe_device *dev, u64 uaddr, void *buf,
			     size_t len, bool write)
{
	void __user *p = u64_to_user_ptr(uaddr);

	if (!vbe_mem_in_owner(dev))
		return -EFAULT;
	if (write)
		return copy_to_user(p, buf, len) ? -EFAULT : 0;
	return copy_from_user(buf, p, len) ? -EFAULT : 0;
}

/*
 * Walk [addr, addr + len) through the map, copying to or from buf piece by
 * piece; with no buf, only check that every byte is reachable.
 */
static int vbe_mem_walk(struct vbe_device *dev, u64 addr, void *buf,
			u64 len, bool write)
{
	int ret = 0;

	if (len && addr + len - 1 < addr)
		return -EFAULT;
	while (len) {
		u64 target;
		bool user;
		s64 piece = vbe_mem_translate(dev, addr, len, write, &target,
					      &user);

		if (piece < 0)
			return piece;
		if (buf && user)
			ret = vbe_mem_copy_user(dev, target, buf, piece, write);
		else if (buf)
			ret = vbe_mem_copy_phys(target, buf, piece, write);
		if (ret)
			return ret;
		addr += piece;
		if (buf)
			buf += piece;
		len -= piece;
	}
	return 0;
}

/*
 * One naturally aligned 16-bit field in a single access: ring indexes
 * change under the device, and a copy may go byte by byte.
 */
static int vbe_mem_access16(struct vbe_device *dev, u64 addr, __le16 *val,
			    bool write)
{
	u64 target;
	bool user;
	s64 piece = vbe_mem_translate(dev, addr, sizeof(*val), write, &target,
				      &user);
	__le16 *p;

	if (piece < 0)
		return piece;
	/* split across two ranges, or misaligned by the map */
	if (piece < sizeof(*val) || !IS_ALIGNED(target, sizeof(*val)))
		return -EFAULT;
	if (user) {
		__le16 __user *u = u64_to_user_ptr(target);

		if (!vbe_mem_in_owner(dev))
			return -EFAULT;
		return write ? put_user(*val, u) : get_user(*val, u);
	}
	if (!pfn_valid(PHYS_PFN(target)))
		return -EFAULT;
	p = kmap_local_page(pfn_to_page(PHYS_PFN(target))) + offset_in_page(target);
	if (write)
		WRITE_ONCE(*p, *val);
	else
		*val = READ_ONCE(*p);
	kunmap_local(p);
	return 0;
}

/**
 * vbe_mem_read16 - read a 16-bit ring field in one access
 * @dev: the device
 * @addr: its guest address, aligned
 * @val: where to, in CPU byte order
 *
 * Return: 0 or a negative errno, as vbe_mem_read().
 */
int vbe_mem_read16(struct vbe_device *dev, u64 addr, u16 *val)
{
	__le16 v;
	int ret = vbe_mem_access16(dev, addr, &v, false);

	if (!ret)
		*val = le16_to_cpu(v);
	return ret;
}

/**
 * vbe_mem_write16 - write a 16-bit ring field in one access
 * @dev: the device
 * @addr: its guest address, aligned
 * @val: the value, in CPU byte order
 *
 * Return: 0 or a negative errno, as vbe_mem_write().
 */
int vbe_mem_write16(struct vbe_device *dev, u64 addr, u16 val)
{
	__le16 v = cpu_to_le16(val);

	return vbe_mem_access16(dev, addr, &v, true);
}

/**
 * vbe_mem_check - whether the device may access guest memory
 * @dev: the device
 * @addr: guest address
 * @len: how many bytes
 * @write: for writing (else for reading)
 *
 * Return: 0, -EFAULT when a byte is not mapped, -EACCES when the guest
 * mapped it for the other direction only.
 */
int vbe_mem_check(struct vbe_device *dev, u64 addr, u64 len, bool write)
{
	return vbe_mem_walk(dev, addr, NULL, len, write);
}

/**
 * vbe_mem_read - copy from guest memory
 * @dev: the device
 * @addr: guest address
 * @buf: where to
 * @len: how many bytes
 *
 * Return: 0, -EFAULT when a byte is not mapped or not reachable, -EACCES
 * when the guest mapped it write-only.
 */
int vbe_mem_read(struct vbe_device *dev, u64 addr, void *buf, size_t len)
{
	return vbe_mem_walk(dev, addr, buf, len, false);
}

/**
 * vbe_mem_write - copy to guest memory
 * @dev: the device
 * @addr: guest address
 * @buf: what
 * @len: how many bytes
 *
 * Return: 0, -EFAULT when a byte is not mapped or not reachable, -EACCES
 * when the guest mapped it read-only.
 */
int vbe_mem_write(struct vbe_device *dev, u64 addr, const void *buf,
		  size_t len)
{
	return vbe_mem_walk(dev, addr, (void *)buf, len, true);
}

/**
 * vbe_mem_set_map - take the guest memory map vhost-vdpa built
 * @dev: the device
 * @iotlb: the whole map; copied, since its owner changes it at will
 *
 * Return: 0, -ENOMEM, or -ENOSPC for a map of too many ranges; after a
 * refusal nothing is mapped.
 */
int vbe_mem_set_map(struct vbe_device *dev, struct vhost_iotlb *iotlb)
{
	struct vhost_iotlb *map_copy, *old;
	struct vhost_iotlb_map *map;
	int ret;

	map_copy = vhost_iotlb_alloc(VBE_MAP_RANGES_MAX, 0);
	if (!map_copy) {
		ret = -ENOMEM;
		goto refused;
	}
	for (map = vhost_iotlb_itree_first(iotlb, 0, U64_MAX); map;
	     map = vhost_iotlb_itree_next(map, 0, U64_MAX)) {
		ret = vhost_iotlb_add_range(map_copy, map->start, map->last,
					    map->addr, map->perm);
		if (ret) {
			if (ret == -ENOSPC)
				dev_warn_ratelimited(&dev->vdpa.dev,
						     "guest memory map refused: more than %d ranges\n",
						     VBE_MAP_RANGES_MAX);
			vhost_iotlb_free(map_copy);
			map_copy = NULL;
			goto refused;
		}
	}
	ret = 0;
refused:
	/*
	 * A refused map leaves nothing mapped rather than the old map:
	 * vhost-vdpa ignores some refusals, and the old map may name memory
	 * the owner took back.
	 */
	spin_lock(&dev->map_lock);
	old = dev->iotlb;
	dev->iotlb = map_copy;
	dev->identity = false;
	spin_unlock(&dev->map_lock);
	vhost_iotlb_free(old);
	return ret;
}

/**
 * vbe_mem_reset_map - back to the identity map
 * @dev: the device
 *
 * Which only virtio_vdpa may use; to anyone else the guest has no memory.
 */
void vbe_mem_reset_map(struct vbe_device *dev)
{
	struct vhost_iotlb *old;

	spin_lock(&dev->map_lock);
	old = dev->iotlb;
	dev->iotlb = NULL;
	dev->identity = true;
	spin_unlock(&dev->map_lock);
	vhost_iotlb_free(old);
}
