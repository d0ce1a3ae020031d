/* SPDX-License-Identifier: GPL-2.0 */
/*
 * liommu SMMUv3 driver: read-only query of the SMMUs it found.
 *
 * liommu_smmuv3.ko finds each "arm,smmu-v3" node of the device tree, maps
 * its registers and decodes IDR0-5, IIDR and AIDR once, at load; it also
 * reads the "iommu-map" of each PCI host bridge that names one of those
 * SMMUs.  This header offers what it decoded to other modules (the
 * self-test module, later the core's diagnostics).  Everything is a
 * snapshot taken at load time except liommu_smmu_read_cr0(),
 * liommu_smmu_read_state() and liommu_smmu_read_ste(), which read the
 * live registers and tables.
 *
 * At load the driver also takes each SMMU over: a stream table whose STEs
 * let every PCI device behind the SMMU bypass translation, the command
 * and event queues, then SMMUEN.  liommu_smmu_set_ste(),
 * liommu_smmu_read_events() and the command calls exist for diagnostics
 * and for the self-tests that prove those steps on real DMA.
 */
#ifndef _LIOMMU_SMMU_H
#define _LIOMMU_SMMU_H

#include <linux/types.h>

/**
 * struct liommu_smmu_features - an SMMU's identification registers, decoded
 * @arch_major: architecture major version (3)
 * @arch_minor: architecture minor version (AIDR.ArchMinorRev: 3.1 -> 1)
 * @implementer: IIDR.Implementer (JEP106 code of the implementer)
 * @product_id: IIDR.ProductID
 * @variant: IIDR.Variant
 * @revision: IIDR.Revision
 * @s1: stage-1 translation (IDR0.S1P)
 * @s2: stage-2 translation (IDR0.S2P); with @s1, nesting is possible
 * @ttf_aarch64: AArch64 translation tables (IDR0.TTF)
 * @ttf_aarch32: AArch32 (LPAE) translation tables (IDR0.TTF)
 * @st_2lvl: 2-level stream table (IDR0.ST_LEVEL); linear is always offered
 * @cd_2lvl: 2-level context descriptor tables (IDR0.CD2L)
 * @coherent: table walks and queue accesses are IO-coherent (IDR0.COHACC)
 * @btm: broadcast TLB maintenance (IDR0.BTM)
 * @httu_access: hardware update of the Access flag (IDR0.HTTU >= 1)
 * @httu_dirty: hardware update of the dirty state (IDR0.HTTU = 2)
 * @hyp: EL2 stage-1 translations (IDR0.HYP)
 * @ats: PCIe ATS (IDR0.ATS)
 * @msi: the SMMU signals its interrupts by MSI (IDR0.MSI)
 * @sev: the SMMU sends WFE wake-up events (IDR0.SEV)
 * @atos: address translation operations (IDR0.ATOS)
 * @pri: PCIe page request interface (IDR0.PRI)
 * @vmw: VMID wildcard matching (IDR0.VMW)
 * @stall: stalling faults can be used (IDR0.STALL_MODEL is not "terminate
 *	only")
 * @stall_forced: every fault stalls (IDR0.STALL_MODEL = forced)
 * @le_walks: little-endian table walks offered (IDR0.TTENDIAN)
 * @be_walks: big-endian table walks offered (IDR0.TTENDIAN)
 * @asid_bits: ASID width, 8 or 16 (IDR0.ASID16)
 * @vmid_bits: VMID width, 8 or 16 (IDR0.VMID16)
 * @sid_bits: StreamID width (IDR1.SIDSIZE)
 * @ssid_bits: SubstreamID width, 0 without substreams (IDR1.SSIDSIZE)
 * @cmdq_bits: log2 of the largest command queue, in entries (IDR1.CMDQS)
 * @evtq_bits: log2 of the largest event queue (IDR1.EVENTQS)
 * @priq_bits: log2 of the largest PRI queue (IDR1.PRIQS), 0 without PRI
 * @tables_preset: stream table base fixed by the implementation
 * @queues_preset: queue bases fixed by the implementation
 * @rel: preset addresses are relative to the register base (IDR1.REL)
 * @had: hierarchical attribute disables (IDR3.HAD)
 * @pbha: page-based hardware attributes (IDR3.PBHA)
 * @xnx: EL0/EL1 execute-never distinction at stage 2 (IDR3.XNX)
 * @fwb: stage-2 forced write-back (IDR3.FWB)
 * @stt: small translation tables (IDR3.STT)
 * @ril: range-based TLB invalidation (IDR3.RIL)
 * @e0pd: E0PD (IDR3.E0PD)
 * @bbml: break-before-make level 0, 1 or 2 (IDR3.BBML)
 * @oas: output address size, bits (IDR5.OAS); 0 if the encoding is unknown
 * @granules: translation granules offered, as a bitmap of sizes (SZ_4K,
 *	SZ_16K, SZ_64K)
 * @vax: IDR5.VAX: 0 = 48-bit, 1 = 52-bit virtual addresses with 64 KiB
 * @stall_max: most stalled transactions outstanding (IDR5.STALL_MAX)
 */
struct liommu_smmu_features {
	u8 arch_major;
	u8 arch_minor;
	u16 implementer;
	u16 product_id;
	u8 variant;
	u8 revision;
	bool s1;
	bool s2;
	bool ttf_aarch64;
	bool ttf_aarch32;
	bool st_2lvl;
	bool cd_2lvl;
	bool coherent;
	bool btm;
	bool httu_access;
	bool httu_dirty;
	bool hyp;
	bool ats;
	bool msi;
	bool sev;
	bool atos;
	bool pri;
	bool vmw;
	bool stall;
	bool stall_forced;
	bool le_walks;
	bool be_walks;
	u8 asid_bits;
	u8 vmid_bits;
	u8 sid_bits;
	u8 ssid_bits;
	u8 cmdq_bits;
	u8 evtq_bits;
	u8 priq_bits;
	bool tables_preset;
	bool queues_preset;
	bool rel;
	bool had;
	bool pbha;
	bool xnx;
	bool fwb;
	bool stt;
	bool ril;
	bool e0pd;
	u8 bbml;
	u8 oas;
	u64 granules;
	u8 vax;
	u16 stall_max;
};

/**
 * struct liommu_smmu_info - what the driver knows of one SMMU
 * @index: position among the SMMUs found, from 0, in device-tree order
 * @node: full name of its device-tree node, e.g. "/smmuv3@9050000"
 * @base: physical address of the registers
 * @reg_size: bytes of registers the driver mapped (the node's "reg")
 * @dt_coherent: the node has "dma-coherent"
 * @dt_msi_parent: the node has "msi-parent"
 * @nr_irqs: interrupts named in the node's "interrupt-names"
 * @idr: raw IDR0..IDR5 at load
 * @iidr: raw IIDR at load
 * @aidr: raw AIDR at load
 * @cr0: CR0 at load
 * @cr0ack: CR0ACK at load
 * @gbpa: GBPA at load (traffic policy while the SMMU is disabled)
 * @gerror: GERROR at load
 * @feat: @idr, @iidr and @aidr decoded
 */
struct liommu_smmu_info {
	unsigned int index;
	char node[64];
	u64 base;
	u64 reg_size;
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
};

/**
 * enum liommu_smmu_ste_kind - the STEs liommu_smmu_set_ste() can install
 * @LIOMMU_SMMU_STE_INVALID: V=0: the stream's transactions abort with a
 *	C_BAD_STE event
 * @LIOMMU_SMMU_STE_ABORT: valid, Config=abort: transactions abort silently
 * @LIOMMU_SMMU_STE_BYPASS: valid, Config=bypass: addresses pass untranslated
 */
enum liommu_smmu_ste_kind {
	LIOMMU_SMMU_STE_INVALID,
	LIOMMU_SMMU_STE_ABORT,
	LIOMMU_SMMU_STE_BYPASS,
};

/**
 * struct liommu_smmu_event - one decoded event record
 * @id: event number (C_BAD_STE is 0x04, F_TRANSLATION 0x10, ...)
 * @ssv: @ssid is valid
 * @sid: StreamID of the transaction
 * @ssid: SubstreamID, if @ssv
 * @addr: input address, for the events that carry one (else 0)
 * @raw: the record as read, CPU order
 */
struct liommu_smmu_event {
	u8 id;
	bool ssv;
	u32 sid;
	u32 ssid;
	u64 addr;
	u64 raw[4];
};

/**
 * struct liommu_smmu_state - live registers and counters of an SMMU
 * @enabled: the driver has turned the SMMU on
 * @cr0: CR0
 * @cr0ack: CR0ACK
 * @cr1: CR1
 * @cr2: CR2
 * @gbpa: GBPA
 * @gerror: GERROR
 * @gerrorn: GERRORN
 * @strtab_base: STRTAB_BASE
 * @strtab_base_cfg: STRTAB_BASE_CFG
 * @cmdq_base: CMDQ_BASE
 * @cmdq_prod: CMDQ_PROD
 * @cmdq_cons: CMDQ_CONS
 * @evtq_base: EVENTQ_BASE
 * @evtq_prod: EVENTQ_PROD
 * @evtq_cons: EVENTQ_CONS
 * @cmdq_errors: command queue errors seen and recovered since load
 * @last_cerror: CMDQ_CONS.ERR of the last of them
 * @cfgi_syncs: CMD_CFGI_STE + CMD_SYNC pairs issued by the STE writer
 * @events: events read from the event queue since load
 * @evtq_overflows: event queue overflows seen since load
 */
struct liommu_smmu_state {
	bool enabled;
	u32 cr0;
	u32 cr0ack;
	u32 cr1;
	u32 cr2;
	u32 gbpa;
	u32 gerror;
	u32 gerrorn;
	u64 strtab_base;
	u32 strtab_base_cfg;
	u64 cmdq_base;
	u32 cmdq_prod;
	u32 cmdq_cons;
	u64 evtq_base;
	u32 evtq_prod;
	u32 evtq_cons;
	u64 cmdq_errors;
	u32 last_cerror;
	u64 cfgi_syncs;
	u64 events;
	u64 evtq_overflows;
};

/**
 * struct liommu_smmu_domain_info - what the driver programmed for a domain
 * @unit: index of the SMMU that allocated it
 * @stage: 1 (context descriptor, ASID) or 2 (STE stage-2 fields, VMID)
 * @asid: stage 1: its ASID (0 for stage 2)
 * @vmid: stage 2: its VMID (0 for stage 1: the VMID stage-1 STEs carry)
 * @root: physical address of its page table's root (TTB0 or S2TTB)
 * @cd: stage 1: its context descriptor, CPU order: what the driver
 *	writes into the CD table of every device (and SubstreamID) it is
 *	attached to; read a live one through the STE
 * @tlbi_cmds: TLB invalidation commands issued for it so far
 */
struct liommu_smmu_domain_info {
	unsigned int unit;
	unsigned int stage;
	u16 asid;
	u16 vmid;
	u64 root;
	u64 cd[8];
	u64 tlbi_cmds;
};

struct liommu_domain;

unsigned int liommu_smmu_nr_units(void);
int liommu_smmu_domain_info(struct liommu_domain *domain,
			    struct liommu_smmu_domain_info *info);
int liommu_smmu_domain_leaf(struct liommu_domain *domain, unsigned long iova,
			    phys_addr_t *pa, size_t *pgsize, int *prot);
int liommu_smmu_get_info(unsigned int index, struct liommu_smmu_info *info);
int liommu_smmu_read_cr0(unsigned int index, u32 *cr0, u32 *cr0ack);
int liommu_smmu_rid_to_sid(u16 segment, u32 rid, unsigned int *index,
			   u32 *sid);

int liommu_smmu_read_state(unsigned int index,
			   struct liommu_smmu_state *state);
int liommu_smmu_read_ste(unsigned int index, u32 sid, u64 ste[8]);
/* Test only: symbol namespace LIOMMU_TEST (include/liommu/compat.h). */
int liommu_smmu_set_ste(unsigned int index, u32 sid,
			enum liommu_smmu_ste_kind kind);
int liommu_smmu_read_events(unsigned int index,
			    struct liommu_smmu_event *events,
			    unsigned int max);
int liommu_smmu_cmd_sync(unsigned int index);
/* Test only: symbol namespace LIOMMU_TEST. */
int liommu_smmu_cmd_raw(unsigned int index, const u64 cmd[2]);
int liommu_smmu_ids_in_use(unsigned int index);

/* The text of a device's debugfs file (arm-smmu-v3/debugfs.c); LIOMMU_TEST. */
int liommu_smmu_debugfs_dev(u16 segment, u32 rid, char *buf, size_t len);

/* Self-tests of the entry writer (arm-smmu-v3/writer.c). */
typedef void (*liommu_smmu_entry_observer_t)(const __le64 *live, bool is_cd,
					     void *data);
void liommu_smmu_set_entry_observer(liommu_smmu_entry_observer_t fn,
				    void *data);

/*
 * Self-tests of the CD table layouts (arm-smmu-v3/cdtab.c) on tables no
 * SMMU reads: any SubstreamID width, with or without 2-level tables.
 */
struct liommu_smmu_cdtab_test;
struct liommu_smmu_cdtab_test *liommu_smmu_test_cdtab_alloc(unsigned int bits,
							    bool two_level);
int liommu_smmu_test_cdtab_set(struct liommu_smmu_cdtab_test *tt, u32 ssid,
			       struct liommu_domain *domain,
			       unsigned int *syncs);
void liommu_smmu_test_cdtab_ste(struct liommu_smmu_cdtab_test *tt,
				unsigned int s1dss, u64 ste[8]);
void liommu_smmu_test_cdtab_free(struct liommu_smmu_cdtab_test *tt);

#endif /* _LIOMMU_SMMU_H */
