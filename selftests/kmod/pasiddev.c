// SPDX-License-Identifier: GPL-2.0
/*
 * pasiddev_*: PASID-tagged DMA on the emulator.
 *
 * The vtd-pasid-* profiles run liommu's patched QEMU (qemu/README.md): the
 * edu devices have a PASID capability and can tag a transfer with a
 * PASID, and the VT-d unit translates a tagged request through the PASID
 * table entry that PASID names.  On every other VT-d profile the stock
 * edu has no PASID capability, and the first case checks that.
 *
 * The driver builds PASID tables only for RID_PASID (PASID 0) until PASID
 * attach exists, so these cases build the rest for the test: a PASID
 * directory of their own, sized for 20-bit PASIDs, holding the driver's
 * own RID_PASID entry and copies of the entry the driver built for a
 * second domain, swapped into edu's live context entry with the driver's
 * entry writer and undone afterwards.  What arrives where then shows which
 * entry each request walked.
 */
#include <linux/bitfield.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/string.h>
#include <asm/cacheflush.h>

#include <liommu/driver.h>
#include <liommu/vtd.h>
#include "../../intel/qi.h"
#include "../../intel/tables.h"
#include "edu.h"
#include "selftest.h"

#define IOVA		0x100000UL
#define IOVA_UNMAPPED	0x500000UL
#define LEN		128
/* A 20-bit directory: 2^14 entries of 8 bytes, PDTS 7. */
#define PDTS_20BIT	7
#define DIR_ORDER	5
#define MAX_TABLES	8

/* QEMU's fault reasons for a PASID directory or table entry not present. */
#define FR_PASID_DIR_NOT_PRESENT	0x51
#define FR_PASID_TABLE_ENTRY_INVALID	0x5b

struct pd {
	struct lt_edu edu;
	u8 bus, devfn;
	struct liommu_domain *a, *b;	/* RID_PASID's domain; PASID N's */
	struct page *pg[2];		/* @a maps IOVA to pg[0], @b to pg[1] */
	u8 *mem[2];
	__le64 entry_a[LIOMMU_VTD_PASID_WORDS], entry_b[LIOMMU_VTD_PASID_WORDS];
	__le64 *live_ctx;		/* edu's context entry */
	__le64 old_ctx[LIOMMU_VTD_SM_CTX_WORDS];
	bool swapped;
	__le64 *dir;
	__le64 *tables[MAX_TABLES];
	unsigned int nr_tables;
};

static bool pasid_profile(struct lt_ctx *t)
{
	if (!lt_stated(t, lt_expect.edu_pasid_bits, "edu_pasid_bits"))
		return false;
	if (!lt_expect.edu_pasid_bits) {
		lt_skip(t, "the profile's edu has no PASID capability (stock QEMU)");
		return false;
	}
	return true;
}

static bool first_stage(void)
{
	return lt_expect.scalable == 1 && lt_expect.second_stage == 0;
}

static void drain_faults(void)
{
	liommu_vtd_read_faults(0, NULL, 0);
}

/* Drop every cached context entry and translation of the unit. */
static int flush_all(void)
{
	u64 d[2][LIOMMU_VTD_QI_MAX_WORDS] = {
		{ FIELD_PREP(LIOMMU_VTD_QI_0_TYPE_LO, LIOMMU_VTD_QI_TYPE_CC) |
		  FIELD_PREP(LIOMMU_VTD_QI_CC_0_G, LIOMMU_VTD_QI_CC_G_GLOBAL) },
		{ FIELD_PREP(LIOMMU_VTD_QI_0_TYPE_LO, LIOMMU_VTD_QI_TYPE_IOTLB) |
		  FIELD_PREP(LIOMMU_VTD_QI_IOTLB_0_G,
			     LIOMMU_VTD_QI_IOTLB_G_GLOBAL) },
	};

	return liommu_vtd_qi_submit(0, &d[0][0], 2);
}

/* The live entry the driver built for @dom attached to edu, copied. */
static bool capture_entry(struct lt_ctx *t, struct pd *x,
			  struct liommu_domain *dom, __le64 *out)
{
	struct liommu_vtd_dev_entries e;
	unsigned int i;

	if (!lt_expect_eq(t, liommu_attach_device(dom, &x->edu.pdev->dev), 0,
			  "attach"))
		return false;
	if (!lt_expect_eq(t, liommu_vtd_read_dev_entries(0, x->bus, x->devfn, &e),
			  0, "read edu's entries"))
		return false;
	if (!lt_expect_true(t, e.scalable && (e.pasid[0] & LIOMMU_VTD_PASID_0_P),
			    "scalable mode, RID_PASID entry present"))
		return false;
	for (i = 0; i < LIOMMU_VTD_PASID_WORDS; i++)
		out[i] = cpu_to_le64(e.pasid[i]);
	if (x->devfn >= LIOMMU_VTD_SM_ROOT_DEVFNS) {
		lt_fail(t, "edu at devfn %#x: upper context table not handled",
			x->devfn);
		return false;
	}
	x->live_ctx = (__le64 *)phys_to_virt(e.root[0] &
					     LIOMMU_VTD_SM_ROOT_0_LCTP) +
		      x->devfn * LIOMMU_VTD_SM_CTX_WORDS;
	for (i = 0; i < LIOMMU_VTD_SM_CTX_WORDS; i++) {
		x->old_ctx[i] = READ_ONCE(x->live_ctx[i]);
		if (le64_to_cpu(x->old_ctx[i]) != e.context[i]) {
			lt_fail(t, "context entry found at the wrong place");
			return false;
		}
	}
	return true;
}

static bool pd_map(struct lt_ctx *t, struct liommu_domain *dom,
		   struct page *pg)
{
	return lt_expect_eq(t, liommu_map(dom, IOVA, page_to_phys(pg),
					  PAGE_SIZE, LIOMMU_READ | LIOMMU_WRITE,
					  GFP_KERNEL), 0, "map");
}

/*
 * Edu 0 open with PASID Enable on; domain @a attached (RID_PASID's) and
 * @b's entry captured, each mapping IOVA to a page of its own.
 */
static bool pd_setup(struct lt_ctx *t, struct pd *x)
{
	unsigned int i;
	int err;

	memset(x, 0, sizeof(*x));
	err = lt_parse_bdf(lt_expect.edu, 0, &x->bus, &x->devfn);
	if (err) {
		lt_fail(t, "no edu in the profile: %d", err);
		return false;
	}
	err = lt_edu_open(x->bus, x->devfn, &x->edu);
	if (err) {
		lt_fail(t, "edu: open: %d", err);
		return false;
	}
	if (!lt_expect_eq(t, lt_edu_pasid_enable(&x->edu, true), 1,
			  "PASID Enable"))
		return false;
	for (i = 0; i < 2; i++) {
		x->pg[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!x->pg[i]) {
			lt_fail(t, "no memory");
			return false;
		}
		x->mem[i] = page_address(x->pg[i]);
	}
	x->a = liommu_paging_domain_alloc(&x->edu.pdev->dev);
	x->b = liommu_paging_domain_alloc(&x->edu.pdev->dev);
	if (IS_ERR(x->a) || IS_ERR(x->b)) {
		lt_fail(t, "paging domains: %ld %ld", PTR_ERR(x->a),
			PTR_ERR(x->b));
		return false;
	}
	if (!pd_map(t, x->a, x->pg[0]) || !pd_map(t, x->b, x->pg[1]))
		return false;
	if (!capture_entry(t, x, x->b, x->entry_b))
		return false;
	liommu_detach_device(x->b, &x->edu.pdev->dev);
	if (!capture_entry(t, x, x->a, x->entry_a))
		return false;
	x->dir = (__le64 *)__get_free_pages(GFP_KERNEL | __GFP_ZERO, DIR_ORDER);
	if (!x->dir) {
		lt_fail(t, "no memory for a PASID directory");
		return false;
	}
	drain_faults();
	return true;
}

/* The PASID table of @pasid's directory entry, made present if need be. */
static __le64 *pd_table(struct lt_ctx *t, struct pd *x, u32 pasid)
{
	__le64 *de = &x->dir[LIOMMU_VTD_PDIR_INDEX(pasid)];
	__le64 *table;
	u64 v = le64_to_cpu(READ_ONCE(*de));

	if (v & LIOMMU_VTD_PDIR_0_P)
		return phys_to_virt(v & LIOMMU_VTD_PDIR_0_SMPTBLPTR);
	if (x->nr_tables == MAX_TABLES) {
		lt_fail(t, "too many PASID tables for the test");
		return NULL;
	}
	table = (__le64 *)get_zeroed_page(GFP_KERNEL);
	if (!table) {
		lt_fail(t, "no memory for a PASID table");
		return NULL;
	}
	x->tables[x->nr_tables++] = table;
	clflush_cache_range(table, PAGE_SIZE);
	WRITE_ONCE(*de, cpu_to_le64(LIOMMU_VTD_PDIR_0_P |
				    (virt_to_phys(table) &
				     LIOMMU_VTD_PDIR_0_SMPTBLPTR)));
	clflush_cache_range(de, sizeof(*de));
	return table;
}

/* Give @pasid @entry (or a present table with @pasid not present: NULL). */
static bool pd_set(struct lt_ctx *t, struct pd *x, u32 pasid,
		   const __le64 *entry)
{
	__le64 *table = pd_table(t, x, pasid), *pe;
	unsigned int i;

	if (!table)
		return false;
	pe = table + LIOMMU_VTD_PASID_INDEX(pasid) * LIOMMU_VTD_PASID_WORDS;
	for (i = 0; i < LIOMMU_VTD_PASID_WORDS; i++)
		WRITE_ONCE(pe[i], entry ? entry[i] : 0);
	clflush_cache_range(pe, LIOMMU_VTD_PASID_WORDS * sizeof(*pe));
	return lt_expect_eq(t, flush_all(), 0, "invalidate after a PASID entry");
}

/*
 * Point edu's context entry at the test's directory: the driver's entry
 * with another PASIDDIRPTR and a 20-bit directory size, RID_PASID kept.
 */
static bool pd_swap_in(struct lt_ctx *t, struct pd *x)
{
	__le64 ctx[LIOMMU_VTD_SM_CTX_WORDS];
	u64 c0 = le64_to_cpu(x->old_ctx[0]);
	u32 rid_pasid = FIELD_GET(LIOMMU_VTD_SM_CTX_1_RID_PASID,
				  le64_to_cpu(x->old_ctx[1]));

	if (!pd_set(t, x, rid_pasid, x->entry_a))
		return false;
	memcpy(ctx, x->old_ctx, sizeof(ctx));
	c0 &= ~(LIOMMU_VTD_SM_CTX_0_PASIDDIRPTR | LIOMMU_VTD_SM_CTX_0_PDTS);
	c0 |= FIELD_PREP(LIOMMU_VTD_SM_CTX_0_PDTS, PDTS_20BIT) |
	      (virt_to_phys(x->dir) & LIOMMU_VTD_SM_CTX_0_PASIDDIRPTR);
	ctx[0] = cpu_to_le64(c0);
	clflush_cache_range(x->dir, PAGE_SIZE << DIR_ORDER);
	liommu_vtd_test_entry_clear(0, x->live_ctx, LIOMMU_VTD_SM_CTX_WORDS);
	x->swapped = true;
	if (!lt_expect_eq(t, flush_all(), 0, "invalidate"))
		return false;
	if (!lt_expect_eq(t, liommu_vtd_test_entry_write(0, x->live_ctx, ctx,
					LIOMMU_VTD_SM_CTX_WORDS), 0,
			  "context entry with the test's PASID directory"))
		return false;
	return lt_expect_eq(t, flush_all(), 0, "invalidate");
}

static void pd_teardown(struct pd *x)
{
	unsigned int i;

	if (x->swapped) {
		liommu_vtd_test_entry_clear(0, x->live_ctx,
					    LIOMMU_VTD_SM_CTX_WORDS);
		flush_all();
		liommu_vtd_test_entry_write(0, x->live_ctx, x->old_ctx,
					    LIOMMU_VTD_SM_CTX_WORDS);
		flush_all();
	}
	for (i = 0; i < x->nr_tables; i++)
		free_page((unsigned long)x->tables[i]);
	if (x->dir)
		free_pages((unsigned long)x->dir, DIR_ORDER);
	if (x->edu.pdev) {
		struct liommu_domain *cur;

		cur = liommu_get_domain_for_dev(&x->edu.pdev->dev);
		if (cur && (cur == x->a || cur == x->b))
			liommu_detach_device(cur, &x->edu.pdev->dev);
	}
	if (!IS_ERR_OR_NULL(x->a))
		liommu_domain_free(x->a);
	if (!IS_ERR_OR_NULL(x->b))
		liommu_domain_free(x->b);
	lt_edu_close(&x->edu);
	for (i = 0; i < 2; i++)
		if (x->pg[i])
			__free_page(x->pg[i]);
	drain_faults();
}

/* Fill edu's buffer with @pattern, from RAM, untranslated by the test. */
static bool load_buffer(struct lt_ctx *t, struct pd *x, u8 pattern)
{
	memset(x->mem[0], pattern, LEN);
	return lt_expect_eq(t, lt_edu_dma_from_ram(&x->edu, IOVA, 0, LEN), 0,
			    "DMA into edu's buffer through RID_PASID") &&
	       lt_expect_eq(t, lt_edu_dma_error(&x->edu), 0,
			    "that DMA completed");
}

static bool all_bytes(const u8 *p, u8 v, size_t n)
{
	while (n--)
		if (*p++ != v)
			return false;
	return true;
}

static void check_fault(struct lt_ctx *t, struct pd *x, u8 reason,
			u32 pasid, u64 iova)
{
	struct liommu_vtd_fault f[LIOMMU_VTD_FAULT_LOG];
	int n = liommu_vtd_read_faults(0, f, ARRAY_SIZE(f));

	if (!lt_expect_true(t, n >= 1, "a fault was recorded"))
		return;
	lt_expect_eq(t, f[n - 1].sid, PCI_DEVID(x->bus, x->devfn),
		     "fault source id");
	lt_expect_eq(t, f[n - 1].reason, reason, "fault reason");
	lt_expect_true(t, f[n - 1].pasid_present, "fault record: PASID present");
	lt_expect_eq(t, f[n - 1].pasid, pasid, "fault record: the whole PASID");
	if (iova != U64_MAX)
		lt_expect_eq(t, f[n - 1].addr, iova, "fault address");
}

/* edu's PASID capability, as the profile states it. */
static void pasiddev_capability(struct lt_ctx *t)
{
	unsigned int n;
	u8 bus, devfn;

	if (!lt_stated(t, lt_expect.edu_pasid_bits, "edu_pasid_bits"))
		return;
	for (n = 0; !lt_parse_bdf(lt_expect.edu, n, &bus, &devfn); n++) {
		struct lt_edu edu;
		int width;

		if (!lt_expect_eq(t, lt_edu_open(bus, devfn, &edu), 0, "open edu"))
			return;
		width = lt_edu_pasid_width(&edu);
		if (!lt_expect_eq(t, width, lt_expect.edu_pasid_bits ?
				  lt_expect.edu_pasid_bits : -ENODEV,
				  "PASID capability width (-ENODEV: none)")) {
			lt_edu_close(&edu);
			return;
		}
		if (lt_expect.edu_pasid_bits) {
			lt_expect_true(t, pci_is_pcie(edu.pdev), "edu is PCIe");
			lt_expect_eq(t, edu.pdev->cfg_size, PCI_CFG_SPACE_EXP_SIZE,
				     "extended config space");
			lt_expect_eq(t, pci_pcie_type(edu.pdev),
				     PCI_EXP_TYPE_RC_END,
				     "a root-complex integrated endpoint");
		} else {
			lt_expect_true(t, !pci_is_pcie(edu.pdev),
				       "stock edu is conventional PCI");
		}
		lt_edu_close(&edu);
	}
	lt_expect_eq(t, n, 2, "edu devices");
}

/* PASID Enable sticks, and clears again. */
static void pasiddev_enable(struct lt_ctx *t)
{
	struct lt_edu edu;
	u8 bus, devfn;

	if (!pasid_profile(t) || lt_parse_bdf(lt_expect.edu, 0, &bus, &devfn))
		return;
	if (!lt_expect_eq(t, lt_edu_open(bus, devfn, &edu), 0, "open edu"))
		return;
	lt_expect_eq(t, lt_edu_pasid_enable(&edu, true), 1, "enable reads 1");
	lt_expect_eq(t, lt_edu_pasid_enable(&edu, true), 1, "still 1");
	lt_expect_eq(t, lt_edu_pasid_enable(&edu, false), 0, "disable reads 0");
	lt_edu_close(&edu);
}

/*
 * A transfer tagged with PASID N walks entry N: the same IOVA lands in
 * domain b's page for N and in domain a's page untagged (RID_PASID).
 */
static void pasiddev_dma_walks_entry_n(struct lt_ctx *t)
{
	static const u32 pasids[] = { 1, 2, 0x40, 0x12345, 0xfffff };
	struct pd x;
	unsigned int i;

	if (!pasid_profile(t))
		return;
	if (!pd_setup(t, &x) || !pd_swap_in(t, &x))
		goto out;
	for (i = 0; i < ARRAY_SIZE(pasids); i++) {
		u8 tag = 0x30 + i;

		if (!pd_set(t, &x, pasids[i], x.entry_b) ||
		    !load_buffer(t, &x, tag))
			goto out;
		memset(x.mem[1], 0, LEN);
		if (!lt_expect_eq(t, lt_edu_pasid_dma_to_ram(&x.edu, pasids[i],
							     IOVA, 0, LEN), 0,
				  "PASID DMA"))
			goto out;
		lt_info(t, "PASID %#x: edu status %#x", pasids[i],
			lt_edu_dma_error(&x.edu));
		lt_expect_eq(t, lt_edu_dma_error(&x.edu), 0,
			     "tagged DMA completed");
		lt_expect_true(t, all_bytes(x.mem[1], tag, LEN),
			       "data arrived in PASID N's page (entry N)");
		lt_expect_true(t, all_bytes(x.mem[0], tag, LEN),
			       "RID_PASID's page unchanged");
		lt_expect_eq(t, liommu_vtd_read_faults(0, NULL, 0), 0,
			     "no fault");
	}
	/* Reads are tagged too: edu fetches from PASID N's page. */
	memset(x.mem[1], 0x5a, LEN);
	memset(x.mem[0], 0xa5, LEN);
	if (lt_expect_eq(t, lt_edu_pasid_dma_from_ram(&x.edu, 0x12345, IOVA,
						      0, LEN), 0, "PASID read") &&
	    lt_expect_eq(t, lt_edu_dma_to_ram(&x.edu, IOVA, 0, LEN), 0,
			 "untagged write back")) {
		lt_expect_true(t, all_bytes(x.mem[0], 0x5a, LEN),
			       "the tagged read came from PASID N's page");
	}
out:
	pd_teardown(&x);
}

/*
 * A PASID whose table entry (or directory entry) is not present faults
 * and moves nothing; the fault record carries the whole 20-bit PASID.
 */
static void pasiddev_not_present_faults(struct lt_ctx *t)
{
	struct pd x;

	if (!pasid_profile(t))
		return;
	if (!pd_setup(t, &x) || !pd_swap_in(t, &x))
		goto out;
	/* PASID 0x12345 present: its table exists, 0x12346 is not present. */
	if (!pd_set(t, &x, 0x12345, x.entry_b) || !load_buffer(t, &x, 0x77))
		goto out;
	memset(x.mem[1], 0, LEN);
	drain_faults();
	lt_expect_eq(t, lt_edu_pasid_dma_to_ram(&x.edu, 0x12346, IOVA, 0, LEN),
		     0, "PASID DMA");
	lt_expect_true(t, lt_edu_dma_error(&x.edu) & LT_EDU_DMA_ERR_MEMTX,
		       "edu saw the transaction fail");
	lt_expect_true(t, all_bytes(x.mem[1], 0, LEN) &&
			  all_bytes(x.mem[0], 0x77, LEN), "nothing written");
	check_fault(t, &x, FR_PASID_TABLE_ENTRY_INVALID, 0x12346, U64_MAX);

	/* No directory entry at all for PASID 0xabcde. */
	drain_faults();
	lt_expect_eq(t, lt_edu_pasid_dma_to_ram(&x.edu, 0xabcde, IOVA, 0, LEN),
		     0, "PASID DMA");
	lt_expect_true(t, lt_edu_dma_error(&x.edu) & LT_EDU_DMA_ERR_MEMTX,
		       "edu saw the transaction fail");
	lt_expect_true(t, all_bytes(x.mem[1], 0, LEN), "nothing written");
	check_fault(t, &x, FR_PASID_DIR_NOT_PRESENT, 0xabcde, U64_MAX);
out:
	pd_teardown(&x);
}

/* A translation fault of PASID N's table names N, all 20 bits of it. */
static void pasiddev_translation_fault(struct lt_ctx *t)
{
	struct pd x;

	if (!pasid_profile(t))
		return;
	if (!pd_setup(t, &x) || !pd_swap_in(t, &x))
		goto out;
	if (!pd_set(t, &x, 0xfedcb, x.entry_b) || !load_buffer(t, &x, 0x66))
		goto out;
	drain_faults();
	lt_expect_eq(t, lt_edu_pasid_dma_to_ram(&x.edu, 0xfedcb, IOVA_UNMAPPED,
						0, LEN), 0, "PASID DMA");
	lt_expect_true(t, lt_edu_dma_error(&x.edu) & LT_EDU_DMA_ERR_MEMTX,
		       "edu saw the transaction fail");
	check_fault(t, &x, first_stage() ? LIOMMU_VTD_FR_FS_NOT_PRESENT :
					   LIOMMU_VTD_FR_WRITE,
		    0xfedcb, IOVA_UNMAPPED);
out:
	pd_teardown(&x);
}

/*
 * The device refuses to tag a transfer with PASID Enable off, with a
 * PASID wider than its capability, or with bus mastering off: nothing
 * moves and the unit sees no request.
 */
static void pasiddev_refused(struct lt_ctx *t)
{
	struct pd x;

	if (!pasid_profile(t))
		return;
	if (!pd_setup(t, &x) || !pd_swap_in(t, &x))
		goto out;
	if (!pd_set(t, &x, 1, x.entry_b) || !load_buffer(t, &x, 0x44))
		goto out;
	memset(x.mem[1], 0, LEN);
	drain_faults();

	lt_edu_pasid_enable(&x.edu, false);
	lt_expect_eq(t, lt_edu_pasid_dma_to_ram(&x.edu, 1, IOVA, 0, LEN), 0,
		     "DMA started");
	lt_expect_eq(t, lt_edu_dma_error(&x.edu), LT_EDU_DMA_ERR_PASID_OFF,
		     "refused: PASID Enable off");
	lt_edu_pasid_enable(&x.edu, true);

	lt_expect_eq(t, lt_edu_pasid_dma_to_ram(&x.edu, BIT(20) | 1, IOVA, 0,
						LEN), 0, "DMA started");
	lt_expect_eq(t, lt_edu_dma_error(&x.edu), LT_EDU_DMA_ERR_WIDTH,
		     "refused: PASID beyond the capability's width");

	pci_clear_master(x.edu.pdev);
	lt_expect_eq(t, lt_edu_pasid_dma_to_ram(&x.edu, 1, IOVA, 0, LEN), 0,
		     "DMA started");
	lt_expect_eq(t, lt_edu_dma_error(&x.edu), LT_EDU_DMA_ERR_MASTER,
		     "refused: bus mastering off");
	pci_set_master(x.edu.pdev);

	lt_expect_true(t, all_bytes(x.mem[1], 0, LEN), "nothing written");
	lt_expect_eq(t, liommu_vtd_read_faults(0, NULL, 0), 0,
		     "the unit saw no request");
	/* And the same transfer, allowed, goes through. */
	lt_expect_eq(t, lt_edu_pasid_dma_to_ram(&x.edu, 1, IOVA, 0, LEN), 0,
		     "PASID DMA");
	lt_expect_eq(t, lt_edu_dma_error(&x.edu), 0, "completed");
	lt_expect_true(t, all_bytes(x.mem[1], 0x44, LEN), "data arrived");
out:
	pd_teardown(&x);
}

static const struct lt_case pasiddev_cases[] = {
	LT_CASE(pasiddev_capability),
	LT_CASE(pasiddev_enable),
	LT_CASE(pasiddev_dma_walks_entry_n),
	LT_CASE(pasiddev_not_present_faults),
	LT_CASE(pasiddev_translation_fault),
	LT_CASE(pasiddev_refused),
};

const struct lt_suite lt_pasiddev_suite = LT_SUITE("pasiddev", pasiddev_cases);
