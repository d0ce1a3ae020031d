// SPDX-License-Identifier: GPL-2.0
/*
 * Pinned user memory: the pages behind the areas of an IOAS.
 *
 * IOMMU_IOAS_MAP pins the whole range at once with FOLL_LONGTERM (the
 * pages are moved out of movable zones first, as for any long-term pin),
 * and with FOLL_WRITE only for a writeable map: a read-only mapping of
 * the process is never made writeable for the device.  Before pinning,
 * the pages are charged to RLIMIT_MEMLOCK: to the user's locked_vm
 * (IOMMU_OPTION_RLIMIT_MODE 0, the default) or to the process's
 * pinned_vm (mode 1); a map past the limit fails with -ENOMEM and pins
 * nothing.  A caller with CAP_IPC_LOCK is not limited, but its pages are
 * still counted.  The last put of a &struct ufd_pages unpins (marking
 * the pages dirty when the device could write them) and uncharges: this
 * never fails.
 */
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/user.h>
#include <linux/slab.h>

#include "iommufd_lite.h"

/* Pages pinned by every context of the module, for the tests. */
static atomic_long_t ufd_pinned = ATOMIC_LONG_INIT(0);

long ufd_pages_pinned(void)
{
	return atomic_long_read(&ufd_pinned);
}

static int ufd_charge(struct ufd_pages *pages, enum ufd_account mode)
{
	unsigned long limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	unsigned long n = pages->npages;
	bool unlimited = capable(CAP_IPC_LOCK);

	if (mode == UFD_ACCOUNT_MM) {
		struct mm_struct *mm = current->mm;

		if (!mm)
			return -EINVAL;
		if (!unlimited &&
		    atomic64_add_return(n, &mm->pinned_vm) > limit) {
			atomic64_sub(n, &mm->pinned_vm);
			return -ENOMEM;
		}
		if (unlimited)
			atomic64_add(n, &mm->pinned_vm);
		mmgrab(mm);
		pages->mm = mm;
	} else {
		struct user_struct *user = get_current_user();

		if (!unlimited &&
		    atomic_long_add_return(n, &user->locked_vm) > limit) {
			atomic_long_sub(n, &user->locked_vm);
			free_uid(user);
			return -ENOMEM;
		}
		if (unlimited)
			atomic_long_add(n, &user->locked_vm);
		pages->user = user;
	}
	pages->charged = n;
	return 0;
}

static void ufd_uncharge(struct ufd_pages *pages)
{
	if (pages->mm) {
		atomic64_sub(pages->charged, &pages->mm->pinned_vm);
		mmdrop(pages->mm);
		pages->mm = NULL;
	}
	if (pages->user) {
		atomic_long_sub(pages->charged, &pages->user->locked_vm);
		free_uid(pages->user);
		pages->user = NULL;
	}
	pages->charged = 0;
}

/**
 * ufd_pages_pin() - pin user memory for DMA and charge it
 * @ctx: the context (its accounting mode)
 * @uptr: the first byte's page, page aligned
 * @npages: pages
 * @writable: the device may write them
 *
 * Context: process context, under @ctx->lock; takes the mmap lock.
 * Return: the pages with one reference, or ERR_PTR(): -ENOMEM (no
 * memory, or RLIMIT_MEMLOCK reached), -EFAULT (not all of the range is
 * mapped, or not writeable for a writeable map).
 */
struct ufd_pages *ufd_pages_pin(struct ufd_ctx *ctx, unsigned long uptr,
				unsigned long npages, bool writable)
{
	unsigned int gup = FOLL_LONGTERM | (writable ? FOLL_WRITE : 0);
	struct ufd_pages *pages;
	unsigned long done = 0;
	int err, n;

	pages = kzalloc(sizeof(*pages), GFP_KERNEL_ACCOUNT);
	if (!pages)
		return ERR_PTR(-ENOMEM);
	kref_init(&pages->kref);
	pages->npages = npages;
	pages->writable = writable;
	pages->pages = kvcalloc(npages, sizeof(*pages->pages),
				GFP_KERNEL_ACCOUNT);
	if (!pages->pages) {
		err = -ENOMEM;
		goto err_free;
	}
	err = ufd_charge(pages, ctx->account);
	if (err)
		goto err_free_array;
	while (done < npages) {
		n = pin_user_pages_fast(uptr + done * PAGE_SIZE,
					min_t(unsigned long, npages - done,
					      INT_MAX / PAGE_SIZE),
					gup, pages->pages + done);
		if (n <= 0) {
			err = n ? n : -EFAULT;
			goto err_unpin;
		}
		done += n;
	}
	atomic_long_add(npages, &ufd_pinned);
	return pages;

err_unpin:
	unpin_user_pages(pages->pages, done);
	ufd_uncharge(pages);
err_free_array:
	kvfree(pages->pages);
err_free:
	kfree(pages);
	return ERR_PTR(err);
}

static void ufd_pages_release(struct kref *kref)
{
	struct ufd_pages *pages = container_of(kref, struct ufd_pages, kref);

	unpin_user_pages_dirty_lock(pages->pages, pages->npages,
				    pages->writable);
	atomic_long_sub(pages->npages, &ufd_pinned);
	ufd_uncharge(pages);
	kvfree(pages->pages);
	kfree(pages);
}

/**
 * ufd_pages_put() - drop a reference; the last unpins and uncharges
 * @pages: the pages
 */
void ufd_pages_put(struct ufd_pages *pages)
{
	kref_put(&pages->kref, ufd_pages_release);
}
