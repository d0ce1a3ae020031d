// SPDX-License-Identifier: GPL-2.0
/*
 * Mappings: liommu_map(), liommu_unmap(), liommu_map_sg() and
 * liommu_iova_to_phys().
 *
 * The core validates every request once (the errno table below).  A
 * domain on the core's walker (@pt set: VT-d, SMMUv3) is then mapped,
 * unmapped and translated by one call into the walker per request, which
 * picks the largest page size per entry itself; the vendor only
 * invalidates.  For a domain with its own map_pages/unmap_pages (the
 * mock), the core splits the range into runs of one page size chosen from
 * the domain's page-size bitmap and the alignment of both addresses, and
 * calls the vendor per run.  One unmap call builds one IOTLB gather and
 * ends with exactly one iotlb_sync: one batched invalidation.
 *
 * All or nothing: a map that fails midway unmaps what it mapped; an unmap
 * first checks that the whole range is mapped by leaves inside it (the
 * walker's liommu_pt_unmap_all(), or the vendor's mapped_range), and
 * changes nothing when it is not.
 *
 * Errno table (also in Documentation/core.rst and robustness.rst):
 *   -EINVAL      NULL or error domain, or one that is not live (freed);
 *                size 0; IOVA, physical address or size not a multiple
 *                of the smallest page size; unknown @prot bits, or
 *                neither LIOMMU_READ nor LIOMMU_WRITE; unmap of a range
 *                that cuts a larger page
 *   -EOPNOTSUPP  the domain type has no page table (blocked, identity)
 *   -EOVERFLOW   the range wraps around the address space
 *   -ERANGE      the range leaves the domain's aperture, or its physical
 *                end is at or beyond 2^oa_bits, the unit's output width
 *                (never truncated: the walker's formats refuse it too)
 *   -EPERM       the range touches a reserved region (x86 MSI window)
 *   -EEXIST      map: part of the range is mapped already
 *   -ENOENT      unmap: part of the range is not mapped
 *   -ENOMEM      no memory for a table (nothing stays mapped)
 *
 * Locking, a domain on the walker (@pt).  Nothing sleeps: the kernel's
 * DMA API (the bridge) maps with GFP_ATOMIC and unmaps from interrupt
 * handlers.  The walks take no lock (<liommu/pgtable.h>, core/pt_walk.h):
 * calls on disjoint ranges of one domain run at once, in any context.
 * liommu_map() walks under rcu_read_lock_sched(), pinning each table it
 * enters, and starts again from the root where an unmap has just closed
 * a table to unhook it.  liommu_unmap() walks with interrupts off (so
 * that no map on its CPU waits for it half way), unhooking every table
 * it empties once it has closed it (a table a map is inside stays).  A
 * map whose @gfp may sleep never allocates inside its walk: when the
 * walk needs a table it stops (liommu_pt_map_nosleep()), the read-side
 * section ends, one table is allocated with @gfp, and the walk goes on
 * from where it stopped; an atomic @gfp allocates in the walk.  After
 * the walk the vendor's iotlb_sync/iotlb_sync_map and the hand-off of
 * the tables an unmap unhooked run under domain->sync_lock (a spinlock,
 * interrupts off: vendors may assume their invalidation serialised per
 * domain).  Unhooked tables go back to the page allocator only after an
 * RCU grace period (core/alloc.c), so whoever reads tables with
 * preemption off (the holders of sync_lock: the debugfs walk and the
 * vendors' table queries; liommu_iova_to_phys()) never reads a freed
 * page.  A domain with LIOMMU_DOMAIN_F_KEEP_TABLES keeps the tables its
 * unmaps below one level-1 span (2 MiB with 4 KiB granules) empty.
 *
 * Overlapping calls (a map and an unmap, or two maps, sharing part of
 * their range) must not run at once: the caller's bug, as upstream; the
 * walker then only promises that tables of other ranges stay intact.
 *
 * A domain with its own map_pages/unmap_pages (the mock): map_lock, a
 * mutex, serialises every map and unmap, which may sleep.
 * liommu_iova_to_phys() takes no lock (its walk runs under
 * rcu_read_lock_sched()).  Every call first checks, under
 * RCU (domain_table.c), that the domain is live.
 */
#include <linux/bitops.h>
#include <linux/err.h>
#include <linux/preempt.h>
#include <linux/spinlock.h>
#include <linux/scatterlist.h>

#include <liommu/pgtable.h>
#include "priv.h"

static __always_inline int liommu_check_range(struct liommu_domain *domain,
					      unsigned long iova, size_t size,
					      const char *what)
{
	unsigned long min_pgsize;
	int err;

	err = liommu_domain_check(domain, what);
	if (err)
		return err;
	if (domain->type != LIOMMU_DOMAIN_PAGING)
		return -EOPNOTSUPP;
	if (!size)
		return -EINVAL;
	min_pgsize = 1UL << __ffs(domain->pgsize_bitmap);
	if ((iova | size) & (min_pgsize - 1))
		return -EINVAL;
	if (iova + size - 1 < iova)
		return -EOVERFLOW;
	if (iova < domain->geometry.aperture_start ||
	    iova + size - 1 > domain->geometry.aperture_end)
		return -ERANGE;
	return 0;
}

/* The last physical address a domain's entries can hold. */
static u64 liommu_max_paddr(const struct liommu_domain *domain)
{
	return domain->oa_bits >= 64 ? U64_MAX : BIT_ULL(domain->oa_bits) - 1;
}

/*
 * Out of line: %pa takes the address of @paddr, which would otherwise give
 * liommu_map() a stack canary on every call.
 */
static noinline int liommu_map_beyond_oa(struct liommu_domain *domain,
					 phys_addr_t paddr, size_t size)
{
	liommu_err_rl("map: physical %pa + %#zx is beyond the unit's %u-bit output\n",
		      &paddr, size, domain->oa_bits);
	return -ERANGE;
}

static __always_inline int liommu_check_map(struct liommu_domain *domain,
					    unsigned long iova,
					    phys_addr_t paddr, size_t size,
					    int prot)
{
	u64 last = (u64)iova + size - 1;
	unsigned int i;
	int err;

	err = liommu_check_range(domain, iova, size, "map");
	if (err)
		return err;
	if ((prot & ~LIOMMU_PROT_MASK) || !(prot & LIOMMU_PROT_MASK))
		return -EINVAL;
	if (paddr & ((1UL << __ffs(domain->pgsize_bitmap)) - 1))
		return -EINVAL;
	if (paddr + size - 1 < paddr)
		return -EOVERFLOW;
	if ((u64)paddr + size - 1 > liommu_max_paddr(domain))
		return liommu_map_beyond_oa(domain, paddr, size);
	for (i = 0; i < domain->nr_resv; i++)
		if (iova <= domain->resv[i].last && last >= domain->resv[i].start)
			return -EPERM;
	return 0;
}

/*
 * The largest page size for the next run at @iova/@paddr, and how many
 * such pages: up to @size, and no further than the next boundary where a
 * larger page would fit.
 */
static size_t liommu_pgsize(struct liommu_domain *domain, unsigned long iova,
			    phys_addr_t paddr, size_t size, size_t *count)
{
	unsigned long addr = iova | paddr;
	unsigned long pgsizes, bigger;
	unsigned int idx;
	size_t pgsize;

	pgsizes = domain->pgsize_bitmap & GENMASK(__fls(size), 0);
	if (addr)
		pgsizes &= GENMASK(__ffs(addr), 0);
	/* The checks guarantee the smallest page fits. */
	idx = __fls(pgsizes);
	pgsize = BIT(idx);
	bigger = domain->pgsize_bitmap & ~GENMASK(idx, 0);
	if (bigger) {
		unsigned long next = BIT(__ffs(bigger));

		if (!((iova ^ paddr) & (next - 1))) {
			size_t to_boundary = next - (iova & (next - 1));

			size = min(size, to_boundary);
		}
	}
	*count = size >> idx;
	return pgsize;
}

/* ---- domains with their own map_pages/unmap_pages (the mock) ---- */

/* Unmap [@iova, @iova + @size) run by run into @gather. */
static size_t liommu_ops_unmap_range(struct liommu_domain *domain,
				     unsigned long iova, size_t size,
				     struct liommu_iotlb_gather *gather)
{
	size_t done = 0;

	lockdep_assert_held(&domain->map_lock);
	while (done < size) {
		size_t count, pgsize, n;

		pgsize = liommu_pgsize(domain, iova, iova, size - done, &count);
		n = domain->ops->unmap_pages(domain, iova, pgsize, count, gather);
		if (!n)
			break;
		iova += n;
		done += n;
	}
	return done;
}

/* Unmap a mapped range, one invalidation; map_lock held. */
static size_t liommu_ops_unmap_locked(struct liommu_domain *domain,
				      unsigned long iova, size_t size)
{
	struct liommu_iotlb_gather gather;
	size_t n;

	liommu_iotlb_gather_init(&gather);
	n = liommu_ops_unmap_range(domain, iova, size, &gather);
	if (!liommu_iotlb_gather_empty(&gather))
		domain->ops->iotlb_sync(domain, &gather);
	liommu_iotlb_gather_free(&gather);
	return n;
}

/* Map one checked range; on failure nothing of it stays mapped. */
static int liommu_ops_map(struct liommu_domain *domain, unsigned long iova,
			  phys_addr_t paddr, size_t size, int prot, gfp_t gfp)
{
	unsigned long start = iova;
	size_t total = 0;
	int err = 0;

	mutex_lock(&domain->map_lock);
	while (total < size) {
		size_t count, pgsize, mapped = 0;

		pgsize = liommu_pgsize(domain, iova, paddr, size - total, &count);
		err = domain->ops->map_pages(domain, iova, paddr, pgsize, count,
					     prot, gfp, &mapped);
		total += mapped;
		iova += mapped;
		paddr += mapped;
		if (err)
			break;
		if (!mapped) {
			err = -EIO;
			break;
		}
	}
	if (err && total && liommu_ops_unmap_locked(domain, start, total) != total)
		pr_err("liommu: unwinding left part of %#lx+%#zx mapped\n",
		       start, total);
	mutex_unlock(&domain->map_lock);
	return err;
}

static ssize_t liommu_ops_unmap(struct liommu_domain *domain,
				unsigned long iova, size_t size)
{
	size_t n;
	int err;

	mutex_lock(&domain->map_lock);
	err = domain->ops->mapped_range(domain, iova, size);
	if (err) {
		mutex_unlock(&domain->map_lock);
		return err;
	}
	n = liommu_ops_unmap_locked(domain, iova, size);
	mutex_unlock(&domain->map_lock);
	if (n != size) {
		pr_err("liommu: unmap of %#lx+%#zx stopped after %#zx\n",
		       iova, size, n);
		return -EIO;
	}
	return size;
}

/* ---- domains on the core's walker ---- */

/*
 * The walker's flags for an unmap: a domain that keeps its tables keeps
 * those of unmaps below one level-1 span (<liommu/liommu.h>).
 */
static __always_inline unsigned int liommu_pt_unmap_flags(
	const struct liommu_domain *domain, size_t size)
{
	if (unlikely(domain->flags & LIOMMU_DOMAIN_F_KEEP_TABLES) &&
	    size < ((size_t)1 << liommu_pt_level_lg2(domain->pt, 1)))
		return LIOMMU_PT_KEEP;
	return 0;
}

/*
 * Invalidate what @gather collected, then free its tables: under
 * sync_lock, which the caller takes with interrupts off.
 */
static __always_inline void liommu_pt_sync_free_irqoff(
	struct liommu_domain *domain, struct liommu_iotlb_gather *gather)
{
	if (liommu_iotlb_gather_empty(gather) && list_empty(&gather->freelist))
		return;
	spin_lock(&domain->sync_lock);
	if (!liommu_iotlb_gather_empty(gather))
		domain->ops->iotlb_sync(domain, gather);
	if (!list_empty(&gather->freelist))
		liommu_iotlb_gather_free(gather);
	spin_unlock(&domain->sync_lock);
}

/*
 * Unmap [@iova, @iova + @size) of a domain on the walker, all or nothing:
 * one walk, one invalidation.  Any context.
 */
static __always_inline ssize_t liommu_pt_unmap_range(
	struct liommu_domain *domain, unsigned long iova, size_t size)
{
	struct liommu_iotlb_gather gather;
	unsigned long flags;
	ssize_t ret;

	liommu_iotlb_gather_init(&gather);
	/* No lock for the walk; interrupts off: see "Locking" above. */
	local_irq_save(flags);
	ret = __liommu_pt_unmap_all(domain->pt, iova, size, &gather,
				    liommu_pt_unmap_flags(domain, size), NULL);
	/* All or nothing: a refusal changed nothing. */
	liommu_pt_sync_free_irqoff(domain, &gather);
	local_irq_restore(flags);
	return ret;
}

/* Undo a partial map of a domain on the walker. */
static void liommu_pt_unwind(struct liommu_domain *domain, unsigned long iova,
			     size_t size)
{
	ssize_t ret;

	if (!size)
		return;
	ret = liommu_pt_unmap_range(domain, iova, size);
	if (ret != size)
		pr_err("liommu: unwinding %#lx+%#zx failed: %zd\n", iova, size,
		       ret);
}

/*
 * The general map of a range of a domain on the walker, without the
 * vendor's iotlb_sync_map; on failure nothing of it stays mapped.  The
 * range passed the walker's checks.  Never sleeps unless @gfp may (then
 * only to allocate, with no lock held).  Out of line: its locals live on
 * the stack, which liommu_map()'s common case need not set up.
 */
static noinline int liommu_pt_map_walk(struct liommu_domain *domain,
				       unsigned long iova, phys_addr_t paddr,
				       size_t size, int prot, gfp_t gfp)
{
	struct liommu_pt *pt = domain->pt;
	unsigned long pgsizes = domain->pgsize_bitmap & pt->pgsize_bitmap;
	size_t total = 0;
	void *spare = NULL;
	int err;

	for (;;) {
		size_t done = 0;

		/* No lock: see "Locking" above and core/pt_walk.h. */
		rcu_read_lock_sched();
		err = LIOMMU_PT_WALK(pt, map, pt, iova + total, paddr + total,
				     size - total, pgsizes, prot, gfp, &done,
				     &spare);
		rcu_read_unlock_sched();
		total += done;
		if (err != -EAGAIN)
			break;
		/* The walk needs a table and @gfp may sleep: get it here. */
		spare = liommu_table_alloc(gfp);
		if (!spare) {
			err = -ENOMEM;
			break;
		}
	}
	if (spare)
		liommu_table_free(spare);
	if (err)
		liommu_pt_unwind(domain, iova, total);
	return err;
}

/*
 * Map one range of a domain on the walker, without the vendor's
 * iotlb_sync_map; all or nothing.  @checked: liommu_check_map() passed,
 * so the range is aligned, inside the aperture and within the output
 * width, which every domain on the walker keeps inside what its table
 * translates (liommu_domain_pt_fits()); else the walker's checks run
 * first.  Then the format's map_fast, the common case with nothing on
 * the stack, and the general walk for anything else.
 */
static __always_inline int liommu_pt_map_range(struct liommu_domain *domain,
					       unsigned long iova,
					       phys_addr_t paddr, size_t size,
					       int prot, gfp_t gfp,
					       bool checked)
{
	struct liommu_pt *pt = domain->pt;
	bool mapped;

	if (!checked) {
		int err = liommu_pt_map_check(pt, iova, paddr, size,
					      domain->pgsize_bitmap &
					      pt->pgsize_bitmap);

		if (err)
			return err;
	}
	rcu_read_lock_sched();
	mapped = LIOMMU_PT_WALK(pt, map_fast, pt, iova, paddr, size,
				domain->pgsize_bitmap, prot);
	rcu_read_unlock_sched();
	if (likely(mapped))
		return 0;
	return liommu_pt_map_walk(domain, iova, paddr, size, prot, gfp);
}

/* The vendor's iotlb_sync_map for a mapped range, if it has one. */
static __always_inline int liommu_sync_map(struct liommu_domain *domain,
					   unsigned long iova, size_t size)
{
	unsigned long flags;
	int err;

	if (!domain->ops->iotlb_sync_map)
		return 0;
	if (!domain->pt) {
		mutex_lock(&domain->map_lock);
		err = domain->ops->iotlb_sync_map(domain, iova, size);
		mutex_unlock(&domain->map_lock);
		return err;
	}
	spin_lock_irqsave(&domain->sync_lock, flags);
	err = domain->ops->iotlb_sync_map(domain, iova, size);
	spin_unlock_irqrestore(&domain->sync_lock, flags);
	return err;
}

/*
 * Map one range, either kind of domain; all or nothing.  @checked: as for
 * liommu_pt_map_range(); else the walker checks what liommu_check_map()
 * would have.
 */
static __always_inline int liommu_map_checked(struct liommu_domain *domain,
					      unsigned long iova,
					      phys_addr_t paddr, size_t size,
					      int prot, gfp_t gfp,
					      bool checked)
{
	if (domain->pt)
		return liommu_pt_map_range(domain, iova, paddr, size, prot, gfp,
					   checked);
	return liommu_ops_map(domain, iova, paddr, size, prot, gfp);
}

/* Unmap a checked range, either kind of domain; all or nothing. */
static __always_inline ssize_t liommu_unmap_checked(
	struct liommu_domain *domain, unsigned long iova, size_t size)
{
	if (domain->pt)
		return liommu_pt_unmap_range(domain, iova, size);
	return liommu_ops_unmap(domain, iova, size);
}

/*
 * Map a checked range, then the vendor's iotlb_sync_map; on its failure
 * the range is unmapped again.  All or nothing.
 */
static __always_inline int liommu_map_synced(struct liommu_domain *domain,
					     unsigned long iova,
					     phys_addr_t paddr, size_t size,
					     int prot, gfp_t gfp, bool checked)
{
	int err = liommu_map_checked(domain, iova, paddr, size, prot, gfp,
				     checked);

	if (err)
		return err;
	err = liommu_sync_map(domain, iova, size);
	if (err)
		liommu_unmap_checked(domain, iova, size);
	return err;
}

/**
 * liommu_map() - map a physical range into a paging domain
 * @domain: the domain
 * @iova: first IOVA
 * @paddr: first physical address
 * @size: bytes
 * @prot: LIOMMU_READ and/or LIOMMU_WRITE
 * @gfp: for page-table allocations
 *
 * liommu_map() is upstream's iommu_map(): the range is split into the
 * largest pages the domain's page-size bitmap and the alignment of @iova
 * and @paddr allow (4 MiB + 8 KiB at a 2 MiB-aligned address: two 2 MiB
 * pages and two 4 KiB pages).
 *
 * Maps of disjoint ranges of a domain on the walker run at once; a map
 * must not overlap a map or unmap running at the same time (core/map.c).
 *
 * Context: a domain on the core's walker (every VT-d and SMMUv3 paging
 * domain): any context, sleeping only when @gfp allows it (to allocate a
 * table).  A domain with its own map_pages (the mock): process context,
 * may sleep.
 * Return: 0, or an errno of the table in core/map.c; on error nothing of
 * the range is mapped.
 */
int liommu_map(struct liommu_domain *domain, unsigned long iova,
	       phys_addr_t paddr, size_t size, int prot, gfp_t gfp)
{
	int err;

	err = liommu_check_map(domain, iova, paddr, size, prot);
	if (err)
		return err;
	return liommu_map_synced(domain, iova, paddr, size, prot, gfp, true);
}
LIOMMU_EXPORT(liommu_map);

/**
 * liommu_unmap() - unmap a range of a paging domain
 * @domain: the domain
 * @iova: first IOVA
 * @size: bytes; the range must be mapped entirely, by leaves that lie
 *	inside it
 *
 * liommu_unmap() is upstream's iommu_unmap(), all or nothing, and with an
 * errno: one call, one gather, exactly one iotlb_sync.  Unmaps and maps of
 * disjoint ranges of a domain on the walker walk at once; an unmap must
 * not overlap a map or unmap running at the same time (core/map.c).
 *
 * Context: a domain on the core's walker: any context, never sleeps, and
 * frees the tables it empties in any context too (core/map.c).  A domain
 * with its own unmap_pages (the mock): process context, may sleep.
 * Return: @size, or an errno of the table in core/map.c (-ENOENT: part is
 * not mapped; -EINVAL: the range cuts a larger page); on error nothing
 * changed.
 */
ssize_t liommu_unmap(struct liommu_domain *domain, unsigned long iova,
		     size_t size)
{
	int err;

	err = liommu_check_range(domain, iova, size, "unmap");
	if (err)
		return err;
	return liommu_unmap_checked(domain, iova, size);
}
LIOMMU_EXPORT(liommu_unmap);

/**
 * liommu_map_prechecked() - liommu_map() without the checks a caller made
 * @domain: a live domain the caller holds
 * @iova: first IOVA
 * @paddr: first physical address
 * @size: bytes
 * @prot: LIOMMU_READ and/or LIOMMU_WRITE
 * @gfp: for page-table allocations
 *
 * No upstream counterpart: the map_pages of the bridge (bridge/), whose
 * caller, the kernel's IOMMU core, has just checked what liommu_map()
 * would check again: that @domain is a paging domain of its own (so
 * live: it frees none that a call is still using), and that @iova,
 * @paddr and @size are multiples of the smallest page size.  The DMA API
 * and VFIO keep their IOVAs inside the aperture and out of the reserved
 * regions, which the bridge reports to them.  Skipped: the live-domain
 * lookup, the argument checks of liommu_map(); kept: the aperture, and
 * the walker's own checks (alignment, reach, output width), so that a
 * wrong argument still gets an errno, not a wrong entry.
 *
 * Context: as liommu_map().
 * Return: as liommu_map().
 */
int liommu_map_prechecked(struct liommu_domain *domain, unsigned long iova,
			  phys_addr_t paddr, size_t size, int prot, gfp_t gfp)
{
	if (unlikely(!domain->pt || !(prot & LIOMMU_PROT_MASK) ||
		     iova < domain->geometry.aperture_start ||
		     iova + size - 1 > domain->geometry.aperture_end ||
		     iova + size - 1 < iova))
		return liommu_map(domain, iova, paddr, size, prot, gfp);
	return liommu_map_synced(domain, iova, paddr, size, prot, gfp, false);
}
LIOMMU_EXPORT(liommu_map_prechecked);

/**
 * liommu_unmap_prechecked() - liommu_unmap() without the checks a caller
 *	made
 * @domain: a live domain the caller holds
 * @iova: first IOVA
 * @size: bytes
 *
 * No upstream counterpart: the unmap_pages of the bridge, as
 * liommu_map_prechecked(): no live-domain lookup; the aperture is
 * checked, and the walker's all-or-nothing check refuses what is not
 * mapped.
 *
 * Context: as liommu_unmap().
 * Return: as liommu_unmap().
 */
ssize_t liommu_unmap_prechecked(struct liommu_domain *domain,
				unsigned long iova, size_t size)
{
	if (unlikely(!domain->pt || !size ||
		     iova < domain->geometry.aperture_start ||
		     iova + size - 1 > domain->geometry.aperture_end ||
		     iova + size - 1 < iova))
		return liommu_unmap(domain, iova, size);
	return liommu_pt_unmap_range(domain, iova, size);
}
LIOMMU_EXPORT(liommu_unmap_prechecked);

/* One physically contiguous run of a scatterlist. */
static int liommu_map_sg_run(struct liommu_domain *domain, unsigned long iova,
			     phys_addr_t paddr, size_t size, int prot,
			     gfp_t gfp)
{
	int err = liommu_check_map(domain, iova, paddr, size, prot);

	return err ?: liommu_map_checked(domain, iova, paddr, size, prot, gfp,
					 true);
}

/**
 * liommu_map_sg() - map a scatterlist at consecutive IOVAs
 * @domain: the domain
 * @iova: first IOVA
 * @sg: the list; physically contiguous entries are merged
 * @nents: its entries
 * @prot: LIOMMU_READ and/or LIOMMU_WRITE
 * @gfp: for page-table allocations
 *
 * liommu_map_sg() is upstream's iommu_map_sg().  Each merged chunk must be
 * aligned to the smallest page size.
 *
 * Context: as liommu_map().
 * Return: the bytes mapped, or an errno of the table in core/map.c; on
 * error nothing stays mapped.
 */
ssize_t liommu_map_sg(struct liommu_domain *domain, unsigned long iova,
		      struct scatterlist *sg, unsigned int nents, int prot,
		      gfp_t gfp)
{
	phys_addr_t run_phys = 0;
	size_t run_len = 0, mapped = 0;
	struct scatterlist *s;
	unsigned int i;
	int err;

	err = liommu_check_range(domain, iova, PAGE_SIZE, "map_sg");
	if (err)
		return err;
	if (IS_ERR_OR_NULL(sg) || !nents)
		return -EINVAL;
	for_each_sg(sg, s, nents, i) {
		phys_addr_t phys = sg_phys(s);

		if (!s->length)
			continue;
		if (run_len && run_phys + run_len == phys) {
			run_len += s->length;
			continue;
		}
		if (run_len) {
			err = liommu_map_sg_run(domain, iova + mapped, run_phys,
						run_len, prot, gfp);
			if (err)
				goto err_unwind;
			mapped += run_len;
		}
		run_phys = phys;
		run_len = s->length;
	}
	if (run_len) {
		err = liommu_map_sg_run(domain, iova + mapped, run_phys,
					run_len, prot, gfp);
		if (err)
			goto err_unwind;
		mapped += run_len;
	}
	if (mapped) {
		err = liommu_sync_map(domain, iova, mapped);
		if (err)
			goto err_unwind;
	}
	return mapped;

err_unwind:
	if (mapped && liommu_unmap_checked(domain, iova, mapped) != mapped)
		pr_err("liommu: map_sg could not undo %#lx+%#zx\n", iova,
		       mapped);
	return err;
}
LIOMMU_EXPORT(liommu_map_sg);

/**
 * liommu_iova_to_phys() - the physical address an IOVA translates to
 * @domain: the domain
 * @iova: the address
 *
 * liommu_iova_to_phys() is upstream's iommu_iova_to_phys().
 *
 * Context: any the vendor's iova_to_phys allows (the walker's: any).
 * Return: the address; @iova itself in an identity domain; 0 when it is
 * not mapped, in a blocked domain, or for a NULL, error or freed @domain.
 */
phys_addr_t liommu_iova_to_phys(struct liommu_domain *domain,
				dma_addr_t iova)
{
	if (liommu_domain_check(domain, "iova_to_phys"))
		return 0;
	if (domain->type == LIOMMU_DOMAIN_IDENTITY)
		return iova;
	if (domain->type != LIOMMU_DOMAIN_PAGING)
		return 0;
	if (domain->pt)
		return __liommu_pt_iova_to_phys(domain->pt, iova);
	return domain->ops->iova_to_phys(domain, iova);
}
LIOMMU_EXPORT(liommu_iova_to_phys);
