/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An audio policy device (virtio device 39) played in the lab: a vehicle's
 * policy with two zones and a focus stack per zone, as
 * Documentation/virtio/virtio-audio-policy-spec.rst specifies the device,
 * and lies on request. Serve it from a thread (apol_model_serve()); the
 * other calls may come from any thread.
 *
 * The policy, per zone:
 * - a session asking permanent focus ends (LOSS) the permanent sessions of
 *   its priority or below;
 * - a session above another takes its focus for a while: LOSS_TRANSIENT,
 *   or LOSS_TRANSIENT_CAN_DUCK when every session above it may duck, which
 *   also ducks its stream (NAV_DUCKING for navigation);
 * - priorities: emergency and safety 3, a call 2, navigation and the
 *   others 1, media and games 0; a session is above those of lower
 *   priority, and above those of its priority granted before it;
 * - a call is exclusive: while one holds focus, requests other than
 *   emergency and safety are DENIED;
 * - while an emergency holds focus, lower requests are DELAYED when
 *   permanent (granted when it ends) and DENIED when transient.
 */
#ifndef APOL_MODEL_H
#define APOL_MODEL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "libvlab.h"
#include "linux/virtio_extra/virtio_audio_policy.h"

#define APOL_MODEL_QUEUE_SIZE	64
#define APOL_MODEL_ZONES	2
#define APOL_MODEL_MAX_USAGES	6
#define APOL_MODEL_STREAMS	4
#define APOL_MODEL_JACKS	2
#define APOL_MODEL_SESSIONS	16

/* The streams of the sound device beside: who plays on which. */
#define APOL_STREAM_FRONT_MEDIA		0
#define APOL_STREAM_FRONT_NAVIGATION	1
#define APOL_STREAM_FRONT_CALL		2
#define APOL_STREAM_REAR_MEDIA		3

/* Lies, told in the next answers (apol_model_lie()). */
enum apol_lie {
	APOL_LIE_NONE,
	APOL_LIE_SILENT,		/* requests held unanswered */
	APOL_LIE_ZONE_TWICE,		/* ZONE_INFO lists a usage twice */
	APOL_LIE_ZONE_LEN,		/* ZONE_INFO's len 4 bytes past its usages */
	APOL_LIE_STATUS,		/* an answer with status 77 */
};

/**
 * struct apol_session - one live session
 * @id: its ID, the driver's.
 * @usage: its usage.
 * @zone: its zone.
 * @flags: VIRTIO_AUDIO_POLICY_F_*.
 * @ended: the policy ended it; it goes once its LOSS event is sent.
 * @order: when it was granted; 0 while it waits (DELAYED) or once ended.
 * @focus: the focus its events have said, VIRTIO_AUDIO_POLICY_FOCUS_*
 *	(GAIN, a loss, or NONE while it waits).
 */
struct apol_session {
	uint32_t id;
	int32_t usage;
	uint32_t zone;
	uint32_t flags;
	bool ended;
	unsigned long order;
	int32_t focus;
};

/**
 * struct apol_target - what the policy does to a stream or a jack
 * @ducked: 0 or 1, and the same for what the driver was told.
 * @muted: ditto.
 * @limit: percent.
 * @duck_reasons: its reasons.
 * @mute_reasons: ditto.
 * @limit_reasons: ditto.
 * @told: what the last events said, in the same fields.
 */
struct apol_target {
	uint32_t ducked, muted, limit;
	uint32_t duck_reasons, mute_reasons, limit_reasons;
	struct {
		uint32_t ducked, muted, limit;
	} told;
};

struct apol_model {
	struct vlab lab;
	pthread_mutex_t lock;		/* what follows */
	enum apol_lie lie;
	unsigned int lie_count;		/* answers the lie holds for */
	struct vlab_pool events;
	unsigned int requests;		/* answered */
	unsigned int events_sent;
	uint32_t held_ids[APOL_MODEL_QUEUE_SIZE];	/* APOL_LIE_SILENT */
	unsigned int n_held;
	unsigned long grants;		/* the order of the last grant */
	struct apol_session sessions[APOL_MODEL_SESSIONS];
	unsigned int n_sessions;
	struct apol_target targets[APOL_MODEL_STREAMS + APOL_MODEL_JACKS];
};

/* The vehicle's configuration, or another (NULL: the vehicle's). */
int apol_model_create(struct apol_model *m, const struct virtio_audio_policy_config *config);
void apol_model_destroy(struct apol_model *m);
/* Until the device is removed, or idle_ms pass without an event (-1: never). */
int apol_model_serve(struct apol_model *m, int idle_ms);
void apol_model_lie(struct apol_model *m, enum apol_lie lie, unsigned int count);
/*
 * Duck, mute or limit a stream or jack as the platform asks (type a
 * VIRTIO_AUDIO_POLICY_EVENT_*), with its event.
 */
int apol_model_set_target(struct apol_model *m, uint16_t type, uint16_t target, uint32_t id,
			  uint32_t value, uint32_t reasons);
/* Send len bytes in the oldest event buffer, telling the driver used_len. */
int apol_model_send_event(struct apol_model *m, const void *ev, uint32_t len,
			  uint32_t used_len);
/* The focus a session's events have said; -ENOENT when it does not live. */
int apol_model_session_focus(struct apol_model *m, uint32_t zone, int32_t usage,
			     int32_t *focus);
unsigned int apol_model_sessions(struct apol_model *m);
unsigned int apol_model_event_buffers(struct apol_model *m);
unsigned int apol_model_requests(struct apol_model *m);
/* Answer the requests APOL_LIE_SILENT held; how many. */
int apol_model_answer_held(struct apol_model *m);

#endif /* APOL_MODEL_H */
