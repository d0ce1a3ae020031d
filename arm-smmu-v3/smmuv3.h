/* SPDX-License-Identifier: GPL-2.0 */
/*
 * liommu SMMUv3 driver: private types shared by the files of
 * liommu_smmuv3.ko.
 *
 * Lifetime: the SMMU table and the PCI StreamID maps are built once in
 * module init (unit.c finds, maps and decodes; streamid.c reads each PCI
 * host bridge's "iommu-map") and torn down in module exit.  Between the
 * two they are immutable, so the read-only queries of query.c take no
 * lock.
 */
#ifndef _LIOMMU_SMMUV3_H
#define _LIOMMU_SMMUV3_H

#include <linux/ioport.h>
#include <linux/types.h>
#include <liommu/smmu.h>

#define LIOMMU_SMMU_NAME	"liommu-smmuv3"
/* More SMMUs than this in one device tree are ignored (and said so). */
#define LIOMMU_SMMU_MAX_UNITS	8

struct device_node;

/**
 * struct liommu_smmu_unit - one SMMUv3 found in the device tree
 * @index: position among the SMMUs found
 * @np: its device-tree node (a reference is held)
 * @base: physical address of the registers (first "reg" entry)
 * @reg_size: bytes of registers in "reg", all mapped at @regs
 * @regs: mapped registers, NULL until unit.c maps them
 * @region: the claimed iomem region, NULL if not claimed
 * @dt_coherent: the node has "dma-coherent"
 * @dt_msi_parent: the node has "msi-parent"
 * @nr_irqs: interrupts named in the node's "interrupt-names"
 * @idr: IDR0..IDR5 at load
 * @iidr: IIDR at load
 * @aidr: AIDR at load
 * @cr0: CR0 at load
 * @cr0ack: CR0ACK at load
 * @gbpa: GBPA at load
 * @gerror: GERROR at load
 * @feat: @idr, @iidr, @aidr decoded
 */
struct liommu_smmu_unit {
	unsigned int index;
	struct device_node *np;
	u64 base;
	u64 reg_size;
	void __iomem *regs;
	struct resource *region;
	bool dt_coherent;
	bool dt_msi_parent;
	unsigned int nr_irqs;
	u32 idr[6];
	u32 iidr;
	u32 aidr;
	u32 cr0;
	u32 cr0ack;
	u32 gbpa;
	u32 gerror;
	struct liommu_smmu_features feat;
};

/**
 * struct liommu_smmu_map_entry - one entry of an "iommu-map" property
 * @rid_base: first (masked) requester ID the entry covers
 * @sid_base: StreamID that @rid_base becomes
 * @length: number of requester IDs covered
 * @unit: index of the SMMU the entry names, or -1 if it names another node
 */
struct liommu_smmu_map_entry {
	u32 rid_base;
	u32 sid_base;
	u32 length;
	int unit;
};

/**
 * struct liommu_smmu_pci_map - the RID-to-StreamID map of one PCI host bridge
 * @np: the host bridge's device-tree node (a reference is held)
 * @segment: its PCI segment (domain) number, -1 if no root bus was found
 * @mask: "iommu-map-mask", applied to a RID before the lookup (all ones
 *	when the property is absent)
 * @nr_entries: entries in @entries
 * @entries: the map, in property order; the first entry covering a RID
 *	wins
 */
struct liommu_smmu_pci_map {
	struct device_node *np;
	int segment;
	u32 mask;
	unsigned int nr_entries;
	struct liommu_smmu_map_entry *entries;
};

/**
 * struct liommu_smmu - everything the driver found at load
 * @nr_units: entries in @units
 * @units: the SMMUs, in device-tree order
 * @nr_maps: entries in @maps
 * @maps: PCI host bridges whose "iommu-map" names one of @units
 */
struct liommu_smmu {
	unsigned int nr_units;
	struct liommu_smmu_unit units[LIOMMU_SMMU_MAX_UNITS];
	unsigned int nr_maps;
	struct liommu_smmu_pci_map *maps;
};

/* features.c */
void liommu_smmu_decode(const u32 idr[6], u32 iidr, u32 aidr,
			struct liommu_smmu_features *feat);

/* unit.c */
int liommu_smmu_find_units(struct liommu_smmu *smmu);
int liommu_smmu_unit_map(struct liommu_smmu_unit *unit);
void liommu_smmu_unit_unmap(struct liommu_smmu_unit *unit);
void liommu_smmu_put_units(struct liommu_smmu *smmu);
void liommu_smmu_unit_report(const struct liommu_smmu_unit *unit);

/* streamid.c */
int liommu_smmu_maps_read(struct liommu_smmu *smmu);
void liommu_smmu_maps_free(struct liommu_smmu *smmu);
int liommu_smmu_map_lookup(const struct liommu_smmu *smmu, u16 segment,
			   u32 rid, unsigned int *index, u32 *sid);
void liommu_smmu_maps_report(const struct liommu_smmu *smmu);

/* query.c */
void liommu_smmu_query_publish(struct liommu_smmu *smmu);

#endif /* _LIOMMU_SMMUV3_H */
