// SPDX-License-Identifier: GPL-2.0
/*
 * liommu_selftest.ko: in-kernel KTAP self-tests of the liommu stack.
 *
 * Loading it runs the selected suites and prints KTAP; it then stays
 * loaded so that unloading it is part of the test run.  Parameters are
 * the profile's promises (see selftest.h) and 'suites', a comma list.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pci.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include <liommu/compat.h>
#include "selftest.h"

struct lt_expect lt_expect = {
	.units = LT_UNSET,
	.base = 0,
	.haw = LT_UNSET,
	.mgaw = LT_UNSET,
	.scalable = LT_UNSET,
	.first_stage = LT_UNSET,
	.second_stage = LT_UNSET,
	.pasid_bits = LT_UNSET,
	.qi = LT_UNSET,
	.pass_through = LT_UNSET,
	.fault_records = LT_UNSET,
	.edu_pasid_bits = LT_UNSET,
	.s1 = LT_UNSET,
	.s2 = LT_UNSET,
	.st_2lvl = LT_UNSET,
	.cmdq_bits = LT_UNSET,
	.evtq_bits = LT_UNSET,
	.sid_bits = LT_UNSET,
	.ssid_bits = LT_UNSET,
	.oas = LT_UNSET,
};

module_param_named(units, lt_expect.units, int, 0444);
MODULE_PARM_DESC(units, "number of IOMMU units the machine has");
module_param_named(base, lt_expect.base, ullong, 0444);
MODULE_PARM_DESC(base, "register base of the first unit");
module_param_named(haw, lt_expect.haw, int, 0444);
MODULE_PARM_DESC(haw, "host address width in bits (VT-d DMAR)");
module_param_named(mgaw, lt_expect.mgaw, int, 0444);
MODULE_PARM_DESC(mgaw, "maximum guest address width in bits");
module_param_named(sagaw, lt_expect.sagaw, charp, 0444);
MODULE_PARM_DESC(sagaw, "supported table widths, e.g. 39,48");
module_param_named(scalable, lt_expect.scalable, int, 0444);
MODULE_PARM_DESC(scalable, "1 if the unit offers scalable mode");
module_param_named(first_stage, lt_expect.first_stage, int, 0444);
MODULE_PARM_DESC(first_stage, "1 if first-stage translation is offered");
module_param_named(second_stage, lt_expect.second_stage, int, 0444);
MODULE_PARM_DESC(second_stage, "1 if second-stage translation is offered in the unit's mode");
module_param_named(pasid_bits, lt_expect.pasid_bits, int, 0444);
MODULE_PARM_DESC(pasid_bits, "PASID width the unit reports, 0 for none");
module_param_named(sl_pages, lt_expect.sl_pages, charp, 0444);
MODULE_PARM_DESC(sl_pages, "second-stage page sizes, e.g. 4K,2M,1G");
module_param_named(fl_pages, lt_expect.fl_pages, charp, 0444);
MODULE_PARM_DESC(fl_pages, "first-stage page sizes, or none");
module_param_named(qi, lt_expect.qi, int, 0444);
MODULE_PARM_DESC(qi, "1 if queued invalidation is offered");
module_param_named(pass_through, lt_expect.pass_through, int, 0444);
MODULE_PARM_DESC(pass_through, "1 if pass-through translation is offered");
module_param_named(fault_records, lt_expect.fault_records, int, 0444);
MODULE_PARM_DESC(fault_records, "number of fault recording registers");
module_param_named(edu, lt_expect.edu, charp, 0444);
MODULE_PARM_DESC(edu, "PCI addresses of the edu devices, e.g. 00:02.0,00:03.0");
module_param_named(rng, lt_expect.rng, charp, 0444);
MODULE_PARM_DESC(rng, "PCI address of the virtio-rng device");
module_param_named(edu_pasid_bits, lt_expect.edu_pasid_bits, int, 0444);
MODULE_PARM_DESC(edu_pasid_bits, "width of edu's PASID capability, 0 for none");
module_param_named(s1, lt_expect.s1, int, 0444);
MODULE_PARM_DESC(s1, "1 if the SMMU offers stage-1 translation");
module_param_named(s2, lt_expect.s2, int, 0444);
MODULE_PARM_DESC(s2, "1 if the SMMU offers stage-2 translation");
module_param_named(st_2lvl, lt_expect.st_2lvl, int, 0444);
MODULE_PARM_DESC(st_2lvl, "1 if the SMMU offers a 2-level stream table");
module_param_named(cmdq_bits, lt_expect.cmdq_bits, int, 0444);
MODULE_PARM_DESC(cmdq_bits, "log2 of the largest command queue (IDR1.CMDQS)");
module_param_named(evtq_bits, lt_expect.evtq_bits, int, 0444);
MODULE_PARM_DESC(evtq_bits, "log2 of the largest event queue (IDR1.EVENTQS)");
module_param_named(sid_bits, lt_expect.sid_bits, int, 0444);
MODULE_PARM_DESC(sid_bits, "StreamID width (IDR1.SIDSIZE)");
module_param_named(ssid_bits, lt_expect.ssid_bits, int, 0444);
MODULE_PARM_DESC(ssid_bits, "SubstreamID width (IDR1.SSIDSIZE), 0 for none");
module_param_named(oas, lt_expect.oas, int, 0444);
MODULE_PARM_DESC(oas, "SMMU output address size in bits (IDR5.OAS)");
module_param_named(granules, lt_expect.granules, charp, 0444);
MODULE_PARM_DESC(granules, "SMMU translation granules, e.g. 4K,16K,64K");
module_param_named(smmu_version, lt_expect.smmu_version, charp, 0444);
MODULE_PARM_DESC(smmu_version, "SMMU architecture version, e.g. 3.1");
module_param_named(smmu_features, lt_expect.smmu_features, charp, 0444);
MODULE_PARM_DESC(smmu_features, "every optional SMMU feature present, e.g. cohacc,ril,bbml2");
module_param_named(smmu_sids, lt_expect.smmu_sids, charp, 0444);
MODULE_PARM_DESC(smmu_sids, "StreamIDs of PCI devices, e.g. 00:01.0=0x8,00:02.0=0x10");

static char *suites;
module_param(suites, charp, 0444);
MODULE_PARM_DESC(suites, "comma list of suites to run (default: all)");

bool lt_stated(struct lt_ctx *t, long long v, const char *what)
{
	if (v == LT_UNSET)
		lt_fail(t, "the profile does not state '%s'", what);
	return v != LT_UNSET;
}

bool lt_stated_str(struct lt_ctx *t, const char *s, const char *what)
{
	if (!s)
		lt_fail(t, "the profile does not state '%s'", what);
	return s;
}

void lt_check_listed_devices(struct lt_ctx *t, const char *list, u16 vendor,
			     u16 device, unsigned int want,
			     lt_dev_check_t check, void *data)
{
	unsigned int n;
	u8 bus, devfn;
	int err;

	for (n = 0; !(err = lt_parse_bdf(list, n, &bus, &devfn)); n++) {
		struct pci_dev *pdev = pci_get_domain_bus_and_slot(0, bus, devfn);

		if (!pdev) {
			lt_fail(t, "no PCI device at %02x:%02x.%u", bus,
				PCI_SLOT(devfn), PCI_FUNC(devfn));
			continue;
		}
		if (pdev->vendor != vendor || pdev->device != device)
			lt_fail(t, "%s is %04x:%04x, expected %04x:%04x",
				pci_name(pdev), pdev->vendor, pdev->device,
				vendor, device);
		check(t, pdev, data);
		pci_dev_put(pdev);
	}
	if (err != -ENOENT)
		lt_fail(t, "bad device list '%s'", list);
	lt_expect_eq(t, n, want, "devices listed by the profile");
}

int lt_parse_sizes(const char *s, u64 *bitmap)
{
	char buf[64], *p, *tok;

	*bitmap = 0;
	if (!s)
		return -EINVAL;
	if (!strcmp(s, "none"))
		return 0;
	if (strscpy(buf, s, sizeof(buf)) < 0)
		return -EINVAL;
	p = buf;
	while ((tok = strsep(&p, ","))) {
		unsigned long long v;
		char *end;

		v = memparse(tok, &end);
		if (end == tok || *end || !is_power_of_2(v))
			return -EINVAL;
		*bitmap |= v;
	}
	return 0;
}

int lt_parse_bdf(const char *list, unsigned int n, u8 *bus, u8 *devfn)
{
	unsigned int b, d, f;
	const char *p = list;

	if (!list)
		return -EINVAL;
	while (n--) {
		p = strchr(p, ',');
		if (!p)
			return -ENOENT;
		p++;
	}
	if (!*p)
		return -ENOENT;
	if (sscanf(p, "%x:%x.%x", &b, &d, &f) != 3 || b > 255 || d > 31 ||
	    f > 7)
		return -EINVAL;
	*bus = b;
	*devfn = PCI_DEVFN(d, f);
	return 0;
}

static const struct lt_suite *const all_suites[] = {
#ifdef CONFIG_X86
	&lt_harness_vtd_suite,
	&lt_vtd_enable_suite,
	&lt_vtd_writer_suite,
#endif
#ifdef CONFIG_ARM64
	&lt_harness_smmu_suite,
	&lt_smmu_enable_suite,
#endif
	&lt_dma_edu_suite,
	&lt_core_alloc_suite,
	&lt_core_attach_suite,
	&lt_core_map_suite,
	&lt_core_pt_suite,
	&lt_core_fmt_suite,
	&lt_core_dma_suite,
#ifdef CONFIG_X86
	&lt_vtd_dma_suite,	/* before core_leak: it checks ours too */
	&lt_vtd_live_suite,
	&lt_pasiddev_suite,
	&lt_nested_vtd_suite,
#endif
#ifdef CONFIG_ARM64
	&lt_smmu_dma_suite,	/* before core_leak: it checks ours too */
	&lt_smmu_cd_suite,
	&lt_nested_smmu_suite,
#endif
	&lt_pasid_alloc_suite,
	&lt_pasid_suite,	/* before core_leak: it checks ours too */
	&lt_aux_suite,
	&lt_nested_suite,
	&lt_failnth_suite,	/* before core_leak: it checks ours too */
	&lt_robust_suite,	/* before core_leak: it checks ours too */
	&lt_debugfs_walk_suite,
#ifdef CONFIG_X86
	&lt_debugfs_vtd_suite,
#endif
#ifdef CONFIG_ARM64
	&lt_debugfs_smmu_suite,
#endif
	&lt_iopf_suite,		/* before core_leak: it checks ours too */
	&lt_sva_suite,		/* likewise */
	&lt_stress_suite,	/* likewise */
	&lt_walkthrough_suite,	/* likewise; make run tells it */
	&lt_core_leak_suite,	/* last: nothing left behind */
};

static int __init liommu_selftest_init(void)
{
	lt_run(all_suites, ARRAY_SIZE(all_suites), suites);
	return 0;
}

static void __exit liommu_selftest_exit(void)
{
}

module_init(liommu_selftest_init);
module_exit(liommu_selftest_exit);
MODULE_DESCRIPTION("liommu: in-kernel self-tests (KTAP)");
MODULE_LICENSE("GPL");
LIOMMU_IMPORT_NS();
/* The test-only entry points: no other module may import them. */
LIOMMU_TEST_IMPORT_NS();
