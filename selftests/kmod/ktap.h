/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small KTAP runner for the liommu self-test module.
 *
 * Debian's kernels have no KUnit, so the self-test module carries its own:
 * suites of cases, each case a function that records failures through the
 * lt_*() helpers below.  Output is KTAP version 1, one nested subtest per
 * suite, diagnostics as '#' lines before the result they explain.
 */
#ifndef _LIOMMU_SELFTEST_KTAP_H
#define _LIOMMU_SELFTEST_KTAP_H

#include <linux/types.h>

struct lt_ctx;

struct lt_case {
	const char *name;
	void (*run)(struct lt_ctx *t);
};

struct lt_suite {
	const char *name;
	const struct lt_case *cases;
	unsigned int nr_cases;
};

/**
 * struct lt_ctx - state of the running case
 * @name: case name
 * @failed: a check failed
 * @skip_reason: set by lt_skip(); the case is reported as skipped
 */
struct lt_ctx {
	const char *name;
	bool failed;
	const char *skip_reason;
};

#define LT_CASE(fn) { .name = #fn, .run = fn }
#define LT_SUITE(sname, arr) \
	{ .name = sname, .cases = arr, .nr_cases = ARRAY_SIZE(arr) }

__printf(2, 3) void lt_fail(struct lt_ctx *t, const char *fmt, ...);
__printf(2, 3) void lt_info(struct lt_ctx *t, const char *fmt, ...);
void lt_skip(struct lt_ctx *t, const char *reason);

/* Compare two integers; on mismatch fail with both values and a label. */
#define lt_expect_eq(t, got, want, what)				\
	({								\
		long long __g = (long long)(got);			\
		long long __w = (long long)(want);			\
		if (__g != __w)						\
			lt_fail(t, "%s: expected %lld (%#llx), got %lld (%#llx)", \
				what, __w, __w, __g, __g);		\
		__g == __w;						\
	})

#define lt_expect_true(t, cond, what)					\
	({								\
		bool __c = (cond);					\
		if (!__c)						\
			lt_fail(t, "%s: not true: %s", what, #cond);	\
		__c;							\
	})

/* Run the suites; returns the number of failed cases. */
unsigned int lt_run(const struct lt_suite *const *suites, unsigned int nr_suites,
		    const char *only);

#endif /* _LIOMMU_SELFTEST_KTAP_H */
