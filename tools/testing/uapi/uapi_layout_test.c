// SPDX-License-Identifier: GPL-2.0
/*
 * Checks the generated uapi layouts in userspace: the headers compile
 * without the kernel, and every struct has the sizes, offsets and byte order
 * the specs state.
 */
#include <endian.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "kselftest_harness.h"

#define vx_cpu_to_le16 htole16
#define vx_cpu_to_le32 htole32
#define vx_cpu_to_le64 htole64
#define vx_cpu_to_be16 htobe16
#define vx_cpu_to_be32 htobe32
#define vx_cpu_to_be64 htobe64

#define vx_layout_print ksft_print_msg

#include "uapi_layout_check.h"

TEST(layouts)
{
	static struct vx_layout_ctx ctx;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vx_uapi_layouts); i++)
		EXPECT_TRUE(vx_layout_run(&ctx, i))
			TH_LOG("struct %s", vx_uapi_layouts[i].name);
	ksft_print_msg("%u layout checks in %zu structs\n", ctx.checks,
		       ARRAY_SIZE(vx_uapi_layouts));
	ASSERT_GT(ctx.checks, ARRAY_SIZE(vx_uapi_layouts));
}

TEST_HARNESS_MAIN
