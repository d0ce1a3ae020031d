/* SPDX-License-Identifier: GPL-2.0 */
/*
 * liommu SMMUv3 driver: private types shared by the files of
 * liommu_smmuv3.ko.
 *
 * Lifetime: the SMMU table and the PCI StreamID maps are built once in
 * module init (unit.c finds, maps and decodes; streamid.c reads each PCI
 * host bridge's "iommu-map"; enable.c allocates the queues and the stream
 * table and turns the SMMU on) and torn down in module exit.  Between the
 * two the unit table, the maps and the shape of the stream table are
 * immutable, so the read-only queries of query.c take no lock for them.
 *
 * Locking, per unit: @cmdq_lock serialises the command queue (its
 * software PROD, the error recovery and the counters beside it);
 * @ste_lock serialises STE updates (the writer issues commands, so the
 * order is ste_lock then cmdq_lock); @evtq_lock serialises the event
 * queue reader and its log.  Everything runs in process context but the
 * command queue: TLB invalidation comes from liommu_unmap(), which the
 * kernel's DMA API (the bridge) calls from interrupt handlers, so
 * @cmdq_lock is a spinlock taken with interrupts off (its waits poll).
 */
#ifndef _LIOMMU_SMMUV3_H
#define _LIOMMU_SMMUV3_H

#include <linux/idr.h>
#include <linux/ioport.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <linux/types.h>
#include <liommu/driver.h>
#include <liommu/pgtable.h>
#include <liommu/smmu.h>

#define LIOMMU_SMMU_NAME	"liommu-smmuv3"
/* More SMMUs than this in one device tree are ignored (and said so). */
#define LIOMMU_SMMU_MAX_UNITS	8

struct device_node;
struct pci_dev;

/* Command queue: 2^8 entries of 16 bytes, one page. */
#define LIOMMU_SMMU_CMDQ_LOG2	8
/*
 * Event queue: 2^11 entries of 32 bytes.  QEMU records one event per
 * 4-byte access of a faulting DMA, so a 4 KiB fault is 1024 events.
 */
#define LIOMMU_SMMU_EVTQ_LOG2	11
/* 2-level stream table: 2^8 STEs (16 KiB) per level-2 table. */
#define LIOMMU_SMMU_STRTAB_SPLIT	8
/* A linear stream table is only used for at most 2^12 StreamIDs. */
#define LIOMMU_SMMU_STRTAB_LINEAR_MAX_LOG2	12
/* Period of the event-queue polling worker without an interrupt, ms. */
#define LIOMMU_SMMU_EVTQ_POLL_MS	10
/* ... and with one (a safety net only). */
#define LIOMMU_SMMU_EVTQ_POLL_IRQ_MS	1000
/* Decoded events kept for liommu_smmu_read_events(). */
#define LIOMMU_SMMU_EVT_LOG	64

/**
 * struct liommu_smmu_queue - a command or event queue in memory
 * @ents: the entries, @dwords words each
 * @phys: physical address of @ents
 * @log2: log2 of the number of entries
 * @dwords: words per entry
 * @prod: producer index with the wrap bit at bit @log2, as in PROD
 * @cons: consumer index, the same way, as in CONS
 * @prod_reg: offset of the PROD register
 * @cons_reg: offset of the CONS register
 */
struct liommu_smmu_queue {
	__le64 *ents;
	phys_addr_t phys;
	unsigned int log2;
	unsigned int dwords;
	u32 prod;
	u32 cons;
	u32 prod_reg;
	u32 cons_reg;
};

/**
 * struct liommu_smmu_strtab - the stream table
 * @two_level: 2-level format (else linear)
 * @log2size: STRTAB_BASE_CFG.LOG2SIZE: StreamIDs covered
 * @split: STRTAB_BASE_CFG.SPLIT (2-level only)
 * @base: the level-1 table (2-level) or the STEs (linear)
 * @base_phys: physical address of @base
 * @base_order: page order of @base
 * @nr_l1: level-1 descriptors (2-level only)
 * @l2: level-2 tables by level-1 index, NULL where none is allocated
 */
struct liommu_smmu_strtab {
	bool two_level;
	unsigned int log2size;
	unsigned int split;
	__le64 *base;
	phys_addr_t base_phys;
	unsigned int base_order;
	unsigned int nr_l1;
	__le64 **l2;
};

/**
 * struct liommu_smmu_evt_log - events read from the event queue
 * @ev: the last LIOMMU_SMMU_EVT_LOG decoded events, a ring
 * @head: events ever logged; the next goes to @ev[@head % size]
 * @tail: the first event liommu_smmu_read_events() has not returned
 * @overflows: times the SMMU reported an event queue overflow
 */
struct liommu_smmu_evt_log {
	struct liommu_smmu_event ev[LIOMMU_SMMU_EVT_LOG];
	u64 head;
	u64 tail;
	u64 overflows;
};

/**
 * struct liommu_smmu_unit - one SMMUv3 found in the device tree
 * @index: position among the SMMUs found
 * @np: its device-tree node (a reference is held)
 * @base: physical address of the registers (first "reg" entry)
 * @reg_size: bytes of registers in "reg", all mapped at @regs
 * @regs: mapped registers, NULL until unit.c maps them
 * @region: the claimed iomem region, NULL if not claimed
 * @dt_coherent: the node has "dma-coherent"
 * @dt_msi_parent: the node has "msi-parent"
 * @nr_irqs: interrupts named in the node's "interrupt-names"
 * @idr: IDR0..IDR5 at load
 * @iidr: IIDR at load
 * @aidr: AIDR at load
 * @cr0: CR0 at load
 * @cr0ack: CR0ACK at load
 * @gbpa: GBPA at load
 * @gerror: GERROR at load
 * @feat: @idr, @iidr, @aidr decoded
 * @enabled: SMMUEN is on (enable.c)
 * @cmdq_lock: serialises @cmdq and the counters below it (spinlock,
 *	interrupts off)
 * @cmdq: the command queue
 * @cmdq_errors: command errors seen (and recovered)
 * @last_cerror: CMDQ_CONS.ERR of the last error
 * @cfgi_syncs: CMD_CFGI_STE + CMD_SYNC pairs the STE writer issued
 * @ste_lock: serialises STE updates
 * @strtab: the stream table
 * @evtq_lock: serialises @evtq and @evt_log
 * @evtq: the event queue
 * @evt_log: decoded events
 * @iommu: the unit as registered with the liommu core
 * @identity: its static identity domain (bypass STE)
 * @blocked: its static blocked domain (abort STE)
 * @registered: @iommu is registered with the core
 * @asids: ASIDs of its stage-1 domains (1 .. 2^asid_bits - 1)
 * @vmids: VMIDs of its stage-2 domains (1 .. 2^vmid_bits - 1); VMID 0 is
 *	what stage-1 STEs carry
 * @masters: StreamID -> &struct device of the devices it translates, for
 *	the core's fault reports (changed under @evtq_lock, evtq.c)
 * @evtq_work: the event-queue polling worker (evtq.c)
 * @evtq_irq: the wired "eventq" interrupt we own, or 0
 * @gerror_irq: the wired "gerror" interrupt we own, or 0
 * @irq_events: event-queue interrupts taken
 * @faults_unreported: fault events the core refused
 */
struct liommu_smmu_unit {
	unsigned int index;
	struct device_node *np;
	u64 base;
	u64 reg_size;
	void __iomem *regs;
	struct resource *region;
	bool dt_coherent;
	bool dt_msi_parent;
	unsigned int nr_irqs;
	u32 idr[6];
	u32 iidr;
	u32 aidr;
	u32 cr0;
	u32 cr0ack;
	u32 gbpa;
	u32 gerror;
	struct liommu_smmu_features feat;
	bool enabled;
	spinlock_t cmdq_lock;
	struct liommu_smmu_queue cmdq;
	u64 cmdq_errors;
	u32 last_cerror;
	u64 cfgi_syncs;
	struct mutex ste_lock;
	struct liommu_smmu_strtab strtab;
	struct mutex evtq_lock;
	struct liommu_smmu_queue evtq;
	struct liommu_smmu_evt_log evt_log;
	struct liommu_device iommu;
	struct liommu_domain identity;
	struct liommu_domain blocked;
	bool registered;
	struct ida asids;
	struct ida vmids;
	atomic_t nr_ids;
	struct xarray masters;
	struct delayed_work evtq_work;
	int evtq_irq;
	int gerror_irq;
	u64 irq_events;
	u64 faults_unreported;
};

/* STEs and CDs: 64 bytes, eight words. */
#define LIOMMU_SMMU_ENTRY_DWORDS	8

/**
 * struct liommu_smmu_writer - one live entry for liommu_smmu_entry_write()
 * @live: the entry in the table the SMMU reads
 * @valid: its V bit (word 0)
 * @is_cd: a CD (else an STE), for the observer
 * @used: fills the bits a valid value of the entry makes the SMMU read
 * @sync: makes the SMMU drop its copy of the entry, and waits
 * @syncs: syncs issued so far
 */
struct liommu_smmu_writer {
	__le64 *live;
	u64 valid;
	bool is_cd;
	void (*used)(const u64 *entry, u64 *used);
	int (*sync)(struct liommu_smmu_writer *w);
	unsigned int syncs;
};

/* One-CD tables hold two slots: a replacement goes in the spare one. */
#define LIOMMU_SMMU_CDTAB_SLOTS		2

/**
 * struct liommu_smmu_cdtab - a device's context-descriptor table
 * @bits: STE.S1CDMax: 2^@bits CDs, one per SubstreamID; 0: a single CD
 *	(no substreams) in one of two slots
 * @fmt: STE.S1Fmt: linear, or 2-level with 4 KiB level-2 tables
 * @base: the CDs (linear) or level-1 descriptors (2-level)
 * @base_phys: physical address of @base, what STE.S1ContextPtr names
 *	(one-CD tables: plus the active slot's offset)
 * @base_order: page order of @base
 * @nr_l1: level-1 descriptors (2-level)
 * @l2: the level-2 tables, NULL where none was needed yet (2-level)
 * @active: one-CD tables: the slot the STE names
 */
struct liommu_smmu_cdtab {
	unsigned int bits;
	unsigned int fmt;
	__le64 *base;
	phys_addr_t base_phys;
	unsigned int base_order;
	unsigned int nr_l1;
	__le64 **l2;
	unsigned int active;
};

/**
 * struct liommu_smmu_master - a PCI device behind an SMMU (core priv data)
 * @unit: the SMMU that translates it
 * @sid: its StreamID
 * @pdev: the device
 * @cdtab: its CD table, allocated with its first stage-1 use (@cdtab.base
 *	NULL before) and freed at release
 * @rid: the domain its untagged traffic uses (identity at probe)
 * @nr_pasids: SubstreamIDs with a valid CD
 * @nested_node: in the nested domain's @masters while @rid is one
 *
 * @cdtab, @rid, @nr_pasids and @nested_node are under the unit's
 * ste_lock.
 */
struct liommu_smmu_master {
	struct liommu_smmu_unit *unit;
	u32 sid;
	struct pci_dev *pdev;
	struct liommu_smmu_cdtab cdtab;
	struct liommu_domain *rid;
	unsigned int nr_pasids;
	struct list_head nested_node;
};

/**
 * struct liommu_smmu_domain - a paging domain of an SMMU
 * @dom: the core's domain
 * @unit: the SMMU that allocated it; it attaches only to its devices
 * @stage: 1 (CD with ASID and TTB0) or 2 (STE with VMID and S2TTB)
 * @pt: its page table (walker format arm_s1 or arm_s2)
 * @asid: stage 1: its ASID
 * @vmid: stage 2: its VMID
 * @cd: stage 1: its context descriptor, CPU order, built at allocation
 *	and never changed: what every CD table it is attached through gets
 * @tlbi_cmds: TLB invalidation commands issued for this domain
 */
struct liommu_smmu_domain {
	struct liommu_domain dom;
	struct liommu_smmu_unit *unit;
	unsigned int stage;
	struct liommu_pt pt;
	u16 asid;
	u16 vmid;
	u64 cd[LIOMMU_SMMU_ENTRY_DWORDS];
	u64 tlbi_cmds;
};

/**
 * struct liommu_smmu_nested - a user stage 1 nested over a stage-2 domain
 * @dom: the core's domain
 * @unit: the SMMU
 * @parent: the stage-2 domain under it
 * @vste: the user's STE words 0 and 1, checked
 * @masters: devices whose untagged traffic uses it (the unit's ste_lock)
 * @user_cmds: commands issued for the user's invalidations
 */
struct liommu_smmu_nested {
	struct liommu_domain dom;
	struct liommu_smmu_unit *unit;
	struct liommu_smmu_domain *parent;
	u64 vste[2];
	struct list_head masters;
	u64 user_cmds;
};

/**
 * struct liommu_smmu_map_entry - one entry of an "iommu-map" property
 * @rid_base: first (masked) requester ID the entry covers
 * @sid_base: StreamID that @rid_base becomes
 * @length: number of requester IDs covered
 * @unit: index of the SMMU the entry names, or -1 if it names another node
 */
struct liommu_smmu_map_entry {
	u32 rid_base;
	u32 sid_base;
	u32 length;
	int unit;
};

/**
 * struct liommu_smmu_pci_map - the RID-to-StreamID map of one PCI host bridge
 * @np: the host bridge's device-tree node (a reference is held)
 * @segment: its PCI segment (domain) number, -1 if no root bus was found
 * @mask: "iommu-map-mask", applied to a RID before the lookup (all ones
 *	when the property is absent)
 * @nr_entries: entries in @entries
 * @entries: the map, in property order; the first entry covering a RID
 *	wins
 */
struct liommu_smmu_pci_map {
	struct device_node *np;
	int segment;
	u32 mask;
	unsigned int nr_entries;
	struct liommu_smmu_map_entry *entries;
};

/**
 * struct liommu_smmu - everything the driver found at load
 * @nr_units: entries in @units
 * @units: the SMMUs, in device-tree order
 * @nr_maps: entries in @maps
 * @maps: PCI host bridges whose "iommu-map" names one of @units
 */
struct liommu_smmu {
	unsigned int nr_units;
	struct liommu_smmu_unit units[LIOMMU_SMMU_MAX_UNITS];
	unsigned int nr_maps;
	struct liommu_smmu_pci_map *maps;
};

/* features.c */
void liommu_smmu_decode(const u32 idr[6], u32 iidr, u32 aidr,
			struct liommu_smmu_features *feat);

/* unit.c */
int liommu_smmu_find_units(struct liommu_smmu *smmu);
int liommu_smmu_unit_map(struct liommu_smmu_unit *unit);
void liommu_smmu_unit_unmap(struct liommu_smmu_unit *unit);
void liommu_smmu_put_units(struct liommu_smmu *smmu);
void liommu_smmu_unit_report(const struct liommu_smmu_unit *unit);

/* streamid.c */
int liommu_smmu_maps_read(struct liommu_smmu *smmu);
void liommu_smmu_maps_free(struct liommu_smmu *smmu);
int liommu_smmu_map_lookup(const struct liommu_smmu *smmu, u16 segment,
			   u32 rid, unsigned int *index, u32 *sid);
void liommu_smmu_maps_report(const struct liommu_smmu *smmu);

/* queue.c */
int liommu_smmu_queue_alloc(struct liommu_smmu_queue *q, unsigned int log2,
			    unsigned int dwords, u32 prod_reg, u32 cons_reg);
void liommu_smmu_queue_free(struct liommu_smmu_queue *q);
u64 liommu_smmu_queue_base(const struct liommu_smmu_queue *q);

/* cmdq.c */
int liommu_smmu_cmdq_submit(struct liommu_smmu_unit *unit,
			    const u64 (*cmds)[2], unsigned int n);
void liommu_smmu_cmd_cfgi_ste(u64 cmd[2], u32 sid);

/* evtq.c */
void liommu_smmu_evtq_poll(struct liommu_smmu_unit *unit);
void liommu_smmu_evtq_start(struct liommu_smmu_unit *unit);
void liommu_smmu_evtq_stop(struct liommu_smmu_unit *unit);
int liommu_smmu_master_add(struct liommu_smmu_unit *unit, u32 sid,
			   struct device *dev);
void liommu_smmu_master_del(struct liommu_smmu_unit *unit, u32 sid);
int liommu_smmu_page_response(struct device *dev,
			      const struct liommu_fault *fault, int code);
const char *liommu_smmu_event_name(u8 id);

/* writer.c */
int liommu_smmu_entry_write(struct liommu_smmu_writer *w, const u64 *target);

/* cdtab.c */
unsigned int liommu_smmu_cdtab_max_bits(const struct liommu_smmu_unit *unit);
int liommu_smmu_cdtab_init(struct liommu_smmu_cdtab *t, unsigned int bits,
			   bool two_level);
void liommu_smmu_cdtab_free(struct liommu_smmu_cdtab *t);
__le64 *liommu_smmu_cdtab_entry(struct liommu_smmu_cdtab *t, u32 ssid,
				bool alloc, bool *new_l2);
phys_addr_t liommu_smmu_cdtab_ptr(const struct liommu_smmu_cdtab *t);
void liommu_smmu_cdtab_ste(const struct liommu_smmu_cdtab *t,
			   unsigned int s1dss, u64 ste[8]);
__le64 *liommu_smmu_cdtab_slot(struct liommu_smmu_cdtab *t,
			       unsigned int slot);
int liommu_smmu_cd_write(struct liommu_smmu_unit *unit, u32 sid, u32 ssid,
			 __le64 *live, bool new_l2, const u64 target[8],
			 unsigned int *syncs);

/* strtab.c */
int liommu_smmu_strtab_alloc(struct liommu_smmu_unit *unit);
void liommu_smmu_strtab_free(struct liommu_smmu_unit *unit);
int liommu_smmu_strtab_add_sid(struct liommu_smmu_unit *unit, u32 sid);
__le64 *liommu_smmu_ste_ptr(struct liommu_smmu_unit *unit, u32 sid);
void liommu_smmu_ste_build(u64 ste[8], enum liommu_smmu_ste_kind kind);
int liommu_smmu_ste_write(struct liommu_smmu_unit *unit, u32 sid,
			  const u64 target[8]);

/* enable.c */
int liommu_smmu_unit_enable(struct liommu_smmu *smmu,
			    struct liommu_smmu_unit *unit);
void liommu_smmu_unit_disable(struct liommu_smmu_unit *unit);

/* iommu.c */
int liommu_smmu_register(struct liommu_smmu *smmu);
void liommu_smmu_unregister(struct liommu_smmu *smmu);

/* master.c */
int liommu_smmu_master_attach(struct liommu_smmu_master *m,
			      struct liommu_domain *domain);
int liommu_smmu_master_set_pasid(struct liommu_smmu_master *m,
				 struct liommu_domain *domain, u32 pasid);
void liommu_smmu_master_release(struct liommu_smmu_master *m);

/* domain.c */
extern const struct liommu_domain_ops liommu_smmu_paging_ops;
struct liommu_domain *liommu_smmu_domain_alloc_paging(struct device *dev);
struct liommu_domain *liommu_smmu_domain_alloc_paging_flags(struct device *dev,
							    u32 flags);

/* nested.c */
bool liommu_smmu_is_nested(const struct liommu_domain *domain);
void liommu_smmu_nested_ste(struct liommu_domain *domain, u64 ste[8]);
struct liommu_domain *
liommu_smmu_domain_alloc_nested(struct device *dev, struct liommu_domain *parent,
				u32 flags, const struct liommu_user_data *data);
void liommu_smmu_domain_ste(const struct liommu_smmu_domain *d, u64 ste[8]);

static inline struct liommu_smmu_domain *
to_smmu_domain(struct liommu_domain *dom)
{
	return container_of(dom, struct liommu_smmu_domain, dom);
}

static inline struct liommu_smmu_nested *
to_smmu_nested(struct liommu_domain *dom)
{
	return container_of(dom, struct liommu_smmu_nested, dom);
}

/* query.c */
void liommu_smmu_query_publish(struct liommu_smmu *smmu);

/* debugfs.c */
void liommu_smmu_debugfs_init(struct liommu_smmu *smmu);
void liommu_smmu_debugfs_exit(void);

/*
 * The bits of @unit's output addresses the driver uses (CD.IPS, STE.S2PS,
 * the core's &liommu_device.oa_bits): IDR5.OAS, at most 48, which the
 * 4 KiB-granule tables without 52-bit addressing express.
 */
static inline unsigned int
liommu_smmu_oas_bits(const struct liommu_smmu_unit *unit)
{
	return min_t(unsigned int, unit->feat.oas ?: 32, 48);
}

#endif /* _LIOMMU_SMMUV3_H */
