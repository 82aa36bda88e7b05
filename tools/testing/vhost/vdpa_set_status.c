// SPDX-License-Identifier: GPL-2.0
/*
 * vdpa-set-status: open a vhost-vdpa device, write one status byte as a
 * (possibly misbehaving) driver would, and print the status read back:
 *
 *	vdpa-set-status /dev/vhost-vdpa-0 0x7
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vdpa_driver.h"

int main(int argc, char **argv)
{
	struct vd_dev d;
	uint8_t status;
	int ret;

	if (argc != 3) {
		fprintf(stderr, "usage: %s /dev/vhost-vdpa-N STATUS\n", argv[0]);
		return 2;
	}
	ret = vd_open(&d, argv[1]);
	if (!ret)
		ret = vd_set_status(&d, strtoul(argv[2], NULL, 0));
	if (!ret)
		ret = vd_get_status(&d, &status);
	if (ret) {
		fprintf(stderr, "%s: %s: %s\n", argv[0], argv[1], strerror(-ret));
		return 1;
	}
	printf("%#x\n", status);
	vd_close(&d);
	return 0;
}
