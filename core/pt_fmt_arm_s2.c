// SPDX-License-Identifier: GPL-2.0
/*
 * AArch64 stage 2, 4 KiB granule: SMMUv3 STEs' S2TTB.
 *
 * The walk of core/pt_walk.h compiled for the entries of core/pt_armv8.h:
 * every accessor below is inline, so the walk makes no call per entry.
 * Tested against the reference model of selftests/kmod/core_pt_formats.c,
 * like every format.
 */
#include "pt_armv8.h"

#define PTW_GRANULE_LG2		12
#define PTW_BITS		9
#define PTW_MAX_LEVELS		LIOMMU_PT_ARMV8_MAX_LEVELS
#define PTW_LEAF_LEVELS		LIOMMU_PT_ARMV8_LEAF_LEVELS
#define PTW_OA_LG2		LIOMMU_PT_ARMV8_OA_LG2

#define ptw_load		liommu_pt_le64_load
#define ptw_store		liommu_pt_le64_store
#define ptw_cmpxchg		liommu_pt_le64_cmpxchg
#define ptw_present		liommu_pt_armv8_present
#define ptw_is_leaf		liommu_pt_armv8_is_leaf
#define ptw_mk_leaf		liommu_pt_armv8_s2_mk_leaf
#define ptw_mk_table		liommu_pt_armv8_mk_table
#define ptw_oa			liommu_pt_armv8_oa
#define ptw_prot		liommu_pt_armv8_s2_prot

#include "pt_walk.h"

LIOMMU_PT_FORMAT(arm_s2, "arm64-stage2-4k");
