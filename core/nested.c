// SPDX-License-Identifier: GPL-2.0
/*
 * Nested domains (seed 003, with the allocation split upstream settled
 * on after it): a stage-1 table that the user owns, over a kernel-managed
 * paging domain allocated with LIOMMU_HWPT_ALLOC_NEST_PARENT, and the
 * user-driven invalidation of that stage 1's caches.
 *
 * A nested domain has no map or unmap: the user edits its stage-1 table
 * and tells the unit through liommu_cache_invalidate_user(); the kernel
 * maps and unmaps the parent, whose invalidation the vendor extends to
 * the combined entries.  It is attached like any domain (group attach,
 * replace); its parent's @nested count keeps the parent from being
 * freed while it lives.
 *
 * The core checks what every vendor would: the parent (a NEST_PARENT
 * paging domain of the device's own unit), the typed data's presence,
 * and for invalidation the domain's type and the array's shape; the
 * vendor checks its data's type and every field.  The extensible-
 * structure rules of the uAPI (a longer structure is fine when the extra
 * bytes are zero) live here once, in liommu_user_data_copy() and
 * liommu_user_array_entry().
 *
 * Locking: allocation runs under liommu_table_lock like every allocator
 * (the unit can't go away); the counts are atomic.
 */
#include <linux/err.h>
#include <linux/module.h>
#include <linux/string.h>

#include "priv.h"

/**
 * liommu_user_data_copy() - take typed user data by the uAPI's rules
 * @data: the caller's data
 * @type: the type the vendor understands
 * @dst: where to copy it; zero-filled past what the caller gave
 * @min_len: the length of the structure's first version
 * @dst_len: the length of the structure the kernel knows
 *
 * Return: 0; -EINVAL for missing data or a length below @min_len;
 * -EOPNOTSUPP for another type; -E2BIG when bytes past @dst_len are not
 * zero.
 */
int liommu_user_data_copy(const struct liommu_user_data *data, u32 type,
			  void *dst, size_t min_len, size_t dst_len)
{
	if (!data || !data->data || !dst)
		return -EINVAL;
	if (data->type != type)
		return -EOPNOTSUPP;
	if (data->len < min_len)
		return -EINVAL;
	if (data->len > dst_len &&
	    memchr_inv((const u8 *)data->data + dst_len, 0,
		       data->len - dst_len))
		return -E2BIG;
	memset(dst, 0, dst_len);
	memcpy(dst, data->data, min(data->len, dst_len));
	return 0;
}
LIOMMU_EXPORT(liommu_user_data_copy);

/**
 * liommu_user_array_entry() - take one entry of an invalidation array
 * @array: the caller's array
 * @index: the entry, below @array->entry_num
 * @dst: where to copy it; zero-filled past what the caller gave
 * @min_len: the length of the entry's first version
 * @dst_len: the length of the entry the kernel knows
 *
 * Return: 0; -EINVAL for a bad index or an entry length below @min_len;
 * -E2BIG when bytes past @dst_len are not zero.
 */
int liommu_user_array_entry(const struct liommu_user_data_array *array,
			    u32 index, void *dst, size_t min_len,
			    size_t dst_len)
{
	const u8 *src;

	if (!array || !array->entries || !dst || index >= array->entry_num ||
	    array->entry_len < min_len)
		return -EINVAL;
	src = (const u8 *)array->entries + (size_t)index * array->entry_len;
	if (array->entry_len > dst_len &&
	    memchr_inv(src + dst_len, 0, array->entry_len - dst_len))
		return -E2BIG;
	memset(dst, 0, dst_len);
	memcpy(dst, src, min_t(size_t, array->entry_len, dst_len));
	return 0;
}
LIOMMU_EXPORT(liommu_user_array_entry);

/* Fill in a nested domain the vendor just allocated over @parent. */
static struct liommu_domain *nested_finish(struct liommu_domain *domain,
					   struct liommu_device *iommu,
					   struct liommu_domain *parent)
{
	if (IS_ERR_OR_NULL(domain)) {
		module_put(iommu->ops->owner);
		return domain ?: ERR_PTR(-ENOMEM);
	}
	if (!domain->ops || !domain->ops->attach_dev || !domain->ops->free) {
		pr_err("liommu: unit %s returned a nested domain without its ops\n",
		       iommu->name);
		if (domain->ops && domain->ops->free)
			domain->ops->free(domain);
		module_put(iommu->ops->owner);
		return ERR_PTR(-EINVAL);
	}
	domain->type = LIOMMU_DOMAIN_NESTED;
	domain->flags = 0;
	domain->owner = LIOMMU_OWNER_USER;
	domain->user_flags = 0;
	domain->iommu = iommu;
	domain->pgsize_bitmap = 0;
	domain->oa_bits = parent->oa_bits;
	domain->geometry = parent->geometry;
	domain->pt = NULL;
	domain->nr_resv = 0;
	mutex_init(&domain->map_lock);
	spin_lock_init(&domain->sync_lock);
	atomic_set(&domain->users, 0);
	domain->iopf_handler = NULL;
	domain->fault_data = NULL;
	domain->mm = NULL;
	domain->parent = parent;
	atomic_set(&domain->nested, 0);
	if (liommu_domain_hold_parent(parent)) {
		/* The parent was freed under us: the caller's bug. */
		mutex_destroy(&domain->map_lock);
		domain->ops->free(domain);
		module_put(iommu->ops->owner);
		return ERR_PTR(-EINVAL);
	}
	if (liommu_domain_table_add(domain)) {
		atomic_dec(&parent->nested);
		mutex_destroy(&domain->map_lock);
		domain->ops->free(domain);
		module_put(iommu->ops->owner);
		return ERR_PTR(-ENOMEM);
	}
	liommu_stat_inc(LIOMMU_STAT_DOMAINS);
	return domain;
}

/**
 * liommu_nested_domain_alloc() - a user stage 1 nested over a parent domain
 * @dev: a device of the parent's unit
 * @parent: a paging domain from liommu_user_domain_alloc() with
 *	LIOMMU_HWPT_ALLOC_NEST_PARENT, of @dev's unit
 * @data: the stage 1: LIOMMU_HWPT_DATA_VTD_S1 or _ARM_SMMUV3 and its
 *	structure (include/liommu/nested.h)
 *
 * liommu_nested_domain_alloc() stands for iommufd's IOMMU_HWPT_ALLOC with
 * a parent HWPT (upstream's domain_alloc_nested op).  The domain has no
 * map or unmap; it is attached with liommu_attach_device() and friends,
 * and its caches are invalidated with liommu_cache_invalidate_user().
 * @parent can't be freed while the domain lives.
 *
 * Context: process context; may sleep.
 * Return: the domain (type LIOMMU_DOMAIN_NESTED, owner user), or
 * ERR_PTR(): -EINVAL for a NULL argument, a parent that is not a
 * NEST_PARENT paging domain or is another unit's, or a bad field of
 * @data; -ENODEV when no unit translates @dev; -EOPNOTSUPP when the unit
 * has no nesting or does not take @data's type or a feature it asks for;
 * -E2BIG for non-zero bytes past the known structure; -EIO for reserved
 * bits (as upstream's SMMUv3 driver); -ENOMEM.
 */
struct liommu_domain *liommu_nested_domain_alloc(struct device *dev,
						 struct liommu_domain *parent,
						 const struct liommu_user_data *data)
{
	const struct liommu_ops *ops;
	struct liommu_domain *domain;
	struct liommu_dev *ldev;

	if (IS_ERR_OR_NULL(dev) || liommu_domain_check(parent, "nested alloc") ||
	    !data)
		return ERR_PTR(-EINVAL);
	if (parent->type != LIOMMU_DOMAIN_PAGING ||
	    !(parent->user_flags & LIOMMU_HWPT_ALLOC_NEST_PARENT)) {
		liommu_err_rl("nested: the parent must be a paging domain allocated with NEST_PARENT\n");
		return ERR_PTR(-EINVAL);
	}
	mutex_lock(&liommu_table_lock);
	ldev = liommu_dev_find(dev);
	if (!ldev) {
		domain = ERR_PTR(-ENODEV);
		goto out_unlock;
	}
	ops = ldev->iommu->ops;
	if (parent->iommu != ldev->iommu) {
		liommu_err_rl("nested: parent of unit %s, %s is on unit %s\n",
			      parent->iommu->name, dev_name(dev),
			      ldev->iommu->name);
		domain = ERR_PTR(-EINVAL);
	} else if (!ops->domain_alloc_nested) {
		liommu_err_rl("nested: unit %s has no nesting\n",
			      ldev->iommu->name);
		domain = ERR_PTR(-EOPNOTSUPP);
	} else if (liommu_fail_point("core:nested")) {
		domain = ERR_PTR(-ENOMEM);
	} else if (!try_module_get(ops->owner)) {
		domain = ERR_PTR(-ENODEV);
	} else {
		domain = ops->domain_alloc_nested(ldev->dev, parent, 0, data);
		domain = nested_finish(domain, ldev->iommu, parent);
	}
out_unlock:
	mutex_unlock(&liommu_table_lock);
	return domain;
}
LIOMMU_EXPORT(liommu_nested_domain_alloc);

/**
 * liommu_cache_invalidate_user() - invalidate a nested domain's caches
 * @domain: a nested domain
 * @array: its entries; @array->entry_num is set to the number processed
 *	before the first failure (all on success)
 *
 * liommu_cache_invalidate_user() stands for iommufd's IOMMU_HWPT_INVALIDATE
 * (upstream's cache_invalidate_user op).  Entries are processed in order;
 * each is done whole or not at all; the first bad one stops the call with
 * its errno.  @array->entry_num 0 only checks that the domain takes
 * @array's type.
 *
 * Context: process context; may sleep.
 * Return: 0; -EINVAL for a NULL argument, a domain that is not nested, an
 * array without entries, or a bad entry; -EOPNOTSUPP for a type the unit
 * does not take; -E2BIG for non-zero bytes past the known entry; -EIO for
 * an entry the unit refuses (a command outside the allowed list); an
 * error of the unit's invalidation.
 */
int liommu_cache_invalidate_user(struct liommu_domain *domain,
				 struct liommu_user_data_array *array)
{
	if (!array)
		return -EINVAL;
	if (liommu_domain_check(domain, "cache invalidate") ||
	    domain->type != LIOMMU_DOMAIN_NESTED) {
		array->entry_num = 0;
		return -EINVAL;
	}
	if (!domain->ops->cache_invalidate_user) {
		array->entry_num = 0;
		return -EOPNOTSUPP;
	}
	if (array->entry_num && (!array->entries || !array->entry_len)) {
		array->entry_num = 0;
		return -EINVAL;
	}
	return domain->ops->cache_invalidate_user(domain, array);
}
LIOMMU_EXPORT(liommu_cache_invalidate_user);
