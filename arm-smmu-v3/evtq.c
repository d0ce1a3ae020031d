// SPDX-License-Identifier: GPL-2.0
/*
 * The event queue: its reader, and the way of its faults into the core.
 *
 * The SMMU writes event records at EVENTQ_PROD; we read from EVENTQ_CONS
 * up to it, decode each record into the unit's log (a ring of the last
 * LIOMMU_SMMU_EVT_LOG events that liommu_smmu_read_events() hands out),
 * report the translation faults (F_TRANSLATION, F_ADDR_SIZE, F_ACCESS,
 * F_PERMISSION) of devices we translate to the core with
 * liommu_report_device_fault() (the domain's handler runs later, on the
 * core's workqueue), and move EVENTQ_CONS on.
 *
 * Who reads: the threaded handler of the SMMU's wired "eventq" interrupt,
 * taken through the SMMU's platform device when it has one (QEMU's virt
 * wires four SPIs), with a polling worker as a safety net every
 * LIOMMU_SMMU_EVTQ_POLL_IRQ_MS; without the interrupt the worker polls
 * every LIOMMU_SMMU_EVTQ_POLL_MS.  liommu_smmu_read_events() drains too.
 * The "gerror" interrupt drains the queue (an event-queue abort is
 * acknowledged there) and counts; command-queue errors stay with the
 * command queue's own recovery.
 *
 * QEMU writes one record per 4-byte access of a faulting DMA, so the
 * queue is large (2^11); when it does overflow, EVENTQ_PROD.OVFLG
 * toggles and we acknowledge by copying it into EVENTQ_CONS.OVACKFLG.
 */
#define pr_fmt(fmt) "liommu-smmuv3: " fmt

#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/iopoll.h>
#include <linux/ktime.h>
#include <linux/of_platform.h>
#include <linux/platform_device.h>
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

/* The faults the core hears about: the translation faults. */
static bool event_is_fault(u8 id)
{
	switch (id) {
	case LIOMMU_SMMU_EVT_0_ID_F_TRANSLATION:
	case LIOMMU_SMMU_EVT_0_ID_F_ADDR_SIZE:
	case LIOMMU_SMMU_EVT_0_ID_F_ACCESS:
	case LIOMMU_SMMU_EVT_0_ID_F_PERMISSION:
		return true;
	default:
		return false;
	}
}

/* Hand one decoded event to the core; evtq_lock held. */
static void event_report(struct liommu_smmu_unit *unit,
			 const struct liommu_smmu_event *ev, u64 now)
{
	u64 w1 = ev->raw[1];
	struct liommu_fault f = {
		.addr = ev->addr,
		.reason = ev->id,
		.read_ns = now,
	};
	struct device *dev;

	lockdep_assert_held(&unit->evtq_lock);
	if (!event_is_fault(ev->id))
		return;
	dev = xa_load(&unit->masters, ev->sid);
	if (!dev)
		return;
	f.perm = w1 & LIOMMU_SMMU_EVT_1_RNW ? LIOMMU_FAULT_PERM_READ :
					      LIOMMU_FAULT_PERM_WRITE;
	if (w1 & LIOMMU_SMMU_EVT_1_IND)
		f.perm |= LIOMMU_FAULT_PERM_EXEC;
	if (w1 & LIOMMU_SMMU_EVT_1_PNU)
		f.perm |= LIOMMU_FAULT_PERM_PRIV;
	if (ev->ssv) {
		f.flags |= LIOMMU_FAULT_PASID_VALID;
		f.pasid = ev->ssid;
	}
	if (w1 & LIOMMU_SMMU_EVT_1_STALL) {
		f.flags |= LIOMMU_FAULT_RECOVERABLE | LIOMMU_FAULT_LAST_PAGE;
		f.grpid = FIELD_GET(LIOMMU_SMMU_EVT_1_STAG, w1);
		f.private_data[0] = ev->sid;
	}
	if (liommu_report_device_fault(dev, &f))
		unit->faults_unreported++;
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
	u64 now = ktime_get_ns();

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
		event_report(unit, ev, now);
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

/**
 * liommu_smmu_master_add() - events of @sid are @dev's
 * @unit: the SMMU that translates @dev
 * @sid: its StreamID
 * @dev: the device
 *
 * Return: 0, or -ENOMEM (then its events reach only the unit's log).
 */
int liommu_smmu_master_add(struct liommu_smmu_unit *unit, u32 sid,
			   struct device *dev)
{
	int err;

	mutex_lock(&unit->evtq_lock);
	err = xa_err(xa_store(&unit->masters, sid, dev, GFP_KERNEL));
	mutex_unlock(&unit->evtq_lock);
	return err;
}

/**
 * liommu_smmu_master_del() - forget the device of @sid
 * @unit: its SMMU
 * @sid: its StreamID
 */
void liommu_smmu_master_del(struct liommu_smmu_unit *unit, u32 sid)
{
	mutex_lock(&unit->evtq_lock);
	xa_erase(&unit->masters, sid);
	mutex_unlock(&unit->evtq_lock);
}

static bool evtq_pending(struct liommu_smmu_unit *unit)
{
	return readl(unit->regs + unit->evtq.prod_reg) !=
	       READ_ONCE(unit->evtq.cons);
}

static void evtq_poll_work(struct work_struct *work)
{
	struct liommu_smmu_unit *unit =
		container_of(to_delayed_work(work), typeof(*unit), evtq_work);

	if (evtq_pending(unit))
		liommu_smmu_evtq_poll(unit);
	queue_delayed_work(system_wq, &unit->evtq_work,
			   msecs_to_jiffies(unit->evtq_irq ?
					    LIOMMU_SMMU_EVTQ_POLL_IRQ_MS :
					    LIOMMU_SMMU_EVTQ_POLL_MS));
}

static irqreturn_t evtq_irq_thread(int irq, void *data)
{
	struct liommu_smmu_unit *unit = data;

	WRITE_ONCE(unit->irq_events, unit->irq_events + 1);
	liommu_smmu_evtq_poll(unit);
	return IRQ_HANDLED;
}

static irqreturn_t gerror_irq_thread(int irq, void *data)
{
	struct liommu_smmu_unit *unit = data;
	u32 active = readl(unit->regs + LIOMMU_SMMU_REG_GERROR) ^
		     readl(unit->regs + LIOMMU_SMMU_REG_GERRORN);

	if (active & ~LIOMMU_SMMU_GERROR_CMDQ_ERR)
		pr_warn_ratelimited("SMMU %u: global error %#x\n", unit->index,
				    active);
	/* An event-queue abort is acknowledged by the reader. */
	liommu_smmu_evtq_poll(unit);
	return IRQ_HANDLED;
}

static int irq_ctrl_write(struct liommu_smmu_unit *unit, u32 val)
{
	u32 ack;

	writel(val, unit->regs + LIOMMU_SMMU_REG_IRQ_CTRL);
	return readl_poll_timeout(unit->regs + LIOMMU_SMMU_REG_IRQ_CTRLACK,
				  ack, ack == val, 10, 100000);
}

/* The wired interrupts of the SMMU's platform device; 0 if none. */
static int evtq_irqs_request(struct liommu_smmu_unit *unit)
{
	struct platform_device *pdev = of_find_device_by_node(unit->np);
	int evtq, gerror, err;

	if (!pdev)
		return -ENODEV;
	evtq = platform_get_irq_byname_optional(pdev, "eventq");
	gerror = platform_get_irq_byname_optional(pdev, "gerror");
	put_device(&pdev->dev);
	if (evtq <= 0)
		return evtq ?: -ENXIO;
	err = request_threaded_irq(evtq, NULL, evtq_irq_thread, IRQF_ONESHOT,
				   "liommu-smmuv3-evtq", unit);
	if (err)
		return err;
	unit->evtq_irq = evtq;
	if (gerror > 0 &&
	    !request_threaded_irq(gerror, NULL, gerror_irq_thread,
				  IRQF_ONESHOT, "liommu-smmuv3-gerror", unit))
		unit->gerror_irq = gerror;
	err = irq_ctrl_write(unit, LIOMMU_SMMU_IRQ_CTRL_EVENTQ_IRQEN |
			     (unit->gerror_irq ?
			      LIOMMU_SMMU_IRQ_CTRL_GERROR_IRQEN : 0));
	if (err) {
		if (unit->gerror_irq)
			free_irq(unit->gerror_irq, unit);
		free_irq(unit->evtq_irq, unit);
		unit->evtq_irq = 0;
		unit->gerror_irq = 0;
	}
	return err;
}

/**
 * liommu_smmu_evtq_start() - start reading events by interrupt or poller
 * @unit: an enabled SMMU, registered with the core
 */
void liommu_smmu_evtq_start(struct liommu_smmu_unit *unit)
{
	int err = evtq_irqs_request(unit);

	if (err)
		pr_info("SMMU %u: no wired event interrupt (%d): polling every %u ms\n",
			unit->index, err, LIOMMU_SMMU_EVTQ_POLL_MS);
	else
		pr_info("SMMU %u: event queue interrupt %d, global error interrupt %d\n",
			unit->index, unit->evtq_irq, unit->gerror_irq);
	INIT_DELAYED_WORK(&unit->evtq_work, evtq_poll_work);
	queue_delayed_work(system_wq, &unit->evtq_work, 0);
}

/**
 * liommu_smmu_evtq_stop() - stop the interrupts and the poller
 * @unit: an SMMU liommu_smmu_evtq_start() started
 *
 * What is pending is read once more.
 */
void liommu_smmu_evtq_stop(struct liommu_smmu_unit *unit)
{
	if (unit->evtq_irq) {
		irq_ctrl_write(unit, 0);
		if (unit->gerror_irq)
			free_irq(unit->gerror_irq, unit);
		free_irq(unit->evtq_irq, unit);
		unit->evtq_irq = 0;
		unit->gerror_irq = 0;
	}
	cancel_delayed_work_sync(&unit->evtq_work);
	liommu_smmu_evtq_poll(unit);
}

/**
 * liommu_smmu_page_response() - resume a stalled transaction
 * @dev: the device whose transaction stalled
 * @fault: the recoverable fault the event queue reported (@grpid is the
 *	STAG, @private_data[0] the StreamID)
 * @code: &enum liommu_page_response_code
 *
 * CMD_RESUME with Retry for success, Terminate (abort to the device)
 * otherwise.  Written to the specification; QEMU's SMMU never stalls
 * (IDR0.STALL_MODEL: terminate only), so this path is unproven there.
 *
 * Context: process; takes the command queue lock.
 * Return: 0; -ENODEV; -EOPNOTSUPP if the SMMU cannot stall; what the
 * command queue returns.
 */
int liommu_smmu_page_response(struct device *dev,
			      const struct liommu_fault *fault, int code)
{
	struct liommu_smmu_master *m = liommu_dev_get_priv(dev);
	u64 cmd[1][2];

	if (!m)
		return -ENODEV;
	if (!m->unit->feat.stall)
		return -EOPNOTSUPP;
	cmd[0][0] = FIELD_PREP(LIOMMU_SMMU_CMD_0_OPCODE,
			       LIOMMU_SMMU_CMD_0_OPCODE_RESUME) |
		    FIELD_PREP(LIOMMU_SMMU_RESUME_0_SID, m->sid) |
		    FIELD_PREP(LIOMMU_SMMU_RESUME_0_ACTION,
			       code == LIOMMU_PAGE_RESP_SUCCESS ?
			       LIOMMU_SMMU_RESUME_ACTION_RETRY :
			       LIOMMU_SMMU_RESUME_ACTION_TERM);
	cmd[0][1] = FIELD_PREP(LIOMMU_SMMU_RESUME_1_STAG, fault->grpid);
	return liommu_smmu_cmdq_submit(m->unit, cmd, 1);
}
