/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one page-table walk of liommu, written once and compiled once per
 * format (vocabulary and rules: <liommu/pgtable.h>).
 *
 * A format's .c (core/pt_fmt_<name>.c) defines, before including this
 * file, its geometry and its entry accessors, all inline:
 *
 *   PTW_GRANULE_LG2, PTW_BITS      log2 of the smallest page, of the
 *                                  entries per table
 *   PTW_MAX_LEVELS, PTW_LEAF_LEVELS
 *   PTW_OA_LG2                     the widest output address an entry
 *                                  holds: a map beyond it is refused
 *                                  (-ERANGE), never truncated
 *   ptw_load(table, idx)           the entry, CPU order
 *   ptw_store(table, idx, e)       store it whole (WRITE_ONCE)
 *   ptw_cmpxchg(table, idx, old, e) store it whole if the entry is
 *                                  still @old (hooking a new table)
 *   ptw_present(e, level)          present at @level
 *   ptw_is_leaf(e, level)          present @e is a leaf (levels > 0)
 *   ptw_mk_leaf(oa, level, prot)   a leaf
 *   ptw_mk_table(pa, level)        a pointer to the table at @pa
 *   ptw_oa(e, level)               the output address or next table
 *   ptw_prot(e, level)             the leaf's LIOMMU_READ/WRITE
 *
 * and then says LIOMMU_PT_FORMAT(token, name) to define
 * liommu_pt_format_<token>.  Every function below is static to that .c,
 * so the compiler sees the accessors and inlines them: the only indirect
 * calls left are the one from the core into the walk (core/pgtable.c),
 * and, for a non-coherent unit other than x86's, the format's @sync once
 * per run of stored entries.  The map and the all-or-nothing unmap also
 * have a global name, liommu_pt_<token>_map() and _unmap_all(), which
 * the inline entries of core/priv.h that liommu_map() and liommu_unmap()
 * take call directly when the format is the architecture's
 * (INDIRECT_CALL_2()): no retpoline on the hot path.
 *
 * Each function handles one table in one visit: from the entry where the
 * range enters the table to the entry where it leaves it, recursing once
 * per child table the range reaches.  A range inside one leaf table takes
 * a loop down instead of the recursion (ptw_descend()).  A present-entry
 * count lives in each table's &struct page (its private word, changed
 * atomically: calls on disjoint ranges may share a table), updated
 * once per visit.
 *
 * Calls on disjoint ranges run at once (<liommu/pgtable.h>), with no
 * lock.  A map hooks a new table with ptw_cmpxchg(), and the loser of a
 * race frees its own table, which no one saw.  Leaves are stored
 * plainly: a leaf lies inside its call's range, and no other call may be
 * in it.  An unmap unhooks the tables its range covers whole at once (no
 * disjoint range reaches into them), and a table it merely empties once
 * it has closed it (ptw_close(): the word from 0, no entry and no pin,
 * to PTW_DEAD; one compare-and-exchange, so of two calls that empty one
 * table together exactly one unhooks it).  A map pins every table it
 * visits below the root (PTW_PIN, added with a compare-and-exchange) and
 * adds what it stored when it leaves, so no table a map is inside is
 * closed (ptw_map_fast(), which stores into one leaf table only where
 * nothing is mapped, adds its entries to the count before it stores them
 * instead: one atomic, and a table with entries is not closed either).
 * An unmap needs no pin: every table on its path holds its own
 * entries (the all-or-nothing check saw them) until it clears them, so
 * no other call can empty, close or unhook it first; the parent of a
 * table it closed keeps the count of that table's entry until the
 * closing call clears the entry, so the closing call unhooks upwards
 * from tables that are still hooked.  A map that finds a table closed
 * starts again from the root (-ESTALE inside the walk), by which time
 * the table is unhooked or about to be: unmaps run with interrupts off,
 * so the closing call is never cut off by a map waiting on its own CPU.
 * The table itself stays readable until a grace period after its unmap
 * (maps run under rcu_read_lock_sched(), core/alloc.c frees).  A table a
 * map hooks starts pinned, so that no unmap closes it before the map
 * has filled it.  With %LIOMMU_PT_KEEP an unmap leaves the tables it
 * empties but covers only in part hooked, and says so.
 *
 * A not-present entry is 0 in every format, and a new table is zeroed
 * (liommu_table_alloc()) and made visible before the entry that points to
 * it is stored (dma_wmb() orders the two), so a hardware walker never
 * follows a pointer to garbage.  Tables unhooked by an unmap go on the
 * gather's freelist; the core frees them after the vendor's iotlb_sync.
 */
#ifndef _LIOMMU_PT_WALK_H
#define _LIOMMU_PT_WALK_H

#include <linux/bitops.h>
#include <linux/err.h>
#include <linux/io.h>
#include <linux/mm.h>
#ifdef CONFIG_X86
#include <asm/cacheflush.h>
#include <asm/processor.h>
#include <asm/special_insns.h>
#endif

#include <liommu/driver.h>
#include <liommu/pgtable.h>
#include "priv.h"

#define PTW_NR		(1U << PTW_BITS)

static inline unsigned int ptw_lg2(unsigned int level)
{
	return PTW_GRANULE_LG2 + level * PTW_BITS;
}

static inline unsigned int ptw_index(unsigned long iova, unsigned int level)
{
	return (iova >> ptw_lg2(level)) & (PTW_NR - 1);
}

static inline bool ptw_leaf(u64 e, unsigned int level)
{
	return level == 0 || ptw_is_leaf(e, level);
}

static inline void *ptw_table_va(u64 e, unsigned int level)
{
	return phys_to_virt(ptw_oa(e, level));
}

/*
 * A table's page's private word: the count of its present entries in the
 * low bits, plus PTW_PIN for each map inside it, or PTW_DEAD once an
 * unmap closed it to unhook it (the header comment).
 */
#define PTW_COUNT_MASK	0xffffUL
#define PTW_PIN		(1UL << 16)
#define PTW_DEAD	(1UL << 62)

static inline atomic_long_t *ptw_count_of(const void *table)
{
	BUILD_BUG_ON(sizeof(atomic_long_t) != sizeof(unsigned long));
	BUILD_BUG_ON(PTW_NR > PTW_COUNT_MASK);
	return (atomic_long_t *)&virt_to_page(table)->private;
}

/* Present entries of @table. */
static inline unsigned long ptw_count(const void *table)
{
	return atomic_long_read(ptw_count_of(table)) & PTW_COUNT_MASK;
}

/* Add @delta present entries; the count after it. */
static inline unsigned long ptw_count_add(void *table, long delta)
{
	if (!delta)
		return ptw_count(table);
	return atomic_long_add_return(delta, ptw_count_of(table)) &
	       PTW_COUNT_MASK;
}

/*
 * Add @delta to @table's word unless it is closed (false: start again
 * from the root).  A map entering a table adds PTW_PIN; ptw_map_fast(),
 * which stores @n entries where nothing is mapped and leaves at once,
 * adds @n instead: a table that holds entries is never closed either,
 * and only that call stores in its range.
 */
static inline bool ptw_enter(void *table, long delta)
{
	atomic_long_t *w = ptw_count_of(table);
	long old = atomic_long_read(w);

	do {
		if (old & PTW_DEAD)
			return false;
	} while (!atomic_long_try_cmpxchg(w, &old, old + delta));
	return true;
}

/* A map enters @table; false: it is closed, start again from the root. */
static inline bool ptw_pin(void *table)
{
	return ptw_enter(table, PTW_PIN);
}

/* A map leaves @table, having stored @added entries in it. */
static inline void ptw_unpin(void *table, long added)
{
	atomic_long_add(added - (long)PTW_PIN, ptw_count_of(table));
}

/*
 * Close @table, if it is empty and unpinned, so that it can be unhooked:
 * from then on every map that reaches it starts again.  False: it holds
 * entries, or a map is inside.
 */
static inline bool ptw_close(void *table)
{
	atomic_long_t *w = ptw_count_of(table);
	long old = atomic_long_read(w);

	/*
	 * From the word read, not from a constant 0: arm64's cmpxchg casts
	 * a constant new value to every width, which sparse reports.
	 */
	return !old && atomic_long_try_cmpxchg(w, &old, old | PTW_DEAD);
}

/*
 * Entries [@first, @end) of @table for a non-coherent walker (if any).
 * The x86 units' sync (liommu_pt_sync_clflush()) runs inline: no call
 * through the format's pointer.
 */
static inline void ptw_sync(const struct liommu_pt *pt, void *table,
			    unsigned int first, unsigned int end)
{
	void (*sync)(void *ptr, unsigned int n) = pt->sync;

	if (likely(!sync) || end <= first)
		return;
#ifdef CONFIG_X86
	if (likely(sync == liommu_pt_sync_clflush)) {
		/* clflush_cache_range() without the call into the kernel. */
		unsigned long line = pt->sync_line;
		char *p = (char *)((unsigned long)((u64 *)table + first) &
				   ~(line - 1));
		char *stop = (char *)((u64 *)table + end);

		/*
		 * One line (a map or unmap of a few pages): CLFLUSH is
		 * ordered with the stores before and after it (SDM vol. 2,
		 * CLFLUSH), so it needs neither fence that CLFLUSHOPT does.
		 */
		if (stop - p <= line) {
			clflush(p);
			return;
		}
		mb();
		for (; p < stop; p += line)
			clflushopt(p);
		mb();
		return;
	}
#endif
	sync((u64 *)table + first, end - first);
}

/* Widen the run [@first, @end) of stored entries to take in @idx. */
static inline void ptw_stored(unsigned int *first, unsigned int *end,
			      unsigned int idx)
{
	*first = min(*first, idx);
	*end = idx + 1;
}

/*
 * A new table for a map: the caller's spare if it gave one, else a fresh
 * page.  A walk that must not sleep (@spare given) allocates itself only
 * when @gfp cannot block; otherwise it stops with -EAGAIN, and its caller
 * allocates a spare outside its lock and walks on (core/map.c).
 */
static void *ptw_new_table(struct liommu_pt *pt, gfp_t gfp, void **spare)
{
	void *table;

	if (spare && *spare) {
		table = *spare;
		*spare = NULL;
	} else if (spare && gfpflags_allow_blocking(gfp)) {
		return ERR_PTR(-EAGAIN);
	} else {
		table = liommu_table_alloc(gfp);
		if (!table)
			return ERR_PTR(-ENOMEM);
	}
	/* Pinned by the map that hooks it (the header comment). */
	set_page_private(virt_to_page(table), PTW_PIN);
	atomic_long_inc(&pt->nr_tables);
	ptw_sync(pt, table, 0, PTW_NR);
	return table;
}

/* Free a new table that lost the race to be hooked (never seen). */
static void ptw_drop_table(struct liommu_pt *pt, void *table)
{
	set_page_private(virt_to_page(table), 0);
	liommu_table_free(table);
	atomic_long_dec(&pt->nr_tables);
}

/*
 * The fast path of a range that lies inside one leaf table (it spans
 * less than one level-1 entry, so every leaf of it is a level-0 page):
 * descend without recursion, remembering the table at each level in
 * @tables.  ptw_descend() returns the leaf table, or NULL when the
 * descent meets a missing table or a leaf above level 0 (the caller
 * takes the general path, which knows what to do there);
 * ptw_descend_to() stops at the table of level @to instead.
 */
static inline bool ptw_in_one_leaf_table(unsigned long iova, size_t size)
{
	return size < ((size_t)1 << ptw_lg2(1)) &&
	       !((iova ^ (iova + size - 1)) >> ptw_lg2(1));
}

static __always_inline void *ptw_descend_to(struct liommu_pt *pt,
					    unsigned long iova,
					    unsigned int to, void **tables)
{
	unsigned int level;
	void *table = pt->root;

	for (level = pt->levels - 1; level > to; level--) {
		u64 e = ptw_load(table, ptw_index(iova, level));

		if (tables)
			tables[level] = table;
		pt->visits++;
		if (!ptw_present(e, level) || ptw_leaf(e, level))
			return NULL;
		table = ptw_table_va(e, level);
	}
	pt->visits++;
	return table;
}

static __always_inline void *ptw_descend(struct liommu_pt *pt,
					 unsigned long iova, void **tables)
{
	return ptw_descend_to(pt, iova, 0, tables);
}

/* ---- map ---- */

struct ptw_map {
	unsigned long iova;
	phys_addr_t paddr;
	size_t left;
	unsigned long pgsizes;
	int prot;
	gfp_t gfp;
	void **spare;
	size_t *mapped;
};

/*
 * Store leaves at @idx.. of @table for as much of @m as fits in it: the
 * inner loop of a map, on locals.  Returns how many were stored; stops
 * early (with *@err -EEXIST) at a present entry.  @fresh: this call
 * allocated @table and hooked it itself, so no entry inside its range
 * can be present (a leaf lies inside its call's range, and no other call
 * may map there): the stores go without a look at the old entries.
 */
static __always_inline unsigned int ptw_map_leaves(struct ptw_map *m,
						   void *table,
						   unsigned int idx,
						   unsigned int level,
						   bool fresh, int *err)
{
	unsigned int lg2 = ptw_lg2(level);
	unsigned int i, n = min_t(size_t, PTW_NR - idx, m->left >> lg2);
	phys_addr_t pa = m->paddr;
	int prot = m->prot;
	size_t bytes;

	if (fresh) {
		for (i = 0; i < n; i++, pa += (phys_addr_t)1 << lg2)
			ptw_store(table, idx + i, ptw_mk_leaf(pa, level, prot));
	} else {
		for (i = 0; i < n; i++, pa += (phys_addr_t)1 << lg2) {
			if (ptw_present(ptw_load(table, idx + i), level)) {
				*err = -EEXIST;
				break;
			}
			ptw_store(table, idx + i, ptw_mk_leaf(pa, level, prot));
		}
	}
	bytes = (size_t)i << lg2;
	m->iova += bytes;
	m->paddr += bytes;
	m->left -= bytes;
	*m->mapped += bytes;
	return i;
}

/*
 * One visit of a map.  Below the root it pins @table first, unless the
 * call hooked it itself (@fresh: it came pinned); -ESTALE when the table
 * is closed, and the walk starts again from the root (ptw_map()).
 */
static int ptw_map_table(struct liommu_pt *pt, struct ptw_map *m, void *table,
			 unsigned int level, bool fresh)
{
	unsigned int lg2 = ptw_lg2(level);
	size_t pgsize = (size_t)1 << lg2;
	bool leaf_ok = (PTW_LEAF_LEVELS & BIT(level)) && (m->pgsizes & pgsize);
	unsigned int idx = ptw_index(m->iova, level), first = PTW_NR, end = 0;
	bool root = level == pt->levels - 1;
	long added = 0;
	int err = 0;

	if (!root && !fresh && !ptw_pin(table))
		return -ESTALE;
	pt->visits++;
	while (idx < PTW_NR && m->left) {
		void *child;
		u64 e;

		if (leaf_ok && m->left >= pgsize &&
		    !((m->iova | m->paddr) & (pgsize - 1))) {
			/* A run of leaves: alignment holds to its end. */
			unsigned int n = ptw_map_leaves(m, table, idx, level,
							fresh, &err);

			if (n) {
				first = min(first, idx);
				end = idx + n;
				added += n;
				idx += n;
			}
			if (err)
				break;
			continue;
		}
		if (!level) {
			err = -EINVAL;
			break;
		}
		e = ptw_load(table, idx);
		if (!ptw_present(e, level)) {
			child = ptw_new_table(pt, m->gfp, m->spare);
			if (IS_ERR(child)) {
				err = PTR_ERR(child);
				break;
			}
			dma_wmb();
			if (ptw_cmpxchg(table, idx, e,
					ptw_mk_table(virt_to_phys(child),
						     level))) {
				ptw_stored(&first, &end, idx);
				added++;
				e = 0;	/* not present: @child is ours */
			} else {
				/* Another map hooked one first: use it. */
				ptw_drop_table(pt, child);
				e = ptw_load(table, idx);
				/*
				 * Gone again: a prune closed and unhooked it
				 * (the call that hooked it unmapped all it
				 * held meanwhile).  Try this entry again.
				 */
				if (!ptw_present(e, level))
					continue;
			}
		}
		if (e && ptw_leaf(e, level)) {
			err = -EEXIST;
			break;
		}
		if (e)
			child = ptw_table_va(e, level);
		/* @e is 0 here only for a table this call hooked itself. */
		err = ptw_map_table(pt, m, child, level - 1, !e);
		if (err)
			break;
		idx++;
	}
	if (root)
		ptw_count_add(table, added);
	else
		ptw_unpin(table, added);
	ptw_sync(pt, table, first, end);
	return err;
}

/*
 * The common map, with nothing on the stack: pages into a leaf table that
 * exists, none of them mapped yet (no recursion, no allocation).  True:
 * mapped; false: nothing changed, and the general walk (ptw_map()) takes
 * the range, and says what is wrong with it if anything is.
 */
static __always_inline bool ptw_map_fast(struct liommu_pt *pt,
					 unsigned long iova,
					 phys_addr_t paddr, size_t size,
					 unsigned long pgsizes, int prot)
{
	unsigned int idx = ptw_index(iova, 0), n = size >> PTW_GRANULE_LG2;
	unsigned int i;
	void *table;

	if (pt->levels < 2 || !(pgsizes & BIT(PTW_GRANULE_LG2)) ||
	    !ptw_in_one_leaf_table(iova, size) ||
	    ((iova | paddr | size) & (BIT(PTW_GRANULE_LG2) - 1)) ||
	    (((u64)paddr + size - 1) >> PTW_OA_LG2))
		return false;
	table = ptw_descend(pt, iova, NULL);
	if (!table)
		return false;
	/* No other call maps or unmaps inside this range meanwhile. */
	for (i = 0; i < n; i++)
		if (ptw_present(ptw_load(table, idx + i), 0))
			return false;
	if (!ptw_enter(table, n))
		return false;
	for (i = 0; i < n; i++)
		ptw_store(table, idx + i,
			  ptw_mk_leaf(paddr + ((phys_addr_t)i << PTW_GRANULE_LG2),
				      0, prot));
	ptw_sync(pt, table, idx, idx + n);
	return true;
}

static int ptw_map(struct liommu_pt *pt, unsigned long iova, phys_addr_t paddr,
		   size_t size, unsigned long pgsizes, int prot, gfp_t gfp,
		   size_t *mapped, void **spare)
{
	struct ptw_map m = {
		.iova = iova, .paddr = paddr, .left = size, .pgsizes = pgsizes,
		.prot = prot, .gfp = gfp, .spare = spare, .mapped = mapped,
	};
	int err;

	/* ptw_mk_leaf() keeps only the address bits the entry has. */
	if (((u64)paddr + size - 1) >> PTW_OA_LG2)
		return -ERANGE;
	if (ptw_map_fast(pt, iova, paddr, size, pgsizes, prot)) {
		*mapped += size;
		return 0;
	}
	/* A closed table on the way: its prune unhooks it in a moment. */
	while ((err = ptw_map_table(pt, &m, pt->root, pt->levels - 1,
				    false)) == -ESTALE)
		cpu_relax();
	return err;
}

/* ---- tables leaving the tree ---- */

/*
 * Put @table (at @level) and every table below it on @gather's freelist.
 * Only tables with table pointers are read: a leaf table or an empty
 * one is taken whole.
 */
static void ptw_gather_tables(struct liommu_pt *pt,
			      struct liommu_iotlb_gather *gather, void *table,
			      unsigned int level)
{
	struct page *page = virt_to_page(table);
	unsigned int idx;

	if (level && ptw_count(table)) {
		for (idx = 0; idx < PTW_NR; idx++) {
			u64 e = ptw_load(table, idx);

			if (ptw_present(e, level) && !ptw_leaf(e, level))
				ptw_gather_tables(pt, gather,
						  ptw_table_va(e, level),
						  level - 1);
		}
	}
	/*
	 * Closed for good: a map that still reaches it starts again.  A
	 * table with no entry goes back to the core's pool (core/alloc.c).
	 */
	set_page_private(page, PTW_DEAD |
			 (ptw_count(table) ? 0 : LIOMMU_TABLE_ZEROED));
	list_add(&page->lru, &gather->freelist);
	atomic_long_dec(&pt->nr_tables);
}

/* Is everything under @table (at @level) mapped?  One look per table. */
static bool ptw_full(void *table, unsigned int level)
{
	unsigned int idx;

	if (ptw_count(table) != PTW_NR)
		return false;
	if (!level)
		return true;
	for (idx = 0; idx < PTW_NR; idx++) {
		u64 e = ptw_load(table, idx);

		if (!ptw_leaf(e, level) && !ptw_full(ptw_table_va(e, level),
						     level - 1))
			return false;
	}
	return true;
}

/*
 * How many entries from @idx (at most @max) are present leaves: the
 * inner loop of the all-or-nothing check over a run of whole pages.
 */
static inline unsigned int ptw_leaf_run(const void *table, unsigned int idx,
					unsigned int level, unsigned int max)
{
	unsigned int i;

	for (i = 0; i < max; i++) {
		u64 e = ptw_load(table, idx + i);

		if (!ptw_present(e, level) || !ptw_leaf(e, level))
			break;
	}
	return i;
}

/*
 * Are the @n entries from @idx all present leaves?  The check of the
 * common unmap (ptw_one_table_run()), without a branch per entry: under
 * TCG each conditional branch ends a translation block, and this loop
 * runs over up to 512 entries.
 */
static inline bool ptw_all_leaves(const void *table, unsigned int idx,
				  unsigned int level, unsigned int n)
{
	const u64 *p = (const u64 *)table + idx, *stop = p + n;
	unsigned int good = 0;

	/*
	 * One loop per case, so that the level's part of the test leaves
	 * the loop (a leaf table's entries are all leaves), and a pointer
	 * that moves on, not an index: 8 instructions an entry instead of
	 * 13 (every format's entries are 64-bit).
	 */
	if (!level) {
		for (; p < stop; p++) {
			u64 e = ptw_load(p, 0);

			good += (unsigned int)ptw_present(e, 0) &
				(unsigned int)ptw_leaf(e, 0);
		}
	} else {
		for (; p < stop; p++) {
			u64 e = ptw_load(p, 0);

			good += (unsigned int)ptw_present(e, level) &
				(unsigned int)ptw_leaf(e, level);
		}
	}
	return good == n;
}

/* ---- unmap ---- */

/*
 * Clear the present leaves from @idx on (at most @max), stopping at the
 * first entry that is not one: the inner loop of an unmap over a run of
 * whole pages.  Returns how many were cleared.
 */
static inline unsigned int ptw_clear_leaves(void *table, unsigned int idx,
					    unsigned int level,
					    unsigned int max)
{
	unsigned int i;

	for (i = 0; i < max; i++) {
		u64 e = ptw_load(table, idx + i);

		if (!ptw_present(e, level) || !ptw_leaf(e, level))
			break;
		ptw_store(table, idx + i, 0);
	}
	return i;
}

struct ptw_unmap {
	unsigned long iova;
	size_t left;
	size_t done;
	size_t pgsize;
	struct liommu_iotlb_gather *gather;
	bool checked;
	bool keep;
	bool emptied;
};

/* Clear the range's entries in @table; false: stopped (hole, cut leaf). */
static bool ptw_unmap_table(struct liommu_pt *pt, struct ptw_unmap *u,
			    void *table, unsigned int level)
{
	size_t pgsize = (size_t)1 << ptw_lg2(level);
	unsigned int idx = ptw_index(u->iova, level), first = PTW_NR, end = 0;
	long removed = 0;
	bool go = true;

	pt->visits++;
	for (; idx < PTW_NR && u->left; idx++) {
		u64 e = ptw_load(table, idx);
		bool whole = !(u->iova & (pgsize - 1)) && u->left >= pgsize;
		void *child;

		if (!ptw_present(e, level)) {
			go = false;
			break;
		}
		if (ptw_leaf(e, level)) {
			unsigned int n;
			size_t bytes;

			if (!whole) {
				go = false;
				break;
			}
			/* A run of whole leaves, cleared in one pass. */
			n = ptw_clear_leaves(table, idx, level,
					     min_t(size_t, PTW_NR - idx,
						   u->left >> ptw_lg2(level)));
			first = min(first, idx);
			end = idx + n;
			removed += n;
			idx += n - 1;
			bytes = (size_t)n << ptw_lg2(level);
			u->iova += bytes;
			u->left -= bytes;
			u->done += bytes;
			u->pgsize = max(u->pgsize, pgsize);
			continue;
		} else {
			child = ptw_table_va(e, level);
			if (!whole || (!u->checked && !ptw_full(child, level - 1))) {
				go = ptw_unmap_table(pt, u, child, level - 1);
				if (u->keep) {
					/* Another call may be inside it. */
					u->emptied |= !ptw_count(child);
				} else if (ptw_close(child)) {
					ptw_store(table, idx, 0);
					ptw_stored(&first, &end, idx);
					removed++;
					ptw_gather_tables(pt, u->gather, child,
							  level - 1);
				}
				if (!go)
					break;
				continue;
			}
			/* The whole table goes, and everything under it. */
			ptw_store(table, idx, 0);
			ptw_stored(&first, &end, idx);
			removed++;
			ptw_gather_tables(pt, u->gather, child, level - 1);
		}
		u->iova += pgsize;
		u->left -= pgsize;
		u->done += pgsize;
		u->pgsize = max(u->pgsize, pgsize);
	}
	ptw_count_add(table, -removed);
	ptw_sync(pt, table, first, end);
	return go;
}

/*
 * A range that is a run of present leaves of one table at @level (@table
 * and the tables above it in @tables, from ptw_one_table_run()): clear
 * them, then unhook the tables this empties, bottom up (never the root);
 * with %LIOMMU_PT_KEEP only note that it emptied the table.
 */
static void ptw_unmap_fast(struct liommu_pt *pt, struct ptw_unmap *u,
			   void *table, unsigned int level, void **tables)
{
	unsigned int idx, n;
	unsigned long left;
	u64 *p, *stop;

	idx = ptw_index(u->iova, level);
	n = u->left >> ptw_lg2(level);
	/* At least one entry; a moving pointer, as in ptw_all_leaves(). */
	for (p = (u64 *)table + idx, stop = p + n; p < stop; p++)
		ptw_store(p, 0, 0);
	left = ptw_count_add(table, -(long)n);
	ptw_sync(pt, table, idx, idx + n);
	u->done = u->left;
	u->iova += u->left;
	u->left = 0;
	u->pgsize = (size_t)1 << ptw_lg2(level);
	if (u->keep) {
		u->emptied = !left;
		return;
	}
	for (level++; level < pt->levels && ptw_close(table); level++) {
		void *parent = tables[level];

		idx = ptw_index(u->iova - 1, level);
		ptw_store(parent, idx, 0);
		ptw_count_add(parent, -1);
		ptw_sync(pt, parent, idx, idx + 1);
		ptw_gather_tables(pt, u->gather, table, level - 1);
		table = parent;
	}
}

/* Report what @u cleared into its gather (and *@emptied); the bytes. */
static __always_inline size_t ptw_unmap_done(struct ptw_unmap *u,
					     unsigned long iova,
					     bool *emptied)
{
	if (emptied)
		*emptied = u->emptied;
	if (u->done) {
		liommu_iotlb_gather_add(u->gather, iova, u->done);
		u->gather->pgsize = max(u->gather->pgsize, u->pgsize);
	}
	return u->done;
}

static size_t ptw_unmap(struct liommu_pt *pt, unsigned long iova, size_t size,
			struct liommu_iotlb_gather *gather, unsigned int flags,
			bool *emptied)
{
	struct ptw_unmap u = {
		.iova = iova, .left = size, .gather = gather,
		.checked = flags & LIOMMU_PT_CHECKED,
		.keep = flags & LIOMMU_PT_KEEP,
	};

	ptw_unmap_table(pt, &u, pt->root, pt->levels - 1);
	return ptw_unmap_done(&u, iova, emptied);
}

/* ---- pruning what unmaps with LIOMMU_PT_KEEP emptied ---- */

/*
 * Unhook the empty tables below @table (at @level > 0) that the range
 * [@iova, @last] reaches, bottom up, each once it has closed it (so no
 * map is inside it, and of two calls that find it empty one unhooks it).
 * Only entries inside the range are read, and only tables are followed:
 * one visit per table on the range's path.
 */
static void ptw_prune_table(struct liommu_pt *pt, unsigned long iova,
			    unsigned long last,
			    struct liommu_iotlb_gather *gather, void *table,
			    unsigned int level)
{
	unsigned long span_mask = ((unsigned long)1 << ptw_lg2(level)) - 1;
	unsigned int idx = ptw_index(iova, level), first = PTW_NR, end = 0;
	long removed = 0;

	pt->visits++;
	for (;;) {
		u64 e = ptw_load(table, idx);
		unsigned long next = (iova | span_mask) + 1;

		if (ptw_present(e, level) && !ptw_leaf(e, level)) {
			void *child = ptw_table_va(e, level);

			if (level > 1 && ptw_count(child))
				ptw_prune_table(pt, iova, last, gather, child,
						level - 1);
			if (ptw_close(child)) {
				ptw_store(table, idx, 0);
				ptw_stored(&first, &end, idx);
				removed++;
				ptw_gather_tables(pt, gather, child, level - 1);
			}
		}
		if (!next || next > last || ++idx == PTW_NR)
			break;
		iova = next;
	}
	ptw_count_add(table, -removed);
	ptw_sync(pt, table, first, end);
}

static void ptw_prune(struct liommu_pt *pt, unsigned long iova, size_t size,
		      struct liommu_iotlb_gather *gather)
{
	if (pt->levels > 1)
		ptw_prune_table(pt, iova, iova + size - 1, gather, pt->root,
				pt->levels - 1);
}

/* ---- the all-or-nothing check ---- */

struct ptw_check {
	unsigned long iova;
	size_t left;
	int err;
};

/* 0 to go on; -ENOENT at a hole (final); -EINVAL noted in @c->err. */
static int ptw_check_table(struct liommu_pt *pt, struct ptw_check *c,
			   void *table, unsigned int level)
{
	size_t pgsize = (size_t)1 << ptw_lg2(level);
	unsigned int idx = ptw_index(c->iova, level);
	int err;

	pt->visits++;
	if (!level && ptw_count(table) == PTW_NR && !(c->iova & (pgsize - 1))) {
		/* A full leaf table: all of the range in it is mapped. */
		size_t step = (size_t)(PTW_NR - idx) << ptw_lg2(0);

		step = min(step, c->left);
		c->iova += step;
		c->left -= step;
		return 0;
	}
	for (; idx < PTW_NR && c->left; idx++) {
		u64 e = ptw_load(table, idx);
		size_t off = c->iova & (pgsize - 1), step = pgsize - off;

		if (!ptw_present(e, level))
			return -ENOENT;
		if (ptw_leaf(e, level) && !off && c->left >= pgsize) {
			/* A run of whole leaves: one pass over the entries. */
			unsigned int n = ptw_leaf_run(table, idx, level,
						      min_t(size_t, PTW_NR - idx,
							    c->left >> ptw_lg2(level)));

			step = (size_t)n << ptw_lg2(level);
			c->iova += step;
			c->left -= step;
			idx += n - 1;
			continue;
		}
		if (ptw_leaf(e, level)) {
			if (off || step > c->left)
				c->err = -EINVAL;
			step = min(step, c->left);
			c->iova += step;
			c->left -= step;
			continue;
		}
		err = ptw_check_table(pt, c, ptw_table_va(e, level), level - 1);
		if (err)
			return err;
	}
	return 0;
}

/*
 * For a range that is a run of present leaves of one table: that table,
 * its level in *@level, and the tables above it in @tables (as filled by
 * ptw_descend_to()).  The level is the largest leaf level whose page size
 * both ends of the range are aligned to, so a range of 4 KiB pages inside
 * one leaf table and a range of 2 MiB pages inside one level-1 table both
 * take one descent and one pass over their entries.  NULL otherwise (a
 * hole, a table where a leaf of that size would be, a range over two
 * tables), and the general walk says why.
 */
static __always_inline void *ptw_one_table_run(struct liommu_pt *pt,
					       unsigned long iova,
					       size_t size, void **tables,
					       unsigned int *level)
{
	unsigned int l = 0, n;
	void *table;

	if (pt->levels < 2)
		return NULL;
	while (l + 1 < pt->levels && (PTW_LEAF_LEVELS & BIT(l + 1)) &&
	       !((iova | size) & (((size_t)1 << ptw_lg2(l + 1)) - 1)))
		l++;
	if (l + 1 < pt->levels &&
	    ((iova ^ (iova + size - 1)) >> ptw_lg2(l + 1)))
		return NULL;
	n = size >> ptw_lg2(l);
	table = ptw_descend_to(pt, iova, l, tables);
	if (!table)
		return NULL;
	if (!(l == 0 && ptw_count(table) == PTW_NR) &&
	    !ptw_all_leaves(table, ptw_index(iova, l), l, n))
		return NULL;
	*level = l;
	return table;
}

/* The general all-or-nothing check, from the root. */
static int ptw_check_all(struct liommu_pt *pt, unsigned long iova, size_t size)
{
	struct ptw_check c = { .iova = iova, .left = size };
	int err = ptw_check_table(pt, &c, pt->root, pt->levels - 1);

	return err ?: c.err;
}

static int ptw_mapped_range(struct liommu_pt *pt, unsigned long iova,
			    size_t size)
{
	unsigned int level;

	if (ptw_one_table_run(pt, iova, size, NULL, &level))
		return 0;
	return ptw_check_all(pt, iova, size);
}

/*
 * The all-or-nothing unmap of liommu_pt_unmap_all() and
 * liommu_pt_unmap_all_keep(): the check, then the unmap trusting it,
 * in one call into the format.  A range that is a run of present leaves
 * of one table (ptw_one_table_run()) takes one descent for both.
 */
static __always_inline ssize_t ptw_unmap_all(struct liommu_pt *pt,
					     unsigned long iova, size_t size,
					     struct liommu_iotlb_gather *gather,
					     unsigned int flags, bool *emptied)
{
	void *tables[PTW_MAX_LEVELS];
	unsigned int level;
	void *table = ptw_one_table_run(pt, iova, size, tables, &level);
	int err;

	if (table) {
		struct ptw_unmap u = {
			.iova = iova, .left = size, .gather = gather,
			.checked = true, .keep = flags & LIOMMU_PT_KEEP,
		};

		ptw_unmap_fast(pt, &u, table, level, tables);
		return ptw_unmap_done(&u, iova, emptied);
	}
	err = ptw_check_all(pt, iova, size);
	if (err)
		return err;
	if (WARN_ON(ptw_unmap(pt, iova, size, gather,
			      flags | LIOMMU_PT_CHECKED, emptied) != size))
		return -EIO;
	return size;
}

/* ---- lookups, statistics, free ---- */

static int ptw_lookup(struct liommu_pt *pt, unsigned long iova,
		      phys_addr_t *pa, size_t *pgsize, int *prot)
{
	unsigned int level = pt->levels - 1;
	void *table = pt->root;

	for (;;) {
		u64 e = ptw_load(table, ptw_index(iova, level));

		if (!ptw_present(e, level))
			return -ENOENT;
		if (ptw_leaf(e, level)) {
			size_t size = (size_t)1 << ptw_lg2(level);

			*pa = ptw_oa(e, level) + (iova & (size - 1));
			*pgsize = size;
			*prot = ptw_prot(e, level);
			return 0;
		}
		table = ptw_table_va(e, level);
		level--;
	}
}

/*
 * ptw_lookup() for the address alone, with nothing on the stack: the
 * walk of liommu_iova_to_phys(), which the DMA API calls on every unmap.
 */
static phys_addr_t ptw_iova_to_phys(struct liommu_pt *pt, unsigned long iova)
{
	unsigned int level = pt->levels - 1;
	void *table = pt->root;

	for (;;) {
		u64 e = ptw_load(table, ptw_index(iova, level));

		if (!ptw_present(e, level))
			return 0;
		if (ptw_leaf(e, level))
			return ptw_oa(e, level) +
			       (iova & (((size_t)1 << ptw_lg2(level)) - 1));
		table = ptw_table_va(e, level);
		level--;
	}
}

/* The walk of ptw_lookup(), every level it reads recorded in @steps. */
static unsigned int ptw_steps(struct liommu_pt *pt, unsigned long iova,
			      struct liommu_pt_step *steps, unsigned int max)
{
	unsigned int level = pt->levels - 1, n = 0;
	void *table = pt->root;

	while (n < max) {
		struct liommu_pt_step *s = &steps[n++];
		u64 e = ptw_load(table, ptw_index(iova, level));

		s->level = level;
		s->index = ptw_index(iova, level);
		s->table = virt_to_phys(table);
		s->entry = e;
		s->present = ptw_present(e, level);
		s->leaf = s->present && ptw_leaf(e, level);
		s->oa = 0;
		s->size = 0;
		s->prot = 0;
		if (!s->present)
			break;
		s->oa = ptw_oa(e, level);
		if (s->leaf) {
			s->size = (size_t)1 << ptw_lg2(level);
			s->oa += iova & (s->size - 1);
			s->prot = ptw_prot(e, level);
			break;
		}
		table = ptw_table_va(e, level);
		level--;
	}
	return n;
}

static void ptw_count_leaves(struct liommu_pt *pt, void *table,
			     unsigned int level, unsigned long *counts,
			     unsigned int nr)
{
	unsigned int idx;

	for (idx = 0; idx < PTW_NR; idx++) {
		u64 e = ptw_load(table, idx);

		if (!ptw_present(e, level))
			continue;
		if (ptw_leaf(e, level)) {
			if (level < nr)
				counts[level]++;
			continue;
		}
		ptw_count_leaves(pt, ptw_table_va(e, level), level - 1, counts,
				 nr);
	}
}

static void ptw_free(struct liommu_pt *pt, void *table, unsigned int level)
{
	struct page *page = virt_to_page(table);
	unsigned int idx;

	if (level && ptw_count(table)) {
		for (idx = 0; idx < PTW_NR; idx++) {
			u64 e = ptw_load(table, idx);

			if (ptw_present(e, level) && !ptw_leaf(e, level))
				ptw_free(pt, ptw_table_va(e, level), level - 1);
		}
	}
	set_page_private(page, 0);
	liommu_table_free(table);
	atomic_long_dec(&pt->nr_tables);
}

/*
 * Define liommu_pt_format_<tok>, the walk above bound to its accessors,
 * and the global names of its map, map_fast, unmap_all and iova_to_phys
 * (core/priv.h).
 */
#define LIOMMU_PT_FORMAT(tok, fmt_name)					\
int liommu_pt_##tok##_map(struct liommu_pt *pt, unsigned long iova,	\
			  phys_addr_t paddr, size_t size,		\
			  unsigned long pgsizes, int prot, gfp_t gfp,	\
			  size_t *mapped, void **spare)			\
{									\
	return ptw_map(pt, iova, paddr, size, pgsizes, prot, gfp,	\
		       mapped, spare);					\
}									\
phys_addr_t liommu_pt_##tok##_iova_to_phys(struct liommu_pt *pt,	\
					   unsigned long iova)		\
{									\
	return ptw_iova_to_phys(pt, iova);				\
}									\
bool liommu_pt_##tok##_map_fast(struct liommu_pt *pt,			\
				unsigned long iova, phys_addr_t paddr,	\
				size_t size, unsigned long pgsizes,	\
				int prot)				\
{									\
	return ptw_map_fast(pt, iova, paddr, size, pgsizes, prot);	\
}									\
ssize_t liommu_pt_##tok##_unmap_all(struct liommu_pt *pt,		\
				    unsigned long iova, size_t size,	\
				    struct liommu_iotlb_gather *gather,	\
				    unsigned int flags, bool *emptied)	\
{									\
	return ptw_unmap_all(pt, iova, size, gather, flags, emptied);	\
}									\
const struct liommu_pt_format liommu_pt_format_##tok = {		\
	.name = fmt_name,						\
	.granule_lg2 = PTW_GRANULE_LG2,					\
	.bits_per_level = PTW_BITS,					\
	.max_levels = PTW_MAX_LEVELS,					\
	.leaf_levels = PTW_LEAF_LEVELS,					\
	.oa_lg2 = PTW_OA_LG2,						\
	.map = liommu_pt_##tok##_map,					\
	.map_fast = liommu_pt_##tok##_map_fast,				\
	.unmap = ptw_unmap,						\
	.unmap_all = liommu_pt_##tok##_unmap_all,			\
	.prune = ptw_prune,						\
	.mapped_range = ptw_mapped_range,				\
	.lookup = ptw_lookup,						\
	.iova_to_phys = liommu_pt_##tok##_iova_to_phys,			\
	.steps = ptw_steps,						\
	.free = ptw_free,						\
	.count_leaves = ptw_count_leaves,				\
};									\
LIOMMU_EXPORT(liommu_pt_format_##tok)

#endif /* _LIOMMU_PT_WALK_H */
