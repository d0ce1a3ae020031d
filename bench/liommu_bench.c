// SPDX-License-Identifier: GPL-2.0
/*
 * liommu_bench.ko: the rows of bench/bench.h through liommu's API
 * (liommu_paging_domain_alloc(), liommu_attach_device(), liommu_map(),
 * liommu_unmap()), in a guest where liommu owns the unit.
 */
#include <liommu/compat.h>
#include <liommu/driver.h>
#include <liommu/liommu.h>

#include "bench.h"

static void *lb_alloc(struct device *dev)
{
	struct liommu_domain *d = liommu_paging_domain_alloc(dev);

	if (IS_ERR_OR_NULL(d)) {
		pr_err("bench-error: liommu: domain: %ld\n", PTR_ERR(d));
		return NULL;
	}
	if (liommu_attach_device(d, dev)) {
		pr_err("bench-error: liommu: attach failed\n");
		liommu_domain_free(d);
		return NULL;
	}
	return d;
}

static void lb_free(void *dom, struct device *dev)
{
	liommu_detach_device(dom, dev);
	liommu_domain_free(dom);
}

static int lb_map(void *dom, unsigned long iova, phys_addr_t pa, size_t size)
{
	return liommu_map(dom, iova, pa, size, LIOMMU_READ | LIOMMU_WRITE,
			  GFP_KERNEL);
}

static size_t lb_unmap(void *dom, unsigned long iova, size_t size)
{
	ssize_t n = liommu_unmap(dom, iova, size);

	return n < 0 ? 0 : n;
}

static phys_addr_t lb_iova_to_phys(void *dom, unsigned long iova)
{
	return liommu_iova_to_phys(dom, iova);
}

static long lb_table_pages(void)
{
	struct liommu_core_stats st;

	liommu_core_get_stats(&st);
	return st.table_pages;
}

static const struct bench_side lb_side = {
	.name = "liommu",
	.alloc = lb_alloc,
	.free = lb_free,
	.map = lb_map,
	.unmap = lb_unmap,
	.iova_to_phys = lb_iova_to_phys,
	.table_pages = lb_table_pages,
};

static int __init lb_init(void)
{
	return bench_main(&lb_side);
}
module_init(lb_init);

static void __exit lb_exit(void)
{
}
module_exit(lb_exit);

LIOMMU_IMPORT_NS();
MODULE_DESCRIPTION("liommu map/unmap benchmark: liommu's side");
MODULE_LICENSE("GPL");
