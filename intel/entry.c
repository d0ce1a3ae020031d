// SPDX-License-Identifier: GPL-2.0
/*
 * The one way a VT-d table entry changes: the entry writer.
 *
 * The unit may fetch an entry at any moment, so it must never see one
 * half-written.  Every entry kind (root, context, PASID directory, PASID
 * table) has its Present bit in bit 0 of word 0, so the writer takes a
 * fully built target and:
 *   not present -> present: writes words 1..n-1, dma_wmb(), then word 0
 *	with WRITE_ONCE();
 *   present -> not present: clears word 0 first, then the rest;
 *   present -> a different present entry: refused (-EBUSY).  The caller
 *	clears the entry, invalidates the caches that may hold it, then
 *	writes the new one: nothing is edited field by field while live.
 * A unit that does not snoop CPU caches (ECAP.C = 0, as QEMU reports) then
 * gets the written lines flushed to memory.
 *
 * The scalable-mode root entry has a present bit in each of its words
 * (lower and upper context table); its callers write it as two one-word
 * entries.
 */
#include <linux/compiler.h>
#include <linux/errno.h>
#include <asm/barrier.h>
#include <asm/cacheflush.h>

#include <liommu/compat.h>
#include "regs.h"
#include "vtd.h"

/* Bit 0 of word 0: the Present bit of every entry kind (chapter 9). */
#define ENTRY_0_P	BIT_ULL(0)

/*
 * Self-test hook: when set, called after every store the writer makes, so
 * that a test can record each state the unit could fetch (STYLE rule 10).
 * Set and cleared only by liommu_vtd_set_entry_observer(), while no other
 * entry changes.
 */
static liommu_vtd_entry_observer_t entry_observer;
static void *entry_observer_data;

static void entry_observe(const __le64 *live, unsigned int words)
{
	liommu_vtd_entry_observer_t fn = READ_ONCE(entry_observer);

	if (fn)
		fn(live, words, entry_observer_data);
}

/**
 * liommu_vtd_set_entry_observer() - watch every store of the entry writer
 * @fn: called with the entry after each store, or NULL to stop
 * @data: passed to @fn
 *
 * For self-tests only: they record the states the hardware could see and
 * check that each is the old entry, the new one, or not present.
 *
 * Context: process; no entry may change concurrently.
 */
void liommu_vtd_set_entry_observer(liommu_vtd_entry_observer_t fn, void *data)
{
	WRITE_ONCE(entry_observer_data, data);
	WRITE_ONCE(entry_observer, fn);
}
LIOMMU_TEST_EXPORT(liommu_vtd_set_entry_observer);

/**
 * liommu_vtd_flush_cpu() - make CPU writes visible to a non-snooping unit
 * @unit: the unit that reads the memory
 * @p: start of the written memory
 * @size: bytes
 */
void liommu_vtd_flush_cpu(const struct liommu_vtd_unit *unit, void *p,
			  size_t size)
{
	if (!(unit->ecap & LIOMMU_VTD_ECAP_C))
		clflush_cache_range(p, size);
}

static bool entry_present(const __le64 *e)
{
	return le64_to_cpu(READ_ONCE(e[0])) & ENTRY_0_P;
}

/**
 * liommu_vtd_entry_write() - install a fully built entry
 * @unit: the unit that reads the entry
 * @live: the entry in its table
 * @target: the complete new value
 * @words: 64-bit words of the entry kind
 *
 * Return: 0; -EBUSY if @live is present and differs from @target.
 */
int liommu_vtd_entry_write(const struct liommu_vtd_unit *unit, __le64 *live,
			   const __le64 *target, unsigned int words)
{
	unsigned int i;

	if (entry_present(live)) {
		for (i = 0; i < words; i++)
			if (READ_ONCE(live[i]) != target[i])
				return -EBUSY;
		return 0;
	}
	for (i = 1; i < words; i++) {
		WRITE_ONCE(live[i], target[i]);
		entry_observe(live, words);
	}
	dma_wmb();
	WRITE_ONCE(live[0], target[0]);
	liommu_vtd_flush_cpu(unit, live, words * sizeof(*live));
	entry_observe(live, words);
	return 0;
}

/**
 * liommu_vtd_entry_clear() - make an entry not present, then zero it
 * @unit: the unit that reads the entry
 * @live: the entry in its table
 * @words: 64-bit words of the entry kind
 *
 * The caller invalidates whatever cache may hold the old entry.
 */
void liommu_vtd_entry_clear(const struct liommu_vtd_unit *unit, __le64 *live,
			    unsigned int words)
{
	unsigned int i;

	WRITE_ONCE(live[0], 0);
	liommu_vtd_flush_cpu(unit, live, sizeof(*live));
	entry_observe(live, words);
	dma_wmb();
	for (i = 1; i < words; i++) {
		WRITE_ONCE(live[i], 0);
		entry_observe(live, words);
	}
	liommu_vtd_flush_cpu(unit, live, words * sizeof(*live));
}
