/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A virtio-media device (ID 48) played in the lab: a test-pattern camera
 * with one input and one format (YUYV), MMAP buffers in its shared memory
 * region or USERPTR buffers in the driver's memory, and the ways a device
 * can lie.
 */
#ifndef MEDIA_MODEL_H
#define MEDIA_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/videodev2.h>

#include "libvlab.h"
#include "media_device.h"

#define MEDIA_MODEL_CARD "vx test pattern"
/*
 * Its controls: V4L2_CID_BRIGHTNESS and V4L2_CID_CONTRAST, 0 to 255;
 * a string (Title, up to 31 characters) and an array of MEDIA_MODEL_LEVELS
 * bytes (Levels), values of their own that travel in scatter lists.
 */
#define MEDIA_MODEL_CTRL_DEFAULT 128
#define MEDIA_MODEL_CID_TITLE (V4L2_CID_USER_BASE | 0xf001)
#define MEDIA_MODEL_CID_LEVELS (V4L2_CID_USER_BASE | 0xf002)
#define MEDIA_MODEL_TITLE_SIZE 32
#define MEDIA_MODEL_LEVELS 16
/* Controls one extended control ioctl may name. */
#define MEDIA_MODEL_MAX_CTRLS 8
#define MEDIA_MODEL_MAX_SESSIONS 256
/*
 * The largest ioctl payload it takes: G/S/TRY_EXT_CTRLS of 8 controls and
 * their scatter lists, or QBUF of a USERPTR buffer and its scatter list.
 */
#define MEDIA_MODEL_MAX_PAYLOAD 8192
/*
 * The scatter list of a USERPTR buffer: its entries, at most (a 640x480
 * frame in pages of its own takes 151).
 */
#define MEDIA_MODEL_MAX_SG 500
/* Shared memory region 0, where its buffers live. */
#define MEDIA_MODEL_SHM_SIZE 0x400000
#define MEDIA_MODEL_MAX_BUFFERS 8
/* A frame every FRAME_MS while streaming, into the oldest queued buffer. */
#define MEDIA_MODEL_FRAME_MS 20

/*
 * A frame's bytes: its sequence number (little-endian) in the first four,
 * then byte i of the frame is (sequence + i) & 0xff.
 */
static inline uint8_t media_pattern_byte(uint32_t sequence, uint32_t i)
{
	return i < 4 ? (uint8_t)(sequence >> (8 * i)) : (uint8_t)(sequence + i);
}

/* How the device misbehaves, until told otherwise. */
enum media_lie {
	MEDIA_HONEST,
	/* OPEN answers with the id of a session that is open */
	MEDIA_LIE_SESSION_REUSED,
	/* a read ioctl answers with a payload of the wrong size */
	MEDIA_LIE_PAYLOAD_SHORT,
	/* a failed ioctl answers with a payload after its error */
	MEDIA_LIE_ERROR_WITH_PAYLOAD,
	/* a failed extended control ioctl answers without its payload */
	MEDIA_LIE_ERROR_WITHOUT_PAYLOAD,
	/*
	 * ioctls get no answer until media_model_answer_held(), which runs
	 * the one held
	 */
	MEDIA_LIE_SILENT,
	/* the same, for G/S/TRY_EXT_CTRLS only */
	MEDIA_LIE_SILENT_EXT_CTRLS,
	/* a frame is returned for a buffer index beyond those allocated */
	MEDIA_LIE_DQBUF_UNKNOWN_BUFFER,
	/* a frame is returned with more bytes than its buffer holds */
	MEDIA_LIE_DQBUF_OVERSIZED,
	/* a frame is returned as a USERPTR buffer, which it is not */
	MEDIA_LIE_DQBUF_USERPTR,
	/* a USERPTR frame is returned longer than its buffer, and as full */
	MEDIA_LIE_DQBUF_LENGTH_GROWN,
	/* MMAP places a buffer beyond the end of the region */
	MEDIA_LIE_MMAP_OUTSIDE,
	/* a control's value comes back larger than the memory it was given */
	MEDIA_LIE_CTRL_SIZE_GROWN,
};

/*
 * One buffer: MMAP, length bytes at offset in the region; or USERPTR,
 * length bytes at userptr in the driver's memory, which its scatter list
 * describes while queued.
 */
struct media_buffer {
	uint32_t offset, length;
	bool queued;
	unsigned int mapped;	/* MMAPs without their MUNMAP */
	unsigned long userptr;
	uint32_t nsg;
	struct virtio_media_sg_entry sg[MEDIA_MODEL_MAX_SG];
};

struct media_model {
	struct media_device dev;	/* its lock guards everything below */
	enum media_lie lie;
	struct v4l2_pix_format fmt;
	int32_t brightness, contrast;
	char title[MEDIA_MODEL_TITLE_SIZE];
	uint8_t levels[MEDIA_MODEL_LEVELS];
	bool open[MEDIA_MODEL_MAX_SESSIONS];	/* by session id */
	unsigned int sessions;	/* open now */
	uint32_t last_opened;
	unsigned int opens, closes, ioctls;
	/* event buffers the driver posted, to send events in */
	/* the ioctl a silent device holds */
	bool held;
	uint32_t held_id;
	uint8_t held_cmd[16 + MEDIA_MODEL_MAX_PAYLOAD];
	/* the answer of the command being served */
	uint8_t answer[MEDIA_ANSWER_SIZE(MEDIA_MODEL_MAX_PAYLOAD)];
	uint32_t held_out_len, held_in_len;
	/* buffers: one session owns them, as vb2 has it */
	uint32_t owner;		/* session id, 0 for none */
	uint32_t memory;	/* V4L2_MEMORY_MMAP or V4L2_MEMORY_USERPTR */
	unsigned int nbufs;
	uint32_t region_used;	/* bytes of the region the buffers take */
	struct media_buffer bufs[MEDIA_MODEL_MAX_BUFFERS];
	uint32_t order[MEDIA_MODEL_MAX_BUFFERS];	/* queued, oldest first */
	unsigned int nqueued;
	bool streaming;
	uint32_t sequence;
	int64_t next_frame_ms;
	unsigned int frames, mmaps, munmaps;
	unsigned int closed_mapped;	/* CLOSEs with buffers still mapped */
};

/* Create the device; the driver binds to it as to real hardware. */
int media_model_create(struct media_model *m);

/* Serve commands until the device is removed or media_model_stop(). */
int media_model_serve(struct media_model *m);
void media_model_stop(struct media_model *m);
void media_model_set_lie(struct media_model *m, enum media_lie lie);

/* Run and answer the ioctl a silent device held; 0, or -ENOENT if none. */
int media_model_answer_held(struct media_model *m);

/*
 * Send an event in a buffer the driver posted: len bytes at ev. 0, or
 * -ENOBUFS when it posted none.
 */
int media_model_send_event(struct media_model *m, const void *ev, uint32_t len);

void media_model_destroy(struct media_model *m);

#endif /* MEDIA_MODEL_H */
