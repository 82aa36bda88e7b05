/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A parameter server (virtio device 38) played in the lab: a vehicle of
 * PARAM_MODEL_PROPS properties on the Vehicle HAL's model, of every type
 * and change mode (Documentation/virtio/virtio-param-spec.rst), and lies
 * on request. Serve it from a thread (param_model_serve()); the other
 * calls may come from any thread.
 */
#ifndef PARAM_MODEL_H
#define PARAM_MODEL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "libvlab.h"
#include "linux/virtio_extra/virtio_param.h"

#define PARAM_MODEL_QUEUE_SIZE	64
#define PARAM_MODEL_PROPS	24
#define PARAM_MODEL_MAX_AREAS	4
#define PARAM_MODEL_MAX_VALUE	256
#define PARAM_MODEL_MAX_ENUMS	8

/* Property IDs of the model: the Vehicle HAL's where it has them. */
#define PARAM_INFO_VIN			0x11100100
#define PARAM_INFO_MAKE			0x11100101
#define PARAM_INFO_MODEL_YEAR		0x11400103
#define PARAM_INFO_FUEL_CAPACITY	0x11600104
#define PARAM_INFO_FUEL_TYPE		0x11410105
#define PARAM_PERF_ODOMETER		0x11600204
#define PARAM_PERF_VEHICLE_SPEED	0x11600207
#define PARAM_ENGINE_RPM		0x11600305
#define PARAM_FUEL_LEVEL		0x11600307
#define PARAM_GEAR_SELECTION		0x11400400
#define PARAM_CURRENT_GEAR		0x11400401
#define PARAM_PARKING_BRAKE_ON		0x11200402
#define PARAM_NIGHT_MODE		0x11200407
#define PARAM_HVAC_FAN_SPEED		0x15400500
#define PARAM_HVAC_TEMPERATURE_SET	0x15600503
#define PARAM_HVAC_POWER_ON		0x15200510
#define PARAM_SEAT_HEATER		0x1540050b
#define PARAM_DOOR_LOCK			0x16200b02
#define PARAM_TIRE_PRESSURE		0x17600309
#define PARAM_VENDOR_BLOB		0x21700100
#define PARAM_VENDOR_TRIP_ID		0x21500101
#define PARAM_VENDOR_SERIALS		0x21510102
#define PARAM_VENDOR_ACCEL		0x21610103
#define PARAM_VENDOR_HORN		0x21400104

/* Areas the model uses. */
#define PARAM_SEAT_ROW_1_LEFT	0x1
#define PARAM_SEAT_ROW_1_RIGHT	0x4
#define PARAM_SEAT_ROW_2_LEFT	0x10
#define PARAM_SEAT_ROW_2_RIGHT	0x40
#define PARAM_WHEEL_LEFT_FRONT	0x1
#define PARAM_WHEEL_RIGHT_FRONT	0x2
#define PARAM_WHEEL_RIGHT_REAR	0x4
#define PARAM_WHEEL_LEFT_REAR	0x8
#define PARAM_DOOR_ROW_1_LEFT	0x1
#define PARAM_DOOR_ROW_1_RIGHT	0x4

/*
 * SEAT_HEATER refuses level 3 after it accepted it, with a SET_ERROR event
 * of this status.
 */
#define PARAM_MODEL_REFUSED_LEVEL	3
#define PARAM_MODEL_REFUSAL		VIRTIO_PARAM_S_NOT_AVAILABLE_SAFETY

/**
 * struct param_model_value - the value of one area
 * @area: its area ID.
 * @status: VIRTIO_PARAM_VALUE_STATUS_*.
 * @len: bytes of @data.
 * @data: the value, as its type encodes it.
 * @last_len: the last sample sent (changes-only subscriptions).
 * @last: its data.
 */
struct param_model_value {
	uint32_t area;
	uint32_t status;
	uint32_t len;
	uint8_t data[PARAM_MODEL_MAX_VALUE];
	uint32_t last_len;
	uint8_t last[PARAM_MODEL_MAX_VALUE];
};

/**
 * struct param_model_prop - one property of the vehicle
 * @id: its ID.
 * @name: its name.
 * @access: VIRTIO_PARAM_ACCESS_*.
 * @change_mode: VIRTIO_PARAM_CHANGE_MODE_*.
 * @min_mhz: CONTINUOUS: its slowest rate.
 * @max_mhz: CONTINUOUS: its fastest.
 * @n_areas: how many areas.
 * @min: each area's range, as the area configuration encodes it.
 * @max: ditto.
 * @n_enums: how many values it takes; 0 for any.
 * @enums: those.
 * @values: each area's value.
 * @subscribed: the driver subscribed to it.
 * @rate_mhz: CONTINUOUS: at this rate.
 * @changes_only: with VIRTIO_PARAM_SUBSCRIBE_CHANGES_ONLY.
 * @next_us: CONTINUOUS: when the next samples go (CLOCK_MONOTONIC, µs).
 */
struct param_model_prop {
	uint32_t id;
	const char *name;
	uint8_t access;
	uint8_t change_mode;
	uint32_t min_mhz;
	uint32_t max_mhz;
	unsigned int n_areas;
	int64_t min[PARAM_MODEL_MAX_AREAS];
	int64_t max[PARAM_MODEL_MAX_AREAS];
	unsigned int n_enums;
	int64_t enums[PARAM_MODEL_MAX_ENUMS];
	struct param_model_value values[PARAM_MODEL_MAX_AREAS];
	bool subscribed;
	uint32_t rate_mhz;
	bool changes_only;
	long long next_us;
};

/* Lies, told in the next responses or events (param_model_lie()). */
enum param_lie {
	PARAM_LIE_NONE,
	PARAM_LIE_WRONG_LEN,		/* a GET value 4 bytes longer than its type */
	PARAM_LIE_LONG_VALUE,		/* a value's len past what was written */
	PARAM_LIE_UNTERMINATED,		/* a string's NUL replaced */
	PARAM_LIE_OTHER_AREA,		/* a GET answered with another area */
	PARAM_LIE_PAGES_LOOP,		/* GET_CONFIGS answers next = arg */
	PARAM_LIE_RECORD_SIZE,		/* a configuration record's size off by 8 */
	PARAM_LIE_SILENT,		/* requests held unanswered */
};

struct param_model {
	struct vlab lab;
	pthread_mutex_t lock;		/* what follows */
	enum param_lie lie;
	unsigned int lie_count;		/* answers the lie holds for */
	struct vlab_pool events;
	unsigned int requests;		/* answered */
	unsigned int events_sent;
	unsigned int events_dropped;	/* no buffer */
	uint32_t held_ids[PARAM_MODEL_QUEUE_SIZE];	/* PARAM_LIE_SILENT */
	unsigned int n_held;
	struct param_model_prop props[PARAM_MODEL_PROPS];
};

int param_model_create(struct param_model *m);
void param_model_destroy(struct param_model *m);
/* Until the device is removed, or idle_ms pass without an event (-1: never). */
int param_model_serve(struct param_model *m, int idle_ms);
void param_model_lie(struct param_model *m, enum param_lie lie, unsigned int count);
/* Set an area's value (as its type encodes it), with its event. */
int param_model_set(struct param_model *m, uint32_t prop, uint32_t area, const void *data,
		    uint32_t len);
int param_model_set_int32(struct param_model *m, uint32_t prop, uint32_t area, int32_t v);
int param_model_set_float(struct param_model *m, uint32_t prop, uint32_t area, float v);
/* Make an area available again or not (VIRTIO_PARAM_VALUE_STATUS_*), with its event. */
int param_model_set_status(struct param_model *m, uint32_t prop, uint32_t area,
			   uint32_t status);
/* An area's value now; its length, or -ENOENT. */
int param_model_get(struct param_model *m, uint32_t prop, uint32_t area, void *data);
/* Send len bytes in the oldest event buffer, telling the driver used_len. */
int param_model_send_event(struct param_model *m, const void *ev, uint32_t len,
			   uint32_t used_len);
/* Whether the driver subscribed to prop, and at which rate (mHz). */
bool param_model_subscribed(struct param_model *m, uint32_t prop, uint32_t *rate_mhz);
unsigned int param_model_event_buffers(struct param_model *m);
unsigned int param_model_requests(struct param_model *m);
unsigned int param_model_events_sent(struct param_model *m);
/* Answer the requests PARAM_LIE_SILENT held; how many. */
int param_model_answer_held(struct param_model *m);

#endif /* PARAM_MODEL_H */
