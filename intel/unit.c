// SPDX-License-Identifier: GPL-2.0
/*
 * One VT-d remapping unit: claim and map its registers, read what it
 * offers, and describe it in words.
 *
 * Claiming the register range is the ownership test: while the kernel's
 * own intel-iommu driver drives a unit it holds the range, and we refuse.
 * Nothing here writes a register.
 */
#define pr_fmt(fmt) "liommu-vtd: " fmt

#include <linux/io.h>
#include <linux/iommu.h>
#include <linux/io-64-nonatomic-lo-hi.h>
#include <linux/ioport.h>
#include <linux/pci.h>
#include <linux/string_helpers.h>
#include <linux/sizes.h>

#include "regs.h"
#include "vtd.h"

/*
 * Say who holds a unit we could not claim.  The kernel's own intel-iommu
 * driver requests the register range of every unit it drives; what it left
 * in GSTS (read through a temporary mapping: reading changes nothing) and
 * a PCI device its IOMMU core has put in a group name it.
 */
static void unit_report_owner(struct liommu_vtd_unit *unit)
{
	struct pci_dev *pdev = NULL;
	struct iommu_group *group;
	void __iomem *regs;
	u32 gsts = 0;
	int id = -1;

	regs = ioremap(unit->base, LIOMMU_VTD_REG_SIZE);
	if (regs) {
		gsts = readl(regs + LIOMMU_VTD_REG_GSTS);
		iounmap(regs);
	}
	for_each_pci_dev(pdev) {
		group = iommu_group_get(&pdev->dev);
		if (group) {
			id = iommu_group_id(group);
			iommu_group_put(group);
			break;
		}
	}
	pr_err("unit %u at %#llx: register range is held by another driver; GSTS %#010x: translation %s, queued invalidation %s, interrupt remapping %s\n",
	       unit->index, unit->base, gsts,
	       str_on_off(gsts & LIOMMU_VTD_GSTS_TES),
	       str_on_off(gsts & LIOMMU_VTD_GSTS_QIES),
	       str_on_off(gsts & LIOMMU_VTD_GSTS_IRES));
	if (pdev) {
		pr_err("unit %u: the kernel's own IOMMU driver drives it (%s is in its IOMMU group %d): refusing the unit; boot with intel_iommu=off for liommu to drive it\n",
		       unit->index, pci_name(pdev), id);
		pci_dev_put(pdev);
	} else {
		pr_err("unit %u: no PCI device is in a kernel IOMMU group; see /proc/iomem for who holds %#llx; refusing the unit\n",
		       unit->index, unit->base);
	}
}

static int unit_claim(struct liommu_vtd_unit *unit, u32 size)
{
	unit->region = request_mem_region(unit->base, size, LIOMMU_VTD_NAME);
	if (!unit->region) {
		unit_report_owner(unit);
		return -EBUSY;
	}
	unit->regs = ioremap(unit->base, size);
	if (!unit->regs) {
		release_mem_region(unit->base, size);
		unit->region = NULL;
		pr_err("unit %u at %#llx: cannot map registers\n",
		       unit->index, unit->base);
		return -ENOMEM;
	}
	unit->reg_size = size;
	return 0;
}

/**
 * liommu_vtd_unit_map() - claim, map, read and decode a unit's registers
 * @unit: a unit parsed from DMAR
 *
 * Return: 0; -EBUSY if someone else holds the registers; -ENOMEM; -EIO if
 * the registers read as all ones (no unit there).
 */
int liommu_vtd_unit_map(struct liommu_vtd_unit *unit)
{
	u32 need;
	int err;

	err = unit_claim(unit, max_t(u32, unit->reg_size, LIOMMU_VTD_REG_SIZE));
	if (err)
		return err;

	unit->ver = readl(unit->regs + LIOMMU_VTD_REG_VER);
	unit->cap = lo_hi_readq(unit->regs + LIOMMU_VTD_REG_CAP);
	unit->ecap = lo_hi_readq(unit->regs + LIOMMU_VTD_REG_ECAP);
	unit->gsts = readl(unit->regs + LIOMMU_VTD_REG_GSTS);
	if (unit->ver == U32_MAX || unit->cap == U64_MAX) {
		pr_err("unit %u at %#llx: registers read as all ones\n",
		       unit->index, unit->base);
		liommu_vtd_unit_unmap(unit);
		return -EIO;
	}
	liommu_vtd_decode_caps(unit->ver, unit->cap, unit->ecap, &unit->caps);

	/* The fault and IOTLB registers may lie past the first page. */
	need = max(unit->caps.fault_reg_offset + 16 * unit->caps.nr_fault_records,
		   unit->caps.iotlb_reg_offset + 16);
	if (need > unit->reg_size) {
		liommu_vtd_unit_unmap(unit);
		err = unit_claim(unit, round_up(need, SZ_4K));
		if (err)
			return err;
	}
	return 0;
}

/**
 * liommu_vtd_unit_unmap() - unmap and release a unit's registers
 * @unit: a unit; nothing happens if it is not mapped
 */
void liommu_vtd_unit_unmap(struct liommu_vtd_unit *unit)
{
	if (unit->regs)
		iounmap(unit->regs);
	if (unit->region)
		release_mem_region(unit->base, unit->reg_size);
	unit->regs = NULL;
	unit->region = NULL;
}

static const char *scope_type_name(u8 type)
{
	switch (type) {
	case LIOMMU_VTD_SCOPE_PCI_ENDPOINT:
		return "PCI device";
	case LIOMMU_VTD_SCOPE_PCI_SUBTREE:
		return "PCI bridge and below";
	case LIOMMU_VTD_SCOPE_IOAPIC:
		return "IOAPIC";
	case LIOMMU_VTD_SCOPE_HPET:
		return "HPET";
	case LIOMMU_VTD_SCOPE_ACPI_NAMESPACE:
		return "ACPI device";
	default:
		return "unknown scope type";
	}
}

static void report_scope(const struct liommu_vtd_unit *unit,
			 const struct liommu_vtd_scope *s)
{
	struct pci_dev *pdev;

	if (s->type != LIOMMU_VTD_SCOPE_PCI_ENDPOINT &&
	    s->type != LIOMMU_VTD_SCOPE_PCI_SUBTREE) {
		pr_info("    %s id %u (path ends at %02x:%02x.%u)\n",
			scope_type_name(s->type), s->enumeration_id, s->bus,
			PCI_SLOT(s->devfn), PCI_FUNC(s->devfn));
		return;
	}
	pdev = pci_get_domain_bus_and_slot(unit->segment, s->bus, s->devfn);
	if (!pdev) {
		pr_info("    %s %04x:%02x:%02x.%u: not present\n",
			scope_type_name(s->type), unit->segment, s->bus,
			PCI_SLOT(s->devfn), PCI_FUNC(s->devfn));
		return;
	}
	pr_info("    %s %s [%04x:%04x] class %06x, driver %s\n",
		scope_type_name(s->type), pci_name(pdev), pdev->vendor,
		pdev->device, pdev->class,
		pdev->dev.driver ? pdev->dev.driver->name : "none");
	pci_dev_put(pdev);
}

/**
 * liommu_vtd_unit_report() - describe a mapped unit in the kernel log
 * @unit: a mapped unit
 */
void liommu_vtd_unit_report(const struct liommu_vtd_unit *unit)
{
	const struct liommu_vtd_caps *c = &unit->caps;
	unsigned int i;

	pr_info("unit %u at %#llx, segment %u, VT-d %u.%u%s\n", unit->index,
		unit->base, unit->segment, c->ver_major, c->ver_minor,
		unit->include_all ? ", serves all other devices" : "");
	pr_info("  modes: legacy%s%s%s\n",
		c->scalable ? ", scalable" : "",
		c->scalable && c->second_stage ? " with second-stage" : "",
		c->scalable && c->first_stage ? " with first-stage" : "");
	pr_info("  addresses: %u-bit guest; table levels:%s%s%s\n", c->mgaw,
		c->sagaw & LIOMMU_VTD_SAGAW_39 ? " 3" : "",
		c->sagaw & LIOMMU_VTD_SAGAW_48 ? " 4" : "",
		c->sagaw & LIOMMU_VTD_SAGAW_57 ? " 5" : "");
	pr_info("  second-stage pages: 4K%s%s; first-stage pages: %s%s%s\n",
		c->sl_pgsize_bitmap & SZ_2M ? " 2M" : "",
		c->sl_pgsize_bitmap & SZ_1G ? " 1G" : "",
		c->fl_pgsize_bitmap ? "4K 2M" : "none",
		c->fl_pgsize_bitmap & SZ_1G ? " 1G" : "",
		c->fl_5level ? ", 5-level" : "");
	pr_info("  PASID: %s%u%s; %u domain ids\n",
		c->pasid_bits ? "" : "none", c->pasid_bits,
		c->pasid_bits ? "-bit" : "", c->nr_domain_ids);
	pr_info("  invalidation: %s%s; %u fault record%s at %#x\n",
		c->qi ? "queued or by register" : "by register only",
		c->psi ? ", page-selective" : "", c->nr_fault_records,
		c->nr_fault_records == 1 ? "" : "s", c->fault_reg_offset);
	pr_info("  has:%s%s%s%s%s%s; lacks:%s%s%s%s%s%s\n",
		c->pass_through ? " pass-through" : "",
		c->snoop_control ? " snoop-control" : "",
		c->dev_tlb ? " device-TLB" : "",
		c->nested ? " nested" : "",
		c->page_requests ? " page-requests" : "",
		c->intr_remap ? " interrupt-remapping" : "",
		c->pass_through ? "" : " pass-through",
		c->snoop_control ? "" : " snoop-control",
		c->dev_tlb ? "" : " device-TLB",
		c->nested ? "" : " nested",
		c->page_requests ? "" : " page-requests",
		c->intr_remap ? "" : " interrupt-remapping");
	pr_info("  status: translation %s, queued invalidation %s, interrupt remapping %s%s\n",
		unit->gsts & LIOMMU_VTD_GSTS_TES ? "ON" : "off",
		unit->gsts & LIOMMU_VTD_GSTS_QIES ? "ON" : "off",
		unit->gsts & LIOMMU_VTD_GSTS_IRES ? "ON" : "off",
		unit->gsts & LIOMMU_VTD_GSTS_IN_USE ?
			" (someone else drives this unit)" : "");
	pr_info("  device scope, %u entr%s:\n", unit->nr_scope,
		unit->nr_scope == 1 ? "y" : "ies");
	for (i = 0; i < unit->nr_scope; i++)
		report_scope(unit, &unit->scope[i]);
}
