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
 * Symbol namespaces: up to 6.12 the namespace argument is a bare token,
 * from 6.13 on a string literal.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
#define LIOMMU_EXPORT(sym)	EXPORT_SYMBOL_NS_GPL(sym, "LIOMMU")
#define LIOMMU_IMPORT_NS()	MODULE_IMPORT_NS("LIOMMU")
#else
#define LIOMMU_EXPORT(sym)	EXPORT_SYMBOL_NS_GPL(sym, LIOMMU)
#define LIOMMU_IMPORT_NS()	MODULE_IMPORT_NS(LIOMMU)
#endif

#endif /* _LIOMMU_COMPAT_H */
