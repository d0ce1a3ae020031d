// SPDX-License-Identifier: GPL-2.0
/*
 * What the unit reads for each device, decoded: debugfs files under
 * /sys/kernel/debug/liommu/vtd/<unit>/devices/<device>.
 *
 * One file per PCI device a unit serves (present at load), showing the
 * entries the unit walks for that requester, one line each, raw words
 * first and then every field by its name in tables.h (the field lists
 * there, printed by liommu_debugfs_entry()):
 *
 *   device=0000:00:02.0 unit=vtd0 sid=0x10 mode=scalable rtaddr=0x... ttm=0x1
 *   root bus=0x0 raw=... LP=1 LCTP=0x... UP=0 UCTP=0
 *   context devfn=0x10 raw=... P=1 ... PDTS=0 PASIDDIRPTR=0x... RID_PASID=0
 *   pasid-dir index=0 raw=... P=1 FPD=0 SMPTBLPTR=0x...
 *   pasid pasid=0 raw=... P=1 ... PGTT=0x2 ... SSPTPTR=0x... DID=0x3 ...
 *
 * Legacy mode has the root and context lines only (the legacy formats).
 * Scalable mode adds every PASID directory entry present and, below
 * each, every PASID table entry that is not all zero: the PASIDs in use
 * (RID_PASID's, and each PASID attached).  Nothing is followed that the
 * unit would not follow: an entry not present ends the walk there.
 *
 * Locking: entries change only under the unit's entry_lock (vtd.h, and
 * pasid.c: a PASID directory can move); a file's read takes it for the
 * whole walk, so it shows one consistent state.  The files are made once
 * the units are registered and removed before they are unregistered; a
 * read in progress holds off the removal (debugfs_remove_recursive()).
 */
#define pr_fmt(fmt) "liommu-vtd: " fmt

#include <linux/debugfs.h>
#include <linux/io.h>
#include <linux/list.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include <liommu/compat.h>
#include "regs.h"
#include "tables.h"
#include "vtd.h"

#define VTD_FIELD(fmt, w, f, k) {					\
	.name = #f, .word = w, .kind = LIOMMU_DEBUGFS_##k,		\
	.mask = LIOMMU_VTD_##fmt##_##w##_##f },

static const struct liommu_debugfs_field root_fields[] = {
	LIOMMU_VTD_ROOT_FIELDS(VTD_FIELD)
};
static const struct liommu_debugfs_field sm_root_fields[] = {
	LIOMMU_VTD_SM_ROOT_FIELDS(VTD_FIELD)
};
static const struct liommu_debugfs_field ctx_fields[] = {
	LIOMMU_VTD_CTX_FIELDS(VTD_FIELD)
};
static const struct liommu_debugfs_field sm_ctx_fields[] = {
	LIOMMU_VTD_SM_CTX_FIELDS(VTD_FIELD)
};
static const struct liommu_debugfs_field pdir_fields[] = {
	LIOMMU_VTD_PDIR_FIELDS(VTD_FIELD)
};
static const struct liommu_debugfs_field pasid_fields[] = {
	LIOMMU_VTD_PASID_FIELDS(VTD_FIELD)
};

/**
 * struct vtd_dbg_dev - one device's file
 * @unit: the unit that serves it
 * @bus: its bus number
 * @devfn: its device and function
 * @name: its PCI name, the file's name
 * @node: in vtd_dbg_devs
 */
struct vtd_dbg_dev {
	struct liommu_vtd_unit *unit;
	u8 bus;
	u8 devfn;
	char name[16];
	struct list_head node;
};

static struct dentry *vtd_dbg_dir;
static LIST_HEAD(vtd_dbg_devs);
static struct liommu_vtd_dmar *vtd_dbg_dmar;

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

/* The PASID table entries in use under one present directory entry. */
static void show_pasid_table(struct seq_file *m, u64 pdir, unsigned int dir)
{
	u64 e[LIOMMU_VTD_PASID_WORDS];
	const __le64 *table;
	unsigned int i;
	char label[32];

	table = phys_to_virt(pdir & LIOMMU_VTD_PDIR_0_SMPTBLPTR);
	for (i = 0; i < LIOMMU_VTD_PASID_PER_TABLE; i++) {
		read_words(e, table + i * LIOMMU_VTD_PASID_WORDS,
			   LIOMMU_VTD_PASID_WORDS);
		if (all_zero(e, LIOMMU_VTD_PASID_WORDS))
			continue;
		snprintf(label, sizeof(label), "pasid pasid=%#x",
			 dir * LIOMMU_VTD_PASID_PER_TABLE + i);
		liommu_debugfs_entry(m, label, e, LIOMMU_VTD_PASID_WORDS,
				     pasid_fields, ARRAY_SIZE(pasid_fields));
	}
}

/* Scalable mode: the device's PASID directory and the tables below it. */
static void show_pasid_dir(struct seq_file *m, const u64 *ctx)
{
	unsigned int i, n;
	const __le64 *dir;
	char label[32];
	u64 pdir;

	n = LIOMMU_VTD_PDTS_ENTRIES(FIELD_GET(LIOMMU_VTD_SM_CTX_0_PDTS, ctx[0]));
	dir = phys_to_virt(ctx[0] & LIOMMU_VTD_SM_CTX_0_PASIDDIRPTR);
	for (i = 0; i < n; i++) {
		pdir = le64_to_cpu(READ_ONCE(dir[i]));
		if (!(pdir & LIOMMU_VTD_PDIR_0_P))
			continue;
		snprintf(label, sizeof(label), "pasid-dir index=%#x", i);
		liommu_debugfs_entry(m, label, &pdir, 1, pdir_fields,
				     ARRAY_SIZE(pdir_fields));
		show_pasid_table(m, pdir, i);
	}
}

/* The walk of one requester, under the unit's entry_lock. */
static void show_dev_locked(struct seq_file *m, struct liommu_vtd_unit *unit,
			    u8 bus, u8 devfn)
{
	bool sm = unit->scalable_on;
	unsigned int half = sm && devfn >= LIOMMU_VTD_SM_ROOT_DEVFNS;
	u64 root[LIOMMU_VTD_ROOT_WORDS], ctx[LIOMMU_VTD_SM_CTX_WORDS] = {};
	unsigned int ctx_words;
	const __le64 *table;
	char label[32];
	u64 rtaddr;

	lockdep_assert_held(&unit->entry_lock);
	if (!unit->root || !unit->regs) {
		seq_puts(m, " tables=none\n");
		return;
	}
	rtaddr = readq(unit->regs + LIOMMU_VTD_REG_RTADDR);
	seq_printf(m, " mode=%s rtaddr=%#llx ttm=%#llx\n",
		   sm ? "scalable" : "legacy", rtaddr,
		   FIELD_GET(LIOMMU_VTD_RTADDR_TTM, rtaddr));

	read_words(root, unit->root + bus * LIOMMU_VTD_ROOT_WORDS,
		   LIOMMU_VTD_ROOT_WORDS);
	snprintf(label, sizeof(label), "root bus=%#x", bus);
	if (sm)
		liommu_debugfs_entry(m, label, root, LIOMMU_VTD_ROOT_WORDS,
				     sm_root_fields,
				     ARRAY_SIZE(sm_root_fields));
	else
		liommu_debugfs_entry(m, label, root, LIOMMU_VTD_ROOT_WORDS,
				     root_fields, ARRAY_SIZE(root_fields));
	/* LP/LCTP and UP/UCTP have the legacy P/CTP layout, one per word. */
	if (!(root[half] & LIOMMU_VTD_ROOT_0_P))
		return;

	table = phys_to_virt(root[half] & LIOMMU_VTD_ROOT_0_CTP);
	ctx_words = sm ? LIOMMU_VTD_SM_CTX_WORDS : LIOMMU_VTD_CTX_WORDS;
	read_words(ctx, table + (sm ? devfn % LIOMMU_VTD_SM_ROOT_DEVFNS :
					  devfn) * ctx_words, ctx_words);
	snprintf(label, sizeof(label), "context devfn=%#x", devfn);
	if (sm)
		liommu_debugfs_entry(m, label, ctx, ctx_words, sm_ctx_fields,
				     ARRAY_SIZE(sm_ctx_fields));
	else
		liommu_debugfs_entry(m, label, ctx, ctx_words, ctx_fields,
				     ARRAY_SIZE(ctx_fields));
	if (sm && (ctx[0] & LIOMMU_VTD_SM_CTX_0_P))
		show_pasid_dir(m, ctx);
}

static int vtd_dbg_dev_show(struct seq_file *m, void *unused)
{
	const struct vtd_dbg_dev *dd = m->private;
	struct liommu_vtd_unit *unit = dd->unit;

	seq_printf(m, "device=%s unit=%s sid=%#x", dd->name, unit->name,
		   PCI_DEVID(dd->bus, dd->devfn));
	mutex_lock(&unit->entry_lock);
	show_dev_locked(m, unit, dd->bus, dd->devfn);
	mutex_unlock(&unit->entry_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vtd_dbg_dev);

/**
 * liommu_vtd_debugfs_dev() - the text of one device's debugfs file
 * @index: unit index
 * @bus: the device's bus number
 * @devfn: its device and function
 * @buf: where the text goes, NUL-terminated
 * @len: room in @buf
 *
 * What /sys/kernel/debug/liommu/vtd/<unit>/devices/<device> shows, by
 * the same code, for the self-tests (a module cannot read a debugfs
 * file).
 *
 * Context: process; takes the unit's entry_lock.
 * Return: the length of the text; -ENOENT if there is no such enabled
 * unit; -EINVAL for a NULL @buf; -ENOSPC when the text did not fit.
 */
int liommu_vtd_debugfs_dev(unsigned int index, u8 bus, u8 devfn, char *buf,
			   size_t len)
{
	struct vtd_dbg_dev dd = { .bus = bus, .devfn = devfn };

	if (!buf)
		return -EINVAL;
	if (!vtd_dbg_dmar || index >= vtd_dbg_dmar->nr_units ||
	    !vtd_dbg_dmar->units[index].enabled)
		return -ENOENT;
	dd.unit = &vtd_dbg_dmar->units[index];
	snprintf(dd.name, sizeof(dd.name), "%04x:%02x:%02x.%u",
		 dd.unit->segment, bus, PCI_SLOT(devfn), PCI_FUNC(devfn));
	return liommu_debugfs_text(vtd_dbg_dev_show, &dd, buf, len);
}
LIOMMU_TEST_EXPORT(liommu_vtd_debugfs_dev);

static int add_dev(struct dentry *dir, struct liommu_vtd_unit *unit,
		   struct pci_dev *pdev)
{
	struct vtd_dbg_dev *dd = kzalloc(sizeof(*dd), GFP_KERNEL);

	if (!dd)
		return -ENOMEM;
	dd->unit = unit;
	dd->bus = pdev->bus->number;
	dd->devfn = pdev->devfn;
	strscpy(dd->name, pci_name(pdev), sizeof(dd->name));
	list_add_tail(&dd->node, &vtd_dbg_devs);
	debugfs_create_file(dd->name, 0444, dir, dd, &vtd_dbg_dev_fops);
	return 0;
}

/**
 * liommu_vtd_debugfs_init() - make the units' debugfs files
 * @dmar: every unit, enabled and registered
 *
 * Not fatal: without debugfs (or memory for a file) the driver works
 * the same, and says so once.
 */
void liommu_vtd_debugfs_init(struct liommu_vtd_dmar *dmar)
{
	struct dentry *top, *udir, *ddir;
	struct pci_dev *pdev = NULL;
	unsigned int i;

	vtd_dbg_dmar = dmar;
	top = liommu_debugfs_vendor_dir("vtd");
	if (IS_ERR_OR_NULL(top))
		return;
	vtd_dbg_dir = top;
	for (i = 0; i < dmar->nr_units; i++) {
		struct liommu_vtd_unit *unit = &dmar->units[i];

		if (!unit->enabled)
			continue;
		udir = debugfs_create_dir(unit->name, top);
		ddir = debugfs_create_dir("devices", udir);
		for_each_pci_dev(pdev) {
			if (!liommu_vtd_unit_serves(dmar, unit, pdev))
				continue;
			if (add_dev(ddir, unit, pdev)) {
				pr_warn("debugfs: no memory for %s's file\n",
					pci_name(pdev));
				pci_dev_put(pdev);
				break;
			}
		}
	}
}

/**
 * liommu_vtd_debugfs_exit() - remove the files, before the units go
 */
void liommu_vtd_debugfs_exit(void)
{
	struct vtd_dbg_dev *dd, *next;

	debugfs_remove_recursive(vtd_dbg_dir);
	vtd_dbg_dir = NULL;
	vtd_dbg_dmar = NULL;
	list_for_each_entry_safe(dd, next, &vtd_dbg_devs, node) {
		list_del(&dd->node);
		kfree(dd);
	}
}
