// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_audio_policy: the device, its requests and its events.
 *
 * Requests go one at a time on the request queue (virtio_request.c): one
 * the device never answers is abandoned, and no other goes until the
 * device answers it or is reset. A Focus Request control written is a
 * FOCUS_RELEASE of the session it had, then a FOCUS_ACQUIRE of a new one.
 * Events come on the event queue (virtio_event_queue.c), each checked and
 * used as a copy the device can no longer write.
 *
 * A reset ends every session (the specification says so): the focuses'
 * requests go back to None and their states say Loss. What the device does
 * to streams and jacks starts again from nothing, as after probe: the
 * device reports it anew.
 */
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <sound/core.h>
#include <sound/initval.h>

#include "virtio_audio_policy.h"

static unsigned int answer_ms = 2000;
module_param(answer_ms, uint, 0644);
MODULE_PARM_DESC(answer_ms, "How long the device may take to answer a request (ms)");

#define VAPOL_EVENT_BUFS	64
/* The largest payload: ZONE_INFO's, with the most usages. */
#define VAPOL_MAX_PAYLOAD	(sizeof(struct virtio_audio_policy_zone_info) + \
				 VIRTIO_AUDIO_POLICY_MAX_USAGES * sizeof(__le32))

/**
 * struct vapol_cmd - one request on its way through the device
 * @req: its life on the request queue.
 * @tx: the request, device-readable.
 * @rx: the response and its payload, device-writable, on cache lines of
 *	its own (a separate allocation).
 */
struct vapol_cmd {
	struct vreq req;
	struct virtio_audio_policy_req *tx;
	u8 *rx;
};

static void vapol_cmd_release(struct vreq *req)
{
	struct vapol_cmd *cmd = container_of(req, struct vapol_cmd, req);

	kfree(cmd->tx);
	kfree(cmd->rx);
	kfree(cmd);
}

/**
 * vapol_request - send one request and take its answer
 * @vap: the device
 * @req: the request, in wire order
 * @status: the response's status
 * @payload: where the payload goes, VAPOL_MAX_PAYLOAD bytes, or NULL
 *
 * The response's length is checked: its head whole, and its len within
 * what the device wrote and what @payload takes.
 *
 * Return: the payload's length, or a negative errno: -ETIMEDOUT, -EPROTO
 * for a response that breaks the specification, -ENODEV when the device
 * is gone, -EIO, -ENOMEM.
 */
static int vapol_request(struct vapol *vap, const struct virtio_audio_policy_req *req,
			 u32 *status, void *payload)
{
	unsigned int rx_len = sizeof(struct virtio_audio_policy_resp) +
			      (payload ? VAPOL_MAX_PAYLOAD : 0), used;
	struct scatterlist out, in, *sgs[2] = { &out, &in };
	struct virtio_audio_policy_resp resp;
	u16 type = le16_to_cpu(req->type);
	struct vapol_cmd *cmd;
	u32 len;
	int err;

	cmd = kzalloc(sizeof(*cmd), GFP_KERNEL);
	if (!cmd)
		return -ENOMEM;
	cmd->tx = kmemdup(req, sizeof(*req), GFP_KERNEL);
	cmd->rx = kzalloc(rx_len, GFP_KERNEL);
	if (!cmd->tx || !cmd->rx) {
		vapol_cmd_release(&cmd->req);
		return -ENOMEM;
	}
	vreq_init(&cmd->req, vapol_cmd_release);
	sg_init_one(&out, cmd->tx, sizeof(*req));
	sg_init_one(&in, cmd->rx, rx_len);

	lockdep_assert_held(&vap->lock);
	err = vreq_submit(&vap->requests, &cmd->req, sgs, 1, 1);
	if (err) {
		vapol_cmd_release(&cmd->req);
		if (err == -EBUSY) {
			vapol_complain(vap, "the device still holds a request it never answered\n");
			return -EIO;
		}
		return err == -ENODEV ? err : -EIO;
	}
	if (!vreq_wait(&vap->requests, &cmd->req, READ_ONCE(answer_ms))) {
		vapol_complain(vap, "request %u not answered in %u ms\n", type,
			       READ_ONCE(answer_ms));
		return -ETIMEDOUT;
	}

	/* the answer is the driver's now: copy what counts, once */
	err = cmd->req.status;
	used = cmd->req.used_len;
	if (!err && (used < sizeof(resp) || used > rx_len)) {
		vapol_complain(vap, "request %u answered with %u bytes, in %u\n", type, used,
			       rx_len);
		err = -EPROTO;
	}
	if (err)
		goto out;
	memcpy(&resp, cmd->rx, sizeof(resp));
	*status = le32_to_cpu(resp.status);
	len = le32_to_cpu(resp.len);
	if (len > used - sizeof(resp) || (len && (!payload || *status))) {
		vapol_complain(vap, "request %u: %u bytes of payload said, %zu written\n", type,
			       len, used - sizeof(resp));
		err = -EPROTO;
		goto out;
	}
	if (len)
		memcpy(payload, cmd->rx + sizeof(resp), len);
	err = len;
out:
	vapol_cmd_release(&cmd->req);
	return err;
}

/* A zone's name is printable ASCII, NUL-padded. */
static bool vapol_name_ok(const u8 *name)
{
	unsigned int i, end = strnlen(name, VIRTIO_AUDIO_POLICY_NAME_LEN);

	for (i = 0; i < VIRTIO_AUDIO_POLICY_NAME_LEN; i++)
		if (i < end ? name[i] < 0x20 || name[i] > 0x7e : name[i])
			return false;
	return true;
}

/*
 * ZONE_INFO of one zone: its name into vap->zone_names, its usages into
 * usages (max_usages of them). Return: how many usages, or a negative
 * errno.
 */
static int vapol_zone_info(struct vapol *vap, u32 zone, s32 *usages)
{
	struct virtio_audio_policy_req req = {
		.type = cpu_to_le16(VIRTIO_AUDIO_POLICY_REQ_ZONE_INFO),
		.zone = cpu_to_le32(zone),
	};
	struct virtio_audio_policy_zone_info *info;
	unsigned int i, j, n;
	const __le32 *list;
	u32 status;
	int len, err;

	info = kmalloc(VAPOL_MAX_PAYLOAD, GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	mutex_lock(&vap->lock);
	len = vapol_request(vap, &req, &status, info);
	mutex_unlock(&vap->lock);
	if (len < 0) {
		err = len;
		goto out;
	}
	err = -EPROTO;
	if (status != VIRTIO_AUDIO_POLICY_S_OK) {
		vapol_complain(vap, "ZONE_INFO of zone %u: status %u\n", zone, status);
		goto out;
	}
	n = len >= sizeof(*info) ? le32_to_cpu(info->num_usages) : 0;
	if (!n || n > vap->max_usages || len != sizeof(*info) + n * sizeof(__le32) ||
	    !vapol_name_ok(info->name)) {
		vapol_complain(vap, "ZONE_INFO of zone %u breaks the specification (%d bytes)\n",
			       zone, len);
		goto out;
	}
	list = (const __le32 *)(info + 1);
	for (i = 0; i < n; i++) {
		usages[i] = (s32)le32_to_cpu(list[i]);
		if (usages[i] == VIRTIO_AUDIO_POLICY_USAGE_INVALID)
			break;
		for (j = 0; j < i && usages[j] != usages[i]; j++)
			;
		if (j < i)
			break;
	}
	if (i < n) {
		vapol_complain(vap, "zone %u: usage %d invalid or listed twice\n", zone,
			       usages[i]);
		goto out;
	}
	memcpy(vap->zone_names[zone], info->name, VIRTIO_AUDIO_POLICY_NAME_LEN);
	vap->zone_names[zone][VIRTIO_AUDIO_POLICY_NAME_LEN] = '\0';
	err = n;
out:
	kfree(info);
	return err;
}

/* Every zone's usages: the focuses, zone by zone. */
static int vapol_discover(struct vapol *vap)
{
	struct vapol_focus *focus;
	unsigned int zone, i, n = 0;
	s32 *usages;
	int *counts, err = 0;

	usages = kcalloc(vap->zones * vap->max_usages, sizeof(*usages), GFP_KERNEL);
	counts = kcalloc(vap->zones, sizeof(*counts), GFP_KERNEL);
	if (!usages || !counts) {
		err = -ENOMEM;
		goto out;
	}
	for (zone = 0; zone < vap->zones; zone++) {
		counts[zone] = vapol_zone_info(vap, zone, usages + zone * vap->max_usages);
		if (counts[zone] < 0) {
			err = counts[zone];
			goto out;
		}
		n += counts[zone];
	}
	focus = kcalloc(n, sizeof(*focus), GFP_KERNEL);
	if (!focus) {
		err = -ENOMEM;
		goto out;
	}
	n = 0;
	for (zone = 0; zone < vap->zones; zone++) {
		for (i = 0; i < counts[zone]; i++, n++) {
			focus[n].zone = zone;
			focus[n].usage = usages[zone * vap->max_usages + i];
		}
	}
	/* the event work looks sessions up from now on */
	spin_lock_irq(&vap->state_lock);
	vap->focus = focus;
	vap->n_focus = n;
	spin_unlock_irq(&vap->state_lock);
out:
	kfree(counts);
	kfree(usages);
	return err;
}

static const u32 vapol_request_flags[VAPOL_REQUESTS] = {
	[VAPOL_REQUEST_GAIN] = 0,
	[VAPOL_REQUEST_GAIN_TRANSIENT] = VIRTIO_AUDIO_POLICY_F_TRANSIENT,
	[VAPOL_REQUEST_MAY_DUCK] = VIRTIO_AUDIO_POLICY_F_TRANSIENT |
				   VIRTIO_AUDIO_POLICY_F_MAY_DUCK,
	[VAPOL_REQUEST_EXCLUSIVE] = VIRTIO_AUDIO_POLICY_F_TRANSIENT |
				    VIRTIO_AUDIO_POLICY_F_EXCLUSIVE,
};

/* Set a focus's request, state and session, under state_lock. */
static void vapol_focus_set(struct vapol_focus *focus, u8 request, u8 state, u32 session)
{
	focus->request = request;
	focus->state = state;
	focus->session = session;
}

/*
 * FOCUS_RELEASE of the focus's session, if it has one. Return: 0, or a
 * negative errno; the focus is left as it was on failure.
 */
static int vapol_focus_release(struct vapol *vap, struct vapol_focus *focus)
{
	struct virtio_audio_policy_req req = {
		.type = cpu_to_le16(VIRTIO_AUDIO_POLICY_REQ_FOCUS_RELEASE),
	};
	u32 session, status;
	int err;

	spin_lock_irq(&vap->state_lock);
	session = focus->session;
	spin_unlock_irq(&vap->state_lock);
	if (!session)
		return 0;
	req.session = cpu_to_le32(session);
	err = vapol_request(vap, &req, &status, NULL);
	if (err < 0)
		return err;
	if (status != VIRTIO_AUDIO_POLICY_S_OK) {
		vapol_complain(vap, "FOCUS_RELEASE of session %u: status %u\n", session, status);
		return -EPROTO;
	}
	return 0;
}

/* FOCUS_ACQUIRE for a new session; the focus's state from the answer. */
static int vapol_focus_acquire(struct vapol *vap, struct vapol_focus *focus, u8 request)
{
	struct virtio_audio_policy_req req = {
		.type = cpu_to_le16(VIRTIO_AUDIO_POLICY_REQ_FOCUS_ACQUIRE),
		.usage = cpu_to_le32((u32)focus->usage),
		.zone = cpu_to_le32(focus->zone),
		.flags = cpu_to_le32(vapol_request_flags[request]),
		.stream = cpu_to_le32(VIRTIO_AUDIO_POLICY_NO_STREAM),
	};
	u32 session, status = 0;
	int err;

	session = vap->next_session++;
	if (!vap->next_session)
		vap->next_session = 1;
	req.session = cpu_to_le32(session);
	/* live before the answer: a GAIN or a loss may overtake it */
	spin_lock_irq(&vap->state_lock);
	vapol_focus_set(focus, request, VAPOL_STATE_WAITING, session);
	focus->changed = false;
	spin_unlock_irq(&vap->state_lock);

	err = vapol_request(vap, &req, &status, NULL);
	if (!err) {
		switch (status) {
		case VIRTIO_AUDIO_POLICY_S_OK:
		case VIRTIO_AUDIO_POLICY_S_DELAYED:
		case VIRTIO_AUDIO_POLICY_S_DENIED:
			break;
		case VIRTIO_AUDIO_POLICY_S_INVALID:
			err = -EINVAL;
			break;
		case VIRTIO_AUDIO_POLICY_S_NO_SPACE:
			err = -ENOSPC;
			break;
		default:
			vapol_complain(vap, "FOCUS_ACQUIRE: unknown status %u\n", status);
			err = -EPROTO;
		}
	}

	spin_lock_irq(&vap->state_lock);
	if (err)
		vapol_focus_set(focus, VAPOL_REQUEST_NONE, VAPOL_STATE_NONE, 0);
	else if (status == VIRTIO_AUDIO_POLICY_S_DENIED)
		vapol_focus_set(focus, request, VAPOL_STATE_DENIED, 0);
	else if (status == VIRTIO_AUDIO_POLICY_S_OK && !focus->changed)
		focus->state = VAPOL_STATE_GAIN;
	spin_unlock_irq(&vap->state_lock);
	return err;
}

/**
 * vapol_focus_request - what a Focus Request control asks
 * @vap: the device
 * @focus: the focus
 * @request: enum vapol_request
 *
 * The session the focus had is released, and for a request other than
 * None a new one asks. A refusal is a state (Denied), not an error.
 *
 * Return: 1 when the request changed, 0 when it is the one already asked,
 * or a negative errno: the request is then None, or as it was when the
 * device did not take the release.
 */
int vapol_focus_request(struct vapol *vap, struct vapol_focus *focus, u8 request)
{
	u8 old_request, old_state;
	int err;

	mutex_lock(&vap->lock);
	spin_lock_irq(&vap->state_lock);
	old_request = focus->request;
	old_state = focus->state;
	spin_unlock_irq(&vap->state_lock);
	if (request == old_request) {
		mutex_unlock(&vap->lock);
		return 0;
	}
	err = vapol_focus_release(vap, focus);
	if (!err) {
		spin_lock_irq(&vap->state_lock);
		vapol_focus_set(focus, VAPOL_REQUEST_NONE, VAPOL_STATE_NONE, 0);
		spin_unlock_irq(&vap->state_lock);
		if (request != VAPOL_REQUEST_NONE)
			err = vapol_focus_acquire(vap, focus, request);
	}
	/*
	 * A write that went through is the ALSA core's to notify, and its one
	 * event stands for the state that answers it too: a writer reads that
	 * state back, and ALSA's mixer-test counts any other event as one of
	 * the write's. A failed write notifies what it changed.
	 */
	spin_lock_irq(&vap->state_lock);
	if (err && focus->request != old_request)
		vapol_ctl_notify(vap, focus->request_kctl);
	if (err && focus->state != old_state)
		vapol_ctl_notify(vap, focus->state_kctl);
	spin_unlock_irq(&vap->state_lock);
	mutex_unlock(&vap->lock);
	return err ? err : 1;
}

/* The focus of a live session, under state_lock. */
static struct vapol_focus *vapol_find_session(struct vapol *vap, u32 session)
{
	unsigned int i;

	if (!session)
		return NULL;
	for (i = 0; i < vap->n_focus; i++)
		if (vap->focus[i].session == session)
			return &vap->focus[i];
	return NULL;
}

/* A FOCUS_CHANGE, under state_lock: whether the specification allows it. */
static bool vapol_focus_change(struct vapol *vap, u32 session, s32 change)
{
	struct vapol_focus *focus = vapol_find_session(vap, session);
	u8 state, request;

	if (!focus)
		return false;
	request = focus->request;
	state = focus->state;
	switch (change) {
	case VIRTIO_AUDIO_POLICY_FOCUS_GAIN:
		if (state == VAPOL_STATE_GAIN)
			return false;
		state = VAPOL_STATE_GAIN;
		break;
	case VIRTIO_AUDIO_POLICY_FOCUS_LOSS_TRANSIENT:
	case VIRTIO_AUDIO_POLICY_FOCUS_LOSS_TRANSIENT_CAN_DUCK:
		state = change == VIRTIO_AUDIO_POLICY_FOCUS_LOSS_TRANSIENT ?
			VAPOL_STATE_LOSS_TRANSIENT : VAPOL_STATE_CAN_DUCK;
		if (state == focus->state)
			return false;
		break;
	case VIRTIO_AUDIO_POLICY_FOCUS_LOSS:
		request = VAPOL_REQUEST_NONE;
		state = VAPOL_STATE_LOSS;
		session = 0;
		break;
	default:
		return false;
	}
	if (request != focus->request)
		vapol_ctl_notify(vap, focus->request_kctl);
	vapol_focus_set(focus, request, state, session);
	focus->changed = true;
	vapol_ctl_notify(vap, focus->state_kctl);
	return true;
}

/* Set one of a target's states and its reasons, under state_lock. */
static void vapol_target_set(struct vapol *vap, struct vapol_target *t,
			     enum vapol_target_ctl ctl, u32 value, u32 reasons)
{
	u32 before = t->duck_reasons | t->mute_reasons | t->limit_reasons;
	bool changed;

	switch (ctl) {
	case VAPOL_CTL_DUCK:
		changed = t->ducked != value;
		t->ducked = value;
		t->duck_reasons = reasons;
		break;
	case VAPOL_CTL_MUTE:
		changed = t->muted != value;
		t->muted = value;
		t->mute_reasons = reasons;
		break;
	default:
		changed = t->limit != value;
		t->limit = value;
		t->limit_reasons = reasons;
		break;
	}
	if (changed)
		vapol_ctl_notify(vap, t->kctl[ctl]);
	if (before != (t->duck_reasons | t->mute_reasons | t->limit_reasons))
		vapol_ctl_notify(vap, t->kctl[VAPOL_CTL_REASONS]);
}

/* A DUCK, MUTE or GAIN_LIMIT, under state_lock: whether it is allowed. */
static bool vapol_target_change(struct vapol *vap, u16 type, u16 target, u32 id, u32 value,
				u32 reasons)
{
	enum vapol_target_ctl ctl;
	unsigned int index;
	u32 lifted;

	if (target == VIRTIO_AUDIO_POLICY_TARGET_STREAM && id < vap->streams)
		index = id;
	else if (target == VIRTIO_AUDIO_POLICY_TARGET_JACK && id < vap->jacks)
		index = vap->streams + id;
	else
		return false;
	switch (type) {
	case VIRTIO_AUDIO_POLICY_EVENT_DUCK:
		ctl = VAPOL_CTL_DUCK;
		lifted = 0;
		break;
	case VIRTIO_AUDIO_POLICY_EVENT_MUTE:
		ctl = VAPOL_CTL_MUTE;
		lifted = 0;
		break;
	default:
		ctl = VAPOL_CTL_GAIN_LIMIT;
		lifted = 100;
		break;
	}
	if (value > (ctl == VAPOL_CTL_GAIN_LIMIT ? 100 : 1) || (value == lifted && reasons))
		return false;
	vapol_target_set(vap, &vap->targets[index], ctl, value, reasons);
	return true;
}

/* Check one event's copy and show what it says. */
static void vapol_take_event(struct vevq *q, const void *event, unsigned int len)
{
	struct vapol *vap = container_of(q, struct vapol, events);
	const struct virtio_audio_policy_event *ev = event;
	u16 type = le16_to_cpu(ev->type), target = le16_to_cpu(ev->target);
	u32 id = le32_to_cpu(ev->id), value = le32_to_cpu(ev->value);
	u32 reasons = le32_to_cpu(ev->reasons);
	bool ok;

	spin_lock_irq(&vap->event_lock);
	vap->events_taken++;
	if (len != sizeof(*ev))
		vap->events_dropped++;
	spin_unlock_irq(&vap->event_lock);
	if (len != sizeof(*ev)) {
		vapol_complain(vap, "event of %u bytes, not %zu: dropped\n", len,
			       sizeof(*ev));
		return;
	}

	spin_lock_irq(&vap->state_lock);
	switch (type) {
	case VIRTIO_AUDIO_POLICY_EVENT_FOCUS_CHANGE:
		ok = !target && !reasons && vapol_focus_change(vap, id, (s32)value);
		break;
	case VIRTIO_AUDIO_POLICY_EVENT_DUCK:
	case VIRTIO_AUDIO_POLICY_EVENT_MUTE:
	case VIRTIO_AUDIO_POLICY_EVENT_GAIN_LIMIT:
		ok = vapol_target_change(vap, type, target, id, value, reasons);
		break;
	default:
		ok = false;
	}
	spin_unlock_irq(&vap->state_lock);
	if (!ok) {
		spin_lock_irq(&vap->event_lock);
		vap->events_dropped++;
		spin_unlock_irq(&vap->event_lock);
		vapol_complain(vap,
			       "event %u (target %u, id %u, value %d, reasons 0x%x) breaks the specification: dropped\n",
			       type, target, id, (s32)value, reasons);
	}
}

static void vapol_request_done(struct virtqueue *vq)
{
	struct vapol *vap = vq->vdev->priv;

	vreq_queue_complete(&vap->requests, vq);
}

static void vapol_event_done(struct virtqueue *vq)
{
	struct vapol *vap = vq->vdev->priv;

	vevq_done(&vap->events);
}

/* Set up the queues, give the event buffers, and let requests go. */
static int vapol_start(struct vapol *vap)
{
	struct virtqueue *vqs[2];
	struct virtqueue_info vqs_info[] = {
		{ "requestq", vapol_request_done },
		{ "eventq", vapol_event_done },
	};
	int err;

	err = virtio_find_vqs(vap->vdev, 2, vqs, vqs_info, NULL);
	if (err)
		return err;
	err = vevq_start(&vap->events, vqs[1]);
	if (err) {
		vap->vdev->config->del_vqs(vap->vdev);
		vevq_stopped(&vap->events);
		return err;
	}
	vreq_queue_open(&vap->requests, vqs[0]);
	virtio_device_ready(vap->vdev);
	vevq_kick(&vap->events);
	return 0;
}

/*
 * A reset ended the sessions, and what the device did to the targets is
 * reported anew after the next start: show both, under state_lock.
 */
static void vapol_forget(struct vapol *vap)
{
	unsigned int i;

	spin_lock_irq(&vap->state_lock);
	for (i = 0; i < vap->n_focus; i++) {
		struct vapol_focus *focus = &vap->focus[i];

		if (focus->request == VAPOL_REQUEST_NONE)
			continue;
		vapol_focus_set(focus, VAPOL_REQUEST_NONE, VAPOL_STATE_LOSS, 0);
		vapol_ctl_notify(vap, focus->request_kctl);
		vapol_ctl_notify(vap, focus->state_kctl);
	}
	for (i = 0; i < vap->streams + vap->jacks; i++) {
		vapol_target_set(vap, &vap->targets[i], VAPOL_CTL_DUCK, 0, 0);
		vapol_target_set(vap, &vap->targets[i], VAPOL_CTL_MUTE, 0, 0);
		vapol_target_set(vap, &vap->targets[i], VAPOL_CTL_GAIN_LIMIT, 100, 0);
	}
	spin_unlock_irq(&vap->state_lock);
}

/*
 * Reset the device and take back what it held: a waiting request gets
 * -ENODEV, events not taken are dropped. The request lock is not taken:
 * its holder may be waiting for the device.
 */
static void vapol_stop(struct vapol *vap)
{
	vreq_queue_close(&vap->requests);
	vevq_stop(&vap->events);
	virtio_reset_device(vap->vdev);
	vreq_queue_give_back(&vap->requests, -ENODEV);
	vap->vdev->config->del_vqs(vap->vdev);
	vevq_stopped(&vap->events);
	vapol_forget(vap);
}

/* The device's configuration, checked against the specification's limits. */
static int vapol_read_config(struct vapol *vap)
{
	struct virtio_device *vdev = vap->vdev;

	virtio_cread_le(vdev, struct virtio_audio_policy_config, zones, &vap->zones);
	virtio_cread_le(vdev, struct virtio_audio_policy_config, max_usages, &vap->max_usages);
	virtio_cread_le(vdev, struct virtio_audio_policy_config, streams, &vap->streams);
	virtio_cread_le(vdev, struct virtio_audio_policy_config, jacks, &vap->jacks);
	if (!vap->zones || vap->zones > VIRTIO_AUDIO_POLICY_MAX_ZONES || !vap->max_usages ||
	    vap->max_usages > VIRTIO_AUDIO_POLICY_MAX_USAGES ||
	    vap->streams > VIRTIO_AUDIO_POLICY_MAX_TARGETS ||
	    vap->jacks > VIRTIO_AUDIO_POLICY_MAX_TARGETS) {
		dev_err(&vdev->dev, "configuration breaks the specification: %u zones of up to %u usages, %u streams, %u jacks\n",
			vap->zones, vap->max_usages, vap->streams, vap->jacks);
		return -EINVAL;
	}
	return 0;
}

/* The card's private data goes with the card, after its last file closed. */
static void vapol_card_free(struct snd_card *card)
{
	struct vapol *vap = card->private_data;

	kfree(vap->focus);
	kfree(vap->targets);
	kfree(vap->zone_names);
	vevq_free(&vap->events);
	put_device(&vap->vdev->dev);
}

static int vapol_probe(struct virtio_device *vdev)
{
	struct snd_card *card;
	struct vapol *vap;
	int err;

	if (!virtio_has_feature(vdev, VIRTIO_F_VERSION_1))
		return -ENODEV;
	if (!vdev->config->get) {
		dev_err(&vdev->dev, "no configuration space\n");
		return -EINVAL;
	}
	err = snd_card_new(&vdev->dev, SNDRV_DEFAULT_IDX1, "AudioPolicy", THIS_MODULE,
			   sizeof(*vap), &card);
	if (err)
		return err;
	vap = card->private_data;
	/* a control written after removal may still name the device */
	get_device(&vdev->dev);
	card->private_free = vapol_card_free;
	vap->vdev = vdev;
	vap->card = card;
	vap->next_session = 1;
	vdev->priv = vap;
	mutex_init(&vap->lock);
	vreq_queue_init(&vap->requests);
	spin_lock_init(&vap->event_lock);
	spin_lock_init(&vap->state_lock);
	ratelimit_state_init(&vap->rs, DEFAULT_RATELIMIT_INTERVAL, DEFAULT_RATELIMIT_BURST);
	strscpy(card->driver, "virtio-apol", sizeof(card->driver));
	strscpy(card->shortname, "VirtIO AudioPolicy", sizeof(card->shortname));

	err = vapol_read_config(vap);
	if (err)
		goto free;
	snprintf(card->longname, sizeof(card->longname), "VirtIO AudioPolicy at %s, %u zones",
		 dev_name(&vdev->dev), vap->zones);
	err = vevq_init(&vap->events, &vap->event_lock, VAPOL_EVENT_BUFS,
			sizeof(struct virtio_audio_policy_event), vapol_take_event);
	vap->targets = kcalloc(vap->streams + vap->jacks, sizeof(*vap->targets), GFP_KERNEL);
	vap->zone_names = kcalloc(vap->zones, sizeof(*vap->zone_names), GFP_KERNEL);
	if (err || (vap->streams + vap->jacks && !vap->targets) || !vap->zone_names) {
		err = -ENOMEM;
		goto free;
	}
	/* the targets' controls first: the device reports them from the start */
	vapol_forget(vap);
	err = vapol_ctl_add_targets(vap);
	if (err)
		goto free;
	err = vapol_start(vap);
	if (err)
		goto free;
	err = vapol_discover(vap);
	if (err) {
		dev_err(&vdev->dev, "zones not discovered (%d)\n", err);
		goto stop;
	}
	err = vapol_ctl_add_focus(vap);
	if (err)
		goto stop;
	err = snd_card_register(card);
	if (err)
		goto stop;
	dev_info(&vdev->dev, "card %d: %u zones, %u focus controls, %u streams, %u jacks\n",
		 card->number, vap->zones, vap->n_focus, vap->streams, vap->jacks);
	return 0;

stop:
	vapol_stop(vap);
free:
	/* snd_card_free() frees vap: the card's private data */
	snd_card_free(card);
	return err;
}

static void vapol_remove(struct virtio_device *vdev)
{
	struct vapol *vap = vdev->priv;

	/* the reset first: it ends the requests control writers wait for */
	vapol_stop(vap);
	/* open files keep the card, and vap, until they close */
	snd_card_free_when_closed(vap->card);
}

#ifdef CONFIG_PM_SLEEP
static int vapol_freeze(struct virtio_device *vdev)
{
	vapol_stop(vdev->priv);
	return 0;
}

static int vapol_restore(struct virtio_device *vdev)
{
	return vapol_start(vdev->priv);
}
#endif

/* The event counts: all events taken, or those that broke the specification. */
static ssize_t vapol_events_show(struct device *dev, char *buf, bool invalid)
{
	struct vapol *vap = dev_to_virtio(dev)->priv;
	u64 v;

	spin_lock_irq(&vap->event_lock);
	v = invalid ? vap->events_dropped : vap->events_taken;
	spin_unlock_irq(&vap->event_lock);
	return sysfs_emit(buf, "%llu\n", v);
}

static ssize_t events_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return vapol_events_show(dev, buf, false);
}
static DEVICE_ATTR_RO(events);

static ssize_t events_invalid_show(struct device *dev, struct device_attribute *attr,
				   char *buf)
{
	return vapol_events_show(dev, buf, true);
}
static DEVICE_ATTR_RO(events_invalid);

static struct attribute *vapol_stats_attrs[] = {
	&dev_attr_events.attr,
	&dev_attr_events_invalid.attr,
	NULL
};

static const struct attribute_group vapol_stats_group = {
	.name = "audio_policy",
	.attrs = vapol_stats_attrs,
};

/* Made after the probe, removed before the removal: the device is there. */
static const struct attribute_group *vapol_dev_groups[] = {
	&vapol_stats_group,
	NULL
};

static const struct virtio_device_id vapol_id_table[] = {
	{ VIRTIO_ID_AUDIO_POLICY, VIRTIO_DEV_ANY_ID },
	{ 0 },
};
MODULE_DEVICE_TABLE(virtio, vapol_id_table);

static struct virtio_driver vapol_driver = {
	.driver.name = KBUILD_MODNAME,
	.id_table = vapol_id_table,
	.driver.dev_groups = vapol_dev_groups,
	.probe = vapol_probe,
	.remove = vapol_remove,
#ifdef CONFIG_PM_SLEEP
	.freeze = vapol_freeze,
	.restore = vapol_restore,
#endif
};
module_virtio_driver(vapol_driver);

MODULE_DESCRIPTION("Virtio audio policy: audio focus, ducking and muting as ALSA controls");
MODULE_AUTHOR("virtio-extra developers");
MODULE_LICENSE("GPL");
