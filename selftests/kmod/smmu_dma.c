// SPDX-License-Identifier: GPL-2.0
/*
 * smmu_dma_*: liommu_smmuv3.ko as a vendor driver of the liommu core,
 * proven with real DMA from QEMU's edu devices through domains the core
 * API allocates, attaches and maps: data arrives through a mapping; an
 * unmapped, read-only or unmapped-again IOVA faults, writes nothing and
 * is reported with the edu's StreamID and the IOVA; a 2 MiB block works;
 * the STE and CD read back as programmed; detach returns to bypass; one
 * edu cannot reach the other's domain; stage 2 translates where the SMMU
 * has it and is refused where it has not.
 *
 * Faulting transfers are 64 bytes: QEMU reports one event per 4-byte
 * access, and the driver's event log keeps the last 64.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include <liommu/liommu.h>
#include <liommu/smmu.h>
#include "../../arm-smmu-v3/cd.h"
#include "../../arm-smmu-v3/cmdq.h"
#include "../../arm-smmu-v3/ste.h"
#include "edu.h"
#include "selftest.h"

#define SD_IOVA_A	0x100000UL	/* source of RAM -> edu */
#define SD_IOVA_B	0x200000UL	/* destination of edu -> RAM */
#define SD_IOVA_HOLE	0x300000UL	/* never mapped */
#define SD_IOVA_BLOCK	0x40000000UL	/* 2 MiB aligned */
#define SD_LEN		64
#define SD_OFF		128		/* where in a page the DMA lands */
#define SD_CANARY	0xee

struct sd_edu {
	struct lt_edu edu;
	struct device *dev;
	u32 sid;
	bool open;
};

static int sd_open(struct lt_ctx *t, unsigned int n, struct sd_edu *e)
{
	u8 bus, devfn;
	int err;

	memset(e, 0, sizeof(*e));
	err = lt_parse_bdf(lt_expect.edu, n, &bus, &devfn);
	if (!err)
		err = lt_edu_open(bus, devfn, &e->edu);
	if (err) {
		lt_fail(t, "edu %u of '%s' cannot be opened: %d", n,
			lt_expect.edu, err);
		return err;
	}
	e->open = true;
	e->dev = &e->edu.pdev->dev;
	err = liommu_smmu_rid_to_sid(pci_domain_nr(e->edu.pdev->bus),
				     pci_dev_id(e->edu.pdev), NULL, &e->sid);
	if (err)
		lt_fail(t, "edu %u: no StreamID: %d", n, err);
	return err;
}

static void sd_close(struct sd_edu *e)
{
	if (e->open)
		lt_edu_close(&e->edu);
	e->open = false;
}

static struct page *sd_page(u8 v)
{
	struct page *p = alloc_page(GFP_KERNEL);

	if (p)
		memset(page_address(p), v, PAGE_SIZE);
	return p;
}

static void sd_free_page(struct page *p)
{
	if (p)
		__free_page(p);
}

/* A paging domain for @e attached to it, or NULL (case failed). */
static struct liommu_domain *sd_attach(struct lt_ctx *t, struct sd_edu *e)
{
	struct liommu_domain *d = liommu_paging_domain_alloc(e->dev);

	if (IS_ERR(d)) {
		lt_fail(t, "no paging domain for the edu: %ld", PTR_ERR(d));
		return NULL;
	}
	if (!lt_expect_eq(t, liommu_attach_device(d, e->dev), 0, "attach")) {
		liommu_domain_free(d);
		return NULL;
	}
	return d;
}

static void sd_detach(struct liommu_domain *d, struct sd_edu *e)
{
	if (!d)
		return;
	if (liommu_get_domain_for_dev(e->dev) == d)
		liommu_detach_device(d, e->dev);
	liommu_domain_free(d);
}

/* Does @p hold @v at [@off, @off + @len)? */
static bool sd_page_is(struct page *p, unsigned int off, u8 v,
		       unsigned int len)
{
	return !memchr_inv((u8 *)page_address(p) + off, v, len);
}

static void sd_fill_pattern(struct page *p)
{
	u8 *b = page_address(p);
	unsigned int i;

	for (i = 0; i < PAGE_SIZE; i++)
		b[i] = i * 7 + 3;
}

/*
 * The events since the last drain: at least one, each @id of StreamID
 * @sid at an address in [@iova, @iova + @len).
 */
/* Cases run one at a time: one buffer, off the stack. */
static struct liommu_smmu_event ev[64];

static void sd_expect_events(struct lt_ctx *t, u8 id, u32 sid, u64 iova,
			     unsigned int len)
{
	int i, n, bad = 0;

	n = liommu_smmu_read_events(0, ev, ARRAY_SIZE(ev));
	lt_info(t, "%d events; first: %s-like id %#x StreamID %#x address %#llx",
		n, id == LIOMMU_SMMU_EVT_0_ID_F_PERMISSION ? "F_PERMISSION" :
		"F_TRANSLATION", n > 0 ? ev[0].id : 0, n > 0 ? ev[0].sid : 0,
		n > 0 ? ev[0].addr : 0);
	lt_expect_true(t, n > 0, "the fault was reported");
	for (i = 0; i < n; i++)
		if (ev[i].id != id || ev[i].sid != sid || ev[i].addr < iova ||
		    ev[i].addr >= iova + len)
			bad++;
	lt_expect_eq(t, bad, 0, "every event names the fault, the StreamID and the IOVA");
}

static void sd_drain(void)
{
	liommu_smmu_read_events(0, NULL, 0);
}

/* (a) RAM -> edu at one IOVA, edu -> RAM at another. */
static void smmu_dma_through_mapping(struct lt_ctx *t)
{
	struct page *src = sd_page(0), *dst = sd_page(SD_CANARY);
	struct liommu_domain *d = NULL;
	struct sd_edu e;

	if (sd_open(t, 0, &e) || !src || !dst)
		goto out;
	sd_fill_pattern(src);
	d = sd_attach(t, &e);
	if (!d)
		goto out;
	lt_expect_eq(t, liommu_map(d, SD_IOVA_A, page_to_phys(src), SZ_4K,
				   LIOMMU_READ, GFP_KERNEL), 0, "map source");
	lt_expect_eq(t, liommu_map(d, SD_IOVA_B, page_to_phys(dst), SZ_4K,
				   LIOMMU_READ | LIOMMU_WRITE, GFP_KERNEL), 0,
		     "map destination");
	sd_drain();
	lt_expect_eq(t, lt_edu_dma_from_ram(&e.edu, SD_IOVA_A + SD_OFF, 0,
					    SD_LEN), 0, "DMA RAM -> edu");
	lt_expect_eq(t, lt_edu_dma_to_ram(&e.edu, SD_IOVA_B + SD_OFF, 0,
					  SD_LEN), 0, "DMA edu -> RAM");
	if (memcmp((u8 *)page_address(dst) + SD_OFF,
		   (u8 *)page_address(src) + SD_OFF, SD_LEN))
		lt_fail(t, "data did not arrive: %*ph", 8,
			(u8 *)page_address(dst) + SD_OFF);
	lt_expect_true(t, sd_page_is(dst, 0, SD_CANARY, SD_OFF) &&
		       sd_page_is(dst, SD_OFF + SD_LEN, SD_CANARY,
				  PAGE_SIZE - SD_OFF - SD_LEN),
		       "nothing around it written");
	lt_expect_eq(t, liommu_smmu_read_events(0, NULL, 0), 0, "no event");
	liommu_unmap(d, SD_IOVA_A, SZ_4K);
	liommu_unmap(d, SD_IOVA_B, SZ_4K);
out:
	sd_detach(d, &e);
	sd_close(&e);
	sd_free_page(src);
	sd_free_page(dst);
}

/* (b) An unmapped IOVA faults, writes nothing, is reported. */
static void smmu_dma_unmapped_faults(struct lt_ctx *t)
{
	struct page *canary = sd_page(SD_CANARY);
	struct liommu_domain *d = NULL;
	struct sd_edu e;

	if (sd_open(t, 0, &e) || !canary)
		goto out;
	d = sd_attach(t, &e);
	if (!d)
		goto out;
	/* The canary is mapped beside the hole, never at it. */
	lt_expect_eq(t, liommu_map(d, SD_IOVA_HOLE + SZ_4K, page_to_phys(canary),
				   SZ_4K, LIOMMU_READ | LIOMMU_WRITE,
				   GFP_KERNEL), 0, "map canary beside");
	sd_drain();
	lt_edu_dma_to_ram(&e.edu, SD_IOVA_HOLE + SD_OFF, 0, SD_LEN);
	lt_expect_true(t, sd_page_is(canary, 0, SD_CANARY, PAGE_SIZE),
		       "canary intact");
	sd_expect_events(t, LIOMMU_SMMU_EVT_0_ID_F_TRANSLATION, e.sid,
			 SD_IOVA_HOLE + SD_OFF, SD_LEN);
	liommu_unmap(d, SD_IOVA_HOLE + SZ_4K, SZ_4K);
out:
	sd_detach(d, &e);
	sd_close(&e);
	sd_free_page(canary);
}

/* (c) Read-only: the device may read, not write. */
static void smmu_dma_readonly(struct lt_ctx *t)
{
	struct page *ro = sd_page(0), *out = sd_page(SD_CANARY);
	struct liommu_domain *d = NULL;
	struct sd_edu e;

	if (sd_open(t, 0, &e) || !ro || !out)
		goto out;
	sd_fill_pattern(ro);
	d = sd_attach(t, &e);
	if (!d)
		goto out;
	lt_expect_eq(t, liommu_map(d, SD_IOVA_A, page_to_phys(ro), SZ_4K,
				   LIOMMU_READ, GFP_KERNEL), 0, "map read-only");
	lt_expect_eq(t, liommu_map(d, SD_IOVA_B, page_to_phys(out), SZ_4K,
				   LIOMMU_READ | LIOMMU_WRITE, GFP_KERNEL), 0,
		     "map a writable page");
	/* The edu buffer gets 0xee first, from the writable page. */
	lt_edu_dma_from_ram(&e.edu, SD_IOVA_B, 0, SD_LEN);
	sd_drain();
	lt_edu_dma_to_ram(&e.edu, SD_IOVA_A + SD_OFF, 0, SD_LEN);
	if (memchr_inv((u8 *)page_address(ro) + SD_OFF, SD_CANARY, SD_LEN) !=
	    (u8 *)page_address(ro) + SD_OFF)
		lt_fail(t, "a write reached the read-only page");
	sd_expect_events(t, LIOMMU_SMMU_EVT_0_ID_F_PERMISSION, e.sid,
			 SD_IOVA_A + SD_OFF, SD_LEN);
	/* Reading it works: RO -> edu -> writable page. */
	lt_expect_eq(t, lt_edu_dma_from_ram(&e.edu, SD_IOVA_A + SD_OFF, 0,
					    SD_LEN), 0, "DMA read of RO page");
	lt_expect_eq(t, lt_edu_dma_to_ram(&e.edu, SD_IOVA_B + SD_OFF, 0,
					  SD_LEN), 0, "DMA back out");
	lt_expect_true(t, !memcmp((u8 *)page_address(out) + SD_OFF,
				  (u8 *)page_address(ro) + SD_OFF, SD_LEN),
		       "the read-only page was read");
	lt_expect_eq(t, liommu_smmu_read_events(0, NULL, 0), 0,
		     "no event for the read");
	liommu_unmap(d, SD_IOVA_A, SZ_4K);
	liommu_unmap(d, SD_IOVA_B, SZ_4K);
out:
	sd_detach(d, &e);
	sd_close(&e);
	sd_free_page(ro);
	sd_free_page(out);
}

/* (d) After liommu_unmap, no stale translation survives. */
static void smmu_dma_after_unmap_faults(struct lt_ctx *t)
{
	struct page *p = sd_page(0), *src = sd_page(0x5a);
	struct liommu_smmu_domain_info before, after;
	struct liommu_domain *d = NULL;
	struct sd_edu e;

	if (sd_open(t, 0, &e) || !p || !src)
		goto out;
	d = sd_attach(t, &e);
	if (!d)
		goto out;
	lt_expect_eq(t, liommu_map(d, SD_IOVA_A, page_to_phys(src), SZ_4K,
				   LIOMMU_READ, GFP_KERNEL), 0, "map source");
	lt_expect_eq(t, liommu_map(d, SD_IOVA_B, page_to_phys(p), SZ_4K,
				   LIOMMU_READ | LIOMMU_WRITE, GFP_KERNEL), 0,
		     "map target");
	/* The SMMU caches the translation of the target. */
	lt_edu_dma_from_ram(&e.edu, SD_IOVA_A, 0, SD_LEN);
	lt_edu_dma_to_ram(&e.edu, SD_IOVA_B + SD_OFF, 0, SD_LEN);
	lt_expect_true(t, sd_page_is(p, SD_OFF, 0x5a, SD_LEN),
		       "DMA before the unmap arrives");
	memset(page_address(p), SD_CANARY, PAGE_SIZE);
	liommu_smmu_domain_info(d, &before);
	lt_expect_eq(t, liommu_unmap(d, SD_IOVA_B, SZ_4K), SZ_4K, "unmap");
	liommu_smmu_domain_info(d, &after);
	lt_info(t, "unmap issued %llu TLBI command(s)",
		after.tlbi_cmds - before.tlbi_cmds);
	lt_expect_true(t, after.tlbi_cmds > before.tlbi_cmds,
		       "the unmap invalidated");
	sd_drain();
	lt_edu_dma_to_ram(&e.edu, SD_IOVA_B + SD_OFF, 0, SD_LEN);
	lt_expect_true(t, sd_page_is(p, 0, SD_CANARY, PAGE_SIZE),
		       "nothing written after the unmap (no stale TLB entry)");
	sd_expect_events(t, LIOMMU_SMMU_EVT_0_ID_F_TRANSLATION, e.sid,
			 SD_IOVA_B + SD_OFF, SD_LEN);
	liommu_unmap(d, SD_IOVA_A, SZ_4K);
out:
	sd_detach(d, &e);
	sd_close(&e);
	sd_free_page(p);
	sd_free_page(src);
}

/* (e) A 2 MiB mapping is one block leaf, and DMA through it works. */
static void smmu_dma_block(struct lt_ctx *t)
{
	struct page *blk = alloc_pages(GFP_KERNEL | __GFP_ZERO, get_order(SZ_2M));
	struct page *src = sd_page(0);
	struct liommu_domain *d = NULL;
	unsigned long off = 0x123000;
	struct sd_edu e;
	phys_addr_t pa;
	size_t pgsize;
	int prot;

	if (sd_open(t, 0, &e) || !blk || !src) {
		lt_fail(t, "set-up failed");
		goto out;
	}
	sd_fill_pattern(src);
	d = sd_attach(t, &e);
	if (!d)
		goto out;
	lt_expect_eq(t, liommu_map(d, SD_IOVA_BLOCK, page_to_phys(blk), SZ_2M,
				   LIOMMU_READ | LIOMMU_WRITE, GFP_KERNEL), 0,
		     "map 2 MiB");
	lt_expect_eq(t, liommu_map(d, SD_IOVA_A, page_to_phys(src), SZ_4K,
				   LIOMMU_READ, GFP_KERNEL), 0, "map source");
	lt_expect_eq(t, liommu_iova_to_phys(d, SD_IOVA_BLOCK + off + 5),
		     page_to_phys(blk) + off + 5, "iova_to_phys inside the block");
	if (lt_expect_eq(t, liommu_smmu_domain_leaf(d, SD_IOVA_BLOCK + off, &pa,
						    &pgsize, &prot), 0, "lookup"))
		lt_expect_eq(t, pgsize, SZ_2M, "the leaf is a 2 MiB block");
	lt_edu_dma_from_ram(&e.edu, SD_IOVA_A, 0, SD_LEN);
	lt_expect_eq(t, lt_edu_dma_to_ram(&e.edu, SD_IOVA_BLOCK + off, 0, SD_LEN),
		     0, "DMA into the block");
	lt_expect_true(t, !memcmp(page_address(blk + (off >> PAGE_SHIFT)),
				  page_address(src), SD_LEN),
		       "data arrived inside the block");
	lt_expect_eq(t, liommu_unmap(d, SD_IOVA_BLOCK, SZ_2M), SZ_2M,
		     "unmap the block");
	liommu_unmap(d, SD_IOVA_A, SZ_4K);
out:
	sd_detach(d, &e);
	sd_close(&e);
	if (blk)
		__free_pages(blk, get_order(SZ_2M));
	sd_free_page(src);
}

/* (f) The edu's STE and its domain's CD read back as programmed. */
static void smmu_dma_ste_cd_readback(struct lt_ctx *t)
{
	struct liommu_smmu_domain_info info;
	struct liommu_domain *d = NULL;
	struct sd_edu e;
	u64 ste[8], cd0;
	__le64 *live;
	unsigned int i;

	if (sd_open(t, 0, &e))
		goto out;
	d = sd_attach(t, &e);
	if (!d)
		goto out;
	if (!lt_expect_eq(t, liommu_smmu_domain_info(d, &info), 0, "domain info") ||
	    !lt_expect_eq(t, liommu_smmu_read_ste(0, e.sid, ste), 0, "read STE"))
		goto out;
	lt_info(t, "STE %#llx %#llx %#llx; CD %#llx %#llx %#llx %#llx",
		ste[0], ste[1], ste[2], info.cd[0], info.cd[1], info.cd[2],
		info.cd[3]);
	lt_expect_eq(t, info.stage, 1, "a paging domain is stage 1");
	lt_expect_true(t, ste[0] & LIOMMU_SMMU_STE_0_V, "STE.V");
	lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_STE_0_CONFIG, ste[0]),
		     LIOMMU_SMMU_STE_0_CONFIG_S1_TRANS, "STE.Config: S1 translate");
	lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_STE_0_S1FMT, ste[0]), 0,
		     "STE.S1Fmt: linear");
	lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_STE_0_S1CDMAX, ste[0]), 0,
		     "STE.S1CDMax: one CD");
	lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_STE_1_S1DSS, ste[1]), 0,
		     "STE.S1DSS: 0 without substreams");
	lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_STE_1_STRW, ste[1]), 0,
		     "STE.STRW: NS-EL1");
	lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_STE_1_S1CSH, ste[1]), 3,
		     "STE.S1CSH: inner shareable");
	/* The CD as the SMMU finds it: through S1ContextPtr. */
	live = phys_to_virt(FIELD_GET(LIOMMU_SMMU_STE_0_S1CONTEXTPTR, ste[0]) << 6);
	for (i = 0; i < 8; i++)
		lt_expect_eq(t, le64_to_cpu(READ_ONCE(live[i])), info.cd[i],
			     "the live CD is the domain's, word by word");
	cd0 = info.cd[0];
	lt_expect_true(t, cd0 & LIOMMU_SMMU_CD_0_V, "CD.V");
	lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_CD_0_T0SZ, cd0), 16, "CD.T0SZ: 48 bits");
	lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_CD_0_TG0, cd0), 0, "CD.TG0: 4 KiB");
	lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_CD_0_IRGN0, cd0), 1, "CD.IRGN0: WBWA");
	lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_CD_0_ORGN0, cd0), 1, "CD.ORGN0: WBWA");
	lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_CD_0_SH0, cd0), 3, "CD.SH0: inner");
	lt_expect_true(t, cd0 & LIOMMU_SMMU_CD_0_EPD1, "CD.EPD1: no TTB1 walks");
	lt_expect_true(t, !(cd0 & LIOMMU_SMMU_CD_0_EPD0), "CD.EPD0 clear");
	lt_expect_true(t, lt_expect.oas != LT_UNSET, "the profile states 'oas'");
	if (lt_expect.oas == 44)
		lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_CD_0_IPS, cd0), 4,
			     "CD.IPS: 44 bits");
	lt_expect_true(t, cd0 & LIOMMU_SMMU_CD_0_AA64, "CD.AA64");
	lt_expect_true(t, cd0 & LIOMMU_SMMU_CD_0_R, "CD.R: faults recorded");
	lt_expect_true(t, cd0 & LIOMMU_SMMU_CD_0_A, "CD.A: faults abort");
	lt_expect_true(t, !(cd0 & (LIOMMU_SMMU_CD_0_HA | LIOMMU_SMMU_CD_0_HD |
				   LIOMMU_SMMU_CD_0_S)), "CD: no HTTU, no stall");
	lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_CD_0_ASID, cd0), info.asid, "CD.ASID");
	lt_expect_true(t, info.asid != 0, "ASID is not 0");
	lt_expect_eq(t, info.cd[1] & LIOMMU_SMMU_CD_1_TTB0, info.root,
		     "CD.TTB0: the domain's root table");
	lt_expect_eq(t, info.cd[3] & 0xff, LIOMMU_SMMU_MAIR_ATTR_WB,
		     "MAIR slot 0: normal write-back");
out:
	sd_detach(d, &e);
	sd_close(&e);
}

/* (g) Detach: bypass again, physical-address DMA works. */
static void smmu_dma_detach_bypass(struct lt_ctx *t)
{
	struct page *src = sd_page(0), *dst = sd_page(SD_CANARY);
	struct liommu_domain *d = NULL;
	struct sd_edu e;
	u64 ste[8];

	if (sd_open(t, 0, &e) || !src || !dst)
		goto out;
	sd_fill_pattern(src);
	d = sd_attach(t, &e);
	if (!d)
		goto out;
	liommu_detach_device(d, e.dev);
	liommu_domain_free(d);
	d = NULL;
	lt_expect_eq(t, liommu_smmu_read_ste(0, e.sid, ste), 0, "read STE");
	lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_STE_0_CONFIG, ste[0]),
		     LIOMMU_SMMU_STE_0_CONFIG_BYPASS, "STE.Config: bypass");
	sd_drain();
	lt_edu_dma_from_ram(&e.edu, page_to_phys(src), 0, SD_LEN);
	lt_expect_eq(t, lt_edu_dma_to_ram(&e.edu, page_to_phys(dst) + SD_OFF, 0,
					  SD_LEN), 0, "DMA at physical addresses");
	lt_expect_true(t, !memcmp((u8 *)page_address(dst) + SD_OFF,
				  page_address(src), SD_LEN), "data arrived");
	lt_expect_eq(t, liommu_smmu_read_events(0, NULL, 0), 0, "no event");
out:
	sd_detach(d, &e);
	sd_close(&e);
	sd_free_page(src);
	sd_free_page(dst);
}

/* (h) edu 1 cannot reach edu 0's domain. */
static void smmu_dma_isolation(struct lt_ctx *t)
{
	struct page *pa = sd_page(SD_CANARY), *src = sd_page(0x66);
	struct liommu_domain *da = NULL, *db = NULL;
	struct sd_edu e0, e1;

	sd_open(t, 0, &e0);
	sd_open(t, 1, &e1);
	if (!e0.open || !e1.open || !pa || !src)
		goto out;
	da = sd_attach(t, &e0);
	db = sd_attach(t, &e1);
	if (!da || !db)
		goto out;
	lt_expect_eq(t, liommu_map(da, SD_IOVA_B, page_to_phys(pa), SZ_4K,
				   LIOMMU_READ | LIOMMU_WRITE, GFP_KERNEL), 0,
		     "map in A only");
	lt_expect_eq(t, liommu_map(db, SD_IOVA_A, page_to_phys(src), SZ_4K,
				   LIOMMU_READ, GFP_KERNEL), 0, "source in B");
	lt_edu_dma_from_ram(&e1.edu, SD_IOVA_A, 0, SD_LEN);
	sd_drain();
	lt_edu_dma_to_ram(&e1.edu, SD_IOVA_B + SD_OFF, 0, SD_LEN);
	lt_expect_true(t, sd_page_is(pa, 0, SD_CANARY, PAGE_SIZE),
		       "edu 1 wrote nothing into A's page");
	sd_expect_events(t, LIOMMU_SMMU_EVT_0_ID_F_TRANSLATION, e1.sid,
			 SD_IOVA_B + SD_OFF, SD_LEN);
	/* And edu 0 does reach it. */
	lt_edu_dma_to_ram(&e0.edu, SD_IOVA_B + SD_OFF, 0, SD_LEN);
	lt_expect_true(t, !sd_page_is(pa, SD_OFF, SD_CANARY, SD_LEN),
		       "edu 0 writes into A's page");
	liommu_unmap(da, SD_IOVA_B, SZ_4K);
	liommu_unmap(db, SD_IOVA_A, SZ_4K);
out:
	sd_detach(da, &e0);
	sd_detach(db, &e1);
	sd_close(&e0);
	sd_close(&e1);
	sd_free_page(pa);
	sd_free_page(src);
}

/* (i) Stage 2: translates where IDR0.S2P, refused where not. */
static void smmu_dma_stage2(struct lt_ctx *t)
{
	struct page *src = sd_page(0), *dst = sd_page(SD_CANARY);
	struct liommu_smmu_domain_info info;
	struct liommu_domain *d = NULL;
	struct sd_edu e;
	u64 ste[8];

	if (lt_expect.s2 == LT_UNSET) {
		lt_fail(t, "the profile does not state 's2'");
		goto out_pages;
	}
	if (sd_open(t, 0, &e) || !src || !dst)
		goto out;
	d = liommu_user_domain_alloc(e.dev, LIOMMU_HWPT_ALLOC_NEST_PARENT);
	if (!lt_expect.s2) {
		lt_expect_eq(t, PTR_ERR_OR_ZERO(d), -EOPNOTSUPP,
			     "no stage 2: nesting parent refused");
		if (!IS_ERR(d))
			liommu_domain_free(d);
		d = NULL;
		goto out;
	}
	if (IS_ERR(d)) {
		lt_fail(t, "no stage-2 domain: %ld", PTR_ERR(d));
		d = NULL;
		goto out;
	}
	sd_fill_pattern(src);
	if (!lt_expect_eq(t, liommu_attach_device(d, e.dev), 0, "attach"))
		goto out;
	if (!lt_expect_eq(t, liommu_smmu_domain_info(d, &info), 0, "info") ||
	    !lt_expect_eq(t, liommu_smmu_read_ste(0, e.sid, ste), 0, "read STE"))
		goto out;
	lt_info(t, "STE %#llx %#llx %#llx %#llx", ste[0], ste[1], ste[2], ste[3]);
	lt_expect_eq(t, info.stage, 2, "stage 2");
	lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_STE_0_CONFIG, ste[0]),
		     LIOMMU_SMMU_STE_0_CONFIG_S2_TRANS, "STE.Config: S2 translate");
	lt_expect_true(t, info.vmid != 0, "VMID is not 0");
	lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_STE_2_S2VMID, ste[2]), info.vmid,
		     "STE.S2VMID");
	lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_STE_2_S2T0SZ, ste[2]), 64 - 44,
		     "STE.S2T0SZ: 44-bit IPA (OAS)");
	lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_STE_2_S2SL0, ste[2]), 2,
		     "STE.S2SL0: start at level 0");
	lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_STE_2_S2TG, ste[2]), 0, "STE.S2TG: 4K");
	lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_STE_2_S2PS, ste[2]), 4, "STE.S2PS: 44");
	lt_expect_true(t, ste[2] & LIOMMU_SMMU_STE_2_S2AA64, "STE.S2AA64");
	lt_expect_true(t, ste[2] & LIOMMU_SMMU_STE_2_S2R, "STE.S2R");
	lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_STE_2_S2SH0, ste[2]), 3, "STE.S2SH0");
	lt_expect_eq(t, ste[3] & LIOMMU_SMMU_STE_3_S2TTB, info.root,
		     "STE.S2TTB: the domain's root");
	lt_expect_eq(t, liommu_map(d, SD_IOVA_A, page_to_phys(src), SZ_4K,
				   LIOMMU_READ, GFP_KERNEL), 0, "map source");
	lt_expect_eq(t, liommu_map(d, SD_IOVA_B, page_to_phys(dst), SZ_4K,
				   LIOMMU_READ | LIOMMU_WRITE, GFP_KERNEL), 0,
		     "map destination");
	sd_drain();
	lt_edu_dma_from_ram(&e.edu, SD_IOVA_A + SD_OFF, 0, SD_LEN);
	lt_edu_dma_to_ram(&e.edu, SD_IOVA_B + SD_OFF, 0, SD_LEN);
	lt_expect_true(t, !memcmp((u8 *)page_address(dst) + SD_OFF,
				  (u8 *)page_address(src) + SD_OFF, SD_LEN),
		       "data arrived through stage 2");
	lt_expect_eq(t, liommu_smmu_read_events(0, NULL, 0), 0, "no event");
	/* Unmapped again: stage-2 invalidation, then a fault. */
	memset(page_address(dst), SD_CANARY, PAGE_SIZE);
	lt_expect_eq(t, liommu_unmap(d, SD_IOVA_B, SZ_4K), SZ_4K, "unmap");
	sd_drain();
	lt_edu_dma_to_ram(&e.edu, SD_IOVA_B + SD_OFF, 0, SD_LEN);
	lt_expect_true(t, sd_page_is(dst, 0, SD_CANARY, PAGE_SIZE),
		       "nothing written after the stage-2 unmap");
	sd_expect_events(t, LIOMMU_SMMU_EVT_0_ID_F_TRANSLATION, e.sid,
			 SD_IOVA_B + SD_OFF, SD_LEN);
	liommu_unmap(d, SD_IOVA_A, SZ_4K);
out:
	sd_detach(d, &e);
	sd_close(&e);
out_pages:
	sd_free_page(src);
	sd_free_page(dst);
}

static const struct lt_case smmu_dma_cases[] = {
	LT_CASE(smmu_dma_through_mapping),
	LT_CASE(smmu_dma_unmapped_faults),
	LT_CASE(smmu_dma_readonly),
	LT_CASE(smmu_dma_after_unmap_faults),
	LT_CASE(smmu_dma_block),
	LT_CASE(smmu_dma_ste_cd_readback),
	LT_CASE(smmu_dma_detach_bypass),
	LT_CASE(smmu_dma_isolation),
	LT_CASE(smmu_dma_stage2),
};

const struct lt_suite lt_smmu_dma_suite = LT_SUITE("smmu_dma", smmu_dma_cases);
