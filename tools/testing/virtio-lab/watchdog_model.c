// SPDX-License-Identifier: GPL-2.0
/*
 * A virtio watchdog device (ID 35) played in the lab: the two protocols,
 * the timer on a clock that stops while paused, events and lies.
 */
#define _GNU_SOURCE		/* PTHREAD_MUTEX_RECURSIVE */
#include <endian.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stddef.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>

#include "watchdog_model.h"
#include "clock.h"

#define BIT_ULL(n) (1ULL << (n))

#define REQ_SIZE sizeof(struct virtio_watchdog_ctrl_req)
#define RESP_SIZE sizeof(struct virtio_watchdog_ctrl_resp)
#define EVENT_SIZE sizeof(struct virtio_watchdog_event)

static const char *const cmd_names[WATCHDOG_MODEL_CMDS] = {
	[VIRTIO_WATCHDOG_CMD_START] = "START",
	[VIRTIO_WATCHDOG_CMD_PING] = "PING",
	[VIRTIO_WATCHDOG_CMD_STOP] = "STOP",
	[VIRTIO_WATCHDOG_CMD_SET_TIMEOUT] = "SET_TIMEOUT",
	[VIRTIO_WATCHDOG_CMD_GET_TIMELEFT] = "GET_TIMELEFT",
};

const char *watchdog_cmd_name(uint16_t type)
{
	return type < ARRAY_SIZE(cmd_names) ? cmd_names[type] : NULL;
}

static bool has(const struct watchdog_model *m, unsigned int bit)
{
	return m->features & BIT_ULL(bit);
}

/* Without VIRTIO_WATCHDOG_F_CONTROL accepted (or nothing yet): basic. */
static bool control(const struct watchdog_model *m)
{
	return has(m, VIRTIO_WATCHDOG_F_CONTROL);
}

static int64_t monotonic_ms(struct watchdog_model *m)
{
	return now_ms();
}

static int lab_complete(struct watchdog_model *m, uint32_t queue, uint32_t id,
			const void *data, uint32_t len, uint32_t used_len)
{
	return vlab_complete(&m->lab, queue, id, data, len, used_len, 0);
}

/* The time of the virtual machine: frozen while paused. */
static int64_t vm_now(struct watchdog_model *m)
{
	return (m->paused ? m->pause_start : m->clock_ms(m)) - m->paused_total;
}

static void lock(struct watchdog_model *m)
{
	pthread_mutex_lock(&m->lock);
}

static void unlock(struct watchdog_model *m)
{
	pthread_mutex_unlock(&m->lock);
}

/* Wake the serve loop, so that it looks at the timer again. */
static void wake(struct watchdog_model *m)
{
	uint64_t one = 1;
	ssize_t n;

	if (m->wake_fd < 0)
		return;
	/* It fails only when full (EAGAIN): a wake-up is pending anyway. */
	n = write(m->wake_fd, &one, sizeof(one));
	(void)n;
}

static void note(struct watchdog_model *m, enum watchdog_note_type type,
		 const struct watchdog_note *extra)
{
	struct watchdog_note n = { 0 };

	if (!m->notify)
		return;
	if (extra)
		n = *extra;
	n.type = type;
	n.basic = !control(m);
	if (type != WATCHDOG_NOTE_RESET && type != WATCHDOG_NOTE_EXPIRED)
		n.running = m->running || m->basic_armed;
	m->notify(m, &n);
}

static uint32_t clamp_u32(int64_t v)
{
	return v < 0 ? 0 : v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* A lie was told: one fewer left to tell. */
static void fault_told(struct watchdog_model *m)
{
	m->stats.lies++;
	if (m->fault_left && !--m->fault_left)
		m->fault = WATCHDOG_FAULT_NONE;
}

static void bad_chain(struct watchdog_model *m, uint32_t queue, uint32_t id)
{
	struct watchdog_note n = { .queue = queue };

	m->stats.bad_chains++;
	m->complete(m, queue, id, NULL, 0, 0);
	note(m, WATCHDOG_NOTE_BAD_CHAIN, &n);
}

/* The control timer */

static uint32_t control_timeleft(struct watchdog_model *m, int64_t now)
{
	return m->running ? clamp_u32(m->deadline - now) : 0;
}

/* A waiting pretimeout event belongs to a countdown that ended. */
static void drop_pretimeout(struct watchdog_model *m)
{
	if (!m->pretimeout_pending)
		return;
	m->pretimeout_pending = false;
	m->stats.pretimeouts_dropped++;
	note(m, WATCHDOG_NOTE_PRETIMEOUT_DROPPED, NULL);
}

static void restart_countdown(struct watchdog_model *m, int64_t now)
{
	drop_pretimeout(m);
	m->countdown_start = now;
	m->deadline = now + m->timeout_ms;
	m->pretimeout_done = false;
}

static void stop_timer(struct watchdog_model *m)
{
	drop_pretimeout(m);
	m->running = false;
}

/*
 * Use the oldest event buffer. Buffers a reset voided (-ESTALE: the reset
 * is not read yet) are skipped. -EAGAIN when none is left.
 */
static int send_event(struct watchdog_model *m, const void *data, uint32_t len,
		      uint32_t used_len)
{
	uint32_t id;
	int err;

	do {
		if (!m->ev_count)
			return -EAGAIN;
		id = m->ev_ids[m->ev_first];
		m->ev_first = (m->ev_first + 1) % ARRAY_SIZE(m->ev_ids);
		m->ev_count--;
		err = m->complete(m, VIRTIO_WATCHDOG_VQ_EVENT, id, data, len,
				  used_len);
	} while (err == -ESTALE);
	return err;
}

static void send_pretimeout(struct watchdog_model *m, int64_t now)
{
	struct virtio_watchdog_event e = {
		.type = htole16(VIRTIO_WATCHDOG_EVENT_PRETIMEOUT),
		.timeleft_ms = htole32(control_timeleft(m, now)),
	};
	struct watchdog_note n = { .timeleft_ms = control_timeleft(m, now) };

	if (send_event(m, &e, sizeof(e), sizeof(e))) {
		m->pretimeout_pending = true;
		return;
	}
	m->pretimeout_pending = false;
	m->stats.pretimeouts++;
	note(m, WATCHDOG_NOTE_PRETIMEOUT, &n);
}

static bool event_fault(enum watchdog_fault fault)
{
	return fault == WATCHDOG_FAULT_UNSOLICITED_EVENT ||
	       fault == WATCHDOG_FAULT_BAD_EVENT ||
	       fault == WATCHDOG_FAULT_SHORT_EVENT;
}

/* Fill the waiting event buffers: a due pretimeout first, then lies. */
static void flush_events(struct watchdog_model *m, int64_t now)
{
	struct virtio_watchdog_event e;
	uint32_t used;

	if (m->pretimeout_pending && m->running && m->ev_count)
		send_pretimeout(m, now);
	while (m->ev_count && event_fault(m->fault)) {
		e.type = htole16(m->fault == WATCHDOG_FAULT_BAD_EVENT ?
				 WATCHDOG_MODEL_BAD_EVENT :
				 VIRTIO_WATCHDOG_EVENT_PRETIMEOUT);
		e.reserved = 0;
		e.timeleft_ms = htole32(control_timeleft(m, now));
		used = m->fault == WATCHDOG_FAULT_SHORT_EVENT ? EVENT_SIZE - 1 :
		       EVENT_SIZE;
		if (send_event(m, &e, sizeof(e), used))
			break;
		fault_told(m);
	}
}

static void expire(struct watchdog_model *m, int64_t silence)
{
	struct watchdog_note n = { .silence_ms = silence };

	m->stats.expiries++;
	m->last_expiry_ms = m->clock_ms(m);
	m->last_expiry_silence_ms = silence;
	note(m, WATCHDOG_NOTE_EXPIRED, &n);
}

/* Run both timers up to now. */
static void advance(struct watchdog_model *m, int64_t now)
{
	if (m->running && m->pretimeout_ms && !m->pretimeout_done &&
	    now >= m->deadline - m->pretimeout_ms && now < m->deadline) {
		m->pretimeout_done = true;
		send_pretimeout(m, now);
	}
	if (m->running && now >= m->deadline) {
		stop_timer(m);
		expire(m, m->deadline - m->countdown_start);
	}
	/*
	 * Each check at its own time, also those a late caller missed: pings
	 * are run through here first, so last_ping was right at each.
	 */
	while (m->basic_armed && m->next_check <= now) {
		if (m->next_check - m->last_ping > WATCHDOG_BASIC_GRACE_MS) {
			m->basic_armed = false;
			expire(m, m->next_check - m->last_ping);
			break;
		}
		m->next_check += WATCHDOG_BASIC_CHECK_MS;
	}
}

/* Milliseconds until advance() has something to do, or -1. */
static int until_next(const struct watchdog_model *m, int64_t now)
{
	int64_t next = INT64_MAX;

	if (m->paused)
		return -1;
	if (m->running) {
		if (m->pretimeout_ms && !m->pretimeout_done &&
		    m->deadline - m->pretimeout_ms < next)
			next = m->deadline - m->pretimeout_ms;
		if (m->deadline < next)
			next = m->deadline;
	}
	if (m->basic_armed && m->next_check < next)
		next = m->next_check;
	if (next == INT64_MAX)
		return -1;
	if (next <= now)
		return 0;
	return next - now > INT_MAX ? INT_MAX : (int)(next - now);
}

/* Commands */

static bool valid_values(const struct watchdog_model *m, uint32_t timeout,
			 uint32_t pretimeout)
{
	const struct watchdog_model_params *p = &m->params;
	uint32_t g = p->granularity_ms ? p->granularity_ms : 1;

	if (timeout < p->min_timeout_ms || timeout > p->max_timeout_ms ||
	    timeout % g)
		return false;
	if (!pretimeout)
		return true;
	return has(m, VIRTIO_WATCHDOG_F_PRETIMEOUT) && !(pretimeout % g) &&
	       pretimeout <= p->max_pretimeout_ms && pretimeout < timeout;
}

/* The status a command gets, in the specification's order of checks. */
static uint8_t cmd_check(const struct watchdog_model *m,
			 const struct virtio_watchdog_ctrl_req *req)
{
	uint16_t type = le16toh(req->type);
	uint32_t timeout = le32toh(req->timeout_ms);
	uint32_t pretimeout = le32toh(req->pretimeout_ms);

	if (!watchdog_cmd_name(type) ||
	    (type == VIRTIO_WATCHDOG_CMD_GET_TIMELEFT &&
	     !has(m, VIRTIO_WATCHDOG_F_TIMELEFT)))
		return VIRTIO_WATCHDOG_S_UNSUPPORTED;
	if (req->reserved)
		return VIRTIO_WATCHDOG_S_INVALID;
	if (type == VIRTIO_WATCHDOG_CMD_START ||
	    type == VIRTIO_WATCHDOG_CMD_SET_TIMEOUT)
		return valid_values(m, timeout, pretimeout) ?
		       VIRTIO_WATCHDOG_S_OK : VIRTIO_WATCHDOG_S_INVALID;
	return timeout || pretimeout ? VIRTIO_WATCHDOG_S_INVALID :
	       VIRTIO_WATCHDOG_S_OK;
}

static void fill_resp(struct watchdog_model *m, uint8_t status, int64_t now,
		      struct virtio_watchdog_ctrl_resp *resp)
{
	memset(resp, 0, sizeof(*resp));
	resp->status = status;
	resp->running = m->running;
	if (has(m, VIRTIO_WATCHDOG_F_TIMELEFT))
		resp->timeleft_ms = htole32(control_timeleft(m, now));
}

/* Execute a command that passed its checks; returns its status. */
static uint8_t cmd_exec(struct watchdog_model *m, uint16_t type,
			uint32_t timeout, uint32_t pretimeout, int64_t now)
{
	struct watchdog_note n = {
		.cmd = type,
		.timeout_ms = timeout,
		.pretimeout_ms = pretimeout,
	};

	switch (type) {
	case VIRTIO_WATCHDOG_CMD_START:
		m->timeout_ms = timeout;
		m->pretimeout_ms = pretimeout;
		m->running = true;
		restart_countdown(m, now);
		m->stats.starts++;
		note(m, WATCHDOG_NOTE_STARTED, &n);
		break;
	case VIRTIO_WATCHDOG_CMD_PING:
		if (!m->running) {
			note(m, WATCHDOG_NOTE_PING_STOPPED, &n);
			break;
		}
		restart_countdown(m, now);
		m->stats.pings++;
		note(m, WATCHDOG_NOTE_PINGED, &n);
		break;
	case VIRTIO_WATCHDOG_CMD_STOP:
		if (m->running && has(m, VIRTIO_WATCHDOG_F_NOWAYOUT)) {
			m->stats.denied++;
			note(m, WATCHDOG_NOTE_DENIED, &n);
			return VIRTIO_WATCHDOG_S_DENIED;
		}
		stop_timer(m);
		m->stats.stops++;
		note(m, WATCHDOG_NOTE_STOPPED, &n);
		break;
	case VIRTIO_WATCHDOG_CMD_SET_TIMEOUT:
		/* A stopped timer only records them: START brings its own. */
		m->timeout_ms = timeout;
		m->pretimeout_ms = pretimeout;
		if (m->running)
			restart_countdown(m, now);
		note(m, WATCHDOG_NOTE_TIMEOUT_SET, &n);
		break;
	}
	return VIRTIO_WATCHDOG_S_OK;
}

static void command(struct watchdog_model *m,
		    const struct virtio_watchdog_ctrl_req *req,
		    struct virtio_watchdog_ctrl_resp *resp, int64_t now)
{
	uint16_t type = le16toh(req->type);
	uint8_t status = cmd_check(m, req);
	struct watchdog_note n = { .cmd = type, .status = status };

	m->stats.cmds[watchdog_cmd_name(type) ? type : 0]++;
	/* the specification asks for SET_TIMEOUT first after a reset */
	if (!m->commanded && type != VIRTIO_WATCHDOG_CMD_SET_TIMEOUT)
		m->stats.unset_first++;
	m->commanded = true;
	if (status == VIRTIO_WATCHDOG_S_OK) {
		status = cmd_exec(m, type, le32toh(req->timeout_ms),
				  le32toh(req->pretimeout_ms), now);
	} else {
		if (status == VIRTIO_WATCHDOG_S_INVALID)
			m->stats.invalid++;
		else
			m->stats.unsupported++;
		note(m, WATCHDOG_NOTE_REFUSED, &n);
	}
	fill_resp(m, status, now, resp);
	m->last_resp = *resp;
}

/* Chains */

static int hold(struct watchdog_model *m, uint32_t id, const void *out,
		uint32_t out_len, uint32_t in_len)
{
	struct watchdog_held *h;

	/* The driver cannot have more out than a queue holds. */
	if (m->held_count == ARRAY_SIZE(m->held))
		return -ENOSPC;
	h = &m->held[m->held_count++];
	h->id = id;
	h->out_len = out_len;
	h->in_len = in_len;
	memset(&h->req, 0, sizeof(h->req));
	memcpy(&h->req, out, out_len < REQ_SIZE ? out_len : REQ_SIZE);
	fault_told(m);
	return WATCHDOG_MODEL_HELD;
}

/* A command chain of the control protocol; lies only if faults. */
static int control_chain(struct watchdog_model *m, uint32_t id, const void *out,
			 uint32_t out_len, uint32_t in_len, bool faults,
			 int64_t now)
{
	enum watchdog_fault fault = faults ? m->fault : WATCHDOG_FAULT_NONE;
	struct virtio_watchdog_ctrl_req req;
	struct virtio_watchdog_ctrl_resp resp;
	uint32_t used = RESP_SIZE;
	uint16_t type;

	if (fault == WATCHDOG_FAULT_SILENT)
		return hold(m, id, out, out_len, in_len);
	if (out_len < REQ_SIZE || in_len < RESP_SIZE) {
		bad_chain(m, VIRTIO_WATCHDOG_VQ_CONTROL, id);
		return 0;
	}
	memcpy(&req, out, sizeof(req));

	if (fault == WATCHDOG_FAULT_STATUS_ERROR &&
	    cmd_check(m, &req) == VIRTIO_WATCHDOG_S_OK) {
		/* Refused as invalid, so nothing done. */
		type = le16toh(req.type);
		m->stats.cmds[type]++;
		fill_resp(m, VIRTIO_WATCHDOG_S_INVALID, now, &resp);
		m->last_resp = resp;
		fault_told(m);
	} else {
		command(m, &req, &resp, now);
		switch (fault) {
		case WATCHDOG_FAULT_WRONG_STATUS:
			resp.status = WATCHDOG_MODEL_BAD_STATUS;
			fault_told(m);
			break;
		case WATCHDOG_FAULT_BAD_RUNNING:
			resp.running = 2;
			fault_told(m);
			break;
		case WATCHDOG_FAULT_SHORT:
			used = RESP_SIZE - 1;
			fault_told(m);
			break;
		default:
			break;
		}
	}
	return m->complete(m, VIRTIO_WATCHDOG_VQ_CONTROL, id, &resp,
			   sizeof(resp), used);
}

static void basic_ping(struct watchdog_model *m, int64_t now)
{
	struct watchdog_note n = { .timeout_ms = WATCHDOG_BASIC_GRACE_MS };

	m->stats.basic_pings++;
	m->stats.pings++;
	if (m->running) {
		/* A timer that ran on through a reset (nowayout): a PING. */
		restart_countdown(m, now);
		note(m, WATCHDOG_NOTE_PINGED, NULL);
		return;
	}
	m->last_ping = now;
	if (m->basic_armed) {
		note(m, WATCHDOG_NOTE_PINGED, NULL);
		return;
	}
	m->basic_armed = true;
	m->next_check = now + WATCHDOG_BASIC_CHECK_MS;
	note(m, WATCHDOG_NOTE_STARTED, &n);
}

/* A ping of the basic protocol. */
static int basic_chain(struct watchdog_model *m, uint32_t id, const void *out,
		       uint32_t out_len, uint32_t in_len, bool faults,
		       int64_t now)
{
	enum watchdog_fault fault = faults ? m->fault : WATCHDOG_FAULT_NONE;
	uint8_t ack = VIRTIO_WATCHDOG_BASIC_ACK;
	uint32_t used = in_len;

	if (fault == WATCHDOG_FAULT_SILENT)
		return hold(m, id, out, out_len, in_len);
	if (out_len || !in_len) {
		bad_chain(m, VIRTIO_WATCHDOG_VQ_CONTROL, id);
		return 0;
	}
	basic_ping(m, now);
	if (fault == WATCHDOG_FAULT_WRONG_ACK) {
		ack = 0;
		fault_told(m);
	} else if (fault == WATCHDOG_FAULT_SHORT) {
		used = 0;
		fault_told(m);
	}
	return m->complete(m, VIRTIO_WATCHDOG_VQ_CONTROL, id, &ack, 1, used);
}

static int event_chain(struct watchdog_model *m, uint32_t id, uint32_t out_len,
		       uint32_t in_len, int64_t now)
{
	if (!control(m) || !has(m, VIRTIO_WATCHDOG_F_PRETIMEOUT) || out_len ||
	    in_len < EVENT_SIZE || m->ev_count == ARRAY_SIZE(m->ev_ids)) {
		bad_chain(m, VIRTIO_WATCHDOG_VQ_EVENT, id);
		return 0;
	}
	m->stats.event_buffers++;
	m->ev_ids[(m->ev_first + m->ev_count) % ARRAY_SIZE(m->ev_ids)] = id;
	m->ev_count++;
	flush_events(m, now);
	return 0;
}

static int chain(struct watchdog_model *m, const struct vlab_event *ev,
		 int64_t now)
{
	if (ev->size < sizeof(*ev) || ev->out_len > ev->size - sizeof(*ev))
		return -EINVAL;
	if (ev->queue == VIRTIO_WATCHDOG_VQ_EVENT)
		return event_chain(m, ev->id, ev->out_len, ev->in_len, now);
	if (ev->queue != VIRTIO_WATCHDOG_VQ_CONTROL) {
		bad_chain(m, ev->queue, ev->id);
		return 0;
	}
	if (!control(m))
		return basic_chain(m, ev->id, ev->data, ev->out_len, ev->in_len,
				   true, now);
	if (!(m->status & VIRTIO_CONFIG_S_DRIVER_OK))
		m->stats.early_chains++;
	return control_chain(m, ev->id, ev->data, ev->out_len, ev->in_len,
			     true, now);
}

static void features(struct watchdog_model *m, uint64_t value)
{
	struct watchdog_note n = { .features = value };

	m->features = value;
	/* The control protocol starts afresh: no basic timer to keep. */
	if (control(m))
		m->basic_armed = false;
	note(m, WATCHDOG_NOTE_NEGOTIATED, &n);
}

static void reset(struct watchdog_model *m)
{
	struct watchdog_note n = { 0 };

	m->stats.resets++;
	m->commanded = false;
	m->ev_count = 0;
	m->held_count = 0;
	/*
	 * The control protocol stops the timer unless nowayout keeps it
	 * running; the basic protocol stops nothing, and a timer that ran on
	 * into it (nowayout) stays so.
	 */
	if (control(m) && !has(m, VIRTIO_WATCHDOG_F_NOWAYOUT))
		stop_timer(m);
	if (!m->running) {
		m->timeout_ms = 0;
		m->pretimeout_ms = 0;
	}
	n.running = m->running || m->basic_armed;
	note(m, WATCHDOG_NOTE_RESET, &n);
	m->features = 0;
	m->status = 0;
}

int watchdog_model_handle(struct watchdog_model *m, const struct vlab_event *ev)
{
	int64_t now;
	int err = 0;

	lock(m);
	now = vm_now(m);
	advance(m, now);
	switch (ev->type) {
	case VLAB_EVENT_STATUS:
		m->status = ev->value;
		break;
	case VLAB_EVENT_FEATURES:
		features(m, ev->value);
		break;
	case VLAB_EVENT_RESET:
		reset(m);
		break;
	case VLAB_EVENT_CHAIN:
		err = chain(m, ev, now);
		break;
	case VLAB_EVENT_REMOVED:
		err = -ENODEV;
		break;
	}
	unlock(m);
	return err;
}

/* Serving */

int watchdog_model_tick(struct watchdog_model *m)
{
	int64_t now;
	int next;

	lock(m);
	now = vm_now(m);
	advance(m, now);
	next = until_next(m, now);
	unlock(m);
	return next;
}

/* The smaller of two poll timeouts, -1 being none. */
static int min_timeout(int a, int b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

/*
 * Wait up to timeout_ms (-1: forever) for the lab's next event while
 * running the timer, and handle it. Returns it, or NULL as vlab_next()
 * does (errno ETIMEDOUT, ENODEV), or with errno ECANCELED when
 * watchdog_model_wake_stop() was called.
 */
static struct vlab_event *watchdog_model_step(struct watchdog_model *m, int timeout_ms)
{
	int64_t end = monotonic_ms(m) + (timeout_ms < 0 ? 0 : timeout_ms);
	struct pollfd pfd[2] = {
		{ .fd = m->lab.fd, .events = POLLIN },
		{ .fd = m->wake_fd, .events = POLLIN },
	};
	struct vlab_event *ev;
	uint64_t count;
	int wait, left, r, err;
	bool stop;

	for (;;) {
		wait = watchdog_model_tick(m);
		lock(m);
		stop = m->stop;
		m->stop = false;
		unlock(m);
		if (stop) {
			errno = ECANCELED;
			return NULL;
		}
		left = -1;
		if (timeout_ms >= 0) {
			left = end - monotonic_ms(m);
			left = left < 0 ? 0 : left;
		}
		r = poll(pfd, 2, min_timeout(wait, left));
		if (r < 0 && errno != EINTR)
			return NULL;
		if (pfd[1].revents & POLLIN &&
		    read(m->wake_fd, &count, sizeof(count)) < 0 && errno != EAGAIN)
			return NULL;
		if (r > 0 && pfd[0].revents) {
			ev = vlab_next(&m->lab, 0);
			if (!ev) {
				if (errno == ETIMEDOUT)
					continue;
				return NULL;
			}
			err = watchdog_model_handle(m, ev);
			if (err < 0 && err != -ESTALE) {
				errno = -err;
				return NULL;
			}
			return ev;
		}
		if (left == 0) {
			errno = ETIMEDOUT;
			return NULL;
		}
	}
}

int watchdog_model_serve(struct watchdog_model *m, int idle_ms)
{
	for (;;) {
		if (watchdog_model_step(m, idle_ms))
			continue;
		if (errno == ENODEV || errno == ECANCELED)
			return 0;
		return -errno;
	}
}

void watchdog_model_wake_stop(struct watchdog_model *m)
{
	lock(m);
	m->stop = true;
	unlock(m);
	wake(m);
}

/* What tests set and read */

void watchdog_model_pause(struct watchdog_model *m, bool pause)
{
	int64_t now;

	lock(m);
	/* What fell due before the pause happens before it. */
	advance(m, vm_now(m));
	if (pause && !m->paused) {
		m->pause_start = m->clock_ms(m);
		m->paused = true;
	} else if (!pause && m->paused) {
		m->paused_total += m->clock_ms(m) - m->pause_start;
		m->paused = false;
		/* As Cloud Hypervisor: the grace and the checks start afresh. */
		if (m->basic_armed) {
			now = vm_now(m);
			m->last_ping = now;
			m->next_check = now + WATCHDOG_BASIC_CHECK_MS;
		}
	}
	unlock(m);
	wake(m);
}

void watchdog_model_set_fault(struct watchdog_model *m,
			      enum watchdog_fault fault, unsigned int count)
{
	lock(m);
	m->fault = fault < WATCHDOG_FAULT_COUNT ? fault : WATCHDOG_FAULT_NONE;
	m->fault_left = count;
	/* Event buffers waiting now get the lies at once. */
	flush_events(m, vm_now(m));
	unlock(m);
	wake(m);
}

int watchdog_model_release_held(struct watchdog_model *m, bool execute)
{
	struct watchdog_held *h;
	unsigned int i;
	int64_t now;
	int err, ret = 0;

	lock(m);
	now = vm_now(m);
	advance(m, now);
	for (i = 0; i < m->held_count; i++) {
		h = &m->held[i];
		if (!execute)
			err = m->complete(m, VIRTIO_WATCHDOG_VQ_CONTROL, h->id,
					  NULL, 0, 0);
		else if (control(m))
			err = control_chain(m, h->id, &h->req, h->out_len,
					    h->in_len, false, now);
		else
			err = basic_chain(m, h->id, &h->req, h->out_len,
					  h->in_len, false, now);
		if (err < 0 && err != -ESTALE && !ret)
			ret = err;
	}
	m->held_count = 0;
	unlock(m);
	wake(m);
	return ret;
}

bool watchdog_model_running(struct watchdog_model *m)
{
	bool running;

	lock(m);
	advance(m, vm_now(m));
	running = m->running || m->basic_armed;
	unlock(m);
	return running;
}

int64_t watchdog_model_timeleft_ms(struct watchdog_model *m)
{
	int64_t now, check, left = -1;

	lock(m);
	now = vm_now(m);
	advance(m, now);
	if (m->running) {
		left = m->deadline - now;
	} else if (m->basic_armed) {
		/* The first check that finds the grace exceeded. */
		check = m->next_check;
		while (check - m->last_ping <= WATCHDOG_BASIC_GRACE_MS)
			check += WATCHDOG_BASIC_CHECK_MS;
		left = check - now;
	}
	unlock(m);
	return left;
}

void watchdog_model_get_stats(struct watchdog_model *m,
			      struct watchdog_model_stats *stats)
{
	lock(m);
	*stats = m->stats;
	unlock(m);
}

/* The model and the lab */

int watchdog_model_init(struct watchdog_model *m,
			const struct watchdog_model_params *p)
{
	pthread_mutexattr_t attr;
	int err;

	memset(m, 0, sizeof(*m));
	m->lab.fd = -1;
	m->params = *p;
	if (!m->params.queue_size)
		m->params.queue_size = WATCHDOG_MODEL_QUEUE_SIZE;
	m->clock_ms = monotonic_ms;
	m->complete = lab_complete;
	m->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (m->wake_fd < 0)
		return -errno;
	err = pthread_mutexattr_init(&attr);
	if (!err)
		err = pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	if (!err)
		err = pthread_mutex_init(&m->lock, &attr);
	pthread_mutexattr_destroy(&attr);
	if (err) {
		close(m->wake_fd);
		m->wake_fd = -1;
		return -err;
	}
	return 0;
}

int watchdog_model_start(struct watchdog_model *m)
{
	const struct watchdog_model_params *p = &m->params;
	uint64_t offered = p->basic ? 0 : p->features;
	struct virtio_watchdog_config config = {
		.min_timeout_ms = htole32(p->min_timeout_ms),
		.max_timeout_ms = htole32(p->max_timeout_ms),
		.granularity_ms = htole32(p->granularity_ms),
		.max_pretimeout_ms = htole32(p->max_pretimeout_ms),
		.boot_status = htole32(p->boot_status),
	};
	struct vlab_create create = {
		.device_id = VIRTIO_ID_WATCHDOG,
		.features = BIT_ULL(VIRTIO_F_VERSION_1) |
			    BIT_ULL(VIRTIO_RING_F_INDIRECT_DESC) |
			    BIT_ULL(VIRTIO_F_ACCESS_PLATFORM) | offered,
		.num_queues = offered & BIT_ULL(VIRTIO_WATCHDOG_F_PRETIMEOUT) ?
			      2 : 1,
		.config_size = p->basic ? 0 : sizeof(config),
		.config = p->basic ? 0 : (uintptr_t)&config,
		.queue_size = {
			[VIRTIO_WATCHDOG_VQ_CONTROL] = p->queue_size,
			[VIRTIO_WATCHDOG_VQ_EVENT] = p->queue_size,
		},
	};

	return vlab_start(&m->lab, &create);
}

int watchdog_model_create(struct watchdog_model *m,
			  const struct watchdog_model_params *p)
{
	int err = watchdog_model_init(m, p);

	if (err)
		return err;
	err = watchdog_model_start(m);
	if (err)
		watchdog_model_destroy(m);
	return err;
}

void watchdog_model_destroy(struct watchdog_model *m)
{
	vlab_close(&m->lab);
	if (m->wake_fd >= 0) {
		close(m->wake_fd);
		pthread_mutex_destroy(&m->lock);
	}
	m->wake_fd = -1;
}
