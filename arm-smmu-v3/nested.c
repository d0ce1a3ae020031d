// SPDX-License-Identifier: GPL-2.0
/*
 * Nested domains: a user's stage 1 (a guest's STE words 0-1, its CD
 * table at an IPA) over a kernel stage-2 domain allocated with
 * LIOMMU_HWPT_ALLOC_NEST_PARENT, and the guest's stage-1 invalidations.
 *
 * The user's STE words are checked against what a guest may ask for:
 * V, Config abort, bypass or stage-1 translate, S1Fmt, S1ContextPtr (an
 * IPA inside the parent's input range), S1CDMax (no wider than the
 * SMMU's SubstreamIDs: 0 on QEMU), and in word 1 S1DSS, S1CIR, S1COR,
 * S1CSH, S1STALLD and EATS (only with ATS).  Any other bit is -EIO, as in
 * upstream's driver.  The STE the device gets:
 *  - user abort (or V clear): the abort STE;
 *  - user bypass: the parent's stage-2 STE (stage 1 bypassed);
 *  - user stage 1: Config nested, the user's stage-1 fields, STRW NS-EL1,
 *    and the parent's stage-2 fields: S2VMID, the VTCR fields, S2TTB.
 * It goes in through the entry writer, and every CD the SMMU may hold for
 * the stream is dropped after (CMD_CFGI_CD_ALL): the stream's CDs now
 * come from the guest.
 *
 * Invalidation: the guest's own commands, one entry each, from an
 * allow-list (TLBI_NH_VA, TLBI_NH_VAA, TLBI_NH_ASID, TLBI_NH_ALL,
 * CFGI_CD, CFGI_CD_ALL, ATC_INV with ATS); the VMID is always the
 * parent's and the StreamID that of each device the domain is attached
 * to, whatever the guest wrote there.  An entry's commands go out with
 * their CMD_SYNC before the next entry is read, so @entry_num is exactly
 * what reached the SMMU.  The parent's unmaps already issue TLBI_S2_IPA
 * and TLBI_NH_ALL of its VMID, which drops the combined entries.
 *
 * Locking: the list of attached devices is under the unit's ste_lock
 * (attach runs under it, master.c); the domain itself never changes.
 */
#define pr_fmt(fmt) "liommu-smmuv3: " fmt

#include <linux/err.h>
#include <linux/slab.h>

#include "cmdq.h"
#include "smmuv3.h"
#include "ste.h"

#define VSTE_0_ALLOWED	(LIOMMU_SMMU_STE_0_V | LIOMMU_SMMU_STE_0_CONFIG | \
			 LIOMMU_SMMU_STE_0_S1FMT | \
			 LIOMMU_SMMU_STE_0_S1CONTEXTPTR | \
			 LIOMMU_SMMU_STE_0_S1CDMAX)
#define VSTE_1_ALLOWED	(LIOMMU_SMMU_STE_1_S1DSS | LIOMMU_SMMU_STE_1_S1CIR | \
			 LIOMMU_SMMU_STE_1_S1COR | LIOMMU_SMMU_STE_1_S1CSH | \
			 LIOMMU_SMMU_STE_1_S1STALLD | LIOMMU_SMMU_STE_1_EATS)

/* Most StreamIDs one CFGI/ATC entry fans out to in one submission. */
#define NESTED_MAX_CMDS	16

static const struct liommu_domain_ops smmu_nested_ops;

static struct liommu_smmu_nested *to_nested(struct liommu_domain *domain)
{
	return to_smmu_nested(domain);
}

/**
 * liommu_smmu_is_nested() - is @domain one of this driver's nested domains
 * @domain: any domain
 *
 * Return: true for a nested domain of liommu_smmuv3.
 */
bool liommu_smmu_is_nested(const struct liommu_domain *domain)
{
	return domain && domain->ops == &smmu_nested_ops;
}

/**
 * liommu_smmu_nested_ste() - the STE a device attached to a nested domain gets
 * @domain: a nested domain of this driver
 * @ste: filled whole, CPU order
 */
void liommu_smmu_nested_ste(struct liommu_domain *domain, u64 ste[8])
{
	struct liommu_smmu_nested *n = to_nested(domain);
	unsigned int cfg = FIELD_GET(LIOMMU_SMMU_STE_0_CONFIG, n->vste[0]);

	if (!(n->vste[0] & LIOMMU_SMMU_STE_0_V) ||
	    cfg == LIOMMU_SMMU_STE_0_CONFIG_ABORT) {
		liommu_smmu_ste_build(ste, LIOMMU_SMMU_STE_ABORT);
		return;
	}
	/* Words 2 and 3, and SHCFG: the parent's stage 2. */
	liommu_smmu_domain_ste(n->parent, ste);
	if (cfg == LIOMMU_SMMU_STE_0_CONFIG_BYPASS)
		return;
	ste[0] = LIOMMU_SMMU_STE_0_V |
		 FIELD_PREP(LIOMMU_SMMU_STE_0_CONFIG,
			    LIOMMU_SMMU_STE_0_CONFIG_NESTED) |
		 (n->vste[0] & (LIOMMU_SMMU_STE_0_S1FMT |
				LIOMMU_SMMU_STE_0_S1CONTEXTPTR |
				LIOMMU_SMMU_STE_0_S1CDMAX));
	ste[1] = (n->vste[1] & VSTE_1_ALLOWED) |
		 FIELD_PREP(LIOMMU_SMMU_STE_1_STRW,
			    LIOMMU_SMMU_STE_1_STRW_NSEL1) |
		 FIELD_PREP(LIOMMU_SMMU_STE_1_SHCFG,
			    LIOMMU_SMMU_STE_1_SHCFG_INCOMING);
}

/* A guest's STE words: what it may ask for on this SMMU. */
static int vste_check(const struct liommu_smmu_unit *unit,
		      const struct liommu_smmu_domain *parent, const u64 v[2])
{
	unsigned int cfg = FIELD_GET(LIOMMU_SMMU_STE_0_CONFIG, v[0]);
	unsigned int fmt = FIELD_GET(LIOMMU_SMMU_STE_0_S1FMT, v[0]);
	unsigned int cdmax = FIELD_GET(LIOMMU_SMMU_STE_0_S1CDMAX, v[0]);
	u64 ctx = FIELD_GET(LIOMMU_SMMU_STE_0_S1CONTEXTPTR, v[0]) << 6;

	if ((v[0] & ~VSTE_0_ALLOWED) || (v[1] & ~VSTE_1_ALLOWED)) {
		pr_info_ratelimited("SMMU %u: nested STE: bits outside those a guest may set (%#llx %#llx)\n",
				    unit->index, v[0] & ~VSTE_0_ALLOWED,
				    v[1] & ~VSTE_1_ALLOWED);
		return -EIO;
	}
	if (!(v[0] & LIOMMU_SMMU_STE_0_V))
		return 0;
	if (cfg != LIOMMU_SMMU_STE_0_CONFIG_ABORT &&
	    cfg != LIOMMU_SMMU_STE_0_CONFIG_BYPASS &&
	    cfg != LIOMMU_SMMU_STE_0_CONFIG_S1_TRANS) {
		pr_info_ratelimited("SMMU %u: nested STE: Config %#x is not abort, bypass or stage 1\n",
				    unit->index, cfg);
		return -EIO;
	}
	if (FIELD_GET(LIOMMU_SMMU_STE_1_EATS, v[1]) && !unit->feat.ats) {
		pr_info_ratelimited("SMMU %u: nested STE: EATS without ATS\n",
				    unit->index);
		return -EOPNOTSUPP;
	}
	if (cfg != LIOMMU_SMMU_STE_0_CONFIG_S1_TRANS)
		return 0;
	if (cdmax > unit->feat.ssid_bits ||
	    (cdmax && fmt != LIOMMU_SMMU_STE_0_S1FMT_LINEAR &&
	     !unit->feat.cd_2lvl)) {
		pr_info_ratelimited("SMMU %u: nested STE: S1CDMax %u / S1Fmt %u beyond the SMMU (SSIDSIZE %u, CD2L %d)\n",
				    unit->index, cdmax, fmt, unit->feat.ssid_bits,
				    unit->feat.cd_2lvl);
		return -EOPNOTSUPP;
	}
	if (cdmax && fmt > LIOMMU_SMMU_STE_0_S1FMT_2LVL_64K)
		return -EINVAL;
	if (ctx > parent->dom.geometry.aperture_end) {
		pr_info_ratelimited("SMMU %u: nested STE: S1ContextPtr %#llx beyond the parent's input range\n",
				    unit->index, ctx);
		return -EINVAL;
	}
	return 0;
}

/**
 * liommu_smmu_domain_alloc_nested() - liommu_ops.domain_alloc_nested
 * @dev: a device behind one of our SMMUs
 * @parent: a NEST_PARENT domain of the same SMMU (a stage-2 one)
 * @flags: must be 0
 * @data: LIOMMU_HWPT_DATA_ARM_SMMUV3 and &struct liommu_hwpt_arm_smmuv3
 *
 * Return: the domain; ERR_PTR(): -ENODEV for a device that is not ours,
 * -EINVAL for another parent or a bad field, -EOPNOTSUPP for flags,
 * another data type or a feature the SMMU lacks, -EIO for bits a guest
 * may not set, -E2BIG, -ENOMEM.
 */
struct liommu_domain *
liommu_smmu_domain_alloc_nested(struct device *dev, struct liommu_domain *parent,
				u32 flags, const struct liommu_user_data *data)
{
	struct liommu_smmu_master *m = liommu_dev_get_priv(dev);
	struct liommu_hwpt_arm_smmuv3 arg;
	struct liommu_smmu_nested *n;
	struct liommu_smmu_domain *p;
	u64 v[2];
	int err;

	if (!m)
		return ERR_PTR(-ENODEV);
	if (flags)
		return ERR_PTR(-EOPNOTSUPP);
	if (parent->ops != &liommu_smmu_paging_ops)
		return ERR_PTR(-EINVAL);
	p = to_smmu_domain(parent);
	if (p->unit != m->unit || p->stage != 2)
		return ERR_PTR(-EINVAL);
	err = liommu_user_data_copy(data, LIOMMU_HWPT_DATA_ARM_SMMUV3, &arg,
				    sizeof(arg), sizeof(arg));
	if (err)
		return ERR_PTR(err);
	v[0] = le64_to_cpu(arg.ste[0]);
	v[1] = le64_to_cpu(arg.ste[1]);
	err = vste_check(m->unit, p, v);
	if (err)
		return ERR_PTR(err);
	if (liommu_fail_point("smmu:nested"))
		return ERR_PTR(-ENOMEM);
	n = kzalloc(sizeof(*n), GFP_KERNEL);
	if (!n)
		return ERR_PTR(-ENOMEM);
	n->unit = m->unit;
	n->parent = p;
	n->vste[0] = v[0];
	n->vste[1] = v[1];
	INIT_LIST_HEAD(&n->masters);
	n->dom.ops = &smmu_nested_ops;
	return &n->dom;
}

static int nested_attach_dev(struct liommu_domain *domain, struct device *dev)
{
	struct liommu_smmu_master *m = liommu_dev_get_priv(dev);

	if (!m)
		return -ENODEV;
	return liommu_smmu_master_attach(m, domain);
}

/* The commands of one guest entry, rewritten; how many, or an errno. */
static int nested_cmds(struct liommu_smmu_nested *n, const u64 in[2],
		       u64 (*out)[2])
{
	u8 op = FIELD_GET(LIOMMU_SMMU_CMD_0_OPCODE, in[0]);
	struct liommu_smmu_master *m;
	int nr = 0;

	switch (op) {
	case LIOMMU_SMMU_CMD_0_OPCODE_TLBI_NH_VA:
	case LIOMMU_SMMU_CMD_0_OPCODE_TLBI_NH_VAA:
	case LIOMMU_SMMU_CMD_0_OPCODE_TLBI_NH_ASID:
	case LIOMMU_SMMU_CMD_0_OPCODE_TLBI_NH_ALL:
		out[0][0] = (in[0] & ~LIOMMU_SMMU_TLBI_0_VMID) |
			    FIELD_PREP(LIOMMU_SMMU_TLBI_0_VMID, n->parent->vmid);
		out[0][1] = in[1];
		return 1;
	case LIOMMU_SMMU_CMD_0_OPCODE_ATC_INV:
		if (!n->unit->feat.ats)
			return -EOPNOTSUPP;
		fallthrough;
	case LIOMMU_SMMU_CMD_0_OPCODE_CFGI_CD:
	case LIOMMU_SMMU_CMD_0_OPCODE_CFGI_CD_ALL:
		list_for_each_entry(m, &n->masters, nested_node) {
			if (nr == NESTED_MAX_CMDS)
				return -ENOSPC;
			out[nr][0] = (in[0] & ~LIOMMU_SMMU_CFGI_0_SID) |
				     FIELD_PREP(LIOMMU_SMMU_CFGI_0_SID, m->sid);
			out[nr++][1] = in[1];
		}
		return nr;
	default:
		return -EIO;
	}
}

static int nested_invalidate(struct liommu_domain *domain,
			     struct liommu_user_data_array *array)
{
	struct liommu_smmu_nested *n = to_nested(domain);
	struct liommu_hwpt_arm_smmuv3_invalidate inv;
	u64 in[2], cmds[NESTED_MAX_CMDS][2];
	u32 i, done = 0;
	int nr, err = 0;

	if (array->type != LIOMMU_HWPT_INVALIDATE_DATA_ARM_SMMUV3) {
		array->entry_num = 0;
		return -EOPNOTSUPP;
	}
	for (i = 0; i < array->entry_num; i++) {
		err = liommu_user_array_entry(array, i, &inv, sizeof(inv),
					      sizeof(inv));
		if (err)
			break;
		in[0] = le64_to_cpu(inv.cmd[0]);
		in[1] = le64_to_cpu(inv.cmd[1]);
		mutex_lock(&n->unit->ste_lock);
		nr = nested_cmds(n, in, cmds);
		err = nr < 0 ? nr : liommu_smmu_cmdq_submit(n->unit,
				(const u64 (*)[2])cmds, nr);
		mutex_unlock(&n->unit->ste_lock);
		if (err) {
			if (err == -EIO && nr < 0)
				pr_info_ratelimited("SMMU %u: nested invalidation: command %#llx is not one a guest may issue\n",
						    n->unit->index,
						    FIELD_GET(LIOMMU_SMMU_CMD_0_OPCODE,
							      in[0]));
			break;
		}
		n->user_cmds += nr;
		done++;
	}
	array->entry_num = done;
	return err;
}

static void nested_free(struct liommu_domain *domain)
{
	kfree(to_nested(domain));
}

static const struct liommu_domain_ops smmu_nested_ops = {
	.attach_dev = nested_attach_dev,
	.cache_invalidate_user = nested_invalidate,
	.free = nested_free,
};
