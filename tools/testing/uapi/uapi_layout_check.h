/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Layout checks of the generated uapi headers, shared by the kernel test
 * module and the userspace test so both environments run the same checks.
 *
 * The generated checks (uapi_layouts.h) write each member through its
 * declared type, converted to its wire byte order; the raw bytes must then
 * be exactly what the spec puts at that offset, and nothing elsewhere. Under
 * sparse the assignments also prove each member has the right __le/__be type.
 *
 * The includer provides vx_cpu_to_{le,be}{16,32,64}(), offsetof, memset and
 * vx_layout_print(fmt, ...) to report a mismatch.
 */
#ifndef VX_UAPI_LAYOUT_CHECK_H
#define VX_UAPI_LAYOUT_CHECK_H

/* Large enough for the largest struct of any spec. */
#define VX_LAYOUT_BUF_SIZE 1024
#define VX_LAYOUT_FILL 0xa5

enum vx_layout_kind { VX_U8, VX_LE16, VX_BE16, VX_LE32, VX_BE32, VX_LE64, VX_BE64 };

/* The bytes each kind's test value must produce, lowest address first. */
static const unsigned char vx_layout_wire[][8] = {
	[VX_U8] = { 0x5a },
	[VX_LE16] = { 2, 1 },
	[VX_BE16] = { 1, 2 },
	[VX_LE32] = { 4, 3, 2, 1 },
	[VX_BE32] = { 1, 2, 3, 4 },
	[VX_LE64] = { 8, 7, 6, 5, 4, 3, 2, 1 },
	[VX_BE64] = { 1, 2, 3, 4, 5, 6, 7, 8 },
};

static const unsigned char vx_layout_width[] = {
	[VX_U8] = 1, [VX_LE16] = 2, [VX_BE16] = 2, [VX_LE32] = 4,
	[VX_BE32] = 4, [VX_LE64] = 8, [VX_BE64] = 8,
};

struct vx_layout_ctx {
	const char *name;
	unsigned long size;
	unsigned int checks;
	unsigned int failures;
	union {
		unsigned char buf[VX_LAYOUT_BUF_SIZE];
		unsigned long long align;	/* for the widest member */
	};
};

struct vx_layout {
	const char *name;
	void (*check)(struct vx_layout_ctx *ctx);
};

static void vx_layout_result(struct vx_layout_ctx *ctx, const char *member,
			     int ok, unsigned long byte, unsigned int got,
			     unsigned int want)
{
	ctx->checks++;
	if (!ok) {
		vx_layout_print("struct %s: %s: byte %lu is 0x%02x, the spec says 0x%02x\n",
				ctx->name, member, byte, got, want);
		ctx->failures++;
	}
}

/* Start the checks of a struct: its size, and a zeroed buffer to write. */
static void *vx_layout_struct(struct vx_layout_ctx *ctx, unsigned long size,
			      unsigned long spec_size)
{
	ctx->size = size < VX_LAYOUT_BUF_SIZE ? size : VX_LAYOUT_BUF_SIZE;
	vx_layout_result(ctx, "size", size == spec_size, size, 0, 0);
	memset(ctx->buf, 0, sizeof(ctx->buf));
	return ctx->buf;
}

/*
 * The buffer must hold want[] (or fill when want is NULL) at [off, off + len)
 * and zeroes elsewhere; it is zeroed again for the next member.
 */
static void vx_layout_expect(struct vx_layout_ctx *ctx, const char *member,
			     unsigned long off, const unsigned char *want,
			     unsigned long len)
{
	unsigned long i;
	unsigned char expected;
	int ok = off + len <= ctx->size;

	for (i = 0; ok && i < ctx->size; i++) {
		expected = 0;
		if (i >= off && i < off + len)
			expected = want ? want[i - off] : VX_LAYOUT_FILL;
		ok = ctx->buf[i] == expected;
	}
	if (ok)
		i = 1;
	vx_layout_result(ctx, member, ok, i - 1, ctx->buf[i - 1], expected);
	memset(ctx->buf, 0, sizeof(ctx->buf));
}

static void vx_layout_scalar(struct vx_layout_ctx *ctx, const char *member,
			     unsigned long offset, unsigned long spec_offset,
			     enum vx_layout_kind kind)
{
	vx_layout_result(ctx, member, offset == spec_offset, offset, 0, 0);
	vx_layout_expect(ctx, member, spec_offset, vx_layout_wire[kind],
			 vx_layout_width[kind]);
}

static void vx_layout_bytes(struct vx_layout_ctx *ctx, const char *member,
			    unsigned long offset, unsigned long spec_offset,
			    unsigned long len)
{
	vx_layout_result(ctx, member, offset == spec_offset, offset, 0, 0);
	vx_layout_expect(ctx, member, spec_offset, NULL, len);
}

/* A trailing flexible array starts where the fixed part ends. */
static void vx_layout_flex(struct vx_layout_ctx *ctx, const char *member,
			   unsigned long offset, unsigned long spec_offset)
{
	vx_layout_result(ctx, member,
			 offset == spec_offset && ctx->size == spec_offset,
			 offset, 0, 0);
}

#include "uapi_layouts.h"

/* Run the checks of vx_uapi_layouts[i]; true when they all pass. */
static int vx_layout_run(struct vx_layout_ctx *ctx, unsigned long i)
{
	unsigned int failures = ctx->failures;

	ctx->name = vx_uapi_layouts[i].name;
	vx_uapi_layouts[i].check(ctx);
	return ctx->failures == failures;
}

#endif /* VX_UAPI_LAYOUT_CHECK_H */
