// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs_vtd_*: what /sys/kernel/debug/liommu/vtd/vtd0/devices/<edu 0>
 * (intel/debugfs.c) shows is what the driver programmed.
 *
 * The file's text (liommu_vtd_debugfs_dev(), the code the file runs: a
 * module cannot read a debugfs file) is read beside the live entries
 * (liommu_vtd_read_dev_entries()) and the domain's own values
 * (liommu_vtd_domain_root()):
 *  - the header names the mode the profile states and RTADDR's TTM;
 *  - the root, context and (scalable) RID_PASID PASID entry lines carry
 *    the live words raw, and their named fields are those words' fields;
 *  - edu 0 on its default domain: pass-through (TT 10b, or PGTT 100b);
 *  - edu 0 attached to a paging domain: the entry points at the domain's
 *    root table (SSPTPTR, or FSPTPTR where the unit only walks first
 *    stage: PGTT against the profile's first_stage/second_stage) with
 *    its domain id and AW; detached, the entry is pass-through again.
 */
#include <linux/bitfield.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <liommu/liommu.h>
#include <liommu/vtd.h>

#include "selftest.h"
#include "../../intel/regs.h"
#include "../../intel/tables.h"

#define DV_BUF		8192
#define DV_LINE		640

struct dv {
	struct pci_dev *pdev;
	u8 bus;
	u8 devfn;
	char *buf;
	char line[DV_LINE];		/* the device's translating entry */
	char other[DV_LINE];
	struct liommu_vtd_dev_entries e;
};

static bool dv_raw_eq(struct lt_ctx *t, const char *line, const u64 *want,
		      unsigned int n, const char *what)
{
	u64 w[8];
	unsigned int i;

	if (lt_dbg_raw(line, w, ARRAY_SIZE(w)) != n) {
		lt_fail(t, "%s: not %u raw words: '%s'", what, n, line);
		return false;
	}
	for (i = 0; i < n; i++) {
		if (w[i] != want[i]) {
			lt_fail(t, "%s: raw word %u is %#llx, the live entry %#llx",
				what, i, w[i], want[i]);
			return false;
		}
	}
	return true;
}

static bool dv_field_eq(struct lt_ctx *t, const char *line, const char *name,
			u64 want)
{
	u64 v;

	if (!lt_dbg_field(line, name, &v)) {
		lt_fail(t, "no field %s in '%s'", name, line);
		return false;
	}
	if (v != want) {
		lt_fail(t, "%s=%#llx, want %#llx, in '%s'", name, v, want, line);
		return false;
	}
	return true;
}

/*
 * Read the file and the live entries; check the header, and that each
 * entry's line has the live words, raw and by field.  @x->line is then
 * the entry that says how the device translates: the context entry
 * (legacy) or the PASID entry of RID_PASID (scalable).
 */
static bool dv_read(struct lt_ctx *t, struct dv *x)
{
	bool sm = lt_expect.scalable == 1;
	unsigned int half = sm && x->devfn >= LIOMMU_VTD_SM_ROOT_DEVFNS;
	char prefix[48], mode[16];
	u64 v, rid_pasid;
	int n;

	n = liommu_vtd_debugfs_dev(0, x->bus, x->devfn, x->buf, DV_BUF);
	if (!lt_expect_true(t, n > 0, "the file's text") ||
	    !lt_expect_eq(t, liommu_vtd_read_dev_entries(0, x->bus, x->devfn,
							 &x->e), 0,
			  "the live entries"))
		return false;

	snprintf(prefix, sizeof(prefix), "device=%s ", pci_name(x->pdev));
	if (!lt_dbg_line(x->buf, prefix, x->other, DV_LINE)) {
		lt_fail(t, "no line '%s...':\n%s", prefix, x->buf);
		return false;
	}
	if (!lt_dbg_str(x->other, "mode", mode, sizeof(mode)) ||
	    strcmp(mode, sm ? "scalable" : "legacy")) {
		lt_fail(t, "the profile states scalable=%d: '%s'",
			lt_expect.scalable, x->other);
		return false;
	}
	if (!lt_expect_eq(t, x->e.scalable, sm, "the driver's tables") ||
	    !dv_field_eq(t, x->other, "rtaddr", x->e.rtaddr) ||
	    !dv_field_eq(t, x->other, "ttm", sm ? LIOMMU_VTD_TTM_SCALABLE :
						  LIOMMU_VTD_TTM_LEGACY) ||
	    !dv_field_eq(t, x->other, "sid", PCI_DEVID(x->bus, x->devfn)))
		return false;

	snprintf(prefix, sizeof(prefix), "root bus=%#x ", x->bus);
	if (!lt_dbg_line(x->buf, prefix, x->other, DV_LINE) ||
	    !dv_raw_eq(t, x->other, x->e.root, LIOMMU_VTD_ROOT_WORDS, "root"))
		return false;
	if (sm ? !dv_field_eq(t, x->other, half ? "UCTP" : "LCTP",
			      x->e.root[half] & LIOMMU_VTD_ROOT_0_CTP) :
		 !dv_field_eq(t, x->other, "CTP",
			      x->e.root[0] & LIOMMU_VTD_ROOT_0_CTP))
		return false;

	snprintf(prefix, sizeof(prefix), "context devfn=%#x ", x->devfn);
	if (!lt_dbg_line(x->buf, prefix, x->line, DV_LINE) ||
	    !dv_raw_eq(t, x->line, x->e.context,
		       sm ? LIOMMU_VTD_SM_CTX_WORDS : LIOMMU_VTD_CTX_WORDS,
		       "context entry") ||
	    !dv_field_eq(t, x->line, "P", 1))
		return false;
	if (!sm)
		return true;

	rid_pasid = FIELD_GET(LIOMMU_VTD_SM_CTX_1_RID_PASID, x->e.context[1]);
	if (!dv_field_eq(t, x->line, "RID_PASID", rid_pasid) ||
	    !dv_field_eq(t, x->line, "PASIDDIRPTR", x->e.context[0] &
			 LIOMMU_VTD_SM_CTX_0_PASIDDIRPTR) ||
	    !dv_field_eq(t, x->line, "PDTS",
			 FIELD_GET(LIOMMU_VTD_SM_CTX_0_PDTS, x->e.context[0])))
		return false;
	snprintf(prefix, sizeof(prefix), "pasid-dir index=%#llx ",
		 LIOMMU_VTD_PDIR_INDEX(rid_pasid));
	if (!lt_dbg_line(x->buf, prefix, x->other, DV_LINE) ||
	    !dv_raw_eq(t, x->other, &x->e.pasid_dir, 1, "PASID directory entry") ||
	    !dv_field_eq(t, x->other, "SMPTBLPTR",
			 x->e.pasid_dir & LIOMMU_VTD_PDIR_0_SMPTBLPTR))
		return false;
	snprintf(prefix, sizeof(prefix), "pasid pasid=%#llx ", rid_pasid);
	if (!lt_dbg_line(x->buf, prefix, x->line, DV_LINE)) {
		lt_fail(t, "no line '%s...':\n%s", prefix, x->buf);
		return false;
	}
	if (!dv_raw_eq(t, x->line, x->e.pasid, LIOMMU_VTD_PASID_WORDS,
		       "PASID entry"))
		return false;
	/* Two decoded fields against the header's masks on the live word. */
	v = FIELD_GET(LIOMMU_VTD_PASID_1_DID, x->e.pasid[1]);
	return dv_field_eq(t, x->line, "DID", v) &&
	       dv_field_eq(t, x->line, "PGTT",
			   FIELD_GET(LIOMMU_VTD_PASID_0_PGTT, x->e.pasid[0]));
}

/* The entry line says pass-through, with a domain id other than @not_did. */
static void dv_pass_through(struct lt_ctx *t, struct dv *x, long long not_did)
{
	u64 v;

	if (lt_expect.scalable == 1)
		dv_field_eq(t, x->line, "PGTT", LIOMMU_VTD_PGTT_PASS_THROUGH);
	else
		dv_field_eq(t, x->line, "TT", LIOMMU_VTD_CTX_TT_PASS_THROUGH);
	if (not_did >= 0 && lt_dbg_field(x->line, "DID", &v))
		lt_expect_true(t, v != not_did,
			       "the identity entry has its own domain id");
}

static bool dv_open(struct lt_ctx *t, struct dv *x)
{
	if (!liommu_vtd_nr_units()) {
		lt_fail(t, "no VT-d unit registered");
		return false;
	}
	if (!lt_stated(t, lt_expect.scalable, "scalable") ||
	    !lt_stated_str(t, lt_expect.edu, "edu") ||
	    lt_parse_bdf(lt_expect.edu, 0, &x->bus, &x->devfn))
		return false;
	x->pdev = pci_get_domain_bus_and_slot(0, x->bus, x->devfn);
	x->buf = kzalloc(DV_BUF, GFP_KERNEL);
	if (!x->pdev || !x->buf) {
		lt_fail(t, "no edu 0 or no memory");
		return false;
	}
	return true;
}

static void dv_close(struct dv *x)
{
	kfree(x->buf);
	pci_dev_put(x->pdev);
}

/* edu 0 on its default domain: the identity (pass-through) entry. */
static void debugfs_vtd_default(struct lt_ctx *t)
{
	struct dv *x = kzalloc(sizeof(*x), GFP_KERNEL);

	if (!x) {
		lt_fail(t, "no memory");
		return;
	}
	if (dv_open(t, x) && dv_read(t, x))
		dv_pass_through(t, x, -1);
	dv_close(x);
	kfree(x);
}

/* edu 0 on a paging domain: its root, domain id and AW; back after detach. */
static void debugfs_vtd_paging(struct lt_ctx *t)
{
	struct liommu_domain *d = NULL;
	struct dv *x = kzalloc(sizeof(*x), GFP_KERNEL);
	bool attached = false;
	unsigned int pgtt;
	u64 root;
	u16 did;
	u8 aw;

	if (!x) {
		lt_fail(t, "no memory");
		return;
	}
	if (!dv_open(t, x))
		goto out;
	if (lt_expect.scalable == 1 &&
	    (!lt_stated(t, lt_expect.first_stage, "first_stage") ||
	     !lt_stated(t, lt_expect.second_stage, "second_stage")))
		goto out;
	d = liommu_paging_domain_alloc(&x->pdev->dev);
	if (IS_ERR(d)) {
		lt_fail(t, "paging domain: %ld", PTR_ERR(d));
		d = NULL;
		goto out;
	}
	if (!lt_expect_eq(t, liommu_vtd_domain_root(d, &root, &did, &aw), 0,
			  "the domain's root") ||
	    !lt_expect_eq(t, liommu_attach_device(d, &x->pdev->dev), 0,
			  "attach"))
		goto out;
	attached = true;
	if (!dv_read(t, x))
		goto out;

	if (lt_expect.scalable != 1) {
		dv_field_eq(t, x->line, "TT", LIOMMU_VTD_CTX_TT_UNTRANSLATED);
		dv_field_eq(t, x->line, "SSPTPTR", root);
		dv_field_eq(t, x->line, "AW", aw);
		dv_field_eq(t, x->line, "DID", did);
	} else {
		/* The unit's walker decides: second stage where it has one. */
		pgtt = lt_expect.second_stage ? LIOMMU_VTD_PGTT_SECOND_STAGE :
						LIOMMU_VTD_PGTT_FIRST_STAGE;
		dv_field_eq(t, x->line, "PGTT", pgtt);
		dv_field_eq(t, x->line, pgtt == LIOMMU_VTD_PGTT_SECOND_STAGE ?
				    "SSPTPTR" : "FSPTPTR", root);
		if (pgtt == LIOMMU_VTD_PGTT_FIRST_STAGE)
			dv_field_eq(t, x->line, "FSPM", LIOMMU_VTD_FSPM_4LEVEL);
		dv_field_eq(t, x->line, "AW", aw);
		dv_field_eq(t, x->line, "DID", did);
	}

	liommu_detach_device(d, &x->pdev->dev);
	attached = false;
	if (dv_read(t, x))
		dv_pass_through(t, x, did);
out:
	if (attached)
		liommu_detach_device(d, &x->pdev->dev);
	if (d)
		liommu_domain_free(d);
	dv_close(x);
	kfree(x);
}

/*
 * A PASID attached beside RID_PASID (where edu has a PASID capability:
 * the vtd-pasid-* profiles' patched QEMU): the file lists its directory
 * entry and its PASID entry, the live words raw, naming the domain's
 * root, domain id and translation type; detached, it is gone (or not
 * present) and RID_PASID's entry is untouched.
 */
static void debugfs_vtd_pasid(struct lt_ctx *t)
{
	struct dv *x = kzalloc(sizeof(*x), GFP_KERNEL);
	struct liommu_domain *d = NULL;
	u64 words[LIOMMU_VTD_PASID_WORDS];
	bool attached = false;
	char prefix[48];
	unsigned int bits;
	u32 pasid;
	u64 root, v;
	u16 did;
	u8 aw;

	if (!x) {
		lt_fail(t, "no memory");
		return;
	}
	if (!dv_open(t, x))
		goto out;
	bits = liommu_dev_pasid_bits(&x->pdev->dev);
	if (!bits) {
		lt_skip(t, "edu 0 has no PASID width (no PASID capability on stock QEMU, or a legacy-mode unit)");
		goto out;
	}
	/* Past the first PASID directory page where the width allows. */
	pasid = bits > 17 ? 0x12345 : BIT(bits) - 1;
	d = liommu_paging_domain_alloc(&x->pdev->dev);
	if (IS_ERR(d)) {
		lt_fail(t, "paging domain: %ld", PTR_ERR(d));
		d = NULL;
		goto out;
	}
	if (!lt_expect_eq(t, liommu_vtd_domain_root(d, &root, &did, &aw), 0,
			  "the domain's root") ||
	    !lt_expect_eq(t, liommu_attach_device_pasid(d, &x->pdev->dev,
							pasid), 0,
			  "attach the PASID"))
		goto out;
	attached = true;
	/* RID_PASID's entry: still the default's, checked against the live one. */
	if (!dv_read(t, x))
		goto out;
	if (lt_dbg_field(x->line, "DID", &v))
		lt_expect_true(t, v != did, "RID_PASID keeps its own domain");

	snprintf(prefix, sizeof(prefix), "pasid-dir index=%#x ",
		 LIOMMU_VTD_PDIR_INDEX(pasid));
	if (!lt_dbg_line(x->buf, prefix, x->other, DV_LINE)) {
		lt_fail(t, "no line '%s...':\n%s", prefix, x->buf);
		goto out;
	}
	dv_field_eq(t, x->other, "P", 1);
	snprintf(prefix, sizeof(prefix), "pasid pasid=%#x ", pasid);
	if (!lt_dbg_line(x->buf, prefix, x->line, DV_LINE)) {
		lt_fail(t, "no line '%s...':\n%s", prefix, x->buf);
		goto out;
	}
	if (!lt_expect_eq(t, liommu_vtd_read_pasid_entry(0, x->bus, x->devfn,
							 pasid, words), 0,
			  "the live PASID entry") ||
	    !dv_raw_eq(t, x->line, words, LIOMMU_VTD_PASID_WORDS, "PASID entry"))
		goto out;
	dv_field_eq(t, x->line, "P", 1);
	dv_field_eq(t, x->line, "DID", did);
	dv_field_eq(t, x->line, "AW", aw);
	if (lt_expect.second_stage == 1) {
		dv_field_eq(t, x->line, "PGTT", LIOMMU_VTD_PGTT_SECOND_STAGE);
		dv_field_eq(t, x->line, "SSPTPTR", root);
	} else {
		dv_field_eq(t, x->line, "PGTT", LIOMMU_VTD_PGTT_FIRST_STAGE);
		dv_field_eq(t, x->line, "FSPTPTR", root);
	}

	liommu_detach_device_pasid(d, &x->pdev->dev, pasid);
	attached = false;
	if (liommu_vtd_debugfs_dev(0, x->bus, x->devfn, x->buf, DV_BUF) > 0 &&
	    lt_dbg_line(x->buf, prefix, x->line, DV_LINE))
		dv_field_eq(t, x->line, "P", 0);
out:
	if (attached)
		liommu_detach_device_pasid(d, &x->pdev->dev, pasid);
	if (d)
		liommu_domain_free(d);
	dv_close(x);
	kfree(x);
}

static const struct lt_case debugfs_vtd_cases[] = {
	LT_CASE(debugfs_vtd_default),
	LT_CASE(debugfs_vtd_paging),
	LT_CASE(debugfs_vtd_pasid),
};

const struct lt_suite lt_debugfs_vtd_suite = LT_SUITE("debugfs_vtd",
						       debugfs_vtd_cases);
