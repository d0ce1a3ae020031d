// SPDX-License-Identifier: GPL-2.0
/*
 * SVA: a device's PASID-tagged DMA walks a process's own page table
 * (seed 001's model: an SVA domain per address space, attached to a
 * device PASID like any other domain).
 *
 * Objects:
 *  - &struct liommu_sva_mm: one per bound mm.  It holds the mm's PASID
 *    (one for the whole platform, from the core's PASID space: the same
 *    PASID means the same address space on every unit), an mm_count
 *    reference (mmgrab; never mm_users: a bound process can still exit)
 *    and the mmu_notifier that carries the mm's changes to the IOMMUs.
 *  - an SVA domain per (mm, unit), allocated by the vendor's
 *    domain_alloc_sva on the mm's page table and shared by every device
 *    of that unit bound to the mm; its fault handler faults pages in.
 *  - &struct liommu_sva: the handle of one (device, mm) binding, counted:
 *    binding the same pair again returns the same handle.
 *
 * Life cycle: the first bind of an mm allocates its PASID and registers
 * the notifier; each bind attaches the unit's SVA domain to the device's
 * PASID (liommu_attach_device_pasid()).  The PASID stays the mm's until
 * the mm goes away, as upstream's does: after its last unbind the mm is
 * "kept" (its PASID and notifier, no domain, no binding), and a later
 * bind gets the same PASID.  The mm's invalidations reach
 * every SVA domain of the mm as iotlb_sync of the range
 * (arch_invalidate_secondary_tlbs, invalidate_range on 6.1: compat.h).
 * When the mm goes away (exit, or the last mmput of a fork's copy) the
 * notifier's release blocks every PASID of the mm before its page table
 * is torn down, so DMA faults instead of walking freed tables; the
 * handles stay until their owners unbind.  The last unbind of a (device,
 * mm) detaches the PASID; the last of a domain frees it.  An mm is
 * retired (taken off the list, its PASID freed, its notifier put) by
 * whichever comes last: its release, or the last unbind after it.  The
 * notifier and the &struct liommu_sva_mm are freed after an SRCU grace
 * period (mmu_notifier_put(), then our free_notifier); module exit waits
 * for those with mmu_notifier_synchronize().
 *
 * Locking: liommu_sva_lock (mutex) guards the list of bound mms, every
 * mm's handles and domain list, and is taken by bind, unbind and release.
 * Order: liommu_sva_lock, then the group mutex (attach, block), then
 * mmap_lock (the notifier's registration).  Never held across
 * mmu_notifier_unregister(): its SRCU wait could wait for a release that
 * waits for the lock.  The notifier's invalidation runs under the mm's
 * page-table locks: it walks each mm's domain list under RCU and calls
 * only the vendors' iotlb_sync, which must not sleep.  The fault handler
 * runs under the group mutex (core/fault.c) and takes mmap_lock for
 * reading; it drops its mm reference with mmput_async(), since a final
 * mmput there would run the release (and liommu_sva_lock) under the
 * group mutex.
 */
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/rculist.h>
#include <linux/sched/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include <liommu/pasid.h>
#include "priv.h"

/**
 * struct liommu_sva_mm - a bound address space
 * @node: in liommu_sva_mms
 * @mm: the address space (mm_count referenced)
 * @pasid: its PASID on every unit
 * @mn: the notifier on @mm
 * @domains: &struct liommu_sva_dom of its units (RCU list)
 * @handles: its bindings, &struct liommu_sva.node
 * @released: the mm went away: its PASIDs are blocked
 * @kept: no binding, the mm alive: only its PASID and notifier are held
 */
struct liommu_sva_mm {
	struct list_head node;
	struct mm_struct *mm;
	u32 pasid;
	struct mmu_notifier mn;
	struct list_head domains;
	struct list_head handles;
	bool released;
	bool kept;
};

/**
 * struct liommu_sva_dom - the SVA domain of one (mm, unit)
 * @node: in &liommu_sva_mm.domains
 * @domain: the domain
 * @users: bindings that use it
 * @rcu: the notifier may still be walking it when unlinked
 */
struct liommu_sva_dom {
	struct list_head node;
	struct liommu_domain *domain;
	unsigned int users;
	struct rcu_head rcu;
};

/**
 * struct liommu_sva - a (device, mm) binding
 * @node: in &liommu_sva_mm.handles
 * @dev: the device (a reference while bound)
 * @smm: the mm
 * @sd: the SVA domain of the device's unit
 * @users: binds not yet unbound
 */
struct liommu_sva {
	struct list_head node;
	struct device *dev;
	struct liommu_sva_mm *smm;
	struct liommu_sva_dom *sd;
	unsigned int users;
};

static DEFINE_MUTEX(liommu_sva_lock);
static LIST_HEAD(liommu_sva_mms);
static struct liommu_pasid_set *liommu_sva_pasids;
static atomic_long_t liommu_sva_live_mms = ATOMIC_LONG_INIT(0);
static atomic_long_t liommu_sva_kept_mms = ATOMIC_LONG_INIT(0);
static DEFINE_SPINLOCK(liommu_sva_stats_lock);
static struct liommu_sva_stats liommu_sva_fault_stats;

static struct liommu_sva_mm *sva_mm_find(struct mm_struct *mm)
{
	struct liommu_sva_mm *smm;

	lockdep_assert_held(&liommu_sva_lock);
	list_for_each_entry(smm, &liommu_sva_mms, node)
		if (smm->mm == mm)
			return smm;
	return NULL;
}

/* The mm's pages changed in [@start, @end): drop what the IOMMUs cache. */
static void sva_invalidate(struct mmu_notifier *mn, struct mm_struct *mm,
			   unsigned long start, unsigned long end)
{
	struct liommu_sva_mm *smm = container_of(mn, typeof(*smm), mn);
	struct liommu_iotlb_gather gather;
	struct liommu_sva_dom *sd;

	if (start >= end)
		return;
	liommu_iotlb_gather_init(&gather);
	liommu_iotlb_gather_add(&gather, start, end - start);
	rcu_read_lock();
	list_for_each_entry_rcu(sd, &smm->domains, node) {
		if (end - start >= SZ_1G)
			sd->domain->ops->flush_iotlb_all(sd->domain);
		else
			sd->domain->ops->iotlb_sync(sd->domain, &gather);
	}
	rcu_read_unlock();
}

/*
 * Take @smm off the list and free its PASID (and the PASID consumer with
 * the last mm); its notifier goes with mmu_notifier_put(), which frees
 * @smm after an SRCU grace period.  No binding is left.  Safe from the
 * notifier's own release: the put unhashes the notifier without waiting.
 * liommu_sva_lock held.
 */
static void sva_mm_retire(struct liommu_sva_mm *smm)
{
	lockdep_assert_held(&liommu_sva_lock);
	WARN_ON(!list_empty(&smm->handles));
	if (smm->kept) {
		smm->kept = false;
		atomic_long_dec(&liommu_sva_kept_mms);
	}
	list_del(&smm->node);
	liommu_pasid_free(liommu_sva_pasids, smm->pasid);
	/* The PASID consumer lives while an mm is listed (leak checks). */
	if (list_empty(&liommu_sva_mms)) {
		liommu_pasid_exit(liommu_sva_pasids);
		liommu_sva_pasids = NULL;
	}
	mmu_notifier_put(&smm->mn);
}

/*
 * The mm's last user is gone and its page table is about to be freed:
 * block every PASID bound to it (their DMA faults from now on).
 */
static void sva_release(struct mmu_notifier *mn, struct mm_struct *mm)
{
	struct liommu_sva_mm *smm = container_of(mn, typeof(*smm), mn);
	struct liommu_sva *h;

	mutex_lock(&liommu_sva_lock);
	if (!smm->released) {
		smm->released = true;
		list_for_each_entry(h, &smm->handles, node)
			liommu_pasid_block(h->dev, smm->pasid);
		/* Nothing bound: the mm's PASID goes with it. */
		if (smm->kept)
			sva_mm_retire(smm);
	}
	mutex_unlock(&liommu_sva_lock);
}

/* After mmu_notifier_put() and an SRCU grace period: nothing walks @mn. */
static void sva_free_notifier(struct mmu_notifier *mn)
{
	liommu_kfree(container_of(mn, struct liommu_sva_mm, mn));
}

static const struct mmu_notifier_ops liommu_sva_mn_ops = {
	.release = sva_release,
	.free_notifier = sva_free_notifier,
	.LIOMMU_MN_INVALIDATE = sva_invalidate,
};

/* A new bound mm: its PASID and notifier.  liommu_sva_lock held. */
static struct liommu_sva_mm *sva_mm_alloc(struct mm_struct *mm)
{
	struct liommu_sva_mm *smm;
	int pasid, err;

	lockdep_assert_held(&liommu_sva_lock);
	if (!liommu_sva_pasids) {
		liommu_sva_pasids = liommu_pasid_init(1, LIOMMU_PASID_SPACE_MAX,
						      0);
		if (IS_ERR(liommu_sva_pasids)) {
			err = PTR_ERR(liommu_sva_pasids);
			liommu_sva_pasids = NULL;
			return ERR_PTR(err);
		}
	}
	smm = liommu_kzalloc(sizeof(*smm), GFP_KERNEL);
	if (!smm)
		return ERR_PTR(-ENOMEM);
	pasid = liommu_pasid_alloc(liommu_sva_pasids, 1, LIOMMU_PASID_SPACE_MAX,
				   smm);
	if (pasid < 0) {
		err = pasid;
		goto err_free;
	}
	smm->pasid = pasid;
	smm->mm = mm;
	INIT_LIST_HEAD(&smm->domains);
	INIT_LIST_HEAD(&smm->handles);
	smm->mn.ops = &liommu_sva_mn_ops;
	/* The notifier holds mm_count (never mm_users) until it is freed. */
	err = mmu_notifier_register(&smm->mn, mm);
	if (err)
		goto err_free_pasid;
	list_add(&smm->node, &liommu_sva_mms);
	return smm;

err_free_pasid:
	liommu_pasid_free(liommu_sva_pasids, smm->pasid);
err_free:
	liommu_kfree(smm);
	return ERR_PTR(err);
}

/* The SVA domain of @dev's unit for @smm, made on first use. */
static struct liommu_sva_dom *sva_dom_get(struct liommu_sva_mm *smm,
					  struct liommu_dev *ldev)
{
	struct liommu_sva_dom *sd;
	struct liommu_domain *domain;

	lockdep_assert_held(&liommu_sva_lock);
	list_for_each_entry(sd, &smm->domains, node)
		if (sd->domain->iommu == ldev->iommu) {
			sd->users++;
			return sd;
		}
	sd = liommu_kzalloc(sizeof(*sd), GFP_KERNEL);
	if (!sd)
		return ERR_PTR(-ENOMEM);
	domain = liommu_sva_domain_alloc(ldev->dev, smm->mm);
	if (IS_ERR(domain)) {
		liommu_kfree(sd);
		return ERR_CAST(domain);
	}
	sd->domain = domain;
	sd->users = 1;
	list_add_rcu(&sd->node, &smm->domains);
	return sd;
}

static void sva_dom_free_rcu(struct rcu_head *rcu)
{
	liommu_kfree(container_of(rcu, struct liommu_sva_dom, rcu));
}

static void sva_dom_put(struct liommu_sva_dom *sd)
{
	lockdep_assert_held(&liommu_sva_lock);
	if (--sd->users)
		return;
	list_del_rcu(&sd->node);
	/* No notifier walk reaches it after the grace period. */
	synchronize_rcu();
	liommu_domain_free(sd->domain);
	call_rcu(&sd->rcu, sva_dom_free_rcu);
}

/**
 * liommu_sva_bind_device() - share a process's address space with a device
 * @dev: a device with LIOMMU_DEV_FEAT_SVA enabled
 * @mm: the address space (the caller holds a reference on it)
 *
 * liommu_sva_bind_device() is upstream's iommu_sva_bind_device(): the
 * device's DMA tagged with the mm's PASID (liommu_sva_get_pasid())
 * translates through the mm's page table, and its faults are resolved
 * on the mm (handle_mm_fault()).  Binding the same device to the same mm
 * again returns the same handle, counted; each bind needs its unbind.
 *
 * Context: process context; may sleep.
 * Return: the handle, or ERR_PTR(): -EINVAL for bad arguments, a device
 * without LIOMMU_DEV_FEAT_SVA or an mm that is going away; -ENODEV when
 * no unit translates @dev; -EOPNOTSUPP when its unit cannot share page
 * tables; -ENOSPC (no PASID left); the errors of
 * liommu_attach_device_pasid(); -ENOMEM.
 */
struct liommu_sva *liommu_sva_bind_device(struct device *dev,
					  struct mm_struct *mm)
{
	struct liommu_sva_mm *smm;
	struct liommu_sva_dom *sd;
	struct liommu_dev *ldev;
	struct liommu_sva *h;
	bool new_mm = false;
	int err;

	if (IS_ERR_OR_NULL(dev) || IS_ERR_OR_NULL(mm))
		return ERR_PTR(-EINVAL);
	ldev = liommu_dev_get(dev);
	if (!ldev)
		return ERR_PTR(-ENODEV);
	if (!ldev->iommu->ops->domain_alloc_sva) {
		liommu_dev_put(ldev);
		return ERR_PTR(-EOPNOTSUPP);
	}
	if (!test_bit(LIOMMU_DEV_FEAT_SVA, &ldev->features)) {
		liommu_err_rl("SVA bind: %s: LIOMMU_DEV_FEAT_SVA is off\n",
			      dev_name(dev));
		liommu_dev_put(ldev);
		return ERR_PTR(-EINVAL);
	}

	mutex_lock(&liommu_sva_lock);
	smm = sva_mm_find(mm);
	if (smm) {
		if (smm->released) {
			err = -EINVAL;
			goto err_unlock;
		}
		list_for_each_entry(h, &smm->handles, node)
			if (h->dev == dev) {
				h->users++;
				goto out_unlock;
			}
	} else {
		smm = sva_mm_alloc(mm);
		if (IS_ERR(smm)) {
			err = PTR_ERR(smm);
			goto err_unlock;
		}
		new_mm = true;
	}
	h = liommu_kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h) {
		err = -ENOMEM;
		goto err_free_mm;
	}
	sd = sva_dom_get(smm, ldev);
	if (IS_ERR(sd)) {
		err = PTR_ERR(sd);
		goto err_free_handle;
	}
	err = liommu_attach_device_pasid(sd->domain, dev, smm->pasid);
	if (err)
		goto err_put_dom;
	h->dev = get_device(dev);
	h->smm = smm;
	h->sd = sd;
	h->users = 1;
	if (list_empty(&smm->handles)) {
		atomic_long_inc(&liommu_sva_live_mms);
		if (smm->kept) {
			smm->kept = false;
			atomic_long_dec(&liommu_sva_kept_mms);
		}
	}
	list_add(&h->node, &smm->handles);
out_unlock:
	mutex_unlock(&liommu_sva_lock);
	liommu_dev_put(ldev);
	return h;

err_put_dom:
	sva_dom_put(sd);
err_free_handle:
	liommu_kfree(h);
err_free_mm:
	if (new_mm)
		sva_mm_retire(smm);
err_unlock:
	mutex_unlock(&liommu_sva_lock);
	liommu_dev_put(ldev);
	return ERR_PTR(err);
}
LIOMMU_EXPORT(liommu_sva_bind_device);

/**
 * liommu_sva_unbind_device() - drop one bind of a handle
 * @handle: what liommu_sva_bind_device() returned
 *
 * liommu_sva_unbind_device() is upstream's iommu_sva_unbind_device().
 * The last unbind of a (device, mm) detaches the device's PASID (its DMA
 * faults from then on); the device's faults already queued for the SVA
 * domain are handled first.
 *
 * Context: process context; may sleep; not under a group mutex.
 */
void liommu_sva_unbind_device(struct liommu_sva *handle)
{
	struct liommu_sva_mm *smm;

	if (IS_ERR_OR_NULL(handle))
		return;
	smm = handle->smm;
	mutex_lock(&liommu_sva_lock);
	if (--handle->users) {
		mutex_unlock(&liommu_sva_lock);
		return;
	}
	list_del(&handle->node);
	liommu_detach_device_pasid(handle->sd->domain, handle->dev, smm->pasid);
	mutex_unlock(&liommu_sva_lock);
	/* No fault of the device may reach the domain after it is freed. */
	liommu_iopf_flush_dev(handle->dev);
	mutex_lock(&liommu_sva_lock);
	sva_dom_put(handle->sd);
	if (list_empty(&smm->handles)) {
		atomic_long_dec(&liommu_sva_live_mms);
		/* A live mm keeps its PASID; a released one is done. */
		if (smm->released) {
			sva_mm_retire(smm);
		} else {
			smm->kept = true;
			atomic_long_inc(&liommu_sva_kept_mms);
		}
	}
	mutex_unlock(&liommu_sva_lock);
	put_device(handle->dev);
	liommu_kfree(handle);
}
LIOMMU_EXPORT(liommu_sva_unbind_device);

/**
 * liommu_sva_get_pasid() - the PASID a bound device tags its SVA DMA with
 * @handle: a binding
 *
 * liommu_sva_get_pasid() is upstream's iommu_sva_get_pasid(): the mm's
 * PASID, the same for every device and unit bound to it.
 *
 * Return: the PASID, or IOMMU_PASID_INVALID-like 0 for a bad handle.
 */
u32 liommu_sva_get_pasid(struct liommu_sva *handle)
{
	if (IS_ERR_OR_NULL(handle))
		return 0;
	return handle->smm->pasid;
}
LIOMMU_EXPORT(liommu_sva_get_pasid);

/**
 * liommu_sva_get_stats() - what SVA did since load
 * @stats: filled
 *
 * For tests and diagnostics: bound address spaces now (0 again after
 * the last unbind), address spaces that keep their PASID with nothing
 * bound (until they go away) and what the core holds for them, and the
 * faults the SVA handler saw.
 *
 * Context: any.
 */
void liommu_sva_get_stats(struct liommu_sva_stats *stats)
{
	unsigned long flags;

	spin_lock_irqsave(&liommu_sva_stats_lock, flags);
	*stats = liommu_sva_fault_stats;
	spin_unlock_irqrestore(&liommu_sva_stats_lock, flags);
	stats->live_mms = atomic_long_read(&liommu_sva_live_mms);
	stats->kept_mms = atomic_long_read(&liommu_sva_kept_mms);
	/*
	 * A kept mm holds two allocations (its state and its PASID's entry),
	 * and the PASID consumer one more while no mm is bound.
	 */
	stats->kept_allocs = 2 * stats->kept_mms +
			     (stats->kept_mms && !stats->live_mms ? 1 : 0);
}
LIOMMU_EXPORT(liommu_sva_get_stats);

static void sva_fault_count(const struct liommu_fault *f, bool resolved)
{
	unsigned long flags;

	spin_lock_irqsave(&liommu_sva_stats_lock, flags);
	liommu_sva_fault_stats.faults++;
	liommu_sva_fault_stats.resolved += resolved;
	liommu_sva_fault_stats.last_pasid = f->pasid;
	liommu_sva_fault_stats.last_perm = f->perm;
	liommu_sva_fault_stats.last_addr = f->addr;
	spin_unlock_irqrestore(&liommu_sva_stats_lock, flags);
}

/* Access rights a fault needs, as VMA flags. */
static unsigned long sva_fault_vm_flags(const struct liommu_fault *f)
{
	unsigned long need = 0;

	if (f->perm & LIOMMU_FAULT_PERM_READ)
		need |= VM_READ;
	if (f->perm & LIOMMU_FAULT_PERM_WRITE)
		need |= VM_WRITE;
	if (f->perm & LIOMMU_FAULT_PERM_EXEC)
		need |= VM_EXEC;
	return need;
}

/*
 * The SVA domain's fault handler: fault the page in on the bound mm when
 * the mm is still alive, a VMA covers the address and it allows the
 * access; the device (or the test, on an emulator without page
 * requests) then retries.  Runs on the unit's fault workqueue.
 */
int liommu_sva_iopf_handler(struct liommu_domain *domain,
			    const struct liommu_fault *f, void *data)
{
	struct mm_struct *mm = domain->mm;
	unsigned int flags = FAULT_FLAG_REMOTE;
	struct vm_area_struct *vma;
	unsigned long need;
	vm_fault_t ret;
	int err = -EFAULT;

	if (f->perm & LIOMMU_FAULT_PERM_PRIV || !mmget_not_zero(mm)) {
		/* SVA shares user mappings only; a dead mm has none. */
		sva_fault_count(f, false);
		return -EFAULT;
	}
	mmap_read_lock(mm);
	vma = vma_lookup(mm, f->addr);
	need = sva_fault_vm_flags(f);
	if (!vma || (need & ~vma->vm_flags))
		goto out_unlock;
	if (f->perm & LIOMMU_FAULT_PERM_WRITE)
		flags |= FAULT_FLAG_WRITE;
	ret = handle_mm_fault(vma, f->addr, flags, NULL);
	if (!(ret & VM_FAULT_ERROR))
		err = 0;
out_unlock:
	mmap_read_unlock(mm);
	mmput_async(mm);
	sva_fault_count(f, !err);
	return err;
}

/* Has @dev a binding?  (Turning LIOMMU_DEV_FEAT_SVA off is refused then.) */
bool liommu_sva_dev_bound(struct device *dev)
{
	struct liommu_sva_mm *smm;
	struct liommu_sva *h;
	bool bound = false;

	mutex_lock(&liommu_sva_lock);
	list_for_each_entry(smm, &liommu_sva_mms, node)
		list_for_each_entry(h, &smm->handles, node)
			bound |= h->dev == dev;
	mutex_unlock(&liommu_sva_lock);
	return bound;
}

/*
 * Module exit: every binding is gone (they pin the vendor modules), but
 * mms of live processes may still keep their PASIDs: retire them, then
 * wait until every notifier put so far is freed (our free_notifier is
 * about to go away with the module).
 */
void liommu_sva_exit(void)
{
	struct liommu_sva_mm *smm, *next;

	mutex_lock(&liommu_sva_lock);
	list_for_each_entry_safe(smm, next, &liommu_sva_mms, node)
		sva_mm_retire(smm);
	mutex_unlock(&liommu_sva_lock);
	mmu_notifier_synchronize();
	if (liommu_sva_pasids)
		liommu_pasid_exit(liommu_sva_pasids);
	liommu_sva_pasids = NULL;
}
