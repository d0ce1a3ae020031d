// SPDX-License-Identifier: GPL-2.0
/*
 * Paging domains: stage 1 (a context descriptor with an ASID over an
 * AArch64 stage-1 table) and stage 2 (a VMID and an AArch64 stage-2 table
 * named by the STE itself), their mappings through the core's one
 * page-table walker, and TLB invalidation.
 *
 * A stage-1 domain has one CD value, built at allocation (ASID, TTB0,
 * MAIR) and never changed while the domain lives (its table root is
 * fixed); attach writes it into the CD table of each device, at
 * SubstreamID 0 for the device's untagged traffic or at a PASID
 * (master.c, cdtab.c).  Its TLB entries are tagged with its ASID
 * whichever table they came through.
 *
 * Invalidation: one iotlb_sync per liommu_unmap() call, one submission:
 * the gather's range in 4 KiB steps by TLBI_NH_VA (stage 1) or
 * TLBI_S2_IPA (stage 2), as range commands when IDR3.RIL, by ASID
 * (TLBI_NH_ASID) or VMID (TLBI_S12_VMALL) above a threshold, then
 * CMD_SYNC.  Commands are not leaf-only: the walker frees the tables an
 * unmap empties, so walk caches go too.  A stage-2-only STE has no stage-1
 * entries, but the architecture asks for TLBI_NH_ALL of the VMID after
 * TLBI_S2_IPA (combined entries), so it follows.
 *
 * Locking: the core's map_lock serialises iotlb_sync of one domain (its
 * table follows the walker's rules, core/map.c); the command queue has its own lock; ASIDs and VMIDs come from
 * IDAs (their own locking).  Freed domains are unattached (the core
 * refuses to free an attached one).
 */
#define pr_fmt(fmt) "liommu-smmuv3: " fmt

#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "cd.h"
#include "cmdq.h"
#include "smmuv3.h"
#include "ste.h"

#define SMMU_PT_LEVELS		4
/* Stage-1 input range: TTB0 covers 48 bits (T0SZ 16). */
#define SMMU_S1_IAS		48
/* Above this many 4 KiB pages, invalidate the whole ASID or VMID. */
#define SMMU_TLBI_MAX_PAGES	16
/* Range commands (RIL) up to this many pages; beyond, the whole ASID. */
#define SMMU_TLBI_MAX_RANGE_PAGES	(1UL << 20)
/* Most commands one iotlb_sync submits (range commands of 5-bit NUM). */
#define SMMU_TLBI_MAX_CMDS	24

/* IDR5.OAS/CD.IPS/STE.S2PS encoding of an address size in bits. */
static unsigned int smmu_ps_enc(unsigned int bits)
{
	static const u8 sizes[] = { 32, 36, 40, 42, 44, 48, 52 };
	unsigned int i;

	for (i = ARRAY_SIZE(sizes); i--; )
		if (sizes[i] <= bits)
			return i;
	return 0;
}

static unsigned int smmu_oas(const struct liommu_smmu_unit *unit)
{
	return liommu_smmu_oas_bits(unit);
}

static struct liommu_smmu_unit *smmu_unit_of(struct device *dev)
{
	struct liommu_smmu_master *m = liommu_dev_get_priv(dev);

	return m ? m->unit : NULL;
}

/* The CD of stage-1 domain @d, the same in every table it goes into. */
static void smmu_cd_build(struct liommu_smmu_domain *d)
{
	u64 *cd = d->cd;

	memset(cd, 0, sizeof(d->cd));
	cd[0] = FIELD_PREP(LIOMMU_SMMU_CD_0_T0SZ, 64 - SMMU_S1_IAS) |
		FIELD_PREP(LIOMMU_SMMU_CD_0_TG0, LIOMMU_SMMU_CD_0_TG0_4K) |
		FIELD_PREP(LIOMMU_SMMU_CD_0_IRGN0, LIOMMU_SMMU_CD_0_RGN_WBWA) |
		FIELD_PREP(LIOMMU_SMMU_CD_0_ORGN0, LIOMMU_SMMU_CD_0_RGN_WBWA) |
		FIELD_PREP(LIOMMU_SMMU_CD_0_SH0, LIOMMU_SMMU_CD_0_SH_ISH) |
		LIOMMU_SMMU_CD_0_EPD1 | LIOMMU_SMMU_CD_0_V |
		FIELD_PREP(LIOMMU_SMMU_CD_0_IPS, smmu_ps_enc(smmu_oas(d->unit))) |
		LIOMMU_SMMU_CD_0_AA64 | LIOMMU_SMMU_CD_0_R |
		LIOMMU_SMMU_CD_0_A |
		FIELD_PREP(LIOMMU_SMMU_CD_0_ASID, d->asid);
	cd[1] = virt_to_phys(d->pt.root) & LIOMMU_SMMU_CD_1_TTB0;
	/* Slot 0 is what the stage-1 leaves name (AttrIndx 0). */
	cd[3] = LIOMMU_SMMU_MAIR_SLOT(0, LIOMMU_SMMU_MAIR_ATTR_WB) |
		LIOMMU_SMMU_MAIR_SLOT(1, LIOMMU_SMMU_MAIR_ATTR_DEVICE) |
		LIOMMU_SMMU_MAIR_SLOT(2, LIOMMU_SMMU_MAIR_ATTR_NC);
}

/**
 * liommu_smmu_domain_ste() - the STE that attaches a device to a stage-2 domain
 * @d: a stage-2 domain (stage-1 STEs name the device's CD table: master.c)
 * @ste: filled whole, CPU order
 */
void liommu_smmu_domain_ste(const struct liommu_smmu_domain *d, u64 ste[8])
{
	memset(ste, 0, LIOMMU_SMMU_STE_DWORDS * sizeof(u64));
	ste[0] = LIOMMU_SMMU_STE_0_V |
		 FIELD_PREP(LIOMMU_SMMU_STE_0_CONFIG,
			    LIOMMU_SMMU_STE_0_CONFIG_S2_TRANS);
	ste[1] = FIELD_PREP(LIOMMU_SMMU_STE_1_SHCFG,
			    LIOMMU_SMMU_STE_1_SHCFG_INCOMING);
	ste[2] = FIELD_PREP(LIOMMU_SMMU_STE_2_S2VMID, d->vmid) |
		 FIELD_PREP(LIOMMU_SMMU_STE_2_S2T0SZ, 64 - smmu_oas(d->unit)) |
		 FIELD_PREP(LIOMMU_SMMU_STE_2_S2SL0,
			    LIOMMU_SMMU_STE_2_S2SL0_4K_L0) |
		 FIELD_PREP(LIOMMU_SMMU_STE_2_S2IR0,
			    LIOMMU_SMMU_STE_2_S2RGN_WBWA) |
		 FIELD_PREP(LIOMMU_SMMU_STE_2_S2OR0,
			    LIOMMU_SMMU_STE_2_S2RGN_WBWA) |
		 FIELD_PREP(LIOMMU_SMMU_STE_2_S2SH0,
			    LIOMMU_SMMU_STE_2_S2SH_ISH) |
		 FIELD_PREP(LIOMMU_SMMU_STE_2_S2TG,
			    LIOMMU_SMMU_STE_2_S2TG_4K) |
		 FIELD_PREP(LIOMMU_SMMU_STE_2_S2PS,
			    smmu_ps_enc(smmu_oas(d->unit))) |
		 LIOMMU_SMMU_STE_2_S2AA64 | LIOMMU_SMMU_STE_2_S2R;
	ste[3] = virt_to_phys(d->pt.root) & LIOMMU_SMMU_STE_3_S2TTB;
}

/* ---- invalidation ---- */

static void cmd_tlbi(u64 cmd[2], const struct liommu_smmu_domain *d, u8 op)
{
	cmd[0] = FIELD_PREP(LIOMMU_SMMU_CMD_0_OPCODE, op) |
		 FIELD_PREP(LIOMMU_SMMU_TLBI_0_VMID, d->vmid) |
		 FIELD_PREP(LIOMMU_SMMU_TLBI_0_ASID, d->stage == 1 ? d->asid : 0);
	cmd[1] = 0;
}

/* Everything of the domain: its ASID, or its VMID. */
static unsigned int smmu_tlbi_all_cmds(const struct liommu_smmu_domain *d,
				       u64 (*cmds)[2])
{
	cmd_tlbi(cmds[0], d, d->stage == 1 ?
		 LIOMMU_SMMU_CMD_0_OPCODE_TLBI_NH_ASID :
		 LIOMMU_SMMU_CMD_0_OPCODE_TLBI_S12_VMALL);
	return 1;
}

static int smmu_submit(struct liommu_smmu_domain *d, u64 (*cmds)[2],
		       unsigned int n)
{
	int err;

	d->tlbi_cmds += n;
	err = liommu_smmu_cmdq_submit(d->unit, (const u64 (*)[2])cmds, n);
	if (err)
		pr_err_ratelimited("SMMU %u: TLB invalidation failed: %d\n",
				   d->unit->index, err);
	return err;
}

/* Commands for [@start, @last] of @d into @cmds; how many. */
static unsigned int smmu_tlbi_range_cmds(const struct liommu_smmu_domain *d,
					 unsigned long start,
					 unsigned long last, u64 (*cmds)[2])
{
	u8 op = d->stage == 1 ? LIOMMU_SMMU_CMD_0_OPCODE_TLBI_NH_VA :
				LIOMMU_SMMU_CMD_0_OPCODE_TLBI_S2_IPA;
	unsigned long addr = start & PAGE_MASK;
	unsigned long pages = ((last | ~PAGE_MASK) - addr + 1) >> PAGE_SHIFT;
	unsigned int n = 0;

	if (d->unit->feat.ril && pages <= SMMU_TLBI_MAX_RANGE_PAGES) {
		/* (NUM + 1) << SCALE pages per command. */
		while (pages && n < SMMU_TLBI_MAX_CMDS - 1) {
			unsigned int scale = __ffs(pages);
			unsigned long num = (pages >> scale) & 0x1f;

			cmd_tlbi(cmds[n], d, op);
			cmds[n][0] |= FIELD_PREP(LIOMMU_SMMU_TLBI_0_SCALE, scale) |
				      FIELD_PREP(LIOMMU_SMMU_TLBI_0_NUM, num - 1);
			cmds[n][1] = FIELD_PREP(LIOMMU_SMMU_TLBI_1_TG,
						LIOMMU_SMMU_TLBI_1_TG_4K) |
				     (addr & LIOMMU_SMMU_TLBI_1_ADDR);
			n++;
			pages -= num << scale;
			addr += (num << scale) << PAGE_SHIFT;
		}
		if (pages)
			return smmu_tlbi_all_cmds(d, cmds);
	} else if (pages <= SMMU_TLBI_MAX_PAGES) {
		for (; pages; pages--, addr += PAGE_SIZE) {
			cmd_tlbi(cmds[n], d, op);
			cmds[n++][1] = addr & LIOMMU_SMMU_TLBI_1_ADDR;
		}
	} else {
		return smmu_tlbi_all_cmds(d, cmds);
	}
	/* After stage-2 entries, combined ones: TLBI_NH_ALL of the VMID. */
	if (d->stage == 2)
		cmd_tlbi(cmds[n++], d, LIOMMU_SMMU_CMD_0_OPCODE_TLBI_NH_ALL);
	return n;
}

static void smmu_iotlb_sync(struct liommu_domain *domain,
			    struct liommu_iotlb_gather *gather)
{
	struct liommu_smmu_domain *d = to_smmu_domain(domain);
	u64 cmds[SMMU_TLBI_MAX_CMDS][2];
	unsigned int n;

	if (liommu_iotlb_gather_empty(gather))
		return;
	n = smmu_tlbi_range_cmds(d, gather->start, gather->end, cmds);
	smmu_submit(d, cmds, n);
}

static void smmu_flush_iotlb_all(struct liommu_domain *domain)
{
	struct liommu_smmu_domain *d = to_smmu_domain(domain);
	u64 cmds[1][2];

	smmu_submit(d, cmds, smmu_tlbi_all_cmds(d, cmds));
}

/* ---- attach, allocation, free ---- */

static int smmu_paging_attach_dev(struct liommu_domain *domain,
				  struct device *dev)
{
	struct liommu_smmu_master *m = liommu_dev_get_priv(dev);

	if (!m)
		return -ENODEV;
	return liommu_smmu_master_attach(m, domain);
}

static int smmu_paging_set_dev_pasid(struct liommu_domain *domain,
				     struct device *dev, u32 pasid)
{
	struct liommu_smmu_master *m = liommu_dev_get_priv(dev);

	if (!m)
		return -ENODEV;
	return liommu_smmu_master_set_pasid(m, domain, pasid);
}

static void smmu_domain_free(struct liommu_domain *domain)
{
	struct liommu_smmu_domain *d = to_smmu_domain(domain);
	struct liommu_smmu_unit *unit = d->unit;
	u64 cmds[1][2];

	/* Unattached: nothing can fill the TLB with its tag any more. */
	smmu_submit(d, cmds, smmu_tlbi_all_cmds(d, cmds));
	liommu_pt_free(&d->pt);
	if (d->stage == 1) {
		ida_free(&unit->asids, d->asid);
	} else {
		ida_free(&unit->vmids, d->vmid);
	}
	atomic_dec(&unit->nr_ids);
	kfree(d);
}

const struct liommu_domain_ops liommu_smmu_paging_ops = {
	.attach_dev = smmu_paging_attach_dev,
	.set_dev_pasid = smmu_paging_set_dev_pasid,
	.iotlb_sync = smmu_iotlb_sync,
	.flush_iotlb_all = smmu_flush_iotlb_all,
	.free = smmu_domain_free,
};

static struct liommu_domain *smmu_domain_alloc(struct liommu_smmu_unit *unit,
					       unsigned int stage)
{
	struct liommu_smmu_domain *d;
	unsigned int ias;
	int id, err;

	if (liommu_fail_point("smmu:domain"))
		return ERR_PTR(-ENOMEM);
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return ERR_PTR(-ENOMEM);
	d->unit = unit;
	d->stage = stage;
	if (liommu_fail_point(stage == 1 ? "smmu:asid" : "smmu:vmid"))
		id = -ENOMEM;
	else if (stage == 1)
		id = ida_alloc_range(&unit->asids, 1,
				     BIT(unit->feat.asid_bits) - 1, GFP_KERNEL);
	else
		id = ida_alloc_range(&unit->vmids, 1,
				     BIT(unit->feat.vmid_bits) - 1, GFP_KERNEL);
	if (id < 0) {
		err = id == -ENOSPC ? -EBUSY : id;
		goto err_free;
	}
	atomic_inc(&unit->nr_ids);
	if (stage == 1)
		d->asid = id;
	else
		d->vmid = id;
	err = liommu_pt_init(&d->pt, stage == 1 ? &liommu_pt_format_arm_s1 :
						  &liommu_pt_format_arm_s2,
			     SMMU_PT_LEVELS, GFP_KERNEL);
	if (err)
		goto err_free_id;
	if (stage == 1)
		smmu_cd_build(d);
	ias = stage == 1 ? SMMU_S1_IAS : smmu_oas(unit);
	d->dom.ops = &liommu_smmu_paging_ops;
	/* The core maps, unmaps and translates through the walker. */
	d->dom.pt = &d->pt;
	d->dom.pgsize_bitmap = d->pt.pgsize_bitmap;
	d->dom.geometry.aperture_start = 0;
	d->dom.geometry.aperture_end = BIT_ULL(ias) - 1;
	/* CD.IPS and STE.S2PS say smmu_oas(): nothing wider may be mapped. */
	d->dom.oa_bits = smmu_oas(unit);
	d->pt.oa_lg2 = min(d->pt.oa_lg2, d->dom.oa_bits);
	return &d->dom;

err_free_id:
	atomic_dec(&unit->nr_ids);
	if (stage == 1)
		ida_free(&unit->asids, id);
	else
		ida_free(&unit->vmids, id);
err_free:
	kfree(d);
	return ERR_PTR(err);
}

/**
 * liommu_smmu_domain_alloc_paging() - liommu_ops.domain_alloc_paging
 * @dev: a device behind one of our SMMUs
 *
 * Return: a stage-1 domain; ERR_PTR(-ENODEV) for a device that is not
 * ours, -EOPNOTSUPP if the SMMU has no stage 1, -EBUSY when ASIDs ran out,
 * -ENOMEM.
 */
struct liommu_domain *liommu_smmu_domain_alloc_paging(struct device *dev)
{
	struct liommu_smmu_unit *unit = smmu_unit_of(dev);

	if (!unit)
		return ERR_PTR(-ENODEV);
	if (!unit->feat.s1)
		return ERR_PTR(-EOPNOTSUPP);
	return smmu_domain_alloc(unit, 1);
}

/**
 * liommu_smmu_domain_alloc_paging_flags() - liommu_ops.domain_alloc_paging_flags
 * @dev: a device behind one of our SMMUs
 * @flags: LIOMMU_HWPT_ALLOC_*: NEST_PARENT asks for a stage-2 domain
 *
 * Return: a stage-1 domain (no flags) or a stage-2 one (NEST_PARENT), the
 * parent of nested domains; ERR_PTR(-EOPNOTSUPP) for other flags, or
 * NEST_PARENT on an SMMU without stage 2 (IDR0.S2P clear); as the paging
 * allocator else.
 */
struct liommu_domain *liommu_smmu_domain_alloc_paging_flags(struct device *dev,
							    u32 flags)
{
	struct liommu_smmu_unit *unit = smmu_unit_of(dev);

	if (!unit)
		return ERR_PTR(-ENODEV);
	if (flags & ~LIOMMU_HWPT_ALLOC_NEST_PARENT)
		return ERR_PTR(-EOPNOTSUPP);
	if (!(flags & LIOMMU_HWPT_ALLOC_NEST_PARENT))
		return liommu_smmu_domain_alloc_paging(dev);
	if (!unit->feat.s2) {
		pr_info_ratelimited("SMMU %u: no stage 2 (IDR0.S2P is 0): no nesting parent domain\n",
				    unit->index);
		return ERR_PTR(-EOPNOTSUPP);
	}
	return smmu_domain_alloc(unit, 2);
}
