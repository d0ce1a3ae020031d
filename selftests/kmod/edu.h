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

int lt_edu_open(u8 bus, u8 devfn, struct lt_edu *edu);
void lt_edu_close(struct lt_edu *edu);
/* Copy @len bytes from bus address @addr into the edu buffer at @off. */
int lt_edu_dma_from_ram(struct lt_edu *edu, u64 addr, u32 off, u32 len);
/* Copy @len bytes from the edu buffer at @off to bus address @addr. */
int lt_edu_dma_to_ram(struct lt_edu *edu, u64 addr, u32 off, u32 len);

#endif /* _LIOMMU_SELFTEST_EDU_H */
