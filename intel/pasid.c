// SPDX-License-Identifier: GPL-2.0
/*
 * PASID directories and tables beyond RID_PASID: where the entry of one
 * PASID of one requester lives, made on first use.
 *
 * The identity default gives every requester a one-page directory of 128
 * entries (PDTS 0: PASIDs 0-8191) with one PASID table, the one that
 * holds RID_PASID 0 (context.c).  A PASID past that directory grows it to
 * the unit's width (2^(width - 6) entries, PDTS up to 7 for 20 bits) the
 * first time one is attached: the new directory copies the old one's
 * entries, so every PASID that had an entry keeps the same PASID table,
 * and the context entry's word 0 (PASIDDIRPTR and PDTS, nothing else) is
 * switched with one 64-bit store.  The unit fetches the old word or the
 * new one, and either leads to the same PASID entries; a device-selective
 * context-cache invalidation then makes it drop the old one, and only
 * after that is the old directory freed.  A PASID table is allocated
 * when a directory entry is first needed and made present with one store
 * (nothing reachable changes).  Tables stay until the unit's tables are
 * freed at unload (context.c frees the directory with its PDTS size).
 *
 * Locking: everything here runs under the unit's entry_lock; the
 * read-only queries take it too (query.c), since a directory can move.
 */
#define pr_fmt(fmt) "liommu-vtd: " fmt

#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/log2.h>
#include <linux/pci.h>

#include "qi.h"
#include "regs.h"
#include "tables.h"
#include "vtd.h"

/* PDTS of a directory covering @bits-wide PASIDs (64 per PASID table). */
static unsigned int pdts_for(unsigned int bits)
{
	return bits > 13 ? bits - 13 : 0;
}

/**
 * liommu_vtd_pasid_dir_order() - page order of a PASID directory
 * @pdts: its PDTS field
 *
 * Return: the order of the allocation that holds 2^(@pdts + 7) entries.
 */
unsigned int liommu_vtd_pasid_dir_order(unsigned int pdts)
{
	return get_order(LIOMMU_VTD_PDTS_ENTRIES(pdts) * sizeof(__le64));
}

static __le64 *table_at(u64 word, u64 ptr_mask)
{
	u64 pa = word & ptr_mask;

	return pa ? phys_to_virt(pa) : NULL;
}

/* Drop the context entry of @bus:@devfn from the unit's caches. */
static int flush_context(struct liommu_vtd_unit *unit, u8 bus, u8 devfn)
{
	u64 d[1][LIOMMU_VTD_QI_MAX_WORDS] = {
		{ FIELD_PREP(LIOMMU_VTD_QI_0_TYPE_LO, LIOMMU_VTD_QI_TYPE_CC) |
		  FIELD_PREP(LIOMMU_VTD_QI_CC_0_G, LIOMMU_VTD_QI_CC_G_DEVICE) |
		  FIELD_PREP(LIOMMU_VTD_QI_CC_0_SID, PCI_DEVID(bus, devfn)) },
	};

	return liommu_vtd_qi_submit_words(unit, &d[0][0], 1);
}

/* Replace @ctx's directory by one sized for the unit's PASID width. */
static int grow_dir(struct liommu_vtd_unit *unit, __le64 *ctx, u8 bus,
		    u8 devfn)
{
	u64 c0 = le64_to_cpu(READ_ONCE(ctx[0]));
	unsigned int old_pdts = FIELD_GET(LIOMMU_VTD_SM_CTX_0_PDTS, c0);
	unsigned int pdts = pdts_for(unit->caps.pasid_bits);
	__le64 *old = table_at(c0, LIOMMU_VTD_SM_CTX_0_PASIDDIRPTR), *dir;
	unsigned int i;
	int err;

	if (pdts <= old_pdts)
		return -ERANGE;
	if (liommu_fail_point("vtd:pasid-dir"))
		return -ENOMEM;
	dir = (__le64 *)__get_free_pages(GFP_KERNEL | __GFP_ZERO,
					 liommu_vtd_pasid_dir_order(pdts));
	if (!dir)
		return -ENOMEM;
	for (i = 0; i < LIOMMU_VTD_PDTS_ENTRIES(old_pdts); i++)
		dir[i] = READ_ONCE(old[i]);
	liommu_vtd_flush_cpu(unit, dir, LIOMMU_VTD_PDTS_ENTRIES(pdts) *
					sizeof(*dir));
	dma_wmb();
	c0 &= ~(LIOMMU_VTD_SM_CTX_0_PASIDDIRPTR | LIOMMU_VTD_SM_CTX_0_PDTS);
	c0 |= FIELD_PREP(LIOMMU_VTD_SM_CTX_0_PDTS, pdts) |
	      (virt_to_phys(dir) & LIOMMU_VTD_SM_CTX_0_PASIDDIRPTR);
	WRITE_ONCE(ctx[0], cpu_to_le64(c0));
	liommu_vtd_flush_cpu(unit, ctx, sizeof(*ctx));
	err = flush_context(unit, bus, devfn);
	if (err) {
		/* The unit may still use the old one: keep both. */
		pr_err("%02x:%02x.%u: context-cache invalidation failed (%d); keeping the old PASID directory\n",
		       bus, PCI_SLOT(devfn), PCI_FUNC(devfn), err);
		return 0;
	}
	free_pages((unsigned long)old, liommu_vtd_pasid_dir_order(old_pdts));
	return 0;
}

/**
 * liommu_vtd_pasid_entry() - the PASID table entry of one requester's PASID
 * @unit: an enabled scalable-mode unit
 * @bus: bus number
 * @devfn: device and function
 * @pasid: below 2^(the unit's PASID width)
 * @alloc: grow the directory and add a PASID table where needed
 *
 * Context: the unit's entry_lock held.
 * Return: the live entry (LIOMMU_VTD_PASID_WORDS words), changed only
 * with the entry writer; ERR_PTR(-ENOENT) when @alloc is false and it
 * does not exist, -ERANGE for a PASID beyond the unit's width, -ENODEV
 * for a requester with no context entry, -ENOMEM.
 */
__le64 *liommu_vtd_pasid_entry(struct liommu_vtd_unit *unit, u8 bus,
			       u8 devfn, u32 pasid, bool alloc)
{
	unsigned int words;
	__le64 *ctx, *dir, *table, *de, target;
	u64 c0, v;
	int err;

	lockdep_assert_held(&unit->entry_lock);
	if (!unit->scalable_on || pasid >= BIT(unit->caps.pasid_bits))
		return ERR_PTR(-ERANGE);
	ctx = liommu_vtd_dev_context(unit, bus, devfn, &words);
	if (!ctx)
		return ERR_PTR(-ENODEV);
	c0 = le64_to_cpu(READ_ONCE(ctx[0]));
	if (!(c0 & LIOMMU_VTD_SM_CTX_0_P))
		return ERR_PTR(-ENODEV);
	if (LIOMMU_VTD_PDIR_INDEX(pasid) >=
	    LIOMMU_VTD_PDTS_ENTRIES(FIELD_GET(LIOMMU_VTD_SM_CTX_0_PDTS, c0))) {
		if (!alloc)
			return ERR_PTR(-ENOENT);
		err = grow_dir(unit, ctx, bus, devfn);
		if (err)
			return ERR_PTR(err);
		c0 = le64_to_cpu(READ_ONCE(ctx[0]));
	}
	dir = table_at(c0, LIOMMU_VTD_SM_CTX_0_PASIDDIRPTR);
	de = &dir[LIOMMU_VTD_PDIR_INDEX(pasid)];
	v = le64_to_cpu(READ_ONCE(*de));
	if (!(v & LIOMMU_VTD_PDIR_0_P)) {
		if (!alloc)
			return ERR_PTR(-ENOENT);
		if (liommu_fail_point("vtd:pasid-table"))
			return ERR_PTR(-ENOMEM);
		table = (__le64 *)get_zeroed_page(GFP_KERNEL);
		if (!table)
			return ERR_PTR(-ENOMEM);
		liommu_vtd_flush_cpu(unit, table, LIOMMU_VTD_TABLE_SIZE);
		target = cpu_to_le64(LIOMMU_VTD_PDIR_0_P |
				     (virt_to_phys(table) &
				      LIOMMU_VTD_PDIR_0_SMPTBLPTR));
		err = liommu_vtd_entry_write(unit, de, &target, 1);
		if (err) {
			free_page((unsigned long)table);
			return ERR_PTR(err);
		}
		v = le64_to_cpu(target);
	}
	table = table_at(v, LIOMMU_VTD_PDIR_0_SMPTBLPTR);
	return table + LIOMMU_VTD_PASID_INDEX(pasid) * LIOMMU_VTD_PASID_WORDS;
}
