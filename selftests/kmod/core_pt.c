// SPDX-License-Identifier: GPL-2.0
/*
 * core_*: page-size splitting, the IOTLB gather (one invalidation per
 * unmap call), table-page accounting, and a long random sequence of map
 * and unmap calls checked against a reference model through
 * liommu_iova_to_phys().
 */
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/vmalloc.h>

#include "core_common.h"

static bool lt_runs(struct lt_ctx *t, struct liommu_mock_domain_stats *s,
		    const struct liommu_mock_run *want, unsigned int n)
{
	unsigned int i;

	if (!lt_expect_eq(t, s->nr_runs, n, "map_pages calls"))
		return false;
	for (i = 0; i < n; i++) {
		if (s->runs[i].pgsize != want[i].pgsize ||
		    s->runs[i].pgcount != want[i].pgcount) {
			lt_fail(t, "run %u: %zu x %#zx, expected %zu x %#zx", i,
				s->runs[i].pgcount, s->runs[i].pgsize,
				want[i].pgcount, want[i].pgsize);
			return false;
		}
	}
	return true;
}

static void core_split_4m8k(struct lt_ctx *t)
{
	static const struct liommu_mock_run want[] = {
		{ SZ_2M, 2 }, { SZ_4K, 2 },
	};
	struct liommu_mock_domain_stats s;
	struct liommu_domain *d = lt_paging(t, 0);
	unsigned long iova = 0x40200000;	/* 1 GiB + 2 MiB */
	size_t size = SZ_4M + SZ_8K;

	if (!d)
		return;
	if (!lt_expect_eq(t, liommu_map(d, iova, 0x80200000, size, LT_RW,
					GFP_KERNEL), 0, "map"))
		goto out;
	if (lt_mstats(t, d, &s)) {
		lt_runs(t, &s, want, ARRAY_SIZE(want));
		lt_expect_eq(t, s.leaves[1], 2, "2 MiB leaves");
		lt_expect_eq(t, s.leaves[0], 2, "4 KiB leaves");
		lt_expect_eq(t, s.leaves[2], 0, "1 GiB leaves");
	}
	liommu_mock_domain_reset(d);
	lt_expect_eq(t, liommu_unmap(d, iova, size), size, "unmap");
	if (lt_mstats(t, d, &s)) {
		lt_expect_eq(t, s.iotlb_sync, 1, "one invalidation");
		lt_expect_eq(t, s.gather_start, iova, "gather start");
		lt_expect_eq(t, s.gather_end, iova + size - 1, "gather end");
		lt_expect_eq(t, s.leaves[0] + s.leaves[1], 0, "no leaf left");
	}
out:
	liommu_domain_free(d);
}

static void core_split_1g(struct lt_ctx *t)
{
	static const struct liommu_mock_run want[] = {
		{ SZ_1G, 1 }, { SZ_2M, 1 }, { SZ_4K, 1 },
	};
	struct liommu_mock_domain_stats s;
	struct liommu_domain *d = lt_paging(t, 0);
	unsigned long iova = 0x100000000UL;	/* 4 GiB */
	size_t size = SZ_1G + SZ_2M + SZ_4K;

	if (!d)
		return;
	if (!lt_expect_eq(t, liommu_map(d, iova, 0x200000000ULL, size, LT_RW,
					GFP_KERNEL), 0, "map"))
		goto out;
	if (lt_mstats(t, d, &s)) {
		lt_runs(t, &s, want, ARRAY_SIZE(want));
		lt_expect_eq(t, s.leaves[2], 1, "1 GiB leaves");
		lt_expect_eq(t, s.leaves[1], 1, "2 MiB leaves");
		lt_expect_eq(t, s.leaves[0], 1, "4 KiB leaves");
	}
	lt_expect_eq(t, liommu_iova_to_phys(d, iova + SZ_1G - 8),
		     0x200000000ULL + SZ_1G - 8, "end of the 1 GiB page");
	lt_expect_eq(t, liommu_unmap(d, iova, size), size, "unmap");
out:
	liommu_domain_free(d);
}

static void core_split_alignment(struct lt_ctx *t)
{
	static const struct liommu_mock_run want_pa[] = { { SZ_4K, 512 } };
	static const struct liommu_mock_run want_iova[] = {
		{ SZ_4K, 511 }, { SZ_2M, 1 }, { SZ_4K, 1 },
	};
	struct liommu_mock_domain_stats s;
	struct liommu_domain *d = lt_paging(t, 0);

	if (!d)
		return;
	/* IOVA 2 MiB-aligned, physical only 4 KiB: no superpage. */
	lt_expect_eq(t, liommu_map(d, SZ_2M, 0x80001000, SZ_2M, LT_RW, GFP_KERNEL),
		     0, "map, unaligned physical");
	if (lt_mstats(t, d, &s)) {
		lt_runs(t, &s, want_pa, ARRAY_SIZE(want_pa));
		lt_expect_eq(t, s.leaves[0], 512, "4 KiB leaves");
	}
	lt_expect_eq(t, liommu_unmap(d, SZ_2M, SZ_2M), SZ_2M, "unmap");
	liommu_mock_domain_reset(d);
	/* Both start 4 KiB past a boundary: small pages up to it, then 2 MiB. */
	lt_expect_eq(t, liommu_map(d, SZ_4M + SZ_4K, 0x80001000, SZ_4M, LT_RW,
				   GFP_KERNEL), 0, "map, offset");
	if (lt_mstats(t, d, &s))
		lt_runs(t, &s, want_iova, ARRAY_SIZE(want_iova));
	lt_expect_eq(t, liommu_unmap(d, SZ_4M + SZ_4K, SZ_4M), SZ_4M, "unmap");
	liommu_domain_free(d);
}

static void core_one_invalidation_per_unmap(struct lt_ctx *t)
{
	struct liommu_mock_domain_stats s;
	struct liommu_domain *d = lt_paging(t, 0);
	unsigned int i;

	if (!d)
		return;
	/* Eight separate maps of mixed sizes, side by side. */
	for (i = 0; i < 8; i++)
		if (liommu_map(d, SZ_1G + i * SZ_2M, 0x80000000 + i * SZ_2M,
			       i & 1 ? SZ_2M : SZ_64K, LT_RW, GFP_KERNEL))
			lt_fail(t, "map %u", i);
	liommu_mock_domain_reset(d);
	for (i = 0; i < 4; i++)
		lt_expect_eq(t, liommu_unmap(d, SZ_1G + i * SZ_2M,
					     i & 1 ? SZ_2M : SZ_64K),
			     i & 1 ? SZ_2M : SZ_64K, "unmap one");
	if (lt_mstats(t, d, &s))
		lt_expect_eq(t, s.iotlb_sync, 4, "four calls, four invalidations");
	/* The rest: two mappings at a time, one call each. */
	liommu_mock_domain_reset(d);
	lt_expect_eq(t, liommu_unmap(d, SZ_1G + 4 * SZ_2M, SZ_2M + SZ_2M),
		     -ENOENT, "range with a hole is refused");
	lt_expect_eq(t, liommu_unmap(d, SZ_1G + 5 * SZ_2M, SZ_2M + SZ_64K),
		     SZ_2M + SZ_64K, "two mappings, one call");
	if (lt_mstats(t, d, &s)) {
		lt_expect_eq(t, s.iotlb_sync, 1, "one invalidation");
		lt_expect_true(t, s.unmap_calls >= 2, "several unmap_pages");
		lt_expect_eq(t, s.flush_all, 0, "no full flush");
	}
	liommu_unmap(d, SZ_1G + 4 * SZ_2M, SZ_64K);
	liommu_unmap(d, SZ_1G + 7 * SZ_2M, SZ_2M);
	liommu_domain_free(d);
}

static void core_table_pages(struct lt_ctx *t)
{
	struct liommu_core_stats before, mapped, after;
	struct liommu_mock_domain_stats s;
	struct liommu_domain *d;
	unsigned int i;

	liommu_core_get_stats(&before);
	d = lt_paging(t, 0);
	if (!d)
		return;
	/* Three 4 KiB pages in three different 1 GiB regions of one 512 GiB. */
	for (i = 0; i < 3; i++)
		lt_expect_eq(t, liommu_map(d, (i + 1) * (unsigned long)SZ_1G,
					   0x80000000, SZ_4K, LT_RW, GFP_KERNEL),
			     0, "map");
	liommu_core_get_stats(&mapped);
	if (lt_mstats(t, d, &s))
		lt_expect_eq(t, s.table_pages, 1 + 1 + 3 + 3,
			     "root + one level-2 + three level-1 + three level-0");
	lt_expect_eq(t, mapped.table_pages - before.table_pages, 8,
		     "the core counts them");
	for (i = 0; i < 3; i++)
		liommu_unmap(d, (i + 1) * (unsigned long)SZ_1G, SZ_4K);
	liommu_domain_free(d);
	liommu_core_get_stats(&after);
	lt_expect_eq(t, after.table_pages, before.table_pages, "all freed");
}

/*
 * The reference model: a window of 2 GiB at 4 GiB, one slot per 4 KiB
 * page holding the expected physical address (0: unmapped), and the list
 * of mappings made.
 */
#define LT_WIN_BASE	0x100000000UL
#define LT_WIN_SIZE	SZ_2G
#define LT_WIN_SLOTS	(LT_WIN_SIZE / SZ_4K)
#define LT_MAX_EXT	1024
#define LT_RANDOM_OPS	10000

struct lt_extent {
	unsigned long iova;
	size_t size;
};

struct lt_model {
	u64 *slot;
	struct lt_extent ext[LT_MAX_EXT];
	unsigned int nr_ext;
	struct rnd_state rnd;
};

static u32 lt_rand(struct lt_model *m, u32 n)
{
	return prandom_u32_state(&m->rnd) % n;
}

static bool lt_model_free(struct lt_model *m, unsigned long iova, size_t size)
{
	unsigned long i, first = (iova - LT_WIN_BASE) / SZ_4K;

	for (i = 0; i < size / SZ_4K; i++)
		if (m->slot[first + i])
			return false;
	return true;
}

static void lt_model_set(struct lt_model *m, unsigned long iova, size_t size,
			 u64 pa)
{
	unsigned long i, first = (iova - LT_WIN_BASE) / SZ_4K;

	for (i = 0; i < size / SZ_4K; i++)
		m->slot[first + i] = pa ? pa + i * SZ_4K : 0;
}

static bool lt_model_check(struct lt_ctx *t, struct lt_model *m,
			   struct liommu_domain *d, unsigned long slot)
{
	unsigned long iova = LT_WIN_BASE + slot * SZ_4K;
	phys_addr_t got = liommu_iova_to_phys(d, iova + 0x18);
	u64 want = m->slot[slot] ? m->slot[slot] + 0x18 : 0;

	if (got != want) {
		lt_fail(t, "IOVA %#lx: translates to %pa, model says %#llx",
			iova + 0x18, &got, want);
		return false;
	}
	return true;
}

/* One random map: a size class, an IOVA aligned to it, a physical address. */
static bool lt_random_map(struct lt_ctx *t, struct lt_model *m,
			  struct liommu_domain *d)
{
	u32 cls = lt_rand(m, 100);
	size_t size, align;
	unsigned long iova;
	u64 pa;
	int err, want;

	if (cls < 70) {
		size = (1 + lt_rand(m, 16)) * SZ_4K;
		align = SZ_4K;
	} else if (cls < 97) {
		size = (1 + lt_rand(m, 3)) * SZ_2M + lt_rand(m, 2) * SZ_4K;
		align = SZ_2M;
	} else {
		size = SZ_1G;
		align = SZ_1G;
	}
	iova = LT_WIN_BASE + lt_rand(m, (LT_WIN_SIZE - size) / align + 1) * align;
	/* Same alignment as the IOVA most of the time, 4 KiB off sometimes. */
	pa = 0x4000000000ULL + (u64)lt_rand(m, 64) * SZ_1G +
	     (iova & (SZ_1G - 1)) + (lt_rand(m, 8) ? 0 : SZ_4K);
	want = lt_model_free(m, iova, size) ? 0 : -EEXIST;
	err = liommu_map(d, iova, pa, size, lt_rand(m, 2) ? LT_RW : LIOMMU_READ,
			 GFP_KERNEL);
	if (err != want) {
		lt_fail(t, "map %#lx+%#zx: %d, model expects %d", iova, size,
			err, want);
		return false;
	}
	if (!err) {
		lt_model_set(m, iova, size, pa);
		m->ext[m->nr_ext].iova = iova;
		m->ext[m->nr_ext].size = size;
		m->nr_ext++;
	}
	return lt_model_check(t, m, d, (iova - LT_WIN_BASE) / SZ_4K) &&
	       lt_model_check(t, m, d, (iova + size - 1 - LT_WIN_BASE) / SZ_4K);
}

static bool lt_random_unmap(struct lt_ctx *t, struct lt_model *m,
			    struct liommu_domain *d)
{
	unsigned int i = lt_rand(m, m->nr_ext);
	struct lt_extent e = m->ext[i];
	ssize_t ret;

	/* Sometimes a range one page longer over a hole: refused, intact. */
	if (!lt_rand(m, 10) && e.iova + e.size < LT_WIN_BASE + LT_WIN_SIZE &&
	    lt_model_free(m, e.iova + e.size, SZ_4K)) {
		ret = liommu_unmap(d, e.iova, e.size + SZ_4K);
		if (ret != -ENOENT) {
			lt_fail(t, "unmap over a hole at %#lx: %zd", e.iova, ret);
			return false;
		}
		if (!lt_model_check(t, m, d, (e.iova - LT_WIN_BASE) / SZ_4K))
			return false;
	}
	ret = liommu_unmap(d, e.iova, e.size);
	if (ret != (ssize_t)e.size) {
		lt_fail(t, "unmap %#lx+%#zx: %zd", e.iova, e.size, ret);
		return false;
	}
	lt_model_set(m, e.iova, e.size, 0);
	m->ext[i] = m->ext[--m->nr_ext];
	return lt_model_check(t, m, d, (e.iova - LT_WIN_BASE) / SZ_4K);
}

static void core_random_vs_model(struct lt_ctx *t)
{
	unsigned int op, maps = 0, unmaps = 0;
	struct liommu_domain *d;
	struct lt_model *m;
	unsigned long s;
	u32 seed = get_random_u32();

	lt_info(t, "seed %u", seed);
	m = vzalloc(sizeof(*m));
	if (!m) {
		lt_fail(t, "no memory");
		return;
	}
	m->slot = vzalloc(LT_WIN_SLOTS * sizeof(*m->slot));
	d = lt_paging(t, 0);
	if (!m->slot || !d)
		goto out;
	prandom_seed_state(&m->rnd, seed);
	for (op = 0; op < LT_RANDOM_OPS; op++) {
		bool ok;

		if (m->nr_ext && (m->nr_ext == LT_MAX_EXT || lt_rand(m, 100) < 45)) {
			ok = lt_random_unmap(t, m, d);
			unmaps++;
		} else {
			ok = lt_random_map(t, m, d);
			maps++;
		}
		if (!ok || !lt_model_check(t, m, d, lt_rand(m, LT_WIN_SLOTS))) {
			lt_info(t, "failed at operation %u (seed %u)", op, seed);
			goto out;
		}
	}
	/* Every page of the window against the model. */
	for (s = 0; s < LT_WIN_SLOTS; s++)
		if (!lt_model_check(t, m, d, s))
			goto out;
	lt_info(t, "%u maps, %u unmaps, %u mappings left", maps, unmaps,
		m->nr_ext);
	while (m->nr_ext)
		if (!lt_random_unmap(t, m, d))
			goto out;
out:
	liommu_domain_free(d);
	if (m)
		vfree(m->slot);
	vfree(m);
}

static const struct lt_case core_pt_cases[] = {
	LT_CASE(core_split_4m8k),
	LT_CASE(core_split_1g),
	LT_CASE(core_split_alignment),
	LT_CASE(core_one_invalidation_per_unmap),
	LT_CASE(core_table_pages),
	LT_CASE(core_random_vs_model),
};

const struct lt_suite lt_core_pt_suite = LT_SUITE("core_pgtable", core_pt_cases);
