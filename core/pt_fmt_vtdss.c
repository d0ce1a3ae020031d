// SPDX-License-Identifier: GPL-2.0
/*
 * VT-d second-stage tables (legacy mode, scalable-mode PGTT=010b).
 *
 * The walk of core/pt_walk.h compiled for the entries of core/pt_vtdss.h:
 * every accessor below is inline, so the walk makes no call per entry.
 * Tested against the reference model of selftests/kmod/core_pt_formats.c,
 * like every format.
 */
#include "pt_vtdss.h"

#define PTW_GRANULE_LG2		12
#define PTW_BITS		9
#define PTW_MAX_LEVELS		LIOMMU_PT_VTDSS_MAX_LEVELS
#define PTW_LEAF_LEVELS		LIOMMU_PT_VTDSS_LEAF_LEVELS
#define PTW_OA_LG2		LIOMMU_PT_VTDSS_OA_LG2

#define ptw_load		liommu_pt_le64_load
#define ptw_store		liommu_pt_le64_store
#define ptw_cmpxchg		liommu_pt_le64_cmpxchg
#define ptw_present		liommu_pt_vtdss_present
#define ptw_is_leaf		liommu_pt_vtdss_is_leaf
#define ptw_mk_leaf		liommu_pt_vtdss_mk_leaf
#define ptw_mk_table		liommu_pt_vtdss_mk_table
#define ptw_oa			liommu_pt_vtdss_oa
#define ptw_prot		liommu_pt_vtdss_prot

#include "pt_walk.h"

LIOMMU_PT_FORMAT(vtdss, "vtd-second-stage");
