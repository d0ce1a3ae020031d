// SPDX-License-Identifier: GPL-2.0
/*
 * The page-table formats liommu_core.ko offers to vendor modules: each is
 * a header of entry accessors (core/pt_<name>.h) turned into a
 * &struct liommu_pt_format here.  VT-d second-stage, x86 first-stage and
 * AArch64 stage 1/2 join as further headers and tables in this file.
 */
#include <liommu/pgtable.h>
#include "priv.h"
#include "pt_mock.h"

const struct liommu_pt_format liommu_pt_format_mock = {
	.name = "mock",
	.granule_lg2 = LIOMMU_PT_MOCK_GRANULE_LG2,
	.bits_per_level = LIOMMU_PT_MOCK_BITS_PER_LEVEL,
	.max_levels = LIOMMU_PT_MOCK_LEVELS,
	.leaf_levels = LIOMMU_PT_MOCK_LEAF_LEVELS,
	.load = liommu_pt_mock_load,
	.store = liommu_pt_mock_store,
	.present = liommu_pt_mock_present,
	.is_leaf = liommu_pt_mock_is_leaf,
	.mk_leaf = liommu_pt_mock_mk_leaf,
	.mk_table = liommu_pt_mock_mk_table,
	.oa = liommu_pt_mock_oa,
	.prot = liommu_pt_mock_prot,
};
LIOMMU_EXPORT(liommu_pt_format_mock);
