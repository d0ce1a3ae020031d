// SPDX-License-Identifier: GPL-2.0
/*
 * Read-only queries of the SMMUs liommu_smmuv3.ko found
 * (include/liommu/smmu.h).
 *
 * The driver's state is published once at the end of module init and is
 * immutable until module exit; callers hold a reference on this module
 * through the symbol dependency, so no lock is needed for it.  The calls
 * that touch live tables and queues take the unit's locks (smmuv3.h).
 */
#include <linux/errno.h>
#include <linux/io.h>
#include <linux/io-64-nonatomic-lo-hi.h>
#include <linux/of.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <liommu/compat.h>
#include "cd.h"
#include "regs.h"
#include "smmuv3.h"

static struct liommu_smmu *published;

void liommu_smmu_query_publish(struct liommu_smmu *smmu)
{
	published = smmu;
}

static const struct liommu_smmu_unit *unit_at(unsigned int index)
{
	if (!published || index >= published->nr_units)
		return NULL;
	return &published->units[index];
}

/**
 * liommu_smmu_nr_units() - number of SMMUv3s the driver found
 *
 * Context: any.
 * Return: the number of SMMUs, 0 before the driver has loaded them.
 */
unsigned int liommu_smmu_nr_units(void)
{
	return published ? published->nr_units : 0;
}
LIOMMU_EXPORT(liommu_smmu_nr_units);

/**
 * liommu_smmu_get_info() - what the driver decoded of one SMMU
 * @index: SMMU index, 0 to liommu_smmu_nr_units() - 1
 * @info: filled on success
 *
 * Context: any.
 * Return: 0; -EINVAL if @info is NULL; -ENOENT if there is no such SMMU.
 */
int liommu_smmu_get_info(unsigned int index, struct liommu_smmu_info *info)
{
	const struct liommu_smmu_unit *unit = unit_at(index);

	if (!info)
		return -EINVAL;
	if (!unit)
		return -ENOENT;
	*info = (struct liommu_smmu_info){
		.index = unit->index,
		.base = unit->base,
		.reg_size = unit->reg_size,
		.dt_coherent = unit->dt_coherent,
		.dt_msi_parent = unit->dt_msi_parent,
		.nr_irqs = unit->nr_irqs,
		.iidr = unit->iidr,
		.aidr = unit->aidr,
		.cr0 = unit->cr0,
		.cr0ack = unit->cr0ack,
		.gbpa = unit->gbpa,
		.gerror = unit->gerror,
		.feat = unit->feat,
	};
	memcpy(info->idr, unit->idr, sizeof(info->idr));
	snprintf(info->node, sizeof(info->node), "%pOF", unit->np);
	return 0;
}
LIOMMU_EXPORT(liommu_smmu_get_info);

/**
 * liommu_smmu_read_cr0() - read an SMMU's CR0 and CR0ACK now
 * @index: SMMU index
 * @cr0: the live CR0 on success
 * @cr0ack: the live CR0ACK on success
 *
 * CR0 is what software asked for, CR0ACK what the SMMU has done; both are
 * 0 while nobody drives the SMMU.
 *
 * Context: any.
 * Return: 0; -EINVAL if @cr0 or @cr0ack is NULL; -ENOENT if there is no
 * such SMMU.
 */
int liommu_smmu_read_cr0(unsigned int index, u32 *cr0, u32 *cr0ack)
{
	const struct liommu_smmu_unit *unit = unit_at(index);

	if (!cr0 || !cr0ack)
		return -EINVAL;
	if (!unit || !unit->regs)
		return -ENOENT;
	*cr0 = readl(unit->regs + LIOMMU_SMMU_REG_CR0);
	*cr0ack = readl(unit->regs + LIOMMU_SMMU_REG_CR0ACK);
	return 0;
}
LIOMMU_EXPORT(liommu_smmu_read_cr0);

/**
 * liommu_smmu_rid_to_sid() - the StreamID of a PCI requester ID
 * @segment: PCI segment (domain) of the device, pci_domain_nr()
 * @rid: requester ID, bus << 8 | devfn (pci_dev_id()); at most 0xffff
 * @index: if not NULL, set to the index of the SMMU that translates @rid
 * @sid: the StreamID on success
 *
 * Translates through the "iommu-map" (and "iommu-map-mask") of the PCI
 * host bridge of @segment, as read at load; the kernel's of_map_id() gives
 * the same answer.
 *
 * Context: any.
 * Return: 0; -EINVAL if @sid is NULL or @rid is above 0xffff; -ENODEV if
 * no host bridge of @segment has a map naming one of our SMMUs; -ENOENT if
 * the map does not cover @rid or hands it to another IOMMU.
 */
int liommu_smmu_rid_to_sid(u16 segment, u32 rid, unsigned int *index,
			   u32 *sid)
{
	if (!sid || rid > U16_MAX)
		return -EINVAL;
	if (!published)
		return -ENODEV;
	return liommu_smmu_map_lookup(published, segment, rid, index, sid);
}
LIOMMU_EXPORT(liommu_smmu_rid_to_sid);

/* A unit the driver enabled, for the calls that touch its tables. */
static struct liommu_smmu_unit *enabled_unit(unsigned int index)
{
	if (!published || index >= published->nr_units ||
	    !published->units[index].enabled)
		return NULL;
	return &published->units[index];
}

/**
 * liommu_smmu_read_state() - live registers and counters of an SMMU
 * @index: SMMU index
 * @state: filled on success
 *
 * Context: process (reads the event queue's counters under its lock).
 * Return: 0; -EINVAL if @state is NULL; -ENOENT if there is no such SMMU.
 */
int liommu_smmu_read_state(unsigned int index, struct liommu_smmu_state *state)
{
	struct liommu_smmu_unit *unit;
	unsigned long flags;
	void __iomem *r;

	if (!state)
		return -EINVAL;
	if (!published || index >= published->nr_units ||
	    !published->units[index].regs)
		return -ENOENT;
	unit = &published->units[index];
	r = unit->regs;
	*state = (struct liommu_smmu_state){
		.enabled = unit->enabled,
		.cr0 = readl(r + LIOMMU_SMMU_REG_CR0),
		.cr0ack = readl(r + LIOMMU_SMMU_REG_CR0ACK),
		.cr1 = readl(r + LIOMMU_SMMU_REG_CR1),
		.cr2 = readl(r + LIOMMU_SMMU_REG_CR2),
		.gbpa = readl(r + LIOMMU_SMMU_REG_GBPA),
		.gerror = readl(r + LIOMMU_SMMU_REG_GERROR),
		.gerrorn = readl(r + LIOMMU_SMMU_REG_GERRORN),
		.strtab_base = lo_hi_readq(r + LIOMMU_SMMU_REG_STRTAB_BASE),
		.strtab_base_cfg = readl(r + LIOMMU_SMMU_REG_STRTAB_BASE_CFG),
		.cmdq_base = lo_hi_readq(r + LIOMMU_SMMU_REG_CMDQ_BASE),
		.cmdq_prod = readl(r + LIOMMU_SMMU_REG_CMDQ_PROD),
		.cmdq_cons = readl(r + LIOMMU_SMMU_REG_CMDQ_CONS),
		.evtq_base = lo_hi_readq(r + LIOMMU_SMMU_REG_EVENTQ_BASE),
	};
	if (unit->reg_size >= LIOMMU_SMMU_REG_SIZE) {
		state->evtq_prod = readl(r + LIOMMU_SMMU_REG_EVENTQ_PROD);
		state->evtq_cons = readl(r + LIOMMU_SMMU_REG_EVENTQ_CONS);
	}
	if (!unit->enabled)
		return 0;
	spin_lock_irqsave(&unit->cmdq_lock, flags);
	state->cmdq_errors = unit->cmdq_errors;
	state->last_cerror = unit->last_cerror;
	state->cfgi_syncs = unit->cfgi_syncs;
	spin_unlock_irqrestore(&unit->cmdq_lock, flags);
	mutex_lock(&unit->evtq_lock);
	state->events = unit->evt_log.head;
	state->evtq_overflows = unit->evt_log.overflows;
	mutex_unlock(&unit->evtq_lock);
	return 0;
}
LIOMMU_EXPORT(liommu_smmu_read_state);

/**
 * liommu_smmu_read_ste() - the live STE of a StreamID, as the SMMU sees it
 * @index: SMMU index
 * @sid: StreamID
 * @ste: the eight words, CPU order, on success
 *
 * Context: process; takes the SMMU's STE lock.
 * Return: 0; -EINVAL if @ste is NULL; -ENOENT if there is no such enabled
 * SMMU, or no table holds @sid's STE (the SMMU then treats the stream as
 * invalid; @ste is zeroed).
 */
int liommu_smmu_read_ste(unsigned int index, u32 sid, u64 ste[8])
{
	struct liommu_smmu_unit *unit = enabled_unit(index);
	__le64 *live;
	int i;

	if (!ste)
		return -EINVAL;
	memset(ste, 0, 8 * sizeof(u64));
	if (!unit)
		return -ENOENT;
	mutex_lock(&unit->ste_lock);
	live = liommu_smmu_ste_ptr(unit, sid);
	if (live)
		for (i = 0; i < 8; i++)
			ste[i] = le64_to_cpu(READ_ONCE(live[i]));
	mutex_unlock(&unit->ste_lock);
	return live ? 0 : -ENOENT;
}
LIOMMU_EXPORT(liommu_smmu_read_ste);

/**
 * liommu_smmu_set_ste() - install an invalid, abort or bypass STE
 * @index: SMMU index
 * @sid: a StreamID whose STE exists (one of a PCI device behind the SMMU,
 *	or another in the same level-2 table)
 * @kind: the entry to install
 *
 * The entry is written by the STE writer (never half-visible) and the
 * SMMU's cached copy invalidated before this returns.  For diagnostics
 * and tests: it overrides what the driver installed.
 *
 * Context: process; takes the SMMU's STE and command queue locks.
 * Return: 0; -EINVAL for an unknown @kind; -ENOENT if there is no such
 * enabled SMMU or no STE for @sid; -EIO or -ETIMEDOUT if the SMMU did not
 * take the invalidation.
 */
int liommu_smmu_set_ste(unsigned int index, u32 sid,
			enum liommu_smmu_ste_kind kind)
{
	struct liommu_smmu_unit *unit = enabled_unit(index);
	u64 ste[8];
	int err;

	if (kind != LIOMMU_SMMU_STE_INVALID && kind != LIOMMU_SMMU_STE_ABORT &&
	    kind != LIOMMU_SMMU_STE_BYPASS)
		return -EINVAL;
	if (!unit)
		return -ENOENT;
	liommu_smmu_ste_build(ste, kind);
	mutex_lock(&unit->ste_lock);
	err = liommu_smmu_ste_write(unit, sid, ste);
	mutex_unlock(&unit->ste_lock);
	return err;
}
LIOMMU_TEST_EXPORT(liommu_smmu_set_ste);

/**
 * liommu_smmu_read_events() - events the SMMU reported since the last call
 * @index: SMMU index
 * @events: where to copy them, oldest first
 * @max: room in @events; 0 just drains and forgets
 *
 * Drains the event queue first.  Only the last 64 events are kept: older
 * ones are counted (liommu_smmu_state.events) but lost.  Events returned
 * or dropped here are not returned again.
 *
 * Context: process; takes the SMMU's event queue lock.
 * Return: the number of events copied; -EINVAL if @events is NULL and @max
 * is not 0; -ENOENT if there is no such enabled SMMU.
 */
int liommu_smmu_read_events(unsigned int index,
			    struct liommu_smmu_event *events, unsigned int max)
{
	struct liommu_smmu_unit *unit = enabled_unit(index);
	struct liommu_smmu_evt_log *log;
	unsigned int n = 0;

	if (!events && max)
		return -EINVAL;
	if (!unit)
		return -ENOENT;
	liommu_smmu_evtq_poll(unit);
	mutex_lock(&unit->evtq_lock);
	log = &unit->evt_log;
	while (log->tail != log->head && n < max)
		events[n++] = log->ev[log->tail++ % LIOMMU_SMMU_EVT_LOG];
	log->tail = log->head;
	mutex_unlock(&unit->evtq_lock);
	return n;
}
LIOMMU_EXPORT(liommu_smmu_read_events);

/**
 * liommu_smmu_cmd_sync() - a CMD_SYNC round trip through the command queue
 * @index: SMMU index
 *
 * Context: process; takes the SMMU's command queue lock.
 * Return: 0 once the SMMU consumed the CMD_SYNC; -ENOENT if there is no
 * such enabled SMMU; -ETIMEDOUT if it did not.
 */
int liommu_smmu_cmd_sync(unsigned int index)
{
	struct liommu_smmu_unit *unit = enabled_unit(index);

	if (!unit)
		return -ENOENT;
	return liommu_smmu_cmdq_submit(unit, NULL, 0);
}
LIOMMU_EXPORT(liommu_smmu_cmd_sync);

/**
 * liommu_smmu_cmd_raw() - issue one command as given, then CMD_SYNC
 * @index: SMMU index
 * @cmd: the command's two words, CPU order
 *
 * For tests of the command queue's error handling: a command the SMMU
 * refuses is reported, replaced by CMD_SYNC and the queue restarted.
 * Only invalidation-like commands should be sent this way.
 *
 * Context: process; takes the SMMU's command queue lock.
 * Return: 0; -EINVAL if @cmd is NULL; -ENOENT if there is no such enabled
 * SMMU; -EIO if the SMMU refused the command (see
 * liommu_smmu_state.last_cerror); -ETIMEDOUT.
 */
int liommu_smmu_cmd_raw(unsigned int index, const u64 cmd[2])
{
	struct liommu_smmu_unit *unit = enabled_unit(index);
	u64 one[1][2];

	if (!cmd)
		return -EINVAL;
	if (!unit)
		return -ENOENT;
	one[0][0] = cmd[0];
	one[0][1] = cmd[1];
	return liommu_smmu_cmdq_submit(unit, one, 1);
}
LIOMMU_TEST_EXPORT(liommu_smmu_cmd_raw);

static struct liommu_smmu_domain *smmu_domain_of(struct liommu_domain *domain)
{
	if (!domain || domain->ops != &liommu_smmu_paging_ops)
		return NULL;
	return to_smmu_domain(domain);
}

/**
 * liommu_smmu_domain_info() - read back what the driver programmed for a domain
 * @domain: a paging domain allocated by this driver (stage 1 or 2)
 * @info: filled on success
 *
 * The context descriptor is the value the driver writes into every CD
 * table the domain is attached through; the STE of an attached device is
 * read with liommu_smmu_read_ste(), and its live CD through the STE's
 * S1ContextPtr.
 *
 * Context: any; takes the domain's sync_lock.
 * Return: 0; -EINVAL if @info is NULL or @domain is not one of ours.
 */
int liommu_smmu_domain_info(struct liommu_domain *domain,
			    struct liommu_smmu_domain_info *info)
{
	struct liommu_smmu_domain *d = smmu_domain_of(domain);
	unsigned long flags;
	unsigned int i;

	if (!d || !info)
		return -EINVAL;
	memset(info, 0, sizeof(*info));
	spin_lock_irqsave(&domain->sync_lock, flags);
	info->unit = d->unit->index;
	info->stage = d->stage;
	info->asid = d->asid;
	info->vmid = d->vmid;
	info->root = virt_to_phys(d->pt.root);
	info->tlbi_cmds = d->tlbi_cmds;
	if (d->stage == 1)
		for (i = 0; i < ARRAY_SIZE(info->cd); i++)
			info->cd[i] = d->cd[i];
	spin_unlock_irqrestore(&domain->sync_lock, flags);
	return 0;
}
LIOMMU_EXPORT(liommu_smmu_domain_info);

/**
 * liommu_smmu_domain_leaf() - the leaf that maps an IOVA in a domain
 * @domain: a paging domain allocated by this driver
 * @iova: the address
 * @pa: the physical address @iova translates to, on success
 * @pgsize: the size of the leaf (4 KiB page, 2 MiB or 1 GiB block)
 * @prot: its LIOMMU_READ/LIOMMU_WRITE rights
 *
 * Context: any; takes the domain's sync_lock.
 * Return: 0; -EINVAL for a domain that is not ours or a NULL output;
 * -ENOENT if @iova is not mapped.
 */
int liommu_smmu_domain_leaf(struct liommu_domain *domain, unsigned long iova,
			    phys_addr_t *pa, size_t *pgsize, int *prot)
{
	struct liommu_smmu_domain *d = smmu_domain_of(domain);
	unsigned long flags;
	int err;

	if (!d || !pa || !pgsize || !prot)
		return -EINVAL;
	spin_lock_irqsave(&domain->sync_lock, flags);
	err = liommu_pt_lookup(&d->pt, iova, pa, pgsize, prot);
	spin_unlock_irqrestore(&domain->sync_lock, flags);
	return err;
}
LIOMMU_EXPORT(liommu_smmu_domain_leaf);

/**
 * struct liommu_smmu_cdtab_test - a CD table no SMMU reads, for self-tests
 * @t: the table
 */
struct liommu_smmu_cdtab_test {
	struct liommu_smmu_cdtab t;
};

/**
 * liommu_smmu_test_cdtab_alloc() - a CD table of any shape, for layout tests
 * @bits: S1CDMax, 0 to 20
 * @two_level: as if the SMMU had 2-level CD tables (IDR0.CD2L)
 *
 * The table is built by the driver's own code (cdtab.c) but no STE names
 * it: the test walks it as the SMMU would and checks every word.
 *
 * Return: the table; ERR_PTR(-EINVAL) for a shape the driver does not
 * build (see liommu_smmu_cdtab_init()), -ENOMEM.
 */
struct liommu_smmu_cdtab_test *liommu_smmu_test_cdtab_alloc(unsigned int bits,
							    bool two_level)
{
	struct liommu_smmu_cdtab_test *tt = kzalloc(sizeof(*tt), GFP_KERNEL);
	int err;

	if (!tt)
		return ERR_PTR(-ENOMEM);
	err = liommu_smmu_cdtab_init(&tt->t, bits, two_level);
	if (err) {
		kfree(tt);
		return ERR_PTR(err);
	}
	return tt;
}
LIOMMU_TEST_EXPORT(liommu_smmu_test_cdtab_alloc);

/**
 * liommu_smmu_test_cdtab_set() - write one CD of a test table
 * @tt: from liommu_smmu_test_cdtab_alloc()
 * @ssid: the SubstreamID
 * @domain: a stage-1 domain of this driver (its CD goes in), or NULL to
 *	make the CD invalid
 * @syncs: increased by the invalidation steps the entry writer took
 *
 * Return: 0; -EINVAL for a bad argument, an @ssid beyond the table, or a
 * domain that is not a stage-1 one of ours; -ENOMEM.
 */
int liommu_smmu_test_cdtab_set(struct liommu_smmu_cdtab_test *tt, u32 ssid,
			       struct liommu_domain *domain,
			       unsigned int *syncs)
{
	static const u64 invalid[LIOMMU_SMMU_CD_DWORDS];
	struct liommu_smmu_domain *d = NULL;
	bool new_l2;
	__le64 *cd;

	if (IS_ERR_OR_NULL(tt) || !syncs)
		return -EINVAL;
	if (domain) {
		d = smmu_domain_of(domain);
		if (!d || d->stage != 1)
			return -EINVAL;
	}
	if (ssid >> tt->t.bits)
		return -EINVAL;
	cd = liommu_smmu_cdtab_entry(&tt->t, ssid, true, &new_l2);
	if (!cd)
		return -ENOMEM;
	return liommu_smmu_cd_write(NULL, 0, ssid, cd, new_l2,
				    d ? d->cd : invalid, syncs);
}
LIOMMU_TEST_EXPORT(liommu_smmu_test_cdtab_set);

/**
 * liommu_smmu_test_cdtab_ste() - the stage-1 STE the driver builds over a table
 * @tt: from liommu_smmu_test_cdtab_alloc()
 * @s1dss: LIOMMU_SMMU_STE_1_S1DSS_* for untagged traffic
 * @ste: filled, CPU order
 */
void liommu_smmu_test_cdtab_ste(struct liommu_smmu_cdtab_test *tt,
				unsigned int s1dss, u64 ste[8])
{
	if (IS_ERR_OR_NULL(tt) || !ste)
		return;
	liommu_smmu_cdtab_ste(&tt->t, s1dss, ste);
}
LIOMMU_TEST_EXPORT(liommu_smmu_test_cdtab_ste);

/**
 * liommu_smmu_test_cdtab_free() - free a test table
 * @tt: from liommu_smmu_test_cdtab_alloc(), or an error pointer or NULL
 */
void liommu_smmu_test_cdtab_free(struct liommu_smmu_cdtab_test *tt)
{
	if (IS_ERR_OR_NULL(tt))
		return;
	liommu_smmu_cdtab_free(&tt->t);
	kfree(tt);
}
LIOMMU_TEST_EXPORT(liommu_smmu_test_cdtab_free);

/**
 * liommu_smmu_ids_in_use() - how many ASIDs and VMIDs an SMMU handed out
 * @index: SMMU index
 *
 * For leak checks.
 *
 * Return: the count; -ENOENT if there is no such enabled SMMU.
 */
int liommu_smmu_ids_in_use(unsigned int index)
{
	struct liommu_smmu_unit *unit = enabled_unit(index);

	if (!unit)
		return -ENOENT;
	return atomic_read(&unit->nr_ids);
}
LIOMMU_TEST_EXPORT(liommu_smmu_ids_in_use);
