// SPDX-License-Identifier: GPL-2.0
/*
 * vhost-rng: a virtio entropy device (device ID 4) that fills the guest's
 * buffers from the kernel's CRNG, as an in-kernel vDPA back-end. Created
 * with iproute2's vdpa tool:
 *
 *	vdpa dev add name rng0 mgmtdev vhost_rng
 *
 * then reached by a VMM through vhost-vdpa, or by the host's own virtio_rng
 * through virtio_vdpa. Each device can be limited to a rate in bytes per
 * second (sysfs attribute rate_limit), so one guest cannot use the host's
 * CPU for entropy without bound.
 */

#include <linux/device.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/sysfs.h>
#include <uapi/linux/virtio_ids.h>

#include "vbe.h"

/* At most this much per request: the device may fill less than a buffer. */
#define VHOST_RNG_REQUEST_MAX SZ_64K
/* Requests served per pass, before other devices and reset get a turn. */
#define VHOST_RNG_BUDGET 64
/* How long to wait for the CRNG to be seeded before looking again. */
#define VHOST_RNG_SEED_WAIT (HZ / 10)

static struct vbe_mgmt vhost_rng_mgmt;

/**
 * struct vhost_rng - one entropy device
 * @core: the back-end core's device
 * @limit: the limit the administrator set, in bytes per second, 0 for
 *	none; written and read without a lock
 * @limit_set: @limit changed since the worker took it (bit 0)
 * @rate: the limit the worker applies, taken from @limit
 * @tokens: bytes that may be served now (token bucket)
 * @refilled: when @tokens was last brought up to date, in ns
 * @served: bytes given to the guest since creation
 * @buf: random bytes for the guest, drawn from the CRNG a page at a time:
 *	a draw costs about as much for 64 bytes as for a page
 * @pooled: bytes at the start of @buf not handed out yet; each byte goes
 *	out once, and is zeroed then
 *
 * @rate, @tokens, @refilled, @buf and @pooled are the worker's, under the
 * core's device lock. Setting the limit takes no lock: the administrator never waits
 * for a guest, even one whose memory never answers.
 */
struct vhost_rng {
	struct vbe_device core;
	u32 limit;
	unsigned long limit_set;
	u32 rate;
	u64 tokens;
	u64 refilled;
	atomic64_t served;
	u8 buf[PAGE_SIZE];
	size_t pooled;
};

/* the vDPA core allocates it: the vDPA device comes first */
static_assert(offsetof(struct vhost_rng, core.vdpa) == 0);

static struct vhost_rng *to_vhost_rng(struct device *d)
{
	return container_of(dev_to_vdpa(d), struct vhost_rng, core.vdpa);
}

/* The bucket holds an eighth of a second: short bursts, no long ones. */
static u64 vhost_rng_burst(const struct vhost_rng *rng)
{
	return max_t(u64, rng->rate / 8, 1);
}

static void vhost_rng_refill(struct vhost_rng *rng)
{
	u64 now = ktime_get_ns();
	u64 elapsed = min_t(u64, now - rng->refilled, NSEC_PER_SEC);

	rng->tokens = min(vhost_rng_burst(rng),
			  rng->tokens + div_u64(elapsed * rng->rate, NSEC_PER_SEC));
	rng->refilled = now;
}

/*
 * A full bucket, when a limit is set; not on device reset, or a driver
 * could reset its way past the limit.
 */
static void vhost_rng_fill_bucket(struct vhost_rng *rng)
{
	rng->tokens = vhost_rng_burst(rng);
	rng->refilled = ktime_get_ns();
}

/*
 * How many of len bytes may be served now: all without a limit, else what
 * the bucket holds. When that is nothing, *delay says when to look again.
 */
static u64 vhost_rng_allow(struct vhost_rng *rng, u64 len, long *delay)
{
	u64 need, wait;

	if (test_and_clear_bit(0, &rng->limit_set)) {
		rng->rate = READ_ONCE(rng->limit);
		vhost_rng_fill_bucket(rng);
	}
	if (!rng->rate)
		return len;
	vhost_rng_refill(rng);
	if (rng->tokens) {
		len = min(len, rng->tokens);
		rng->tokens -= len;
		return len;
	}
	need = min(len, vhost_rng_burst(rng));
	wait = div_u64(need * NSEC_PER_SEC, rng->rate);
	*delay = max_t(long, 1, nsecs_to_jiffies(wait));
	return 0;
}

/* n (at most a page) random bytes, for the caller to zero once used. */
static u8 *vhost_rng_bytes(struct vhost_rng *rng, size_t n)
{
	if (rng->pooled < n) {
		get_random_bytes(rng->buf, sizeof(rng->buf));
		rng->pooled = sizeof(rng->buf);
	}
	rng->pooled -= n;
	return rng->buf + rng->pooled;
}

static long vhost_rng_handle_vq(struct vbe_device *core, struct vbe_vq *vq)
{
	struct vhost_rng *rng = container_of(core, struct vhost_rng, core);
	struct vbe_chain chain;
	unsigned int served;
	long delay = 0;
	int ret;

	/* never hand out bytes from an unseeded CRNG */
	if (!rng_is_initialized())
		return VHOST_RNG_SEED_WAIT;

	for (served = 0; served < VHOST_RNG_BUDGET; served++) {
		u64 len, done;
		size_t n;

		if (vbe_vq_pop(vq, &chain) <= 0)
			return 0;
		if (chain.nr_out) {
			vbe_device_broken(core,
					  "request %u has device-readable buffers; entropy requests are device-writable only",
					  chain.head);
			return 0;
		}
		len = vhost_rng_allow(rng, min_t(u64, chain.in_len,
						 VHOST_RNG_REQUEST_MAX), &delay);
		if (!len && chain.in_len) {
			vbe_vq_unpop(vq);
			return delay;
		}
		for (done = 0; done < len; done += n) {
			u8 *bytes;

			n = min_t(u64, len - done, sizeof(rng->buf));
			bytes = vhost_rng_bytes(rng, n);
			ret = vbe_chain_write(vq, &chain, done, bytes, n);
			/* the guest's bytes stay nowhere else */
			memzero_explicit(bytes, n);
			if (ret)
				return 0;
		}
		if (vbe_vq_push(vq, &chain, len))
			return 0;
		atomic64_add(len, &rng->served);
	}
	return VBE_AGAIN;
}

/* What is left of the pool goes to no one: not the next driver either. */
static void vhost_rng_reset(struct vbe_device *core)
{
	struct vhost_rng *rng = container_of(core, struct vhost_rng, core);

	memzero_explicit(rng->buf, rng->pooled);
	rng->pooled = 0;
}

static const struct vbe_device_info vhost_rng_info = {
	.name = "vhost-rng",
	.device_id = VIRTIO_ID_RNG,
	.nvqs = 1,
	.handle_vq = vhost_rng_handle_vq,
	.reset = vhost_rng_reset,
};

static ssize_t rate_limit_show(struct device *d, struct device_attribute *attr,
			       char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(to_vhost_rng(d)->limit));
}

static ssize_t rate_limit_store(struct device *d, struct device_attribute *attr,
				const char *buf, size_t count)
{
	struct vhost_rng *rng = to_vhost_rng(d);
	u32 rate;
	int ret;

	ret = kstrtou32(buf, 0, &rate);
	if (ret) {
		dev_info_ratelimited(d,
				     "rate_limit: not a number of bytes per second from 0 (no limit) to %u\n",
				     U32_MAX);
		return ret;
	}
	WRITE_ONCE(rng->limit, rate);
	/* the limit before the bit: the worker takes both */
	smp_mb__before_atomic();
	set_bit(0, &rng->limit_set);
	/* a throttled queue may be served sooner now */
	vbe_device_kick(&rng->core);
	return count;
}
static DEVICE_ATTR_RW(rate_limit);

static ssize_t served_bytes_show(struct device *d,
				 struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n", atomic64_read(&to_vhost_rng(d)->served));
}
static DEVICE_ATTR_RO(served_bytes);

static struct attribute *vhost_rng_attrs[] = {
	&dev_attr_rate_limit.attr,
	&dev_attr_served_bytes.attr,
	NULL
};
ATTRIBUTE_GROUPS(vhost_rng);

static int vhost_rng_dev_add(struct vdpa_mgmt_dev *mdev, const char *name,
			     const struct vdpa_dev_set_config *config)
{
	struct vbe_device *core;
	struct vhost_rng *rng;
	int ret;

	core = vbe_device_alloc(&vhost_rng_info, &vhost_rng_mgmt, name,
				sizeof(*rng));
	if (IS_ERR(core))
		return PTR_ERR(core);
	rng = container_of(core, struct vhost_rng, core);
	rng->core.vdpa.dev.groups = vhost_rng_groups;
	ret = vbe_device_register(core);
	if (ret)
		vbe_device_discard(core);
	return ret;
}

static void vhost_rng_dev_del(struct vdpa_mgmt_dev *mdev,
			      struct vdpa_device *vdpa)
{
	struct vbe_device *core = container_of(vdpa, struct vbe_device, vdpa);

	/* unbound from its driver: nothing runs any more */
	vbe_device_unregister(core);
	mutex_lock(&core->lock);
	vhost_rng_reset(core);
	mutex_unlock(&core->lock);
}

static const struct vdpa_mgmtdev_ops vhost_rng_mgmt_ops = {
	.dev_add = vhost_rng_dev_add,
	.dev_del = vhost_rng_dev_del,
};

static struct virtio_device_id vhost_rng_id_table[] = {
	{ VIRTIO_ID_RNG, VIRTIO_DEV_ANY_ID },
	{ 0 },
};

static struct vbe_mgmt vhost_rng_mgmt = {
	.vdpa = {
		.ops = &vhost_rng_mgmt_ops,
		.id_table = vhost_rng_id_table,
		.max_supported_vqs = 1,
	},
	.max_devices = 16,
};
module_param_named(max_devices, vhost_rng_mgmt.max_devices, uint, 0444);
MODULE_PARM_DESC(max_devices, "Most vhost-rng devices at once (default 16)");

static int __init vhost_rng_init(void)
{
	return vbe_mgmt_register(&vhost_rng_mgmt, "vhost_rng");
}

/* Removes every device first (vhost-vdpa waits for its users to close). */
static void __exit vhost_rng_exit(void)
{
	vbe_mgmt_unregister(&vhost_rng_mgmt);
}

module_init(vhost_rng_init);
module_exit(vhost_rng_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("virtio-extra developers");
MODULE_DESCRIPTION("vhost-rng: in-kernel virtio entropy device (vDPA back-end) fed by the CRNG");
