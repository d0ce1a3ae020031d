/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rows of `make bench`, run the same way against liommu
 * (liommu_bench.c) and the kernel's own IOMMU driver (kernel_bench.c).
 *
 * Both sides map fake physical addresses (above guest RAM, below every
 * unit's output-address limit: no DMA uses the domain) into a paging
 * domain attached to edu 00:03.0, which no other driver uses.  Each
 * repeat allocates fresh domains.  A row prints one line per repeat (at
 * the end of the repeat: bench_flush()),
 *
 *   bench-raw: <row> <repeat> <value>
 *
 * and scripts/bench takes the minimum and the median.  Times are in ns.
 * Included by exactly one .c per module: everything here is static.
 */
#ifndef _LIOMMU_BENCH_H
#define _LIOMMU_BENCH_H

#include <linux/bitfield.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/pci.h>
#include <linux/sizes.h>

#define BENCH_IOVA	0x100000000UL		/* 4 GiB, past the MSI window */
#define BENCH_PA	0x400000000ULL		/* 16 GiB: above guest RAM */

static unsigned int pages = SZ_256M / SZ_4K;
module_param(pages, uint, 0444);
MODULE_PARM_DESC(pages, "4 KiB pages per row (default 65536: 256 MiB)");
static unsigned int repeats = 3;
module_param(repeats, uint, 0444);
MODULE_PARM_DESC(repeats, "repeats of every row");

/**
 * struct bench_side - one stack under test
 * @name: "liommu" or "kernel"
 * @alloc: a paging domain attached to @dev, or NULL
 * @free: detach and free it
 * @map: map @size bytes at @iova to @pa, read-write; 0 or an errno
 * @unmap: unmap @size bytes at @iova; the bytes unmapped
 * @iova_to_phys: translate @iova
 * @table_pages: page-table pages the stack holds now, or -1
 * @extra: rows of this side only, once per repeat, or NULL
 */
struct bench_side {
	const char *name;
	void *(*alloc)(struct device *dev);
	void (*free)(void *dom, struct device *dev);
	int (*map)(void *dom, unsigned long iova, phys_addr_t pa, size_t size);
	size_t (*unmap)(void *dom, unsigned long iova, size_t size);
	phys_addr_t (*iova_to_phys)(void *dom, unsigned long iova);
	long (*table_pages)(void);
	void (*extra)(const struct bench_side *s, struct device *dev,
		      unsigned int rep);
};

/*
 * Values wait here until the repeat ends, so that no console line (an
 * emulated serial port, slow) is written between two timings.
 */
static struct {
	const char *row;
	unsigned int rep;
	u64 value;
} bench_rows[32];
static unsigned int bench_nr_rows;

static void bench_row(const char *row, unsigned int rep, u64 value)
{
	if (bench_nr_rows < ARRAY_SIZE(bench_rows))
		bench_rows[bench_nr_rows++] = (typeof(bench_rows[0])){
			.row = row, .rep = rep, .value = value };
	else
		pr_err("bench-error: too many rows\n");
}

static void bench_flush(void)
{
	unsigned int i;

	for (i = 0; i < bench_nr_rows; i++)
		pr_info("bench-raw: %s %u %llu\n", bench_rows[i].row,
			bench_rows[i].rep, bench_rows[i].value);
	bench_nr_rows = 0;
}

static bool bench_check(const struct bench_side *s, void *dom,
			unsigned long iova, phys_addr_t want, const char *row)
{
	phys_addr_t got = s->iova_to_phys(dom, iova);

	if (got == want)
		return true;
	pr_err("bench-error: %s: %s: IOVA %#lx translates to %pa\n", s->name,
	       row, iova, &got);
	return false;
}

/*
 * The warm-up of a fresh domain: one map and one unmap of 2 MiB pages and
 * of 4 KiB pages, in a GiB of IOVA the rows never touch (17 GiB on),
 * before any timing.  See bench_alloc().
 */
static bool bench_warm_up(const struct bench_side *s, void *dom)
{
	unsigned long iova = BENCH_IOVA + 17UL * SZ_1G;

	if (s->map(dom, iova, BENCH_PA, SZ_4M))
		return false;
	if (s->map(dom, iova + SZ_4M, BENCH_PA + SZ_4M, SZ_8K)) {
		s->unmap(dom, iova, SZ_4M);
		return false;
	}
	return s->unmap(dom, iova + SZ_4M, SZ_8K) == SZ_8K &&
	       s->unmap(dom, iova, SZ_4M) == SZ_4M;
}

/*
 * A fresh attached domain, and one page mapped far from the rows (16 GiB
 * on, under the same top-level entry) before any timing.  In the liommu
 * guest, attaching a paging domain switches the device from pass-through
 * to translation in QEMU, which changes QEMU's memory map and flushes its
 * TCG TLBs: the first operations after it run several times slower, an
 * emulator cost that the kernel's guest (translating already) never pays.
 * The page stays mapped, so both sides start every row with the same
 * upper tables.  Then both sides run the same warm-up (bench_warm_up()),
 * so that a one-call row times the walk and the invalidation, not QEMU
 * refilling its TLB for every page of code and data the call touches
 * (liommu's 128 x 2 MiB unmap on vtd-legacy: 31 us without it, 9 us
 * with it; the kernel's 5.8 and 3.5 us).
 */
static void *bench_alloc(const struct bench_side *s, struct device *dev)
{
	void *dom = s->alloc(dev);

	if (dom && s->map(dom, BENCH_IOVA + 16UL * SZ_1G, BENCH_PA, SZ_4K)) {
		s->free(dom, dev);
		return NULL;
	}
	if (dom && !bench_warm_up(s, dom)) {
		s->free(dom, dev);
		return NULL;
	}
	return dom;
}

/* 4 KiB page at a time: map, unmap, and map again (warm). */
static bool bench_each(const struct bench_side *s, struct device *dev,
		       unsigned int rep)
{
	size_t n = pages;
	void *dom = bench_alloc(s, dev);
	long tables;
	size_t i;
	u64 t0;

	if (!dom)
		return false;
	tables = s->table_pages();
	t0 = ktime_get_ns();
	for (i = 0; i < n; i++)
		if (s->map(dom, BENCH_IOVA + i * SZ_4K, BENCH_PA + i * SZ_4K,
			   SZ_4K))
			goto fail;
	bench_row("map_4k_each_ns", rep, div_u64(ktime_get_ns() - t0, n));
	if (!bench_check(s, dom, BENCH_IOVA + (n - 1) * SZ_4K,
			 BENCH_PA + (n - 1) * SZ_4K, "map_4k_each"))
		goto fail;
	t0 = ktime_get_ns();
	for (i = 0; i < n; i++)
		if (s->unmap(dom, BENCH_IOVA + i * SZ_4K, SZ_4K) != SZ_4K)
			goto fail;
	bench_row("unmap_4k_each_ns", rep, div_u64(ktime_get_ns() - t0, n));
	if (tables >= 0)
		bench_row("tables_left_after_4k_unmaps", rep,
			  s->table_pages() - tables);
	t0 = ktime_get_ns();
	for (i = 0; i < n; i++)
		if (s->map(dom, BENCH_IOVA + i * SZ_4K, BENCH_PA + i * SZ_4K,
			   SZ_4K))
			goto fail;
	bench_row("remap_4k_each_ns", rep, div_u64(ktime_get_ns() - t0, n));
	if (s->unmap(dom, BENCH_IOVA, n * SZ_4K) != n * SZ_4K)
		goto fail;
	s->free(dom, dev);
	return true;
fail:
	pr_err("bench-error: %s: 4 KiB page-at-a-time rows failed\n", s->name);
	s->free(dom, dev);
	return false;
}

#define BENCH_UNMAP_ROUNDS	8

/* One call for the whole range: 2 MiB-aligned (@off 0) or 4 KiB pages. */
static bool bench_one(const struct bench_side *s, struct device *dev,
		      unsigned int rep, phys_addr_t off, const char *map_row,
		      const char *unmap_row, const char *tables_row)
{
	size_t size = (size_t)pages * SZ_4K;
	void *dom = bench_alloc(s, dev);
	unsigned int k;
	long tables;
	u64 t0, t;

	if (!dom)
		return false;
	tables = s->table_pages();
	t0 = ktime_get_ns();
	if (s->map(dom, BENCH_IOVA, BENCH_PA + off, size))
		goto fail;
	t = ktime_get_ns() - t0;
	bench_row(map_row, rep, t);
	if (!bench_check(s, dom, BENCH_IOVA + size - SZ_4K,
			 BENCH_PA + off + size - SZ_4K, map_row))
		goto fail;
	if (tables >= 0)
		bench_row(tables_row, rep, s->table_pages() - tables);
	t0 = ktime_get_ns();
	if (s->unmap(dom, BENCH_IOVA, size) != size)
		goto fail;
	t = ktime_get_ns() - t0;
	/*
	 * The 2 MiB-page unmap is one call of a few us, which the host's
	 * hiccups move by more than the sides differ: the fastest of
	 * BENCH_UNMAP_ROUNDS maps and unmaps of the same range (the same
	 * work each round on both sides).
	 */
	for (k = 1; !off && k < BENCH_UNMAP_ROUNDS; k++) {
		u64 u;

		if (s->map(dom, BENCH_IOVA, BENCH_PA, size))
			goto fail;
		t0 = ktime_get_ns();
		if (s->unmap(dom, BENCH_IOVA, size) != size)
			goto fail;
		u = ktime_get_ns() - t0;
		t = min(t, u);
	}
	bench_row(unmap_row, rep, t);
	s->free(dom, dev);
	return true;
fail:
	pr_err("bench-error: %s: %s failed\n", s->name, map_row);
	s->free(dom, dev);
	return false;
}

/*
 * Invalidation commands per unmap call, counted where the unit receives
 * them: the producer index of its queue (VT-d's IQT, SMMUv3's
 * CMDQ_PROD), read through a mapping of the bench's own before and after
 * the call, the same way on both sides.  The count takes in the wait or
 * CMD_SYNC that ends the batch.  The unit is the only one of these
 * machines (DMAR's first DRHD; the device tree's arm,smmu-v3 node).  An
 * MMIO read costs an exit to QEMU: these rows run apart from the timed
 * ones.  Other devices' unmaps (virtio, in the kernel's guest) add their
 * commands to the same queue: a row keeps the smallest count of several
 * calls.
 */
static void __iomem *bench_q_regs;
static u64 bench_q_wrap;	/* the index counts modulo this */

#ifdef CONFIG_X86
#include <linux/acpi.h>
#include "intel/regs.h"

static phys_addr_t bench_q_unit(void)
{
	struct acpi_table_header *hdr;
	struct acpi_dmar_header *e;
	phys_addr_t base = 0;
	void *p, *end;

	if (ACPI_FAILURE(acpi_get_table(ACPI_SIG_DMAR, 0, &hdr)))
		return 0;
	end = (void *)hdr + hdr->length;
	for (p = (void *)hdr + sizeof(struct acpi_table_dmar);
	     p + sizeof(*e) <= end; p += e->length) {
		e = p;
		if (e->length < sizeof(*e))
			break;
		if (e->type == ACPI_DMAR_TYPE_HARDWARE_UNIT &&
		    e->length >= sizeof(struct acpi_dmar_hardware_unit)) {
			base = ((struct acpi_dmar_hardware_unit *)p)->address;
			break;
		}
	}
	acpi_put_table(hdr);
	return base;
}

/* IQT holds a byte offset; a slot is 16 bytes, or 32 with IQA.DW. */
static unsigned int bench_q_shift;

static bool bench_q_setup(void)
{
	u64 iqa = readq(bench_q_regs + LIOMMU_VTD_REG_IQA);

	bench_q_shift = (iqa & LIOMMU_VTD_IQA_DW) ? 5 : 4;
	bench_q_wrap = (SZ_4K << FIELD_GET(LIOMMU_VTD_IQA_QS, iqa)) >>
		       bench_q_shift;
	return iqa & LIOMMU_VTD_IQA_IQA;
}

static u64 bench_q_pos(void)
{
	return FIELD_GET(LIOMMU_VTD_IQT_QT,
			 readq(bench_q_regs + LIOMMU_VTD_REG_IQT)) >>
	       (bench_q_shift - 4);
}
#else
#include <linux/of.h>
#include <linux/of_address.h>
#include "arm-smmu-v3/regs.h"

static phys_addr_t bench_q_unit(void)
{
	struct device_node *np;
	struct resource res;
	phys_addr_t base = 0;

	np = of_find_compatible_node(NULL, NULL, "arm,smmu-v3");
	if (np && !of_address_to_resource(np, 0, &res))
		base = res.start;
	of_node_put(np);
	return base;
}

/* CMDQ_PROD: the index and, at bit LOG2SIZE, the wrap bit. */
static bool bench_q_setup(void)
{
	u64 base = readq(bench_q_regs + LIOMMU_SMMU_REG_CMDQ_BASE);

	bench_q_wrap = 2ULL << FIELD_GET(LIOMMU_SMMU_Q_BASE_LOG2SIZE, base);
	return base & LIOMMU_SMMU_Q_BASE_ADDR;
}

static u64 bench_q_pos(void)
{
	return readl(bench_q_regs + LIOMMU_SMMU_REG_CMDQ_PROD) &
	       (bench_q_wrap - 1);
}
#endif

static bool bench_q_map(void)
{
	phys_addr_t base = bench_q_unit();

	if (!base) {
		pr_err("bench-error: no IOMMU unit found for the command counts\n");
		return false;
	}
	bench_q_regs = ioremap(base, SZ_4K);
	if (!bench_q_regs) {
		pr_err("bench-error: ioremap of the unit at %pa failed\n", &base);
		return false;
	}
	if (!bench_q_setup()) {
		pr_err("bench-error: the unit at %pa has no command queue\n",
		       &base);
		iounmap(bench_q_regs);
		bench_q_regs = NULL;
		return false;
	}
	return true;
}

/* Commands queued since @before. */
static u64 bench_q_since(u64 before)
{
	return (bench_q_pos() - before) & (bench_q_wrap - 1);
}

/*
 * The rows: per 4 KiB unmap (the fewest of 16 calls), per 256 MiB unmap
 * of 2 MiB pages (the fewest of BENCH_UNMAP_ROUNDS) and of 4 KiB pages
 * (the fewer of two).
 */
static bool bench_invs(const struct bench_side *s, struct device *dev,
		       unsigned int rep)
{
	static const struct {
		const char *row;
		phys_addr_t off;
		size_t size;
		unsigned int calls;
	} runs[] = {
		{ "invs_unmap_4k", 0, SZ_4K, 16 },
		{ "invs_unmap_256m_2m", 0, 0, BENCH_UNMAP_ROUNDS },
		{ "invs_unmap_256m_4k", SZ_4K, 0, 2 },
	};
	void *dom = bench_alloc(s, dev);
	unsigned int r, k;

	if (!dom)
		return false;
	for (r = 0; r < ARRAY_SIZE(runs); r++) {
		size_t size = runs[r].size ?: (size_t)pages * SZ_4K;
		u64 best = U64_MAX, pos;

		for (k = 0; k < runs[r].calls; k++) {
			if (s->map(dom, BENCH_IOVA, BENCH_PA + runs[r].off, size))
				goto fail;
			pos = bench_q_pos();
			if (s->unmap(dom, BENCH_IOVA, size) != size)
				goto fail;
			best = min(best, bench_q_since(pos));
		}
		bench_row(runs[r].row, rep, best);
	}
	s->free(dom, dev);
	return true;
fail:
	pr_err("bench-error: %s: invalidation command counts failed\n",
	       s->name);
	s->free(dom, dev);
	return false;
}

/*
 * The host's speed in this boot: a fixed piece of work, the same code on
 * both sides (loads, stores and branches over 32 KiB, no call, no MMIO),
 * the fastest of five runs.  On a shared host one boot can run 1.5 times
 * slower than the next; scripts/bench scales each boot's rows by it for
 * norm_ratio= (Documentation/bench.rst).  Not a row of any stack.
 */
static u64 bench_calib_buf[4096];

static noinline u64 bench_calib_once(void)
{
	u64 x = 0x9e3779b97f4a7c15ULL, sum = 0;
	unsigned int i, j;

	for (i = 0; i < 65536; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		j = x & (ARRAY_SIZE(bench_calib_buf) - 1);
		sum += READ_ONCE(bench_calib_buf[j]);
		if (sum & 1)
			sum += x;
		WRITE_ONCE(bench_calib_buf[(j + 1) & (ARRAY_SIZE(bench_calib_buf) - 1)],
			   sum);
	}
	return sum;
}

static void bench_calibrate(unsigned int rep)
{
	u64 best = U64_MAX, t0, t;
	unsigned int k;

	for (k = 0; k < 5; k++) {
		t0 = ktime_get_ns();
		bench_calib_once();
		t = ktime_get_ns() - t0;
		best = min(best, t);
	}
	bench_row("calib_ns", rep, best);
}

/*
 * The floor: what any stack must pay for the 4 KiB one-call map, the
 * tables it needs (zeroed pages: 3 upper + one per 2 MiB) and one plain
 * store per entry; no descent, no checks, no cache maintenance.
 */
static void bench_floor(unsigned int rep)
{
	unsigned int nr_leaf = DIV_ROUND_UP(pages, 512), t, i;
	unsigned long *tables;
	u64 t0, t1;

	tables = kcalloc(nr_leaf + 3, sizeof(*tables), GFP_KERNEL);
	if (!tables)
		return;
	t0 = ktime_get_ns();
	for (t = 0; t < nr_leaf + 3; t++) {
		tables[t] = get_zeroed_page(GFP_KERNEL);
		if (!tables[t])
			goto out;
	}
	for (t = 0; t < 3; t++)
		WRITE_ONCE(*(u64 *)tables[t], virt_to_phys((void *)tables[t + 1]) | 3);
	for (i = 0; i < pages; i++)
		WRITE_ONCE(((u64 *)tables[3 + i / 512])[i % 512],
			   (BENCH_PA + SZ_4K + (u64)i * SZ_4K) | 3);
	t1 = ktime_get_ns();
	bench_row("floor_256m_4k_ns", rep, t1 - t0);
out:
	for (t = 0; t < nr_leaf + 3; t++)
		if (tables[t])
			free_page(tables[t]);
	kfree(tables);
}

static int bench_run(const struct bench_side *s, struct device *dev)
{
	unsigned int rep;
	bool ok = true;

	pr_info("bench-begin: %s %u pages, %u repeats\n", s->name, pages,
		repeats);
	if (!bench_q_map())
		return -ENODEV;
	for (rep = 0; rep < repeats && ok; rep++) {
		bench_calibrate(rep);
		ok = bench_each(s, dev, rep) &&
		     bench_one(s, dev, rep, 0, "map_256m_2m_ns",
			       "unmap_256m_2m_ns", "tables_256m_2m") &&
		     bench_one(s, dev, rep, SZ_4K, "map_256m_4k_ns",
			       "unmap_256m_4k_ns", "tables_256m_4k") &&
		     bench_invs(s, dev, rep);
		bench_floor(rep);
		if (ok && s->extra)
			s->extra(s, dev, rep);
		bench_flush();
	}
	pr_info("bench-end: %s %s\n", s->name, ok ? "ok" : "failed");
	iounmap(bench_q_regs);
	bench_q_regs = NULL;
	return 0;
}

/* edu 00:03.0: bound to a driver that does nothing, DMA managed by us. */
static struct pci_dev *bench_pdev;

static int bench_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	if (pdev->devfn != PCI_DEVFN(3, 0) || bench_pdev)
		return -ENODEV;
	bench_pdev = pdev;
	return 0;
}

static void bench_remove(struct pci_dev *pdev)
{
}

static const struct pci_device_id bench_ids[] = {
	{ PCI_DEVICE(0x1234, 0x11e8) },	/* QEMU edu */
	{ }
};

static struct pci_driver bench_driver = {
	.name = KBUILD_MODNAME,
	.id_table = bench_ids,
	.probe = bench_probe,
	.remove = bench_remove,
	.driver_managed_dma = true,
};

/* Bind the do-nothing driver, run every row, unbind. */
static int bench_main(const struct bench_side *s)
{
	int err = pci_register_driver(&bench_driver);

	if (err)
		return err;
	if (!bench_pdev) {
		pr_err("bench-error: %s: no edu at 00:03.0\n", s->name);
	} else {
		bench_run(s, &bench_pdev->dev);
	}
	pci_unregister_driver(&bench_driver);
	return 0;
}

#endif /* _LIOMMU_BENCH_H */
