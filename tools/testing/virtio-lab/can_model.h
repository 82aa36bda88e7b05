/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A virtio CAN controller (ID 36) played in the lab, to the VIRTIO 1.4
 * rules: frames the driver transmits are checked and handed to a callback
 * (the bus), received frames go into the receive buffers the driver
 * posted, START and STOP move the controller, bus-off is reported through
 * the configuration status. Knobs make it lie, for tests of the driver.
 */
#ifndef CAN_MODEL_H
#define CAN_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/can.h>

#include "libvlab.h"

#define CAN_MODEL_QUEUE_SIZE 256
#define CAN_MODEL_CTRL_QUEUE_SIZE 8

struct can_model;

/*
 * Put a frame the driver transmitted on the bus. Returns true when it went
 * out (the result is OK), false for NOT_OK.
 */
typedef bool (*can_model_bus_fn)(struct can_model *m,
				 const struct canfd_frame *frame, bool fd);

struct can_model {
	struct vlab lab;
	uint64_t features;		/* as the driver accepted them */
	bool started;
	uint16_t status;
	can_model_bus_fn bus;
	void *bus_data;

	/* Receive buffers the driver posted, oldest first. */
	uint32_t rx_ids[CAN_MODEL_QUEUE_SIZE];
	uint32_t rx_room[CAN_MODEL_QUEUE_SIZE];
	unsigned int rx_first;
	unsigned int rx_count;

	/* Transmit buffers held back while tx_hold_all, returned later. */
	uint32_t tx_held[CAN_MODEL_QUEUE_SIZE];
	unsigned int tx_held_count;

	/* Lies. */
	unsigned int tx_withhold_every;	/* never return every Nth buffer */
	bool tx_hold_all;		/* hold transmit buffers until released */
	bool ctrl_silent;		/* never answer control requests */
	bool ctrl_held;			/* one went unanswered ... */
	uint32_t ctrl_held_id;		/* ... this one, the last */
	int ctrl_result;		/* answer with this; -1: the right one */
	int ctrl_used_len;		/* report this length; -1: the right one */

	/* What happened. */
	unsigned long tx_frames;	/* put on the bus */
	unsigned long tx_refused;	/* answered NOT_OK */
	unsigned long tx_seen;		/* transmit chains seen */
	unsigned long ctrl_requests;
	unsigned long resets;
	unsigned long queue_resets;
	struct canfd_frame last_tx;	/* the last frame put on the bus */
	bool last_tx_fd;
};

/*
 * Create the device offering these feature bits (VIRTIO_CAN_F_*, and
 * transport ones such as VIRTIO_F_RING_RESET) besides VERSION_1,
 * INDIRECT_DESC and ACCESS_PLATFORM.
 */
int can_model_create(struct can_model *m, uint64_t features);

/* Answer one event; returns it, or NULL as vlab_next() does. */
struct vlab_event *can_model_step(struct can_model *m, int timeout_ms);

/* Answer one event already read. */
void can_model_handle(struct can_model *m, struct vlab_event *ev);

/*
 * Send a frame to the driver in the oldest receive buffer. -EAGAIN when
 * the driver posted none, -EPIPE while the controller is stopped,
 * -EOPNOTSUPP for a frame type not negotiated.
 */
int can_model_receive(struct can_model *m, const struct canfd_frame *frame,
		      bool fd);

/* Complete the oldest receive buffer with these bytes and this length. */
int can_model_receive_raw(struct can_model *m, const void *data,
			  uint32_t len, uint32_t used_len);

/* Return every held transmit buffer with this result. */
int can_model_release_tx(struct can_model *m, uint8_t result);

/* Bus-off: stop, return pending frames NOT_OK, set the status bit. */
int can_model_bus_off(struct can_model *m);

/* Write the status field; notify raises a configuration interrupt. */
int can_model_set_status(struct can_model *m, uint16_t status, bool notify);

#endif /* CAN_MODEL_H */
