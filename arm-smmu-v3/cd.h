/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Arm SMMUv3 Context Descriptor (CD), SMMUv3 specification (IHI 0070)
 * 5.4 "Context Descriptor".
 *
 * A CD is 64 bytes: eight little-endian 64-bit words.  Fields are
 * LIOMMU_SMMU_CD_<word>_<FIELD> masks for FIELD_PREP()/FIELD_GET() on
 * CPU-order values, stored with cpu_to_le64(); values are <FIELD>_<VALUE>.
 * The driver uses TTB0 only (EPD1 set): one 48-bit input range, 4 KiB
 * granule, AArch64 tables.
 */
#ifndef _LIOMMU_SMMU_CD_H
#define _LIOMMU_SMMU_CD_H

#include <linux/bits.h>
#include <linux/bitfield.h>

#define LIOMMU_SMMU_CD_DWORDS		8

/* CD word 0 */
#define LIOMMU_SMMU_CD_0_T0SZ		GENMASK_ULL(5, 0)
#define LIOMMU_SMMU_CD_0_TG0		GENMASK_ULL(7, 6)
#define LIOMMU_SMMU_CD_0_IRGN0		GENMASK_ULL(9, 8)
#define LIOMMU_SMMU_CD_0_ORGN0		GENMASK_ULL(11, 10)
#define LIOMMU_SMMU_CD_0_SH0		GENMASK_ULL(13, 12)
#define LIOMMU_SMMU_CD_0_EPD0		BIT_ULL(14)
#define LIOMMU_SMMU_CD_0_ENDI		BIT_ULL(15)
#define LIOMMU_SMMU_CD_0_EPD1		BIT_ULL(30)
#define LIOMMU_SMMU_CD_0_V		BIT_ULL(31)
#define LIOMMU_SMMU_CD_0_IPS		GENMASK_ULL(34, 32)
#define LIOMMU_SMMU_CD_0_AFFD		BIT_ULL(35)
#define LIOMMU_SMMU_CD_0_TBI		GENMASK_ULL(39, 38)
#define LIOMMU_SMMU_CD_0_AA64		BIT_ULL(41)
#define LIOMMU_SMMU_CD_0_HD		BIT_ULL(42)
#define LIOMMU_SMMU_CD_0_HA		BIT_ULL(43)
#define LIOMMU_SMMU_CD_0_S		BIT_ULL(44)
#define LIOMMU_SMMU_CD_0_R		BIT_ULL(45)
#define LIOMMU_SMMU_CD_0_A		BIT_ULL(46)
#define LIOMMU_SMMU_CD_0_ASET		BIT_ULL(47)
#define LIOMMU_SMMU_CD_0_ASID		GENMASK_ULL(63, 48)

/* CD word 1: TTB0, the stage-1 table of the lower input range */
#define LIOMMU_SMMU_CD_1_TTB0		GENMASK_ULL(51, 4)
/* CD word 3: MAIR, eight 8-bit attribute slots (MAIR0 low, MAIR1 high) */
#define LIOMMU_SMMU_CD_3_MAIR		GENMASK_ULL(63, 0)

/* TG0: translation granule of TTB0 */
#define LIOMMU_SMMU_CD_0_TG0_4K		0
/* IRGN0/ORGN0: cacheability of table walks; 1 = write-back write-allocate */
#define LIOMMU_SMMU_CD_0_RGN_WBWA	1
/* SH0: shareability of table walks; 3 = inner shareable */
#define LIOMMU_SMMU_CD_0_SH_ISH		3

/*
 * Level 1 Context Descriptor (5.4.1): one word of a 2-level CD table, naming
 * a level-2 table of CDs.  With STE.S1Fmt 2-level/4 KiB leaves, a leaf
 * holds 2^6 CDs: SubstreamID bits [5:0] index the leaf, the bits above
 * them the level-1 table.
 */
#define LIOMMU_SMMU_L1CD_DWORDS		1
#define LIOMMU_SMMU_L1CD_0_V		BIT_ULL(0)
#define LIOMMU_SMMU_L1CD_0_L2PTR	GENMASK_ULL(51, 12)
#define LIOMMU_SMMU_CD_L2_SPLIT_4K	6

/* MAIR attribute encodings (Arm ARM, MAIR_ELx) */
#define LIOMMU_SMMU_MAIR_ATTR_WB	0xffULL	/* normal, in/out WB RW-alloc */
#define LIOMMU_SMMU_MAIR_ATTR_DEVICE	0x04ULL	/* Device-nGnRE */
#define LIOMMU_SMMU_MAIR_ATTR_NC	0x44ULL	/* normal non-cacheable */
#define LIOMMU_SMMU_MAIR_SLOT(n, attr)	((u64)(attr) << ((n) * 8))

/*
 * Every CD and L1CD field above once more, as a list for decoders
 * (arm-smmu-v3/debugfs.c), as in ste.h: X(TABLE, word, FIELD, kind).
 */
#define LIOMMU_SMMU_CD_FIELDS(X)					\
	X(CD, 0, T0SZ, VALUE) X(CD, 0, TG0, VALUE)			\
	X(CD, 0, IRGN0, VALUE) X(CD, 0, ORGN0, VALUE)			\
	X(CD, 0, SH0, VALUE) X(CD, 0, EPD0, VALUE)			\
	X(CD, 0, ENDI, VALUE) X(CD, 0, EPD1, VALUE)			\
	X(CD, 0, V, VALUE) X(CD, 0, IPS, VALUE)				\
	X(CD, 0, AFFD, VALUE) X(CD, 0, TBI, VALUE)			\
	X(CD, 0, AA64, VALUE) X(CD, 0, HD, VALUE)			\
	X(CD, 0, HA, VALUE) X(CD, 0, S, VALUE)				\
	X(CD, 0, R, VALUE) X(CD, 0, A, VALUE)				\
	X(CD, 0, ASET, VALUE) X(CD, 0, ASID, VALUE)			\
	X(CD, 1, TTB0, ADDR) X(CD, 3, MAIR, VALUE)
#define LIOMMU_SMMU_L1CD_FIELDS(X)					\
	X(L1CD, 0, V, VALUE) X(L1CD, 0, L2PTR, ADDR)

#endif /* _LIOMMU_SMMU_CD_H */
