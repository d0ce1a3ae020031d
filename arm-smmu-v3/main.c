// SPDX-License-Identifier: GPL-2.0
/*
 * liommu_smmuv3.ko: the liommu driver for Arm SMMUv3.
 *
 * At load it finds the SMMUv3 nodes of the device tree, claims and maps
 * their registers, decodes what each SMMU offers, reads the PCI host
 * bridges' RID-to-StreamID maps and describes it all in the kernel log.
 * Then it takes each SMMU over (enable.c): every PCI device behind it
 * keeps working through a bypass STE, every other StreamID is invalid.
 * Each enabled SMMU is then registered with the liommu core (iommu.c):
 * the core's domains translate its devices through our tables.
 * Unloading unregisters, turns each SMMU off and frees everything.
 */
#define pr_fmt(fmt) "liommu-smmuv3: " fmt

#include <linux/module.h>

#include <liommu/compat.h>
#include "smmuv3.h"

static struct liommu_smmu smmu;

static void smmu_unmap_all(struct liommu_smmu *s)
{
	unsigned int i;

	for (i = 0; i < s->nr_units; i++)
		liommu_smmu_unit_unmap(&s->units[i]);
}

static void smmu_disable_all(struct liommu_smmu *s)
{
	unsigned int i;

	for (i = 0; i < s->nr_units; i++)
		liommu_smmu_unit_disable(&s->units[i]);
}

static int __init liommu_smmu_init(void)
{
	unsigned int i;
	int err;

	err = liommu_smmu_find_units(&smmu);
	if (err)
		return err;

	pr_info("%u SMMUv3%s in the device tree\n", smmu.nr_units,
		smmu.nr_units == 1 ? "" : "s");
	for (i = 0; i < smmu.nr_units; i++) {
		err = liommu_smmu_unit_map(&smmu.units[i]);
		if (err)
			goto err_unmap;
		liommu_smmu_unit_report(&smmu.units[i]);
	}
	err = liommu_smmu_maps_read(&smmu);
	if (err)
		goto err_unmap;
	liommu_smmu_maps_report(&smmu);
	for (i = 0; i < smmu.nr_units; i++) {
		err = liommu_smmu_unit_enable(&smmu, &smmu.units[i]);
		if (err)
			goto err_disable;
	}
	liommu_smmu_query_publish(&smmu);
	err = liommu_smmu_register(&smmu);
	if (err)
		goto err_unpublish;
	liommu_smmu_debugfs_init(&smmu);
	return 0;

err_unpublish:
	liommu_smmu_query_publish(NULL);
err_disable:
	smmu_disable_all(&smmu);
	liommu_smmu_maps_free(&smmu);
err_unmap:
	smmu_unmap_all(&smmu);
	liommu_smmu_put_units(&smmu);
	return err;
}

static void __exit liommu_smmu_exit(void)
{
	liommu_smmu_debugfs_exit();
	/* Devices go back to bypass before the SMMU is turned off. */
	liommu_smmu_unregister(&smmu);
	liommu_smmu_query_publish(NULL);
	smmu_disable_all(&smmu);
	liommu_smmu_maps_free(&smmu);
	smmu_unmap_all(&smmu);
	liommu_smmu_put_units(&smmu);
	pr_info("unloaded\n");
}

module_init(liommu_smmu_init);
module_exit(liommu_smmu_exit);
MODULE_DESCRIPTION("liommu: Arm SMMUv3 driver");
MODULE_LICENSE("GPL");
LIOMMU_IMPORT_NS();
