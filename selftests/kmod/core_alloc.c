// SPDX-License-Identifier: GPL-2.0
/*
 * core_*: domain allocation — paging, user with and without the
 * driver's allocator, the legacy bus allocator, the reserved nested, SVA
 * and PASID entry points, static domains, module pinning, and every
 * allocation failure unwinding.
 */
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/sched.h>

#include "core_common.h"

static void core_units_registered(struct lt_ctx *t)
{
	liommu_core_get_stats(&lt_core_base);
	/* The mock's three, and every unit the vendor driver registered. */
	lt_expect_eq(t, lt_core_base.iommus, 3 + lt_vendor_units(), "registered units");
	lt_expect_true(t, lt_core_base.devices >= LIOMMU_MOCK_NR_DEVS,
		       "mock devices probed");
	lt_expect_eq(t, lt_core_base.domains, 0, "domains before the cases");
	lt_expect_eq(t, lt_core_base.table_pages, 0, "table pages before");
	lt_expect_eq(t, lt_core_base.allocs,
		     lt_core_base.devices + lt_core_base.groups,
		     "allocations are device states and groups");
	lt_info(t, "units=%ld devices=%ld groups=%ld", lt_core_base.iommus,
		lt_core_base.devices, lt_core_base.groups);
}

static void core_paging_alloc(struct lt_ctx *t)
{
	struct liommu_core_stats before, during, after;
	struct liommu_domain *d;

	liommu_core_get_stats(&before);
	d = lt_paging(t, 0);
	if (!d)
		return;
	liommu_core_get_stats(&during);
	lt_expect_eq(t, d->type, LIOMMU_DOMAIN_PAGING, "type");
	lt_expect_eq(t, d->owner, LIOMMU_OWNER_KERNEL, "owner");
	lt_expect_eq(t, d->pgsize_bitmap, LT_PGSIZES, "page sizes");
	lt_expect_eq(t, d->geometry.aperture_start, 0, "aperture start");
	lt_expect_eq(t, d->geometry.aperture_end, BIT_ULL(48) - 1,
		     "aperture end");
	lt_expect_true(t, d->iommu && !strcmp(d->iommu->name, "mock0"), "unit");
	lt_expect_eq(t, during.domains, before.domains + 1, "domains counted");
	liommu_domain_free(d);
	liommu_core_get_stats(&after);
	lt_expect_eq(t, after.domains, before.domains, "domains after free");
	lt_expect_eq(t, after.table_pages, before.table_pages, "table pages");
}

static void core_paging_alloc_errors(struct lt_ctx *t)
{
	struct device *other = lt_untranslated(t);
	struct liommu_domain *d;

	d = liommu_paging_domain_alloc(NULL);
	lt_expect_eq(t, PTR_ERR_OR_ZERO(d), -EINVAL, "NULL device");
	if (other) {
		d = liommu_paging_domain_alloc(other);
		lt_expect_eq(t, PTR_ERR_OR_ZERO(d), -ENODEV,
			     "device no unit translates");
		d = liommu_user_domain_alloc(other, 0);
		lt_expect_eq(t, PTR_ERR_OR_ZERO(d), -ENODEV, "user, same");
	}
	lt_put_untranslated(other);
}

static void core_user_alloc_driver(struct lt_ctx *t)
{
	struct liommu_mock_domain_stats s;
	struct device *dev = lt_mock(t, 0);
	struct liommu_domain *d;

	if (!dev)
		return;
	d = liommu_user_domain_alloc(dev, 0);
	if (IS_ERR(d)) {
		lt_fail(t, "user domain: %ld", PTR_ERR(d));
		return;
	}
	lt_expect_eq(t, d->type, LIOMMU_DOMAIN_PAGING, "type");
	lt_expect_eq(t, d->owner, LIOMMU_OWNER_USER, "owner");
	if (lt_mstats(t, d, &s))
		lt_expect_true(t, s.user_alloc, "the unit's domain_alloc_paging_flags ran");
	liommu_domain_free(d);
}

static void core_user_alloc_fallback(struct lt_ctx *t)
{
	struct liommu_mock_domain_stats s;
	struct device *dev = lt_mock(t, 4);
	struct liommu_domain *d;

	if (!dev)
		return;
	d = liommu_user_domain_alloc(dev, 0);
	if (IS_ERR(d)) {
		lt_fail(t, "user domain on mock1: %ld", PTR_ERR(d));
		return;
	}
	lt_expect_eq(t, d->type, LIOMMU_DOMAIN_PAGING, "type");
	lt_expect_eq(t, d->owner, LIOMMU_OWNER_USER, "owner");
	lt_expect_true(t, !strcmp(d->iommu->name, "mock1"), "unit mock1");
	if (lt_mstats(t, d, &s))
		lt_expect_true(t, !s.user_alloc, "fell back to domain_alloc_paging");
	liommu_domain_free(d);
}

static void core_user_alloc_flags(struct lt_ctx *t)
{
	struct device *d0 = lt_mock(t, 0), *d4 = lt_mock(t, 4);
	struct liommu_domain *d;

	if (!d0 || !d4)
		return;
	d = liommu_user_domain_alloc(d0, LIOMMU_HWPT_ALLOC_NEST_PARENT);
	if (lt_expect_true(t, !IS_ERR(d), "nest-parent domain on mock0")) {
		lt_expect_eq(t, d->user_flags, LIOMMU_HWPT_ALLOC_NEST_PARENT,
			     "flags kept");
		liommu_domain_free(d);
	}
	d = liommu_user_domain_alloc(d4, LIOMMU_HWPT_ALLOC_NEST_PARENT);
	lt_expect_eq(t, PTR_ERR_OR_ZERO(d), -EOPNOTSUPP,
		     "flags without domain_alloc_paging_flags");
	d = liommu_user_domain_alloc(d0, BIT(31));
	lt_expect_eq(t, PTR_ERR_OR_ZERO(d), -EOPNOTSUPP, "unknown flag");
	d = liommu_user_domain_alloc(NULL, 0);
	lt_expect_eq(t, PTR_ERR_OR_ZERO(d), -EINVAL, "NULL device");
}

static void core_legacy_bus_alloc(struct lt_ctx *t)
{
	struct liommu_domain *d;

	d = liommu_domain_alloc(&platform_bus_type);
	if (lt_expect_true(t, !IS_ERR(d), "platform bus domain")) {
		lt_expect_eq(t, d->type, LIOMMU_DOMAIN_PAGING, "type");
		lt_expect_true(t, !strncmp(d->iommu->name, "mock", 4),
			       "from a mock unit");
		liommu_domain_free(d);
	}
	d = liommu_domain_alloc(&pci_bus_type);
	if (lt_pci_paging_err())
		lt_expect_eq(t, PTR_ERR_OR_ZERO(d), lt_pci_paging_err(),
			     "PCI bus domain refused by its unit");
	else if (lt_expect_true(t, !IS_ERR(d), "PCI bus domain")) {
		lt_expect_true(t, !strcmp(d->iommu->name, lt_pci_unit_name()),
			       "from the unit of the PCI devices");
		liommu_domain_free(d);
	}
	d = liommu_domain_alloc(NULL);
	lt_expect_eq(t, PTR_ERR_OR_ZERO(d), -EINVAL, "NULL bus");
}

static void core_sva_pasid_reserved(struct lt_ctx *t)
{
	struct device *dev = lt_mock(t, 0);
	struct liommu_domain *d;

	if (!dev)
		return;
	d = liommu_sva_domain_alloc(dev, current->mm ?: current->active_mm);
	lt_expect_eq(t, PTR_ERR_OR_ZERO(d), -EOPNOTSUPP,
		     "SVA domain: the mock shares no page tables");
	d = liommu_sva_domain_alloc(dev, NULL);
	lt_expect_eq(t, PTR_ERR_OR_ZERO(d), -EINVAL, "SVA without mm");
	/* mock1 offers no PASIDs (mock0 does: the pasid suite). */
	dev = lt_mock(t, 4);
	d = lt_paging(t, 4);
	if (!d || !dev)
		return;
	lt_expect_eq(t, liommu_attach_device_pasid(d, dev, 1), -EOPNOTSUPP,
		     "PASID attach on a unit without PASIDs (mock1)");
	lt_expect_eq(t, liommu_attach_device_pasid(NULL, dev, 1), -EINVAL,
		     "PASID attach, NULL domain");
	liommu_domain_free(d);
}

static void core_static_domains(struct lt_ctx *t)
{
	struct liommu_core_stats before, after;
	struct device *dev = lt_mock(t, 0);
	struct liommu_domain *id, *bl;

	if (!dev)
		return;
	id = liommu_identity_domain(dev);
	bl = liommu_blocked_domain(dev);
	if (IS_ERR(id) || IS_ERR(bl)) {
		lt_fail(t, "static domains missing");
		return;
	}
	lt_expect_eq(t, id->type, LIOMMU_DOMAIN_IDENTITY, "identity type");
	lt_expect_eq(t, bl->type, LIOMMU_DOMAIN_BLOCKED, "blocked type");
	lt_expect_true(t, id->flags & LIOMMU_DOMAIN_F_STATIC, "identity static");
	lt_expect_true(t, bl->flags & LIOMMU_DOMAIN_F_STATIC, "blocked static");
	liommu_core_get_stats(&before);
	liommu_domain_free(id);
	liommu_domain_free(bl);
	liommu_core_get_stats(&after);
	lt_expect_eq(t, after.domains, before.domains, "free of static: no-op");
	lt_expect_true(t, liommu_identity_domain(dev) == id, "still there");
	lt_expect_eq(t, PTR_ERR_OR_ZERO(liommu_blocked_domain(NULL)), -EINVAL,
		     "NULL device");
}

static void core_alloc_pins_module(struct lt_ctx *t)
{
	struct liommu_domain *d = lt_paging(t, 0);
	struct module *owner;
	int refs;

	if (!d)
		return;
	owner = d->iommu->ops->owner;
	refs = module_refcount(owner);
	liommu_domain_free(d);
	lt_expect_eq(t, module_refcount(owner), refs - 1,
		     "a domain holds a reference on its vendor module");
}

static void core_free_attached_refused(struct lt_ctx *t)
{
	struct liommu_core_stats before, after;
	struct device *dev = lt_mock(t, 0);
	struct liommu_domain *d = lt_paging(t, 0);

	if (!d || !dev)
		goto out;
	if (!lt_expect_eq(t, liommu_attach_device(d, dev), 0, "attach"))
		goto out;
	liommu_core_get_stats(&before);
	liommu_domain_free(d);
	liommu_core_get_stats(&after);
	lt_expect_eq(t, after.domains, before.domains,
		     "an attached domain is not freed");
	lt_expect_true(t, liommu_get_domain_for_dev(dev) == d, "still in use");
	liommu_detach_device(d, dev);
out:
	liommu_domain_free(d);
}

static void core_alloc_fail_nth(struct lt_ctx *t)
{
	struct liommu_core_stats before, after;
	struct device *dev = lt_mock(t, 0);
	unsigned int n;

	if (!dev)
		return;
	liommu_core_get_stats(&before);
	for (n = 1; n < 16; n++) {
		struct liommu_domain *d;

		liommu_core_fail_nth(n);
		d = liommu_paging_domain_alloc(dev);
		liommu_core_fail_nth(0);
		if (!IS_ERR(d)) {
			liommu_domain_free(d);
			break;
		}
		lt_expect_eq(t, PTR_ERR(d), -ENOMEM, "injected failure");
		liommu_core_get_stats(&after);
		lt_expect_eq(t, after.domains, before.domains, "no domain left");
		lt_expect_eq(t, after.table_pages, before.table_pages,
			     "no table left");
		lt_expect_eq(t, liommu_mock_live_domains(), 0, "mock: none left");
	}
	lt_expect_true(t, n > 1 && n < 16, "failure points walked");
	lt_info(t, "%u failure points", n - 1);
}

static const struct lt_case core_alloc_cases[] = {
	LT_CASE(core_units_registered),
	LT_CASE(core_paging_alloc),
	LT_CASE(core_paging_alloc_errors),
	LT_CASE(core_user_alloc_driver),
	LT_CASE(core_user_alloc_fallback),
	LT_CASE(core_user_alloc_flags),
	LT_CASE(core_legacy_bus_alloc),
	LT_CASE(core_sva_pasid_reserved),
	LT_CASE(core_static_domains),
	LT_CASE(core_alloc_pins_module),
	LT_CASE(core_free_attached_refused),
	LT_CASE(core_alloc_fail_nth),
};

const struct lt_suite lt_core_alloc_suite = LT_SUITE("core_alloc", core_alloc_cases);
