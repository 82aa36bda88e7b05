// SPDX-License-Identifier: GPL-2.0
/*
 * vhost-can: a virtio CAN device (device ID 36, VIRTIO 1.4) on a host CAN
 * interface (vcan, vxcan or a real controller), as an in-kernel vDPA
 * back-end. Made with iproute2's vdpa tool and given its interface and
 * the CAN IDs it may use through sysfs:
 *
 *	vdpa dev add name can0v mgmtdev vhost_can
 *	echo vcan0 > /sys/bus/vdpa/devices/can0v/netdev
 *	echo 123:7ff > /sys/bus/vdpa/devices/can0v/tx_allow
 *	echo 0:0 > /sys/bus/vdpa/devices/can0v/rx_allow
 *
 * The device reaches the interface through the CAN core, as the CAN
 * gateway does, while the driver has the controller started: frames go
 * out with can_send(), come in through receive filters (the allowlists)
 * and bus-off error frames; a netdevice notifier tells of the interface
 * going down or away. Nothing is reachable by default: no interface, no
 * ID.
 */

#include <linux/can.h>
#include <linux/can/core.h>
#include <linux/can/error.h>
#include <linux/can/skb.h>
#include <linux/ctype.h>
#include <linux/if_arp.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/percpu.h>
#include <linux/ratelimit.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <net/net_namespace.h>
#include <linux/virtio_extra/virtio_can.h>

#include "vbe.h"

#define VHOST_CAN_FEATURES (BIT_ULL(VIRTIO_CAN_F_CAN_CLASSIC) |	\
			    BIT_ULL(VIRTIO_CAN_F_CAN_FD) |		\
			    BIT_ULL(VIRTIO_CAN_F_RTR_FRAMES) |	\
			    BIT_ULL(VIRTIO_CAN_F_LATE_TX_ACK))
#define VHOST_CAN_FLAGS_KNOWN (VIRTIO_CAN_FLAGS_RTR | VIRTIO_CAN_FLAGS_FD | \
			       VIRTIO_CAN_FLAGS_EXTENDED)
/* Requests or frames served per queue and pass. */
#define VHOST_CAN_BUDGET 64
/* Entries in each allowlist. */
#define VHOST_CAN_ALLOW_MAX 32
/* Receive filters: both allowlists and bus-off error frames. */
#define VHOST_CAN_FILTER_MAX (2 * VHOST_CAN_ALLOW_MAX + 1)
/* A sent frame's echo is given up on after this long (a late ack fails). */
#define VHOST_CAN_ACK_TIMEOUT HZ
/* Sent frames whose echo has not come; further requests wait in the ring. */
#define VHOST_CAN_SENT_MAX 256
/* How long a frame the interface's queue refused waits to be retried. */
#define VHOST_CAN_TX_RETRY 1
/*
 * Frames from the interface waiting for the worker: a ring's worth, so a
 * burst the guest's ring would take is not lost while the worker catches
 * up. A power of two.
 */
#define VHOST_CAN_RX_FIFO VBE_QUEUE_MAX
/* STARTs a device takes in a second; more are refused (see @starts). */
#define VHOST_CAN_STARTS_PER_SECOND 10

/* What the interface did, for the worker to stop the controller for. */
#define VHOST_CAN_EV_BUS_OFF	BIT(0)	/* a bus-off error frame */
#define VHOST_CAN_EV_DOWN	BIT(1)
#define VHOST_CAN_EV_GONE	BIT(2)	/* unregistered, or moved away */

/**
 * struct vhost_can_allowlist - the frames a driver may send or receive
 * @n: entries
 * @filter: a frame matches entry i when (id & mask) == (filter.can_id &
 *	mask), the ID with SocketCAN's flags (CAN_EFF_FLAG, CAN_RTR_FLAG),
 *	which every mask but 0 includes
 */
struct vhost_can_allowlist {
	unsigned int n;
	struct can_filter filter[VHOST_CAN_ALLOW_MAX];
};

/**
 * struct vhost_can_sent - a frame sent, its echo not seen yet
 * @skb: the frame's buffer, held: the echo, a clone, shares its data, and
 *	while it is held no other frame can; NULL once done
 * @deadline: when its echo is given up on, in jiffies
 * @waiting: its request waits for the echo (a late TX ack)
 * @head: that request's chain head
 * @result: where its result byte goes
 *
 * A frame sent without a request waiting is still tracked: its echo,
 * which the driver did not ask for, is recognised and dropped.
 */
struct vhost_can_sent {
	struct sk_buff *skb;
	unsigned long deadline;
	bool waiting;
	u16 head;
	struct vbe_segment result;
};

/**
 * struct vhost_can_seen - the last frame a CPU gave the device
 * @skb: its buffer
 * @skbcnt: the CAN core's number for it (buffers are reused)
 *
 * A frame that two filters match is given twice in a row, on one CPU.
 */
struct vhost_can_seen {
	const struct sk_buff *skb;
	u32 skbcnt;
};

/**
 * struct vhost_can_stats - what sysfs shows under statistics/
 * @tx_frames: frames sent on the interface
 * @tx_refused: frames whose ID tx_allow does not allow
 * @tx_invalid: malformed transmit requests and frames not negotiated
 * @tx_failed: frames that did not go out: controller stopped, interface
 *	error, late ack missing
 * @rx_frames: frames given to the driver
 * @rx_dropped: frames of a kind not negotiated, or not in rx_allow
 * @rx_overrun: frames lost because the driver left too many unread
 *	(written under @rx_lock)
 * @bus_off: times the controller went bus-off
 * @starts_refused: START requests refused for coming too often
 */
struct vhost_can_stats {
	unsigned long tx_frames;
	unsigned long tx_refused;
	unsigned long tx_invalid;
	unsigned long tx_failed;
	unsigned long rx_frames;
	unsigned long rx_dropped;
	unsigned long rx_overrun;
	unsigned long bus_off;
	unsigned long starts_refused;
};

/**
 * struct vhost_can - one CAN device
 * @core: the back-end core's device
 * @node: in vhost_can_devices, for the netdevice notifier
 * @settings_lock: protects what the administrator sets: @net, @ifindex,
 *	@ifname, @tx_allow, @rx_allow, and @in_use
 * @net: network namespace of the bound interface (referenced), or NULL
 * @ifindex: the bound interface
 * @ifname: its name when it was bound
 * @in_use: a driver accepted the features since the last reset: the
 *	interface stays bound (the worker reads it without the lock)
 * @tx_allow: IDs the driver may send
 * @rx_allow: IDs the driver receives
 * @link_lock: protects @ndev, @filter and @nfilter. Held for moments,
 *	never across guest memory or the RTNL (the notifier takes it under
 *	the RTNL, which a driver of this kernel may hold while it waits for
 *	the device)
 * @ndev: the interface while the controller is started (referenced), its
 *	receive filters registered; NULL when stopped or the interface went
 *	away
 * @filter: the registered receive filters
 * @nfilter: how many
 * @rx_lock: protects @rx_open, @events, the FIFO, @stats.rx_overrun, and
 *	what the receive path reads of the sent frames: @sent_origin,
 *	@sent_first, @nsent and @echoes. Shared with the CAN core's receive
 *	path (softirq)
 * @rx_open: the controller takes frames and events
 * @events: VHOST_CAN_EV_* that came since the worker last looked
 * @fifo: frames from the interface waiting for the worker, CANFD_FDF in
 *	the flags of a CAN FD one
 * @fifo_in: where the next frame goes (free running)
 * @fifo_out: where the worker reads the next one (free running)
 * @seen: per CPU, the last frame given, so a frame two filters match is
 *	taken once
 * @started: the controller is started
 * @starts: bounds the rate of STARTs, each of which registers filters in
 *	the CAN core, whose receive path every host frame takes
 * @rx_frame: a frame taken from the FIFO, waiting for a receive buffer
 * @rx_held: @rx_frame holds one
 * @sent: sent frames whose echo has not come, a ring, oldest first
 * @sent_origin: each one's buffer data (skb->head), which its echo shares
 * @sent_echoed: the receive path saw their echo (atomic bits)
 * @echoes: the receive path saw one since the worker last looked
 * @sent_first: the oldest's index
 * @nsent: how many (those done out of order included); written by the
 *	worker under @rx_lock, read by it without
 * @stats: counters
 *
 * @started, @rx_frame, @sent and the statistics but rx_overrun are the
 * worker's, under the core's device lock; @stats is read without it. The
 * worker takes the other locks (after the device lock) only for moments;
 * sysfs and the notifier take them and never the device lock, so a
 * worker stalled on its owner's memory stalls neither.
 */
struct vhost_can {
	struct vbe_device core;
	struct list_head node;
	struct mutex settings_lock; /* net, ifindex, ifname, allowlists, in_use */
	struct net *net;
	int ifindex;
	char ifname[IFNAMSIZ];
	bool in_use;
	struct vhost_can_allowlist tx_allow;
	struct vhost_can_allowlist rx_allow;
	struct mutex link_lock; /* ndev, filter, nfilter */
	struct net_device *ndev;
	struct can_filter filter[VHOST_CAN_FILTER_MAX];
	unsigned int nfilter;
	spinlock_t rx_lock; /* rx_open, events, fifo, stats.rx_overrun */
	bool rx_open;
	unsigned int events;
	struct canfd_frame *fifo;
	unsigned int fifo_in;
	unsigned int fifo_out;
	struct vhost_can_seen __percpu *seen;
	bool started;
	struct ratelimit_state starts;
	struct canfd_frame rx_frame;
	bool rx_held;
	struct vhost_can_sent sent[VHOST_CAN_SENT_MAX];
	const void *sent_origin[VHOST_CAN_SENT_MAX];
	DECLARE_BITMAP(sent_echoed, VHOST_CAN_SENT_MAX);
	bool echoes;
	unsigned int sent_first;
	unsigned int nsent;
	struct vhost_can_stats stats;
};

/* the vDPA core allocates it: the vDPA device comes first */
static_assert(offsetof(struct vhost_can, core.vdpa) == 0);
static_assert((VHOST_CAN_RX_FIFO & (VHOST_CAN_RX_FIFO - 1)) == 0);

static struct vbe_mgmt vhost_can_mgmt;

/* Every device, for the netdevice notifier to find those on an interface. */
static LIST_HEAD(vhost_can_devices);
static DEFINE_MUTEX(vhost_can_devices_lock);

static struct vhost_can *to_vhost_can(struct device *d)
{
	return container_of(dev_to_vdpa(d), struct vhost_can, core.vdpa);
}

static struct device *vhost_can_dev(struct vhost_can *can)
{
	return &can->core.vdpa.dev;
}

static bool vhost_can_has(const struct vhost_can *can, unsigned int bit)
{
	return vbe_has_feature(&can->core, bit);
}

/* Whether list (tx_allow or rx_allow) admits a frame with this ID. */
static bool vhost_can_allowed(struct vhost_can *can,
			      const struct vhost_can_allowlist *list, canid_t id)
{
	bool allowed = false;
	unsigned int i;

	mutex_lock(&can->settings_lock);
	for (i = 0; i < list->n && !allowed; i++)
		allowed = !((id ^ list->filter[i].can_id) & list->filter[i].can_mask);
	mutex_unlock(&can->settings_lock);
	return allowed;
}

/* A payload length CAN FD can carry: a DLC's. */
static bool vhost_can_fd_len_valid(unsigned int len)
{
	switch (len) {
	case 0 ... CAN_MAX_DLEN:
	case 12: case 16: case 20: case 24: case 32: case 48: case 64:
		return true;
	default:
		return false;
	}
}

/*
 * Whether the CAN core gave this frame to the device already: once for
 * each filter it matches, one after the other on one CPU.
 */
static bool vhost_can_seen_before(struct vhost_can *can, struct sk_buff *skb)
{
	struct vhost_can_seen *seen = this_cpu_ptr(can->seen);
	u32 skbcnt = vx_can_skb_uid(skb);

	if (seen->skb == skb && seen->skbcnt == skbcnt)
		return true;
	seen->skb = skb;
	seen->skbcnt = skbcnt;
	return false;
}

/*
 * Whether a frame is the echo of one the device sent, with @rx_lock held:
 * it is marked for the worker. Echoes never wait behind frames the driver
 * has no buffer for.
 */
static bool vhost_can_mark_echo(struct vhost_can *can, const void *origin)
{
	unsigned int i, slot;

	for (i = 0; i < can->nsent; i++) {
		slot = (can->sent_first + i) % VHOST_CAN_SENT_MAX;
		if (can->sent_origin[slot] == origin &&
		    !test_and_set_bit(slot, can->sent_echoed)) {
			can->echoes = true;
			return true;
		}
	}
	return false;
}

/*
 * A frame the CAN core received on the interface through one of the
 * device's filters (softirq): the echo of a frame the device sent, into
 * the FIFO for the worker, or a bus-off error frame's event. Frames of
 * other sizes (CAN XL) are not the device's.
 */
static void vhost_can_rcv(struct sk_buff *skb, void *data)
{
	const struct canfd_frame *cf = (const struct canfd_frame *)skb->data;
	struct vhost_can *can = data;
	struct canfd_frame *e;
	bool kick = false;

	if (!(skb->len == CAN_MTU && cf->len <= CAN_MAX_DLEN) &&
	    !(skb->len == CANFD_MTU && cf->len <= CANFD_MAX_DLEN))
		return;
	spin_lock_bh(&can->rx_lock);
	if (!can->rx_open || vhost_can_seen_before(can, skb)) {
		/* stopped, or taken through another filter */
	} else if (cf->can_id & CAN_ERR_FLAG) {
		can->events |= VHOST_CAN_EV_BUS_OFF;
		kick = true;
	} else if (vhost_can_mark_echo(can, skb->head)) {
		kick = true;
	} else if (can->fifo_in - can->fifo_out == VHOST_CAN_RX_FIFO) {
		can->stats.rx_overrun++;
	} else {
		e = &can->fifo[can->fifo_in++ & (VHOST_CAN_RX_FIFO - 1)];
		memset(e, 0, sizeof(*e));
		memcpy(e, cf, skb->len);
		/* a classic frame's flags are padding: make them ours */
		e->flags = skb->len == CANFD_MTU ? CANFD_FDF : 0;
		kick = true;
	}
	spin_unlock_bh(&can->rx_lock);
	if (kick)
		vbe_device_kick(&can->core);
}

/* The next frame from the FIFO into cf; false when it is empty. */
static bool vhost_can_fifo_take(struct vhost_can *can, struct canfd_frame *cf)
{
	bool taken;

	spin_lock_bh(&can->rx_lock);
	taken = can->fifo_in != can->fifo_out;
	if (taken)
		*cf = can->fifo[can->fifo_out++ & (VHOST_CAN_RX_FIFO - 1)];
	spin_unlock_bh(&can->rx_lock);
	return taken;
}

/* What the interface did since the worker last looked (VHOST_CAN_EV_*). */
static unsigned int vhost_can_take_events(struct vhost_can *can)
{
	unsigned int events;

	spin_lock_bh(&can->rx_lock);
	events = can->events;
	can->events = 0;
	spin_unlock_bh(&can->rx_lock);
	return events;
}

/* Tell the worker, if the controller is started, what the interface did. */
static void vhost_can_event(struct vhost_can *can, unsigned int event)
{
	spin_lock_bh(&can->rx_lock);
	if (can->rx_open)
		can->events |= event;
	spin_unlock_bh(&can->rx_lock);
	vbe_device_kick(&can->core);
}

/*
 * The receive filters: what rx_allow lets in, the echoes of what
 * tx_allow lets out (the late acks, and the echoes the driver did not
 * ask for, to drop), and bus-off error frames. Frames only a tx_allow
 * entry matches are dropped when read.
 */
static unsigned int vhost_can_filters(struct vhost_can *can,
				      struct can_filter *filter)
{
	unsigned int n;

	mutex_lock(&can->settings_lock);
	n = can->rx_allow.n;
	memcpy(filter, can->rx_allow.filter, n * sizeof(*filter));
	memcpy(filter + n, can->tx_allow.filter,
	       can->tx_allow.n * sizeof(*filter));
	n += can->tx_allow.n;
	mutex_unlock(&can->settings_lock);
	filter[n].can_id = 0;
	filter[n].can_mask = CAN_ERR_FLAG | CAN_ERR_BUSOFF;
	return n + 1;
}

static void vhost_can_unregister_filters(struct vhost_can *can,
					 const struct can_filter *filter,
					 unsigned int n)
{
	while (n--)
		can_rx_unregister(can->net, can->ndev, filter[n].can_id,
				  filter[n].can_mask, vhost_can_rcv, can);
}

/*
 * Register the receive filters on @ndev, with @link_lock held; on failure
 * none is left.
 */
static int vhost_can_register_filters(struct vhost_can *can,
				      const struct can_filter *filter,
				      unsigned int n)
{
	unsigned int i;
	int ret;

	for (i = 0; i < n; i++) {
		ret = can_rx_register(can->net, can->ndev, filter[i].can_id,
				      filter[i].can_mask, vhost_can_rcv, can,
				      "vhost-can", NULL);
		if (ret) {
			vhost_can_unregister_filters(can, filter, i);
			return ret;
		}
	}
	return 0;
}

/* Leave the interface, with @link_lock held: no frame comes any more. */
static void vhost_can_link_close(struct vhost_can *can)
{
	if (!can->ndev)
		return;
	vhost_can_unregister_filters(can, can->filter, can->nfilter);
	can->nfilter = 0;
	dev_put(can->ndev);
	can->ndev = NULL;
}

/*
 * Reach the bound interface: its receive filters registered, it must be
 * up. -ENODEV when it is gone, -ENETDOWN when down.
 */
static int vhost_can_link_open(struct vhost_can *can)
{
	struct net_device *ndev;
	int ret;

	ndev = dev_get_by_index(can->net, can->ifindex);
	if (!ndev)
		return -ENODEV;
	mutex_lock(&can->link_lock);
	can->ndev = ndev;
	can->nfilter = vhost_can_filters(can, can->filter);
	ret = vhost_can_register_filters(can, can->filter, can->nfilter);
	if (ret)
		can->nfilter = 0;
	/*
	 * Looked at once the notifier can see the device: down before, the
	 * interface is not up here; after, the notifier tells.
	 */
	else if (!(READ_ONCE(ndev->flags) & IFF_UP))
		ret = -ENETDOWN;
	if (ret)
		vhost_can_link_close(can);
	mutex_unlock(&can->link_lock);
	return ret;
}

/*
 * The allowlists changed: the new filters go in before the old ones go,
 * so no frame both admit is missed meanwhile.
 */
static int vhost_can_link_refilter(struct vhost_can *can)
{
	struct can_filter *filter;
	unsigned int n;
	int ret = 0;

	filter = kmalloc_array(VHOST_CAN_FILTER_MAX, sizeof(*filter), GFP_KERNEL);
	if (!filter)
		return -ENOMEM;
	mutex_lock(&can->link_lock);
	if (can->ndev) {
		n = vhost_can_filters(can, filter);
		ret = vhost_can_register_filters(can, filter, n);
		if (!ret) {
			vhost_can_unregister_filters(can, can->filter,
						     can->nfilter);
			memcpy(can->filter, filter, n * sizeof(*filter));
			can->nfilter = n;
		}
	}
	mutex_unlock(&can->link_lock);
	kfree(filter);
	return ret;
}

/* Write a request's one-byte result and return it to the driver. */
static int vhost_can_complete(struct vbe_vq *vq, const struct vbe_chain *chain,
			      u8 result)
{
	int ret = vbe_chain_write(vq, chain, 0, &result, sizeof(result));

	return ret ? ret : vbe_vq_push(vq, chain, sizeof(result));
}

static struct vhost_can_sent *vhost_can_sent_at(struct vhost_can *can,
						unsigned int i)
{
	return &can->sent[(can->sent_first + i) % VHOST_CAN_SENT_MAX];
}

/*
 * A sent frame's echo came (result OK), or will not: its request, if one
 * waits, completes. vhost_can_sent_pop() then takes it from the ring.
 */
static int vhost_can_sent_done(struct vhost_can *can, struct vhost_can_sent *s,
			       u8 result)
{
	struct vbe_chain chain = {
		.head = s->head,
		.nr_in = 1,
		.in_len = s->result.len,
		.segments = &s->result,
	};
	int ret = 0;

	if (s->waiting) {
		if (result == VIRTIO_CAN_RESULT_OK)
			can->stats.tx_frames++;
		else
			can->stats.tx_failed++;
		ret = vhost_can_complete(&can->core.vqs[VIRTIO_CAN_VQ_TX],
					 &chain, result);
	}
	consume_skb(s->skb);
	s->skb = NULL;
	return ret;
}

/* The oldest sent frames that are done leave the ring. */
static void vhost_can_sent_pop(struct vhost_can *can)
{
	unsigned int slot;

	spin_lock_bh(&can->rx_lock);
	while (can->nsent && !can->sent[can->sent_first].skb) {
		slot = can->sent_first;
		can->sent_origin[slot] = NULL;
		clear_bit(slot, can->sent_echoed);
		can->sent_first = (slot + 1) % VHOST_CAN_SENT_MAX;
		can->nsent--;
	}
	spin_unlock_bh(&can->rx_lock);
}

/* Sent frames whose echo the receive path saw: their requests complete. */
static void vhost_can_echoed(struct vhost_can *can)
{
	unsigned int i, slot;
	bool echoes;

	spin_lock_bh(&can->rx_lock);
	echoes = can->echoes;
	can->echoes = false;
	spin_unlock_bh(&can->rx_lock);
	if (!echoes)
		return;
	for (i = 0; i < can->nsent; i++) {
		slot = (can->sent_first + i) % VHOST_CAN_SENT_MAX;
		/* the driver's failure marks the device broken: it is told */
		if (can->sent[slot].skb && test_bit(slot, can->sent_echoed))
			vhost_can_sent_done(can, &can->sent[slot],
					    VIRTIO_CAN_RESULT_OK);
	}
	vhost_can_sent_pop(can);
}

/* Stop the controller: frames waiting for their ack did not go out. */
static void vhost_can_stop(struct vhost_can *can)
{
	unsigned int i;

	for (i = 0; i < can->nsent; i++) {
		struct vhost_can_sent *s = vhost_can_sent_at(can, i);

		if (s->skb)
			vhost_can_sent_done(can, s, VIRTIO_CAN_RESULT_NOT_OK);
	}
	vhost_can_sent_pop(can);
	can->rx_held = false;
	WRITE_ONCE(can->started, false);
	spin_lock_bh(&can->rx_lock);
	can->rx_open = false;
	can->events = 0;
	can->fifo_out = can->fifo_in;
	spin_unlock_bh(&can->rx_lock);
	mutex_lock(&can->link_lock);
	vhost_can_link_close(can);
	mutex_unlock(&can->link_lock);
}

static void vhost_can_set_status(struct vhost_can *can, u16 status)
{
	__le16 val = cpu_to_le16(status);

	vbe_device_set_config(&can->core, offsetof(struct virtio_can_config,
						   status),
			      &val, sizeof(val));
}

/*
 * The controller left the bus: the status says so and the driver is told;
 * it restarts the controller with a START request.
 */
static void vhost_can_bus_off(struct vhost_can *can, const char *why)
{
	dev_info_ratelimited(vhost_can_dev(can), "%s: bus-off: %s\n",
			     can->ifname, why);
	can->stats.bus_off++;
	vhost_can_stop(can);
	vhost_can_set_status(can, VIRTIO_CAN_S_CTRL_BUSOFF);
	vbe_device_config_changed(&can->core);
}

/*
 * The receive path's news: echoes complete their requests, and what the
 * interface did stops a started controller.
 */
static void vhost_can_take_news(struct vhost_can *can)
{
	unsigned int events = vhost_can_take_events(can);

	vhost_can_echoed(can);
	if (events && can->started)
		vhost_can_bus_off(can, events & VHOST_CAN_EV_GONE ? "the interface is gone" :
				  events & VHOST_CAN_EV_DOWN ? "the interface went down" :
				  "error frame");
}

/* Start the controller on the interface; the answer to START. */
static u8 vhost_can_start(struct vhost_can *can)
{
	int ret;

	if (can->started)
		return VIRTIO_CAN_RESULT_OK;
	if (!__ratelimit(&can->starts)) {
		can->stats.starts_refused++;
		vbe_device_complain(&can->core, "START refused: more than %d a second",
				    VHOST_CAN_STARTS_PER_SECOND);
		return VIRTIO_CAN_RESULT_NOT_OK;
	}
	/* open before the filters: an event meanwhile is not lost */
	spin_lock_bh(&can->rx_lock);
	can->rx_open = true;
	can->events = 0;
	spin_unlock_bh(&can->rx_lock);
	ret = vhost_can_link_open(can);
	if (ret) {
		spin_lock_bh(&can->rx_lock);
		can->rx_open = false;
		spin_unlock_bh(&can->rx_lock);
		vbe_device_complain(&can->core, "START refused: %s %s", can->ifname,
				    ret == -ENODEV ? "is gone" :
				    ret == -ENETDOWN ? "is down" :
				    "cannot take the receive filters");
		return VIRTIO_CAN_RESULT_NOT_OK;
	}
	WRITE_ONCE(can->started, true);
	vhost_can_set_status(can, 0);
	return VIRTIO_CAN_RESULT_OK;
}

static long vhost_can_handle_ctrl(struct vhost_can *can, struct vbe_vq *vq)
{
	struct virtio_can_control_out req;
	struct vbe_chain chain;
	unsigned int served;
	u8 result;
	int ret;

	for (served = 0; served < VHOST_CAN_BUDGET; served++) {
		ret = vbe_vq_pop(vq, &chain);
		if (ret <= 0)
			return 0;
		if (chain.out_len < sizeof(req) || chain.in_len < 1) {
			vbe_device_broken(&can->core,
					  "control request %u has %llu bytes out and %llu in; it needs %zu and 1",
					  chain.head, chain.out_len,
					  chain.in_len, sizeof(req));
			return 0;
		}
		if (vbe_chain_read(vq, &chain, 0, &req, sizeof(req)))
			return 0;
		switch (le16_to_cpu(req.msg_type)) {
		case VIRTIO_CAN_SET_CTRL_MODE_START:
			result = vhost_can_start(can);
			break;
		case VIRTIO_CAN_SET_CTRL_MODE_STOP:
			vhost_can_stop(can);
			result = VIRTIO_CAN_RESULT_OK;
			break;
		default:
			result = VIRTIO_CAN_RESULT_NOT_OK;
			break;
		}
		if (vhost_can_complete(vq, &chain, result))
			return 0;
	}
	return VBE_AGAIN;
}

/*
 * The SocketCAN frame a transmit request describes, or why there is none
 * (the request then gets NOT_OK): a kind not negotiated, an undefined
 * flag, an ID or length out of range, a payload shorter than its length.
 */
static const char *vhost_can_tx_frame(struct vhost_can *can,
				      const struct vbe_chain *chain,
				      struct canfd_frame *cf, size_t *mtu)
{
	struct vbe_vq *vq = &can->core.vqs[VIRTIO_CAN_VQ_TX];
	struct virtio_can_tx_out hdr;
	unsigned int len, payload;
	u32 flags, id;

	if (vbe_chain_read(vq, chain, 0, &hdr, sizeof(hdr)))
		return NULL;
	len = le16_to_cpu(hdr.length);
	flags = le32_to_cpu(hdr.flags);
	id = le32_to_cpu(hdr.can_id);
	if (le16_to_cpu(hdr.msg_type) != VIRTIO_CAN_TX)
		return "not a transmit message";
	if (flags & ~VHOST_CAN_FLAGS_KNOWN)
		return "undefined flags";
	if (id > ((flags & VIRTIO_CAN_FLAGS_EXTENDED) ? CAN_EFF_MASK :
							CAN_SFF_MASK))
		return "identifier out of range";
	memset(cf, 0, sizeof(*cf));
	payload = len;
	if (flags & VIRTIO_CAN_FLAGS_FD) {
		if (!vhost_can_has(can, VIRTIO_CAN_F_CAN_FD))
			return "CAN FD not negotiated";
		if (flags & VIRTIO_CAN_FLAGS_RTR)
			return "RTR in a CAN FD frame";
		if (!vhost_can_fd_len_valid(len))
			return "CAN FD length not a DLC's";
		cf->flags = CANFD_FDF;
		*mtu = CANFD_MTU;
	} else {
		if (!vhost_can_has(can, VIRTIO_CAN_F_CAN_CLASSIC))
			return "classic CAN not negotiated";
		if (len > CAN_MAX_DLEN)
			return "classic length over 8";
		if (flags & VIRTIO_CAN_FLAGS_RTR) {
			if (!vhost_can_has(can, VIRTIO_CAN_F_RTR_FRAMES))
				return "RTR not negotiated";
			/* the length is the DLC asked for: no payload */
			payload = 0;
			id |= CAN_RTR_FLAG;
		}
		*mtu = CAN_MTU;
	}
	if (chain->out_len < sizeof(hdr) + payload)
		return "payload shorter than its length";
	if (flags & VIRTIO_CAN_FLAGS_EXTENDED)
		id |= CAN_EFF_FLAG;
	cf->can_id = id;
	cf->len = len;
	if (payload && vbe_chain_read(vq, chain, sizeof(hdr), cf->data, payload))
		return NULL;
	return "";
}

/*
 * A frame about to be sent joins the ring of sent frames: its echo may
 * come before can_send() returns (the CAN core loops it back at once).
 */
static unsigned int vhost_can_sent_add(struct vhost_can *can,
				       const struct sk_buff *skb)
{
	unsigned int slot;

	spin_lock_bh(&can->rx_lock);
	slot = (can->sent_first + can->nsent++) % VHOST_CAN_SENT_MAX;
	can->sent_origin[slot] = skb->head;
	spin_unlock_bh(&can->rx_lock);
	return slot;
}

/* The newest sent frame did not go out after all. */
static void vhost_can_sent_cancel(struct vhost_can *can, unsigned int slot)
{
	spin_lock_bh(&can->rx_lock);
	can->nsent--;
	can->sent_origin[slot] = NULL;
	clear_bit(slot, can->sent_echoed);
	spin_unlock_bh(&can->rx_lock);
}

/*
 * Send a frame on the interface, looped back to the device (and the
 * interface's other local readers), and track it until its echo, with
 * the request of chain when it waits for it.
 */
static int vhost_can_xmit(struct vhost_can *can, const struct canfd_frame *cf,
			  size_t mtu, const struct vbe_chain *chain, bool waiting)
{
	struct vhost_can_sent *s;
	struct sk_buff *skb;
	unsigned int slot, i;
	int ret;

	skb = vx_alloc_can_tx_skb(can->ifindex, mtu, GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	skb_put_data(skb, cf, mtu);
	slot = vhost_can_sent_add(can, skb);
	mutex_lock(&can->link_lock);
	if (can->ndev) {
		skb->dev = can->ndev;
		/* can_send() consumes a reference, whatever it returns */
		ret = can_send(skb_get(skb), 1);
	} else {
		ret = -ENODEV;
	}
	mutex_unlock(&can->link_lock);
	if (ret) {
		vhost_can_sent_cancel(can, slot);
		kfree_skb(skb);
		return ret;
	}
	s = &can->sent[slot];
	s->skb = skb;
	s->deadline = jiffies + VHOST_CAN_ACK_TIMEOUT;
	s->waiting = waiting;
	s->head = chain->head;
	/* the first writable segment with room: chains are checked */
	for (i = chain->nr_out; i < chain->nr_out + chain->nr_in; i++) {
		s->result = chain->segments[i];
		if (s->result.len)
			break;
	}
	return 0;
}

/* Serve one transmit request; VBE_AGAIN when it must wait for the queue. */
static int vhost_can_tx_one(struct vhost_can *can, struct vbe_vq *vq,
			    const struct vbe_chain *chain)
{
	bool late = vhost_can_has(can, VIRTIO_CAN_F_LATE_TX_ACK);
	struct canfd_frame cf;
	const char *invalid;
	size_t mtu;
	int ret, err;

	if (chain->out_len < sizeof(struct virtio_can_tx_out) || !chain->in_len) {
		vbe_device_broken(&can->core,
				  "transmit request %u has %llu bytes out and %llu in; it needs at least %zu and 1",
				  chain->head, chain->out_len, chain->in_len,
				  sizeof(struct virtio_can_tx_out));
		return -EPROTO;
	}
	invalid = vhost_can_tx_frame(can, chain, &cf, &mtu);
	if (!invalid)
		return -EFAULT;
	if (*invalid) {
		can->stats.tx_invalid++;
		dev_dbg_ratelimited(vhost_can_dev(can), "transmit request %u refused: %s\n",
				    chain->head, invalid);
		return vhost_can_complete(vq, chain, VIRTIO_CAN_RESULT_NOT_OK);
	}
	if (!vhost_can_allowed(can, &can->tx_allow, cf.can_id)) {
		can->stats.tx_refused++;
		return vhost_can_complete(vq, chain, VIRTIO_CAN_RESULT_NOT_OK);
	}
	if (!can->started) {
		can->stats.tx_failed++;
		return vhost_can_complete(vq, chain, VIRTIO_CAN_RESULT_NOT_OK);
	}
	ret = vhost_can_xmit(can, &cf, mtu, chain, late);
	/* the interface's queue is full, or memory short: try again soon */
	if (ret == -ENOBUFS || ret == -ENOMEM)
		return VBE_AGAIN;
	if (ret) {
		can->stats.tx_failed++;
		err = vhost_can_complete(vq, chain, VIRTIO_CAN_RESULT_NOT_OK);
		/* a frame the interface refused (its MTU) is the frame's fault */
		if (ret != -EINVAL && ret != -EMSGSIZE)
			vhost_can_bus_off(can, ret == -ENETDOWN ?
					  "the interface went down" :
					  "the interface is gone");
		return err;
	}
	if (late)
		return 0;
	can->stats.tx_frames++;
	return vhost_can_complete(vq, chain, VIRTIO_CAN_RESULT_OK);
}

/* Sent frames whose echo did not come in time; the delay until the next. */
static long vhost_can_expire(struct vhost_can *can)
{
	int ret;

	while (can->nsent) {
		struct vhost_can_sent *s = vhost_can_sent_at(can, 0);
		long left = (long)(s->deadline - jiffies);

		if (left > 0)
			return left;
		ret = vhost_can_sent_done(can, s, VIRTIO_CAN_RESULT_NOT_OK);
		vhost_can_sent_pop(can);
		if (ret)
			return 0;
	}
	return 0;
}

static long vhost_can_handle_tx(struct vhost_can *can, struct vbe_vq *vq)
{
	struct vbe_chain chain;
	unsigned int served;
	int ret;

	/* stopped by it, the controller answers what waits NOT_OK */
	vhost_can_take_news(can);
	for (served = 0; served < VHOST_CAN_BUDGET; served++) {
		/*
		 * Requests past the ring of sent frames, or a driver's that
		 * publishes the ones in flight again, wait until echoes or
		 * their timeouts free room (an echo kicks the worker).
		 */
		if (can->nsent == VHOST_CAN_SENT_MAX)
			return vhost_can_expire(can) ?: VBE_AGAIN;
		if (vbe_vq_pop(vq, &chain) <= 0)
			return 0;
		ret = vhost_can_tx_one(can, vq, &chain);
		if (ret == VBE_AGAIN) {
			vbe_vq_unpop(vq);
			return VHOST_CAN_TX_RETRY;
		}
		if (ret)
			return 0;
	}
	return VBE_AGAIN;
}

/*
 * Take the next frame for the driver into rx_frame; frames the driver may
 * not have are counted and dropped. Whether one is held.
 */
static bool vhost_can_rx_read(struct vhost_can *can)
{
	struct canfd_frame *cf = &can->rx_frame;
	bool fd;

	while (vhost_can_fifo_take(can, cf)) {
		fd = cf->flags & CANFD_FDF;
		if (!vhost_can_allowed(can, &can->rx_allow, cf->can_id) ||
		    (fd ? !vhost_can_has(can, VIRTIO_CAN_F_CAN_FD) :
		     !vhost_can_has(can, VIRTIO_CAN_F_CAN_CLASSIC)) ||
		    ((cf->can_id & CAN_RTR_FLAG) &&
		     !vhost_can_has(can, VIRTIO_CAN_F_RTR_FRAMES))) {
			can->stats.rx_dropped++;
			continue;
		}
		return true;
	}
	return false;
}

/* Put the held frame into a receive buffer. */
static int vhost_can_rx_deliver(struct vhost_can *can, struct vbe_vq *vq,
				const struct vbe_chain *chain)
{
	const struct canfd_frame *cf = &can->rx_frame;
	bool fd = cf->flags & CANFD_FDF;
	unsigned int payload = (cf->can_id & CAN_RTR_FLAG) ? 0 : cf->len;
	size_t need = sizeof(struct virtio_can_rx) +
		(vhost_can_has(can, VIRTIO_CAN_F_CAN_FD) ? CANFD_MAX_DLEN :
							    CAN_MAX_DLEN);
	struct virtio_can_rx hdr = {
		.msg_type = cpu_to_le16(VIRTIO_CAN_RX),
		.length = cpu_to_le16(cf->len),
	};
	u32 flags = 0;
	int ret;

	if (chain->nr_out || chain->in_len < need) {
		vbe_device_broken(&can->core,
				  "receive buffer %u has %llu bytes out and %llu in; it needs none and %zu",
				  chain->head, chain->out_len, chain->in_len,
				  need);
		return -EPROTO;
	}
	if (cf->can_id & CAN_EFF_FLAG) {
		flags |= VIRTIO_CAN_FLAGS_EXTENDED;
		hdr.can_id = cpu_to_le32(cf->can_id & CAN_EFF_MASK);
	} else {
		hdr.can_id = cpu_to_le32(cf->can_id & CAN_SFF_MASK);
	}
	/* flags the virtio frame has no room for (BRS, ESI) are lost */
	if (fd)
		flags |= VIRTIO_CAN_FLAGS_FD;
	if (cf->can_id & CAN_RTR_FLAG)
		flags |= VIRTIO_CAN_FLAGS_RTR;
	hdr.flags = cpu_to_le32(flags);
	ret = vbe_chain_write(vq, chain, 0, &hdr, sizeof(hdr));
	if (!ret && payload)
		ret = vbe_chain_write(vq, chain, sizeof(hdr), cf->data, payload);
	if (!ret)
		ret = vbe_vq_push(vq, chain, sizeof(hdr) + payload);
	if (!ret)
		can->stats.rx_frames++;
	return ret;
}

/* Frames from the interface to the driver, and the receive path's news. */
static long vhost_can_handle_rx(struct vhost_can *can, struct vbe_vq *vq)
{
	struct vbe_chain chain;
	unsigned int served;
	int ret;

	vhost_can_take_news(can);
	for (served = 0; served < VHOST_CAN_BUDGET; served++) {
		if (!can->rx_held) {
			if (!vhost_can_rx_read(can))
				return vhost_can_expire(can);
			can->rx_held = true;
		}
		/* no buffer: the driver's next one kicks the device */
		ret = vbe_vq_pop(vq, &chain);
		if (ret <= 0)
			return ret ? 0 : vhost_can_expire(can);
		if (vhost_can_rx_deliver(can, vq, &chain))
			return 0;
		can->rx_held = false;
	}
	return VBE_AGAIN;
}

static long vhost_can_handle_vq(struct vbe_device *core, struct vbe_vq *vq)
{
	struct vhost_can *can = container_of(core, struct vhost_can, core);

	switch (vq->index) {
	case VIRTIO_CAN_VQ_TX:
		return vhost_can_handle_tx(can, vq);
	case VIRTIO_CAN_VQ_RX:
		return vhost_can_handle_rx(can, vq);
	default:
		return vhost_can_handle_ctrl(can, vq);
	}
}

static int vhost_can_features_ok(struct vbe_device *core)
{
	struct vhost_can *can = container_of(core, struct vhost_can, core);
	const char *why = NULL;

	mutex_lock(&can->settings_lock);
	if (!can->net)
		why = "no CAN interface bound (write its name to netdev)";
	else if (!vhost_can_has(can, VIRTIO_CAN_F_CAN_CLASSIC) &&
		 !vhost_can_has(can, VIRTIO_CAN_F_CAN_FD))
		why = "neither classic CAN nor CAN FD negotiated";
	else if (vhost_can_has(can, VIRTIO_CAN_F_RTR_FRAMES) &&
		 !vhost_can_has(can, VIRTIO_CAN_F_CAN_CLASSIC))
		why = "RTR frames without classic CAN";
	else
		can->in_use = true;
	mutex_unlock(&can->settings_lock);
	if (!why)
		return 0;
	vbe_device_complain(core, "FEATURES_OK refused: %s", why);
	return -EINVAL;
}

/* Reset: the controller stops; requests in flight are forgotten. */
static void vhost_can_reset(struct vbe_device *core)
{
	struct vhost_can *can = container_of(core, struct vhost_can, core);

	unsigned int i;

	/* requests in flight are forgotten: their ring is gone */
	for (i = 0; i < can->nsent; i++)
		vhost_can_sent_at(can, i)->waiting = false;
	vhost_can_stop(can);
	vhost_can_set_status(can, 0);
	mutex_lock(&can->settings_lock);
	can->in_use = false;
	mutex_unlock(&can->settings_lock);
}

static const struct vbe_device_info vhost_can_info = {
	.name = "vhost-can",
	.device_id = VIRTIO_ID_CAN,
	.features = VHOST_CAN_FEATURES,
	.nvqs = VIRTIO_CAN_VQ_MAX_CNT,
	.config_size = sizeof(struct virtio_can_config),
	.handle_vq = vhost_can_handle_vq,
	.features_ok = vhost_can_features_ok,
	.reset = vhost_can_reset,
};

static void vhost_can_unbind(struct vhost_can *can)
{
	if (can->net)
		put_net(can->net);
	can->net = NULL;
	can->ifindex = 0;
	can->ifname[0] = '\0';
	WRITE_ONCE(can->core.offered, can->core.offered | VHOST_CAN_FEATURES);
}

/* Bind to the CAN interface called name in the writer's namespace. */
static int vhost_can_bind(struct vhost_can *can, const char *name)
{
	struct net *net = current->nsproxy->net_ns;
	struct net_device *ndev;
	int ret = 0;

	ndev = dev_get_by_name(net, name);
	if (!ndev) {
		dev_info_ratelimited(vhost_can_dev(can), "netdev: no interface %s\n",
				     name);
		return -ENODEV;
	}
	if (ndev->type != ARPHRD_CAN) {
		dev_info_ratelimited(vhost_can_dev(can), "netdev: %s is not a CAN interface\n",
				     name);
		ret = -EINVAL;
		goto out;
	}
	vhost_can_unbind(can);
	can->net = get_net(net);
	can->ifindex = ndev->ifindex;
	strscpy(can->ifname, ndev->name, sizeof(can->ifname));
	/* CAN FD only where the interface carries it */
	if (READ_ONCE(ndev->mtu) < CANFD_MTU)
		WRITE_ONCE(can->core.offered,
			   can->core.offered & ~BIT_ULL(VIRTIO_CAN_F_CAN_FD));
out:
	dev_put(ndev);
	return ret;
}

static ssize_t netdev_show(struct device *d, struct device_attribute *attr,
			   char *buf)
{
	struct vhost_can *can = to_vhost_can(d);
	ssize_t ret;

	mutex_lock(&can->settings_lock);
	ret = sysfs_emit(buf, "%s\n", can->ifname);
	mutex_unlock(&can->settings_lock);
	return ret;
}

/*
 * Bound before a driver accepts the features: what the device offers
 * depends on the interface. An empty write unbinds.
 */
static ssize_t netdev_store(struct device *d, struct device_attribute *attr,
			    const char *buf, size_t count)
{
	struct vhost_can *can = to_vhost_can(d);
	char name[IFNAMSIZ];
	size_t len = count;
	int ret = 0;

	while (len && isspace(buf[len - 1]))
		len--;
	if (len >= sizeof(name)) {
		dev_info_ratelimited(d, "netdev: an interface name has at most %zu characters\n",
				     sizeof(name) - 1);
		return -EINVAL;
	}
	memcpy(name, buf, len);
	name[len] = '\0';
	mutex_lock(&can->settings_lock);
	if (can->in_use) {
		dev_info_ratelimited(d, "netdev: a driver uses the device; it must reset it first\n");
		ret = -EBUSY;
	} else if (!len) {
		vhost_can_unbind(can);
	} else {
		ret = vhost_can_bind(can, name);
	}
	mutex_unlock(&can->settings_lock);
	return ret ?: count;
}
static DEVICE_ATTR_RW(netdev);

/*
 * Parse "ID:MASK[:r] ...": hexadecimal, an ID of eight digits is an extended
 * one. An entry admits exactly what it names: frames of its ID's format
 * (standard or extended), data frames, or with ":r" remote frames. A mask
 * of 0 admits every frame. Nothing (an empty write) allows nothing.
 */
static int vhost_can_allow_parse(struct device *d, const char *attr,
				 const char *buf,
				 struct vhost_can_allowlist *list)
{
	char *copy, *p, *tok;
	int ret = 0;

	copy = kstrdup(buf, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	list->n = 0;
	p = copy;
	while ((tok = strsep(&p, " ,\t\n"))) {
		char *colon, *kind = NULL;
		struct can_filter *f;

		if (!*tok)
			continue;
		if (list->n == VHOST_CAN_ALLOW_MAX) {
			dev_info_ratelimited(d, "%s: more than %u entries\n",
					     attr, VHOST_CAN_ALLOW_MAX);
			ret = -E2BIG;
			break;
		}
		f = &list->filter[list->n];
		colon = strchr(tok, ':');
		if (colon) {
			*colon = '\0';
			kind = strchr(colon + 1, ':');
			if (kind)
				*kind++ = '\0';
		}
		if (!colon || kstrtou32(tok, 16, &f->can_id) ||
		    kstrtou32(colon + 1, 16, &f->can_mask) ||
		    f->can_id > CAN_EFF_MASK || f->can_mask > CAN_EFF_MASK ||
		    (kind && strcmp(kind, "r"))) {
			dev_info_ratelimited(d, "%s: '%s%s%s%s%s' is not ID:MASK or ID:MASK:r (hexadecimal)\n",
					     attr, tok, colon ? ":" : "",
					     colon ? colon + 1 : "",
					     kind ? ":" : "", kind ?: "");
			ret = -EINVAL;
			break;
		}
		if (colon - tok == 8)
			f->can_id |= CAN_EFF_FLAG;
		if (kind)
			f->can_id |= CAN_RTR_FLAG;
		/* the format and the frame kind must match too, but for 0:0 */
		if (f->can_mask)
			f->can_mask |= CAN_EFF_FLAG | CAN_RTR_FLAG;
		list->n++;
	}
	kfree(copy);
	return ret;
}

/* tx_allow and rx_allow: the attribute says which list it is. */
static struct vhost_can_allowlist *vhost_can_attr_list(struct device *d,
						       struct device_attribute *attr)
{
	struct dev_ext_attribute *ea = container_of(attr, struct dev_ext_attribute,
						    attr);

	return (void *)to_vhost_can(d) + (uintptr_t)ea->var;
}

static ssize_t vhost_can_allow_show(struct device *d,
				    struct device_attribute *attr, char *buf)
{
	const struct vhost_can_allowlist *list = vhost_can_attr_list(d, attr);
	struct vhost_can *can = to_vhost_can(d);
	ssize_t len = 0;
	unsigned int i;

	mutex_lock(&can->settings_lock);
	for (i = 0; i < list->n; i++) {
		const struct can_filter *f = &list->filter[i];

		len += sysfs_emit_at(buf, len,
				     f->can_id & CAN_EFF_FLAG ? "%s%08x:%08x%s" : "%s%03x:%08x%s",
				     i ? " " : "", f->can_id & CAN_EFF_MASK,
				     f->can_mask & CAN_EFF_MASK,
				     f->can_id & CAN_RTR_FLAG ? ":r" : "");
	}
	len += sysfs_emit_at(buf, len, "\n");
	mutex_unlock(&can->settings_lock);
	return len;
}

static ssize_t vhost_can_allow_store(struct device *d,
				     struct device_attribute *attr,
				     const char *buf, size_t count)
{
	struct vhost_can_allowlist *list = vhost_can_attr_list(d, attr);
	struct vhost_can *can = to_vhost_can(d);
	struct vhost_can_allowlist *parsed;
	int ret;

	parsed = kzalloc(sizeof(*parsed), GFP_KERNEL);
	if (!parsed)
		return -ENOMEM;
	ret = vhost_can_allow_parse(d, attr->attr.name, buf, parsed);
	if (!ret) {
		mutex_lock(&can->settings_lock);
		*list = *parsed;
		mutex_unlock(&can->settings_lock);
		/* in force in the CAN core too when the write returns */
		ret = vhost_can_link_refilter(can);
		if (ret)
			dev_info_ratelimited(d, "%s: no memory for the new receive filters; the old ones stay\n",
					     attr->attr.name);
	}
	kfree(parsed);
	return ret ?: count;
}

#define VHOST_CAN_ALLOWLIST(field) {					\
	.attr = {							\
		.attr = { .name = #field, .mode = 0644 },		\
		.show = vhost_can_allow_show,				\
		.store = vhost_can_allow_store,				\
	},								\
	.var = (void *)offsetof(struct vhost_can, field),		\
}

static struct dev_ext_attribute vhost_can_allowlists[] = {
	VHOST_CAN_ALLOWLIST(tx_allow),
	VHOST_CAN_ALLOWLIST(rx_allow),
};

/* The controller as the driver sees it, and whether it is on the bus yet. */
static ssize_t controller_show(struct device *d, struct device_attribute *attr,
			       char *buf)
{
	struct vhost_can *can = to_vhost_can(d);
	__le16 status;
	const char *state;

	vbe_device_get_config(&can->core, offsetof(struct virtio_can_config,
						   status),
			      &status, sizeof(status));
	if (le16_to_cpu(status) & VIRTIO_CAN_S_CTRL_BUSOFF)
		state = "bus-off";
	else
		state = READ_ONCE(can->started) ? "started" : "stopped";
	return sysfs_emit(buf, "%s\n", state);
}
static DEVICE_ATTR_RO(controller);

static struct attribute *vhost_can_attrs[] = {
	&dev_attr_controller.attr,
	&dev_attr_netdev.attr,
	&vhost_can_allowlists[0].attr.attr,
	&vhost_can_allowlists[1].attr.attr,
	NULL
};

static const struct attribute_group vhost_can_group = {
	.attrs = vhost_can_attrs,
};

#define VHOST_CAN_STAT(field) VBE_STAT(struct vhost_can, stats.field, #field)

static struct dev_ext_attribute vhost_can_stats[] = {
	VHOST_CAN_STAT(tx_frames),
	VHOST_CAN_STAT(tx_refused),
	VHOST_CAN_STAT(tx_invalid),
	VHOST_CAN_STAT(tx_failed),
	VHOST_CAN_STAT(rx_frames),
	VHOST_CAN_STAT(rx_dropped),
	VHOST_CAN_STAT(rx_overrun),
	VHOST_CAN_STAT(bus_off),
	VHOST_CAN_STAT(starts_refused),
};

static struct attribute *vhost_can_stat_attrs[] = {
	&vhost_can_stats[0].attr.attr,
	&vhost_can_stats[1].attr.attr,
	&vhost_can_stats[2].attr.attr,
	&vhost_can_stats[3].attr.attr,
	&vhost_can_stats[4].attr.attr,
	&vhost_can_stats[5].attr.attr,
	&vhost_can_stats[6].attr.attr,
	&vhost_can_stats[7].attr.attr,
	&vhost_can_stats[8].attr.attr,
	NULL
};

static const struct attribute_group vhost_can_stat_group = {
	.name = "statistics",
	.attrs = vhost_can_stat_attrs,
};

static const struct attribute_group *vhost_can_groups[] = {
	&vhost_can_group,
	&vhost_can_stat_group,
	NULL
};

static int vhost_can_dev_add(struct vdpa_mgmt_dev *mdev, const char *name,
			     const struct vdpa_dev_set_config *config)
{
	struct vbe_device *core;
	struct vhost_can *can;
	int ret;

	core = vbe_device_alloc(&vhost_can_info, &vhost_can_mgmt, name,
				sizeof(struct vhost_can));
	if (IS_ERR(core))
		return PTR_ERR(core);
	can = container_of(core, struct vhost_can, core);
	mutex_init(&can->settings_lock);
	mutex_init(&can->link_lock);
	spin_lock_init(&can->rx_lock);
	can->fifo = kvcalloc(VHOST_CAN_RX_FIFO, sizeof(*can->fifo), GFP_KERNEL);
	can->seen = alloc_percpu(struct vhost_can_seen);
	if (!can->fifo || !can->seen) {
		ret = -ENOMEM;
		goto fail;
	}
	ratelimit_state_init(&can->starts, HZ, VHOST_CAN_STARTS_PER_SECOND);
	/* refusals are counted and complained about; no "suppressed" line */
	ratelimit_set_flags(&can->starts, RATELIMIT_MSG_ON_RELEASE);
	core->vdpa.dev.groups = vhost_can_groups;
	/* the notifier finds it from now on: it has no interface yet */
	mutex_lock(&vhost_can_devices_lock);
	list_add(&can->node, &vhost_can_devices);
	mutex_unlock(&vhost_can_devices_lock);
	ret = vbe_device_register(core);
	if (!ret)
		return 0;
	mutex_lock(&vhost_can_devices_lock);
	list_del(&can->node);
	mutex_unlock(&vhost_can_devices_lock);
fail:
	free_percpu(can->seen);
	kvfree(can->fifo);
	vbe_device_discard(core);
	return ret;
}

static void vhost_can_dev_del(struct vdpa_mgmt_dev *mdev,
			      struct vdpa_device *vdpa)
{
	struct vhost_can *can = container_of(vdpa, struct vhost_can, core.vdpa);

	/* unbound from its driver, which reset it: nothing runs any more */
	vbe_device_unregister(&can->core);
	mutex_lock(&can->core.lock);
	vhost_can_reset(&can->core);
	mutex_unlock(&can->core.lock);
	mutex_lock(&vhost_can_devices_lock);
	list_del(&can->node);
	mutex_unlock(&vhost_can_devices_lock);
	/* its filters are gone; a receiver that saw them before has returned */
	synchronize_rcu();
	free_percpu(can->seen);
	kvfree(can->fifo);
	vhost_can_unbind(can);
}

static const struct vdpa_mgmtdev_ops vhost_can_mgmt_ops = {
	.dev_add = vhost_can_dev_add,
	.dev_del = vhost_can_dev_del,
};

static struct virtio_device_id vhost_can_id_table[] = {
	{ VIRTIO_ID_CAN, VIRTIO_DEV_ANY_ID },
	{ 0 },
};

static struct vbe_mgmt vhost_can_mgmt = {
	.vdpa = {
		.ops = &vhost_can_mgmt_ops,
		.id_table = vhost_can_id_table,
		.max_supported_vqs = VIRTIO_CAN_VQ_MAX_CNT,
	},
	.max_devices = 16,
};
module_param_named(max_devices, vhost_can_mgmt.max_devices, uint, 0444);
MODULE_PARM_DESC(max_devices, "Most vhost-can devices at once (default 16)");

/*
 * A started device's interface going down or away stops its controller;
 * gone, it is left at once (it must not wait for the worker), so the
 * interface is freed.
 */
static int vhost_can_netdev_event(struct notifier_block *nb,
				  unsigned long msg, void *ptr)
{
	struct net_device *ndev = netdev_notifier_info_to_dev(ptr);
	unsigned int event;
	struct vhost_can *can;

	if (ndev->type != ARPHRD_CAN)
		return NOTIFY_DONE;
	if (msg == NETDEV_DOWN)
		event = VHOST_CAN_EV_DOWN;
	else if (msg == NETDEV_UNREGISTER)
		event = VHOST_CAN_EV_GONE;
	else
		return NOTIFY_DONE;
	mutex_lock(&vhost_can_devices_lock);
	list_for_each_entry(can, &vhost_can_devices, node) {
		mutex_lock(&can->link_lock);
		if (can->ndev == ndev) {
			if (event == VHOST_CAN_EV_GONE)
				vhost_can_link_close(can);
			vhost_can_event(can, event);
		}
		mutex_unlock(&can->link_lock);
	}
	mutex_unlock(&vhost_can_devices_lock);
	return NOTIFY_DONE;
}

static struct notifier_block vhost_can_notifier = {
	.notifier_call = vhost_can_netdev_event,
};

static int __init vhost_can_init(void)
{
	int ret = register_netdevice_notifier(&vhost_can_notifier);

	if (ret)
		return ret;
	ret = vbe_mgmt_register(&vhost_can_mgmt, "vhost_can");
	if (ret)
		unregister_netdevice_notifier(&vhost_can_notifier);
	return ret;
}

/* Removes every device first (vhost-vdpa waits for its users to close). */
static void __exit vhost_can_exit(void)
{
	vbe_mgmt_unregister(&vhost_can_mgmt);
	unregister_netdevice_notifier(&vhost_can_notifier);
}

module_init(vhost_can_init);
module_exit(vhost_can_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("virtio-extra developers");
MODULE_DESCRIPTION("vhost-can: in-kernel virtio CAN device (vDPA back-end) on a host CAN interface");
