// SPDX-License-Identifier: GPL-2.0
/*
 * KTAP output for the liommu self-test module (see ktap.h).
 *
 * Lines are printed with KERN_INFO and no prefix, so that the console log
 * carries plain KTAP behind the printk timestamp.
 */
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/string.h>

#include "ktap.h"

#define LT_INDENT "    "

void lt_fail(struct lt_ctx *t, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	t->failed = true;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_info(LT_INDENT "# %s: %pV\n", t->name, &vaf);
	va_end(args);
}

void lt_info(struct lt_ctx *t, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_info(LT_INDENT "# %s: %pV\n", t->name, &vaf);
	va_end(args);
}

void lt_skip(struct lt_ctx *t, const char *reason)
{
	t->skip_reason = reason;
}

/* Is @name in the comma-separated list @only (NULL or "" = all)? */
static bool lt_selected(const char *only, const char *name)
{
	size_t len = strlen(name);
	const char *p = only;

	if (!only || !*only)
		return true;
	while ((p = strstr(p, name))) {
		if ((p == only || p[-1] == ',') &&
		    (p[len] == '\0' || p[len] == ','))
			return true;
		p += len;
	}
	return false;
}

static bool lt_run_suite(const struct lt_suite *s, unsigned int num,
			 unsigned int *failed)
{
	bool suite_ok = true;
	unsigned int i;

	pr_info(LT_INDENT "KTAP version 1\n");
	pr_info(LT_INDENT "# Subtest: %s\n", s->name);
	pr_info(LT_INDENT "1..%u\n", s->nr_cases);
	for (i = 0; i < s->nr_cases; i++) {
		struct lt_ctx t = { .name = s->cases[i].name };

		s->cases[i].run(&t);
		if (t.failed) {
			pr_info(LT_INDENT "not ok %u %s\n", i + 1, t.name);
			suite_ok = false;
			(*failed)++;
		} else if (t.skip_reason) {
			pr_info(LT_INDENT "ok %u %s # SKIP %s\n", i + 1, t.name,
				t.skip_reason);
		} else {
			pr_info(LT_INDENT "ok %u %s\n", i + 1, t.name);
		}
	}
	pr_info("%s %u %s\n", suite_ok ? "ok" : "not ok", num, s->name);
	return suite_ok;
}

unsigned int lt_run(const struct lt_suite *const *suites, unsigned int nr_suites,
		    const char *only)
{
	unsigned int i, n = 0, failed = 0;

	for (i = 0; i < nr_suites; i++)
		n += lt_selected(only, suites[i]->name);
	pr_info("KTAP version 1\n");
	if (!n) {
		pr_info("1..0 # SKIP no suite selected for this machine\n");
		return 0;
	}
	pr_info("1..%u\n", n);
	for (i = 0, n = 0; i < nr_suites; i++)
		if (lt_selected(only, suites[i]->name))
			lt_run_suite(suites[i], ++n, &failed);
	return failed;
}
