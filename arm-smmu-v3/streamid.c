// SPDX-License-Identifier: GPL-2.0
/*
 * PCI requester IDs to SMMU StreamIDs, from the device tree.
 *
 * A PCI host bridge node says which IOMMU translates its devices with the
 * "iommu-map" property (Documentation/devicetree/bindings/pci/
 * pci-iommu.txt): a list of (rid-base, iommu phandle, iommu-base, length)
 * entries.  A requester ID is first ANDed with "iommu-map-mask" (all ones
 * when absent); the first entry with rid-base <= rid < rid-base + length
 * translates it to iommu-base + (rid - rid-base) on that IOMMU.  An SMMUv3
 * has #iommu-cells = 1, so each entry is four cells.  These are the
 * semantics of the kernel's of_map_id(); the map is read once, here, so
 * that a lookup needs neither the device tree nor a lock.
 */
#define pr_fmt(fmt) "liommu-smmuv3: " fmt

#include <linux/of.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "smmuv3.h"

#define MAP_CELLS	4	/* rid-base, phandle, sid-base, length */

/* Index of the unit whose node has @phandle, or -1. */
static int unit_of_phandle(const struct liommu_smmu *smmu, phandle ph)
{
	unsigned int i;

	for (i = 0; i < smmu->nr_units; i++)
		if (smmu->units[i].np->phandle == ph)
			return i;
	return -1;
}

/* The PCI segment of the root bus that @np is the host bridge of, or -1. */
static int segment_of_node(struct device_node *np)
{
	struct pci_bus *bus = NULL;

	while ((bus = pci_find_next_bus(bus)))
		if (pci_bus_to_OF_node(bus) == np)
			return pci_domain_nr(bus);
	return -1;
}

static int map_read(const struct liommu_smmu *smmu, struct device_node *np,
		    struct liommu_smmu_pci_map *map)
{
	unsigned int i, ours = 0;
	int cells;
	u32 *raw;

	cells = of_property_count_u32_elems(np, "iommu-map");
	if (cells <= 0 || cells % MAP_CELLS) {
		pr_warn("%pOF: 'iommu-map' has %d cells, not a multiple of %u: ignored\n",
			np, cells, MAP_CELLS);
		return 0;
	}
	raw = liommu_fail_point("smmu:map-cells") ? NULL :
	      kcalloc(cells, sizeof(*raw), GFP_KERNEL);
	if (!raw)
		return -ENOMEM;
	if (of_property_read_u32_array(np, "iommu-map", raw, cells)) {
		kfree(raw);
		return -EINVAL;
	}
	map->nr_entries = cells / MAP_CELLS;
	map->entries = liommu_fail_point("smmu:map-entries") ? NULL :
		       kcalloc(map->nr_entries, sizeof(*map->entries),
			       GFP_KERNEL);
	if (!map->entries) {
		kfree(raw);
		return -ENOMEM;
	}
	for (i = 0; i < map->nr_entries; i++) {
		const u32 *cell = &raw[i * MAP_CELLS];
		struct liommu_smmu_map_entry *e = &map->entries[i];

		e->rid_base = cell[0];
		e->unit = unit_of_phandle(smmu, cell[1]);
		e->sid_base = cell[2];
		e->length = cell[3];
		ours += e->unit >= 0;
	}
	kfree(raw);
	if (!ours) {
		/* The map names other IOMMUs only: not ours to keep. */
		kfree(map->entries);
		map->entries = NULL;
		map->nr_entries = 0;
		return 0;
	}
	map->mask = U32_MAX;
	of_property_read_u32(np, "iommu-map-mask", &map->mask);
	map->np = of_node_get(np);
	map->segment = segment_of_node(np);
	return 1;
}

/**
 * liommu_smmu_maps_read() - read the "iommu-map" of every PCI host bridge
 * @smmu: the units found; @smmu->maps gets one entry per host bridge whose
 *	map names at least one of them
 *
 * Return: 0 (also when no host bridge names an SMMU); -ENOMEM; -EINVAL if
 * a map cannot be read.
 */
int liommu_smmu_maps_read(struct liommu_smmu *smmu)
{
	struct device_node *np;
	unsigned int n = 0;
	int ret = 0;

	for_each_node_with_property(np, "iommu-map")
		n += of_node_is_type(np, "pci");
	if (!n)
		return 0;
	smmu->maps = liommu_fail_point("smmu:maps") ? NULL :
		     kcalloc(n, sizeof(*smmu->maps), GFP_KERNEL);
	if (!smmu->maps)
		return -ENOMEM;
	for_each_node_with_property(np, "iommu-map") {
		if (!of_node_is_type(np, "pci") || smmu->nr_maps == n)
			continue;
		ret = map_read(smmu, np, &smmu->maps[smmu->nr_maps]);
		if (ret < 0) {
			of_node_put(np);
			liommu_smmu_maps_free(smmu);
			return ret;
		}
		smmu->nr_maps += ret;
	}
	return 0;
}

/**
 * liommu_smmu_maps_free() - free what liommu_smmu_maps_read() read
 * @smmu: the driver's state; its maps are emptied
 */
void liommu_smmu_maps_free(struct liommu_smmu *smmu)
{
	unsigned int i;

	for (i = 0; i < smmu->nr_maps; i++) {
		kfree(smmu->maps[i].entries);
		of_node_put(smmu->maps[i].np);
	}
	kfree(smmu->maps);
	smmu->maps = NULL;
	smmu->nr_maps = 0;
}

/**
 * liommu_smmu_map_lookup() - translate a PCI requester ID to a StreamID
 * @smmu: the driver's state
 * @segment: PCI segment (domain) of the device
 * @rid: requester ID, bus << 8 | devfn
 * @index: if not NULL, the index of the SMMU that translates @rid
 * @sid: the StreamID
 *
 * Return: 0; -ENODEV if no host bridge of @segment has a map naming one
 * of our SMMUs; -ENOENT if its map does not cover @rid, or hands it to
 * another IOMMU.
 */
int liommu_smmu_map_lookup(const struct liommu_smmu *smmu, u16 segment,
			   u32 rid, unsigned int *index, u32 *sid)
{
	const struct liommu_smmu_pci_map *map = NULL;
	unsigned int i;
	u32 masked;

	for (i = 0; i < smmu->nr_maps; i++)
		if (smmu->maps[i].segment == segment)
			map = &smmu->maps[i];
	if (!map)
		return -ENODEV;

	masked = rid & map->mask;
	for (i = 0; i < map->nr_entries; i++) {
		const struct liommu_smmu_map_entry *e = &map->entries[i];

		/* Written so that rid_base + length cannot overflow. */
		if (masked < e->rid_base || masked - e->rid_base >= e->length)
			continue;
		if (e->unit < 0)
			return -ENOENT;
		if (index)
			*index = e->unit;
		*sid = e->sid_base + (masked - e->rid_base);
		return 0;
	}
	return -ENOENT;
}

static void report_devices(const struct liommu_smmu *smmu,
			   const struct liommu_smmu_pci_map *map)
{
	struct pci_dev *pdev = NULL;

	for_each_pci_dev(pdev) {
		unsigned int index;
		u32 sid;

		if (pci_domain_nr(pdev->bus) != map->segment)
			continue;
		if (liommu_smmu_map_lookup(smmu, map->segment,
					   pci_dev_id(pdev), &index, &sid)) {
			pr_info("    %s [%04x:%04x]: not translated by an SMMU we found\n",
				pci_name(pdev), pdev->vendor, pdev->device);
			continue;
		}
		pr_info("    %s [%04x:%04x] class %06x: StreamID %#x on SMMU %u, driver %s\n",
			pci_name(pdev), pdev->vendor, pdev->device, pdev->class,
			sid, index,
			pdev->dev.driver ? pdev->dev.driver->name : "none");
	}
}

/**
 * liommu_smmu_maps_report() - describe the StreamID maps in the kernel log
 * @smmu: the driver's state, maps read
 */
void liommu_smmu_maps_report(const struct liommu_smmu *smmu)
{
	unsigned int i, j;

	if (!smmu->nr_maps)
		pr_info("no PCI host bridge names an SMMU in its 'iommu-map'\n");
	for (i = 0; i < smmu->nr_maps; i++) {
		const struct liommu_smmu_pci_map *map = &smmu->maps[i];

		if (map->segment < 0) {
			pr_info("PCI host %pOF: no PCI bus found for it\n",
				map->np);
			continue;
		}
		if (map->mask == U32_MAX)
			pr_info("PCI host %pOF, segment %d: iommu-map without a mask\n",
				map->np, map->segment);
		else
			pr_info("PCI host %pOF, segment %d: iommu-map, requester IDs masked with %#x\n",
				map->np, map->segment, map->mask);
		for (j = 0; j < map->nr_entries; j++) {
			const struct liommu_smmu_map_entry *e = &map->entries[j];

			if (e->unit < 0)
				pr_info("  RIDs %#x-%#x: another IOMMU\n",
					e->rid_base, e->rid_base + e->length - 1);
			else
				pr_info("  RIDs %#x-%#x -> StreamIDs %#x-%#x on SMMU %d\n",
					e->rid_base, e->rid_base + e->length - 1,
					e->sid_base, e->sid_base + e->length - 1,
					e->unit);
		}
		report_devices(smmu, map);
	}
}
