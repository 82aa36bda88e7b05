/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * Do not edit directly, auto-generated from:
 *	Documentation/virtio/specs/scmi.yaml
 * by tools/virtio-spec/vspec-gen.py (uapi).
 */
/* VSPEC-GEN uapi header */

/*
 * Arm SCMI transport. Commands go through the command queue, each answered in
 * the same chain; notifications and delayed responses come through the event
 * queue when VIRTIO_SCMI_F_P2A_CHANNELS is negotiated. Messages are SCMI
 * messages (Arm DEN0056): a little-endian 32-bit header, then the payload.
 *
 * Specification: VIRTIO 1.2, section 5.17 SCMI Device
 */
#ifndef _UAPI_LINUX_VIRTIO_EXTRA_VIRTIO_SCMI_H
#define _UAPI_LINUX_VIRTIO_EXTRA_VIRTIO_SCMI_H

#include <linux/types.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_scmi.h>

#ifndef VIRTIO_ID_SCMI
#define VIRTIO_ID_SCMI 32
#endif

/*
 * Shared memory region IDs; 0x80 to 0xff are vendor-specific.
 */
/* Power state statistics. */
#define VIRTIO_SCMI_SHM_POWER_STATE_STATS 0x0001
/* Performance domain statistics. */
#define VIRTIO_SCMI_SHM_PERF_DOMAIN_STATS 0x0002
/* Sensor values. */
#define VIRTIO_SCMI_SHM_SENSOR_VALUES 0x0003

/*
 * Fields of the SCMI message header.
 */
/* Message ID, bits 7..0. */
#define VIRTIO_SCMI_HDR_MSG_ID_MASK 0x00ff
/* Message type, bits 9..8. */
#define VIRTIO_SCMI_HDR_TYPE_SHIFT 0x0008
/* Message type field. */
#define VIRTIO_SCMI_HDR_TYPE_MASK 0x0300
/* Protocol ID, bits 17..10. */
#define VIRTIO_SCMI_HDR_PROTOCOL_SHIFT 0x000a
/* Protocol ID field. */
#define VIRTIO_SCMI_HDR_PROTOCOL_MASK 0x0003fc00
/* Sequence token, bits 27..18. */
#define VIRTIO_SCMI_HDR_TOKEN_SHIFT 0x0012
/* Sequence token field. */
#define VIRTIO_SCMI_HDR_TOKEN_MASK 0x0ffc0000

/*
 * Values of the message type field.
 */
/* Command, and its response on the command queue. */
#define VIRTIO_SCMI_MSG_TYPE_COMMAND 0
/* Delayed response, on the event queue. */
#define VIRTIO_SCMI_MSG_TYPE_DELAYED_RESPONSE 2
/* Notification, on the event queue. */
#define VIRTIO_SCMI_MSG_TYPE_NOTIFICATION 3

/*
 * SCMI status values, the first (signed) return value.
 */
/* Success. */
#define VIRTIO_SCMI_STATUS_SUCCESS 0
/* Not supported. */
#define VIRTIO_SCMI_STATUS_NOT_SUPPORTED (-1)
/* Invalid parameters. */
#define VIRTIO_SCMI_STATUS_INVALID_PARAMETERS (-2)
/* Denied. */
#define VIRTIO_SCMI_STATUS_DENIED (-3)
/* Not found. */
#define VIRTIO_SCMI_STATUS_NOT_FOUND (-4)
/* Out of range. */
#define VIRTIO_SCMI_STATUS_OUT_OF_RANGE (-5)
/* Busy. */
#define VIRTIO_SCMI_STATUS_BUSY (-6)
/* Communication error. */
#define VIRTIO_SCMI_STATUS_COMMS_ERROR (-7)
/* Generic error. */
#define VIRTIO_SCMI_STATUS_GENERIC_ERROR (-8)
/* Hardware error. */
#define VIRTIO_SCMI_STATUS_HARDWARE_ERROR (-9)
/* Protocol error. */
#define VIRTIO_SCMI_STATUS_PROTOCOL_ERROR (-10)
/* In use. */
#define VIRTIO_SCMI_STATUS_IN_USE (-11)
/* Partial success. */
#define VIRTIO_SCMI_STATUS_PARTIAL (-12)

/**
 * struct virtio_scmi_request - Command, device-readable.
 * @hdr: SCMI message header.
 * @params: Command parameters.
 */
struct virtio_scmi_request {
	__le32 hdr;
	__u8 params[];
};

/**
 * struct virtio_scmi_response - Response to a command, device-writable.
 * @hdr: SCMI message header, echoing the command's.
 * @status: Signed SCMI status: VIRTIO_SCMI_STATUS_*.
 * @ret_values: Further return values.
 *
 * When status is not SUCCESS the response ends after it.
 */
struct virtio_scmi_response {
	__le32 hdr;
	__le32 status;
	__u8 ret_values[];
};

/**
 * struct virtio_scmi_event_msg - Notification or delayed response, device-
 * writable.
 * @hdr: SCMI message header.
 * @payload: Message payload.
 */
struct virtio_scmi_event_msg {
	__le32 hdr;
	__u8 payload[];
};

/*
 * The device ID and the layouts the specification states, the
 * distribution's included. Never called: the compiler checks them
 * wherever this header is included (a negative array size fails).
 */
static inline void virtio_scmi_layout_check(void)
{
	(void)sizeof(char[VIRTIO_ID_SCMI == 32 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_scmi_request) == 4 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_scmi_request,
						 hdr) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_scmi_request,
						 params) == 4 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_scmi_response) == 8 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_scmi_response,
						 hdr) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_scmi_response,
						 status) == 4 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_scmi_response,
						 ret_values) == 8 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_scmi_event_msg) == 4 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_scmi_event_msg,
						 hdr) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_scmi_event_msg,
						 payload) == 4 ? 1 : -1]);
}

#endif /* _UAPI_LINUX_VIRTIO_EXTRA_VIRTIO_SCMI_H */
