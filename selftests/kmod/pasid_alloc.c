// SPDX-License-Identifier: GPL-2.0
/*
 * pasid_alloc: the PASID allocator (core/ioasid.c, <liommu/pasid.h>) —
 * ranges and their clipping, PASID 0, exhaustion, quotas, one space for
 * every consumer, lookups with references against a concurrent free,
 * for_each, exit, the end of the space set by the narrowest unit, every
 * allocation failure, and four threads at once.
 *
 * No hardware: these run on every profile.  They assume that no other
 * consumer holds PASIDs below 1024 while they run (suites run one after
 * the other, and every suite frees what it took).  A platform whose
 * narrowest unit leaves fewer PASIDs than a case needs skips it.
 */
#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/irqflags.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include <liommu/driver.h>
#include <liommu/pasid.h>

#include "selftest.h"

/* Every case keeps below this; the thread case's bitmap covers it. */
#define LT_PASID_LIMIT		1024

static struct liommu_core_stats lt_pasid_base;

/* Skip the case unless the platform's space reaches @top. */
static bool lt_pasid_space(struct lt_ctx *t, u32 top)
{
	u32 max = liommu_pasid_space_max();

	if (max >= top)
		return true;
	lt_info(t, "the platform's PASID space ends at %u, the case needs %u",
		max, top);
	lt_skip(t, "PASID space too narrow on this platform");
	return false;
}

/* A set, or fail the case (NULL). */
static struct liommu_pasid_set *lt_pasid_set(struct lt_ctx *t, u32 min,
					     u32 max, unsigned int quota)
{
	struct liommu_pasid_set *set = liommu_pasid_init(min, max, quota);

	if (IS_ERR(set)) {
		lt_fail(t, "liommu_pasid_init(%u, %u, %u): %ld", min, max,
			quota, PTR_ERR(set));
		return NULL;
	}
	return set;
}

/* The core's allocations are what they were in @before. */
static void lt_pasid_allocs_back(struct lt_ctx *t,
				 const struct liommu_core_stats *before)
{
	struct liommu_core_stats now;

	liommu_core_get_stats(&now);
	lt_expect_eq(t, now.allocs, before->allocs, "core allocations");
}

/* Allocate until it fails; record what came out.  Returns the count. */
static unsigned int lt_pasid_drain(struct liommu_pasid_set *set, u32 min,
				   u32 max, int *last_err, u32 *got,
				   unsigned int nr_got)
{
	unsigned int n = 0;
	int p;

	while ((p = liommu_pasid_alloc(set, min, max, NULL)) > 0) {
		if (n < nr_got)
			got[n] = p;
		n++;
		if (n > LT_PASID_LIMIT)
			break;
	}
	*last_err = p;
	return n;
}

static void pasid_alloc_init_errors(struct lt_ctx *t)
{
	struct liommu_core_stats before;
	struct liommu_pasid_set *set;

	liommu_core_get_stats(&lt_pasid_base);
	liommu_core_get_stats(&before);
	set = liommu_pasid_init(5, 4, 0);
	lt_expect_eq(t, PTR_ERR_OR_ZERO(set), -EINVAL, "min > max");
	set = liommu_pasid_init(0, 0, 0);
	lt_expect_eq(t, PTR_ERR_OR_ZERO(set), -EINVAL, "only PASID 0");
	set = liommu_pasid_init(LIOMMU_PASID_SPACE_MAX + 1, U32_MAX, 0);
	lt_expect_eq(t, PTR_ERR_OR_ZERO(set), -EINVAL, "beyond 20 bits");
	lt_pasid_allocs_back(t, &before);

	set = liommu_pasid_init(0, U32_MAX, 0);
	lt_expect_true(t, !IS_ERR(set), "the widest range");
	liommu_pasid_exit(set);
	set = liommu_pasid_init(LIOMMU_PASID_SPACE_MAX,
				LIOMMU_PASID_SPACE_MAX, 1);
	lt_expect_true(t, !IS_ERR(set), "the highest PASID alone");
	liommu_pasid_exit(set);
	liommu_pasid_exit(NULL);
	liommu_pasid_exit(ERR_PTR(-ENOMEM));
	lt_pasid_allocs_back(t, &before);
}

static void pasid_alloc_arg_errors(struct lt_ctx *t)
{
	struct liommu_pasid_entry *ref = NULL;
	struct liommu_pasid_set *set;
	void *priv;

	if (!lt_pasid_space(t, 199))
		return;
	set = lt_pasid_set(t, 100, 199, 0);
	if (!set)
		return;
	lt_expect_eq(t, liommu_pasid_alloc(NULL, 0, U32_MAX, NULL), -EINVAL,
		     "alloc: NULL set");
	lt_expect_eq(t, liommu_pasid_alloc(set, 150, 149, NULL), -EINVAL,
		     "alloc: min > max");
	lt_expect_eq(t, liommu_pasid_alloc(set, 200, 300, NULL), -EINVAL,
		     "alloc: above the set's range");
	lt_expect_eq(t, liommu_pasid_alloc(set, 0, 99, NULL), -EINVAL,
		     "alloc: below the set's range");
	lt_expect_eq(t, liommu_pasid_alloc(set, 0, U32_MAX, ERR_PTR(-EIO)),
		     -EINVAL, "alloc: ERR_PTR private");
	lt_expect_eq(t, liommu_pasid_free(NULL, 100), -EINVAL, "free: NULL set");
	priv = liommu_pasid_find(NULL, 100, &ref);
	lt_expect_eq(t, PTR_ERR_OR_ZERO(priv), -EINVAL, "find: NULL set");
	priv = liommu_pasid_find(set, 100, NULL);
	lt_expect_eq(t, PTR_ERR_OR_ZERO(priv), -EINVAL, "find: NULL ref");
	lt_expect_eq(t, liommu_pasid_for_each(set, NULL, NULL), -EINVAL,
		     "for_each: NULL fn");
	lt_expect_true(t, !ref, "no reference handed out");
	liommu_pasid_put(NULL);
	/* Nothing was taken: the first allocation gets the lowest. */
	lt_expect_eq(t, liommu_pasid_alloc(set, 0, U32_MAX, NULL), 100,
		     "lowest after the refusals");
	liommu_pasid_exit(set);
}

static void pasid_alloc_clip_to_set(struct lt_ctx *t)
{
	struct liommu_core_stats before;
	struct liommu_pasid_set *set;

	if (!lt_pasid_space(t, 199))
		return;
	liommu_core_get_stats(&before);
	set = lt_pasid_set(t, 100, 199, 0);
	if (!set)
		return;
	lt_expect_eq(t, liommu_pasid_alloc(set, 0, U32_MAX, NULL), 100,
		     "whole range: the set's lowest");
	lt_expect_eq(t, liommu_pasid_alloc(set, 150, 1000, NULL), 150,
		     "min kept, max clipped to the set's");
	lt_expect_eq(t, liommu_pasid_alloc(set, 0, 120, NULL), 101,
		     "min clipped to the set's, lowest free");
	lt_expect_eq(t, liommu_pasid_alloc(set, 150, 151, NULL), 151,
		     "next free in a narrow range");
	lt_expect_eq(t, liommu_pasid_alloc(set, 199, U32_MAX, NULL), 199,
		     "the set's highest");
	lt_expect_eq(t, liommu_pasid_alloc(set, 199, 199, NULL), -ENOSPC,
		     "the set's highest, taken");
	liommu_pasid_exit(set);
	lt_pasid_allocs_back(t, &before);
}

static void pasid_alloc_never_zero(struct lt_ctx *t)
{
	struct liommu_pasid_entry *ref;
	struct liommu_pasid_set *set;
	u32 got[8] = {};
	unsigned int n;
	int err;

	if (!lt_pasid_space(t, 7))
		return;
	set = lt_pasid_set(t, 0, 7, 0);
	if (!set)
		return;
	n = lt_pasid_drain(set, 0, U32_MAX, &err, got, ARRAY_SIZE(got));
	lt_expect_eq(t, n, 7, "PASIDs in [0, 7]");
	lt_expect_eq(t, err, -ENOSPC, "then exhausted");
	lt_expect_eq(t, got[0], 1, "the first is 1");
	lt_expect_eq(t, got[6], 7, "the last is 7");
	lt_expect_eq(t, liommu_pasid_alloc(set, 0, 0, NULL), -EINVAL,
		     "asking for PASID 0");
	lt_expect_eq(t, PTR_ERR_OR_ZERO(liommu_pasid_find(set, 0, &ref)),
		     -ENOENT, "find PASID 0");
	lt_expect_eq(t, liommu_pasid_free(set, 0), -ENOENT, "free PASID 0");
	liommu_pasid_exit(set);
}

static void pasid_alloc_exhaustion(struct lt_ctx *t)
{
	struct liommu_core_stats before;
	struct liommu_pasid_set *set;
	u32 got[8] = {};
	unsigned int i, n;
	int err;

	if (!lt_pasid_space(t, 207))
		return;
	liommu_core_get_stats(&before);
	set = lt_pasid_set(t, 200, 207, 0);
	if (!set)
		return;
	n = lt_pasid_drain(set, 0, U32_MAX, &err, got, ARRAY_SIZE(got));
	lt_expect_eq(t, n, 8, "PASIDs in [200, 207]");
	lt_expect_eq(t, err, -ENOSPC, "the ninth");
	for (i = 0; i < 8; i++)
		lt_expect_eq(t, got[i], 200 + i, "lowest first");
	lt_expect_eq(t, liommu_pasid_alloc(set, 0, U32_MAX, NULL), -ENOSPC,
		     "still exhausted");
	lt_expect_eq(t, liommu_pasid_free(set, 203), 0, "free 203");
	lt_expect_eq(t, liommu_pasid_alloc(set, 0, U32_MAX, NULL), 203,
		     "203 again");
	lt_expect_eq(t, liommu_pasid_alloc(set, 0, U32_MAX, NULL), -ENOSPC,
		     "exhausted again");
	liommu_pasid_exit(set);
	lt_pasid_allocs_back(t, &before);
}

static void pasid_alloc_one_space(struct lt_ctx *t)
{
	struct liommu_pasid_set *a, *b;
	struct liommu_pasid_entry *ref;
	int tag_a, tag_b;
	void *priv;

	if (!lt_pasid_space(t, 503))
		return;
	a = lt_pasid_set(t, 500, 503, 0);
	b = lt_pasid_set(t, 500, 503, 0);
	if (!a || !b)
		goto out;
	lt_expect_eq(t, liommu_pasid_alloc(a, 0, U32_MAX, &tag_a), 500, "a: 500");
	lt_expect_eq(t, liommu_pasid_alloc(b, 0, U32_MAX, &tag_b), 501, "b: 501");
	lt_expect_eq(t, liommu_pasid_alloc(a, 0, U32_MAX, &tag_a), 502, "a: 502");
	lt_expect_eq(t, liommu_pasid_alloc(b, 0, U32_MAX, &tag_b), 503, "b: 503");
	lt_expect_eq(t, liommu_pasid_alloc(a, 0, U32_MAX, NULL), -ENOSPC,
		     "a: the space is shared and full");
	lt_expect_eq(t, liommu_pasid_alloc(b, 0, U32_MAX, NULL), -ENOSPC,
		     "b: the same");
	priv = liommu_pasid_find(b, 500, &ref);
	lt_expect_eq(t, PTR_ERR_OR_ZERO(priv), -ENOENT, "b cannot find a's");
	lt_expect_eq(t, liommu_pasid_free(b, 500), -ENOENT, "b cannot free a's");
	priv = liommu_pasid_find(a, 500, &ref);
	if (lt_expect_true(t, !IS_ERR(priv), "a still finds 500")) {
		lt_expect_true(t, priv == &tag_a, "a's private data");
		liommu_pasid_put(ref);
	}
	lt_expect_eq(t, liommu_pasid_free(a, 500), 0, "a frees 500");
	lt_expect_eq(t, liommu_pasid_alloc(b, 0, U32_MAX, NULL), 500,
		     "b gets it now");
out:
	liommu_pasid_exit(a);
	liommu_pasid_exit(b);
}

static void pasid_alloc_quota(struct lt_ctx *t)
{
	struct liommu_core_stats before;
	struct liommu_pasid_set *set, *other;
	struct liommu_pasid_entry *ref;
	void *priv;
	int p;

	if (!lt_pasid_space(t, 399))
		return;
	liommu_core_get_stats(&before);
	set = lt_pasid_set(t, 300, 399, 3);
	other = lt_pasid_set(t, 300, 399, 0);
	if (!set || !other)
		goto out;
	lt_expect_eq(t, liommu_pasid_alloc(set, 0, U32_MAX, NULL), 300, "1 of 3");
	lt_expect_eq(t, liommu_pasid_alloc(set, 0, U32_MAX, NULL), 301, "2 of 3");
	lt_expect_eq(t, liommu_pasid_alloc(set, 0, U32_MAX, NULL), 302, "3 of 3");
	lt_expect_eq(t, liommu_pasid_alloc(set, 0, U32_MAX, NULL), -EDQUOT,
		     "the fourth is over quota");
	lt_expect_eq(t, liommu_pasid_alloc(other, 0, U32_MAX, NULL), 303,
		     "another set is not limited by it");
	lt_expect_eq(t, liommu_pasid_free(set, 301), 0, "free one");
	lt_expect_eq(t, liommu_pasid_alloc(set, 0, U32_MAX, NULL), 301,
		     "under quota again");
	lt_expect_eq(t, liommu_pasid_alloc(set, 0, U32_MAX, NULL), -EDQUOT,
		     "full again");
	/* A freed PASID still referenced no longer counts. */
	priv = liommu_pasid_find(set, 302, &ref);
	if (!lt_expect_true(t, !IS_ERR(priv), "find 302"))
		goto out;
	lt_expect_eq(t, liommu_pasid_free(set, 302), 0, "free 302 (held)");
	p = liommu_pasid_alloc(set, 0, U32_MAX, NULL);
	lt_expect_eq(t, p, 304, "one more, 302 still reserved");
	liommu_pasid_put(ref);
out:
	liommu_pasid_exit(set);
	liommu_pasid_exit(other);
	lt_pasid_allocs_back(t, &before);
}

static void pasid_alloc_quota_full_space(struct lt_ctx *t)
{
	struct liommu_pasid_set *big, *small;

	if (!lt_pasid_space(t, 401))
		return;
	big = lt_pasid_set(t, 400, 401, 5);
	small = lt_pasid_set(t, 400, 401, 1);
	if (!big || !small)
		goto out;
	lt_expect_eq(t, liommu_pasid_alloc(small, 0, U32_MAX, NULL), 400,
		     "small: its one");
	lt_expect_eq(t, liommu_pasid_alloc(big, 0, U32_MAX, NULL), 401,
		     "big: the last");
	lt_expect_eq(t, liommu_pasid_alloc(big, 0, U32_MAX, NULL), -ENOSPC,
		     "big: under quota, space full");
	lt_expect_eq(t, liommu_pasid_alloc(small, 0, U32_MAX, NULL), -EDQUOT,
		     "small: the quota is checked first");
out:
	liommu_pasid_exit(big);
	liommu_pasid_exit(small);
}

static void pasid_alloc_free_errors(struct lt_ctx *t)
{
	struct liommu_core_stats before;
	struct liommu_pasid_set *set;
	int p;

	if (!lt_pasid_space(t, 609))
		return;
	liommu_core_get_stats(&before);
	set = lt_pasid_set(t, 600, 609, 0);
	if (!set)
		return;
	lt_expect_eq(t, liommu_pasid_free(set, 600), -ENOENT, "never allocated");
	p = liommu_pasid_alloc(set, 0, U32_MAX, NULL);
	lt_expect_eq(t, p, 600, "alloc");
	lt_expect_eq(t, liommu_pasid_free(set, 600), 0, "free");
	lt_expect_eq(t, liommu_pasid_free(set, 600), -ENOENT, "double free");
	lt_expect_eq(t, liommu_pasid_free(set, LIOMMU_PASID_SPACE_MAX + 1),
		     -ENOENT, "beyond 20 bits");
	lt_expect_eq(t, liommu_pasid_alloc(set, 0, U32_MAX, NULL), 600,
		     "600 back in the space");
	liommu_pasid_exit(set);
	lt_pasid_allocs_back(t, &before);
}

static void pasid_alloc_find(struct lt_ctx *t)
{
	struct liommu_core_stats before, held;
	struct liommu_pasid_entry *r1, *r2, *r3;
	struct liommu_pasid_set *set;
	int tag1, tag2;
	void *priv;

	if (!lt_pasid_space(t, 709))
		return;
	liommu_core_get_stats(&before);
	set = lt_pasid_set(t, 700, 709, 0);
	if (!set)
		return;
	lt_expect_eq(t, liommu_pasid_alloc(set, 0, U32_MAX, &tag1), 700, "700");
	lt_expect_eq(t, liommu_pasid_alloc(set, 0, U32_MAX, &tag2), 701, "701");
	lt_expect_eq(t, liommu_pasid_alloc(set, 0, U32_MAX, NULL), 702, "702");
	priv = liommu_pasid_find(set, 700, &r1);
	lt_expect_true(t, priv == &tag1, "700's private data");
	priv = liommu_pasid_find(set, 701, &r2);
	lt_expect_true(t, priv == &tag2, "701's private data");
	priv = liommu_pasid_find(set, 702, &r3);
	lt_expect_true(t, !priv, "702's private data is NULL, not an error");
	priv = liommu_pasid_find(set, 703, &r3);
	lt_expect_eq(t, PTR_ERR_OR_ZERO(priv), -ENOENT, "703 not allocated");
	liommu_pasid_find(set, 702, &r3);
	liommu_core_get_stats(&held);
	lt_expect_eq(t, held.allocs, before.allocs + 4,
		     "references allocate nothing");
	liommu_pasid_put(r1);
	liommu_pasid_put(r2);
	liommu_pasid_put(r3);
	liommu_pasid_put(r3);
	/* Puts of live PASIDs free nothing: they are still found. */
	priv = liommu_pasid_find(set, 700, &r1);
	if (lt_expect_true(t, priv == &tag1, "700 after the puts"))
		liommu_pasid_put(r1);
	liommu_pasid_exit(set);
	lt_pasid_allocs_back(t, &before);
}

static void pasid_alloc_find_after_free(struct lt_ctx *t)
{
	struct liommu_pasid_entry *ref;
	struct liommu_pasid_set *set;
	int tag;
	void *priv;

	if (!lt_pasid_space(t, 719))
		return;
	set = lt_pasid_set(t, 710, 719, 0);
	if (!set)
		return;
	lt_expect_eq(t, liommu_pasid_alloc(set, 0, U32_MAX, &tag), 710, "710");
	lt_expect_eq(t, liommu_pasid_free(set, 710), 0, "free 710");
	priv = liommu_pasid_find(set, 710, &ref);
	lt_expect_eq(t, PTR_ERR_OR_ZERO(priv), -ENOENT, "find after free");
	/* Reallocated: found again, with the new private data. */
	lt_expect_eq(t, liommu_pasid_alloc(set, 0, U32_MAX, NULL), 710,
		     "710 again");
	priv = liommu_pasid_find(set, 710, &ref);
	if (lt_expect_true(t, !IS_ERR(priv), "found again")) {
		lt_expect_true(t, !priv, "the new private data");
		liommu_pasid_put(ref);
	}
	liommu_pasid_exit(set);
}

static void pasid_alloc_ref_survives_free(struct lt_ctx *t)
{
	struct liommu_core_stats before, held;
	struct liommu_pasid_set *set, *other;
	struct liommu_pasid_entry *ref, *ref2;
	int tag;
	void *priv;

	if (!lt_pasid_space(t, 729))
		return;
	liommu_core_get_stats(&before);
	set = lt_pasid_set(t, 720, 729, 0);
	other = lt_pasid_set(t, 720, 729, 0);
	if (!set || !other)
		goto out;
	lt_expect_eq(t, liommu_pasid_alloc(set, 0, U32_MAX, &tag), 720, "720");
	priv = liommu_pasid_find(set, 720, &ref);
	if (!lt_expect_true(t, priv == &tag, "found with a reference"))
		goto out;
	lt_expect_eq(t, liommu_pasid_free(set, 720), 0, "free under the reference");
	priv = liommu_pasid_find(set, 720, &ref2);
	lt_expect_eq(t, PTR_ERR_OR_ZERO(priv), -ENOENT, "no new lookup finds it");
	liommu_core_get_stats(&held);
	lt_expect_eq(t, held.allocs, before.allocs + 3,
		     "the entry lives on (two sets and it)");
	lt_expect_eq(t, liommu_pasid_alloc(set, 720, 720, NULL), -ENOSPC,
		     "its number is not handed out again");
	lt_expect_eq(t, liommu_pasid_alloc(other, 720, 720, NULL), -ENOSPC,
		     "not to another set either");
	liommu_pasid_put(ref);
	liommu_core_get_stats(&held);
	lt_expect_eq(t, held.allocs, before.allocs + 2,
		     "the last put freed the entry");
	lt_expect_eq(t, liommu_pasid_alloc(other, 720, 720, NULL), 720,
		     "the number is free after the last put");
out:
	liommu_pasid_exit(set);
	liommu_pasid_exit(other);
	lt_pasid_allocs_back(t, &before);
}

/*
 * find and put from atomic context, interrupts off: a live PASID's
 * lookup, and the last put of a freed one, which leaves interrupts off.
 */
static void pasid_alloc_atomic_lookup(struct lt_ctx *t)
{
	struct liommu_core_stats before, after;
	struct liommu_pasid_entry *ref;
	struct liommu_pasid_set *set;
	unsigned long flags;
	bool still_off;
	int tag;
	void *priv;

	if (!lt_pasid_space(t, 739))
		return;
	liommu_core_get_stats(&before);
	set = lt_pasid_set(t, 730, 739, 0);
	if (!set)
		return;
	lt_expect_eq(t, liommu_pasid_alloc(set, 0, U32_MAX, &tag), 730, "730");

	local_irq_save(flags);
	priv = liommu_pasid_find(set, 730, &ref);
	if (!IS_ERR(priv))
		liommu_pasid_put(ref);
	still_off = irqs_disabled();
	local_irq_restore(flags);
	lt_expect_true(t, priv == &tag, "found with interrupts off");
	lt_expect_true(t, still_off, "a put leaves interrupts off");

	priv = liommu_pasid_find(set, 730, &ref);
	if (!lt_expect_true(t, priv == &tag, "a reference to take along"))
		goto out;
	lt_expect_eq(t, liommu_pasid_free(set, 730), 0, "free 730");
	local_irq_save(flags);
	liommu_pasid_put(ref);
	still_off = irqs_disabled();
	local_irq_restore(flags);
	lt_expect_true(t, still_off, "the last put leaves interrupts off");
	liommu_core_get_stats(&after);
	lt_expect_eq(t, after.allocs, before.allocs + 1,
		     "the last put freed the entry");
	lt_expect_eq(t, liommu_pasid_alloc(set, 0, U32_MAX, NULL), 730,
		     "and gave its number back");
out:
	liommu_pasid_exit(set);
	lt_pasid_allocs_back(t, &before);
}

struct lt_pasid_walk {
	u32 seen[16];
	void *priv[16];
	unsigned int n;
	unsigned int stop_at;		/* 0: never stop */
	struct liommu_pasid_set *free_from;
	int free_err;
};

static int lt_pasid_walk_fn(u32 pasid, void *private, void *data)
{
	struct lt_pasid_walk *w = data;

	if (w->n < ARRAY_SIZE(w->seen)) {
		w->seen[w->n] = pasid;
		w->priv[w->n] = private;
	}
	w->n++;
	if (w->free_from) {
		int err = liommu_pasid_free(w->free_from, pasid);

		if (err && !w->free_err)
			w->free_err = err;
	}
	if (w->stop_at && w->n == w->stop_at)
		return -ECANCELED;
	return 0;
}

static void pasid_alloc_for_each(struct lt_ctx *t)
{
	struct lt_pasid_walk w = {};
	struct liommu_pasid_set *set;
	int tags[5];
	unsigned int i;

	if (!lt_pasid_space(t, 809))
		return;
	set = lt_pasid_set(t, 800, 809, 0);
	if (!set)
		return;
	lt_expect_eq(t, liommu_pasid_for_each(set, lt_pasid_walk_fn, &w), 0,
		     "an empty set");
	lt_expect_eq(t, w.n, 0, "nothing visited");
	for (i = 0; i < 5; i++)
		liommu_pasid_alloc(set, 0, U32_MAX, &tags[i]);
	lt_expect_eq(t, liommu_pasid_free(set, 802), 0, "free 802");
	lt_expect_eq(t, liommu_pasid_for_each(set, lt_pasid_walk_fn, &w), 0,
		     "every one visited");
	if (lt_expect_eq(t, w.n, 4, "visited")) {
		static const u32 want[] = { 800, 801, 803, 804 };
		static const unsigned int tag[] = { 0, 1, 3, 4 };

		for (i = 0; i < 4; i++) {
			lt_expect_eq(t, w.seen[i], want[i], "in increasing order");
			lt_expect_true(t, w.priv[i] == &tags[tag[i]],
				       "with its private data");
		}
	}
	liommu_pasid_exit(set);
}

static void pasid_alloc_for_each_stops(struct lt_ctx *t)
{
	struct lt_pasid_walk w = { .stop_at = 3 };
	struct liommu_pasid_set *set;
	unsigned int i;

	if (!lt_pasid_space(t, 819))
		return;
	set = lt_pasid_set(t, 810, 819, 0);
	if (!set)
		return;
	for (i = 0; i < 6; i++)
		liommu_pasid_alloc(set, 0, U32_MAX, NULL);
	lt_expect_eq(t, liommu_pasid_for_each(set, lt_pasid_walk_fn, &w),
		     -ECANCELED, "the first error is returned");
	lt_expect_eq(t, w.n, 3, "no call after it");
	lt_expect_eq(t, w.seen[2], 812, "stopped at the third");
	w.n = 0;
	w.stop_at = 1;
	lt_expect_eq(t, liommu_pasid_for_each(set, lt_pasid_walk_fn, &w),
		     -ECANCELED, "an error at the first");
	lt_expect_eq(t, w.n, 1, "one call");
	liommu_pasid_exit(set);
}

static void pasid_alloc_for_each_frees(struct lt_ctx *t)
{
	struct lt_pasid_walk w = {};
	struct liommu_core_stats before;
	struct liommu_pasid_set *set;
	unsigned int i;

	if (!lt_pasid_space(t, 829))
		return;
	liommu_core_get_stats(&before);
	set = lt_pasid_set(t, 820, 829, 0);
	if (!set)
		return;
	for (i = 0; i < 10; i++)
		liommu_pasid_alloc(set, 0, U32_MAX, NULL);
	w.free_from = set;
	lt_expect_eq(t, liommu_pasid_for_each(set, lt_pasid_walk_fn, &w), 0,
		     "a walk freeing what it visits");
	lt_expect_eq(t, w.n, 10, "each visited once");
	lt_expect_eq(t, w.free_err, 0, "each freed");
	w.n = 0;
	w.free_from = NULL;
	lt_expect_eq(t, liommu_pasid_for_each(set, lt_pasid_walk_fn, &w), 0,
		     "a second walk");
	lt_expect_eq(t, w.n, 0, "nothing left");
	liommu_pasid_exit(set);
	lt_pasid_allocs_back(t, &before);
}

static void pasid_alloc_exit_frees(struct lt_ctx *t)
{
	struct liommu_core_stats before, full;
	struct liommu_pasid_set *set, *next;
	u32 got[32];
	unsigned int n;
	int err;

	if (!lt_pasid_space(t, 931))
		return;
	liommu_core_get_stats(&before);
	set = lt_pasid_set(t, 900, 931, 0);
	if (!set)
		return;
	n = lt_pasid_drain(set, 0, U32_MAX, &err, got, ARRAY_SIZE(got));
	lt_expect_eq(t, n, 32, "the whole range taken");
	liommu_core_get_stats(&full);
	lt_expect_eq(t, full.allocs, before.allocs + 33, "a set and 32 PASIDs");
	liommu_pasid_exit(set);
	lt_pasid_allocs_back(t, &before);
	/* Every number is back in the space. */
	next = lt_pasid_set(t, 900, 931, 0);
	if (!next)
		return;
	n = lt_pasid_drain(next, 0, U32_MAX, &err, got, ARRAY_SIZE(got));
	lt_expect_eq(t, n, 32, "all 32 again for the next consumer");
	lt_expect_eq(t, got[0], 900, "from the lowest");
	liommu_pasid_exit(next);
	lt_pasid_allocs_back(t, &before);
}

static void pasid_alloc_exit_with_ref(struct lt_ctx *t)
{
	struct liommu_core_stats before, held;
	struct liommu_pasid_set *set, *next;
	struct liommu_pasid_entry *ref;
	int tag;
	void *priv;

	if (!lt_pasid_space(t, 941))
		return;
	liommu_core_get_stats(&before);
	set = lt_pasid_set(t, 940, 941, 0);
	if (!set)
		return;
	liommu_pasid_alloc(set, 0, U32_MAX, &tag);
	liommu_pasid_alloc(set, 0, U32_MAX, NULL);
	priv = liommu_pasid_find(set, 940, &ref);
	if (!lt_expect_true(t, priv == &tag, "found 940")) {
		liommu_pasid_exit(set);
		return;
	}
	liommu_pasid_exit(set);
	liommu_core_get_stats(&held);
	lt_expect_eq(t, held.allocs, before.allocs + 1,
		     "exit freed all but the referenced entry");
	next = lt_pasid_set(t, 940, 941, 0);
	if (next) {
		lt_expect_eq(t, liommu_pasid_alloc(next, 0, U32_MAX, NULL), 941,
			     "941 is free, 940 still reserved");
		lt_expect_eq(t, liommu_pasid_alloc(next, 0, U32_MAX, NULL),
			     -ENOSPC, "940 not handed out");
	}
	liommu_pasid_put(ref);
	if (next) {
		lt_expect_eq(t, liommu_pasid_alloc(next, 0, U32_MAX, NULL), 940,
			     "940 after the put");
		liommu_pasid_exit(next);
	}
	lt_pasid_allocs_back(t, &before);
}

/*
 * A unit that translates nothing, for the end of the PASID space: its
 * probe refuses every device, so registering it only adds its width.
 */
static struct liommu_device *lt_pasid_probe(struct device *dev)
{
	return ERR_PTR(-ENODEV);
}

static struct liommu_domain *lt_pasid_paging(struct device *dev)
{
	return ERR_PTR(-ENODEV);
}

static int lt_pasid_attach(struct liommu_domain *domain, struct device *dev)
{
	return 0;
}

static const struct liommu_ops lt_pasid_unit_ops = {
	.owner = THIS_MODULE,
	.probe_device = lt_pasid_probe,
	.domain_alloc_paging = lt_pasid_paging,
	.pgsize_bitmap = SZ_4K,
};

static const struct liommu_domain_ops lt_pasid_blocked_ops = {
	.attach_dev = lt_pasid_attach,
};

struct lt_pasid_unit {
	struct liommu_device iommu;
	struct liommu_domain blocked;
	bool registered;
};

static void lt_pasid_unit_add(struct lt_ctx *t, struct lt_pasid_unit *u,
			      const char *name, unsigned int bits)
{
	int err;

	u->blocked.ops = &lt_pasid_blocked_ops;
	u->iommu.ops = &lt_pasid_unit_ops;
	u->iommu.name = name;
	u->iommu.blocked_domain = &u->blocked;
	u->iommu.max_pasid_bits = bits;
	u->iommu.oa_bits = 48;
	err = liommu_device_register(&u->iommu);
	if (err)
		lt_fail(t, "register %s: %d", name, err);
	u->registered = !err;
}

static void lt_pasid_unit_del(struct lt_pasid_unit *u)
{
	if (u->registered)
		liommu_device_unregister(&u->iommu);
	u->registered = false;
}

static void pasid_alloc_unit_clip(struct lt_ctx *t)
{
	struct lt_pasid_unit *u4, *u0, *u6;
	struct liommu_core_stats before;
	struct liommu_pasid_entry *ref;
	struct liommu_pasid_set *set;
	u32 top = liommu_pasid_space_max();
	u32 got[16] = {};
	unsigned int n, i;
	void *priv;
	int err;

	if (!lt_pasid_space(t, 127))
		return;
	liommu_core_get_stats(&before);
	u4 = kzalloc(3 * sizeof(*u4), GFP_KERNEL);
	if (!u4) {
		lt_fail(t, "no memory");
		return;
	}
	u0 = u4 + 1;
	u6 = u4 + 2;
	set = lt_pasid_set(t, 0, U32_MAX, 0);
	if (!set)
		goto out;
	/* Held above the end before the narrow unit comes. */
	lt_expect_eq(t, liommu_pasid_alloc(set, 100, 100, NULL), 100,
		     "100 before narrowing");

	lt_pasid_unit_add(t, u6, "lt-pasid6", 6);
	lt_expect_eq(t, liommu_pasid_space_max(), min(top, 63U),
		     "a 6-bit unit ends the space at 63");
	lt_pasid_unit_add(t, u4, "lt-pasid4", 4);
	lt_expect_eq(t, liommu_pasid_space_max(), min(top, 15U),
		     "the narrowest, 4 bits, ends it at 15");
	lt_pasid_unit_add(t, u0, "lt-pasid0", 0);
	lt_expect_eq(t, liommu_pasid_space_max(), min(top, 15U),
		     "a unit without PASIDs does not narrow it");

	n = lt_pasid_drain(set, 0, U32_MAX, &err, got, ARRAY_SIZE(got));
	lt_expect_eq(t, n, 15, "PASIDs 1-15");
	lt_expect_eq(t, err, -ENOSPC, "then the space is exhausted");
	for (i = 0; i < min(n, 15U); i++)
		lt_expect_eq(t, got[i], i + 1, "each within the narrow space");
	lt_expect_eq(t, liommu_pasid_alloc(set, 16, 200, NULL), -ENOSPC,
		     "a range beyond the end");
	priv = liommu_pasid_find(set, 100, &ref);
	if (lt_expect_true(t, !IS_ERR(priv), "100 is not taken back"))
		liommu_pasid_put(ref);

	lt_pasid_unit_del(u4);
	lt_expect_eq(t, liommu_pasid_space_max(), min(top, 63U),
		     "the 4-bit unit gone: 63");
	lt_expect_eq(t, liommu_pasid_alloc(set, 0, U32_MAX, NULL), 16,
		     "16 now");
	lt_pasid_unit_del(u6);
	lt_pasid_unit_del(u0);
	lt_expect_eq(t, liommu_pasid_space_max(), top, "the end as before");
	lt_expect_eq(t, liommu_pasid_alloc(set, 64, U32_MAX, NULL), 64,
		     "64 now");
out:
	lt_pasid_unit_del(u4);
	lt_pasid_unit_del(u6);
	lt_pasid_unit_del(u0);
	liommu_pasid_exit(set);
	kfree(u4);
	lt_pasid_allocs_back(t, &before);
}

static void pasid_alloc_fail_nth_init(struct lt_ctx *t)
{
	struct liommu_core_stats before;
	struct liommu_pasid_set *set;
	unsigned int n;

	liommu_core_get_stats(&before);
	for (n = 1; n < 8; n++) {
		liommu_core_fail_nth(n);
		set = liommu_pasid_init(1000, 1009, 4);
		liommu_core_fail_nth(0);
		if (!IS_ERR(set))
			break;
		lt_expect_eq(t, PTR_ERR(set), -ENOMEM, "injected failure");
		lt_pasid_allocs_back(t, &before);
	}
	lt_expect_eq(t, n, 2, "one failure point");
	if (!IS_ERR(set))
		liommu_pasid_exit(set);
	lt_pasid_allocs_back(t, &before);
}

static void pasid_alloc_fail_nth_alloc(struct lt_ctx *t)
{
	struct liommu_core_stats before, base;
	struct liommu_pasid_entry *ref;
	struct liommu_pasid_set *set;
	unsigned int n;
	int p = 0;

	if (!lt_pasid_space(t, 1009))
		return;
	liommu_core_get_stats(&before);
	set = lt_pasid_set(t, 1000, 1009, 2);
	if (!set)
		return;
	liommu_core_get_stats(&base);
	for (n = 1; n < 8; n++) {
		liommu_core_fail_nth(n);
		p = liommu_pasid_alloc(set, 0, U32_MAX, &n);
		liommu_core_fail_nth(0);
		if (p > 0)
			break;
		lt_expect_eq(t, p, -ENOMEM, "injected failure");
		lt_pasid_allocs_back(t, &base);
		lt_expect_eq(t, PTR_ERR_OR_ZERO(liommu_pasid_find(set, 1000, &ref)),
			     -ENOENT, "nothing published");
	}
	lt_expect_eq(t, n, 2, "one failure point");
	lt_expect_eq(t, p, 1000, "the number a failure took came back");
	/* A failed allocation does not count against the quota. */
	lt_expect_eq(t, liommu_pasid_alloc(set, 0, U32_MAX, NULL), 1001,
		     "the quota's second");
	lt_expect_eq(t, liommu_pasid_alloc(set, 0, U32_MAX, NULL), -EDQUOT,
		     "then over quota");
	liommu_pasid_exit(set);
	lt_pasid_allocs_back(t, &before);
}

/* A consumer's whole life, failing each of its allocations in turn. */
static int lt_pasid_consumer(void)
{
	struct liommu_pasid_set *set;
	int i, p;

	set = liommu_pasid_init(1010, 1019, 0);
	if (IS_ERR(set))
		return PTR_ERR(set);
	for (i = 0; i < 3; i++) {
		p = liommu_pasid_alloc(set, 0, U32_MAX, NULL);
		if (p < 0) {
			liommu_pasid_exit(set);
			return p;
		}
	}
	liommu_pasid_exit(set);
	return 0;
}

static void pasid_alloc_fail_nth_consumer(struct lt_ctx *t)
{
	struct liommu_core_stats before;
	unsigned int n;
	int err = -ENOMEM;

	if (!lt_pasid_space(t, 1019))
		return;
	liommu_core_get_stats(&before);
	for (n = 1; n < 16; n++) {
		liommu_core_fail_nth(n);
		err = lt_pasid_consumer();
		liommu_core_fail_nth(0);
		if (!err)
			break;
		lt_expect_eq(t, err, -ENOMEM, "injected failure");
		lt_pasid_allocs_back(t, &before);
	}
	lt_expect_eq(t, err, 0, "the consumer completes");
	lt_expect_eq(t, n, 5, "four failure points: the set, three PASIDs");
	lt_pasid_allocs_back(t, &before);
}

#define LT_PASID_THREADS	4
#define LT_PASID_ROUNDS		10000
#define LT_PASID_HELD		8

struct lt_pasid_worker {
	struct liommu_pasid_set *set;
	struct lt_pasid_worker *all;
	unsigned long *owned;		/* PASIDs a worker holds now */
	struct completion done;
	unsigned int id;
	u32 held[LT_PASID_HELD];
	u32 seed;
	unsigned long allocs, finds_other, freed_under_ref, walks;
	int err;			/* the first problem: an errno */
	const char *what;
};

static void lt_pasid_worker_bad(struct lt_pasid_worker *w, const char *what,
				int err)
{
	if (!w->err) {
		w->err = err ?: -EINVAL;
		w->what = what;
	}
}

static bool lt_pasid_is_worker(struct lt_pasid_worker *w, void *priv)
{
	unsigned int i;

	for (i = 0; i < LT_PASID_THREADS; i++)
		if (priv == &w->all[i])
			return true;
	return false;
}

static int lt_pasid_walk_check(u32 pasid, void *private, void *data)
{
	struct lt_pasid_worker *w = data;

	return lt_pasid_is_worker(w, private) ? 0 : -EINVAL;
}

static void lt_pasid_worker_drop(struct lt_pasid_worker *w, unsigned int slot)
{
	u32 p = w->held[slot];
	int err;

	if (!p)
		return;
	/* Clear first: once freed, another worker may get the number. */
	if (!test_and_clear_bit(p, w->owned))
		lt_pasid_worker_bad(w, "a held PASID not marked owned", 0);
	err = liommu_pasid_free(w->set, p);
	if (err)
		lt_pasid_worker_bad(w, "free", err);
	w->held[slot] = 0;
}

/*
 * Look up someone's PASID (maybe the worker's own), maybe while its owner
 * frees it.  Every 16th round, hold the reference across a short sleep,
 * so that the owner's free (and then this put, the last) happens under
 * it; the number must not be handed out again meanwhile.
 */
static void lt_pasid_worker_peek(struct lt_pasid_worker *w, unsigned int i)
{
	struct liommu_pasid_entry *ref, *again;
	void *priv;
	u32 q;

	w->seed = w->seed * 1103515245 + 12345;
	q = 1 + (w->seed >> 16) % 64;
	priv = liommu_pasid_find(w->set, q, &ref);
	if (IS_ERR(priv)) {
		if (PTR_ERR(priv) != -ENOENT)
			lt_pasid_worker_bad(w, "find of another", PTR_ERR(priv));
		return;
	}
	if (!lt_pasid_is_worker(w, priv))
		lt_pasid_worker_bad(w, "private data of another", 0);
	w->finds_other++;
	if (i % 16 == 0) {
		usleep_range(50, 100);
		priv = liommu_pasid_find(w->set, q, &again);
		if (IS_ERR(priv)) {
			w->freed_under_ref++;
		} else {
			if (again != ref)
				lt_pasid_worker_bad(w, "a held number reused",
						    0);
			liommu_pasid_put(again);
		}
	}
	liommu_pasid_put(ref);
}

static int lt_pasid_worker_fn(void *arg)
{
	struct lt_pasid_worker *w = arg;
	struct liommu_pasid_entry *ref;
	unsigned int i, slot;
	void *priv;
	int p;

	for (i = 0; i < LT_PASID_ROUNDS && !w->err; i++) {
		slot = i % LT_PASID_HELD;
		lt_pasid_worker_drop(w, slot);

		p = liommu_pasid_alloc(w->set, 0, U32_MAX, w);
		if (p <= 0 || p >= LT_PASID_LIMIT) {
			lt_pasid_worker_bad(w, "alloc", p ?: -EINVAL);
			break;
		}
		w->allocs++;
		if (test_and_set_bit(p, w->owned))
			lt_pasid_worker_bad(w, "a PASID handed out twice", 0);
		w->held[slot] = p;

		priv = liommu_pasid_find(w->set, p, &ref);
		if (priv != w)
			lt_pasid_worker_bad(w, "find of its own PASID",
					    IS_ERR(priv) ? PTR_ERR(priv) : 0);
		else
			liommu_pasid_put(ref);

		lt_pasid_worker_peek(w, i);

		if (i % 512 == 0) {
			int err = liommu_pasid_for_each(w->set,
							lt_pasid_walk_check, w);

			if (err)
				lt_pasid_worker_bad(w, "for_each", err);
			w->walks++;
			cond_resched();
		}
	}
	for (slot = 0; slot < LT_PASID_HELD; slot++)
		lt_pasid_worker_drop(w, slot);
	complete(&w->done);
	return 0;
}

static int lt_pasid_count_fn(u32 pasid, void *private, void *data)
{
	(*(unsigned int *)data)++;
	return 0;
}

static void pasid_alloc_threads(struct lt_ctx *t)
{
	struct liommu_core_stats before;
	struct lt_pasid_worker *w;
	struct liommu_pasid_set *set;
	unsigned long *owned;
	unsigned long freed_under_ref = 0;
	unsigned int i, left = 0;

	if (!lt_pasid_space(t, 255))
		return;
	liommu_core_get_stats(&before);
	w = kcalloc(LT_PASID_THREADS, sizeof(*w), GFP_KERNEL);
	owned = bitmap_zalloc(LT_PASID_LIMIT, GFP_KERNEL);
	set = liommu_pasid_init(1, LT_PASID_LIMIT - 1, 0);
	if (!w || !owned || IS_ERR(set)) {
		lt_fail(t, "setup failed");
		goto out;
	}
	for (i = 0; i < LT_PASID_THREADS; i++) {
		struct task_struct *task;

		w[i].set = set;
		w[i].all = w;
		w[i].owned = owned;
		w[i].id = i;
		w[i].seed = 0x9e3779b9 * (i + 1);
		init_completion(&w[i].done);
		task = kthread_run(lt_pasid_worker_fn, &w[i], "lt_pasid/%u", i);
		if (IS_ERR(task)) {
			lt_pasid_worker_bad(&w[i], "kthread_run", PTR_ERR(task));
			complete(&w[i].done);
		}
	}
	for (i = 0; i < LT_PASID_THREADS; i++) {
		wait_for_completion(&w[i].done);
		if (w[i].err)
			lt_fail(t, "thread %u: %s: %d", i, w[i].what, w[i].err);
		lt_expect_eq(t, w[i].allocs, LT_PASID_ROUNDS, "allocations");
		lt_info(t, "thread %u: %lu allocs, %lu lookups (%lu freed under a reference), %lu walks",
			i, w[i].allocs, w[i].finds_other, w[i].freed_under_ref,
			w[i].walks);
		freed_under_ref += w[i].freed_under_ref;
	}
	lt_expect_true(t, freed_under_ref > 0,
		       "some PASID was freed under a held reference");
	liommu_pasid_for_each(set, lt_pasid_count_fn, &left);
	lt_expect_eq(t, left, 0, "no PASID left in the set");
	lt_expect_true(t, bitmap_empty(owned, LT_PASID_LIMIT),
		       "no PASID marked owned");
out:
	if (!IS_ERR(set))
		liommu_pasid_exit(set);
	bitmap_free(owned);
	kfree(w);
	lt_pasid_allocs_back(t, &before);
}

static void pasid_alloc_nothing_left(struct lt_ctx *t)
{
	struct liommu_pasid_set *set;
	u32 got[LT_PASID_LIMIT > 64 ? 64 : LT_PASID_LIMIT];
	unsigned int n;
	int err;

	lt_pasid_allocs_back(t, &lt_pasid_base);
	/* Every number the cases used is free again. */
	if (!lt_pasid_space(t, 63))
		return;
	set = lt_pasid_set(t, 1, 63, 0);
	if (!set)
		return;
	n = lt_pasid_drain(set, 0, U32_MAX, &err, got, ARRAY_SIZE(got));
	lt_expect_eq(t, n, 63, "PASIDs 1-63 all free");
	liommu_pasid_exit(set);
	lt_pasid_allocs_back(t, &lt_pasid_base);
}

static const struct lt_case pasid_alloc_cases[] = {
	LT_CASE(pasid_alloc_init_errors),
	LT_CASE(pasid_alloc_arg_errors),
	LT_CASE(pasid_alloc_clip_to_set),
	LT_CASE(pasid_alloc_never_zero),
	LT_CASE(pasid_alloc_exhaustion),
	LT_CASE(pasid_alloc_one_space),
	LT_CASE(pasid_alloc_quota),
	LT_CASE(pasid_alloc_quota_full_space),
	LT_CASE(pasid_alloc_free_errors),
	LT_CASE(pasid_alloc_find),
	LT_CASE(pasid_alloc_find_after_free),
	LT_CASE(pasid_alloc_ref_survives_free),
	LT_CASE(pasid_alloc_atomic_lookup),
	LT_CASE(pasid_alloc_for_each),
	LT_CASE(pasid_alloc_for_each_stops),
	LT_CASE(pasid_alloc_for_each_frees),
	LT_CASE(pasid_alloc_exit_frees),
	LT_CASE(pasid_alloc_exit_with_ref),
	LT_CASE(pasid_alloc_unit_clip),
	LT_CASE(pasid_alloc_fail_nth_init),
	LT_CASE(pasid_alloc_fail_nth_alloc),
	LT_CASE(pasid_alloc_fail_nth_consumer),
	LT_CASE(pasid_alloc_threads),
	LT_CASE(pasid_alloc_nothing_left),
};

const struct lt_suite lt_pasid_alloc_suite =
	LT_SUITE("pasid_alloc", pasid_alloc_cases);
