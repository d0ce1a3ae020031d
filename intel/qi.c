// SPDX-License-Identifier: GPL-2.0
/*
 * Queued invalidation: one page of descriptors the unit consumes.
 *
 * Legacy mode uses 128-bit descriptors; scalable mode sets IQA.DW for
 * 256-bit ones, which PASID-based descriptors need.  Every submission ends
 * with an invalidation-wait descriptor whose status write we poll, under
 * qi->lock, so that when a submission returns the queue is empty again
 * (IQH == IQT) and the unit has finished everything in it.  That also
 * means the queue can never overflow: a submission is a handful of
 * descriptors in a page of 128 or 256.
 *
 * The descriptors are never flushed from the CPU's caches, on a unit
 * without ECAP.C too: that bit covers the unit's walks of its tables (the
 * root, context, PASID and translation tables), not its reads of the
 * queue, which snoop (the kernel's qi_submit_sync() does not flush
 * either).  The tail write's barrier orders them before the unit hears
 * of them.
 */
#define pr_fmt(fmt) "liommu-vtd: " fmt

#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "qi.h"
#include "regs.h"
#include "vtd.h"

/* Generous for TCG; the QEMU unit completes within the IQT write. */
#define QI_TIMEOUT_US	(1000 * 1000)
#define QI_PAGE_SIZE	4096

struct qi_desc {
	u64 w[LIOMMU_VTD_QI_MAX_WORDS];
};

static u64 qi_type(unsigned int type)
{
	return FIELD_PREP(LIOMMU_VTD_QI_0_TYPE_LO, type & 0xf) |
	       FIELD_PREP(LIOMMU_VTD_QI_0_TYPE_HI, type >> 4);
}

/* Store a descriptor in @slot. */
static void qi_store_slot(struct liommu_vtd_qi *qi, unsigned int slot,
			  const struct qi_desc *src)
{
	__le64 *dst = qi->queue + slot * qi->desc_words;
	unsigned int j;

	for (j = 0; j < qi->desc_words; j++)
		dst[j] = cpu_to_le64(src->w[j]);
}

static void qi_write_tail(struct liommu_vtd_unit *unit)
{
	struct liommu_vtd_qi *qi = &unit->qi;

	writeq(FIELD_PREP(LIOMMU_VTD_IQT_QT,
			  qi->tail * qi->desc_words * 8 / 16),
	       unit->regs + LIOMMU_VTD_REG_IQT);
}

static unsigned int qi_head(struct liommu_vtd_unit *unit)
{
	u64 iqh = readq(unit->regs + LIOMMU_VTD_REG_IQH);

	return FIELD_GET(LIOMMU_VTD_IQH_QH, iqh) * 16 /
	       (unit->qi.desc_words * 8);
}

/*
 * The unit stopped at a descriptor it rejected (FSTS.IQE; IQH points at
 * it).  Say which one and why, put @wait in its place, clear IQE and
 * restart the queue, so that the rest of the submission runs and the
 * queue drains: the caller gets -EIO, the next submission a working queue.
 */
static void qi_recover_iqe(struct liommu_vtd_unit *unit,
			   const struct qi_desc *wait)
{
	struct liommu_vtd_qi *qi = &unit->qi;
	unsigned int slot = qi_head(unit);
	const __le64 *bad = qi->queue + slot * qi->desc_words;
	u64 iqercd = readq(unit->regs + LIOMMU_VTD_REG_IQERCD);

	pr_err("unit %u: invalidation queue error (FSTS.IQE): the unit rejected descriptor %#llx:%#llx (type %llu) at slot %u, error info %llu: a bad type, reserved bit or descriptor width\n",
	       unit->index, le64_to_cpu(bad[1]), le64_to_cpu(bad[0]),
	       FIELD_GET(LIOMMU_VTD_QI_0_TYPE_LO, le64_to_cpu(bad[0])) |
	       FIELD_GET(LIOMMU_VTD_QI_0_TYPE_HI, le64_to_cpu(bad[0])) << 4,
	       slot, FIELD_GET(LIOMMU_VTD_IQERCD_IQEI, iqercd));
	qi_store_slot(qi, slot, wait);
	dma_wmb();
	writel(LIOMMU_VTD_FSTS_IQE, unit->regs + LIOMMU_VTD_REG_FSTS);
	qi_write_tail(unit);
}

static void qi_report_error(struct liommu_vtd_unit *unit, u32 fsts)
{
	if (fsts & LIOMMU_VTD_FSTS_ITE)
		pr_err("unit %u: invalidation time-out error (FSTS.ITE): a device-TLB invalidation did not complete\n",
		       unit->index);
	if (fsts & LIOMMU_VTD_FSTS_ICE)
		pr_err("unit %u: invalidation completion error (FSTS.ICE): a device returned an invalid completion\n",
		       unit->index);
	writel(fsts & (LIOMMU_VTD_FSTS_ITE | LIOMMU_VTD_FSTS_ICE),
	       unit->regs + LIOMMU_VTD_REG_FSTS);
}

/* Queue @n descriptors plus a wait, and poll the wait's status write. */
static int qi_submit(struct liommu_vtd_unit *unit, const struct qi_desc *d,
		     unsigned int n)
{
	struct liommu_vtd_qi *qi = &unit->qi;
	struct qi_desc wait = {};
	unsigned long flags;
	unsigned int i;
	ktime_t deadline;
	u32 fsts;
	int err = 0;

	spin_lock_irqsave(&qi->lock, flags);
	qi->seq++;
	if (!qi->seq)
		qi->seq = 1;
	WRITE_ONCE(*qi->status, 0);
	wait.w[0] = qi_type(LIOMMU_VTD_QI_TYPE_WAIT) |
		    LIOMMU_VTD_QI_WAIT_0_SW |
		    FIELD_PREP(LIOMMU_VTD_QI_WAIT_0_SDATA, qi->seq);
	wait.w[1] = virt_to_phys(qi->status) & LIOMMU_VTD_QI_WAIT_1_SADDR;

	for (i = 0; i <= n; i++) {
		qi_store_slot(qi, qi->tail, i < n ? &d[i] : &wait);
		/* A power of two (128 or 256): no division on this path. */
		qi->tail = (qi->tail + 1) & (qi->nr_slots - 1);
	}
	qi->issued += n;
	/* The descriptors are in memory before the unit hears of them. */
	dma_wmb();
	qi_write_tail(unit);

	/* A unit done within the tail write (QEMU's always is): no clock read. */
	if (READ_ONCE(*qi->status) == qi->seq)
		goto out;
	deadline = ktime_add_us(ktime_get(), QI_TIMEOUT_US);
	for (;;) {
		/* After an error, wait for the rest to drain as well. */
		if (READ_ONCE(*qi->status) == qi->seq &&
		    (!err || qi_head(unit) == qi->tail))
			break;
		fsts = readl(unit->regs + LIOMMU_VTD_REG_FSTS);
		if (fsts & LIOMMU_VTD_FSTS_IQE) {
			qi_recover_iqe(unit, &wait);
			err = -EIO;
		}
		if (fsts & (LIOMMU_VTD_FSTS_ITE | LIOMMU_VTD_FSTS_ICE)) {
			qi_report_error(unit, fsts);
			err = -EIO;
		}
		if (ktime_after(ktime_get(), deadline)) {
			pr_err("unit %u: invalidation wait timed out (IQH %#llx, IQT %#llx, FSTS %#x)\n",
			       unit->index,
			       readq(unit->regs + LIOMMU_VTD_REG_IQH),
			       readq(unit->regs + LIOMMU_VTD_REG_IQT), fsts);
			err = -ETIMEDOUT;
			break;
		}
		udelay(1);
	}
out:
	spin_unlock_irqrestore(&qi->lock, flags);
	return err;
}

/**
 * liommu_vtd_qi_sync_unit() - submit an invalidation wait and wait for it
 * @unit: an enabled unit
 *
 * Return: 0; -EIO with the FSTS error decoded in the log; -ETIMEDOUT.
 */
int liommu_vtd_qi_sync_unit(struct liommu_vtd_unit *unit)
{
	return qi_submit(unit, NULL, 0);
}

/**
 * liommu_vtd_qi_flush_all() - invalidate every cache of the unit
 * @unit: a unit with its queue enabled
 *
 * Context-cache global, PASID-cache global (scalable mode), IOTLB global
 * with read and write draining, then a wait.
 *
 * Return: as liommu_vtd_qi_sync_unit().
 */
int liommu_vtd_qi_flush_all(struct liommu_vtd_unit *unit)
{
	struct qi_desc d[3] = {};
	unsigned int n = 0;

	d[n++].w[0] = qi_type(LIOMMU_VTD_QI_TYPE_CC) |
		      FIELD_PREP(LIOMMU_VTD_QI_CC_0_G,
				 LIOMMU_VTD_QI_CC_G_GLOBAL);
	if (unit->scalable_on)
		d[n++].w[0] = qi_type(LIOMMU_VTD_QI_TYPE_PC) |
			      FIELD_PREP(LIOMMU_VTD_QI_PC_0_G,
					 LIOMMU_VTD_QI_PC_G_GLOBAL);
	d[n++].w[0] = qi_type(LIOMMU_VTD_QI_TYPE_IOTLB) |
		      FIELD_PREP(LIOMMU_VTD_QI_IOTLB_0_G,
				 LIOMMU_VTD_QI_IOTLB_G_GLOBAL) |
		      LIOMMU_VTD_QI_IOTLB_0_DR | LIOMMU_VTD_QI_IOTLB_0_DW;
	return qi_submit(unit, d, n);
}

/**
 * liommu_vtd_qi_enable() - allocate the queue and turn QI on
 * @unit: a unit with QI off
 *
 * Return: 0; -ENOMEM; -ETIMEDOUT if GSTS.QIES never set.
 */
int liommu_vtd_qi_enable(struct liommu_vtd_unit *unit)
{
	struct liommu_vtd_qi *qi = &unit->qi;
	u64 iqa;
	int err;

	spin_lock_init(&qi->lock);
	if (liommu_fail_point("vtd:qi-queue"))
		return -ENOMEM;
	qi->queue = (__le64 *)get_zeroed_page(GFP_KERNEL);
	if (!qi->queue)
		return -ENOMEM;
	qi->status = liommu_fail_point("vtd:qi-status") ? NULL :
		     kzalloc(sizeof(*qi->status), GFP_KERNEL);
	if (!qi->status) {
		err = -ENOMEM;
		goto err_free_queue;
	}
	liommu_vtd_flush_cpu(unit, qi->queue, QI_PAGE_SIZE);
	qi->desc_words = unit->scalable_on ? 4 : 2;
	qi->nr_slots = QI_PAGE_SIZE / (qi->desc_words * 8);
	qi->tail = 0;
	qi->seq = 0;

	/* QS 0: 256 128-bit or 128 256-bit descriptors, one page. */
	iqa = (virt_to_phys(qi->queue) & LIOMMU_VTD_IQA_IQA) |
	      FIELD_PREP(LIOMMU_VTD_IQA_QS, 0);
	if (unit->scalable_on)
		iqa |= LIOMMU_VTD_IQA_DW;
	writeq(0, unit->regs + LIOMMU_VTD_REG_IQT);
	writeq(iqa, unit->regs + LIOMMU_VTD_REG_IQA);
	err = liommu_vtd_gcmd(unit, LIOMMU_VTD_GCMD_QIE, LIOMMU_VTD_GSTS_QIES,
			      true);
	if (err)
		goto err_free_status;
	return 0;

err_free_status:
	kfree(qi->status);
	qi->status = NULL;
err_free_queue:
	free_page((unsigned long)qi->queue);
	qi->queue = NULL;
	return err;
}

/**
 * liommu_vtd_qi_disable() - turn QI off and free the queue
 * @unit: a unit whose queue liommu_vtd_qi_enable() set up
 *
 * Every submission drained the queue and ended with a wait descriptor,
 * which is what the unit requires before QIE may be cleared.
 */
void liommu_vtd_qi_disable(struct liommu_vtd_unit *unit)
{
	struct liommu_vtd_qi *qi = &unit->qi;

	if (!qi->queue)
		return;
	if (liommu_vtd_gcmd(unit, LIOMMU_VTD_GCMD_QIE, LIOMMU_VTD_GSTS_QIES,
			    false)) {
		/* The unit may still read the queue: leave it its memory. */
		pr_err("unit %u: queued invalidation did not turn off; leaking its queue\n",
		       unit->index);
	} else {
		free_page((unsigned long)qi->queue);
		kfree(qi->status);
	}
	qi->status = NULL;
	qi->queue = NULL;
}

/**
 * liommu_vtd_qi_submit_words() - queue caller-built descriptors and wait
 * @unit: an enabled unit
 * @words: @n descriptors of LIOMMU_VTD_QI_MAX_WORDS CPU-order words each;
 *	words past the queue's descriptor width are ignored
 * @n: 1 to 8
 *
 * Return: as liommu_vtd_qi_sync_unit(); -EINVAL for a bad @n.
 */
int liommu_vtd_qi_submit_words(struct liommu_vtd_unit *unit, const u64 *words,
			       unsigned int n)
{
	/* The caller's rows are descriptors as they are: no copy. */
	BUILD_BUG_ON(sizeof(struct qi_desc) !=
		     LIOMMU_VTD_QI_MAX_WORDS * sizeof(u64));
	if (!words || !n || n > 8)
		return -EINVAL;
	return qi_submit(unit, (const struct qi_desc *)words, n);
}

static unsigned int qi_slot_type(const __le64 *slot)
{
	u64 w0 = le64_to_cpu(READ_ONCE(slot[0]));

	return FIELD_GET(LIOMMU_VTD_QI_0_TYPE_LO, w0) |
	       FIELD_GET(LIOMMU_VTD_QI_0_TYPE_HI, w0) << 4;
}

/**
 * liommu_vtd_qi_read_back() - the descriptors the unit consumed, from its queue
 * @unit: an enabled unit
 * @since: a count of descriptors issued before, as *@issued returned it
 * @out: filled with the descriptors issued after @since (waits left out),
 *	oldest first, four CPU-order words each, read from the queue memory
 *	the unit fetched them from; may be NULL with @max 0
 * @max: entries of @out
 * @issued: set to the count of descriptors (waits left out) ever issued
 *
 * Every submission drains the queue before it returns, so what sits in
 * the ring behind the tail is exactly what the unit executed.  The ring
 * holds the newest nr_slots descriptors, waits included: older ones are
 * gone, and fewer than asked come back.
 *
 * Return: the number of descriptors in @out.
 */
unsigned int liommu_vtd_qi_read_back(struct liommu_vtd_unit *unit, u64 since,
				     u64 (*out)[4],
				     unsigned int max, u64 *issued)
{
	struct liommu_vtd_qi *qi = &unit->qi;
	unsigned int want, got = 0, slot, seen, j;
	unsigned long flags;
	const __le64 *e;

	spin_lock_irqsave(&qi->lock, flags);
	*issued = qi->issued;
	want = since < qi->issued ? min_t(u64, qi->issued - since, max) : 0;
	slot = qi->tail;
	/* Backwards from the newest, skipping the waits, newest last in @out. */
	for (seen = 0; got < want && seen < qi->nr_slots; seen++) {
		slot = (slot + qi->nr_slots - 1) % qi->nr_slots;
		e = qi->queue + slot * qi->desc_words;
		if (qi_slot_type(e) == LIOMMU_VTD_QI_TYPE_WAIT)
			continue;
		got++;
		for (j = 0; j < LIOMMU_VTD_QI_MAX_WORDS; j++)
			out[want - got][j] = j < qi->desc_words ?
					     le64_to_cpu(READ_ONCE(e[j])) : 0;
	}
	spin_unlock_irqrestore(&qi->lock, flags);
	/* Fewer than @want survived: move them to the front. */
	if (got < want)
		memmove(out, out + (want - got), got * sizeof(*out));
	return got;
}
