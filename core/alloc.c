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
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
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

void *liommu_table_alloc(gfp_t gfp)
{
	unsigned long page;

	if (liommu_fail_point("core:table"))
		return NULL;
	page = get_zeroed_page(gfp);
	if (!page)
		return NULL;
	liommu_stat_inc(LIOMMU_STAT_TABLE_PAGES);
	return (void *)page;
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

	/* The walker's count word (core/pt_walk.h), closed until now. */
	set_page_private(page, 0);
	__free_page(page);
}

/*
 * Free a table page an unmap unhooked, once every walk that might still
 * be inside it has ended: liommu_pt_lookup() reads tables without a lock
 * (under rcu_read_lock_sched()), and may be in a table that a prune of
 * an emptied range unhooks meanwhile.  The page leaves the count of
 * table pages now; the core's module exit waits for the frees
 * (rcu_barrier()).  Any context; @page is off every list.
 */
void liommu_table_free_deferred(struct page *page)
{
	liommu_stat_dec(LIOMMU_STAT_TABLE_PAGES);
	call_rcu(&page->rcu_head, liommu_table_free_rcu);
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
