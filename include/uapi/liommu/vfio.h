/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * iommufd-lite's device nodes (/dev/liommu/<pci-name>): the part of
 * VFIO's device cdev uAPI (Linux 6.12, <linux/vfio.h>) they speak, with
 * VFIO's ioctl numbers and layouts.  Written for liommu from the 6.12
 * ABI; the selftests check it against the system's <linux/vfio.h> like
 * <liommu/iommufd.h>.
 *
 * A node is bound to one iommufd-lite fd (VFIO_DEVICE_BIND_IOMMUFD),
 * attached to an IOAS or HWPT of that fd, described (GET_INFO,
 * GET_REGION_INFO), its memory BARs mmapped, its PCI command register
 * written through the config region (memory and bus master bits only).
 * Every ioctl but BIND needs the bind first (EINVAL).
 *
 * Every structure starts with @argsz: the bytes the caller passes (at
 * least the structure's first version, else EINVAL).
 */
#ifndef _LIOMMU_UAPI_VFIO_H
#define _LIOMMU_UAPI_VFIO_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define VFIO_TYPE	(';')
#define VFIO_BASE	100

/**
 * struct vfio_device_info - VFIO_DEVICE_GET_INFO
 * @argsz: sizeof(struct vfio_device_info)
 * @flags: out: VFIO_DEVICE_FLAGS_*
 * @num_regions: out: region indexes (VFIO_PCI_NUM_REGIONS)
 * @num_irqs: out: 0 (no interrupts through iommufd-lite)
 * @cap_offset: out: 0 (no capability chain)
 * @pad: 0
 */
struct vfio_device_info {
	__u32	argsz;
	__u32	flags;
#define VFIO_DEVICE_FLAGS_RESET	(1 << 0)
#define VFIO_DEVICE_FLAGS_PCI	(1 << 1)
	__u32	num_regions;
	__u32	num_irqs;
	__u32	cap_offset;
	__u32	pad;
};
#define VFIO_DEVICE_GET_INFO		_IO(VFIO_TYPE, VFIO_BASE + 7)

/**
 * struct vfio_region_info - VFIO_DEVICE_GET_REGION_INFO
 * @argsz: sizeof(struct vfio_region_info)
 * @flags: out: VFIO_REGION_INFO_FLAG_*
 * @index: in: VFIO_PCI_BAR0_REGION_INDEX..VFIO_PCI_CONFIG_REGION_INDEX
 * @cap_offset: out: 0
 * @size: out: bytes (0: no such BAR)
 * @offset: out: where the region starts in the device fd (pread, pwrite,
 *	mmap)
 */
struct vfio_region_info {
	__u32	argsz;
	__u32	flags;
#define VFIO_REGION_INFO_FLAG_READ	(1 << 0)
#define VFIO_REGION_INFO_FLAG_WRITE	(1 << 1)
#define VFIO_REGION_INFO_FLAG_MMAP	(1 << 2)
#define VFIO_REGION_INFO_FLAG_CAPS	(1 << 3)
	__u32	index;
	__u32	cap_offset;
	__aligned_u64	size;
	__aligned_u64	offset;
};
#define VFIO_DEVICE_GET_REGION_INFO	_IO(VFIO_TYPE, VFIO_BASE + 8)

#define VFIO_DEVICE_RESET		_IO(VFIO_TYPE, VFIO_BASE + 11)

/* PCI region indexes. */
enum {
	VFIO_PCI_BAR0_REGION_INDEX,
	VFIO_PCI_BAR1_REGION_INDEX,
	VFIO_PCI_BAR2_REGION_INDEX,
	VFIO_PCI_BAR3_REGION_INDEX,
	VFIO_PCI_BAR4_REGION_INDEX,
	VFIO_PCI_BAR5_REGION_INDEX,
	VFIO_PCI_ROM_REGION_INDEX,
	VFIO_PCI_CONFIG_REGION_INDEX,
	VFIO_PCI_VGA_REGION_INDEX,
	VFIO_PCI_NUM_REGIONS = 9
};

/**
 * struct vfio_device_bind_iommufd - VFIO_DEVICE_BIND_IOMMUFD
 * @argsz: sizeof(struct vfio_device_bind_iommufd)
 * @flags: must be 0
 * @iommufd: an open /dev/iommufd-lite fd
 * @out_devid: the device's object ID in that fd
 *
 * Once per open of the node; the device stays bound until the node's
 * fd is closed.  EBUSY: another fd has the device.
 */
struct vfio_device_bind_iommufd {
	__u32		argsz;
	__u32		flags;
	__s32		iommufd;
	__u32		out_devid;
};
#define VFIO_DEVICE_BIND_IOMMUFD	_IO(VFIO_TYPE, VFIO_BASE + 18)

/**
 * struct vfio_device_attach_iommufd_pt - VFIO_DEVICE_ATTACH_IOMMUFD_PT
 * @argsz: sizeof(struct vfio_device_attach_iommufd_pt)
 * @flags: must be 0
 * @pt_id: in: an IOAS or HWPT of the bound fd; out: the HWPT attached
 *
 * Attaching again replaces the attachment without a blocked window.
 */
struct vfio_device_attach_iommufd_pt {
	__u32	argsz;
	__u32	flags;
	__u32	pt_id;
};
#define VFIO_DEVICE_ATTACH_IOMMUFD_PT		_IO(VFIO_TYPE, VFIO_BASE + 19)

/**
 * struct vfio_device_detach_iommufd_pt - VFIO_DEVICE_DETACH_IOMMUFD_PT
 * @argsz: sizeof(struct vfio_device_detach_iommufd_pt)
 * @flags: must be 0
 *
 * Back to blocked DMA.
 */
struct vfio_device_detach_iommufd_pt {
	__u32	argsz;
	__u32	flags;
};
#define VFIO_DEVICE_DETACH_IOMMUFD_PT		_IO(VFIO_TYPE, VFIO_BASE + 20)

/* LIOMMU-LAYOUT-END */

/* The device fd's offset of region @index (VFIO PCI's convention). */
#define LIOMMU_VFIO_REGION_SHIFT	40
#define LIOMMU_VFIO_REGION_OFFSET(index) \
	((__u64)(index) << LIOMMU_VFIO_REGION_SHIFT)

#endif /* _LIOMMU_UAPI_VFIO_H */
