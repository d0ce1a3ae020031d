// SPDX-License-Identifier: GPL-2.0
/*
 * failnth_*: failure injection through the core and the vendor driver of
 * the profile, on edu 0 and its real unit.
 *
 * Each case is a scenario (allocate, attach, map, PASID attach, nested
 * allocation, and the undoing of all of it) run again and again with
 * liommu_core_fail_nth(n) for n = 1, 2, ... until a run reaches no
 * injection point.  After every run: the scenario returned the error of
 * the point that failed, the core's counters (domains, table pages,
 * allocations) and the unit's ids in use (VT-d domain ids, SMMU ASIDs and
 * VMIDs) are what they were, and edu 0 is back on its default domain with
 * the same hardware entry (VT-d context/PASID entries, SMMU STE).  The report names the points reached, core's and the vendor's;
 * the case checks that the vendor's own points are among them.
 */
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/string.h>

#include "core_common.h"
#include "edu.h"
#ifdef CONFIG_X86
#include <liommu/vtd.h>
#else
#include <liommu/smmu.h>
#endif

#define FN_MAX_RUNS	400
#define FN_SITES	24

struct fn {
	struct lt_edu edu;
	struct device *dev;
	struct page *pg;
	u32 sid;
	u64 entry[16];
	char sites[FN_SITES][32];	/* copies: the core reuses its buffer */
	unsigned int nr_sites;
};

/* Domain ids (VT-d) or ASIDs and VMIDs (SMMU) handed out. */
static int fn_ids(void)
{
#ifdef CONFIG_X86
	return liommu_vtd_dids_in_use(0);
#else
	return liommu_smmu_ids_in_use(0);
#endif
}

/* edu 0's hardware entry, as the unit reads it. */
static int fn_entry(struct fn *x, u64 out[16])
{
	memset(out, 0, 16 * sizeof(u64));
#ifdef CONFIG_X86
	{
		struct liommu_vtd_dev_entries e;
		int err = liommu_vtd_read_dev_entries(0, x->edu.pdev->bus->number,
						      x->edu.pdev->devfn, &e);

		if (err)
			return err;
		memcpy(out, e.context, sizeof(e.context));
		memcpy(out + 4, e.pasid, sizeof(e.pasid));
		return 0;
	}
#else
	return liommu_smmu_read_ste(0, x->sid, out);
#endif
}

static bool fn_open(struct lt_ctx *t, struct fn *x)
{
	u8 bus, devfn;
	int err;

	memset(x, 0, sizeof(*x));
	err = lt_parse_bdf(lt_expect.edu, 0, &bus, &devfn);
	if (!err)
		err = lt_edu_open(bus, devfn, &x->edu);
	if (err) {
		lt_fail(t, "edu 0: %d", err);
		return false;
	}
	x->dev = &x->edu.pdev->dev;
#ifndef CONFIG_X86
	if (liommu_smmu_rid_to_sid(pci_domain_nr(x->edu.pdev->bus),
				   pci_dev_id(x->edu.pdev), NULL, &x->sid)) {
		lt_fail(t, "no StreamID");
		lt_edu_close(&x->edu);
		return false;
	}
#endif
	x->pg = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!x->pg || fn_entry(x, x->entry)) {
		lt_fail(t, "page or entry");
		if (x->pg)
			__free_page(x->pg);
		lt_edu_close(&x->edu);
		return false;
	}
	return true;
}

static void fn_close(struct fn *x)
{
	__free_page(x->pg);
	lt_edu_close(&x->edu);
}

static void fn_add_site(struct fn *x, const char *site)
{
	unsigned int i;

	for (i = 0; i < x->nr_sites; i++)
		if (!strcmp(x->sites[i], site))
			return;
	if (x->nr_sites < FN_SITES)
		strscpy(x->sites[x->nr_sites++], site, sizeof(x->sites[0]));
}

static bool fn_has(struct fn *x, const char *site)
{
	unsigned int i;

	for (i = 0; i < x->nr_sites; i++)
		if (!strcmp(x->sites[i], site))
			return true;
	return false;
}

/*
 * Sweep @run until a run reaches no injection point; check after each
 * that nothing changed.  @want: vendor points that must be among those
 * reached (NULL-terminated).
 */
static void fn_sweep(struct lt_ctx *t, struct fn *x,
		     int (*run)(struct fn *x), const char *const *want)
{
	struct liommu_core_stats before, after;
	unsigned int n, points = 0, absorbed = 0, changed = 0, remaining;
	int err, ids = fn_ids();
	char list[256] = "", cur[32];
	const char *site;
	u64 entry[16];

	lt_expect_true(t, ids >= 0, "the unit's ids in use");
	for (n = 1; n <= FN_MAX_RUNS; n++) {
		liommu_core_get_stats(&before);
		liommu_core_fail_nth(n);
		err = run(x);
		site = liommu_core_fail_site(&remaining);
		/* The core's buffer is cleared by the next arming: copy it. */
		if (site)
			site = strscpy(cur, site, sizeof(cur)) < 0 ? "?" : cur;
		liommu_core_fail_nth(0);
		liommu_core_get_stats(&after);
		if (memcmp(&before, &after, sizeof(before)) || fn_ids() != ids ||
		    fn_entry(x, entry) || memcmp(entry, x->entry, sizeof(entry)) ||
		    liommu_get_domain_for_dev(x->dev) !=
		    liommu_identity_domain(x->dev)) {
			if (!changed++)
				lt_fail(t, "run %u (failing at %s, error %d): state changed: domains %ld -> %ld, table pages %ld -> %ld, allocations %ld -> %ld, unit ids %d -> %d",
					n, site ?: "nothing", err, before.domains,
					after.domains, before.table_pages,
					after.table_pages, before.allocs,
					after.allocs, ids, fn_ids());
		}
		if (!site) {
			lt_expect_eq(t, err, 0, "the run with no injected failure succeeds");
			break;
		}
		points++;
		fn_add_site(x, site);
		if (!err && !absorbed++)
			lt_info(t, "run %u: the failure at %s was absorbed (the scenario succeeded)",
				n, site);
		else if (err && err != -ENOMEM && err != -ENOSPC)
			lt_info(t, "run %u: %s failed the scenario with %d", n,
				site, err);
	}
	for (n = 0; n < x->nr_sites; n++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
			 "%s%s", n ? " " : "", x->sites[n]);
	lt_info(t, "%u injection points reached, %u absorbed; sites: %s",
		points, absorbed, list);
	lt_expect_true(t, points > 0 && points < FN_MAX_RUNS,
		       "the sweep ended after reaching every point");
	lt_expect_eq(t, changed, 0, "no run left anything behind");
	for (; *want; want++)
		if (!fn_has(x, *want))
			lt_fail(t, "the vendor's point %s was never reached", *want);
}

/* Paging: alloc, attach, two maps far apart (table pages), undo. */
static int fn_paging(struct fn *x)
{
	struct liommu_domain *d = liommu_paging_domain_alloc(x->dev);
	phys_addr_t pa = page_to_phys(x->pg);
	int err;

	if (IS_ERR(d))
		return PTR_ERR(d);
	err = liommu_attach_device(d, x->dev);
	if (err)
		goto out_free;
	err = liommu_map(d, 0x100000, pa, PAGE_SIZE, LT_RW, GFP_KERNEL);
	if (err)
		goto out_detach;
	err = liommu_map(d, 0x4000000000UL, pa, PAGE_SIZE, LT_RW, GFP_KERNEL);
	if (!err)
		liommu_unmap(d, 0x4000000000UL, PAGE_SIZE);
	liommu_unmap(d, 0x100000, PAGE_SIZE);
out_detach:
	liommu_detach_device(d, x->dev);
out_free:
	liommu_domain_free(d);
	return err;
}

static void failnth_paging(struct lt_ctx *t)
{
#ifdef CONFIG_X86
	static const char *const want[] = { "vtd:domain", "vtd:did",
					    "core:table", NULL };
#else
	static const char *const want[] = { "smmu:domain", "smmu:asid",
					    "core:table", NULL };
#endif
	struct fn x;

	if (!fn_open(t, &x))
		return;
	fn_sweep(t, &x, fn_paging, want);
	fn_close(&x);
}

#ifdef CONFIG_X86
/* PASIDs 0x2345 and 0x2346 (a PASID table of their own), undone. */
static int fn_pasid(struct fn *x)
{
	struct liommu_domain *d = liommu_paging_domain_alloc(x->dev);
	int err;

	if (IS_ERR(d))
		return PTR_ERR(d);
	err = liommu_attach_device_pasid(d, x->dev, 0x2345);
	if (err)
		goto out_free;
	err = liommu_attach_device_pasid(d, x->dev, 0x2346);
	if (!err)
		liommu_detach_device_pasid(d, x->dev, 0x2346);
	liommu_detach_device_pasid(d, x->dev, 0x2345);
out_free:
	liommu_domain_free(d);
	return err;
}

static void failnth_pasid(struct lt_ctx *t)
{
	static const char *const want[] = { "vtd:domain", "vtd:pasid-count",
					    "vtd:pasid-domain", "core:pasid",
					    NULL };
	struct fn x;

	if (!lt_stated(t, lt_expect.edu_pasid_bits, "edu_pasid_bits") ||
	    !lt_stated(t, lt_expect.pasid_bits, "pasid_bits"))
		return;
	if (lt_expect.edu_pasid_bits < 14 || lt_expect.pasid_bits < 14) {
		lt_skip(t, "PASID 0x2345 needs a 14-bit width on unit and edu (stock QEMU: none)");
		return;
	}
	if (!fn_open(t, &x))
		return;
	fn_sweep(t, &x, fn_pasid, want);
	fn_close(&x);
}
#else
/* A NEST_PARENT stage 2, a nested domain over it attached, undone. */
static int fn_nested(struct fn *x)
{
	struct liommu_hwpt_arm_smmuv3 arg = {};	/* V clear: abort */
	struct liommu_user_data ud = {
		.type = LIOMMU_HWPT_DATA_ARM_SMMUV3, .data = &arg,
		.len = sizeof(arg),
	};
	struct liommu_domain *p, *n;
	int err;

	p = liommu_user_domain_alloc(x->dev, LIOMMU_HWPT_ALLOC_NEST_PARENT);
	if (IS_ERR(p))
		return PTR_ERR(p);
	n = liommu_nested_domain_alloc(x->dev, p, &ud);
	if (IS_ERR(n)) {
		err = PTR_ERR(n);
		goto out_parent;
	}
	err = liommu_attach_device(n, x->dev);
	if (!err)
		liommu_detach_device(n, x->dev);
	liommu_domain_free(n);
out_parent:
	liommu_domain_free(p);
	return err;
}

static void failnth_nested(struct lt_ctx *t)
{
	static const char *const want[] = { "smmu:domain", "smmu:vmid",
					    "smmu:nested", "core:nested",
					    NULL };
	struct fn x;

	if (!lt_stated(t, lt_expect.s2, "s2"))
		return;
	if (!lt_expect.s2) {
		lt_skip(t, "no stage 2 (virt-9.1): no nesting");
		return;
	}
	if (!fn_open(t, &x))
		return;
	fn_sweep(t, &x, fn_nested, want);
	fn_close(&x);
}
#endif

static const struct lt_case failnth_cases[] = {
	LT_CASE(failnth_paging),
#ifdef CONFIG_X86
	LT_CASE(failnth_pasid),
#else
	LT_CASE(failnth_nested),
#endif
};

const struct lt_suite lt_failnth_suite = LT_SUITE("failnth", failnth_cases);
