/* SPDX-License-Identifier: GPL-2.0 */
/*
 * core_*: helpers of the core's self-tests, which run against the mock
 * IOMMU (selftests/mock/, loaded before the self-test module).
 */
#ifndef _LIOMMU_SELFTEST_CORE_COMMON_H
#define _LIOMMU_SELFTEST_CORE_COMMON_H

#include <linux/err.h>
#include <linux/sizes.h>

#include <liommu/driver.h>
#include "../mock/mock.h"
#include "selftest.h"

#define LT_RW		(LIOMMU_READ | LIOMMU_WRITE)
#define LT_PGSIZES	(SZ_4K | SZ_2M | SZ_1G)

/* The core's counters when the first core case ran. */
extern struct liommu_core_stats lt_core_base;

/*
 * The vendor driver (liommu_smmuv3 on arm64, liommu_intel on x86) loads
 * before the mock and so translates the PCI (edu) devices: how many units
 * it registered with the core, and the name of the unit the PCI devices
 * belong to ("mock2" where no vendor driver runs); lt_pci_paging_err()
 * is what paging allocation for them returns.
 */
#if defined(CONFIG_ARM64)
#include <liommu/smmu.h>
static inline unsigned int lt_vendor_units(void)
{
	return liommu_smmu_nr_units();
}

static inline const char *lt_pci_unit_name(void)
{
	return liommu_smmu_nr_units() ? "smmuv3" : "mock2";
}

static inline int lt_pci_paging_err(void)
{
	return 0;
}
#elif defined(CONFIG_X86)
#include <liommu/vtd.h>
/* Every unit liommu_intel found is enabled and registered, or it fails. */
static inline unsigned int lt_vendor_units(void)
{
	return liommu_vtd_nr_units();
}

/*
 * QEMU builds one DRHD with INCLUDE_PCI_ALL: unit 0, registered as
 * "vtd0", serves every PCI device.
 */
static inline const char *lt_pci_unit_name(void)
{
	return liommu_vtd_nr_units() ? "vtd0" : "mock2";
}

/*
 * What a paging domain allocation for a PCI device returns: 0 in every
 * profile (vtd-sm-fl, without a second-stage walker, gets first-stage
 * domains).
 */
static inline int lt_pci_paging_err(void)
{
	return 0;
}
#else
static inline unsigned int lt_vendor_units(void)
{
	return 0;
}

static inline const char *lt_pci_unit_name(void)
{
	return "mock2";
}

static inline int lt_pci_paging_err(void)
{
	return 0;
}
#endif

/* Mock device @i, or fail the case. */
struct device *lt_mock(struct lt_ctx *t, unsigned int i);
/* A paging domain for mock device @i, or fail the case (NULL). */
struct liommu_domain *lt_paging(struct lt_ctx *t, unsigned int i);
/* The mock's statistics of @d, or fail the case. */
bool lt_mstats(struct lt_ctx *t, struct liommu_domain *d,
	       struct liommu_mock_domain_stats *s);
/* A PCI device that no unit translates (the host bridge). */
struct device *lt_untranslated(struct lt_ctx *t);
void lt_put_untranslated(struct device *dev);

#endif /* _LIOMMU_SELFTEST_CORE_COMMON_H */
