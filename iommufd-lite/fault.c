// SPDX-License-Identifier: GPL-2.0
/*
 * Fault queues: IOMMU_FAULT_QUEUE_ALLOC, the queue's fd, and the I/O page
 * faults of fault-capable HWPTs delivered through it to userspace.
 *
 * A HWPT allocated with IOMMU_HWPT_FAULT_ID_VALID names a fault queue; its
 * domain gets ufd_fault_iopf_handler() as the core's per-domain I/O
 * page-fault handler (core/fault.c).  A recoverable fault (a page
 * request) that hits the domain is copied into an item on the queue's
 * @deliver list and the handler returns -EINPROGRESS: the core does not
 * answer it.  read() on the queue's fd turns items into struct
 * iommu_hwpt_pgfault records, each with a cookie, and keeps them in
 * @response; write() takes struct iommu_hwpt_page_response records and
 * answers each fault through liommu_page_response() with the user's code.
 * Faults the user never answers are answered INVALID when their device
 * leaves the HWPT (detach, replace, unbind, close) and when the queue is
 * destroyed, as upstream's iommufd does.  Unrecoverable faults are not
 * the queue's: the handler leaves them to the core's counters.
 *
 * Each item is one fault and one cookie: liommu reports faults one by
 * one (no page request groups are gathered), and the answer goes to that
 * fault's group index.
 *
 * Locking and lifetime (iommufd_lite.h has the rest):
 *  - @lock (spinlock) guards @deliver and @dead: the handler runs on the
 *    unit's fault workqueue under the device's group mutex, where the
 *    context lock cannot be taken (the context lock is taken before the
 *    core's locks).
 *  - @response and everything else of the queue is the context's: read,
 *    write and every sweep hold &ufd_ctx.lock, and take @lock inside it.
 *  - @kref: one for the object table, one for the fd, one per HWPT using
 *    the queue.  &ufd_obj.users counts the fd and the HWPTs, so
 *    IOMMU_DESTROY is EBUSY while either exists, as upstream.  The fd
 *    also holds a context reference: a queue fd may outlive its
 *    /dev/iommufd-lite fd (the queue is then destroyed with the context,
 *    reads return nothing and writes find no cookie).
 *  - The handler can only run while the HWPT's domain is attached, hence
 *    while the HWPT (and its reference on the queue) exists.
 */
#include <linux/anon_inodes.h>
#include <linux/debugfs.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "iommufd_lite.h"

/* The core's answer codes and access bits are the uAPI's. */
static_assert((int)LIOMMU_PAGE_RESP_SUCCESS == (int)IOMMUFD_PAGE_RESP_SUCCESS);
static_assert((int)LIOMMU_PAGE_RESP_INVALID == (int)IOMMUFD_PAGE_RESP_INVALID);
static_assert(LIOMMU_FAULT_PERM_READ == IOMMU_PGFAULT_PERM_READ &&
	      LIOMMU_FAULT_PERM_WRITE == IOMMU_PGFAULT_PERM_WRITE &&
	      LIOMMU_FAULT_PERM_EXEC == IOMMU_PGFAULT_PERM_EXEC &&
	      LIOMMU_FAULT_PERM_PRIV == IOMMU_PGFAULT_PERM_PRIV);

/**
 * struct ufd_fault_item - one fault on its way to userspace and back
 * @node: in &ufd_fault.deliver until read
 * @fault: the core's fault (@fault.dev referenced)
 * @cookie: its key in &ufd_fault.response once read
 */
struct ufd_fault_item {
	struct list_head node;
	struct liommu_fault fault;
	u32 cookie;
};

static void ufd_fault_item_answer(struct ufd_fault_item *it, u32 code)
{
	liommu_page_response(it->fault.dev, &it->fault, code);
	put_device(it->fault.dev);
	kfree(it);
}

/*
 * Answer INVALID every fault of @dev (every fault when NULL) that the
 * queue holds, read or not.
 */
static void ufd_fault_sweep(struct ufd_fault *fault, struct device *dev)
{
	struct ufd_fault_item *it, *next;
	unsigned long index;
	LIST_HEAD(gone);

	lockdep_assert_held(&fault->ctx->lock);
	spin_lock(&fault->lock);
	list_for_each_entry_safe(it, next, &fault->deliver, node)
		if (!dev || it->fault.dev == dev)
			list_move_tail(&it->node, &gone);
	spin_unlock(&fault->lock);
	xa_for_each(&fault->response, index, it)
		if (!dev || it->fault.dev == dev) {
			xa_erase(&fault->response, index);
			list_add_tail(&it->node, &gone);
		}
	list_for_each_entry_safe(it, next, &gone, node) {
		list_del(&it->node);
		ufd_fault_item_answer(it, LIOMMU_PAGE_RESP_INVALID);
	}
}

static void ufd_fault_release(struct kref *kref)
{
	struct ufd_fault *fault = container_of(kref, struct ufd_fault, kref);

	WARN_ON(!list_empty(&fault->deliver) || !xa_empty(&fault->response));
	xa_destroy(&fault->response);
	kfree(fault);
}

/**
 * ufd_fault_put() - drop a reference to a fault queue
 * @fault: the queue
 */
void ufd_fault_put(struct ufd_fault *fault)
{
	kref_put(&fault->kref, ufd_fault_release);
}

/**
 * ufd_fault_free() - the object table lets go of a fault queue
 * @fault: the queue, out of the table
 *
 * Every fault it holds is answered INVALID; no HWPT uses it any more.
 *
 * Context: under the context lock.
 */
void ufd_fault_free(struct ufd_fault *fault)
{
	ufd_fault_sweep(fault, NULL);
	spin_lock(&fault->lock);
	fault->dead = true;
	spin_unlock(&fault->lock);
	ufd_fault_put(fault);
}

/**
 * ufd_fault_dev_leaves() - a device left a HWPT that reports to @fault
 * @fault: the HWPT's fault queue
 * @dev: the device, already attached elsewhere (so no new fault of it
 *	reaches @fault)
 *
 * Its faults still held are answered INVALID (upstream's
 * iommufd_auto_response_faults()).
 *
 * Context: under the context lock.
 */
void ufd_fault_dev_leaves(struct ufd_fault *fault, struct device *dev)
{
	ufd_fault_sweep(fault, dev);
}

/*
 * The per-domain I/O page-fault handler of a fault-capable HWPT: keep a
 * page request for userspace.  Runs on the unit's fault workqueue with
 * the device's group mutex held.
 */
static int ufd_fault_iopf_handler(struct liommu_domain *domain,
				  const struct liommu_fault *f, void *data)
{
	struct ufd_fault *fault = data;
	struct ufd_fault_item *it;

	if (!(f->flags & LIOMMU_FAULT_RECOVERABLE))
		return -EOPNOTSUPP;
	it = kzalloc(sizeof(*it), GFP_KERNEL);
	if (!it)
		return -ENOMEM;
	it->fault = *f;
	get_device(it->fault.dev);
	spin_lock(&fault->lock);
	if (fault->dead) {
		spin_unlock(&fault->lock);
		put_device(it->fault.dev);
		kfree(it);
		return -ENODEV;
	}
	list_add_tail(&it->node, &fault->deliver);
	spin_unlock(&fault->lock);
	wake_up_interruptible(&fault->wait);
	return -EINPROGRESS;
}

/**
 * ufd_fault_attach_hwpt() - make a new HWPT's faults go to a queue
 * @fault: the queue
 * @hwpt: the HWPT, reserved and not yet attached anywhere
 *
 * Context: under the context lock.
 * Return: 0, or the core's error.
 */
int ufd_fault_attach_hwpt(struct ufd_fault *fault, struct ufd_hwpt *hwpt)
{
	int err;

	err = liommu_domain_set_iopf_handler(hwpt->domain,
					     ufd_fault_iopf_handler, fault);
	if (err)
		return err;
	kref_get(&fault->kref);
	fault->obj.users++;
	hwpt->fault = fault;
	return 0;
}

/* The bound device whose struct device is @dev, or NULL. */
static struct ufd_device_obj *ufd_fault_dobj(struct ufd_ctx *ctx,
					     struct device *dev)
{
	struct ufd_device_obj *dobj;

	list_for_each_entry(dobj, &ctx->devices, node)
		if (ufd_device_dev(dobj) == dev)
			return dobj;
	return NULL;
}

static void ufd_fault_record(struct ufd_ctx *ctx, struct ufd_fault_item *it,
			     struct iommu_hwpt_pgfault *r)
{
	const struct liommu_fault *f = &it->fault;
	struct ufd_device_obj *dobj = ufd_fault_dobj(ctx, f->dev);

	memset(r, 0, sizeof(*r));
	if (f->flags & LIOMMU_FAULT_PASID_VALID)
		r->flags |= IOMMU_PGFAULT_FLAGS_PASID_VALID;
	if (f->flags & LIOMMU_FAULT_LAST_PAGE)
		r->flags |= IOMMU_PGFAULT_FLAGS_LAST_PAGE;
	r->dev_id = dobj ? dobj->obj.id : 0;
	r->pasid = f->pasid;
	r->grpid = f->grpid;
	r->perm = f->perm;
	r->addr = f->addr;
	r->length = 0;
	r->cookie = it->cookie;
}

/*
 * read(): as many whole records as @count holds, oldest first; 0 when
 * nothing waits (upstream's answer, O_NONBLOCK or not); EINVAL when
 * @count holds not even one; ESPIPE for a count that is not a multiple
 * of the record or a position.
 */
static ssize_t ufd_fault_fops_read(struct file *file, char __user *buf,
				   size_t count, loff_t *ppos)
{
	const size_t rsize = sizeof(struct iommu_hwpt_pgfault);
	struct ufd_fault *fault = file->private_data;
	struct ufd_ctx *ctx = fault->ctx;
	struct iommu_hwpt_pgfault r;
	struct ufd_fault_item *it;
	size_t done = 0;
	int err = 0;

	if (*ppos || count % rsize)
		return -ESPIPE;
	mutex_lock(&ctx->lock);
	while (!err) {
		spin_lock(&fault->lock);
		it = list_first_entry_or_null(&fault->deliver,
					      struct ufd_fault_item, node);
		if (it && count - done >= rsize)
			list_del(&it->node);
		spin_unlock(&fault->lock);
		if (!it)
			break;
		if (count - done < rsize) {
			if (!done)
				err = -EINVAL;
			break;
		}
		err = xa_alloc(&fault->response, &it->cookie, it, xa_limit_32b,
			       GFP_KERNEL);
		if (!err) {
			ufd_fault_record(ctx, it, &r);
			if (copy_to_user(buf + done, &r, rsize)) {
				xa_erase(&fault->response, it->cookie);
				err = -EFAULT;
			}
		}
		if (err) {
			spin_lock(&fault->lock);
			list_add(&it->node, &fault->deliver);
			spin_unlock(&fault->lock);
			break;
		}
		done += rsize;
	}
	mutex_unlock(&ctx->lock);
	return done ? done : err;
}

/*
 * write(): answers, one struct iommu_hwpt_page_response each; stops at the
 * first bad one (an unknown code or cookie: EINVAL), returning the bytes
 * of the answers before it, or the error when it was the first.
 */
static ssize_t ufd_fault_fops_write(struct file *file, const char __user *buf,
				    size_t count, loff_t *ppos)
{
	const size_t rsize = sizeof(struct iommu_hwpt_page_response);
	struct ufd_fault *fault = file->private_data;
	struct iommu_hwpt_page_response resp;
	struct ufd_ctx *ctx = fault->ctx;
	struct ufd_fault_item *it;
	size_t done = 0;
	int err = 0;

	if (*ppos || count % rsize)
		return -ESPIPE;
	mutex_lock(&ctx->lock);
	while (done < count) {
		if (copy_from_user(&resp, buf + done, rsize)) {
			err = -EFAULT;
			break;
		}
		if (resp.code != IOMMUFD_PAGE_RESP_SUCCESS &&
		    resp.code != IOMMUFD_PAGE_RESP_INVALID) {
			err = -EINVAL;
			break;
		}
		it = xa_erase(&fault->response, resp.cookie);
		if (!it) {
			err = -EINVAL;
			break;
		}
		ufd_fault_item_answer(it, resp.code);
		done += rsize;
	}
	mutex_unlock(&ctx->lock);
	return done ? done : err;
}

static __poll_t ufd_fault_fops_poll(struct file *file,
				    struct poll_table_struct *wait)
{
	struct ufd_fault *fault = file->private_data;
	__poll_t mask = EPOLLOUT;

	poll_wait(file, &fault->wait, wait);
	spin_lock(&fault->lock);
	if (!list_empty(&fault->deliver))
		mask |= EPOLLIN | EPOLLRDNORM;
	spin_unlock(&fault->lock);
	return mask;
}

static int ufd_fault_fops_release(struct inode *inode, struct file *file)
{
	struct ufd_fault *fault = file->private_data;
	struct ufd_ctx *ctx = fault->ctx;

	mutex_lock(&ctx->lock);
	fault->obj.users--;
	mutex_unlock(&ctx->lock);
	ufd_fault_put(fault);
	ufd_ctx_put(ctx);
	return 0;
}

static const struct file_operations ufd_fault_fops = {
	.owner = THIS_MODULE,
	.open = nonseekable_open,
	.read = ufd_fault_fops_read,
	.write = ufd_fault_fops_write,
	.poll = ufd_fault_fops_poll,
	.release = ufd_fault_fops_release,
};

/* IOMMU_FAULT_QUEUE_ALLOC */
int ufd_fault_alloc_ioctl(struct ufd_ucmd *ucmd)
{
	struct iommu_fault_alloc *cmd = ucmd->cmd;
	struct ufd_ctx *ctx = ucmd->ctx;
	struct ufd_fault *fault;
	struct file *file;
	int fd, err;

	if (cmd->flags)
		return -EOPNOTSUPP;
	fault = kzalloc(sizeof(*fault), GFP_KERNEL_ACCOUNT);
	if (!fault)
		return -ENOMEM;
	kref_init(&fault->kref);
	fault->ctx = ctx;
	spin_lock_init(&fault->lock);
	INIT_LIST_HEAD(&fault->deliver);
	xa_init_flags(&fault->response, XA_FLAGS_ALLOC1);
	init_waitqueue_head(&fault->wait);
	err = ufd_obj_reserve(ctx, &fault->obj, UFD_OBJ_FAULT);
	if (err) {
		kfree(fault);
		return err;
	}
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		err = fd;
		goto err_abort;
	}
	file = anon_inode_getfile("[iommufd-lite-pgfault]", &ufd_fault_fops,
				  fault, O_RDWR);
	if (IS_ERR(file)) {
		err = PTR_ERR(file);
		goto err_put_fd;
	}
	/*
	 * The fd's references: the queue, a user of it, the context.  Its
	 * release drops them, also when the fd is never installed.
	 */
	kref_get(&fault->kref);
	fault->obj.users++;
	kref_get(&ctx->kref);
	cmd->out_fault_id = fault->obj.id;
	cmd->out_fault_fd = fd;
	err = ufd_ucmd_respond(ucmd, sizeof(*cmd));
	if (err) {
		fput(file);
		goto err_put_fd;
	}
	ufd_obj_publish(ctx, &fault->obj);
	fd_install(fd, file);
	return 0;

err_put_fd:
	put_unused_fd(fd);
err_abort:
	ufd_obj_abort(ctx, &fault->obj);
	return err;
}

/*
 * Test only: with test_faults=1, /sys/kernel/debug/iommufd-lite/report_fault
 * stands in for a device that issues page requests, which no device of
 * QEMU's has (VT-d ECAP.PRS 0, an SMMU that never stalls).  Writing
 * "<pci-name> <addr> <grpid> <perm> <last> <pasid>" (addr and perm in
 * hex, LIOMMU_FAULT_PERM_* bits; last 0 or 1; pasid -1 for none) reports
 * one recoverable fault of that device through the core's own path,
 * liommu_report_device_fault(), as a vendor reports what it read from its
 * unit, and waits until the core has handled it.  What happens next is
 * the real path: the core routes it to the domain the device is attached
 * to, and its answer goes to the vendor's page_response.
 */
static bool ufd_test_faults;
module_param_named(test_faults, ufd_test_faults, bool, 0444);
MODULE_PARM_DESC(test_faults, "test only: debugfs report_fault reports page requests of a device (default off)");

static ssize_t ufd_report_fault_write(struct file *file,
				      const char __user *ubuf, size_t count,
				      loff_t *ppos)
{
	struct liommu_fault f = { .flags = LIOMMU_FAULT_RECOVERABLE };
	unsigned int grpid, perm, last;
	unsigned long long addr;
	char buf[128], name[32];
	struct device *dev;
	int pasid, err;

	if (!count || count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = 0;
	if (sscanf(buf, "%31s %llx %u %x %u %d", name, &addr, &grpid, &perm,
		   &last, &pasid) != 6 || last > 1 || pasid < -1 ||
	    (perm & ~(LIOMMU_FAULT_PERM_READ | LIOMMU_FAULT_PERM_WRITE |
		      LIOMMU_FAULT_PERM_EXEC | LIOMMU_FAULT_PERM_PRIV)))
		return -EINVAL;
	f.addr = addr;
	f.grpid = grpid;
	f.perm = perm;
	if (last)
		f.flags |= LIOMMU_FAULT_LAST_PAGE;
	if (pasid >= 0) {
		f.flags |= LIOMMU_FAULT_PASID_VALID;
		f.pasid = pasid;
	}
	dev = bus_find_device_by_name(&pci_bus_type, NULL, name);
	if (!dev)
		return -ENODEV;
	err = liommu_report_device_fault(dev, &f);
	if (!err)
		err = liommu_iopf_flush_dev(dev);
	put_device(dev);
	return err ? err : count;
}

static const struct file_operations ufd_report_fault_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = ufd_report_fault_write,
};

/**
 * ufd_fault_debugfs_init() - the test-only report_fault file
 * @dir: iommufd-lite's debugfs folder
 */
void ufd_fault_debugfs_init(struct dentry *dir)
{
	if (ufd_test_faults)
		debugfs_create_file("report_fault", 0200, dir, NULL,
				    &ufd_report_fault_fops);
}
