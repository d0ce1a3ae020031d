// SPDX-License-Identifier: GPL-2.0
/*
 * smmu_*: liommu_smmuv3.ko has taken the SMMU over.
 *
 * At load the driver enables the command and event queues, a stream table
 * with a bypass STE for every PCI device behind the SMMU, then SMMUEN.
 * These cases read that back from the live registers and tables, run
 * commands through the queue (and one the SMMU refuses), and prove the
 * STEs on real DMA: an edu device whose STE is made invalid transfers
 * nothing and is reported by a C_BAD_STE event; with bypass restored its
 * DMA works again.  The dma suite that follows then runs through the
 * enabled SMMU's bypass STEs.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/string.h>

#include <liommu/smmu.h>
#include "../../arm-smmu-v3/cmdq.h"
#include "../../arm-smmu-v3/regs.h"
#include "../../arm-smmu-v3/ste.h"
#include "edu.h"
#include "selftest.h"

#define SMMU_CR0_ON	(LIOMMU_SMMU_CR0_SMMUEN | LIOMMU_SMMU_CR0_CMDQEN | \
			 LIOMMU_SMMU_CR0_EVENTQEN)
/* A StreamID in the devices' level-2 table that no device uses (00:04.0). */
#define SMMU_UNUSED_SID	0x20
/* A StreamID whose level-2 table nobody needs. */
#define SMMU_NO_L2_SID	0x1000
/* Bytes of the faulting DMA: QEMU reports one event per 4 bytes. */
#define SMMU_FAULT_LEN	256

static bool state0(struct lt_ctx *t, struct liommu_smmu_state *s)
{
	int err = liommu_smmu_read_state(0, s);

	if (err)
		lt_fail(t, "no state for SMMU 0 (error %d)", err);
	return !err;
}

/* The n-th device of a profile list, its PCI device and StreamID. */
static int list_sid(const char *list, unsigned int n, u32 *sid, u8 *bus,
		    u8 *devfn)
{
	struct pci_dev *pdev;
	int err = lt_parse_bdf(list, n, bus, devfn);

	if (err)
		return err;
	pdev = pci_get_domain_bus_and_slot(0, *bus, *devfn);
	if (!pdev)
		return -ENODEV;
	err = liommu_smmu_rid_to_sid(pci_domain_nr(pdev->bus), pci_dev_id(pdev),
				     NULL, sid);
	pci_dev_put(pdev);
	return err;
}

static void smmu_enabled(struct lt_ctx *t)
{
	struct liommu_smmu_state s;

	if (!state0(t, &s))
		return;
	lt_info(t, "CR0 %#x CR0ACK %#x CR1 %#x CR2 %#x GBPA %#x GERROR %#x",
		s.cr0, s.cr0ack, s.cr1, s.cr2, s.gbpa, s.gerror);
	lt_expect_true(t, s.enabled, "the driver says the SMMU is enabled");
	lt_expect_eq(t, s.cr0, SMMU_CR0_ON, "CR0: SMMUEN, CMDQEN, EVENTQEN");
	lt_expect_eq(t, s.cr0ack, SMMU_CR0_ON, "CR0ACK follows CR0");
	lt_expect_eq(t, (s.gerror ^ s.gerrorn) & ~LIOMMU_SMMU_GERROR_CMDQ_ERR, 0,
		     "no global error pending");
	lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_CR1_TABLE_SH, s.cr1),
		     LIOMMU_SMMU_CR1_SH_ISH, "CR1: tables inner shareable");
	lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_CR1_QUEUE_OC, s.cr1),
		     LIOMMU_SMMU_CR1_CACHE_WB, "CR1: queues write-back");
	lt_expect_true(t, s.cr2 & LIOMMU_SMMU_CR2_RECINVSID,
		       "CR2: invalid StreamIDs recorded");
	lt_expect_true(t, s.cmdq_base && s.evtq_base && s.strtab_base,
		       "queue and stream table bases programmed");
}

static void smmu_stream_table_format(struct lt_ctx *t)
{
	struct liommu_smmu_state s;
	u32 cfg;

	if (!state0(t, &s))
		return;
	cfg = s.strtab_base_cfg;
	lt_info(t, "STRTAB_BASE %#llx STRTAB_BASE_CFG %#x", s.strtab_base, cfg);
	if (lt_expect.st_2lvl == LT_UNSET || lt_expect.sid_bits == LT_UNSET) {
		lt_fail(t, "the profile does not state 'st_2lvl' and 'sid_bits'");
		return;
	}
	lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_STRTAB_BASE_CFG_FMT, cfg),
		     lt_expect.st_2lvl ? LIOMMU_SMMU_STRTAB_BASE_CFG_FMT_2LVL :
					 LIOMMU_SMMU_STRTAB_BASE_CFG_FMT_LINEAR,
		     "STRTAB_BASE_CFG.FMT");
	lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_STRTAB_BASE_CFG_LOG2SIZE, cfg),
		     lt_expect.sid_bits, "STRTAB_BASE_CFG.LOG2SIZE: every StreamID");
	if (lt_expect.st_2lvl)
		lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_STRTAB_BASE_CFG_SPLIT, cfg),
			     8, "STRTAB_BASE_CFG.SPLIT");
}

static void check_bypass(struct lt_ctx *t, const char *list, unsigned int want)
{
	unsigned int n;
	u8 bus, devfn;
	u32 sid;
	int err;

	if (!list) {
		lt_fail(t, "the profile does not state the devices");
		return;
	}
	for (n = 0; !(err = list_sid(list, n, &sid, &bus, &devfn)); n++) {
		u64 ste[8];

		err = liommu_smmu_read_ste(0, sid, ste);
		if (err) {
			lt_fail(t, "StreamID %#x: no STE (error %d)", sid, err);
			continue;
		}
		lt_info(t, "%02x:%02x.%u StreamID %#x: STE %#llx %#llx", bus,
			PCI_SLOT(devfn), PCI_FUNC(devfn), sid, ste[0], ste[1]);
		lt_expect_true(t, ste[0] & LIOMMU_SMMU_STE_0_V, "STE.V");
		lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_STE_0_CONFIG, ste[0]),
			     LIOMMU_SMMU_STE_0_CONFIG_BYPASS, "STE.Config");
	}
	if (err != -ENOENT)
		lt_fail(t, "device %u of '%s': %d", n, list, err);
	lt_expect_eq(t, n, want, "devices checked");
}

static void smmu_ste_edu_bypass(struct lt_ctx *t)
{
	check_bypass(t, lt_expect.edu, 2);
}

static void smmu_ste_rng_bypass(struct lt_ctx *t)
{
	check_bypass(t, lt_expect.rng, 1);
}

static void smmu_ste_unused_invalid(struct lt_ctx *t)
{
	u64 ste[8];

	lt_expect_eq(t, liommu_smmu_read_ste(0, SMMU_UNUSED_SID, ste), 0,
		     "an unused StreamID beside the devices has an STE");
	lt_expect_eq(t, ste[0] & LIOMMU_SMMU_STE_0_V, 0,
		     "... and it is invalid");
	lt_expect_eq(t, liommu_smmu_read_ste(0, SMMU_NO_L2_SID, ste), -ENOENT,
		     "a far StreamID has no level-2 table");
	lt_expect_eq(t, liommu_smmu_read_ste(0, 0, NULL), -EINVAL, "NULL ste");
	lt_expect_eq(t, liommu_smmu_set_ste(0, SMMU_NO_L2_SID,
					    LIOMMU_SMMU_STE_BYPASS),
		     -ENOENT, "set an STE with no table");
	lt_expect_eq(t, liommu_smmu_set_ste(0, SMMU_UNUSED_SID, 7), -EINVAL,
		     "unknown STE kind");
}

static void smmu_cmd_sync(struct lt_ctx *t)
{
	struct liommu_smmu_state s;

	lt_expect_eq(t, liommu_smmu_cmd_sync(0), 0, "CMD_SYNC completes");
	if (!state0(t, &s))
		return;
	lt_expect_eq(t, s.cmdq_cons & ~LIOMMU_SMMU_CMDQ_CONS_ERR, s.cmdq_prod,
		     "CMDQ_CONS caught up with CMDQ_PROD");
	lt_expect_eq(t, liommu_smmu_cmd_sync(liommu_smmu_nr_units()), -ENOENT,
		     "SMMU past the end");
}

/* A command the SMMU refuses is reported, skipped, and the queue runs on. */
static void smmu_cmdq_error_recovered(struct lt_ctx *t)
{
	struct liommu_smmu_state before, after;
	u64 bad[2] = { FIELD_PREP(LIOMMU_SMMU_CMD_0_OPCODE, 0xff), 0 };

	if (!state0(t, &before))
		return;
	lt_expect_eq(t, liommu_smmu_cmd_raw(0, bad), -EIO,
		     "an unknown opcode is refused");
	if (!state0(t, &after))
		return;
	lt_expect_eq(t, after.cmdq_errors, before.cmdq_errors + 1,
		     "one command error counted");
	lt_expect_eq(t, after.last_cerror, LIOMMU_SMMU_CMDQ_CONS_ERR_ILL,
		     "CMDQ_CONS.ERR was CERROR_ILL");
	lt_expect_eq(t, (after.gerror ^ after.gerrorn) &
			LIOMMU_SMMU_GERROR_CMDQ_ERR, 0,
		     "GERROR.CMDQ_ERR acknowledged");
	lt_expect_eq(t, liommu_smmu_cmd_sync(0), 0,
		     "the queue runs after the error");
}

/* The writer's steps, counted in CFGI_STE + SYNC pairs. */
static void step(struct lt_ctx *t, enum liommu_smmu_ste_kind kind,
		 unsigned int want_syncs, u64 want_cfg, bool want_v,
		 const char *what)
{
	struct liommu_smmu_state a, b;
	u64 ste[8];

	if (!state0(t, &a))
		return;
	lt_expect_eq(t, liommu_smmu_set_ste(0, SMMU_UNUSED_SID, kind), 0, what);
	if (!state0(t, &b))
		return;
	lt_expect_eq(t, b.cfgi_syncs - a.cfgi_syncs, want_syncs, what);
	if (liommu_smmu_read_ste(0, SMMU_UNUSED_SID, ste)) {
		lt_fail(t, "%s: STE not readable", what);
		return;
	}
	lt_expect_eq(t, !!(ste[0] & LIOMMU_SMMU_STE_0_V), want_v, what);
	if (want_v)
		lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_STE_0_CONFIG, ste[0]),
			     want_cfg, what);
}

static void smmu_ste_writer_steps(struct lt_ctx *t)
{
	/* Invalid to valid: words 1..7, sync, word 0, sync. */
	step(t, LIOMMU_SMMU_STE_BYPASS, 2, LIOMMU_SMMU_STE_0_CONFIG_BYPASS,
	     true, "invalid -> bypass");
	step(t, LIOMMU_SMMU_STE_BYPASS, 0, LIOMMU_SMMU_STE_0_CONFIG_BYPASS,
	     true, "bypass -> bypass: nothing to do");
	/*
	 * Abort reads no word but 0: Config switches alone (hitless),
	 * then bypass's attributes in word 1 go, unread by then.
	 */
	step(t, LIOMMU_SMMU_STE_ABORT, 2, LIOMMU_SMMU_STE_0_CONFIG_ABORT,
	     true, "bypass -> abort");
	/* Word 1 first (unread by abort), then word 0: hitless. */
	step(t, LIOMMU_SMMU_STE_BYPASS, 2, LIOMMU_SMMU_STE_0_CONFIG_BYPASS,
	     true, "abort -> bypass");
	step(t, LIOMMU_SMMU_STE_INVALID, 1, 0, false, "bypass -> invalid");
}

static struct page *fill_page(u8 v)
{
	struct page *p = alloc_page(GFP_KERNEL);

	if (p)
		memset(page_address(p), v, PAGE_SIZE);
	return p;
}

static bool page_is(struct page *p, u8 v, unsigned int len)
{
	return !memchr_inv(page_address(p), v, len);
}

/*
 * An edu device whose STE is invalid: its DMA transfers nothing and the
 * SMMU reports C_BAD_STE with its StreamID.  Bypass again: DMA works.
 */
static void smmu_fault_bad_ste(struct lt_ctx *t)
{
	struct liommu_smmu_event ev[8];
	struct page *src, *dst;
	struct lt_edu edu;
	unsigned int i, bad = 0;
	u8 bus, devfn;
	u32 sid;
	int n;

	if (list_sid(lt_expect.edu, 0, &sid, &bus, &devfn)) {
		lt_fail(t, "no StreamID for edu 0 of '%s'", lt_expect.edu);
		return;
	}
	src = fill_page(0x3c);
	dst = fill_page(0xee);
	if (!src || !dst) {
		lt_fail(t, "no memory");
		goto out_free;
	}
	if (lt_edu_open(bus, devfn, &edu)) {
		lt_fail(t, "edu 0 cannot be opened");
		goto out_free;
	}
	/* Bypass: the edu buffer gets 0x3c. */
	lt_expect_eq(t, lt_edu_dma_from_ram(&edu, page_to_phys(src), 0,
					    SMMU_FAULT_LEN), 0, "DMA in, bypass");
	liommu_smmu_read_events(0, NULL, 0);	/* forget older events */

	lt_expect_eq(t, liommu_smmu_set_ste(0, sid, LIOMMU_SMMU_STE_INVALID), 0,
		     "STE made invalid");
	lt_edu_dma_to_ram(&edu, page_to_phys(dst), 0, SMMU_FAULT_LEN);
	if (!page_is(dst, 0xee, PAGE_SIZE))
		lt_fail(t, "DMA through an invalid STE wrote memory: %*ph", 8,
			page_address(dst));
	n = liommu_smmu_read_events(0, ev, ARRAY_SIZE(ev));
	lt_info(t, "%d events; first: id %#x StreamID %#x", n,
		n > 0 ? ev[0].id : 0, n > 0 ? ev[0].sid : 0);
	lt_expect_true(t, n > 0, "the fault was reported");
	for (i = 0; i < max(n, 0); i++)
		if (ev[i].id != LIOMMU_SMMU_EVT_0_ID_C_BAD_STE ||
		    ev[i].sid != sid)
			bad++;
	lt_expect_eq(t, bad, 0, "every event is C_BAD_STE of edu 0's StreamID");

	lt_expect_eq(t, liommu_smmu_set_ste(0, sid, LIOMMU_SMMU_STE_BYPASS), 0,
		     "bypass restored");
	lt_expect_eq(t, lt_edu_dma_to_ram(&edu, page_to_phys(dst), 0,
					  SMMU_FAULT_LEN), 0, "DMA out, bypass");
	if (!page_is(dst, 0x3c, SMMU_FAULT_LEN))
		lt_fail(t, "DMA after restoring bypass did not arrive: %*ph", 8,
			page_address(dst));
	lt_expect_eq(t, liommu_smmu_read_events(0, ev, ARRAY_SIZE(ev)), 0,
		     "no event with bypass");
	lt_edu_close(&edu);
out_free:
	if (src)
		__free_page(src);
	if (dst)
		__free_page(dst);
}

static const struct lt_case smmu_enable_cases[] = {
	LT_CASE(smmu_enabled),
	LT_CASE(smmu_stream_table_format),
	LT_CASE(smmu_ste_edu_bypass),
	LT_CASE(smmu_ste_rng_bypass),
	LT_CASE(smmu_ste_unused_invalid),
	LT_CASE(smmu_cmd_sync),
	LT_CASE(smmu_cmdq_error_recovered),
	LT_CASE(smmu_ste_writer_steps),
	LT_CASE(smmu_fault_bad_ste),
};

const struct lt_suite lt_smmu_enable_suite =
	LT_SUITE("smmu", smmu_enable_cases);
