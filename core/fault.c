// SPDX-License-Identifier: GPL-2.0
/*
 * I/O page faults: from the vendor that read them to the handler of the
 * domain the faulting request hit (seed 001's per-domain IOPF model).
 *
 * Path:
 *  1. A vendor reads a fault from its unit (VT-d fault recording
 *     registers, the SMMU event queue, the mock's DMA) and calls
 *     liommu_report_device_fault().  That may be atomic context: the
 *     fault is copied, the device referenced and the copy queued on the
 *     unit's fault queue; nothing else happens there.
 *  2. The queue's work item, on an ordered workqueue of the unit's own,
 *     takes the faults in the order they were reported.  For each it
 *     finds the domain attached at (device, PASID), or the device's
 *     untagged (RID) domain when the request carried no PASID (or PASID
 *     0, RID_PASID), and calls that domain's iopf_handler.  A domain
 *     without one (or no domain) counts the fault as unhandled and says
 *     so, rate-limited.
 *  3. A recoverable fault (a page request) is answered through the
 *     vendor's page_response: success if the handler returned 0,
 *     invalid otherwise (and for unhandled faults), nothing if it
 *     returned -EINPROGRESS: it took the fault and answers it later with
 *     liommu_page_response() (iommufd-lite's fault queues, answered by
 *     userspace).  Every answer, sent or refused by the vendor, is
 *     counted and the last one kept (liommu_iopf_get_stats()).
 *
 * Locking and lifetime:
 *  - liommu_iopf_lock (spinlock, interrupts off) guards every queue's
 *    pending list, counters and @dead flag; it is innermost and may be
 *    taken under any vendor lock (reporters run under their own).
 *  - The handler runs under the device's group mutex: the domain it was
 *    given stays attached (detach and replace take that mutex) and so
 *    cannot be freed (a domain with users is never freed) until the
 *    handler returns.  Hence the rule: never wait for a unit's fault
 *    queue (liommu_iopf_flush_dev()) while holding a group mutex.
 *  - A domain's handler and data change only while nothing is attached
 *    to it (liommu_domain_set_iopf_handler() refuses otherwise), so the
 *    pair read under the group mutex is consistent.
 *  - A queue lives from liommu_device_register() to the start of
 *    liommu_device_unregister(): it is marked dead (reports are refused),
 *    drained, then freed, before the unit's devices are released.  A
 *    device released on its own waits for the queue too, after its state
 *    left the table, so no handler keeps a freed state.  Each queued
 *    fault pins its struct device.
 *
 * Fault copies are plain kmalloc(GFP_ATOMIC) allocations, outside the
 * core's counted allocations and failure injection (alloc.c): a fault
 * can arrive at any moment, and must not change what a fail-nth test
 * counts.  The queue is bounded (LIOMMU_IOPF_MAX_PENDING); faults beyond
 * it are dropped and counted.
 */
#include <linux/device.h>
#include <linux/ktime.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "priv.h"

/* Faults a unit's queue holds before it drops new ones. */
#define LIOMMU_IOPF_MAX_PENDING	8192

/**
 * struct liommu_iopf_queue - the fault queue of one unit
 * @iommu: the unit
 * @wq: its ordered workqueue ("liommu-iopf-<unit>")
 * @work: drains @pending
 * @pending: &struct liommu_iopf_item, oldest first
 * @dead: the unit is unregistering: refuse new reports
 * @seq: faults numbered so far
 * @stats: the counters (@stats.pending is the length of @pending)
 * @last_dev: the device of the last fault queued (debugfs ``faults``)
 * @last_addr: its address
 * @last_perm: its LIOMMU_FAULT_PERM_*
 */
struct liommu_iopf_queue {
	struct liommu_device *iommu;
	struct workqueue_struct *wq;
	struct work_struct work;
	struct list_head pending;
	bool dead;
	u64 seq;
	struct liommu_iopf_stats stats;
	char last_dev[32];
	u64 last_addr;
	u32 last_perm;
};

struct liommu_iopf_item {
	struct list_head node;
	struct liommu_fault fault;
};

static DEFINE_SPINLOCK(liommu_iopf_lock);

/**
 * liommu_domain_set_iopf_handler() - install a domain's fault handler
 * @domain: a domain allocated through the API, attached nowhere
 * @handler: called for every fault of a request that hit @domain; NULL
 *	removes it (faults are then counted as unhandled)
 * @data: passed to @handler
 *
 * Upstream sets &iommu_domain.iopf_handler at allocation (iommufd's
 * fault-capable hw_pagetable, the SVA domain); here it may be set any
 * time the domain is not in use.
 *
 * Context: process context.
 * Return: 0; -EINVAL for a NULL, error or static domain; -EBUSY while
 * the domain is attached to a device or PASID.
 */
int liommu_domain_set_iopf_handler(struct liommu_domain *domain,
				   liommu_iopf_handler_t handler, void *data)
{
	if (IS_ERR_OR_NULL(domain) || domain->flags & LIOMMU_DOMAIN_F_STATIC)
		return -EINVAL;
	if (atomic_read(&domain->users))
		return -EBUSY;
	domain->iopf_handler = handler;
	domain->fault_data = handler ? data : NULL;
	return 0;
}
LIOMMU_EXPORT(liommu_domain_set_iopf_handler);

/**
 * liommu_report_device_fault() - hand a fault to the core
 * @dev: the device whose request faulted (@fault->dev is ignored)
 * @fault: what the vendor decoded; @seq is the core's to fill, and a zero
 *	@read_ns is taken as now
 *
 * liommu_report_device_fault() is upstream's iommu_report_device_fault().
 * The fault is queued on the unit's fault queue; the domain's handler
 * runs later, from the unit's workqueue, never from the caller.
 *
 * Context: any (the copy is GFP_ATOMIC); takes liommu_iopf_lock.
 * Return: 0; -EINVAL for NULL arguments; -ENODEV if no unit translates
 * @dev (or it is going away); -ENOSPC if the queue is full (the fault is
 * dropped and counted); -ENOMEM.
 */
int liommu_report_device_fault(struct device *dev,
			       const struct liommu_fault *fault)
{
	struct liommu_iopf_queue *q;
	struct liommu_iopf_item *it;
	struct liommu_device *unit;
	unsigned long flags;
	int err = 0;

	if (IS_ERR_OR_NULL(dev) || !fault)
		return -EINVAL;
	it = kmalloc(sizeof(*it), GFP_ATOMIC);
	if (!it)
		return -ENOMEM;
	it->fault = *fault;
	it->fault.dev = dev;
	if (!it->fault.read_ns)
		it->fault.read_ns = ktime_get_ns();

	unit = liommu_dev_unit(dev);
	spin_lock_irqsave(&liommu_iopf_lock, flags);
	q = unit ? unit->iopf : NULL;
	if (!q || q->dead) {
		err = -ENODEV;
	} else if (q->stats.pending >= LIOMMU_IOPF_MAX_PENDING) {
		q->stats.dropped++;
		err = -ENOSPC;
	} else {
		get_device(dev);
		it->fault.seq = ++q->seq;
		list_add_tail(&it->node, &q->pending);
		q->stats.reported++;
		q->stats.pending++;
		strscpy(q->last_dev, dev_name(dev), sizeof(q->last_dev));
		q->last_addr = fault->addr;
		q->last_perm = fault->perm;
		queue_work(q->wq, &q->work);
	}
	spin_unlock_irqrestore(&liommu_iopf_lock, flags);
	if (err)
		kfree(it);
	return err;
}
LIOMMU_EXPORT(liommu_report_device_fault);

/**
 * liommu_page_response() - answer a recoverable fault
 * @dev: the device that asked
 * @fault: the fault as the handler got it
 * @code: the answer
 *
 * liommu_page_response() is upstream's iommu_page_response().  The core
 * answers every recoverable fault itself after the domain's handler (see
 * &liommu_iopf_handler_t); this is for callers that answer on their own.
 *
 * Context: process context.
 * Return: what the vendor's page_response returns; -EINVAL for NULL
 * arguments, a fault that is not recoverable or an unknown @code;
 * -ENODEV if no unit translates @dev; -EOPNOTSUPP if the unit cannot
 * answer.
 */
int liommu_page_response(struct device *dev, const struct liommu_fault *fault,
			 enum liommu_page_response_code code)
{
	struct liommu_device *unit;
	unsigned long flags;
	int err;

	if (IS_ERR_OR_NULL(dev) || !fault ||
	    !(fault->flags & LIOMMU_FAULT_RECOVERABLE) ||
	    code > LIOMMU_PAGE_RESP_FAILURE)
		return -EINVAL;
	unit = liommu_dev_unit(dev);
	if (!unit)
		return -ENODEV;
	err = unit->ops->page_response ?
	      unit->ops->page_response(dev, fault, code) : -EOPNOTSUPP;
	spin_lock_irqsave(&liommu_iopf_lock, flags);
	if (unit->iopf) {
		if (err)
			unit->iopf->stats.responses_refused++;
		else
			unit->iopf->stats.responses++;
		unit->iopf->stats.last_resp_grpid = fault->grpid;
		unit->iopf->stats.last_resp_code = code;
		unit->iopf->stats.last_resp_err = err;
	}
	spin_unlock_irqrestore(&liommu_iopf_lock, flags);
	return err;
}
LIOMMU_EXPORT(liommu_page_response);

/* The domain a fault's request hit; group mutex held. */
static struct liommu_domain *iopf_domain(struct liommu_dev *ldev,
					 const struct liommu_fault *f)
{
	lockdep_assert_held(&ldev->group->mutex);
	if ((f->flags & LIOMMU_FAULT_PASID_VALID) && f->pasid)
		return xa_load(&ldev->pasid_domains, f->pasid);
	return ldev->group->domain;
}

static void iopf_count(struct liommu_iopf_queue *q, bool delivered, u64 lat)
{
	unsigned long flags;

	spin_lock_irqsave(&liommu_iopf_lock, flags);
	if (delivered) {
		q->stats.delivered++;
		q->stats.last_latency_ns = lat;
		q->stats.max_latency_ns = max(q->stats.max_latency_ns, lat);
		q->stats.total_latency_ns += lat;
	} else {
		q->stats.unhandled++;
	}
	spin_unlock_irqrestore(&liommu_iopf_lock, flags);
}

static void iopf_handle(struct liommu_iopf_queue *q, struct liommu_fault *f)
{
	liommu_iopf_handler_t handler = NULL;
	struct liommu_domain *domain = NULL;
	struct liommu_dev *ldev;
	int ret = -ENOENT;

	ldev = liommu_dev_get(f->dev);
	if (ldev && ldev->iommu == q->iommu) {
		mutex_lock(&ldev->group->mutex);
		domain = ldev->live ? iopf_domain(ldev, f) : NULL;
		handler = domain ? domain->iopf_handler : NULL;
		if (handler) {
			iopf_count(q, true, ktime_get_ns() - f->read_ns);
			ret = handler(domain, f, domain->fault_data);
		}
		mutex_unlock(&ldev->group->mutex);
	}
	liommu_dev_put(ldev);
	if (!handler) {
		iopf_count(q, false, 0);
		dev_info_ratelimited(f->dev, "liommu: unhandled I/O page fault: %s%s of %#llx%s, reason %#x (%s)\n",
				     f->perm & LIOMMU_FAULT_PERM_WRITE ? "write" : "read",
				     f->perm & LIOMMU_FAULT_PERM_EXEC ? "/exec" : "",
				     f->addr,
				     f->flags & LIOMMU_FAULT_PASID_VALID ? ", PASID" : "",
				     f->reason,
				     domain ? "its domain has no handler" : "no domain");
	}
	/* -EINPROGRESS: the handler kept the fault and answers it itself. */
	if ((f->flags & LIOMMU_FAULT_RECOVERABLE) && ldev && ret != -EINPROGRESS)
		liommu_page_response(f->dev, f, ret ? LIOMMU_PAGE_RESP_INVALID :
						      LIOMMU_PAGE_RESP_SUCCESS);
}

static void iopf_work(struct work_struct *work)
{
	struct liommu_iopf_queue *q = container_of(work, typeof(*q), work);
	struct liommu_iopf_item *it;
	unsigned long flags;

	for (;;) {
		spin_lock_irqsave(&liommu_iopf_lock, flags);
		it = list_first_entry_or_null(&q->pending, typeof(*it), node);
		if (it) {
			list_del(&it->node);
			q->stats.pending--;
		}
		spin_unlock_irqrestore(&liommu_iopf_lock, flags);
		if (!it)
			break;
		iopf_handle(q, &it->fault);
		put_device(it->fault.dev);
		kfree(it);
		cond_resched();
	}
}

/* The queue of @dev's unit, or NULL. */
static struct liommu_iopf_queue *iopf_queue_of(struct device *dev)
{
	struct liommu_device *unit;

	unit = IS_ERR_OR_NULL(dev) ? NULL : liommu_dev_unit(dev);
	return unit ? unit->iopf : NULL;
}

/**
 * liommu_iopf_flush_dev() - wait until the faults reported so far are handled
 * @dev: a translated device; the whole queue of its unit is flushed
 *
 * upstream's iopf_queue_flush_dev(): every fault reported before the call
 * has reached its handler (or was counted) when it returns.
 *
 * Context: process context; must not hold a group mutex (the handlers
 * take it).
 * Return: 0; -ENODEV if no unit translates @dev.
 */
int liommu_iopf_flush_dev(struct device *dev)
{
	struct liommu_iopf_queue *q = iopf_queue_of(dev);

	if (!q)
		return -ENODEV;
	flush_workqueue(q->wq);
	return 0;
}
LIOMMU_EXPORT(liommu_iopf_flush_dev);

/**
 * liommu_iopf_get_stats() - the fault counters of a device's unit
 * @dev: a translated device
 * @stats: filled on success
 *
 * Context: any.
 * Return: 0; -EINVAL for a NULL @stats; -ENODEV if no unit translates
 * @dev.
 */
int liommu_iopf_get_stats(struct device *dev, struct liommu_iopf_stats *stats)
{
	struct liommu_iopf_queue *q;
	unsigned long flags;

	if (!stats)
		return -EINVAL;
	q = iopf_queue_of(dev);
	if (!q)
		return -ENODEV;
	spin_lock_irqsave(&liommu_iopf_lock, flags);
	*stats = q->stats;
	spin_unlock_irqrestore(&liommu_iopf_lock, flags);
	return 0;
}
LIOMMU_EXPORT(liommu_iopf_get_stats);

/*
 * debugfs ``faults``: one line for @iommu's queue, its counters and the
 * last fault queued.  Tests read it rather than the rate-limited log.
 */
void liommu_iopf_show(struct seq_file *m, struct liommu_device *iommu)
{
	struct liommu_iopf_queue *q = iommu->iopf;
	struct liommu_iopf_stats s;
	unsigned long flags;
	char dev[32] = "-";
	u64 addr = 0;
	u32 perm = 0;

	if (!q)
		return;
	spin_lock_irqsave(&liommu_iopf_lock, flags);
	s = q->stats;
	if (q->last_dev[0]) {
		strscpy(dev, q->last_dev, sizeof(dev));
		addr = q->last_addr;
		perm = q->last_perm;
	}
	spin_unlock_irqrestore(&liommu_iopf_lock, flags);
	seq_printf(m, "%s reported=%llu dropped=%llu delivered=%llu unhandled=%llu responses=%llu pending=%llu last=%s:%s%s:%#llx\n",
		   iommu->name, s.reported, s.dropped, s.delivered, s.unhandled,
		   s.responses, s.pending, dev,
		   perm & LIOMMU_FAULT_PERM_READ ? "r" : "",
		   perm & LIOMMU_FAULT_PERM_WRITE ? "w" : "", addr);
}

/* liommu_device_register(): the unit's queue, before any device probes. */
int liommu_iopf_queue_init(struct liommu_device *iommu)
{
	struct liommu_iopf_queue *q;

	q = kzalloc(sizeof(*q), GFP_KERNEL);
	if (!q)
		return -ENOMEM;
	q->wq = alloc_ordered_workqueue("liommu-iopf-%s", 0,
					iommu->name ?: "unit");
	if (!q->wq) {
		kfree(q);
		return -ENOMEM;
	}
	q->iommu = iommu;
	INIT_WORK(&q->work, iopf_work);
	INIT_LIST_HEAD(&q->pending);
	iommu->iopf = q;
	return 0;
}

/*
 * A device's state goes away (hash entry already removed): wait for any
 * handler that found it before.  Table lock held, no group mutex.
 */
void liommu_iopf_release_dev(struct liommu_device *iommu)
{
	if (iommu->iopf)
		flush_workqueue(iommu->iopf->wq);
}

/*
 * liommu_device_unregister(), before its devices are released: refuse
 * new reports, handle what is queued, free the queue.
 */
void liommu_iopf_queue_exit(struct liommu_device *iommu)
{
	struct liommu_iopf_queue *q = iommu->iopf;
	unsigned long flags;

	if (!q)
		return;
	spin_lock_irqsave(&liommu_iopf_lock, flags);
	q->dead = true;
	spin_unlock_irqrestore(&liommu_iopf_lock, flags);
	flush_workqueue(q->wq);
	spin_lock_irqsave(&liommu_iopf_lock, flags);
	iommu->iopf = NULL;
	spin_unlock_irqrestore(&liommu_iopf_lock, flags);
	destroy_workqueue(q->wq);
	kfree(q);
}
