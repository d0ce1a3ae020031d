/* SPDX-License-Identifier: GPL-2.0 */
/*
 * liommu_svatest.ko: the test interface that lets a guest program bind
 * an edu engine to its own address space (SVA) and drive PASID-tagged
 * DMA at its own virtual addresses.  Shared by the module (svatest.c) and
 * the program (selftests/sva/sva_user.c); test use only.
 *
 * /dev/liommu_svatest, one binding per (open file, edu, mm):
 *  LSVA_BIND: enable LIOMMU_DEV_FEAT_SVA and IOPF on edu @edu and bind it
 *	to the caller's mm; @pasid returns the mm's PASID.
 *  LSVA_UNBIND: drop the caller's binding of edu @edu.
 *  LSVA_DMA: one PASID-tagged transfer between edu's buffer at @off and
 *	the virtual address @addr, with @pasid (the caller's, or any
 *	other to prove isolation); @error returns edu's error bits
 *	(LSVA_ERR_MEMTX: the IOMMU faulted it) and @faults the SVA faults
 *	handled during and right after it.
 *  LSVA_STATS: the core's counters that the program checks.
 * Closing the file unbinds whatever it still holds.
 */
#ifndef _LIOMMU_SVATEST_H
#define _LIOMMU_SVATEST_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define LSVA_DEV		"/dev/liommu_svatest"
#define LSVA_ERR_MEMTX		0x10

struct lsva_bind {
	__u32 edu;
	__u32 pasid;
};

struct lsva_dma {
	__u32 edu;
	__u32 to_ram;		/* 1: edu's buffer to @addr, 0: @addr to buffer */
	__u64 addr;
	__u32 off;
	__u32 len;
	__u32 pasid;
	__u32 error;		/* out */
	__u64 faults;		/* out: SVA faults handled */
	__u64 fault_ok;		/* out: of which resolved */
};

struct lsva_stats {
	__s64 live_mms;		/* bound address spaces */
	__s64 kept_mms;		/* nothing bound, PASID kept */
	__u64 sva_faults;	/* faults the SVA handler saw */
	__u64 sva_fault_ok;	/* of which it resolved */
	__u64 unhandled;	/* edu 0's unit: faults without a handler */
	__u32 last_pasid;	/* PASID of the last SVA fault */
	__u32 last_perm;	/* its access (LIOMMU_FAULT_PERM_*) */
	__u64 last_addr;	/* its address */
};

#define LSVA_BIND	_IOWR('L', 0x51, struct lsva_bind)
#define LSVA_UNBIND	_IOW('L', 0x52, __u32)
#define LSVA_DMA	_IOWR('L', 0x53, struct lsva_dma)
#define LSVA_STATS	_IOR('L', 0x54, struct lsva_stats)

#endif /* _LIOMMU_SVATEST_H */
