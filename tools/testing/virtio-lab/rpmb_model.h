/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A virtio RPMB device (ID 28) played in the lab, to the VIRTIO 1.2 rules
 * and the JEDEC eMMC frames they refer to. One chain is one request: its
 * device-readable bytes are the request frames, its device-writable bytes
 * receive the response frames. The key, the write counter and the data
 * persist in a file, saved before each answer that reports a change.
 * Faults make it lie, for tests of the driver.
 *
 * Where the specification is silent the model does as an eMMC would:
 *  - A second PROGRAM_KEY fails WRITE_FAILURE: the key is one-time
 *    programmable, so programming it again is a failed programming.
 *  - PROGRAM_KEY, GET_WRITE_COUNTER and RESULT_READ take block_count 0 as
 *    well as 1, and DATA_READ with block_count 0 reads as many blocks as
 *    the response has room for: an eMMC takes the count from CMD23, and
 *    eMMC hosts (mmc-utils) leave the field 0.
 *  - Once the write counter is at 0xffffffff every result carries
 *    VIRTIO_RPMB_RES_WRITE_COUNTER_EXPIRED OR-ed in (bit 7 is a flag in
 *    eMMC), and a data write fails WRITE_FAILURE | WRITE_COUNTER_EXPIRED
 *    (0x0085): callers mask bit 7 off, so 0x0080 alone would read as OK.
 *  - Every response is signed (the MAC in its last frame) once a key is
 *    programmed, the PROGRAM_KEY response included; none is before.
 *  - RESULT_READ returns the response of the last PROGRAM_KEY or
 *    DATA_WRITE (eMMC's result register), until a device reset clears it;
 *    before any, a frame of type 0 with GENERAL_FAILURE.
 *  - Stuff bytes and the fields a request type leaves unused are ignored,
 *    as a device does, but counted (unused_nonzero): a driver that copies
 *    frames short leaves garbage there.
 *
 * A chain that is not one well-formed request (lengths not whole frames,
 * an unknown type, frames of several requests, a write whose frames
 * disagree with each other or with its block_count, no room for the
 * response) is counted in bad_chains and answered GENERAL_FAILURE in as
 * many frames as it asked for and has room for; nothing is executed. A
 * write refused so is recorded in the result register, so that a later
 * RESULT_READ never reports an earlier write's success for it.
 */
#ifndef RPMB_MODEL_H
#define RPMB_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "libvlab.h"
#include "linux/virtio_extra/virtio_rpmb.h"

#define RPMB_MODEL_QUEUE_SIZE 64
#define RPMB_FRAME_SIZE sizeof(struct virtio_rpmb_frame)
/* Most frames a chain carries either way: the lab's limit on its bytes. */
#define RPMB_MODEL_MAX_FRAMES (VLAB_MAX_CHAIN_OUT / RPMB_FRAME_SIZE)
/* rpmb_model_answer(): the chain was kept unanswered (RPMB_FAULT_SILENT). */
#define RPMB_MODEL_HELD 1

struct rpmb_model_params {
	/*
	 * Data area in VIRTIO_RPMB_CAPACITY_UNIT units; offered as given,
	 * beyond VIRTIO_RPMB_CAPACITY_MAX too, for tests of the driver.
	 */
	uint8_t capacity;
	uint8_t max_wr_cnt;	/* blocks per write; 0: no limit */
	uint8_t max_rd_cnt;	/* blocks per read; 0: no limit */
	/*
	 * The state file; NULL: in memory only. A missing file is a fresh
	 * device (and is created at once); a file that is not the state of a
	 * device of this capacity is refused.
	 */
	const char *state_path;
};

/* Lies, told in the next responses (see rpmb_model_set_fault()). */
enum rpmb_fault {
	RPMB_FAULT_NONE,
	RPMB_FAULT_SHORT,		/* used_len one byte short */
	RPMB_FAULT_OVERSIZED,		/* used_len beyond the chain's in_len */
	RPMB_FAULT_WRONG_TYPE,		/* req_resp XOR 0x0700 */
	RPMB_FAULT_BAD_RESULT,		/* result XOR 0x0042: undefined */
	RPMB_FAULT_WRONG_ADDRESS,	/* address XOR 1 */
	RPMB_FAULT_WRONG_NONCE,		/* nonce's first byte XOR 1 */
	RPMB_FAULT_WRONG_COUNT,		/* block_count XOR 1 */
	RPMB_FAULT_FEWER_FRAMES,	/* one frame fewer, used_len to match */
	RPMB_FAULT_SILENT,		/* never answer; nothing is executed */
	RPMB_FAULT_COUNT
};

/* How to complete a chain, as rpmb_model_process() decided. */
struct rpmb_reply {
	uint32_t len;		/* bytes of rpmb_model.resp to write */
	uint32_t used_len;	/* the length the driver is told */
	bool hold;		/* leave the chain unanswered */
};

struct rpmb_model {
	struct vlab lab;
	struct rpmb_model_params params;	/* state_path: a copy of its own */
	uint32_t blocks;		/* data area in VIRTIO_RPMB_BLOCK_SIZE blocks */

	/* Persistent state; a test may preset write_counter. */
	bool key_programmed;
	uint8_t key[VIRTIO_RPMB_KEY_SIZE];
	uint32_t write_counter;
	uint8_t *data;

	/* The result register: the last write's response, unsigned. */
	bool have_result;
	struct virtio_rpmb_frame result;

	/* Lies. */
	enum rpmb_fault fault;
	unsigned int fault_left;	/* responses left to spoil; 0: all */
	uint32_t held[RPMB_MODEL_QUEUE_SIZE];	/* ids of unanswered chains */
	unsigned int held_count;

	/* What happened. */
	unsigned long chains;		/* chains handled, held ones included */
	unsigned long writes;		/* data writes done */
	unsigned long bad_chains;	/* chains not one well-formed request */
	unsigned long unused_nonzero;	/* request frames with bytes in unused fields */
	unsigned long save_failures;	/* changes refused as they could not be saved */
	unsigned long resets;
	uint16_t last_request;		/* req_resp of the last chain's first frame */
	uint32_t last_frames;		/* request frames in the last chain */
	uint16_t last_result;		/* result of the last request, not lied about */

	/* Response frames of the last chain, RPMB_MODEL_MAX_FRAMES of them. */
	struct virtio_rpmb_frame *resp;
};

/* Load the state and set up, without a device: enough for rpmb_model_process(). */
int rpmb_model_init(struct rpmb_model *m, const struct rpmb_model_params *p);
/* Create the lab device of an initialised model. */
int rpmb_model_start(struct rpmb_model *m);
/* rpmb_model_init() and rpmb_model_start(), undone on failure. */
int rpmb_model_create(struct rpmb_model *m, const struct rpmb_model_params *p);
/* Remove the device (as a surprise, if there is one) and free everything. */
void rpmb_model_destroy(struct rpmb_model *m);

/*
 * Handle the bytes of one chain, without the lab: req holds the out_len
 * device-readable bytes (aligned as a frame), in_len is the chain's
 * device-writable capacity. The response frames go to m->resp, how to
 * complete the chain to *reply. Returns 0, or -errno when the model itself
 * fails (out of memory, HMAC failure); the driver then gets no answer.
 */
int rpmb_model_process(struct rpmb_model *m, const void *req, uint32_t out_len,
		       uint32_t in_len, struct rpmb_reply *reply);

/*
 * Answer one chain event: 0 when completed, RPMB_MODEL_HELD when kept
 * unanswered (its id is in m->held), or -errno (-ESTALE: a reset voided it).
 */
int rpmb_model_answer(struct rpmb_model *m, const struct vlab_event *ev);

/* Handle any event: chains are answered, a reset clears volatile state. */
int rpmb_model_handle(struct rpmb_model *m, const struct vlab_event *ev);

/*
 * Serve until the device is removed (0) or nothing happens for idle_ms
 * (-ETIMEDOUT; -1: wait forever). Returns 0 or -errno.
 */
int rpmb_model_serve(struct rpmb_model *m, int idle_ms);

/*
 * Lie with fault in the next count responses that it changes (0: in all,
 * until the next call). A response without frames is only changed by
 * OVERSIZED and SILENT.
 */
void rpmb_model_set_fault(struct rpmb_model *m, enum rpmb_fault fault,
			  unsigned int count);

/* Complete the held chains with nothing written (used_len 0). */
int rpmb_model_release_held(struct rpmb_model *m);

/*
 * The MAC of n frames: HMAC-SHA256 with key over bytes
 * VIRTIO_RPMB_MAC_OFFSET..511 of each. Returns 0 or -errno.
 */
int rpmb_mac(const uint8_t key[VIRTIO_RPMB_KEY_SIZE],
	     const struct virtio_rpmb_frame *frames, unsigned int n,
	     uint8_t mac[VIRTIO_RPMB_KEY_SIZE]);

#endif /* RPMB_MODEL_H */
