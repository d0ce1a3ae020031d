// SPDX-License-Identifier: GPL-2.0
/*
 * core_*: DMA of the mock devices through what the core programmed — data
 * arrives through a mapping, an unmapped or read-only target faults and
 * transfers nothing, nothing survives an unmap, blocked blocks and
 * identity passes through, and a shared group's members share a domain.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/string.h>

#include "core_common.h"

#define LT_DMA_IOVA	0x10000UL

struct lt_dma {
	struct device *dev;
	struct liommu_domain *d;
	struct page *page;
	u8 *mem;
	u8 buf[64];
};

/* Mock device @i attached to a new paging domain, a page of RAM. */
static bool lt_dma_setup(struct lt_ctx *t, struct lt_dma *x, unsigned int i)
{
	memset(x, 0, sizeof(*x));
	x->dev = lt_mock(t, i);
	x->d = lt_paging(t, i);
	x->page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!x->dev || !x->d || !x->page) {
		lt_fail(t, "set-up failed");
		return false;
	}
	x->mem = page_address(x->page);
	if (!lt_expect_eq(t, liommu_attach_device(x->d, x->dev), 0, "attach"))
		return false;
	return true;
}

static void lt_dma_teardown(struct lt_dma *x)
{
	if (x->d && x->dev && liommu_get_domain_for_dev(x->dev) == x->d)
		liommu_detach_device(x->d, x->dev);
	liommu_domain_free(x->d);
	if (x->page)
		__free_page(x->page);
}

static void core_dma_through_mapping(struct lt_ctx *t)
{
	struct lt_dma x;

	if (!lt_dma_setup(t, &x, 0))
		goto out;
	lt_expect_eq(t, liommu_map(x.d, LT_DMA_IOVA, page_to_phys(x.page), SZ_4K,
				   LT_RW, GFP_KERNEL), 0, "map");
	memset(x.buf, 0xa5, sizeof(x.buf));
	lt_expect_eq(t, liommu_mock_dma(x.dev, LT_DMA_IOVA + 16, x.buf,
					 sizeof(x.buf), true), 0, "DMA to memory");
	lt_expect_true(t, x.mem[16] == 0xa5 && x.mem[16 + 63] == 0xa5 &&
		       x.mem[15] == 0 && x.mem[16 + 64] == 0, "bytes arrived");
	x.mem[100] = 0x3c;
	memset(x.buf, 0, sizeof(x.buf));
	lt_expect_eq(t, liommu_mock_dma(x.dev, LT_DMA_IOVA + 100, x.buf, 1,
					 false), 0, "DMA from memory");
	lt_expect_eq(t, x.buf[0], 0x3c, "byte read");
	liommu_unmap(x.d, LT_DMA_IOVA, SZ_4K);
out:
	lt_dma_teardown(&x);
}

static void core_dma_unmapped_faults(struct lt_ctx *t)
{
	unsigned long before;
	struct lt_dma x;
	u64 last = 0;

	if (!lt_dma_setup(t, &x, 0))
		goto out;
	before = liommu_mock_faults(x.dev, NULL);
	memset(x.buf, 0x77, sizeof(x.buf));
	lt_expect_eq(t, liommu_mock_dma(x.dev, 0x20000, x.buf, 8, true), -EFAULT,
		     "DMA to an unmapped IOVA");
	lt_expect_eq(t, liommu_mock_faults(x.dev, &last), before + 1,
		     "one fault recorded");
	lt_expect_eq(t, last, 0x20000, "fault address");
	/* Mapped first page, unmapped second: nothing moves at all. */
	lt_expect_eq(t, liommu_map(x.d, LT_DMA_IOVA, page_to_phys(x.page), SZ_4K,
				   LT_RW, GFP_KERNEL), 0, "map");
	lt_expect_eq(t, liommu_mock_dma(x.dev, LT_DMA_IOVA + SZ_4K - 4, x.buf, 8,
					 true), -EFAULT, "DMA across the end");
	lt_expect_eq(t, x.mem[SZ_4K - 4], 0, "nothing transferred");
	liommu_unmap(x.d, LT_DMA_IOVA, SZ_4K);
out:
	lt_dma_teardown(&x);
}

static void core_dma_readonly_faults(struct lt_ctx *t)
{
	struct lt_dma x;

	if (!lt_dma_setup(t, &x, 0))
		goto out;
	lt_expect_eq(t, liommu_map(x.d, LT_DMA_IOVA, page_to_phys(x.page), SZ_4K,
				   LIOMMU_READ, GFP_KERNEL), 0, "map read-only");
	memset(x.buf, 0x11, sizeof(x.buf));
	lt_expect_eq(t, liommu_mock_dma(x.dev, LT_DMA_IOVA, x.buf, 4, true),
		     -EFAULT, "write to a read-only mapping");
	lt_expect_eq(t, x.mem[0], 0, "nothing written");
	lt_expect_eq(t, liommu_mock_dma(x.dev, LT_DMA_IOVA, x.buf, 4, false), 0,
		     "read works");
	liommu_unmap(x.d, LT_DMA_IOVA, SZ_4K);
out:
	lt_dma_teardown(&x);
}

static void core_dma_after_unmap_faults(struct lt_ctx *t)
{
	struct lt_dma x;

	if (!lt_dma_setup(t, &x, 0))
		goto out;
	lt_expect_eq(t, liommu_map(x.d, LT_DMA_IOVA, page_to_phys(x.page), SZ_4K,
				   LT_RW, GFP_KERNEL), 0, "map");
	lt_expect_eq(t, liommu_mock_dma(x.dev, LT_DMA_IOVA, x.buf, 4, true), 0,
		     "DMA before unmap");
	lt_expect_eq(t, liommu_unmap(x.d, LT_DMA_IOVA, SZ_4K), SZ_4K, "unmap");
	lt_expect_eq(t, liommu_mock_dma(x.dev, LT_DMA_IOVA, x.buf, 4, true),
		     -EFAULT, "DMA after unmap");
out:
	lt_dma_teardown(&x);
}

static void core_dma_blocked_identity(struct lt_ctx *t)
{
	struct device *dev = lt_mock(t, 1);
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	struct liommu_domain *bl;
	u8 v = 0x5a;

	if (!dev || !page) {
		lt_fail(t, "set-up failed");
		goto out;
	}
	lt_expect_eq(t, liommu_mock_dma(dev, page_to_phys(page), &v, 1, true), 0,
		     "identity (default): DMA at the physical address");
	lt_expect_eq(t, *(u8 *)page_address(page), 0x5a, "arrived");
	bl = liommu_blocked_domain(dev);
	if (!lt_expect_eq(t, liommu_attach_device(bl, dev), 0, "attach blocked"))
		goto out;
	v = 0x11;
	lt_expect_eq(t, liommu_mock_dma(dev, page_to_phys(page), &v, 1, true),
		     -EFAULT, "blocked: faults");
	lt_expect_eq(t, *(u8 *)page_address(page), 0x5a, "nothing written");
	liommu_detach_device(bl, dev);
	lt_expect_eq(t, liommu_mock_dma(dev, page_to_phys(page), &v, 1, true), 0,
		     "identity again after detach");
out:
	if (page)
		__free_page(page);
}

static void core_dma_shared_group(struct lt_ctx *t)
{
	struct device *d2 = lt_mock(t, 2), *d3 = lt_mock(t, 3);
	struct liommu_domain *d = lt_paging(t, 2);
	struct liommu_group *g = d2 ? liommu_group_get(d2) : NULL;
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	u8 v = 0x42, r = 0;

	if (!d2 || !d3 || !d || !g || !page) {
		lt_fail(t, "set-up failed");
		goto out;
	}
	if (!lt_expect_eq(t, liommu_attach_group(d, g), 0, "attach group"))
		goto out;
	lt_expect_eq(t, liommu_map(d, LT_DMA_IOVA, page_to_phys(page), SZ_4K,
				   LT_RW, GFP_KERNEL), 0, "map");
	lt_expect_eq(t, liommu_mock_dma(d2, LT_DMA_IOVA + 1, &v, 1, true), 0,
		     "member 2 writes");
	lt_expect_eq(t, liommu_mock_dma(d3, LT_DMA_IOVA + 1, &r, 1, false), 0,
		     "member 3 reads");
	lt_expect_eq(t, r, 0x42, "same domain");
	liommu_unmap(d, LT_DMA_IOVA, SZ_4K);
	liommu_detach_group(d, g);
out:
	if (page)
		__free_page(page);
	liommu_group_put(g);
	liommu_domain_free(d);
}

static const struct lt_case core_dma_cases[] = {
	LT_CASE(core_dma_through_mapping),
	LT_CASE(core_dma_unmapped_faults),
	LT_CASE(core_dma_readonly_faults),
	LT_CASE(core_dma_after_unmap_faults),
	LT_CASE(core_dma_blocked_identity),
	LT_CASE(core_dma_shared_group),
};

const struct lt_suite lt_core_dma_suite = LT_SUITE("core_dma", core_dma_cases);
