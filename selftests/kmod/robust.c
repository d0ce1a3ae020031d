// SPDX-License-Identifier: GPL-2.0
/*
 * robust_*, lifetime_*: the core and the profile's unit against hostile or
 * careless callers (Documentation/robustness.rst).
 *
 * Each bad call is refused with its errno, and then the case reads back
 * that nothing changed: iova_to_phys after a refused map, the mock's call
 * counters, a domain's users, the allocation counters, the domain a
 * device uses (which also proves that a failed attach released its group
 * mutex: liommu_get_domain_for_dev() takes it).  A freed domain pointer
 * is handed back on purpose: the core compares it with its table of live
 * domains and never reads it, so this is safe to run.
 *
 * The lifetime cases register two small units of their own (rb_a, rb_b)
 * that both claim one platform device of this module, so that a device
 * can be released (its unit unregistered) while a domain is attached and
 * a group reference held, and a second unit can try to claim it.
 */
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/sched.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include <liommu/pasid.h>
#include <liommu/pgtable.h>
#include "core_common.h"

/* An error pointer of the kind a careless caller passes on. */
#define RB_ERR_DOMAIN	((struct liommu_domain *)ERR_PTR(-ENOMEM))
#define RB_ERR_DEV	((struct device *)ERR_PTR(-ENODEV))

/* ---- the core, on the mock ---- */

/* Well-formed mock nested data: the refusals below come from elsewhere. */
static const struct liommu_mock_hwpt_data rb_mock_hwpt = { .iotlb = 1 };
static const struct liommu_user_data rb_nested_data = {
	.type = LIOMMU_MOCK_HWPT_DATA,
	.data = &rb_mock_hwpt,
	.len = sizeof(rb_mock_hwpt),
};

static void robust_map_prot_none(struct lt_ctx *t)
{
	struct liommu_mock_domain_stats s;
	struct liommu_domain *d = lt_paging(t, 0);

	if (!d)
		return;
	lt_expect_eq(t, liommu_map(d, SZ_1M, SZ_1M, SZ_4K, 0, GFP_KERNEL),
		     -EINVAL, "prot 0");
	lt_expect_eq(t, liommu_map(d, SZ_1M, SZ_1M, SZ_4K, BIT(5), GFP_KERNEL),
		     -EINVAL, "only an unknown bit");
	lt_expect_eq(t, liommu_iova_to_phys(d, SZ_1M), 0, "nothing mapped");
	if (lt_mstats(t, d, &s)) {
		lt_expect_eq(t, s.map_calls, 0, "the vendor never asked");
		lt_expect_eq(t, s.leaves[0], 0, "no leaf");
	}
	/* The same call with a right works: the refusal was the prot. */
	lt_expect_eq(t, liommu_map(d, SZ_1M, SZ_1M, SZ_4K, LIOMMU_READ,
				   GFP_KERNEL), 0, "read-only map");
	liommu_unmap(d, SZ_1M, SZ_4K);
	liommu_domain_free(d);
}

static void robust_map_sg_prot_none(struct lt_ctx *t)
{
	struct liommu_domain *d = lt_paging(t, 0);
	struct scatterlist sg;
	void *buf;

	if (!d)
		return;
	buf = (void *)__get_free_page(GFP_KERNEL);
	if (!buf) {
		lt_fail(t, "no memory");
		goto out;
	}
	sg_init_one(&sg, buf, PAGE_SIZE);
	lt_expect_eq(t, liommu_map_sg(d, SZ_2M, &sg, 1, 0, GFP_KERNEL),
		     -EINVAL, "prot 0");
	lt_expect_eq(t, liommu_iova_to_phys(d, SZ_2M), 0, "nothing mapped");
	lt_expect_eq(t, liommu_map_sg(d, SZ_2M, ERR_PTR(-EINVAL), 1, LT_RW,
				      GFP_KERNEL), -EINVAL, "error sg");
	free_page((unsigned long)buf);
out:
	liommu_domain_free(d);
}

/* The mock's units output LIOMMU_MOCK_OA_BITS bits. */
static void robust_map_paddr_beyond_oa(struct lt_ctx *t)
{
	const u64 top = BIT_ULL(LIOMMU_MOCK_OA_BITS);
	struct liommu_mock_domain_stats s;
	struct liommu_domain *d = lt_paging(t, 0);

	if (!d)
		return;
	lt_expect_eq(t, d->oa_bits, LIOMMU_MOCK_OA_BITS, "the unit's width");
	lt_expect_eq(t, liommu_map(d, SZ_1M, top, SZ_4K, LT_RW, GFP_KERNEL),
		     -ERANGE, "2^48");
	lt_expect_eq(t, liommu_map(d, SZ_1M, top + 0x5000, SZ_4K, LT_RW,
				   GFP_KERNEL), -ERANGE, "2^48 + 0x5000");
	lt_expect_eq(t, liommu_map(d, SZ_1M, top - SZ_4K, SZ_8K, LT_RW,
				   GFP_KERNEL), -ERANGE, "ends past 2^48");
	lt_expect_eq(t, liommu_iova_to_phys(d, SZ_1M), 0, "nothing at IOVA");
	lt_expect_eq(t, liommu_iova_to_phys(d, SZ_1M + SZ_4K), 0,
		     "nothing at IOVA + 4K");
	if (lt_mstats(t, d, &s))
		lt_expect_eq(t, s.map_calls, 0, "the vendor never asked");
	/* The last page below the limit is fine. */
	lt_expect_eq(t, liommu_map(d, SZ_1M, top - SZ_4K, SZ_4K, LT_RW,
				   GFP_KERNEL), 0, "last page");
	lt_expect_eq(t, liommu_iova_to_phys(d, SZ_1M), top - SZ_4K,
		     "last page mapped whole");
	liommu_unmap(d, SZ_1M, SZ_4K);
	liommu_domain_free(d);
}

static void robust_err_ptr_domain(struct lt_ctx *t)
{
	struct liommu_domain *bad = RB_ERR_DOMAIN;
	struct device *dev = lt_mock(t, 0);
	struct liommu_group *g;

	if (!dev)
		return;
	lt_expect_eq(t, liommu_map(bad, 0, 0, SZ_4K, LT_RW, GFP_KERNEL),
		     -EINVAL, "map");
	lt_expect_eq(t, liommu_unmap(bad, 0, SZ_4K), -EINVAL, "unmap");
	lt_expect_eq(t, liommu_iova_to_phys(bad, 0), 0, "iova_to_phys");
	lt_expect_eq(t, liommu_attach_device(bad, dev), -EINVAL, "attach");
	liommu_detach_device(bad, dev);
	lt_expect_eq(t, liommu_attach_device_pasid(bad, dev, 1), -EINVAL,
		     "PASID attach");
	lt_expect_eq(t, liommu_replace_device_pasid(bad, dev, 1), -EINVAL,
		     "PASID replace");
	liommu_detach_device_pasid(bad, dev, 1);
	lt_expect_eq(t, liommu_aux_attach_device(bad, dev), -EINVAL,
		     "aux attach");
	lt_expect_eq(t, PTR_ERR_OR_ZERO(liommu_nested_domain_alloc(dev, bad,
								   &rb_nested_data)),
		     -EINVAL, "nested parent");
	g = liommu_group_get(dev);
	if (lt_expect_true(t, g, "group")) {
		lt_expect_eq(t, liommu_attach_group(bad, g), -EINVAL,
			     "attach group");
		lt_expect_eq(t, liommu_group_replace_domain(g, bad), -EINVAL,
			     "replace");
		liommu_detach_group(bad, g);
		liommu_group_put(g);
	}
	liommu_domain_free(bad);
	/* No group mutex left held: this takes it. */
	lt_expect_true(t, liommu_get_domain_for_dev(dev) ==
			  liommu_identity_domain(dev), "still on the default");
}

static void robust_err_ptr_device(struct lt_ctx *t)
{
	struct liommu_domain *d = lt_paging(t, 0);
	struct device *bad = RB_ERR_DEV;

	if (!d)
		return;
	lt_expect_eq(t, liommu_attach_device(d, bad), -EINVAL, "attach");
	liommu_detach_device(d, bad);
	lt_expect_eq(t, PTR_ERR_OR_ZERO(liommu_paging_domain_alloc(bad)),
		     -EINVAL, "paging alloc");
	lt_expect_eq(t, PTR_ERR_OR_ZERO(liommu_user_domain_alloc(bad, 0)),
		     -EINVAL, "user alloc");
	lt_expect_eq(t, PTR_ERR_OR_ZERO(liommu_identity_domain(bad)),
		     -EINVAL, "identity");
	lt_expect_eq(t, PTR_ERR_OR_ZERO(liommu_blocked_domain(bad)),
		     -EINVAL, "blocked");
	lt_expect_true(t, !liommu_get_domain_for_dev(bad), "current domain");
	lt_expect_true(t, !liommu_group_get(bad), "group");
	lt_expect_eq(t, liommu_dev_pasid_bits(bad), 0, "PASID width");
	lt_expect_eq(t, liommu_attach_device_pasid(d, bad, 1), -EINVAL,
		     "PASID attach");
	lt_expect_true(t, !liommu_get_domain_for_dev_pasid(bad, 1),
		       "PASID domain");
	lt_expect_eq(t, liommu_dev_enable_feature(bad, LIOMMU_DEV_FEAT_AUX),
		     -EINVAL, "feature");
	lt_expect_eq(t, liommu_aux_attach_device(d, bad), -EINVAL,
		     "aux attach");
	lt_expect_eq(t, liommu_domain_users(d), 0, "domain untouched");
	liommu_domain_free(d);
}

static void robust_err_ptr_group(struct lt_ctx *t)
{
	struct liommu_group *bad = ERR_PTR(-ENOMEM);
	struct liommu_domain *d = lt_paging(t, 0);

	if (!d)
		return;
	lt_expect_eq(t, liommu_attach_group(d, bad), -EINVAL, "attach");
	lt_expect_eq(t, liommu_group_replace_domain(bad, d), -EINVAL,
		     "replace");
	liommu_detach_group(d, bad);
	lt_expect_eq(t, liommu_group_device_count(bad), 0, "count");
	lt_expect_eq(t, liommu_group_id(bad), -EINVAL, "id");
	lt_expect_true(t, !liommu_group_is_immutable_singleton(bad),
		       "singleton");
	lt_expect_eq(t, liommu_domain_users(d), 0, "domain untouched");
	liommu_domain_free(d);
}

static void robust_double_free(struct lt_ctx *t)
{
	struct liommu_core_stats before, once, twice;
	struct liommu_domain *d;
	long mock_before;

	liommu_core_get_stats(&before);
	mock_before = liommu_mock_live_domains();
	d = lt_paging(t, 0);
	if (!d)
		return;
	liommu_domain_free(d);
	liommu_core_get_stats(&once);
	lt_expect_eq(t, once.domains, before.domains, "freed once");
	lt_expect_eq(t, liommu_mock_live_domains(), mock_before,
		     "the vendor freed it");
	liommu_domain_free(d);	/* refused: not a live domain */
	liommu_domain_free(d);
	liommu_core_get_stats(&twice);
	lt_expect_eq(t, twice.domains, once.domains, "no second free");
	lt_expect_eq(t, twice.allocs, once.allocs, "allocations unchanged");
	lt_expect_eq(t, liommu_mock_live_domains(), mock_before,
		     "the vendor's free ran once");
}

/* A freed domain's pointer, handed back to every call: all refuse it. */
static void robust_use_after_free(struct lt_ctx *t)
{
	struct device *dev = lt_mock(t, 0);
	struct liommu_domain *d = lt_paging(t, 0);
	struct liommu_group *g;

	if (!dev || !d)
		return;
	liommu_domain_free(d);
	lt_expect_eq(t, liommu_map(d, 0, 0, SZ_4K, LT_RW, GFP_KERNEL),
		     -EINVAL, "map");
	lt_expect_eq(t, liommu_unmap(d, 0, SZ_4K), -EINVAL, "unmap");
	lt_expect_eq(t, liommu_iova_to_phys(d, 0), 0, "iova_to_phys");
	lt_expect_eq(t, liommu_attach_device(d, dev), -EINVAL, "attach");
	lt_expect_eq(t, liommu_attach_device_pasid(d, dev, 1), -EINVAL,
		     "PASID attach");
	lt_expect_eq(t, liommu_domain_users(d), -EINVAL, "users");
	g = liommu_group_get(dev);
	if (g) {
		lt_expect_eq(t, liommu_attach_group(d, g), -EINVAL,
			     "attach group");
		liommu_group_put(g);
	}
	lt_expect_true(t, liommu_get_domain_for_dev(dev) ==
			  liommu_identity_domain(dev), "device unchanged");
}

/*
 * The live-domain check's one-word cache per bucket (core/domain_table.c)
 * against the table: 512 domains share 128 buckets, every other one is
 * freed (so many a bucket's named domain leaves and another takes its
 * place), and each freed one must be refused, each live one accepted;
 * then the rest are freed and refused too.
 */
#define RB_TABLE_DOMAINS	512

static bool rb_domain_usable(struct liommu_domain *d)
{
	if (liommu_map(d, SZ_1M, SZ_1M, SZ_4K, LT_RW, GFP_KERNEL))
		return false;
	return liommu_unmap(d, SZ_1M, SZ_4K) == SZ_4K;
}

static void robust_domain_table_buckets(struct lt_ctx *t)
{
	struct device *dev = lt_mock(t, 0);
	struct liommu_domain **d;
	unsigned int i, wrong = 0;

	if (!dev)
		return;
	d = kcalloc(RB_TABLE_DOMAINS, sizeof(*d), GFP_KERNEL);
	if (!d) {
		lt_fail(t, "no memory for the test");
		return;
	}
	for (i = 0; i < RB_TABLE_DOMAINS; i++) {
		d[i] = liommu_paging_domain_alloc(dev);
		if (IS_ERR(d[i])) {
			lt_fail(t, "domain %u: %ld", i, PTR_ERR(d[i]));
			d[i] = NULL;
			goto out;
		}
	}
	for (i = 0; i < RB_TABLE_DOMAINS; i += 2)
		liommu_domain_free(d[i]);
	for (i = 0; i < RB_TABLE_DOMAINS; i++)
		wrong += rb_domain_usable(d[i]) != (i & 1);
	lt_expect_eq(t, wrong, 0, "domains taken for live or freed wrongly");
	for (i = 1; i < RB_TABLE_DOMAINS; i += 2)
		liommu_domain_free(d[i]);
	for (i = 0; i < RB_TABLE_DOMAINS; i++)
		wrong += rb_domain_usable(d[i]);
	lt_expect_eq(t, wrong, 0, "freed domains taken for live");
	kfree(d);
	return;
out:
	for (i = 0; i < RB_TABLE_DOMAINS; i++)
		if (d[i])
			liommu_domain_free(d[i]);
	kfree(d);
}

/* Every failing attach returns with the group mutex released. */
static void robust_attach_failures_unlock(struct lt_ctx *t)
{
	struct device *dev = lt_mock(t, 0), *dev4 = lt_mock(t, 4);
	struct liommu_domain *d = lt_paging(t, 0), *other = NULL;
	struct liommu_domain *id;

	if (!dev || !dev4 || !d)
		goto out;
	id = liommu_identity_domain(dev);
	other = liommu_paging_domain_alloc(dev4);	/* unit mock1 */
	if (IS_ERR(other)) {
		lt_fail(t, "mock1 domain: %ld", PTR_ERR(other));
		other = NULL;
		goto out;
	}
	lt_expect_eq(t, liommu_attach_device(other, dev), -EINVAL,
		     "domain of another unit");
	lt_expect_true(t, liommu_get_domain_for_dev(dev) == id, "unlocked 1");
	liommu_mock_fail_attach(dev, true);
	lt_expect_eq(t, liommu_attach_device(d, dev), -EIO, "vendor refuses");
	liommu_mock_fail_attach(dev, false);
	lt_expect_true(t, liommu_get_domain_for_dev(dev) == id, "unlocked 2");
	lt_expect_eq(t, liommu_domain_users(d), 0, "no user after -EIO");
	if (!lt_expect_eq(t, liommu_attach_device(d, dev), 0, "attach"))
		goto out;
	lt_expect_eq(t, liommu_attach_device(d, dev), -EBUSY, "twice");
	lt_expect_true(t, liommu_get_domain_for_dev(dev) == d, "unlocked 3");
	liommu_detach_device(d, dev);
	lt_expect_true(t, liommu_get_domain_for_dev(dev) == id, "detached");
out:
	liommu_domain_free(other);
	liommu_domain_free(d);
}

static void robust_free_attached_refused(struct lt_ctx *t)
{
	struct liommu_core_stats before, after;
	struct device *dev = lt_mock(t, 0);
	struct liommu_domain *d = lt_paging(t, 0);

	if (!dev || !d)
		return;
	if (!lt_expect_eq(t, liommu_attach_device(d, dev), 0, "attach"))
		goto out;
	liommu_core_get_stats(&before);
	liommu_domain_free(d);	/* refused: attached */
	liommu_core_get_stats(&after);
	lt_expect_eq(t, after.domains, before.domains, "not freed");
	lt_expect_eq(t, liommu_domain_users(d), 1, "still one user");
	lt_expect_eq(t, liommu_map(d, 0, 0, SZ_4K, LT_RW, GFP_KERNEL), 0,
		     "still usable");
	lt_expect_eq(t, liommu_unmap(d, 0, SZ_4K), SZ_4K, "unmap");
	liommu_detach_device(d, dev);
out:
	liommu_domain_free(d);
}

/* @users under its lock: groups and PASIDs counted, read back exactly. */
static void lifetime_domain_users(struct lt_ctx *t)
{
	struct device *dev = lt_mock(t, 0), *dev1 = lt_mock(t, 1);
	struct liommu_domain *d = lt_paging(t, 0);

	if (!dev || !dev1 || !d)
		goto out;
	lt_expect_eq(t, liommu_domain_users(d), 0, "new");
	if (!lt_expect_eq(t, liommu_attach_device(d, dev), 0, "attach 0"))
		goto out;
	if (lt_expect_eq(t, liommu_attach_device(d, dev1), 0, "attach 1"))
		lt_expect_eq(t, liommu_domain_users(d), 2, "two groups");
	if (lt_expect_eq(t, liommu_attach_device_pasid(d, dev, 5), 0,
			 "PASID 5"))
		lt_expect_eq(t, liommu_domain_users(d), 3, "and a PASID");
	liommu_domain_free(d);
	lt_expect_eq(t, liommu_domain_users(d), 3, "free refused");
	liommu_detach_device_pasid(d, dev, 5);
	liommu_detach_device(d, dev1);
	liommu_detach_device(d, dev);
	lt_expect_eq(t, liommu_domain_users(d), 0, "all gone");
out:
	liommu_domain_free(d);
}

static void robust_alloc_err_args(struct lt_ctx *t)
{
	struct device *dev = lt_mock(t, 0);

	lt_expect_eq(t, PTR_ERR_OR_ZERO(liommu_domain_alloc(ERR_PTR(-EINVAL))),
		     -EINVAL, "legacy alloc, error bus");
	lt_expect_eq(t, PTR_ERR_OR_ZERO(liommu_sva_domain_alloc(RB_ERR_DEV,
								current->mm)),
		     -EINVAL, "SVA, error device");
	if (dev)
		lt_expect_eq(t, PTR_ERR_OR_ZERO(liommu_sva_domain_alloc(dev,
								ERR_PTR(-EFAULT))),
			     -EINVAL, "SVA, error mm");
	lt_expect_eq(t, PTR_ERR_OR_ZERO(liommu_nested_domain_alloc(RB_ERR_DEV,
								   NULL,
								   &rb_nested_data)),
		     -EINVAL, "nested, error device");
}

/* Replacing an attached group's domain with a freed one changes nothing. */
static void robust_replace_with_freed(struct lt_ctx *t)
{
	struct device *dev = lt_mock(t, 0);
	struct liommu_domain *d = lt_paging(t, 0), *gone = lt_paging(t, 0);
	struct liommu_group *g = dev ? liommu_group_get(dev) : NULL;

	if (!g || !d || !gone)
		goto out;
	liommu_domain_free(gone);
	if (!lt_expect_eq(t, liommu_attach_group(d, g), 0, "attach"))
		goto out;
	lt_expect_eq(t, liommu_group_replace_domain(g, gone), -EINVAL,
		     "replace with freed");
	lt_expect_true(t, liommu_get_domain_for_dev(dev) == d, "kept");
	lt_expect_eq(t, liommu_domain_users(d), 1, "one user");
	liommu_detach_group(gone, g);	/* refused: a message */
	lt_expect_true(t, liommu_get_domain_for_dev(dev) == d, "still kept");
	liommu_detach_group(d, g);
	lt_expect_eq(t, liommu_domain_users(d), 0, "detached");
	gone = NULL;
out:
	liommu_group_put(g);
	liommu_domain_free(d);
	if (gone && !IS_ERR(gone))
		liommu_domain_free(gone);
}

/* The walker's formats refuse an output address they cannot hold. */
static void robust_pt_formats_refuse_wide_oa(struct lt_ctx *t)
{
	static const struct liommu_pt_format *const fmts[] = {
		&liommu_pt_format_mock, &liommu_pt_format_vtdss,
		&liommu_pt_format_x86fl, &liommu_pt_format_arm_s1,
		&liommu_pt_format_arm_s2,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fmts); i++) {
		const struct liommu_pt_format *fmt = fmts[i];
		u64 beyond = BIT_ULL(fmt->oa_lg2) | 0x5000;
		struct liommu_pt pt;
		size_t mapped = 0;
		int err;

		if (liommu_pt_init(&pt, fmt, 4, GFP_KERNEL)) {
			lt_fail(t, "%s: no table", fmt->name);
			continue;
		}
		/* The format's own walk, without the checks around it. */
		err = fmt->map(&pt, SZ_1M, beyond, SZ_4K, SZ_4K, LT_RW,
			       GFP_KERNEL, &mapped, NULL);
		if (err != -ERANGE || mapped ||
		    liommu_pt_iova_to_phys(&pt, SZ_1M))
			lt_fail(t, "%s: walk of %#llx: %d, %zu mapped, reads %#llx",
				fmt->name, beyond, err, mapped,
				(u64)liommu_pt_iova_to_phys(&pt, SZ_1M));
		/* A table narrowed to a unit's width refuses beyond it. */
		pt.oa_lg2 = 40;
		err = liommu_pt_map(&pt, SZ_1M, BIT_ULL(40), SZ_4K, SZ_4K,
				    LT_RW, GFP_KERNEL, &mapped);
		if (err != -ERANGE || liommu_pt_iova_to_phys(&pt, SZ_1M))
			lt_fail(t, "%s: 2^40 in a 40-bit table: %d", fmt->name,
				err);
		err = liommu_pt_map(&pt, SZ_1M, BIT_ULL(40) - SZ_4K, SZ_4K,
				    SZ_4K, LT_RW, GFP_KERNEL, &mapped);
		if (err || liommu_pt_iova_to_phys(&pt, SZ_1M) !=
			   BIT_ULL(40) - SZ_4K)
			lt_fail(t, "%s: last page below 2^40: %d", fmt->name,
				err);
		liommu_pt_free(&pt);
	}
}

/* ---- two small units of our own, for release and claiming ---- */

struct rb_domain {
	struct liommu_domain dom;
	struct liommu_pt pt;
};

/**
 * struct rb_unit - a unit that claims rb_dev (and nothing else)
 * @iommu: the core's part
 * @identity: static identity domain
 * @blocked: static blocked domain
 * @entry: the domain its "hardware entry" for rb_dev names now
 * @entry_at_release: @entry when release_device was called
 * @probes: probe_device calls for rb_dev
 * @releases: release_device calls
 */
struct rb_unit {
	struct liommu_device iommu;
	struct liommu_domain identity;
	struct liommu_domain blocked;
	struct liommu_domain *entry;
	struct liommu_domain *entry_at_release;
	unsigned int probes;
	unsigned int releases;
};

static struct rb_unit rb_a, rb_b;
static struct platform_device *rb_pdev;

static struct rb_unit *rb_unit_of(struct liommu_domain *domain)
{
	return container_of(domain->iommu, struct rb_unit, iommu);
}

static int rb_attach(struct liommu_domain *domain, struct device *dev)
{
	rb_unit_of(domain)->entry = domain;
	return 0;
}

static void rb_iotlb_sync(struct liommu_domain *domain,
			  struct liommu_iotlb_gather *gather)
{
}

static void rb_free(struct liommu_domain *domain)
{
	struct rb_domain *d = container_of(domain, struct rb_domain, dom);

	liommu_pt_free(&d->pt);
	kfree(d);
}

static const struct liommu_domain_ops rb_static_ops = {
	.attach_dev = rb_attach,
};

static const struct liommu_domain_ops rb_paging_ops = {
	.attach_dev = rb_attach,
	.iotlb_sync = rb_iotlb_sync,
	.free = rb_free,
};

static struct liommu_domain *rb_alloc_paging(struct device *dev)
{
	struct rb_domain *d = kzalloc(sizeof(*d), GFP_KERNEL);

	if (!d)
		return ERR_PTR(-ENOMEM);
	if (liommu_pt_init(&d->pt, &liommu_pt_format_mock, 4, GFP_KERNEL)) {
		kfree(d);
		return ERR_PTR(-ENOMEM);
	}
	d->dom.ops = &rb_paging_ops;
	d->dom.pt = &d->pt;
	d->dom.pgsize_bitmap = SZ_4K;
	return &d->dom;
}

static struct liommu_device *rb_probe(struct rb_unit *u, struct device *dev)
{
	if (!rb_pdev || dev != &rb_pdev->dev)
		return ERR_PTR(-ENODEV);
	u->probes++;
	return &u->iommu;
}

static void rb_release(struct rb_unit *u, struct device *dev)
{
	u->releases++;
	u->entry_at_release = u->entry;
}

static struct liommu_device *rb_a_probe(struct device *dev)
{
	return rb_probe(&rb_a, dev);
}

static struct liommu_device *rb_b_probe(struct device *dev)
{
	return rb_probe(&rb_b, dev);
}

static void rb_a_release(struct device *dev)
{
	rb_release(&rb_a, dev);
}

static void rb_b_release(struct device *dev)
{
	rb_release(&rb_b, dev);
}

static const struct liommu_ops rb_a_ops = {
	.owner = THIS_MODULE,
	.probe_device = rb_a_probe,
	.release_device = rb_a_release,
	.domain_alloc_paging = rb_alloc_paging,
	.pgsize_bitmap = SZ_4K,
};

static const struct liommu_ops rb_b_ops = {
	.owner = THIS_MODULE,
	.probe_device = rb_b_probe,
	.release_device = rb_b_release,
	.domain_alloc_paging = rb_alloc_paging,
	.pgsize_bitmap = SZ_4K,
};

/*
 * A unit whose paging domains exceed their own table, as
 * robust_domain_beyond_its_table() sets: an aperture the table does not
 * reach, a page size it lacks, an output wider than its entries hold
 * (RB_BAD_NONE: a domain that fits).
 */
enum { RB_BAD_APERTURE, RB_BAD_PGSIZE, RB_BAD_OA, RB_BAD_NR,
	RB_BAD_NONE = RB_BAD_NR };
static unsigned int rb_bad_mode;

static struct liommu_domain *rb_alloc_bad(struct device *dev)
{
	struct liommu_domain *dom = rb_alloc_paging(dev);
	struct rb_domain *d;

	if (IS_ERR(dom))
		return dom;
	d = container_of(dom, struct rb_domain, dom);
	switch (rb_bad_mode) {
	case RB_BAD_APERTURE:
		/* Two levels of the mock format translate 30 bits, not 39. */
		liommu_pt_free(&d->pt);
		if (liommu_pt_init(&d->pt, &liommu_pt_format_mock, 2,
				   GFP_KERNEL)) {
			kfree(d);
			return ERR_PTR(-ENOMEM);
		}
		break;
	case RB_BAD_PGSIZE:
		d->dom.pgsize_bitmap = SZ_4K | SZ_16K;
		break;
	case RB_BAD_OA:
		d->pt.oa_lg2 = 32;	/* the unit's output is 40 bits */
		break;
	}
	return dom;
}

static struct liommu_device *rb_bad_probe(struct device *dev)
{
	return rb_probe(&rb_a, dev);
}

static const struct liommu_ops rb_bad_ops = {
	.owner = THIS_MODULE,
	.probe_device = rb_bad_probe,
	.release_device = rb_a_release,
	.domain_alloc_paging = rb_alloc_bad,
	.pgsize_bitmap = SZ_4K,
};

static int rb_unit_register(struct lt_ctx *t, struct rb_unit *u,
			    const struct liommu_ops *ops, const char *name)
{
	int err;

	memset(u, 0, sizeof(*u));
	u->identity.ops = &rb_static_ops;
	u->blocked.ops = &rb_static_ops;
	u->iommu.ops = ops;
	u->iommu.name = name;
	u->iommu.identity_domain = &u->identity;
	u->iommu.blocked_domain = &u->blocked;
	u->iommu.geometry.aperture_end = BIT_ULL(39) - 1;
	u->iommu.oa_bits = 40;
	err = liommu_device_register(&u->iommu);
	if (err)
		lt_fail(t, "register %s: %d", name, err);
	return err;
}

/* The platform device both units claim; NULL (case failed) if none. */
static struct device *rb_dev_add(struct lt_ctx *t)
{
	rb_pdev = platform_device_register_simple("liommu-robust-dev", 0,
						  NULL, 0);
	if (IS_ERR(rb_pdev)) {
		lt_fail(t, "platform device: %ld", PTR_ERR(rb_pdev));
		rb_pdev = NULL;
		return NULL;
	}
	return &rb_pdev->dev;
}

static void rb_dev_del(void)
{
	if (rb_pdev)
		platform_device_unregister(rb_pdev);
	rb_pdev = NULL;
}

/*
 * Release with a domain attached and the group held by a caller: the
 * core moves the device to the default domain first (the unit's entry
 * and the group agree when release_device runs), the group goes back to
 * its default, the domain loses its user and can be freed, and the
 * device's state is refused from then on.
 */
static void lifetime_release_updates_group(struct lt_ctx *t)
{
	struct liommu_core_stats before, after;
	struct liommu_domain *d = NULL;
	struct liommu_group *g = NULL;
	struct device *dev;

	liommu_core_get_stats(&before);
	dev = rb_dev_add(t);
	if (!dev)
		return;
	if (rb_unit_register(t, &rb_a, &rb_a_ops, "robust-a"))
		goto out_dev;
	if (!lt_expect_eq(t, rb_a.probes, 1, "claimed"))
		goto out_unit;
	d = liommu_paging_domain_alloc(dev);
	if (IS_ERR(d)) {
		lt_fail(t, "paging domain: %ld", PTR_ERR(d));
		d = NULL;
		goto out_unit;
	}
	if (!lt_expect_eq(t, liommu_attach_device(d, dev), 0, "attach"))
		goto out_unit;
	lt_expect_true(t, rb_a.entry == d, "entry names the domain");
	g = liommu_group_get(dev);
	lt_expect_true(t, g, "group held");

	liommu_device_unregister(&rb_a.iommu);
	lt_expect_eq(t, rb_a.releases, 1, "released");
	lt_expect_true(t, rb_a.entry_at_release == &rb_a.identity,
		       "entry back on the default before release_device");
	lt_expect_eq(t, liommu_domain_users(d), 0, "domain lost its user");
	lt_expect_eq(t, liommu_attach_device(d, dev), -ENODEV,
		     "released device refused");
	lt_expect_true(t, !liommu_get_domain_for_dev(dev), "no domain");
	lt_expect_eq(t, liommu_group_device_count(g), 0, "group empty");
	liommu_detach_group(d, g);	/* not attached any more: a message */
	liommu_domain_free(d);
	d = NULL;
	liommu_group_put(g);
	g = NULL;
	rb_dev_del();
	liommu_core_get_stats(&after);
	lt_expect_eq(t, after.domains, before.domains, "domain freed");
	lt_expect_eq(t, after.groups, before.groups, "group freed");
	lt_expect_eq(t, after.devices, before.devices, "state freed");
	lt_expect_eq(t, after.allocs, before.allocs, "nothing left");
	return;

out_unit:
	liommu_domain_free(d);
	liommu_group_put(g);
	liommu_device_unregister(&rb_a.iommu);
out_dev:
	rb_dev_del();
}

/*
 * A unit's paging domain on the walker must keep its aperture, page sizes
 * and output width inside what its table translates (liommu_map() maps
 * such domains without the walker's own checks): one that does not is
 * refused at allocation with -EINVAL and freed, and one that fits is not.
 */
static void robust_domain_beyond_its_table(struct lt_ctx *t)
{
	static const char *const what[RB_BAD_NR] = {
		[RB_BAD_APERTURE] = "aperture beyond the table's reach: -EINVAL",
		[RB_BAD_PGSIZE] = "a page size the table lacks: -EINVAL",
		[RB_BAD_OA] = "output wider than the table's entries: -EINVAL",
	};
	struct liommu_core_stats before, after;
	struct liommu_domain *d;
	struct device *dev;
	unsigned int i;

	liommu_core_get_stats(&before);
	dev = rb_dev_add(t);
	if (!dev)
		return;
	if (rb_unit_register(t, &rb_a, &rb_bad_ops, "robust-bad"))
		goto out_dev;
	for (i = 0; i < RB_BAD_NR; i++) {
		rb_bad_mode = i;
		d = liommu_paging_domain_alloc(dev);
		if (!lt_expect_eq(t, PTR_ERR_OR_ZERO(d), -EINVAL, what[i]) &&
		    !IS_ERR(d))
			liommu_domain_free(d);
	}
	rb_bad_mode = RB_BAD_NONE;
	d = liommu_paging_domain_alloc(dev);
	if (lt_expect_eq(t, PTR_ERR_OR_ZERO(d), 0, "a domain that fits"))
		liommu_domain_free(d);
	liommu_device_unregister(&rb_a.iommu);
out_dev:
	rb_dev_del();
	liommu_core_get_stats(&after);
	lt_expect_eq(t, after.domains, before.domains, "no domain left");
	lt_expect_eq(t, after.table_pages, before.table_pages,
		     "every refused domain's table freed");
	lt_expect_eq(t, after.allocs, before.allocs, "nothing left");
}

/* A second unit that claims a claimed device is refused; the first keeps it. */
static void robust_second_claim_refused(struct lt_ctx *t)
{
	struct liommu_core_stats before, mid;
	struct liommu_domain *d;
	struct device *dev;

	dev = rb_dev_add(t);
	if (!dev)
		return;
	if (rb_unit_register(t, &rb_a, &rb_a_ops, "robust-a"))
		goto out_dev;
	liommu_core_get_stats(&before);
	if (rb_unit_register(t, &rb_b, &rb_b_ops, "robust-b"))
		goto out_a;
	liommu_core_get_stats(&mid);
	lt_expect_eq(t, rb_b.probes, 1, "the second unit was offered it");
	lt_expect_eq(t, rb_b.releases, 1, "its claim undone");
	lt_expect_eq(t, mid.devices, before.devices, "no second state");
	lt_expect_true(t, liommu_identity_domain(dev) == &rb_a.identity,
		       "the first unit keeps it");
	d = liommu_paging_domain_alloc(dev);
	if (!IS_ERR(d)) {
		lt_expect_true(t, d->iommu == &rb_a.iommu, "domains from the first");
		liommu_domain_free(d);
	} else {
		lt_fail(t, "paging domain: %ld", PTR_ERR(d));
	}
	liommu_device_unregister(&rb_b.iommu);
	lt_expect_true(t, liommu_identity_domain(dev) == &rb_a.identity,
		       "still the first's");
out_a:
	liommu_device_unregister(&rb_a.iommu);
out_dev:
	rb_dev_del();
}

/* Once the first unit let the device go, a second one claims it freely. */
static void lifetime_claim_after_release(struct lt_ctx *t)
{
	struct liommu_core_stats before, after;
	struct device *dev;

	liommu_core_get_stats(&before);
	dev = rb_dev_add(t);
	if (!dev)
		return;
	if (rb_unit_register(t, &rb_a, &rb_a_ops, "robust-a"))
		goto out_dev;
	liommu_device_unregister(&rb_a.iommu);
	lt_expect_eq(t, PTR_ERR_OR_ZERO(liommu_identity_domain(dev)), -ENODEV,
		     "released: no unit");
	if (rb_unit_register(t, &rb_b, &rb_b_ops, "robust-b"))
		goto out_dev;
	lt_expect_eq(t, rb_b.probes, 1, "offered");
	lt_expect_eq(t, rb_b.releases, 0, "kept");
	lt_expect_true(t, liommu_identity_domain(dev) == &rb_b.identity,
		       "the second unit has it");
	liommu_device_unregister(&rb_b.iommu);
	lt_expect_eq(t, rb_b.releases, 1, "released by the second");
out_dev:
	rb_dev_del();
	liommu_core_get_stats(&after);
	lt_expect_eq(t, after.devices, before.devices, "no state left");
	lt_expect_eq(t, after.groups, before.groups, "no group left");
}

/* A unit must say how wide its output addresses are. */
static void robust_register_without_oa_bits(struct lt_ctx *t)
{
	struct liommu_core_stats before, after;

	liommu_core_get_stats(&before);
	memset(&rb_b, 0, sizeof(rb_b));
	rb_b.blocked.ops = &rb_static_ops;
	rb_b.iommu.ops = &rb_b_ops;
	rb_b.iommu.name = "robust-no-oa";
	rb_b.iommu.blocked_domain = &rb_b.blocked;
	lt_expect_eq(t, liommu_device_register(&rb_b.iommu), -EINVAL,
		     "refused");
	liommu_core_get_stats(&after);
	lt_expect_eq(t, after.iommus, before.iommus, "not registered");
	lt_expect_eq(t, liommu_device_register(ERR_PTR(-EINVAL)), -EINVAL,
		     "error pointer");
}

/* ---- the profile's unit ---- */

/* The first edu device of the profile, referenced, or NULL (case failed). */
static struct device *rb_edu(struct lt_ctx *t)
{
	struct pci_dev *pdev;
	u8 bus, devfn;

	if (!lt_stated_str(t, lt_expect.edu, "edu"))
		return NULL;
	if (lt_parse_bdf(lt_expect.edu, 0, &bus, &devfn)) {
		lt_fail(t, "bad edu list '%s'", lt_expect.edu);
		return NULL;
	}
	pdev = pci_get_domain_bus_and_slot(0, bus, devfn);
	if (!pdev)
		lt_fail(t, "no edu at %02x:%02x.%u", bus, PCI_SLOT(devfn),
			PCI_FUNC(devfn));
	return pdev ? &pdev->dev : NULL;
}

static void rb_edu_put(struct device *dev)
{
	if (dev)
		pci_dev_put(to_pci_dev(dev));
}

/* A page for a mapping to point at, or NULL (case failed). */
static void *rb_page(struct lt_ctx *t)
{
	void *buf = (void *)__get_free_page(GFP_KERNEL);

	if (!buf)
		lt_fail(t, "no memory");
	return buf;
}

/* The output width the profile states for its unit, or 0 (case failed). */
static unsigned int rb_unit_oa_bits(struct lt_ctx *t)
{
#if defined(CONFIG_X86)
	return lt_stated(t, lt_expect.haw, "haw") ? lt_expect.haw : 0;
#elif defined(CONFIG_ARM64)
	return lt_stated(t, lt_expect.oas, "oas") ? min(lt_expect.oas, 48) : 0;
#else
	lt_fail(t, "no vendor unit on this architecture");
	return 0;
#endif
}

/* A paging domain of the vendor's unit for edu, or NULL (case failed). */
static struct liommu_domain *rb_unit_domain(struct lt_ctx *t,
					    struct device *edu)
{
	struct liommu_domain *d;

	if (!lt_vendor_units()) {
		lt_fail(t, "no vendor unit registered");
		return NULL;
	}
	d = liommu_paging_domain_alloc(edu);
	if (IS_ERR(d)) {
		lt_fail(t, "paging domain for %s: %ld", dev_name(edu),
			PTR_ERR(d));
		return NULL;
	}
	if (strcmp(d->iommu->name, lt_pci_unit_name()))
		lt_fail(t, "domain of unit %s, expected %s", d->iommu->name,
			lt_pci_unit_name());
	return d;
}

static void robust_unit_map_prot_none(struct lt_ctx *t)
{
	struct device *edu = rb_edu(t);
	struct liommu_domain *d = edu ? rb_unit_domain(t, edu) : NULL;
	phys_addr_t pa;
	void *buf;

	if (!d)
		goto out;
	buf = rb_page(t);
	if (!buf)
		goto out;
	pa = virt_to_phys(buf);
	lt_expect_eq(t, liommu_map(d, SZ_1M, pa, SZ_4K, 0, GFP_KERNEL),
		     -EINVAL, "prot 0");
	lt_expect_eq(t, liommu_iova_to_phys(d, SZ_1M), 0, "nothing mapped");
	/* A second identical call is refused the same way. */
	lt_expect_eq(t, liommu_map(d, SZ_1M, pa, SZ_4K, 0, GFP_KERNEL),
		     -EINVAL, "prot 0 again");
	lt_expect_eq(t, liommu_map(d, SZ_1M, pa, SZ_4K, LIOMMU_WRITE,
				   GFP_KERNEL), 0, "write-only map");
	lt_expect_eq(t, liommu_iova_to_phys(d, SZ_1M), pa, "mapped");
	liommu_unmap(d, SZ_1M, SZ_4K);
	free_page((unsigned long)buf);
out:
	liommu_domain_free(d);
	rb_edu_put(edu);
}

/*
 * Physical addresses at or beyond the unit's output width: refused, never
 * truncated (2^52 + buf would map buf on a 52-bit-ADDR entry, 2^48 + buf
 * on an AArch64 one).
 */
static void robust_unit_map_beyond_oa(struct lt_ctx *t)
{
	unsigned int oa = rb_unit_oa_bits(t);
	struct device *edu = rb_edu(t);
	struct liommu_domain *d = edu && oa ? rb_unit_domain(t, edu) : NULL;
	static const unsigned int beyond[] = { 0, 44, 48, 52 };
	phys_addr_t pa;
	unsigned int i;
	void *buf;

	if (!d)
		goto out;
	lt_expect_eq(t, d->oa_bits, oa, "domain's output width");
	buf = rb_page(t);
	if (!buf)
		goto out;
	pa = virt_to_phys(buf);
	for (i = 0; i < ARRAY_SIZE(beyond); i++) {
		unsigned int bit = beyond[i] ?: oa;
		u64 addr = BIT_ULL(bit) + pa;
		int err;

		if (bit < oa)
			continue;
		err = liommu_map(d, SZ_1M, addr, SZ_4K, LT_RW, GFP_KERNEL);
		if (err != -ERANGE)
			lt_fail(t, "2^%u + buf: %d, expected -ERANGE", bit, err);
		err = liommu_map(d, SZ_1M, BIT_ULL(bit), SZ_4K, LT_RW,
				 GFP_KERNEL);
		if (err != -ERANGE)
			lt_fail(t, "2^%u: %d, expected -ERANGE", bit, err);
		if (liommu_iova_to_phys(d, SZ_1M))
			lt_fail(t, "2^%u: IOVA translates to %#llx", bit,
				(u64)liommu_iova_to_phys(d, SZ_1M));
	}
	/* Nothing half-made: the IOVA is free for a real mapping. */
	lt_expect_eq(t, liommu_map(d, SZ_1M, pa, SZ_4K, LT_RW, GFP_KERNEL), 0,
		     "map below the width");
	lt_expect_eq(t, liommu_iova_to_phys(d, SZ_1M), pa, "mapped");
	liommu_unmap(d, SZ_1M, SZ_4K);
	free_page((unsigned long)buf);
out:
	liommu_domain_free(d);
	rb_edu_put(edu);
}

/*
 * The bridge's entries (liommu_map_prechecked(), liommu_unmap_prechecked())
 * skip the checks the kernel's IOMMU core made, not the rest: outside the
 * aperture, no access right, a misaligned address, beyond the output
 * width, an unmap of what is not mapped or of part of a page, each gets
 * liommu_map()'s errno and changes nothing; then a good map and unmap go
 * through.
 */
static void robust_unit_prechecked(struct lt_ctx *t)
{
	unsigned int oa = rb_unit_oa_bits(t);
	struct device *edu = rb_edu(t);
	struct liommu_domain *d = edu && oa ? rb_unit_domain(t, edu) : NULL;
	unsigned long end;
	phys_addr_t pa;
	void *buf;

	if (!d)
		goto out;
	buf = rb_page(t);
	if (!buf)
		goto out;
	pa = virt_to_phys(buf);
	end = d->geometry.aperture_end;
	if (end != ULONG_MAX) {
		lt_expect_eq(t, liommu_map_prechecked(d, end + 1, pa, SZ_4K,
						      LT_RW, GFP_KERNEL),
			     -ERANGE, "past the aperture");
		lt_expect_eq(t, liommu_map_prechecked(d, end & PAGE_MASK, pa,
						      SZ_8K, LT_RW, GFP_KERNEL),
			     -ERANGE, "across the aperture's end");
	}
	lt_expect_eq(t, liommu_map_prechecked(d, SZ_1M, pa, SZ_4K, 0,
					      GFP_KERNEL),
		     -EINVAL, "prot 0");
	lt_expect_eq(t, liommu_map_prechecked(d, SZ_1M + 0x800, pa, SZ_4K,
					      LT_RW, GFP_KERNEL),
		     -EINVAL, "misaligned IOVA");
	lt_expect_eq(t, liommu_map_prechecked(d, SZ_1M, BIT_ULL(oa), SZ_4K,
					      LT_RW, GFP_KERNEL),
		     -ERANGE, "beyond the output width");
	lt_expect_eq(t, liommu_unmap_prechecked(d, SZ_1M, SZ_4K), -ENOENT,
		     "unmap of nothing");
	lt_expect_eq(t, liommu_iova_to_phys(d, SZ_1M), 0, "nothing mapped");
	lt_expect_eq(t, liommu_map_prechecked(d, SZ_1M, pa, SZ_4K, LT_RW,
					      GFP_KERNEL), 0, "map");
	lt_expect_eq(t, liommu_iova_to_phys(d, SZ_1M), pa, "mapped");
	lt_expect_eq(t, liommu_map_prechecked(d, SZ_1M, pa, SZ_4K, LT_RW,
					      GFP_KERNEL), -EEXIST, "again");
	lt_expect_eq(t, liommu_unmap_prechecked(d, SZ_1M, SZ_8K), -ENOENT,
		     "unmap of more than is mapped");
	lt_expect_eq(t, liommu_iova_to_phys(d, SZ_1M), pa, "still mapped");
	lt_expect_eq(t, liommu_unmap_prechecked(d, SZ_1M, SZ_4K), SZ_4K,
		     "unmap");
	lt_expect_eq(t, liommu_iova_to_phys(d, SZ_1M), 0, "unmapped");
	free_page((unsigned long)buf);
out:
	liommu_domain_free(d);
	rb_edu_put(edu);
}

static void robust_unit_bad_attach(struct lt_ctx *t)
{
	struct device *edu = rb_edu(t);
	struct liommu_domain *d = edu ? rb_unit_domain(t, edu) : NULL;
	struct liommu_domain *freed, *def;

	if (!d)
		goto out;
	def = liommu_get_domain_for_dev(edu);
	freed = liommu_paging_domain_alloc(edu);
	if (IS_ERR(freed)) {
		lt_fail(t, "second domain: %ld", PTR_ERR(freed));
		goto out;
	}
	liommu_domain_free(freed);
	lt_expect_eq(t, liommu_attach_device(RB_ERR_DOMAIN, edu), -EINVAL,
		     "error pointer");
	lt_expect_eq(t, liommu_attach_device(freed, edu), -EINVAL, "freed");
	lt_expect_eq(t, liommu_attach_device(d, RB_ERR_DEV), -EINVAL,
		     "error device");
	/* Takes the group mutex: hangs if a refusal left it held. */
	lt_expect_true(t, liommu_get_domain_for_dev(edu) == def, "unchanged");
	if (!lt_expect_eq(t, liommu_attach_device(d, edu), 0, "real attach"))
		goto out;
	lt_expect_true(t, liommu_get_domain_for_dev(edu) == d, "attached");
	lt_expect_eq(t, liommu_domain_users(d), 1, "one user");
	liommu_detach_device(d, edu);
	lt_expect_true(t, liommu_get_domain_for_dev(edu) == def, "detached");
out:
	liommu_domain_free(d);
	rb_edu_put(edu);
}

static void robust_unit_double_free(struct lt_ctx *t)
{
	struct liommu_core_stats before, once, twice;
	struct device *edu = rb_edu(t);
	struct liommu_domain *d;

	if (!edu)
		return;
	liommu_core_get_stats(&before);
	d = rb_unit_domain(t, edu);
	if (d) {
		liommu_domain_free(d);
		liommu_core_get_stats(&once);
		liommu_domain_free(d);	/* the vendor must not free it again */
		liommu_core_get_stats(&twice);
		lt_expect_eq(t, once.domains, before.domains, "freed");
		lt_expect_eq(t, twice.domains, once.domains, "refused");
		lt_expect_eq(t, twice.table_pages, once.table_pages,
			     "tables unchanged");
		lt_expect_eq(t, liommu_map(d, 0, 0, SZ_4K, LT_RW, GFP_KERNEL),
			     -EINVAL, "map after free");
	}
	rb_edu_put(edu);
}

/* The vendor narrows its walker to the unit's width, below the format's. */
static void robust_unit_pt_width(struct lt_ctx *t)
{
	unsigned int oa = rb_unit_oa_bits(t);
	struct device *edu = rb_edu(t);
	struct liommu_domain *d = edu && oa ? rb_unit_domain(t, edu) : NULL;
	size_t mapped = 0;

	if (!d)
		goto out;
	if (!lt_expect_true(t, d->pt, "on the core's walker"))
		goto out;
	lt_expect_eq(t, d->pt->oa_lg2, oa, "table's output width");
	/* The domain is the test's alone: no lock (core/map.c). */
	lt_expect_eq(t, liommu_pt_map(d->pt, SZ_1M, BIT_ULL(oa), SZ_4K, SZ_4K,
				      LT_RW, GFP_KERNEL, &mapped),
		     -ERANGE, "walker refuses 2^oa");
	lt_expect_eq(t, mapped, 0, "nothing mapped");
	lt_expect_eq(t, liommu_iova_to_phys(d, SZ_1M), 0, "nothing reads back");
out:
	liommu_domain_free(d);
	rb_edu_put(edu);
}

static void robust_unit_free_attached_refused(struct lt_ctx *t)
{
	struct device *edu = rb_edu(t);
	struct liommu_domain *d = edu ? rb_unit_domain(t, edu) : NULL;
	struct liommu_core_stats before, after;
	phys_addr_t pa;
	void *buf;

	if (!d)
		goto out;
	buf = rb_page(t);
	if (!buf)
		goto out;
	pa = virt_to_phys(buf);
	if (!lt_expect_eq(t, liommu_attach_device(d, edu), 0, "attach"))
		goto out_free;
	liommu_core_get_stats(&before);
	liommu_domain_free(d);	/* refused: still attached */
	liommu_core_get_stats(&after);
	lt_expect_eq(t, after.domains, before.domains, "not freed");
	lt_expect_eq(t, liommu_domain_users(d), 1, "still attached");
	lt_expect_eq(t, liommu_map(d, SZ_1M, pa, SZ_4K, LT_RW, GFP_KERNEL), 0,
		     "still maps");
	lt_expect_eq(t, liommu_iova_to_phys(d, SZ_1M), pa, "and translates");
	lt_expect_eq(t, liommu_unmap(d, SZ_1M, SZ_4K), SZ_4K, "unmap");
	liommu_detach_device(d, edu);
out_free:
	free_page((unsigned long)buf);
out:
	liommu_domain_free(d);
	rb_edu_put(edu);
}

/*
 * The unit's paging domains have the format and aperture of the mode the
 * profile states (the reload test checks the same after a reload).
 */
static void robust_unit_domain_format(struct lt_ctx *t)
{
	struct device *edu = rb_edu(t);
	struct liommu_domain *d = edu ? rb_unit_domain(t, edu) : NULL;
	u64 want_end = 0;

	if (!d)
		goto out;
#if defined(CONFIG_X86)
	{
		bool first_stage;
		u64 root;
		u16 did;
		u8 aw;

		if (!lt_stated(t, lt_expect.scalable, "scalable") ||
		    !lt_stated(t, lt_expect.second_stage, "second_stage") ||
		    !lt_stated(t, lt_expect.mgaw, "mgaw"))
			goto out;
		first_stage = lt_expect.scalable && !lt_expect.second_stage;
		want_end = first_stage ? BIT_ULL(47) - 1 :
					 BIT_ULL(lt_expect.mgaw) - 1;
		if (!lt_expect_eq(t, liommu_vtd_domain_root(d, &root, &did, &aw),
				  0, "domain root"))
			goto out;
		if (first_stage)
			lt_expect_eq(t, aw, 2, "first stage: 4-level, AW 2");
		/* The unit uses a copy of the format (with its @sync). */
		if (lt_expect_true(t, d->pt, "on the core's walker"))
			lt_expect_true(t, !strcmp(d->pt->fmt->name, first_stage ?
					  liommu_pt_format_x86fl.name :
					  liommu_pt_format_vtdss.name),
				       "table format of the mode");
	}
#elif defined(CONFIG_ARM64)
	want_end = BIT_ULL(48) - 1;
	if (lt_expect_true(t, d->pt, "on the core's walker"))
		lt_expect_true(t, !strcmp(d->pt->fmt->name,
					  liommu_pt_format_arm_s1.name),
			       "stage-1 table");
#endif
	lt_expect_eq(t, d->geometry.aperture_start, 0, "aperture start");
	lt_expect_eq(t, d->geometry.aperture_end, want_end, "aperture end");
out:
	liommu_domain_free(d);
	rb_edu_put(edu);
}

static const struct lt_case robust_cases[] = {
	LT_CASE(robust_map_prot_none),
	LT_CASE(robust_map_sg_prot_none),
	LT_CASE(robust_map_paddr_beyond_oa),
	LT_CASE(robust_err_ptr_domain),
	LT_CASE(robust_err_ptr_device),
	LT_CASE(robust_err_ptr_group),
	LT_CASE(robust_double_free),
	LT_CASE(robust_use_after_free),
	LT_CASE(robust_domain_table_buckets),
	LT_CASE(robust_attach_failures_unlock),
	LT_CASE(robust_free_attached_refused),
	LT_CASE(lifetime_domain_users),
	LT_CASE(robust_alloc_err_args),
	LT_CASE(robust_replace_with_freed),
	LT_CASE(robust_pt_formats_refuse_wide_oa),
	LT_CASE(lifetime_release_updates_group),
	LT_CASE(robust_second_claim_refused),
	LT_CASE(robust_domain_beyond_its_table),
	LT_CASE(lifetime_claim_after_release),
	LT_CASE(robust_register_without_oa_bits),
	LT_CASE(robust_unit_map_prot_none),
	LT_CASE(robust_unit_map_beyond_oa),
	LT_CASE(robust_unit_prechecked),
	LT_CASE(robust_unit_bad_attach),
	LT_CASE(robust_unit_double_free),
	LT_CASE(robust_unit_pt_width),
	LT_CASE(robust_unit_free_attached_refused),
	LT_CASE(robust_unit_domain_format),
};

const struct lt_suite lt_robust_suite = LT_SUITE("robust", robust_cases);
