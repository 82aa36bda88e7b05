// SPDX-License-Identifier: GPL-2.0
/*
 * virtio-media: USERPTR buffers, the specification's SHARED_PAGES. A
 * buffer's user memory is pinned and described to the device in scatter
 * lists of guest-physical addresses for as long as the device may use it:
 * from QBUF until DQBUF hands over its DQBUF event, or until the device
 * gives every buffer back (its answer to STREAMOFF, REQBUFS or CLOSE), or
 * is reset. A buffer the device may hold without saying so (a QBUF or
 * CLOSE it did not answer) stays pinned until the device's next reset: it
 * may write the pages at any time until then.
 *
 * Off by default: the device writes the pages of the processes that use
 * the node, which only a trusted device should.
 */
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "virtio_media.h"

static bool allow_userptr;
module_param(allow_userptr, bool, 0644);
MODULE_PARM_DESC(allow_userptr, "Offer USERPTR buffers, whose pages the device reads and writes itself (default: off)");

/* The most user memory one buffer pins. */
#define VMEDIA_USERPTR_MAX SZ_64M

/**
 * vmedia_userptr_allowed - whether the node offers USERPTR buffers
 * @vm: the device
 *
 * Scatter lists name guest-physical memory, which a device behind an
 * IOMMU (VIRTIO_F_ACCESS_PLATFORM) does not see.
 *
 * Return: true when allowed and possible.
 */
bool vmedia_userptr_allowed(struct vmedia *vm)
{
	return READ_ONCE(allow_userptr) && vm->guest_phys;
}

/* The pages len bytes at user address addr touch. */
static unsigned int vmedia_user_pages(unsigned long addr, u32 len)
{
	return DIV_ROUND_UP(offset_in_page(addr) + (u64)len, PAGE_SIZE);
}

/**
 * vmedia_userbuf_free - unpin a buffer's user memory and free it
 * @ub: the buffer's memory, or NULL
 */
void vmedia_userbuf_free(struct vmedia_userbuf *ub)
{
	if (!ub)
		return;
	unpin_user_pages_dirty_lock(ub->pages, ub->npages, ub->dirty);
	kvfree(ub);
}

/**
 * vmedia_userbufs_free - unpin and free a list of buffers' user memory
 * @list: the buffers, by their @node
 */
void vmedia_userbufs_free(struct list_head *list)
{
	struct vmedia_userbuf *ub, *tmp;

	list_for_each_entry_safe(ub, tmp, list, node) {
		list_del(&ub->node);
		vmedia_userbuf_free(ub);
	}
}

/* Pin one plane, len bytes at addr, and describe it after the list's end. */
static int vmedia_userptr_pin_plane(struct vmedia_userbuf *ub,
				    unsigned long addr, u32 len,
				    unsigned int gup_flags,
				    struct virtio_media_sg_entry *sg,
				    unsigned int *nsg)
{
	unsigned int n = vmedia_user_pages(addr, len), from = *nsg, i;
	struct page **pages = ub->pages + ub->npages;
	size_t off = offset_in_page(addr), chunk;
	int pinned;

	pinned = pin_user_pages_fast(addr & PAGE_MASK, n, gup_flags, pages);
	if (pinned > 0)
		ub->npages += pinned;
	if (pinned != n)
		return pinned < 0 ? pinned : -EFAULT;
	for (i = 0; len; i++, len -= chunk, off = 0) {
		chunk = min_t(size_t, len, PAGE_SIZE - off);
		vmedia_sg_append(sg, nsg, from, page_to_phys(pages[i]) + off,
				 chunk);
	}
	return 0;
}

/**
 * vmedia_userptr_pin - pin a USERPTR buffer's memory for QBUF
 * @vm: the device
 * @b: the buffer, its planes (multi-planar) in kernel memory
 * @user: its pinned memory, for vmedia_userbuf_free()
 * @sg: the scatter list that describes it to the device, plane after
 *	plane, each plane from an entry of its own; kvfree() it
 * @sg_len: the list's size in bytes
 *
 * Return: 0, -EINVAL for an empty plane or more than 64 MiB, -EFAULT for
 * memory that cannot be pinned, or -ENOMEM.
 */
int vmedia_userptr_pin(struct vmedia *vm, const struct v4l2_buffer *b,
		       struct vmedia_userbuf **user,
		       struct virtio_media_sg_entry **sg, size_t *sg_len)
{
	bool mplane = V4L2_TYPE_IS_MULTIPLANAR(b->type);
	bool capture = V4L2_TYPE_IS_CAPTURE(b->type);
	unsigned int nplanes = mplane ? b->length : 1, npages = 0, nsg = 0, i;
	unsigned int gup_flags = FOLL_LONGTERM | (capture ? FOLL_WRITE : 0);
	struct virtio_media_sg_entry *list;
	struct vmedia_userbuf *ub;
	u64 total = 0;
	int err;

	if (!nplanes || nplanes > VIDEO_MAX_PLANES)
		return -EINVAL;
	for (i = 0; i < nplanes; i++) {
		u32 len = mplane ? b->m.planes[i].length : b->length;

		total += len;
		if (!len || total > VMEDIA_USERPTR_MAX)
			return -EINVAL;
		npages += vmedia_user_pages(mplane ? b->m.planes[i].m.userptr :
					    b->m.userptr, len);
	}
	ub = kvzalloc(struct_size(ub, pages, npages), GFP_KERNEL);
	list = kvmalloc_array(npages, sizeof(*list), GFP_KERNEL);
	if (!ub || !list) {
		err = -ENOMEM;
		goto fail;
	}
	ub->nplanes = nplanes;
	for (i = 0; i < nplanes; i++) {
		ub->userptr[i] = mplane ? b->m.planes[i].m.userptr : b->m.userptr;
		ub->length[i] = mplane ? b->m.planes[i].length : b->length;
		err = vmedia_userptr_pin_plane(ub, ub->userptr[i], ub->length[i],
					       gup_flags, list, &nsg);
		if (err)
			goto fail;
	}
	/* the device writes what it captures */
	ub->dirty = capture;
	*user = ub;
	*sg = list;
	*sg_len = nsg * sizeof(*list);
	return 0;
fail:
	vmedia_userbuf_free(ub);
	kvfree(list);
	return err;
}

/**
 * vmedia_resets - how many times the device was reset so far
 * @vm: the device
 *
 * Read before a command whose buffers may be orphaned, for
 * vmedia_userbufs_orphan().
 *
 * Return: the count.
 */
unsigned int vmedia_resets(struct vmedia *vm)
{
	unsigned int resets;

	spin_lock(&vm->orphans_lock);
	resets = vm->resets;
	spin_unlock(&vm->orphans_lock);
	return resets;
}

/**
 * vmedia_userbufs_orphan - keep buffers the device may still use
 * @vm: the device
 * @list: the buffers' memory, emptied
 * @resets: vmedia_resets() from before the command the device did not
 *	answer: a reset since then ended their use, and they are freed
 */
void vmedia_userbufs_orphan(struct vmedia *vm, struct list_head *list,
			    unsigned int resets)
{
	struct list_head *pos;
	unsigned int n = 0;

	list_for_each(pos, list)
		n++;
	spin_lock(&vm->orphans_lock);
	if (vm->resets == resets)
		list_splice_tail_init(list, &vm->orphans);
	spin_unlock(&vm->orphans_lock);
	if (list_empty(list) && n)
		vmedia_complain(vm,
				"%u USERPTR buffers stay pinned until the device is reset: it may still use them\n",
				n);
	vmedia_userbufs_free(list);
}

/**
 * vmedia_userptr_init - no buffer orphaned yet
 * @vm: the device
 */
void vmedia_userptr_init(struct vmedia *vm)
{
	spin_lock_init(&vm->orphans_lock);
	INIT_LIST_HEAD(&vm->orphans);
}

/**
 * vmedia_userptr_reset - the device was reset: it uses no user memory now
 * @vm: the device
 */
void vmedia_userptr_reset(struct vmedia *vm)
{
	LIST_HEAD(list);

	spin_lock(&vm->orphans_lock);
	vm->resets++;
	list_splice_init(&vm->orphans, &list);
	spin_unlock(&vm->orphans_lock);
	vmedia_userbufs_free(&list);
}
