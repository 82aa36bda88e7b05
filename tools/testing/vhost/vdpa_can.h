/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vdpa_can: the driver's side of a virtio CAN device on the harness of
 * vdpa_driver.h: its three rings in ring slots 0 to 2 of guest memory, and
 * after the ring area the buffers of each queue, one VC_SLOT-byte slot per
 * ring entry:
 *
 *	transmit	VC_TX_OFF, request s in slot s, descriptors 2 s and
 *			2 s + 1 (header and payload, then the result byte
 *			at VC_RESULT_AT)
 *	receive		vc_rx_off(), buffer s in slot s, descriptor s
 *	control		vc_ctrl_off(), the request, its result 16 bytes on
 *
 * The device is either one reached through vhost-vdpa (vc_device_up()) or
 * one in userspace serving the same memory (user_can.h).
 */
#ifndef VDPA_CAN_H
#define VDPA_CAN_H

#include <stddef.h>
#include <stdint.h>
#include <linux/can.h>
#include <linux/virtio_extra/virtio_can.h>

#include "vdpa_driver.h"

#define VC_SLOT 128
#define VC_RESULT_AT 100
#define VC_TX_OFF 0
/* A receive buffer: the header and the largest payload, CAN FD's. */
#define VC_RX_BUF (sizeof(struct virtio_can_rx) + CANFD_MAX_DLEN)

struct vdpa_can {
	struct vd_mem *mem;	/* guest memory, the device's or its own */
	struct vd_ring q[VIRTIO_CAN_VQ_MAX_CNT];
	unsigned int num;	/* entries of each ring */
};

/* Rings of num entries (at most 256), not laid out yet. */
void vc_init(struct vdpa_can *c, unsigned int num);
/* Lay the three rings out in mem, new eventfds. */
int vc_rings_init(struct vdpa_can *c, struct vd_mem *mem);
void vc_free(struct vdpa_can *c);
size_t vc_rx_off(const struct vdpa_can *c);
size_t vc_ctrl_off(const struct vdpa_can *c);
/* The buffer area at off, here and as the device sees it. */
uint8_t *vc_buf(const struct vdpa_can *c, size_t off);
uint64_t vc_iova(const struct vdpa_can *c, size_t off);

/*
 * Reset the vhost-vdpa device d, negotiate features, give it the rings
 * (in d's guest memory) and nrx receive buffers, have it signal
 * configuration changes, DRIVER_OK.
 */
int vc_device_up(struct vdpa_can *c, struct vd_dev *d, uint64_t features,
		 unsigned int nrx);

/* A control request: its result, or -1 without an answer. */
int vc_ctrl(struct vdpa_can *c, uint16_t type, int timeout_ms);

/*
 * Fill transmit slot: out_len bytes of header and payload (0x10, 0x11, ...),
 * then the result byte (0xff until the device writes it). Not published.
 */
void vc_tx_fill(struct vdpa_can *c, unsigned int slot, uint16_t type,
		uint32_t flags, uint32_t can_id, uint16_t length,
		uint32_t out_len);
/* The same, published and kicked. */
void vc_tx_post(struct vdpa_can *c, unsigned int slot, uint16_t type,
		uint32_t flags, uint32_t can_id, uint16_t length,
		uint32_t out_len);
/* The payload of transmit slot. */
uint8_t *vc_tx_data(const struct vdpa_can *c, unsigned int slot);
/*
 * The result of transmit request id the device used with len bytes, or
 * -1 when that is not a request vc_tx_fill() made.
 */
int vc_tx_done(const struct vdpa_can *c, uint32_t id, uint32_t len);
/* The next transmit request returned: its result, or -1. */
int vc_tx_result(struct vdpa_can *c, int timeout_ms);

/* Post receive buffer slot: len bytes with descriptor flags. */
void vc_rx_post(struct vdpa_can *c, unsigned int slot, uint32_t len,
		uint16_t flags);
/*
 * Receive buffer id, used with len bytes: its header and payload copied
 * (data may be NULL), the buffer posted again and kicked. Returns len, or
 * 0 when id is no receive buffer.
 */
uint32_t vc_rx_take(struct vdpa_can *c, uint32_t id, uint32_t len,
		    struct virtio_can_rx *hdr, uint8_t *data);
/* The next received frame as vc_rx_take() gives it, or 0. */
uint32_t vc_rx(struct vdpa_can *c, struct virtio_can_rx *hdr, uint8_t *data,
	       int timeout_ms);

#endif /* VDPA_CAN_H */
