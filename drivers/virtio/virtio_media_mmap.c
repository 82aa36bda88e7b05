// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-media: MMAP buffers mapped from shared memory region 0. mmap()
 * asks the device where a buffer lies (CMD_MMAP), checks the answer
 * against the region, and maps its pages as they are touched. The device
 * hears MUNMAP once the last piece of a mapping is gone (after fork, split
 * or mremap too), from a work item: a process's mmap lock never waits for
 * it. A mapping keeps its file, so its session, open: removal takes down
 * the mappings of every session's file, and no page table entry outlives
 * the region.
 */
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/virtio.h>

#include "virtio_media.h"

/**
 * struct vmedia_mapping - one buffer mapped from the region
 * @users: the mapping's pieces (VMAs).
 * @vm: the device.
 * @driver_addr: where the device placed the buffer in the region.
 * @pgoff: the page offset the mapping was made at.
 * @pages: its length in pages, within the region.
 * @generation: vm->generation when it was made.
 * @node: in vm->munmaps, once the last piece is gone.
 */
struct vmedia_mapping {
	refcount_t users;
	struct vmedia *vm;
	u64 driver_addr;
	unsigned long pgoff;
	unsigned long pages;
	u32 generation;
	struct list_head node;
};

/* The device no longer maps buffers the mapping's way: tell it. */
static void vmedia_munmap_work(struct work_struct *work)
{
	struct vmedia *vm = container_of(work, struct vmedia, munmap_work);
	struct vmedia_mapping *m;
	bool known;

	for (;;) {
		spin_lock(&vm->munmap_lock);
		m = list_first_entry_or_null(&vm->munmaps,
					     struct vmedia_mapping, node);
		if (m)
			list_del(&m->node);
		spin_unlock(&vm->munmap_lock);
		if (!m)
			break;
		/* a reset device forgot it; its address may be another's now */
		mutex_lock(&vm->map_lock);
		known = m->generation == vm->generation;
		mutex_unlock(&vm->map_lock);
		if (known)
			vmedia_unmap(vm, m->driver_addr);
		kfree(m);
	}
}

static void vmedia_mapping_put(struct vmedia_mapping *m)
{
	struct vmedia *vm = m->vm;

	if (!refcount_dec_and_test(&m->users))
		return;
	spin_lock(&vm->munmap_lock);
	list_add_tail(&m->node, &vm->munmaps);
	spin_unlock(&vm->munmap_lock);
	schedule_work(&vm->munmap_work);
}

/* A piece more: fork, a split or mremap. */
static void vmedia_vm_open(struct vm_area_struct *vma)
{
	struct vmedia_mapping *m = vma->vm_private_data;

	refcount_inc(&m->users);
}

static void vmedia_vm_close(struct vm_area_struct *vma)
{
	vmedia_mapping_put(vma->vm_private_data);
}

/*
 * The page the process touched. After vmedia_mmap_revoke() none is
 * mapped: the lock orders this against its generation, its flag and its
 * unmapping.
 */
static vm_fault_t vmedia_vm_fault(struct vm_fault *vmf)
{
	struct vmedia_mapping *m = vmf->vma->vm_private_data;
	struct vmedia *vm = m->vm;
	vm_fault_t ret = VM_FAULT_SIGBUS;
	unsigned long page;

	if (vmf->pgoff < m->pgoff || vmf->pgoff - m->pgoff >= m->pages)
		return VM_FAULT_SIGBUS;
	page = vmf->pgoff - m->pgoff;
	mutex_lock(&vm->map_lock);
	if (!vm->revoked && m->generation == vm->generation)
		ret = vmf_insert_pfn(vmf->vma, vmf->address,
				     PHYS_PFN(vm->shm.addr + m->driver_addr) + page);
	mutex_unlock(&vm->map_lock);
	return ret;
}

static const struct vm_operations_struct vmedia_vm_ops = {
	.open = vmedia_vm_open,
	.close = vmedia_vm_close,
	.fault = vmedia_vm_fault,
};

/**
 * vmedia_mmap - map an MMAP buffer (or plane) by its offset
 * @file: the node's file
 * @vma: the mapping: shared, at the offset QUERYBUF gave
 *
 * Return: 0 or -errno: -EINVAL for a private mapping, an offset beyond
 * 32 bits or a length beyond the buffer's; -EIO when the device placed
 * the buffer outside the region.
 */
int vmedia_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct vmedia_session *s = vmedia_file_session(file);
	u64 offset = (u64)vma->vm_pgoff << PAGE_SHIFT, addr, len;
	unsigned long pages = vma_pages(vma);
	struct vmedia *vm = s->vm;
	struct vmedia_mapping *m;
	u32 flags = 0;
	int err;

	if (!(vma->vm_flags & VM_SHARED) || offset > U32_MAX ||
	    !vmedia_queues_mappable(s))
		return -EINVAL;
	if (vma->vm_flags & VM_WRITE)
		flags |= VIRTIO_MEDIA_MMAP_FLAG_RW;
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	/* before the device answers: a reset meanwhile voids the answer */
	mutex_lock(&vm->map_lock);
	m->generation = vm->generation;
	mutex_unlock(&vm->map_lock);
	err = vmedia_map(s, flags, offset, &addr, &len);
	if (err) {
		kfree(m);
		return err;
	}
	refcount_set(&m->users, 1);
	m->vm = vm;
	m->driver_addr = addr;
	m->pgoff = vma->vm_pgoff;
	if (!len || len > vm->shm.len || !PAGE_ALIGNED(addr) ||
	    addr > vm->shm.len - PAGE_ALIGN(len)) {
		vmedia_complain(vm, "MMAP put %#llx bytes at %#llx, past the region's %#llx\n",
				len, addr, vm->shm.len);
		err = -EIO;
	} else if (pages > PAGE_ALIGN(len) >> PAGE_SHIFT) {
		err = -EINVAL;
	}
	if (err) {
		vmedia_mapping_put(m);
		return err;
	}
	m->pages = pages;
	/* a read-only buffer stays read-only */
	if (!(flags & VIRTIO_MEDIA_MMAP_FLAG_RW))
		vm_flags_clear(vma, VM_MAYWRITE);
	vm_flags_set(vma, VM_PFNMAP | VM_IO | VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_private_data = m;
	vma->vm_ops = &vmedia_vm_ops;
	return 0;
}

/**
 * vmedia_mmap_init - prepare a device's mappings
 * @vm: the device
 */
void vmedia_mmap_init(struct vmedia *vm)
{
	mutex_init(&vm->map_lock);
	spin_lock_init(&vm->munmap_lock);
	INIT_LIST_HEAD(&vm->munmaps);
	INIT_WORK(&vm->munmap_work, vmedia_munmap_work);
}

/**
 * vmedia_mmap_revoke - take down every mapping of the device's region
 * @vm: the device, being reset or removed
 * @removed: no mapping works again, not even a new one
 *
 * The pages of every mapping made so far fault with SIGBUS from here on.
 */
void vmedia_mmap_revoke(struct vmedia *vm, bool removed)
{
	struct vmedia_session *s;

	mutex_lock(&vm->map_lock);
	vm->generation++;
	if (removed)
		vm->revoked = true;
	mutex_unlock(&vm->map_lock);
	mutex_lock(&vm->sessions_lock);
	list_for_each_entry(s, &vm->sessions, node)
		unmap_mapping_range(s->mapping, 0, 0, 1);
	mutex_unlock(&vm->sessions_lock);
}

/**
 * vmedia_mmap_exit - wait until the device heard every MUNMAP
 * @vm: the device, without files, so without mappings
 */
void vmedia_mmap_exit(struct vmedia *vm)
{
	flush_work(&vm->munmap_work);
}
