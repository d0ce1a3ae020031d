/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 4-level paging entries as VT-d first-stage tables (Intel SDM vol. 3
 * "4-Level Paging"; VT-d specification section 9.7 "First-Stage Paging
 * Entries").  The same format as a process page table, which is what lets
 * SVA hand a process's tables to the unit.
 *
 * 512 little-endian 64-bit entries per table, 4 levels (5 with CAP.FL5LP;
 * QEMU refuses 5-level first-stage).  U/S is set at every level: QEMU's
 * first-stage walker faults on a supervisor-only entry for device DMA.
 * A and D are set ahead on leaves so that the walker never has to write
 * them back.  Read access is implied by P: a write-only mapping becomes
 * read-write, and liommu_pt_x86fl_prot() reports what the entry allows.
 *
 *   bit 0       P     present
 *   bit 1       R/W   writes allowed
 *   bit 2       U/S   user (device) access
 *   bit 5       A     accessed
 *   bit 6       D     dirty (leaf)
 *   bit 7       PS    a 2 MiB or 1 GiB leaf
 *   bits 51:12  ADDR  output address, or the next table
 *   bit 63      XD    execute disable
 */
#ifndef _LIOMMU_PT_X86FL_H
#define _LIOMMU_PT_X86FL_H

#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/types.h>

#include <liommu/liommu.h>
#include "pt_le64.h"

#define LIOMMU_PT_X86FL_P		BIT_ULL(0)
#define LIOMMU_PT_X86FL_RW		BIT_ULL(1)
#define LIOMMU_PT_X86FL_US		BIT_ULL(2)
#define LIOMMU_PT_X86FL_A		BIT_ULL(5)
#define LIOMMU_PT_X86FL_D		BIT_ULL(6)
#define LIOMMU_PT_X86FL_PS		BIT_ULL(7)
#define LIOMMU_PT_X86FL_ADDR		GENMASK_ULL(51, 12)
#define LIOMMU_PT_X86FL_XD		BIT_ULL(63)

#define LIOMMU_PT_X86FL_MAX_LEVELS	4
/* ADDR ends at bit 51: a wider output address cannot be expressed. */
#define LIOMMU_PT_X86FL_OA_LG2		52
#define LIOMMU_PT_X86FL_LEAF_LEVELS	(BIT(0) | BIT(1) | BIT(2))

static inline bool liommu_pt_x86fl_present(u64 e, unsigned int level)
{
	return e & LIOMMU_PT_X86FL_P;
}

static inline bool liommu_pt_x86fl_is_leaf(u64 e, unsigned int level)
{
	return level == 0 || (e & LIOMMU_PT_X86FL_PS);
}

static inline u64 liommu_pt_x86fl_mk_leaf(phys_addr_t oa, unsigned int level,
					  int prot)
{
	return LIOMMU_PT_X86FL_P | LIOMMU_PT_X86FL_US | LIOMMU_PT_X86FL_A |
	       (prot & LIOMMU_WRITE ? LIOMMU_PT_X86FL_RW | LIOMMU_PT_X86FL_D : 0) |
	       (level ? LIOMMU_PT_X86FL_PS : 0) |
	       (oa & LIOMMU_PT_X86FL_ADDR);
}

static inline u64 liommu_pt_x86fl_mk_table(phys_addr_t table,
					   unsigned int level)
{
	return LIOMMU_PT_X86FL_P | LIOMMU_PT_X86FL_RW | LIOMMU_PT_X86FL_US |
	       LIOMMU_PT_X86FL_A | (table & LIOMMU_PT_X86FL_ADDR);
}

static inline phys_addr_t liommu_pt_x86fl_oa(u64 e, unsigned int level)
{
	return e & LIOMMU_PT_X86FL_ADDR;
}

static inline int liommu_pt_x86fl_prot(u64 e, unsigned int level)
{
	return LIOMMU_READ | (e & LIOMMU_PT_X86FL_RW ? LIOMMU_WRITE : 0);
}

#endif /* _LIOMMU_PT_X86FL_H */
