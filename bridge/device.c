// SPDX-License-Identifier: GPL-2.0
/*
 * The devices the kernel's IOMMU core takes through the bridge, and their
 * groups.
 *
 * probe_device: a device is the bridge's when a bridged liommu unit
 * translates it and no driver is bound to it.  A device whose driver was
 * bound before the kernel's core knew it is left alone (-ENODEV): it
 * stays outside the kernel's core, on liommu's identity default domain,
 * and its driver keeps its direct DMA.  Taking it would break the
 * kernel's DMA-ownership count (the driver never went through
 * iommu_device_use_default_domain(), so its unbind WARNs), and only
 * unbinding and rebinding the driver could mend that.  Once such a driver
 * is unbound, the device joins at the next registration (write 0 then 1
 * to the "registered" parameter); Documentation/bridge.rst.
 *
 * The device is then marked as the kernel core's in liommu's table
 * (liommu_dev_set_kernel_owned()): API callers can no longer attach their
 * domains to its group, and a device whose group already has an API
 * caller's domain is not taken (-ENODEV, with a message).
 *
 * device_group: one kernel &struct iommu_group per liommu group, found
 * by the liommu group's id; the kernel group's iommudata release drops
 * the entry.  When the last bridged member of a group leaves, a bridge
 * domain still attached to the liommu group is detached, so that the
 * kernel can free it.
 *
 * lbridge_dev_lock guards the device list and the group table.
 */
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "bridge.h"

/**
 * struct lbridge_group - the kernel's group for one liommu group
 * @kgroup: the kernel's group (the bridge holds no reference: the
 *	kernel's devices do; its release callback clears this entry)
 * @id: the liommu group's id
 * @members: bridged devices in it
 */
struct lbridge_group {
	struct iommu_group *kgroup;
	int id;
	unsigned int members;
};

/**
 * struct lbridge_dev - a device the kernel's core took through the bridge
 * @dev: the device
 * @bu: its unit
 * @group: its group, once device_group ran
 * @node: in lbridge_devs
 */
struct lbridge_dev {
	struct device *dev;
	struct lbridge_unit *bu;
	struct lbridge_group *group;
	struct list_head node;
};

static DEFINE_MUTEX(lbridge_dev_lock);
static LIST_HEAD(lbridge_devs);
static DEFINE_XARRAY(lbridge_groups);

static struct lbridge_dev *lbridge_dev_find(struct device *dev)
{
	struct lbridge_dev *bdev;

	lockdep_assert_held(&lbridge_dev_lock);
	list_for_each_entry(bdev, &lbridge_devs, node)
		if (bdev->dev == dev)
			return bdev;
	return NULL;
}

struct iommu_device *lbridge_probe_device(struct device *dev)
{
	struct lbridge_unit *bu = lbridge_unit_of(dev);
	struct lbridge_dev *bdev;
	int err;

	/* A unit not registered yet takes its devices when it registers. */
	if (!bu || !READ_ONCE(bu->iommu.ops))
		return ERR_PTR(-ENODEV);
	if (READ_ONCE(dev->driver)) {
		dev_info(dev, "liommu_bridge: driver %s bound before the bridge: left on direct DMA, outside the kernel's IOMMU core\n",
			 dev->driver->name);
		return ERR_PTR(-ENODEV);
	}
	bdev = kzalloc(sizeof(*bdev), GFP_KERNEL);
	if (!bdev)
		return ERR_PTR(-ENOMEM);
	err = liommu_dev_set_kernel_owned(dev, true);
	if (err) {
		kfree(bdev);
		/* -ENODEV: the kernel's core goes on with the other devices. */
		return ERR_PTR(-ENODEV);
	}
	bdev->dev = dev;
	bdev->bu = bu;
	mutex_lock(&lbridge_dev_lock);
	list_add_tail(&bdev->node, &lbridge_devs);
	mutex_unlock(&lbridge_dev_lock);
	return &bu->iommu;
}

void lbridge_release_device(struct device *dev)
{
	struct liommu_group *lgroup;
	struct liommu_domain *cur;
	struct lbridge_dev *bdev;
	bool last = false;

	mutex_lock(&lbridge_dev_lock);
	bdev = lbridge_dev_find(dev);
	if (bdev) {
		list_del(&bdev->node);
		if (bdev->group)
			last = !--bdev->group->members;
	}
	mutex_unlock(&lbridge_dev_lock);
	if (!bdev)
		return;
	cur = liommu_get_domain_for_dev(dev);
	lgroup = liommu_group_get(dev);
	if (last && cur && lgroup && (cur->flags & LIOMMU_DOMAIN_F_KERNEL_CORE))
		liommu_detach_group(cur, lgroup);
	liommu_group_put(lgroup);
	liommu_dev_set_kernel_owned(dev, false);
	kfree(bdev);
}

static void lbridge_group_release(void *data)
{
	struct lbridge_group *bgroup = data;

	mutex_lock(&lbridge_dev_lock);
	xa_erase(&lbridge_groups, bgroup->id);
	mutex_unlock(&lbridge_dev_lock);
	kfree(bgroup);
}

struct iommu_group *lbridge_device_group(struct device *dev)
{
	struct iommu_group *kgroup = NULL;
	struct lbridge_group *bgroup;
	struct liommu_group *lgroup;
	struct lbridge_dev *bdev;
	int id, err = 0;

	lgroup = liommu_group_get(dev);
	if (!lgroup)
		return ERR_PTR(-ENODEV);
	id = liommu_group_id(lgroup);
	liommu_group_put(lgroup);

	mutex_lock(&lbridge_dev_lock);
	bdev = lbridge_dev_find(dev);
	if (!bdev) {
		err = -ENODEV;
		goto out_unlock;
	}
	bgroup = xa_load(&lbridge_groups, id);
	if (bgroup) {
		kgroup = iommu_group_ref_get(bgroup->kgroup);
	} else {
		bgroup = kzalloc(sizeof(*bgroup), GFP_KERNEL);
		if (!bgroup) {
			err = -ENOMEM;
			goto out_unlock;
		}
		kgroup = iommu_group_alloc();
		if (IS_ERR(kgroup)) {
			err = PTR_ERR(kgroup);
			kfree(bgroup);
			goto out_unlock;
		}
		bgroup->kgroup = kgroup;
		bgroup->id = id;
		err = xa_err(xa_store(&lbridge_groups, id, bgroup, GFP_KERNEL));
		if (err) {
			kfree(bgroup);
			iommu_group_put(kgroup);
			goto out_unlock;
		}
		iommu_group_set_iommudata(kgroup, bgroup, lbridge_group_release);
	}
	bgroup->members++;
	bdev->group = bgroup;
out_unlock:
	mutex_unlock(&lbridge_dev_lock);
	return err ? ERR_PTR(err) : kgroup;
}

/**
 * lbridge_unit_empty() - the unit's empty paging domain
 * @bu: the unit
 * @dev: a device of the unit, to allocate it with
 *
 * Context: process context.
 * Return: the domain, or an ERR_PTR of liommu_paging_domain_alloc().
 */
struct liommu_domain *lbridge_unit_empty(struct lbridge_unit *bu,
					 struct device *dev)
{
	struct liommu_domain *ld;

	mutex_lock(&lbridge_dev_lock);
	ld = bu->empty;
	if (!ld) {
		ld = liommu_paging_domain_alloc(dev);
		if (!IS_ERR(ld)) {
			ld->flags |= LIOMMU_DOMAIN_F_KERNEL_CORE;
			bu->empty = ld;
		}
	}
	mutex_unlock(&lbridge_dev_lock);
	return ld;
}

/* The reserved ranges of the unit's paging domains for @dev. */
void lbridge_get_resv_regions(struct device *dev, struct list_head *head)
{
	struct lbridge_unit *bu = lbridge_unit_of(dev);
	struct iommu_resv_region *region;
	struct liommu_domain *ld;
	unsigned int i;

	if (!bu)
		return;
	ld = liommu_get_domain_for_dev(dev);
	if (!ld || !(ld->flags & LIOMMU_DOMAIN_F_KERNEL_CORE))
		ld = lbridge_unit_empty(bu, dev);
	if (IS_ERR(ld))
		return;
	for (i = 0; i < ld->nr_resv && i < LIOMMU_MAX_RESV; i++) {
		const struct liommu_resv_region *r = &ld->resv[i];
		bool msi = r->type == LIOMMU_RESV_MSI;

		region = iommu_alloc_resv_region(r->start, r->last - r->start + 1,
				msi ? IOMMU_WRITE | IOMMU_MMIO : 0,
				msi ? IOMMU_RESV_MSI : IOMMU_RESV_RESERVED,
				GFP_KERNEL);
		if (!region)
			return;
		list_add_tail(&region->list, head);
	}
}

/**
 * lbridge_check_idle() - may the bridge leave the kernel's IOMMU core now?
 *
 * Context: process context, lbridge_lock held.
 * Return: 0 when no bridged device has a driver bound or a domain other
 * than identity; -EBUSY (and a message naming the first one) otherwise.
 */
int lbridge_check_idle(void)
{
	struct lbridge_dev *bdev;
	struct liommu_domain *ld;
	int err = 0;

	mutex_lock(&lbridge_dev_lock);
	list_for_each_entry(bdev, &lbridge_devs, node) {
		if (READ_ONCE(bdev->dev->driver)) {
			dev_err(bdev->dev, "liommu_bridge: unregister refused: driver %s is bound (unbind it first)\n",
				bdev->dev->driver->name);
			err = -EBUSY;
			break;
		}
		ld = liommu_get_domain_for_dev(bdev->dev);
		if (ld && (ld->flags & LIOMMU_DOMAIN_F_KERNEL_CORE)) {
			dev_err(bdev->dev, "liommu_bridge: unregister refused: its group has a translated domain (write identity to its iommu_group/type first)\n");
			err = -EBUSY;
			break;
		}
	}
	mutex_unlock(&lbridge_dev_lock);
	return err;
}

/* debugfs "devices": one line per bridged device. */
void lbridge_show_devices(struct seq_file *m)
{
	struct lbridge_dev *bdev;
	struct liommu_domain *ld;

	mutex_lock(&lbridge_dev_lock);
	list_for_each_entry(bdev, &lbridge_devs, node) {
		ld = liommu_get_domain_for_dev(bdev->dev);
		seq_printf(m, "%s unit=%s group=%d domain=%s driver=%s\n",
			   dev_name(bdev->dev), bdev->bu->unit->name,
			   bdev->group ? bdev->group->id : -1,
			   !ld ? "none" :
			   (ld->flags & LIOMMU_DOMAIN_F_KERNEL_CORE) ?
			   (ld == bdev->bu->empty ? "blocked" : "paging") :
			   ld->type == LIOMMU_DOMAIN_IDENTITY ? "identity" :
			   "default",
			   bdev->dev->driver ? bdev->dev->driver->name : "-");
	}
	mutex_unlock(&lbridge_dev_lock);
}
