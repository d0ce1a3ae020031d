/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AArch64 VMSAv8-64 translation-table descriptors, 4 KiB granule, as the
 * SMMUv3 walks them for stage 1 and stage 2 (Arm ARM D8.3 "Translation
 * table descriptor formats"; SMMUv3 specification 3.4).
 *
 * 512 little-endian 64-bit descriptors per table, 4 levels (the walker's
 * level 3 is the architecture's level 0, its level 0 the architecture's
 * level 3).  Bit 0 is valid; bit 1 tells a table (1) from a block (0) at
 * levels 1-3, and must be 1 for a page at level 0.  Blocks map 1 GiB and
 * 2 MiB.
 *
 * Stage 1 leaf attributes: AttrIndx 0 (the driver's MAIR slot 0: normal
 * write-back memory), inner shareable, AF set ahead, nG (translations are
 * ASID-tagged), AP[1] set (unprivileged access, as a device's requests
 * are); AP[2] makes it read-only.  Read is implied by valid.
 *
 * Stage 2 leaf attributes: MemAttr 0b1111 (normal, inner and outer
 * write-back), inner shareable, AF set ahead; S2AP bit 6 allows reads and
 * bit 7 writes, so any combination is expressible.
 *
 *   bit 0        VALID
 *   bit 1        TYPE      table or page (1), block (0)
 *   bits 4:2     ATTRINDX  stage 1: MAIR index
 *   bits 5:2     MEMATTR   stage 2: memory attributes
 *   bits 7:6     AP / S2AP access permissions
 *   bits 9:8     SH        shareability (3: inner)
 *   bit 10       AF        access flag
 *   bit 11       NG        stage 1: not global
 *   bits 47:12   ADDR      output address, or the next table
 *   bit 54       XN        execute never
 */
#ifndef _LIOMMU_PT_ARMV8_H
#define _LIOMMU_PT_ARMV8_H

#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/types.h>

#include <liommu/liommu.h>
#include "pt_le64.h"

#define LIOMMU_PT_ARMV8_VALID		BIT_ULL(0)
#define LIOMMU_PT_ARMV8_TYPE		BIT_ULL(1)
#define LIOMMU_PT_ARMV8_ATTRINDX	GENMASK_ULL(4, 2)
#define LIOMMU_PT_ARMV8_MEMATTR		GENMASK_ULL(5, 2)
#define LIOMMU_PT_ARMV8_AP_EL0		BIT_ULL(6)	/* stage 1 AP[1] */
#define LIOMMU_PT_ARMV8_AP_RDONLY	BIT_ULL(7)	/* stage 1 AP[2] */
#define LIOMMU_PT_ARMV8_S2AP_R		BIT_ULL(6)	/* stage 2 S2AP[0] */
#define LIOMMU_PT_ARMV8_S2AP_W		BIT_ULL(7)	/* stage 2 S2AP[1] */
#define LIOMMU_PT_ARMV8_SH		GENMASK_ULL(9, 8)
#define LIOMMU_PT_ARMV8_AF		BIT_ULL(10)
#define LIOMMU_PT_ARMV8_NG		BIT_ULL(11)
#define LIOMMU_PT_ARMV8_ADDR		GENMASK_ULL(47, 12)
#define LIOMMU_PT_ARMV8_XN		BIT_ULL(54)

#define LIOMMU_PT_ARMV8_SH_INNER	3
#define LIOMMU_PT_ARMV8_S1_ATTR_WB	0	/* MAIR index of normal WB */
#define LIOMMU_PT_ARMV8_S2_MEMATTR_WB	0xf	/* normal, outer/inner WB */

#define LIOMMU_PT_ARMV8_MAX_LEVELS	4
/* ADDR ends at bit 47 (no 52-bit LPA): nothing wider is expressed. */
#define LIOMMU_PT_ARMV8_OA_LG2		48
#define LIOMMU_PT_ARMV8_LEAF_LEVELS	(BIT(0) | BIT(1) | BIT(2))

static inline bool liommu_pt_armv8_present(u64 e, unsigned int level)
{
	return e & LIOMMU_PT_ARMV8_VALID;
}

static inline bool liommu_pt_armv8_is_leaf(u64 e, unsigned int level)
{
	return level == 0 || !(e & LIOMMU_PT_ARMV8_TYPE);
}

/* VALID, and TYPE for a page (level 0); a block (levels 1, 2) has TYPE 0. */
static inline u64 liommu_pt_armv8_leaf_base(phys_addr_t oa, unsigned int level)
{
	return LIOMMU_PT_ARMV8_VALID | (level ? 0 : LIOMMU_PT_ARMV8_TYPE) |
	       FIELD_PREP(LIOMMU_PT_ARMV8_SH, LIOMMU_PT_ARMV8_SH_INNER) |
	       LIOMMU_PT_ARMV8_AF | (oa & LIOMMU_PT_ARMV8_ADDR);
}

static inline u64 liommu_pt_armv8_s1_mk_leaf(phys_addr_t oa, unsigned int level,
					     int prot)
{
	return liommu_pt_armv8_leaf_base(oa, level) |
	       FIELD_PREP(LIOMMU_PT_ARMV8_ATTRINDX, LIOMMU_PT_ARMV8_S1_ATTR_WB) |
	       LIOMMU_PT_ARMV8_AP_EL0 | LIOMMU_PT_ARMV8_NG |
	       (prot & LIOMMU_WRITE ? 0 : LIOMMU_PT_ARMV8_AP_RDONLY);
}

static inline u64 liommu_pt_armv8_s2_mk_leaf(phys_addr_t oa, unsigned int level,
					     int prot)
{
	return liommu_pt_armv8_leaf_base(oa, level) |
	       FIELD_PREP(LIOMMU_PT_ARMV8_MEMATTR, LIOMMU_PT_ARMV8_S2_MEMATTR_WB) |
	       (prot & LIOMMU_READ ? LIOMMU_PT_ARMV8_S2AP_R : 0) |
	       (prot & LIOMMU_WRITE ? LIOMMU_PT_ARMV8_S2AP_W : 0);
}

static inline u64 liommu_pt_armv8_mk_table(phys_addr_t table,
					   unsigned int level)
{
	return LIOMMU_PT_ARMV8_VALID | LIOMMU_PT_ARMV8_TYPE |
	       (table & LIOMMU_PT_ARMV8_ADDR);
}

static inline phys_addr_t liommu_pt_armv8_oa(u64 e, unsigned int level)
{
	return e & LIOMMU_PT_ARMV8_ADDR;
}

static inline int liommu_pt_armv8_s1_prot(u64 e, unsigned int level)
{
	return LIOMMU_READ |
	       (e & LIOMMU_PT_ARMV8_AP_RDONLY ? 0 : LIOMMU_WRITE);
}

static inline int liommu_pt_armv8_s2_prot(u64 e, unsigned int level)
{
	return (e & LIOMMU_PT_ARMV8_S2AP_R ? LIOMMU_READ : 0) |
	       (e & LIOMMU_PT_ARMV8_S2AP_W ? LIOMMU_WRITE : 0);
}

#endif /* _LIOMMU_PT_ARMV8_H */
