/* SPDX-License-Identifier: GPL-2.0 */
/* liommu_mock.ko: structures shared by mock.c and dma.c. */
#ifndef _LIOMMU_MOCK_PRIV_H
#define _LIOMMU_MOCK_PRIV_H

#include <linux/platform_device.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/xarray.h>

#include <liommu/driver.h>
#include <liommu/pgtable.h>
#include "../../core/pt_mock.h"
#include "mock.h"

/**
 * struct liommu_mock_domain - a mock paging domain
 * @dom: the core's part
 * @pt: its table (the core's walker, mock format)
 * @user_alloc: from domain_alloc_user
 * @iotlb_sync: invalidations (gathers)
 * @flush_all: whole-domain invalidations
 * @map_calls: map_pages calls
 * @unmap_calls: unmap_pages calls
 * @gather_start: range of the last invalidation
 * @gather_end: its last IOVA
 * @nr_runs: entries of @runs
 * @runs: the map_pages calls since the last reset
 *
 * Everything but @dom is guarded by @dom.map_lock.
 */
struct liommu_mock_domain {
	struct liommu_domain dom;
	struct liommu_pt pt;
	bool user_alloc;
	unsigned long iotlb_sync;
	unsigned long flush_all;
	unsigned long map_calls;
	unsigned long unmap_calls;
	unsigned long gather_start;
	unsigned long gather_end;
	unsigned int nr_runs;
	struct liommu_mock_run runs[LIOMMU_MOCK_LOG];
};

#define LIOMMU_MOCK_NESTED_IOTLB	4

/**
 * struct liommu_mock_nested - a mock nested domain
 * @dom: the core's part (@dom.parent: the mock paging domain under it)
 * @iotlb: tags the allocation data set and user invalidation clears
 */
struct liommu_mock_nested {
	struct liommu_domain dom;
	u32 iotlb[LIOMMU_MOCK_NESTED_IOTLB];
};

int liommu_mock_attach_dev(struct liommu_domain *domain, struct device *dev);
bool liommu_mock_is_paging(const struct liommu_domain *domain);
void liommu_mock_domain_count(int delta);
struct liommu_domain *liommu_mock_alloc_nested(struct device *dev,
					       struct liommu_domain *parent,
					       u32 flags,
					       const struct liommu_user_data *data);

/**
 * struct liommu_mock_dev - one mock device and what its hardware holds
 * @pdev: the platform device
 * @unit: the unit that translates it
 * @lock: guards every field below
 * @domain: the domain its DMA uses now (NULL: not probed, faults)
 * @log: the domains attach_dev gave it, in order
 * @nr_log: attach_dev calls recorded
 * @fail_attach: refuse attach_dev (tests of the core's unwinding)
 * @faults: faulting DMAs
 * @last_fault: IOVA of the last one
 * @responses: page responses the core sent (page_response)
 * @last_resp: the last of them: its code, group and PASID
 */
struct liommu_mock_dev {
	struct platform_device *pdev;
	struct liommu_device *unit;
	spinlock_t lock;
	struct liommu_domain *domain;
	struct liommu_domain *log[32];
	unsigned int nr_log;
	bool fail_attach;
	struct xarray pasid_domain;	/* PASID -> domain its requests walk */
	unsigned long faults;
	u64 last_fault;
	unsigned long responses;
	struct liommu_mock_response last_resp;
};

/**
 * struct liommu_mock_unit - one mock IOMMU unit
 * @iommu: the core's part
 * @identity: its static identity domain
 * @blocked: its static blocked domain
 * @first_dev: the first mock device it translates
 * @nr_devs: how many
 * @registered: registered with the core
 * @shared_group: the group of devices 2 and 3 (the unit's reference)
 */
struct liommu_mock_unit {
	struct liommu_device iommu;
	struct liommu_domain identity;
	struct liommu_domain blocked;
	unsigned int first_dev;
	unsigned int nr_devs;
	bool registered;
	struct liommu_group *shared_group;
};

extern struct liommu_mock_dev liommu_mock_devs[LIOMMU_MOCK_NR_DEVS];

#endif /* _LIOMMU_MOCK_PRIV_H */
