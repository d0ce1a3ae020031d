// SPDX-License-Identifier: GPL-2.0
/*
 * Primary faults: the fault recording registers, read by polling, and
 * their way into the core's fault path.
 *
 * The unit writes a fault into a recording register (CAP.NFR of them at
 * CAP.FRO), sets its F bit and FSTS.PPF, and records nothing more for the
 * same source id while F stays set (QEMU does the same).  Each record
 * read is decoded into the unit's small log of the newest faults (for
 * liommu_vtd_read_faults()), reported to the core with
 * liommu_report_device_fault() (which queues it: the domain's handler
 * runs on the core's workqueue, never here), then its F bit is written 1
 * to clear; a primary fault overflow (PFO) is counted and cleared too.
 *
 * Who reads: a polling worker every LIOMMU_VTD_FAULT_POLL_MS while the
 * unit is registered, plus liommu_vtd_read_faults() and the waits of the
 * invalidation queue.  The fault event interrupt stays masked (FECTL.IM):
 * its MSI would have to come from dmar_alloc_hwirq(), which none of 6.1,
 * 6.12 and 7.3 exports to modules (Documentation/faults.rst).
 *
 * Source id to device: @fault_devs, filled by probe_device and emptied
 * by release_device, read under @fault_lock (a release waits for the
 * lock after erasing, so a reader's device reference is taken before the
 * core can drop its own).
 */
#define pr_fmt(fmt) "liommu-vtd: " fmt

#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/pci.h>
#include <linux/workqueue.h>

#include <liommu/compat.h>
#include "qi.h"
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

/* Hand one decoded record to the core; @fault_lock held. */
static void fault_report(struct liommu_vtd_unit *unit,
			 const struct liommu_vtd_fault *f, u64 hi, u64 now)
{
	struct device *dev = xa_load(&unit->fault_devs, f->sid);
	struct liommu_fault lf = {
		.addr = f->addr,
		.reason = f->reason,
		.pasid = f->pasid,
		.read_ns = now,
		.perm = f->read ? LIOMMU_FAULT_PERM_READ :
				  LIOMMU_FAULT_PERM_WRITE,
	};

	lockdep_assert_held(&unit->fault_lock);
	if (!dev)
		return;
	if (f->pasid_present)
		lf.flags |= LIOMMU_FAULT_PASID_VALID;
	if (hi & LIOMMU_VTD_FRCD_1_EXE)
		lf.perm |= LIOMMU_FAULT_PERM_EXEC;
	if (hi & LIOMMU_VTD_FRCD_1_PRIV)
		lf.perm |= LIOMMU_FAULT_PERM_PRIV;
	if (liommu_report_device_fault(dev, &lf))
		unit->faults_unreported++;
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
		fault_report(unit, &f, hi, ktime_get_ns());
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

static void fault_poll_work(struct work_struct *work)
{
	struct liommu_vtd_unit *unit =
		container_of(to_delayed_work(work), typeof(*unit), fault_work);

	if (readl(unit->regs + LIOMMU_VTD_REG_FSTS) &
	    (LIOMMU_VTD_FSTS_PPF | LIOMMU_VTD_FSTS_PFO))
		liommu_vtd_fault_poll(unit);
	queue_delayed_work(system_wq, &unit->fault_work,
			   msecs_to_jiffies(LIOMMU_VTD_FAULT_POLL_MS));
}

/**
 * liommu_vtd_fault_init() - source-id table and poller of a unit
 * @unit: a unit about to register with the core
 */
void liommu_vtd_fault_init(struct liommu_vtd_unit *unit)
{
	spin_lock_init(&unit->fault_lock);
	xa_init(&unit->fault_devs);
	INIT_DELAYED_WORK(&unit->fault_work, fault_poll_work);
}

/**
 * liommu_vtd_fault_start() - start polling the unit's fault records
 * @unit: a registered unit
 */
void liommu_vtd_fault_start(struct liommu_vtd_unit *unit)
{
	queue_delayed_work(system_wq, &unit->fault_work, 0);
}

/**
 * liommu_vtd_fault_stop() - stop polling; what is pending is read once
 * @unit: a unit liommu_vtd_fault_start() started
 */
void liommu_vtd_fault_stop(struct liommu_vtd_unit *unit)
{
	cancel_delayed_work_sync(&unit->fault_work);
	liommu_vtd_fault_poll(unit);
}

/**
 * liommu_vtd_fault_dev_add() - faults of @sid are @dev's
 * @unit: the unit that translates @dev
 * @sid: its source id (bus << 8 | devfn)
 * @dev: the device
 *
 * Return: 0, or -ENOMEM (then its faults reach only the unit's log).
 */
int liommu_vtd_fault_dev_add(struct liommu_vtd_unit *unit, u16 sid,
			     struct device *dev)
{
	return xa_err(xa_store(&unit->fault_devs, sid, dev, GFP_KERNEL));
}

/**
 * liommu_vtd_fault_dev_del() - forget the device of @sid
 * @unit: its unit
 * @sid: its source id
 *
 * After it returns, no fault reader holds the device without a reference.
 */
void liommu_vtd_fault_dev_del(struct liommu_vtd_unit *unit, u16 sid)
{
	unsigned long flags;

	xa_erase(&unit->fault_devs, sid);
	spin_lock_irqsave(&unit->fault_lock, flags);
	spin_unlock_irqrestore(&unit->fault_lock, flags);
}

/**
 * liommu_vtd_page_response() - answer a page request group
 * @unit: the unit that translates the device
 * @sid: the device's requester id
 * @f: the recoverable fault (a page request) being answered
 * @code: &enum liommu_page_response_code
 *
 * A page group response descriptor through the invalidation queue.
 * Written to the specification: QEMU 10.0 has no page requests
 * (ECAP.PRS 0), so this refuses there and is unproven.
 *
 * Return: 0; -EOPNOTSUPP without ECAP.PRS or the 256-bit queue the
 * private data needs; what the queue returns.
 */
int liommu_vtd_page_response(struct liommu_vtd_unit *unit, u16 sid,
			     const struct liommu_fault *f, int code)
{
	u64 d[4] = {};
	u64 resp;

	if (!(unit->ecap & LIOMMU_VTD_ECAP_PRS))
		return -EOPNOTSUPP;
	switch (code) {
	case LIOMMU_PAGE_RESP_SUCCESS:
		resp = LIOMMU_VTD_QI_PGRP_RESP_SUCCESS;
		break;
	case LIOMMU_PAGE_RESP_INVALID:
		resp = LIOMMU_VTD_QI_PGRP_RESP_INVALID;
		break;
	default:
		resp = LIOMMU_VTD_QI_PGRP_RESP_FAILURE;
		break;
	}
	d[0] = FIELD_PREP(LIOMMU_VTD_QI_0_TYPE_LO, LIOMMU_VTD_QI_TYPE_PGRP_RESP) |
	       FIELD_PREP(LIOMMU_VTD_QI_PGRP_0_RESP, resp) |
	       FIELD_PREP(LIOMMU_VTD_QI_PGRP_0_RID, sid);
	if (f->flags & LIOMMU_FAULT_RESP_PASID)
		d[0] |= LIOMMU_VTD_QI_PGRP_0_PP |
			FIELD_PREP(LIOMMU_VTD_QI_PGRP_0_PASID, f->pasid);
	d[1] = FIELD_PREP(LIOMMU_VTD_QI_PGRP_1_PRGI, f->grpid);
	if (f->flags & LIOMMU_FAULT_LAST_PAGE)
		d[1] |= LIOMMU_VTD_QI_PGRP_1_LPIG;
	if (f->private_data[0] || f->private_data[1]) {
		if (unit->qi.desc_words < 4)
			return -EOPNOTSUPP;
		d[0] |= LIOMMU_VTD_QI_PGRP_0_PDP;
		d[2] = f->private_data[0];
		d[3] = f->private_data[1];
	}
	return liommu_vtd_qi_submit_words(unit, d, 1);
}
