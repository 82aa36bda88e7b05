// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-watchdog: a virtio watchdog device (ID 35) as /dev/watchdogN.
 *
 * With VIRTIO_WATCHDOG_F_CONTROL the driver sends START, PING, STOP,
 * SET_TIMEOUT and GET_TIMELEFT on the control queue, one at a time, and
 * takes pretimeout events from the event queue; the device states its
 * timeout range in its configuration (Documentation/watchdog/
 * virtio-watchdog-spec.rst). Without it, the device is Cloud Hypervisor's:
 * a ping is a one-byte buffer the device returns holding 1, the timeout is
 * fixed, and nothing stops it, so the watchdog core pings it whenever
 * nobody has the device open.
 *
 * Every answer is checked before it counts: used length, status, the
 * running flag, the time left, event types. A command the device does not
 * answer in time fails with -ETIMEDOUT; its buffers stay with the device,
 * so commands fail with -EIO until it answers or is reset
 * (virtio_request.c).
 */
#include <linux/cache.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/ratelimit.h>
#include <linux/slab.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/watchdog.h>
#include <linux/virtio_extra/virtio_watchdog.h>

#include "virtio_request.h"

#define VWDT_DEFAULT_TIMEOUT 30	/* seconds, when neither parameter nor device says */
#define VWDT_EVENT_BUFS 4

static bool nowayout = WATCHDOG_NOWAYOUT;
module_param(nowayout, bool, 0444);
MODULE_PARM_DESC(nowayout, "Watchdog cannot be stopped once started (default="
		 __MODULE_STRING(WATCHDOG_NOWAYOUT) ")");

static unsigned int timeout;
module_param(timeout, uint, 0644);
MODULE_PARM_DESC(timeout, "Initial timeout in seconds, read at probe (0: 30, or the nearest the device takes)");

static unsigned int answer_ms = 2000;
module_param(answer_ms, uint, 0644);
MODULE_PARM_DESC(answer_ms, "How long the device may take to answer a command (ms)");

/*
 * What the device writes gets cache lines of its own, as wide as DMA needs
 * them: ____cacheline_aligned __aligned(ARCH_DMA_MINALIGN), the larger
 * applies. A CPU writing the same line would fight the device for it, or
 * write stale bytes back over the device's where DMA is not coherent.
 */

/**
 * struct vwdt_msg - the buffers of one command, as the device sees them
 * @req: the command (control protocol).
 * @resp: its answer (control protocol).
 * @ack: the ping buffer of the basic protocol.
 */
struct vwdt_msg {
	struct virtio_watchdog_ctrl_req req;
	union {
		struct virtio_watchdog_ctrl_resp resp
			____cacheline_aligned __aligned(ARCH_DMA_MINALIGN);
		u8 ack;
	};
};

/**
 * struct vwdt_event_buf - one event buffer, device-writable
 * @ev: the event.
 */
struct vwdt_event_buf {
	struct virtio_watchdog_event ev ____cacheline_aligned __aligned(ARCH_DMA_MINALIGN);
};

/**
 * struct vwdt_cmd - one command on its way through the device
 * @req: its life on the control queue; req.status is -ENODEV when the
 *	device was reset or went away first.
 * @msg: its buffers.
 */
struct vwdt_cmd {
	struct vreq req;
	struct vwdt_msg *msg;
};

/**
 * struct vwdt - one virtio watchdog
 * @wdd: the watchdog core's device.
 * @info: what the core reports of it (WDIOC_GETSUPPORT).
 * @vdev: the virtio device.
 * @ctrl_vq: the control queue.
 * @event_vq: the event queue, with VIRTIO_WATCHDOG_F_PRETIMEOUT.
 * @events: the event buffers, VWDT_EVENT_BUFS of them.
 * @basic: the device speaks Cloud Hypervisor's ping protocol.
 * @max_ms: longest timeout the device takes.
 * @granularity_ms: timeouts are multiples of this.
 * @max_pretimeout_ms: longest pretimeout; 0 without pretimeouts.
 * @lock: one command at a time; queue setup against commands.
 * @commands: the control queue's commands, one at a time.
 * @vq_lock: the event queue and @gone, against its handler.
 * @gone: the device is being removed or frozen: no event buffer goes
 *	back to it.
 * @rs: rate limit of this device's complaints.
 */
struct vwdt {
	struct watchdog_device wdd;
	struct watchdog_info info;
	struct virtio_device *vdev;
	struct virtqueue *ctrl_vq;
	struct virtqueue *event_vq;
	struct vwdt_event_buf *events;
	bool basic;
	u32 max_ms;
	u32 granularity_ms;
	u32 max_pretimeout_ms;
	struct mutex lock; /* one command at a time; queue setup and teardown */
	struct vreq_queue commands;
	spinlock_t vq_lock; /* event queue and gone, against its callback */
	bool gone;
	struct ratelimit_state rs;
};

#define vwdt_complain(vw, fmt, ...) do {				\
	struct vwdt *__vw = (vw);					\
									\
	if (__ratelimit(&__vw->rs))					\
		dev_warn(&__vw->vdev->dev, fmt, ##__VA_ARGS__);		\
} while (0)

static void vwdt_cmd_release(struct vreq *req)
{
	struct vwdt_cmd *cmd = container_of(req, struct vwdt_cmd, req);

	kfree(cmd->msg);
	kfree(cmd);
}

static void vwdt_ctrl_done(struct virtqueue *vq)
{
	struct vwdt *vw = vq->vdev->priv;

	vreq_queue_complete(&vw->commands, vq);
}

static int vwdt_submit(struct vwdt *vw, struct vwdt_cmd *cmd)
{
	struct scatterlist out, in, *sgs[2];
	unsigned int n_out = 0;
	int err;

	if (vw->basic) {
		sg_init_one(&in, &cmd->msg->ack, sizeof(cmd->msg->ack));
	} else {
		sg_init_one(&out, &cmd->msg->req, sizeof(cmd->msg->req));
		sgs[n_out++] = &out;
		sg_init_one(&in, &cmd->msg->resp, sizeof(cmd->msg->resp));
	}
	sgs[n_out] = &in;

	err = vreq_submit(&vw->commands, &cmd->req, sgs, n_out, 1);
	if (err == -EBUSY) {
		vwdt_complain(vw, "device still holds a command it never answered\n");
		return -EIO;
	}
	if (err && err != -ENODEV) {
		vwdt_complain(vw, "command not queued (%d)\n", err);
		return -EIO;
	}
	return err;
}

/* Check a control answer; its status as an errno. */
static int vwdt_check_resp(struct vwdt *vw, const struct vwdt_cmd *cmd, u16 type)
{
	const struct virtio_watchdog_ctrl_resp *resp = &cmd->msg->resp;

	if (cmd->req.used_len != sizeof(*resp)) {
		vwdt_complain(vw, "command %u answered with %u bytes, not %zu\n",
			      type, cmd->req.used_len, sizeof(*resp));
		return -EIO;
	}
	if (resp->running > 1) {
		vwdt_complain(vw, "command %u answered with running %u\n", type,
			      resp->running);
		return -EIO;
	}
	switch (resp->status) {
	case VIRTIO_WATCHDOG_S_OK:
		return 0;
	case VIRTIO_WATCHDOG_S_DENIED:
		if (type == VIRTIO_WATCHDOG_CMD_STOP)
			return -EBUSY;
		break;
	case VIRTIO_WATCHDOG_S_INVALID:
		vwdt_complain(vw, "command %u refused as invalid\n", type);
		return -EINVAL;
	case VIRTIO_WATCHDOG_S_UNSUPPORTED:
		vwdt_complain(vw, "command %u refused as unsupported\n", type);
		return -EOPNOTSUPP;
	}
	vwdt_complain(vw, "command %u answered with status %u\n", type, resp->status);
	return -EIO;
}

/*
 * Send one command and wait for its answer, checked; the answer in *resp
 * when it is not NULL. 0 or -errno.
 */
static int vwdt_command(struct vwdt *vw, u16 type, u32 timeout_ms, u32 pretimeout_ms,
			struct virtio_watchdog_ctrl_resp *resp)
{
	struct vwdt_cmd *cmd;
	int err;

	cmd = kzalloc(sizeof(*cmd), GFP_KERNEL);
	if (!cmd)
		return -ENOMEM;
	cmd->msg = kzalloc(sizeof(*cmd->msg), GFP_KERNEL);
	if (!cmd->msg) {
		kfree(cmd);
		return -ENOMEM;
	}
	vreq_init(&cmd->req, vwdt_cmd_release);
	cmd->msg->req.type = cpu_to_le16(type);
	cmd->msg->req.timeout_ms = cpu_to_le32(timeout_ms);
	cmd->msg->req.pretimeout_ms = cpu_to_le32(pretimeout_ms);

	mutex_lock(&vw->lock);
	err = vwdt_submit(vw, cmd);
	if (err) {
		mutex_unlock(&vw->lock);
		vwdt_cmd_release(&cmd->req);
		return err;
	}
	if (!vreq_wait(&vw->commands, &cmd->req, READ_ONCE(answer_ms))) {
		mutex_unlock(&vw->lock);
		if (vw->basic)
			vwdt_complain(vw, "device did not answer a ping in %u ms\n",
				      READ_ONCE(answer_ms));
		else
			vwdt_complain(vw, "device did not answer command %u in %u ms\n",
				      type, READ_ONCE(answer_ms));
		return -ETIMEDOUT;
	}
	mutex_unlock(&vw->lock);

	err = cmd->req.status;
	if (!err && vw->basic && (cmd->req.used_len != sizeof(cmd->msg->ack) ||
				  cmd->msg->ack != VIRTIO_WATCHDOG_BASIC_ACK)) {
		vwdt_complain(vw, "ping answered with %u bytes holding %u, not 1 holding %u\n",
			      cmd->req.used_len, cmd->msg->ack, VIRTIO_WATCHDOG_BASIC_ACK);
		err = -EIO;
	}
	if (!err && !vw->basic)
		err = vwdt_check_resp(vw, cmd, type);
	if (!err && resp)
		*resp = cmd->msg->resp;
	vwdt_cmd_release(&cmd->req);
	return err;
}

/* Seconds as the device takes them: a multiple of its granularity, in range. */
static u32 vwdt_to_device_ms(const struct vwdt *vw, unsigned int s)
{
	u32 ms = roundup(s * 1000U, vw->granularity_ms);

	return min(ms, vw->max_ms);
}

/*
 * A pretimeout as the device takes it; 0 for none, and for every pretimeout
 * of a device without them: the watchdog core's own timer does those
 * (CONFIG_WATCHDOG_HRTIMER_PRETIMEOUT), and the device must not see them.
 */
static u32 vwdt_pretimeout_ms(const struct vwdt *vw, unsigned int s)
{
	return s && vw->max_pretimeout_ms ? roundup(s * 1000U, vw->granularity_ms) : 0;
}

static int vwdt_set(struct vwdt *vw, u16 type, unsigned int timeout_s,
		    unsigned int pretimeout_s, struct virtio_watchdog_ctrl_resp *resp)
{
	return vwdt_command(vw, type, vwdt_to_device_ms(vw, timeout_s),
			    vwdt_pretimeout_ms(vw, pretimeout_s), resp);
}

/* A command answered OK must leave the timer as it says it does. */
static int vwdt_check_running(struct vwdt *vw, u16 type,
			      const struct virtio_watchdog_ctrl_resp *resp, bool running)
{
	if (resp->running == running)
		return 0;
	vwdt_complain(vw, "command %u done, but the timer %s\n", type,
		      running ? "does not run" : "still runs");
	return -EIO;
}

static int vwdt_start(struct watchdog_device *wdd)
{
	struct vwdt *vw = watchdog_get_drvdata(wdd);
	struct virtio_watchdog_ctrl_resp resp;
	int err;

	err = vwdt_set(vw, VIRTIO_WATCHDOG_CMD_START, wdd->timeout, wdd->pretimeout, &resp);
	return err ?: vwdt_check_running(vw, VIRTIO_WATCHDOG_CMD_START, &resp, true);
}

static int vwdt_stop(struct watchdog_device *wdd)
{
	struct vwdt *vw = watchdog_get_drvdata(wdd);
	struct virtio_watchdog_ctrl_resp resp;
	int err;

	err = vwdt_command(vw, VIRTIO_WATCHDOG_CMD_STOP, 0, 0, &resp);
	if (err == -EBUSY)
		vwdt_complain(vw, "the device refuses to stop a started timer (nowayout)\n");
	err = err ?: vwdt_check_running(vw, VIRTIO_WATCHDOG_CMD_STOP, &resp, false);
	/*
	 * Not stopped, or not known to be: the timer may still run. The core
	 * cleared WDOG_HW_RUNNING before calling us, and (since 6.x) drops
	 * every ping without it.
	 */
	if (err)
		set_bit(WDOG_HW_RUNNING, &wdd->status);
	return err;
}

static int vwdt_ping(struct watchdog_device *wdd)
{
	struct vwdt *vw = watchdog_get_drvdata(wdd);
	struct virtio_watchdog_ctrl_resp resp;
	int err;

	err = vwdt_command(vw, VIRTIO_WATCHDOG_CMD_PING, 0, 0, &resp);
	if (err || resp.running)
		return err;
	/* Expired with an action that left the system running: arm it again. */
	vwdt_complain(vw, "timer was not running (expired?): starting it again\n");
	return vwdt_start(wdd);
}

/* A pretimeout the device takes with this timeout, both in seconds. */
static bool vwdt_pretimeout_fits(const struct vwdt *vw, unsigned int timeout_s,
				 unsigned int pretimeout_s)
{
	u32 pretimeout_ms = vwdt_pretimeout_ms(vw, pretimeout_s);

	return pretimeout_ms <= vw->max_pretimeout_ms &&
	       pretimeout_ms < vwdt_to_device_ms(vw, timeout_s);
}

static int vwdt_set_timeout(struct watchdog_device *wdd, unsigned int t)
{
	struct vwdt *vw = watchdog_get_drvdata(wdd);
	unsigned int pretimeout = vwdt_pretimeout_fits(vw, t, wdd->pretimeout) ?
				  wdd->pretimeout : 0;
	int err = 0;

	if (watchdog_active(wdd) || watchdog_hw_running(wdd))
		err = vwdt_set(vw, VIRTIO_WATCHDOG_CMD_SET_TIMEOUT, t, pretimeout, NULL);
	if (err)
		return err;
	wdd->timeout = t;
	wdd->pretimeout = pretimeout;
	return 0;
}

static int vwdt_set_pretimeout(struct watchdog_device *wdd, unsigned int t)
{
	struct vwdt *vw = watchdog_get_drvdata(wdd);
	int err = 0;

	if (!vwdt_pretimeout_fits(vw, wdd->timeout, t))
		return -EINVAL;
	if (watchdog_active(wdd) || watchdog_hw_running(wdd))
		err = vwdt_set(vw, VIRTIO_WATCHDOG_CMD_SET_TIMEOUT, wdd->timeout, t, NULL);
	if (!err)
		wdd->pretimeout = t;
	return err;
}

static unsigned int vwdt_get_timeleft(struct watchdog_device *wdd)
{
	struct vwdt *vw = watchdog_get_drvdata(wdd);
	struct virtio_watchdog_ctrl_resp resp;
	u32 left;

	if (vwdt_command(vw, VIRTIO_WATCHDOG_CMD_GET_TIMELEFT, 0, 0, &resp))
		return 0;
	left = le32_to_cpu(resp.timeleft_ms);
	if (left > vwdt_to_device_ms(vw, wdd->timeout)) {
		vwdt_complain(vw, "time left %u ms is beyond the timeout of %u s\n",
			      left, wdd->timeout);
		return 0;
	}
	return left / 1000;
}

static int vwdt_basic_ping(struct watchdog_device *wdd)
{
	return vwdt_command(watchdog_get_drvdata(wdd), 0, 0, 0, NULL);
}

static const struct watchdog_ops vwdt_ops = {
	.owner = THIS_MODULE,
	.start = vwdt_start,
	.stop = vwdt_stop,
	.ping = vwdt_ping,
	.set_timeout = vwdt_set_timeout,
	.set_pretimeout = vwdt_set_pretimeout,
};

static const struct watchdog_ops vwdt_timeleft_ops = {
	.owner = THIS_MODULE,
	.start = vwdt_start,
	.stop = vwdt_stop,
	.ping = vwdt_ping,
	.set_timeout = vwdt_set_timeout,
	.set_pretimeout = vwdt_set_pretimeout,
	.get_timeleft = vwdt_get_timeleft,
};

/* No stop: the core pings the device itself while nobody has it open. */
static const struct watchdog_ops vwdt_basic_ops = {
	.owner = THIS_MODULE,
	.start = vwdt_basic_ping,
	.ping = vwdt_basic_ping,
};

static void vwdt_post_event(struct vwdt *vw, struct vwdt_event_buf *buf)
{
	struct scatterlist sg;

	sg_init_one(&sg, &buf->ev, sizeof(buf->ev));
	if (virtqueue_add_inbuf(vw->event_vq, &sg, 1, buf, GFP_ATOMIC))
		vwdt_complain(vw, "event buffer not queued\n");
}

static void vwdt_event_done(struct virtqueue *vq)
{
	struct vwdt *vw = vq->vdev->priv;
	struct vwdt_event_buf *buf;
	unsigned long flags;
	unsigned int len;
	bool kick = false;
	u16 type;

	spin_lock_irqsave(&vw->vq_lock, flags);
	while ((buf = virtqueue_get_buf(vq, &len))) {
		/*
		 * Given back unused, as a device going away does: posting it
		 * again would only have it given back again.
		 */
		if (!len)
			continue;
		/* The device may still be writing the buffer: read it once. */
		type = len >= sizeof(buf->ev.type) ?
		       le16_to_cpu(READ_ONCE(buf->ev.type)) : 0;
		if (len != sizeof(buf->ev) ||
		    type != VIRTIO_WATCHDOG_EVENT_PRETIMEOUT) {
			vwdt_complain(vw, "event of %u bytes, type %u: not a pretimeout event\n",
				      len, type);
		} else if (!watchdog_active(&vw->wdd) || !vw->wdd.pretimeout) {
			vwdt_complain(vw, "pretimeout event with no pretimeout set\n");
		} else {
			watchdog_notify_pretimeout(&vw->wdd);
		}
		if (!vw->gone) {
			vwdt_post_event(vw, buf);
			kick = true;
		}
	}
	if (kick)
		virtqueue_kick(vq);
	spin_unlock_irqrestore(&vw->vq_lock, flags);
}

static int vwdt_setup_vqs(struct vwdt *vw)
{
	struct virtqueue_info vqs_info[VIRTIO_WATCHDOG_VQ_MAX_CNT] = {
		[VIRTIO_WATCHDOG_VQ_CONTROL] = { "control", vwdt_ctrl_done },
		[VIRTIO_WATCHDOG_VQ_EVENT] = { "event", vwdt_event_done },
	};
	struct virtqueue *vqs[VIRTIO_WATCHDOG_VQ_MAX_CNT];
	unsigned int i, nvqs = vw->events ? 2 : 1;
	int err;

	err = virtio_find_vqs(vw->vdev, nvqs, vqs, vqs_info, NULL);
	if (err) {
		dev_err(&vw->vdev->dev, "setting up the queues failed (%d)\n", err);
		return err;
	}
	vw->ctrl_vq = vqs[VIRTIO_WATCHDOG_VQ_CONTROL];
	vw->event_vq = nvqs > 1 ? vqs[VIRTIO_WATCHDOG_VQ_EVENT] : NULL;
	vreq_queue_open(&vw->commands, vw->ctrl_vq);
	virtio_device_ready(vw->vdev);

	spin_lock_irq(&vw->vq_lock);
	vw->gone = false;
	for (i = 0; vw->event_vq && i < VWDT_EVENT_BUFS; i++)
		vwdt_post_event(vw, &vw->events[i]);
	if (vw->event_vq)
		virtqueue_kick(vw->event_vq);
	spin_unlock_irq(&vw->vq_lock);
	return 0;
}

/* Stop the device and delete its queues; what it held is returned. */
static void vwdt_teardown_vqs(struct vwdt *vw)
{
	vreq_queue_close(&vw->commands);
	spin_lock_irq(&vw->vq_lock);
	vw->gone = true;
	spin_unlock_irq(&vw->vq_lock);
	virtio_reset_device(vw->vdev);
	/* Indirect tables of what the device held are freed only by detaching. */
	while (virtqueue_detach_unused_buf(vw->ctrl_vq))
		;
	while (vw->event_vq && virtqueue_detach_unused_buf(vw->event_vq))
		;
	vreq_queue_give_back(&vw->commands, -ENODEV);
	vw->vdev->config->del_vqs(vw->vdev);
	vw->ctrl_vq = NULL;
	vw->event_vq = NULL;
}

/* Read and check the configuration of the control protocol. */
static int vwdt_read_config(struct vwdt *vw)
{
	struct virtio_device *vdev = vw->vdev;
	u32 min_timeout_ms, max_timeout_ms, granularity_ms, max_pretimeout_ms;
	u32 boot_status;

	virtio_cread_le(vdev, struct virtio_watchdog_config, min_timeout_ms, &min_timeout_ms);
	virtio_cread_le(vdev, struct virtio_watchdog_config, max_timeout_ms, &max_timeout_ms);
	virtio_cread_le(vdev, struct virtio_watchdog_config, granularity_ms, &granularity_ms);
	virtio_cread_le(vdev, struct virtio_watchdog_config, max_pretimeout_ms, &max_pretimeout_ms);
	virtio_cread_le(vdev, struct virtio_watchdog_config, boot_status, &boot_status);

	if (!granularity_ms || !min_timeout_ms || min_timeout_ms > max_timeout_ms ||
	    min_timeout_ms % granularity_ms || max_timeout_ms % granularity_ms) {
		dev_err(&vdev->dev, "timeouts of %u to %u ms in steps of %u ms: not a valid range\n",
			min_timeout_ms, max_timeout_ms, granularity_ms);
		return -EINVAL;
	}
	/* The watchdog core counts whole seconds. */
	if (DIV_ROUND_UP(min_timeout_ms, 1000) > max_timeout_ms / 1000) {
		dev_err(&vdev->dev, "timeouts of %u to %u ms: no whole second in range\n",
			min_timeout_ms, max_timeout_ms);
		return -EINVAL;
	}
	if (!virtio_has_feature(vdev, VIRTIO_WATCHDOG_F_PRETIMEOUT)) {
		max_pretimeout_ms = 0;
	} else if (max_pretimeout_ms >= max_timeout_ms || max_pretimeout_ms % granularity_ms) {
		dev_err(&vdev->dev, "maximum pretimeout %u ms: not below %u ms in steps of %u ms\n",
			max_pretimeout_ms, max_timeout_ms, granularity_ms);
		return -EINVAL;
	}
	if (!virtio_has_feature(vdev, VIRTIO_WATCHDOG_F_BOOT_STATUS)) {
		boot_status = 0;
	} else if (boot_status & ~VIRTIO_WATCHDOG_BOOT_EXPIRED) {
		dev_warn(&vdev->dev, "boot status %#x has undefined bits: ignored\n",
			 boot_status);
		boot_status &= VIRTIO_WATCHDOG_BOOT_EXPIRED;
	}

	vw->max_ms = max_timeout_ms;
	vw->granularity_ms = granularity_ms;
	vw->max_pretimeout_ms = max_pretimeout_ms;
	vw->wdd.min_timeout = DIV_ROUND_UP(min_timeout_ms, 1000);
	vw->wdd.max_timeout = max_timeout_ms / 1000;
	if (boot_status & VIRTIO_WATCHDOG_BOOT_EXPIRED)
		vw->wdd.bootstatus = WDIOF_CARDRESET;
	return 0;
}

static void vwdt_init_basic(struct vwdt *vw)
{
	vw->basic = true;
	vw->wdd.ops = &vwdt_basic_ops;
	vw->wdd.timeout = VIRTIO_WATCHDOG_BASIC_TIMEOUT;
	vw->wdd.min_timeout = VIRTIO_WATCHDOG_BASIC_TIMEOUT;
	vw->wdd.max_timeout = VIRTIO_WATCHDOG_BASIC_TIMEOUT;
	vw->wdd.max_hw_heartbeat_ms = VIRTIO_WATCHDOG_BASIC_TIMEOUT * 1000;
	vw->info.options = WDIOF_KEEPALIVEPING | WDIOF_MAGICCLOSE;
}

static int vwdt_init_control(struct vwdt *vw)
{
	struct virtio_device *vdev = vw->vdev;
	int err;

	err = vwdt_read_config(vw);
	if (err)
		return err;
	vw->wdd.ops = virtio_has_feature(vdev, VIRTIO_WATCHDOG_F_TIMELEFT) ?
		      &vwdt_timeleft_ops : &vwdt_ops;
	vw->info.options = WDIOF_SETTIMEOUT | WDIOF_KEEPALIVEPING | WDIOF_MAGICCLOSE;
	if (vw->max_pretimeout_ms) {
		vw->info.options |= WDIOF_PRETIMEOUT;
		vw->events = kcalloc(VWDT_EVENT_BUFS, sizeof(*vw->events), GFP_KERNEL);
		if (!vw->events)
			return -ENOMEM;
	}
	if (virtio_has_feature(vdev, VIRTIO_WATCHDOG_F_BOOT_STATUS))
		vw->info.options |= WDIOF_CARDRESET;
	/* the default; probe lets the watchdog core check the parameter */
	vw->wdd.timeout = clamp(VWDT_DEFAULT_TIMEOUT, vw->wdd.min_timeout,
				vw->wdd.max_timeout);
	return 0;
}

/*
 * The first command: our timeout, and whether the timer runs, as it does
 * when it survived a device reset under VIRTIO_WATCHDOG_F_NOWAYOUT. Then
 * the core pings it until somebody opens /dev/watchdogN.
 */
static int vwdt_adopt_running(struct vwdt *vw)
{
	struct virtio_watchdog_ctrl_resp resp;
	int err;

	err = vwdt_set(vw, VIRTIO_WATCHDOG_CMD_SET_TIMEOUT, vw->wdd.timeout, 0, &resp);
	if (err)
		return err;
	if (resp.running) {
		set_bit(WDOG_HW_RUNNING, &vw->wdd.status);
		dev_info(&vw->vdev->dev, "timer already running: kept pinged\n");
	}
	return 0;
}

static int vwdt_validate(struct virtio_device *vdev)
{
	unsigned int bit;

	if (!virtio_has_feature(vdev, VIRTIO_WATCHDOG_F_CONTROL)) {
		/* Every other feature extends the control protocol. */
		for (bit = VIRTIO_WATCHDOG_F_PRETIMEOUT;
		     bit <= VIRTIO_WATCHDOG_F_BOOT_STATUS; bit++)
			__virtio_clear_bit(vdev, bit);
		return 0;
	}
	if (!vdev->config->get) {
		dev_err(&vdev->dev, "transport has no configuration access\n");
		return -EINVAL;
	}
	return 0;
}

static int vwdt_probe(struct virtio_device *vdev)
{
	struct vwdt *vw;
	int err = 0;

	vw = kzalloc(sizeof(*vw), GFP_KERNEL);
	if (!vw)
		return -ENOMEM;
	vw->vdev = vdev;
	vdev->priv = vw;
	mutex_init(&vw->lock);
	vreq_queue_init(&vw->commands);
	spin_lock_init(&vw->vq_lock);
	/* Per device: one device's complaints cannot hide another's. */
	ratelimit_state_init(&vw->rs, 5 * HZ, 10);

	if (virtio_has_feature(vdev, VIRTIO_WATCHDOG_F_CONTROL))
		err = vwdt_init_control(vw);
	else
		vwdt_init_basic(vw);
	if (err)
		goto free;
	strscpy(vw->info.identity, "virtio watchdog", sizeof(vw->info.identity));
	vw->wdd.info = &vw->info;
	vw->wdd.parent = &vdev->dev;
	/* a timeout out of the device's range: a message, and the default */
	if (!vw->basic)
		watchdog_init_timeout(&vw->wdd, timeout, NULL);
	watchdog_set_drvdata(&vw->wdd, vw);
	watchdog_set_nowayout(&vw->wdd, nowayout ||
			      virtio_has_feature(vdev, VIRTIO_WATCHDOG_F_NOWAYOUT));
	if (!vw->basic)
		watchdog_stop_on_reboot(&vw->wdd);

	err = vwdt_setup_vqs(vw);
	if (err)
		goto free;
	if (!vw->basic) {
		err = vwdt_adopt_running(vw);
		if (err)
			goto teardown;
	}
	err = watchdog_register_device(&vw->wdd);
	if (err) {
		dev_err(&vdev->dev, "registering with the watchdog core failed (%d)\n", err);
		goto teardown;
	}
	dev_info(&vdev->dev, "watchdog%d: %s, timeout %u s (%u to %u s)%s\n", vw->wdd.id,
		 vw->basic ? "Cloud Hypervisor protocol" : "control protocol",
		 vw->wdd.timeout, vw->wdd.min_timeout, vw->wdd.max_timeout,
		 vw->max_pretimeout_ms ? ", pretimeout" : "");
	return 0;

teardown:
	vwdt_teardown_vqs(vw);
free:
	kfree(vw->events);
	kfree(vw);
	return err;
}

static void vwdt_remove(struct virtio_device *vdev)
{
	struct vwdt *vw = vdev->priv;

	/*
	 * The device first: an op waiting for a command holds the watchdog
	 * core's lock that unregistering takes, and only the reset returns
	 * the command (as -ENODEV) before answer_ms. Ops fail with -ENODEV
	 * from here on; once unregistered, none runs.
	 */
	vwdt_teardown_vqs(vw);
	watchdog_unregister_device(&vw->wdd);
	kfree(vw->events);
	kfree(vw);
}

#ifdef CONFIG_PM_SLEEP
static int vwdt_freeze(struct virtio_device *vdev)
{
	struct vwdt *vw = vdev->priv;

	/* Reset stops the timer (unless nowayout); restore starts it again. */
	vwdt_teardown_vqs(vw);
	return 0;
}

static int vwdt_restore(struct virtio_device *vdev)
{
	struct vwdt *vw = vdev->priv;
	int err;

	err = vwdt_setup_vqs(vw);
	if (err)
		return err;
	/* After a reset SET_TIMEOUT comes first, as after probe. */
	if (!vw->basic) {
		err = vwdt_adopt_running(vw);
		if (err)
			return err;
	}
	if (!(watchdog_active(&vw->wdd) || watchdog_hw_running(&vw->wdd)))
		return 0;
	return vw->basic ? vwdt_basic_ping(&vw->wdd) : vwdt_start(&vw->wdd);
}
#endif

static const unsigned int vwdt_features[] = {
	VIRTIO_WATCHDOG_F_CONTROL,
	VIRTIO_WATCHDOG_F_PRETIMEOUT,
	VIRTIO_WATCHDOG_F_NOWAYOUT,
	VIRTIO_WATCHDOG_F_TIMELEFT,
	VIRTIO_WATCHDOG_F_BOOT_STATUS,
};

static const struct virtio_device_id vwdt_id_table[] = {
	{ VIRTIO_ID_WATCHDOG, VIRTIO_DEV_ANY_ID },
	{ 0 },
};
MODULE_DEVICE_TABLE(virtio, vwdt_id_table);

static struct virtio_driver vwdt_driver = {
	.driver.name = KBUILD_MODNAME,
	.id_table = vwdt_id_table,
	.feature_table = vwdt_features,
	.feature_table_size = ARRAY_SIZE(vwdt_features),
	.validate = vwdt_validate,
	.probe = vwdt_probe,
	.remove = vwdt_remove,
#ifdef CONFIG_PM_SLEEP
	.freeze = vwdt_freeze,
	.restore = vwdt_restore,
#endif
};
module_virtio_driver(vwdt_driver);

MODULE_DESCRIPTION("Virtio watchdog driver (watchdog core, Cloud Hypervisor protocol)");
MODULE_AUTHOR("virtio-extra developers");
MODULE_LICENSE("GPL");
