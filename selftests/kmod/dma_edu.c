// SPDX-License-Identifier: GPL-2.0
/*
 * dma_*: the edu DMA engines work, untranslated, before the stack
 * translates anything.
 *
 * Every later DMA proof builds on these: if an edu device cannot move
 * bytes between RAM and its buffer here, a failure behind an IOMMU would
 * prove nothing.  They run while no IOMMU translates (VT-d TE off, SMMUv3
 * disabled and bypassing), so bus addresses are physical addresses.
 */
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/slab.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "edu.h"
#include "selftest.h"

/* Above edu's default 28-bit DMA mask: only reachable with a full mask. */
#define DMA_HIGH_ADDR		SZ_256M
/*
 * Where the page allocator hands out low memory first (6.1 does), reach
 * high memory by holding 2 MiB blocks until one lies high enough: at most
 * this many, i.e. 512 MiB of a 1 GiB guest, all freed again at once.
 */
#define DMA_BLOCK_ORDER		9
#define DMA_MAX_BLOCKS		256

struct dma_buf {
	struct page *page;
	unsigned int order;
};

static void dma_buf_free(struct dma_buf *b)
{
	if (b->page)
		__free_pages(b->page, b->order);
	b->page = NULL;
}

/* A zeroed page (at least) at or above physical address @min. */
static int dma_buf_alloc(struct dma_buf *b, phys_addr_t min)
{
	struct page **low;
	unsigned int nr_low = 0;

	b->order = 0;
	b->page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (b->page && page_to_phys(b->page) >= min)
		return 0;
	dma_buf_free(b);

	low = kcalloc(DMA_MAX_BLOCKS, sizeof(*low), GFP_KERNEL);
	if (!low)
		return -ENOMEM;
	b->order = DMA_BLOCK_ORDER;
	while (nr_low < DMA_MAX_BLOCKS) {
		b->page = alloc_pages(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN,
				      DMA_BLOCK_ORDER);
		if (!b->page || page_to_phys(b->page) >= min)
			break;
		low[nr_low++] = b->page;
		b->page = NULL;
	}
	while (nr_low)
		__free_pages(low[--nr_low], DMA_BLOCK_ORDER);
	kfree(low);
	return b->page ? 0 : -ENOMEM;
}

/* Open the n-th edu device the profile names, or fail the case. */
static bool open_edu(struct lt_ctx *t, unsigned int n, struct lt_edu *edu)
{
	u8 bus, devfn;
	int err;

	if (!lt_expect.edu) {
		lt_fail(t, "the profile does not state 'edu'");
		return false;
	}
	err = lt_parse_bdf(lt_expect.edu, n, &bus, &devfn);
	if (!err)
		err = lt_edu_open(bus, devfn, edu);
	if (err)
		lt_fail(t, "edu device %u of '%s' cannot be opened: %d", n,
			lt_expect.edu, err);
	return !err;
}

/* RAM -> edu buffer -> other RAM, whole buffer, for edu device @n. */
static void round_trip(struct lt_ctx *t, unsigned int n, phys_addr_t min)
{
	struct dma_buf src = {}, dst = {};
	struct lt_edu edu;
	u8 *s, *d;
	int i;

	if (dma_buf_alloc(&src, min) || dma_buf_alloc(&dst, min)) {
		lt_fail(t, "no page at or above %pa", &min);
		goto out_free;
	}
	if (!open_edu(t, n, &edu))
		goto out_free;
	s = page_address(src.page);
	d = page_address(dst.page);
	for (i = 0; i < LT_EDU_BUF_SIZE; i++)
		s[i] = i * 7 + n;
	memset(d, 0xa5, PAGE_SIZE);

	lt_expect_eq(t, lt_edu_dma_from_ram(&edu, page_to_phys(src.page), 0,
					    LT_EDU_BUF_SIZE), 0, "DMA RAM to edu");
	lt_expect_eq(t, lt_edu_dma_to_ram(&edu, page_to_phys(dst.page), 0,
					  LT_EDU_BUF_SIZE), 0, "DMA edu to RAM");
	if (memcmp(s, d, LT_EDU_BUF_SIZE))
		lt_fail(t, "%s: data did not arrive at %pa (first bytes %*ph)",
			pci_name(edu.pdev), &(phys_addr_t){ page_to_phys(dst.page) },
			8, d);
	lt_edu_close(&edu);
out_free:
	dma_buf_free(&src);
	dma_buf_free(&dst);
}

static void dma_edu0_round_trip(struct lt_ctx *t)
{
	round_trip(t, 0, 0);
}

static void dma_edu1_round_trip(struct lt_ctx *t)
{
	round_trip(t, 1, 0);
}

/* Both devices reach RAM above 256 MiB: their DMA mask is full. */
static void dma_edu_full_mask(struct lt_ctx *t)
{
	round_trip(t, 0, DMA_HIGH_ADDR);
	round_trip(t, 1, DMA_HIGH_ADDR);
}

/* A short transfer at an offset writes exactly its bytes and no others. */
static void dma_edu_exact_length(struct lt_ctx *t)
{
	struct dma_buf buf = {};
	struct lt_edu edu;
	phys_addr_t pa;
	u8 *p;
	int i, bad = -1;

	if (dma_buf_alloc(&buf, 0)) {
		lt_fail(t, "no memory");
		return;
	}
	p = page_address(buf.page);
	pa = page_to_phys(buf.page);
	if (!open_edu(t, 0, &edu))
		goto out_free;
	for (i = 0; i < 256; i++)
		p[i] = 0xc0 ^ i;
	lt_expect_eq(t, lt_edu_dma_from_ram(&edu, pa, 100, 256), 0,
		     "DMA 256 bytes into the buffer at 100");
	memset(p, 0x11, PAGE_SIZE);
	lt_expect_eq(t, lt_edu_dma_to_ram(&edu, pa + 1000, 100, 256), 0,
		     "DMA them back to page + 1000");
	for (i = 0; i < PAGE_SIZE; i++) {
		u8 want = i >= 1000 && i < 1256 ? 0xc0 ^ (i - 1000) : 0x11;

		if (p[i] != want) {
			bad = i;
			break;
		}
	}
	if (bad >= 0)
		lt_fail(t, "byte %d is %#x", bad, p[bad]);
	lt_edu_close(&edu);
out_free:
	dma_buf_free(&buf);
}

/* The edu helper refuses transfers outside the device's buffer. */
static void dma_edu_bad_ranges(struct lt_ctx *t)
{
	struct lt_edu edu, none = {};

	if (!open_edu(t, 0, &edu))
		return;
	lt_expect_eq(t, lt_edu_dma_to_ram(&edu, 0, 0, 0), -EINVAL, "length 0");
	lt_expect_eq(t, lt_edu_dma_to_ram(&edu, 0, LT_EDU_BUF_SIZE, 1), -EINVAL,
		     "offset past the buffer");
	lt_expect_eq(t, lt_edu_dma_from_ram(&edu, 0, 1, LT_EDU_BUF_SIZE),
		     -EINVAL, "length past the buffer");
	lt_expect_eq(t, lt_edu_dma_to_ram(&none, 0, 0, 4), -EINVAL,
		     "device not open");
	lt_edu_close(&edu);
}

static const struct lt_case dma_edu_cases[] = {
	LT_CASE(dma_edu0_round_trip),
	LT_CASE(dma_edu1_round_trip),
	LT_CASE(dma_edu_full_mask),
	LT_CASE(dma_edu_exact_length),
	LT_CASE(dma_edu_bad_ranges),
};

const struct lt_suite lt_dma_edu_suite = LT_SUITE("dma", dma_edu_cases);
