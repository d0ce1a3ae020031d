// SPDX-License-Identifier: GPL-2.0
/*
 * The ACPI DMAR table: remapping units (DRHD) and their device scopes.
 *
 * The kernel keeps parsing DMAR for its own use even with intel_iommu=off;
 * we read the table through acpi_get_table() and build our own list, so
 * nothing here depends on the kernel's intel-iommu state.  Every length in
 * the table is checked before it is trusted: a malformed table is refused
 * with -EINVAL and a message that names the offset.
 */
#define pr_fmt(fmt) "liommu-vtd: " fmt

#include <linux/acpi.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "dmar.h"
#include "vtd.h"

/* Bytes of a DMAR remapping-structure header: type, length. */
#define DMAR_ENTRY_MIN		sizeof(struct liommu_dmar_entry)

struct dmar_walk {
	const u8 *start;	/* first remapping structure */
	const u8 *end;		/* one past the table */
};

static int dmar_walk_init(const struct acpi_table_header *hdr,
			  struct dmar_walk *walk)
{
	if (hdr->length < sizeof(struct liommu_dmar_table)) {
		pr_err("DMAR table too short (%u bytes)\n", hdr->length);
		return -EINVAL;
	}
	walk->start = (const u8 *)hdr + sizeof(struct liommu_dmar_table);
	walk->end = (const u8 *)hdr + hdr->length;
	return 0;
}

/* Next remapping structure at @p, or NULL at the end; -EINVAL if bad. */
static const struct liommu_dmar_entry *
dmar_next(const struct dmar_walk *walk, const u8 *p, int *err)
{
	const struct liommu_dmar_entry *entry = (const void *)p;

	*err = 0;
	if (p >= walk->end)
		return NULL;
	if (walk->end - p < DMAR_ENTRY_MIN ||
	    le16_to_cpu(entry->length) < DMAR_ENTRY_MIN ||
	    le16_to_cpu(entry->length) > walk->end - p) {
		pr_err("DMAR entry at offset %td is malformed\n",
		       p - walk->start + sizeof(struct liommu_dmar_table));
		*err = -EINVAL;
		return NULL;
	}
	return entry;
}

/* Follow a scope path through its bridges to the bus of the last hop. */
static void dmar_resolve_path(u16 segment, const struct liommu_dmar_scope *ds,
			      struct liommu_vtd_scope *out)
{
	const struct liommu_dmar_path *path = (const void *)(ds + 1);
	int hops = (ds->length - sizeof(*ds)) / sizeof(*path);
	u8 bus = ds->start_bus;
	int i;

	out->type = ds->type;
	out->enumeration_id = ds->enumeration_id;
	out->resolved = hops > 0;
	for (i = 0; i < hops - 1; i++) {
		struct pci_dev *bridge;

		bridge = pci_get_domain_bus_and_slot(segment, bus,
				PCI_DEVFN(path[i].device, path[i].function));
		if (!bridge || !bridge->subordinate) {
			out->resolved = false;
			pci_dev_put(bridge);
			break;
		}
		bus = bridge->subordinate->number;
		pci_dev_put(bridge);
	}
	out->bus = bus;
	out->devfn = hops > 0 ? PCI_DEVFN(path[hops - 1].device,
					   path[hops - 1].function) : 0;
}

static int dmar_parse_drhd(const struct liommu_dmar_drhd *drhd,
			   struct liommu_vtd_unit *unit)
{
	u16 len = le16_to_cpu(drhd->entry.length);
	const u8 *p = (const u8 *)(drhd + 1);
	const u8 *end = (const u8 *)drhd + len;
	unsigned int n = 0;

	if (len < sizeof(*drhd)) {
		pr_err("DRHD %u is shorter than its fixed part\n", unit->index);
		return -EINVAL;
	}
	unit->base = le64_to_cpu(drhd->address);
	unit->segment = le16_to_cpu(drhd->segment);
	unit->include_all = drhd->flags & LIOMMU_DMAR_DRHD_INCLUDE_ALL;
	/* Size field: 2^size 4 KiB pages of registers (VT-d 3.0+), 0 = one. */
	unit->reg_size = SZ_4K << min_t(u8, drhd->size, 8);
	if (!unit->base || !IS_ALIGNED(unit->base, SZ_4K)) {
		pr_err("DRHD %u has a bad register address %#llx\n",
		       unit->index, unit->base);
		return -EINVAL;
	}

	/* Two passes: count and check, then fill. */
	while (p < end) {
		const struct liommu_dmar_scope *ds = (const void *)p;

		if (end - p < sizeof(*ds) || ds->length < sizeof(*ds) ||
		    ds->length > end - p || (ds->length - sizeof(*ds)) % 2) {
			pr_err("DRHD %u: malformed device scope entry %u\n",
			       unit->index, n);
			return -EINVAL;
		}
		n++;
		p += ds->length;
	}
	if (!n)
		return 0;

	unit->scope = liommu_fail_point("vtd:scope") ? NULL :
		      kcalloc(n, sizeof(*unit->scope), GFP_KERNEL);
	if (!unit->scope)
		return -ENOMEM;
	for (p = (const u8 *)(drhd + 1); unit->nr_scope < n;) {
		const struct liommu_dmar_scope *ds = (const void *)p;

		dmar_resolve_path(unit->segment, ds,
				  &unit->scope[unit->nr_scope++]);
		p += ds->length;
	}
	return 0;
}

/**
 * liommu_vtd_dmar_parse() - read the DRHD units of the ACPI DMAR table
 * @dmar: filled on success; release with liommu_vtd_dmar_free()
 *
 * Return: 0, -ENODEV if the machine has no DMAR table or no DRHD unit,
 * -EINVAL for a malformed table, -ENOMEM.
 */
int liommu_vtd_dmar_parse(struct liommu_vtd_dmar *dmar)
{
	const struct liommu_dmar_entry *entry;
	struct acpi_table_header *hdr;
	struct dmar_walk walk;
	unsigned int count = 0;
	const u8 *p;
	acpi_status status;
	int err;

	*dmar = (struct liommu_vtd_dmar){};
	status = acpi_get_table(ACPI_SIG_DMAR, 0, &hdr);
	if (ACPI_FAILURE(status)) {
		pr_err("no ACPI DMAR table: this machine has no VT-d unit (QEMU needs -device intel-iommu)\n");
		return -ENODEV;
	}
	err = dmar_walk_init(hdr, &walk);
	if (err)
		goto out_put;
	dmar->haw = ((struct liommu_dmar_table *)hdr)->haw + 1;
	dmar->flags = ((struct liommu_dmar_table *)hdr)->flags;

	for (p = walk.start; (entry = dmar_next(&walk, p, &err));
	     p += le16_to_cpu(entry->length))
		count += le16_to_cpu(entry->type) == LIOMMU_DMAR_TYPE_DRHD;
	if (err)
		goto out_put;
	if (!count) {
		pr_err("the DMAR table names no remapping unit (DRHD)\n");
		err = -ENODEV;
		goto out_put;
	}

	dmar->units = liommu_fail_point("vtd:units") ? NULL :
		      kcalloc(count, sizeof(*dmar->units), GFP_KERNEL);
	if (!dmar->units) {
		err = -ENOMEM;
		goto out_put;
	}
	for (p = walk.start; (entry = dmar_next(&walk, p, &err));
	     p += le16_to_cpu(entry->length)) {
		struct liommu_vtd_unit *unit;

		if (le16_to_cpu(entry->type) != LIOMMU_DMAR_TYPE_DRHD)
			continue;
		unit = &dmar->units[dmar->nr_units];
		unit->index = dmar->nr_units++;
		mutex_init(&unit->entry_lock);
		err = dmar_parse_drhd((const void *)entry, unit);
		if (err)
			break;
	}
	if (err)
		liommu_vtd_dmar_free(dmar);
out_put:
	acpi_put_table(hdr);
	return err;
}

/**
 * liommu_vtd_dmar_free() - release what liommu_vtd_dmar_parse() built
 * @dmar: the parsed table; its units must be unmapped already
 */
void liommu_vtd_dmar_free(struct liommu_vtd_dmar *dmar)
{
	unsigned int i;

	for (i = 0; i < dmar->nr_units; i++)
		kfree(dmar->units[i].scope);
	kfree(dmar->units);
	*dmar = (struct liommu_vtd_dmar){};
}
