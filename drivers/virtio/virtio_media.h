/* SPDX-License-Identifier: GPL-2.0 */
/*
 * virtio-media (VIRTIO 1.4 section 5.22): a V4L2 device relayed over
 * virtio. virtio_media_dev.c speaks to the device (commands, events,
 * lifetime), virtio_media_v4l2.c is the video node (files, ioctls).
 */
#ifndef _VIRTIO_MEDIA_H
#define _VIRTIO_MEDIA_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/ratelimit.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <media/v4l2-device.h>
#include <media/v4l2-fh.h>
#include <linux/virtio_extra/virtio_media.h>

#include "virtio_request.h"

struct virtio_device;
struct virtqueue;

/* Event buffers the driver keeps posted. */
#define VMEDIA_EVENT_BUFS 16
/* V4L2 events of one type a file keeps until it dequeues them. */
#define VMEDIA_EVENTS_PER_TYPE 8

/**
 * union vmedia_event - what the device writes into an event buffer
 * @hdr: the header every event starts with.
 * @error: VIRTIO_MEDIA_EVT_ERROR.
 * @dqbuf: VIRTIO_MEDIA_EVT_DQBUF, the largest.
 * @event: VIRTIO_MEDIA_EVT_EVENT.
 */
union vmedia_event {
	struct virtio_media_event_header hdr;
	struct virtio_media_event_error error;
	struct virtio_media_event_dqbuf dqbuf;
	struct virtio_media_event_event event;
};

/**
 * struct vmedia_event_buf - one posted event buffer
 * @ev: written by the device, on cache lines of its own.
 */
struct vmedia_event_buf {
	union vmedia_event ev __aligned(ARCH_DMA_MINALIGN);
} ____cacheline_aligned;

/**
 * struct vmedia - one virtio-media device
 * @v4l2_dev: the V4L2 device; its release frees this structure, once the
 *	video node's last user is gone.
 * @video: the video node.
 * @vdev: the virtio device, until removal.
 * @cmd_vq: the command queue.
 * @event_vq: the event queue.
 * @device_caps: the capabilities the node reports (from the config).
 * @card: the device's name, NUL-terminated.
 * @cmd_lock: one command at a time; queue setup and teardown against
 *	commands.
 * @commands: the command queue's requests.
 * @sessions_lock: guards @sessions and each session's @dead against the
 *	event work.
 * @sessions: the open sessions.
 * @events: the event buffers.
 * @event_lock: the event queue and @gone, against its callback.
 * @gone: the device is being removed or frozen: event buffers stay ours.
 * @event_work: handles returned event buffers, in process context.
 * @rs: rate limit of this device's complaints.
 */
struct vmedia {
	struct v4l2_device v4l2_dev;
	struct video_device video;
	struct virtio_device *vdev;
	struct virtqueue *cmd_vq;
	struct virtqueue *event_vq;
	u32 device_caps;
	char card[VIRTIO_MEDIA_CARD_SIZE + 1];
	struct mutex cmd_lock; /* one command at a time; queue setup */
	struct vreq_queue commands;
	struct mutex sessions_lock; /* sessions, session->dead */
	struct list_head sessions;
	struct vmedia_event_buf *events;
	spinlock_t event_lock; /* event queue and gone, against its callback */
	bool gone;
	struct work_struct event_work;
	struct ratelimit_state rs;
};

/**
 * struct vmedia_session - one open of the video node
 * @fh: the V4L2 file handle (priorities, events).
 * @vm: the device.
 * @id: the device's session id.
 * @node: in vm->sessions.
 * @dead: the errno the device ended the session with (an error event),
 *	or 0.
 */
struct vmedia_session {
	struct v4l2_fh fh;
	struct vmedia *vm;
	u32 id;
	struct list_head node;
	int dead;
};

#define vmedia_complain(vm, fmt, ...) do {				\
	struct vmedia *__vm = (vm);					\
									\
	if (__ratelimit(&__vm->rs))					\
		dev_warn(__vm->v4l2_dev.dev, fmt, ##__VA_ARGS__);	\
} while (0)

int vmedia_open_session(struct vmedia *vm, struct vmedia_session *s);
void vmedia_close_session(struct vmedia *vm, struct vmedia_session *s);
int vmedia_ioctl(struct vmedia_session *s, unsigned int cmd, void *arg,
		 size_t size);
int vmedia_ioctl_array(struct vmedia_session *s, unsigned int cmd, void *arg,
		       size_t size, void *array, size_t array_len);

int vmedia_video_register(struct vmedia *vm);

#endif /* _VIRTIO_MEDIA_H */
