// SPDX-License-Identifier: GPL-2.0
/*
 * PASID attach: a domain for the requests of one device tagged with one
 * PASID (seed 001's attach_dev_pasid), beside the domain of its untagged
 * requests.
 *
 * Rules:
 *  - Only a device alone in an immutable-singleton group may use PASIDs:
 *    a PASID names an address space of one requester, which a group
 *    sharing its requests could not keep apart.
 *  - The device's width (&liommu_dev.pasid_bits) is the smaller of its
 *    unit's and, for PCI, of its PASID capability; PASID 0 is the
 *    device's untagged traffic (RID_PASID) and is attached with
 *    liommu_attach_device(), never here.
 *  - The core enables the PCI PASID capability with the first attached
 *    PASID and disables it when the last is detached.
 *  - A PASID-attached domain counts in &liommu_domain.users, so it can't
 *    be freed under the PASID; a detached PASID is blocked (the vendor
 *    makes its entry not present).
 *
 * Locking: the group mutex serialises every change of a device's PASID
 * table (&liommu_dev.pasid_domains) and the vendor calls that make it;
 * lookups read the xarray under RCU.  The calls find the device's state
 * with a reference (liommu_dev_get()) and check under the group mutex
 * that it is still live; pasid_dev_unlock() drops both.  A domain's
 * @users count changes under the domain-table lock as well
 * (liommu_domain_use()).
 */
#include <linux/pci.h>
#include <linux/pci-ats.h>

#include "priv.h"

/* Unlock and drop what pasid_dev_lock() took. */
static void pasid_dev_unlock(struct liommu_dev *ldev)
{
	mutex_unlock(&ldev->group->mutex);
	liommu_dev_put(ldev);
}

/*
 * The device's state, referenced and its group locked, after the checks
 * common to all; an ERR_PTR (nothing held) otherwise.
 */
static struct liommu_dev *pasid_dev_lock(struct device *dev, u32 pasid,
					 const char *what)
{
	struct liommu_dev *ldev;
	int err;

	if (IS_ERR_OR_NULL(dev))
		return ERR_PTR(-EINVAL);
	ldev = liommu_dev_get(dev);
	if (!ldev)
		return ERR_PTR(-ENODEV);
	mutex_lock(&ldev->group->mutex);
	if (!ldev->live) {
		err = -ENODEV;
		goto err_unlock;
	}
	if (!ldev->pasid_bits) {
		liommu_err_rl("%s: %s uses no PASIDs (unit %s: %u bits)\n", what,
			      dev_name(dev), ldev->iommu->name,
			      ldev->iommu->max_pasid_bits);
		err = -EOPNOTSUPP;
		goto err_unlock;
	}
	if (!pasid || pasid >= BIT(ldev->pasid_bits)) {
		liommu_err_rl("%s: PASID %#x of %s is outside 1..%#lx\n", what,
			      pasid, dev_name(dev), BIT(ldev->pasid_bits) - 1);
		err = -EINVAL;
		goto err_unlock;
	}
	if (!ldev->group->immutable_singleton || ldev->group->nr_devices != 1) {
		liommu_err_rl("%s: %s shares group %d: PASIDs need a group of its own\n",
			      what, dev_name(dev), ldev->group->id);
		err = -EINVAL;
		goto err_unlock;
	}
	return ldev;

err_unlock:
	pasid_dev_unlock(ldev);
	return ERR_PTR(err);
}

static int pasid_check_domain(struct liommu_domain *domain,
			      struct liommu_dev *ldev, const char *what)
{
	if (domain->iommu != ldev->iommu) {
		liommu_err_rl("%s: domain of unit %s, %s is on unit %s\n", what,
			      domain->iommu->name, dev_name(ldev->dev),
			      ldev->iommu->name);
		return -EINVAL;
	}
	switch (domain->type) {
	case LIOMMU_DOMAIN_PAGING:
	case LIOMMU_DOMAIN_IDENTITY:
	case LIOMMU_DOMAIN_SVA:
		break;
	default:
		liommu_err_rl("%s: domain type %d cannot be attached to a PASID\n",
			      what, domain->type);
		return -EINVAL;
	}
	if (!domain->ops->set_dev_pasid) {
		liommu_err_rl("%s: unit %s cannot attach PASIDs\n", what,
			      ldev->iommu->name);
		return -EOPNOTSUPP;
	}
	return 0;
}

/*
 * The checks of attach and replace: @dev's state with its group locked,
 * @domain fit for @pasid; an ERR_PTR (nothing locked) otherwise.
 */
static struct liommu_dev *pasid_lock_for(struct liommu_domain *domain,
					 struct device *dev, u32 pasid,
					 const char *what)
{
	struct liommu_dev *ldev;
	int err;

	err = liommu_domain_check(domain, what);
	if (err)
		return ERR_PTR(err);
	ldev = pasid_dev_lock(dev, pasid, what);
	if (IS_ERR(ldev))
		return ldev;
	err = pasid_check_domain(domain, ldev, what);
	if (err) {
		pasid_dev_unlock(ldev);
		return ERR_PTR(err);
	}
	return ldev;
}

/* PCI PASID Enable on with the first PASID, off after the last. */
static int pasid_cap_get(struct liommu_dev *ldev)
{
	struct pci_dev *pdev;
	int err;

	if (!dev_is_pci(ldev->dev) || !xa_empty(&ldev->pasid_domains))
		return 0;
	pdev = to_pci_dev(ldev->dev);
	if (pdev->pasid_enabled)	/* by its driver: leave it to it */
		return 0;
	err = pci_enable_pasid(pdev, 0);
	if (err) {
		dev_err(ldev->dev, "liommu: cannot enable PASID: %d\n", err);
		return err;
	}
	ldev->pasid_cap_enabled = true;
	return 0;
}

static void pasid_cap_put(struct liommu_dev *ldev)
{
	if (ldev->pasid_cap_enabled && xa_empty(&ldev->pasid_domains)) {
		pci_disable_pasid(to_pci_dev(ldev->dev));
		ldev->pasid_cap_enabled = false;
	}
}

/**
 * liommu_attach_device_pasid() - attach a domain to one PASID of a device
 * @domain: a paging or identity domain of the device's unit
 * @dev: a device alone in an immutable-singleton group
 * @pasid: 1 to 2^liommu_dev_pasid_bits(@dev) - 1
 *
 * liommu_attach_device_pasid() is upstream's iommu_attach_device_pasid():
 * requests of @dev tagged with @pasid translate through @domain from now
 * on.  The first PASID enables the device's PCI PASID capability.
 *
 * Context: process context; takes the group mutex.
 * Return: 0; -EINVAL for a NULL or error pointer, PASID 0 or one at or
 * beyond the width, a domain of another unit or of a type that cannot be
 * attached to a PASID, a device that shares its group; -ENODEV when no
 * unit translates @dev; -EOPNOTSUPP when @dev or its unit has no PASIDs
 * (a legacy-mode VT-d unit, an SMMU without substreams, a device without
 * the PCI capability); -EBUSY when @pasid has a domain already (use
 * liommu_replace_device_pasid()); the vendor's or the PCI core's error.
 * On error nothing changed.
 */
int liommu_attach_device_pasid(struct liommu_domain *domain,
			       struct device *dev, u32 pasid)
{
	struct liommu_dev *ldev;
	int err;

	ldev = pasid_lock_for(domain, dev, pasid, "PASID attach");
	if (IS_ERR(ldev))
		return PTR_ERR(ldev);
	if (xa_load(&ldev->pasid_domains, pasid)) {
		err = -EBUSY;
		goto out_unlock;
	}
	err = pasid_cap_get(ldev);
	if (err)
		goto out_unlock;
	err = xa_insert(&ldev->pasid_domains, pasid, domain, GFP_KERNEL);
	if (!err && liommu_fail_point("core:pasid")) {
		xa_erase(&ldev->pasid_domains, pasid);
		err = -ENOMEM;
	}
	if (err)
		goto out_cap;
	err = liommu_domain_use(domain);
	if (err)
		goto out_erase;
	err = domain->ops->set_dev_pasid(domain, dev, pasid);
	if (err)
		goto out_unuse;
	pasid_dev_unlock(ldev);
	return 0;

out_unuse:
	liommu_domain_unuse(domain);
out_erase:
	xa_erase(&ldev->pasid_domains, pasid);
out_cap:
	pasid_cap_put(ldev);
out_unlock:
	pasid_dev_unlock(ldev);
	return err;
}
LIOMMU_EXPORT(liommu_attach_device_pasid);

/**
 * liommu_replace_device_pasid() - switch a PASID to another domain
 * @domain: the new domain, as for liommu_attach_device_pasid()
 * @dev: the device
 * @pasid: a PASID with a domain attached
 *
 * liommu_replace_device_pasid() is upstream's
 * iommu_replace_device_pasid().  How long the PASID's requests are
 * blocked in between is the vendor's (VT-d: the PASID entry is made not
 * present, invalidated and rewritten, Documentation/pasid.rst).
 *
 * Context: process context; takes the group mutex.
 * Return: 0; -ENOENT when @pasid has no domain; else as
 * liommu_attach_device_pasid().  On error the old domain stays attached.
 */
int liommu_replace_device_pasid(struct liommu_domain *domain,
				struct device *dev, u32 pasid)
{
	struct liommu_domain *old;
	struct liommu_dev *ldev;
	int err;

	ldev = pasid_lock_for(domain, dev, pasid, "PASID replace");
	if (IS_ERR(ldev))
		return PTR_ERR(ldev);
	old = xa_load(&ldev->pasid_domains, pasid);
	if (!old) {
		err = -ENOENT;
		goto out_unlock;
	}
	if (old == domain)
		goto out_unlock;
	err = liommu_domain_use(domain);
	if (err)
		goto out_unlock;
	err = domain->ops->set_dev_pasid(domain, dev, pasid);
	if (err) {
		liommu_domain_unuse(domain);
		goto out_unlock;
	}
	xa_store(&ldev->pasid_domains, pasid, domain, GFP_KERNEL);
	liommu_domain_unuse(old);
out_unlock:
	pasid_dev_unlock(ldev);
	return err;
}
LIOMMU_EXPORT(liommu_replace_device_pasid);

/* Block @pasid of @ldev and forget its domain; group mutex held. */
static void __liommu_detach_pasid(struct liommu_dev *ldev, u32 pasid,
				  struct liommu_domain *domain)
{
	struct liommu_domain *blocked = ldev->iommu->blocked_domain;
	int err;

	lockdep_assert_held(&ldev->group->mutex);
	err = blocked->ops->set_dev_pasid ?
	      blocked->ops->set_dev_pasid(blocked, ldev->dev, pasid) :
	      -EOPNOTSUPP;
	if (err)
		dev_err(ldev->dev, "liommu: PASID %#x: cannot block: %d\n",
			pasid, err);
	xa_erase(&ldev->pasid_domains, pasid);
	liommu_domain_unuse(domain);
	pasid_cap_put(ldev);
}

/**
 * liommu_detach_device_pasid() - detach a PASID's domain
 * @domain: the domain attached to @pasid
 * @dev: the device
 * @pasid: the PASID
 *
 * liommu_detach_device_pasid() is upstream's iommu_detach_device_pasid():
 * the PASID's requests are blocked (they fault) from now on.  A detach of
 * a domain that is not attached there changes nothing and logs why.
 *
 * Context: process context; takes the group mutex.
 */
void liommu_detach_device_pasid(struct liommu_domain *domain,
				struct device *dev, u32 pasid)
{
	struct liommu_dev *ldev;

	ldev = pasid_dev_lock(dev, pasid, "PASID detach");
	if (IS_ERR(ldev))
		return;
	if (IS_ERR_OR_NULL(domain) ||
	    xa_load(&ldev->pasid_domains, pasid) != domain)
		liommu_err_rl("PASID detach: %s PASID %#x does not have this domain\n",
			      dev_name(dev), pasid);
	else
		__liommu_detach_pasid(ldev, pasid, domain);
	pasid_dev_unlock(ldev);
}
LIOMMU_EXPORT(liommu_detach_device_pasid);

/**
 * liommu_get_domain_for_dev_pasid() - the domain attached to a PASID
 * @dev: the device
 * @pasid: the PASID
 *
 * liommu_get_domain_for_dev_pasid() is upstream's
 * iommu_get_domain_for_dev_pasid().  The caller keeps the domain alive
 * (it is the one who attached it).
 *
 * Return: the domain, or NULL when none is attached (or @dev has no unit).
 */
struct liommu_domain *liommu_get_domain_for_dev_pasid(struct device *dev,
						      u32 pasid)
{
	struct liommu_domain *domain;
	struct liommu_dev *ldev;

	ldev = liommu_dev_get(dev);
	if (!ldev)
		return NULL;
	domain = xa_load(&ldev->pasid_domains, pasid);
	liommu_dev_put(ldev);
	return domain;
}
LIOMMU_EXPORT(liommu_get_domain_for_dev_pasid);

/*
 * Block @pasid of @dev without forgetting its domain (core/sva.c: the
 * bound mm went away; the binding's owner detaches later, and the
 * domain keeps its user until then).  Takes the group mutex.
 */
void liommu_pasid_block(struct device *dev, u32 pasid)
{
	struct liommu_domain *blocked;
	struct liommu_dev *ldev;
	int err;

	ldev = pasid_dev_lock(dev, pasid, "PASID block");
	if (IS_ERR(ldev))
		return;
	blocked = ldev->iommu->blocked_domain;
	err = blocked->ops->set_dev_pasid ?
	      blocked->ops->set_dev_pasid(blocked, dev, pasid) : -EOPNOTSUPP;
	if (err)
		dev_err(dev, "liommu: PASID %#x: cannot block: %d\n", pasid, err);
	pasid_dev_unlock(ldev);
}

/*
 * The device goes away: every PASID it still has is detached, so no
 * domain keeps a user that no one can drop.  Group mutex not held.
 */
void liommu_pasid_release_dev(struct liommu_dev *ldev)
{
	struct liommu_domain *domain;
	unsigned long pasid;

	if (xa_empty(&ldev->pasid_domains))
		return;
	mutex_lock(&ldev->group->mutex);
	xa_for_each(&ldev->pasid_domains, pasid, domain) {
		dev_warn(ldev->dev, "liommu: released with PASID %#lx attached\n",
			 pasid);
		__liommu_detach_pasid(ldev, pasid, domain);
	}
	mutex_unlock(&ldev->group->mutex);
}

/* The device's PASID width: its unit's, narrowed by its PCI capability. */
unsigned int liommu_pasid_dev_width(struct liommu_device *iommu,
				    struct device *dev)
{
	unsigned int bits = iommu->max_pasid_bits;
	int n;

	if (!bits || !dev_is_pci(dev))
		return bits;
	n = pci_max_pasids(to_pci_dev(dev));
	if (n <= 0)
		return 0;
	return min_t(unsigned int, bits, ilog2(n));
}
