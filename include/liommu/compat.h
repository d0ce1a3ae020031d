/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels liommu builds for, in one place.
 *
 * Logic files include this header and never test LINUX_VERSION_CODE
 * themselves.
 */
#ifndef _LIOMMU_COMPAT_H
#define _LIOMMU_COMPAT_H

#include <linux/export.h>
#include <linux/module.h>
#include <linux/version.h>

/*
 * Symbol namespaces: up to 6.12 the namespace argument of
 * EXPORT_SYMBOL_NS_GPL() and MODULE_IMPORT_NS() is a bare token (6.1 and
 * 6.12 stringify it themselves), from 6.13 on a string literal.
 *
 * LIOMMU is the API every user of the stack imports.  LIOMMU_TEST holds
 * the entry points that only the self-tests may call: they change
 * hardware or driver state behind the core's back (raw invalidation
 * descriptors and commands, STEs, the entry writer on test buffers, the
 * writer's observer, fail-nth) or belong to the test mock.  Only
 * selftests/kmod imports it (Documentation/robustness.rst); a module that
 * uses one of them without the import is refused by modpost and, if built
 * anyway, by the module loader.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
#define LIOMMU_EXPORT(sym)	EXPORT_SYMBOL_NS_GPL(sym, "LIOMMU")
#define LIOMMU_IMPORT_NS()	MODULE_IMPORT_NS("LIOMMU")
#define LIOMMU_TEST_EXPORT(sym)	EXPORT_SYMBOL_NS_GPL(sym, "LIOMMU_TEST")
#define LIOMMU_TEST_IMPORT_NS()	MODULE_IMPORT_NS("LIOMMU_TEST")
#else
#define LIOMMU_EXPORT(sym)	EXPORT_SYMBOL_NS_GPL(sym, LIOMMU)
#define LIOMMU_IMPORT_NS()	MODULE_IMPORT_NS(LIOMMU)
#define LIOMMU_TEST_EXPORT(sym)	EXPORT_SYMBOL_NS_GPL(sym, LIOMMU_TEST)
#define LIOMMU_TEST_IMPORT_NS()	MODULE_IMPORT_NS(LIOMMU_TEST)
#endif

/*
 * of_map_id(): up to 7.0 it takes the map and mask property names and
 * returns the target node and a one-cell output ID; 7.1 reworked it to
 * honour #iommu-cells / #msi-cells (a cells-property argument, a filter
 * node and a whole struct of_phandle_args out) and added of_map_iommu_id()
 * for "iommu-map".  Seen: 6.12 has the old form, 7.3 the new one; the
 * series was merged for 7.1.  On the new kernels the old six-argument call
 * is served for "iommu-map" lookups (as Linux's backports project shims a
 * changed function): the IOMMU node comes back referenced (the caller puts
 * it) with a one-cell ID; a target given on entry still filters.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(7, 1, 0)
#include <linux/errno.h>
#include <linux/of.h>
#include <linux/string.h>

static inline int liommu_compat_of_map_id(const struct device_node *np, u32 id,
					  const char *map_name,
					  const char *map_mask_name,
					  struct device_node **target,
					  u32 *id_out)
{
	struct of_phandle_args args = {};
	int err;

	if (strcmp(map_name, "iommu-map") ||
	    strcmp(map_mask_name, "iommu-map-mask"))
		return -EINVAL;
	err = of_map_iommu_id(np, id, &args);
	if (err)
		return err;
	if (args.args_count != 1 || (target && *target && *target != args.np)) {
		of_node_put(args.np);
		return -ENODEV;
	}
	if (target && !*target)
		*target = args.np;
	else
		of_node_put(args.np);
	if (id_out)
		*id_out = args.args[0];
	return 0;
}
#define of_map_id(np, id, map_name, map_mask_name, target, id_out) \
	liommu_compat_of_map_id(np, id, map_name, map_mask_name, target, id_out)
#endif

/*
 * The mmu_notifier hook that shoots down secondary TLBs (the IOMMU's) for
 * a range of an mm: invalidate_range up to 6.5, renamed
 * arch_invalidate_secondary_tlbs in 6.6 (same arguments).  Use as the
 * member name: .LIOMMU_MN_INVALIDATE = fn.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#define LIOMMU_MN_INVALIDATE	arch_invalidate_secondary_tlbs
#else
#define LIOMMU_MN_INVALIDATE	invalidate_range
#endif

/*
 * The kernel's iommu_ops, for the bridge (bridge/).  Seen: 6.1 allocates
 * every domain through domain_alloc(type), detaches through detach_dev and
 * leaves the DMA ops to the driver's probe_finalize
 * (iommu_setup_dma_ops(), exported there); 6.12 and 7.3 take static
 * identity and blocked domains, allocate paging domains per device
 * (domain_alloc_paging) and set dev->dma_iommu themselves.  7.3's
 * attach_dev also gets the old domain (seen: 6.12 without, 7.3 with).
 * 6.1's iommu_device_register() also sets bus->iommu_ops, which its
 * unregister leaves behind: the bridge clears it before it goes.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 7, 0)
#include <linux/device/bus.h>
#include <linux/dma-map-ops.h>
#include <linux/iommu.h>
#include <linux/platform_device.h>
#include <linux/pci.h>

/* 6.1 gives every domain the ops' page sizes: liommu_map() splits itself. */
#define LIOMMU_BRIDGE_OPS_DOMAINS(identity, blocked, paging, legacy, final) \
	.domain_alloc = legacy, .probe_finalize = final, \
	.pgsize_bitmap = SZ_4K,
#define LIOMMU_BRIDGE_DETACH_DEV(fn)	.detach_dev = fn,

/* 6.1: the DMA ops follow the device's default domain. */
static inline void liommu_compat_bridge_finalize(struct device *dev)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(dev);

	if (domain && (domain->type & __IOMMU_DOMAIN_DMA_API))
		iommu_setup_dma_ops(dev, 0, U64_MAX);
	else
		set_dma_ops(dev, NULL);
}

static inline void liommu_compat_bridge_forget(const struct iommu_ops *ops)
{
	if (pci_bus_type.iommu_ops == ops)
		pci_bus_type.iommu_ops = NULL;
	if (platform_bus_type.iommu_ops == ops)
		platform_bus_type.iommu_ops = NULL;
}
#else
#define LIOMMU_BRIDGE_OPS_DOMAINS(identity, blocked, paging, legacy, final) \
	.identity_domain = identity, .blocked_domain = blocked, \
	.domain_alloc_paging = paging,
#define LIOMMU_BRIDGE_DETACH_DEV(fn)
static inline void liommu_compat_bridge_finalize(struct device *dev)
{
}

struct iommu_ops;
static inline void liommu_compat_bridge_forget(const struct iommu_ops *ops)
{
}
#endif

#if LINUX_VERSION_CODE >= KERNEL_VERSION(7, 0, 0)
#define LIOMMU_BRIDGE_ATTACH_OLD	, struct iommu_domain *old
#else
#define LIOMMU_BRIDGE_ATTACH_OLD
#endif

/*
 * device_type.devnode() takes a const device from 6.2 on (Seen: 6.1 has
 * the non-const form, 6.12 the const one).  Use in the callback's
 * prototype: char *fn(LIOMMU_DEVNODE_CONST struct device *dev, ...).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define LIOMMU_DEVNODE_CONST	const
#else
#define LIOMMU_DEVNODE_CONST
#endif

/*
 * hrtimer_setup() sets the callback with the clock and mode from 6.13
 * on, and hrtimer_init() is gone in the 7.x kernels; 6.1 and 6.12 have
 * only hrtimer_init() and a callback set by hand.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
#define liommu_hrtimer_setup(timer, fn, clock, mode) \
	hrtimer_setup(timer, fn, clock, mode)
#else
#define liommu_hrtimer_setup(timer, fn, clock, mode)	\
	do {						\
		hrtimer_init(timer, clock, mode);	\
		(timer)->function = fn;			\
	} while (0)
#endif

#endif /* _LIOMMU_COMPAT_H */
