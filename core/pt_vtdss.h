/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VT-d second-stage page-table entries (Intel VT-d specification,
 * section 9.8 "Second-Stage Paging Entries").
 *
 * 512 little-endian 64-bit entries per 4 KiB table; 3, 4 or 5 levels
 * (AW 39, 48, 57 bits).  An entry with neither R nor W is not present.
 * Table entries carry R and W too: the walk ANDs the rights of every
 * level.  Leaves at level 1 (2 MiB) and 2 (1 GiB) set PS; which of them a
 * unit accepts is CAP.SLLPS, passed by the driver as the allowed sizes.
 *
 *   bit 0       R     read
 *   bit 1       W     write
 *   bit 7       PS    page size: a 2 MiB or 1 GiB leaf
 *   bit 11      SNP   snoop (leaf, with ECAP.SC)
 *   bits 51:12  ADDR  output address, or the next table
 */
#ifndef _LIOMMU_PT_VTDSS_H
#define _LIOMMU_PT_VTDSS_H

#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/types.h>

#include <liommu/liommu.h>
#include "pt_le64.h"

#define LIOMMU_PT_VTDSS_R		BIT_ULL(0)
#define LIOMMU_PT_VTDSS_W		BIT_ULL(1)
#define LIOMMU_PT_VTDSS_PS		BIT_ULL(7)
#define LIOMMU_PT_VTDSS_SNP		BIT_ULL(11)
#define LIOMMU_PT_VTDSS_ADDR		GENMASK_ULL(51, 12)

#define LIOMMU_PT_VTDSS_MAX_LEVELS	5
/* ADDR ends at bit 51: a wider output address cannot be expressed. */
#define LIOMMU_PT_VTDSS_OA_LG2		52
#define LIOMMU_PT_VTDSS_LEAF_LEVELS	(BIT(0) | BIT(1) | BIT(2))

static inline bool liommu_pt_vtdss_present(u64 e, unsigned int level)
{
	return e & (LIOMMU_PT_VTDSS_R | LIOMMU_PT_VTDSS_W);
}

static inline bool liommu_pt_vtdss_is_leaf(u64 e, unsigned int level)
{
	return level == 0 || (e & LIOMMU_PT_VTDSS_PS);
}

static inline u64 liommu_pt_vtdss_mk_leaf(phys_addr_t oa, unsigned int level,
					  int prot)
{
	return (prot & LIOMMU_READ ? LIOMMU_PT_VTDSS_R : 0) |
	       (prot & LIOMMU_WRITE ? LIOMMU_PT_VTDSS_W : 0) |
	       (level ? LIOMMU_PT_VTDSS_PS : 0) |
	       (oa & LIOMMU_PT_VTDSS_ADDR);
}

static inline u64 liommu_pt_vtdss_mk_table(phys_addr_t table,
					   unsigned int level)
{
	return LIOMMU_PT_VTDSS_R | LIOMMU_PT_VTDSS_W |
	       (table & LIOMMU_PT_VTDSS_ADDR);
}

static inline phys_addr_t liommu_pt_vtdss_oa(u64 e, unsigned int level)
{
	return e & LIOMMU_PT_VTDSS_ADDR;
}

static inline int liommu_pt_vtdss_prot(u64 e, unsigned int level)
{
	return (e & LIOMMU_PT_VTDSS_R ? LIOMMU_READ : 0) |
	       (e & LIOMMU_PT_VTDSS_W ? LIOMMU_WRITE : 0);
}

#endif /* _LIOMMU_PT_VTDSS_H */
