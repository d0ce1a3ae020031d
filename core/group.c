// SPDX-License-Identifier: GPL-2.0
/*
 * Groups (&struct liommu_group, defined in priv.h) and attaching domains
 * to them.
 *
 * A group is the unit of isolation: its members always use the same
 * domain.  A new group starts in the unit's default domain (identity if
 * the unit has one, else blocked).  Attaching through the API makes the
 * group "owned" until the matching detach, which returns it to the
 * default; a second attach while owned is -EBUSY, and
 * liommu_group_replace_domain() switches an owned group from one domain
 * to another.  Every switch goes straight from the old domain to the new
 * one (the vendor's attach_dev replaces; the core never attaches the
 * blocked domain in between).  Whether the hardware sees a window is the
 * vendor's: SMMUv3 switches in one store, VT-d must make the old entry
 * not present first (Documentation/vtd.rst).
 *
 * A member that is released leaves on the group's default domain: the
 * core attaches it there first (the vendor's entry and the core's record
 * stay in step, and the vendor's release_device finds nothing to undo),
 * and the last member to leave takes the group back to its default
 * domain, so the domain attached through the API loses this user and can
 * be freed.  A later detach of it logs that it is not attached.
 *
 * Locking: group->mutex guards the member list, the domains and each
 * member's @live flag (see priv.h for the order of locks); it is taken
 * under liommu_table_lock by probe and release, alone by the API.  A
 * domain's @users count changes with the group mutex held, under the
 * domain-table lock (liommu_domain_use(), domain_table.c).  The API finds
 * a device's state with a reference (liommu_dev_get()), which keeps the
 * state and its group allocated; under the group mutex it then checks
 * that the state is still live.
 */
#include <linux/atomic.h>
#include <linux/err.h>

#include "priv.h"

static atomic_t liommu_group_next_id = ATOMIC_INIT(0);

/**
 * liommu_group_alloc() - a new, empty group
 * @immutable_singleton: the group can never gain a second member
 *
 * liommu_group_alloc() is upstream's iommu_group_alloc(), plus the flag
 * that PASID and SVA attach will require.
 *
 * Context: process context.
 * Return: the group with one reference, or ERR_PTR(-ENOMEM).
 */
struct liommu_group *liommu_group_alloc(bool immutable_singleton)
{
	struct liommu_group *group;

	group = liommu_kzalloc(sizeof(*group), GFP_KERNEL);
	if (!group)
		return ERR_PTR(-ENOMEM);
	kref_init(&group->kref);
	mutex_init(&group->mutex);
	INIT_LIST_HEAD(&group->devices);
	group->immutable_singleton = immutable_singleton;
	group->id = atomic_inc_return(&liommu_group_next_id) - 1;
	liommu_stat_inc(LIOMMU_STAT_GROUPS);
	return group;
}
LIOMMU_EXPORT(liommu_group_alloc);

static void liommu_group_release(struct kref *kref)
{
	struct liommu_group *group = container_of(kref, struct liommu_group,
						  kref);

	if (group->domain)
		liommu_domain_unuse(group->domain);
	mutex_destroy(&group->mutex);
	liommu_kfree(group);
	liommu_stat_dec(LIOMMU_STAT_GROUPS);
}

/**
 * liommu_group_ref() - take another reference on a group
 * @group: the group
 *
 * Upstream: iommu_group_ref_get().
 *
 * Return: @group.
 */
struct liommu_group *liommu_group_ref(struct liommu_group *group)
{
	kref_get(&group->kref);
	return group;
}
LIOMMU_EXPORT(liommu_group_ref);

/**
 * liommu_group_put() - drop a reference on a group
 * @group: the group, or NULL
 *
 * liommu_group_put() is upstream's iommu_group_put().
 */
void liommu_group_put(struct liommu_group *group)
{
	if (group)
		kref_put(&group->kref, liommu_group_release);
}
LIOMMU_EXPORT(liommu_group_put);

/**
 * liommu_group_get() - the group of a device
 * @dev: the device
 *
 * liommu_group_get() is upstream's iommu_group_get().
 *
 * Context: process context.
 * Return: the group with a reference for the caller, or NULL when no
 * unit translates @dev.
 */
struct liommu_group *liommu_group_get(struct device *dev)
{
	struct liommu_dev *ldev = liommu_dev_get(dev);
	struct liommu_group *group;

	if (!ldev)
		return NULL;
	group = liommu_group_ref(ldev->group);
	liommu_dev_put(ldev);
	return group;
}
LIOMMU_EXPORT(liommu_group_get);

/**
 * liommu_generic_device_group() - a group of its own for a device
 * @dev: the device
 *
 * liommu_generic_device_group() is upstream's generic_device_group(); the
 * group is an immutable singleton.
 *
 * Return: a new group, or ERR_PTR(-ENOMEM).
 */
struct liommu_group *liommu_generic_device_group(struct device *dev)
{
	return liommu_group_alloc(true);
}
LIOMMU_EXPORT(liommu_generic_device_group);

/**
 * liommu_group_device_count() - members of a group
 * @group: the group
 *
 * Upstream: iommu_group_device_count() (internal there).
 *
 * Return: the count; 0 for a NULL or error pointer.
 */
unsigned int liommu_group_device_count(struct liommu_group *group)
{
	unsigned int n;

	if (IS_ERR_OR_NULL(group))
		return 0;
	mutex_lock(&group->mutex);
	n = group->nr_devices;
	mutex_unlock(&group->mutex);
	return n;
}
LIOMMU_EXPORT(liommu_group_device_count);

/**
 * liommu_group_is_immutable_singleton() - can the group never grow
 * @group: the group
 *
 * No upstream export; upstream's PASID attach checks the same thing.
 *
 * Return: the flag fixed at allocation; false for a NULL or error pointer.
 */
bool liommu_group_is_immutable_singleton(struct liommu_group *group)
{
	return !IS_ERR_OR_NULL(group) && group->immutable_singleton;
}
LIOMMU_EXPORT(liommu_group_is_immutable_singleton);

/**
 * liommu_group_id() - the number of a group
 * @group: the group
 *
 * liommu_group_id() is upstream's iommu_group_id().
 *
 * Return: the id; -EINVAL for a NULL or error pointer.
 */
int liommu_group_id(struct liommu_group *group)
{
	if (IS_ERR_OR_NULL(group))
		return -EINVAL;
	return group->id;
}
LIOMMU_EXPORT(liommu_group_id);

/* Add a probed device; the group's reference passes to @ldev on success. */
int liommu_group_add_dev(struct liommu_group *group, struct liommu_dev *ldev)
{
	struct liommu_domain *def;
	int err;

	lockdep_assert_held(&liommu_table_lock);
	mutex_lock(&group->mutex);
	if (group->immutable_singleton && group->nr_devices) {
		dev_err(ldev->dev,
			"liommu: group %d is an immutable singleton\n",
			group->id);
		err = -EBUSY;
		goto out_unlock;
	}
	if (group->iommu && group->iommu != ldev->iommu) {
		err = -EINVAL;
		goto out_unlock;
	}
	if (!group->domain) {
		def = ldev->iommu->identity_domain ?: ldev->iommu->blocked_domain;
		err = liommu_domain_use(def);
		if (err)
			goto out_unlock;
		group->iommu = ldev->iommu;
		group->default_domain = def;
		group->domain = def;
	}
	err = group->domain->ops->attach_dev(group->domain, ldev->dev);
	if (err)
		goto out_unlock;
	list_add_tail(&ldev->group_node, &group->devices);
	group->nr_devices++;
	ldev->group = group;
	liommu_dev_set_live(ldev, true);
out_unlock:
	mutex_unlock(&group->mutex);
	return err;
}

/*
 * Release: the member stops being live, goes back to the group's default
 * domain (so the vendor's entry and the group agree) and leaves; the
 * last one to leave takes the group back to its default domain.
 */
void liommu_group_del_dev(struct liommu_dev *ldev)
{
	struct liommu_group *group = ldev->group;
	struct liommu_domain *def = group->default_domain;
	struct liommu_domain *old;
	int err;

	lockdep_assert_held(&liommu_table_lock);
	mutex_lock(&group->mutex);
	liommu_dev_set_live(ldev, false);
	old = group->domain;
	if (old != def) {
		err = def->ops->attach_dev(def, ldev->dev);
		if (err)
			dev_err(ldev->dev, "liommu: release: cannot return to the default domain: %d\n",
				err);
	}
	list_del_init(&ldev->group_node);
	group->nr_devices--;
	if (!group->nr_devices && old != def) {
		liommu_domain_unuse(old);
		/* Static: in the table while its unit is registered. */
		if (liommu_domain_use(def))
			dev_err(ldev->dev, "liommu: release: default domain is gone\n");
		group->domain = def;
		group->owned = false;
	}
	mutex_unlock(&group->mutex);
}

/*
 * Move every member of @group to @new.  If a member refuses, the ones
 * already moved go back to the old domain, so that the group never ends
 * up split.
 */
static int __liommu_group_set_domain(struct liommu_group *group,
				     struct liommu_domain *new)
{
	struct liommu_domain *old = group->domain;
	struct liommu_dev *ldev;
	int err;

	lockdep_assert_held(&group->mutex);
	if (old == new)
		return 0;
	err = liommu_domain_use(new);
	if (err)
		return err;
	list_for_each_entry(ldev, &group->devices, group_node) {
		err = new->ops->attach_dev(new, ldev->dev);
		if (err)
			goto err_revert;
	}
	liommu_domain_unuse(old);
	group->domain = new;
	return 0;

err_revert:
	list_for_each_entry_continue_reverse(ldev, &group->devices, group_node) {
		if (old->ops->attach_dev(old, ldev->dev)) {
			struct liommu_domain *blocked = group->iommu->blocked_domain;

			dev_err(ldev->dev, "liommu: cannot return to domain, blocking\n");
			blocked->ops->attach_dev(blocked, ldev->dev);
		}
	}
	liommu_domain_unuse(new);
	return err;
}

static int liommu_check_attach(struct liommu_domain *domain,
			       struct liommu_group *group)
{
	lockdep_assert_held(&group->mutex);
	if (!group->nr_devices)
		return -ENODEV;
	switch (domain->type) {
	case LIOMMU_DOMAIN_BLOCKED:
	case LIOMMU_DOMAIN_IDENTITY:
	case LIOMMU_DOMAIN_PAGING:
	case LIOMMU_DOMAIN_NESTED:
		break;
	default:
		liommu_err_rl("attach: domain type %d is attached by PASID or not yet supported\n",
			      domain->type);
		return -EINVAL;
	}
	if (domain->iommu != group->iommu) {
		liommu_err_rl("attach: domain of unit %s, group %d of unit %s\n",
			      domain->iommu->name, group->id, group->iommu->name);
		return -EINVAL;
	}
	return liommu_group_check_owner(group, domain);
}

static int __liommu_attach_group(struct liommu_domain *domain,
				 struct liommu_group *group)
{
	int err;

	lockdep_assert_held(&group->mutex);
	err = liommu_check_attach(domain, group);
	if (err)
		return err;
	if (group->owned)
		return -EBUSY;
	err = __liommu_group_set_domain(group, domain);
	if (err)
		return err;
	group->owned = true;
	return 0;
}

static void __liommu_detach_group(struct liommu_domain *domain,
				  struct liommu_group *group)
{
	int err;

	lockdep_assert_held(&group->mutex);
	if (!group->owned || group->domain != domain) {
		liommu_err_rl("detach: group %d does not have this domain attached\n",
			      group->id);
		return;
	}
	err = __liommu_group_set_domain(group, group->default_domain);
	if (err) {
		liommu_err_rl("detach: group %d cannot return to its default domain: %d\n",
			      group->id, err);
		return;
	}
	group->owned = false;
}

/**
 * liommu_attach_group() - attach a domain to every device of a group
 * @domain: a blocked, identity or paging domain of the group's unit
 * @group: the group
 *
 * liommu_attach_group() is upstream's iommu_attach_group().  The members
 * switch from the default domain straight to @domain.
 *
 * Context: process context; takes the group mutex.
 * Return: 0; -EINVAL for a NULL or error pointer, a domain that is not
 * live (freed), a domain of another unit or a type that cannot be
 * attached this way; -ENODEV for an empty group;
 * -EBUSY when the group already has a domain attached; the vendor's error
 * (the group then stays where it was).
 */
int liommu_attach_group(struct liommu_domain *domain,
			struct liommu_group *group)
{
	int err;

	if (IS_ERR_OR_NULL(group))
		return -EINVAL;
	err = liommu_domain_check(domain, "attach");
	if (err)
		return err;
	mutex_lock(&group->mutex);
	err = __liommu_attach_group(domain, group);
	mutex_unlock(&group->mutex);
	return err;
}
LIOMMU_EXPORT(liommu_attach_group);

/**
 * liommu_detach_group() - return a group to its default domain
 * @domain: the domain attached with liommu_attach_group()
 * @group: the group
 *
 * liommu_detach_group() is upstream's iommu_detach_group().  A detach of
 * a domain that is not attached changes nothing and logs a message.
 *
 * Context: process context; takes the group mutex.
 */
void liommu_detach_group(struct liommu_domain *domain,
			 struct liommu_group *group)
{
	if (IS_ERR_OR_NULL(group) || liommu_domain_check(domain, "detach"))
		return;
	mutex_lock(&group->mutex);
	__liommu_detach_group(domain, group);
	mutex_unlock(&group->mutex);
}
LIOMMU_EXPORT(liommu_detach_group);

/**
 * liommu_group_replace_domain() - switch an attached group to another domain
 * @group: a group with a domain attached through the API
 * @domain: the new domain
 *
 * liommu_group_replace_domain() is upstream's iommu_group_replace_domain():
 * the members go from the old domain to @domain directly, never through
 * the blocked domain.  On SMMUv3 no DMA faults across the switch; on VT-d
 * the specification has the old entry made not present before the new one
 * is written, so DMA in that window faults.
 *
 * Context: process context; takes the group mutex.
 * Return: 0; -EINVAL as for liommu_attach_group() or when nothing is
 * attached; the vendor's error (the group then stays where it was).
 */
int liommu_group_replace_domain(struct liommu_group *group,
				struct liommu_domain *domain)
{
	int err;

	if (IS_ERR_OR_NULL(group))
		return -EINVAL;
	err = liommu_domain_check(domain, "replace");
	if (err)
		return err;
	mutex_lock(&group->mutex);
	err = liommu_check_attach(domain, group);
	if (!err && !group->owned)
		err = -EINVAL;
	if (!err)
		err = __liommu_group_set_domain(group, domain);
	mutex_unlock(&group->mutex);
	return err;
}
LIOMMU_EXPORT(liommu_group_replace_domain);

/**
 * liommu_attach_device() - attach a domain to a device alone in its group
 * @domain: a blocked, identity or paging domain of the device's unit
 * @dev: the device
 *
 * liommu_attach_device() is upstream's iommu_attach_device().  A device
 * that shares its group cannot be attached alone: attach the group.
 *
 * Context: process context; takes the group mutex.  Every failure
 * returns with no lock held.
 * Return: 0; -EINVAL for a NULL or error pointer or a domain that is not
 * live (freed); -ENODEV when no unit translates @dev (also when it is
 * released meanwhile); -EINVAL when @dev's group has other members, or as
 * for liommu_attach_group(); -EBUSY when a domain is attached already.
 */
int liommu_attach_device(struct liommu_domain *domain, struct device *dev)
{
	struct liommu_dev *ldev;
	struct liommu_group *group;
	int err;

	if (IS_ERR_OR_NULL(dev))
		return -EINVAL;
	err = liommu_domain_check(domain, "attach");
	if (err)
		return err;
	ldev = liommu_dev_get(dev);
	if (!ldev)
		return -ENODEV;
	group = ldev->group;
	mutex_lock(&group->mutex);
	if (!ldev->live) {
		err = -ENODEV;
		goto out_unlock;
	}
	if (group->nr_devices != 1) {
		dev_err_ratelimited(dev, "liommu: attach: group %d has %u devices; attach the group\n",
				    group->id, group->nr_devices);
		err = -EINVAL;
		goto out_unlock;
	}
	err = __liommu_attach_group(domain, group);
out_unlock:
	mutex_unlock(&group->mutex);
	liommu_dev_put(ldev);
	return err;
}
LIOMMU_EXPORT(liommu_attach_device);

/**
 * liommu_detach_device() - return a device to its default domain
 * @domain: the domain attached with liommu_attach_device()
 * @dev: the device
 *
 * liommu_detach_device() is upstream's iommu_detach_device().  A wrong
 * @domain or a shared group changes nothing and logs a message.
 *
 * Context: process context; takes the group mutex.
 */
void liommu_detach_device(struct liommu_domain *domain, struct device *dev)
{
	struct liommu_dev *ldev;
	struct liommu_group *group;

	if (IS_ERR_OR_NULL(dev) || liommu_domain_check(domain, "detach"))
		return;
	ldev = liommu_dev_get(dev);
	if (!ldev)
		return;
	group = ldev->group;
	mutex_lock(&group->mutex);
	if (!ldev->live)
		;	/* released meanwhile: it left on the default domain */
	else if (group->nr_devices != 1)
		dev_err_ratelimited(dev, "liommu: detach: group %d has %u devices; detach the group\n",
				    group->id, group->nr_devices);
	else
		__liommu_detach_group(domain, group);
	mutex_unlock(&group->mutex);
	liommu_dev_put(ldev);
}
LIOMMU_EXPORT(liommu_detach_device);

/**
 * liommu_get_domain_for_dev() - the domain a device uses now
 * @dev: the device
 *
 * liommu_get_domain_for_dev() is upstream's iommu_get_domain_for_dev().
 *
 * Context: process context; takes the group mutex.
 * Return: the domain (the default one when nothing is attached); for a
 * sub-device in a group with an aux domain (core/aux.c), that domain;
 * else NULL when no unit translates @dev.
 */
struct liommu_domain *liommu_get_domain_for_dev(struct device *dev)
{
	struct liommu_domain *domain;
	struct liommu_dev *ldev;

	if (IS_ERR_OR_NULL(dev))
		return NULL;
	ldev = liommu_dev_get(dev);
	if (!ldev)	/* a sub-device answers its group's aux domain */
		return liommu_aux_get_domain_for_dev(dev);
	mutex_lock(&ldev->group->mutex);
	domain = ldev->live ? ldev->group->domain : NULL;
	mutex_unlock(&ldev->group->mutex);
	liommu_dev_put(ldev);
	return domain;
}
LIOMMU_EXPORT(liommu_get_domain_for_dev);
