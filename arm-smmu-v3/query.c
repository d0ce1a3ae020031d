// SPDX-License-Identifier: GPL-2.0
/*
 * Read-only queries of the SMMUs liommu_smmuv3.ko found
 * (include/liommu/smmu.h).
 *
 * The driver's state is published once at the end of module init and is
 * immutable until module exit; callers hold a reference on this module
 * through the symbol dependency, so no lock is needed.
 */
#include <linux/errno.h>
#include <linux/io.h>
#include <linux/of.h>
#include <linux/string.h>

#include <liommu/compat.h>
#include "regs.h"
#include "smmuv3.h"

static struct liommu_smmu *published;

void liommu_smmu_query_publish(struct liommu_smmu *smmu)
{
	published = smmu;
}

static const struct liommu_smmu_unit *unit_at(unsigned int index)
{
	if (!published || index >= published->nr_units)
		return NULL;
	return &published->units[index];
}

/**
 * liommu_smmu_nr_units() - number of SMMUv3s the driver found
 *
 * Context: any.
 * Return: the number of SMMUs, 0 before the driver has loaded them.
 */
unsigned int liommu_smmu_nr_units(void)
{
	return published ? published->nr_units : 0;
}
LIOMMU_EXPORT(liommu_smmu_nr_units);

/**
 * liommu_smmu_get_info() - what the driver decoded of one SMMU
 * @index: SMMU index, 0 to liommu_smmu_nr_units() - 1
 * @info: filled on success
 *
 * Context: any.
 * Return: 0; -EINVAL if @info is NULL; -ENOENT if there is no such SMMU.
 */
int liommu_smmu_get_info(unsigned int index, struct liommu_smmu_info *info)
{
	const struct liommu_smmu_unit *unit = unit_at(index);

	if (!info)
		return -EINVAL;
	if (!unit)
		return -ENOENT;
	*info = (struct liommu_smmu_info){
		.index = unit->index,
		.base = unit->base,
		.reg_size = unit->reg_size,
		.dt_coherent = unit->dt_coherent,
		.dt_msi_parent = unit->dt_msi_parent,
		.nr_irqs = unit->nr_irqs,
		.iidr = unit->iidr,
		.aidr = unit->aidr,
		.cr0 = unit->cr0,
		.cr0ack = unit->cr0ack,
		.gbpa = unit->gbpa,
		.gerror = unit->gerror,
		.feat = unit->feat,
	};
	memcpy(info->idr, unit->idr, sizeof(info->idr));
	snprintf(info->node, sizeof(info->node), "%pOF", unit->np);
	return 0;
}
LIOMMU_EXPORT(liommu_smmu_get_info);

/**
 * liommu_smmu_read_cr0() - read an SMMU's CR0 and CR0ACK now
 * @index: SMMU index
 * @cr0: the live CR0 on success
 * @cr0ack: the live CR0ACK on success
 *
 * CR0 is what software asked for, CR0ACK what the SMMU has done; both are
 * 0 while nobody drives the SMMU.
 *
 * Context: any.
 * Return: 0; -EINVAL if @cr0 or @cr0ack is NULL; -ENOENT if there is no
 * such SMMU.
 */
int liommu_smmu_read_cr0(unsigned int index, u32 *cr0, u32 *cr0ack)
{
	const struct liommu_smmu_unit *unit = unit_at(index);

	if (!cr0 || !cr0ack)
		return -EINVAL;
	if (!unit || !unit->regs)
		return -ENOENT;
	*cr0 = readl(unit->regs + LIOMMU_SMMU_REG_CR0);
	*cr0ack = readl(unit->regs + LIOMMU_SMMU_REG_CR0ACK);
	return 0;
}
LIOMMU_EXPORT(liommu_smmu_read_cr0);

/**
 * liommu_smmu_rid_to_sid() - the StreamID of a PCI requester ID
 * @segment: PCI segment (domain) of the device, pci_domain_nr()
 * @rid: requester ID, bus << 8 | devfn (pci_dev_id()); at most 0xffff
 * @index: if not NULL, set to the index of the SMMU that translates @rid
 * @sid: the StreamID on success
 *
 * Translates through the "iommu-map" (and "iommu-map-mask") of the PCI
 * host bridge of @segment, as read at load; the kernel's of_map_id() gives
 * the same answer.
 *
 * Context: any.
 * Return: 0; -EINVAL if @sid is NULL or @rid is above 0xffff; -ENODEV if
 * no host bridge of @segment has a map naming one of our SMMUs; -ENOENT if
 * the map does not cover @rid or hands it to another IOMMU.
 */
int liommu_smmu_rid_to_sid(u16 segment, u32 rid, unsigned int *index,
			   u32 *sid)
{
	if (!sid || rid > U16_MAX)
		return -EINVAL;
	if (!published)
		return -ENODEV;
	return liommu_smmu_map_lookup(published, segment, rid, index, sid);
}
LIOMMU_EXPORT(liommu_smmu_rid_to_sid);
