/* SPDX-License-Identifier: GPL-2.0 */
/*
 * liommu_bridge.ko: liommu's units as the running kernel's IOMMU driver.
 *
 * For every liommu unit the bridge registers a &struct iommu_device with
 * the kernel's IOMMU core (drivers/iommu/iommu.c); its iommu_ops and
 * iommu_domain_ops forward to liommu_core.ko's API: the kernel's paging
 * domains (DMA API, VFIO) are liommu paging domains, mapped through
 * liommu_map()/liommu_unmap() and the core's one walker; its groups are
 * the core's groups.  Documentation/bridge.rst has the user's view.
 *
 * Objects:
 *  &struct lbridge_unit: one liommu unit registered with the kernel
 *	(main.c keeps the list; unit.c registers and unregisters).
 *  &struct lbridge_dev: one device the kernel's core took through the
 *	bridge (probe_device to release_device, device.c).
 *  &struct lbridge_group: the kernel's &struct iommu_group standing for
 *	one liommu group (device.c).
 *  &struct lbridge_domain: a kernel paging domain over a liommu paging
 *	domain marked LIOMMU_DOMAIN_F_KERNEL_CORE (domain.c).
 *
 * Locking (outermost first):
 *  lbridge_lock (mutex, main.c): the unit list and the registered state;
 *	held across iommu_device_register()/unregister(), so the kernel's
 *	probe and release paths (which run under it then) never take it.
 *  the kernel's group mutex and iommu_probe_device_lock, then
 *  lbridge_dev_lock (mutex, device.c): the device list and the group
 *	table; then the core's locks (liommu_*() calls).
 * A paging domain's map and unmap take no lock of the bridge: the core's
 * are spinning locks (core/map.c), so any context may call them.
 *
 * References: a registered unit pins its vendor module (try_module_get)
 * until it is unregistered; the kernel's core pins the bridge module once
 * per device it probed (iommu_init_device()), which is why unloading
 * needs the explicit unregister step first (main.c).
 */
#ifndef _LIOMMU_BRIDGE_H
#define _LIOMMU_BRIDGE_H

#include <linux/iommu.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/spinlock.h>

#include <liommu/compat.h>
#include <liommu/driver.h>

/**
 * struct lbridge_unit - a liommu unit the kernel's IOMMU core knows
 * @iommu: what the kernel's core registers
 * @unit: the liommu unit
 * @node: in lbridge_units
 * @empty: an empty paging domain of the unit: the kernel's blocked
 *	domain for its devices, and the source of their reserved regions
 *	(allocated with the first device, lbridge_dev_lock)
 * @sysfs: iommu_device_sysfs_add() succeeded
 * @registered: iommu_device_register() succeeded
 */
struct lbridge_unit {
	struct iommu_device iommu;
	struct liommu_device *unit;
	struct list_head node;
	struct liommu_domain *empty;
	bool sysfs;
	bool registered;
};

/**
 * struct lbridge_counts - what the bridge did since load, one per CPU
 * (debugfs "stats" sums them): DMA-API maps and unmaps run on every CPU
 * at once, and shared atomic counters would make each of them take the
 * same cache line
 * @maps: map_pages calls that mapped
 * @unmaps: unmaps done through liommu_unmap()
 * @irq_maps: of @maps, those called in interrupt context
 * @irq_unmaps: of @unmaps, those called in interrupt context (virtio's
 *	used-buffer callbacks): they prove the core's unmap runs there
 * @errors: map or unmap calls the core refused
 */
struct lbridge_counts {
	u64 maps;
	u64 unmaps;
	u64 irq_maps;
	u64 irq_unmaps;
	u64 errors;
};

/**
 * struct lbridge_stats - the bridge's last unmap (debugfs "last_unmap")
 * @last_unmap_iova: the IOVA of the last unmap done
 * @last_unmap_domain: its liommu domain
 */
struct lbridge_stats {
	unsigned long last_unmap_iova;
	struct liommu_domain *last_unmap_domain;
};

DECLARE_PER_CPU(struct lbridge_counts, lbridge_counts);
extern struct lbridge_stats lbridge_stats;
extern struct list_head lbridge_units;
extern bool lbridge_registering;
extern const struct iommu_ops lbridge_ops;

/* main.c */
struct lbridge_unit *lbridge_unit_of(struct device *dev);

/* unit.c */
int lbridge_register(void);
int lbridge_unregister(void);
extern struct mutex lbridge_lock;
extern bool lbridge_keep_tables;

/* device.c */
struct iommu_device *lbridge_probe_device(struct device *dev);
void lbridge_release_device(struct device *dev);
struct iommu_group *lbridge_device_group(struct device *dev);
void lbridge_get_resv_regions(struct device *dev, struct list_head *head);
int lbridge_check_idle(void);
void lbridge_show_devices(struct seq_file *m);
struct liommu_domain *lbridge_unit_empty(struct lbridge_unit *bu,
					 struct device *dev);

/* domain.c */
extern struct iommu_domain lbridge_identity_domain;
extern struct iommu_domain lbridge_blocked_domain;
struct iommu_domain *lbridge_domain_alloc_paging(struct device *dev);
struct iommu_domain *lbridge_domain_alloc_legacy(unsigned int type);
struct liommu_domain *lbridge_liommu_domain(struct iommu_domain *domain);

#endif /* _LIOMMU_BRIDGE_H */
