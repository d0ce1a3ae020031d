// SPDX-License-Identifier: GPL-2.0
/*
 * Device nodes: a PCI device given to iommufd-lite (driver_override =
 * "iommufd_lite", then a probe) gets /dev/liommu/<pci-name>, which speaks
 * the part of VFIO's device cdev uAPI in include/uapi/liommu/vfio.h, and
 * /dev/iommufd-lite itself is made here too (minor 0 of one char region,
 * one class: a misc device cannot give its node a group, and the
 * `group` parameter needs one).
 *
 * A node is open at most once at a time (EBUSY), which is what keeps
 * another process from using a device someone drives.  The open fd binds
 * to one /dev/iommufd-lite fd (VFIO_DEVICE_BIND_IOMMUFD): the device gets
 * an object there and is attached to its unit's blocked domain, so it
 * can reach nothing until attached to an IOAS or HWPT of that fd.
 * Closing the node's fd, or the iommufd-lite fd, or removing the driver,
 * unbinds: bus mastering off first, so the device stops issuing DMA,
 * then the device goes back to its default domain and leaves the
 * context; an automatic HWPT it used goes with its last device.
 *
 * Locking: iommufd_lite.h (&ufd_device.lock, then &ufd_ctx.lock).
 */
#include <linux/cdev.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <liommu/compat.h>
#include <uapi/liommu/vfio.h>

#include "iommufd_lite.h"

#define UFD_DRV_NAME		"iommufd_lite"
#define UFD_MINORS		64
#define UFD_REGION(off)		((off) >> LIOMMU_VFIO_REGION_SHIFT)
#define UFD_REGION_OFF(off)	((off) & (LIOMMU_VFIO_REGION_OFFSET(1) - 1))

static int ufd_group = -1;
module_param_named(group, ufd_group, int, 0444);
MODULE_PARM_DESC(group, "group of /dev/iommufd-lite (mode 0660 then; default: root only, 0600)");

/**
 * struct ufd_device - a PCI device given to iommufd-lite
 * @node: the char device's device (its release frees this structure)
 * @cdev: /dev/liommu/<name>
 * @pdev: the PCI device (referenced)
 * @lock: serialises the node's commands, binding and attachment
 * @open: the node is open (once at a time)
 * @removed: the driver let go of the device: every command fails
 * @ctx: the context bound to (a reference), or NULL
 * @dobj: the device's object in @ctx
 */
struct ufd_device {
	struct device node;
	struct cdev cdev;
	struct pci_dev *pdev;
	struct mutex lock;
	bool open;
	bool removed;
	struct ufd_ctx *ctx;
	struct ufd_device_obj *dobj;
};

static dev_t ufd_devt;
static DEFINE_IDA(ufd_minors);
static struct cdev ufd_ctl_cdev;
static struct device ufd_ctl;

static char *ufd_ctl_devnode(LIOMMU_DEVNODE_CONST struct device *dev,
			     umode_t *mode, kuid_t *uid, kgid_t *gid)
{
	if (mode)
		*mode = ufd_group >= 0 ? 0660 : 0600;
	if (gid && ufd_group >= 0)
		*gid = KGIDT_INIT(ufd_group);
	return NULL;
}

static const struct device_type ufd_ctl_type = {
	.name = "iommufd-lite",
	.devnode = ufd_ctl_devnode,
};

static char *ufd_node_devnode(LIOMMU_DEVNODE_CONST struct device *dev,
			      umode_t *mode, kuid_t *uid, kgid_t *gid)
{
	if (mode)
		*mode = 0600;
	return kasprintf(GFP_KERNEL, "liommu/%s", dev_name(dev));
}

static const struct device_type ufd_node_type = {
	.name = "liommu-device",
	.devnode = ufd_node_devnode,
};

/* The static control device has nothing to free. */
static void ufd_ctl_release(struct device *dev)
{
}

static struct class ufd_class = {
	.name = "iommufd-lite",
};

struct device *ufd_device_dev(struct ufd_device_obj *dobj)
{
	return &dobj->udev->pdev->dev;
}

void ufd_device_obj_free(struct ufd_device_obj *dobj)
{
	kfree(dobj);
}

/* Drop a device's use of @hwpt; an automatic HWPT goes with its last. */
static void ufd_hwpt_unuse(struct ufd_ctx *ctx, struct ufd_hwpt *hwpt)
{
	hwpt->obj.users--;
	if (hwpt->auto_domain && !hwpt->obj.users)
		WARN_ON(ufd_obj_destroy(ctx, &hwpt->obj));
}

/*
 * Before @dobj is attached to @hwpt: a HWPT with a fault queue needs the
 * core's LIOMMU_DEV_FEAT_IOPF on the device (upstream turns on
 * IOMMU_DEV_FEAT_IOPF at the same point); its errno is the answer.
 */
static int ufd_iopf_prepare(struct ufd_device_obj *dobj, struct ufd_hwpt *hwpt)
{
	struct device *dev = ufd_device_dev(dobj);
	int err;

	if (!hwpt || !hwpt->fault || dobj->iopf ||
	    liommu_dev_feature_enabled(dev, LIOMMU_DEV_FEAT_IOPF))
		return 0;
	err = liommu_dev_enable_feature(dev, LIOMMU_DEV_FEAT_IOPF);
	if (!err)
		dobj->iopf = true;
	return err;
}

/*
 * After an attach, detach or unbind of @dobj (done or failed): @old is
 * what it was attached to, @now what it is attached to.  Faults of the
 * device that @old's queue still holds are answered INVALID; IOPF goes
 * off when no queue needs it any more.
 */
static void ufd_iopf_finish(struct ufd_device_obj *dobj, struct ufd_hwpt *old,
			    struct ufd_hwpt *now)
{
	struct device *dev = ufd_device_dev(dobj);

	if (old && old != now && old->fault)
		ufd_fault_dev_leaves(old->fault, dev);
	if (dobj->iopf && !(now && now->fault)) {
		liommu_dev_disable_feature(dev, LIOMMU_DEV_FEAT_IOPF);
		dobj->iopf = false;
	}
}

/* Bind @udev to @ctx: a device object, attached to the blocked domain. */
static int ufd_bind(struct ufd_device *udev, struct ufd_ctx *ctx, u32 *id)
{
	struct device *dev = &udev->pdev->dev;
	struct ufd_device_obj *dobj;
	struct liommu_domain *blocked;
	int err;

	mutex_lock(&ctx->lock);
	if (ctx->dead) {
		err = -EINVAL;
		goto out_unlock;
	}
	dobj = kzalloc(sizeof(*dobj), GFP_KERNEL_ACCOUNT);
	if (!dobj) {
		err = -ENOMEM;
		goto out_unlock;
	}
	dobj->udev = udev;
	INIT_LIST_HEAD(&dobj->node);
	err = ufd_obj_reserve(ctx, &dobj->obj, UFD_OBJ_DEVICE);
	if (err) {
		kfree(dobj);
		goto out_unlock;
	}
	blocked = liommu_blocked_domain(dev);
	err = PTR_ERR_OR_ZERO(blocked);
	if (!err)
		err = liommu_attach_device(blocked, dev);
	if (err) {
		ufd_obj_abort(ctx, &dobj->obj);
		goto out_unlock;
	}
	/* The binding is the object's user: IOMMU_DESTROY cannot take it. */
	dobj->obj.users = 1;
	list_add_tail(&dobj->node, &ctx->devices);
	ufd_obj_publish(ctx, &dobj->obj);
	kref_get(&ctx->kref);
	WRITE_ONCE(udev->ctx, ctx);
	udev->dobj = dobj;
	*id = dobj->obj.id;
out_unlock:
	mutex_unlock(&ctx->lock);
	return err;
}

/* Undo ufd_bind(): DMA off, default domain back, object gone. */
static void ufd_unbind(struct ufd_device *udev)
{
	struct ufd_ctx *ctx = udev->ctx;
	struct ufd_device_obj *dobj = udev->dobj;
	struct device *dev = &udev->pdev->dev;
	struct liommu_domain *cur;

	lockdep_assert_held(&udev->lock);
	if (!ctx)
		return;
	pci_clear_master(udev->pdev);
	mutex_lock(&ctx->lock);
	cur = dobj->hwpt ? dobj->hwpt->domain : liommu_blocked_domain(dev);
	if (!IS_ERR_OR_NULL(cur))
		liommu_detach_device(cur, dev);
	ufd_iopf_finish(dobj, dobj->hwpt, NULL);
	if (dobj->hwpt)
		ufd_hwpt_unuse(ctx, dobj->hwpt);
	dobj->hwpt = NULL;
	list_del(&dobj->node);
	dobj->obj.users = 0;
	WARN_ON(ufd_obj_destroy(ctx, &dobj->obj));
	mutex_unlock(&ctx->lock);
	WRITE_ONCE(udev->ctx, NULL);
	udev->dobj = NULL;
	ufd_ctx_put(ctx);
}

/**
 * ufd_ctx_unbind_all() - unbind every device of a closing context
 * @ctx: the context, marked dead (no new binding)
 *
 * Context: process context; takes each device's lock, then @ctx->lock.
 */
void ufd_ctx_unbind_all(struct ufd_ctx *ctx)
{
	struct ufd_device *udev;

	for (;;) {
		mutex_lock(&ctx->lock);
		if (list_empty(&ctx->devices)) {
			mutex_unlock(&ctx->lock);
			return;
		}
		udev = list_first_entry(&ctx->devices, struct ufd_device_obj,
					node)->udev;
		get_device(&udev->node);
		mutex_unlock(&ctx->lock);
		mutex_lock(&udev->lock);
		if (udev->ctx == ctx)
			ufd_unbind(udev);
		mutex_unlock(&udev->lock);
		put_device(&udev->node);
	}
}

/* Attach to an IOAS (through an automatic HWPT) or a HWPT. */
static int ufd_attach(struct ufd_device *udev, u32 *pt_id)
{
	struct ufd_ctx *ctx = udev->ctx;
	struct ufd_device_obj *dobj = udev->dobj;
	struct device *dev = &udev->pdev->dev;
	struct ufd_hwpt *hwpt = NULL, *cand;
	struct liommu_group *group;
	struct ufd_ioas *ioas;
	struct ufd_obj *pt;
	int err;

	group = liommu_group_get(dev);
	if (!group)
		return -ENODEV;
	mutex_lock(&ctx->lock);
	pt = ufd_obj_find(ctx, *pt_id, UFD_OBJ_ANY);
	if (IS_ERR(pt)) {
		err = PTR_ERR(pt);
		goto out_unlock;
	}
	switch (pt->type) {
	case UFD_OBJ_HWPT_PAGING:
	case UFD_OBJ_HWPT_NESTED:
		hwpt = container_of(pt, struct ufd_hwpt, obj);
		if (hwpt == dobj->hwpt) {
			err = 0;
			break;
		}
		err = ufd_iopf_prepare(dobj, hwpt);
		if (!err)
			err = liommu_group_replace_domain(group, hwpt->domain);
		break;
	case UFD_OBJ_IOAS:
		ioas = container_of(pt, struct ufd_ioas, obj);
		err = -ENOENT;
		/* Share an automatic HWPT of the same unit where one takes us. */
		list_for_each_entry(cand, &ioas->hwpts, ioas_node) {
			if (!cand->auto_domain)
				continue;
			if (cand == dobj->hwpt) {
				hwpt = cand;
				err = 0;
				break;
			}
			err = liommu_group_replace_domain(group, cand->domain);
			if (!err) {
				hwpt = cand;
				break;
			}
		}
		if (!hwpt) {
			hwpt = ufd_hwpt_paging_alloc(ctx, ioas, dev, 0, true);
			if (IS_ERR(hwpt)) {
				err = PTR_ERR(hwpt);
				goto out_unlock;
			}
			err = liommu_group_replace_domain(group, hwpt->domain);
			if (err) {
				ufd_obj_abort(ctx, &hwpt->obj);
				goto out_unlock;
			}
			ufd_obj_publish(ctx, &hwpt->obj);
		}
		break;
	default:
		err = -EINVAL;
		break;
	}
	ufd_iopf_finish(dobj, dobj->hwpt, err ? dobj->hwpt : hwpt);
	if (err)
		goto out_unlock;
	if (hwpt != dobj->hwpt) {
		hwpt->obj.users++;
		if (dobj->hwpt)
			ufd_hwpt_unuse(ctx, dobj->hwpt);
		dobj->hwpt = hwpt;
	}
	*pt_id = hwpt->obj.id;
out_unlock:
	mutex_unlock(&ctx->lock);
	liommu_group_put(group);
	return err;
}

/* Back to the blocked domain. */
static int ufd_detach(struct ufd_device *udev)
{
	struct ufd_ctx *ctx = udev->ctx;
	struct ufd_device_obj *dobj = udev->dobj;
	struct device *dev = &udev->pdev->dev;
	struct liommu_domain *blocked;
	struct liommu_group *group;
	int err = 0;

	group = liommu_group_get(dev);
	if (!group)
		return -ENODEV;
	mutex_lock(&ctx->lock);
	if (dobj->hwpt) {
		blocked = liommu_blocked_domain(dev);
		err = PTR_ERR_OR_ZERO(blocked);
		if (!err)
			err = liommu_group_replace_domain(group, blocked);
		if (!err) {
			ufd_iopf_finish(dobj, dobj->hwpt, NULL);
			ufd_hwpt_unuse(ctx, dobj->hwpt);
			dobj->hwpt = NULL;
		}
	}
	mutex_unlock(&ctx->lock);
	liommu_group_put(group);
	return err;
}

/*
 * Copy a VFIO argument structure in: at least @minsz bytes (EINVAL),
 * at most @size used; the caller checks flags.
 */
static int ufd_vfio_copy_in(void *dst, size_t size, size_t minsz,
			    unsigned long arg)
{
	u32 argsz;

	if (get_user(argsz, (u32 __user *)arg))
		return -EFAULT;
	if (argsz < minsz)
		return -EINVAL;
	memset(dst, 0, size);
	if (copy_from_user(dst, (void __user *)arg, min_t(size_t, argsz, size)))
		return -EFAULT;
	return 0;
}

static int ufd_vfio_copy_out(unsigned long arg, const void *src, size_t size)
{
	u32 argsz;

	if (get_user(argsz, (u32 __user *)arg))
		return -EFAULT;
	return copy_to_user((void __user *)arg, src, min_t(size_t, argsz, size)) ?
	       -EFAULT : 0;
}

static long ufd_ioctl_bind(struct ufd_device *udev, unsigned long arg)
{
	struct vfio_device_bind_iommufd b;
	struct ufd_ctx *ctx;
	struct file *f;
	int err;

	err = ufd_vfio_copy_in(&b, sizeof(b),
			       offsetofend(struct vfio_device_bind_iommufd,
					   out_devid), arg);
	if (err)
		return err;
	if (b.flags || udev->ctx)
		return -EINVAL;
	f = fget(b.iommufd);
	if (!f)
		return -EBADF;
	ctx = ufd_ctx_from_file(f);
	err = ctx ? ufd_bind(udev, ctx, &b.out_devid) : -EINVAL;
	fput(f);
	if (err)
		return err;
	err = ufd_vfio_copy_out(arg, &b, sizeof(b));
	if (err)
		ufd_unbind(udev);
	return err;
}

static long ufd_ioctl_region_info(struct ufd_device *udev, unsigned long arg)
{
	struct pci_dev *pdev = udev->pdev;
	struct vfio_region_info info;
	int err;

	err = ufd_vfio_copy_in(&info, sizeof(info),
			       offsetofend(struct vfio_region_info, offset), arg);
	if (err)
		return err;
	if (info.index >= VFIO_PCI_NUM_REGIONS)
		return -EINVAL;
	info.offset = LIOMMU_VFIO_REGION_OFFSET(info.index);
	info.cap_offset = 0;
	info.flags = 0;
	info.size = 0;
	if (info.index <= VFIO_PCI_BAR5_REGION_INDEX) {
		info.size = pci_resource_len(pdev, info.index);
		if (info.size &&
		    (pci_resource_flags(pdev, info.index) & IORESOURCE_MEM) &&
		    PAGE_ALIGNED(pci_resource_start(pdev, info.index)))
			info.flags = VFIO_REGION_INFO_FLAG_MMAP;
	} else if (info.index == VFIO_PCI_CONFIG_REGION_INDEX) {
		info.size = pdev->cfg_size;
		info.flags = VFIO_REGION_INFO_FLAG_READ |
			     VFIO_REGION_INFO_FLAG_WRITE;
	}
	return ufd_vfio_copy_out(arg, &info, sizeof(info));
}

static long ufd_node_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	struct ufd_device *udev = file->private_data;
	struct vfio_device_attach_iommufd_pt at;
	struct vfio_device_detach_iommufd_pt de;
	struct vfio_device_info info;
	long err;

	mutex_lock(&udev->lock);
	if (udev->removed) {
		err = -ENODEV;
		goto out_unlock;
	}
	if (cmd != VFIO_DEVICE_BIND_IOMMUFD && !udev->ctx &&
	    (cmd == VFIO_DEVICE_ATTACH_IOMMUFD_PT ||
	     cmd == VFIO_DEVICE_DETACH_IOMMUFD_PT ||
	     cmd == VFIO_DEVICE_GET_INFO ||
	     cmd == VFIO_DEVICE_GET_REGION_INFO)) {
		err = -EINVAL;
		goto out_unlock;
	}
	switch (cmd) {
	case VFIO_DEVICE_BIND_IOMMUFD:
		err = ufd_ioctl_bind(udev, arg);
		break;
	case VFIO_DEVICE_ATTACH_IOMMUFD_PT:
		err = ufd_vfio_copy_in(&at, sizeof(at),
				       offsetofend(typeof(at), pt_id), arg);
		if (!err && at.flags)
			err = -EINVAL;
		if (!err)
			err = ufd_attach(udev, &at.pt_id);
		if (!err)
			err = ufd_vfio_copy_out(arg, &at, sizeof(at));
		break;
	case VFIO_DEVICE_DETACH_IOMMUFD_PT:
		err = ufd_vfio_copy_in(&de, sizeof(de),
				       offsetofend(typeof(de), flags), arg);
		if (!err && de.flags)
			err = -EINVAL;
		if (!err)
			err = ufd_detach(udev);
		break;
	case VFIO_DEVICE_GET_INFO:
		err = ufd_vfio_copy_in(&info, sizeof(info),
				       offsetofend(typeof(info), num_irqs), arg);
		if (err)
			break;
		info.flags = VFIO_DEVICE_FLAGS_PCI;
		info.num_regions = VFIO_PCI_NUM_REGIONS;
		info.num_irqs = 0;
		info.cap_offset = 0;
		info.pad = 0;
		err = ufd_vfio_copy_out(arg, &info, sizeof(info));
		break;
	case VFIO_DEVICE_GET_REGION_INFO:
		err = ufd_ioctl_region_info(udev, arg);
		break;
	default:
		err = -ENOTTY;
		break;
	}
out_unlock:
	mutex_unlock(&udev->lock);
	return err;
}

/* The config region: reads of config space; writes of the command only. */
static ssize_t ufd_config_rw(struct ufd_device *udev, char __user *buf,
			     size_t count, loff_t off, bool write)
{
	struct pci_dev *pdev = udev->pdev;
	u16 want, cmd, keep = PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	__le16 uval;
	u32 v = 0;
	int err;

	if ((count != 1 && count != 2 && count != 4) || off % count ||
	    off + count > pdev->cfg_size)
		return -EINVAL;
	if (write) {
		/* Memory decoding and bus mastering, nothing else. */
		if (off != PCI_COMMAND || count != 2)
			return -EPERM;
		if (copy_from_user(&uval, buf, 2))
			return -EFAULT;
		want = le16_to_cpu(uval);
		if (want & ~keep)
			return -EPERM;
		if (want & PCI_COMMAND_MASTER)
			pci_set_master(pdev);
		else
			pci_clear_master(pdev);
		pci_read_config_word(pdev, PCI_COMMAND, &cmd);
		cmd = (cmd & ~PCI_COMMAND_MEMORY) | (want & PCI_COMMAND_MEMORY);
		err = pci_write_config_word(pdev, PCI_COMMAND, cmd);
		return err ? -EIO : count;
	}
	if (count == 1)
		err = pci_user_read_config_byte(pdev, off, (u8 *)&v);
	else if (count == 2)
		err = pci_user_read_config_word(pdev, off, (u16 *)&v);
	else
		err = pci_user_read_config_dword(pdev, off, &v);
	if (err)
		return -EIO;
	return copy_to_user(buf, &v, count) ? -EFAULT : count;
}

static ssize_t ufd_node_rw(struct file *file, char __user *buf, size_t count,
			   loff_t *ppos, bool write)
{
	struct ufd_device *udev = file->private_data;
	ssize_t ret;

	mutex_lock(&udev->lock);
	if (udev->removed)
		ret = -ENODEV;
	else if (!udev->ctx)
		ret = -EINVAL;
	else if (UFD_REGION(*ppos) != VFIO_PCI_CONFIG_REGION_INDEX)
		ret = -EINVAL;
	else
		ret = ufd_config_rw(udev, buf, count, UFD_REGION_OFF(*ppos),
				    write);
	mutex_unlock(&udev->lock);
	return ret;
}

static ssize_t ufd_node_read(struct file *file, char __user *buf,
			     size_t count, loff_t *ppos)
{
	return ufd_node_rw(file, buf, count, ppos, false);
}

static ssize_t ufd_node_write(struct file *file, const char __user *buf,
			      size_t count, loff_t *ppos)
{
	return ufd_node_rw(file, (char __user *)buf, count, ppos, true);
}

/*
 * mmap of a memory BAR, uncached.  It runs under the caller's mmap_lock,
 * and the ioctls and config reads copy from and to user memory (which may
 * fault and take mmap_lock) holding @udev->lock: so mmap must not take
 * @udev->lock (lockdep saw the inversion on the debug kernel).  It reads
 * @removed and @ctx once instead: a bind, unbind or removal racing with
 * the mmap is the caller's race, as a mapping made just before them is.
 */
static int ufd_node_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct ufd_device *udev = file->private_data;
	struct pci_dev *pdev = udev->pdev;
	u64 index = vma->vm_pgoff >> (LIOMMU_VFIO_REGION_SHIFT - PAGE_SHIFT);
	u64 pgoff = vma->vm_pgoff &
		    ((1ULL << (LIOMMU_VFIO_REGION_SHIFT - PAGE_SHIFT)) - 1);
	u64 size = vma->vm_end - vma->vm_start, len;

	if (READ_ONCE(udev->removed))
		return -ENODEV;
	if (!READ_ONCE(udev->ctx) || index > VFIO_PCI_BAR5_REGION_INDEX ||
	    !(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (!(pci_resource_flags(pdev, index) & IORESOURCE_MEM))
		return -EINVAL;
	len = PAGE_ALIGN(pci_resource_len(pdev, index));
	if (!PAGE_ALIGNED(pci_resource_start(pdev, index)) ||
	    (pgoff << PAGE_SHIFT) + size > len)
		return -EINVAL;
	vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	return io_remap_pfn_range(vma, vma->vm_start,
				  (pci_resource_start(pdev, index) >> PAGE_SHIFT) +
				  pgoff, size, vma->vm_page_prot);
}

static int ufd_node_open(struct inode *inode, struct file *file)
{
	struct ufd_device *udev = container_of(inode->i_cdev, struct ufd_device,
					       cdev);
	int err = 0;

	mutex_lock(&udev->lock);
	if (udev->removed)
		err = -ENODEV;
	else if (udev->open)
		err = -EBUSY;
	else
		err = pci_enable_device_mem(udev->pdev);
	if (!err) {
		udev->open = true;
		get_device(&udev->node);
		file->private_data = udev;
	}
	mutex_unlock(&udev->lock);
	return err;
}

static int ufd_node_release(struct inode *inode, struct file *file)
{
	struct ufd_device *udev = file->private_data;

	mutex_lock(&udev->lock);
	if (!udev->removed) {
		ufd_unbind(udev);
		pci_disable_device(udev->pdev);
	}
	udev->open = false;
	mutex_unlock(&udev->lock);
	put_device(&udev->node);
	return 0;
}

static const struct file_operations ufd_node_fops = {
	.owner = THIS_MODULE,
	.open = ufd_node_open,
	.release = ufd_node_release,
	.unlocked_ioctl = ufd_node_ioctl,
	.compat_ioctl = ufd_node_ioctl,
	.read = ufd_node_read,
	.write = ufd_node_write,
	.mmap = ufd_node_mmap,
};

static void ufd_node_release_dev(struct device *dev)
{
	struct ufd_device *udev = container_of(dev, struct ufd_device, node);

	ida_free(&ufd_minors, MINOR(dev->devt));
	pci_dev_put(udev->pdev);
	mutex_destroy(&udev->lock);
	kfree(udev);
}

static int ufd_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct liommu_group *group;
	struct ufd_device *udev;
	int minor, err;

	/* Only a device the stack translates, alone in its group. */
	group = liommu_group_get(&pdev->dev);
	if (!group)
		return -ENODEV;
	err = liommu_group_device_count(group) == 1 ? 0 : -EINVAL;
	liommu_group_put(group);
	if (err) {
		pci_warn(pdev, "iommufd-lite: the device shares its group\n");
		return err;
	}
	minor = ida_alloc_range(&ufd_minors, 1, UFD_MINORS - 1, GFP_KERNEL);
	if (minor < 0)
		return minor;
	udev = kzalloc(sizeof(*udev), GFP_KERNEL);
	if (!udev) {
		ida_free(&ufd_minors, minor);
		return -ENOMEM;
	}
	mutex_init(&udev->lock);
	udev->pdev = pci_dev_get(pdev);
	device_initialize(&udev->node);
	udev->node.class = &ufd_class;
	udev->node.type = &ufd_node_type;
	udev->node.parent = &pdev->dev;
	udev->node.devt = MKDEV(MAJOR(ufd_devt), minor);
	udev->node.release = ufd_node_release_dev;
	err = dev_set_name(&udev->node, "%s", pci_name(pdev));
	if (err)
		goto err_put;
	cdev_init(&udev->cdev, &ufd_node_fops);
	udev->cdev.owner = THIS_MODULE;
	err = cdev_device_add(&udev->cdev, &udev->node);
	if (err)
		goto err_put;
	pci_set_drvdata(pdev, udev);
	return 0;

err_put:
	put_device(&udev->node);
	return err;
}

static void ufd_pci_remove(struct pci_dev *pdev)
{
	struct ufd_device *udev = pci_get_drvdata(pdev);

	cdev_device_del(&udev->cdev, &udev->node);
	mutex_lock(&udev->lock);
	ufd_unbind(udev);
	if (udev->open)
		pci_disable_device(pdev);
	WRITE_ONCE(udev->removed, true);
	mutex_unlock(&udev->lock);
	put_device(&udev->node);
}

/* Matches nothing by ID: a device comes only through driver_override. */
static struct pci_driver ufd_pci_driver = {
	.name = UFD_DRV_NAME,
	.probe = ufd_pci_probe,
	.remove = ufd_pci_remove,
};

static int ufd_show_faults(struct device *dev, void *m)
{
	struct liommu_iopf_stats st;

	if (liommu_iopf_get_stats(dev, &st))
		return 0;
	seq_printf(m, "unit_faults:%s %llu\n", dev_name(dev), st.reported);
	seq_printf(m, "unit_responses:%s %llu\n", dev_name(dev),
		   st.responses + st.responses_refused);
	seq_printf(m, "unit_last_resp_grpid:%s %u\n", dev_name(dev),
		   st.last_resp_grpid);
	seq_printf(m, "unit_last_resp_code:%s %u\n", dev_name(dev),
		   st.last_resp_code);
	seq_printf(m, "unit_last_resp_err:%s %d\n", dev_name(dev),
		   st.last_resp_err);
	return 0;
}

/**
 * ufd_device_show_faults() - fault counts of the units of given devices
 * @m: the debugfs file (main.c's stats)
 *
 * Lines per device the driver has: the I/O page faults the core took
 * from its unit since load, the page responses it passed to the unit
 * (sent or refused) and the last one's group index, code and the unit's
 * answer (liommu_iopf_get_stats()).
 */
void ufd_device_show_faults(struct seq_file *m)
{
	WARN_ON(driver_for_each_device(&ufd_pci_driver.driver, NULL, m,
				       ufd_show_faults));
}

/**
 * ufd_device_init() - /dev/iommufd-lite, the class and the PCI driver
 *
 * Return: 0, or the error of the first step that failed (all undone).
 */
int ufd_device_init(void)
{
	int err;

	err = alloc_chrdev_region(&ufd_devt, 0, UFD_MINORS, "iommufd-lite");
	if (err)
		return err;
	err = class_register(&ufd_class);
	if (err)
		goto err_region;
	/* /dev/iommufd-lite: its type gives the node its mode and group. */
	device_initialize(&ufd_ctl);
	ufd_ctl.class = &ufd_class;
	ufd_ctl.type = &ufd_ctl_type;
	ufd_ctl.devt = MKDEV(MAJOR(ufd_devt), 0);
	ufd_ctl.release = ufd_ctl_release;
	err = dev_set_name(&ufd_ctl, "iommufd-lite");
	if (err)
		goto err_put_ctl;
	cdev_init(&ufd_ctl_cdev, &ufd_fops);
	ufd_ctl_cdev.owner = THIS_MODULE;
	err = cdev_device_add(&ufd_ctl_cdev, &ufd_ctl);
	if (err)
		goto err_put_ctl;
	err = pci_register_driver(&ufd_pci_driver);
	if (err)
		goto err_del_ctl;
	return 0;

err_del_ctl:
	cdev_device_del(&ufd_ctl_cdev, &ufd_ctl);
err_put_ctl:
	put_device(&ufd_ctl);
	class_unregister(&ufd_class);
err_region:
	unregister_chrdev_region(ufd_devt, UFD_MINORS);
	return err;
}

void ufd_device_exit(void)
{
	pci_unregister_driver(&ufd_pci_driver);
	cdev_device_del(&ufd_ctl_cdev, &ufd_ctl);
	put_device(&ufd_ctl);
	class_unregister(&ufd_class);
	unregister_chrdev_region(ufd_devt, UFD_MINORS);
}
