// SPDX-License-Identifier: GPL-2.0
/*
 * harness_*: does the VT-d machine keep its profile's promises?
 *
 * Each case compares what liommu_intel.ko decoded from the unit's
 * registers and the DMAR table with what the profile states, so a profile
 * booted with the wrong QEMU options fails here before any driver test
 * builds on a wrong assumption.
 */
#include <linux/pci.h>
#include <linux/sizes.h>

#include <liommu/vtd.h>
#include "../../intel/regs.h"
#include "edu.h"
#include "selftest.h"

/* Unit 0's info, or fail the case. */
static bool unit0(struct lt_ctx *t, struct liommu_vtd_unit_info *info)
{
	int err = liommu_vtd_get_unit_info(0, info);

	if (err)
		lt_fail(t, "no VT-d unit 0 (error %d)", err);
	return !err;
}

static void harness_dmar_table(struct lt_ctx *t)
{
	struct liommu_vtd_unit_info info;

	if (!unit0(t, &info) || !lt_stated(t, lt_expect.haw, "haw"))
		return;
	lt_expect_eq(t, info.haw, lt_expect.haw, "DMAR host address width");
}

static void harness_unit_count(struct lt_ctx *t)
{
	struct liommu_vtd_unit_info info;

	if (!lt_stated(t, lt_expect.units, "units"))
		return;
	lt_expect_eq(t, liommu_vtd_nr_units(), lt_expect.units, "DRHD units");
	if (!unit0(t, &info))
		return;
	if (lt_expect.base)
		lt_expect_eq(t, info.base, lt_expect.base, "unit 0 base");
	else
		lt_fail(t, "the profile does not state 'base'");
}

static void harness_unit_version(struct lt_ctx *t)
{
	struct liommu_vtd_unit_info info;

	if (!unit0(t, &info))
		return;
	lt_expect_true(t, info.caps.ver_major >= 1, "VER major >= 1");
	lt_expect_true(t, info.ver != 0 && info.cap != 0, "registers read back");
}

/* Is bus:devfn named by a PCI scope entry of some unit (or INCLUDE_ALL)? */
static bool in_scope(u8 bus, u8 devfn)
{
	unsigned int u, e;

	for (u = 0; u < liommu_vtd_nr_units(); u++) {
		struct liommu_vtd_unit_info info;
		struct liommu_vtd_scope s;

		if (liommu_vtd_get_unit_info(u, &info))
			continue;
		if (info.include_all)
			return true;
		for (e = 0; !liommu_vtd_get_scope(u, e, &s); e++)
			if (s.type == LIOMMU_VTD_SCOPE_PCI_ENDPOINT &&
			    s.resolved && s.bus == bus && s.devfn == devfn)
				return true;
	}
	return false;
}

static void check_in_scope(struct lt_ctx *t, struct pci_dev *pdev,
			   void *data)
{
	if (!in_scope(pdev->bus->number, pdev->devfn))
		lt_fail(t, "%s is not in any unit's device scope",
			pci_name(pdev));
}

static void harness_scope_edu(struct lt_ctx *t)
{
	if (lt_stated_str(t, lt_expect.edu, "edu"))
		lt_check_listed_devices(t, lt_expect.edu, LT_EDU_VENDOR,
					LT_EDU_DEVICE, 2, check_in_scope, NULL);
}

static void harness_scope_rng(struct lt_ctx *t)
{
	if (lt_stated_str(t, lt_expect.rng, "rng"))
		lt_check_listed_devices(t, lt_expect.rng, LT_VIRTIO_VENDOR,
					LT_VIRTIO_RNG_MODERN, 1, check_in_scope,
					NULL);
}

static void harness_scalable_mode(struct lt_ctx *t)
{
	struct liommu_vtd_unit_info info;

	if (!unit0(t, &info) || !lt_stated(t, lt_expect.scalable, "scalable"))
		return;
	lt_expect_eq(t, info.caps.scalable, lt_expect.scalable,
		     "ECAP.SMTS (scalable mode)");
}

static void harness_first_stage(struct lt_ctx *t)
{
	struct liommu_vtd_unit_info info;

	if (!unit0(t, &info) ||
	    !lt_stated(t, lt_expect.first_stage, "first_stage"))
		return;
	lt_expect_eq(t, info.caps.first_stage, lt_expect.first_stage,
		     "ECAP.FLTS (first-stage translation)");
}

/*
 * Legacy mode translates through second-stage tables by definition; in
 * scalable mode the unit says so with ECAP.SLTS.
 */
static void harness_second_stage(struct lt_ctx *t)
{
	struct liommu_vtd_unit_info info;
	bool offered;

	if (!unit0(t, &info) ||
	    !lt_stated(t, lt_expect.second_stage, "second_stage"))
		return;
	offered = info.caps.scalable ? info.caps.second_stage : true;
	lt_expect_eq(t, offered, lt_expect.second_stage,
		     info.caps.scalable ? "ECAP.SLTS (second-stage translation)" :
					  "legacy-mode second-stage translation");
}

static void harness_pasid_width(struct lt_ctx *t)
{
	struct liommu_vtd_unit_info info;

	if (!unit0(t, &info) || !lt_stated(t, lt_expect.pasid_bits, "pasid_bits"))
		return;
	lt_expect_eq(t, info.caps.pasid_bits, lt_expect.pasid_bits,
		     "PASID width (ECAP.PASID, ECAP.PSS + 1)");
	lt_expect_eq(t, !!(info.ecap & LIOMMU_VTD_ECAP_PASID),
		     lt_expect.pasid_bits > 0, "ECAP.PASID");
}

static void harness_address_widths(struct lt_ctx *t)
{
	struct liommu_vtd_unit_info info;
	u8 sagaw = 0;
	char buf[32], *p = buf, *tok;

	if (!unit0(t, &info) || !lt_stated(t, lt_expect.mgaw, "mgaw") ||
	    !lt_stated_str(t, lt_expect.sagaw, "sagaw"))
		return;
	lt_expect_eq(t, info.caps.mgaw, lt_expect.mgaw, "CAP.MGAW + 1");
	strscpy(buf, lt_expect.sagaw, sizeof(buf));
	while ((tok = strsep(&p, ","))) {
		if (!strcmp(tok, "39"))
			sagaw |= LIOMMU_VTD_SAGAW_39;
		else if (!strcmp(tok, "48"))
			sagaw |= LIOMMU_VTD_SAGAW_48;
		else if (!strcmp(tok, "57"))
			sagaw |= LIOMMU_VTD_SAGAW_57;
		else
			lt_fail(t, "bad sagaw width '%s'", tok);
	}
	lt_expect_eq(t, info.caps.sagaw, sagaw, "CAP.SAGAW");
}

static void check_pages(struct lt_ctx *t, const char *want, u64 got,
			const char *what)
{
	u64 bitmap;

	if (!lt_stated_str(t, want, what))
		return;
	if (lt_parse_sizes(want, &bitmap)) {
		lt_fail(t, "bad page-size list '%s'", want);
		return;
	}
	lt_expect_eq(t, got, bitmap, what);
}

static void harness_pages_second_stage(struct lt_ctx *t)
{
	struct liommu_vtd_unit_info info;

	if (unit0(t, &info))
		check_pages(t, lt_expect.sl_pages, info.caps.sl_pgsize_bitmap,
			    "sl_pages");
}

static void harness_pages_first_stage(struct lt_ctx *t)
{
	struct liommu_vtd_unit_info info;

	if (unit0(t, &info))
		check_pages(t, lt_expect.fl_pages, info.caps.fl_pgsize_bitmap,
			    "fl_pages");
}

static void harness_queued_invalidation(struct lt_ctx *t)
{
	struct liommu_vtd_unit_info info;

	if (!unit0(t, &info) || !lt_stated(t, lt_expect.qi, "qi"))
		return;
	lt_expect_eq(t, info.caps.qi, lt_expect.qi, "ECAP.QI");
}

static void harness_pass_through(struct lt_ctx *t)
{
	struct liommu_vtd_unit_info info;

	if (!unit0(t, &info) ||
	    !lt_stated(t, lt_expect.pass_through, "pass_through"))
		return;
	lt_expect_eq(t, info.caps.pass_through, lt_expect.pass_through,
		     "ECAP.PT");
}

static void harness_fault_records(struct lt_ctx *t)
{
	struct liommu_vtd_unit_info info;

	if (!unit0(t, &info) ||
	    !lt_stated(t, lt_expect.fault_records, "fault_records"))
		return;
	lt_expect_eq(t, info.caps.nr_fault_records, lt_expect.fault_records,
		     "CAP.NFR + 1");
	/* Both blocks lie past GSTS..IRTA and inside the mapped registers. */
	lt_expect_true(t, info.caps.fault_reg_offset > LIOMMU_VTD_REG_IRTA &&
			  IS_ALIGNED(info.caps.fault_reg_offset, 16) &&
			  info.caps.fault_reg_offset +
			  16 * info.caps.nr_fault_records <= info.reg_size,
		       "fault recording registers placed and mapped");
	lt_expect_true(t, info.caps.iotlb_reg_offset > LIOMMU_VTD_REG_IRTA &&
			  IS_ALIGNED(info.caps.iotlb_reg_offset, 16) &&
			  info.caps.iotlb_reg_offset + 16 <= info.reg_size,
		       "IOTLB registers placed and mapped");
}

/*
 * Nobody drove the unit when liommu_intel.ko loaded.  (It drives the unit
 * itself now: the vtd suite checks what it turned on.)
 */
static void harness_not_enabled(struct lt_ctx *t)
{
	unsigned int u;

	for (u = 0; u < liommu_vtd_nr_units(); u++) {
		struct liommu_vtd_unit_info info;

		if (liommu_vtd_get_unit_info(u, &info)) {
			lt_fail(t, "unit %u cannot be queried", u);
			continue;
		}
		if (info.gsts & LIOMMU_VTD_GSTS_IN_USE)
			lt_fail(t, "unit %u: GSTS %#x at load: someone drives it",
				u, info.gsts);
	}
	lt_expect_true(t, liommu_vtd_nr_units() > 0, "at least one unit");
}

/* The query API refuses bad arguments with the documented errnos. */
static void harness_query_errors(struct lt_ctx *t)
{
	unsigned int nr = liommu_vtd_nr_units();
	struct liommu_vtd_unit_info info;
	struct liommu_vtd_scope s;
	u32 gsts;

	lt_expect_eq(t, liommu_vtd_get_unit_info(nr, &info), -ENOENT,
		     "unit past the end");
	lt_expect_eq(t, liommu_vtd_get_unit_info(0, NULL), -EINVAL,
		     "NULL info");
	lt_expect_eq(t, liommu_vtd_get_scope(nr, 0, &s), -ENOENT,
		     "scope of a unit past the end");
	lt_expect_eq(t, liommu_vtd_get_scope(0, U32_MAX, &s), -ENOENT,
		     "scope entry past the end");
	lt_expect_eq(t, liommu_vtd_get_scope(0, 0, NULL), -EINVAL,
		     "NULL scope");
	lt_expect_eq(t, liommu_vtd_read_gsts(nr, &gsts), -ENOENT,
		     "GSTS of a unit past the end");
}

static const struct lt_case harness_vtd_cases[] = {
	LT_CASE(harness_dmar_table),
	LT_CASE(harness_unit_count),
	LT_CASE(harness_unit_version),
	LT_CASE(harness_scope_edu),
	LT_CASE(harness_scope_rng),
	LT_CASE(harness_scalable_mode),
	LT_CASE(harness_first_stage),
	LT_CASE(harness_second_stage),
	LT_CASE(harness_pasid_width),
	LT_CASE(harness_address_widths),
	LT_CASE(harness_pages_second_stage),
	LT_CASE(harness_pages_first_stage),
	LT_CASE(harness_queued_invalidation),
	LT_CASE(harness_pass_through),
	LT_CASE(harness_fault_records),
	LT_CASE(harness_not_enabled),
	LT_CASE(harness_query_errors),
};

const struct lt_suite lt_harness_vtd_suite =
	LT_SUITE("harness", harness_vtd_cases);
