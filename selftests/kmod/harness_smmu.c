// SPDX-License-Identifier: GPL-2.0
/*
 * harness_*: does the SMMUv3 machine keep its profile's promises?
 *
 * Each case compares what liommu_smmuv3.ko decoded from the SMMU's
 * registers and the device tree with what the profile states, so a
 * profile booted with the wrong QEMU machine or options fails here before
 * any driver test builds on a wrong assumption.
 */
#include <linux/ioport.h>
#include <linux/of.h>
#include <linux/pci.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include <liommu/smmu.h>
#include "../../arm-smmu-v3/regs.h"
#include "edu.h"
#include "selftest.h"

/* SMMU 0's info, or fail the case. */
static bool smmu0(struct lt_ctx *t, struct liommu_smmu_info *info)
{
	int err = liommu_smmu_get_info(0, info);

	if (err)
		lt_fail(t, "no SMMU 0 (error %d)", err);
	return !err;
}

/* The node, its registers, and that they are ours. */
static void harness_smmu_node(struct lt_ctx *t)
{
	struct liommu_smmu_info info;
	struct resource *r;

	if (!lt_stated(t, lt_expect.units, "units"))
		return;
	lt_expect_eq(t, liommu_smmu_nr_units(), lt_expect.units,
		     "arm,smmu-v3 nodes");
	if (!smmu0(t, &info))
		return;
	lt_info(t, "SMMU 0 is %s at %#llx", info.node, info.base);
	if (lt_expect.base)
		lt_expect_eq(t, info.base, lt_expect.base, "SMMU 0 base");
	else
		lt_fail(t, "the profile does not state 'base'");
	/* Page 1 holds the event queue pointers: it must be mapped too. */
	lt_expect_true(t, info.reg_size >= LIOMMU_SMMU_REG_SIZE,
		       "'reg' covers both register pages");
	lt_expect_true(t, info.idr[0] != 0 && info.idr[1] != 0,
		       "IDR0 and IDR1 read back");
	/* liommu_smmuv3 holds the range: nobody else can claim it. */
	r = request_mem_region(info.base, SZ_4K, "liommu-selftest");
	if (r) {
		release_mem_region(info.base, SZ_4K);
		lt_fail(t, "the SMMU's registers are not claimed");
	}
}

static void harness_smmu_version(struct lt_ctx *t)
{
	struct liommu_smmu_info info;
	unsigned int major, minor;

	if (!smmu0(t, &info) ||
	    !lt_stated_str(t, lt_expect.smmu_version, "smmu_version"))
		return;
	if (sscanf(lt_expect.smmu_version, "%u.%u", &major, &minor) != 2) {
		lt_fail(t, "bad smmu_version '%s'", lt_expect.smmu_version);
		return;
	}
	lt_info(t, "AIDR %#x, IIDR %#x", info.aidr, info.iidr);
	lt_expect_eq(t, info.feat.arch_major, major, "architecture major");
	lt_expect_eq(t, info.feat.arch_minor, minor,
		     "architecture minor (AIDR.ArchMinorRev)");
}

static void harness_stage1(struct lt_ctx *t)
{
	struct liommu_smmu_info info;

	if (!smmu0(t, &info) || !lt_stated(t, lt_expect.s1, "s1"))
		return;
	lt_expect_eq(t, info.feat.s1, lt_expect.s1, "IDR0.S1P (stage 1)");
	/* Our page tables are AArch64 ones. */
	lt_expect_true(t, info.feat.ttf_aarch64, "IDR0.TTF offers AArch64");
}

static void harness_stage2(struct lt_ctx *t)
{
	struct liommu_smmu_info info;

	if (!smmu0(t, &info) || !lt_stated(t, lt_expect.s2, "s2"))
		return;
	lt_expect_eq(t, info.feat.s2, lt_expect.s2, "IDR0.S2P (stage 2)");
}

static void harness_stream_table(struct lt_ctx *t)
{
	struct liommu_smmu_info info;

	if (!smmu0(t, &info) || !lt_stated(t, lt_expect.st_2lvl, "st_2lvl") ||
	    !lt_stated(t, lt_expect.sid_bits, "sid_bits"))
		return;
	lt_expect_eq(t, info.feat.st_2lvl, lt_expect.st_2lvl,
		     "IDR0.ST_LEVEL (2-level stream table)");
	lt_expect_eq(t, info.feat.sid_bits, lt_expect.sid_bits,
		     "IDR1.SIDSIZE (StreamID bits)");
}

static void harness_substreams(struct lt_ctx *t)
{
	struct liommu_smmu_info info;

	if (!smmu0(t, &info) || !lt_stated(t, lt_expect.ssid_bits, "ssid_bits"))
		return;
	lt_expect_eq(t, info.feat.ssid_bits, lt_expect.ssid_bits,
		     "IDR1.SSIDSIZE (SubstreamID bits)");
	lt_expect_true(t, info.feat.ssid_bits <= 20, "SSIDSIZE at most 20");
}

static void harness_queue_sizes(struct lt_ctx *t)
{
	struct liommu_smmu_info info;

	if (!smmu0(t, &info) || !lt_stated(t, lt_expect.cmdq_bits, "cmdq_bits") ||
	    !lt_stated(t, lt_expect.evtq_bits, "evtq_bits"))
		return;
	lt_expect_eq(t, info.feat.cmdq_bits, lt_expect.cmdq_bits,
		     "IDR1.CMDQS (command queue, log2 entries)");
	lt_expect_eq(t, info.feat.evtq_bits, lt_expect.evtq_bits,
		     "IDR1.EVENTQS (event queue, log2 entries)");
	/* The architecture caps both at 2^19 entries (IDR1). */
	lt_expect_true(t, info.feat.cmdq_bits <= 19 && info.feat.evtq_bits <= 19,
		       "queue sizes within the architecture's limit");
}

static void harness_output_address(struct lt_ctx *t)
{
	struct liommu_smmu_info info;
	u64 granules;

	if (!smmu0(t, &info) || !lt_stated(t, lt_expect.oas, "oas") ||
	    !lt_stated_str(t, lt_expect.granules, "granules"))
		return;
	lt_expect_eq(t, info.feat.oas, lt_expect.oas,
		     "IDR5.OAS (output address bits)");
	if (lt_parse_sizes(lt_expect.granules, &granules)) {
		lt_fail(t, "bad granule list '%s'", lt_expect.granules);
		return;
	}
	lt_expect_eq(t, info.feat.granules, granules,
		     "IDR5.GRAN4K/16K/64K (granules)");
}

/* The optional features, by the names the profile uses. */
enum smmu_feature {
	F_AARCH32, F_COHACC, F_BTM, F_HTTU_ACCESS, F_HTTU_DIRTY, F_HYP, F_ATS,
	F_MSI, F_SEV, F_ATOS, F_PRI, F_VMW, F_STALL, F_CD2L, F_ASID16,
	F_VMID16, F_HAD, F_PBHA, F_XNX, F_FWB, F_STT, F_RIL, F_E0PD, F_BBML1,
	F_BBML2, F_NR
};

static const char *const feature_names[F_NR] = {
	[F_AARCH32] = "aarch32", [F_COHACC] = "cohacc", [F_BTM] = "btm",
	[F_HTTU_ACCESS] = "httu_access", [F_HTTU_DIRTY] = "httu_dirty",
	[F_HYP] = "hyp", [F_ATS] = "ats", [F_MSI] = "msi", [F_SEV] = "sev",
	[F_ATOS] = "atos", [F_PRI] = "pri", [F_VMW] = "vmw",
	[F_STALL] = "stall", [F_CD2L] = "cd2l", [F_ASID16] = "asid16",
	[F_VMID16] = "vmid16", [F_HAD] = "had", [F_PBHA] = "pbha",
	[F_XNX] = "xnx", [F_FWB] = "fwb", [F_STT] = "stt", [F_RIL] = "ril",
	[F_E0PD] = "e0pd", [F_BBML1] = "bbml1", [F_BBML2] = "bbml2",
};

static u32 features_present(const struct liommu_smmu_features *f)
{
	bool has[F_NR] = {
		[F_AARCH32] = f->ttf_aarch32, [F_COHACC] = f->coherent,
		[F_BTM] = f->btm, [F_HTTU_ACCESS] = f->httu_access,
		[F_HTTU_DIRTY] = f->httu_dirty, [F_HYP] = f->hyp,
		[F_ATS] = f->ats, [F_MSI] = f->msi, [F_SEV] = f->sev,
		[F_ATOS] = f->atos, [F_PRI] = f->pri, [F_VMW] = f->vmw,
		[F_STALL] = f->stall, [F_CD2L] = f->cd_2lvl,
		[F_ASID16] = f->asid_bits == 16,
		[F_VMID16] = f->vmid_bits == 16, [F_HAD] = f->had,
		[F_PBHA] = f->pbha, [F_XNX] = f->xnx, [F_FWB] = f->fwb,
		[F_STT] = f->stt, [F_RIL] = f->ril, [F_E0PD] = f->e0pd,
		[F_BBML1] = f->bbml == LIOMMU_SMMU_IDR3_BBML_1,
		[F_BBML2] = f->bbml == LIOMMU_SMMU_IDR3_BBML_2,
	};
	u32 bits = 0;
	int i;

	for (i = 0; i < F_NR; i++)
		if (has[i])
			bits |= BIT(i);
	return bits;
}

/* Parse a comma list of feature names ("none" for none) into bits. */
static int features_parse(struct lt_ctx *t, const char *list, u32 *bits)
{
	char buf[256], *p = buf, *tok;
	int i;

	*bits = 0;
	if (!strcmp(list, "none"))
		return 0;
	if (strscpy(buf, list, sizeof(buf)) < 0)
		return -EINVAL;
	while ((tok = strsep(&p, ","))) {
		i = match_string(feature_names, F_NR, tok);
		if (i < 0) {
			lt_fail(t, "unknown SMMU feature '%s'", tok);
			return -EINVAL;
		}
		*bits |= BIT(i);
	}
	return 0;
}

/*
 * Every optional feature present, and none other: MSI, PRI, ATS and HTTU
 * must be absent on QEMU, for instance, and stay so until a profile says
 * otherwise.
 */
static void harness_features(struct lt_ctx *t)
{
	struct liommu_smmu_info info;
	u32 want, got;
	int i;

	if (!smmu0(t, &info) ||
	    !lt_stated_str(t, lt_expect.smmu_features, "smmu_features") ||
	    features_parse(t, lt_expect.smmu_features, &want))
		return;
	got = features_present(&info.feat);
	for (i = 0; i < F_NR; i++) {
		if ((want & ~got) & BIT(i))
			lt_fail(t, "the profile promises '%s', the SMMU lacks it",
				feature_names[i]);
		if ((got & ~want) & BIT(i))
			lt_fail(t, "the SMMU has '%s', the profile does not say so",
				feature_names[i]);
	}
	lt_info(t, "IDR0 %#x IDR1 %#x IDR3 %#x IDR5 %#x", info.idr[0],
		info.idr[1], info.idr[3], info.idr[5]);
}

/* The device tree and the registers agree. */
static void harness_coherency(struct lt_ctx *t)
{
	struct liommu_smmu_info info;

	if (!smmu0(t, &info))
		return;
	lt_expect_eq(t, info.dt_coherent, info.feat.coherent,
		     "'dma-coherent' in the device tree vs IDR0.COHACC");
	if (info.dt_msi_parent)
		lt_expect_true(t, info.feat.msi,
			       "'msi-parent' only on an SMMU with IDR0.MSI");
	if (!info.feat.msi)
		lt_expect_true(t, info.nr_irqs > 0,
			       "without MSI the node names wired interrupts");
}

/* The StreamID the profile states for @bus:@devfn in 'smmu_sids'. */
static int promised_sid(const char *list, u8 bus, u8 devfn, u32 *sid)
{
	char buf[256], *p = buf, *tok;

	if (strscpy(buf, list, sizeof(buf)) < 0)
		return -EINVAL;
	while ((tok = strsep(&p, ","))) {
		unsigned int b, d, f, s;

		if (sscanf(tok, "%x:%x.%x=%x", &b, &d, &f, &s) != 4)
			return -EINVAL;
		if (b == bus && d < 32 && f < 8 && PCI_DEVFN(d, f) == devfn) {
			*sid = s;
			return 0;
		}
	}
	return -ENOENT;
}

/* The kernel's own reading of the host bridge's iommu-map, as an oracle. */
static void check_of_map_id(struct lt_ctx *t, struct pci_dev *pdev,
			    const struct liommu_smmu_info *info, u32 sid)
{
	struct pci_host_bridge *host = pci_find_host_bridge(pdev->bus);
	struct device_node *np = host ? pci_bus_to_OF_node(host->bus) : NULL;
	struct device_node *target = NULL;
	char name[sizeof(info->node)];
	u32 out;
	int err;

	if (!np) {
		lt_fail(t, "%s: no device-tree node for its host bridge",
			pci_name(pdev));
		return;
	}
	err = of_map_id(np, pci_dev_id(pdev), "iommu-map", "iommu-map-mask",
			&target, &out);
	if (err || !target) {
		lt_fail(t, "%s: of_map_id() finds no IOMMU (error %d)",
			pci_name(pdev), err);
		return;
	}
	snprintf(name, sizeof(name), "%pOF", target);
	of_node_put(target);
	if (strcmp(name, info->node))
		lt_fail(t, "%s: of_map_id() names %s, not SMMU 0 (%s)",
			pci_name(pdev), name, info->node);
	lt_expect_eq(t, out, sid, "StreamID by the kernel's of_map_id()");
}

/*
 * A listed device has the StreamID the profile states, on SMMU 0, as the
 * kernel itself reads the map.  @data is SMMU 0's info.
 */
static void check_sid(struct lt_ctx *t, struct pci_dev *pdev, void *data)
{
	struct liommu_smmu_info *info = data;
	unsigned int index;
	u32 sid, promised;
	int err;

	if (promised_sid(lt_expect.smmu_sids, pdev->bus->number, pdev->devfn,
			 &promised)) {
		lt_fail(t, "the profile does not state the StreamID of %s in 'smmu_sids'",
			pci_name(pdev));
	} else if ((err = liommu_smmu_rid_to_sid(pci_domain_nr(pdev->bus),
						 pci_dev_id(pdev),
						 &index, &sid))) {
		lt_fail(t, "%s: no StreamID (error %d)", pci_name(pdev), err);
	} else {
		lt_info(t, "%s: StreamID %#x", pci_name(pdev), sid);
		lt_expect_eq(t, sid, promised, "StreamID from iommu-map");
		lt_expect_eq(t, index, 0, "translating SMMU");
		check_of_map_id(t, pdev, info, sid);
	}
}

static void check_devices(struct lt_ctx *t, const char *list, u16 vendor,
			  u16 device, unsigned int want)
{
	struct liommu_smmu_info info;

	if (!smmu0(t, &info) || !lt_stated_str(t, lt_expect.smmu_sids, "smmu_sids"))
		return;
	lt_check_listed_devices(t, list, vendor, device, want, check_sid, &info);
}

static void harness_sid_edu(struct lt_ctx *t)
{
	if (lt_stated_str(t, lt_expect.edu, "edu"))
		check_devices(t, lt_expect.edu, LT_EDU_VENDOR, LT_EDU_DEVICE, 2);
}

static void harness_sid_rng(struct lt_ctx *t)
{
	if (lt_stated_str(t, lt_expect.rng, "rng"))
		check_devices(t, lt_expect.rng, LT_VIRTIO_VENDOR,
			      LT_VIRTIO_RNG_MODERN, 1);
}

/*
 * Nobody drove the SMMU before us: CR0 was 0 at load.  (Now it is ours
 * and on: the smmu suite checks that.)
 */
static void harness_not_enabled(struct lt_ctx *t)
{
	unsigned int u;

	for (u = 0; u < liommu_smmu_nr_units(); u++) {
		struct liommu_smmu_info info;

		if (liommu_smmu_get_info(u, &info)) {
			lt_fail(t, "SMMU %u cannot be queried", u);
			continue;
		}
		if (info.cr0 || info.cr0ack)
			lt_fail(t, "SMMU %u: CR0 %#x CR0ACK %#x at load: someone drives it",
				u, info.cr0, info.cr0ack);
		/* Disabled, it lets traffic through: what virtio-rng needs. */
		if (info.gbpa & LIOMMU_SMMU_GBPA_ABORT)
			lt_fail(t, "SMMU %u: GBPA %#x aborts traffic while disabled",
				u, info.gbpa);
	}
	lt_expect_true(t, liommu_smmu_nr_units() > 0, "at least one SMMU");
}

/* The query API refuses bad arguments with the documented errnos. */
static void harness_query_errors(struct lt_ctx *t)
{
	unsigned int nr = liommu_smmu_nr_units(), index;
	struct liommu_smmu_info info;
	u32 cr0, cr0ack, sid;

	lt_expect_eq(t, liommu_smmu_get_info(nr, &info), -ENOENT,
		     "SMMU past the end");
	lt_expect_eq(t, liommu_smmu_get_info(0, NULL), -EINVAL, "NULL info");
	lt_expect_eq(t, liommu_smmu_read_cr0(nr, &cr0, &cr0ack), -ENOENT,
		     "CR0 of an SMMU past the end");
	lt_expect_eq(t, liommu_smmu_read_cr0(0, NULL, &cr0ack), -EINVAL,
		     "NULL cr0");
	lt_expect_eq(t, liommu_smmu_read_cr0(0, &cr0, NULL), -EINVAL,
		     "NULL cr0ack");
	lt_expect_eq(t, liommu_smmu_rid_to_sid(0, 0x10000, &index, &sid),
		     -EINVAL, "RID above 0xffff");
	lt_expect_eq(t, liommu_smmu_rid_to_sid(0, 0, &index, NULL), -EINVAL,
		     "NULL sid");
	lt_expect_eq(t, liommu_smmu_rid_to_sid(0xffff, 0, &index, &sid),
		     -ENODEV, "segment with no host bridge");
	/* index is optional */
	lt_expect_eq(t, liommu_smmu_rid_to_sid(0, 0, NULL, &sid), 0,
		     "RID 0 without an index");
}

static const struct lt_case harness_smmu_cases[] = {
	LT_CASE(harness_smmu_node),
	LT_CASE(harness_smmu_version),
	LT_CASE(harness_stage1),
	LT_CASE(harness_stage2),
	LT_CASE(harness_stream_table),
	LT_CASE(harness_substreams),
	LT_CASE(harness_queue_sizes),
	LT_CASE(harness_output_address),
	LT_CASE(harness_features),
	LT_CASE(harness_coherency),
	LT_CASE(harness_sid_edu),
	LT_CASE(harness_sid_rng),
	LT_CASE(harness_not_enabled),
	LT_CASE(harness_query_errors),
};

const struct lt_suite lt_harness_smmu_suite =
	LT_SUITE("harness", harness_smmu_cases);
