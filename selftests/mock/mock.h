/* SPDX-License-Identifier: GPL-2.0 */
/*
 * liommu_mock.ko: a software IOMMU for testing the core on any kernel.
 *
 * Two units.  "mock0" translates mock devices 0 and 1 (each alone in an
 * immutable singleton group) and 2 and 3 (together in one shared group);
 * it has a user-domain allocator.  "mock1" translates device 4 and has
 * none, so liommu_user_domain_alloc() falls back to its paging allocator.
 * "mock2" claims the PCI devices named in its module parameter 'pci'
 * (bookkeeping only, no DMA) so that the core's PCI paths (default
 * groups, bus notifier) can run where no vendor driver does; by default
 * it claims none.  Every unit's output-address width is
 * LIOMMU_MOCK_OA_BITS.
 *
 * The functions below are test-only: exported into the LIOMMU_TEST
 * symbol namespace (include/liommu/compat.h), which only the self-test
 * module imports.
 * All have identity (the default) and blocked domains, and paging
 * domains with a 4-level table of the core's "mock" format (4 KiB, 2 MiB,
 * 1 GiB pages) built by the core's walker.
 *
 * liommu_mock_dma() is the devices' DMA: it walks the table itself, as
 * hardware would, copies through it and faults where nothing is mapped.
 * The unit counts invalidations and records every attach (the state
 * transitions of each device) and every map_pages call.
 */
#ifndef _LIOMMU_MOCK_H
#define _LIOMMU_MOCK_H

#include <liommu/liommu.h>

#define LIOMMU_MOCK_NR_DEVS	5
#define LIOMMU_MOCK_OA_BITS	48
#define LIOMMU_MOCK_LOG		16
#define LIOMMU_MOCK_EDU_VENDOR	0x1234
#define LIOMMU_MOCK_EDU_DEVICE	0x11e8

struct liommu_mock_run {
	size_t pgsize;
	size_t pgcount;
};

/**
 * struct liommu_mock_domain_stats - what a mock paging domain saw
 * @user_alloc: allocated by the unit's domain_alloc_user
 * @iotlb_sync: invalidations of a gather
 * @flush_all: whole-domain invalidations
 * @map_calls: map_pages calls
 * @unmap_calls: unmap_pages calls
 * @gather_start: first IOVA of the last invalidation
 * @gather_end: last IOVA of the last invalidation (inclusive)
 * @nr_runs: entries of @runs used (the last map_pages calls since reset)
 * @runs: page size and count of each map_pages call
 * @leaves: leaves now in the table: 4 KiB, 2 MiB, 1 GiB
 * @table_pages: table pages now
 */
struct liommu_mock_domain_stats {
	bool user_alloc;
	unsigned long iotlb_sync;
	unsigned long flush_all;
	unsigned long map_calls;
	unsigned long unmap_calls;
	unsigned long gather_start;
	unsigned long gather_end;
	unsigned int nr_runs;
	struct liommu_mock_run runs[LIOMMU_MOCK_LOG];
	unsigned long leaves[3];
	unsigned long table_pages;
};

/*
 * mock0's PASID width: its devices take PASIDs 1 .. 2^20 - 1, so that the
 * mock never narrows the platform's PASID space (core/ioasid.c).
 */
#define LIOMMU_MOCK_PASID_BITS	20
#define LIOMMU_MOCK_PASIDS	(1U << LIOMMU_MOCK_PASID_BITS)

struct device *liommu_mock_device(unsigned int i);
struct liommu_domain *liommu_mock_pasid_domain(struct device *dev, u32 pasid);
int liommu_mock_domain_stats(struct liommu_domain *domain,
			     struct liommu_mock_domain_stats *stats);
void liommu_mock_domain_reset(struct liommu_domain *domain);
unsigned int liommu_mock_transitions(struct device *dev,
				     struct liommu_domain **log,
				     unsigned int max);
void liommu_mock_clear_transitions(struct device *dev);
void liommu_mock_fail_attach(struct device *dev, bool fail);
int liommu_mock_dma(struct device *dev, u64 iova, void *buf, size_t len,
		    bool to_memory);
unsigned long liommu_mock_faults(struct device *dev, u64 *last_iova);
long liommu_mock_live_domains(void);

/*
 * Mock nested domains (mock0): the allocation data and the invalidation
 * entries, the mock's own formats.
 */
#define LIOMMU_MOCK_HWPT_DATA		0xdead
#define LIOMMU_MOCK_HWPT_INVALIDATE	0xdeadbeef
#define LIOMMU_MOCK_INV_ALL		BIT(0)

/**
 * struct liommu_mock_hwpt_data - what a mock nested domain is made from
 * @iotlb: the tag every "IOTLB" entry starts with
 */
struct liommu_mock_hwpt_data {
	u32 iotlb;
};

/**
 * struct liommu_mock_hwpt_inv - one mock invalidation entry
 * @flags: LIOMMU_MOCK_INV_ALL, or 0 for one entry
 * @iotlb_id: the entry, 0 to 3 (without LIOMMU_MOCK_INV_ALL)
 */
struct liommu_mock_hwpt_inv {
	u32 flags;
	u32 iotlb_id;
};

int liommu_mock_nested_iotlb(struct liommu_domain *domain, unsigned int id,
			     u32 *tag);
/**
 * struct liommu_mock_response - a page response the mock received
 * @code: &enum liommu_page_response_code
 * @grpid: the fault's page request group
 * @pasid: the fault's PASID
 * @flags: the fault's LIOMMU_FAULT_* flags
 */
struct liommu_mock_response {
	int code;
	u32 grpid;
	u32 pasid;
	u32 flags;
};

unsigned long liommu_mock_responses(struct device *dev,
				    struct liommu_mock_response *last);

#endif /* _LIOMMU_MOCK_H */
