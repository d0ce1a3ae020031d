// SPDX-License-Identifier: GPL-2.0
/*
 * sva_*: SVA binding from the kernel side (core/sva.c).
 *
 * Everywhere: bad arguments, and units that cannot share a process's
 * page table refuse (the mock, the SMMU, VT-d legacy and second-stage
 * units: -EOPNOTSUPP), as does a device without PASIDs.  On vtd-pasid-fl
 * the module binds edu to the address space of the process that loads
 * it (insmod's), maps memory in it with vm_mmap() and proves the binding
 * with PASID-tagged DMA: the PASID entry points at the mm's pgd, data
 * moves both ways, an munmap invalidates that PASID's IOTLB.  The
 * guest program (selftests/sva, 15-sva.sh) tests faults, mprotect, fork
 * and exit from userspace.
 */
#include <linux/mman.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/sched/mm.h>
#include <linux/uaccess.h>

#include "core_common.h"
#include "edu.h"
#ifdef CONFIG_X86
#include <linux/bitfield.h>
#include "../../intel/qi.h"
#include "../../intel/tables.h"
#endif

#define LEN	128

/* Does the profile promise SVA (first-stage VT-d, PASID-tagged edu)? */
static int sva_expected(struct lt_ctx *t)
{
#ifdef CONFIG_X86
	if (!lt_stated(t, lt_expect.first_stage, "first_stage") ||
	    !lt_stated(t, lt_expect.second_stage, "second_stage") ||
	    !lt_stated(t, lt_expect.edu_pasid_bits, "edu_pasid_bits") ||
	    !lt_stated(t, lt_expect.scalable, "scalable"))
		return -1;
	return lt_expect.scalable == 1 && lt_expect.first_stage == 1 &&
	       lt_expect.second_stage == 0 && lt_expect.edu_pasid_bits > 0;
#else
	return 0;
#endif
}

static struct lt_edu *open_edu(struct lt_ctx *t, struct lt_edu *edu,
			       unsigned int n)
{
	u8 bus, devfn;
	int err = lt_parse_bdf(lt_expect.edu, n, &bus, &devfn);

	if (!err)
		err = lt_edu_open(bus, devfn, edu);
	if (err) {
		lt_fail(t, "edu %u: %d", n, err);
		return NULL;
	}
	return edu;
}

/* Bad arguments and devices no unit translates. */
static void sva_bind_bad_args(struct lt_ctx *t)
{
	struct device *un = lt_untranslated(t);
	struct device *dev = lt_mock(t, 0);
	struct mm_struct *mm = current->mm;

	if (!un || !dev || !mm)
		goto out;
	lt_expect_eq(t, PTR_ERR_OR_ZERO(liommu_sva_bind_device(NULL, mm)),
		     -EINVAL, "NULL device");
	lt_expect_eq(t, PTR_ERR_OR_ZERO(liommu_sva_bind_device(dev, NULL)),
		     -EINVAL, "NULL mm");
	lt_expect_eq(t, PTR_ERR_OR_ZERO(liommu_sva_bind_device(un, mm)),
		     -ENODEV, "a device no unit translates");
	lt_expect_eq(t, liommu_sva_get_pasid(NULL), 0, "no PASID for NULL");
	liommu_sva_unbind_device(NULL);
	liommu_sva_unbind_device(ERR_PTR(-EINVAL));
out:
	lt_put_untranslated(un);
}

/* The mock's units share no page tables: feature and bind refused. */
static void sva_mock_refused(struct lt_ctx *t)
{
	struct device *dev = lt_mock(t, 0);
	struct liommu_sva_stats s0, s1;

	if (!dev || !current->mm)
		return;
	liommu_sva_get_stats(&s0);
	lt_expect_eq(t, liommu_dev_enable_feature(dev, LIOMMU_DEV_FEAT_SVA),
		     -EOPNOTSUPP, "LIOMMU_DEV_FEAT_SVA on the mock");
	lt_expect_eq(t, PTR_ERR_OR_ZERO(liommu_sva_bind_device(dev, current->mm)),
		     -EOPNOTSUPP, "bind on the mock");
	lt_expect_true(t, !liommu_dev_feature_enabled(dev, LIOMMU_DEV_FEAT_SVA),
		       "feature still off");
	lt_expect_eq(t, liommu_dev_enable_feature(dev, LIOMMU_DEV_FEAT_IOPF), 0,
		     "LIOMMU_DEV_FEAT_IOPF: any translated device");
	lt_expect_eq(t, liommu_dev_disable_feature(dev, LIOMMU_DEV_FEAT_IOPF), 0,
		     "and off again");
	liommu_sva_get_stats(&s1);
	lt_expect_eq(t, s1.live_mms, s0.live_mms, "no address space bound");
}

/*
 * edu on this profile's unit: SVA where the profile promises it, else
 * refused with -EOPNOTSUPP (no first stage, no PASIDs, or the SMMU).
 */
static void sva_edu_refused_or_offered(struct lt_ctx *t)
{
	int want = sva_expected(t);
	struct lt_edu e;
	struct device *dev;
	struct liommu_sva *h;
	int err;

	if (want < 0 || !open_edu(t, &e, 0))
		return;
	dev = &e.pdev->dev;
	err = liommu_dev_enable_feature(dev, LIOMMU_DEV_FEAT_SVA);
	if (!want) {
		lt_expect_eq(t, err, -EOPNOTSUPP, "LIOMMU_DEV_FEAT_SVA refused");
		h = liommu_sva_bind_device(dev, current->mm);
		lt_expect_true(t, PTR_ERR_OR_ZERO(h) == -EOPNOTSUPP ||
				  PTR_ERR_OR_ZERO(h) == -EINVAL,
			       "bind refused");
		if (!IS_ERR(h))
			liommu_sva_unbind_device(h);
	} else {
		lt_expect_eq(t, err, 0, "LIOMMU_DEV_FEAT_SVA on");
		lt_expect_eq(t, liommu_dev_disable_feature(dev, LIOMMU_DEV_FEAT_SVA),
			     0, "and off");
		h = liommu_sva_bind_device(dev, current->mm);
		lt_expect_eq(t, PTR_ERR_OR_ZERO(h), -EINVAL,
			     "bind without LIOMMU_DEV_FEAT_SVA");
		if (!IS_ERR(h))
			liommu_sva_unbind_device(h);
	}
	lt_edu_close(&e);
}

#ifdef CONFIG_X86
struct ks {
	struct lt_edu e;
	struct device *dev;
	struct liommu_sva *h;
	u32 pasid;
	unsigned long uaddr;
	size_t len;
};

static bool ks_setup(struct lt_ctx *t, struct ks *x, size_t len)
{
	int want = sva_expected(t);

	memset(x, 0, sizeof(*x));
	if (want < 0)
		return false;
	if (!want) {
		lt_skip(t, "no SVA on this machine (needs first-stage VT-d and PASID-tagged edu DMA)");
		return false;
	}
	if (!current->mm) {
		lt_fail(t, "loaded by a task without an address space");
		return false;
	}
	if (!open_edu(t, &x->e, 0))
		return false;
	x->dev = &x->e.pdev->dev;
	if (!lt_expect_eq(t, liommu_dev_enable_feature(x->dev,
						       LIOMMU_DEV_FEAT_SVA), 0,
			  "LIOMMU_DEV_FEAT_SVA"))
		return false;
	x->h = liommu_sva_bind_device(x->dev, current->mm);
	if (IS_ERR(x->h)) {
		lt_fail(t, "bind: %ld", PTR_ERR(x->h));
		x->h = NULL;
		return false;
	}
	x->pasid = liommu_sva_get_pasid(x->h);
	x->uaddr = vm_mmap(NULL, 0, len, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, 0);
	if (IS_ERR_VALUE(x->uaddr)) {
		lt_fail(t, "vm_mmap: %ld", (long)x->uaddr);
		x->uaddr = 0;
		return false;
	}
	x->len = len;
	return true;
}

static void ks_teardown(struct ks *x)
{
	if (x->uaddr)
		vm_munmap(x->uaddr, x->len);
	if (x->h)
		liommu_sva_unbind_device(x->h);
	if (x->dev)
		liommu_dev_disable_feature(x->dev, LIOMMU_DEV_FEAT_SVA);
	lt_edu_close(&x->e);
}

/*
 * The binding's PASID entry is first stage on the process's own page
 * table, user requests only, and PASID DMA moves data both ways between
 * edu and the process's memory.
 */
static void sva_kernel_bind_dma(struct lt_ctx *t)
{
	struct liommu_domain *d;
	u8 buf[LEN], back[LEN];
	struct liommu_sva *h2;
	u64 e[8], root;
	u16 did;
	u8 aw;
	struct ks x;
	unsigned int i;

	if (!ks_setup(t, &x, 4 * PAGE_SIZE))
		goto out;
	lt_expect_true(t, x.pasid > 0, "a PASID");
	h2 = liommu_sva_bind_device(x.dev, current->mm);
	lt_expect_true(t, h2 == x.h, "a second bind returns the same handle");
	if (!IS_ERR(h2))
		liommu_sva_unbind_device(h2);
	d = liommu_get_domain_for_dev_pasid(x.dev, x.pasid);
	if (!lt_expect_true(t, d && d->type == LIOMMU_DOMAIN_SVA &&
			       d->mm == current->mm, "an SVA domain of this mm"))
		goto out;
	if (lt_expect_eq(t, liommu_vtd_read_pasid_entry(0, x.e.pdev->bus->number,
							x.e.pdev->devfn, x.pasid,
							e), 0, "PASID entry") &&
	    lt_expect_eq(t, liommu_vtd_domain_root(d, &root, &did, &aw), 0,
			 "domain")) {
		lt_expect_true(t, e[0] & LIOMMU_VTD_PASID_0_P, "present");
		lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_PASID_0_PGTT, e[0]),
			     LIOMMU_VTD_PGTT_FIRST_STAGE, "first stage");
		lt_expect_eq(t, e[2] & LIOMMU_VTD_PASID_2_FSPTPTR,
			     __pa(current->mm->pgd), "the process's pgd");
		lt_expect_eq(t, root, __pa(current->mm->pgd), "domain's root");
		lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_PASID_2_FSPM, e[2]),
			     LIOMMU_VTD_FSPM_4LEVEL, "4-level");
		lt_expect_true(t, !(e[2] & LIOMMU_VTD_PASID_2_SRE),
			       "SRE 0: user requests only");
		lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_PASID_1_DID, e[1]), did,
			     "its own domain id");
	}
	for (i = 0; i < LEN; i++)
		buf[i] = i ^ 0xa5;
	if (!lt_expect_eq(t, copy_to_user((void __user *)x.uaddr + 0x100, buf,
					  LEN), 0, "write user memory") ||
	    !lt_expect_eq(t, clear_user((void __user *)x.uaddr + 2 * PAGE_SIZE,
					PAGE_SIZE), 0, "touch the target"))
		goto out;
	lt_expect_eq(t, lt_edu_pasid_dma_from_ram(&x.e, x.pasid, x.uaddr + 0x100,
						  0, LEN), 0, "device reads");
	lt_expect_eq(t, lt_edu_dma_error(&x.e), 0, "no fault");
	lt_expect_eq(t, lt_edu_pasid_dma_to_ram(&x.e, x.pasid,
						x.uaddr + 2 * PAGE_SIZE + 0x40,
						0, LEN), 0, "device writes");
	lt_expect_eq(t, lt_edu_dma_error(&x.e), 0, "no fault");
	if (lt_expect_eq(t, copy_from_user(back,
					   (void __user *)x.uaddr + 2 * PAGE_SIZE + 0x40,
					   LEN), 0, "read user memory"))
		lt_expect_true(t, !memcmp(back, buf, LEN),
			       "what the process wrote came back at another address");
out:
	ks_teardown(&x);
}

/* munmap: a PASID-based IOTLB invalidation of that PASID, then faults. */
static void sva_kernel_munmap_invalidates(struct lt_ctx *t)
{
	struct liommu_vtd_inv_stats st0, st1;
	struct liommu_domain *d;
	struct ks x;

	if (!ks_setup(t, &x, 2 * PAGE_SIZE))
		goto out;
	d = liommu_get_domain_for_dev_pasid(x.dev, x.pasid);
	if (!lt_expect_true(t, d, "SVA domain") ||
	    !lt_expect_eq(t, clear_user((void __user *)x.uaddr, 2 * PAGE_SIZE),
			  0, "touch"))
		goto out;
	lt_edu_pasid_dma_from_ram(&x.e, x.pasid, x.uaddr + PAGE_SIZE, 0, LEN);
	lt_expect_eq(t, lt_edu_dma_error(&x.e), 0, "warm translation");
	if (!lt_expect_eq(t, liommu_vtd_domain_inv_stats(d, &st0), 0, "stats"))
		goto out;
	vm_munmap(x.uaddr + PAGE_SIZE, PAGE_SIZE);
	lt_expect_eq(t, liommu_vtd_domain_inv_stats(d, &st1), 0, "stats");
	lt_expect_true(t, st1.submissions > st0.submissions,
		       "the notifier invalidated");
	lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_QI_0_TYPE_LO, st1.last[0][0]),
		     LIOMMU_VTD_QI_TYPE_PIOTLB, "PASID-based IOTLB");
	lt_expect_eq(t, FIELD_GET(LIOMMU_VTD_QI_PIOTLB_0_PASID, st1.last[0][0]),
		     x.pasid, "of the bound PASID");
	lt_edu_pasid_dma_from_ram(&x.e, x.pasid, x.uaddr + PAGE_SIZE, 0, LEN);
	lt_expect_true(t, lt_edu_dma_error(&x.e) & LT_EDU_DMA_ERR_MEMTX,
		       "DMA to the unmapped page faults: nothing stale");
	liommu_iopf_flush_dev(x.dev);
	vm_munmap(x.uaddr, PAGE_SIZE);
	x.uaddr = 0;
out:
	ks_teardown(&x);
}

/*
 * The last unbind detaches and frees the domain; the mm, still alive,
 * keeps its PASID (upstream's rule: one PASID per mm until the mm goes
 * away), so a new bind gets the same one.  That the PASID goes with the
 * mm is the guest program's sva_exit_frees_kept_pasid.
 */
static void sva_kernel_unbind_frees(struct lt_ctx *t)
{
	struct liommu_sva_stats s0, s1;
	struct liommu_sva *h;
	struct ks x;
	u32 pasid;

	liommu_sva_get_stats(&s0);
	if (!ks_setup(t, &x, PAGE_SIZE))
		goto out;
	pasid = x.pasid;
	lt_expect_eq(t, liommu_dev_disable_feature(x.dev, LIOMMU_DEV_FEAT_SVA),
		     -EBUSY, "feature stays on while bound");
	liommu_sva_unbind_device(x.h);
	x.h = NULL;
	lt_expect_true(t, !liommu_get_domain_for_dev_pasid(x.dev, pasid),
		       "PASID detached");
	liommu_sva_get_stats(&s1);
	lt_expect_eq(t, s1.live_mms, s0.live_mms, "the address space let go");
	lt_expect_eq(t, s1.kept_mms, s0.kept_mms + (s0.kept_mms ? 0 : 1),
		     "its PASID kept while it lives");
	lt_expect_true(t, !x.e.pdev->pasid_enabled,
		       "PASID Enable off with the last PASID");
	lt_edu_pasid_dma_from_ram(&x.e, pasid, x.uaddr, 0, LEN);
	lt_expect_true(t, lt_edu_dma_error(&x.e) != 0,
		       "the old PASID reaches nothing");
	h = liommu_sva_bind_device(x.dev, current->mm);
	if (lt_expect_eq(t, PTR_ERR_OR_ZERO(h), 0, "bind again")) {
		lt_expect_eq(t, liommu_sva_get_pasid(h), pasid,
			     "the same PASID again");
		liommu_sva_get_stats(&s1);
		lt_expect_eq(t, s1.kept_mms, 0, "bound: no longer only kept");
		liommu_sva_unbind_device(h);
	}
out:
	ks_teardown(&x);
}
#endif

static const struct lt_case sva_cases[] = {
	LT_CASE(sva_bind_bad_args),
	LT_CASE(sva_mock_refused),
	LT_CASE(sva_edu_refused_or_offered),
#ifdef CONFIG_X86
	LT_CASE(sva_kernel_bind_dma),
	LT_CASE(sva_kernel_munmap_invalidates),
	LT_CASE(sva_kernel_unbind_frees),
#endif
};

const struct lt_suite lt_sva_suite = LT_SUITE("sva", sva_cases);
