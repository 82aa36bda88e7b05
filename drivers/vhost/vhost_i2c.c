// SPDX-License-Identifier: GPL-2.0
/*
 * vhost-i2c: a virtio I2C adapter (device ID 34, VIRTIO 1.2) on a host I2C
 * adapter, as an in-kernel vDPA back-end. Made with iproute2's vdpa tool
 * and given its adapter and the target addresses it may reach through
 * sysfs:
 *
 *	vdpa dev add name i2c0v mgmtdev vhost_i2c
 *	echo i2c-3 > /sys/bus/vdpa/devices/i2c0v/adapter
 *	echo 0x50-0x57 0x1c > /sys/bus/vdpa/devices/i2c0v/allow
 *
 * A group of requests (each but the last with FAIL_NEXT) is one transfer
 * on the host adapter, with repeated STARTs and nobody else's messages in
 * between. Where the adapter speaks SMBus only (a PC's SMBus controller,
 * i2c-stub), the groups SMBus can express are translated and the others
 * fail. Nothing is reachable by default: no adapter, no address.
 */

#include <linux/ctype.h>
#include <linux/i2c.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sysfs.h>
#include <linux/virtio_extra/virtio_i2c.h>

#include "vbe.h"

#define VHOST_I2C_FLAGS_KNOWN (VIRTIO_I2C_FLAGS_FAIL_NEXT | VIRTIO_I2C_FLAGS_M_RD)
/* Messages in one transfer, as I2C_RDWR allows. */
#define VHOST_I2C_GROUP_MAX 42
/* Data bytes in one transfer, as i2c-dev allows in one message. */
#define VHOST_I2C_GROUP_BYTES 8192
/* Device-writable pieces of a request: data and status. */
#define VHOST_I2C_IN_SEGMENTS 4
/* Transfers per pass, before other devices and reset get a turn. */
#define VHOST_I2C_BUDGET 16
/* Entries in the allowlist. */
#define VHOST_I2C_ALLOW_MAX 32
/* How the allowlist writes a 10-bit address, as the kernel's new_device. */
#define VHOST_I2C_TEN_BIT 0xa000

/**
 * struct vhost_i2c_range - reachable target addresses
 * @first: the first address
 * @last: the last one
 * @ten: 10-bit addresses, else 7-bit
 */
struct vhost_i2c_range {
	u16 first;
	u16 last;
	bool ten;
};

/**
 * struct vhost_i2c_allowlist - what the guest may reach
 * @n: entries
 * @range: the entries
 */
struct vhost_i2c_allowlist {
	unsigned int n;
	struct vhost_i2c_range range[VHOST_I2C_ALLOW_MAX];
};

/**
 * struct vhost_i2c_request - one request of a group, taken off the ring
 * @head: its chain's head
 * @addr: the target address (7 or 10 bits)
 * @ten: a 10-bit address
 * @read: a read
 * @fail_next: the driver set FAIL_NEXT: the group goes on
 * @invalid: why the request breaks the specification, or NULL
 * @len: data bytes
 * @buf: the data, in the group's buffer
 * @nr_in: device-writable segments
 * @in_len: their length, the status byte last
 * @in: the device-writable segments: read data, then the status (just
 *	the status byte when there are too many pieces)
 */
struct vhost_i2c_request {
	u16 head;
	u16 addr;
	bool ten;
	bool read;
	bool fail_next;
	const char *invalid;
	u16 len;
	u8 *buf;
	unsigned int nr_in;
	u64 in_len;
	struct vbe_segment in[VHOST_I2C_IN_SEGMENTS];
};

/**
 * struct vhost_i2c_stats - what happened to the guest's requests; a group
 *	of requests is one transfer
 * @transfers: transfers made on the host adapter
 * @messages: requests that succeeded
 * @adapter_errors: transfers the host adapter or its targets failed
 * @refused: groups to an address not allowed, or with no adapter bound
 * @invalid: groups with a request that breaks the specification
 * @unsupported: groups the adapter cannot express (SMBus, 10-bit)
 */
struct vhost_i2c_stats {
	unsigned long transfers;
	unsigned long messages;
	unsigned long adapter_errors;
	unsigned long refused;
	unsigned long invalid;
	unsigned long unsupported;
};

/**
 * struct vhost_i2c - one I2C device
 * @core: the back-end core's device
 * @node: in vhost_i2c_devices, for the adapter notifier
 * @settings_lock: protects @adapter, @allow and @in_use: what the
 *	administrator sets and the adapter notifier takes away
 * @adapter: the host adapter, held, or NULL
 * @allow: the addresses the guest may reach
 * @in_use: a driver accepted the features since the last reset: the
 *	adapter stays bound
 * @failing: the last request failed with FAIL_NEXT: fail the next
 * @nreq: requests in @req
 * @used: bytes of @buf they use
 * @req: the group being taken or served
 * @msgs: its messages for the host adapter
 * @stats: counters
 * @buf: the group's data
 *
 * The rest but @node and @stats is the worker's, under the core's device
 * lock; @stats are written under it and read without. The worker takes
 * @settings_lock only to decide on a group and to pin its adapter, never
 * across guest memory or a transfer: an owner whose memory never answers
 * (a userfaultfd) holds up neither the administrator nor the removal of
 * an adapter. Order: core.lock, then @settings_lock.
 */
struct vhost_i2c {
	struct vbe_device core;
	struct list_head node;
	struct mutex settings_lock; /* adapter, allow, in_use */
	struct i2c_adapter *adapter;
	struct vhost_i2c_allowlist allow;
	bool in_use;
	bool failing;
	unsigned int nreq;
	unsigned int used;
	struct vhost_i2c_request req[VHOST_I2C_GROUP_MAX];
	struct i2c_msg msgs[VHOST_I2C_GROUP_MAX];
	struct vhost_i2c_stats stats;
	u8 buf[VHOST_I2C_GROUP_BYTES];
};

/* the vDPA core allocates it: the vDPA device comes first */
static_assert(offsetof(struct vhost_i2c, core.vdpa) == 0);

static struct vbe_mgmt vhost_i2c_mgmt;

/* Every device, for the notifier that takes adapters away. */
static LIST_HEAD(vhost_i2c_devices);
static DEFINE_MUTEX(vhost_i2c_devices_lock);

static struct vhost_i2c *to_vhost_i2c(struct device *d)
{
	return container_of(dev_to_vdpa(d), struct vhost_i2c, core.vdpa);
}

static struct device *vhost_i2c_dev(struct vhost_i2c *i2c)
{
	return &i2c->core.vdpa.dev;
}

static void vhost_i2c_count(unsigned long *stat, unsigned long n)
{
	WRITE_ONCE(*stat, *stat + n);
}

/*
 * The address as the specification encodes it: 7-bit as addr << 1;
 * 10-bit with 11110 and A9..A8 in the low byte, A7..A0 in the high one.
 */
static const char *vhost_i2c_decode_addr(u16 raw, u16 *addr, bool *ten)
{
	u8 low = raw & 0xff, high = raw >> 8;

	if (low & 1)
		return "address bit 0 set";
	if ((low & 0xf8) == 0xf0) {
		*ten = true;
		*addr = (low & 0x06) << 7 | high;
		return NULL;
	}
	if (high)
		return "7-bit address with high byte set";
	*ten = false;
	*addr = low >> 1;
	return NULL;
}

static bool vhost_i2c_allowed(const struct vhost_i2c_allowlist *list,
			      u16 addr, bool ten)
{
	unsigned int i;

	for (i = 0; i < list->n; i++) {
		const struct vhost_i2c_range *r = &list->range[i];

		if (r->ten == ten && addr >= r->first && addr <= r->last)
			return true;
	}
	return false;
}

/* What follows an address in log lines: nothing, or that it is 10-bit. */
static const char *vhost_i2c_addr_kind(const struct vhost_i2c_request *req)
{
	return req->ten ? " (10-bit)" : "";
}

/*
 * Take one request off the ring: check its shape, copy what it writes.
 * Requests that break the specification are kept with the reason, to fail
 * with their group; only a chain without room for the status is beyond
 * answering.
 */
static int vhost_i2c_take(struct vhost_i2c *i2c, struct vbe_vq *vq,
			  const struct vbe_chain *chain,
			  struct vhost_i2c_request *req)
{
	const struct vbe_segment *in = &chain->segments[chain->nr_out];
	struct virtio_i2c_out_hdr hdr;
	u64 data_len;
	u32 flags;

	memset(req, 0, sizeof(*req));
	req->head = chain->head;
	if (!chain->in_len) {
		vbe_device_broken(&i2c->core,
				  "request %u has no device-writable status byte",
				  chain->head);
		return -EPROTO;
	}
	req->in_len = chain->in_len;
	if (chain->nr_in <= VHOST_I2C_IN_SEGMENTS) {
		req->nr_in = chain->nr_in;
		memcpy(req->in, in, chain->nr_in * sizeof(*in));
	} else {
		/* only the status, the last byte of the last piece not empty */
		const struct vbe_segment *last = &in[chain->nr_in - 1];

		while (!last->len)
			last--;
		req->nr_in = 1;
		req->in_len = 1;
		req->in[0].addr = last->addr + last->len - 1;
		req->in[0].len = 1;
		req->invalid = "device-writable part in more than 4 pieces";
	}

	if (chain->out_len < sizeof(hdr)) {
		req->invalid = "device-readable part shorter than the 8-byte header";
		return 0;
	}
	if (vbe_chain_read(vq, chain, 0, &hdr, sizeof(hdr)))
		return -EFAULT;
	flags = le32_to_cpu(hdr.flags);
	req->fail_next = flags & VIRTIO_I2C_FLAGS_FAIL_NEXT;
	req->read = flags & VIRTIO_I2C_FLAGS_M_RD;
	if (req->invalid)
		return 0;
	if (flags & ~VHOST_I2C_FLAGS_KNOWN) {
		req->invalid = "reserved flags set";
		return 0;
	}
	if (hdr.padding) {
		req->invalid = "padding not zero";
		return 0;
	}
	req->invalid = vhost_i2c_decode_addr(le16_to_cpu(hdr.addr), &req->addr,
					     &req->ten);
	if (req->invalid)
		return 0;
	if (req->read && chain->out_len > sizeof(hdr)) {
		req->invalid = "read request with data to write";
		return 0;
	}
	if (!req->read && chain->in_len > 1) {
		req->invalid = "write request with data to read";
		return 0;
	}
	data_len = req->read ? chain->in_len - 1 : chain->out_len - sizeof(hdr);
	if (data_len > VHOST_I2C_GROUP_BYTES - i2c->used) {
		req->invalid = "more data than the 8192 bytes of a transfer";
		return 0;
	}
	req->len = data_len;
	req->buf = i2c->buf + i2c->used;
	i2c->used += data_len;
	if (!req->read && vbe_chain_read(vq, chain, sizeof(hdr), req->buf,
					 req->len))
		return -EFAULT;
	return 0;
}

/*
 * Take the requests of the group, up to the first without FAIL_NEXT.
 * Return: 1 with the group whole, 0 when the ring is empty (what was taken
 * of an unfinished group stays, to go on when the driver publishes more),
 * a negative errno when the device broke.
 */
static int vhost_i2c_take_group(struct vhost_i2c *i2c, struct vbe_vq *vq)
{
	struct vhost_i2c_request *req;
	struct vbe_chain chain;
	int ret;

	for (;;) {
		ret = vbe_vq_pop(vq, &chain);
		if (ret <= 0)
			return ret;
		req = &i2c->req[i2c->nreq++];
		ret = vhost_i2c_take(i2c, vq, &chain, req);
		if (ret)
			return ret;
		if (!req->fail_next)
			return 1;
		/* a group the ring or a transfer cannot hold never ends */
		if (i2c->nreq == VHOST_I2C_GROUP_MAX || i2c->nreq == vq->num) {
			req->invalid = "group longer than 42 requests or the ring";
			return 1;
		}
	}
}

/*
 * Each group pattern SMBus has a transaction for, by the adapter's
 * functionality; the rest cannot be expressed.
 */
static int vhost_i2c_smbus_size(u32 func, const struct vhost_i2c_request *w,
				const struct vhost_i2c_request *r)
{
	if (!r && !w->read) {
		if (w->len == 0 && (func & I2C_FUNC_SMBUS_QUICK))
			return I2C_SMBUS_QUICK;
		if (w->len == 1 && (func & I2C_FUNC_SMBUS_WRITE_BYTE))
			return I2C_SMBUS_BYTE;
		if (w->len == 2 && (func & I2C_FUNC_SMBUS_WRITE_BYTE_DATA))
			return I2C_SMBUS_BYTE_DATA;
		if (w->len == 3 && (func & I2C_FUNC_SMBUS_WRITE_WORD_DATA))
			return I2C_SMBUS_WORD_DATA;
		if (w->len >= 2 && w->len <= I2C_SMBUS_BLOCK_MAX + 1 &&
		    (func & I2C_FUNC_SMBUS_WRITE_I2C_BLOCK))
			return I2C_SMBUS_I2C_BLOCK_DATA;
		/* command, count, data: an SMBus block write on the wire */
		if (w->len >= 3 && w->len <= I2C_SMBUS_BLOCK_MAX + 2 &&
		    w->buf[1] == w->len - 2 &&
		    (func & I2C_FUNC_SMBUS_WRITE_BLOCK_DATA))
			return I2C_SMBUS_BLOCK_DATA;
		return -1;
	}
	if (!r) {
		if (w->len == 0 && (func & I2C_FUNC_SMBUS_QUICK))
			return I2C_SMBUS_QUICK;
		if (w->len == 1 && (func & I2C_FUNC_SMBUS_READ_BYTE))
			return I2C_SMBUS_BYTE;
		return -1;
	}
	/* write a command, read its answer, at one target */
	if (w->read || !r->read || w->len != 1 || w->addr != r->addr ||
	    w->ten != r->ten)
		return -1;
	if (r->len == 1 && (func & I2C_FUNC_SMBUS_READ_BYTE_DATA))
		return I2C_SMBUS_BYTE_DATA;
	if (r->len == 2 && (func & I2C_FUNC_SMBUS_READ_WORD_DATA))
		return I2C_SMBUS_WORD_DATA;
	if (r->len >= 1 && r->len <= I2C_SMBUS_BLOCK_MAX &&
	    (func & I2C_FUNC_SMBUS_READ_I2C_BLOCK))
		return I2C_SMBUS_I2C_BLOCK_DATA;
	/* count, data: what an SMBus block read returns */
	if (r->len >= 2 && r->len <= I2C_SMBUS_BLOCK_MAX + 1 &&
	    (func & I2C_FUNC_SMBUS_READ_BLOCK_DATA))
		return I2C_SMBUS_BLOCK_DATA;
	return -1;
}

/*
 * The group as the SMBus transaction size (I2C_SMBUS_*) says, the
 * command being the first byte written. Return: 0 or a negative errno.
 */
static int vhost_i2c_smbus(struct vhost_i2c *i2c, struct i2c_adapter *adap,
			   int size)
{
	struct vhost_i2c_request *w = &i2c->req[0];
	struct vhost_i2c_request *data_req = &i2c->req[i2c->nreq - 1];
	union i2c_smbus_data data = {};
	u8 command = 0;
	int ret;

	if (!w->read && w->len)
		command = w->buf[0];
	if (data_req->read && size == I2C_SMBUS_I2C_BLOCK_DATA)
		data.block[0] = data_req->len;
	if (!data_req->read) {
		switch (size) {
		case I2C_SMBUS_BYTE_DATA:
			data.byte = w->buf[1];
			break;
		case I2C_SMBUS_WORD_DATA:
			data.word = w->buf[1] | w->buf[2] << 8;
			break;
		case I2C_SMBUS_I2C_BLOCK_DATA:
			data.block[0] = w->len - 1;
			memcpy(&data.block[1], &w->buf[1], w->len - 1);
			break;
		case I2C_SMBUS_BLOCK_DATA:
			/* the count is the guest's, after the command */
			memcpy(data.block, &w->buf[1], w->len - 1);
			break;
		}
	}

	ret = i2c_smbus_xfer(adap, w->addr, w->ten ? I2C_CLIENT_TEN : 0,
			     data_req->read ? I2C_SMBUS_READ : I2C_SMBUS_WRITE,
			     command, size, size == I2C_SMBUS_QUICK ? NULL : &data);
	if (ret < 0 || !data_req->read)
		return ret;

	switch (size) {
	case I2C_SMBUS_BYTE:
	case I2C_SMBUS_BYTE_DATA:
		data_req->buf[0] = data.byte;
		break;
	case I2C_SMBUS_WORD_DATA:
		data_req->buf[0] = data.word & 0xff;
		data_req->buf[1] = data.word >> 8;
		break;
	case I2C_SMBUS_I2C_BLOCK_DATA:
		memcpy(data_req->buf, &data.block[1], data_req->len);
		break;
	case I2C_SMBUS_BLOCK_DATA:
		/* the bus carried what the target said, not what was asked */
		if (data.block[0] + 1 != data_req->len)
			return -EMSGSIZE;
		memcpy(data_req->buf, data.block, data_req->len);
		break;
	}
	return 0;
}

/* The group as one I2C transfer. Return: messages done or an errno. */
static int vhost_i2c_transfer(struct vhost_i2c *i2c, struct i2c_adapter *adap)
{
	unsigned int i;

	for (i = 0; i < i2c->nreq; i++) {
		const struct vhost_i2c_request *req = &i2c->req[i];

		i2c->msgs[i] = (struct i2c_msg) {
			.addr = req->addr,
			.flags = (req->read ? I2C_M_RD : 0) |
				 (req->ten ? I2C_M_TEN : 0),
			.len = req->len,
			.buf = req->buf,
		};
	}
	return i2c_transfer(adap, i2c->msgs, i2c->nreq);
}

/*
 * Whether the group cannot go to the adapter; the reason is counted and
 * said once per group. Nothing of a group goes if any part of it cannot.
 */
static bool vhost_i2c_refuse(struct vhost_i2c *i2c, struct i2c_adapter *adap)
{
	unsigned int i;

	if (i2c->failing)
		return true;
	for (i = 0; i < i2c->nreq; i++) {
		const struct vhost_i2c_request *req = &i2c->req[i];

		if (req->invalid) {
			vhost_i2c_count(&i2c->stats.invalid, 1);
			vbe_device_complain(&i2c->core, "request %u: %s", req->head,
					    req->invalid);
			return true;
		}
	}
	for (i = 0; i < i2c->nreq; i++) {
		const struct vhost_i2c_request *req = &i2c->req[i];

		if (!adap) {
			vhost_i2c_count(&i2c->stats.refused, 1);
			vbe_device_complain(&i2c->core, "request %u: no adapter bound",
					    req->head);
			return true;
		}
		if (!vhost_i2c_allowed(&i2c->allow, req->addr, req->ten)) {
			vhost_i2c_count(&i2c->stats.refused, 1);
			vbe_device_complain(&i2c->core, "request %u: address %#x%s is not in allow",
					    req->head, req->addr,
					    vhost_i2c_addr_kind(req));
			return true;
		}
		if (req->ten && !i2c_check_functionality(adap, I2C_FUNC_10BIT_ADDR)) {
			vhost_i2c_count(&i2c->stats.unsupported, 1);
			vbe_device_complain(&i2c->core, "request %u: %s has no 10-bit addressing",
					    req->head, dev_name(&adap->dev));
			return true;
		}
	}
	return false;
}

/* Run the group on adap. Return: how many of its requests succeeded. */
static unsigned int vhost_i2c_run_on(struct vhost_i2c *i2c,
				     struct i2c_adapter *adap)
{
	struct vhost_i2c_request *first = &i2c->req[0];
	int size, ret;

	if (i2c_check_functionality(adap, I2C_FUNC_I2C)) {
		ret = vhost_i2c_transfer(i2c, adap);
	} else {
		size = i2c->nreq > 2 ? -1 :
		       vhost_i2c_smbus_size(i2c_get_functionality(adap), first,
					    i2c->nreq == 2 ? &i2c->req[1] : NULL);
		if (size < 0) {
			vhost_i2c_count(&i2c->stats.unsupported, 1);
			vbe_device_complain(&i2c->core,
					    "request %u: %s has no SMBus transaction for %u requests, the first a %u-byte %s to %#x%s",
					    first->head, dev_name(&adap->dev),
					    i2c->nreq, first->len,
					    first->read ? "read" : "write",
					    first->addr, vhost_i2c_addr_kind(first));
			return 0;
		}
		ret = vhost_i2c_smbus(i2c, adap, size) ?: i2c->nreq;
	}
	vhost_i2c_count(&i2c->stats.transfers, 1);
	if (ret < 0)
		ret = 0;
	if (ret < i2c->nreq)
		vhost_i2c_count(&i2c->stats.adapter_errors, 1);
	return ret;
}

/*
 * Run the group, if the settings let it. Its adapter is pinned for the
 * transfer: an adapter going away waits for it (i2c_del_adapter() waits
 * for the last reference), not for the settings lock.
 * Return: how many of its requests succeeded, in order.
 */
static unsigned int vhost_i2c_run(struct vhost_i2c *i2c)
{
	struct i2c_adapter *adap;
	unsigned int done;

	mutex_lock(&i2c->settings_lock);
	adap = i2c->adapter;
	if (vhost_i2c_refuse(i2c, adap))
		adap = NULL;
	else
		get_device(&adap->dev);
	mutex_unlock(&i2c->settings_lock);
	if (!adap)
		return 0;
	done = vhost_i2c_run_on(i2c, adap);
	put_device(&adap->dev);
	return done;
}

/*
 * Answer the group: status, and read data where it succeeded. Last request
 * first, which the specification allows (the used ring has no order
 * without VIRTIO_F_IN_ORDER): Linux's i2c-virtio stops waiting at the first
 * failed request of a transfer and frees them all, so a request completed
 * after the first's wake-up would complete freed memory; completed in
 * reverse, the one it waits for first comes last.
 */
static int vhost_i2c_answer(struct vhost_i2c *i2c, struct vbe_vq *vq,
			    unsigned int done)
{
	unsigned int i = i2c->nreq;

	while (i--) {
		struct vhost_i2c_request *req = &i2c->req[i];
		struct vbe_chain chain = {
			.head = req->head,
			.nr_in = req->nr_in,
			.in_len = req->in_len,
			.segments = req->in,
		};
		u8 status = i < done ? VIRTIO_I2C_MSG_OK : VIRTIO_I2C_MSG_ERR;
		/* what is written: the status, and a read's data if it has any */
		u32 used = 1;

		if (req->read && req->len) {
			/* nothing of a failed read: no stale bytes either */
			if (status != VIRTIO_I2C_MSG_OK)
				memset(req->buf, 0, req->len);
			if (vbe_chain_write(vq, &chain, 0, req->buf, req->len))
				return -EFAULT;
			used += req->len;
		}
		if (vbe_chain_write(vq, &chain, req->in_len - 1, &status, 1) ||
		    vbe_vq_push(vq, &chain, used))
			return -EFAULT;
	}
	vhost_i2c_count(&i2c->stats.messages, done);
	/* a failed last request with FAIL_NEXT fails the next group */
	i2c->failing = done < i2c->nreq && i2c->req[i2c->nreq - 1].fail_next;
	i2c->nreq = 0;
	i2c->used = 0;
	return 0;
}

static long vhost_i2c_handle_vq(struct vbe_device *core, struct vbe_vq *vq)
{
	struct vhost_i2c *i2c = container_of(core, struct vhost_i2c, core);
	unsigned int served;

	for (served = 0; served < VHOST_I2C_BUDGET; served++) {
		if (vhost_i2c_take_group(i2c, vq) <= 0)
			return 0;
		if (vhost_i2c_answer(i2c, vq, vhost_i2c_run(i2c)))
			return 0;
	}
	return VBE_AGAIN;
}

static int vhost_i2c_features_ok(struct vbe_device *core)
{
	struct vhost_i2c *i2c = container_of(core, struct vhost_i2c, core);
	const char *why = NULL;

	mutex_lock(&i2c->settings_lock);
	if (!i2c->adapter)
		why = "no I2C adapter bound (write its name to adapter)";
	else if (!vbe_has_feature(core, VIRTIO_I2C_F_ZERO_LENGTH_REQUEST))
		why = "ZERO_LENGTH_REQUEST not accepted (the specification makes it mandatory)";
	else
		i2c->in_use = true;
	mutex_unlock(&i2c->settings_lock);
	if (!why)
		return 0;
	vbe_device_complain(core, "FEATURES_OK refused: %s", why);
	return -EINVAL;
}

/* Reset: requests taken are forgotten, with the driver's ring. */
static void vhost_i2c_reset(struct vbe_device *core)
{
	struct vhost_i2c *i2c = container_of(core, struct vhost_i2c, core);

	i2c->failing = false;
	i2c->nreq = 0;
	i2c->used = 0;
	mutex_lock(&i2c->settings_lock);
	i2c->in_use = false;
	mutex_unlock(&i2c->settings_lock);
}

static const struct vbe_device_info vhost_i2c_info = {
	.name = "vhost-i2c",
	.device_id = VIRTIO_ID_I2C_ADAPTER,
	.features = BIT_ULL(VIRTIO_I2C_F_ZERO_LENGTH_REQUEST),
	.nvqs = VIRTIO_I2C_VQ_MAX_CNT,
	.handle_vq = vhost_i2c_handle_vq,
	.features_ok = vhost_i2c_features_ok,
	.reset = vhost_i2c_reset,
};

static void vhost_i2c_unbind(struct vhost_i2c *i2c)
{
	if (i2c->adapter)
		i2c_put_adapter(i2c->adapter);
	i2c->adapter = NULL;
}

/* "i2c-3" or "3": the adapter's number. */
static int vhost_i2c_bind(struct vhost_i2c *i2c, const char *name)
{
	struct device *d = vhost_i2c_dev(i2c);
	struct i2c_adapter *adap;
	unsigned int nr;

	if (kstrtouint(name + (strncmp(name, "i2c-", 4) ? 0 : 4), 10, &nr) ||
	    nr > INT_MAX) {
		dev_info_ratelimited(d, "adapter: '%s' is not an adapter number or i2c-N\n",
				     name);
		return -EINVAL;
	}
	adap = i2c_get_adapter(nr);
	if (!adap) {
		dev_info_ratelimited(d, "adapter: no adapter i2c-%u\n", nr);
		return -ENODEV;
	}
	vhost_i2c_unbind(i2c);
	i2c->adapter = adap;
	return 0;
}

static ssize_t adapter_show(struct device *d, struct device_attribute *attr,
			    char *buf)
{
	struct vhost_i2c *i2c = to_vhost_i2c(d);
	ssize_t ret;

	mutex_lock(&i2c->settings_lock);
	ret = sysfs_emit(buf, "%s\n", i2c->adapter ? dev_name(&i2c->adapter->dev) : "");
	mutex_unlock(&i2c->settings_lock);
	return ret;
}

/* Bound before a driver starts; an empty write unbinds. */
static ssize_t adapter_store(struct device *d, struct device_attribute *attr,
			     const char *buf, size_t count)
{
	struct vhost_i2c *i2c = to_vhost_i2c(d);
	char name[16];
	size_t len = count;
	int ret = 0;

	while (len && isspace(buf[len - 1]))
		len--;
	if (len >= sizeof(name)) {
		dev_info_ratelimited(d, "adapter: '%.*s' is not an adapter number or i2c-N\n",
				     (int)len, buf);
		return -EINVAL;
	}
	memcpy(name, buf, len);
	name[len] = '\0';
	mutex_lock(&i2c->settings_lock);
	if (i2c->in_use) {
		dev_info_ratelimited(d, "adapter: a driver uses the device; it must reset it first\n");
		ret = -EBUSY;
	} else if (!len) {
		vhost_i2c_unbind(i2c);
	} else {
		ret = vhost_i2c_bind(i2c, name);
	}
	mutex_unlock(&i2c->settings_lock);
	return ret ?: count;
}
static DEVICE_ATTR_RW(adapter);

/* One entry: "0x50", "0x50-0x57"; 10-bit ones with 0xa000 added. */
static int vhost_i2c_range_parse(char *tok, struct vhost_i2c_range *r)
{
	char *dash = strchr(tok, '-');
	u16 first, last, limit;

	if (dash)
		*dash = '\0';
	if (kstrtou16(tok, 0, &first))
		return -EINVAL;
	if (!dash)
		last = first;
	else if (kstrtou16(dash + 1, 0, &last))
		return -EINVAL;
	r->ten = first >= VHOST_I2C_TEN_BIT;
	if (r->ten) {
		first -= VHOST_I2C_TEN_BIT;
		last -= VHOST_I2C_TEN_BIT;
	}
	limit = r->ten ? 0x3ff : 0x7f;
	if (first > limit || last > limit || last < first)
		return -EINVAL;
	r->first = first;
	r->last = last;
	return 0;
}

static int vhost_i2c_allow_parse(struct device *d, const char *buf,
				 struct vhost_i2c_allowlist *list)
{
	char *copy, *p, *tok;
	int ret = 0;

	copy = kstrdup(buf, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	list->n = 0;
	p = copy;
	while ((tok = strsep(&p, " ,\t\n"))) {
		if (!*tok)
			continue;
		if (list->n == VHOST_I2C_ALLOW_MAX) {
			dev_info_ratelimited(d, "allow: more than %u entries\n",
					     VHOST_I2C_ALLOW_MAX);
			ret = -E2BIG;
			break;
		}
		if (vhost_i2c_range_parse(tok, &list->range[list->n])) {
			dev_info_ratelimited(d, "allow: '%s' is not an address (0x00-0x7f, 10-bit 0xa000-0xa3ff) or a range of them\n",
					     tok);
			ret = -EINVAL;
			break;
		}
		list->n++;
	}
	kfree(copy);
	return ret;
}

static ssize_t allow_show(struct device *d, struct device_attribute *attr,
			  char *buf)
{
	struct vhost_i2c *i2c = to_vhost_i2c(d);
	ssize_t len = 0;
	unsigned int i;

	mutex_lock(&i2c->settings_lock);
	for (i = 0; i < i2c->allow.n; i++) {
		const struct vhost_i2c_range *r = &i2c->allow.range[i];
		u16 base = r->ten ? VHOST_I2C_TEN_BIT : 0;

		len += sysfs_emit_at(buf, len, "%s%#x", i ? " " : "",
				     base + r->first);
		if (r->last != r->first)
			len += sysfs_emit_at(buf, len, "-%#x", base + r->last);
	}
	len += sysfs_emit_at(buf, len, "\n");
	mutex_unlock(&i2c->settings_lock);
	return len;
}

/* In force for the next transfer; an empty write allows nothing. */
static ssize_t allow_store(struct device *d, struct device_attribute *attr,
			   const char *buf, size_t count)
{
	struct vhost_i2c *i2c = to_vhost_i2c(d);
	struct vhost_i2c_allowlist *parsed;
	int ret;

	parsed = kzalloc(sizeof(*parsed), GFP_KERNEL);
	if (!parsed)
		return -ENOMEM;
	ret = vhost_i2c_allow_parse(d, buf, parsed);
	if (!ret) {
		mutex_lock(&i2c->settings_lock);
		i2c->allow = *parsed;
		mutex_unlock(&i2c->settings_lock);
	}
	kfree(parsed);
	return ret ?: count;
}
static DEVICE_ATTR_RW(allow);

static struct attribute *vhost_i2c_attrs[] = {
	&dev_attr_adapter.attr,
	&dev_attr_allow.attr,
	NULL
};

static const struct attribute_group vhost_i2c_group = {
	.attrs = vhost_i2c_attrs,
};

#define VHOST_I2C_STAT(field) VBE_STAT(struct vhost_i2c, stats.field, #field)

static struct dev_ext_attribute vhost_i2c_stats[] = {
	VHOST_I2C_STAT(transfers),
	VHOST_I2C_STAT(messages),
	VHOST_I2C_STAT(adapter_errors),
	VHOST_I2C_STAT(refused),
	VHOST_I2C_STAT(invalid),
	VHOST_I2C_STAT(unsupported),
};

static struct attribute *vhost_i2c_stat_attrs[] = {
	&vhost_i2c_stats[0].attr.attr,
	&vhost_i2c_stats[1].attr.attr,
	&vhost_i2c_stats[2].attr.attr,
	&vhost_i2c_stats[3].attr.attr,
	&vhost_i2c_stats[4].attr.attr,
	&vhost_i2c_stats[5].attr.attr,
	NULL
};

static const struct attribute_group vhost_i2c_stat_group = {
	.name = "statistics",
	.attrs = vhost_i2c_stat_attrs,
};

static const struct attribute_group *vhost_i2c_groups[] = {
	&vhost_i2c_group,
	&vhost_i2c_stat_group,
	NULL
};

/*
 * An adapter going away (its driver unbound, its USB device unplugged)
 * waits for its users: let go of it. Requests then fail until the driver
 * resets the device and another adapter is bound.
 */
static int vhost_i2c_adapter_event(struct notifier_block *nb,
				   unsigned long action, void *data)
{
	struct i2c_adapter *adap = i2c_verify_adapter(data);
	struct vhost_i2c *i2c;

	if (action != BUS_NOTIFY_DEL_DEVICE || !adap)
		return NOTIFY_DONE;
	mutex_lock(&vhost_i2c_devices_lock);
	list_for_each_entry(i2c, &vhost_i2c_devices, node) {
		mutex_lock(&i2c->settings_lock);
		if (i2c->adapter == adap) {
			dev_info(vhost_i2c_dev(i2c), "%s is going away: unbound\n",
				 dev_name(&adap->dev));
			vhost_i2c_unbind(i2c);
		}
		mutex_unlock(&i2c->settings_lock);
	}
	mutex_unlock(&vhost_i2c_devices_lock);
	return NOTIFY_OK;
}

static struct notifier_block vhost_i2c_adapter_nb = {
	.notifier_call = vhost_i2c_adapter_event,
};

static int vhost_i2c_dev_add(struct vdpa_mgmt_dev *mdev, const char *name,
			     const struct vdpa_dev_set_config *config)
{
	struct vhost_i2c *i2c;
	struct vbe_device *core;
	int ret;

	core = vbe_device_alloc(&vhost_i2c_info, &vhost_i2c_mgmt, name,
				sizeof(*i2c));
	if (IS_ERR(core))
		return PTR_ERR(core);
	i2c = container_of(core, struct vhost_i2c, core);
	mutex_init(&i2c->settings_lock);
	core->vdpa.dev.groups = vhost_i2c_groups;
	mutex_lock(&vhost_i2c_devices_lock);
	list_add(&i2c->node, &vhost_i2c_devices);
	mutex_unlock(&vhost_i2c_devices_lock);
	ret = vbe_device_register(core);
	if (ret) {
		mutex_lock(&vhost_i2c_devices_lock);
		list_del(&i2c->node);
		mutex_unlock(&vhost_i2c_devices_lock);
		vbe_device_discard(core);
	}
	return ret;
}

static void vhost_i2c_dev_del(struct vdpa_mgmt_dev *mdev,
			      struct vdpa_device *vdpa)
{
	struct vhost_i2c *i2c = container_of(vdpa, struct vhost_i2c, core.vdpa);

	/* unbound from its driver, which reset it: nothing runs any more */
	vbe_device_unregister(&i2c->core);
	mutex_lock(&vhost_i2c_devices_lock);
	list_del(&i2c->node);
	mutex_unlock(&vhost_i2c_devices_lock);
	mutex_lock(&i2c->settings_lock);
	vhost_i2c_unbind(i2c);
	mutex_unlock(&i2c->settings_lock);
}

static const struct vdpa_mgmtdev_ops vhost_i2c_mgmt_ops = {
	.dev_add = vhost_i2c_dev_add,
	.dev_del = vhost_i2c_dev_del,
};

static struct virtio_device_id vhost_i2c_id_table[] = {
	{ VIRTIO_ID_I2C_ADAPTER, VIRTIO_DEV_ANY_ID },
	{ 0 },
};

static struct vbe_mgmt vhost_i2c_mgmt = {
	.vdpa = {
		.ops = &vhost_i2c_mgmt_ops,
		.id_table = vhost_i2c_id_table,
		.max_supported_vqs = VIRTIO_I2C_VQ_MAX_CNT,
	},
	.max_devices = 16,
};
module_param_named(max_devices, vhost_i2c_mgmt.max_devices, uint, 0444);
MODULE_PARM_DESC(max_devices, "Most vhost-i2c devices at once (default 16)");

static int __init vhost_i2c_init(void)
{
	int ret;

	ret = bus_register_notifier(&i2c_bus_type, &vhost_i2c_adapter_nb);
	if (ret)
		return ret;
	ret = vbe_mgmt_register(&vhost_i2c_mgmt, "vhost_i2c");
	if (ret)
		bus_unregister_notifier(&i2c_bus_type, &vhost_i2c_adapter_nb);
	return ret;
}

/* Removes every device first (vhost-vdpa waits for its users to close). */
static void __exit vhost_i2c_exit(void)
{
	vbe_mgmt_unregister(&vhost_i2c_mgmt);
	bus_unregister_notifier(&i2c_bus_type, &vhost_i2c_adapter_nb);
}

module_init(vhost_i2c_init);
module_exit(vhost_i2c_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("virtio-extra developers");
MODULE_DESCRIPTION("vhost-i2c: in-kernel virtio I2C adapter (vDPA back-end) on a host I2C adapter");
