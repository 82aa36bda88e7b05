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
 * The device reaches the interface through a raw CAN socket of its own,
 * open while the driver has the controller started: frames go out with
 * the socket's checks, come in through its filters (the allowlists), and
 * its error frames and errors tell of bus-off. Nothing is reachable by
 * default: no interface, no ID.
 */

#include <linux/can.h>
#include <linux/can/error.h>
#include <linux/can/raw.h>
#include <linux/can/skb.h>
#include <linux/ctype.h>
#include <linux/if_arp.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/netdevice.h>
#include <linux/ratelimit.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <net/net_namespace.h>
#include <net/sock.h>
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
/* A frame waiting for its late TX ack gets NOT_OK after this long. */
#define VHOST_CAN_ACK_TIMEOUT HZ
/* Frames waiting for their late TX ack; further requests wait in the ring. */
#define VHOST_CAN_TX_WAIT_MAX 256
/* How long a frame the interface's queue refused waits to be retried. */
#define VHOST_CAN_TX_RETRY 1
/*
 * Room in the socket for a ring of received frames: a burst the guest's
 * ring would take is not lost on the host while the worker catches up.
 */
#define VHOST_CAN_SOCK_RCVBUF \
	(VBE_QUEUE_MAX * SKB_TRUESIZE(sizeof(struct can_skb_priv) + CANFD_MTU))
/* STARTs a device takes in a second; more are refused (see @starts). */
#define VHOST_CAN_STARTS_PER_SECOND 10

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
 * struct vhost_can_tx_wait - a transmitted frame waiting for its echo
 * @head: its request's chain head
 * @result: where its result byte goes
 * @frame: the frame, to match the echo against
 * @deadline: when it fails, in jiffies
 */
struct vhost_can_tx_wait {
	u16 head;
	struct vbe_segment result;
	struct canfd_frame frame;
	unsigned long deadline;
};

/**
 * struct vhost_can_sock_config - what a socket is made with
 * @ifindex: the interface
 * @fd: CAN FD frames were negotiated
 * @late_ack: late TX acks were negotiated: the socket echoes its frames
 * @filter: the socket's filters
 * @nfilter: how many
 */
struct vhost_can_sock_config {
	int ifindex;
	bool fd;
	bool late_ack;
	struct can_filter filter[2 * VHOST_CAN_ALLOW_MAX];
	unsigned int nfilter;
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
	unsigned long bus_off;
	unsigned long starts_refused;
};

/**
 * struct vhost_can - one CAN device
 * @core: the back-end core's device
 * @settings_lock: protects what the administrator sets: @net, @ifindex,
 *	@ifname, @tx_allow, @rx_allow, and @in_use
 * @net: network namespace of the bound interface (referenced), or NULL
 * @ifindex: the bound interface
 * @ifname: its name when it was bound
 * @in_use: a driver accepted the features since the last reset: the
 *	interface stays bound (the worker reads it without the lock)
 * @tx_allow: IDs the driver may send
 * @rx_allow: IDs the driver receives
 * @sock_lock: protects the socket's state, shared by the worker and the
 *	socket work: @started, @sock, @sock_gen, @retired, @refilter and
 *	@sock_err
 * @started: the controller is started: it wants a socket
 * @sock: raw CAN socket on the interface, or NULL (the controller is
 *	stopped, or its socket is being opened). Set by the socket work, put
 *	back to NULL by the worker alone, which reads it without the lock.
 * @sock_gen: counts starts and stops: a socket opened for an older start
 *	is not taken
 * @retired: a socket taken from the device, for the socket work to release
 * @refilter: the allowlists changed: the socket work sets the new filters
 * @sock_err: what the socket work found for the worker to act on: the
 *	socket could not be opened, or the interface is down (an errno)
 * @sock_work: opens and releases sockets (see vhost_can_sock_work())
 * @sock_config: the socket work's copy of what a socket is made with
 * @starts: bounds the rate of STARTs, each of which opens a socket and
 *	takes the RTNL: a guest toggling its controller must not slow the
 *	host's network configuration
 * @rx_frame: a frame read from @sock, waiting for a receive buffer
 * @rx_held: @rx_frame holds one
 * @wait: transmitted frames waiting for their late ack, oldest first
 * @nwait: how many
 * @stats: counters
 *
 * The rest is the worker's, under the core's device lock; @stats is
 * written under it and read without. The worker takes @settings_lock and
 * @sock_lock (after the device lock) only for moments, never across guest
 * memory; sysfs and the socket work take them and never the device lock,
 * so a worker stalled on its owner's memory stalls neither.
 */
struct vhost_can {
	struct vbe_device core;
	struct mutex settings_lock; /* net, ifindex, ifname, allowlists, in_use */
	struct net *net;
	int ifindex;
	char ifname[IFNAMSIZ];
	bool in_use;
	struct vhost_can_allowlist tx_allow;
	struct vhost_can_allowlist rx_allow;
	struct mutex sock_lock; /* started, sock, sock_gen, retired, ... */
	bool started;
	struct socket *sock;
	unsigned int sock_gen;
	struct socket *retired;
	bool refilter;
	int sock_err;
	struct work_struct sock_work;
	struct vhost_can_sock_config sock_config;
	struct ratelimit_state starts;
	struct canfd_frame rx_frame;
	bool rx_held;
	struct vhost_can_tx_wait wait[VHOST_CAN_TX_WAIT_MAX];
	unsigned int nwait;
	struct vhost_can_stats stats;
};

/* the vDPA core allocates it: the vDPA device comes first */
static_assert(offsetof(struct vhost_can, core.vdpa) == 0);

static struct vbe_mgmt vhost_can_mgmt;

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

static int vhost_can_setsockopt(struct socket *sock, int opt,
				const void *val, unsigned int len)
{
	return sock->ops->setsockopt(sock, SOL_CAN_RAW, opt,
				     KERNEL_SOCKPTR((void *)val), len);
}

/*
 * What a socket is made with: the socket's filters are what rx_allow lets
 * in and, with late acks, the echoes of what tx_allow lets out (other
 * frames those entries match are dropped when read). With netp, for a
 * socket to open, the bound interface's namespace too (referenced; NULL
 * when none is bound).
 */
static void vhost_can_sock_config(struct vhost_can *can,
				  struct vhost_can_sock_config *cfg,
				  struct net **netp)
{
	unsigned int n;

	mutex_lock(&can->settings_lock);
	if (netp)
		*netp = can->net ? get_net(can->net) : NULL;
	n = can->rx_allow.n;
	cfg->ifindex = can->ifindex;
	cfg->fd = vhost_can_has(can, VIRTIO_CAN_F_CAN_FD);
	cfg->late_ack = vhost_can_has(can, VIRTIO_CAN_F_LATE_TX_ACK);
	memcpy(cfg->filter, can->rx_allow.filter, n * sizeof(cfg->filter[0]));
	if (cfg->late_ack) {
		memcpy(cfg->filter + n, can->tx_allow.filter,
		       can->tx_allow.n * sizeof(cfg->filter[0]));
		n += can->tx_allow.n;
	}
	cfg->nfilter = n;
	mutex_unlock(&can->settings_lock);
}

static int vhost_can_sock_filter(struct socket *sock,
				 const struct vhost_can_sock_config *cfg)
{
	return vhost_can_setsockopt(sock, CAN_RAW_FILTER, cfg->filter,
				    cfg->nfilter * sizeof(cfg->filter[0]));
}

/*
 * A socket's namespace: a kernel socket holds no reference on it, so each
 * of ours holds one, from its opening until its release.
 */
static void vhost_can_sock_release(struct socket *sock)
{
	struct net *net = sock_net(sock->sk);

	sock_release(sock);
	put_net(net);
}

/*
 * A raw socket on the bound interface in net, set for what was
 * negotiated; it takes a reference on net.
 */
static int vhost_can_sock_open(struct net *net,
			       const struct vhost_can_sock_config *cfg,
			       struct socket **sockp)
{
	struct sockaddr_can addr = {
		.can_family = AF_CAN,
		.can_ifindex = cfg->ifindex,
	};
	can_err_mask_t err_mask = CAN_ERR_BUSOFF;
	struct socket *sock;
	int on = 1, ret;

	ret = sock_create_kern(net, PF_CAN, SOCK_RAW, CAN_RAW, &sock);
	if (ret)
		return ret;
	get_net(net);
	sock_set_rcvbuf(sock->sk, VHOST_CAN_SOCK_RCVBUF);
	ret = vhost_can_sock_filter(sock, cfg);
	if (!ret)
		ret = vhost_can_setsockopt(sock, CAN_RAW_ERR_FILTER, &err_mask,
					   sizeof(err_mask));
	if (!ret && cfg->fd)
		ret = vhost_can_setsockopt(sock, CAN_RAW_FD_FRAMES, &on,
					   sizeof(on));
	/* the echo of a frame is its late ack */
	if (!ret && cfg->late_ack)
		ret = vhost_can_setsockopt(sock, CAN_RAW_RECV_OWN_MSGS, &on,
					   sizeof(on));
	if (!ret)
		ret = kernel_bind(sock, (struct sockaddr *)&addr, sizeof(addr));
	if (ret) {
		vhost_can_sock_release(sock);
		return ret;
	}
	*sockp = sock;
	return 0;
}

static void vhost_can_data_ready(struct sock *sk)
{
	struct vhost_can *can;

	rcu_read_lock();
	can = rcu_dereference_sk_user_data(sk);
	if (can)
		vbe_device_kick(&can->core);
	rcu_read_unlock();
}

/*
 * Give the device its socket, with @sock_lock held: news on it (frames,
 * errors) kicks the worker.
 */
static void vhost_can_sock_attach(struct vhost_can *can, struct socket *sock)
{
	struct sock *sk = sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	rcu_assign_sk_user_data(sk, can);
	sk->sk_data_ready = vhost_can_data_ready;
	sk->sk_error_report = vhost_can_data_ready;
	write_unlock_bh(&sk->sk_callback_lock);
	WRITE_ONCE(can->sock, sock);
}

/*
 * Take the socket from the device, with @sock_lock held; the socket work
 * releases it.
 */
static void vhost_can_sock_retire(struct vhost_can *can)
{
	struct sock *sk;

	if (!can->sock)
		return;
	sk = can->sock->sk;
	write_lock_bh(&sk->sk_callback_lock);
	rcu_assign_sk_user_data(sk, NULL);
	write_unlock_bh(&sk->sk_callback_lock);
	can->retired = can->sock;
	WRITE_ONCE(can->sock, NULL);
	schedule_work(&can->sock_work);
}

/* Write a request's one-byte result and return it to the driver. */
static int vhost_can_complete(struct vbe_vq *vq, const struct vbe_chain *chain,
			      u8 result)
{
	int ret = vbe_chain_write(vq, chain, 0, &result, sizeof(result));

	return ret ? ret : vbe_vq_push(vq, chain, sizeof(result));
}

/* A transmitted frame's late ack came, failed or will never come. */
static int vhost_can_tx_acked(struct vhost_can *can, unsigned int i, u8 result)
{
	struct vhost_can_tx_wait *w = &can->wait[i];
	struct vbe_chain chain = {
		.head = w->head,
		.nr_in = 1,
		.in_len = w->result.len,
		.segments = &w->result,
	};
	int ret;

	if (result == VIRTIO_CAN_RESULT_OK)
		can->stats.tx_frames++;
	else
		can->stats.tx_failed++;
	ret = vhost_can_complete(&can->core.vqs[VIRTIO_CAN_VQ_TX], &chain,
				 result);
	can->nwait--;
	memmove(w, w + 1, (can->nwait - i) * sizeof(*w));
	return ret;
}

/* Stop the controller: frames waiting for their ack did not go out. */
static void vhost_can_stop(struct vhost_can *can)
{
	while (can->nwait)
		if (vhost_can_tx_acked(can, 0, VIRTIO_CAN_RESULT_NOT_OK))
			can->nwait = 0;
	can->rx_held = false;
	mutex_lock(&can->sock_lock);
	can->started = false;
	can->sock_gen++;
	can->sock_err = 0;
	vhost_can_sock_retire(can);
	mutex_unlock(&can->sock_lock);
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
 * The socket failed: the error it held (the interface went down or away)
 * goes to whichever of sending and receiving asks first, and either way
 * the controller is off the bus.
 */
static void vhost_can_sock_failed(struct vhost_can *can, int err)
{
	vhost_can_bus_off(can, err == -ENETDOWN ? "the interface went down" :
			  err == -ENODEV || err == -ENXIO ? "the interface is gone" :
			  "socket error");
}

/* Why the bound interface carries no frames ("down", "gone"), or NULL. */
static const char *vhost_can_if_down(struct vhost_can *can)
{
	struct net_device *ndev = dev_get_by_index(can->net, can->ifindex);
	bool up;

	if (!ndev)
		return "gone";
	up = ndev->flags & IFF_UP;
	dev_put(ndev);
	return up ? NULL : "down";
}

/*
 * The socket's life outside the device lock: SocketCAN takes the RTNL to
 * bind, filter and release a socket, and a driver in this kernel may hold
 * the RTNL while it waits for the device (virtio_can starts the
 * controller from ndo_open) or takes its lock (a reset from ndo_stop).
 * One work item, never running twice at once, releases retired sockets,
 * opens the one a started controller wants, and sets new filters. What
 * it finds wrong it leaves in @sock_err for the worker, which alone
 * changes the controller's state.
 */
static void vhost_can_sock_work(struct work_struct *work)
{
	struct vhost_can *can = container_of(work, struct vhost_can, sock_work);
	struct vhost_can_sock_config *cfg = &can->sock_config;
	struct socket *retired, *cur, *sock;
	bool open, refilter;
	struct net *net;
	unsigned int gen;
	int ret;

	for (;;) {
		mutex_lock(&can->sock_lock);
		retired = can->retired;
		can->retired = NULL;
		open = can->started && !can->sock;
		cur = can->sock;
		refilter = can->refilter && cur;
		can->refilter = false;
		gen = can->sock_gen;
		mutex_unlock(&can->sock_lock);

		if (open || refilter)
			vhost_can_sock_config(can, cfg, open ? &net : NULL);
		if (retired)
			vhost_can_sock_release(retired);
		/* only this work releases sockets: cur lives until it does */
		if (refilter && vhost_can_sock_filter(cur, cfg))
			dev_info_ratelimited(vhost_can_dev(can),
					     "the new allowlists were not taken by the socket\n");
		if (!open) {
			if (retired || refilter)
				continue;
			return;
		}
		sock = NULL;
		ret = net ? vhost_can_sock_open(net, cfg, &sock) : -ENODEV;
		if (net)
			put_net(net);
		mutex_lock(&can->sock_lock);
		/* still the start it was opened for: the interface is bound */
		if (gen == can->sock_gen && can->started) {
			if (!ret) {
				vhost_can_sock_attach(can, sock);
				sock = NULL;
				/*
				 * Down since START and before the bind, the
				 * socket never hears of it.
				 */
				if (vhost_can_if_down(can))
					ret = -ENETDOWN;
			}
			can->sock_err = ret;
			vbe_device_kick(&can->core);
		}
		mutex_unlock(&can->sock_lock);
		/* the controller stopped meanwhile */
		if (sock)
			vhost_can_sock_release(sock);
	}
}

/*
 * Start the controller: the socket work opens its socket; frames to send
 * wait for it meanwhile.
 */
static u8 vhost_can_start(struct vhost_can *can)
{
	const char *down;

	if (can->started)
		return VIRTIO_CAN_RESULT_OK;
	down = vhost_can_if_down(can);
	if (down) {
		vbe_device_complain(&can->core, "START refused: %s is %s",
				    can->ifname, down);
		return VIRTIO_CAN_RESULT_NOT_OK;
	}
	if (!__ratelimit(&can->starts)) {
		can->stats.starts_refused++;
		vbe_device_complain(&can->core, "START refused: more than %d a second",
				    VHOST_CAN_STARTS_PER_SECOND);
		return VIRTIO_CAN_RESULT_NOT_OK;
	}
	mutex_lock(&can->sock_lock);
	can->started = true;
	can->sock_gen++;
	mutex_unlock(&can->sock_lock);
	schedule_work(&can->sock_work);
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

static int vhost_can_send(struct socket *sock, const struct canfd_frame *cf,
			  size_t mtu)
{
	struct kvec iov = { .iov_base = (void *)cf, .iov_len = mtu };
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT };
	int ret = kernel_sendmsg(sock, &msg, &iov, 1, mtu);

	return ret < 0 ? ret : 0;
}

/* Wait for a sent frame's echo; its request completes then. */
static void vhost_can_tx_wait(struct vhost_can *can,
			      const struct vbe_chain *chain,
			      const struct canfd_frame *cf)
{
	struct vhost_can_tx_wait *w = &can->wait[can->nwait++];
	unsigned int i;

	w->head = chain->head;
	w->frame = *cf;
	w->deadline = jiffies + VHOST_CAN_ACK_TIMEOUT;
	/* the first writable segment with room: chains are checked */
	for (i = chain->nr_out; i < chain->nr_out + chain->nr_in; i++) {
		w->result = chain->segments[i];
		if (w->result.len)
			break;
	}
}

/* Serve one transmit request; VBE_AGAIN when it must wait for the queue. */
static int vhost_can_tx_one(struct vhost_can *can, struct vbe_vq *vq,
			    const struct vbe_chain *chain)
{
	struct canfd_frame cf;
	const char *invalid;
	struct socket *sock;
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
	/* started, the socket still on its way */
	sock = READ_ONCE(can->sock);
	if (!sock)
		return VBE_AGAIN;
	ret = vhost_can_send(sock, &cf, mtu);
	if (ret == -EAGAIN || ret == -ENOBUFS)
		return VBE_AGAIN;
	if (ret) {
		can->stats.tx_failed++;
		err = vhost_can_complete(vq, chain, VIRTIO_CAN_RESULT_NOT_OK);
		/* a frame the interface refused (its MTU) is the frame's fault */
		if (ret != -EINVAL && ret != -EMSGSIZE)
			vhost_can_sock_failed(can, ret);
		return err;
	}
	if (vhost_can_has(can, VIRTIO_CAN_F_LATE_TX_ACK)) {
		vhost_can_tx_wait(can, chain, &cf);
		return 0;
	}
	can->stats.tx_frames++;
	return vhost_can_complete(vq, chain, VIRTIO_CAN_RESULT_OK);
}

static long vhost_can_handle_tx(struct vhost_can *can, struct vbe_vq *vq)
{
	struct vbe_chain chain;
	unsigned int served;
	int ret;

	for (served = 0; served < VHOST_CAN_BUDGET; served++) {
		/*
		 * Requests past the table's room, or a driver's that publishes
		 * the ones in flight again, wait until acks or their timeouts
		 * free room (a read echo kicks the worker).
		 */
		if (can->nwait >= ARRAY_SIZE(can->wait))
			return VHOST_CAN_ACK_TIMEOUT;
		if (vbe_vq_pop(vq, &chain) <= 0)
			return 0;
		ret = vhost_can_tx_one(can, vq, &chain);
		if (ret == VBE_AGAIN) {
			/* no socket yet, or its queue is full: try again soon */
			vbe_vq_unpop(vq);
			return VHOST_CAN_TX_RETRY;
		}
		if (ret)
			return 0;
	}
	return VBE_AGAIN;
}

/* An echo of a frame we sent: complete the request that sent it. */
static int vhost_can_echo(struct vhost_can *can, const struct canfd_frame *cf)
{
	unsigned int i;

	for (i = 0; i < can->nwait; i++)
		if (can->wait[i].frame.can_id == cf->can_id &&
		    can->wait[i].frame.len == cf->len &&
		    !memcmp(can->wait[i].frame.data, cf->data,
			    (cf->can_id & CAN_RTR_FLAG) ? 0 : cf->len))
			return vhost_can_tx_acked(can, i, VIRTIO_CAN_RESULT_OK);
	return 0;
}

/* Late acks that did not come in time; the delay until the next is due. */
static long vhost_can_expire(struct vhost_can *can)
{
	while (can->nwait) {
		long left = (long)(can->wait[0].deadline - jiffies);

		if (left > 0)
			return left;
		if (vhost_can_tx_acked(can, 0, VIRTIO_CAN_RESULT_NOT_OK))
			return 0;
	}
	return 0;
}

/*
 * Read the next frame for the driver into rx_frame. Echoes complete their
 * requests, bus-off error frames and socket errors stop the controller,
 * frames the driver may not have are counted and dropped. Returns 1 with a
 * frame held, 0 when none is left, or a negative errno.
 */
static int vhost_can_rx_read(struct vhost_can *can)
{
	struct canfd_frame *cf = &can->rx_frame;
	struct kvec iov = { .iov_base = cf, .iov_len = sizeof(*cf) };
	struct socket *sock;
	struct msghdr msg;
	int ret;

	while ((sock = READ_ONCE(can->sock))) {
		memset(&msg, 0, sizeof(msg));
		ret = kernel_recvmsg(sock, &msg, &iov, 1, sizeof(*cf),
				     MSG_DONTWAIT);
		if (ret == -EAGAIN)
			return 0;
		if (ret < 0) {
			vhost_can_sock_failed(can, ret);
			return 0;
		}
		if (ret != CAN_MTU && ret != CANFD_MTU)
			continue;
		if (cf->can_id & CAN_ERR_FLAG) {
			if (cf->can_id & CAN_ERR_BUSOFF)
				vhost_can_bus_off(can, "error frame");
			continue;
		}
		if (msg.msg_flags & MSG_CONFIRM) {
			ret = vhost_can_echo(can, cf);
			if (ret)
				return ret;
			continue;
		}
		if (!vhost_can_allowed(can, &can->rx_allow, cf->can_id) ||
		    (ret == CANFD_MTU ? !vhost_can_has(can, VIRTIO_CAN_F_CAN_FD) :
		     !vhost_can_has(can, VIRTIO_CAN_F_CAN_CLASSIC)) ||
		    ((cf->can_id & CAN_RTR_FLAG) &&
		     !vhost_can_has(can, VIRTIO_CAN_F_RTR_FRAMES))) {
			can->stats.rx_dropped++;
			continue;
		}
		/* flags the virtio frame has no room for (BRS, ESI) are lost */
		cf->flags = ret == CANFD_MTU ? CANFD_FDF : 0;
		return 1;
	}
	return 0;
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

/* Frames from the interface to the driver, and the socket's news. */
static long vhost_can_handle_rx(struct vhost_can *can, struct vbe_vq *vq)
{
	struct vbe_chain chain;
	unsigned int served;
	int ret;

	/* what the socket work found: once a pass, not a frame */
	mutex_lock(&can->sock_lock);
	ret = can->sock_err;
	can->sock_err = 0;
	mutex_unlock(&can->sock_lock);
	if (ret)
		vhost_can_sock_failed(can, ret);

	for (served = 0; served < VHOST_CAN_BUDGET; served++) {
		if (!can->rx_held) {
			ret = vhost_can_rx_read(can);
			if (ret <= 0)
				return ret ? 0 : vhost_can_expire(can);
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

	can->nwait = 0;
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
		mutex_lock(&can->sock_lock);
		can->refilter = true;
		mutex_unlock(&can->sock_lock);
		schedule_work(&can->sock_work);
		/* in force, the socket's filters too, when the write returns */
		flush_work(&can->sock_work);
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
	mutex_lock(&can->sock_lock);
	if (le16_to_cpu(status) & VIRTIO_CAN_S_CTRL_BUSOFF)
		state = "bus-off";
	else if (!can->started)
		state = "stopped";
	else
		state = can->sock ? "started" : "starting";
	mutex_unlock(&can->sock_lock);
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
	mutex_init(&can->sock_lock);
	INIT_WORK(&can->sock_work, vhost_can_sock_work);
	ratelimit_state_init(&can->starts, HZ, VHOST_CAN_STARTS_PER_SECOND);
	/* refusals are counted and complained about; no "suppressed" line */
	ratelimit_set_flags(&can->starts, RATELIMIT_MSG_ON_RELEASE);
	core->vdpa.dev.groups = vhost_can_groups;
	ret = vbe_device_register(core);
	if (ret)
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
	/* its socket released; each held its namespace until then */
	flush_work(&can->sock_work);
	/* a socket callback that saw the device before it was retired */
	synchronize_rcu();
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

static int __init vhost_can_init(void)
{
	return vbe_mgmt_register(&vhost_can_mgmt, "vhost_can");
}

/* Removes every device first (vhost-vdpa waits for its users to close). */
static void __exit vhost_can_exit(void)
{
	vbe_mgmt_unregister(&vhost_can_mgmt);
}

module_init(vhost_can_init);
module_exit(vhost_can_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("virtio-extra developers");
MODULE_DESCRIPTION("vhost-can: in-kernel virtio CAN device (vDPA back-end) on a host CAN interface");
/* the device's socket needs SocketCAN's raw protocol */
MODULE_SOFTDEP("pre: can-raw");
