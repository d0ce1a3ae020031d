/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Nested domains: the vendor data a user stage 1 is described by, and the
 * user-driven cache invalidation of it.
 *
 * The layouts are the iommufd uAPI's of Linux 6.12 (include/uapi/linux/
 * iommufd.h): struct liommu_hwpt_vtd_s1 is struct iommu_hwpt_vtd_s1,
 * struct liommu_hwpt_arm_smmuv3 is struct iommu_hwpt_arm_smmuv3, the
 * invalidation entries are struct iommu_hwpt_vtd_s1_invalidate and struct
 * iommu_viommu_arm_smmuv3_invalidate, and the type numbers are the
 * uAPI's.  A kernel caller hands them in kernel memory; iommufd-lite
 * copies them from userspace into the same structures.
 *
 * The rules of the uAPI's extensible structures hold: a caller may pass
 * a structure longer than the kernel knows if the bytes past it are zero
 * (else -E2BIG), and not one shorter than its first version (-EINVAL).
 */
#ifndef _LIOMMU_NESTED_H
#define _LIOMMU_NESTED_H

#include <linux/bits.h>
#include <linux/types.h>

struct device;
struct liommu_domain;

/**
 * enum liommu_hwpt_data_type - what the data of a nested allocation is
 * @LIOMMU_HWPT_DATA_NONE: none (a paging domain)
 * @LIOMMU_HWPT_DATA_VTD_S1: &struct liommu_hwpt_vtd_s1
 * @LIOMMU_HWPT_DATA_ARM_SMMUV3: &struct liommu_hwpt_arm_smmuv3
 */
enum liommu_hwpt_data_type {
	LIOMMU_HWPT_DATA_NONE = 0,
	LIOMMU_HWPT_DATA_VTD_S1 = 1,
	LIOMMU_HWPT_DATA_ARM_SMMUV3 = 2,
};

/* &struct liommu_hwpt_vtd_s1.flags */
#define LIOMMU_VTD_S1_SRE	BIT_ULL(0)	/* supervisor requests */
#define LIOMMU_VTD_S1_EAFE	BIT_ULL(1)	/* extended access flag */
#define LIOMMU_VTD_S1_WPE	BIT_ULL(2)	/* write protect */
#define LIOMMU_VTD_S1_FLAGS	(LIOMMU_VTD_S1_SRE | LIOMMU_VTD_S1_EAFE | \
				 LIOMMU_VTD_S1_WPE)

/**
 * struct liommu_hwpt_vtd_s1 - a VT-d first-stage table owned by the user
 * @flags: LIOMMU_VTD_S1_*
 * @pgtbl_addr: the first-stage table's root, an address the parent
 *	(second stage) translates; 4 KiB aligned
 * @addr_width: the input width of the first stage: 48 (4-level) or 57
 *	(5-level)
 * @__reserved: must be 0
 */
struct liommu_hwpt_vtd_s1 {
	__aligned_u64 flags;
	__aligned_u64 pgtbl_addr;
	__u32 addr_width;
	__u32 __reserved;
};

/**
 * struct liommu_hwpt_arm_smmuv3 - an SMMUv3 stage 1 owned by the user
 * @ste: words 0 and 1 of the STE the user wants (V, Config abort, bypass
 *	or stage-1 translate, S1Fmt, S1ContextPtr as an IPA, S1CDMax, and
 *	S1DSS, S1CIR, S1COR, S1CSH, S1STALLD, EATS); every other bit 0
 */
struct liommu_hwpt_arm_smmuv3 {
	__le64 ste[2];
};

/**
 * struct liommu_user_data - typed user data of a nested allocation
 * @type: &enum liommu_hwpt_data_type
 * @data: the structure, in kernel memory
 * @len: its length in bytes
 */
struct liommu_user_data {
	u32 type;
	const void *data;
	size_t len;
};

/**
 * enum liommu_hwpt_invalidate_data_type - what an invalidation array holds
 * @LIOMMU_HWPT_INVALIDATE_DATA_VTD_S1: &struct liommu_hwpt_vtd_s1_invalidate
 * @LIOMMU_HWPT_INVALIDATE_DATA_ARM_SMMUV3:
 *	&struct liommu_hwpt_arm_smmuv3_invalidate
 */
enum liommu_hwpt_invalidate_data_type {
	LIOMMU_HWPT_INVALIDATE_DATA_VTD_S1 = 0,
	LIOMMU_HWPT_INVALIDATE_DATA_ARM_SMMUV3 = 1,
};

/* &struct liommu_hwpt_vtd_s1_invalidate.flags */
#define LIOMMU_VTD_INV_FLAGS_LEAF	BIT(0)

/**
 * struct liommu_hwpt_vtd_s1_invalidate - drop a range of a VT-d stage 1
 * @addr: the first address, 4 KiB aligned
 * @npages: pages from @addr; U64_MAX with @addr 0: everything
 * @flags: LIOMMU_VTD_INV_FLAGS_LEAF: only leaf entries changed
 * @__reserved: must be 0
 */
struct liommu_hwpt_vtd_s1_invalidate {
	__aligned_u64 addr;
	__aligned_u64 npages;
	__u32 flags;
	__u32 __reserved;
};

/**
 * struct liommu_hwpt_arm_smmuv3_invalidate - one SMMUv3 command
 * @cmd: the 128-bit command as a guest driver writes it: TLBI_NH_VA,
 *	TLBI_NH_VAA, TLBI_NH_ASID, TLBI_NH_ALL, CFGI_CD, CFGI_CD_ALL or
 *	ATC_INV; the driver puts its own VMID and StreamIDs in
 */
struct liommu_hwpt_arm_smmuv3_invalidate {
	__le64 cmd[2];
};

/**
 * struct liommu_user_data_array - an array of invalidation entries
 * @type: &enum liommu_hwpt_invalidate_data_type
 * @entries: @entry_num entries of @entry_len bytes, in kernel memory
 * @entry_len: bytes per entry (at least the type's first version)
 * @entry_num: in: entries to process; out: entries processed before the
 *	first one that failed (all of them on success)
 */
struct liommu_user_data_array {
	u32 type;
	const void *entries;
	u32 entry_len;
	u32 entry_num;
};

struct liommu_domain *liommu_nested_domain_alloc(struct device *dev,
						 struct liommu_domain *parent,
						 const struct liommu_user_data *data);
int liommu_cache_invalidate_user(struct liommu_domain *domain,
				 struct liommu_user_data_array *array);

/* For vendor drivers: the extensible-structure rules, once. */
int liommu_user_data_copy(const struct liommu_user_data *data, u32 type,
			  void *dst, size_t min_len, size_t dst_len);
int liommu_user_array_entry(const struct liommu_user_data_array *array,
			    u32 index, void *dst, size_t min_len,
			    size_t dst_len);

#endif /* _LIOMMU_NESTED_H */
