// SPDX-License-Identifier: GPL-2.0
/*
 * Driving QEMU's edu device from in-kernel tests (see edu.h).
 *
 * Register facts from QEMU's hw/misc/edu.c: BAR0 holds an identification
 * register at 0x00 and the DMA registers at 0x80 (source), 0x88
 * (destination), 0x90 (count) and 0x98 (command: bit 0 start, bit 1
 * direction, 1 = buffer to RAM, bit 2 raise an interrupt when done).
 * The 64-bit DMA registers take their value from one access: a 32-bit
 * write sets the whole register, so they are written with writeq (both
 * targets are 64-bit).
 *
 * liommu's patched edu (pasid=on, qemu/patches/) adds a PASID extended
 * capability at 0x100, the PASID of the next transfer at 0xa0, the
 * error status of the last transfer at 0xa8, and command bit 3, which
 * tags the transfer with that PASID.
 */
#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/pci.h>

#include "edu.h"

#define EDU_REG_ID		0x00
#define EDU_REG_DMA_SRC		0x80
#define EDU_REG_DMA_DST		0x88
#define EDU_REG_DMA_COUNT	0x90
#define EDU_REG_DMA_CMD		0x98
#define EDU_DMA_START		BIT(0)
#define EDU_DMA_TO_RAM		BIT(1)
#define EDU_DMA_PASID		BIT(3)
#define EDU_REG_PASID		0xa0
#define EDU_REG_DMA_ERROR	0xa8
/* Max PASID Width in the PASID capability register (6.1 has no name for it). */
#define PASID_CAP_WIDTH		GENMASK(12, 8)
#define EDU_ID_MAGIC_MASK	0xff
#define EDU_ID_MAGIC		0xed
#define EDU_BUF_ADDR		0x40000
/* One transfer takes about 110 ms of wall time under TCG. */
#define EDU_DMA_TIMEOUT_MS	3000

int lt_edu_open(u8 bus, u8 devfn, struct lt_edu *edu)
{
	struct pci_dev *pdev;
	int err;

	*edu = (struct lt_edu){};
	pdev = pci_get_domain_bus_and_slot(0, bus, devfn);
	if (!pdev)
		return -ENODEV;
	if (pdev->vendor != LT_EDU_VENDOR || pdev->device != LT_EDU_DEVICE) {
		err = -ENODEV;
		goto err_put;
	}
	if (pdev->dev.driver) {
		err = -EBUSY;
		goto err_put;
	}
	err = pci_enable_device_mem(pdev);
	if (err)
		goto err_put;
	edu->bar = pci_iomap(pdev, 0, 0);
	if (!edu->bar) {
		err = -ENOMEM;
		goto err_disable;
	}
	if ((readl(edu->bar + EDU_REG_ID) & EDU_ID_MAGIC_MASK) != EDU_ID_MAGIC) {
		err = -ENODEV;
		goto err_unmap;
	}
	pci_set_master(pdev);
	edu->pdev = pdev;
	return 0;

err_unmap:
	pci_iounmap(pdev, edu->bar);
	edu->bar = NULL;
err_disable:
	pci_disable_device(pdev);
err_put:
	pci_dev_put(pdev);
	return err;
}

void lt_edu_close(struct lt_edu *edu)
{
	if (!edu->pdev)
		return;
	if (lt_edu_pasid_width(edu) > 0)
		lt_edu_pasid_enable(edu, false);
	pci_clear_master(edu->pdev);
	pci_iounmap(edu->pdev, edu->bar);
	pci_disable_device(edu->pdev);
	pci_dev_put(edu->pdev);
	*edu = (struct lt_edu){};
}

/* One transfer; @cmd holds the direction and PASID bits. */
static int edu_dma(struct lt_edu *edu, u64 src, u64 dst, u32 len, u32 cmd)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(EDU_DMA_TIMEOUT_MS);

	if (!edu->pdev)
		return -EINVAL;
	if (readq(edu->bar + EDU_REG_DMA_CMD) & EDU_DMA_START)
		return -EBUSY;
	writeq(src, edu->bar + EDU_REG_DMA_SRC);
	writeq(dst, edu->bar + EDU_REG_DMA_DST);
	writeq(len, edu->bar + EDU_REG_DMA_COUNT);
	writeq(EDU_DMA_START | cmd, edu->bar + EDU_REG_DMA_CMD);
	while (readq(edu->bar + EDU_REG_DMA_CMD) & EDU_DMA_START) {
		if (time_after(jiffies, deadline))
			return -ETIMEDOUT;
		usleep_range(1000, 2000);
	}
	return 0;
}

static bool edu_range_ok(u32 off, u32 len)
{
	return len && off < LT_EDU_BUF_SIZE && len <= LT_EDU_BUF_SIZE - off;
}

int lt_edu_dma_from_ram(struct lt_edu *edu, u64 addr, u32 off, u32 len)
{
	if (!edu_range_ok(off, len))
		return -EINVAL;
	return edu_dma(edu, addr, EDU_BUF_ADDR + off, len, 0);
}

int lt_edu_dma_to_ram(struct lt_edu *edu, u64 addr, u32 off, u32 len)
{
	if (!edu_range_ok(off, len))
		return -EINVAL;
	return edu_dma(edu, EDU_BUF_ADDR + off, addr, len, EDU_DMA_TO_RAM);
}

int lt_edu_pasid_width(struct lt_edu *edu)
{
	u16 pos, cap;

	if (!edu->pdev)
		return -EINVAL;
	pos = pci_find_ext_capability(edu->pdev, PCI_EXT_CAP_ID_PASID);
	if (!pos)
		return -ENODEV;
	pci_read_config_word(edu->pdev, pos + PCI_PASID_CAP, &cap);
	return FIELD_GET(PASID_CAP_WIDTH, cap);
}

int lt_edu_pasid_enable(struct lt_edu *edu, bool on)
{
	u16 pos, ctrl;

	if (!edu->pdev)
		return -EINVAL;
	pos = pci_find_ext_capability(edu->pdev, PCI_EXT_CAP_ID_PASID);
	if (!pos)
		return -ENODEV;
	pci_read_config_word(edu->pdev, pos + PCI_PASID_CTRL, &ctrl);
	if (on)
		ctrl |= PCI_PASID_CTRL_ENABLE;
	else
		ctrl &= ~PCI_PASID_CTRL_ENABLE;
	pci_write_config_word(edu->pdev, pos + PCI_PASID_CTRL, ctrl);
	pci_read_config_word(edu->pdev, pos + PCI_PASID_CTRL, &ctrl);
	return !!(ctrl & PCI_PASID_CTRL_ENABLE);
}

static int edu_pasid_dma(struct lt_edu *edu, u32 pasid, u64 src, u64 dst,
			 u32 len, u32 dir)
{
	if (!edu->pdev)
		return -EINVAL;
	if (readq(edu->bar + EDU_REG_DMA_CMD) & EDU_DMA_START)
		return -EBUSY;
	writeq(pasid, edu->bar + EDU_REG_PASID);
	if (readq(edu->bar + EDU_REG_PASID) != pasid)
		return -EIO;
	return edu_dma(edu, src, dst, len, dir | EDU_DMA_PASID);
}

int lt_edu_pasid_dma_from_ram(struct lt_edu *edu, u32 pasid, u64 addr,
			      u32 off, u32 len)
{
	if (!edu_range_ok(off, len))
		return -EINVAL;
	return edu_pasid_dma(edu, pasid, addr, EDU_BUF_ADDR + off, len, 0);
}

int lt_edu_pasid_dma_to_ram(struct lt_edu *edu, u32 pasid, u64 addr,
			    u32 off, u32 len)
{
	if (!edu_range_ok(off, len))
		return -EINVAL;
	return edu_pasid_dma(edu, pasid, EDU_BUF_ADDR + off, addr, len,
			     EDU_DMA_TO_RAM);
}

u32 lt_edu_dma_error(struct lt_edu *edu)
{
	return edu->pdev ? readq(edu->bar + EDU_REG_DMA_ERROR) : U32_MAX;
}
