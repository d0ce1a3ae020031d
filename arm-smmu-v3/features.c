// SPDX-License-Identifier: GPL-2.0
/*
 * Decode an SMMUv3's IDR0-5, IIDR and AIDR into named features.
 *
 * Nothing else in the driver reads raw identification bits: it asks the
 * decoded struct liommu_smmu_features.
 */
#include <linux/kernel.h>
#include <linux/bitfield.h>
#include <linux/sizes.h>

#include "regs.h"
#include "smmuv3.h"

/* IDR5.OAS encoding to bits; 0 for an encoding this driver does not know. */
static u8 oas_bits(u32 oas)
{
	static const u8 bits[] = {
		[LIOMMU_SMMU_IDR5_OAS_32] = 32,
		[LIOMMU_SMMU_IDR5_OAS_36] = 36,
		[LIOMMU_SMMU_IDR5_OAS_40] = 40,
		[LIOMMU_SMMU_IDR5_OAS_42] = 42,
		[LIOMMU_SMMU_IDR5_OAS_44] = 44,
		[LIOMMU_SMMU_IDR5_OAS_48] = 48,
		[LIOMMU_SMMU_IDR5_OAS_52] = 52,
	};

	return oas < ARRAY_SIZE(bits) ? bits[oas] : 0;
}

static void decode_idr0(u32 idr0, struct liommu_smmu_features *f)
{
	u32 ttf = FIELD_GET(LIOMMU_SMMU_IDR0_TTF, idr0);
	u32 httu = FIELD_GET(LIOMMU_SMMU_IDR0_HTTU, idr0);
	u32 endian = FIELD_GET(LIOMMU_SMMU_IDR0_TTENDIAN, idr0);
	u32 stall = FIELD_GET(LIOMMU_SMMU_IDR0_STALL_MODEL, idr0);

	f->s1 = idr0 & LIOMMU_SMMU_IDR0_S1P;
	f->s2 = idr0 & LIOMMU_SMMU_IDR0_S2P;
	f->ttf_aarch64 = ttf == LIOMMU_SMMU_IDR0_TTF_AARCH64 ||
			 ttf == LIOMMU_SMMU_IDR0_TTF_BOTH;
	f->ttf_aarch32 = ttf == LIOMMU_SMMU_IDR0_TTF_AARCH32 ||
			 ttf == LIOMMU_SMMU_IDR0_TTF_BOTH;
	f->st_2lvl = FIELD_GET(LIOMMU_SMMU_IDR0_ST_LEVEL, idr0) ==
		     LIOMMU_SMMU_IDR0_ST_LEVEL_2LVL;
	f->cd_2lvl = idr0 & LIOMMU_SMMU_IDR0_CD2L;
	f->coherent = idr0 & LIOMMU_SMMU_IDR0_COHACC;
	f->btm = idr0 & LIOMMU_SMMU_IDR0_BTM;
	f->httu_access = httu == LIOMMU_SMMU_IDR0_HTTU_ACCESS ||
			 httu == LIOMMU_SMMU_IDR0_HTTU_DIRTY;
	f->httu_dirty = httu == LIOMMU_SMMU_IDR0_HTTU_DIRTY;
	f->hyp = idr0 & LIOMMU_SMMU_IDR0_HYP;
	f->ats = idr0 & LIOMMU_SMMU_IDR0_ATS;
	f->msi = idr0 & LIOMMU_SMMU_IDR0_MSI;
	f->sev = idr0 & LIOMMU_SMMU_IDR0_SEV;
	f->atos = idr0 & LIOMMU_SMMU_IDR0_ATOS;
	f->pri = idr0 & LIOMMU_SMMU_IDR0_PRI;
	f->vmw = idr0 & LIOMMU_SMMU_IDR0_VMW;
	f->stall = stall != LIOMMU_SMMU_IDR0_STALL_MODEL_NONE;
	f->stall_forced = stall == LIOMMU_SMMU_IDR0_STALL_MODEL_FORCE;
	/* "Mixed" offers both endiannesses. */
	f->le_walks = endian != LIOMMU_SMMU_IDR0_TTENDIAN_BE;
	f->be_walks = endian != LIOMMU_SMMU_IDR0_TTENDIAN_LE;
	f->asid_bits = idr0 & LIOMMU_SMMU_IDR0_ASID16 ? 16 : 8;
	f->vmid_bits = idr0 & LIOMMU_SMMU_IDR0_VMID16 ? 16 : 8;
}

static void decode_idr1(u32 idr1, struct liommu_smmu_features *f)
{
	f->sid_bits = FIELD_GET(LIOMMU_SMMU_IDR1_SIDSIZE, idr1);
	f->ssid_bits = FIELD_GET(LIOMMU_SMMU_IDR1_SSIDSIZE, idr1);
	f->cmdq_bits = FIELD_GET(LIOMMU_SMMU_IDR1_CMDQS, idr1);
	f->evtq_bits = FIELD_GET(LIOMMU_SMMU_IDR1_EVENTQS, idr1);
	/* PRIQS is meaningful only with PRI (6.3.2). */
	f->priq_bits = f->pri ? FIELD_GET(LIOMMU_SMMU_IDR1_PRIQS, idr1) : 0;
	f->tables_preset = idr1 & LIOMMU_SMMU_IDR1_TABLES_PRESET;
	f->queues_preset = idr1 & LIOMMU_SMMU_IDR1_QUEUES_PRESET;
	f->rel = idr1 & LIOMMU_SMMU_IDR1_REL;
}

static void decode_idr3(u32 idr3, struct liommu_smmu_features *f)
{
	f->had = idr3 & LIOMMU_SMMU_IDR3_HAD;
	f->pbha = idr3 & LIOMMU_SMMU_IDR3_PBHA;
	f->xnx = idr3 & LIOMMU_SMMU_IDR3_XNX;
	f->fwb = idr3 & LIOMMU_SMMU_IDR3_FWB;
	f->stt = idr3 & LIOMMU_SMMU_IDR3_STT;
	f->ril = idr3 & LIOMMU_SMMU_IDR3_RIL;
	f->e0pd = idr3 & LIOMMU_SMMU_IDR3_E0PD;
	f->bbml = FIELD_GET(LIOMMU_SMMU_IDR3_BBML, idr3);
}

static void decode_idr5(u32 idr5, struct liommu_smmu_features *f)
{
	f->oas = oas_bits(FIELD_GET(LIOMMU_SMMU_IDR5_OAS, idr5));
	f->granules = 0;
	if (idr5 & LIOMMU_SMMU_IDR5_GRAN4K)
		f->granules |= SZ_4K;
	if (idr5 & LIOMMU_SMMU_IDR5_GRAN16K)
		f->granules |= SZ_16K;
	if (idr5 & LIOMMU_SMMU_IDR5_GRAN64K)
		f->granules |= SZ_64K;
	f->vax = FIELD_GET(LIOMMU_SMMU_IDR5_VAX, idr5);
	f->stall_max = FIELD_GET(LIOMMU_SMMU_IDR5_STALL_MAX, idr5);
}

/**
 * liommu_smmu_decode() - decode identification registers
 * @idr: IDR0..IDR5
 * @iidr: IIDR
 * @aidr: AIDR
 * @feat: filled with the decoded values
 */
void liommu_smmu_decode(const u32 idr[6], u32 iidr, u32 aidr,
			struct liommu_smmu_features *feat)
{
	*feat = (struct liommu_smmu_features){};

	/* AIDR.ArchMajorRev 0 is SMMUv3; the minor revision is x of 3.x. */
	feat->arch_major = 3 + FIELD_GET(LIOMMU_SMMU_AIDR_ARCH_MAJOR, aidr);
	feat->arch_minor = FIELD_GET(LIOMMU_SMMU_AIDR_ARCH_MINOR, aidr);
	feat->implementer = FIELD_GET(LIOMMU_SMMU_IIDR_IMPLEMENTER, iidr);
	feat->product_id = FIELD_GET(LIOMMU_SMMU_IIDR_PRODUCTID, iidr);
	feat->variant = FIELD_GET(LIOMMU_SMMU_IIDR_VARIANT, iidr);
	feat->revision = FIELD_GET(LIOMMU_SMMU_IIDR_REVISION, iidr);

	decode_idr0(idr[0], feat);
	decode_idr1(idr[1], feat);	/* after IDR0: PRIQS needs PRI */
	decode_idr3(idr[3], feat);
	decode_idr5(idr[5], feat);
}
