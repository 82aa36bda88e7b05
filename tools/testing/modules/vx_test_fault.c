// SPDX-License-Identifier: GPL-2.0
/*
 * Commits the faults named by its "faults" parameter when loaded, so that the
 * VM runner's own tests can prove it fails a run on each kind of kernel
 * report: a warning on any kernel, and on the debug kernel each checker's
 * report (KASAN, UBSAN, lockdep, kmemleak, DMA-API debugging, list
 * debugging). Test equipment: never load it anywhere else.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/dma-mapping.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>

static char *faults = "warn";
module_param(faults, charp, 0444);
MODULE_PARM_DESC(faults,
		 "comma-separated: warn, use-after-free, leak, lock-inversion, shift, index, dma-size, list-corruption");

static void vx_fault_warn(void)
{
	WARN(1, "deliberate warning: the VM runner must fail this run\n");
}

static void vx_fault_use_after_free(void)
{
	u8 *p = kmalloc(32, GFP_KERNEL);

	if (!p)
		return;
	kfree(p);
	OPTIMIZER_HIDE_VAR(p);
	pr_info("read after free: %u\n", READ_ONCE(p[3]));
}

static void vx_fault_leak(void)
{
	unsigned int i;
	void *p;

	/*
	 * Forget every reference: kmemleak must find them unreferenced. Eight,
	 * as a stale copy of the last one may stay on a kernel stack; zeroed,
	 * as a stale slab free pointer inside one would reference the next.
	 */
	for (i = 0; i < 8; i++) {
		p = kzalloc(96, GFP_KERNEL);
		OPTIMIZER_HIDE_VAR(p);
	}
}

static DEFINE_MUTEX(vx_fault_lock_a);
static DEFINE_MUTEX(vx_fault_lock_b);

static void vx_fault_lock_inversion(void)
{
	/* one thread, both orders: no deadlock, but lockdep sees the cycle */
	mutex_lock(&vx_fault_lock_a);
	mutex_lock(&vx_fault_lock_b);
	mutex_unlock(&vx_fault_lock_b);
	mutex_unlock(&vx_fault_lock_a);

	mutex_lock(&vx_fault_lock_b);
	mutex_lock(&vx_fault_lock_a);
	mutex_unlock(&vx_fault_lock_a);
	mutex_unlock(&vx_fault_lock_b);
}

static void vx_fault_shift(void)
{
	unsigned int bits = 40;

	OPTIMIZER_HIDE_VAR(bits);
	pr_info("shifted: %u\n", 1U << bits);
}

static void vx_fault_index(void)
{
	struct {
		u32 table[4];
		u32 after;
	} s = { };
	unsigned int i = 4;

	OPTIMIZER_HIDE_VAR(i);
	pr_info("indexed: %u\n", s.table[i]);
}

static void vx_fault_dma_size(void)
{
	struct platform_device *pdev;
	dma_addr_t addr;
	void *buf;

	pdev = platform_device_register_simple("vx_test_fault", -1, NULL, 0);
	if (IS_ERR(pdev))
		return;
	buf = kmalloc(64, GFP_KERNEL);
	if (!buf || dma_coerce_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64)))
		goto out;
	addr = dma_map_single(&pdev->dev, buf, 64, DMA_TO_DEVICE);
	if (dma_mapping_error(&pdev->dev, addr))
		goto out;
	/* unmapped with another size than it was mapped with */
	dma_unmap_single(&pdev->dev, addr, 32, DMA_TO_DEVICE);
out:
	kfree(buf);
	platform_device_unregister(pdev);
}

static void vx_fault_list_corruption(void)
{
	LIST_HEAD(head);
	struct list_head entry;

	list_add(&entry, &head);
	list_del(&entry);
	/* a second deletion meets the poisoned pointers of the first */
	list_del(&entry);
}

static const struct {
	const char *name;
	void (*commit)(void);
} vx_faults[] = {
	{ "warn", vx_fault_warn },
	{ "use-after-free", vx_fault_use_after_free },
	{ "leak", vx_fault_leak },
	{ "lock-inversion", vx_fault_lock_inversion },
	{ "shift", vx_fault_shift },
	{ "index", vx_fault_index },
	{ "dma-size", vx_fault_dma_size },
	{ "list-corruption", vx_fault_list_corruption },
};

static int __init vx_test_fault_init(void)
{
	char *list, *rest, *name;
	unsigned int i;

	list = kstrdup(faults, GFP_KERNEL);
	if (!list)
		return -ENOMEM;
	rest = list;
	while ((name = strsep(&rest, ","))) {
		for (i = 0; i < ARRAY_SIZE(vx_faults); i++)
			if (!strcmp(name, vx_faults[i].name))
				break;
		if (i == ARRAY_SIZE(vx_faults)) {
			pr_err("unknown fault \"%s\"\n", name);
			kfree(list);
			return -EINVAL;
		}
		pr_info("committing %s\n", name);
		vx_faults[i].commit();
	}
	kfree(list);
	return 0;
}

static void __exit vx_test_fault_exit(void)
{
}

module_init(vx_test_fault_init);
module_exit(vx_test_fault_exit);
MODULE_DESCRIPTION("virtio-extra: commit kernel faults to test their detection");
MODULE_LICENSE("GPL");
