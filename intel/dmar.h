/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ACPI DMAR table as firmware lays it out (VT-d specification,
 * chapter 8 "BIOS Considerations").  Little-endian, packed; read only
 * through the le*_to_cpu() helpers.  Our own description, so that the
 * parser does not depend on how each kernel version names the fields.
 */
#ifndef _LIOMMU_VTD_DMAR_H
#define _LIOMMU_VTD_DMAR_H

#include <linux/acpi.h>
#include <linux/types.h>

/* DMAR table header (8.1): the ACPI header, then these. */
struct liommu_dmar_table {
	struct acpi_table_header header;
	u8 haw;			/* host address width - 1 */
	u8 flags;
	u8 reserved[10];
} __packed;

/* Remapping structure types (8.2) */
#define LIOMMU_DMAR_TYPE_DRHD		0
#define LIOMMU_DMAR_TYPE_RMRR		1
#define LIOMMU_DMAR_TYPE_ATSR		2
#define LIOMMU_DMAR_TYPE_RHSA		3
#define LIOMMU_DMAR_TYPE_ANDD		4
#define LIOMMU_DMAR_TYPE_SATC		5

/* Every remapping structure starts with type and length. */
struct liommu_dmar_entry {
	__le16 type;
	__le16 length;
} __packed;

/* DMA Remapping Hardware Unit Definition (8.3) */
struct liommu_dmar_drhd {
	struct liommu_dmar_entry entry;
	u8 flags;
	u8 size;		/* 2^size 4 KiB pages of registers (3.0+) */
	__le16 segment;
	__le64 address;
} __packed;

#define LIOMMU_DMAR_DRHD_INCLUDE_ALL	BIT(0)

/* Device scope entry (8.3.1), followed by (device, function) pairs. */
struct liommu_dmar_scope {
	u8 type;
	u8 length;
	u8 flags;
	u8 reserved;
	u8 enumeration_id;
	u8 start_bus;
} __packed;

struct liommu_dmar_path {
	u8 device;
	u8 function;
} __packed;

#endif /* _LIOMMU_VTD_DMAR_H */
