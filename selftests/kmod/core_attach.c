// SPDX-License-Identifier: GPL-2.0
/*
 * core_*: groups and attach/detach — singleton and shared groups, the
 * default domain, the rules of device and group attach, switching
 * without a blocked window (as the mock records it), unwinding when a
 * member refuses, and the PCI default groups and bus notifier.
 */
#include <linux/pci.h>

#include "core_common.h"

/* Expect the mock to have recorded exactly @n attaches, to @want[]. */
static void lt_expect_log(struct lt_ctx *t, struct device *dev,
			  struct liommu_domain **want, unsigned int n,
			  const char *what)
{
	struct liommu_domain *log[8];
	unsigned int i, got = liommu_mock_transitions(dev, log, ARRAY_SIZE(log));

	if (!lt_expect_eq(t, got, n, what))
		return;
	for (i = 0; i < n && i < ARRAY_SIZE(log); i++)
		if (log[i] != want[i])
			lt_fail(t, "%s: transition %u went to the wrong domain (type %d)",
				what, i, log[i]->type);
}

static void core_group_singleton(struct lt_ctx *t)
{
	struct device *d0 = lt_mock(t, 0), *d1 = lt_mock(t, 1);
	struct liommu_group *g0, *g1;

	if (!d0 || !d1)
		return;
	g0 = liommu_group_get(d0);
	g1 = liommu_group_get(d1);
	if (lt_expect_true(t, g0 && g1, "groups exist")) {
		lt_expect_true(t, g0 != g1, "separate groups");
		lt_expect_eq(t, liommu_group_device_count(g0), 1, "one member");
		lt_expect_true(t, liommu_group_is_immutable_singleton(g0),
			       "immutable singleton");
	}
	liommu_group_put(g0);
	liommu_group_put(g1);
}

static void core_group_shared(struct lt_ctx *t)
{
	struct device *d2 = lt_mock(t, 2), *d3 = lt_mock(t, 3);
	struct liommu_group *g2, *g3;

	if (!d2 || !d3)
		return;
	g2 = liommu_group_get(d2);
	g3 = liommu_group_get(d3);
	if (lt_expect_true(t, g2 && g3, "groups exist")) {
		lt_expect_true(t, g2 == g3, "one group");
		lt_expect_eq(t, liommu_group_device_count(g2), 2, "two members");
		lt_expect_true(t, !liommu_group_is_immutable_singleton(g2),
			       "not a singleton");
	}
	liommu_group_put(g2);
	liommu_group_put(g3);
	lt_expect_true(t, !liommu_group_get(NULL), "NULL device: no group");
}

static void core_default_domain(struct lt_ctx *t)
{
	unsigned int i;

	for (i = 0; i < LIOMMU_MOCK_NR_DEVS; i++) {
		struct device *dev = lt_mock(t, i);
		struct liommu_domain *d;

		if (!dev)
			return;
		d = liommu_get_domain_for_dev(dev);
		lt_expect_true(t, d && d == liommu_identity_domain(dev),
			       "default domain is the unit's identity");
	}
}

static void core_attach_detach_default(struct lt_ctx *t)
{
	struct device *dev = lt_mock(t, 0);
	struct liommu_domain *d = lt_paging(t, 0), *want[2];

	if (!dev || !d)
		goto out;
	liommu_mock_clear_transitions(dev);
	if (!lt_expect_eq(t, liommu_attach_device(d, dev), 0, "attach"))
		goto out;
	lt_expect_true(t, liommu_get_domain_for_dev(dev) == d, "attached");
	lt_expect_eq(t, atomic_read(&d->users), 1, "users");
	liommu_detach_device(d, dev);
	lt_expect_true(t, liommu_get_domain_for_dev(dev) ==
		       liommu_identity_domain(dev), "back to default");
	lt_expect_eq(t, atomic_read(&d->users), 0, "users after detach");
	want[0] = d;
	want[1] = liommu_identity_domain(dev);
	lt_expect_log(t, dev, want, 2, "identity -> paging -> identity, no blocked step");
out:
	liommu_domain_free(d);
}

static void core_attach_nonsingleton_refused(struct lt_ctx *t)
{
	struct device *dev = lt_mock(t, 2);
	struct liommu_domain *d = lt_paging(t, 2);

	if (!dev || !d)
		goto out;
	liommu_mock_clear_transitions(dev);
	lt_expect_eq(t, liommu_attach_device(d, dev), -EINVAL,
		     "device attach in a shared group");
	lt_expect_true(t, liommu_get_domain_for_dev(dev) ==
		       liommu_identity_domain(dev), "unchanged");
	lt_expect_log(t, dev, NULL, 0, "no transition");
out:
	liommu_domain_free(d);
}

static void core_attach_group_shared(struct lt_ctx *t)
{
	struct device *d2 = lt_mock(t, 2), *d3 = lt_mock(t, 3);
	struct liommu_domain *d = lt_paging(t, 2);
	struct liommu_group *g = d2 ? liommu_group_get(d2) : NULL;

	if (!d2 || !d3 || !d || !g)
		goto out;
	if (!lt_expect_eq(t, liommu_attach_group(d, g), 0, "group attach"))
		goto out;
	lt_expect_true(t, liommu_get_domain_for_dev(d2) == d, "member 2");
	lt_expect_true(t, liommu_get_domain_for_dev(d3) == d, "member 3");
	liommu_detach_device(d, d2);
	lt_expect_true(t, liommu_get_domain_for_dev(d2) == d,
		       "device detach in a shared group changes nothing");
	liommu_detach_group(d, g);
	lt_expect_true(t, liommu_get_domain_for_dev(d3) ==
		       liommu_identity_domain(d3), "back to default");
out:
	liommu_group_put(g);
	liommu_domain_free(d);
}

static void core_attach_busy(struct lt_ctx *t)
{
	struct device *dev = lt_mock(t, 1);
	struct liommu_domain *a = lt_paging(t, 1), *b = lt_paging(t, 1);

	if (!dev || !a || !b)
		goto out;
	if (!lt_expect_eq(t, liommu_attach_device(a, dev), 0, "attach a"))
		goto out;
	lt_expect_eq(t, liommu_attach_device(b, dev), -EBUSY, "attach b");
	lt_expect_eq(t, liommu_attach_device(a, dev), -EBUSY, "attach a again");
	lt_expect_true(t, liommu_get_domain_for_dev(dev) == a, "a stays");
	liommu_detach_device(b, dev);
	lt_expect_true(t, liommu_get_domain_for_dev(dev) == a,
		       "detach of the wrong domain changes nothing");
	liommu_detach_device(a, dev);
out:
	liommu_domain_free(a);
	liommu_domain_free(b);
}

static void core_replace_no_blocked_window(struct lt_ctx *t)
{
	struct device *dev = lt_mock(t, 1);
	struct liommu_domain *a = lt_paging(t, 1), *b = lt_paging(t, 1);
	struct liommu_group *g = dev ? liommu_group_get(dev) : NULL;
	struct liommu_domain *want[3];

	if (!dev || !a || !b || !g)
		goto out;
	lt_expect_eq(t, liommu_group_replace_domain(g, a), -EINVAL,
		     "replace with nothing attached");
	liommu_mock_clear_transitions(dev);
	if (!lt_expect_eq(t, liommu_attach_device(a, dev), 0, "attach a"))
		goto out;
	lt_expect_eq(t, liommu_group_replace_domain(g, b), 0, "replace a by b");
	lt_expect_true(t, liommu_get_domain_for_dev(dev) == b, "b in use");
	lt_expect_eq(t, atomic_read(&a->users), 0, "a released");
	liommu_detach_device(b, dev);
	want[0] = a;
	want[1] = b;
	want[2] = liommu_identity_domain(dev);
	lt_expect_log(t, dev, want, 3, "identity -> a -> b -> identity");
out:
	liommu_group_put(g);
	liommu_domain_free(a);
	liommu_domain_free(b);
}

static void core_attach_cross_unit(struct lt_ctx *t)
{
	struct device *d0 = lt_mock(t, 0);
	struct liommu_domain *d = lt_paging(t, 4);

	if (d0 && d)
		lt_expect_eq(t, liommu_attach_device(d, d0), -EINVAL,
			     "domain of mock1 on a device of mock0");
	liommu_domain_free(d);
}

static void core_attach_revert(struct lt_ctx *t)
{
	struct device *d2 = lt_mock(t, 2), *d3 = lt_mock(t, 3);
	struct liommu_domain *d = lt_paging(t, 2), *want[2];
	struct liommu_group *g = d2 ? liommu_group_get(d2) : NULL;

	if (!d2 || !d3 || !d || !g)
		goto out;
	liommu_mock_clear_transitions(d2);
	liommu_mock_fail_attach(d3, true);
	lt_expect_eq(t, liommu_attach_group(d, g), -EIO, "member refuses");
	liommu_mock_fail_attach(d3, false);
	lt_expect_true(t, liommu_get_domain_for_dev(d2) ==
		       liommu_identity_domain(d2), "group unchanged");
	want[0] = d;
	want[1] = liommu_identity_domain(d2);
	lt_expect_log(t, d2, want, 2, "member 2 moved back");
	lt_expect_eq(t, atomic_read(&d->users), 0, "no user");
out:
	liommu_group_put(g);
	liommu_domain_free(d);
}

static void core_attach_errors(struct lt_ctx *t)
{
	struct device *dev = lt_mock(t, 0), *other = lt_untranslated(t);
	struct liommu_domain *d = lt_paging(t, 0);

	if (!dev || !d || !other)
		goto out;
	lt_expect_eq(t, liommu_attach_device(NULL, dev), -EINVAL, "NULL domain");
	lt_expect_eq(t, liommu_attach_device(d, NULL), -EINVAL, "NULL device");
	lt_expect_eq(t, liommu_attach_device(d, other), -ENODEV,
		     "untranslated device");
	lt_expect_eq(t, liommu_attach_group(d, NULL), -EINVAL, "NULL group");
	lt_expect_true(t, !liommu_get_domain_for_dev(other),
		       "untranslated device has no domain");
out:
	lt_put_untranslated(other);
	liommu_domain_free(d);
}

static void core_attach_blocked_identity(struct lt_ctx *t)
{
	struct device *dev = lt_mock(t, 0);
	struct liommu_domain *bl, *id;

	if (!dev)
		return;
	bl = liommu_blocked_domain(dev);
	id = liommu_identity_domain(dev);
	if (!lt_expect_eq(t, liommu_attach_device(bl, dev), 0, "attach blocked"))
		return;
	lt_expect_true(t, liommu_get_domain_for_dev(dev) == bl, "blocked");
	liommu_detach_device(bl, dev);
	lt_expect_eq(t, liommu_attach_device(id, dev), 0,
		     "attach identity (the default)");
	lt_expect_true(t, liommu_get_domain_for_dev(dev) == id, "identity");
	liommu_detach_device(id, dev);
}

static struct pci_dev *lt_edu(unsigned int n)
{
	struct pci_dev *pdev = NULL;

	do {
		pdev = pci_get_device(LIOMMU_MOCK_EDU_VENDOR,
				      LIOMMU_MOCK_EDU_DEVICE, pdev);
	} while (pdev && n--);
	return pdev;
}

static void core_pci_default_groups(struct lt_ctx *t)
{
	struct pci_dev *a = lt_edu(0), *b = lt_edu(1);
	struct liommu_group *ga = NULL, *gb = NULL;
	struct liommu_domain *d;

	if (!a || !b) {
		lt_fail(t, "two edu devices expected");
		goto out;
	}
	ga = liommu_group_get(&a->dev);
	gb = liommu_group_get(&b->dev);
	if (!lt_expect_true(t, ga && gb, "edu devices have groups"))
		goto out;
	lt_expect_true(t, ga != gb, "separate groups (root bus, single function)");
	lt_expect_true(t, liommu_group_is_immutable_singleton(ga),
		       "immutable singleton");
	d = liommu_identity_domain(&a->dev);
	lt_expect_true(t, !IS_ERR(d) && !strcmp(d->iommu->name, lt_pci_unit_name()),
		       "the unit of the edu devices");
	d = liommu_paging_domain_alloc(&a->dev);
	if (lt_pci_paging_err())
		lt_expect_eq(t, PTR_ERR_OR_ZERO(d), lt_pci_paging_err(),
			     "paging domain refused by the unit");
	else if (lt_expect_true(t, !IS_ERR(d), "paging domain for edu")) {
		lt_expect_true(t, !strcmp(d->iommu->name, lt_pci_unit_name()),
			       "the unit of the edu devices");
		liommu_domain_free(d);
	}
out:
	liommu_group_put(ga);
	liommu_group_put(gb);
	pci_dev_put(a);
	pci_dev_put(b);
}

static void core_pci_hotplug(struct lt_ctx *t)
{
	struct liommu_core_stats before, gone, back;
	struct pci_dev *pdev = lt_edu(1), *again;
	struct liommu_domain *d;
	struct liommu_group *g;
	struct pci_bus *bus;
	unsigned int devfn;

	if (!pdev) {
		lt_fail(t, "no second edu device");
		return;
	}
	bus = pdev->bus;
	devfn = pdev->devfn;
	liommu_core_get_stats(&before);
	pci_stop_and_remove_bus_device_locked(pdev);
	liommu_core_get_stats(&gone);
	lt_expect_eq(t, gone.devices, before.devices - 1, "state released on removal");
	lt_expect_eq(t, gone.groups, before.groups - 1, "its group freed");
	lt_expect_true(t, !liommu_group_get(&pdev->dev), "no group after removal");
	pci_dev_put(pdev);

	pci_lock_rescan_remove();
	pci_rescan_bus(bus);
	pci_unlock_rescan_remove();
	liommu_core_get_stats(&back);
	lt_expect_eq(t, back.devices, before.devices, "probed again on hot-add");
	again = pci_get_slot(bus, devfn);
	if (!lt_expect_true(t, again, "device back"))
		return;
	g = liommu_group_get(&again->dev);
	lt_expect_true(t, g && liommu_group_is_immutable_singleton(g),
		       "new immutable singleton group");
	liommu_group_put(g);
	d = liommu_identity_domain(&again->dev);
	lt_expect_true(t, !IS_ERR(d) && !strcmp(d->iommu->name, lt_pci_unit_name()),
		       "probed by the same unit again");
	pci_dev_put(again);
}

static const struct lt_case core_attach_cases[] = {
	LT_CASE(core_group_singleton),
	LT_CASE(core_group_shared),
	LT_CASE(core_default_domain),
	LT_CASE(core_attach_detach_default),
	LT_CASE(core_attach_nonsingleton_refused),
	LT_CASE(core_attach_group_shared),
	LT_CASE(core_attach_busy),
	LT_CASE(core_replace_no_blocked_window),
	LT_CASE(core_attach_cross_unit),
	LT_CASE(core_attach_revert),
	LT_CASE(core_attach_errors),
	LT_CASE(core_attach_blocked_identity),
	LT_CASE(core_pci_default_groups),
	LT_CASE(core_pci_hotplug),
};

const struct lt_suite lt_core_attach_suite = LT_SUITE("core_attach", core_attach_cases);
