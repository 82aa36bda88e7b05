// SPDX-License-Identifier: GPL-2.0
/*
 * vdpa_can: the driver's side of a virtio CAN device. See vdpa_can.h.
 */
#include <endian.h>
#include <string.h>

#include "vdpa_can.h"

void vc_init(struct vdpa_can *c, unsigned int num)
{
	unsigned int i;

	c->mem = NULL;
	c->num = num;
	for (i = 0; i < VIRTIO_CAN_VQ_MAX_CNT; i++) {
		c->q[i].kick_fd = -1;
		c->q[i].call_fd = -1;
	}
}

int vc_rings_init(struct vdpa_can *c, struct vd_mem *mem)
{
	unsigned int i;
	int ret = 0;

	c->mem = mem;
	for (i = 0; i < VIRTIO_CAN_VQ_MAX_CNT && !ret; i++)
		ret = vd_ring_init_slot(&c->q[i], mem, c->num, i);
	return ret;
}

void vc_free(struct vdpa_can *c)
{
	unsigned int i;

	for (i = 0; i < VIRTIO_CAN_VQ_MAX_CNT; i++)
		vd_ring_free(&c->q[i]);
}

size_t vc_rx_off(const struct vdpa_can *c)
{
	return c->num * VC_SLOT;
}

size_t vc_ctrl_off(const struct vdpa_can *c)
{
	return 2 * c->num * VC_SLOT;
}

uint8_t *vc_buf(const struct vdpa_can *c, size_t off)
{
	return c->mem->base + VD_RING_AREA + off;
}

uint64_t vc_iova(const struct vdpa_can *c, size_t off)
{
	return c->mem->iova + VD_RING_AREA + off;
}

int vc_device_up(struct vdpa_can *c, struct vd_dev *d, uint64_t features,
		 unsigned int nrx)
{
	unsigned int i;
	int ret;

	ret = vd_mem_setup(d);
	if (!ret)
		ret = vd_negotiate(d, features);
	if (!ret)
		ret = vc_rings_init(c, &d->mem);
	for (i = 0; i < VIRTIO_CAN_VQ_MAX_CNT && !ret; i++)
		ret = vd_vq_attach(d, i, &c->q[i]);
	if (!ret)
		ret = vd_set_config_call(d);
	if (ret)
		return ret;
	for (i = 0; i < nrx; i++)
		vc_rx_post(c, i, VC_RX_BUF, VRING_DESC_F_WRITE);
	return vd_driver_ok(d);
}

int vc_ctrl(struct vdpa_can *c, uint16_t type, int timeout_ms)
{
	struct vd_ring *r = &c->q[VIRTIO_CAN_VQ_CONTROL];
	size_t off = vc_ctrl_off(c);
	uint32_t id, len;

	*(uint16_t *)vc_buf(c, off) = htole16(type);
	*vc_buf(c, off + 16) = 0xff;
	vd_desc(r, 0, vc_iova(c, off), 2, VRING_DESC_F_NEXT, 1);
	vd_desc(r, 1, vc_iova(c, off + 16), 1, VRING_DESC_F_WRITE, 0);
	vd_publish(r, 0);
	vd_kick(r);
	if (vd_wait_used(r, &id, &len, timeout_ms) != 1 || id != 0 || len != 1)
		return -1;
	return *vc_buf(c, off + 16);
}

void vc_tx_fill(struct vdpa_can *c, unsigned int slot, uint16_t type,
		uint32_t flags, uint32_t can_id, uint16_t length,
		uint32_t out_len)
{
	struct vd_ring *r = &c->q[VIRTIO_CAN_VQ_TX];
	size_t off = VC_TX_OFF + slot * VC_SLOT;
	uint8_t *p = vc_buf(c, off);
	struct virtio_can_tx_out *out = (struct virtio_can_tx_out *)p;
	unsigned int i;

	memset(p, 0, VC_SLOT);
	out->msg_type = htole16(type);
	out->length = htole16(length);
	out->flags = htole32(flags);
	out->can_id = htole32(can_id);
	for (i = 0; i < CANFD_MAX_DLEN; i++)
		out->sdu[i] = 0x10 + i;
	p[VC_RESULT_AT] = 0xff;
	vd_desc(r, 2 * slot, vc_iova(c, off), out_len, VRING_DESC_F_NEXT,
		2 * slot + 1);
	vd_desc(r, 2 * slot + 1, vc_iova(c, off + VC_RESULT_AT), 1,
		VRING_DESC_F_WRITE, 0);
}

void vc_tx_post(struct vdpa_can *c, unsigned int slot, uint16_t type,
		uint32_t flags, uint32_t can_id, uint16_t length,
		uint32_t out_len)
{
	struct vd_ring *r = &c->q[VIRTIO_CAN_VQ_TX];

	vc_tx_fill(c, slot, type, flags, can_id, length, out_len);
	vd_publish(r, 2 * slot);
	vd_kick(r);
}

uint8_t *vc_tx_data(const struct vdpa_can *c, unsigned int slot)
{
	return vc_buf(c, VC_TX_OFF + slot * VC_SLOT) +
		sizeof(struct virtio_can_tx_out);
}

int vc_tx_done(const struct vdpa_can *c, uint32_t id, uint32_t len)
{
	if (len != 1 || id % 2 || id >= c->num)
		return -1;
	return vc_buf(c, VC_TX_OFF + id / 2 * VC_SLOT)[VC_RESULT_AT];
}

int vc_tx_result(struct vdpa_can *c, int timeout_ms)
{
	uint32_t id, len;

	if (vd_wait_used(&c->q[VIRTIO_CAN_VQ_TX], &id, &len, timeout_ms) != 1)
		return -1;
	return vc_tx_done(c, id, len);
}

void vc_rx_post(struct vdpa_can *c, unsigned int slot, uint32_t len,
		uint16_t flags)
{
	struct vd_ring *r = &c->q[VIRTIO_CAN_VQ_RX];

	vd_desc(r, slot, vc_iova(c, vc_rx_off(c) + slot * VC_SLOT), len, flags, 0);
	vd_publish(r, slot);
}

uint32_t vc_rx_take(struct vdpa_can *c, uint32_t id, uint32_t len,
		    struct virtio_can_rx *hdr, uint8_t *data)
{
	uint8_t *p;

	if (id >= c->num)
		return 0;
	p = vc_buf(c, vc_rx_off(c) + id * VC_SLOT);
	memcpy(hdr, p, sizeof(*hdr));
	if (data)
		memcpy(data, p + sizeof(*hdr), CANFD_MAX_DLEN);
	vc_rx_post(c, id, VC_RX_BUF, VRING_DESC_F_WRITE);
	vd_kick(&c->q[VIRTIO_CAN_VQ_RX]);
	return len;
}

uint32_t vc_rx(struct vdpa_can *c, struct virtio_can_rx *hdr, uint8_t *data,
	       int timeout_ms)
{
	uint32_t id, len;

	if (vd_wait_used(&c->q[VIRTIO_CAN_VQ_RX], &id, &len, timeout_ms) != 1)
		return 0;
	return vc_rx_take(c, id, len, hdr, data);
}
