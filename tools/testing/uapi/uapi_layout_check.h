/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Layout checks of the generated uapi headers, shared by the kernel test
 * module and the userspace test so both environments run the same checks.
 *
 * Each scalar member is written through its declared type with the byte-order
 * conversion its wire type demands; the raw bytes must then be exactly what
 * the spec puts at that offset, and nothing elsewhere. Under sparse the
 * assignment also proves the member carries the right __le/__be type.
 *
 * The includer provides vx_cpu_to_{le,be}{16,32,64}(), offsetof, memset and
 * vx_layout_report(ctx, what, byte, got, want) for a mismatch.
 */
#ifndef VX_UAPI_LAYOUT_CHECK_H
#define VX_UAPI_LAYOUT_CHECK_H

/* Large enough for the largest struct of any spec. */
#define VX_LAYOUT_BUF_SIZE 1024

struct vx_layout_ctx {
	unsigned int checks;
	unsigned int failures;
	unsigned char buf[VX_LAYOUT_BUF_SIZE] __attribute__((aligned(8)));
};

struct vx_layout {
	const char *name;
	void (*check)(struct vx_layout_ctx *ctx);
};

/*
 * Compare ctx->buf[0..size) with: want[] (or fill when want is NULL) at
 * [off, off + len), zero elsewhere.
 */
static void vx_layout_expect(struct vx_layout_ctx *ctx, const char *what,
			     unsigned long size, unsigned long off,
			     const unsigned char *want, unsigned long len,
			     unsigned char fill)
{
	unsigned long i;
	unsigned char expected;

	ctx->checks++;
	if (size > VX_LAYOUT_BUF_SIZE || off + len > size) {
		vx_layout_report(ctx, what, off + len, 0, 0);
		ctx->failures++;
		return;
	}
	for (i = 0; i < size; i++) {
		expected = 0;
		if (i >= off && i < off + len)
			expected = want ? want[i - off] : fill;
		if (ctx->buf[i] != expected) {
			vx_layout_report(ctx, what, i, ctx->buf[i], expected);
			ctx->failures++;
			return;
		}
	}
}

static void vx_layout_expect_true(struct vx_layout_ctx *ctx, const char *what,
				  int ok)
{
	ctx->checks++;
	if (!ok) {
		vx_layout_report(ctx, what, 0, 0, 0);
		ctx->failures++;
	}
}

#define VX_CHECK_STRUCT(ctx, s, size) \
	vx_layout_expect_true(ctx, #s " size", sizeof(struct s) == (size))

#define VX_CHECK_SCALAR(ctx, s, m, off, conv, value, ...)		\
	do {								\
		static const unsigned char want[] = { __VA_ARGS__ };	\
									\
		vx_layout_expect_true(ctx, #s "." #m " offset",		\
				      offsetof(struct s, m) == (off));	\
		memset((ctx)->buf, 0, sizeof((ctx)->buf));		\
		((struct s *)(ctx)->buf)->m = conv(value);		\
		vx_layout_expect(ctx, #s "." #m, sizeof(struct s), off,	\
				 want, sizeof(want), 0);		\
	} while (0)

#define vx_u8(x) (x)
#define VX_CHECK_U8(ctx, s, m, off) \
	VX_CHECK_SCALAR(ctx, s, m, off, vx_u8, 0x5a, 0x5a)
#define VX_CHECK_LE16(ctx, s, m, off) \
	VX_CHECK_SCALAR(ctx, s, m, off, vx_cpu_to_le16, 0x0102, 2, 1)
#define VX_CHECK_BE16(ctx, s, m, off) \
	VX_CHECK_SCALAR(ctx, s, m, off, vx_cpu_to_be16, 0x0102, 1, 2)
#define VX_CHECK_LE32(ctx, s, m, off) \
	VX_CHECK_SCALAR(ctx, s, m, off, vx_cpu_to_le32, 0x01020304, 4, 3, 2, 1)
#define VX_CHECK_BE32(ctx, s, m, off) \
	VX_CHECK_SCALAR(ctx, s, m, off, vx_cpu_to_be32, 0x01020304, 1, 2, 3, 4)
#define VX_CHECK_LE64(ctx, s, m, off) \
	VX_CHECK_SCALAR(ctx, s, m, off, vx_cpu_to_le64, 0x0102030405060708ULL, \
			8, 7, 6, 5, 4, 3, 2, 1)
#define VX_CHECK_BE64(ctx, s, m, off) \
	VX_CHECK_SCALAR(ctx, s, m, off, vx_cpu_to_be64, 0x0102030405060708ULL, \
			1, 2, 3, 4, 5, 6, 7, 8)

#define VX_CHECK_BYTES(ctx, s, m, off, size)				\
	do {								\
		vx_layout_expect_true(ctx, #s "." #m " offset",		\
				      offsetof(struct s, m) == (off));	\
		memset((ctx)->buf, 0, sizeof((ctx)->buf));		\
		memset(&((struct s *)(ctx)->buf)->m, 0xa5,		\
		       sizeof(((struct s *)(ctx)->buf)->m));		\
		vx_layout_expect(ctx, #s "." #m, sizeof(struct s), off,	\
				 NULL, size, 0xa5);			\
	} while (0)

/* A trailing flexible array starts where the fixed part ends. */
#define VX_CHECK_FLEX(ctx, s, m, off)					\
	vx_layout_expect_true(ctx, #s "." #m " offset",		\
			      offsetof(struct s, m) == (off) &&		\
			      sizeof(struct s) == (off))

#include "uapi_layouts.h"

#endif /* VX_UAPI_LAYOUT_CHECK_H */
