// SPDX-License-Identifier: GPL-2.0
/*
 * The stream table and the STE writer.
 *
 * Shape: 2-level when the SMMU offers it (IDR0.ST_LEVEL), covering every
 * StreamID (LOG2SIZE = IDR1.SIDSIZE) with SPLIT 8: a level-1 table of
 * descriptors, and a 256-entry level-2 table only where a StreamID we
 * serve lives.  Otherwise linear, for SMMUs with at most 2^12 StreamIDs.
 * Memory is zeroed, so every STE starts invalid (V=0: C_BAD_STE) and
 * every level-1 descriptor too (SPAN 0: no level-2 table).  Level-2
 * tables are only added before the SMMU is enabled (a later addition
 * would need CMD_CFGI_STE_RANGE; nothing adds one yet).
 *
 * STEs change through the entry writer (writer.c): built whole in a
 * local copy, stored in an order that never lets the SMMU see a mix of
 * old and new in the bits it uses, each step ending with CMD_CFGI_STE +
 * CMD_SYNC.  Callers hold ste_lock.
 */
#define pr_fmt(fmt) "liommu-smmuv3: " fmt

#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "cmdq.h"
#include "regs.h"
#include "smmuv3.h"
#include "ste.h"

#define STE_BYTES	(LIOMMU_SMMU_STE_DWORDS * sizeof(u64))

static size_t l2_bytes(const struct liommu_smmu_strtab *st)
{
	return STE_BYTES << st->split;
}

/**
 * liommu_smmu_strtab_alloc() - allocate an empty stream table
 * @unit: a mapped SMMU
 *
 * Return: 0; -EOPNOTSUPP if the SMMU only has a linear table and too many
 * StreamIDs for it; -ENOMEM.
 */
int liommu_smmu_strtab_alloc(struct liommu_smmu_unit *unit)
{
	struct liommu_smmu_strtab *st = &unit->strtab;
	size_t bytes;

	st->log2size = unit->feat.sid_bits;
	if (unit->feat.st_2lvl) {
		st->two_level = true;
		st->split = min(LIOMMU_SMMU_STRTAB_SPLIT, st->log2size);
		st->nr_l1 = 1U << (st->log2size - st->split);
		bytes = st->nr_l1 * sizeof(u64);
		st->l2 = liommu_fail_point("smmu:strtab-l2ptrs") ? NULL :
			 kcalloc(st->nr_l1, sizeof(*st->l2), GFP_KERNEL);
		if (!st->l2)
			return -ENOMEM;
	} else {
		if (st->log2size > LIOMMU_SMMU_STRTAB_LINEAR_MAX_LOG2) {
			pr_err("SMMU %u: %u-bit StreamIDs and only a linear stream table: not supported\n",
			       unit->index, st->log2size);
			return -EOPNOTSUPP;
		}
		st->two_level = false;
		bytes = STE_BYTES << st->log2size;
	}
	/* Tables are aligned to their size: a power-of-two page block is. */
	st->base_order = get_order(bytes);
	st->base = liommu_fail_point("smmu:strtab") ? NULL :
		   (__le64 *)__get_free_pages(GFP_KERNEL | __GFP_ZERO,
					      st->base_order);
	if (!st->base) {
		kfree(st->l2);
		st->l2 = NULL;
		return -ENOMEM;
	}
	st->base_phys = virt_to_phys(st->base);
	return 0;
}

/**
 * liommu_smmu_strtab_free() - free the stream table the SMMU no longer uses
 * @unit: an SMMU with SMMUEN off
 */
void liommu_smmu_strtab_free(struct liommu_smmu_unit *unit)
{
	struct liommu_smmu_strtab *st = &unit->strtab;
	unsigned int i;

	if (st->l2) {
		for (i = 0; i < st->nr_l1; i++)
			if (st->l2[i])
				free_pages((unsigned long)st->l2[i],
					   get_order(l2_bytes(st)));
		kfree(st->l2);
		st->l2 = NULL;
	}
	if (st->base)
		free_pages((unsigned long)st->base, st->base_order);
	st->base = NULL;
}

/**
 * liommu_smmu_strtab_add_sid() - make sure an STE exists for a StreamID
 * @unit: an SMMU with a stream table, not yet enabled
 * @sid: the StreamID
 *
 * In a 2-level table, allocates the level-2 table of @sid (all STEs
 * invalid) and points its level-1 descriptor at it.
 *
 * Return: 0; -ERANGE if @sid is beyond the table; -ENOMEM.
 */
int liommu_smmu_strtab_add_sid(struct liommu_smmu_unit *unit, u32 sid)
{
	struct liommu_smmu_strtab *st = &unit->strtab;
	unsigned int l1 = sid >> st->split;
	__le64 *l2;

	if (sid >> st->log2size)
		return -ERANGE;
	if (!st->two_level || st->l2[l1])
		return 0;
	l2 = liommu_fail_point("smmu:strtab-l2") ? NULL :
	     (__le64 *)__get_free_pages(GFP_KERNEL | __GFP_ZERO,
					get_order(l2_bytes(st)));
	if (!l2)
		return -ENOMEM;
	st->l2[l1] = l2;
	/* The zeroed level-2 table is visible before the descriptor. */
	dma_wmb();
	WRITE_ONCE(st->base[l1],
		   cpu_to_le64(FIELD_PREP(LIOMMU_SMMU_L1STD_0_SPAN,
					  st->split + 1) |
			       (virt_to_phys(l2) & LIOMMU_SMMU_L1STD_0_L2PTR)));
	return 0;
}

/**
 * liommu_smmu_ste_ptr() - the live STE of a StreamID
 * @unit: an SMMU with a stream table
 * @sid: the StreamID
 *
 * Return: the entry, or NULL if no table holds it (beyond the table, or
 * no level-2 table allocated: the SMMU sees it as invalid).
 */
__le64 *liommu_smmu_ste_ptr(struct liommu_smmu_unit *unit, u32 sid)
{
	struct liommu_smmu_strtab *st = &unit->strtab;
	unsigned int l1, l2;

	if (!st->base || sid >> st->log2size)
		return NULL;
	if (!st->two_level)
		return st->base + sid * LIOMMU_SMMU_STE_DWORDS;
	l1 = sid >> st->split;
	l2 = sid & (BIT(st->split) - 1);
	if (!st->l2[l1])
		return NULL;
	return st->l2[l1] + l2 * LIOMMU_SMMU_STE_DWORDS;
}

/**
 * liommu_smmu_ste_build() - build an STE of one of the simple kinds
 * @ste: the entry, CPU order, filled whole
 * @kind: invalid, abort or bypass
 */
void liommu_smmu_ste_build(u64 ste[8], enum liommu_smmu_ste_kind kind)
{
	memset(ste, 0, STE_BYTES);
	switch (kind) {
	case LIOMMU_SMMU_STE_INVALID:
		break;
	case LIOMMU_SMMU_STE_ABORT:
		ste[0] = LIOMMU_SMMU_STE_0_V |
			 FIELD_PREP(LIOMMU_SMMU_STE_0_CONFIG,
				    LIOMMU_SMMU_STE_0_CONFIG_ABORT);
		break;
	case LIOMMU_SMMU_STE_BYPASS:
		ste[0] = LIOMMU_SMMU_STE_0_V |
			 FIELD_PREP(LIOMMU_SMMU_STE_0_CONFIG,
				    LIOMMU_SMMU_STE_0_CONFIG_BYPASS);
		/* Keep the device's own shareability. */
		ste[1] = FIELD_PREP(LIOMMU_SMMU_STE_1_SHCFG,
				    LIOMMU_SMMU_STE_1_SHCFG_INCOMING);
		break;
	}
}

/*
 * The bits of @ste the SMMU reads.  Configs the driver does not build
 * count as using every bit.
 */
static void ste_used(const u64 *ste, u64 *used)
{
	unsigned int cfg = FIELD_GET(LIOMMU_SMMU_STE_0_CONFIG, ste[0]);

	memset(used, 0, STE_BYTES);
	used[0] = LIOMMU_SMMU_STE_0_V;
	if (!(ste[0] & LIOMMU_SMMU_STE_0_V))
		return;
	used[0] |= LIOMMU_SMMU_STE_0_CONFIG;
	switch (cfg) {
	case LIOMMU_SMMU_STE_0_CONFIG_ABORT:
		break;
	case LIOMMU_SMMU_STE_0_CONFIG_BYPASS:
		used[1] = LIOMMU_SMMU_STE_1_SHCFG | LIOMMU_SMMU_STE_1_MEMATTR |
			  LIOMMU_SMMU_STE_1_MTCFG | LIOMMU_SMMU_STE_1_ALLOCCFG |
			  LIOMMU_SMMU_STE_1_PRIVCFG | LIOMMU_SMMU_STE_1_INSTCFG |
			  LIOMMU_SMMU_STE_1_NSCFG;
		break;
	case LIOMMU_SMMU_STE_0_CONFIG_S1_TRANS:
		used[0] |= LIOMMU_SMMU_STE_0_S1FMT |
			   LIOMMU_SMMU_STE_0_S1CONTEXTPTR |
			   LIOMMU_SMMU_STE_0_S1CDMAX;
		used[1] = LIOMMU_SMMU_STE_1_S1DSS | LIOMMU_SMMU_STE_1_S1CIR |
			  LIOMMU_SMMU_STE_1_S1COR | LIOMMU_SMMU_STE_1_S1CSH |
			  LIOMMU_SMMU_STE_1_EATS | LIOMMU_SMMU_STE_1_STRW;
		/* VMID tags stage-1 entries where stage 2 exists. */
		used[2] = LIOMMU_SMMU_STE_2_S2VMID;
		break;
	case LIOMMU_SMMU_STE_0_CONFIG_S2_TRANS:
		used[1] = LIOMMU_SMMU_STE_1_EATS | LIOMMU_SMMU_STE_1_SHCFG |
			  LIOMMU_SMMU_STE_1_STRW;
		used[2] = GENMASK_ULL(58, 32) | LIOMMU_SMMU_STE_2_S2VMID;
		used[3] = LIOMMU_SMMU_STE_3_S2TTB;
		break;
	case LIOMMU_SMMU_STE_0_CONFIG_NESTED:
		/* Both stages: the user's stage 1 over the parent's stage 2. */
		used[0] |= LIOMMU_SMMU_STE_0_S1FMT |
			   LIOMMU_SMMU_STE_0_S1CONTEXTPTR |
			   LIOMMU_SMMU_STE_0_S1CDMAX;
		used[1] = LIOMMU_SMMU_STE_1_S1DSS | LIOMMU_SMMU_STE_1_S1CIR |
			  LIOMMU_SMMU_STE_1_S1COR | LIOMMU_SMMU_STE_1_S1CSH |
			  LIOMMU_SMMU_STE_1_S1STALLD | LIOMMU_SMMU_STE_1_EATS |
			  LIOMMU_SMMU_STE_1_STRW | LIOMMU_SMMU_STE_1_SHCFG;
		used[2] = GENMASK_ULL(58, 32) | LIOMMU_SMMU_STE_2_S2VMID;
		used[3] = LIOMMU_SMMU_STE_3_S2TTB;
		break;
	default:
		memset(used, 0xff, STE_BYTES);
		break;
	}
}

struct ste_writer {
	struct liommu_smmu_writer w;
	struct liommu_smmu_unit *unit;
	u32 sid;
};

/* Invalidate the SMMU's copy of the STE and wait. */
static int ste_sync(struct liommu_smmu_writer *w)
{
	struct ste_writer *sw = container_of(w, struct ste_writer, w);
	u64 cmd[1][2];

	liommu_smmu_cmd_cfgi_ste(cmd[0], sw->sid);
	sw->unit->cfgi_syncs++;
	return liommu_smmu_cmdq_submit(sw->unit, cmd, 1);
}

/**
 * liommu_smmu_ste_write() - change a live STE without exposing a mix
 * @unit: an SMMU whose command queue is enabled
 * @sid: the StreamID; its STE must exist (liommu_smmu_strtab_add_sid())
 * @target: the new entry, built whole, CPU order
 *
 * The entry writer's rules (writer.c) with CMD_CFGI_STE + CMD_SYNC.
 *
 * Context: process; the caller holds the unit's ste_lock.
 * Return: 0; -ENOENT if no table holds @sid's STE; an error of
 * liommu_smmu_cmdq_submit() (the entry may then be invalid).
 */
int liommu_smmu_ste_write(struct liommu_smmu_unit *unit, u32 sid,
			  const u64 target[8])
{
	struct ste_writer sw = {
		.w = {
			.live = liommu_smmu_ste_ptr(unit, sid),
			.valid = LIOMMU_SMMU_STE_0_V,
			.used = ste_used,
			.sync = ste_sync,
		},
		.unit = unit,
		.sid = sid,
	};

	lockdep_assert_held(&unit->ste_lock);
	if (!sw.w.live)
		return -ENOENT;
	return liommu_smmu_entry_write(&sw.w, target);
}
