// SPDX-License-Identifier: GPL-2.0
/*
 * Registering liommu's units with the kernel's IOMMU core, and leaving it.
 *
 * Register: every liommu unit that translates a device (found through the
 * core's API: liommu_get_domain_for_dev() names a device's unit) gets an
 * &struct iommu_device, added to sysfs (/sys/class/iommu/liommu-<unit>)
 * and registered with the bridge's iommu_ops.  The kernel's core then
 * probes every device of the PCI and platform buses (bus_iommu_probe());
 * the bridge takes those its unit translates and no driver drives
 * (device.c), and while it registers, def_domain_type asks for identity:
 * nothing changes for a device until its user switches its group to DMA
 * (Documentation/bridge.rst).
 *
 * The fwnode: with no fwspec (x86: nothing names the unit) the kernel's
 * core gives every device the ops of the first unit registered without a
 * fwnode, so the bridge registers x86 units without one and lets
 * probe_device pick the unit.  Where the unit's device has an OF node
 * (arm64: the SMMU's node, which the devices' iommu-map names), it is
 * passed, so that the kernel matches the devices' fwspec to it.
 *
 * Unregister: refused (-EBUSY) while a bridged device has a driver bound
 * or a domain other than identity (device.c); then every unit leaves the
 * kernel's core, which releases its devices (and the module references
 * it took for them), so that rmmod works.
 */
#include <linux/module.h>
#include <linux/of.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/slab.h>

#include "bridge.h"

/* bus_for_each_dev() callback: note @dev's unit. */
static int lbridge_find_unit(struct device *dev, void *data)
{
	struct liommu_domain *ld = liommu_get_domain_for_dev(dev);
	struct lbridge_unit *bu;

	if (!ld || !ld->iommu)
		return 0;
	list_for_each_entry(bu, &lbridge_units, node)
		if (bu->unit == ld->iommu)
			return 0;
	bu = kzalloc(sizeof(*bu), GFP_KERNEL);
	if (!bu)
		return -ENOMEM;
	if (!try_module_get(ld->iommu->ops->owner)) {
		kfree(bu);
		return 0;
	}
	bu->unit = ld->iommu;
	list_add_tail(&bu->node, &lbridge_units);
	return 0;
}

static void lbridge_unit_free(struct lbridge_unit *bu)
{
	if (bu->registered)
		iommu_device_unregister(&bu->iommu);
	if (bu->sysfs)
		iommu_device_sysfs_remove(&bu->iommu);
	if (bu->empty)
		liommu_domain_free(bu->empty);
	module_put(bu->unit->ops->owner);
	list_del(&bu->node);
	kfree(bu);
}

static void lbridge_units_free(void)
{
	struct lbridge_unit *bu, *tmp;

	list_for_each_entry_safe_reverse(bu, tmp, &lbridge_units, node)
		if (bu->registered) {
			iommu_device_unregister(&bu->iommu);
			bu->registered = false;
		}
	liommu_compat_bridge_forget(&lbridge_ops);
	list_for_each_entry_safe_reverse(bu, tmp, &lbridge_units, node)
		lbridge_unit_free(bu);
}

static struct device *lbridge_hwdev(struct lbridge_unit *bu)
{
	struct device *dev = bu->unit->dev;

	return dev && dev_of_node(dev) ? dev : NULL;
}

/**
 * lbridge_register() - hand every liommu unit to the kernel's IOMMU core
 *
 * Context: process context, lbridge_lock held.
 * Return: 0 (also when no unit translates anything); -ENODEV when no
 * liommu unit is registered; the kernel's error (nothing stays
 * registered then).
 */
int lbridge_register(void)
{
	struct lbridge_unit *bu;
	int err;

	lockdep_assert_held(&lbridge_lock);
	err = bus_for_each_dev(&pci_bus_type, NULL, NULL, lbridge_find_unit);
	if (!err)
		err = bus_for_each_dev(&platform_bus_type, NULL, NULL,
				       lbridge_find_unit);
	if (err)
		goto err_free;
	if (list_empty(&lbridge_units)) {
		pr_err("liommu_bridge: no liommu unit translates any device: load a vendor module first\n");
		return -ENODEV;
	}
	/*
	 * Every unit in sysfs first: the kernel's probe links each device
	 * to the unit probe_device names, which may be one registered later.
	 */
	list_for_each_entry(bu, &lbridge_units, node) {
		err = iommu_device_sysfs_add(&bu->iommu, NULL, NULL,
					     "liommu-%s", bu->unit->name);
		if (err)
			goto err_free;
		bu->sysfs = true;
	}
	list_for_each_entry(bu, &lbridge_units, node) {
		WRITE_ONCE(lbridge_registering, true);
		err = iommu_device_register(&bu->iommu, &lbridge_ops,
					    lbridge_hwdev(bu));
		WRITE_ONCE(lbridge_registering, false);
		if (err)
			goto err_free;
		bu->registered = true;
		pr_info("liommu_bridge: unit %s registered with the kernel's IOMMU core\n",
			bu->unit->name);
	}
	return 0;

err_free:
	pr_err("liommu_bridge: register: %d\n", err);
	lbridge_units_free();
	return err;
}

/**
 * lbridge_unregister() - take every unit back from the kernel's IOMMU core
 *
 * Context: process context, lbridge_lock held.
 * Return: 0; -EBUSY (nothing changed) while a bridged device has a driver
 * bound or a translated domain.
 */
int lbridge_unregister(void)
{
	int err;

	lockdep_assert_held(&lbridge_lock);
	err = lbridge_check_idle();
	if (err)
		return err;
	lbridge_units_free();
	pr_info("liommu_bridge: unregistered from the kernel's IOMMU core\n");
	return 0;
}
