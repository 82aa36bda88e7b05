/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device side of virtio-media's scatter lists: memory the driver
 * names by guest-physical address (control values), reached through the
 * lab as a device reaches it by DMA.
 */
#ifndef MEDIA_SG_H
#define MEDIA_SG_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/virtio_extra/virtio_media.h>

#include "libvlab.h"

/*
 * A value of size bytes lies in the memory the entries of sg from *next
 * on describe; they are used up (a value starts an entry of its own).
 * Copy its first len bytes to (to_guest) or from buf. 0 or -errno.
 */
int media_sg_copy(struct vlab *lab, const struct virtio_media_sg_entry *sg,
		  uint32_t nsg, uint32_t *next, uint32_t size, void *buf,
		  uint32_t len, bool to_guest);

#endif /* MEDIA_SG_H */
