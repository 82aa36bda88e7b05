// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_scmi_agent: the transport (VIRTIO 1.2, 5.17) and the message
 * exchange.
 *
 * Commands go one at a time on the command queue (virtio_request.c): a
 * command the device never answers is abandoned, and no other goes until
 * the device answers it or is reset. Delayed responses and notifications
 * come on the event queue (virtio_event_queue.c), whose work copies them
 * out and gives the buffers back, a bounded number per run, so a device
 * that floods the queue costs this driver no more than its share of a CPU.
 *
 * What the device wrote is copied once and only the copy is checked and
 * used: a device may keep writing a buffer it returned.
 */
#include <linux/debugfs.h>
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/workqueue.h>

#include "virtio_scmi_agent.h"

static unsigned int answer_ms = 3000;
module_param(answer_ms, uint, 0644);
MODULE_PARM_DESC(answer_ms, "How long the platform may take to answer a command (ms)");

static unsigned int delayed_ms = 2000;
module_param(delayed_ms, uint, 0644);
MODULE_PARM_DESC(delayed_ms, "How long the platform may take to send a delayed response (ms)");

#define VSCMI_EVENT_BUFS	16

/**
 * struct vscmi_cmd_bufs - a command's buffers
 * @tx: the command, device-readable.
 * @rx: the response, device-writable, on cache lines of its own.
 */
struct vscmi_cmd_bufs {
	u8 tx[4 + VSCMI_MAX_PAYLOAD];
	u8 rx[VSCMI_MAX_PDU] ____cacheline_aligned __aligned(ARCH_DMA_MINALIGN);
};

/**
 * struct vscmi_cmd - one command on its way through the device
 * @req: its life on the command queue.
 * @bufs: its buffers.
 */
struct vscmi_cmd {
	struct vreq req;
	struct vscmi_cmd_bufs *bufs;
};

static DEFINE_IDA(vscmi_ida);

/**
 * vscmi_answer_ms - how long a command may take
 *
 * Return: the answer_ms parameter.
 */
unsigned int vscmi_answer_ms(void)
{
	return READ_ONCE(answer_ms);
}

static void vscmi_cmd_release(struct vreq *req)
{
	struct vscmi_cmd *cmd = container_of(req, struct vscmi_cmd, req);

	kfree(cmd->bufs);
	kfree(cmd);
}

/**
 * vscmi_status_errno - an SCMI status as an errno, as Linux's SCMI core
 *	maps it
 * @status: the status
 *
 * Return: 0 or a negative errno.
 */
int vscmi_status_errno(s32 status)
{
	static const int errnos[] = {
		0, -EOPNOTSUPP, -EINVAL, -EACCES, -ENOENT, -ERANGE, -EBUSY,
		-ECOMM, -EIO, -EREMOTEIO, -EPROTO, -EBUSY, -EIO,
	};

	if (status > 0 || status < -(s32)(ARRAY_SIZE(errnos) - 1))
		return -EIO;
	return errnos[-status];
}

/* Whether a delayed response with this token is awaited. */
static bool vscmi_token_awaited(struct vscmi *sa, u16 token)
{
	struct vscmi_delayed *d;

	lockdep_assert_held(&sa->event_lock);
	list_for_each_entry(d, &sa->delayed, node)
		if (((d->hdr & VIRTIO_SCMI_HDR_TOKEN_MASK) >> VIRTIO_SCMI_HDR_TOKEN_SHIFT) == token)
			return true;
	return false;
}

/*
 * Choose the command's token (unless kept), and enlist its delayed
 * response before the command goes: it may come before the response.
 */
static int vscmi_prepare_tokens(struct vscmi *sa, struct vscmi_xfer *xfer)
{
	u16 token = (xfer->hdr & VIRTIO_SCMI_HDR_TOKEN_MASK) >> VIRTIO_SCMI_HDR_TOKEN_SHIFT;
	unsigned int tries;
	int err = 0;

	spin_lock_irq(&sa->event_lock);
	if (xfer->keep_token) {
		if (vscmi_token_awaited(sa, token))
			err = -EBUSY;
	} else {
		for (tries = 0; tries < VSCMI_TOKENS; tries++) {
			token = sa->next_token++ & (VSCMI_TOKENS - 1);
			if (!vscmi_token_awaited(sa, token))
				break;
		}
		if (tries == VSCMI_TOKENS)
			err = -EBUSY;
		xfer->hdr = (xfer->hdr & ~VIRTIO_SCMI_HDR_TOKEN_MASK) |
			    (u32)token << VIRTIO_SCMI_HDR_TOKEN_SHIFT;
	}
	if (!err && xfer->delayed) {
		xfer->delayed->hdr = (xfer->hdr & ~VIRTIO_SCMI_HDR_TYPE_MASK) |
			VIRTIO_SCMI_MSG_TYPE_DELAYED_RESPONSE << VIRTIO_SCMI_HDR_TYPE_SHIFT;
		list_add_tail(&xfer->delayed->node, &sa->delayed);
	}
	spin_unlock_irq(&sa->event_lock);
	return err;
}

/* Stop waiting for a delayed response; true when it had arrived. */
static bool vscmi_delayed_forget(struct vscmi *sa, struct vscmi_delayed *d)
{
	bool arrived;

	spin_lock_irq(&sa->event_lock);
	arrived = d->arrived;
	if (!list_empty(&d->node))
		list_del_init(&d->node);
	spin_unlock_irq(&sa->event_lock);
	return arrived;
}

/* Send the command and copy its response out; the response unchecked. */
static int vscmi_exchange(struct vscmi *sa, struct vscmi_xfer *xfer)
{
	struct scatterlist out, in, *sgs[2] = { &out, &in };
	struct vscmi_cmd *cmd;
	unsigned int len;
	int err;

	cmd = kzalloc(sizeof(*cmd), GFP_KERNEL);
	if (!cmd)
		return -ENOMEM;
	cmd->bufs = kzalloc(sizeof(*cmd->bufs), GFP_KERNEL);
	if (!cmd->bufs) {
		kfree(cmd);
		return -ENOMEM;
	}
	vreq_init(&cmd->req, vscmi_cmd_release);
	vscmi_put_le32(cmd->bufs->tx, xfer->hdr);
	memcpy(cmd->bufs->tx + 4, xfer->tx, xfer->tx_len);
	sg_init_one(&out, cmd->bufs->tx, 4 + xfer->tx_len);
	sg_init_one(&in, cmd->bufs->rx, sizeof(cmd->bufs->rx));

	err = vreq_submit(&sa->commands, &cmd->req, sgs, 1, 1);
	if (err) {
		vscmi_cmd_release(&cmd->req);
		if (err == -EBUSY) {
			vscmi_complain(sa, "platform still holds a command it never answered\n");
			return -EIO;
		}
		return err == -ENODEV ? err : -EIO;
	}
	if (!vreq_wait(&sa->commands, &cmd->req, READ_ONCE(answer_ms))) {
		vscmi_complain(sa, "platform did not answer command 0x%08x in %u ms\n",
			       xfer->hdr, READ_ONCE(answer_ms));
		return -ETIMEDOUT;
	}
	err = cmd->req.status;
	len = cmd->req.used_len;
	if (!err && len > sizeof(cmd->bufs->rx)) {
		vscmi_complain(sa, "command 0x%08x answered with %u bytes, in a buffer of %zu\n",
			       xfer->hdr, len, sizeof(cmd->bufs->rx));
		err = -EPROTO;
	}
	if (!err) {
		memcpy(xfer->resp.data, cmd->bufs->rx, len);
		xfer->resp.len = len;
	}
	vscmi_cmd_release(&cmd->req);
	return err;
}

/* Check a response's copy: its length and header; trim an error's payload. */
static int vscmi_check_response(struct vscmi *sa, struct vscmi_xfer *xfer)
{
	struct vscmi_pdu *resp = &xfer->resp;
	u32 hdr;
	s32 status;

	if (resp->len < 8) {
		vscmi_complain(sa, "command 0x%08x answered with %u bytes: no status\n",
			       xfer->hdr, resp->len);
		return -EPROTO;
	}
	hdr = vscmi_le32(resp->data);
	if (hdr != xfer->hdr) {
		vscmi_complain(sa, "command 0x%08x answered with header 0x%08x\n",
			       xfer->hdr, hdr);
		return -EPROTO;
	}
	status = vscmi_le32(resp->data + 4);
	if (status && resp->len > 8) {
		vscmi_complain(sa, "command 0x%08x failed (%d) with %u bytes of payload\n",
			       xfer->hdr, status, resp->len - 8);
		resp->len = 8;
	}
	return 0;
}

/**
 * vscmi_xfer - send a command and take its response, and for an async
 *	command its delayed response
 * @sa: the agent
 * @xfer: the command; its response on return
 *
 * The response's header and length are checked, its status is not: the
 * caller reads it. An async command whose status is SUCCESS waits for its
 * delayed response, unless it is for the raw interface (@xfer->delayed->raw):
 * that one goes to the raw interface's queue, and the delayed response
 * becomes the agent's to free (@xfer->delayed is then NULL).
 *
 * Return: 0, -ERANGE for a payload over VSCMI_MAX_PAYLOAD, -EBUSY when the
 * token is awaited, -EOPNOTSUPP for an async command without an event
 * queue, -ETIMEDOUT, -EPROTO for a response that breaks the protocol,
 * -ENODEV when the device is gone, -EIO, -ENOMEM.
 */
int vscmi_xfer(struct vscmi *sa, struct vscmi_xfer *xfer)
{
	struct vscmi_delayed *d = xfer->delayed;
	int err;

	if (xfer->tx_len > VSCMI_MAX_PAYLOAD)
		return -ERANGE;
	if (d) {
		if (!sa->has_events)
			return -EOPNOTSUPP;
		INIT_LIST_HEAD(&d->node);
		init_completion(&d->done);
		d->arrived = false;
	}

	mutex_lock(&sa->lock);
	err = vscmi_prepare_tokens(sa, xfer);
	if (!err)
		err = vscmi_exchange(sa, xfer);
	mutex_unlock(&sa->lock);
	if (!err)
		err = vscmi_check_response(sa, xfer);
	if (!d)
		return err;
	if (err || vscmi_le32(xfer->resp.data + 4) != VIRTIO_SCMI_STATUS_SUCCESS) {
		vscmi_delayed_forget(sa, d);
		return err;
	}
	if (d->raw) {
		spin_lock_irq(&sa->event_lock);
		d->orphan = !list_empty(&d->node);
		spin_unlock_irq(&sa->event_lock);
		if (!d->orphan)
			kfree(d);
		xfer->delayed = NULL;
		return 0;
	}
	wait_for_completion_timeout(&d->done, msecs_to_jiffies(READ_ONCE(delayed_ms)));
	if (!vscmi_delayed_forget(sa, d)) {
		vscmi_complain(sa, "no delayed response to command 0x%08x in %u ms\n",
			       xfer->hdr, READ_ONCE(delayed_ms));
		return READ_ONCE(sa->gone) ? -ENODEV : -ETIMEDOUT;
	}
	return 0;
}

/**
 * vscmi_command - send a command, and check its status and length
 * @sa: the agent
 * @protocol: the protocol
 * @msg_id: the command
 * @tx: its payload
 * @tx_len: the payload's length
 * @rx: where the response's payload goes (after the status)
 * @rx_min: the least payload the response must carry
 * @rx_max: the most it may (and @rx's size); more is a protocol error
 *
 * Return: the payload's length, or a negative errno: the status's, or
 * vscmi_xfer()'s, or -EPROTO for a payload out of bounds.
 */
int vscmi_command(struct vscmi *sa, u8 protocol, u8 msg_id, const void *tx,
		  unsigned int tx_len, void *rx, unsigned int rx_min,
		  unsigned int rx_max)
{
	struct vscmi_xfer *xfer;
	unsigned int len;
	int err;

	xfer = kzalloc(sizeof(*xfer), GFP_KERNEL);
	if (!xfer)
		return -ENOMEM;
	xfer->hdr = vscmi_hdr(protocol, msg_id, VIRTIO_SCMI_MSG_TYPE_COMMAND, 0);
	xfer->tx = tx;
	xfer->tx_len = tx_len;
	err = vscmi_xfer(sa, xfer);
	if (err)
		goto out;
	err = vscmi_status_errno(vscmi_le32(xfer->resp.data + 4));
	if (err)
		goto out;
	len = xfer->resp.len - 8;
	if (len < rx_min || len > rx_max) {
		vscmi_complain(sa, "command 0x%x/0x%x answered with %u bytes, not %u to %u\n",
			       msg_id, protocol, len, rx_min, rx_max);
		err = -EPROTO;
		goto out;
	}
	memcpy(rx, xfer->resp.data + 8, len);
	err = len;
out:
	kfree(xfer);
	return err;
}

/*
 * A delayed response: to its waiter, or to the raw interface's queue when
 * a raw command awaits it, else an error.
 */
static void vscmi_take_delayed(struct vscmi *sa, const struct vscmi_pdu *pdu)
{
	u32 hdr = vscmi_le32(pdu->data);
	struct vscmi_delayed *d, *orphan = NULL;
	bool awaited = false, raw = false;

	spin_lock_irq(&sa->event_lock);
	list_for_each_entry(d, &sa->delayed, node) {
		if (d->hdr != hdr || d->arrived)
			continue;
		awaited = true;
		d->arrived = true;
		raw = d->raw;
		if (raw) {
			list_del_init(&d->node);
			if (d->orphan)
				orphan = d;
		} else {
			d->pdu = *pdu;
			complete(&d->done);
		}
		break;
	}
	spin_unlock_irq(&sa->event_lock);

	if (!awaited) {
		vscmi_complain(sa, "delayed response 0x%08x that nobody awaits\n", hdr);
		vscmi_raw_queue_error(sa, pdu);
	} else if (raw) {
		vscmi_raw_queue_reply(sa, pdu, true);
	}
	kfree(orphan);
}

static void vscmi_dispatch_event(struct vscmi *sa, const struct vscmi_pdu *pdu)
{
	u32 hdr;

	if (pdu->len < 4) {
		vscmi_complain(sa, "event of %u bytes, less than a header\n", pdu->len);
		return;
	}
	hdr = vscmi_le32(pdu->data);
	switch (vscmi_hdr_type(hdr)) {
	case VIRTIO_SCMI_MSG_TYPE_DELAYED_RESPONSE:
		if (pdu->len < 8) {
			vscmi_complain(sa, "delayed response 0x%08x of %u bytes: no status\n",
				       hdr, pdu->len);
			vscmi_raw_queue_error(sa, pdu);
			return;
		}
		vscmi_take_delayed(sa, pdu);
		return;
	case VIRTIO_SCMI_MSG_TYPE_NOTIFICATION:
		if (vscmi_hdr_protocol(hdr) == VSCMI_PROTO_SENSOR)
			vscmi_sensors_notification(sa, pdu);
		else if (vscmi_hdr_protocol(hdr) == VSCMI_PROTO_SYSTEM)
			vscmi_power_notification(sa, pdu);
		vscmi_raw_queue_notification(sa, pdu);
		return;
	default:
		vscmi_complain(sa, "event 0x%08x of message type %u on the event queue\n",
			       hdr, vscmi_hdr_type(hdr));
		vscmi_raw_queue_error(sa, pdu);
	}
}

/* One message from the event queue, copied once more to be a PDU. */
static void vscmi_take_event(struct vevq *q, const void *event, unsigned int len)
{
	struct vscmi *sa = container_of(q, struct vscmi, events);
	struct vscmi_pdu *pdu = sa->event_pdu;

	if (len > sizeof(pdu->data)) {
		vscmi_complain(sa, "event of %u bytes, in a buffer of %zu: dropped\n",
			       len, sizeof(pdu->data));
		return;
	}
	pdu->len = len;
	memcpy(pdu->data, event, len);
	vscmi_dispatch_event(sa, pdu);
}

static void vscmi_cmd_done(struct virtqueue *vq)
{
	struct vscmi *sa = vq->vdev->priv;

	vreq_queue_complete(&sa->commands, vq);
}

static void vscmi_event_done(struct virtqueue *vq)
{
	struct vscmi *sa = vq->vdev->priv;

	vevq_done(&sa->events);
}

/* Set up the queues, give the event buffers, and let commands go. */
static int vscmi_start(struct vscmi *sa)
{
	struct virtqueue *vqs[2];
	unsigned int nvqs = sa->has_events ? 2 : 1;
	int err;
	struct virtqueue_info vqs_info[] = {
		{ "cmdq", vscmi_cmd_done },
		{ "eventq", vscmi_event_done },
	};

	err = virtio_find_vqs(sa->vdev, nvqs, vqs, vqs_info, NULL);
	if (err)
		return err;
	sa->cmd_vq = vqs[0];

	spin_lock_irq(&sa->event_lock);
	sa->gone = false;
	spin_unlock_irq(&sa->event_lock);
	if (sa->has_events) {
		err = vevq_start(&sa->events, vqs[1]);
		if (err) {
			sa->vdev->config->del_vqs(sa->vdev);
			vevq_stopped(&sa->events);
			return err;
		}
	}

	vreq_queue_open(&sa->commands, sa->cmd_vq);
	virtio_device_ready(sa->vdev);
	if (sa->has_events)
		vevq_kick(&sa->events);
	return 0;
}

/*
 * Reset the device and take back what it held: the command's waiter gets
 * -ENODEV, delayed-response waiters wake, event buffers are dropped. The
 * command lock is not taken: its holder may be waiting for the device,
 * and only the reset gives its command back before answer_ms.
 */
static void vscmi_stop(struct vscmi *sa)
{
	struct vscmi_delayed *d, *tmp;
	LIST_HEAD(orphans);

	vreq_queue_close(&sa->commands);
	spin_lock_irq(&sa->event_lock);
	sa->gone = true;
	spin_unlock_irq(&sa->event_lock);
	if (sa->has_events)
		vevq_stop(&sa->events);

	virtio_reset_device(sa->vdev);
	vreq_queue_give_back(&sa->commands, -ENODEV);
	spin_lock_irq(&sa->event_lock);
	list_for_each_entry_safe(d, tmp, &sa->delayed, node) {
		if (d->raw && d->orphan) {
			list_move(&d->node, &orphans);
		} else {
			list_del_init(&d->node);
			complete(&d->done);
		}
	}
	spin_unlock_irq(&sa->event_lock);
	sa->vdev->config->del_vqs(sa->vdev);
	if (sa->has_events)
		vevq_stopped(&sa->events);
	sa->cmd_vq = NULL;

	list_for_each_entry_safe(d, tmp, &orphans, node)
		kfree(d);
}

static int vscmi_probe(struct virtio_device *vdev)
{
	struct vscmi *sa;
	int err;

	if (!virtio_has_feature(vdev, VIRTIO_F_VERSION_1))
		return -ENODEV;

	sa = kzalloc(sizeof(*sa), GFP_KERNEL);
	if (!sa)
		return -ENOMEM;
	sa->vdev = vdev;
	vdev->priv = sa;
	mutex_init(&sa->lock);
	mutex_init(&sa->sensors_lock);
	vreq_queue_init(&sa->commands);
	spin_lock_init(&sa->event_lock);
	INIT_LIST_HEAD(&sa->delayed);
	ratelimit_state_init(&sa->rs, DEFAULT_RATELIMIT_INTERVAL, DEFAULT_RATELIMIT_BURST);

	sa->index = ida_alloc(&vscmi_ida, GFP_KERNEL);
	if (sa->index < 0) {
		err = sa->index;
		goto free;
	}
	sa->has_events = virtio_has_feature(vdev, VIRTIO_SCMI_F_P2A_CHANNELS);
	if (sa->has_events) {
		err = vevq_init(&sa->events, &sa->event_lock, VSCMI_EVENT_BUFS,
				VSCMI_MAX_PDU, vscmi_take_event);
		sa->event_pdu = kmalloc(sizeof(*sa->event_pdu), GFP_KERNEL);
		if (err || !sa->event_pdu) {
			err = -ENOMEM;
			goto free_events;
		}
	}
	err = vscmi_start(sa);
	if (err)
		goto free_events;
	err = vscmi_base_discover(sa);
	if (err) {
		dev_err(&vdev->dev, "the platform's Base protocol failed (%d)\n", err);
		goto stop;
	}
	/* Without a hwmon device the agent still serves the rest. */
	err = vscmi_sensors_create(sa);
	if (err)
		dev_err(&vdev->dev, "the platform's Sensor protocol failed (%d): no hwmon device\n",
			err);
	err = vscmi_power_create(sa);
	if (err)
		dev_err(&vdev->dev, "the platform's System Power protocol failed (%d): its requests are not served\n",
			err);
	/* sysfs and the raw interface last: they say the probe is over */
	err = sysfs_create_group(&vdev->dev.kobj, &vscmi_base_group);
	if (err)
		goto destroy_sensors;
	err = vscmi_raw_create(sa);
	if (err)
		goto remove_group;
	dev_info(&vdev->dev, "SCMI platform %s/%s 0x%x, Base %u.%u, %u protocols, %u agents\n",
		 sa->vendor, sa->sub_vendor, sa->impl_version,
		 sa->base_version >> 16, sa->base_version & 0xffff,
		 sa->n_protocols, sa->n_agents);
	return 0;

remove_group:
	sysfs_remove_group(&vdev->dev.kobj, &vscmi_base_group);
destroy_sensors:
	vscmi_stop(sa);
	vscmi_power_destroy(sa);
	vscmi_sensors_destroy(sa);
	goto free_events;
stop:
	vscmi_stop(sa);
free_events:
	vevq_free(&sa->events);
	kfree(sa->event_pdu);
	ida_free(&vscmi_ida, sa->index);
free:
	kfree(sa);
	return err;
}

static void vscmi_remove(struct virtio_device *vdev)
{
	struct vscmi *sa = vdev->priv;

	vscmi_raw_shutdown(sa);
	sysfs_remove_group(&vdev->dev.kobj, &vscmi_base_group);
	/* the reset first: it ends the reads of hwmon and the raw files */
	vscmi_stop(sa);
	vscmi_power_destroy(sa);
	vscmi_sensors_destroy(sa);
	vscmi_raw_destroy(sa);
	vevq_free(&sa->events);
	kfree(sa->event_pdu);
	ida_free(&vscmi_ida, sa->index);
	kfree(sa);
}

#ifdef CONFIG_PM_SLEEP
static int vscmi_freeze(struct virtio_device *vdev)
{
	vscmi_stop(vdev->priv);
	return 0;
}

static int vscmi_restore(struct virtio_device *vdev)
{
	struct vscmi *sa = vdev->priv;
	int err;

	err = vscmi_start(sa);
	if (err)
		return err;
	/* a reset device forgot what the agent asked to be told */
	vscmi_sensors_restore(sa);
	vscmi_power_restore(sa);
	return 0;
}
#endif

static const struct virtio_device_id vscmi_id_table[] = {
	{ VIRTIO_ID_SCMI, VIRTIO_DEV_ANY_ID },
	{ 0 },
};
MODULE_DEVICE_TABLE(virtio, vscmi_id_table);

static const unsigned int vscmi_features[] = {
	VIRTIO_SCMI_F_P2A_CHANNELS,
};

static struct virtio_driver vscmi_driver = {
	.driver.name = KBUILD_MODNAME,
	.id_table = vscmi_id_table,
	.feature_table = vscmi_features,
	.feature_table_size = ARRAY_SIZE(vscmi_features),
	.probe = vscmi_probe,
	.remove = vscmi_remove,
#ifdef CONFIG_PM_SLEEP
	.freeze = vscmi_freeze,
	.restore = vscmi_restore,
#endif
};

static int __init vscmi_init(void)
{
	int err;

	err = vscmi_raw_init();
	if (err)
		return err;
	err = vscmi_sensors_init();
	if (err)
		goto raw_exit;
	err = vscmi_power_init();
	if (err)
		goto sensors_exit;
	err = register_virtio_driver(&vscmi_driver);
	if (err)
		goto power_exit;
	return 0;

power_exit:
	vscmi_power_exit();
sensors_exit:
	vscmi_sensors_exit();
raw_exit:
	vscmi_raw_exit();
	return err;
}

static void __exit vscmi_exit(void)
{
	unregister_virtio_driver(&vscmi_driver);
	vscmi_power_exit();
	vscmi_sensors_exit();
	vscmi_raw_exit();
	ida_destroy(&vscmi_ida);
}

module_init(vscmi_init);
module_exit(vscmi_exit);

MODULE_DESCRIPTION("SCMI agent over virtio, for any architecture");
MODULE_AUTHOR("virtio-extra developers");
MODULE_LICENSE("GPL");
