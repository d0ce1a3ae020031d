/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VT-d invalidation descriptors for the invalidation queue.
 *
 * From the Intel Virtualization Technology for Directed I/O Architecture
 * Specification, section 6.5.2 ("Queued Invalidation").  A descriptor is
 * 128 bits (two little-endian words) in a legacy queue and 256 bits (four
 * words, the upper two zero for the descriptors below) when IQA.DW is set.
 * Fields are LIOMMU_VTD_QI_<DESCRIPTOR>_<WORD>_<FIELD>.
 */
#ifndef _LIOMMU_VTD_QI_H
#define _LIOMMU_VTD_QI_H

#include <linux/bits.h>
#include <linux/bitfield.h>

#define LIOMMU_VTD_QI_MAX_WORDS		4

/* Every descriptor: the type, split in two fields (6.5.2). */
#define LIOMMU_VTD_QI_0_TYPE_LO		GENMASK_ULL(3, 0)
#define LIOMMU_VTD_QI_0_TYPE_HI		GENMASK_ULL(11, 9)

#define LIOMMU_VTD_QI_TYPE_CC		1	/* context-cache */
#define LIOMMU_VTD_QI_TYPE_IOTLB	2
#define LIOMMU_VTD_QI_TYPE_WAIT		5	/* invalidation wait */
#define LIOMMU_VTD_QI_TYPE_PIOTLB	6	/* PASID-based IOTLB */
#define LIOMMU_VTD_QI_TYPE_PC		7	/* PASID-cache */
#define LIOMMU_VTD_QI_TYPE_PGRP_RESP	9	/* page group response */

/* Context-cache invalidate descriptor (6.5.2.1) */
#define LIOMMU_VTD_QI_CC_0_G		GENMASK_ULL(5, 4)
#define LIOMMU_VTD_QI_CC_0_DID		GENMASK_ULL(31, 16)
#define LIOMMU_VTD_QI_CC_0_SID		GENMASK_ULL(47, 32)
#define LIOMMU_VTD_QI_CC_0_FM		GENMASK_ULL(49, 48)
#define LIOMMU_VTD_QI_CC_G_GLOBAL	1
#define LIOMMU_VTD_QI_CC_G_DOMAIN	2
#define LIOMMU_VTD_QI_CC_G_DEVICE	3

/* PASID-cache invalidate descriptor (6.5.2.2), scalable mode only */
#define LIOMMU_VTD_QI_PC_0_G		GENMASK_ULL(5, 4)
#define LIOMMU_VTD_QI_PC_0_DID		GENMASK_ULL(31, 16)
#define LIOMMU_VTD_QI_PC_0_PASID	GENMASK_ULL(51, 32)
#define LIOMMU_VTD_QI_PC_G_DOMAIN	0
#define LIOMMU_VTD_QI_PC_G_PASID	1
#define LIOMMU_VTD_QI_PC_G_GLOBAL	3

/* IOTLB invalidate descriptor (6.5.2.3) */
#define LIOMMU_VTD_QI_IOTLB_0_G		GENMASK_ULL(5, 4)
#define LIOMMU_VTD_QI_IOTLB_0_DW	BIT_ULL(6)
#define LIOMMU_VTD_QI_IOTLB_0_DR	BIT_ULL(7)
#define LIOMMU_VTD_QI_IOTLB_0_DID	GENMASK_ULL(31, 16)
#define LIOMMU_VTD_QI_IOTLB_1_AM	GENMASK_ULL(5, 0)
#define LIOMMU_VTD_QI_IOTLB_1_IH	BIT_ULL(6)
#define LIOMMU_VTD_QI_IOTLB_1_ADDR	GENMASK_ULL(63, 12)
#define LIOMMU_VTD_QI_IOTLB_G_GLOBAL	1
#define LIOMMU_VTD_QI_IOTLB_G_DOMAIN	2
#define LIOMMU_VTD_QI_IOTLB_G_PAGE	3

/*
 * PASID-based IOTLB invalidate descriptor (6.5.2.4), scalable mode only,
 * 256-bit queue (IQA.DW): drops first-stage (and nested) translations of
 * one PASID tagged with one domain id.  G 10b: all of the PASID; G 11b:
 * 2^AM pages from ADDR (naturally aligned).
 */
#define LIOMMU_VTD_QI_PIOTLB_0_G	GENMASK_ULL(5, 4)
#define LIOMMU_VTD_QI_PIOTLB_0_DID	GENMASK_ULL(31, 16)
#define LIOMMU_VTD_QI_PIOTLB_0_PASID	GENMASK_ULL(51, 32)
#define LIOMMU_VTD_QI_PIOTLB_1_AM	GENMASK_ULL(5, 0)
#define LIOMMU_VTD_QI_PIOTLB_1_IH	BIT_ULL(6)
#define LIOMMU_VTD_QI_PIOTLB_1_ADDR	GENMASK_ULL(63, 12)
#define LIOMMU_VTD_QI_PIOTLB_G_PASID	2
#define LIOMMU_VTD_QI_PIOTLB_G_PAGE	3

/* Invalidation wait descriptor (6.5.2.8) */
/* Page group response (6.5.2.14): the answer to a page request */
#define LIOMMU_VTD_QI_PGRP_0_PP		BIT_ULL(4)	/* PASID present */
#define LIOMMU_VTD_QI_PGRP_0_PDP	BIT_ULL(5)	/* private data present */
#define LIOMMU_VTD_QI_PGRP_0_RESP	GENMASK_ULL(15, 12)
#define LIOMMU_VTD_QI_PGRP_0_RID	GENMASK_ULL(31, 16)
#define LIOMMU_VTD_QI_PGRP_0_PASID	GENMASK_ULL(51, 32)
#define LIOMMU_VTD_QI_PGRP_1_LPIG	BIT_ULL(2)
#define LIOMMU_VTD_QI_PGRP_1_PRGI	GENMASK_ULL(11, 3)
#define LIOMMU_VTD_QI_PGRP_RESP_SUCCESS	0
#define LIOMMU_VTD_QI_PGRP_RESP_INVALID	1
#define LIOMMU_VTD_QI_PGRP_RESP_FAILURE	0xf

#define LIOMMU_VTD_QI_WAIT_0_IF		BIT_ULL(4)
#define LIOMMU_VTD_QI_WAIT_0_SW		BIT_ULL(5)
#define LIOMMU_VTD_QI_WAIT_0_FN		BIT_ULL(6)
#define LIOMMU_VTD_QI_WAIT_0_PD		BIT_ULL(7)
#define LIOMMU_VTD_QI_WAIT_0_SDATA	GENMASK_ULL(63, 32)
#define LIOMMU_VTD_QI_WAIT_1_SADDR	GENMASK_ULL(63, 2)

#endif /* _LIOMMU_VTD_QI_H */
