/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A virtio console device (ID 3) with one port, played in the lab: what the
 * driver transmits is collected, receive buffers are filled on demand.
 */
#ifndef CONSOLE_MODEL_H
#define CONSOLE_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "libvlab.h"

#define CONSOLE_MODEL_QUEUE_SIZE 64

struct console_model {
	struct vlab lab;
	/* Receive chains the driver posted, oldest first. */
	uint32_t rx_ids[CONSOLE_MODEL_QUEUE_SIZE];
	uint32_t rx_room[CONSOLE_MODEL_QUEUE_SIZE];
	unsigned int rx_count;
	/* What the driver transmitted. */
	uint8_t tx[65536];
	size_t tx_len;
};

/* Create the device with this window size (VIRTIO_CONSOLE_F_SIZE). */
int console_model_create(struct console_model *m, uint16_t cols,
			 uint16_t rows);

/*
 * Handle one event: collect transmitted bytes (completing their chains),
 * keep receive chains for console_model_send(). Returns the event, or NULL
 * as vlab_next() does.
 */
struct vlab_event *console_model_step(struct console_model *m, int timeout_ms);

/* Step until the driver has posted at least n receive buffers. */
int console_model_wait_rx(struct console_model *m, unsigned int n,
			  int timeout_ms);

/* Step until at least len bytes were transmitted. */
int console_model_wait_tx(struct console_model *m, size_t len, int timeout_ms);

/* Send bytes to the driver in the receive chain kept at index slot. */
int console_model_send(struct console_model *m, unsigned int slot,
		       const void *data, uint32_t len);

/* Change the window size and raise a configuration interrupt. */
int console_model_resize(struct console_model *m, uint16_t cols,
			 uint16_t rows);

#endif /* CONSOLE_MODEL_H */
