// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_param: the device, its requests and its events.
 *
 * Requests go one at a time on the request queue (virtio_request.c): one
 * the device never answers is abandoned, and no other goes until the
 * device answers it or is reset. Events come on the event queue
 * (virtio_event_queue.c), each checked and used as a copy the device can
 * no longer write.
 *
 * At probe the driver reads the property table (virtio_param_table.c),
 * makes the sysfs tree (virtio_param_sysfs.c), and subscribes to every
 * ON_CHANGE property; CONTINUOUS ones are subscribed when a rate is
 * written.
 */
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>

#include "virtio_param.h"

static unsigned int answer_ms = 2000;
module_param(answer_ms, uint, 0644);
MODULE_PARM_DESC(answer_ms, "How long the device may take to answer a request (ms)");

#define VPARAM_EVENT_BUFS	32
/* The largest event: its head, the value's head and its data. */
#define VPARAM_EVENT_LEN	(sizeof(struct virtio_param_event) + VPARAM_VALUE_LEN + \
				 VPARAM_MAX_VALUE)

/**
 * struct vparam_cmd - one request on its way through the device
 * @req: its life on the request queue.
 * @tx: the request and its data, device-readable.
 * @rx: the response and its payload, device-writable, on cache lines of
 *	its own (a separate allocation).
 */
struct vparam_cmd {
	struct vreq req;
	u8 *tx;
	u8 *rx;
};

static void vparam_cmd_release(struct vreq *req)
{
	struct vparam_cmd *cmd = container_of(req, struct vparam_cmd, req);

	kfree(cmd->tx);
	kfree(cmd->rx);
	kfree(cmd);
}

/**
 * vparam_status_errno - a result of the device as an errno
 * @status: the result; its vendor code (high 16 bits) does not matter
 *
 * Return: 0 or a negative errno (Documentation/misc-devices/virtio-param.rst
 * has the table).
 */
int vparam_status_errno(u32 status)
{
	switch (status & VIRTIO_PARAM_STATUS_SYSTEM_MASK) {
	case VIRTIO_PARAM_S_OK:
		return 0;
	case VIRTIO_PARAM_S_TRY_AGAIN:
		return -EAGAIN;
	case VIRTIO_PARAM_S_INVALID_ARG:
		return -EINVAL;
	case VIRTIO_PARAM_S_NOT_AVAILABLE:
	case VIRTIO_PARAM_S_NOT_AVAILABLE_DISABLED:
	case VIRTIO_PARAM_S_NOT_AVAILABLE_POOR_VISIBILITY:
		return -ENODATA;
	case VIRTIO_PARAM_S_NOT_AVAILABLE_SPEED_LOW:
	case VIRTIO_PARAM_S_NOT_AVAILABLE_SPEED_HIGH:
	case VIRTIO_PARAM_S_NOT_AVAILABLE_SAFETY:
		return -EBUSY;
	case VIRTIO_PARAM_S_ACCESS_DENIED:
		return -EACCES;
	default:
		return -EIO;
	}
}

/**
 * vparam_request - send one request and take its answer
 * @vp: the device
 * @type: VIRTIO_PARAM_REQ_*
 * @prop: its prop field
 * @area: its area field
 * @arg: its arg field
 * @data: what follows the request (SET, SUBSCRIBE), or NULL
 * @data_len: its length
 * @payload: where the response's payload goes, or NULL
 * @payload_len: the most payload it takes
 *
 * The response's length is checked: its head whole, its len within what
 * the device wrote and within @payload_len, and 0 unless the status is OK.
 *
 * Return: the payload's length, or a negative errno: the status's
 * (vparam_status_errno()), -ETIMEDOUT, -EPROTO for a response that breaks
 * the specification, -ENODEV when the device is gone, -EIO, -ENOMEM.
 */
int vparam_request(struct vparam *vp, u16 type, u32 prop, u32 area, u32 arg,
		   const void *data, unsigned int data_len, void *payload,
		   unsigned int payload_len)
{
	struct scatterlist out, in, *sgs[2] = { &out, &in };
	struct virtio_param_req *req;
	struct virtio_param_resp resp;
	unsigned int rx_len = sizeof(resp) + payload_len, used;
	struct vparam_cmd *cmd;
	int err;

	cmd = kzalloc(sizeof(*cmd), GFP_KERNEL);
	if (!cmd)
		return -ENOMEM;
	cmd->tx = kzalloc(sizeof(*req) + data_len, GFP_KERNEL);
	cmd->rx = kzalloc(rx_len, GFP_KERNEL);
	if (!cmd->tx || !cmd->rx) {
		vparam_cmd_release(&cmd->req);
		return -ENOMEM;
	}
	vreq_init(&cmd->req, vparam_cmd_release);
	req = (struct virtio_param_req *)cmd->tx;
	req->type = cpu_to_le16(type);
	req->prop = cpu_to_le32(prop);
	req->area = cpu_to_le32(area);
	req->arg = cpu_to_le32(arg);
	if (data_len)
		memcpy(cmd->tx + sizeof(*req), data, data_len);
	sg_init_one(&out, cmd->tx, sizeof(*req) + data_len);
	sg_init_one(&in, cmd->rx, rx_len);

	mutex_lock(&vp->lock);
	err = vreq_submit(&vp->requests, &cmd->req, sgs, 1, 1);
	if (err) {
		mutex_unlock(&vp->lock);
		vparam_cmd_release(&cmd->req);
		if (err == -EBUSY) {
			vparam_complain(vp, "the device still holds a request it never answered\n");
			return -EIO;
		}
		return err == -ENODEV ? err : -EIO;
	}
	if (!vreq_wait(&vp->requests, &cmd->req, READ_ONCE(answer_ms))) {
		mutex_unlock(&vp->lock);
		vparam_complain(vp, "request %u of property 0x%08x not answered in %u ms\n",
				type, prop, READ_ONCE(answer_ms));
		return -ETIMEDOUT;
	}
	mutex_unlock(&vp->lock);

	/* the answer is the driver's now: copy what counts, once */
	err = cmd->req.status;
	used = cmd->req.used_len;
	if (!err && (used < sizeof(resp) || used > rx_len)) {
		vparam_complain(vp, "request %u of property 0x%08x answered with %u bytes, in %u\n",
				type, prop, used, rx_len);
		err = -EPROTO;
	}
	if (err)
		goto out;
	memcpy(&resp, cmd->rx, sizeof(resp));
	err = vparam_status_errno(le32_to_cpu(resp.status));
	if (!err && le32_to_cpu(resp.len) > used - sizeof(resp)) {
		vparam_complain(vp, "request %u of 0x%08x: %u bytes of payload said, %zu written\n",
				type, prop, le32_to_cpu(resp.len), used - sizeof(resp));
		err = -EPROTO;
	}
	if (err)
		goto out;
	if (le32_to_cpu(resp.len) && payload)
		memcpy(payload, cmd->rx + sizeof(resp), le32_to_cpu(resp.len));
	err = le32_to_cpu(resp.len);
out:
	vparam_cmd_release(&cmd->req);
	return err;
}

/**
 * vparam_get - GET the value of one area
 * @vp: the device
 * @area: the area
 * @status: its status (VIRTIO_PARAM_VALUE_STATUS_*)
 * @data: its data, VPARAM_MAX_VALUE bytes
 * @len: their length
 *
 * Return: 0, or a negative errno; -EPROTO for a value that is not of the
 * area asked, or whose data break its type.
 */
int vparam_get(struct vparam *vp, struct vparam_area *area, u32 *status, void *data,
	       unsigned int *len)
{
	struct vparam_prop *prop = area->prop;
	struct virtio_param_value *value;
	u8 *payload;
	int n, err = 0;

	payload = kmalloc(VPARAM_VALUE_LEN + vp->max_value_size, GFP_KERNEL);
	if (!payload)
		return -ENOMEM;
	n = vparam_request(vp, VIRTIO_PARAM_REQ_GET, prop->id, area->id, 0, NULL, 0,
			   payload, VPARAM_VALUE_LEN + vp->max_value_size);
	if (n < 0) {
		err = n;
		goto out;
	}
	value = (struct virtio_param_value *)payload;
	*len = n >= VPARAM_VALUE_LEN ? le32_to_cpu(value->len) : 0;
	*status = n >= VPARAM_VALUE_LEN ? le32_to_cpu(value->status) : U32_MAX;
	if (n < VPARAM_VALUE_LEN || le32_to_cpu(value->prop) != prop->id ||
	    le32_to_cpu(value->area) != area->id || *len != n - VPARAM_VALUE_LEN ||
	    *status > VIRTIO_PARAM_VALUE_STATUS_ERROR ||
	    (*status != VIRTIO_PARAM_VALUE_STATUS_AVAILABLE && *len) ||
	    (*status == VIRTIO_PARAM_VALUE_STATUS_AVAILABLE &&
	     !vparam_value_len_ok(vparam_type(prop->id), *len, payload + VPARAM_VALUE_LEN))) {
		vparam_complain(vp, "GET of 0x%08x area 0x%x: a value that breaks the spec\n",
				prop->id, area->id);
		err = -EPROTO;
		goto out;
	}
	memcpy(data, payload + VPARAM_VALUE_LEN, *len);
out:
	kfree(payload);
	return err;
}

/**
 * vparam_set - SET the value of one area
 * @vp: the device
 * @area: the area
 * @data: the value's data, as its type encodes it
 * @len: their length
 *
 * Return: 0 when the device accepted it, or a negative errno.
 */
int vparam_set(struct vparam *vp, struct vparam_area *area, const void *data,
	       unsigned int len)
{
	int n;

	n = vparam_request(vp, VIRTIO_PARAM_REQ_SET, area->prop->id, area->id, len, data, len,
			   NULL, 0);
	return n < 0 ? n : 0;
}

/**
 * vparam_subscribe - subscribe to a property's events, or unsubscribe
 * @vp: the device
 * @prop: the property, not STATIC
 * @rate_mhz: CONTINUOUS: the rate, 0 to unsubscribe; ON_CHANGE: 0
 *
 * Every area of the property is subscribed to.
 *
 * Return: 0, or a negative errno.
 */
int vparam_subscribe(struct vparam *vp, struct vparam_prop *prop, u32 rate_mhz)
{
	struct virtio_param_subscribe sub = {
		.sample_rate_mhz = cpu_to_le32(rate_mhz),
	};
	int n;

	if (prop->change_mode == VIRTIO_PARAM_CHANGE_MODE_CONTINUOUS && !rate_mhz)
		n = vparam_request(vp, VIRTIO_PARAM_REQ_UNSUBSCRIBE, prop->id, 0, 0, NULL, 0,
				   NULL, 0);
	else
		n = vparam_request(vp, VIRTIO_PARAM_REQ_SUBSCRIBE, prop->id, 0, 0, &sub,
				   sizeof(sub), NULL, 0);
	return n < 0 ? n : 0;
}

/* An event of a length that cannot be: counted, and said. */
static void vparam_event_len_wrong(struct vparam *vp, unsigned int len)
{
	vparam_complain(vp, "event of %u bytes, in a buffer of %zu: dropped\n",
			len, VPARAM_EVENT_LEN);
	spin_lock_irq(&vp->event_lock);
	vp->stats.events++;
	vp->stats.invalid++;
	spin_unlock_irq(&vp->event_lock);
}

/* Check one event's copy and tell who watches its area. */
static void vparam_take_event(struct vevq *q, const void *data, unsigned int len)
{
	struct vparam *vp = container_of(q, struct vparam, events);
	const struct virtio_param_event *ev = data;
	const struct virtio_param_value *value = (const void *)(ev + 1);
	/* published once its sysfs tree exists: events before it are lies */
	struct vparam_table *table = smp_load_acquire(&vp->events_table);
	struct vparam_prop *prop = NULL;
	struct vparam_area *area = NULL;
	u32 status = 0, vlen = 0, type = 0;
	bool ok = !!table, status_changed = false;

	if (len < sizeof(*ev) + VPARAM_VALUE_LEN || len > VPARAM_EVENT_LEN) {
		vparam_event_len_wrong(vp, len);
		return;
	}
	if (ok) {
		type = le16_to_cpu(ev->type);
		status = le32_to_cpu(value->status);
		vlen = le32_to_cpu(value->len);
		prop = vparam_find_prop(table, le32_to_cpu(value->prop));
		area = prop ? vparam_find_area(prop, le32_to_cpu(value->area)) : NULL;
		ok = area && vlen == len - sizeof(*ev) - VPARAM_VALUE_LEN &&
		     vlen <= vp->max_value_size &&
		     status <= VIRTIO_PARAM_VALUE_STATUS_ERROR &&
		     (status == VIRTIO_PARAM_VALUE_STATUS_AVAILABLE || !vlen);
	}
	if (ok && type == VIRTIO_PARAM_EVENT_PROPERTY)
		ok = prop->change_mode != VIRTIO_PARAM_CHANGE_MODE_STATIC &&
		     !le32_to_cpu(ev->error) &&
		     (status != VIRTIO_PARAM_VALUE_STATUS_AVAILABLE ||
		      vparam_value_len_ok(vparam_type(prop->id), vlen, (const u8 *)(value + 1)));
	else if (ok && type == VIRTIO_PARAM_EVENT_SET_ERROR)
		ok = status == VIRTIO_PARAM_VALUE_STATUS_ERROR && le32_to_cpu(ev->error) &&
		     vparam_status_errno(le32_to_cpu(ev->error));
	else
		ok = false;

	spin_lock_irq(&vp->event_lock);
	vp->stats.events++;
	if (!ok) {
		vp->stats.invalid++;
	} else if (type == VIRTIO_PARAM_EVENT_SET_ERROR) {
		area->set_error = le32_to_cpu(ev->error);
		area->set_errors++;
	} else {
		status_changed = area->status != status;
		area->status = status;
	}
	spin_unlock_irq(&vp->event_lock);

	if (!ok) {
		vparam_complain(vp, "event %u of 0x%08x/0x%x (%u bytes) breaks the spec: dropped\n",
				type, le32_to_cpu(value->prop), le32_to_cpu(value->area), len);
		return;
	}
	if (type == VIRTIO_PARAM_EVENT_SET_ERROR) {
		vparam_sysfs_changed(vp, area, "set_error");
		return;
	}
	if (status_changed)
		sysfs_notify(&area->kobj, NULL, "status");
	vparam_sysfs_changed(vp, area, "current_value");
}

static void vparam_request_done(struct virtqueue *vq)
{
	struct vparam *vp = vq->vdev->priv;

	vreq_queue_complete(&vp->requests, vq);
}

static void vparam_event_done(struct virtqueue *vq)
{
	struct vparam *vp = vq->vdev->priv;

	vevq_done(&vp->events);
}

/* Set up the queues, give the event buffers, and let requests go. */
static int vparam_start(struct vparam *vp)
{
	struct virtqueue *vqs[2];
	struct virtqueue_info vqs_info[] = {
		{ "requestq", vparam_request_done },
		{ "eventq", vparam_event_done },
	};
	int err;

	err = virtio_find_vqs(vp->vdev, 2, vqs, vqs_info, NULL);
	if (err)
		return err;
	err = vevq_start(&vp->events, vqs[1]);
	if (err) {
		vp->vdev->config->del_vqs(vp->vdev);
		vevq_stopped(&vp->events);
		return err;
	}
	vreq_queue_open(&vp->requests, vqs[0]);
	virtio_device_ready(vp->vdev);
	vevq_kick(&vp->events);
	return 0;
}

/*
 * Reset the device and take back what it held: a waiting request gets
 * -ENODEV, events not taken are dropped. The request lock is not taken:
 * its holder may be waiting for the device.
 */
static void vparam_stop(struct vparam *vp)
{
	vreq_queue_close(&vp->requests);
	vevq_stop(&vp->events);
	virtio_reset_device(vp->vdev);
	vreq_queue_give_back(&vp->requests, -ENODEV);
	vp->vdev->config->del_vqs(vp->vdev);
	vevq_stopped(&vp->events);
}

/* The device's limits, checked, and taken as far as this driver goes. */
static int vparam_read_config(struct vparam *vp)
{
	struct virtio_device *vdev = vp->vdev;
	u32 value_size;
	u16 areas;

	virtio_cread_le(vdev, struct virtio_param_config, num_properties, &vp->num_properties);
	virtio_cread_le(vdev, struct virtio_param_config, max_config_size, &vp->max_config_size);
	virtio_cread_le(vdev, struct virtio_param_config, max_value_size, &value_size);
	virtio_cread_le(vdev, struct virtio_param_config, max_areas, &areas);
	vp->max_areas = areas;
	if (!vp->num_properties || !areas || value_size < 8 ||
	    vp->max_config_size <
	    VPARAM_PROP_CONFIG_LEN + sizeof(struct virtio_param_area_config)) {
		dev_err(&vdev->dev, "configuration breaks the specification: %u properties, %u areas, values of %u bytes, records of %u\n",
			vp->num_properties, areas, value_size, vp->max_config_size);
		return -EINVAL;
	}
	/* the buffers are sized from these: the specification wants them whole */
	if (vp->num_properties > VPARAM_MAX_PROPS || areas > VPARAM_MAX_AREAS ||
	    vp->max_config_size > VPARAM_MAX_CONFIG || value_size > VPARAM_MAX_VALUE) {
		dev_err(&vdev->dev, "%u properties of up to %u areas, records of %u bytes, values of %u: this driver takes %u, %u, %zu, %u\n",
			vp->num_properties, areas, vp->max_config_size, value_size,
			VPARAM_MAX_PROPS, VPARAM_MAX_AREAS, VPARAM_MAX_CONFIG, VPARAM_MAX_VALUE);
		return -EOPNOTSUPP;
	}
	vp->max_value_size = value_size;
	return 0;
}

/* ON_CHANGE properties are subscribed to for as long as the driver runs. */
static void vparam_subscribe_all(struct vparam *vp)
{
	struct vparam_prop *prop;
	unsigned int i;
	u32 rate;
	int err;

	for (i = 0; i < vp->table->n; i++) {
		prop = &vp->table->props[i];
		/* nothing to tell of a static property, nor to show of a write-only one */
		if (prop->change_mode == VIRTIO_PARAM_CHANGE_MODE_STATIC ||
		    !(prop->access & VIRTIO_PARAM_ACCESS_READ))
			continue;
		rate = READ_ONCE(prop->rate_mhz);
		if (prop->change_mode == VIRTIO_PARAM_CHANGE_MODE_CONTINUOUS && !rate)
			continue;
		err = vparam_subscribe(vp, prop, rate);
		if (err)
			dev_warn(&vp->vdev->dev, "property 0x%08x: no events (%d)\n", prop->id,
				 err);
	}
}

static int vparam_probe(struct virtio_device *vdev)
{
	struct vparam *vp;
	int err;

	if (!virtio_has_feature(vdev, VIRTIO_F_VERSION_1))
		return -ENODEV;
	if (!vdev->config->get) {
		dev_err(&vdev->dev, "no configuration space\n");
		return -EINVAL;
	}
	vp = kzalloc(sizeof(*vp), GFP_KERNEL);
	if (!vp)
		return -ENOMEM;
	vp->vdev = vdev;
	vdev->priv = vp;
	mutex_init(&vp->lock);
	mutex_init(&vp->sub_lock);
	vreq_queue_init(&vp->requests);
	spin_lock_init(&vp->event_lock);
	ratelimit_state_init(&vp->rs, DEFAULT_RATELIMIT_INTERVAL, DEFAULT_RATELIMIT_BURST);
	/* a uevent per change, ten a second at most: poll() sees them all */
	ratelimit_state_init(&vp->uevent_rs, HZ, 10);
	ratelimit_set_flags(&vp->uevent_rs, RATELIMIT_MSG_ON_RELEASE);

	err = vparam_read_config(vp);
	if (err)
		goto free;
	err = vevq_init(&vp->events, &vp->event_lock, VPARAM_EVENT_BUFS,
			VPARAM_EVENT_LEN, vparam_take_event);
	if (err)
		goto free_events;
	err = vparam_start(vp);
	if (err)
		goto free_events;
	vp->table = vparam_table_read(vp);
	if (IS_ERR(vp->table)) {
		err = PTR_ERR(vp->table);
		dev_err(&vdev->dev, "no property table (%d)\n", err);
		goto stop;
	}
	err = vparam_sysfs_create(vp);
	if (err)
		goto put_table;
	/* the table's contents before the pointer: the event work reads them */
	smp_store_release(&vp->events_table, vp->table);
	vparam_subscribe_all(vp);
	dev_info(&vdev->dev, "%u properties\n", vp->table->n);
	return 0;

put_table:
	vparam_stop(vp);
	vparam_table_put(vp->table);
	goto free_events;
stop:
	vparam_stop(vp);
free_events:
	vevq_free(&vp->events);
free:
	kfree(vp);
	return err;
}

static void vparam_remove(struct virtio_device *vdev)
{
	struct vparam *vp = vdev->priv;

	/* the reset first: it ends the requests sysfs readers wait for */
	vparam_stop(vp);
	vparam_sysfs_destroy(vp);
	vparam_table_put(vp->table);
	vevq_free(&vp->events);
	kfree(vp);
}

#ifdef CONFIG_PM_SLEEP
static int vparam_freeze(struct virtio_device *vdev)
{
	vparam_stop(vdev->priv);
	return 0;
}

static int vparam_restore(struct virtio_device *vdev)
{
	struct vparam *vp = vdev->priv;
	int err;

	err = vparam_start(vp);
	if (err)
		return err;
	/* a reset ended the subscriptions */
	vparam_subscribe_all(vp);
	return 0;
}
#endif

static const struct virtio_device_id vparam_id_table[] = {
	{ VIRTIO_ID_PARAM_SERV, VIRTIO_DEV_ANY_ID },
	{ 0 },
};
MODULE_DEVICE_TABLE(virtio, vparam_id_table);

static struct virtio_driver vparam_driver = {
	.driver.name = KBUILD_MODNAME,
	.id_table = vparam_id_table,
	.driver.dev_groups = vparam_dev_groups,
	.probe = vparam_probe,
	.remove = vparam_remove,
#ifdef CONFIG_PM_SLEEP
	.freeze = vparam_freeze,
	.restore = vparam_restore,
#endif
};
module_virtio_driver(vparam_driver);

MODULE_DESCRIPTION("Virtio parameter server: typed properties in sysfs");
MODULE_AUTHOR("virtio-extra developers");
MODULE_LICENSE("GPL");
