// SPDX-License-Identifier: GPL-2.0
/*
 * A virtio entropy device (ID 4) played in the lab: each buffer the driver
 * posts is filled completely from the chosen source and returned.
 */
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <linux/virtio_config.h>
#include <linux/virtio_extra/virtio_rng.h>

#include "entropy_model.h"

int entropy_model_create(struct entropy_model *m, enum entropy_source source)
{
	struct vlab_create create = {
		.device_id = VIRTIO_ID_RNG,
		.features = 1ULL << VIRTIO_F_VERSION_1,
		.num_queues = VIRTIO_RNG_VQ_MAX_CNT,
		.queue_size = { [VIRTIO_RNG_VQ_REQUEST] = 64 },
	};

	memset(m, 0, sizeof(*m));
	m->source = source;
	return vlab_start(&m->lab, &create);
}

static int entropy_fill(struct entropy_model *m, uint8_t *buf, uint32_t len)
{
	uint32_t i;
	ssize_t n;

	if (m->source == ENTROPY_COUNTER) {
		for (i = 0; i < len; i++)
			buf[i] = m->next++;
		return 0;
	}
	for (i = 0; i < len; i += n) {
		n = getrandom(buf + i, len - i, 0);
		if (n < 0)
			return -errno;
	}
	return 0;
}

int entropy_model_serve(struct entropy_model *m, uint64_t max_bytes,
			int idle_ms)
{
	static uint8_t buf[VLAB_MAX_CHAIN_OUT];
	struct vlab_event *ev;
	uint32_t len;
	int err;

	while (!max_bytes || m->bytes < max_bytes) {
		ev = vlab_next(&m->lab, idle_ms);
		if (!ev)
			return errno == ENODEV ? 0 : -errno;
		if (ev->type != VLAB_EVENT_CHAIN || ev->queue != VIRTIO_RNG_VQ_REQUEST)
			continue;
		/* The spec: device-writable buffers only, filled as far as we like. */
		len = ev->in_len < sizeof(buf) ? ev->in_len : sizeof(buf);
		err = entropy_fill(m, buf, len);
		if (!err)
			err = vlab_complete(&m->lab, ev->queue, ev->id, buf, len, len, 0);
		/* A reset voids the chain; a removal ends the service. */
		if (err == -ENODEV)
			return 0;
		if (err && err != -ESTALE)
			return err;
		m->bytes += len;
	}
	return 0;
}
