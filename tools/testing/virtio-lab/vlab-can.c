// SPDX-License-Identifier: GPL-2.0
/*
 * vlab-can: play a virtio CAN controller whose bus is a SocketCAN interface
 * of the same system (a vcan, or one end of a vxcan pair), until killed.
 *
 *	vlab-can [--no-classic] [--no-fd] [--no-rtr] [--late-ack] IFNAME
 *
 * What the guest's driver transmits goes out on IFNAME; what IFNAME's other
 * users send reaches the driver. SIGUSR1 takes the controller bus-off.
 * Prints the device's name once the virtio core named it.
 */
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/can/raw.h>

#include "can_model.h"
#include "linux/virtio_extra/virtio_can.h"

/* Frames from the bus that wait for receive buffers. */
#define RCVBUF_BYTES (16 << 20)

static volatile sig_atomic_t bus_off_requested;

static void request_bus_off(int sig)
{
	(void)sig;
	bus_off_requested = 1;
}

static bool to_bus(struct can_model *m, const struct canfd_frame *frame,
		   bool fd)
{
	int sock = *(int *)m->bus_data;
	size_t mtu = fd ? CANFD_MTU : CAN_MTU;

	return write(sock, frame, mtu) == (ssize_t)mtu;
}

static int open_bus(const char *ifname)
{
	struct sockaddr_can addr = { .can_family = AF_CAN };
	int one = 1, rcvbuf = RCVBUF_BYTES;
	int sock;

	addr.can_ifindex = if_nametoindex(ifname);
	if (!addr.can_ifindex)
		return -1;
	sock = socket(PF_CAN, SOCK_RAW | SOCK_NONBLOCK, CAN_RAW);
	if (sock < 0)
		return -1;
	if (setsockopt(sock, SOL_CAN_RAW, CAN_RAW_FD_FRAMES, &one, sizeof(one)) ||
	    setsockopt(sock, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) ||
	    bind(sock, (struct sockaddr *)&addr, sizeof(addr))) {
		close(sock);
		return -1;
	}
	return sock;
}

static int serve(struct can_model *m, int sock)
{
	struct pollfd pfd[2] = {
		{ .fd = m->lab.fd, .events = POLLIN },
		{ .fd = sock, .events = POLLIN },
	};
	struct canfd_frame frame;
	bool pending = false, pending_fd = false;
	struct vlab_event *ev;
	ssize_t n;
	int err;

	for (;;) {
		if (bus_off_requested) {
			bus_off_requested = 0;
			err = can_model_bus_off(m);
			if (err)
				return err;
		}
		/* A frame waiting for a buffer holds the bus back. */
		pfd[1].events = pending ? 0 : POLLIN;
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (pfd[0].revents) {
			ev = can_model_step(m, 0);
			if (!ev && errno == ENODEV)
				return 0;
			if (!ev && errno != ETIMEDOUT)
				return -errno;
		}
		for (;;) {
			if (!pending) {
				n = read(sock, &frame, sizeof(frame));
				if (n < 0 && errno == EAGAIN)
					break;
				if (n != CAN_MTU && n != CANFD_MTU)
					return n < 0 ? -errno : -EIO;
				pending = true;
				pending_fd = n == CANFD_MTU;
			}
			err = can_model_receive(m, &frame, pending_fd);
			if (err == -EAGAIN)
				break;
			/* Stopped, or a frame type not negotiated: not heard. */
			if (err && err != -EPIPE && err != -EOPNOTSUPP)
				return err;
			pending = false;
		}
	}
}

int main(int argc, char **argv)
{
	uint64_t features = (1ULL << VIRTIO_CAN_F_CAN_CLASSIC) |
			    (1ULL << VIRTIO_CAN_F_CAN_FD) |
			    (1ULL << VIRTIO_CAN_F_RTR_FRAMES);
	struct can_model m;
	struct vlab_info info;
	int i, sock, err;

	for (i = 1; i < argc - 1; i++) {
		if (!strcmp(argv[i], "--no-classic")) {
			features &= ~(1ULL << VIRTIO_CAN_F_CAN_CLASSIC);
		} else if (!strcmp(argv[i], "--no-fd")) {
			features &= ~(1ULL << VIRTIO_CAN_F_CAN_FD);
		} else if (!strcmp(argv[i], "--no-rtr")) {
			features &= ~(1ULL << VIRTIO_CAN_F_RTR_FRAMES);
		} else if (!strcmp(argv[i], "--late-ack")) {
			features |= 1ULL << VIRTIO_CAN_F_LATE_TX_ACK;
		} else {
			break;
		}
	}
	if (i != argc - 1) {
		fprintf(stderr, "usage: vlab-can [--no-classic] [--no-fd] [--no-rtr] [--late-ack] IFNAME\n");
		return 2;
	}
	sock = open_bus(argv[i]);
	if (sock < 0) {
		fprintf(stderr, "vlab-can: %s: %s\n", argv[i], strerror(errno));
		return 1;
	}
	signal(SIGUSR1, request_bus_off);
	err = can_model_create(&m, features);
	if (!err)
		err = vlab_info(&m.lab, &info);
	if (err) {
		fprintf(stderr, "vlab-can: %s\n", strerror(-err));
		return 1;
	}
	m.bus = to_bus;
	m.bus_data = &sock;
	printf("vlab-can: %s\n", info.name);
	fflush(stdout);
	err = serve(&m, sock);
	if (err)
		fprintf(stderr, "vlab-can: %s\n", strerror(-err));
	vlab_close(&m.lab);
	close(sock);
	return err ? 1 : 0;
}
