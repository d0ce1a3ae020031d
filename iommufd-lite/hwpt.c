// SPDX-License-Identifier: GPL-2.0
/*
 * Hardware page tables: IOMMU_HWPT_ALLOC and IOMMU_HWPT_INVALIDATE.
 *
 * A paging HWPT is a liommu user domain over an IOAS: it is filled with
 * every area of the IOAS when made and stays in the IOAS's list, so that
 * later maps and unmaps reach it (ioas.c).  With NEST_PARENT it can carry
 * nested HWPTs: a nested HWPT is the vendor's stage 1 described by user
 * data (VT-d: &struct iommu_hwpt_vtd_s1; SMMUv3: &struct
 * iommu_hwpt_arm_smmuv3) over its parent's stage 2, and
 * IOMMU_HWPT_INVALIDATE hands the user's invalidation entries to the
 * vendor through liommu_cache_invalidate_user().  Attaching a device to
 * an IOAS makes an automatic paging HWPT (or reuses one of the same unit)
 * that goes away with its last device (device.c).
 */
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "iommufd_lite.h"

/* The largest nested data and invalidation array taken from the user. */
#define UFD_HWPT_DATA_MAX	256
#define UFD_INV_MAX_BYTES	(64 * 1024)

#define UFD_HWPT_FLAGS	(IOMMU_HWPT_ALLOC_NEST_PARENT | \
			 IOMMU_HWPT_ALLOC_DIRTY_TRACKING | \
			 IOMMU_HWPT_FAULT_ID_VALID)

/**
 * ufd_hwpt_paging_alloc() - a paging HWPT over an IOAS, reserved
 * @ctx: the context
 * @ioas: the IOAS whose areas it maps
 * @dev: the device it is for
 * @flags: LIOMMU_HWPT_ALLOC_* for the core
 * @auto_domain: made by an attach to the IOAS
 *
 * The HWPT comes back reserved, filled and in @ioas's list; the caller
 * publishes it with ufd_obj_publish() or drops it with ufd_obj_abort().
 *
 * Context: under @ctx->lock.
 * Return: the HWPT, or ERR_PTR() with the core's or ufd_ioas_fill_domain()'s
 * error.
 */
struct ufd_hwpt *ufd_hwpt_paging_alloc(struct ufd_ctx *ctx,
				       struct ufd_ioas *ioas,
				       struct device *dev, u32 flags,
				       bool auto_domain)
{
	struct ufd_hwpt *hwpt;
	int err;

	hwpt = kzalloc(sizeof(*hwpt), GFP_KERNEL_ACCOUNT);
	if (!hwpt)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&hwpt->ioas_node);
	hwpt->auto_domain = auto_domain;
	err = ufd_obj_reserve(ctx, &hwpt->obj, UFD_OBJ_HWPT_PAGING);
	if (err) {
		kfree(hwpt);
		return ERR_PTR(err);
	}
	hwpt->domain = liommu_user_domain_alloc(dev, flags);
	if (IS_ERR(hwpt->domain)) {
		err = PTR_ERR(hwpt->domain);
		hwpt->domain = NULL;
		goto err_abort;
	}
	err = ufd_ioas_fill_domain(ioas, hwpt->domain);
	if (err)
		goto err_abort;
	hwpt->ioas = ioas;
	ioas->obj.users++;
	list_add_tail(&hwpt->ioas_node, &ioas->hwpts);
	return hwpt;

err_abort:
	ufd_obj_abort(ctx, &hwpt->obj);
	return ERR_PTR(err);
}

/* Free a HWPT no device uses: out of its IOAS, its domain freed. */
void ufd_hwpt_free(struct ufd_hwpt *hwpt)
{
	if (hwpt->ioas) {
		list_del(&hwpt->ioas_node);
		ufd_ioas_unfill_domain(hwpt->ioas, hwpt->domain);
		hwpt->ioas->obj.users--;
	}
	if (hwpt->parent)
		hwpt->parent->obj.users--;
	if (hwpt->domain)
		liommu_domain_free(hwpt->domain);
	if (hwpt->fault) {
		hwpt->fault->obj.users--;
		ufd_fault_put(hwpt->fault);
	}
	kfree(hwpt);
}

static struct ufd_hwpt *ufd_hwpt_nested_alloc(struct ufd_ctx *ctx,
					      struct ufd_hwpt *parent,
					      struct device *dev,
					      struct iommu_hwpt_alloc *cmd)
{
	struct liommu_user_data data = {
		.type = cmd->data_type, .len = cmd->data_len,
	};
	struct ufd_hwpt *hwpt;
	void *buf;
	int err;

	if (!(parent->domain->user_flags & LIOMMU_HWPT_ALLOC_NEST_PARENT) ||
	    (cmd->flags & ~IOMMU_HWPT_FAULT_ID_VALID))
		return ERR_PTR(-EINVAL);
	if (!cmd->data_len || !cmd->data_uptr)
		return ERR_PTR(-EINVAL);
	if (cmd->data_len > UFD_HWPT_DATA_MAX)
		return ERR_PTR(-E2BIG);
	buf = memdup_user(u64_to_user_ptr(cmd->data_uptr), cmd->data_len);
	if (IS_ERR(buf))
		return buf;
	data.data = buf;
	hwpt = kzalloc(sizeof(*hwpt), GFP_KERNEL_ACCOUNT);
	if (!hwpt) {
		err = -ENOMEM;
		goto err_free_buf;
	}
	INIT_LIST_HEAD(&hwpt->ioas_node);
	err = ufd_obj_reserve(ctx, &hwpt->obj, UFD_OBJ_HWPT_NESTED);
	if (err) {
		kfree(hwpt);
		goto err_free_buf;
	}
	hwpt->domain = liommu_nested_domain_alloc(dev, parent->domain, &data);
	if (IS_ERR(hwpt->domain)) {
		err = PTR_ERR(hwpt->domain);
		hwpt->domain = NULL;
		ufd_obj_abort(ctx, &hwpt->obj);
		goto err_free_buf;
	}
	hwpt->parent = parent;
	parent->obj.users++;
	kfree(buf);
	return hwpt;

err_free_buf:
	kfree(buf);
	return ERR_PTR(err);
}

/* IOMMU_HWPT_ALLOC */
int ufd_hwpt_alloc_ioctl(struct ufd_ucmd *ucmd)
{
	struct iommu_hwpt_alloc *cmd = ucmd->cmd;
	struct ufd_ctx *ctx = ucmd->ctx;
	struct ufd_obj *dobj, *pt;
	struct ufd_hwpt *hwpt;
	struct device *dev;
	int err;

	if ((cmd->flags & ~UFD_HWPT_FLAGS) || cmd->__reserved ||
	    cmd->__reserved2)
		return -EOPNOTSUPP;
	if (cmd->data_type == IOMMU_HWPT_DATA_NONE &&
	    (cmd->data_len || cmd->data_uptr))
		return -EINVAL;
	dobj = ufd_obj_find(ctx, cmd->dev_id, UFD_OBJ_DEVICE);
	if (IS_ERR(dobj))
		return PTR_ERR(dobj);
	dev = ufd_device_dev(container_of(dobj, struct ufd_device_obj, obj));
	pt = ufd_obj_find(ctx, cmd->pt_id, UFD_OBJ_ANY);
	if (IS_ERR(pt))
		return PTR_ERR(pt);
	/* No dirty tracking. */
	if (cmd->flags & IOMMU_HWPT_ALLOC_DIRTY_TRACKING)
		return -EOPNOTSUPP;

	switch (pt->type) {
	case UFD_OBJ_IOAS:
		if (cmd->data_type != IOMMU_HWPT_DATA_NONE)
			return -EINVAL;
		hwpt = ufd_hwpt_paging_alloc(ctx,
					     container_of(pt, struct ufd_ioas, obj),
					     dev,
					     cmd->flags & ~IOMMU_HWPT_FAULT_ID_VALID,
					     false);
		break;
	case UFD_OBJ_HWPT_PAGING:
		if (cmd->data_type == IOMMU_HWPT_DATA_NONE)
			return -EINVAL;
		hwpt = ufd_hwpt_nested_alloc(ctx,
					     container_of(pt, struct ufd_hwpt, obj),
					     dev, cmd);
		break;
	default:
		return -EINVAL;
	}
	if (IS_ERR(hwpt))
		return PTR_ERR(hwpt);
	if (cmd->flags & IOMMU_HWPT_FAULT_ID_VALID) {
		struct ufd_obj *fobj;

		fobj = ufd_obj_find(ctx, cmd->fault_id, UFD_OBJ_FAULT);
		err = PTR_ERR_OR_ZERO(fobj);
		if (!err) {
			struct ufd_fault *fault;

			fault = container_of(fobj, struct ufd_fault, obj);
			err = ufd_fault_attach_hwpt(fault, hwpt);
		}
		if (err) {
			ufd_obj_abort(ctx, &hwpt->obj);
			return err;
		}
	}
	cmd->out_hwpt_id = hwpt->obj.id;
	err = ufd_ucmd_respond(ucmd, sizeof(*cmd));
	if (err) {
		ufd_obj_abort(ctx, &hwpt->obj);
		return err;
	}
	ufd_obj_publish(ctx, &hwpt->obj);
	return 0;
}

/* IOMMU_HWPT_INVALIDATE */
int ufd_hwpt_invalidate_ioctl(struct ufd_ucmd *ucmd)
{
	struct iommu_hwpt_invalidate *cmd = ucmd->cmd;
	struct liommu_user_data_array array = {};
	struct ufd_hwpt *hwpt;
	struct ufd_obj *obj;
	void *buf = NULL;
	int err;

	if (cmd->__reserved)
		return -EOPNOTSUPP;
	if (cmd->entry_num && (!cmd->data_uptr || !cmd->entry_len))
		return -EINVAL;
	obj = ufd_obj_find(ucmd->ctx, cmd->hwpt_id, UFD_OBJ_HWPT_NESTED);
	if (IS_ERR(obj))
		return PTR_ERR(obj);
	hwpt = container_of(obj, struct ufd_hwpt, obj);
	if (cmd->entry_num) {
		if ((u64)cmd->entry_num * cmd->entry_len > UFD_INV_MAX_BYTES)
			return -E2BIG;
		buf = memdup_user(u64_to_user_ptr(cmd->data_uptr),
				  (size_t)cmd->entry_num * cmd->entry_len);
		if (IS_ERR(buf))
			return PTR_ERR(buf);
	}
	array.type = cmd->data_type;
	array.entries = buf;
	array.entry_len = cmd->entry_len;
	array.entry_num = cmd->entry_num;
	err = cmd->entry_num ? liommu_cache_invalidate_user(hwpt->domain, &array) :
			       0;
	kfree(buf);
	cmd->entry_num = array.entry_num;
	if (ufd_ucmd_respond(ucmd, sizeof(*cmd)))
		return -EFAULT;
	return err;
}
