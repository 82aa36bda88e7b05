// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-can: a SocketCAN network device for a virtio CAN controller
 * (VIRTIO 1.4, device ID 36).
 *
 * Every frame to transmit takes one of VIRTIO_CAN_TX_SLOTS slots: a buffer
 * the device reads (header and payload) and a result byte it writes. The
 * slot number is the frame's echo index, so the echo goes back to the
 * sockets when the device returns the buffer, in whatever order it does.
 * Receive buffers are one array, all posted to the device at once.
 *
 * Locking:
 * - tx_lock guards the transmit queue, the slots and tx_open; start_xmit
 *   and the transmit poll run in softirq context, the rest takes it with
 *   bottom halves off.
 * - The receive queue is used by the receive poll alone, or by setup and
 *   teardown while that poll is disabled.
 * - ctrl_mutex serializes control requests and every change of controller
 *   state (open, stop, restart, bus-off, freeze, restore, queue reset).
 *   The control queue carries one request at a time, which the device
 *   may never answer (virtio_request.c).
 * - Order: rtnl, then ctrl_mutex, then tx_lock or the control queue's.
 */
#include <linux/bitmap.h>
#include <linux/cache.h>
#include <linux/can/dev.h>
#include <linux/can/skb.h>
#include <linux/completion.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/ratelimit.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/workqueue.h>
#include <linux/virtio_extra/virtio_can.h>

#include "virtio_request.h"

/*
 * What the device writes gets cache lines of its own, as wide as DMA needs
 * them: ____cacheline_aligned __aligned(ARCH_DMA_MINALIGN), the larger
 * applies. A CPU writing the same line would fight the device for it, or
 * write stale bytes back over the device's where DMA is not coherent.
 */

/* Frames in flight at most; also the number of echo skbs. */
#define VIRTIO_CAN_TX_SLOTS 128
/* How long a control request may take before the device counts as stuck. */
#define VIRTIO_CAN_CTRL_TIMEOUT_MS 2000

#define VIRTIO_CAN_FLAGS_KNOWN \
	(VIRTIO_CAN_FLAGS_RTR | VIRTIO_CAN_FLAGS_FD | VIRTIO_CAN_FLAGS_EXTENDED)

/**
 * struct virtio_can_tx_buf - one transmit slot
 * @out: the frame, device-readable: struct virtio_can_tx_out and payload.
 * @in: the result, device-writable.
 */
struct virtio_can_tx_buf {
	u8 out[sizeof(struct virtio_can_tx_out) + CANFD_MAX_DLEN] __aligned(4);
	struct virtio_can_tx_in in ____cacheline_aligned __aligned(ARCH_DMA_MINALIGN);
};

/**
 * struct virtio_can_rx_buf - one receive buffer, device-writable
 * @bytes: struct virtio_can_rx and the largest payload.
 */
struct virtio_can_rx_buf {
	u8 bytes[sizeof(struct virtio_can_rx) + CANFD_MAX_DLEN]
		____cacheline_aligned __aligned(ARCH_DMA_MINALIGN);
};

/**
 * struct virtio_can_ctrl_req - a control request and its result
 * @req: its life on the control queue.
 * @out: the request, device-readable.
 * @in: the result, device-writable.
 */
struct virtio_can_ctrl_req {
	struct vreq req;
	struct virtio_can_control_out out;
	struct virtio_can_control_in in ____cacheline_aligned __aligned(ARCH_DMA_MINALIGN);
};

/**
 * struct virtio_can_priv - one virtio CAN controller
 * @can: the CAN core's part; first, as the CAN core requires.
 * @dev: the network device.
 * @vdev: the virtio device.
 * @vqs: the virtqueues, VIRTIO_CAN_VQ_*; all NULL while there are none
 *	(frozen, or setting them up failed on resume).
 * @napi_rx: polls received frames.
 * @napi_tx: polls transmit results.
 * @napi_tx_on: @napi_tx is enabled; it is off while the interface is down
 *	and during bus-off, when the CAN core may drop echo skbs.
 * @tx_lock: guards the transmit queue, @tx_busy, @tx_inflight, @tx_open.
 * @tx_bufs: VIRTIO_CAN_TX_SLOTS transmit slots.
 * @tx_busy: slots the device holds.
 * @tx_slots: slots in use for the current queue size.
 * @tx_inflight: number of bits set in @tx_busy.
 * @tx_open: the controller accepts frames; the queue may be woken.
 * @rx_bufs: the receive buffers, @rx_num of them.
 * @rx_num: number of receive buffers, the receive queue's size.
 * @rx_buf_size: bytes of each the device may write: header and the
 *	largest payload the features allow.
 * @started: the controller is started; frames received otherwise are
 *	dropped.
 * @frozen: suspended: no virtqueues, NAPI disabled.
 * @removing: the device is being removed; stopping it resets nothing.
 * @broken: the device holds buffers of a queue that could not be reset: it
 *	is unusable until it is unbound (or resumed).
 * @ctrl_mutex: serializes control requests and state changes.
 * @ctrlq: the control queue's requests, one at a time.
 * @ctrl_rs: limits the log lines of failed control requests, per device:
 *	a device refusing every restart would otherwise flood the log.
 * @status_work: reads the configuration status after a change.
 */
struct virtio_can_priv {
	struct can_priv can;
	struct net_device *dev;
	struct virtio_device *vdev;
	struct virtqueue *vqs[VIRTIO_CAN_VQ_MAX_CNT];

	struct napi_struct napi_rx;
	struct napi_struct napi_tx;
	bool napi_tx_on;

	spinlock_t tx_lock;		/* see above */
	struct virtio_can_tx_buf *tx_bufs;
	DECLARE_BITMAP(tx_busy, VIRTIO_CAN_TX_SLOTS);
	unsigned int tx_slots;
	unsigned int tx_inflight;
	bool tx_open;

	struct virtio_can_rx_buf *rx_bufs;
	unsigned int rx_num;
	unsigned int rx_buf_size;

	bool started;
	bool frozen;
	bool removing;
	bool broken;

	struct mutex ctrl_mutex;	/* see above */
	struct vreq_queue ctrlq;
	struct ratelimit_state ctrl_rs;

	struct work_struct status_work;
};

#define virtio_can_ctrl_err(priv, fmt, ...) do {			\
	struct virtio_can_priv *__priv = (priv);			\
									\
	if (__ratelimit(&__priv->ctrl_rs))				\
		netdev_err(__priv->dev, fmt, ##__VA_ARGS__);		\
} while (0)

static bool virtio_can_has(const struct virtio_can_priv *priv,
			   unsigned int fbit)
{
	return virtio_has_feature(priv->vdev, fbit);
}

/* NAPI over a virtqueue: the queue's interrupt stays off while polling. */
static void virtio_can_napi_schedule(struct napi_struct *napi,
				     struct virtqueue *vq)
{
	if (napi_schedule_prep(napi)) {
		virtqueue_disable_cb(vq);
		__napi_schedule(napi);
	}
}

static void virtio_can_napi_complete(struct napi_struct *napi,
				     struct virtqueue *vq, int done)
{
	unsigned int opaque = virtqueue_enable_cb_prepare(vq);

	if (napi_complete_done(napi, done)) {
		if (unlikely(virtqueue_poll(vq, opaque)))
			virtio_can_napi_schedule(napi, vq);
	} else {
		virtqueue_disable_cb(vq);
	}
}

/* Enable, and poll once: buffers may have been used while disabled. */
static void virtio_can_napi_enable(struct napi_struct *napi,
				   struct virtqueue *vq)
{
	napi_enable(napi);
	local_bh_disable();
	virtio_can_napi_schedule(napi, vq);
	local_bh_enable();
}

static void virtio_can_tx_napi_enable(struct virtio_can_priv *priv)
{
	if (!priv->napi_tx_on) {
		virtio_can_napi_enable(&priv->napi_tx,
				       priv->vqs[VIRTIO_CAN_VQ_TX]);
		priv->napi_tx_on = true;
	}
}

static void virtio_can_tx_napi_disable(struct virtio_can_priv *priv)
{
	if (priv->napi_tx_on) {
		napi_disable(&priv->napi_tx);
		priv->napi_tx_on = false;
	}
}

static void virtio_can_tx_intr(struct virtqueue *vq)
{
	struct virtio_can_priv *priv = vq->vdev->priv;

	virtio_can_napi_schedule(&priv->napi_tx, vq);
}

static void virtio_can_rx_intr(struct virtqueue *vq)
{
	struct virtio_can_priv *priv = vq->vdev->priv;

	virtio_can_napi_schedule(&priv->napi_rx, vq);
}

static void virtio_can_ctrl_intr(struct virtqueue *vq)
{
	struct virtio_can_priv *priv = vq->vdev->priv;

	vreq_queue_complete(&priv->ctrlq, vq);
}

/* Caller holds tx_lock. */
static bool virtio_can_tx_has_room(struct virtio_can_priv *priv)
{
	return priv->tx_open && priv->tx_inflight < priv->tx_slots &&
	       priv->vqs[VIRTIO_CAN_VQ_TX]->num_free >= 2;
}

/* Allow transmission again (controller started). */
static void virtio_can_tx_open(struct virtio_can_priv *priv)
{
	spin_lock_bh(&priv->tx_lock);
	priv->tx_open = true;
	if (virtio_can_tx_has_room(priv))
		netif_wake_queue(priv->dev);
	spin_unlock_bh(&priv->tx_lock);
}

/* Stop transmission; on return no start_xmit runs. */
static void virtio_can_tx_close(struct virtio_can_priv *priv)
{
	spin_lock_bh(&priv->tx_lock);
	priv->tx_open = false;
	spin_unlock_bh(&priv->tx_lock);
	netif_tx_disable(priv->dev);
}

/* A frame's slot came back with len bytes written. Caller holds tx_lock. */
static void virtio_can_tx_done(struct virtio_can_priv *priv,
			       struct virtio_can_tx_buf *buf, unsigned int len)
{
	struct net_device_stats *stats = &priv->dev->stats;
	unsigned int idx = buf - priv->tx_bufs;
	u8 result = VIRTIO_CAN_RESULT_NOT_OK;

	if (len >= sizeof(buf->in))
		result = buf->in.result;
	else if (net_ratelimit())
		netdev_err(priv->dev, "transmit result missing (used length %u)\n",
			   len);
	if (result > VIRTIO_CAN_RESULT_NOT_OK && net_ratelimit())
		netdev_err(priv->dev, "undefined transmit result %u\n", result);

	__clear_bit(idx, priv->tx_busy);
	priv->tx_inflight--;

	/* No echo skb: the CAN core flushed it and counted it as dropped. */
	if (!priv->can.echo_skb[idx])
		return;
	if (result == VIRTIO_CAN_RESULT_OK) {
		stats->tx_packets++;
		stats->tx_bytes += can_get_echo_skb(priv->dev, idx, NULL);
	} else {
		stats->tx_errors++;
		can_free_echo_skb(priv->dev, idx, NULL);
	}
}

/*
 * A frame the device will not send: its slot is free, its echo skb
 * dropped. Caller holds tx_lock.
 */
static void virtio_can_tx_drop(struct virtio_can_priv *priv, unsigned int idx)
{
	if (priv->can.echo_skb[idx]) {
		priv->dev->stats.tx_dropped++;
		can_free_echo_skb(priv->dev, idx, NULL);
	}
	__clear_bit(idx, priv->tx_busy);
	priv->tx_inflight--;
}

/* Collect up to budget transmit results. Caller holds tx_lock. */
static int virtio_can_tx_reap(struct virtio_can_priv *priv, int budget)
{
	struct virtqueue *vq = priv->vqs[VIRTIO_CAN_VQ_TX];
	struct virtio_can_tx_buf *buf;
	unsigned int len;
	int done = 0;

	while (done < budget && (buf = virtqueue_get_buf(vq, &len))) {
		virtio_can_tx_done(priv, buf, len);
		done++;
	}
	if (netif_queue_stopped(priv->dev) && virtio_can_tx_has_room(priv))
		netif_wake_queue(priv->dev);
	return done;
}

static int virtio_can_tx_poll(struct napi_struct *napi, int budget)
{
	struct virtio_can_priv *priv =
		container_of(napi, struct virtio_can_priv, napi_tx);
	int done;

	spin_lock(&priv->tx_lock);
	done = virtio_can_tx_reap(priv, budget);
	spin_unlock(&priv->tx_lock);
	if (done < budget)
		virtio_can_napi_complete(napi, priv->vqs[VIRTIO_CAN_VQ_TX], done);
	return done;
}

/*
 * Fill a slot with skb's frame; returns the bytes the device reads, or
 * -EOPNOTSUPP for a frame type the device did not offer.
 */
static int virtio_can_tx_encode(struct virtio_can_priv *priv,
				const struct sk_buff *skb,
				struct virtio_can_tx_buf *buf)
{
	const struct canfd_frame *cfd = (const struct canfd_frame *)skb->data;
	struct virtio_can_tx_out *out = (struct virtio_can_tx_out *)buf->out;
	canid_t id = cfd->can_id;
	unsigned int payload = cfd->len;
	u32 flags = 0;

	if (can_is_canfd_skb(skb)) {
		if (!virtio_can_has(priv, VIRTIO_CAN_F_CAN_FD))
			return -EOPNOTSUPP;
		flags |= VIRTIO_CAN_FLAGS_FD;
	} else {
		/* CAN XL (reserved in the specification) and the like */
		if (!can_is_can_skb(skb) ||
		    !virtio_can_has(priv, VIRTIO_CAN_F_CAN_CLASSIC))
			return -EOPNOTSUPP;
		if (id & CAN_RTR_FLAG) {
			if (!virtio_can_has(priv, VIRTIO_CAN_F_RTR_FRAMES))
				return -EOPNOTSUPP;
			/* length is the requested DLC; no payload travels */
			flags |= VIRTIO_CAN_FLAGS_RTR;
			payload = 0;
		}
	}
	if (id & CAN_EFF_FLAG) {
		flags |= VIRTIO_CAN_FLAGS_EXTENDED;
		id &= CAN_EFF_MASK;
	} else {
		id &= CAN_SFF_MASK;
	}

	memset(out, 0, sizeof(*out));
	out->msg_type = cpu_to_le16(VIRTIO_CAN_TX);
	out->length = cpu_to_le16(cfd->len);
	out->flags = cpu_to_le32(flags);
	out->can_id = cpu_to_le32(id);
	memcpy(out->sdu, cfd->data, payload);
	buf->in.result = VIRTIO_CAN_RESULT_NOT_OK;
	return sizeof(*out) + payload;
}

static const char *virtio_can_frame_kind(const struct sk_buff *skb)
{
	if (can_is_canfd_skb(skb))
		return "CAN FD";
	if (!can_is_can_skb(skb))
		return "CAN XL";
	if (((const struct can_frame *)skb->data)->can_id & CAN_RTR_FLAG)
		return "RTR";
	return "classic CAN";
}

static netdev_tx_t virtio_can_start_xmit(struct sk_buff *skb,
					 struct net_device *dev)
{
	struct virtio_can_priv *priv = netdev_priv(dev);
	struct virtqueue *vq = priv->vqs[VIRTIO_CAN_VQ_TX];
	struct scatterlist sg_out, sg_in, *sgs[] = { &sg_out, &sg_in };
	struct virtio_can_tx_buf *buf;
	unsigned int idx;
	bool notify;
	int len, err;

	if (can_dev_dropped_skb(dev, skb))
		return NETDEV_TX_OK;

	spin_lock(&priv->tx_lock);
	idx = find_first_zero_bit(priv->tx_busy, priv->tx_slots);
	if (unlikely(!priv->tx_open || idx >= priv->tx_slots)) {
		/*
		 * Not consumed: the qdisc keeps it until virtio_can_tx_open()
		 * or a returned buffer wakes the queue.
		 */
		netif_stop_queue(dev);
		spin_unlock(&priv->tx_lock);
		return NETDEV_TX_BUSY;
	}
	buf = &priv->tx_bufs[idx];
	len = virtio_can_tx_encode(priv, skb, buf);
	if (len < 0) {
		spin_unlock(&priv->tx_lock);
		if (net_ratelimit())
			netdev_warn(dev, "dropped a %s frame: the device did not offer that frame type\n",
				    virtio_can_frame_kind(skb));
		goto drop;
	}
	sg_init_one(&sg_out, buf->out, len);
	sg_init_one(&sg_in, &buf->in, sizeof(buf->in));
	err = virtqueue_add_sgs(vq, sgs, 1, 1, buf, GFP_ATOMIC);
	if (unlikely(err)) {
		spin_unlock(&priv->tx_lock);
		if (!virtqueue_is_broken(vq) && net_ratelimit())
			netdev_err(dev, "transmit queue refused a frame (%d)\n",
				   err);
		goto drop;
	}
	__set_bit(idx, priv->tx_busy);
	priv->tx_inflight++;
	/* The skb is the echo's from here on, even if this fails. */
	if (can_put_echo_skb(skb, dev, idx, 0))
		dev->stats.tx_dropped++;
	if (!virtio_can_tx_has_room(priv))
		netif_stop_queue(dev);
	notify = virtqueue_kick_prepare(vq);
	spin_unlock(&priv->tx_lock);
	if (notify)
		virtqueue_notify(vq);
	return NETDEV_TX_OK;

drop:
	dev->stats.tx_dropped++;
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

/* Why a received frame is invalid, or NULL; sets its payload length. */
static const char *virtio_can_rx_check(struct virtio_can_priv *priv,
				       const struct virtio_can_rx *rx,
				       unsigned int used, unsigned int *dlen)
{
	u32 flags = le32_to_cpu(rx->flags);
	u32 id = le32_to_cpu(rx->can_id);

	*dlen = le16_to_cpu(rx->length);
	if (le16_to_cpu(rx->msg_type) != VIRTIO_CAN_RX)
		return "unknown message type";
	if (flags & ~VIRTIO_CAN_FLAGS_KNOWN)
		return "undefined flags";
	if (id > ((flags & VIRTIO_CAN_FLAGS_EXTENDED) ? CAN_EFF_MASK : CAN_SFF_MASK))
		return "identifier out of range";
	if (flags & VIRTIO_CAN_FLAGS_FD) {
		if (!virtio_can_has(priv, VIRTIO_CAN_F_CAN_FD))
			return "CAN FD frame, not negotiated";
		if (flags & VIRTIO_CAN_FLAGS_RTR)
			return "RTR flag on a CAN FD frame";
		if (*dlen > CANFD_MAX_DLEN || can_fd_dlc2len(can_fd_len2dlc(*dlen)) != *dlen)
			return "invalid CAN FD length";
	} else {
		if (!virtio_can_has(priv, VIRTIO_CAN_F_CAN_CLASSIC))
			return "classic CAN frame, not negotiated";
		if ((flags & VIRTIO_CAN_FLAGS_RTR) &&
		    !virtio_can_has(priv, VIRTIO_CAN_F_RTR_FRAMES))
			return "RTR frame, not negotiated";
		if (*dlen > CAN_MAX_DLEN)
			return "invalid classic CAN length";
	}
	if (!(flags & VIRTIO_CAN_FLAGS_RTR) && used - sizeof(*rx) < *dlen)
		return "payload longer than the buffer written";
	return NULL;
}

/*
 * Deliver one received buffer with used bytes written, or count why not.
 * The device may still be writing the buffer: its bytes are copied once,
 * and only the copy is checked and used.
 */
static void virtio_can_rx_frame(struct virtio_can_priv *priv,
				const void *buf, unsigned int used)
{
	u8 copy[sizeof_field(struct virtio_can_rx_buf, bytes)] __aligned(4);
	const struct virtio_can_rx *rx = (const struct virtio_can_rx *)copy;
	struct net_device_stats *stats = &priv->dev->stats;
	struct canfd_frame *cfd;
	struct can_frame *cf;
	struct sk_buff *skb;
	const char *invalid;
	unsigned int dlen;
	u32 flags, id;

	if (used < sizeof(*rx) || used > priv->rx_buf_size) {
		stats->rx_errors++;
		stats->rx_length_errors++;
		if (net_ratelimit())
			netdev_err(priv->dev, "received buffer with used length %u\n",
				   used);
		return;
	}
	memcpy(copy, buf, used);
	invalid = virtio_can_rx_check(priv, rx, used, &dlen);
	if (invalid) {
		stats->rx_errors++;
		stats->rx_frame_errors++;
		if (net_ratelimit())
			netdev_err(priv->dev, "dropped received frame: %s\n",
				   invalid);
		return;
	}
	if (!READ_ONCE(priv->started)) {
		/* Frames of a stopped controller are stale or invented. */
		stats->rx_dropped++;
		return;
	}

	flags = le32_to_cpu(rx->flags);
	id = le32_to_cpu(rx->can_id);
	if (flags & VIRTIO_CAN_FLAGS_EXTENDED)
		id |= CAN_EFF_FLAG;
	if (flags & VIRTIO_CAN_FLAGS_FD) {
		skb = alloc_canfd_skb(priv->dev, &cfd);
		if (!skb)
			goto nomem;
		cfd->can_id = id;
		cfd->len = dlen;
		memcpy(cfd->data, rx->sdu, dlen);
	} else {
		skb = alloc_can_skb(priv->dev, &cf);
		if (!skb)
			goto nomem;
		cf->len = dlen;
		if (flags & VIRTIO_CAN_FLAGS_RTR) {
			id |= CAN_RTR_FLAG;
			dlen = 0;
		} else {
			memcpy(cf->data, rx->sdu, dlen);
		}
		cf->can_id = id;
	}
	stats->rx_packets++;
	stats->rx_bytes += dlen;
	netif_receive_skb(skb);
	return;

nomem:
	stats->rx_dropped++;
}

/* Give a receive buffer (back) to the device. */
static int virtio_can_rx_post(struct virtio_can_priv *priv, void *buf,
			      gfp_t gfp)
{
	struct scatterlist sg;

	sg_init_one(&sg, buf, priv->rx_buf_size);
	return virtqueue_add_inbuf(priv->vqs[VIRTIO_CAN_VQ_RX], &sg, 1, buf,
				   gfp);
}

/*
 * Take up to budget received buffers and post them again: deliver their
 * frames, or drop them as stale.
 */
static int virtio_can_rx_take(struct virtio_can_priv *priv, int budget,
			      bool deliver)
{
	struct virtqueue *vq = priv->vqs[VIRTIO_CAN_VQ_RX];
	unsigned int used;
	int done = 0;
	void *buf;

	while (done < budget && (buf = virtqueue_get_buf(vq, &used))) {
		if (deliver)
			virtio_can_rx_frame(priv, buf, used);
		else
			priv->dev->stats.rx_dropped++;
		if (virtio_can_rx_post(priv, buf, GFP_ATOMIC) && net_ratelimit())
			netdev_err(priv->dev, "receive queue refused a buffer\n");
		done++;
	}
	if (done)
		virtqueue_kick(vq);
	return done;
}

static int virtio_can_rx_poll(struct napi_struct *napi, int budget)
{
	struct virtio_can_priv *priv =
		container_of(napi, struct virtio_can_priv, napi_rx);
	int done = virtio_can_rx_take(priv, budget, true);

	if (done < budget)
		virtio_can_napi_complete(napi, priv->vqs[VIRTIO_CAN_VQ_RX], done);
	return done;
}

static void virtio_can_ctrl_release(struct vreq *req)
{
	kfree(container_of(req, struct virtio_can_ctrl_req, req));
}

/*
 * Send a control request and wait for its result. A device that does not
 * answer in time keeps the request: no other goes until it returns it or
 * the control queue is reset. Caller holds ctrl_mutex.
 */
static int virtio_can_ctrl(struct virtio_can_priv *priv, u16 msg_type)
{
	struct scatterlist sg_out, sg_in, *sgs[] = { &sg_out, &sg_in };
	struct virtio_can_ctrl_req *ctrl;
	u8 result;
	int err;

	lockdep_assert_held(&priv->ctrl_mutex);
	ctrl = kzalloc(sizeof(*ctrl), GFP_KERNEL);
	if (!ctrl)
		return -ENOMEM;
	vreq_init(&ctrl->req, virtio_can_ctrl_release);
	ctrl->out.msg_type = cpu_to_le16(msg_type);
	ctrl->in.result = VIRTIO_CAN_RESULT_NOT_OK;
	sg_init_one(&sg_out, &ctrl->out, sizeof(ctrl->out));
	sg_init_one(&sg_in, &ctrl->in, sizeof(ctrl->in));
	err = vreq_submit(&priv->ctrlq, &ctrl->req, sgs, 1, 1);
	if (err) {
		virtio_can_ctrl_release(&ctrl->req);
		if (err == -EBUSY)
			virtio_can_ctrl_err(priv,
					    "control request 0x%04x not sent: the device still holds the previous one\n",
					    msg_type);
		/* A broken queue is a device gone: nothing to report. */
		else if (err != -ENODEV)
			virtio_can_ctrl_err(priv, "control request 0x%04x not sent (%d)\n",
					    msg_type, err);
		return err;
	}

	if (!vreq_wait(&priv->ctrlq, &ctrl->req, VIRTIO_CAN_CTRL_TIMEOUT_MS)) {
		virtio_can_ctrl_err(priv, "control request 0x%04x: no answer in %u ms\n",
				    msg_type, VIRTIO_CAN_CTRL_TIMEOUT_MS);
		return -ETIMEDOUT;
	}
	err = ctrl->req.status;
	if (!err && ctrl->req.used_len < sizeof(ctrl->in)) {
		virtio_can_ctrl_err(priv, "control request 0x%04x: no result (used length %u)\n",
				    msg_type, ctrl->req.used_len);
		err = -EPROTO;
	} else if (!err) {
		result = READ_ONCE(ctrl->in.result);
		if (result != VIRTIO_CAN_RESULT_OK) {
			virtio_can_ctrl_err(priv, "control request 0x%04x refused (result %u)\n",
					    msg_type, result);
			err = -EIO;
		}
	}
	virtio_can_ctrl_release(&ctrl->req);
	return err;
}

static int virtio_can_find_vqs(struct virtio_can_priv *priv)
{
	struct virtqueue_info vqs_info[VIRTIO_CAN_VQ_MAX_CNT] = {
		[VIRTIO_CAN_VQ_TX] = { "can-tx", virtio_can_tx_intr },
		[VIRTIO_CAN_VQ_RX] = { "can-rx", virtio_can_rx_intr },
		[VIRTIO_CAN_VQ_CONTROL] = { "can-ctrl", virtio_can_ctrl_intr },
	};

	return virtio_find_vqs(priv->vdev, VIRTIO_CAN_VQ_MAX_CNT, priv->vqs,
			       vqs_info, NULL);
}

/*
 * Take back the buffers a reset device held. The ring frees their indirect
 * tables only here; deleting the queues alone would leak them.
 */
static void virtio_can_detach_all(struct virtio_can_priv *priv)
{
	unsigned int i;

	for (i = 0; i < VIRTIO_CAN_VQ_MAX_CNT; i++)
		while (virtqueue_detach_unused_buf(priv->vqs[i]))
			;
}

/*
 * Create the virtqueues, post every receive buffer and make the device
 * live. The device is reset, and its features accepted.
 */
static int virtio_can_setup(struct virtio_can_priv *priv)
{
	unsigned int payload, i;
	int err;

	err = virtio_can_find_vqs(priv);
	if (err)
		goto fail;
	priv->tx_slots = min_t(unsigned int, VIRTIO_CAN_TX_SLOTS,
			       virtqueue_get_vring_size(priv->vqs[VIRTIO_CAN_VQ_TX]));
	priv->rx_num = virtqueue_get_vring_size(priv->vqs[VIRTIO_CAN_VQ_RX]);
	payload = virtio_can_has(priv, VIRTIO_CAN_F_CAN_FD) ? CANFD_MAX_DLEN :
							       CAN_MAX_DLEN;
	priv->rx_buf_size = sizeof(struct virtio_can_rx) + payload;
	priv->rx_bufs = kcalloc(priv->rx_num, sizeof(*priv->rx_bufs), GFP_KERNEL);
	if (!priv->rx_bufs) {
		err = -ENOMEM;
		goto del_vqs;
	}
	for (i = 0; i < priv->rx_num; i++) {
		err = virtio_can_rx_post(priv, &priv->rx_bufs[i], GFP_KERNEL);
		if (err)
			goto free_rx;
	}
	priv->broken = false;
	vreq_queue_open(&priv->ctrlq, priv->vqs[VIRTIO_CAN_VQ_CONTROL]);
	virtio_device_ready(priv->vdev);
	virtqueue_kick(priv->vqs[VIRTIO_CAN_VQ_RX]);
	return 0;

free_rx:
	virtio_reset_device(priv->vdev);
	virtio_can_detach_all(priv);
	kfree(priv->rx_bufs);
	priv->rx_bufs = NULL;
del_vqs:
	priv->vdev->config->del_vqs(priv->vdev);
	memset(priv->vqs, 0, sizeof(priv->vqs));
fail:
	dev_err(&priv->vdev->dev, "setting up the virtqueues failed (%d)\n", err);
	return err;
}

/*
 * Reset the device and delete the virtqueues; frames the device held are
 * dropped. NAPI must be disabled. Caller holds ctrl_mutex, or the device
 * is being removed.
 */
static void virtio_can_teardown(struct virtio_can_priv *priv)
{
	unsigned int idx;

	if (!priv->vqs[VIRTIO_CAN_VQ_TX])
		return;
	vreq_queue_close(&priv->ctrlq);
	virtio_reset_device(priv->vdev);
	virtio_can_detach_all(priv);
	vreq_queue_give_back(&priv->ctrlq, -ENODEV);

	spin_lock_bh(&priv->tx_lock);
	for_each_set_bit(idx, priv->tx_busy, VIRTIO_CAN_TX_SLOTS)
		virtio_can_tx_drop(priv, idx);
	spin_unlock_bh(&priv->tx_lock);

	priv->vdev->config->del_vqs(priv->vdev);
	memset(priv->vqs, 0, sizeof(priv->vqs));
	kfree(priv->rx_bufs);
	priv->rx_bufs = NULL;
}

static void virtio_can_tx_recycle(struct virtqueue *vq, void *buf)
{
	struct virtio_can_priv *priv = vq->vdev->priv;

	spin_lock_bh(&priv->tx_lock);
	virtio_can_tx_drop(priv, (struct virtio_can_tx_buf *)buf - priv->tx_bufs);
	spin_unlock_bh(&priv->tx_lock);
}

/* The reset control queue gave back the request the device held. */
static void virtio_can_ctrl_recycle(struct virtqueue *vq, void *buf)
{
	struct virtio_can_priv *priv = vq->vdev->priv;

	vreq_queue_give_back(&priv->ctrlq, -ENODEV);
}

/*
 * Take back the buffers the device holds on the transmit or the control
 * queue. Only a queue reset (VIRTIO_F_RING_RESET) does that through the
 * virtio core; the core resets a whole device for power management alone.
 * Without it, the device stays unusable until it is unbound. The queue's
 * NAPI must be disabled; caller holds ctrl_mutex.
 */
static void virtio_can_reset_queue(struct virtio_can_priv *priv,
				   unsigned int index)
{
	struct virtqueue *vq = priv->vqs[index];
	const char *name = index == VIRTIO_CAN_VQ_TX ? "transmit" : "control";
	int err = -EOPNOTSUPP;

	if (virtio_can_has(priv, VIRTIO_F_RING_RESET))
		err = virtqueue_reset(vq, index == VIRTIO_CAN_VQ_TX ?
				      virtio_can_tx_recycle : virtio_can_ctrl_recycle,
				      NULL);
	if (err) {
		priv->broken = true;
		netdev_err(priv->dev, "the %s queue cannot be reset (%d%s): the device is unusable until it is unbound\n",
			   name, err, err == -EOPNOTSUPP ? ", no VIRTIO_F_RING_RESET" : "");
		return;
	}
	/* a kernel that resets through a resize may leave it smaller */
	if (index == VIRTIO_CAN_VQ_TX)
		priv->tx_slots = min_t(unsigned int, VIRTIO_CAN_TX_SLOTS,
				       virtqueue_get_vring_size(vq));
}

/* Start the controller; the interface is up. Caller holds ctrl_mutex. */
static int virtio_can_start(struct virtio_can_priv *priv)
{
	int err = virtio_can_ctrl(priv, VIRTIO_CAN_SET_CTRL_MODE_START);

	if (err)
		return err;
	priv->can.state = CAN_STATE_ERROR_ACTIVE;
	WRITE_ONCE(priv->started, true);
	/* after bus-off and a resume, no restart by the CAN core did it */
	netif_carrier_on(priv->dev);
	virtio_can_tx_napi_enable(priv);
	virtio_can_tx_open(priv);
	return 0;
}

static int virtio_can_open(struct net_device *dev)
{
	struct virtio_can_priv *priv = netdev_priv(dev);
	int err;

	err = open_candev(dev);
	if (err)
		return err;

	mutex_lock(&priv->ctrl_mutex);
	if (vreq_queue_stuck(&priv->ctrlq) && !priv->broken &&
	    priv->vqs[VIRTIO_CAN_VQ_TX]) {
		netdev_warn(dev, "resetting the control queue: the device still holds a request\n");
		virtio_can_reset_queue(priv, VIRTIO_CAN_VQ_CONTROL);
	}
	if (priv->broken || !priv->vqs[VIRTIO_CAN_VQ_TX]) {
		err = -EIO;
		goto unlock;
	}
	/* What arrived while the interface was down is stale: drop it. */
	virtio_can_rx_take(priv, priv->rx_num, false);
	virtio_can_napi_enable(&priv->napi_rx, priv->vqs[VIRTIO_CAN_VQ_RX]);
	err = virtio_can_start(priv);
	if (err) {
		virtio_can_tx_napi_disable(priv);
		napi_disable(&priv->napi_rx);
	}
unlock:
	mutex_unlock(&priv->ctrl_mutex);
	if (err)
		close_candev(dev);
	return err;
}

static int virtio_can_stop(struct net_device *dev)
{
	struct virtio_can_priv *priv = netdev_priv(dev);

	/*
	 * A restart by the CAN core flushes echo skbs without our locks: none
	 * may run while the buffers are taken back. Once stopped, no bus-off
	 * is handled, so none is scheduled; set_mode refuses a device that
	 * is not running, so nothing starts it again.
	 */
	mutex_lock(&priv->ctrl_mutex);
	WRITE_ONCE(priv->started, false);
	mutex_unlock(&priv->ctrl_mutex);
	cancel_delayed_work_sync(&priv->can.restart_work);

	mutex_lock(&priv->ctrl_mutex);
	virtio_can_tx_close(priv);
	if (!priv->frozen && priv->vqs[VIRTIO_CAN_VQ_TX]) {
		/* refused or unanswered: logged; the next open starts it */
		if (!priv->broken)
			virtio_can_ctrl(priv, VIRTIO_CAN_SET_CTRL_MODE_STOP);
		napi_disable(&priv->napi_rx);
		virtio_can_tx_napi_disable(priv);
		/* A stopped controller has returned every frame. */
		spin_lock_bh(&priv->tx_lock);
		virtio_can_tx_reap(priv, INT_MAX);
		spin_unlock_bh(&priv->tx_lock);
		/* Removal tears everything down right after. */
		if (!priv->removing && !priv->broken && priv->tx_inflight) {
			netdev_warn(dev, "resetting the transmit queue: the device kept %u buffers after stopping\n",
				    priv->tx_inflight);
			virtio_can_reset_queue(priv, VIRTIO_CAN_VQ_TX);
		}
	}
	priv->can.state = CAN_STATE_STOPPED;
	mutex_unlock(&priv->ctrl_mutex);
	close_candev(dev);
	return 0;
}

/* Restart after bus-off (CAN core: manual restart or restart-ms). */
static int virtio_can_set_mode(struct net_device *dev, enum can_mode mode)
{
	struct virtio_can_priv *priv = netdev_priv(dev);
	int err;

	if (mode != CAN_MODE_START)
		return -EOPNOTSUPP;
	mutex_lock(&priv->ctrl_mutex);
	if (priv->frozen || priv->broken || !priv->vqs[VIRTIO_CAN_VQ_TX] ||
	    !netif_running(dev))
		err = -ENETDOWN;
	else
		err = virtio_can_start(priv);
	mutex_unlock(&priv->ctrl_mutex);
	return err;
}

/* The device reported bus-off: it stopped the controller. */
static void virtio_can_bus_off(struct virtio_can_priv *priv)
{
	struct net_device *dev = priv->dev;
	struct can_frame *cf;
	struct sk_buff *skb;

	WRITE_ONCE(priv->started, false);
	virtio_can_tx_close(priv);
	/*
	 * The CAN core drops the echo skbs on restart; no transmit result
	 * may be handled meanwhile. Those already returned are taken now.
	 */
	virtio_can_tx_napi_disable(priv);
	spin_lock_bh(&priv->tx_lock);
	virtio_can_tx_reap(priv, INT_MAX);
	spin_unlock_bh(&priv->tx_lock);

	priv->can.state = CAN_STATE_BUS_OFF;
	priv->can.can_stats.bus_off++;
	skb = alloc_can_err_skb(dev, &cf);
	if (skb) {
		cf->can_id |= CAN_ERR_BUSOFF;
		netif_rx(skb);
	}
	can_bus_off(dev);
}

static void virtio_can_status_work(struct work_struct *work)
{
	struct virtio_can_priv *priv =
		container_of(work, struct virtio_can_priv, status_work);
	u16 status;

	mutex_lock(&priv->ctrl_mutex);
	virtio_cread_le(priv->vdev, struct virtio_can_config, status, &status);
	if (status & ~VIRTIO_CAN_S_CTRL_BUSOFF)
		dev_warn_ratelimited(&priv->vdev->dev,
				     "undefined status bits 0x%04x ignored\n",
				     status & ~VIRTIO_CAN_S_CTRL_BUSOFF);
	if ((status & VIRTIO_CAN_S_CTRL_BUSOFF) && priv->started)
		virtio_can_bus_off(priv);
	mutex_unlock(&priv->ctrl_mutex);
}

static void virtio_can_config_changed(struct virtio_device *vdev)
{
	struct virtio_can_priv *priv = vdev->priv;

	schedule_work(&priv->status_work);
}

static const struct net_device_ops virtio_can_netdev_ops = {
	.ndo_open = virtio_can_open,
	.ndo_stop = virtio_can_stop,
	.ndo_start_xmit = virtio_can_start_xmit,
	.ndo_change_mtu = can_change_mtu,
};

static int virtio_can_validate(struct virtio_device *vdev)
{
	if (!virtio_has_feature(vdev, VIRTIO_F_VERSION_1)) {
		dev_err(&vdev->dev, "device does not offer VIRTIO_F_VERSION_1\n");
		return -ENODEV;
	}
	if (!vdev->config->get) {
		dev_err(&vdev->dev, "transport has no configuration access\n");
		return -EINVAL;
	}
	if (!virtio_has_feature(vdev, VIRTIO_CAN_F_CAN_CLASSIC) &&
	    !virtio_has_feature(vdev, VIRTIO_CAN_F_CAN_FD)) {
		dev_err(&vdev->dev, "device offers neither classic CAN nor CAN FD\n");
		return -ENODEV;
	}
	/* RTR frames are classic frames */
	if (!virtio_has_feature(vdev, VIRTIO_CAN_F_CAN_CLASSIC))
		__virtio_clear_bit(vdev, VIRTIO_CAN_F_RTR_FRAMES);
	return 0;
}

static int virtio_can_probe(struct virtio_device *vdev)
{
	struct virtio_can_priv *priv;
	struct net_device *dev;
	int err;

	dev = alloc_candev(sizeof(*priv), VIRTIO_CAN_TX_SLOTS);
	if (!dev)
		return -ENOMEM;
	priv = netdev_priv(dev);
	priv->dev = dev;
	priv->vdev = vdev;
	spin_lock_init(&priv->tx_lock);
	mutex_init(&priv->ctrl_mutex);
	vreq_queue_init(&priv->ctrlq);
	ratelimit_state_init(&priv->ctrl_rs, 5 * HZ, 10);
	INIT_WORK(&priv->status_work, virtio_can_status_work);
	vdev->priv = priv;

	priv->tx_bufs = kcalloc(VIRTIO_CAN_TX_SLOTS, sizeof(*priv->tx_bufs),
				GFP_KERNEL);
	if (!priv->tx_bufs) {
		err = -ENOMEM;
		goto free;
	}

	/* The host owns the bus timing; the guest cannot set it. */
	priv->can.bittiming.bitrate = CAN_BITRATE_UNKNOWN;
	if (virtio_has_feature(vdev, VIRTIO_CAN_F_CAN_FD)) {
		vx_can_data_bittiming(&priv->can)->bitrate = CAN_BITRATE_UNKNOWN;
		err = can_set_static_ctrlmode(dev, CAN_CTRLMODE_FD);
		if (err)
			goto free;
	}
	priv->can.do_set_mode = virtio_can_set_mode;
	dev->flags |= IFF_ECHO;
	dev->netdev_ops = &virtio_can_netdev_ops;
	SET_NETDEV_DEV(dev, &vdev->dev);
	netif_napi_add(dev, &priv->napi_rx, virtio_can_rx_poll);
	netif_napi_add_tx(dev, &priv->napi_tx, virtio_can_tx_poll);

	err = virtio_can_setup(priv);
	if (err)
		goto free;
	err = register_candev(dev);
	if (err) {
		dev_err(&vdev->dev, "registering the network device failed (%d)\n",
			err);
		goto teardown;
	}
	netdev_info(dev, "virtio CAN controller%s%s%s%s\n",
		    virtio_has_feature(vdev, VIRTIO_CAN_F_CAN_CLASSIC) ? ", classic" : "",
		    virtio_has_feature(vdev, VIRTIO_CAN_F_CAN_FD) ? ", FD" : "",
		    virtio_has_feature(vdev, VIRTIO_CAN_F_RTR_FRAMES) ? ", RTR" : "",
		    virtio_has_feature(vdev, VIRTIO_CAN_F_LATE_TX_ACK) ? ", late TX ack" : "");
	return 0;

teardown:
	virtio_can_teardown(priv);
free:
	kfree(priv->tx_bufs);
	free_candev(dev);
	return err;
}

static void virtio_can_remove(struct virtio_device *vdev)
{
	struct virtio_can_priv *priv = vdev->priv;
	struct net_device *dev = priv->dev;

	priv->removing = true;
	unregister_candev(dev);
	cancel_work_sync(&priv->status_work);
	virtio_can_teardown(priv);
	kfree(priv->tx_bufs);
	free_candev(dev);
}

#ifdef CONFIG_PM_SLEEP
static int virtio_can_freeze(struct virtio_device *vdev)
{
	struct virtio_can_priv *priv = vdev->priv;
	struct net_device *dev = priv->dev;

	/* The core disabled configuration changes; one may still run. */
	cancel_work_sync(&priv->status_work);
	/* A restart flushes echo skbs unlocked; restore starts anyway. */
	cancel_delayed_work_sync(&priv->can.restart_work);
	rtnl_lock();
	mutex_lock(&priv->ctrl_mutex);
	netif_device_detach(dev);
	WRITE_ONCE(priv->started, false);
	virtio_can_tx_close(priv);
	if (netif_running(dev)) {
		napi_disable(&priv->napi_rx);
		virtio_can_tx_napi_disable(priv);
	}
	virtio_can_teardown(priv);
	priv->frozen = true;
	mutex_unlock(&priv->ctrl_mutex);
	rtnl_unlock();
	return 0;
}

static int virtio_can_restore(struct virtio_device *vdev)
{
	struct virtio_can_priv *priv = vdev->priv;
	struct net_device *dev = priv->dev;
	int err;

	rtnl_lock();
	mutex_lock(&priv->ctrl_mutex);
	err = virtio_can_setup(priv);
	if (err)
		goto unlock;
	priv->frozen = false;
	netif_device_attach(dev);
	netif_tx_disable(dev);
	if (netif_running(dev)) {
		virtio_can_napi_enable(&priv->napi_rx, priv->vqs[VIRTIO_CAN_VQ_RX]);
		if (virtio_can_start(priv)) {
			netdev_err(dev, "controller not restarted after resume\n");
			priv->can.state = CAN_STATE_STOPPED;
			netif_carrier_off(dev);
		}
	}
unlock:
	mutex_unlock(&priv->ctrl_mutex);
	rtnl_unlock();
	return err;
}
#endif

static const unsigned int virtio_can_features[] = {
	VIRTIO_CAN_F_CAN_CLASSIC,
	VIRTIO_CAN_F_CAN_FD,
	VIRTIO_CAN_F_RTR_FRAMES,
	VIRTIO_CAN_F_LATE_TX_ACK,
};

static const struct virtio_device_id virtio_can_id_table[] = {
	{ VIRTIO_ID_CAN, VIRTIO_DEV_ANY_ID },
	{ 0 },
};
MODULE_DEVICE_TABLE(virtio, virtio_can_id_table);

static struct virtio_driver virtio_can_driver = {
	.feature_table = virtio_can_features,
	.feature_table_size = ARRAY_SIZE(virtio_can_features),
	.driver.name = KBUILD_MODNAME,
	.id_table = virtio_can_id_table,
	.validate = virtio_can_validate,
	.probe = virtio_can_probe,
	.remove = virtio_can_remove,
	.config_changed = virtio_can_config_changed,
#ifdef CONFIG_PM_SLEEP
	.freeze = virtio_can_freeze,
	.restore = virtio_can_restore,
#endif
};
module_virtio_driver(virtio_can_driver);

MODULE_DESCRIPTION("Virtio CAN controller driver (SocketCAN)");
MODULE_AUTHOR("virtio-extra developers");
MODULE_LICENSE("GPL");
