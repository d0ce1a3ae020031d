/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VT-d translation-structure formats: root, context, PASID directory and
 * PASID table entries, legacy and scalable mode.
 *
 * From the Intel Virtualization Technology for Directed I/O Architecture
 * Specification, chapter 9 ("Translation Structure Formats").  An entry is
 * an array of little-endian 64-bit words; a field is named
 * LIOMMU_VTD_<FORMAT>_<WORD>_<FIELD> and is only ever read or built with
 * FIELD_GET()/FIELD_PREP() on the CPU-order value of its word.
 */
#ifndef _LIOMMU_VTD_TABLES_H
#define _LIOMMU_VTD_TABLES_H

#include <linux/bits.h>
#include <linux/bitfield.h>
#include <linux/types.h>

/* Every table is one 4 KiB page; pointers to it drop the low 12 bits. */
#define LIOMMU_VTD_TABLE_SIZE		4096

/* Root entry, legacy mode (9.1): 128 bits, one per bus. */
#define LIOMMU_VTD_ROOT_WORDS		2
#define LIOMMU_VTD_ROOT_0_P		BIT_ULL(0)
#define LIOMMU_VTD_ROOT_0_CTP		GENMASK_ULL(63, 12)

/*
 * Scalable-mode root entry (9.2): 128 bits, one per bus.  The low word
 * points at the context table of devfn 0-127, the high word at the one
 * of devfn 128-255; each half has its own present bit.
 */
#define LIOMMU_VTD_SM_ROOT_0_LP		BIT_ULL(0)
#define LIOMMU_VTD_SM_ROOT_0_LCTP	GENMASK_ULL(63, 12)
#define LIOMMU_VTD_SM_ROOT_1_UP		BIT_ULL(0)
#define LIOMMU_VTD_SM_ROOT_1_UCTP	GENMASK_ULL(63, 12)
#define LIOMMU_VTD_SM_ROOT_DEVFNS	128	/* devfns per context table */

/* Context entry, legacy mode (9.3): 128 bits, 256 per table. */
#define LIOMMU_VTD_CTX_WORDS		2
#define LIOMMU_VTD_CTX_0_P		BIT_ULL(0)
#define LIOMMU_VTD_CTX_0_FPD		BIT_ULL(1)
#define LIOMMU_VTD_CTX_0_TT		GENMASK_ULL(3, 2)
#define LIOMMU_VTD_CTX_0_SSPTPTR	GENMASK_ULL(63, 12)
#define LIOMMU_VTD_CTX_1_AW		GENMASK_ULL(2, 0)
#define LIOMMU_VTD_CTX_1_DID		GENMASK_ULL(23, 8)

/* Legacy context entry translation types (TT). */
#define LIOMMU_VTD_CTX_TT_UNTRANSLATED	0	/* second-stage, no ATS */
#define LIOMMU_VTD_CTX_TT_ALL		1	/* second-stage with ATS */
#define LIOMMU_VTD_CTX_TT_PASS_THROUGH	2	/* needs ECAP.PT */

/*
 * Address width (AW) values, legacy context and PASID entries: the
 * second-stage table depth.  They match the CAP.SAGAW bit numbers.
 */
#define LIOMMU_VTD_AW_39		1	/* 3 levels */
#define LIOMMU_VTD_AW_48		2	/* 4 levels */
#define LIOMMU_VTD_AW_57		3	/* 5 levels */

/* Scalable-mode context entry (9.4): 256 bits, 128 per table. */
#define LIOMMU_VTD_SM_CTX_WORDS		4
#define LIOMMU_VTD_SM_CTX_0_P		BIT_ULL(0)
#define LIOMMU_VTD_SM_CTX_0_FPD		BIT_ULL(1)
#define LIOMMU_VTD_SM_CTX_0_DTE		BIT_ULL(2)
#define LIOMMU_VTD_SM_CTX_0_PASIDE	BIT_ULL(3)
#define LIOMMU_VTD_SM_CTX_0_PRE		BIT_ULL(4)
#define LIOMMU_VTD_SM_CTX_0_PDTS	GENMASK_ULL(11, 9)	/* 2^(PDTS+7) entries */
#define LIOMMU_VTD_SM_CTX_0_PASIDDIRPTR	GENMASK_ULL(63, 12)
#define LIOMMU_VTD_SM_CTX_1_RID_PASID	GENMASK_ULL(19, 0)
#define LIOMMU_VTD_SM_CTX_1_RID_PRIV	BIT_ULL(20)

/* PDTS n: the PASID directory has 2^(n + 7) entries. */
#define LIOMMU_VTD_PDTS_ENTRIES(pdts)	(1U << ((pdts) + 7))

/* Scalable-mode PASID directory entry (9.5): 64 bits, PASID[19:6]. */
#define LIOMMU_VTD_PDIR_0_P		BIT_ULL(0)
#define LIOMMU_VTD_PDIR_0_FPD		BIT_ULL(1)
#define LIOMMU_VTD_PDIR_0_SMPTBLPTR	GENMASK_ULL(63, 12)
#define LIOMMU_VTD_PDIR_INDEX(pasid)	((pasid) >> 6)

/* Scalable-mode PASID table entry (9.6): 512 bits, 64 per table, PASID[5:0]. */
#define LIOMMU_VTD_PASID_WORDS		8
#define LIOMMU_VTD_PASID_PER_TABLE	64
#define LIOMMU_VTD_PASID_INDEX(pasid)	((pasid) & 63)
#define LIOMMU_VTD_PASID_0_P		BIT_ULL(0)
#define LIOMMU_VTD_PASID_0_FPD		BIT_ULL(1)
#define LIOMMU_VTD_PASID_0_AW		GENMASK_ULL(4, 2)
#define LIOMMU_VTD_PASID_0_SSEE		BIT_ULL(5)
#define LIOMMU_VTD_PASID_0_PGTT		GENMASK_ULL(8, 6)
#define LIOMMU_VTD_PASID_0_SSADE	BIT_ULL(9)
#define LIOMMU_VTD_PASID_0_SSPTPTR	GENMASK_ULL(63, 12)
#define LIOMMU_VTD_PASID_1_DID		GENMASK_ULL(15, 0)
/*
 * First-stage fields (9.6, bits 191:128), used with PGTT 001b: SRE lets
 * supervisor requests through (the driver leaves it 0: devices issue
 * user requests), FSPM ("FLPM" in older revisions) is the paging mode,
 * FSPTPTR ("FLPTPTR") the physical address of the top-level table.
 */
#define LIOMMU_VTD_PASID_2_SRE		BIT_ULL(0)
#define LIOMMU_VTD_PASID_2_FSPM		GENMASK_ULL(3, 2)
#define LIOMMU_VTD_PASID_2_WPE		BIT_ULL(4)	/* write protect */
#define LIOMMU_VTD_PASID_2_EAFE		BIT_ULL(7)	/* extended access flag */
#define LIOMMU_VTD_PASID_2_FSPTPTR	GENMASK_ULL(63, 12)

/* First-stage paging modes (FSPM, 9.6). */
#define LIOMMU_VTD_FSPM_4LEVEL		0	/* 48-bit canonical input */
#define LIOMMU_VTD_FSPM_5LEVEL		1	/* 57-bit, needs CAP.FL5LP */

/* PASID-granular translation types (PGTT). */
#define LIOMMU_VTD_PGTT_FIRST_STAGE	1
#define LIOMMU_VTD_PGTT_SECOND_STAGE	2
#define LIOMMU_VTD_PGTT_NESTED		3
#define LIOMMU_VTD_PGTT_PASS_THROUGH	4

/*
 * Every field above once more, as a list for decoders (intel/debugfs.c):
 * X(FORMAT, word, FIELD, kind) names LIOMMU_VTD_<FORMAT>_<word>_<FIELD>;
 * kind is VALUE (print FIELD_GET) or ADDR (a table pointer: print the
 * word masked).  A field added above belongs here too.
 */
#define LIOMMU_VTD_ROOT_FIELDS(X)					\
	X(ROOT, 0, P, VALUE) X(ROOT, 0, CTP, ADDR)
#define LIOMMU_VTD_SM_ROOT_FIELDS(X)					\
	X(SM_ROOT, 0, LP, VALUE) X(SM_ROOT, 0, LCTP, ADDR)		\
	X(SM_ROOT, 1, UP, VALUE) X(SM_ROOT, 1, UCTP, ADDR)
#define LIOMMU_VTD_CTX_FIELDS(X)					\
	X(CTX, 0, P, VALUE) X(CTX, 0, FPD, VALUE) X(CTX, 0, TT, VALUE)	\
	X(CTX, 0, SSPTPTR, ADDR) X(CTX, 1, AW, VALUE) X(CTX, 1, DID, VALUE)
#define LIOMMU_VTD_SM_CTX_FIELDS(X)					\
	X(SM_CTX, 0, P, VALUE) X(SM_CTX, 0, FPD, VALUE)			\
	X(SM_CTX, 0, DTE, VALUE) X(SM_CTX, 0, PASIDE, VALUE)		\
	X(SM_CTX, 0, PRE, VALUE) X(SM_CTX, 0, PDTS, VALUE)		\
	X(SM_CTX, 0, PASIDDIRPTR, ADDR) X(SM_CTX, 1, RID_PASID, VALUE)	\
	X(SM_CTX, 1, RID_PRIV, VALUE)
#define LIOMMU_VTD_PDIR_FIELDS(X)					\
	X(PDIR, 0, P, VALUE) X(PDIR, 0, FPD, VALUE)			\
	X(PDIR, 0, SMPTBLPTR, ADDR)
#define LIOMMU_VTD_PASID_FIELDS(X)					\
	X(PASID, 0, P, VALUE) X(PASID, 0, FPD, VALUE)			\
	X(PASID, 0, AW, VALUE) X(PASID, 0, SSEE, VALUE)			\
	X(PASID, 0, PGTT, VALUE) X(PASID, 0, SSADE, VALUE)		\
	X(PASID, 0, SSPTPTR, ADDR) X(PASID, 1, DID, VALUE)		\
	X(PASID, 2, SRE, VALUE) X(PASID, 2, FSPM, VALUE)		\
	X(PASID, 2, WPE, VALUE) X(PASID, 2, EAFE, VALUE)		\
	X(PASID, 2, FSPTPTR, ADDR)

#endif /* _LIOMMU_VTD_TABLES_H */
