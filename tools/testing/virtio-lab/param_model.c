// SPDX-License-Identifier: GPL-2.0
/*
 * The lab's parameter server: a vehicle on the Vehicle HAL's property
 * model, as Documentation/virtio/virtio-param-spec.rst specifies the
 * device, and lies on request (param_model.h).
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

#include <linux/virtio_config.h>

#include "param_model.h"
#include "clock.h"

#define REQ_LEN		sizeof(struct virtio_param_req)
#define RESP_LEN	sizeof(struct virtio_param_resp)
#define VALUE_LEN	sizeof(struct virtio_param_value)
#define EVENT_LEN	sizeof(struct virtio_param_event)
#define RECORD_LEN	sizeof(struct virtio_param_prop_config)
#define AREA_LEN	sizeof(struct virtio_param_area_config)
#define MAX_CONFIG	(RECORD_LEN + PARAM_MODEL_MAX_AREAS * AREA_LEN + \
			 PARAM_MODEL_MAX_ENUMS * 8)

static uint32_t get_le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, v);
	put_le16(p + 2, v >> 16);
}

static void put_le64(uint8_t *p, uint64_t v)
{
	put_le32(p, v);
	put_le32(p + 4, v >> 32);
}

static uint64_t get_le64(const uint8_t *p)
{
	return get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

static uint32_t float_bits(float f)
{
	uint32_t bits;

	memcpy(&bits, &f, sizeof(bits));
	return bits;
}

static float bits_float(uint32_t bits)
{
	float f;

	memcpy(&f, &bits, sizeof(f));
	return f;
}

static uint32_t type_of(uint32_t prop)
{
	return prop & VIRTIO_PARAM_TYPE_MASK;
}

static bool is_float(uint32_t type)
{
	return type == VIRTIO_PARAM_TYPE_FLOAT || type == VIRTIO_PARAM_TYPE_FLOAT_VEC;
}

/* Bytes per element of a type; 0 for strings and bytes. */
static unsigned int elem_size(uint32_t type)
{
	switch (type) {
	case VIRTIO_PARAM_TYPE_INT64:
	case VIRTIO_PARAM_TYPE_INT64_VEC:
		return 8;
	case VIRTIO_PARAM_TYPE_STRING:
	case VIRTIO_PARAM_TYPE_BYTES:
		return 0;
	}
	return 4;
}

static bool is_vector(uint32_t type)
{
	return type == VIRTIO_PARAM_TYPE_INT32_VEC || type == VIRTIO_PARAM_TYPE_INT64_VEC ||
	       type == VIRTIO_PARAM_TYPE_FLOAT_VEC || type == VIRTIO_PARAM_TYPE_BYTES;
}

/* What the specification lets a value of this type be. */
static bool value_ok(uint32_t type, const uint8_t *data, uint32_t len)
{
	unsigned int elem = elem_size(type);

	if (len > PARAM_MODEL_MAX_VALUE)
		return false;
	if (type == VIRTIO_PARAM_TYPE_STRING)
		return len && !data[len - 1] && !memchr(data, 0, len - 1);
	if (type == VIRTIO_PARAM_TYPE_BOOLEAN)
		return len == 4 && get_le32(data) <= 1;
	if (!elem)
		return true;
	return is_vector(type) ? !(len % elem) : len == elem;
}

/* One property of the table below, before it is copied into the model. */
struct prop_def {
	uint32_t id;
	const char *name;
	uint8_t access, change_mode;
	uint32_t min_mhz, max_mhz;
	unsigned int n_areas;
	uint32_t areas[PARAM_MODEL_MAX_AREAS];
	double min, max;
	unsigned int n_enums;
	int64_t enums[PARAM_MODEL_MAX_ENUMS];
	const char *text;		/* STRING */
	double initial[4];		/* numbers, or a vector's elements */
	unsigned int n_initial;
};

#define R VIRTIO_PARAM_ACCESS_READ
#define W VIRTIO_PARAM_ACCESS_WRITE
#define RW VIRTIO_PARAM_ACCESS_READ_WRITE
#define STATIC VIRTIO_PARAM_CHANGE_MODE_STATIC
#define ON_CHANGE VIRTIO_PARAM_CHANGE_MODE_ON_CHANGE
#define CONTINUOUS VIRTIO_PARAM_CHANGE_MODE_CONTINUOUS
#define SEATS { PARAM_SEAT_ROW_1_LEFT, PARAM_SEAT_ROW_1_RIGHT, PARAM_SEAT_ROW_2_LEFT, \
		PARAM_SEAT_ROW_2_RIGHT }
#define WHEELS { PARAM_WHEEL_LEFT_FRONT, PARAM_WHEEL_RIGHT_FRONT, PARAM_WHEEL_RIGHT_REAR, \
		 PARAM_WHEEL_LEFT_REAR }

static const struct prop_def vehicle[PARAM_MODEL_PROPS] = {
	{ PARAM_INFO_VIN, "INFO_VIN", R, STATIC, 0, 0, 1, { 0 },
	  .text = "1HGCM82633A004352" },
	{ PARAM_INFO_MAKE, "INFO_MAKE", R, STATIC, 0, 0, 1, { 0 }, .text = "Lab Motors" },
	{ PARAM_INFO_MODEL_YEAR, "INFO_MODEL_YEAR", R, STATIC, 0, 0, 1, { 0 },
	  .initial = { 2026 }, .n_initial = 1 },
	{ PARAM_INFO_FUEL_CAPACITY, "INFO_FUEL_CAPACITY", R, STATIC, 0, 0, 1, { 0 },
	  .initial = { 52000.0 }, .n_initial = 1 },
	{ PARAM_INFO_FUEL_TYPE, "INFO_FUEL_TYPE", R, STATIC, 0, 0, 1, { 0 },
	  .initial = { 1, 2 }, .n_initial = 2 },
	{ PARAM_PERF_ODOMETER, "PERF_ODOMETER", R, CONTINUOUS, 1000, 10000, 1, { 0 },
	  .initial = { 12345.5 }, .n_initial = 1 },
	{ PARAM_PERF_VEHICLE_SPEED, "PERF_VEHICLE_SPEED", R, CONTINUOUS, 1000, 100000, 1,
	  { 0 }, .initial = { 27.5 }, .n_initial = 1 },
	{ PARAM_ENGINE_RPM, "ENGINE_RPM", R, CONTINUOUS, 1000, 50000, 1, { 0 },
	  .initial = { 2100 }, .n_initial = 1 },
	{ PARAM_FUEL_LEVEL, "FUEL_LEVEL", R, CONTINUOUS, 100, 1000, 1, { 0 },
	  .initial = { 31000.25 }, .n_initial = 1 },
	/* VehicleGear: NEUTRAL, REVERSE, PARK, DRIVE */
	{ PARAM_GEAR_SELECTION, "GEAR_SELECTION", R, ON_CHANGE, 0, 0, 1, { 0 },
	  .n_enums = 4, .enums = { 1, 2, 4, 8 }, .initial = { 4 }, .n_initial = 1 },
	{ PARAM_CURRENT_GEAR, "CURRENT_GEAR", R, ON_CHANGE, 0, 0, 1, { 0 },
	  .n_enums = 4, .enums = { 1, 2, 4, 8 }, .initial = { 4 }, .n_initial = 1 },
	{ PARAM_PARKING_BRAKE_ON, "PARKING_BRAKE_ON", R, ON_CHANGE, 0, 0, 1, { 0 },
	  .initial = { 1 }, .n_initial = 1 },
	/* becomes unavailable and comes back (param_model_set_status()) */
	{ PARAM_NIGHT_MODE, "NIGHT_MODE", R, ON_CHANGE, 0, 0, 1, { 0 },
	  .initial = { 0 }, .n_initial = 1 },
	{ PARAM_HVAC_FAN_SPEED, "HVAC_FAN_SPEED", RW, ON_CHANGE, 0, 0, 2,
	  { PARAM_SEAT_ROW_1_LEFT | PARAM_SEAT_ROW_1_RIGHT,
	    PARAM_SEAT_ROW_2_LEFT | PARAM_SEAT_ROW_2_RIGHT },
	  1, 6, .initial = { 3 }, .n_initial = 1 },
	{ PARAM_HVAC_TEMPERATURE_SET, "HVAC_TEMPERATURE_SET", RW, ON_CHANGE, 0, 0, 4, SEATS,
	  16.0, 28.0, .initial = { 21.5 }, .n_initial = 1 },
	{ PARAM_HVAC_POWER_ON, "HVAC_POWER_ON", RW, ON_CHANGE, 0, 0, 1,
	  { PARAM_SEAT_ROW_1_LEFT | PARAM_SEAT_ROW_1_RIGHT | PARAM_SEAT_ROW_2_LEFT |
	    PARAM_SEAT_ROW_2_RIGHT }, .initial = { 1 }, .n_initial = 1 },
	{ PARAM_SEAT_HEATER, "SEAT_HEATER", RW, ON_CHANGE, 0, 0, 2,
	  { PARAM_SEAT_ROW_1_LEFT, PARAM_SEAT_ROW_1_RIGHT }, 0, 3,
	  .initial = { 0 }, .n_initial = 1 },
	{ PARAM_DOOR_LOCK, "DOOR_LOCK", RW, ON_CHANGE, 0, 0, 2,
	  { PARAM_DOOR_ROW_1_LEFT, PARAM_DOOR_ROW_1_RIGHT }, .initial = { 1 }, .n_initial = 1 },
	{ PARAM_TIRE_PRESSURE, "TIRE_PRESSURE", R, CONTINUOUS, 1000, 10000, 4, WHEELS,
	  .initial = { 230.5 }, .n_initial = 1 },
	{ PARAM_VENDOR_BLOB, "VENDOR_BLOB", RW, ON_CHANGE, 0, 0, 1, { 0 },
	  .initial = { 0xde, 0xad, 0xbe, 0xef }, .n_initial = 4 },
	{ PARAM_VENDOR_TRIP_ID, "VENDOR_TRIP_ID", RW, ON_CHANGE, 0, 0, 1, { 0 },
	  .initial = { 1234567890123.0 }, .n_initial = 1 },
	{ PARAM_VENDOR_SERIALS, "VENDOR_SERIALS", R, STATIC, 0, 0, 1, { 0 },
	  .initial = { 1, -2, 3000000000.0 }, .n_initial = 3 },
	/* up to 10 kHz: the benchmark's */
	{ PARAM_VENDOR_ACCEL, "VENDOR_ACCEL", R, CONTINUOUS, 10000, 10000000, 1, { 0 },
	  .initial = { 0.5, -0.25, 9.75 }, .n_initial = 3 },
	/* write-only */
	{ PARAM_VENDOR_HORN, "VENDOR_HORN", W, ON_CHANGE, 0, 0, 1, { 0 }, 0, 5,
	  .initial = { 0 }, .n_initial = 1 },
};

/* A number of a property's type into data; its length. */
static uint32_t encode_number(uint32_t type, double v, uint8_t *data)
{
	if (is_float(type)) {
		put_le32(data, float_bits((float)v));
		return 4;
	}
	if (elem_size(type) == 8) {
		put_le64(data, (uint64_t)(int64_t)v);
		return 8;
	}
	if (type == VIRTIO_PARAM_TYPE_BYTES) {
		data[0] = (uint8_t)v;
		return 1;
	}
	put_le32(data, (uint32_t)(int32_t)v);
	return 4;
}

static void load_vehicle(struct param_model *m)
{
	unsigned int i, a, k;

	for (i = 0; i < PARAM_MODEL_PROPS; i++) {
		const struct prop_def *d = &vehicle[i];
		struct param_model_prop *p = &m->props[i];
		uint32_t type = type_of(d->id);

		p->id = d->id;
		p->name = d->name;
		p->access = d->access;
		p->change_mode = d->change_mode;
		p->min_mhz = d->min_mhz;
		p->max_mhz = d->max_mhz;
		p->n_areas = d->n_areas;
		p->n_enums = d->n_enums;
		memcpy(p->enums, d->enums, sizeof(p->enums));
		for (a = 0; a < d->n_areas; a++) {
			struct param_model_value *v = &p->values[a];

			v->area = d->areas[a];
			v->status = VIRTIO_PARAM_VALUE_STATUS_AVAILABLE;
			if (d->min || d->max) {
				uint8_t b[8];

				encode_number(type, d->min, b);
				p->min[a] = is_float(type) ? get_le32(b) : (int64_t)d->min;
				encode_number(type, d->max, b);
				p->max[a] = is_float(type) ? get_le32(b) : (int64_t)d->max;
			}
			if (d->text) {
				v->len = strlen(d->text) + 1;
				memcpy(v->data, d->text, v->len);
				continue;
			}
			for (k = 0; k < d->n_initial; k++)
				v->len += encode_number(type, d->initial[k], v->data + v->len);
		}
	}
}

int param_model_create(struct param_model *m)
{
	struct virtio_param_config config = {
		.num_properties = PARAM_MODEL_PROPS,
		.max_config_size = MAX_CONFIG,
		.max_value_size = PARAM_MODEL_MAX_VALUE,
		.max_areas = PARAM_MODEL_MAX_AREAS,
	};
	struct vlab_create create = {
		.device_id = VIRTIO_ID_PARAM_SERV,
		.features = 1ULL << VIRTIO_F_VERSION_1 | 1ULL << VIRTIO_PARAM_F_CHANGES_ONLY,
		.num_queues = 2,
		.config_size = sizeof(config),
		.config = (uintptr_t)&config,
		.queue_size = { PARAM_MODEL_QUEUE_SIZE, PARAM_MODEL_QUEUE_SIZE },
	};

	memset(m, 0, sizeof(*m));
	pthread_mutex_init(&m->lock, NULL);
	vlab_pool_init(&m->events, VIRTIO_PARAM_VQ_EVENT);
	load_vehicle(m);
	return vlab_start(&m->lab, &create);
}

void param_model_destroy(struct param_model *m)
{
	vlab_close(&m->lab);
	pthread_mutex_destroy(&m->lock);
}

static struct param_model_prop *find_prop(struct param_model *m, uint32_t id)
{
	unsigned int i;

	for (i = 0; i < PARAM_MODEL_PROPS; i++)
		if (m->props[i].id == id)
			return &m->props[i];
	return NULL;
}

static struct param_model_value *find_value(struct param_model_prop *p, uint32_t area)
{
	unsigned int a;

	for (a = 0; p && a < p->n_areas; a++)
		if (p->values[a].area == area)
			return &p->values[a];
	return NULL;
}

/* A value's head and data at out; its length. */
static uint32_t put_value(uint8_t *out, uint32_t prop, const struct param_model_value *v,
			  uint32_t status)
{
	uint32_t len = status == VIRTIO_PARAM_VALUE_STATUS_AVAILABLE ? v->len : 0;

	put_le32(out, prop);
	put_le32(out + 4, v->area);
	put_le64(out + 8, now_ns());
	put_le32(out + 16, status);
	put_le32(out + 20, len);
	memcpy(out + VALUE_LEN, v->data, len);
	return VALUE_LEN + len;
}

/* Send an event in the oldest buffer, under m->lock; -ENOSPC without one. */
static int send_event_locked(struct param_model *m, const void *ev, uint32_t len,
			     uint32_t used_len)
{
	int err = vlab_pool_send(&m->lab, &m->events, ev, len, used_len);

	if (!err)
		m->events_sent++;
	else if (err == -ENOSPC)
		m->events_dropped++;
	return err;
}

/* A property event of one area, under m->lock. */
static int send_value_event(struct param_model *m, struct param_model_prop *p,
			    struct param_model_value *v)
{
	uint8_t ev[EVENT_LEN + VALUE_LEN + PARAM_MODEL_MAX_VALUE];
	uint32_t len;

	memset(ev, 0, EVENT_LEN);
	put_le16(ev, VIRTIO_PARAM_EVENT_PROPERTY);
	len = EVENT_LEN + put_value(ev + EVENT_LEN, p->id, v, v->status);
	if (m->lie_count && m->lie == PARAM_LIE_WRONG_LEN &&
	    v->status == VIRTIO_PARAM_VALUE_STATUS_AVAILABLE) {
		m->lie_count--;
		put_le32(ev + EVENT_LEN + 20, v->len + 4);
		memset(ev + len, 0, 4);
		len += 4;
	}
	v->last_len = v->len;
	memcpy(v->last, v->data, v->len);
	return send_event_locked(m, ev, len, len);
}

static int send_set_error(struct param_model *m, struct param_model_prop *p,
			  struct param_model_value *v, uint32_t error)
{
	uint8_t ev[EVENT_LEN + VALUE_LEN];

	memset(ev, 0, EVENT_LEN);
	put_le16(ev, VIRTIO_PARAM_EVENT_SET_ERROR);
	put_le32(ev + 4, error);
	put_value(ev + EVENT_LEN, p->id, v, VIRTIO_PARAM_VALUE_STATUS_ERROR);
	return send_event_locked(m, ev, sizeof(ev), sizeof(ev));
}

/* A configuration record at out, room bytes; its length, 0 if it does not fit. */
static uint32_t put_record(const struct param_model_prop *p, uint8_t *out, uint32_t room,
			   bool lie)
{
	uint32_t size = RECORD_LEN + p->n_areas * AREA_LEN + p->n_enums * 8, a;
	uint8_t *area;

	if (size > room)
		return 0;
	memset(out, 0, size);
	put_le32(out, p->id);
	put_le16(out + 4, size + (lie ? 8 : 0));
	out[6] = p->access;
	out[7] = p->change_mode;
	put_le32(out + 8, p->min_mhz);
	put_le32(out + 12, p->max_mhz);
	put_le16(out + 16, p->n_areas);
	put_le16(out + 18, p->n_enums);
	memcpy(out + 24, p->name, strlen(p->name));
	for (a = 0; a < p->n_areas; a++) {
		area = out + RECORD_LEN + a * AREA_LEN;
		put_le32(area, p->values[a].area);
		put_le64(area + 8, p->min[a]);
		put_le64(area + 16, p->max[a]);
	}
	for (a = 0; a < p->n_enums; a++)
		put_le64(out + RECORD_LEN + p->n_areas * AREA_LEN + a * 8, p->enums[a]);
	return size;
}

static uint32_t get_configs(struct param_model *m, enum param_lie lie, uint32_t index,
			    uint8_t *out, uint32_t room, uint32_t *status)
{
	uint32_t off = 8, n = 0, len;

	if (index >= PARAM_MODEL_PROPS || room < 8) {
		*status = VIRTIO_PARAM_S_INVALID_ARG;
		return 0;
	}
	while (index + n < PARAM_MODEL_PROPS) {
		len = put_record(&m->props[index + n], out + off, room - off,
				 lie == PARAM_LIE_RECORD_SIZE);
		if (!len)
			break;
		off += len;
		n++;
	}
	if (!n) {
		*status = VIRTIO_PARAM_S_INVALID_ARG;
		return 0;
	}
	put_le32(out, n);
	put_le32(out + 4, lie == PARAM_LIE_PAGES_LOOP ? index : index + n);
	return off;
}

/* Whether an area takes a value: its range and the enumerated values. */
static uint32_t check_range(const struct param_model_prop *p, unsigned int a,
			    const uint8_t *data, uint32_t len)
{
	uint32_t type = type_of(p->id), elem = elem_size(type), i, k;
	int64_t v;

	if (!elem || type == VIRTIO_PARAM_TYPE_BYTES)
		return VIRTIO_PARAM_S_OK;
	for (i = 0; i < len; i += elem) {
		if (is_float(type)) {
			float f = bits_float(get_le32(data + i));

			if ((p->min[a] || p->max[a]) &&
			    !(f >= bits_float(p->min[a]) && f <= bits_float(p->max[a])))
				return VIRTIO_PARAM_S_INVALID_ARG;
			continue;
		}
		v = elem == 8 ? (int64_t)get_le64(data + i) : (int32_t)get_le32(data + i);
		if ((p->min[a] || p->max[a]) && (v < p->min[a] || v > p->max[a]))
			return VIRTIO_PARAM_S_INVALID_ARG;
		for (k = 0; k < p->n_enums && p->enums[k] != v; k++)
			;
		if (p->n_enums && k == p->n_enums)
			return VIRTIO_PARAM_S_INVALID_ARG;
	}
	return VIRTIO_PARAM_S_OK;
}

/* SET, under m->lock: the status; the value and its events follow. */
static uint32_t do_set(struct param_model *m, struct param_model_prop *p, uint32_t area,
		       const uint8_t *data, uint32_t len, bool *refuse_later)
{
	struct param_model_value *v = find_value(p, area);
	uint32_t status;

	if (!v)
		return VIRTIO_PARAM_S_INVALID_ARG;
	if (!(p->access & VIRTIO_PARAM_ACCESS_WRITE))
		return VIRTIO_PARAM_S_ACCESS_DENIED;
	if (!value_ok(type_of(p->id), data, len))
		return VIRTIO_PARAM_S_INVALID_ARG;
	status = check_range(p, v - p->values, data, len);
	if (status)
		return status;
	if (v->status != VIRTIO_PARAM_VALUE_STATUS_AVAILABLE)
		return VIRTIO_PARAM_S_NOT_AVAILABLE;
	if (p->id == PARAM_SEAT_HEATER && get_le32(data) == PARAM_MODEL_REFUSED_LEVEL) {
		*refuse_later = true;
		return VIRTIO_PARAM_S_OK;
	}
	v->len = len;
	memcpy(v->data, data, len);
	return VIRTIO_PARAM_S_OK;
}

static uint32_t do_subscribe(struct param_model *m, struct param_model_prop *p,
			     const uint8_t *data, uint32_t len)
{
	uint32_t rate, flags, n_areas;

	if (len < 8)
		return VIRTIO_PARAM_S_INVALID_ARG;
	rate = get_le32(data);
	flags = data[4] | data[5] << 8;
	n_areas = data[6] | data[7] << 8;
	if (len != 8 + 4 * n_areas || (flags & ~VIRTIO_PARAM_SUBSCRIBE_CHANGES_ONLY) ||
	    p->change_mode == VIRTIO_PARAM_CHANGE_MODE_STATIC)
		return VIRTIO_PARAM_S_INVALID_ARG;
	if (!(p->access & VIRTIO_PARAM_ACCESS_READ))
		return VIRTIO_PARAM_S_ACCESS_DENIED;
	if (p->change_mode == VIRTIO_PARAM_CHANGE_MODE_CONTINUOUS) {
		if (!rate)
			return VIRTIO_PARAM_S_INVALID_ARG;
		p->rate_mhz = rate < p->min_mhz ? p->min_mhz :
			      rate > p->max_mhz ? p->max_mhz : rate;
		p->next_us = now_us();
	} else if (rate) {
		return VIRTIO_PARAM_S_INVALID_ARG;
	}
	p->changes_only = flags & VIRTIO_PARAM_SUBSCRIBE_CHANGES_ONLY;
	p->subscribed = true;
	return VIRTIO_PARAM_S_OK;
}

/* One request, under m->lock: the response at out, its length. */
static uint32_t answer(struct param_model *m, enum param_lie lie, const uint8_t *req,
		       uint32_t len, uint8_t *out, uint32_t room, bool *events_after,
		       bool *refused, struct param_model_prop **prop,
		       struct param_model_value **value)
{
	uint16_t type = req[0] | req[1] << 8;
	uint32_t id = get_le32(req + 4), area = get_le32(req + 8), arg = get_le32(req + 12);
	struct param_model_prop *p = find_prop(m, id);
	struct param_model_value *v = find_value(p, area);
	uint32_t status = VIRTIO_PARAM_S_OK, plen = 0;

	*prop = p;
	*value = v;
	switch (type) {
	case VIRTIO_PARAM_REQ_GET_CONFIGS:
		plen = get_configs(m, lie, arg, out + RESP_LEN, room - RESP_LEN, &status);
		break;
	case VIRTIO_PARAM_REQ_GET:
		if (!v)
			status = VIRTIO_PARAM_S_INVALID_ARG;
		else if (!(p->access & VIRTIO_PARAM_ACCESS_READ))
			status = VIRTIO_PARAM_S_ACCESS_DENIED;
		else if (room < RESP_LEN + VALUE_LEN + v->len)
			status = VIRTIO_PARAM_S_INVALID_ARG;
		else
			plen = put_value(out + RESP_LEN, id, v, v->status);
		if (!status && lie == PARAM_LIE_OTHER_AREA)
			put_le32(out + RESP_LEN + 4, area ^ 0x80);
		if (!status && lie == PARAM_LIE_WRONG_LEN && v->len) {
			put_le32(out + RESP_LEN + 20, v->len + 4);
			memset(out + RESP_LEN + plen, 0, 4);
			plen += 4;
		}
		if (!status && lie == PARAM_LIE_UNTERMINATED && v->len)
			out[RESP_LEN + plen - 1] = 'X';
		break;
	case VIRTIO_PARAM_REQ_SET:
		if (!p || len != REQ_LEN + arg)
			status = VIRTIO_PARAM_S_INVALID_ARG;
		else
			status = do_set(m, p, area, req + REQ_LEN, arg, refused);
		*events_after = !status;
		break;
	case VIRTIO_PARAM_REQ_SUBSCRIBE:
		status = p ? do_subscribe(m, p, req + REQ_LEN, len - REQ_LEN) :
			     VIRTIO_PARAM_S_INVALID_ARG;
		*events_after = !status && p->change_mode == VIRTIO_PARAM_CHANGE_MODE_ON_CHANGE;
		break;
	case VIRTIO_PARAM_REQ_UNSUBSCRIBE:
		if (p)
			p->subscribed = false;
		else
			status = VIRTIO_PARAM_S_INVALID_ARG;
		break;
	default:
		status = VIRTIO_PARAM_S_INVALID_ARG;
	}
	put_le32(out, status);
	if (status)
		plen = 0;
	put_le32(out + 4, plen);
	return RESP_LEN + plen;
}

/* The events a request sets off, under m->lock, once it is answered. */
static void events_after(struct param_model *m, uint16_t type, struct param_model_prop *p,
			 struct param_model_value *v, bool refused)
{
	unsigned int a;

	if (type == VIRTIO_PARAM_REQ_SET && refused) {
		send_set_error(m, p, v, PARAM_MODEL_REFUSAL);
		return;
	}
	if (type == VIRTIO_PARAM_REQ_SET) {
		if (p->subscribed && p->change_mode == VIRTIO_PARAM_CHANGE_MODE_ON_CHANGE)
			send_value_event(m, p, v);
		return;
	}
	/* SUBSCRIBE of an ON_CHANGE property: each area's value, once */
	for (a = 0; a < p->n_areas; a++)
		send_value_event(m, p, &p->values[a]);
}

static int request(struct param_model *m, const struct vlab_event *ev)
{
	uint8_t out[RESP_LEN + 8 + 4096];
	struct param_model_prop *p;
	struct param_model_value *v;
	enum param_lie lie = PARAM_LIE_NONE;
	uint32_t room = ev->in_len < sizeof(out) ? ev->in_len : sizeof(out), len, used;
	bool after = false, refused = false;
	uint16_t type;
	int err;

	if (ev->out_len < REQ_LEN || ev->in_len < RESP_LEN)
		return vlab_complete(&m->lab, ev->queue, ev->id, NULL, 0, 0, 0);
	type = ev->data[0] | ev->data[1] << 8;
	pthread_mutex_lock(&m->lock);
	if (m->lie_count && m->lie != PARAM_LIE_WRONG_LEN) {
		lie = m->lie;
		m->lie_count--;
	} else if (m->lie_count && type == VIRTIO_PARAM_REQ_GET) {
		lie = m->lie;
		m->lie_count--;
	}
	if (lie == PARAM_LIE_SILENT) {
		if (m->n_held < PARAM_MODEL_QUEUE_SIZE)
			m->held_ids[m->n_held++] = ev->id;
		pthread_mutex_unlock(&m->lock);
		return 0;
	}
	m->requests++;
	len = answer(m, lie, ev->data, ev->out_len, out, room, &after, &refused, &p, &v);
	used = lie == PARAM_LIE_LONG_VALUE ? len + 64 : len;
	if (lie == PARAM_LIE_LONG_VALUE && len > RESP_LEN)
		put_le32(out + 4, len - RESP_LEN + 64);
	err = vlab_complete(&m->lab, ev->queue, ev->id, out, len, used, 0);
	if (!err && after)
		events_after(m, type, p, v, refused);
	pthread_mutex_unlock(&m->lock);
	return err;
}

int param_model_answer_held(struct param_model *m)
{
	uint8_t out[RESP_LEN];
	unsigned int i, n;

	pthread_mutex_lock(&m->lock);
	put_le32(out, VIRTIO_PARAM_S_TRY_AGAIN);
	put_le32(out + 4, 0);
	for (i = 0; i < m->n_held; i++)
		vlab_complete(&m->lab, VIRTIO_PARAM_VQ_REQUEST, m->held_ids[i], out, sizeof(out),
			      sizeof(out), 0);
	n = m->n_held;
	m->n_held = 0;
	pthread_mutex_unlock(&m->lock);
	return n;
}

/* The samples of CONTINUOUS subscriptions that are due; ms until the next. */
static int tick(struct param_model *m)
{
	long long now = now_us(), next = -1, period;
	unsigned int i, a;

	pthread_mutex_lock(&m->lock);
	for (i = 0; i < PARAM_MODEL_PROPS; i++) {
		struct param_model_prop *p = &m->props[i];

		if (!p->subscribed || p->change_mode != VIRTIO_PARAM_CHANGE_MODE_CONTINUOUS)
			continue;
		period = 1000000000LL / p->rate_mhz;
		if (p->next_us <= now) {
			for (a = 0; a < p->n_areas; a++) {
				struct param_model_value *v = &p->values[a];

				if (v->status != VIRTIO_PARAM_VALUE_STATUS_AVAILABLE)
					continue;
				if (p->changes_only && v->last_len == v->len &&
				    !memcmp(v->last, v->data, v->len))
					continue;
				send_value_event(m, p, v);
			}
			p->next_us += period;
			if (p->next_us <= now)
				p->next_us = now + period;
		}
		if (next < 0 || p->next_us < next)
			next = p->next_us;
	}
	pthread_mutex_unlock(&m->lock);
	return next < 0 ? -1 : (int)((next - now + 999) / 1000);
}

int param_model_serve(struct param_model *m, int idle_ms)
{
	struct vlab_event *ev;
	unsigned int i;
	int err, wait;

	for (;;) {
		wait = tick(m);
		if (wait < 0 || (idle_ms >= 0 && wait > idle_ms))
			wait = idle_ms;
		ev = vlab_next(&m->lab, wait);
		if (!ev) {
			if (errno == ETIMEDOUT && wait != idle_ms)
				continue;
			return errno == ENODEV ? 0 : -errno;
		}
		err = 0;
		switch (ev->type) {
		case VLAB_EVENT_RESET:
			/* a reset ends subscriptions and drops what was pending */
			pthread_mutex_lock(&m->lock);
			vlab_pool_clear(&m->events);
			m->n_held = 0;
			for (i = 0; i < PARAM_MODEL_PROPS; i++)
				m->props[i].subscribed = false;
			pthread_mutex_unlock(&m->lock);
			break;
		case VLAB_EVENT_CHAIN:
			if (ev->queue == VIRTIO_PARAM_VQ_REQUEST) {
				err = request(m, ev);
			} else {
				pthread_mutex_lock(&m->lock);
				vlab_pool_add(&m->events, ev->id);
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

void param_model_lie(struct param_model *m, enum param_lie lie, unsigned int count)
{
	pthread_mutex_lock(&m->lock);
	m->lie = lie;
	m->lie_count = count;
	pthread_mutex_unlock(&m->lock);
}

int param_model_set(struct param_model *m, uint32_t prop, uint32_t area, const void *data,
		    uint32_t len)
{
	struct param_model_prop *p;
	struct param_model_value *v;

	if (len > PARAM_MODEL_MAX_VALUE)
		return -EINVAL;
	pthread_mutex_lock(&m->lock);
	p = find_prop(m, prop);
	v = find_value(p, area);
	if (!v) {
		pthread_mutex_unlock(&m->lock);
		return -ENOENT;
	}
	v->len = len;
	memcpy(v->data, data, len);
	if (p->subscribed && p->change_mode == VIRTIO_PARAM_CHANGE_MODE_ON_CHANGE &&
	    v->status == VIRTIO_PARAM_VALUE_STATUS_AVAILABLE)
		send_value_event(m, p, v);
	pthread_mutex_unlock(&m->lock);
	return 0;
}

int param_model_set_int32(struct param_model *m, uint32_t prop, uint32_t area, int32_t v)
{
	uint8_t data[4];

	put_le32(data, (uint32_t)v);
	return param_model_set(m, prop, area, data, sizeof(data));
}

int param_model_set_float(struct param_model *m, uint32_t prop, uint32_t area, float v)
{
	uint8_t data[4];

	put_le32(data, float_bits(v));
	return param_model_set(m, prop, area, data, sizeof(data));
}

int param_model_set_status(struct param_model *m, uint32_t prop, uint32_t area,
			   uint32_t status)
{
	struct param_model_prop *p;
	struct param_model_value *v;

	pthread_mutex_lock(&m->lock);
	p = find_prop(m, prop);
	v = find_value(p, area);
	if (!v) {
		pthread_mutex_unlock(&m->lock);
		return -ENOENT;
	}
	if (v->status != status) {
		v->status = status;
		if (p->subscribed)
			send_value_event(m, p, v);
	}
	pthread_mutex_unlock(&m->lock);
	return 0;
}

int param_model_get(struct param_model *m, uint32_t prop, uint32_t area, void *data)
{
	struct param_model_value *v;
	int len;

	pthread_mutex_lock(&m->lock);
	v = find_value(find_prop(m, prop), area);
	len = v ? (int)v->len : -ENOENT;
	if (v)
		memcpy(data, v->data, v->len);
	pthread_mutex_unlock(&m->lock);
	return len;
}

int param_model_send_event(struct param_model *m, const void *ev, uint32_t len,
			   uint32_t used_len)
{
	int err;

	pthread_mutex_lock(&m->lock);
	err = send_event_locked(m, ev, len, used_len);
	pthread_mutex_unlock(&m->lock);
	return err;
}

bool param_model_subscribed(struct param_model *m, uint32_t prop, uint32_t *rate_mhz)
{
	struct param_model_prop *p;
	bool subscribed;

	pthread_mutex_lock(&m->lock);
	p = find_prop(m, prop);
	subscribed = p && p->subscribed;
	if (subscribed && rate_mhz)
		*rate_mhz = p->rate_mhz;
	pthread_mutex_unlock(&m->lock);
	return subscribed;
}

unsigned int param_model_event_buffers(struct param_model *m)
{
	unsigned int n;

	pthread_mutex_lock(&m->lock);
	n = m->events.n;
	pthread_mutex_unlock(&m->lock);
	return n;
}

unsigned int param_model_requests(struct param_model *m)
{
	unsigned int n;

	pthread_mutex_lock(&m->lock);
	n = m->requests;
	pthread_mutex_unlock(&m->lock);
	return n;
}

unsigned int param_model_events_sent(struct param_model *m)
{
	unsigned int n;

	pthread_mutex_lock(&m->lock);
	n = m->events_sent;
	pthread_mutex_unlock(&m->lock);
	return n;
}
