/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tables of little-endian 64-bit entries, the hardware formats' load and
 * store: one whole entry at a time, so a walker sees it old or new; and
 * the compare-and-exchange that hooks a new table.
 */
#ifndef _LIOMMU_PT_LE64_H
#define _LIOMMU_PT_LE64_H

#include <linux/compiler.h>
#include <linux/atomic.h>
#include <linux/types.h>
#include <asm/byteorder.h>

static inline u64 liommu_pt_le64_load(const void *table, unsigned int idx)
{
	return le64_to_cpu(READ_ONCE(((const __le64 *)table)[idx]));
}

static inline void liommu_pt_le64_store(void *table, unsigned int idx, u64 e)
{
	WRITE_ONCE(((__le64 *)table)[idx], cpu_to_le64(e));
}

/*
 * Store @e in place of @old, atomically; false when the entry was no
 * longer @old (another walk hooked a table there first).
 */
static inline bool liommu_pt_le64_cmpxchg(void *table, unsigned int idx,
					  u64 old, u64 e)
{
	u64 *p = (__force u64 *)((__le64 *)table + idx);
	u64 o = (__force u64)cpu_to_le64(old);

	return cmpxchg64(p, o, (__force u64)cpu_to_le64(e)) == o;
}

#endif /* _LIOMMU_PT_LE64_H */
