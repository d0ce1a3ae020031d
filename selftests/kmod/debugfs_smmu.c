// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs_smmu_*: what /sys/kernel/debug/liommu/smmu/smmu0/devices/<edu 0>
 * (arm-smmu-v3/debugfs.c) shows is what the driver programmed.
 *
 * The file's text (liommu_smmu_debugfs_dev(), the code the file runs: a
 * module cannot read a debugfs file) is read beside the live STE
 * (liommu_smmu_read_ste()) and the domain's own values
 * (liommu_smmu_domain_info()):
 *  - the header names edu 0's StreamID (the profile's smmu_sids: the
 *    iommu-map) and the stream table's shape the profile states;
 *  - the STE line carries the live words raw, and its named fields are
 *    those words' fields;
 *  - edu 0 on its default domain: a valid bypass STE, no CD;
 *  - a stage-1 paging domain: Config stage 1, and the CD line the STE's
 *    S1ContextPtr leads to is the domain's CD, raw, with its ASID, TTB0
 *    (the domain's root table) and MAIR; detached: bypass again;
 *  - a stage-2 domain (NEST_PARENT, where the profile states s2=1):
 *    Config stage 2 with the domain's VMID and S2TTB (its root), no CD.
 */
#include <linux/bitfield.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <liommu/liommu.h>
#include <liommu/smmu.h>

#include "selftest.h"
#include "../../arm-smmu-v3/cd.h"
#include "../../arm-smmu-v3/ste.h"

#define DS_BUF		8192
#define DS_LINE		1024

struct ds {
	struct pci_dev *pdev;
	u32 sid;
	char *buf;
	char ste_line[DS_LINE];
	char cd_line[DS_LINE];
	bool has_cd;
	u64 ste[8];
};

static bool ds_field_eq(struct lt_ctx *t, const char *line, const char *name,
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

static bool ds_raw_eq(struct lt_ctx *t, const char *line, const u64 *want,
		      const char *what)
{
	unsigned int i;
	u64 w[8];

	if (lt_dbg_raw(line, w, ARRAY_SIZE(w)) != 8) {
		lt_fail(t, "%s: not 8 raw words: '%s'", what, line);
		return false;
	}
	for (i = 0; i < 8; i++) {
		if (w[i] != want[i]) {
			lt_fail(t, "%s: raw word %u is %#llx, the driver's %#llx",
				what, i, w[i], want[i]);
			return false;
		}
	}
	return true;
}

/* Read the file and the live STE; check the header and the STE line. */
static bool ds_read(struct lt_ctx *t, struct ds *x)
{
	char prefix[48], shape[16];
	int n;

	n = liommu_smmu_debugfs_dev(pci_domain_nr(x->pdev->bus),
				    pci_dev_id(x->pdev), x->buf, DS_BUF);
	if (!lt_expect_true(t, n > 0, "the file's text") ||
	    !lt_expect_eq(t, liommu_smmu_read_ste(0, x->sid, x->ste), 0,
			  "the live STE"))
		return false;
	snprintf(prefix, sizeof(prefix), "device=%s ", pci_name(x->pdev));
	if (!lt_dbg_line(x->buf, prefix, x->ste_line, DS_LINE)) {
		lt_fail(t, "no line '%s...':\n%s", prefix, x->buf);
		return false;
	}
	if (!ds_field_eq(t, x->ste_line, "sid", x->sid))
		return false;
	if (!lt_dbg_str(x->ste_line, "strtab", shape, sizeof(shape)) ||
	    strcmp(shape, lt_expect.st_2lvl ? "2-level" : "linear")) {
		lt_fail(t, "the profile states st_2lvl=%d: '%s'",
			lt_expect.st_2lvl, x->ste_line);
		return false;
	}
	if (!lt_dbg_line(x->buf, "ste ", x->ste_line, DS_LINE)) {
		lt_fail(t, "no STE line:\n%s", x->buf);
		return false;
	}
	if (!ds_raw_eq(t, x->ste_line, x->ste, "STE") ||
	    !ds_field_eq(t, x->ste_line, "V",
			 FIELD_GET(LIOMMU_SMMU_STE_0_V, x->ste[0])) ||
	    !ds_field_eq(t, x->ste_line, "CONFIG",
			 FIELD_GET(LIOMMU_SMMU_STE_0_CONFIG, x->ste[0])))
		return false;
	x->has_cd = lt_dbg_line(x->buf, "cd ssid=0x0 ", x->cd_line, DS_LINE);
	return true;
}

static bool ds_open(struct lt_ctx *t, struct ds *x)
{
	u8 bus, devfn;

	if (!liommu_smmu_nr_units()) {
		lt_fail(t, "no SMMU registered");
		return false;
	}
	if (!lt_stated(t, lt_expect.st_2lvl, "st_2lvl") ||
	    !lt_stated_str(t, lt_expect.edu, "edu") ||
	    lt_parse_bdf(lt_expect.edu, 0, &bus, &devfn))
		return false;
	x->pdev = pci_get_domain_bus_and_slot(0, bus, devfn);
	x->buf = kzalloc(DS_BUF, GFP_KERNEL);
	if (!x->pdev || !x->buf) {
		lt_fail(t, "no edu 0 or no memory");
		return false;
	}
	return lt_expect_eq(t, liommu_smmu_rid_to_sid(0, pci_dev_id(x->pdev),
						      NULL, &x->sid), 0,
			    "edu 0's StreamID");
}

static void ds_close(struct ds *x)
{
	kfree(x->buf);
	pci_dev_put(x->pdev);
}

/* A valid bypass STE and no CD: a device on its default (identity) domain. */
static void ds_bypass(struct lt_ctx *t, struct ds *x)
{
	ds_field_eq(t, x->ste_line, "V", 1);
	ds_field_eq(t, x->ste_line, "CONFIG", LIOMMU_SMMU_STE_0_CONFIG_BYPASS);
	lt_expect_true(t, !strstr(x->buf, "\ncd "), "no CD line in bypass");
}

static void debugfs_smmu_default(struct lt_ctx *t)
{
	struct ds *x = kzalloc(sizeof(*x), GFP_KERNEL);

	if (!x) {
		lt_fail(t, "no memory");
		return;
	}
	if (ds_open(t, x) && ds_read(t, x))
		ds_bypass(t, x);
	ds_close(x);
	kfree(x);
}

/*
 * edu 0 attached to @d (a paging domain of the SMMU, stage 1 or 2): the
 * STE and CD against liommu_smmu_domain_info(); then detached: bypass.
 */
static void ds_attached(struct lt_ctx *t, struct ds *x, struct liommu_domain *d,
			unsigned int stage)
{
	struct liommu_smmu_domain_info info;
	bool attached = false;

	if (!lt_expect_eq(t, liommu_smmu_domain_info(d, &info), 0,
			  "the domain's values") ||
	    !lt_expect_eq(t, info.stage, stage, "the domain's stage") ||
	    !lt_expect_eq(t, liommu_attach_device(d, &x->pdev->dev), 0,
			  "attach"))
		return;
	attached = true;
	if (!ds_read(t, x))
		goto out;
	ds_field_eq(t, x->ste_line, "V", 1);
	if (stage == 1) {
		ds_field_eq(t, x->ste_line, "CONFIG",
			    LIOMMU_SMMU_STE_0_CONFIG_S1_TRANS);
		/* QEMU's SMMU has no substreams: S1ContextPtr names one CD. */
		ds_field_eq(t, x->ste_line, "S1CDMAX", 0);
		if (!x->has_cd) {
			lt_fail(t, "no CD line for SubstreamID 0:\n%s", x->buf);
			goto out;
		}
		ds_raw_eq(t, x->cd_line, info.cd, "CD");
		ds_field_eq(t, x->cd_line, "V", 1);
		ds_field_eq(t, x->cd_line, "ASID", info.asid);
		ds_field_eq(t, x->cd_line, "TTB0", info.root);
		ds_field_eq(t, x->cd_line, "MAIR", info.cd[3]);
	} else {
		ds_field_eq(t, x->ste_line, "CONFIG",
			    LIOMMU_SMMU_STE_0_CONFIG_S2_TRANS);
		ds_field_eq(t, x->ste_line, "S2VMID", info.vmid);
		ds_field_eq(t, x->ste_line, "S2TTB", info.root);
		ds_field_eq(t, x->ste_line, "S2AA64", 1);
		lt_expect_true(t, !x->has_cd, "no CD line for stage 2");
	}
	liommu_detach_device(d, &x->pdev->dev);
	attached = false;
	if (ds_read(t, x))
		ds_bypass(t, x);
out:
	if (attached)
		liommu_detach_device(d, &x->pdev->dev);
}

static void debugfs_smmu_stage1(struct lt_ctx *t)
{
	struct ds *x = kzalloc(sizeof(*x), GFP_KERNEL);
	struct liommu_domain *d;

	if (!x) {
		lt_fail(t, "no memory");
		return;
	}
	if (!ds_open(t, x))
		goto out;
	d = liommu_paging_domain_alloc(&x->pdev->dev);
	if (IS_ERR(d)) {
		lt_fail(t, "paging domain: %ld", PTR_ERR(d));
		goto out;
	}
	ds_attached(t, x, d, 1);
	liommu_domain_free(d);
out:
	ds_close(x);
	kfree(x);
}

static void debugfs_smmu_stage2(struct lt_ctx *t)
{
	struct ds *x = kzalloc(sizeof(*x), GFP_KERNEL);
	struct liommu_domain *d;

	if (!x) {
		lt_fail(t, "no memory");
		return;
	}
	if (!lt_stated(t, lt_expect.s2, "s2") || !ds_open(t, x))
		goto out;
	if (!lt_expect.s2) {
		lt_skip(t, "the SMMU has no stage 2 (IDR0.S2P clear)");
		goto out;
	}
	d = liommu_user_domain_alloc(&x->pdev->dev,
				     LIOMMU_HWPT_ALLOC_NEST_PARENT);
	if (IS_ERR(d)) {
		lt_fail(t, "stage-2 (NEST_PARENT) domain: %ld", PTR_ERR(d));
		goto out;
	}
	ds_attached(t, x, d, 2);
	liommu_domain_free(d);
out:
	ds_close(x);
	kfree(x);
}

static const struct lt_case debugfs_smmu_cases[] = {
	LT_CASE(debugfs_smmu_default),
	LT_CASE(debugfs_smmu_stage1),
	LT_CASE(debugfs_smmu_stage2),
};

const struct lt_suite lt_debugfs_smmu_suite = LT_SUITE("debugfs_smmu",
							debugfs_smmu_cases);
