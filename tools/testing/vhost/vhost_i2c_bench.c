// SPDX-License-Identifier: GPL-2.0
/*
 * vhost-i2c-bench: vhost-i2c through vhost-vdpa against a userspace device
 * (user_i2c.c) serving the same ring from another process the way
 * vhost-user daemons do, both on the same host adapter, in the same run.
 * A benchmark, not a test: it prints figures and their ratios.
 *
 *	vhost-i2c-bench /dev/vhost-vdpa-N /dev/i2c-M ADDR [SECONDS]
 *
 * The device on /dev/vhost-vdpa-N must be bound to the adapter of
 * /dev/i2c-M and allow ADDR, an EEPROM like the test adapter's at 0x50:
 * reading at offset 0 gives bytes 0, 1, 2, ... Each transfer writes the
 * offset (one byte) and reads 16 bytes with a repeated START: two requests,
 * the first with FAIL_NEXT, as Linux's i2c-virtio sends them. For each
 * back-end, SECONDS (default 3) of each figure, in ROUNDS rounds in which
 * the back-ends take turns, so that what else the machine does falls on
 * both alike:
 *
 * - throughput: every transfer slot of the ring kept busy, completions
 *   taken in batches; transfers per second, each one's data checked;
 * - round trip: one transfer at a time; median and 99th percentile.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/virtio_config.h>
#include <linux/virtio_extra/virtio_i2c.h>

#include "bench_stats.h"
#include "clock.h"
#include "user_i2c.h"

#define F(bit) (1ull << (bit))
/* as Linux's i2c-virtio, which needs zero-length requests */
#define FEATURES (F(VIRTIO_F_VERSION_1) | F(VIRTIO_F_ACCESS_PLATFORM) | \
		  F(VIRTIO_I2C_F_ZERO_LENGTH_REQUEST))
#define RING 256
#define WAIT_MS 1000
#define READ_LEN 16
/* Descriptors of a transfer: header, offset, status; header, data, status. */
#define DESCS 6
#define SLOTS (RING / DESCS)
/* A slot's buffers, after the ring area. */
#define SLOT_SIZE 64
#define HDR_W 0
#define OFFSET_AT 8
#define STATUS_W 9
#define HDR_R 16
#define STATUS_R 24
#define DATA_AT 32
#define WARMUP 100
#define ROUNDS 3
#define MAX_SAMPLES 262144

/* A back-end and what was measured of it. */
struct backend {
	struct vd_dev d;	/* vhost-i2c: its vhost-vdpa device */
	struct vd_mem *mem;	/* the driver's memory and ring: d's, or */
	struct vd_ring *ring;
	struct vd_mem own_mem;	/* userspace: guest memory of its own */
	struct vd_ring own_ring;
	pid_t pid;		/* userspace: the device's process */
	unsigned int used[SLOTS];	/* requests of each slot used */
	unsigned int in_flight;	/* requests posted, not used yet */
	double transfers;	/* over all rounds */
	double secs;
	double rtt[MAX_SAMPLES];	/* round trips, microseconds */
	unsigned int trips;
};

static unsigned int addr;

static uint8_t *slot_buf(struct backend *b, unsigned int slot, unsigned int at)
{
	return b->mem->base + VD_RING_AREA + slot * SLOT_SIZE + at;
}

static uint64_t slot_iova(struct backend *b, unsigned int slot, unsigned int at)
{
	return b->mem->iova + VD_RING_AREA + slot * SLOT_SIZE + at;
}

/* The two requests of slot's transfer, laid out once. */
static void slot_fill(struct backend *b, unsigned int slot)
{
	struct virtio_i2c_out_hdr w = {
		.addr = htole16(addr << 1),
		.flags = htole32(VIRTIO_I2C_FLAGS_FAIL_NEXT),
	};
	struct virtio_i2c_out_hdr r = {
		.addr = htole16(addr << 1),
		.flags = htole32(VIRTIO_I2C_FLAGS_M_RD),
	};
	unsigned int d = slot * DESCS;

	memcpy(slot_buf(b, slot, HDR_W), &w, sizeof(w));
	memcpy(slot_buf(b, slot, HDR_R), &r, sizeof(r));
	*slot_buf(b, slot, OFFSET_AT) = 0;
	vd_desc(b->ring, d, slot_iova(b, slot, HDR_W), sizeof(w), VRING_DESC_F_NEXT, d + 1);
	vd_desc(b->ring, d + 1, slot_iova(b, slot, OFFSET_AT), 1, VRING_DESC_F_NEXT, d + 2);
	vd_desc(b->ring, d + 2, slot_iova(b, slot, STATUS_W), 1, VRING_DESC_F_WRITE, 0);
	vd_desc(b->ring, d + 3, slot_iova(b, slot, HDR_R), sizeof(r), VRING_DESC_F_NEXT, d + 4);
	vd_desc(b->ring, d + 4, slot_iova(b, slot, DATA_AT), READ_LEN,
		VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, d + 5);
	vd_desc(b->ring, d + 5, slot_iova(b, slot, STATUS_R), 1, VRING_DESC_F_WRITE, 0);
}

/* Make slot's transfer available (does not kick). */
static void slot_post(struct backend *b, unsigned int slot)
{
	*slot_buf(b, slot, STATUS_W) = 0xff;
	*slot_buf(b, slot, STATUS_R) = 0xff;
	memset(slot_buf(b, slot, DATA_AT), 0, READ_LEN);
	vd_publish(b->ring, slot * DESCS);
	vd_publish(b->ring, slot * DESCS + 3);
	b->in_flight += 2;
}

/*
 * The next request used; when it ends a transfer, which must have
 * succeeded with the EEPROM's bytes, its slot; SLOTS for the first request
 * of a transfer to come back (vhost-i2c answers a group last request
 * first); -1 when none came in timeout_ms.
 */
static int slot_done(struct backend *b, int timeout_ms)
{
	uint32_t id, len;
	unsigned int slot, i;

	if (vd_wait_used(b->ring, &id, &len, timeout_ms) != 1)
		return -1;
	b->in_flight--;
	slot = id / DESCS;
	if (slot >= SLOTS || id % 3 ||
	    len != (id % DESCS ? READ_LEN + 1 : 1))
		bench_die("used entry %u, %u bytes: no request's", id, len);
	if (++b->used[slot] < 2)
		return SLOTS;
	b->used[slot] = 0;
	if (*slot_buf(b, slot, STATUS_W) != VIRTIO_I2C_MSG_OK ||
	    *slot_buf(b, slot, STATUS_R) != VIRTIO_I2C_MSG_OK)
		bench_die("transfer %u failed: status %u, %u", slot,
			  *slot_buf(b, slot, STATUS_W), *slot_buf(b, slot, STATUS_R));
	for (i = 0; i < READ_LEN; i++)
		if (slot_buf(b, slot, DATA_AT)[i] != i)
			bench_die("transfer %u read %#x at %u", slot,
				  slot_buf(b, slot, DATA_AT)[i], i);
	return slot;
}

/*
 * Keep every slot busy, take completions in batches, kick once per batch,
 * for secs: the transfers and the time taken added to b's.
 */
static void drive_transfers(struct backend *b, double secs)
{
	unsigned long long transfers = 0;
	unsigned int slot;
	double start;
	int done;

	for (slot = 0; slot < SLOTS; slot++)
		slot_post(b, slot);
	vd_kick(b->ring);
	start = now_seconds();
	while (now_seconds() - start < secs) {
		done = slot_done(b, WAIT_MS);
		if (done < 0)
			bench_die("no answer from the device");
		do {
			if (done < SLOTS) {
				transfers++;
				slot_post(b, done);
			}
		} while ((done = slot_done(b, 0)) >= 0);
		vd_kick(b->ring);
	}
	b->secs += now_seconds() - start;
	/* the transfers still in flight, before the next measure */
	while (b->in_flight)
		if (slot_done(b, WAIT_MS) < 0)
			bench_die("transfers in flight not answered");
	b->transfers += transfers;
}

/* One transfer alone: microseconds. */
static double round_trip(struct backend *b)
{
	double t0 = now_seconds();

	slot_post(b, 0);
	vd_kick(b->ring);
	if (slot_done(b, WAIT_MS) != SLOTS || slot_done(b, WAIT_MS) != 0)
		bench_die("transfer not answered");
	return (now_seconds() - t0) * 1e6;
}

/* Round trips for secs, after a warm-up, added to b's. */
static void drive_rtt(struct backend *b, double secs)
{
	unsigned int n;
	double end;

	for (n = 0; n < WARMUP; n++)
		round_trip(b);
	end = now_seconds() + secs;
	while (b->trips < MAX_SAMPLES && now_seconds() < end)
		b->rtt[b->trips++] = round_trip(b);
}

static void measure(struct backend *b, double secs)
{
	drive_transfers(b, secs);
	drive_rtt(b, secs);
}

static void slots_fill(struct backend *b)
{
	unsigned int slot;

	for (slot = 0; slot < SLOTS; slot++)
		slot_fill(b, slot);
}

static void vhost_up(struct backend *b, const char *path)
{
	int ret = vd_open(&b->d, path);

	if (!ret)
		ret = vd_start(&b->d, FEATURES, RING);
	if (ret)
		bench_die("cannot start %s: %s", path, strerror(-ret));
	b->mem = &b->d.mem;
	b->ring = &b->d.ring;
	slots_fill(b);
}

/* The userspace device in a process of its own, on a ring of its own. */
static void user_up(struct backend *b, const char *node)
{
	if (vd_mem_init(&b->own_mem, VD_MEM_SIZE, VD_IOVA_BASE) ||
	    vd_ring_init(&b->own_ring, &b->own_mem, RING))
		bench_die("no guest memory");
	b->mem = &b->own_mem;
	b->ring = &b->own_ring;
	slots_fill(b);
	b->pid = fork();
	if (b->pid < 0)
		bench_die("cannot fork");
	if (b->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		user_i2c_serve(b->mem, b->ring, node);
	}
}

int main(int argc, char **argv)
{
	static struct backend vhost, user;
	double secs = argc > 4 ? atof(argv[4]) : 3;
	unsigned int i;

	if (argc < 4) {
		fprintf(stderr, "usage: %s /dev/vhost-vdpa-N /dev/i2c-M ADDR [SECONDS]\n",
			argv[0]);
		return 2;
	}
	bench_poll_setup();
	addr = strtoul(argv[3], NULL, 0);
	vhost_up(&vhost, argv[1]);
	user_up(&user, argv[2]);
	for (i = 0; i < ROUNDS; i++) {
		measure(&vhost, secs / ROUNDS);
		measure(&user, secs / ROUNDS);
	}
	kill(user.pid, SIGKILL);
	waitpid(user.pid, NULL, 0);
	vd_ring_free(&user.own_ring);
	vd_mem_free(&user.own_mem);
	vd_close(&vhost.d);
	if (!vhost.trips || !user.trips)
		bench_die("no round trip in %g s", secs);
	bench_header("vhost-i2c");
	bench_row("transfers/s", vhost.transfers / vhost.secs,
		  user.transfers / user.secs, 0);
	bench_rtt_rows(vhost.rtt, vhost.trips, user.rtt, user.trips, ROUNDS);
	return 0;
}
