// SPDX-License-Identifier: GPL-2.0
/*
 * liommu_svatest.ko: a misc device through which a guest program binds
 * the edu engines to its own address space and drives PASID-tagged DMA
 * at its own virtual addresses (svatest.h has the interface).  Loaded by
 * selftests/guest/15-sva.sh on profiles whose unit can share page tables
 * (vtd-pasid-fl); test use only.
 *
 * Each open file keeps its bindings: (edu, mm) with the handle of
 * liommu_sva_bind_device().  A child that inherits the file and binds
 * gets a binding of its own mm.  Closing the file unbinds everything it
 * holds.  The edus are opened at load (lt_edu_open(): PCI enable, bus
 * mastering) and closed at unload; a mutex serialises the device's
 * transfers.
 */
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <liommu/compat.h>
#include <liommu/liommu.h>
#include "edu.h"
#include "svatest.h"

#define NR_EDU		2
#define FAULT_WAIT_MS	500

static char *edu = "00:02.0,00:03.0";
module_param(edu, charp, 0444);
MODULE_PARM_DESC(edu, "PCI addresses of the edu devices");

static struct lt_edu edus[NR_EDU];
static unsigned int nr_edus;
static DEFINE_MUTEX(svatest_lock);	/* edu transfers, every file's list */

struct binding {
	struct list_head node;
	unsigned int edu;
	struct mm_struct *mm;	/* identity only: never dereferenced */
	struct liommu_sva *handle;
};

struct session {
	struct list_head bindings;
};

static int parse_bdf(const char *list, unsigned int n, u8 *bus, u8 *devfn)
{
	unsigned int b, d, f;
	const char *p = list;

	while (n--) {
		p = strchr(p, ',');
		if (!p)
			return -ENOENT;
		p++;
	}
	if (sscanf(p, "%x:%x.%x", &b, &d, &f) != 3)
		return -EINVAL;
	*bus = b;
	*devfn = PCI_DEVFN(d, f);
	return 0;
}

static struct binding *find_binding(struct session *s, unsigned int e,
				    struct mm_struct *mm)
{
	struct binding *b;

	list_for_each_entry(b, &s->bindings, node)
		if (b->edu == e && b->mm == mm)
			return b;
	return NULL;
}

static int do_bind(struct session *s, struct lsva_bind __user *ubind)
{
	struct device *dev;
	struct lsva_bind a;
	struct binding *b;
	int err;

	if (copy_from_user(&a, ubind, sizeof(a)))
		return -EFAULT;
	if (a.edu >= nr_edus)
		return -EINVAL;
	dev = &edus[a.edu].pdev->dev;
	err = liommu_dev_enable_feature(dev, LIOMMU_DEV_FEAT_IOPF);
	if (!err)
		err = liommu_dev_enable_feature(dev, LIOMMU_DEV_FEAT_SVA);
	if (err)
		return err;
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	b->edu = a.edu;
	b->mm = current->mm;
	b->handle = liommu_sva_bind_device(dev, current->mm);
	if (IS_ERR(b->handle)) {
		err = PTR_ERR(b->handle);
		kfree(b);
		return err;
	}
	a.pasid = liommu_sva_get_pasid(b->handle);
	/* A second bind of the same pair is counted: keep one entry each. */
	list_add(&b->node, &s->bindings);
	return copy_to_user(ubind, &a, sizeof(a)) ? -EFAULT : 0;
}

static void unbind(struct binding *b)
{
	list_del(&b->node);
	liommu_sva_unbind_device(b->handle);
	kfree(b);
}

static int do_unbind(struct session *s, u32 __user *uedu)
{
	struct binding *b;
	u32 e;

	if (get_user(e, uedu))
		return -EFAULT;
	b = find_binding(s, e, current->mm);
	if (!b)
		return -ENOENT;
	unbind(b);
	return 0;
}

/*
 * A faulting transfer: wait until the unit's reader (VT-d: a poller
 * every 10 ms) reported the fault to the core, then until the core's
 * worker handled it.  Gives up after FAULT_WAIT_MS.
 */
static void wait_fault_handled(struct device *dev,
			       const struct liommu_iopf_stats *before)
{
	unsigned long end = jiffies + msecs_to_jiffies(FAULT_WAIT_MS);
	struct liommu_iopf_stats now;

	do {
		if (liommu_iopf_get_stats(dev, &now) ||
		    now.reported != before->reported)
			break;
		usleep_range(500, 1000);
	} while (time_before(jiffies, end));
	liommu_iopf_flush_dev(dev);
}

static int do_dma(struct lsva_dma __user *udma)
{
	struct liommu_iopf_stats f0 = {};
	struct liommu_sva_stats s0, s1;
	struct lsva_dma a;
	int err;

	if (copy_from_user(&a, udma, sizeof(a)))
		return -EFAULT;
	if (a.edu >= nr_edus || !a.len || a.len > LT_EDU_BUF_SIZE ||
	    a.off > LT_EDU_BUF_SIZE - a.len)
		return -EINVAL;
	liommu_sva_get_stats(&s0);
	liommu_iopf_get_stats(&edus[a.edu].pdev->dev, &f0);
	if (a.to_ram)
		err = lt_edu_pasid_dma_to_ram(&edus[a.edu], a.pasid, a.addr,
					      a.off, a.len);
	else
		err = lt_edu_pasid_dma_from_ram(&edus[a.edu], a.pasid, a.addr,
						a.off, a.len);
	if (err)
		return err;
	a.error = lt_edu_dma_error(&edus[a.edu]);
	if (a.error & LSVA_ERR_MEMTX)
		wait_fault_handled(&edus[a.edu].pdev->dev, &f0);
	liommu_sva_get_stats(&s1);
	a.faults = s1.faults - s0.faults;
	a.fault_ok = s1.resolved - s0.resolved;
	return copy_to_user(udma, &a, sizeof(a)) ? -EFAULT : 0;
}

static int do_stats(struct lsva_stats __user *ustats)
{
	struct liommu_iopf_stats fs = {};
	struct liommu_sva_stats s;
	struct lsva_stats a = {};

	liommu_sva_get_stats(&s);
	if (nr_edus)
		liommu_iopf_get_stats(&edus[0].pdev->dev, &fs);
	a.live_mms = s.live_mms;
	a.kept_mms = s.kept_mms;
	a.sva_faults = s.faults;
	a.sva_fault_ok = s.resolved;
	a.unhandled = fs.unhandled;
	a.last_pasid = s.last_pasid;
	a.last_perm = s.last_perm;
	a.last_addr = s.last_addr;
	return copy_to_user(ustats, &a, sizeof(a)) ? -EFAULT : 0;
}

static long svatest_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	struct session *s = file->private_data;
	void __user *uarg = (void __user *)arg;
	long ret;

	if (!current->mm)
		return -EINVAL;
	mutex_lock(&svatest_lock);
	switch (cmd) {
	case LSVA_BIND:
		ret = do_bind(s, uarg);
		break;
	case LSVA_UNBIND:
		ret = do_unbind(s, uarg);
		break;
	case LSVA_DMA:
		ret = do_dma(uarg);
		break;
	case LSVA_STATS:
		ret = do_stats(uarg);
		break;
	default:
		ret = -ENOTTY;
		break;
	}
	mutex_unlock(&svatest_lock);
	return ret;
}

static int svatest_open(struct inode *inode, struct file *file)
{
	struct session *s = kzalloc(sizeof(*s), GFP_KERNEL);

	if (!s)
		return -ENOMEM;
	INIT_LIST_HEAD(&s->bindings);
	file->private_data = s;
	return 0;
}

static int svatest_release(struct inode *inode, struct file *file)
{
	struct session *s = file->private_data;
	struct binding *b, *tmp;

	mutex_lock(&svatest_lock);
	list_for_each_entry_safe(b, tmp, &s->bindings, node)
		unbind(b);
	mutex_unlock(&svatest_lock);
	kfree(s);
	return 0;
}

static const struct file_operations svatest_fops = {
	.owner = THIS_MODULE,
	.open = svatest_open,
	.release = svatest_release,
	.unlocked_ioctl = svatest_ioctl,
};

static struct miscdevice svatest_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "liommu_svatest",
	.fops = &svatest_fops,
};

static void close_edus(void)
{
	while (nr_edus--)
		lt_edu_close(&edus[nr_edus]);
	nr_edus = 0;
}

static int __init svatest_init(void)
{
	u8 bus, devfn;
	int err;

	for (nr_edus = 0; nr_edus < NR_EDU; nr_edus++) {
		err = parse_bdf(edu, nr_edus, &bus, &devfn);
		if (!err)
			err = lt_edu_open(bus, devfn, &edus[nr_edus]);
		if (err)
			goto err_close;
	}
	err = misc_register(&svatest_misc);
	if (err)
		goto err_close;
	return 0;

err_close:
	close_edus();
	return err;
}

static void __exit svatest_exit(void)
{
	misc_deregister(&svatest_misc);
	close_edus();
}

module_init(svatest_init);
module_exit(svatest_exit);
MODULE_DESCRIPTION("liommu: SVA test interface for guest programs");
MODULE_LICENSE("GPL");
LIOMMU_IMPORT_NS();
