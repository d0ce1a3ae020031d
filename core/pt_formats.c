// SPDX-License-Identifier: GPL-2.0
/*
 * The page-table formats liommu_core.ko offers to vendor modules: each is
 * a header of entry accessors (core/pt_<name>.h) turned into a
 * &struct liommu_pt_format here.  Every format is tested against the same
 * reference model (selftests/kmod/core_pt_formats.c) and its entries
 * against values written from the specifications.
 *
 * The hardware formats leave @sync NULL: whether a unit's table walks
 * snoop the CPU caches is the unit's property (VT-d ECAP.C, SMMUv3
 * COHACC), so a vendor driver for a non-coherent unit wraps the format
 * with its own @sync.
 */
#include <liommu/pgtable.h>
#include "priv.h"
#include "pt_armv8.h"
#include "pt_mock.h"
#include "pt_vtdss.h"
#include "pt_x86fl.h"

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

/* VT-d second-stage tables (legacy mode, scalable-mode PGTT=010b). */
const struct liommu_pt_format liommu_pt_format_vtdss = {
	.name = "vtd-second-stage",
	.granule_lg2 = 12,
	.bits_per_level = 9,
	.max_levels = LIOMMU_PT_VTDSS_MAX_LEVELS,
	.leaf_levels = LIOMMU_PT_VTDSS_LEAF_LEVELS,
	.load = liommu_pt_le64_load,
	.store = liommu_pt_le64_store,
	.present = liommu_pt_vtdss_present,
	.is_leaf = liommu_pt_vtdss_is_leaf,
	.mk_leaf = liommu_pt_vtdss_mk_leaf,
	.mk_table = liommu_pt_vtdss_mk_table,
	.oa = liommu_pt_vtdss_oa,
	.prot = liommu_pt_vtdss_prot,
};
LIOMMU_EXPORT(liommu_pt_format_vtdss);

/* x86 4-level paging: VT-d first-stage tables (PGTT=001b). */
const struct liommu_pt_format liommu_pt_format_x86fl = {
	.name = "x86-first-stage",
	.granule_lg2 = 12,
	.bits_per_level = 9,
	.max_levels = LIOMMU_PT_X86FL_MAX_LEVELS,
	.leaf_levels = LIOMMU_PT_X86FL_LEAF_LEVELS,
	.load = liommu_pt_le64_load,
	.store = liommu_pt_le64_store,
	.present = liommu_pt_x86fl_present,
	.is_leaf = liommu_pt_x86fl_is_leaf,
	.mk_leaf = liommu_pt_x86fl_mk_leaf,
	.mk_table = liommu_pt_x86fl_mk_table,
	.oa = liommu_pt_x86fl_oa,
	.prot = liommu_pt_x86fl_prot,
};
LIOMMU_EXPORT(liommu_pt_format_x86fl);

/* AArch64 stage 1, 4 KiB granule: SMMUv3 context descriptors' TTB0. */
const struct liommu_pt_format liommu_pt_format_arm_s1 = {
	.name = "arm64-stage1-4k",
	.granule_lg2 = 12,
	.bits_per_level = 9,
	.max_levels = LIOMMU_PT_ARMV8_MAX_LEVELS,
	.leaf_levels = LIOMMU_PT_ARMV8_LEAF_LEVELS,
	.load = liommu_pt_le64_load,
	.store = liommu_pt_le64_store,
	.present = liommu_pt_armv8_present,
	.is_leaf = liommu_pt_armv8_is_leaf,
	.mk_leaf = liommu_pt_armv8_s1_mk_leaf,
	.mk_table = liommu_pt_armv8_mk_table,
	.oa = liommu_pt_armv8_oa,
	.prot = liommu_pt_armv8_s1_prot,
};
LIOMMU_EXPORT(liommu_pt_format_arm_s1);

/* AArch64 stage 2, 4 KiB granule: SMMUv3 STEs' S2TTB. */
const struct liommu_pt_format liommu_pt_format_arm_s2 = {
	.name = "arm64-stage2-4k",
	.granule_lg2 = 12,
	.bits_per_level = 9,
	.max_levels = LIOMMU_PT_ARMV8_MAX_LEVELS,
	.leaf_levels = LIOMMU_PT_ARMV8_LEAF_LEVELS,
	.load = liommu_pt_le64_load,
	.store = liommu_pt_le64_store,
	.present = liommu_pt_armv8_present,
	.is_leaf = liommu_pt_armv8_is_leaf,
	.mk_leaf = liommu_pt_armv8_s2_mk_leaf,
	.mk_table = liommu_pt_armv8_mk_table,
	.oa = liommu_pt_armv8_oa,
	.prot = liommu_pt_armv8_s2_prot,
};
LIOMMU_EXPORT(liommu_pt_format_arm_s2);
