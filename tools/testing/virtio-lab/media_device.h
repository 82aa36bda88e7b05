/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every virtio-media device model of the lab does alike: the
 * commands taken apart and answered, the event buffers the driver posts,
 * and the memory its scatter lists name. A model supplies what its device
 * does (struct media_device_ops); media_model.c and media_proxy.c are two.
 */
#ifndef MEDIA_DEVICE_H
#define MEDIA_DEVICE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <linux/videodev2.h>
#include <linux/virtio_extra/virtio_media.h>

#include "libvlab.h"

/* Event buffers a model keeps, oldest first, to send events in. */
#define MEDIA_EVENT_BUFS 16

struct media_events {
	uint32_t ids[MEDIA_EVENT_BUFS];
	unsigned int n;
};

/* The driver posted an event buffer (chain id); one too many is dropped. */
void media_events_post(struct media_events *e, uint32_t id);

/* Send len bytes at ev in the oldest buffer; 0, or -ENOBUFS for none. */
int media_events_send(struct vlab *lab, struct media_events *e,
		      const void *ev, uint32_t len);

/**
 * struct media_device_ops - what a device does for each command
 * @open: open a session: its id, or -errno.
 * @close: close one (it owes no answer).
 * @mmap: where a buffer lies in region 0 (driver_addr, len), or -errno.
 * @munmap: the driver unmapped driver_addr; 0 or -errno.
 * @ioctl: answer IOCTL ev (at least the command's size) into answer
 *	(media_ioctl_answer() helps): the answer's length, or 0 to hold the
 *	chain without an answer.
 * @reset: the driver reset the device: sessions, mappings and chains are
 *	gone.
 */
struct media_device_ops {
	int (*open)(void *dev);
	void (*close)(void *dev, uint32_t session);
	int (*mmap)(void *dev, uint32_t session, uint32_t flags,
		    uint32_t offset, uint64_t *driver_addr, uint64_t *len);
	int (*munmap)(void *dev, uint64_t driver_addr);
	uint32_t (*ioctl)(void *dev, const struct vlab_event *ev,
			  uint8_t *answer);
	void (*reset)(void *dev);
};

/**
 * struct media_device - what a model is made of, whatever it plays
 * @lab: the lab device.
 * @lock: @stop, and what the model keeps, against the test.
 * @stop: the serving thread is asked to end.
 * @events: the event buffers the driver posted.
 * @shm: shared memory region 0, mapped.
 * @shm_size: its size.
 */
struct media_device {
	struct vlab lab;
	pthread_mutex_t lock;
	bool stop;
	struct media_events events;
	uint8_t *shm;
	uint64_t shm_size;
};

/*
 * Create the lab device with this configuration and a region 0 of
 * shm_size bytes, and map the region. 0 or -errno.
 */
int media_device_start(struct media_device *d,
		       const struct virtio_media_config *config,
		       uint64_t shm_size);
void media_device_stop(struct media_device *d);
bool media_device_stopped(struct media_device *d);
void media_device_destroy(struct media_device *d);

/*
 * One event of the lab for a model (ops on dev): a reset, an event buffer
 * to keep, or a command to answer into answer. 0, or -errno (-ENODEV once
 * the device is gone).
 */
int media_device_handle(struct media_device *d,
			const struct media_device_ops *ops, void *dev,
			const struct vlab_event *ev, uint8_t *answer);

/*
 * What a serving loop does after an event that ended in err: go on (0), end
 * because the device is gone (1; a reset voids a chain, -ESTALE, and goes
 * on), or end with err.
 */
int media_device_verdict(int err);

/* The largest answer a command gets: an ioctl's, with its payload. */
#define MEDIA_ANSWER_SIZE(max_payload) \
	(sizeof(struct virtio_media_resp_ioctl) + (max_payload))

/*
 * Answer the command chain ev into answer (room for the largest answer)
 * and complete it, unless the device holds it. 0 or -errno.
 */
int media_command(struct vlab *lab, const struct media_device_ops *ops,
		  void *dev, const struct vlab_event *ev, uint8_t *answer);

/**
 * struct media_ioctl_req - an IOCTL command taken apart
 * @session: its session.
 * @nr: the ioctl's number, _IOC_NR().
 * @written: bytes of payload the driver wrote (a scatter list may follow
 *	the structures).
 * @payload: bytes of payload it takes back: the structures alone.
 */
struct media_ioctl_req {
	uint32_t session;
	uint32_t nr;
	uint32_t written;
	uint32_t payload;
};

/*
 * Take an IOCTL command apart: out_len bytes at out, in_len bytes of room
 * for the answer. -EINVAL when its payload exceeds max bytes.
 */
int media_ioctl_parse(const uint8_t *out, uint32_t out_len, uint32_t in_len,
		      uint32_t max, struct media_ioctl_req *r);

/* The flags of a control id that ask for the next control of a kind. */
#define MEDIA_CTRL_NEXT_FLAGS \
	(V4L2_CTRL_FLAG_NEXT_CTRL | V4L2_CTRL_FLAG_NEXT_COMPOUND)

/* As V4L2 returns them: the extended controls' ioctls name the failing one. */
bool media_error_payload(uint32_t nr);

/*
 * The answer of ioctl r that ended with err (0 or -errno), arg its
 * payload: the header, and the payload unless an error that returns none.
 * Its length.
 */
uint32_t media_ioctl_answer(uint8_t *answer, const struct media_ioctl_req *r,
			    int err, const void *arg);

/*
 * A value of size bytes lies in the memory the entries of sg from *next
 * on describe; they are used up (a value starts an entry of its own).
 * Copy its first len bytes to (to_guest) or from buf. 0 or -errno.
 */
int media_sg_copy(struct vlab *lab, const struct virtio_media_sg_entry *sg,
		  uint32_t nsg, uint32_t *next, uint32_t size, void *buf,
		  uint32_t len, bool to_guest);

#endif /* MEDIA_DEVICE_H */
