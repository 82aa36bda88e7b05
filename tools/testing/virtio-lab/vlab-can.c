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
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/can/raw.h>
#include <linux/virtio_config.h>

#include "can_raw.h"
#include "can_model.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#include "linux/virtio_extra/virtio_can.h"

/* Frames from the bus that wait for receive buffers. */
#define RCVBUF_BYTES (16 << 20)

static bool to_bus(struct can_model *m, const struct canfd_frame *frame,
		   bool fd)
{
	int sock = *(int *)m->bus_data;
	size_t mtu = fd ? CANFD_MTU : CAN_MTU;

	return write(sock, frame, mtu) == (ssize_t)mtu;
}

/* Serve until the device is gone; SIGUSR1 (blocked, read from sig) means bus-off. */
static int serve(struct can_model *m, int sock, int sig)
{
	struct pollfd pfd[3] = {
		{ .fd = m->lab.fd, .events = POLLIN },
		{ .fd = sig, .events = POLLIN },
		{ .fd = sock, .events = POLLIN },
	};
	struct signalfd_siginfo si;
	struct canfd_frame frame;
	bool pending = false, pending_fd = false;
	struct vlab_event *ev;
	ssize_t n;
	int err;

	for (;;) {
		/* A frame waiting for a buffer holds the bus back. */
		pfd[2].events = pending ? 0 : POLLIN;
		if (poll(pfd, 3, -1) < 0)
			return -errno;
		if (pfd[1].revents && read(sig, &si, sizeof(si)) == sizeof(si)) {
			err = can_model_bus_off(m);
			if (err)
				return err;
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
	static const struct {
		const char *name;
		unsigned int bit;
		bool set;
	} options[] = {
		{ "--no-classic", VIRTIO_CAN_F_CAN_CLASSIC, false },
		{ "--no-fd", VIRTIO_CAN_F_CAN_FD, false },
		{ "--no-rtr", VIRTIO_CAN_F_RTR_FRAMES, false },
		{ "--late-ack", VIRTIO_CAN_F_LATE_TX_ACK, true },
	};
	struct can_model m;
	struct vlab_info info;
	unsigned int o;
	sigset_t usr1;
	int i, sock, sig, err;

	for (i = 1; i < argc - 1; i++) {
		for (o = 0; o < ARRAY_SIZE(options); o++)
			if (!strcmp(argv[i], options[o].name))
				break;
		if (o == ARRAY_SIZE(options))
			break;
		if (options[o].set)
			features |= 1ULL << options[o].bit;
		else
			features &= ~(1ULL << options[o].bit);
	}
	if (i != argc - 1) {
		fprintf(stderr,
			"usage: vlab-can [--no-classic] [--no-fd] [--no-rtr] [--late-ack] IFNAME\n");
		return 2;
	}
	sock = can_raw_open(argv[i], SOCK_NONBLOCK, RCVBUF_BYTES);
	if (sock < 0) {
		fprintf(stderr, "vlab-can: %s: %s\n", argv[i], strerror(errno));
		return 1;
	}
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	sig = signalfd(-1, &usr1, SFD_CLOEXEC);
	if (sig < 0) {
		perror("vlab-can: signalfd");
		return 1;
	}
	err = can_model_create(&m, features | (1ULL << VIRTIO_F_RING_RESET));
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
	err = serve(&m, sock, sig);
	if (err)
		fprintf(stderr, "vlab-can: %s\n", strerror(-err));
	vlab_close(&m.lab);
	close(sock);
	return err ? 1 : 0;
}
