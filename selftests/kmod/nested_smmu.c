// SPDX-License-Identifier: GPL-2.0
/*
 * nested_smmu_*: SMMUv3 nested domains with real edu DMA (smmu-nested:
 * QEMU's SMMU does stage 1 over stage 2).
 *
 * Each case plays a guest: it builds a stage-1 world in pages that the
 * parent (a NEST_PARENT stage-2 domain) maps at IPAs: a CD (ASID 0x77,
 * TTB0 at an IPA), four levels of AArch64 stage-1 tables whose
 * descriptors hold IPAs, and data pages.  The user STE names the CD by
 * its IPA.  The descriptors are written here from the architecture, not
 * by the driver's walker.  DMA at a VA then goes VA -> IPA (the guest's
 * tables) -> PA (the parent).  On smmu-s1 (no stage 2) nesting is
 * refused and the DMA cases are skipped.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include <liommu/liommu.h>
#include <liommu/smmu.h>
#include "../../arm-smmu-v3/cd.h"
#include "../../arm-smmu-v3/cmdq.h"
#include "../../arm-smmu-v3/ste.h"
#include "edu.h"
#include "selftest.h"

#define NS_IPA_BASE	0x80000000ULL	/* the guest's pages, 4 KiB apart */
#define NS_IPA_HOLE	(NS_IPA_BASE + SZ_1M)	/* never mapped by the parent */
#define NS_VA_SRC	0x10000UL
#define NS_VA_DST	0x11000UL
#define NS_VA_HOLE	0x12000UL	/* not mapped by stage 1 */
#define NS_VA_S2HOLE	0x13000UL	/* stage 1 -> NS_IPA_HOLE */
#define NS_VA_RO	0x14000UL	/* stage 1 read-only -> the destination */
#define NS_ASID		0x77
#define NS_OFF		256
#define NS_LEN		64
#define NS_CANARY	0xee

/* AArch64 stage-1 descriptors (4 KiB granule): the architecture's bits. */
#define S1_VALID	BIT_ULL(0)
#define S1_TABLE	BIT_ULL(1)	/* table (levels 0-2) or page (level 3) */
#define S1_AP_EL0	BIT_ULL(6)	/* AP[1]: unprivileged access */
#define S1_AP_RO	BIT_ULL(7)	/* AP[2]: read-only */
#define S1_SH_INNER	(3ULL << 8)
#define S1_AF		BIT_ULL(10)
#define S1_NG		BIT_ULL(11)
#define S1_ADDR		GENMASK_ULL(47, 12)

enum { P_CD, P_L0, P_L1, P_L2, P_L3, P_SRC, P_DST, P_ALT, NP };

struct ns {
	struct lt_edu edu;
	struct device *dev;
	u32 sid;
	bool open;
	struct liommu_domain *parent;
	struct liommu_domain *nested;
	struct page *pg[NP];
	u64 ipa[NP];
	struct liommu_hwpt_arm_smmuv3 arg;
};

static struct liommu_smmu_event ev[64];

static __le64 *ns_tab(struct ns *x, unsigned int i)
{
	return page_address(x->pg[i]);
}

static u64 s1_leaf(u64 ipa, bool ro)
{
	return S1_VALID | S1_TABLE | S1_AP_EL0 | (ro ? S1_AP_RO : 0) |
	       S1_SH_INNER | S1_AF | S1_NG | (ipa & S1_ADDR);
}

static void ns_set_leaf(struct ns *x, unsigned long va, u64 ipa, bool ro)
{
	WRITE_ONCE(ns_tab(x, P_L3)[(va >> 12) & 511],
		   cpu_to_le64(s1_leaf(ipa, ro)));
	dma_wmb();
}

/* IPS for the profile's output size (the CD field's encoding). */
static unsigned int ips_of(int oas)
{
	static const int sizes[] = { 32, 36, 40, 42, 44, 48, 52 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		if (sizes[i] == oas)
			return i;
	return 4;
}

/* The guest's world: CD, tables, data pages, all at IPAs the parent maps. */
static void ns_build(struct ns *x)
{
	__le64 *cd = ns_tab(x, P_CD);
	u64 c0;

	c0 = FIELD_PREP(LIOMMU_SMMU_CD_0_T0SZ, 16) |
	     FIELD_PREP(LIOMMU_SMMU_CD_0_TG0, LIOMMU_SMMU_CD_0_TG0_4K) |
	     FIELD_PREP(LIOMMU_SMMU_CD_0_IRGN0, LIOMMU_SMMU_CD_0_RGN_WBWA) |
	     FIELD_PREP(LIOMMU_SMMU_CD_0_ORGN0, LIOMMU_SMMU_CD_0_RGN_WBWA) |
	     FIELD_PREP(LIOMMU_SMMU_CD_0_SH0, LIOMMU_SMMU_CD_0_SH_ISH) |
	     LIOMMU_SMMU_CD_0_EPD1 | LIOMMU_SMMU_CD_0_V |
	     FIELD_PREP(LIOMMU_SMMU_CD_0_IPS, ips_of(lt_expect.oas)) |
	     LIOMMU_SMMU_CD_0_AA64 | LIOMMU_SMMU_CD_0_R | LIOMMU_SMMU_CD_0_A |
	     FIELD_PREP(LIOMMU_SMMU_CD_0_ASID, NS_ASID);
	cd[1] = cpu_to_le64(x->ipa[P_L0] & LIOMMU_SMMU_CD_1_TTB0);
	cd[3] = cpu_to_le64(LIOMMU_SMMU_MAIR_SLOT(0, LIOMMU_SMMU_MAIR_ATTR_WB));
	cd[0] = cpu_to_le64(c0);
	/* Every VA here is below 2 MiB: index 0 at levels 0 to 2. */
	ns_tab(x, P_L0)[0] = cpu_to_le64(S1_VALID | S1_TABLE | x->ipa[P_L1]);
	ns_tab(x, P_L1)[0] = cpu_to_le64(S1_VALID | S1_TABLE | x->ipa[P_L2]);
	ns_tab(x, P_L2)[0] = cpu_to_le64(S1_VALID | S1_TABLE | x->ipa[P_L3]);
	ns_set_leaf(x, NS_VA_SRC, x->ipa[P_SRC], false);
	ns_set_leaf(x, NS_VA_DST, x->ipa[P_DST], false);
	ns_set_leaf(x, NS_VA_S2HOLE, NS_IPA_HOLE, false);
	ns_set_leaf(x, NS_VA_RO, x->ipa[P_DST], true);
	memset(page_address(x->pg[P_DST]), NS_CANARY, PAGE_SIZE);
	memset(page_address(x->pg[P_ALT]), 0xa5, PAGE_SIZE);
	{
		u8 *s = page_address(x->pg[P_SRC]);
		unsigned int i;

		for (i = 0; i < PAGE_SIZE; i++)
			s[i] = i * 13 + 1;
	}
	x->arg.ste[0] = cpu_to_le64(LIOMMU_SMMU_STE_0_V |
			FIELD_PREP(LIOMMU_SMMU_STE_0_CONFIG,
				   LIOMMU_SMMU_STE_0_CONFIG_S1_TRANS) |
			(x->ipa[P_CD] & LIOMMU_SMMU_STE_0_S1CONTEXTPTR));
	x->arg.ste[1] = cpu_to_le64(
			FIELD_PREP(LIOMMU_SMMU_STE_1_S1CIR, LIOMMU_SMMU_STE_1_S1C_WBWA) |
			FIELD_PREP(LIOMMU_SMMU_STE_1_S1COR, LIOMMU_SMMU_STE_1_S1C_WBWA) |
			FIELD_PREP(LIOMMU_SMMU_STE_1_S1CSH, LIOMMU_SMMU_STE_1_S1CSH_ISH));
}

static struct liommu_domain *ns_alloc(struct ns *x,
				      const struct liommu_hwpt_arm_smmuv3 *arg)
{
	struct liommu_user_data ud = {
		.type = LIOMMU_HWPT_DATA_ARM_SMMUV3, .data = arg,
		.len = sizeof(*arg),
	};

	return liommu_nested_domain_alloc(x->dev, x->parent, &ud);
}

static void ns_close(struct ns *x)
{
	struct liommu_domain *cur;
	unsigned int i;

	if (x->dev) {
		cur = liommu_get_domain_for_dev(x->dev);
		if (cur && (cur == x->nested || cur == x->parent))
			liommu_detach_device(cur, x->dev);
	}
	if (!IS_ERR_OR_NULL(x->nested))
		liommu_domain_free(x->nested);
	if (!IS_ERR_OR_NULL(x->parent))
		liommu_domain_free(x->parent);
	for (i = 0; i < NP; i++)
		if (x->pg[i])
			__free_page(x->pg[i]);
	if (x->open)
		lt_edu_close(&x->edu);
	liommu_smmu_read_events(0, NULL, 0);
}

/*
 * Open edu 0, a parent mapping the guest's pages, the world; with
 * @attach, the nested domain attached.  False: the case is over (failed
 * or skipped on an SMMU without stage 2).
 */
static bool ns_open(struct lt_ctx *t, struct ns *x, bool attach)
{
	unsigned int i;
	u8 bus, devfn;
	int err;

	memset(x, 0, sizeof(*x));
	if (!lt_stated(t, lt_expect.s2, "s2") ||
	    !lt_stated(t, lt_expect.oas, "oas"))
		return false;
	if (!lt_expect.s2) {
		lt_skip(t, "no stage 2 on this SMMU (virt-9.1): no nesting");
		return false;
	}
	err = lt_parse_bdf(lt_expect.edu, 0, &bus, &devfn);
	if (!err)
		err = lt_edu_open(bus, devfn, &x->edu);
	if (err) {
		lt_fail(t, "edu 0 cannot be opened: %d", err);
		return false;
	}
	x->open = true;
	x->dev = &x->edu.pdev->dev;
	if (liommu_smmu_rid_to_sid(pci_domain_nr(x->edu.pdev->bus),
				   pci_dev_id(x->edu.pdev), NULL, &x->sid)) {
		lt_fail(t, "no StreamID");
		return false;
	}
	x->parent = liommu_user_domain_alloc(x->dev,
					     LIOMMU_HWPT_ALLOC_NEST_PARENT);
	if (IS_ERR(x->parent)) {
		lt_fail(t, "NEST_PARENT domain: %ld", PTR_ERR(x->parent));
		return false;
	}
	for (i = 0; i < NP; i++) {
		x->pg[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		x->ipa[i] = NS_IPA_BASE + i * SZ_4K;
		if (!x->pg[i] ||
		    liommu_map(x->parent, x->ipa[i], page_to_phys(x->pg[i]),
			       SZ_4K, LIOMMU_READ | LIOMMU_WRITE, GFP_KERNEL)) {
			lt_fail(t, "guest page %u", i);
			return false;
		}
	}
	ns_build(x);
	if (!attach)
		return true;
	x->nested = ns_alloc(x, &x->arg);
	if (IS_ERR(x->nested)) {
		lt_fail(t, "nested domain: %ld", PTR_ERR(x->nested));
		return false;
	}
	liommu_smmu_read_events(0, NULL, 0);
	return lt_expect_eq(t, liommu_attach_device(x->nested, x->dev), 0,
			    "attach the nested domain");
}

static bool dst_is(struct ns *x, unsigned int off, const u8 *want,
		   unsigned int len)
{
	return !memcmp((u8 *)page_address(x->pg[P_DST]) + off, want, len);
}

/* The first event, and that every event of the drain is like it. */
static int ns_events(struct lt_ctx *t, u8 id)
{
	int n = liommu_smmu_read_events(0, ev, ARRAY_SIZE(ev)), i, bad = 0;

	for (i = 0; i < n; i++)
		bad += ev[i].id != id;
	lt_info(t, "%d events, first id %#x raw %#llx %#llx %#llx %#llx", n,
		n ? ev[0].id : 0, n ? ev[0].raw[0] : 0, n ? ev[0].raw[1] : 0,
		n ? ev[0].raw[2] : 0, n ? ev[0].raw[3] : 0);
	lt_expect_true(t, n > 0 && !bad, "the fault reported, all of one kind");
	return n;
}

/* VA -> IPA -> PA, both ways. */
static void nested_smmu_dma_both_ways(struct lt_ctx *t)
{
	struct ns x;

	if (!ns_open(t, &x, true))
		goto out;
	lt_expect_eq(t, lt_edu_dma_from_ram(&x.edu, NS_VA_SRC + NS_OFF, 0,
					    NS_LEN), 0, "DMA RAM -> edu at a VA");
	lt_expect_eq(t, lt_edu_dma_to_ram(&x.edu, NS_VA_DST + NS_OFF, 0,
					  NS_LEN), 0, "DMA edu -> RAM at a VA");
	lt_expect_true(t, dst_is(&x, NS_OFF, (u8 *)page_address(x.pg[P_SRC]) +
				 NS_OFF, NS_LEN),
		       "the data went through both stages");
	lt_expect_eq(t, liommu_smmu_read_events(0, NULL, 0), 0, "no event");
out:
	ns_close(&x);
}

/* A VA the guest's table doesn't map: a stage-1 fault. */
static void nested_smmu_stage1_fault(struct lt_ctx *t)
{
	struct ns x;

	if (!ns_open(t, &x, true))
		goto out;
	lt_edu_dma_to_ram(&x.edu, NS_VA_HOLE + NS_OFF, 0, NS_LEN);
	if (ns_events(t, LIOMMU_SMMU_EVT_0_ID_F_TRANSLATION)) {
		lt_expect_eq(t, ev[0].sid, x.sid, "the edu's StreamID");
		lt_expect_eq(t, ev[0].addr & ~0xfffULL, NS_VA_HOLE, "the VA");
		lt_expect_true(t, !(ev[0].raw[1] & LIOMMU_SMMU_EVT_1_S2),
			       "a stage-1 fault (S2 clear)");
	}
	/* A write through a read-only stage-1 leaf: F_PERMISSION, stage 1. */
	lt_edu_dma_from_ram(&x.edu, NS_VA_SRC, 0, NS_LEN);
	lt_edu_dma_to_ram(&x.edu, NS_VA_RO + NS_OFF, 0, NS_LEN);
	if (ns_events(t, LIOMMU_SMMU_EVT_0_ID_F_PERMISSION))
		lt_expect_true(t, !(ev[0].raw[1] & LIOMMU_SMMU_EVT_1_S2),
			       "permission fault of stage 1");
	lt_expect_true(t, !memchr_inv((u8 *)page_address(x.pg[P_DST]),
				      NS_CANARY, PAGE_SIZE),
		       "nothing written");
out:
	ns_close(&x);
}

/* An IPA the parent doesn't map: a stage-2 fault naming the IPA. */
static void nested_smmu_stage2_fault(struct lt_ctx *t)
{
	struct ns x;

	if (!ns_open(t, &x, true))
		goto out;
	lt_edu_dma_to_ram(&x.edu, NS_VA_S2HOLE + NS_OFF, 0, NS_LEN);
	if (ns_events(t, LIOMMU_SMMU_EVT_0_ID_F_TRANSLATION)) {
		lt_expect_true(t, ev[0].raw[1] & LIOMMU_SMMU_EVT_1_S2,
			       "a stage-2 fault (S2 set)");
		lt_expect_eq(t, ev[0].raw[3] & GENMASK_ULL(51, 12), NS_IPA_HOLE,
			     "the event names the IPA");
	}
out:
	ns_close(&x);
}

static int ns_invalidate(struct ns *x, const u64 (*cmds)[2], u32 *num)
{
	struct liommu_hwpt_arm_smmuv3_invalidate inv[8];
	struct liommu_user_data_array a = {
		.type = LIOMMU_HWPT_INVALIDATE_DATA_ARM_SMMUV3,
		.entries = inv, .entry_len = sizeof(inv[0]),
		.entry_num = *num,
	};
	unsigned int i;
	int err;

	for (i = 0; i < *num && i < ARRAY_SIZE(inv); i++) {
		inv[i].cmd[0] = cpu_to_le64(cmds[i][0]);
		inv[i].cmd[1] = cpu_to_le64(cmds[i][1]);
	}
	err = liommu_cache_invalidate_user(x->nested, &a);
	*num = a.entry_num;
	return err;
}

static u64 op(u8 opcode)
{
	return FIELD_PREP(LIOMMU_SMMU_CMD_0_OPCODE, opcode);
}

/*
 * The guest moves a VA to another page without telling the SMMU: the
 * stale translation stays; its TLBI_NH_VA (with a VMID the driver must
 * replace by the parent's) makes the DMA see the new page.
 */
static void nested_smmu_stale_until_invalidate(struct lt_ctx *t)
{
	u64 tlbi[1][2] = {
		{ op(LIOMMU_SMMU_CMD_0_OPCODE_TLBI_NH_VA) |
		  FIELD_PREP(LIOMMU_SMMU_TLBI_0_ASID, NS_ASID) |
		  FIELD_PREP(LIOMMU_SMMU_TLBI_0_VMID, 0x3ff),
		  NS_VA_SRC & LIOMMU_SMMU_TLBI_1_ADDR },
	};
	u8 *alt, *src;
	u32 num = 1;
	struct ns x;

	if (!ns_open(t, &x, true))
		goto out;
	src = (u8 *)page_address(x.pg[P_SRC]) + NS_OFF;
	alt = (u8 *)page_address(x.pg[P_ALT]) + NS_OFF;
	lt_edu_dma_from_ram(&x.edu, NS_VA_SRC + NS_OFF, 0, NS_LEN);
	ns_set_leaf(&x, NS_VA_SRC, x.ipa[P_ALT], false);
	lt_edu_dma_from_ram(&x.edu, NS_VA_SRC + NS_OFF, 0, NS_LEN);
	lt_edu_dma_to_ram(&x.edu, NS_VA_DST + NS_OFF, 0, NS_LEN);
	lt_expect_true(t, dst_is(&x, NS_OFF, src, NS_LEN),
		       "without invalidation the old page is still read");
	lt_expect_eq(t, ns_invalidate(&x, (const u64 (*)[2])tlbi, &num), 0,
		     "TLBI_NH_VA from the user");
	lt_expect_eq(t, num, 1, "one entry done");
	lt_edu_dma_from_ram(&x.edu, NS_VA_SRC + NS_OFF, 0, NS_LEN);
	lt_edu_dma_to_ram(&x.edu, NS_VA_DST + NS_OFF, 0, NS_LEN);
	lt_expect_true(t, dst_is(&x, NS_OFF, alt, NS_LEN),
		       "after it, the new page (the VMID was the parent's)");
	lt_expect_eq(t, liommu_smmu_read_events(0, NULL, 0), 0, "no event");
out:
	ns_close(&x);
}

/* The kernel unmaps an IPA from the parent: nested DMA faults at once. */
static void nested_smmu_parent_unmap(struct lt_ctx *t)
{
	struct ns x;

	if (!ns_open(t, &x, true))
		goto out;
	lt_expect_eq(t, lt_edu_dma_to_ram(&x.edu, NS_VA_DST + NS_OFF, 0,
					  NS_LEN), 0, "warm the translation");
	memset(page_address(x.pg[P_DST]), NS_CANARY, PAGE_SIZE);
	lt_expect_eq(t, liommu_unmap(x.parent, x.ipa[P_DST], SZ_4K), SZ_4K,
		     "unmap the IPA from the parent");
	lt_edu_dma_to_ram(&x.edu, NS_VA_DST + NS_OFF, 0, NS_LEN);
	lt_expect_true(t, !memchr_inv(page_address(x.pg[P_DST]), NS_CANARY,
				      PAGE_SIZE),
		       "no stale combined translation: nothing written");
	if (ns_events(t, LIOMMU_SMMU_EVT_0_ID_F_TRANSLATION))
		lt_expect_true(t, ev[0].raw[1] & LIOMMU_SMMU_EVT_1_S2,
			       "a stage-2 fault");
out:
	ns_close(&x);
}

/* The STE as the SMMU reads it: the user's stage 1, the parent's stage 2. */
static void nested_smmu_ste_read_back(struct lt_ctx *t)
{
	struct liommu_smmu_domain_info info;
	u64 ste[8];
	struct ns x;

	if (!ns_open(t, &x, true))
		goto out;
	if (!lt_expect_eq(t, liommu_smmu_read_ste(0, x.sid, ste), 0, "STE") ||
	    !lt_expect_eq(t, liommu_smmu_domain_info(x.parent, &info), 0,
			  "parent info"))
		goto out;
	lt_info(t, "STE %#llx %#llx %#llx %#llx", ste[0], ste[1], ste[2],
		ste[3]);
	lt_expect_true(t, ste[0] & LIOMMU_SMMU_STE_0_V, "V");
	lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_STE_0_CONFIG, ste[0]),
		     LIOMMU_SMMU_STE_0_CONFIG_NESTED, "Config: nested");
	lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_STE_0_S1CONTEXTPTR, ste[0]) << 6,
		     x.ipa[P_CD], "S1ContextPtr: the user's IPA");
	lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_STE_0_S1CDMAX, ste[0]), 0,
		     "S1CDMax 0");
	lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_STE_1_S1CSH, ste[1]),
		     LIOMMU_SMMU_STE_1_S1CSH_ISH, "S1CSH from the user");
	lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_STE_1_STRW, ste[1]),
		     LIOMMU_SMMU_STE_1_STRW_NSEL1, "STRW NS-EL1");
	lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_STE_2_S2VMID, ste[2]), info.vmid,
		     "S2VMID: the parent's");
	lt_expect_true(t, info.vmid != 0, "a real VMID");
	lt_expect_eq(t, ste[3] & LIOMMU_SMMU_STE_3_S2TTB, info.root,
		     "S2TTB: the parent's table");
	lt_expect_true(t, ste[2] & LIOMMU_SMMU_STE_2_S2AA64, "S2AA64");
	lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_STE_2_S2T0SZ, ste[2]),
		     64 - lt_expect.oas, "S2T0SZ: the output size");
out:
	ns_close(&x);
}

/* The user's abort and bypass configs. */
static void nested_smmu_abort_and_bypass(struct lt_ctx *t)
{
	struct liommu_hwpt_arm_smmuv3 arg = {};
	struct liommu_domain *d = NULL;
	struct liommu_group *g = NULL;
	struct ns x;

	if (!ns_open(t, &x, true))
		goto out;
	g = liommu_group_get(x.dev);
	/* Bypass: stage 1 skipped, the IPA is the DMA address. */
	arg.ste[0] = cpu_to_le64(LIOMMU_SMMU_STE_0_V |
				 FIELD_PREP(LIOMMU_SMMU_STE_0_CONFIG,
					    LIOMMU_SMMU_STE_0_CONFIG_BYPASS));
	d = ns_alloc(&x, &arg);
	if (!lt_expect_true(t, g && !IS_ERR(d), "a bypass nested domain"))
		goto out;
	lt_expect_eq(t, liommu_group_replace_domain(g, d), 0,
		     "replace nested by nested");
	lt_expect_eq(t, lt_edu_dma_to_ram(&x.edu, x.ipa[P_DST] + NS_OFF, 0,
					  NS_LEN), 0, "DMA at an IPA");
	lt_expect_true(t, memchr_inv((u8 *)page_address(x.pg[P_DST]) + NS_OFF,
				     NS_CANARY, NS_LEN) != NULL,
		       "it landed through the parent alone");
	lt_expect_eq(t, liommu_group_replace_domain(g, x.nested), 0, "back");
	liommu_domain_free(d);
	/* V clear: abort. */
	arg.ste[0] = 0;
	d = ns_alloc(&x, &arg);
	if (!lt_expect_true(t, !IS_ERR(d), "an abort nested domain"))
		goto out;
	memset(page_address(x.pg[P_DST]), NS_CANARY, PAGE_SIZE);
	lt_expect_eq(t, liommu_group_replace_domain(g, d), 0, "replace");
	lt_edu_dma_to_ram(&x.edu, NS_VA_DST + NS_OFF, 0, NS_LEN);
	lt_edu_dma_to_ram(&x.edu, x.ipa[P_DST] + NS_OFF, 0, NS_LEN);
	lt_expect_true(t, !memchr_inv(page_address(x.pg[P_DST]), NS_CANARY,
				      PAGE_SIZE), "nothing gets through");
	lt_expect_eq(t, liommu_group_replace_domain(g, x.nested), 0, "back");
out:
	if (!IS_ERR_OR_NULL(d) && liommu_get_domain_for_dev(x.dev) != d)
		liommu_domain_free(d);
	if (g)
		liommu_group_put(g);
	ns_close(&x);
}

/* Each field a guest may not set, each feature the SMMU lacks. */
static void nested_smmu_ste_refusals(struct lt_ctx *t)
{
	const struct {
		u64 set0, clr0, set1;
		int err;
		const char *what;
	} bad[] = {
		{ BIT_ULL(58), 0, 0, -EIO, "a reserved bit of word 0" },
		{ 0, 0, FIELD_PREP(LIOMMU_SMMU_STE_1_SHCFG, 1), -EIO,
		  "SHCFG (the kernel's)" },
		{ 0, 0, FIELD_PREP(LIOMMU_SMMU_STE_1_STRW, 2), -EIO,
		  "STRW (the kernel's)" },
		{ FIELD_PREP(LIOMMU_SMMU_STE_0_CONFIG, 6),
		  LIOMMU_SMMU_STE_0_CONFIG, 0, -EIO, "Config stage 2" },
		{ FIELD_PREP(LIOMMU_SMMU_STE_0_CONFIG, 7),
		  LIOMMU_SMMU_STE_0_CONFIG, 0, -EIO, "Config nested" },
		{ FIELD_PREP(LIOMMU_SMMU_STE_0_S1CDMAX, 1), 0, 0, -EOPNOTSUPP,
		  "substreams the SMMU lacks" },
		{ 0, 0, FIELD_PREP(LIOMMU_SMMU_STE_1_EATS, 1), -EOPNOTSUPP,
		  "EATS without ATS" },
		{ BIT_ULL(50), LIOMMU_SMMU_STE_0_S1CONTEXTPTR, 0, -EINVAL,
		  "a CD beyond the parent's input range" },
	};
	struct liommu_hwpt_arm_smmuv3 arg;
	struct liommu_user_data ud = {
		.type = LIOMMU_HWPT_DATA_ARM_SMMUV3, .data = &arg,
		.len = sizeof(arg),
	};
	struct liommu_domain *d;
	unsigned int i;
	struct ns x;

	if (!ns_open(t, &x, false))
		goto out;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		arg = x.arg;
		arg.ste[0] = cpu_to_le64((le64_to_cpu(x.arg.ste[0]) &
					  ~bad[i].clr0) | bad[i].set0);
		arg.ste[1] = cpu_to_le64(le64_to_cpu(x.arg.ste[1]) | bad[i].set1);
		d = ns_alloc(&x, &arg);
		lt_expect_eq(t, PTR_ERR_OR_ZERO(d), bad[i].err, bad[i].what);
		if (!IS_ERR(d))
			liommu_domain_free(d);
	}
	ud.type = LIOMMU_HWPT_DATA_VTD_S1;
	d = liommu_nested_domain_alloc(x.dev, x.parent, &ud);
	lt_expect_eq(t, PTR_ERR_OR_ZERO(d), -EOPNOTSUPP, "VT-d data");
	ud.type = LIOMMU_HWPT_DATA_ARM_SMMUV3;
	ud.len = 8;
	d = liommu_nested_domain_alloc(x.dev, x.parent, &ud);
	lt_expect_eq(t, PTR_ERR_OR_ZERO(d), -EINVAL, "half an STE");
	lt_expect_eq(t, atomic_read(&x.parent->nested), 0,
		     "no child was made");
out:
	ns_close(&x);
}

/* The allow-list and the array's rules, on the real command queue. */
static void nested_smmu_invalidate_rules(struct lt_ctx *t)
{
	u64 good[6][2] = {
		{ op(LIOMMU_SMMU_CMD_0_OPCODE_TLBI_NH_VA) |
		  FIELD_PREP(LIOMMU_SMMU_TLBI_0_ASID, NS_ASID), NS_VA_SRC },
		{ op(LIOMMU_SMMU_CMD_0_OPCODE_TLBI_NH_VAA), NS_VA_SRC },
		{ op(LIOMMU_SMMU_CMD_0_OPCODE_TLBI_NH_ASID) |
		  FIELD_PREP(LIOMMU_SMMU_TLBI_0_ASID, NS_ASID), 0 },
		{ op(LIOMMU_SMMU_CMD_0_OPCODE_TLBI_NH_ALL), 0 },
		{ op(LIOMMU_SMMU_CMD_0_OPCODE_CFGI_CD) |
		  FIELD_PREP(LIOMMU_SMMU_CFGI_0_SID, 0x1234), 1 },
		{ op(LIOMMU_SMMU_CMD_0_OPCODE_CFGI_CD_ALL), 0 },
	};
	u64 mixed[3][2] = {
		{ op(LIOMMU_SMMU_CMD_0_OPCODE_TLBI_NH_ALL), 0 },
		{ op(LIOMMU_SMMU_CMD_0_OPCODE_TLBI_S12_VMALL), 0 },
		{ op(LIOMMU_SMMU_CMD_0_OPCODE_TLBI_NH_ALL), 0 },
	};
	static const u8 refused[] = {
		LIOMMU_SMMU_CMD_0_OPCODE_CFGI_STE,
		LIOMMU_SMMU_CMD_0_OPCODE_CFGI_ALL,
		LIOMMU_SMMU_CMD_0_OPCODE_SYNC,
		LIOMMU_SMMU_CMD_0_OPCODE_TLBI_EL2_ALL,
		LIOMMU_SMMU_CMD_0_OPCODE_TLBI_NSNH_ALL,
		LIOMMU_SMMU_CMD_0_OPCODE_TLBI_S2_IPA,
	};
	struct liommu_smmu_state a, b;
	u64 one[1][2] = {};
	unsigned int i;
	struct ns x;
	u32 num;

	if (!ns_open(t, &x, true))
		goto out;
	liommu_smmu_read_state(0, &a);
	num = 6;
	lt_expect_eq(t, ns_invalidate(&x, (const u64 (*)[2])good, &num), 0,
		     "every allowed command");
	lt_expect_eq(t, num, 6, "all six done");
	liommu_smmu_read_state(0, &b);
	lt_expect_eq(t, b.cmdq_errors, a.cmdq_errors,
		     "none of them was an error for the SMMU");
	num = 3;
	lt_expect_eq(t, ns_invalidate(&x, (const u64 (*)[2])mixed, &num), -EIO,
		     "a stage-2 command in the middle");
	lt_expect_eq(t, num, 1, "entry_num: the one before it");
	for (i = 0; i < ARRAY_SIZE(refused); i++) {
		one[0][0] = op(refused[i]);
		num = 1;
		lt_expect_eq(t, ns_invalidate(&x, (const u64 (*)[2])one, &num),
			     -EIO, "a command a guest may not issue");
		lt_expect_eq(t, num, 0, "nothing done");
	}
	one[0][0] = op(LIOMMU_SMMU_CMD_0_OPCODE_ATC_INV);
	num = 1;
	lt_expect_eq(t, ns_invalidate(&x, (const u64 (*)[2])one, &num),
		     -EOPNOTSUPP, "ATC_INV without ATS");
	{
		struct liommu_user_data_array arr = {
			.type = LIOMMU_HWPT_INVALIDATE_DATA_VTD_S1,
			.entries = good, .entry_len = 16, .entry_num = 1,
		};

		lt_expect_eq(t, liommu_cache_invalidate_user(x.nested, &arr),
			     -EOPNOTSUPP, "VT-d entries");
		lt_expect_eq(t, arr.entry_num, 0, "nothing done");
	}
out:
	ns_close(&x);
}

/* Without stage 2 (smmu-s1) nesting is refused at the parent. */
static void nested_smmu_needs_stage2(struct lt_ctx *t)
{
	struct liommu_domain *d;
	struct lt_edu edu;
	u8 bus, devfn;

	if (!lt_stated(t, lt_expect.s2, "s2") ||
	    lt_parse_bdf(lt_expect.edu, 0, &bus, &devfn) ||
	    lt_edu_open(bus, devfn, &edu)) {
		lt_fail(t, "edu 0");
		return;
	}
	d = liommu_user_domain_alloc(&edu.pdev->dev,
				     LIOMMU_HWPT_ALLOC_NEST_PARENT);
	if (lt_expect.s2) {
		lt_expect_true(t, !IS_ERR(d), "a parent where stage 2 exists");
	} else {
		lt_expect_eq(t, PTR_ERR_OR_ZERO(d), -EOPNOTSUPP,
			     "no parent without stage 2");
	}
	if (!IS_ERR(d))
		liommu_domain_free(d);
	lt_edu_close(&edu);
}

static const struct lt_case nested_smmu_cases[] = {
	LT_CASE(nested_smmu_needs_stage2),
	LT_CASE(nested_smmu_dma_both_ways),
	LT_CASE(nested_smmu_stage1_fault),
	LT_CASE(nested_smmu_stage2_fault),
	LT_CASE(nested_smmu_stale_until_invalidate),
	LT_CASE(nested_smmu_parent_unmap),
	LT_CASE(nested_smmu_ste_read_back),
	LT_CASE(nested_smmu_abort_and_bypass),
	LT_CASE(nested_smmu_ste_refusals),
	LT_CASE(nested_smmu_invalidate_rules),
};

const struct lt_suite lt_nested_smmu_suite =
	LT_SUITE("nested_smmu", nested_smmu_cases);
