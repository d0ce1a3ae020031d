// SPDX-License-Identifier: GPL-2.0
/*
 * vtd_*: liommu_intel.ko took the unit: translation is on, and every
 * device keeps working through an identity (pass-through) default in the
 * format of the profile's mode.
 *
 * QEMU accepts tables in the wrong format (legacy tables in scalable mode,
 * say), so DMA that works proves little about the mode: these cases read
 * back RTADDR and the live root, context and PASID entries of each edu
 * and the virtio-rng device and check every field the driver set.
 */
#include <linux/pci.h>

#include <liommu/vtd.h>
#include "../../intel/qi.h"
#include "../../intel/regs.h"
#include "../../intel/tables.h"
#include "selftest.h"

static void vtd_translation_enabled(struct lt_ctx *t)
{
	unsigned int u;
	u32 gsts;

	for (u = 0; u < liommu_vtd_nr_units(); u++) {
		if (liommu_vtd_read_gsts(u, &gsts)) {
			lt_fail(t, "unit %u cannot be queried", u);
			continue;
		}
		lt_expect_true(t, gsts & LIOMMU_VTD_GSTS_TES,
			       "GSTS.TES (translation enabled)");
		lt_expect_true(t, gsts & LIOMMU_VTD_GSTS_QIES,
			       "GSTS.QIES (queued invalidation enabled)");
		lt_expect_true(t, gsts & LIOMMU_VTD_GSTS_RTPS,
			       "GSTS.RTPS (root table pointer set)");
		lt_expect_true(t, !(gsts & LIOMMU_VTD_GSTS_IRES),
			       "GSTS.IRES off (we do not remap interrupts)");
	}
	lt_expect_true(t, liommu_vtd_nr_units() > 0, "at least one unit");
}

/* RTADDR's TTM, read from the live register, is the profile's mode. */
static void vtd_rtaddr_mode(struct lt_ctx *t)
{
	struct liommu_vtd_dev_entries e;
	int err;

	if (lt_expect.scalable == LT_UNSET) {
		lt_fail(t, "the profile does not state 'scalable'");
		return;
	}
	err = liommu_vtd_read_dev_entries(0, 0, 0, &e);
	if (err) {
		lt_fail(t, "unit 0: no tables (error %d)", err);
		return;
	}
	lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_RTADDR_TTM, e.rtaddr),
		     lt_expect.scalable ? LIOMMU_VTD_TTM_SCALABLE :
					  LIOMMU_VTD_TTM_LEGACY,
		     "RTADDR.TTM");
	lt_expect_true(t, FIELD_GET(LIOMMU_VTD_RTADDR_RTA, e.rtaddr) != 0,
		       "RTADDR points at a root table");
	lt_expect_eq(t, e.scalable, lt_expect.scalable,
		     "driver built scalable-mode tables");
}

static void check_legacy(struct lt_ctx *t,
			 const struct liommu_vtd_dev_entries *e,
			 const struct liommu_vtd_unit_info *info)
{
	u64 c0 = e->context[0], c1 = e->context[1];
	unsigned int aw = FIELD_GET(LIOMMU_VTD_CTX_1_AW, c1);
	unsigned int did = FIELD_GET(LIOMMU_VTD_CTX_1_DID, c1);

	lt_expect_true(t, e->root[0] & LIOMMU_VTD_ROOT_0_P, "root entry P");
	lt_expect_true(t, FIELD_GET(LIOMMU_VTD_ROOT_0_CTP, e->root[0]),
		       "root entry CTP");
	lt_expect_eq(t, e->root[1], 0, "legacy root entry high word");
	lt_expect_true(t, c0 & LIOMMU_VTD_CTX_0_P, "context entry P");
	lt_expect_true(t, !(c0 & LIOMMU_VTD_CTX_0_FPD), "context entry FPD off");
	lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_CTX_0_TT, c0),
		     LIOMMU_VTD_CTX_TT_PASS_THROUGH, "context entry TT");
	lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_CTX_0_SSPTPTR, c0), 0,
		     "no second-stage table for pass-through");
	lt_expect_true(t, info->caps.sagaw & BIT(aw),
		       "context entry AW is one CAP.SAGAW offers");
	lt_expect_true(t, did != 0 && did < info->caps.nr_domain_ids,
		       "context entry DID in 1..ND");
	lt_expect_eq(t, e->context[2] | e->context[3], 0,
		     "no words past a legacy context entry");
}

static void check_scalable(struct lt_ctx *t,
			   const struct liommu_vtd_dev_entries *e,
			   const struct liommu_vtd_unit_info *info, u8 devfn)
{
	u64 root = devfn < LIOMMU_VTD_SM_ROOT_DEVFNS ? e->root[0] : e->root[1];
	u64 c0 = e->context[0], c1 = e->context[1];
	u64 p0 = e->pasid[0], p1 = e->pasid[1];
	unsigned int did = FIELD_GET(LIOMMU_VTD_PASID_1_DID, p1);
	unsigned int i;

	lt_expect_true(t, root & LIOMMU_VTD_SM_ROOT_0_LP,
		       "scalable root entry half present (LP/UP)");
	lt_expect_true(t, FIELD_GET(LIOMMU_VTD_SM_ROOT_0_LCTP, root),
		       "scalable root entry context table pointer");
	lt_expect_true(t, c0 & LIOMMU_VTD_SM_CTX_0_P, "context entry P");
	lt_expect_true(t, !(c0 & (LIOMMU_VTD_SM_CTX_0_FPD |
				  LIOMMU_VTD_SM_CTX_0_DTE |
				  LIOMMU_VTD_SM_CTX_0_PASIDE |
				  LIOMMU_VTD_SM_CTX_0_PRE)),
		       "context entry FPD, DTE, PASIDE, PRE off");
	lt_expect_true(t, FIELD_GET(LIOMMU_VTD_SM_CTX_0_PASIDDIRPTR, c0),
		       "context entry PASID directory pointer");
	lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_SM_CTX_1_RID_PASID, c1), 0,
		     "context entry RID_PASID");
	lt_expect_eq(t, e->context[2] | e->context[3], 0,
		     "context entry words 2-3 reserved");
	lt_expect_true(t, e->pasid_dir & LIOMMU_VTD_PDIR_0_P,
		       "PASID directory entry P");
	lt_expect_true(t, FIELD_GET(LIOMMU_VTD_PDIR_0_SMPTBLPTR, e->pasid_dir),
		       "PASID directory entry table pointer");
	lt_expect_true(t, p0 & LIOMMU_VTD_PASID_0_P, "PASID entry P");
	lt_expect_true(t, !(p0 & LIOMMU_VTD_PASID_0_FPD), "PASID entry FPD off");
	lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_PASID_0_PGTT, p0),
		     LIOMMU_VTD_PGTT_PASS_THROUGH, "PASID entry PGTT");
	/* QEMU wants AW 2 (4 levels) in every PASID entry (DESIGN.md). */
	lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_PASID_0_AW, p0), LIOMMU_VTD_AW_48,
		     "PASID entry AW");
	lt_expect_true(t, info->caps.sagaw & BIT(LIOMMU_VTD_AW_48),
		       "PASID entry AW is one CAP.SAGAW offers");
	lt_expect_true(t, did != 0 && did < info->caps.nr_domain_ids,
		       "PASID entry DID in 1..ND");
	lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_PASID_0_SSPTPTR, p0), 0,
		     "no second-stage table for pass-through");
	for (i = 2; i < 8; i++)
		if (e->pasid[i])
			lt_fail(t, "PASID entry word %u is %#llx, want 0", i,
				e->pasid[i]);
}

static void check_entries(struct lt_ctx *t, const char *list,
			  unsigned int want)
{
	struct liommu_vtd_unit_info info;
	unsigned int n;
	u8 bus, devfn;
	int err;

	if (!list) {
		lt_fail(t, "the profile does not name the devices");
		return;
	}
	if (liommu_vtd_get_unit_info(0, &info)) {
		lt_fail(t, "no unit 0");
		return;
	}
	for (n = 0; !(err = lt_parse_bdf(list, n, &bus, &devfn)); n++) {
		struct liommu_vtd_dev_entries e;

		err = liommu_vtd_read_dev_entries(0, bus, devfn, &e);
		if (err) {
			lt_fail(t, "%02x:%02x.%u: no entries (error %d)", bus,
				PCI_SLOT(devfn), PCI_FUNC(devfn), err);
			continue;
		}
		lt_info(t, "%02x:%02x.%u: RTADDR %#llx root %#llx:%#llx context %#llx:%#llx pasid-dir %#llx pasid %#llx:%#llx",
			bus, PCI_SLOT(devfn), PCI_FUNC(devfn), e.rtaddr,
			e.root[1], e.root[0], e.context[1], e.context[0],
			e.pasid_dir, e.pasid[1], e.pasid[0]);
		/* The format must be the one RTADDR.TTM tells the unit. */
		lt_expect_eq(t, e.scalable,
			     FIELD_GET(LIOMMU_VTD_RTADDR_TTM, e.rtaddr) ==
			     LIOMMU_VTD_TTM_SCALABLE,
			     "table format matches RTADDR.TTM");
		if (e.scalable)
			check_scalable(t, &e, &info, devfn);
		else
			check_legacy(t, &e, &info);
	}
	lt_expect_eq(t, n, want, "devices listed by the profile");
}

static void vtd_entries_edu(struct lt_ctx *t)
{
	check_entries(t, lt_expect.edu, 2);
}

static void vtd_entries_rng(struct lt_ctx *t)
{
	check_entries(t, lt_expect.rng, 1);
}

/* A devfn no device and no scope entry has: nothing is present. */
static void vtd_entries_absent(struct lt_ctx *t)
{
	struct liommu_vtd_dev_entries e;
	int err = liommu_vtd_read_dev_entries(0, 0, PCI_DEVFN(0x1f, 7), &e);

	if (err) {
		lt_fail(t, "read failed (error %d)", err);
		return;
	}
	lt_expect_eq(t, e.context[0], 0, "context entry of 00:1f.7");
	lt_expect_eq(t, liommu_vtd_read_dev_entries(0, 0, 0, NULL), -EINVAL,
		     "NULL entries");
	lt_expect_eq(t, liommu_vtd_read_dev_entries(liommu_vtd_nr_units(), 0,
						    0, &e), -ENOENT,
		     "unit past the end");
}

static void vtd_qi_wait(struct lt_ctx *t)
{
	unsigned int i;

	for (i = 0; i < 3; i++)
		lt_expect_eq(t, liommu_vtd_qi_sync(0), 0,
			     "invalidation wait completes");
	lt_expect_eq(t, liommu_vtd_qi_sync(liommu_vtd_nr_units()), -ENOENT,
		     "wait on a unit past the end");
}

/*
 * A descriptor the unit rejects (type 0 is no descriptor) fails with -EIO
 * and the driver's FSTS.IQE message; the queue is recovered, so a valid
 * descriptor and a wait then complete and QI and translation stay on.
 */
static void vtd_qi_error(struct lt_ctx *t)
{
	u64 bad[LIOMMU_VTD_QI_MAX_WORDS] = {};
	u64 cc[LIOMMU_VTD_QI_MAX_WORDS] = {
		FIELD_PREP(LIOMMU_VTD_QI_0_TYPE_LO, LIOMMU_VTD_QI_TYPE_CC) |
		FIELD_PREP(LIOMMU_VTD_QI_CC_0_G, LIOMMU_VTD_QI_CC_G_GLOBAL),
	};
	u32 gsts = 0;

	lt_expect_eq(t, liommu_vtd_qi_submit(0, cc, 1), 0,
		     "global context-cache invalidation");
	lt_info(t, "a rejected descriptor follows: expect an FSTS.IQE message");
	lt_expect_eq(t, liommu_vtd_qi_submit(0, bad, 1), -EIO,
		     "descriptor of type 0");
	lt_expect_eq(t, liommu_vtd_qi_sync(0), 0, "wait after the error");
	lt_expect_eq(t, liommu_vtd_qi_submit(0, cc, 1), 0,
		     "valid descriptor after the error");
	lt_expect_eq(t, liommu_vtd_read_gsts(0, &gsts), 0, "GSTS read");
	lt_expect_true(t, (gsts & (LIOMMU_VTD_GSTS_TES | LIOMMU_VTD_GSTS_QIES)) ==
			  (LIOMMU_VTD_GSTS_TES | LIOMMU_VTD_GSTS_QIES),
		       "translation and QI still on");
	lt_expect_eq(t, liommu_vtd_qi_submit(0, cc, 0), -EINVAL,
		     "no descriptors");
	lt_expect_eq(t, liommu_vtd_qi_submit(0, NULL, 1), -EINVAL,
		     "NULL descriptors");
}

static const struct lt_case vtd_enable_cases[] = {
	LT_CASE(vtd_translation_enabled),
	LT_CASE(vtd_rtaddr_mode),
	LT_CASE(vtd_entries_edu),
	LT_CASE(vtd_entries_rng),
	LT_CASE(vtd_entries_absent),
	LT_CASE(vtd_qi_wait),
	LT_CASE(vtd_qi_error),
};

const struct lt_suite lt_vtd_enable_suite = LT_SUITE("vtd", vtd_enable_cases);
