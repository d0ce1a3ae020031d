/* SPDX-License-Identifier: GPL-2.0 */
/*
 * liommu: the API that kernel drivers use (liommu_core.ko).
 *
 * This is the domain-allocation model of the 2024 refactor, offered by a
 * loadable module on a stock kernel.  Every function stands for an
 * upstream one; the kernel-doc of each (in core/) names it.  Vendor
 * modules use <liommu/driver.h> on top of this header.
 *
 * Objects are the core's own: a &struct liommu_domain is never a
 * &struct iommu_domain, and per-device state lives in the core's table,
 * never in dev->iommu.  Documentation/core.rst has the object model, the
 * locking and reference-counting rules and the errno table.
 */
#ifndef _LIOMMU_LIOMMU_H
#define _LIOMMU_LIOMMU_H

#include <linux/bits.h>
#include <linux/device.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/scatterlist.h>
#include <linux/types.h>
#include <liommu/hw_info.h>
#include <liommu/nested.h>

struct liommu_device;
struct liommu_domain;
struct liommu_domain_ops;
struct liommu_group;
struct liommu_pt;
struct liommu_fault;
struct mm_struct;

/* Access rights of a mapping: liommu_map()'s @prot. */
#define LIOMMU_READ		BIT(0)
#define LIOMMU_WRITE		BIT(1)
#define LIOMMU_PROT_MASK	(LIOMMU_READ | LIOMMU_WRITE)

/**
 * enum liommu_domain_type - what a domain does with a device's DMA
 * @LIOMMU_DOMAIN_BLOCKED: every DMA faults
 * @LIOMMU_DOMAIN_IDENTITY: DMA addresses are physical addresses
 * @LIOMMU_DOMAIN_PAGING: translated through a page table that
 *	liommu_map() and liommu_unmap() edit
 * @LIOMMU_DOMAIN_NESTED: a user stage-1 table over a paging @parent
 *	(liommu_nested_domain_alloc(), include/liommu/nested.h)
 * @LIOMMU_DOMAIN_SVA: shares a process's page table (@mm; made by
 *	liommu_sva_bind_device(), core/sva.c)
 */
enum liommu_domain_type {
	LIOMMU_DOMAIN_BLOCKED,
	LIOMMU_DOMAIN_IDENTITY,
	LIOMMU_DOMAIN_PAGING,
	LIOMMU_DOMAIN_NESTED,
	LIOMMU_DOMAIN_SVA,
};

/**
 * enum liommu_domain_owner - who manages a domain's mappings
 * @LIOMMU_OWNER_KERNEL: a kernel driver (liommu_paging_domain_alloc())
 * @LIOMMU_OWNER_USER: userspace through iommufd-lite
 *	(liommu_user_domain_alloc())
 */
enum liommu_domain_owner {
	LIOMMU_OWNER_KERNEL,
	LIOMMU_OWNER_USER,
};

/* Flags of liommu_user_domain_alloc(), the uAPI's IOMMU_HWPT_ALLOC_*. */
#define LIOMMU_HWPT_ALLOC_NEST_PARENT	BIT(0)
#define LIOMMU_HWPT_ALLOC_DIRTY_TRACKING	BIT(1)
#define LIOMMU_HWPT_FAULT_ID_VALID	BIT(2)
#define LIOMMU_HWPT_ALLOC_FLAGS		(LIOMMU_HWPT_ALLOC_NEST_PARENT | \
					 LIOMMU_HWPT_ALLOC_DIRTY_TRACKING | \
					 LIOMMU_HWPT_FAULT_ID_VALID)

/* Domain flags (&liommu_domain.flags). */
#define LIOMMU_DOMAIN_F_STATIC	BIT(0)	/* a unit's blocked/identity domain */
/* Allocated by the bridge for the kernel's IOMMU core (bridge/) */
#define LIOMMU_DOMAIN_F_KERNEL_CORE	BIT(1)
/*
 * Keep the tables an unmap below 2 MiB empties (core/map.c): for callers
 * that map and unmap the same IOVAs over and over (the DMA API through
 * the bridge), where freeing a leaf table at each unmap makes the next
 * map allocate it again.  They go with the domain, or with an unmap of
 * 2 MiB or more that covers them.
 */
#define LIOMMU_DOMAIN_F_KEEP_TABLES	BIT(2)

/**
 * struct liommu_domain_geometry - the IOVA space a domain translates
 * @aperture_start: first IOVA
 * @aperture_end: last IOVA (inclusive)
 */
struct liommu_domain_geometry {
	dma_addr_t aperture_start;
	dma_addr_t aperture_end;
};

/* Kinds of reserved IOVA ranges. */
enum liommu_resv_type {
	LIOMMU_RESV_MSI,	/* interrupt window: never mappable */
	LIOMMU_RESV_RESERVED,	/* the unit or platform says: never map */
};

/**
 * struct liommu_resv_region - an IOVA range that can never be mapped
 * @start: first IOVA
 * @last: last IOVA (inclusive)
 * @type: &enum liommu_resv_type
 */
struct liommu_resv_region {
	u64 start;
	u64 last;
	enum liommu_resv_type type;
};

#define LIOMMU_MAX_RESV		4

/* Access of a faulting request (&liommu_fault.perm). */
#define LIOMMU_FAULT_PERM_READ	BIT(0)
#define LIOMMU_FAULT_PERM_WRITE	BIT(1)
#define LIOMMU_FAULT_PERM_EXEC	BIT(2)
#define LIOMMU_FAULT_PERM_PRIV	BIT(3)

/* &liommu_fault.flags */
#define LIOMMU_FAULT_PASID_VALID	BIT(0)	/* @pasid names the request's PASID */
#define LIOMMU_FAULT_RECOVERABLE	BIT(1)	/* a page request: answer it */
#define LIOMMU_FAULT_LAST_PAGE		BIT(2)	/* last request of its group */
#define LIOMMU_FAULT_RESP_PASID		BIT(3)	/* the response carries @pasid */

/**
 * enum liommu_page_response_code - the answer to a recoverable fault
 * @LIOMMU_PAGE_RESP_SUCCESS: the page is there now: retry the request
 * @LIOMMU_PAGE_RESP_INVALID: it will never be: the request fails
 * @LIOMMU_PAGE_RESP_FAILURE: the handler broke: stop page requests
 */
enum liommu_page_response_code {
	LIOMMU_PAGE_RESP_SUCCESS,
	LIOMMU_PAGE_RESP_INVALID,
	LIOMMU_PAGE_RESP_FAILURE,
};

/**
 * struct liommu_fault - one I/O page fault, as a vendor reports it
 * @dev: the device whose request faulted (the core holds a reference
 *	while the fault is queued and handled)
 * @flags: LIOMMU_FAULT_*
 * @pasid: the request's PASID, when LIOMMU_FAULT_PASID_VALID
 * @addr: the faulting address (the vendor's granule: VT-d reports the
 *	page, the SMMU the byte)
 * @perm: LIOMMU_FAULT_PERM_* of the request
 * @reason: the vendor's reason code (VT-d FR, SMMU event number)
 * @grpid: page request group index (recoverable faults)
 * @private_data: vendor data the page response must carry back
 * @seq: the core's number of the fault on its unit, from 1
 * @read_ns: ktime_get_ns() when the vendor read the fault from its unit
 */
struct liommu_fault {
	struct device *dev;
	u32 flags;
	u32 pasid;
	u64 addr;
	u32 perm;
	u32 reason;
	u32 grpid;
	u64 private_data[2];
	u64 seq;
	u64 read_ns;
};

/*
 * An I/O page-fault handler, installed per domain with
 * liommu_domain_set_iopf_handler() and called from the unit's fault
 * workqueue with the domain's @fault_data (core/fault.c).  For a
 * recoverable fault its return value decides the page response: 0 is
 * LIOMMU_PAGE_RESP_SUCCESS, -EINPROGRESS means the handler took the fault
 * to answer it later itself with liommu_page_response() (iommufd's fault
 * queue: userspace answers), anything else LIOMMU_PAGE_RESP_INVALID.
 */
typedef int (*liommu_iopf_handler_t)(struct liommu_domain *domain,
				     const struct liommu_fault *fault,
				     void *data);

/**
 * struct liommu_iopf_stats - what a unit's fault queue did since load
 * @reported: faults vendors reported (and the core queued)
 * @dropped: faults refused because the queue was full or going away
 * @delivered: faults handed to a domain's handler
 * @unhandled: faults whose domain had no handler (or that hit no domain)
 * @responses: page responses sent to the vendor
 * @responses_refused: page responses the vendor refused (a unit that
 *	takes no page requests)
 * @last_resp_grpid: the group index of the last page response, sent or
 *	refused
 * @last_resp_code: its &enum liommu_page_response_code
 * @last_resp_err: what the vendor returned for it
 * @pending: faults queued and not yet handled
 * @last_latency_ns: vendor read to handler call, the last delivered fault
 * @max_latency_ns: the largest of those
 * @total_latency_ns: their sum (mean: divide by @delivered)
 */
struct liommu_iopf_stats {
	u64 reported;
	u64 dropped;
	u64 delivered;
	u64 unhandled;
	u64 responses;
	u64 responses_refused;
	u32 last_resp_grpid;
	u32 last_resp_code;
	s32 last_resp_err;
	u64 pending;
	u64 last_latency_ns;
	u64 max_latency_ns;
	u64 total_latency_ns;
};

struct liommu_domain_entry;

/**
 * struct liommu_domain - a translation context that devices attach to
 * @type: &enum liommu_domain_type
 * @flags: LIOMMU_DOMAIN_F_*
 * @owner: &enum liommu_domain_owner
 * @user_flags: the LIOMMU_HWPT_ALLOC_* flags it was allocated with
 * @ops: the vendor's domain operations
 * @iommu: the unit whose driver allocated it
 * @pgsize_bitmap: the page sizes it can map (bit n set: 2^n bytes)
 * @geometry: the IOVA aperture
 * @oa_bits: its output-address width: liommu_map() refuses a physical
 *	range that ends at or beyond 2^@oa_bits (-ERANGE) rather than let
 *	an entry builder drop the high bits
 * @pt: the page table of a paging domain built on the core's walker, or
 *	NULL; when set, the core maps, unmaps and translates through it
 *	itself (the vendor's map_pages, unmap_pages, mapped_range and
 *	iova_to_phys are not used) and asks the vendor only for
 *	invalidation
 * @resv: ranges that liommu_map() refuses (the x86 MSI window, the unit's)
 * @nr_resv: entries used in @resv
 * @map_lock: a domain with its own map_pages/unmap_pages (no @pt, the
 *	mock): serialises liommu_map()/liommu_unmap() (a mutex: they sleep)
 * @sync_lock: a domain with @pt: serialises the vendor's iotlb_sync and
 *	iotlb_sync_map and the freeing of unhooked tables after them
 *	(innermost of the core's locks, interrupts off); held, it keeps
 *	every table of the domain allocated
 * @users: how many groups and device PASIDs have it attached; changed
 *	and read under the core's domain-table lock (core/domain_table.c),
 *	an attach also holding the group mutex
 * @table_entry: its entry in the core's table of live domains (core only)
 * @iopf_handler: I/O page-fault handler, or NULL (faults are counted)
 * @fault_data: its data
 * @mm: the address space of an SVA domain
 * @parent: the paging domain under a nested domain
 * @nested: nested domains over this one: while any lives it is not freed
 *
 * Vendor modules embed it in their own domain structure and return it
 * from their allocators; the core fills every field but @ops, @pgsize_bitmap,
 * @geometry, @oa_bits (which the vendor may set, else it takes the unit's)
 * and @pt (set by the vendor).  A freed domain is out of the core's table:
 * every call that is given it again fails with -EINVAL
 * (Documentation/robustness.rst).
 */
struct liommu_domain {
	enum liommu_domain_type type;
	unsigned int flags;
	enum liommu_domain_owner owner;
	u32 user_flags;
	const struct liommu_domain_ops *ops;
	struct liommu_device *iommu;
	unsigned long pgsize_bitmap;
	struct liommu_domain_geometry geometry;
	unsigned int oa_bits;
	struct liommu_pt *pt;
	struct liommu_resv_region resv[LIOMMU_MAX_RESV];
	unsigned int nr_resv;
	struct mutex map_lock;
	spinlock_t sync_lock;
	atomic_t users;
	struct liommu_domain_entry *table_entry;
	liommu_iopf_handler_t iopf_handler;
	void *fault_data;
	struct mm_struct *mm;
	struct liommu_domain *parent;
	atomic_t nested;
};

/* Device features (liommu_dev_enable_feature(), later issues). */
enum liommu_dev_feature {
	LIOMMU_DEV_FEAT_AUX,
	LIOMMU_DEV_FEAT_SVA,
	LIOMMU_DEV_FEAT_IOPF,
	LIOMMU_DEV_FEAT_NR,
};

/* Allocation. */
struct liommu_domain *liommu_paging_domain_alloc(struct device *dev);
struct liommu_domain *liommu_user_domain_alloc(struct device *dev, u32 flags);
struct liommu_domain *liommu_domain_alloc(const struct bus_type *bus);
struct liommu_domain *liommu_sva_domain_alloc(struct device *dev,
					      struct mm_struct *mm);
struct liommu_domain *liommu_identity_domain(struct device *dev);
struct liommu_domain *liommu_blocked_domain(struct device *dev);
void liommu_domain_free(struct liommu_domain *domain);
int liommu_domain_users(struct liommu_domain *domain);

/* Groups. */
struct liommu_group *liommu_group_get(struct device *dev);
void liommu_group_put(struct liommu_group *group);
unsigned int liommu_group_device_count(struct liommu_group *group);
bool liommu_group_is_immutable_singleton(struct liommu_group *group);
int liommu_group_id(struct liommu_group *group);

/* Attach and detach. */
int liommu_attach_device(struct liommu_domain *domain, struct device *dev);
void liommu_detach_device(struct liommu_domain *domain, struct device *dev);
int liommu_attach_group(struct liommu_domain *domain,
			struct liommu_group *group);
void liommu_detach_group(struct liommu_domain *domain,
			 struct liommu_group *group);
int liommu_group_replace_domain(struct liommu_group *group,
				struct liommu_domain *domain);
struct liommu_domain *liommu_get_domain_for_dev(struct device *dev);
int liommu_attach_device_pasid(struct liommu_domain *domain,
			       struct device *dev, u32 pasid);
void liommu_detach_device_pasid(struct liommu_domain *domain,
				struct device *dev, u32 pasid);
int liommu_replace_device_pasid(struct liommu_domain *domain,
				struct device *dev, u32 pasid);
struct liommu_domain *liommu_get_domain_for_dev_pasid(struct device *dev,
						      u32 pasid);
unsigned int liommu_dev_pasid_bits(struct device *dev);
void *liommu_dev_hw_info(struct device *dev, u32 *length, u32 *type);

/* Device features and aux domains (seed 004). */
int liommu_dev_enable_feature(struct device *dev, enum liommu_dev_feature feat);
int liommu_dev_disable_feature(struct device *dev,
			       enum liommu_dev_feature feat);
bool liommu_dev_feature_enabled(struct device *dev,
				enum liommu_dev_feature feat);
int liommu_aux_attach_device(struct liommu_domain *domain, struct device *dev);
void liommu_aux_detach_device(struct liommu_domain *domain, struct device *dev);
int liommu_aux_get_pasid(struct liommu_domain *domain, struct device *dev);
int liommu_aux_group_add_device(struct liommu_group *group, struct device *dev);
void liommu_aux_group_remove_device(struct device *dev);
int liommu_aux_attach_group(struct liommu_domain *domain,
			    struct liommu_group *group, struct device *dev);
void liommu_aux_detach_group(struct liommu_domain *domain,
			     struct liommu_group *group, struct device *dev);
struct liommu_domain *liommu_aux_get_domain_for_dev(struct device *dev);

/* SVA (core/sva.c). */
struct liommu_sva;
struct liommu_sva *liommu_sva_bind_device(struct device *dev,
					  struct mm_struct *mm);
void liommu_sva_unbind_device(struct liommu_sva *handle);
u32 liommu_sva_get_pasid(struct liommu_sva *handle);

/**
 * struct liommu_sva_stats - SVA since load (liommu_sva_get_stats())
 * @live_mms: address spaces bound now
 * @kept_mms: address spaces with nothing bound that keep their PASID
 *	(until they go away, as upstream's mm PASID)
 * @kept_allocs: allocations of the core held for @kept_mms
 * @faults: faults the SVA domains' handler saw
 * @resolved: of which it faulted the page in
 * @last_pasid: the PASID of the last one
 * @last_perm: its LIOMMU_FAULT_PERM_* access
 * @last_addr: its address
 */
struct liommu_sva_stats {
	long live_mms;
	long kept_mms;
	long kept_allocs;
	u64 faults;
	u64 resolved;
	u32 last_pasid;
	u32 last_perm;
	u64 last_addr;
};

void liommu_sva_get_stats(struct liommu_sva_stats *stats);

/* I/O page faults (core/fault.c). */
int liommu_domain_set_iopf_handler(struct liommu_domain *domain,
				   liommu_iopf_handler_t handler, void *data);
int liommu_report_device_fault(struct device *dev,
			       const struct liommu_fault *fault);
int liommu_page_response(struct device *dev, const struct liommu_fault *fault,
			 enum liommu_page_response_code code);
int liommu_iopf_flush_dev(struct device *dev);
int liommu_iopf_get_stats(struct device *dev, struct liommu_iopf_stats *stats);

/* Mappings. */
int liommu_map(struct liommu_domain *domain, unsigned long iova,
	       phys_addr_t paddr, size_t size, int prot, gfp_t gfp);
ssize_t liommu_unmap(struct liommu_domain *domain, unsigned long iova,
		     size_t size);
/* For the bridge: the kernel's IOMMU core checked the arguments (map.c). */
int liommu_map_prechecked(struct liommu_domain *domain, unsigned long iova,
			  phys_addr_t paddr, size_t size, int prot, gfp_t gfp);
ssize_t liommu_unmap_prechecked(struct liommu_domain *domain,
				unsigned long iova, size_t size);
ssize_t liommu_map_sg(struct liommu_domain *domain, unsigned long iova,
		      struct scatterlist *sg, unsigned int nents, int prot,
		      gfp_t gfp);
phys_addr_t liommu_iova_to_phys(struct liommu_domain *domain,
				dma_addr_t iova);

/**
 * struct liommu_core_stats - live objects of liommu_core.ko
 * @iommus: registered units
 * @devices: per-device states
 * @groups: groups
 * @domains: domains allocated through the API and not yet freed
 * @table_pages: page-table pages held by the walker
 * @allocs: every allocation the core made and has not freed
 */
struct liommu_core_stats {
	long iommus;
	long devices;
	long groups;
	long domains;
	long table_pages;
	long allocs;
};

void liommu_core_get_stats(struct liommu_core_stats *stats);

/* One owner per device: the kernel's IOMMU core or API callers (device.c). */
int liommu_dev_set_kernel_owned(struct device *dev, bool owned);
bool liommu_dev_kernel_owned(struct device *dev);
/* Test only: symbol namespace LIOMMU_TEST (include/liommu/compat.h). */
void liommu_core_fail_nth(unsigned int n);
const char *liommu_core_fail_site(unsigned int *remaining);
/* The most emptied table pages the core keeps for reuse (core/alloc.c). */
#define LIOMMU_TABLE_POOL_MAX	256
unsigned int liommu_core_table_pool(void);

#endif /* _LIOMMU_LIOMMU_H */
/* Test only: symbol namespace LIOMMU_TEST (include/liommu/compat.h). */
