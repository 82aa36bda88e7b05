// SPDX-License-Identifier: GPL-2.0
/* The device side of virtio-media's scatter lists: see media_sg.h. */
#include <endian.h>
#include <errno.h>

#include "media_sg.h"

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
