// SPDX-License-Identifier: GPL-2.0
/*
 * IOMMU_GET_HW_INFO: what the unit that translates a bound device is, as
 * its vendor describes it (liommu_dev_hw_info(), include/liommu/hw_info.h).
 */
#include <linux/slab.h>
#include <linux/stddef.h>
#include <linux/uaccess.h>

#include "iommufd_lite.h"

/*
 * The vendors' data is copied to userspace as it is: its layouts and type
 * numbers must be the uAPI's (include/liommu/hw_info.h says so, this
 * checks it).
 */
#define UFD_SAME_FIELD(a, b, f)						\
	static_assert(offsetof(struct a, f) == offsetof(struct b, f) &&	\
		      sizeof_field(struct a, f) == sizeof_field(struct b, f))
static_assert(sizeof(struct liommu_hw_info_vtd) ==
	      sizeof(struct iommu_hw_info_vtd));
UFD_SAME_FIELD(liommu_hw_info_vtd, iommu_hw_info_vtd, flags);
UFD_SAME_FIELD(liommu_hw_info_vtd, iommu_hw_info_vtd, cap_reg);
UFD_SAME_FIELD(liommu_hw_info_vtd, iommu_hw_info_vtd, ecap_reg);
static_assert(sizeof(struct liommu_hw_info_arm_smmuv3) ==
	      sizeof(struct iommu_hw_info_arm_smmuv3));
UFD_SAME_FIELD(liommu_hw_info_arm_smmuv3, iommu_hw_info_arm_smmuv3, flags);
UFD_SAME_FIELD(liommu_hw_info_arm_smmuv3, iommu_hw_info_arm_smmuv3, idr);
UFD_SAME_FIELD(liommu_hw_info_arm_smmuv3, iommu_hw_info_arm_smmuv3, iidr);
UFD_SAME_FIELD(liommu_hw_info_arm_smmuv3, iommu_hw_info_arm_smmuv3, aidr);
static_assert((int)LIOMMU_HW_INFO_TYPE_INTEL_VTD ==
	      (int)IOMMU_HW_INFO_TYPE_INTEL_VTD);
static_assert(LIOMMU_HW_INFO_TYPE_ARM_SMMUV3 == IOMMU_HW_INFO_TYPE_ARM_SMMUV3);

/*
 * IOMMU_GET_HW_INFO: the vendor's data of the device's unit
 * (liommu_dev_hw_info()), as upstream hands it out: min(@data_len, the
 * kernel's length) bytes copied, the rest of the caller's @data_len
 * zeroed, @data_len set to the kernel's length (it may exceed the
 * caller's: that is how a caller learns the size), the type in
 * @out_data_type.  The PASID width is the core's for the device.
 */
int ufd_get_hw_info_ioctl(struct ufd_ucmd *ucmd)
{
	struct iommu_hw_info *cmd = ucmd->cmd;
	void __user *uptr = u64_to_user_ptr(cmd->data_uptr);
	u32 len, type, copy;
	struct ufd_obj *obj;
	struct device *dev;
	void *data;
	int err = 0;

	if (cmd->flags || cmd->__reserved[0] || cmd->__reserved[1] ||
	    cmd->__reserved[2])
		return -EOPNOTSUPP;
	obj = ufd_obj_find(ucmd->ctx, cmd->dev_id, UFD_OBJ_DEVICE);
	if (IS_ERR(obj))
		return PTR_ERR(obj);
	dev = ufd_device_dev(container_of(obj, struct ufd_device_obj, obj));
	data = liommu_dev_hw_info(dev, &len, &type);
	if (IS_ERR(data))
		return PTR_ERR(data);
	copy = min(cmd->data_len, len);
	if (copy && copy_to_user(uptr, data, copy))
		err = -EFAULT;
	else if (copy < cmd->data_len &&
		 clear_user(uptr + copy, cmd->data_len - copy))
		err = -EFAULT;
	kfree(data);
	if (err)
		return err;
	cmd->data_len = len;
	cmd->out_data_type = type;
	cmd->out_max_pasid_log2 = liommu_dev_pasid_bits(dev);
	cmd->out_capabilities = 0;
	return ufd_ucmd_respond(ucmd, sizeof(*cmd));
}
