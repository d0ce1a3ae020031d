/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The liommu self-test module: what a profile promises, and the suites.
 *
 * A profile (selftests/profiles/<name>) states what its machine offers;
 * the guest's init passes those statements as module parameters.  A value
 * the profile does not state stays LT_UNSET, and a case that needs it
 * fails saying so: a profile cannot pass by omission.
 */
#ifndef _LIOMMU_SELFTEST_H
#define _LIOMMU_SELFTEST_H

#include <liommu/compat.h>
#include "ktap.h"

#define LT_UNSET	(-1)

struct lt_expect {
	int units;
	unsigned long long base;
	int haw;
	int mgaw;
	char *sagaw;		/* table widths, "39,48" */
	int scalable;
	int first_stage;
	int second_stage;
	int pasid_bits;
	char *sl_pages;		/* "4K,2M,1G" */
	char *fl_pages;		/* "none" or "4K,2M,1G" */
	int qi;
	int pass_through;
	int fault_records;
	char *edu;		/* "00:02.0,00:03.0" */
	char *rng;		/* "00:04.0" */
	int edu_pasid_bits;	/* edu's PASID capability width, 0: none */
	/* SMMUv3 */
	int s1;			/* stage-1 translation */
	int s2;			/* stage-2 translation */
	int st_2lvl;		/* 2-level stream table */
	int cmdq_bits;		/* log2 of the largest command queue */
	int evtq_bits;		/* log2 of the largest event queue */
	int sid_bits;		/* StreamID width */
	int ssid_bits;		/* SubstreamID width, 0 for none */
	int oas;		/* output address size, bits */
	char *granules;		/* "4K,16K,64K" */
	char *smmu_version;	/* "3.1" */
	char *smmu_features;	/* every optional feature present, e.g. "cohacc,ril" */
	char *smmu_sids;	/* "00:01.0=0x8,00:02.0=0x10" */
};

extern struct lt_expect lt_expect;

/* PCI ids of the devices every profile has (edu's are in edu.h). */
#define LT_VIRTIO_VENDOR	0x1af4
#define LT_VIRTIO_RNG_MODERN	0x1044	/* 0x1040 + virtio device id 4 */

/* The profile must state @v (or string @s): otherwise fail the case. */
bool lt_stated(struct lt_ctx *t, long long v, const char *what);
bool lt_stated_str(struct lt_ctx *t, const char *s, const char *what);

struct pci_dev;
typedef void (*lt_dev_check_t)(struct lt_ctx *t, struct pci_dev *pdev,
			       void *data);
/*
 * Each device at the addresses of @list ("00:02.0,00:03.0") exists with
 * @vendor:@device and passes @check (the vendor's own test: in a unit's
 * scope, its StreamID); the list names @want devices.
 */
void lt_check_listed_devices(struct lt_ctx *t, const char *list, u16 vendor,
			     u16 device, unsigned int want,
			     lt_dev_check_t check, void *data);

/* Parse "4K,2M,1G" into a page-size bitmap; "none" is 0; -EINVAL. */
int lt_parse_sizes(const char *s, u64 *bitmap);
/* Parse the n-th "bb:dd.f" of a comma list; -ENOENT past the end. */
int lt_parse_bdf(const char *list, unsigned int n, u8 *bus, u8 *devfn);

/* The text of the vendors' debugfs files (debugfs_text.c). */
bool lt_dbg_line(const char *buf, const char *prefix, char *line, size_t len);
bool lt_dbg_str(const char *line, const char *name, char *val, size_t len);
bool lt_dbg_field(const char *line, const char *name, u64 *v);
int lt_dbg_raw(const char *line, u64 *w, unsigned int max);

extern const struct lt_suite lt_dma_edu_suite;
extern const struct lt_suite lt_debugfs_walk_suite;
extern const struct lt_suite lt_debugfs_vtd_suite;
extern const struct lt_suite lt_debugfs_smmu_suite;
#ifdef CONFIG_X86
extern const struct lt_suite lt_harness_vtd_suite;
extern const struct lt_suite lt_vtd_enable_suite;
extern const struct lt_suite lt_vtd_writer_suite;
extern const struct lt_suite lt_vtd_dma_suite;
/* The update sequence of edu's live entry during a replacement. */
extern const struct lt_suite lt_vtd_live_suite;
extern const struct lt_suite lt_pasiddev_suite;
#endif
#ifdef CONFIG_ARM64
extern const struct lt_suite lt_harness_smmu_suite;
extern const struct lt_suite lt_smmu_enable_suite;
extern const struct lt_suite lt_smmu_dma_suite;
extern const struct lt_suite lt_smmu_cd_suite;
extern const struct lt_suite lt_nested_smmu_suite;
#endif
extern const struct lt_suite lt_nested_suite;
extern const struct lt_suite lt_nested_vtd_suite;
extern const struct lt_suite lt_failnth_suite;

/* The core's suites, against the mock IOMMU; core_leak runs last. */
extern const struct lt_suite lt_core_alloc_suite;
extern const struct lt_suite lt_core_attach_suite;
extern const struct lt_suite lt_core_map_suite;
extern const struct lt_suite lt_core_fmt_suite;
extern const struct lt_suite lt_core_pt_suite;
extern const struct lt_suite lt_core_dma_suite;
extern const struct lt_suite lt_pasid_alloc_suite;
extern const struct lt_suite lt_core_leak_suite;
/* PASID attach: refusals everywhere, PASID DMA on vtd-pasid-*. */
extern const struct lt_suite lt_pasid_suite;
extern const struct lt_suite lt_aux_suite;
/* Bad input, double free, lifetimes: the mock and the profile's unit. */
extern const struct lt_suite lt_robust_suite;
/* I/O page faults: the mock's and real edu faults, every profile. */
extern const struct lt_suite lt_iopf_suite;
/* SVA: refusals everywhere, kernel-side binding on vtd-pasid-fl. */
extern const struct lt_suite lt_sva_suite;
/* Many callers at once while DMA runs: the mock and the unit. */
extern const struct lt_suite lt_stress_suite;
/* The main job told step by step (make run): edu DMA, walk, fault. */
extern const struct lt_suite lt_walkthrough_suite;

#endif /* _LIOMMU_SELFTEST_H */
