// SPDX-License-Identifier: GPL-2.0
/*
 * The event queue: a polled reader.
 *
 * The SMMU writes event records at EVENTQ_PROD; we read from EVENTQ_CONS
 * up to it, decode each record into the unit's log (a ring of the last
 * LIOMMU_SMMU_EVT_LOG events that liommu_smmu_read_events() hands out)
 * and move EVENTQ_CONS on.  Nobody interrupts us (no MSI on QEMU, and we
 * own no wired interrupt yet): the queue is drained when someone asks.
 *
 * QEMU writes one record per 4-byte access of a faulting DMA, so the
 * queue is large (2^11); when it does overflow, EVENTQ_PROD.OVFLG
 * toggles and we acknowledge by copying it into EVENTQ_CONS.OVACKFLG.
 */
#define pr_fmt(fmt) "liommu-smmuv3: " fmt

#include <linux/io.h>
#include <linux/printk.h>

#include "cmdq.h"
#include "regs.h"
#include "smmuv3.h"

/**
 * liommu_smmu_event_name() - the architecture's name of an event number
 * @id: EVENT_ID of a record
 *
 * Return: a constant string, "UNKNOWN" for numbers we do not know.
 */
const char *liommu_smmu_event_name(u8 id)
{
	switch (id) {
	case LIOMMU_SMMU_EVT_0_ID_F_UUT:		return "F_UUT";
	case LIOMMU_SMMU_EVT_0_ID_C_BAD_STREAMID:	return "C_BAD_STREAMID";
	case LIOMMU_SMMU_EVT_0_ID_F_STE_FETCH:		return "F_STE_FETCH";
	case LIOMMU_SMMU_EVT_0_ID_C_BAD_STE:		return "C_BAD_STE";
	case LIOMMU_SMMU_EVT_0_ID_F_BAD_ATS_TREQ:	return "F_BAD_ATS_TREQ";
	case LIOMMU_SMMU_EVT_0_ID_F_STREAM_DISABLED:	return "F_STREAM_DISABLED";
	case LIOMMU_SMMU_EVT_0_ID_F_TRANSL_FORBIDDEN:	return "F_TRANSL_FORBIDDEN";
	case LIOMMU_SMMU_EVT_0_ID_C_BAD_SUBSTREAMID:	return "C_BAD_SUBSTREAMID";
	case LIOMMU_SMMU_EVT_0_ID_F_CD_FETCH:		return "F_CD_FETCH";
	case LIOMMU_SMMU_EVT_0_ID_C_BAD_CD:		return "C_BAD_CD";
	case LIOMMU_SMMU_EVT_0_ID_F_WALK_EABT:		return "F_WALK_EABT";
	case LIOMMU_SMMU_EVT_0_ID_F_TRANSLATION:	return "F_TRANSLATION";
	case LIOMMU_SMMU_EVT_0_ID_F_ADDR_SIZE:		return "F_ADDR_SIZE";
	case LIOMMU_SMMU_EVT_0_ID_F_ACCESS:		return "F_ACCESS";
	case LIOMMU_SMMU_EVT_0_ID_F_PERMISSION:		return "F_PERMISSION";
	case LIOMMU_SMMU_EVT_0_ID_F_TLB_CONFLICT:	return "F_TLB_CONFLICT";
	case LIOMMU_SMMU_EVT_0_ID_F_CFG_CONFLICT:	return "F_CFG_CONFLICT";
	case LIOMMU_SMMU_EVT_0_ID_E_PAGE_REQUEST:	return "E_PAGE_REQUEST";
	case LIOMMU_SMMU_EVT_0_ID_F_VMS_FETCH:		return "F_VMS_FETCH";
	default:					return "UNKNOWN";
	}
}

/* Events whose word 2 is the faulting input address. */
static bool event_has_addr(u8 id)
{
	switch (id) {
	case LIOMMU_SMMU_EVT_0_ID_F_UUT:
	case LIOMMU_SMMU_EVT_0_ID_F_TRANSL_FORBIDDEN:
	case LIOMMU_SMMU_EVT_0_ID_F_BAD_ATS_TREQ:
	case LIOMMU_SMMU_EVT_0_ID_F_TRANSLATION:
	case LIOMMU_SMMU_EVT_0_ID_F_ADDR_SIZE:
	case LIOMMU_SMMU_EVT_0_ID_F_ACCESS:
	case LIOMMU_SMMU_EVT_0_ID_F_PERMISSION:
	case LIOMMU_SMMU_EVT_0_ID_F_TLB_CONFLICT:
		return true;
	default:
		return false;
	}
}

static void event_decode(const __le64 *ent, struct liommu_smmu_event *ev)
{
	unsigned int i;

	for (i = 0; i < LIOMMU_SMMU_EVT_DWORDS; i++)
		ev->raw[i] = le64_to_cpu(ent[i]);
	ev->id = FIELD_GET(LIOMMU_SMMU_EVT_0_ID, ev->raw[0]);
	ev->ssv = FIELD_GET(LIOMMU_SMMU_EVT_0_SSV, ev->raw[0]);
	ev->sid = FIELD_GET(LIOMMU_SMMU_EVT_0_SID, ev->raw[0]);
	ev->ssid = ev->ssv ? FIELD_GET(LIOMMU_SMMU_EVT_0_SSID, ev->raw[0]) : 0;
	ev->addr = event_has_addr(ev->id) ?
		   FIELD_GET(LIOMMU_SMMU_EVT_2_ADDR, ev->raw[2]) : 0;
}

/**
 * liommu_smmu_evtq_poll() - drain the event queue into the unit's log
 * @unit: an SMMU whose event queue is enabled
 *
 * Context: process; takes the unit's evtq_lock.
 */
void liommu_smmu_evtq_poll(struct liommu_smmu_unit *unit)
{
	struct liommu_smmu_queue *q = &unit->evtq;
	struct liommu_smmu_evt_log *log = &unit->evt_log;
	u32 wrap_idx = GENMASK(q->log2, 0);
	unsigned int n = 0;
	u32 prod, gerror, gerrorn;

	mutex_lock(&unit->evtq_lock);
	prod = readl(unit->regs + q->prod_reg);
	if ((prod ^ q->cons) & LIOMMU_SMMU_EVENTQ_PROD_OVFLG) {
		log->overflows++;
		pr_warn_ratelimited("SMMU %u: event queue overflowed: events were lost\n",
				    unit->index);
		q->cons ^= LIOMMU_SMMU_EVENTQ_CONS_OVACKFLG;
	}
	/* readl() orders the PROD read before the entries' reads. */
	while ((q->cons & wrap_idx) != (prod & wrap_idx)) {
		u32 idx = q->cons & GENMASK(q->log2 - 1, 0);
		struct liommu_smmu_event *ev =
			&log->ev[log->head % LIOMMU_SMMU_EVT_LOG];

		event_decode(q->ents + idx * q->dwords, ev);
		if (!n++)
			pr_info_ratelimited("SMMU %u: event %s (%#x) StreamID %#x address %#llx\n",
					    unit->index,
					    liommu_smmu_event_name(ev->id),
					    ev->id, ev->sid, ev->addr);
		log->head++;
		q->cons = (q->cons & ~wrap_idx) | ((q->cons + 1) & wrap_idx);
	}
	/* Read the entries before handing them back to the SMMU. */
	mb();
	writel(q->cons, unit->regs + q->cons_reg);
	if (log->head - log->tail > LIOMMU_SMMU_EVT_LOG)
		log->tail = log->head - LIOMMU_SMMU_EVT_LOG;
	if (n > 1)
		pr_info_ratelimited("SMMU %u: %u events read\n", unit->index, n);

	gerror = readl(unit->regs + LIOMMU_SMMU_REG_GERROR);
	gerrorn = readl(unit->regs + LIOMMU_SMMU_REG_GERRORN);
	if ((gerror ^ gerrorn) & LIOMMU_SMMU_GERROR_EVTQ_ABT_ERR) {
		pr_err("SMMU %u: event queue write aborted (GERROR.EVTQ_ABT_ERR)\n",
		       unit->index);
		writel(gerrorn ^ LIOMMU_SMMU_GERROR_EVTQ_ABT_ERR,
		       unit->regs + LIOMMU_SMMU_REG_GERRORN);
	}
	mutex_unlock(&unit->evtq_lock);
}
