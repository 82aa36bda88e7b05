// SPDX-License-Identifier: GPL-2.0
/*
 * vdpa-rng-read: read entropy from a virtio-rng device through vhost-vdpa,
 * as a guest would, and write it to standard output, for tools such as
 * rngtest:
 *
 *	vdpa-rng-read /dev/vhost-vdpa-0 2500000 | rngtest -c 1000
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>

#include "vdpa_driver.h"

#define RING 64
#define REQUEST 4096

int main(int argc, char **argv)
{
	unsigned long long want, got = 0;
	struct vd_dev d;
	uint32_t id, len;
	int i, ret;

	if (argc != 3) {
		fprintf(stderr, "usage: %s /dev/vhost-vdpa-N BYTES\n", argv[0]);
		return 2;
	}
	want = strtoull(argv[2], NULL, 0);
	ret = vd_open(&d, argv[1]);
	if (!ret)
		ret = vd_start(&d, (1ull << VIRTIO_F_VERSION_1) |
			       (1ull << VIRTIO_F_ACCESS_PLATFORM), RING);
	if (ret) {
		fprintf(stderr, "%s: %s: %s\n", argv[0], argv[1], strerror(-ret));
		return 1;
	}
	for (i = 0; i < RING; i++) {
		vd_desc(&d.ring, i, d.mem.iova + VD_RING_AREA + i * REQUEST,
			REQUEST, VRING_DESC_F_WRITE, 0);
		vd_publish(&d.ring, i);
	}
	vd_kick(&d.ring);
	while (got < want) {
		if (vd_wait_used(&d.ring, &id, &len, 5000) != 1 || id >= RING ||
		    len > REQUEST) {
			fprintf(stderr, "%s: the device stopped answering\n", argv[0]);
			return 1;
		}
		if (len > want - got)
			len = want - got;
		if (fwrite(d.mem.base + VD_RING_AREA + id * REQUEST, 1, len,
			   stdout) != len)
			return 1;
		got += len;
		vd_publish(&d.ring, id);
		vd_kick(&d.ring);
	}
	vd_close(&d);
	return 0;
}
