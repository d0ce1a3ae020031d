// SPDX-License-Identifier: GPL-2.0
/*
 * vtd_writer_*: the VT-d entry writer never lets the unit see a
 * half-written entry.
 *
 * The writer's self-test hook records the entry after every store; each
 * recorded state must be one the unit may fetch safely: not present, or
 * exactly the complete old or new entry (STYLE rule 10).  Runs on test
 * buffers of the three entry sizes (128-bit context, 256-bit scalable
 * context, 512-bit PASID entries), never on a live table.
 */
#include <linux/slab.h>
#include <linux/string.h>

#include <liommu/vtd.h>
#include "selftest.h"

#define MAX_WORDS	8
#define MAX_STEPS	16
#define ENTRY_P		cpu_to_le64(1)

struct recorder {
	const __le64 *watch;
	unsigned int words;
	unsigned int n;
	__le64 step[MAX_STEPS][MAX_WORDS];
};

static void record(const __le64 *live, unsigned int words, void *data)
{
	struct recorder *r = data;

	if (live != r->watch || r->n >= MAX_STEPS)
		return;
	memcpy(r->step[r->n++], live, words * sizeof(*live));
}

static void fill(__le64 *e, unsigned int words, u64 seed)
{
	unsigned int i;

	for (i = 0; i < words; i++)
		e[i] = cpu_to_le64(seed * 0x9e3779b97f4a7c15ULL + i * 0x1000 + 0x10);
	e[0] |= ENTRY_P;
}

/* Every recorded state is not present, @a or @b (whole). */
static void check_steps(struct lt_ctx *t, const struct recorder *r,
			const __le64 *a, const __le64 *b, const char *what)
{
	size_t sz = r->words * sizeof(*a);
	unsigned int i;

	for (i = 0; i < r->n; i++) {
		const __le64 *s = r->step[i];

		if (!(s[0] & ENTRY_P))
			continue;
		if ((a && !memcmp(s, a, sz)) || (b && !memcmp(s, b, sz)))
			continue;
		lt_fail(t, "%s, %u-bit entry: step %u is present but neither old nor new (word 0 %#llx)",
			what, r->words * 64, i, le64_to_cpu(s[0]));
	}
}

static void install_and_clear(struct lt_ctx *t, unsigned int words)
{
	__le64 live[MAX_WORDS] = {}, target[MAX_WORDS], zero[MAX_WORDS] = {};
	struct recorder *r = kzalloc(sizeof(*r), GFP_KERNEL);
	size_t sz = words * sizeof(*live);

	if (!r) {
		lt_fail(t, "no memory");
		return;
	}
	fill(target, words, words);
	r->watch = live;
	r->words = words;
	liommu_vtd_set_entry_observer(record, r);

	lt_expect_eq(t, liommu_vtd_test_entry_write(0, live, target, words), 0,
		     "install");
	check_steps(t, r, NULL, target, "install");
	lt_expect_eq(t, r->n, words, "one recorded store per word");
	lt_expect_true(t, !memcmp(live, target, sz), "installed entry complete");
	lt_expect_true(t, r->n && !memcmp(r->step[r->n - 1], target, sz),
		       "present bit written last");

	r->n = 0;
	lt_expect_eq(t, liommu_vtd_test_entry_clear(0, live, words), 0, "clear");
	check_steps(t, r, target, NULL, "clear");
	lt_expect_true(t, r->n && !(r->step[0][0] & ENTRY_P),
		       "present bit cleared first");
	lt_expect_true(t, !memcmp(live, zero, sz), "cleared entry zero");

	liommu_vtd_set_entry_observer(NULL, NULL);
	kfree(r);
}

static void vtd_writer_context_128(struct lt_ctx *t)
{
	install_and_clear(t, 2);
}

static void vtd_writer_context_256(struct lt_ctx *t)
{
	install_and_clear(t, 4);
}

static void vtd_writer_pasid_512(struct lt_ctx *t)
{
	install_and_clear(t, 8);
}

/* A present entry is never edited in place: a different target is refused. */
static void vtd_writer_no_live_edit(struct lt_ctx *t)
{
	__le64 live[MAX_WORDS], old[MAX_WORDS], target[MAX_WORDS];
	struct recorder *r = kzalloc(sizeof(*r), GFP_KERNEL);

	if (!r) {
		lt_fail(t, "no memory");
		return;
	}
	fill(live, 8, 1);
	memcpy(old, live, sizeof(old));
	fill(target, 8, 2);
	r->watch = live;
	r->words = 8;
	liommu_vtd_set_entry_observer(record, r);
	lt_expect_eq(t, liommu_vtd_test_entry_write(0, live, target, 8), -EBUSY,
		     "different present entry");
	lt_expect_eq(t, liommu_vtd_test_entry_write(0, live, old, 8), 0,
		     "the same entry again");
	lt_expect_eq(t, r->n, 0, "no store at all");
	lt_expect_true(t, !memcmp(live, old, sizeof(old)), "entry unchanged");
	liommu_vtd_set_entry_observer(NULL, NULL);
	kfree(r);
}

static void vtd_writer_errors(struct lt_ctx *t)
{
	__le64 live[MAX_WORDS] = {}, target[MAX_WORDS];

	fill(target, 8, 3);
	lt_expect_eq(t, liommu_vtd_test_entry_write(0, live, target, 3), -EINVAL,
		     "3 words");
	lt_expect_eq(t, liommu_vtd_test_entry_write(0, NULL, target, 2), -EINVAL,
		     "NULL entry");
	lt_expect_eq(t, liommu_vtd_test_entry_write(liommu_vtd_nr_units(), live,
						    target, 2), -ENOENT,
		     "no such unit");
	lt_expect_eq(t, liommu_vtd_test_entry_clear(0, live, 16), -EINVAL,
		     "16 words");
	lt_expect_true(t, !memchr_inv(live, 0, sizeof(live)), "nothing written");
}

static const struct lt_case vtd_writer_cases[] = {
	LT_CASE(vtd_writer_context_128),
	LT_CASE(vtd_writer_context_256),
	LT_CASE(vtd_writer_pasid_512),
	LT_CASE(vtd_writer_no_live_edit),
	LT_CASE(vtd_writer_errors),
};

const struct lt_suite lt_vtd_writer_suite = LT_SUITE("vtd_writer", vtd_writer_cases);
