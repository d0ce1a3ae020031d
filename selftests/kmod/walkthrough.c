// SPDX-License-Identifier: GPL-2.0
/*
 * walkthrough_*: the main job in one case, told step by step for someone
 * who has never seen an IOMMU (make run prints these lines).  A paging
 * domain of the profile's unit is attached to edu 0; a page is mapped at
 * an IOVA; edu copies bytes through it both ways; the IOVA's walk through
 * the domain's table is shown level by level; the page is unmapped; edu
 * writes to the old IOVA again: the unit blocks it, reports the fault to
 * the domain's handler, and the page is untouched: no stale translation.
 * Every step is also checked, so the case fails if the story is false.
 */
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include <liommu/pgtable.h>

#include "core_common.h"
#include "edu.h"

#define WT_IOVA		0x40000000UL	/* 1 GiB: inside every aperture */
#define WT_LEN		32
#define WT_BUF		2048
#define WT_WAIT_MS	2000

struct wt_fault {
	spinlock_t lock;
	unsigned int n;
	struct liommu_fault first;
};

static int wt_handler(struct liommu_domain *domain,
		      const struct liommu_fault *f, void *data)
{
	struct wt_fault *w = data;
	unsigned long flags;

	spin_lock_irqsave(&w->lock, flags);
	if (!w->n++)
		w->first = *f;
	spin_unlock_irqrestore(&w->lock, flags);
	return 0;
}

static unsigned int wt_faults(struct wt_fault *w, struct liommu_fault *first)
{
	unsigned long flags;
	unsigned int n;

	spin_lock_irqsave(&w->lock, flags);
	n = w->n;
	if (n && first)
		*first = w->first;
	spin_unlock_irqrestore(&w->lock, flags);
	return n;
}

/* Print the walk file's text for @iova, one lt_info() line per line. */
static void wt_show_walk(struct lt_ctx *t, struct liommu_domain *d,
			 unsigned long iova, char *buf)
{
	char *line, *p = buf;

	if (!lt_expect_true(t, liommu_debugfs_walk(d, iova, buf, WT_BUF) > 0,
			    "the walk's text"))
		return;
	while ((line = strsep(&p, "\n")) && *line)
		lt_info(t, "    %s", line);
}

static void walkthrough_edu_dma(struct lt_ctx *t)
{
	static const char msg[WT_LEN] = "through liommu's page table!";
	struct liommu_domain *d = NULL;
	struct wt_fault w = { .n = 0 };
	struct liommu_fault f;
	struct lt_edu edu = {};
	struct page *pg = NULL;
	unsigned long end;
	phys_addr_t pa;
	char *buf = NULL;
	u8 bus, devfn, *mem;
	int err;

	spin_lock_init(&w.lock);
	if (!lt_stated_str(t, lt_expect.edu, "edu") ||
	    lt_parse_bdf(lt_expect.edu, 0, &bus, &devfn)) {
		lt_fail(t, "the profile names no edu");
		return;
	}
	err = lt_edu_open(bus, devfn, &edu);
	if (err) {
		lt_fail(t, "edu: %d", err);
		return;
	}
	buf = kzalloc(WT_BUF, GFP_KERNEL);
	pg = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!buf || !pg) {
		lt_fail(t, "no memory");
		goto out;
	}
	mem = page_address(pg);
	pa = page_to_phys(pg);

	d = liommu_paging_domain_alloc(&edu.pdev->dev);
	if (IS_ERR(d)) {
		lt_fail(t, "paging domain: %ld", PTR_ERR(d));
		d = NULL;
		goto out;
	}
	if (!lt_expect_eq(t, liommu_domain_set_iopf_handler(d, wt_handler, &w),
			  0, "fault handler") ||
	    !lt_expect_eq(t, liommu_attach_device(d, &edu.pdev->dev), 0,
			  "attach"))
		goto out;
	lt_info(t, "1. edu %s now translates through a new paging domain of unit %s (format %s, %u levels)",
		pci_name(edu.pdev), d->iommu->name, d->pt->fmt->name,
		d->pt->levels);

	if (!lt_expect_eq(t, liommu_map(d, WT_IOVA, pa, PAGE_SIZE, LT_RW,
					GFP_KERNEL), 0, "map"))
		goto out_detach;
	lt_info(t, "2. mapped IOVA %#lx -> physical %pa (4 KiB, read and write)",
		WT_IOVA, &pa);

	memcpy(mem, msg, WT_LEN);
	err = lt_edu_dma_from_ram(&edu, WT_IOVA, 0, WT_LEN);
	if (!err)
		err = lt_edu_dma_to_ram(&edu, WT_IOVA + 1024, 0, WT_LEN);
	if (!lt_expect_eq(t, err, 0, "DMA") ||
	    !lt_expect_true(t, !memcmp(mem + 1024, msg, WT_LEN),
			    "the bytes came back"))
		goto out_unmap;
	lt_info(t, "3. edu read \"%s\" from IOVA %#lx and wrote it back at IOVA %#lx: it arrived in the page",
		msg, WT_IOVA, WT_IOVA + 1024);

	lt_info(t, "4. the walk of IOVA %#lx, as the unit walks it (debugfs 'walk'):",
		WT_IOVA);
	wt_show_walk(t, d, WT_IOVA, buf);

	lt_expect_eq(t, liommu_unmap(d, WT_IOVA, PAGE_SIZE), PAGE_SIZE,
		     "unmap");
	lt_expect_eq(t, liommu_iova_to_phys(d, WT_IOVA), 0, "unmapped");
	lt_info(t, "5. unmapped IOVA %#lx; the unit's TLB entry for it was invalidated",
		WT_IOVA);

	memset(mem, 0, PAGE_SIZE);
	lt_edu_dma_to_ram(&edu, WT_IOVA, 0, WT_LEN);
	end = jiffies + msecs_to_jiffies(WT_WAIT_MS);
	while (!wt_faults(&w, NULL) && time_before(jiffies, end))
		msleep(5);
	if (lt_expect_true(t, wt_faults(&w, &f) > 0, "the fault reached the handler")) {
		lt_info(t, "6. edu wrote to IOVA %#lx again: blocked; the unit reported a %s fault at %#llx (reason %#x) to the domain's handler",
			WT_IOVA, f.perm & LIOMMU_FAULT_PERM_WRITE ? "write" :
			"read", f.addr, f.reason);
		lt_expect_eq(t, f.dev, &edu.pdev->dev, "the faulting device");
		lt_expect_eq(t, f.addr & PAGE_MASK, WT_IOVA, "the faulting page");
	}
	if (lt_expect_true(t, !memchr_inv(mem, 0, PAGE_SIZE),
			   "the page is untouched"))
		lt_info(t, "7. the page is untouched: no stale translation survived the unmap");
	goto out_detach;

out_unmap:
	liommu_unmap(d, WT_IOVA, PAGE_SIZE);
out_detach:
	liommu_detach_device(d, &edu.pdev->dev);
	/* Faults still queued for the domain are handled before it goes. */
	liommu_iopf_flush_dev(&edu.pdev->dev);
out:
	liommu_domain_free(d);
	if (pg)
		__free_page(pg);
	kfree(buf);
	lt_edu_close(&edu);
}

static const struct lt_case walkthrough_cases[] = {
	LT_CASE(walkthrough_edu_dma),
};

const struct lt_suite lt_walkthrough_suite =
	LT_SUITE("walkthrough", walkthrough_cases);
