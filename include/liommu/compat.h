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
 * device_type.devnode() takes a const device from 6.2 on (Seen: 6.1 has
 * the non-const form, 6.12 the const one).  Use in the callback's
 * prototype: char *fn(LIOMMU_DEVNODE_CONST struct device *dev, ...).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define LIOMMU_DEVNODE_CONST	const
#else
#define LIOMMU_DEVNODE_CONST
#endif

#endif /* _LIOMMU_COMPAT_H */
