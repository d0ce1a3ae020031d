/* SPDX-License-Identifier: GPL-2.0 */
/*
 * liommu VT-d driver: private types shared by the files of liommu_intel.ko.
 *
 * Lifetime: the unit table is built once in module init (dmar.c parses,
 * unit.c maps and decodes) and torn down in module exit.  Between the two
 * it is immutable, so the read-only queries of query.c take no lock.
 */
#ifndef _LIOMMU_INTEL_VTD_H
#define _LIOMMU_INTEL_VTD_H

#include <linux/types.h>
#include <liommu/vtd.h>

#define LIOMMU_VTD_NAME "liommu-vtd"

/**
 * struct liommu_vtd_unit - one DRHD remapping unit
 * @index: position among the DRHD entries of the DMAR table
 * @base: physical address of the registers
 * @reg_size: bytes of register space mapped at @regs
 * @segment: PCI segment the unit serves
 * @include_all: the unit serves every device of @segment not named elsewhere
 * @regs: mapped registers, NULL until unit.c maps them
 * @region: the claimed iomem region, NULL if not claimed
 * @ver: VER at load
 * @cap: CAP at load
 * @ecap: ECAP at load
 * @gsts: GSTS at load
 * @caps: decoded @ver, @cap, @ecap
 * @nr_scope: entries in @scope
 * @scope: device scope, resolved to bus/devfn
 */
struct liommu_vtd_unit {
	unsigned int index;
	u64 base;
	u32 reg_size;
	u16 segment;
	bool include_all;
	void __iomem *regs;
	struct resource *region;
	u32 ver;
	u64 cap;
	u64 ecap;
	u32 gsts;
	struct liommu_vtd_caps caps;
	unsigned int nr_scope;
	struct liommu_vtd_scope *scope;
};

/**
 * struct liommu_vtd_dmar - what the ACPI DMAR table describes
 * @haw: host address width, bits
 * @flags: DMAR flags (INTR_REMAP, X2APIC_OPT_OUT, DMA_CTRL_PLATFORM_OPT_IN)
 * @nr_units: entries in @units
 * @units: the DRHD units, in table order
 */
struct liommu_vtd_dmar {
	u8 haw;
	u8 flags;
	unsigned int nr_units;
	struct liommu_vtd_unit *units;
};

/* dmar.c */
int liommu_vtd_dmar_parse(struct liommu_vtd_dmar *dmar);
void liommu_vtd_dmar_free(struct liommu_vtd_dmar *dmar);

/* caps.c */
void liommu_vtd_decode_caps(u32 ver, u64 cap, u64 ecap,
			    struct liommu_vtd_caps *caps);

/* unit.c */
int liommu_vtd_unit_map(struct liommu_vtd_unit *unit);
void liommu_vtd_unit_unmap(struct liommu_vtd_unit *unit);
void liommu_vtd_unit_report(const struct liommu_vtd_unit *unit);

/* query.c */
void liommu_vtd_query_publish(struct liommu_vtd_dmar *dmar);

#endif /* _LIOMMU_INTEL_VTD_H */
