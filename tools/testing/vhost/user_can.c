// SPDX-License-Identifier: GPL-2.0
/*
 * user_can: a userspace virtio CAN device. See user_can.h.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/can.h>
#include <linux/virtio_extra/virtio_can.h>

#include "can_raw.h"
#include "user_can.h"
#include "user_vq.h"

#define USER_CAN_FLAGS (VIRTIO_CAN_FLAGS_RTR | VIRTIO_CAN_FLAGS_FD | \
			VIRTIO_CAN_FLAGS_EXTENDED)
/* Where the socket is among the file descriptors polled: after the rings. */
#define USER_CAN_SOCK VIRTIO_CAN_VQ_MAX_CNT

struct user_can {
	struct user_vq vq[VIRTIO_CAN_VQ_MAX_CNT];
	const char *ifname;
	int sock;		/* open while the controller is started */
};

/* Write a request's one-byte result and return it to the driver. */
static void complete(struct user_vq *q, const struct user_chain *c,
		     uint8_t result)
{
	if (user_chain_write(c, 0, &result, sizeof(result)))
		exit(1);
	user_vq_push(q, c->head, sizeof(result));
}

static void serve_ctrl(struct user_vq *q, const struct user_chain *c,
		       void *arg)
{
	struct virtio_can_control_out req;
	struct user_can *u = arg;
	uint8_t result = VIRTIO_CAN_RESULT_OK;

	if (user_chain_read(c, 0, &req, sizeof(req)))
		exit(1);
	switch (le16toh(req.msg_type)) {
	case VIRTIO_CAN_SET_CTRL_MODE_START:
		if (u->sock < 0)
			u->sock = can_raw_open(u->ifname, SOCK_CLOEXEC, 0);
		if (u->sock < 0)
			result = VIRTIO_CAN_RESULT_NOT_OK;
		break;
	case VIRTIO_CAN_SET_CTRL_MODE_STOP:
		if (u->sock >= 0)
			close(u->sock);
		u->sock = -1;
		break;
	default:
		result = VIRTIO_CAN_RESULT_NOT_OK;
		break;
	}
	complete(q, c, result);
}

/* The lengths a CAN FD DLC gives. */
static int fd_len_valid(unsigned int len)
{
	return len <= 8 || (len <= 24 && !(len % 4)) || len == 32 ||
		len == 48 || len == 64;
}

/*
 * The SocketCAN frame a transmit request describes: its size (CAN_MTU or
 * CANFD_MTU), or 0 when the request is malformed.
 */
static size_t tx_frame(const struct user_chain *c, struct canfd_frame *cf)
{
	struct virtio_can_tx_out hdr;
	unsigned int len, payload;
	size_t mtu = CAN_MTU;
	uint32_t flags, id;

	if (user_chain_read(c, 0, &hdr, sizeof(hdr)))
		return 0;
	len = le16toh(hdr.length);
	flags = le32toh(hdr.flags);
	id = le32toh(hdr.can_id);
	if (le16toh(hdr.msg_type) != VIRTIO_CAN_TX || (flags & ~USER_CAN_FLAGS) ||
	    id > ((flags & VIRTIO_CAN_FLAGS_EXTENDED) ? CAN_EFF_MASK : CAN_SFF_MASK))
		return 0;
	payload = len;
	if (flags & VIRTIO_CAN_FLAGS_FD) {
		if ((flags & VIRTIO_CAN_FLAGS_RTR) || !fd_len_valid(len))
			return 0;
		mtu = CANFD_MTU;
	} else {
		if (len > CAN_MAX_DLEN)
			return 0;
		if (flags & VIRTIO_CAN_FLAGS_RTR) {
			payload = 0;
			id |= CAN_RTR_FLAG;
		}
	}
	if (flags & VIRTIO_CAN_FLAGS_EXTENDED)
		id |= CAN_EFF_FLAG;
	memset(cf, 0, sizeof(*cf));
	cf->can_id = id;
	cf->len = len;
	if (user_chain_read(c, sizeof(hdr), cf->data, payload))
		return 0;
	return mtu;
}

static void serve_tx(struct user_vq *q, const struct user_chain *c,
		     void *arg)
{
	struct user_can *u = arg;
	struct canfd_frame cf;
	ssize_t n = -1;
	size_t mtu;

	if (c->out_len < sizeof(struct virtio_can_tx_out) || !c->in_len)
		exit(1);
	mtu = tx_frame(c, &cf);
	if (mtu && u->sock >= 0) {
		/* as the kernel device: a full queue is waited out */
		while ((n = write(u->sock, &cf, mtu)) < 0 &&
		       (errno == ENOBUFS || errno == EAGAIN))
			usleep(100);
	}
	complete(q, c, n == (ssize_t)mtu ? VIRTIO_CAN_RESULT_OK :
					   VIRTIO_CAN_RESULT_NOT_OK);
}

/*
 * A frame from the socket into the next receive buffer. Whether to go on:
 * 0 when there is no buffer or no frame.
 */
static int rx_one(struct user_can *u)
{
	struct user_vq *q = &u->vq[VIRTIO_CAN_VQ_RX];
	struct virtio_can_rx hdr = { .msg_type = htole16(VIRTIO_CAN_RX) };
	unsigned int payload;
	struct canfd_frame cf;
	struct user_chain c;
	uint32_t flags = 0;
	ssize_t n;

	if (u->sock < 0 || !user_vq_pending(q))
		return 0;
	n = recv(u->sock, &cf, sizeof(cf), MSG_DONTWAIT);
	if (n < 0)
		return 0;
	/* error frames are dropped */
	if ((n != CAN_MTU && n != CANFD_MTU) || (cf.can_id & CAN_ERR_FLAG))
		return 1;
	payload = (cf.can_id & CAN_RTR_FLAG) ? 0 : cf.len;
	if (cf.can_id & CAN_EFF_FLAG) {
		flags |= VIRTIO_CAN_FLAGS_EXTENDED;
		hdr.can_id = htole32(cf.can_id & CAN_EFF_MASK);
	} else {
		hdr.can_id = htole32(cf.can_id & CAN_SFF_MASK);
	}
	if (n == CANFD_MTU)
		flags |= VIRTIO_CAN_FLAGS_FD;
	if (cf.can_id & CAN_RTR_FLAG)
		flags |= VIRTIO_CAN_FLAGS_RTR;
	hdr.flags = htole32(flags);
	hdr.length = htole16(cf.len);
	user_vq_pop(q, &c);
	if (c.nr_out || user_chain_write(&c, 0, &hdr, sizeof(hdr)) ||
	    user_chain_write(&c, sizeof(hdr), cf.data, payload))
		exit(1);
	user_vq_push(q, c.head, sizeof(hdr) + payload);
	return 1;
}

void user_can_serve(const struct vd_mem *mem, const struct vd_ring *rings,
		    const char *ifname)
{
	struct pollfd pfd[VIRTIO_CAN_VQ_MAX_CNT + 1];
	struct user_can u = { .ifname = ifname, .sock = -1 };
	unsigned int i;

	for (i = 0; i < VIRTIO_CAN_VQ_MAX_CNT; i++) {
		user_vq_init(&u.vq[i], mem, &rings[i]);
		pfd[i].fd = rings[i].kick_fd;
		pfd[i].events = POLLIN;
	}
	for (;;) {
		/* frames are read only when there is a buffer for them */
		pfd[USER_CAN_SOCK].fd = u.sock;
		pfd[USER_CAN_SOCK].events =
			user_vq_pending(&u.vq[VIRTIO_CAN_VQ_RX]) ? POLLIN : 0;
		if (user_vq_wait(pfd, USER_CAN_SOCK + 1) < 0)
			continue;
		for (i = 0; i < VIRTIO_CAN_VQ_MAX_CNT; i++)
			if (pfd[i].revents)
				user_vq_take_kicks(&u.vq[i]);
		user_vq_drain(&u.vq[VIRTIO_CAN_VQ_CONTROL], serve_ctrl, &u);
		user_vq_drain(&u.vq[VIRTIO_CAN_VQ_TX], serve_tx, &u);
		while (rx_one(&u))
			;
		user_vq_call(&u.vq[VIRTIO_CAN_VQ_RX]);
	}
}
