/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * Do not edit directly, auto-generated from:
 *	Documentation/virtio/specs/media.yaml
 * by tools/virtio-spec/vspec-gen.py (uapi).
 */
/* VSPEC-GEN uapi header */

/*
 * Media device (virtio-media). V4L2 is the wire protocol: the device behaves
 * like a V4L2 kernel driver and the driver like V4L2 user space. Commands go
 * through the command queue, each answered in the same chain; buffers done and
 * V4L2 events come through the event queue. V4L2 payloads use the 64-bit
 * little-endian layout of the V4L2 structures. MMAP buffers live in shared
 * memory region 0.
 *
 * Specification: VIRTIO 1.4, section 5.22 Media Device
 */
#ifndef _UAPI_LINUX_VIRTIO_EXTRA_VIRTIO_MEDIA_H
#define _UAPI_LINUX_VIRTIO_EXTRA_VIRTIO_MEDIA_H

#include <linux/types.h>
#include <linux/virtio_ids.h>

#ifndef VIRTIO_ID_MEDIA
#define VIRTIO_ID_MEDIA 48
#endif

/* Virtqueue indexes */
/* commandq, commands and their responses */
#define VIRTIO_MEDIA_VQ_COMMAND 0
/* eventq, device-writable buffers for events */
#define VIRTIO_MEDIA_VQ_EVENT 1
/* Number of virtqueues the device can have */
#define VIRTIO_MEDIA_VQ_MAX_CNT 2

/* Bytes of virtio_media_config.card. */
#define VIRTIO_MEDIA_CARD_SIZE 32

/* Most planes of a multi-planar buffer. */
#define VIRTIO_MEDIA_MAX_PLANES 8

/* Size of struct v4l2_buffer in the 64-bit layout. */
#define VIRTIO_MEDIA_V4L2_BUFFER_SIZE 88

/* Size of VIRTIO_MEDIA_MAX_PLANES struct v4l2_plane (64 bytes each). */
#define VIRTIO_MEDIA_V4L2_PLANES_SIZE 512

/* Size of struct v4l2_event in the 64-bit layout. */
#define VIRTIO_MEDIA_V4L2_EVENT_SIZE 136

/* Shared memory region that holds MMAP buffers. */
#define VIRTIO_MEDIA_SHM_MMAP 0

/*
 * Commands, in virtio_media_cmd_header.cmd.
 */
/* Open a session. */
#define VIRTIO_MEDIA_CMD_OPEN 1
/* Close a session; needs no device-writable part. */
#define VIRTIO_MEDIA_CMD_CLOSE 2
/* Run a V4L2 ioctl in a session. */
#define VIRTIO_MEDIA_CMD_IOCTL 3
/* Map an MMAP buffer into shared memory region 0. */
#define VIRTIO_MEDIA_CMD_MMAP 4
/* Unmap a buffer mapped by MMAP. */
#define VIRTIO_MEDIA_CMD_MUNMAP 5

/*
 * Flags of virtio_media_cmd_mmap.flags.
 */
/* Map read-write, else read-only. */
#define VIRTIO_MEDIA_MMAP_FLAG_RW (1U << 0)

/*
 * Memory types, the V4L2_MEMORY_* values they stand for.
 */
/* Device-allocated buffers mapped through VIRTIO_MEDIA_CMD_MMAP. */
#define VIRTIO_MEDIA_MMAP 1
/* Driver pages described by virtio_media_sg_entry lists. */
#define VIRTIO_MEDIA_SHARED_PAGES 2
/* Virtio objects named by 16-byte UUIDs. */
#define VIRTIO_MEDIA_OBJECT 4

/*
 * Events, in virtio_media_event_header.event.
 */
/* The session hit an unrecoverable error; the driver closes it. */
#define VIRTIO_MEDIA_EVT_ERROR 0
/* A buffer is done (an implicit VIDIOC_DQBUF). */
#define VIRTIO_MEDIA_EVT_DQBUF 1
/* A V4L2 event the session subscribed to. */
#define VIRTIO_MEDIA_EVT_EVENT 2

/**
 * struct virtio_media_config - Device configuration layout, read-only for the
 * driver.
 * @device_caps: V4L2_CAP_* bits, as in v4l2_capability.device_caps.
 * @device_type: Linux enum vfl_devnode_type of the device.
 * @card: UTF-8 name, NUL-terminated unless all 32 bytes are used.
 */
struct virtio_media_config {
	__le32 device_caps;
	__le32 device_type;
	__u8 card[32];
};

/**
 * struct virtio_media_cmd_header - Header of every command, device-readable.
 * @cmd: Command: VIRTIO_MEDIA_CMD_*.
 * @reserved: Reserved, 0.
 */
struct virtio_media_cmd_header {
	__le32 cmd;
	__le32 reserved;
};

/**
 * struct virtio_media_resp_header - Header of every response, device-writable.
 * @status: 0 on success, else a positive Linux errno value.
 * @reserved: Reserved, 0.
 */
struct virtio_media_resp_header {
	__le32 status;
	__le32 reserved;
};

/**
 * struct virtio_media_cmd_open - VIRTIO_MEDIA_CMD_OPEN command.
 * @hdr: Command header.
 */
struct virtio_media_cmd_open {
	struct virtio_media_cmd_header hdr;
};

/**
 * struct virtio_media_resp_open - VIRTIO_MEDIA_CMD_OPEN response.
 * @hdr: Response header.
 * @session_id: ID of the new session.
 * @reserved: Reserved, 0.
 */
struct virtio_media_resp_open {
	struct virtio_media_resp_header hdr;
	__le32 session_id;
	__le32 reserved;
};

/**
 * struct virtio_media_cmd_close - VIRTIO_MEDIA_CMD_CLOSE command.
 * @hdr: Command header.
 * @session_id: Session to close.
 * @reserved: Reserved, 0.
 */
struct virtio_media_cmd_close {
	struct virtio_media_cmd_header hdr;
	__le32 session_id;
	__le32 reserved;
};

/**
 * struct virtio_media_cmd_ioctl - VIRTIO_MEDIA_CMD_IOCTL command.
 * @hdr: Command header.
 * @session_id: Session the ioctl runs in.
 * @code: _IOC_NR() of the V4L2 ioctl.
 *
 * The ioctl payload follows for _IOW and _IOWR ioctls.
 */
struct virtio_media_cmd_ioctl {
	struct virtio_media_cmd_header hdr;
	__le32 session_id;
	__le32 code;
};

/**
 * struct virtio_media_resp_ioctl - VIRTIO_MEDIA_CMD_IOCTL response.
 * @hdr: Response header.
 *
 * The ioctl payload follows for _IOR and _IOWR ioctls.
 */
struct virtio_media_resp_ioctl {
	struct virtio_media_resp_header hdr;
};

/**
 * struct virtio_media_cmd_mmap - VIRTIO_MEDIA_CMD_MMAP command.
 * @hdr: Command header.
 * @session_id: Session the buffer belongs to.
 * @flags: Mapping flags: VIRTIO_MEDIA_MMAP_FLAG_*.
 * @offset: The plane's mem_offset from VIDIOC_QUERYBUF.
 */
struct virtio_media_cmd_mmap {
	struct virtio_media_cmd_header hdr;
	__le32 session_id;
	__le32 flags;
	__le32 offset;
};

/**
 * struct virtio_media_resp_mmap - VIRTIO_MEDIA_CMD_MMAP response.
 * @hdr: Response header.
 * @driver_addr: Offset of the buffer in shared memory region 0.
 * @len: Length of the mapping, the buffer's length.
 */
struct virtio_media_resp_mmap {
	struct virtio_media_resp_header hdr;
	__le64 driver_addr;
	__le64 len;
};

/**
 * struct virtio_media_cmd_munmap - VIRTIO_MEDIA_CMD_MUNMAP command.
 * @hdr: Command header.
 * @driver_addr: Offset returned by VIRTIO_MEDIA_CMD_MMAP.
 */
struct virtio_media_cmd_munmap {
	struct virtio_media_cmd_header hdr;
	__le64 driver_addr;
};

/**
 * struct virtio_media_resp_munmap - VIRTIO_MEDIA_CMD_MUNMAP response.
 * @hdr: Response header.
 */
struct virtio_media_resp_munmap {
	struct virtio_media_resp_header hdr;
};

/**
 * struct virtio_media_sg_entry - One guest-physical extent of a shared-pages
 * buffer.
 * @start: Guest-physical start address.
 * @len: Length in bytes.
 * @reserved: Reserved, 0.
 */
struct virtio_media_sg_entry {
	__le64 start;
	__le32 len;
	__le32 reserved;
};

/**
 * struct virtio_media_event_header - Header of every event, device-writable.
 * @event: Event type: VIRTIO_MEDIA_EVT_*.
 * @session_id: Session the event belongs to.
 */
struct virtio_media_event_header {
	__le32 event;
	__le32 session_id;
};

/**
 * struct virtio_media_event_error - VIRTIO_MEDIA_EVT_ERROR event.
 * @hdr: Event header.
 * @errnum: Positive Linux errno value.
 * @reserved: Reserved, 0.
 */
struct virtio_media_event_error {
	struct virtio_media_event_header hdr;
	__le32 errnum;
	__le32 reserved;
};

/**
 * struct virtio_media_event_dqbuf - VIRTIO_MEDIA_EVT_DQBUF event.
 * @hdr: Event header.
 * @buffer: The struct v4l2_buffer that is done, 64-bit layout.
 * @planes: Its struct v4l2_plane array, 64-bit layout.
 *
 * Pointer fields are meaningless and the driver ignores them.
 */
struct virtio_media_event_dqbuf {
	struct virtio_media_event_header hdr;
	__u8 buffer[88];
	__u8 planes[512];
};

/**
 * struct virtio_media_event_event - VIRTIO_MEDIA_EVT_EVENT event.
 * @hdr: Event header.
 * @event: The struct v4l2_event, 64-bit layout.
 */
struct virtio_media_event_event {
	struct virtio_media_event_header hdr;
	__u8 event[136];
};

/*
 * The device ID and the layouts the specification states, the
 * distribution's included. Never called: the compiler checks them
 * wherever this header is included (a negative array size fails).
 */
static inline void virtio_media_layout_check(void)
{
	(void)sizeof(char[VIRTIO_ID_MEDIA == 48 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_media_config) == 40 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_config,
						 device_caps) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_config,
						 device_type) == 4 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_config,
						 card) == 8 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_media_cmd_header) == 8 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_cmd_header,
						 cmd) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_cmd_header,
						 reserved) == 4 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_media_resp_header) == 8 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_resp_header,
						 status) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_resp_header,
						 reserved) == 4 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_media_cmd_open) == 8 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_cmd_open,
						 hdr) == 0 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_media_resp_open) == 16 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_resp_open,
						 hdr) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_resp_open,
						 session_id) == 8 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_resp_open,
						 reserved) == 12 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_media_cmd_close) == 16 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_cmd_close,
						 hdr) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_cmd_close,
						 session_id) == 8 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_cmd_close,
						 reserved) == 12 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_media_cmd_ioctl) == 16 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_cmd_ioctl,
						 hdr) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_cmd_ioctl,
						 session_id) == 8 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_cmd_ioctl,
						 code) == 12 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_media_resp_ioctl) == 8 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_resp_ioctl,
						 hdr) == 0 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_media_cmd_mmap) == 20 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_cmd_mmap,
						 hdr) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_cmd_mmap,
						 session_id) == 8 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_cmd_mmap,
						 flags) == 12 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_cmd_mmap,
						 offset) == 16 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_media_resp_mmap) == 24 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_resp_mmap,
						 hdr) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_resp_mmap,
						 driver_addr) == 8 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_resp_mmap,
						 len) == 16 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_media_cmd_munmap) == 16 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_cmd_munmap,
						 hdr) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_cmd_munmap,
						 driver_addr) == 8 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_media_resp_munmap) == 8 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_resp_munmap,
						 hdr) == 0 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_media_sg_entry) == 16 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_sg_entry,
						 start) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_sg_entry,
						 len) == 8 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_sg_entry,
						 reserved) == 12 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_media_event_header) == 8 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_event_header,
						 event) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_event_header,
						 session_id) == 4 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_media_event_error) == 16 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_event_error,
						 hdr) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_event_error,
						 errnum) == 8 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_event_error,
						 reserved) == 12 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_media_event_dqbuf) == 608 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_event_dqbuf,
						 hdr) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_event_dqbuf,
						 buffer) == 8 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_event_dqbuf,
						 planes) == 96 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_media_event_event) == 144 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_event_event,
						 hdr) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_media_event_event,
						 event) == 8 ? 1 : -1]);
}

#endif /* _UAPI_LINUX_VIRTIO_EXTRA_VIRTIO_MEDIA_H */
