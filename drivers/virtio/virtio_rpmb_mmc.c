// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-rpmb: /dev/vrpmbN takes the MMC ioctls (MMC_IOC_CMD,
 * MMC_IOC_MULTI_CMD) in the subset an eMMC's RPMB partition is driven
 * with, so mmc-utils ("mmc rpmb ...") and tee-supplicant work unchanged:
 *
 *	CMD25 (or CMD24), write_flag set: request frames;
 *	CMD25 again with a RESULT_READ frame, after a write: ask its result;
 *	CMD18 (or CMD17), write_flag 0: read the response frames.
 *
 * A request written waits in the open file for the read that carries its
 * response, so each operation reaches the device as one chain and no other
 * user's frames come between its parts. A write nobody reads the result
 * of goes when its ioctl ends, without a response, as on an eMMC.
 *
 * eMMC hosts give block counts in CMD23, which the kernel derives from
 * the command: frames not covered by a MAC (key programming, counter and
 * result requests) may carry 0, and get the command's count here.
 */
#include <linux/mmc/ioctl.h>
#include <linux/mmc/mmc.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "virtio_rpmb.h"

/* The card status an eMMC reports after RPMB transfers: ready, in tran. */
#define VRPMB_R1_READY 0x900

/**
 * struct vrpmb_file - one open /dev/vrpmbN
 * @vr: the device.
 * @lock: serializes this file's ioctls.
 * @req: the request written and not sent yet: VRPMB_MAX_FRAMES frames.
 * @n_req: frames in @req, 0 when none waits.
 */
struct vrpmb_file {
	struct vrpmb *vr;
	struct mutex lock; /* this file's ioctls */
	struct virtio_rpmb_frame *req;
	unsigned int n_req;
};

static u16 req_type(const struct vrpmb_file *f)
{
	return f->n_req ? vrpmb_frame_type(&f->req[0]) : 0;
}

static bool req_is_write(const struct vrpmb_file *f)
{
	return req_type(f) == VIRTIO_RPMB_REQ_DATA_WRITE ||
	       req_type(f) == VIRTIO_RPMB_REQ_PROGRAM_KEY;
}

static bool req_has_result_read(const struct vrpmb_file *f)
{
	return f->n_req > 1 &&
	       vrpmb_frame_type(&f->req[f->n_req - 1]) == VIRTIO_RPMB_REQ_RESULT_READ;
}

/* Send a write that nobody reads the result of: no response frame. */
static int vrpmb_flush_write(struct vrpmb_file *f)
{
	unsigned int n = f->n_req - req_has_result_read(f);
	int err = 0;

	if (req_is_write(f))
		err = vrpmb_route(f->vr, f->req, n, NULL, 0);
	f->n_req = 0;
	return err;
}

static void vrpmb_fill_count(struct virtio_rpmb_frame *frame, unsigned int count)
{
	if (!frame->block_count)
		frame->block_count = cpu_to_be16(count);
}

/* A CMD25: request frames, or the RESULT_READ frame after a write. */
static int vrpmb_mmc_write(struct vrpmb_file *f, struct virtio_rpmb_frame *frames,
			   unsigned int n)
{
	u16 type = vrpmb_frame_type(&frames[0]);
	struct virtio_rpmb_frame *result;
	int err;

	switch (type) {
	case VIRTIO_RPMB_REQ_RESULT_READ:
		/*
		 * Some tee-supplicant versions send as many blocks as the
		 * write had, with stale bytes after the type: only the type
		 * counts, the frame sent is a clean one.
		 */
		if (!req_is_write(f) || req_has_result_read(f)) {
			err = vrpmb_flush_write(f);
			if (err)
				return err;
		}
		result = &f->req[f->n_req++];
		memset(result, 0, sizeof(*result));
		result->req_resp = cpu_to_be16(VIRTIO_RPMB_REQ_RESULT_READ);
		result->block_count = cpu_to_be16(1);
		return 0;
	case VIRTIO_RPMB_REQ_PROGRAM_KEY:
	case VIRTIO_RPMB_REQ_GET_WRITE_COUNTER:
	case VIRTIO_RPMB_REQ_DATA_READ:
		if (n != 1)
			break;
		fallthrough;
	case VIRTIO_RPMB_REQ_DATA_WRITE:
		err = vrpmb_flush_write(f);
		if (err)
			return err;
		memcpy(f->req, frames, n * VRPMB_FRAME_SIZE);
		f->n_req = n;
		if (type != VIRTIO_RPMB_REQ_DATA_WRITE && type != VIRTIO_RPMB_REQ_DATA_READ)
			vrpmb_fill_count(f->req, 1);
		return 0;
	default:
		vrpmb_complain(f->vr, "frame type 0x%04x is not an RPMB request\n", type);
		return -EINVAL;
	}
	vrpmb_complain(f->vr, "request 0x%04x written as %u blocks, not 1\n", type, n);
	return -EINVAL;
}

/* A CMD18: the response frames of the request written before it. */
static int vrpmb_mmc_read(struct vrpmb_file *f, struct virtio_rpmb_frame *frames,
			  unsigned int n)
{
	int err;

	if (!f->n_req || (req_is_write(f) && !req_has_result_read(f))) {
		vrpmb_complain(f->vr, "read of %u blocks with no request before it\n", n);
		f->n_req = 0;
		return -EINVAL;
	}
	err = vrpmb_route(f->vr, f->req, f->n_req, frames, n);
	f->n_req = 0;
	return err;
}

/* Check one command against the RPMB subset; its data bytes in *len. */
static int vrpmb_mmc_check(struct vrpmb_file *f, const struct mmc_ioc_cmd *ic,
			   size_t *len)
{
	bool write = ic->opcode == MMC_WRITE_MULTIPLE_BLOCK ||
		     ic->opcode == MMC_WRITE_BLOCK;
	bool read = ic->opcode == MMC_READ_MULTIPLE_BLOCK ||
		    ic->opcode == MMC_READ_SINGLE_BLOCK;

	if (ic->is_acmd || (!write && !read)) {
		vrpmb_complain(f->vr, "MMC command %u%s is not an RPMB transfer: not supported\n",
			       ic->opcode, ic->is_acmd ? " (ACMD)" : "");
		return -EOPNOTSUPP;
	}
	if (write != !!ic->write_flag || ic->blksz != VRPMB_FRAME_SIZE ||
	    !ic->blocks || ic->blocks > VRPMB_MAX_FRAMES) {
		/* RPMB transfers: CMD24/25 write, CMD17/18 read, 1 to 256 512-byte blocks. */
		vrpmb_complain(f->vr,
			       "CMD%u, write_flag %#x, %u x %u bytes: not an RPMB transfer\n",
			       ic->opcode, ic->write_flag, ic->blocks, ic->blksz);
		return -EINVAL;
	}
	*len = (size_t)ic->blocks * VRPMB_FRAME_SIZE;
	return 0;
}

/* One command: its data in from, or out to, user space; its R1 status back. */
static int vrpmb_mmc_cmd(struct vrpmb_file *f, struct mmc_ioc_cmd __user *uic)
{
	struct virtio_rpmb_frame *frames;
	struct mmc_ioc_cmd ic;
	void __user *data;
	size_t len;
	int err;

	if (copy_from_user(&ic, uic, sizeof(ic)))
		return -EFAULT;
	err = vrpmb_mmc_check(f, &ic, &len);
	if (err)
		return err;
	data = u64_to_user_ptr(ic.data_ptr);
	if (ic.write_flag) {
		frames = vmemdup_user(data, len);
		if (IS_ERR(frames))
			return PTR_ERR(frames);
		err = vrpmb_mmc_write(f, frames, ic.blocks);
	} else {
		frames = kvmalloc(len, GFP_KERNEL);
		if (!frames)
			return -ENOMEM;
		err = vrpmb_mmc_read(f, frames, ic.blocks);
		if (!err && copy_to_user(data, frames, len))
			err = -EFAULT;
	}
	kvfree(frames);
	if (err)
		return err;
	memset(ic.response, 0, sizeof(ic.response));
	ic.response[0] = VRPMB_R1_READY;
	if (copy_to_user(uic->response, ic.response, sizeof(ic.response)))
		return -EFAULT;
	return 0;
}

static long vrpmb_mmc_multi_cmd(struct vrpmb_file *f,
				struct mmc_ioc_multi_cmd __user *umc)
{
	u64 i, num;
	int err = 0;

	if (get_user(num, &umc->num_of_cmds))
		return -EFAULT;
	if (num > MMC_IOC_MAX_CMDS)
		return -EINVAL;
	for (i = 0; i < num && !err; i++)
		err = vrpmb_mmc_cmd(f, &umc->cmds[i]);
	return err;
}

static long vrpmb_mmc_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct vrpmb_file *f = file->private_data;
	long err;

	if (cmd != MMC_IOC_CMD && cmd != MMC_IOC_MULTI_CMD)
		return -ENOTTY;
	mutex_lock(&f->lock);
	if (cmd == MMC_IOC_CMD)
		err = vrpmb_mmc_cmd(f, (struct mmc_ioc_cmd __user *)arg);
	else
		err = vrpmb_mmc_multi_cmd(f, (struct mmc_ioc_multi_cmd __user *)arg);
	/* A failed sequence leaves nothing behind; a write unread goes now. */
	if (err)
		f->n_req = 0;
	else if (req_is_write(f))
		err = vrpmb_flush_write(f);
	mutex_unlock(&f->lock);
	return err;
}

static int vrpmb_mmc_open(struct inode *inode, struct file *file)
{
	struct vrpmb *vr = container_of(file->private_data, struct vrpmb, misc);
	struct vrpmb_file *f;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	/* A write, its RESULT_READ, and one frame for a stray RESULT_READ. */
	f->req = kvcalloc(VRPMB_MAX_FRAMES + 1, VRPMB_FRAME_SIZE, GFP_KERNEL);
	if (!f->req) {
		kfree(f);
		return -ENOMEM;
	}
	mutex_init(&f->lock);
	/* misc_open() holds misc_mtx: the device is not being removed. */
	kref_get(&vr->ref);
	f->vr = vr;
	file->private_data = f;
	return nonseekable_open(inode, file);
}

static int vrpmb_mmc_release(struct inode *inode, struct file *file)
{
	struct vrpmb_file *f = file->private_data;

	vrpmb_put(f->vr);
	kvfree(f->req);
	kfree(f);
	return 0;
}

const struct file_operations vrpmb_mmc_fops = {
	.owner = THIS_MODULE,
	.open = vrpmb_mmc_open,
	.release = vrpmb_mmc_release,
	.unlocked_ioctl = vrpmb_mmc_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};
