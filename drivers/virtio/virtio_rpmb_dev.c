// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-rpmb: Replay Protected Memory Block devices (VIRTIO 1.2, device
 * ID 28), reached through /dev/vrpmbN with the MMC ioctls of an eMMC's
 * RPMB partition, and through the kernel's RPMB subsystem where it is
 * enabled.
 *
 * The driver never sees the key or computes a MAC: frames come built and
 * signed by their owner (mmc-utils, a TEE) and go back to it checked for
 * shape. One operation is one chain: the request frames, one
 * device-readable buffer each, then the response frames, one
 * device-writable buffer each, as the specification describes a read.
 * A write that wants its result carries a RESULT_READ frame after its data
 * frames, so no other operation can come between a write and its result.
 *
 * Locking: vr->lock serializes operations and state changes (freeze,
 * restore, removal). A request the device does not answer in time stays the
 * device's: it is freed when the device answers it or is reset, and until
 * then the device takes no other (virtio_request.c).
 */
#include <linux/completion.h>
#include <linux/idr.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/ratelimit.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>
#include <vx-compat/rpmb.h>

#include "virtio_request.h"
#include "virtio_rpmb.h"

static unsigned int timeout_ms = 10000;
module_param(timeout_ms, uint, 0644);
MODULE_PARM_DESC(timeout_ms, "How long the device may take to answer an operation (ms)");

static DEFINE_IDA(vrpmb_ida);
/*
 * The RPMB subsystem's users (OP-TEE) call vrpmb_route_frames() with the
 * virtio device, also while it is being removed: the call takes its
 * reference on the driver's state under this lock, and removal withdraws
 * the state (vdev->priv) under it first.
 */
static DEFINE_MUTEX(vrpmb_subsystem_lock);

/**
 * struct vrpmb_request - one operation, while the device may hold it
 * @req: its life on the request queue; req.status is -ENODEV when the
 *	device went away before answering.
 * @n_req: request frames.
 * @n_resp: response frames.
 * @frames: request frames, then response frames.
 */
struct vrpmb_request {
	struct vreq req;
	unsigned int n_req;
	unsigned int n_resp;
	struct virtio_rpmb_frame *frames;
};

static void vrpmb_release(struct kref *ref)
{
	struct vrpmb *vr = container_of(ref, struct vrpmb, ref);

	ida_free(&vrpmb_ida, vr->index);
	kfree(vr);
}

void vrpmb_put(struct vrpmb *vr)
{
	kref_put(&vr->ref, vrpmb_release);
}

void vrpmb_complain(struct vrpmb *vr, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	if (!__ratelimit(&vr->rs))
		return;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_warn("%s: %pV", vr->name, &vaf);
	va_end(args);
}

static void vrpmb_request_release(struct vreq *req)
{
	struct vrpmb_request *r = container_of(req, struct vrpmb_request, req);

	kvfree(r->frames);
	kfree(r);
}

static struct vrpmb_request *vrpmb_request_alloc(unsigned int n_req,
						 unsigned int n_resp)
{
	struct vrpmb_request *r = kzalloc(sizeof(*r), GFP_KERNEL);

	if (!r)
		return NULL;
	r->frames = kvcalloc(n_req + n_resp, VRPMB_FRAME_SIZE, GFP_KERNEL);
	if (!r->frames) {
		kfree(r);
		return NULL;
	}
	vreq_init(&r->req, vrpmb_request_release);
	r->n_req = n_req;
	r->n_resp = n_resp;
	return r;
}

/*
 * Whether the frames make one operation the device can take. A read's
 * block count may be 0, as eMMC hosts send it: the caller fixes it up.
 */
static int vrpmb_check_request(struct vrpmb *vr,
			       const struct virtio_rpmb_frame *req,
			       unsigned int n_req, unsigned int n_resp)
{
	u16 type = vrpmb_frame_type(&req[0]);
	bool result = n_req > 1 &&
		      vrpmb_frame_type(&req[n_req - 1]) == VIRTIO_RPMB_REQ_RESULT_READ;
	unsigned int data = n_req - result, i, count;

	if (n_req + n_resp > vr->max_frames) {
		vrpmb_complain(vr, "operation of %u frames: the queue takes %u\n",
			       n_req + n_resp, vr->max_frames);
		return -EINVAL;
	}
	switch (type) {
	case VIRTIO_RPMB_REQ_PROGRAM_KEY:
		if (data == 1 && n_resp == result)
			return 0;
		break;
	case VIRTIO_RPMB_REQ_DATA_WRITE:
		if (n_resp != result)
			break;
		for (i = 0; i < data; i++)
			if (vrpmb_frame_type(&req[i]) != type ||
			    be16_to_cpu(req[i].block_count) != data)
				break;
		if (i < data)
			break;
		if (vr->max_wr_cnt && data > vr->max_wr_cnt) {
			vrpmb_complain(vr, "write of %u blocks: the device writes at most %u\n",
				       data, vr->max_wr_cnt);
			return -EINVAL;
		}
		return 0;
	case VIRTIO_RPMB_REQ_GET_WRITE_COUNTER:
	case VIRTIO_RPMB_REQ_RESULT_READ:
		if (n_req == 1 && n_resp == 1)
			return 0;
		break;
	case VIRTIO_RPMB_REQ_DATA_READ:
		count = be16_to_cpu(req[0].block_count);
		if (n_req != 1 || !n_resp || (count && count != n_resp))
			break;
		if (vr->max_rd_cnt && n_resp > vr->max_rd_cnt) {
			vrpmb_complain(vr, "read of %u blocks: the device reads at most %u\n",
				       n_resp, vr->max_rd_cnt);
			return -EINVAL;
		}
		return 0;
	default:
		vrpmb_complain(vr, "request type 0x%04x is not an RPMB request\n", type);
		return -EINVAL;
	}
	vrpmb_complain(vr, "request 0x%04x, %u frames, %u response frames: not an RPMB operation\n",
		       type, n_req, n_resp);
	return -EINVAL;
}

/* What the device must answer: checked before anything reaches the caller. */
static int vrpmb_check_response(struct vrpmb *vr, const struct vrpmb_request *r)
{
	const struct virtio_rpmb_frame *req = r->frames, *resp = req + r->n_req;
	u16 type = vrpmb_frame_type(req), want = type << 8, result, got;
	unsigned int i;

	if (r->req.used_len != r->n_resp * VRPMB_FRAME_SIZE) {
		vrpmb_complain(vr, "request 0x%04x answered with %u bytes, not %u frames\n",
			       type, r->req.used_len, r->n_resp);
		return -EIO;
	}
	for (i = 0; i < r->n_resp; i++) {
		got = vrpmb_frame_type(&resp[i]);
		result = be16_to_cpu(resp[i].result);
		if (type == VIRTIO_RPMB_REQ_RESULT_READ ?
		    got != VIRTIO_RPMB_RESP_PROGRAM_KEY &&
		    got != VIRTIO_RPMB_RESP_DATA_WRITE : got != want) {
			vrpmb_complain(vr, "request 0x%04x answered with response 0x%04x\n",
				       type, got);
			return -EIO;
		}
		if ((result & ~VIRTIO_RPMB_RES_WRITE_COUNTER_EXPIRED) >
		    VIRTIO_RPMB_RES_NO_AUTH_KEY) {
			vrpmb_complain(vr, "request 0x%04x answered with undefined result 0x%04x\n",
				       type, result);
			return -EIO;
		}
		if ((type == VIRTIO_RPMB_REQ_GET_WRITE_COUNTER ||
		     type == VIRTIO_RPMB_REQ_DATA_READ) &&
		    memcmp(resp[i].nonce, req->nonce, sizeof(req->nonce))) {
			vrpmb_complain(vr, "request 0x%04x answered without its nonce\n",
				       type);
			return -EIO;
		}
		if (result != VIRTIO_RPMB_RES_OK)
			continue;
		if ((type == VIRTIO_RPMB_REQ_DATA_READ ||
		     type == VIRTIO_RPMB_REQ_DATA_WRITE) &&
		    resp[i].address != req->address) {
			vrpmb_complain(vr, "request 0x%04x for address %u answered for %u\n",
				       type, be16_to_cpu(req->address),
				       be16_to_cpu(resp[i].address));
			return -EIO;
		}
		if (type == VIRTIO_RPMB_REQ_DATA_READ &&
		    be16_to_cpu(resp[i].block_count) != r->n_resp) {
			vrpmb_complain(vr, "read of %u blocks answered with block count %u\n",
				       r->n_resp, be16_to_cpu(resp[i].block_count));
			return -EIO;
		}
		if (type == VIRTIO_RPMB_REQ_DATA_WRITE &&
		    be32_to_cpu(resp[i].write_counter) !=
		    be32_to_cpu(req->write_counter) + 1) {
			vrpmb_complain(vr, "write at counter %u answered with counter %u\n",
				       be32_to_cpu(req->write_counter),
				       be32_to_cpu(resp[i].write_counter));
			return -EIO;
		}
	}
	return 0;
}

static void vrpmb_sg_set_frame(struct scatterlist *sg, struct virtio_rpmb_frame *frame)
{
	struct page *page = is_vmalloc_addr(frame) ? vmalloc_to_page(frame) :
						     virt_to_page(frame);

	/* Frames are 512 bytes in page-aligned memory: never across a page. */
	sg_set_page(sg, page, VRPMB_FRAME_SIZE, offset_in_page(frame));
}

static int vrpmb_submit(struct vrpmb *vr, struct vrpmb_request *r)
{
	unsigned int n = r->n_req + r->n_resp, i;
	struct scatterlist *sg, **sgs;
	int err;

	sg = kmalloc_array(n, sizeof(*sg), GFP_KERNEL);
	sgs = kmalloc_array(n, sizeof(*sgs), GFP_KERNEL);
	if (!sg || !sgs) {
		err = -ENOMEM;
		goto free;
	}
	for (i = 0; i < n; i++) {
		sg_init_table(&sg[i], 1);
		vrpmb_sg_set_frame(&sg[i], &r->frames[i]);
		sgs[i] = &sg[i];
	}
	err = vreq_submit(&vr->requests, &r->req, sgs, r->n_req, r->n_resp);
	if (err == -EBUSY) {
		vrpmb_complain(vr, "device still holds a request it never answered\n");
		err = -EIO;
	} else if (err && err != -ENODEV) {
		vrpmb_complain(vr, "request not queued (%d)\n", err);
		err = -EIO;
	}
free:
	kfree(sgs);
	kfree(sg);
	return err;
}

int vrpmb_route(struct vrpmb *vr, const struct virtio_rpmb_frame *req,
		unsigned int n_req, struct virtio_rpmb_frame *resp,
		unsigned int n_resp)
{
	struct vrpmb_request *r;
	struct virtio_rpmb_frame *sent;
	int err;

	if (!n_req)
		return -EINVAL;
	err = vrpmb_check_request(vr, req, n_req, n_resp);
	if (err)
		return err;
	r = vrpmb_request_alloc(n_req, n_resp);
	if (!r)
		return -ENOMEM;
	sent = r->frames;
	memcpy(sent, req, n_req * VRPMB_FRAME_SIZE);
	if (vrpmb_frame_type(sent) == VIRTIO_RPMB_REQ_DATA_READ && !sent->block_count)
		sent->block_count = cpu_to_be16(n_resp);

	mutex_lock(&vr->lock);
	if (!vr->vdev)
		err = -ENODEV;
	else if (vr->frozen)
		err = -EBUSY;
	else
		err = vrpmb_submit(vr, r);
	if (err) {
		mutex_unlock(&vr->lock);
		vrpmb_request_release(&r->req);
		return err;
	}
	if (!vreq_wait(&vr->requests, &r->req, READ_ONCE(timeout_ms))) {
		mutex_unlock(&vr->lock);
		vrpmb_complain(vr, "device did not answer request 0x%04x in %u ms\n",
			       vrpmb_frame_type(req), READ_ONCE(timeout_ms));
		return -ETIMEDOUT;
	}
	mutex_unlock(&vr->lock);

	err = r->req.status ?: vrpmb_check_response(vr, r);
	if (!err && n_resp)
		memcpy(resp, r->frames + n_req, n_resp * VRPMB_FRAME_SIZE);
	vrpmb_request_release(&r->req);
	return err;
}

static void vrpmb_done(struct virtqueue *vq)
{
	struct vrpmb *vr = vq->vdev->priv;

	vreq_queue_complete(&vr->requests, vq);
}

static int vrpmb_setup_vq(struct vrpmb *vr)
{
	struct virtqueue *vq;

	vq = virtio_find_single_vq(vr->vdev, vrpmb_done, "request");
	if (IS_ERR(vq)) {
		dev_err(&vr->vdev->dev, "setting up the request queue failed (%ld)\n",
			PTR_ERR(vq));
		return PTR_ERR(vq);
	}
	vr->vq = vq;
	vreq_queue_open(&vr->requests, vq);
	vr->max_frames = virtio_has_feature(vr->vdev, VIRTIO_RING_F_INDIRECT_DESC) ?
			 VRPMB_MAX_FRAMES + 1 :
			 min(virtqueue_get_vring_size(vq), VRPMB_MAX_FRAMES + 1);
	virtio_device_ready(vr->vdev);
	return 0;
}

/* Reset the device and delete the queue; the caller holds vr->lock. */
static void vrpmb_teardown_vq(struct vrpmb *vr)
{
	vreq_queue_close(&vr->requests);
	virtio_reset_device(vr->vdev);
	/* The held request's indirect table is freed only by detaching it. */
	while (virtqueue_detach_unused_buf(vr->vq))
		;
	vreq_queue_give_back(&vr->requests, -ENODEV);
	vr->vdev->config->del_vqs(vr->vdev);
	vr->vq = NULL;
}

static ssize_t capacity_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct vrpmb *vr = container_of(dev_get_drvdata(dev), struct vrpmb, misc);

	return sysfs_emit(buf, "%u\n", vr->capacity * VIRTIO_RPMB_BLOCK_SIZE);
}
static DEVICE_ATTR_RO(capacity);

static ssize_t max_wr_cnt_show(struct device *dev, struct device_attribute *attr,
			       char *buf)
{
	struct vrpmb *vr = container_of(dev_get_drvdata(dev), struct vrpmb, misc);

	return sysfs_emit(buf, "%u\n", vr->max_wr_cnt);
}
static DEVICE_ATTR_RO(max_wr_cnt);

static ssize_t max_rd_cnt_show(struct device *dev, struct device_attribute *attr,
			       char *buf)
{
	struct vrpmb *vr = container_of(dev_get_drvdata(dev), struct vrpmb, misc);

	return sysfs_emit(buf, "%u\n", vr->max_rd_cnt);
}
static DEVICE_ATTR_RO(max_rd_cnt);

static struct attribute *vrpmb_attrs[] = {
	&dev_attr_capacity.attr,
	&dev_attr_max_wr_cnt.attr,
	&dev_attr_max_rd_cnt.attr,
	NULL,
};
ATTRIBUTE_GROUPS(vrpmb);

/*
 * The kernel's RPMB subsystem hands whole request and response buffers;
 * a write there wants its result, so the RESULT_READ frame is added here.
 */
static int vrpmb_route_frames(struct device *dev, u8 *req, unsigned int req_len,
			      u8 *resp, unsigned int resp_len)
{
	struct virtio_rpmb_frame *frames;
	unsigned int n_req = req_len / VRPMB_FRAME_SIZE;
	unsigned int n_resp = resp_len / VRPMB_FRAME_SIZE;
	struct vrpmb *vr;
	bool result;
	int err;

	if (!n_req || req_len % VRPMB_FRAME_SIZE || resp_len % VRPMB_FRAME_SIZE ||
	    n_req > VRPMB_MAX_FRAMES)
		return -EINVAL;
	mutex_lock(&vrpmb_subsystem_lock);
	vr = dev_to_virtio(dev)->priv;
	if (vr)
		kref_get(&vr->ref);
	mutex_unlock(&vrpmb_subsystem_lock);
	if (!vr)
		return -ENODEV;
	frames = kvcalloc(n_req + 1, VRPMB_FRAME_SIZE, GFP_KERNEL);
	if (!frames) {
		vrpmb_put(vr);
		return -ENOMEM;
	}
	memcpy(frames, req, req_len);
	result = n_resp && (vrpmb_frame_type(frames) == VIRTIO_RPMB_REQ_DATA_WRITE ||
			    vrpmb_frame_type(frames) == VIRTIO_RPMB_REQ_PROGRAM_KEY);
	if (result) {
		frames[n_req].req_resp = cpu_to_be16(VIRTIO_RPMB_REQ_RESULT_READ);
		frames[n_req].block_count = cpu_to_be16(1);
	}
	err = vrpmb_route(vr, frames, n_req + result,
			  (struct virtio_rpmb_frame *)resp, n_resp);
	kvfree(frames);
	vrpmb_put(vr);
	return err;
}

static void vrpmb_register_subsystem(struct vrpmb *vr)
{
	struct rpmb_descr descr = {
		.type = RPMB_TYPE_EMMC,
		.route_frames = vrpmb_route_frames,
		.dev_id = vr->name,
		.dev_id_len = strlen(vr->name),
		.reliable_wr_count = vr->max_wr_cnt,
		.capacity = vr->capacity * VIRTIO_RPMB_BLOCK_SIZE /
			    VIRTIO_RPMB_CAPACITY_UNIT,
	};
	struct rpmb_dev *rdev;

	rdev = rpmb_dev_register(&vr->vdev->dev, &descr);
	if (IS_ERR(rdev))
		dev_warn(&vr->vdev->dev, "not registered with the RPMB subsystem (%ld)\n",
			 PTR_ERR(rdev));
	else
		vr->rdev = rdev;
}

static int vrpmb_read_config(struct virtio_device *vdev, struct vrpmb *vr)
{
	u8 capacity = virtio_cread8(vdev, offsetof(struct virtio_rpmb_config, capacity));

	if (!capacity || capacity > VIRTIO_RPMB_CAPACITY_MAX) {
		dev_err(&vdev->dev, "capacity of %u x 128 KiB: the specification allows 1 to %u\n",
			capacity, VIRTIO_RPMB_CAPACITY_MAX);
		return -EINVAL;
	}
	vr->capacity = capacity * (VIRTIO_RPMB_CAPACITY_UNIT / VIRTIO_RPMB_BLOCK_SIZE);
	vr->max_wr_cnt = virtio_cread8(vdev, offsetof(struct virtio_rpmb_config, max_wr_cnt));
	vr->max_rd_cnt = virtio_cread8(vdev, offsetof(struct virtio_rpmb_config, max_rd_cnt));
	return 0;
}

static int vrpmb_validate(struct virtio_device *vdev)
{
	if (!vdev->config->get) {
		dev_err(&vdev->dev, "transport has no configuration access\n");
		return -EINVAL;
	}
	return 0;
}

static int vrpmb_probe(struct virtio_device *vdev)
{
	struct vrpmb *vr;
	int err;

	vr = kzalloc(sizeof(*vr), GFP_KERNEL);
	if (!vr)
		return -ENOMEM;
	vr->index = ida_alloc(&vrpmb_ida, GFP_KERNEL);
	if (vr->index < 0) {
		err = vr->index;
		kfree(vr);
		return err;
	}
	kref_init(&vr->ref);
	/* Per device: one device's complaints cannot hide another's. */
	ratelimit_state_init(&vr->rs, 5 * HZ, 10);
	mutex_init(&vr->lock);
	vreq_queue_init(&vr->requests);
	snprintf(vr->name, sizeof(vr->name), "vrpmb%d", vr->index);
	vr->vdev = vdev;
	vdev->priv = vr;

	err = vrpmb_read_config(vdev, vr);
	if (err)
		goto put;
	err = vrpmb_setup_vq(vr);
	if (err)
		goto put;

	vr->misc.minor = MISC_DYNAMIC_MINOR;
	vr->misc.name = vr->name;
	vr->misc.fops = &vrpmb_mmc_fops;
	vr->misc.parent = &vdev->dev;
	vr->misc.groups = vrpmb_groups;
	vr->misc.mode = 0600;
	err = misc_register(&vr->misc);
	if (err) {
		dev_err(&vdev->dev, "registering /dev/%s failed (%d)\n", vr->name, err);
		goto teardown;
	}
	vrpmb_register_subsystem(vr);
	dev_info(&vdev->dev, "%s: %u KiB, at most %u blocks per write and %u per read (0: no limit)\n",
		 vr->name, vr->capacity / 4, vr->max_wr_cnt, vr->max_rd_cnt);
	return 0;

teardown:
	mutex_lock(&vr->lock);
	vrpmb_teardown_vq(vr);
	mutex_unlock(&vr->lock);
put:
	vr->vdev = NULL;
	vrpmb_put(vr);
	return err;
}

static void vrpmb_remove(struct virtio_device *vdev)
{
	struct vrpmb *vr = vdev->priv;

	/* Calls from the RPMB subsystem from now on get -ENODEV. */
	mutex_lock(&vrpmb_subsystem_lock);
	vdev->priv = NULL;
	mutex_unlock(&vrpmb_subsystem_lock);
	if (vr->rdev)
		rpmb_dev_unregister(vr->rdev);
	/* No new opens; open files hold a reference and get -ENODEV. */
	misc_deregister(&vr->misc);
	/* No new request; stop the device; a waiter is woken with -ENODEV. */
	vreq_queue_close(&vr->requests);
	virtio_reset_device(vdev);
	vreq_queue_give_back(&vr->requests, -ENODEV);
	mutex_lock(&vr->lock);
	if (vr->vq)
		vrpmb_teardown_vq(vr);
	vr->vdev = NULL;
	mutex_unlock(&vr->lock);
	vrpmb_put(vr);
}

#ifdef CONFIG_PM_SLEEP
static int vrpmb_freeze(struct virtio_device *vdev)
{
	struct vrpmb *vr = vdev->priv;

	mutex_lock(&vr->lock);
	vrpmb_teardown_vq(vr);
	vr->frozen = true;
	mutex_unlock(&vr->lock);
	return 0;
}

static int vrpmb_restore(struct virtio_device *vdev)
{
	struct vrpmb *vr = vdev->priv;
	int err;

	mutex_lock(&vr->lock);
	err = vrpmb_setup_vq(vr);
	if (!err)
		vr->frozen = false;
	mutex_unlock(&vr->lock);
	return err;
}
#endif

static const struct virtio_device_id vrpmb_id_table[] = {
	{ VIRTIO_ID_RPMB, VIRTIO_DEV_ANY_ID },
	{ 0 },
};
MODULE_DEVICE_TABLE(virtio, vrpmb_id_table);

static struct virtio_driver vrpmb_driver = {
	.driver.name = KBUILD_MODNAME,
	.id_table = vrpmb_id_table,
	.validate = vrpmb_validate,
	.probe = vrpmb_probe,
	.remove = vrpmb_remove,
#ifdef CONFIG_PM_SLEEP
	.freeze = vrpmb_freeze,
	.restore = vrpmb_restore,
#endif
};
module_virtio_driver(vrpmb_driver);

MODULE_DESCRIPTION("Virtio RPMB driver (MMC RPMB ioctls, RPMB subsystem)");
MODULE_AUTHOR("virtio-extra developers");
MODULE_LICENSE("GPL");
