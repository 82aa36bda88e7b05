// SPDX-License-Identifier: GPL-2.0
/*
 * Back-ends' management devices: what iproute2's vdpa tool lists with
 * "vdpa mgmtdev show" and creates devices on. Each back-end has one, under
 * a root device of its own name, so "mgmtdev vhost_rng" names it.
 */

#include <linux/device.h>
#include <linux/err.h>
#include <linux/module.h>

#include "vbe.h"

/**
 * vbe_mgmt_register - make a back-end's management device
 * @mgmt: it, with the vDPA ops, id_table and max_supported_vqs filled in
 * @name: the name vdpa users give as mgmtdev
 *
 * Return: 0 or a negative errno.
 */
int vbe_mgmt_register(struct vbe_mgmt *mgmt, const char *name)
{
	struct device *root;
	int ret;

	root = root_device_register(name);
	if (IS_ERR(root))
		return PTR_ERR(root);
	atomic_set(&mgmt->count, 0);
	mgmt->vdpa.device = root;
	ret = vdpa_mgmtdev_register(&mgmt->vdpa);
	if (ret)
		root_device_unregister(root);
	return ret;
}
EXPORT_SYMBOL_GPL(vbe_mgmt_register);

/**
 * vbe_mgmt_unregister - remove a management device and all its devices
 * @mgmt: it
 *
 * vhost-vdpa waits for the users of its devices to close them.
 */
void vbe_mgmt_unregister(struct vbe_mgmt *mgmt)
{
	vdpa_mgmtdev_unregister(&mgmt->vdpa);
	root_device_unregister(mgmt->vdpa.device);
}
EXPORT_SYMBOL_GPL(vbe_mgmt_unregister);
