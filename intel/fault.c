// SPDX-License-Identifier: GPL-2.0
/*
 * Primary faults: the fault recording registers, read by polling.
 *
 * The unit writes a fault into a recording register (CAP.NFR of them at
 * CAP.FRO), sets its F bit and FSTS.PPF, and records nothing more for the
 * same source id while F stays set (QEMU does the same).  The driver owns
 * no fault interrupt yet (FECTL stays masked), so the reader is polled:
 * by liommu_vtd_read_faults() and after invalidation-queue waits.  Each
 * record read is decoded into the unit's small log of the newest faults,
 * then its F bit is written 1 to clear; a primary fault overflow (PFO) is
 * counted and cleared too.
 */
#define pr_fmt(fmt) "liommu-vtd: " fmt

#include <linux/io.h>
#include <linux/pci.h>

#include <liommu/compat.h>
#include "regs.h"
#include "vtd.h"

static void fault_log_add(struct liommu_vtd_unit *unit,
			  const struct liommu_vtd_fault *f)
{
	lockdep_assert_held(&unit->fault_lock);
	if (unit->nr_faults == LIOMMU_VTD_FAULT_LOG) {
		memmove(unit->faults, unit->faults + 1,
			sizeof(*f) * (LIOMMU_VTD_FAULT_LOG - 1));
		unit->nr_faults--;
	}
	unit->faults[unit->nr_faults++] = *f;
}

/**
 * liommu_vtd_fault_poll() - read and clear the unit's pending faults
 * @unit: a mapped unit
 *
 * Return: how many fault records were read.
 */
unsigned int liommu_vtd_fault_poll(struct liommu_vtd_unit *unit)
{
	const struct liommu_vtd_caps *c = &unit->caps;
	unsigned long flags;
	unsigned int i, n = 0;
	u32 fsts;

	spin_lock_irqsave(&unit->fault_lock, flags);
	fsts = readl(unit->regs + LIOMMU_VTD_REG_FSTS);
	for (i = 0; (fsts & LIOMMU_VTD_FSTS_PPF) && i < c->nr_fault_records;
	     i++) {
		void __iomem *r = unit->regs + c->fault_reg_offset +
				  i * LIOMMU_VTD_FRCD_SIZE;
		u64 hi = readq(r + 8), lo;
		struct liommu_vtd_fault f;

		if (!(hi & LIOMMU_VTD_FRCD_1_F))
			continue;
		lo = readq(r);
		f = (struct liommu_vtd_fault){
			.seq = ++unit->fault_seq,
			.addr = lo & LIOMMU_VTD_FRCD_0_FI,
			.sid = FIELD_GET(LIOMMU_VTD_FRCD_1_SID, hi),
			.reason = FIELD_GET(LIOMMU_VTD_FRCD_1_FR, hi),
			.read = !!(hi & LIOMMU_VTD_FRCD_1_T),
			.pasid_present = !!(hi & LIOMMU_VTD_FRCD_1_PP),
			.pasid = FIELD_GET(LIOMMU_VTD_FRCD_1_PV, hi),
		};
		fault_log_add(unit, &f);
		/* F is write 1 to clear; the other fields are read-only. */
		writeq(LIOMMU_VTD_FRCD_1_F, r + 8);
		n++;
		pr_info_ratelimited("unit %u: DMA fault: %s of %#llx by %02x:%02x.%u, reason %#x\n",
				    unit->index, f.read ? "read" : "write",
				    f.addr, PCI_BUS_NUM(f.sid),
				    PCI_SLOT(f.sid & 0xff),
				    PCI_FUNC(f.sid & 0xff), f.reason);
	}
	if (fsts & LIOMMU_VTD_FSTS_PFO) {
		pr_warn_ratelimited("unit %u: primary fault overflow: faults were lost\n",
				    unit->index);
		writel(LIOMMU_VTD_FSTS_PFO, unit->regs + LIOMMU_VTD_REG_FSTS);
	}
	spin_unlock_irqrestore(&unit->fault_lock, flags);
	return n;
}
