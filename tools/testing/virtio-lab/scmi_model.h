/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An SCMI platform (virtio device 32) played in the lab: the Base protocol
 * 2.1, the Sensor protocol 3.1 (SCMI_MODEL_SENSORS sensors), the System
 * Power protocol 2.1 (its requests, on demand), and lies on request. Serve
 * it from a thread (scmi_model_serve()); the other calls may come from any
 * thread.
 */
#ifndef SCMI_MODEL_H
#define SCMI_MODEL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "libvlab.h"
#include "linux/virtio_extra/virtio_scmi.h"

#define SCMI_MODEL_QUEUE_SIZE	32
#define SCMI_MODEL_MAX_PAYLOAD	128
#define SCMI_MODEL_VENDOR	"virtio-extra"
#define SCMI_MODEL_SUB_VENDOR	"lab"
#define SCMI_MODEL_IMPL_VERSION	0x00010002
#define SCMI_MODEL_BASE_VERSION	0x00020001
#define SCMI_PROTO_BASE		0x10
#define SCMI_PROTO_SYSTEM	0x12
#define SCMI_PROTO_SENSOR	0x15
#define SCMI_SENSOR_VERSION	0x00030001
#define SCMI_MODEL_SENSORS	7
/* The sensor READING_GET answers with a delayed response. */
#define SCMI_MODEL_ASYNC_SENSOR	5
/*
 * Sensor notifications: a trip point the agent never asks for, which the
 * tests send as a notification it only passes on; an update.
 */
#define SCMI_SENSOR_TRIP_POINT_EVENT 0x0
#define SCMI_SENSOR_UPDATE	0x1
#define SCMI_SYSTEM_VERSION	0x00020001
#define SCMI_SYSTEM_POWER_STATE_NOTIFY	0x5
#define SCMI_SYSTEM_POWER_STATE_NOTIFIER 0x0
#define SCMI_SYSTEM_GRACEFUL	1u
enum scmi_system_state {
	SCMI_SYSTEM_SHUTDOWN,
	SCMI_SYSTEM_COLD_RESET,
	SCMI_SYSTEM_WARM_RESET,
	SCMI_SYSTEM_POWER_UP,
	SCMI_SYSTEM_SUSPEND,
};

/**
 * struct scmi_model_sensor - one sensor of the platform
 * @name: its name; over 15 characters, the long name (NAME_GET).
 * @class: its SCMI sensor class (2 temperature, 5 voltage, ...).
 * @exponent: its unit's power of ten.
 * @value: its reading.
 * @notify: the agent asked for update notifications.
 */
struct scmi_model_sensor {
	const char *name;
	uint8_t class;
	int8_t exponent;
	int64_t value;
	bool notify;
};

/* Lies, told in the next response (scmi_model_lie()). */
enum scmi_lie {
	SCMI_LIE_NONE,
	SCMI_LIE_WRONG_TOKEN,		/* the header's token, plus one */
	SCMI_LIE_WRONG_PROTOCOL,	/* another protocol in the header */
	SCMI_LIE_WRONG_TYPE,		/* a notification's type */
	SCMI_LIE_SHORT,			/* the header alone */
	SCMI_LIE_LONG,			/* used_len past the buffer's end */
	SCMI_LIE_ERROR_WITH_PAYLOAD,	/* GENERIC_ERROR, then 8 bytes */
	SCMI_LIE_SILENT,		/* held unanswered until scmi_model_answer_held() */
};

struct scmi_model {
	struct vlab lab;
	pthread_mutex_t lock;		/* what follows */
	bool events;			/* VIRTIO_SCMI_F_P2A_CHANNELS offered */
	enum scmi_lie lie;
	unsigned int lie_count;		/* responses the lie holds for */
	uint32_t held_id;		/* a command held (SCMI_LIE_SILENT) */
	uint8_t held_msg[4 + SCMI_MODEL_MAX_PAYLOAD];
	uint32_t held_len;
	bool held;
	struct vlab_pool event_bufs;	/* the event queue's buffers */
	unsigned int commands;		/* answered */
	struct scmi_model_sensor sensors[SCMI_MODEL_SENSORS];
	bool power_notify;		/* the agent asked for power requests */
};

int scmi_model_create(struct scmi_model *m, bool events);
void scmi_model_destroy(struct scmi_model *m);
/* Until the device is removed, or idle_ms pass without an event (-1: never). */
int scmi_model_serve(struct scmi_model *m, int idle_ms);
void scmi_model_lie(struct scmi_model *m, enum scmi_lie lie, unsigned int count);
/* Whether SCMI_LIE_SILENT holds a command. */
bool scmi_model_held(struct scmi_model *m);
/* Answer the command SCMI_LIE_SILENT held, truthfully; -ENOENT if none. */
int scmi_model_answer_held(struct scmi_model *m);
/*
 * Send len bytes (a whole message) in the oldest event buffer, telling the
 * driver used_len; -ENOSPC without one.
 */
int scmi_model_send_event(struct scmi_model *m, const void *msg, uint32_t len,
			  uint32_t used_len);
/* Event buffers the model holds; commands it answered. */
unsigned int scmi_model_event_buffers(struct scmi_model *m);
unsigned int scmi_model_commands(struct scmi_model *m);
/*
 * Set a sensor's reading, and send SENSOR_UPDATE if the agent asked for
 * it: 1 when sent, 0 when not asked, or -errno.
 */
int scmi_model_set_sensor(struct scmi_model *m, unsigned int id, int64_t value);
/*
 * Request a system state (SCMI_SYSTEM_*, flags SCMI_SYSTEM_GRACEFUL or 0)
 * if the agent asked to be told: 1 when sent, 0 when not asked, or -errno.
 */
int scmi_model_request_power(struct scmi_model *m, uint32_t flags, uint32_t state,
			     uint32_t timeout_ms);
uint32_t scmi_hdr(uint8_t protocol, uint8_t msg_id, uint8_t type, uint16_t token);

#endif /* SCMI_MODEL_H */
