/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * Do not edit directly, auto-generated from:
 *	Documentation/virtio/specs/watchdog.yaml
 * by tools/virtio-spec/vspec-gen.py (uapi).
 */
/* VSPEC-GEN uapi header */

/*
 * Watchdog device. The driver starts a timer in the device and restarts it with
 * pings; if the timer runs out, the host takes an action of its own policy
 * (reset, power off, pause, dump). With VIRTIO_WATCHDOG_F_CONTROL the driver
 * sends commands on the control queue, each answered with a status; without it
 * the device speaks the basic ping protocol of Cloud Hypervisor.
 *
 * Specification: Documentation/watchdog/virtio-watchdog-spec.rst (proposal)
 */
#ifndef _UAPI_LINUX_VIRTIO_EXTRA_VIRTIO_WATCHDOG_H
#define _UAPI_LINUX_VIRTIO_EXTRA_VIRTIO_WATCHDOG_H

#include <linux/types.h>
#include <linux/virtio_ids.h>

#ifndef VIRTIO_ID_WATCHDOG
#define VIRTIO_ID_WATCHDOG 35
#endif

/* Feature bits */
/*
 * Configuration space and the command set of the control queue. Without it, the
 * device speaks the basic ping protocol.
 */
#define VIRTIO_WATCHDOG_F_CONTROL 0
/* The event queue, and a pretimeout event before expiry. */
#define VIRTIO_WATCHDOG_F_PRETIMEOUT 1
/* Once started, the timer cannot be stopped, not even by device reset. */
#define VIRTIO_WATCHDOG_F_NOWAYOUT 2
/* The time left before expiry, in every response and on request. */
#define VIRTIO_WATCHDOG_F_TIMELEFT 3
/* virtio_watchdog_config.boot_status says why the system was reset. */
#define VIRTIO_WATCHDOG_F_BOOT_STATUS 4

/* Virtqueue indexes */
/* controlq, commands (basic protocol, pings) */
#define VIRTIO_WATCHDOG_VQ_CONTROL 0
/* eventq, pretimeout events; only with VIRTIO_WATCHDOG_F_PRETIMEOUT */
#define VIRTIO_WATCHDOG_VQ_EVENT 1
/* Number of virtqueues the device can have */
#define VIRTIO_WATCHDOG_VQ_MAX_CNT 2

/* Seconds between the checks of a device of the basic protocol. */
#define VIRTIO_WATCHDOG_BASIC_TIMEOUT 15

/*
 * Seconds without a ping after which a device of the basic protocol expires, at
 * the next check.
 */
#define VIRTIO_WATCHDOG_BASIC_GRACE 20

/* The byte a device of the basic protocol writes into a ping buffer. */
#define VIRTIO_WATCHDOG_BASIC_ACK 1

/*
 * Commands, in virtio_watchdog_ctrl_req.type.
 */
/* Start (or restart) the timer with timeout_ms and pretimeout_ms. */
#define VIRTIO_WATCHDOG_CMD_START 1
/* Restart the countdown of a running timer. */
#define VIRTIO_WATCHDOG_CMD_PING 2
/* Stop the timer. */
#define VIRTIO_WATCHDOG_CMD_STOP 3
/*
 * Set timeout_ms and pretimeout_ms; a running timer restarts its countdown with
 * them.
 */
#define VIRTIO_WATCHDOG_CMD_SET_TIMEOUT 4
/* Report the time left (VIRTIO_WATCHDOG_F_TIMELEFT). */
#define VIRTIO_WATCHDOG_CMD_GET_TIMELEFT 5

/*
 * Command results, in virtio_watchdog_ctrl_resp.status.
 */
/* Done. */
#define VIRTIO_WATCHDOG_S_OK 0
/* A value out of range, or a reserved field not 0; nothing done. */
#define VIRTIO_WATCHDOG_S_INVALID 1
/* Unknown command, or one of a feature not negotiated. */
#define VIRTIO_WATCHDOG_S_UNSUPPORTED 2
/* STOP of a started timer with VIRTIO_WATCHDOG_F_NOWAYOUT. */
#define VIRTIO_WATCHDOG_S_DENIED 3

/*
 * Event types, in virtio_watchdog_event.type.
 */
/* The time left reached the pretimeout. */
#define VIRTIO_WATCHDOG_EVENT_PRETIMEOUT 1

/*
 * Bits of virtio_watchdog_config.boot_status.
 */
/* The last reset of the system was the action of this watchdog. */
#define VIRTIO_WATCHDOG_BOOT_EXPIRED (1U << 0)

/**
 * struct virtio_watchdog_config - Device configuration layout, read-only for
 * the driver; present with VIRTIO_WATCHDOG_F_CONTROL.
 * @min_timeout_ms: Shortest timeout, a multiple of granularity_ms.
 * @max_timeout_ms: Longest timeout, a multiple of granularity_ms.
 * @granularity_ms: Timeouts and pretimeouts are multiples of this, at least 1.
 * @max_pretimeout_ms: Longest pretimeout, below max_timeout_ms; 0 without
 * VIRTIO_WATCHDOG_F_PRETIMEOUT.
 * @boot_status: VIRTIO_WATCHDOG_BOOT_* (VIRTIO_WATCHDOG_F_BOOT_STATUS), else 0.
 */
struct virtio_watchdog_config {
	__le32 min_timeout_ms;
	__le32 max_timeout_ms;
	__le32 granularity_ms;
	__le32 max_pretimeout_ms;
	__le32 boot_status;
};

/**
 * struct virtio_watchdog_ctrl_req - A command, device-readable.
 * @type: Command: VIRTIO_WATCHDOG_CMD_*.
 * @reserved: Reserved, 0.
 * @timeout_ms: Timeout of START and SET_TIMEOUT, else 0.
 * @pretimeout_ms: Time left at which the pretimeout event is sent, for START
 * and SET_TIMEOUT; 0 for none, and in every other command.
 */
struct virtio_watchdog_ctrl_req {
	__le16 type;
	__le16 reserved;
	__le32 timeout_ms;
	__le32 pretimeout_ms;
};

/**
 * struct virtio_watchdog_ctrl_resp - The answer to a command, device-writable.
 * @status: Result: VIRTIO_WATCHDOG_S_*.
 * @running: 1 if the timer runs after the command, else 0.
 * @reserved: Reserved, 0.
 * @timeleft_ms: Time left before expiry after the command, with
 * VIRTIO_WATCHDOG_F_TIMELEFT; else 0.
 */
struct virtio_watchdog_ctrl_resp {
	__u8 status;
	__u8 running;
	__le16 reserved;
	__le32 timeleft_ms;
};

/**
 * struct virtio_watchdog_event - An event, device-writable.
 * @type: Event type: VIRTIO_WATCHDOG_EVENT_*.
 * @reserved: Reserved, 0.
 * @timeleft_ms: Time left before expiry when the event was sent.
 */
struct virtio_watchdog_event {
	__le16 type;
	__le16 reserved;
	__le32 timeleft_ms;
};

/*
 * The device ID and the layouts the specification states, the
 * distribution's included. Never called: the compiler checks them
 * wherever this header is included (a negative array size fails).
 */
static inline void virtio_watchdog_layout_check(void)
{
	(void)sizeof(char[VIRTIO_ID_WATCHDOG == 35 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_watchdog_config) == 20 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_watchdog_config,
						 min_timeout_ms) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_watchdog_config,
						 max_timeout_ms) == 4 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_watchdog_config,
						 granularity_ms) == 8 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_watchdog_config,
						 max_pretimeout_ms) == 12 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_watchdog_config,
						 boot_status) == 16 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_watchdog_ctrl_req) == 12 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_watchdog_ctrl_req,
						 type) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_watchdog_ctrl_req,
						 reserved) == 2 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_watchdog_ctrl_req,
						 timeout_ms) == 4 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_watchdog_ctrl_req,
						 pretimeout_ms) == 8 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_watchdog_ctrl_resp) == 8 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_watchdog_ctrl_resp,
						 status) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_watchdog_ctrl_resp,
						 running) == 1 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_watchdog_ctrl_resp,
						 reserved) == 2 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_watchdog_ctrl_resp,
						 timeleft_ms) == 4 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_watchdog_event) == 8 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_watchdog_event,
						 type) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_watchdog_event,
						 reserved) == 2 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_watchdog_event,
						 timeleft_ms) == 4 ? 1 : -1]);
}

#endif /* _UAPI_LINUX_VIRTIO_EXTRA_VIRTIO_WATCHDOG_H */
