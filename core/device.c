// SPDX-License-Identifier: GPL-2.0
/*
 * Per-device state: the core's own table from &struct device to
 * &struct liommu_dev (never dev->iommu), probe and release through the
 * vendor's ops, and the bus notifiers that follow hot-add and removal.
 *
 * Locks (see priv.h for the order):
 *  liommu_table_lock: the unit list and the life of every state — probe,
 *	release and the fields @iommu, @group, @priv are written under it.
 *  liommu_dev_hash_lock (spinlock, innermost): the hash table only, so
 *	that liommu_dev_find() works from any context and under a group
 *	mutex.  A state found is valid while its device stays probed: API
 *	callers keep their device present (a bound driver) while they use it.
 */
#include <linux/hashtable.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/spinlock.h>

#include "priv.h"

DEFINE_MUTEX(liommu_table_lock);
LIST_HEAD(liommu_iommus);

static DEFINE_SPINLOCK(liommu_dev_hash_lock);
static DEFINE_HASHTABLE(liommu_dev_table, 6);

struct liommu_dev *liommu_dev_find(struct device *dev)
{
	struct liommu_dev *ldev, *found = NULL;
	unsigned long flags;

	spin_lock_irqsave(&liommu_dev_hash_lock, flags);
	hash_for_each_possible(liommu_dev_table, ldev, hnode, (unsigned long)dev) {
		if (ldev->dev == dev) {
			found = ldev;
			break;
		}
	}
	spin_unlock_irqrestore(&liommu_dev_hash_lock, flags);
	return found;
}

static void liommu_dev_hash_add(struct liommu_dev *ldev)
{
	unsigned long flags;

	spin_lock_irqsave(&liommu_dev_hash_lock, flags);
	hash_add(liommu_dev_table, &ldev->hnode, (unsigned long)ldev->dev);
	spin_unlock_irqrestore(&liommu_dev_hash_lock, flags);
}

static void liommu_dev_hash_del(struct liommu_dev *ldev)
{
	unsigned long flags;

	spin_lock_irqsave(&liommu_dev_hash_lock, flags);
	hash_del(&ldev->hnode);
	spin_unlock_irqrestore(&liommu_dev_hash_lock, flags);
}

/* Offer @dev to @iommu.  0: claimed; -ENODEV: not its; else an error. */
static int liommu_probe_with(struct liommu_device *iommu, struct device *dev)
{
	struct liommu_group *group;
	struct liommu_device *claimed;
	struct liommu_dev *ldev;
	int err;

	lockdep_assert_held(&liommu_table_lock);
	ldev = liommu_kzalloc(sizeof(*ldev), GFP_KERNEL);
	if (!ldev)
		return -ENOMEM;
	ldev->dev = get_device(dev);
	INIT_LIST_HEAD(&ldev->group_node);
	xa_init(&ldev->pasid_domains);
	/* Visible before probe_device, for liommu_dev_set_priv(). */
	liommu_dev_hash_add(ldev);

	claimed = iommu->ops->probe_device(dev);
	if (IS_ERR_OR_NULL(claimed)) {
		err = claimed ? PTR_ERR(claimed) : -ENODEV;
		goto err_unhash;
	}
	if (claimed != iommu) {
		err = -EINVAL;
		goto err_release;
	}
	ldev->iommu = iommu;
	ldev->pasid_bits = liommu_pasid_dev_width(iommu, dev);

	group = iommu->ops->device_group ? iommu->ops->device_group(dev) :
					   liommu_generic_device_group(dev);
	if (IS_ERR(group)) {
		err = PTR_ERR(group);
		goto err_release;
	}
	err = liommu_group_add_dev(group, ldev);
	if (err)
		goto err_put_group;
	liommu_stat_inc(LIOMMU_STAT_DEVICES);
	return 0;

err_put_group:
	liommu_group_put(group);
err_release:
	if (iommu->ops->release_device)
		iommu->ops->release_device(dev);
err_unhash:
	liommu_dev_hash_del(ldev);
	xa_destroy(&ldev->pasid_domains);
	put_device(dev);
	liommu_kfree(ldev);
	return err;
}

static void __liommu_release_device(struct liommu_dev *ldev)
{
	struct liommu_group *group = ldev->group;
	struct device *dev = ldev->dev;

	lockdep_assert_held(&liommu_table_lock);
	liommu_aux_release_dev(ldev->dev);
	liommu_pasid_release_dev(ldev);
	liommu_group_del_dev(ldev);
	if (ldev->iommu->ops->release_device)
		ldev->iommu->ops->release_device(dev);
	liommu_dev_hash_del(ldev);
	liommu_iopf_release_dev(ldev->iommu);
	xa_destroy(&ldev->pasid_domains);
	liommu_group_put(group);
	put_device(dev);
	liommu_kfree(ldev);
	liommu_stat_dec(LIOMMU_STAT_DEVICES);
}

/* Offer @dev to every registered unit until one claims it. */
int liommu_probe_device(struct device *dev)
{
	struct liommu_device *iommu;
	int err = -ENODEV;

	mutex_lock(&liommu_table_lock);
	if (liommu_dev_find(dev)) {
		err = 0;
		goto out_unlock;
	}
	list_for_each_entry(iommu, &liommu_iommus, node) {
		err = liommu_probe_with(iommu, dev);
		if (err != -ENODEV)
			break;
	}
out_unlock:
	mutex_unlock(&liommu_table_lock);
	if (err && err != -ENODEV)
		dev_warn(dev, "liommu: probe failed: %d\n", err);
	return err;
}

int liommu_probe_device_with(struct liommu_device *iommu, struct device *dev)
{
	int err;

	lockdep_assert_held(&liommu_table_lock);
	if (liommu_dev_find(dev))
		return 0;
	err = liommu_probe_with(iommu, dev);
	if (err && err != -ENODEV)
		dev_warn(dev, "liommu: %s: probe failed: %d\n", iommu->name,
			 err);
	return err;
}

void liommu_release_device(struct device *dev)
{
	struct liommu_dev *ldev;

	mutex_lock(&liommu_table_lock);
	ldev = liommu_dev_find(dev);
	if (ldev)
		__liommu_release_device(ldev);
	mutex_unlock(&liommu_table_lock);
}

/* Release every device that @iommu translates. */
void liommu_release_iommu_devices(struct liommu_device *iommu)
{
	struct liommu_dev *ldev;
	struct hlist_node *tmp;
	unsigned int bkt;

	lockdep_assert_held(&liommu_table_lock);
	/* Only this function and probe change the table: both hold the mutex. */
	hash_for_each_safe(liommu_dev_table, bkt, tmp, ldev, hnode)
		if (ldev->iommu == iommu)
			__liommu_release_device(ldev);
}

/*
 * Call @fn on every probed state (debugfs.c).  The table lock keeps every
 * state whole (probe and release hold it from start to end).
 */
void liommu_for_each_dev(void (*fn)(struct liommu_dev *ldev, void *data),
			 void *data)
{
	struct liommu_dev *ldev;
	unsigned int bkt;

	lockdep_assert_held(&liommu_table_lock);
	hash_for_each(liommu_dev_table, bkt, ldev, hnode)
		if (ldev->iommu && ldev->group)
			fn(ldev, data);
}

/* Some probed device on @bus, for the legacy liommu_domain_alloc(bus). */
struct liommu_dev *liommu_dev_first_on_bus(const struct bus_type *bus)
{
	struct liommu_dev *ldev;
	unsigned int bkt;

	lockdep_assert_held(&liommu_table_lock);
	hash_for_each(liommu_dev_table, bkt, ldev, hnode)
		if (ldev->iommu && ldev->dev->bus == bus)
			return ldev;
	return NULL;
}

/**
 * liommu_dev_set_priv() - keep vendor data with a device
 * @dev: the device being probed
 * @priv: the data
 *
 * liommu_dev_set_priv() is upstream's dev_iommu_priv_set(); the data lives
 * in the core's table, not in dev->iommu.
 *
 * Context: from liommu_ops.probe_device (the table lock is held).
 * Return: 0, or -ENODEV when @dev is not being probed.
 */
int liommu_dev_set_priv(struct device *dev, void *priv)
{
	struct liommu_dev *ldev;

	lockdep_assert_held(&liommu_table_lock);
	ldev = liommu_dev_find(dev);
	if (!ldev)
		return -ENODEV;
	ldev->priv = priv;
	return 0;
}
LIOMMU_EXPORT(liommu_dev_set_priv);

/**
 * liommu_dev_get_priv() - the vendor data of a device
 * @dev: a probed device
 *
 * liommu_dev_get_priv() is upstream's dev_iommu_priv_get().
 *
 * Context: any; @dev stays probed while the caller uses it.
 * Return: the data, NULL when @dev is not probed.
 */
void *liommu_dev_get_priv(struct device *dev)
{
	struct liommu_dev *ldev = liommu_dev_find(dev);

	return ldev ? ldev->priv : NULL;
}
LIOMMU_EXPORT(liommu_dev_get_priv);

/**
 * liommu_dev_pasid_bits() - the PASID width of a device
 * @dev: a probed device
 *
 * Stands for upstream's dev->iommu->max_pasids (as a width).
 *
 * Return: bits (0: no PASID), 0 when @dev is not probed.
 */
unsigned int liommu_dev_pasid_bits(struct device *dev)
{
	struct liommu_dev *ldev = liommu_dev_find(dev);

	return ldev ? ldev->pasid_bits : 0;
}
LIOMMU_EXPORT(liommu_dev_pasid_bits);

static int liommu_bus_notify(struct notifier_block *nb, unsigned long action,
			     void *data)
{
	struct device *dev = data;

	switch (action) {
	case BUS_NOTIFY_ADD_DEVICE:
		liommu_probe_device(dev);
		break;
	case BUS_NOTIFY_REMOVED_DEVICE:
		liommu_release_device(dev);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block liommu_pci_nb = {
	.notifier_call = liommu_bus_notify,
};

static struct notifier_block liommu_platform_nb = {
	.notifier_call = liommu_bus_notify,
};

int liommu_bus_notifiers_init(void)
{
	int err;

	err = bus_register_notifier(&pci_bus_type, &liommu_pci_nb);
	if (err)
		return err;
	err = bus_register_notifier(&platform_bus_type, &liommu_platform_nb);
	if (err)
		goto err_unregister_pci;
	return 0;

err_unregister_pci:
	bus_unregister_notifier(&pci_bus_type, &liommu_pci_nb);
	return err;
}

void liommu_bus_notifiers_exit(void)
{
	bus_unregister_notifier(&platform_bus_type, &liommu_platform_nb);
	bus_unregister_notifier(&pci_bus_type, &liommu_pci_nb);
}

/* The group of a device of @iommu with PCI key @key, referenced, or NULL. */
struct liommu_group *liommu_group_find_by_pci_key(struct liommu_device *iommu,
						  struct pci_dev *key)
{
	struct liommu_dev *ldev;
	unsigned int bkt;

	lockdep_assert_held(&liommu_table_lock);
	hash_for_each(liommu_dev_table, bkt, ldev, hnode)
		if (ldev->iommu == iommu && ldev->group && ldev->pci_key == key)
			return liommu_group_ref(ldev->group);
	return NULL;
}
