// SPDX-License-Identifier: GPL-2.0
/*
 * vhost-rng through vhost-vdpa, driven as QEMU drives a device: every
 * buffer shape, interrupt suppression, the rate limit, and a guest that
 * breaks every ring rule. Each test has a device of its own, created with
 * the vdpa tool. Needs vhost_rng and vhost_vdpa loaded, and root.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/vhost.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>

#include "kselftest_harness.h"
#include "clock.h"
#include "kmsg.h"
#include "shell.h"
#include "vdpa_driver.h"
#include "vdpa_mgmt.h"

#define F(bit) (1ull << (bit))
#define RNG_FEATURES (F(VIRTIO_F_VERSION_1) | F(VIRTIO_F_ACCESS_PLATFORM) | \
		      F(VIRTIO_RING_F_INDIRECT_DESC) | F(VIRTIO_RING_F_EVENT_IDX))
#define RING 16
/* What the device gives one request at most. */
#define REQUEST_MAX 65536

FIXTURE(rng) {
	char name[32];
	char path[64];
	struct vd_dev d;
	int kmsg;
};

FIXTURE_SETUP(rng)
{
	snprintf(self->name, sizeof(self->name), "vrt%d", getpid());
	ASSERT_EQ(0, vdpa_add(self->name, "vhost_rng", self->path,
			      sizeof(self->path)));
	ASSERT_EQ(0, vd_open(&self->d, self->path));
	self->kmsg = kmsg_open();
	ASSERT_LE(0, self->kmsg);
	ASSERT_EQ(0, vd_start(&self->d, RNG_FEATURES, RING));
}

FIXTURE_TEARDOWN(rng)
{
	vd_close(&self->d);
	close(self->kmsg);
	vdpa_del(self->name);
}

/* Guest buffers, after the ring. */
static uint8_t *buf(struct vd_dev *d, size_t off)
{
	return d->mem.base + VD_RING_AREA + off;
}

static uint64_t buf_iova(struct vd_dev *d, size_t off)
{
	return d->mem.iova + VD_RING_AREA + off;
}

/* Make the chain at head available, kick, wait: the used length or -1. */
static long serve(struct vd_dev *d, uint16_t head)
{
	uint32_t id, len;

	vd_publish(&d->ring, head);
	vd_kick(&d->ring);
	if (vd_wait_used(&d->ring, &id, &len, 5000) != 1 || id != head)
		return -1;
	return len;
}

/* Random-looking: not all one value, few zero bytes. */
static int looks_random(const uint8_t *p, size_t len)
{
	size_t zeros = 0, i;

	for (i = 0; i < len; i++)
		zeros += !p[i];
	return len >= 8 && zeros < len / 4 + 2 && memcmp(p, p + 1, len - 1);
}

/* A single 64-byte request, in descriptor 0. */
static long one_request(struct vd_dev *d)
{
	memset(buf(d, 0), 0, 64);
	vd_desc(&d->ring, 0, buf_iova(d, 0), 64, VRING_DESC_F_WRITE, 0);
	return serve(d, 0);
}

/*
 * More guest memory, at 0x80000000, mapped for the device with perm only;
 * taken back by unmap_extra_memory().
 */
static int map_extra_memory(struct vd_dev *d, struct vd_mem *mem, uint8_t perm)
{
	int ret = vd_mem_init(mem, 65536, 0x80000000ull);

	return ret ? ret : vd_map(d, mem->iova, mem->base, mem->size, perm);
}

static void unmap_extra_memory(struct vd_dev *d, struct vd_mem *mem)
{
	vd_unmap(d, mem->iova, mem->size);
	vd_mem_free(mem);
}

/*
 * The device must say NEEDS_RESET and log why, then work again after the
 * driver resets it.
 */
static void expect_broken(struct __test_metadata *_metadata,
			  struct vd_dev *d, int kmsg, const char *why)
{
	vd_kick(&d->ring);
	ASSERT_EQ(1, vd_wait_status(d, VIRTIO_CONFIG_S_NEEDS_RESET, 5000));
	EXPECT_EQ(1, kmsg_has(kmsg, why, 2000))
		TH_LOG("no log line with '%s'", why);
	ASSERT_EQ(0, vd_start(d, RNG_FEATURES, RING));
	EXPECT_EQ(64, one_request(d));
	EXPECT_TRUE(looks_random(buf(d, 0), 64));
}

#define EXPECT_BROKEN(why) expect_broken(_metadata, &self->d, self->kmsg, why)

TEST_F(rng, identity)
{
	uint64_t features;
	uint32_t id, size;
	uint16_t num;

	ASSERT_EQ(0, ioctl(self->d.fd, VHOST_VDPA_GET_DEVICE_ID, &id));
	EXPECT_EQ(4u, id);
	ASSERT_EQ(0, vd_device_features(&self->d, &features));
	EXPECT_EQ(RNG_FEATURES, features & RNG_FEATURES);
	ASSERT_EQ(0, ioctl(self->d.fd, VHOST_VDPA_GET_VRING_NUM, &num));
	EXPECT_EQ(1024, num);
	/* entropy devices have no configuration; QEMU needs some to read */
	ASSERT_EQ(0, ioctl(self->d.fd, VHOST_VDPA_GET_CONFIG_SIZE, &size));
	EXPECT_EQ(4u, size);
}

TEST_F(rng, single_buffer)
{
	uint8_t first[64];

	ASSERT_EQ(64, one_request(&self->d));
	EXPECT_TRUE(looks_random(buf(&self->d, 0), 64));
	memcpy(first, buf(&self->d, 0), 64);
	ASSERT_EQ(64, one_request(&self->d));
	EXPECT_NE(0, memcmp(first, buf(&self->d, 0), 64));
}

#define POLL_US "/sys/module/virtio_backend/parameters/poll_us"

/* How often the worker went to sleep while it served n requests. */
static long sleeps_serving(struct vd_dev *d, unsigned int n)
{
	long before = vd_worker_sleeps();

	while (n--)
		if (one_request(d) != 64)
			return -1;
	return vd_worker_sleeps() - before;
}

/*
 * virtio_backend's poll_us: after a pass the worker waits busy that long
 * for the next kick, so requests that follow closely find it awake. The
 * driver runs on another CPU than the worker: its wake-ups, on the
 * worker's CPU, would end the wait (as anything else there does).
 */
TEST_F(rng, worker_waits_busy_after_a_pass)
{
	cpu_set_t worker_cpu, driver_cpu;
	long asleep;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "needs two CPUs");
	CPU_ZERO(&worker_cpu);
	CPU_SET(1, &worker_cpu);
	CPU_ZERO(&driver_cpu);
	CPU_SET(0, &driver_cpu);
	ASSERT_EQ(0, sched_setaffinity(vd_worker_tid(), sizeof(worker_cpu), &worker_cpu));
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(driver_cpu), &driver_cpu));
	/* by default it sleeps after each */
	asleep = sleeps_serving(&self->d, 40);
	EXPECT_LE(30, asleep);
	/*
	 * Waiting busy, far less: not never, as what else wants its CPU (a
	 * kernel thread of the debug kernel's, say) ends a wait.
	 */
	ASSERT_EQ(0, run_cmd("echo 200000 >" POLL_US));
	EXPECT_GT(asleep * 2 / 3, sleeps_serving(&self->d, 40));
	EXPECT_EQ(0, run_cmd("echo 0 >" POLL_US));
}

/*
 * The device draws a page at a time and hands out pieces: no piece goes
 * out twice, across draws and across a reset.
 */
TEST_F(rng, drawn_bytes_go_out_once)
{
	static uint8_t seen[200][64];
	unsigned int i, j;

	for (i = 0; i < 200; i++) {
		if (i == 100)
			ASSERT_EQ(0, vd_start(&self->d, RNG_FEATURES, RING));
		ASSERT_EQ(64, one_request(&self->d));
		EXPECT_TRUE(looks_random(buf(&self->d, 0), 64));
		memcpy(seen[i], buf(&self->d, 0), 64);
		for (j = 0; j < i; j++)
			ASSERT_NE(0, memcmp(seen[i], seen[j], 64));
	}
}

/* A second device under a taken name is refused; the first one serves on. */
TEST_F(rng, name_taken)
{
	EXPECT_NE(0, vdpa_add(self->name, "vhost_rng", NULL, 0));
	ASSERT_EQ(64, one_request(&self->d));
	EXPECT_TRUE(looks_random(buf(&self->d, 0), 64));
}

TEST_F(rng, chained_buffers)
{
	struct vd_ring *r = &self->d.ring;

	memset(buf(&self->d, 0), 0, 8192);
	vd_desc(r, 3, buf_iova(&self->d, 0), 16,
		VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 7);
	vd_desc(r, 7, buf_iova(&self->d, 100), 100,
		VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 1);
	vd_desc(r, 1, buf_iova(&self->d, 4096), 4000, VRING_DESC_F_WRITE, 0);
	ASSERT_EQ(4116, serve(&self->d, 3));
	EXPECT_TRUE(looks_random(buf(&self->d, 0), 16));
	EXPECT_TRUE(looks_random(buf(&self->d, 100), 100));
	EXPECT_TRUE(looks_random(buf(&self->d, 4096), 4000));
	/* nothing outside the buffers */
	EXPECT_EQ(0, buf(&self->d, 16)[0]);
	EXPECT_EQ(0, buf(&self->d, 200)[0]);
	EXPECT_EQ(0, buf(&self->d, 8096)[0]);
}

TEST_F(rng, indirect_buffers)
{
	struct vring_desc *table = (struct vring_desc *)buf(&self->d, 8192);
	int i;

	memset(buf(&self->d, 0), 0, 4096);
	for (i = 0; i < 4; i++) {
		vd_set_desc(table, i, buf_iova(&self->d, i * 1024), 1000,
			    VRING_DESC_F_WRITE | (i < 3 ? VRING_DESC_F_NEXT : 0),
			    i + 1);
	}
	vd_desc(&self->d.ring, 5, buf_iova(&self->d, 8192), 4 * 16,
		VRING_DESC_F_INDIRECT, 0);
	ASSERT_EQ(4000, serve(&self->d, 5));
	for (i = 0; i < 4; i++)
		EXPECT_TRUE(looks_random(buf(&self->d, i * 1024), 1000));
}

/* The device may fill less than a buffer: a bounded amount per request. */
TEST_F(rng, large_buffer_partly_filled)
{
	vd_desc(&self->d.ring, 0, buf_iova(&self->d, 0), 1 << 20,
		VRING_DESC_F_WRITE, 0);
	EXPECT_EQ(REQUEST_MAX, serve(&self->d, 0));
	EXPECT_TRUE(looks_random(buf(&self->d, 0), REQUEST_MAX));
}

/* Without event index: a call per request, none when the driver says so. */
TEST_F(rng, interrupt_suppression_flag)
{
	ASSERT_EQ(0, vd_start(&self->d, RNG_FEATURES & ~F(VIRTIO_RING_F_EVENT_IDX),
			      RING));
	ASSERT_EQ(64, one_request(&self->d));
	EXPECT_TRUE(vd_called(&self->d.ring, 2000));
	self->d.ring.avail->flags = htole16(VRING_AVAIL_F_NO_INTERRUPT);
	ASSERT_EQ(64, one_request(&self->d));
	EXPECT_FALSE(vd_called(&self->d.ring, 200));
	/* and the device left kicks on after serving */
	EXPECT_EQ(0, le16toh(self->d.ring.used->flags) & VRING_USED_F_NO_NOTIFY);
}

/* With event index: a call only when used_event is crossed. */
TEST_F(rng, interrupt_suppression_event_index)
{
	struct vd_ring *r = &self->d.ring;
	uint16_t *used_event = &r->avail->ring[r->num];
	uint16_t *avail_event = (uint16_t *)&r->used->ring[r->num];

	ASSERT_EQ(64, one_request(&self->d));
	EXPECT_TRUE(vd_called(r, 2000));
	*used_event = htole16(r->last_used + 100);
	ASSERT_EQ(64, one_request(&self->d));
	EXPECT_FALSE(vd_called(r, 200));
	*used_event = htole16(r->last_used);
	ASSERT_EQ(64, one_request(&self->d));
	EXPECT_TRUE(vd_called(r, 2000));
	/* the device asks for a kick at the next buffer */
	EXPECT_EQ(r->avail_idx, le16toh(*avail_event));
}

/* Keep the ring full of 4 KiB requests for about secs: bytes received. */
static uint64_t stream(struct vd_dev *d, double secs)
{
	struct vd_ring *r = &d->ring;
	double end = now_seconds() + secs;
	uint64_t bytes = 0;
	uint32_t id, len;
	unsigned int i;

	for (i = 0; i < r->num; i++) {
		vd_desc(r, i, buf_iova(d, i * 4096), 4096, VRING_DESC_F_WRITE, 0);
		vd_publish(r, i);
	}
	vd_kick(r);
	while (now_seconds() < end) {
		if (vd_wait_used(r, &id, &len, 50) != 1)
			continue;
		bytes += len;
		vd_publish(r, id);
		vd_kick(r);
	}
	return bytes;
}

TEST_F(rng, rate_limit)
{
	const double rate = 32768, burst = rate / 8;
	double start, elapsed;
	uint64_t bytes;

	ASSERT_EQ(0, vdpa_set_attr(self->name, "rate_limit", "32768"));
	EXPECT_EQ(32768, vdpa_get_attr(self->name, "rate_limit"));
	start = now_seconds();
	bytes = stream(&self->d, 1.5);
	elapsed = now_seconds() - start;
	TH_LOG("%llu bytes in %.2f s at a limit of %.0f B/s",
	       (unsigned long long)bytes, elapsed, rate);
	EXPECT_LT(0u, bytes);
	/* what the bucket allows, and 2% for the clocks' granularity */
	EXPECT_GE(rate * elapsed * 1.02 + burst, (double)bytes);
	/* lifted: the ring gives far more than the limit allowed */
	ASSERT_EQ(0, vdpa_set_attr(self->name, "rate_limit", "0"));
	ASSERT_EQ(0, vd_start(&self->d, RNG_FEATURES, RING));
	EXPECT_LT(rate * 1.5, (double)stream(&self->d, 0.5));
	EXPECT_EQ(vdpa_get_attr(self->name, "served_bytes") > 0, 1);
}

/* Resetting the device does not refill the bucket. */
TEST_F(rng, rate_limit_survives_reset)
{
	const double rate = 32768, burst = rate / 8;
	uint64_t bytes = 0;
	double start;
	long len;
	int i;

	ASSERT_EQ(0, vdpa_set_attr(self->name, "rate_limit", "32768"));
	start = now_seconds();
	for (i = 0; i < 20; i++) {
		ASSERT_EQ(0, vd_start(&self->d, RNG_FEATURES, RING));
		vd_desc(&self->d.ring, 0, buf_iova(&self->d, 0), 4096,
			VRING_DESC_F_WRITE, 0);
		len = serve(&self->d, 0);
		ASSERT_LT(0, len);
		bytes += len;
	}
	TH_LOG("%llu bytes in %.2f s across 20 resets",
	       (unsigned long long)bytes, now_seconds() - start);
	EXPECT_GE(rate * (now_seconds() - start) * 1.02 + burst, (double)bytes);
}

TEST_F(rng, rate_limit_refuses_garbage)
{
	EXPECT_EQ(-EINVAL, vdpa_set_attr(self->name, "rate_limit", "fast"));
	EXPECT_EQ(-EINVAL, vdpa_set_attr(self->name, "rate_limit", "-1"));
	EXPECT_EQ(-ERANGE, vdpa_set_attr(self->name, "rate_limit", "4294967296"));
	EXPECT_EQ(1, kmsg_has(self->kmsg, "rate_limit: not a number", 2000));
	EXPECT_EQ(0, vdpa_get_attr(self->name, "rate_limit"));
}

TEST_F(rng, features_refused)
{
	uint64_t no_v1 = RNG_FEATURES & ~F(VIRTIO_F_VERSION_1);
	uint64_t unknown = RNG_FEATURES | F(50);

	EXPECT_EQ(-EINVAL, vd_negotiate(&self->d, no_v1));
	EXPECT_EQ(-EINVAL, vd_negotiate(&self->d, unknown));
	ASSERT_EQ(0, vd_start(&self->d, RNG_FEATURES, RING));
	EXPECT_EQ(64, one_request(&self->d));
}

/* FEATURES_OK does not stick without the features the core needs. */
TEST_F(rng, features_ok_without_features)
{
	uint8_t status;

	ASSERT_EQ(0, vd_set_status(&self->d, 0));
	ASSERT_EQ(0, vd_set_status(&self->d, VIRTIO_CONFIG_S_ACKNOWLEDGE |
				   VIRTIO_CONFIG_S_DRIVER));
	ASSERT_EQ(0, vd_set_status(&self->d, VIRTIO_CONFIG_S_ACKNOWLEDGE |
				   VIRTIO_CONFIG_S_DRIVER |
				   VIRTIO_CONFIG_S_FEATURES_OK));
	ASSERT_EQ(0, vd_get_status(&self->d, &status));
	EXPECT_EQ(0, status & VIRTIO_CONFIG_S_FEATURES_OK);
	EXPECT_EQ(1, kmsg_has(self->kmsg, "FEATURES_OK refused", 2000));
	ASSERT_EQ(0, vd_start(&self->d, RNG_FEATURES, RING));
	EXPECT_EQ(64, one_request(&self->d));
}

TEST_F(rng, driver_ok_without_features_ok)
{
	ASSERT_EQ(0, vd_set_status(&self->d, 0));
	ASSERT_EQ(0, vd_set_status(&self->d, VIRTIO_CONFIG_S_ACKNOWLEDGE |
				   VIRTIO_CONFIG_S_DRIVER |
				   VIRTIO_CONFIG_S_DRIVER_OK));
	EXPECT_BROKEN("DRIVER_OK without FEATURES_OK");
}

TEST_F(rng, descriptor_loop)
{
	vd_desc(&self->d.ring, 0, buf_iova(&self->d, 0), 16,
		VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 1);
	vd_desc(&self->d.ring, 1, buf_iova(&self->d, 16), 16,
		VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 0);
	vd_publish(&self->d.ring, 0);
	EXPECT_BROKEN("longer than the ring (16 descriptors) or a loop");
}

/* 15 chained descriptors, then an indirect table of 8: 23 > 16. */
TEST_F(rng, chain_longer_than_ring)
{
	struct vring_desc *table = (struct vring_desc *)buf(&self->d, 65536);
	int i;

	for (i = 0; i < 15; i++)
		vd_desc(&self->d.ring, i, buf_iova(&self->d, i * 16), 16,
			VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, i + 1);
	for (i = 0; i < 8; i++) {
		vd_set_desc(table, i, buf_iova(&self->d, 4096 + i * 16), 16,
			    VRING_DESC_F_WRITE | (i < 7 ? VRING_DESC_F_NEXT : 0),
			    i + 1);
	}
	vd_desc(&self->d.ring, 15, buf_iova(&self->d, 65536), 8 * 16,
		VRING_DESC_F_INDIRECT, 0);
	vd_publish(&self->d.ring, 0);
	EXPECT_BROKEN("longer than the ring");
}

TEST_F(rng, head_out_of_range)
{
	vd_publish(&self->d.ring, RING);
	EXPECT_BROKEN("available ring names descriptor 16 of 16");
}

TEST_F(rng, next_out_of_range)
{
	vd_desc(&self->d.ring, 0, buf_iova(&self->d, 0), 16,
		VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, RING);
	vd_publish(&self->d.ring, 0);
	EXPECT_BROKEN("next descriptor 16 outside a table of 16");
}

TEST_F(rng, available_index_lies)
{
	self->d.ring.avail->idx = htole16(RING + 1);
	EXPECT_BROKEN("more than the ring size 16 ahead");
}

TEST_F(rng, buffer_not_mapped)
{
	vd_desc(&self->d.ring, 0, self->d.mem.iova + self->d.mem.size + 4096,
		64, VRING_DESC_F_WRITE, 0);
	vd_publish(&self->d.ring, 0);
	EXPECT_BROKEN("device-writable buffer [0x40801000, +64) not mapped");
}

TEST_F(rng, buffer_past_the_map_end)
{
	vd_desc(&self->d.ring, 0, self->d.mem.iova + self->d.mem.size - 16,
		64, VRING_DESC_F_WRITE, 0);
	vd_publish(&self->d.ring, 0);
	EXPECT_BROKEN("not mapped");
}

TEST_F(rng, buffer_wraps_the_address_space)
{
	vd_desc(&self->d.ring, 0, ~0ull - 15, 64, VRING_DESC_F_WRITE, 0);
	vd_publish(&self->d.ring, 0);
	EXPECT_BROKEN("not mapped");
}

TEST_F(rng, buffer_device_readable)
{
	vd_desc(&self->d.ring, 0, buf_iova(&self->d, 0), 64, 0, 0);
	vd_publish(&self->d.ring, 0);
	EXPECT_BROKEN("entropy requests are device-writable only");
}

TEST_F(rng, readable_after_writable)
{
	vd_desc(&self->d.ring, 0, buf_iova(&self->d, 0), 16,
		VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 1);
	vd_desc(&self->d.ring, 1, buf_iova(&self->d, 16), 16, 0, 0);
	vd_publish(&self->d.ring, 0);
	EXPECT_BROKEN("device-readable buffer after a device-writable one");
}

/* Guest memory the guest mapped read-only for the device. */
TEST_F(rng, buffer_mapped_read_only)
{
	struct vd_mem ro;

	ASSERT_EQ(0, map_extra_memory(&self->d, &ro, VHOST_ACCESS_RO));
	vd_desc(&self->d.ring, 0, ro.iova, 64, VRING_DESC_F_WRITE, 0);
	vd_publish(&self->d.ring, 0);
	EXPECT_BROKEN("mapped for the other direction");
	unmap_extra_memory(&self->d, &ro);
}

/* The owner unmaps memory the IOTLB still names. */
TEST_F(rng, memory_gone_from_the_owner)
{
	size_t off = 1 << 20;

	ASSERT_EQ(0, munmap(buf(&self->d, off), 4096));
	vd_desc(&self->d.ring, 0, buf_iova(&self->d, off), 64,
		VRING_DESC_F_WRITE, 0);
	vd_publish(&self->d.ring, 0);
	EXPECT_BROKEN("not mapped");
}

/*
 * Descriptor 0 names the indirect table at iova (bytes long, with flags),
 * whose first entry is a 64-byte writable buffer; published.
 */
static void indirect_at(struct vd_dev *d, struct vring_desc *table,
			uint64_t iova, uint32_t bytes, uint16_t flags)
{
	vd_set_desc(table, 0, buf_iova(d, 0), 64, VRING_DESC_F_WRITE, 0);
	vd_desc(&d->ring, 0, iova, bytes, flags, 1);
	vd_publish(&d->ring, 0);
}

/* The same, with the table in guest memory, after the buffers. */
static void indirect_table(struct vd_dev *d, uint32_t bytes, uint16_t flags)
{
	indirect_at(d, (struct vring_desc *)buf(d, 8192), buf_iova(d, 8192),
		    bytes, flags);
}

TEST_F(rng, indirect_in_indirect)
{
	struct vring_desc *table = (struct vring_desc *)buf(&self->d, 8192);

	indirect_table(&self->d, 16, VRING_DESC_F_INDIRECT);
	table[0].flags = htole16(VRING_DESC_F_INDIRECT);
	table[0].len = htole32(16);
	EXPECT_BROKEN("indirect descriptor in an indirect table");
}

TEST_F(rng, indirect_with_next)
{
	indirect_table(&self->d, 16, VRING_DESC_F_INDIRECT | VRING_DESC_F_NEXT);
	EXPECT_BROKEN("indirect descriptor with NEXT set");
}

TEST_F(rng, indirect_odd_size)
{
	indirect_table(&self->d, 24, VRING_DESC_F_INDIRECT);
	EXPECT_BROKEN("indirect table of 24 bytes");
}

TEST_F(rng, indirect_empty)
{
	indirect_table(&self->d, 0, VRING_DESC_F_INDIRECT);
	EXPECT_BROKEN("indirect table of 0 bytes");
}

/* A table the device must read, mapped for its writes only. */
TEST_F(rng, descriptors_mapped_write_only)
{
	struct vd_mem wo;

	ASSERT_EQ(0, map_extra_memory(&self->d, &wo, VHOST_ACCESS_WO));
	indirect_at(&self->d, (struct vring_desc *)wo.base, wo.iova, 16,
		    VRING_DESC_F_INDIRECT);
	EXPECT_BROKEN("descriptor at 0x80000000 mapped for the other direction");
	unmap_extra_memory(&self->d, &wo);
}

TEST_F(rng, indirect_larger_than_ring)
{
	indirect_table(&self->d, (RING + 1) * 16, VRING_DESC_F_INDIRECT);
	EXPECT_BROKEN("indirect table of 272 bytes");
}

TEST_F(rng, indirect_table_not_mapped)
{
	vd_desc(&self->d.ring, 0, 0x10000000ull, 16, VRING_DESC_F_INDIRECT, 0);
	vd_publish(&self->d.ring, 0);
	EXPECT_BROKEN("descriptor at 0x10000000 not mapped");
}

TEST_F(rng, indirect_not_negotiated)
{
	ASSERT_EQ(0, vd_start(&self->d, RNG_FEATURES & ~F(VIRTIO_RING_F_INDIRECT_DESC),
			      RING));
	indirect_table(&self->d, 16, VRING_DESC_F_INDIRECT);
	EXPECT_BROKEN("indirect descriptor, feature not negotiated");
}

TEST_F(rng, ring_misaligned)
{
	ASSERT_EQ(0, vd_negotiate(&self->d, RNG_FEATURES));
	ASSERT_EQ(0, vd_ring_init(&self->d.ring, &self->d.mem, RING));
	self->d.ring.desc_iova += 8;
	ASSERT_EQ(0, vd_ring_attach(&self->d));
	EXPECT_BROKEN("misaligned ring");
}

/* The largest ring, which QEMU's virtio-mmio makes every guest take. */
TEST_F(rng, largest_ring)
{
	ASSERT_EQ(0, vd_start(&self->d, RNG_FEATURES, 1024));
	EXPECT_EQ(64, one_request(&self->d));
}

/*
 * Refused by the core, or before it by vhost-vdpa where that checks the
 * device's maximum itself (later 6.12 stable releases).
 */
TEST_F(rng, ring_too_large)
{
	int ret;

	ASSERT_EQ(0, vd_negotiate(&self->d, RNG_FEATURES));
	ASSERT_EQ(0, vd_ring_init(&self->d.ring, &self->d.mem, RING));
	self->d.ring.num = 2048;
	ret = vd_ring_attach(&self->d);
	if (ret == -EINVAL) {
		TH_LOG("vhost-vdpa refused the size itself");
		return;
	}
	ASSERT_EQ(0, ret);
	EXPECT_BROKEN("size 2048 is not a power of two up to 1024");
}

/*
 * Suspended, as QEMU suspends a device it stops to read where its rings
 * are, the device serves no more requests; a reset starts it afresh.
 */
TEST_F(rng, suspend)
{
	struct vhost_vring_state state = { .index = 0 };
	uint64_t features;
	uint32_t id, len;

	ASSERT_EQ(0, ioctl(self->d.fd, VHOST_GET_BACKEND_FEATURES, &features));
	EXPECT_NE(0ull, features & (1ull << VHOST_BACKEND_F_SUSPEND));
	ASSERT_EQ(0, vd_start(&self->d, RNG_FEATURES, RING));
	ASSERT_EQ(64, one_request(&self->d));
	ASSERT_EQ(0, ioctl(self->d.fd, VHOST_VDPA_SUSPEND));
	vd_desc(&self->d.ring, 1, buf_iova(&self->d, 64), 64, VRING_DESC_F_WRITE, 0);
	vd_publish(&self->d.ring, 1);
	vd_kick(&self->d.ring);
	EXPECT_EQ(0, vd_wait_used(&self->d.ring, &id, &len, 500));
	ASSERT_EQ(0, ioctl(self->d.fd, VHOST_GET_VRING_BASE, &state));
	EXPECT_EQ(1u, state.num);
	ASSERT_EQ(0, vd_start(&self->d, RNG_FEATURES, RING));
	EXPECT_EQ(64, one_request(&self->d));
}

TEST_F(rng, ring_not_mapped)
{
	ASSERT_EQ(0, vd_negotiate(&self->d, RNG_FEATURES));
	ASSERT_EQ(0, vd_ring_init(&self->d.ring, &self->d.mem, RING));
	self->d.ring.desc_iova = 0x10000000ull;
	ASSERT_EQ(0, vd_ring_attach(&self->d));
	vd_desc(&self->d.ring, 0, buf_iova(&self->d, 0), 64, VRING_DESC_F_WRITE, 0);
	vd_publish(&self->d.ring, 0);
	EXPECT_BROKEN("descriptor at 0x10000000 not mapped");
}

/* The used ring's page mapped read-only: the device cannot answer. */
TEST_F(rng, used_ring_read_only)
{
	struct vd_dev *d = &self->d;
	uint64_t used = d->ring.used_iova & ~4095ull;
	uint64_t end = d->mem.iova + d->mem.size;

	/* stopped while the map changes: the ring lives in it */
	ASSERT_EQ(0, vd_set_status(d, 0));
	ASSERT_EQ(0, vd_unmap(d, d->mem.iova, d->mem.size));
	ASSERT_EQ(0, vd_map(d, d->mem.iova, d->mem.base, used - d->mem.iova,
			    VHOST_ACCESS_RW));
	ASSERT_EQ(0, vd_map(d, used, vd_ptr(&d->mem, used), 4096,
			    VHOST_ACCESS_RO));
	ASSERT_EQ(0, vd_map(d, used + 4096, vd_ptr(&d->mem, used + 4096),
			    end - used - 4096, VHOST_ACCESS_RW));
	ASSERT_EQ(0, vd_start(d, RNG_FEATURES, RING));
	vd_desc(&d->ring, 0, buf_iova(d, 0), 64, VRING_DESC_F_WRITE, 0);
	vd_publish(&d->ring, 0);
	vd_kick(&d->ring);
	ASSERT_EQ(1, vd_wait_status(d, VIRTIO_CONFIG_S_NEEDS_RESET, 5000));
	EXPECT_EQ(1, kmsg_has(self->kmsg, "mapped for the other direction", 2000));
	ASSERT_EQ(0, vd_unmap(d, used, 4096));
	ASSERT_EQ(0, vd_map(d, used, vd_ptr(&d->mem, used), 4096,
			    VHOST_ACCESS_RW));
	ASSERT_EQ(0, vd_start(d, RNG_FEATURES, RING));
	EXPECT_EQ(64, one_request(d));
}

struct traffic {
	struct vd_dev *d;
	int stop;		/* atomic: set by the test's thread */
	unsigned long served;
};

/* A guest vCPU: keeps the ring full whatever happens to the device. */
static void *guest_traffic(void *arg)
{
	struct traffic *t = arg;
	struct vd_ring *r = &t->d->ring;
	uint32_t id, len;
	unsigned int i;

	for (i = 0; i < r->num; i++) {
		vd_desc(r, i, buf_iova(t->d, i * 4096), 4096, VRING_DESC_F_WRITE, 0);
		vd_publish(r, i);
	}
	while (!__atomic_load_n(&t->stop, __ATOMIC_RELAXED)) {
		vd_kick(r);
		if (vd_wait_used(r, &id, &len, 20) == 1 && id < r->num) {
			t->served++;
			vd_publish(r, id);
		}
	}
	return NULL;
}

TEST_F(rng, reset_under_traffic)
{
	struct traffic t = { .d = &self->d };
	pthread_t thread;
	int i;

	ASSERT_EQ(0, pthread_create(&thread, NULL, guest_traffic, &t));
	usleep(200000);
	for (i = 0; i < 30; i++) {
		ASSERT_EQ(0, vd_set_status(&self->d, 0));
		usleep(5000);
		/* the same ring again; the guest's indexes have moved on */
		ASSERT_EQ(0, vd_negotiate(&self->d, RNG_FEATURES));
		ASSERT_EQ(0, vd_ring_attach(&self->d));
		usleep(5000);
	}
	__atomic_store_n(&t.stop, 1, __ATOMIC_RELAXED);
	pthread_join(thread, NULL);
	TH_LOG("%lu requests served across 30 resets", t.served);
	EXPECT_LT(0ul, t.served);
	ASSERT_EQ(0, vd_start(&self->d, RNG_FEATURES, RING));
	EXPECT_EQ(64, one_request(&self->d));
}

/* The owner: a device of its own on path, the ring kept full. */
static void rng_owner(void *path)
{
	struct vd_dev d;
	struct traffic t = { .d = &d };

	if (vd_open(&d, path) || vd_start(&d, RNG_FEATURES, RING))
		_exit(1);
	guest_traffic(&t);
}

/* The owner process is killed while the device writes into its memory. */
TEST_F(rng, owner_dies_mid_transfer)
{
	vd_close(&self->d);
	EXPECT_EQ(1, vd_kill_owner(rng_owner, self->path, 500))
		TH_LOG("the owner ended before the kill");
	ASSERT_EQ(0, vd_reopen(&self->d, self->path));
	ASSERT_EQ(0, vd_start(&self->d, RNG_FEATURES, RING));
	EXPECT_EQ(64, one_request(&self->d));
}

/*
 * The owner of a stalled device (vd_stalled_owner()): its one request lies
 * on a page of guest memory that never comes.
 */
static void stalled_owner(void *path, int report)
{
	struct vd_dev d = { .fd = -1 };
	uint64_t iova;
	pid_t holder;

	if (vd_reopen(&d, path) || vd_start(&d, RNG_FEATURES, RING) ||
	    vd_missing_page(&d, &iova, &holder))
		_exit(1);
	vd_desc(&d.ring, 0, iova, 64, VRING_DESC_F_WRITE, 0);
	vd_publish(&d.ring, 0);
	vd_kick(&d.ring);
	if (write(report, &holder, sizeof(holder)) != sizeof(holder))
		_exit(1);
	pause();
}

/*
 * Review: setting the rate limit took the device lock, which a worker
 * stalled on its owner's memory holds: the administrator waited for the
 * guest. Now the write completes, and killing the owner ends the stall.
 */
TEST_F(rng, owner_memory_never_answers)
{
	pid_t owner, holder = 0;

	vd_close(&self->d);
	owner = vd_stalled_owner(stalled_owner, self->path, &holder);
	ASSERT_LT(0, owner);

	EXPECT_EQ(0, shell_within_ms(10000, "echo 1000 >/sys/bus/vdpa/devices/%s/rate_limit",
				     self->name));
	kill(owner, SIGKILL);
	waitpid(owner, NULL, 0);
	EXPECT_EQ(0, shell_within_ms(10000, "vdpa dev del %s", self->name));
	kill(holder, SIGKILL);
}

TEST_HARNESS_MAIN
