/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * Do not edit directly, auto-generated from:
 *	Documentation/virtio/specs/can.yaml
 *	Documentation/virtio/specs/entropy.yaml
 *	Documentation/virtio/specs/i2c.yaml
 *	Documentation/virtio/specs/media.yaml
 *	Documentation/virtio/specs/rpmb.yaml
 *	Documentation/virtio/specs/scmi.yaml
 * by tools/virtio-spec/vspec-gen.py (layout).
 *
 * One check function per struct of every spec, listed in
 * vx_uapi_layouts[]. The includer defines struct vx_layout_ctx
 * and the checks: VX_CHECK_STRUCT(ctx, struct, size) and, per
 * member, VX_CHECK_<kind>(ctx, struct, member, offset) for the
 * scalars U8, LE16 ... BE64, VX_CHECK_BYTES(ctx, struct, member,
 * offset, size) for arrays and nested structs, VX_CHECK_FLEX for
 * a trailing flexible array.
 */
/* VSPEC-GEN layout table */
#ifndef VX_UAPI_LAYOUTS_H
#define VX_UAPI_LAYOUTS_H

#include <linux/virtio_extra/virtio_can.h>
#include <linux/virtio_extra/virtio_rng.h>
#include <linux/virtio_extra/virtio_i2c.h>
#include <linux/virtio_extra/virtio_media.h>
#include <linux/virtio_extra/virtio_rpmb.h>
#include <linux/virtio_extra/virtio_scmi.h>

static void vx_layout_virtio_can_config(struct vx_layout_ctx *ctx)
{
	VX_CHECK_STRUCT(ctx, virtio_can_config, 2);
	VX_CHECK_LE16(ctx, virtio_can_config, status, 0);
}

static void vx_layout_virtio_can_tx_out(struct vx_layout_ctx *ctx)
{
	VX_CHECK_STRUCT(ctx, virtio_can_tx_out, 16);
	VX_CHECK_LE16(ctx, virtio_can_tx_out, msg_type, 0);
	VX_CHECK_LE16(ctx, virtio_can_tx_out, length, 2);
	VX_CHECK_U8(ctx, virtio_can_tx_out, reserved_classic_dlc, 4);
	VX_CHECK_U8(ctx, virtio_can_tx_out, padding, 5);
	VX_CHECK_LE16(ctx, virtio_can_tx_out, reserved_xl_priority, 6);
	VX_CHECK_LE32(ctx, virtio_can_tx_out, flags, 8);
	VX_CHECK_LE32(ctx, virtio_can_tx_out, can_id, 12);
	VX_CHECK_FLEX(ctx, virtio_can_tx_out, sdu, 16);
}

static void vx_layout_virtio_can_tx_in(struct vx_layout_ctx *ctx)
{
	VX_CHECK_STRUCT(ctx, virtio_can_tx_in, 1);
	VX_CHECK_U8(ctx, virtio_can_tx_in, result, 0);
}

static void vx_layout_virtio_can_rx(struct vx_layout_ctx *ctx)
{
	VX_CHECK_STRUCT(ctx, virtio_can_rx, 16);
	VX_CHECK_LE16(ctx, virtio_can_rx, msg_type, 0);
	VX_CHECK_LE16(ctx, virtio_can_rx, length, 2);
	VX_CHECK_U8(ctx, virtio_can_rx, reserved_classic_dlc, 4);
	VX_CHECK_U8(ctx, virtio_can_rx, padding, 5);
	VX_CHECK_LE16(ctx, virtio_can_rx, reserved_xl_priority, 6);
	VX_CHECK_LE32(ctx, virtio_can_rx, flags, 8);
	VX_CHECK_LE32(ctx, virtio_can_rx, can_id, 12);
	VX_CHECK_FLEX(ctx, virtio_can_rx, sdu, 16);
}

static void vx_layout_virtio_can_control_out(struct vx_layout_ctx *ctx)
{
	VX_CHECK_STRUCT(ctx, virtio_can_control_out, 2);
	VX_CHECK_LE16(ctx, virtio_can_control_out, msg_type, 0);
}

static void vx_layout_virtio_can_control_in(struct vx_layout_ctx *ctx)
{
	VX_CHECK_STRUCT(ctx, virtio_can_control_in, 1);
	VX_CHECK_U8(ctx, virtio_can_control_in, result, 0);
}

static void vx_layout_virtio_i2c_out_hdr(struct vx_layout_ctx *ctx)
{
	VX_CHECK_STRUCT(ctx, virtio_i2c_out_hdr, 8);
	VX_CHECK_LE16(ctx, virtio_i2c_out_hdr, addr, 0);
	VX_CHECK_LE16(ctx, virtio_i2c_out_hdr, padding, 2);
	VX_CHECK_LE32(ctx, virtio_i2c_out_hdr, flags, 4);
}

static void vx_layout_virtio_i2c_in_hdr(struct vx_layout_ctx *ctx)
{
	VX_CHECK_STRUCT(ctx, virtio_i2c_in_hdr, 1);
	VX_CHECK_U8(ctx, virtio_i2c_in_hdr, status, 0);
}

static void vx_layout_virtio_media_config(struct vx_layout_ctx *ctx)
{
	VX_CHECK_STRUCT(ctx, virtio_media_config, 40);
	VX_CHECK_LE32(ctx, virtio_media_config, device_caps, 0);
	VX_CHECK_LE32(ctx, virtio_media_config, device_type, 4);
	VX_CHECK_BYTES(ctx, virtio_media_config, card, 8, 32);
}

static void vx_layout_virtio_media_cmd_header(struct vx_layout_ctx *ctx)
{
	VX_CHECK_STRUCT(ctx, virtio_media_cmd_header, 8);
	VX_CHECK_LE32(ctx, virtio_media_cmd_header, cmd, 0);
	VX_CHECK_LE32(ctx, virtio_media_cmd_header, reserved, 4);
}

static void vx_layout_virtio_media_resp_header(struct vx_layout_ctx *ctx)
{
	VX_CHECK_STRUCT(ctx, virtio_media_resp_header, 8);
	VX_CHECK_LE32(ctx, virtio_media_resp_header, status, 0);
	VX_CHECK_LE32(ctx, virtio_media_resp_header, reserved, 4);
}

static void vx_layout_virtio_media_cmd_open(struct vx_layout_ctx *ctx)
{
	VX_CHECK_STRUCT(ctx, virtio_media_cmd_open, 8);
	VX_CHECK_BYTES(ctx, virtio_media_cmd_open, hdr, 0, 8);
}

static void vx_layout_virtio_media_resp_open(struct vx_layout_ctx *ctx)
{
	VX_CHECK_STRUCT(ctx, virtio_media_resp_open, 16);
	VX_CHECK_BYTES(ctx, virtio_media_resp_open, hdr, 0, 8);
	VX_CHECK_LE32(ctx, virtio_media_resp_open, session_id, 8);
	VX_CHECK_LE32(ctx, virtio_media_resp_open, reserved, 12);
}

static void vx_layout_virtio_media_cmd_close(struct vx_layout_ctx *ctx)
{
	VX_CHECK_STRUCT(ctx, virtio_media_cmd_close, 16);
	VX_CHECK_BYTES(ctx, virtio_media_cmd_close, hdr, 0, 8);
	VX_CHECK_LE32(ctx, virtio_media_cmd_close, session_id, 8);
	VX_CHECK_LE32(ctx, virtio_media_cmd_close, reserved, 12);
}

static void vx_layout_virtio_media_cmd_ioctl(struct vx_layout_ctx *ctx)
{
	VX_CHECK_STRUCT(ctx, virtio_media_cmd_ioctl, 16);
	VX_CHECK_BYTES(ctx, virtio_media_cmd_ioctl, hdr, 0, 8);
	VX_CHECK_LE32(ctx, virtio_media_cmd_ioctl, session_id, 8);
	VX_CHECK_LE32(ctx, virtio_media_cmd_ioctl, code, 12);
}

static void vx_layout_virtio_media_resp_ioctl(struct vx_layout_ctx *ctx)
{
	VX_CHECK_STRUCT(ctx, virtio_media_resp_ioctl, 8);
	VX_CHECK_BYTES(ctx, virtio_media_resp_ioctl, hdr, 0, 8);
}

static void vx_layout_virtio_media_cmd_mmap(struct vx_layout_ctx *ctx)
{
	VX_CHECK_STRUCT(ctx, virtio_media_cmd_mmap, 20);
	VX_CHECK_BYTES(ctx, virtio_media_cmd_mmap, hdr, 0, 8);
	VX_CHECK_LE32(ctx, virtio_media_cmd_mmap, session_id, 8);
	VX_CHECK_LE32(ctx, virtio_media_cmd_mmap, flags, 12);
	VX_CHECK_LE32(ctx, virtio_media_cmd_mmap, offset, 16);
}

static void vx_layout_virtio_media_resp_mmap(struct vx_layout_ctx *ctx)
{
	VX_CHECK_STRUCT(ctx, virtio_media_resp_mmap, 24);
	VX_CHECK_BYTES(ctx, virtio_media_resp_mmap, hdr, 0, 8);
	VX_CHECK_LE64(ctx, virtio_media_resp_mmap, driver_addr, 8);
	VX_CHECK_LE64(ctx, virtio_media_resp_mmap, len, 16);
}

static void vx_layout_virtio_media_cmd_munmap(struct vx_layout_ctx *ctx)
{
	VX_CHECK_STRUCT(ctx, virtio_media_cmd_munmap, 16);
	VX_CHECK_BYTES(ctx, virtio_media_cmd_munmap, hdr, 0, 8);
	VX_CHECK_LE64(ctx, virtio_media_cmd_munmap, driver_addr, 8);
}

static void vx_layout_virtio_media_resp_munmap(struct vx_layout_ctx *ctx)
{
	VX_CHECK_STRUCT(ctx, virtio_media_resp_munmap, 8);
	VX_CHECK_BYTES(ctx, virtio_media_resp_munmap, hdr, 0, 8);
}

static void vx_layout_virtio_media_sg_entry(struct vx_layout_ctx *ctx)
{
	VX_CHECK_STRUCT(ctx, virtio_media_sg_entry, 16);
	VX_CHECK_LE64(ctx, virtio_media_sg_entry, start, 0);
	VX_CHECK_LE32(ctx, virtio_media_sg_entry, len, 8);
	VX_CHECK_LE32(ctx, virtio_media_sg_entry, reserved, 12);
}

static void vx_layout_virtio_media_event_header(struct vx_layout_ctx *ctx)
{
	VX_CHECK_STRUCT(ctx, virtio_media_event_header, 8);
	VX_CHECK_LE32(ctx, virtio_media_event_header, event, 0);
	VX_CHECK_LE32(ctx, virtio_media_event_header, session_id, 4);
}

static void vx_layout_virtio_media_event_error(struct vx_layout_ctx *ctx)
{
	VX_CHECK_STRUCT(ctx, virtio_media_event_error, 16);
	VX_CHECK_BYTES(ctx, virtio_media_event_error, hdr, 0, 8);
	VX_CHECK_LE32(ctx, virtio_media_event_error, errnum, 8);
	VX_CHECK_LE32(ctx, virtio_media_event_error, reserved, 12);
}

static void vx_layout_virtio_media_event_dqbuf(struct vx_layout_ctx *ctx)
{
	VX_CHECK_STRUCT(ctx, virtio_media_event_dqbuf, 608);
	VX_CHECK_BYTES(ctx, virtio_media_event_dqbuf, hdr, 0, 8);
	VX_CHECK_BYTES(ctx, virtio_media_event_dqbuf, buffer, 8, 88);
	VX_CHECK_BYTES(ctx, virtio_media_event_dqbuf, planes, 96, 512);
}

static void vx_layout_virtio_media_event_event(struct vx_layout_ctx *ctx)
{
	VX_CHECK_STRUCT(ctx, virtio_media_event_event, 144);
	VX_CHECK_BYTES(ctx, virtio_media_event_event, hdr, 0, 8);
	VX_CHECK_BYTES(ctx, virtio_media_event_event, event, 8, 136);
}

static void vx_layout_virtio_rpmb_config(struct vx_layout_ctx *ctx)
{
	VX_CHECK_STRUCT(ctx, virtio_rpmb_config, 3);
	VX_CHECK_U8(ctx, virtio_rpmb_config, capacity, 0);
	VX_CHECK_U8(ctx, virtio_rpmb_config, max_wr_cnt, 1);
	VX_CHECK_U8(ctx, virtio_rpmb_config, max_rd_cnt, 2);
}

static void vx_layout_virtio_rpmb_frame(struct vx_layout_ctx *ctx)
{
	VX_CHECK_STRUCT(ctx, virtio_rpmb_frame, 512);
	VX_CHECK_BYTES(ctx, virtio_rpmb_frame, stuff, 0, 196);
	VX_CHECK_BYTES(ctx, virtio_rpmb_frame, key_mac, 196, 32);
	VX_CHECK_BYTES(ctx, virtio_rpmb_frame, data, 228, 256);
	VX_CHECK_BYTES(ctx, virtio_rpmb_frame, nonce, 484, 16);
	VX_CHECK_BE32(ctx, virtio_rpmb_frame, write_counter, 500);
	VX_CHECK_BE16(ctx, virtio_rpmb_frame, address, 504);
	VX_CHECK_BE16(ctx, virtio_rpmb_frame, block_count, 506);
	VX_CHECK_BE16(ctx, virtio_rpmb_frame, result, 508);
	VX_CHECK_BE16(ctx, virtio_rpmb_frame, req_resp, 510);
}

static void vx_layout_virtio_scmi_request(struct vx_layout_ctx *ctx)
{
	VX_CHECK_STRUCT(ctx, virtio_scmi_request, 4);
	VX_CHECK_LE32(ctx, virtio_scmi_request, hdr, 0);
	VX_CHECK_FLEX(ctx, virtio_scmi_request, params, 4);
}

static void vx_layout_virtio_scmi_response(struct vx_layout_ctx *ctx)
{
	VX_CHECK_STRUCT(ctx, virtio_scmi_response, 8);
	VX_CHECK_LE32(ctx, virtio_scmi_response, hdr, 0);
	VX_CHECK_LE32(ctx, virtio_scmi_response, status, 4);
	VX_CHECK_FLEX(ctx, virtio_scmi_response, ret_values, 8);
}

static void vx_layout_virtio_scmi_event_msg(struct vx_layout_ctx *ctx)
{
	VX_CHECK_STRUCT(ctx, virtio_scmi_event_msg, 4);
	VX_CHECK_LE32(ctx, virtio_scmi_event_msg, hdr, 0);
	VX_CHECK_FLEX(ctx, virtio_scmi_event_msg, payload, 4);
}

static const struct vx_layout vx_uapi_layouts[] = {
	{ "virtio_can_config", vx_layout_virtio_can_config },
	{ "virtio_can_tx_out", vx_layout_virtio_can_tx_out },
	{ "virtio_can_tx_in", vx_layout_virtio_can_tx_in },
	{ "virtio_can_rx", vx_layout_virtio_can_rx },
	{ "virtio_can_control_out", vx_layout_virtio_can_control_out },
	{ "virtio_can_control_in", vx_layout_virtio_can_control_in },
	{ "virtio_i2c_out_hdr", vx_layout_virtio_i2c_out_hdr },
	{ "virtio_i2c_in_hdr", vx_layout_virtio_i2c_in_hdr },
	{ "virtio_media_config", vx_layout_virtio_media_config },
	{ "virtio_media_cmd_header", vx_layout_virtio_media_cmd_header },
	{ "virtio_media_resp_header", vx_layout_virtio_media_resp_header },
	{ "virtio_media_cmd_open", vx_layout_virtio_media_cmd_open },
	{ "virtio_media_resp_open", vx_layout_virtio_media_resp_open },
	{ "virtio_media_cmd_close", vx_layout_virtio_media_cmd_close },
	{ "virtio_media_cmd_ioctl", vx_layout_virtio_media_cmd_ioctl },
	{ "virtio_media_resp_ioctl", vx_layout_virtio_media_resp_ioctl },
	{ "virtio_media_cmd_mmap", vx_layout_virtio_media_cmd_mmap },
	{ "virtio_media_resp_mmap", vx_layout_virtio_media_resp_mmap },
	{ "virtio_media_cmd_munmap", vx_layout_virtio_media_cmd_munmap },
	{ "virtio_media_resp_munmap", vx_layout_virtio_media_resp_munmap },
	{ "virtio_media_sg_entry", vx_layout_virtio_media_sg_entry },
	{ "virtio_media_event_header", vx_layout_virtio_media_event_header },
	{ "virtio_media_event_error", vx_layout_virtio_media_event_error },
	{ "virtio_media_event_dqbuf", vx_layout_virtio_media_event_dqbuf },
	{ "virtio_media_event_event", vx_layout_virtio_media_event_event },
	{ "virtio_rpmb_config", vx_layout_virtio_rpmb_config },
	{ "virtio_rpmb_frame", vx_layout_virtio_rpmb_frame },
	{ "virtio_scmi_request", vx_layout_virtio_scmi_request },
	{ "virtio_scmi_response", vx_layout_virtio_scmi_response },
	{ "virtio_scmi_event_msg", vx_layout_virtio_scmi_event_msg },
};

#endif /* VX_UAPI_LAYOUTS_H */
