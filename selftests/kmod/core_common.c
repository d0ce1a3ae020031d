// SPDX-License-Identifier: GPL-2.0
/* core_*: helpers shared by the core's self-tests (core_common.h). */
#include <linux/pci.h>

#include "core_common.h"

struct liommu_core_stats lt_core_base;

struct device *lt_mock(struct lt_ctx *t, unsigned int i)
{
	struct device *dev = liommu_mock_device(i);

	if (!dev)
		lt_fail(t, "no mock device %u (is liommu_mock.ko loaded?)", i);
	return dev;
}

struct liommu_domain *lt_paging(struct lt_ctx *t, unsigned int i)
{
	struct device *dev = lt_mock(t, i);
	struct liommu_domain *d;

	if (!dev)
		return NULL;
	d = liommu_paging_domain_alloc(dev);
	if (IS_ERR(d)) {
		lt_fail(t, "paging domain for mock %u: %ld", i, PTR_ERR(d));
		return NULL;
	}
	return d;
}

bool lt_mstats(struct lt_ctx *t, struct liommu_domain *d,
	       struct liommu_mock_domain_stats *s)
{
	int err = liommu_mock_domain_stats(d, s);

	if (err)
		lt_fail(t, "mock statistics: %d", err);
	return !err;
}

struct device *lt_untranslated(struct lt_ctx *t)
{
	struct pci_dev *pdev = pci_get_domain_bus_and_slot(0, 0, PCI_DEVFN(0, 0));

	if (!pdev) {
		lt_fail(t, "no PCI device 00:00.0");
		return NULL;
	}
	return &pdev->dev;
}

void lt_put_untranslated(struct device *dev)
{
	if (dev)
		pci_dev_put(to_pci_dev(dev));
}
