// SPDX-License-Identifier: GPL-2.0
/*
 * The default group of a PCI device: which devices cannot be isolated
 * from it, from its DMA aliases and the ACS capabilities on its path.
 *
 * Linux 6.12 does not export pci_for_each_dma_alias() nor
 * pci_acs_path_enabled() to modules, so this file reads the same facts
 * itself.  Each device gets a "key": the device that decides its
 * isolation.  Devices with the same key share a group:
 *
 *  - behind a PCIe-to-PCI or conventional PCI bridge, requester IDs are
 *    taken over by the bridge: the topmost such bridge is the key;
 *  - behind a switch or root port without ACS source validation, request
 *    redirection and completion redirection, peers can reach each other:
 *    the topmost such port is the key;
 *  - a function of a multi-function device without ACS shares with
 *    function 0;
 *  - DMA aliases quirked on the device (dma_alias_mask) share with the
 *    lowest aliased function present.
 *
 * A device that is its own key, with no alias and no non-ACS siblings,
 * gets an immutable singleton group: no device added later can share its
 * key.  Keys are compared as pointers and never dereferenced later.
 */
#include <linux/pci.h>

#include "priv.h"

#define LIOMMU_ACS_REQUIRED (PCI_ACS_SV | PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_UF)

static bool liommu_pci_acs_on(struct pci_dev *pdev)
{
	int pos = pci_find_ext_capability(pdev, PCI_EXT_CAP_ID_ACS);
	u16 ctrl;

	if (!pos)
		return false;
	if (pci_read_config_word(pdev, pos + PCI_ACS_CTRL, &ctrl))
		return false;
	return (ctrl & LIOMMU_ACS_REQUIRED) == LIOMMU_ACS_REQUIRED;
}

/* Does @bridge hide the requester IDs of the devices below it? */
static bool liommu_pci_bridge_aliases(struct pci_dev *bridge)
{
	if (!pci_is_pcie(bridge))
		return true;
	return pci_pcie_type(bridge) == PCI_EXP_TYPE_PCI_BRIDGE ||
	       pci_pcie_type(bridge) == PCI_EXP_TYPE_PCIE_BRIDGE;
}

struct pci_dev *liommu_pci_key(struct pci_dev *pdev, bool *singleton)
{
	struct pci_dev *key = pdev;
	struct pci_bus *bus;

	*singleton = true;
	/* The path upstream: aliasing bridges, ports without ACS. */
	for (bus = pdev->bus; !pci_is_root_bus(bus); bus = bus->parent) {
		struct pci_dev *bridge = bus->self;

		if (!bridge)
			break;
		if (liommu_pci_bridge_aliases(bridge) ||
		    !liommu_pci_acs_on(bridge)) {
			key = bridge;
			*singleton = false;
		}
	}
	if (key != pdev)
		return key;

	/* Quirked DMA aliases on the same bus. */
	if (pdev->dma_alias_mask) {
		unsigned int devfn = find_first_bit(pdev->dma_alias_mask,
						    U8_MAX + 1);
		struct pci_dev *alias;

		*singleton = false;
		if (devfn < pdev->devfn) {
			alias = pci_get_slot(pdev->bus, devfn);
			if (alias) {
				key = alias;
				pci_dev_put(alias);
			}
		}
		return key;
	}

	/* Functions of one device that can talk to each other. */
	if (pdev->multifunction && !liommu_pci_acs_on(pdev)) {
		struct pci_dev *fn0;

		*singleton = false;
		fn0 = pci_get_slot(pdev->bus, PCI_DEVFN(PCI_SLOT(pdev->devfn), 0));
		if (fn0) {
			key = fn0;
			pci_dev_put(fn0);
		}
	}
	return key;
}

/**
 * liommu_pci_device_group() - the default group of a PCI device
 * @dev: a PCI device being probed
 *
 * liommu_pci_device_group() is upstream's pci_device_group(): it honours
 * DMA aliases and ACS (see the top of core/pci.c for the rules), and
 * marks a group the device is alone in by construction an immutable
 * singleton.
 *
 * Context: from liommu_ops.device_group (the table lock is held).
 * Return: the group with a reference, ERR_PTR(-EINVAL) for a non-PCI
 * device, ERR_PTR(-ENOMEM).
 */
struct liommu_group *liommu_pci_device_group(struct device *dev)
{
	struct liommu_group *group;
	struct liommu_dev *ldev;
	struct pci_dev *key;
	bool singleton;

	lockdep_assert_held(&liommu_table_lock);
	ldev = liommu_dev_find(dev);
	if (!dev_is_pci(dev) || !ldev)
		return ERR_PTR(-EINVAL);
	key = liommu_pci_key(to_pci_dev(dev), &singleton);
	ldev->pci_key = key;
	if (!singleton) {
		group = liommu_group_find_by_pci_key(ldev->iommu, key);
		if (group)
			return group;
	}
	return liommu_group_alloc(singleton);
}
LIOMMU_EXPORT(liommu_pci_device_group);
