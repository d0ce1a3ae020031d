// SPDX-License-Identifier: GPL-2.0
/*
 * Per-device state: the core's own table from &struct device to
 * &struct liommu_dev (never dev->iommu), probe and release through the
 * vendor's ops, and the bus notifiers that follow hot-add and removal.
 *
 * Locks (see priv.h for the order):
 *  liommu_table_lock: the unit list and the life of every state — probe,
 *	release and the fields @iommu, @group, @priv are written under it.
 *	liommu_dev_find() is for its holders only.
 *  liommu_dev_hash_lock (spinlock): the hash table and each state's
 *	@live flag, so that liommu_dev_get() works from any context and
 *	under a group mutex.
 *
 * References: a state is a kref.  The table holds one from the end of a
 * successful probe to release; liommu_dev_get() gives the caller another,
 * which keeps the state's memory, its &struct device and its group
 * allocated until liommu_dev_put().  Release clears @live under the group
 * mutex: a caller that found the state takes that mutex and checks @live
 * before it uses the state's unit or its group's domains, so a release
 * that ran in between is seen (-ENODEV), never used after free.
 *
 * A state being probed is not in the table: the vendor's probe_device
 * and its device_group reach it through liommu_dev_find(),
 * liommu_dev_set_priv() and liommu_dev_get_priv(), which answer the
 * probing task's own state first.  So a device has at most one state in
 * the table, and a second unit that claims a device another unit
 * translates is refused with a message (liommu_probe_device_with()).
 *
 * One owner per device: the running kernel's IOMMU core (through the
 * bridge, bridge/) or callers of the liommu API, never both.  The bridge
 * marks a device when the kernel's core takes it
 * (liommu_dev_set_kernel_owned()) and clears the mark when it lets it go.
 * The mark is refused (-EBUSY) while an API caller has a domain attached
 * to the device's group; and while a member of a group is marked, the
 * core refuses to attach (or replace with) any domain that the bridge did
 * not allocate (LIOMMU_DOMAIN_F_KERNEL_CORE): -EBUSY with a message
 * (liommu_group_check_owner(), called by group.c's attach checks).  The
 * mark is written and read under the group mutex, so a check and the
 * attach it guards see the same owner.
 */
#include <linux/hashtable.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "priv.h"

DEFINE_MUTEX(liommu_table_lock);
LIST_HEAD(liommu_iommus);

static DEFINE_SPINLOCK(liommu_dev_hash_lock);
static DEFINE_HASHTABLE(liommu_dev_table, 6);

/*
 * The state a probe is filling in, and the task doing it (written under
 * the table lock: the task first, the state last when it ends).
 */
static struct liommu_dev *liommu_probing;
static struct task_struct *liommu_probing_task;

/* The state the current task is probing, if it is @dev's. */
static struct liommu_dev *liommu_dev_probing(struct device *dev)
{
	struct liommu_dev *ldev;

	/* Only the probing task itself sees its own state: stable for it. */
	if (READ_ONCE(liommu_probing_task) != current)
		return NULL;
	ldev = READ_ONCE(liommu_probing);
	return ldev && ldev->dev == dev ? ldev : NULL;
}

/* The state of @dev in the table (live or being released); hash lock. */
static struct liommu_dev *__liommu_dev_lookup(struct device *dev)
{
	struct liommu_dev *ldev;

	lockdep_assert_held(&liommu_dev_hash_lock);
	hash_for_each_possible(liommu_dev_table, ldev, hnode, (unsigned long)dev)
		if (ldev->dev == dev)
			return ldev;
	return NULL;
}

/*
 * The state of @dev: the one being probed by this task, or the one in the
 * table.  Only for holders of the table lock, which keeps it alive.
 */
struct liommu_dev *liommu_dev_find(struct device *dev)
{
	struct liommu_dev *ldev;
	unsigned long flags;

	lockdep_assert_held(&liommu_table_lock);
	ldev = liommu_dev_probing(dev);
	if (ldev)
		return ldev;
	spin_lock_irqsave(&liommu_dev_hash_lock, flags);
	ldev = __liommu_dev_lookup(dev);
	spin_unlock_irqrestore(&liommu_dev_hash_lock, flags);
	return ldev;
}

/* The published state of @dev, or NULL; the hash lock held. */
static struct liommu_dev *liommu_dev_live_locked(struct device *dev)
{
	struct liommu_dev *ldev = __liommu_dev_lookup(dev);

	return ldev && ldev->live ? ldev : NULL;
}

/**
 * liommu_dev_get() - the live state of a device, with a reference
 * @dev: the device, or NULL/ERR_PTR
 *
 * Context: any.
 * Return: the state (drop it with liommu_dev_put()), or NULL when no unit
 * translates @dev.
 */
struct liommu_dev *liommu_dev_get(struct device *dev)
{
	struct liommu_dev *ldev;
	unsigned long flags;

	if (IS_ERR_OR_NULL(dev))
		return NULL;
	spin_lock_irqsave(&liommu_dev_hash_lock, flags);
	ldev = liommu_dev_live_locked(dev);
	if (ldev)
		kref_get(&ldev->kref);
	spin_unlock_irqrestore(&liommu_dev_hash_lock, flags);
	return ldev;
}

/*
 * The unit that translates @dev, or NULL: for callers in any context
 * that need no more of the state (fault reports from the unit's own
 * driver, which keeps the unit registered meanwhile).
 */
struct liommu_device *liommu_dev_unit(struct device *dev)
{
	struct liommu_device *unit = NULL;
	struct liommu_dev *ldev;
	unsigned long flags;

	if (IS_ERR_OR_NULL(dev))
		return NULL;
	spin_lock_irqsave(&liommu_dev_hash_lock, flags);
	ldev = liommu_dev_live_locked(dev);
	if (ldev)
		unit = ldev->iommu;
	spin_unlock_irqrestore(&liommu_dev_hash_lock, flags);
	return unit;
}

static void liommu_dev_free(struct kref *kref)
{
	struct liommu_dev *ldev = container_of(kref, struct liommu_dev, kref);

	xa_destroy(&ldev->pasid_domains);
	liommu_group_put(ldev->group);
	put_device(ldev->dev);
	liommu_kfree(ldev);
}

void liommu_dev_put(struct liommu_dev *ldev)
{
	if (ldev)
		kref_put(&ldev->kref, liommu_dev_free);
}

/* Does a unit translate @dev now? */
bool liommu_dev_probed(struct device *dev)
{
	struct liommu_dev *ldev = liommu_dev_get(dev);

	liommu_dev_put(ldev);
	return ldev;
}

/* Publish or retract a state; its group mutex held (group.c). */
void liommu_dev_set_live(struct liommu_dev *ldev, bool live)
{
	unsigned long flags;

	lockdep_assert_held(&ldev->group->mutex);
	spin_lock_irqsave(&liommu_dev_hash_lock, flags);
	ldev->live = live;
	spin_unlock_irqrestore(&liommu_dev_hash_lock, flags);
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

static void liommu_probing_set(struct liommu_dev *ldev)
{
	lockdep_assert_held(&liommu_table_lock);
	if (ldev) {
		WRITE_ONCE(liommu_probing, ldev);
		WRITE_ONCE(liommu_probing_task, current);
	} else {
		WRITE_ONCE(liommu_probing_task, NULL);
		WRITE_ONCE(liommu_probing, NULL);
	}
}

/*
 * Offer @dev to @iommu.  0: claimed; -ENODEV: not its; -EBUSY: it claims
 * a device that @owner (another unit) translates already; else an error.
 */
static int liommu_probe_with(struct liommu_device *iommu, struct device *dev,
			     struct liommu_device *owner)
{
	struct liommu_group *group;
	struct liommu_device *claimed;
	struct liommu_dev *ldev;
	int err;

	lockdep_assert_held(&liommu_table_lock);
	ldev = liommu_kzalloc(sizeof(*ldev), GFP_KERNEL);
	if (!ldev)
		return -ENOMEM;
	kref_init(&ldev->kref);
	ldev->dev = get_device(dev);
	INIT_LIST_HEAD(&ldev->group_node);
	xa_init(&ldev->pasid_domains);
	/* Found by liommu_dev_set_priv() from probe_device. */
	liommu_probing_set(ldev);

	claimed = iommu->ops->probe_device(dev);
	if (IS_ERR_OR_NULL(claimed)) {
		err = claimed ? PTR_ERR(claimed) : -ENODEV;
		goto err_free;
	}
	if (claimed != iommu) {
		err = owner ? -ENODEV : -EINVAL;
		goto err_release;
	}
	if (owner) {
		dev_err(dev, "liommu: unit %s claims this device, which unit %s translates already; refused\n",
			iommu->name, owner->name);
		err = -EBUSY;
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
	liommu_dev_hash_add(ldev);
	liommu_probing_set(NULL);
	liommu_stat_inc(LIOMMU_STAT_DEVICES);
	return 0;

err_put_group:
	liommu_group_put(group);
err_release:
	if (iommu->ops->release_device)
		iommu->ops->release_device(dev);
err_free:
	liommu_probing_set(NULL);
	liommu_dev_put(ldev);
	return err;
}

static void __liommu_release_device(struct liommu_dev *ldev)
{
	struct device *dev = ldev->dev;

	lockdep_assert_held(&liommu_table_lock);
	liommu_aux_release_dev(ldev->dev);
	liommu_pasid_release_dev(ldev);
	/* Not live from here on; back on its group's default domain. */
	liommu_group_del_dev(ldev);
	if (ldev->iommu->ops->release_device)
		ldev->iommu->ops->release_device(dev);
	liommu_dev_hash_del(ldev);
	liommu_iopf_release_dev(ldev->iommu);
	liommu_stat_dec(LIOMMU_STAT_DEVICES);
	/* The table's reference; callers that hold one free it later. */
	liommu_dev_put(ldev);
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
		err = liommu_probe_with(iommu, dev, NULL);
		if (err != -ENODEV)
			break;
	}
out_unlock:
	mutex_unlock(&liommu_table_lock);
	if (err && err != -ENODEV)
		dev_warn(dev, "liommu: probe failed: %d\n", err);
	return err;
}

/*
 * Offer @dev to a unit that is registering.  A device that another unit
 * translates is offered too, so that a unit claiming it is refused with
 * a message instead of silently going without it.
 */
int liommu_probe_device_with(struct liommu_device *iommu, struct device *dev)
{
	struct liommu_dev *owner;
	int err;

	lockdep_assert_held(&liommu_table_lock);
	owner = liommu_dev_find(dev);
	if (owner && owner->iommu == iommu)
		return 0;
	err = liommu_probe_with(iommu, dev, owner ? owner->iommu : NULL);
	if (err && err != -ENODEV && err != -EBUSY)
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
 * @dev: a probed device (or one the caller's probe_device is probing)
 *
 * liommu_dev_get_priv() is upstream's dev_iommu_priv_get().
 *
 * Context: any; @dev stays probed while the caller uses the data.
 * Return: the data, NULL when @dev is not probed.
 */
void *liommu_dev_get_priv(struct device *dev)
{
	struct liommu_dev *ldev = liommu_dev_probing(dev);
	unsigned long flags;
	void *priv;

	if (ldev)
		return ldev->priv;
	spin_lock_irqsave(&liommu_dev_hash_lock, flags);
	ldev = __liommu_dev_lookup(dev);
	priv = ldev ? ldev->priv : NULL;
	spin_unlock_irqrestore(&liommu_dev_hash_lock, flags);
	return priv;
}
LIOMMU_EXPORT(liommu_dev_get_priv);

/**
 * liommu_dev_pasid_bits() - the PASID width of a device
 * @dev: a probed device
 *
 * Stands for upstream's dev->iommu->max_pasids (as a width).
 *
 * Context: any.
 * Return: bits (0: no PASID), 0 when @dev is not probed.
 */
unsigned int liommu_dev_pasid_bits(struct device *dev)
{
	struct liommu_dev *ldev = liommu_dev_get(dev);
	unsigned int bits = ldev ? ldev->pasid_bits : 0;

	liommu_dev_put(ldev);
	return bits;
}
LIOMMU_EXPORT(liommu_dev_pasid_bits);

/**
 * liommu_dev_hw_info() - what the unit that translates a device is
 * @dev: a probed device
 * @length: set to the size of the data (0 when there is none)
 * @type: set to its &enum liommu_hw_info_type
 *
 * liommu_dev_hw_info() stands for upstream's dev_iommu_ops(dev)->hw_info()
 * as iommufd's IOMMU_GET_HW_INFO calls it.  A vendor without a hw_info op
 * has nothing to say: NULL, *@length 0, type LIOMMU_HW_INFO_TYPE_NONE.
 *
 * Context: process context.
 * Return: the vendor's data (include/liommu/hw_info.h), kmalloc()ed: the
 * caller kfree()s it; NULL when there is none; ERR_PTR(-EINVAL) for NULL
 * arguments, ERR_PTR(-ENODEV) when @dev is not probed (or a vendor
 * claims type NONE), or the vendor's error.
 */
void *liommu_dev_hw_info(struct device *dev, u32 *length, u32 *type)
{
	struct liommu_dev *ldev;
	void *data = NULL;

	if (IS_ERR_OR_NULL(dev) || !length || !type)
		return ERR_PTR(-EINVAL);
	*length = 0;
	*type = LIOMMU_HW_INFO_TYPE_NONE;
	ldev = liommu_dev_get(dev);
	if (!ldev)
		return ERR_PTR(-ENODEV);
	if (ldev->iommu->ops->hw_info) {
		data = ldev->iommu->ops->hw_info(dev, length, type);
		if (!IS_ERR_OR_NULL(data) &&
		    WARN_ON_ONCE(*type == LIOMMU_HW_INFO_TYPE_NONE)) {
			kfree(data);
			data = ERR_PTR(-ENODEV);
		}
		if (IS_ERR_OR_NULL(data)) {
			*length = 0;
			*type = LIOMMU_HW_INFO_TYPE_NONE;
		}
	}
	liommu_dev_put(ldev);
	return data;
}
LIOMMU_EXPORT(liommu_dev_hw_info);

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

/*
 * May @domain be attached to @group?  Not when a member is driven by the
 * kernel's IOMMU core and @domain is an API caller's; group mutex held.
 */
int liommu_group_check_owner(struct liommu_group *group,
			     struct liommu_domain *domain)
{
	struct liommu_dev *ldev;

	lockdep_assert_held(&group->mutex);
	if (domain->flags & LIOMMU_DOMAIN_F_KERNEL_CORE)
		return 0;
	list_for_each_entry(ldev, &group->devices, group_node) {
		if (ldev->kernel_owned) {
			dev_err_ratelimited(ldev->dev,
					    "liommu: attach: the kernel's IOMMU core drives this device (liommu_bridge); unbind it there first\n");
			return -EBUSY;
		}
	}
	return 0;
}

/**
 * liommu_dev_set_kernel_owned() - hand a device to the kernel's IOMMU core
 * @dev: a probed device
 * @owned: true when the kernel's core takes it, false when it lets it go
 *
 * Used by the bridge (bridge/) only.  While the mark is set, API callers
 * cannot attach their domains to the device's group (-EBUSY).
 *
 * Context: process context; takes the group mutex.
 * Return: 0; -ENODEV when no unit translates @dev; -EBUSY (and a message)
 * when @owned and an API caller's domain is attached to its group.
 */
int liommu_dev_set_kernel_owned(struct device *dev, bool owned)
{
	struct liommu_group *group;
	struct liommu_dev *ldev;
	int err = 0;

	ldev = liommu_dev_get(dev);
	if (!ldev)
		return -ENODEV;
	group = ldev->group;
	mutex_lock(&group->mutex);
	if (!ldev->live) {
		err = -ENODEV;
	} else if (owned && group->owned && group->domain &&
		   !(group->domain->flags & LIOMMU_DOMAIN_F_KERNEL_CORE)) {
		dev_info(dev, "liommu: a liommu API caller has a domain attached to group %d: not handed to the kernel's IOMMU core\n",
			 group->id);
		err = -EBUSY;
	} else {
		ldev->kernel_owned = owned;
	}
	mutex_unlock(&group->mutex);
	liommu_dev_put(ldev);
	return err;
}
LIOMMU_EXPORT(liommu_dev_set_kernel_owned);

/**
 * liommu_dev_kernel_owned() - does the kernel's IOMMU core drive a device?
 * @dev: the device
 *
 * Context: any.
 * Return: true while the bridge has handed @dev to the kernel's core.
 */
bool liommu_dev_kernel_owned(struct device *dev)
{
	struct liommu_dev *ldev = liommu_dev_get(dev);
	bool owned = ldev && READ_ONCE(ldev->kernel_owned);

	liommu_dev_put(ldev);
	return owned;
}
LIOMMU_EXPORT(liommu_dev_kernel_owned);
