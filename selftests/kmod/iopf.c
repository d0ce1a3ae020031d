// SPDX-License-Identifier: GPL-2.0
/*
 * iopf_*: I/O page faults through the core (core/fault.c), on every
 * profile.
 *
 * The mock's DMA reports its faults like a unit; its page_response
 * records what the core answered.  Real faults come from the two edu
 * engines: DMA to an IOVA their domain does not map faults in the VT-d
 * unit (one fault record per faulting transfer, read by the driver's
 * polling worker) or in the SMMU (one event per 4-byte access, read by
 * the event-queue interrupt or poller); the core routes each to the
 * handler of the domain the request hit.  Handlers record what they saw;
 * cases wait for them (a fault is handled asynchronously, never in the
 * context that read it) with a deadline.
 */
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "core_common.h"
#include "edu.h"

#define REC_KEEP	16
#define WAIT_MS		3000
#define IOVA_MAPPED	0x200000UL
#define IOVA_HOLE	0x800000UL
#define LEN		64

/* What one handler saw. */
struct rec {
	spinlock_t lock;
	struct liommu_domain *domain;
	unsigned int n;
	struct liommu_fault f[REC_KEEP];	/* the first REC_KEEP */
	struct liommu_fault last;
	bool wrong_domain;
	bool wrong_context;
	struct task_struct *reporter;
	u64 lat_sum;
	u64 lat_max;
	u64 last_call_ns;
	int ret;				/* what the handler returns */
};

static void rec_init(struct rec *r, int ret)
{
	memset(r, 0, sizeof(*r));
	spin_lock_init(&r->lock);
	r->ret = ret;
	r->reporter = current;
}

/* Records live on the heap: several would not fit a kernel stack frame. */
static struct rec *rec_new(struct lt_ctx *t)
{
	struct rec *r = kmalloc(sizeof(*r), GFP_KERNEL);

	if (r)
		rec_init(r, 0);
	else
		lt_fail(t, "no memory");
	return r;
}

static int rec_handler(struct liommu_domain *domain,
		       const struct liommu_fault *f, void *data)
{
	struct rec *r = data;
	u64 now = ktime_get_ns();
	unsigned long flags;

	spin_lock_irqsave(&r->lock, flags);
	if (r->n < REC_KEEP)
		r->f[r->n] = *f;
	r->last = *f;
	r->n++;
	if (domain != r->domain)
		r->wrong_domain = true;
	/* Never the reporter's context: a worker, in task context. */
	if (current == r->reporter || !in_task())
		r->wrong_context = true;
	r->lat_sum += now - f->read_ns;
	r->lat_max = max(r->lat_max, now - f->read_ns);
	r->last_call_ns = now;
	spin_unlock_irqrestore(&r->lock, flags);
	return r->ret;
}

static unsigned int rec_count(struct rec *r)
{
	unsigned long flags;
	unsigned int n;

	spin_lock_irqsave(&r->lock, flags);
	n = r->n;
	spin_unlock_irqrestore(&r->lock, flags);
	return n;
}

/* Wait until @r saw at least @n faults; false after WAIT_MS. */
static bool rec_wait(struct rec *r, unsigned int n)
{
	unsigned long end = jiffies + msecs_to_jiffies(WAIT_MS);

	while (rec_count(r) < n) {
		if (time_after(jiffies, end))
			return false;
		usleep_range(500, 1000);
	}
	return true;
}

/* Give @d the handler recording into @r. */
static bool rec_install(struct lt_ctx *t, struct liommu_domain *d,
			struct rec *r)
{
	r->domain = d;
	return lt_expect_eq(t, liommu_domain_set_iopf_handler(d, rec_handler, r),
			    0, "install the handler");
}

static bool stats(struct lt_ctx *t, struct device *dev,
		  struct liommu_iopf_stats *s)
{
	return lt_expect_eq(t, liommu_iopf_get_stats(dev, s), 0,
			    "fault statistics");
}

/* A fault report as a vendor makes it. */
static int report(struct device *dev, u64 addr, u32 perm, u32 flags,
		  u32 pasid, u32 grpid)
{
	struct liommu_fault f = {
		.addr = addr,
		.perm = perm,
		.flags = flags,
		.pasid = pasid,
		.grpid = grpid,
		.reason = 0x42,
	};

	return liommu_report_device_fault(dev, &f);
}

/* Handler rules: not on attached, static or bad domains. */
static void iopf_set_handler_rules(struct lt_ctx *t)
{
	struct rec *r = rec_new(t);
	struct liommu_domain *d = lt_paging(t, 0);
	struct device *dev = lt_mock(t, 0);

	if (!r || !d || !dev)
		goto out;
	lt_expect_eq(t, liommu_domain_set_iopf_handler(NULL, rec_handler, r),
		     -EINVAL, "NULL domain");
	lt_expect_eq(t, liommu_domain_set_iopf_handler(ERR_PTR(-EIO),
						       rec_handler, r),
		     -EINVAL, "error-pointer domain");
	lt_expect_eq(t, liommu_domain_set_iopf_handler(liommu_blocked_domain(dev),
						       rec_handler, r),
		     -EINVAL, "a static domain");
	lt_expect_eq(t, liommu_domain_set_iopf_handler(d, rec_handler, r), 0,
		     "unattached domain");
	lt_expect_true(t, d->iopf_handler == rec_handler && d->fault_data == r,
		       "handler and data set");
	if (!lt_expect_eq(t, liommu_attach_device(d, dev), 0, "attach"))
		goto out;
	lt_expect_eq(t, liommu_domain_set_iopf_handler(d, NULL, NULL), -EBUSY,
		     "attached: busy");
	lt_expect_true(t, d->iopf_handler == rec_handler, "unchanged");
	liommu_detach_device(d, dev);
	lt_expect_eq(t, liommu_domain_set_iopf_handler(d, NULL, r), 0,
		     "removed once detached");
	lt_expect_true(t, !d->iopf_handler && !d->fault_data, "both cleared");
out:
	if (d)
		liommu_domain_free(d);
	kfree(r);
}

/* Reports the core refuses. */
static void iopf_report_refusals(struct lt_ctx *t)
{
	struct device *un = lt_untranslated(t);
	struct device *dev = lt_mock(t, 0);
	struct liommu_fault f = {};

	if (!dev || !un)
		goto out;
	lt_expect_eq(t, liommu_report_device_fault(NULL, &f), -EINVAL,
		     "NULL device");
	lt_expect_eq(t, liommu_report_device_fault(dev, NULL), -EINVAL,
		     "NULL fault");
	lt_expect_eq(t, liommu_report_device_fault(un, &f), -ENODEV,
		     "a device no unit translates");
	lt_expect_eq(t, liommu_page_response(dev, &f, LIOMMU_PAGE_RESP_SUCCESS),
		     -EINVAL, "response to a fault that is not recoverable");
	f.flags = LIOMMU_FAULT_RECOVERABLE;
	lt_expect_eq(t, liommu_page_response(dev, &f, 7), -EINVAL,
		     "unknown response code");
	lt_expect_eq(t, liommu_iopf_flush_dev(un), -ENODEV, "flush: untranslated");
	lt_expect_eq(t, liommu_iopf_get_stats(dev, NULL), -EINVAL, "NULL stats");
out:
	lt_put_untranslated(un);
}

/*
 * Two mock devices, two domains, two handlers: the mock's faulting DMA
 * reaches only its own domain's handler, with device, address and access.
 */
static void iopf_mock_two_domains(struct lt_ctx *t)
{
	struct rec *ra = rec_new(t);
	struct rec *rb = rec_new(t);
	struct liommu_domain *a = lt_paging(t, 0), *b = lt_paging(t, 1);
	struct device *da = lt_mock(t, 0), *db = lt_mock(t, 1);
	
	u8 buf[LEN];

	if (!ra || !rb || !a || !b || !da || !db || !rec_install(t, a, ra) ||
	    !rec_install(t, b, rb))
		goto out;
	if (!lt_expect_eq(t, liommu_attach_device(a, da), 0, "attach a") ||
	    !lt_expect_eq(t, liommu_attach_device(b, db), 0, "attach b"))
		goto out;
	memset(buf, 0x5a, sizeof(buf));
	lt_expect_eq(t, liommu_mock_dma(da, IOVA_HOLE + 0x10, buf, LEN, true),
		     -EFAULT, "device a writes to a hole");
	lt_expect_eq(t, liommu_mock_dma(db, IOVA_HOLE + 0x3000, buf, LEN, false),
		     -EFAULT, "device b reads a hole");
	lt_expect_true(t, rec_wait(ra, 1) && rec_wait(rb, 1),
		       "both handlers called");
	liommu_iopf_flush_dev(da);
	lt_expect_eq(t, ra->n, 1, "a: exactly one fault");
	lt_expect_eq(t, rb->n, 1, "b: exactly one fault");
	lt_expect_true(t, ra->f[0].dev == da && rb->f[0].dev == db,
		       "each its own device");
	lt_expect_eq(t, ra->f[0].addr, IOVA_HOLE + 0x10, "a: address");
	lt_expect_eq(t, rb->f[0].addr, IOVA_HOLE + 0x3000, "b: address");
	lt_expect_eq(t, ra->f[0].perm, LIOMMU_FAULT_PERM_WRITE, "a: a write");
	lt_expect_eq(t, rb->f[0].perm, LIOMMU_FAULT_PERM_READ, "b: a read");
	lt_expect_true(t, !(ra->f[0].flags & LIOMMU_FAULT_PASID_VALID) &&
			  !(rb->f[0].flags & LIOMMU_FAULT_PASID_VALID),
		       "no PASID");
	lt_expect_true(t, !ra->wrong_domain && !rb->wrong_domain,
		       "each handler got its own domain");
	lt_expect_true(t, !ra->wrong_context && !rb->wrong_context,
		       "handlers ran on the unit's worker, not the reporter");
	lt_expect_true(t, ra->f[0].seq && rb->f[0].seq > ra->f[0].seq,
		       "numbered in report order");
out:
	if (a && da && liommu_get_domain_for_dev(da) == a)
		liommu_detach_device(a, da);
	if (b && db && liommu_get_domain_for_dev(db) == b)
		liommu_detach_device(b, db);
	if (a)
		liommu_domain_free(a);
	if (b)
		liommu_domain_free(b);
	kfree(ra);
	kfree(rb);
}

/*
 * PASID routing on the mock: a PASID-tagged fault reaches the domain of
 * that PASID, PASID 0 (RID_PASID) and untagged ones the RID domain, a
 * PASID with nothing attached nobody (counted).
 */
static void iopf_mock_pasid_routing(struct lt_ctx *t)
{
	struct rec *rr = rec_new(t);
	struct rec *rp = rec_new(t);
	struct liommu_domain *rid = lt_paging(t, 0), *p = lt_paging(t, 0);
	struct device *dev = lt_mock(t, 0);
	struct liommu_iopf_stats s0, s1;

	if (!rr || !rp || !rid || !p || !dev || !rec_install(t, rid, rr) ||
	    !rec_install(t, p, rp))
		goto out;
	if (!lt_expect_eq(t, liommu_attach_device(rid, dev), 0, "attach") ||
	    !lt_expect_eq(t, liommu_attach_device_pasid(p, dev, 9), 0,
			  "attach PASID 9") ||
	    !stats(t, dev, &s0))
		goto out;
	lt_expect_eq(t, report(dev, 0x1000, LIOMMU_FAULT_PERM_WRITE,
			       LIOMMU_FAULT_PASID_VALID, 9, 0), 0, "PASID 9");
	lt_expect_eq(t, report(dev, 0x2000, LIOMMU_FAULT_PERM_READ, 0, 0, 0), 0,
		     "untagged");
	lt_expect_eq(t, report(dev, 0x3000, LIOMMU_FAULT_PERM_READ,
			       LIOMMU_FAULT_PASID_VALID, 0, 0), 0, "PASID 0");
	lt_expect_eq(t, report(dev, 0x4000, LIOMMU_FAULT_PERM_READ,
			       LIOMMU_FAULT_PASID_VALID, 10, 0), 0,
		     "PASID 10, nothing attached");
	liommu_iopf_flush_dev(dev);
	if (!stats(t, dev, &s1))
		goto out;
	lt_expect_eq(t, rp->n, 1, "PASID domain: one fault");
	lt_expect_eq(t, rp->f[0].addr, 0x1000, "its address");
	lt_expect_true(t, rp->f[0].flags & LIOMMU_FAULT_PASID_VALID &&
			  rp->f[0].pasid == 9, "its PASID");
	lt_expect_eq(t, rr->n, 2, "RID domain: untagged and PASID 0");
	lt_expect_true(t, rr->f[0].addr == 0x2000 && rr->f[1].addr == 0x3000,
		       "their addresses, in order");
	lt_expect_eq(t, s1.unhandled - s0.unhandled, 1, "PASID 10: unhandled");
	lt_expect_eq(t, s1.delivered - s0.delivered, 3, "three delivered");
out:
	if (p && dev && liommu_get_domain_for_dev_pasid(dev, 9) == p)
		liommu_detach_device_pasid(p, dev, 9);
	if (rid && dev && liommu_get_domain_for_dev(dev) == rid)
		liommu_detach_device(rid, dev);
	if (rid)
		liommu_domain_free(rid);
	if (p)
		liommu_domain_free(p);
	kfree(rr);
	kfree(rp);
}

/* A domain without a handler: the fault is counted, nobody is called. */
static void iopf_mock_no_handler_counted(struct lt_ctx *t)
{
	struct liommu_domain *d = lt_paging(t, 1);
	struct device *dev = lt_mock(t, 1);
	struct liommu_iopf_stats s0, s1;
	u8 buf[LEN] = {};

	if (!d || !dev || !stats(t, dev, &s0))
		goto out;
	if (!lt_expect_eq(t, liommu_attach_device(d, dev), 0, "attach"))
		goto out;
	lt_expect_eq(t, liommu_mock_dma(dev, IOVA_HOLE, buf, LEN, true),
		     -EFAULT, "DMA faults");
	lt_expect_eq(t, liommu_mock_dma(dev, IOVA_HOLE, buf, LEN, false),
		     -EFAULT, "again");
	liommu_iopf_flush_dev(dev);
	if (!stats(t, dev, &s1))
		goto out;
	lt_expect_eq(t, s1.reported - s0.reported, 2, "two reported");
	lt_expect_eq(t, s1.unhandled - s0.unhandled, 2, "two unhandled");
	lt_expect_eq(t, s1.delivered - s0.delivered, 0, "none delivered");
	lt_expect_eq(t, s1.pending, 0, "nothing pending after the flush");
out:
	if (d && dev && liommu_get_domain_for_dev(dev) == d)
		liommu_detach_device(d, dev);
	if (d)
		liommu_domain_free(d);
}

/*
 * Recoverable faults are answered through the vendor's page_response:
 * success when the handler returns 0, invalid when it fails or there is
 * no handler; the group index and PASID go back.
 */
static void iopf_mock_page_response(struct lt_ctx *t)
{
	struct rec *r = rec_new(t);
	struct liommu_domain *d = lt_paging(t, 0);
	struct device *dev = lt_mock(t, 0);
	struct liommu_mock_response resp = {};
	struct liommu_iopf_stats s0, s1;
	unsigned long n0;
	
	u32 fl = LIOMMU_FAULT_RECOVERABLE | LIOMMU_FAULT_LAST_PAGE;

	if (!r || !d || !dev || !rec_install(t, d, r) || !stats(t, dev, &s0))
		goto out;
	if (!lt_expect_eq(t, liommu_attach_device(d, dev), 0, "attach"))
		goto out;
	n0 = liommu_mock_responses(dev, NULL);
	lt_expect_eq(t, report(dev, 0x5000, LIOMMU_FAULT_PERM_READ, fl, 0, 0x1a5),
		     0, "report a page request");
	liommu_iopf_flush_dev(dev);
	lt_expect_eq(t, liommu_mock_responses(dev, &resp) - n0, 1, "one response");
	lt_expect_eq(t, resp.code, LIOMMU_PAGE_RESP_SUCCESS, "success");
	lt_expect_eq(t, resp.grpid, 0x1a5, "the group index");

	r->ret = -EFAULT;
	lt_expect_eq(t, report(dev, 0x6000, LIOMMU_FAULT_PERM_WRITE, fl, 0, 0x1a6),
		     0, "another");
	liommu_iopf_flush_dev(dev);
	lt_expect_eq(t, liommu_mock_responses(dev, &resp) - n0, 2, "answered");
	lt_expect_eq(t, resp.code, LIOMMU_PAGE_RESP_INVALID,
		     "invalid: the handler failed");
	lt_expect_eq(t, resp.grpid, 0x1a6, "its group index");

	lt_expect_eq(t, report(dev, 0x7000, LIOMMU_FAULT_PERM_WRITE, 0, 0, 0), 0,
		     "an unrecoverable fault");
	liommu_iopf_flush_dev(dev);
	lt_expect_eq(t, liommu_mock_responses(dev, NULL) - n0, 2,
		     "is not answered");
	liommu_detach_device(d, dev);
	liommu_domain_set_iopf_handler(d, NULL, NULL);
	lt_expect_eq(t, report(dev, 0x8000, LIOMMU_FAULT_PERM_READ,
			       fl | LIOMMU_FAULT_PASID_VALID |
			       LIOMMU_FAULT_RESP_PASID, 0, 0x1a7), 0,
		     "a page request nobody handles");
	liommu_iopf_flush_dev(dev);
	lt_expect_eq(t, liommu_mock_responses(dev, &resp) - n0, 3, "answered");
	lt_expect_eq(t, resp.code, LIOMMU_PAGE_RESP_INVALID, "invalid");
	lt_expect_eq(t, liommu_page_response(dev, &r->last,
					     LIOMMU_PAGE_RESP_SUCCESS), -EINVAL,
		     "by hand: the last fault seen was not recoverable");
	if (stats(t, dev, &s1))
		lt_expect_eq(t, s1.responses - s0.responses, 3,
			     "responses counted");
	lt_expect_eq(t, r->n, 3, "handler called for the three it owned");
out:
	if (d && dev && liommu_get_domain_for_dev(dev) == d)
		liommu_detach_device(d, dev);
	if (d)
		liommu_domain_free(d);
	kfree(r);
}

/*
 * Reports from atomic context (a spinlock held, interrupts off) and in a
 * burst: none lost, handled in report order, never in the reporter.
 */
static void iopf_mock_burst_in_order(struct lt_ctx *t)
{
	struct rec *r = rec_new(t);
	struct liommu_domain *d = lt_paging(t, 0);
	struct device *dev = lt_mock(t, 0);
	struct liommu_iopf_stats s0, s1;
	spinlock_t lock;
	unsigned int i, bad = 0, nr = 2000;
	unsigned long flags;

	spin_lock_init(&lock);
	if (!r || !d || !dev || !rec_install(t, d, r) || !stats(t, dev, &s0))
		goto out;
	if (!lt_expect_eq(t, liommu_attach_device(d, dev), 0, "attach"))
		goto out;
	for (i = 0; i < nr; i++) {
		spin_lock_irqsave(&lock, flags);
		if (report(dev, (u64)i << 12, LIOMMU_FAULT_PERM_READ, 0, 0, 0))
			bad++;
		spin_unlock_irqrestore(&lock, flags);
	}
	lt_expect_eq(t, bad, 0, "every report queued");
	liommu_iopf_flush_dev(dev);
	lt_expect_eq(t, r->n, nr, "every fault handled");
	for (i = 0; i < REC_KEEP; i++)
		if (r->f[i].addr != (u64)i << 12)
			bad++;
	lt_expect_eq(t, bad, 0, "in report order");
	lt_expect_eq(t, r->last.addr, (u64)(nr - 1) << 12, "the last one last");
	lt_expect_true(t, !r->wrong_context, "never in the reporter's context");
	if (stats(t, dev, &s1)) {
		lt_expect_eq(t, s1.dropped - s0.dropped, 0, "nothing dropped");
		lt_expect_eq(t, s1.delivered - s0.delivered, nr, "delivered");
	}
	lt_info(t, "%u faults: report to handler mean %llu us, max %llu us",
		nr, r->lat_sum / nr / 1000, r->lat_max / 1000);
out:
	if (d && dev && liommu_get_domain_for_dev(dev) == d)
		liommu_detach_device(d, dev);
	if (d)
		liommu_domain_free(d);
	kfree(r);
}

/* Real DMA: two edus, each with a paging domain of its own. */
struct ed {
	struct lt_edu edu[2];
	struct device *dev[2];
	struct liommu_domain *d[2];
	struct page *pg;
	struct rec r[2];
};

static bool ed_setup(struct lt_ctx *t, struct ed *x, bool handlers)
{
	unsigned int i;
	u8 bus, devfn;
	int err;

	if (!x) {
		lt_fail(t, "no memory");
		return false;
	}
	x->pg = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!x->pg) {
		lt_fail(t, "no memory");
		return false;
	}
	for (i = 0; i < 2; i++) {
		rec_init(&x->r[i], 0);
		err = lt_parse_bdf(lt_expect.edu, i, &bus, &devfn);
		if (!err)
			err = lt_edu_open(bus, devfn, &x->edu[i]);
		if (err) {
			lt_fail(t, "edu %u: %d", i, err);
			return false;
		}
		x->dev[i] = &x->edu[i].pdev->dev;
		x->d[i] = liommu_paging_domain_alloc(x->dev[i]);
		if (IS_ERR(x->d[i])) {
			lt_fail(t, "paging domain %u: %ld", i, PTR_ERR(x->d[i]));
			x->d[i] = NULL;
			return false;
		}
		if (handlers && !rec_install(t, x->d[i], &x->r[i]))
			return false;
		if (!lt_expect_eq(t, liommu_map(x->d[i], IOVA_MAPPED,
						page_to_phys(x->pg), PAGE_SIZE,
						LT_RW, GFP_KERNEL), 0, "map") ||
		    !lt_expect_eq(t, liommu_attach_device(x->d[i], x->dev[i]), 0,
				  "attach"))
			return false;
	}
	return true;
}

static void ed_teardown(struct ed *x)
{
	unsigned int i;

	if (!x)
		return;
	for (i = 0; i < 2; i++) {
		if (x->d[i]) {
			if (liommu_get_domain_for_dev(x->dev[i]) == x->d[i])
				liommu_detach_device(x->d[i], x->dev[i]);
			liommu_domain_free(x->d[i]);
		}
		lt_edu_close(&x->edu[i]);
	}
	if (x->pg)
		__free_page(x->pg);
	kfree(x);
}

/* Every fault @r saw is @dev's, at [@lo, @lo + @len), with @perm. */
static void check_faults(struct lt_ctx *t, struct rec *r, struct device *dev,
			 u64 lo, u64 len, u32 perm, const char *who)
{
	unsigned int i, n = min_t(unsigned int, r->n, REC_KEEP);
	bool ok_dev = true, ok_addr = true, ok_perm = true, ok_pasid = true;

	for (i = 0; i < n; i++) {
		const struct liommu_fault *f = &r->f[i];

		ok_dev &= f->dev == dev;
		/* VT-d reports the page, the SMMU the byte. */
		ok_addr &= f->addr >= (lo & PAGE_MASK) && f->addr < lo + len;
		ok_perm &= (f->perm & (LIOMMU_FAULT_PERM_READ |
				       LIOMMU_FAULT_PERM_WRITE)) == perm;
		ok_pasid &= !(f->flags & LIOMMU_FAULT_PASID_VALID) || !f->pasid;
	}
	if (!ok_dev)
		lt_fail(t, "%s: a fault of another device", who);
	if (!ok_addr)
		lt_fail(t, "%s: address %#llx outside [%#llx, %#llx)", who,
			r->last.addr, lo, lo + len);
	if (!ok_perm)
		lt_fail(t, "%s: access %#x, expected %#x", who, r->last.perm,
			perm);
	if (!ok_pasid)
		lt_fail(t, "%s: untagged DMA reported PASID %#x", who,
			r->last.pasid);
	lt_expect_true(t, !r->wrong_domain, "handler got its own domain");
	lt_expect_true(t, !r->wrong_context, "handler on the unit's worker");
}

/*
 * Two edus, two domains, two handlers: edu 0 writes to a hole of its
 * domain, edu 1 reads from another hole of its own; each fault reaches
 * only its domain's handler, with the device, address and access.
 */
static void iopf_dma_two_domains(struct lt_ctx *t)
{
	struct ed *x = kzalloc(sizeof(*x), GFP_KERNEL);
	u64 a = IOVA_HOLE + 0x40, b = IOVA_HOLE + 0x5080;
	u64 done;

	if (!ed_setup(t, x, true))
		goto out;
	lt_edu_dma_to_ram(&x->edu[0], a, 0, LEN);
	lt_edu_dma_from_ram(&x->edu[1], b, 0, LEN);
	done = ktime_get_ns();
	if (!lt_expect_true(t, rec_wait(&x->r[0], 1), "edu 0's handler called") ||
	    !lt_expect_true(t, rec_wait(&x->r[1], 1), "edu 1's handler called"))
		goto out;
	liommu_iopf_flush_dev(x->dev[0]);
	check_faults(t, &x->r[0], x->dev[0], a, LEN, LIOMMU_FAULT_PERM_WRITE,
		     "edu 0");
	check_faults(t, &x->r[1], x->dev[1], b, LEN, LIOMMU_FAULT_PERM_READ,
		     "edu 1");
	lt_info(t, "edu 0: %u fault reports, edu 1: %u (one per faulting transfer on VT-d, one per 4 bytes on the SMMU)",
		x->r[0].n, x->r[1].n);
	lt_info(t, "edu 1: unit read to handler max %llu us; transfer end to last handler call %lld us",
		x->r[1].lat_max / 1000,
		((long long)x->r[1].last_call_ns - (long long)done) / 1000);
out:
	ed_teardown(x);
}

/* A domain without a handler: its DMA faults are counted, not lost. */
static void iopf_dma_no_handler_counted(struct lt_ctx *t)
{
	struct liommu_iopf_stats s0, s1;
	unsigned long end;
	struct ed *x = kzalloc(sizeof(*x), GFP_KERNEL);

	if (!ed_setup(t, x, false) || !stats(t, x->dev[0], &s0))
		goto out;
	lt_edu_dma_to_ram(&x->edu[0], IOVA_HOLE, 0, LEN);
	end = jiffies + msecs_to_jiffies(WAIT_MS);
	do {
		usleep_range(1000, 2000);
		liommu_iopf_flush_dev(x->dev[0]);
		if (!stats(t, x->dev[0], &s1))
			goto out;
	} while (s1.unhandled == s0.unhandled && time_before(jiffies, end));
	lt_expect_true(t, s1.unhandled > s0.unhandled, "counted as unhandled");
	lt_expect_eq(t, s1.delivered - s0.delivered, 0, "delivered to nobody");
	lt_expect_eq(t, s1.dropped - s0.dropped, 0, "nothing dropped");
	lt_expect_eq(t, x->r[0].n + x->r[1].n, 0, "no handler was called");
out:
	ed_teardown(x);
}

/*
 * A flood: 12 faulting 4 KiB transfers (each a fault record on VT-d,
 * 1024 events on the SMMU), then a fault elsewhere: every transfer's
 * fault arrives, the last one too, nothing is dropped, and the device
 * still works through its mapping afterwards.
 */
static void iopf_dma_flood(struct lt_ctx *t)
{
	struct liommu_iopf_stats s0, s1;
	unsigned int i, nr = 12, seen = 0;
	bool got_last = false;
	u64 last = IOVA_HOLE + 0x100000 + 0x80;
	unsigned long pages = 0;
	u8 *mem;
	struct ed *x = kzalloc(sizeof(*x), GFP_KERNEL);

	if (!ed_setup(t, x, true) || !stats(t, x->dev[0], &s0))
		goto out;
	for (i = 0; i < nr; i++) {
		u64 iova = IOVA_HOLE + (u64)i * PAGE_SIZE;

		if (i & 1)
			lt_edu_dma_from_ram(&x->edu[0], iova, 0, LT_EDU_BUF_SIZE);
		else
			lt_edu_dma_to_ram(&x->edu[0], iova, 0, LT_EDU_BUF_SIZE);
	}
	lt_edu_dma_to_ram(&x->edu[0], last, 0, 4);
	/* Wait for the fault at @last: it was reported after all others. */
	for (i = 0; i < WAIT_MS && !got_last; i++) {
		unsigned long flags;

		spin_lock_irqsave(&x->r[0].lock, flags);
		got_last = (x->r[0].last.addr & PAGE_MASK) == (last & PAGE_MASK);
		spin_unlock_irqrestore(&x->r[0].lock, flags);
		if (!got_last)
			msleep(1);
	}
	lt_expect_true(t, got_last, "the fault after the flood arrived");
	liommu_iopf_flush_dev(x->dev[0]);
	if (!stats(t, x->dev[0], &s1))
		goto out;
	lt_expect_eq(t, s1.dropped - s0.dropped, 0, "nothing dropped");
	/* The first REC_KEEP reports must show the first transfers in order. */
	for (i = 0; i < min_t(unsigned int, x->r[0].n, REC_KEEP); i++) {
		u64 pg = (x->r[0].f[i].addr - IOVA_HOLE) >> PAGE_SHIFT;

		if (x->r[0].f[i].addr >= IOVA_HOLE && pg < nr)
			pages |= BIT(pg);
	}
	seen = hweight_long(pages);
	lt_expect_true(t, x->r[0].n >= nr + 1, "at least one report per transfer");
	lt_expect_true(t, seen >= 1 && (pages & BIT(0)),
		       "the first transfer's fault first");
	lt_expect_eq(t, x->r[1].n, 0, "edu 1's handler saw none of it");
	lt_info(t, "flood: %u reports for %u faulting transfers; delivered %llu, dropped %llu; unit read to handler mean %llu us, max %llu us",
		x->r[0].n, nr + 1, s1.delivered - s0.delivered,
		s1.dropped - s0.dropped,
		x->r[0].n ? x->r[0].lat_sum / x->r[0].n / 1000 : 0,
		x->r[0].lat_max / 1000);
	/* Still alive: DMA through the mapping works. */
	mem = page_address(x->pg);
	memset(mem, 0, LEN);
	lt_edu_dma_from_ram(&x->edu[0], IOVA_MAPPED + LEN, 0, LEN);
	memset(mem + LEN, 0x6b, LEN);
	lt_edu_dma_from_ram(&x->edu[0], IOVA_MAPPED + LEN, 0, LEN);
	lt_edu_dma_to_ram(&x->edu[0], IOVA_MAPPED, 0, LEN);
	lt_expect_true(t, !memcmp(mem, mem + LEN, LEN),
		       "the device still works through its mapping");
out:
	ed_teardown(x);
}

/*
 * Fault-to-handler latency, five faults one by one: from the vendor's
 * read of the fault (VT-d: the polling worker; SMMU: the interrupt or
 * poller) to the handler, and from the end of the faulting transfer to
 * the handler.  Fails past a second: the reader is not running.
 */
static void iopf_dma_latency(struct lt_ctx *t)
{
	u64 dma_sum = 0, dma_max = 0;
	unsigned int i, nr = 5;
	struct ed *x = kzalloc(sizeof(*x), GFP_KERNEL);

	if (!ed_setup(t, x, true))
		goto out;
	for (i = 0; i < nr; i++) {
		unsigned int n0 = rec_count(&x->r[0]);
		u64 done, lat;

		lt_edu_dma_to_ram(&x->edu[0], IOVA_HOLE + i * PAGE_SIZE, 0, 4);
		done = ktime_get_ns();
		if (!lt_expect_true(t, rec_wait(&x->r[0], n0 + 1),
				    "handler called"))
			goto out;
		liommu_iopf_flush_dev(x->dev[0]);
		lat = x->r[0].last_call_ns > done ? x->r[0].last_call_ns - done : 0;
		dma_sum += lat;
		dma_max = max(dma_max, lat);
	}
	lt_info(t, "fault latency over %u faults: transfer end to handler mean %llu us, max %llu us; unit read to handler mean %llu us, max %llu us",
		nr, dma_sum / nr / 1000, dma_max / 1000,
		x->r[0].lat_sum / max(x->r[0].n, 1U) / 1000,
		x->r[0].lat_max / 1000);
	lt_expect_true(t, dma_max < NSEC_PER_SEC,
		       "every fault handled within a second of its transfer");
out:
	ed_teardown(x);
}

#ifdef CONFIG_X86
/*
 * PASID-tagged DMA (vtd-pasid-*): a fault of PASID 7 reaches the handler
 * of the domain attached at PASID 7, with that PASID; the RID domain's
 * handler sees nothing.
 */
static void iopf_dma_pasid(struct lt_ctx *t)
{
	struct liommu_domain *p = NULL;
	struct rec *rp = rec_new(t);
	struct ed *x = kzalloc(sizeof(*x), GFP_KERNEL);
	u64 a = IOVA_HOLE + 0x2000;

	if (!rp || !lt_stated(t, lt_expect.edu_pasid_bits, "edu_pasid_bits") ||
	    !ed_setup(t, x, true))
		goto out;
	if (!liommu_dev_pasid_bits(x->dev[0])) {
		lt_skip(t, "no PASID-tagged DMA on this machine (stock QEMU, legacy mode or the SMMU)");
		goto out;
	}
	p = liommu_paging_domain_alloc(x->dev[0]);
	if (IS_ERR(p)) {
		lt_fail(t, "PASID domain: %ld", PTR_ERR(p));
		p = NULL;
		goto out;
	}
	if (!rec_install(t, p, rp) ||
	    !lt_expect_eq(t, liommu_attach_device_pasid(p, x->dev[0], 7), 0,
			  "attach PASID 7"))
		goto out;
	lt_edu_pasid_dma_to_ram(&x->edu[0], 7, a, 0, LEN);
	if (!lt_expect_true(t, rec_wait(rp, 1), "PASID domain's handler"))
		goto out;
	liommu_iopf_flush_dev(x->dev[0]);
	lt_expect_true(t, rp->f[0].flags & LIOMMU_FAULT_PASID_VALID,
		       "the fault carries a PASID");
	lt_expect_eq(t, rp->f[0].pasid, 7, "PASID 7");
	lt_expect_eq(t, rp->f[0].addr, a & PAGE_MASK, "address");
	lt_expect_eq(t, rp->f[0].perm, LIOMMU_FAULT_PERM_WRITE, "a write");
	lt_expect_true(t, rp->f[0].dev == x->dev[0], "edu 0");
	lt_expect_eq(t, x->r[0].n, 0, "the RID domain's handler saw nothing");
	lt_expect_true(t, !rp->wrong_domain && !rp->wrong_context,
		       "its domain, on the worker");
out:
	if (p) {
		if (x && liommu_get_domain_for_dev_pasid(x->dev[0], 7) == p)
			liommu_detach_device_pasid(p, x->dev[0], 7);
		liommu_domain_free(p);
	}
	ed_teardown(x);
	kfree(rp);
}
#endif

static const struct lt_case iopf_cases[] = {
	LT_CASE(iopf_set_handler_rules),
	LT_CASE(iopf_report_refusals),
	LT_CASE(iopf_mock_two_domains),
	LT_CASE(iopf_mock_pasid_routing),
	LT_CASE(iopf_mock_no_handler_counted),
	LT_CASE(iopf_mock_page_response),
	LT_CASE(iopf_mock_burst_in_order),
	LT_CASE(iopf_dma_two_domains),
	LT_CASE(iopf_dma_no_handler_counted),
	LT_CASE(iopf_dma_flood),
	LT_CASE(iopf_dma_latency),
#ifdef CONFIG_X86
	LT_CASE(iopf_dma_pasid),
#endif
};

const struct lt_suite lt_iopf_suite = LT_SUITE("iopf", iopf_cases);
