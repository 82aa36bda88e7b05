/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A virtio-media device (ID 48) played in the lab by a real V4L2 device of
 * the same machine (vivid, say): each session is a file of the real node,
 * each ioctl is that ioctl on it. MMAP buffers are the real device's,
 * mapped into the proxy and copied into slots of shared memory region 0
 * as they are dequeued. So the guest driver relays a real driver's
 * behaviour, which v4l2-compliance can compare with the real node's.
 */
#ifndef MEDIA_PROXY_H
#define MEDIA_PROXY_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/videodev2.h>
#include <linux/virtio_extra/virtio_media.h>

#include "libvlab.h"
#include "media_device.h"

#define MEDIA_PROXY_MAX_SESSIONS 256
/*
 * Shared memory region 0: all the RAM vm-run reserves for the lab, room for
 * fifteen 1920x1080 YUYV buffers.
 */
#define MEDIA_PROXY_SHM_SIZE (64U << 20)
#define MEDIA_PROXY_PAGE 4096
/* The largest ioctl payload relayed: extended controls and their lists. */
#define MEDIA_PROXY_MAX_PAYLOAD 16384

/* One MMAP buffer of a session: the real one, and its slot in region 0. */
struct proxy_buffer {
	void *real;		/* mapped from the real node, or NULL */
	uint32_t length;
	uint32_t slot;		/* offset in region 0 */
	bool queued;		/* on the real queue */
};

/* One session: a file of the real node. */
struct proxy_session {
	int fd;			/* -1 when the session is not open */
	uint32_t type;		/* the buffers' type */
	uint32_t nbufs;
	struct proxy_buffer bufs[VIDEO_MAX_FRAME];
	unsigned int queued;
	bool streaming;
	bool subscribed;	/* to some event: poll it for POLLPRI */
};

struct media_proxy {
	struct media_device dev;
	const char *node;	/* the real device */
	struct proxy_session sessions[MEDIA_PROXY_MAX_SESSIONS];	/* by id */
	uint32_t region_used;	/* bytes of region 0 the slots take */
	/* the guest's mappings of the slot at each page of region 0 */
	uint16_t slot_maps[MEDIA_PROXY_SHM_SIZE / MEDIA_PROXY_PAGE];
	unsigned int frames;	/* buffers returned */
	/* the ioctl being relayed, and the answer */
	uint8_t payload[MEDIA_PROXY_MAX_PAYLOAD];
	uint8_t answer[MEDIA_ANSWER_SIZE(MEDIA_PROXY_MAX_PAYLOAD)];
};

/*
 * Create the device for the real V4L2 node (a path), with its
 * capabilities and card name; the driver binds to it.
 */
int media_proxy_create(struct media_proxy *p, const char *node);

/* Serve commands until the device is removed or media_proxy_stop(). */
int media_proxy_serve(struct media_proxy *p);
void media_proxy_stop(struct media_proxy *p);
void media_proxy_destroy(struct media_proxy *p);

#endif /* MEDIA_PROXY_H */
