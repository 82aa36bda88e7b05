/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * Do not edit directly, auto-generated from:
 *	Documentation/virtio/specs/audio-policy.yaml
 * by tools/virtio-spec/vspec-gen.py (uapi).
 */
/* VSPEC-GEN uapi header */

/*
 * Audio policy device. A control channel beside a virtio sound device: the
 * driver asks the device's policy for audio focus for a usage in a zone, in
 * sessions it numbers itself; the device grants focus, takes it back, and
 * ducks, mutes and limits the sound device's streams and jacks, named by their
 * virtio-snd IDs. Usages, focus changes and reasons carry the values of Android
 * Automotive's AudioControl HAL.
 *
 * Specification: Documentation/virtio/virtio-audio-policy-spec.rst (proposal)
 */
#ifndef _UAPI_LINUX_VIRTIO_EXTRA_VIRTIO_AUDIO_POLICY_H
#define _UAPI_LINUX_VIRTIO_EXTRA_VIRTIO_AUDIO_POLICY_H

#include <linux/types.h>
#include <linux/virtio_ids.h>

#ifndef VIRTIO_ID_AUDIO_POLICY
#define VIRTIO_ID_AUDIO_POLICY 39
#endif

/* Virtqueue indexes */
/* requestq, requests from the driver, each answered */
#define VIRTIO_AUDIO_POLICY_VQ_REQUEST 0
/* eventq, focus changes and stream and jack states from the device */
#define VIRTIO_AUDIO_POLICY_VQ_EVENT 1
/* Number of virtqueues the device can have */
#define VIRTIO_AUDIO_POLICY_VQ_MAX_CNT 2

/* The most zones a device has. */
#define VIRTIO_AUDIO_POLICY_MAX_ZONES 64

/* The most usages a zone arbitrates. */
#define VIRTIO_AUDIO_POLICY_MAX_USAGES 32

/* The most streams, and the most jacks, a device names. */
#define VIRTIO_AUDIO_POLICY_MAX_TARGETS 1024

/* Bytes of a zone's name, NUL-padded. */
#define VIRTIO_AUDIO_POLICY_NAME_LEN 32

/* FOCUS_ACQUIRE - the session names no virtio-snd stream. */
#define VIRTIO_AUDIO_POLICY_NO_STREAM 0xffffffff

/*
 * What a sound is for - Android's AudioUsage values.
 */
/* Never a zone's usage. */
#define VIRTIO_AUDIO_POLICY_USAGE_INVALID (-1)
/* Not said. */
#define VIRTIO_AUDIO_POLICY_USAGE_UNKNOWN 0
/* Music, video, radio. */
#define VIRTIO_AUDIO_POLICY_USAGE_MEDIA 1
/* A call. */
#define VIRTIO_AUDIO_POLICY_USAGE_VOICE_COMMUNICATION 2
/* Tones of a call (DTMF, busy). */
#define VIRTIO_AUDIO_POLICY_USAGE_VOICE_COMMUNICATION_SIGNALLING 3
/* An alarm. */
#define VIRTIO_AUDIO_POLICY_USAGE_ALARM 4
/* A notification. */
#define VIRTIO_AUDIO_POLICY_USAGE_NOTIFICATION 5
/* A ringing telephone. */
#define VIRTIO_AUDIO_POLICY_USAGE_NOTIFICATION_TELEPHONY_RINGTONE 6
/* A reminder, a low-priority event. */
#define VIRTIO_AUDIO_POLICY_USAGE_NOTIFICATION_EVENT 10
/* Screen reading. */
#define VIRTIO_AUDIO_POLICY_USAGE_ASSISTANCE_ACCESSIBILITY 11
/* Navigation prompts. */
#define VIRTIO_AUDIO_POLICY_USAGE_ASSISTANCE_NAVIGATION_GUIDANCE 12
/* User interface sounds. */
#define VIRTIO_AUDIO_POLICY_USAGE_ASSISTANCE_SONIFICATION 13
/* A game. */
#define VIRTIO_AUDIO_POLICY_USAGE_GAME 14
/* Audio for capture only. */
#define VIRTIO_AUDIO_POLICY_USAGE_VIRTUAL_SOURCE 15
/* A voice assistant's answers. */
#define VIRTIO_AUDIO_POLICY_USAGE_ASSISTANT 16
/* An assistant taking part in a call. */
#define VIRTIO_AUDIO_POLICY_USAGE_CALL_ASSISTANT 17
/* An emergency warning (a vehicle's). */
#define VIRTIO_AUDIO_POLICY_USAGE_EMERGENCY 1000
/* A safety alert (a pedestrian nearby). */
#define VIRTIO_AUDIO_POLICY_USAGE_SAFETY 1001
/* A vehicle status sound (a turn signal). */
#define VIRTIO_AUDIO_POLICY_USAGE_VEHICLE_STATUS 1002
/* A public announcement. */
#define VIRTIO_AUDIO_POLICY_USAGE_ANNOUNCEMENT 1003
/* Sound that clears a speaker's membrane. */
#define VIRTIO_AUDIO_POLICY_USAGE_SPEAKER_CLEANUP 1004

/*
 * Focus asked (FOCUS_ACQUIRE, from its flags) and focus changes (FOCUS_CHANGE
 * events) - Android's AudioFocusChange values.
 */
/* No focus. */
#define VIRTIO_AUDIO_POLICY_FOCUS_NONE 0
/* Focus, for as long as the session lives; in an event, focus granted. */
#define VIRTIO_AUDIO_POLICY_FOCUS_GAIN 1
/* Focus for a short while. */
#define VIRTIO_AUDIO_POLICY_FOCUS_GAIN_TRANSIENT 2
/* Focus for a short while; others may go on, ducked. */
#define VIRTIO_AUDIO_POLICY_FOCUS_GAIN_TRANSIENT_MAY_DUCK 3
/* Focus for a short while, with no other sound. */
#define VIRTIO_AUDIO_POLICY_FOCUS_GAIN_TRANSIENT_EXCLUSIVE 4
/* Focus lost for good; the session has ended. */
#define VIRTIO_AUDIO_POLICY_FOCUS_LOSS (-1)
/* Focus lost for a while. */
#define VIRTIO_AUDIO_POLICY_FOCUS_LOSS_TRANSIENT (-2)
/* Focus lost for a while; playing on, quieter, is allowed. */
#define VIRTIO_AUDIO_POLICY_FOCUS_LOSS_TRANSIENT_CAN_DUCK (-3)

/*
 * Bits of virtio_audio_policy_req.flags in FOCUS_ACQUIRE.
 */
/* For a short while. */
#define VIRTIO_AUDIO_POLICY_F_TRANSIENT (1U << 0)
/* With TRANSIENT - others may go on, ducked. */
#define VIRTIO_AUDIO_POLICY_F_MAY_DUCK (1U << 1)
/* With TRANSIENT - no other sound meanwhile. */
#define VIRTIO_AUDIO_POLICY_F_EXCLUSIVE (1U << 2)

/*
 * Request results, in virtio_audio_policy_resp.status.
 */
/* Done; FOCUS_ACQUIRE - focus granted. */
#define VIRTIO_AUDIO_POLICY_S_OK 0
/* FOCUS_ACQUIRE - focus refused; the session did not start. */
#define VIRTIO_AUDIO_POLICY_S_DENIED 1
/*
 * FOCUS_ACQUIRE - the session started without focus; a GAIN event will grant
 * it.
 */
#define VIRTIO_AUDIO_POLICY_S_DELAYED 2
/* A malformed request, an unknown zone or usage, a session ID in use. */
#define VIRTIO_AUDIO_POLICY_S_INVALID 3
/* FOCUS_ACQUIRE - too many live sessions. */
#define VIRTIO_AUDIO_POLICY_S_NO_SPACE 4

/*
 * Request types, in virtio_audio_policy_req.type.
 */
/* The name and usages of zone. */
#define VIRTIO_AUDIO_POLICY_REQ_ZONE_INFO 1
/* Focus for usage in zone, for the new session. */
#define VIRTIO_AUDIO_POLICY_REQ_FOCUS_ACQUIRE 2
/* End session. */
#define VIRTIO_AUDIO_POLICY_REQ_FOCUS_RELEASE 3

/*
 * Event types, in virtio_audio_policy_event.type.
 */
/* Session id gained or lost focus (value, a focus change). */
#define VIRTIO_AUDIO_POLICY_EVENT_FOCUS_CHANGE 1
/* The target is ducked (value 1) or not (value 0). */
#define VIRTIO_AUDIO_POLICY_EVENT_DUCK 2
/* The target is muted (value 1) or not (value 0). */
#define VIRTIO_AUDIO_POLICY_EVENT_MUTE 3
/* The target's gain is limited to value percent (100 - no limit). */
#define VIRTIO_AUDIO_POLICY_EVENT_GAIN_LIMIT 4

/*
 * What a DUCK, MUTE or GAIN_LIMIT event's id names.
 */
/* A virtio-snd stream ID. */
#define VIRTIO_AUDIO_POLICY_TARGET_STREAM 1
/* A virtio-snd jack ID. */
#define VIRTIO_AUDIO_POLICY_TARGET_JACK 2

/*
 * Why a target is ducked, muted or limited - Android's Reasons bits.
 */
/* The whole system is muted. */
#define VIRTIO_AUDIO_POLICY_REASON_FORCED_MASTER_MUTE (1U << 0)
/* Muted from afar (a phone application). */
#define VIRTIO_AUDIO_POLICY_REASON_REMOTE_MUTE (1U << 1)
/* The telematics unit asked for it (an emergency call). */
#define VIRTIO_AUDIO_POLICY_REASON_TCU_MUTE (1U << 2)
/* A driver assistance alert. */
#define VIRTIO_AUDIO_POLICY_REASON_ADAS_DUCKING (1U << 3)
/* A navigation prompt. */
#define VIRTIO_AUDIO_POLICY_REASON_NAV_DUCKING (1U << 4)
/* A projected phone's audio. */
#define VIRTIO_AUDIO_POLICY_REASON_PROJECTION_DUCKING (1U << 5)
/* An amplifier is too hot. */
#define VIRTIO_AUDIO_POLICY_REASON_THERMAL_LIMITATION (1U << 6)
/* Volume limited after resume from suspend. */
#define VIRTIO_AUDIO_POLICY_REASON_SUSPEND_EXIT_VOL_LIMITATION (1U << 7)
/* An external amplifier changed the volume. */
#define VIRTIO_AUDIO_POLICY_REASON_EXTERNAL_AMP_VOL_FEEDBACK (1U << 8)
/* Another reason. */
#define VIRTIO_AUDIO_POLICY_REASON_OTHER (1ULL << 31)

/**
 * struct virtio_audio_policy_config - Device configuration layout, read-only
 * for the driver.
 * @zones: How many zones, 1 to 64, numbered from 0.
 * @max_usages: The most usages one zone arbitrates, 1 to 32.
 * @streams: Streams of the sound device beside, at most 1024.
 * @jacks: Jacks of the sound device beside, at most 1024.
 */
struct virtio_audio_policy_config {
	__le32 zones;
	__le32 max_usages;
	__le32 streams;
	__le32 jacks;
};

/**
 * struct virtio_audio_policy_req - A request, device-readable.
 * @type: Request type: VIRTIO_AUDIO_POLICY_REQ_*.
 * @reserved: Reserved, 0.
 * @session: FOCUS_ACQUIRE, FOCUS_RELEASE - the session; else 0.
 * @usage: FOCUS_ACQUIRE - the usage, a VIRTIO_AUDIO_POLICY_USAGE_*; else 0.
 * @zone: ZONE_INFO, FOCUS_ACQUIRE - the zone; else 0.
 * @flags: FOCUS_ACQUIRE - VIRTIO_AUDIO_POLICY_F_*; else 0.
 * @stream: FOCUS_ACQUIRE - the virtio-snd stream the session plays on, or
 * VIRTIO_AUDIO_POLICY_NO_STREAM; else 0.
 */
struct virtio_audio_policy_req {
	__le16 type;
	__le16 reserved;
	__le32 session;
	__le32 usage;
	__le32 zone;
	__le32 flags;
	__le32 stream;
};

/**
 * struct virtio_audio_policy_resp - The answer to a request, device-writable;
 * followed by len bytes of payload (ZONE_INFO - virtio_audio_policy_zone_info
 * and its usages).
 * @status: Result: VIRTIO_AUDIO_POLICY_S_*.
 * @len: Bytes of payload that follow.
 */
struct virtio_audio_policy_resp {
	__le32 status;
	__le32 len;
};

/**
 * struct virtio_audio_policy_zone_info - The payload of ZONE_INFO, followed by
 * num_usages le32 usages.
 * @name: A name for people (printable ASCII), NUL-padded; may be empty.
 * @num_usages: How many usages follow, 1 to max_usages.
 */
struct virtio_audio_policy_zone_info {
	__u8 name[32];
	__le32 num_usages;
};

/**
 * struct virtio_audio_policy_event - An event, device-writable.
 * @type: Event type: VIRTIO_AUDIO_POLICY_EVENT_*.
 * @target: DUCK, MUTE, GAIN_LIMIT - what id names; else 0:
 * VIRTIO_AUDIO_POLICY_TARGET_*.
 * @id: FOCUS_CHANGE - the session; else the stream or jack ID.
 * @value: FOCUS_CHANGE - the change (a two's complement
 * VIRTIO_AUDIO_POLICY_FOCUS_*); DUCK, MUTE - 1 or 0; GAIN_LIMIT - percent.
 * @reasons: VIRTIO_AUDIO_POLICY_REASON_* (0 when value lifts the state).
 */
struct virtio_audio_policy_event {
	__le16 type;
	__le16 target;
	__le32 id;
	__le32 value;
	__le32 reasons;
};

/*
 * The device ID and the layouts the specification states, the
 * distribution's included. Never called: the compiler checks them
 * wherever this header is included (a negative array size fails).
 */
static inline void virtio_audio_policy_layout_check(void)
{
	(void)sizeof(char[VIRTIO_ID_AUDIO_POLICY == 39 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_audio_policy_config) == 16 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_audio_policy_config,
						 zones) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_audio_policy_config,
						 max_usages) == 4 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_audio_policy_config,
						 streams) == 8 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_audio_policy_config,
						 jacks) == 12 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_audio_policy_req) == 24 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_audio_policy_req,
						 type) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_audio_policy_req,
						 reserved) == 2 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_audio_policy_req,
						 session) == 4 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_audio_policy_req,
						 usage) == 8 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_audio_policy_req,
						 zone) == 12 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_audio_policy_req,
						 flags) == 16 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_audio_policy_req,
						 stream) == 20 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_audio_policy_resp) == 8 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_audio_policy_resp,
						 status) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_audio_policy_resp,
						 len) == 4 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_audio_policy_zone_info) == 36 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_audio_policy_zone_info,
						 name) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_audio_policy_zone_info,
						 num_usages) == 32 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_audio_policy_event) == 16 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_audio_policy_event,
						 type) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_audio_policy_event,
						 target) == 2 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_audio_policy_event,
						 id) == 4 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_audio_policy_event,
						 value) == 8 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_audio_policy_event,
						 reasons) == 12 ? 1 : -1]);
}

#endif /* _UAPI_LINUX_VIRTIO_EXTRA_VIRTIO_AUDIO_POLICY_H */
