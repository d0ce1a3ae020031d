// SPDX-License-Identifier: GPL-2.0
/*
 * pasid_*: PASID attach through the core (liommu_attach_device_pasid()
 * and friends).
 *
 * Refusals run on every profile: a unit or device without PASIDs (legacy
 * VT-d, the SMMU without substreams, stock QEMU's edu without a PASID
 * capability), PASID 0, a PASID beyond the width, a foreign unit's domain,
 * bad pointers.  On the vtd-pasid-* profiles (liommu's patched QEMU,
 * Documentation/qemu-pasid.rst) real PASID-tagged edu DMA proves the
 * attach: several domains on one device at once, each PASID's DMA landing
 * in its own domain's page; detach blocks; replace leaves nothing stale;
 * an unmap invalidates the PASID's translations; the entries and the
 * invalidation descriptors read back.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/string.h>

#include "core_common.h"
#include "edu.h"
#ifdef CONFIG_X86
#include <linux/bitfield.h>
#include "../../intel/qi.h"
#include "../../intel/tables.h"
#endif

#define IOVA		0x100000UL
#define LEN		64
#define NR_DOM		4	/* RID_PASID's, and three PASIDs' */

struct pa {
	struct lt_edu edu[2];
	struct device *dev;
	unsigned int bits;
	struct liommu_domain *d[NR_DOM + 1];	/* [NR_DOM]: a spare */
	struct page *pg[NR_DOM + 1];
	u8 *mem[NR_DOM + 1];
	u32 pasid[NR_DOM];			/* [0] unused: RID_PASID */
};

/* The width the profile's machine gives edu: device's and unit's. */
static int want_bits(struct lt_ctx *t)
{
#ifdef CONFIG_X86
	if (!lt_stated(t, lt_expect.edu_pasid_bits, "edu_pasid_bits") ||
	    !lt_stated(t, lt_expect.pasid_bits, "pasid_bits") ||
	    !lt_stated(t, lt_expect.scalable, "scalable"))
		return -1;
	if (!lt_expect.scalable)
		return 0;
	return min(lt_expect.edu_pasid_bits, lt_expect.pasid_bits);
#else
	/* The SMMU model has no substreams (SSIDSIZE 0). */
	return 0;
#endif
}

static bool pa_open(struct lt_ctx *t, struct pa *x, unsigned int nr_edu)
{
	unsigned int i;
	u8 bus, devfn;
	int err;

	memset(x, 0, sizeof(*x));
	for (i = 0; i < nr_edu; i++) {
		err = lt_parse_bdf(lt_expect.edu, i, &bus, &devfn);
		if (!err)
			err = lt_edu_open(bus, devfn, &x->edu[i]);
		if (err) {
			lt_fail(t, "edu %u: %d", i, err);
			return false;
		}
	}
	x->dev = &x->edu[0].pdev->dev;
	x->bits = liommu_dev_pasid_bits(x->dev);
	return true;
}

static void pa_close(struct pa *x)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(x->d); i++) {
		if (!IS_ERR_OR_NULL(x->d[i]))
			liommu_domain_free(x->d[i]);
		if (x->pg[i])
			__free_page(x->pg[i]);
	}
	for (i = 0; i < ARRAY_SIZE(x->edu); i++)
		lt_edu_close(&x->edu[i]);
#ifdef CONFIG_X86
	liommu_vtd_read_faults(0, NULL, 0);
#endif
}

/* The width: the smaller of edu's PASID capability and the unit's. */
static void pasid_width(struct lt_ctx *t)
{
	struct pa x;
	int want = want_bits(t);

	if (want < 0 || !pa_open(t, &x, 1))
		return;
	lt_expect_eq(t, x.bits, want, "liommu_dev_pasid_bits(edu)");
	lt_expect_eq(t, liommu_dev_pasid_bits(NULL), 0, "NULL device: 0");
	pa_close(&x);
}

/* What every profile refuses, each with its errno, changing nothing. */
static void pasid_refusals(struct lt_ctx *t)
{
	struct liommu_domain *d, *mock;
	struct pa x;
	int want = want_bits(t);
	int none = want > 0 ? -EINVAL : -EOPNOTSUPP;

	if (want < 0 || !pa_open(t, &x, 1))
		return;
	d = x.d[0] = liommu_paging_domain_alloc(x.dev);
	if (IS_ERR(d)) {
		lt_fail(t, "paging domain: %ld", PTR_ERR(d));
		goto out;
	}
	lt_expect_eq(t, liommu_attach_device_pasid(NULL, x.dev, 1), -EINVAL,
		     "NULL domain");
	lt_expect_eq(t, liommu_attach_device_pasid(ERR_PTR(-ENOMEM), x.dev, 1),
		     -EINVAL, "error-pointer domain");
	lt_expect_eq(t, liommu_attach_device_pasid(d, NULL, 1), -EINVAL,
		     "NULL device");
	lt_expect_eq(t, liommu_attach_device_pasid(d, x.dev, 0), none,
		     "PASID 0 (RID_PASID: liommu_attach_device())");
	lt_expect_eq(t, liommu_attach_device_pasid(d, x.dev, BIT(20)), none,
		     "a 21-bit PASID");
	if (want > 0) {
		lt_expect_eq(t, liommu_attach_device_pasid(d, x.dev, BIT(want)),
			     -EINVAL, "the first PASID beyond the width");
		mock = x.d[1] = lt_paging(t, 0);
		if (mock)
			lt_expect_eq(t, liommu_attach_device_pasid(mock, x.dev, 1),
				     -EINVAL, "a domain of another unit");
		lt_expect_eq(t, liommu_replace_device_pasid(d, x.dev, 1),
			     -ENOENT, "replace with nothing attached");
	} else {
		lt_expect_eq(t, liommu_attach_device_pasid(d, x.dev, 1),
			     -EOPNOTSUPP, "no PASIDs on this device or unit");
	}
	lt_expect_true(t, !liommu_get_domain_for_dev_pasid(x.dev, 1),
		       "nothing attached afterwards");
	lt_expect_eq(t, atomic_read(&d->users), 0, "domain unused afterwards");
	lt_expect_true(t, !x.edu[0].pdev->pasid_enabled,
		       "PCI PASID capability still off");
out:
	pa_close(&x);
}

/* Mock devices 2 and 3 share a group: no PASIDs for either. */
static void pasid_group_refused(struct lt_ctx *t)
{
	struct liommu_domain *d = lt_paging(t, 2);
	struct device *dev = lt_mock(t, 2);

	if (!d || !dev)
		goto out;
	lt_expect_eq(t, liommu_dev_pasid_bits(dev), LIOMMU_MOCK_PASID_BITS,
		     "the unit's width");
	lt_expect_eq(t, liommu_attach_device_pasid(d, dev, 1), -EINVAL,
		     "a device that shares its group");
	lt_expect_true(t, !liommu_mock_pasid_domain(dev, 1), "mock untouched");
	lt_expect_eq(t, atomic_read(&d->users), 0, "domain unused");
out:
	if (d)
		liommu_domain_free(d);
}

/*
 * The core's PASID bookkeeping on the mock (every profile): attach,
 * what the vendor was told, users, replace, detach, busy, width.
 */
static void pasid_mock_attach_detach(struct lt_ctx *t)
{
	struct liommu_domain *a = lt_paging(t, 0), *b = lt_paging(t, 0);
	struct device *dev = lt_mock(t, 0);
	u32 top = LIOMMU_MOCK_PASIDS - 1;

	if (!a || !b || !dev)
		goto out;
	lt_expect_eq(t, liommu_attach_device_pasid(a, dev, 1), 0, "attach 1");
	lt_expect_eq(t, liommu_attach_device_pasid(b, dev, top), 0,
		     "attach the highest PASID");
	lt_expect_eq(t, liommu_attach_device_pasid(a, dev, top + 1), -EINVAL,
		     "one past the width");
	lt_expect_true(t, liommu_mock_pasid_domain(dev, 1) == a &&
			  liommu_mock_pasid_domain(dev, top) == b,
		       "the vendor was told");
	lt_expect_true(t, liommu_get_domain_for_dev_pasid(dev, 1) == a,
		       "get_domain_for_dev_pasid");
	lt_expect_eq(t, atomic_read(&a->users), 1, "a: one user");
	lt_expect_eq(t, liommu_attach_device_pasid(b, dev, 1), -EBUSY, "busy");
	lt_expect_eq(t, liommu_replace_device_pasid(b, dev, 1), 0, "replace");
	lt_expect_true(t, liommu_mock_pasid_domain(dev, 1) == b, "vendor: b");
	lt_expect_eq(t, atomic_read(&a->users), 0, "a: unused");
	lt_expect_eq(t, atomic_read(&b->users), 2, "b: two PASIDs");
	liommu_detach_device_pasid(a, dev, 1);
	lt_expect_true(t, liommu_mock_pasid_domain(dev, 1) == b,
		       "detach of the wrong domain changes nothing");
	liommu_detach_device_pasid(b, dev, 1);
	liommu_detach_device_pasid(b, dev, top);
	lt_expect_true(t, !liommu_mock_pasid_domain(dev, 1) &&
			  !liommu_mock_pasid_domain(dev, top), "blocked");
	lt_expect_true(t, !liommu_get_domain_for_dev_pasid(dev, 1), "forgotten");
	lt_expect_eq(t, atomic_read(&b->users), 0, "b: unused");
out:
	if (a)
		liommu_domain_free(a);
	if (b)
		liommu_domain_free(b);
}

/* A vendor that refuses, and an allocation that fails: nothing changes. */
static void pasid_mock_errors_unwind(struct lt_ctx *t)
{
	struct liommu_domain *a = lt_paging(t, 1);
	struct device *dev = lt_mock(t, 1);

	if (!a || !dev)
		goto out;
	liommu_mock_fail_attach(dev, true);
	lt_expect_eq(t, liommu_attach_device_pasid(a, dev, 7), -EIO,
		     "the vendor's error");
	liommu_mock_fail_attach(dev, false);
	lt_expect_true(t, !liommu_get_domain_for_dev_pasid(dev, 7) &&
			  !atomic_read(&a->users), "nothing recorded");
	liommu_core_fail_nth(1);
	lt_expect_eq(t, liommu_attach_device_pasid(a, dev, 7), -ENOMEM,
		     "injected allocation failure");
	liommu_core_fail_nth(0);
	lt_expect_true(t, !liommu_get_domain_for_dev_pasid(dev, 7) &&
			  !liommu_mock_pasid_domain(dev, 7) &&
			  !atomic_read(&a->users), "nothing recorded");
	lt_expect_eq(t, liommu_attach_device_pasid(a, dev, 7), 0,
		     "then it works");
	liommu_domain_free(a);
	lt_expect_true(t, liommu_get_domain_for_dev_pasid(dev, 7) == a,
		       "a PASID-attached domain is not freed");
	liommu_detach_device_pasid(a, dev, 7);
out:
	if (a)
		liommu_domain_free(a);
}

#ifdef CONFIG_X86
static bool pasid_dma_profile(struct lt_ctx *t)
{
	int want = want_bits(t);

	if (want < 0)
		return false;
	if (!want) {
		lt_skip(t, "no PASID-tagged DMA on this machine (stock QEMU or legacy mode)");
		return false;
	}
	return true;
}

static bool first_stage(void)
{
	return lt_expect.scalable == 1 && lt_expect.second_stage == 0;
}

/* Domains 0..n-1 mapping IOVA to pages of their own; 0 on RID_PASID. */
static bool pa_setup(struct lt_ctx *t, struct pa *x, unsigned int n)
{
	unsigned int i;

	if (!pa_open(t, x, 2))
		return false;
	x->pasid[1] = 1;
	x->pasid[2] = 2;
	x->pasid[3] = BIT(x->bits) - 1;
	for (i = 0; i < n; i++) {
		x->d[i] = liommu_paging_domain_alloc(x->dev);
		x->pg[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (IS_ERR(x->d[i]) || !x->pg[i]) {
			lt_fail(t, "domain or page %u", i);
			return false;
		}
		x->mem[i] = page_address(x->pg[i]);
		if (!lt_expect_eq(t, liommu_map(x->d[i], IOVA,
						page_to_phys(x->pg[i]),
						PAGE_SIZE, LT_RW, GFP_KERNEL),
				  0, "map"))
			return false;
	}
	liommu_vtd_read_faults(0, NULL, 0);
	return lt_expect_eq(t, liommu_attach_device(x->d[0], x->dev), 0,
			    "RID_PASID domain attached");
}

static void pa_teardown(struct pa *x)
{
	unsigned int i;

	for (i = 1; i < NR_DOM; i++)
		if (!IS_ERR_OR_NULL(x->d[i]) && x->dev &&
		    liommu_get_domain_for_dev_pasid(x->dev, x->pasid[i]))
			liommu_detach_device_pasid(
				liommu_get_domain_for_dev_pasid(x->dev,
								x->pasid[i]),
				x->dev, x->pasid[i]);
	if (!IS_ERR_OR_NULL(x->d[0]) && x->dev &&
	    liommu_get_domain_for_dev(x->dev) == x->d[0])
		liommu_detach_device(x->d[0], x->dev);
	pa_close(x);
}

static bool attach_all(struct lt_ctx *t, struct pa *x)
{
	unsigned int i;

	for (i = 1; i < NR_DOM; i++)
		if (!lt_expect_eq(t, liommu_attach_device_pasid(x->d[i], x->dev,
								x->pasid[i]),
				  0, "PASID attach"))
			return false;
	return true;
}

static bool filled(const u8 *p, u8 v)
{
	unsigned int i;

	for (i = 0; i < LEN; i++)
		if (p[i] != v)
			return false;
	return true;
}

/*
 * edu @e writes @tag to IOVA tagged with @pasid (0: untagged); true if
 * the transfer completed.  Each page's first LEN bytes are reset first.
 */
static bool write_tagged(struct lt_ctx *t, struct pa *x, unsigned int e,
			 u32 pasid, u8 tag)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(x->mem); i++)
		if (x->mem[i])
			memset(x->mem[i], 0, LEN);
	/* Load the buffer untranslated by PASID: through RID_PASID's page. */
	memset(x->mem[0], tag, LEN);
	if (!lt_expect_eq(t, lt_edu_dma_from_ram(&x->edu[0], IOVA, 0, LEN), 0,
			  "load edu's buffer"))
		return false;
	/* edu 1 is in pass-through: its bus addresses are physical. */
	if (e && !lt_expect_eq(t, lt_edu_dma_from_ram(&x->edu[1],
						      page_to_phys(x->pg[0]),
						      0, LEN), 0,
			       "load edu 1's buffer"))
		return false;
	memset(x->mem[0], 0, LEN);
	if (!pasid)
		lt_expect_eq(t, lt_edu_dma_to_ram(&x->edu[e], IOVA, 0, LEN), 0,
			     "DMA");
	else
		lt_expect_eq(t, lt_edu_pasid_dma_to_ram(&x->edu[e], pasid,
							IOVA, 0, LEN), 0,
			     "PASID DMA");
	return !(lt_edu_dma_error(&x->edu[e]) & LT_EDU_DMA_ERR_MEMTX);
}

/* Exactly page @want got @tag (NR_DOM + 1: none did). */
static void landed(struct lt_ctx *t, struct pa *x, unsigned int want, u8 tag,
		   const char *what)
{
	unsigned int i;
	bool ok = true;

	for (i = 0; i < ARRAY_SIZE(x->mem); i++)
		if (x->mem[i] && filled(x->mem[i], tag) != (i == want))
			ok = false;
	lt_expect_true(t, ok, what);
}

static void check_pasid_fault(struct lt_ctx *t, struct pa *x, u32 pasid)
{
	struct liommu_vtd_fault f[LIOMMU_VTD_FAULT_LOG];
	int n = liommu_vtd_read_faults(0, f, ARRAY_SIZE(f));

	if (!lt_expect_true(t, n >= 1, "a fault was recorded"))
		return;
	lt_expect_true(t, f[n - 1].pasid_present, "fault names a PASID");
	lt_expect_eq(t, f[n - 1].pasid, pasid, "the detached PASID");
	lt_expect_eq(t, f[n - 1].sid, pci_dev_id(x->edu[0].pdev), "source id");
}

/* Three PASIDs and RID_PASID, four domains, one device: each its own. */
static void pasid_dma_each_own_domain(struct lt_ctx *t)
{
	struct pa x;
	unsigned int i;

	if (!pasid_dma_profile(t) || !pa_setup(t, &x, NR_DOM) ||
	    !attach_all(t, &x))
		goto out;
	lt_expect_true(t, x.edu[0].pdev->pasid_enabled,
		       "the core enabled edu's PASID capability");
	for (i = 0; i < NR_DOM; i++) {
		u8 tag = 0x10 + i;

		if (write_tagged(t, &x, 0, x.pasid[i], tag))
			landed(t, &x, i, tag, i ? "tagged DMA landed in its PASID's domain only" :
					      "untagged DMA landed in RID_PASID's domain only");
		else
			lt_fail(t, "PASID %#x: DMA faulted", x.pasid[i]);
		lt_expect_true(t, liommu_get_domain_for_dev_pasid(x.dev, x.pasid[i]) ==
				  (i ? x.d[i] : NULL), "get_domain_for_dev_pasid");
	}
	lt_expect_eq(t, liommu_vtd_read_faults(0, NULL, 0), 0, "no fault");
out:
	pa_teardown(&x);
}

/* Detach blocks that PASID only; the fault names it. */
static void pasid_detach_blocks(struct lt_ctx *t)
{
	struct pa x;

	if (!pasid_dma_profile(t) || !pa_setup(t, &x, NR_DOM) ||
	    !attach_all(t, &x))
		goto out;
	liommu_detach_device_pasid(x.d[2], x.dev, x.pasid[2]);
	lt_expect_true(t, !liommu_get_domain_for_dev_pasid(x.dev, x.pasid[2]),
		       "nothing attached to the PASID");
	lt_expect_eq(t, atomic_read(&x.d[2]->users), 0, "domain unused");
	lt_expect_true(t, !write_tagged(t, &x, 0, x.pasid[2], 0x22),
		       "DMA of the detached PASID faults");
	landed(t, &x, NR_DOM + 1, 0x22, "and writes nothing anywhere");
	check_pasid_fault(t, &x, x.pasid[2]);
	lt_expect_true(t, write_tagged(t, &x, 0, x.pasid[1], 0x21),
		       "another PASID still works");
	landed(t, &x, 1, 0x21, "in its own domain");
	lt_expect_true(t, write_tagged(t, &x, 0, x.pasid[3], 0x23),
		       "the highest PASID still works");
	landed(t, &x, 3, 0x23, "in its own domain");
	/* The same domain can go back. */
	lt_expect_eq(t, liommu_attach_device_pasid(x.d[2], x.dev, x.pasid[2]), 0,
		     "attach again");
	lt_expect_true(t, write_tagged(t, &x, 0, x.pasid[2], 0x24), "works again");
	landed(t, &x, 2, 0x24, "in its domain");
out:
	pa_teardown(&x);
}

/* Replace: the PASID's DMA goes to the new domain, never the old one. */
static void pasid_replace(struct lt_ctx *t)
{
	struct pa x;

	if (!pasid_dma_profile(t) || !pa_setup(t, &x, NR_DOM) ||
	    !attach_all(t, &x))
		goto out;
	/* Warm the old translation, then replace. */
	lt_expect_true(t, write_tagged(t, &x, 0, x.pasid[1], 0x31), "DMA");
	landed(t, &x, 1, 0x31, "old domain before replace");
	lt_expect_eq(t, liommu_replace_device_pasid(x.d[3], x.dev, x.pasid[1]), 0,
		     "replace PASID 1's domain with the highest PASID's");
	lt_expect_true(t, liommu_get_domain_for_dev_pasid(x.dev, x.pasid[1]) == x.d[3],
		       "get_domain reports the new one");
	lt_expect_eq(t, atomic_read(&x.d[1]->users), 0, "old domain unused");
	lt_expect_eq(t, atomic_read(&x.d[3]->users), 2, "new one on two PASIDs");
	lt_expect_true(t, write_tagged(t, &x, 0, x.pasid[1], 0x32), "DMA");
	landed(t, &x, 3, 0x32, "lands in the new domain, nothing stale");
	lt_expect_eq(t, liommu_attach_device_pasid(x.d[1], x.dev, x.pasid[1]),
		     -EBUSY, "attach over an attached PASID");
out:
	pa_teardown(&x);
}

/* The other edu's PASID 1 reaches none of edu 0's PASID domains. */
static void pasid_other_device_isolated(struct lt_ctx *t)
{
	struct pa x;

	if (!pasid_dma_profile(t) || !pa_setup(t, &x, NR_DOM) ||
	    !attach_all(t, &x))
		goto out;
	if (!lt_expect_eq(t, lt_edu_pasid_enable(&x.edu[1], true), 1,
			  "edu 1 PASID Enable (by hand: nothing attached)"))
		goto out;
	lt_expect_true(t, !write_tagged(t, &x, 1, x.pasid[1], 0x41),
		       "edu 1's PASID 1 DMA faults");
	landed(t, &x, NR_DOM + 1, 0x41, "and writes into no domain of edu 0");
	liommu_vtd_read_faults(0, NULL, 0);
out:
	pa_teardown(&x);
}

/* The PASID entries read back: present, the domain's id, type and table. */
static void pasid_entries_read_back(struct lt_ctx *t)
{
	u64 e[8];
	struct pa x;
	unsigned int i;
	u8 bus, devfn;

	if (!pasid_dma_profile(t) || !pa_setup(t, &x, NR_DOM) ||
	    !attach_all(t, &x))
		goto out;
	bus = x.edu[0].pdev->bus->number;
	devfn = x.edu[0].pdev->devfn;
	for (i = 1; i < NR_DOM; i++) {
		u64 root;
		u16 did;
		u8 aw;

		if (!lt_expect_eq(t, liommu_vtd_read_pasid_entry(0, bus, devfn,
							x.pasid[i], e), 0,
				  "read the PASID entry") ||
		    !lt_expect_eq(t, liommu_vtd_domain_root(x.d[i], &root, &did,
							    &aw), 0, "domain"))
			goto out;
		lt_expect_true(t, e[0] & LIOMMU_VTD_PASID_0_P, "present");
		lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_PASID_1_DID, e[1]), did,
			     "domain id");
		if (first_stage()) {
			lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_PASID_0_PGTT, e[0]),
				     LIOMMU_VTD_PGTT_FIRST_STAGE, "PGTT first stage");
			lt_expect_eq(t, e[2] & LIOMMU_VTD_PASID_2_FSPTPTR, root,
				     "first-stage table");
		} else {
			lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_PASID_0_PGTT, e[0]),
				     LIOMMU_VTD_PGTT_SECOND_STAGE, "PGTT second stage");
			lt_expect_eq(t, e[0] & LIOMMU_VTD_PASID_0_SSPTPTR, root,
				     "second-stage table");
		}
	}
	liommu_detach_device_pasid(x.d[1], x.dev, x.pasid[1]);
	lt_expect_eq(t, liommu_vtd_read_pasid_entry(0, bus, devfn, x.pasid[1], e),
		     0, "read the detached entry");
	lt_expect_true(t, !(e[0] & LIOMMU_VTD_PASID_0_P), "not present");
	lt_expect_eq(t, liommu_vtd_read_pasid_entry(0, bus, devfn, 0x777, e),
		     -ENOENT, "a PASID that never had a table");
out:
	pa_teardown(&x);
}

/*
 * An unmap invalidates the PASID's translations: a warm mapping faults
 * right after the unmap (nothing stale), and on first stage the
 * descriptors name the PASID.
 */
static void pasid_unmap_invalidates(struct lt_ctx *t)
{
	struct liommu_vtd_inv_stats st;
	struct pa x;
	u32 p;

	if (!pasid_dma_profile(t) || !pa_setup(t, &x, NR_DOM) ||
	    !attach_all(t, &x))
		goto out;
	p = x.pasid[3];
	lt_expect_true(t, write_tagged(t, &x, 0, p, 0x51), "warm the mapping");
	landed(t, &x, 3, 0x51, "lands");
	lt_expect_eq(t, liommu_unmap(x.d[3], IOVA, PAGE_SIZE), PAGE_SIZE, "unmap");
	lt_expect_eq(t, liommu_vtd_domain_inv_stats(x.d[3], &st), 0, "stats");
	if (first_stage()) {
		lt_expect_true(t, st.last_n >= 1, "descriptors issued");
		lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_QI_0_TYPE_LO, st.last[0][0]),
			     LIOMMU_VTD_QI_TYPE_PIOTLB, "PASID-based IOTLB");
		lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_QI_PIOTLB_0_PASID,
					  st.last[0][0]), p, "of that PASID");
	}
	lt_expect_true(t, !write_tagged(t, &x, 0, p, 0x52),
		       "DMA after unmap faults");
	landed(t, &x, NR_DOM + 1, 0x52, "nothing stale, nothing written");
	liommu_vtd_read_faults(0, NULL, 0);
out:
	pa_teardown(&x);
}

#define QI_READ_MAX	32

struct qi_window {
	u64 mark;
	u64 d[QI_READ_MAX][4];
	int n;
};

static unsigned int qd_type(const u64 *d)
{
	return FIELD_GET(LIOMMU_VTD_QI_0_TYPE_LO, d[0]) |
	       FIELD_GET(LIOMMU_VTD_QI_0_TYPE_HI, d[0]) << 4;
}

static void qi_mark(struct qi_window *w)
{
	liommu_vtd_read_qi(0, 0, NULL, 0, &w->mark);
}

/* What the unit ran since qi_mark(), from its own queue memory. */
static bool qi_since(struct lt_ctx *t, struct qi_window *w)
{
	u64 now;

	w->n = liommu_vtd_read_qi(0, w->mark, w->d, QI_READ_MAX, &now);
	if (!lt_expect_true(t, w->n > 0 && w->n == now - w->mark,
			    "every descriptor since the mark read back"))
		return false;
	return true;
}

/*
 * The first descriptor at or after @from of @type with granularity @g,
 * domain id @did and (PASID-cache, PASID-based IOTLB) PASID @pasid; -1.
 */
static int qi_find(const struct qi_window *w, int from, unsigned int type,
		   unsigned int g, u16 did, u32 pasid)
{
	int i;

	for (i = max(from, 0); i < w->n; i++) {
		const u64 *d = w->d[i];

		if (qd_type(d) != type ||
		    FIELD_GET(LIOMMU_VTD_QI_PC_0_G, d[0]) != g ||
		    FIELD_GET(LIOMMU_VTD_QI_PC_0_DID, d[0]) != did)
			continue;
		if ((type == LIOMMU_VTD_QI_TYPE_PC ||
		     type == LIOMMU_VTD_QI_TYPE_PIOTLB) &&
		    FIELD_GET(LIOMMU_VTD_QI_PC_0_PASID, d[0]) != pasid)
			continue;
		return i;
	}
	return -1;
}

/* Every PASID-granular descriptor of the window names @pasid. */
static bool qi_only_pasid(const struct qi_window *w, u32 pasid)
{
	int i;

	for (i = 0; i < w->n; i++) {
		unsigned int type = qd_type(w->d[i]);

		if ((type == LIOMMU_VTD_QI_TYPE_PC ||
		     type == LIOMMU_VTD_QI_TYPE_PIOTLB) &&
		    FIELD_GET(LIOMMU_VTD_QI_PC_0_PASID, w->d[i][0]) != pasid)
			return false;
	}
	return true;
}

/* The flush of an entry of @pasid tagged @did, at or after @from. */
static int qi_entry_flush(struct lt_ctx *t, const struct qi_window *w,
			  int from, u16 did, u32 pasid, const char *what)
{
	int pc = qi_find(w, from, LIOMMU_VTD_QI_TYPE_PC,
			 LIOMMU_VTD_QI_PC_G_PASID, did, pasid);

	if (!lt_expect_true(t, pc >= 0, what))
		return -1;
	lt_expect_true(t, qi_find(w, pc, LIOMMU_VTD_QI_TYPE_IOTLB,
				  LIOMMU_VTD_QI_IOTLB_G_DOMAIN, did, 0) > pc,
		       "then the IOTLB of its domain id");
	if (first_stage())
		lt_expect_true(t, qi_find(w, pc, LIOMMU_VTD_QI_TYPE_PIOTLB,
					  LIOMMU_VTD_QI_PIOTLB_G_PASID, did,
					  pasid) > pc,
			       "and the PASID-based IOTLB of that PASID");
	return pc;
}

/*
 * The invalidation descriptors of attach, replace and detach, read back
 * from the unit's queue: PASID-cache by PASID with the PASID and domain
 * id, the IOTLB of the domain id, on first stage the PASID-based IOTLB;
 * replace flushes the old entry before the new one goes in; nothing
 * names another PASID (no PASID 0 left over).
 */
static void pasid_invalidations_read_back(struct lt_ctx *t)
{
	static struct qi_window w;
	u16 did[3];
	struct pa x;
	unsigned int i;
	u64 root;
	u8 aw;
	int old;
	u32 p;

	if (!pasid_dma_profile(t) || !pa_setup(t, &x, 3))
		goto out;
	for (i = 1; i < 3; i++)
		if (!lt_expect_eq(t, liommu_vtd_domain_root(x.d[i], &root,
							    &did[i], &aw), 0,
				  "domain id"))
			goto out;
	p = x.pasid[3];

	qi_mark(&w);
	if (!lt_expect_eq(t, liommu_attach_device_pasid(x.d[1], x.dev, p), 0,
			  "attach the highest PASID") || !qi_since(t, &w))
		goto out;
	lt_info(t, "attach: %d descriptors", w.n);
	qi_entry_flush(t, &w, 0, did[1], p, "attach: PASID-cache, PASID-selective, of the new entry");
	lt_expect_true(t, qi_only_pasid(&w, p), "attach names no other PASID");

	qi_mark(&w);
	if (!lt_expect_eq(t, liommu_replace_device_pasid(x.d[2], x.dev, p), 0,
			  "replace") || !qi_since(t, &w))
		goto out;
	lt_info(t, "replace: %d descriptors", w.n);
	old = qi_entry_flush(t, &w, 0, did[1], p, "replace: the old entry's flush");
	lt_expect_true(t, qi_entry_flush(t, &w, 0, did[2], p,
					 "replace: the new entry's flush") > old,
		       "old flushed before new");
	lt_expect_true(t, qi_only_pasid(&w, p), "replace names no other PASID");

	qi_mark(&w);
	liommu_detach_device_pasid(x.d[2], x.dev, p);
	if (!qi_since(t, &w))
		goto out;
	qi_entry_flush(t, &w, 0, did[2], p, "detach: the entry's flush");
	lt_expect_true(t, qi_only_pasid(&w, p), "detach names no other PASID");
	lt_expect_eq(t, qi_find(&w, 0, LIOMMU_VTD_QI_TYPE_PC,
				LIOMMU_VTD_QI_PC_G_PASID, did[1], p), -1,
		     "detach does not flush the replaced domain again");
out:
	pa_teardown(&x);
}

/* The core counts PASID users: the domain can't be freed under them. */
static void pasid_users_and_capability(struct lt_ctx *t)
{
	struct pa x;

	if (!pasid_dma_profile(t) || !pa_setup(t, &x, 2))
		goto out;
	lt_expect_eq(t, liommu_attach_device_pasid(x.d[1], x.dev, 5), 0, "attach 5");
	lt_expect_eq(t, liommu_attach_device_pasid(x.d[1], x.dev, 6), 0, "attach 6");
	lt_expect_eq(t, atomic_read(&x.d[1]->users), 2, "two PASID users");
	lt_expect_true(t, x.edu[0].pdev->pasid_enabled, "capability on");
	liommu_detach_device_pasid(x.d[0], x.dev, 5);
	lt_expect_true(t, liommu_get_domain_for_dev_pasid(x.dev, 5) == x.d[1],
		       "detach of the wrong domain changes nothing");
	liommu_detach_device_pasid(x.d[1], x.dev, 5);
	lt_expect_true(t, x.edu[0].pdev->pasid_enabled, "still on: PASID 6");
	liommu_detach_device_pasid(x.d[1], x.dev, 6);
	lt_expect_true(t, !x.edu[0].pdev->pasid_enabled,
		       "off after the last detach");
	lt_expect_eq(t, atomic_read(&x.d[1]->users), 0, "no users");
out:
	pa_teardown(&x);
}
#endif /* CONFIG_X86 */

static const struct lt_case pasid_cases[] = {
	LT_CASE(pasid_width),
	LT_CASE(pasid_refusals),
	LT_CASE(pasid_group_refused),
	LT_CASE(pasid_mock_attach_detach),
	LT_CASE(pasid_mock_errors_unwind),
#ifdef CONFIG_X86
	LT_CASE(pasid_dma_each_own_domain),
	LT_CASE(pasid_detach_blocks),
	LT_CASE(pasid_replace),
	LT_CASE(pasid_other_device_isolated),
	LT_CASE(pasid_entries_read_back),
	LT_CASE(pasid_unmap_invalidates),
	LT_CASE(pasid_invalidations_read_back),
	LT_CASE(pasid_users_and_capability),
#endif
};

const struct lt_suite lt_pasid_suite = LT_SUITE("pasid", pasid_cases);
