// SPDX-License-Identifier: GPL-2.0
/*
 * smmu_cd_*: the SMMUv3 driver's context-descriptor tables and its entry
 * writer.
 *
 * QEMU's SMMU has no substreams (SSIDSIZE 0): a device's table there is a
 * single CD, and the DMA cases of smmu_dma walk it.  The shapes for
 * devices with PASIDs are built here by the driver's own code on tables
 * no SMMU reads (liommu_smmu_test_cdtab_*()), for every width the driver
 * serves, and walked from the STE the driver builds, as the SMMU would:
 * S1Fmt and S1CDMax, the level-1 descriptors, the CD of each SubstreamID
 * compared word by word with the domain's.  The live case records every
 * state of the edu's real STE and CD that the SMMU could have fetched
 * while its domain changes (bypass, abort, two stage-1 domains): each
 * one translates by the old domain or the new, never by none; and edu
 * DMA kept running from a thread while the domain is replaced back and
 * forth sees no fault.
 */
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/string.h>

#include <liommu/liommu.h>
#include <liommu/smmu.h>
#include "../../arm-smmu-v3/cd.h"
#include "../../arm-smmu-v3/ste.h"
#include "edu.h"
#include "selftest.h"

struct cd_dev {
	struct lt_edu edu;
	struct device *dev;
	struct liommu_domain *d[2];
	struct liommu_smmu_domain_info info[2];
	bool open;
};

static bool cd_open(struct lt_ctx *t, struct cd_dev *c)
{
	u8 bus, devfn;
	unsigned int i;
	int err;

	memset(c, 0, sizeof(*c));
	err = lt_parse_bdf(lt_expect.edu, 0, &bus, &devfn);
	if (!err)
		err = lt_edu_open(bus, devfn, &c->edu);
	if (err) {
		lt_fail(t, "edu 0 of '%s' cannot be opened: %d", lt_expect.edu,
			err);
		return false;
	}
	c->open = true;
	c->dev = &c->edu.pdev->dev;
	for (i = 0; i < 2; i++) {
		c->d[i] = liommu_paging_domain_alloc(c->dev);
		if (IS_ERR(c->d[i])) {
			lt_fail(t, "stage-1 domain %u: %ld", i, PTR_ERR(c->d[i]));
			c->d[i] = NULL;
			return false;
		}
		if (!lt_expect_eq(t, liommu_smmu_domain_info(c->d[i],
							     &c->info[i]), 0,
				  "domain info"))
			return false;
	}
	return lt_expect_true(t, c->info[0].asid != c->info[1].asid,
			      "two domains, two ASIDs");
}

static void cd_close(struct cd_dev *c)
{
	struct liommu_domain *cur;
	unsigned int i;

	cur = c->dev ? liommu_get_domain_for_dev(c->dev) : NULL;
	for (i = 0; i < 2; i++)
		if (cur && cur == c->d[i])
			liommu_detach_device(cur, c->dev);
	for (i = 0; i < 2; i++)
		if (c->d[i])
			liommu_domain_free(c->d[i]);
	if (c->open)
		lt_edu_close(&c->edu);
	c->open = false;
}

/*
 * The CD of @ssid as the SMMU finds it from @ste (S1ContextPtr, S1Fmt,
 * S1CDMax, level-1 descriptors); NULL where the walk ends.
 */
static const __le64 *walk_cd(const u64 ste[8], u32 ssid)
{
	phys_addr_t ptr = FIELD_GET(LIOMMU_SMMU_STE_0_S1CONTEXTPTR, ste[0]) << 6;
	unsigned int fmt = FIELD_GET(LIOMMU_SMMU_STE_0_S1FMT, ste[0]);
	unsigned int max = FIELD_GET(LIOMMU_SMMU_STE_0_S1CDMAX, ste[0]);
	const __le64 *base = phys_to_virt(ptr);
	u64 l1;

	if (!max)
		return ssid ? NULL : base;
	if (ssid >> max)
		return NULL;
	if (fmt == LIOMMU_SMMU_STE_0_S1FMT_LINEAR)
		return base + ssid * LIOMMU_SMMU_CD_DWORDS;
	if (fmt != LIOMMU_SMMU_STE_0_S1FMT_2LVL_4K)
		return NULL;
	l1 = le64_to_cpu(base[ssid >> 6]);
	if (!(l1 & LIOMMU_SMMU_L1CD_0_V))
		return NULL;
	return (const __le64 *)phys_to_virt(l1 & LIOMMU_SMMU_L1CD_0_L2PTR) +
	       (ssid & 63) * LIOMMU_SMMU_CD_DWORDS;
}

static bool cd_is(const __le64 *cd, const u64 want[8])
{
	unsigned int i;

	for (i = 0; i < LIOMMU_SMMU_CD_DWORDS; i++)
		if (le64_to_cpu(READ_ONCE(cd[i])) != want[i])
			return false;
	return true;
}

/*
 * One shape: S1Fmt, S1CDMax, alignment, CDs of domain 0 at the lowest,
 * a level-2 boundary's and the highest SubstreamID, domain 1 at 2, every
 * other walk ending invalid.
 */
static void check_shape(struct lt_ctx *t, struct cd_dev *c, unsigned int bits,
			bool two_level, unsigned int want_fmt)
{
	struct liommu_smmu_cdtab_test *tt;
	u32 ssids[] = { 1, 63, 64, BIT(bits) - 1 };
	const __le64 *cd;
	unsigned int i, syncs = 0, bytes;
	u64 ste[8];
	phys_addr_t ptr;

	tt = liommu_smmu_test_cdtab_alloc(bits, two_level);
	if (!lt_expect_true(t, !IS_ERR(tt), "table allocated"))
		return;
	liommu_smmu_test_cdtab_ste(tt, LIOMMU_SMMU_STE_1_S1DSS_SSID0, ste);
	lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_STE_0_CONFIG, ste[0]),
		     LIOMMU_SMMU_STE_0_CONFIG_S1_TRANS, "STE.Config: stage 1");
	lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_STE_0_S1FMT, ste[0]), want_fmt,
		     "STE.S1Fmt");
	lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_STE_0_S1CDMAX, ste[0]), bits,
		     "STE.S1CDMax: the SubstreamID width");
	lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_STE_1_S1DSS, ste[1]),
		     LIOMMU_SMMU_STE_1_S1DSS_SSID0, "STE.S1DSS: CD 0");
	ptr = FIELD_GET(LIOMMU_SMMU_STE_0_S1CONTEXTPTR, ste[0]) << 6;
	bytes = want_fmt == LIOMMU_SMMU_STE_0_S1FMT_LINEAR ? 64 << bits :
		8 << (bits - 6);
	lt_expect_eq(t, ptr & (bytes - 1), 0, "the table is aligned to its size");
	for (i = 0; i < ARRAY_SIZE(ssids); i++)
		lt_expect_true(t, !walk_cd(ste, ssids[i]) ||
				  !(le64_to_cpu(walk_cd(ste, ssids[i])[0]) &
				    LIOMMU_SMMU_CD_0_V),
			       "every CD starts invalid");

	for (i = 0; i < ARRAY_SIZE(ssids); i++)
		if (ssids[i] < BIT(bits))
			lt_expect_eq(t, liommu_smmu_test_cdtab_set(tt, ssids[i],
						c->d[0], &syncs), 0, "CD written");
	lt_expect_eq(t, liommu_smmu_test_cdtab_set(tt, 2, c->d[1], &syncs), 0,
		     "CD 2 written");
	for (i = 0; i < ARRAY_SIZE(ssids); i++) {
		if (ssids[i] >= BIT(bits))
			continue;
		cd = walk_cd(ste, ssids[i]);
		lt_expect_true(t, cd && cd_is(cd, c->info[0].cd),
			       "the walk finds domain 0's CD");
	}
	cd = walk_cd(ste, 2);
	lt_expect_true(t, cd && cd_is(cd, c->info[1].cd),
		       "the walk finds domain 1's CD at SubstreamID 2");
	if (bits >= 3) {
		cd = walk_cd(ste, 5);
		lt_expect_true(t, cd && !le64_to_cpu(cd[0]), "CD 5 untouched");
	}
	lt_expect_eq(t, liommu_smmu_test_cdtab_set(tt, BIT(bits), c->d[0],
						   &syncs), -EINVAL,
		     "a SubstreamID beyond the table");
	if (want_fmt == LIOMMU_SMMU_STE_0_S1FMT_2LVL_4K) {
		const __le64 *l1 = phys_to_virt(ptr);
		unsigned int used = 0, want = 2;	/* 1, 2, 63; 64 */

		for (i = 0; i < (1U << (bits - 6)); i++)
			used += !!(le64_to_cpu(l1[i]) & LIOMMU_SMMU_L1CD_0_V);
		if ((BIT(bits) - 1) >> 6 > 1)
			want++;		/* the highest SubstreamID's */
		lt_expect_eq(t, used, want,
			     "level-2 tables only where CDs were written");
	}
	liommu_smmu_test_cdtab_free(tt);
}

static void smmu_cd_linear_layouts(struct lt_ctx *t)
{
	struct cd_dev c;

	if (!cd_open(t, &c))
		goto out;
	lt_info(t, "2^6 CDs, 2-level offered: linear");
	check_shape(t, &c, 6, true, LIOMMU_SMMU_STE_0_S1FMT_LINEAR);
	lt_info(t, "2^10 CDs, no 2-level tables: linear, 64 KiB");
	check_shape(t, &c, 10, false, LIOMMU_SMMU_STE_0_S1FMT_LINEAR);
	lt_info(t, "2^2 CDs");
	check_shape(t, &c, 2, false, LIOMMU_SMMU_STE_0_S1FMT_LINEAR);
out:
	cd_close(&c);
}

static void smmu_cd_two_level_layouts(struct lt_ctx *t)
{
	struct cd_dev c;

	if (!cd_open(t, &c))
		goto out;
	lt_info(t, "2^7 CDs, 2-level: 2 level-1 descriptors");
	check_shape(t, &c, 7, true, LIOMMU_SMMU_STE_0_S1FMT_2LVL_4K);
	lt_info(t, "2^20 CDs, 2-level: 2^14 level-1 descriptors");
	check_shape(t, &c, 20, true, LIOMMU_SMMU_STE_0_S1FMT_2LVL_4K);
out:
	cd_close(&c);
}

/* No substreams: one CD in the active slot; S1DSS unused (0). */
static void smmu_cd_single(struct lt_ctx *t)
{
	struct liommu_smmu_cdtab_test *tt = NULL;
	unsigned int syncs = 0;
	const __le64 *cd;
	struct cd_dev c;
	u64 ste[8];

	if (!cd_open(t, &c))
		goto out;
	tt = liommu_smmu_test_cdtab_alloc(0, false);
	if (!lt_expect_true(t, !IS_ERR(tt), "table allocated"))
		goto out;
	liommu_smmu_test_cdtab_ste(tt, LIOMMU_SMMU_STE_1_S1DSS_BYPASS, ste);
	lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_STE_0_S1CDMAX, ste[0]), 0,
		     "S1CDMax 0");
	lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_STE_1_S1DSS, ste[1]), 0,
		     "S1DSS left 0 without substreams");
	lt_expect_eq(t, liommu_smmu_test_cdtab_set(tt, 0, c.d[0], &syncs), 0,
		     "CD 0");
	cd = walk_cd(ste, 0);
	lt_expect_true(t, cd && cd_is(cd, c.info[0].cd), "the STE names it");
	lt_expect_eq(t, liommu_smmu_test_cdtab_set(tt, 1, c.d[0], &syncs),
		     -EINVAL, "no SubstreamID 1");
out:
	if (!IS_ERR_OR_NULL(tt))
		liommu_smmu_test_cdtab_free(tt);
	cd_close(&c);
}

/* What untagged traffic does, per RID domain, with substreams. */
static void smmu_cd_s1dss(struct lt_ctx *t)
{
	static const unsigned int dss[] = {
		LIOMMU_SMMU_STE_1_S1DSS_TERMINATE,
		LIOMMU_SMMU_STE_1_S1DSS_BYPASS,
		LIOMMU_SMMU_STE_1_S1DSS_SSID0,
	};
	struct liommu_smmu_cdtab_test *tt;
	unsigned int i;
	u64 ste[8];

	tt = liommu_smmu_test_cdtab_alloc(4, true);
	if (!lt_expect_true(t, !IS_ERR(tt), "table allocated"))
		return;
	for (i = 0; i < ARRAY_SIZE(dss); i++) {
		liommu_smmu_test_cdtab_ste(tt, dss[i], ste);
		lt_expect_eq(t, FIELD_GET(LIOMMU_SMMU_STE_1_S1DSS, ste[1]),
			     dss[i], "S1DSS as asked");
		lt_expect_true(t, ste[0] & LIOMMU_SMMU_STE_0_V, "valid");
	}
	liommu_smmu_test_cdtab_free(tt);
	lt_expect_true(t, IS_ERR(liommu_smmu_test_cdtab_alloc(21, true)),
		       "21-bit SubstreamIDs refused");
	lt_expect_true(t, IS_ERR(liommu_smmu_test_cdtab_alloc(11, false)),
		       "2^11 CDs without 2-level tables refused");
}

/* The writer's steps on a CD, counted in syncs. */
static void smmu_cd_writer_steps(struct lt_ctx *t)
{
	struct liommu_smmu_cdtab_test *tt = NULL;
	const __le64 *cd;
	unsigned int syncs;
	struct cd_dev c;
	u64 ste[8];

	if (!cd_open(t, &c))
		goto out;
	tt = liommu_smmu_test_cdtab_alloc(3, false);
	if (!lt_expect_true(t, !IS_ERR(tt), "table allocated"))
		goto out;
	liommu_smmu_test_cdtab_ste(tt, LIOMMU_SMMU_STE_1_S1DSS_SSID0, ste);
	cd = walk_cd(ste, 5);
	syncs = 0;
	liommu_smmu_test_cdtab_set(tt, 5, c.d[0], &syncs);
	lt_expect_eq(t, syncs, 2, "invalid -> valid: words 1-7, then word 0");
	syncs = 0;
	liommu_smmu_test_cdtab_set(tt, 5, c.d[0], &syncs);
	lt_expect_eq(t, syncs, 0, "the same CD again: nothing");
	syncs = 0;
	liommu_smmu_test_cdtab_set(tt, 5, c.d[1], &syncs);
	lt_expect_eq(t, syncs, 3,
		     "another domain (ASID and TTB0 change): break before make");
	lt_expect_true(t, cd && cd_is(cd, c.info[1].cd), "the new CD");
	syncs = 0;
	liommu_smmu_test_cdtab_set(tt, 5, NULL, &syncs);
	lt_expect_eq(t, syncs, 1, "valid -> invalid: V first, one sync");
	lt_expect_true(t, cd && !(le64_to_cpu(cd[0]) & LIOMMU_SMMU_CD_0_V),
		       "invalid");
out:
	if (!IS_ERR_OR_NULL(tt))
		liommu_smmu_test_cdtab_free(tt);
	cd_close(&c);
}

/* ---- every state the SMMU could fetch, on the edu's live entries ---- */

struct live_rec {
	const __le64 *ste;		/* the edu's STE, once seen */
	const u64 *cd[2];		/* the two domains' CDs */
	unsigned int states;
	unsigned int bad;
	unsigned int s1, bypass, abort;
	u64 first_bad[3];
};

static struct live_rec rec;

/* The translation the edu's STE gives right now. */
static void live_check(const __le64 *live, bool is_cd, void *data)
{
	struct live_rec *r = data;
	const __le64 *cd;
	u64 ste[8];
	unsigned int i, cfg;
	bool ok;

	if (!is_cd && !r->ste)
		r->ste = live;
	if (!r->ste)
		return;
	for (i = 0; i < 8; i++)
		ste[i] = le64_to_cpu(READ_ONCE(r->ste[i]));
	r->states++;
	cfg = FIELD_GET(LIOMMU_SMMU_STE_0_CONFIG, ste[0]);
	ok = ste[0] & LIOMMU_SMMU_STE_0_V;
	if (ok && cfg == LIOMMU_SMMU_STE_0_CONFIG_BYPASS) {
		r->bypass++;
	} else if (ok && cfg == LIOMMU_SMMU_STE_0_CONFIG_ABORT) {
		r->abort++;
	} else if (ok && cfg == LIOMMU_SMMU_STE_0_CONFIG_S1_TRANS) {
		cd = walk_cd(ste, 0);
		ok = cd && (cd_is(cd, r->cd[0]) || cd_is(cd, r->cd[1]));
		r->s1 += ok;
	} else {
		ok = false;
	}
	if (!ok && !r->bad++) {
		r->first_bad[0] = ste[0];
		r->first_bad[1] = ste[1];
		cd = cfg == LIOMMU_SMMU_STE_0_CONFIG_S1_TRANS ?
		     walk_cd(ste, 0) : NULL;
		r->first_bad[2] = cd ? le64_to_cpu(cd[0]) : 0;
	}
}

/*
 * domain 0 -> domain 1 -> blocked -> domain 0 -> identity -> domain 1 ->
 * detached (identity), each step recorded at every sync of the edu's STE
 * or CD: every state is abort, bypass, or stage 1 through a valid CD of
 * one of the two domains.  A state in between (an invalid STE, a stage-1
 * STE over an invalid or half-written CD) is a window where the device's
 * DMA would fault for no reason.
 */
static void smmu_cd_live_no_blocked_window(struct lt_ctx *t)
{
	struct liommu_domain *steps[5];
	struct liommu_group *g = NULL;
	struct cd_dev c;
	unsigned int i;

	if (!cd_open(t, &c))
		goto out;
	g = liommu_group_get(c.dev);
	if (!lt_expect_true(t, g != NULL, "the edu's group"))
		goto out;
	memset(&rec, 0, sizeof(rec));
	rec.cd[0] = c.info[0].cd;
	rec.cd[1] = c.info[1].cd;
	steps[0] = c.d[1];
	steps[1] = liommu_blocked_domain(c.dev);
	steps[2] = c.d[0];
	steps[3] = liommu_identity_domain(c.dev);
	steps[4] = c.d[1];
	liommu_smmu_set_entry_observer(live_check, &rec);
	if (lt_expect_eq(t, liommu_attach_device(c.d[0], c.dev), 0, "attach")) {
		for (i = 0; i < ARRAY_SIZE(steps); i++)
			if (!lt_expect_eq(t, liommu_group_replace_domain(g,
								steps[i]),
					  0, "replace"))
				break;
		liommu_detach_device(liommu_get_domain_for_dev(c.dev), c.dev);
	}
	liommu_smmu_set_entry_observer(NULL, NULL);
	lt_info(t, "%u states: %u stage 1, %u bypass, %u abort, %u without translation (first: STE %#llx %#llx CD %#llx)",
		rec.states, rec.s1, rec.bypass, rec.abort, rec.bad,
		rec.first_bad[0], rec.first_bad[1], rec.first_bad[2]);
	lt_expect_true(t, rec.ste != NULL, "the edu's STE was seen");
	lt_expect_true(t, rec.states >= 8 && rec.s1 >= 3 && rec.abort >= 1 &&
			  rec.bypass >= 1, "every step was recorded");
	lt_expect_eq(t, rec.bad, 0, "no state without the old or new translation");
out:
	if (g)
		liommu_group_put(g);
	cd_close(&c);
}

/* ---- DMA running while the domain is replaced ---- */

#define LOOP_IOVA_SRC	0x100000UL
#define LOOP_IOVA_DST	0x200000UL

struct dma_loop {
	struct cd_dev *c;
	atomic_t stop;
	unsigned int runs;
	int err;
	struct completion done;
};

static int dma_loop_fn(void *arg)
{
	struct dma_loop *l = arg;

	while (!atomic_read(&l->stop) && !l->err) {
		l->err = lt_edu_dma_from_ram(&l->c->edu, LOOP_IOVA_SRC, 0, 64);
		if (!l->err)
			l->err = lt_edu_dma_to_ram(&l->c->edu, LOOP_IOVA_DST +
						   (l->runs % 32) * 64, 0, 64);
		l->runs++;
		cond_resched();
	}
	complete(&l->done);
	return 0;
}

/*
 * Both stage-1 domains map the same pages; a thread keeps the edu doing
 * DMA through them while the main thread replaces one domain by the other
 * (at least 40 times, and until the edu did 8 DMA pairs).  The SMMU reports any transaction that found no translation
 * as an event: there must be none, and every write must have landed.
 */
static void smmu_cd_replace_under_dma(struct lt_ctx *t)
{
	struct page *src = alloc_page(GFP_KERNEL), *dst = alloc_page(GFP_KERNEL);
	static struct dma_loop loop;
	struct liommu_group *g = NULL;
	struct task_struct *task;
	unsigned int i, bad = 0;
	unsigned long deadline;
	struct cd_dev c;
	int events;

	if (!cd_open(t, &c) || !src || !dst)
		goto out;
	memset(page_address(src), 0x5a, PAGE_SIZE);
	memset(page_address(dst), 0, PAGE_SIZE);
	for (i = 0; i < 2; i++)
		if (liommu_map(c.d[i], LOOP_IOVA_SRC, page_to_phys(src), PAGE_SIZE,
			       LIOMMU_READ, GFP_KERNEL) ||
		    liommu_map(c.d[i], LOOP_IOVA_DST, page_to_phys(dst), PAGE_SIZE,
			       LIOMMU_READ | LIOMMU_WRITE, GFP_KERNEL)) {
			lt_fail(t, "maps of domain %u", i);
			goto out;
		}
	g = liommu_group_get(c.dev);
	if (!g || !lt_expect_eq(t, liommu_attach_device(c.d[0], c.dev), 0,
				"attach"))
		goto out;
	liommu_smmu_read_events(0, NULL, 0);
	memset(&loop, 0, sizeof(loop));
	loop.c = &c;
	init_completion(&loop.done);
	task = kthread_run(dma_loop_fn, &loop, "liommu-dma-loop");
	if (IS_ERR(task)) {
		lt_fail(t, "no thread: %ld", PTR_ERR(task));
		goto out;
	}
	/* Replace until the edu did 8 DMA pairs (each takes ~0.2 s on TCG). */
	deadline = jiffies + 20 * HZ;
	for (i = 0; (i < 40 || READ_ONCE(loop.runs) < 8) &&
		    time_before(jiffies, deadline); i++) {
		if (liommu_group_replace_domain(g, c.d[(i + 1) % 2]))
			bad++;
		usleep_range(1000, 2000);
	}
	atomic_set(&loop.stop, 1);
	wait_for_completion(&loop.done);
	events = liommu_smmu_read_events(0, NULL, 0);
	lt_info(t, "%u DMA pairs during %u replaces; %d events", loop.runs, i,
		events);
	lt_expect_eq(t, bad, 0, "every replace succeeded");
	lt_expect_eq(t, loop.err, 0, "every DMA completed");
	lt_expect_true(t, loop.runs >= 8 && i >= 40,
		       "DMA ran across the replaces");
	lt_expect_eq(t, events, 0, "no transaction found no translation");
	lt_expect_true(t, !memchr_inv(page_address(dst), 0x5a,
				      min(loop.runs, 32U) * 64),
		       "every write landed");
out:
	if (g)
		liommu_group_put(g);
	cd_close(&c);
	if (src)
		__free_page(src);
	if (dst)
		__free_page(dst);
}

static const struct lt_case smmu_cd_cases[] = {
	LT_CASE(smmu_cd_linear_layouts),
	LT_CASE(smmu_cd_two_level_layouts),
	LT_CASE(smmu_cd_single),
	LT_CASE(smmu_cd_s1dss),
	LT_CASE(smmu_cd_writer_steps),
	LT_CASE(smmu_cd_live_no_blocked_window),
	LT_CASE(smmu_cd_replace_under_dma),
};

const struct lt_suite lt_smmu_cd_suite = LT_SUITE("smmu_cd", smmu_cd_cases);
