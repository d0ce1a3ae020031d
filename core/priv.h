/* SPDX-License-Identifier: GPL-2.0 */
/*
 * liommu_core.ko: what the core's files share.
 *
 * Locking (outermost first; never taken the other way round):
 *
 *  liommu_sva_lock (mutex, sva.c)
 *	bound address spaces and their bindings; taken before the locks
 *	below (only liommu_aux_lock, the feature calls', is outside it);
 *	an mm's release takes it, so it is never held across
 *	mmu_notifier_unregister().
 *  liommu_table_lock (mutex, device.c)
 *	the list of registered units, the table of per-device states
 *	(&struct liommu_dev) and every state's @iommu/@group/@priv; held
 *	across the vendor's probe_device/device_group/release_device and
 *	across domain allocation, so that a unit cannot go away under them;
 *	liommu_identity_domain() and liommu_blocked_domain() hold it to
 *	read a state's unit.
 *  liommu_group.mutex (group.c)
 *	the group's member list and count, its current and default domain,
 *	each member's PASID table and @live flag.  A caller holding a
 *	state's reference takes its group's mutex and checks @live before
 *	it uses the state's @iommu or its group's domains.
 *  liommu_domain.map_lock (mutex, map.c)
 *	a domain with its own ops (the mock): every map_pages/unmap_pages.
 *  liommu_domain.sync_lock (spinlock, interrupts off; map.c): a domain
 *	on the core's walker, around the vendor's invalidation; taken in
 *	any context.  Its walks take no lock (<liommu/pgtable.h>).
 *  liommu_iopf_lock (spinlock, fault.c)
 *	every unit's fault queue: pending faults, counters; taken by
 *	vendors' fault readers in any context, under their own locks.
 *  liommu_dev_hash_lock (spinlock, device.c)
 *	the hash table of states and their @live flag (written under the
 *	group mutex too); taken by lookups from anywhere (also under a group
 *	mutex or liommu_iopf_lock).
 *  liommu_domain_lock (spinlock, domain_table.c), innermost
 *	the table of live domains and every domain's @users count.
 *  liommu_pasid_set.lock (mutex, ioasid.c), then the PASID space's
 *	xa_lock (spinlock, interrupts off)
 *	one PASID consumer's changes, then the platform's PASID table;
 *	may be taken under the table lock, a group mutex or a map_lock
 *	(never under the hash spinlock) and take none of them.
 *
 * References (what pins what):
 *  - a registered unit pins nothing; its vendor module unregisters it
 *    before its own exit completes, which releases all its devices;
 *  - a per-device state is a kref: the device table holds one from probe
 *    to release, and every liommu_dev_get() caller one until
 *    liommu_dev_put(); the last put frees it.  It pins its &struct device
 *    (get_device) and holds a reference on its group until then, so a
 *    caller's reference keeps @group valid; release clears @live (under
 *    the group mutex), after which callers refuse the state (-ENODEV);
 *  - a group is a kref: each member state, every liommu_group_get()
 *    caller and the vendor (for groups it keeps) hold one; the last put
 *    frees it (its default domain is static: nothing to free);
 *  - a domain allocated through the API pins its vendor module
 *    (try_module_get) until liommu_domain_free(); a domain that is still
 *    attached (@users > 0) is never freed: liommu_domain_free() refuses
 *    it with a message; a domain that left the table of live domains
 *    (domain_table.c) is refused by every call (-EINVAL);
 *  - the core module itself is pinned by every module that links to it.
 */
#ifndef _LIOMMU_CORE_PRIV_H
#define _LIOMMU_CORE_PRIV_H

#include <linux/err.h>
#include <linux/hashtable.h>
#include <linux/indirect_call_wrapper.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/xarray.h>

#include <liommu/compat.h>
#include <liommu/driver.h>
#include <liommu/pgtable.h>

struct pci_dev;

/**
 * struct liommu_group - devices that cannot be isolated from each other
 * @kref: see the reference rules above
 * @mutex: guards everything below but @id and @immutable_singleton
 * @devices: member &struct liommu_dev, by @group_node
 * @nr_devices: how many
 * @immutable_singleton: can never gain a second member (PASID and SVA
 *	attach require it); fixed at allocation
 * @id: a number for messages and tests
 * @iommu: the unit of its members (set by the first member)
 * @domain: the domain its members use now
 * @default_domain: the domain they return to on detach
 * @owned: @domain was attached through the API (not the default)
 */
struct liommu_group {
	struct kref kref;
	struct mutex mutex;
	struct list_head devices;
	unsigned int nr_devices;
	bool immutable_singleton;
	int id;
	struct liommu_device *iommu;
	struct liommu_domain *domain;
	struct liommu_domain *default_domain;
	bool owned;
};

/**
 * struct liommu_dev - the core's state of one translated device
 * @kref: see the reference rules above
 * @live: probed and not released (group mutex and hash lock to write)
 * @hnode: in the device table (liommu_table_lock)
 * @dev: the device (referenced)
 * @iommu: the unit that translates it
 * @group: its group (referenced)
 * @group_node: in @group->devices (group mutex)
 * @priv: the vendor's data (liommu_dev_set_priv())
 * @pasid_bits: its PASID width (0: none)
 * @features: enabled &enum liommu_dev_feature bits (later issues)
 * @pasid_domains: PASID -> attached domain, PASIDs other than the
 *	default one (group mutex; RCU lookups)
 * @pasid_cap_enabled: the core turned the PCI PASID capability on (group
 *	mutex)
 * @pci_key: for PCI: the device that decides its isolation (itself, or
 *	the bridge or function that it cannot be isolated from)
 * @kernel_owned: the running kernel's IOMMU core drives the device through
 *	the bridge (liommu_dev_set_kernel_owned(); group mutex)
 */
struct liommu_dev {
	struct kref kref;
	bool live;
	struct hlist_node hnode;
	struct device *dev;
	struct liommu_device *iommu;
	struct liommu_group *group;
	struct list_head group_node;
	void *priv;
	unsigned int pasid_bits;
	unsigned long features;
	struct xarray pasid_domains;
	bool pasid_cap_enabled;
	struct pci_dev *pci_key;
	bool kernel_owned;
};

extern struct mutex liommu_table_lock;
extern struct list_head liommu_iommus;

/* device.c */
struct liommu_dev *liommu_dev_find(struct device *dev);
struct liommu_device *liommu_dev_unit(struct device *dev);
struct liommu_dev *liommu_dev_get(struct device *dev);
void liommu_dev_put(struct liommu_dev *ldev);
bool liommu_dev_probed(struct device *dev);
void liommu_dev_set_live(struct liommu_dev *ldev, bool live);
int liommu_probe_device(struct device *dev);
void liommu_release_device(struct device *dev);
void liommu_release_iommu_devices(struct liommu_device *iommu);
int liommu_bus_notifiers_init(void);
void liommu_bus_notifiers_exit(void);
struct liommu_dev *liommu_dev_first_on_bus(const struct bus_type *bus);
int liommu_probe_device_with(struct liommu_device *iommu, struct device *dev);
struct liommu_group *liommu_group_find_by_pci_key(struct liommu_device *iommu,
						  struct pci_dev *key);
void liommu_for_each_dev(void (*fn)(struct liommu_dev *ldev, void *data),
			 void *data);
int liommu_group_check_owner(struct liommu_group *group,
			     struct liommu_domain *domain);

/* debugfs.c */
void liommu_debugfs_init(void);
void liommu_debugfs_exit(void);

/* group.c */
int liommu_group_add_dev(struct liommu_group *group, struct liommu_dev *ldev);
void liommu_group_del_dev(struct liommu_dev *ldev);

/* aux.c */
void liommu_aux_release_dev(struct device *dev);
void liommu_aux_exit(void);

/* pasid.c */
void liommu_pasid_release_dev(struct liommu_dev *ldev);
void liommu_pasid_block(struct device *dev, u32 pasid);

/* sva.c */
int liommu_sva_iopf_handler(struct liommu_domain *domain,
			    const struct liommu_fault *f, void *data);
bool liommu_sva_dev_bound(struct device *dev);
void liommu_sva_exit(void);
unsigned int liommu_pasid_dev_width(struct liommu_device *iommu,
				    struct device *dev);

/* pci.c */
struct pci_dev *liommu_pci_key(struct pci_dev *pdev, bool *singleton);

/* domain_table.c */
int liommu_domain_table_add(struct liommu_domain *domain);
int liommu_domain_hold_parent(struct liommu_domain *parent);
void liommu_domain_table_del(struct liommu_domain *domain);
int liommu_domain_refuse(struct liommu_domain *domain, const char *what);

#define LIOMMU_DOMAIN_TABLE_BITS	7

/**
 * struct liommu_domain_entry - one live domain in the table
 * @node: in liommu_domain_table, keyed by the domain's address
 * @domain: the domain; compared, never dereferenced by lookups
 * @rcu: for kfree_rcu() once out of the table
 */
struct liommu_domain_entry {
	struct hlist_node node;
	struct liommu_domain *domain;
	struct rcu_head rcu;
};

extern struct hlist_head liommu_domain_table[1 << LIOMMU_DOMAIN_TABLE_BITS];
extern struct liommu_domain *liommu_domain_first[1 << LIOMMU_DOMAIN_TABLE_BITS];

static inline unsigned int liommu_domain_bucket(const struct liommu_domain *d)
{
	return hash_min((unsigned long)d, LIOMMU_DOMAIN_TABLE_BITS);
}

/**
 * liommu_domain_check() - may the core use this domain pointer?
 * @domain: what a caller passed
 * @what: the call, for the message
 *
 * Inline: every map and unmap asks it first (domain_table.c has the
 * table's rules).
 *
 * Return: 0; -EINVAL for NULL, an ERR_PTR, or a pointer that names no
 * live domain (freed, never allocated), the last with a rate-limited
 * message.
 */
static inline int liommu_domain_check(struct liommu_domain *domain,
				      const char *what)
{
	struct liommu_domain_entry *e;
	bool live = false;

	if (IS_ERR_OR_NULL(domain))
		return -EINVAL;
	/* The common case: the bucket's first live domain, one word read. */
	if (READ_ONCE(liommu_domain_first[liommu_domain_bucket(domain)]) ==
	    domain)
		return 0;
	/*
	 * Preemption off is a read-side section for kfree_rcu() too (one
	 * RCU since 4.20), and costs no call where rcu_read_lock() is
	 * preemptible RCU's out-of-line pair: this runs on every map.
	 */
	rcu_read_lock_sched();
	hash_for_each_possible_rcu(liommu_domain_table, e, node,
				   (unsigned long)domain)
		if (READ_ONCE(e->domain) == domain) {
			live = true;
			break;
		}
	rcu_read_unlock_sched();
	return live ? 0 : liommu_domain_refuse(domain, what);
}
int liommu_domain_use(struct liommu_domain *domain);
void liommu_domain_unuse(struct liommu_domain *domain);
int liommu_domain_retire(struct liommu_domain *domain);

/* domain.c */
struct liommu_domain *liommu_domain_finish(struct liommu_domain *domain,
					   struct liommu_dev *ldev,
					   enum liommu_domain_owner owner,
					   u32 user_flags);

/* fault.c */
int liommu_iopf_queue_init(struct liommu_device *iommu);
struct seq_file;
void liommu_iopf_show(struct seq_file *m, struct liommu_device *iommu);
void liommu_iopf_queue_exit(struct liommu_device *iommu);
void liommu_iopf_release_dev(struct liommu_device *iommu);

/* ioasid.c: the PASID space ends at the narrowest unit (table lock). */
void liommu_pasid_space_update(void);

/* alloc.c: every allocation of the core goes through these. */
enum liommu_stat {
	LIOMMU_STAT_IOMMUS,
	LIOMMU_STAT_DEVICES,
	LIOMMU_STAT_GROUPS,
	LIOMMU_STAT_DOMAINS,
	LIOMMU_STAT_TABLE_PAGES,
	LIOMMU_STAT_ALLOCS,
	LIOMMU_STAT_NR,
};

void liommu_stat_inc(enum liommu_stat s);
void liommu_stat_dec(enum liommu_stat s);
void *liommu_kzalloc(size_t size, gfp_t gfp);
void liommu_kfree(void *p);

/* Does [@iova, @iova + @size) lie within what @pt's levels translate? */
static inline bool liommu_pt_in_reach(const struct liommu_pt *pt,
				      unsigned long iova, size_t size)
{
	unsigned int lg2 = pt->va_lg2;
	u64 last = (u64)iova + size - 1;

	if (last < iova)
		return false;
	return lg2 >= 64 || !(last >> lg2);
}

/*
 * The walks of the formats, by their global names (LIOMMU_PT_FORMAT()).
 * The entries below call the architecture's two formats directly and
 * any other one through its &struct liommu_pt_format: with retpolines a
 * direct call is much the cheaper, and it is paid on every map and unmap.
 */
#define LIOMMU_PT_DECLARE_WALKS(tok)					\
int liommu_pt_##tok##_map(struct liommu_pt *pt, unsigned long iova,	\
			  phys_addr_t paddr, size_t size,		\
			  unsigned long pgsizes, int prot, gfp_t gfp,	\
			  size_t *mapped, void **spare);		\
bool liommu_pt_##tok##_map_fast(struct liommu_pt *pt,			\
				unsigned long iova, phys_addr_t paddr,	\
				size_t size, unsigned long pgsizes,	\
				int prot);				\
phys_addr_t liommu_pt_##tok##_iova_to_phys(struct liommu_pt *pt,	\
					   unsigned long iova);		\
ssize_t liommu_pt_##tok##_unmap_all(struct liommu_pt *pt,		\
				    unsigned long iova, size_t size,	\
				    struct liommu_iotlb_gather *gather,	\
				    unsigned int flags, bool *emptied)
LIOMMU_PT_DECLARE_WALKS(vtdss);
LIOMMU_PT_DECLARE_WALKS(x86fl);
LIOMMU_PT_DECLARE_WALKS(arm_s1);
LIOMMU_PT_DECLARE_WALKS(arm_s2);
LIOMMU_PT_DECLARE_WALKS(mock);

/*
 * &liommu_pt.walk: the architecture's two formats, or another one
 * (liommu_pt_init() chooses, core/pgtable.c).
 */
#define LIOMMU_PT_WALK_OTHER	0
#define LIOMMU_PT_WALK_A	1
#define LIOMMU_PT_WALK_B	2

#ifdef CONFIG_X86
#define LIOMMU_PT_WALK_NAME_A(op)	liommu_pt_vtdss_##op
#define LIOMMU_PT_WALK_NAME_B(op)	liommu_pt_x86fl_##op
#else
#define LIOMMU_PT_WALK_NAME_A(op)	liommu_pt_arm_s1_##op
#define LIOMMU_PT_WALK_NAME_B(op)	liommu_pt_arm_s2_##op
#endif

#define LIOMMU_PT_WALK(pt, op, ...)					\
	((pt)->walk == LIOMMU_PT_WALK_A ?				\
	 LIOMMU_PT_WALK_NAME_A(op)(__VA_ARGS__) :			\
	 (pt)->walk == LIOMMU_PT_WALK_B ?				\
	 LIOMMU_PT_WALK_NAME_B(op)(__VA_ARGS__) :			\
	 (pt)->fmt->op(__VA_ARGS__))

/*
 * The checks of liommu_pt_map_nosleep() before its walk, for a @size > 0
 * and the @pgsizes it walks with (already masked with the table's).
 */
static inline int liommu_pt_map_check(const struct liommu_pt *pt,
				      unsigned long iova, phys_addr_t paddr,
				      size_t size, unsigned long pgsizes)
{
	unsigned long min_pgsize = pgsizes & -pgsizes;

	if (!pgsizes)
		return -EINVAL;
	if ((iova | paddr | size) & (min_pgsize - 1))
		return -EINVAL;
	if (!liommu_pt_in_reach(pt, iova, size))
		return -ERANGE;
	if (pt->oa_lg2 < 64 && (((u64)paddr + size - 1) >> pt->oa_lg2))
		return -ERANGE;
	return 0;
}

/*
 * liommu_pt_map_nosleep() inline, for liommu_map()'s walk (core/map.c):
 * the same checks, then the one call into the format's walk, without a
 * call into core/pgtable.c first.
 */
static inline int __liommu_pt_map_nosleep(struct liommu_pt *pt,
					  unsigned long iova,
					  phys_addr_t paddr, size_t size,
					  unsigned long pgsizes, int prot,
					  gfp_t gfp, size_t *mapped,
					  void **spare)
{
	int err;

	pgsizes &= pt->pgsize_bitmap;
	if (!size)
		return 0;
	err = liommu_pt_map_check(pt, iova, paddr, size, pgsizes);
	if (err)
		return err;
	return LIOMMU_PT_WALK(pt, map, pt, iova, paddr, size, pgsizes, prot,
			      gfp, mapped, spare);
}

/*
 * liommu_pt_unmap_all() (@flags 0, @emptied NULL) and
 * liommu_pt_unmap_all_keep() (%LIOMMU_PT_KEEP) inline, for
 * liommu_unmap()'s walk (core/map.c).
 */
static inline ssize_t __liommu_pt_unmap_all(struct liommu_pt *pt,
					    unsigned long iova, size_t size,
					    struct liommu_iotlb_gather *gather,
					    unsigned int flags, bool *emptied)
{
	if (emptied)
		*emptied = false;
	if (!size || !liommu_pt_in_reach(pt, iova, size))
		return -ENOENT;
	return LIOMMU_PT_WALK(pt, unmap_all, pt, iova, size, gather, flags,
			      emptied);
}

/*
 * liommu_pt_iova_to_phys() inline, for liommu_iova_to_phys() (core/map.c):
 * one direct call into the format's walk.
 */
static inline phys_addr_t __liommu_pt_iova_to_phys(struct liommu_pt *pt,
						   unsigned long iova)
{
	phys_addr_t pa;

	if (!pt->root || !liommu_pt_in_reach(pt, iova, 1))
		return 0;
	/* Unhooked tables are freed after a grace period: see alloc.c. */
	rcu_read_lock_sched();
	pa = LIOMMU_PT_WALK(pt, iova_to_phys, pt, iova);
	rcu_read_unlock_sched();
	return pa;
}

void *liommu_table_alloc(gfp_t gfp);
void liommu_table_free(void *table);
void liommu_table_free_deferred(struct page *page);
void liommu_table_free_deferred_list(struct list_head *pages);
void liommu_table_pool_drain(void);
/*
 * In a freed table page's private word (core/pt_walk.h sets it when it
 * unhooks a table that holds no entry): every entry is 0, so the page
 * may serve as a new table as it is (alloc.c recycles it).
 */
#define LIOMMU_TABLE_ZEROED	(1UL << 61)
int liommu_stats_init(void);
void liommu_stats_exit(void);

#define liommu_err_rl(fmt, ...) \
	pr_err_ratelimited("liommu: " fmt, ##__VA_ARGS__)

#endif /* _LIOMMU_CORE_PRIV_H */
