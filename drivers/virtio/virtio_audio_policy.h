/* SPDX-License-Identifier: GPL-2.0 */
/*
 * virtio_audio_policy: the audio policy device (ID 39,
 * Documentation/virtio/virtio-audio-policy-spec.rst) as an ALSA card of
 * controls only. The device, its requests and its events:
 * virtio_audio_policy_core.c; the card and its controls:
 * virtio_audio_policy_ctl.c.
 */
#ifndef _VIRTIO_AUDIO_POLICY_H
#define _VIRTIO_AUDIO_POLICY_H

#include <linux/mutex.h>
#include <linux/ratelimit.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/virtio_extra/virtio_audio_policy.h>

#include "virtio_event_queue.h"
#include "virtio_request.h"

struct snd_card;
struct snd_kcontrol;

/* What a Focus Request control asks, in the order of its items. */
enum vapol_request {
	VAPOL_REQUEST_NONE,
	VAPOL_REQUEST_GAIN,
	VAPOL_REQUEST_GAIN_TRANSIENT,
	VAPOL_REQUEST_MAY_DUCK,
	VAPOL_REQUEST_EXCLUSIVE,
	VAPOL_REQUESTS
};

/* What a Focus State control says, in the order of its items. */
enum vapol_state {
	VAPOL_STATE_NONE,		/* nothing asked */
	VAPOL_STATE_WAITING,		/* asked, DELAYED: a GAIN will come */
	VAPOL_STATE_GAIN,
	VAPOL_STATE_LOSS_TRANSIENT,
	VAPOL_STATE_CAN_DUCK,		/* LOSS_TRANSIENT_CAN_DUCK */
	VAPOL_STATE_LOSS,		/* lost for good, or a reset: the session ended */
	VAPOL_STATE_DENIED,		/* refused: no session */
	VAPOL_STATES
};

/**
 * struct vapol_focus - focus for one usage in one zone: two controls
 * @zone: the zone.
 * @usage: the usage, a VIRTIO_AUDIO_POLICY_USAGE_* value.
 * @request: what its Focus Request control says, enum vapol_request.
 *	Written under vapol.lock and vapol.state_lock.
 * @state: what its Focus State control says, enum vapol_state. Under
 *	vapol.state_lock, as are the two below.
 * @session: its live session's ID, 0 for none.
 * @changed: an event changed @state since the request went.
 * @request_kctl: its Focus Request control.
 * @state_kctl: its Focus State control.
 */
struct vapol_focus {
	u32 zone;
	s32 usage;
	u8 request;
	u8 state;
	u32 session;
	bool changed;
	struct snd_kcontrol *request_kctl;
	struct snd_kcontrol *state_kctl;
};

/* The controls of a stream or a jack, in the order of their names. */
enum vapol_target_ctl {
	VAPOL_CTL_DUCK,
	VAPOL_CTL_MUTE,
	VAPOL_CTL_GAIN_LIMIT,
	VAPOL_CTL_REASONS,
	VAPOL_TARGET_CTLS
};

/**
 * struct vapol_target - what the policy does to one stream or jack
 * @ducked: the device ducks it. Under vapol.state_lock, as are the others.
 * @muted: the device mutes it.
 * @limit: the most of its full scale it may play at, percent.
 * @duck_reasons: why it is ducked, VIRTIO_AUDIO_POLICY_REASON_*.
 * @mute_reasons: why it is muted.
 * @limit_reasons: why it is limited.
 * @kctl: its controls, enum vapol_target_ctl.
 */
struct vapol_target {
	bool ducked;
	bool muted;
	u8 limit;
	u32 duck_reasons;
	u32 mute_reasons;
	u32 limit_reasons;
	struct snd_kcontrol *kctl[VAPOL_TARGET_CTLS];
};

/**
 * struct vapol - one audio policy device; the card's private data, so that
 *	it lives as long as the card's open files
 * @vdev: the virtio device.
 * @card: its ALSA card.
 * @zones: zones, from the configuration.
 * @max_usages: the most usages per zone, from the configuration.
 * @streams: virtio-snd streams the device may name.
 * @jacks: virtio-snd jacks the device may name.
 * @lock: one request at a time, and a focus's request with it.
 * @requests: the request queue's request.
 * @next_session: the ID of the next session, never 0; under @lock.
 * @events: the event queue.
 * @event_lock: @events and the event counts, against the event work.
 * @events_taken: events that came.
 * @events_dropped: events that broke the specification.
 * @state_lock: the focuses' and targets' state, against the event work.
 * @focus: the focuses, zone by zone, once discovered.
 * @n_focus: how many.
 * @targets: the streams, then the jacks.
 * @zone_names: each zone's name, NUL-terminated.
 * @rs: rate limit of this device's complaints.
 */
struct vapol {
	struct virtio_device *vdev;
	struct snd_card *card;
	u32 zones;
	u32 max_usages;
	u32 streams;
	u32 jacks;
	struct mutex lock; /* one request at a time */
	struct vreq_queue requests;
	u32 next_session;
	struct vevq events;
	spinlock_t event_lock; /* the event queue, event counts */
	u64 events_taken;
	u64 events_dropped;
	spinlock_t state_lock; /* focus and target state */
	struct vapol_focus *focus;
	unsigned int n_focus;
	struct vapol_target *targets;
	char (*zone_names)[VIRTIO_AUDIO_POLICY_NAME_LEN + 1];
	struct ratelimit_state rs;
};

#define vapol_complain(vap, fmt, ...) do {				\
	struct vapol *__vap = (vap);					\
									\
	if (__ratelimit(&__vap->rs))					\
		dev_warn(&__vap->vdev->dev, fmt, ##__VA_ARGS__);	\
} while (0)

/* virtio_audio_policy_core.c */
int vapol_focus_request(struct vapol *vap, struct vapol_focus *focus, u8 request);

/* virtio_audio_policy_ctl.c */
int vapol_ctl_add_targets(struct vapol *vap);
int vapol_ctl_add_focus(struct vapol *vap);
void vapol_ctl_notify(struct vapol *vap, struct snd_kcontrol *kctl);

#endif /* _VIRTIO_AUDIO_POLICY_H */
