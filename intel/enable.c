// SPDX-License-Identifier: GPL-2.0
/*
 * Taking a VT-d unit and giving it back.
 *
 * Bring-up, in this order:
 *   1. refuse a unit someone else drives (GSTS TES, QIES or IRES at load)
 *	and a unit without pass-through (ECAP.PT) or queued invalidation;
 *   2. build the root table and an identity (pass-through) context entry,
 *	plus PASID directory and table in scalable mode, for every PCI
 *	requester in the unit's scope (context.c);
 *   3. RTADDR with TTM 00 (legacy) or 01 (scalable), then GCMD.SRTP and
 *	wait for GSTS.RTPS;
 *   4. the invalidation queue, GCMD.QIE, wait for GSTS.QIES (qi.c);
 *   5. global context-cache, PASID-cache (scalable) and IOTLB
 *	invalidation, and a wait;
 *   6. GCMD.TE, wait for GSTS.TES.
 * Unload undoes it in reverse: TE off, QIE off, queue and tables freed.
 *
 * Every GCMD write carries the persistent enables GSTS shows on (TE, QIE,
 * IRE) and never a one-shot request (SRTP, SIRTP, WBF), which would be
 * performed again.
 */
#define pr_fmt(fmt) "liommu-vtd: " fmt

#include <linux/io.h>
#include <linux/iopoll.h>
#include <linux/pci.h>

#include "regs.h"
#include "tables.h"
#include "vtd.h"

#define GSTS_POLL_US		10
#define GSTS_TIMEOUT_US		(1000 * 1000)

/* Domain id of the identity default; 0 is reserved when CAP.CM is set. */
#define IDENTITY_DID		1

/**
 * liommu_vtd_gcmd() - turn one GCMD bit on or off and wait for GSTS
 * @unit: a mapped unit
 * @cmd: LIOMMU_VTD_GCMD_* bit
 * @status: the GSTS bit that reports it
 * @on: for a persistent bit, the wanted state; a one-shot bit (SRTP)
 *	passes true and waits for @status to set
 *
 * Return: 0; -ETIMEDOUT.
 */
int liommu_vtd_gcmd(struct liommu_vtd_unit *unit, u32 cmd, u32 status,
		    bool on)
{
	u32 gsts = readl(unit->regs + LIOMMU_VTD_REG_GSTS);
	u32 val = gsts & LIOMMU_VTD_GSTS_PERSISTENT;
	int err;

	val = on ? val | cmd : val & ~cmd;
	writel(val, unit->regs + LIOMMU_VTD_REG_GCMD);
	err = readl_poll_timeout(unit->regs + LIOMMU_VTD_REG_GSTS, gsts,
				 !!(gsts & status) == on, GSTS_POLL_US,
				 GSTS_TIMEOUT_US);
	if (err)
		pr_err("unit %u: GCMD %#x: GSTS %#x did not %s bit %#x\n",
		       unit->index, val, gsts, on ? "set" : "clear", status);
	return err;
}

/* The AW to write: the widest table depth the unit takes, up to 4 levels. */
static int pick_aw(const struct liommu_vtd_unit *unit)
{
	u8 sagaw = unit->caps.sagaw;

	if (sagaw & LIOMMU_VTD_SAGAW_48)
		return LIOMMU_VTD_AW_48;
	if (sagaw & LIOMMU_VTD_SAGAW_39)
		return LIOMMU_VTD_AW_39;
	if (sagaw & LIOMMU_VTD_SAGAW_57)
		return LIOMMU_VTD_AW_57;
	return -EOPNOTSUPP;
}

static bool scope_names(const struct liommu_vtd_unit *unit,
			const struct pci_dev *pdev)
{
	unsigned int i;

	if (pci_domain_nr(pdev->bus) != unit->segment)
		return false;
	for (i = 0; i < unit->nr_scope; i++) {
		const struct liommu_vtd_scope *s = &unit->scope[i];
		struct pci_dev *bridge;
		bool below;

		if (!s->resolved)
			continue;
		if (s->type == LIOMMU_VTD_SCOPE_PCI_ENDPOINT &&
		    s->bus == pdev->bus->number && s->devfn == pdev->devfn)
			return true;
		if (s->type != LIOMMU_VTD_SCOPE_PCI_SUBTREE)
			continue;
		if (s->bus == pdev->bus->number && s->devfn == pdev->devfn)
			return true;
		bridge = pci_get_domain_bus_and_slot(unit->segment, s->bus,
						     s->devfn);
		below = bridge && bridge->subordinate &&
			pdev->bus->number >= bridge->subordinate->busn_res.start &&
			pdev->bus->number <= bridge->subordinate->busn_res.end;
		pci_dev_put(bridge);
		if (below)
			return true;
	}
	return false;
}

/* Does @unit translate @pdev?  INCLUDE_ALL units take what no other names. */
bool liommu_vtd_unit_serves(const struct liommu_vtd_dmar *dmar,
			    const struct liommu_vtd_unit *unit,
			    const struct pci_dev *pdev)
{
	unsigned int i;

	if (scope_names(unit, pdev))
		return true;
	if (!unit->include_all || pci_domain_nr(pdev->bus) != unit->segment)
		return false;
	for (i = 0; i < dmar->nr_units; i++)
		if (&dmar->units[i] != unit &&
		    scope_names(&dmar->units[i], pdev))
			return false;
	return true;
}

/* An identity context entry for every requester id the unit serves. */
static int identity_for_scope(const struct liommu_vtd_dmar *dmar,
			      struct liommu_vtd_unit *unit)
{
	struct pci_dev *pdev = NULL;
	unsigned int i;
	int err;

	/* Endpoints the table names, present or not (hotplug). */
	for (i = 0; i < unit->nr_scope; i++) {
		const struct liommu_vtd_scope *s = &unit->scope[i];

		if (s->resolved && (s->type == LIOMMU_VTD_SCOPE_PCI_ENDPOINT ||
				    s->type == LIOMMU_VTD_SCOPE_PCI_SUBTREE)) {
			err = liommu_vtd_set_identity(unit, s->bus, s->devfn);
			if (err)
				return err;
		}
	}
	/*
	 * Present devices, by their own requester id.  DMA aliases (devices
	 * behind a PCIe-to-PCI bridge use the bridge's id) are not added:
	 * pci_for_each_dma_alias() is not exported to modules.
	 */
	for_each_pci_dev(pdev) {
		if (!liommu_vtd_unit_serves(dmar, unit, pdev))
			continue;
		err = liommu_vtd_set_identity(unit, pdev->bus->number,
					      pdev->devfn);
		if (err) {
			pci_dev_put(pdev);
			return err;
		}
	}
	return 0;
}

/**
 * liommu_vtd_unit_enable() - take a unit: identity default, translation on
 * @dmar: all units (INCLUDE_ALL needs to know what the others serve)
 * @unit: a mapped unit
 *
 * Return: 0; -EBUSY if someone else drives the unit; -EOPNOTSUPP if it has
 * no pass-through or no queued invalidation; -ENOMEM; -ETIMEDOUT or -EIO
 * if the unit does not respond as the specification says.
 */
int liommu_vtd_unit_enable(const struct liommu_vtd_dmar *dmar,
			   struct liommu_vtd_unit *unit)
{
	u64 rtaddr;
	int aw, err;

	if (unit->gsts & LIOMMU_VTD_GSTS_IN_USE) {
		pr_err("unit %u: GSTS %#x at load: translation, queued invalidation or interrupt remapping is already on, so someone else drives this unit; not taking it\n",
		       unit->index, unit->gsts);
		return -EBUSY;
	}
	if (!unit->caps.pass_through) {
		pr_err("unit %u: no pass-through (ECAP.PT 0): an identity default would need a 1:1 page table, which this driver does not build; not taking it\n",
		       unit->index);
		return -EOPNOTSUPP;
	}
	if (!unit->caps.qi) {
		pr_err("unit %u: no queued invalidation (ECAP.QI 0): register-based invalidation is not implemented; not taking it\n",
		       unit->index);
		return -EOPNOTSUPP;
	}
	aw = pick_aw(unit);
	if (aw < 0) {
		pr_err("unit %u: CAP.SAGAW %#x names no table depth\n",
		       unit->index, unit->caps.sagaw);
		return aw;
	}
	unit->aw = aw;
	unit->identity_did = IDENTITY_DID;
	unit->scalable_on = unit->caps.scalable;

	/* Stale fault and invalidation errors from before us. */
	writel(LIOMMU_VTD_FSTS_W1C, unit->regs + LIOMMU_VTD_REG_FSTS);

	err = liommu_vtd_tables_alloc(unit);
	if (err)
		return err;
	err = identity_for_scope(dmar, unit);
	if (err)
		goto err_free_tables;

	rtaddr = (virt_to_phys(unit->root) & LIOMMU_VTD_RTADDR_RTA) |
		 FIELD_PREP(LIOMMU_VTD_RTADDR_TTM,
			    unit->scalable_on ? LIOMMU_VTD_TTM_SCALABLE :
						LIOMMU_VTD_TTM_LEGACY);
	writeq(rtaddr, unit->regs + LIOMMU_VTD_REG_RTADDR);
	err = liommu_vtd_gcmd(unit, LIOMMU_VTD_GCMD_SRTP, LIOMMU_VTD_GSTS_RTPS,
			      true);
	if (err)
		goto err_free_tables;

	err = liommu_vtd_qi_enable(unit);
	if (err)
		goto err_free_tables;
	err = liommu_vtd_qi_flush_all(unit);
	if (err)
		goto err_qi_disable;

	err = liommu_vtd_gcmd(unit, LIOMMU_VTD_GCMD_TE, LIOMMU_VTD_GSTS_TES,
			      true);
	if (err)
		goto err_te_off;
	unit->enabled = true;
	/* The mode and domain format: the reload test compares them. */
	pr_info("unit %u: translation on, %s mode, %s paging domains, pass-through for %u requester id%s (domain %u, AW %u)\n",
		unit->index, unit->scalable_on ? "scalable" : "legacy",
		unit->scalable_on && !unit->caps.second_stage ?
		"first-stage" : "second-stage",
		unit->nr_identity, unit->nr_identity == 1 ? "" : "s",
		unit->identity_did, unit->aw);
	return 0;

err_te_off:
	liommu_vtd_gcmd(unit, LIOMMU_VTD_GCMD_TE, LIOMMU_VTD_GSTS_TES, false);
err_qi_disable:
	liommu_vtd_qi_disable(unit);
err_free_tables:
	liommu_vtd_tables_free(unit);
	return err;
}

/**
 * liommu_vtd_unit_disable() - give a unit back: translation and QI off
 * @unit: a unit liommu_vtd_unit_enable() took; nothing happens otherwise
 */
void liommu_vtd_unit_disable(struct liommu_vtd_unit *unit)
{
	if (!unit->enabled)
		return;
	if (liommu_vtd_gcmd(unit, LIOMMU_VTD_GCMD_TE, LIOMMU_VTD_GSTS_TES,
			    false)) {
		/* The unit may still walk the tables: leave them. */
		pr_err("unit %u: translation did not turn off; leaking its tables\n",
		       unit->index);
		unit->enabled = false;
		return;
	}
	liommu_vtd_qi_disable(unit);
	liommu_vtd_tables_free(unit);
	unit->enabled = false;
	pr_info("unit %u: translation off, GSTS %#x, tables freed\n",
		unit->index, readl(unit->regs + LIOMMU_VTD_REG_GSTS));
}
