/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Intel VT-d remapping-unit registers: offsets and fields.
 *
 * Everything here is from the Intel Virtualization Technology for Directed
 * I/O Architecture Specification, chapter 11 ("Register Descriptions").
 * Fields are masks for FIELD_GET()/FIELD_PREP(); no open shifts elsewhere.
 */
#ifndef _LIOMMU_VTD_REGS_H
#define _LIOMMU_VTD_REGS_H

#include <linux/bits.h>
#include <linux/bitfield.h>

/* Register offsets (11.4) */
#define LIOMMU_VTD_REG_VER		0x00	/* 32-bit */
#define LIOMMU_VTD_REG_CAP		0x08	/* 64-bit */
#define LIOMMU_VTD_REG_ECAP		0x10	/* 64-bit */
#define LIOMMU_VTD_REG_GCMD		0x18	/* 32-bit */
#define LIOMMU_VTD_REG_GSTS		0x1c	/* 32-bit */
#define LIOMMU_VTD_REG_RTADDR		0x20	/* 64-bit */
#define LIOMMU_VTD_REG_CCMD		0x28	/* 64-bit */
#define LIOMMU_VTD_REG_FSTS		0x34	/* 32-bit */
#define LIOMMU_VTD_REG_FECTL		0x38	/* 32-bit */
#define LIOMMU_VTD_REG_FEDATA		0x3c	/* 32-bit */
#define LIOMMU_VTD_REG_FEADDR		0x40	/* 32-bit */
#define LIOMMU_VTD_REG_FEUADDR		0x44	/* 32-bit */
#define LIOMMU_VTD_REG_PMEN		0x64	/* 32-bit */
#define LIOMMU_VTD_REG_IQH		0x80	/* 64-bit */
#define LIOMMU_VTD_REG_IQT		0x88	/* 64-bit */
#define LIOMMU_VTD_REG_IQA		0x90	/* 64-bit */
#define LIOMMU_VTD_REG_ICS		0x9c	/* 32-bit */
#define LIOMMU_VTD_REG_IQERCD		0xb0	/* 64-bit */
#define LIOMMU_VTD_REG_IRTA		0xb8	/* 64-bit */

/* The smallest register window a unit decodes (one 4 KiB page). */
#define LIOMMU_VTD_REG_SIZE		0x1000

/* Version register (11.4.1) */
#define LIOMMU_VTD_VER_MINOR		GENMASK(3, 0)
#define LIOMMU_VTD_VER_MAJOR		GENMASK(7, 4)

/* Capability register (11.4.2) */
#define LIOMMU_VTD_CAP_ND		GENMASK_ULL(2, 0)
#define LIOMMU_VTD_CAP_AFL		BIT_ULL(3)
#define LIOMMU_VTD_CAP_RWBF		BIT_ULL(4)
#define LIOMMU_VTD_CAP_PLMR		BIT_ULL(5)
#define LIOMMU_VTD_CAP_PHMR		BIT_ULL(6)
#define LIOMMU_VTD_CAP_CM		BIT_ULL(7)
#define LIOMMU_VTD_CAP_SAGAW		GENMASK_ULL(12, 8)
#define LIOMMU_VTD_CAP_MGAW		GENMASK_ULL(21, 16)	/* width - 1 */
#define LIOMMU_VTD_CAP_ZLR		BIT_ULL(22)
#define LIOMMU_VTD_CAP_FRO		GENMASK_ULL(33, 24)	/* offset / 16 */
#define LIOMMU_VTD_CAP_SLLPS		GENMASK_ULL(37, 34)
#define LIOMMU_VTD_CAP_PSI		BIT_ULL(39)
#define LIOMMU_VTD_CAP_NFR		GENMASK_ULL(47, 40)	/* count - 1 */
#define LIOMMU_VTD_CAP_MAMV		GENMASK_ULL(53, 48)
#define LIOMMU_VTD_CAP_DWD		BIT_ULL(54)
#define LIOMMU_VTD_CAP_DRD		BIT_ULL(55)
#define LIOMMU_VTD_CAP_FL1GP		BIT_ULL(56)
#define LIOMMU_VTD_CAP_PI		BIT_ULL(59)
#define LIOMMU_VTD_CAP_FL5LP		BIT_ULL(60)
#define LIOMMU_VTD_CAP_ESIRTPS		BIT_ULL(62)
#define LIOMMU_VTD_CAP_ESRTPS		BIT_ULL(63)

/* CAP.SAGAW bits: adjusted guest address widths (table levels). */
#define LIOMMU_VTD_SAGAW_39		BIT(1)	/* 3-level table */
#define LIOMMU_VTD_SAGAW_48		BIT(2)	/* 4-level table */
#define LIOMMU_VTD_SAGAW_57		BIT(3)	/* 5-level table */

/* CAP.SLLPS bits: second-stage large pages. */
#define LIOMMU_VTD_SLLPS_2M		BIT(0)
#define LIOMMU_VTD_SLLPS_1G		BIT(1)

/* Extended capability register (11.4.3) */
#define LIOMMU_VTD_ECAP_C		BIT_ULL(0)
#define LIOMMU_VTD_ECAP_QI		BIT_ULL(1)
#define LIOMMU_VTD_ECAP_DT		BIT_ULL(2)
#define LIOMMU_VTD_ECAP_IR		BIT_ULL(3)
#define LIOMMU_VTD_ECAP_EIM		BIT_ULL(4)
#define LIOMMU_VTD_ECAP_PT		BIT_ULL(6)
#define LIOMMU_VTD_ECAP_SC		BIT_ULL(7)
#define LIOMMU_VTD_ECAP_IRO		GENMASK_ULL(17, 8)	/* offset / 16 */
#define LIOMMU_VTD_ECAP_MHMV		GENMASK_ULL(23, 20)
#define LIOMMU_VTD_ECAP_NEST		BIT_ULL(26)
#define LIOMMU_VTD_ECAP_PRS		BIT_ULL(29)
#define LIOMMU_VTD_ECAP_ERS		BIT_ULL(30)
#define LIOMMU_VTD_ECAP_SRS		BIT_ULL(31)
#define LIOMMU_VTD_ECAP_NWFS		BIT_ULL(33)
#define LIOMMU_VTD_ECAP_EAFS		BIT_ULL(34)
#define LIOMMU_VTD_ECAP_PSS		GENMASK_ULL(39, 35)	/* width - 1 */
#define LIOMMU_VTD_ECAP_PASID		BIT_ULL(40)
#define LIOMMU_VTD_ECAP_DIT		BIT_ULL(41)
#define LIOMMU_VTD_ECAP_PDS		BIT_ULL(42)
#define LIOMMU_VTD_ECAP_SMTS		BIT_ULL(43)
#define LIOMMU_VTD_ECAP_VCS		BIT_ULL(44)
#define LIOMMU_VTD_ECAP_SLADS		BIT_ULL(45)
#define LIOMMU_VTD_ECAP_SLTS		BIT_ULL(46)
#define LIOMMU_VTD_ECAP_FLTS		BIT_ULL(47)
#define LIOMMU_VTD_ECAP_SMPWCS		BIT_ULL(48)
#define LIOMMU_VTD_ECAP_RPS		BIT_ULL(49)

/* Global status register (11.4.4.2); GCMD uses the same positions. */
#define LIOMMU_VTD_GSTS_CFIS		BIT(23)
#define LIOMMU_VTD_GSTS_IRTPS		BIT(24)
#define LIOMMU_VTD_GSTS_IRES		BIT(25)
#define LIOMMU_VTD_GSTS_QIES		BIT(26)
#define LIOMMU_VTD_GSTS_WBFS		BIT(27)
#define LIOMMU_VTD_GSTS_AFLS		BIT(28)
#define LIOMMU_VTD_GSTS_FLS		BIT(29)
#define LIOMMU_VTD_GSTS_RTPS		BIT(30)
#define LIOMMU_VTD_GSTS_TES		BIT(31)

/*
 * Global command register (11.4.4.1): same positions as GSTS.  TE, QIE
 * and IRE (and AFL) are persistent: every GCMD write must carry the ones
 * GSTS shows on, or it turns them off.  SRTP, SFL, WBF and SIRTP are
 * one-shot requests and must never be carried over.
 */
#define LIOMMU_VTD_GCMD_SIRTP		BIT(24)
#define LIOMMU_VTD_GCMD_IRE		BIT(25)
#define LIOMMU_VTD_GCMD_QIE		BIT(26)
#define LIOMMU_VTD_GCMD_WBF		BIT(27)
#define LIOMMU_VTD_GCMD_SRTP		BIT(30)
#define LIOMMU_VTD_GCMD_TE		BIT(31)

/* The GSTS bits a GCMD write carries over. */
#define LIOMMU_VTD_GSTS_PERSISTENT \
	(LIOMMU_VTD_GSTS_TES | LIOMMU_VTD_GSTS_QIES | LIOMMU_VTD_GSTS_IRES)

/* Root table address register (11.4.5) */
#define LIOMMU_VTD_RTADDR_TTM		GENMASK_ULL(11, 10)
#define LIOMMU_VTD_RTADDR_RTA		GENMASK_ULL(63, 12)
#define LIOMMU_VTD_TTM_LEGACY		0
#define LIOMMU_VTD_TTM_SCALABLE		1

/* Fault status register (11.4.7.1) */
#define LIOMMU_VTD_FSTS_PFO		BIT(0)
#define LIOMMU_VTD_FSTS_PPF		BIT(1)
#define LIOMMU_VTD_FSTS_IQE		BIT(4)
#define LIOMMU_VTD_FSTS_ICE		BIT(5)
#define LIOMMU_VTD_FSTS_ITE		BIT(6)
#define LIOMMU_VTD_FSTS_FRI		GENMASK(15, 8)
/* The write-1-to-clear bits of FSTS. */
#define LIOMMU_VTD_FSTS_W1C \
	(LIOMMU_VTD_FSTS_PFO | LIOMMU_VTD_FSTS_IQE | LIOMMU_VTD_FSTS_ICE | \
	 LIOMMU_VTD_FSTS_ITE)
#define LIOMMU_VTD_FSTS_QI_ERRORS \
	(LIOMMU_VTD_FSTS_IQE | LIOMMU_VTD_FSTS_ICE | LIOMMU_VTD_FSTS_ITE)

/*
 * Fault recording register (11.4.14): 128 bits at CAP.FRO * 16, one per
 * CAP.NFR; word 0 the faulting page, word 1 the rest; F is write 1 to
 * clear.
 */
#define LIOMMU_VTD_FRCD_SIZE		16
#define LIOMMU_VTD_FRCD_0_FI		GENMASK_ULL(63, 12)
#define LIOMMU_VTD_FRCD_1_SID		GENMASK_ULL(15, 0)
#define LIOMMU_VTD_FRCD_1_PRIV		BIT_ULL(29)
#define LIOMMU_VTD_FRCD_1_EXE		BIT_ULL(30)
#define LIOMMU_VTD_FRCD_1_PP		BIT_ULL(31)
#define LIOMMU_VTD_FRCD_1_FR		GENMASK_ULL(39, 32)
#define LIOMMU_VTD_FRCD_1_PV		GENMASK_ULL(59, 40)
#define LIOMMU_VTD_FRCD_1_AT		GENMASK_ULL(61, 60)
#define LIOMMU_VTD_FRCD_1_T		BIT_ULL(62)
#define LIOMMU_VTD_FRCD_1_F		BIT_ULL(63)

/* Invalidation queue head and tail (11.4.9.1, 11.4.9.2): byte offsets. */
#define LIOMMU_VTD_IQH_QH		GENMASK_ULL(18, 4)
#define LIOMMU_VTD_IQT_QT		GENMASK_ULL(18, 4)

/* Invalidation queue address register (11.4.9.3) */
#define LIOMMU_VTD_IQA_QS		GENMASK_ULL(2, 0)	/* 2^(QS+8) 128-bit slots */
#define LIOMMU_VTD_IQA_DW		BIT_ULL(11)		/* 256-bit descriptors */
#define LIOMMU_VTD_IQA_IQA		GENMASK_ULL(63, 12)

/* Invalidation completion status register (11.4.9.4) */
#define LIOMMU_VTD_ICS_IWC		BIT(0)

/* Invalidation queue error record register (11.4.9.9) */
#define LIOMMU_VTD_IQERCD_IQEI		GENMASK_ULL(3, 0)

/* The GSTS bits that say someone else drives the unit. */
#define LIOMMU_VTD_GSTS_IN_USE \
	(LIOMMU_VTD_GSTS_TES | LIOMMU_VTD_GSTS_QIES | LIOMMU_VTD_GSTS_IRES)

#endif /* _LIOMMU_VTD_REGS_H */
