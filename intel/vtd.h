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

#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <liommu/driver.h>
#include <liommu/pgtable.h>
#include <liommu/vtd.h>

#define LIOMMU_VTD_NAME "liommu-vtd"

/* Period of the fault-record polling worker (fault.c). */
#define LIOMMU_VTD_FAULT_POLL_MS	10

struct pci_dev;

/**
 * struct liommu_vtd_qi - a unit's invalidation queue (qi.c)
 * @queue: one page of descriptors, read by the unit
 * @status: where invalidation-wait descriptors write @seq
 * @desc_words: 64-bit words per descriptor: 2, or 4 with IQA.DW
 * @nr_slots: descriptors the page holds
 * @tail: next free slot
 * @seq: last status value asked for
 * @lock: protects @tail, @seq and the queue page; held across a whole
 *	submission, including the wait for its completion
 */
struct liommu_vtd_qi {
	__le64 *queue;
	u32 *status;
	unsigned int desc_words;
	unsigned int nr_slots;
	unsigned int tail;
	u32 seq;
	u64 issued;
	spinlock_t lock;
};

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
 * @enabled: we took the unit: tables, queue and translation are on
 * @scalable_on: the tables are in scalable-mode format (RTADDR.TTM 01)
 * @aw: address width value written into context and PASID entries
 * @identity_did: domain id of the identity (pass-through) default
 * @nr_identity: requester ids given the identity default
 * @root: root table, NULL when not allocated
 * @qi: the invalidation queue
 * @iommu: the unit as the liommu core knows it (domain.c)
 * @identity: the static identity domain (pass-through entries)
 * @blocked: the static blocked domain (entries not present)
 * @registered: @iommu is registered with the core
 * @name: "vtd<index>", the core's name of the unit
 * @pt_fmt: second-stage format with the unit's cache maintenance
 * @fl_pt_fmt: first-stage (x86 4-level) format, the same maintenance
 * @entry_lock: serialises every change of a context or PASID entry
 *	after translation is on, with the invalidations that follow it
 * @did_lock: protects @did_map
 * @did_map: domain ids in use (CAP.ND wide); 0 and the identity id are
 *	never handed out
 * @fault_lock: protects @faults, @nr_faults and @fault_seq
 * @faults: the last faults read from the fault recording registers
 * @nr_faults: valid entries of @faults, oldest first
 * @fault_seq: faults read since load
 * @faults_unreported: records the core refused (no device, queue full)
 * @fault_devs: source id -> &struct device, for the core's reports
 *	(fault.c; its own xa_lock for changes, @fault_lock for readers)
 * @fault_work: the polling worker (fault.c)
 *
 * The tables (@root and below) are built before translation is enabled
 * and freed after it is disabled; in between only @entry_lock holders
 * change them (entries, and PASID directories and tables, pasid.c), and
 * the read-only queries of entries take it too.
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
	bool enabled;
	bool scalable_on;
	u8 aw;
	u16 identity_did;
	unsigned int nr_identity;
	__le64 *root;
	struct liommu_vtd_qi qi;
	struct liommu_device iommu;
	struct liommu_domain identity;
	struct liommu_domain blocked;
	bool registered;
	char name[16];
	struct liommu_pt_format pt_fmt;
	struct liommu_pt_format fl_pt_fmt;
	struct mutex entry_lock;
	spinlock_t did_lock;
	unsigned long *did_map;
	spinlock_t fault_lock;
	struct liommu_vtd_fault faults[LIOMMU_VTD_FAULT_LOG];
	unsigned int nr_faults;
	u64 fault_seq;
	u64 faults_unreported;
	struct xarray fault_devs;
	struct delayed_work fault_work;
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

/* entry.c */
void liommu_vtd_flush_cpu(const struct liommu_vtd_unit *unit, void *p,
			  size_t size);
int liommu_vtd_entry_write(const struct liommu_vtd_unit *unit, __le64 *live,
			   const __le64 *target, unsigned int words);
void liommu_vtd_entry_clear(const struct liommu_vtd_unit *unit, __le64 *live,
			    unsigned int words);

/* nested.c */
int liommu_vtd_nested_entry(u64 ecap, bool fl5, phys_addr_t ss_root,
			    unsigned int ss_aw, u16 did,
			    const struct liommu_hwpt_vtd_s1 *s1, u64 e[8]);
int liommu_vtd_nested_inv(u16 did, u32 pasid,
			  const struct liommu_hwpt_vtd_s1_invalidate *inv,
			  unsigned int max_am, u64 d[4]);

/* qi.c */
int liommu_vtd_qi_enable(struct liommu_vtd_unit *unit);
void liommu_vtd_qi_disable(struct liommu_vtd_unit *unit);
int liommu_vtd_qi_sync_unit(struct liommu_vtd_unit *unit);
int liommu_vtd_qi_flush_all(struct liommu_vtd_unit *unit);
int liommu_vtd_qi_submit_words(struct liommu_vtd_unit *unit, const u64 *words,
			       unsigned int n);
unsigned int liommu_vtd_qi_read_back(struct liommu_vtd_unit *unit, u64 since,
				     u64 (*out)[4], unsigned int max,
				     u64 *issued);

/* context.c */
int liommu_vtd_tables_alloc(struct liommu_vtd_unit *unit);
void liommu_vtd_tables_free(struct liommu_vtd_unit *unit);
int liommu_vtd_set_identity(struct liommu_vtd_unit *unit, u8 bus, u8 devfn);
int liommu_vtd_read_entries(const struct liommu_vtd_unit *unit, u8 bus,
			    u8 devfn, struct liommu_vtd_dev_entries *e);

/* context.c: entries and their lookup for domains */
void liommu_vtd_ctx_identity(const struct liommu_vtd_unit *unit, __le64 *t);
void liommu_vtd_pasid_identity(const struct liommu_vtd_unit *unit, __le64 *t);
__le64 *liommu_vtd_dev_entry(struct liommu_vtd_unit *unit, u8 bus, u8 devfn,
			     unsigned int *words);
__le64 *liommu_vtd_dev_context(struct liommu_vtd_unit *unit, u8 bus, u8 devfn,
			       unsigned int *words);

/* pasid.c */
unsigned int liommu_vtd_pasid_dir_order(unsigned int pdts);
__le64 *liommu_vtd_pasid_entry(struct liommu_vtd_unit *unit, u8 bus,
			       u8 devfn, u32 pasid, bool alloc);

/* domain.c */
int liommu_vtd_iommu_register(struct liommu_vtd_dmar *dmar,
			      struct liommu_vtd_unit *unit);
void liommu_vtd_iommu_unregister(struct liommu_vtd_unit *unit);
void liommu_vtd_domains_publish(struct liommu_vtd_dmar *dmar);
struct liommu_domain *liommu_vtd_domain_alloc_shared(struct device *dev,
						     phys_addr_t root);

/* sva.c */
bool liommu_vtd_sva_supported(const struct liommu_vtd_unit *unit);
struct liommu_domain *liommu_vtd_domain_alloc_sva(struct device *dev,
						  struct mm_struct *mm);

/* fault.c */
unsigned int liommu_vtd_fault_poll(struct liommu_vtd_unit *unit);
void liommu_vtd_fault_init(struct liommu_vtd_unit *unit);
void liommu_vtd_fault_start(struct liommu_vtd_unit *unit);
void liommu_vtd_fault_stop(struct liommu_vtd_unit *unit);
int liommu_vtd_fault_dev_add(struct liommu_vtd_unit *unit, u16 sid,
			     struct device *dev);
void liommu_vtd_fault_dev_del(struct liommu_vtd_unit *unit, u16 sid);
int liommu_vtd_page_response(struct liommu_vtd_unit *unit, u16 sid,
			     const struct liommu_fault *f, int code);

/* enable.c */
bool liommu_vtd_unit_serves(const struct liommu_vtd_dmar *dmar,
			    const struct liommu_vtd_unit *unit,
			    const struct pci_dev *pdev);
int liommu_vtd_gcmd(struct liommu_vtd_unit *unit, u32 cmd, u32 status,
		    bool on);
int liommu_vtd_unit_enable(const struct liommu_vtd_dmar *dmar,
			   struct liommu_vtd_unit *unit);
void liommu_vtd_unit_disable(struct liommu_vtd_unit *unit);

/* query.c */
void liommu_vtd_query_publish(struct liommu_vtd_dmar *dmar);

/* debugfs.c */
void liommu_vtd_debugfs_init(struct liommu_vtd_dmar *dmar);
void liommu_vtd_debugfs_exit(void);

#endif /* _LIOMMU_INTEL_VTD_H */
