// SPDX-License-Identifier: GPL-2.0
/*
 * Allocation counters and failure injection of liommu_core.ko.
 *
 * Every object and page the core allocates is counted here, so that tests
 * prove that nothing leaks: liommu_core_get_stats() for in-kernel tests,
 * the read-only module parameter 'allocations' for userspace
 * (/sys/module/liommu_core/parameters/allocations).
 *
 * liommu_core_fail_nth(n) makes the n-th next allocation fail (the
 * iommufd fail_nth idea), so that tests walk every unwinding path.  It is
 * a test hook: one global countdown, for one test at a time.  Every
 * -ENOMEM-capable step of the core and of the vendor drivers is an
 * injection point (liommu_fail_point(), named "core:...", "vtd:...",
 * "smmu:..."); the name of the last one that failed is kept for the
 * sweep's report (liommu_core_fail_site()).
 */
#include <linux/atomic.h>
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "priv.h"

static atomic_long_t liommu_stats[LIOMMU_STAT_NR];
static atomic_t liommu_fail_countdown = ATOMIC_INIT(0);
/*
 * The name of the point that failed, copied: the name may live in a
 * vendor module whose load that very failure undid (its memory is gone).
 * Written once per arming, by the one point that strikes.
 */
static char liommu_fail_site[32];

void liommu_stat_inc(enum liommu_stat s)
{
	atomic_long_inc(&liommu_stats[s]);
}

void liommu_stat_dec(enum liommu_stat s)
{
	atomic_long_dec(&liommu_stats[s]);
}

/**
 * liommu_fail_point() - a failure-injection point
 * @site: its name for the report: "<module>:<what>"
 *
 * Every step that can fail with -ENOMEM, in the core and the vendor
 * drivers, asks first: while liommu_core_fail_nth() is armed, the n-th
 * point reached fails.
 *
 * Return: true if this call must fail as if out of memory.
 */
bool liommu_fail_point(const char *site)
{
	int old = atomic_read(&liommu_fail_countdown);

	/* Count down only while armed; fail when reaching zero. */
	while (old > 0) {
		if (atomic_try_cmpxchg(&liommu_fail_countdown, &old, old - 1)) {
			if (old != 1)
				return false;
			strscpy(liommu_fail_site, site,
				sizeof(liommu_fail_site));
			return true;
		}
	}
	return false;
}
LIOMMU_EXPORT(liommu_fail_point);

void *liommu_kzalloc(size_t size, gfp_t gfp)
{
	void *p;

	if (liommu_fail_point("core:kzalloc"))
		return NULL;
	p = kzalloc(size, gfp);
	if (p)
		liommu_stat_inc(LIOMMU_STAT_ALLOCS);
	return p;
}

void liommu_kfree(void *p)
{
	if (!p)
		return;
	liommu_stat_dec(LIOMMU_STAT_ALLOCS);
	kfree(p);
}

/*
 * Recycled table pages.  A table an unmap emptied and unhooked holds
 * only zero entries when its grace period ends; instead of going back to
 * the page allocator, which zeroes every page it hands out again
 * (__GFP_ZERO, and init_on_alloc on the distribution kernels: under
 * TCG some 5 us of the 8 us of a one-table map), up to
 * LIOMMU_TABLE_POOL_MAX such pages wait here for the next table anyone
 * needs.  As KVM's MMU keeps page caches: a bounded, global free list
 * (1 MiB, with the limbo below), any context, its size in
 * /sys/module/liommu_core/parameters/table_pool, emptied at module exit.
 * A table freed with entries in it goes back to the page allocator: a
 * whole table an unmap unhooked through the limbo below, a domain's at
 * its free at once.
 *
 * An unmap's unhooked tables reach the pool through the limbo: a ring of
 * pages, each with the RCU state cookie taken when the unmap handed it
 * over (get_state_synchronize_rcu()), that a page leaves for a new table
 * only once poll_state_synchronize_rcu() says a full grace period has
 * passed since.  That is call_rcu()'s guarantee, without a callback per
 * page (on the arm64 guests, freeing one emptied table went from about
 * 1.35 to 1.0 us; Documentation/bench.rst).  One callback at a time
 * (liommu_table_limbo_kick) makes sure a grace period comes when nothing
 * else in the system asks for one, and moves the pages whose grace
 * period is over out of the limbo: zeroed ones to the pool, the others
 * to the page allocator.
 * The pool and the limbo share LIOMMU_TABLE_POOL_MAX; beyond it, pages
 * take the callback way to the page allocator.
 */
static DEFINE_SPINLOCK(liommu_table_pool_lock);
static LIST_HEAD(liommu_table_pool);
static unsigned int liommu_table_pool_nr;

struct liommu_table_limbo_slot {
	struct page *page;
	unsigned long cookie;
};

static struct liommu_table_limbo_slot
	liommu_table_limbo[LIOMMU_TABLE_POOL_MAX];
static unsigned int liommu_table_limbo_head, liommu_table_limbo_nr;
static struct rcu_head liommu_table_limbo_kick;
static bool liommu_table_limbo_kicked;	/* under the lock */

/* The limbo's slot @i places after its oldest; under the lock. */
static struct liommu_table_limbo_slot *liommu_table_limbo_at(unsigned int i)
{
	return &liommu_table_limbo[(liommu_table_limbo_head + i) %
				   LIOMMU_TABLE_POOL_MAX];
}

/* Take the limbo's oldest page out (it has one); under the lock. */
static struct page *liommu_table_limbo_pop(void)
{
	struct page *page = liommu_table_limbo_at(0)->page;

	liommu_table_limbo_head = (liommu_table_limbo_head + 1) %
				  LIOMMU_TABLE_POOL_MAX;
	WRITE_ONCE(liommu_table_limbo_nr, liommu_table_limbo_nr - 1);
	return page;
}

static int liommu_table_pool_param_get(char *buf,
				       const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%u\n", liommu_core_table_pool());
}

static const struct kernel_param_ops liommu_table_pool_param_ops = {
	.get = liommu_table_pool_param_get,
};
module_param_cb(table_pool, &liommu_table_pool_param_ops, NULL, 0444);
MODULE_PARM_DESC(table_pool,
		 "table pages kept for reuse (in the pool or its limbo)");

/*
 * The walker said the page held no entry (LIOMMU_TABLE_ZEROED): checked on
 * debug kernels, and made true if it was wrong.
 */
static void liommu_table_check_zeroed(struct page *page)
{
	if ((IS_ENABLED(CONFIG_DEBUG_VM) || IS_ENABLED(CONFIG_KASAN)) &&
	    WARN_ON_ONCE(memchr_inv(page_address(page), 0, PAGE_SIZE)))
		clear_page(page_address(page));
}

/*
 * Give the pages on @pages (by lru), past their grace period, back to the
 * page allocator as they are: it clears a page when it hands it out.
 */
static void liommu_table_release(struct list_head *pages)
{
	struct page *page, *next;

	list_for_each_entry_safe(page, next, pages, lru) {
		list_del(&page->lru);
		set_page_private(page, 0);
		__free_page(page);
	}
}

static void *liommu_table_pool_get(void)
{
	struct page *page = NULL;
	unsigned long flags;
	bool limbo = false;
	LIST_HEAD(release);

	if (!READ_ONCE(liommu_table_pool_nr) &&
	    !READ_ONCE(liommu_table_limbo_nr))
		return NULL;
	spin_lock_irqsave(&liommu_table_pool_lock, flags);
	/*
	 * The limbo's oldest page first, if its grace period is over (if
	 * not, no other's is), so that the limbo does not sit full while
	 * the pool serves; then the pool's newest.
	 */
	while (liommu_table_limbo_nr &&
	       poll_state_synchronize_rcu(liommu_table_limbo_at(0)->cookie)) {
		page = liommu_table_limbo_pop();
		if (page_private(page) & LIOMMU_TABLE_ZEROED) {
			limbo = true;
			break;
		}
		/* Still holds entries: for the page allocator (as the kick). */
		list_add(&page->lru, &release);
		page = NULL;
	}
	if (!page && liommu_table_pool_nr) {
		page = list_first_entry(&liommu_table_pool, struct page, lru);
		list_del(&page->lru);
		WRITE_ONCE(liommu_table_pool_nr, liommu_table_pool_nr - 1);
	}
	spin_unlock_irqrestore(&liommu_table_pool_lock, flags);
	liommu_table_release(&release);
	if (!page)
		return NULL;
	if (limbo) {
		/* No walk can be inside it now: the count word starts anew. */
		set_page_private(page, 0);
		liommu_table_check_zeroed(page);
	}
	return page_address(page);
}

/* Keep @page, all zero, for the next table; false: the pool is full. */
static bool liommu_table_pool_put(struct page *page)
{
	unsigned long flags;
	bool kept = false;

	spin_lock_irqsave(&liommu_table_pool_lock, flags);
	if (liommu_table_pool_nr + liommu_table_limbo_nr <
	    LIOMMU_TABLE_POOL_MAX) {
		list_add(&page->lru, &liommu_table_pool);
		WRITE_ONCE(liommu_table_pool_nr, liommu_table_pool_nr + 1);
		kept = true;
	}
	spin_unlock_irqrestore(&liommu_table_pool_lock, flags);
	return kept;
}

/*
 * Module exit, after the last grace period's frees (rcu_barrier()): the
 * limbo's pages once their grace period is over, then the pool's.
 */
void liommu_table_pool_drain(void)
{
	struct page *page, *next;
	unsigned long flags;
	LIST_HEAD(pages);

	spin_lock_irqsave(&liommu_table_pool_lock, flags);
	while (liommu_table_limbo_nr) {
		page = liommu_table_limbo_pop();
		set_page_private(page, 0);
		list_add_tail(&page->lru, &pages);
	}
	list_splice_tail_init(&liommu_table_pool, &pages);
	WRITE_ONCE(liommu_table_pool_nr, 0);
	spin_unlock_irqrestore(&liommu_table_pool_lock, flags);
	/* The limbo's own grace period, and the kick it may have re-armed. */
	synchronize_rcu();
	rcu_barrier();
	list_for_each_entry_safe(page, next, &pages, lru) {
		list_del(&page->lru);
		__free_page(page);
	}
}

void *liommu_table_alloc(gfp_t gfp)
{
	void *table;

	if (liommu_fail_point("core:table"))
		return NULL;
	/*
	 * A pooled page is charged to no memory cgroup, as no table is yet:
	 * a caller that asks for a charged one gets a fresh page (and a
	 * charged table, once there are any, must not be pooled either).
	 */
	table = (gfp & __GFP_ACCOUNT) ? NULL : liommu_table_pool_get();
	if (!table)
		table = (void *)get_zeroed_page(gfp);
	if (!table)
		return NULL;
	liommu_stat_inc(LIOMMU_STAT_TABLE_PAGES);
	return table;
}

void liommu_table_free(void *table)
{
	if (!table)
		return;
	liommu_stat_dec(LIOMMU_STAT_TABLE_PAGES);
	free_page((unsigned long)table);
}

static void liommu_table_free_rcu(struct rcu_head *head)
{
	struct page *page = container_of(head, struct page, rcu_head);
	bool zeroed = page_private(page) & LIOMMU_TABLE_ZEROED;

	/* The walker's count word (core/pt_walk.h), closed until now. */
	set_page_private(page, 0);
	if (zeroed)
		liommu_table_check_zeroed(page);
	if (!zeroed || !liommu_table_pool_put(page))
		__free_page(page);
}

/*
 * The kick's grace period is over: if the newest page in the limbo waits
 * for a later one, ask for that too (one callback queued at a time).
 */
static void liommu_table_limbo_kick_done(struct rcu_head *head)
{
	unsigned long flags;
	bool again = false;
	struct page *page;
	LIST_HEAD(release);

	spin_lock_irqsave(&liommu_table_pool_lock, flags);
	/*
	 * The pages whose grace period is over leave the limbo: the zeroed
	 * ones for the pool (same room: the two share the limit), the ones
	 * that still hold entries for the page allocator.
	 */
	while (liommu_table_limbo_nr &&
	       poll_state_synchronize_rcu(liommu_table_limbo_at(0)->cookie)) {
		page = liommu_table_limbo_pop();
		if (!(page_private(page) & LIOMMU_TABLE_ZEROED)) {
			list_add(&page->lru, &release);
			continue;
		}
		set_page_private(page, 0);
		liommu_table_check_zeroed(page);
		list_add(&page->lru, &liommu_table_pool);
		WRITE_ONCE(liommu_table_pool_nr, liommu_table_pool_nr + 1);
	}
	if (liommu_table_limbo_nr) {
		unsigned long newest =
			liommu_table_limbo_at(liommu_table_limbo_nr - 1)->cookie;

		again = !poll_state_synchronize_rcu(newest);
	}
	liommu_table_limbo_kicked = again;
	spin_unlock_irqrestore(&liommu_table_pool_lock, flags);
	liommu_table_release(&release);
	if (again)
		call_rcu(head, liommu_table_limbo_kick_done);
}

/*
 * Free a table page an unmap unhooked, once every walk that might still
 * be inside it has ended: liommu_pt_lookup() reads tables without a lock
 * (under rcu_read_lock_sched()), and may be in a table that an unmap of
 * an emptied range unhooks meanwhile.  The page leaves the count of
 * table pages now; the core's module exit waits for the frees
 * (rcu_barrier()).  A page whose private word says LIOMMU_TABLE_ZEROED
 * (the walker saw it hold no entry) is recycled.  Any context; @page is
 * off every list.
 */
void liommu_table_free_deferred(struct page *page)
{
	liommu_stat_dec(LIOMMU_STAT_TABLE_PAGES);
	call_rcu(&page->rcu_head, liommu_table_free_rcu);
}

/*
 * liommu_table_free_deferred() for every page of @pages (linked by lru),
 * through the limbo while it has room: one look at the RCU state and one
 * lock for them all.  A page the walker did not see empty (a whole table
 * an unmap unhooked with its entries, LIOMMU_TABLE_ZEROED clear) waits
 * there too, and goes back to the page allocator when its grace period
 * is over (the kick, or the next table taken): a 256 MiB unmap of 4 KiB
 * pages then pays no call_rcu() for each of its 128 leaf tables.  Any
 * context.
 */
void liommu_table_free_deferred_list(struct list_head *pages)
{
	struct page *page, *next;
	unsigned long cookie, flags;
	bool kick = false;

	if (list_empty(pages))
		return;
	spin_lock_irqsave(&liommu_table_pool_lock, flags);
	/* Under the lock: the ring's cookies never go backwards. */
	cookie = get_state_synchronize_rcu();
	list_for_each_entry_safe(page, next, pages, lru) {
		struct liommu_table_limbo_slot *slot;

		if (liommu_table_pool_nr + liommu_table_limbo_nr >=
		    LIOMMU_TABLE_POOL_MAX)
			break;
		/* Its count word stays closed until the grace period ends. */
		list_del(&page->lru);
		slot = liommu_table_limbo_at(liommu_table_limbo_nr);
		slot->page = page;
		slot->cookie = cookie;
		WRITE_ONCE(liommu_table_limbo_nr, liommu_table_limbo_nr + 1);
		liommu_stat_dec(LIOMMU_STAT_TABLE_PAGES);
		kick = true;
	}
	if (kick && !liommu_table_limbo_kicked)
		liommu_table_limbo_kicked = true;
	else
		kick = false;
	spin_unlock_irqrestore(&liommu_table_pool_lock, flags);
	if (kick)
		call_rcu(&liommu_table_limbo_kick, liommu_table_limbo_kick_done);
	/* The rest: no room left. */
	list_for_each_entry_safe(page, next, pages, lru) {
		list_del(&page->lru);
		liommu_table_free_deferred(page);
	}
}

/**
 * liommu_core_get_stats() - read the core's live-object counters
 * @stats: filled with the counts
 *
 * No upstream counterpart: the test hook that proves nothing leaks.
 *
 * Context: any.
 */
void liommu_core_get_stats(struct liommu_core_stats *stats)
{
	stats->iommus = atomic_long_read(&liommu_stats[LIOMMU_STAT_IOMMUS]);
	stats->devices = atomic_long_read(&liommu_stats[LIOMMU_STAT_DEVICES]);
	stats->groups = atomic_long_read(&liommu_stats[LIOMMU_STAT_GROUPS]);
	stats->domains = atomic_long_read(&liommu_stats[LIOMMU_STAT_DOMAINS]);
	stats->table_pages =
		atomic_long_read(&liommu_stats[LIOMMU_STAT_TABLE_PAGES]);
	stats->allocs = atomic_long_read(&liommu_stats[LIOMMU_STAT_ALLOCS]);
}
LIOMMU_EXPORT(liommu_core_get_stats);

/**
 * liommu_core_fail_nth() - make the n-th next core allocation fail
 * @n: 1 fails the next allocation, 0 disarms
 *
 * No upstream counterpart: the failure-injection hook of the self-tests
 * (what iommufd's fail_nth does through fault injection).
 *
 * Context: any; one test at a time.
 */
void liommu_core_fail_nth(unsigned int n)
{
	liommu_fail_site[0] = '\0';
	atomic_set(&liommu_fail_countdown, n);
}
LIOMMU_TEST_EXPORT(liommu_core_fail_nth);

/**
 * liommu_core_table_pool() - how many recycled table pages wait for reuse
 *
 * No upstream counterpart: for the self-tests of the pool (alloc.c).
 *
 * Return: the pages in the pool and in its limbo (waiting for their grace
 * period) now.
 */
unsigned int liommu_core_table_pool(void)
{
	return READ_ONCE(liommu_table_pool_nr) +
	       READ_ONCE(liommu_table_limbo_nr);
}
LIOMMU_TEST_EXPORT(liommu_core_table_pool);

/**
 * liommu_core_fail_site() - where the armed failure struck
 * @remaining: set to the countdown left (0: it struck, or it was never
 *	armed; more: fewer points were reached than the count)
 *
 * Return: the name of the point that failed since the last
 * liommu_core_fail_nth(), or NULL.
 */
const char *liommu_core_fail_site(unsigned int *remaining)
{
	if (remaining)
		*remaining = max(atomic_read(&liommu_fail_countdown), 0);
	return liommu_fail_site[0] ? liommu_fail_site : NULL;
}
LIOMMU_TEST_EXPORT(liommu_core_fail_site);

static int liommu_allocations_get(char *buf, const struct kernel_param *kp)
{
	struct liommu_core_stats s;

	liommu_core_get_stats(&s);
	return sysfs_emit(buf,
			  "iommus=%ld devices=%ld groups=%ld domains=%ld table_pages=%ld allocs=%ld\n",
			  s.iommus, s.devices, s.groups, s.domains,
			  s.table_pages, s.allocs);
}

static const struct kernel_param_ops liommu_allocations_ops = {
	.get = liommu_allocations_get,
};
module_param_cb(allocations, &liommu_allocations_ops, NULL, 0444);
MODULE_PARM_DESC(allocations, "live objects of the core (read-only)");
