// SPDX-License-Identifier: GPL-2.0
/*
 * Raises one kernel warning when loaded. The VM runner must fail any run whose
 * kernel log shows it: this module is how its own test proves that.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bug.h>
#include <linux/module.h>

static int __init vx_test_warn_init(void)
{
	WARN(1, "deliberate warning: the VM runner must fail this run\n");
	return 0;
}

static void __exit vx_test_warn_exit(void)
{
}

module_init(vx_test_warn_init);
module_exit(vx_test_warn_exit);
MODULE_DESCRIPTION("virtio-extra: raise a warning to test failure detection");
MODULE_LICENSE("GPL");
