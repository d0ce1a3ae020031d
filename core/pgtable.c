// SPDX-License-Identifier: GPL-2.0
/*
 * The one page-table walker of liommu (vocabulary: <liommu/pgtable.h>).
 *
 * It maps a range choosing, page by page, the largest page size that the
 * caller allows, the format offers at some level and the alignment of
 * both addresses permits; it unmaps leaves into an IOTLB gather; it looks
 * addresses up, counts leaves and table pages, and frees a whole table.
 * Entry bits are the format's business (core/pt_<name>.h): the walker only
 * calls the format's accessors.  A not-present entry is 0 in every
 * format.
 *
 * Tables are pages from liommu_table_alloc() (counted in the core's
 * statistics and in @nr_tables).  A new table is zeroed before the entry
 * that points to it is stored, and dma_wmb() orders the two, so a walker
 * in hardware never follows a pointer to garbage.  A table that an unmap
 * empties is unhooked from its parent and put on the gather's freelist;
 * the core frees it only after the vendor's iotlb_sync (which also
 * drops cached table pointers), so a superpage can later take its place.
 */
#include <linux/bitops.h>
#include <linux/err.h>
#include <linux/io.h>
#include <linux/log2.h>
#include <linux/mm.h>

#include <liommu/pgtable.h>
#include "priv.h"

static unsigned int pt_index(const struct liommu_pt *pt, unsigned long iova,
			     unsigned int level)
{
	unsigned int lg2 = liommu_pt_level_lg2(pt, level);

	return (iova >> lg2) & ((1U << pt->fmt->bits_per_level) - 1);
}

static void *pt_table_va(const struct liommu_pt *pt, u64 e,
			 unsigned int level)
{
	return phys_to_virt(pt->fmt->oa(e, level));
}

static bool pt_is_leaf(const struct liommu_pt *pt, u64 e, unsigned int level)
{
	return level == 0 || pt->fmt->is_leaf(e, level);
}

static void pt_store(struct liommu_pt *pt, void *table, unsigned int idx,
		     u64 e)
{
	const struct liommu_pt_format *fmt = pt->fmt;

	fmt->store(table, idx, e);
	if (fmt->sync)
		fmt->sync((u64 *)table + idx, 1);
}

/**
 * liommu_pt_init() - set up an empty page table
 * @pt: the table
 * @fmt: its format
 * @levels: how many levels (1 .. @fmt->max_levels)
 * @gfp: for the root table
 *
 * Stands for io-pgtable's alloc_io_pgtable_ops() (generic_pt's pt_iommu_init()).
 *
 * Return: 0, -EINVAL for a bad @levels, -ENOMEM.
 */
int liommu_pt_init(struct liommu_pt *pt, const struct liommu_pt_format *fmt,
		   unsigned int levels, gfp_t gfp)
{
	unsigned int level;

	if (!levels || levels > fmt->max_levels)
		return -EINVAL;
	pt->fmt = fmt;
	pt->levels = levels;
	pt->pgsize_bitmap = 0;
	for (level = 0; level < levels; level++)
		if (fmt->leaf_levels & BIT(level))
			pt->pgsize_bitmap |= BIT(liommu_pt_level_lg2(pt, level));
	pt->root = liommu_table_alloc(gfp);
	if (!pt->root)
		return -ENOMEM;
	pt->nr_tables = 1;
	return 0;
}
LIOMMU_EXPORT(liommu_pt_init);

static void pt_free_table(struct liommu_pt *pt, void *table,
			  unsigned int level)
{
	unsigned int i, n = 1U << pt->fmt->bits_per_level;

	if (level) {
		for (i = 0; i < n; i++) {
			u64 e = pt->fmt->load(table, i);

			if (pt->fmt->present(e, level) && !pt_is_leaf(pt, e, level))
				pt_free_table(pt, pt_table_va(pt, e, level),
					      level - 1);
		}
	}
	liommu_table_free(table);
	pt->nr_tables--;
}

/**
 * liommu_pt_free() - free every table of @pt
 * @pt: the table; no hardware may walk it any more
 *
 * Stands for io-pgtable's free_io_pgtable_ops().
 */
void liommu_pt_free(struct liommu_pt *pt)
{
	if (!pt->root)
		return;
	pt_free_table(pt, pt->root, pt->levels - 1);
	pt->root = NULL;
}
LIOMMU_EXPORT(liommu_pt_free);

/*
 * The table that holds @iova's entry at @target, allocating missing
 * tables on the way; ERR_PTR(-EEXIST) when a leaf above covers @iova.
 */
static void *pt_walk_alloc(struct liommu_pt *pt, unsigned long iova,
			   unsigned int target, gfp_t gfp)
{
	const struct liommu_pt_format *fmt = pt->fmt;
	void *table = pt->root;
	unsigned int level;

	for (level = pt->levels - 1; level > target; level--) {
		unsigned int idx = pt_index(pt, iova, level);
		u64 e = fmt->load(table, idx);
		void *next;

		if (fmt->present(e, level)) {
			if (pt_is_leaf(pt, e, level))
				return ERR_PTR(-EEXIST);
			table = pt_table_va(pt, e, level);
			continue;
		}
		next = liommu_table_alloc(gfp);
		if (!next)
			return ERR_PTR(-ENOMEM);
		pt->nr_tables++;
		if (fmt->sync)
			fmt->sync(next, 1U << fmt->bits_per_level);
		dma_wmb();
		pt_store(pt, table, idx, fmt->mk_table(virt_to_phys(next), level));
		table = next;
	}
	return table;
}

/* The largest leaf level for @iova/@paddr within @size, or -1. */
static int pt_pick_level(const struct liommu_pt *pt, unsigned long iova,
			 phys_addr_t paddr, size_t size, unsigned long pgsizes)
{
	int level;

	for (level = pt->levels - 1; level >= 0; level--) {
		unsigned int lg2 = liommu_pt_level_lg2(pt, level);
		u64 pgsize = BIT_ULL(lg2);

		if (!(pgsizes & pgsize) || pgsize > size)
			continue;
		if ((iova | paddr) & (pgsize - 1))
			continue;
		return level;
	}
	return -1;
}

/**
 * liommu_pt_map() - map [@iova, @iova + @size) to @paddr
 * @pt: the table
 * @iova: first IOVA
 * @paddr: first physical address
 * @size: bytes
 * @pgsizes: the page sizes the caller allows (each leaf is the largest
 *	of these that the format has and alignment permits)
 * @prot: LIOMMU_READ/LIOMMU_WRITE
 * @gfp: for new tables
 * @mapped: the bytes mapped are added here, also on failure (the caller
 *	unmaps them)
 *
 * Stands for io_pgtable_ops->map_pages().
 *
 * Return: 0; -EEXIST if part of the range is mapped already (nothing of
 * that part changes); -EINVAL if no allowed size fits; -ENOMEM.
 */
int liommu_pt_map(struct liommu_pt *pt, unsigned long iova, phys_addr_t paddr,
		  size_t size, unsigned long pgsizes, int prot, gfp_t gfp,
		  size_t *mapped)
{
	const struct liommu_pt_format *fmt = pt->fmt;

	pgsizes &= pt->pgsize_bitmap;
	while (size) {
		int level = pt_pick_level(pt, iova, paddr, size, pgsizes);
		unsigned int idx;
		size_t pgsize;
		void *table;

		if (level < 0)
			return -EINVAL;
		table = pt_walk_alloc(pt, iova, level, gfp);
		if (IS_ERR(table))
			return PTR_ERR(table);
		idx = pt_index(pt, iova, level);
		if (fmt->present(fmt->load(table, idx), level))
			return -EEXIST;
		pt_store(pt, table, idx, fmt->mk_leaf(paddr, level, prot));
		pgsize = BIT_ULL(liommu_pt_level_lg2(pt, level));
		iova += pgsize;
		paddr += pgsize;
		size -= pgsize;
		*mapped += pgsize;
	}
	return 0;
}
LIOMMU_EXPORT(liommu_pt_map);

/*
 * Find @iova's leaf, or the not-present entry that stops the walk: its
 * table, index and level.  0 for a leaf, -ENOENT for a hole.
 */
static int pt_find(struct liommu_pt *pt, unsigned long iova, void **tablep,
		   unsigned int *idxp, unsigned int *levelp, u64 *ep)
{
	const struct liommu_pt_format *fmt = pt->fmt;
	void *table = pt->root;
	unsigned int level = pt->levels - 1;

	for (;;) {
		unsigned int idx = pt_index(pt, iova, level);
		u64 e = fmt->load(table, idx);

		*tablep = table;
		*idxp = idx;
		*levelp = level;
		*ep = e;
		if (!fmt->present(e, level))
			return -ENOENT;
		if (pt_is_leaf(pt, e, level))
			return 0;
		table = pt_table_va(pt, e, level);
		level--;
	}
}

static bool pt_table_empty(const struct liommu_pt *pt, const void *table)
{
	unsigned int i, n = 1U << pt->fmt->bits_per_level;

	for (i = 0; i < n; i++)
		if (pt->fmt->load(table, i))
			return false;
	return true;
}

/*
 * Unhook the tables below @table (level @level, mapping from @base) that
 * overlap [@start, @last] and are empty; they go on @gather's freelist.
 */
static void pt_prune(struct liommu_pt *pt, void *table, unsigned int level,
		     unsigned long base, unsigned long start, unsigned long last,
		     struct liommu_iotlb_gather *gather)
{
	const struct liommu_pt_format *fmt = pt->fmt;
	unsigned long span = 1UL << liommu_pt_level_lg2(pt, level);
	unsigned int idx, first = pt_index(pt, start, level);
	unsigned int end = pt_index(pt, last, level);

	for (idx = first; idx <= end; idx++) {
		unsigned long ebase = base + idx * span;
		u64 e = fmt->load(table, idx);
		void *child;

		if (!fmt->present(e, level) || pt_is_leaf(pt, e, level))
			continue;
		child = pt_table_va(pt, e, level);
		if (level > 1)
			pt_prune(pt, child, level - 1, ebase, max(start, ebase),
				 min(last, ebase + span - 1), gather);
		if (pt_table_empty(pt, child)) {
			pt_store(pt, table, idx, 0);
			list_add(&virt_to_page(child)->lru, &gather->freelist);
			pt->nr_tables--;
		}
	}
}

/**
 * liommu_pt_unmap() - clear the leaves in [@iova, @iova + @size)
 * @pt: the table
 * @iova: first IOVA
 * @size: bytes
 * @gather: what was cleared is added here; nothing is invalidated
 *
 * Stands for io_pgtable_ops->unmap_pages().
 *
 * Stops at a hole or at a leaf that crosses either end of the range.
 * Tables left empty go on @gather's freelist (see the top of this file).
 *
 * Return: the bytes unmapped from @iova on.
 */
size_t liommu_pt_unmap(struct liommu_pt *pt, unsigned long iova, size_t size,
		       struct liommu_iotlb_gather *gather)
{
	size_t done = 0;

	while (done < size) {
		unsigned int idx, level;
		size_t pgsize;
		void *table;
		u64 e;

		if (pt_find(pt, iova, &table, &idx, &level, &e))
			break;
		pgsize = BIT_ULL(liommu_pt_level_lg2(pt, level));
		if ((iova & (pgsize - 1)) || pgsize > size - done)
			break;
		pt_store(pt, table, idx, 0);
		liommu_iotlb_gather_add(gather, iova, pgsize);
		iova += pgsize;
		done += pgsize;
	}
	if (done && pt->levels > 1)
		pt_prune(pt, pt->root, pt->levels - 1, 0, iova - done, iova - 1,
			 gather);
	return done;
}
LIOMMU_EXPORT(liommu_pt_unmap);

/**
 * liommu_iotlb_gather_free() - free the tables an unmap unhooked
 * @gather: the gather, after the vendor's iotlb_sync
 *
 * For users of the walker that unmap outside liommu_unmap() (which calls
 * it itself): the tables go only once no walker can still hold them.
 */
void liommu_iotlb_gather_free(struct liommu_iotlb_gather *gather)
{
	struct page *page, *next;

	list_for_each_entry_safe(page, next, &gather->freelist, lru) {
		list_del(&page->lru);
		liommu_table_free(page_address(page));
	}
}
LIOMMU_EXPORT(liommu_iotlb_gather_free);

/**
 * liommu_pt_mapped_range() - is a range entirely mapped by its own leaves
 * @pt: the table
 * @iova: first IOVA
 * @size: bytes
 *
 * No upstream counterpart: the check behind an all-or-nothing unmap.
 *
 * Return: 0 when leaves that lie inside the range cover all of it;
 * -ENOENT when part of it is not mapped; otherwise -EINVAL (a leaf
 * crosses an end of the range).
 */
int liommu_pt_mapped_range(struct liommu_pt *pt, unsigned long iova,
			   size_t size)
{
	int ret = 0;

	while (size) {
		unsigned int idx, level;
		size_t span, off, step;
		void *table;
		u64 e;
		int err = pt_find(pt, iova, &table, &idx, &level, &e);

		if (err)
			return -ENOENT;
		span = BIT_ULL(liommu_pt_level_lg2(pt, level));
		off = iova & (span - 1);
		step = span - off;
		if (off || step > size)
			ret = -EINVAL;
		if (step >= size)
			break;
		iova += step;
		size -= step;
	}
	return ret;
}
LIOMMU_EXPORT(liommu_pt_mapped_range);

/**
 * liommu_pt_lookup() - translate one IOVA
 * @pt: the table
 * @iova: the address
 * @pa: its physical address
 * @pgsize: the size of the leaf that maps it
 * @prot: the leaf's rights
 *
 * Stands for io_pgtable_ops->iova_to_phys(), with the leaf's size and rights.
 *
 * Return: 0, or -ENOENT when @iova is not mapped.
 */
int liommu_pt_lookup(struct liommu_pt *pt, unsigned long iova,
		     phys_addr_t *pa, size_t *pgsize, int *prot)
{
	unsigned int idx, level;
	void *table;
	size_t size;
	u64 e;

	if (pt_find(pt, iova, &table, &idx, &level, &e))
		return -ENOENT;
	size = BIT_ULL(liommu_pt_level_lg2(pt, level));
	*pa = pt->fmt->oa(e, level) + (iova & (size - 1));
	*pgsize = size;
	*prot = pt->fmt->prot(e, level);
	return 0;
}
LIOMMU_EXPORT(liommu_pt_lookup);

/**
 * liommu_pt_iova_to_phys() - translate one IOVA, upstream style
 * @pt: the table
 * @iova: the address
 *
 * Stands for io_pgtable_ops->iova_to_phys().
 *
 * Return: its physical address, 0 when it is not mapped.
 */
phys_addr_t liommu_pt_iova_to_phys(struct liommu_pt *pt, unsigned long iova)
{
	size_t pgsize;
	phys_addr_t pa;
	int prot;

	if (liommu_pt_lookup(pt, iova, &pa, &pgsize, &prot))
		return 0;
	return pa;
}
LIOMMU_EXPORT(liommu_pt_iova_to_phys);

static void pt_count(struct liommu_pt *pt, void *table, unsigned int level,
		     unsigned long *counts, unsigned int nr)
{
	unsigned int i, n = 1U << pt->fmt->bits_per_level;

	for (i = 0; i < n; i++) {
		u64 e = pt->fmt->load(table, i);

		if (!pt->fmt->present(e, level))
			continue;
		if (pt_is_leaf(pt, e, level)) {
			if (level < nr)
				counts[level]++;
			continue;
		}
		pt_count(pt, pt_table_va(pt, e, level), level - 1, counts, nr);
	}
}

/**
 * liommu_pt_count_leaves() - how many leaves each level holds
 * @pt: the table
 * @counts: counts[level] for level < @nr, zeroed first
 * @nr: entries of @counts
 *
 * No upstream counterpart: for tests and statistics.
 */
void liommu_pt_count_leaves(struct liommu_pt *pt, unsigned long *counts,
			    unsigned int nr)
{
	memset(counts, 0, nr * sizeof(*counts));
	if (pt->root)
		pt_count(pt, pt->root, pt->levels - 1, counts, nr);
}
LIOMMU_EXPORT(liommu_pt_count_leaves);

/**
 * liommu_pt_table_pages() - table pages @pt holds, root included
 * @pt: the table
 *
 * Stands for what upstream counts in NR_IOMMU_PAGES, per table.
 *
 * Return: the count.
 */
unsigned long liommu_pt_table_pages(struct liommu_pt *pt)
{
	return pt->nr_tables;
}
LIOMMU_EXPORT(liommu_pt_table_pages);
