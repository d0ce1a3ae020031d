// SPDX-License-Identifier: GPL-2.0
/*
 * aux_*: aux domains (seed 004, core/aux.c).
 *
 * The core's rules run on every profile against the mock (mock0 offers
 * PASIDs; devices 2 and 3 share a group; mock1 has none).  On the
 * vtd-pasid-* profiles two aux domains on one edu are proven by real
 * PASID-tagged DMA with the PASIDs liommu_aux_get_pasid() hands out.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/string.h>

#include <liommu/pasid.h>
#include "core_common.h"
#include "edu.h"

#define IOVA	0x200000UL
#define LEN	64

/* The AUX feature: who may have it, and when it can't go. */
static void aux_feature(struct lt_ctx *t)
{
	struct device *d0 = lt_mock(t, 0), *d2 = lt_mock(t, 2),
		      *d4 = lt_mock(t, 4);

	if (!d0 || !d2 || !d4)
		return;
	lt_expect_true(t, !liommu_dev_feature_enabled(d0, LIOMMU_DEV_FEAT_AUX),
		       "off at first");
	lt_expect_eq(t, liommu_dev_enable_feature(d0, LIOMMU_DEV_FEAT_AUX), 0,
		     "enable on a device with PASIDs and a group of its own");
	lt_expect_true(t, liommu_dev_feature_enabled(d0, LIOMMU_DEV_FEAT_AUX),
		       "on");
	lt_expect_eq(t, liommu_dev_enable_feature(d0, LIOMMU_DEV_FEAT_AUX), 0,
		     "enable twice");
	lt_expect_eq(t, liommu_dev_enable_feature(d2, LIOMMU_DEV_FEAT_AUX),
		     -EBUSY, "a device that shares its group");
	lt_expect_eq(t, liommu_dev_enable_feature(d4, LIOMMU_DEV_FEAT_AUX),
		     -EOPNOTSUPP, "a unit without PASIDs");
	lt_expect_eq(t, liommu_dev_enable_feature(d0, LIOMMU_DEV_FEAT_NR),
		     -EINVAL, "no such feature");
	lt_expect_eq(t, liommu_dev_enable_feature(NULL, LIOMMU_DEV_FEAT_AUX),
		     -EINVAL, "NULL device");
	lt_expect_eq(t, liommu_dev_disable_feature(d0, LIOMMU_DEV_FEAT_AUX), 0,
		     "disable");
	lt_expect_true(t, !liommu_dev_feature_enabled(d0, LIOMMU_DEV_FEAT_AUX),
		       "off again");
}

/* Two aux domains on one device, each with its own PASID. */
static void aux_two_domains(struct lt_ctx *t)
{
	struct liommu_domain *a = lt_paging(t, 0), *b = lt_paging(t, 0);
	struct liommu_domain *before;
	struct device *dev = lt_mock(t, 0);
	int pa, pb;

	if (!a || !b || !dev)
		goto out;
	lt_expect_eq(t, liommu_aux_attach_device(a, dev), -EINVAL,
		     "refused without AUX");
	if (!lt_expect_eq(t, liommu_dev_enable_feature(dev, LIOMMU_DEV_FEAT_AUX),
			  0, "enable AUX"))
		goto out;
	before = liommu_get_domain_for_dev(dev);
	lt_expect_eq(t, liommu_aux_attach_device(a, dev), 0, "attach a");
	lt_expect_eq(t, liommu_aux_attach_device(a, dev), -EBUSY, "a twice");
	pa = liommu_aux_get_pasid(a, dev);
	/*
	 * The platform's PASID space is the narrowest unit's: stock QEMU's
	 * scalable VT-d unit states a 1-bit width, PASID 1 alone.
	 */
	if (liommu_pasid_space_max() < 2) {
		lt_expect_eq(t, liommu_aux_attach_device(b, dev), -ENOSPC,
			     "attach b: the platform's one PASID is taken");
		lt_expect_eq(t, liommu_aux_get_pasid(b, dev), -EINVAL,
			     "b has none");
		pb = 0;
	} else {
		lt_expect_eq(t, liommu_aux_attach_device(b, dev), 0, "attach b");
		pb = liommu_aux_get_pasid(b, dev);
		lt_expect_true(t, pb > 0 && pb != pa, "a second PASID");
	}
	lt_info(t, "PASIDs %d and %d (space ends at %u)", pa, pb,
		liommu_pasid_space_max());
	lt_expect_true(t, pa > 0 && liommu_mock_pasid_domain(dev, pa) == a,
		       "a's PASID walks a");
	lt_expect_true(t, !pb || liommu_mock_pasid_domain(dev, pb) == b,
		       "b's PASID walks b");
	lt_expect_true(t, liommu_get_domain_for_dev(dev) == before,
		       "the untagged domain did not change");
	lt_expect_eq(t, liommu_dev_disable_feature(dev, LIOMMU_DEV_FEAT_AUX),
		     -EBUSY, "AUX stays while aux domains are attached");
	liommu_domain_free(a);
	lt_expect_eq(t, liommu_aux_get_pasid(a, dev), pa,
		     "an attached aux domain is not freed");
	liommu_aux_detach_device(a, dev);
	lt_expect_eq(t, liommu_aux_get_pasid(a, dev), -EINVAL, "detached");
	lt_expect_true(t, !liommu_mock_pasid_domain(dev, pa), "its PASID blocked");
	if (pb)
		liommu_aux_detach_device(b, dev);
	lt_expect_eq(t, liommu_dev_disable_feature(dev, LIOMMU_DEV_FEAT_AUX), 0,
		     "AUX off");
out:
	if (dev)
		liommu_dev_disable_feature(dev, LIOMMU_DEV_FEAT_AUX);
	if (a)
		liommu_domain_free(a);
	if (b)
		liommu_domain_free(b);
}

/*
 * The seed's flow: a group of sub-devices derived from the device gets an
 * aux domain, and liommu_get_domain_for_dev() of a sub-device answers it.
 */
static void aux_group_of_subdevices(struct lt_ctx *t)
{
	struct liommu_domain *a = lt_paging(t, 1);
	struct device *dev = lt_mock(t, 1);
	struct platform_device *sub[2] = {};
	struct liommu_group *group = NULL;
	unsigned int i;

	if (!a || !dev)
		goto out;
	for (i = 0; i < ARRAY_SIZE(sub); i++) {
		sub[i] = platform_device_register_simple("liommu-test-subdev",
							 i, NULL, 0);
		if (IS_ERR(sub[i])) {
			lt_fail(t, "sub-device: %ld", PTR_ERR(sub[i]));
			sub[i] = NULL;
			goto out;
		}
	}
	group = liommu_group_alloc(false);
	if (IS_ERR(group)) {
		lt_fail(t, "group: %ld", PTR_ERR(group));
		group = NULL;
		goto out;
	}
	lt_expect_true(t, !liommu_get_domain_for_dev(&sub[0]->dev),
		       "a sub-device has no domain of its own");
	for (i = 0; i < ARRAY_SIZE(sub); i++)
		lt_expect_eq(t, liommu_aux_group_add_device(group, &sub[i]->dev),
			     0, "sub-device into the group");
	lt_expect_eq(t, liommu_aux_group_add_device(group, &sub[0]->dev),
		     -EBUSY, "twice");
	lt_expect_eq(t, liommu_aux_group_add_device(group, dev), -EINVAL,
		     "a translated device is no sub-device");
	lt_expect_eq(t, liommu_aux_attach_group(a, group, dev), -EINVAL,
		     "refused without AUX");
	if (!lt_expect_eq(t, liommu_dev_enable_feature(dev, LIOMMU_DEV_FEAT_AUX),
			  0, "enable AUX"))
		goto out;
	lt_expect_eq(t, liommu_aux_attach_group(a, group, dev), 0, "attach");
	lt_expect_eq(t, liommu_aux_attach_group(a, group, dev), -EBUSY, "twice");
	for (i = 0; i < ARRAY_SIZE(sub); i++) {
		lt_expect_true(t, liommu_get_domain_for_dev(&sub[i]->dev) == a,
			       "get_domain_for_dev(sub-device): the aux domain");
		lt_expect_true(t, liommu_aux_get_domain_for_dev(&sub[i]->dev) == a,
			       "aux_get_domain_for_dev(sub-device)");
	}
	lt_expect_true(t, liommu_aux_get_pasid(a, dev) > 0,
		       "the PASID a sub-device's driver programs");
	liommu_aux_detach_device(a, dev);
	lt_expect_true(t, liommu_aux_get_pasid(a, dev) > 0,
		       "a group's aux domain is detached with the group only");
	liommu_aux_detach_group(a, group, dev);
	lt_expect_true(t, !liommu_get_domain_for_dev(&sub[0]->dev),
		       "after detach: no domain");
	lt_expect_eq(t, liommu_aux_get_pasid(a, dev), -EINVAL, "no PASID");
out:
	for (i = 0; i < ARRAY_SIZE(sub); i++)
		if (sub[i]) {
			liommu_aux_group_remove_device(&sub[i]->dev);
			platform_device_unregister(sub[i]);
		}
	if (group)
		liommu_group_put(group);
	if (dev)
		liommu_dev_disable_feature(dev, LIOMMU_DEV_FEAT_AUX);
	if (a)
		liommu_domain_free(a);
}

#ifdef CONFIG_X86
/* Two aux domains on one edu, proven by DMA tagged with their PASIDs. */
static void aux_dma_two_domains(struct lt_ctx *t)
{
	struct liommu_domain *d[3] = {};
	struct page *pg[3] = {};
	struct lt_edu edu = {};
	struct device *dev;
	unsigned int i, j;
	u8 bus, devfn;
	int pasid[3];

	if (!lt_stated(t, lt_expect.edu_pasid_bits, "edu_pasid_bits"))
		return;
	if (!lt_expect.edu_pasid_bits) {
		lt_skip(t, "no PASID-tagged DMA on this machine (stock QEMU)");
		return;
	}
	if (lt_parse_bdf(lt_expect.edu, 0, &bus, &devfn) ||
	    !lt_expect_eq(t, lt_edu_open(bus, devfn, &edu), 0, "open edu"))
		return;
	dev = &edu.pdev->dev;
	for (i = 0; i < 3; i++) {
		d[i] = liommu_paging_domain_alloc(dev);
		pg[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (IS_ERR(d[i]) || !pg[i] ||
		    !lt_expect_eq(t, liommu_map(d[i], IOVA, page_to_phys(pg[i]),
						PAGE_SIZE, LT_RW, GFP_KERNEL),
				  0, "map"))
			goto out;
	}
	/* d[0]: the untagged domain; d[1], d[2]: aux domains. */
	if (!lt_expect_eq(t, liommu_attach_device(d[0], dev), 0, "attach") ||
	    !lt_expect_eq(t, liommu_dev_enable_feature(dev, LIOMMU_DEV_FEAT_AUX),
			  0, "enable AUX") ||
	    !lt_expect_eq(t, liommu_aux_attach_device(d[1], dev), 0, "aux 1") ||
	    !lt_expect_eq(t, liommu_aux_attach_device(d[2], dev), 0, "aux 2"))
		goto out;
	pasid[0] = 0;
	pasid[1] = liommu_aux_get_pasid(d[1], dev);
	pasid[2] = liommu_aux_get_pasid(d[2], dev);
	lt_info(t, "aux PASIDs %d and %d", pasid[1], pasid[2]);
	for (i = 0; i < 3; i++) {
		u8 tag = 0x60 + i;
		bool ok = true;

		for (j = 0; j < 3; j++)
			memset(page_address(pg[j]), j ? 0 : tag, LEN);
		lt_expect_eq(t, lt_edu_dma_from_ram(&edu, IOVA, 0, LEN), 0,
			     "load the buffer (untagged)");
		memset(page_address(pg[0]), 0, LEN);
		if (i)
			lt_expect_eq(t, lt_edu_pasid_dma_to_ram(&edu, pasid[i],
								IOVA, 0, LEN),
				     0, "aux DMA");
		else
			lt_expect_eq(t, lt_edu_dma_to_ram(&edu, IOVA, 0, LEN), 0,
				     "untagged DMA");
		lt_expect_eq(t, lt_edu_dma_error(&edu), 0, "completed");
		for (j = 0; j < 3; j++) {
			u8 *p = page_address(pg[j]);

			if ((p[0] == tag && p[LEN - 1] == tag) != (i == j))
				ok = false;
		}
		lt_expect_true(t, ok, "landed in its own domain's page only");
	}
	lt_expect_true(t, liommu_get_domain_for_dev(dev) == d[0],
		       "the untagged domain is not an aux one");
	liommu_vtd_read_faults(0, NULL, 0);
out:
	for (i = 1; i < 3; i++)
		if (!IS_ERR_OR_NULL(d[i]) && liommu_aux_get_pasid(d[i], dev) > 0)
			liommu_aux_detach_device(d[i], dev);
	liommu_dev_disable_feature(dev, LIOMMU_DEV_FEAT_AUX);
	if (!IS_ERR_OR_NULL(d[0]) && liommu_get_domain_for_dev(dev) == d[0])
		liommu_detach_device(d[0], dev);
	for (i = 0; i < 3; i++) {
		if (!IS_ERR_OR_NULL(d[i]))
			liommu_domain_free(d[i]);
		if (pg[i])
			__free_page(pg[i]);
	}
	lt_edu_close(&edu);
}
#endif

static const struct lt_case aux_cases[] = {
	LT_CASE(aux_feature),
	LT_CASE(aux_two_domains),
	LT_CASE(aux_group_of_subdevices),
#ifdef CONFIG_X86
	LT_CASE(aux_dma_two_domains),
#endif
};

const struct lt_suite lt_aux_suite = LT_SUITE("aux", aux_cases);
