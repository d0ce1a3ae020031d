// SPDX-License-Identifier: GPL-2.0
/*
 * The entry writer: one way to change a live STE or CD so that the SMMU,
 * which may fetch the words of an entry in any order and at any time,
 * never acts on a mix of old and new in the bits it reads.
 *
 * The new entry is built whole in a local copy.  The kind of entry says
 * which bits a given value makes the SMMU read (its "used" bits: an
 * invalid entry only V; a bypass STE a few attribute fields; a stage-1
 * STE the context pointer and its attributes; a CD everything but TTB1
 * when EPD1 is set).  Then:
 *  - invalid to valid: every word but word 0, sync, then word 0, sync;
 *  - valid to invalid: word 0 (V=0), sync, then the rest (unread);
 *  - valid to valid: first the bits the current entry does not read
 *    (sync); then, if a single word still differs in bits the new entry
 *    reads, that word alone with one 64-bit store (hitless: the SMMU
 *    sees old or new), then the rest, which only the old entry read
 *    (sync); otherwise break before make: V=0 (sync), the other words
 *    (sync), word 0 (sync).  So bypass, abort and stage 1 switch among
 *    each other hitlessly (Config and the pointer share word 0), and a
 *    CD whose ASID and TTB0 both change breaks before make.
 * A sync is the entry kind's invalidation (CMD_CFGI_STE or CMD_CFGI_CD)
 * followed by CMD_SYNC; dma_wmb() orders the stores before it.  A step
 * that changed no word issues no sync.
 *
 * For self-tests, an observer sees the live entry at every sync: each
 * state the SMMU could have fetched (liommu_smmu_set_entry_observer()).
 *
 * Locking: callers serialise writes to one entry (the unit's ste_lock for
 * STEs and for the CDs of a device's table); the observer pointer is set
 * by the self-test module alone, between its cases.
 */
#define pr_fmt(fmt) "liommu-smmuv3: " fmt

#include <linux/io.h>
#include <linux/string.h>
#include <liommu/compat.h>

#include "cd.h"
#include "smmuv3.h"

static liommu_smmu_entry_observer_t writer_observer;
static void *writer_observer_data;

/**
 * liommu_smmu_set_entry_observer() - watch every synced state of live entries
 * @fn: called with each STE or CD as the SMMU may see it, right before
 *	the invalidation that makes it visible; NULL to stop
 * @data: passed to @fn
 *
 * For self-tests that check each intermediate state of a real update.
 */
void liommu_smmu_set_entry_observer(liommu_smmu_entry_observer_t fn,
				    void *data)
{
	WRITE_ONCE(writer_observer_data, data);
	WRITE_ONCE(writer_observer, fn);
}
LIOMMU_TEST_EXPORT(liommu_smmu_set_entry_observer);

static int writer_sync(struct liommu_smmu_writer *w)
{
	liommu_smmu_entry_observer_t fn = READ_ONCE(writer_observer);

	if (fn)
		fn(w->live, w->is_cd, READ_ONCE(writer_observer_data));
	w->syncs++;
	return w->sync(w);
}

/* Store words [@from, @to) of @val into the live entry; true if any changed. */
static bool writer_store(struct liommu_smmu_writer *w, const u64 *val,
			 unsigned int from, unsigned int to)
{
	bool changed = false;
	unsigned int i;

	for (i = from; i < to; i++) {
		if (le64_to_cpu(w->live[i]) == val[i])
			continue;
		WRITE_ONCE(w->live[i], cpu_to_le64(val[i]));
		changed = true;
	}
	/* The stores reach memory before the command that follows. */
	dma_wmb();
	return changed;
}

/* Store and, if anything changed, sync. */
static int writer_step(struct liommu_smmu_writer *w, const u64 *val,
		       unsigned int from, unsigned int to)
{
	return writer_store(w, val, from, to) ? writer_sync(w) : 0;
}

/**
 * liommu_smmu_entry_write() - change a live STE or CD without exposing a mix
 * @w: the live entry, its V bit in word 0 (@w->valid: bit 0 of an STE,
 *	bit 31 of a CD), its kind's used() and sync(); @w->syncs counts
 * @target: the new entry, built whole, CPU order, LIOMMU_SMMU_ENTRY_DWORDS
 *	words (STEs and CDs are both 64 bytes)
 *
 * Return: 0, or the first error of @w->sync() (the entry may then be
 * invalid: the caller reports it).
 */
int liommu_smmu_entry_write(struct liommu_smmu_writer *w, const u64 *target)
{
	u64 cur[LIOMMU_SMMU_ENTRY_DWORDS], used[LIOMMU_SMMU_ENTRY_DWORDS];
	u64 step[LIOMMU_SMMU_ENTRY_DWORDS];
	unsigned int i, nr_diff = 0, last_diff = 0;
	int err;

	for (i = 0; i < LIOMMU_SMMU_ENTRY_DWORDS; i++)
		cur[i] = le64_to_cpu(w->live[i]);

	if (!(cur[0] & w->valid)) {
		/* Invalid to anything: the SMMU reads nothing but V. */
		err = writer_step(w, target, 1, LIOMMU_SMMU_ENTRY_DWORDS);
		return err ?: writer_step(w, target, 0, 1);
	}
	if (!(target[0] & w->valid)) {
		/* Valid to invalid: V off first, then the unread rest. */
		err = writer_step(w, target, 0, 1);
		if (!err)
			writer_store(w, target, 1, LIOMMU_SMMU_ENTRY_DWORDS);
		return err;
	}

	/* Valid to valid: first what the current entry does not read. */
	w->used(cur, used);
	for (i = 0; i < LIOMMU_SMMU_ENTRY_DWORDS; i++)
		step[i] = (cur[i] & used[i]) | (target[i] & ~used[i]);
	err = writer_step(w, step, 0, LIOMMU_SMMU_ENTRY_DWORDS);
	if (err)
		return err;
	/* Words that still differ in a bit the new entry reads. */
	w->used(target, used);
	for (i = 0; i < LIOMMU_SMMU_ENTRY_DWORDS; i++) {
		if ((step[i] ^ target[i]) & used[i]) {
			nr_diff++;
			last_diff = i;
		}
	}
	if (nr_diff == 1) {
		/*
		 * Hitless: one 64-bit store switches old to new; then the
		 * bits only the old entry read, unread from now on.
		 */
		err = writer_step(w, target, last_diff, last_diff + 1);
		return err ?: writer_step(w, target, 0,
					  LIOMMU_SMMU_ENTRY_DWORDS);
	}
	if (!nr_diff)
		return writer_step(w, target, 0, LIOMMU_SMMU_ENTRY_DWORDS);
	/* Break before make. */
	step[0] &= ~w->valid;
	err = writer_step(w, step, 0, 1);
	if (!err)
		err = writer_step(w, target, 1, LIOMMU_SMMU_ENTRY_DWORDS);
	return err ?: writer_step(w, target, 0, 1);
}
