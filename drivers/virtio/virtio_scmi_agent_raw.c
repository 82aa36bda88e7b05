// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_scmi_agent: the raw message interface, in debugfs, named and laid
 * out as Linux's SCMI raw mode (Documentation/ABI/testing/debugfs-scmi-raw)
 * so that tools written for it work unchanged:
 *
 *	scmi/<n>/raw/message		write a command, read its response
 *	scmi/<n>/raw/message_async	the same for an async command; its
 *					delayed response is read after
 *	scmi/<n>/raw/notification	read notifications
 *	scmi/<n>/raw/errors		read what broke the protocol, or came
 *					unasked for
 *	scmi/<n>/raw/reset		any write empties the queues
 *	scmi/<n>/transport/...		the transport's properties
 *
 * A write is one whole message (little-endian header, its token chosen by
 * the writer, then the payload); a read gives one message, then end of
 * file. Each queue keeps its last VSCMI_RAW_QUEUE_LEN messages.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/virtio.h>

#include "virtio_scmi_agent.h"

#define VSCMI_RAW_QUEUE_LEN	32

enum vscmi_raw_queue_id {
	VSCMI_RAW_REPLY,
	VSCMI_RAW_REPLY_ASYNC,
	VSCMI_RAW_NOTIFICATION,
	VSCMI_RAW_ERRORS,
	VSCMI_RAW_QUEUES,
};

/**
 * struct vscmi_raw_msg - a queued message
 * @node: in its queue.
 * @pdu: the message.
 */
struct vscmi_raw_msg {
	struct list_head node;
	struct vscmi_pdu pdu;
};

/**
 * struct vscmi_raw_queue - messages for readers of one file
 * @raw: the interface it belongs to.
 * @id: which queue it is.
 * @msgs: oldest first.
 * @len: how many.
 * @wait: readers and pollers.
 */
struct vscmi_raw_queue {
	struct vscmi_raw *raw;
	enum vscmi_raw_queue_id id;
	struct list_head msgs;
	unsigned int len;
	wait_queue_head_t wait;
};

/**
 * struct vscmi_raw - the raw interface of one agent
 * @sa: the agent.
 * @dir: its scmi/<n> directory.
 * @lock: the queues and @dying.
 * @queues: one per readable file.
 * @dying: the device goes: reads end with -ENODEV.
 * @max_rx_timeout_ms: answer_ms when the interface was made.
 * @max_msg_size: the longest payload.
 * @tx_max_msg: commands in flight at most.
 * @rx_max_msg: event buffers.
 */
struct vscmi_raw {
	struct vscmi *sa;
	struct dentry *dir;
	spinlock_t lock; /* the queues, against the event work */
	struct vscmi_raw_queue queues[VSCMI_RAW_QUEUES];
	bool dying;
	u32 max_rx_timeout_ms;
	u32 max_msg_size;
	u32 tx_max_msg;
	u32 rx_max_msg;
};

/**
 * struct vscmi_raw_file - one open file
 * @q: the queue it reads.
 * @msg: the message being read, or NULL.
 */
struct vscmi_raw_file {
	struct vscmi_raw_queue *q;
	struct vscmi_raw_msg *msg;
};

static struct dentry *vscmi_debugfs_root;

/* Any context: the oldest message goes when the queue is full. */
static void vscmi_raw_queue(struct vscmi *sa, enum vscmi_raw_queue_id id,
			    const struct vscmi_pdu *pdu)
{
	struct vscmi_raw *raw = sa->raw;
	struct vscmi_raw_msg *msg, *old = NULL;
	struct vscmi_raw_queue *q;
	unsigned long flags;

	if (!raw)
		return;
	msg = kmalloc(sizeof(*msg), GFP_ATOMIC);
	if (!msg)
		return;
	msg->pdu = *pdu;
	q = &raw->queues[id];
	spin_lock_irqsave(&raw->lock, flags);
	if (q->len == VSCMI_RAW_QUEUE_LEN) {
		old = list_first_entry(&q->msgs, struct vscmi_raw_msg, node);
		list_del(&old->node);
		q->len--;
	}
	list_add_tail(&msg->node, &q->msgs);
	q->len++;
	spin_unlock_irqrestore(&raw->lock, flags);
	kfree(old);
	wake_up_interruptible(&q->wait);
}

/**
 * vscmi_raw_queue_reply - a response, or delayed response, to a raw command
 * @sa: the agent
 * @pdu: the message
 * @async: to message_async's readers, else to message's
 */
void vscmi_raw_queue_reply(struct vscmi *sa, const struct vscmi_pdu *pdu, bool async)
{
	vscmi_raw_queue(sa, async ? VSCMI_RAW_REPLY_ASYNC : VSCMI_RAW_REPLY, pdu);
}

/**
 * vscmi_raw_queue_notification - a notification, for notification's readers
 * @sa: the agent
 * @pdu: the message
 */
void vscmi_raw_queue_notification(struct vscmi *sa, const struct vscmi_pdu *pdu)
{
	vscmi_raw_queue(sa, VSCMI_RAW_NOTIFICATION, pdu);
}

/**
 * vscmi_raw_queue_error - a message that broke the protocol or that nobody
 *	awaited, for errors' readers
 * @sa: the agent
 * @pdu: the message
 */
void vscmi_raw_queue_error(struct vscmi *sa, const struct vscmi_pdu *pdu)
{
	vscmi_raw_queue(sa, VSCMI_RAW_ERRORS, pdu);
}

static void vscmi_raw_flush(struct vscmi_raw *raw)
{
	struct vscmi_raw_msg *msg, *tmp;
	LIST_HEAD(gone);
	unsigned int i;

	spin_lock_irq(&raw->lock);
	for (i = 0; i < VSCMI_RAW_QUEUES; i++) {
		list_splice_init(&raw->queues[i].msgs, &gone);
		raw->queues[i].len = 0;
	}
	spin_unlock_irq(&raw->lock);
	list_for_each_entry_safe(msg, tmp, &gone, node)
		kfree(msg);
}

static int vscmi_raw_open(struct inode *inode, struct file *file)
{
	struct vscmi_raw_file *rf;

	rf = kzalloc(sizeof(*rf), GFP_KERNEL);
	if (!rf)
		return -ENOMEM;
	rf->q = inode->i_private;
	file->private_data = rf;
	return nonseekable_open(inode, file);
}

static int vscmi_raw_release(struct inode *inode, struct file *file)
{
	struct vscmi_raw_file *rf = file->private_data;

	kfree(rf->msg);
	kfree(rf);
	return 0;
}

/* The next message of the file's queue, waiting unless O_NONBLOCK. */
static int vscmi_raw_take(struct vscmi_raw_file *rf, bool nonblock)
{
	struct vscmi_raw_queue *q = rf->q;
	struct vscmi_raw *raw = q->raw;
	int err;

	for (;;) {
		spin_lock_irq(&raw->lock);
		if (raw->dying) {
			err = -ENODEV;
		} else if (q->len) {
			rf->msg = list_first_entry(&q->msgs, struct vscmi_raw_msg, node);
			list_del(&rf->msg->node);
			q->len--;
			err = 0;
		} else {
			err = -EAGAIN;
		}
		spin_unlock_irq(&raw->lock);
		if (err != -EAGAIN || nonblock)
			return err;
		err = wait_event_interruptible(q->wait, READ_ONCE(q->len) || READ_ONCE(raw->dying));
		if (err)
			return err;
	}
}

/* One message, then end of file; the next read takes the next message. */
static ssize_t vscmi_raw_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	struct vscmi_raw_file *rf = file->private_data;
	ssize_t n;
	int err;

	if (!rf->msg) {
		err = vscmi_raw_take(rf, file->f_flags & O_NONBLOCK);
		if (err)
			return err;
		*ppos = 0;
	}
	n = simple_read_from_buffer(buf, count, ppos, rf->msg->pdu.data, rf->msg->pdu.len);
	if (n == 0) {
		kfree(rf->msg);
		rf->msg = NULL;
	}
	return n;
}

static __poll_t vscmi_raw_poll(struct file *file, poll_table *wait)
{
	struct vscmi_raw_file *rf = file->private_data;
	struct vscmi_raw *raw = rf->q->raw;
	__poll_t mask = 0;

	poll_wait(file, &rf->q->wait, wait);
	spin_lock_irq(&raw->lock);
	if (rf->msg || rf->q->len)
		mask |= EPOLLIN | EPOLLRDNORM;
	if (raw->dying)
		mask |= EPOLLERR;
	spin_unlock_irq(&raw->lock);
	return mask;
}

/* A command: sent as written, its response queued for the file's readers. */
static ssize_t vscmi_raw_write(struct file *file, const char __user *buf, size_t count,
			       loff_t *ppos)
{
	struct vscmi_raw_file *rf = file->private_data;
	struct vscmi *sa = rf->q->raw->sa;
	bool async = rf->q->id == VSCMI_RAW_REPLY_ASYNC;
	u8 msg[4 + VSCMI_MAX_PAYLOAD];
	struct vscmi_xfer *xfer;
	int err;

	if (count < 4)
		return -EINVAL;
	if (count > sizeof(msg))
		return -ERANGE;
	if (copy_from_user(msg, buf, count))
		return -EFAULT;
	if (vscmi_hdr_type(vscmi_le32(msg)) != VIRTIO_SCMI_MSG_TYPE_COMMAND)
		return -EINVAL;

	xfer = kzalloc(sizeof(*xfer), GFP_KERNEL);
	if (!xfer)
		return -ENOMEM;
	xfer->hdr = vscmi_le32(msg);
	xfer->keep_token = true;
	xfer->tx = msg + 4;
	xfer->tx_len = count - 4;
	if (async) {
		xfer->delayed = kzalloc(sizeof(*xfer->delayed), GFP_KERNEL);
		if (!xfer->delayed) {
			kfree(xfer);
			return -ENOMEM;
		}
		xfer->delayed->raw = true;
	}
	err = vscmi_xfer(sa, xfer);
	if (!err)
		vscmi_raw_queue_reply(sa, &xfer->resp, async);
	else if (err == -EPROTO && xfer->resp.len)
		vscmi_raw_queue_error(sa, &xfer->resp);
	/* NULL when the agent awaits the delayed response */
	kfree(xfer->delayed);
	kfree(xfer);
	return err ?: count;
}

static ssize_t vscmi_raw_reset_write(struct file *file, const char __user *buf,
				     size_t count, loff_t *ppos)
{
	struct vscmi_raw *raw = file->private_data;

	vscmi_raw_flush(raw);
	return count;
}

static const struct file_operations vscmi_raw_fops = {
	.owner = THIS_MODULE,
	.open = vscmi_raw_open,
	.release = vscmi_raw_release,
	.read = vscmi_raw_read,
	.write = vscmi_raw_write,
	.poll = vscmi_raw_poll,
};

static const struct file_operations vscmi_raw_reset_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = vscmi_raw_reset_write,
};

static int vscmi_instance_name_show(struct seq_file *s, void *unused)
{
	struct vscmi *sa = s->private;

	seq_printf(s, "%s\n", dev_name(&sa->vdev->dev));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vscmi_instance_name);

static int vscmi_transport_type_show(struct seq_file *s, void *unused)
{
	seq_puts(s, "virtio\n");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vscmi_transport_type);

/**
 * vscmi_raw_create - the raw interface and the transport's properties, in
 *	debugfs scmi/<n>/
 * @sa: the agent
 *
 * Without debugfs (or when another SCMI driver has scmi/), the agent works
 * without them.
 *
 * Return: 0 or -ENOMEM.
 */
int vscmi_raw_create(struct vscmi *sa)
{
	static const char * const names[VSCMI_RAW_QUEUES] = {
		[VSCMI_RAW_REPLY] = "message",
		[VSCMI_RAW_REPLY_ASYNC] = "message_async",
		[VSCMI_RAW_NOTIFICATION] = "notification",
		[VSCMI_RAW_ERRORS] = "errors",
	};
	struct dentry *raw_dir, *transport;
	struct vscmi_raw *raw;
	char name[16];
	unsigned int i;

	raw = kzalloc(sizeof(*raw), GFP_KERNEL);
	if (!raw)
		return -ENOMEM;
	raw->sa = sa;
	spin_lock_init(&raw->lock);
	for (i = 0; i < VSCMI_RAW_QUEUES; i++) {
		raw->queues[i].raw = raw;
		raw->queues[i].id = i;
		INIT_LIST_HEAD(&raw->queues[i].msgs);
		init_waitqueue_head(&raw->queues[i].wait);
	}
	raw->max_rx_timeout_ms = vscmi_answer_ms();
	raw->max_msg_size = VSCMI_MAX_PAYLOAD;
	raw->tx_max_msg = 1;
	raw->rx_max_msg = sa->events.nbufs;

	snprintf(name, sizeof(name), "%d", sa->index);
	raw->dir = debugfs_create_dir(name, vscmi_debugfs_root);
	raw_dir = debugfs_create_dir("raw", raw->dir);
	for (i = 0; i < VSCMI_RAW_QUEUES; i++)
		debugfs_create_file(names[i], i < VSCMI_RAW_NOTIFICATION ? 0600 : 0400,
				    raw_dir, &raw->queues[i], &vscmi_raw_fops);
	debugfs_create_file("reset", 0200, raw_dir, raw, &vscmi_raw_reset_fops);
	transport = debugfs_create_dir("transport", raw->dir);
	debugfs_create_file("type", 0400, transport, sa, &vscmi_transport_type_fops);
	debugfs_create_u32("max_rx_timeout_ms", 0400, transport, &raw->max_rx_timeout_ms);
	debugfs_create_u32("max_msg_size", 0400, transport, &raw->max_msg_size);
	debugfs_create_u32("tx_max_msg", 0400, transport, &raw->tx_max_msg);
	debugfs_create_u32("rx_max_msg", 0400, transport, &raw->rx_max_msg);
	/* last: tools find the directory by it, complete */
	debugfs_create_file("instance_name", 0400, raw->dir, sa, &vscmi_instance_name_fops);

	spin_lock_irq(&sa->event_lock);
	sa->raw = raw;
	spin_unlock_irq(&sa->event_lock);
	return 0;
}

/**
 * vscmi_raw_shutdown - end the reads that wait: the device goes
 * @sa: the agent
 *
 * Writes end when the device is reset (vscmi_stop()).
 */
void vscmi_raw_shutdown(struct vscmi *sa)
{
	struct vscmi_raw *raw = sa->raw;
	unsigned int i;

	spin_lock_irq(&raw->lock);
	raw->dying = true;
	spin_unlock_irq(&raw->lock);
	for (i = 0; i < VSCMI_RAW_QUEUES; i++)
		wake_up_interruptible_all(&raw->queues[i].wait);
}

/**
 * vscmi_raw_destroy - remove the interface, once the device is reset
 * @sa: the agent
 *
 * debugfs waits for the file operations under way to end.
 */
void vscmi_raw_destroy(struct vscmi *sa)
{
	struct vscmi_raw *raw = sa->raw;

	debugfs_remove_recursive(raw->dir);
	sa->raw = NULL;
	vscmi_raw_flush(raw);
	kfree(raw);
}

/**
 * vscmi_raw_init - debugfs scmi/, for the module
 *
 * Return: 0; without debugfs, or with scmi/ taken by Linux's SCMI core,
 * the agents have no raw interface.
 */
int vscmi_raw_init(void)
{
	vscmi_debugfs_root = debugfs_create_dir("scmi", NULL);
	if (IS_ERR(vscmi_debugfs_root))
		pr_info("virtio_scmi_agent: no debugfs scmi/ (%ld): no raw interface\n",
			PTR_ERR(vscmi_debugfs_root));
	return 0;
}

/** vscmi_raw_exit - remove debugfs scmi/ */
void vscmi_raw_exit(void)
{
	debugfs_remove(vscmi_debugfs_root);
}
