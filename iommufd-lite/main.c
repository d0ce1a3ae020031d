// SPDX-License-Identifier: GPL-2.0
/*
 * iommufd-lite: /dev/iommufd-lite, the iommufd uAPI of Linux 6.12 over
 * the liommu core (include/uapi/liommu/iommufd.h has the ABI,
 * Documentation/iommufd-lite.rst the model).
 *
 * This file holds the fd and the one dispatcher: every command is a row
 * of ufd_ioctls[], indexed by its number minus IOMMUFD_CMD_BASE, with the
 * size of the kernel's structure, the minimum a caller may pass (the end
 * of its last mandatory field) and the handler.  The dispatcher reads the
 * caller's size, refuses one below the minimum (EINVAL), copies the
 * structure with copy_struct_from_user() (nonzero bytes past the kernel's
 * structure: E2BIG; missing ones read as zero) and runs the handler under
 * the context lock.  Replies go back through ufd_ucmd_respond(): at most
 * as many bytes as the caller passed.  A number with no row, or a row
 * with no handler (VFIO_IOAS, dirty tracking), is ENOTTY.
 */
#include <linux/cdev.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <liommu/compat.h>

#include "iommufd_lite.h"

struct ufd_ioctl_op {
	unsigned int size;
	unsigned int min_size;
	unsigned int ioctl_num;
	int (*execute)(struct ufd_ucmd *ucmd);
};

#define UFD_IOCTL_OP(_ioctl, _fn, _struct, _last)			\
	[_IOC_NR(_ioctl) - IOMMUFD_CMD_BASE] = {			\
		.size = sizeof(_struct) +				\
			BUILD_BUG_ON_ZERO(sizeof(union ufd_ucmd_buffer) < \
					  sizeof(_struct)),		\
		.min_size = offsetofend(_struct, _last),		\
		.ioctl_num = _ioctl,					\
		.execute = _fn,						\
	}

/* Every command structure: the dispatcher's buffer holds any of them. */
union ufd_ucmd_buffer {
	struct iommu_destroy destroy;
	struct iommu_fault_alloc fault;
	struct iommu_hw_info info;
	struct iommu_hwpt_alloc hwpt;
	struct iommu_hwpt_invalidate cache;
	struct iommu_ioas_alloc alloc;
	struct iommu_ioas_allow_iovas allow_iovas;
	struct iommu_ioas_copy ioas_copy;
	struct iommu_ioas_iova_ranges iova_ranges;
	struct iommu_ioas_map map;
	struct iommu_ioas_unmap unmap;
	struct iommu_option option;
};

static const struct ufd_ioctl_op ufd_ioctls[] = {
	UFD_IOCTL_OP(IOMMU_DESTROY, ufd_destroy_ioctl, struct iommu_destroy, id),
	UFD_IOCTL_OP(IOMMU_FAULT_QUEUE_ALLOC, ufd_fault_alloc_ioctl,
		     struct iommu_fault_alloc, out_fault_fd),
	UFD_IOCTL_OP(IOMMU_GET_HW_INFO, ufd_get_hw_info_ioctl,
		     struct iommu_hw_info, __reserved),
	UFD_IOCTL_OP(IOMMU_HWPT_ALLOC, ufd_hwpt_alloc_ioctl,
		     struct iommu_hwpt_alloc, __reserved),
	UFD_IOCTL_OP(IOMMU_HWPT_INVALIDATE, ufd_hwpt_invalidate_ioctl,
		     struct iommu_hwpt_invalidate, __reserved),
	UFD_IOCTL_OP(IOMMU_IOAS_ALLOC, ufd_ioas_alloc_ioctl,
		     struct iommu_ioas_alloc, out_ioas_id),
	UFD_IOCTL_OP(IOMMU_IOAS_ALLOW_IOVAS, ufd_ioas_allow_iovas_ioctl,
		     struct iommu_ioas_allow_iovas, allowed_iovas),
	UFD_IOCTL_OP(IOMMU_IOAS_COPY, ufd_ioas_copy_ioctl,
		     struct iommu_ioas_copy, src_iova),
	UFD_IOCTL_OP(IOMMU_IOAS_IOVA_RANGES, ufd_ioas_iova_ranges_ioctl,
		     struct iommu_ioas_iova_ranges, out_iova_alignment),
	UFD_IOCTL_OP(IOMMU_IOAS_MAP, ufd_ioas_map_ioctl, struct iommu_ioas_map,
		     iova),
	UFD_IOCTL_OP(IOMMU_IOAS_UNMAP, ufd_ioas_unmap_ioctl,
		     struct iommu_ioas_unmap, length),
	UFD_IOCTL_OP(IOMMU_OPTION, ufd_option_ioctl, struct iommu_option,
		     val64),
};

/**
 * ufd_ucmd_respond() - copy a command's reply back to its caller
 * @ucmd: the command
 * @size: the kernel's size of the reply
 *
 * Context: under the context lock.
 * Return: 0, or -EFAULT.
 */
int ufd_ucmd_respond(struct ufd_ucmd *ucmd, size_t size)
{
	if (copy_to_user(ucmd->ubuffer, ucmd->cmd,
			 min_t(size_t, ucmd->user_size, size)))
		return -EFAULT;
	return 0;
}

static int ufd_fops_open(struct inode *inode, struct file *file)
{
	struct ufd_ctx *ctx;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL_ACCOUNT);
	if (!ctx)
		return -ENOMEM;
	mutex_init(&ctx->lock);
	kref_init(&ctx->kref);
	xa_init_flags(&ctx->objects, XA_FLAGS_ALLOC1);
	INIT_LIST_HEAD(&ctx->devices);
	ctx->account = UFD_ACCOUNT_USER;
	file->private_data = ctx;
	return 0;
}

static int ufd_fops_release(struct inode *inode, struct file *file)
{
	struct ufd_ctx *ctx = file->private_data;

	mutex_lock(&ctx->lock);
	ctx->dead = true;
	mutex_unlock(&ctx->lock);
	/* Devices first: their DMA stops before any mapping goes. */
	ufd_ctx_unbind_all(ctx);
	mutex_lock(&ctx->lock);
	ufd_obj_destroy_all(ctx);
	mutex_unlock(&ctx->lock);
	ufd_ctx_put(ctx);
	return 0;
}

static long ufd_fops_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	struct ufd_ctx *ctx = file->private_data;
	const struct ufd_ioctl_op *op;
	union ufd_ucmd_buffer buf;
	struct ufd_ucmd ucmd = {};
	unsigned int nr = _IOC_NR(cmd);
	int ret;

	if (nr < IOMMUFD_CMD_BASE || nr - IOMMUFD_CMD_BASE >= ARRAY_SIZE(ufd_ioctls))
		return -ENOTTY;
	op = &ufd_ioctls[nr - IOMMUFD_CMD_BASE];
	if (!op->execute || op->ioctl_num != cmd)
		return -ENOTTY;
	ucmd.ctx = ctx;
	ucmd.ubuffer = (void __user *)arg;
	if (get_user(ucmd.user_size, (u32 __user *)ucmd.ubuffer))
		return -EFAULT;
	if (ucmd.user_size < op->min_size)
		return -EINVAL;
	ucmd.cmd = &buf;
	ret = copy_struct_from_user(ucmd.cmd, op->size, ucmd.ubuffer,
				    ucmd.user_size);
	if (ret)
		return ret;
	mutex_lock(&ctx->lock);
	ret = op->execute(&ucmd);
	mutex_unlock(&ctx->lock);
	return ret;
}

const struct file_operations ufd_fops = {
	.owner = THIS_MODULE,
	.open = ufd_fops_open,
	.release = ufd_fops_release,
	.unlocked_ioctl = ufd_fops_ioctl,
	.compat_ioctl = ufd_fops_ioctl,
};

/**
 * ufd_ctx_from_file() - the context of an open /dev/iommufd-lite
 * @file: any file
 *
 * Return: its context, or NULL when @file is not one.
 */
struct ufd_ctx *ufd_ctx_from_file(struct file *file)
{
	return file->f_op == &ufd_fops ? file->private_data : NULL;
}

/* /sys/kernel/debug/iommufd-lite/stats: what the tests compare. */
static struct dentry *ufd_debugfs;

static int ufd_stats_show(struct seq_file *m, void *unused)
{
	struct liommu_core_stats core;

	liommu_core_get_stats(&core);
	seq_printf(m, "pinned_pages %ld\n", ufd_pages_pinned());
	seq_printf(m, "core_domains %ld\n", core.domains);
	seq_printf(m, "core_table_pages %ld\n", core.table_pages);
	seq_printf(m, "core_allocs %ld\n", core.allocs);
	ufd_device_show_faults(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ufd_stats);

static int __init ufd_init(void)
{
	int err;

	err = ufd_device_init();
	if (err)
		return err;
	ufd_debugfs = debugfs_create_dir("iommufd-lite", NULL);
	debugfs_create_file("stats", 0400, ufd_debugfs, NULL, &ufd_stats_fops);
	ufd_fault_debugfs_init(ufd_debugfs);
	return 0;
}

static void __exit ufd_exit(void)
{
	debugfs_remove_recursive(ufd_debugfs);
	ufd_device_exit();
}

module_init(ufd_init);
module_exit(ufd_exit);
MODULE_DESCRIPTION("iommufd-lite: the iommufd uAPI and VFIO-style device nodes over liommu");
MODULE_LICENSE("GPL");
LIOMMU_IMPORT_NS();
