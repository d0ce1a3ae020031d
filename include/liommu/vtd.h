/* SPDX-License-Identifier: GPL-2.0 */
/*
 * liommu VT-d driver: read-only query of the remapping units it found.
 *
 * liommu_intel.ko parses the ACPI DMAR table, maps each DRHD unit's
 * registers and decodes VER, CAP, ECAP and GSTS once, at load.  This header
 * offers what it decoded to other modules (the self-test module, later the
 * core's diagnostics).  All of it is a snapshot taken at load time except
 * liommu_vtd_read_gsts() and liommu_vtd_read_dev_entries(), which read the
 * live register and tables, and liommu_vtd_qi_sync(), which waits for the
 * unit's invalidation queue to drain.
 */
#ifndef _LIOMMU_VTD_H
#define _LIOMMU_VTD_H

#include <linux/types.h>

/* Device scope entry types of the DMAR table (VT-d spec 8.3.1). */
#define LIOMMU_VTD_SCOPE_PCI_ENDPOINT	1
#define LIOMMU_VTD_SCOPE_PCI_SUBTREE	2
#define LIOMMU_VTD_SCOPE_IOAPIC		3
#define LIOMMU_VTD_SCOPE_HPET		4
#define LIOMMU_VTD_SCOPE_ACPI_NAMESPACE	5

/**
 * struct liommu_vtd_scope - one device scope entry of a DRHD unit
 * @type: LIOMMU_VTD_SCOPE_*
 * @enumeration_id: IOAPIC/HPET id, or ACPI device number; 0 for PCI
 * @bus: bus number the path resolves to (for PCI: the device's own bus)
 * @devfn: device and function at the end of the path
 * @resolved: the path's bridges were all found, so @bus is exact
 */
struct liommu_vtd_scope {
	u8 type;
	u8 enumeration_id;
	u8 bus;
	u8 devfn;
	bool resolved;
};

/**
 * struct liommu_vtd_caps - a unit's capabilities, decoded once
 * @ver_major: VER major version
 * @ver_minor: VER minor version
 * @nr_domain_ids: number of domain ids (from CAP.ND)
 * @sagaw: CAP.SAGAW bitmap (LIOMMU_VTD_SAGAW_*)
 * @mgaw: maximum guest address width in bits
 * @sl_pgsize_bitmap: second-stage page sizes, bytes (4K always)
 * @fl_pgsize_bitmap: first-stage page sizes (0 without first-stage)
 * @fault_reg_offset: offset of the first fault recording register
 * @nr_fault_records: number of fault recording registers
 * @iotlb_reg_offset: offset of the IOTLB invalidate registers
 * @max_addr_mask: CAP.MAMV, the largest page-selective address mask
 * @pasid_bits: PASID width the unit supports; 0 without PASID support
 * @psi: page-selective IOTLB invalidation
 * @caching_mode: CAP.CM, not-present entries may be cached
 * @rwbf: write-buffer flushing required
 * @qi: queued invalidation
 * @dev_tlb: device-TLB (ATS) support
 * @intr_remap: interrupt remapping
 * @pass_through: pass-through translation type
 * @snoop_control: snoop control
 * @nested: nested translation
 * @page_requests: page request support (PRI)
 * @scalable: scalable-mode translation (ECAP.SMTS)
 * @scalable_root: scalable-mode root table support (ECAP.SRS)
 * @first_stage: first-stage translation in scalable mode (ECAP.FLTS)
 * @second_stage: second-stage translation in scalable mode (ECAP.SLTS)
 * @fl_5level: first-stage 5-level paging (CAP.FL5LP)
 * @rid_pasid: RID_PASID field support (ECAP.RPS)
 */
struct liommu_vtd_caps {
	u8 ver_major;
	u8 ver_minor;
	u32 nr_domain_ids;
	u8 sagaw;
	u8 mgaw;
	u64 sl_pgsize_bitmap;
	u64 fl_pgsize_bitmap;
	u32 fault_reg_offset;
	u32 nr_fault_records;
	u32 iotlb_reg_offset;
	u8 max_addr_mask;
	u8 pasid_bits;
	bool psi;
	bool caching_mode;
	bool rwbf;
	bool qi;
	bool dev_tlb;
	bool intr_remap;
	bool pass_through;
	bool snoop_control;
	bool nested;
	bool page_requests;
	bool scalable;
	bool scalable_root;
	bool first_stage;
	bool second_stage;
	bool fl_5level;
	bool rid_pasid;
};

/**
 * struct liommu_vtd_unit_info - what the driver knows of one DRHD unit
 * @index: position in the DMAR table, from 0
 * @base: physical address of the register set
 * @reg_size: bytes of registers the driver mapped
 * @segment: PCI segment
 * @include_all: DRHD INCLUDE_PCI_ALL flag
 * @haw: host address width from the DMAR header, bits
 * @nr_scope: number of device scope entries
 * @ver: raw VER register at load
 * @cap: raw CAP register at load
 * @ecap: raw ECAP register at load
 * @gsts: raw GSTS register at load
 * @caps: @ver, @cap and @ecap decoded
 */
struct liommu_vtd_unit_info {
	unsigned int index;
	u64 base;
	u32 reg_size;
	u16 segment;
	bool include_all;
	u8 haw;
	unsigned int nr_scope;
	u32 ver;
	u64 cap;
	u64 ecap;
	u32 gsts;
	struct liommu_vtd_caps caps;
};

/**
 * struct liommu_vtd_dev_entries - the live table entries of one requester
 * @rtaddr: the unit's RTADDR register, read now (TTM says the format)
 * @scalable: the driver built scalable-mode tables
 * @root: the root entry of the bus (legacy or scalable format)
 * @context: the context entry; legacy entries use words 0 and 1
 * @pasid_dir: scalable: the PASID directory entry of the context
 *	entry's RID_PASID; 0 otherwise
 * @pasid: scalable: the PASID table entry of RID_PASID; 0 otherwise
 *
 * Words are in CPU order; decode them with the fields of intel/tables.h.
 * A word the walk did not reach (an entry not present) reads 0.
 */
struct liommu_vtd_dev_entries {
	u64 rtaddr;
	bool scalable;
	u64 root[2];
	u64 context[4];
	u64 pasid_dir;
	u64 pasid[8];
};

/* Faults liommu_intel.ko keeps per unit (the newest ones). */
#define LIOMMU_VTD_FAULT_LOG		8

/* Fault reasons QEMU reports for second-stage walks (VT-d spec 7.1.3). */
#define LIOMMU_VTD_FR_CONTEXT_NOT_PRESENT	0x02
#define LIOMMU_VTD_FR_WRITE			0x05
#define LIOMMU_VTD_FR_READ			0x06
#define LIOMMU_VTD_FR_PASID_ENTRY_NOT_PRESENT	0x59
/*
 * Scalable-mode first-stage walks (spec appendix "Fault Reason
 * Encodings"; the codes QEMU 10.0 reports): a not-present first-stage
 * entry, a non-canonical input address, an entry with U/S clear, and a
 * write through an entry without R/W (reported for any translation type).
 */
#define LIOMMU_VTD_FR_FS_NOT_PRESENT		0x71
#define LIOMMU_VTD_FR_FS_NON_CANONICAL		0x80
#define LIOMMU_VTD_FR_FS_US			0x81
#define LIOMMU_VTD_FR_SM_WRITE			0x85

/**
 * struct liommu_vtd_fault - one decoded fault recording register
 * @seq: number of this fault among all the unit's faults since load, from 1
 * @addr: the faulting page address (FI, bits 63:12)
 * @sid: source id, the requester's bus << 8 | devfn
 * @reason: fault reason (FR)
 * @read: the request was a read (T=1); 0: a write
 * @pasid_present: the request carried a PASID (PP)
 * @pasid: its PASID (PV)
 */
struct liommu_vtd_fault {
	u64 seq;
	u64 addr;
	u16 sid;
	u8 reason;
	bool read;
	bool pasid_present;
	u32 pasid;
};

/**
 * struct liommu_vtd_inv_stats - invalidations a paging domain issued
 * @did: the domain id
 * @syncs: iotlb_sync calls (one per liommu_unmap() that unmapped anything)
 * @submissions: invalidation-queue submissions for IOTLB flushes (each
 *	ends with one wait descriptor)
 * @last_n: descriptors of the last IOTLB submission, wait not counted
 * @last: those descriptors, four CPU-order words each
 */
struct liommu_vtd_inv_stats {
	u16 did;
	unsigned long syncs;
	unsigned long submissions;
	unsigned int last_n;
	u64 last[2][4];
};

struct liommu_domain;

unsigned int liommu_vtd_nr_units(void);
int liommu_vtd_get_unit_info(unsigned int index,
			     struct liommu_vtd_unit_info *info);
int liommu_vtd_get_scope(unsigned int index, unsigned int entry,
			 struct liommu_vtd_scope *scope);
int liommu_vtd_read_gsts(unsigned int index, u32 *gsts);
int liommu_vtd_read_dev_entries(unsigned int index, u8 bus, u8 devfn,
				struct liommu_vtd_dev_entries *entries);
int liommu_vtd_read_pasid_entry(unsigned int index, u8 bus, u8 devfn,
				u32 pasid, u64 *words);
int liommu_vtd_qi_sync(unsigned int index);
/* Test only: symbol namespace LIOMMU_TEST (include/liommu/compat.h). */
int liommu_vtd_qi_submit(unsigned int index, const u64 *words, unsigned int n);
int liommu_vtd_read_qi(unsigned int index, u64 since, u64 (*out)[4],
		       unsigned int max, u64 *issued);

int liommu_vtd_read_faults(unsigned int index, struct liommu_vtd_fault *out,
			   unsigned int max);
int liommu_vtd_read_fsts(unsigned int index, u32 *fsts);
int liommu_vtd_dids_in_use(unsigned int index);
int liommu_vtd_domain_inv_stats(struct liommu_domain *domain,
				struct liommu_vtd_inv_stats *stats);
int liommu_vtd_domain_root(struct liommu_domain *domain, u64 *root_pa,
			   u16 *did, u8 *aw);

/* Self-tests of the entry writer (intel/entry.c); namespace LIOMMU_TEST. */
typedef void (*liommu_vtd_entry_observer_t)(const __le64 *live,
					    unsigned int words, void *data);
void liommu_vtd_set_entry_observer(liommu_vtd_entry_observer_t fn, void *data);
int liommu_vtd_test_entry_write(unsigned int index, __le64 *live,
				const __le64 *target, unsigned int words);
int liommu_vtd_test_entry_clear(unsigned int index, __le64 *live,
				unsigned int words);

/* The text of a device's debugfs file (intel/debugfs.c); LIOMMU_TEST. */
int liommu_vtd_debugfs_dev(unsigned int index, u8 bus, u8 devfn, char *buf,
			   size_t len);

/* Self-tests of the nested builders (intel/nested.c). */
struct liommu_hwpt_vtd_s1;
struct liommu_hwpt_vtd_s1_invalidate;
int liommu_vtd_test_nested_entry(u64 ecap, bool fl5, u64 ss_root, u8 aw,
				 u16 did, const struct liommu_hwpt_vtd_s1 *s1,
				 u64 out[8]);
int liommu_vtd_test_nested_inv(u16 did, u32 pasid,
			       const struct liommu_hwpt_vtd_s1_invalidate *inv,
			       unsigned int max_am, u64 out[4]);

#endif /* _LIOMMU_VTD_H */
