// SPDX-License-Identifier: GPL-2.0
/*
 * The mock IOMMU's format (selftests/mock/): the test format.
 *
 * The walk of core/pt_walk.h compiled for the entries of core/pt_mock.h:
 * every accessor below is inline, so the walk makes no call per entry.
 * Tested against the reference model of selftests/kmod/core_pt_formats.c,
 * like every format.
 */
#include "pt_mock.h"

#define PTW_GRANULE_LG2		12
#define PTW_BITS		9
#define PTW_MAX_LEVELS		LIOMMU_PT_MOCK_LEVELS
#define PTW_LEAF_LEVELS		LIOMMU_PT_MOCK_LEAF_LEVELS
#define PTW_OA_LG2		LIOMMU_PT_MOCK_OA_LG2

#define ptw_load		liommu_pt_mock_load
#define ptw_store		liommu_pt_mock_store
#define ptw_cmpxchg		liommu_pt_mock_cmpxchg
#define ptw_present		liommu_pt_mock_present
#define ptw_is_leaf		liommu_pt_mock_is_leaf
#define ptw_mk_leaf		liommu_pt_mock_mk_leaf
#define ptw_mk_table		liommu_pt_mock_mk_table
#define ptw_oa			liommu_pt_mock_oa
#define ptw_prot		liommu_pt_mock_prot

#include "pt_walk.h"

LIOMMU_PT_FORMAT(mock, "mock");
