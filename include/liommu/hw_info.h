/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a vendor tells iommufd about the unit that translates a device
 * (liommu_ops.hw_info, liommu_dev_hw_info()): upstream's iommu_ops.hw_info
 * data.
 *
 * The layouts are the iommufd uAPI's: struct liommu_hw_info_vtd is Linux
 * 6.12's struct iommu_hw_info_vtd, struct liommu_hw_info_arm_smmuv3 the
 * struct iommu_hw_info_arm_smmuv3 that later Linux added (6.12 has no
 * SMMUv3 data), and the type numbers are the uAPI's
 * (IOMMU_HW_INFO_TYPE_*).  iommufd-lite copies them to userspace as they
 * are and checks the layouts at build time.  Register values are raw, in
 * CPU order, as the vendor read them from the unit at load.
 */
#ifndef _LIOMMU_HW_INFO_H
#define _LIOMMU_HW_INFO_H

#include <linux/types.h>

/**
 * enum liommu_hw_info_type - the data liommu_dev_hw_info() returns
 * @LIOMMU_HW_INFO_TYPE_NONE: none (the vendor has no hw_info)
 * @LIOMMU_HW_INFO_TYPE_INTEL_VTD: &struct liommu_hw_info_vtd
 * @LIOMMU_HW_INFO_TYPE_ARM_SMMUV3: &struct liommu_hw_info_arm_smmuv3
 */
enum liommu_hw_info_type {
	LIOMMU_HW_INFO_TYPE_NONE = 0,
	LIOMMU_HW_INFO_TYPE_INTEL_VTD = 1,
	LIOMMU_HW_INFO_TYPE_ARM_SMMUV3 = 2,
};

/**
 * struct liommu_hw_info_vtd - a VT-d unit
 * @flags: 0 (IOMMU_HW_INFO_VTD_ERRATA_772415_SPR17 is for Sapphire Rapids
 *	units, which no liommu target has)
 * @__reserved: 0
 * @cap_reg: the unit's CAP register (VT-d spec 11.4.2)
 * @ecap_reg: its ECAP register (11.4.3)
 */
struct liommu_hw_info_vtd {
	__u32 flags;
	__u32 __reserved;
	__aligned_u64 cap_reg;
	__aligned_u64 ecap_reg;
};

/**
 * struct liommu_hw_info_arm_smmuv3 - an SMMUv3
 * @flags: 0
 * @__reserved: 0
 * @idr: SMMU_IDR0 .. SMMU_IDR5 (SMMUv3 spec 6.3.1-6.3.6)
 * @iidr: SMMU_IIDR
 * @aidr: SMMU_AIDR
 */
struct liommu_hw_info_arm_smmuv3 {
	__u32 flags;
	__u32 __reserved;
	__u32 idr[6];
	__u32 iidr;
	__u32 aidr;
};

#endif /* _LIOMMU_HW_INFO_H */
