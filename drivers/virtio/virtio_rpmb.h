/* SPDX-License-Identifier: GPL-2.0 */
/*
 * virtio-rpmb: what the device half (virtio_rpmb_dev.c) offers the user
 * interfaces (virtio_rpmb_mmc.c).
 */
#ifndef _VIRTIO_RPMB_H
#define _VIRTIO_RPMB_H

#include <linux/fs.h>
#include <linux/kref.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/ratelimit_types.h>
#include <linux/virtio_extra/virtio_rpmb.h>

#include "virtio_request.h"

#define VRPMB_FRAME_SIZE sizeof(struct virtio_rpmb_frame)
/*
 * Most frames one operation carries: a 255-block write and its result
 * read, or a 255-block read. The device's own limits are at most 255.
 */
#define VRPMB_MAX_FRAMES 256

/**
 * struct vrpmb - one RPMB device
 * @ref: held by the virtio device while bound, and by each open file.
 * @lock: serializes operations, and guards @vdev, @vq and @frozen.
 * @rs: limits the log lines about refused requests and bad responses.
 * @vdev: the virtio device; NULL once it is removed.
 * @vq: the request queue; NULL while frozen.
 * @requests: the request queue's requests, one at a time.
 * @frozen: the device is suspended.
 * @misc: the character device, /dev/vrpmbN.
 * @name: "vrpmbN".
 * @index: N.
 * @capacity: data area in 256-byte blocks.
 * @max_wr_cnt: most blocks per write, 0 for no limit.
 * @max_rd_cnt: most blocks per read, 0 for no limit.
 * @max_frames: most frames the request queue takes in one operation.
 * @rdev: the kernel RPMB subsystem's device, or NULL.
 */
struct vrpmb {
	struct kref ref;
	struct mutex lock; /* operations, state */
	struct ratelimit_state rs;
	struct virtio_device *vdev;
	struct virtqueue *vq;
	struct vreq_queue requests;
	bool frozen;
	struct miscdevice misc;
	char name[16];
	int index;
	unsigned int capacity;
	u8 max_wr_cnt;
	u8 max_rd_cnt;
	unsigned int max_frames;
	struct rpmb_dev *rdev;
};

/*
 * One RPMB operation: n_req request frames, including a trailing
 * RESULT_READ where a write wants its result, and n_resp response frames,
 * each checked before it is returned. Returns 0 (the result code is in
 * the frames), -EINVAL for an operation the device cannot take, -EIO for
 * a response that is not one, -ETIMEDOUT, -ENODEV or -EBUSY.
 */
int vrpmb_route(struct vrpmb *vr, const struct virtio_rpmb_frame *req,
		unsigned int n_req, struct virtio_rpmb_frame *resp,
		unsigned int n_resp);
void vrpmb_put(struct vrpmb *vr);
/* Log a refused request or a bad response, rate-limited per device. */
__printf(2, 3) void vrpmb_complain(struct vrpmb *vr, const char *fmt, ...);

static inline u16 vrpmb_frame_type(const struct virtio_rpmb_frame *frame)
{
	return be16_to_cpu(frame->req_resp);
}

/* The MMC ioctl interface of /dev/vrpmbN (virtio_rpmb_mmc.c). */
extern const struct file_operations vrpmb_mmc_fops;

#endif /* _VIRTIO_RPMB_H */
