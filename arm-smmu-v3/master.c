// SPDX-License-Identifier: GPL-2.0
/*
 * A device's STE and CD table: what its untagged traffic (the RID) and
 * each of its PASIDs (SubstreamIDs) are attached to.
 *
 * The STE follows from the RID's domain and whether any PASID has a CD:
 *  - a stage-2 domain: the stage-2 STE (no PASIDs then: stage 1 under a
 *    kernel-owned stage 2 would be nesting, which this path does not do);
 *  - a nested domain: its STE (nested.c), the user's stage 1 over the
 *    parent's stage 2, and no PASIDs either; every CD the SMMU may hold
 *    for the stream is dropped when it comes or goes (CMD_CFGI_CD_ALL);
 *  - a stage-1 domain, or any PASID attached: a stage-1 STE over the
 *    device's CD table (cdtab.c), with S1DSS sending untagged traffic to
 *    CD 0 (a stage-1 RID domain), past stage 1 (identity) or nowhere
 *    (blocked);
 *  - else bypass (identity) or abort (blocked).
 * Every change goes through the entry writer: the RID's CD first (a
 * stage-1 domain), then the STE, then whatever the old state left that
 * nothing reads any more.  A stage-1 to stage-1 replace on a device
 * without substreams switches slots (cdtab.c): hitless, like identity,
 * blocked and stage 1 among each other (one word of the STE).
 *
 * A domain's CD is the same in every table (built at allocation: ASID,
 * TTB0, MAIR); its TLB invalidation by ASID covers every device and
 * PASID it is attached through.
 *
 * Locking: everything here runs under the unit's ste_lock, which guards
 * the master's table, @rid and @nr_pasids; the core serialises attach and
 * PASID attach of one device besides.
 */
#define pr_fmt(fmt) "liommu-smmuv3: " fmt

#include <linux/err.h>
#include <linux/log2.h>
#include <linux/pci.h>
#include <linux/pci-ats.h>

#include "cd.h"
#include "cmdq.h"
#include "smmuv3.h"
#include "ste.h"

static bool is_stage(const struct liommu_domain *dom, unsigned int stage)
{
	return dom && dom->ops == &liommu_smmu_paging_ops &&
	       to_smmu_domain((struct liommu_domain *)dom)->stage == stage;
}

/* The STE that the master's state asks for, CPU order. */
static void master_ste(const struct liommu_smmu_master *m, u64 ste[8])
{
	struct liommu_domain *rid = m->rid;
	unsigned int s1dss;

	if (is_stage(rid, 2)) {
		liommu_smmu_domain_ste(to_smmu_domain(rid), ste);
		return;
	}
	if (liommu_smmu_is_nested(rid)) {
		liommu_smmu_nested_ste(rid, ste);
		return;
	}
	if (is_stage(rid, 1) || m->nr_pasids) {
		if (is_stage(rid, 1))
			s1dss = LIOMMU_SMMU_STE_1_S1DSS_SSID0;
		else if (rid == &m->unit->blocked)
			s1dss = LIOMMU_SMMU_STE_1_S1DSS_TERMINATE;
		else
			s1dss = LIOMMU_SMMU_STE_1_S1DSS_BYPASS;
		liommu_smmu_cdtab_ste(&m->cdtab, s1dss, ste);
		return;
	}
	liommu_smmu_ste_build(ste, rid == &m->unit->blocked ?
			      LIOMMU_SMMU_STE_ABORT : LIOMMU_SMMU_STE_BYPASS);
}

/* The substream width of the device: the SMMU's and its PASID capability's. */
static unsigned int master_ssid_bits(const struct liommu_smmu_master *m)
{
	unsigned int bits = liommu_smmu_cdtab_max_bits(m->unit);
	int n = m->pdev ? pci_max_pasids(m->pdev) : -EINVAL;

	if (n <= 0)
		return 0;
	return min_t(unsigned int, bits, ilog2(n));
}

static int master_cdtab(struct liommu_smmu_master *m)
{
	if (m->cdtab.base)
		return 0;
	return liommu_smmu_cdtab_init(&m->cdtab, master_ssid_bits(m),
				      m->unit->feat.cd_2lvl);
}

static int master_write_ste(struct liommu_smmu_master *m)
{
	u64 ste[8];
	int err;

	master_ste(m, ste);
	err = liommu_smmu_ste_write(m->unit, m->sid, ste);
	if (err)
		pr_err("SMMU %u: StreamID %#x: STE update failed: %d\n",
		       m->unit->index, m->sid, err);
	return err;
}

static const u64 cd_invalid[LIOMMU_SMMU_CD_DWORDS];

/*
 * The RID of a device without substreams moves to stage-1 domain @d: its
 * CD into the spare slot, the STE to that slot, the old slot cleared.
 */
static int master_rid_s1_slots(struct liommu_smmu_master *m,
			       struct liommu_smmu_domain *d)
{
	struct liommu_smmu_cdtab *t = &m->cdtab;
	unsigned int old = t->active, spare = !old;
	int err;

	err = liommu_smmu_cd_write(m->unit, m->sid, 0,
				   liommu_smmu_cdtab_slot(t, spare), false,
				   d->cd, NULL);
	if (err)
		return err;
	t->active = spare;
	err = master_write_ste(m);
	if (err) {
		t->active = old;
		return err;
	}
	/* Nothing reads the old slot now (its CFGI_CD drops the cached one). */
	return liommu_smmu_cd_write(m->unit, m->sid, 0,
				    liommu_smmu_cdtab_slot(t, old), false,
				    cd_invalid, NULL);
}

/* Drop every CD the SMMU may hold for the device's stream. */
static int master_cfgi_cd_all(struct liommu_smmu_master *m)
{
	u64 cmd[1][2] = {
		{ FIELD_PREP(LIOMMU_SMMU_CMD_0_OPCODE,
			     LIOMMU_SMMU_CMD_0_OPCODE_CFGI_CD_ALL) |
		  FIELD_PREP(LIOMMU_SMMU_CFGI_0_SID, m->sid), 0 },
	};

	return liommu_smmu_cmdq_submit(m->unit, (const u64 (*)[2])cmd, 1);
}

/**
 * liommu_smmu_master_attach() - point a device's untagged traffic at a domain
 * @m: the device
 * @domain: one of the unit's: identity, blocked, a stage-1 or stage-2
 *	paging domain, or a nested domain
 *
 * Context: process; takes the unit's ste_lock.
 * Return: 0; -EINVAL for a domain of another unit; -EBUSY for a stage-2
 * or nested domain while PASIDs are attached; -ENOMEM; a command queue
 * error.
 */
int liommu_smmu_master_attach(struct liommu_smmu_master *m,
			      struct liommu_domain *domain)
{
	struct liommu_smmu_unit *unit = m->unit;
	struct liommu_domain *old;
	struct liommu_smmu_domain *d = NULL;
	bool nested = liommu_smmu_is_nested(domain);
	bool was_s1;
	__le64 *cd0;
	int err;

	if (domain->ops == &liommu_smmu_paging_ops) {
		d = to_smmu_domain(domain);
		if (d->unit != unit)
			return -EINVAL;
	} else if (nested) {
		if (to_smmu_nested(domain)->unit != unit)
			return -EINVAL;
	} else if (domain != &unit->identity && domain != &unit->blocked) {
		return -EINVAL;
	}

	mutex_lock(&unit->ste_lock);
	old = m->rid;
	was_s1 = is_stage(old, 1);
	if (((d && d->stage == 2) || nested) && m->nr_pasids) {
		pr_info_ratelimited("SMMU %u: StreamID %#x: a stage-2 or nested domain can't take the device while PASIDs are attached\n",
				    unit->index, m->sid);
		err = -EBUSY;
		goto out_unlock;
	}
	if (d && d->stage == 1) {
		err = master_cdtab(m);
		if (err)
			goto out_unlock;
		m->rid = domain;
		if (!m->cdtab.bits && was_s1) {
			err = master_rid_s1_slots(m, d);
		} else {
			cd0 = liommu_smmu_cdtab_entry(&m->cdtab, 0, true, NULL);
			err = cd0 ? liommu_smmu_cd_write(unit, m->sid, 0, cd0,
							 false, d->cd, NULL) :
				    -ENOMEM;
			if (!err)
				err = master_write_ste(m);
		}
		if (err) {
			m->rid = old;
			goto out_unlock;
		}
		if (liommu_smmu_is_nested(old)) {
			list_del_init(&m->nested_node);
			err = master_cfgi_cd_all(m);
		}
		goto out_unlock;
	}
	m->rid = domain;
	err = master_write_ste(m);
	if (err) {
		m->rid = old;
		goto out_unlock;
	}
	if (liommu_smmu_is_nested(old))
		list_del_init(&m->nested_node);
	if (nested)
		list_add_tail(&m->nested_node,
			      &to_smmu_nested(domain)->masters);
	/* The stream's CDs come from, or came from, a guest. */
	if (nested || liommu_smmu_is_nested(old))
		err = master_cfgi_cd_all(m);
	/* Leaving stage 1: CD 0 is unread now. */
	if (was_s1) {
		cd0 = liommu_smmu_cdtab_entry(&m->cdtab, 0, false, NULL);
		if (cd0)
			err = liommu_smmu_cd_write(unit, m->sid, 0, cd0, false,
						   cd_invalid, NULL);
	}
out_unlock:
	mutex_unlock(&unit->ste_lock);
	return err;
}

/**
 * liommu_smmu_master_set_pasid() - attach one SubstreamID of a device
 * @m: the device
 * @domain: a stage-1 paging domain of the unit, or the unit's blocked
 *	domain (detach)
 * @pasid: 1 to 2^(the device's substream width) - 1
 *
 * The core checked the width and PASID 0; an SMMU without substreams
 * (QEMU's) offers none, so the core refuses before this.
 *
 * Context: process; takes the unit's ste_lock.
 * Return: 0; -EINVAL for another unit's domain, or a PASID beyond the
 * table; -EOPNOTSUPP for a stage-2 or identity domain; -EBUSY while the
 * RID is on a stage-2 or nested domain; -ENOMEM; a command queue error.
 */
int liommu_smmu_master_set_pasid(struct liommu_smmu_master *m,
				 struct liommu_domain *domain, u32 pasid)
{
	struct liommu_smmu_unit *unit = m->unit;
	struct liommu_smmu_domain *d = NULL;
	bool new_l2, was_valid;
	__le64 *cd;
	int err;

	if (domain->ops == &liommu_smmu_paging_ops) {
		d = to_smmu_domain(domain);
		if (d->unit != unit)
			return -EINVAL;
		if (d->stage != 1)
			return -EOPNOTSUPP;
	} else if (domain != &unit->blocked) {
		return -EOPNOTSUPP;
	}
	if (!pasid)
		return -EINVAL;

	mutex_lock(&unit->ste_lock);
	if (d && (is_stage(m->rid, 2) || liommu_smmu_is_nested(m->rid))) {
		err = -EBUSY;
		goto out_unlock;
	}
	err = d ? master_cdtab(m) : 0;
	if (err)
		goto out_unlock;
	cd = liommu_smmu_cdtab_entry(&m->cdtab, pasid, !!d, &new_l2);
	if (!cd) {
		/* Blocking a PASID that never had a CD: nothing to do. */
		err = !d ? 0 : pasid >> m->cdtab.bits ? -EINVAL : -ENOMEM;
		goto out_unlock;
	}
	was_valid = le64_to_cpu(cd[0]) & LIOMMU_SMMU_CD_0_V;
	if (!d) {
		if (!was_valid)
			goto out_unlock;
		err = liommu_smmu_cd_write(unit, m->sid, pasid, cd, false,
					   cd_invalid, NULL);
		if (err)
			goto out_unlock;
		/* The last PASID: back to the RID domain's own STE. */
		if (!--m->nr_pasids)
			err = master_write_ste(m);
		goto out_unlock;
	}
	err = liommu_smmu_cd_write(unit, m->sid, pasid, cd, new_l2, d->cd,
				   NULL);
	if (err || was_valid)
		goto out_unlock;
	/* The first PASID: a stage-1 STE over the table. */
	if (!m->nr_pasids++) {
		err = master_write_ste(m);
		if (err) {
			m->nr_pasids--;
			liommu_smmu_cd_write(unit, m->sid, pasid, cd, false,
					     cd_invalid, NULL);
		}
	}
out_unlock:
	mutex_unlock(&unit->ste_lock);
	return err;
}

/**
 * liommu_smmu_master_release() - the device leaves: bypass, table freed
 * @m: the device
 *
 * Context: process; takes the unit's ste_lock.
 */
void liommu_smmu_master_release(struct liommu_smmu_master *m)
{
	struct liommu_smmu_unit *unit = m->unit;

	mutex_lock(&unit->ste_lock);
	if (liommu_smmu_is_nested(m->rid))
		list_del_init(&m->nested_node);
	m->rid = &unit->identity;
	m->nr_pasids = 0;
	/* Back to bypass: the device leaves as it came. */
	if (!master_write_ste(m))
		liommu_smmu_cdtab_free(&m->cdtab);
	else
		pr_err("SMMU %u: StreamID %#x: leaking its CD table: the SMMU may still read it\n",
		       unit->index, m->sid);
	mutex_unlock(&unit->ste_lock);
}
