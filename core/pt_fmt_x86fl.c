// SPDX-License-Identifier: GPL-2.0
/*
 * x86 4-level paging: VT-d first-stage tables (PGTT=001b).
 *
 * The walk of core/pt_walk.h compiled for the entries of core/pt_x86fl.h:
 * every accessor below is inline, so the walk makes no call per entry.
 * Tested against the reference model of selftests/kmod/core_pt_formats.c,
 * like every format.
 */
#include "pt_x86fl.h"

#define PTW_GRANULE_LG2		12
#define PTW_BITS		9
#define PTW_MAX_LEVELS		LIOMMU_PT_X86FL_MAX_LEVELS
#define PTW_LEAF_LEVELS		LIOMMU_PT_X86FL_LEAF_LEVELS
#define PTW_OA_LG2		LIOMMU_PT_X86FL_OA_LG2

#define ptw_load		liommu_pt_le64_load
#define ptw_store		liommu_pt_le64_store
#define ptw_cmpxchg		liommu_pt_le64_cmpxchg
#define ptw_present		liommu_pt_x86fl_present
#define ptw_is_leaf		liommu_pt_x86fl_is_leaf
#define ptw_mk_leaf		liommu_pt_x86fl_mk_leaf
#define ptw_mk_table		liommu_pt_x86fl_mk_table
#define ptw_oa			liommu_pt_x86fl_oa
#define ptw_prot		liommu_pt_x86fl_prot

#include "pt_walk.h"

LIOMMU_PT_FORMAT(x86fl, "x86-first-stage");
