// SPDX-License-Identifier: GPL-2.0
/*
 * An SCMI platform (virtio device 32) played in the lab: the Base protocol
 * 2.1 and the Sensor protocol 3.1 in full; the System Power protocol
 * answers its version only.
 */
#include <errno.h>
#include <string.h>

#include <linux/virtio_config.h>

#include "scmi_model.h"

#define SCMI_AGENTS 2
static const uint8_t scmi_protocols[] = { SCMI_PROTO_SYSTEM, SCMI_PROTO_SENSOR };
static const char * const scmi_agent_names[SCMI_AGENTS] = { "platform", "OSPM" };

/* Sensor descriptors per DESCRIPTION_GET: 4 of 28 bytes fit in 128. */
#define SCMI_DESCRIPTORS_PER_REPLY 4

static const struct scmi_model_sensor scmi_sensors[SCMI_MODEL_SENSORS] = {
	{ "cpu_package_temperature", 2, -3, 45500, false },
	{ "vdd_core", 5, -6, 850000, false },
	{ "board_current", 6, -3, 1500, false },
	{ "soc_power", 7, -3, 2500, false },
	{ "soc_energy", 8, 0, 1234, false },
	{ "ambient", 2, -3, -5250, false },
	{ "fan_unit", 1, 0, 7, false },	/* a class hwmon does not show */
};

uint32_t scmi_hdr(uint8_t protocol, uint8_t msg_id, uint8_t type, uint16_t token)
{
	return msg_id | (uint32_t)type << VIRTIO_SCMI_HDR_TYPE_SHIFT |
	       (uint32_t)protocol << VIRTIO_SCMI_HDR_PROTOCOL_SHIFT |
	       (uint32_t)(token & 0x3ff) << VIRTIO_SCMI_HDR_TOKEN_SHIFT;
}

static uint32_t get_le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

int scmi_model_create(struct scmi_model *m, bool events)
{
	struct vlab_create create = {
		.device_id = VIRTIO_ID_SCMI,
		.features = 1ULL << VIRTIO_F_VERSION_1 |
			    (events ? 1ULL << VIRTIO_SCMI_F_P2A_CHANNELS : 0),
		.num_queues = events ? 2 : 1,
		.queue_size = { SCMI_MODEL_QUEUE_SIZE, SCMI_MODEL_QUEUE_SIZE },
	};

	memset(m, 0, sizeof(*m));
	pthread_mutex_init(&m->lock, NULL);
	m->events = events;
	vlab_pool_init(&m->event_bufs, VIRTIO_SCMI_VQ_RX);
	memcpy(m->sensors, scmi_sensors, sizeof(m->sensors));
	return vlab_start(&m->lab, &create);
}

void scmi_model_destroy(struct scmi_model *m)
{
	vlab_close(&m->lab);
	pthread_mutex_destroy(&m->lock);
}

/* A name field: 16 bytes, NUL-padded. */
static uint32_t put_name(uint8_t *out, const char *name)
{
	memset(out, 0, 16);
	memcpy(out, name, strlen(name));
	return 16;
}

/* The Base protocol: the response's payload in out, its status returned. */
static int32_t scmi_base(uint8_t msg_id, const uint8_t *in, uint32_t in_len,
			 uint8_t *out, uint32_t *out_len)
{
	uint32_t arg = in_len >= 4 ? get_le32(in) : 0, i, n;

	switch (msg_id) {
	case 0x0:
		put_le32(out, SCMI_MODEL_BASE_VERSION);
		*out_len = 4;
		return 0;
	case 0x1:
		put_le32(out, sizeof(scmi_protocols) | SCMI_AGENTS << 8);
		*out_len = 4;
		return 0;
	case 0x2:
		if (in_len < 4)
			return VIRTIO_SCMI_STATUS_PROTOCOL_ERROR;
		if (arg > 0x8)
			return VIRTIO_SCMI_STATUS_NOT_FOUND;
		put_le32(out, 0);
		*out_len = 4;
		return 0;
	case 0x3:
		*out_len = put_name(out, SCMI_MODEL_VENDOR);
		return 0;
	case 0x4:
		*out_len = put_name(out, SCMI_MODEL_SUB_VENDOR);
		return 0;
	case 0x5:
		put_le32(out, SCMI_MODEL_IMPL_VERSION);
		*out_len = 4;
		return 0;
	case 0x6:
		if (in_len < 4)
			return VIRTIO_SCMI_STATUS_PROTOCOL_ERROR;
		if (arg > sizeof(scmi_protocols))
			return VIRTIO_SCMI_STATUS_INVALID_PARAMETERS;
		n = sizeof(scmi_protocols) - arg;
		put_le32(out, n);
		memset(out + 4, 0, (n + 3) / 4 * 4);
		for (i = 0; i < n; i++)
			out[4 + i] = scmi_protocols[arg + i];
		*out_len = 4 + (n + 3) / 4 * 4;
		return 0;
	case 0x7:
		if (in_len < 4)
			return VIRTIO_SCMI_STATUS_PROTOCOL_ERROR;
		if (arg >= SCMI_AGENTS)
			return VIRTIO_SCMI_STATUS_NOT_FOUND;
		put_le32(out, arg);
		*out_len = 4 + put_name(out + 4, scmi_agent_names[arg]);
		return 0;
	}
	return VIRTIO_SCMI_STATUS_NOT_SUPPORTED;
}

static void put_reading(uint8_t *out, int64_t value)
{
	put_le32(out, (uint64_t)value);
	put_le32(out + 4, (uint64_t)value >> 32);
	put_le32(out + 8, 0);	/* no timestamp */
	put_le32(out + 12, 0);
}

/* The Sensor protocol, under m->lock. */
static int32_t scmi_sensor(struct scmi_model *m, uint8_t msg_id, const uint8_t *in,
			   uint32_t in_len, uint8_t *out, uint32_t *out_len)
{
	uint32_t arg = in_len >= 4 ? get_le32(in) : 0, i, n;
	const struct scmi_model_sensor *s;
	uint8_t *d;

	switch (msg_id) {
	case 0x0:
		put_le32(out, SCMI_SENSOR_VERSION);
		*out_len = 4;
		return 0;
	case 0x1:
		memset(out, 0, 16);
		put_le32(out, SCMI_MODEL_SENSORS | 1 << 16);
		*out_len = 16;
		return 0;
	case 0x2:
		put_le32(out, 0);
		*out_len = 4;
		return 0;
	case 0x3:
		if (in_len < 4)
			return VIRTIO_SCMI_STATUS_PROTOCOL_ERROR;
		if (arg >= SCMI_MODEL_SENSORS)
			return VIRTIO_SCMI_STATUS_INVALID_PARAMETERS;
		n = SCMI_MODEL_SENSORS - arg;
		if (n > SCMI_DESCRIPTORS_PER_REPLY)
			n = SCMI_DESCRIPTORS_PER_REPLY;
		put_le32(out, n | (SCMI_MODEL_SENSORS - arg - n) << 16);
		for (i = 0; i < n; i++) {
			s = &m->sensors[arg + i];
			d = out + 4 + i * 28;
			put_le32(d, arg + i);
			put_le32(d + 4, 1u << 30 | (strlen(s->name) > 15 ? 1u << 29 : 0) |
				 (arg + i == SCMI_MODEL_ASYNC_SENSOR ? 1u << 31 : 0));
			put_le32(d + 8, ((uint32_t)s->exponent & 0x1f) << 11 | s->class);
			memset(d + 12, 0, 16);
			memcpy(d + 12, s->name, strlen(s->name) > 15 ? 15 : strlen(s->name));
		}
		*out_len = 4 + n * 28;
		return 0;
	case 0x6:
		if (in_len < 8)
			return VIRTIO_SCMI_STATUS_PROTOCOL_ERROR;
		if (arg >= SCMI_MODEL_SENSORS)
			return VIRTIO_SCMI_STATUS_NOT_FOUND;
		if (arg == SCMI_MODEL_ASYNC_SENSOR) {
			if (!(get_le32(in + 4) & 1))
				return VIRTIO_SCMI_STATUS_INVALID_PARAMETERS;
			return 0;	/* the reading comes in the delayed response */
		}
		put_reading(out, m->sensors[arg].value);
		*out_len = 16;
		return 0;
	case 0xb:
		if (in_len < 8)
			return VIRTIO_SCMI_STATUS_PROTOCOL_ERROR;
		if (arg >= SCMI_MODEL_SENSORS)
			return VIRTIO_SCMI_STATUS_NOT_FOUND;
		m->sensors[arg].notify = get_le32(in + 4) & 1;
		return 0;
	case 0xc:
		if (in_len < 4)
			return VIRTIO_SCMI_STATUS_PROTOCOL_ERROR;
		if (arg >= SCMI_MODEL_SENSORS)
			return VIRTIO_SCMI_STATUS_NOT_FOUND;
		put_le32(out, 0);
		memset(out + 4, 0, 64);
		memcpy(out + 4, m->sensors[arg].name, strlen(m->sensors[arg].name));
		*out_len = 68;
		return 0;
	}
	return VIRTIO_SCMI_STATUS_NOT_SUPPORTED;
}

/* The System Power protocol, under m->lock: it only tells of requests. */
static int32_t scmi_system(struct scmi_model *m, uint8_t msg_id, const uint8_t *in,
			   uint32_t in_len, uint8_t *out, uint32_t *out_len)
{
	switch (msg_id) {
	case 0x0:
		put_le32(out, SCMI_SYSTEM_VERSION);
		*out_len = 4;
		return 0;
	case 0x1:
		put_le32(out, 0);	/* neither warm reset nor suspend */
		*out_len = 4;
		return 0;
	case SCMI_SYSTEM_POWER_STATE_NOTIFY:
		if (in_len < 4)
			return VIRTIO_SCMI_STATUS_PROTOCOL_ERROR;
		m->power_notify = get_le32(in) & 1;
		return 0;
	}
	return VIRTIO_SCMI_STATUS_NOT_SUPPORTED;
}

static int32_t scmi_answer(struct scmi_model *m, const uint8_t *msg, uint32_t len,
			   uint8_t *out, uint32_t *out_len)
{
	uint32_t hdr = get_le32(msg);
	uint8_t protocol = (hdr & VIRTIO_SCMI_HDR_PROTOCOL_MASK) >> VIRTIO_SCMI_HDR_PROTOCOL_SHIFT;
	uint8_t msg_id = hdr & VIRTIO_SCMI_HDR_MSG_ID_MASK;

	*out_len = 0;
	if (protocol == SCMI_PROTO_BASE)
		return scmi_base(msg_id, msg + 4, len - 4, out, out_len);
	if (protocol == SCMI_PROTO_SENSOR)
		return scmi_sensor(m, msg_id, msg + 4, len - 4, out, out_len);
	if (protocol == SCMI_PROTO_SYSTEM)
		return scmi_system(m, msg_id, msg + 4, len - 4, out, out_len);
	return VIRTIO_SCMI_STATUS_NOT_SUPPORTED;
}

/* Build the response to msg (len bytes) in resp, as the lie says; its length. */
static uint32_t scmi_response(struct scmi_model *m, enum scmi_lie lie, const uint8_t *msg,
			      uint32_t len, uint8_t *resp)
{
	uint32_t hdr = get_le32(msg), payload_len;
	int32_t status;

	status = scmi_answer(m, msg, len, resp + 8, &payload_len);
	switch (lie) {
	case SCMI_LIE_WRONG_TOKEN:
		hdr ^= 1u << VIRTIO_SCMI_HDR_TOKEN_SHIFT;
		break;
	case SCMI_LIE_WRONG_PROTOCOL:
		hdr ^= 1u << VIRTIO_SCMI_HDR_PROTOCOL_SHIFT;
		break;
	case SCMI_LIE_WRONG_TYPE:
		hdr |= VIRTIO_SCMI_MSG_TYPE_NOTIFICATION << VIRTIO_SCMI_HDR_TYPE_SHIFT;
		break;
	case SCMI_LIE_ERROR_WITH_PAYLOAD:
		status = VIRTIO_SCMI_STATUS_GENERIC_ERROR;
		memset(resp + 8, 0xee, 8);
		payload_len = 8;
		break;
	default:
		break;
	}
	put_le32(resp, hdr);
	put_le32(resp + 4, status);
	if (lie == SCMI_LIE_SHORT)
		return 4;
	/* The specification: an error ends the response after the status. */
	if (status && lie != SCMI_LIE_ERROR_WITH_PAYLOAD)
		payload_len = 0;
	return 8 + payload_len;
}

/* READING_GET of the async sensor: its delayed response, under m->lock. */
static int scmi_delayed_reading(struct scmi_model *m, uint32_t hdr)
{
	uint8_t delayed[8 + 4 + 16];

	hdr &= ~VIRTIO_SCMI_HDR_TYPE_MASK;
	put_le32(delayed,
		 hdr | VIRTIO_SCMI_MSG_TYPE_DELAYED_RESPONSE << VIRTIO_SCMI_HDR_TYPE_SHIFT);
	put_le32(delayed + 4, 0);
	put_le32(delayed + 8, SCMI_MODEL_ASYNC_SENSOR);
	put_reading(delayed + 12, m->sensors[SCMI_MODEL_ASYNC_SENSOR].value);
	return vlab_pool_send(&m->lab, &m->event_bufs, delayed, sizeof(delayed), sizeof(delayed));
}

static bool scmi_is_async_reading(const uint8_t *msg, uint32_t len, const uint8_t *resp)
{
	return (get_le32(msg) & ~VIRTIO_SCMI_HDR_TOKEN_MASK) ==
		scmi_hdr(SCMI_PROTO_SENSOR, 0x6, 0, 0) && len >= 12 &&
	       get_le32(msg + 4) == SCMI_MODEL_ASYNC_SENSOR && get_le32(resp + 4) == 0;
}

static int scmi_command(struct scmi_model *m, const struct vlab_event *ev)
{
	uint8_t resp[8 + SCMI_MODEL_MAX_PAYLOAD];
	enum scmi_lie lie = SCMI_LIE_NONE;
	uint32_t len;
	int err;

	if (ev->out_len < 4 || ev->out_len > 4 + SCMI_MODEL_MAX_PAYLOAD)
		return vlab_complete(&m->lab, ev->queue, ev->id, NULL, 0, 0, 0);
	pthread_mutex_lock(&m->lock);
	if (m->lie_count) {
		lie = m->lie;
		m->lie_count--;
	}
	if (lie == SCMI_LIE_SILENT) {
		m->held = true;
		m->held_id = ev->id;
		memcpy(m->held_msg, ev->data, ev->out_len);
		m->held_len = ev->out_len;
		pthread_mutex_unlock(&m->lock);
		return 0;
	}
	m->commands++;
	len = scmi_response(m, lie, ev->data, ev->out_len, resp);
	err = vlab_complete(&m->lab, ev->queue, ev->id, resp, len,
			    lie == SCMI_LIE_LONG ? 4096 : len, 0);
	if (!err && scmi_is_async_reading(ev->data, ev->out_len, resp))
		err = scmi_delayed_reading(m, get_le32(ev->data));
	pthread_mutex_unlock(&m->lock);
	return err == -ENOSPC ? 0 : err;
}

int scmi_model_answer_held(struct scmi_model *m)
{
	uint8_t resp[8 + SCMI_MODEL_MAX_PAYLOAD];
	uint32_t len;
	int err;

	pthread_mutex_lock(&m->lock);
	if (!m->held) {
		pthread_mutex_unlock(&m->lock);
		return -ENOENT;
	}
	m->held = false;
	len = scmi_response(m, SCMI_LIE_NONE, m->held_msg, m->held_len, resp);
	err = vlab_complete(&m->lab, VIRTIO_SCMI_VQ_TX, m->held_id, resp, len, len, 0);
	pthread_mutex_unlock(&m->lock);
	return err;
}

bool scmi_model_held(struct scmi_model *m)
{
	bool held;

	pthread_mutex_lock(&m->lock);
	held = m->held;
	pthread_mutex_unlock(&m->lock);
	return held;
}

void scmi_model_lie(struct scmi_model *m, enum scmi_lie lie, unsigned int count)
{
	pthread_mutex_lock(&m->lock);
	m->lie = lie;
	m->lie_count = count;
	pthread_mutex_unlock(&m->lock);
}

unsigned int scmi_model_event_buffers(struct scmi_model *m)
{
	unsigned int n;

	pthread_mutex_lock(&m->lock);
	n = m->event_bufs.n;
	pthread_mutex_unlock(&m->lock);
	return n;
}

unsigned int scmi_model_commands(struct scmi_model *m)
{
	unsigned int n;

	pthread_mutex_lock(&m->lock);
	n = m->commands;
	pthread_mutex_unlock(&m->lock);
	return n;
}

int scmi_model_send_event(struct scmi_model *m, const void *msg, uint32_t len,
			  uint32_t used_len)
{
	int err;

	pthread_mutex_lock(&m->lock);
	err = vlab_pool_send(&m->lab, &m->event_bufs, msg, len, used_len);
	pthread_mutex_unlock(&m->lock);
	return err;
}

int scmi_model_set_sensor(struct scmi_model *m, unsigned int id, int64_t value)
{
	uint8_t note[8 + 16];
	int err = 0;

	if (id >= SCMI_MODEL_SENSORS)
		return -EINVAL;
	pthread_mutex_lock(&m->lock);
	m->sensors[id].value = value;
	if (m->sensors[id].notify) {
		put_le32(note, scmi_hdr(SCMI_PROTO_SENSOR, SCMI_SENSOR_UPDATE,
					VIRTIO_SCMI_MSG_TYPE_NOTIFICATION, 0));
		put_le32(note + 4, 1);	/* the agent: OSPM */
		put_le32(note + 8, id);
		put_reading(note + 12, value);
		err = vlab_pool_send(&m->lab, &m->event_bufs, note, sizeof(note), sizeof(note));
	}
	pthread_mutex_unlock(&m->lock);
	return err ? err : m->sensors[id].notify;
}

int scmi_model_request_power(struct scmi_model *m, uint32_t flags, uint32_t state,
			     uint32_t timeout_ms)
{
	uint8_t note[20];
	int err = 0;

	put_le32(note, scmi_hdr(SCMI_PROTO_SYSTEM, SCMI_SYSTEM_POWER_STATE_NOTIFIER,
				VIRTIO_SCMI_MSG_TYPE_NOTIFICATION, 0));
	put_le32(note + 4, 0);	/* the agent: the platform */
	put_le32(note + 8, flags);
	put_le32(note + 12, state);
	put_le32(note + 16, timeout_ms);
	pthread_mutex_lock(&m->lock);
	if (m->power_notify)
		err = vlab_pool_send(&m->lab, &m->event_bufs, note, sizeof(note), sizeof(note));
	pthread_mutex_unlock(&m->lock);
	return err ? err : m->power_notify;
}

int scmi_model_serve(struct scmi_model *m, int idle_ms)
{
	struct vlab_event *ev;
	unsigned int i;
	int err;

	for (;;) {
		ev = vlab_next(&m->lab, idle_ms);
		if (!ev)
			return errno == ENODEV ? 0 : -errno;
		err = 0;
		switch (ev->type) {
		case VLAB_EVENT_RESET:
			pthread_mutex_lock(&m->lock);
			vlab_pool_clear(&m->event_bufs);
			m->held = false;
			/* a reset platform forgets who asked to be told */
			m->power_notify = false;
			for (i = 0; i < SCMI_MODEL_SENSORS; i++)
				m->sensors[i].notify = false;
			pthread_mutex_unlock(&m->lock);
			break;
		case VLAB_EVENT_CHAIN:
			if (ev->queue == VIRTIO_SCMI_VQ_TX) {
				err = scmi_command(m, ev);
			} else {
				pthread_mutex_lock(&m->lock);
				vlab_pool_add(&m->event_bufs, ev->id);
				pthread_mutex_unlock(&m->lock);
			}
			break;
		case VLAB_EVENT_REMOVED:
			return 0;
		}
		if (err && err != -ESTALE)
			return err;
	}
}
