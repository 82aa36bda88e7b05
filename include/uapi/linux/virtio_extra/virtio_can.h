/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * Do not edit directly, auto-generated from:
 *	Documentation/virtio/specs/can.yaml
 * by tools/virtio-spec/vspec-gen.py (uapi).
 */
/* VSPEC-GEN uapi header */

/*
 * CAN controller device. Frames to transmit go through the transmit queue, each
 * followed by a one-byte result; received frames come back in buffers the
 * driver posts to the receive queue; the control queue starts and stops the
 * controller. Bus-off is reported through the configuration status. Early
 * driver drafts swapped feature bits 2 and 3; the values here are the ones of
 * the released specification.
 *
 * Specification: VIRTIO 1.4, section 5.20 CAN Device
 */
#ifndef _UAPI_LINUX_VIRTIO_EXTRA_VIRTIO_CAN_H
#define _UAPI_LINUX_VIRTIO_EXTRA_VIRTIO_CAN_H

#include <linux/types.h>
#include <linux/virtio_ids.h>

#ifndef VIRTIO_ID_CAN
#define VIRTIO_ID_CAN 36
#endif

/* Feature bits */
/* Classic CAN frames, up to 8 bytes of payload. */
#define VIRTIO_CAN_F_CAN_CLASSIC 0
/* CAN FD frames, up to 64 bytes of payload. */
#define VIRTIO_CAN_F_CAN_FD 1
/* Remote transmission request frames (classic CAN only). */
#define VIRTIO_CAN_F_RTR_FRAMES 2
/* A transmitted frame is marked used only after it went out on the bus. */
#define VIRTIO_CAN_F_LATE_TX_ACK 3

/* Virtqueue indexes */
/* Txq, frames to transmit */
#define VIRTIO_CAN_VQ_TX 0
/* Rxq, device-writable buffers for received frames */
#define VIRTIO_CAN_VQ_RX 1
/* Controlq, controller mode changes */
#define VIRTIO_CAN_VQ_CONTROL 2
/* Number of virtqueues the device can have */
#define VIRTIO_CAN_VQ_MAX_CNT 3

/*
 * Bits of virtio_can_config.status.
 */
/* The controller is in bus-off state. */
#define VIRTIO_CAN_S_CTRL_BUSOFF (1U << 0)

/*
 * Message types of frames and control requests.
 */
/* A frame to transmit. */
#define VIRTIO_CAN_TX 0x0001
/* A received frame. */
#define VIRTIO_CAN_RX 0x0101
/* Start the controller. */
#define VIRTIO_CAN_SET_CTRL_MODE_START 0x0201
/* Stop the controller. */
#define VIRTIO_CAN_SET_CTRL_MODE_STOP 0x0202

/*
 * Results of transmit and control requests; any other value is NOT_OK.
 */
/* Done. */
#define VIRTIO_CAN_RESULT_OK 0
/* Refused or failed. */
#define VIRTIO_CAN_RESULT_NOT_OK 1

/*
 * Bits of the flags field of a frame; all other bits are reserved.
 */
/* Remote transmission request. */
#define VIRTIO_CAN_FLAGS_RTR 0x2000
/* CAN FD frame. */
#define VIRTIO_CAN_FLAGS_FD 0x4000
/* 29-bit extended identifier. */
#define VIRTIO_CAN_FLAGS_EXTENDED 0x8000

/* Largest payload of a CAN FD frame. */
#define VIRTIO_CAN_MAX_DLEN 64

/**
 * struct virtio_can_config - Device configuration layout, read-only for the
 * driver.
 * @status: Controller status bits: VIRTIO_CAN_S_*.
 */
struct virtio_can_config {
	__le16 status;
};

/**
 * struct virtio_can_tx_out - Frame to transmit, device-readable.
 * @msg_type: Message type: VIRTIO_CAN_*.
 * @length: Payload length, 0 to 8 for classic and 0 to 64 for CAN FD.
 * @reserved_classic_dlc: Reserved, 0.
 * @padding: Reserved, 0.
 * @reserved_xl_priority: Reserved, 0.
 * @flags: Frame flags: VIRTIO_CAN_FLAGS_*.
 * @can_id: 11-bit or 29-bit identifier; the top three bits are 0.
 * @sdu: Payload, length bytes.
 */
struct virtio_can_tx_out {
	__le16 msg_type;
	__le16 length;
	__u8 reserved_classic_dlc;
	__u8 padding;
	__le16 reserved_xl_priority;
	__le32 flags;
	__le32 can_id;
	__u8 sdu[];
};

/**
 * struct virtio_can_tx_in - Result of a transmit request, device-writable.
 * @result: Result: VIRTIO_CAN_RESULT_*.
 */
struct virtio_can_tx_in {
	__u8 result;
};

/**
 * struct virtio_can_rx - Received frame, device-writable.
 * @msg_type: Message type: VIRTIO_CAN_*.
 * @length: Payload length, 0 to 8 for classic and 0 to 64 for CAN FD.
 * @reserved_classic_dlc: Reserved, 0.
 * @padding: Reserved, 0.
 * @reserved_xl_priority: Reserved, 0.
 * @flags: Frame flags: VIRTIO_CAN_FLAGS_*.
 * @can_id: 11-bit or 29-bit identifier; the top three bits are 0.
 * @sdu: Payload, length bytes.
 *
 * A receive buffer holds at least the header and the largest payload the
 * negotiated features allow.
 */
struct virtio_can_rx {
	__le16 msg_type;
	__le16 length;
	__u8 reserved_classic_dlc;
	__u8 padding;
	__le16 reserved_xl_priority;
	__le32 flags;
	__le32 can_id;
	__u8 sdu[];
};

/**
 * struct virtio_can_control_out - Control request, device-readable.
 * @msg_type: Requested mode: VIRTIO_CAN_*.
 */
struct virtio_can_control_out {
	__le16 msg_type;
};

/**
 * struct virtio_can_control_in - Result of a control request, device-writable.
 * @result: Result: VIRTIO_CAN_RESULT_*.
 */
struct virtio_can_control_in {
	__u8 result;
};

/*
 * The device ID and the layouts the specification states, the
 * distribution's included. Never called: the compiler checks them
 * wherever this header is included (a negative array size fails).
 */
static inline void virtio_can_layout_check(void)
{
	(void)sizeof(char[VIRTIO_ID_CAN == 36 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_can_config) == 2 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_can_config,
						 status) == 0 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_can_tx_out) == 16 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_can_tx_out,
						 msg_type) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_can_tx_out,
						 length) == 2 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_can_tx_out,
						 reserved_classic_dlc) == 4 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_can_tx_out,
						 padding) == 5 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_can_tx_out,
						 reserved_xl_priority) == 6 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_can_tx_out,
						 flags) == 8 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_can_tx_out,
						 can_id) == 12 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_can_tx_out,
						 sdu) == 16 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_can_tx_in) == 1 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_can_tx_in,
						 result) == 0 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_can_rx) == 16 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_can_rx,
						 msg_type) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_can_rx,
						 length) == 2 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_can_rx,
						 reserved_classic_dlc) == 4 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_can_rx,
						 padding) == 5 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_can_rx,
						 reserved_xl_priority) == 6 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_can_rx,
						 flags) == 8 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_can_rx,
						 can_id) == 12 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_can_rx,
						 sdu) == 16 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_can_control_out) == 2 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_can_control_out,
						 msg_type) == 0 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_can_control_in) == 1 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_can_control_in,
						 result) == 0 ? 1 : -1]);
}

#endif /* _UAPI_LINUX_VIRTIO_EXTRA_VIRTIO_CAN_H */
