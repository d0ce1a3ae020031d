// SPDX-License-Identifier: GPL-2.0
/*
 * liommu_core.ko: the core of the liommu stack.
 *
 * Module init sets up the bus notifiers; vendor modules register their
 * units afterwards and unregister them before they unload (they link to
 * this module, so it cannot unload first).  At exit every counter of
 * alloc.c must be back to zero; a leak is reported.
 */
#include <linux/module.h>
#include <linux/rcupdate.h>

#include "priv.h"

static int __init liommu_core_init(void)
{
	int err;

	err = liommu_bus_notifiers_init();
	if (err) {
		pr_err("liommu: cannot register bus notifiers: %d\n", err);
		return err;
	}
	liommu_debugfs_init();
	pr_info("liommu-core: loaded\n");
	return 0;
}

static void __exit liommu_core_exit(void)
{
	struct liommu_core_stats s;

	liommu_debugfs_exit();
	liommu_bus_notifiers_exit();
	liommu_aux_exit();
	liommu_sva_exit();
	/*
	 * The domain table's entries (kfree_rcu) and the table pages unmaps
	 * unhooked (call_rcu, alloc.c) wait for a grace period.
	 */
	rcu_barrier();
	liommu_table_pool_drain();
	liommu_core_get_stats(&s);
	if (s.iommus || s.devices || s.groups || s.domains || s.table_pages ||
	    s.allocs)
		pr_err("liommu-core: leak at unload: iommus=%ld devices=%ld groups=%ld domains=%ld table_pages=%ld allocs=%ld\n",
		       s.iommus, s.devices, s.groups, s.domains, s.table_pages,
		       s.allocs);
	else
		pr_info("liommu-core: unloaded, no allocation left\n");
}

module_init(liommu_core_init);
module_exit(liommu_core_exit);
MODULE_DESCRIPTION("liommu: core (devices, groups, domains, page tables)");
MODULE_LICENSE("GPL");
