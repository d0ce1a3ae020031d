/* SPDX-License-Identifier: GPL-2.0 */
/*
 * liommu: what a vendor module (VT-d, SMMUv3, the test mock) implements
 * and calls.  Upstream counterparts: struct iommu_ops,
 * struct iommu_domain_ops, iommu_device_register(), struct
 * iommu_iotlb_gather and the generic_device_group()/pci_device_group()
 * helpers of include/linux/iommu.h.
 */
#ifndef _LIOMMU_DRIVER_H
#define _LIOMMU_DRIVER_H

#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/module.h>

#include <liommu/liommu.h>

struct liommu_iopf_queue;

/**
 * struct liommu_iotlb_gather - what one liommu_unmap() call invalidates
 * @start: first IOVA unmapped
 * @end: last IOVA unmapped (inclusive); @start > @end: nothing
 * @pgsize: the largest leaf size cleared
 * @freelist: table pages to free after the invalidation (walker, later)
 *
 * The core builds one per unmap call, passes it to every unmap_pages()
 * and hands it to iotlb_sync() once: one batched invalidation per call.
 */
struct liommu_iotlb_gather {
	unsigned long start;
	unsigned long end;
	size_t pgsize;
	struct list_head freelist;
};

static inline void liommu_iotlb_gather_init(struct liommu_iotlb_gather *g)
{
	g->start = ULONG_MAX;
	g->end = 0;
	g->pgsize = 0;
	INIT_LIST_HEAD(&g->freelist);
}

/* Widen @g to cover [@iova, @iova + @size). */
static inline void liommu_iotlb_gather_add(struct liommu_iotlb_gather *g,
					   unsigned long iova, size_t size)
{
	g->start = min(g->start, iova);
	g->end = max(g->end, iova + size - 1);
	g->pgsize = max(g->pgsize, size);
}

static inline bool liommu_iotlb_gather_empty(const struct liommu_iotlb_gather *g)
{
	return g->start > g->end;
}

/* Capabilities a unit may report to liommu_ops.capable (later issues). */
enum liommu_cap {
	LIOMMU_CAP_CACHE_COHERENCY,
	LIOMMU_CAP_DIRTY_TRACKING,
	LIOMMU_CAP_DEFERRED_FLUSH,
};

/**
 * struct liommu_ops - one vendor's unit operations
 * @owner: the vendor module; every domain it allocates pins it
 * @probe_device: claim @dev (return the unit that translates it) or
 *	ERR_PTR(-ENODEV).  Called with the core's table lock held: it must
 *	not call back into liommu_*() functions other than
 *	liommu_dev_set_priv() and the group helpers below.
 * @release_device: forget @dev; its domain is already detached
 * @device_group: the group of @dev: liommu_generic_device_group(),
 *	liommu_pci_device_group() or a group of the vendor's (with a
 *	reference for the caller)
 * @domain_alloc_paging: a paging domain for kernel DMA through @dev
 * @domain_alloc_paging_flags: a paging domain for userspace with
 *	LIOMMU_HWPT_ALLOC_* @flags (NEST_PARENT: one that nested domains can
 *	sit on; DIRTY_TRACKING); NULL: the core falls back to
 *	@domain_alloc_paging for @flags 0 and refuses others
 * @domain_alloc_nested: a nested domain over @parent (a NEST_PARENT
 *	paging domain of the same unit, checked by the core) from the
 *	user's stage-1 @data (its type checked by the vendor); NULL: the
 *	unit has no nesting
 * @domain_alloc_sva: an SVA domain for @mm (later issue)
 * @hw_info: what the unit that translates @dev is, for iommufd: a
 *	kmalloc()ed structure of include/liommu/hw_info.h (the caller frees
 *	it), its size in *@length and its &enum liommu_hw_info_type in *@type
 *	(never NONE); ERR_PTR() on failure.  NULL op: no data
 * @page_response: answer a recoverable fault (@code: &enum
 *	liommu_page_response_code); called from the unit's fault workqueue
 *	or by liommu_page_response(), in process context
 * @capable: does the unit offer @cap for @dev
 * @dev_enable_feat: enable an &enum liommu_dev_feature (later issues)
 * @dev_disable_feat: disable it
 * @resv_regions: fill @out with at most @max reserved ranges of @dev,
 *	return how many
 * @pgsize_bitmap: page sizes the unit's paging domains map by default
 */
struct liommu_ops {
	struct module *owner;
	struct liommu_device *(*probe_device)(struct device *dev);
	void (*release_device)(struct device *dev);
	struct liommu_group *(*device_group)(struct device *dev);
	struct liommu_domain *(*domain_alloc_paging)(struct device *dev);
	struct liommu_domain *(*domain_alloc_paging_flags)(struct device *dev,
							   u32 flags);
	struct liommu_domain *(*domain_alloc_nested)(struct device *dev,
			struct liommu_domain *parent, u32 flags,
			const struct liommu_user_data *data);
	struct liommu_domain *(*domain_alloc_sva)(struct device *dev,
						  struct mm_struct *mm);
	void *(*hw_info)(struct device *dev, u32 *length, u32 *type);
	int (*page_response)(struct device *dev, const struct liommu_fault *fault,
			     int code);
	bool (*capable)(struct device *dev, enum liommu_cap cap);
	int (*dev_enable_feat)(struct device *dev, enum liommu_dev_feature f);
	int (*dev_disable_feat)(struct device *dev, enum liommu_dev_feature f);
	unsigned int (*resv_regions)(struct device *dev,
				     struct liommu_resv_region *out,
				     unsigned int max);
	unsigned long pgsize_bitmap;
};

/**
 * struct liommu_domain_ops - what a vendor does for one domain
 * @attach_dev: make @dev's DMA use @domain, replacing whatever it used
 *	before in one step where the unit's specification allows it (no
 *	blocked window); where it requires a not-present step (VT-d), the
 *	window is as short as the invalidations and said so in the vendor's
 *	documentation
 * @set_dev_pasid: the same for one PASID of @dev (later issue)
 * @map_pages: map @pgcount pages of @pgsize from @iova to @paddr; add the
 *	bytes mapped to *@mapped; -EEXIST if any of it is already mapped
 * @unmap_pages: unmap the leaves in [@iova, @iova + @pgsize * @pgcount),
 *	add them to @gather, return the bytes unmapped; never invalidate
 * @mapped_range: is [@iova, @iova + @size) entirely mapped by leaves that
 *	lie inside it?  0, -ENOENT (a hole) or -EINVAL (a leaf crosses an
 *	end).  A liommu addition: it lets liommu_unmap() refuse before it
 *	changes anything.
 * @iotlb_sync_map: make new mappings visible (units that cache misses)
 * @iotlb_sync: invalidate what @gather holds
 * @flush_iotlb_all: invalidate everything of the domain
 * @cache_invalidate_user: user-driven invalidation of a nested domain:
 *	process @array's entries in order (type and length checked by the
 *	core, each entry's fields by the vendor), set @array->entry_num to
 *	the number done, return the first failure's errno; an entry is done
 *	whole or not at all
 * @iova_to_phys: the physical address @iova translates to, 0 if none
 * @free: free the domain (never called for static domains)
 */
struct liommu_domain_ops {
	int (*attach_dev)(struct liommu_domain *domain, struct device *dev);
	int (*set_dev_pasid)(struct liommu_domain *domain, struct device *dev,
			     u32 pasid);
	int (*map_pages)(struct liommu_domain *domain, unsigned long iova,
			 phys_addr_t paddr, size_t pgsize, size_t pgcount,
			 int prot, gfp_t gfp, size_t *mapped);
	size_t (*unmap_pages)(struct liommu_domain *domain, unsigned long iova,
			      size_t pgsize, size_t pgcount,
			      struct liommu_iotlb_gather *gather);
	int (*mapped_range)(struct liommu_domain *domain, unsigned long iova,
			    size_t size);
	int (*iotlb_sync_map)(struct liommu_domain *domain, unsigned long iova,
			      size_t size);
	void (*iotlb_sync)(struct liommu_domain *domain,
			   struct liommu_iotlb_gather *gather);
	void (*flush_iotlb_all)(struct liommu_domain *domain);
	int (*cache_invalidate_user)(struct liommu_domain *domain,
				     struct liommu_user_data_array *array);
	phys_addr_t (*iova_to_phys)(struct liommu_domain *domain,
				    dma_addr_t iova);
	void (*free)(struct liommu_domain *domain);
};

/**
 * struct liommu_device - one IOMMU unit, registered by its vendor module
 * @ops: the vendor's operations
 * @dev: the unit's own device (for messages), may be NULL
 * @name: a short name for messages
 * @identity_domain: the unit's static identity domain, or NULL
 * @blocked_domain: the unit's static blocked domain (required)
 * @geometry: the aperture of its paging domains
 * @oa_bits: its output-address width (VT-d: the DMAR's HAW; SMMUv3: the
 *	OAS it programs), required: the default of its domains' @oa_bits
 * @max_pasid_bits: PASID width the unit offers (0: none)
 * @node: in the core's list of units (core's table lock)
 * @iopf: the core's fault queue of the unit (core/fault.c; core's own)
 *
 * The vendor fills every field but @node before liommu_device_register()
 * and keeps the structure until liommu_device_unregister() returns.
 */
struct liommu_device {
	const struct liommu_ops *ops;
	struct device *dev;
	const char *name;
	struct liommu_domain *identity_domain;
	struct liommu_domain *blocked_domain;
	struct liommu_domain_geometry geometry;
	unsigned int oa_bits;
	unsigned int max_pasid_bits;
	struct list_head node;
	struct liommu_iopf_queue *iopf;
};

int liommu_device_register(struct liommu_device *iommu);
void liommu_device_unregister(struct liommu_device *iommu);

/* Failure injection: every -ENOMEM-capable step of a vendor asks first. */
bool liommu_fail_point(const char *site);

/* Per-device vendor data (upstream dev_iommu_priv_set/get). */
int liommu_dev_set_priv(struct device *dev, void *priv);
void *liommu_dev_get_priv(struct device *dev);

/* Group helpers for liommu_ops.device_group. */
struct liommu_group *liommu_group_alloc(bool immutable_singleton);
struct liommu_group *liommu_group_ref(struct liommu_group *group);
struct liommu_group *liommu_generic_device_group(struct device *dev);
struct liommu_group *liommu_pci_device_group(struct device *dev);

/*
 * Vendor debugfs files (core/debugfs.c): a vendor's folder under
 * /sys/kernel/debug/liommu/, and one line per hardware entry decoded
 * field by field from a table of the vendor's format header.
 */
struct dentry;
struct seq_file;

/* How a field prints: its value (FIELD_GET), or an address (the word masked). */
#define LIOMMU_DEBUGFS_VALUE	0
#define LIOMMU_DEBUGFS_ADDR	1

/**
 * struct liommu_debugfs_field - one named field of a hardware entry
 * @name: its name in the vendor's header (the part after the word number)
 * @word: the 64-bit word of the entry that holds it
 * @kind: LIOMMU_DEBUGFS_VALUE or LIOMMU_DEBUGFS_ADDR
 * @mask: its bits in @word (GENMASK_ULL/BIT_ULL of the header)
 */
struct liommu_debugfs_field {
	const char *name;
	u8 word;
	u8 kind;
	u64 mask;
};

struct dentry *liommu_debugfs_vendor_dir(const char *name);
void liommu_debugfs_entry(struct seq_file *m, const char *label,
			  const u64 *words, unsigned int nr_words,
			  const struct liommu_debugfs_field *fields,
			  unsigned int nr_fields);
int liommu_debugfs_text(int (*show)(struct seq_file *m, void *data),
			void *data, char *buf, size_t len);

#endif /* _LIOMMU_DRIVER_H */
