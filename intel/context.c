// SPDX-License-Identifier: GPL-2.0
/*
 * Root, context and PASID tables: the identity (pass-through) default.
 *
 * Legacy mode (RTADDR.TTM 00): a root entry per bus points at a context
 * table of 256 128-bit entries; a device's entry says TT=10b
 * (pass-through), an AW the unit supports and the identity domain id.
 *
 * Scalable mode (RTADDR.TTM 01): a root entry per bus points at two
 * context tables of 128 256-bit entries (devfn 0-127 and 128-255); a
 * device's entry points at its own PASID directory (PDTS 0: 128 entries,
 * one page), whose entry 0 points at a PASID table whose entry for
 * RID_PASID 0 says PGTT=100b (pass-through), AW and the domain id.
 *
 * Every table is one zeroed page.  Entries are built whole in a local
 * copy and installed with liommu_vtd_entry_write(), lowest level first,
 * so the unit never reaches an entry that is not complete.  The tables
 * are built before translation is enabled and freed after it is
 * disabled; freeing walks them, so they own everything below them.
 */
#define pr_fmt(fmt) "liommu-vtd: " fmt

#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/io.h>

#include "regs.h"
#include "tables.h"
#include "vtd.h"

/* RID_PASID of the identity default: untagged DMA uses PASID 0. */
#define IDENTITY_PASID		0

static __le64 *table_alloc(const struct liommu_vtd_unit *unit)
{
	__le64 *t;

	if (liommu_fail_point("vtd:table"))
		return NULL;
	t = (__le64 *)get_zeroed_page(GFP_KERNEL);
	if (t)
		liommu_vtd_flush_cpu(unit, t, LIOMMU_VTD_TABLE_SIZE);
	return t;
}

static void table_free(__le64 *t)
{
	free_page((unsigned long)t);
}

/* The table a pointer field of @word names, or NULL. */
static __le64 *table_at(u64 word, u64 ptr_mask)
{
	u64 pa = word & ptr_mask;

	return pa ? phys_to_virt(pa) : NULL;
}

/* The context table serving @devfn on @bus, allocated on first use. */
static __le64 *context_table(struct liommu_vtd_unit *unit, u8 bus, u8 devfn)
{
	unsigned int half = unit->scalable_on &&
			    devfn >= LIOMMU_VTD_SM_ROOT_DEVFNS;
	__le64 *live = unit->root + bus * LIOMMU_VTD_ROOT_WORDS + half;
	__le64 target, *ctx;
	int err;

	/*
	 * Legacy: word 0 is P + CTP.  Scalable: word 0 is LP + LCTP, word 1
	 * UP + UCTP, the same layout, each its own one-word entry.
	 */
	ctx = table_at(le64_to_cpu(READ_ONCE(*live)), LIOMMU_VTD_ROOT_0_CTP);
	if (ctx)
		return ctx;
	ctx = table_alloc(unit);
	if (!ctx)
		return NULL;
	target = cpu_to_le64(LIOMMU_VTD_ROOT_0_P |
			     (virt_to_phys(ctx) & LIOMMU_VTD_ROOT_0_CTP));
	err = liommu_vtd_entry_write(unit, live, &target, 1);
	if (WARN_ON(err)) {
		table_free(ctx);
		return NULL;
	}
	return ctx;
}

static __le64 *context_entry(struct liommu_vtd_unit *unit, __le64 *ctx,
			     u8 devfn)
{
	if (unit->scalable_on)
		return ctx + (devfn % LIOMMU_VTD_SM_ROOT_DEVFNS) *
			     LIOMMU_VTD_SM_CTX_WORDS;
	return ctx + devfn * LIOMMU_VTD_CTX_WORDS;
}

/**
 * liommu_vtd_ctx_identity() - build a legacy pass-through context entry
 * @unit: the unit
 * @t: filled with the entry (TT=10b, AW, the identity domain id)
 */
void liommu_vtd_ctx_identity(const struct liommu_vtd_unit *unit, __le64 *t)
{
	t[0] = cpu_to_le64(LIOMMU_VTD_CTX_0_P |
			   FIELD_PREP(LIOMMU_VTD_CTX_0_TT,
				      LIOMMU_VTD_CTX_TT_PASS_THROUGH));
	t[1] = cpu_to_le64(FIELD_PREP(LIOMMU_VTD_CTX_1_AW, unit->aw) |
			   FIELD_PREP(LIOMMU_VTD_CTX_1_DID, unit->identity_did));
}

/**
 * liommu_vtd_pasid_identity() - build a pass-through PASID table entry
 * @unit: the unit
 * @t: filled with the entry (PGTT=100b, AW, the identity domain id)
 */
void liommu_vtd_pasid_identity(const struct liommu_vtd_unit *unit, __le64 *t)
{
	unsigned int i;

	for (i = 0; i < LIOMMU_VTD_PASID_WORDS; i++)
		t[i] = 0;
	t[0] = cpu_to_le64(LIOMMU_VTD_PASID_0_P |
			   FIELD_PREP(LIOMMU_VTD_PASID_0_AW, unit->aw) |
			   FIELD_PREP(LIOMMU_VTD_PASID_0_PGTT,
				      LIOMMU_VTD_PGTT_PASS_THROUGH));
	t[1] = cpu_to_le64(FIELD_PREP(LIOMMU_VTD_PASID_1_DID,
				      unit->identity_did));
}

static int identity_legacy(struct liommu_vtd_unit *unit, __le64 *live)
{
	__le64 target[LIOMMU_VTD_CTX_WORDS];

	liommu_vtd_ctx_identity(unit, target);
	return liommu_vtd_entry_write(unit, live, target,
				      LIOMMU_VTD_CTX_WORDS);
}

static int identity_scalable(struct liommu_vtd_unit *unit, __le64 *live)
{
	__le64 pasid[LIOMMU_VTD_PASID_WORDS] = {};
	__le64 ctx[LIOMMU_VTD_SM_CTX_WORDS] = {};
	__le64 *dir, *table, pdir;
	int err;

	dir = table_alloc(unit);
	table = table_alloc(unit);
	if (!dir || !table) {
		err = -ENOMEM;
		goto err_free;
	}

	liommu_vtd_pasid_identity(unit, pasid);
	err = liommu_vtd_entry_write(unit, table +
			LIOMMU_VTD_PASID_INDEX(IDENTITY_PASID) *
			LIOMMU_VTD_PASID_WORDS, pasid, LIOMMU_VTD_PASID_WORDS);
	if (err)
		goto err_free;

	pdir = cpu_to_le64(LIOMMU_VTD_PDIR_0_P |
			   (virt_to_phys(table) & LIOMMU_VTD_PDIR_0_SMPTBLPTR));
	err = liommu_vtd_entry_write(unit,
			dir + LIOMMU_VTD_PDIR_INDEX(IDENTITY_PASID), &pdir, 1);
	if (err)
		goto err_free;

	ctx[0] = cpu_to_le64(LIOMMU_VTD_SM_CTX_0_P |
			     FIELD_PREP(LIOMMU_VTD_SM_CTX_0_PDTS, 0) |
			     (virt_to_phys(dir) &
			      LIOMMU_VTD_SM_CTX_0_PASIDDIRPTR));
	ctx[1] = cpu_to_le64(FIELD_PREP(LIOMMU_VTD_SM_CTX_1_RID_PASID,
					IDENTITY_PASID));
	err = liommu_vtd_entry_write(unit, live, ctx,
				     LIOMMU_VTD_SM_CTX_WORDS);
	if (err)
		goto err_free;
	return 0;

err_free:
	table_free(table);
	table_free(dir);
	return err;
}

/**
 * liommu_vtd_set_identity() - give one requester id the identity default
 * @unit: a unit whose root table exists, translation still off
 * @bus: bus number
 * @devfn: device and function
 *
 * A requester that already has a context entry keeps it.
 *
 * Return: 0; -ENOMEM.
 */
int liommu_vtd_set_identity(struct liommu_vtd_unit *unit, u8 bus, u8 devfn)
{
	__le64 *ctx = context_table(unit, bus, devfn);
	__le64 *live;
	int err;

	if (!ctx)
		return -ENOMEM;
	live = context_entry(unit, ctx, devfn);
	if (le64_to_cpu(READ_ONCE(live[0])) & LIOMMU_VTD_CTX_0_P)
		return 0;
	err = unit->scalable_on ? identity_scalable(unit, live) :
				  identity_legacy(unit, live);
	if (!err)
		unit->nr_identity++;
	return err;
}

/**
 * liommu_vtd_dev_context() - the live context entry of a requester
 * @unit: an enabled unit
 * @bus: bus number
 * @devfn: device and function
 * @words: set to the entry's size in 64-bit words
 *
 * Return: the entry; NULL if its context table does not exist (and
 * cannot be allocated).
 */
__le64 *liommu_vtd_dev_context(struct liommu_vtd_unit *unit, u8 bus, u8 devfn,
			       unsigned int *words)
{
	__le64 *ctx = context_table(unit, bus, devfn);

	if (!ctx)
		return NULL;
	*words = unit->scalable_on ? LIOMMU_VTD_SM_CTX_WORDS :
				     LIOMMU_VTD_CTX_WORDS;
	return context_entry(unit, ctx, devfn);
}

/**
 * liommu_vtd_dev_entry() - the live entry that says how a requester translates
 * @unit: an enabled unit
 * @bus: bus number
 * @devfn: device and function
 * @words: set to the entry's size in 64-bit words
 *
 * Legacy mode: the context entry.  Scalable mode: the PASID table entry
 * of RID_PASID 0 under the device's own PASID directory, which the
 * identity default created.  Callers change it only with the entry
 * writer, under the unit's entry lock.
 *
 * Return: the entry; NULL if the requester has no tables (not in scope).
 */
__le64 *liommu_vtd_dev_entry(struct liommu_vtd_unit *unit, u8 bus, u8 devfn,
			     unsigned int *words)
{
	__le64 *ctx = context_table(unit, bus, devfn), *dir, *table;
	u64 c0, pdir;

	if (!ctx)
		return NULL;
	ctx = context_entry(unit, ctx, devfn);
	if (!unit->scalable_on) {
		*words = LIOMMU_VTD_CTX_WORDS;
		return ctx;
	}
	c0 = le64_to_cpu(READ_ONCE(ctx[0]));
	if (!(c0 & LIOMMU_VTD_SM_CTX_0_P))
		return NULL;
	dir = table_at(c0, LIOMMU_VTD_SM_CTX_0_PASIDDIRPTR);
	pdir = le64_to_cpu(READ_ONCE(dir[LIOMMU_VTD_PDIR_INDEX(IDENTITY_PASID)]));
	if (!(pdir & LIOMMU_VTD_PDIR_0_P))
		return NULL;
	table = table_at(pdir, LIOMMU_VTD_PDIR_0_SMPTBLPTR);
	*words = LIOMMU_VTD_PASID_WORDS;
	return table + LIOMMU_VTD_PASID_INDEX(IDENTITY_PASID) *
		       LIOMMU_VTD_PASID_WORDS;
}

/**
 * liommu_vtd_tables_alloc() - allocate an empty root table
 * @unit: a unit with no tables
 *
 * Return: 0; -ENOMEM.
 */
int liommu_vtd_tables_alloc(struct liommu_vtd_unit *unit)
{
	unit->root = table_alloc(unit);
	unit->nr_identity = 0;
	return unit->root ? 0 : -ENOMEM;
}

static void free_pasid_dir(__le64 *dir, u64 ctx0)
{
	unsigned int i, n, pdts;

	pdts = FIELD_GET(LIOMMU_VTD_SM_CTX_0_PDTS, ctx0);
	n = LIOMMU_VTD_PDTS_ENTRIES(pdts);
	for (i = 0; i < n; i++)
		table_free(table_at(le64_to_cpu(dir[i]),
				    LIOMMU_VTD_PDIR_0_SMPTBLPTR));
	/* PDTS 0 is the one page of the identity default; pasid.c grows it. */
	free_pages((unsigned long)dir, liommu_vtd_pasid_dir_order(pdts));
}

static void free_context_table(struct liommu_vtd_unit *unit, __le64 *ctx)
{
	unsigned int i;

	if (unit->scalable_on) {
		for (i = 0; i < LIOMMU_VTD_SM_ROOT_DEVFNS; i++) {
			u64 w0 = le64_to_cpu(ctx[i * LIOMMU_VTD_SM_CTX_WORDS]);
			__le64 *dir = table_at(w0,
					LIOMMU_VTD_SM_CTX_0_PASIDDIRPTR);

			if (dir)
				free_pasid_dir(dir, w0);
		}
	}
	table_free(ctx);
}

/**
 * liommu_vtd_tables_free() - free the root table and all below it
 * @unit: a unit whose translation is off (or was never on)
 */
void liommu_vtd_tables_free(struct liommu_vtd_unit *unit)
{
	unsigned int bus, half;

	if (!unit->root)
		return;
	for (bus = 0; bus < 256; bus++) {
		for (half = 0; half < LIOMMU_VTD_ROOT_WORDS; half++) {
			__le64 *w = unit->root + bus * LIOMMU_VTD_ROOT_WORDS +
				    half;
			__le64 *ctx;

			if (half && !unit->scalable_on)
				continue;
			ctx = table_at(le64_to_cpu(*w), LIOMMU_VTD_ROOT_0_CTP);
			if (ctx)
				free_context_table(unit, ctx);
		}
	}
	table_free(unit->root);
	unit->root = NULL;
}

static void read_words(u64 *dst, const __le64 *src, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		dst[i] = le64_to_cpu(READ_ONCE(src[i]));
}

/**
 * liommu_vtd_read_entries() - read the live entries of one requester id
 * @unit: a unit
 * @bus: bus number
 * @devfn: device and function
 * @e: filled; words the walk does not reach are 0
 *
 * Return: 0; -ENOENT if the unit has no tables; -ERANGE if RID_PASID lies
 * past the PASID directory the context entry sizes.
 */
int liommu_vtd_read_entries(const struct liommu_vtd_unit *unit, u8 bus,
			    u8 devfn, struct liommu_vtd_dev_entries *e)
{
	unsigned int half = unit->scalable_on &&
			    devfn >= LIOMMU_VTD_SM_ROOT_DEVFNS;
	__le64 *ctx, *dir, *table;
	u32 pasid;

	*e = (struct liommu_vtd_dev_entries){};
	if (!unit->root)
		return -ENOENT;
	e->rtaddr = readq(unit->regs + LIOMMU_VTD_REG_RTADDR);
	e->scalable = unit->scalable_on;
	read_words(e->root, unit->root + bus * LIOMMU_VTD_ROOT_WORDS,
		   LIOMMU_VTD_ROOT_WORDS);
	if (!(e->root[half] & LIOMMU_VTD_ROOT_0_P))
		return 0;
	ctx = table_at(e->root[half], LIOMMU_VTD_ROOT_0_CTP);
	if (!unit->scalable_on) {
		read_words(e->context, ctx + devfn * LIOMMU_VTD_CTX_WORDS,
			   LIOMMU_VTD_CTX_WORDS);
		return 0;
	}
	read_words(e->context, ctx + (devfn % LIOMMU_VTD_SM_ROOT_DEVFNS) *
		   LIOMMU_VTD_SM_CTX_WORDS, LIOMMU_VTD_SM_CTX_WORDS);
	if (!(e->context[0] & LIOMMU_VTD_SM_CTX_0_P))
		return 0;
	pasid = FIELD_GET(LIOMMU_VTD_SM_CTX_1_RID_PASID, e->context[1]);
	if (LIOMMU_VTD_PDIR_INDEX(pasid) >=
	    LIOMMU_VTD_PDTS_ENTRIES(FIELD_GET(LIOMMU_VTD_SM_CTX_0_PDTS,
					      e->context[0])))
		return -ERANGE;
	dir = table_at(e->context[0], LIOMMU_VTD_SM_CTX_0_PASIDDIRPTR);
	e->pasid_dir = le64_to_cpu(READ_ONCE(dir[LIOMMU_VTD_PDIR_INDEX(pasid)]));
	if (!(e->pasid_dir & LIOMMU_VTD_PDIR_0_P))
		return 0;
	table = table_at(e->pasid_dir, LIOMMU_VTD_PDIR_0_SMPTBLPTR);
	read_words(e->pasid, table + LIOMMU_VTD_PASID_INDEX(pasid) *
		   LIOMMU_VTD_PASID_WORDS, LIOMMU_VTD_PASID_WORDS);
	return 0;
}
