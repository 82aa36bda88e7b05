/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The RPMB subsystem's provider interface (6.12). On older kernels there
 * is no subsystem to register with: registration finds nothing, as it
 * does on a 6.12 kernel built without CONFIG_RPMB.
 */
#ifndef _VX_COMPAT_RPMB_H
#define _VX_COMPAT_RPMB_H

#ifdef VX_HAVE_RPMB_H
#include <linux/rpmb.h>
#else
#include <linux/device.h>
#include <linux/types.h>

enum rpmb_type {
	RPMB_TYPE_EMMC,
	RPMB_TYPE_UFS,
	RPMB_TYPE_NVME,
};

struct rpmb_descr {
	enum rpmb_type type;
	int (*route_frames)(struct device *dev, u8 *req, unsigned int req_len,
			    u8 *resp, unsigned int resp_len);
	u8 *dev_id;
	size_t dev_id_len;
	u16 reliable_wr_count;
	u16 capacity;
};

struct rpmb_dev;

static inline struct rpmb_dev *rpmb_dev_register(struct device *dev,
						 struct rpmb_descr *descr)
{
	return NULL;
}

static inline int rpmb_dev_unregister(struct rpmb_dev *rdev)
{
	return 0;
}
#endif

#endif /* _VX_COMPAT_RPMB_H */
