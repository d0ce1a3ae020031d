// SPDX-License-Identifier: GPL-2.0
/*
 * Each enabled SMMU as a unit of the liommu core: probe and release of
 * the PCI devices behind it (StreamIDs from "iommu-map"), their groups
 * (the core's PCI default), and the static domains: identity is the
 * bypass STE every device starts with, blocked the abort STE.
 *
 * Order: registration comes after the SMMU is enabled (every device is in
 * bypass, which is what the identity domain is), unregistration before it
 * is disabled; releasing a device puts its STE back to bypass, so devices
 * leave the driver as they came.  Per-device data (&struct
 * liommu_smmu_master) lives in the core's table (liommu_dev_set_priv()),
 * allocated at probe and freed at release.
 *
 * Attach of the device's untagged traffic and of its PASIDs, for every
 * domain, goes through master.c (STE and CD table under the unit's
 * ste_lock).  PASIDs: as wide as the SMMU's SubstreamIDs
 * (liommu_smmu_cdtab_max_bits(); none on QEMU's SMMU, SSIDSIZE 0).
 */
#define pr_fmt(fmt) "liommu-smmuv3: " fmt

#include <linux/err.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "cmdq.h"
#include "smmuv3.h"
#include "ste.h"

static struct liommu_smmu *smmu_registered;

static int smmu_static_attach(struct liommu_domain *domain, struct device *dev)
{
	struct liommu_smmu_master *m = liommu_dev_get_priv(dev);

	if (!m)
		return -ENODEV;
	return liommu_smmu_master_attach(m, domain);
}

static int smmu_blocked_set_dev_pasid(struct liommu_domain *domain,
				      struct device *dev, u32 pasid)
{
	struct liommu_smmu_master *m = liommu_dev_get_priv(dev);

	if (!m)
		return -ENODEV;
	return liommu_smmu_master_set_pasid(m, domain, pasid);
}

static const struct liommu_domain_ops smmu_identity_ops = {
	.attach_dev = smmu_static_attach,
};

static const struct liommu_domain_ops smmu_blocked_ops = {
	.attach_dev = smmu_static_attach,
	.set_dev_pasid = smmu_blocked_set_dev_pasid,
};
/* Called with the core's table lock held: no liommu_*() calls but priv. */
static struct liommu_device *smmu_probe_device(struct device *dev)
{
	struct liommu_smmu_master *m;
	struct liommu_smmu_unit *unit;
	struct pci_dev *pdev;
	unsigned int index;
	u32 sid;
	int err;

	if (!smmu_registered || !dev_is_pci(dev))
		return ERR_PTR(-ENODEV);
	pdev = to_pci_dev(dev);
	/* A host bridge masters no DMA: it stays untranslated, in bypass. */
	if ((pdev->class >> 8) == PCI_CLASS_BRIDGE_HOST)
		return ERR_PTR(-ENODEV);
	if (liommu_smmu_map_lookup(smmu_registered, pci_domain_nr(pdev->bus),
				   pci_dev_id(pdev), &index, &sid) ||
	    index >= smmu_registered->nr_units)
		return ERR_PTR(-ENODEV);
	unit = &smmu_registered->units[index];
	if (!unit->registered)
		return ERR_PTR(-ENODEV);
	/* Level-2 tables are only added before enable: no STE, not ours. */
	mutex_lock(&unit->ste_lock);
	err = liommu_smmu_ste_ptr(unit, sid) ? 0 : -ENODEV;
	mutex_unlock(&unit->ste_lock);
	if (err) {
		dev_warn(dev, "liommu-smmuv3: StreamID %#x has no STE: not translated\n",
			 sid);
		return ERR_PTR(err);
	}
	m = liommu_fail_point("smmu:master") ? NULL :
	    kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return ERR_PTR(-ENOMEM);
	m->unit = unit;
	m->sid = sid;
	m->pdev = pdev;
	m->rid = &unit->identity;
	INIT_LIST_HEAD(&m->nested_node);
	err = liommu_dev_set_priv(dev, m);
	if (err) {
		kfree(m);
		return ERR_PTR(err);
	}
	if (liommu_smmu_master_add(unit, sid, dev))
		dev_warn(dev, "liommu-smmuv3: its faults reach only the event log\n");
	return &unit->iommu;
}

static void smmu_release_device(struct device *dev)
{
	struct liommu_smmu_master *m = liommu_dev_get_priv(dev);

	if (!m)
		return;
	liommu_smmu_master_del(m->unit, m->sid);
	liommu_smmu_master_release(m);
	liommu_dev_set_priv(dev, NULL);
	kfree(m);
}

/* GET_HW_INFO: the unit's ID registers as read at load. */
static void *smmu_hw_info(struct device *dev, u32 *length, u32 *type)
{
	struct liommu_smmu_master *m = liommu_dev_get_priv(dev);
	struct liommu_hw_info_arm_smmuv3 *info;
	unsigned int i;

	if (!m)
		return ERR_PTR(-ENODEV);
	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return ERR_PTR(-ENOMEM);
	for (i = 0; i < ARRAY_SIZE(info->idr); i++)
		info->idr[i] = m->unit->idr[i];
	info->iidr = m->unit->iidr;
	info->aidr = m->unit->aidr;
	*length = sizeof(*info);
	*type = LIOMMU_HW_INFO_TYPE_ARM_SMMUV3;
	return info;
}

static const struct liommu_ops smmu_ops = {
	.owner = THIS_MODULE,
	.probe_device = smmu_probe_device,
	.release_device = smmu_release_device,
	.device_group = liommu_pci_device_group,
	.domain_alloc_paging = liommu_smmu_domain_alloc_paging,
	.domain_alloc_paging_flags = liommu_smmu_domain_alloc_paging_flags,
	.domain_alloc_nested = liommu_smmu_domain_alloc_nested,
	.hw_info = smmu_hw_info,
	.page_response = liommu_smmu_page_response,
	.pgsize_bitmap = SZ_4K | SZ_2M | SZ_1G,
};

static void smmu_unit_unregister(struct liommu_smmu_unit *unit)
{
	if (!unit->registered)
		return;
	liommu_smmu_evtq_stop(unit);
	liommu_device_unregister(&unit->iommu);
	unit->registered = false;
	ida_destroy(&unit->asids);
	ida_destroy(&unit->vmids);
}

/**
 * liommu_smmu_register() - register every enabled SMMU with the core
 * @smmu: the driver's state, units enabled
 *
 * Return: 0, or the core's error (nothing stays registered then).
 */
int liommu_smmu_register(struct liommu_smmu *smmu)
{
	unsigned int i;
	int err;

	smmu_registered = smmu;
	for (i = 0; i < smmu->nr_units; i++) {
		struct liommu_smmu_unit *unit = &smmu->units[i];

		if (!unit->enabled)
			continue;
		ida_init(&unit->asids);
		ida_init(&unit->vmids);
		xa_init(&unit->masters);
		unit->identity.ops = &smmu_identity_ops;
		unit->blocked.ops = &smmu_blocked_ops;
		unit->iommu.ops = &smmu_ops;
		unit->iommu.dev = NULL;
		unit->iommu.name = "smmuv3";
		unit->iommu.identity_domain = &unit->identity;
		unit->iommu.blocked_domain = &unit->blocked;
		unit->iommu.geometry.aperture_start = 0;
		unit->iommu.geometry.aperture_end = BIT_ULL(48) - 1;
		unit->iommu.max_pasid_bits = liommu_smmu_cdtab_max_bits(unit);
		unit->iommu.oa_bits = liommu_smmu_oas_bits(unit);
		/* Before the core offers it devices. */
		unit->registered = true;
		err = liommu_device_register(&unit->iommu);
		if (err) {
			unit->registered = false;
			ida_destroy(&unit->asids);
			ida_destroy(&unit->vmids);
			goto err_unregister;
		}
		/* Mode and domain format: the reload test compares them. */
		pr_info("SMMU %u: registered with the liommu core (stage 1 %s, stage 2 %s; stage-1 paging domains, %u-bit output)\n",
			unit->index, unit->feat.s1 ? "yes" : "no",
			unit->feat.s2 ? "yes" : "no", unit->iommu.oa_bits);
		liommu_smmu_evtq_start(unit);
	}
	return 0;

err_unregister:
	while (i--)
		smmu_unit_unregister(&smmu->units[i]);
	smmu_registered = NULL;
	return err;
}

/**
 * liommu_smmu_unregister() - take every SMMU away from the core
 * @smmu: the driver's state
 *
 * Every device is released, its STE back to bypass.  The core's domains
 * pin this module, so none of ours is left.
 */
void liommu_smmu_unregister(struct liommu_smmu *smmu)
{
	unsigned int i;

	for (i = smmu->nr_units; i--; )
		smmu_unit_unregister(&smmu->units[i]);
	smmu_registered = NULL;
}
