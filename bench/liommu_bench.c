// SPDX-License-Identifier: GPL-2.0
/*
 * liommu_bench.ko: the rows of bench/bench.h through liommu's API
 * (liommu_paging_domain_alloc(), liommu_attach_device(), liommu_map(),
 * liommu_unmap()), in a guest where liommu owns the unit.
 */
#include <liommu/compat.h>
#include <liommu/driver.h>
#include <liommu/liommu.h>

#include <liommu/pgtable.h>

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

/*
 * liommu's side only: the 4 KiB page-at-a-time rows through the walker
 * directly (liommu_pt_*() on the domain's table: no core checks, no
 * locks, no invalidation), and liommu_iova_to_phys() per page, through
 * the core and through the walker alone.  They split a row's time
 * between the walk and what the core and the vendor add; scripts/bench
 * prints them without a kernel column.  The walk's unmaps are not
 * invalidated: the domain is freed at once (its detach invalidates
 * everything), and nothing translates through it meanwhile.
 */
static void lb_walk_rows(const struct bench_side *s, struct device *dev,
			 unsigned int rep)
{
	struct liommu_iotlb_gather g;
	struct liommu_domain *d;
	size_t mapped;
	ssize_t n;
	size_t i;
	u64 t0, t1, t2, walk = U64_MAX, free = U64_MAX;
	unsigned int k;

	d = bench_alloc(s, dev);
	if (!d || !d->pt)
		goto out;
	t0 = ktime_get_ns();
	for (i = 0; i < pages; i++) {
		mapped = 0;
		if (liommu_pt_map(d->pt, BENCH_IOVA + i * SZ_4K,
				  BENCH_PA + i * SZ_4K, SZ_4K, d->pgsize_bitmap,
				  LIOMMU_READ | LIOMMU_WRITE, GFP_KERNEL,
				  &mapped))
			goto out;
	}
	bench_row("walk_map_4k_each_ns", rep, div_u64(ktime_get_ns() - t0, pages));
	t0 = ktime_get_ns();
	for (i = 0; i < pages; i++)
		if (!liommu_iova_to_phys(d, BENCH_IOVA + i * SZ_4K))
			goto out;
	bench_row("iova_to_phys_4k_each_ns", rep,
		  div_u64(ktime_get_ns() - t0, pages));
	t0 = ktime_get_ns();
	for (i = 0; i < pages; i++)
		if (!liommu_pt_iova_to_phys(d->pt, BENCH_IOVA + i * SZ_4K))
			goto out;
	bench_row("walk_iova_to_phys_4k_each_ns", rep,
		  div_u64(ktime_get_ns() - t0, pages));
	t0 = ktime_get_ns();
	for (i = 0; i < pages; i++) {
		liommu_iotlb_gather_init(&g);
		n = liommu_pt_unmap_all(d->pt, BENCH_IOVA + i * SZ_4K, SZ_4K,
					&g);
		liommu_iotlb_gather_free(&g);
		if (n != SZ_4K)
			goto out;
	}
	bench_row("walk_unmap_4k_each_ns", rep,
		  div_u64(ktime_get_ns() - t0, pages));
	/*
	 * unmap_256m_2m_ns split: the walk, then the freeing of the table it
	 * emptied; the minimum of eight rounds (one call is a few us).
	 */
	for (k = 0; k < 8; k++) {
		mapped = 0;
		if (liommu_pt_map(d->pt, BENCH_IOVA, BENCH_PA,
				  (size_t)pages * SZ_4K, d->pgsize_bitmap,
				  LIOMMU_READ | LIOMMU_WRITE, GFP_KERNEL,
				  &mapped))
			goto out;
		liommu_iotlb_gather_init(&g);
		t0 = ktime_get_ns();
		n = liommu_pt_unmap_all(d->pt, BENCH_IOVA,
					(size_t)pages * SZ_4K, &g);
		t1 = ktime_get_ns();
		liommu_iotlb_gather_free(&g);
		t2 = ktime_get_ns();
		if (n != (ssize_t)pages * SZ_4K)
			goto out;
		walk = min(walk, t1 - t0);
		free = min(free, t2 - t1);
	}
	bench_row("walk_unmap_256m_2m_ns", rep, walk);
	bench_row("gather_free_256m_2m_ns", rep, free);
	lb_free(d, dev);
	return;
out:
	pr_err("bench-error: liommu: the walker's rows failed\n");
	if (d)
		lb_free(d, dev);
}

static const struct bench_side lb_side = {
	.name = "liommu",
	.alloc = lb_alloc,
	.free = lb_free,
	.map = lb_map,
	.unmap = lb_unmap,
	.iova_to_phys = lb_iova_to_phys,
	.table_pages = lb_table_pages,
	.extra = lb_walk_rows,
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
