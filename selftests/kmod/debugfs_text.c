// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the text of the vendors' debugfs files (intel/debugfs.c,
 * arm-smmu-v3/debugfs.c) in the self-tests: one line per hardware
 * entry, "<kind> [where] raw=<w0>,<w1>,... NAME=value ...", values in
 * hex or 0/1 (liommu_debugfs_entry()).
 */
#include <linux/kernel.h>
#include <linux/string.h>

#include "selftest.h"

/**
 * lt_dbg_line() - the line of a file's text that starts with a prefix
 * @buf: the text
 * @prefix: what the line starts with, e.g. "context " or "pasid pasid=0x0 "
 * @line: the line, without its newline
 * @len: room in @line
 *
 * Return: true if found (the first such line) and it fit.
 */
bool lt_dbg_line(const char *buf, const char *prefix, char *line, size_t len)
{
	size_t plen = strlen(prefix);
	const char *end;

	while (*buf) {
		end = strchrnul(buf, '\n');
		if (!strncmp(buf, prefix, plen)) {
			if (end - buf >= len)
				return false;
			memcpy(line, buf, end - buf);
			line[end - buf] = '\0';
			return true;
		}
		if (!*end)
			break;
		buf = end + 1;
	}
	return false;
}

/* The text after " @name=" in @line, up to the next space, into @val. */
bool lt_dbg_str(const char *line, const char *name, char *val, size_t len)
{
	char key[32];
	const char *p;
	size_t n;

	snprintf(key, sizeof(key), " %s=", name);
	p = strstr(line, key);
	if (!p)
		return false;
	p += strlen(key);
	n = strcspn(p, " \n");
	if (n >= len)
		return false;
	memcpy(val, p, n);
	val[n] = '\0';
	return true;
}

/**
 * lt_dbg_field() - a number a line names
 * @line: one line of a file's text
 * @name: a field or key, e.g. "DID", "PGTT", "sid"
 * @v: its value (hex with 0x, or decimal)
 *
 * Return: true if the line has " @name=" and a number follows.
 */
bool lt_dbg_field(const char *line, const char *name, u64 *v)
{
	char val[24];

	return lt_dbg_str(line, name, val, sizeof(val)) &&
	       !kstrtou64(val, 0, v);
}

/**
 * lt_dbg_raw() - the raw words of an entry's line
 * @line: one line of a file's text
 * @w: the words
 * @max: room in @w
 *
 * Return: the number of words, or -EINVAL when there is no raw= list or
 * it is longer than @max.
 */
int lt_dbg_raw(const char *line, u64 *w, unsigned int max)
{
	char val[8 * 20];
	char *p = val, *tok;
	unsigned int n = 0;

	if (!lt_dbg_str(line, "raw", val, sizeof(val)))
		return -EINVAL;
	while ((tok = strsep(&p, ","))) {
		if (n >= max || kstrtou64(tok, 0, &w[n]))
			return -EINVAL;
		n++;
	}
	return n;
}
