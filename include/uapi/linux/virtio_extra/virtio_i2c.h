/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * Do not edit directly, auto-generated from:
 *	Documentation/virtio/specs/i2c.yaml
 * by tools/virtio-spec/vspec-gen.py (uapi).
 */
/* VSPEC-GEN uapi header */

/*
 * I2C adapter device. Each request is one chain: an out header, an optional
 * data buffer (device-readable for a write, device-writable for a read) and a
 * one-byte in header carrying the status.
 *
 * Specification: VIRTIO 1.2, section 5.19 I2C Adapter Device
 */
#ifndef _UAPI_LINUX_VIRTIO_EXTRA_VIRTIO_I2C_H
#define _UAPI_LINUX_VIRTIO_EXTRA_VIRTIO_I2C_H

#include <linux/types.h>

#define VIRTIO_ID_I2C_ADAPTER 34

/* Feature bits */
/* Mandatory. Requests without a data buffer are allowed. */
#define VIRTIO_I2C_F_ZERO_LENGTH_REQUEST 0

/* Virtqueue indexes */
/* requestq, one chain per I2C message */
#define VIRTIO_I2C_VQ_REQUEST 0
/* Number of virtqueues the device can have */
#define VIRTIO_I2C_VQ_MAX_CNT 1

/*
 * Bits of virtio_i2c_out_hdr.flags; the other bits are reserved (0).
 */
/* If this request fails, fail the next one without executing it. */
#define VIRTIO_I2C_FLAGS_FAIL_NEXT (1U << 0)
/* Read request. */
#define VIRTIO_I2C_FLAGS_M_RD (1U << 1)

/*
 * Values of virtio_i2c_in_hdr.status.
 */
/* The request succeeded. */
#define VIRTIO_I2C_MSG_OK 0
/* The request failed. */
#define VIRTIO_I2C_MSG_ERR 1

/**
 * struct virtio_i2c_out_hdr - Request header, device-readable.
 * @addr: Target address. 7-bit: address << 1. 10-bit: bits 7..3 are 11110, bits
 * 2..1 are A9..A8 and bits 15..8 are A7..A0.
 * @padding: Reserved, 0.
 * @flags: Request flags: VIRTIO_I2C_FLAGS_*.
 */
struct virtio_i2c_out_hdr {
	__le16 addr;
	__le16 padding;
	__le32 flags;
};

/**
 * struct virtio_i2c_in_hdr - Response header, device-writable.
 * @status: Result of the request: VIRTIO_I2C_MSG_*.
 */
struct virtio_i2c_in_hdr {
	__u8 status;
};

/*
 * The layout the specification states. Never called: the compiler checks
 * it wherever this header is included (a negative array size fails).
 */
static inline void virtio_i2c_layout_check(void)
{
	(void)sizeof(char[sizeof(struct virtio_i2c_out_hdr) == 8 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_i2c_out_hdr,
						 addr) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_i2c_out_hdr,
						 padding) == 2 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_i2c_out_hdr,
						 flags) == 4 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_i2c_in_hdr) == 1 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_i2c_in_hdr,
						 status) == 0 ? 1 : -1]);
}

#endif /* _UAPI_LINUX_VIRTIO_EXTRA_VIRTIO_I2C_H */
