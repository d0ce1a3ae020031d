/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iommufd-lite's private types: the per-fd context and its objects, the
 * IOAS with its areas and pinned pages, HWPTs and bound devices.
 *
 * Locking and lifetimes (all of them here, for every file):
 *
 *  - &ufd_ctx.lock serialises everything one /dev/iommufd-lite fd does:
 *    each ioctl runs under it, the object table, every IOAS, HWPT and
 *    area of the fd and their counts are read and changed under it only.
 *    One fd is one user program; commands of one fd never run in
 *    parallel, commands of two fds never share an object.
 *  - &ufd_device.lock serialises a device node's commands, its binding
 *    and its attachment.  Order: &ufd_device.lock, then &ufd_ctx.lock,
 *    then the core's locks (liommu_attach_device() and friends).
 *  - &ufd_ctx.kref: one reference for the open fd, one per device bound
 *    to it.  Closing the fd unbinds every device first (their DMA is
 *    stopped and they go back to their default domain), then destroys
 *    every object; the memory goes when the last reference does.
 *  - &ufd_obj.users counts what depends on an object for longer than one
 *    command: a HWPT pins its IOAS (paging) or its parent (nested), an
 *    attached device pins its HWPT, a binding pins its device object.
 *    IOMMU_DESTROY refuses an object with users (EBUSY) and never fails
 *    otherwise.
 *  - &ufd_pages.kref: one per area using the pages (IOAS_COPY shares
 *    them); the last put unpins and uncharges.
 *  - Fault queues (&struct ufd_fault): fault.c has their locking; a HWPT
 *    with a queue is one of its users (and holds a reference), as is the
 *    queue's fd.  A device attached to such a HWPT has the core's
 *    LIOMMU_DEV_FEAT_IOPF on (&ufd_device_obj.iopf).
 */
#ifndef _IOMMUFD_LITE_H
#define _IOMMUFD_LITE_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/xarray.h>
#include <liommu/liommu.h>
#include <uapi/liommu/iommufd.h>

struct pci_dev;
struct page;
struct user_struct;
struct mm_struct;
struct ufd_device;
struct seq_file;
struct dentry;

enum ufd_obj_type {
	UFD_OBJ_ANY,
	UFD_OBJ_IOAS,
	UFD_OBJ_HWPT_PAGING,
	UFD_OBJ_HWPT_NESTED,
	UFD_OBJ_DEVICE,
	UFD_OBJ_FAULT,
	UFD_OBJ_NR,
};

/* Pinned-page accounting of a context (IOMMU_OPTION_RLIMIT_MODE). */
enum ufd_account {
	UFD_ACCOUNT_USER,	/* the user's locked_vm */
	UFD_ACCOUNT_MM,		/* the process's pinned_vm */
};

/**
 * struct ufd_ctx - one open /dev/iommufd-lite
 * @lock: see the top of this file
 * @kref: the fd and each bound device
 * @objects: ID -> &struct ufd_obj; a reserved ID holds a zero entry
 * @devices: &ufd_device_obj.node of every bound device
 * @account: &enum ufd_account
 * @dead: the fd is closing: binding refused
 */
struct ufd_ctx {
	struct mutex lock;
	struct kref kref;
	struct xarray objects;
	struct list_head devices;
	enum ufd_account account;
	bool dead;
};

/**
 * struct ufd_obj - what every object of a context starts with
 * @type: &enum ufd_obj_type
 * @id: its ID in &ufd_ctx.objects
 * @users: longer-term users (see the top of this file)
 */
struct ufd_obj {
	enum ufd_obj_type type;
	u32 id;
	unsigned int users;
};

/**
 * struct ufd_pages - user memory pinned for DMA
 * @kref: one per area
 * @pages: @npages pinned pages
 * @npages: their number
 * @writable: pinned with FOLL_WRITE
 * @user: the user charged (UFD_ACCOUNT_USER), or NULL
 * @mm: the process charged (UFD_ACCOUNT_MM), or NULL
 * @charged: pages charged to @user or @mm
 */
struct ufd_pages {
	struct kref kref;
	struct page **pages;
	unsigned long npages;
	bool writable;
	struct user_struct *user;
	struct mm_struct *mm;
	unsigned long charged;
};

/**
 * struct ufd_area - one mapping of an IOAS
 * @node: in &ufd_ioas.areas, sorted by @iova
 * @iova: first IOVA
 * @length: bytes
 * @pages: the pinned pages
 * @start_byte: where in @pages the area begins (bytes from page 0)
 * @prot: LIOMMU_READ / LIOMMU_WRITE
 */
struct ufd_area {
	struct list_head node;
	u64 iova;
	u64 length;
	struct ufd_pages *pages;
	unsigned long start_byte;
	int prot;
};

/**
 * struct ufd_ioas - an I/O address space (IOMMU_IOAS_ALLOC)
 * @obj: the object
 * @areas: &struct ufd_area, sorted, never overlapping
 * @hwpts: &ufd_hwpt.ioas_node of every paging HWPT over this IOAS: each
 *	holds every area mapped
 * @allowed: the IOVA ranges IOAS_ALLOW_IOVAS set (@nr_allowed of them)
 * @nr_allowed: 0: no limit
 * @no_huge: IOMMU_OPTION_HUGE_PAGES 0: map page by page
 */
struct ufd_ioas {
	struct ufd_obj obj;
	struct list_head areas;
	struct list_head hwpts;
	struct iommu_iova_range *allowed;
	u32 nr_allowed;
	bool no_huge;
};

/**
 * struct ufd_hwpt - a hardware page table: a liommu domain
 * @obj: the object (UFD_OBJ_HWPT_PAGING or UFD_OBJ_HWPT_NESTED)
 * @domain: the core's domain
 * @ioas: a paging HWPT's IOAS (a user of it)
 * @ioas_node: in &ufd_ioas.hwpts
 * @parent: a nested HWPT's parent (a user of it)
 * @fault: its fault queue (IOMMU_HWPT_FAULT_ID_VALID), or NULL
 * @auto_domain: made by attaching a device to an IOAS: destroyed with
 *	the last detach
 */
struct ufd_hwpt {
	struct ufd_obj obj;
	struct liommu_domain *domain;
	struct ufd_ioas *ioas;
	struct list_head ioas_node;
	struct ufd_hwpt *parent;
	struct ufd_fault *fault;
	bool auto_domain;
};

/**
 * struct ufd_fault - a fault queue (IOMMU_FAULT_QUEUE_ALLOC)
 * @obj: the object
 * @kref: the table, the fd, each HWPT using it
 * @ctx: its context (the fd holds a reference)
 * @lock: guards @deliver and @dead (fault.c)
 * @deliver: faults not yet read, oldest first
 * @response: cookie -> fault read and not yet answered (context lock)
 * @wait: readers polling for faults
 * @dead: out of the table: the handler keeps nothing more
 */
struct ufd_fault {
	struct ufd_obj obj;
	struct kref kref;
	struct ufd_ctx *ctx;
	spinlock_t lock;
	struct list_head deliver;
	struct xarray response;
	wait_queue_head_t wait;
	bool dead;
};

/**
 * struct ufd_device_obj - a device bound to a context
 * @obj: the object
 * @udev: the device node's state
 * @node: in &ufd_ctx.devices
 * @hwpt: the HWPT attached, or NULL (blocked)
 * @iopf: LIOMMU_DEV_FEAT_IOPF was turned on for @hwpt's fault queue
 */
struct ufd_device_obj {
	struct ufd_obj obj;
	struct ufd_device *udev;
	struct list_head node;
	struct ufd_hwpt *hwpt;
	bool iopf;
};

/* A command on its way through the dispatcher (main.c). */
struct ufd_ucmd {
	struct ufd_ctx *ctx;
	void __user *ubuffer;
	u32 user_size;
	void *cmd;
};

int ufd_ucmd_respond(struct ufd_ucmd *ucmd, size_t size);

/* object.c */
int ufd_obj_reserve(struct ufd_ctx *ctx, struct ufd_obj *obj,
		    enum ufd_obj_type type);
void ufd_obj_publish(struct ufd_ctx *ctx, struct ufd_obj *obj);
void ufd_obj_abort(struct ufd_ctx *ctx, struct ufd_obj *obj);
struct ufd_obj *ufd_obj_find(struct ufd_ctx *ctx, u32 id,
			     enum ufd_obj_type type);
int ufd_obj_destroy(struct ufd_ctx *ctx, struct ufd_obj *obj);
void ufd_obj_destroy_all(struct ufd_ctx *ctx);
void ufd_obj_free(struct ufd_obj *obj);
int ufd_destroy_ioctl(struct ufd_ucmd *ucmd);
void ufd_ctx_put(struct ufd_ctx *ctx);

/* pages.c */
struct ufd_pages *ufd_pages_pin(struct ufd_ctx *ctx, unsigned long uptr,
				unsigned long npages, bool writable);
void ufd_pages_put(struct ufd_pages *pages);
long ufd_pages_pinned(void);

/* ioas.c */
struct ufd_ioas *ufd_ioas_find(struct ufd_ctx *ctx, u32 id);
void ufd_ioas_free(struct ufd_ioas *ioas);
int ufd_ioas_fill_domain(struct ufd_ioas *ioas, struct liommu_domain *domain);
void ufd_ioas_unfill_domain(struct ufd_ioas *ioas,
			    struct liommu_domain *domain);
int ufd_ioas_alloc_ioctl(struct ufd_ucmd *ucmd);
int ufd_ioas_allow_iovas_ioctl(struct ufd_ucmd *ucmd);
int ufd_ioas_iova_ranges_ioctl(struct ufd_ucmd *ucmd);
int ufd_ioas_map_ioctl(struct ufd_ucmd *ucmd);
int ufd_ioas_copy_ioctl(struct ufd_ucmd *ucmd);
int ufd_ioas_unmap_ioctl(struct ufd_ucmd *ucmd);
int ufd_option_ioctl(struct ufd_ucmd *ucmd);

/* hwpt.c */
struct ufd_hwpt *ufd_hwpt_paging_alloc(struct ufd_ctx *ctx,
				       struct ufd_ioas *ioas,
				       struct device *dev, u32 flags,
				       bool auto_domain);
void ufd_hwpt_free(struct ufd_hwpt *hwpt);
int ufd_hwpt_alloc_ioctl(struct ufd_ucmd *ucmd);
int ufd_hwpt_invalidate_ioctl(struct ufd_ucmd *ucmd);

/* hw_info.c */
int ufd_get_hw_info_ioctl(struct ufd_ucmd *ucmd);

/* fault.c */
int ufd_fault_alloc_ioctl(struct ufd_ucmd *ucmd);
int ufd_fault_attach_hwpt(struct ufd_fault *fault, struct ufd_hwpt *hwpt);
void ufd_fault_dev_leaves(struct ufd_fault *fault, struct device *dev);
void ufd_fault_free(struct ufd_fault *fault);
void ufd_fault_put(struct ufd_fault *fault);
void ufd_fault_debugfs_init(struct dentry *dir);

/* device.c */
struct device *ufd_device_dev(struct ufd_device_obj *dobj);
void ufd_device_obj_free(struct ufd_device_obj *dobj);
void ufd_ctx_unbind_all(struct ufd_ctx *ctx);
void ufd_device_show_faults(struct seq_file *m);
int ufd_device_init(void);
void ufd_device_exit(void);

/* main.c */
extern const struct file_operations ufd_fops;
struct ufd_ctx *ufd_ctx_from_file(struct file *file);

#endif /* _IOMMUFD_LITE_H */
