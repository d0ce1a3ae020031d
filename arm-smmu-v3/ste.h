/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Arm SMMUv3 stream table formats: the Stream Table Entry (STE) and the
 * Level 1 Stream Table Descriptor (L1STD) of a 2-level stream table.
 *
 * From the SMMUv3 architecture specification (IHI 0070), 5.1 (Level 1
 * Stream Table Descriptor) and 5.2 (Stream Table Entry).  An entry is an
 * array of little-endian 64-bit words as the SMMU reads it; a field is
 * LIOMMU_SMMU_<TABLE>_<word>_<FIELD>, a mask within that word, packed only
 * with FIELD_PREP()/FIELD_GET() on CPU-order values and stored with
 * cpu_to_le64().  Values of a field are <FIELD>_<VALUE>.
 */
#ifndef _LIOMMU_SMMU_STE_H
#define _LIOMMU_SMMU_STE_H

#include <linux/bits.h>
#include <linux/bitfield.h>
#include <linux/types.h>

/* An STE is 64 bytes: 8 words. */
#define LIOMMU_SMMU_STE_DWORDS		8
/* An L1STD is one word. */
#define LIOMMU_SMMU_L1STD_DWORDS	1

/* STE word 0 (5.2) */
#define LIOMMU_SMMU_STE_0_V		BIT_ULL(0)
#define LIOMMU_SMMU_STE_0_CONFIG	GENMASK_ULL(3, 1)
#define LIOMMU_SMMU_STE_0_S1FMT		GENMASK_ULL(5, 4)
#define LIOMMU_SMMU_STE_0_S1CONTEXTPTR	GENMASK_ULL(51, 6)
#define LIOMMU_SMMU_STE_0_S1CDMAX	GENMASK_ULL(63, 59)

/* STE.Config: what the SMMU does with a stream's transactions */
#define LIOMMU_SMMU_STE_0_CONFIG_ABORT		0	/* 0b000: abort, no event */
#define LIOMMU_SMMU_STE_0_CONFIG_BYPASS		4	/* 0b100: both stages bypass */
#define LIOMMU_SMMU_STE_0_CONFIG_S1_TRANS	5	/* 0b101 */
#define LIOMMU_SMMU_STE_0_CONFIG_S2_TRANS	6	/* 0b110 */
#define LIOMMU_SMMU_STE_0_CONFIG_NESTED		7	/* 0b111 */

/* STE word 1 (5.2): attribute overrides, used by bypass too */
#define LIOMMU_SMMU_STE_1_S1DSS		GENMASK_ULL(1, 0)
#define LIOMMU_SMMU_STE_1_S1CIR		GENMASK_ULL(3, 2)
#define LIOMMU_SMMU_STE_1_S1COR		GENMASK_ULL(5, 4)
#define LIOMMU_SMMU_STE_1_S1CSH		GENMASK_ULL(7, 6)
#define LIOMMU_SMMU_STE_1_S1STALLD	BIT_ULL(27)
#define LIOMMU_SMMU_STE_1_EATS		GENMASK_ULL(29, 28)
#define LIOMMU_SMMU_STE_1_STRW		GENMASK_ULL(31, 30)
#define LIOMMU_SMMU_STE_1_MEMATTR	GENMASK_ULL(35, 32)
#define LIOMMU_SMMU_STE_1_MTCFG		BIT_ULL(36)
#define LIOMMU_SMMU_STE_1_ALLOCCFG	GENMASK_ULL(40, 37)
#define LIOMMU_SMMU_STE_1_SHCFG		GENMASK_ULL(45, 44)
#define LIOMMU_SMMU_STE_1_NSCFG		GENMASK_ULL(47, 46)
#define LIOMMU_SMMU_STE_1_PRIVCFG	GENMASK_ULL(49, 48)
#define LIOMMU_SMMU_STE_1_INSTCFG	GENMASK_ULL(51, 50)

/* STE.SHCFG: shareability of bypassed transactions */
#define LIOMMU_SMMU_STE_1_SHCFG_NONE		0
#define LIOMMU_SMMU_STE_1_SHCFG_INCOMING	1	/* use the device's */
#define LIOMMU_SMMU_STE_1_SHCFG_OUTER		2
#define LIOMMU_SMMU_STE_1_SHCFG_INNER		3

/*
 * STE.S1Fmt: the shape of the CD table (ignored with S1CDMax 0, where
 * S1ContextPtr names a single CD): linear, or 2-level with 4 KiB or 64 KiB
 * level-2 tables.  S1CDMax: log2 of the number of CDs (SubstreamID width).
 */
#define LIOMMU_SMMU_STE_0_S1FMT_LINEAR		0
#define LIOMMU_SMMU_STE_0_S1FMT_2LVL_4K		1
#define LIOMMU_SMMU_STE_0_S1FMT_2LVL_64K	2

/*
 * STE.S1DSS, with S1CDMax > 0: what becomes of transactions without a
 * SubstreamID: terminated (with an event), stage 1 bypassed, or
 * translated by CD 0 (then a transaction with SubstreamID 0 is
 * terminated).
 */
#define LIOMMU_SMMU_STE_1_S1DSS_TERMINATE	0
#define LIOMMU_SMMU_STE_1_S1DSS_BYPASS		1
#define LIOMMU_SMMU_STE_1_S1DSS_SSID0		2

/* STE.S1CIR/S1COR: CD fetch cacheability; 1 = write-back write-allocate */
#define LIOMMU_SMMU_STE_1_S1C_WBWA	1
/* STE.S1CSH: CD fetch shareability; 3 = inner shareable */
#define LIOMMU_SMMU_STE_1_S1CSH_ISH	3
/* STE.STRW: translation regime of stage 1; 0 = Non-secure EL1 */
#define LIOMMU_SMMU_STE_1_STRW_NSEL1	0

/* STE word 2 (5.2): stage-2 configuration (VMID and VTCR) */
#define LIOMMU_SMMU_STE_2_S2VMID	GENMASK_ULL(15, 0)
#define LIOMMU_SMMU_STE_2_S2T0SZ	GENMASK_ULL(37, 32)
#define LIOMMU_SMMU_STE_2_S2SL0		GENMASK_ULL(39, 38)
#define LIOMMU_SMMU_STE_2_S2IR0		GENMASK_ULL(41, 40)
#define LIOMMU_SMMU_STE_2_S2OR0		GENMASK_ULL(43, 42)
#define LIOMMU_SMMU_STE_2_S2SH0		GENMASK_ULL(45, 44)
#define LIOMMU_SMMU_STE_2_S2TG		GENMASK_ULL(47, 46)
#define LIOMMU_SMMU_STE_2_S2PS		GENMASK_ULL(50, 48)
#define LIOMMU_SMMU_STE_2_S2AA64	BIT_ULL(51)
#define LIOMMU_SMMU_STE_2_S2ENDI	BIT_ULL(52)
#define LIOMMU_SMMU_STE_2_S2AFFD	BIT_ULL(53)
#define LIOMMU_SMMU_STE_2_S2PTW		BIT_ULL(54)
#define LIOMMU_SMMU_STE_2_S2HD		BIT_ULL(55)
#define LIOMMU_SMMU_STE_2_S2HA		BIT_ULL(56)
#define LIOMMU_SMMU_STE_2_S2S		BIT_ULL(57)
#define LIOMMU_SMMU_STE_2_S2R		BIT_ULL(58)

/* STE word 3 (5.2): the stage-2 table */
#define LIOMMU_SMMU_STE_3_S2TTB		GENMASK_ULL(51, 4)

/* S2SL0 with a 4 KiB granule: 2 = start at level 0 */
#define LIOMMU_SMMU_STE_2_S2SL0_4K_L0	2
/* S2IR0/S2OR0: 1 = write-back write-allocate; S2SH0: 3 = inner shareable */
#define LIOMMU_SMMU_STE_2_S2RGN_WBWA	1
#define LIOMMU_SMMU_STE_2_S2SH_ISH	3
/* S2TG: 0 = 4 KiB granule */
#define LIOMMU_SMMU_STE_2_S2TG_4K	0

/* L1STD (5.1): SPAN = log2(STEs in the level-2 table) + 1; 0 = invalid */
#define LIOMMU_SMMU_L1STD_0_SPAN	GENMASK_ULL(4, 0)
#define LIOMMU_SMMU_L1STD_0_L2PTR	GENMASK_ULL(51, 6)

/*
 * Every STE and L1STD field above once more, as a list for decoders
 * (arm-smmu-v3/debugfs.c): X(TABLE, word, FIELD, kind) names
 * LIOMMU_SMMU_<TABLE>_<word>_<FIELD>; kind is VALUE (print FIELD_GET) or
 * ADDR (a table pointer: print the word masked).  A field added above
 * belongs here too.
 */
#define LIOMMU_SMMU_STE_FIELDS(X)					\
	X(STE, 0, V, VALUE) X(STE, 0, CONFIG, VALUE)			\
	X(STE, 0, S1FMT, VALUE) X(STE, 0, S1CONTEXTPTR, ADDR)		\
	X(STE, 0, S1CDMAX, VALUE)					\
	X(STE, 1, S1DSS, VALUE) X(STE, 1, S1CIR, VALUE)			\
	X(STE, 1, S1COR, VALUE) X(STE, 1, S1CSH, VALUE)			\
	X(STE, 1, S1STALLD, VALUE) X(STE, 1, EATS, VALUE)		\
	X(STE, 1, STRW, VALUE) X(STE, 1, MEMATTR, VALUE)		\
	X(STE, 1, MTCFG, VALUE) X(STE, 1, ALLOCCFG, VALUE)		\
	X(STE, 1, SHCFG, VALUE) X(STE, 1, NSCFG, VALUE)			\
	X(STE, 1, PRIVCFG, VALUE) X(STE, 1, INSTCFG, VALUE)		\
	X(STE, 2, S2VMID, VALUE) X(STE, 2, S2T0SZ, VALUE)		\
	X(STE, 2, S2SL0, VALUE) X(STE, 2, S2IR0, VALUE)			\
	X(STE, 2, S2OR0, VALUE) X(STE, 2, S2SH0, VALUE)			\
	X(STE, 2, S2TG, VALUE) X(STE, 2, S2PS, VALUE)			\
	X(STE, 2, S2AA64, VALUE) X(STE, 2, S2ENDI, VALUE)		\
	X(STE, 2, S2AFFD, VALUE) X(STE, 2, S2PTW, VALUE)		\
	X(STE, 2, S2HD, VALUE) X(STE, 2, S2HA, VALUE)			\
	X(STE, 2, S2S, VALUE) X(STE, 2, S2R, VALUE)			\
	X(STE, 3, S2TTB, ADDR)
#define LIOMMU_SMMU_L1STD_FIELDS(X)					\
	X(L1STD, 0, SPAN, VALUE) X(L1STD, 0, L2PTR, ADDR)

#endif /* _LIOMMU_SMMU_STE_H */
