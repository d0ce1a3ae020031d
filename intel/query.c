// SPDX-License-Identifier: GPL-2.0
/*
 * Read-only queries of the units liommu_intel.ko found (include/liommu/vtd.h).
 *
 * The unit table is published once at the end of module init and is
 * immutable until module exit; callers hold a reference on this module
 * through the symbol dependency, so no lock is needed.
 */
#include <linux/io.h>
#include <linux/errno.h>
#include <linux/string.h>

#include <liommu/compat.h>
#include "regs.h"
#include "tables.h"
#include "vtd.h"

static struct liommu_vtd_dmar *published;

void liommu_vtd_query_publish(struct liommu_vtd_dmar *dmar)
{
	published = dmar;
}

static struct liommu_vtd_unit *unit_at(unsigned int index)
{
	if (!published || index >= published->nr_units)
		return NULL;
	return &published->units[index];
}

/**
 * liommu_vtd_nr_units() - number of VT-d units the driver found
 *
 * Context: any.
 * Return: the number of DRHD units, 0 before the driver has loaded them.
 */
unsigned int liommu_vtd_nr_units(void)
{
	return published ? published->nr_units : 0;
}
LIOMMU_EXPORT(liommu_vtd_nr_units);

/**
 * liommu_vtd_get_unit_info() - what the driver decoded of one unit
 * @index: unit index, 0 to liommu_vtd_nr_units() - 1
 * @info: filled on success
 *
 * Context: any.
 * Return: 0; -EINVAL if @info is NULL; -ENOENT if there is no such unit.
 */
int liommu_vtd_get_unit_info(unsigned int index,
			     struct liommu_vtd_unit_info *info)
{
	const struct liommu_vtd_unit *unit = unit_at(index);

	if (!info)
		return -EINVAL;
	if (!unit)
		return -ENOENT;
	*info = (struct liommu_vtd_unit_info){
		.index = unit->index,
		.base = unit->base,
		.reg_size = unit->reg_size,
		.segment = unit->segment,
		.include_all = unit->include_all,
		.haw = published->haw,
		.nr_scope = unit->nr_scope,
		.ver = unit->ver,
		.cap = unit->cap,
		.ecap = unit->ecap,
		.gsts = unit->gsts,
		.caps = unit->caps,
	};
	return 0;
}
LIOMMU_EXPORT(liommu_vtd_get_unit_info);

/**
 * liommu_vtd_get_scope() - one device scope entry of a unit
 * @index: unit index
 * @entry: scope entry, 0 to the unit's nr_scope - 1
 * @scope: filled on success
 *
 * Context: any.
 * Return: 0; -EINVAL if @scope is NULL; -ENOENT if there is no such unit
 * or entry.
 */
int liommu_vtd_get_scope(unsigned int index, unsigned int entry,
			 struct liommu_vtd_scope *scope)
{
	const struct liommu_vtd_unit *unit = unit_at(index);

	if (!scope)
		return -EINVAL;
	if (!unit || entry >= unit->nr_scope)
		return -ENOENT;
	*scope = unit->scope[entry];
	return 0;
}
LIOMMU_EXPORT(liommu_vtd_get_scope);

/**
 * liommu_vtd_read_gsts() - read a unit's global status register now
 * @index: unit index
 * @gsts: the live GSTS value on success
 *
 * Context: any.
 * Return: 0; -EINVAL if @gsts is NULL; -ENOENT if there is no such unit.
 */
int liommu_vtd_read_gsts(unsigned int index, u32 *gsts)
{
	const struct liommu_vtd_unit *unit = unit_at(index);

	if (!gsts)
		return -EINVAL;
	if (!unit || !unit->regs)
		return -ENOENT;
	*gsts = readl(unit->regs + LIOMMU_VTD_REG_GSTS);
	return 0;
}
LIOMMU_EXPORT(liommu_vtd_read_gsts);

/**
 * liommu_vtd_read_dev_entries() - read the live entries of one requester
 * @index: unit index
 * @bus: bus number
 * @devfn: device and function
 * @entries: filled on success: RTADDR now, and the root, context and (in
 *	scalable mode) PASID directory and PASID table entries the unit
 *	walks for untranslated requests of @bus:@devfn
 *
 * Entries change under the unit's entry lock, which the read takes.
 *
 * Context: process.
 * Return: 0; -EINVAL if @entries is NULL; -ENOENT if there is no such
 * unit or it has no tables; -ERANGE if the context entry's RID_PASID lies
 * outside its PASID directory.
 */
int liommu_vtd_read_dev_entries(unsigned int index, u8 bus, u8 devfn,
				struct liommu_vtd_dev_entries *entries)
{
	struct liommu_vtd_unit *unit = unit_at(index);
	int err;

	if (!entries)
		return -EINVAL;
	if (!unit || !unit->regs)
		return -ENOENT;
	mutex_lock(&unit->entry_lock);
	err = liommu_vtd_read_entries(unit, bus, devfn, entries);
	mutex_unlock(&unit->entry_lock);
	return err;
}
LIOMMU_EXPORT(liommu_vtd_read_dev_entries);

/**
 * liommu_vtd_read_pasid_entry() - read the PASID table entry of one PASID
 * @index: unit index
 * @bus: bus number
 * @devfn: device and function
 * @pasid: the PASID
 * @words: filled with the entry's LIOMMU_VTD_PASID_WORDS words, CPU order
 *
 * Context: process (takes the unit's entry lock).
 * Return: 0; -EINVAL if @words is NULL; -ENOENT if there is no such unit,
 * or no directory entry or PASID table covers @pasid (an entry that
 * exists but is not present reads as words with P clear); -ERANGE for a
 * legacy-mode unit or a PASID beyond its width; -ENODEV if the requester
 * has no context entry.
 */
int liommu_vtd_read_pasid_entry(unsigned int index, u8 bus, u8 devfn,
				u32 pasid, u64 *words)
{
	struct liommu_vtd_unit *unit = unit_at(index);
	unsigned int i;
	__le64 *e;

	if (!words)
		return -EINVAL;
	if (!unit || !unit->root)
		return -ENOENT;
	mutex_lock(&unit->entry_lock);
	e = liommu_vtd_pasid_entry(unit, bus, devfn, pasid, false);
	if (!IS_ERR(e))
		for (i = 0; i < LIOMMU_VTD_PASID_WORDS; i++)
			words[i] = le64_to_cpu(READ_ONCE(e[i]));
	mutex_unlock(&unit->entry_lock);
	return PTR_ERR_OR_ZERO(e);
}
LIOMMU_EXPORT(liommu_vtd_read_pasid_entry);

/**
 * liommu_vtd_qi_sync() - wait until a unit's invalidation queue is done
 * @index: unit index
 *
 * Queues an invalidation-wait descriptor with a status write and polls
 * for it.
 *
 * Context: process or atomic; spins up to a second.
 * Return: 0; -ENOENT if there is no such unit or the driver did not take
 * it; -EIO if the unit reported an invalidation queue error (decoded in
 * the log); -ETIMEDOUT.
 */
int liommu_vtd_qi_sync(unsigned int index)
{
	struct liommu_vtd_unit *unit = unit_at(index);

	if (!unit || !unit->enabled)
		return -ENOENT;
	return liommu_vtd_qi_sync_unit(unit);
}
LIOMMU_EXPORT(liommu_vtd_qi_sync);

/**
 * liommu_vtd_qi_submit() - queue raw invalidation descriptors and wait
 * @index: unit index
 * @words: @n descriptors of four CPU-order 64-bit words each (VT-d spec
 *	6.5.2); in a 128-bit queue (legacy mode) words 2 and 3 are ignored
 * @n: number of descriptors, 1 to 8
 *
 * For diagnostics and tests: the driver appends an invalidation wait and
 * polls it.  A descriptor the unit rejects (FSTS.IQE) is reported in the
 * log, replaced, and the queue restarted, so the unit stays usable.
 *
 * Context: process or atomic; spins up to a second.
 * Return: 0; -EINVAL for a bad @words or @n; -ENOENT if there is no such
 * unit or the driver did not take it; -EIO if the unit reported an
 * invalidation error; -ETIMEDOUT.
 */
int liommu_vtd_qi_submit(unsigned int index, const u64 *words, unsigned int n)
{
	struct liommu_vtd_unit *unit = unit_at(index);

	if (!unit || !unit->enabled)
		return -ENOENT;
	return liommu_vtd_qi_submit_words(unit, words, n);
}
LIOMMU_TEST_EXPORT(liommu_vtd_qi_submit);

/**
 * liommu_vtd_read_qi() - read back the invalidation descriptors a unit ran
 * @index: unit index
 * @since: a count *@issued returned earlier (0: from the start)
 * @out: the descriptors issued after @since, oldest first, four CPU-order
 *	words each (words 2 and 3 are 0 in a legacy 128-bit queue), read
 *	from the queue memory the unit consumed; waits are left out
 * @max: entries of @out
 * @issued: set to the count of (non-wait) descriptors the unit was given
 *	so far: pass it as @since later to see what happened in between
 *
 * The queue is one page: only the newest descriptors survive in it, so
 * keep the window between two reads short.
 *
 * Return: the number of descriptors in @out; -ENOENT if there is no such
 * unit or the driver did not take it; -EINVAL for a NULL @issued, or a
 * NULL @out with a non-zero @max.
 */
int liommu_vtd_read_qi(unsigned int index, u64 since, u64 (*out)[4],
		       unsigned int max, u64 *issued)
{
	struct liommu_vtd_unit *unit = unit_at(index);

	if (!issued || (!out && max))
		return -EINVAL;
	if (!unit || !unit->enabled)
		return -ENOENT;
	return liommu_vtd_qi_read_back(unit, since, out, max, issued);
}
LIOMMU_EXPORT(liommu_vtd_read_qi);

/**
 * liommu_vtd_read_faults() - poll a unit's faults and take the newest
 * @index: unit index
 * @out: filled with up to @max faults, oldest first
 * @max: entries of @out
 *
 * Reads every pending fault recording register into the unit's log
 * (clearing each record's F bit and FSTS.PFO), then moves up to @max of
 * the logged faults to @out; they leave the log.  @max 0 just polls and
 * drops the log.
 *
 * Context: any; takes the unit's fault spinlock.
 * Return: the number of faults copied; -EINVAL for a NULL @out with
 * @max; -ENOENT if there is no such unit or the driver did not take it.
 */
int liommu_vtd_read_faults(unsigned int index, struct liommu_vtd_fault *out,
			   unsigned int max)
{
	struct liommu_vtd_unit *unit = unit_at(index);
	unsigned long flags;
	unsigned int n;

	if (max && !out)
		return -EINVAL;
	if (!unit || !unit->enabled)
		return -ENOENT;
	liommu_vtd_fault_poll(unit);
	spin_lock_irqsave(&unit->fault_lock, flags);
	n = min(max, unit->nr_faults);
	memcpy(out, unit->faults + unit->nr_faults - n, n * sizeof(*out));
	unit->nr_faults = 0;
	spin_unlock_irqrestore(&unit->fault_lock, flags);
	return n;
}
LIOMMU_EXPORT(liommu_vtd_read_faults);

/**
 * liommu_vtd_read_fsts() - read a unit's fault status register now
 * @index: unit index
 * @fsts: the live FSTS value on success
 *
 * Context: any.
 * Return: 0; -EINVAL if @fsts is NULL; -ENOENT if there is no such unit.
 */
int liommu_vtd_read_fsts(unsigned int index, u32 *fsts)
{
	const struct liommu_vtd_unit *unit = unit_at(index);

	if (!fsts)
		return -EINVAL;
	if (!unit || !unit->regs)
		return -ENOENT;
	*fsts = readl(unit->regs + LIOMMU_VTD_REG_FSTS);
	return 0;
}
LIOMMU_EXPORT(liommu_vtd_read_fsts);

/**
 * liommu_vtd_test_entry_write() - run the entry writer on a test buffer
 * @index: unit whose cache-flush rule applies
 * @live: an entry-sized buffer of the caller's (never a live table)
 * @target: the complete new entry
 * @words: 2, 4 or 8 (128-, 256- or 512-bit entries)
 *
 * For self-tests of the writer, with liommu_vtd_set_entry_observer().
 *
 * Context: process.
 * Return: what the writer returns (0, -EBUSY), -EINVAL for bad
 * arguments, -ENOENT if there is no such unit.
 */
int liommu_vtd_test_entry_write(unsigned int index, __le64 *live,
				const __le64 *target, unsigned int words)
{
	struct liommu_vtd_unit *unit = unit_at(index);

	if (!live || !target || (words != 2 && words != 4 && words != 8))
		return -EINVAL;
	if (!unit)
		return -ENOENT;
	return liommu_vtd_entry_write(unit, live, target, words);
}
LIOMMU_TEST_EXPORT(liommu_vtd_test_entry_write);

/**
 * liommu_vtd_test_entry_clear() - run the entry clearer on a test buffer
 * @index: unit whose cache-flush rule applies
 * @live: an entry-sized buffer of the caller's (never a live table)
 * @words: 2, 4 or 8
 *
 * Context: process.
 * Return: 0, -EINVAL for bad arguments, -ENOENT if there is no such unit.
 */
int liommu_vtd_test_entry_clear(unsigned int index, __le64 *live,
				unsigned int words)
{
	struct liommu_vtd_unit *unit = unit_at(index);

	if (!live || (words != 2 && words != 4 && words != 8))
		return -EINVAL;
	if (!unit)
		return -ENOENT;
	liommu_vtd_entry_clear(unit, live, words);
	return 0;
}
LIOMMU_TEST_EXPORT(liommu_vtd_test_entry_clear);

/**
 * liommu_vtd_test_nested_entry() - build a nested PASID entry, for self-tests
 * @ecap: the ECAP of the unit to build for (SRS, EAFS matter)
 * @fl5: CAP.FL5LP of that unit
 * @ss_root: the parent's second-stage root
 * @aw: the parent's AW
 * @did: the nested domain's id
 * @s1: the user's first stage
 * @out: the entry, eight CPU-order words
 *
 * The driver's own builder (intel/nested.c) with caller-chosen unit
 * capabilities: QEMU's unit has no ECAP.NEST, so tests compare what it
 * builds with golden entries from the specification.
 *
 * Return: as the builder: 0, -EINVAL, -EOPNOTSUPP; -EINVAL for NULL.
 */
int liommu_vtd_test_nested_entry(u64 ecap, bool fl5, u64 ss_root, u8 aw,
				 u16 did, const struct liommu_hwpt_vtd_s1 *s1,
				 u64 out[8])
{
	if (!s1 || !out)
		return -EINVAL;
	return liommu_vtd_nested_entry(ecap, fl5, ss_root, aw, did, s1, out);
}
LIOMMU_TEST_EXPORT(liommu_vtd_test_nested_entry);

/**
 * liommu_vtd_test_nested_inv() - build a user invalidation's descriptor
 * @did: the nested domain's id
 * @pasid: its PASID
 * @inv: the user's entry
 * @max_am: CAP.MAMV of the unit to build for
 * @out: the descriptor, four CPU-order words
 *
 * Return: as liommu_vtd_nested_inv(); -EINVAL for NULL.
 */
int liommu_vtd_test_nested_inv(u16 did, u32 pasid,
			       const struct liommu_hwpt_vtd_s1_invalidate *inv,
			       unsigned int max_am, u64 out[4])
{
	if (!inv || !out)
		return -EINVAL;
	return liommu_vtd_nested_inv(did, pasid, inv, max_am, out);
}
LIOMMU_TEST_EXPORT(liommu_vtd_test_nested_inv);

/**
 * liommu_vtd_dids_in_use() - how many domain ids a unit has handed out
 * @index: unit index
 *
 * For leak checks: domain id 0 and the identity default's count too.
 *
 * Return: the count; -ENOENT if there is no such unit or the driver did
 * not take it.
 */
int liommu_vtd_dids_in_use(unsigned int index)
{
	struct liommu_vtd_unit *unit = unit_at(index);
	int n;

	if (!unit || !unit->enabled || !unit->did_map)
		return -ENOENT;
	spin_lock(&unit->did_lock);
	n = bitmap_weight(unit->did_map, unit->caps.nr_domain_ids);
	spin_unlock(&unit->did_lock);
	return n;
}
LIOMMU_TEST_EXPORT(liommu_vtd_dids_in_use);
