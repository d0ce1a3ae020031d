// SPDX-License-Identifier: GPL-2.0
/*
 * Domains: the allocation API of the 2024 refactor, the unit's static
 * blocked and identity domains, freeing, and the entry point reserved
 * for SVA domains (nested ones: nested.c).
 *
 * A domain allocated here pins its vendor module until
 * liommu_domain_free(); the vendor's allocator runs under
 * liommu_table_lock so that its unit cannot be unregistered meanwhile.
 * An attached domain (@users > 0) is never freed (see priv.h), and a
 * freed one is refused by every call, liommu_domain_free() included: it
 * left the table of live domains (domain_table.c), which is checked
 * without reading the domain itself.
 *
 * liommu_identity_domain() and liommu_blocked_domain() read the unit of
 * the device's state under liommu_table_lock, which keeps both alive.
 */
#include <linux/err.h>
#include <linux/module.h>

#include "priv.h"

/* Ranges that no paging domain may ever map on this architecture. */
static const struct liommu_resv_region liommu_arch_resv[] = {
#ifdef CONFIG_X86
	/* The x86 interrupt (MSI) window: DMA there is an interrupt. */
	{ .start = 0xfee00000, .last = 0xfeefffff, .type = LIOMMU_RESV_MSI },
#endif
};

static void liommu_domain_add_resv(struct liommu_domain *domain,
				   struct device *dev)
{
	const struct liommu_ops *ops = domain->iommu->ops;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(liommu_arch_resv) &&
		    domain->nr_resv < LIOMMU_MAX_RESV; i++)
		domain->resv[domain->nr_resv++] = liommu_arch_resv[i];
	if (ops->resv_regions && dev)
		domain->nr_resv += ops->resv_regions(dev,
				domain->resv + domain->nr_resv,
				LIOMMU_MAX_RESV - domain->nr_resv);
}

/* A domain on the core's walker (@pt) needs no mapping ops of its own. */
static bool liommu_domain_ops_complete(const struct liommu_domain *domain)
{
	const struct liommu_domain_ops *ops = domain->ops;

	if (!ops || !ops->attach_dev || !ops->iotlb_sync || !ops->free)
		return false;
	return domain->pt || (ops->map_pages && ops->unmap_pages &&
			      ops->mapped_range && ops->iova_to_phys);
}

/* An SVA domain maps nothing itself: PASID attach, invalidation, free. */
static bool liommu_sva_ops_complete(const struct liommu_domain *domain)
{
	const struct liommu_domain_ops *ops = domain->ops;

	return ops && ops->set_dev_pasid && ops->iotlb_sync &&
	       ops->flush_iotlb_all && ops->free;
}

/*
 * Fill in a domain the vendor just allocated for @ldev's unit (the module
 * reference is already taken: it passes to the domain, or is dropped).
 */
/*
 * A domain on the walker translates its whole aperture, in page sizes its
 * table has, to outputs its entries hold: liommu_map() relies on it to
 * walk without the walker's own checks (core/map.c).
 */
static bool liommu_domain_pt_fits(const struct liommu_domain *domain)
{
	const struct liommu_pt *pt = domain->pt;
	unsigned int lg2;

	if (!pt)
		return true;
	lg2 = liommu_pt_level_lg2(pt, pt->levels);
	return !(domain->pgsize_bitmap & ~pt->pgsize_bitmap) &&
	       (lg2 >= 64 || !(domain->geometry.aperture_end >> lg2)) &&
	       (pt->oa_lg2 >= 64 || domain->oa_bits <= pt->oa_lg2);
}

static struct liommu_domain *
__liommu_domain_finish(struct liommu_domain *domain, struct liommu_dev *ldev,
		       enum liommu_domain_type type,
		       enum liommu_domain_owner owner, u32 user_flags)
{
	struct liommu_device *iommu = ldev->iommu;

	lockdep_assert_held(&liommu_table_lock);
	if (IS_ERR_OR_NULL(domain)) {
		module_put(iommu->ops->owner);
		return domain ?: ERR_PTR(-ENOMEM);
	}
	if (type == LIOMMU_DOMAIN_SVA ? !liommu_sva_ops_complete(domain) :
					!liommu_domain_ops_complete(domain)) {
		pr_err("liommu: unit %s returned a domain without its ops\n",
		       iommu->name);
		if (domain->ops && domain->ops->free)
			domain->ops->free(domain);
		module_put(iommu->ops->owner);
		return ERR_PTR(-EINVAL);
	}
	domain->type = type;
	domain->flags = 0;
	domain->owner = owner;
	domain->user_flags = user_flags;
	domain->iommu = iommu;
	if (!domain->pgsize_bitmap)
		domain->pgsize_bitmap = iommu->ops->pgsize_bitmap;
	if (!domain->geometry.aperture_end)
		domain->geometry = iommu->geometry;
	if (!domain->oa_bits || domain->oa_bits > iommu->oa_bits)
		domain->oa_bits = iommu->oa_bits;
	if (!liommu_domain_pt_fits(domain)) {
		pr_err("liommu: unit %s returned a domain whose page sizes, aperture or output width exceed its page table\n",
		       iommu->name);
		domain->ops->free(domain);
		module_put(iommu->ops->owner);
		return ERR_PTR(-EINVAL);
	}
	domain->nr_resv = 0;
	liommu_domain_add_resv(domain, ldev->dev);
	mutex_init(&domain->map_lock);
	spin_lock_init(&domain->sync_lock);
	domain->iopf_handler = NULL;
	domain->fault_data = NULL;
	domain->mm = NULL;
	domain->parent = NULL;
	atomic_set(&domain->nested, 0);
	if (liommu_domain_table_add(domain)) {
		mutex_destroy(&domain->map_lock);
		domain->ops->free(domain);
		module_put(iommu->ops->owner);
		return ERR_PTR(-ENOMEM);
	}
	liommu_stat_inc(LIOMMU_STAT_DOMAINS);
	return domain;
}

struct liommu_domain *liommu_domain_finish(struct liommu_domain *domain,
					   struct liommu_dev *ldev,
					   enum liommu_domain_owner owner,
					   u32 user_flags)
{
	return __liommu_domain_finish(domain, ldev, LIOMMU_DOMAIN_PAGING,
				      owner, user_flags);
}

/* Allocate a paging domain (user or kernel) for @ldev; table lock held. */
static struct liommu_domain *liommu_alloc_for(struct liommu_dev *ldev,
					      bool user, u32 flags)
{
	const struct liommu_ops *ops = ldev->iommu->ops;
	struct liommu_domain *domain;

	lockdep_assert_held(&liommu_table_lock);
	if (liommu_fail_point("core:domain"))
		return ERR_PTR(-ENOMEM);
	if (!try_module_get(ops->owner))
		return ERR_PTR(-ENODEV);
	if (user && ops->domain_alloc_paging_flags)
		domain = ops->domain_alloc_paging_flags(ldev->dev, flags);
	else if (user && flags)
		domain = ERR_PTR(-EOPNOTSUPP);
	else
		domain = ops->domain_alloc_paging(ldev->dev);
	return liommu_domain_finish(domain, ldev,
				    user ? LIOMMU_OWNER_USER : LIOMMU_OWNER_KERNEL,
				    flags);
}

/**
 * liommu_paging_domain_alloc() - a paging domain for kernel DMA
 * @dev: a device the domain is meant for
 *
 * liommu_paging_domain_alloc() is the seeds' iommu_paging_domain_alloc():
 * the domain comes from the unit that translates @dev, with that unit's
 * page sizes and aperture.
 *
 * Context: process context; may sleep.
 * Return: the domain, or ERR_PTR(): -EINVAL for a NULL or error @dev,
 * -ENODEV when no unit translates @dev, -ENOMEM.
 */
struct liommu_domain *liommu_paging_domain_alloc(struct device *dev)
{
	struct liommu_domain *domain;
	struct liommu_dev *ldev;

	if (IS_ERR_OR_NULL(dev))
		return ERR_PTR(-EINVAL);
	mutex_lock(&liommu_table_lock);
	ldev = liommu_dev_find(dev);
	domain = ldev ? liommu_alloc_for(ldev, false, 0) : ERR_PTR(-ENODEV);
	mutex_unlock(&liommu_table_lock);
	return domain;
}
LIOMMU_EXPORT(liommu_paging_domain_alloc);

/**
 * liommu_user_domain_alloc() - a paging domain for userspace-managed DMA
 * @dev: a device the domain is meant for
 * @flags: LIOMMU_HWPT_ALLOC_* flags
 *
 * liommu_user_domain_alloc() is the seeds' iommu_user_domain_alloc(): it
 * uses the unit's domain_alloc_paging_flags (upstream's split of
 * domain_alloc_user) and, when the unit has none, falls back to its
 * paging allocator (flags must then be 0).  Nested domains come from
 * liommu_nested_domain_alloc().
 *
 * Context: process context; may sleep.
 * Return: the domain (owner LIOMMU_OWNER_USER), or ERR_PTR(): -EINVAL for
 * a NULL @dev, -ENODEV when no unit translates @dev, -EOPNOTSUPP for
 * unknown flags or flags the unit does not take, -ENOMEM.
 */
struct liommu_domain *liommu_user_domain_alloc(struct device *dev, u32 flags)
{
	struct liommu_domain *domain;
	struct liommu_dev *ldev;

	if (IS_ERR_OR_NULL(dev))
		return ERR_PTR(-EINVAL);
	if (flags & ~LIOMMU_HWPT_ALLOC_FLAGS)
		return ERR_PTR(-EOPNOTSUPP);
	mutex_lock(&liommu_table_lock);
	ldev = liommu_dev_find(dev);
	domain = ldev ? liommu_alloc_for(ldev, true, flags) : ERR_PTR(-ENODEV);
	mutex_unlock(&liommu_table_lock);
	return domain;
}
LIOMMU_EXPORT(liommu_user_domain_alloc);

/**
 * liommu_domain_alloc() - legacy: a paging domain for some device on a bus
 * @bus: the bus
 *
 * Deprecated.  liommu_domain_alloc() is the legacy
 * iommu_domain_alloc(bus), kept for drivers that cannot name a device;
 * new code uses liommu_paging_domain_alloc().  The domain comes from the
 * unit of some probed device on @bus (on a bus with several units, which
 * one is unspecified).  Unlike upstream it returns an ERR_PTR, not NULL.
 *
 * Context: process context; may sleep.
 * Return: the domain, or ERR_PTR(): -EINVAL for a NULL @bus, -ENODEV when
 * no unit translates a device on @bus, -ENOMEM.
 */
struct liommu_domain *liommu_domain_alloc(const struct bus_type *bus)
{
	struct liommu_domain *domain;
	struct liommu_dev *ldev;

	if (IS_ERR_OR_NULL(bus))
		return ERR_PTR(-EINVAL);
	mutex_lock(&liommu_table_lock);
	ldev = liommu_dev_first_on_bus(bus);
	domain = ldev ? liommu_alloc_for(ldev, false, 0) : ERR_PTR(-ENODEV);
	mutex_unlock(&liommu_table_lock);
	return domain;
}
LIOMMU_EXPORT(liommu_domain_alloc);

/**
 * liommu_sva_domain_alloc() - an SVA domain for @mm
 * @dev: a device of the unit the domain is for
 * @mm: the address space whose page table it shares
 *
 * liommu_sva_domain_alloc() is upstream's iommu_sva_domain_alloc().
 * liommu_sva_bind_device() calls it once per (mm, unit); the domain's
 * fault handler faults pages in on @mm (core/sva.c).  It can only be
 * attached to a PASID, and maps nothing through liommu_map().
 *
 * Context: process context; may sleep.
 * Return: the domain, or ERR_PTR(): -EINVAL for bad arguments, -ENODEV
 * when no unit translates @dev, -EOPNOTSUPP when the unit cannot share a
 * process's page table, the vendor's error, -ENOMEM.
 */
struct liommu_domain *liommu_sva_domain_alloc(struct device *dev,
					      struct mm_struct *mm)
{
	struct liommu_domain *domain;
	struct liommu_dev *ldev;

	if (IS_ERR_OR_NULL(dev) || IS_ERR_OR_NULL(mm))
		return ERR_PTR(-EINVAL);
	mutex_lock(&liommu_table_lock);
	ldev = liommu_dev_find(dev);
	if (!ldev) {
		domain = ERR_PTR(-ENODEV);
	} else if (!ldev->iommu->ops->domain_alloc_sva) {
		domain = ERR_PTR(-EOPNOTSUPP);
	} else if (liommu_fail_point("core:sva")) {
		domain = ERR_PTR(-ENOMEM);
	} else if (!try_module_get(ldev->iommu->ops->owner)) {
		domain = ERR_PTR(-ENODEV);
	} else {
		domain = ldev->iommu->ops->domain_alloc_sva(dev, mm);
		domain = __liommu_domain_finish(domain, ldev,
						LIOMMU_DOMAIN_SVA,
						LIOMMU_OWNER_KERNEL, 0);
		if (!IS_ERR(domain)) {
			domain->mm = mm;
			domain->iopf_handler = liommu_sva_iopf_handler;
		}
	}
	mutex_unlock(&liommu_table_lock);
	return domain;
}
LIOMMU_EXPORT(liommu_sva_domain_alloc);

/**
 * liommu_identity_domain() - the identity domain of a device's unit
 * @dev: the device
 *
 * Stands for upstream's iommu_ops->identity_domain.  The domain is static:
 * liommu_domain_free() ignores it.
 *
 * Context: process context; takes the table lock.
 * Return: the domain, or ERR_PTR(): -EINVAL for a NULL or error @dev,
 * -ENODEV when no unit translates @dev, -EOPNOTSUPP when the unit has no
 * identity domain.
 */
struct liommu_domain *liommu_identity_domain(struct device *dev)
{
	struct liommu_domain *domain;
	struct liommu_dev *ldev;

	if (IS_ERR_OR_NULL(dev))
		return ERR_PTR(-EINVAL);
	mutex_lock(&liommu_table_lock);
	ldev = liommu_dev_find(dev);
	if (!ldev)
		domain = ERR_PTR(-ENODEV);
	else
		domain = ldev->iommu->identity_domain ?: ERR_PTR(-EOPNOTSUPP);
	mutex_unlock(&liommu_table_lock);
	return domain;
}
LIOMMU_EXPORT(liommu_identity_domain);

/**
 * liommu_blocked_domain() - the blocked domain of a device's unit
 * @dev: the device
 *
 * Stands for upstream's iommu_ops->blocked_domain (static).
 *
 * Context: process context; takes the table lock.
 * Return: the domain, or ERR_PTR(): -EINVAL for a NULL or error @dev,
 * -ENODEV when no unit translates @dev.
 */
struct liommu_domain *liommu_blocked_domain(struct device *dev)
{
	struct liommu_domain *domain;
	struct liommu_dev *ldev;

	if (IS_ERR_OR_NULL(dev))
		return ERR_PTR(-EINVAL);
	mutex_lock(&liommu_table_lock);
	ldev = liommu_dev_find(dev);
	domain = ldev ? ldev->iommu->blocked_domain : ERR_PTR(-ENODEV);
	mutex_unlock(&liommu_table_lock);
	return domain;
}
LIOMMU_EXPORT(liommu_blocked_domain);

/**
 * liommu_domain_free() - free a domain
 * @domain: a domain from one of the allocators, or NULL/ERR_PTR
 *
 * liommu_domain_free() is upstream's iommu_domain_free().  Static domains
 * are ignored.  A domain that is still attached, or that nested domains
 * sit on, is not freed (it would be used after free): the call logs a
 * message and leaves it.  A domain freed already (or never allocated) is
 * not freed again: the call logs a message and does nothing
 * (Documentation/robustness.rst).  Freeing a nested domain releases its
 * parent.
 *
 * Context: process context.
 */
void liommu_domain_free(struct liommu_domain *domain)
{
	struct liommu_domain *parent;
	struct module *owner;
	int err;

	if (liommu_domain_check(domain, "free"))
		return;
	if (domain->flags & LIOMMU_DOMAIN_F_STATIC)
		return;
	err = liommu_domain_retire(domain);
	if (err == -EBUSY) {
		liommu_err_rl("free: domain is still attached, or %d nested domains sit on it; not freed\n",
			      atomic_read(&domain->nested));
		return;
	}
	if (err) {	/* freed by a racing call */
		liommu_err_rl("free: %p is not a live domain (freed already?)\n",
			      domain);
		return;
	}
	owner = domain->iommu->ops->owner;
	parent = domain->type == LIOMMU_DOMAIN_NESTED ? domain->parent : NULL;
	mutex_destroy(&domain->map_lock);
	domain->ops->free(domain);
	if (parent)
		atomic_dec(&parent->nested);
	liommu_stat_dec(LIOMMU_STAT_DOMAINS);
	module_put(owner);
}
LIOMMU_EXPORT(liommu_domain_free);
