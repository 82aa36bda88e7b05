// SPDX-License-Identifier: GPL-2.0
/*
 * Checks the generated uapi layouts inside the running kernel: sizes,
 * offsets and the bytes each typed member puts on the wire. Loading fails
 * with -EINVAL when any check fails.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <asm/byteorder.h>

#include <kselftest_module.h>

#define vx_cpu_to_le16 cpu_to_le16
#define vx_cpu_to_le32 cpu_to_le32
#define vx_cpu_to_le64 cpu_to_le64
#define vx_cpu_to_be16 cpu_to_be16
#define vx_cpu_to_be32 cpu_to_be32
#define vx_cpu_to_be64 cpu_to_be64

#define vx_layout_print pr_err

#include "uapi_layout_check.h"

KSTM_MODULE_GLOBALS();

static struct vx_layout_ctx ctx __initdata;

static void __init selftest(void)
{
	unsigned long i;

	for (i = 0; i < ARRAY_SIZE(vx_uapi_layouts); i++)
		KSTM_CHECK_ZERO(!vx_layout_run(&ctx, i));
	pr_info("%u layout checks in %zu structs\n", ctx.checks,
		ARRAY_SIZE(vx_uapi_layouts));
}

KSTM_MODULE_LOADERS(vx_test_uapi_layout);
MODULE_DESCRIPTION("virtio-extra: check generated uapi layouts in the kernel");
MODULE_LICENSE("GPL");
