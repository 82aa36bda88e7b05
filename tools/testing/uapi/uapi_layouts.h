/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * Do not edit directly, auto-generated from:
 *	Documentation/virtio/specs/audio-policy.yaml
 *	Documentation/virtio/specs/can.yaml
 *	Documentation/virtio/specs/entropy.yaml
 *	Documentation/virtio/specs/i2c.yaml
 *	Documentation/virtio/specs/media.yaml
 *	Documentation/virtio/specs/param.yaml
 *	Documentation/virtio/specs/rpmb.yaml
 *	Documentation/virtio/specs/scmi.yaml
 *	Documentation/virtio/specs/watchdog.yaml
 * by tools/virtio-spec/vspec-gen.py (layout).
 *
 * One check per struct of every spec, listed in
 * vx_uapi_layouts[]: each member is written through its
 * declared type, converted to its wire byte order, and
 * uapi_layout_check.h compares the bytes with the spec.
 */
/* VSPEC-GEN layout table */
#ifndef VX_UAPI_LAYOUTS_H
#define VX_UAPI_LAYOUTS_H

#include <linux/virtio_extra/virtio_audio_policy.h>
#include <linux/virtio_extra/virtio_can.h>
#include <linux/virtio_extra/virtio_rng.h>
#include <linux/virtio_extra/virtio_i2c.h>
#include <linux/virtio_extra/virtio_media.h>
#include <linux/virtio_extra/virtio_param.h>
#include <linux/virtio_extra/virtio_rpmb.h>
#include <linux/virtio_extra/virtio_scmi.h>
#include <linux/virtio_extra/virtio_watchdog.h>

static void vx_layout_virtio_audio_policy_config(struct vx_layout_ctx *ctx)
{
	struct virtio_audio_policy_config *p = vx_layout_struct(ctx, sizeof(*p), 16);

	p->zones = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "zones",
			 offsetof(typeof(*p), zones), 0, VX_LE32);
	p->max_usages = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "max_usages",
			 offsetof(typeof(*p), max_usages), 4, VX_LE32);
	p->streams = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "streams",
			 offsetof(typeof(*p), streams), 8, VX_LE32);
	p->jacks = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "jacks",
			 offsetof(typeof(*p), jacks), 12, VX_LE32);
}

static void vx_layout_virtio_audio_policy_req(struct vx_layout_ctx *ctx)
{
	struct virtio_audio_policy_req *p = vx_layout_struct(ctx, sizeof(*p), 24);

	p->type = vx_cpu_to_le16(0x0102);
	vx_layout_scalar(ctx, "type",
			 offsetof(typeof(*p), type), 0, VX_LE16);
	p->reserved = vx_cpu_to_le16(0x0102);
	vx_layout_scalar(ctx, "reserved",
			 offsetof(typeof(*p), reserved), 2, VX_LE16);
	p->session = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "session",
			 offsetof(typeof(*p), session), 4, VX_LE32);
	p->usage = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "usage",
			 offsetof(typeof(*p), usage), 8, VX_LE32);
	p->zone = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "zone",
			 offsetof(typeof(*p), zone), 12, VX_LE32);
	p->flags = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "flags",
			 offsetof(typeof(*p), flags), 16, VX_LE32);
	p->stream = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "stream",
			 offsetof(typeof(*p), stream), 20, VX_LE32);
}

static void vx_layout_virtio_audio_policy_resp(struct vx_layout_ctx *ctx)
{
	struct virtio_audio_policy_resp *p = vx_layout_struct(ctx, sizeof(*p), 8);

	p->status = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "status",
			 offsetof(typeof(*p), status), 0, VX_LE32);
	p->len = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "len",
			 offsetof(typeof(*p), len), 4, VX_LE32);
}

static void vx_layout_virtio_audio_policy_zone_info(struct vx_layout_ctx *ctx)
{
	struct virtio_audio_policy_zone_info *p = vx_layout_struct(ctx, sizeof(*p), 36);

	memset(&p->name, VX_LAYOUT_FILL, sizeof(p->name));
	vx_layout_bytes(ctx, "name",
			offsetof(typeof(*p), name), 0, 32);
	p->num_usages = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "num_usages",
			 offsetof(typeof(*p), num_usages), 32, VX_LE32);
}

static void vx_layout_virtio_audio_policy_event(struct vx_layout_ctx *ctx)
{
	struct virtio_audio_policy_event *p = vx_layout_struct(ctx, sizeof(*p), 16);

	p->type = vx_cpu_to_le16(0x0102);
	vx_layout_scalar(ctx, "type",
			 offsetof(typeof(*p), type), 0, VX_LE16);
	p->target = vx_cpu_to_le16(0x0102);
	vx_layout_scalar(ctx, "target",
			 offsetof(typeof(*p), target), 2, VX_LE16);
	p->id = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "id",
			 offsetof(typeof(*p), id), 4, VX_LE32);
	p->value = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "value",
			 offsetof(typeof(*p), value), 8, VX_LE32);
	p->reasons = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "reasons",
			 offsetof(typeof(*p), reasons), 12, VX_LE32);
}

static void vx_layout_virtio_can_config(struct vx_layout_ctx *ctx)
{
	struct virtio_can_config *p = vx_layout_struct(ctx, sizeof(*p), 2);

	p->status = vx_cpu_to_le16(0x0102);
	vx_layout_scalar(ctx, "status",
			 offsetof(typeof(*p), status), 0, VX_LE16);
}

static void vx_layout_virtio_can_tx_out(struct vx_layout_ctx *ctx)
{
	struct virtio_can_tx_out *p = vx_layout_struct(ctx, sizeof(*p), 16);

	p->msg_type = vx_cpu_to_le16(0x0102);
	vx_layout_scalar(ctx, "msg_type",
			 offsetof(typeof(*p), msg_type), 0, VX_LE16);
	p->length = vx_cpu_to_le16(0x0102);
	vx_layout_scalar(ctx, "length",
			 offsetof(typeof(*p), length), 2, VX_LE16);
	p->reserved_classic_dlc = (0x5a);
	vx_layout_scalar(ctx, "reserved_classic_dlc",
			 offsetof(typeof(*p), reserved_classic_dlc), 4, VX_U8);
	p->padding = (0x5a);
	vx_layout_scalar(ctx, "padding",
			 offsetof(typeof(*p), padding), 5, VX_U8);
	p->reserved_xl_priority = vx_cpu_to_le16(0x0102);
	vx_layout_scalar(ctx, "reserved_xl_priority",
			 offsetof(typeof(*p), reserved_xl_priority), 6, VX_LE16);
	p->flags = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "flags",
			 offsetof(typeof(*p), flags), 8, VX_LE32);
	p->can_id = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "can_id",
			 offsetof(typeof(*p), can_id), 12, VX_LE32);
	vx_layout_flex(ctx, "sdu",
		       offsetof(typeof(*p), sdu), 16);
}

static void vx_layout_virtio_can_tx_in(struct vx_layout_ctx *ctx)
{
	struct virtio_can_tx_in *p = vx_layout_struct(ctx, sizeof(*p), 1);

	p->result = (0x5a);
	vx_layout_scalar(ctx, "result",
			 offsetof(typeof(*p), result), 0, VX_U8);
}

static void vx_layout_virtio_can_rx(struct vx_layout_ctx *ctx)
{
	struct virtio_can_rx *p = vx_layout_struct(ctx, sizeof(*p), 16);

	p->msg_type = vx_cpu_to_le16(0x0102);
	vx_layout_scalar(ctx, "msg_type",
			 offsetof(typeof(*p), msg_type), 0, VX_LE16);
	p->length = vx_cpu_to_le16(0x0102);
	vx_layout_scalar(ctx, "length",
			 offsetof(typeof(*p), length), 2, VX_LE16);
	p->reserved_classic_dlc = (0x5a);
	vx_layout_scalar(ctx, "reserved_classic_dlc",
			 offsetof(typeof(*p), reserved_classic_dlc), 4, VX_U8);
	p->padding = (0x5a);
	vx_layout_scalar(ctx, "padding",
			 offsetof(typeof(*p), padding), 5, VX_U8);
	p->reserved_xl_priority = vx_cpu_to_le16(0x0102);
	vx_layout_scalar(ctx, "reserved_xl_priority",
			 offsetof(typeof(*p), reserved_xl_priority), 6, VX_LE16);
	p->flags = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "flags",
			 offsetof(typeof(*p), flags), 8, VX_LE32);
	p->can_id = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "can_id",
			 offsetof(typeof(*p), can_id), 12, VX_LE32);
	vx_layout_flex(ctx, "sdu",
		       offsetof(typeof(*p), sdu), 16);
}

static void vx_layout_virtio_can_control_out(struct vx_layout_ctx *ctx)
{
	struct virtio_can_control_out *p = vx_layout_struct(ctx, sizeof(*p), 2);

	p->msg_type = vx_cpu_to_le16(0x0102);
	vx_layout_scalar(ctx, "msg_type",
			 offsetof(typeof(*p), msg_type), 0, VX_LE16);
}

static void vx_layout_virtio_can_control_in(struct vx_layout_ctx *ctx)
{
	struct virtio_can_control_in *p = vx_layout_struct(ctx, sizeof(*p), 1);

	p->result = (0x5a);
	vx_layout_scalar(ctx, "result",
			 offsetof(typeof(*p), result), 0, VX_U8);
}

static void vx_layout_virtio_i2c_out_hdr(struct vx_layout_ctx *ctx)
{
	struct virtio_i2c_out_hdr *p = vx_layout_struct(ctx, sizeof(*p), 8);

	p->addr = vx_cpu_to_le16(0x0102);
	vx_layout_scalar(ctx, "addr",
			 offsetof(typeof(*p), addr), 0, VX_LE16);
	p->padding = vx_cpu_to_le16(0x0102);
	vx_layout_scalar(ctx, "padding",
			 offsetof(typeof(*p), padding), 2, VX_LE16);
	p->flags = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "flags",
			 offsetof(typeof(*p), flags), 4, VX_LE32);
}

static void vx_layout_virtio_i2c_in_hdr(struct vx_layout_ctx *ctx)
{
	struct virtio_i2c_in_hdr *p = vx_layout_struct(ctx, sizeof(*p), 1);

	p->status = (0x5a);
	vx_layout_scalar(ctx, "status",
			 offsetof(typeof(*p), status), 0, VX_U8);
}

static void vx_layout_virtio_media_config(struct vx_layout_ctx *ctx)
{
	struct virtio_media_config *p = vx_layout_struct(ctx, sizeof(*p), 40);

	p->device_caps = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "device_caps",
			 offsetof(typeof(*p), device_caps), 0, VX_LE32);
	p->device_type = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "device_type",
			 offsetof(typeof(*p), device_type), 4, VX_LE32);
	memset(&p->card, VX_LAYOUT_FILL, sizeof(p->card));
	vx_layout_bytes(ctx, "card",
			offsetof(typeof(*p), card), 8, 32);
}

static void vx_layout_virtio_media_cmd_header(struct vx_layout_ctx *ctx)
{
	struct virtio_media_cmd_header *p = vx_layout_struct(ctx, sizeof(*p), 8);

	p->cmd = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "cmd",
			 offsetof(typeof(*p), cmd), 0, VX_LE32);
	p->reserved = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "reserved",
			 offsetof(typeof(*p), reserved), 4, VX_LE32);
}

static void vx_layout_virtio_media_resp_header(struct vx_layout_ctx *ctx)
{
	struct virtio_media_resp_header *p = vx_layout_struct(ctx, sizeof(*p), 8);

	p->status = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "status",
			 offsetof(typeof(*p), status), 0, VX_LE32);
	p->reserved = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "reserved",
			 offsetof(typeof(*p), reserved), 4, VX_LE32);
}

static void vx_layout_virtio_media_cmd_open(struct vx_layout_ctx *ctx)
{
	struct virtio_media_cmd_open *p = vx_layout_struct(ctx, sizeof(*p), 8);

	memset(&p->hdr, VX_LAYOUT_FILL, sizeof(p->hdr));
	vx_layout_bytes(ctx, "hdr",
			offsetof(typeof(*p), hdr), 0, 8);
}

static void vx_layout_virtio_media_resp_open(struct vx_layout_ctx *ctx)
{
	struct virtio_media_resp_open *p = vx_layout_struct(ctx, sizeof(*p), 16);

	memset(&p->hdr, VX_LAYOUT_FILL, sizeof(p->hdr));
	vx_layout_bytes(ctx, "hdr",
			offsetof(typeof(*p), hdr), 0, 8);
	p->session_id = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "session_id",
			 offsetof(typeof(*p), session_id), 8, VX_LE32);
	p->reserved = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "reserved",
			 offsetof(typeof(*p), reserved), 12, VX_LE32);
}

static void vx_layout_virtio_media_cmd_close(struct vx_layout_ctx *ctx)
{
	struct virtio_media_cmd_close *p = vx_layout_struct(ctx, sizeof(*p), 16);

	memset(&p->hdr, VX_LAYOUT_FILL, sizeof(p->hdr));
	vx_layout_bytes(ctx, "hdr",
			offsetof(typeof(*p), hdr), 0, 8);
	p->session_id = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "session_id",
			 offsetof(typeof(*p), session_id), 8, VX_LE32);
	p->reserved = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "reserved",
			 offsetof(typeof(*p), reserved), 12, VX_LE32);
}

static void vx_layout_virtio_media_cmd_ioctl(struct vx_layout_ctx *ctx)
{
	struct virtio_media_cmd_ioctl *p = vx_layout_struct(ctx, sizeof(*p), 16);

	memset(&p->hdr, VX_LAYOUT_FILL, sizeof(p->hdr));
	vx_layout_bytes(ctx, "hdr",
			offsetof(typeof(*p), hdr), 0, 8);
	p->session_id = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "session_id",
			 offsetof(typeof(*p), session_id), 8, VX_LE32);
	p->code = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "code",
			 offsetof(typeof(*p), code), 12, VX_LE32);
}

static void vx_layout_virtio_media_resp_ioctl(struct vx_layout_ctx *ctx)
{
	struct virtio_media_resp_ioctl *p = vx_layout_struct(ctx, sizeof(*p), 8);

	memset(&p->hdr, VX_LAYOUT_FILL, sizeof(p->hdr));
	vx_layout_bytes(ctx, "hdr",
			offsetof(typeof(*p), hdr), 0, 8);
}

static void vx_layout_virtio_media_cmd_mmap(struct vx_layout_ctx *ctx)
{
	struct virtio_media_cmd_mmap *p = vx_layout_struct(ctx, sizeof(*p), 20);

	memset(&p->hdr, VX_LAYOUT_FILL, sizeof(p->hdr));
	vx_layout_bytes(ctx, "hdr",
			offsetof(typeof(*p), hdr), 0, 8);
	p->session_id = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "session_id",
			 offsetof(typeof(*p), session_id), 8, VX_LE32);
	p->flags = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "flags",
			 offsetof(typeof(*p), flags), 12, VX_LE32);
	p->offset = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "offset",
			 offsetof(typeof(*p), offset), 16, VX_LE32);
}

static void vx_layout_virtio_media_resp_mmap(struct vx_layout_ctx *ctx)
{
	struct virtio_media_resp_mmap *p = vx_layout_struct(ctx, sizeof(*p), 24);

	memset(&p->hdr, VX_LAYOUT_FILL, sizeof(p->hdr));
	vx_layout_bytes(ctx, "hdr",
			offsetof(typeof(*p), hdr), 0, 8);
	p->driver_addr = vx_cpu_to_le64(0x0102030405060708ULL);
	vx_layout_scalar(ctx, "driver_addr",
			 offsetof(typeof(*p), driver_addr), 8, VX_LE64);
	p->len = vx_cpu_to_le64(0x0102030405060708ULL);
	vx_layout_scalar(ctx, "len",
			 offsetof(typeof(*p), len), 16, VX_LE64);
}

static void vx_layout_virtio_media_cmd_munmap(struct vx_layout_ctx *ctx)
{
	struct virtio_media_cmd_munmap *p = vx_layout_struct(ctx, sizeof(*p), 16);

	memset(&p->hdr, VX_LAYOUT_FILL, sizeof(p->hdr));
	vx_layout_bytes(ctx, "hdr",
			offsetof(typeof(*p), hdr), 0, 8);
	p->driver_addr = vx_cpu_to_le64(0x0102030405060708ULL);
	vx_layout_scalar(ctx, "driver_addr",
			 offsetof(typeof(*p), driver_addr), 8, VX_LE64);
}

static void vx_layout_virtio_media_resp_munmap(struct vx_layout_ctx *ctx)
{
	struct virtio_media_resp_munmap *p = vx_layout_struct(ctx, sizeof(*p), 8);

	memset(&p->hdr, VX_LAYOUT_FILL, sizeof(p->hdr));
	vx_layout_bytes(ctx, "hdr",
			offsetof(typeof(*p), hdr), 0, 8);
}

static void vx_layout_virtio_media_sg_entry(struct vx_layout_ctx *ctx)
{
	struct virtio_media_sg_entry *p = vx_layout_struct(ctx, sizeof(*p), 16);

	p->start = vx_cpu_to_le64(0x0102030405060708ULL);
	vx_layout_scalar(ctx, "start",
			 offsetof(typeof(*p), start), 0, VX_LE64);
	p->len = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "len",
			 offsetof(typeof(*p), len), 8, VX_LE32);
	p->reserved = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "reserved",
			 offsetof(typeof(*p), reserved), 12, VX_LE32);
}

static void vx_layout_virtio_media_event_header(struct vx_layout_ctx *ctx)
{
	struct virtio_media_event_header *p = vx_layout_struct(ctx, sizeof(*p), 8);

	p->event = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "event",
			 offsetof(typeof(*p), event), 0, VX_LE32);
	p->session_id = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "session_id",
			 offsetof(typeof(*p), session_id), 4, VX_LE32);
}

static void vx_layout_virtio_media_event_error(struct vx_layout_ctx *ctx)
{
	struct virtio_media_event_error *p = vx_layout_struct(ctx, sizeof(*p), 16);

	memset(&p->hdr, VX_LAYOUT_FILL, sizeof(p->hdr));
	vx_layout_bytes(ctx, "hdr",
			offsetof(typeof(*p), hdr), 0, 8);
	p->errnum = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "errnum",
			 offsetof(typeof(*p), errnum), 8, VX_LE32);
	p->reserved = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "reserved",
			 offsetof(typeof(*p), reserved), 12, VX_LE32);
}

static void vx_layout_virtio_media_event_dqbuf(struct vx_layout_ctx *ctx)
{
	struct virtio_media_event_dqbuf *p = vx_layout_struct(ctx, sizeof(*p), 608);

	memset(&p->hdr, VX_LAYOUT_FILL, sizeof(p->hdr));
	vx_layout_bytes(ctx, "hdr",
			offsetof(typeof(*p), hdr), 0, 8);
	memset(&p->buffer, VX_LAYOUT_FILL, sizeof(p->buffer));
	vx_layout_bytes(ctx, "buffer",
			offsetof(typeof(*p), buffer), 8, 88);
	memset(&p->planes, VX_LAYOUT_FILL, sizeof(p->planes));
	vx_layout_bytes(ctx, "planes",
			offsetof(typeof(*p), planes), 96, 512);
}

static void vx_layout_virtio_media_event_event(struct vx_layout_ctx *ctx)
{
	struct virtio_media_event_event *p = vx_layout_struct(ctx, sizeof(*p), 144);

	memset(&p->hdr, VX_LAYOUT_FILL, sizeof(p->hdr));
	vx_layout_bytes(ctx, "hdr",
			offsetof(typeof(*p), hdr), 0, 8);
	memset(&p->event, VX_LAYOUT_FILL, sizeof(p->event));
	vx_layout_bytes(ctx, "event",
			offsetof(typeof(*p), event), 8, 136);
}

static void vx_layout_virtio_param_config(struct vx_layout_ctx *ctx)
{
	struct virtio_param_config *p = vx_layout_struct(ctx, sizeof(*p), 16);

	p->num_properties = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "num_properties",
			 offsetof(typeof(*p), num_properties), 0, VX_LE32);
	p->max_config_size = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "max_config_size",
			 offsetof(typeof(*p), max_config_size), 4, VX_LE32);
	p->max_value_size = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "max_value_size",
			 offsetof(typeof(*p), max_value_size), 8, VX_LE32);
	p->max_areas = vx_cpu_to_le16(0x0102);
	vx_layout_scalar(ctx, "max_areas",
			 offsetof(typeof(*p), max_areas), 12, VX_LE16);
	p->reserved = vx_cpu_to_le16(0x0102);
	vx_layout_scalar(ctx, "reserved",
			 offsetof(typeof(*p), reserved), 14, VX_LE16);
}

static void vx_layout_virtio_param_req(struct vx_layout_ctx *ctx)
{
	struct virtio_param_req *p = vx_layout_struct(ctx, sizeof(*p), 16);

	p->type = vx_cpu_to_le16(0x0102);
	vx_layout_scalar(ctx, "type",
			 offsetof(typeof(*p), type), 0, VX_LE16);
	p->reserved = vx_cpu_to_le16(0x0102);
	vx_layout_scalar(ctx, "reserved",
			 offsetof(typeof(*p), reserved), 2, VX_LE16);
	p->prop = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "prop",
			 offsetof(typeof(*p), prop), 4, VX_LE32);
	p->area = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "area",
			 offsetof(typeof(*p), area), 8, VX_LE32);
	p->arg = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "arg",
			 offsetof(typeof(*p), arg), 12, VX_LE32);
}

static void vx_layout_virtio_param_resp(struct vx_layout_ctx *ctx)
{
	struct virtio_param_resp *p = vx_layout_struct(ctx, sizeof(*p), 8);

	p->status = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "status",
			 offsetof(typeof(*p), status), 0, VX_LE32);
	p->len = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "len",
			 offsetof(typeof(*p), len), 4, VX_LE32);
}

static void vx_layout_virtio_param_configs(struct vx_layout_ctx *ctx)
{
	struct virtio_param_configs *p = vx_layout_struct(ctx, sizeof(*p), 8);

	p->count = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "count",
			 offsetof(typeof(*p), count), 0, VX_LE32);
	p->next = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "next",
			 offsetof(typeof(*p), next), 4, VX_LE32);
}

static void vx_layout_virtio_param_prop_config(struct vx_layout_ctx *ctx)
{
	struct virtio_param_prop_config *p = vx_layout_struct(ctx, sizeof(*p), 56);

	p->prop = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "prop",
			 offsetof(typeof(*p), prop), 0, VX_LE32);
	p->size = vx_cpu_to_le16(0x0102);
	vx_layout_scalar(ctx, "size",
			 offsetof(typeof(*p), size), 4, VX_LE16);
	p->access = (0x5a);
	vx_layout_scalar(ctx, "access",
			 offsetof(typeof(*p), access), 6, VX_U8);
	p->change_mode = (0x5a);
	vx_layout_scalar(ctx, "change_mode",
			 offsetof(typeof(*p), change_mode), 7, VX_U8);
	p->min_sample_rate_mhz = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "min_sample_rate_mhz",
			 offsetof(typeof(*p), min_sample_rate_mhz), 8, VX_LE32);
	p->max_sample_rate_mhz = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "max_sample_rate_mhz",
			 offsetof(typeof(*p), max_sample_rate_mhz), 12, VX_LE32);
	p->num_areas = vx_cpu_to_le16(0x0102);
	vx_layout_scalar(ctx, "num_areas",
			 offsetof(typeof(*p), num_areas), 16, VX_LE16);
	p->num_enum_values = vx_cpu_to_le16(0x0102);
	vx_layout_scalar(ctx, "num_enum_values",
			 offsetof(typeof(*p), num_enum_values), 18, VX_LE16);
	p->reserved = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "reserved",
			 offsetof(typeof(*p), reserved), 20, VX_LE32);
	memset(&p->name, VX_LAYOUT_FILL, sizeof(p->name));
	vx_layout_bytes(ctx, "name",
			offsetof(typeof(*p), name), 24, 32);
}

static void vx_layout_virtio_param_area_config(struct vx_layout_ctx *ctx)
{
	struct virtio_param_area_config *p = vx_layout_struct(ctx, sizeof(*p), 24);

	p->area = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "area",
			 offsetof(typeof(*p), area), 0, VX_LE32);
	p->access = (0x5a);
	vx_layout_scalar(ctx, "access",
			 offsetof(typeof(*p), access), 4, VX_U8);
	memset(&p->reserved, VX_LAYOUT_FILL, sizeof(p->reserved));
	vx_layout_bytes(ctx, "reserved",
			offsetof(typeof(*p), reserved), 5, 3);
	p->min = vx_cpu_to_le64(0x0102030405060708ULL);
	vx_layout_scalar(ctx, "min",
			 offsetof(typeof(*p), min), 8, VX_LE64);
	p->max = vx_cpu_to_le64(0x0102030405060708ULL);
	vx_layout_scalar(ctx, "max",
			 offsetof(typeof(*p), max), 16, VX_LE64);
}

static void vx_layout_virtio_param_value(struct vx_layout_ctx *ctx)
{
	struct virtio_param_value *p = vx_layout_struct(ctx, sizeof(*p), 24);

	p->prop = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "prop",
			 offsetof(typeof(*p), prop), 0, VX_LE32);
	p->area = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "area",
			 offsetof(typeof(*p), area), 4, VX_LE32);
	p->timestamp = vx_cpu_to_le64(0x0102030405060708ULL);
	vx_layout_scalar(ctx, "timestamp",
			 offsetof(typeof(*p), timestamp), 8, VX_LE64);
	p->status = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "status",
			 offsetof(typeof(*p), status), 16, VX_LE32);
	p->len = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "len",
			 offsetof(typeof(*p), len), 20, VX_LE32);
}

static void vx_layout_virtio_param_subscribe(struct vx_layout_ctx *ctx)
{
	struct virtio_param_subscribe *p = vx_layout_struct(ctx, sizeof(*p), 8);

	p->sample_rate_mhz = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "sample_rate_mhz",
			 offsetof(typeof(*p), sample_rate_mhz), 0, VX_LE32);
	p->flags = vx_cpu_to_le16(0x0102);
	vx_layout_scalar(ctx, "flags",
			 offsetof(typeof(*p), flags), 4, VX_LE16);
	p->num_areas = vx_cpu_to_le16(0x0102);
	vx_layout_scalar(ctx, "num_areas",
			 offsetof(typeof(*p), num_areas), 6, VX_LE16);
}

static void vx_layout_virtio_param_event(struct vx_layout_ctx *ctx)
{
	struct virtio_param_event *p = vx_layout_struct(ctx, sizeof(*p), 8);

	p->type = vx_cpu_to_le16(0x0102);
	vx_layout_scalar(ctx, "type",
			 offsetof(typeof(*p), type), 0, VX_LE16);
	p->reserved = vx_cpu_to_le16(0x0102);
	vx_layout_scalar(ctx, "reserved",
			 offsetof(typeof(*p), reserved), 2, VX_LE16);
	p->error = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "error",
			 offsetof(typeof(*p), error), 4, VX_LE32);
}

static void vx_layout_virtio_rpmb_config(struct vx_layout_ctx *ctx)
{
	struct virtio_rpmb_config *p = vx_layout_struct(ctx, sizeof(*p), 3);

	p->capacity = (0x5a);
	vx_layout_scalar(ctx, "capacity",
			 offsetof(typeof(*p), capacity), 0, VX_U8);
	p->max_wr_cnt = (0x5a);
	vx_layout_scalar(ctx, "max_wr_cnt",
			 offsetof(typeof(*p), max_wr_cnt), 1, VX_U8);
	p->max_rd_cnt = (0x5a);
	vx_layout_scalar(ctx, "max_rd_cnt",
			 offsetof(typeof(*p), max_rd_cnt), 2, VX_U8);
}

static void vx_layout_virtio_rpmb_frame(struct vx_layout_ctx *ctx)
{
	struct virtio_rpmb_frame *p = vx_layout_struct(ctx, sizeof(*p), 512);

	memset(&p->stuff, VX_LAYOUT_FILL, sizeof(p->stuff));
	vx_layout_bytes(ctx, "stuff",
			offsetof(typeof(*p), stuff), 0, 196);
	memset(&p->key_mac, VX_LAYOUT_FILL, sizeof(p->key_mac));
	vx_layout_bytes(ctx, "key_mac",
			offsetof(typeof(*p), key_mac), 196, 32);
	memset(&p->data, VX_LAYOUT_FILL, sizeof(p->data));
	vx_layout_bytes(ctx, "data",
			offsetof(typeof(*p), data), 228, 256);
	memset(&p->nonce, VX_LAYOUT_FILL, sizeof(p->nonce));
	vx_layout_bytes(ctx, "nonce",
			offsetof(typeof(*p), nonce), 484, 16);
	p->write_counter = vx_cpu_to_be32(0x01020304);
	vx_layout_scalar(ctx, "write_counter",
			 offsetof(typeof(*p), write_counter), 500, VX_BE32);
	p->address = vx_cpu_to_be16(0x0102);
	vx_layout_scalar(ctx, "address",
			 offsetof(typeof(*p), address), 504, VX_BE16);
	p->block_count = vx_cpu_to_be16(0x0102);
	vx_layout_scalar(ctx, "block_count",
			 offsetof(typeof(*p), block_count), 506, VX_BE16);
	p->result = vx_cpu_to_be16(0x0102);
	vx_layout_scalar(ctx, "result",
			 offsetof(typeof(*p), result), 508, VX_BE16);
	p->req_resp = vx_cpu_to_be16(0x0102);
	vx_layout_scalar(ctx, "req_resp",
			 offsetof(typeof(*p), req_resp), 510, VX_BE16);
}

static void vx_layout_virtio_scmi_request(struct vx_layout_ctx *ctx)
{
	struct virtio_scmi_request *p = vx_layout_struct(ctx, sizeof(*p), 4);

	p->hdr = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "hdr",
			 offsetof(typeof(*p), hdr), 0, VX_LE32);
	vx_layout_flex(ctx, "params",
		       offsetof(typeof(*p), params), 4);
}

static void vx_layout_virtio_scmi_response(struct vx_layout_ctx *ctx)
{
	struct virtio_scmi_response *p = vx_layout_struct(ctx, sizeof(*p), 8);

	p->hdr = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "hdr",
			 offsetof(typeof(*p), hdr), 0, VX_LE32);
	p->status = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "status",
			 offsetof(typeof(*p), status), 4, VX_LE32);
	vx_layout_flex(ctx, "ret_values",
		       offsetof(typeof(*p), ret_values), 8);
}

static void vx_layout_virtio_scmi_event_msg(struct vx_layout_ctx *ctx)
{
	struct virtio_scmi_event_msg *p = vx_layout_struct(ctx, sizeof(*p), 4);

	p->hdr = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "hdr",
			 offsetof(typeof(*p), hdr), 0, VX_LE32);
	vx_layout_flex(ctx, "payload",
		       offsetof(typeof(*p), payload), 4);
}

static void vx_layout_virtio_watchdog_config(struct vx_layout_ctx *ctx)
{
	struct virtio_watchdog_config *p = vx_layout_struct(ctx, sizeof(*p), 20);

	p->min_timeout_ms = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "min_timeout_ms",
			 offsetof(typeof(*p), min_timeout_ms), 0, VX_LE32);
	p->max_timeout_ms = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "max_timeout_ms",
			 offsetof(typeof(*p), max_timeout_ms), 4, VX_LE32);
	p->granularity_ms = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "granularity_ms",
			 offsetof(typeof(*p), granularity_ms), 8, VX_LE32);
	p->max_pretimeout_ms = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "max_pretimeout_ms",
			 offsetof(typeof(*p), max_pretimeout_ms), 12, VX_LE32);
	p->boot_status = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "boot_status",
			 offsetof(typeof(*p), boot_status), 16, VX_LE32);
}

static void vx_layout_virtio_watchdog_ctrl_req(struct vx_layout_ctx *ctx)
{
	struct virtio_watchdog_ctrl_req *p = vx_layout_struct(ctx, sizeof(*p), 12);

	p->type = vx_cpu_to_le16(0x0102);
	vx_layout_scalar(ctx, "type",
			 offsetof(typeof(*p), type), 0, VX_LE16);
	p->reserved = vx_cpu_to_le16(0x0102);
	vx_layout_scalar(ctx, "reserved",
			 offsetof(typeof(*p), reserved), 2, VX_LE16);
	p->timeout_ms = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "timeout_ms",
			 offsetof(typeof(*p), timeout_ms), 4, VX_LE32);
	p->pretimeout_ms = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "pretimeout_ms",
			 offsetof(typeof(*p), pretimeout_ms), 8, VX_LE32);
}

static void vx_layout_virtio_watchdog_ctrl_resp(struct vx_layout_ctx *ctx)
{
	struct virtio_watchdog_ctrl_resp *p = vx_layout_struct(ctx, sizeof(*p), 8);

	p->status = (0x5a);
	vx_layout_scalar(ctx, "status",
			 offsetof(typeof(*p), status), 0, VX_U8);
	p->running = (0x5a);
	vx_layout_scalar(ctx, "running",
			 offsetof(typeof(*p), running), 1, VX_U8);
	p->reserved = vx_cpu_to_le16(0x0102);
	vx_layout_scalar(ctx, "reserved",
			 offsetof(typeof(*p), reserved), 2, VX_LE16);
	p->timeleft_ms = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "timeleft_ms",
			 offsetof(typeof(*p), timeleft_ms), 4, VX_LE32);
}

static void vx_layout_virtio_watchdog_event(struct vx_layout_ctx *ctx)
{
	struct virtio_watchdog_event *p = vx_layout_struct(ctx, sizeof(*p), 8);

	p->type = vx_cpu_to_le16(0x0102);
	vx_layout_scalar(ctx, "type",
			 offsetof(typeof(*p), type), 0, VX_LE16);
	p->reserved = vx_cpu_to_le16(0x0102);
	vx_layout_scalar(ctx, "reserved",
			 offsetof(typeof(*p), reserved), 2, VX_LE16);
	p->timeleft_ms = vx_cpu_to_le32(0x01020304);
	vx_layout_scalar(ctx, "timeleft_ms",
			 offsetof(typeof(*p), timeleft_ms), 4, VX_LE32);
}

static const struct vx_layout vx_uapi_layouts[] = {
	{ "virtio_audio_policy_config", vx_layout_virtio_audio_policy_config },
	{ "virtio_audio_policy_req", vx_layout_virtio_audio_policy_req },
	{ "virtio_audio_policy_resp", vx_layout_virtio_audio_policy_resp },
	{ "virtio_audio_policy_zone_info", vx_layout_virtio_audio_policy_zone_info },
	{ "virtio_audio_policy_event", vx_layout_virtio_audio_policy_event },
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
	{ "virtio_param_config", vx_layout_virtio_param_config },
	{ "virtio_param_req", vx_layout_virtio_param_req },
	{ "virtio_param_resp", vx_layout_virtio_param_resp },
	{ "virtio_param_configs", vx_layout_virtio_param_configs },
	{ "virtio_param_prop_config", vx_layout_virtio_param_prop_config },
	{ "virtio_param_area_config", vx_layout_virtio_param_area_config },
	{ "virtio_param_value", vx_layout_virtio_param_value },
	{ "virtio_param_subscribe", vx_layout_virtio_param_subscribe },
	{ "virtio_param_event", vx_layout_virtio_param_event },
	{ "virtio_rpmb_config", vx_layout_virtio_rpmb_config },
	{ "virtio_rpmb_frame", vx_layout_virtio_rpmb_frame },
	{ "virtio_scmi_request", vx_layout_virtio_scmi_request },
	{ "virtio_scmi_response", vx_layout_virtio_scmi_response },
	{ "virtio_scmi_event_msg", vx_layout_virtio_scmi_event_msg },
	{ "virtio_watchdog_config", vx_layout_virtio_watchdog_config },
	{ "virtio_watchdog_ctrl_req", vx_layout_virtio_watchdog_ctrl_req },
	{ "virtio_watchdog_ctrl_resp", vx_layout_virtio_watchdog_ctrl_resp },
	{ "virtio_watchdog_event", vx_layout_virtio_watchdog_event },
};

#endif /* VX_UAPI_LAYOUTS_H */
