// SPDX-License-Identifier: GPL-2.0
/* What every virtio-media device model does alike: see media_device.h. */
#include <endian.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include <linux/videodev2.h>
#include <linux/virtio_config.h>

#include "media_device.h"

#define QUEUE_SIZE 64

int media_device_start(struct media_device *d,
		       const struct virtio_media_config *config,
		       uint64_t shm_size)
{
	struct vlab_create create = {
		.device_id = VIRTIO_ID_MEDIA,
		.features = 1ULL << VIRTIO_F_VERSION_1,
		.num_queues = VIRTIO_MEDIA_VQ_MAX_CNT,
		.config_size = sizeof(*config),
		.config = (uintptr_t)config,
		.queue_size = { QUEUE_SIZE, QUEUE_SIZE },
		.num_shm = 1,
		.shm_size = { shm_size },
	};
	int err;

	pthread_mutex_init(&d->lock, NULL);
	d->shm_size = shm_size;
	err = vlab_start(&d->lab, &create);
	if (err)
		return err;
	d->shm = vlab_map_shm(&d->lab, VIRTIO_MEDIA_SHM_MMAP, shm_size);
	if (!d->shm) {
		err = -errno;
		vlab_close(&d->lab);
	}
	return err;
}

void media_device_stop(struct media_device *d)
{
	pthread_mutex_lock(&d->lock);
	d->stop = true;
	pthread_mutex_unlock(&d->lock);
}

bool media_device_stopped(struct media_device *d)
{
	bool stop;

	pthread_mutex_lock(&d->lock);
	stop = d->stop;
	pthread_mutex_unlock(&d->lock);
	return stop;
}

void media_device_destroy(struct media_device *d)
{
	if (d->shm)
		munmap(d->shm, d->shm_size);
	vlab_close(&d->lab);
	pthread_mutex_destroy(&d->lock);
}

int media_device_handle(struct media_device *d,
			const struct media_device_ops *ops, void *dev,
			const struct vlab_event *ev, uint8_t *answer)
{
	switch (ev->type) {
	case VLAB_EVENT_REMOVED:
		return -ENODEV;
	case VLAB_EVENT_RESET:
		d->events.n = 0;
		ops->reset(dev);
		return 0;
	case VLAB_EVENT_CHAIN:
		if (ev->queue == VIRTIO_MEDIA_VQ_EVENT) {
			media_events_post(&d->events, ev->id);
			return 0;
		}
		return media_command(&d->lab, ops, dev, ev, answer);
	default:
		return 0;
	}
}

int media_device_verdict(int err)
{
	if (err == -ENODEV)
		return 1;
	return err == -ESTALE ? 0 : err;
}

void media_events_post(struct media_events *e, uint32_t id)
{
	if (e->n < MEDIA_EVENT_BUFS)
		e->ids[e->n++] = id;
}

int media_events_send(struct vlab *lab, struct media_events *e,
		      const void *ev, uint32_t len)
{
	uint32_t id;

	if (!e->n)
		return -ENOBUFS;
	id = e->ids[0];
	memmove(e->ids, e->ids + 1, --e->n * sizeof(e->ids[0]));
	return vlab_complete(lab, VIRTIO_MEDIA_VQ_EVENT, id, ev, len, len, 0);
}

/* A status alone, for an errno. */
static uint32_t media_status(uint8_t *answer, int err)
{
	struct virtio_media_resp_header *hdr = (void *)answer;

	hdr->status = htole32(-err);
	hdr->reserved = 0;
	return sizeof(*hdr);
}

static uint32_t media_open(const struct media_device_ops *ops, void *dev,
			   uint8_t *answer)
{
	struct virtio_media_resp_open *resp = (void *)answer;
	int id = ops->open(dev);

	if (id < 0)
		return media_status(answer, id);
	memset(resp, 0, sizeof(*resp));
	resp->session_id = htole32(id);
	return sizeof(*resp);
}

static uint32_t media_mmap(const struct media_device_ops *ops, void *dev,
			   const struct vlab_event *ev, uint8_t *answer)
{
	const struct virtio_media_cmd_mmap *cmd = (const void *)ev->data;
	struct virtio_media_resp_mmap *resp = (void *)answer;
	uint64_t addr, len;
	int err;

	if (ev->out_len < sizeof(*cmd))
		return media_status(answer, -EINVAL);
	err = ops->mmap(dev, le32toh(cmd->session_id), le32toh(cmd->flags),
			le32toh(cmd->offset), &addr, &len);
	if (err)
		return media_status(answer, err);
	memset(resp, 0, sizeof(*resp));
	resp->driver_addr = htole64(addr);
	resp->len = htole64(len);
	return sizeof(*resp);
}

int media_command(struct vlab *lab, const struct media_device_ops *ops,
		  void *dev, const struct vlab_event *ev, uint8_t *answer)
{
	const struct virtio_media_cmd_header *hdr = (const void *)ev->data;
	const struct virtio_media_cmd_close *close = (const void *)ev->data;
	const struct virtio_media_cmd_munmap *munmap = (const void *)ev->data;
	uint32_t len = 0;

	if (ev->out_len < sizeof(*hdr))
		return vlab_complete(lab, ev->queue, ev->id, NULL, 0, 0, 0);
	switch (le32toh(hdr->cmd)) {
	case VIRTIO_MEDIA_CMD_OPEN:
		len = media_open(ops, dev, answer);
		break;
	case VIRTIO_MEDIA_CMD_CLOSE:
		if (ev->out_len >= sizeof(*close))
			ops->close(dev, le32toh(close->session_id));
		break;
	case VIRTIO_MEDIA_CMD_MMAP:
		len = media_mmap(ops, dev, ev, answer);
		break;
	case VIRTIO_MEDIA_CMD_MUNMAP:
		len = media_status(answer, ev->out_len < sizeof(*munmap) ? -EINVAL :
				   ops->munmap(dev, le64toh(munmap->driver_addr)));
		break;
	case VIRTIO_MEDIA_CMD_IOCTL:
		if (ev->out_len < sizeof(struct virtio_media_cmd_ioctl)) {
			len = media_status(answer, -EINVAL);
			break;
		}
		len = ops->ioctl(dev, ev, answer);
		if (!len)
			return 0;
		break;
	default:
		len = media_status(answer, -ENOTTY);
		break;
	}
	if (len > ev->in_len)
		len = ev->in_len;
	return vlab_complete(lab, ev->queue, ev->id, answer, len, len, 0);
}

int media_ioctl_parse(const uint8_t *out, uint32_t out_len, uint32_t in_len,
		      uint32_t max, struct media_ioctl_req *r)
{
	const struct virtio_media_cmd_ioctl *cmd = (const void *)out;
	uint32_t resp = sizeof(struct virtio_media_resp_ioctl);

	r->session = le32toh(cmd->session_id);
	r->nr = le32toh(cmd->code);
	r->written = out_len - sizeof(*cmd);
	r->payload = in_len > resp ? in_len - resp : 0;
	return r->written > max || r->payload > max ? -EINVAL : 0;
}

bool media_error_payload(uint32_t nr)
{
	return nr == _IOC_NR(VIDIOC_G_EXT_CTRLS) ||
	       nr == _IOC_NR(VIDIOC_S_EXT_CTRLS) ||
	       nr == _IOC_NR(VIDIOC_TRY_EXT_CTRLS);
}

uint32_t media_ioctl_answer(uint8_t *answer, const struct media_ioctl_req *r,
			    int err, const void *arg)
{
	uint32_t len = media_status(answer, err);

	if (!r->payload || (err && !media_error_payload(r->nr)))
		return len;
	memcpy(answer + len, arg, r->payload);
	return len + r->payload;
}

int media_sg_copy(struct vlab *lab, const struct virtio_media_sg_entry *sg,
		  uint32_t nsg, uint32_t *next, uint32_t size, void *buf,
		  uint32_t len, bool to_guest)
{
	uint32_t chunk, entry_len;
	uint8_t *p = buf;
	uint64_t start;
	int err;

	while (size) {
		if (*next >= nsg)
			return -EINVAL;
		start = le64toh(sg[*next].start);
		entry_len = le32toh(sg[*next].len);
		(*next)++;
		if (entry_len > size)
			entry_len = size;
		size -= entry_len;
		chunk = entry_len < len ? entry_len : len;
		if (!chunk)
			continue;
		err = to_guest ? vlab_memory_write(lab, start, p, chunk) :
				 vlab_memory_read(lab, start, p, chunk);
		if (err)
			return err;
		p += chunk;
		len -= chunk;
	}
	return len ? -EINVAL : 0;
}
