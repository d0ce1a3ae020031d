// SPDX-License-Identifier: GPL-2.0
/*
 * vtd_live_*: the real update sequence of a live VT-d entry.
 *
 * edu 0's own entry (its context entry in legacy mode, its RID_PASID
 * PASID-table entry in scalable mode) is watched through the entry
 * writer's self-test hook while the device's domain is replaced: every
 * store the writer makes to that entry is recorded, and the unit's own
 * invalidation queue is read back from a mark.  Each recorded state must
 * be the old entry, the new one or not present (never a mix the unit
 * could walk); the sequence must end on the entry the unit now holds,
 * which points at the new domain's table with the new domain id; and the
 * old domain id's cached translations must be invalidated.
 *
 * A present VT-d context or PASID entry is not edited in place: the
 * specification has software clear it, invalidate, and write the new one
 * (Documentation/vtd.rst), so the replacement passes through not present
 * and DMA in that window faults.  The case counts those states and says so.
 */
#include <linux/bitfield.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <liommu/pgtable.h>
#include <liommu/vtd.h>

#include "core_common.h"
#include "../../intel/qi.h"
#include "../../intel/tables.h"

#define LV_STEPS	32
#define LV_WORDS	8
#define LV_QI		64

struct lv_rec {
	const __le64 *live;		/* the first entry stored to */
	bool other;			/* a store to another entry */
	unsigned int words;
	unsigned int n;
	u64 step[LV_STEPS][LV_WORDS];
};

static void lv_record(const __le64 *live, unsigned int words, void *data)
{
	struct lv_rec *r = data;
	unsigned int i;

	if (!r->live) {
		r->live = live;
		r->words = words;
	}
	if (live != r->live || words != r->words) {
		r->other = true;
		return;
	}
	if (r->n >= LV_STEPS)
		return;
	for (i = 0; i < words && i < LV_WORDS; i++)
		r->step[r->n][i] = le64_to_cpu(live[i]);
	r->n++;
}

/* The watched entry of @e: the PASID entry (scalable) or context entry. */
static const u64 *lv_entry(const struct liommu_vtd_dev_entries *e,
			   unsigned int *words)
{
	*words = e->scalable ? 8 : LIOMMU_VTD_CTX_WORDS;
	return e->scalable ? e->pasid : e->context;
}

static u16 lv_did(const struct liommu_vtd_dev_entries *e)
{
	return e->scalable ? FIELD_GET(LIOMMU_VTD_PASID_1_DID, e->pasid[1]) :
			     FIELD_GET(LIOMMU_VTD_CTX_1_DID, e->context[1]);
}

/* Some word of @w addresses the table at @pa (bits 63:12 of the word). */
static bool lv_points_at(const u64 *w, unsigned int words, phys_addr_t pa)
{
	unsigned int i;

	for (i = 0; i < words; i++)
		if ((w[i] & GENMASK_ULL(51, 12)) == pa)
			return true;
	return false;
}

static unsigned int lv_qd_type(const u64 *d)
{
	return FIELD_GET(LIOMMU_VTD_QI_0_TYPE_LO, d[0]) |
	       FIELD_GET(LIOMMU_VTD_QI_0_TYPE_HI, d[0]) << 4;
}

static void vtd_live_replace(struct lt_ctx *t)
{
	struct liommu_vtd_dev_entries *before = NULL, *after = NULL;
	struct liommu_domain *a = NULL, *b = NULL;
	unsigned int i, words, absent = 0, cache = 0, iotlb = 0;
	struct liommu_group *g = NULL;
	struct pci_dev *pdev = NULL;
	struct lv_rec *r = NULL;
	u64 (*qi)[4] = NULL;
	const u64 *old, *new;
	u64 mark, now;
	u8 bus, devfn;
	int n;

	if (!lt_vendor_units()) {
		lt_fail(t, "no VT-d unit registered");
		return;
	}
	if (!lt_stated_str(t, lt_expect.edu, "edu") ||
	    lt_parse_bdf(lt_expect.edu, 0, &bus, &devfn))
		return;
	pdev = pci_get_domain_bus_and_slot(0, bus, devfn);
	before = kzalloc(sizeof(*before), GFP_KERNEL);
	after = kzalloc(sizeof(*after), GFP_KERNEL);
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	qi = kcalloc(LV_QI, sizeof(*qi), GFP_KERNEL);
	if (!pdev || !before || !after || !r || !qi) {
		lt_fail(t, "set-up: no edu or no memory");
		goto out;
	}
	g = liommu_group_get(&pdev->dev);
	a = liommu_paging_domain_alloc(&pdev->dev);
	b = liommu_paging_domain_alloc(&pdev->dev);
	if (!g || IS_ERR(a) || IS_ERR(b)) {
		lt_fail(t, "group or paging domains");
		goto out;
	}
	if (!lt_expect_eq(t, liommu_attach_device(a, &pdev->dev), 0,
			  "attach the first domain") ||
	    !lt_expect_eq(t, liommu_vtd_read_dev_entries(0, bus, devfn, before),
			  0, "read the live entries"))
		goto out_detach;

	liommu_vtd_read_qi(0, 0, NULL, 0, &mark);
	liommu_vtd_set_entry_observer(lv_record, r);
	n = liommu_group_replace_domain(g, b);
	liommu_vtd_set_entry_observer(NULL, NULL);
	if (!lt_expect_eq(t, n, 0, "replace"))
		goto out_detach;
	lt_expect_eq(t, liommu_vtd_read_dev_entries(0, bus, devfn, after), 0,
		     "read the live entries again");
	n = liommu_vtd_read_qi(0, mark, qi, LV_QI, &now);

	old = lv_entry(before, &words);
	new = lv_entry(after, &words);
	lt_expect_true(t, old[0] & 1 && new[0] & 1, "both entries present");
	lt_expect_true(t, lv_points_at(new, words, virt_to_phys(b->pt->root)),
		       "the new entry points at the new domain's table");
	lt_expect_true(t, lv_did(after) != lv_did(before),
		       "a domain id of its own");
	if (!lt_expect_true(t, r->n > 0 && !r->other,
			    "stores to edu's entry only") ||
	    !lt_expect_eq(t, r->words, words, "the entry's size"))
		goto out_detach;
	for (i = 0; i < r->n; i++) {
		const u64 *s = r->step[i];

		if (!(s[0] & 1)) {
			absent++;
			continue;
		}
		if (memcmp(s, old, words * 8) && memcmp(s, new, words * 8))
			lt_fail(t, "state %u is present but neither entry: %#llx %#llx",
				i, s[0], s[1]);
	}
	lt_expect_true(t, !memcmp(r->step[r->n - 1], new, words * 8),
		       "the last store leaves the entry the unit holds");
	/* What the specification requires of a present entry (see above). */
	lt_expect_true(t, !(r->step[0][0] & 1), "the first store clears it");
	lt_info(t, "%s entry: %u stores, %u of them not present; old DID %u, new DID %u",
		before->scalable ? "PASID" : "context", r->n, absent,
		lv_did(before), lv_did(after));

	if (!lt_expect_true(t, n > 0 && n == now - mark,
			    "every descriptor since the mark read back"))
		goto out_detach;
	for (i = 0; i < n; i++) {
		unsigned int type = lv_qd_type(qi[i]);
		u16 did = FIELD_GET(LIOMMU_VTD_QI_CC_0_DID, qi[i][0]);

		if (did != lv_did(before))
			continue;
		if (type == LIOMMU_VTD_QI_TYPE_CC || type == LIOMMU_VTD_QI_TYPE_PC)
			cache++;
		else if (type == LIOMMU_VTD_QI_TYPE_IOTLB ||
			 type == LIOMMU_VTD_QI_TYPE_PIOTLB)
			iotlb++;
	}
	lt_info(t, "%d descriptors: %u cache and %u IOTLB invalidations of the old DID",
		n, cache, iotlb);
	lt_expect_true(t, cache > 0, "the old entry's cached copy invalidated");
	lt_expect_true(t, iotlb > 0, "the old domain's translations invalidated");

out_detach:
	if (!IS_ERR_OR_NULL(b) && liommu_get_domain_for_dev(&pdev->dev) == b)
		liommu_detach_device(b, &pdev->dev);
	if (!IS_ERR_OR_NULL(a) && liommu_get_domain_for_dev(&pdev->dev) == a)
		liommu_detach_device(a, &pdev->dev);
out:
	if (!IS_ERR_OR_NULL(a))
		liommu_domain_free(a);
	if (!IS_ERR_OR_NULL(b))
		liommu_domain_free(b);
	liommu_group_put(g);
	pci_dev_put(pdev);
	kfree(qi);
	kfree(r);
	kfree(after);
	kfree(before);
}

static const struct lt_case vtd_live_cases[] = {
	LT_CASE(vtd_live_replace),
};

const struct lt_suite lt_vtd_live_suite = LT_SUITE("vtd_live", vtd_live_cases);
