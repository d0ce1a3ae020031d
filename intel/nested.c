// SPDX-License-Identifier: GPL-2.0
/*
 * Nested translation on VT-d: the scalable-mode PASID entry of a user's
 * first-stage table over a kernel second-stage parent (PGTT 011b), and
 * the PASID-based IOTLB descriptors of the user's invalidations.
 *
 * QEMU 10.0's unit has no ECAP.NEST, so no nesting parent or nested
 * domain is offered on any profile (the core refuses with -EOPNOTSUPP:
 * the driver has no domain_alloc_paging_flags or domain_alloc_nested).
 * The builders are written from the specification anyway, for units that
 * have it, and checked against golden entries by the self-test
 * (selftests/kmod/nested_vtd.c) through liommu_vtd_test_nested_entry()
 * and liommu_vtd_test_nested_inv().
 *
 * The entry (VT-d 9.6):
 *  - word 0: P, AW and SSPTPTR of the parent's second-stage table, PGTT
 *    nested;
 *  - word 1: the nested domain's own domain id;
 *  - word 2: SRE (bit 128, needs ECAP.SRS), WPE (bit 132), EAFE (bit 135,
 *    needs ECAP.EAFS), FSPM (4- or 5-level, 5 needs CAP.FL5LP), FSPTPTR:
 *    the user's first-stage root, an address the second stage translates.
 * The user data is checked whole first: unknown flags -EOPNOTSUPP, a
 * flag or width the unit lacks -EOPNOTSUPP, a reserved field, an
 * unaligned root or a width other than 48 and 57 -EINVAL.
 *
 * An invalidation entry (address, pages, LEAF) becomes one PASID-based
 * IOTLB descriptor of the nested domain's id and the PASID: the whole
 * PASID (G 10b) for address 0 and U64_MAX pages, else 2^AM pages from an
 * address aligned to them (the smallest such range that covers the
 * request), IH set for LEAF (no paging-structure caches to drop).
 */
#define pr_fmt(fmt) "liommu-vtd: " fmt

#include <linux/bitfield.h>
#include <linux/errno.h>
#include <linux/log2.h>
#include <linux/string.h>

#include "qi.h"
#include "regs.h"
#include "tables.h"
#include "vtd.h"

/**
 * liommu_vtd_nested_entry() - the PASID entry of a nested domain
 * @ecap: the unit's ECAP (SRS and EAFS are checked)
 * @fl5: the unit has first-stage 5-level paging (CAP.FL5LP)
 * @ss_root: physical address of the parent's second-stage root
 * @ss_aw: the parent's AW encoding
 * @did: the nested domain's id
 * @s1: the user's first stage
 * @e: the entry, eight CPU-order words, filled on success
 *
 * Return: 0; -EINVAL or -EOPNOTSUPP for bad user data (see above).
 */
int liommu_vtd_nested_entry(u64 ecap, bool fl5, phys_addr_t ss_root,
			    unsigned int ss_aw, u16 did,
			    const struct liommu_hwpt_vtd_s1 *s1, u64 e[8])
{
	unsigned int fspm;

	if (s1->flags & ~LIOMMU_VTD_S1_FLAGS)
		return -EOPNOTSUPP;
	if (s1->__reserved || (s1->pgtbl_addr & ~PAGE_MASK) ||
	    (s1->pgtbl_addr & ~LIOMMU_VTD_PASID_2_FSPTPTR))
		return -EINVAL;
	if (s1->addr_width == 48)
		fspm = LIOMMU_VTD_FSPM_4LEVEL;
	else if (s1->addr_width == 57)
		fspm = LIOMMU_VTD_FSPM_5LEVEL;
	else
		return -EINVAL;
	if ((fspm == LIOMMU_VTD_FSPM_5LEVEL && !fl5) ||
	    ((s1->flags & LIOMMU_VTD_S1_SRE) && !(ecap & LIOMMU_VTD_ECAP_SRS)) ||
	    ((s1->flags & LIOMMU_VTD_S1_EAFE) && !(ecap & LIOMMU_VTD_ECAP_EAFS)))
		return -EOPNOTSUPP;

	memset(e, 0, LIOMMU_VTD_PASID_WORDS * sizeof(u64));
	e[0] = LIOMMU_VTD_PASID_0_P |
	       FIELD_PREP(LIOMMU_VTD_PASID_0_AW, ss_aw) |
	       FIELD_PREP(LIOMMU_VTD_PASID_0_PGTT, LIOMMU_VTD_PGTT_NESTED) |
	       (ss_root & LIOMMU_VTD_PASID_0_SSPTPTR);
	e[1] = FIELD_PREP(LIOMMU_VTD_PASID_1_DID, did);
	e[2] = FIELD_PREP(LIOMMU_VTD_PASID_2_FSPM, fspm) |
	       (s1->pgtbl_addr & LIOMMU_VTD_PASID_2_FSPTPTR);
	if (s1->flags & LIOMMU_VTD_S1_SRE)
		e[2] |= LIOMMU_VTD_PASID_2_SRE;
	if (s1->flags & LIOMMU_VTD_S1_WPE)
		e[2] |= LIOMMU_VTD_PASID_2_WPE;
	if (s1->flags & LIOMMU_VTD_S1_EAFE)
		e[2] |= LIOMMU_VTD_PASID_2_EAFE;
	return 0;
}

/**
 * liommu_vtd_nested_inv() - the descriptor of one user invalidation entry
 * @did: the nested domain's id
 * @pasid: the PASID its entry is at
 * @inv: the entry
 * @max_am: the unit's largest address mask (CAP.MAMV)
 * @d: one descriptor, four CPU-order words, filled on success
 *
 * Return: 0; -EOPNOTSUPP for unknown flags; -EINVAL for a reserved
 * field, an unaligned address, no pages, or a range that wraps.
 */
int liommu_vtd_nested_inv(u16 did, u32 pasid,
			  const struct liommu_hwpt_vtd_s1_invalidate *inv,
			  unsigned int max_am, u64 d[4])
{
	u64 first, last, size;
	unsigned int am;

	if (inv->flags & ~LIOMMU_VTD_INV_FLAGS_LEAF)
		return -EOPNOTSUPP;
	if (inv->__reserved || (inv->addr & ~PAGE_MASK) || !inv->npages)
		return -EINVAL;
	memset(d, 0, 4 * sizeof(u64));
	d[0] = FIELD_PREP(LIOMMU_VTD_QI_0_TYPE_LO, LIOMMU_VTD_QI_TYPE_PIOTLB) |
	       FIELD_PREP(LIOMMU_VTD_QI_PIOTLB_0_DID, did) |
	       FIELD_PREP(LIOMMU_VTD_QI_PIOTLB_0_PASID, pasid);
	if (!inv->addr && inv->npages == U64_MAX) {
		d[0] |= FIELD_PREP(LIOMMU_VTD_QI_PIOTLB_0_G,
				   LIOMMU_VTD_QI_PIOTLB_G_PASID);
		return 0;
	}
	if (inv->npages > (U64_MAX >> PAGE_SHIFT) ||
	    inv->addr + (inv->npages << PAGE_SHIFT) - 1 < inv->addr)
		return -EINVAL;
	first = inv->addr >> PAGE_SHIFT;
	last = first + inv->npages - 1;
	/* The smallest aligned power-of-two block holding [first, last]. */
	am = first == last ? 0 : fls64(first ^ last);
	if (am > max_am) {
		/* Wider than one descriptor may name: the whole PASID. */
		d[0] |= FIELD_PREP(LIOMMU_VTD_QI_PIOTLB_0_G,
				   LIOMMU_VTD_QI_PIOTLB_G_PASID);
		return 0;
	}
	size = 1ULL << am;
	d[0] |= FIELD_PREP(LIOMMU_VTD_QI_PIOTLB_0_G,
			   LIOMMU_VTD_QI_PIOTLB_G_PAGE);
	d[1] = FIELD_PREP(LIOMMU_VTD_QI_PIOTLB_1_AM, am) |
	       (((first & ~(size - 1)) << PAGE_SHIFT) &
		LIOMMU_VTD_QI_PIOTLB_1_ADDR);
	if (inv->flags & LIOMMU_VTD_INV_FLAGS_LEAF)
		d[1] |= LIOMMU_VTD_QI_PIOTLB_1_IH;
	return 0;
}
