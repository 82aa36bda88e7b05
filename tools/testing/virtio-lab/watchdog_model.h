/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A virtio watchdog device (ID 35) played in the lab, to the rules of
 * Documentation/watchdog/virtio-watchdog-spec.rst: the control protocol
 * (VIRTIO_WATCHDOG_F_CONTROL negotiated) and the basic protocol of Cloud
 * Hypervisor (no feature bit), whichever the driver negotiates.
 *
 * The timer is real: CLOCK_MONOTONIC, less the time the model was paused
 * (watchdog_model_pause(), the host pausing the virtual machine). An
 * expiry resets nothing: it is counted, timed and reported to a callback.
 * Faults make the device lie, for tests of the driver.
 *
 * The model is locked within (a recursive mutex), so one thread may serve
 * it (watchdog_model_serve()) while another pauses it, sets faults or reads
 * its state; the serve loop notices such changes at once. Without the lab
 * (watchdog_model_init() only), a test feeds it events through
 * watchdog_model_handle() and moves the clock itself (the clock and
 * complete hooks), to check its logic without a virtual machine.
 *
 * Where the specification leaves the choice to the device, the model:
 *  - uses a chain too short for a command, a ping or an event with used
 *    length 0 and does nothing else (never DEVICE_NEEDS_RESET: the lab
 *    cannot set it);
 *  - speaks the basic protocol when the driver accepts feature bits
 *    without VIRTIO_WATCHDOG_F_CONTROL (the lab cannot fail FEATURES_OK);
 *  - uses a ping buffer with used length in_len, the bytes the driver may
 *    see, as Cloud Hypervisor reports the length of the buffer;
 *  - answers commands that arrive before DRIVER_OK, counting them.
 */
#ifndef WATCHDOG_MODEL_H
#define WATCHDOG_MODEL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "libvlab.h"
#include "linux/virtio_extra/virtio_watchdog.h"

#define WATCHDOG_MODEL_QUEUE_SIZE 8
/* Expiry of the basic protocol: checks and grace, in milliseconds. */
#define WATCHDOG_BASIC_CHECK_MS (VIRTIO_WATCHDOG_BASIC_TIMEOUT * 1000)
#define WATCHDOG_BASIC_GRACE_MS (VIRTIO_WATCHDOG_BASIC_GRACE * 1000)
/* What WRONG_STATUS answers and BAD_EVENT sends: defined by nobody. */
#define WATCHDOG_MODEL_BAD_STATUS 0x7f
#define WATCHDOG_MODEL_BAD_EVENT 0x7f
/* Commands by type in stats.cmds[]: 1..5; unknown types count in [0]. */
#define WATCHDOG_MODEL_CMDS (VIRTIO_WATCHDOG_CMD_GET_TIMELEFT + 1)
/* watchdog_model_handle(): the chain was kept unanswered (FAULT_SILENT). */
#define WATCHDOG_MODEL_HELD 1

struct watchdog_model_params {
	/*
	 * The basic protocol only: no feature bit, no configuration space,
	 * one queue; features and the configuration values are ignored.
	 */
	bool basic;
	/*
	 * VIRTIO_WATCHDOG_F_* bits offered, as given: without
	 * VIRTIO_WATCHDOG_F_CONTROL too, for tests of the driver. The eventq
	 * exists when VIRTIO_WATCHDOG_F_PRETIMEOUT is among them.
	 */
	uint64_t features;
	/*
	 * The configuration, offered as given, also when it breaks the rules
	 * of the specification (tests of the driver's checks). The model
	 * checks commands against these values; a granularity of 0 counts as
	 * 1 there.
	 */
	uint32_t min_timeout_ms;
	uint32_t max_timeout_ms;
	uint32_t granularity_ms;
	uint32_t max_pretimeout_ms;
	uint32_t boot_status;
	uint16_t queue_size;	/* of each queue; 0: WATCHDOG_MODEL_QUEUE_SIZE */
};

/* Lies, told in the next responses or events (watchdog_model_set_fault()). */
enum watchdog_fault {
	WATCHDOG_FAULT_NONE,
	/* Hold the chain unanswered, nothing executed; see release_held(). */
	WATCHDOG_FAULT_SILENT,
	/* status WATCHDOG_MODEL_BAD_STATUS; the command is executed. */
	WATCHDOG_FAULT_WRONG_STATUS,
	/* running 2; the command is executed. */
	WATCHDOG_FAULT_BAD_RUNNING,
	/* used length 7 (a ping: 0); the command is executed. */
	WATCHDOG_FAULT_SHORT,
	/*
	 * VIRTIO_WATCHDOG_S_INVALID for a command that would succeed; it is
	 * not executed, and running and timeleft_ms say so.
	 */
	WATCHDOG_FAULT_STATUS_ERROR,
	/*
	 * Events nobody asked for, one in each event buffer as the driver
	 * makes it available (one at once if one is waiting): a PRETIMEOUT
	 * event whatever the timer does. The three event faults count
	 * events, not responses.
	 */
	WATCHDOG_FAULT_UNSOLICITED_EVENT,
	/* Likewise, of type WATCHDOG_MODEL_BAD_EVENT. */
	WATCHDOG_FAULT_BAD_EVENT,
	/* Likewise, a PRETIMEOUT event used with length 7. */
	WATCHDOG_FAULT_SHORT_EVENT,
	/* Basic protocol: the ping is counted but acknowledged with 0. */
	WATCHDOG_FAULT_WRONG_ACK,
	WATCHDOG_FAULT_COUNT
};

/* What the tool prints, the tests may wait for: watchdog_model.notify. */
enum watchdog_note_type {
	WATCHDOG_NOTE_NEGOTIATED,	/* features; basic: the protocol */
	WATCHDOG_NOTE_STARTED,		/* START, or a first basic ping */
	WATCHDOG_NOTE_PINGED,		/* a countdown restarted by a ping */
	WATCHDOG_NOTE_PING_STOPPED,	/* a PING of a stopped timer */
	WATCHDOG_NOTE_STOPPED,		/* STOP answered OK */
	WATCHDOG_NOTE_DENIED,		/* STOP denied: nowayout */
	WATCHDOG_NOTE_TIMEOUT_SET,	/* SET_TIMEOUT answered OK */
	WATCHDOG_NOTE_REFUSED,		/* answered INVALID or UNSUPPORTED */
	WATCHDOG_NOTE_PRETIMEOUT,	/* a pretimeout event sent */
	WATCHDOG_NOTE_PRETIMEOUT_DROPPED, /* its countdown ended first */
	WATCHDOG_NOTE_EXPIRED,		/* the timer ran out */
	WATCHDOG_NOTE_RESET,		/* running: it runs on (nowayout, basic) */
	WATCHDOG_NOTE_BAD_CHAIN,	/* a chain used with length 0 */
};

struct watchdog_note {
	enum watchdog_note_type type;
	bool basic;		/* of the basic protocol */
	bool running;		/* the timer after it */
	uint16_t cmd;		/* the command's type */
	uint8_t status;		/* the answer's status, before lies */
	uint32_t queue;		/* BAD_CHAIN: its queue */
	uint32_t timeout_ms;	/* STARTED, TIMEOUT_SET (basic: the grace) */
	uint32_t pretimeout_ms;
	uint32_t timeleft_ms;	/* PRETIMEOUT: the event's */
	uint64_t features;	/* NEGOTIATED */
	uint64_t silence_ms;	/* EXPIRED: since the countdown last restarted */
};

struct watchdog_model;

/*
 * Called with the model locked, from whichever thread made it happen
 * (model functions may be called: the lock is recursive).
 */
typedef void (*watchdog_model_notify_fn)(struct watchdog_model *m,
					 const struct watchdog_note *note);

struct watchdog_model_stats {
	unsigned long cmds[WATCHDOG_MODEL_CMDS];	/* by type; [0]: unknown */
	unsigned long pings;		/* countdowns restarted by PING or a basic ping */
	unsigned long basic_pings;	/* pings of the basic protocol, all */
	unsigned long starts;		/* START answered OK */
	unsigned long stops;		/* STOP answered OK */
	unsigned long denied;		/* answered DENIED */
	unsigned long invalid;		/* answered INVALID, lies aside */
	unsigned long unsupported;	/* answered UNSUPPORTED */
	unsigned long pretimeouts;	/* pretimeout events sent */
	unsigned long pretimeouts_dropped;
	unsigned long expiries;
	unsigned long bad_chains;	/* used with length 0 */
	unsigned long early_chains;	/* control chains before DRIVER_OK */
	unsigned long unset_first;	/* first commands after a reset not SET_TIMEOUT */
	unsigned long resets;
	unsigned long lies;		/* responses and events spoiled */
	unsigned long event_buffers;	/* eventq buffers the driver made available */
};

/* A chain held by WATCHDOG_FAULT_SILENT. */
struct watchdog_held {
	uint32_t id;
	uint32_t out_len;
	uint32_t in_len;
	struct virtio_watchdog_ctrl_req req;	/* its first bytes */
};

struct watchdog_model {
	struct vlab lab;
	struct watchdog_model_params params;
	pthread_mutex_t lock;
	int wake_fd;			/* an eventfd: wakes the serve loop */
	bool stop;			/* the serve loop returns */

	/*
	 * Hooks; watchdog_model_init() sets the defaults: CLOCK_MONOTONIC
	 * in milliseconds, and vlab_complete() on the lab.
	 */
	int64_t (*clock_ms)(struct watchdog_model *m);
	int (*complete)(struct watchdog_model *m, uint32_t queue, uint32_t id,
			const void *data, uint32_t len, uint32_t used_len);
	watchdog_model_notify_fn notify;	/* NULL: none */
	void *data;			/* the user's */

	/* The driver. */
	uint64_t features;		/* accepted; 0 until FEATURES_OK */
	uint8_t status;			/* the last device status */

	/*
	 * The clock of the virtual machine: the hook's time less the time
	 * paused; frozen at pause_start while paused.
	 */
	bool paused;
	int64_t pause_start;
	int64_t paused_total;

	/* The timer of the control protocol, on the clock above. */
	bool running;
	uint32_t timeout_ms;		/* the last valid values */
	uint32_t pretimeout_ms;
	int64_t countdown_start;	/* when the countdown last restarted */
	int64_t deadline;		/* when it expires */
	bool pretimeout_done;		/* sent, or waiting, in this countdown */
	bool pretimeout_pending;	/* waiting for an event buffer */

	/* The timer of the basic protocol. */
	bool basic_armed;
	int64_t last_ping;
	int64_t next_check;

	/* Event buffers the driver made available, oldest first. */
	uint32_t ev_ids[VLAB_MAX_QUEUE_SIZE];
	unsigned int ev_first;
	unsigned int ev_count;

	/* Lies. */
	enum watchdog_fault fault;
	unsigned int fault_left;	/* lies left to tell; 0: all */
	struct watchdog_held held[VLAB_MAX_QUEUE_SIZE];
	unsigned int held_count;

	/* What happened. */
	struct watchdog_model_stats stats;
	int64_t last_expiry_ms;		/* the hook's clock, not paused time */
	uint64_t last_expiry_silence_ms;
	struct virtio_watchdog_ctrl_resp last_resp;	/* the last answer, before lies */
	bool commanded;			/* a command came since the last reset */
};

/* Set up, without a device: enough for watchdog_model_handle(). */
int watchdog_model_init(struct watchdog_model *m,
			const struct watchdog_model_params *p);
/* Create the lab device of an initialised model. */
int watchdog_model_start(struct watchdog_model *m);
/* watchdog_model_init() and watchdog_model_start(), undone on failure. */
int watchdog_model_create(struct watchdog_model *m,
			  const struct watchdog_model_params *p);
/* Close the device (a surprise removal, if there is one) and free all. */
void watchdog_model_destroy(struct watchdog_model *m);

/*
 * Run the timer up to now: expiries, pretimeout events. Returns the
 * milliseconds until it next has something to do, or -1 (nothing, or
 * paused). The serve loop calls it; a tool polling the lab itself calls
 * it before each poll and polls no longer than it says.
 */
int watchdog_model_tick(struct watchdog_model *m);

/*
 * Handle any event, the timer run up to now first. Returns 0,
 * WATCHDOG_MODEL_HELD for a chain kept unanswered, or -errno: -ESTALE when
 * a reset not read yet voided the chain, -ENODEV once the device is gone.
 */
int watchdog_model_handle(struct watchdog_model *m, const struct vlab_event *ev);

/*
 * Serve until the device is removed or watchdog_model_wake_stop() is
 * called (0), or no lab event came for idle_ms (-ETIMEDOUT; -1: wait
 * forever; the timer runs on meanwhile). Returns 0 or -errno.
 */
int watchdog_model_serve(struct watchdog_model *m, int idle_ms);

/* Make the current or the next serve or step return; for other threads. */
void watchdog_model_wake_stop(struct watchdog_model *m);

/*
 * The host pauses (true) or resumes the virtual machine: the countdown
 * freezes, and the basic protocol counts its grace from the resume.
 */
void watchdog_model_pause(struct watchdog_model *m, bool pause);

/*
 * Lie with fault in the next count responses that it changes (0: in all,
 * until the next call); the event faults count events.
 */
void watchdog_model_set_fault(struct watchdog_model *m,
			      enum watchdog_fault fault, unsigned int count);

/*
 * Answer the chains WATCHDOG_FAULT_SILENT held, in order: execute and
 * answer them now, truthfully (execute), or use them with length 0 and
 * nothing executed. Returns 0 or the first error.
 */
int watchdog_model_release_held(struct watchdog_model *m, bool execute);

/* Whether the timer runs (control) or is armed (basic), at this moment. */
bool watchdog_model_running(struct watchdog_model *m);
/*
 * Milliseconds until the timer expires if nobody pings, or -1 when it
 * does not run. For the basic protocol: until the check that would expire.
 */
int64_t watchdog_model_timeleft_ms(struct watchdog_model *m);
/* A copy of the counters, taken under the lock. */
void watchdog_model_get_stats(struct watchdog_model *m,
			      struct watchdog_model_stats *stats);

/* "START", "PING" ... or NULL for an unknown type. */
const char *watchdog_cmd_name(uint16_t type);

#endif /* WATCHDOG_MODEL_H */
