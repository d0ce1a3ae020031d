// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's domains over liommu's.
 *
 * Identity: the static lbridge_identity_domain; attaching it takes the
 * device's liommu group back to its default domain (the unit's identity
 * domain: pass-through, or a 1:1 table where the unit has none).
 * Blocked: the static lbridge_blocked_domain; attaching it attaches the
 * unit's empty paging domain (every DMA faults).
 * Paging (DMA API, VFIO, iommufd): a &struct lbridge_domain around a
 * liommu paging domain marked LIOMMU_DOMAIN_F_KERNEL_CORE, which only the
 * kernel's core may attach (core/device.c's owner rule).
 *
 * Context.  The kernel's DMA API maps and unmaps from any context:
 * dma-iommu maps with GFP_ATOMIC, and drivers unmap from interrupt
 * handlers (virtio's used-buffer callbacks).  liommu_map() and
 * liommu_unmap() of a domain on the core's walker never sleep (spinning
 * locks; a map allocates tables with the caller's gfp, core/map.c), so
 * every call goes straight to the core, whatever the context, and its
 * effect is visible (the IOTLB invalidated) when it returns: the domain
 * is strict, there is nothing for iotlb_sync to do.
 */
#include <linux/pci.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/slab.h>

#include "bridge.h"

/**
 * struct lbridge_domain - a kernel paging domain backed by liommu
 * @domain: what the kernel's core sees
 * @ld: the liommu paging domain
 */
struct lbridge_domain {
	struct iommu_domain domain;
	struct liommu_domain *ld;
};

static struct iommu_domain *lbridge_domain_wrap(struct liommu_domain *ld);

static struct lbridge_domain *to_lbridge_domain(struct iommu_domain *domain)
{
	return container_of(domain, struct lbridge_domain, domain);
}

static int lbridge_prot(int prot)
{
	int lprot = 0;

	if (prot & IOMMU_READ)
		lprot |= LIOMMU_READ;
	if (prot & IOMMU_WRITE)
		lprot |= LIOMMU_WRITE;
	return lprot;
}

static int lbridge_map_pages(struct iommu_domain *domain, unsigned long iova,
			     phys_addr_t paddr, size_t pgsize, size_t pgcount,
			     int prot, gfp_t gfp, size_t *mapped)
{
	struct lbridge_domain *bd = to_lbridge_domain(domain);
	size_t size = pgsize * pgcount;
	int err;

	/* The kernel's IOMMU core checked the arguments (core/map.c). */
	err = liommu_map_prechecked(bd->ld, iova, paddr, size,
				    lbridge_prot(prot), gfp);
	if (err) {
		this_cpu_inc(lbridge_counts.errors);
		pr_err_ratelimited("liommu_bridge: map %#lx+%#zx: %d\n", iova,
				   size, err);
		return err;
	}
	this_cpu_inc(lbridge_counts.maps);
	if (in_interrupt())
		this_cpu_inc(lbridge_counts.irq_maps);
	*mapped += size;
	return 0;
}

static size_t lbridge_unmap_pages(struct iommu_domain *domain,
				  unsigned long iova, size_t pgsize,
				  size_t pgcount,
				  struct iommu_iotlb_gather *gather)
{
	struct lbridge_domain *bd = to_lbridge_domain(domain);
	size_t size = pgsize * pgcount;
	ssize_t ret;

	ret = liommu_unmap_prechecked(bd->ld, iova, size);
	if (ret < 0) {
		this_cpu_inc(lbridge_counts.errors);
		pr_err_ratelimited("liommu_bridge: unmap %#lx+%#zx: %zd\n",
				   iova, size, ret);
		return 0;
	}
	this_cpu_inc(lbridge_counts.unmaps);
	if (in_interrupt())
		this_cpu_inc(lbridge_counts.irq_unmaps);
	WRITE_ONCE(lbridge_stats.last_unmap_iova, iova);
	WRITE_ONCE(lbridge_stats.last_unmap_domain, bd->ld);
	return size;
}

/*
 * liommu_map() and liommu_unmap() make their changes visible themselves:
 * no iotlb_sync op, so the kernel's iommu_iotlb_sync() makes no indirect
 * call after every unmap.  flush_iotlb_all stays, empty, for callers
 * that call it unchecked.
 */
static void lbridge_flush_iotlb_all(struct iommu_domain *domain)
{
}

static phys_addr_t lbridge_iova_to_phys(struct iommu_domain *domain,
					dma_addr_t iova)
{
	return liommu_iova_to_phys(to_lbridge_domain(domain)->ld, iova);
}

static bool lbridge_enforce_cache_coherency(struct iommu_domain *domain)
{
	return true;
}

/* Move @dev's liommu group to @ld (NULL: back to its default domain). */
static int lbridge_set_liommu_domain(struct device *dev,
				     struct liommu_domain *ld)
{
	struct liommu_domain *cur;
	struct liommu_group *group;
	int err = 0;

	group = liommu_group_get(dev);
	if (!group)
		return -ENODEV;
	cur = liommu_get_domain_for_dev(dev);
	if (!cur) {
		err = -ENODEV;
	} else if (cur == ld) {
		err = 0;
	} else if (!(cur->flags & LIOMMU_DOMAIN_F_KERNEL_CORE) &&
		   !(cur->flags & LIOMMU_DOMAIN_F_STATIC)) {
		/* An API caller's: the owner rule keeps this from happening. */
		dev_err(dev, "liommu_bridge: a liommu API caller's domain is attached; refused\n");
		err = -EBUSY;
	} else if (!ld) {
		if (cur->flags & LIOMMU_DOMAIN_F_KERNEL_CORE)
			liommu_detach_group(cur, group);
		if (liommu_get_domain_for_dev(dev) == cur &&
		    (cur->flags & LIOMMU_DOMAIN_F_KERNEL_CORE))
			err = -EIO;
	} else if (cur->flags & LIOMMU_DOMAIN_F_KERNEL_CORE) {
		err = liommu_group_replace_domain(group, ld);
	} else {
		err = liommu_attach_group(ld, group);
	}
	liommu_group_put(group);
	if (err)
		dev_err(dev, "liommu_bridge: attach: %d\n", err);
	return err;
}

static int lbridge_attach_paging(struct iommu_domain *domain, struct device *dev
				 LIOMMU_BRIDGE_ATTACH_OLD)
{
	return lbridge_set_liommu_domain(dev, to_lbridge_domain(domain)->ld);
}

static int lbridge_attach_identity(struct iommu_domain *domain, struct device *dev
				LIOMMU_BRIDGE_ATTACH_OLD)
{
	return lbridge_set_liommu_domain(dev, NULL);
}

static int lbridge_attach_blocked(struct iommu_domain *domain, struct device *dev
				LIOMMU_BRIDGE_ATTACH_OLD)
{
	struct lbridge_unit *bu = lbridge_unit_of(dev);
	struct liommu_domain *empty;

	if (!bu)
		return -ENODEV;
	empty = lbridge_unit_empty(bu, dev);
	if (IS_ERR(empty))
		return PTR_ERR(empty);
	return lbridge_set_liommu_domain(dev, empty);
}

static void lbridge_domain_free(struct iommu_domain *domain)
{
	struct lbridge_domain *bd = to_lbridge_domain(domain);

	liommu_domain_free(bd->ld);
	kfree(bd);
}

/* 6.1 detaches explicitly: back to the default (identity) domain. */
static void __maybe_unused lbridge_detach_dev(struct iommu_domain *domain,
					      struct device *dev)
{
	lbridge_set_liommu_domain(dev, NULL);
}

static void lbridge_static_free(struct iommu_domain *domain)
{
}

static const struct iommu_domain_ops lbridge_paging_ops = {
	.attach_dev = lbridge_attach_paging,
	LIOMMU_BRIDGE_DETACH_DEV(lbridge_detach_dev)
	.map_pages = lbridge_map_pages,
	.unmap_pages = lbridge_unmap_pages,
	.flush_iotlb_all = lbridge_flush_iotlb_all,
	.iova_to_phys = lbridge_iova_to_phys,
	.enforce_cache_coherency = lbridge_enforce_cache_coherency,
	.free = lbridge_domain_free,
};

static const struct iommu_domain_ops lbridge_identity_ops = {
	.attach_dev = lbridge_attach_identity,
	.free = lbridge_static_free,
};

static const struct iommu_domain_ops lbridge_blocked_ops = {
	.attach_dev = lbridge_attach_blocked,
	.free = lbridge_static_free,
};

struct iommu_domain lbridge_identity_domain = {
	.type = IOMMU_DOMAIN_IDENTITY,
	.ops = &lbridge_identity_ops,
};

struct iommu_domain lbridge_blocked_domain = {
	.type = IOMMU_DOMAIN_BLOCKED,
	.ops = &lbridge_blocked_ops,
};

/* The liommu domain behind a kernel paging domain of the bridge, or NULL. */
struct liommu_domain *lbridge_liommu_domain(struct iommu_domain *domain)
{
	if (!domain || domain->ops != &lbridge_paging_ops)
		return NULL;
	return to_lbridge_domain(domain)->ld;
}

/**
 * lbridge_domain_alloc_paging() - a kernel paging domain for @dev
 * @dev: a device the kernel's core probed through the bridge
 *
 * Context: process context.
 * Return: the domain, or an ERR_PTR: -ENODEV when no bridged unit
 * translates @dev, liommu_paging_domain_alloc()'s error.
 */
struct iommu_domain *lbridge_domain_alloc_paging(struct device *dev)
{
	if (!lbridge_unit_of(dev))
		return ERR_PTR(-ENODEV);
	return lbridge_domain_wrap(liommu_paging_domain_alloc(dev));
}

/**
 * lbridge_domain_alloc_legacy() - a domain of @type, for kernels that
 * allocate without a device (6.1)
 * @type: IOMMU_DOMAIN_*
 *
 * Paging domains come from liommu_domain_alloc() on the PCI bus (the
 * bridge serves one unit there).  The kernel's lazy type is refused, so
 * that it falls back to a strict DMA domain.
 *
 * Context: process context.
 * Return: the domain, or NULL.
 */
struct iommu_domain *lbridge_domain_alloc_legacy(unsigned int type)
{
	struct iommu_domain *domain;

	switch (type) {
	case IOMMU_DOMAIN_IDENTITY:
		return &lbridge_identity_domain;
	case IOMMU_DOMAIN_BLOCKED:
		return &lbridge_blocked_domain;
	case IOMMU_DOMAIN_DMA:
	case IOMMU_DOMAIN_UNMANAGED:
		domain = lbridge_domain_wrap(liommu_domain_alloc(&pci_bus_type));
		return IS_ERR(domain) ? NULL : domain;
	default:
		return NULL;
	}
}

static struct iommu_domain *lbridge_domain_wrap(struct liommu_domain *ld)
{
	struct lbridge_domain *bd;

	if (IS_ERR(ld))
		return ERR_CAST(ld);
	bd = kzalloc(sizeof(*bd), GFP_KERNEL);
	if (!bd) {
		liommu_domain_free(ld);
		return ERR_PTR(-ENOMEM);
	}
	ld->flags |= LIOMMU_DOMAIN_F_KERNEL_CORE;
	/* DMA-API IOVAs come back at once: keep their tables (core/map.c). */
	if (lbridge_keep_tables)
		ld->flags |= LIOMMU_DOMAIN_F_KEEP_TABLES;
	bd->ld = ld;
	bd->domain.ops = &lbridge_paging_ops;
	bd->domain.pgsize_bitmap = ld->pgsize_bitmap;
	bd->domain.geometry.aperture_start = ld->geometry.aperture_start;
	bd->domain.geometry.aperture_end = ld->geometry.aperture_end;
	bd->domain.geometry.force_aperture = true;
	return &bd->domain;
}
