// SPDX-License-Identifier: GPL-2.0
/*
 * vx_test_rpmb: a user of the kernel's RPMB subsystem, as OP-TEE is one,
 * for testing RPMB drivers. It is test equipment and never installed.
 *
 * Opening /dev/vx-test-rpmb takes a reference on the first RPMB device
 * registered (-ENODEV when there is none) and keeps it until the file is
 * closed, as a user of the subsystem may keep it after the device is gone.
 * Each write() routes the frames written (whole 512-byte frames) through
 * rpmb_route_frames() with room for one response frame, and returns the
 * byte count or the call's error.
 */

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rpmb.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#define VTRPMB_FRAME_SIZE 512
/* Frames in one write at most: a request and its RESULT_READ and more. */
#define VTRPMB_MAX_FRAMES 64

struct vtrpmb_file {
	struct rpmb_dev *rdev;
	struct mutex lock;	/* resp, which concurrent writes share */
	u8 resp[VTRPMB_FRAME_SIZE];
};

static int vtrpmb_match_any(struct device *dev, const void *data)
{
	return 1;
}

static int vtrpmb_open(struct inode *inode, struct file *file)
{
	struct vtrpmb_file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	f->rdev = rpmb_dev_find_device(NULL, NULL, vtrpmb_match_any);
	if (!f->rdev) {
		kfree(f);
		return -ENODEV;
	}
	mutex_init(&f->lock);
	file->private_data = f;
	return 0;
}

static int vtrpmb_release(struct inode *inode, struct file *file)
{
	struct vtrpmb_file *f = file->private_data;

	rpmb_dev_put(f->rdev);
	kfree(f);
	return 0;
}

static ssize_t vtrpmb_write(struct file *file, const char __user *buf,
			    size_t len, loff_t *ppos)
{
	struct vtrpmb_file *f = file->private_data;
	u8 *req;
	int err;

	if (!len || len % VTRPMB_FRAME_SIZE ||
	    len > VTRPMB_MAX_FRAMES * VTRPMB_FRAME_SIZE)
		return -EINVAL;
	req = memdup_user(buf, len);
	if (IS_ERR(req))
		return PTR_ERR(req);
	mutex_lock(&f->lock);
	err = rpmb_route_frames(f->rdev, req, len, f->resp, sizeof(f->resp));
	mutex_unlock(&f->lock);
	kfree(req);
	return err ?: len;
}

static const struct file_operations vtrpmb_fops = {
	.owner = THIS_MODULE,
	.open = vtrpmb_open,
	.release = vtrpmb_release,
	.write = vtrpmb_write,
	.llseek = noop_llseek,
};

static struct miscdevice vtrpmb_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "vx-test-rpmb",
	.fops = &vtrpmb_fops,
};

module_misc_device(vtrpmb_misc);
MODULE_DESCRIPTION("Test user of the RPMB subsystem, for RPMB driver tests");
MODULE_LICENSE("GPL");
