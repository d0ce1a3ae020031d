// SPDX-License-Identifier: GPL-2.0
/*
 * The mock devices' DMA: a transfer translated the way hardware would,
 * by reading the domain's table from memory (not through the core's
 * walker), with the permission bits checked and a fault recorded when
 * nothing, or nothing writable/readable, is mapped.
 */
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/string.h>

#include <liommu/compat.h>
#include "mock_priv.h"

/* Walk @m's table for @iova: 0 and the leaf's address/size/rights. */
static int liommu_mock_hw_walk(struct liommu_mock_domain *m, u64 iova,
			       phys_addr_t *pa, u64 *size, u64 *rights)
{
	const void *table = m->pt.root;
	int level;

	for (level = LIOMMU_PT_MOCK_LEVELS - 1; level >= 0; level--) {
		unsigned int shift = LIOMMU_PT_MOCK_GRANULE_LG2 +
				     level * LIOMMU_PT_MOCK_BITS_PER_LEVEL;
		unsigned int idx = (iova >> shift) &
				   (BIT(LIOMMU_PT_MOCK_BITS_PER_LEVEL) - 1);
		u64 e = liommu_pt_mock_load(table, idx);
		phys_addr_t oa = FIELD_GET(LIOMMU_PT_MOCK_ADDR, e)
				 << LIOMMU_PT_MOCK_GRANULE_LG2;

		if (!FIELD_GET(LIOMMU_PT_MOCK_P, e))
			return -EFAULT;
		if (level == 0 || FIELD_GET(LIOMMU_PT_MOCK_LEAF, e)) {
			*size = BIT_ULL(shift);
			*pa = oa + (iova & (*size - 1));
			*rights = e & (LIOMMU_PT_MOCK_R | LIOMMU_PT_MOCK_W);
			return 0;
		}
		table = phys_to_virt(oa);
	}
	return -EFAULT;
}

/* The physical address for one access at @iova, within one page. */
static int liommu_mock_translate(struct liommu_domain *domain, u64 iova,
				 bool to_memory, phys_addr_t *pa)
{
	u64 size, rights;

	if (!domain)
		return -EFAULT;
	switch (domain->type) {
	case LIOMMU_DOMAIN_IDENTITY:
		*pa = iova;
		return 0;
	case LIOMMU_DOMAIN_PAGING:
		if (liommu_mock_hw_walk(container_of(domain,
						     struct liommu_mock_domain,
						     dom),
					iova, pa, &size, &rights))
			return -EFAULT;
		if (!(rights & (to_memory ? LIOMMU_PT_MOCK_W : LIOMMU_PT_MOCK_R)))
			return -EFAULT;
		return 0;
	case LIOMMU_DOMAIN_NESTED:
		/* The mock's stage 1 is the identity over the parent. */
		return liommu_mock_translate(domain->parent, iova, to_memory,
					     pa);
	default:
		return -EFAULT;
	}
}

/* Like a unit: the first faulting page goes to the core's fault path. */
static void mock_report_fault(struct device *dev, u64 iova, bool to_memory)
{
	struct liommu_fault f = {
		.addr = iova,
		.perm = to_memory ? LIOMMU_FAULT_PERM_WRITE :
				    LIOMMU_FAULT_PERM_READ,
	};

	liommu_report_device_fault(dev, &f);
}

/**
 * liommu_mock_dma() - a DMA transfer of a mock device
 * @dev: the mock device
 * @iova: the device address
 * @buf: the device's own buffer
 * @len: bytes
 * @to_memory: the device writes @buf to @iova (else reads @iova into @buf)
 *
 * Translation is checked for the whole transfer before any byte moves,
 * so a fault transfers nothing.  Only RAM is reachable (pfn_valid).
 *
 * Return: 0, or -EFAULT (a fault, recorded).
 */
int liommu_mock_dma(struct device *dev, u64 iova, void *buf, size_t len,
		    bool to_memory)
{
	struct liommu_mock_dev *md = NULL;
	unsigned long flags;
	unsigned int i;
	size_t done;
	u64 fault_at = iova;
	int err = 0;

	for (i = 0; i < LIOMMU_MOCK_NR_DEVS; i++)
		if (liommu_mock_devs[i].pdev && &liommu_mock_devs[i].pdev->dev == dev)
			md = &liommu_mock_devs[i];
	if (!md)
		return -ENODEV;
	spin_lock_irqsave(&md->lock, flags);
	/* Pass 1: every page translates with the right access. */
	for (done = 0; done < len && !err; ) {
		size_t chunk = min_t(size_t, len - done,
				     PAGE_SIZE - ((iova + done) & ~PAGE_MASK));
		phys_addr_t pa;

		err = liommu_mock_translate(md->domain, iova + done, to_memory,
					    &pa);
		if (!err && !pfn_valid(PHYS_PFN(pa)))
			err = -EFAULT;
		if (err) {
			md->faults++;
			md->last_fault = iova + done;
			fault_at = iova + done;
		}
		done += chunk;
	}
	/* Pass 2: move the bytes. */
	for (done = 0; done < len && !err; ) {
		size_t chunk = min_t(size_t, len - done,
				     PAGE_SIZE - ((iova + done) & ~PAGE_MASK));
		phys_addr_t pa;
		void *va;

		liommu_mock_translate(md->domain, iova + done, to_memory, &pa);
		va = phys_to_virt(pa);
		if (to_memory)
			memcpy(va, buf + done, chunk);
		else
			memcpy(buf + done, va, chunk);
		done += chunk;
	}
	spin_unlock_irqrestore(&md->lock, flags);
	if (err)
		mock_report_fault(dev, fault_at, to_memory);
	return err;
}
LIOMMU_TEST_EXPORT(liommu_mock_dma);

/**
 * liommu_mock_faults() - faulting DMAs of a mock device
 * @dev: the mock device
 * @last_iova: the IOVA of the last fault, if not NULL
 *
 * Return: the count.
 */
unsigned long liommu_mock_faults(struct device *dev, u64 *last_iova)
{
	unsigned long flags, n = 0;
	unsigned int i;

	for (i = 0; i < LIOMMU_MOCK_NR_DEVS; i++) {
		struct liommu_mock_dev *md = &liommu_mock_devs[i];

		if (!md->pdev || &md->pdev->dev != dev)
			continue;
		spin_lock_irqsave(&md->lock, flags);
		n = md->faults;
		if (last_iova)
			*last_iova = md->last_fault;
		spin_unlock_irqrestore(&md->lock, flags);
	}
	return n;
}
LIOMMU_TEST_EXPORT(liommu_mock_faults);
