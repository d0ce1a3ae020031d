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
 * The walker (core/pgtable.c) knows nothing of entry bits: a format
 * (core/pt_<name>.h, instantiated in core/pt_formats.c) says how an entry
 * is built and read at each level.  VT-d second-stage, x86 first-stage and
 * AArch64 stage 1/2 are further formats of the same shape; the walker
 * never changes for them (the idea of Linux 6.18's generic_pt, which 6.1
 * and 6.12 lack).
 *
 * Concurrency: the walker has no lock of its own.  Its user serialises
 * every call that changes a table (the core holds the domain's map_lock
 * around map_pages/unmap_pages); lookups may run alongside and see each
 * entry old or new, never half written (entries are stored whole with
 * WRITE_ONCE by the format).
 */
#ifndef _LIOMMU_PGTABLE_H
#define _LIOMMU_PGTABLE_H

#include <linux/types.h>

struct liommu_iotlb_gather;

/**
 * struct liommu_pt_format - how one page-table format builds and reads entries
 * @name: for messages
 * @granule_lg2: log2 of the smallest page (12)
 * @bits_per_level: log2 of the entries per table (9)
 * @max_levels: the deepest table the format has
 * @leaf_levels: bit n set: a leaf is allowed at level n
 * @load: read entry @idx of @table
 * @store: write entry @idx of @table, whole (the hardware sees old or new)
 * @present: is @e present at @level
 * @is_leaf: is present @e a leaf at @level (else a table pointer)
 * @mk_leaf: a leaf at @level mapping @oa with LIOMMU_READ/WRITE @prot
 * @mk_table: a table pointer at @level to the table at physical @table
 * @oa: the output address of leaf @e, or the table @e points to
 * @prot: the LIOMMU_READ/WRITE rights of leaf @e
 * @sync: make @n entries at @ptr visible to a non-coherent walker, or NULL
 */
struct liommu_pt_format {
	const char *name;
	unsigned int granule_lg2;
	unsigned int bits_per_level;
	unsigned int max_levels;
	unsigned long leaf_levels;
	u64 (*load)(const void *table, unsigned int idx);
	void (*store)(void *table, unsigned int idx, u64 e);
	bool (*present)(u64 e, unsigned int level);
	bool (*is_leaf)(u64 e, unsigned int level);
	u64 (*mk_leaf)(phys_addr_t oa, unsigned int level, int prot);
	u64 (*mk_table)(phys_addr_t table, unsigned int level);
	phys_addr_t (*oa)(u64 e, unsigned int level);
	int (*prot)(u64 e, unsigned int level);
	void (*sync)(void *ptr, unsigned int n);
};

/**
 * struct liommu_pt - one page table
 * @fmt: its format
 * @root: the top-level table (level @levels - 1)
 * @levels: how many levels it uses
 * @pgsize_bitmap: the leaf sizes of its levels
 * @nr_tables: table pages it holds, root included
 */
struct liommu_pt {
	const struct liommu_pt_format *fmt;
	void *root;
	unsigned int levels;
	unsigned long pgsize_bitmap;
	unsigned long nr_tables;
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
size_t liommu_pt_unmap(struct liommu_pt *pt, unsigned long iova, size_t size,
		       struct liommu_iotlb_gather *gather);
void liommu_iotlb_gather_free(struct liommu_iotlb_gather *gather);
int liommu_pt_mapped_range(struct liommu_pt *pt, unsigned long iova,
			   size_t size);
int liommu_pt_lookup(struct liommu_pt *pt, unsigned long iova,
		     phys_addr_t *pa, size_t *pgsize, int *prot);
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
