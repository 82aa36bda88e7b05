/* SPDX-License-Identifier: GPL-2.0 */
/*
 * virtio_scmi_agent: an SCMI agent of its own over the virtio SCMI
 * transport, for kernels whose SCMI core is not built or cannot bind (it
 * needs a device tree). The transport and the message exchange:
 * virtio_scmi_agent_core.c; the Base protocol: virtio_scmi_agent_base.c;
 * the Sensor protocol: virtio_scmi_agent_sensors.c; the System Power
 * protocol: virtio_scmi_agent_power.c; the raw message interface:
 * virtio_scmi_agent_raw.c.
 */
#ifndef _VIRTIO_SCMI_AGENT_H
#define _VIRTIO_SCMI_AGENT_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/ratelimit.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/virtio_extra/virtio_scmi.h>

#include "virtio_event_queue.h"
#include "virtio_request.h"

/* Longest payload each way, as Linux's virtio transport. */
#define VSCMI_MAX_PAYLOAD	128
/* A response or delayed response: header, status, payload. */
#define VSCMI_MAX_PDU		(8 + VSCMI_MAX_PAYLOAD)
#define VSCMI_TOKENS		1024

#define VSCMI_PROTO_BASE	0x10
#define VSCMI_PROTO_SYSTEM	0x12
#define VSCMI_PROTO_SENSOR	0x15
/* Agents whose names the Base protocol reads and sysfs shows. */
#define VSCMI_MAX_AGENTS	16

/* Common commands of every protocol. */
#define VSCMI_PROTOCOL_VERSION		0x0
#define VSCMI_PROTOCOL_ATTRIBUTES	0x1
#define VSCMI_PROTOCOL_MESSAGE_ATTRIBUTES 0x2

/**
 * struct vscmi_pdu - a message as it travelled, copied out of the device's
 *	buffer
 * @len: its length in bytes.
 * @data: the message: header, then (for responses) status, then payload.
 */
struct vscmi_pdu {
	unsigned int len;
	u8 data[VSCMI_MAX_PDU];
};

/**
 * struct vscmi_delayed - a delayed response someone waits for
 * @node: in vscmi.delayed.
 * @hdr: the header it must carry (type DELAYED_RESPONSE).
 * @raw: it goes to the raw interface's queue, nobody waits.
 * @orphan: a raw one whose command's writer returned: the event work, or
 *	the reset, frees it. Under vscmi.event_lock.
 * @arrived: it came; @pdu holds it (unless @raw). Under vscmi.event_lock.
 * @done: completed when it came, or the device went.
 * @pdu: the delayed response.
 */
struct vscmi_delayed {
	struct list_head node;
	u32 hdr;
	bool raw;
	bool orphan;
	bool arrived;
	struct completion done;
	struct vscmi_pdu pdu;
};

struct vscmi_raw;
struct vscmi_sensors;

/**
 * struct vscmi - one SCMI platform behind a virtio device
 * @vdev: the virtio device.
 * @index: its number under debugfs scmi/.
 * @cmd_vq: the command queue.
 * @has_events: the device has an event queue (VIRTIO_SCMI_F_P2A_CHANNELS).
 * @events: the event queue, if it has one.
 * @event_pdu: where the event queue's work takes a message to.
 * @lock: one command at a time (never taken by a reset: its holder may
 *	be waiting for the device).
 * @commands: the command queue's request, one at a time.
 * @next_token: the token of the next command the agent sends.
 * @event_lock: @delayed, @gone and the event queue, against its work.
 * @delayed: the delayed responses waited for.
 * @gone: the device is being reset or removed: delayed responses are not
 *	waited for.
 * @vendor: the platform's vendor (Base protocol), NUL-terminated.
 * @sub_vendor: its sub-vendor.
 * @impl_version: its implementation version.
 * @base_version: the Base protocol version it speaks.
 * @n_protocols: how many protocols it has besides Base.
 * @protocols: their ids.
 * @n_agents: how many agents it serves.
 * @agents: the names of the first VSCMI_MAX_AGENTS.
 * @raw: the raw message interface.
 * @sensors_lock: @sensors and its hwmon device, against the event work.
 * @sensors: the Sensor protocol's device, or NULL.
 * @rs: rate limit of this device's complaints.
 */
struct vscmi {
	struct virtio_device *vdev;
	int index;
	struct virtqueue *cmd_vq;
	bool has_events;
	struct vevq events;
	struct vscmi_pdu *event_pdu;
	struct mutex lock; /* one command at a time */
	struct vreq_queue commands;
	u16 next_token;
	spinlock_t event_lock; /* delayed responses and the event queue */
	struct list_head delayed;
	bool gone;
	char vendor[17];
	char sub_vendor[17];
	u32 impl_version;
	u32 base_version;
	unsigned int n_protocols;
	u8 protocols[256];
	unsigned int n_agents;
	char agents[VSCMI_MAX_AGENTS][17];
	struct vscmi_raw *raw;
	struct mutex sensors_lock; /* sensors, against the event work */
	struct vscmi_sensors *sensors;
	struct ratelimit_state rs;
};

#define vscmi_complain(sa, fmt, ...) do {				\
	struct vscmi *__sa = (sa);					\
									\
	if (__ratelimit(&__sa->rs))					\
		dev_warn(&__sa->vdev->dev, fmt, ##__VA_ARGS__);		\
} while (0)

/* Little-endian words of a message, wherever they sit in it. */
static inline u32 vscmi_le32(const u8 *p)
{
	__le32 v;

	memcpy(&v, p, sizeof(v));
	return le32_to_cpu(v);
}

static inline void vscmi_put_le32(u8 *p, u32 value)
{
	__le32 v = cpu_to_le32(value);

	memcpy(p, &v, sizeof(v));
}

static inline u32 vscmi_hdr(u8 protocol, u8 msg_id, u8 type, u16 token)
{
	return msg_id | (u32)type << VIRTIO_SCMI_HDR_TYPE_SHIFT |
	       (u32)protocol << VIRTIO_SCMI_HDR_PROTOCOL_SHIFT |
	       (u32)(token & (VSCMI_TOKENS - 1)) << VIRTIO_SCMI_HDR_TOKEN_SHIFT;
}

static inline u8 vscmi_hdr_type(u32 hdr)
{
	return (hdr & VIRTIO_SCMI_HDR_TYPE_MASK) >> VIRTIO_SCMI_HDR_TYPE_SHIFT;
}

static inline u8 vscmi_hdr_protocol(u32 hdr)
{
	return (hdr & VIRTIO_SCMI_HDR_PROTOCOL_MASK) >> VIRTIO_SCMI_HDR_PROTOCOL_SHIFT;
}

/**
 * struct vscmi_xfer - one command and its response
 * @hdr: the command's header; its token is chosen by vscmi_xfer() unless
 *	@keep_token.
 * @keep_token: send @hdr as it is (the raw interface).
 * @async: the command answers later with a delayed response.
 * @tx: the payload.
 * @tx_len: its length.
 * @resp: the response, header and status included, when one came.
 * @delayed: the delayed response, for @async commands.
 */
struct vscmi_xfer {
	u32 hdr;
	bool keep_token;
	bool async;
	const void *tx;
	unsigned int tx_len;
	struct vscmi_pdu resp;
	struct vscmi_delayed *delayed;
};

unsigned int vscmi_answer_ms(void);
int vscmi_xfer(struct vscmi *sa, struct vscmi_xfer *xfer);
int vscmi_status_errno(s32 status);
int vscmi_command(struct vscmi *sa, u8 protocol, u8 msg_id, const void *tx,
		  unsigned int tx_len, void *rx, unsigned int rx_min,
		  unsigned int rx_max);

void vscmi_copy_name(char *dst, const u8 *src, unsigned int len);
int vscmi_base_discover(struct vscmi *sa);
extern const struct attribute_group vscmi_base_group;

int vscmi_sensors_create(struct vscmi *sa);
void vscmi_sensors_destroy(struct vscmi *sa);
void vscmi_sensors_restore(struct vscmi *sa);
void vscmi_sensors_notification(struct vscmi *sa, const struct vscmi_pdu *pdu);
int vscmi_sensors_init(void);
void vscmi_sensors_exit(void);

int vscmi_power_create(struct vscmi *sa);
void vscmi_power_restore(struct vscmi *sa);
void vscmi_power_destroy(struct vscmi *sa);
void vscmi_power_notification(struct vscmi *sa, const struct vscmi_pdu *pdu);
int vscmi_power_init(void);
void vscmi_power_exit(void);

int vscmi_raw_create(struct vscmi *sa);
void vscmi_raw_shutdown(struct vscmi *sa);
void vscmi_raw_destroy(struct vscmi *sa);
void vscmi_raw_queue_reply(struct vscmi *sa, const struct vscmi_pdu *pdu,
			   bool async);
void vscmi_raw_queue_notification(struct vscmi *sa, const struct vscmi_pdu *pdu);
void vscmi_raw_queue_error(struct vscmi *sa, const struct vscmi_pdu *pdu);
int vscmi_raw_init(void);
void vscmi_raw_exit(void);

#endif /* _VIRTIO_SCMI_AGENT_H */
