// SPDX-License-Identifier: GPL-2.0
/*
 * Context-descriptor tables: one per device, and the CDs in them.
 *
 * A stage-1 STE names a table of CDs indexed by SubstreamID (PASID), of
 * 2^S1CDMax entries.  Each device gets its own table with the first
 * stage-1 use of it (its default of bypass needs none), sized for its
 * substream width: the smaller of the SMMU's (IDR1.SSIDSIZE) and the PCI
 * PASID capability's.  The shapes:
 *  - no substreams (S1CDMax 0; QEMU's SMMU has SSIDSIZE 0): S1ContextPtr
 *    names a single CD.  The table holds two slots, and the STE names one:
 *    a new stage-1 domain is written whole into the other slot, then the
 *    STE's word 0 switches to it (one store: the SMMU sees the old
 *    translation or the new, never none), then the old slot is cleared;
 *  - up to 2^6 CDs, or any number on an SMMU without 2-level CD tables
 *    (IDR0.CD2L clear; the width is then clipped to 2^10 CDs, 64 KiB):
 *    one linear table;
 *  - more, where IDR0.CD2L: S1Fmt 2-level with 4 KiB level-2 tables of
 *    2^6 CDs; a level-1 table of 2^(S1CDMax - 6) descriptors, level-2
 *    tables added as SubstreamIDs are first used (zeroed, then the
 *    level-1 descriptor with V; the CFGI_CD of the first CD written there
 *    is not leaf-only, so the SMMU drops any cached level-1 descriptor).
 * With substreams, STE.S1DSS says what the device's untagged traffic
 * does: CD 0 (its domain is stage 1), bypass (identity) or terminate
 * (blocked), so the table serves PASIDs under any RID domain but a
 * stage-2 one.
 *
 * CDs are written by the entry writer (writer.c) with CMD_CFGI_CD of the
 * StreamID and SubstreamID + CMD_SYNC per step.  A CD reads, when valid:
 * word 0 whole, TTB0, MAIR, and TTB1 unless EPD1; ASID (word 0) and TTB0
 * (word 1) both change between two domains, so replacing the CD of a
 * PASID in place breaks before make (V=0 in between: that PASID's DMA
 * faults for the moment); only the one-CD shape above switches without.
 *
 * Locking: callers hold the unit's ste_lock; tables of self-tests
 * (liommu_smmu_test_cdtab_*()) belong to their caller alone.
 */
#define pr_fmt(fmt) "liommu-smmuv3: " fmt

#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "cd.h"
#include "cmdq.h"
#include "smmuv3.h"
#include "ste.h"

#define CD_BYTES		(LIOMMU_SMMU_CD_DWORDS * sizeof(u64))
/* Linear tables up to one page of CDs where 2-level ones exist. */
#define CDTAB_LINEAR_MAX_BITS	LIOMMU_SMMU_CD_L2_SPLIT_4K
/* Without IDR0.CD2L: at most 2^10 CDs (a 64 KiB linear table). */
#define CDTAB_LINEAR_ONLY_MAX_BITS	10
#define CDS_PER_L2		BIT(LIOMMU_SMMU_CD_L2_SPLIT_4K)

/**
 * liommu_smmu_cdtab_max_bits() - the SubstreamID width the driver serves
 * @unit: an SMMU
 *
 * Return: IDR1.SSIDSIZE, clipped to 10 bits without 2-level CD tables; 0
 * without stage 1.
 */
unsigned int liommu_smmu_cdtab_max_bits(const struct liommu_smmu_unit *unit)
{
	if (!unit->feat.s1)
		return 0;
	if (unit->feat.cd_2lvl)
		return unit->feat.ssid_bits;
	return min_t(unsigned int, unit->feat.ssid_bits,
		     CDTAB_LINEAR_ONLY_MAX_BITS);
}

/**
 * liommu_smmu_cdtab_init() - allocate an empty CD table
 * @t: the table, filled
 * @bits: S1CDMax, 0 to 20 (0: one CD)
 * @two_level: the SMMU has 2-level CD tables (IDR0.CD2L)
 *
 * Return: 0; -EINVAL for a width the shapes above do not cover; -ENOMEM.
 */
int liommu_smmu_cdtab_init(struct liommu_smmu_cdtab *t, unsigned int bits,
			   bool two_level)
{
	size_t bytes;

	memset(t, 0, sizeof(*t));
	if (bits > 20 || (!two_level && bits > CDTAB_LINEAR_ONLY_MAX_BITS))
		return -EINVAL;
	if (liommu_fail_point("smmu:cdtab"))
		return -ENOMEM;
	t->bits = bits;
	t->fmt = LIOMMU_SMMU_STE_0_S1FMT_LINEAR;
	if (!bits) {
		bytes = CD_BYTES * LIOMMU_SMMU_CDTAB_SLOTS;
	} else if (two_level && bits > CDTAB_LINEAR_MAX_BITS) {
		t->fmt = LIOMMU_SMMU_STE_0_S1FMT_2LVL_4K;
		t->nr_l1 = 1U << (bits - LIOMMU_SMMU_CD_L2_SPLIT_4K);
		bytes = t->nr_l1 * sizeof(u64);
		t->l2 = kcalloc(t->nr_l1, sizeof(*t->l2), GFP_KERNEL);
		if (!t->l2)
			return -ENOMEM;
	} else {
		bytes = CD_BYTES << bits;
	}
	/* Aligned to its size (at least 64 bytes): a page block is. */
	t->base_order = get_order(bytes);
	t->base = (__le64 *)__get_free_pages(GFP_KERNEL | __GFP_ZERO,
					     t->base_order);
	if (!t->base) {
		kfree(t->l2);
		t->l2 = NULL;
		return -ENOMEM;
	}
	t->base_phys = virt_to_phys(t->base);
	return 0;
}

/**
 * liommu_smmu_cdtab_free() - free a CD table no STE names any more
 * @t: the table; empty again afterwards
 */
void liommu_smmu_cdtab_free(struct liommu_smmu_cdtab *t)
{
	unsigned int i;

	if (t->l2) {
		for (i = 0; i < t->nr_l1; i++)
			if (t->l2[i])
				free_page((unsigned long)t->l2[i]);
		kfree(t->l2);
	}
	if (t->base)
		free_pages((unsigned long)t->base, t->base_order);
	memset(t, 0, sizeof(*t));
}

/**
 * liommu_smmu_cdtab_slot() - one of the two slots of a one-CD table
 * @t: a table with @t->bits 0
 * @slot: 0 or 1
 *
 * Return: the slot's CD.
 */
__le64 *liommu_smmu_cdtab_slot(struct liommu_smmu_cdtab *t, unsigned int slot)
{
	return t->base + (slot % LIOMMU_SMMU_CDTAB_SLOTS) *
			 LIOMMU_SMMU_CD_DWORDS;
}

/**
 * liommu_smmu_cdtab_entry() - the CD of a SubstreamID
 * @t: an allocated table
 * @ssid: below 2^@t->bits (0 of a one-CD table: its active slot)
 * @alloc: add the level-2 table that holds it if there is none
 * @new_l2: set to whether a level-2 table was just added (may be NULL)
 *
 * Return: the CD; NULL for an @ssid beyond the table, a missing level-2
 * table without @alloc, or no memory for one.
 */
__le64 *liommu_smmu_cdtab_entry(struct liommu_smmu_cdtab *t, u32 ssid,
				bool alloc, bool *new_l2)
{
	unsigned int l1 = ssid >> LIOMMU_SMMU_CD_L2_SPLIT_4K;
	__le64 *l2;

	if (new_l2)
		*new_l2 = false;
	if (!t->base || ssid >> t->bits)
		return NULL;
	if (!t->bits)
		return liommu_smmu_cdtab_slot(t, t->active);
	if (t->fmt == LIOMMU_SMMU_STE_0_S1FMT_LINEAR)
		return t->base + ssid * LIOMMU_SMMU_CD_DWORDS;
	if (!t->l2[l1]) {
		if (!alloc || liommu_fail_point("smmu:cdtab-l2"))
			return NULL;
		l2 = (__le64 *)get_zeroed_page(GFP_KERNEL);
		if (!l2)
			return NULL;
		t->l2[l1] = l2;
		/* The zeroed table is in memory before the SMMU can find it. */
		dma_wmb();
		WRITE_ONCE(t->base[l1],
			   cpu_to_le64(LIOMMU_SMMU_L1CD_0_V |
				       (virt_to_phys(l2) &
					LIOMMU_SMMU_L1CD_0_L2PTR)));
		if (new_l2)
			*new_l2 = true;
	}
	return t->l2[l1] + (ssid & (CDS_PER_L2 - 1)) * LIOMMU_SMMU_CD_DWORDS;
}

/**
 * liommu_smmu_cdtab_ptr() - what STE.S1ContextPtr names for a table
 * @t: an allocated table
 *
 * Return: the physical address of the table, or of the active slot's CD.
 */
phys_addr_t liommu_smmu_cdtab_ptr(const struct liommu_smmu_cdtab *t)
{
	if (!t->bits)
		return t->base_phys + (t->active % LIOMMU_SMMU_CDTAB_SLOTS) *
				      CD_BYTES;
	return t->base_phys;
}

/**
 * liommu_smmu_cdtab_ste() - a stage-1 STE over a CD table
 * @t: an allocated table
 * @s1dss: with substreams, LIOMMU_SMMU_STE_1_S1DSS_*: untagged traffic's
 *	fate; ignored without
 * @ste: filled whole, CPU order
 */
void liommu_smmu_cdtab_ste(const struct liommu_smmu_cdtab *t,
			   unsigned int s1dss, u64 ste[8])
{
	memset(ste, 0, LIOMMU_SMMU_STE_DWORDS * sizeof(u64));
	ste[0] = LIOMMU_SMMU_STE_0_V |
		 FIELD_PREP(LIOMMU_SMMU_STE_0_CONFIG,
			    LIOMMU_SMMU_STE_0_CONFIG_S1_TRANS) |
		 FIELD_PREP(LIOMMU_SMMU_STE_0_S1FMT, t->fmt) |
		 (liommu_smmu_cdtab_ptr(t) & LIOMMU_SMMU_STE_0_S1CONTEXTPTR) |
		 FIELD_PREP(LIOMMU_SMMU_STE_0_S1CDMAX, t->bits);
	ste[1] = FIELD_PREP(LIOMMU_SMMU_STE_1_S1DSS, t->bits ? s1dss : 0) |
		 FIELD_PREP(LIOMMU_SMMU_STE_1_S1CIR, LIOMMU_SMMU_STE_1_S1C_WBWA) |
		 FIELD_PREP(LIOMMU_SMMU_STE_1_S1COR, LIOMMU_SMMU_STE_1_S1C_WBWA) |
		 FIELD_PREP(LIOMMU_SMMU_STE_1_S1CSH, LIOMMU_SMMU_STE_1_S1CSH_ISH) |
		 FIELD_PREP(LIOMMU_SMMU_STE_1_STRW,
			    LIOMMU_SMMU_STE_1_STRW_NSEL1);
	/* S2VMID 0: the SMMU tags stage-1 entries with it too. */
}

/* The bits of a CD the SMMU reads. */
static void cd_used(const u64 *cd, u64 *used)
{
	memset(used, 0, CD_BYTES);
	used[0] = LIOMMU_SMMU_CD_0_V;
	if (!(cd[0] & LIOMMU_SMMU_CD_0_V))
		return;
	used[0] = ~0ULL;
	used[1] = ~0ULL;
	if (!(cd[0] & LIOMMU_SMMU_CD_0_EPD1))
		used[2] = ~0ULL;
	used[3] = ~0ULL;
	/* AMAIR, IMPDEF, PARTID/PMG: never set by the driver, read anyway. */
	used[4] = used[5] = used[6] = used[7] = ~0ULL;
}

struct cd_writer {
	struct liommu_smmu_writer w;
	struct liommu_smmu_unit *unit;	/* NULL: a test table, no SMMU */
	u32 sid;
	u32 ssid;
	bool leaf;
};

static int cd_sync(struct liommu_smmu_writer *w)
{
	struct cd_writer *cw = container_of(w, struct cd_writer, w);
	u64 cmd[1][2];
	int err;

	if (!cw->unit)
		return 0;
	cmd[0][0] = FIELD_PREP(LIOMMU_SMMU_CMD_0_OPCODE,
			       LIOMMU_SMMU_CMD_0_OPCODE_CFGI_CD) |
		    FIELD_PREP(LIOMMU_SMMU_CFGI_0_SSID, cw->ssid) |
		    FIELD_PREP(LIOMMU_SMMU_CFGI_0_SID, cw->sid);
	cmd[0][1] = cw->leaf ? LIOMMU_SMMU_CFGI_1_LEAF : 0;
	err = liommu_smmu_cmdq_submit(cw->unit, cmd, 1);
	/* The level-1 descriptor is dropped once; then leaf-only is enough. */
	cw->leaf = true;
	return err;
}

/**
 * liommu_smmu_cd_write() - change a live CD through the entry writer
 * @unit: the SMMU that reads it (its CMD_CFGI_CD + CMD_SYNC per step), or
 *	NULL for a table no SMMU reads
 * @sid: the StreamID of the table's device
 * @ssid: the CD's SubstreamID
 * @live: the CD
 * @new_l2: its level-2 table was just added: the first invalidation also
 *	drops the level-1 descriptor (not leaf-only)
 * @target: the new CD, built whole, CPU order (V clear: invalid)
 * @syncs: if not NULL, increased by the syncs issued
 *
 * Context: the unit's ste_lock held (for a live table).
 * Return: 0, or the command queue's error.
 */
int liommu_smmu_cd_write(struct liommu_smmu_unit *unit, u32 sid, u32 ssid,
			 __le64 *live, bool new_l2, const u64 target[8],
			 unsigned int *syncs)
{
	struct cd_writer cw = {
		.w = {
			.live = live,
			.valid = LIOMMU_SMMU_CD_0_V,
			.is_cd = true,
			.used = cd_used,
			.sync = cd_sync,
		},
		.unit = unit,
		.sid = sid,
		.ssid = ssid,
		.leaf = !new_l2,
	};
	int err;

	if (unit)
		lockdep_assert_held(&unit->ste_lock);
	err = liommu_smmu_entry_write(&cw.w, target);
	if (syncs)
		*syncs += cw.w.syncs;
	if (err)
		pr_err("SMMU %u: StreamID %#x SubstreamID %u: CD update failed: %d\n",
		       unit ? unit->index : 0, sid, ssid, err);
	return err;
}
