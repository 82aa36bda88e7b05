// SPDX-License-Identifier: GPL-2.0
/*
 * A virtio CAN controller (ID 36) played in the lab.
 */
#include <endian.h>
#include <errno.h>
#include <string.h>

#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>

#include "can_model.h"
#include "linux/virtio_extra/virtio_can.h"

#define CAN_MODEL_FLAGS_KNOWN \
	(VIRTIO_CAN_FLAGS_RTR | VIRTIO_CAN_FLAGS_FD | VIRTIO_CAN_FLAGS_EXTENDED)

static bool has(const struct can_model *m, unsigned int bit)
{
	return m->features & (1ULL << bit);
}

int can_model_create(struct can_model *m, uint64_t features)
{
	struct virtio_can_config config = { 0 };
	struct vlab_create create = {
		.device_id = VIRTIO_ID_CAN,
		.features = (1ULL << VIRTIO_F_VERSION_1) |
			    (1ULL << VIRTIO_RING_F_INDIRECT_DESC) |
			    (1ULL << VIRTIO_F_ACCESS_PLATFORM) | features,
		.num_queues = VIRTIO_CAN_VQ_MAX_CNT,
		.config_size = sizeof(config),
		.config = (uintptr_t)&config,
		.queue_size = {
			[VIRTIO_CAN_VQ_TX] = CAN_MODEL_QUEUE_SIZE,
			[VIRTIO_CAN_VQ_RX] = CAN_MODEL_QUEUE_SIZE,
			[VIRTIO_CAN_VQ_CONTROL] = CAN_MODEL_CTRL_QUEUE_SIZE,
		},
	};

	memset(m, 0, sizeof(*m));
	m->ctrl_result = -1;
	m->ctrl_used_len = -1;
	return vlab_start(&m->lab, &create);
}

int can_model_set_status(struct can_model *m, uint16_t status, bool notify)
{
	uint16_t le = htole16(status);

	m->status = status;
	return vlab_set_config(&m->lab, 0, &le, sizeof(le),
			       notify ? VLAB_CONFIG_NOTIFY : 0);
}

static int complete_result(struct can_model *m, uint32_t queue, uint32_t id,
			   uint8_t result)
{
	return vlab_complete(&m->lab, queue, id, &result, 1, 1, 0);
}

int can_model_release_tx(struct can_model *m, uint8_t result)
{
	unsigned int i;
	int err = 0;

	for (i = 0; i < m->tx_held_count && !err; i++)
		err = complete_result(m, VIRTIO_CAN_VQ_TX, m->tx_held[i], result);
	m->tx_held_count = 0;
	return err;
}

/* The frame in a transmit chain, if the rules allow it. */
static bool tx_decode(const struct can_model *m, const struct vlab_event *ev,
		      struct canfd_frame *frame, bool *fd)
{
	const struct virtio_can_tx_out *out = (const void *)ev->data;
	uint32_t flags, id, len;
	bool rtr;

	if (ev->out_len < sizeof(*out) || ev->in_len < 1 ||
	    le16toh(out->msg_type) != VIRTIO_CAN_TX)
		return false;
	flags = le32toh(out->flags);
	id = le32toh(out->can_id);
	len = le16toh(out->length);
	*fd = flags & VIRTIO_CAN_FLAGS_FD;
	rtr = flags & VIRTIO_CAN_FLAGS_RTR;
	if (flags & ~CAN_MODEL_FLAGS_KNOWN)
		return false;
	if (id > ((flags & VIRTIO_CAN_FLAGS_EXTENDED) ? CAN_EFF_MASK : CAN_SFF_MASK))
		return false;
	if (*fd ? !has(m, VIRTIO_CAN_F_CAN_FD) || rtr || len > CANFD_MAX_DLEN :
		  !has(m, VIRTIO_CAN_F_CAN_CLASSIC) || len > CAN_MAX_DLEN)
		return false;
	if (rtr && !has(m, VIRTIO_CAN_F_RTR_FRAMES))
		return false;
	if (!rtr && ev->out_len < sizeof(*out) + len)
		return false;

	memset(frame, 0, sizeof(*frame));
	frame->can_id = id;
	if (flags & VIRTIO_CAN_FLAGS_EXTENDED)
		frame->can_id |= CAN_EFF_FLAG;
	if (rtr)
		frame->can_id |= CAN_RTR_FLAG;
	frame->len = len;
	if (!rtr)
		memcpy(frame->data, out->sdu, len);
	return true;
}

static void handle_tx(struct can_model *m, const struct vlab_event *ev)
{
	struct canfd_frame frame;
	bool fd, sent = false;

	m->tx_seen++;
	if (m->started && tx_decode(m, ev, &frame, &fd)) {
		sent = !m->bus || m->bus(m, &frame, fd);
		if (sent) {
			m->tx_frames++;
			m->last_tx = frame;
			m->last_tx_fd = fd;
		}
	}
	if (!sent)
		m->tx_refused++;
	if (m->tx_withhold_every && m->tx_seen % m->tx_withhold_every == 0)
		return;
	if (m->tx_hold_all && m->tx_held_count < CAN_MODEL_QUEUE_SIZE) {
		m->tx_held[m->tx_held_count++] = ev->id;
		return;
	}
	complete_result(m, VIRTIO_CAN_VQ_TX, ev->id,
			sent ? VIRTIO_CAN_RESULT_OK : VIRTIO_CAN_RESULT_NOT_OK);
}

static void handle_ctrl(struct can_model *m, const struct vlab_event *ev)
{
	const struct virtio_can_control_out *out = (const void *)ev->data;
	uint8_t result = VIRTIO_CAN_RESULT_NOT_OK;
	uint32_t used;

	m->ctrl_requests++;
	if (m->ctrl_silent) {
		m->ctrl_held = true;
		m->ctrl_held_id = ev->id;
		return;
	}
	if (ev->out_len >= sizeof(*out) && ev->in_len >= 1) {
		switch (le16toh(out->msg_type)) {
		case VIRTIO_CAN_SET_CTRL_MODE_START:
			/* The status changes before the request completes. */
			if (m->status & VIRTIO_CAN_S_CTRL_BUSOFF)
				can_model_set_status(m, m->status & ~VIRTIO_CAN_S_CTRL_BUSOFF,
						     false);
			m->started = true;
			result = VIRTIO_CAN_RESULT_OK;
			break;
		case VIRTIO_CAN_SET_CTRL_MODE_STOP:
			m->started = false;
			can_model_release_tx(m, VIRTIO_CAN_RESULT_NOT_OK);
			result = VIRTIO_CAN_RESULT_OK;
			break;
		}
	}
	if (m->ctrl_result >= 0)
		result = m->ctrl_result;
	used = m->ctrl_used_len >= 0 ? (uint32_t)m->ctrl_used_len : 1;
	vlab_complete(&m->lab, VIRTIO_CAN_VQ_CONTROL, ev->id, &result, 1, used, 0);
}

void can_model_handle(struct can_model *m, struct vlab_event *ev)
{
	unsigned int slot;

	switch (ev->type) {
	case VLAB_EVENT_FEATURES:
		m->features = ev->value;
		break;
	case VLAB_EVENT_RESET:
		m->resets++;
		m->started = false;
		m->rx_first = 0;
		m->rx_count = 0;
		m->tx_held_count = 0;
		m->ctrl_held = false;
		break;
	case VLAB_EVENT_QUEUE_RESET:
		m->queue_resets++;
		if (ev->queue == VIRTIO_CAN_VQ_TX)
			m->tx_held_count = 0;
		else if (ev->queue == VIRTIO_CAN_VQ_CONTROL)
			m->ctrl_held = false;
		else if (ev->queue == VIRTIO_CAN_VQ_RX)
			m->rx_count = 0;
		break;
	case VLAB_EVENT_CHAIN:
		if (ev->queue == VIRTIO_CAN_VQ_TX) {
			handle_tx(m, ev);
		} else if (ev->queue == VIRTIO_CAN_VQ_CONTROL) {
			handle_ctrl(m, ev);
		} else if (ev->queue == VIRTIO_CAN_VQ_RX &&
			   m->rx_count < CAN_MODEL_QUEUE_SIZE) {
			slot = (m->rx_first + m->rx_count) % CAN_MODEL_QUEUE_SIZE;
			m->rx_ids[slot] = ev->id;
			m->rx_room[slot] = ev->in_len;
			m->rx_count++;
		}
		break;
	}
}

struct vlab_event *can_model_step(struct can_model *m, int timeout_ms)
{
	struct vlab_event *ev = vlab_next(&m->lab, timeout_ms);

	if (ev)
		can_model_handle(m, ev);
	return ev;
}

int can_model_receive_raw(struct can_model *m, const void *data,
			  uint32_t len, uint32_t used_len)
{
	uint32_t id;
	int err;

	do {
		if (!m->rx_count)
			return -EAGAIN;
		id = m->rx_ids[m->rx_first];
		m->rx_first = (m->rx_first + 1) % CAN_MODEL_QUEUE_SIZE;
		m->rx_count--;
		err = vlab_complete(&m->lab, VIRTIO_CAN_VQ_RX, id, data, len,
				    used_len, 0);
		/* A reset not read yet voided the buffer: try the next. */
	} while (err == -ESTALE);
	return err;
}

int can_model_receive(struct can_model *m, const struct canfd_frame *frame,
		      bool fd)
{
	struct {
		struct virtio_can_rx hdr;
		uint8_t sdu[CANFD_MAX_DLEN];
	} rx = { 0 };
	bool rtr = !fd && (frame->can_id & CAN_RTR_FLAG);
	uint32_t flags = 0, payload = rtr ? 0 : frame->len;

	if (!m->started)
		return -EPIPE;
	if (fd ? !has(m, VIRTIO_CAN_F_CAN_FD) :
		 !has(m, VIRTIO_CAN_F_CAN_CLASSIC) ||
		 (rtr && !has(m, VIRTIO_CAN_F_RTR_FRAMES)))
		return -EOPNOTSUPP;
	if (!m->rx_count)
		return -EAGAIN;
	if (fd)
		flags |= VIRTIO_CAN_FLAGS_FD;
	if (rtr)
		flags |= VIRTIO_CAN_FLAGS_RTR;
	if (frame->can_id & CAN_EFF_FLAG)
		flags |= VIRTIO_CAN_FLAGS_EXTENDED;
	rx.hdr.msg_type = htole16(VIRTIO_CAN_RX);
	rx.hdr.length = htole16(frame->len);
	rx.hdr.flags = htole32(flags);
	rx.hdr.can_id = htole32(frame->can_id &
				((frame->can_id & CAN_EFF_FLAG) ? CAN_EFF_MASK : CAN_SFF_MASK));
	memcpy(rx.sdu, frame->data, payload);
	return can_model_receive_raw(m, &rx, sizeof(rx.hdr) + payload,
				     sizeof(rx.hdr) + payload);
}

int can_model_bus_off(struct can_model *m)
{
	int err;

	m->started = false;
	err = can_model_release_tx(m, VIRTIO_CAN_RESULT_NOT_OK);
	if (!err)
		err = can_model_set_status(m, m->status | VIRTIO_CAN_S_CTRL_BUSOFF, true);
	return err;
}
