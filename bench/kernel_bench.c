// SPDX-License-Identifier: GPL-2.0
/*
 * kernel_bench.ko: the rows of bench/bench.h through the kernel's own
 * IOMMU API (iommu_paging_domain_alloc(), iommu_attach_device(),
 * iommu_map(), iommu_unmap()), in a guest where the kernel's VT-d or
 * SMMUv3 driver owns the unit.  Linux 6.12 only (6.1 has no
 * iommu_paging_domain_alloc()).  The domain is attached before any row:
 * an unattached 6.12 VT-d domain is 5-level and 4 KiB-only.
 */
#include <linux/iommu.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <linux/percpu.h>
#include <linux/vmstat.h>

#include "bench.h"

static void *kb_alloc(struct device *dev)
{
	struct iommu_domain *d = iommu_paging_domain_alloc(dev);
	int err;

	if (IS_ERR_OR_NULL(d)) {
		pr_err("bench-error: kernel: domain: %ld\n", PTR_ERR(d));
		return NULL;
	}
	err = iommu_attach_device(d, dev);
	if (err) {
		pr_err("bench-error: kernel: attach: %d\n", err);
		iommu_domain_free(d);
		return NULL;
	}
	return d;
}

static void kb_free(void *dom, struct device *dev)
{
	iommu_detach_device(dom, dev);
	iommu_domain_free(dom);
}

static int kb_map(void *dom, unsigned long iova, phys_addr_t pa, size_t size)
{
	return iommu_map(dom, iova, pa, size, IOMMU_READ | IOMMU_WRITE,
			 GFP_KERNEL);
}

static size_t kb_unmap(void *dom, unsigned long iova, size_t size)
{
	return iommu_unmap(dom, iova, size);
}

static phys_addr_t kb_iova_to_phys(void *dom, unsigned long iova)
{
	return iommu_iova_to_phys(dom, iova);
}

/*
 * NR_IOMMU_PAGES, exactly: the global count plus every CPU's delta that
 * is not folded into it yet (global_node_page_state() leaves those out).
 */
static long kb_table_pages(void)
{
	long n = atomic_long_read(&vm_node_stat[NR_IOMMU_PAGES]);
	int nid, cpu;

	for_each_online_node(nid)
		for_each_online_cpu(cpu)
			n += per_cpu_ptr(NODE_DATA(nid)->per_cpu_nodestats,
					 cpu)->vm_node_stat_diff[NR_IOMMU_PAGES];
	return n;
}

static const struct bench_side kb_side = {
	.name = "kernel",
	.alloc = kb_alloc,
	.free = kb_free,
	.map = kb_map,
	.unmap = kb_unmap,
	.iova_to_phys = kb_iova_to_phys,
	.table_pages = kb_table_pages,
};

static int __init kb_init(void)
{
	return bench_main(&kb_side);
}
module_init(kb_init);

static void __exit kb_exit(void)
{
}
module_exit(kb_exit);

MODULE_DESCRIPTION("liommu map/unmap benchmark: the kernel's own driver");
MODULE_LICENSE("GPL");
