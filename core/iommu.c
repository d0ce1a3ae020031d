// SPDX-License-Identifier: GPL-2.0
/*
 * Registration of IOMMU units (&struct liommu_device) by vendor modules.
 *
 * The list of units is guarded by liommu_table_lock (device.c).  A new
 * unit is offered every PCI and platform device that exists, also those
 * another unit translates (a claim of one of those is refused with a
 * message, device.c); devices added later reach it through the bus
 * notifiers.  Unregistering releases every device the unit translates.
 * A unit's static domains are in the table of live domains
 * (domain_table.c) while it is registered.
 */
#include <linux/pci.h>
#include <linux/platform_device.h>

#include "priv.h"

static int liommu_static_domain_init(struct liommu_device *iommu,
				     struct liommu_domain *domain,
				     enum liommu_domain_type type)
{
	if (!domain)
		return 0;
	if (!domain->ops || !domain->ops->attach_dev)
		return -EINVAL;
	domain->type = type;
	domain->flags = LIOMMU_DOMAIN_F_STATIC;
	domain->owner = LIOMMU_OWNER_KERNEL;
	domain->iommu = iommu;
	domain->oa_bits = iommu->oa_bits;
	return 0;
}

static int liommu_probe_one(struct device *dev, void *data)
{
	liommu_probe_device_with(data, dev);
	return 0;
}

/**
 * liommu_device_register() - register an IOMMU unit
 * @iommu: the unit, filled in (see &struct liommu_device)
 *
 * liommu_device_register() is upstream's iommu_device_register().  Every
 * PCI and platform device present is offered to the unit's probe_device.
 *
 * Context: process context; takes the table lock.
 * Return: 0; -EINVAL when the unit lacks required ops, a blocked
 * domain or its output-address width (@oa_bits); -ENOMEM (its fault
 * queue, core/fault.c).
 */
int liommu_device_register(struct liommu_device *iommu)
{
	const struct liommu_ops *ops;
	int err;

	if (IS_ERR_OR_NULL(iommu))
		return -EINVAL;
	ops = iommu->ops;
	if (!ops || !ops->probe_device || !ops->domain_alloc_paging ||
	    !ops->pgsize_bitmap || !iommu->blocked_domain) {
		pr_err("liommu: unit %s: missing ops or blocked domain\n",
		       iommu->name ?: "?");
		return -EINVAL;
	}
	if (!iommu->oa_bits || iommu->oa_bits > 64) {
		pr_err("liommu: unit %s: output-address width %u\n",
		       iommu->name ?: "?", iommu->oa_bits);
		return -EINVAL;
	}
	err = liommu_static_domain_init(iommu, iommu->blocked_domain,
					LIOMMU_DOMAIN_BLOCKED);
	if (!err)
		err = liommu_static_domain_init(iommu, iommu->identity_domain,
						LIOMMU_DOMAIN_IDENTITY);
	if (err) {
		pr_err("liommu: unit %s: static domain without attach_dev\n",
		       iommu->name ?: "?");
		return err;
	}

	err = liommu_domain_table_add(iommu->blocked_domain);
	if (err)
		return err;
	if (iommu->identity_domain) {
		err = liommu_domain_table_add(iommu->identity_domain);
		if (err)
			goto err_blocked;
	}
	err = liommu_iopf_queue_init(iommu);
	if (err)
		goto err_identity;
	mutex_lock(&liommu_table_lock);
	list_add_tail(&iommu->node, &liommu_iommus);
	liommu_stat_inc(LIOMMU_STAT_IOMMUS);
	liommu_pasid_space_update();
	bus_for_each_dev(&pci_bus_type, NULL, iommu, liommu_probe_one);
	bus_for_each_dev(&platform_bus_type, NULL, iommu, liommu_probe_one);
	mutex_unlock(&liommu_table_lock);
	return 0;

err_identity:
	if (iommu->identity_domain)
		liommu_domain_table_del(iommu->identity_domain);
err_blocked:
	liommu_domain_table_del(iommu->blocked_domain);
	return err;
}
LIOMMU_EXPORT(liommu_device_register);

/**
 * liommu_device_unregister() - remove an IOMMU unit
 * @iommu: a registered unit
 *
 * liommu_device_unregister() is upstream's iommu_device_unregister().
 * Every device the unit translates is released (its vendor's
 * release_device is called).  Domains of the unit must be freed first:
 * they pin the vendor module, so its exit cannot run before.
 *
 * Context: process context; takes the table lock.
 */
void liommu_device_unregister(struct liommu_device *iommu)
{
	mutex_lock(&liommu_table_lock);
	liommu_iopf_queue_exit(iommu);
	liommu_release_iommu_devices(iommu);
	list_del(&iommu->node);
	liommu_stat_dec(LIOMMU_STAT_IOMMUS);
	liommu_pasid_space_update();
	mutex_unlock(&liommu_table_lock);
	if (iommu->identity_domain)
		liommu_domain_table_del(iommu->identity_domain);
	liommu_domain_table_del(iommu->blocked_domain);
}
LIOMMU_EXPORT(liommu_device_unregister);
