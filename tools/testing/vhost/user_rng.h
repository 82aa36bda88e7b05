/* SPDX-License-Identifier: GPL-2.0 */
/*
 * user_rng: a virtio entropy device in userspace, the way vhost-user
 * daemons serve a ring: guest memory mapped from the VMM's memfd, a kick
 * eventfd to wait on, a call eventfd to signal. The benchmark's peer for
 * the in-kernel vhost-rng: the same ring work, done from a process.
 */
#ifndef USER_RNG_H
#define USER_RNG_H

#include "vdpa_driver.h"

/*
 * Serve ring (laid out in mem by the driver) until killed; never returns.
 * Chains outside guest memory end the process with status 1.
 */
void user_rng_serve(const struct vd_mem *mem, const struct vd_ring *ring);

#endif /* USER_RNG_H */
