/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The mock IOMMU's page-table format (selftests/mock/): the test format.
 *
 * Four levels of 512 64-bit entries over 4 KiB granules, like x86's:
 * level 0 maps 4 KiB, level 1 2 MiB, level 2 1 GiB, level 3 is the root.
 * The mock's "hardware" reads the tables from memory in CPU byte order
 * (plain u64: only software walks them).
 *
 *   bit 0       P     present
 *   bit 1       R     reads allowed (leaf)
 *   bit 2       W     writes allowed (leaf)
 *   bit 7       LEAF  at levels 1 and 2: a 2 MiB / 1 GiB page; level-0
 *                     entries are always leaves and carry it too
 *   bits 51:12  ADDR  output address of a leaf, or of the next table
 */
#ifndef _LIOMMU_PT_MOCK_H
#define _LIOMMU_PT_MOCK_H

#include <linux/atomic.h>
#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/compiler.h>
#include <linux/types.h>

#include <liommu/liommu.h>

#define LIOMMU_PT_MOCK_P	BIT_ULL(0)
#define LIOMMU_PT_MOCK_R	BIT_ULL(1)
#define LIOMMU_PT_MOCK_W	BIT_ULL(2)
#define LIOMMU_PT_MOCK_LEAF	BIT_ULL(7)
#define LIOMMU_PT_MOCK_ADDR	GENMASK_ULL(51, 12)

#define LIOMMU_PT_MOCK_LEVELS		4
#define LIOMMU_PT_MOCK_GRANULE_LG2	12
#define LIOMMU_PT_MOCK_BITS_PER_LEVEL	9
/* Leaves at levels 0, 1 and 2: 4 KiB, 2 MiB, 1 GiB. */
#define LIOMMU_PT_MOCK_LEAF_LEVELS	(BIT(0) | BIT(1) | BIT(2))
/* ADDR holds the 40-bit page number: output addresses below 2^52. */
#define LIOMMU_PT_MOCK_OA_LG2		52

static inline u64 liommu_pt_mock_load(const void *table, unsigned int idx)
{
	return READ_ONCE(((const u64 *)table)[idx]);
}

static inline void liommu_pt_mock_store(void *table, unsigned int idx, u64 e)
{
	WRITE_ONCE(((u64 *)table)[idx], e);
}

static inline bool liommu_pt_mock_cmpxchg(void *table, unsigned int idx,
					  u64 old, u64 e)
{
	return cmpxchg64((u64 *)table + idx, old, e) == old;
}

static inline bool liommu_pt_mock_present(u64 e, unsigned int level)
{
	return FIELD_GET(LIOMMU_PT_MOCK_P, e);
}

static inline bool liommu_pt_mock_is_leaf(u64 e, unsigned int level)
{
	return level == 0 || FIELD_GET(LIOMMU_PT_MOCK_LEAF, e);
}

static inline u64 liommu_pt_mock_mk_leaf(phys_addr_t oa, unsigned int level,
					 int prot)
{
	/* Single-bit fields: or in the masks (sparse: FIELD_PREP of !!x). */
	return LIOMMU_PT_MOCK_P |
	       (prot & LIOMMU_READ ? LIOMMU_PT_MOCK_R : 0) |
	       (prot & LIOMMU_WRITE ? LIOMMU_PT_MOCK_W : 0) |
	       LIOMMU_PT_MOCK_LEAF |
	       FIELD_PREP(LIOMMU_PT_MOCK_ADDR, oa >> LIOMMU_PT_MOCK_GRANULE_LG2);
}

static inline u64 liommu_pt_mock_mk_table(phys_addr_t table,
					  unsigned int level)
{
	return FIELD_PREP(LIOMMU_PT_MOCK_P, 1) |
	       FIELD_PREP(LIOMMU_PT_MOCK_ADDR,
			  table >> LIOMMU_PT_MOCK_GRANULE_LG2);
}

static inline phys_addr_t liommu_pt_mock_oa(u64 e, unsigned int level)
{
	return (phys_addr_t)FIELD_GET(LIOMMU_PT_MOCK_ADDR, e)
		<< LIOMMU_PT_MOCK_GRANULE_LG2;
}

static inline int liommu_pt_mock_prot(u64 e, unsigned int level)
{
	return (FIELD_GET(LIOMMU_PT_MOCK_R, e) ? LIOMMU_READ : 0) |
	       (FIELD_GET(LIOMMU_PT_MOCK_W, e) ? LIOMMU_WRITE : 0);
}

#endif /* _LIOMMU_PT_MOCK_H */
