// SPDX-License-Identifier: GPL-2.0
/*
 * The exported face of liommu's page-table walker (vocabulary and rules:
 * <liommu/pgtable.h>).
 *
 * Each function here validates its arguments and makes one call into the
 * walk of the table's format (core/pt_walk.h, compiled per format in
 * core/pt_fmt_<name>.c); the walk itself makes no indirect call per
 * entry.
 */
#include <linux/bitops.h>
#include <linux/err.h>
#include <linux/mm.h>
#ifdef CONFIG_X86
#include <asm/cacheflush.h>
#endif

#include <liommu/driver.h>
#include <liommu/pgtable.h>
#include "priv.h"

/*
 * Which compiled walk a format is: the one whose four entries it holds
 * (a vendor's copy of a format, with a sync of its own, still is), else
 * none.  liommu_pt_init() keeps the answer in the table, so that a call
 * picks its walk from the table alone, without reading the format.
 */
#define LIOMMU_PT_WALK_IS(fmt, X)					\
	((fmt)->map == X(map) && (fmt)->map_fast == X(map_fast) &&	\
	 (fmt)->unmap_all == X(unmap_all) &&				\
	 (fmt)->iova_to_phys == X(iova_to_phys))

static unsigned char liommu_pt_walk_of(const struct liommu_pt_format *fmt)
{
	if (LIOMMU_PT_WALK_IS(fmt, LIOMMU_PT_WALK_NAME_A))
		return LIOMMU_PT_WALK_A;
	if (LIOMMU_PT_WALK_IS(fmt, LIOMMU_PT_WALK_NAME_B))
		return LIOMMU_PT_WALK_B;
	return LIOMMU_PT_WALK_OTHER;
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
	pt->oa_lg2 = fmt->oa_lg2;
	pt->pgsize_bitmap = 0;
	for (level = 0; level < levels; level++)
		if (fmt->leaf_levels & BIT(level))
			pt->pgsize_bitmap |= BIT(liommu_pt_level_lg2(pt, level));
	pt->sync = fmt->sync;
#ifdef CONFIG_X86
	pt->sync_line = boot_cpu_data.x86_clflush_size;
#else
	pt->sync_line = 0;
#endif
	pt->va_lg2 = min(liommu_pt_level_lg2(pt, levels), 64U);
	pt->walk = liommu_pt_walk_of(fmt);
	pt->root = liommu_table_alloc(gfp);
	if (!pt->root)
		return -ENOMEM;
	set_page_private(virt_to_page(pt->root), 0);
	atomic_long_set(&pt->nr_tables, 1);
	pt->visits = 0;
	return 0;
}
LIOMMU_EXPORT(liommu_pt_init);

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
	pt->fmt->free(pt, pt->root, pt->levels - 1);
	pt->root = NULL;
}
LIOMMU_EXPORT(liommu_pt_free);

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
 * Context: alongside (<liommu/pgtable.h>): may run at once with other
 * calls on disjoint ranges of @pt, then under rcu_read_lock_sched() with
 * an atomic @gfp.
 * Return: 0; -EEXIST if part of the range is mapped already (nothing of
 * that part changes); -EINVAL if the smallest allowed size does not
 * divide @iova, @paddr and @size; -ERANGE beyond the table's reach, or a
 * physical range that ends at or beyond 2^@pt->oa_lg2 (nothing mapped);
 * -ENOMEM.
 */
int liommu_pt_map(struct liommu_pt *pt, unsigned long iova, phys_addr_t paddr,
		  size_t size, unsigned long pgsizes, int prot, gfp_t gfp,
		  size_t *mapped)
{
	return liommu_pt_map_nosleep(pt, iova, paddr, size, pgsizes, prot, gfp,
				     mapped, NULL);
}
LIOMMU_EXPORT(liommu_pt_map);

#ifdef CONFIG_X86
/**
 * liommu_pt_sync_clflush() - the &liommu_pt_format.sync of x86 units
 * @ptr: the first entry stored
 * @n: entries
 *
 * No upstream counterpart (the kernel's VT-d driver calls
 * clflush_cache_range() after its stores).  Flushes the entries' cache
 * lines to memory for a unit whose walks do not snoop the CPU's caches
 * (VT-d without ECAP.C).  The walker recognises this function and
 * flushes inline instead of calling it.
 *
 * Context: any.
 */
void liommu_pt_sync_clflush(void *ptr, unsigned int n)
{
	clflush_cache_range(ptr, n * sizeof(u64));
}
LIOMMU_EXPORT(liommu_pt_sync_clflush);
#endif

/**
 * liommu_pt_map_nosleep() - liommu_pt_map() that never sleeps
 * @pt: the table
 * @iova: first IOVA
 * @paddr: first physical address
 * @size: bytes
 * @pgsizes: the page sizes the caller allows
 * @prot: LIOMMU_READ/LIOMMU_WRITE
 * @gfp: the caller's allocation flags
 * @mapped: the bytes mapped are added here, also on failure
 * @spare: a zeroed table page (liommu_table_alloc()) the walk takes for
 *	the first new table it needs (and then sets *@spare to NULL), or
 *	NULL in *@spare; or @spare NULL for liommu_pt_map()'s behaviour
 *
 * No upstream counterpart: the walk of liommu_map() under a spinning
 * lock.  With @spare given the walk allocates a table itself only when
 * @gfp cannot block (an atomic caller); a caller whose @gfp may sleep
 * gets -EAGAIN when the walk needs a table and *@spare is empty, with
 * everything before that point mapped (*@mapped): it drops its lock,
 * allocates a spare with @gfp, and maps the rest.  So a table is
 * allocated once per table needed, with the caller's flags, either way.
 *
 * Context: alongside (<liommu/pgtable.h>; under rcu_read_lock_sched()
 * when unmaps may run at once); never sleeps when @spare is given.
 * Return: as liommu_pt_map(), or -EAGAIN as above.
 */
int liommu_pt_map_nosleep(struct liommu_pt *pt, unsigned long iova,
			  phys_addr_t paddr, size_t size, unsigned long pgsizes,
			  int prot, gfp_t gfp, size_t *mapped, void **spare)
{
	return __liommu_pt_map_nosleep(pt, iova, paddr, size, pgsizes, prot,
				       gfp, mapped, spare);
}
LIOMMU_EXPORT(liommu_pt_map_nosleep);

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
 * Tables left empty, and tables the range covers whole (once a look at
 * their present-entry counts proves them full), go on @gather's freelist.
 *
 * Context: alongside (<liommu/pgtable.h>): may run at once with other
 * calls on disjoint ranges of @pt, then with interrupts off.
 *
 * Return: the bytes unmapped from @iova on.
 */
size_t liommu_pt_unmap(struct liommu_pt *pt, unsigned long iova, size_t size,
		       struct liommu_iotlb_gather *gather)
{
	if (!size || !liommu_pt_in_reach(pt, iova, size))
		return 0;
	return pt->fmt->unmap(pt, iova, size, gather, 0, NULL);
}
LIOMMU_EXPORT(liommu_pt_unmap);

/**
 * liommu_pt_unmap_all() - clear [@iova, @iova + @size), all or nothing
 * @pt: the table
 * @iova: first IOVA
 * @size: bytes
 * @gather: what was cleared is added here; nothing is invalidated
 *
 * No upstream counterpart: liommu_unmap()'s walk.  The range must be
 * mapped entirely by leaves that lie inside it (liommu_pt_mapped_range()),
 * else nothing changes.  Then every table the range covers whole is
 * unhooked at once, with everything under it; tables left empty go on
 * @gather's freelist too.
 *
 * Context: alongside (<liommu/pgtable.h>): may run at once with other
 * calls on disjoint ranges of @pt, then with interrupts off.
 * Return: @size, -ENOENT (a hole) or -EINVAL (a leaf crosses an end).
 */
ssize_t liommu_pt_unmap_all(struct liommu_pt *pt, unsigned long iova,
			    size_t size, struct liommu_iotlb_gather *gather)
{
	return __liommu_pt_unmap_all(pt, iova, size, gather, 0, NULL);
}
LIOMMU_EXPORT(liommu_pt_unmap_all);

/**
 * liommu_pt_unmap_all_keep() - liommu_pt_unmap_all() keeping emptied tables
 * @pt: the table
 * @iova: first IOVA
 * @size: bytes
 * @gather: what was cleared is added here; nothing is invalidated
 * @emptied: set when the unmap left a table it covers only in part empty
 *	(still hooked: liommu_pt_prune() of the same range unhooks it)
 *
 * No upstream counterpart (upstream keeps every emptied table): the walk
 * of liommu_unmap() on a domain that keeps the tables of its small
 * unmaps (%LIOMMU_DOMAIN_F_KEEP_TABLES).  All or nothing like
 * liommu_pt_unmap_all(); tables the range covers whole go on @gather's
 * freelist, tables it empties stay.
 *
 * Context: alongside (<liommu/pgtable.h>), as liommu_pt_unmap_all().
 * Return: @size, -ENOENT (a hole) or -EINVAL (a leaf crosses an end).
 */
ssize_t liommu_pt_unmap_all_keep(struct liommu_pt *pt, unsigned long iova,
				   size_t size,
				   struct liommu_iotlb_gather *gather,
				   bool *emptied)
{
	return __liommu_pt_unmap_all(pt, iova, size, gather, LIOMMU_PT_KEEP,
				     emptied);
}
LIOMMU_EXPORT(liommu_pt_unmap_all_keep);

/**
 * liommu_pt_prune() - unhook the empty tables a range reaches
 * @pt: the table
 * @iova: first IOVA
 * @size: bytes
 * @gather: the unhooked tables go on its freelist (its range is left as
 *	it is: the unmap that emptied them added theirs)
 *
 * No upstream counterpart (upstream keeps emptied tables): the second
 * half of a liommu_pt_unmap_all_keep() that reported @emptied.  Every
 * table on the range's path with no present entry is unhooked, bottom
 * up; the root stays.
 *
 * Context: alongside (<liommu/pgtable.h>), as liommu_pt_unmap_all().
 */
void liommu_pt_prune(struct liommu_pt *pt, unsigned long iova, size_t size,
		     struct liommu_iotlb_gather *gather)
{
	if (!size || !liommu_pt_in_reach(pt, iova, size))
		return;
	pt->fmt->prune(pt, iova, size, gather);
}
LIOMMU_EXPORT(liommu_pt_prune);

/**
 * liommu_iotlb_gather_free() - free the tables an unmap unhooked
 * @gather: the gather, after the vendor's iotlb_sync
 *
 * For users of the walker that unmap outside liommu_unmap() (which calls
 * it itself).  The tables leave liommu_core_get_stats()'s count at once,
 * and go back to the page allocator after an RCU grace period: a
 * liommu_pt_lookup() may still be reading one (core/alloc.c).  The cost of
 * freeing them is no longer the unmap's either.
 *
 * Context: any.
 */
void liommu_iotlb_gather_free(struct liommu_iotlb_gather *gather)
{
	liommu_table_free_deferred_list(&gather->freelist);
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
	if (!size)
		return 0;
	if (!liommu_pt_in_reach(pt, iova, size))
		return -ENOENT;
	return pt->fmt->mapped_range(pt, iova, size);
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
	int err;

	if (!pt->root || !liommu_pt_in_reach(pt, iova, 1))
		return -ENOENT;
	/* Unhooked tables are freed after a grace period: see alloc.c. */
	rcu_read_lock_sched();
	err = pt->fmt->lookup(pt, iova, pa, pgsize, prot);
	rcu_read_unlock_sched();
	return err;
}
LIOMMU_EXPORT(liommu_pt_lookup);

/**
 * liommu_pt_walk_steps() - the walk of one IOVA, level by level
 * @pt: the table
 * @iova: the address
 * @steps: filled with one &struct liommu_pt_step per table read, from the
 *	root down
 * @max: room in @steps (%LIOMMU_PT_MAX_STEPS is always enough)
 *
 * Reads the entries liommu_pt_lookup() reads, and records each: the
 * table, the index, the entry and what it is.  The last step is the leaf,
 * or the first entry not present.  The caller keeps the table from
 * changing, as for liommu_pt_lookup().
 *
 * Return: the number of steps recorded, 0 when @iova is outside the
 * table's reach.
 */
unsigned int liommu_pt_walk_steps(struct liommu_pt *pt, unsigned long iova,
				  struct liommu_pt_step *steps,
				  unsigned int max)
{
	if (!pt->root || !liommu_pt_in_reach(pt, iova, 1) || !max)
		return 0;
	return pt->fmt->steps(pt, iova, steps, max);
}
LIOMMU_EXPORT(liommu_pt_walk_steps);

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
	return __liommu_pt_iova_to_phys(pt, iova);
}
LIOMMU_EXPORT(liommu_pt_iova_to_phys);

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
		pt->fmt->count_leaves(pt, pt->root, pt->levels - 1, counts,
				      nr);
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
	return atomic_long_read(&pt->nr_tables);
}
LIOMMU_EXPORT(liommu_pt_table_pages);
