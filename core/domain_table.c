// SPDX-License-Identifier: GPL-2.0
/*
 * The table of live domains: how the core tells a domain it may use from
 * a stale, freed or foreign pointer, and the lock of every domain's
 * @users count.
 *
 * Every domain the core hands out or accepts is in the table: paging
 * domains from liommu_domain_finish() until liommu_domain_free() takes
 * them out, and each unit's static blocked and identity domains from
 * liommu_device_register() until liommu_device_unregister().  Each
 * exported function that takes a domain asks liommu_domain_check() first,
 * which compares the pointer with the table's entries and never reads the
 * domain it was given: a domain freed once (or twice) is refused with
 * -EINVAL and a rate-limited message, without touching freed memory and
 * without a WARN (the harness fails on any kernel warning, and a
 * careless caller is not a kernel bug).  The vendor's free therefore runs
 * at most once per allocation.
 *
 * What it cannot see: a freed domain whose memory the allocator already
 * handed to a new domain at the same address (the stale pointer then
 * names the new domain), and a free that races with a call on the same
 * domain from another thread (the caller's bug; the table makes the
 * window small, not empty).  Documentation/robustness.rst says so.
 *
 * The table holds small entries that point at their domains, not the
 * domains themselves, so that liommu_domain_check() (every map and unmap)
 * reads it under RCU (preemption off) without a lock: an entry leaves the
 * table at the free and is itself freed after a grace period
 * (kfree_rcu()), while the domain it named may be freed at once; the
 * check compares the pointer an entry holds and never follows it.
 *
 * Locking: liommu_domain_lock (a spinlock, innermost: nothing is taken
 * under it) guards changes of the table and every &liommu_domain.users
 * count; liommu_domain_check() reads under rcu_read_lock_sched() only.  An
 * attach takes a use (liommu_domain_use()) under the group mutex and this
 * lock, a free checks @users and leaves the table under this lock alone:
 * so a domain is never freed while a use is being taken, and never used
 * once it left the table.
 */
#include <linux/err.h>
#include <linux/hashtable.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "priv.h"

static DEFINE_SPINLOCK(liommu_domain_lock);
/* Read inline by liommu_domain_check() (priv.h); changed only here. */
DEFINE_HASHTABLE(liommu_domain_table, LIOMMU_DOMAIN_TABLE_BITS);
/*
 * Per bucket, the domain of one entry in it, or NULL: what
 * liommu_domain_check() compares first, so that its common case reads
 * one word of this array and neither a bucket head nor an entry (the
 * bucket walk was 40-60 ns of a 4 KiB map under TCG on some profiles:
 * Documentation/bench.rst).  A cache of the hash table, which keeps
 * every entry: a domain is named here only while its entry is in the
 * table, so a check that misses here and walks the bucket finds every
 * live domain.  Changed under liommu_domain_lock.
 */
struct liommu_domain *liommu_domain_first[1 << LIOMMU_DOMAIN_TABLE_BITS];

/* @domain's entry, or NULL when it is not in the table. */
static struct liommu_domain_entry *
liommu_domain_live(const struct liommu_domain *domain)
{
	struct liommu_domain_entry *e;

	lockdep_assert_held(&liommu_domain_lock);
	hash_for_each_possible(liommu_domain_table, e, node,
			       (unsigned long)domain)
		if (e->domain == domain)
			return e;
	return NULL;
}

/* Out of the table (lock held); the entry is freed after readers. */
static void liommu_domain_unlink(struct liommu_domain_entry *e)
{
	unsigned int b = liommu_domain_bucket(e->domain);
	struct liommu_domain_entry *other;
	struct liommu_domain *next = NULL;

	lockdep_assert_held(&liommu_domain_lock);
	hash_del_rcu(&e->node);
	e->domain->table_entry = NULL;
	if (liommu_domain_first[b] != e->domain)
		return;
	/* The slot goes to another entry of the bucket, if there is one. */
	hlist_for_each_entry(other, &liommu_domain_table[b], node) {
		next = other->domain;
		break;
	}
	WRITE_ONCE(liommu_domain_first[b], next);
}

/*
 * Entries are not in the core's allocation count (a unit's static
 * domains have one from registration on); each lives exactly as long as
 * its domain is in the table, and the failure point still reaches it.
 */
static void liommu_domain_entry_free(struct liommu_domain_entry *e)
{
	kfree_rcu(e, rcu);
}

/*
 * Put a domain the core just finished (or a unit's static one) in.
 * -ENOMEM when its entry cannot be allocated (the domain stays out).
 */
int liommu_domain_table_add(struct liommu_domain *domain)
{
	struct liommu_domain_entry *e;
	unsigned long flags;
	unsigned int b;

	if (liommu_fail_point("core:domain_entry"))
		return -ENOMEM;
	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	e->domain = domain;
	spin_lock_irqsave(&liommu_domain_lock, flags);
	atomic_set(&domain->users, 0);
	domain->table_entry = e;
	hash_add_rcu(liommu_domain_table, &e->node, (unsigned long)domain);
	/* After the entry: a domain named first is in the table. */
	b = liommu_domain_bucket(domain);
	if (!liommu_domain_first[b])
		smp_store_release(&liommu_domain_first[b], domain);
	spin_unlock_irqrestore(&liommu_domain_lock, flags);
	return 0;
}

/* Take a unit's static domain out (unregister: no group uses it). */
void liommu_domain_table_del(struct liommu_domain *domain)
{
	struct liommu_domain_entry *e;
	unsigned long flags;

	spin_lock_irqsave(&liommu_domain_lock, flags);
	e = liommu_domain_live(domain);
	if (e)
		liommu_domain_unlink(e);
	spin_unlock_irqrestore(&liommu_domain_lock, flags);
	if (e)
		liommu_domain_entry_free(e);
}

/* liommu_domain_check()'s refusal of a pointer that names no live domain. */
int liommu_domain_refuse(struct liommu_domain *domain, const char *what)
{
	liommu_err_rl("%s: %p is not a live domain (freed already?)\n", what,
		      domain);
	return -EINVAL;
}

/**
 * liommu_domain_use() - count one more group or PASID using a domain
 * @domain: a checked domain
 *
 * Context: under the mutex of the group that attaches it.
 * Return: 0, or -EINVAL when @domain left the table meanwhile.
 */
int liommu_domain_use(struct liommu_domain *domain)
{
	unsigned long flags;
	int err = 0;

	spin_lock_irqsave(&liommu_domain_lock, flags);
	if (liommu_domain_live(domain))
		atomic_inc(&domain->users);
	else
		err = -EINVAL;
	spin_unlock_irqrestore(&liommu_domain_lock, flags);
	return err;
}

/* One group or PASID less: a live domain with users never leaves. */
void liommu_domain_unuse(struct liommu_domain *domain)
{
	unsigned long flags;

	spin_lock_irqsave(&liommu_domain_lock, flags);
	atomic_dec(&domain->users);
	spin_unlock_irqrestore(&liommu_domain_lock, flags);
}

/*
 * The step of liommu_domain_free() that decides: 0 and @domain is out of
 * the table (the caller frees it); -EBUSY while it has users or nested
 * domains sit on it (it stays);
 * -ENOENT when it was not in the table (freed twice, never allocated).
 */
int liommu_domain_retire(struct liommu_domain *domain)
{
	struct liommu_domain_entry *e;
	unsigned long flags;
	int err = 0;

	spin_lock_irqsave(&liommu_domain_lock, flags);
	e = liommu_domain_live(domain);
	if (!e)
		err = -ENOENT;
	else if (atomic_read(&domain->users) || atomic_read(&domain->nested))
		err = -EBUSY;
	else
		liommu_domain_unlink(e);
	spin_unlock_irqrestore(&liommu_domain_lock, flags);
	if (!err)
		liommu_domain_entry_free(e);
	return err;
}

/*
 * A nested domain is about to sit on @parent: count it, if @parent is
 * still live (under the lock liommu_domain_retire() decides in, so the
 * parent can't be retired in between).  -EINVAL when it is not.
 */
int liommu_domain_hold_parent(struct liommu_domain *parent)
{
	unsigned long flags;
	int err = 0;

	spin_lock_irqsave(&liommu_domain_lock, flags);
	if (liommu_domain_live(parent))
		atomic_inc(&parent->nested);
	else
		err = -EINVAL;
	spin_unlock_irqrestore(&liommu_domain_lock, flags);
	return err;
}

/**
 * liommu_domain_users() - how many groups and PASIDs use a domain
 * @domain: a live domain
 *
 * No upstream counterpart; for tests and diagnostics.  Read under the
 * lock that every change of the count holds.
 *
 * Context: any.
 * Return: the count, or -EINVAL when @domain is not a live domain.
 */
int liommu_domain_users(struct liommu_domain *domain)
{
	unsigned long flags;
	int n = -EINVAL;

	if (IS_ERR_OR_NULL(domain))
		return -EINVAL;
	spin_lock_irqsave(&liommu_domain_lock, flags);
	if (liommu_domain_live(domain))
		n = atomic_read(&domain->users);
	spin_unlock_irqrestore(&liommu_domain_lock, flags);
	return n;
}
LIOMMU_EXPORT(liommu_domain_users);
