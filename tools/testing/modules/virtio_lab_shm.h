/* SPDX-License-Identifier: GPL-2.0 */
/*
 * virtio lab: shared memory regions (virtio_lab_shm.c).
 */
#ifndef _VIRTIO_LAB_SHM_H
#define _VIRTIO_LAB_SHM_H

#include <linux/kref.h>
#include <linux/mm_types.h>
#include <linux/types.h>

/**
 * struct vlab_shm - one shared memory region
 * @ref: the device holds one reference, and each of the process's
 *	mappings one: pages a process maps outlive the device.
 * @mem: the region, mapped write-back in the kernel.
 * @phys: its physical address.
 * @size: its size.
 * @reserved: it comes from the memory reserved at boot, not the page
 *	allocator.
 */
struct vlab_shm {
	struct kref ref;
	void *mem;
	phys_addr_t phys;
	u64 size;
	bool reserved;
};

struct vlab_shm *vlab_shm_alloc(u64 size);
void vlab_shm_put(struct vlab_shm *shm);
int vlab_shm_mmap(struct vlab_shm *shm, struct vm_area_struct *vma);
int vlab_shm_init(void);
void vlab_shm_exit(void);

#endif /* _VIRTIO_LAB_SHM_H */
