// SPDX-License-Identifier: GPL-2.0
/*
 * A read-only view of the core's objects under /sys/kernel/debug/liommu/:
 *
 *  units	one line per registered unit: its name, device, PASID width,
 *		aperture and output-address width;
 *  devices	one line per translated device: its unit, group, the domain
 *		it uses now and its PASID width;
 *  groups	one line per group: members, flags, current and default
 *		domain;
 *  domains	one line per domain some group uses now: type, owner, page
 *		sizes, aperture, users (groups) and reserved ranges;
 *  translate	write "<device> <iova>", read back what that IOVA of the
 *		device's current domain translates to, page by page for the
 *		following pages of the same mapping run (iova_to_phys of the
 *		domain's vendor);
 *  walk	write "<domain> <iova>", read back the walk of that IOVA
 *		through the domain's page table, one line per level: the
 *		table, the index, the raw entry and what it is
 *		(liommu_pt_walk_steps()).
 *  faults	one line per unit: its fault queue's counters and the last
 *		fault queued ("last=<device>:<r|w>:<address>"), for tests that
 *		must not depend on the rate-limited fault messages;
 *  stats	the core's live objects: "iommus= devices= groups= domains=
 *		table_pages= allocs=" (liommu_core_get_stats());
 *  fail_nth	write n to make the n-th next failure-injection point fail
 *		(liommu_fail_point(), in the core and the vendor drivers;
 *		0 disarms); read "remaining=<countdown> site=<name>", the
 *		point that failed since, or "-": the sweep of module loads in
 *		selftests/guest/45-failnth-load.sh.  Writable by root only,
 *		the one file here that changes behaviour.
 *
 *  vtd/, smmu/	the vendor modules' own folders
 *		(liommu_debugfs_vendor_dir()): their table entries decoded
 *		field by field (liommu_debugfs_entry()), intel/debugfs.c and
 *		arm-smmu-v3/debugfs.c.
 *
 * Domains are named by a hashed pointer (%p), stable for one boot: the
 * same name in devices, groups and domains is the same domain.  Nothing
 * here changes an object; every file is made at module load and removed
 * at unload.
 *
 * Locks: each file takes liommu_table_lock (the unit list and the life
 * of every state), then a group's mutex for its domain fields: the order
 * of priv.h.  A domain shown is pinned by the group that uses it while
 * that group's mutex is held.
 */
#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <liommu/pgtable.h>

#include "priv.h"

/*
 * A file read through seq_file (liommu_dbg_<name>_show) and written by
 * liommu_dbg_<name>_write: its open and file operations.
 */
#define LIOMMU_DBG_RW_FOPS(name)					\
static int liommu_dbg_##name##_open(struct inode *inode, struct file *file) \
{									\
	return single_open(file, liommu_dbg_##name##_show, NULL);	\
}									\
									\
static const struct file_operations liommu_dbg_##name##_fops = {	\
	.owner = THIS_MODULE,						\
	.open = liommu_dbg_##name##_open,				\
	.read = seq_read,						\
	.llseek = seq_lseek,						\
	.release = single_release,					\
	.write = liommu_dbg_##name##_write,				\
}

static struct dentry *liommu_debugfs_root;

/* The last "<device> <iova>" written to translate, under the table lock. */
static char liommu_dbg_dev[64];
static u64 liommu_dbg_iova;

static const char *const liommu_dbg_types[] = {
	[LIOMMU_DOMAIN_BLOCKED] = "blocked",
	[LIOMMU_DOMAIN_IDENTITY] = "identity",
	[LIOMMU_DOMAIN_PAGING] = "paging",
	[LIOMMU_DOMAIN_NESTED] = "nested",
	[LIOMMU_DOMAIN_SVA] = "sva",
};

static const char *liommu_dbg_type(const struct liommu_domain *domain)
{
	if (!domain)
		return "none";
	if (domain->type >= ARRAY_SIZE(liommu_dbg_types))
		return "unknown";
	return liommu_dbg_types[domain->type];
}

static int liommu_dbg_units_show(struct seq_file *m, void *unused)
{
	struct liommu_device *iommu;

	mutex_lock(&liommu_table_lock);
	list_for_each_entry(iommu, &liommu_iommus, node)
		seq_printf(m, "%s dev=%s max_pasid_bits=%u aperture=%#llx-%#llx oa_bits=%u\n",
			   iommu->name, iommu->dev ? dev_name(iommu->dev) : "-",
			   iommu->max_pasid_bits,
			   (u64)iommu->geometry.aperture_start,
			   (u64)iommu->geometry.aperture_end, iommu->oa_bits);
	mutex_unlock(&liommu_table_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(liommu_dbg_units);

static int liommu_dbg_faults_show(struct seq_file *m, void *unused)
{
	struct liommu_device *iommu;

	mutex_lock(&liommu_table_lock);
	list_for_each_entry(iommu, &liommu_iommus, node)
		liommu_iopf_show(m, iommu);
	mutex_unlock(&liommu_table_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(liommu_dbg_faults);

static void liommu_dbg_dev_line(struct liommu_dev *ldev, void *data)
{
	struct seq_file *m = data;
	struct liommu_group *group = ldev->group;

	mutex_lock(&group->mutex);
	seq_printf(m, "%s unit=%s group=%d domain=%s:%p pasid_bits=%u\n",
		   dev_name(ldev->dev), ldev->iommu->name, group->id,
		   liommu_dbg_type(group->domain), group->domain,
		   ldev->pasid_bits);
	mutex_unlock(&group->mutex);
}

static int liommu_dbg_devices_show(struct seq_file *m, void *unused)
{
	mutex_lock(&liommu_table_lock);
	liommu_for_each_dev(liommu_dbg_dev_line, m);
	mutex_unlock(&liommu_table_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(liommu_dbg_devices);

/*
 * Groups and domains are reached through the devices; a group (or a
 * domain) with several members is printed once, at its first member.
 */
static bool liommu_dbg_first_member(struct liommu_dev *ldev)
{
	return list_first_entry(&ldev->group->devices, struct liommu_dev,
				group_node) == ldev;
}

static void liommu_dbg_group_line(struct liommu_dev *ldev, void *data)
{
	struct seq_file *m = data;
	struct liommu_group *group = ldev->group;
	struct liommu_dev *member;

	mutex_lock(&group->mutex);
	if (!liommu_dbg_first_member(ldev))
		goto out_unlock;
	seq_printf(m, "%d unit=%s devices=%u singleton=%d owned=%d domain=%s:%p default=%s:%p members=",
		   group->id, group->iommu ? group->iommu->name : "-",
		   group->nr_devices, group->immutable_singleton, group->owned,
		   liommu_dbg_type(group->domain), group->domain,
		   liommu_dbg_type(group->default_domain),
		   group->default_domain);
	list_for_each_entry(member, &group->devices, group_node)
		seq_printf(m, "%s%s", dev_name(member->dev),
			   list_is_last(&member->group_node, &group->devices) ?
			   "" : ",");
	seq_putc(m, '\n');
out_unlock:
	mutex_unlock(&group->mutex);
}

static int liommu_dbg_groups_show(struct seq_file *m, void *unused)
{
	mutex_lock(&liommu_table_lock);
	liommu_for_each_dev(liommu_dbg_group_line, m);
	mutex_unlock(&liommu_table_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(liommu_dbg_groups);

/*
 * A domain is shown once, at the first group found using it; @users says
 * how many groups do.  Only pointers are kept across groups (to skip
 * domains already shown): a domain's fields are read only under the
 * mutex of a group that uses it, which pins it.
 */
#define LIOMMU_DBG_MAX_SEEN	128

struct liommu_dbg_domains {
	struct seq_file *m;
	const struct liommu_domain **seen;
	unsigned int nr_seen;
};

static bool liommu_dbg_seen(struct liommu_dbg_domains *dd,
			    const struct liommu_domain *domain)
{
	unsigned int i;

	for (i = 0; i < dd->nr_seen; i++)
		if (dd->seen[i] == domain)
			return true;
	if (dd->seen && dd->nr_seen < LIOMMU_DBG_MAX_SEEN)
		dd->seen[dd->nr_seen++] = domain;
	return false;
}

static void liommu_dbg_domain_line(struct liommu_dev *ldev, void *data)
{
	struct liommu_dbg_domains *dd = data;
	struct liommu_group *group = ldev->group;
	struct seq_file *m = dd->m;
	struct liommu_domain *domain;
	unsigned int i;

	mutex_lock(&group->mutex);
	domain = group->domain;
	if (!domain || !liommu_dbg_first_member(ldev) ||
	    liommu_dbg_seen(dd, domain))
		goto out_unlock;
	seq_printf(m, "%s:%p group=%d unit=%s owner=%s static=%d users=%d pgsizes=%#lx aperture=%#llx-%#llx",
		   liommu_dbg_type(domain), domain, group->id,
		   domain->iommu ? domain->iommu->name : "-",
		   domain->owner == LIOMMU_OWNER_USER ? "user" : "kernel",
		   !!(domain->flags & LIOMMU_DOMAIN_F_STATIC),
		   liommu_domain_users(domain), domain->pgsize_bitmap,
		   (u64)domain->geometry.aperture_start,
		   (u64)domain->geometry.aperture_end);
	for (i = 0; i < domain->nr_resv && i < LIOMMU_MAX_RESV; i++)
		seq_printf(m, " resv=%#llx-%#llx:%s", domain->resv[i].start,
			   domain->resv[i].last,
			   domain->resv[i].type == LIOMMU_RESV_MSI ? "msi" :
			   "reserved");
	seq_putc(m, '\n');
out_unlock:
	mutex_unlock(&group->mutex);
}

static int liommu_dbg_domains_show(struct seq_file *m, void *unused)
{
	struct liommu_dbg_domains dd = { .m = m };

	/* Without the array a shared domain is shown once per group. */
	dd.seen = kcalloc(LIOMMU_DBG_MAX_SEEN, sizeof(*dd.seen), GFP_KERNEL);
	mutex_lock(&liommu_table_lock);
	liommu_for_each_dev(liommu_dbg_domain_line, &dd);
	mutex_unlock(&liommu_table_lock);
	kfree(dd.seen);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(liommu_dbg_domains);

/* Pages of one run shown after the IOVA asked for. */
#define LIOMMU_DBG_RUN	8

struct liommu_dbg_translate {
	struct seq_file *m;
	bool found;
};

static void liommu_dbg_translate_dev(struct liommu_dev *ldev, void *data)
{
	struct liommu_dbg_translate *tr = data;
	struct liommu_group *group = ldev->group;
	struct liommu_domain *domain;
	struct seq_file *m = tr->m;
	u64 iova = liommu_dbg_iova & PAGE_MASK;
	phys_addr_t pa;
	unsigned int i;

	if (tr->found || strcmp(dev_name(ldev->dev), liommu_dbg_dev))
		return;
	tr->found = true;
	mutex_lock(&group->mutex);
	domain = group->domain;
	seq_printf(m, "%s domain=%s:%p\n", liommu_dbg_dev,
		   liommu_dbg_type(domain), domain);
	if (!domain || domain->type == LIOMMU_DOMAIN_BLOCKED) {
		seq_puts(m, "blocked: no IOVA translates\n");
	} else if (domain->type == LIOMMU_DOMAIN_IDENTITY) {
		seq_printf(m, "%#llx -> %#llx identity\n", liommu_dbg_iova,
			   liommu_dbg_iova);
	} else if (!domain->ops || !domain->ops->iova_to_phys) {
		seq_puts(m, "the domain cannot be looked up\n");
	} else {
		for (i = 0; i < LIOMMU_DBG_RUN; i++) {
			pa = domain->ops->iova_to_phys(domain,
						       iova + i * PAGE_SIZE);
			if (!pa) {
				seq_printf(m, "%#llx -> not mapped\n",
					   iova + i * PAGE_SIZE);
				break;
			}
			seq_printf(m, "%#llx -> %pa\n", iova + i * PAGE_SIZE,
				   &pa);
		}
	}
	mutex_unlock(&group->mutex);
}

static int liommu_dbg_translate_show(struct seq_file *m, void *unused)
{
	struct liommu_dbg_translate tr = { .m = m };

	mutex_lock(&liommu_table_lock);
	if (!liommu_dbg_dev[0])
		seq_puts(m, "write \"<device> <iova>\" first\n");
	else
		liommu_for_each_dev(liommu_dbg_translate_dev, &tr);
	if (liommu_dbg_dev[0] && !tr.found)
		seq_printf(m, "%s: not translated by liommu\n", liommu_dbg_dev);
	mutex_unlock(&liommu_table_lock);
	return 0;
}

/* A "<name> <hex iova>" request written to translate or walk. */
static int liommu_dbg_parse_request(const char __user *ubuf, size_t len,
				    char name[64], u64 *iova)
{
	char buf[96];

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	if (sscanf(buf, "%63s %llx", name, iova) != 2)
		return -EINVAL;
	return 0;
}

static ssize_t liommu_dbg_translate_write(struct file *file,
					  const char __user *ubuf,
					  size_t len, loff_t *ppos)
{
	char name[64];
	u64 iova;
	int err = liommu_dbg_parse_request(ubuf, len, name, &iova);

	if (err)
		return err;
	mutex_lock(&liommu_table_lock);
	strscpy(liommu_dbg_dev, name, sizeof(liommu_dbg_dev));
	liommu_dbg_iova = iova;
	mutex_unlock(&liommu_table_lock);
	return len;
}

LIOMMU_DBG_RW_FOPS(translate);

/* The last "<domain> <iova>" written to walk, under the table lock. */
static char liommu_dbg_walk_dom[64];
static u64 liommu_dbg_walk_iova;

struct liommu_dbg_walk {
	struct seq_file *m;
	bool found;
};

/* The walk's lines for @iova of paging @domain, after the request line. */
static void liommu_dbg_walk_show_steps(struct seq_file *m,
				       struct liommu_domain *domain, u64 iova)
{
	struct liommu_pt_step steps[LIOMMU_PT_MAX_STEPS];
	struct liommu_pt *pt = domain->pt;
	unsigned long flags;
	unsigned int i, n;

	if (!pt) {
		seq_puts(m, "no page table of the core's walker\n");
		return;
	}
	seq_printf(m, "format=%s levels=%u root=%#llx\n", pt->fmt->name,
		   pt->levels, (u64)virt_to_phys(pt->root));
	spin_lock_irqsave(&domain->sync_lock, flags);
	n = liommu_pt_walk_steps(pt, iova, steps, ARRAY_SIZE(steps));
	spin_unlock_irqrestore(&domain->sync_lock, flags);
	for (i = 0; i < n; i++) {
		struct liommu_pt_step *s = &steps[i];

		seq_printf(m, "level=%u table=%#llx index=%u entry=%#018llx",
			   s->level, (u64)s->table, s->index, s->entry);
		if (!s->present)
			seq_puts(m, " not-present\n");
		else if (!s->leaf)
			seq_printf(m, " next=%#llx\n", (u64)s->oa);
		else
			seq_printf(m, " leaf size=%#zx prot=%s%s pa=%#llx\n",
				   s->size, s->prot & LIOMMU_READ ? "r" : "-",
				   s->prot & LIOMMU_WRITE ? "w" : "-",
				   (u64)s->oa);
	}
	if (!n)
		seq_puts(m, "outside the table's reach\n");
	else if (!steps[n - 1].leaf)
		seq_puts(m, "not mapped\n");
}

/**
 * liommu_debugfs_walk() - the walk file's lines for one IOVA of a domain
 * @domain: a paging domain
 * @iova: the address
 * @buf: where the text goes, NUL-terminated
 * @len: room in @buf
 *
 * What ``/sys/kernel/debug/liommu/walk`` shows after its request line,
 * for a caller that holds the domain itself (the self-tests compare it
 * with the table they programmed).  Takes the domain's sync_lock.
 *
 * Context: any.
 * Return: the length of the text, or -ENOSPC when it did not fit.
 */
int liommu_debugfs_walk(struct liommu_domain *domain, u64 iova, char *buf,
			size_t len)
{
	struct seq_file m = { .buf = buf, .size = len ? len - 1 : 0 };

	if (!len)
		return -ENOSPC;
	liommu_dbg_walk_show_steps(&m, domain, iova);
	if (seq_has_overflowed(&m))
		return -ENOSPC;
	buf[m.count] = '\0';
	return m.count;
}
LIOMMU_EXPORT(liommu_debugfs_walk);

static void liommu_dbg_walk_dev(struct liommu_dev *ldev, void *data)
{
	struct liommu_dbg_walk *w = data;
	struct liommu_group *group = ldev->group;
	struct liommu_domain *domain;
	char name[64];

	if (w->found)
		return;
	mutex_lock(&group->mutex);
	domain = group->domain;
	snprintf(name, sizeof(name), "%s:%p", liommu_dbg_type(domain), domain);
	if (domain && !strcmp(name, liommu_dbg_walk_dom)) {
		w->found = true;
		seq_printf(w->m, "%s iova=%#llx\n", name, liommu_dbg_walk_iova);
		if (domain->type == LIOMMU_DOMAIN_PAGING)
			liommu_dbg_walk_show_steps(w->m, domain,
						   liommu_dbg_walk_iova);
		else
			seq_puts(w->m, "not a paging domain: no table to walk\n");
	}
	mutex_unlock(&group->mutex);
}

static int liommu_dbg_walk_show(struct seq_file *m, void *unused)
{
	struct liommu_dbg_walk w = { .m = m };

	mutex_lock(&liommu_table_lock);
	if (!liommu_dbg_walk_dom[0])
		seq_puts(m, "write \"<domain> <iova>\" first\n");
	else
		liommu_for_each_dev(liommu_dbg_walk_dev, &w);
	if (liommu_dbg_walk_dom[0] && !w.found)
		seq_printf(m, "%s: no group uses this domain\n",
			   liommu_dbg_walk_dom);
	mutex_unlock(&liommu_table_lock);
	return 0;
}

static ssize_t liommu_dbg_walk_write(struct file *file,
				     const char __user *ubuf, size_t len,
				     loff_t *ppos)
{
	char name[64];
	u64 iova;
	int err = liommu_dbg_parse_request(ubuf, len, name, &iova);

	if (err)
		return err;
	mutex_lock(&liommu_table_lock);
	strscpy(liommu_dbg_walk_dom, name, sizeof(liommu_dbg_walk_dom));
	liommu_dbg_walk_iova = iova;
	mutex_unlock(&liommu_table_lock);
	return len;
}

LIOMMU_DBG_RW_FOPS(walk);

static int liommu_dbg_stats_show(struct seq_file *m, void *unused)
{
	struct liommu_core_stats s;

	liommu_core_get_stats(&s);
	seq_printf(m, "iommus=%ld devices=%ld groups=%ld domains=%ld table_pages=%ld allocs=%ld\n",
		   s.iommus, s.devices, s.groups, s.domains, s.table_pages,
		   s.allocs);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(liommu_dbg_stats);

static int liommu_dbg_fail_nth_show(struct seq_file *m, void *unused)
{
	unsigned int remaining;
	const char *site = liommu_core_fail_site(&remaining);

	seq_printf(m, "remaining=%u site=%s\n", remaining, site ?: "-");
	return 0;
}

static ssize_t liommu_dbg_fail_nth_write(struct file *file,
					 const char __user *ubuf, size_t len,
					 loff_t *ppos)
{
	unsigned int n;
	int err = kstrtouint_from_user(ubuf, len, 0, &n);

	if (err)
		return err;
	liommu_core_fail_nth(n);
	return len;
}

LIOMMU_DBG_RW_FOPS(fail_nth);

/**
 * liommu_debugfs_vendor_dir() - a vendor module's folder under liommu/
 * @name: the folder's name ("vtd", "smmu")
 *
 * The vendor puts its files there and removes the folder with
 * debugfs_remove_recursive() before it unloads; the core's folder
 * outlives it (a vendor module depends on the core).
 *
 * Context: process.
 * Return: the folder; an ERR_PTR when the core has no debugfs folder
 * (debugfs missing or not enabled), which the caller may ignore.
 */
struct dentry *liommu_debugfs_vendor_dir(const char *name)
{
	if (!liommu_debugfs_root)
		return ERR_PTR(-ENODEV);
	return debugfs_create_dir(name, liommu_debugfs_root);
}
LIOMMU_EXPORT(liommu_debugfs_vendor_dir);

/**
 * liommu_debugfs_entry() - one hardware entry, raw and field by field
 * @m: the file being shown
 * @label: the line's first words (the entry's kind and where it is)
 * @words: the entry, CPU-order 64-bit words
 * @nr_words: words of @words to print raw
 * @fields: the format's fields, from its vendor header's field list
 * @nr_fields: entries of @fields
 *
 * Prints one line: @label, "raw=" and the words in hex separated by
 * commas, then NAME=value for every field: a one-bit field as 0 or 1,
 * a wider value in hex (FIELD_GET), an address field as its word
 * masked, not shifted (the table's physical address).  A field whose
 * word lies past @nr_words is left out.
 *
 * Context: any; the caller holds whatever keeps @words stable.
 */
void liommu_debugfs_entry(struct seq_file *m, const char *label,
			  const u64 *words, unsigned int nr_words,
			  const struct liommu_debugfs_field *fields,
			  unsigned int nr_fields)
{
	const struct liommu_debugfs_field *f;
	unsigned int i;
	u64 v;

	seq_printf(m, "%s raw=", label);
	for (i = 0; i < nr_words; i++)
		seq_printf(m, "%s%#llx", i ? "," : "", words[i]);
	for (i = 0; i < nr_fields; i++) {
		f = &fields[i];
		if (f->word >= nr_words || !f->mask)
			continue;
		v = words[f->word] & f->mask;
		if (f->kind == LIOMMU_DEBUGFS_ADDR)
			seq_printf(m, " %s=%#llx", f->name, v);
		else if (is_power_of_2(f->mask))
			seq_printf(m, " %s=%u", f->name, !!v);
		else
			seq_printf(m, " %s=%#llx", f->name, v >> __ffs64(f->mask));
	}
	seq_putc(m, '\n');
}
LIOMMU_EXPORT(liommu_debugfs_entry);

/**
 * liommu_debugfs_text() - what a show function prints, into a buffer
 * @show: a debugfs file's show function
 * @data: its data: the seq_file's private field, as single_open() sets
 * @buf: where the text goes, NUL-terminated
 * @len: room in @buf
 *
 * For the self-tests of the vendors' files: a module cannot read a
 * debugfs file with kernel_read() (its proxy has no read_iter), so a
 * vendor offers its file's text through this, the same code the file
 * runs.
 *
 * Context: what @show needs (process, for a show that takes mutexes).
 * Return: the length of the text; -ENOSPC when it did not fit; what
 * @show returned if that is an error.
 */
int liommu_debugfs_text(int (*show)(struct seq_file *m, void *data),
			void *data, char *buf, size_t len)
{
	struct seq_file m = {
		.buf = buf, .size = len ? len - 1 : 0, .private = data,
	};
	int err;

	if (!len)
		return -ENOSPC;
	err = show(&m, data);
	if (err)
		return err;
	if (seq_has_overflowed(&m))
		return -ENOSPC;
	buf[m.count] = '\0';
	return m.count;
}
LIOMMU_EXPORT(liommu_debugfs_text);

/* Called at module load; debugfs failures are not fatal. */
void liommu_debugfs_init(void)
{
	struct dentry *d;

	d = debugfs_create_dir("liommu", NULL);
	if (IS_ERR(d))
		return;
	liommu_debugfs_root = d;
	debugfs_create_file("units", 0444, d, NULL, &liommu_dbg_units_fops);
	debugfs_create_file("devices", 0444, d, NULL,
			    &liommu_dbg_devices_fops);
	debugfs_create_file("groups", 0444, d, NULL, &liommu_dbg_groups_fops);
	debugfs_create_file("domains", 0444, d, NULL,
			    &liommu_dbg_domains_fops);
	debugfs_create_file("translate", 0644, d, NULL,
			    &liommu_dbg_translate_fops);
	debugfs_create_file("walk", 0644, d, NULL, &liommu_dbg_walk_fops);
	debugfs_create_file("stats", 0444, d, NULL, &liommu_dbg_stats_fops);
	debugfs_create_file("faults", 0444, d, NULL, &liommu_dbg_faults_fops);
	debugfs_create_file("fail_nth", 0600, d, NULL,
			    &liommu_dbg_fail_nth_fops);
}

void liommu_debugfs_exit(void)
{
	debugfs_remove_recursive(liommu_debugfs_root);
	liommu_debugfs_root = NULL;
}
