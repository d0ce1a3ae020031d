// SPDX-License-Identifier: GPL-2.0
/*
 * core_*: liommu_map()/liommu_unmap()/liommu_map_sg() input checks, each
 * with its exact errno (Documentation/core.rst), and proof that bad input
 * leaves the domain as it was; and the lock rule for concurrent calls.
 */
#include <linux/completion.h>
#include <linux/gfp.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/scatterlist.h>

#include "core_common.h"

#define LT_IOVA		0x100000UL	/* 1 MiB */
#define LT_PA		0x80000000ULL	/* fake physical addresses */

static void core_map_misaligned(struct lt_ctx *t)
{
	struct liommu_domain *d = lt_paging(t, 0);

	if (!d)
		return;
	lt_expect_eq(t, liommu_map(d, LT_IOVA + 1, LT_PA, SZ_4K, LT_RW, GFP_KERNEL),
		     -EINVAL, "IOVA");
	lt_expect_eq(t, liommu_map(d, LT_IOVA, LT_PA + 0x800, SZ_4K, LT_RW, GFP_KERNEL),
		     -EINVAL, "physical address");
	lt_expect_eq(t, liommu_map(d, LT_IOVA, LT_PA, SZ_4K + 1, LT_RW, GFP_KERNEL),
		     -EINVAL, "size");
	lt_expect_eq(t, liommu_iova_to_phys(d, LT_IOVA), 0, "nothing mapped");
	liommu_domain_free(d);
}

static void core_map_zero_size(struct lt_ctx *t)
{
	struct liommu_domain *d = lt_paging(t, 0);

	if (!d)
		return;
	lt_expect_eq(t, liommu_map(d, LT_IOVA, LT_PA, 0, LT_RW, GFP_KERNEL),
		     -EINVAL, "map size 0");
	lt_expect_eq(t, liommu_unmap(d, LT_IOVA, 0), -EINVAL, "unmap size 0");
	liommu_domain_free(d);
}

static void core_map_overflow(struct lt_ctx *t)
{
	struct liommu_domain *d = lt_paging(t, 0);
	unsigned long top = ULONG_MAX & ~(SZ_4K - 1UL);

	if (!d)
		return;
	lt_expect_eq(t, liommu_map(d, top, LT_PA, SZ_8K, LT_RW, GFP_KERNEL),
		     -EOVERFLOW, "IOVA range wraps");
	lt_expect_eq(t, liommu_map(d, LT_IOVA, (phys_addr_t)top, SZ_8K, LT_RW,
				   GFP_KERNEL), -EOVERFLOW, "physical range wraps");
	lt_expect_eq(t, liommu_unmap(d, top, SZ_8K), -EOVERFLOW, "unmap wraps");
	lt_expect_eq(t, liommu_map(d, LT_IOVA, LT_PA, ~(SZ_4K - 1UL), LT_RW,
				   GFP_KERNEL), -EOVERFLOW, "huge size");
	liommu_domain_free(d);
}

static void core_map_outside_aperture(struct lt_ctx *t)
{
	struct liommu_domain *d = lt_paging(t, 0);
	unsigned long end;

	if (!d)
		return;
	end = d->geometry.aperture_end + 1;
	lt_expect_eq(t, liommu_map(d, end, LT_PA, SZ_4K, LT_RW, GFP_KERNEL),
		     -ERANGE, "past the aperture");
	lt_expect_eq(t, liommu_map(d, end - SZ_4K, LT_PA, SZ_8K, LT_RW, GFP_KERNEL),
		     -ERANGE, "crossing its end");
	lt_expect_eq(t, liommu_iova_to_phys(d, end - SZ_4K), 0,
		     "nothing mapped at its end");
	lt_expect_eq(t, liommu_map(d, end - SZ_4K, LT_PA, SZ_4K, LT_RW, GFP_KERNEL),
		     0, "last page inside");
	lt_expect_eq(t, liommu_unmap(d, end, SZ_4K), -ERANGE, "unmap outside");
	lt_expect_eq(t, liommu_unmap(d, end - SZ_4K, SZ_4K), SZ_4K, "unmap last");
	liommu_domain_free(d);
}

static void core_map_msi_window(struct lt_ctx *t)
{
	struct liommu_domain *d = lt_paging(t, 0);

	if (!d)
		return;
#ifdef CONFIG_X86
	lt_expect_eq(t, liommu_map(d, 0xfee00000, LT_PA, SZ_4K, LT_RW, GFP_KERNEL),
		     -EPERM, "window start");
	lt_expect_eq(t, liommu_map(d, 0xfeeff000, LT_PA, SZ_4K, LT_RW, GFP_KERNEL),
		     -EPERM, "window end");
	lt_expect_eq(t, liommu_map(d, 0xfec00000, LT_PA, SZ_4M, LT_RW, GFP_KERNEL),
		     -EPERM, "range over the window");
	lt_expect_eq(t, liommu_map(d, 0xc0000000, LT_PA, SZ_1G, LT_RW, GFP_KERNEL),
		     -EPERM, "1 GiB page over the window");
	lt_expect_eq(t, liommu_iova_to_phys(d, 0xfec00000), 0, "nothing mapped");
	lt_expect_eq(t, liommu_map(d, 0xfef00000, LT_PA, SZ_4K, LT_RW, GFP_KERNEL),
		     0, "just after the window");
	lt_expect_eq(t, liommu_map(d, 0xfedff000, LT_PA + SZ_4K, SZ_4K, LT_RW,
				   GFP_KERNEL), 0, "just before");
	liommu_unmap(d, 0xfef00000, SZ_4K);
	liommu_unmap(d, 0xfedff000, SZ_4K);
#else
	lt_skip(t, "the MSI window is x86's");
#endif
	liommu_domain_free(d);
}

static void core_map_bad_prot_and_type(struct lt_ctx *t)
{
	struct device *dev = lt_mock(t, 0);
	struct liommu_domain *d = lt_paging(t, 0);

	if (!d || !dev)
		goto out;
	lt_expect_eq(t, liommu_map(d, LT_IOVA, LT_PA, SZ_4K, BIT(7), GFP_KERNEL),
		     -EINVAL, "unknown prot bit");
	lt_expect_eq(t, liommu_map(NULL, LT_IOVA, LT_PA, SZ_4K, LT_RW, GFP_KERNEL),
		     -EINVAL, "NULL domain");
	lt_expect_eq(t, liommu_map(liommu_identity_domain(dev), LT_IOVA, LT_PA,
				   SZ_4K, LT_RW, GFP_KERNEL),
		     -EOPNOTSUPP, "identity domain");
	lt_expect_eq(t, liommu_unmap(liommu_blocked_domain(dev), LT_IOVA, SZ_4K),
		     -EOPNOTSUPP, "blocked domain");
out:
	liommu_domain_free(d);
}

static void core_map_overlap(struct lt_ctx *t)
{
	struct liommu_domain *d = lt_paging(t, 0);

	if (!d)
		return;
	if (!lt_expect_eq(t, liommu_map(d, LT_IOVA, LT_PA, SZ_16K, LT_RW,
					GFP_KERNEL), 0, "first map"))
		goto out;
	lt_expect_eq(t, liommu_map(d, LT_IOVA + SZ_8K, LT_PA + SZ_1M, SZ_16K,
				   LT_RW, GFP_KERNEL), -EEXIST, "overlapping tail");
	lt_expect_eq(t, liommu_iova_to_phys(d, LT_IOVA + SZ_16K), 0,
		     "the part beyond was unwound");
	lt_expect_eq(t, liommu_iova_to_phys(d, LT_IOVA + SZ_8K), LT_PA + SZ_8K,
		     "the existing mapping is untouched");
	lt_expect_eq(t, liommu_map(d, 0, LT_PA, SZ_2M, LT_RW, GFP_KERNEL),
		     -EEXIST, "2 MiB page over 4 KiB pages");
	lt_expect_eq(t, liommu_iova_to_phys(d, 0), 0, "nothing added");
	lt_expect_eq(t, liommu_map(d, SZ_2M, 0x40000000, SZ_2M, LT_RW, GFP_KERNEL),
		     0, "a 2 MiB page");
	lt_expect_eq(t, liommu_map(d, SZ_2M + SZ_4K, LT_PA, SZ_4K, LT_RW,
				   GFP_KERNEL), -EEXIST, "4 KiB inside it");
	liommu_unmap(d, SZ_2M, SZ_2M);
	liommu_unmap(d, LT_IOVA, SZ_16K);
out:
	liommu_domain_free(d);
}

static void core_unmap_not_mapped(struct lt_ctx *t)
{
	struct liommu_domain *d = lt_paging(t, 0);

	if (!d)
		return;
	lt_expect_eq(t, liommu_unmap(d, LT_IOVA, SZ_4K), -ENOENT, "empty domain");
	lt_expect_eq(t, liommu_map(d, LT_IOVA, LT_PA, SZ_8K, LT_RW, GFP_KERNEL),
		     0, "map 8 KiB");
	lt_expect_eq(t, liommu_unmap(d, LT_IOVA, SZ_16K), -ENOENT,
		     "range with a hole at its end");
	lt_expect_eq(t, liommu_unmap(d, LT_IOVA - SZ_4K, SZ_8K), -ENOENT,
		     "range with a hole at its start");
	lt_expect_eq(t, liommu_iova_to_phys(d, LT_IOVA + SZ_4K), LT_PA + SZ_4K,
		     "still mapped");
	lt_expect_eq(t, liommu_unmap(d, LT_IOVA, SZ_8K), SZ_8K, "exact unmap");
	lt_expect_eq(t, liommu_unmap(d, LT_IOVA, SZ_8K), -ENOENT, "twice");
	liommu_domain_free(d);
}

static void core_unmap_cuts_superpage(struct lt_ctx *t)
{
	struct liommu_domain *d = lt_paging(t, 0);

	if (!d)
		return;
	if (!lt_expect_eq(t, liommu_map(d, SZ_2M, 0x40000000, SZ_2M, LT_RW,
					GFP_KERNEL), 0, "map 2 MiB"))
		goto out;
	lt_expect_eq(t, liommu_unmap(d, SZ_2M + SZ_4K, SZ_4K), -EINVAL,
		     "4 KiB out of a 2 MiB page");
	lt_expect_eq(t, liommu_unmap(d, SZ_2M, SZ_1M), -EINVAL, "first half");
	lt_expect_eq(t, liommu_iova_to_phys(d, SZ_2M + SZ_4K),
		     0x40000000 + SZ_4K, "page intact");
	lt_expect_eq(t, liommu_unmap(d, SZ_2M, SZ_2M), SZ_2M, "whole page");
out:
	liommu_domain_free(d);
}

static void core_unmap_input(struct lt_ctx *t)
{
	struct liommu_domain *d = lt_paging(t, 0);

	if (!d)
		return;
	lt_expect_eq(t, liommu_unmap(d, LT_IOVA + 8, SZ_4K), -EINVAL, "IOVA");
	lt_expect_eq(t, liommu_unmap(d, LT_IOVA, 100), -EINVAL, "size");
	lt_expect_eq(t, liommu_unmap(NULL, LT_IOVA, SZ_4K), -EINVAL, "NULL");
	liommu_domain_free(d);
}

static void core_map_sg(struct lt_ctx *t)
{
	struct liommu_domain *d = lt_paging(t, 0);
	struct page *pages[3] = {};
	struct scatterlist sg[3];
	unsigned int i;

	if (!d)
		return;
	sg_init_table(sg, 3);
	for (i = 0; i < 3; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		if (!pages[i]) {
			lt_fail(t, "no memory");
			goto out;
		}
		sg_set_page(&sg[i], pages[i], PAGE_SIZE, 0);
	}
	if (!lt_expect_eq(t, liommu_map_sg(d, LT_IOVA, sg, 3, LT_RW, GFP_KERNEL),
			  3 * PAGE_SIZE, "bytes mapped"))
		goto out;
	for (i = 0; i < 3; i++)
		lt_expect_eq(t, liommu_iova_to_phys(d, LT_IOVA + i * PAGE_SIZE + 8),
			     page_to_phys(pages[i]) + 8, "entry translates");
	lt_expect_eq(t, liommu_unmap(d, LT_IOVA, 3 * PAGE_SIZE), 3 * PAGE_SIZE,
		     "one unmap");
out:
	for (i = 0; i < 3; i++)
		if (pages[i])
			__free_page(pages[i]);
	liommu_domain_free(d);
}

static void core_map_sg_unwind(struct lt_ctx *t)
{
	struct liommu_domain *d = lt_paging(t, 0);
	struct page *pages[3] = {};
	struct scatterlist sg[3];
	unsigned int i;

	if (!d)
		return;
	sg_init_table(sg, 3);
	for (i = 0; i < 3; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		if (!pages[i]) {
			lt_fail(t, "no memory");
			goto out;
		}
		sg_set_page(&sg[i], pages[i], PAGE_SIZE, 0);
	}
	lt_expect_eq(t, liommu_map(d, LT_IOVA + 2 * PAGE_SIZE, LT_PA, SZ_4K,
				   LT_RW, GFP_KERNEL), 0, "map the third page's IOVA");
	lt_expect_eq(t, liommu_map_sg(d, LT_IOVA, sg, 3, LT_RW, GFP_KERNEL),
		     -EEXIST, "scatterlist over it");
	lt_expect_eq(t, liommu_iova_to_phys(d, LT_IOVA), 0, "first unwound");
	lt_expect_eq(t, liommu_iova_to_phys(d, LT_IOVA + PAGE_SIZE), 0,
		     "second unwound");
	lt_expect_eq(t, liommu_iova_to_phys(d, LT_IOVA + 2 * PAGE_SIZE), LT_PA,
		     "existing kept");
	liommu_unmap(d, LT_IOVA + 2 * PAGE_SIZE, SZ_4K);
out:
	for (i = 0; i < 3; i++)
		if (pages[i])
			__free_page(pages[i]);
	liommu_domain_free(d);
}

static void core_map_fail_nth(struct lt_ctx *t)
{
	unsigned long iova = SZ_1G + SZ_2M;
	size_t size = SZ_4M + SZ_8K;
	unsigned int n;
	int err = -ENOMEM;

	/* A fresh domain each time, so that every table allocation fails once. */
	for (n = 1; n < 16 && err; n++) {
		struct liommu_domain *d = lt_paging(t, 0);

		if (!d)
			return;
		liommu_core_fail_nth(n);
		err = liommu_map(d, iova, LT_PA, size, LT_RW, GFP_KERNEL);
		liommu_core_fail_nth(0);
		if (err) {
			lt_expect_eq(t, err, -ENOMEM, "injected failure");
			lt_expect_eq(t, liommu_iova_to_phys(d, iova), 0,
				     "start unmapped");
			lt_expect_eq(t, liommu_iova_to_phys(d, iova + SZ_4M), 0,
				     "tail unmapped");
			lt_expect_eq(t, liommu_unmap(d, iova, SZ_4K), -ENOENT,
				     "nothing left");
		} else {
			lt_expect_eq(t, liommu_unmap(d, iova, size), size, "unmap");
		}
		liommu_domain_free(d);
	}
	lt_expect_true(t, !err && n > 2, "failure points walked, then success");
	lt_info(t, "%u failure points", n - 2);
}

static void core_iova_to_phys(struct lt_ctx *t)
{
	struct device *dev = lt_mock(t, 0);
	struct liommu_domain *d = lt_paging(t, 0);

	if (!d || !dev)
		goto out;
	lt_expect_eq(t, liommu_map(d, SZ_2M, 0x40000000, SZ_2M, LIOMMU_READ,
				   GFP_KERNEL), 0, "map");
	lt_expect_eq(t, liommu_iova_to_phys(d, SZ_2M + 0x1234),
		     0x40000000 + 0x1234, "offset in a 2 MiB page");
	lt_expect_eq(t, liommu_iova_to_phys(d, SZ_4M), 0, "after it");
	lt_expect_eq(t, liommu_iova_to_phys(liommu_identity_domain(dev), 0x5000),
		     0x5000, "identity");
	lt_expect_eq(t, liommu_iova_to_phys(liommu_blocked_domain(dev), 0x5000),
		     0, "blocked");
	lt_expect_eq(t, liommu_iova_to_phys(NULL, 0x5000), 0, "NULL");
	liommu_unmap(d, SZ_2M, SZ_2M);
out:
	liommu_domain_free(d);
}

/*
 * Concurrent maps and unmaps of disjoint ranges of one domain: two
 * threads take every other 4 KiB page of the same 4 MiB (so they share
 * leaf tables, and each may be the one that installs a table), yielding
 * between calls so that their calls interleave.  The mock maps through
 * its own ops, so the domain's map_lock serialises them (the walker's
 * lock-free rule: core_walk_concurrent): every page
 * ends up mapped to its own address, then all are unmapped and every
 * table the maps added is freed again.
 */
#define LT_CONC_BASE	0x200000000UL	/* 8 GiB */
#define LT_CONC_PAGES	(SZ_4M / SZ_4K)

struct lt_conc {
	struct liommu_domain *d;
	unsigned int parity;
	bool unmap;
	int err;
	struct completion done;
};

static int lt_conc_thread(void *data)
{
	struct lt_conc *c = data;
	unsigned long i;

	for (i = c->parity; i < LT_CONC_PAGES && !c->err; i += 2) {
		unsigned long iova = LT_CONC_BASE + i * SZ_4K;

		if (c->unmap) {
			if (liommu_unmap(c->d, iova, SZ_4K) != SZ_4K)
				c->err = -EIO;
		} else {
			c->err = liommu_map(c->d, iova, LT_PA + i * SZ_4K, SZ_4K,
					    LT_RW, GFP_KERNEL);
		}
		if (!(i & 15))
			schedule();
	}
	complete(&c->done);
	return 0;
}

static void lt_conc_run(struct lt_ctx *t, struct liommu_domain *d, bool unmap)
{
	struct lt_conc c[2];
	unsigned int k;

	for (k = 0; k < 2; k++) {
		struct task_struct *tsk;

		c[k] = (struct lt_conc){ .d = d, .parity = k, .unmap = unmap };
		init_completion(&c[k].done);
		tsk = kthread_run(lt_conc_thread, &c[k], "lt_conc%u", k);
		if (IS_ERR(tsk)) {
			c[k].err = PTR_ERR(tsk);
			complete(&c[k].done);
		}
	}
	for (k = 0; k < 2; k++) {
		wait_for_completion(&c[k].done);
		if (c[k].err)
			lt_fail(t, "%s thread %u: %d", unmap ? "unmap" : "map", k,
				c[k].err);
	}
}

static void core_map_concurrent_disjoint(struct lt_ctx *t)
{
	struct liommu_core_stats before, after;
	struct liommu_domain *d = lt_paging(t, 0);
	unsigned long i;

	if (!d)
		return;
	liommu_core_get_stats(&before);
	lt_conc_run(t, d, false);
	for (i = 0; i < LT_CONC_PAGES; i++)
		if (liommu_iova_to_phys(d, LT_CONC_BASE + i * SZ_4K) !=
		    LT_PA + i * SZ_4K) {
			lt_fail(t, "page %lu does not translate to its own address", i);
			break;
		}
	lt_conc_run(t, d, true);
	lt_expect_eq(t, liommu_iova_to_phys(d, LT_CONC_BASE), 0, "unmapped");
	liommu_core_get_stats(&after);
	lt_expect_eq(t, after.table_pages, before.table_pages,
		     "every table the maps added is freed");
	liommu_domain_free(d);
}

static const struct lt_case core_map_cases[] = {
	LT_CASE(core_map_misaligned),
	LT_CASE(core_map_zero_size),
	LT_CASE(core_map_overflow),
	LT_CASE(core_map_outside_aperture),
	LT_CASE(core_map_msi_window),
	LT_CASE(core_map_bad_prot_and_type),
	LT_CASE(core_map_overlap),
	LT_CASE(core_unmap_not_mapped),
	LT_CASE(core_unmap_cuts_superpage),
	LT_CASE(core_unmap_input),
	LT_CASE(core_map_sg),
	LT_CASE(core_map_sg_unwind),
	LT_CASE(core_map_fail_nth),
	LT_CASE(core_iova_to_phys),
	LT_CASE(core_map_concurrent_disjoint),
};

const struct lt_suite lt_core_map_suite = LT_SUITE("core_map", core_map_cases);
