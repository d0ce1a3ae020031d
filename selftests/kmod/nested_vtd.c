// SPDX-License-Identifier: GPL-2.0
/*
 * nested_vtd_*: VT-d nesting.  QEMU 10.0's unit has no ECAP.NEST: the
 * cases check that nesting is refused on every VT-d profile, and compare
 * what the driver's builders (intel/nested.c) make of user data with
 * golden PASID entries and PASID-based IOTLB descriptors written here
 * from the specification's bit positions (9.6, 6.5.2.4), numbers rather
 * than the driver's field names.
 */
#include <linux/err.h>
#include <linux/pci.h>

#include <liommu/liommu.h>
#include <liommu/vtd.h>
#include "../../intel/regs.h"
#include "edu.h"
#include "selftest.h"

/* Nesting is refused: no parent, and no nested domain over a kernel one. */
static void nested_vtd_refused(struct lt_ctx *t)
{
	struct liommu_hwpt_vtd_s1 s1 = { .pgtbl_addr = 0x1000, .addr_width = 48 };
	struct liommu_user_data ud = {
		.type = LIOMMU_HWPT_DATA_VTD_S1, .data = &s1, .len = sizeof(s1),
	};
	struct liommu_vtd_unit_info info;
	struct liommu_domain *kernel, *d;
	struct lt_edu edu;
	u8 bus, devfn;

	if (!lt_expect_eq(t, liommu_vtd_get_unit_info(0, &info), 0, "unit 0"))
		return;
	lt_expect_true(t, !info.caps.nested, "QEMU 10.0: no ECAP.NEST");
	if (lt_parse_bdf(lt_expect.edu, 0, &bus, &devfn) ||
	    lt_edu_open(bus, devfn, &edu)) {
		lt_fail(t, "edu 0");
		return;
	}
	d = liommu_user_domain_alloc(&edu.pdev->dev,
				     LIOMMU_HWPT_ALLOC_NEST_PARENT);
	lt_expect_eq(t, PTR_ERR_OR_ZERO(d), -EOPNOTSUPP, "no NEST_PARENT domain");
	if (!IS_ERR(d))
		liommu_domain_free(d);
	kernel = liommu_paging_domain_alloc(&edu.pdev->dev);
	if (lt_expect_true(t, !IS_ERR(kernel), "a kernel domain")) {
		d = liommu_nested_domain_alloc(&edu.pdev->dev, kernel, &ud);
		lt_expect_eq(t, PTR_ERR_OR_ZERO(d), -EINVAL,
			     "no nested domain over a kernel domain");
		lt_expect_eq(t, atomic_read(&kernel->nested), 0, "no child");
		liommu_domain_free(kernel);
	}
	lt_edu_close(&edu);
}

#define SS_ROOT		0xabcde000ULL
#define FS_ROOT		0x12345000ULL
#define DID		42
#define AW_48		2

/* Word 0: P | AW << 2 | PGTT 011b << 6 | SSPTPTR; word 1: DID. */
static u64 golden0(void)
{
	return 1 | (AW_48 << 2) | (3ULL << 6) | SS_ROOT;
}

static void nested_vtd_entry_golden(struct lt_ctx *t)
{
	struct liommu_hwpt_vtd_s1 s1 = {
		.pgtbl_addr = FS_ROOT, .addr_width = 48,
	};
	u64 e[8], ecap = LIOMMU_VTD_ECAP_SRS | LIOMMU_VTD_ECAP_EAFS;
	unsigned int i;

	lt_expect_eq(t, liommu_vtd_test_nested_entry(0, false, SS_ROOT, AW_48,
						     DID, &s1, e), 0, "4-level");
	lt_expect_eq(t, e[0], golden0(), "word 0: P, AW, PGTT nested, SSPTPTR");
	lt_expect_eq(t, e[1], DID, "word 1: the nested domain's id");
	lt_expect_eq(t, e[2], FS_ROOT, "word 2: FSPM 4-level, FSPTPTR");
	for (i = 3; i < 8; i++)
		lt_expect_eq(t, e[i], 0, "words 3-7 zero");

	s1.flags = LIOMMU_VTD_S1_SRE | LIOMMU_VTD_S1_WPE | LIOMMU_VTD_S1_EAFE;
	lt_expect_eq(t, liommu_vtd_test_nested_entry(ecap, false, SS_ROOT, AW_48,
						     DID, &s1, e), 0,
		     "SRE, WPE, EAFE on a unit with SRS and EAFS");
	lt_expect_eq(t, e[2], FS_ROOT | BIT_ULL(0) | BIT_ULL(4) | BIT_ULL(7),
		     "bits 128 (SRE), 132 (WPE), 135 (EAFE)");

	s1.flags = 0;
	s1.addr_width = 57;
	lt_expect_eq(t, liommu_vtd_test_nested_entry(0, true, SS_ROOT, AW_48,
						     DID, &s1, e), 0, "5-level");
	lt_expect_eq(t, e[2], FS_ROOT | (1ULL << 2), "FSPM 01b: 5-level");
}

static void nested_vtd_entry_refusals(struct lt_ctx *t)
{
	const struct {
		u64 flags, addr;
		u32 aw, rsvd;
		u64 ecap;
		bool fl5;
		int err;
		const char *what;
	} bad[] = {
		{ BIT_ULL(3), FS_ROOT, 48, 0, 0, false, -EOPNOTSUPP, "unknown flag" },
		{ 0, FS_ROOT, 48, 1, 0, false, -EINVAL, "reserved field" },
		{ 0, FS_ROOT | 0x800, 48, 0, 0, false, -EINVAL, "unaligned root" },
		{ 0, FS_ROOT, 39, 0, 0, false, -EINVAL, "a width other than 48/57" },
		{ 0, FS_ROOT, 57, 0, 0, false, -EOPNOTSUPP, "5-level without FL5LP" },
		{ LIOMMU_VTD_S1_SRE, FS_ROOT, 48, 0, 0, false, -EOPNOTSUPP,
		  "SRE without ECAP.SRS" },
		{ LIOMMU_VTD_S1_EAFE, FS_ROOT, 48, 0, 0, false, -EOPNOTSUPP,
		  "EAFE without ECAP.EAFS" },
	};
	struct liommu_hwpt_vtd_s1 s1;
	unsigned int i;
	u64 e[8];

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		s1.flags = bad[i].flags;
		s1.pgtbl_addr = bad[i].addr;
		s1.addr_width = bad[i].aw;
		s1.__reserved = bad[i].rsvd;
		lt_expect_eq(t, liommu_vtd_test_nested_entry(bad[i].ecap,
				bad[i].fl5, SS_ROOT, AW_48, DID, &s1, e),
			     bad[i].err, bad[i].what);
	}
}

/* PASID-based IOTLB: type 6 (bits 3:0), G bits 5:4, DID 31:16, PASID 51:32. */
static u64 piotlb0(unsigned int g, u32 pasid)
{
	return 6 | ((u64)g << 4) | ((u64)DID << 16) | ((u64)pasid << 32);
}

static void nested_vtd_inv_golden(struct lt_ctx *t)
{
	const struct {
		u64 addr, npages;
		u32 flags;
		unsigned int max_am;
		u64 w0, w1;
		const char *what;
	} c[] = {
		{ 0, U64_MAX, 0, 9, piotlb0(2, 7), 0, "everything: PASID-selective" },
		{ 0x5000, 1, LIOMMU_VTD_INV_FLAGS_LEAF, 9, piotlb0(3, 7),
		  0x5000 | BIT_ULL(6), "one page, leaf: AM 0, IH" },
		{ 0x5000, 3, 0, 9, piotlb0(3, 7), 0x4000 | 2,
		  "pages 5-7: the aligned block 4-7, AM 2" },
		{ 0x7000, 2, 0, 9, piotlb0(3, 7), 0x0000 | 4,
		  "pages 7-8 cross 8: the block 0-15, AM 4" },
		{ 0x7000, 2, 0, 2, piotlb0(2, 7), 0,
		  "wider than CAP.MAMV: the whole PASID" },
	};
	struct liommu_hwpt_vtd_s1_invalidate inv = {};
	unsigned int i;
	u64 d[4];

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		inv.addr = c[i].addr;
		inv.npages = c[i].npages;
		inv.flags = c[i].flags;
		if (!lt_expect_eq(t, liommu_vtd_test_nested_inv(DID, 7, &inv,
						c[i].max_am, d), 0, c[i].what))
			continue;
		lt_expect_eq(t, d[0], c[i].w0, c[i].what);
		lt_expect_eq(t, d[1], c[i].w1, c[i].what);
		lt_expect_true(t, !d[2] && !d[3], "words 2, 3 zero");
	}
	inv.addr = 0x5000;
	inv.npages = 1;
	inv.flags = BIT(1);
	lt_expect_eq(t, liommu_vtd_test_nested_inv(DID, 7, &inv, 9, d),
		     -EOPNOTSUPP, "unknown flag");
	inv.flags = 0;
	inv.npages = 0;
	lt_expect_eq(t, liommu_vtd_test_nested_inv(DID, 7, &inv, 9, d), -EINVAL,
		     "no pages");
	inv.npages = 1;
	inv.addr = 0x5008;
	lt_expect_eq(t, liommu_vtd_test_nested_inv(DID, 7, &inv, 9, d), -EINVAL,
		     "unaligned address");
	inv.addr = 0xfffffffffffff000ULL;
	inv.npages = 2;
	lt_expect_eq(t, liommu_vtd_test_nested_inv(DID, 7, &inv, 9, d), -EINVAL,
		     "a range that wraps");
	inv.addr = 0x5000;
	inv.npages = 1;
	inv.__reserved = 1;
	lt_expect_eq(t, liommu_vtd_test_nested_inv(DID, 7, &inv, 9, d), -EINVAL,
		     "reserved field");
}

static const struct lt_case nested_vtd_cases[] = {
	LT_CASE(nested_vtd_refused),
	LT_CASE(nested_vtd_entry_golden),
	LT_CASE(nested_vtd_entry_refusals),
	LT_CASE(nested_vtd_inv_golden),
};

const struct lt_suite lt_nested_vtd_suite =
	LT_SUITE("nested_vtd", nested_vtd_cases);
