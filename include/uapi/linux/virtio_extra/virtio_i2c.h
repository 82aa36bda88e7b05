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
 * Specification: VIRTIO 1.2, section 5.16 I2C Adapter Device
 */
#ifndef _UAPI_LINUX_VIRTIO_EXTRA_VIRTIO_I2C_H
#define _UAPI_LINUX_VIRTIO_EXTRA_VIRTIO_I2C_H

#include <linux/types.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_i2c.h>

#ifndef VIRTIO_ID_I2C_ADAPTER
#define VIRTIO_ID_I2C_ADAPTER 34
#endif

/* Virtqueue indexes */
/* requestq, one chain per I2C message */
#define VIRTIO_I2C_VQ_REQUEST 0
/* Number of virtqueues the device can have */
#define VIRTIO_I2C_VQ_MAX_CNT 1

/*
 * The device ID and the layouts the specification states, the
 * distribution's included. Never called: the compiler checks them
 * wherever this header is included (a negative array size fails).
 */
static inline void virtio_i2c_layout_check(void)
{
	(void)sizeof(char[VIRTIO_ID_I2C_ADAPTER == 34 ? 1 : -1]);
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
