// SPDX-License-Identifier: GPL-2.0
/*
 * vhost-i2c through vhost-vdpa, driven as QEMU drives a device: transfers
 * against the plain-I2C test adapter (vx_test_i2c: a 24c02-like EEPROM at
 * 0x50 holding byte i at i, one at 10-bit 0x2a0 holding 0xff - i, a target
 * at 0x30 that takes no data) and SMBus transactions against i2c-stub
 * (chip at 0x48); the allowlist, FAIL_NEXT groups, the adapter going away,
 * and a guest that breaks the rules. Each test has a device of its own.
 * Needs vhost_i2c, vhost_vdpa, vx_test_i2c, i2c-stub chip_addr=0x48, root.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <glob.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/vhost.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>
#include <linux/virtio_extra/virtio_i2c.h>

#include "kselftest_harness.h"
#include "kmsg.h"
#include "shell.h"
#include "vdpa_driver.h"
#include "vdpa_mgmt.h"

#define F(bit) (1ull << (bit))
#define I2C_FEATURES (F(VIRTIO_F_VERSION_1) | F(VIRTIO_F_ACCESS_PLATFORM) | \
		      F(VIRTIO_RING_F_EVENT_IDX) | \
		      F(VIRTIO_I2C_F_ZERO_LENGTH_REQUEST))
#define RING 256
/* Request slot k: header, data at DATA_AT, status last; descriptors 3k.. */
#define SLOT 512
#define DATA_AT 16
#define STATUS_AT (SLOT - 1)
#define DATA_MAX (STATUS_AT - DATA_AT)
/* Room for one request larger than a slot, after the slots. */
#define BIG_OFF (RING * SLOT)
#define WAIT_MS 3000
#define TEST_ADAPTER "/sys/bus/platform/devices/vx_test_i2c"
#define TEST_DRIVER "/sys/bus/platform/drivers/vx_test_i2c"
#define STUB_FUNCTIONALITY "/sys/module/i2c_stub/parameters/functionality"

/* The specification's address encodings. */
#define A7(a) ((uint16_t)((a) << 1))

static uint16_t A10(uint16_t a)
{
	return 0xf0 | ((a >> 7) & 6) | (a & 0xff) << 8;
}

/* One request: what the guest asks, and what it got. */
struct msg {
	uint16_t addr;		/* encoded */
	int read;
	uint16_t len;
	uint8_t data[64];
	uint32_t extra_flags;	/* reserved bits a lying guest sets */
	uint8_t status;
};

struct i2c_env {
	char name[32];
	char path[64];
	struct vd_dev d;
	int kmsg;
};

static uint8_t *gbuf(struct vd_dev *d, size_t off)
{
	return d->mem.base + VD_RING_AREA + off;
}

static uint64_t giova(struct vd_dev *d, size_t off)
{
	return d->mem.iova + VD_RING_AREA + off;
}

/* The adapter whose sysfs name is name: "i2c-N", or "" when none is. */
static void adapter_named(const char *name, char *out, size_t len)
{
	static const char dir[] = "/sys/bus/i2c/devices/";
	char line[64];
	glob_t g;
	size_t i;

	out[0] = '\0';
	if (glob("/sys/bus/i2c/devices/i2c-*/name", 0, NULL, &g))
		return;
	for (i = 0; i < g.gl_pathc; i++) {
		const char *adapter = g.gl_pathv[i] + strlen(dir);
		FILE *f = fopen(g.gl_pathv[i], "r");

		if (!f)
			continue;
		if (fgets(line, sizeof(line), f) && !strncmp(line, name, strlen(name)))
			snprintf(out, len, "%.*s", (int)strcspn(adapter, "/"), adapter);
		fclose(f);
	}
	globfree(&g);
}

static long read_long(const char *path)
{
	FILE *f = fopen(path, "r");
	long v = -1;

	if (f) {
		if (fscanf(f, "%li", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static int write_str(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");
	int ret;

	if (!f)
		return -errno;
	ret = fputs(s, f) < 0 ? -EIO : 0;
	if (fclose(f))
		ret = -errno;
	return ret;
}

static long stat(struct i2c_env *self, const char *name)
{
	char attr[64];

	snprintf(attr, sizeof(attr), "statistics/%s", name);
	return vdpa_get_attr(self->name, attr);
}

/* Put m in slot k, FAIL_NEXT if more of its group follows; publish it. */
static void post(struct vd_dev *d, unsigned int k, const struct msg *m,
		 int fail_next)
{
	struct virtio_i2c_out_hdr *hdr = (void *)gbuf(d, k * SLOT);
	uint32_t flags = m->extra_flags | (m->read ? VIRTIO_I2C_FLAGS_M_RD : 0) |
			 (fail_next ? VIRTIO_I2C_FLAGS_FAIL_NEXT : 0);
	unsigned int i = 3 * k;

	hdr->addr = htole16(m->addr);
	hdr->padding = 0;
	hdr->flags = htole32(flags);
	if (m->read)
		memset(gbuf(d, k * SLOT + DATA_AT), 0xee, m->len);
	else
		memcpy(gbuf(d, k * SLOT + DATA_AT), m->data, m->len);
	*gbuf(d, k * SLOT + STATUS_AT) = 0xff;
	vd_desc(&d->ring, i, giova(d, k * SLOT), sizeof(*hdr), VRING_DESC_F_NEXT,
		m->len ? i + 1 : i + 2);
	if (m->len)
		vd_desc(&d->ring, i + 1, giova(d, k * SLOT + DATA_AT), m->len,
			VRING_DESC_F_NEXT | (m->read ? VRING_DESC_F_WRITE : 0),
			i + 2);
	vd_desc(&d->ring, i + 2, giova(d, k * SLOT + STATUS_AT), 1,
		VRING_DESC_F_WRITE, 0);
	vd_publish(&d->ring, i);
}

/* Wait for n requests back; their status and read data into msgs. */
static int collect(struct vd_dev *d, struct msg *msgs, unsigned int n)
{
	uint32_t id, len;
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct msg *m;

		if (vd_wait_used(&d->ring, &id, &len, WAIT_MS) != 1 ||
		    id % 3 || id / 3 >= n)
			return -1;
		m = &msgs[id / 3];
		m->status = *gbuf(d, id / 3 * SLOT + STATUS_AT);
		if (len != (m->read ? m->len + 1u : 1u))
			return -1;
		if (m->read)
			memcpy(m->data, gbuf(d, id / 3 * SLOT + DATA_AT), m->len);
	}
	return 0;
}

/*
 * Send msgs as one group, as Linux's i2c-virtio does: the number of
 * requests that succeeded before the first failure, or -1 without an
 * answer.
 */
static int xfer(struct i2c_env *self, struct msg *msgs, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		post(&self->d, i, &msgs[i], i + 1 < n);
	vd_kick(&self->d.ring);
	if (collect(&self->d, msgs, n))
		return -1;
	for (i = 0; i < n && msgs[i].status == VIRTIO_I2C_MSG_OK; i++)
		;
	return i;
}

static struct msg wr(uint16_t addr, unsigned int len, const uint8_t *data)
{
	struct msg m = { .addr = addr, .len = len };

	memcpy(m.data, data, len);
	return m;
}

static struct msg rd(uint16_t addr, unsigned int len)
{
	return (struct msg) { .addr = addr, .read = 1, .len = len };
}

static int device_up(struct i2c_env *self, uint64_t features)
{
	int ret = vd_start(&self->d, features, RING);

	return ret ?: vd_set_config_call(&self->d);
}

static int env_setup(struct i2c_env *self, const char *adapter_name,
		     const char *allow)
{
	char adapter[32];

	adapter_named(adapter_name, adapter, sizeof(adapter));
	if (!adapter[0])
		return -ENODEV;
	snprintf(self->name, sizeof(self->name), "vit%d", getpid());
	if (vdpa_add(self->name, "vhost_i2c", self->path, sizeof(self->path)) ||
	    vdpa_set_attr(self->name, "adapter", adapter) ||
	    vdpa_set_attr(self->name, "allow", allow))
		return -EIO;
	self->kmsg = kmsg_open();
	if (self->kmsg < 0 || vd_open(&self->d, self->path))
		return -EIO;
	return device_up(self, I2C_FEATURES);
}

static void env_teardown(struct i2c_env *self)
{
	vd_close(&self->d);
	close(self->kmsg);
	vdpa_del(self->name);
}

FIXTURE(i2c) {
	struct i2c_env e;
};

FIXTURE_SETUP(i2c)
{
	self->e.kmsg = -1;
	self->e.d.fd = -1;
	ASSERT_EQ(0, write_str("/sys/module/vx_test_i2c/parameters/xfer_delay_us", "0"));
	ASSERT_EQ(0, env_setup(&self->e, "vx-test-i2c", "0x50 0x30 0xa2a0"));
}

FIXTURE_TEARDOWN(i2c)
{
	env_teardown(&self->e);
}

TEST_F(i2c, identity)
{
	uint64_t features;
	uint32_t id;
	char buf[64];

	ASSERT_EQ(0, vd_device_features(&self->e.d, &features));
	EXPECT_EQ(I2C_FEATURES | F(VIRTIO_RING_F_INDIRECT_DESC), features);
	ASSERT_EQ(0, ioctl(self->e.d.fd, VHOST_VDPA_GET_DEVICE_ID, &id));
	EXPECT_EQ(VIRTIO_ID_I2C_ADAPTER, (int)id);
	ASSERT_EQ(0, vdpa_get_attr_str(self->e.name, "allow", buf, sizeof(buf)));
	EXPECT_STREQ("0x50 0x30 0xa2a0", buf);
}

/* A random read: the word address written, then read, repeated START. */
TEST_F(i2c, write_then_read)
{
	long transfers = read_long(TEST_ADAPTER "/transfers");
	struct msg m[2] = { wr(A7(0x50), 1, (uint8_t[]){ 0x10 }), rd(A7(0x50), 4) };

	ASSERT_EQ(2, xfer(&self->e, m, 2));
	EXPECT_EQ(0x10, m[1].data[0]);
	EXPECT_EQ(0x13, m[1].data[3]);
	/* one transfer on the adapter, not two */
	EXPECT_EQ(transfers + 1, read_long(TEST_ADAPTER "/transfers"));
	EXPECT_EQ(1, stat(&self->e, "transfers"));
	EXPECT_EQ(2, stat(&self->e, "messages"));
}

TEST_F(i2c, write_persists)
{
	struct msg w = wr(A7(0x50), 4, (uint8_t[]){ 0x80, 0xde, 0xad, 0xbf });
	struct msg m[2] = { wr(A7(0x50), 1, (uint8_t[]){ 0x80 }), rd(A7(0x50), 3) };

	ASSERT_EQ(1, xfer(&self->e, &w, 1));
	ASSERT_EQ(2, xfer(&self->e, m, 2));
	EXPECT_EQ(0, memcmp(m[1].data, (uint8_t[]){ 0xde, 0xad, 0xbf }, 3));
}

TEST_F(i2c, zero_length_requests)
{
	struct msg m = wr(A7(0x50), 0, NULL);
	struct msg q = rd(A7(0x30), 0);

	EXPECT_EQ(1, xfer(&self->e, &m, 1));
	EXPECT_EQ(1, xfer(&self->e, &q, 1));
	/* nobody at 0x51: the address is not acknowledged */
	ASSERT_EQ(0, vdpa_set_attr(self->e.name, "allow", "0x50-0x51"));
	m.addr = A7(0x51);
	EXPECT_EQ(0, xfer(&self->e, &m, 1));
	EXPECT_EQ(1, stat(&self->e, "adapter_errors"));
}

TEST_F(i2c, ten_bit_address)
{
	struct msg m[2] = { wr(A10(0x2a0), 1, (uint8_t[]){ 0x05 }), rd(A10(0x2a0), 2) };
	struct msg seven[2] = { wr(A7(0x50), 1, (uint8_t[]){ 0x05 }), rd(A7(0x50), 1) };

	ASSERT_EQ(2, xfer(&self->e, m, 2));
	EXPECT_EQ(0xfa, m[1].data[0]);
	EXPECT_EQ(0xf9, m[1].data[1]);
	/* the same target without 10-bit addressing is another one */
	ASSERT_EQ(2, xfer(&self->e, seven, 2));
	EXPECT_EQ(0x05, seven[1].data[0]);
}

/* Not allowed: refused, and the adapter never sees it. */
TEST_F(i2c, address_not_allowed)
{
	long transfers = read_long(TEST_ADAPTER "/transfers");
	struct msg m[2] = { wr(A7(0x50), 1, (uint8_t[]){ 0 }), rd(A7(0x50), 1) };
	struct msg ten = rd(A10(0x250), 1);

	ASSERT_EQ(0, vdpa_set_attr(self->e.name, "allow", "0x30 0xa2a0"));
	EXPECT_EQ(0, xfer(&self->e, m, 2));
	EXPECT_EQ(VIRTIO_I2C_MSG_ERR, m[1].status);
	EXPECT_EQ(0, xfer(&self->e, &ten, 1));
	EXPECT_EQ(transfers, read_long(TEST_ADAPTER "/transfers"));
	EXPECT_EQ(2, stat(&self->e, "refused"));
	EXPECT_EQ(1, kmsg_has(self->e.kmsg, "address 0x50 is not in allow", 2000));
	/* a 7-bit entry does not allow the 10-bit address of that number */
	ASSERT_EQ(0, vdpa_set_attr(self->e.name, "allow", "0x50"));
	ten.addr = A10(0x50);
	EXPECT_EQ(0, xfer(&self->e, &ten, 1));
	EXPECT_EQ(transfers, read_long(TEST_ADAPTER "/transfers"));
	/* and nothing allows nothing */
	ASSERT_EQ(0, vdpa_set_attr(self->e.name, "allow", "\n"));
	EXPECT_EQ(0, xfer(&self->e, m, 2));
	EXPECT_EQ(transfers, read_long(TEST_ADAPTER "/transfers"));
}

/* A failed read gives back zeros, not the bytes of an earlier transfer. */
TEST_F(i2c, failed_read_is_zeroed)
{
	struct msg m[2] = { wr(A7(0x50), 1, (uint8_t[]){ 0x40 }), rd(A7(0x50), 8) };
	struct msg bad[2] = { wr(A7(0x30), 1, (uint8_t[]){ 0 }), rd(A7(0x30), 8) };
	unsigned int i;

	ASSERT_EQ(2, xfer(&self->e, m, 2));
	EXPECT_EQ(0, xfer(&self->e, bad, 2));
	for (i = 0; i < 8; i++)
		EXPECT_EQ(0, bad[1].data[i]);
}

/* The first request fails: the rest of its group fails, none goes. */
TEST_F(i2c, fail_next)
{
	long messages = read_long(TEST_ADAPTER "/messages");
	struct msg m[3] = {
		wr(A7(0x30), 1, (uint8_t[]){ 1 }),
		wr(A7(0x50), 2, (uint8_t[]){ 0x60, 0x77 }),
		rd(A7(0x50), 1),
	};
	struct msg check[2] = { wr(A7(0x50), 1, (uint8_t[]){ 0x60 }), rd(A7(0x50), 1) };

	EXPECT_EQ(0, xfer(&self->e, m, 3));
	EXPECT_EQ(VIRTIO_I2C_MSG_ERR, m[1].status);
	EXPECT_EQ(VIRTIO_I2C_MSG_ERR, m[2].status);
	EXPECT_EQ(messages, read_long(TEST_ADAPTER "/messages"));
	ASSERT_EQ(2, xfer(&self->e, check, 2));
	EXPECT_EQ(0x60, check[1].data[0]);
}

/*
 * A group comes back last request first: Linux's i2c-virtio frees a
 * transfer's requests when the first of them fails, so one completed after
 * that would be freed memory. A group that succeeds and one refused.
 */
TEST_F(i2c, group_answered_last_first)
{
	struct msg ok[3] = {
		wr(A7(0x50), 1, (uint8_t[]){ 0x10 }), rd(A7(0x50), 2), rd(A7(0x50), 1),
	};
	struct msg refused[2] = { wr(A7(0x51), 1, (uint8_t[]){ 0 }), rd(A7(0x51), 1) };
	struct { struct msg *m; unsigned int n; } groups[] = { { ok, 3 }, { refused, 2 } };
	uint32_t id, len;
	unsigned int g, i;

	for (g = 0; g < ARRAY_SIZE(groups); g++) {
		for (i = 0; i < groups[g].n; i++)
			post(&self->e.d, i, &groups[g].m[i], i + 1 < groups[g].n);
		vd_kick(&self->e.d.ring);
		for (i = groups[g].n; i--; ) {
			ASSERT_EQ(1, vd_wait_used(&self->e.d.ring, &id, &len, WAIT_MS));
			EXPECT_EQ(3 * i, id) TH_LOG("group %u: answer %u", g, groups[g].n - 1 - i);
		}
	}
}

/* A group published in two goes is one transfer when it is whole. */
TEST_F(i2c, group_published_in_parts)
{
	long transfers = read_long(TEST_ADAPTER "/transfers");
	struct msg m[2] = { wr(A7(0x50), 1, (uint8_t[]){ 0x21 }), rd(A7(0x50), 2) };
	uint32_t id, len;

	post(&self->e.d, 0, &m[0], 1);
	vd_kick(&self->e.d.ring);
	EXPECT_EQ(0, vd_wait_used(&self->e.d.ring, &id, &len, 300));
	post(&self->e.d, 1, &m[1], 0);
	vd_kick(&self->e.d.ring);
	ASSERT_EQ(0, collect(&self->e.d, m, 2));
	EXPECT_EQ(VIRTIO_I2C_MSG_OK, m[0].status);
	EXPECT_EQ(VIRTIO_I2C_MSG_OK, m[1].status);
	EXPECT_EQ(0x21, m[1].data[0]);
	EXPECT_EQ(transfers + 1, read_long(TEST_ADAPTER "/transfers"));
}

/* More than a transfer holds: all fail, the group's end too. */
TEST_F(i2c, group_too_long)
{
	static struct msg m[43];
	struct msg after = rd(A7(0x50), 1);
	unsigned int i;

	for (i = 0; i < 43; i++)
		m[i] = rd(A7(0x50), 1);
	EXPECT_EQ(0, xfer(&self->e, m, 43));
	for (i = 0; i < 43; i++)
		EXPECT_EQ(VIRTIO_I2C_MSG_ERR, m[i].status);
	EXPECT_EQ(1, kmsg_has(self->e.kmsg, "group longer than 42 requests", 2000));
	EXPECT_EQ(1, xfer(&self->e, &after, 1));
}

/*
 * Three reads of n[0], n[1], n[2] bytes as one group, in the room after
 * the slots: the status of the first, 0xff without an answer.
 */
static uint8_t big_group(struct vd_dev *d, const uint32_t *n)
{
	struct virtio_i2c_out_hdr *hdr = (void *)gbuf(d, BIG_OFF);
	size_t off = BIG_OFF + 64;
	uint32_t id, len;
	unsigned int i, k;

	for (i = 0; i < 3; i++) {
		hdr[i].addr = htole16(A7(0x50));
		hdr[i].padding = 0;
		hdr[i].flags = htole32(VIRTIO_I2C_FLAGS_M_RD |
				       (i < 2 ? VIRTIO_I2C_FLAGS_FAIL_NEXT : 0));
		vd_desc(&d->ring, 3 * i, giova(d, BIG_OFF + 8 * i), 8,
			VRING_DESC_F_NEXT, 3 * i + 1);
		vd_desc(&d->ring, 3 * i + 1, giova(d, off), n[i],
			VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 3 * i + 2);
		vd_desc(&d->ring, 3 * i + 2, giova(d, off + n[i]), 1,
			VRING_DESC_F_WRITE, 0);
		*gbuf(d, off + n[i]) = 0xff;
		if (!i)
			k = off + n[i];
		off += n[i] + 1;
		vd_publish(&d->ring, 3 * i);
	}
	vd_kick(&d->ring);
	for (i = 0; i < 3; i++)
		if (vd_wait_used(&d->ring, &id, &len, WAIT_MS) != 1)
			return 0xff;
	return *gbuf(d, k);
}

/* A transfer carries 8192 bytes (the test adapter 4096 a message). */
TEST_F(i2c, transfer_size_limit)
{
	long transfers = read_long(TEST_ADAPTER "/transfers");

	EXPECT_EQ(VIRTIO_I2C_MSG_OK, big_group(&self->e.d, (uint32_t[]){ 4096, 4095, 1 }));
	EXPECT_EQ(VIRTIO_I2C_MSG_ERR, big_group(&self->e.d, (uint32_t[]){ 4096, 4096, 1 }));
	EXPECT_EQ(1, kmsg_has(self->e.kmsg, "more data than the 8192 bytes of a transfer", 2000));
	EXPECT_EQ(transfers + 1, read_long(TEST_ADAPTER "/transfers"));
	EXPECT_EQ(1, stat(&self->e, "invalid"));
}

struct bad_request {
	const char *what;	/* and the log line's text */
	uint16_t addr;
	uint32_t flags;
	uint16_t padding;
	uint32_t out_len;	/* header and data */
	uint32_t in_len;	/* data and status */
};

static const struct bad_request bad_requests[] = {
	{ "reserved flags set", A7(0x50), 1u << 2, 0, 8, 1 },
	{ "reserved flags set", A7(0x50), 1u << 31, 0, 8, 1 },
	{ "padding not zero", A7(0x50), 0, 1, 8, 1 },
	{ "address bit 0 set", A7(0x50) | 1, 0, 0, 8, 1 },
	{ "7-bit address with high byte set", A7(0x50) | 0x100, 0, 0, 8, 1 },
	{ "read request with data to write", A7(0x50), VIRTIO_I2C_FLAGS_M_RD, 0, 9, 2 },
	{ "write request with data to read", A7(0x50), 0, 0, 9, 2 },
	{ "device-readable part shorter than the 8-byte header", A7(0x50), 0, 0, 7, 1 },
};

/* Each fails with the status byte and a log line; nothing breaks. */
TEST_F(i2c, malformed_requests)
{
	long transfers = read_long(TEST_ADAPTER "/transfers");
	struct vd_dev *d = &self->e.d;
	struct msg ok = rd(A7(0x50), 1);
	unsigned int i;
	uint8_t status;

	for (i = 0; i < ARRAY_SIZE(bad_requests); i++) {
		const struct bad_request *b = &bad_requests[i];
		struct virtio_i2c_out_hdr *hdr = (void *)gbuf(d, 0);
		uint32_t id, len;

		hdr->addr = htole16(b->addr);
		hdr->padding = htole16(b->padding);
		hdr->flags = htole32(b->flags);
		*gbuf(d, STATUS_AT) = 0xff;
		vd_desc(&d->ring, 0, giova(d, 0), b->out_len, VRING_DESC_F_NEXT, 1);
		vd_desc(&d->ring, 1, giova(d, STATUS_AT - b->in_len + 1), b->in_len,
			VRING_DESC_F_WRITE, 0);
		vd_publish(&d->ring, 0);
		vd_kick(&d->ring);
		ASSERT_EQ(1, vd_wait_used(&d->ring, &id, &len, WAIT_MS)) TH_LOG("%s", b->what);
		status = *gbuf(d, STATUS_AT);
		EXPECT_EQ(VIRTIO_I2C_MSG_ERR, status) TH_LOG("%s", b->what);
		/* review: the whole writable part was reported written */
		EXPECT_EQ(1u, len) TH_LOG("%s: used length", b->what);
		EXPECT_EQ(1, kmsg_has(self->e.kmsg, b->what, 2000)) TH_LOG("%s", b->what);
	}
	EXPECT_EQ((long)i, stat(&self->e, "invalid"));
	EXPECT_EQ(transfers, read_long(TEST_ADAPTER "/transfers"));
	EXPECT_EQ(1, xfer(&self->e, &ok, 1));
}

/*
 * Post a read of five one-byte pieces, more than the device keeps, then the
 * status byte, and with empty_last an empty piece after it. Its used length.
 */
static uint32_t read_in_pieces(struct __test_metadata *_metadata,
			       struct vd_dev *d, bool empty_last)
{
	struct virtio_i2c_out_hdr *hdr = (void *)gbuf(d, 0);
	uint32_t id, len = 0;
	unsigned int i;

	hdr->addr = htole16(A7(0x50));
	hdr->padding = 0;
	hdr->flags = htole32(VIRTIO_I2C_FLAGS_M_RD);
	*gbuf(d, STATUS_AT) = 0xff;
	vd_desc(&d->ring, 0, giova(d, 0), 8, VRING_DESC_F_NEXT, 1);
	for (i = 1; i <= 5; i++)
		vd_desc(&d->ring, i, giova(d, DATA_AT + i), 1,
			VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, i + 1);
	vd_desc(&d->ring, 6, giova(d, STATUS_AT), 1,
		VRING_DESC_F_WRITE | (empty_last ? VRING_DESC_F_NEXT : 0), 7);
	if (empty_last)
		vd_desc(&d->ring, 7, giova(d, DATA_AT + 17), 0, VRING_DESC_F_WRITE, 0);
	vd_publish(&d->ring, 0);
	vd_kick(&d->ring);
	EXPECT_EQ(1, vd_wait_used(&d->ring, &id, &len, WAIT_MS));
	return len;
}

/* Read data in five pieces: more than the device keeps; the status goes. */
TEST_F(i2c, read_in_too_many_pieces)
{
	struct vd_dev *d = &self->e.d;

	EXPECT_EQ(1u, read_in_pieces(_metadata, d, false));
	EXPECT_EQ(VIRTIO_I2C_MSG_ERR, *gbuf(d, STATUS_AT));
	EXPECT_EQ(1, kmsg_has(self->e.kmsg, "more than 4 pieces", 2000));
}

/*
 * Review: with more than 4 pieces and an empty last one, the status went one
 * byte before that empty piece. It is the last byte of the last piece with
 * room: the status piece, here.
 */
TEST_F(i2c, too_many_pieces_empty_last)
{
	struct vd_dev *d = &self->e.d;
	uint8_t *before_empty = gbuf(d, DATA_AT + 16);

	*before_empty = 0x5a;
	EXPECT_EQ(1u, read_in_pieces(_metadata, d, true));
	EXPECT_EQ(VIRTIO_I2C_MSG_ERR, *gbuf(d, STATUS_AT));
	EXPECT_EQ(0x5a, *before_empty);
}

/* No byte for the status: nothing to answer with, so NEEDS_RESET. */
TEST_F(i2c, no_status_byte)
{
	struct vd_dev *d = &self->e.d;
	struct msg ok = rd(A7(0x50), 1);

	vd_desc(&d->ring, 0, giova(d, 0), 8, 0, 0);
	vd_publish(&d->ring, 0);
	vd_kick(&d->ring);
	ASSERT_EQ(1, vd_wait_status(d, VIRTIO_CONFIG_S_NEEDS_RESET, WAIT_MS));
	EXPECT_EQ(1, kmsg_has(self->e.kmsg, "request 0 has no device-writable status byte", 2000));
	ASSERT_EQ(0, device_up(&self->e, I2C_FEATURES));
	EXPECT_EQ(1, xfer(&self->e, &ok, 1));
}

TEST_F(i2c, features_refused)
{
	uint8_t status;

	ASSERT_EQ(-EPROTO, vd_negotiate(&self->e.d,
					I2C_FEATURES & ~F(VIRTIO_I2C_F_ZERO_LENGTH_REQUEST)));
	ASSERT_EQ(0, vd_get_status(&self->e.d, &status));
	EXPECT_FALSE(status & VIRTIO_CONFIG_S_FEATURES_OK);
	EXPECT_EQ(1, kmsg_has(self->e.kmsg, "ZERO_LENGTH_REQUEST not accepted", 2000));

	ASSERT_EQ(0, vd_set_status(&self->e.d, 0));
	ASSERT_EQ(0, vdpa_set_attr(self->e.name, "adapter", "\n"));
	ASSERT_EQ(-EPROTO, vd_negotiate(&self->e.d, I2C_FEATURES));
	ASSERT_EQ(0, vd_get_status(&self->e.d, &status));
	EXPECT_FALSE(status & VIRTIO_CONFIG_S_FEATURES_OK);
	EXPECT_EQ(1, kmsg_has(self->e.kmsg, "no I2C adapter bound", 2000));
}

TEST_F(i2c, sysfs_refusals)
{
	char allow[400] = "", buf[64];
	int i;

	EXPECT_EQ(-EBUSY, vdpa_set_attr(self->e.name, "adapter", "i2c-0"));
	EXPECT_EQ(1, kmsg_has(self->e.kmsg, "a driver uses the device", 2000));
	ASSERT_EQ(0, vd_set_status(&self->e.d, 0));
	EXPECT_EQ(-ENODEV, vdpa_set_attr(self->e.name, "adapter", "i2c-9999"));
	EXPECT_EQ(-EINVAL, vdpa_set_attr(self->e.name, "adapter", "eeprom"));
	EXPECT_EQ(-EINVAL, vdpa_set_attr(self->e.name, "adapter", "i2c-12345678901234567"));
	EXPECT_EQ(1, kmsg_has(self->e.kmsg, "no adapter i2c-9999", 2000));

	EXPECT_EQ(-EINVAL, vdpa_set_attr(self->e.name, "allow", "0x80"));
	EXPECT_EQ(-EINVAL, vdpa_set_attr(self->e.name, "allow", "0xa400"));
	EXPECT_EQ(-EINVAL, vdpa_set_attr(self->e.name, "allow", "0x57-0x50"));
	EXPECT_EQ(-EINVAL, vdpa_set_attr(self->e.name, "allow", "0x50 fifty"));
	EXPECT_EQ(1, kmsg_has(self->e.kmsg, "'fifty' is not an address", 2000));
	for (i = 0; i < 33; i++)
		snprintf(allow + strlen(allow), sizeof(allow) - strlen(allow), "%#x ", i);
	EXPECT_EQ(-E2BIG, vdpa_set_attr(self->e.name, "allow", allow));
	/* a refused write changes nothing */
	ASSERT_EQ(0, vdpa_get_attr_str(self->e.name, "allow", buf, sizeof(buf)));
	EXPECT_STREQ("0x50 0x30 0xa2a0", buf);
	ASSERT_EQ(0, vdpa_set_attr(self->e.name, "allow", "0x8,0x50-0x57 0xa000-0xa3ff"));
	ASSERT_EQ(0, vdpa_get_attr_str(self->e.name, "allow", buf, sizeof(buf)));
	EXPECT_STREQ("0x8 0x50-0x57 0xa000-0xa3ff", buf);
}

/*
 * A second device under a name already taken is refused by the vDPA core;
 * the refusal must leave the device list as it was (a use-after-free when
 * the failed device was unlinked after the core had freed it).
 */
TEST_F(i2c, name_taken)
{
	struct msg m[2] = { wr(A7(0x50), 1, (uint8_t[]){ 0x10 }), rd(A7(0x50), 1) };

	EXPECT_NE(0, vdpa_add(self->e.name, "vhost_i2c", NULL, 0));
	ASSERT_EQ(2, xfer(&self->e, m, 2));
	EXPECT_EQ(0x10, m[1].data[0]);
}

/* The adapter's driver goes away under the device: requests fail, no hang. */
TEST_F(i2c, adapter_removed)
{
	struct msg m[2] = { wr(A7(0x50), 1, (uint8_t[]){ 0 }), rd(A7(0x50), 1) };
	char buf[32], adapter[32];

	ASSERT_EQ(0, write_str(TEST_DRIVER "/unbind", "vx_test_i2c"));
	EXPECT_EQ(1, kmsg_has(self->e.kmsg, "is going away: unbound", 2000));
	ASSERT_EQ(0, vdpa_get_attr_str(self->e.name, "adapter", buf, sizeof(buf)));
	EXPECT_STREQ("", buf);
	EXPECT_EQ(0, xfer(&self->e, m, 2));
	EXPECT_EQ(1, kmsg_has(self->e.kmsg, "no adapter bound", 2000));
	ASSERT_EQ(0, write_str(TEST_DRIVER "/bind", "vx_test_i2c"));
	/* bound again by the administrator, used after the driver's reset */
	adapter_named("vx-test-i2c", adapter, sizeof(adapter));
	ASSERT_NE(0, adapter[0]);
	ASSERT_EQ(0, vd_set_status(&self->e.d, 0));
	ASSERT_EQ(0, vdpa_set_attr(self->e.name, "adapter", adapter));
	ASSERT_EQ(0, device_up(&self->e, I2C_FEATURES));
	EXPECT_EQ(2, xfer(&self->e, m, 2));
}

struct traffic {
	struct i2c_env *env;
	int stop;		/* atomic: set by the test's thread */
	unsigned long done;
};

/* A guest vCPU: random reads, one after another, whatever happens. */
static void *guest_traffic(void *arg)
{
	struct traffic *t = arg;
	struct vd_dev *d = &t->env->d;
	struct msg m[2] = { wr(A7(0x50), 1, (uint8_t[]){ 0 }), rd(A7(0x50), 16) };
	uint32_t id, len;

	while (!__atomic_load_n(&t->stop, __ATOMIC_RELAXED)) {
		post(d, 0, &m[0], 1);
		post(d, 1, &m[1], 0);
		vd_kick(&d->ring);
		while (vd_wait_used(&d->ring, &id, &len, 20) == 1)
			t->done++;
	}
	return NULL;
}

/* Transfers, with the adapter slow, and resets at once. */
TEST_F(i2c, reset_under_traffic)
{
	struct traffic t = { .env = &self->e };
	struct msg m = rd(A7(0x50), 1);
	pthread_t thread;
	int i;

	ASSERT_EQ(0, write_str("/sys/module/vx_test_i2c/parameters/xfer_delay_us", "2000"));
	ASSERT_EQ(0, pthread_create(&thread, NULL, guest_traffic, &t));
	for (i = 0; i < 30; i++) {
		usleep(10000);
		ASSERT_EQ(0, vd_set_status(&self->e.d, 0));
		ASSERT_EQ(0, vd_negotiate(&self->e.d, I2C_FEATURES));
		ASSERT_EQ(0, vd_ring_attach(&self->e.d));
	}
	__atomic_store_n(&t.stop, 1, __ATOMIC_RELAXED);
	pthread_join(thread, NULL);
	TH_LOG("%lu requests completed across 30 resets", t.done);
	ASSERT_EQ(0, device_up(&self->e, I2C_FEATURES));
	EXPECT_EQ(1, xfer(&self->e, &m, 1));
}

/* The owner: the device opened again, random reads one after another. */
static void i2c_owner(void *env)
{
	struct traffic t = { .env = env };

	if (vd_open(&t.env->d, t.env->path) || device_up(t.env, I2C_FEATURES))
		_exit(1);
	guest_traffic(&t);
}

/* The owner is killed while it transfers; the device reopens and works. */
TEST_F(i2c, owner_dies_mid_transfer)
{
	struct msg m = rd(A7(0x50), 1);

	ASSERT_EQ(0, write_str("/sys/module/vx_test_i2c/parameters/xfer_delay_us", "1000"));
	vd_close(&self->e.d);
	EXPECT_EQ(1, vd_kill_owner(i2c_owner, &self->e, 500))
		TH_LOG("the owner ended before the kill");
	ASSERT_EQ(0, vd_reopen(&self->e.d, self->e.path));
	ASSERT_EQ(0, device_up(&self->e, I2C_FEATURES));
	EXPECT_EQ(1, xfer(&self->e, &m, 1));
}

/*
 * The owner of a stalled device (vd_stalled_owner()): its request's header
 * lies on a page of guest memory that never comes.
 */
static void stalled_owner(void *arg, int report)
{
	struct i2c_env *env = arg;
	struct vd_dev *d = &env->d;
	uint64_t iova;
	pid_t holder;

	if (vd_reopen(d, env->path) || device_up(env, I2C_FEATURES) ||
	    vd_missing_page(d, &iova, &holder))
		_exit(1);
	vd_desc(&d->ring, 0, iova, sizeof(struct virtio_i2c_out_hdr),
		VRING_DESC_F_NEXT, 1);
	vd_desc(&d->ring, 1, giova(d, STATUS_AT), 1, VRING_DESC_F_WRITE, 0);
	vd_publish(&d->ring, 0);
	vd_kick(&d->ring);
	if (write(report, &holder, sizeof(holder)) != sizeof(holder))
		_exit(1);
	pause();
}

/*
 * Review: a worker stalled on its owner's memory held the device lock,
 * which the adapter notifier took for every device, so no I2C adapter
 * could be removed and no vhost-i2c device added or deleted until the
 * owner answered. Now they complete, the stalled device's settings stay
 * readable, and killing the owner ends the stall: its device goes, though
 * the userfaultfd still never answers.
 */
TEST_F(i2c, owner_memory_never_answers)
{
	const char *sysfs = "/sys/bus/vdpa/devices";
	pid_t owner, holder = 0;

	vd_close(&self->e.d);
	owner = vd_stalled_owner(stalled_owner, &self->e, &holder);
	ASSERT_LT(0, owner);

	EXPECT_EQ(0, shell_within_ms(10000, "cat %s/%s/adapter %s/%s/allow >/dev/null",
				     sysfs, self->e.name, sysfs, self->e.name));
	EXPECT_EQ(0, shell_within_ms(10000, "echo vx_test_i2c >%s/unbind", TEST_DRIVER));
	EXPECT_EQ(1, kmsg_has(self->e.kmsg, "is going away: unbound", 2000));
	EXPECT_EQ(0, shell_within_ms(10000, "vdpa dev add name %s-b mgmtdev vhost_i2c && %s %s-b",
				     self->e.name, "vdpa dev del", self->e.name));

	kill(owner, SIGKILL);
	waitpid(owner, NULL, 0);
	EXPECT_EQ(0, shell_within_ms(10000, "vdpa dev del %s", self->e.name));
	kill(holder, SIGKILL);
	EXPECT_EQ(0, write_str(TEST_DRIVER "/bind", "vx_test_i2c"));
}

/* i2c-stub: an SMBus-only adapter, a chip at 0x48. */
FIXTURE(smbus) {
	struct i2c_env e;
	long functionality;
};

FIXTURE_SETUP(smbus)
{
	self->e.kmsg = -1;
	self->e.d.fd = -1;
	self->functionality = read_long(STUB_FUNCTIONALITY);
	ASSERT_LT(0, self->functionality);
	ASSERT_EQ(0, env_setup(&self->e, "SMBus stub driver", "0x48-0x49"));
}

FIXTURE_TEARDOWN(smbus)
{
	char f[32];

	snprintf(f, sizeof(f), "%ld", self->functionality);
	write_str(STUB_FUNCTIONALITY, f);
	env_teardown(&self->e);
}

TEST_F(smbus, quick)
{
	struct msg m = wr(A7(0x48), 0, NULL);

	EXPECT_EQ(1, xfer(&self->e, &m, 1));
	m.addr = A7(0x49);
	EXPECT_EQ(0, xfer(&self->e, &m, 1));
	EXPECT_EQ(1, stat(&self->e, "adapter_errors"));
}

/* Byte data and word data, written and read back (register 0x10). */
TEST_F(smbus, byte_and_word_data)
{
	struct msg w = wr(A7(0x48), 2, (uint8_t[]){ 0x10, 0x5a });
	struct msg r[2] = { wr(A7(0x48), 1, (uint8_t[]){ 0x10 }), rd(A7(0x48), 1) };

	ASSERT_EQ(1, xfer(&self->e, &w, 1));
	ASSERT_EQ(2, xfer(&self->e, r, 2));
	EXPECT_EQ(0x5a, r[1].data[0]);
	w = wr(A7(0x48), 3, (uint8_t[]){ 0x11, 0x34, 0x12 });
	ASSERT_EQ(1, xfer(&self->e, &w, 1));
	r[0].data[0] = 0x11;
	r[1] = rd(A7(0x48), 2);
	ASSERT_EQ(2, xfer(&self->e, r, 2));
	EXPECT_EQ(0x34, r[1].data[0]);
	EXPECT_EQ(0x12, r[1].data[1]);
}

/* Send byte sets the chip's pointer, receive byte reads there. */
TEST_F(smbus, send_and_receive_byte)
{
	struct msg w = wr(A7(0x48), 2, (uint8_t[]){ 0x20, 0x99 });
	struct msg p = wr(A7(0x48), 1, (uint8_t[]){ 0x20 });
	struct msg r = rd(A7(0x48), 1);

	ASSERT_EQ(1, xfer(&self->e, &w, 1));
	ASSERT_EQ(1, xfer(&self->e, &p, 1));
	ASSERT_EQ(1, xfer(&self->e, &r, 1));
	EXPECT_EQ(0x99, r.data[0]);
}

TEST_F(smbus, i2c_block)
{
	struct msg w = wr(A7(0x48), 9, (uint8_t[]){ 0x40, 1, 2, 3, 4, 5, 6, 7, 8 });
	struct msg r[2] = { wr(A7(0x48), 1, (uint8_t[]){ 0x40 }), rd(A7(0x48), 8) };

	ASSERT_EQ(1, xfer(&self->e, &w, 1));
	ASSERT_EQ(2, xfer(&self->e, r, 2));
	EXPECT_EQ(0, memcmp(r[1].data, &w.data[1], 8));
}

/* Without I2C block support: SMBus block transfers, count on the wire. */
TEST_F(smbus, smbus_block)
{
	char f[32];
	struct msg w = wr(A7(0x48), 5, (uint8_t[]){ 0x60, 3, 0xa, 0xb, 0xc });
	struct msg r[2] = { wr(A7(0x48), 1, (uint8_t[]){ 0x60 }), rd(A7(0x48), 4) };

	/* quick, byte, byte data, word data, block data */
	snprintf(f, sizeof(f), "%d", 0x010000 | 0x060000 | 0x180000 | 0x600000 |
		 0x3000000);
	ASSERT_EQ(0, write_str(STUB_FUNCTIONALITY, f));
	ASSERT_EQ(1, xfer(&self->e, &w, 1));
	ASSERT_EQ(2, xfer(&self->e, r, 2));
	EXPECT_EQ(0, memcmp(r[1].data, &w.data[1], 4));
	/* a read of another length than the block's: an error */
	r[1] = rd(A7(0x48), 6);
	EXPECT_EQ(0, xfer(&self->e, r, 2));
}

/* What SMBus cannot say fails, and the chip never sees it. */
TEST_F(smbus, not_expressible)
{
	struct msg plain = rd(A7(0x48), 4);
	struct msg three[3] = {
		wr(A7(0x48), 1, (uint8_t[]){ 0 }), rd(A7(0x48), 1), rd(A7(0x48), 1),
	};
	struct msg two_targets[2] = { wr(A7(0x48), 1, (uint8_t[]){ 0 }), rd(A7(0x49), 1) };
	static const uint8_t zeros[40];
	struct msg long_write = wr(A7(0x48), sizeof(zeros), zeros);

	EXPECT_EQ(0, xfer(&self->e, &plain, 1));
	EXPECT_EQ(0, xfer(&self->e, three, 3));
	EXPECT_EQ(0, xfer(&self->e, two_targets, 2));
	EXPECT_EQ(0, xfer(&self->e, &long_write, 1));
	EXPECT_EQ(4, stat(&self->e, "unsupported"));
	EXPECT_EQ(0, stat(&self->e, "transfers"));
	EXPECT_EQ(1, kmsg_has(self->e.kmsg, "has no SMBus transaction for 3 requests", 2000));
}

TEST_HARNESS_MAIN
