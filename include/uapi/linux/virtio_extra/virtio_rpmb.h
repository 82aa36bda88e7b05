/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * Do not edit directly, auto-generated from:
 *	Documentation/virtio/specs/rpmb.yaml
 * by tools/virtio-spec/vspec-gen.py (uapi).
 */
/* VSPEC-GEN uapi header */

/*
 * Replay Protected Memory Block device. The driver passes JEDEC eMMC RPMB
 * frames (JESD84-B51, 6.6.22) through one request queue: device-readable
 * request frames, then device-writable response frames. Unlike every other
 * virtio structure, frame fields are big-endian. The MAC is HMAC-SHA256 over
 * bytes 228..511 of each frame of a request or response.
 *
 * Specification: VIRTIO 1.2, section 5.12 RPMB Device
 */
#ifndef _UAPI_LINUX_VIRTIO_EXTRA_VIRTIO_RPMB_H
#define _UAPI_LINUX_VIRTIO_EXTRA_VIRTIO_RPMB_H

#include <linux/types.h>
#include <linux/virtio_ids.h>

#ifndef VIRTIO_ID_RPMB
#define VIRTIO_ID_RPMB 28
#endif

/* Virtqueue indexes */
/* requestq, request frames followed by response frames */
#define VIRTIO_RPMB_VQ_REQUEST 0
/* Number of virtqueues the device can have */
#define VIRTIO_RPMB_VQ_MAX_CNT 1

/* Bytes of data in one frame; addresses count in these units. */
#define VIRTIO_RPMB_BLOCK_SIZE 256

/* Bytes per unit of virtio_rpmb_config.capacity (128 KiB). */
#define VIRTIO_RPMB_CAPACITY_UNIT 131072

/* Largest valid virtio_rpmb_config.capacity (16 MiB). */
#define VIRTIO_RPMB_CAPACITY_MAX 128

/* Bytes of the authentication key and of the MAC. */
#define VIRTIO_RPMB_KEY_SIZE 32

/* Bytes of the nonce. */
#define VIRTIO_RPMB_NONCE_SIZE 16

/* Bytes of padding at the start of a frame. */
#define VIRTIO_RPMB_STUFF_SIZE 196

/* First frame byte covered by the MAC; it runs to the end of the frame. */
#define VIRTIO_RPMB_MAC_OFFSET 228

/*
 * Request types, in virtio_rpmb_frame.req_resp of a request.
 */
/* Program the one-time authentication key. */
#define VIRTIO_RPMB_REQ_PROGRAM_KEY 0x0001
/* Read the write counter. */
#define VIRTIO_RPMB_REQ_GET_WRITE_COUNTER 0x0002
/* Authenticated data write. */
#define VIRTIO_RPMB_REQ_DATA_WRITE 0x0003
/* Authenticated data read. */
#define VIRTIO_RPMB_REQ_DATA_READ 0x0004
/* Return the result of the previous write or key programming. */
#define VIRTIO_RPMB_REQ_RESULT_READ 0x0005

/*
 * Response types, in virtio_rpmb_frame.req_resp of a response.
 */
/* Result of key programming. */
#define VIRTIO_RPMB_RESP_PROGRAM_KEY 0x0100
/* The write counter. */
#define VIRTIO_RPMB_RESP_GET_WRITE_COUNTER 0x0200
/* Result of a data write. */
#define VIRTIO_RPMB_RESP_DATA_WRITE 0x0300
/* Data read. */
#define VIRTIO_RPMB_RESP_DATA_READ 0x0400

/*
 * Result codes, in virtio_rpmb_frame.result. WRITE_COUNTER_EXPIRED may be OR-ed
 * with another code, as in eMMC.
 */
/* Operation succeeded. */
#define VIRTIO_RPMB_RES_OK 0x0000
/* General failure. */
#define VIRTIO_RPMB_RES_GENERAL_FAILURE 0x0001
/* MAC mismatch. */
#define VIRTIO_RPMB_RES_AUTH_FAILURE 0x0002
/* Write counter mismatch. */
#define VIRTIO_RPMB_RES_COUNT_FAILURE 0x0003
/* Address out of range. */
#define VIRTIO_RPMB_RES_ADDR_FAILURE 0x0004
/* Write failed. */
#define VIRTIO_RPMB_RES_WRITE_FAILURE 0x0005
/* Read failed. */
#define VIRTIO_RPMB_RES_READ_FAILURE 0x0006
/* The authentication key is not programmed yet. */
#define VIRTIO_RPMB_RES_NO_AUTH_KEY 0x0007
/* The write counter reached its maximum. */
#define VIRTIO_RPMB_RES_WRITE_COUNTER_EXPIRED 0x0080

/**
 * struct virtio_rpmb_config - Device configuration layout, read-only for the
 * driver.
 * @capacity: Size of the data area in 128 KiB units, at most 0x80.
 * @max_wr_cnt: Most 256-byte blocks in one write request; 0 means no limit.
 * @max_rd_cnt: Most 256-byte blocks in one read request; 0 means no limit.
 */
struct virtio_rpmb_config {
	__u8 capacity;
	__u8 max_wr_cnt;
	__u8 max_rd_cnt;
};

/**
 * struct virtio_rpmb_frame - JEDEC RPMB data frame, big-endian.
 * @stuff: Padding, 0.
 * @key_mac: Authentication key (key programming) or MAC.
 * @data: One block of data.
 * @nonce: Random value chosen by the requester, echoed by the device.
 * @write_counter: Write counter.
 * @address: First block, in 256-byte units.
 * @block_count: Number of blocks of the request.
 * @result: Result code, written by the device: VIRTIO_RPMB_RES_*.
 * @req_resp: Request or response type.
 *
 * Requests are device-readable frames, responses device-writable frames of the
 * same layout.
 */
struct virtio_rpmb_frame {
	__u8 stuff[196];
	__u8 key_mac[32];
	__u8 data[256];
	__u8 nonce[16];
	__be32 write_counter;
	__be16 address;
	__be16 block_count;
	__be16 result;
	__be16 req_resp;
};

/*
 * The device ID and the layouts the specification states, the
 * distribution's included. Never called: the compiler checks them
 * wherever this header is included (a negative array size fails).
 */
static inline void virtio_rpmb_layout_check(void)
{
	(void)sizeof(char[VIRTIO_ID_RPMB == 28 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_rpmb_config) == 3 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_rpmb_config,
						 capacity) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_rpmb_config,
						 max_wr_cnt) == 1 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_rpmb_config,
						 max_rd_cnt) == 2 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_rpmb_frame) == 512 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_rpmb_frame,
						 stuff) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_rpmb_frame,
						 key_mac) == 196 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_rpmb_frame,
						 data) == 228 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_rpmb_frame,
						 nonce) == 484 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_rpmb_frame,
						 write_counter) == 500 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_rpmb_frame,
						 address) == 504 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_rpmb_frame,
						 block_count) == 506 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_rpmb_frame,
						 result) == 508 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_rpmb_frame,
						 req_resp) == 510 ? 1 : -1]);
}

#endif /* _UAPI_LINUX_VIRTIO_EXTRA_VIRTIO_RPMB_H */
