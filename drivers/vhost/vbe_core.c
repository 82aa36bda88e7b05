// SPDX-License-Identifier: GPL-2.0
/*
 * The back-end core's vDPA side: the config operations vhost-vdpa and
 * virtio_vdpa call, device status and reset. The thread that serves the
 * rings is vbe_worker.c's.
 *
 * Locking: dev->lock (a mutex) serializes the driver's requests with the
 * worker, which holds it for a whole pass over the rings. The guest memory
 * map has its own spinlock, never held while memory is touched: vhost-vdpa
 * replaces the map while it holds the owner's mmap lock, and the worker may
 * fault on the owner's memory with dev->lock held. kick_vq() may come from
 * atomic context and only queues work. get_status() and get_config() take
 * no mutex, so a driver callback that the worker runs may call them.
 *
 * Lifetime: the vDPA core frees the device (vbe_free()) when the last
 * reference goes, after the driver was unbound; the worker ends there.
 */

#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vhost_iotlb.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>
#include <uapi/linux/vhost_types.h>

#include "vbe_priv.h"

/* What the core implements for every device. */
#define VBE_FEATURES (BIT_ULL(VIRTIO_F_VERSION_1) |			\
		      BIT_ULL(VIRTIO_F_ACCESS_PLATFORM) |		\
		      BIT_ULL(VIRTIO_RING_F_INDIRECT_DESC) |		\
		      BIT_ULL(VIRTIO_RING_F_EVENT_IDX))
/* What a driver must accept: little-endian rings, addresses we translate. */
#define VBE_FEATURES_NEEDED (BIT_ULL(VIRTIO_F_VERSION_1) |		\
			     BIT_ULL(VIRTIO_F_ACCESS_PLATFORM))

static struct vbe_device *vdpa_to_vbe(struct vdpa_device *vdpa)
{
	return container_of(vdpa, struct vbe_device, vdpa);
}

/**
 * vbe_callback - interrupt the driver
 * @cb: the callback it set, if any
 *
 * Drivers' callbacks expect interrupt context; from the worker, bottom
 * halves are held off so that what they schedule (NAPI) runs after them.
 */
void vbe_callback(const struct vdpa_callback *cb)
{
	if (!cb->callback)
		return;
	local_bh_disable();
	cb->callback(cb->private);
	local_bh_enable();
}

/**
 * vbe_device_broken - the driver broke a rule: stop until it resets
 * @dev: the device, locked
 * @fmt: what happened, for the log
 *
 * Sets NEEDS_RESET, as the specification has a device do, and tells the
 * driver through a configuration interrupt. The log is rate-limited per
 * device: a guest must not flood the host's, nor silence another's.
 */
void vbe_device_broken(struct vbe_device *dev, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	lockdep_assert_held(&dev->lock);
	if (dev->status & VIRTIO_CONFIG_S_NEEDS_RESET)
		return;
	WRITE_ONCE(dev->status, dev->status | VIRTIO_CONFIG_S_NEEDS_RESET);
	if (__ratelimit(&dev->log_ratelimit)) {
		va_start(args, fmt);
		vaf.fmt = fmt;
		vaf.va = &args;
		dev_err(&dev->vdpa.dev, "%s: driver error, device needs reset: %pV\n",
			dev->info->name, &vaf);
		va_end(args);
	}
	vbe_callback(&dev->config_cb);
}
EXPORT_SYMBOL_GPL(vbe_device_broken);

/**
 * vbe_device_complain - say what a driver got wrong in a request the device
 *	answers with an error status (it goes on working)
 * @dev: the device
 * @fmt: what, printf-style
 *
 * One log line, rate-limited per device with vbe_device_broken()'s, so a
 * driver cannot flood the log and one device's lines do not hide another's.
 */
void vbe_device_complain(struct vbe_device *dev, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	if (!__ratelimit(&dev->log_ratelimit))
		return;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	dev_info(&dev->vdpa.dev, "%pV\n", &vaf);
	va_end(args);
}
EXPORT_SYMBOL_GPL(vbe_device_complain);

/**
 * vbe_stat_show - show a back-end device's counter in sysfs
 * @d: the vDPA device
 * @attr: an attribute made with VBE_STAT()
 * @buf: where to write
 *
 * Return: bytes written.
 */
ssize_t vbe_stat_show(struct device *d, struct device_attribute *attr,
		      char *buf)
{
	struct dev_ext_attribute *ea = container_of(attr, struct dev_ext_attribute,
						    attr);
	const unsigned long *val = (const void *)dev_to_vdpa(d) + (uintptr_t)ea->var;

	return sysfs_emit(buf, "%lu\n", READ_ONCE(*val));
}
EXPORT_SYMBOL_GPL(vbe_stat_show);

static int vbe_set_vq_address(struct vdpa_device *vdpa, u16 idx,
			      u64 desc_area, u64 driver_area, u64 device_area)
{
	struct vbe_device *dev = vdpa_to_vbe(vdpa);
	struct vbe_vq *vq = &dev->vqs[idx];

	int ret = 0;

	/* the ring in use stays where it was checked to be */
	mutex_lock(&dev->lock);
	if (vq->ready) {
		ret = -EBUSY;
	} else {
		vq->desc_addr = desc_area;
		vq->driver_addr = driver_area;
		vq->device_addr = device_area;
	}
	mutex_unlock(&dev->lock);
	return ret;
}

static void vbe_set_vq_num(struct vdpa_device *vdpa, u16 idx, u32 num)
{
	struct vbe_device *dev = vdpa_to_vbe(vdpa);

	mutex_lock(&dev->lock);
	if (dev->vqs[idx].ready)
		dev_info_ratelimited(&vdpa->dev,
				     "%s: queue %u: size change ignored while enabled\n",
				     dev->info->name, idx);
	else
		dev->vqs[idx].num = num;
	mutex_unlock(&dev->lock);
}

static void vbe_kick_vq(struct vdpa_device *vdpa, u16 idx)
{
	vbe_worker_kick(vdpa_to_vbe(vdpa));
}

static void vbe_set_vq_cb(struct vdpa_device *vdpa, u16 idx,
			  struct vdpa_callback *cb)
{
	struct vbe_device *dev = vdpa_to_vbe(vdpa);

	mutex_lock(&dev->lock);
	dev->vqs[idx].cb = *cb;
	mutex_unlock(&dev->lock);
}

static void vbe_set_vq_ready(struct vdpa_device *vdpa, u16 idx, bool ready)
{
	struct vbe_device *dev = vdpa_to_vbe(vdpa);
	struct vbe_vq *vq = &dev->vqs[idx];

	mutex_lock(&dev->lock);
	if (ready && !vq->ready) {
		if (!vbe_vq_check_layout(vq)) {
			vbe_vq_start(vq);
			vq->ready = true;
		}
	} else if (!ready) {
		vq->ready = false;
	}
	mutex_unlock(&dev->lock);
	if (ready)
		vbe_device_kick(dev);
}

static bool vbe_get_vq_ready(struct vdpa_device *vdpa, u16 idx)
{
	struct vbe_device *dev = vdpa_to_vbe(vdpa);
	bool ready;

	mutex_lock(&dev->lock);
	ready = dev->vqs[idx].ready;
	mutex_unlock(&dev->lock);
	return ready;
}

static int vbe_set_vq_state(struct vdpa_device *vdpa, u16 idx,
			    const struct vdpa_vq_state *state)
{
	struct vbe_device *dev = vdpa_to_vbe(vdpa);
	int ret = 0;

	mutex_lock(&dev->lock);
	if (dev->vqs[idx].ready)
		ret = -EBUSY;
	else
		dev->vqs[idx].last_avail_idx = state->split.avail_index;
	mutex_unlock(&dev->lock);
	return ret;
}

static int vbe_get_vq_state(struct vdpa_device *vdpa, u16 idx,
			    struct vdpa_vq_state *state)
{
	struct vbe_device *dev = vdpa_to_vbe(vdpa);

	mutex_lock(&dev->lock);
	state->split.avail_index = dev->vqs[idx].last_avail_idx;
	mutex_unlock(&dev->lock);
	return 0;
}

static u32 vbe_get_vq_align(struct vdpa_device *vdpa)
{
	return PAGE_SIZE;
}

static u64 vbe_get_device_features(struct vdpa_device *vdpa)
{
	return READ_ONCE(vdpa_to_vbe(vdpa)->offered);
}

static u64 vbe_get_backend_features(const struct vdpa_device *vdpa)
{
	return BIT_ULL(VHOST_BACKEND_F_ENABLE_AFTER_DRIVER_OK);
}

static int vbe_set_driver_features(struct vdpa_device *vdpa, u64 features)
{
	struct vbe_device *dev = vdpa_to_vbe(vdpa);
	u64 offered = vbe_get_device_features(vdpa);
	int ret = 0;

	mutex_lock(&dev->lock);
	if (dev->status & VIRTIO_CONFIG_S_FEATURES_OK) {
		ret = -EBUSY;
	} else if (!features) {
		/* the vDPA core's "none yet", before a config read */
		dev->features = 0;
	} else if (features & ~offered) {
		dev_info_ratelimited(&vdpa->dev, "%s: refused features %#llx: not offered\n",
				     dev->info->name, features & ~offered);
		ret = -EINVAL;
	} else if ((features & VBE_FEATURES_NEEDED) != VBE_FEATURES_NEEDED) {
		dev_info_ratelimited(&vdpa->dev,
				     "%s: refused features %#llx: VERSION_1 and ACCESS_PLATFORM are required\n",
				     dev->info->name, features);
		ret = -EINVAL;
	} else {
		dev->features = features;
	}
	mutex_unlock(&dev->lock);
	return ret;
}

static u64 vbe_get_driver_features(struct vdpa_device *vdpa)
{
	return vdpa_to_vbe(vdpa)->features;
}

static void vbe_set_config_cb(struct vdpa_device *vdpa,
			      struct vdpa_callback *cb)
{
	struct vbe_device *dev = vdpa_to_vbe(vdpa);

	mutex_lock(&dev->lock);
	dev->config_cb = *cb;
	mutex_unlock(&dev->lock);
}

static u16 vbe_get_vq_num_max(struct vdpa_device *vdpa)
{
	return VBE_QUEUE_MAX;
}

static u32 vbe_get_device_id(struct vdpa_device *vdpa)
{
	return vdpa_to_vbe(vdpa)->info->device_id;
}

static u32 vbe_get_vendor_id(struct vdpa_device *vdpa)
{
	return 0;
}

static u8 vbe_get_status(struct vdpa_device *vdpa)
{
	return READ_ONCE(vdpa_to_vbe(vdpa)->status);
}

/* Back to the state after creation; dev->lock held. */
static void vbe_do_reset(struct vbe_device *dev, bool clean_map)
{
	unsigned int i;

	for (i = 0; i < dev->nvqs; i++)
		vbe_vq_reset(&dev->vqs[i]);
	WRITE_ONCE(dev->status, 0);
	dev->suspended = false;
	dev->features = 0;
	dev->dma_api_driver = false;
	/* drivers set it after reset; an old one may be gone since */
	dev->config_cb.callback = NULL;
	dev->config_cb.private = NULL;
	WRITE_ONCE(dev->generation, dev->generation + 1);
	if (clean_map)
		vbe_mem_reset_map(dev);
	if (dev->info->reset)
		dev->info->reset(dev);
}

/* Whether the negotiated features let the device start; dev->lock held. */
static bool vbe_features_ok(struct vbe_device *dev)
{
	if ((dev->features & VBE_FEATURES_NEEDED) != VBE_FEATURES_NEEDED) {
		dev_info_ratelimited(&dev->vdpa.dev, "%s: FEATURES_OK refused: features %#llx lack VERSION_1 or ACCESS_PLATFORM\n",
				     dev->info->name, dev->features);
		return false;
	}
	return !dev->info->features_ok || !dev->info->features_ok(dev);
}

static void vbe_set_status(struct vdpa_device *vdpa, u8 status)
{
	struct vbe_device *dev = vdpa_to_vbe(vdpa);
	u8 old;

	mutex_lock(&dev->lock);
	old = dev->status;
	if (!status) {
		vbe_do_reset(dev, false);
		mutex_unlock(&dev->lock);
		return;
	}
	/* features the core or the back-end refuses: FEATURES_OK does not stick */
	if ((status & VIRTIO_CONFIG_S_FEATURES_OK) &&
	    !(old & VIRTIO_CONFIG_S_FEATURES_OK) && !vbe_features_ok(dev))
		status &= ~VIRTIO_CONFIG_S_FEATURES_OK;
	if ((status & VIRTIO_CONFIG_S_DRIVER_OK) &&
	    !(old & VIRTIO_CONFIG_S_DRIVER_OK) &&
	    !(status & VIRTIO_CONFIG_S_FEATURES_OK))
		vbe_device_broken(dev, "DRIVER_OK without FEATURES_OK");
	/* a broken device (maybe just now) stays broken until reset */
	WRITE_ONCE(dev->status, status | (dev->status & VIRTIO_CONFIG_S_NEEDS_RESET));
	mutex_unlock(&dev->lock);
	if (status & VIRTIO_CONFIG_S_DRIVER_OK)
		vbe_device_kick(dev);
}

static int vbe_compat_reset(struct vdpa_device *vdpa, u32 flags)
{
	struct vbe_device *dev = vdpa_to_vbe(vdpa);

	mutex_lock(&dev->lock);
	vbe_do_reset(dev, flags & VDPA_RESET_F_CLEAN_MAP);
	mutex_unlock(&dev->lock);
	return 0;
}

static int vbe_reset(struct vdpa_device *vdpa)
{
	return vbe_compat_reset(vdpa, 0);
}

/*
 * The rings are left as they are, to be read with get_vq_state(); a reset
 * starts the device afresh. Without a resume, vhost-vdpa offers none.
 */
static int vbe_suspend(struct vdpa_device *vdpa)
{
	struct vbe_device *dev = vdpa_to_vbe(vdpa);

	/* the worker serves under the lock: no pass is under way after it */
	mutex_lock(&dev->lock);
	dev->suspended = true;
	mutex_unlock(&dev->lock);
	return 0;
}

/*
 * A device without configuration fields still shows a few zero bytes:
 * QEMU's vhost-vdpa-device reads the whole space when it starts, and
 * vhost-vdpa refuses a read of length 0.
 */
#define VBE_CONFIG_SIZE_MIN 4

static size_t vbe_config_size(const struct vbe_device *dev)
{
	return max_t(size_t, dev->info->config_size, VBE_CONFIG_SIZE_MIN);
}

static size_t vbe_get_config_size(struct vdpa_device *vdpa)
{
	return vbe_config_size(vdpa_to_vbe(vdpa));
}

/**
 * vbe_device_get_config - read the configuration space
 * @dev: the device
 * @offset: where
 * @buf: where the bytes go
 * @len: how many; zeroes past the end of the space
 *
 * Any context but hard interrupts; no device lock needed.
 */
void vbe_device_get_config(struct vbe_device *dev, unsigned int offset,
			   void *buf, size_t len)
{
	size_t size = vbe_config_size(dev);

	if (offset > size || len > size - offset) {
		memset(buf, 0, len);
		return;
	}
	spin_lock(&dev->config_lock);
	memcpy(buf, dev->config + offset, len);
	spin_unlock(&dev->config_lock);
}
EXPORT_SYMBOL_GPL(vbe_device_get_config);

static void vbe_get_config(struct vdpa_device *vdpa, unsigned int offset,
			   void *buf, unsigned int len)
{
	vbe_device_get_config(vdpa_to_vbe(vdpa), offset, buf, len);
}

/**
 * vbe_device_set_config - change the configuration space
 * @dev: the device
 * @offset: where
 * @buf: the new bytes
 * @len: how many
 *
 * The driver is not told: see vbe_device_config_changed().
 */
void vbe_device_set_config(struct vbe_device *dev, unsigned int offset,
			   const void *buf, size_t len)
{
	if (WARN_ON_ONCE(offset > vbe_config_size(dev) ||
			 len > vbe_config_size(dev) - offset))
		return;
	spin_lock(&dev->config_lock);
	memcpy(dev->config + offset, buf, len);
	spin_unlock(&dev->config_lock);
}
EXPORT_SYMBOL_GPL(vbe_device_set_config);

/**
 * vbe_device_config_changed - send the driver a configuration interrupt
 * @dev: the device, locked
 */
void vbe_device_config_changed(struct vbe_device *dev)
{
	lockdep_assert_held(&dev->lock);
	vbe_callback(&dev->config_cb);
}
EXPORT_SYMBOL_GPL(vbe_device_config_changed);

/* No device of ours has a writable configuration field. */
static void vbe_set_config(struct vdpa_device *vdpa, unsigned int offset,
			   const void *buf, unsigned int len)
{
	dev_info_ratelimited(&vdpa->dev, "%s: ignored a write to configuration offset %u\n",
			     vdpa_to_vbe(vdpa)->info->name, offset);
}

static u32 vbe_get_generation(struct vdpa_device *vdpa)
{
	return READ_ONCE(vdpa_to_vbe(vdpa)->generation);
}

static struct vdpa_iova_range vbe_get_iova_range(struct vdpa_device *vdpa)
{
	return (struct vdpa_iova_range){ .first = 0, .last = U64_MAX };
}

static int vbe_set_map(struct vdpa_device *vdpa, unsigned int asid,
		       struct vhost_iotlb *iotlb)
{
	if (asid)
		return -EINVAL;
	return vbe_mem_set_map(vdpa_to_vbe(vdpa), iotlb);
}

static int vbe_reset_map(struct vdpa_device *vdpa, unsigned int asid)
{
	if (asid)
		return -EINVAL;
	vbe_mem_reset_map(vdpa_to_vbe(vdpa));
	return 0;
}

/*
 * A driver that asks which device its buffers are DMA-mapped on maps them
 * with the DMA API, on a device without an IOMMU: its addresses are
 * physical. vhost-vdpa never asks; it passes user addresses in a map.
 */
static union virtio_map vbe_get_vq_map(struct vdpa_device *vdpa, u16 idx)
{
	struct vbe_device *dev = vdpa_to_vbe(vdpa);

	mutex_lock(&dev->lock);
	WRITE_ONCE(dev->dma_api_driver, true);
	mutex_unlock(&dev->lock);
	return (union virtio_map){ .dma_dev = vx_vdpa_dma_dev(vdpa) };
}

#define VX_GET_VQ_MAP_IMPL vbe_get_vq_map
#include <vx-compat/vdpa_vq_map_op.h>

static int vbe_bind_mm(struct vdpa_device *vdpa, struct mm_struct *mm)
{
	return vbe_worker_bind_owner(vdpa_to_vbe(vdpa), mm);
}

static void vbe_unbind_mm(struct vdpa_device *vdpa)
{
	vbe_worker_unbind_owner(vdpa_to_vbe(vdpa));
}

static void vbe_free(struct vdpa_device *vdpa)
{
	struct vbe_device *dev = vdpa_to_vbe(vdpa);

	vbe_worker_exit(dev);
	vbe_mem_reset_map(dev);
	if (dev->vqs) {
		unsigned int i;

		for (i = 0; i < dev->nvqs; i++)
			kvfree(dev->vqs[i].segments);
	}
	kfree(dev->vqs);
	kfree(dev->config);
	mutex_destroy(&dev->lock);
}

static const struct vdpa_config_ops vbe_config_ops = {
	.set_vq_address		= vbe_set_vq_address,
	.set_vq_num		= vbe_set_vq_num,
	.kick_vq		= vbe_kick_vq,
	.set_vq_cb		= vbe_set_vq_cb,
	.set_vq_ready		= vbe_set_vq_ready,
	.get_vq_ready		= vbe_get_vq_ready,
	.set_vq_state		= vbe_set_vq_state,
	.get_vq_state		= vbe_get_vq_state,
	.get_vq_align		= vbe_get_vq_align,
	.get_device_features	= vbe_get_device_features,
	.get_backend_features	= vbe_get_backend_features,
	.set_driver_features	= vbe_set_driver_features,
	.get_driver_features	= vbe_get_driver_features,
	.set_config_cb		= vbe_set_config_cb,
	.get_vq_num_max		= vbe_get_vq_num_max,
	.get_device_id		= vbe_get_device_id,
	.get_vendor_id		= vbe_get_vendor_id,
	.get_status		= vbe_get_status,
	.set_status		= vbe_set_status,
	.reset			= vbe_reset,
	.compat_reset		= vbe_compat_reset,
	.suspend		= vbe_suspend,
	.get_config_size	= vbe_get_config_size,
	.get_config		= vbe_get_config,
	.set_config		= vbe_set_config,
	.get_generation		= vbe_get_generation,
	.get_iova_range		= vbe_get_iova_range,
	.set_map		= vbe_set_map,
	.reset_map		= vbe_reset_map,
	VX_VDPA_VQ_MAP_OP,
	.bind_mm		= vbe_bind_mm,
	.unbind_mm		= vbe_unbind_mm,
	.free			= vbe_free,
};

/**
 * vbe_device_alloc - allocate a back-end device
 * @info: the device's description, which must outlive it
 * @mgmt: the management device creating it
 * @name: the vDPA device name the user chose
 * @size: size of the back-end's structure, which starts with the
 *	struct vbe_device
 *
 * Return: the device, or an ERR_PTR(): -ENOSPC when @mgmt has as many
 * devices as it allows. Until it is registered, and after a failed
 * registration, drop it with vbe_device_discard().
 */
struct vbe_device *vbe_device_alloc(const struct vbe_device_info *info,
				    struct vbe_mgmt *mgmt,
				    const char *name, size_t size)
{
	struct vdpa_device *vdpa;
	struct vbe_device *dev;
	unsigned int i;
	int ret;

	if (atomic_inc_return(&mgmt->count) > mgmt->max_devices) {
		atomic_dec(&mgmt->count);
		pr_info_ratelimited("%s: device %s refused: %u devices exist, the most max_devices allows\n",
				    info->name, name, mgmt->max_devices);
		return ERR_PTR(-ENOSPC);
	}
	vdpa = __vdpa_alloc_device(NULL, &vbe_config_ops, NULL, 1, 1, size,
				   name, true);
	if (IS_ERR(vdpa)) {
		atomic_dec(&mgmt->count);
		return ERR_CAST(vdpa);
	}
	dev = vdpa_to_vbe(vdpa);
	dev->info = info;
	dev->mgmt = mgmt;
	dev->offered = info->features | VBE_FEATURES;
	mutex_init(&dev->lock);
	spin_lock_init(&dev->config_lock);
	spin_lock_init(&dev->map_lock);
	dev->identity = true;
	ratelimit_state_init(&dev->log_ratelimit, DEFAULT_RATELIMIT_INTERVAL,
			     DEFAULT_RATELIMIT_BURST);
	ret = vbe_worker_init(dev);
	if (ret)
		goto err;
	vdpa->mdev = &mgmt->vdpa;
	/* virtio_vdpa maps buffers on the device itself: no IOMMU, 64 bits */
	vx_vdpa_dma_dev(vdpa) = &vdpa->dev;
	vdpa->dev.dma_mask = &vdpa->dev.coherent_dma_mask;
#if defined(CONFIG_ARCH_HAS_SYNC_DMA_FOR_DEVICE) || \
	defined(CONFIG_ARCH_HAS_SYNC_DMA_FOR_CPU) || \
	defined(CONFIG_ARCH_HAS_SYNC_DMA_FOR_CPU_ALL)
	/* the worker reads and writes through the CPU's caches */
	vdpa->dev.dma_coherent = true;
#endif
	ret = dma_set_mask_and_coherent(&vdpa->dev, DMA_BIT_MASK(64));
	if (ret)
		goto err;

	ret = -ENOMEM;
	dev->config = kzalloc(vbe_config_size(dev), GFP_KERNEL);
	dev->vqs = kcalloc(info->nvqs, sizeof(*dev->vqs), GFP_KERNEL);
	if (!dev->config || !dev->vqs)
		goto err;
	dev->nvqs = info->nvqs;
	for (i = 0; i < dev->nvqs; i++) {
		struct vbe_vq *vq = &dev->vqs[i];

		vq->dev = dev;
		vq->index = i;
		vq->segments = kvcalloc(VBE_QUEUE_MAX, sizeof(*vq->segments),
					GFP_KERNEL);
		if (!vq->segments)
			goto err;
		vbe_vq_reset(vq);
	}
	return dev;

err:
	vbe_device_discard(dev);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(vbe_device_alloc);

/**
 * vbe_device_discard - drop a device that was never registered
 * @dev: the device, from vbe_device_alloc()
 */
void vbe_device_discard(struct vbe_device *dev)
{
	struct vbe_mgmt *mgmt = dev->mgmt;

	put_device(&dev->vdpa.dev);
	atomic_dec(&mgmt->count);
}
EXPORT_SYMBOL_GPL(vbe_device_discard);

/**
 * vbe_device_register - put a device on the vDPA bus
 * @dev: the device, from vbe_device_alloc()
 *
 * Called from a management device's dev_add(). On failure (a name already
 * taken, say) the device stays the caller's, as with
 * _vdpa_register_device(): the caller undoes what it set up around the
 * device, then drops it with vbe_device_discard().
 *
 * Return: 0 or a negative errno.
 */
int vbe_device_register(struct vbe_device *dev)
{
	return _vdpa_register_device(&dev->vdpa, dev->nvqs);
}
EXPORT_SYMBOL_GPL(vbe_device_register);

/**
 * vbe_device_unregister - take a device off the vDPA bus
 * @dev: the device
 *
 * Called from a management device's dev_del(). The driver is unbound first
 * (vhost-vdpa waits until its user closes the device); the device is freed
 * when its last reference goes.
 */
void vbe_device_unregister(struct vbe_device *dev)
{
	struct vbe_mgmt *mgmt = dev->mgmt;

	_vdpa_unregister_device(&dev->vdpa);
	atomic_dec(&mgmt->count);
}
EXPORT_SYMBOL_GPL(vbe_device_unregister);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("virtio-extra developers");
MODULE_DESCRIPTION("Core of the virtio-extra vDPA back-ends: rings, guest memory, worker");
