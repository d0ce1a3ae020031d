/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * iommufd-lite: the iommufd uAPI of Linux 6.12 on /dev/iommufd-lite.
 *
 * Written for liommu from the 6.12 ABI: the ioctl numbers, the structure
 * layouts, the flags and the errnos are 6.12's, so a program written for
 * <linux/iommufd.h> works against /dev/iommufd-lite unchanged.  The
 * selftests compile this header next to the system's <linux/iommufd.h>
 * and assert that every structure both define has the same size and
 * field offsets, and every constant the same value
 * (selftests/iommufd/gen-layout-check.sh).
 *
 * Every command structure starts with @size, the number of bytes the
 * caller passes.  Fields are only ever appended; a caller that passes a
 * longer structure than the kernel knows must zero the bytes past it
 * (else E2BIG), one shorter than the command's first version gets
 * EINVAL.  Replies are written up to the smaller of the two sizes.
 *
 * Errnos the commands share: ENOTTY an unknown command; EINVAL a size
 * below the minimum, a zero or misaligned length or IOVA, an IOVA inside
 * a reserved range; E2BIG nonzero bytes past the kernel's structure;
 * EOPNOTSUPP unknown flags, a nonzero reserved field, an unsupported
 * type; ENOENT an ID that names no object of the wanted type; EBUSY an
 * object that something still uses; EEXIST an IOVA range that is mapped
 * already; EADDRINUSE an allowed range over a reserved one; ENOMEM no
 * memory or the caller's RLIMIT_MEMLOCK reached; EPERM a writeable map of
 * read-only memory; EMSGSIZE an array too short for the reply;
 * EOVERFLOW a range that wraps.
 *
 * Documentation/iommufd-lite.rst describes each command and what
 * iommufd-lite supports.
 */
#ifndef _LIOMMU_UAPI_IOMMUFD_H
#define _LIOMMU_UAPI_IOMMUFD_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define IOMMUFD_TYPE (';')

/* Command numbers: IOMMUFD_CMD_BASE + n, one table row each. */
enum {
	IOMMUFD_CMD_BASE = 0x80,
	IOMMUFD_CMD_DESTROY = IOMMUFD_CMD_BASE,
	IOMMUFD_CMD_IOAS_ALLOC = 0x81,
	IOMMUFD_CMD_IOAS_ALLOW_IOVAS = 0x82,
	IOMMUFD_CMD_IOAS_COPY = 0x83,
	IOMMUFD_CMD_IOAS_IOVA_RANGES = 0x84,
	IOMMUFD_CMD_IOAS_MAP = 0x85,
	IOMMUFD_CMD_IOAS_UNMAP = 0x86,
	IOMMUFD_CMD_OPTION = 0x87,
	IOMMUFD_CMD_VFIO_IOAS = 0x88,
	IOMMUFD_CMD_HWPT_ALLOC = 0x89,
	IOMMUFD_CMD_GET_HW_INFO = 0x8a,
	IOMMUFD_CMD_HWPT_SET_DIRTY_TRACKING = 0x8b,
	IOMMUFD_CMD_HWPT_GET_DIRTY_BITMAP = 0x8c,
	IOMMUFD_CMD_HWPT_INVALIDATE = 0x8d,
	IOMMUFD_CMD_FAULT_QUEUE_ALLOC = 0x8e,
};

/**
 * struct iommu_destroy - IOMMU_DESTROY: drop an object by ID
 * @size: sizeof(struct iommu_destroy)
 * @id: the object (IOAS, HWPT, fault queue); a device goes away with
 *	its device node instead.  EBUSY while another object uses it.
 */
struct iommu_destroy {
	__u32 size;
	__u32 id;
};
#define IOMMU_DESTROY _IO(IOMMUFD_TYPE, IOMMUFD_CMD_DESTROY)

/**
 * struct iommu_ioas_alloc - IOMMU_IOAS_ALLOC: a new, empty I/O address space
 * @size: sizeof(struct iommu_ioas_alloc)
 * @flags: must be 0
 * @out_ioas_id: the new IOAS
 */
struct iommu_ioas_alloc {
	__u32 size;
	__u32 flags;
	__u32 out_ioas_id;
};
#define IOMMU_IOAS_ALLOC _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_ALLOC)

/**
 * struct iommu_iova_range - one IOVA range, both ends inclusive
 * @start: first IOVA
 * @last: last IOVA
 */
struct iommu_iova_range {
	__aligned_u64 start;
	__aligned_u64 last;
};

/**
 * struct iommu_ioas_iova_ranges - IOMMU_IOAS_IOVA_RANGES: where maps may go
 * @size: sizeof(struct iommu_ioas_iova_ranges)
 * @ioas_id: the IOAS
 * @num_iovas: in: room in @allowed_iovas; out: how many ranges there are
 *	(EMSGSIZE when more than the room, the count still written)
 * @__reserved: must be 0
 * @allowed_iovas: user pointer to an array of &struct iommu_iova_range
 * @out_iova_alignment: the granule every IOVA and length must keep
 *
 * The ranges are what no attached domain's aperture or reserved regions
 * exclude, sorted.
 */
struct iommu_ioas_iova_ranges {
	__u32 size;
	__u32 ioas_id;
	__u32 num_iovas;
	__u32 __reserved;
	__aligned_u64 allowed_iovas;
	__aligned_u64 out_iova_alignment;
};
#define IOMMU_IOAS_IOVA_RANGES _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_IOVA_RANGES)

/**
 * struct iommu_ioas_allow_iovas - IOMMU_IOAS_ALLOW_IOVAS: limit IOVA allocation
 * @size: sizeof(struct iommu_ioas_allow_iovas)
 * @ioas_id: the IOAS
 * @num_iovas: entries in @allowed_iovas (0: no limit)
 * @__reserved: must be 0
 * @allowed_iovas: user pointer to an array of &struct iommu_iova_range
 *
 * IOVAs the kernel picks come from these ranges only.  A range that
 * overlaps a reserved one is refused with EADDRINUSE.
 */
struct iommu_ioas_allow_iovas {
	__u32 size;
	__u32 ioas_id;
	__u32 num_iovas;
	__u32 __reserved;
	__aligned_u64 allowed_iovas;
};
#define IOMMU_IOAS_ALLOW_IOVAS _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_ALLOW_IOVAS)

/**
 * enum iommufd_ioas_map_flags - flags of IOMMU_IOAS_MAP and IOMMU_IOAS_COPY
 * @IOMMU_IOAS_MAP_FIXED_IOVA: map at the given IOVA, not one the kernel picks
 * @IOMMU_IOAS_MAP_WRITEABLE: the device may write
 * @IOMMU_IOAS_MAP_READABLE: the device may read
 */
enum iommufd_ioas_map_flags {
	IOMMU_IOAS_MAP_FIXED_IOVA = 1 << 0,
	IOMMU_IOAS_MAP_WRITEABLE = 1 << 1,
	IOMMU_IOAS_MAP_READABLE = 1 << 2,
};

/**
 * struct iommu_ioas_map - IOMMU_IOAS_MAP: map user memory into an IOAS
 * @size: sizeof(struct iommu_ioas_map)
 * @flags: &enum iommufd_ioas_map_flags
 * @ioas_id: the IOAS
 * @__reserved: must be 0
 * @user_va: the user memory
 * @length: its length in bytes
 * @iova: in with FIXED_IOVA: where; out: where it was mapped
 *
 * The pages are pinned and charged to the caller's RLIMIT_MEMLOCK; every
 * domain attached to the IOAS gets the mapping.
 */
struct iommu_ioas_map {
	__u32 size;
	__u32 flags;
	__u32 ioas_id;
	__u32 __reserved;
	__aligned_u64 user_va;
	__aligned_u64 length;
	__aligned_u64 iova;
};
#define IOMMU_IOAS_MAP _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_MAP)

/**
 * struct iommu_ioas_copy - IOMMU_IOAS_COPY: map pages of one IOAS into another
 * @size: sizeof(struct iommu_ioas_copy)
 * @flags: &enum iommufd_ioas_map_flags
 * @dst_ioas_id: the IOAS that gets the mapping
 * @src_ioas_id: the IOAS whose mapped pages are taken
 * @length: bytes
 * @dst_iova: in with FIXED_IOVA: where; out: where it was mapped
 * @src_iova: where the pages are mapped in the source (whole mappings
 *	or parts of them; ENOENT where nothing is mapped)
 *
 * The pages stay pinned once, shared by both IOASes.
 */
struct iommu_ioas_copy {
	__u32 size;
	__u32 flags;
	__u32 dst_ioas_id;
	__u32 src_ioas_id;
	__aligned_u64 length;
	__aligned_u64 dst_iova;
	__aligned_u64 src_iova;
};
#define IOMMU_IOAS_COPY _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_COPY)

/**
 * struct iommu_ioas_unmap - IOMMU_IOAS_UNMAP: remove mappings from an IOAS
 * @size: sizeof(struct iommu_ioas_unmap)
 * @ioas_id: the IOAS
 * @iova: first IOVA (0 with @length U64_MAX: everything)
 * @length: in: bytes; out: bytes unmapped
 *
 * Only whole mappings are removed: a range that cuts one is refused
 * with ENOENT, as is a range that holds none.
 */
struct iommu_ioas_unmap {
	__u32 size;
	__u32 ioas_id;
	__aligned_u64 iova;
	__aligned_u64 length;
};
#define IOMMU_IOAS_UNMAP _IO(IOMMUFD_TYPE, IOMMUFD_CMD_IOAS_UNMAP)

/**
 * enum iommufd_option - the options of IOMMU_OPTION
 * @IOMMU_OPTION_RLIMIT_MODE: 0 charge pinned pages to the user, 1 to the
 *	process (fd-wide: @object_id 0; set needs CAP_SYS_RESOURCE and no
 *	objects yet)
 * @IOMMU_OPTION_HUGE_PAGES: 1 (default) map with the largest page sizes,
 *	0 with the smallest only (per IOAS)
 */
enum iommufd_option {
	IOMMU_OPTION_RLIMIT_MODE = 0,
	IOMMU_OPTION_HUGE_PAGES = 1,
};

/**
 * enum iommufd_option_ops - what IOMMU_OPTION does
 * @IOMMU_OPTION_OP_SET: set @val64
 * @IOMMU_OPTION_OP_GET: read it into @val64
 */
enum iommufd_option_ops {
	IOMMU_OPTION_OP_SET = 0,
	IOMMU_OPTION_OP_GET = 1,
};

/**
 * struct iommu_option - IOMMU_OPTION: read or set an option
 * @size: sizeof(struct iommu_option)
 * @option_id: &enum iommufd_option
 * @op: &enum iommufd_option_ops
 * @__reserved: must be 0
 * @object_id: the object the option belongs to (0: the fd)
 * @val64: the value
 */
struct iommu_option {
	__u32 size;
	__u32 option_id;
	__u16 op;
	__u16 __reserved;
	__u32 object_id;
	__aligned_u64 val64;
};
#define IOMMU_OPTION _IO(IOMMUFD_TYPE, IOMMUFD_CMD_OPTION)

/**
 * enum iommufd_vfio_ioas_op - IOMMU_VFIO_IOAS operations (not in iommufd-lite)
 * @IOMMU_VFIO_IOAS_GET: which IOAS the VFIO container uses
 * @IOMMU_VFIO_IOAS_SET: make it use one
 * @IOMMU_VFIO_IOAS_CLEAR: make it use none
 */
enum iommufd_vfio_ioas_op {
	IOMMU_VFIO_IOAS_GET = 0,
	IOMMU_VFIO_IOAS_SET = 1,
	IOMMU_VFIO_IOAS_CLEAR = 2,
};

/**
 * struct iommu_vfio_ioas - IOMMU_VFIO_IOAS: the VFIO container's IOAS
 * @size: sizeof(struct iommu_vfio_ioas)
 * @ioas_id: the IOAS
 * @op: &enum iommufd_vfio_ioas_op
 * @__reserved: must be 0
 *
 * iommufd-lite has no VFIO container: ENOTTY.
 */
struct iommu_vfio_ioas {
	__u32 size;
	__u32 ioas_id;
	__u16 op;
	__u16 __reserved;
};
#define IOMMU_VFIO_IOAS _IO(IOMMUFD_TYPE, IOMMUFD_CMD_VFIO_IOAS)

/**
 * enum iommufd_hwpt_alloc_flags - flags of IOMMU_HWPT_ALLOC
 * @IOMMU_HWPT_ALLOC_NEST_PARENT: the HWPT may be the parent of nested ones
 * @IOMMU_HWPT_ALLOC_DIRTY_TRACKING: dirty tracking (EOPNOTSUPP here)
 * @IOMMU_HWPT_FAULT_ID_VALID: @fault_id names a fault queue (paging and
 *	nested HWPTs: later Linux's rule; 6.12 took it on nested ones only)
 */
enum iommufd_hwpt_alloc_flags {
	IOMMU_HWPT_ALLOC_NEST_PARENT = 1 << 0,
	IOMMU_HWPT_ALLOC_DIRTY_TRACKING = 1 << 1,
	IOMMU_HWPT_FAULT_ID_VALID = 1 << 2,
};

/**
 * enum iommu_hwpt_vtd_s1_flags - flags of &struct iommu_hwpt_vtd_s1
 * @IOMMU_VTD_S1_SRE: supervisor requests
 * @IOMMU_VTD_S1_EAFE: extended access flag
 * @IOMMU_VTD_S1_WPE: write protect
 */
enum iommu_hwpt_vtd_s1_flags {
	IOMMU_VTD_S1_SRE = 1 << 0,
	IOMMU_VTD_S1_EAFE = 1 << 1,
	IOMMU_VTD_S1_WPE = 1 << 2,
};

/**
 * struct iommu_hwpt_vtd_s1 - a VT-d stage-1 table the user owns
 * @flags: &enum iommu_hwpt_vtd_s1_flags
 * @pgtbl_addr: its root, an address the parent translates
 * @addr_width: 48 or 57
 * @__reserved: must be 0
 */
struct iommu_hwpt_vtd_s1 {
	__aligned_u64 flags;
	__aligned_u64 pgtbl_addr;
	__u32 addr_width;
	__u32 __reserved;
};

/**
 * enum iommu_hwpt_data_type - the data of IOMMU_HWPT_ALLOC
 * @IOMMU_HWPT_DATA_NONE: none: a paging HWPT over an IOAS
 * @IOMMU_HWPT_DATA_VTD_S1: &struct iommu_hwpt_vtd_s1: nested over a parent
 */
enum iommu_hwpt_data_type {
	IOMMU_HWPT_DATA_NONE = 0,
	IOMMU_HWPT_DATA_VTD_S1 = 1,
};

/**
 * struct iommu_hwpt_alloc - IOMMU_HWPT_ALLOC: a hardware page table
 * @size: sizeof(struct iommu_hwpt_alloc)
 * @flags: &enum iommufd_hwpt_alloc_flags
 * @dev_id: a bound device whose IOMMU the HWPT is for
 * @pt_id: an IOAS (paging HWPT, mappings replayed from it) or a
 *	NEST_PARENT HWPT (nested HWPT)
 * @out_hwpt_id: the new HWPT
 * @__reserved: must be 0
 * @data_type: &enum iommu_hwpt_data_type (IOMMU_HWPT_DATA_ARM_SMMUV3 too)
 * @data_len: bytes at @data_uptr
 * @data_uptr: the vendor data of a nested HWPT
 * @fault_id: a fault queue, with IOMMU_HWPT_FAULT_ID_VALID
 * @__reserved2: must be 0
 */
struct iommu_hwpt_alloc {
	__u32 size;
	__u32 flags;
	__u32 dev_id;
	__u32 pt_id;
	__u32 out_hwpt_id;
	__u32 __reserved;
	__u32 data_type;
	__u32 data_len;
	__aligned_u64 data_uptr;
	__u32 fault_id;
	__u32 __reserved2;
};
#define IOMMU_HWPT_ALLOC _IO(IOMMUFD_TYPE, IOMMUFD_CMD_HWPT_ALLOC)

/**
 * enum iommu_hw_info_vtd_flags - flags of &struct iommu_hw_info_vtd
 * @IOMMU_HW_INFO_VTD_ERRATA_772415_SPR17: that erratum applies
 */
enum iommu_hw_info_vtd_flags {
	IOMMU_HW_INFO_VTD_ERRATA_772415_SPR17 = 1 << 0,
};

/**
 * struct iommu_hw_info_vtd - what GET_HW_INFO tells of a VT-d unit
 * @flags: &enum iommu_hw_info_vtd_flags
 * @__reserved: 0
 * @cap_reg: the unit's capability register
 * @ecap_reg: its extended capability register
 */
struct iommu_hw_info_vtd {
	__u32 flags;
	__u32 __reserved;
	__aligned_u64 cap_reg;
	__aligned_u64 ecap_reg;
};

/**
 * enum iommu_hw_info_type - the data GET_HW_INFO returns
 * @IOMMU_HW_INFO_TYPE_NONE: none
 * @IOMMU_HW_INFO_TYPE_INTEL_VTD: &struct iommu_hw_info_vtd
 */
enum iommu_hw_info_type {
	IOMMU_HW_INFO_TYPE_NONE = 0,
	IOMMU_HW_INFO_TYPE_INTEL_VTD = 1,
};

/**
 * enum iommufd_hw_capabilities - &struct iommu_hw_info.out_capabilities
 * @IOMMU_HW_CAP_DIRTY_TRACKING: dirty tracking
 * @IOMMU_HW_CAP_PCI_PASID_EXEC: execute-requested PASID TLPs
 * @IOMMU_HW_CAP_PCI_PASID_PRIV: privileged-mode PASID TLPs
 */
enum iommufd_hw_capabilities {
	IOMMU_HW_CAP_DIRTY_TRACKING = 1 << 0,
	IOMMU_HW_CAP_PCI_PASID_EXEC = 1 << 1,
	IOMMU_HW_CAP_PCI_PASID_PRIV = 1 << 2,
};

/**
 * struct iommu_hw_info - IOMMU_GET_HW_INFO: what the IOMMU of a device is
 * @size: sizeof(struct iommu_hw_info)
 * @flags: must be 0
 * @dev_id: a bound device
 * @data_len: in: room at @data_uptr; out: bytes the kernel has
 * @data_uptr: where the vendor data goes (zero-filled past its end)
 * @out_data_type: &enum iommu_hw_info_type
 * @out_max_pasid_log2: the device's PASID width (0: no PASID)
 * @__reserved: must be 0
 * @out_capabilities: &enum iommufd_hw_capabilities
 */
struct iommu_hw_info {
	__u32 size;
	__u32 flags;
	__u32 dev_id;
	__u32 data_len;
	__aligned_u64 data_uptr;
	__u32 out_data_type;
	__u8 out_max_pasid_log2;
	__u8 __reserved[3];
	__aligned_u64 out_capabilities;
};
#define IOMMU_GET_HW_INFO _IO(IOMMUFD_TYPE, IOMMUFD_CMD_GET_HW_INFO)

/**
 * enum iommufd_hwpt_set_dirty_tracking_flags - dirty tracking on or off
 * @IOMMU_HWPT_DIRTY_TRACKING_ENABLE: on
 */
enum iommufd_hwpt_set_dirty_tracking_flags {
	IOMMU_HWPT_DIRTY_TRACKING_ENABLE = 1,
};

/**
 * struct iommu_hwpt_set_dirty_tracking - (not in iommufd-lite: ENOTTY)
 * @size: sizeof(struct iommu_hwpt_set_dirty_tracking)
 * @flags: &enum iommufd_hwpt_set_dirty_tracking_flags
 * @hwpt_id: the HWPT
 * @__reserved: must be 0
 */
struct iommu_hwpt_set_dirty_tracking {
	__u32 size;
	__u32 flags;
	__u32 hwpt_id;
	__u32 __reserved;
};
#define IOMMU_HWPT_SET_DIRTY_TRACKING _IO(IOMMUFD_TYPE, \
					  IOMMUFD_CMD_HWPT_SET_DIRTY_TRACKING)

/**
 * enum iommufd_hwpt_get_dirty_bitmap_flags - how the bitmap is read
 * @IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR: read without clearing
 */
enum iommufd_hwpt_get_dirty_bitmap_flags {
	IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR = 1,
};

/**
 * struct iommu_hwpt_get_dirty_bitmap - (not in iommufd-lite: ENOTTY)
 * @size: sizeof(struct iommu_hwpt_get_dirty_bitmap)
 * @hwpt_id: the HWPT
 * @flags: &enum iommufd_hwpt_get_dirty_bitmap_flags
 * @__reserved: must be 0
 * @iova: first IOVA
 * @length: bytes
 * @page_size: bytes per bit
 * @data: user pointer to the bitmap
 */
struct iommu_hwpt_get_dirty_bitmap {
	__u32 size;
	__u32 hwpt_id;
	__u32 flags;
	__u32 __reserved;
	__aligned_u64 iova;
	__aligned_u64 length;
	__aligned_u64 page_size;
	__aligned_u64 data;
};
#define IOMMU_HWPT_GET_DIRTY_BITMAP _IO(IOMMUFD_TYPE, \
					IOMMUFD_CMD_HWPT_GET_DIRTY_BITMAP)

/**
 * enum iommu_hwpt_invalidate_data_type - the entries of HWPT_INVALIDATE
 * @IOMMU_HWPT_INVALIDATE_DATA_VTD_S1: &struct iommu_hwpt_vtd_s1_invalidate
 */
enum iommu_hwpt_invalidate_data_type {
	IOMMU_HWPT_INVALIDATE_DATA_VTD_S1 = 0,
};

/**
 * enum iommu_hwpt_vtd_s1_invalidate_flags - flags of a VT-d stage-1 entry
 * @IOMMU_VTD_INV_FLAGS_LEAF: only leaf entries changed
 */
enum iommu_hwpt_vtd_s1_invalidate_flags {
	IOMMU_VTD_INV_FLAGS_LEAF = 1 << 0,
};

/**
 * struct iommu_hwpt_vtd_s1_invalidate - drop a range of a VT-d stage 1
 * @addr: first address, 4 KiB aligned
 * @npages: pages (U64_MAX with @addr 0: all)
 * @flags: &enum iommu_hwpt_vtd_s1_invalidate_flags
 * @__reserved: must be 0
 */
struct iommu_hwpt_vtd_s1_invalidate {
	__aligned_u64 addr;
	__aligned_u64 npages;
	__u32 flags;
	__u32 __reserved;
};

/**
 * struct iommu_hwpt_invalidate - IOMMU_HWPT_INVALIDATE: flush a nested HWPT
 * @size: sizeof(struct iommu_hwpt_invalidate)
 * @hwpt_id: a nested HWPT
 * @data_uptr: user pointer to the entries
 * @data_type: &enum iommu_hwpt_invalidate_data_type (or
 *	IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3 on an SMMUv3 nested HWPT)
 * @entry_len: bytes per entry
 * @entry_num: in: entries; out: entries handled before the first that
 *	failed
 * @__reserved: must be 0
 */
struct iommu_hwpt_invalidate {
	__u32 size;
	__u32 hwpt_id;
	__aligned_u64 data_uptr;
	__u32 data_type;
	__u32 entry_len;
	__u32 entry_num;
	__u32 __reserved;
};
#define IOMMU_HWPT_INVALIDATE _IO(IOMMUFD_TYPE, IOMMUFD_CMD_HWPT_INVALIDATE)

/**
 * enum iommu_hwpt_pgfault_flags - flags of &struct iommu_hwpt_pgfault
 * @IOMMU_PGFAULT_FLAGS_PASID_VALID: @pasid is valid
 * @IOMMU_PGFAULT_FLAGS_LAST_PAGE: last fault of its group
 */
enum iommu_hwpt_pgfault_flags {
	IOMMU_PGFAULT_FLAGS_PASID_VALID = (1 << 0),
	IOMMU_PGFAULT_FLAGS_LAST_PAGE = (1 << 1),
};

/**
 * enum iommu_hwpt_pgfault_perm - access of a faulting request
 * @IOMMU_PGFAULT_PERM_READ: read
 * @IOMMU_PGFAULT_PERM_WRITE: write
 * @IOMMU_PGFAULT_PERM_EXEC: execute
 * @IOMMU_PGFAULT_PERM_PRIV: privileged
 */
enum iommu_hwpt_pgfault_perm {
	IOMMU_PGFAULT_PERM_READ = (1 << 0),
	IOMMU_PGFAULT_PERM_WRITE = (1 << 1),
	IOMMU_PGFAULT_PERM_EXEC = (1 << 2),
	IOMMU_PGFAULT_PERM_PRIV = (1 << 3),
};

/**
 * struct iommu_hwpt_pgfault - one fault read from a fault queue fd
 * @flags: &enum iommu_hwpt_pgfault_flags
 * @dev_id: the device
 * @pasid: its PASID
 * @grpid: page request group
 * @perm: &enum iommu_hwpt_pgfault_perm
 * @__reserved: 0
 * @addr: faulting address
 * @length: bytes
 * @cookie: to answer with
 */
struct iommu_hwpt_pgfault {
	__u32 flags;
	__u32 dev_id;
	__u32 pasid;
	__u32 grpid;
	__u32 perm;
	__u32 __reserved;
	__aligned_u64 addr;
	__u32 length;
	__u32 cookie;
};

/**
 * enum iommufd_page_response_code - the answer to a fault
 * @IOMMUFD_PAGE_RESP_SUCCESS: retry
 * @IOMMUFD_PAGE_RESP_INVALID: fail the request
 */
enum iommufd_page_response_code {
	IOMMUFD_PAGE_RESP_SUCCESS = 0,
	IOMMUFD_PAGE_RESP_INVALID = 1,
};

/**
 * struct iommu_hwpt_page_response - an answer written to a fault queue fd
 * @cookie: the fault's
 * @code: &enum iommufd_page_response_code
 */
struct iommu_hwpt_page_response {
	__u32 cookie;
	__u32 code;
};

/**
 * struct iommu_fault_alloc - IOMMU_FAULT_QUEUE_ALLOC: a queue of page faults
 * @size: sizeof(struct iommu_fault_alloc)
 * @flags: must be 0
 * @out_fault_id: the queue, for IOMMU_HWPT_ALLOC's @fault_id
 * @out_fault_fd: its fd: read() gives &struct iommu_hwpt_pgfault records
 *	(0 bytes when none waits), write() takes &struct
 *	iommu_hwpt_page_response answers (EINVAL for an unknown cookie or
 *	code); poll() says when records wait
 */
struct iommu_fault_alloc {
	__u32 size;
	__u32 flags;
	__u32 out_fault_id;
	__u32 out_fault_fd;
};
#define IOMMU_FAULT_QUEUE_ALLOC _IO(IOMMUFD_TYPE, IOMMUFD_CMD_FAULT_QUEUE_ALLOC)

/* LIOMMU-LAYOUT-END: below, what later Linux added (not in 6.12's header). */

/*
 * SMMUv3 as later Linux names it: its GET_HW_INFO data (type 2), its
 * nested data (type 2) and its invalidation entries (type 1; later Linux
 * takes them through a vIOMMU object, iommufd-lite through
 * IOMMU_HWPT_INVALIDATE on the nested HWPT).
 */
#define IOMMU_HW_INFO_TYPE_ARM_SMMUV3			2
#define IOMMU_HWPT_DATA_ARM_SMMUV3			2
#define IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3		1

/**
 * struct iommu_hw_info_arm_smmuv3 - what GET_HW_INFO tells of an SMMUv3
 * @flags: 0
 * @__reserved: 0
 * @idr: IDR0..IDR5, raw, as the unit reads (SMMUv3 spec 6.3.1-6.3.6)
 * @iidr: IIDR
 * @aidr: AIDR
 *
 * Later Linux's layout (type IOMMU_HW_INFO_TYPE_ARM_SMMUV3, 2); 6.12's
 * header has none, so the selftests check its size and offsets
 * themselves.
 */
struct iommu_hw_info_arm_smmuv3 {
	__u32 flags;
	__u32 __reserved;
	__u32 idr[6];
	__u32 iidr;
	__u32 aidr;
};

/**
 * struct iommu_hwpt_arm_smmuv3 - an SMMUv3 stage 1 the user owns
 * @ste: STE words 0 and 1, little endian (V, Config, S1 fields)
 */
struct iommu_hwpt_arm_smmuv3 {
	__u64 ste[2];
};

/**
 * struct iommu_viommu_arm_smmuv3_invalidate - one SMMUv3 command
 * @cmd: the 128-bit command, little endian
 */
struct iommu_viommu_arm_smmuv3_invalidate {
	__u64 cmd[2];
};

#endif /* _LIOMMU_UAPI_IOMMUFD_H */
