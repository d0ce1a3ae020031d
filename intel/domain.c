// SPDX-License-Identifier: GPL-2.0
/*
 * liommu_intel.ko as a vendor driver of the liommu core: units, devices
 * and domains.
 *
 * Each enabled unit registers a &struct liommu_device.  It claims the PCI
 * devices of its DMAR scope; their default is the identity domain, i.e.
 * the pass-through entries the bring-up wrote (context.c).  A paging
 * domain is a second-stage table of the core's walker (format
 * &liommu_pt_format_vtdss, wrapped with a clflush @sync when ECAP.C is 0)
 * and a domain id.  Attaching a device rewrites the one entry that says
 * how it translates: the context entry in legacy mode, the PASID entry of
 * RID_PASID 0 in scalable mode.
 *
 * A scalable-mode unit without a second-stage walker (ECAP.SLTS 0) but
 * with ECAP.FLTS gets first-stage paging domains instead: an x86 4-level
 * table (&liommu_pt_format_x86fl, same @sync), PGTT 001b in the PASID
 * entry, and PASID-based IOTLB invalidation (type 6) of PASID 0, since
 * first-stage translations are tagged with domain id and PASID.
 *
 * A present entry is never edited: it is made not present, the caches
 * that may hold it are invalidated, the new entry is written whole and
 * the caches invalidated again.
 *
 * Locking: @entry_lock of the unit serialises entry changes (attach,
 * release); the domain's map_lock (the core's) serialises its
 * invalidations, its table follows the walker's rules (core/map.c);
 * @did_lock guards the domain-id bitmap.  Invalidation submissions take
 * the queue's own spinlock (qi.c).  Order: core locks, then @entry_lock,
 * then the queue lock.
 */
#define pr_fmt(fmt) "liommu-vtd: " fmt

#include <linux/bitmap.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include <liommu/compat.h>
#include "qi.h"
#include "regs.h"
#include "tables.h"
#include "vtd.h"

/**
 * struct vtd_domain - a paging domain
 * @dom: the core's domain
 * @unit: the unit whose domain id it holds
 * @pt: its page table
 * @did: its domain id
 * @aw: the AW value of its table depth
 * @first_stage: @pt is a first-stage (x86) table, entries PGTT 001b
 * @nr_devs: devices whose entries point at it (@unit's entry_lock)
 * @pasids: PASID -> how many devices have it attached with that PASID
 *	(an xa_mk_value count; @unit's entry_lock, read under RCU by the
 *	invalidations of first-stage domains, which are tagged by PASID)
 * @stats: invalidations issued (the core's map_lock, or @entry_lock)
 * @shared_root: an SVA domain's table, a process's own (sva.c): @pt is
 *	unused and @shared_root is the physical address of its top level;
 *	0 for a paging domain
 */
struct vtd_domain {
	struct liommu_domain dom;
	struct liommu_vtd_unit *unit;
	struct liommu_pt pt;
	u16 did;
	u8 aw;
	bool first_stage;
	unsigned int nr_devs;
	struct xarray pasids;
	struct liommu_vtd_inv_stats stats;
	phys_addr_t shared_root;
};

/**
 * struct vtd_dev - what the driver keeps of a device it translates
 * @unit: the unit
 * @bus: requester id, bus
 * @devfn: requester id, device and function
 * @domain: the domain its entry points at now (@unit's entry_lock)
 * @pasid_domains: PASID -> the domain its PASID entry points at, for
 *	PASIDs other than RID_PASID (@unit's entry_lock)
 */
struct vtd_dev {
	struct liommu_vtd_unit *unit;
	u8 bus;
	u8 devfn;
	struct liommu_domain *domain;
	struct xarray pasid_domains;
};

static struct liommu_vtd_dmar *vtd_dmar;

static const struct liommu_domain_ops vtd_paging_ops;
static const struct liommu_domain_ops vtd_shared_ops;

/* A domain of this driver with a table: paging, or sharing a process's. */
static bool is_vtd_domain(const struct liommu_domain *domain)
{
	return domain && (domain->ops == &vtd_paging_ops ||
			  domain->ops == &vtd_shared_ops);
}

static struct vtd_domain *to_vtd(struct liommu_domain *domain)
{
	return container_of(domain, struct vtd_domain, dom);
}

/* Descriptors are four CPU-order words, as liommu_vtd_qi_submit_words(). */
static u64 qi_type(unsigned int type)
{
	return FIELD_PREP(LIOMMU_VTD_QI_0_TYPE_LO, type & 0xf) |
	       FIELD_PREP(LIOMMU_VTD_QI_0_TYPE_HI, type >> 4);
}

static void desc_iotlb_domain(u64 *d, u16 did)
{
	d[0] = qi_type(LIOMMU_VTD_QI_TYPE_IOTLB) |
	       FIELD_PREP(LIOMMU_VTD_QI_IOTLB_0_G, LIOMMU_VTD_QI_IOTLB_G_DOMAIN) |
	       LIOMMU_VTD_QI_IOTLB_0_DR | LIOMMU_VTD_QI_IOTLB_0_DW |
	       FIELD_PREP(LIOMMU_VTD_QI_IOTLB_0_DID, did);
	d[1] = 0;
}

/* PASID-based IOTLB, all of @pasid's translations tagged @did. */
static void desc_piotlb_pasid(u64 *d, u16 did, u32 pasid)
{
	d[0] = qi_type(LIOMMU_VTD_QI_TYPE_PIOTLB) |
	       FIELD_PREP(LIOMMU_VTD_QI_PIOTLB_0_G,
			  LIOMMU_VTD_QI_PIOTLB_G_PASID) |
	       FIELD_PREP(LIOMMU_VTD_QI_PIOTLB_0_DID, did) |
	       FIELD_PREP(LIOMMU_VTD_QI_PIOTLB_0_PASID, pasid);
	d[1] = 0;
}

static void desc_cc_device(u64 *d, struct vtd_dev *vd, u16 did)
{
	d[0] = qi_type(LIOMMU_VTD_QI_TYPE_CC) |
	       FIELD_PREP(LIOMMU_VTD_QI_CC_0_G, LIOMMU_VTD_QI_CC_G_DEVICE) |
	       FIELD_PREP(LIOMMU_VTD_QI_CC_0_DID, did) |
	       FIELD_PREP(LIOMMU_VTD_QI_CC_0_SID,
			  PCI_DEVID(vd->bus, vd->devfn));
	d[1] = 0;
}

/*
 * After the entry of @vd's @pasid (RID_PASID 0: the device's own entry)
 * changed from or to one tagged @did: drop what the unit may cache of the
 * entry, then the translations tagged @did (for a PASID entry of type
 * @pgtt first-stage or pass-through, also by PASID-based IOTLB
 * invalidation of @pasid, which is what covers those).  In scalable mode
 * that is the PASID cache, and the device's context-cache too: QEMU 10.0
 * ignores PASID-cache invalidation and only re-reads whether a device is
 * in pass-through on a context-cache invalidation
 * (Documentation/emulator-limits.rst); on hardware the extra descriptor
 * is harmless.
 */
static int vtd_flush_entry(struct vtd_dev *vd, u32 pasid, u16 did,
			   unsigned int pgtt)
{
	struct liommu_vtd_unit *unit = vd->unit;
	u64 d[4][LIOMMU_VTD_QI_MAX_WORDS] = {};
	unsigned int n = 0;

	if (unit->scalable_on) {
		d[n++][0] = qi_type(LIOMMU_VTD_QI_TYPE_PC) |
			    FIELD_PREP(LIOMMU_VTD_QI_PC_0_G,
				       LIOMMU_VTD_QI_PC_G_PASID) |
			    FIELD_PREP(LIOMMU_VTD_QI_PC_0_DID, did) |
			    FIELD_PREP(LIOMMU_VTD_QI_PC_0_PASID, pasid);
	}
	desc_cc_device(d[n++], vd, did);
	desc_iotlb_domain(d[n++], did);
	if (unit->scalable_on && (pgtt == LIOMMU_VTD_PGTT_FIRST_STAGE ||
				  pgtt == LIOMMU_VTD_PGTT_PASS_THROUGH))
		desc_piotlb_pasid(d[n++], did, pasid);
	return liommu_vtd_qi_submit_words(unit, &d[0][0], n);
}

static u16 entry_did(const struct liommu_vtd_unit *unit, const __le64 *e)
{
	u64 w1 = le64_to_cpu(READ_ONCE(e[1]));

	return unit->scalable_on ? FIELD_GET(LIOMMU_VTD_PASID_1_DID, w1) :
				   FIELD_GET(LIOMMU_VTD_CTX_1_DID, w1);
}

/* The PGTT of a scalable-mode entry; 0 in legacy mode. */
static unsigned int entry_pgtt(const struct liommu_vtd_unit *unit,
			       const __le64 *e)
{
	if (!unit->scalable_on)
		return 0;
	return FIELD_GET(LIOMMU_VTD_PASID_0_PGTT, le64_to_cpu(READ_ONCE(e[0])));
}

/*
 * Make @live, the entry of @vd's @pasid, @target (NULL: not present),
 * tagged @did.  A present entry is cleared and its caches invalidated
 * before the new one goes in.
 */
static int __vtd_set_entry(struct vtd_dev *vd, __le64 *live,
			   unsigned int words, u32 pasid,
			   const __le64 *target, u16 did)
{
	struct liommu_vtd_unit *unit = vd->unit;
	unsigned int i, pgtt;
	bool same = true;
	int err;

	lockdep_assert_held(&unit->entry_lock);
	if (le64_to_cpu(READ_ONCE(live[0])) & BIT_ULL(0)) {
		for (i = 0; target && i < words; i++)
			same &= READ_ONCE(live[i]) == target[i];
		if (target && same)
			return 0;
		err = 0;
		i = entry_did(unit, live);
		pgtt = entry_pgtt(unit, live);
		liommu_vtd_entry_clear(unit, live, words);
		err = vtd_flush_entry(vd, pasid, i, pgtt);
		if (err)
			return err;
	}
	if (!target)
		return 0;
	err = liommu_vtd_entry_write(unit, live, target, words);
	if (err)
		return err;
	return vtd_flush_entry(vd, pasid, did, entry_pgtt(unit, target));
}

/* The same for the device's own entry (legacy context, or RID_PASID 0). */
static int vtd_set_entry(struct vtd_dev *vd, const __le64 *target, u16 did)
{
	unsigned int words;
	__le64 *live;

	live = liommu_vtd_dev_entry(vd->unit, vd->bus, vd->devfn, &words);
	if (!live)
		return -ENOENT;
	return __vtd_set_entry(vd, live, words, 0, target, did);
}

static void vtd_build_paging(struct vtd_domain *d, __le64 *t)
{
	phys_addr_t root = d->shared_root ?: virt_to_phys(d->pt.root);

	if (!d->unit->scalable_on) {
		t[0] = cpu_to_le64(LIOMMU_VTD_CTX_0_P |
				   FIELD_PREP(LIOMMU_VTD_CTX_0_TT,
					      LIOMMU_VTD_CTX_TT_UNTRANSLATED) |
				   (root & LIOMMU_VTD_CTX_0_SSPTPTR));
		t[1] = cpu_to_le64(FIELD_PREP(LIOMMU_VTD_CTX_1_AW, d->aw) |
				   FIELD_PREP(LIOMMU_VTD_CTX_1_DID, d->did));
		return;
	}
	memset(t, 0, LIOMMU_VTD_PASID_WORDS * sizeof(*t));
	if (d->first_stage) {
		/*
		 * AW is a second-stage field, but QEMU 10.0 derives the
		 * canonical-address width of a first-stage walk from it
		 * too: 2 (48 bits), what 4-level paging translates.
		 * SRE 0: the device's requests are user requests.
		 */
		t[0] = cpu_to_le64(LIOMMU_VTD_PASID_0_P |
				   FIELD_PREP(LIOMMU_VTD_PASID_0_AW, d->aw) |
				   FIELD_PREP(LIOMMU_VTD_PASID_0_PGTT,
					      LIOMMU_VTD_PGTT_FIRST_STAGE));
		t[1] = cpu_to_le64(FIELD_PREP(LIOMMU_VTD_PASID_1_DID, d->did));
		t[2] = cpu_to_le64(FIELD_PREP(LIOMMU_VTD_PASID_2_FSPM,
					      LIOMMU_VTD_FSPM_4LEVEL) |
				   (root & LIOMMU_VTD_PASID_2_FSPTPTR));
		return;
	}
	t[0] = cpu_to_le64(LIOMMU_VTD_PASID_0_P |
			   FIELD_PREP(LIOMMU_VTD_PASID_0_AW, d->aw) |
			   FIELD_PREP(LIOMMU_VTD_PASID_0_PGTT,
				      LIOMMU_VTD_PGTT_SECOND_STAGE) |
			   (root & LIOMMU_VTD_PASID_0_SSPTPTR));
	t[1] = cpu_to_le64(FIELD_PREP(LIOMMU_VTD_PASID_1_DID, d->did));
}

static struct vtd_dev *vtd_dev_of(struct device *dev)
{
	return liommu_dev_get_priv(dev);
}

/*
 * The entry that makes a requester (or one of its PASIDs) use @domain,
 * in @target, and its domain id; *@t is @target, or NULL for the blocked
 * domain (not present).  -EINVAL for a domain of another unit.
 */
static int vtd_build_target(struct liommu_vtd_unit *unit,
			    struct liommu_domain *domain, __le64 *target,
			    const __le64 **t, u16 *did)
{
	*t = target;
	if (domain == &unit->identity) {
		*did = unit->identity_did;
		if (unit->scalable_on)
			liommu_vtd_pasid_identity(unit, target);
		else
			liommu_vtd_ctx_identity(unit, target);
	} else if (domain == &unit->blocked) {
		*did = 0;
		*t = NULL;
	} else if (is_vtd_domain(domain) && to_vtd(domain)->unit == unit) {
		*did = to_vtd(domain)->did;
		vtd_build_paging(to_vtd(domain), target);
	} else {
		return -EINVAL;
	}
	return 0;
}

/* Point @dev's entry at @domain; track which paging domain holds it. */
static int vtd_attach(struct liommu_domain *domain, struct device *dev)
{
	__le64 target[LIOMMU_VTD_PASID_WORDS];
	struct vtd_dev *vd = vtd_dev_of(dev);
	struct liommu_vtd_unit *unit;
	const __le64 *t;
	u16 did;
	int err;

	if (!vd)
		return -ENODEV;
	unit = vd->unit;
	err = vtd_build_target(unit, domain, target, &t, &did);
	if (err)
		return err;

	mutex_lock(&unit->entry_lock);
	err = vtd_set_entry(vd, t, did);
	if (!err && vd->domain != domain) {
		if (is_vtd_domain(vd->domain))
			to_vtd(vd->domain)->nr_devs--;
		if (is_vtd_domain(domain))
			to_vtd(domain)->nr_devs++;
		vd->domain = domain;
	}
	mutex_unlock(&unit->entry_lock);
	return err;
}

/* Count @domain (a paging one) as attached to @pasid once more (@delta 1) or less. */
static int vtd_pasid_ref(struct liommu_domain *domain, u32 pasid, int delta)
{
	struct vtd_domain *d;
	unsigned long n;
	void *old;

	if (!is_vtd_domain(domain))
		return 0;
	d = to_vtd(domain);
	old = xa_load(&d->pasids, pasid);
	n = (old ? xa_to_value(old) : 0) + delta;
	if (!n) {
		xa_erase(&d->pasids, pasid);
		return 0;
	}
	if (delta > 0 && !old && liommu_fail_point("vtd:pasid-count"))
		return -ENOMEM;
	return xa_err(xa_store(&d->pasids, pasid, xa_mk_value(n), GFP_KERNEL));
}

/*
 * Point the entry of @dev's @pasid at @domain (the blocked domain: make
 * it not present).  The first PASID past the identity default's PASID
 * directory grows it (pasid.c).  Only scalable mode has PASID entries.
 */
static int vtd_set_dev_pasid(struct liommu_domain *domain, struct device *dev,
			     u32 pasid)
{
	__le64 target[LIOMMU_VTD_PASID_WORDS];
	struct vtd_dev *vd = vtd_dev_of(dev);
	struct liommu_domain *old;
	struct liommu_vtd_unit *unit;
	const __le64 *t;
	__le64 *live;
	u16 did;
	int err;

	if (!vd)
		return -ENODEV;
	unit = vd->unit;
	if (!unit->scalable_on)
		return -EOPNOTSUPP;
	if (!pasid)
		return -EINVAL;
	err = vtd_build_target(unit, domain, target, &t, &did);
	if (err)
		return err;

	mutex_lock(&unit->entry_lock);
	old = xa_load(&vd->pasid_domains, pasid);
	live = liommu_vtd_pasid_entry(unit, vd->bus, vd->devfn, pasid, t);
	if (IS_ERR(live)) {
		/* Blocking a PASID that never had an entry: nothing to do. */
		err = !t && PTR_ERR(live) == -ENOENT ? 0 : PTR_ERR(live);
		goto out_unlock;
	}
	/* Take the new reference first: undoing a failed store is simple. */
	err = vtd_pasid_ref(t ? domain : NULL, pasid, 1);
	if (err)
		goto out_unlock;
	if (t)
		err = liommu_fail_point("vtd:pasid-domain") ? -ENOMEM :
		      xa_err(xa_store(&vd->pasid_domains, pasid, domain,
				      GFP_KERNEL));
	if (!err)
		err = __vtd_set_entry(vd, live, LIOMMU_VTD_PASID_WORDS, pasid,
				      t, did);
	if (err) {
		vtd_pasid_ref(t ? domain : NULL, pasid, -1);
		if (old)
			xa_store(&vd->pasid_domains, pasid, old, GFP_KERNEL);
		else
			xa_erase(&vd->pasid_domains, pasid);
		goto out_unlock;
	}
	if (!t)
		xa_erase(&vd->pasid_domains, pasid);
	vtd_pasid_ref(old, pasid, -1);
out_unlock:
	mutex_unlock(&unit->entry_lock);
	return err;
}

static const struct liommu_domain_ops vtd_static_ops = {
	.attach_dev = vtd_attach,
	.set_dev_pasid = vtd_set_dev_pasid,
};

/*
 * Submit @n IOTLB descriptors plus a wait, and remember them.  Inline,
 * and a copy of constant size per descriptor: under TCG the call and a
 * memcpy() of variable length (rep movsq) showed in every 4 KiB unmap.
 */
static __always_inline void vtd_iotlb_submit(struct vtd_domain *d,
					     u64 (*desc)[4], unsigned int n)
{
	int err = liommu_vtd_qi_submit_words(d->unit, &desc[0][0], n);
	unsigned int i;

	d->stats.submissions++;
	d->stats.last_n = n;
	for (i = 0; i < min_t(unsigned int, n, ARRAY_SIZE(d->stats.last)); i++)
		memcpy(d->stats.last[i], desc[i], sizeof(desc[i]));
	if (err)
		pr_err_ratelimited("domain %u: IOTLB invalidation failed: %d\n",
				   d->did, err);
}

/*
 * First stage: PASID-based IOTLB invalidation of @pasid, 2^@am pages from
 * page @first, or all of the PASID when @am is too large.
 */
static void desc_piotlb_range(u64 *desc, const struct vtd_domain *d,
			      u32 pasid, unsigned long first, unsigned int am)
{
	const struct liommu_vtd_caps *c = &d->unit->caps;

	if (am > c->max_addr_mask) {
		desc_piotlb_pasid(desc, d->did, pasid);
		return;
	}
	desc[0] = qi_type(LIOMMU_VTD_QI_TYPE_PIOTLB) |
		  FIELD_PREP(LIOMMU_VTD_QI_PIOTLB_0_G,
			     LIOMMU_VTD_QI_PIOTLB_G_PAGE) |
		  FIELD_PREP(LIOMMU_VTD_QI_PIOTLB_0_DID, d->did) |
		  FIELD_PREP(LIOMMU_VTD_QI_PIOTLB_0_PASID, pasid);
	desc[1] = (((u64)(first >> am) << (am + 12)) &
		   LIOMMU_VTD_QI_PIOTLB_1_ADDR) |
		  FIELD_PREP(LIOMMU_VTD_QI_PIOTLB_1_AM, am);
}

/* Descriptors per queue submission (liommu_vtd_qi_submit_words()). */
#define QI_BATCH	8

/*
 * First-stage translations are tagged with domain id and PASID: one
 * PASID-based invalidation of 2^@am pages from @first (all of the PASID
 * when @am is too large) for every PASID the domain is attached under,
 * RID_PASID 0 included while a device uses it as its own domain.
 */
static void vtd_fl_flush(struct vtd_domain *d, unsigned long first,
			 unsigned int am)
{
	/*
	 * Each row is zeroed as it is used: no 256-byte clear per unmap.
	 * __uninitialized: Debian's kernels build with
	 * CONFIG_INIT_STACK_ALL_ZERO, which otherwise clears the whole array
	 * at entry (a rep stosq of 32 words, slow under TCG).
	 */
	u64 desc[QI_BATCH][LIOMMU_VTD_QI_MAX_WORDS] __uninitialized;
	unsigned long pasid;
	unsigned int n = 0;
	void *entry;

	if (READ_ONCE(d->nr_devs)) {
		memset(desc[n], 0, sizeof(desc[n]));
		desc_piotlb_range(desc[n++], d, 0, first, am);
	}
	/* No PASID attached (the common case): no walk of the xarray. */
	if (!xa_empty(&d->pasids)) {
		xa_for_each(&d->pasids, pasid, entry) {
			if (n == QI_BATCH) {
				vtd_iotlb_submit(d, desc, n);
				n = 0;
			}
			memset(desc[n], 0, sizeof(desc[n]));
			desc_piotlb_range(desc[n++], d, pasid, first, am);
		}
	}
	/* Attached nowhere: nothing can cache it, still say so once. */
	if (!n) {
		memset(desc[n], 0, sizeof(desc[n]));
		desc_piotlb_range(desc[n++], d, 0, first, am);
	}
	vtd_iotlb_submit(d, desc, n);
}

/*
 * One submission for what one unmap call cleared: a page-selective
 * invalidation of the naturally aligned block covering the gathered
 * range (address mask AM), or domain-selective when the unit has no PSI
 * or the block is larger than CAP.MAMV allows (as the kernel's driver:
 * a 256 MiB unmap is one descriptor of AM 16 on QEMU).  Second-stage
 * translations are tagged by domain id in both modes, so the IOTLB
 * descriptor serves scalable mode too (PASID-based IOTLB invalidation
 * covers first-stage translations only).  A first-stage domain uses
 * that one instead (desc_piotlb_range()): QEMU's page-selective IOTLB
 * invalidation would drop all first-stage entries of the domain id.
 */
static void vtd_iotlb_sync(struct liommu_domain *domain,
			   struct liommu_iotlb_gather *gather)
{
	struct vtd_domain *d = to_vtd(domain);
	const struct liommu_vtd_caps *c = &d->unit->caps;
	u64 desc[1][LIOMMU_VTD_QI_MAX_WORDS] = {};
	unsigned long first = gather->start >> 12, last = gather->end >> 12;
	/* The fewest low bits whose removal makes first and last equal. */
	unsigned int am = fls_long(first ^ last);

	d->stats.syncs++;
	if (d->first_stage) {
		vtd_fl_flush(d, first, am);
		return;
	} else if (!c->psi ||
		   am > c->max_addr_mask) {
		desc_iotlb_domain(desc[0], d->did);
	} else {
		desc[0][0] = qi_type(LIOMMU_VTD_QI_TYPE_IOTLB) |
			     FIELD_PREP(LIOMMU_VTD_QI_IOTLB_0_G,
					LIOMMU_VTD_QI_IOTLB_G_PAGE) |
			     LIOMMU_VTD_QI_IOTLB_0_DR |
			     LIOMMU_VTD_QI_IOTLB_0_DW |
			     FIELD_PREP(LIOMMU_VTD_QI_IOTLB_0_DID, d->did);
		desc[0][1] = (((u64)(first >> am) << (am + 12)) &
			      LIOMMU_VTD_QI_IOTLB_1_ADDR) |
			     FIELD_PREP(LIOMMU_VTD_QI_IOTLB_1_AM, am);
	}
	vtd_iotlb_submit(d, desc, 1);
}

static void vtd_flush_iotlb_all(struct liommu_domain *domain)
{
	u64 desc[1][LIOMMU_VTD_QI_MAX_WORDS] = {};

	if (to_vtd(domain)->first_stage) {
		vtd_fl_flush(to_vtd(domain), 0, UINT_MAX);
		return;
	}
	desc_iotlb_domain(desc[0], to_vtd(domain)->did);
	vtd_iotlb_submit(to_vtd(domain), desc, 1);
}

static void vtd_did_free(struct liommu_vtd_unit *unit, u16 did)
{
	spin_lock(&unit->did_lock);
	clear_bit(did, unit->did_map);
	spin_unlock(&unit->did_lock);
}

static void vtd_domain_free(struct liommu_domain *domain)
{
	struct vtd_domain *d = to_vtd(domain);

	if (WARN_ON(d->nr_devs || !xa_empty(&d->pasids)))
		return;
	xa_destroy(&d->pasids);
	if (!d->shared_root)
		liommu_pt_free(&d->pt);
	vtd_did_free(d->unit, d->did);
	kfree(d);
}

/*
 * A domain on a table that is not ours (a process's, sva.c): attached
 * to PASIDs only, invalidated like a first-stage paging domain, never
 * mapped through the core.
 */
static const struct liommu_domain_ops vtd_shared_ops = {
	.set_dev_pasid = vtd_set_dev_pasid,
	.iotlb_sync = vtd_iotlb_sync,
	.flush_iotlb_all = vtd_flush_iotlb_all,
	.free = vtd_domain_free,
};

static const struct liommu_domain_ops vtd_paging_ops = {
	.attach_dev = vtd_attach,
	.set_dev_pasid = vtd_set_dev_pasid,
	.iotlb_sync = vtd_iotlb_sync,
	.flush_iotlb_all = vtd_flush_iotlb_all,
	.free = vtd_domain_free,
};

/* A domain id no one uses: not 0, not the identity default's. */
static int vtd_did_alloc(struct liommu_vtd_unit *unit)
{
	unsigned long did;

	spin_lock(&unit->did_lock);
	did = find_next_zero_bit(unit->did_map, unit->caps.nr_domain_ids, 1);
	if (did < unit->caps.nr_domain_ids)
		set_bit(did, unit->did_map);
	spin_unlock(&unit->did_lock);
	return did < unit->caps.nr_domain_ids ? (int)did : -ENOSPC;
}

static struct liommu_domain *vtd_domain_alloc_paging(struct device *dev)
{
	struct vtd_dev *vd = vtd_dev_of(dev);
	struct liommu_vtd_unit *unit;
	struct vtd_domain *d;
	unsigned int levels, width;
	bool first_stage;
	int did, err;

	if (!vd)
		return ERR_PTR(-ENODEV);
	unit = vd->unit;
	/*
	 * Second stage wherever the mode has its walker; scalable mode
	 * without ECAP.SLTS uses first stage if ECAP.FLTS offers it.
	 */
	first_stage = unit->scalable_on && !unit->caps.second_stage;
	if (first_stage && !unit->caps.first_stage)
		return ERR_PTR(-EOPNOTSUPP);
	if (liommu_fail_point("vtd:domain"))
		return ERR_PTR(-ENOMEM);
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return ERR_PTR(-ENOMEM);
	did = liommu_fail_point("vtd:did") ? -ENOMEM : vtd_did_alloc(unit);
	if (did < 0) {
		err = did;
		goto err_free;
	}
	/*
	 * AW n: an (n + 2)-level table, as the bring-up picked from SAGAW.
	 * First stage: 4-level paging always (the driver never sets FSPM
	 * 5-level), AW 2 to match it.
	 */
	levels = first_stage ? 4 : unit->aw + 2;
	err = liommu_pt_init(&d->pt, first_stage ? &unit->fl_pt_fmt :
			     &unit->pt_fmt, levels, GFP_KERNEL);
	if (err)
		goto err_free_did;
	liommu_vtd_flush_cpu(unit, d->pt.root, LIOMMU_VTD_TABLE_SIZE);
	d->unit = unit;
	d->did = did;
	xa_init(&d->pasids);
	d->first_stage = first_stage;
	d->aw = first_stage ? LIOMMU_VTD_AW_48 : unit->aw;
	d->stats.did = did;
	d->dom.ops = &vtd_paging_ops;
	/* The core maps through the walker; CAP.CM 0: no flush on map. */
	d->dom.pt = &d->pt;
	d->dom.pgsize_bitmap = d->pt.pgsize_bitmap &
			       (first_stage ? unit->caps.fl_pgsize_bitmap :
					      unit->caps.sl_pgsize_bitmap);
	width = min_t(unsigned int, unit->caps.mgaw,
		      liommu_pt_level_lg2(&d->pt, levels));
	/*
	 * A first-stage input address must be canonical: the lower half,
	 * bit 47 clear, is the part of it that IOVAs can use.
	 */
	if (first_stage)
		width = liommu_pt_level_lg2(&d->pt, levels) - 1;
	d->dom.geometry.aperture_start = 0;
	d->dom.geometry.aperture_end = BIT_ULL(width) - 1;
	/* Output addresses: the host address width, also in the walker. */
	d->dom.oa_bits = unit->iommu.oa_bits;
	d->pt.oa_lg2 = min(d->pt.oa_lg2, unit->iommu.oa_bits);
	return &d->dom;

err_free_did:
	vtd_did_free(unit, did);
err_free:
	kfree(d);
	return ERR_PTR(err);
}

/**
 * liommu_vtd_domain_alloc_shared() - a first-stage domain on a given table
 * @dev: a device of the unit
 * @root: physical address of a 4-level x86 page table's top level, which
 *	the caller keeps alive while the domain is attached
 *
 * The entry it makes is the first-stage entry of paging domains (PGTT
 * first stage, FSPM 4-level, AW 2, SRE 0: requests are user requests;
 * WPE 0) with a domain id of its own.
 *
 * Return: the domain; ERR_PTR(-EOPNOTSUPP) on a unit without first-stage
 * translation in scalable mode; -ENODEV, -ENOSPC (no domain id), -ENOMEM.
 */
struct liommu_domain *liommu_vtd_domain_alloc_shared(struct device *dev,
						     phys_addr_t root)
{
	struct vtd_dev *vd = vtd_dev_of(dev);
	struct vtd_domain *d;
	int did;

	if (!vd)
		return ERR_PTR(-ENODEV);
	if (!vd->unit->scalable_on || !vd->unit->caps.first_stage)
		return ERR_PTR(-EOPNOTSUPP);
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return ERR_PTR(-ENOMEM);
	did = vtd_did_alloc(vd->unit);
	if (did < 0) {
		kfree(d);
		return ERR_PTR(did);
	}
	d->unit = vd->unit;
	d->did = did;
	xa_init(&d->pasids);
	d->first_stage = true;
	d->aw = LIOMMU_VTD_AW_48;
	d->stats.did = did;
	d->shared_root = root;
	d->dom.ops = &vtd_shared_ops;
	d->dom.geometry.aperture_start = 0;
	d->dom.geometry.aperture_end = BIT_ULL(47) - 1;
	return &d->dom;
}

static struct liommu_device *vtd_probe_device(struct device *dev)
{
	struct liommu_vtd_unit *unit = NULL;
	struct pci_dev *pdev;
	struct vtd_dev *vd;
	unsigned int i;

	if (!dev_is_pci(dev) || !vtd_dmar)
		return ERR_PTR(-ENODEV);
	pdev = to_pci_dev(dev);
	/* A host bridge masters no DMA: it stays in pass-through. */
	if ((pdev->class >> 8) == PCI_CLASS_BRIDGE_HOST)
		return ERR_PTR(-ENODEV);
	for (i = 0; i < vtd_dmar->nr_units && !unit; i++)
		if (vtd_dmar->units[i].registered &&
		    liommu_vtd_unit_serves(vtd_dmar, &vtd_dmar->units[i], pdev))
			unit = &vtd_dmar->units[i];
	if (!unit)
		return ERR_PTR(-ENODEV);
	vd = kzalloc(sizeof(*vd), GFP_KERNEL);
	if (!vd)
		return ERR_PTR(-ENOMEM);
	vd->unit = unit;
	vd->bus = pdev->bus->number;
	vd->devfn = pdev->devfn;
	vd->domain = &unit->identity;
	xa_init(&vd->pasid_domains);
	if (liommu_vtd_fault_dev_add(unit, pci_dev_id(pdev), dev))
		dev_warn(dev, "liommu-vtd: its faults reach only the unit's log\n");
	liommu_dev_set_priv(dev, vd);
	return &unit->iommu;
}

/*
 * A released device goes back to pass-through.  The core attached it to
 * its group's default domain (identity) before calling this, through
 * vtd_attach(), so the group's record, @vd->domain and the entry already
 * agree and nothing is rewritten here.  Only if that attach failed is the
 * entry rewritten, again through vtd_attach(), which keeps @vd->domain
 * and the domains' device counts in step with the entry.
 */
static void vtd_release_device(struct device *dev)
{
	struct vtd_dev *vd = vtd_dev_of(dev);

	if (!vd)
		return;
	liommu_vtd_fault_dev_del(vd->unit, PCI_DEVID(vd->bus, vd->devfn));
	if (vd->domain != &vd->unit->identity &&
	    vtd_attach(&vd->unit->identity, dev))
		dev_err(dev, "liommu-vtd: cannot restore pass-through\n");
	/* The core detached every PASID before releasing the device. */
	WARN_ON(!xa_empty(&vd->pasid_domains));
	xa_destroy(&vd->pasid_domains);
	liommu_dev_set_priv(dev, NULL);
	kfree(vd);
}

/* Features: SVA needs first-stage translation (sva.c); the rest is core's. */
static int vtd_dev_enable_feat(struct device *dev, enum liommu_dev_feature f)
{
	struct vtd_dev *vd = vtd_dev_of(dev);

	if (!vd)
		return -ENODEV;
	if (f == LIOMMU_DEV_FEAT_SVA && !liommu_vtd_sva_supported(vd->unit))
		return -EOPNOTSUPP;
	return 0;
}

static int vtd_page_response(struct device *dev,
			     const struct liommu_fault *fault, int code)
{
	struct vtd_dev *vd = vtd_dev_of(dev);

	if (!vd)
		return -ENODEV;
	return liommu_vtd_page_response(vd->unit, PCI_DEVID(vd->bus, vd->devfn),
					fault, code);
}

/* GET_HW_INFO: the unit's CAP and ECAP as read at load. */
static void *vtd_hw_info(struct device *dev, u32 *length, u32 *type)
{
	struct vtd_dev *vd = vtd_dev_of(dev);
	struct liommu_hw_info_vtd *info;

	if (!vd)
		return ERR_PTR(-ENODEV);
	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return ERR_PTR(-ENOMEM);
	info->cap_reg = vd->unit->cap;
	info->ecap_reg = vd->unit->ecap;
	*length = sizeof(*info);
	*type = LIOMMU_HW_INFO_TYPE_INTEL_VTD;
	return info;
}

static struct liommu_group *vtd_device_group(struct device *dev)
{
	return liommu_pci_device_group(dev);
}

static const struct liommu_ops vtd_ops = {
	.owner = THIS_MODULE,
	.probe_device = vtd_probe_device,
	.release_device = vtd_release_device,
	.device_group = vtd_device_group,
	.domain_alloc_paging = vtd_domain_alloc_paging,
	.domain_alloc_sva = liommu_vtd_domain_alloc_sva,
	.hw_info = vtd_hw_info,
	.page_response = vtd_page_response,
	.dev_enable_feat = vtd_dev_enable_feat,
	.pgsize_bitmap = SZ_4K | SZ_2M | SZ_1G,
};

/**
 * liommu_vtd_iommu_register() - offer an enabled unit to the liommu core
 * @dmar: every unit (scope decisions need them all)
 * @unit: a unit liommu_vtd_unit_enable() took
 *
 * Return: 0; -ENOMEM; what liommu_device_register() returns.
 */
int liommu_vtd_iommu_register(struct liommu_vtd_dmar *dmar,
			      struct liommu_vtd_unit *unit)
{
	int err;

	spin_lock_init(&unit->did_lock);
	liommu_vtd_fault_init(unit);
	unit->did_map = bitmap_zalloc(unit->caps.nr_domain_ids, GFP_KERNEL);
	if (!unit->did_map)
		return -ENOMEM;
	set_bit(0, unit->did_map);
	set_bit(unit->identity_did, unit->did_map);

	unit->pt_fmt = liommu_pt_format_vtdss;
	unit->pt_fmt.sync = unit->ecap & LIOMMU_VTD_ECAP_C ? NULL :
			    liommu_pt_sync_clflush;
	unit->fl_pt_fmt = liommu_pt_format_x86fl;
	unit->fl_pt_fmt.sync = unit->pt_fmt.sync;
	unit->identity.ops = &vtd_static_ops;
	unit->blocked.ops = &vtd_static_ops;
	snprintf(unit->name, sizeof(unit->name), "vtd%u", unit->index);
	unit->iommu.ops = &vtd_ops;
	unit->iommu.name = unit->name;
	unit->iommu.identity_domain = &unit->identity;
	unit->iommu.blocked_domain = &unit->blocked;
	/*
	 * The aperture of its paging domains: MGAW for second stage; the
	 * canonical lower half of 4-level paging (47 bits) for first stage,
	 * what vtd_domain_alloc_paging() gives a scalable unit without
	 * second-stage translation.
	 */
	unit->iommu.geometry.aperture_start = 0;
	if (unit->scalable_on && !unit->caps.second_stage)
		unit->iommu.geometry.aperture_end = BIT_ULL(47) - 1;
	else
		unit->iommu.geometry.aperture_end = BIT_ULL(unit->caps.mgaw) - 1;
	/* DMAR's HAW: the widest physical address the unit can output. */
	unit->iommu.oa_bits = dmar->haw;
	/* PASIDs besides RID_PASID need scalable mode and ECAP.PASID. */
	unit->iommu.max_pasid_bits = unit->scalable_on ? unit->caps.pasid_bits : 0;

	unit->registered = true;
	err = liommu_device_register(&unit->iommu);
	if (err) {
		unit->registered = false;
		bitmap_free(unit->did_map);
		unit->did_map = NULL;
		return err;
	}
	liommu_vtd_fault_start(unit);
	return 0;
}

/**
 * liommu_vtd_iommu_unregister() - take a unit away from the core
 * @unit: a unit; nothing happens if it is not registered
 *
 * Every device it claimed is released and returns to pass-through.
 */
void liommu_vtd_iommu_unregister(struct liommu_vtd_unit *unit)
{
	if (!unit->registered)
		return;
	liommu_vtd_fault_stop(unit);
	liommu_device_unregister(&unit->iommu);
	unit->registered = false;
	bitmap_free(unit->did_map);
	unit->did_map = NULL;
}

/**
 * liommu_vtd_domain_inv_stats() - the invalidations a paging domain issued
 * @domain: a paging domain of liommu_intel.ko
 * @stats: filled on success
 *
 * For tests: the count of iotlb_sync calls and queue submissions, and the
 * descriptors of the last submission, so that a missing or widened flush
 * is seen even where the emulator would hide it.
 *
 * Context: any; takes the domain's sync_lock.
 * Return: 0; -EINVAL for a NULL or foreign domain or NULL @stats.
 */
int liommu_vtd_domain_inv_stats(struct liommu_domain *domain,
				struct liommu_vtd_inv_stats *stats)
{
	unsigned long flags;

	if (!is_vtd_domain(domain) || !stats)
		return -EINVAL;
	spin_lock_irqsave(&domain->sync_lock, flags);
	*stats = to_vtd(domain)->stats;
	spin_unlock_irqrestore(&domain->sync_lock, flags);
	return 0;
}
LIOMMU_EXPORT(liommu_vtd_domain_inv_stats);

/**
 * liommu_vtd_domain_root() - what an entry pointing at a domain must hold
 * @domain: a paging domain of liommu_intel.ko
 * @root_pa: physical address of its top-level table
 * @did: its domain id
 * @aw: the AW value of its table depth (a first-stage domain's is 2, its
 *	4 levels)
 *
 * The table is second-stage (&liommu_pt_format_vtdss) or, on a scalable
 * unit without second stage, first-stage (&liommu_pt_format_x86fl).
 *
 * Context: any.
 * Return: 0; -EINVAL for a NULL or foreign domain or NULL outputs.
 */
int liommu_vtd_domain_root(struct liommu_domain *domain, u64 *root_pa,
			   u16 *did, u8 *aw)
{
	if (!is_vtd_domain(domain) || !root_pa || !did ||
	    !aw)
		return -EINVAL;
	*root_pa = to_vtd(domain)->shared_root ?:
		   virt_to_phys(to_vtd(domain)->pt.root);
	*did = to_vtd(domain)->did;
	*aw = to_vtd(domain)->aw;
	return 0;
}
LIOMMU_EXPORT(liommu_vtd_domain_root);

/**
 * liommu_vtd_domains_publish() - the units vtd_probe_device() looks in
 * @dmar: every unit, before the first registers; NULL after the last
 *	  unregistered
 */
void liommu_vtd_domains_publish(struct liommu_vtd_dmar *dmar)
{
	vtd_dmar = dmar;
}
