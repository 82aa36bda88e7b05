// SPDX-License-Identifier: GPL-2.0
/*
 * The lab's audio policy device: a vehicle's policy with a focus stack per
 * zone, as Documentation/virtio/virtio-audio-policy-spec.rst specifies the
 * device, and lies on request (apol_model.h).
 *
 * Every change is made to the wanted state first; flush() then sends what
 * differs from what the driver was told while event buffers last, so that
 * a driver that gave none for a while gets the newest state, as the
 * specification asks.
 */
#include <errno.h>
#include <string.h>

#include <linux/virtio_config.h>

#include "apol_model.h"

#define REQ_LEN		sizeof(struct virtio_audio_policy_req)
#define RESP_LEN	sizeof(struct virtio_audio_policy_resp)
#define INFO_LEN	sizeof(struct virtio_audio_policy_zone_info)
#define EVENT_LEN	sizeof(struct virtio_audio_policy_event)
#define LIE_STATUS	77

static const struct {
	const char *name;
	unsigned int n;
	int32_t usages[APOL_MODEL_MAX_USAGES];
	uint32_t streams[APOL_MODEL_MAX_USAGES];	/* each usage's stream */
} zones[APOL_MODEL_ZONES] = {
	{ "Front", 6,
	  { VIRTIO_AUDIO_POLICY_USAGE_MEDIA, VIRTIO_AUDIO_POLICY_USAGE_VOICE_COMMUNICATION,
	    VIRTIO_AUDIO_POLICY_USAGE_ASSISTANCE_NAVIGATION_GUIDANCE,
	    VIRTIO_AUDIO_POLICY_USAGE_ALARM, VIRTIO_AUDIO_POLICY_USAGE_EMERGENCY,
	    VIRTIO_AUDIO_POLICY_USAGE_SAFETY },
	  { APOL_STREAM_FRONT_MEDIA, APOL_STREAM_FRONT_CALL, APOL_STREAM_FRONT_NAVIGATION,
	    VIRTIO_AUDIO_POLICY_NO_STREAM, VIRTIO_AUDIO_POLICY_NO_STREAM,
	    VIRTIO_AUDIO_POLICY_NO_STREAM } },
	{ "Rear", 2,
	  { VIRTIO_AUDIO_POLICY_USAGE_MEDIA, VIRTIO_AUDIO_POLICY_USAGE_GAME },
	  { APOL_STREAM_REAR_MEDIA, APOL_STREAM_REAR_MEDIA } },
};

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static uint32_t get_le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The index of usage in zone, or -1. */
static int usage_index(uint32_t zone, int32_t usage)
{
	unsigned int i;

	for (i = 0; i < zones[zone].n; i++)
		if (zones[zone].usages[i] == usage)
			return i;
	return -1;
}

static int priority(int32_t usage)
{
	switch (usage) {
	case VIRTIO_AUDIO_POLICY_USAGE_EMERGENCY:
	case VIRTIO_AUDIO_POLICY_USAGE_SAFETY:
		return 3;
	case VIRTIO_AUDIO_POLICY_USAGE_VOICE_COMMUNICATION:
		return 2;
	case VIRTIO_AUDIO_POLICY_USAGE_MEDIA:
	case VIRTIO_AUDIO_POLICY_USAGE_GAME:
		return 0;
	default:
		return 1;
	}
}

static bool is_call(int32_t usage)
{
	return usage == VIRTIO_AUDIO_POLICY_USAGE_VOICE_COMMUNICATION;
}

/* t is above s on their zone's stack: it takes s's focus while granted. */
static bool above(const struct apol_session *t, const struct apol_session *s)
{
	int pt = priority(t->usage), ps = priority(s->usage);

	return t != s && t->zone == s->zone && t->order &&
	       (pt > ps || (pt == ps && t->order > s->order));
}

static struct apol_session *find_session(struct apol_model *m, uint32_t id)
{
	unsigned int i;

	for (i = 0; i < m->n_sessions; i++)
		if (m->sessions[i].id == id)
			return &m->sessions[i];
	return NULL;
}

static void drop_session(struct apol_model *m, struct apol_session *s)
{
	*s = m->sessions[--m->n_sessions];
}

/* A granted session's focus, from the sessions above it. */
static int32_t wanted_focus(struct apol_model *m, const struct apol_session *s, bool *nav)
{
	int32_t focus = VIRTIO_AUDIO_POLICY_FOCUS_GAIN;
	unsigned int i;

	*nav = false;
	for (i = 0; i < m->n_sessions; i++) {
		const struct apol_session *t = &m->sessions[i];

		if (!above(t, s))
			continue;
		if (!(t->flags & VIRTIO_AUDIO_POLICY_F_MAY_DUCK))
			return VIRTIO_AUDIO_POLICY_FOCUS_LOSS_TRANSIENT;
		focus = VIRTIO_AUDIO_POLICY_FOCUS_LOSS_TRANSIENT_CAN_DUCK;
		*nav |= t->usage == VIRTIO_AUDIO_POLICY_USAGE_ASSISTANCE_NAVIGATION_GUIDANCE;
	}
	return focus;
}

/* A granted emergency in zone blocks the requests below it. */
static bool emergency_holds(struct apol_model *m, uint32_t zone, int32_t usage)
{
	unsigned int i;

	for (i = 0; i < m->n_sessions; i++)
		if (m->sessions[i].zone == zone && m->sessions[i].order &&
		    priority(m->sessions[i].usage) == 3 && priority(usage) < 3)
			return true;
	return false;
}

/* Grant s: the permanent sessions of its priority or below end. */
static void grant(struct apol_model *m, struct apol_session *s)
{
	unsigned int i;

	s->order = ++m->grants;
	if (s->flags & VIRTIO_AUDIO_POLICY_F_TRANSIENT)
		return;
	for (i = 0; i < m->n_sessions; i++) {
		struct apol_session *t = &m->sessions[i];

		if (t != s && t->zone == s->zone && t->order &&
		    !(t->flags & VIRTIO_AUDIO_POLICY_F_TRANSIENT) &&
		    priority(t->usage) <= priority(s->usage)) {
			/* flush() says LOSS */
			t->order = 0;
			t->ended = true;
		}
	}
}

/* Grant the waiting sessions nothing blocks; duck the streams of those that may be. */
static void rearrange(struct apol_model *m)
{
	bool ducked[APOL_MODEL_STREAMS] = { false }, by_nav[APOL_MODEL_STREAMS] = { false };
	unsigned int i, z;
	int idx;
	bool nav;

	for (i = 0; i < m->n_sessions; i++) {
		struct apol_session *s = &m->sessions[i];

		if (!s->order && !s->ended && !emergency_holds(m, s->zone, s->usage))
			grant(m, s);
	}
	for (i = 0; i < m->n_sessions; i++) {
		struct apol_session *s = &m->sessions[i];
		uint32_t stream;

		if (!s->order)
			continue;
		idx = usage_index(s->zone, s->usage);
		stream = zones[s->zone].streams[idx];
		if (stream != VIRTIO_AUDIO_POLICY_NO_STREAM &&
		    wanted_focus(m, s, &nav) == VIRTIO_AUDIO_POLICY_FOCUS_LOSS_TRANSIENT_CAN_DUCK) {
			ducked[stream] = true;
			by_nav[stream] |= nav;
		}
	}
	/* only the streams of the zones' usages are the policy's to duck */
	for (z = 0; z < APOL_MODEL_ZONES; z++) {
		for (i = 0; i < zones[z].n; i++) {
			uint32_t stream = zones[z].streams[i];

			if (stream == VIRTIO_AUDIO_POLICY_NO_STREAM)
				continue;
			m->targets[stream].ducked = ducked[stream];
			m->targets[stream].duck_reasons = !ducked[stream] ? 0 :
				by_nav[stream] ? VIRTIO_AUDIO_POLICY_REASON_NAV_DUCKING :
						 VIRTIO_AUDIO_POLICY_REASON_OTHER;
		}
	}
}

static int send_event(struct apol_model *m, uint16_t type, uint16_t target, uint32_t id,
		      uint32_t value, uint32_t reasons)
{
	uint8_t ev[EVENT_LEN];
	int err;

	put_le16(ev, type);
	put_le16(ev + 2, target);
	put_le32(ev + 4, id);
	put_le32(ev + 8, value);
	put_le32(ev + 12, reasons);
	err = vlab_pool_send(&m->lab, &m->events, ev, sizeof(ev), sizeof(ev));
	if (!err)
		m->events_sent++;
	return err;
}

/* One target's differences from what the driver was told; false when out of buffers. */
static bool flush_target(struct apol_model *m, unsigned int i)
{
	struct apol_target *t = &m->targets[i];
	uint16_t kind = i < APOL_MODEL_STREAMS ? VIRTIO_AUDIO_POLICY_TARGET_STREAM :
						 VIRTIO_AUDIO_POLICY_TARGET_JACK;
	uint32_t id = i < APOL_MODEL_STREAMS ? i : i - APOL_MODEL_STREAMS;

	if (t->ducked != t->told.ducked) {
		if (send_event(m, VIRTIO_AUDIO_POLICY_EVENT_DUCK, kind, id, t->ducked,
			       t->duck_reasons))
			return false;
		t->told.ducked = t->ducked;
	}
	if (t->muted != t->told.muted) {
		if (send_event(m, VIRTIO_AUDIO_POLICY_EVENT_MUTE, kind, id, t->muted,
			       t->mute_reasons))
			return false;
		t->told.muted = t->muted;
	}
	if (t->limit != t->told.limit) {
		if (send_event(m, VIRTIO_AUDIO_POLICY_EVENT_GAIN_LIMIT, kind, id, t->limit,
			       t->limit_reasons))
			return false;
		t->told.limit = t->limit;
	}
	return true;
}

/* Tell the driver what changed, while it has buffers; under m->lock. */
static void flush(struct apol_model *m)
{
	unsigned int i = 0;
	int32_t focus;
	bool nav;

	while (i < m->n_sessions) {
		struct apol_session *s = &m->sessions[i];

		if (s->ended) {
			if (send_event(m, VIRTIO_AUDIO_POLICY_EVENT_FOCUS_CHANGE, 0, s->id,
				       (uint32_t)VIRTIO_AUDIO_POLICY_FOCUS_LOSS, 0))
				return;
			drop_session(m, s);
			continue;
		}
		focus = s->order ? wanted_focus(m, s, &nav) : VIRTIO_AUDIO_POLICY_FOCUS_NONE;
		if (focus != s->focus) {
			if (send_event(m, VIRTIO_AUDIO_POLICY_EVENT_FOCUS_CHANGE, 0, s->id,
				       (uint32_t)focus, 0))
				return;
			s->focus = focus;
		}
		i++;
	}
	for (i = 0; i < APOL_MODEL_STREAMS + APOL_MODEL_JACKS; i++)
		if (!flush_target(m, i))
			return;
}

static bool flags_ok(uint32_t flags)
{
	const uint32_t t = VIRTIO_AUDIO_POLICY_F_TRANSIENT;

	return flags == 0 || flags == t || flags == (t | VIRTIO_AUDIO_POLICY_F_MAY_DUCK) ||
	       flags == (t | VIRTIO_AUDIO_POLICY_F_EXCLUSIVE);
}

static uint32_t acquire(struct apol_model *m, uint32_t id, int32_t usage, uint32_t zone,
			uint32_t flags)
{
	struct apol_session *s;
	unsigned int i;

	for (i = 0; i < m->n_sessions; i++)
		if (m->sessions[i].order && m->sessions[i].zone == zone &&
		    is_call(m->sessions[i].usage) && priority(usage) < 3 && !is_call(usage))
			return VIRTIO_AUDIO_POLICY_S_DENIED;
	if (m->n_sessions == APOL_MODEL_SESSIONS)
		return VIRTIO_AUDIO_POLICY_S_NO_SPACE;
	if (emergency_holds(m, zone, usage) && (flags & VIRTIO_AUDIO_POLICY_F_TRANSIENT))
		return VIRTIO_AUDIO_POLICY_S_DENIED;
	s = &m->sessions[m->n_sessions++];
	*s = (struct apol_session){
		.id = id, .usage = usage, .zone = zone, .flags = flags,
		.focus = VIRTIO_AUDIO_POLICY_FOCUS_NONE,
	};
	if (emergency_holds(m, zone, usage))
		return VIRTIO_AUDIO_POLICY_S_DELAYED;
	grant(m, s);
	/* the answer says GAIN; a loss from those above follows as an event */
	s->focus = VIRTIO_AUDIO_POLICY_FOCUS_GAIN;
	return VIRTIO_AUDIO_POLICY_S_OK;
}

/* The answer to one request, into out (room bytes); its length. */
static uint32_t answer(struct apol_model *m, enum apol_lie lie, const uint8_t *req,
		       uint8_t *out, uint32_t room)
{
	uint16_t type = req[0] | req[1] << 8, reserved = req[2] | req[3] << 8;
	uint32_t session = get_le32(req + 4), zone = get_le32(req + 12);
	uint32_t flags = get_le32(req + 16), stream = get_le32(req + 20);
	int32_t usage = (int32_t)get_le32(req + 8);
	uint32_t status = VIRTIO_AUDIO_POLICY_S_INVALID, len = 0, n, i;
	struct apol_session *s;

	if (reserved)
		goto out;
	switch (type) {
	case VIRTIO_AUDIO_POLICY_REQ_ZONE_INFO:
		if (session || usage || flags || stream || zone >= APOL_MODEL_ZONES)
			break;
		n = zones[zone].n;
		if (room < RESP_LEN + INFO_LEN + 4 * n)
			break;
		memset(out + RESP_LEN, 0, INFO_LEN);
		memcpy(out + RESP_LEN, zones[zone].name, strlen(zones[zone].name));
		for (i = 0; i < n; i++)
			put_le32(out + RESP_LEN + INFO_LEN + 4 * i,
				 (uint32_t)zones[zone].usages[i]);
		if (lie == APOL_LIE_ZONE_TWICE && n > 1)
			put_le32(out + RESP_LEN + INFO_LEN + 4, (uint32_t)zones[zone].usages[0]);
		put_le32(out + RESP_LEN + 32, n);
		len = INFO_LEN + 4 * n + (lie == APOL_LIE_ZONE_LEN ? 4 : 0);
		status = VIRTIO_AUDIO_POLICY_S_OK;
		break;
	case VIRTIO_AUDIO_POLICY_REQ_FOCUS_ACQUIRE:
		if (zone >= APOL_MODEL_ZONES || usage_index(zone, usage) < 0 || !flags_ok(flags) ||
		    (stream >= APOL_MODEL_STREAMS && stream != VIRTIO_AUDIO_POLICY_NO_STREAM) ||
		    find_session(m, session))
			break;
		status = acquire(m, session, usage, zone, flags);
		break;
	case VIRTIO_AUDIO_POLICY_REQ_FOCUS_RELEASE:
		if (usage || zone || flags || stream)
			break;
		s = find_session(m, session);
		/* releasing is idempotent; an ended one's LOSS need not go now */
		if (s)
			drop_session(m, s);
		status = VIRTIO_AUDIO_POLICY_S_OK;
		break;
	}
out:
	if (lie == APOL_LIE_STATUS)
		status = LIE_STATUS;
	put_le32(out, status);
	put_le32(out + 4, status == VIRTIO_AUDIO_POLICY_S_OK ? len : 0);
	return RESP_LEN + (status == VIRTIO_AUDIO_POLICY_S_OK ? len : 0);
}

static int request(struct apol_model *m, const struct vlab_event *ev)
{
	uint8_t out[RESP_LEN + INFO_LEN + 4 * (APOL_MODEL_MAX_USAGES + 1)];
	uint32_t room = ev->in_len < sizeof(out) ? ev->in_len : sizeof(out), len;
	enum apol_lie lie = APOL_LIE_NONE;
	int err;

	if (ev->out_len < REQ_LEN || ev->in_len < RESP_LEN)
		return vlab_complete(&m->lab, ev->queue, ev->id, NULL, 0, 0, 0);
	pthread_mutex_lock(&m->lock);
	if (m->lie_count) {
		lie = m->lie;
		m->lie_count--;
	}
	if (lie == APOL_LIE_SILENT) {
		if (m->n_held < APOL_MODEL_QUEUE_SIZE)
			m->held_ids[m->n_held++] = ev->id;
		pthread_mutex_unlock(&m->lock);
		return 0;
	}
	m->requests++;
	len = answer(m, lie, ev->data, out, room);
	err = vlab_complete(&m->lab, ev->queue, ev->id, out, len, len, 0);
	rearrange(m);
	flush(m);
	pthread_mutex_unlock(&m->lock);
	return err;
}

/* A reset ends the sessions; what the platform does stays, told anew. */
static void reset(struct apol_model *m)
{
	unsigned int i;

	vlab_pool_clear(&m->events);
	m->n_held = 0;
	m->n_sessions = 0;
	rearrange(m);
	for (i = 0; i < APOL_MODEL_STREAMS + APOL_MODEL_JACKS; i++) {
		m->targets[i].told.ducked = 0;
		m->targets[i].told.muted = 0;
		m->targets[i].told.limit = 100;
	}
}

int apol_model_create(struct apol_model *m, const struct virtio_audio_policy_config *config)
{
	static const struct virtio_audio_policy_config vehicle = {
		.zones = APOL_MODEL_ZONES,
		.max_usages = APOL_MODEL_MAX_USAGES,
		.streams = APOL_MODEL_STREAMS,
		.jacks = APOL_MODEL_JACKS,
	};
	struct vlab_create create = {
		.device_id = VIRTIO_ID_AUDIO_POLICY,
		.features = 1ULL << VIRTIO_F_VERSION_1,
		.num_queues = 2,
		.config_size = sizeof(*config),
		.config = (uintptr_t)(config ? config : &vehicle),
		.queue_size = { APOL_MODEL_QUEUE_SIZE, APOL_MODEL_QUEUE_SIZE },
	};
	unsigned int i;

	memset(m, 0, sizeof(*m));
	pthread_mutex_init(&m->lock, NULL);
	vlab_pool_init(&m->events, VIRTIO_AUDIO_POLICY_VQ_EVENT);
	for (i = 0; i < APOL_MODEL_STREAMS + APOL_MODEL_JACKS; i++) {
		m->targets[i].limit = 100;
		m->targets[i].told.limit = 100;
	}
	return vlab_start(&m->lab, &create);
}

void apol_model_destroy(struct apol_model *m)
{
	vlab_close(&m->lab);
	pthread_mutex_destroy(&m->lock);
}

int apol_model_serve(struct apol_model *m, int idle_ms)
{
	struct vlab_event *ev;
	int err;

	for (;;) {
		ev = vlab_next(&m->lab, idle_ms);
		if (!ev)
			return errno == ENODEV ? 0 : -errno;
		err = 0;
		switch (ev->type) {
		case VLAB_EVENT_RESET:
			pthread_mutex_lock(&m->lock);
			reset(m);
			pthread_mutex_unlock(&m->lock);
			break;
		case VLAB_EVENT_CHAIN:
			if (ev->queue == VIRTIO_AUDIO_POLICY_VQ_REQUEST) {
				err = request(m, ev);
				break;
			}
			pthread_mutex_lock(&m->lock);
			vlab_pool_add(&m->events, ev->id);
			/* what could not be told for want of a buffer goes now */
			flush(m);
			pthread_mutex_unlock(&m->lock);
			break;
		case VLAB_EVENT_REMOVED:
			return 0;
		}
		if (err && err != -ESTALE)
			return err;
	}
}

void apol_model_lie(struct apol_model *m, enum apol_lie lie, unsigned int count)
{
	pthread_mutex_lock(&m->lock);
	m->lie = lie;
	m->lie_count = count;
	pthread_mutex_unlock(&m->lock);
}

int apol_model_set_target(struct apol_model *m, uint16_t type, uint16_t target, uint32_t id,
			  uint32_t value, uint32_t reasons)
{
	unsigned int i = target == VIRTIO_AUDIO_POLICY_TARGET_STREAM ? id :
			 APOL_MODEL_STREAMS + id;
	struct apol_target *t;

	if ((target == VIRTIO_AUDIO_POLICY_TARGET_STREAM && id >= APOL_MODEL_STREAMS) ||
	    (target == VIRTIO_AUDIO_POLICY_TARGET_JACK && id >= APOL_MODEL_JACKS) ||
	    (target != VIRTIO_AUDIO_POLICY_TARGET_STREAM &&
	     target != VIRTIO_AUDIO_POLICY_TARGET_JACK))
		return -EINVAL;
	pthread_mutex_lock(&m->lock);
	t = &m->targets[i];
	switch (type) {
	case VIRTIO_AUDIO_POLICY_EVENT_DUCK:
		t->ducked = value;
		t->duck_reasons = reasons;
		break;
	case VIRTIO_AUDIO_POLICY_EVENT_MUTE:
		t->muted = value;
		t->mute_reasons = reasons;
		break;
	default:
		t->limit = value;
		t->limit_reasons = reasons;
		break;
	}
	flush(m);
	pthread_mutex_unlock(&m->lock);
	return 0;
}

int apol_model_send_event(struct apol_model *m, const void *ev, uint32_t len,
			  uint32_t used_len)
{
	int err;

	pthread_mutex_lock(&m->lock);
	err = vlab_pool_send(&m->lab, &m->events, ev, len, used_len);
	pthread_mutex_unlock(&m->lock);
	return err;
}

int apol_model_session_focus(struct apol_model *m, uint32_t zone, int32_t usage,
			     int32_t *focus)
{
	unsigned int i;
	int err = -ENOENT;

	pthread_mutex_lock(&m->lock);
	for (i = 0; i < m->n_sessions; i++) {
		if (m->sessions[i].zone == zone && m->sessions[i].usage == usage &&
		    !m->sessions[i].ended) {
			*focus = m->sessions[i].focus;
			err = 0;
		}
	}
	pthread_mutex_unlock(&m->lock);
	return err;
}

unsigned int apol_model_sessions(struct apol_model *m)
{
	unsigned int n;

	pthread_mutex_lock(&m->lock);
	n = m->n_sessions;
	pthread_mutex_unlock(&m->lock);
	return n;
}

unsigned int apol_model_event_buffers(struct apol_model *m)
{
	unsigned int n;

	pthread_mutex_lock(&m->lock);
	n = m->events.n;
	pthread_mutex_unlock(&m->lock);
	return n;
}

unsigned int apol_model_requests(struct apol_model *m)
{
	unsigned int n;

	pthread_mutex_lock(&m->lock);
	n = m->requests;
	pthread_mutex_unlock(&m->lock);
	return n;
}

int apol_model_answer_held(struct apol_model *m)
{
	uint8_t out[RESP_LEN];
	unsigned int i, n;

	pthread_mutex_lock(&m->lock);
	put_le32(out, VIRTIO_AUDIO_POLICY_S_INVALID);
	put_le32(out + 4, 0);
	for (i = 0; i < m->n_held; i++)
		vlab_complete(&m->lab, VIRTIO_AUDIO_POLICY_VQ_REQUEST, m->held_ids[i], out,
			      sizeof(out), sizeof(out), 0);
	n = m->n_held;
	m->n_held = 0;
	pthread_mutex_unlock(&m->lock);
	return n;
}
