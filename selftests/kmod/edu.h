/* SPDX-License-Identifier: GPL-2.0 */
/*
 * QEMU's edu PCI device as a DMA engine for tests.
 *
 * edu has a 4 KiB buffer at device address 0x40000 and a DMA engine that
 * copies between it and a bus address, one transfer at a time, started by
 * a register write and finished when the command's start bit clears
 * (QEMU runs it from a 100 ms timer).  Tests drive it with bus addresses
 * of their choosing: physical addresses with no translation, IOVAs once a
 * domain is attached.  The device has no driver; lt_edu_open() enables it
 * and bus mastering, lt_edu_close() undoes both.
 *
 * liommu's patched QEMU (qemu/README.md) gives edu a PASID capability
 * (device property pasid=on): then a transfer can carry a PASID and goes
 * through the IOMMU's translation for that PASID, and the device says in
 * a register why a transfer moved nothing.  lt_edu_close() turns PASID
 * Enable off again.
 */
#ifndef _LIOMMU_SELFTEST_EDU_H
#define _LIOMMU_SELFTEST_EDU_H

#include <linux/types.h>

struct pci_dev;

#define LT_EDU_VENDOR		0x1234
#define LT_EDU_DEVICE		0x11e8
#define LT_EDU_BUF_SIZE		0x1000

struct lt_edu {
	struct pci_dev *pdev;
	void __iomem *bar;
};

/* Why the last transfer moved nothing (or not all), lt_edu_dma_error(). */
#define LT_EDU_DMA_ERR_MASTER		0x01	/* bus mastering off */
#define LT_EDU_DMA_ERR_PASID_OFF	0x02	/* PASID Enable off */
#define LT_EDU_DMA_ERR_WIDTH		0x04	/* PASID beyond the width */
#define LT_EDU_DMA_ERR_NO_IOMMU		0x08	/* no IOMMU for PASID DMA */
#define LT_EDU_DMA_ERR_MEMTX		0x10	/* the transaction failed */

int lt_edu_open(u8 bus, u8 devfn, struct lt_edu *edu);
void lt_edu_close(struct lt_edu *edu);
/* Copy @len bytes from bus address @addr into the edu buffer at @off. */
int lt_edu_dma_from_ram(struct lt_edu *edu, u64 addr, u32 off, u32 len);
/* Copy @len bytes from the edu buffer at @off to bus address @addr. */
int lt_edu_dma_to_ram(struct lt_edu *edu, u64 addr, u32 off, u32 len);

/* The PASID width of edu's PASID capability; -ENODEV: it has none. */
int lt_edu_pasid_width(struct lt_edu *edu);
/* Set or clear PASID Enable; the value read back, or -ENODEV. */
int lt_edu_pasid_enable(struct lt_edu *edu, bool on);
/* The same transfers tagged with @pasid (any 32-bit value: edu checks it). */
int lt_edu_pasid_dma_from_ram(struct lt_edu *edu, u32 pasid, u64 addr,
			      u32 off, u32 len);
int lt_edu_pasid_dma_to_ram(struct lt_edu *edu, u32 pasid, u64 addr,
			    u32 off, u32 len);
/* LT_EDU_DMA_ERR_* of the last transfer (PASID-capable edu only). */
u32 lt_edu_dma_error(struct lt_edu *edu);

#endif /* _LIOMMU_SELFTEST_EDU_H */
