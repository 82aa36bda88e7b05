/* SPDX-License-Identifier: GPL-2.0 */
/*
 * user_can: a virtio CAN device in userspace, the way vhost-user daemons
 * serve rings (user_vq.h), on a host CAN interface through a raw CAN
 * socket. The benchmark's peer for the in-kernel vhost-can: the same ring
 * work, and the frames through a socket from a process where the kernel's
 * uses the CAN core. Enough of the device for that: START opens the
 * socket and STOP closes it (other control requests are answered NOT_OK);
 * frames to transmit are written to the socket, OK once it took them,
 * NOT_OK when malformed or stopped; frames from the socket, but error
 * frames, go to the receive buffers. No allowlists, no late acks, no bus-off.
 */
#ifndef USER_CAN_H
#define USER_CAN_H

#include "vdpa_driver.h"

/*
 * Serve the rings (indexed by VIRTIO_CAN_VQ_*, laid out in mem by the
 * driver) on interface ifname until killed; never returns. A structural
 * error of the driver's ends the process with status 1.
 */
void user_can_serve(const struct vd_mem *mem, const struct vd_ring *rings,
		    const char *ifname);

#endif /* USER_CAN_H */
