// SPDX-License-Identifier: GPL-2.0
/*
 * The SMMUs of the device tree: find them, claim and map their registers,
 * read what they offer, and describe them in words.
 *
 * Claiming the register range is the ownership test: while the kernel's
 * own arm-smmu-v3 driver drives an SMMU it holds the range, and we refuse.
 * An SMMU whose CR0 is not 0 at load (left on by firmware or a previous
 * kernel) is refused too.  Nothing here writes a register.
 */
#define pr_fmt(fmt) "liommu-smmuv3: " fmt

#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/of_platform.h>
#include <linux/platform_device.h>
#include <linux/sizes.h>

#include "regs.h"
#include "smmuv3.h"

/**
 * liommu_smmu_find_units() - find the SMMUv3 nodes of the device tree
 * @smmu: filled with one unit per available "arm,smmu-v3" node, each
 *	holding a reference on its node and knowing its register range
 *
 * Return: 0; -ENODEV if the device tree has no usable SMMUv3 node.
 */
int liommu_smmu_find_units(struct liommu_smmu *smmu)
{
	struct device_node *np;

	for_each_compatible_node(np, NULL, "arm,smmu-v3") {
		struct liommu_smmu_unit *unit;
		struct resource res;

		if (!of_device_is_available(np))
			continue;
		if (smmu->nr_units == LIOMMU_SMMU_MAX_UNITS) {
			pr_warn("more than %u SMMUv3 nodes: ignoring %pOF and later ones\n",
				LIOMMU_SMMU_MAX_UNITS, np);
			of_node_put(np);
			break;
		}
		if (of_address_to_resource(np, 0, &res)) {
			pr_warn("%pOF: no register range in 'reg': ignored\n", np);
			continue;
		}
		unit = &smmu->units[smmu->nr_units];
		unit->index = smmu->nr_units++;
		unit->np = of_node_get(np);
		unit->base = res.start;
		unit->reg_size = resource_size(&res);
		unit->dt_coherent = of_property_read_bool(np, "dma-coherent");
		unit->dt_msi_parent = of_find_property(np, "msi-parent", NULL);
		unit->nr_irqs = max(of_property_count_strings(np, "interrupt-names"), 0);
	}
	if (!smmu->nr_units) {
		pr_err("no 'arm,smmu-v3' node in the device tree: nothing to drive\n");
		return -ENODEV;
	}
	return 0;
}

/**
 * liommu_smmu_put_units() - drop the node references of every unit
 * @smmu: units found by liommu_smmu_find_units(), all unmapped
 */
void liommu_smmu_put_units(struct liommu_smmu *smmu)
{
	unsigned int i;

	for (i = 0; i < smmu->nr_units; i++) {
		of_node_put(smmu->units[i].np);
		smmu->units[i].np = NULL;
	}
	smmu->nr_units = 0;
}

/*
 * Say who holds a unit we could not claim: the driver bound to the SMMU's
 * own platform device (the kernel's arm-smmu-v3, unless someone else's),
 * or that no driver is bound and something else requested the range.
 */
static void unit_report_owner(struct liommu_smmu_unit *unit)
{
	struct platform_device *pdev = of_find_device_by_node(unit->np);
	const char *drv = NULL;

	if (pdev) {
		device_lock(&pdev->dev);
		if (pdev->dev.driver)
			drv = pdev->dev.driver->name;
		if (drv)
			pr_err("SMMU %u (%pOF) at %#llx: driven by the kernel's driver '%s' (bound to %s): refusing the unit; boot with initcall_blacklist=arm_smmu_driver_init (and deferred_probe_timeout=0 so PCI drivers still probe) for liommu to drive it\n",
			       unit->index, unit->np, unit->base, drv,
			       dev_name(&pdev->dev));
		device_unlock(&pdev->dev);
		put_device(&pdev->dev);
	}
	if (!drv)
		pr_err("SMMU %u (%pOF) at %#llx: register range is held by someone else (no driver is bound to the SMMU's device): refusing the unit; see /proc/iomem\n",
		       unit->index, unit->np, unit->base);
}

static int unit_claim(struct liommu_smmu_unit *unit)
{
	unit->region = request_mem_region(unit->base, unit->reg_size,
					  LIOMMU_SMMU_NAME);
	if (!unit->region) {
		unit_report_owner(unit);
		return -EBUSY;
	}
	unit->regs = ioremap(unit->base, unit->reg_size);
	if (!unit->regs) {
		release_mem_region(unit->base, unit->reg_size);
		unit->region = NULL;
		pr_err("SMMU %u at %#llx: cannot map registers\n",
		       unit->index, unit->base);
		return -ENOMEM;
	}
	return 0;
}

/**
 * liommu_smmu_unit_map() - claim, map, read and decode an SMMU's registers
 * @unit: a unit found in the device tree
 *
 * Reads the identification registers and, for the record, CR0, CR0ACK,
 * GBPA and GERROR.  Writes nothing.
 *
 * Return: 0; -EINVAL if "reg" is smaller than the registers read here;
 * -EBUSY if someone else holds the registers or has enabled anything in
 * CR0; -ENOMEM; -EIO if the registers read as all ones (nothing there).
 */
int liommu_smmu_unit_map(struct liommu_smmu_unit *unit)
{
	unsigned int i;
	int err;

	if (unit->reg_size < LIOMMU_SMMU_REG_MIN_SIZE) {
		pr_err("SMMU %u (%pOF): 'reg' covers %#llx bytes, too few\n",
		       unit->index, unit->np, unit->reg_size);
		return -EINVAL;
	}
	err = unit_claim(unit);
	if (err)
		return err;

	for (i = 0; i < ARRAY_SIZE(unit->idr); i++)
		unit->idr[i] = readl(unit->regs + LIOMMU_SMMU_REG_IDR0 + 4 * i);
	unit->iidr = readl(unit->regs + LIOMMU_SMMU_REG_IIDR);
	unit->aidr = readl(unit->regs + LIOMMU_SMMU_REG_AIDR);
	unit->cr0 = readl(unit->regs + LIOMMU_SMMU_REG_CR0);
	unit->cr0ack = readl(unit->regs + LIOMMU_SMMU_REG_CR0ACK);
	unit->gbpa = readl(unit->regs + LIOMMU_SMMU_REG_GBPA);
	unit->gerror = readl(unit->regs + LIOMMU_SMMU_REG_GERROR);
	if (unit->idr[0] == U32_MAX || unit->idr[1] == U32_MAX) {
		pr_err("SMMU %u at %#llx: registers read as all ones\n",
		       unit->index, unit->base);
		liommu_smmu_unit_unmap(unit);
		return -EIO;
	}
	/* Someone (firmware, a previous kernel) left it running: not ours. */
	if (unit->cr0 || unit->cr0ack) {
		pr_err("SMMU %u (%pOF) at %#llx: CR0 %#x CR0ACK %#x: someone else drives this SMMU; refusing it\n",
		       unit->index, unit->np, unit->base, unit->cr0,
		       unit->cr0ack);
		liommu_smmu_unit_unmap(unit);
		return -EBUSY;
	}
	liommu_smmu_decode(unit->idr, unit->iidr, unit->aidr, &unit->feat);
	return 0;
}

/**
 * liommu_smmu_unit_unmap() - unmap and release an SMMU's registers
 * @unit: a unit; nothing happens if it is not mapped
 */
void liommu_smmu_unit_unmap(struct liommu_smmu_unit *unit)
{
	if (unit->regs)
		iounmap(unit->regs);
	if (unit->region)
		release_mem_region(unit->base, unit->reg_size);
	unit->regs = NULL;
	unit->region = NULL;
}

/* Which driver the platform device of @np is bound to, if any. */
static void report_platform_driver(const struct liommu_smmu_unit *unit)
{
	struct platform_device *pdev = of_find_device_by_node(unit->np);

	if (!pdev) {
		pr_info("  platform device: none\n");
		return;
	}
	pr_info("  platform device %s, driver %s\n", dev_name(&pdev->dev),
		pdev->dev.driver ? pdev->dev.driver->name : "none");
	put_device(&pdev->dev);
}

static const char *bbml_name(u8 bbml)
{
	switch (bbml) {
	case LIOMMU_SMMU_IDR3_BBML_0:
		return "";
	case LIOMMU_SMMU_IDR3_BBML_1:
		return " BBML1";
	case LIOMMU_SMMU_IDR3_BBML_2:
		return " BBML2";
	default:
		return " BBML?";
	}
}

static void report_features(const struct liommu_smmu_features *f)
{
	pr_info("  translation: %s; %s tables; granules%s%s%s; %u-bit output addresses\n",
		f->s1 && f->s2 ? "stage 1 and stage 2 (nesting possible)" :
		f->s1 ? "stage 1 only" : f->s2 ? "stage 2 only" : "none",
		f->ttf_aarch64 && f->ttf_aarch32 ? "AArch64 and AArch32" :
		f->ttf_aarch64 ? "AArch64" : "AArch32",
		f->granules & SZ_4K ? " 4K" : "",
		f->granules & SZ_16K ? " 16K" : "",
		f->granules & SZ_64K ? " 64K" : "", f->oas);
	pr_info("  streams: %u-bit StreamIDs, %s stream table\n", f->sid_bits,
		f->st_2lvl ? "linear or 2-level" : "linear only");
	if (f->ssid_bits)
		pr_info("  substreams: %u-bit SubstreamIDs, %s context descriptor tables\n",
			f->ssid_bits,
			f->cd_2lvl ? "linear or 2-level" : "linear only");
	else
		pr_info("  substreams: none (SSIDSIZE 0): one context descriptor per stream\n");
	pr_info("  queues: commands up to 2^%u, events up to 2^%u, %s%u; %u-bit ASIDs, %u-bit VMIDs\n",
		f->cmdq_bits, f->evtq_bits,
		f->pri ? "PRI requests up to 2^" : "no PRI queue, PRIQS ",
		f->priq_bits, f->asid_bits, f->vmid_bits);
	pr_info("  has:%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s%s\n",
		f->coherent ? " coherent-walks" : "",
		f->msi ? " MSI" : "", f->pri ? " PRI" : "",
		f->ats ? " ATS" : "",
		f->httu_dirty ? " HTTU-dirty" :
		f->httu_access ? " HTTU-access" : "",
		f->btm ? " BTM" : "", f->hyp ? " HYP" : "",
		f->atos ? " ATOS" : "", f->sev ? " SEV" : "",
		f->stall ? (f->stall_forced ? " stall-forced" : " stall") : "",
		f->ril ? " range-invalidation" : "", bbml_name(f->bbml),
		f->had ? " HAD" : "", f->xnx ? " XNX" : "",
		f->fwb ? " FWB" : "", f->e0pd ? " E0PD" : "");
	pr_info("  lacks:%s%s%s%s%s%s%s%s%s%s%s\n",
		f->coherent ? "" : " coherent-walks",
		f->msi ? "" : " MSI", f->pri ? "" : " PRI",
		f->ats ? "" : " ATS", f->httu_access ? "" : " HTTU",
		f->btm ? "" : " BTM", f->hyp ? "" : " HYP",
		f->atos ? "" : " ATOS", f->sev ? "" : " SEV",
		f->stall ? "" : " stall", f->ril ? "" : " range-invalidation");
}

/**
 * liommu_smmu_unit_report() - describe a mapped SMMU in the kernel log
 * @unit: a mapped unit
 */
void liommu_smmu_unit_report(const struct liommu_smmu_unit *unit)
{
	const struct liommu_smmu_features *f = &unit->feat;

	pr_info("SMMU %u: %pOF at %#llx (%llu KiB of registers), SMMUv%u.%u, implementer %#x product %#x r%up%u\n",
		unit->index, unit->np, unit->base, unit->reg_size / SZ_1K,
		f->arch_major, f->arch_minor, f->implementer, f->product_id,
		f->variant, f->revision);
	pr_info("  device tree: %s, %s, %u named interrupt%s\n",
		unit->dt_coherent ? "dma-coherent" : "not dma-coherent",
		unit->dt_msi_parent ? "msi-parent" : "no msi-parent (wired interrupts)",
		unit->nr_irqs, unit->nr_irqs == 1 ? "" : "s");
	report_platform_driver(unit);
	report_features(f);
	/* liommu_smmu_unit_map() refused any SMMU with CR0 or CR0ACK set. */
	pr_info("  status: CR0 %#x CR0ACK %#x: disabled, nobody drives it; meanwhile traffic %s (GBPA %#x); GERROR %#x\n",
		unit->cr0, unit->cr0ack,
		unit->gbpa & LIOMMU_SMMU_GBPA_ABORT ? "aborts" : "bypasses",
		unit->gbpa, unit->gerror);
}
