/* SPDX-License-Identifier: GPL-2.0 */
/*
 * liommu: the one page-table walker and its format interface.
 *
 * DOC: vocabulary
 *
 * A table is one page of 2^bits_per_level entries.  Levels count up from
 * the leaves: level 0 maps granules (4 KiB), level 1 entries span
 * 2^(granule_lg2 + bits_per_level) bytes, and so on; the root is level
 * levels - 1.  An entry is a leaf (maps a page of its level's size), a
 * table pointer, or not present.  Ranges are [iova, iova + size), half
 * open; "last" means inclusive.
 *
 * The walk is written once, in core/pt_walk.h, and compiled once per
 * format: each format's .c (core/pt_fmt_<name>.c) defines the format's
 * entry accessors as inline functions (from core/pt_<name>.h) and
 * includes the walk, as Linux 6.18's generic_pt does (which 6.1 and 6.12
 * lack).  No per-entry indirect call remains: an exported liommu_pt_*()
 * function makes one call through the format's walk functions, and the
 * walk itself calls only inline code, except @sync once per run of
 * entries stored in one table for a non-coherent unit.
 *
 * Range walks: one descent per table, then the run of consecutive entries
 * of the range in that table in one visit.  A range that covers the span
 * of a whole entry is handled at that entry's level: a map installs the
 * largest leaf that alignment and the allowed sizes permit, an unmap
 * unhooks a whole table (and everything under it) onto the gather's
 * freelist.  Every table page counts its present entries (in its
 * &struct page's private word), so an emptied table is seen without a
 * rescan, and the all-or-nothing check of liommu_pt_unmap_all() costs one
 * look per table: a fully covered leaf table with 2^bits_per_level
 * present entries is fully mapped.
 *
 * Partial superpage unmap: refused.  A range that cuts a leaf (starts or
 * ends inside it) is -EINVAL from liommu_pt_mapped_range() and
 * liommu_pt_unmap_all(), and liommu_pt_unmap() stops before such a leaf.
 * The leaf is never split (upstream VT-d unmaps the whole superpage;
 * io-pgtable-arm used to split blocks): liommu keeps "all or nothing".
 *
 * Concurrency (as upstream's generic_pt: overlapping calls are the
 * caller's bug, disjoint ones run at once).  The walker has no lock:
 *
 *  - Alongside: liommu_pt_map(), liommu_pt_map_nosleep(),
 *    liommu_pt_unmap(), liommu_pt_unmap_all(), liommu_pt_unmap_all_keep()
 *    and liommu_pt_prune() may run at once on disjoint ranges of one
 *    table.  A new table is hooked with a compare-and-exchange (the loser
 *    frees its own, never seen, and uses the winner's), present-entry
 *    counts are atomic, a map pins every table it enters below the root,
 *    and an unmap unhooks a table it emptied only after closing it (one
 *    compare-and-exchange, which fails while a map is inside: the table
 *    stays; of two unmaps that empty it, one unhooks it).  A map that
 *    reaches a closed table starts again from the root, and waits so for
 *    the unmap that closed it to unhook it: a map must then run inside
 *    rcu_read_lock_sched() and not sleep (liommu_pt_map_nosleep(), or an
 *    atomic gfp), and an unmap or prune with interrupts off, so that
 *    neither is ever cut off by a map on its own CPU.  A caller that
 *    runs one call at a time needs none of that.
 *  - Exclusive: liommu_pt_free(); nothing else may walk the table.
 *
 * Two calls whose ranges overlap must not run at once (map over map,
 * unmap under a map): the result is undefined for that range, as upstream.
 * Lookups may run alongside anything and see each entry old or new, never
 * half written (entries are stored whole with WRITE_ONCE by the format);
 * a table they read stays allocated until a grace period after the unmap
 * that unhooked it freed its gather (liommu_pt_lookup() runs under
 * rcu_read_lock_sched()).
 */
#ifndef _LIOMMU_PGTABLE_H
#define _LIOMMU_PGTABLE_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/types.h>

struct liommu_iotlb_gather;

struct liommu_pt;

/**
 * struct liommu_pt_step - one level of the walk of one IOVA
 * @level: the table's level (0: the last-level table)
 * @index: the entry the IOVA selects in it
 * @table: the table's physical address
 * @entry: that entry, CPU order
 * @present: the entry is present
 * @leaf: the entry is a leaf (the walk ends here)
 * @oa: a leaf's output address for the IOVA, or the next table's address
 * @size: a leaf's size
 * @prot: a leaf's LIOMMU_READ/LIOMMU_WRITE
 */
struct liommu_pt_step {
	unsigned int level;
	unsigned int index;
	phys_addr_t table;
	u64 entry;
	bool present;
	bool leaf;
	phys_addr_t oa;
	size_t size;
	int prot;
};

/* @flags of &liommu_pt_format.unmap */
#define LIOMMU_PT_CHECKED	BIT(0)
#define LIOMMU_PT_KEEP	BIT(1)

/* The deepest walk any format makes (5-level tables), in steps. */
#define LIOMMU_PT_MAX_STEPS	6

/**
 * struct liommu_pt_format - one page-table format and its compiled walk
 * @name: for messages
 * @granule_lg2: log2 of the smallest page (12)
 * @bits_per_level: log2 of the entries per table (9)
 * @max_levels: the deepest table the format has
 * @leaf_levels: bit n set: a leaf is allowed at level n
 * @oa_lg2: the widest output address its entries hold (bits); the walk
 *	refuses a physical range beyond it with -ERANGE
 * @sync: make @n entries at @ptr visible to a non-coherent walker, or NULL
 *	(a vendor copies the format and sets it; called once per run)
 * @map: the walk of liommu_pt_map() and liommu_pt_map_nosleep()
 * @map_fast: the common case of @map alone, for liommu_map(): pages into
 *	a leaf table that exists, none mapped yet; false (nothing changed)
 *	for anything else
 * @unmap: the walk of liommu_pt_unmap() and the unmaps after the
 *	all-or-nothing check (@flags: %LIOMMU_PT_CHECKED, the caller proved
 *	the range fully mapped by leaves inside it, so whole tables may go
 *	without a look inside; %LIOMMU_PT_KEEP, leave the tables it empties
 *	but covers only in part hooked, and set *@emptied)
 * @unmap_all: the walks of liommu_pt_unmap_all() and
 *	liommu_pt_unmap_all_keep(): the all-or-nothing check, then @unmap's
 *	walk with %LIOMMU_PT_CHECKED added to @flags; @size or an errno
 * @prune: the walk of liommu_pt_prune()
 * @mapped_range: the walk of liommu_pt_mapped_range()
 * @lookup: the walk of liommu_pt_lookup()
 * @iova_to_phys: the walk of liommu_pt_iova_to_phys(): the address an
 *	IOVA translates to, or 0
 * @steps: the walk of liommu_pt_walk_steps()
 * @free: free every table below and including @table at @level
 * @count_leaves: add the leaves under @table at @level to @counts
 *
 * The walk functions are instances of core/pt_walk.h; a format is defined
 * only inside liommu_core.ko (LIOMMU_PT_FORMAT() in core/pt_walk.h).
 */
struct liommu_pt_format {
	const char *name;
	unsigned int granule_lg2;
	unsigned int bits_per_level;
	unsigned int max_levels;
	unsigned long leaf_levels;
	unsigned int oa_lg2;
	void (*sync)(void *ptr, unsigned int n);
	int (*map)(struct liommu_pt *pt, unsigned long iova, phys_addr_t paddr,
		   size_t size, unsigned long pgsizes, int prot, gfp_t gfp,
		   size_t *mapped, void **spare);
	bool (*map_fast)(struct liommu_pt *pt, unsigned long iova,
			 phys_addr_t paddr, size_t size, unsigned long pgsizes,
			 int prot);
	size_t (*unmap)(struct liommu_pt *pt, unsigned long iova, size_t size,
			struct liommu_iotlb_gather *gather, unsigned int flags,
			bool *emptied);
	ssize_t (*unmap_all)(struct liommu_pt *pt, unsigned long iova,
			     size_t size, struct liommu_iotlb_gather *gather,
			     unsigned int flags, bool *emptied);
	void (*prune)(struct liommu_pt *pt, unsigned long iova, size_t size,
		      struct liommu_iotlb_gather *gather);
	int (*mapped_range)(struct liommu_pt *pt, unsigned long iova,
			    size_t size);
	int (*lookup)(struct liommu_pt *pt, unsigned long iova,
		      phys_addr_t *pa, size_t *pgsize, int *prot);
	phys_addr_t (*iova_to_phys)(struct liommu_pt *pt, unsigned long iova);
	unsigned int (*steps)(struct liommu_pt *pt, unsigned long iova,
			      struct liommu_pt_step *steps, unsigned int max);
	void (*free)(struct liommu_pt *pt, void *table, unsigned int level);
	void (*count_leaves)(struct liommu_pt *pt, void *table,
			     unsigned int level, unsigned long *counts,
			     unsigned int nr);
};

/**
 * struct liommu_pt - one page table
 * @fmt: its format
 * @root: the top-level table (level @levels - 1)
 * @levels: how many levels it uses
 * @pgsize_bitmap: the leaf sizes of its levels
 * @oa_lg2: output addresses it may map, bits: the format's @oa_lg2 after
 *	liommu_pt_init(), which the vendor narrows to its unit's width
 * @nr_tables: table pages it holds, root included (atomic: calls at once
 *	allocate at once)
 * @visits: table visits of every walk so far (each visit handles a run
 *	of entries of one table); the self-tests read it to prove that no
 *	walk goes back to a per-entry descent.  Exact for walks that do not
 *	overlap in time; calls at once may lose counts (a statistic)
 * @sync: @fmt's sync, copied by liommu_pt_init()
 * @sync_line: on x86, the CPU's clflush line size, for the walk's inline
 *	flush; 0 elsewhere
 * @va_lg2: the IOVA bits the table translates (its top level's reach)
 * @walk: which of the core's compiled walks @fmt is (core/priv.h), or 0
 *	for a format the core calls through @fmt
 *
 * @sync, @sync_line, @va_lg2 and @walk are read by every map and unmap
 * instead of @fmt and the CPU's data: a call reads no page of the
 * format's (a vendor's copy sits in its unit's structure) nor of the
 * kernel's (Documentation/walker.rst).
 */
struct liommu_pt {
	const struct liommu_pt_format *fmt;
	void *root;
	unsigned int levels;
	unsigned long pgsize_bitmap;
	unsigned int oa_lg2;
	atomic_long_t nr_tables;
	unsigned long visits;
	void (*sync)(void *ptr, unsigned int n);
	unsigned short sync_line;
	unsigned char va_lg2;
	unsigned char walk;
};

/* Formats in liommu_core.ko (core/pt_<name>.h describe their entries). */
extern const struct liommu_pt_format liommu_pt_format_mock;
extern const struct liommu_pt_format liommu_pt_format_vtdss;
extern const struct liommu_pt_format liommu_pt_format_x86fl;
extern const struct liommu_pt_format liommu_pt_format_arm_s1;
extern const struct liommu_pt_format liommu_pt_format_arm_s2;

int liommu_pt_init(struct liommu_pt *pt, const struct liommu_pt_format *fmt,
		   unsigned int levels, gfp_t gfp);
void liommu_pt_free(struct liommu_pt *pt);
int liommu_pt_map(struct liommu_pt *pt, unsigned long iova, phys_addr_t paddr,
		  size_t size, unsigned long pgsizes, int prot, gfp_t gfp,
		  size_t *mapped);
#ifdef CONFIG_X86
void liommu_pt_sync_clflush(void *ptr, unsigned int n);
#endif
int liommu_pt_map_nosleep(struct liommu_pt *pt, unsigned long iova,
			  phys_addr_t paddr, size_t size, unsigned long pgsizes,
			  int prot, gfp_t gfp, size_t *mapped, void **spare);
size_t liommu_pt_unmap(struct liommu_pt *pt, unsigned long iova, size_t size,
		       struct liommu_iotlb_gather *gather);
ssize_t liommu_pt_unmap_all(struct liommu_pt *pt, unsigned long iova,
			    size_t size, struct liommu_iotlb_gather *gather);
ssize_t liommu_pt_unmap_all_keep(struct liommu_pt *pt, unsigned long iova,
				   size_t size,
				   struct liommu_iotlb_gather *gather,
				   bool *emptied);
void liommu_pt_prune(struct liommu_pt *pt, unsigned long iova, size_t size,
		     struct liommu_iotlb_gather *gather);
void liommu_iotlb_gather_free(struct liommu_iotlb_gather *gather);
int liommu_pt_mapped_range(struct liommu_pt *pt, unsigned long iova,
			   size_t size);
int liommu_pt_lookup(struct liommu_pt *pt, unsigned long iova,
		     phys_addr_t *pa, size_t *pgsize, int *prot);
unsigned int liommu_pt_walk_steps(struct liommu_pt *pt, unsigned long iova,
				  struct liommu_pt_step *steps,
				  unsigned int max);
struct liommu_domain;
int liommu_debugfs_walk(struct liommu_domain *domain, u64 iova, char *buf,
			size_t len);
phys_addr_t liommu_pt_iova_to_phys(struct liommu_pt *pt, unsigned long iova);
void liommu_pt_count_leaves(struct liommu_pt *pt, unsigned long *counts,
			    unsigned int nr);
unsigned long liommu_pt_table_pages(struct liommu_pt *pt);

static inline unsigned int liommu_pt_level_lg2(const struct liommu_pt *pt,
					       unsigned int level)
{
	return pt->fmt->granule_lg2 + level * pt->fmt->bits_per_level;
}

#endif /* _LIOMMU_PGTABLE_H */
