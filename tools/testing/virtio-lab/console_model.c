// SPDX-License-Identifier: GPL-2.0
/*
 * A virtio console device (ID 3) with one port, played in the lab.
 */
#include <endian.h>
#include <errno.h>
#include <string.h>

#include <linux/virtio_config.h>
#include <linux/virtio_console.h>
#include <linux/virtio_ids.h>

#include "console_model.h"

/* Queues of a console without VIRTIO_CONSOLE_F_MULTIPORT. */
#define CONSOLE_RX 0
#define CONSOLE_TX 1

int console_model_create(struct console_model *m, uint16_t cols,
			 uint16_t rows)
{
	struct virtio_console_config config = {
		.cols = htole16(cols),
		.rows = htole16(rows),
	};
	struct vlab_create create = {
		.device_id = VIRTIO_ID_CONSOLE,
		.features = (1ULL << VIRTIO_F_VERSION_1) |
			    (1ULL << VIRTIO_CONSOLE_F_SIZE),
		.num_queues = 2,
		.config_size = sizeof(config),
		.config = (uintptr_t)&config,
		.queue_size = { CONSOLE_MODEL_QUEUE_SIZE, CONSOLE_MODEL_QUEUE_SIZE },
	};

	memset(m, 0, sizeof(*m));
	return vlab_start(&m->lab, &create);
}

struct vlab_event *console_model_step(struct console_model *m, int timeout_ms)
{
	struct vlab_event *ev = vlab_next(&m->lab, timeout_ms);
	size_t n;

	if (!ev)
		return NULL;
	if (ev->type == VLAB_EVENT_RESET) {
		m->rx_count = 0;
	} else if (ev->type == VLAB_EVENT_CHAIN && ev->queue == CONSOLE_TX) {
		n = ev->out_len;
		if (n > sizeof(m->tx) - m->tx_len)
			n = sizeof(m->tx) - m->tx_len;
		memcpy(m->tx + m->tx_len, ev->data, n);
		m->tx_len += n;
		if (vlab_complete(&m->lab, ev->queue, ev->id, NULL, 0, 0, 0) == -ENODEV)
			return NULL;
	} else if (ev->type == VLAB_EVENT_CHAIN && ev->queue == CONSOLE_RX &&
		   m->rx_count < CONSOLE_MODEL_QUEUE_SIZE) {
		m->rx_ids[m->rx_count] = ev->id;
		m->rx_room[m->rx_count] = ev->in_len;
		m->rx_count++;
	}
	return ev;
}

int console_model_wait_rx(struct console_model *m, unsigned int n,
			  int timeout_ms)
{
	while (m->rx_count < n)
		if (!console_model_step(m, timeout_ms))
			return -errno;
	return 0;
}

int console_model_wait_tx(struct console_model *m, size_t len, int timeout_ms)
{
	while (m->tx_len < len)
		if (!console_model_step(m, timeout_ms))
			return -errno;
	return 0;
}

int console_model_send(struct console_model *m, unsigned int slot,
		       const void *data, uint32_t len)
{
	int err;

	if (slot >= m->rx_count || len > m->rx_room[slot])
		return -EINVAL;
	err = vlab_complete(&m->lab, CONSOLE_RX, m->rx_ids[slot], data, len,
			    len, 0);
	if (err)
		return err;
	m->rx_count--;
	memmove(&m->rx_ids[slot], &m->rx_ids[slot + 1],
		(m->rx_count - slot) * sizeof(m->rx_ids[0]));
	memmove(&m->rx_room[slot], &m->rx_room[slot + 1],
		(m->rx_count - slot) * sizeof(m->rx_room[0]));
	return 0;
}

int console_model_resize(struct console_model *m, uint16_t cols,
			 uint16_t rows)
{
	uint16_t size[2] = { htole16(cols), htole16(rows) };

	return vlab_set_config(&m->lab, 0, size, sizeof(size), VLAB_CONFIG_NOTIFY);
}
