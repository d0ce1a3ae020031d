// SPDX-License-Identifier: GPL-2.0
/*
 * Queues in memory, shared by the command and event queues.
 *
 * A queue is a power-of-two array of entries.  PROD and CONS hold an
 * index in their low LOG2SIZE bits and a wrap bit just above it: equal
 * indexes with equal wrap bits mean empty, with different ones full.
 * The SMMU is IO-coherent (IDR0.COHACC, checked in enable.c), so a queue
 * is plain zeroed kernel memory.
 */
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>

#include "regs.h"
#include "smmuv3.h"

/**
 * liommu_smmu_queue_alloc() - allocate a zeroed queue
 * @q: the queue to set up
 * @log2: log2 of the number of entries
 * @dwords: 64-bit words per entry
 * @prod_reg: offset of the queue's PROD register
 * @cons_reg: offset of the queue's CONS register
 *
 * Return: 0 or -ENOMEM.
 */
int liommu_smmu_queue_alloc(struct liommu_smmu_queue *q, unsigned int log2,
			    unsigned int dwords, u32 prod_reg, u32 cons_reg)
{
	size_t bytes = (size_t)dwords * sizeof(u64) << log2;

	q->ents = liommu_fail_point("smmu:queue") ? NULL :
		  alloc_pages_exact(bytes, GFP_KERNEL | __GFP_ZERO);
	if (!q->ents)
		return -ENOMEM;
	q->phys = virt_to_phys(q->ents);
	q->log2 = log2;
	q->dwords = dwords;
	q->prod = 0;
	q->cons = 0;
	q->prod_reg = prod_reg;
	q->cons_reg = cons_reg;
	return 0;
}

/**
 * liommu_smmu_queue_free() - free a queue the SMMU no longer uses
 * @q: a queue; nothing happens if it was never allocated
 */
void liommu_smmu_queue_free(struct liommu_smmu_queue *q)
{
	if (q->ents)
		free_pages_exact(q->ents,
				 (size_t)q->dwords * sizeof(u64) << q->log2);
	q->ents = NULL;
}

/**
 * liommu_smmu_queue_base() - the queue's CMDQ_BASE/EVENTQ_BASE value
 * @q: an allocated queue
 *
 * Return: address, size and the read/write-allocate hint.
 */
u64 liommu_smmu_queue_base(const struct liommu_smmu_queue *q)
{
	return LIOMMU_SMMU_Q_BASE_RWA |
	       (q->phys & LIOMMU_SMMU_Q_BASE_ADDR) |
	       FIELD_PREP(LIOMMU_SMMU_Q_BASE_LOG2SIZE, q->log2);
}
