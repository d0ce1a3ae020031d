// SPDX-License-Identifier: GPL-2.0
/*
 * dma_bench.ko: the DMA-API rows of `make bench`.  A PCI driver with no
 * ID table, bound to one edu through driver_override, times
 * dma_map_page()/dma_unmap_page() of 4 KiB pages on it: in liommu's boot
 * through liommu_bridge.ko (the edu's group switched to a DMA domain,
 * a liommu paging domain underneath), in the kernel's boot through the
 * kernel's own VT-d or SMMUv3 driver (iommu.strict=1, so that both sides
 * invalidate at every unmap).  Rows, per call, minimum over repeats taken
 * by scripts/bench:
 *
 *   dma_api_map_4k_ns        map @pages distinct pages, one call each
 *   dma_api_unmap_4k_ns      unmap them again
 *   dma_api_map_unmap_4k_ns  map and unmap one page, @pages times
 *   dma_domain_map_4k_ns     iommu_map() of @pages pages, one call each,
 *                            into the same DMA domain at DB_SPLIT_IOVA
 *   dma_domain_unmap_4k_ns   iommu_unmap() of them again
 *
 * The last two split a DMA-API row: they take the same path below
 * dma-iommu (the kernel's iommu_map(), then the driver's map_pages: the
 * bridge and liommu_map(), or the kernel's driver), without the IOVA
 * allocator and dma-iommu around it.  DB_SPLIT_IOVA lies above the 4 GiB
 * the allocator hands out for edu's 32-bit mask.
 *
 * Before timing, the probe checks that the device's DMA goes through a
 * strict DMA domain and that a mapped handle translates to its page in
 * that domain: a row measured through dma-direct or a lazy domain would
 * compare nothing.
 */
#include <linux/dma-mapping.h>
#include <linux/iommu.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>

static unsigned int pages = 512;
module_param(pages, uint, 0444);
MODULE_PARM_DESC(pages, "pages per row (at most 512: one 2 MiB allocation)");
static unsigned int repeats = 3;
module_param(repeats, uint, 0444);
MODULE_PARM_DESC(repeats, "repeats of every row");

#define DB_MAX_PAGES	512
#define DB_ORDER	9
#define DB_SPLIT_IOVA	(16ULL << 30)

/* A row of a timed repeat; the warm-up (@rep < 0) prints nothing. */
static void db_row(const char *row, int rep, u64 ns, unsigned int n)
{
	if (rep >= 0)
		pr_info("bench-raw: %s %d %llu\n", row, rep, div_u64(ns, n));
}

/* The rows below dma-iommu: iommu_map()/iommu_unmap() on the DMA domain. */
static bool db_split(struct device *dev, struct page *buf, int rep)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(dev);
	unsigned long iova = DB_SPLIT_IOVA;
	unsigned int i;
	u64 t0;
	int err = 0;

	t0 = ktime_get_ns();
	for (i = 0; i < pages; i++) {
		err = iommu_map(domain, iova + i * PAGE_SIZE,
				page_to_phys(buf + i), PAGE_SIZE,
				IOMMU_READ | IOMMU_WRITE, GFP_ATOMIC);
		if (err)
			break;
	}
	if (err) {
		pr_err("bench-error: dma: iommu_map of page %u: %d\n", i, err);
		if (i)
			iommu_unmap(domain, iova, i * PAGE_SIZE);
		return false;
	}
	db_row("dma_domain_map_4k_ns", rep, ktime_get_ns() - t0, pages);
	t0 = ktime_get_ns();
	for (i = 0; i < pages; i++) {
		if (iommu_unmap(domain, iova + i * PAGE_SIZE, PAGE_SIZE) !=
		    PAGE_SIZE) {
			pr_err("bench-error: dma: iommu_unmap of page %u\n", i);
			return false;
		}
	}
	db_row("dma_domain_unmap_4k_ns", rep, ktime_get_ns() - t0, pages);
	return true;
}

/*
 * One repeat of the rows; false on a mapping error.  The first runs
 * untimed (@rep -1) on both sides, as bench_warm_up() does for the other
 * rows: it takes out of the rows what QEMU does the first time the calls
 * reach their code and data (translating it, refilling its TLB after the
 * domain switch), which only one side would otherwise pay in its first
 * repeats.
 */
static bool db_repeat(struct device *dev, struct page *buf,
		      dma_addr_t *handles, int rep)
{
	unsigned int i;
	u64 t0;

	t0 = ktime_get_ns();
	for (i = 0; i < pages; i++) {
		handles[i] = dma_map_page(dev, buf + i, 0, PAGE_SIZE,
					  DMA_BIDIRECTIONAL);
		if (dma_mapping_error(dev, handles[i]))
			break;
	}
	if (i < pages) {
		pr_err("bench-error: dma: map of page %u failed\n", i);
		while (i--)
			dma_unmap_page(dev, handles[i], PAGE_SIZE,
				       DMA_BIDIRECTIONAL);
		return false;
	}
	db_row("dma_api_map_4k_ns", rep, ktime_get_ns() - t0, pages);
	t0 = ktime_get_ns();
	for (i = 0; i < pages; i++)
		dma_unmap_page(dev, handles[i], PAGE_SIZE, DMA_BIDIRECTIONAL);
	db_row("dma_api_unmap_4k_ns", rep, ktime_get_ns() - t0, pages);
	t0 = ktime_get_ns();
	for (i = 0; i < pages; i++) {
		dma_addr_t h = dma_map_page(dev, buf, 0, PAGE_SIZE,
					    DMA_BIDIRECTIONAL);

		if (dma_mapping_error(dev, h)) {
			pr_err("bench-error: dma: map/unmap pair %u failed\n", i);
			return false;
		}
		dma_unmap_page(dev, h, PAGE_SIZE, DMA_BIDIRECTIONAL);
	}
	db_row("dma_api_map_unmap_4k_ns", rep, ktime_get_ns() - t0, pages);
	return db_split(dev, buf, rep);
}

/* The device's DMA goes through a strict DMA domain that maps @buf. */
static bool db_translated(struct device *dev, struct page *buf)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(dev);
	dma_addr_t h;
	phys_addr_t pa;

	if (!domain || domain->type != IOMMU_DOMAIN_DMA) {
		pr_err("bench-error: dma: %s is not in a strict DMA domain (type %#x)\n",
		       dev_name(dev), domain ? domain->type : 0);
		return false;
	}
	h = dma_map_page(dev, buf, 0, PAGE_SIZE, DMA_BIDIRECTIONAL);
	if (dma_mapping_error(dev, h)) {
		pr_err("bench-error: dma: first map failed\n");
		return false;
	}
	pa = iommu_iova_to_phys(domain, h);
	dma_unmap_page(dev, h, PAGE_SIZE, DMA_BIDIRECTIONAL);
	if (pa != page_to_phys(buf)) {
		pr_err("bench-error: dma: handle %pad translates to %pa, not the page\n",
		       &h, &pa);
		return false;
	}
	return true;
}

static int db_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	dma_addr_t *handles;
	struct page *buf;
	bool ok = false;
	int rep;

	if (!pages || pages > DB_MAX_PAGES) {
		pr_err("bench-error: dma: pages=%u (1..%u)\n", pages,
		       DB_MAX_PAGES);
		return -EINVAL;
	}
	buf = alloc_pages(GFP_KERNEL, DB_ORDER);
	handles = kcalloc(pages, sizeof(*handles), GFP_KERNEL);
	if (!buf || !handles) {
		pr_err("bench-error: dma: no memory\n");
		goto out;
	}
	pr_info("bench-begin: dma %s %u pages, %u repeats\n", dev_name(dev),
		pages, repeats);
	if (!db_translated(dev, buf))
		goto out;
	for (rep = -1; rep < (int)repeats; rep++)
		if (!db_repeat(dev, buf, handles, rep))
			goto out;
	ok = true;
out:
	pr_info("bench-end: dma %s\n", ok ? "ok" : "failed");
	kfree(handles);
	if (buf)
		__free_pages(buf, DB_ORDER);
	/* Stay bound: unbinding is the script's business, not a failure. */
	return 0;
}

static void db_remove(struct pci_dev *pdev)
{
}

static struct pci_driver db_driver = {
	.name = "liommu_dma_bench",
	.probe = db_probe,
	.remove = db_remove,
};
module_pci_driver(db_driver);

MODULE_DESCRIPTION("liommu benchmark: DMA-API map/unmap through the IOMMU");
MODULE_LICENSE("GPL");
