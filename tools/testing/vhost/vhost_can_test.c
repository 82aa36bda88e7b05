// SPDX-License-Identifier: GPL-2.0
/*
 * vhost-can through vhost-vdpa, driven as QEMU drives a device, against a
 * vcan interface of its own with a raw CAN socket on it as the bus's other
 * node: frames both ways, the allowlists, late TX acks, bus-off, the
 * controller's states, and a guest that breaks the rules. Each test has a
 * device and an interface of its own. Needs vhost_can, vhost_vdpa, vcan
 * and can_raw, and root.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/can.h>
#include <linux/can/error.h>
#include <linux/can/raw.h>
#include <linux/vhost.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>
#include <linux/virtio_extra/virtio_can.h>

#include "can_raw.h"
#include "kselftest_harness.h"
#include "kmsg.h"
#include "shell.h"
#include "vdpa_can.h"
#include "vdpa_driver.h"
#include "vdpa_mgmt.h"

#define F(bit) (1ull << (bit))
#define CORE_FEATURES (F(VIRTIO_F_VERSION_1) | F(VIRTIO_F_ACCESS_PLATFORM) | \
		       F(VIRTIO_RING_F_EVENT_IDX))
#define CAN_FEATURES (CORE_FEATURES | F(VIRTIO_CAN_F_CAN_CLASSIC) | \
		      F(VIRTIO_CAN_F_CAN_FD) | F(VIRTIO_CAN_F_RTR_FRAMES))
#define RING 16
#define WAIT_MS 3000

/* A device, its interface, the peer on the bus: what each test has. */
struct can_env {
	char name[32];
	char ifname[IFNAMSIZ];
	char path[64];
	struct vd_dev d;
	struct vdpa_can c;
	int peer;
	int kmsg;
};

FIXTURE(can) {
	struct can_env e;
};

/* The next frame the peer sees: its size (CAN_MTU, CANFD_MTU) or 0. */
static size_t peer_recv(int fd, struct canfd_frame *cf, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t n;

	if (poll(&p, 1, timeout_ms) != 1)
		return 0;
	n = read(fd, cf, sizeof(*cf));
	return n < 0 ? 0 : n;
}

static int peer_send(int fd, canid_t id, unsigned int len, int fd_frame)
{
	struct canfd_frame cf = { .can_id = id, .len = len };
	size_t mtu = fd_frame ? CANFD_MTU : CAN_MTU;
	unsigned int i;

	for (i = 0; i < len && i < CANFD_MAX_DLEN; i++)
		cf.data[i] = 0xa0 + i;
	return write(fd, &cf, mtu) == (ssize_t)mtu ? 0 : -1;
}

/* Reset, negotiate, three rings, nrx receive buffers posted, DRIVER_OK. */
static int device_up_rx(struct can_env *self, uint64_t features,
			unsigned int nrx)
{
	return vc_device_up(&self->c, &self->d, features, nrx);
}

static int device_up(struct can_env *self, uint64_t features)
{
	return device_up_rx(self, features, RING);
}

/* A control request: its result, or -1 without an answer. */
static int ctrl(struct can_env *self, uint16_t type)
{
	return vc_ctrl(&self->c, type, WAIT_MS);
}

/*
 * Put a transmit request in slot (descriptors 2 slot and 2 slot + 1):
 * out_len bytes of header and payload, then the result byte.
 */
static void tx_post(struct can_env *self, unsigned int slot,
		    uint16_t type, uint32_t flags, uint32_t can_id,
		    uint16_t length, uint32_t out_len)
{
	vc_tx_post(&self->c, slot, type, flags, can_id, length, out_len);
}

/* The next transmit request returned: its result, or -1. */
static int tx_result(struct can_env *self, int timeout_ms)
{
	return vc_tx_result(&self->c, timeout_ms);
}

static int tx(struct can_env *self, uint32_t flags, uint32_t can_id,
	      uint16_t length)
{
	uint32_t payload = (flags & VIRTIO_CAN_FLAGS_RTR) ? 0 : length;

	tx_post(self, 0, VIRTIO_CAN_TX, flags, can_id, length,
		sizeof(struct virtio_can_tx_out) + payload);
	return tx_result(self, WAIT_MS);
}

/* The next received frame: its used length, or 0; the buffer is reposted. */
static uint32_t rx(struct can_env *self, struct virtio_can_rx *hdr,
		   uint8_t *data, int timeout_ms)
{
	return vc_rx(&self->c, hdr, data, timeout_ms);
}

/* The controller's state in sysfs is want, within timeout_ms. */
static int controller_is(struct can_env *self, const char *want,
			 int timeout_ms)
{
	char state[32];
	int i;

	for (i = 0; i <= timeout_ms / 10; i++) {
		if (!vdpa_get_attr_str(self->name, "controller", state,
				       sizeof(state)) && !strcmp(state, want))
			return 1;
		usleep(10000);
	}
	return 0;
}

/* START, and wait until the controller is on the bus. */
static int start(struct can_env *self)
{
	if (ctrl(self, VIRTIO_CAN_SET_CTRL_MODE_START) != VIRTIO_CAN_RESULT_OK)
		return -1;
	return controller_is(self, "started", WAIT_MS) ? 0 : -1;
}

static long stat(struct can_env *self, const char *name)
{
	char attr[64];

	snprintf(attr, sizeof(attr), "statistics/%s", name);
	return vdpa_get_attr(self->name, attr);
}

static uint16_t config_status(struct can_env *self)
{
	uint16_t status = 0xffff;

	vd_get_config(&self->d, 0, &status, sizeof(status));
	return le16toh(status);
}

/*
 * A device as name on interface ifname, every ID allowed both ways,
 * started; a raw socket on the interface as its peer.
 */
static int env_up(struct can_env *e, const char *name, const char *ifname)
{
	snprintf(e->name, sizeof(e->name), "%s", name);
	snprintf(e->ifname, sizeof(e->ifname), "%s", ifname);
	vc_init(&e->c, RING);
	e->peer = can_raw_open(e->ifname, SOCK_CLOEXEC, 0);
	e->kmsg = kmsg_open();
	if (e->peer < 0 || e->kmsg < 0 ||
	    vdpa_add(e->name, "vhost_can", e->path, sizeof(e->path)) ||
	    vdpa_set_attr(e->name, "netdev", e->ifname) ||
	    vdpa_set_attr(e->name, "tx_allow", "0:0") ||
	    vdpa_set_attr(e->name, "rx_allow", "0:0") ||
	    vd_open(&e->d, e->path) || device_up(e, CAN_FEATURES))
		return -1;
	return start(e);
}

static void env_down(struct can_env *e)
{
	vc_free(&e->c);
	vd_close(&e->d);
	close(e->kmsg);
	close(e->peer);
	vdpa_del(e->name);
}

FIXTURE_SETUP(can)
{
	char name[32], ifname[IFNAMSIZ];

	snprintf(name, sizeof(name), "vct%d", getpid());
	snprintf(ifname, sizeof(ifname), "vcant%d", getpid());
	ASSERT_EQ(0, run_cmd("ip link add dev %s type vcan && ip link set %s mtu %d up",
			     ifname, ifname, (int)CANFD_MTU));
	ASSERT_EQ(0, env_up(&self->e, name, ifname));
}

FIXTURE_TEARDOWN(can)
{
	env_down(&self->e);
	run_cmd("ip link del dev %s 2>/dev/null", self->e.ifname);
}

TEST_F(can, identity)
{
	uint64_t features;
	uint32_t size;

	ASSERT_EQ(0, vd_device_features(&self->e.d, &features));
	EXPECT_EQ(CAN_FEATURES | F(VIRTIO_RING_F_INDIRECT_DESC) |
		  F(VIRTIO_CAN_F_LATE_TX_ACK), features);
	ASSERT_EQ(0, ioctl(self->e.d.fd, VHOST_VDPA_GET_CONFIG_SIZE, &size));
	EXPECT_LE(sizeof(struct virtio_can_config), size);
	EXPECT_EQ(0, config_status(&self->e));
}

/* A second device under a taken name is refused; the first one serves on. */
TEST_F(can, name_taken)
{
	struct canfd_frame cf;

	EXPECT_NE(0, vdpa_add(self->e.name, "vhost_can", NULL, 0));
	ASSERT_EQ(VIRTIO_CAN_RESULT_OK, tx(&self->e, 0, 0x123, 8));
	ASSERT_EQ(CAN_MTU, peer_recv(self->e.peer, &cf, WAIT_MS));
	EXPECT_EQ(0x123u, cf.can_id);
}

TEST_F(can, tx_classic_extended_fd_rtr)
{
	struct canfd_frame cf;

	ASSERT_EQ(VIRTIO_CAN_RESULT_OK, tx(&self->e, 0, 0x123, 8));
	ASSERT_EQ(CAN_MTU, peer_recv(self->e.peer, &cf, WAIT_MS));
	EXPECT_EQ(0x123u, cf.can_id);
	EXPECT_EQ(8, cf.len);
	EXPECT_EQ(0x10, cf.data[0]);
	EXPECT_EQ(0x17, cf.data[7]);

	ASSERT_EQ(VIRTIO_CAN_RESULT_OK,
		  tx(&self->e, VIRTIO_CAN_FLAGS_EXTENDED | VIRTIO_CAN_FLAGS_FD,
		     0x1abcdef0, 64));
	ASSERT_EQ(CANFD_MTU, peer_recv(self->e.peer, &cf, WAIT_MS));
	EXPECT_EQ(0x1abcdef0u | CAN_EFF_FLAG, cf.can_id);
	EXPECT_EQ(64, cf.len);
	EXPECT_EQ(0x10 + 63, cf.data[63]);

	ASSERT_EQ(VIRTIO_CAN_RESULT_OK, tx(&self->e, VIRTIO_CAN_FLAGS_RTR, 0x7ff, 4));
	ASSERT_EQ(CAN_MTU, peer_recv(self->e.peer, &cf, WAIT_MS));
	EXPECT_EQ(0x7ffu | CAN_RTR_FLAG, cf.can_id);
	EXPECT_EQ(4, cf.len);
	EXPECT_EQ(3, stat(&self->e, "tx_frames"));
}

TEST_F(can, rx_classic_extended_fd_rtr)
{
	struct virtio_can_rx hdr;
	uint8_t data[CANFD_MAX_DLEN];

	ASSERT_EQ(0, peer_send(self->e.peer, 0x321, 5, 0));
	ASSERT_EQ(sizeof(hdr) + 5, rx(&self->e, &hdr, data, WAIT_MS));
	EXPECT_EQ(VIRTIO_CAN_RX, le16toh(hdr.msg_type));
	EXPECT_EQ(0x321u, le32toh(hdr.can_id));
	EXPECT_EQ(5, le16toh(hdr.length));
	EXPECT_EQ(0u, le32toh(hdr.flags));
	EXPECT_EQ(0xa4, data[4]);

	ASSERT_EQ(0, peer_send(self->e.peer, 0x12345 | CAN_EFF_FLAG, 48, 1));
	ASSERT_EQ(sizeof(hdr) + 48, rx(&self->e, &hdr, data, WAIT_MS));
	EXPECT_EQ(0x12345u, le32toh(hdr.can_id));
	EXPECT_EQ((uint32_t)(VIRTIO_CAN_FLAGS_EXTENDED | VIRTIO_CAN_FLAGS_FD),
		  le32toh(hdr.flags));
	EXPECT_EQ(0xa0 + 47, data[47]);

	ASSERT_EQ(0, peer_send(self->e.peer, 0x10 | CAN_RTR_FLAG, 2, 0));
	ASSERT_EQ(sizeof(hdr), rx(&self->e, &hdr, NULL, WAIT_MS));
	EXPECT_EQ((uint32_t)VIRTIO_CAN_FLAGS_RTR, le32toh(hdr.flags));
	EXPECT_EQ(2, le16toh(hdr.length));
	EXPECT_EQ(3, stat(&self->e, "rx_frames"));
}

/* More frames than receive buffers, in order, none lost. */
TEST_F(can, rx_many_in_order)
{
	struct virtio_can_rx hdr;
	uint8_t data[CANFD_MAX_DLEN];
	unsigned int i;

	for (i = 0; i < 100; i++) {
		struct canfd_frame cf = { .can_id = 0x100, .len = 1 };

		cf.data[0] = i;
		ASSERT_EQ((ssize_t)CAN_MTU, write(self->e.peer, &cf, CAN_MTU));
	}
	for (i = 0; i < 100; i++) {
		ASSERT_EQ(sizeof(hdr) + 1, rx(&self->e, &hdr, data, WAIT_MS));
		ASSERT_EQ(i, data[0]);
	}
}

/*
 * Review: the device's own frames came back to its driver, and a frame
 * both allowlists admit was received twice (once per filter).
 */
TEST_F(can, own_frames_not_received)
{
	struct virtio_can_rx hdr;
	uint8_t data[CANFD_MAX_DLEN];
	struct canfd_frame cf;

	EXPECT_EQ(VIRTIO_CAN_RESULT_OK, tx(&self->e, 0, 0x10, 1));
	EXPECT_EQ(CAN_MTU, peer_recv(self->e.peer, &cf, WAIT_MS));
	EXPECT_EQ(0u, rx(&self->e, &hdr, data, 300));
	ASSERT_EQ(0, peer_send(self->e.peer, 0x11, 1, 0));
	EXPECT_EQ(sizeof(hdr) + 1, rx(&self->e, &hdr, data, WAIT_MS));
	EXPECT_EQ(0u, rx(&self->e, &hdr, data, 300));
	EXPECT_EQ(1, stat(&self->e, "rx_frames"));
}

/*
 * Two devices on one interface send the same frame at once: each knows
 * its own echo from the other's frame, so each driver receives the
 * other's frame once, and never its own.
 */
TEST_F(can, same_frame_from_two_devices)
{
	struct virtio_can_rx hdr;
	uint8_t data[CANFD_MAX_DLEN];
	struct can_env other;
	char name[32];
	unsigned int i;

	snprintf(name, sizeof(name), "vcu%d", getpid());
	ASSERT_EQ(0, env_up(&other, name, self->e.ifname));
	for (i = 0; i < RING / 2; i++) {
		tx_post(&self->e, i, VIRTIO_CAN_TX, 0, 0x10, 1,
			sizeof(struct virtio_can_tx_out) + 1);
		tx_post(&other, i, VIRTIO_CAN_TX, 0, 0x10, 1,
			sizeof(struct virtio_can_tx_out) + 1);
	}
	for (i = 0; i < RING / 2; i++) {
		EXPECT_EQ(VIRTIO_CAN_RESULT_OK, tx_result(&self->e, WAIT_MS));
		EXPECT_EQ(VIRTIO_CAN_RESULT_OK, tx_result(&other, WAIT_MS));
	}
	for (i = 0; i < RING / 2; i++) {
		EXPECT_EQ(sizeof(hdr) + 1, rx(&self->e, &hdr, data, WAIT_MS));
		EXPECT_EQ(sizeof(hdr) + 1, rx(&other, &hdr, data, WAIT_MS));
	}
	EXPECT_EQ(0u, rx(&self->e, &hdr, data, 300));
	EXPECT_EQ(0u, rx(&other, &hdr, data, 0));
	env_down(&other);
}

/*
 * A driver that takes no frame: the device holds a ring's worth (1024),
 * the rest are lost and counted in rx_overrun; none is lost unsaid.
 */
TEST_F(can, rx_overrun_counted)
{
	struct virtio_can_rx hdr;
	uint8_t data[CANFD_MAX_DLEN];
	unsigned int i, sent = 1200, got = 0;
	long lost;

	ASSERT_EQ(0, device_up_rx(&self->e, CAN_FEATURES, 0));
	ASSERT_EQ(0, start(&self->e));
	for (i = 0; i < sent; i++)
		ASSERT_EQ(0, peer_send(self->e.peer, 0x11, 1, 0));
	usleep(300000);
	lost = stat(&self->e, "rx_overrun");
	for (i = 0; i < RING; i++)
		vc_rx_post(&self->e.c, i, VC_RX_BUF, VRING_DESC_F_WRITE);
	vd_kick(&self->e.c.q[VIRTIO_CAN_VQ_RX]);
	while (rx(&self->e, &hdr, data, 300))
		got++;
	EXPECT_LE(1024u, got);
	EXPECT_EQ(sent, got + lost);
	EXPECT_EQ(got, stat(&self->e, "rx_frames"));
}

TEST_F(can, tx_allowlist)
{
	struct canfd_frame cf;
	long refused = stat(&self->e, "tx_refused");

	ASSERT_EQ(0, vdpa_set_attr(self->e.name, "tx_allow", "123:7ff 00000200:1ffffff0"));
	EXPECT_EQ(VIRTIO_CAN_RESULT_NOT_OK, tx(&self->e, 0, 0x124, 1));
	EXPECT_EQ(VIRTIO_CAN_RESULT_OK, tx(&self->e, 0, 0x123, 1));
	EXPECT_EQ(CAN_MTU, peer_recv(self->e.peer, &cf, WAIT_MS));
	EXPECT_EQ(0x123u, cf.can_id);
	/* an extended entry: extended IDs 0x200..0x20f only */
	EXPECT_EQ(VIRTIO_CAN_RESULT_OK, tx(&self->e, VIRTIO_CAN_FLAGS_EXTENDED, 0x20f, 1));
	EXPECT_EQ(CAN_MTU, peer_recv(self->e.peer, &cf, WAIT_MS));
	EXPECT_EQ(VIRTIO_CAN_RESULT_NOT_OK, tx(&self->e, VIRTIO_CAN_FLAGS_EXTENDED, 0x210, 1));
	EXPECT_EQ(0u, peer_recv(self->e.peer, &cf, 200));
	EXPECT_EQ(refused + 2, stat(&self->e, "tx_refused"));
}

/*
 * Review: an entry admitted more than it named. 123:7ff let out extended
 * IDs whose low 11 bits are 0x123, and remote frames. An entry admits its
 * ID's format only, and remote frames only when written with ":r".
 */
TEST_F(can, allowlist_admits_what_it_names)
{
	struct virtio_can_rx hdr;
	char buf[96];

	ASSERT_EQ(0, vdpa_set_attr(self->e.name, "tx_allow", "123:7ff 00000200:1ffffff0"));
	EXPECT_EQ(VIRTIO_CAN_RESULT_NOT_OK, tx(&self->e, VIRTIO_CAN_FLAGS_EXTENDED, 0x123, 1));
	EXPECT_EQ(VIRTIO_CAN_RESULT_NOT_OK, tx(&self->e, VIRTIO_CAN_FLAGS_RTR, 0x123, 1));
	EXPECT_EQ(VIRTIO_CAN_RESULT_NOT_OK, tx(&self->e, 0, 0x200, 1));
	EXPECT_EQ(VIRTIO_CAN_RESULT_NOT_OK,
		  tx(&self->e, VIRTIO_CAN_FLAGS_EXTENDED | VIRTIO_CAN_FLAGS_RTR, 0x200, 1));

	ASSERT_EQ(0, vdpa_set_attr(self->e.name, "tx_allow", "123:7ff:r"));
	ASSERT_EQ(0, vdpa_get_attr_str(self->e.name, "tx_allow", buf, sizeof(buf)));
	EXPECT_STREQ("123:000007ff:r", buf);
	EXPECT_EQ(VIRTIO_CAN_RESULT_OK, tx(&self->e, VIRTIO_CAN_FLAGS_RTR, 0x123, 1));
	EXPECT_EQ(VIRTIO_CAN_RESULT_NOT_OK, tx(&self->e, 0, 0x123, 1));
	EXPECT_EQ(-EINVAL, vdpa_set_attr(self->e.name, "tx_allow", "123:7ff:x"));
	EXPECT_EQ(-EINVAL, vdpa_set_attr(self->e.name, "tx_allow", "123:80000000"));

	/* receiving: the same rules */
	ASSERT_EQ(0, vdpa_set_attr(self->e.name, "rx_allow", "100:700"));
	ASSERT_EQ(0, peer_send(self->e.peer, 0x1ff | CAN_EFF_FLAG, 1, 0));
	ASSERT_EQ(0, peer_send(self->e.peer, 0x1ff | CAN_RTR_FLAG, 1, 0));
	EXPECT_EQ(0u, rx(&self->e, &hdr, NULL, 300));
}

TEST_F(can, rx_allowlist)
{
	struct virtio_can_rx hdr;

	ASSERT_EQ(0, vdpa_set_attr(self->e.name, "rx_allow", "100:700"));
	ASSERT_EQ(0, peer_send(self->e.peer, 0x200, 1, 0));
	ASSERT_EQ(0, peer_send(self->e.peer, 0x1ff, 1, 0));
	ASSERT_EQ(sizeof(hdr) + 1, rx(&self->e, &hdr, NULL, WAIT_MS));
	EXPECT_EQ(0x1ffu, le32toh(hdr.can_id));
	EXPECT_EQ(0u, rx(&self->e, &hdr, NULL, 300));
	/* nothing allowed */
	ASSERT_EQ(0, vdpa_set_attr(self->e.name, "rx_allow", "\n"));
	ASSERT_EQ(0, peer_send(self->e.peer, 0x1ff, 1, 0));
	EXPECT_EQ(0u, rx(&self->e, &hdr, NULL, 300));
}

TEST_F(can, allowlist_refusals)
{
	char many[32 * 8 + 16] = "";
	int i;

	EXPECT_EQ(-EINVAL, vdpa_set_attr(self->e.name, "tx_allow", "123"));
	EXPECT_EQ(1, kmsg_has(self->e.kmsg, "'123' is not ID:MASK", 2000));
	EXPECT_EQ(-EINVAL, vdpa_set_attr(self->e.name, "rx_allow", "12g:7ff"));
	EXPECT_EQ(-EINVAL, vdpa_set_attr(self->e.name, "rx_allow", "40000000:0"));
	for (i = 0; i < 33; i++)
		strcat(many, "1:7ff ");
	EXPECT_EQ(-E2BIG, vdpa_set_attr(self->e.name, "tx_allow", many));
	EXPECT_EQ(1, kmsg_has(self->e.kmsg, "more than 32 entries", 2000));
}

TEST_F(can, netdev_refusals)
{
	EXPECT_EQ(-EBUSY, vdpa_set_attr(self->e.name, "netdev", self->e.ifname));
	EXPECT_EQ(1, kmsg_has(self->e.kmsg, "a driver uses the device", 2000));
	ASSERT_EQ(0, vd_set_status(&self->e.d, 0));
	EXPECT_EQ(-ENODEV, vdpa_set_attr(self->e.name, "netdev", "nosuchcan0"));
	EXPECT_EQ(-EINVAL, vdpa_set_attr(self->e.name, "netdev", "lo"));
	EXPECT_EQ(1, kmsg_has(self->e.kmsg, "lo is not a CAN interface", 2000));
	EXPECT_EQ(-EINVAL, vdpa_set_attr(self->e.name, "netdev", "averyverylongname"));
	/* unbound: the device cannot start */
	ASSERT_EQ(0, vdpa_set_attr(self->e.name, "netdev", "\n"));
	EXPECT_EQ(-EPROTO, vd_negotiate(&self->e.d, CAN_FEATURES));
	EXPECT_EQ(1, kmsg_has(self->e.kmsg, "FEATURES_OK refused: no CAN interface bound", 2000));
	ASSERT_EQ(0, vdpa_set_attr(self->e.name, "netdev", self->e.ifname));
	ASSERT_EQ(0, device_up(&self->e, CAN_FEATURES));
	ASSERT_EQ(0, start(&self->e));
	EXPECT_EQ(VIRTIO_CAN_RESULT_OK, tx(&self->e, 0, 1, 0));
}

TEST_F(can, features_follow_the_interface)
{
	uint64_t features;

	ASSERT_EQ(0, vd_set_status(&self->e.d, 0));
	ASSERT_EQ(0, run_cmd("ip link set %s down && ip link set %s mtu %d up",
			     self->e.ifname, self->e.ifname, (int)CAN_MTU));
	ASSERT_EQ(0, vdpa_set_attr(self->e.name, "netdev", self->e.ifname));
	ASSERT_EQ(0, vd_device_features(&self->e.d, &features));
	EXPECT_FALSE(!!(features & F(VIRTIO_CAN_F_CAN_FD)));
	EXPECT_TRUE(!!(features & F(VIRTIO_CAN_F_CAN_CLASSIC)));
	/* neither classic nor FD, and RTR without classic */
	EXPECT_EQ(-EPROTO, vd_negotiate(&self->e.d, CORE_FEATURES));
	EXPECT_EQ(1, kmsg_has(self->e.kmsg, "neither classic CAN nor CAN FD", 2000));
	EXPECT_EQ(-EINVAL, vd_negotiate(&self->e.d, CAN_FEATURES));
}

/* Classic only: FD frames are refused one way and not delivered the other. */
TEST_F(can, fd_not_negotiated)
{
	struct virtio_can_rx hdr;

	ASSERT_EQ(0, device_up(&self->e, CAN_FEATURES & ~F(VIRTIO_CAN_F_CAN_FD)));
	ASSERT_EQ(0, start(&self->e));
	EXPECT_EQ(VIRTIO_CAN_RESULT_NOT_OK, tx(&self->e, VIRTIO_CAN_FLAGS_FD, 1, 8));
	ASSERT_EQ(0, peer_send(self->e.peer, 0x55, 12, 1));
	ASSERT_EQ(0, peer_send(self->e.peer, 0x56, 2, 0));
	ASSERT_EQ(sizeof(hdr) + 2, rx(&self->e, &hdr, NULL, WAIT_MS));
	EXPECT_EQ(0x56u, le32toh(hdr.can_id));
}

/* FD only: classic and RTR frames are dropped and counted. */
TEST_F(can, classic_not_negotiated)
{
	struct virtio_can_rx hdr;
	long dropped = stat(&self->e, "rx_dropped");

	ASSERT_EQ(0, device_up(&self->e, CORE_FEATURES | F(VIRTIO_CAN_F_CAN_FD)));
	ASSERT_EQ(0, start(&self->e));
	EXPECT_EQ(VIRTIO_CAN_RESULT_NOT_OK, tx(&self->e, 0, 1, 8));
	ASSERT_EQ(0, peer_send(self->e.peer, 0x57, 8, 0));
	ASSERT_EQ(0, peer_send(self->e.peer, 0x58, 8, 1));
	ASSERT_EQ(sizeof(hdr) + 8, rx(&self->e, &hdr, NULL, WAIT_MS));
	EXPECT_EQ(0x58u, le32toh(hdr.can_id));
	EXPECT_EQ(dropped + 1, stat(&self->e, "rx_dropped"));
}

/* With late TX acks the request completes on the frame's echo. */
TEST_F(can, late_tx_ack)
{
	struct virtio_can_rx hdr;
	struct canfd_frame cf;
	unsigned int i;

	ASSERT_EQ(0, device_up(&self->e, CAN_FEATURES | F(VIRTIO_CAN_F_LATE_TX_ACK)));
	ASSERT_EQ(0, start(&self->e));
	/* only the echoes of allowed IDs are wanted; nothing is received */
	ASSERT_EQ(0, vdpa_set_attr(self->e.name, "rx_allow", "\n"));
	for (i = 0; i < RING / 2; i++)
		tx_post(&self->e, i, VIRTIO_CAN_TX, 0, 0x300 + i, 1,
			sizeof(struct virtio_can_tx_out) + 1);
	for (i = 0; i < RING / 2; i++) {
		ASSERT_EQ(VIRTIO_CAN_RESULT_OK, tx_result(&self->e, WAIT_MS));
		ASSERT_EQ(CAN_MTU, peer_recv(self->e.peer, &cf, WAIT_MS));
		EXPECT_EQ(0x300u + i, cf.can_id);
	}
	/* the guest's own frames do not come back to it */
	EXPECT_EQ(0u, rx(&self->e, &hdr, NULL, 300));
	EXPECT_EQ(RING / 2, stat(&self->e, "tx_frames"));
}

/*
 * Review: echoes waited in line behind received frames; with no receive
 * buffer posted, one frame from the bus held up every late ack until it
 * timed out. Echoes are recognised as they arrive.
 */
TEST_F(can, late_acks_without_receive_buffers)
{
	struct virtio_can_rx hdr;
	uint8_t data[CANFD_MAX_DLEN];
	unsigned int i;

	ASSERT_EQ(0, device_up_rx(&self->e, CAN_FEATURES | F(VIRTIO_CAN_F_LATE_TX_ACK), 0));
	ASSERT_EQ(0, start(&self->e));
	ASSERT_EQ(0, peer_send(self->e.peer, 0x11, 1, 0));
	for (i = 0; i < RING / 2; i++)
		tx_post(&self->e, i, VIRTIO_CAN_TX, 0, 0x300 + i, 1,
			sizeof(struct virtio_can_tx_out) + 1);
	for (i = 0; i < RING / 2; i++)
		EXPECT_EQ(VIRTIO_CAN_RESULT_OK, tx_result(&self->e, 500));
	/* the frame from the bus waited for its buffer */
	vc_rx_post(&self->e.c, 0, VC_RX_BUF, VRING_DESC_F_WRITE);
	vd_kick(&self->e.c.q[VIRTIO_CAN_VQ_RX]);
	EXPECT_EQ(sizeof(hdr) + 1, rx(&self->e, &hdr, data, WAIT_MS));
	EXPECT_EQ(0x11u, le32toh(hdr.can_id));
	EXPECT_EQ(0u, rx(&self->e, &hdr, data, 300));
}

/* A stopped controller sends nothing and receives nothing. */
TEST_F(can, stopped_controller)
{
	struct virtio_can_rx hdr;
	struct canfd_frame cf;

	ASSERT_EQ(VIRTIO_CAN_RESULT_OK, ctrl(&self->e, VIRTIO_CAN_SET_CTRL_MODE_STOP));
	EXPECT_EQ(VIRTIO_CAN_RESULT_NOT_OK, tx(&self->e, 0, 0x10, 1));
	EXPECT_EQ(0u, peer_recv(self->e.peer, &cf, 200));
	ASSERT_EQ(0, peer_send(self->e.peer, 0x11, 1, 0));
	EXPECT_EQ(0u, rx(&self->e, &hdr, NULL, 300));
	EXPECT_EQ(VIRTIO_CAN_RESULT_NOT_OK, ctrl(&self->e, 0x0203));
	ASSERT_EQ(0, start(&self->e));
	EXPECT_EQ(VIRTIO_CAN_RESULT_OK, tx(&self->e, 0, 0x10, 1));
}

/* The host's controller reports bus-off: status bit, interrupt, stopped. */
TEST_F(can, bus_off_error_frame)
{
	struct canfd_frame cf = { .can_id = CAN_ERR_FLAG | CAN_ERR_BUSOFF,
				  .len = CAN_ERR_DLC };

	vd_config_called(&self->e.d, 0);
	ASSERT_EQ((ssize_t)CAN_MTU, write(self->e.peer, &cf, CAN_MTU));
	ASSERT_EQ(1, vd_config_called(&self->e.d, WAIT_MS));
	EXPECT_EQ(VIRTIO_CAN_S_CTRL_BUSOFF, config_status(&self->e));
	EXPECT_EQ(1, controller_is(&self->e, "bus-off", 0));
	EXPECT_EQ(VIRTIO_CAN_RESULT_NOT_OK, tx(&self->e, 0, 0x10, 1));
	EXPECT_EQ(1, stat(&self->e, "bus_off"));
	/* the driver restarts the controller */
	ASSERT_EQ(0, start(&self->e));
	EXPECT_EQ(0, config_status(&self->e));
	EXPECT_EQ(VIRTIO_CAN_RESULT_OK, tx(&self->e, 0, 0x10, 1));
}

TEST_F(can, bus_off_interface_down)
{
	vd_config_called(&self->e.d, 0);
	ASSERT_EQ(0, run_cmd("ip link set %s down", self->e.ifname));
	ASSERT_EQ(1, vd_config_called(&self->e.d, WAIT_MS));
	EXPECT_EQ(VIRTIO_CAN_S_CTRL_BUSOFF, config_status(&self->e));
	EXPECT_EQ(VIRTIO_CAN_RESULT_NOT_OK, ctrl(&self->e, VIRTIO_CAN_SET_CTRL_MODE_START));
	EXPECT_EQ(1, kmsg_has(self->e.kmsg, "is down", 2000));
	ASSERT_EQ(0, run_cmd("ip link set %s up", self->e.ifname));
	ASSERT_EQ(0, start(&self->e));
	EXPECT_EQ(VIRTIO_CAN_RESULT_OK, tx(&self->e, 0, 0x10, 1));
}

/*
 * A started controller with receive buffers and nothing to receive: its
 * worker sleeps until a frame or a kick comes. A tenth of a CPU at most.
 */
TEST_F(can, idle_worker_sleeps)
{
	long before = vd_worker_cpu_ticks();
	struct virtio_can_rx hdr;
	uint8_t data[CANFD_MAX_DLEN];

	ASSERT_LE(0, before);
	sleep(1);
	EXPECT_GT(sysconf(_SC_CLK_TCK) / 10, vd_worker_cpu_ticks() - before);
	/* and wakes for a frame */
	ASSERT_EQ(0, peer_send(self->e.peer, 0x11, 1, 0));
	EXPECT_EQ(sizeof(hdr) + 1, rx(&self->e, &hdr, data, WAIT_MS));
}

/*
 * A frame to send is waiting, unannounced, when the interface goes down:
 * the pass the notifier wakes stops the controller, and the frame is
 * answered NOT_OK, not left in the ring.
 */
TEST_F(can, bus_off_with_a_frame_waiting)
{
	vd_config_called(&self->e.d, 0);
	/* the device's last pass over, it reads the ring only when woken */
	usleep(200000);
	vc_tx_fill(&self->e.c, 0, VIRTIO_CAN_TX, 0, 0x10,
		   1, sizeof(struct virtio_can_tx_out) + 1);
	vd_publish(&self->e.c.q[VIRTIO_CAN_VQ_TX], 0);
	ASSERT_EQ(0, run_cmd("ip link set %s down", self->e.ifname));
	EXPECT_EQ(VIRTIO_CAN_RESULT_NOT_OK, tx_result(&self->e, WAIT_MS));
	ASSERT_EQ(1, vd_config_called(&self->e.d, WAIT_MS));
	EXPECT_EQ(VIRTIO_CAN_S_CTRL_BUSOFF, config_status(&self->e));
	EXPECT_EQ(1, controller_is(&self->e, "bus-off", 0));
}

/* The interface is deleted under the started device. */
TEST_F(can, interface_deleted)
{
	ASSERT_EQ(0, run_cmd("ip link del dev %s", self->e.ifname));
	ASSERT_EQ(1, vd_config_called(&self->e.d, WAIT_MS));
	EXPECT_EQ(VIRTIO_CAN_S_CTRL_BUSOFF, config_status(&self->e));
	EXPECT_EQ(VIRTIO_CAN_RESULT_NOT_OK, ctrl(&self->e, VIRTIO_CAN_SET_CTRL_MODE_START));
	EXPECT_EQ(1, kmsg_has(self->e.kmsg, "is gone", 2000));
	EXPECT_EQ(VIRTIO_CAN_RESULT_NOT_OK, tx(&self->e, 0, 0x10, 1));
}

struct bad_frame {
	const char *what;
	uint16_t type;
	uint32_t flags;
	uint32_t id;
	uint16_t length;
	uint32_t out_len;	/* 0: header and length bytes */
};

static const struct bad_frame bad_frames[] = {
	{ "a receive message", VIRTIO_CAN_RX, 0, 1, 1, 0 },
	{ "message type 0xbeef", 0xbeef, 0, 1, 1, 0 },
	{ "undefined flag 0x1", VIRTIO_CAN_TX, 0x1, 1, 1, 0 },
	{ "undefined flag 0x80000000", VIRTIO_CAN_TX, 0x80000000, 1, 1, 0 },
	{ "standard ID 0x800", VIRTIO_CAN_TX, 0, 0x800, 1, 0 },
	{ "extended ID 0x20000000", VIRTIO_CAN_TX, VIRTIO_CAN_FLAGS_EXTENDED, 0x20000000, 1, 0 },
	{ "classic length 9", VIRTIO_CAN_TX, 0, 1, 9, 0 },
	{ "CAN FD length 13", VIRTIO_CAN_TX, VIRTIO_CAN_FLAGS_FD, 1, 13, 0 },
	{ "CAN FD length 65", VIRTIO_CAN_TX, VIRTIO_CAN_FLAGS_FD, 1, 65, 0 },
	{ "RTR in CAN FD", VIRTIO_CAN_TX, VIRTIO_CAN_FLAGS_FD | VIRTIO_CAN_FLAGS_RTR, 1, 0, 0 },
	{ "payload shorter than its length", VIRTIO_CAN_TX, 0, 1, 8, 16 + 7 },
};

/* Each gets NOT_OK, nothing reaches the bus, the device goes on. */
TEST_F(can, malformed_frames)
{
	long invalid = stat(&self->e, "tx_invalid");
	struct canfd_frame cf;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad_frames); i++) {
		const struct bad_frame *b = &bad_frames[i];

		tx_post(&self->e, 0, b->type, b->flags, b->id, b->length,
			b->out_len ?: sizeof(struct virtio_can_tx_out) + b->length);
		EXPECT_EQ(VIRTIO_CAN_RESULT_NOT_OK, tx_result(&self->e, WAIT_MS))
			TH_LOG("%s", b->what);
	}
	EXPECT_EQ(0u, peer_recv(self->e.peer, &cf, 200));
	EXPECT_EQ(invalid + (long)i, stat(&self->e, "tx_invalid"));
	EXPECT_EQ(VIRTIO_CAN_RESULT_OK, tx(&self->e, 0, 0x10, 1));
}

/* RTR frames when the driver did not take them. */
TEST_F(can, rtr_not_negotiated)
{
	struct virtio_can_rx hdr;

	ASSERT_EQ(0, device_up(&self->e, CAN_FEATURES & ~F(VIRTIO_CAN_F_RTR_FRAMES)));
	ASSERT_EQ(0, start(&self->e));
	EXPECT_EQ(VIRTIO_CAN_RESULT_NOT_OK, tx(&self->e, VIRTIO_CAN_FLAGS_RTR, 1, 1));
	ASSERT_EQ(0, peer_send(self->e.peer, 0x20 | CAN_RTR_FLAG, 1, 0));
	ASSERT_EQ(0, peer_send(self->e.peer, 0x21, 1, 0));
	ASSERT_EQ(sizeof(hdr) + 1, rx(&self->e, &hdr, NULL, WAIT_MS));
	EXPECT_EQ(0x21u, le32toh(hdr.can_id));
}

/*
 * A request whose shape breaks the device's rules: NEEDS_RESET and a log
 * line, then a reset device works.
 */
static void expect_broken(struct __test_metadata *_metadata,
			  struct can_env *self, struct vd_ring *r,
			  const char *why)
{
	vd_kick(r);
	ASSERT_EQ(1, vd_wait_status(&self->d, VIRTIO_CONFIG_S_NEEDS_RESET, WAIT_MS));
	EXPECT_EQ(1, kmsg_has(self->kmsg, why, 2000))
		TH_LOG("no log line with '%s'", why);
	ASSERT_EQ(0, device_up(self, CAN_FEATURES));
	ASSERT_EQ(0, start(self));
	EXPECT_EQ(VIRTIO_CAN_RESULT_OK, tx(self, 0, 0x10, 1));
}

TEST_F(can, tx_without_result)
{
	struct vd_ring *r = &self->e.c.q[VIRTIO_CAN_VQ_TX];

	vd_desc(r, 0, vc_iova(&self->e.c, VC_TX_OFF), 24, 0, 0);
	vd_publish(r, 0);
	expect_broken(_metadata, &self->e, r, "transmit request 0 has 24 bytes out and 0 in");
}

TEST_F(can, tx_header_short)
{
	tx_post(&self->e, 0, VIRTIO_CAN_TX, 0, 1, 0, 15);
	expect_broken(_metadata, &self->e, &self->e.c.q[VIRTIO_CAN_VQ_TX],
		      "transmit request 0 has 15 bytes out");
}

TEST_F(can, control_short)
{
	struct vd_ring *r = &self->e.c.q[VIRTIO_CAN_VQ_CONTROL];
	size_t off = vc_ctrl_off(&self->e.c);

	vd_desc(r, 0, vc_iova(&self->e.c, off), 1, VRING_DESC_F_NEXT, 1);
	vd_desc(r, 1, vc_iova(&self->e.c, off + 16), 1, VRING_DESC_F_WRITE, 0);
	vd_publish(r, 0);
	expect_broken(_metadata, &self->e, r, "control request 0 has 1 bytes out");
}

static void rx_bad_buffer(struct __test_metadata *_metadata,
			  struct can_env *self, uint32_t len,
			  uint16_t flags, const char *why)
{
	struct vd_ring *r = &self->c.q[VIRTIO_CAN_VQ_RX];

	/* the rings start over with one bad receive buffer */
	ASSERT_EQ(0, device_up_rx(self, CAN_FEATURES, 0));
	vc_rx_post(&self->c, 0, len, flags);
	ASSERT_EQ(0, start(self));
	ASSERT_EQ(0, peer_send(self->peer, 0x30, 1, 0));
	expect_broken(_metadata, self, r, why);
}

TEST_F(can, rx_buffer_too_small)
{
	rx_bad_buffer(_metadata, &self->e, 79, VRING_DESC_F_WRITE,
		      "receive buffer 0 has 0 bytes out and 79 in; it needs none and 80");
}

TEST_F(can, rx_buffer_device_readable)
{
	rx_bad_buffer(_metadata, &self->e, 80, 0,
		      "receive buffer 0 has 80 bytes out and 0 in");
}

struct traffic {
	struct can_env *env;
	int stop;		/* atomic: set by the test's thread */
	unsigned long sent;
};

/* A guest vCPU: keeps every transmit slot busy whatever happens. */
static void *guest_traffic(void *arg)
{
	struct traffic *t = arg;
	struct vd_ring *r = &t->env->c.q[VIRTIO_CAN_VQ_TX];
	unsigned int i;
	uint32_t id, len;

	for (i = 0; i < RING / 2; i++)
		tx_post(t->env, i, VIRTIO_CAN_TX, VIRTIO_CAN_FLAGS_FD, 0x40 + i,
			64, sizeof(struct virtio_can_tx_out) + 64);
	while (!__atomic_load_n(&t->stop, __ATOMIC_RELAXED)) {
		vd_kick(r);
		if (vd_wait_used(r, &id, &len, 20) == 1 && id < RING && !(id % 2)) {
			t->sent++;
			vd_publish(r, id);
		}
	}
	return NULL;
}

/* Frames and resets at once; the peer drains the bus meanwhile. */
TEST_F(can, reset_under_traffic)
{
	struct traffic t = { .env = &self->e };
	struct canfd_frame cf;
	pthread_t thread;
	int i;

	ASSERT_EQ(0, pthread_create(&thread, NULL, guest_traffic, &t));
	for (i = 0; i < 30; i++) {
		while (peer_recv(self->e.peer, &cf, 5))
			;
		ASSERT_EQ(0, vd_set_status(&self->e.d, 0));
		ASSERT_EQ(0, vd_negotiate(&self->e.d, CAN_FEATURES));
		ASSERT_EQ(0, vd_vq_attach(&self->e.d, 0, &self->e.c.q[0]));
		ASSERT_EQ(0, vd_vq_attach(&self->e.d, 1, &self->e.c.q[1]));
		ASSERT_EQ(0, vd_vq_attach(&self->e.d, 2, &self->e.c.q[2]));
		ASSERT_EQ(0, vd_driver_ok(&self->e.d));
	}
	__atomic_store_n(&t.stop, 1, __ATOMIC_RELAXED);
	pthread_join(thread, NULL);
	TH_LOG("%lu frames completed across 30 resets", t.sent);
	ASSERT_EQ(0, device_up(&self->e, CAN_FEATURES));
	ASSERT_EQ(0, start(&self->e));
	while (peer_recv(self->e.peer, &cf, 50))
		;
	EXPECT_EQ(VIRTIO_CAN_RESULT_OK, tx(&self->e, 0, 0x10, 1));
}

/* The owner: the device opened again, started, every slot kept busy. */
static void can_owner(void *env)
{
	struct traffic t = { .env = env };

	if (vd_open(&t.env->d, t.env->path) || device_up(t.env, CAN_FEATURES) ||
	    start(t.env))
		_exit(1);
	guest_traffic(&t);
}

/* The owner is killed while it sends; the device reopens and works. */
TEST_F(can, owner_dies_mid_transfer)
{
	vd_close(&self->e.d);
	EXPECT_EQ(1, vd_kill_owner(can_owner, &self->e, 500))
		TH_LOG("the owner ended before the kill");
	ASSERT_EQ(0, vd_reopen(&self->e.d, self->e.path));
	ASSERT_EQ(0, device_up(&self->e, CAN_FEATURES));
	ASSERT_EQ(0, start(&self->e));
	EXPECT_EQ(VIRTIO_CAN_RESULT_OK, tx(&self->e, 0, 0x10, 1));
}

/*
 * The owner of a stalled device (vd_stalled_owner()): its controller
 * started, a transmit request lies on a page of guest memory that never
 * comes.
 */
static void stalled_owner(void *arg, int report)
{
	struct can_env *env = arg;
	struct vd_ring *r = &env->c.q[VIRTIO_CAN_VQ_TX];
	uint64_t iova;
	pid_t holder;

	if (vd_reopen(&env->d, env->path) || device_up(env, CAN_FEATURES) ||
	    start(env) || vd_missing_page(&env->d, &iova, &holder))
		_exit(1);
	vd_desc(r, 0, iova, sizeof(struct virtio_can_tx_out) + 1,
		VRING_DESC_F_NEXT, 1);
	vd_desc(r, 1, iova + 64, 1, VRING_DESC_F_WRITE, 0);
	vd_publish(r, 0);
	vd_kick(r);
	if (write(report, &holder, sizeof(holder)) != sizeof(holder))
		_exit(1);
	pause();
}

/*
 * Review: every sysfs attribute took the device lock, which a worker
 * stalled on its owner's memory holds: the administrator waited for the
 * guest. Now reads and writes complete (a new interface is refused, the
 * device being in use), and killing the owner ends the stall.
 */
TEST_F(can, owner_memory_never_answers)
{
	const char *sysfs = "/sys/bus/vdpa/devices";
	pid_t owner, holder = 0;

	vd_close(&self->e.d);
	owner = vd_stalled_owner(stalled_owner, &self->e, &holder);
	ASSERT_LT(0, owner);

	EXPECT_EQ(0, shell_within_ms(10000, "grep -qx started %s/%s/controller",
				     sysfs, self->e.name));
	EXPECT_EQ(0, shell_within_ms(10000, "cat %s/%s/netdev %s/%s/tx_allow >/dev/null",
				     sysfs, self->e.name, sysfs, self->e.name));
	EXPECT_EQ(0, shell_within_ms(10000, "echo 123:7ff >%s/%s/rx_allow",
				     sysfs, self->e.name));
	EXPECT_EQ(1, shell_within_ms(10000, "echo %s >%s/%s/netdev 2>/dev/null",
				     self->e.ifname, sysfs, self->e.name));

	kill(owner, SIGKILL);
	waitpid(owner, NULL, 0);
	EXPECT_EQ(0, shell_within_ms(10000, "vdpa dev del %s", self->e.name));
	kill(holder, SIGKILL);
}

TEST_HARNESS_MAIN
