// SPDX-License-Identifier: GPL-2.0
/*
 * Decode a VT-d unit's VER, CAP and ECAP registers into named capabilities.
 *
 * Nothing else in the driver reads raw capability bits: it asks the
 * decoded struct liommu_vtd_caps.
 */
#include <linux/bitfield.h>
#include <linux/sizes.h>

#include "regs.h"
#include "vtd.h"

/**
 * liommu_vtd_decode_caps() - decode capability registers
 * @ver: VER register
 * @cap: CAP register
 * @ecap: ECAP register
 * @caps: filled with the decoded values
 */
void liommu_vtd_decode_caps(u32 ver, u64 cap, u64 ecap,
			    struct liommu_vtd_caps *caps)
{
	u32 sllps = FIELD_GET(LIOMMU_VTD_CAP_SLLPS, cap);

	*caps = (struct liommu_vtd_caps){};
	caps->ver_major = FIELD_GET(LIOMMU_VTD_VER_MAJOR, ver);
	caps->ver_minor = FIELD_GET(LIOMMU_VTD_VER_MINOR, ver);

	/* ND n means 2^(4 + 2n) domain ids (11.4.2). */
	caps->nr_domain_ids = 1U << (4 + 2 * FIELD_GET(LIOMMU_VTD_CAP_ND, cap));
	caps->sagaw = FIELD_GET(LIOMMU_VTD_CAP_SAGAW, cap);
	caps->mgaw = FIELD_GET(LIOMMU_VTD_CAP_MGAW, cap) + 1;
	caps->fault_reg_offset = FIELD_GET(LIOMMU_VTD_CAP_FRO, cap) * 16;
	caps->nr_fault_records = FIELD_GET(LIOMMU_VTD_CAP_NFR, cap) + 1;
	caps->iotlb_reg_offset = FIELD_GET(LIOMMU_VTD_ECAP_IRO, ecap) * 16;
	caps->max_addr_mask = FIELD_GET(LIOMMU_VTD_CAP_MAMV, cap);
	caps->psi = cap & LIOMMU_VTD_CAP_PSI;
	caps->caching_mode = cap & LIOMMU_VTD_CAP_CM;
	caps->rwbf = cap & LIOMMU_VTD_CAP_RWBF;
	caps->fl_5level = cap & LIOMMU_VTD_CAP_FL5LP;

	caps->sl_pgsize_bitmap = SZ_4K;
	if (sllps & LIOMMU_VTD_SLLPS_2M)
		caps->sl_pgsize_bitmap |= SZ_2M;
	if (sllps & LIOMMU_VTD_SLLPS_1G)
		caps->sl_pgsize_bitmap |= SZ_1G;

	caps->qi = ecap & LIOMMU_VTD_ECAP_QI;
	caps->dev_tlb = ecap & LIOMMU_VTD_ECAP_DT;
	caps->intr_remap = ecap & LIOMMU_VTD_ECAP_IR;
	caps->pass_through = ecap & LIOMMU_VTD_ECAP_PT;
	caps->snoop_control = ecap & LIOMMU_VTD_ECAP_SC;
	caps->nested = ecap & LIOMMU_VTD_ECAP_NEST;
	caps->page_requests = ecap & LIOMMU_VTD_ECAP_PRS;
	caps->scalable = ecap & LIOMMU_VTD_ECAP_SMTS;
	caps->scalable_root = ecap & LIOMMU_VTD_ECAP_SRS;
	caps->first_stage = ecap & LIOMMU_VTD_ECAP_FLTS;
	caps->second_stage = ecap & LIOMMU_VTD_ECAP_SLTS;
	caps->rid_pasid = ecap & LIOMMU_VTD_ECAP_RPS;

	/* PSS n means an (n + 1)-bit PASID (11.4.3). */
	if (ecap & LIOMMU_VTD_ECAP_PASID)
		caps->pasid_bits = FIELD_GET(LIOMMU_VTD_ECAP_PSS, ecap) + 1;

	/* First-stage tables are x86 page tables: 4K, 2M, 1G if FL1GP. */
	if (caps->first_stage) {
		caps->fl_pgsize_bitmap = SZ_4K | SZ_2M;
		if (cap & LIOMMU_VTD_CAP_FL1GP)
			caps->fl_pgsize_bitmap |= SZ_1G;
	}
}
