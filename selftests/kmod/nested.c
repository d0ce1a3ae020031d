// SPDX-License-Identifier: GPL-2.0
/*
 * nested_*: nested domains through the core (liommu_nested_domain_alloc(),
 * liommu_cache_invalidate_user()), on the mock's mock0, on every profile:
 * the allocation rules and the uAPI's extensible-structure rules, the
 * parent pinned by its children, attach and replace between nested and
 * paging domains with mock DMA through them, and the invalidation
 * array's rules (entry_num in and out, the first bad entry's errno,
 * nothing half done).  The vendors' nested domains have their own cases
 * (nested_smmu.c, nested_vtd.c).
 */
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/string.h>

#include "core_common.h"

#define IOVA	0x200000UL

struct nm {
	struct device *dev;
	struct liommu_domain *parent;
	struct liommu_domain *nested;
	struct page *pg;
};

static struct liommu_domain *nm_nested(struct device *dev,
				       struct liommu_domain *parent, u32 tag)
{
	struct liommu_mock_hwpt_data data = { .iotlb = tag };
	struct liommu_user_data ud = {
		.type = LIOMMU_MOCK_HWPT_DATA,
		.data = &data,
		.len = sizeof(data),
	};

	return liommu_nested_domain_alloc(dev, parent, &ud);
}

static bool nm_open(struct lt_ctx *t, struct nm *x)
{
	memset(x, 0, sizeof(*x));
	x->dev = lt_mock(t, 0);
	if (!x->dev)
		return false;
	x->parent = liommu_user_domain_alloc(x->dev,
					     LIOMMU_HWPT_ALLOC_NEST_PARENT);
	if (IS_ERR(x->parent)) {
		lt_fail(t, "NEST_PARENT domain: %ld", PTR_ERR(x->parent));
		x->parent = NULL;
		return false;
	}
	x->nested = nm_nested(x->dev, x->parent, 0x55);
	if (IS_ERR(x->nested)) {
		lt_fail(t, "nested domain: %ld", PTR_ERR(x->nested));
		x->nested = NULL;
		return false;
	}
	return true;
}

static void nm_close(struct nm *x)
{
	struct liommu_domain *cur = x->dev ?
				    liommu_get_domain_for_dev(x->dev) : NULL;

	if (cur && (cur == x->nested || cur == x->parent))
		liommu_detach_device(cur, x->dev);
	if (x->nested)
		liommu_domain_free(x->nested);
	if (x->parent)
		liommu_domain_free(x->parent);
	if (x->pg)
		__free_page(x->pg);
}

/* What the core fills in, and the parent pinned by its child. */
static void nested_alloc_and_pin(struct lt_ctx *t)
{
	long live;
	struct nm x;

	if (!nm_open(t, &x))
		goto out;
	lt_expect_eq(t, x.nested->type, LIOMMU_DOMAIN_NESTED, "type nested");
	lt_expect_eq(t, x.nested->owner, LIOMMU_OWNER_USER, "owner user");
	lt_expect_true(t, x.nested->parent == x.parent, "parent recorded");
	lt_expect_true(t, x.nested->pt == NULL && !x.nested->pgsize_bitmap,
		       "no table, no page sizes");
	lt_expect_eq(t, atomic_read(&x.parent->nested), 1, "parent counts it");
	live = liommu_mock_live_domains();
	liommu_domain_free(x.parent);
	lt_expect_eq(t, liommu_mock_live_domains(), live,
		     "the parent is not freed under its child");
	liommu_domain_free(x.nested);
	x.nested = NULL;
	lt_expect_eq(t, atomic_read(&x.parent->nested), 0, "released");
	lt_expect_eq(t, liommu_mock_live_domains(), live - 1, "child freed");
	liommu_domain_free(x.parent);
	x.parent = NULL;
	lt_expect_eq(t, liommu_mock_live_domains(), live - 2, "parent freed");
out:
	nm_close(&x);
}

/* Who may be a parent, and who may ask. */
static void nested_alloc_refusals(struct lt_ctx *t)
{
	struct liommu_mock_hwpt_data data = { .iotlb = 1 };
	struct liommu_user_data ud = {
		.type = LIOMMU_MOCK_HWPT_DATA, .data = &data,
		.len = sizeof(data),
	};
	struct liommu_domain *kernel = NULL, *d;
	struct device *other;
	struct nm x;
	long live;

	if (!nm_open(t, &x))
		goto out;
	other = lt_mock(t, 4);
	kernel = lt_paging(t, 0);
	if (!other || !kernel)
		goto out;
	live = liommu_mock_live_domains();
	d = liommu_nested_domain_alloc(NULL, x.parent, &ud);
	lt_expect_eq(t, PTR_ERR_OR_ZERO(d), -EINVAL, "NULL device");
	d = liommu_nested_domain_alloc(x.dev, NULL, &ud);
	lt_expect_eq(t, PTR_ERR_OR_ZERO(d), -EINVAL, "NULL parent");
	d = liommu_nested_domain_alloc(x.dev, ERR_PTR(-ENOMEM), &ud);
	lt_expect_eq(t, PTR_ERR_OR_ZERO(d), -EINVAL, "ERR_PTR parent");
	d = liommu_nested_domain_alloc(x.dev, x.parent, NULL);
	lt_expect_eq(t, PTR_ERR_OR_ZERO(d), -EINVAL, "no data");
	d = liommu_nested_domain_alloc(x.dev, kernel, &ud);
	lt_expect_eq(t, PTR_ERR_OR_ZERO(d), -EINVAL,
		     "a parent without NEST_PARENT");
	d = liommu_nested_domain_alloc(x.dev, x.nested, &ud);
	lt_expect_eq(t, PTR_ERR_OR_ZERO(d), -EINVAL, "a nested parent");
	d = liommu_nested_domain_alloc(other, x.parent, &ud);
	lt_expect_eq(t, PTR_ERR_OR_ZERO(d), -EINVAL, "another unit's device");
	lt_expect_eq(t, liommu_mock_live_domains(), live, "nothing allocated");
	lt_expect_eq(t, atomic_read(&x.parent->nested), 1,
		     "the parent's count unchanged");
out:
	if (kernel)
		liommu_domain_free(kernel);
	nm_close(&x);
}

/* The uAPI's rules for a structure: type, length, zeroed tail. */
static void nested_alloc_data_rules(struct lt_ctx *t)
{
	u8 buf[16] = { 7 };	/* iotlb = 7, then a tail */
	struct liommu_user_data ud = {
		.type = LIOMMU_MOCK_HWPT_DATA, .data = buf, .len = 16,
	};
	struct liommu_domain *d;
	u32 tag = 0;
	struct nm x;

	if (!nm_open(t, &x))
		goto out;
	d = liommu_nested_domain_alloc(x.dev, x.parent, &ud);
	if (lt_expect_true(t, !IS_ERR(d), "a longer structure, zero tail")) {
		lt_expect_eq(t, liommu_mock_nested_iotlb(d, 0, &tag), 0, "tag");
		lt_expect_eq(t, tag, 7, "the known part taken");
		liommu_domain_free(d);
	}
	buf[12] = 1;
	d = liommu_nested_domain_alloc(x.dev, x.parent, &ud);
	lt_expect_eq(t, PTR_ERR_OR_ZERO(d), -E2BIG, "a non-zero tail");
	ud.len = 2;
	d = liommu_nested_domain_alloc(x.dev, x.parent, &ud);
	lt_expect_eq(t, PTR_ERR_OR_ZERO(d), -EINVAL, "shorter than version 1");
	ud.len = 4;
	ud.type = LIOMMU_HWPT_DATA_VTD_S1;
	d = liommu_nested_domain_alloc(x.dev, x.parent, &ud);
	lt_expect_eq(t, PTR_ERR_OR_ZERO(d), -EOPNOTSUPP,
		     "a type the unit does not take");
	lt_expect_eq(t, atomic_read(&x.parent->nested), 1, "one child only");
out:
	nm_close(&x);
}

/* Attach, DMA through the parent, replace both ways, unmap faults. */
static void nested_attach_replace_dma(struct lt_ctx *t)
{
	struct liommu_group *g = NULL;
	u8 buf[64];
	struct nm x;

	if (!nm_open(t, &x))
		goto out;
	x.pg = alloc_page(GFP_KERNEL | __GFP_ZERO);
	g = liommu_group_get(x.dev);
	if (!x.pg || !g) {
		lt_fail(t, "page or group");
		goto out;
	}
	lt_expect_eq(t, liommu_map(x.parent, IOVA, page_to_phys(x.pg),
				   PAGE_SIZE, LT_RW, GFP_KERNEL), 0, "parent map");
	lt_expect_eq(t, liommu_map(x.nested, IOVA, page_to_phys(x.pg),
				   PAGE_SIZE, LT_RW, GFP_KERNEL), -EOPNOTSUPP,
		     "a nested domain has no map");
	lt_expect_eq(t, liommu_iova_to_phys(x.nested, IOVA), 0,
		     "nor iova_to_phys");
	if (!lt_expect_eq(t, liommu_attach_device(x.nested, x.dev), 0,
			  "attach the nested domain"))
		goto out;
	lt_expect_eq(t, atomic_read(&x.nested->users), 1, "one user");
	memset(buf, 0x3c, sizeof(buf));
	lt_expect_eq(t, liommu_mock_dma(x.dev, IOVA + 64, buf, sizeof(buf),
					true), 0, "DMA through the nested domain");
	lt_expect_true(t, !memchr_inv((u8 *)page_address(x.pg) + 64, 0x3c, 64),
		       "lands where the parent maps");
	lt_expect_eq(t, liommu_group_replace_domain(g, x.parent), 0,
		     "replace nested -> parent");
	lt_expect_eq(t, atomic_read(&x.nested->users), 0, "nested released");
	lt_expect_eq(t, liommu_group_replace_domain(g, x.nested), 0,
		     "replace parent -> nested");
	lt_expect_eq(t, liommu_unmap(x.parent, IOVA, PAGE_SIZE), PAGE_SIZE,
		     "parent unmap");
	lt_expect_true(t, liommu_mock_dma(x.dev, IOVA, buf, sizeof(buf),
					  true) != 0,
		       "nested DMA faults after the parent's unmap");
out:
	if (g)
		liommu_group_put(g);
	nm_close(&x);
}

static int nm_inv(struct liommu_domain *d, u32 type, const void *entries,
		  u32 len, u32 *num)
{
	struct liommu_user_data_array a = {
		.type = type, .entries = entries, .entry_len = len,
		.entry_num = *num,
	};
	int err = liommu_cache_invalidate_user(d, &a);

	*num = a.entry_num;
	return err;
}

static bool nm_tags(struct lt_ctx *t, struct liommu_domain *d,
		    u32 a, u32 b, u32 c, u32 e, const char *what)
{
	u32 want[4] = { a, b, c, e }, got;
	unsigned int i;
	bool ok = true;

	for (i = 0; i < 4; i++) {
		liommu_mock_nested_iotlb(d, i, &got);
		ok &= got == want[i];
	}
	return lt_expect_true(t, ok, what);
}

/* The array's rules: entry_num in and out, the first bad entry stops. */
static void nested_invalidate_array_rules(struct lt_ctx *t)
{
	struct liommu_mock_hwpt_inv inv[3] = {
		{ .iotlb_id = 1 }, { .iotlb_id = 9 }, { .iotlb_id = 2 },
	};
	u32 longer[3] = { 0, 3, 0 };
	struct nm x;
	u32 num;

	if (!nm_open(t, &x))
		goto out;
	num = 3;
	lt_expect_eq(t, nm_inv(x.nested, LIOMMU_MOCK_HWPT_INVALIDATE, inv,
			       sizeof(inv[0]), &num), -EINVAL,
		     "the second entry is bad");
	lt_expect_eq(t, num, 1, "entry_num: one done before it");
	nm_tags(t, x.nested, 0x55, 0, 0x55, 0x55,
		"only the first entry took effect");
	num = 3;
	lt_expect_eq(t, nm_inv(x.nested, 0x1234, inv, sizeof(inv[0]), &num),
		     -EOPNOTSUPP, "another type");
	lt_expect_eq(t, num, 0, "nothing done");
	num = 1;
	lt_expect_eq(t, nm_inv(x.nested, LIOMMU_MOCK_HWPT_INVALIDATE, inv, 4,
			       &num), -EINVAL, "an entry shorter than version 1");
	lt_expect_eq(t, num, 0, "nothing done");
	num = 1;
	lt_expect_eq(t, nm_inv(x.nested, LIOMMU_MOCK_HWPT_INVALIDATE, longer,
			       sizeof(longer), &num), 0,
		     "a longer entry with a zero tail");
	nm_tags(t, x.nested, 0x55, 0, 0x55, 0, "it cleared entry 3");
	longer[2] = 1;
	num = 1;
	lt_expect_eq(t, nm_inv(x.nested, LIOMMU_MOCK_HWPT_INVALIDATE, longer,
			       sizeof(longer), &num), -E2BIG, "a non-zero tail");
	lt_expect_eq(t, num, 0, "nothing done");
	num = 0;
	lt_expect_eq(t, nm_inv(x.nested, LIOMMU_MOCK_HWPT_INVALIDATE, NULL, 0,
			       &num), 0, "no entries: the type is checked only");
	num = 1;
	inv[0].flags = BIT(5);
	lt_expect_eq(t, nm_inv(x.nested, LIOMMU_MOCK_HWPT_INVALIDATE, inv,
			       sizeof(inv[0]), &num), -EOPNOTSUPP,
		     "an unknown flag");
	lt_expect_eq(t, num, 0, "nothing done");
	inv[0].flags = LIOMMU_MOCK_INV_ALL;
	num = 1;
	lt_expect_eq(t, nm_inv(x.nested, LIOMMU_MOCK_HWPT_INVALIDATE, inv,
			       sizeof(inv[0]), &num), 0, "everything");
	nm_tags(t, x.nested, 0, 0, 0, 0, "all entries cleared");
	num = 1;
	lt_expect_eq(t, nm_inv(x.parent, LIOMMU_MOCK_HWPT_INVALIDATE, inv,
			       sizeof(inv[0]), &num), -EINVAL,
		     "a paging domain is not nested");
	lt_expect_eq(t, num, 0, "nothing done");
	lt_expect_eq(t, liommu_cache_invalidate_user(x.nested, NULL), -EINVAL,
		     "no array");
	num = 2;
	lt_expect_eq(t, nm_inv(x.nested, LIOMMU_MOCK_HWPT_INVALIDATE, NULL,
			       sizeof(inv[0]), &num), -EINVAL,
		     "entries missing");
out:
	nm_close(&x);
}

static const struct lt_case nested_cases[] = {
	LT_CASE(nested_alloc_and_pin),
	LT_CASE(nested_alloc_refusals),
	LT_CASE(nested_alloc_data_rules),
	LT_CASE(nested_attach_replace_dma),
	LT_CASE(nested_invalidate_array_rules),
};

const struct lt_suite lt_nested_suite = LT_SUITE("nested", nested_cases);
