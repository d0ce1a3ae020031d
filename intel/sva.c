// SPDX-License-Identifier: GPL-2.0
/*
 * SVA domains: a device PASID translated by a process's own page table.
 *
 * An SVA domain is a first-stage PASID entry whose table pointer is the
 * mm's pgd (domain.c builds the entry as for first-stage paging domains:
 * PGTT first stage, 4-level FSPM, AW 2, SRE 0 so that the device's
 * requests are user requests and only user (U/S=1) mappings translate,
 * WPE 0 since supervisor requests are never allowed; Linux 6.12's own
 * driver sets neither SRE nor WPE for SVA), with a domain id of its own.
 * The core invalidates it through the domain's iotlb_sync from the mm's
 * notifier (core/sva.c): PASID-based IOTLB invalidation of the range
 * for every PASID the domain is attached under.
 *
 * Refused: units without first-stage translation in scalable mode
 * (legacy mode, second-stage-only units), and an mm with 5-level paging
 * (the driver programs 4-level FSPM only; QEMU 10.0 refuses 5-level
 * first stage: guests boot with no5lvl).
 */
#define pr_fmt(fmt) "liommu-vtd: " fmt

#include <linux/mm_types.h>
#include <linux/pgtable.h>

#include "vtd.h"

/**
 * liommu_vtd_sva_supported() - can the unit share a process's page table?
 * @unit: a unit
 *
 * Return: true in scalable mode with first-stage translation and a
 * 4-level CPU page table.
 */
bool liommu_vtd_sva_supported(const struct liommu_vtd_unit *unit)
{
	return unit->scalable_on && unit->caps.first_stage &&
	       !pgtable_l5_enabled();
}

/**
 * liommu_vtd_domain_alloc_sva() - the unit's SVA domain for @mm
 * @dev: a device of the unit
 * @mm: the address space
 *
 * Return: the domain; ERR_PTR(-EOPNOTSUPP) (no first stage, or 5-level
 * paging); the errors of liommu_vtd_domain_alloc_shared().
 */
struct liommu_domain *liommu_vtd_domain_alloc_sva(struct device *dev,
						  struct mm_struct *mm)
{
	if (pgtable_l5_enabled()) {
		pr_info_ratelimited("SVA: 5-level process page tables cannot be shared (boot with no5lvl)\n");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return liommu_vtd_domain_alloc_shared(dev, __pa(mm->pgd));
}
