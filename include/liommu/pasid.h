/* SPDX-License-Identifier: GPL-2.0 */
/*
 * liommu: the PASID allocator (liommu_core.ko, core/ioasid.c).
 *
 * One PASID space for the whole platform, shared out among consumers
 * (&struct liommu_pasid_set).  This is seed 002's PASID management API
 * (iommu_pasid_init/exit/alloc/free/find/for_each, built on the I/O ASID
 * allocator, upstream's ioasid_alloc() and friends); the kernel-doc of
 * each function in core/ioasid.c names its counterpart, and
 * Documentation/pasid.rst has the model, the lifetimes, the locking and
 * the errnos.
 */
#ifndef _LIOMMU_PASID_H
#define _LIOMMU_PASID_H

#include <linux/types.h>

/* The PCIe PASID width: the space never goes beyond it. */
#define LIOMMU_PASID_SPACE_BITS	20
#define LIOMMU_PASID_SPACE_MAX	((1U << LIOMMU_PASID_SPACE_BITS) - 1)

/* A consumer of PASIDs: its range, its quota and the PASIDs it holds. */
struct liommu_pasid_set;
/* One allocated PASID; a reference from liommu_pasid_find() pins it. */
struct liommu_pasid_entry;

struct liommu_pasid_set *liommu_pasid_init(u32 min, u32 max,
					   unsigned int quota);
void liommu_pasid_exit(struct liommu_pasid_set *set);
int liommu_pasid_alloc(struct liommu_pasid_set *set, u32 min, u32 max,
		       void *private);
int liommu_pasid_free(struct liommu_pasid_set *set, u32 pasid);
void *liommu_pasid_find(struct liommu_pasid_set *set, u32 pasid,
			struct liommu_pasid_entry **ref);
void liommu_pasid_put(struct liommu_pasid_entry *ref);
int liommu_pasid_for_each(struct liommu_pasid_set *set,
			  int (*fn)(u32 pasid, void *private, void *data),
			  void *data);
u32 liommu_pasid_space_max(void);

#endif /* _LIOMMU_PASID_H */
