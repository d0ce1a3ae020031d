// SPDX-License-Identifier: GPL-2.0
/*
 * PASID attach: entry points reserved for the PASID issue.
 *
 * The structures already hold what it needs: each device's PASID width
 * (&liommu_dev.pasid_bits), its PASID -> domain table
 * (&liommu_dev.pasid_domains, under the group mutex), the vendor's
 * set_dev_pasid op and the group's immutable-singleton flag, which PASID
 * attach will require.
 */
#include "priv.h"

/**
 * liommu_attach_device_pasid() - reserved: attach a domain to one PASID
 * @domain: the domain
 * @dev: the device
 * @pasid: the PASID
 *
 * Stands for upstream's iommu_attach_device_pasid().
 *
 * Return: -EINVAL for bad arguments, -ENODEV when no unit translates
 * @dev, else -EOPNOTSUPP until the PASID issue lands.
 */
int liommu_attach_device_pasid(struct liommu_domain *domain,
			       struct device *dev, u32 pasid)
{
	if (!domain || !dev)
		return -EINVAL;
	if (!liommu_dev_find(dev))
		return -ENODEV;
	pr_info_ratelimited("liommu: PASID attach is not implemented yet\n");
	return -EOPNOTSUPP;
}
LIOMMU_EXPORT(liommu_attach_device_pasid);

/**
 * liommu_detach_device_pasid() - reserved: detach a PASID's domain
 * @domain: the domain
 * @dev: the device
 * @pasid: the PASID
 *
 * Stands for upstream's iommu_detach_device_pasid(); does nothing yet.
 */
void liommu_detach_device_pasid(struct liommu_domain *domain,
				struct device *dev, u32 pasid)
{
}
LIOMMU_EXPORT(liommu_detach_device_pasid);
