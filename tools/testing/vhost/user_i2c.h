/* SPDX-License-Identifier: GPL-2.0 */
/*
 * user_i2c: a virtio I2C adapter served from userspace, the way a
 * vhost-user daemon would serve one: requests from the ring, transfers on
 * a host adapter through its /dev/i2c-N. Like vhost-i2c, a group of
 * requests (each but the last with FAIL_NEXT) is one I2C_RDWR, its
 * messages joined by repeated STARTs, and all of them succeed or fail
 * together. A benchmark's peer: no allowlist, and a request that breaks the
 * specification ends the process with status 1.
 */
#ifndef USER_I2C_H
#define USER_I2C_H

#include "vdpa_driver.h"

/* Serve the request ring r in mem on the adapter node; does not return. */
void user_i2c_serve(const struct vd_mem *mem, const struct vd_ring *r,
		    const char *node);

#endif /* USER_I2C_H */
