// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_audio_policy: the ALSA card and its controls.
 *
 * For each usage of each zone, "<Usage> Focus Request" (written by the
 * user) and "<Usage> Focus State" (what the policy decided, volatile), the
 * zone as the controls' index; for each zone "Zone Name"; for each
 * virtio-snd stream and jack the device may name, "Stream Duck", "Stream
 * Mute", "Stream Gain Limit" and "Stream Policy Reasons" (and "Jack ..."),
 * the stream or jack ID as the index. Every control but the requests is
 * read-only and volatile, and notifies its changes.
 */
#include <linux/virtio.h>
#include <sound/control.h>
#include <sound/core.h>

#include "virtio_audio_policy.h"

/* Short names of Android's AudioUsage values, to fit ALSA's control names. */
static const struct {
	s32 usage;
	const char *name;
} vapol_usage_names[] = {
	{ VIRTIO_AUDIO_POLICY_USAGE_UNKNOWN, "Unknown" },
	{ VIRTIO_AUDIO_POLICY_USAGE_MEDIA, "Media" },
	{ VIRTIO_AUDIO_POLICY_USAGE_VOICE_COMMUNICATION, "Call" },
	{ VIRTIO_AUDIO_POLICY_USAGE_VOICE_COMMUNICATION_SIGNALLING, "Call Signalling" },
	{ VIRTIO_AUDIO_POLICY_USAGE_ALARM, "Alarm" },
	{ VIRTIO_AUDIO_POLICY_USAGE_NOTIFICATION, "Notification" },
	{ VIRTIO_AUDIO_POLICY_USAGE_NOTIFICATION_TELEPHONY_RINGTONE, "Ringtone" },
	{ VIRTIO_AUDIO_POLICY_USAGE_NOTIFICATION_EVENT, "Event" },
	{ VIRTIO_AUDIO_POLICY_USAGE_ASSISTANCE_ACCESSIBILITY, "Accessibility" },
	{ VIRTIO_AUDIO_POLICY_USAGE_ASSISTANCE_NAVIGATION_GUIDANCE, "Navigation" },
	{ VIRTIO_AUDIO_POLICY_USAGE_ASSISTANCE_SONIFICATION, "Sonification" },
	{ VIRTIO_AUDIO_POLICY_USAGE_GAME, "Game" },
	{ VIRTIO_AUDIO_POLICY_USAGE_VIRTUAL_SOURCE, "Virtual Source" },
	{ VIRTIO_AUDIO_POLICY_USAGE_ASSISTANT, "Assistant" },
	{ VIRTIO_AUDIO_POLICY_USAGE_CALL_ASSISTANT, "Call Assistant" },
	{ VIRTIO_AUDIO_POLICY_USAGE_EMERGENCY, "Emergency" },
	{ VIRTIO_AUDIO_POLICY_USAGE_SAFETY, "Safety" },
	{ VIRTIO_AUDIO_POLICY_USAGE_VEHICLE_STATUS, "Vehicle Status" },
	{ VIRTIO_AUDIO_POLICY_USAGE_ANNOUNCEMENT, "Announcement" },
	{ VIRTIO_AUDIO_POLICY_USAGE_SPEAKER_CLEANUP, "Speaker Cleanup" },
};

static const char *const vapol_request_items[VAPOL_REQUESTS] = {
	"None", "Gain", "Gain Transient", "May Duck", "Exclusive",
};

static const char *const vapol_state_items[VAPOL_STATES] = {
	"None", "Waiting", "Gain", "Loss Transient", "Can Duck", "Loss", "Denied",
};

/**
 * vapol_usage_name - a usage's name in control names
 * @usage: a VIRTIO_AUDIO_POLICY_USAGE_* value, or a vendor's
 * @buf: where a name for a value this driver does not know goes
 * @len: its size
 *
 * Return: the name.
 */
static const char *vapol_usage_name(s32 usage, char *buf, size_t len)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vapol_usage_names); i++)
		if (vapol_usage_names[i].usage == usage)
			return vapol_usage_names[i].name;
	snprintf(buf, len, "Usage %d", usage);
	return buf;
}

/**
 * vapol_ctl_notify - tell the card's readers that a control's value changed
 * @vap: the device
 * @kctl: the control, or NULL before it exists
 */
void vapol_ctl_notify(struct vapol *vap, struct snd_kcontrol *kctl)
{
	if (kctl)
		snd_ctl_notify(vap->card, SNDRV_CTL_EVENT_MASK_VALUE, &kctl->id);
}

static int vapol_request_info(struct snd_kcontrol *kctl, struct snd_ctl_elem_info *info)
{
	return snd_ctl_enum_info(info, 1, VAPOL_REQUESTS, vapol_request_items);
}

static int vapol_request_get(struct snd_kcontrol *kctl, struct snd_ctl_elem_value *v)
{
	struct vapol *vap = snd_kcontrol_chip(kctl);

	spin_lock_irq(&vap->state_lock);
	v->value.enumerated.item[0] = vap->focus[kctl->private_value].request;
	spin_unlock_irq(&vap->state_lock);
	return 0;
}

static int vapol_request_put(struct snd_kcontrol *kctl, struct snd_ctl_elem_value *v)
{
	struct vapol *vap = snd_kcontrol_chip(kctl);
	unsigned int request = v->value.enumerated.item[0];

	if (request >= VAPOL_REQUESTS)
		return -EINVAL;
	return vapol_focus_request(vap, &vap->focus[kctl->private_value], request);
}

static int vapol_state_info(struct snd_kcontrol *kctl, struct snd_ctl_elem_info *info)
{
	return snd_ctl_enum_info(info, 1, VAPOL_STATES, vapol_state_items);
}

static int vapol_state_get(struct snd_kcontrol *kctl, struct snd_ctl_elem_value *v)
{
	struct vapol *vap = snd_kcontrol_chip(kctl);

	spin_lock_irq(&vap->state_lock);
	v->value.enumerated.item[0] = vap->focus[kctl->private_value].state;
	spin_unlock_irq(&vap->state_lock);
	return 0;
}

static int vapol_zone_name_info(struct snd_kcontrol *kctl, struct snd_ctl_elem_info *info)
{
	struct vapol *vap = snd_kcontrol_chip(kctl);
	const char *name = vap->zone_names[kctl->private_value];
	char fallback[16];

	/* a zone with no name shows its number */
	if (!*name) {
		snprintf(fallback, sizeof(fallback), "Zone %lu", kctl->private_value);
		name = fallback;
	}
	return snd_ctl_enum_info(info, 1, 1, &name);
}

static int vapol_zone_name_get(struct snd_kcontrol *kctl, struct snd_ctl_elem_value *v)
{
	v->value.enumerated.item[0] = 0;
	return 0;
}

/* A target control's private_value: the target's index, and which control. */
#define VAPOL_TARGET_INDEX(pv)	((pv) >> 2)
#define VAPOL_TARGET_CTL(pv)	((pv) & 3)

static int vapol_target_info(struct snd_kcontrol *kctl, struct snd_ctl_elem_info *info)
{
	info->count = 1;
	switch (VAPOL_TARGET_CTL(kctl->private_value)) {
	case VAPOL_CTL_DUCK:
	case VAPOL_CTL_MUTE:
		info->type = SNDRV_CTL_ELEM_TYPE_BOOLEAN;
		info->value.integer.min = 0;
		info->value.integer.max = 1;
		break;
	case VAPOL_CTL_GAIN_LIMIT:
		info->type = SNDRV_CTL_ELEM_TYPE_INTEGER;
		info->value.integer.min = 0;
		info->value.integer.max = 100;
		info->value.integer.step = 1;
		break;
	default:
		/* reasons are 32 bits, which a 32-bit process's long does not hold */
		info->type = SNDRV_CTL_ELEM_TYPE_INTEGER64;
		info->value.integer64.min = 0;
		info->value.integer64.max = U32_MAX;
		info->value.integer64.step = 1;
		break;
	}
	return 0;
}

static int vapol_target_get(struct snd_kcontrol *kctl, struct snd_ctl_elem_value *v)
{
	struct vapol *vap = snd_kcontrol_chip(kctl);
	struct vapol_target *t = &vap->targets[VAPOL_TARGET_INDEX(kctl->private_value)];

	spin_lock_irq(&vap->state_lock);
	switch (VAPOL_TARGET_CTL(kctl->private_value)) {
	case VAPOL_CTL_DUCK:
		v->value.integer.value[0] = t->ducked;
		break;
	case VAPOL_CTL_MUTE:
		v->value.integer.value[0] = t->muted;
		break;
	case VAPOL_CTL_GAIN_LIMIT:
		v->value.integer.value[0] = t->limit;
		break;
	default:
		v->value.integer64.value[0] = t->duck_reasons | t->mute_reasons |
					      t->limit_reasons;
		break;
	}
	spin_unlock_irq(&vap->state_lock);
	return 0;
}

/* Add a control of the template, with its name, index and private value. */
static struct snd_kcontrol *vapol_ctl_add(struct vapol *vap, struct snd_kcontrol_new *tmpl,
					  const char *name, unsigned int index,
					  unsigned long private_value)
{
	struct snd_kcontrol *kctl;
	int err;

	tmpl->name = name;
	tmpl->index = index;
	tmpl->private_value = private_value;
	kctl = snd_ctl_new1(tmpl, vap);
	if (!kctl)
		return ERR_PTR(-ENOMEM);
	err = snd_ctl_add(vap->card, kctl);
	return err ? ERR_PTR(err) : kctl;
}

/**
 * vapol_ctl_add_targets - the controls of each stream and jack
 * @vap: the device, its targets allocated
 *
 * Return: 0, or a negative errno.
 */
int vapol_ctl_add_targets(struct vapol *vap)
{
	static const char *const names[VAPOL_TARGET_CTLS] = {
		"Duck", "Mute", "Gain Limit", "Policy Reasons",
	};
	struct snd_kcontrol_new tmpl = {
		.iface = SNDRV_CTL_ELEM_IFACE_MIXER,
		.access = SNDRV_CTL_ELEM_ACCESS_READ | SNDRV_CTL_ELEM_ACCESS_VOLATILE,
		.info = vapol_target_info,
		.get = vapol_target_get,
	};
	char name[SNDRV_CTL_ELEM_ID_NAME_MAXLEN];
	struct snd_kcontrol *kctl;
	unsigned int i, id, ctl;

	for (i = 0; i < vap->streams + vap->jacks; i++) {
		id = i < vap->streams ? i : i - vap->streams;
		for (ctl = 0; ctl < VAPOL_TARGET_CTLS; ctl++) {
			snprintf(name, sizeof(name), "%s %s",
				 i < vap->streams ? "Stream" : "Jack", names[ctl]);
			kctl = vapol_ctl_add(vap, &tmpl, name, id, i << 2 | ctl);
			if (IS_ERR(kctl))
				return PTR_ERR(kctl);
			vap->targets[i].kctl[ctl] = kctl;
		}
	}
	return 0;
}

/**
 * vapol_ctl_add_focus - the controls of each zone and each of its usages
 * @vap: the device, its focuses discovered
 *
 * Return: 0, or a negative errno.
 */
int vapol_ctl_add_focus(struct vapol *vap)
{
	struct snd_kcontrol_new request = {
		.iface = SNDRV_CTL_ELEM_IFACE_MIXER,
		.access = SNDRV_CTL_ELEM_ACCESS_READWRITE,
		.info = vapol_request_info,
		.get = vapol_request_get,
		.put = vapol_request_put,
	};
	struct snd_kcontrol_new state = {
		.iface = SNDRV_CTL_ELEM_IFACE_MIXER,
		.access = SNDRV_CTL_ELEM_ACCESS_READ | SNDRV_CTL_ELEM_ACCESS_VOLATILE,
		.info = vapol_state_info,
		.get = vapol_state_get,
	};
	struct snd_kcontrol_new zone_name = {
		.iface = SNDRV_CTL_ELEM_IFACE_MIXER,
		.access = SNDRV_CTL_ELEM_ACCESS_READ,
		.info = vapol_zone_name_info,
		.get = vapol_zone_name_get,
	};
	char name[SNDRV_CTL_ELEM_ID_NAME_MAXLEN], unknown[16];
	struct vapol_focus *focus;
	struct snd_kcontrol *kctl;
	unsigned int i;

	for (i = 0; i < vap->zones; i++) {
		kctl = vapol_ctl_add(vap, &zone_name, "Zone Name", i, i);
		if (IS_ERR(kctl))
			return PTR_ERR(kctl);
	}
	for (i = 0; i < vap->n_focus; i++) {
		focus = &vap->focus[i];
		snprintf(name, sizeof(name), "%s Focus Request",
			 vapol_usage_name(focus->usage, unknown, sizeof(unknown)));
		kctl = vapol_ctl_add(vap, &request, name, focus->zone, i);
		if (IS_ERR(kctl))
			return PTR_ERR(kctl);
		focus->request_kctl = kctl;
		snprintf(name, sizeof(name), "%s Focus State",
			 vapol_usage_name(focus->usage, unknown, sizeof(unknown)));
		kctl = vapol_ctl_add(vap, &state, name, focus->zone, i);
		if (IS_ERR(kctl))
			return PTR_ERR(kctl);
		focus->state_kctl = kctl;
	}
	return 0;
}
