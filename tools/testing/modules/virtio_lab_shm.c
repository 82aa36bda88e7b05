// SPDX-License-Identifier: GPL-2.0
/*
 * virtio lab: shared memory regions.
 *
 * A region is physically contiguous memory that the device's process and
 * the driver both map. The page allocator gives at most 4 MiB in one piece
 * and distribution kernels build no CMA, so larger regions (a few 1080p
 * frames) come from RAM the kernel was told to leave alone at boot
 * (memmap=SIZE$ADDR on x86), handed to the lab with reserved_memory.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "virtio_lab_shm.h"

/* The largest block the page allocator gives on x86 (order 10). */
#define VLAB_SHM_PAGES_MAX SZ_4M

static char *reserved_memory;
module_param(reserved_memory, charp, 0444);
MODULE_PARM_DESC(reserved_memory,
		 "SIZE@ADDR: RAM reserved at boot (memmap=SIZE$ADDR) for shared memory regions over 4 MiB");

/* The reserved RAM, and which of its pages regions take. */
static phys_addr_t vlab_reserve_base;
static unsigned long vlab_reserve_pages;
static unsigned long *vlab_reserve_used;
static DEFINE_MUTEX(vlab_reserve_lock);

/* The physical address of size free bytes of the reserve, or 0. */
static phys_addr_t vlab_reserve_take(u64 size)
{
	unsigned long pages = size >> PAGE_SHIFT, first;

	if (!vlab_reserve_used)
		return 0;
	mutex_lock(&vlab_reserve_lock);
	first = bitmap_find_next_zero_area(vlab_reserve_used, vlab_reserve_pages,
					   0, pages, 0);
	if (first < vlab_reserve_pages)
		bitmap_set(vlab_reserve_used, first, pages);
	mutex_unlock(&vlab_reserve_lock);
	if (first >= vlab_reserve_pages)
		return 0;
	return vlab_reserve_base + ((phys_addr_t)first << PAGE_SHIFT);
}

static void vlab_reserve_give(phys_addr_t phys, u64 size)
{
	mutex_lock(&vlab_reserve_lock);
	bitmap_clear(vlab_reserve_used, (phys - vlab_reserve_base) >> PAGE_SHIFT,
		     size >> PAGE_SHIFT);
	mutex_unlock(&vlab_reserve_lock);
}

struct vlab_shm *vlab_shm_alloc(u64 size)
{
	struct vlab_shm *shm = kzalloc(sizeof(*shm), GFP_KERNEL);
	int err = -ENOMEM;

	if (!shm)
		return ERR_PTR(-ENOMEM);
	kref_init(&shm->ref);
	shm->size = size;
	if (size <= VLAB_SHM_PAGES_MAX) {
		shm->mem = alloc_pages_exact(size, GFP_KERNEL | __GFP_ZERO);
		if (!shm->mem)
			goto free;
		shm->phys = virt_to_phys(shm->mem);
		return shm;
	}

	shm->phys = vlab_reserve_take(size);
	if (!shm->phys) {
		pr_info("no room for a %llu-byte region in reserved_memory=%s\n",
			size, reserved_memory ?: "(none)");
		err = -ENOSPC;
		goto free;
	}
	/* The mapping also makes the region write-back for every user mapping. */
	shm->mem = memremap(shm->phys, size, MEMREMAP_WB);
	if (!shm->mem) {
		vlab_reserve_give(shm->phys, size);
		goto free;
	}
	memset(shm->mem, 0, size);
	shm->reserved = true;
	return shm;
free:
	kfree(shm);
	return ERR_PTR(err);
}

static void vlab_shm_free(struct kref *ref)
{
	struct vlab_shm *shm = container_of(ref, struct vlab_shm, ref);

	if (shm->reserved) {
		memunmap(shm->mem);
		vlab_reserve_give(shm->phys, shm->size);
	} else {
		free_pages_exact(shm->mem, shm->size);
	}
	kfree(shm);
}

void vlab_shm_put(struct vlab_shm *shm)
{
	kref_put(&shm->ref, vlab_shm_free);
}

/* A process's mapping was copied (fork) or split: one more reference. */
static void vlab_shm_vm_open(struct vm_area_struct *vma)
{
	struct vlab_shm *shm = vma->vm_private_data;

	kref_get(&shm->ref);
}

static void vlab_shm_vm_close(struct vm_area_struct *vma)
{
	vlab_shm_put(vma->vm_private_data);
}

static const struct vm_operations_struct vlab_shm_vm_ops = {
	.open = vlab_shm_vm_open,
	.close = vlab_shm_vm_close,
};

/* Map the region's first bytes, as many as the mapping spans. */
int vlab_shm_mmap(struct vlab_shm *shm, struct vm_area_struct *vma)
{
	unsigned long len = vma->vm_end - vma->vm_start;
	int err;

	if (len > shm->size)
		return -EINVAL;
	err = remap_pfn_range(vma, vma->vm_start, PHYS_PFN(shm->phys), len,
			      vma->vm_page_prot);
	if (err)
		return err;
	kref_get(&shm->ref);
	vma->vm_private_data = shm;
	vma->vm_ops = &vlab_shm_vm_ops;
	return 0;
}

/*
 * reserved_memory is SIZE@ADDR, both page-aligned, and must lie wholly in
 * memory the firmware or memmap= marked reserved: anything else belongs to
 * the kernel or to a device.
 */
int vlab_shm_init(void)
{
	unsigned long long size, addr = 0;
	char *end;

	if (!reserved_memory)
		return 0;
	size = memparse(reserved_memory, &end);
	if (*end == '@')
		addr = memparse(end + 1, &end);
	if (*end || !size || !PAGE_ALIGNED(size) || !PAGE_ALIGNED(addr) ||
	    addr + size < addr) {
		pr_err("reserved_memory=%s: want SIZE@ADDR, page-aligned\n",
		       reserved_memory);
		return -EINVAL;
	}
	if (region_intersects(addr, size, IORESOURCE_MEM, IORES_DESC_RESERVED) !=
	    REGION_INTERSECTS) {
		pr_err("reserved_memory=%s: not wholly reserved memory (memmap=%llu$%#llx?)\n",
		       reserved_memory, size, addr);
		return -EINVAL;
	}
	vlab_reserve_used = bitmap_zalloc(size >> PAGE_SHIFT, GFP_KERNEL);
	if (!vlab_reserve_used)
		return -ENOMEM;
	vlab_reserve_base = addr;
	vlab_reserve_pages = size >> PAGE_SHIFT;
	return 0;
}

/* Every region is gone: the last mapping of one holds the module. */
void vlab_shm_exit(void)
{
	bitmap_free(vlab_reserve_used);
}
