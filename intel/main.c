// SPDX-License-Identifier: GPL-2.0
/*
 * liommu_intel.ko: the liommu driver for Intel VT-d remapping units.
 *
 * At load it reads the ACPI DMAR table, claims and maps each unit's
 * registers, decodes what the unit offers and describes it in the kernel
 * log.  It then takes each unit: identity (pass-through) context entries
 * for every device in its scope, queued invalidation and translation on
 * (enable.c).  Each enabled unit is then registered with the liommu core
 * (domain.c): it probes every PCI device of its scope, and the core's
 * domains translate them through our tables.  Unloading unregisters the
 * units (their devices go back to pass-through), then gives each back.
 */
#define pr_fmt(fmt) "liommu-vtd: " fmt

#include <linux/module.h>

#include <liommu/compat.h>
#include "vtd.h"

static struct liommu_vtd_dmar vtd_dmar;

static void vtd_unmap_all(struct liommu_vtd_dmar *dmar)
{
	unsigned int i;

	for (i = 0; i < dmar->nr_units; i++)
		liommu_vtd_unit_unmap(&dmar->units[i]);
}

static void vtd_disable_all(struct liommu_vtd_dmar *dmar)
{
	unsigned int i = dmar->nr_units;

	while (i--)
		liommu_vtd_unit_disable(&dmar->units[i]);
}

static void vtd_unregister_all(struct liommu_vtd_dmar *dmar)
{
	unsigned int i = dmar->nr_units;

	while (i--)
		liommu_vtd_iommu_unregister(&dmar->units[i]);
}

static int __init liommu_vtd_init(void)
{
	unsigned int i;
	int err;

	err = liommu_vtd_dmar_parse(&vtd_dmar);
	if (err)
		return err;

	pr_info("DMAR: host address width %u, %u remapping unit%s\n",
		vtd_dmar.haw, vtd_dmar.nr_units,
		vtd_dmar.nr_units == 1 ? "" : "s");
	for (i = 0; i < vtd_dmar.nr_units; i++) {
		err = liommu_vtd_unit_map(&vtd_dmar.units[i]);
		if (err)
			goto err_unmap;
		liommu_vtd_unit_report(&vtd_dmar.units[i]);
	}
	for (i = 0; i < vtd_dmar.nr_units; i++) {
		err = liommu_vtd_unit_enable(&vtd_dmar, &vtd_dmar.units[i]);
		if (err)
			goto err_disable;
	}
	liommu_vtd_domains_publish(&vtd_dmar);
	for (i = 0; i < vtd_dmar.nr_units; i++) {
		if (!vtd_dmar.units[i].enabled)
			continue;
		err = liommu_vtd_iommu_register(&vtd_dmar, &vtd_dmar.units[i]);
		if (err) {
			pr_err("unit %u: cannot register with the core: %d\n",
			       i, err);
			goto err_unregister;
		}
	}
	liommu_vtd_query_publish(&vtd_dmar);
	liommu_vtd_debugfs_init(&vtd_dmar);
	return 0;

err_unregister:
	vtd_unregister_all(&vtd_dmar);
	liommu_vtd_domains_publish(NULL);
err_disable:
	vtd_disable_all(&vtd_dmar);
err_unmap:
	vtd_unmap_all(&vtd_dmar);
	liommu_vtd_dmar_free(&vtd_dmar);
	return err;
}

static void __exit liommu_vtd_exit(void)
{
	liommu_vtd_debugfs_exit();
	liommu_vtd_query_publish(NULL);
	/* Devices go back to pass-through before the units are turned off. */
	vtd_unregister_all(&vtd_dmar);
	liommu_vtd_domains_publish(NULL);
	vtd_disable_all(&vtd_dmar);
	vtd_unmap_all(&vtd_dmar);
	liommu_vtd_dmar_free(&vtd_dmar);
	pr_info("unloaded\n");
}

module_init(liommu_vtd_init);
module_exit(liommu_vtd_exit);
MODULE_DESCRIPTION("liommu: Intel VT-d remapping driver");
MODULE_LICENSE("GPL");
LIOMMU_IMPORT_NS();
