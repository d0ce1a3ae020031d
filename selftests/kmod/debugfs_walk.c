// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs_*: what /sys/kernel/debug/liommu/walk (core/debugfs.c) shows is
 * the table the driver programmed.  A paging domain of the unit, attached
 * to edu 0, maps one page; the walk of that IOVA (liommu_debugfs_walk(),
 * the file's own text: debugfs files cannot be read with kernel_read())
 * starts at the domain's root table and shows one line per level, each
 * the same table, index and entry as liommu_pt_walk_steps() reads, ending
 * on a 4K leaf of the page's address with read and write rights.  An IOVA
 * nobody mapped, and the page after its unmap, end on an entry not
 * present.  The file's request parsing is read back from the guest
 * (selftests/guest/50-debugfs.sh).
 */
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <liommu/liommu.h>
#include <liommu/pgtable.h>

#include "selftest.h"

#define DW_IOVA		0x40000000UL	/* 1 GiB: inside every aperture */
#define DW_UNMAPPED	(DW_IOVA + SZ_2M)
#define DW_BUF		2048

/* Line @i (from 0) of @buf, copied into @line, or false. */
static bool dw_line(const char *buf, unsigned int i, char *line, size_t len)
{
	const char *end;

	while (i--) {
		buf = strchr(buf, '\n');
		if (!buf)
			return false;
		buf++;
	}
	end = strchrnul(buf, '\n');
	if (end == buf || end - buf >= len)
		return false;
	memcpy(line, buf, end - buf);
	line[end - buf] = '\0';
	return true;
}

/* The line walk prints for @s (core/debugfs.c's format). */
static void dw_expect_line(const struct liommu_pt_step *s, char *want,
			   size_t len)
{
	int n;

	n = snprintf(want, len, "level=%u table=%#llx index=%u entry=%#018llx",
		     s->level, (u64)s->table, s->index, s->entry);
	if (!s->present)
		snprintf(want + n, len - n, " not-present");
	else if (!s->leaf)
		snprintf(want + n, len - n, " next=%#llx", (u64)s->oa);
	else
		snprintf(want + n, len - n, " leaf size=%#zx prot=%s%s pa=%#llx",
			 s->size, s->prot & LIOMMU_READ ? "r" : "-",
			 s->prot & LIOMMU_WRITE ? "w" : "-", (u64)s->oa);
}

/* The file's lines for @iova of @d against the table's own walk; @pa: the
 * page mapped there, 0 for none. */
static void dw_check(struct lt_ctx *t, struct liommu_domain *d,
		     unsigned long iova, char *buf, phys_addr_t pa)
{
	struct liommu_pt_step steps[LIOMMU_PT_MAX_STEPS];
	char line[160], want[160];
	unsigned int i, n;
	int err;

	err = liommu_debugfs_walk(d, iova, buf, DW_BUF);
	if (!lt_expect_true(t, err > 0, "the walk's text"))
		return;
	snprintf(want, sizeof(want), "format=%s levels=%u root=%#llx",
		 d->pt->fmt->name, d->pt->levels,
		 (u64)virt_to_phys(d->pt->root));
	if (!dw_line(buf, 0, line, sizeof(line)) || strcmp(line, want)) {
		lt_fail(t, "first line: want '%s' (the domain's root), file says:\n%s",
			want, buf);
		return;
	}
	n = liommu_pt_walk_steps(d->pt, iova, steps, ARRAY_SIZE(steps));
	if (!lt_expect_true(t, n > 0, "the table walks the IOVA"))
		return;
	lt_expect_eq(t, steps[0].table, virt_to_phys(d->pt->root),
		     "the walk starts at the root");
	for (i = 0; i < n; i++) {
		dw_expect_line(&steps[i], want, sizeof(want));
		if (!dw_line(buf, 1 + i, line, sizeof(line)) ||
		    strcmp(line, want)) {
			lt_fail(t, "level line %u: want '%s', file says:\n%s",
				i, want, buf);
			return;
		}
	}
	if (pa) {
		lt_expect_true(t, steps[n - 1].leaf && steps[n - 1].level == 0,
			       "a 4K leaf ends the walk");
		lt_expect_eq(t, steps[n - 1].oa, pa, "the leaf maps the page");
		lt_expect_eq(t, n, d->pt->levels, "one step per level");
	} else {
		lt_expect_true(t, !steps[n - 1].present,
			       "an entry not present ends the walk");
		if (!dw_line(buf, 1 + n, line, sizeof(line)) ||
		    strcmp(line, "not mapped"))
			lt_fail(t, "no 'not mapped' line:\n%s", buf);
	}
}

static void debugfs_walk(struct lt_ctx *t)
{
	struct liommu_domain *d = NULL;
	struct pci_dev *pdev = NULL;
	struct page *pg = NULL;
	char *buf = NULL;
	bool attached = false;
	u8 bus, devfn;
	int err;

	if (lt_parse_bdf(lt_expect.edu, 0, &bus, &devfn)) {
		lt_skip(t, "the profile names no edu");
		return;
	}
	pdev = pci_get_domain_bus_and_slot(0, bus, devfn);
	if (!pdev) {
		lt_fail(t, "no edu at %02x:%02x.%x", bus, PCI_SLOT(devfn),
			PCI_FUNC(devfn));
		return;
	}
	buf = kzalloc(DW_BUF, GFP_KERNEL);
	pg = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!buf || !pg) {
		lt_fail(t, "no memory");
		goto out;
	}
	d = liommu_paging_domain_alloc(&pdev->dev);
	if (IS_ERR(d)) {
		lt_fail(t, "paging domain: %ld", PTR_ERR(d));
		d = NULL;
		goto out;
	}
	if (!d->pt) {
		lt_skip(t, "the vendor's domain has no table of the core's walker");
		goto out;
	}
	err = liommu_attach_device(d, &pdev->dev);
	if (!lt_expect_eq(t, err, 0, "attach"))
		goto out;
	attached = true;
	err = liommu_map(d, DW_IOVA, page_to_phys(pg), SZ_4K,
			 LIOMMU_READ | LIOMMU_WRITE, GFP_KERNEL);
	if (!lt_expect_eq(t, err, 0, "map"))
		goto out;
	dw_check(t, d, DW_IOVA, buf, page_to_phys(pg));
	dw_check(t, d, DW_UNMAPPED, buf, 0);
	liommu_unmap(d, DW_IOVA, SZ_4K);
	dw_check(t, d, DW_IOVA, buf, 0);

out:
	if (attached)
		liommu_detach_device(d, &pdev->dev);
	if (d)
		liommu_domain_free(d);
	if (pg)
		__free_page(pg);
	kfree(buf);
	pci_dev_put(pdev);
}

static const struct lt_case debugfs_walk_cases[] = {
	LT_CASE(debugfs_walk),
};

const struct lt_suite lt_debugfs_walk_suite = LT_SUITE("debugfs_walk",
							debugfs_walk_cases);
