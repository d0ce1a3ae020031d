// SPDX-License-Identifier: GPL-2.0
/*
 * core_*: after every other core case, nothing is left: no domain, no
 * table page, no extra device state, group or allocation of the core, no
 * domain of the mock.  (Unload and reload with the counters at zero is
 * selftests/guest/20-core-reload.sh.)
 */
#include "core_common.h"

static void core_counters_back_to_zero(struct lt_ctx *t)
{
	struct liommu_core_stats s;
	struct liommu_sva_stats sva;

	liommu_core_get_stats(&s);
	/*
	 * This module's loader (insmod) still lives: an mm it bound for SVA
	 * keeps its PASID until it exits (20-core-reload.sh and the core's
	 * unload see those go).
	 */
	liommu_sva_get_stats(&sva);
	lt_expect_eq(t, sva.live_mms, 0, "SVA address spaces bound");
	if (sva.kept_mms)
		lt_info(t, "%ld address space(s) keep their PASID: %ld allocations",
			sva.kept_mms, sva.kept_allocs);
	lt_expect_eq(t, s.domains, 0, "domains");
	lt_expect_eq(t, s.table_pages, 0, "table pages");
	lt_expect_eq(t, s.iommus, lt_core_base.iommus, "units");
	lt_expect_eq(t, s.devices, lt_core_base.devices, "device states");
	lt_expect_eq(t, s.groups, lt_core_base.groups, "groups");
	lt_expect_eq(t, s.allocs, lt_core_base.allocs + sva.kept_allocs,
		     "allocations");
	lt_expect_eq(t, liommu_mock_live_domains(), 0, "mock domains");
}

static const struct lt_case core_leak_cases[] = {
	LT_CASE(core_counters_back_to_zero),
};

const struct lt_suite lt_core_leak_suite = LT_SUITE("core_leak", core_leak_cases);
