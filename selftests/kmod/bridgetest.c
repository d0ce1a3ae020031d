// SPDX-License-Identifier: GPL-2.0
/*
 * liommu_bridgetest.ko: edu's DMA through the kernel's DMA API while
 * liommu_bridge.ko is the kernel's IOMMU driver (selftests/guest/90-bridge.sh
 * loads it).  The script has switched edu's group to a DMA domain, so
 * dma_map_single() maps into a liommu paging domain through dma-iommu and
 * the bridge.  Loading runs, on the edu named by @bdf (no driver bound):
 *
 *  1. a page mapped with dma_map_single(): edu copies it into its buffer
 *     and back to the page's second half through the handle: the data
 *     arrives (@data_arrives);
 *  2. the handle unmapped with dma_unmap_single(): edu writes other bytes
 *     to the same handle; the liommu unit reports a fault for it
 *     (@unmapped_faults) and the page is untouched (@untouched).
 *
 * Each result is a read-only parameter (1 passed, 0 failed, -1 not run);
 * @why says what went wrong.  The module stays loaded until rmmod.
 */
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/iommu.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include <liommu/compat.h>
#include <liommu/liommu.h>
#include "edu.h"

static char *bdf = "0000:00:03.0";
module_param(bdf, charp, 0444);
MODULE_PARM_DESC(bdf, "the edu to drive (no driver bound, group type DMA)");

static int data_arrives = -1;
module_param(data_arrives, int, 0444);
static int unmapped_faults = -1;
module_param(unmapped_faults, int, 0444);
static int untouched = -1;
module_param(untouched, int, 0444);
static char why[128] = "ran";
module_param_string(why, why, sizeof(why), 0444);

#define BT_LEN	256
#define BT_BACK	2048	/* where edu writes the bytes back in the page */

static void bt_why(const char *msg)
{
	strscpy(why, msg, sizeof(why));
	pr_err("liommu_bridgetest: %s\n", msg);
}

/* The unit's count of reported faults (VT-d's records are polled). */
static u64 bt_faults(struct device *dev)
{
	struct liommu_iopf_stats s;

	msleep(50);
	return liommu_iopf_get_stats(dev, &s) ? 0 : s.reported;
}

static void bt_run(struct lt_edu *edu, u8 *page)
{
	struct device *dev = &edu->pdev->dev;
	struct iommu_domain *domain = iommu_get_domain_for_dev(dev);
	dma_addr_t h;
	u64 faults;
	int err;

	if (!domain || domain->type != IOMMU_DOMAIN_DMA) {
		bt_why("edu is not in a DMA domain of the kernel's IOMMU core");
		return;
	}
	memset(page, 0x5a, PAGE_SIZE);
	h = dma_map_single(dev, page, PAGE_SIZE, DMA_BIDIRECTIONAL);
	if (dma_mapping_error(dev, h)) {
		bt_why("dma_map_single failed");
		return;
	}
	if (iommu_iova_to_phys(domain, h) != virt_to_phys(page)) {
		dma_unmap_single(dev, h, PAGE_SIZE, DMA_BIDIRECTIONAL);
		bt_why("the handle does not translate to the page");
		return;
	}
	err = lt_edu_dma_from_ram(edu, h, 0, BT_LEN);
	if (!err)
		err = lt_edu_dma_to_ram(edu, h + BT_BACK, 0, BT_LEN);
	dma_unmap_single(dev, h, PAGE_SIZE, DMA_BIDIRECTIONAL);
	data_arrives = !err && page[BT_BACK] == 0x5a &&
		       page[BT_BACK + BT_LEN - 1] == 0x5a;
	if (!data_arrives) {
		bt_why("edu's copy through the handle did not arrive");
		return;
	}
	/* Other bytes into edu's buffer, then to the unmapped handle. */
	memset(page, 0, PAGE_SIZE);
	h = dma_map_single(dev, page, PAGE_SIZE, DMA_BIDIRECTIONAL);
	if (dma_mapping_error(dev, h)) {
		bt_why("second dma_map_single failed");
		return;
	}
	err = lt_edu_dma_from_ram(edu, h, 0, BT_LEN);
	dma_unmap_single(dev, h, PAGE_SIZE, DMA_BIDIRECTIONAL);
	if (err) {
		bt_why("edu could not load zeroes through a mapping");
		return;
	}
	memset(page, 0xa5, PAGE_SIZE);
	faults = bt_faults(dev);
	lt_edu_dma_to_ram(edu, h, 0, BT_LEN);
	unmapped_faults = bt_faults(dev) > faults;
	untouched = page[0] == 0xa5 && page[BT_LEN - 1] == 0xa5;
	if (!unmapped_faults)
		bt_why("no fault for edu's write to the unmapped handle");
	else if (!untouched)
		bt_why("edu's write reached the page after the unmap");
}

static int __init bt_init(void)
{
	struct pci_dev *pdev;
	struct lt_edu edu;
	unsigned int dom, bus, slot, fn;
	u8 *page;
	int err;

	if (sscanf(bdf, "%x:%x:%x.%x", &dom, &bus, &slot, &fn) != 4 || dom) {
		bt_why("bad bdf");
		return 0;
	}
	pdev = pci_get_domain_bus_and_slot(0, bus, PCI_DEVFN(slot, fn));
	if (!pdev) {
		bt_why("no such device");
		return 0;
	}
	pci_dev_put(pdev);
	err = lt_edu_open(bus, PCI_DEVFN(slot, fn), &edu);
	if (err) {
		bt_why("edu cannot be opened (a driver bound?)");
		return 0;
	}
	page = (u8 *)__get_free_page(GFP_KERNEL);
	if (page) {
		bt_run(&edu, page);
		free_page((unsigned long)page);
	} else {
		bt_why("no memory");
	}
	lt_edu_close(&edu);
	return 0;
}
module_init(bt_init);

static void __exit bt_exit(void)
{
}
module_exit(bt_exit);

MODULE_DESCRIPTION("liommu test: edu's DMA-API DMA through liommu_bridge.ko");
MODULE_LICENSE("GPL");
LIOMMU_IMPORT_NS();
