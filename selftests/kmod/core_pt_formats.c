// SPDX-License-Identifier: GPL-2.0
/*
 * core_fmt_*: every hardware page-table format of the core's walker.
 *
 * Two things per format: the entries it writes, compared bit for bit with
 * values worked out by hand from the specifications (so a wrong field in
 * a format header fails here, whatever QEMU would accept), and a random
 * sequence of maps and unmaps checked against a reference model, the
 * same model for every format.  The tables are software only: no unit
 * walks them, so the output addresses may be anything.
 *
 * core_walk_*: what the walker promises beyond the model, for every
 * format: a table the range covers whole goes in one step, a partial
 * superpage unmap is refused, an all-or-nothing unmap over a hole changes
 * nothing, cache maintenance comes once per run of entries, and no walk
 * descends per entry.  The last is the guard against a per-entry
 * (indirect) call coming back: liommu_pt.visits counts table visits, and
 * a 64 MiB map of 4 KiB pages must cost a visit per leaf table (32), not
 * one or more per page (16384).
 *
 * core_walk_keep_prune: an unmap with %LIOMMU_PT_KEEP leaves a table it
 * empties but covers only in part for liommu_pt_prune(), and unhooks a
 * table it covers whole.  core_walk_concurrent: the lock-free rule of
 * <liommu/pgtable.h> (the one liommu_map()/liommu_unmap() follow): two
 * threads map and unmap interleaved pages of the same leaf tables with
 * no lock, and every table they empty goes.
 */
#include <linux/completion.h>
#include <linux/kthread.h>
#include <linux/prandom.h>
#include <linux/random.h>
#include <linux/irqflags.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/vmalloc.h>

#include <liommu/driver.h>
#include <liommu/pgtable.h>
#include "selftest.h"

#define RW	(LIOMMU_READ | LIOMMU_WRITE)
#define RO	LIOMMU_READ

/*
 * The raw entries of one format for the fixed layout of fmt_entries():
 * tables (their flag bits only), a 4 KiB read-write page, a 4 KiB
 * read-only page, a 2 MiB and a 1 GiB read-write leaf.
 */
struct fmt_golden {
	const struct liommu_pt_format *fmt;
	u64 table_bits;
	u64 page_rw_bits;
	u64 page_ro_bits;
	u64 block_bits;
	int ro_prot;		/* what the format reports for the RO page */
};

/* Address bits of an entry, in every format here (47:12 suffices). */
#define ENTRY_ADDR	GENMASK_ULL(47, 12)

static const struct fmt_golden goldens[] = {
	/* VT-d 9.8: R=bit0, W=bit1, PS=bit7 on superpages; tables R|W. */
	{ &liommu_pt_format_vtdss, 0x3, 0x3, 0x1, 0x83, RO },
	/*
	 * x86 paging: tables P|RW|US|A (0x27); pages P|US|A, plus RW|D when
	 * writable (0x67, read-only 0x25); PS on superpages (0xe7).
	 */
	{ &liommu_pt_format_x86fl, 0x27, 0x67, 0x25, 0xe7, RO },
	/*
	 * Stage 1: tables VALID|TYPE; pages VALID|TYPE, AttrIndx 0, AP[1],
	 * SH inner (0x300), AF (0x400), nG (0x800) = 0xf43, AP[2] read-only
	 * 0xfc3; blocks without TYPE 0xf41.
	 */
	{ &liommu_pt_format_arm_s1, 0x3, 0xf43, 0xfc3, 0xf41, RO },
	/*
	 * Stage 2: pages VALID|TYPE, MemAttr 0xf (0x3c), S2AP RW (0xc0),
	 * SH inner, AF = 0x7ff; S2AP read only 0x77f; blocks 0x7fd.
	 */
	{ &liommu_pt_format_arm_s2, 0x3, 0x7ff, 0x77f, 0x7fd, RO },
};

static u64 raw_entry(const void *table, unsigned int idx)
{
	return le64_to_cpu(((const __le64 *)table)[idx]);
}

static void *raw_next(u64 e)
{
	return phys_to_virt(e & ENTRY_ADDR);
}

static void unmap_all(struct lt_ctx *t, struct liommu_pt *pt, unsigned long iova,
		      size_t size)
{
	struct liommu_iotlb_gather g;

	liommu_iotlb_gather_init(&g);
	lt_expect_eq(t, liommu_pt_unmap(pt, iova, size, &g), size, "unmap");
	liommu_iotlb_gather_free(&g);
}

static void check_entry(struct lt_ctx *t, const char *what, u64 got, u64 want)
{
	if (got != want)
		lt_fail(t, "%s: entry %#llx, expected %#llx", what, got, want);
}

static void fmt_entries(struct lt_ctx *t, const struct fmt_golden *g)
{
	const u64 pa_rw = 0x12345000, pa_ro = 0x23456000;
	const u64 pa_2m = 0x40000000, pa_1g = 0x80000000;
	struct liommu_pt pt;
	size_t mapped = 0, pgsize;
	void *l2, *l1, *l0;
	phys_addr_t pa;
	int prot;
	u64 e;

	if (liommu_pt_init(&pt, g->fmt, 4, GFP_KERNEL)) {
		lt_fail(t, "liommu_pt_init");
		return;
	}
	if (liommu_pt_map(&pt, 0x1000, pa_rw, SZ_4K, pt.pgsize_bitmap, RW,
			  GFP_KERNEL, &mapped) ||
	    liommu_pt_map(&pt, 0x3000, pa_ro, SZ_4K, pt.pgsize_bitmap, RO,
			  GFP_KERNEL, &mapped) ||
	    liommu_pt_map(&pt, SZ_2M, pa_2m, SZ_2M, pt.pgsize_bitmap, RW,
			  GFP_KERNEL, &mapped) ||
	    liommu_pt_map(&pt, SZ_1G, pa_1g, SZ_1G, pt.pgsize_bitmap, RW,
			  GFP_KERNEL, &mapped)) {
		lt_fail(t, "map failed after %zu bytes", mapped);
		goto out;
	}

	/* Walk by hand, reading raw little-endian entries. */
	e = raw_entry(pt.root, 0);
	check_entry(t, "root[0] table", e & ~ENTRY_ADDR, g->table_bits);
	l2 = raw_next(e);
	e = raw_entry(l2, 0);
	check_entry(t, "level-2[0] table", e & ~ENTRY_ADDR, g->table_bits);
	l1 = raw_next(e);
	e = raw_entry(l1, 0);
	check_entry(t, "level-1[0] table", e & ~ENTRY_ADDR, g->table_bits);
	l0 = raw_next(e);
	check_entry(t, "4K read-write page", raw_entry(l0, 1),
		    pa_rw | g->page_rw_bits);
	check_entry(t, "4K read-only page", raw_entry(l0, 3),
		    pa_ro | g->page_ro_bits);
	check_entry(t, "empty slot", raw_entry(l0, 2), 0);
	check_entry(t, "2M block", raw_entry(l1, 1), pa_2m | g->block_bits);
	check_entry(t, "1G block", raw_entry(l2, 1), pa_1g | g->block_bits);
	lt_expect_eq(t, liommu_pt_table_pages(&pt), 4, "root + 3 tables");

	/* The walker reads back what it wrote. */
	if (!liommu_pt_lookup(&pt, 0x3000 + 0x123, &pa, &pgsize, &prot)) {
		lt_expect_eq(t, pa, pa_ro + 0x123, "read-only page address");
		lt_expect_eq(t, pgsize, SZ_4K, "read-only page size");
		lt_expect_eq(t, prot, g->ro_prot, "read-only page rights");
	} else {
		lt_fail(t, "lookup of the read-only page");
	}
	if (!liommu_pt_lookup(&pt, SZ_1G + SZ_512M, &pa, &pgsize, &prot)) {
		lt_expect_eq(t, pa, pa_1g + SZ_512M, "1G block address");
		lt_expect_eq(t, pgsize, SZ_1G, "1G block size");
		lt_expect_eq(t, prot, RW, "1G block rights");
	} else {
		lt_fail(t, "lookup in the 1G block");
	}

	unmap_all(t, &pt, 0x1000, SZ_4K);
	unmap_all(t, &pt, 0x3000, SZ_4K);
	unmap_all(t, &pt, SZ_2M, SZ_2M);
	unmap_all(t, &pt, SZ_1G, SZ_1G);
	lt_expect_eq(t, liommu_pt_table_pages(&pt), 1, "emptied tables freed");
	lt_expect_eq(t, raw_entry(pt.root, 0), 0, "root entry cleared");
out:
	liommu_pt_free(&pt);
}

/* The reference model: one word per 4 KiB slot of a 4 GiB window. */
#define WIN_BASE	(4ULL * SZ_1G)
#define WIN_SIZE	(4ULL * SZ_1G)
#define WIN_SLOTS	(WIN_SIZE / SZ_4K)
#define MAX_EXT		256
#define RANDOM_OPS	3000
/* Fake output addresses: never touched, no unit walks these tables. */
#define PA_BASE		(64ULL * SZ_1G)

struct model {
	u32 *slot;		/* pfn + 1 of what the slot maps, 0 = hole */
	struct { u64 iova, size; } ext[MAX_EXT];
	unsigned int nr_ext;
	struct rnd_state rnd;
};

static u32 rnd(struct model *m, u32 n)
{
	return prandom_u32_state(&m->rnd) % n;
}

static bool model_free(struct model *m, u64 iova, u64 size)
{
	u64 s;

	for (s = (iova - WIN_BASE) / SZ_4K; s < (iova - WIN_BASE + size) / SZ_4K; s++)
		if (m->slot[s])
			return false;
	return true;
}

static void model_set(struct model *m, u64 iova, u64 size, u64 pa)
{
	u64 s, first = (iova - WIN_BASE) / SZ_4K;

	for (s = 0; s < size / SZ_4K; s++)
		m->slot[first + s] = pa ? (pa >> 12) + s + 1 : 0;
}

static bool model_check(struct lt_ctx *t, struct model *m,
			struct liommu_pt *pt, u64 slot)
{
	u64 iova = WIN_BASE + slot * SZ_4K + 0x10;
	phys_addr_t got = liommu_pt_iova_to_phys(pt, iova);
	phys_addr_t want = m->slot[slot] ?
		((phys_addr_t)(m->slot[slot] - 1) << 12) + 0x10 : 0;

	if (got != want)
		lt_fail(t, "iova %#llx: walker says %pa, model %pa", iova, &got,
			&want);
	return got == want;
}

static bool random_map(struct lt_ctx *t, struct model *m, struct liommu_pt *pt)
{
	u64 align, size, iova, pa;
	u32 kind = rnd(m, 100);
	size_t mapped = 0;
	int err;

	if (kind < 60) {
		align = SZ_4K;
		size = SZ_4K * (1 + rnd(m, 16));
	} else if (kind < 95) {
		align = SZ_2M;
		size = SZ_2M * (1 + rnd(m, 2)) + (rnd(m, 2) ? SZ_4K : 0);
	} else {
		align = SZ_1G;
		size = SZ_1G;
	}
	iova = WIN_BASE + (u64)rnd(m, (WIN_SIZE - size) / align + 1) * align;
	iova = round_down(iova, align);
	pa = PA_BASE + (u64)rnd(m, 64) * SZ_1G + (u64)rnd(m, 512) * align % SZ_1G;
	pa = round_down(pa, align);
	if (iova + size > WIN_BASE + WIN_SIZE || !model_free(m, iova, size))
		return true;	/* no room there: not an operation */
	err = liommu_pt_map(pt, iova, pa, size, pt->pgsize_bitmap, RW,
			    GFP_KERNEL, &mapped);
	if (err || mapped != size) {
		lt_fail(t, "map %#llx+%#llx -> %#llx: %d, %zu mapped", iova,
			size, pa, err, mapped);
		return false;
	}
	model_set(m, iova, size, pa);
	m->ext[m->nr_ext].iova = iova;
	m->ext[m->nr_ext++].size = size;
	return true;
}

static bool random_unmap(struct lt_ctx *t, struct model *m, struct liommu_pt *pt)
{
	unsigned int i = rnd(m, m->nr_ext);
	struct liommu_iotlb_gather g;
	u64 iova = m->ext[i].iova, size = m->ext[i].size;
	size_t done;

	liommu_iotlb_gather_init(&g);
	done = liommu_pt_unmap(pt, iova, size, &g);
	liommu_iotlb_gather_free(&g);
	if (done != size) {
		lt_fail(t, "unmap %#llx+%#llx: %zu", iova, size, done);
		return false;
	}
	if (g.start != iova || g.end != iova + size - 1)
		lt_fail(t, "gather [%#lx, %#lx] for [%#llx, %#llx]", g.start,
			g.end, iova, iova + size - 1);
	model_set(m, iova, size, 0);
	m->ext[i] = m->ext[--m->nr_ext];
	return true;
}

static void fmt_random(struct lt_ctx *t, const struct liommu_pt_format *fmt)
{
	u32 seed = get_random_u32();
	struct liommu_pt pt;
	struct model *m;
	unsigned int op;
	u64 s;

	m = vzalloc(sizeof(*m));
	if (!m) {
		lt_fail(t, "no memory");
		return;
	}
	m->slot = vzalloc(WIN_SLOTS * sizeof(*m->slot));
	if (!m->slot || liommu_pt_init(&pt, fmt, 4, GFP_KERNEL)) {
		lt_fail(t, "no memory");
		goto out_free;
	}
	prandom_seed_state(&m->rnd, seed);
	for (op = 0; op < RANDOM_OPS; op++) {
		bool ok;

		if (m->nr_ext && (m->nr_ext == MAX_EXT || rnd(m, 100) < 40))
			ok = random_unmap(t, m, &pt);
		else
			ok = random_map(t, m, &pt);
		if (!ok || !model_check(t, m, &pt, rnd(m, WIN_SLOTS)) ||
		    !model_check(t, m, &pt, rnd(m, WIN_SLOTS))) {
			lt_info(t, "failed at operation %u (seed %u)", op, seed);
			goto out_pt;
		}
	}
	/* Every 2 MiB of the window, and each extent's first page. */
	for (s = 0; s < WIN_SLOTS; s += SZ_2M / SZ_4K)
		if (!model_check(t, m, &pt, s))
			goto out_pt;
	for (op = 0; op < m->nr_ext; op++)
		if (!model_check(t, m, &pt, (m->ext[op].iova - WIN_BASE) / SZ_4K))
			goto out_pt;
	while (m->nr_ext)
		if (!random_unmap(t, m, &pt))
			goto out_pt;
	lt_expect_eq(t, liommu_pt_table_pages(&pt), 1,
		     "every table but the root freed");
out_pt:
	liommu_pt_free(&pt);
out_free:
	vfree(m->slot);
	vfree(m);
}

static void core_fmt_vtdss_entries(struct lt_ctx *t)
{
	fmt_entries(t, &goldens[0]);
}

static void core_fmt_x86fl_entries(struct lt_ctx *t)
{
	fmt_entries(t, &goldens[1]);
}

static void core_fmt_arm_s1_entries(struct lt_ctx *t)
{
	fmt_entries(t, &goldens[2]);
}

static void core_fmt_arm_s2_entries(struct lt_ctx *t)
{
	fmt_entries(t, &goldens[3]);
}

static void core_fmt_vtdss_random(struct lt_ctx *t)
{
	fmt_random(t, &liommu_pt_format_vtdss);
}

static void core_fmt_x86fl_random(struct lt_ctx *t)
{
	fmt_random(t, &liommu_pt_format_x86fl);
}

static void core_fmt_arm_s1_random(struct lt_ctx *t)
{
	fmt_random(t, &liommu_pt_format_arm_s1);
}

static void core_fmt_arm_s2_random(struct lt_ctx *t)
{
	fmt_random(t, &liommu_pt_format_arm_s2);
}

/* Stage 2 can say write-only and no access; VT-d second-stage too. */
static void core_fmt_rights(struct lt_ctx *t)
{
	static const struct { const struct liommu_pt_format *fmt; int in, out; } r[] = {
		{ &liommu_pt_format_vtdss, LIOMMU_WRITE, LIOMMU_WRITE },
		{ &liommu_pt_format_arm_s2, LIOMMU_WRITE, LIOMMU_WRITE },
		/* Read is implied by present in x86 paging and stage 1. */
		{ &liommu_pt_format_x86fl, LIOMMU_WRITE, RW },
		{ &liommu_pt_format_arm_s1, LIOMMU_WRITE, RW },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(r); i++) {
		struct liommu_pt pt;
		size_t mapped = 0, pgsize;
		phys_addr_t pa;
		int prot = -1;

		if (liommu_pt_init(&pt, r[i].fmt, 4, GFP_KERNEL)) {
			lt_fail(t, "init %s", r[i].fmt->name);
			continue;
		}
		if (liommu_pt_map(&pt, SZ_4K, SZ_8K, SZ_4K, SZ_4K, r[i].in,
				  GFP_KERNEL, &mapped) ||
		    liommu_pt_lookup(&pt, SZ_4K, &pa, &pgsize, &prot))
			lt_fail(t, "%s: map or lookup failed", r[i].fmt->name);
		else if (prot != r[i].out)
			lt_fail(t, "%s: write-only mapping reads back as %d, expected %d",
				r[i].fmt->name, prot, r[i].out);
		unmap_all(t, &pt, SZ_4K, SZ_4K);
		liommu_pt_free(&pt);
	}
}


static const struct liommu_pt_format *const walk_fmts[] = {
	&liommu_pt_format_mock, &liommu_pt_format_vtdss,
	&liommu_pt_format_x86fl, &liommu_pt_format_arm_s1,
	&liommu_pt_format_arm_s2,
};

/* Leaf tables of 4 KiB pages in @size: one per 2 MiB. */
#define LEAF_TABLES(size)	((size) / SZ_2M)
#define WALK_IOVA		(8ULL * SZ_1G)
/* 4 KiB off any superpage alignment: only 4 KiB leaves fit. */
#define WALK_PA			(PA_BASE + SZ_4K)

static bool walk_init(struct lt_ctx *t, struct liommu_pt *pt,
		      const struct liommu_pt_format *fmt)
{
	if (liommu_pt_init(pt, fmt, 4, GFP_KERNEL)) {
		lt_fail(t, "%s: liommu_pt_init", fmt->name);
		return false;
	}
	return true;
}

static unsigned int freelist_len(struct liommu_iotlb_gather *g)
{
	struct page *page;
	unsigned int n = 0;

	list_for_each_entry(page, &g->freelist, lru)
		n++;
	return n;
}

/*
 * 64 MiB of 4 KiB pages mapped in one call, then unmapped all or nothing
 * in one call: a visit per leaf table for the map, one look per leaf
 * table for the check, none for the unmap of the leaf tables it unhooks
 * whole, and every table but the root back.  The unmap first tries the
 * range as one run of 2 MiB leaves (it is 2 MiB-aligned): a descent of
 * three tables that finds a leaf table where a leaf would be.
 */
static void core_walk_visits(struct lt_ctx *t)
{
	const size_t size = SZ_64M;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(walk_fmts); i++) {
		const struct liommu_pt_format *fmt = walk_fmts[i];
		struct liommu_iotlb_gather g;
		struct liommu_pt pt;
		unsigned long v;
		size_t mapped = 0;
		ssize_t ret;

		if (!walk_init(t, &pt, fmt))
			continue;
		v = pt.visits;
		if (liommu_pt_map(&pt, WALK_IOVA, WALK_PA, size,
				  pt.pgsize_bitmap, RW, GFP_KERNEL, &mapped) ||
		    mapped != size) {
			lt_fail(t, "%s: map of 64 MiB: %zu mapped", fmt->name,
				mapped);
			goto out;
		}
		v = pt.visits - v;
		/* Root, one level-2 and one level-1 table, then each leaf table. */
		if (v > LEAF_TABLES(size) + 3)
			lt_fail(t, "%s: map of %zu pages visited %lu tables, expected at most %zu",
				fmt->name, size / SZ_4K, v, LEAF_TABLES(size) + 3);
		lt_expect_eq(t, liommu_pt_table_pages(&pt),
			     1 + 2 + LEAF_TABLES(size), "tables after the map");
		lt_expect_eq(t, liommu_pt_iova_to_phys(&pt, WALK_IOVA + size - 8),
			     WALK_PA + size - 8, "last page");

		liommu_iotlb_gather_init(&g);
		v = pt.visits;
		ret = liommu_pt_unmap_all(&pt, WALK_IOVA, size, &g);
		v = pt.visits - v;
		lt_expect_eq(t, ret, size, "unmap_all");
		/*
		 * The try as one run: 3; the check: 3 + one look per leaf
		 * table; the unmap: 3.
		 */
		if (v > LEAF_TABLES(size) + 9)
			lt_fail(t, "%s: unmap of %zu pages visited %lu tables, expected at most %zu",
				fmt->name, size / SZ_4K, v, LEAF_TABLES(size) + 9);
		lt_expect_eq(t, g.start, WALK_IOVA, "gather start");
		lt_expect_eq(t, g.end, WALK_IOVA + size - 1, "gather end");
		lt_expect_eq(t, freelist_len(&g), 2 + LEAF_TABLES(size),
			     "tables on the freelist");
		liommu_iotlb_gather_free(&g);
		lt_expect_eq(t, liommu_pt_table_pages(&pt), 1, "only the root left");
		lt_expect_eq(t, liommu_pt_iova_to_phys(&pt, WALK_IOVA), 0,
			     "unmapped");
out:
		liommu_pt_free(&pt);
	}
}

/*
 * A range covering a whole level-1 table (1 GiB) whose entries are a
 * leaf table of 4 KiB pages and 511 2 MiB blocks: the whole table is
 * unhooked with everything under it by one step at level 2, also by
 * liommu_pt_unmap() (which proves the table full through the
 * present-entry counts first), and a table with a hole is not.
 */
static void core_walk_whole_table(struct lt_ctx *t)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(walk_fmts); i++) {
		const struct liommu_pt_format *fmt = walk_fmts[i];
		struct liommu_iotlb_gather g;
		struct liommu_pt pt;
		size_t mapped = 0, done;

		if (!walk_init(t, &pt, fmt))
			continue;
		if (liommu_pt_map(&pt, WALK_IOVA, WALK_PA, SZ_2M,
				  pt.pgsize_bitmap, RW, GFP_KERNEL, &mapped) ||
		    liommu_pt_map(&pt, WALK_IOVA + SZ_2M, PA_BASE + SZ_2M,
				  SZ_1G - SZ_2M, SZ_4K | SZ_2M, RW, GFP_KERNEL,
				  &mapped)) {
			lt_fail(t, "%s: map of 1 GiB", fmt->name);
			goto out;
		}
		lt_expect_eq(t, liommu_pt_table_pages(&pt), 4, "root + 3 tables");
		/* A hole at the first page: no whole-table step, a stop there. */
		liommu_iotlb_gather_init(&g);
		done = liommu_pt_unmap(&pt, WALK_IOVA, SZ_4K, &g);
		liommu_iotlb_gather_free(&g);
		lt_expect_eq(t, done, SZ_4K, "one page");
		liommu_iotlb_gather_init(&g);
		done = liommu_pt_unmap(&pt, WALK_IOVA, SZ_1G, &g);
		lt_expect_eq(t, done, 0, "stops at the hole");
		lt_expect_eq(t, freelist_len(&g), 0, "nothing unhooked");
		liommu_iotlb_gather_free(&g);
		mapped = 0;
		if (liommu_pt_map(&pt, WALK_IOVA, WALK_PA - SZ_4K, SZ_4K,
				  pt.pgsize_bitmap, RW, GFP_KERNEL, &mapped))
			lt_fail(t, "%s: refill", fmt->name);
		/* Now full: one step at level 2 takes the level-1 table. */
		liommu_iotlb_gather_init(&g);
		done = liommu_pt_unmap(&pt, WALK_IOVA, SZ_1G, &g);
		lt_expect_eq(t, done, SZ_1G, "whole 1 GiB");
		/* Level 1 and its leaf table whole; level 2, emptied, too. */
		lt_expect_eq(t, freelist_len(&g), 3, "tables unhooked");
		lt_expect_eq(t, g.pgsize, SZ_1G, "gathered as one 1 GiB step");
		liommu_iotlb_gather_free(&g);
		lt_expect_eq(t, liommu_pt_table_pages(&pt), 1, "only the root left");
		lt_expect_eq(t, liommu_pt_iova_to_phys(&pt, WALK_IOVA + SZ_512M), 0,
			     "unmapped");
out:
		liommu_pt_free(&pt);
	}
}

/*
 * Partial superpage unmap: refused, never split.  A range that starts or
 * ends inside a 2 MiB leaf is -EINVAL from the check and from
 * liommu_pt_unmap_all(); liommu_pt_unmap() stops before the leaf.  The
 * leaf stays whole.
 */
static void core_walk_partial_superpage(struct lt_ctx *t)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(walk_fmts); i++) {
		const struct liommu_pt_format *fmt = walk_fmts[i];
		struct liommu_iotlb_gather g;
		struct liommu_pt pt;
		size_t mapped = 0, pgsize;
		phys_addr_t pa;
		int prot;

		if (!walk_init(t, &pt, fmt))
			continue;
		if (liommu_pt_map(&pt, WALK_IOVA, PA_BASE, SZ_2M,
				  pt.pgsize_bitmap, RW, GFP_KERNEL, &mapped)) {
			lt_fail(t, "%s: map 2 MiB", fmt->name);
			goto out;
		}
		lt_expect_eq(t, liommu_pt_mapped_range(&pt, WALK_IOVA + SZ_4K, SZ_4K),
			     -EINVAL, "check inside the leaf");
		lt_expect_eq(t, liommu_pt_mapped_range(&pt, WALK_IOVA, SZ_1M),
			     -EINVAL, "check of its first half");
		liommu_iotlb_gather_init(&g);
		lt_expect_eq(t, liommu_pt_unmap_all(&pt, WALK_IOVA, SZ_1M, &g),
			     -EINVAL, "unmap_all of its first half");
		lt_expect_eq(t, liommu_pt_unmap(&pt, WALK_IOVA + SZ_1M, SZ_1M, &g),
			     0, "unmap of its second half stops");
		lt_expect_true(t, liommu_iotlb_gather_empty(&g), "nothing gathered");
		liommu_iotlb_gather_free(&g);
		if (lt_expect_eq(t, liommu_pt_lookup(&pt, WALK_IOVA + SZ_1M, &pa,
						     &pgsize, &prot), 0, "lookup"))
			lt_expect_eq(t, pgsize, SZ_2M, "the leaf is still 2 MiB");
		unmap_all(t, &pt, WALK_IOVA, SZ_2M);
		lt_expect_eq(t, liommu_pt_table_pages(&pt), 1, "only the root left");
out:
		liommu_pt_free(&pt);
	}
}

/*
 * All or nothing: an unmap over a hole, or over a range whose last page
 * is missing, or that cuts a leaf at its far end, changes nothing at all.
 */
static void core_walk_all_or_nothing(struct lt_ctx *t)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(walk_fmts); i++) {
		const struct liommu_pt_format *fmt = walk_fmts[i];
		const unsigned long a = WALK_IOVA + SZ_2M - SZ_8K;
		struct liommu_iotlb_gather g;
		struct liommu_pt pt;
		unsigned long tables;
		size_t mapped = 0;

		if (!walk_init(t, &pt, fmt))
			continue;
		/* Two pages before a 2 MiB boundary, a 2 MiB leaf after it. */
		if (liommu_pt_map(&pt, a, WALK_PA, SZ_8K, pt.pgsize_bitmap, RW,
				  GFP_KERNEL, &mapped) ||
		    liommu_pt_map(&pt, WALK_IOVA + SZ_2M, PA_BASE, SZ_2M,
				  pt.pgsize_bitmap, RW, GFP_KERNEL, &mapped)) {
			lt_fail(t, "%s: map", fmt->name);
			goto out;
		}
		tables = liommu_pt_table_pages(&pt);
		liommu_iotlb_gather_init(&g);
		lt_expect_eq(t, liommu_pt_unmap_all(&pt, a - SZ_4K, SZ_8K + SZ_4K, &g),
			     -ENOENT, "hole before");
		lt_expect_eq(t, liommu_pt_unmap_all(&pt, a, SZ_8K + SZ_2M + SZ_4K, &g),
			     -ENOENT, "hole after");
		lt_expect_eq(t, liommu_pt_unmap_all(&pt, a, SZ_8K + SZ_1M, &g),
			     -EINVAL, "cuts the 2 MiB leaf");
		lt_expect_true(t, liommu_iotlb_gather_empty(&g), "nothing gathered");
		lt_expect_eq(t, freelist_len(&g), 0, "nothing unhooked");
		liommu_iotlb_gather_free(&g);
		lt_expect_eq(t, liommu_pt_table_pages(&pt), tables, "tables kept");
		lt_expect_eq(t, liommu_pt_iova_to_phys(&pt, a), WALK_PA, "first page kept");
		lt_expect_eq(t, liommu_pt_iova_to_phys(&pt, a + SZ_4K),
			     WALK_PA + SZ_4K, "second page kept");
		lt_expect_eq(t, liommu_pt_iova_to_phys(&pt, WALK_IOVA + SZ_2M),
			     PA_BASE, "leaf kept");
		/* And the exact range goes in one call, across the tables. */
		unmap_all(t, &pt, a, SZ_8K + SZ_2M);
		lt_expect_eq(t, liommu_pt_table_pages(&pt), 1, "only the root left");
out:
		liommu_pt_free(&pt);
	}
}

/*
 * A hole inside a run of leaves, at both leaf levels: the all-or-nothing
 * check and the unmap clear runs of leaves in one pass each, and must
 * still stop exactly at the hole.  2 MiB leaves at B and B + 4 MiB (none
 * at B + 2 MiB); 4 KiB pages at C, C + 4K and C + 12K (none at C + 8K).
 */
static int run_hole_map(struct liommu_pt *pt, unsigned long iova, u64 pa,
			size_t size)
{
	size_t mapped = 0;

	return liommu_pt_map(pt, iova, pa, size, pt->pgsize_bitmap, RW,
			     GFP_KERNEL, &mapped);
}

static void core_walk_run_hole(struct lt_ctx *t)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(walk_fmts); i++) {
		const struct liommu_pt_format *fmt = walk_fmts[i];
		const unsigned long b = WALK_IOVA, c = WALK_IOVA + SZ_1G;
		struct liommu_iotlb_gather g;
		struct liommu_pt pt;

		if (!walk_init(t, &pt, fmt))
			continue;
		if (run_hole_map(&pt, b, PA_BASE, SZ_2M) ||
		    run_hole_map(&pt, b + SZ_4M, PA_BASE + SZ_4M, SZ_2M) ||
		    run_hole_map(&pt, c, WALK_PA, SZ_8K) ||
		    run_hole_map(&pt, c + SZ_8K + SZ_4K, WALK_PA + SZ_16K,
				 SZ_4K)) {
			lt_fail(t, "%s: map", fmt->name);
			goto out;
		}
		liommu_iotlb_gather_init(&g);
		lt_expect_eq(t, liommu_pt_unmap_all(&pt, b, SZ_4M + SZ_2M, &g),
			     -ENOENT, "2 MiB run with a hole refused");
		lt_expect_eq(t, liommu_pt_unmap_all(&pt, c, SZ_16K, &g),
			     -ENOENT, "4 KiB run with a hole refused");
		lt_expect_true(t, liommu_iotlb_gather_empty(&g),
			       "nothing gathered");
		lt_expect_eq(t, liommu_pt_iova_to_phys(&pt, b), PA_BASE,
			     "first leaf kept");
		lt_expect_eq(t, liommu_pt_iova_to_phys(&pt, c + SZ_4K),
			     WALK_PA + SZ_4K, "second page kept");
		/* The walk that stops at holes clears up to the hole only. */
		lt_expect_eq(t, liommu_pt_unmap(&pt, b, SZ_4M + SZ_2M, &g), SZ_2M,
			     "2 MiB run stops at the hole");
		lt_expect_eq(t, liommu_pt_unmap(&pt, c, SZ_16K, &g), SZ_8K,
			     "4 KiB run stops at the hole");
		liommu_iotlb_gather_free(&g);
		lt_expect_eq(t, liommu_pt_iova_to_phys(&pt, b), 0,
			     "first leaf gone");
		lt_expect_eq(t, liommu_pt_iova_to_phys(&pt, c + SZ_4K), 0,
			     "second page gone");
		lt_expect_eq(t, liommu_pt_iova_to_phys(&pt, b + SZ_4M),
			     PA_BASE + SZ_4M, "leaf past the hole kept");
		lt_expect_eq(t, liommu_pt_iova_to_phys(&pt, c + SZ_8K + SZ_4K),
			     WALK_PA + SZ_16K, "page past the hole kept");
		unmap_all(t, &pt, b + SZ_4M, SZ_2M);
		unmap_all(t, &pt, c + SZ_8K + SZ_4K, SZ_4K);
		lt_expect_eq(t, liommu_pt_table_pages(&pt), 1,
			     "only the root left");
out:
		liommu_pt_free(&pt);
	}
}

/*
 * The one-descent unmap of a run of 2 MiB leaves inside one level-1
 * table (ptw_one_table_run()): 2 MiB leaves at B, B + 4M and B + 6M,
 * 4 KiB pages filling B + 2M.  The run B + 4M..8M goes in one descent of
 * three tables and keeps the level-1 table (B is still in it); B..4M
 * meets the leaf table where a leaf would be and takes the general walk,
 * which empties everything; a run that empties the level-1 table unhooks
 * it and the level-2 table above in the same call.
 */
static void core_walk_one_table_run(struct lt_ctx *t)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(walk_fmts); i++) {
		const struct liommu_pt_format *fmt = walk_fmts[i];
		const unsigned long b = WALK_IOVA;
		struct liommu_iotlb_gather g;
		struct liommu_pt pt;
		unsigned long tables, v;
		size_t mapped = 0;

		if (!walk_init(t, &pt, fmt))
			continue;
		if (!(pt.pgsize_bitmap & SZ_2M)) {
			lt_fail(t, "%s: no 2 MiB pages", fmt->name);
			goto out;
		}
		if (run_hole_map(&pt, b, PA_BASE, SZ_2M) ||
		    liommu_pt_map(&pt, b + SZ_2M, PA_BASE + SZ_2M, SZ_2M, SZ_4K,
				  RW, GFP_KERNEL, &mapped) ||
		    run_hole_map(&pt, b + SZ_4M, PA_BASE + SZ_4M, SZ_4M)) {
			lt_fail(t, "%s: map", fmt->name);
			goto out;
		}
		tables = liommu_pt_table_pages(&pt);
		liommu_iotlb_gather_init(&g);
		v = pt.visits;
		lt_expect_eq(t, liommu_pt_unmap_all(&pt, b + SZ_4M, SZ_4M, &g),
			     SZ_4M, "run of 2 MiB leaves");
		v = pt.visits - v;
		if (v > 3)
			lt_fail(t, "%s: the run visited %lu tables, expected 3",
				fmt->name, v);
		lt_expect_eq(t, g.start, b + SZ_4M, "gather start");
		lt_expect_eq(t, g.end, b + SZ_8M - 1, "gather end");
		lt_expect_eq(t, freelist_len(&g), 0, "no table unhooked");
		liommu_iotlb_gather_free(&g);
		lt_expect_eq(t, liommu_pt_table_pages(&pt), tables, "tables kept");
		lt_expect_eq(t, liommu_pt_iova_to_phys(&pt, b + SZ_4M), 0,
			     "run gone");
		lt_expect_eq(t, liommu_pt_iova_to_phys(&pt, b + SZ_4M + SZ_2M),
			     0, "end of the run gone");
		lt_expect_eq(t, liommu_pt_iova_to_phys(&pt, b), PA_BASE,
			     "leaf before the run kept");
		lt_expect_eq(t, liommu_pt_iova_to_phys(&pt, b + SZ_2M + SZ_4K),
			     PA_BASE + SZ_2M + SZ_4K, "4 KiB page kept");

		liommu_iotlb_gather_init(&g);
		lt_expect_eq(t, liommu_pt_unmap_all(&pt, b, SZ_4M, &g), SZ_4M,
			     "a leaf and a leaf table");
		lt_expect_eq(t, freelist_len(&g), 3,
			     "leaf, level-1 and level-2 tables unhooked");
		liommu_iotlb_gather_free(&g);
		lt_expect_eq(t, liommu_pt_table_pages(&pt), 1,
			     "only the root left");

		if (run_hole_map(&pt, b, PA_BASE, SZ_4M)) {
			lt_fail(t, "%s: map again", fmt->name);
			goto out;
		}
		liommu_iotlb_gather_init(&g);
		lt_expect_eq(t, liommu_pt_unmap_all(&pt, b, SZ_4M, &g), SZ_4M,
			     "run that empties its table");
		lt_expect_eq(t, freelist_len(&g), 2,
			     "level-1 and level-2 tables unhooked");
		liommu_iotlb_gather_free(&g);
		lt_expect_eq(t, liommu_pt_table_pages(&pt), 1,
			     "only the root left again");
		lt_expect_eq(t, liommu_pt_iova_to_phys(&pt, b), 0, "all gone");
out:
		liommu_pt_free(&pt);
	}
}

/*
 * The format's map_fast, liommu_map()'s common case: it maps only pages
 * into a leaf table that exists and only where nothing is mapped, and
 * otherwise declines (false) with nothing changed, leaving the range to
 * the general walk, which says what is wrong.
 */
static void core_walk_map_fast(struct lt_ctx *t)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(walk_fmts); i++) {
		const struct liommu_pt_format *fmt = walk_fmts[i];
		const unsigned long b = WALK_IOVA;
		const phys_addr_t pa = WALK_PA;
		struct liommu_iotlb_gather g;
		unsigned long tables, pg;
		struct liommu_pt pt;
		size_t mapped = 0, pgsize;
		phys_addr_t got;
		int prot;

		if (!walk_init(t, &pt, fmt))
			continue;
		pg = pt.pgsize_bitmap;
		lt_expect_eq(t, fmt->map_fast(&pt, b, pa, SZ_4K, pg, RW), false,
			     "no leaf table yet: declined");
		lt_expect_eq(t, liommu_pt_table_pages(&pt), 1,
			     "declined: no table allocated");
		if (liommu_pt_map(&pt, b, pa, SZ_4K, SZ_4K, RW, GFP_KERNEL,
				  &mapped)) {
			lt_fail(t, "%s: map", fmt->name);
			goto out;
		}
		tables = liommu_pt_table_pages(&pt);
		lt_expect_eq(t, fmt->map_fast(&pt, b + SZ_4K, pa + SZ_4K,
					      2 * SZ_4K, pg, RO), true,
			     "two pages into the leaf table");
		lt_expect_eq(t, liommu_pt_lookup(&pt, b + 2 * SZ_4K, &got,
						 &pgsize, &prot), 0,
			     "second page mapped");
		lt_expect_eq(t, got, pa + 2 * SZ_4K, "its address");
		lt_expect_eq(t, pgsize, SZ_4K, "its size");
		lt_expect_eq(t, prot, RO, "its permission: read only");
		lt_expect_eq(t, liommu_pt_table_pages(&pt), tables,
			     "no table added");

		/* Each refusal: false, and the pages around are as they were. */
		lt_expect_eq(t, fmt->map_fast(&pt, b + 2 * SZ_4K, pa, 2 * SZ_4K,
					      pg, RW), false,
			     "overlaps a mapped page: declined");
		lt_expect_eq(t, liommu_pt_iova_to_phys(&pt, b + 3 * SZ_4K), 0,
			     "declined: the page after it stays unmapped");
		lt_expect_eq(t, liommu_pt_iova_to_phys(&pt, b + 2 * SZ_4K),
			     pa + 2 * SZ_4K,
			     "declined: the mapped page is unchanged");
		lt_expect_eq(t, fmt->map_fast(&pt, b + SZ_2M - SZ_4K, pa,
					      2 * SZ_4K, pg, RW), false,
			     "crosses into the next leaf table: declined");
		lt_expect_eq(t, fmt->map_fast(&pt, b + 4 * SZ_4K, pa + 1,
					      SZ_4K, pg, RW), false,
			     "unaligned address: declined");
		lt_expect_eq(t, fmt->map_fast(&pt, b + 4 * SZ_4K, pa, SZ_4K,
					      pg & ~SZ_4K, RW), false,
			     "4 KiB pages not allowed: declined");
		lt_expect_eq(t, fmt->map_fast(&pt, b + 4 * SZ_4K,
					      (phys_addr_t)1 << fmt->oa_lg2,
					      SZ_4K, pg, RW), false,
			     "beyond the output width: declined");
		lt_expect_eq(t, liommu_pt_iova_to_phys(&pt, b + 4 * SZ_4K), 0,
			     "declined: nothing mapped there");

		liommu_iotlb_gather_init(&g);
		lt_expect_eq(t, liommu_pt_unmap_all(&pt, b, 3 * SZ_4K, &g),
			     3 * SZ_4K, "the three pages unmap as one run");
		liommu_iotlb_gather_free(&g);
		lt_expect_eq(t, liommu_pt_table_pages(&pt), 1,
			     "only the root left");
out:
		liommu_pt_free(&pt);
	}
}

static unsigned long sync_calls, sync_entries;

static void count_sync(void *ptr, unsigned int n)
{
	sync_calls++;
	sync_entries += n;
}

/*
 * Cache maintenance for a non-coherent unit (VT-d without ECAP.C): one
 * @sync per run of entries stored in a table (plus one per new table),
 * covering every entry stored, never one per entry.
 */
static void core_walk_sync_per_run(struct lt_ctx *t)
{
	struct liommu_pt_format fmt = liommu_pt_format_vtdss;
	const size_t size = SZ_8M;
	struct liommu_iotlb_gather g;
	struct liommu_pt pt;
	size_t mapped = 0;

	fmt.sync = count_sync;
	if (!walk_init(t, &pt, &fmt))
		return;
	sync_calls = sync_entries = 0;
	if (liommu_pt_map(&pt, WALK_IOVA, WALK_PA, size, pt.pgsize_bitmap, RW,
			  GFP_KERNEL, &mapped)) {
		lt_fail(t, "map");
		goto out;
	}
	/* New tables: 2 + 4 leaf tables; runs: root, 2 upper, 4 leaf runs. */
	lt_expect_eq(t, sync_calls, 6 + 7, "syncs for the map");
	lt_expect_eq(t, sync_entries, 6 * 512 + 1 + 1 + 4 + size / SZ_4K,
		     "entries synced: new tables, pointers, leaves");
	sync_calls = sync_entries = 0;
	liommu_iotlb_gather_init(&g);
	lt_expect_eq(t, liommu_pt_unmap_all(&pt, WALK_IOVA, size, &g), size,
		     "unmap");
	liommu_iotlb_gather_free(&g);
	/* Root, level 2 and level 1 each clear one run of pointers. */
	lt_expect_eq(t, sync_calls, 3, "syncs for the unmap");
	lt_expect_eq(t, sync_entries, 1 + 1 + 4, "entries synced by the unmap");
out:
	liommu_pt_free(&pt);
}

static unsigned long ptr_lookups;
static phys_addr_t (*ptr_real_lookup)(struct liommu_pt *pt,
				      unsigned long iova);

static phys_addr_t ptr_counting_lookup(struct liommu_pt *pt,
				       unsigned long iova)
{
	ptr_lookups++;
	return ptr_real_lookup(pt, iova);
}

/*
 * The core picks a table's walk once, in liommu_pt_init(): the
 * architecture's two compiled walks by name, any other format through
 * its pointers.  A copy of a format whose iova_to_phys is replaced is no
 * longer the compiled walk: every lookup goes through the replacement,
 * whichever format it copies.  (A copy that changes only sync, as VT-d's
 * units make, stays the compiled walk: core_walk_sync_per_run.)
 */
static void core_walk_format_pointers(struct lt_ctx *t)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(walk_fmts); i++) {
		struct liommu_pt_format fmt = *walk_fmts[i];
		struct liommu_iotlb_gather g;
		struct liommu_pt pt;
		size_t mapped = 0;

		ptr_real_lookup = fmt.iova_to_phys;
		fmt.iova_to_phys = ptr_counting_lookup;
		if (!walk_init(t, &pt, &fmt))
			continue;
		if (liommu_pt_map(&pt, WALK_IOVA, WALK_PA, SZ_4K,
				  pt.pgsize_bitmap, RW, GFP_KERNEL, &mapped)) {
			lt_fail(t, "%s: map", fmt.name);
			goto out;
		}
		ptr_lookups = 0;
		lt_expect_eq(t, liommu_pt_iova_to_phys(&pt, WALK_IOVA + 0x123),
			     WALK_PA + 0x123, fmt.name);
		lt_expect_eq(t, ptr_lookups, 1,
			     "lookups through the replaced pointer");
		liommu_iotlb_gather_init(&g);
		lt_expect_eq(t, liommu_pt_unmap_all(&pt, WALK_IOVA, SZ_4K, &g),
			     SZ_4K, "unmap");
		liommu_iotlb_gather_free(&g);
out:
		liommu_pt_free(&pt);
	}
}

/*
 * The unmap that keeps tables (%LIOMMU_PT_KEEP): two pages of one leaf
 * table, unmapped one at a time.  The first call leaves a page, the
 * second empties the leaf table but covers only two of its entries: it
 * stays hooked, and the call says so; liommu_pt_prune() then unhooks it
 * and the tables above it, bottom up.  A 2 MiB range of 4 KiB pages
 * covers its leaf table whole: the unmap unhooks it at once all the same.
 */
static void core_walk_keep_prune(struct lt_ctx *t)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(walk_fmts); i++) {
		const struct liommu_pt_format *fmt = walk_fmts[i];
		struct liommu_iotlb_gather g;
		struct liommu_pt pt;
		size_t mapped = 0;
		bool emptied;

		if (!walk_init(t, &pt, fmt))
			continue;
		if (liommu_pt_map(&pt, WALK_IOVA, WALK_PA, SZ_8K,
				  pt.pgsize_bitmap, RW, GFP_KERNEL, &mapped) ||
		    liommu_pt_map(&pt, WALK_IOVA + SZ_2M, WALK_PA, SZ_2M,
				  pt.pgsize_bitmap, RW, GFP_KERNEL, &mapped)) {
			lt_fail(t, "%s: map", fmt->name);
			goto out;
		}
		/* Root, level 2, level 1, two leaf tables. */
		lt_expect_eq(t, liommu_pt_table_pages(&pt), 5, "tables mapped");

		liommu_iotlb_gather_init(&g);
		lt_expect_eq(t, liommu_pt_unmap_all_keep(&pt, WALK_IOVA, SZ_4K,
							   &g, &emptied),
			     SZ_4K, "first page");
		lt_expect_eq(t, emptied, false, "one page left: not emptied");
		lt_expect_eq(t, liommu_pt_unmap_all_keep(&pt, WALK_IOVA + SZ_4K,
							   SZ_4K, &g, &emptied),
			     SZ_4K, "second page");
		lt_expect_eq(t, emptied, true, "leaf table emptied");
		lt_expect_eq(t, liommu_pt_table_pages(&pt), 5,
			     "the emptied table stays hooked");
		lt_expect_eq(t, freelist_len(&g), 0, "nothing on the freelist");
		lt_expect_eq(t, g.start, WALK_IOVA, "gather start");
		lt_expect_eq(t, g.end, WALK_IOVA + SZ_8K - 1, "gather end");
		liommu_pt_prune(&pt, WALK_IOVA + SZ_4K, SZ_4K, &g);
		lt_expect_eq(t, liommu_pt_table_pages(&pt), 4, "pruned");
		lt_expect_eq(t, freelist_len(&g), 1, "the leaf table goes");
		lt_expect_eq(t, g.end, WALK_IOVA + SZ_8K - 1,
			     "prune leaves the gather's range");
		liommu_iotlb_gather_free(&g);

		/* Covered whole: unhooked by the unmap itself, kept tables or not. */
		liommu_iotlb_gather_init(&g);
		lt_expect_eq(t, liommu_pt_unmap_all_keep(&pt, WALK_IOVA + SZ_2M,
							   SZ_2M, &g, &emptied),
			     SZ_2M, "2 MiB of pages");
		lt_expect_eq(t, freelist_len(&g), 1, "its leaf table goes");
		lt_expect_eq(t, liommu_pt_table_pages(&pt), 3,
			     "root, level 2 and level 1 left");
		lt_expect_eq(t, emptied, true, "level-1 table emptied");
		liommu_pt_prune(&pt, WALK_IOVA + SZ_2M, SZ_2M, &g);
		lt_expect_eq(t, liommu_pt_table_pages(&pt), 1, "only the root left");
		lt_expect_eq(t, freelist_len(&g), 3, "level 2 and 1 go too");
		liommu_iotlb_gather_free(&g);

		/* A refusal keeping tables changes nothing either. */
		liommu_iotlb_gather_init(&g);
		lt_expect_eq(t, liommu_pt_unmap_all_keep(&pt, WALK_IOVA, SZ_4K,
							   &g, &emptied),
			     -ENOENT, "hole");
		lt_expect_eq(t, liommu_iotlb_gather_empty(&g), true,
			     "nothing gathered");
out:
		liommu_pt_free(&pt);
	}
}

/*
 * Map one page at @iova, which needs three new tables, and read them
 * back: each holds only its one new entry, as a fresh page; @pooled
 * pages were in the pool before, and the map takes three of them.
 */
static void map_fresh_tables(struct lt_ctx *t, struct liommu_pt *pt,
			     const struct liommu_pt_format *fmt,
			     unsigned long iova, unsigned int pooled)
{
	struct liommu_pt_step steps[LIOMMU_PT_MAX_STEPS];
	unsigned int n, k, idx;
	size_t mapped = 0;

	if (liommu_pt_map(pt, iova, WALK_PA, SZ_4K, SZ_4K, RW, GFP_KERNEL,
			  &mapped)) {
		lt_fail(t, "%s: map again", fmt->name);
		return;
	}
	lt_expect_eq(t, liommu_core_table_pool(), pooled >= 3 ? pooled - 3 : 0,
		     "three pages taken back");
	n = liommu_pt_walk_steps(pt, iova, steps, ARRAY_SIZE(steps));
	lt_expect_eq(t, n, 4, "steps of the new map");
	for (k = 1; k < n; k++) {
		u64 *table = phys_to_virt(steps[k].table);
		unsigned int others = 0;

		for (idx = 0; idx < BIT(fmt->bits_per_level); idx++)
			others += idx != steps[k].index && table[idx];
		if (others)
			lt_fail(t, "%s: level %u: %u stale entries in a recycled table",
				fmt->name, steps[k].level, others);
	}
	unmap_all(t, pt, iova, SZ_4K);
}

/*
 * Emptied tables are recycled (core/alloc.c): two pages mapped, then
 * unmapped one at a time, empty and unhook the leaf, level-1 and level-2
 * tables; the three pages wait in the core's pool (its limbo), and a
 * grace period later the next map that needs three tables takes them
 * back.  Read back: each table of the new map's path
 * holds exactly one entry, the rest of the page zero, as a fresh page.
 */
static void core_walk_table_pool(struct lt_ctx *t)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(walk_fmts); i++) {
		const struct liommu_pt_format *fmt = walk_fmts[i];
		struct liommu_iotlb_gather g;
		unsigned int before, pooled;
		struct liommu_pt pt;
		size_t mapped = 0;

		if (!walk_init(t, &pt, fmt))
			continue;
		if (liommu_pt_map(&pt, WALK_IOVA, WALK_PA, SZ_8K, SZ_4K, RW,
				  GFP_KERNEL, &mapped)) {
			lt_fail(t, "%s: map", fmt->name);
			goto out;
		}
		/*
		 * Whatever earlier cases left settles first: their grace
		 * periods, then the kick that moves the limbo's pages out
		 * (whole tables with entries leave the count).
		 */
		synchronize_rcu();
		rcu_barrier();
		before = liommu_core_table_pool();
		liommu_iotlb_gather_init(&g);
		lt_expect_eq(t, liommu_pt_unmap_all(&pt, WALK_IOVA, SZ_4K, &g),
			     SZ_4K, "first page");
		lt_expect_eq(t, liommu_pt_unmap_all(&pt, WALK_IOVA + SZ_4K,
						    SZ_4K, &g),
			     SZ_4K, "second page");
		lt_expect_eq(t, freelist_len(&g), 3, "three tables unhooked");
		liommu_iotlb_gather_free(&g);
		/* Their grace period, and the callbacks of any beyond room. */
		synchronize_rcu();
		rcu_barrier();
		pooled = liommu_core_table_pool();
		if (before + 3 <= LIOMMU_TABLE_POOL_MAX)
			lt_expect_eq(t, pooled, before + 3,
				     "their pages in the pool");
		map_fresh_tables(t, &pt, fmt, WALK_IOVA + 5 * SZ_4K, pooled);
out:
		liommu_pt_free(&pt);
	}
}

/*
 * No table page serves again before its grace period: inside one RCU
 * read-side section (which no grace period can end), two pages are
 * mapped and unmapped, emptying three tables, and a map that needs three
 * new tables follows: none of its tables may be one of the three, though
 * they wait in the pool (its limbo), which held nothing else.  core_walk_table_pool() shows a
 * map taking them a grace period later.
 */
#define GRACE_FILL	(WALK_IOVA + 512ULL * SZ_1G)

static void core_walk_table_pool_grace(struct lt_ctx *t)
{
	struct liommu_pt_step steps[LIOMMU_PT_MAX_STEPS];
	unsigned int i, n, k, reused;

	for (i = 0; i < ARRAY_SIZE(walk_fmts); i++) {
		const struct liommu_pt_format *fmt = walk_fmts[i];
		struct liommu_iotlb_gather g;
		phys_addr_t freed[3] = {};
		struct liommu_pt pt;
		struct page *page;
		size_t mapped = 0;

		if (!walk_init(t, &pt, fmt))
			continue;
		/*
		 * Empty the pool first, so that a map inside the section has
		 * nothing older to take: a page in each of 257 leaf tables,
		 * under a level-2 table of their own.
		 */
		synchronize_rcu();
		rcu_barrier();
		for (k = 0; k <= LIOMMU_TABLE_POOL_MAX; k++) {
			mapped = 0;
			if (liommu_pt_map(&pt, GRACE_FILL + k * SZ_2M, WALK_PA,
					  SZ_4K, SZ_4K, RW, GFP_KERNEL,
					  &mapped)) {
				lt_fail(t, "%s: fill", fmt->name);
				goto out;
			}
		}
		if (!lt_expect_eq(t, liommu_core_table_pool(), 0,
				  "pages left in the pool"))
			goto out;
		rcu_read_lock();
		mapped = 0;
		if (liommu_pt_map(&pt, WALK_IOVA, WALK_PA, SZ_8K, SZ_4K, RW,
				  GFP_ATOMIC, &mapped)) {
			rcu_read_unlock();
			lt_fail(t, "%s: map", fmt->name);
			goto out;
		}
		liommu_iotlb_gather_init(&g);
		lt_expect_eq(t, liommu_pt_unmap_all(&pt, WALK_IOVA, SZ_8K, &g),
			     SZ_8K, "both pages");
		n = 0;
		list_for_each_entry(page, &g.freelist, lru)
			if (n < ARRAY_SIZE(freed))
				freed[n++] = page_to_phys(page);
		lt_expect_eq(t, n, 3, "three tables unhooked");
		liommu_iotlb_gather_free(&g);
		mapped = 0;
		if (liommu_pt_map(&pt, WALK_IOVA + 5 * SZ_4K, WALK_PA, SZ_4K,
				  SZ_4K, RW, GFP_ATOMIC, &mapped)) {
			rcu_read_unlock();
			lt_fail(t, "%s: map again", fmt->name);
			goto out;
		}
		n = liommu_pt_walk_steps(&pt, WALK_IOVA + 5 * SZ_4K, steps,
					 ARRAY_SIZE(steps));
		reused = 0;
		for (k = 1; k < n; k++)
			reused += steps[k].table == freed[0] ||
				  steps[k].table == freed[1] ||
				  steps[k].table == freed[2];
		rcu_read_unlock();
		lt_expect_eq(t, n, 4, "steps of the new map");
		lt_expect_eq(t, reused, 0,
			     "tables freed in this read-side section reused");
		unmap_all(t, &pt, WALK_IOVA + 5 * SZ_4K, SZ_4K);
		for (k = 0; k <= LIOMMU_TABLE_POOL_MAX; k++)
			unmap_all(t, &pt, GRACE_FILL + k * SZ_2M, SZ_4K);
out:
		liommu_pt_free(&pt);
	}
}

/*
 * A whole table an unmap unhooks with its entries in it waits out its
 * grace period in the limbo too (core/alloc.c), then goes back to the
 * page allocator, never to the pool: a leaf table full of 4 KiB pages
 * is unmapped in one call, with the level-1 and level-2 tables that
 * empties.  After the grace period the pool holds the two emptied
 * tables and not the full one, and a map that needs three tables finds
 * each of them holding only its one new entry.
 */
static void core_walk_table_pool_whole(struct lt_ctx *t)
{
	unsigned int i, full, before, pooled;

	for (i = 0; i < ARRAY_SIZE(walk_fmts); i++) {
		const struct liommu_pt_format *fmt = walk_fmts[i];
		struct liommu_iotlb_gather g;
		struct page *page;
		struct liommu_pt pt;
		size_t mapped = 0;

		if (!walk_init(t, &pt, fmt))
			continue;
		if (liommu_pt_map(&pt, WALK_IOVA, WALK_PA, SZ_2M, SZ_4K, RW,
				  GFP_KERNEL, &mapped)) {
			lt_fail(t, "%s: map", fmt->name);
			goto out;
		}
		/* Whatever earlier cases left settles first. */
		synchronize_rcu();
		rcu_barrier();
		before = liommu_core_table_pool();
		liommu_iotlb_gather_init(&g);
		lt_expect_eq(t, liommu_pt_unmap_all(&pt, WALK_IOVA, SZ_2M, &g),
			     SZ_2M, "the whole leaf table");
		lt_expect_eq(t, freelist_len(&g), 3, "three tables unhooked");
		full = 0;
		list_for_each_entry(page, &g.freelist, lru)
			full += !!memchr_inv(page_address(page), 0, PAGE_SIZE);
		lt_expect_eq(t, full, 1, "tables unhooked with their entries");
		liommu_iotlb_gather_free(&g);
		/* The grace period, and the kick that empties the limbo. */
		synchronize_rcu();
		rcu_barrier();
		pooled = liommu_core_table_pool();
		if (before + 3 <= LIOMMU_TABLE_POOL_MAX)
			lt_expect_eq(t, pooled, before + 2,
				     "the emptied tables pooled, the full one not");
		map_fresh_tables(t, &pt, fmt, WALK_IOVA + 5 * SZ_4K, pooled);
out:
		liommu_pt_free(&pt);
	}
}

/*
 * Two threads map, then unmap, every other 4 KiB page of the same 4 MiB
 * (two leaf tables, whose tables either may hook first) of one table,
 * eight rounds, with no lock, as liommu_map()/liommu_unmap() do: maps
 * under rcu_read_lock_sched() with an atomic gfp, unmaps with interrupts
 * off, each unhooking the tables it empties.  So a table one thread
 * empties is closed while the other maps into it, or pins it first and
 * keeps it; two unmaps empty one table together, and one of them
 * unhooks it.  They yield every 16 calls so that one CPU interleaves
 * them too; on two (vtd-sm-sl-debug) they run at once.  Every page must
 * translate to its own address, and once both are done only the root
 * may be left: no emptied table stays hooked.
 */
#define CONC_PAGES	(SZ_4M / SZ_4K)
#define CONC_ROUNDS	8

struct walk_conc {
	struct liommu_pt *pt;
	unsigned int parity;
	int err;
	unsigned long bad;
	struct completion done;
};

static int walk_conc_round(struct walk_conc *c)
{
	unsigned long i, iova, flags;

	for (i = c->parity; i < CONC_PAGES && !c->err; i += 2) {
		size_t mapped = 0;

		rcu_read_lock_sched();
		c->err = liommu_pt_map(c->pt, WALK_IOVA + i * SZ_4K,
				       WALK_PA + i * SZ_4K, SZ_4K, SZ_4K, RW,
				       GFP_ATOMIC, &mapped);
		rcu_read_unlock_sched();
		if (!(i & 15))
			schedule();
	}
	for (i = c->parity; i < CONC_PAGES && !c->err; i += 2)
		if (liommu_pt_iova_to_phys(c->pt, WALK_IOVA + i * SZ_4K) !=
		    WALK_PA + i * SZ_4K)
			c->bad++;
	for (i = c->parity; i < CONC_PAGES && !c->err; i += 2) {
		struct liommu_iotlb_gather g;
		ssize_t ret;

		iova = WALK_IOVA + i * SZ_4K;
		liommu_iotlb_gather_init(&g);
		local_irq_save(flags);
		ret = liommu_pt_unmap_all(c->pt, iova, SZ_4K, &g);
		local_irq_restore(flags);
		if (ret != SZ_4K)
			c->err = ret < 0 ? ret : -EIO;
		liommu_iotlb_gather_free(&g);
		if (!(i & 15))
			schedule();
	}
	return c->err;
}

static int walk_conc_thread(void *data)
{
	struct walk_conc *c = data;
	unsigned int r;

	for (r = 0; r < CONC_ROUNDS && !walk_conc_round(c); r++)
		;
	complete(&c->done);
	return 0;
}

static void core_walk_concurrent(struct lt_ctx *t)
{
	unsigned long leaves[LIOMMU_PT_MAX_STEPS];
	unsigned int i, k, l;

	for (i = 0; i < ARRAY_SIZE(walk_fmts); i++) {
		const struct liommu_pt_format *fmt = walk_fmts[i];
		struct walk_conc c[2];
		struct liommu_pt pt;

		if (!walk_init(t, &pt, fmt))
			continue;
		for (k = 0; k < 2; k++) {
			struct task_struct *tsk;

			c[k] = (struct walk_conc){ .pt = &pt, .parity = k };
			init_completion(&c[k].done);
			tsk = kthread_run(walk_conc_thread, &c[k], "lt_walk%u", k);
			if (IS_ERR(tsk)) {
				c[k].err = PTR_ERR(tsk);
				complete(&c[k].done);
			}
		}
		for (k = 0; k < 2; k++) {
			wait_for_completion(&c[k].done);
			if (c[k].err)
				lt_fail(t, "%s: thread %u: %d", fmt->name, k,
					c[k].err);
			if (c[k].bad)
				lt_fail(t, "%s: thread %u: %lu pages translate wrong",
					fmt->name, k, c[k].bad);
		}
		liommu_pt_count_leaves(&pt, leaves, ARRAY_SIZE(leaves));
		for (l = 0; l < ARRAY_SIZE(leaves); l++)
			if (leaves[l])
				lt_fail(t, "%s: %lu leaves left at level %u",
					fmt->name, leaves[l], l);
		lt_expect_eq(t, liommu_pt_table_pages(&pt), 1,
			     "only the root left");
		liommu_pt_free(&pt);
	}
}

static const struct lt_case core_fmt_cases[] = {
	LT_CASE(core_walk_visits),
	LT_CASE(core_walk_whole_table),
	LT_CASE(core_walk_partial_superpage),
	LT_CASE(core_walk_all_or_nothing),
	LT_CASE(core_walk_run_hole),
	LT_CASE(core_walk_one_table_run),
	LT_CASE(core_walk_map_fast),
	LT_CASE(core_walk_sync_per_run),
	LT_CASE(core_walk_format_pointers),
	LT_CASE(core_walk_keep_prune),
	LT_CASE(core_walk_table_pool),
	LT_CASE(core_walk_table_pool_grace),
	LT_CASE(core_walk_table_pool_whole),
	LT_CASE(core_walk_concurrent),
	LT_CASE(core_fmt_vtdss_entries),
	LT_CASE(core_fmt_x86fl_entries),
	LT_CASE(core_fmt_arm_s1_entries),
	LT_CASE(core_fmt_arm_s2_entries),
	LT_CASE(core_fmt_rights),
	LT_CASE(core_fmt_vtdss_random),
	LT_CASE(core_fmt_x86fl_random),
	LT_CASE(core_fmt_arm_s1_random),
	LT_CASE(core_fmt_arm_s2_random),
};

const struct lt_suite lt_core_fmt_suite = LT_SUITE("core_formats", core_fmt_cases);
