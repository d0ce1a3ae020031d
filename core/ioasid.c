// SPDX-License-Identifier: GPL-2.0
/*
 * The PASID allocator: one PASID space for the whole platform, shared out
 * among consumers.  Seed 002's PASID management; upstream's I/O ASID
 * allocator (drivers/iommu/ioasid.c, still in Linux 6.1) did the same job,
 * and later upstream kernels hand out global PASIDs with
 * iommu_alloc_global_pasid(), clipped to one device's width.
 *
 * Model.  SVA gives one process one PASID on every unit that translates
 * its devices, so a PASID must mean the same thing everywhere: there is
 * one space, liommu_pasids, and every consumer (&struct liommu_pasid_set:
 * a driver, iommufd-lite, the SVA and aux code) takes numbers from it.
 * PASID 0 is never handed out: it is the untagged traffic's (VT-d
 * RID_PASID, SMMUv3 substream 0).  The space ends at the narrowest PASID
 * width among the registered units that have one (a unit without PASIDs
 * does not narrow it); liommu_pasid_space_update() recomputes that end
 * whenever a unit registers or unregisters, and every allocation clips
 * its range to the end in force then.  Narrowing the space takes back no
 * PASID already handed out.
 *
 * Objects.
 *  - &struct liommu_pasid_set: one consumer: its range, its optional
 *    quota, its PASIDs (@pasids: PASID -> entry) and their number (@nr).
 *  - &struct liommu_pasid_entry: one allocated PASID: its number, its set,
 *    the consumer's private data and a reference count.
 *
 * Lifetimes.  An allocated entry is in two tables: liommu_pasids (what
 * lookups read) and its set's @pasids (what for_each and exit walk).
 * Both together hold one reference, "the table's".  liommu_pasid_find()
 * takes another one for its caller.  liommu_pasid_free() takes the entry
 * out of both tables, leaves its number reserved in liommu_pasids
 * (XA_ZERO_ENTRY: lookups see nothing, allocations skip it) and drops
 * the table's reference.  The last liommu_pasid_put() erases the
 * reservation and frees the entry after an RCU grace period.  So:
 *  - once liommu_pasid_free() returned, no lookup finds the PASID;
 *  - a reference taken before keeps the entry, its private data pointer
 *    and its number: the number is not handed out again while any
 *    reference is held (a caller may still be programming it);
 *  - the quota counts the PASIDs in the set's table, not the ones that
 *    are freed and still referenced.
 *
 * Locking.
 *  - set->lock (mutex): every change of one set: alloc, free, exit and
 *    @nr.  It is a leaf of the core's lock order (priv.h): a consumer may
 *    call in with a group mutex or the table lock held, and nothing here
 *    takes either of them.
 *  - liommu_pasids' xa_lock (spinlock, interrupts off; inside set->lock):
 *    the space.  The last put takes it, so a put may come from any
 *    context.
 *  - lookups take no lock: liommu_pasid_find() and liommu_pasid_for_each()
 *    read under RCU and keep what they found with refcount_inc_not_zero().
 *  - liommu_pasid_top: written under liommu_table_lock, read once per
 *    allocation.
 */
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include <liommu/pasid.h>

#include "priv.h"

/**
 * struct liommu_pasid_set - a consumer of PASIDs
 * @lock: guards @pasids' changes and @nr (see above)
 * @pasids: the set's PASIDs: PASID -> &struct liommu_pasid_entry
 * @min: lowest PASID of the consumer's range (at least 1)
 * @max: highest PASID of the consumer's range
 * @quota: most PASIDs the set may hold at once, 0 for no limit
 * @nr: PASIDs the set holds now
 */
struct liommu_pasid_set {
	struct mutex lock;
	struct xarray pasids;
	u32 min;
	u32 max;
	unsigned int quota;
	unsigned int nr;
};

/**
 * struct liommu_pasid_entry - one allocated PASID
 * @refs: the table's reference while allocated, plus one per
 *	liommu_pasid_find() not yet put
 * @pasid: its number
 * @set: its consumer; compared, never followed, by lookups
 * @private: the consumer's data, fixed at allocation
 * @rcu: the free after the last put waits for lookups in flight
 */
struct liommu_pasid_entry {
	refcount_t refs;
	u32 pasid;
	struct liommu_pasid_set *set;
	void *private;
	struct rcu_head rcu;
};

/* The platform's PASID space: PASID -> entry, or reserved while freed. */
static DEFINE_XARRAY_FLAGS(liommu_pasids, XA_FLAGS_ALLOC1 | XA_FLAGS_LOCK_IRQ);
/* Highest PASID the registered units can all use. */
static u32 liommu_pasid_top = LIOMMU_PASID_SPACE_MAX;

/**
 * liommu_pasid_space_update() - recompute the end of the PASID space
 *
 * Called by liommu_device_register() and liommu_device_unregister() after
 * they changed the list of units: the space ends at the narrowest
 * &liommu_device.max_pasid_bits that is not 0, and at 20 bits.
 *
 * Context: liommu_table_lock held.
 */
void liommu_pasid_space_update(void)
{
	unsigned int bits = LIOMMU_PASID_SPACE_BITS;
	struct liommu_device *iommu;

	lockdep_assert_held(&liommu_table_lock);
	list_for_each_entry(iommu, &liommu_iommus, node)
		if (iommu->max_pasid_bits)
			bits = min(bits, iommu->max_pasid_bits);
	WRITE_ONCE(liommu_pasid_top, (1U << bits) - 1);
}

/**
 * liommu_pasid_space_max() - the highest PASID an allocation can return now
 *
 * No upstream counterpart (seed 002's vendor callback that imposes the
 * hardware's PASID range): the end of the platform's PASID space, set by
 * the narrowest unit registered that has PASIDs; %LIOMMU_PASID_SPACE_MAX
 * when none has.
 *
 * Context: any.
 * Return: the highest PASID, at least 1.
 */
u32 liommu_pasid_space_max(void)
{
	return READ_ONCE(liommu_pasid_top);
}
LIOMMU_EXPORT(liommu_pasid_space_max);

/**
 * liommu_pasid_init() - create a consumer of PASIDs
 * @min: lowest PASID it may use; 0 is taken as 1 (PASID 0 is never
 *	handed out)
 * @max: highest PASID it may use; values beyond 20 bits are taken as
 *	%LIOMMU_PASID_SPACE_MAX
 * @quota: most PASIDs it may hold at once, 0 for no limit
 *
 * liommu_pasid_init() is seed 002's iommu_pasid_init() (a set with a
 * quota was proposed upstream as ioasid_alloc_set(), never merged).  The
 * range is the consumer's own limit; each allocation is clipped again to
 * the platform's space.
 *
 * Context: process context; may sleep.
 * Return: the set, or ERR_PTR(-EINVAL) for an empty range (@min > @max,
 * @max 0, @min beyond 20 bits), ERR_PTR(-ENOMEM).
 */
struct liommu_pasid_set *liommu_pasid_init(u32 min, u32 max,
					   unsigned int quota)
{
	struct liommu_pasid_set *set;

	if (min > max || !max || min > LIOMMU_PASID_SPACE_MAX) {
		liommu_err_rl("PASID set: bad range [%u, %u]\n", min, max);
		return ERR_PTR(-EINVAL);
	}
	set = liommu_kzalloc(sizeof(*set), GFP_KERNEL);
	if (!set)
		return ERR_PTR(-ENOMEM);
	mutex_init(&set->lock);
	xa_init(&set->pasids);
	set->min = max(min, 1U);
	set->max = min(max, LIOMMU_PASID_SPACE_MAX);
	set->quota = quota;
	return set;
}
LIOMMU_EXPORT(liommu_pasid_init);

/* Lookups see nothing at @e's number from now on; the number stays taken. */
static void liommu_pasid_unpublish(struct liommu_pasid_entry *e)
{
	void *old;

	/* Storing NULL in an allocating array reserves: the slot exists. */
	old = xa_store_irq(&liommu_pasids, e->pasid, NULL, GFP_KERNEL);
	WARN_ON(old != e);
}

/**
 * liommu_pasid_alloc() - take a PASID from the platform's space
 * @set: the consumer
 * @min: lowest acceptable PASID
 * @max: highest acceptable PASID
 * @private: the consumer's data, returned by liommu_pasid_find() and
 *	passed to liommu_pasid_for_each()'s function; may be NULL, never
 *	an ERR_PTR
 *
 * liommu_pasid_alloc() is seed 002's iommu_pasid_alloc() (upstream's
 * ioasid_alloc(), later iommu_alloc_global_pasid()).  The lowest free
 * PASID in [@min, @max] clipped to the set's range and to the platform's
 * space (liommu_pasid_space_max()).
 *
 * Context: process context; may sleep.
 * Return: the PASID (> 0), or -EINVAL (NULL @set, @min > @max, a range
 * outside the set's, an ERR_PTR @private), -EDQUOT (the set holds its
 * quota), -ENOSPC (no free PASID in the clipped range, or the range lies
 * beyond the platform's space), -ENOMEM.
 */
int liommu_pasid_alloc(struct liommu_pasid_set *set, u32 min, u32 max,
		       void *private)
{
	u32 top = liommu_pasid_space_max();
	struct liommu_pasid_entry *e;
	u32 id;
	int err;

	if (!set || IS_ERR(private) || min > max) {
		liommu_err_rl("PASID alloc: bad arguments\n");
		return -EINVAL;
	}
	min = max(min, set->min);
	max = min(max, set->max);
	if (min > max) {
		liommu_err_rl("PASID alloc: range outside the set's [%u, %u]\n",
			      set->min, set->max);
		return -EINVAL;
	}
	if (min > top)
		return -ENOSPC;
	max = min(max, top);

	e = liommu_kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	refcount_set(&e->refs, 1);
	e->set = set;
	e->private = private;

	mutex_lock(&set->lock);
	if (set->quota && set->nr >= set->quota) {
		err = -EDQUOT;
		goto err_unlock;
	}
	/* Reserve a number first: lookups see nothing there yet. */
	err = xa_alloc_irq(&liommu_pasids, &id, NULL, XA_LIMIT(min, max),
			   GFP_KERNEL);
	if (err) {
		if (err == -EBUSY)
			err = -ENOSPC;
		goto err_unlock;
	}
	e->pasid = id;
	err = xa_insert(&set->pasids, id, e, GFP_KERNEL);
	if (err)
		goto err_unreserve;
	/* Publish: the slot exists, so this store allocates nothing. */
	WARN_ON(xa_is_err(xa_store_irq(&liommu_pasids, id, e, GFP_KERNEL)));
	set->nr++;
	mutex_unlock(&set->lock);
	return id;

err_unreserve:
	xa_erase_irq(&liommu_pasids, id);
err_unlock:
	mutex_unlock(&set->lock);
	liommu_kfree(e);
	return err;
}
LIOMMU_EXPORT(liommu_pasid_alloc);

/**
 * liommu_pasid_put() - drop a reference from liommu_pasid_find()
 * @ref: the reference; NULL does nothing
 *
 * Stands for upstream's ioasid_put() as in Linux 5.11, which kept a PASID
 * allocated while referenced.  The last reference of a freed PASID gives
 * its number back to the space and frees the entry after an RCU grace
 * period.
 *
 * Context: any.
 */
void liommu_pasid_put(struct liommu_pasid_entry *ref)
{
	unsigned long flags;
	void *old;

	if (!ref || !refcount_dec_and_test(&ref->refs))
		return;
	xa_lock_irqsave(&liommu_pasids, flags);
	old = __xa_erase(&liommu_pasids, ref->pasid);
	xa_unlock_irqrestore(&liommu_pasids, flags);
	/* Freed entries leave a reservation, which erases as NULL. */
	WARN_ON(old);
	/*
	 * liommu_kfree() after a grace period: lookups that loaded @ref may
	 * still read it.  The counter drops now, kfree_rcu() needs no code
	 * of this module later.
	 */
	liommu_stat_dec(LIOMMU_STAT_ALLOCS);
	kfree_rcu(ref, rcu);
}
LIOMMU_EXPORT(liommu_pasid_put);

/**
 * liommu_pasid_free() - give a PASID back
 * @set: the consumer that allocated it
 * @pasid: the PASID
 *
 * liommu_pasid_free() is seed 002's iommu_pasid_free() (upstream's
 * ioasid_free(), later iommu_free_global_pasid()).  From its return on no
 * lookup finds @pasid; references taken before stay valid, and the number
 * is handed out again only after the last of them is put.
 *
 * Context: process context; may sleep.
 * Return: 0, -EINVAL for a NULL @set, -ENOENT if @set does not hold
 * @pasid (never allocated, freed already, another set's).
 */
int liommu_pasid_free(struct liommu_pasid_set *set, u32 pasid)
{
	struct liommu_pasid_entry *e;

	if (!set)
		return -EINVAL;
	mutex_lock(&set->lock);
	e = xa_erase(&set->pasids, pasid);
	if (!e) {
		mutex_unlock(&set->lock);
		liommu_err_rl("PASID free: %u is not the set's\n", pasid);
		return -ENOENT;
	}
	liommu_pasid_unpublish(e);
	set->nr--;
	mutex_unlock(&set->lock);
	liommu_pasid_put(e);
	return 0;
}
LIOMMU_EXPORT(liommu_pasid_free);

/**
 * liommu_pasid_exit() - end a consumer, freeing every PASID it holds
 * @set: the consumer; NULL or an ERR_PTR does nothing
 *
 * liommu_pasid_exit() is seed 002's iommu_pasid_exit() (ioasid_set_put()
 * of the unmerged ioasid_set proposal).  Each PASID still held is freed
 * as by liommu_pasid_free(); references taken with liommu_pasid_find()
 * stay valid until put.  No other call on @set may run concurrently or
 * follow.
 *
 * Context: process context; may sleep.
 */
void liommu_pasid_exit(struct liommu_pasid_set *set)
{
	struct liommu_pasid_entry *e;
	unsigned long index;

	if (IS_ERR_OR_NULL(set))
		return;
	mutex_lock(&set->lock);
	xa_for_each(&set->pasids, index, e) {
		xa_erase(&set->pasids, index);
		liommu_pasid_unpublish(e);
		set->nr--;
		liommu_pasid_put(e);
	}
	WARN_ON(set->nr);
	mutex_unlock(&set->lock);
	xa_destroy(&set->pasids);
	mutex_destroy(&set->lock);
	liommu_kfree(set);
}
LIOMMU_EXPORT(liommu_pasid_exit);

/* A reference on @e, unless its last one is gone.  Under RCU. */
static bool liommu_pasid_tryget(struct liommu_pasid_entry *e)
{
	return e && refcount_inc_not_zero(&e->refs);
}

/**
 * liommu_pasid_find() - the private data of a PASID, with a reference
 * @set: the consumer that allocated it
 * @pasid: the PASID
 * @ref: set to the reference taken; drop it with liommu_pasid_put()
 *
 * liommu_pasid_find() is seed 002's iommu_pasid_find() (upstream's
 * ioasid_find() and ioasid_get()).  The reference keeps the entry and its
 * number: a concurrent liommu_pasid_free() takes the PASID out of the
 * table but cannot pull the entry away, and the number is not handed out
 * again before the put.  What @private points to is the consumer's to
 * keep alive.
 *
 * Context: any; takes no lock.
 * Return: the private data given to liommu_pasid_alloc() (may be NULL),
 * or ERR_PTR(-EINVAL) for a NULL @set or @ref, ERR_PTR(-ENOENT) when
 * @set holds no PASID @pasid.
 */
void *liommu_pasid_find(struct liommu_pasid_set *set, u32 pasid,
			struct liommu_pasid_entry **ref)
{
	struct liommu_pasid_entry *e;

	if (!set || !ref)
		return ERR_PTR(-EINVAL);
	rcu_read_lock();
	e = xa_load(&liommu_pasids, pasid);
	if (e && (e->set != set || !liommu_pasid_tryget(e)))
		e = NULL;
	rcu_read_unlock();
	if (!e)
		return ERR_PTR(-ENOENT);
	*ref = e;
	return e->private;
}
LIOMMU_EXPORT(liommu_pasid_find);

/**
 * liommu_pasid_for_each() - call a function for each PASID of a consumer
 * @set: the consumer
 * @fn: called with the PASID, its private data and @data; a non-zero
 *	return stops the walk
 * @data: passed to @fn
 *
 * liommu_pasid_for_each() is seed 002's iommu_pasid_for_each()
 * (ioasid_set_for_each_ioasid() of the unmerged ioasid_set proposal).
 * PASIDs are visited in increasing order, each under a reference and
 * with no lock held: @fn may sleep and may free PASIDs of @set, its own
 * included (but not end @set).  Every PASID held for the whole walk is
 * visited once; one allocated or freed during the walk may or may not be.
 *
 * Context: process context if @fn sleeps.
 * Return: 0 when every PASID was visited, the first non-zero value @fn
 * returned, or -EINVAL for a NULL @set or @fn.
 */
int liommu_pasid_for_each(struct liommu_pasid_set *set,
			  int (*fn)(u32 pasid, void *private, void *data),
			  void *data)
{
	unsigned long index = 0;
	int ret = 0;

	if (!set || !fn)
		return -EINVAL;
	for (;;) {
		struct liommu_pasid_entry *e;
		bool got;

		rcu_read_lock();
		e = xa_find(&set->pasids, &index, LIOMMU_PASID_SPACE_MAX,
			    XA_PRESENT);
		got = liommu_pasid_tryget(e);
		rcu_read_unlock();
		if (!e)
			break;
		/* Not got: freed since it was found; it is no longer held. */
		if (got) {
			ret = fn(index, e->private, data);
			liommu_pasid_put(e);
			if (ret)
				break;
		}
		index++;
	}
	return ret;
}
LIOMMU_EXPORT(liommu_pasid_for_each);
