// SPDX-License-Identifier: GPL-2.0
/*
 * Aux domains (seed 004): a PASID-capable device shared out as mediated
 * sub-devices, each sub-device's DMA tagged with a PASID of its own and
 * translated by its own domain.
 *
 * - LIOMMU_DEV_FEAT_AUX is enabled per physical device; it needs PASIDs
 *   (liommu_dev_pasid_bits() > 0) and a group of its own.
 * - liommu_aux_attach_device() takes a PASID from the platform's
 *   allocator (core/ioasid.c, one set for every aux attachment) and
 *   attaches the domain to it with liommu_attach_device_pasid(): one
 *   PASID per (domain, device).  The device's untagged domain never
 *   changes: an aux domain is only ever reached through its PASID.
 * - Sub-devices (an mdev, say) are not translated by any unit: a caller
 *   puts them in a group (liommu_group_alloc() +
 *   liommu_aux_group_add_device()), and liommu_aux_attach_group()
 *   aux-attaches a domain to the physical device on behalf of the whole
 *   group, after which liommu_get_domain_for_dev() of a sub-device
 *   answers that domain (liommu_aux_get_domain_for_dev()), the seed's
 *   point: the sub-device's driver finds its domain and asks
 *   liommu_aux_get_pasid() for the PASID to program.
 *
 * Locking: liommu_aux_lock (a mutex, outside the group mutexes: it is
 * held across liommu_attach_device_pasid()) guards the attachment and
 * sub-device lists and every device's AUX feature bit.  Device states
 * are found with a reference (liommu_dev_get()), dropped before return.
 */
#include <linux/list.h>
#include <linux/mutex.h>

#include <liommu/pasid.h>
#include "priv.h"

/* One aux domain attached to one physical device, under @pasid. */
struct liommu_aux {
	struct list_head node;
	struct liommu_domain *domain;
	struct device *dev;
	u32 pasid;
	struct liommu_group *group;	/* attached on a group's behalf */
};

/* A sub-device, member of @group for aux purposes only. */
struct liommu_aux_subdev {
	struct list_head node;
	struct device *dev;
	struct liommu_group *group;
};

static DEFINE_MUTEX(liommu_aux_lock);
static LIST_HEAD(liommu_aux_list);
static LIST_HEAD(liommu_aux_subdevs);
static struct liommu_pasid_set *liommu_aux_pasids;

static struct liommu_aux *aux_find(struct liommu_domain *domain,
				   struct device *dev)
{
	struct liommu_aux *aux;

	lockdep_assert_held(&liommu_aux_lock);
	list_for_each_entry(aux, &liommu_aux_list, node)
		if (aux->domain == domain && aux->dev == dev)
			return aux;
	return NULL;
}

static bool aux_dev_busy(struct device *dev)
{
	struct liommu_aux *aux;

	list_for_each_entry(aux, &liommu_aux_list, node)
		if (aux->dev == dev)
			return true;
	return false;
}

/*
 * The state of @dev for a feature call, referenced (the caller puts it);
 * ERR_PTR(-EINVAL or -ENODEV).
 */
static struct liommu_dev *feat_dev(struct device *dev,
				   enum liommu_dev_feature feat)
{
	struct liommu_dev *ldev;

	if (IS_ERR_OR_NULL(dev) || feat >= LIOMMU_DEV_FEAT_NR)
		return ERR_PTR(-EINVAL);
	ldev = liommu_dev_get(dev);
	return ldev ?: ERR_PTR(-ENODEV);
}

/**
 * liommu_dev_enable_feature() - turn a device feature on
 * @dev: the device
 * @feat: LIOMMU_DEV_FEAT_AUX, LIOMMU_DEV_FEAT_SVA (a unit that shares
 *	page tables and a device with PASIDs) or LIOMMU_DEV_FEAT_IOPF
 *	(every translated device: faults reach the domains' handlers)
 *
 * liommu_dev_enable_feature() is upstream's iommu_dev_enable_feature().
 *
 * Context: process context.
 * Return: 0 (also when already on); -EINVAL for a bad argument;
 * -ENODEV when no unit translates @dev; -EOPNOTSUPP when @dev has no
 * PASIDs or the feature is not implemented; -EBUSY when @dev shares
 * its group; the vendor's error.
 */
int liommu_dev_enable_feature(struct device *dev, enum liommu_dev_feature feat)
{
	struct liommu_dev *ldev = feat_dev(dev, feat);
	int err = 0;

	if (IS_ERR(ldev))
		return PTR_ERR(ldev);
	if (feat == LIOMMU_DEV_FEAT_SVA && !ldev->iommu->ops->domain_alloc_sva) {
		liommu_err_rl("SVA: unit %s cannot share page tables\n",
			      ldev->iommu->name);
		err = -EOPNOTSUPP;
		goto out_put;
	}
	if (feat != LIOMMU_DEV_FEAT_IOPF && !ldev->pasid_bits) {
		liommu_err_rl("feature %d: %s has no PASIDs\n", feat,
			      dev_name(dev));
		err = -EOPNOTSUPP;
		goto out_put;
	}
	mutex_lock(&liommu_aux_lock);
	if (test_bit(feat, &ldev->features))
		goto out_unlock;
	if (!ldev->group->immutable_singleton) {
		liommu_err_rl("AUX: %s shares group %d\n", dev_name(dev),
			      ldev->group->id);
		err = -EBUSY;
		goto out_unlock;
	}
	if (ldev->iommu->ops->dev_enable_feat)
		err = ldev->iommu->ops->dev_enable_feat(dev, feat);
	if (!err)
		set_bit(feat, &ldev->features);
out_unlock:
	mutex_unlock(&liommu_aux_lock);
out_put:
	liommu_dev_put(ldev);
	return err;
}
LIOMMU_EXPORT(liommu_dev_enable_feature);

/**
 * liommu_dev_disable_feature() - turn a device feature off
 * @dev: the device
 * @feat: the feature
 *
 * liommu_dev_disable_feature() is upstream's iommu_dev_disable_feature().
 *
 * Context: process context.
 * Return: 0 (also when already off); -EINVAL; -ENODEV; -EBUSY while aux
 * domains are attached to @dev.
 */
int liommu_dev_disable_feature(struct device *dev,
			       enum liommu_dev_feature feat)
{
	struct liommu_dev *ldev = feat_dev(dev, feat);
	int err = 0;

	if (IS_ERR(ldev))
		return PTR_ERR(ldev);
	mutex_lock(&liommu_aux_lock);
	if (!test_bit(feat, &ldev->features))
		goto out_unlock;
	if ((feat == LIOMMU_DEV_FEAT_AUX && aux_dev_busy(dev)) ||
	    (feat == LIOMMU_DEV_FEAT_SVA && liommu_sva_dev_bound(dev))) {
		err = -EBUSY;
		goto out_unlock;
	}
	if (ldev->iommu->ops->dev_disable_feat)
		err = ldev->iommu->ops->dev_disable_feat(dev, feat);
	if (!err)
		clear_bit(feat, &ldev->features);
out_unlock:
	mutex_unlock(&liommu_aux_lock);
	liommu_dev_put(ldev);
	return err;
}
LIOMMU_EXPORT(liommu_dev_disable_feature);

/**
 * liommu_dev_feature_enabled() - is a device feature on?
 * @dev: the device
 * @feat: the feature
 *
 * liommu_dev_feature_enabled() is upstream's iommu_dev_feature_enabled().
 *
 * Return: true if on.
 */
bool liommu_dev_feature_enabled(struct device *dev,
				enum liommu_dev_feature feat)
{
	struct liommu_dev *ldev = feat_dev(dev, feat);
	bool on;

	if (IS_ERR(ldev))
		return false;
	on = test_bit(feat, &ldev->features);
	liommu_dev_put(ldev);
	return on;
}
LIOMMU_EXPORT(liommu_dev_feature_enabled);

/* The aux PASID set: made with the first aux attachment, gone with the last. */
static struct liommu_pasid_set *aux_pasids(void)
{
	lockdep_assert_held(&liommu_aux_lock);
	if (!liommu_aux_pasids) {
		struct liommu_pasid_set *set;

		set = liommu_pasid_init(1, LIOMMU_PASID_SPACE_MAX, 0);
		if (IS_ERR(set))
			return set;
		liommu_aux_pasids = set;
	}
	return liommu_aux_pasids;
}

static void aux_pasids_put(void)
{
	lockdep_assert_held(&liommu_aux_lock);
	if (liommu_aux_pasids && list_empty(&liommu_aux_list)) {
		liommu_pasid_exit(liommu_aux_pasids);
		liommu_aux_pasids = NULL;
	}
}

static int __liommu_aux_attach(struct liommu_domain *domain,
			       struct device *dev, struct liommu_group *group)
{
	struct liommu_pasid_set *set;
	struct liommu_aux *aux;
	struct liommu_dev *ldev;
	int pasid, err;

	unsigned int bits;

	lockdep_assert_held(&liommu_aux_lock);
	if (IS_ERR_OR_NULL(dev))
		return -EINVAL;
	err = liommu_domain_check(domain, "aux attach");
	if (err)
		return err;
	ldev = liommu_dev_get(dev);
	if (!ldev)
		return -ENODEV;
	/* The AUX bit changes under the aux lock, which is held. */
	err = test_bit(LIOMMU_DEV_FEAT_AUX, &ldev->features) ? 0 : -EINVAL;
	bits = ldev->pasid_bits;
	liommu_dev_put(ldev);
	if (err) {
		liommu_err_rl("aux attach: AUX is not enabled on %s\n",
			      dev_name(dev));
		return err;
	}
	if (domain->type != LIOMMU_DOMAIN_PAGING) {
		liommu_err_rl("aux attach: only paging domains\n");
		return -EINVAL;
	}
	if (aux_find(domain, dev))
		return -EBUSY;
	set = aux_pasids();
	if (IS_ERR(set))
		return PTR_ERR(set);
	aux = liommu_kzalloc(sizeof(*aux), GFP_KERNEL);
	if (!aux)
		return -ENOMEM;
	pasid = liommu_pasid_alloc(set, 1, BIT(bits) - 1, aux);
	if (pasid < 0) {
		err = pasid;
		goto err_free;
	}
	err = liommu_attach_device_pasid(domain, dev, pasid);
	if (err)
		goto err_pasid;
	aux->domain = domain;
	aux->dev = dev;
	aux->pasid = pasid;
	aux->group = group ? liommu_group_ref(group) : NULL;
	list_add_tail(&aux->node, &liommu_aux_list);
	return 0;

err_pasid:
	liommu_pasid_free(set, pasid);
err_free:
	liommu_kfree(aux);
	aux_pasids_put();
	return err;
}

static void __liommu_aux_detach(struct liommu_aux *aux)
{
	lockdep_assert_held(&liommu_aux_lock);
	list_del(&aux->node);
	liommu_detach_device_pasid(aux->domain, aux->dev, aux->pasid);
	liommu_pasid_free(liommu_aux_pasids, aux->pasid);
	if (aux->group)
		liommu_group_put(aux->group);
	liommu_kfree(aux);
	aux_pasids_put();
}

/**
 * liommu_aux_attach_device() - attach an aux domain to a device
 * @domain: a paging domain of @dev's unit
 * @dev: a device with LIOMMU_DEV_FEAT_AUX enabled
 *
 * liommu_aux_attach_device() is upstream's iommu_aux_attach_device():
 * @domain gets a PASID of @dev's from the platform's PASID allocator,
 * which liommu_aux_get_pasid() returns; @dev's untagged domain does not
 * change.  Several aux domains may be attached to one device.
 *
 * Context: process context.
 * Return: 0; -EINVAL for bad arguments, AUX not enabled or a domain that
 * is not paging; -EBUSY when @domain is aux-attached to @dev already;
 * -ENOSPC when @dev's PASIDs are all in use; the errors of
 * liommu_attach_device_pasid().  On error nothing changed.
 */
int liommu_aux_attach_device(struct liommu_domain *domain, struct device *dev)
{
	int err;

	mutex_lock(&liommu_aux_lock);
	err = __liommu_aux_attach(domain, dev, NULL);
	mutex_unlock(&liommu_aux_lock);
	return err;
}
LIOMMU_EXPORT(liommu_aux_attach_device);

/**
 * liommu_aux_detach_device() - detach an aux domain from a device
 * @domain: the aux domain
 * @dev: the device
 *
 * liommu_aux_detach_device() is upstream's iommu_aux_detach_device():
 * the PASID is blocked and returns to the allocator.  An aux domain
 * attached through liommu_aux_attach_group() is detached with
 * liommu_aux_detach_group(); a detach of something not attached logs
 * why and changes nothing.
 *
 * Context: process context.
 */
void liommu_aux_detach_device(struct liommu_domain *domain, struct device *dev)
{
	struct liommu_aux *aux;

	mutex_lock(&liommu_aux_lock);
	aux = aux_find(domain, dev);
	if (!aux || aux->group)
		liommu_err_rl("aux detach: no such aux domain on %s\n",
			      IS_ERR_OR_NULL(dev) ? "(none)" : dev_name(dev));
	else
		__liommu_aux_detach(aux);
	mutex_unlock(&liommu_aux_lock);
}
LIOMMU_EXPORT(liommu_aux_detach_device);

/**
 * liommu_aux_get_pasid() - the PASID of an aux domain on a device
 * @domain: the aux domain
 * @dev: the physical device
 *
 * liommu_aux_get_pasid() is upstream's iommu_aux_get_pasid(): what the
 * sub-device's driver programs into the device for its DMA.
 *
 * Return: the PASID (> 0); -EINVAL when @domain is not aux-attached to
 * @dev.
 */
int liommu_aux_get_pasid(struct liommu_domain *domain, struct device *dev)
{
	struct liommu_aux *aux;
	int pasid;

	mutex_lock(&liommu_aux_lock);
	aux = aux_find(domain, dev);
	pasid = aux ? aux->pasid : -EINVAL;
	mutex_unlock(&liommu_aux_lock);
	return pasid;
}
LIOMMU_EXPORT(liommu_aux_get_pasid);

static struct liommu_aux_subdev *subdev_find(struct device *dev)
{
	struct liommu_aux_subdev *s;

	lockdep_assert_held(&liommu_aux_lock);
	list_for_each_entry(s, &liommu_aux_subdevs, node)
		if (s->dev == dev)
			return s;
	return NULL;
}

/**
 * liommu_aux_group_add_device() - put a sub-device into a group
 * @group: a group from liommu_group_alloc(), for sub-devices only
 * @dev: a device no unit translates (an mdev), in no group yet
 *
 * Upstream's iommu_group_add_device() as vfio/mdev uses it for the seed's
 * flow: the sub-device joins @group, and liommu_get_domain_for_dev() of
 * it answers the aux domain attached for @group.
 *
 * Context: process context.
 * Return: 0; -EINVAL for bad arguments or a device a unit translates;
 * -EBUSY when @dev is in a group already; -ENOMEM.
 */
int liommu_aux_group_add_device(struct liommu_group *group, struct device *dev)
{
	struct liommu_aux_subdev *s;
	int err = 0;

	if (IS_ERR_OR_NULL(group) || IS_ERR_OR_NULL(dev))
		return -EINVAL;
	if (liommu_dev_probed(dev))
		return -EINVAL;
	mutex_lock(&liommu_aux_lock);
	if (subdev_find(dev)) {
		err = -EBUSY;
		goto out_unlock;
	}
	s = liommu_kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s) {
		err = -ENOMEM;
		goto out_unlock;
	}
	s->dev = get_device(dev);
	s->group = liommu_group_ref(group);
	list_add_tail(&s->node, &liommu_aux_subdevs);
out_unlock:
	mutex_unlock(&liommu_aux_lock);
	return err;
}
LIOMMU_EXPORT(liommu_aux_group_add_device);

/**
 * liommu_aux_group_remove_device() - take a sub-device out of its group
 * @dev: a device added with liommu_aux_group_add_device()
 *
 * Upstream's iommu_group_remove_device() for sub-devices.
 *
 * Context: process context.
 */
void liommu_aux_group_remove_device(struct device *dev)
{
	struct liommu_aux_subdev *s;

	mutex_lock(&liommu_aux_lock);
	s = IS_ERR_OR_NULL(dev) ? NULL : subdev_find(dev);
	if (s) {
		list_del(&s->node);
		liommu_group_put(s->group);
		put_device(s->dev);
		liommu_kfree(s);
	}
	mutex_unlock(&liommu_aux_lock);
}
LIOMMU_EXPORT(liommu_aux_group_remove_device);

static struct liommu_aux *aux_of_group(struct liommu_group *group)
{
	struct liommu_aux *aux;

	lockdep_assert_held(&liommu_aux_lock);
	list_for_each_entry(aux, &liommu_aux_list, node)
		if (aux->group == group)
			return aux;
	return NULL;
}

/**
 * liommu_aux_attach_group() - aux-attach a domain for a group of sub-devices
 * @domain: a paging domain of @dev's unit
 * @group: a group of sub-devices derived from @dev
 * @dev: the physical device, LIOMMU_DEV_FEAT_AUX enabled
 *
 * liommu_aux_attach_group() is the seed's iommu_aux_attach_group().
 *
 * Context: process context.
 * Return: 0; -EBUSY when @group has an aux domain already; else as
 * liommu_aux_attach_device().
 */
int liommu_aux_attach_group(struct liommu_domain *domain,
			    struct liommu_group *group, struct device *dev)
{
	int err;

	if (IS_ERR_OR_NULL(group))
		return -EINVAL;
	mutex_lock(&liommu_aux_lock);
	err = aux_of_group(group) ? -EBUSY :
				    __liommu_aux_attach(domain, dev, group);
	mutex_unlock(&liommu_aux_lock);
	return err;
}
LIOMMU_EXPORT(liommu_aux_attach_group);

/**
 * liommu_aux_detach_group() - undo liommu_aux_attach_group()
 * @domain: the aux domain
 * @group: the group
 * @dev: the physical device
 *
 * liommu_aux_detach_group() is the seed's iommu_aux_detach_group().
 *
 * Context: process context.
 */
void liommu_aux_detach_group(struct liommu_domain *domain,
			     struct liommu_group *group, struct device *dev)
{
	struct liommu_aux *aux;

	mutex_lock(&liommu_aux_lock);
	aux = aux_find(domain, dev);
	if (!aux || aux->group != group || !group)
		liommu_err_rl("aux detach: the group does not have this domain\n");
	else
		__liommu_aux_detach(aux);
	mutex_unlock(&liommu_aux_lock);
}
LIOMMU_EXPORT(liommu_aux_detach_group);

/**
 * liommu_aux_get_domain_for_dev() - the aux domain of a sub-device
 * @dev: a sub-device (liommu_aux_group_add_device())
 *
 * liommu_aux_get_domain_for_dev() is the seed's
 * iommu_aux_get_domain_for_dev(); liommu_get_domain_for_dev() answers
 * the same for a sub-device.
 *
 * Return: the domain attached for its group, or NULL.
 */
struct liommu_domain *liommu_aux_get_domain_for_dev(struct device *dev)
{
	struct liommu_domain *domain = NULL;
	struct liommu_aux_subdev *s;
	struct liommu_aux *aux;

	if (IS_ERR_OR_NULL(dev))
		return NULL;
	mutex_lock(&liommu_aux_lock);
	s = subdev_find(dev);
	aux = s ? aux_of_group(s->group) : NULL;
	if (aux)
		domain = aux->domain;
	mutex_unlock(&liommu_aux_lock);
	return domain;
}
LIOMMU_EXPORT(liommu_aux_get_domain_for_dev);

/*
 * A device goes away: its aux attachments go first (the core detaches
 * its PASIDs next); AUX is forgotten with its state.
 */
void liommu_aux_release_dev(struct device *dev)
{
	struct liommu_aux *aux, *tmp;

	mutex_lock(&liommu_aux_lock);
	list_for_each_entry_safe(aux, tmp, &liommu_aux_list, node) {
		if (aux->dev != dev)
			continue;
		dev_warn(dev, "liommu: released with an aux domain attached\n");
		__liommu_aux_detach(aux);
	}
	mutex_unlock(&liommu_aux_lock);
}

/* Module exit: every user of aux domains is gone, so is all of it. */
void liommu_aux_exit(void)
{
	if (!list_empty(&liommu_aux_list) || !list_empty(&liommu_aux_subdevs))
		pr_err("liommu-core: aux attachments or sub-devices left at unload\n");
}
