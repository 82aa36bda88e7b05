// SPDX-License-Identifier: GPL-2.0
/*
 * user_i2c: a userspace virtio I2C adapter. See user_i2c.h.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/i2c.h>
#include <linux/i2c-dev.h>
#include <linux/virtio_extra/virtio_i2c.h>

#include "user_i2c.h"
#include "user_vq.h"

/* As vhost-i2c: the most messages I2C_RDWR takes. */
#define USER_I2C_GROUP_MAX I2C_RDWR_IOCTL_MAX_MSGS
#define USER_I2C_BUF_MAX 8192

/* The group being taken: its chains and their messages. */
struct user_i2c {
	int fd;
	unsigned int n;
	struct user_chain chain[USER_I2C_GROUP_MAX];
	struct i2c_msg msg[USER_I2C_GROUP_MAX];
	uint8_t buf[USER_I2C_GROUP_MAX][USER_I2C_BUF_MAX];
};

/* Run the group, then give each request its data and status, in order. */
static void run_group(struct user_vq *q, struct user_i2c *u)
{
	struct i2c_rdwr_ioctl_data rdwr = { .msgs = u->msg, .nmsgs = u->n };
	uint8_t status = VIRTIO_I2C_MSG_OK;
	unsigned int i;

	if (ioctl(u->fd, I2C_RDWR, &rdwr) != (int)u->n)
		status = VIRTIO_I2C_MSG_ERR;
	for (i = 0; i < u->n; i++) {
		const struct user_chain *c = &u->chain[i];
		uint32_t len = 0;

		if (status == VIRTIO_I2C_MSG_OK && (u->msg[i].flags & I2C_M_RD)) {
			len = u->msg[i].len;
			if (user_chain_write(c, 0, u->buf[i], len))
				exit(1);
		}
		if (user_chain_write(c, c->in_len - 1, &status, sizeof(status)))
			exit(1);
		user_vq_push(q, c->head, len + sizeof(status));
	}
	u->n = 0;
}

/* Take a request into the group; run the group at its last request. */
static void serve_one(struct user_vq *q, const struct user_chain *c, void *arg)
{
	struct virtio_i2c_out_hdr hdr;
	struct user_i2c *u = arg;
	struct i2c_msg *m = &u->msg[u->n];
	uint32_t flags, len;

	if (user_chain_read(c, 0, &hdr, sizeof(hdr)) || !c->in_len)
		exit(1);
	flags = le32toh(hdr.flags);
	len = (flags & VIRTIO_I2C_FLAGS_M_RD) ? c->in_len - 1 : c->out_len - sizeof(hdr);
	if (len > USER_I2C_BUF_MAX)
		exit(1);
	m->addr = le16toh(hdr.addr) >> 1;
	m->flags = (flags & VIRTIO_I2C_FLAGS_M_RD) ? I2C_M_RD : 0;
	m->len = len;
	m->buf = u->buf[u->n];
	if (!(flags & VIRTIO_I2C_FLAGS_M_RD) && user_chain_read(c, sizeof(hdr), m->buf, len))
		exit(1);
	u->chain[u->n++] = *c;
	if (!(flags & VIRTIO_I2C_FLAGS_FAIL_NEXT) || u->n == USER_I2C_GROUP_MAX)
		run_group(q, u);
}

void user_i2c_serve(const struct vd_mem *mem, const struct vd_ring *r,
		    const char *node)
{
	struct pollfd pfd = { .fd = r->kick_fd, .events = POLLIN };
	static struct user_i2c u;
	struct user_vq q;

	u.fd = open(node, O_RDWR | O_CLOEXEC);
	if (u.fd < 0)
		exit(1);
	user_vq_init(&q, mem, r);
	for (;;) {
		if (user_vq_wait(&pfd, 1) < 0)
			continue;
		user_vq_take_kicks(&q);
		user_vq_drain(&q, serve_one, &u);
	}
}
