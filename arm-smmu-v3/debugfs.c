// SPDX-License-Identifier: GPL-2.0
/*
 * What the SMMU reads for each device, decoded: debugfs files under
 * /sys/kernel/debug/liommu/smmu/smmu<index>/devices/<device>.
 *
 * One file per PCI device behind an SMMU (present at load, host bridges
 * aside, as the core sees them), showing the stream's entries one line
 * each, raw words first and then every field by its name in ste.h and
 * cd.h (the field lists there, printed by liommu_debugfs_entry()):
 *
 *   device=0000:00:02.0 unit=smmu0 sid=0x10 strtab=2-level
 *   l1std index=0 raw=... SPAN=0x9 L2PTR=0x...
 *   ste raw=... V=1 CONFIG=0x5 S1FMT=0 S1CONTEXTPTR=0x... S1CDMAX=0 ...
 *   cd ssid=0 raw=... T0SZ=0x10 TG0=0 ... V=1 ... ASID=0x1 TTB0=0x... MAIR=0x...
 *
 * The CDs are found as the SMMU finds them, through the STE: with
 * Config stage 1, S1ContextPtr names one CD (S1CDMax 0), a linear table
 * or a 2-level one (then each valid level-1 descriptor has an "l1cd"
 * line); every CD that is not all zero is shown.  A nested STE's
 * S1ContextPtr is the user's intermediate physical address, which the
 * SMMU translates through stage 2: it is not followed.
 *
 * Locking: STEs, CD tables and the stream table's level-2 tables change
 * only under the unit's ste_lock (smmuv3.h, cdtab.c); a file's read takes
 * it for the whole walk, so it shows one consistent state.  The files
 * are made once the SMMUs are registered and removed before they are
 * unregistered; a read in progress holds off the removal.
 */
#define pr_fmt(fmt) "liommu-smmuv3: " fmt

#include <linux/debugfs.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include <liommu/compat.h>
#include "cd.h"
#include "smmuv3.h"
#include "ste.h"

#define SMMU_FIELD(tbl, w, f, k) {					\
	.name = #f, .word = w, .kind = LIOMMU_DEBUGFS_##k,		\
	.mask = LIOMMU_SMMU_##tbl##_##w##_##f },

static const struct liommu_debugfs_field ste_fields[] = {
	LIOMMU_SMMU_STE_FIELDS(SMMU_FIELD)
};
static const struct liommu_debugfs_field l1std_fields[] = {
	LIOMMU_SMMU_L1STD_FIELDS(SMMU_FIELD)
};
static const struct liommu_debugfs_field cd_fields[] = {
	LIOMMU_SMMU_CD_FIELDS(SMMU_FIELD)
};
static const struct liommu_debugfs_field l1cd_fields[] = {
	LIOMMU_SMMU_L1CD_FIELDS(SMMU_FIELD)
};

/* CDs per level-2 table of S1Fmt 2-level/4 KiB. */
#define CDS_PER_L2	BIT(LIOMMU_SMMU_CD_L2_SPLIT_4K)

/**
 * struct smmu_dbg_dev - one device's file
 * @unit: the SMMU in front of it
 * @sid: its StreamID
 * @name: its PCI name, the file's name
 * @node: in smmu_dbg_devs
 */
struct smmu_dbg_dev {
	struct liommu_smmu_unit *unit;
	u32 sid;
	char name[16];
	struct list_head node;
};

static struct dentry *smmu_dbg_dir;
static LIST_HEAD(smmu_dbg_devs);
static struct liommu_smmu *smmu_dbg;

static void read_words(u64 *dst, const __le64 *src, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		dst[i] = le64_to_cpu(READ_ONCE(src[i]));
}

static bool all_zero(const u64 *w, unsigned int n)
{
	while (n--)
		if (w[n])
			return false;
	return true;
}

/* A table the STE names, as the kernel maps it; NULL outside RAM. */
static const __le64 *table_at(u64 pa)
{
	return pa && pfn_valid(PHYS_PFN(pa)) ? phys_to_virt(pa) : NULL;
}

/* @n CDs from @table, for SubstreamIDs from @first; all-zero ones skipped. */
static void show_cds(struct seq_file *m, const __le64 *table, u32 first,
		     unsigned int n, bool always)
{
	u64 cd[LIOMMU_SMMU_CD_DWORDS];
	char label[32];
	unsigned int i;

	for (i = 0; i < n; i++) {
		read_words(cd, table + i * LIOMMU_SMMU_CD_DWORDS,
			   LIOMMU_SMMU_CD_DWORDS);
		if (!always && all_zero(cd, LIOMMU_SMMU_CD_DWORDS))
			continue;
		snprintf(label, sizeof(label), "cd ssid=%#x", first + i);
		liommu_debugfs_entry(m, label, cd, LIOMMU_SMMU_CD_DWORDS,
				     cd_fields, ARRAY_SIZE(cd_fields));
	}
}

/* The CDs a stage-1 STE names. */
static void show_cd_table(struct seq_file *m, const u64 *ste)
{
	unsigned int bits = FIELD_GET(LIOMMU_SMMU_STE_0_S1CDMAX, ste[0]);
	unsigned int fmt = FIELD_GET(LIOMMU_SMMU_STE_0_S1FMT, ste[0]);
	const __le64 *table, *l2;
	unsigned int i, nr_l1;
	char label[32];
	u64 l1;

	table = table_at(ste[0] & LIOMMU_SMMU_STE_0_S1CONTEXTPTR);
	if (!table) {
		seq_puts(m, "cd: S1ContextPtr is not in RAM: not read\n");
		return;
	}
	if (!bits) {
		show_cds(m, table, 0, 1, true);
		return;
	}
	if (fmt == LIOMMU_SMMU_STE_0_S1FMT_LINEAR) {
		show_cds(m, table, 0, BIT(bits), false);
		return;
	}
	if (fmt != LIOMMU_SMMU_STE_0_S1FMT_2LVL_4K ||
	    bits < LIOMMU_SMMU_CD_L2_SPLIT_4K) {
		seq_printf(m, "cd: S1Fmt %u with S1CDMax %u: not decoded\n",
			   fmt, bits);
		return;
	}
	nr_l1 = BIT(bits - LIOMMU_SMMU_CD_L2_SPLIT_4K);
	for (i = 0; i < nr_l1; i++) {
		l1 = le64_to_cpu(READ_ONCE(table[i]));
		if (!(l1 & LIOMMU_SMMU_L1CD_0_V))
			continue;
		snprintf(label, sizeof(label), "l1cd index=%#x", i);
		liommu_debugfs_entry(m, label, &l1, LIOMMU_SMMU_L1CD_DWORDS,
				     l1cd_fields, ARRAY_SIZE(l1cd_fields));
		l2 = table_at(l1 & LIOMMU_SMMU_L1CD_0_L2PTR);
		if (l2)
			show_cds(m, l2, i * CDS_PER_L2, CDS_PER_L2, false);
	}
}

/* The walk of one stream, under the unit's ste_lock. */
static void show_stream_locked(struct seq_file *m,
			       struct liommu_smmu_unit *unit, u32 sid)
{
	struct liommu_smmu_strtab *st = &unit->strtab;
	u64 ste[LIOMMU_SMMU_STE_DWORDS], l1;
	unsigned int config, idx;
	const __le64 *live;
	char label[32];

	lockdep_assert_held(&unit->ste_lock);
	if (!st->base) {
		seq_puts(m, " strtab=none\n");
		return;
	}
	seq_printf(m, " strtab=%s\n", st->two_level ? "2-level" : "linear");
	if (st->two_level && !(sid >> st->log2size)) {
		idx = sid >> st->split;
		l1 = le64_to_cpu(READ_ONCE(st->base[idx]));
		snprintf(label, sizeof(label), "l1std index=%#x", idx);
		liommu_debugfs_entry(m, label, &l1, LIOMMU_SMMU_L1STD_DWORDS,
				     l1std_fields, ARRAY_SIZE(l1std_fields));
	}
	live = liommu_smmu_ste_ptr(unit, sid);
	if (!live) {
		seq_puts(m, "ste: no table holds it (invalid to the SMMU)\n");
		return;
	}
	read_words(ste, live, LIOMMU_SMMU_STE_DWORDS);
	liommu_debugfs_entry(m, "ste", ste, LIOMMU_SMMU_STE_DWORDS, ste_fields,
			     ARRAY_SIZE(ste_fields));
	if (!(ste[0] & LIOMMU_SMMU_STE_0_V))
		return;
	config = FIELD_GET(LIOMMU_SMMU_STE_0_CONFIG, ste[0]);
	if (config == LIOMMU_SMMU_STE_0_CONFIG_S1_TRANS)
		show_cd_table(m, ste);
	else if (config == LIOMMU_SMMU_STE_0_CONFIG_NESTED)
		seq_puts(m, "cd: S1ContextPtr is the user's (an IPA through stage 2): not read\n");
}

static int smmu_dbg_dev_show(struct seq_file *m, void *unused)
{
	const struct smmu_dbg_dev *dd = m->private;
	struct liommu_smmu_unit *unit = dd->unit;

	seq_printf(m, "device=%s unit=smmu%u sid=%#x", dd->name, unit->index,
		   dd->sid);
	mutex_lock(&unit->ste_lock);
	show_stream_locked(m, unit, dd->sid);
	mutex_unlock(&unit->ste_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(smmu_dbg_dev);

/* The device's SMMU and StreamID, when an enabled SMMU serves it. */
static int dbg_lookup(u16 segment, u32 rid, struct smmu_dbg_dev *dd)
{
	unsigned int index;

	if (!smmu_dbg ||
	    liommu_smmu_map_lookup(smmu_dbg, segment, rid, &index, &dd->sid) ||
	    index >= smmu_dbg->nr_units || !smmu_dbg->units[index].enabled)
		return -ENOENT;
	dd->unit = &smmu_dbg->units[index];
	return 0;
}

/**
 * liommu_smmu_debugfs_dev() - the text of one device's debugfs file
 * @segment: the device's PCI segment
 * @rid: its requester ID (bus << 8 | devfn)
 * @buf: where the text goes, NUL-terminated
 * @len: room in @buf
 *
 * What /sys/kernel/debug/liommu/smmu/smmu<n>/devices/<device> shows, by
 * the same code, for the self-tests (a module cannot read a debugfs
 * file).
 *
 * Context: process; takes the SMMU's ste_lock.
 * Return: the length of the text; -ENOENT if no enabled SMMU serves the
 * device; -EINVAL for a NULL @buf; -ENOSPC when the text did not fit.
 */
int liommu_smmu_debugfs_dev(u16 segment, u32 rid, char *buf, size_t len)
{
	struct smmu_dbg_dev dd = {};

	if (!buf)
		return -EINVAL;
	if (dbg_lookup(segment, rid, &dd))
		return -ENOENT;
	snprintf(dd.name, sizeof(dd.name), "%04x:%02x:%02x.%u", segment,
		 PCI_BUS_NUM(rid), PCI_SLOT(rid & 0xff), PCI_FUNC(rid & 0xff));
	return liommu_debugfs_text(smmu_dbg_dev_show, &dd, buf, len);
}
LIOMMU_TEST_EXPORT(liommu_smmu_debugfs_dev);

/**
 * liommu_smmu_debugfs_init() - make the SMMUs' debugfs files
 * @smmu: every SMMU, enabled and registered
 *
 * Not fatal: without debugfs (or memory for a file) the driver works
 * the same.
 */
void liommu_smmu_debugfs_init(struct liommu_smmu *smmu)
{
	struct dentry *top, *ddir[LIOMMU_SMMU_MAX_UNITS] = {};
	struct pci_dev *pdev = NULL;
	struct smmu_dbg_dev *dd;
	char name[16];
	unsigned int i;

	smmu_dbg = smmu;
	top = liommu_debugfs_vendor_dir("smmu");
	if (IS_ERR_OR_NULL(top))
		return;
	smmu_dbg_dir = top;
	for (i = 0; i < smmu->nr_units; i++) {
		if (!smmu->units[i].enabled)
			continue;
		snprintf(name, sizeof(name), "smmu%u", i);
		ddir[i] = debugfs_create_dir("devices",
					     debugfs_create_dir(name, top));
	}
	for_each_pci_dev(pdev) {
		struct smmu_dbg_dev probe = {};

		/* A host bridge masters no DMA: the core leaves it out too. */
		if ((pdev->class >> 8) == PCI_CLASS_BRIDGE_HOST ||
		    dbg_lookup(pci_domain_nr(pdev->bus), pci_dev_id(pdev),
			       &probe))
			continue;
		dd = kmemdup(&probe, sizeof(probe), GFP_KERNEL);
		if (!dd) {
			pr_warn("debugfs: no memory for %s's file\n",
				pci_name(pdev));
			pci_dev_put(pdev);
			break;
		}
		strscpy(dd->name, pci_name(pdev), sizeof(dd->name));
		list_add_tail(&dd->node, &smmu_dbg_devs);
		debugfs_create_file(dd->name, 0444, ddir[dd->unit->index], dd,
				    &smmu_dbg_dev_fops);
	}
}

/**
 * liommu_smmu_debugfs_exit() - remove the files, before the SMMUs go
 */
void liommu_smmu_debugfs_exit(void)
{
	struct smmu_dbg_dev *dd, *next;

	debugfs_remove_recursive(smmu_dbg_dir);
	smmu_dbg_dir = NULL;
	smmu_dbg = NULL;
	list_for_each_entry_safe(dd, next, &smmu_dbg_devs, node) {
		list_del(&dd->node);
		kfree(dd);
	}
}
