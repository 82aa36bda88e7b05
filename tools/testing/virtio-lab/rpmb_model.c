// SPDX-License-Identifier: GPL-2.0
/*
 * A virtio RPMB device (ID 28) played in the lab: the requests a chain
 * carries and the lab's events; its state file is rpmb_state.c.
 */
#include <endian.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "rpmb_model.h"
#include "rpmb_state.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BIT(n) (1U << (n))

#define RPMB_BLOCK VIRTIO_RPMB_BLOCK_SIZE
#define RPMB_COUNTER_MAX UINT32_MAX
/* Bytes of each frame the MAC covers. */
#define RPMB_MAC_SPAN (RPMB_FRAME_SIZE - VIRTIO_RPMB_MAC_OFFSET)

static uint32_t min_u32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

static bool all_zero(const void *p, size_t len)
{
	const uint8_t *b = p;

	while (len--)
		if (*b++)
			return false;
	return true;
}

int rpmb_mac(const uint8_t key[VIRTIO_RPMB_KEY_SIZE],
	     const struct virtio_rpmb_frame *frames, unsigned int n,
	     uint8_t mac[VIRTIO_RPMB_KEY_SIZE])
{
	unsigned int i, len = 0;
	uint8_t *msg;
	bool ok;

	if (!n)
		return -EINVAL;
	/* The covered bytes are not contiguous: gather them for HMAC(). */
	msg = malloc((size_t)n * RPMB_MAC_SPAN);
	if (!msg)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		memcpy(msg + (size_t)i * RPMB_MAC_SPAN,
		       (const uint8_t *)&frames[i] + VIRTIO_RPMB_MAC_OFFSET,
		       RPMB_MAC_SPAN);
	ok = HMAC(EVP_sha256(), key, VIRTIO_RPMB_KEY_SIZE, msg,
		  (size_t)n * RPMB_MAC_SPAN, mac, &len) &&
	     len == VIRTIO_RPMB_KEY_SIZE;
	free(msg);
	return ok ? 0 : -EIO;
}

/*
 * Change the state: the key (NULL: unchanged), the counter, and the data
 * of n frames at block addr. Saved first and applied after, so a change
 * that cannot be saved changes nothing.
 */
static int rpmb_commit(struct rpmb_model *m, const uint8_t *key,
		       uint32_t counter, uint32_t addr,
		       const struct virtio_rpmb_frame *frames, uint32_t n)
{
	uint32_t i;
	int err;

	if (m->params.state_path) {
		err = rpmb_state_save(m, key ? key : m->key_programmed ? m->key : NULL,
				      counter, addr, frames, n);
		if (err) {
			m->save_failures++;
			return err;
		}
	}
	if (key) {
		memcpy(m->key, key, sizeof(m->key));
		m->key_programmed = true;
	}
	m->write_counter = counter;
	for (i = 0; i < n; i++)
		memcpy(m->data + (size_t)(addr + i) * RPMB_BLOCK, frames[i].data,
		       RPMB_BLOCK);
	return 0;
}

/* Requests */

static uint16_t rpmb_type(const struct virtio_rpmb_frame *f)
{
	return be16toh(f->req_resp);
}

/* The response type of a request type; 0 for RESULT_READ and unknown ones. */
static uint16_t rpmb_resp_type(uint16_t req)
{
	return req >= VIRTIO_RPMB_REQ_PROGRAM_KEY &&
	       req <= VIRTIO_RPMB_REQ_DATA_READ ? req << 8 : 0;
}

/* A result as reported, and as last_result: flagged once expired. */
static uint16_t rpmb_report(struct rpmb_model *m, uint16_t result)
{
	if (m->write_counter == RPMB_COUNTER_MAX)
		result |= VIRTIO_RPMB_RES_WRITE_COUNTER_EXPIRED;
	m->last_result = result;
	return result;
}

/* Start a response frame: its type and result. */
static struct virtio_rpmb_frame *rpmb_frame_init(struct rpmb_model *m,
						 struct virtio_rpmb_frame *r,
						 uint16_t type, uint16_t result)
{
	memset(r, 0, sizeof(*r));
	r->req_resp = htobe16(type);
	r->result = htobe16(rpmb_report(m, result));
	return r;
}

static struct virtio_rpmb_frame *rpmb_resp(struct rpmb_model *m, uint32_t i,
					   uint16_t type, uint16_t result)
{
	return rpmb_frame_init(m, &m->resp[i], type, result);
}

/*
 * A chain that is not one well-formed request: GENERAL_FAILURE in up to n
 * frames, typed after its first frame f (NULL: none). Returns the frames.
 */
static int rpmb_refuse(struct rpmb_model *m, const struct virtio_rpmb_frame *f,
		       uint32_t n, uint32_t room)
{
	uint16_t req = f ? rpmb_type(f) : 0, type = rpmb_resp_type(req);
	uint32_t i;

	m->bad_chains++;
	rpmb_report(m, VIRTIO_RPMB_RES_GENERAL_FAILURE);
	/* A later RESULT_READ must not report an earlier write's success. */
	if (req == VIRTIO_RPMB_REQ_PROGRAM_KEY ||
	    req == VIRTIO_RPMB_REQ_DATA_WRITE) {
		rpmb_frame_init(m, &m->result, type,
				VIRTIO_RPMB_RES_GENERAL_FAILURE);
		m->have_result = true;
	}
	n = min_u32(n, room);
	for (i = 0; i < n; i++)
		rpmb_resp(m, i, type, VIRTIO_RPMB_RES_GENERAL_FAILURE);
	return n;
}

/* The fields of a frame but req_resp, in frame order. */
enum rpmb_field {
	RPMB_STUFF, RPMB_KEY_MAC, RPMB_DATA, RPMB_NONCE, RPMB_COUNTER,
	RPMB_ADDRESS, RPMB_COUNT, RPMB_RESULT, RPMB_FIELDS
};

/* Where each starts; one ends where the next starts. */
static const uint16_t rpmb_field_start[RPMB_FIELDS + 1] = {
	offsetof(struct virtio_rpmb_frame, stuff),
	offsetof(struct virtio_rpmb_frame, key_mac),
	offsetof(struct virtio_rpmb_frame, data),
	offsetof(struct virtio_rpmb_frame, nonce),
	offsetof(struct virtio_rpmb_frame, write_counter),
	offsetof(struct virtio_rpmb_frame, address),
	offsetof(struct virtio_rpmb_frame, block_count),
	offsetof(struct virtio_rpmb_frame, result),
	offsetof(struct virtio_rpmb_frame, req_resp),
};

/* The fields each request type gives a meaning, req_resp aside (JEDEC). */
static const uint8_t rpmb_used_fields[] = {
	[VIRTIO_RPMB_REQ_PROGRAM_KEY] = BIT(RPMB_KEY_MAC) | BIT(RPMB_COUNT),
	[VIRTIO_RPMB_REQ_GET_WRITE_COUNTER] = BIT(RPMB_NONCE) | BIT(RPMB_COUNT),
	[VIRTIO_RPMB_REQ_DATA_WRITE] = BIT(RPMB_KEY_MAC) | BIT(RPMB_DATA) |
		BIT(RPMB_COUNTER) | BIT(RPMB_ADDRESS) | BIT(RPMB_COUNT),
	[VIRTIO_RPMB_REQ_DATA_READ] = BIT(RPMB_NONCE) | BIT(RPMB_ADDRESS) |
		BIT(RPMB_COUNT),
	[VIRTIO_RPMB_REQ_RESULT_READ] = BIT(RPMB_COUNT),
};

/* Count the frames of known types with bytes in fields they leave unused. */
static void rpmb_count_unused(struct rpmb_model *m,
			      const struct virtio_rpmb_frame *f, uint32_t n)
{
	unsigned int field;
	uint16_t type;
	uint8_t used;
	uint32_t i;

	for (i = 0; i < n; i++) {
		type = rpmb_type(&f[i]);
		if (!type || type >= ARRAY_SIZE(rpmb_used_fields))
			continue;
		used = rpmb_used_fields[type];
		/* Only the last frame of a write carries the MAC. */
		if (type == VIRTIO_RPMB_REQ_DATA_WRITE && i + 1 < n &&
		    rpmb_type(&f[i + 1]) == VIRTIO_RPMB_REQ_DATA_WRITE)
			used &= ~BIT(RPMB_KEY_MAC);
		for (field = 0; field < RPMB_FIELDS; field++) {
			if (used & BIT(field) ||
			    all_zero((const uint8_t *)&f[i] + rpmb_field_start[field],
				     rpmb_field_start[field + 1] -
				     rpmb_field_start[field]))
				continue;
			m->unused_nonzero++;
			break;
		}
	}
}

static uint16_t rpmb_program_key(struct rpmb_model *m,
				 const struct virtio_rpmb_frame *f)
{
	/* 0 too: mmc-utils leaves it so, an eMMC takes the count from CMD23. */
	if (be16toh(f->block_count) > 1)
		return VIRTIO_RPMB_RES_GENERAL_FAILURE;
	/* One-time programmable: programming it again is a failed programming. */
	if (m->key_programmed)
		return VIRTIO_RPMB_RES_WRITE_FAILURE;
	if (rpmb_commit(m, f->key_mac, m->write_counter, 0, NULL, 0))
		return VIRTIO_RPMB_RES_WRITE_FAILURE;
	return VIRTIO_RPMB_RES_OK;
}

/* Whether the k frames of a write are one request: alike, and k of them. */
static bool rpmb_write_is_whole(const struct virtio_rpmb_frame *f, uint32_t k)
{
	uint32_t i;

	if (be16toh(f->block_count) != k)
		return false;
	for (i = 1; i < k; i++)
		if (f[i].address != f->address ||
		    f[i].block_count != f->block_count ||
		    f[i].write_counter != f->write_counter)
			return false;
	return true;
}

/* A result code, or -errno when the model fails. */
static int rpmb_data_write(struct rpmb_model *m,
			   const struct virtio_rpmb_frame *f, uint32_t k)
{
	uint32_t count = be16toh(f->block_count), addr = be16toh(f->address);
	uint8_t mac[VIRTIO_RPMB_KEY_SIZE];
	bool whole = rpmb_write_is_whole(f, k);
	int err;

	if (!whole)
		m->bad_chains++;
	if (!m->key_programmed)
		return VIRTIO_RPMB_RES_NO_AUTH_KEY;
	/* Not whole: a count of 0 included. */
	if (!whole || (m->params.max_wr_cnt && count > m->params.max_wr_cnt))
		return VIRTIO_RPMB_RES_GENERAL_FAILURE;
	/* Reported with the expiry flag, as every result from now on. */
	if (m->write_counter == RPMB_COUNTER_MAX)
		return VIRTIO_RPMB_RES_WRITE_FAILURE;
	if (addr + count > m->blocks)
		return VIRTIO_RPMB_RES_ADDR_FAILURE;
	err = rpmb_mac(m->key, f, k, mac);
	if (err)
		return err;
	if (CRYPTO_memcmp(mac, f[k - 1].key_mac, sizeof(mac)))
		return VIRTIO_RPMB_RES_AUTH_FAILURE;
	if (be32toh(f->write_counter) != m->write_counter)
		return VIRTIO_RPMB_RES_COUNT_FAILURE;
	if (rpmb_commit(m, NULL, m->write_counter + 1, addr, f, k))
		return VIRTIO_RPMB_RES_WRITE_FAILURE;
	m->writes++;
	return VIRTIO_RPMB_RES_OK;
}

/*
 * PROGRAM_KEY, or DATA_WRITE of k frames, then the RESULT_READ frame rr
 * (NULL: none). The response goes to the result register, and out when
 * asked for. Returns the frames, or -errno.
 */
static int rpmb_write(struct rpmb_model *m, const struct virtio_rpmb_frame *f,
		      uint32_t k, const struct virtio_rpmb_frame *rr)
{
	uint16_t type = rpmb_type(f);
	int result;

	/* Before the write: the chain fails whole, not written and then failed. */
	if (rr && be16toh(rr->block_count) > 1)
		result = VIRTIO_RPMB_RES_GENERAL_FAILURE;
	else if (type == VIRTIO_RPMB_REQ_PROGRAM_KEY)
		result = rpmb_program_key(m, f);
	else
		result = rpmb_data_write(m, f, k);
	if (result < 0)
		return result;

	rpmb_frame_init(m, &m->result, rpmb_resp_type(type), result);
	if (type == VIRTIO_RPMB_REQ_DATA_WRITE) {
		m->result.write_counter = htobe32(m->write_counter);
		m->result.address = f->address;
	}
	m->have_result = true;
	if (!rr)
		return 0;
	m->resp[0] = m->result;
	return 1;
}

static int rpmb_get_counter(struct rpmb_model *m,
			    const struct virtio_rpmb_frame *f)
{
	uint16_t result = VIRTIO_RPMB_RES_OK;
	struct virtio_rpmb_frame *r;

	if (!m->key_programmed)
		result = VIRTIO_RPMB_RES_NO_AUTH_KEY;
	else if (be16toh(f->block_count) > 1)	/* eMMC hosts send 0 */
		result = VIRTIO_RPMB_RES_GENERAL_FAILURE;
	r = rpmb_resp(m, 0, VIRTIO_RPMB_RESP_GET_WRITE_COUNTER, result);
	r->write_counter = htobe32(m->write_counter);
	memcpy(r->nonce, f->nonce, sizeof(r->nonce));
	return 1;
}

/* A read of count blocks, in as many frames (the lab's limit aside). */
static int rpmb_data_read(struct rpmb_model *m,
			  const struct virtio_rpmb_frame *f, uint32_t count)
{
	uint32_t addr = be16toh(f->address), i;
	uint32_t n = min_u32(count, RPMB_MODEL_MAX_FRAMES);
	uint16_t result = VIRTIO_RPMB_RES_OK;
	struct virtio_rpmb_frame *r;

	if (!m->key_programmed)
		result = VIRTIO_RPMB_RES_NO_AUTH_KEY;
	else if (!count || (m->params.max_rd_cnt && count > m->params.max_rd_cnt) ||
		 count > RPMB_MODEL_MAX_FRAMES)
		result = VIRTIO_RPMB_RES_GENERAL_FAILURE;
	else if (addr + count > m->blocks)
		result = VIRTIO_RPMB_RES_ADDR_FAILURE;
	for (i = 0; i < n; i++) {
		r = rpmb_resp(m, i, VIRTIO_RPMB_RESP_DATA_READ, result);
		memcpy(r->nonce, f->nonce, sizeof(r->nonce));
		r->address = f->address;
		/* Asked with 0, the count tells how many blocks came. */
		r->block_count = f->block_count ? f->block_count : htobe16(n);
		if (result == VIRTIO_RPMB_RES_OK)
			memcpy(r->data, m->data + (size_t)(addr + i) * RPMB_BLOCK,
			       RPMB_BLOCK);
	}
	return n;
}

static int rpmb_result_read(struct rpmb_model *m,
			    const struct virtio_rpmb_frame *f)
{
	uint16_t type = m->have_result ? rpmb_type(&m->result) : 0;

	if (!m->have_result || be16toh(f->block_count) > 1) {
		rpmb_resp(m, 0, type, VIRTIO_RPMB_RES_GENERAL_FAILURE);
		return 1;
	}
	m->resp[0] = m->result;
	m->last_result = be16toh(m->result.result);
	return 1;
}

/*
 * The nreq whole frames of a chain with in_frames of room. Returns the
 * response frames, or -errno.
 */
static int rpmb_request(struct rpmb_model *m, const struct virtio_rpmb_frame *f,
			uint32_t nreq, uint32_t in_frames)
{
	uint32_t room = min_u32(in_frames, RPMB_MODEL_MAX_FRAMES), k = 1, count;
	uint16_t type = rpmb_type(f);
	bool result_read;

	rpmb_count_unused(m, f, nreq);
	if (type == VIRTIO_RPMB_REQ_DATA_WRITE)
		while (k < nreq && rpmb_type(&f[k]) == VIRTIO_RPMB_REQ_DATA_WRITE)
			k++;
	result_read = (type == VIRTIO_RPMB_REQ_PROGRAM_KEY ||
		       type == VIRTIO_RPMB_REQ_DATA_WRITE) &&
		      k < nreq && rpmb_type(&f[k]) == VIRTIO_RPMB_REQ_RESULT_READ;
	if ((!rpmb_resp_type(type) && type != VIRTIO_RPMB_REQ_RESULT_READ) ||
	    k + result_read != nreq)
		return rpmb_refuse(m, f, 1, room);

	switch (type) {
	case VIRTIO_RPMB_REQ_PROGRAM_KEY:
	case VIRTIO_RPMB_REQ_DATA_WRITE:
		if (result_read && !room)
			return rpmb_refuse(m, f, 1, room);
		return rpmb_write(m, f, k, result_read ? &f[k] : NULL);
	case VIRTIO_RPMB_REQ_GET_WRITE_COUNTER:
		return room ? rpmb_get_counter(m, f) : rpmb_refuse(m, f, 1, room);
	case VIRTIO_RPMB_REQ_DATA_READ:
		count = be16toh(f->block_count);
		/* An eMMC takes the count from CMD23: read as many as fit. */
		if (!count)
			count = in_frames;
		if (count > in_frames)
			return rpmb_refuse(m, f, count, room);
		return rpmb_data_read(m, f, count);
	default:
		return room ? rpmb_result_read(m, f) : rpmb_refuse(m, f, 1, room);
	}
}

/* Lies on fields: a big-endian 16-bit field of every response frame XOR-ed. */
static const struct {
	uint16_t offset;
	uint16_t flip;
} rpmb_field_lies[RPMB_FAULT_COUNT] = {
	[RPMB_FAULT_WRONG_TYPE] = {
		offsetof(struct virtio_rpmb_frame, req_resp), 0x0700 },
	[RPMB_FAULT_BAD_RESULT] = {
		offsetof(struct virtio_rpmb_frame, result), 0x0042 },
	[RPMB_FAULT_WRONG_ADDRESS] = {
		offsetof(struct virtio_rpmb_frame, address), 0x0001 },
	[RPMB_FAULT_WRONG_NONCE] = {
		offsetof(struct virtio_rpmb_frame, nonce), 0x0100 },
	[RPMB_FAULT_WRONG_COUNT] = {
		offsetof(struct virtio_rpmb_frame, block_count), 0x0001 },
};

/* A lie was told: one fewer left to tell. */
static void rpmb_fault_told(struct rpmb_model *m)
{
	if (m->fault_left && !--m->fault_left)
		m->fault = RPMB_FAULT_NONE;
}

/* Lie as told, sign the n response frames, and say how to complete. */
static int rpmb_reply(struct rpmb_model *m, uint32_t n, uint32_t in_len,
		      struct rpmb_reply *reply)
{
	enum rpmb_fault fault = m->fault;
	uint16_t flip = rpmb_field_lies[fault].flip;
	bool lied = false;
	uint8_t *field;
	uint32_t i;
	int err;

	if (fault == RPMB_FAULT_FEWER_FRAMES && n) {
		n--;
		lied = true;
	}
	for (i = 0; flip && i < n; i++) {
		field = (uint8_t *)&m->resp[i] + rpmb_field_lies[fault].offset;
		field[0] ^= flip >> 8;
		field[1] ^= flip & 0xff;
		lied = true;
	}
	/* Signed after the lies: only a check of the field itself finds them. */
	if (n && m->key_programmed) {
		err = rpmb_mac(m->key, m->resp, n, m->resp[n - 1].key_mac);
		if (err)
			return err;
	}
	reply->len = n * RPMB_FRAME_SIZE;
	reply->used_len = reply->len;
	if (fault == RPMB_FAULT_SHORT && n) {
		reply->used_len--;
		lied = true;
	}
	if (fault == RPMB_FAULT_OVERSIZED && in_len < UINT32_MAX) {
		reply->used_len = in_len + 1;
		lied = true;
	}
	if (lied)
		rpmb_fault_told(m);
	return 0;
}

int rpmb_model_process(struct rpmb_model *m, const void *req, uint32_t out_len,
		       uint32_t in_len, struct rpmb_reply *reply)
{
	const struct virtio_rpmb_frame *f = req;
	uint32_t nreq = out_len / RPMB_FRAME_SIZE;
	uint32_t in_frames = in_len / RPMB_FRAME_SIZE;
	int n;

	memset(reply, 0, sizeof(*reply));
	m->chains++;
	m->last_frames = nreq;
	m->last_request = nreq ? rpmb_type(f) : 0;
	if (m->fault == RPMB_FAULT_SILENT) {
		rpmb_fault_told(m);
		reply->hold = true;
		return 0;
	}
	if (!nreq || out_len % RPMB_FRAME_SIZE || in_len % RPMB_FRAME_SIZE)
		n = rpmb_refuse(m, nreq ? f : NULL, 1,
				min_u32(in_frames, RPMB_MODEL_MAX_FRAMES));
	else
		n = rpmb_request(m, f, nreq, in_frames);
	if (n < 0)
		return n;
	return rpmb_reply(m, n, in_len, reply);
}

void rpmb_model_set_fault(struct rpmb_model *m, enum rpmb_fault fault,
			  unsigned int count)
{
	m->fault = fault < RPMB_FAULT_COUNT ? fault : RPMB_FAULT_NONE;
	m->fault_left = count;
}

/* The model and the lab */

int rpmb_model_init(struct rpmb_model *m, const struct rpmb_model_params *p)
{
	int err = -ENOMEM;

	memset(m, 0, sizeof(*m));
	m->lab.fd = -1;
	m->params = *p;
	m->params.state_path = NULL;
	m->blocks = p->capacity * (VIRTIO_RPMB_CAPACITY_UNIT / RPMB_BLOCK);
	m->data = calloc(m->blocks ? m->blocks : 1, RPMB_BLOCK);
	m->resp = calloc(RPMB_MODEL_MAX_FRAMES, RPMB_FRAME_SIZE);
	if (!m->data || !m->resp)
		goto fail;
	if (p->state_path) {
		m->params.state_path = strdup(p->state_path);
		if (!m->params.state_path)
			goto fail;
		err = rpmb_state_load(m);
		if (err)
			goto fail;
	}
	return 0;
fail:
	rpmb_model_destroy(m);
	return err;
}

int rpmb_model_start(struct rpmb_model *m)
{
	struct virtio_rpmb_config config = {
		.capacity = m->params.capacity,
		.max_wr_cnt = m->params.max_wr_cnt,
		.max_rd_cnt = m->params.max_rd_cnt,
	};
	struct vlab_create create = {
		.device_id = VIRTIO_ID_RPMB,
		.features = (1ULL << VIRTIO_F_VERSION_1) |
			    (1ULL << VIRTIO_RING_F_INDIRECT_DESC) |
			    (1ULL << VIRTIO_F_ACCESS_PLATFORM),
		.num_queues = VIRTIO_RPMB_VQ_MAX_CNT,
		.config_size = sizeof(config),
		.config = (uintptr_t)&config,
		.queue_size = { [VIRTIO_RPMB_VQ_REQUEST] = RPMB_MODEL_QUEUE_SIZE },
	};

	return vlab_start(&m->lab, &create);
}

int rpmb_model_create(struct rpmb_model *m, const struct rpmb_model_params *p)
{
	int err = rpmb_model_init(m, p);

	if (err)
		return err;
	err = rpmb_model_start(m);
	if (err)
		rpmb_model_destroy(m);
	return err;
}

void rpmb_model_destroy(struct rpmb_model *m)
{
	vlab_close(&m->lab);
	free(m->data);
	free(m->resp);
	free((char *)m->params.state_path);
	m->data = NULL;
	m->resp = NULL;
	m->params.state_path = NULL;
}

int rpmb_model_answer(struct rpmb_model *m, const struct vlab_event *ev)
{
	struct rpmb_reply reply;
	int err;

	if (ev->type != VLAB_EVENT_CHAIN || ev->queue != VIRTIO_RPMB_VQ_REQUEST ||
	    ev->size < sizeof(*ev) || ev->out_len > ev->size - sizeof(*ev))
		return -EINVAL;
	err = rpmb_model_process(m, ev->data, ev->out_len, ev->in_len, &reply);
	if (err)
		return err;
	if (reply.hold) {
		/* The driver cannot have more than a queue's worth out. */
		if (m->held_count < ARRAY_SIZE(m->held))
			m->held[m->held_count++] = ev->id;
		return RPMB_MODEL_HELD;
	}
	return vlab_complete(&m->lab, ev->queue, ev->id, m->resp, reply.len,
			     reply.used_len, 0);
}

int rpmb_model_handle(struct rpmb_model *m, const struct vlab_event *ev)
{
	switch (ev->type) {
	case VLAB_EVENT_RESET:
		/* The key, the counter and the data persist; the rest does not. */
		m->resets++;
		m->have_result = false;
		m->held_count = 0;
		return 0;
	case VLAB_EVENT_CHAIN:
		return rpmb_model_answer(m, ev);
	default:
		return 0;
	}
}

int rpmb_model_serve(struct rpmb_model *m, int idle_ms)
{
	struct vlab_event *ev;
	int err;

	for (;;) {
		ev = vlab_next(&m->lab, idle_ms);
		if (!ev)
			return errno == ENODEV ? 0 : -errno;
		err = rpmb_model_handle(m, ev);
		/* A reset voids a chain; a removal ends the service. */
		if (err == -ENODEV)
			return 0;
		if (err < 0 && err != -ESTALE)
			return err;
	}
}

int rpmb_model_release_held(struct rpmb_model *m)
{
	unsigned int i;
	int err, ret = 0;

	for (i = 0; i < m->held_count; i++) {
		err = vlab_complete(&m->lab, VIRTIO_RPMB_VQ_REQUEST, m->held[i],
				    NULL, 0, 0, 0);
		if (err && err != -ESTALE && !ret)
			ret = err;
	}
	m->held_count = 0;
	return ret;
}
