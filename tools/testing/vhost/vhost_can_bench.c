// SPDX-License-Identifier: GPL-2.0
/*
 * vhost-can-bench: vhost-can through vhost-vdpa against a userspace device
 * (user_can.c) serving the same rings from another process the way
 * vhost-user daemons do, both on the same CAN interface, in the same run.
 * A benchmark, not a test: it prints figures and their ratios.
 *
 *	vhost-can-bench /dev/vhost-vdpa-N IFNAME [SECONDS]
 *
 * The device on /dev/vhost-vdpa-N must be bound to IFNAME and allow every
 * ID both ways; nothing else may send on IFNAME meanwhile. For each
 * back-end, SECONDS (default 3) of each figure, in ROUNDS rounds in which
 * the back-ends take turns (the one not measured is stopped: no filter or
 * socket on the interface), so that what else the machine does falls on both alike:
 *
 * - throughput: classic 8-byte frames, every transmit slot kept busy; the
 *   frames the device acknowledged per second, checked against what the
 *   interface counted;
 * - round trip: one frame at a time; a responder on a raw CAN socket of
 *   IFNAME answers each with a frame of another ID and the same payload,
 *   which the driver waits for on the receive queue; median and 99th
 *   percentile.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/can.h>
#include <linux/can/raw.h>
#include <linux/virtio_config.h>

#include "bench_stats.h"
#include "clock.h"
#include "can_raw.h"
#include "user_can.h"
#include "vdpa_can.h"

#define F(bit) (1ull << (bit))
#define FEATURES (F(VIRTIO_F_VERSION_1) | F(VIRTIO_F_ACCESS_PLATFORM) | \
		  F(VIRTIO_CAN_F_CAN_CLASSIC))
#define RING 256
#define WAIT_MS 1000
#define FRAME_LEN 8
#define OUT_LEN (sizeof(struct virtio_can_tx_out) + FRAME_LEN)
#define REQUEST_ID 0x100
#define REPLY_ID 0x101
#define WARMUP 100
#define ROUNDS 3
#define MAX_SAMPLES 262144

/* A back-end and what was measured of it. */
struct backend {
	struct vdpa_can c;
	struct vd_dev d;	/* vhost-can: its vhost-vdpa device */
	struct vd_mem mem;	/* userspace: guest memory of its own */
	pid_t pid;		/* userspace: the device's process */
	double frames;		/* sent, over all rounds */
	double tx_secs;
	double rtt[MAX_SAMPLES];	/* round trips, microseconds */
	unsigned int trips;
};

static const char *ifname;

/* A counter of the interface's, in sysfs. */
static unsigned long long if_stat(const char *name)
{
	unsigned long long n = 0;
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/%s", ifname,
		 name);
	f = fopen(path, "r");
	if (!f || fscanf(f, "%llu", &n) != 1)
		bench_die("cannot read %s", path);
	fclose(f);
	return n;
}

/* The controller started, and its way to the bus open: a frame went out. */
static void start(struct vdpa_can *c)
{
	if (vc_ctrl(c, VIRTIO_CAN_SET_CTRL_MODE_START, WAIT_MS) != VIRTIO_CAN_RESULT_OK)
		bench_die("START refused or unanswered");
	vc_tx_post(c, 0, VIRTIO_CAN_TX, 0, REQUEST_ID, FRAME_LEN, OUT_LEN);
	if (vc_tx_result(c, WAIT_MS) != VIRTIO_CAN_RESULT_OK)
		bench_die("the first frame did not go out");
}

/* The next transmit request used, which must have gone out: its slot. */
static unsigned int tx_sent(struct vdpa_can *c, int timeout_ms)
{
	uint32_t id, len;

	if (vd_wait_used(&c->q[VIRTIO_CAN_VQ_TX], &id, &len, timeout_ms) != 1)
		return RING;
	if (vc_tx_done(c, id, len) != VIRTIO_CAN_RESULT_OK)
		bench_die("transmit request %u not OK", id);
	return id / 2;
}

/* Send slot again: its frame is still there, its result to be written. */
static void tx_again(struct vdpa_can *c, unsigned int slot)
{
	vc_buf(c, VC_TX_OFF + slot * VC_SLOT)[VC_RESULT_AT] = 0xff;
	vd_publish(&c->q[VIRTIO_CAN_VQ_TX], 2 * slot);
}

/*
 * Keep every transmit slot busy, take completions in batches, kick once
 * per batch, for secs: the frames sent and the time taken added to b's.
 */
static void drive_tx(struct backend *b, double secs)
{
	struct vdpa_can *c = &b->c;
	struct vd_ring *r = &c->q[VIRTIO_CAN_VQ_TX];
	unsigned long long frames = 0, before, after;
	double start, elapsed;
	unsigned int slot;

	for (slot = 0; slot < RING / 2; slot++) {
		vc_tx_fill(c, slot, VIRTIO_CAN_TX, 0, REQUEST_ID, FRAME_LEN, OUT_LEN);
		vd_publish(r, 2 * slot);
	}
	before = if_stat("tx_packets");
	vd_kick(r);
	start = now_seconds();
	while (now_seconds() - start < secs) {
		slot = tx_sent(c, WAIT_MS);
		if (slot == RING)
			bench_die("no answer from the device");
		do {
			frames++;
			tx_again(c, slot);
		} while ((slot = tx_sent(c, 0)) != RING);
		vd_kick(r);
	}
	elapsed = now_seconds() - start;
	/* the frames still in flight, before the next measure */
	for (slot = 0; slot < RING / 2; slot++)
		if (tx_sent(c, WAIT_MS) == RING)
			bench_die("frames in flight not answered");
	after = if_stat("tx_packets");
	if (after - before < frames)
		bench_die("%llu frames acknowledged, %llu on %s", frames,
			  after - before, ifname);
	b->frames += frames;
	b->tx_secs += elapsed;
}

struct responder {
	int sock;
	int stop;		/* atomic: set by the driver's thread */
	pthread_t thread;
};

/* The bus's other node: each request answered with a reply. */
static void *respond(void *arg)
{
	struct responder *rs = arg;
	struct pollfd p = { .fd = rs->sock, .events = POLLIN };
	struct can_frame cf;

	while (!__atomic_load_n(&rs->stop, __ATOMIC_RELAXED)) {
		if (poll(&p, 1, 100) != 1 ||
		    read(rs->sock, &cf, sizeof(cf)) != sizeof(cf))
			continue;
		cf.can_id = REPLY_ID;
		if (write(rs->sock, &cf, sizeof(cf)) != sizeof(cf))
			bench_die("the responder cannot send");
	}
	return NULL;
}

static void responder_start(struct responder *rs)
{
	struct can_filter filter = {
		.can_id = REQUEST_ID,
		.can_mask = CAN_SFF_MASK | CAN_EFF_FLAG | CAN_RTR_FLAG,
	};

	rs->stop = 0;
	rs->sock = can_raw_open(ifname, SOCK_CLOEXEC, 0);
	if (rs->sock < 0 ||
	    setsockopt(rs->sock, SOL_CAN_RAW, CAN_RAW_FILTER, &filter,
		       sizeof(filter)) ||
	    pthread_create(&rs->thread, NULL, respond, rs))
		bench_die("no responder on %s", ifname);
}

static void responder_stop(struct responder *rs)
{
	__atomic_store_n(&rs->stop, 1, __ATOMIC_RELAXED);
	pthread_join(rs->thread, NULL);
	close(rs->sock);
}

/* One round trip with sequence number seq: microseconds. */
static double round_trip(struct vdpa_can *c, uint32_t seq)
{
	struct vd_ring *r = &c->q[VIRTIO_CAN_VQ_TX];
	uint8_t data[CANFD_MAX_DLEN];
	struct virtio_can_rx hdr;
	uint32_t id, len, got;
	double t0, t1;

	vc_tx_fill(c, 0, VIRTIO_CAN_TX, 0, REQUEST_ID, FRAME_LEN, OUT_LEN);
	memcpy(vc_tx_data(c, 0), &seq, sizeof(seq));
	t0 = now_seconds();
	vd_publish(r, 0);
	vd_kick(r);
	if (vd_wait_used(&c->q[VIRTIO_CAN_VQ_RX], &id, &len, WAIT_MS) != 1)
		bench_die("no reply to frame %u", seq);
	t1 = now_seconds();
	if (vc_rx_take(c, id, len, &hdr, data) != sizeof(hdr) + FRAME_LEN ||
	    le32toh(hdr.can_id) != REPLY_ID)
		bench_die("not a reply to frame %u", seq);
	memcpy(&got, data, sizeof(got));
	if (got != seq)
		bench_die("reply to frame %u for frame %u", got, seq);
	if (tx_sent(c, WAIT_MS) != 0)
		bench_die("frame %u not answered", seq);
	return (t1 - t0) * 1e6;
}

/* Round trips for secs, after a warm-up, added to b's. */
static void drive_rtt(struct backend *b, double secs)
{
	struct responder rs;
	uint32_t seq = 0;
	double end;

	responder_start(&rs);
	while (seq < WARMUP)
		round_trip(&b->c, seq++);
	end = now_seconds() + secs;
	while (b->trips < MAX_SAMPLES && now_seconds() < end)
		b->rtt[b->trips++] = round_trip(&b->c, seq++);
	responder_stop(&rs);
}

/* A round of b: started, both figures, stopped. */
static void measure(struct backend *b, double secs)
{
	start(&b->c);
	drive_tx(b, secs);
	drive_rtt(b, secs);
	if (vc_ctrl(&b->c, VIRTIO_CAN_SET_CTRL_MODE_STOP, WAIT_MS) != VIRTIO_CAN_RESULT_OK)
		bench_die("STOP refused or unanswered");
}

static void vhost_up(struct backend *b, const char *path)
{
	vc_init(&b->c, RING);
	if (vd_open(&b->d, path) || vc_device_up(&b->c, &b->d, FEATURES, RING))
		bench_die("cannot start %s", path);
}

static void vhost_down(struct backend *b)
{
	vc_free(&b->c);
	vd_close(&b->d);
}

/* The userspace device in a process of its own, on the same rings. */
static void user_up(struct backend *b)
{
	unsigned int i;

	vc_init(&b->c, RING);
	if (vd_mem_init(&b->mem, VD_MEM_SIZE, VD_IOVA_BASE) ||
	    vc_rings_init(&b->c, &b->mem))
		bench_die("no guest memory");
	for (i = 0; i < RING; i++)
		vc_rx_post(&b->c, i, VC_RX_BUF, VRING_DESC_F_WRITE);
	b->pid = fork();
	if (b->pid < 0)
		bench_die("cannot fork");
	if (b->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		user_can_serve(&b->mem, b->c.q, ifname);
	}
	vd_kick(&b->c.q[VIRTIO_CAN_VQ_RX]);
}

static void user_down(struct backend *b)
{
	kill(b->pid, SIGKILL);
	waitpid(b->pid, NULL, 0);
	vc_free(&b->c);
	vd_mem_free(&b->mem);
}

int main(int argc, char **argv)
{
	static struct backend vhost, user;
	double secs = argc > 3 ? atof(argv[3]) : 3;
	unsigned int i;

	if (argc < 3) {
		fprintf(stderr, "usage: %s /dev/vhost-vdpa-N IFNAME [SECONDS]\n",
			argv[0]);
		return 2;
	}
	bench_poll_setup();
	ifname = argv[2];
	vhost_up(&vhost, argv[1]);
	user_up(&user);
	for (i = 0; i < ROUNDS; i++) {
		measure(&vhost, secs / ROUNDS);
		measure(&user, secs / ROUNDS);
	}
	user_down(&user);
	vhost_down(&vhost);
	if (!vhost.trips || !user.trips)
		bench_die("no round trip in %g s", secs);
	bench_header("vhost-can");
	bench_row("TX frames/s", vhost.frames / vhost.tx_secs,
		  user.frames / user.tx_secs, 0);
	bench_rtt_rows(vhost.rtt, vhost.trips, user.rtt, user.trips, ROUNDS);
	return 0;
}
