// SPDX-License-Identifier: GPL-2.0
/*
 * liommu_bridge.ko: module parameters, the kernel's iommu_ops table and
 * debugfs.
 *
 * The "registered" parameter is the explicit step: the module registers
 * its units when it loads (unless loaded with registered=0); writing 0 to
 * /sys/module/liommu_bridge/parameters/registered unregisters them (or
 * fails with EBUSY, nothing changed, while a bridged device has a driver
 * bound or a translated domain), writing 1 registers them again.  The
 * kernel's core holds a reference on this module per device it probed,
 * so rmmod works only once unregistered.
 *
 * debugfs (liommu_bridge/): "stats" (the bridge's counters and the
 * core's live objects), "devices" (one line per bridged device),
 * "last_unmap" and, for the tests, "api_attach".
 */
#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "bridge.h"

DEFINE_MUTEX(lbridge_lock);
LIST_HEAD(lbridge_units);
DEFINE_PER_CPU(struct lbridge_counts, lbridge_counts);
struct lbridge_stats lbridge_stats;
bool lbridge_registering;

static bool lbridge_registered = true;
static bool lbridge_ready;
static struct dentry *lbridge_debugfs;

/*
 * The bridged unit that translates @dev, or NULL.  The unit list changes
 * only in lbridge_register()/lbridge_unregister(), when the kernel's core
 * holds none of the unit's devices: its callbacks read it without a lock.
 */
struct lbridge_unit *lbridge_unit_of(struct device *dev)
{
	struct liommu_domain *ld = liommu_get_domain_for_dev(dev);
	struct lbridge_unit *bu;

	if (!ld)
		return NULL;
	list_for_each_entry(bu, &lbridge_units, node)
		if (bu->unit == ld->iommu)
			return bu;
	return NULL;
}

static bool lbridge_capable(struct device *dev, enum iommu_cap cap)
{
	/* liommu's tables are walked coherently on both architectures. */
	return cap == IOMMU_CAP_CACHE_COHERENCY;
}

/* Identity for what exists at registration; the kernel's choice after. */
static int lbridge_def_domain_type(struct device *dev)
{
	return READ_ONCE(lbridge_registering) ? IOMMU_DOMAIN_IDENTITY : 0;
}

const struct iommu_ops lbridge_ops = {
	.owner = THIS_MODULE,
	.capable = lbridge_capable,
	LIOMMU_BRIDGE_OPS_DOMAINS(&lbridge_identity_domain,
				  &lbridge_blocked_domain,
				  lbridge_domain_alloc_paging,
				  lbridge_domain_alloc_legacy,
				  liommu_compat_bridge_finalize)
	.probe_device = lbridge_probe_device,
	.release_device = lbridge_release_device,
	.device_group = lbridge_device_group,
	.get_resv_regions = lbridge_get_resv_regions,
	.def_domain_type = lbridge_def_domain_type,
};

static int lbridge_param_set(const char *val, const struct kernel_param *kp)
{
	bool want;
	int err;

	err = kstrtobool(val, &want);
	if (err)
		return err;
	if (!READ_ONCE(lbridge_ready)) {
		lbridge_registered = want;
		return 0;
	}
	mutex_lock(&lbridge_lock);
	if (want == lbridge_registered)
		err = 0;
	else if (want)
		err = lbridge_register();
	else
		err = lbridge_unregister();
	if (!err)
		lbridge_registered = want;
	mutex_unlock(&lbridge_lock);
	return err;
}

static int lbridge_param_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(lbridge_registered));
}

static const struct kernel_param_ops lbridge_param_ops = {
	.set = lbridge_param_set,
	.get = lbridge_param_get,
};
module_param_cb(registered, &lbridge_param_ops, NULL, 0644);
MODULE_PARM_DESC(registered,
		 "1: liommu's units are the kernel's IOMMU driver; write 0 to leave (EBUSY while a bridged device has a driver or a translated domain)");

bool lbridge_keep_tables = true;
module_param_named(keep_tables, lbridge_keep_tables, bool, 0644);
MODULE_PARM_DESC(keep_tables,
		 "new paging domains keep the page tables an unmap empties, as the kernel's drivers do (default 1; 0: free them at once)");

/* The per-CPU counters summed (each read whole: u64 on 64-bit CPUs). */
static void lbridge_counts_sum(struct lbridge_counts *sum)
{
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct lbridge_counts *c = per_cpu_ptr(&lbridge_counts,
							     cpu);

		sum->maps += READ_ONCE(c->maps);
		sum->unmaps += READ_ONCE(c->unmaps);
		sum->irq_maps += READ_ONCE(c->irq_maps);
		sum->irq_unmaps += READ_ONCE(c->irq_unmaps);
		sum->errors += READ_ONCE(c->errors);
	}
}

static int lbridge_stats_show(struct seq_file *m, void *unused)
{
	struct liommu_core_stats core;
	struct lbridge_counts sum;

	liommu_core_get_stats(&core);
	lbridge_counts_sum(&sum);
	seq_printf(m, "registered=%d maps=%llu unmaps=%llu irq_maps=%llu irq_unmaps=%llu errors=%llu\n",
		   READ_ONCE(lbridge_registered), sum.maps, sum.unmaps,
		   sum.irq_maps, sum.irq_unmaps, sum.errors);
	seq_printf(m, "core: iommus=%ld devices=%ld groups=%ld domains=%ld table_pages=%ld allocs=%ld\n",
		   core.iommus, core.devices, core.groups, core.domains,
		   core.table_pages, core.allocs);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(lbridge_stats);

static int lbridge_devices_show(struct seq_file *m, void *unused)
{
	lbridge_show_devices(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(lbridge_devices);

/*
 * "last_unmap": the last IOVA a bridge domain unmapped, and what the
 * core's table translates it to now (0: nothing; a DMA there faults).
 */
static int lbridge_last_unmap_show(struct seq_file *m, void *unused)
{
	struct liommu_domain *ld;
	unsigned long iova;

	mutex_lock(&lbridge_lock);
	iova = READ_ONCE(lbridge_stats.last_unmap_iova);
	ld = READ_ONCE(lbridge_stats.last_unmap_domain);
	/* liommu_iova_to_phys() refuses a domain freed meanwhile. */
	seq_printf(m, "iova=%#lx phys=%#llx\n", iova,
		   ld ? (u64)liommu_iova_to_phys(ld, iova) : 0ULL);
	mutex_unlock(&lbridge_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(lbridge_last_unmap);

/*
 * "api_attach" (tests): act as a liommu API caller.  "try BDF" attaches a
 * fresh paging domain of the caller's to the PCI device BDF and detaches
 * it again; "hold BDF" leaves it attached (one at a time); "release"
 * detaches and frees the held one.  The write fails with the attach's
 * errno: EBUSY while the kernel's IOMMU core drives the device.
 */
static struct liommu_domain *lbridge_held;
static struct device *lbridge_held_dev;

static int lbridge_api_attach(const char *name, bool hold)
{
	struct liommu_domain *ld;
	struct device *dev;
	int err;

	if (hold && lbridge_held)
		return -EBUSY;
	dev = bus_find_device_by_name(&pci_bus_type, NULL, name);
	if (!dev)
		return -ENODEV;
	ld = liommu_paging_domain_alloc(dev);
	if (IS_ERR(ld)) {
		put_device(dev);
		return PTR_ERR(ld);
	}
	err = liommu_attach_device(ld, dev);
	if (!err && hold) {
		lbridge_held = ld;
		lbridge_held_dev = dev;
		return 0;
	}
	if (!err)
		liommu_detach_device(ld, dev);
	liommu_domain_free(ld);
	put_device(dev);
	return err;
}

static void lbridge_api_release(void)
{
	if (!lbridge_held)
		return;
	liommu_detach_device(lbridge_held, lbridge_held_dev);
	liommu_domain_free(lbridge_held);
	put_device(lbridge_held_dev);
	lbridge_held = NULL;
	lbridge_held_dev = NULL;
}

static ssize_t lbridge_api_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	char buf[64], *arg;
	int err;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = 0;
	arg = strim(buf);
	mutex_lock(&lbridge_lock);
	if (!strncmp(arg, "try ", 4))
		err = lbridge_api_attach(strim(arg + 4), false);
	else if (!strncmp(arg, "hold ", 5))
		err = lbridge_api_attach(strim(arg + 5), true);
	else if (!strcmp(arg, "release")) {
		lbridge_api_release();
		err = 0;
	} else {
		err = -EINVAL;
	}
	mutex_unlock(&lbridge_lock);
	return err ?: count;
}

static const struct file_operations lbridge_api_fops = {
	.owner = THIS_MODULE,
	.write = lbridge_api_write,
};

static int __init lbridge_init(void)
{
	int err = 0;

	lbridge_debugfs = debugfs_create_dir("liommu_bridge", NULL);
	debugfs_create_file("stats", 0444, lbridge_debugfs, NULL,
			    &lbridge_stats_fops);
	debugfs_create_file("devices", 0444, lbridge_debugfs, NULL,
			    &lbridge_devices_fops);
	debugfs_create_file("last_unmap", 0444, lbridge_debugfs, NULL,
			    &lbridge_last_unmap_fops);
	debugfs_create_file("api_attach", 0200, lbridge_debugfs, NULL,
			    &lbridge_api_fops);
	mutex_lock(&lbridge_lock);
	if (lbridge_registered)
		err = lbridge_register();
	if (!err)
		WRITE_ONCE(lbridge_ready, true);
	mutex_unlock(&lbridge_lock);
	if (err)
		debugfs_remove_recursive(lbridge_debugfs);
	return err;
}

static void __exit lbridge_exit(void)
{
	mutex_lock(&lbridge_lock);
	/* Registered with no device probed: nothing pins the module. */
	if (lbridge_registered && lbridge_unregister())
		pr_err("liommu_bridge: exit while busy\n");
	WRITE_ONCE(lbridge_ready, false);
	lbridge_api_release();
	mutex_unlock(&lbridge_lock);
	debugfs_remove_recursive(lbridge_debugfs);
}

module_init(lbridge_init);
module_exit(lbridge_exit);
MODULE_DESCRIPTION("liommu: its units as the running kernel's IOMMU driver");
MODULE_LICENSE("GPL");
LIOMMU_IMPORT_NS();
