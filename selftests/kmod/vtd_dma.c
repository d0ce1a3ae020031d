// SPDX-License-Identifier: GPL-2.0
/*
 * vtd_dma_*: liommu_intel.ko's paging domains, proven with real DMA of
 * QEMU's edu devices through the core's API.
 *
 * The edu devices belong to the VT-d unit from load: liommu_intel.ko
 * registers its units with the core before the mock loads, and a unit
 * probes every PCI device of its scope.  The first case checks that.
 *
 * On a unit without a second-stage walker in its mode (scalable mode with
 * first-stage only, vtd-sm-fl), paging domains are first-stage: the same
 * cases run, with the first-stage table format, PASID entry, PASID-based
 * IOTLB invalidation and the fault reasons of QEMU's first-stage walker.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include <liommu/driver.h>
#include <liommu/vtd.h>
#include "../../core/pt_vtdss.h"
#include "../../core/pt_x86fl.h"
#include "../../intel/qi.h"
#include "../../intel/regs.h"
#include "../../intel/tables.h"
#include "edu.h"
#include "selftest.h"

#define IOVA_A		0x100000UL
#define IOVA_B		0x200000UL
#define IOVA_C		0x300000UL
#define IOVA_HUGE	0x40000000UL
#define LEN		256

struct vd {
	struct lt_edu edu;
	struct liommu_domain *d;
	struct page *pg[3];
	u8 *mem[3];
	u8 bus;
	u8 devfn;
};

/* The profile's paging domains are first-stage (vtd-sm-fl). */
static bool first_stage(void)
{
	return lt_expect.scalable == 1 && lt_expect.second_stage == 0;
}

/* The fault reason of a DMA write to an IOVA its domain does not map. */
static unsigned int fr_unmapped(void)
{
	return first_stage() ? LIOMMU_VTD_FR_FS_NOT_PRESENT :
			       LIOMMU_VTD_FR_WRITE;
}

/* The fault reason of a DMA write through a read-only mapping. */
static unsigned int fr_readonly(void)
{
	return first_stage() ? LIOMMU_VTD_FR_SM_WRITE : LIOMMU_VTD_FR_WRITE;
}

static void drain_faults(void)
{
	liommu_vtd_read_faults(0, NULL, 0);
}

/* Edu @n opened, pages zeroed, and a paging domain attached, or false. */
static bool vd_setup(struct lt_ctx *t, struct vd *x, unsigned int n)
{
	unsigned int i;
	int err;

	memset(x, 0, sizeof(*x));
	if (lt_expect.scalable == LT_UNSET || lt_expect.second_stage == LT_UNSET) {
		lt_fail(t, "the profile does not state scalable/second_stage");
		return false;
	}
	err = lt_parse_bdf(lt_expect.edu, n, &x->bus, &x->devfn);
	if (err) {
		lt_fail(t, "no edu %u in the profile: %d", n, err);
		return false;
	}
	err = lt_edu_open(x->bus, x->devfn, &x->edu);
	if (err) {
		lt_fail(t, "edu %u: open: %d", n, err);
		return false;
	}
	if (first_stage() && lt_expect.first_stage != 1) {
		lt_fail(t, "scalable unit with neither walker in the profile");
		return false;
	}
	x->d = liommu_paging_domain_alloc(&x->edu.pdev->dev);
	if (IS_ERR(x->d)) {
		lt_fail(t, "paging domain: %ld", PTR_ERR(x->d));
		x->d = NULL;
		return false;
	}
	if (!lt_expect_true(t, !strcmp(x->d->iommu->name, "vtd0"),
			    "domain of the VT-d unit"))
		return false;
	/* First stage: the canonical lower half of 4-level paging. */
	if (first_stage() &&
	    !lt_expect_eq(t, x->d->geometry.aperture_end, BIT_ULL(47) - 1,
			  "first-stage aperture: 47 bits"))
		return false;
	for (i = 0; i < ARRAY_SIZE(x->pg); i++) {
		x->pg[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!x->pg[i]) {
			lt_fail(t, "no memory");
			return false;
		}
		x->mem[i] = page_address(x->pg[i]);
	}
	drain_faults();
	return lt_expect_eq(t, liommu_attach_device(x->d, &x->edu.pdev->dev),
			    0, "attach");
}

static void vd_teardown(struct vd *x)
{
	unsigned int i;

	if (x->d) {
		if (x->edu.pdev &&
		    liommu_get_domain_for_dev(&x->edu.pdev->dev) == x->d)
			liommu_detach_device(x->d, &x->edu.pdev->dev);
		liommu_domain_free(x->d);
	}
	lt_edu_close(&x->edu);
	for (i = 0; i < ARRAY_SIZE(x->pg); i++)
		if (x->pg[i])
			__free_page(x->pg[i]);
	drain_faults();
}

static bool vd_map(struct lt_ctx *t, struct vd *x, unsigned long iova,
		   unsigned int i, int prot)
{
	return lt_expect_eq(t, liommu_map(x->d, iova, page_to_phys(x->pg[i]),
					  SZ_4K, prot, GFP_KERNEL), 0, "map");
}

/* Exactly one fault: a write of @iova by @x's edu, reason @reason. */
static void expect_fault(struct lt_ctx *t, struct vd *x, u64 iova,
			 unsigned int reason, bool read)
{
	struct liommu_vtd_fault f[LIOMMU_VTD_FAULT_LOG];
	u32 fsts = 0;
	int n = liommu_vtd_read_faults(0, f, ARRAY_SIZE(f));

	if (!lt_expect_eq(t, n, 1, "one fault recorded"))
		return;
	lt_expect_eq(t, f[0].sid, PCI_DEVID(x->bus, x->devfn), "fault source id");
	lt_expect_eq(t, f[0].addr, iova & PAGE_MASK, "fault address");
	lt_expect_eq(t, f[0].reason, reason, "fault reason");
	lt_expect_eq(t, f[0].read, read, "fault type (T: read)");
	lt_expect_eq(t, liommu_vtd_read_fsts(0, &fsts), 0, "read FSTS");
	lt_expect_true(t, !(fsts & LIOMMU_VTD_FSTS_PPF),
		       "FSTS.PPF clear after the record was cleared");
}

/* Every edu is translated by the VT-d unit (see the top of the file). */
static void vtd_dma_edus_on_unit(struct lt_ctx *t)
{
	unsigned int n;
	u8 b, devfn;

	for (n = 0; !lt_parse_bdf(lt_expect.edu, n, &b, &devfn); n++) {
		struct pci_dev *pdev = pci_get_domain_bus_and_slot(0, b, devfn);
		struct liommu_domain *id;

		if (!lt_expect_true(t, pdev, "edu present"))
			continue;
		id = liommu_identity_domain(&pdev->dev);
		lt_expect_true(t, !IS_ERR(id) && !strcmp(id->iommu->name, "vtd0"),
			       "edu translated by unit vtd0");
		pci_dev_put(pdev);
	}
	lt_expect_true(t, n >= 2, "two edu devices");
}

/* (a) RAM -> edu through IOVA_A, edu -> RAM through IOVA_B. */
static void vtd_dma_through_mapping(struct lt_ctx *t)
{
	struct vd x;

	if (!vd_setup(t, &x, 0))
		goto out;
	memset(x.mem[0], 0x5a, LEN);
	x.mem[0][7] = 0x11;
	if (!vd_map(t, &x, IOVA_A, 0, LIOMMU_READ) ||
	    !vd_map(t, &x, IOVA_B, 1, LIOMMU_READ | LIOMMU_WRITE))
		goto out;
	lt_expect_eq(t, lt_edu_dma_from_ram(&x.edu, IOVA_A, 0, LEN), 0,
		     "DMA RAM to edu");
	lt_expect_eq(t, lt_edu_dma_to_ram(&x.edu, IOVA_B + 0x80, 0, LEN), 0,
		     "DMA edu to RAM");
	lt_expect_true(t, !memcmp(x.mem[1] + 0x80, x.mem[0], LEN),
		       "bytes arrived through the mapping");
	lt_expect_eq(t, x.mem[1][0x7f], 0, "nothing before the target");
	lt_expect_eq(t, x.mem[1][0x80 + LEN], 0, "nothing after the target");
	lt_expect_eq(t, liommu_vtd_read_faults(0, NULL, 0), 0, "no fault");
	liommu_unmap(x.d, IOVA_A, SZ_4K);
	liommu_unmap(x.d, IOVA_B, SZ_4K);
out:
	vd_teardown(&x);
}

/*
 * (b) A write to an unmapped IOVA faults (reason 5; first stage 0x71) and
 * moves nothing.
 */
static void vtd_dma_unmapped_faults(struct lt_ctx *t)
{
	struct vd x;

	if (!vd_setup(t, &x, 0))
		goto out;
	memset(x.mem[0], 0xc3, SZ_4K);
	memset(x.mem[1], 0xee, SZ_4K);	/* canary, mapped next door */
	if (!vd_map(t, &x, IOVA_A, 0, LIOMMU_READ) ||
	    !vd_map(t, &x, IOVA_C + SZ_4K, 1, LIOMMU_READ | LIOMMU_WRITE))
		goto out;
	lt_expect_eq(t, lt_edu_dma_from_ram(&x.edu, IOVA_A, 0, LEN), 0,
		     "load the edu buffer");
	lt_expect_eq(t, lt_edu_dma_to_ram(&x.edu, IOVA_C + 0x40, 0, LEN), 0,
		     "DMA to an unmapped IOVA completes");
	expect_fault(t, &x, IOVA_C + 0x40, fr_unmapped(), false);
	lt_expect_true(t, memchr_inv(x.mem[1], 0xee, SZ_4K) == NULL,
		       "canary intact");
	liommu_unmap(x.d, IOVA_A, SZ_4K);
	liommu_unmap(x.d, IOVA_C + SZ_4K, SZ_4K);
out:
	vd_teardown(&x);
}

/* (c) A read-only mapping: the device reads, its write faults. */
static void vtd_dma_readonly(struct lt_ctx *t)
{
	struct vd x;

	if (!vd_setup(t, &x, 0))
		goto out;
	memset(x.mem[0], 0x21, SZ_4K);	/* read-only page */
	memset(x.mem[1], 0x43, SZ_4K);	/* read-write page */
	if (!vd_map(t, &x, IOVA_A, 0, LIOMMU_READ) ||
	    !vd_map(t, &x, IOVA_B, 1, LIOMMU_READ | LIOMMU_WRITE))
		goto out;
	lt_expect_eq(t, lt_edu_dma_from_ram(&x.edu, IOVA_B, 0, LEN), 0,
		     "load 0x43 into the edu");
	lt_expect_eq(t, lt_edu_dma_to_ram(&x.edu, IOVA_A, 0, LEN), 0,
		     "write to the read-only IOVA completes");
	expect_fault(t, &x, IOVA_A, fr_readonly(), false);
	lt_expect_true(t, memchr_inv(x.mem[0], 0x21, SZ_4K) == NULL,
		       "read-only page unchanged");
	lt_expect_eq(t, lt_edu_dma_from_ram(&x.edu, IOVA_A, 0, LEN), 0,
		     "read the read-only IOVA");
	lt_expect_eq(t, lt_edu_dma_to_ram(&x.edu, IOVA_B + 0x400, 0, LEN), 0,
		     "store it in the read-write page");
	lt_expect_true(t, memchr_inv(x.mem[1] + 0x400, 0x21, LEN) == NULL,
		       "the read saw the read-only page");
	lt_expect_eq(t, liommu_vtd_read_faults(0, NULL, 0), 0,
		     "the read did not fault");
	liommu_unmap(x.d, IOVA_A, SZ_4K);
	liommu_unmap(x.d, IOVA_B, SZ_4K);
out:
	vd_teardown(&x);
}

/*
 * (d) and (i): after liommu_unmap() the IOVA faults although the unit
 * had cached it, and each unmap call issued one page-selective IOTLB
 * invalidation of exactly its range: an IOTLB descriptor for second
 * stage, a PASID-based IOTLB one of PASID 0 for first stage.
 */
static void expect_psi(struct lt_ctx *t, const struct liommu_vtd_inv_stats *s,
		       u16 did, u64 addr, unsigned int am)
{
	u64 w0 = s->last[0][0], w1 = s->last[0][1];

	lt_expect_eq(t, s->last_n, 1, "one IOTLB descriptor");
	if (first_stage()) {
		lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_QI_0_TYPE_LO, w0),
			     LIOMMU_VTD_QI_TYPE_PIOTLB,
			     "PASID-based IOTLB invalidate descriptor");
		lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_QI_0_TYPE_HI, w0), 0,
			     "type high bits");
		lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_QI_PIOTLB_0_G, w0),
			     LIOMMU_VTD_QI_PIOTLB_G_PAGE, "page-selective");
		lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_QI_PIOTLB_0_DID, w0), did,
			     "the domain's id");
		lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_QI_PIOTLB_0_PASID, w0), 0,
			     "PASID 0 (RID_PASID)");
		lt_expect_eq(t, w1 & LIOMMU_VTD_QI_PIOTLB_1_ADDR, addr,
			     "address");
		lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_QI_PIOTLB_1_AM, w1), am,
			     "address mask");
		return;
	}
	lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_QI_0_TYPE_LO, w0),
		     LIOMMU_VTD_QI_TYPE_IOTLB, "IOTLB invalidate descriptor");
	lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_QI_IOTLB_0_G, w0),
		     LIOMMU_VTD_QI_IOTLB_G_PAGE, "page-selective");
	lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_QI_IOTLB_0_DID, w0), did,
		     "the domain's id");
	lt_expect_eq(t, w1 & LIOMMU_VTD_QI_IOTLB_1_ADDR, addr, "address");
	lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_QI_IOTLB_1_AM, w1), am,
		     "address mask");
}

static void vtd_dma_after_unmap(struct lt_ctx *t)
{
	struct liommu_vtd_inv_stats s0, s1;
	u16 did;
	u64 root;
	u8 aw;
	struct vd x;

	if (!vd_setup(t, &x, 0))
		goto out;
	memset(x.mem[0], 0x77, SZ_4K);
	if (!vd_map(t, &x, IOVA_A, 0, LIOMMU_READ) ||
	    !vd_map(t, &x, IOVA_B, 1, LIOMMU_READ | LIOMMU_WRITE))
		goto out;
	lt_expect_eq(t, lt_edu_dma_from_ram(&x.edu, IOVA_A, 0, LEN), 0,
		     "load the edu buffer");
	lt_expect_eq(t, lt_edu_dma_to_ram(&x.edu, IOVA_B, 0, LEN), 0,
		     "DMA before unmap (the unit caches the IOVA)");
	lt_expect_eq(t, x.mem[1][0], 0x77, "arrived before unmap");
	memset(x.mem[1], 0, SZ_4K);
	liommu_vtd_domain_inv_stats(x.d, &s0);
	lt_expect_eq(t, liommu_unmap(x.d, IOVA_B, SZ_4K), SZ_4K, "unmap");
	liommu_vtd_domain_inv_stats(x.d, &s1);
	lt_expect_eq(t, lt_edu_dma_to_ram(&x.edu, IOVA_B, 0, LEN), 0,
		     "DMA after unmap completes");
	lt_expect_true(t, memchr_inv(x.mem[1], 0, SZ_4K) == NULL,
		       "nothing written after unmap (no stale translation)");
	expect_fault(t, &x, IOVA_B, fr_unmapped(), false);

	liommu_vtd_domain_root(x.d, &root, &did, &aw);
	lt_expect_eq(t, s1.syncs - s0.syncs, 1, "one iotlb_sync per unmap call");
	lt_expect_eq(t, s1.submissions - s0.submissions, 1,
		     "one queue submission per unmap call");
	expect_psi(t, &s1, did, IOVA_B, 0);

	/* Four pages in one call: one descriptor, AM 2. */
	lt_expect_eq(t, liommu_map(x.d, IOVA_C, page_to_phys(x.pg[0]), SZ_4K,
				   LIOMMU_READ, GFP_KERNEL) |
		     liommu_map(x.d, IOVA_C + SZ_4K, page_to_phys(x.pg[1]), SZ_4K,
				LIOMMU_READ, GFP_KERNEL) |
		     liommu_map(x.d, IOVA_C + 2 * SZ_4K, page_to_phys(x.pg[2]),
				SZ_4K, LIOMMU_READ, GFP_KERNEL) |
		     liommu_map(x.d, IOVA_C + 3 * SZ_4K, page_to_phys(x.pg[0]),
				SZ_4K, LIOMMU_READ, GFP_KERNEL), 0, "map 4 pages");
	liommu_vtd_domain_inv_stats(x.d, &s0);
	lt_expect_eq(t, liommu_unmap(x.d, IOVA_C, 4 * SZ_4K), 4 * SZ_4K,
		     "unmap 4 pages");
	liommu_vtd_domain_inv_stats(x.d, &s1);
	lt_expect_eq(t, s1.submissions - s0.submissions, 1,
		     "one submission for 4 pages");
	expect_psi(t, &s1, did, IOVA_C, 2);
	liommu_unmap(x.d, IOVA_A, SZ_4K);
out:
	vd_teardown(&x);
}

/* (e) A 2 MiB mapping is one leaf with PS, and DMA through it works. */
static void vtd_dma_superpage(struct lt_ctx *t)
{
	struct page *big = NULL;
	phys_addr_t pa = 0;
	u64 root, e = 0;
	unsigned int level;
	u64 *table;
	u16 did;
	u8 aw;
	struct vd x;

	if (!vd_setup(t, &x, 0))
		goto out;
	big = alloc_pages(GFP_KERNEL | __GFP_ZERO, get_order(SZ_2M));
	if (!big) {
		lt_fail(t, "no 2 MiB block");
		goto out;
	}
	pa = page_to_phys(big);
	if (!lt_expect_true(t, IS_ALIGNED(pa, SZ_2M), "2 MiB aligned block"))
		goto out;
	if (!lt_expect_eq(t, liommu_map(x.d, IOVA_HUGE, pa, SZ_2M,
					LIOMMU_READ | LIOMMU_WRITE, GFP_KERNEL),
			  0, "map 2 MiB"))
		goto out;
	lt_expect_eq(t, liommu_iova_to_phys(x.d, IOVA_HUGE + 0x1ff123),
		     pa + 0x1ff123, "iova_to_phys inside the superpage");
	/*
	 * Walk the table the unit walks: 4 levels, a PS leaf at level 1.
	 * First stage (x86 paging): P and U/S at every level.
	 */
	liommu_vtd_domain_root(x.d, &root, &did, &aw);
	table = phys_to_virt(root);
	for (level = aw + 1; level >= 1; level--) {
		unsigned int idx = (IOVA_HUGE >> (12 + 9 * level)) & 511;
		bool present;

		e = le64_to_cpu(((__le64 *)table)[idx]);
		if (first_stage()) {
			present = e & LIOMMU_PT_X86FL_P;
			lt_expect_true(t, !present || (e & LIOMMU_PT_X86FL_US),
				       "first-stage entry: U/S set");
		} else {
			present = e & (LIOMMU_PT_VTDSS_R | LIOMMU_PT_VTDSS_W);
		}
		/* PS is bit 7 in both formats. */
		BUILD_BUG_ON(LIOMMU_PT_VTDSS_PS != LIOMMU_PT_X86FL_PS);
		if (!present || (e & LIOMMU_PT_VTDSS_PS))
			break;
		table = phys_to_virt(e & (first_stage() ? LIOMMU_PT_X86FL_ADDR :
						      LIOMMU_PT_VTDSS_ADDR));
	}
	lt_expect_eq(t, level, 1, "leaf at level 1 (2 MiB)");
	lt_expect_true(t, e & LIOMMU_PT_VTDSS_PS, "PS set");
	lt_expect_eq(t, e & (first_stage() ? LIOMMU_PT_X86FL_ADDR :
					     LIOMMU_PT_VTDSS_ADDR), pa,
		     "leaf address");
	memset(x.mem[0], 0x99, SZ_4K);
	if (!vd_map(t, &x, IOVA_A, 0, LIOMMU_READ))
		goto out_unmap;
	lt_expect_eq(t, lt_edu_dma_from_ram(&x.edu, IOVA_A, 0, LEN), 0,
		     "load the edu buffer");
	lt_expect_eq(t, lt_edu_dma_to_ram(&x.edu, IOVA_HUGE + 0x1ff000, 0, LEN),
		     0, "DMA into the superpage");
	lt_expect_true(t, memchr_inv((u8 *)page_address(big) + 0x1ff000, 0x99,
				     LEN) == NULL, "arrived at the right offset");
	liommu_unmap(x.d, IOVA_A, SZ_4K);
out_unmap:
	lt_expect_eq(t, liommu_unmap(x.d, IOVA_HUGE, SZ_2M), SZ_2M,
		     "unmap 2 MiB");
out:
	vd_teardown(&x);
	if (big)
		__free_pages(big, get_order(SZ_2M));
}

/* (f) and (g): the entry the driver wrote, and pass-through after detach. */
static void vtd_dma_entries_and_detach(struct lt_ctx *t)
{
	struct liommu_vtd_dev_entries e;
	u64 root;
	u16 did;
	u8 aw;
	struct vd x;

	if (!vd_setup(t, &x, 1))
		goto out;
	liommu_vtd_domain_root(x.d, &root, &did, &aw);
	if (!lt_expect_eq(t, liommu_vtd_read_dev_entries(0, x.bus, x.devfn, &e),
			  0, "read entries"))
		goto out;
	lt_expect_eq(t, e.scalable, lt_expect.scalable, "table mode");
	lt_expect_true(t, did > 1, "own domain id");
	lt_expect_eq(t, aw, LIOMMU_VTD_AW_48, "4-level table (AW 48)");
	if (!e.scalable) {
		lt_expect_true(t, e.context[0] & LIOMMU_VTD_CTX_0_P, "context P");
		lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_CTX_0_TT, e.context[0]),
			     LIOMMU_VTD_CTX_TT_UNTRANSLATED, "TT 00b");
		lt_expect_eq(t, e.context[0] & LIOMMU_VTD_CTX_0_SSPTPTR, root,
			     "SLPTPTR = domain root");
		lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_CTX_1_AW, e.context[1]), aw,
			     "AW");
		lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_CTX_1_DID, e.context[1]),
			     did, "DID");
	} else if (first_stage()) {
		lt_expect_true(t, e.pasid[0] & LIOMMU_VTD_PASID_0_P, "PASID P");
		lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_PASID_0_PGTT, e.pasid[0]),
			     LIOMMU_VTD_PGTT_FIRST_STAGE, "PGTT 001b");
		lt_expect_eq(t, e.pasid[2] & LIOMMU_VTD_PASID_2_FSPTPTR, root,
			     "FLPTPTR = domain root");
		lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_PASID_2_FSPM, e.pasid[2]),
			     LIOMMU_VTD_FSPM_4LEVEL, "FLPM 4-level");
		lt_expect_eq(t, e.pasid[2] & LIOMMU_VTD_PASID_2_SRE, 0,
			     "SRE off");
		lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_PASID_0_AW, e.pasid[0]),
			     LIOMMU_VTD_AW_48, "AW 2");
		lt_expect_eq(t, e.pasid[0] & LIOMMU_VTD_PASID_0_SSPTPTR, 0,
			     "no second-stage table");
		lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_PASID_1_DID, e.pasid[1]),
			     did, "DID");
	} else {
		lt_expect_true(t, e.pasid[0] & LIOMMU_VTD_PASID_0_P, "PASID P");
		lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_PASID_0_PGTT, e.pasid[0]),
			     LIOMMU_VTD_PGTT_SECOND_STAGE, "PGTT 010b");
		lt_expect_eq(t, e.pasid[0] & LIOMMU_VTD_PASID_0_SSPTPTR, root,
			     "SLPTPTR = domain root");
		lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_PASID_0_AW, e.pasid[0]), aw,
			     "AW");
		lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_PASID_1_DID, e.pasid[1]),
			     did, "DID");
	}

	/* (g) Detach: pass-through again, DMA at a physical address works. */
	liommu_detach_device(x.d, &x.edu.pdev->dev);
	lt_expect_eq(t, liommu_vtd_read_dev_entries(0, x.bus, x.devfn, &e), 0,
		     "read entries after detach");
	if (!e.scalable)
		lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_CTX_0_TT, e.context[0]),
			     LIOMMU_VTD_CTX_TT_PASS_THROUGH, "TT 10b again");
	else
		lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_PASID_0_PGTT, e.pasid[0]),
			     LIOMMU_VTD_PGTT_PASS_THROUGH, "PGTT 100b again");
	memset(x.mem[0], 0x3c, SZ_4K);
	lt_expect_eq(t, lt_edu_dma_from_ram(&x.edu, page_to_phys(x.pg[0]), 0,
					    LEN), 0, "physical DMA RAM to edu");
	lt_expect_eq(t, lt_edu_dma_to_ram(&x.edu, page_to_phys(x.pg[1]), 0,
					  LEN), 0, "physical DMA edu to RAM");
	lt_expect_true(t, memchr_inv(x.mem[1], 0x3c, LEN) == NULL,
		       "pass-through DMA arrived");
	lt_expect_eq(t, liommu_vtd_read_faults(0, NULL, 0), 0, "no fault");
out:
	vd_teardown(&x);
}

/* (h) edu1 cannot reach an IOVA mapped only in edu0's domain. */
static void vtd_dma_isolation(struct lt_ctx *t)
{
	struct vd x0, x1;

	memset(&x0, 0, sizeof(x0));
	memset(&x1, 0, sizeof(x1));
	if (!vd_setup(t, &x0, 0) || !vd_setup(t, &x1, 1))
		goto out;
	memset(x1.mem[0], 0x66, SZ_4K);
	if (!vd_map(t, &x0, IOVA_B, 0, LIOMMU_READ | LIOMMU_WRITE) ||
	    !vd_map(t, &x1, IOVA_A, 0, LIOMMU_READ))
		goto out_unmap;
	lt_expect_eq(t, lt_edu_dma_from_ram(&x1.edu, IOVA_A, 0, LEN), 0,
		     "edu1 loads its buffer in its own domain");
	lt_expect_eq(t, lt_edu_dma_to_ram(&x1.edu, IOVA_B, 0, LEN), 0,
		     "edu1 writes edu0's IOVA");
	expect_fault(t, &x1, IOVA_B, fr_unmapped(), false);
	lt_expect_true(t, memchr_inv(x0.mem[0], 0, SZ_4K) == NULL,
		       "edu0's page untouched");
	lt_expect_eq(t, lt_edu_dma_to_ram(&x0.edu, IOVA_B, 0, 16), 0,
		     "edu0 writes its own IOVA");
	lt_expect_eq(t, liommu_vtd_read_faults(0, NULL, 0), 0,
		     "edu0's write did not fault");
out_unmap:
	if (liommu_iova_to_phys(x0.d, IOVA_B))
		liommu_unmap(x0.d, IOVA_B, SZ_4K);
	if (liommu_iova_to_phys(x1.d, IOVA_A))
		liommu_unmap(x1.d, IOVA_A, SZ_4K);
out:
	vd_teardown(&x1);
	vd_teardown(&x0);
}

static const struct lt_case vtd_dma_cases[] = {
	LT_CASE(vtd_dma_edus_on_unit),
	LT_CASE(vtd_dma_through_mapping),
	LT_CASE(vtd_dma_unmapped_faults),
	LT_CASE(vtd_dma_readonly),
	LT_CASE(vtd_dma_after_unmap),
	LT_CASE(vtd_dma_superpage),
	LT_CASE(vtd_dma_entries_and_detach),
	LT_CASE(vtd_dma_isolation),
};

const struct lt_suite lt_vtd_dma_suite = LT_SUITE("vtd_dma", vtd_dma_cases);
