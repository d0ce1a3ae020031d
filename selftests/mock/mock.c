// SPDX-License-Identifier: GPL-2.0
/*
 * liommu_mock.ko: units, devices and domains of the software IOMMU
 * (overview in mock.h).
 *
 * Locking: each mock device has a spinlock guarding the domain it uses
 * now (what its "hardware" walks), its transition log and its fault
 * counters; attach_dev and the DMA take it.  A paging domain's table and
 * logs change only under the core's map_lock of that domain.  The
 * module's own allocations are counted (liommu_mock_live_domains() and
 * the 'allocations' parameter) and must be zero at unload.
 */
#include <linux/err.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/slab.h>

#include <liommu/compat.h>
#include <liommu/driver.h>
#include <liommu/pgtable.h>
#include "mock_priv.h"

struct liommu_mock_dev liommu_mock_devs[LIOMMU_MOCK_NR_DEVS];
static atomic_long_t liommu_mock_domains = ATOMIC_LONG_INIT(0);

static const struct liommu_domain_ops liommu_mock_paging_ops;

static struct liommu_mock_dev *liommu_mock_dev_of(struct device *dev)
{
	unsigned int i;

	for (i = 0; i < LIOMMU_MOCK_NR_DEVS; i++)
		if (liommu_mock_devs[i].pdev && &liommu_mock_devs[i].pdev->dev == dev)
			return &liommu_mock_devs[i];
	return NULL;
}

static struct liommu_mock_domain *to_mock(struct liommu_domain *domain)
{
	return container_of(domain, struct liommu_mock_domain, dom);
}

/* Attach: replace the device's domain in one step (no blocked window). */
int liommu_mock_attach_dev(struct liommu_domain *domain, struct device *dev)
{
	struct liommu_mock_dev *md = liommu_mock_dev_of(dev);
	unsigned long flags;
	int err = 0;

	if (!md)
		return dev_is_pci(dev) ? 0 : -ENODEV;	/* mock2: bookkeeping only */
	spin_lock_irqsave(&md->lock, flags);
	if (md->fail_attach) {
		err = -EIO;
		goto out_unlock;
	}
	md->domain = domain;
	if (md->nr_log < ARRAY_SIZE(md->log))
		md->log[md->nr_log++] = domain;
out_unlock:
	spin_unlock_irqrestore(&md->lock, flags);
	return err;
}

/*
 * One PASID of a device: what its "hardware" would walk for requests
 * tagged with it (the blocked domain: nothing, they fault).
 */
static int liommu_mock_set_dev_pasid(struct liommu_domain *domain,
				     struct device *dev, u32 pasid)
{
	struct liommu_mock_dev *md = liommu_mock_dev_of(dev);
	struct liommu_mock_unit *unit;

	if (!md)
		return -ENODEV;
	if (pasid >= LIOMMU_MOCK_PASIDS)
		return -EINVAL;
	if (READ_ONCE(md->fail_attach))
		return -EIO;
	unit = container_of(md->unit, struct liommu_mock_unit, iommu);
	if (domain == &unit->blocked) {
		xa_erase(&md->pasid_domain, pasid);
		return 0;
	}
	return xa_err(xa_store(&md->pasid_domain, pasid, domain, GFP_KERNEL));
}

/**
 * liommu_mock_pasid_domain() - the domain a mock device's PASID walks
 * @dev: a mock device
 * @pasid: the PASID
 *
 * Return: the domain the core last gave the PASID, NULL if blocked.
 */
struct liommu_domain *liommu_mock_pasid_domain(struct device *dev, u32 pasid)
{
	struct liommu_mock_dev *md = liommu_mock_dev_of(dev);

	if (!md || pasid >= LIOMMU_MOCK_PASIDS)
		return NULL;
	return xa_load(&md->pasid_domain, pasid);
}
LIOMMU_TEST_EXPORT(liommu_mock_pasid_domain);

static const struct liommu_domain_ops liommu_mock_static_ops = {
	.attach_dev = liommu_mock_attach_dev,
	.set_dev_pasid = liommu_mock_set_dev_pasid,
};

static int liommu_mock_map_pages(struct liommu_domain *domain,
				 unsigned long iova, phys_addr_t paddr,
				 size_t pgsize, size_t pgcount, int prot,
				 gfp_t gfp, size_t *mapped)
{
	struct liommu_mock_domain *m = to_mock(domain);

	lockdep_assert_held(&domain->map_lock);
	m->map_calls++;
	if (m->nr_runs < LIOMMU_MOCK_LOG) {
		m->runs[m->nr_runs].pgsize = pgsize;
		m->runs[m->nr_runs].pgcount = pgcount;
		m->nr_runs++;
	}
	return liommu_pt_map(&m->pt, iova, paddr, pgsize * pgcount, pgsize,
			     prot, gfp, mapped);
}

static size_t liommu_mock_unmap_pages(struct liommu_domain *domain,
				      unsigned long iova, size_t pgsize,
				      size_t pgcount,
				      struct liommu_iotlb_gather *gather)
{
	struct liommu_mock_domain *m = to_mock(domain);

	lockdep_assert_held(&domain->map_lock);
	m->unmap_calls++;
	return liommu_pt_unmap(&m->pt, iova, pgsize * pgcount, gather);
}

static int liommu_mock_mapped_range(struct liommu_domain *domain,
				    unsigned long iova, size_t size)
{
	return liommu_pt_mapped_range(&to_mock(domain)->pt, iova, size);
}

static void liommu_mock_iotlb_sync(struct liommu_domain *domain,
				   struct liommu_iotlb_gather *gather)
{
	struct liommu_mock_domain *m = to_mock(domain);

	m->iotlb_sync++;
	m->gather_start = gather->start;
	m->gather_end = gather->end;
}

static void liommu_mock_flush_all(struct liommu_domain *domain)
{
	to_mock(domain)->flush_all++;
}

static phys_addr_t liommu_mock_iova_to_phys(struct liommu_domain *domain,
					    dma_addr_t iova)
{
	return liommu_pt_iova_to_phys(&to_mock(domain)->pt, iova);
}

static void liommu_mock_domain_free(struct liommu_domain *domain)
{
	struct liommu_mock_domain *m = to_mock(domain);

	liommu_pt_free(&m->pt);
	kfree(m);
	atomic_long_dec(&liommu_mock_domains);
}

static const struct liommu_domain_ops liommu_mock_paging_ops = {
	.attach_dev = liommu_mock_attach_dev,
	.set_dev_pasid = liommu_mock_set_dev_pasid,
	.map_pages = liommu_mock_map_pages,
	.unmap_pages = liommu_mock_unmap_pages,
	.mapped_range = liommu_mock_mapped_range,
	.iotlb_sync = liommu_mock_iotlb_sync,
	.flush_iotlb_all = liommu_mock_flush_all,
	.iova_to_phys = liommu_mock_iova_to_phys,
	.free = liommu_mock_domain_free,
};

static struct liommu_domain *liommu_mock_alloc(bool user)
{
	struct liommu_mock_domain *m;
	int err;

	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return ERR_PTR(-ENOMEM);
	err = liommu_pt_init(&m->pt, &liommu_pt_format_mock,
			     LIOMMU_PT_MOCK_LEVELS, GFP_KERNEL);
	if (err) {
		kfree(m);
		return ERR_PTR(err);
	}
	m->user_alloc = user;
	m->dom.ops = &liommu_mock_paging_ops;
	m->dom.pgsize_bitmap = m->pt.pgsize_bitmap;
	atomic_long_inc(&liommu_mock_domains);
	return &m->dom;
}

static struct liommu_domain *liommu_mock_alloc_paging(struct device *dev)
{
	return liommu_mock_alloc(false);
}

static struct liommu_domain *liommu_mock_alloc_paging_flags(struct device *dev,
							      u32 flags)
{
	if (flags & ~LIOMMU_HWPT_ALLOC_NEST_PARENT)
		return ERR_PTR(-EOPNOTSUPP);
	return liommu_mock_alloc(true);
}

/* Is @domain a mock paging domain (of any mock unit)? */
bool liommu_mock_is_paging(const struct liommu_domain *domain)
{
	return domain && domain->ops == &liommu_mock_paging_ops;
}

/* Count a nested domain in the live domains (liommu_mock_live_domains()). */
void liommu_mock_domain_count(int delta)
{
	atomic_long_add(delta, &liommu_mock_domains);
}

static struct liommu_mock_unit *to_unit(struct liommu_device *iommu)
{
	return container_of(iommu, struct liommu_mock_unit, iommu);
}

static struct liommu_mock_unit liommu_mock_units[3];

/*
 * Each unit answers for its own devices only: a unit that registers is
 * offered every device, also those of another unit (the core refuses a
 * claim of a claimed device), and must not claim those.
 */
static struct liommu_device *liommu_mock_probe_unit(struct device *dev,
						    unsigned int u)
{
	struct liommu_mock_dev *md = liommu_mock_dev_of(dev);
	struct liommu_mock_unit *unit = &liommu_mock_units[u];
	unsigned int i;

	if (!md || !unit->registered)
		return ERR_PTR(-ENODEV);
	i = md - liommu_mock_devs;
	if (i < unit->first_dev || i >= unit->first_dev + unit->nr_devs)
		return ERR_PTR(-ENODEV);
	liommu_dev_set_priv(dev, md);
	return &unit->iommu;
}

static struct liommu_device *liommu_mock_probe_user(struct device *dev)
{
	return liommu_mock_probe_unit(dev, 0);
}

static struct liommu_device *liommu_mock_probe_plain(struct device *dev)
{
	return liommu_mock_probe_unit(dev, 1);
}

static void liommu_mock_release_device(struct device *dev)
{
	struct liommu_mock_dev *md = liommu_mock_dev_of(dev);
	unsigned long flags;

	if (!md)
		return;
	spin_lock_irqsave(&md->lock, flags);
	md->domain = NULL;
	spin_unlock_irqrestore(&md->lock, flags);
}

/* Devices 2 and 3 share a group; the others are alone. */
static struct liommu_group *liommu_mock_device_group(struct device *dev)
{
	struct liommu_mock_dev *md = liommu_mock_dev_of(dev);
	struct liommu_mock_unit *unit = to_unit(md->unit);
	unsigned int i = md - liommu_mock_devs;

	if (i != 2 && i != 3)
		return liommu_generic_device_group(dev);
	if (!unit->shared_group) {
		struct liommu_group *group = liommu_group_alloc(false);

		if (IS_ERR(group))
			return group;
		unit->shared_group = group;
	}
	return liommu_group_ref(unit->shared_group);
}

/* Page responses: recorded, for the core's fault tests. */
static int liommu_mock_page_response(struct device *dev,
				     const struct liommu_fault *fault, int code)
{
	struct liommu_mock_dev *md = liommu_mock_dev_of(dev);
	unsigned long flags;

	if (!md)
		return -ENODEV;
	spin_lock_irqsave(&md->lock, flags);
	md->responses++;
	md->last_resp = (struct liommu_mock_response){
		.code = code,
		.grpid = fault->grpid,
		.pasid = fault->pasid,
		.flags = fault->flags,
	};
	spin_unlock_irqrestore(&md->lock, flags);
	return 0;
}

/**
 * liommu_mock_responses() - page responses a mock device received
 * @dev: the mock device
 * @last: the last one, if not NULL (untouched when there was none)
 *
 * Return: how many it received since load; 0 for a device not the mock's.
 */
unsigned long liommu_mock_responses(struct device *dev,
				    struct liommu_mock_response *last)
{
	struct liommu_mock_dev *md = liommu_mock_dev_of(dev);
	unsigned long flags, n;

	if (!md)
		return 0;
	spin_lock_irqsave(&md->lock, flags);
	n = md->responses;
	if (last && n)
		*last = md->last_resp;
	spin_unlock_irqrestore(&md->lock, flags);
	return n;
}
LIOMMU_EXPORT(liommu_mock_responses);

static const struct liommu_ops liommu_mock_ops_user = {
	.owner = THIS_MODULE,
	.probe_device = liommu_mock_probe_user,
	.release_device = liommu_mock_release_device,
	.device_group = liommu_mock_device_group,
	.domain_alloc_paging = liommu_mock_alloc_paging,
	.domain_alloc_paging_flags = liommu_mock_alloc_paging_flags,
	.domain_alloc_nested = liommu_mock_alloc_nested,
	.page_response = liommu_mock_page_response,
	.pgsize_bitmap = SZ_4K | SZ_2M | SZ_1G,
};

/*
 * mock2 claims the PCI devices it is handed, by name, in the module
 * parameter 'pci' (e.g. pci=0000:00:02.0,0000:00:03.0): for the core's
 * PCI paths on a machine where no vendor driver runs.  Never by vendor or
 * class: a test module must not take real devices from a real driver,
 * also not when it happens to be loaded before it.
 */
static char *liommu_mock_pci;
module_param_named(pci, liommu_mock_pci, charp, 0444);
MODULE_PARM_DESC(pci, "comma list of PCI devices mock2 may claim (default: none)");

static bool liommu_mock_pci_handed(struct device *dev)
{
	const char *p = liommu_mock_pci, *name = dev_name(dev);
	size_t len = strlen(name);

	while (p && *p) {
		if (!strncmp(p, name, len) && (p[len] == ',' || !p[len]))
			return true;
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return false;
}

static struct liommu_device *liommu_mock_probe_pci(struct device *dev)
{
	if (!dev_is_pci(dev) || !liommu_mock_units[2].registered ||
	    !liommu_mock_pci_handed(dev))
		return ERR_PTR(-ENODEV);
	return &liommu_mock_units[2].iommu;
}

static const struct liommu_ops liommu_mock_ops_pci = {
	.owner = THIS_MODULE,
	.probe_device = liommu_mock_probe_pci,
	.device_group = liommu_pci_device_group,
	.domain_alloc_paging = liommu_mock_alloc_paging,
	.pgsize_bitmap = SZ_4K | SZ_2M | SZ_1G,
};

static const struct liommu_ops liommu_mock_ops_plain = {
	.owner = THIS_MODULE,
	.probe_device = liommu_mock_probe_plain,
	.release_device = liommu_mock_release_device,
	.device_group = liommu_mock_device_group,
	.domain_alloc_paging = liommu_mock_alloc_paging,
	.page_response = liommu_mock_page_response,
	.pgsize_bitmap = SZ_4K | SZ_2M | SZ_1G,
};

/**
 * liommu_mock_device() - mock device @i
 * @i: 0 .. LIOMMU_MOCK_NR_DEVS - 1
 *
 * Return: the device, NULL past the end.
 */
struct device *liommu_mock_device(unsigned int i)
{
	if (i >= LIOMMU_MOCK_NR_DEVS || !liommu_mock_devs[i].pdev)
		return NULL;
	return &liommu_mock_devs[i].pdev->dev;
}
LIOMMU_TEST_EXPORT(liommu_mock_device);

/**
 * liommu_mock_domain_stats() - what a mock paging domain saw
 * @domain: a paging domain of a mock unit
 * @stats: filled in
 *
 * Return: 0, or -EINVAL for another domain.
 */
int liommu_mock_domain_stats(struct liommu_domain *domain,
			     struct liommu_mock_domain_stats *stats)
{
	struct liommu_mock_domain *m;

	if (!domain || domain->ops != &liommu_mock_paging_ops)
		return -EINVAL;
	m = to_mock(domain);
	mutex_lock(&domain->map_lock);
	stats->user_alloc = m->user_alloc;
	stats->iotlb_sync = m->iotlb_sync;
	stats->flush_all = m->flush_all;
	stats->map_calls = m->map_calls;
	stats->unmap_calls = m->unmap_calls;
	stats->gather_start = m->gather_start;
	stats->gather_end = m->gather_end;
	stats->nr_runs = m->nr_runs;
	memcpy(stats->runs, m->runs, sizeof(stats->runs));
	liommu_pt_count_leaves(&m->pt, stats->leaves, ARRAY_SIZE(stats->leaves));
	stats->table_pages = liommu_pt_table_pages(&m->pt);
	mutex_unlock(&domain->map_lock);
	return 0;
}
LIOMMU_TEST_EXPORT(liommu_mock_domain_stats);

/**
 * liommu_mock_domain_reset() - clear a mock domain's counters and run log
 * @domain: a paging domain of a mock unit
 */
void liommu_mock_domain_reset(struct liommu_domain *domain)
{
	struct liommu_mock_domain *m;

	if (!domain || domain->ops != &liommu_mock_paging_ops)
		return;
	m = to_mock(domain);
	mutex_lock(&domain->map_lock);
	m->iotlb_sync = 0;
	m->flush_all = 0;
	m->map_calls = 0;
	m->unmap_calls = 0;
	m->nr_runs = 0;
	mutex_unlock(&domain->map_lock);
}
LIOMMU_TEST_EXPORT(liommu_mock_domain_reset);

/**
 * liommu_mock_transitions() - the domains a device was attached to, in order
 * @dev: a mock device
 * @log: filled with up to @max domains
 * @max: entries of @log
 *
 * Return: how many attach_dev calls were recorded since the last clear.
 */
unsigned int liommu_mock_transitions(struct device *dev,
				     struct liommu_domain **log,
				     unsigned int max)
{
	struct liommu_mock_dev *md = liommu_mock_dev_of(dev);
	unsigned long flags;
	unsigned int n;

	if (!md)
		return 0;
	spin_lock_irqsave(&md->lock, flags);
	n = md->nr_log;
	memcpy(log, md->log, min(n, max) * sizeof(*log));
	spin_unlock_irqrestore(&md->lock, flags);
	return n;
}
LIOMMU_TEST_EXPORT(liommu_mock_transitions);

/**
 * liommu_mock_clear_transitions() - forget a device's recorded attaches
 * @dev: a mock device
 */
void liommu_mock_clear_transitions(struct device *dev)
{
	struct liommu_mock_dev *md = liommu_mock_dev_of(dev);
	unsigned long flags;

	if (!md)
		return;
	spin_lock_irqsave(&md->lock, flags);
	md->nr_log = 0;
	spin_unlock_irqrestore(&md->lock, flags);
}
LIOMMU_TEST_EXPORT(liommu_mock_clear_transitions);

/**
 * liommu_mock_fail_attach() - make a device refuse every attach
 * @dev: a mock device
 * @fail: refuse (-EIO) or accept again
 */
void liommu_mock_fail_attach(struct device *dev, bool fail)
{
	struct liommu_mock_dev *md = liommu_mock_dev_of(dev);
	unsigned long flags;

	if (!md)
		return;
	spin_lock_irqsave(&md->lock, flags);
	md->fail_attach = fail;
	spin_unlock_irqrestore(&md->lock, flags);
}
LIOMMU_TEST_EXPORT(liommu_mock_fail_attach);

/**
 * liommu_mock_live_domains() - paging domains the mock holds
 *
 * Return: the count.
 */
long liommu_mock_live_domains(void)
{
	return atomic_long_read(&liommu_mock_domains);
}
LIOMMU_TEST_EXPORT(liommu_mock_live_domains);

static int liommu_mock_allocations_get(char *buf,
				       const struct kernel_param *kp)
{
	return sysfs_emit(buf, "domains=%ld\n", liommu_mock_live_domains());
}

static const struct kernel_param_ops liommu_mock_allocations_ops = {
	.get = liommu_mock_allocations_get,
};
module_param_cb(allocations, &liommu_mock_allocations_ops, NULL, 0444);
MODULE_PARM_DESC(allocations, "live objects of the mock (read-only)");

static void liommu_mock_unit_init(struct liommu_mock_unit *unit,
				  const char *name,
				  const struct liommu_ops *ops,
				  unsigned int first, unsigned int nr)
{
	unit->first_dev = first;
	unit->nr_devs = nr;
	unit->identity.ops = &liommu_mock_static_ops;
	unit->blocked.ops = &liommu_mock_static_ops;
	unit->iommu.ops = ops;
	unit->iommu.name = name;
	unit->iommu.identity_domain = &unit->identity;
	unit->iommu.blocked_domain = &unit->blocked;
	unit->iommu.geometry.aperture_start = 0;
	unit->iommu.geometry.aperture_end = BIT_ULL(48) - 1;
	/* A 48-bit output: maps at or beyond 2^48 are refused (-ERANGE). */
	unit->iommu.oa_bits = LIOMMU_MOCK_OA_BITS;
}

static void liommu_mock_unit_remove(struct liommu_mock_unit *unit)
{
	if (!unit->registered)
		return;
	liommu_device_unregister(&unit->iommu);
	unit->registered = false;
	liommu_group_put(unit->shared_group);
	unit->shared_group = NULL;
}

static void liommu_mock_devs_remove(void)
{
	unsigned int i;

	for (i = 0; i < LIOMMU_MOCK_NR_DEVS; i++) {
		if (liommu_mock_devs[i].pdev)
			platform_device_unregister(liommu_mock_devs[i].pdev);
		liommu_mock_devs[i].pdev = NULL;
		xa_destroy(&liommu_mock_devs[i].pasid_domain);
	}
}

static int __init liommu_mock_init(void)
{
	unsigned int i, u;
	int err;

	liommu_mock_unit_init(&liommu_mock_units[0], "mock0",
			      &liommu_mock_ops_user, 0, 4);
	liommu_mock_units[0].iommu.max_pasid_bits = LIOMMU_MOCK_PASID_BITS;
	liommu_mock_unit_init(&liommu_mock_units[1], "mock1",
			      &liommu_mock_ops_plain, 4, 1);
	liommu_mock_unit_init(&liommu_mock_units[2], "mock2",
			      &liommu_mock_ops_pci, 0, 0);
	for (i = 0; i < LIOMMU_MOCK_NR_DEVS; i++) {
		struct platform_device *pdev;

		spin_lock_init(&liommu_mock_devs[i].lock);
		xa_init(&liommu_mock_devs[i].pasid_domain);
		liommu_mock_devs[i].unit = &liommu_mock_units[i < 4 ? 0 : 1].iommu;
		pdev = platform_device_register_simple("liommu-mock-dev", i,
						       NULL, 0);
		if (IS_ERR(pdev)) {
			err = PTR_ERR(pdev);
			goto err_remove_devs;
		}
		liommu_mock_devs[i].pdev = pdev;
	}
	for (u = 0; u < ARRAY_SIZE(liommu_mock_units); u++) {
		liommu_mock_units[u].registered = true;
		err = liommu_device_register(&liommu_mock_units[u].iommu);
		if (err) {
			liommu_mock_units[u].registered = false;
			goto err_remove_units;
		}
	}
	pr_info("liommu-mock: %u devices on 3 units\n", LIOMMU_MOCK_NR_DEVS);
	return 0;

err_remove_units:
	while (u--)
		liommu_mock_unit_remove(&liommu_mock_units[u]);
err_remove_devs:
	liommu_mock_devs_remove();
	return err;
}

static void __exit liommu_mock_exit(void)
{
	unsigned int u = ARRAY_SIZE(liommu_mock_units);

	while (u--)
		liommu_mock_unit_remove(&liommu_mock_units[u]);
	liommu_mock_devs_remove();
	if (liommu_mock_live_domains())
		pr_err("liommu-mock: %ld domains leaked\n",
		       liommu_mock_live_domains());
}

module_init(liommu_mock_init);
module_exit(liommu_mock_exit);
MODULE_DESCRIPTION("liommu: software mock IOMMU (test only)");
MODULE_LICENSE("GPL");
LIOMMU_IMPORT_NS();
