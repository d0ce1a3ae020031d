// SPDX-License-Identifier: GPL-2.0
/*
 * sva_*: SVA from a guest process (vtd-pasid-fl).  The process binds the
 * edu engines to its own address space through liommu_svatest.ko
 * (selftests/kmod/svatest.h) and drives PASID-tagged DMA at its own
 * virtual addresses: the device reads what the process wrote, its
 * writes land in the process's memory, a page never touched is faulted
 * in by the SVA domain's handler (the retry is this program's: QEMU's
 * VT-d has no page requests, so nothing tells the device to retry), and
 * munmap, mprotect, fork and exit reach the IOMMU.  Prints TAP.
 *
 * Built static by scripts/build (x86_64 targets), run by 15-sva.sh.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "svatest.h"

#define PAGE		4096UL
#define LEN		256
#define HUGE		(2UL << 20)

static int nr, failed;

static void ok(int pass, const char *name, const char *fmt, ...)
{
	va_list ap;

	nr++;
	if (fmt) {
		printf("# %s: ", name);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
	}
	printf("%sok %d %s\n", pass ? "" : "not ", nr, name);
	failed += !pass;
	fflush(stdout);
}

static void skip(const char *name, const char *why)
{
	printf("ok %d %s # SKIP %s\n", ++nr, name, why);
	fflush(stdout);
}

static int bind_edu(int fd, unsigned int edu, unsigned int *pasid)
{
	struct lsva_bind b = { .edu = edu };

	if (ioctl(fd, LSVA_BIND, &b))
		return -errno;
	*pasid = b.pasid;
	return 0;
}

/* One PASID-tagged transfer; the filled struct (error: -errno in .error). */
static struct lsva_dma dma(int fd, unsigned int edu, int to_ram, void *addr,
			   unsigned int off, unsigned int len, unsigned int pasid)
{
	struct lsva_dma d = {
		.edu = edu, .to_ram = to_ram, .addr = (uintptr_t)addr,
		.off = off, .len = len, .pasid = pasid,
	};

	if (ioctl(fd, LSVA_DMA, &d))
		d.error = 0x80000000u | errno;
	return d;
}

static struct lsva_stats stats(int fd)
{
	struct lsva_stats s = {};

	ioctl(fd, LSVA_STATS, &s);
	return s;
}

/* Load edu 0's buffer at @off with @len bytes of @v, from process memory. */
static int load(int fd, unsigned int pasid, unsigned int off, int v,
		unsigned int len)
{
	unsigned char *src = aligned_alloc(PAGE, PAGE);
	struct lsva_dma d;

	memset(src, v, PAGE);
	d = dma(fd, 0, 0, src, off, len, pasid);
	free(src);
	return d.error ? -1 : 0;
}

static int filled(const unsigned char *p, int v, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

static void *map(size_t len, int prot)
{
	void *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* The device reads what the process wrote; its writes land in memory. */
static void t_dma_roundtrip(int fd, unsigned int pasid)
{
	unsigned char *a = map(4 * PAGE, PROT_READ | PROT_WRITE);
	unsigned char *b = map(4 * PAGE, PROT_READ | PROT_WRITE);
	struct lsva_dma r, w;
	unsigned int i;
	int good = 1;

	if (!a || !b) {
		ok(0, "sva_dma_roundtrip", "mmap: %s", strerror(errno));
		return;
	}
	for (i = 0; i < 4 * PAGE; i++)
		a[i] = (unsigned char)(i * 7 + 3);
	memset(b, 0, 4 * PAGE);
	/* Several addresses: page starts, an odd offset, the last page. */
	for (i = 0; i < 3 && good; i++) {
		size_t at = i * PAGE + i * 0x123;

		r = dma(fd, 0, 0, a + at, 0, LEN, pasid);
		w = dma(fd, 0, 1, b + at + PAGE - LEN - i * 0x123, 0, LEN, pasid);
		good = !r.error && !w.error &&
		       !memcmp(b + at + PAGE - LEN - i * 0x123, a + at, LEN);
		if (!good)
			ok(0, "sva_dma_roundtrip",
			   "at %#zx: read error %#x, write error %#x", at,
			   r.error, w.error);
	}
	if (good)
		ok(1, "sva_dma_roundtrip", NULL);
	munmap(a, 4 * PAGE);
	munmap(b, 4 * PAGE);
}

/* The same through a 2 MiB transparent huge page, where the guest has one. */
static void t_dma_hugepage(int fd, unsigned int pasid)
{
	unsigned char *raw = map(2 * HUGE, PROT_READ | PROT_WRITE), *h;
	char line[256];
	unsigned long anon_huge = 0;
	struct lsva_dma w;
	FILE *f;

	if (!raw) {
		ok(0, "sva_dma_hugepage", "mmap: %s", strerror(errno));
		return;
	}
	h = (unsigned char *)(((uintptr_t)raw + HUGE - 1) & ~(HUGE - 1));
	madvise(h, HUGE, MADV_HUGEPAGE);
	memset(h, 0x11, HUGE);
	f = fopen("/proc/self/smaps_rollup", "r");
	while (f && fgets(line, sizeof(line), f))
		sscanf(line, "AnonHugePages: %lu kB", &anon_huge);
	if (f)
		fclose(f);
	if (!anon_huge) {
		skip("sva_dma_hugepage", "no transparent huge page in this guest");
		munmap(raw, 2 * HUGE);
		return;
	}
	load(fd, pasid, 0, 0x5c, LEN);
	w = dma(fd, 0, 1, h + HUGE - PAGE + 0x40, 0, LEN, pasid);
	ok(!w.error && filled(h + HUGE - PAGE + 0x40, 0x5c, LEN) &&
	   filled(h, 0x11, PAGE), "sva_dma_hugepage",
	   w.error ? "error %#x" : NULL, w.error);
	munmap(raw, 2 * HUGE);
}

/*
 * A page never touched: the first write faults, the handler faults the
 * page in, the test's retry lands.
 */
static void t_fault_in(int fd, unsigned int pasid)
{
	unsigned char *p = map(2 * PAGE, PROT_READ | PROT_WRITE);
	struct lsva_dma d1, d2;

	if (!p) {
		ok(0, "sva_fault_in_write", "mmap");
		return;
	}
	load(fd, pasid, 0, 0x77, LEN);
	d1 = dma(fd, 0, 1, p + PAGE + 0x10, 0, LEN, pasid);
	d2 = dma(fd, 0, 1, p + PAGE + 0x10, 0, LEN, pasid);
	ok((d1.error & LSVA_ERR_MEMTX) && d1.faults >= 1 && d1.fault_ok >= 1,
	   "sva_fault_in_write_faults_then_handled",
	   "first write to an untouched page: error %#x, SVA faults %llu, resolved %llu",
	   d1.error, (unsigned long long)d1.faults,
	   (unsigned long long)d1.fault_ok);
	printf("# the retry is the test's: QEMU's VT-d has no page requests, so the device is never told to retry\n");
	ok(!d2.error && d2.faults == 0 && filled(p + PAGE + 0x10, 0x77, LEN),
	   "sva_fault_in_write_retry_lands",
	   "retry: error %#x, faults %llu", d2.error,
	   (unsigned long long)d2.faults);
	/* A read of an untouched page: faulted in too (zeroes). */
	d1 = dma(fd, 0, 0, p + 0x200, 0x800, LEN, pasid);
	d2 = dma(fd, 0, 0, p + 0x200, 0x800, LEN, pasid);
	ok((d1.error & LSVA_ERR_MEMTX) && d1.fault_ok >= 1 && !d2.error,
	   "sva_fault_in_read", "read: first error %#x resolved %llu, retry %#x",
	   d1.error, (unsigned long long)d1.fault_ok, d2.error);
	munmap(p, 2 * PAGE);
}

/* A read-only mapping: the handler refuses the device's write. */
static void t_readonly(int fd, unsigned int pasid)
{
	unsigned char *p = map(PAGE, PROT_READ | PROT_WRITE);
	struct lsva_stats s;
	struct lsva_dma d1, d2;

	if (!p) {
		ok(0, "sva_readonly_refused", "mmap");
		return;
	}
	memset(p, 0x33, PAGE);
	mprotect(p, PAGE, PROT_READ);
	load(fd, pasid, 0, 0x44, LEN);
	d1 = dma(fd, 0, 1, p, 0, LEN, pasid);
	d2 = dma(fd, 0, 1, p, 0, LEN, pasid);
	s = stats(fd);
	ok((d1.error & LSVA_ERR_MEMTX) && d1.faults >= 1 && !d1.fault_ok &&
	   (d2.error & LSVA_ERR_MEMTX) && filled(p, 0x33, PAGE) &&
	   (s.last_perm & 2) && s.last_pasid == pasid,
	   "sva_readonly_refused",
	   "write to a read-only page: error %#x/%#x, faults %llu resolved %llu, last fault perm %#x PASID %#x",
	   d1.error, d2.error, (unsigned long long)d1.faults,
	   (unsigned long long)d1.fault_ok, s.last_perm, s.last_pasid);
	/* Reading it is fine. */
	d1 = dma(fd, 0, 0, p, 0, LEN, pasid);
	ok(!d1.error, "sva_readonly_read_works", d1.error ? "error %#x" : NULL,
	   d1.error);
	munmap(p, PAGE);
}

/* munmap and mprotect reach the device: a warm translation goes away. */
static void t_munmap_mprotect(int fd, unsigned int pasid)
{
	unsigned char *p = map(2 * PAGE, PROT_READ | PROT_WRITE);
	struct lsva_dma d;

	if (!p) {
		ok(0, "sva_munmap_reaches_device", "mmap");
		return;
	}
	memset(p, 0x21, 2 * PAGE);
	load(fd, pasid, 0, 0x22, LEN);
	d = dma(fd, 0, 1, p + PAGE, 0, LEN, pasid);	/* warm the IOTLB */
	if (d.error || !filled(p + PAGE, 0x22, LEN)) {
		ok(0, "sva_munmap_reaches_device", "warm-up write failed: %#x",
		   d.error);
		return;
	}
	mprotect(p + PAGE, PAGE, PROT_READ);
	load(fd, pasid, 0, 0x23, LEN);
	d = dma(fd, 0, 1, p + PAGE, 0, LEN, pasid);
	ok((d.error & LSVA_ERR_MEMTX) && filled(p + PAGE, 0x22, LEN),
	   "sva_mprotect_reaches_device",
	   "write after mprotect(PROT_READ): error %#x", d.error);
	d = dma(fd, 0, 0, p, 0, LEN, pasid);		/* warm page 0 */
	munmap(p, 2 * PAGE);
	d = dma(fd, 0, 0, p, 0, LEN, pasid);
	ok((d.error & LSVA_ERR_MEMTX) && d.faults >= 1 && !d.fault_ok,
	   "sva_munmap_reaches_device",
	   "read after munmap: error %#x, faults %llu resolved %llu", d.error,
	   (unsigned long long)d.faults, (unsigned long long)d.fault_ok);
}

/* Another PASID reaches nothing of this process. */
static void t_other_pasid(int fd, unsigned int pasid)
{
	unsigned char *p = map(PAGE, PROT_READ | PROT_WRITE);
	unsigned int other = pasid == 1 ? 2 : pasid - 1;
	struct lsva_dma d;

	if (!p) {
		ok(0, "sva_other_pasid_isolated", "mmap");
		return;
	}
	memset(p, 0x55, PAGE);
	load(fd, pasid, 0, 0x66, LEN);
	d = dma(fd, 0, 1, p, 0, LEN, other);
	ok((d.error & LSVA_ERR_MEMTX) && filled(p, 0x55, PAGE),
	   "sva_other_pasid_isolated", "PASID %#x: error %#x", other, d.error);
	d = dma(fd, 1, 1, p, 0, LEN, pasid);
	/* Faulted, or refused by edu itself (PASID Enable off once unbound). */
	ok(d.error && filled(p, 0x55, PAGE),
	   "sva_unbound_device_isolated",
	   "edu 1, not bound, with this PASID: error %#x", d.error);
	munmap(p, PAGE);
}

/*
 * fork: the parent's pages turn copy-on-write; a device write after the
 * child exits faults, the handler breaks the COW, the retry lands in the
 * parent's memory.  No warning.
 */
static void t_fork(int fd, unsigned int pasid)
{
	unsigned char *p = map(PAGE, PROT_READ | PROT_WRITE);
	struct lsva_dma d1, d2;
	int status;
	pid_t pid;

	if (!p) {
		ok(0, "sva_fork_cow", "mmap");
		return;
	}
	memset(p, 0x10, PAGE);
	load(fd, pasid, 0, 0x12, LEN);
	d1 = dma(fd, 0, 1, p, 0, LEN, pasid);		/* warm it */
	pid = fork();
	if (!pid)
		_exit(p[0] == 0x12 ? 0 : 1);
	waitpid(pid, &status, 0);
	load(fd, pasid, 0, 0x13, LEN);
	d1 = dma(fd, 0, 1, p, 0, LEN, pasid);
	if (d1.error)
		d2 = dma(fd, 0, 1, p, 0, LEN, pasid);
	else
		d2 = d1;
	ok(WIFEXITED(status) && !WEXITSTATUS(status) && !d2.error &&
	   filled(p, 0x13, LEN), "sva_fork_cow",
	   "child %d, after fork: first write error %#x (faults %llu), retry %#x",
	   WIFEXITED(status) ? WEXITSTATUS(status) : -1, d1.error,
	   (unsigned long long)d1.faults, d2.error);
	munmap(p, PAGE);
}

/*
 * A child binds its own address space (another PASID), proves DMA, and
 * exits still bound: its PASID is blocked at exit and freed when its
 * file closes; the parent's binding is untouched.
 */
static void t_child_exit(int fd, unsigned int pasid)
{
	struct lsva_stats before = stats(fd), after;
	unsigned char *p = map(PAGE, PROT_READ | PROT_WRITE);
	int status, pipefd[2];
	unsigned int child_pasid = 0;
	struct lsva_dma d;
	pid_t pid;

	if (!p || pipe(pipefd)) {
		ok(0, "sva_child_exit_frees_pasid", "mmap/pipe");
		return;
	}
	pid = fork();
	if (!pid) {
		int cfd = open(LSVA_DEV, O_RDWR);
		unsigned int cp = 0;
		struct lsva_dma cd;
		int rc = 1;

		memset(p, 0x61, PAGE);
		if (cfd >= 0 && !bind_edu(cfd, 0, &cp)) {
			load(cfd, cp, 0, 0x62, LEN);
			cd = dma(cfd, 0, 1, p, 0, LEN, cp);
			rc = cd.error || !filled(p, 0x62, LEN) ? 2 : 0;
		}
		if (write(pipefd[1], &cp, sizeof(cp)) != sizeof(cp))
			rc = 3;
		_exit(rc);	/* still bound: exit tears it down */
	}
	if (read(pipefd[0], &child_pasid, sizeof(child_pasid)) !=
	    sizeof(child_pasid))
		child_pasid = 0;
	waitpid(pid, &status, 0);
	close(pipefd[0]);
	close(pipefd[1]);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0 && child_pasid &&
	   child_pasid != pasid, "sva_child_binds_own_pasid",
	   "child status %d, PASID %#x (parent %#x)",
	   WIFEXITED(status) ? WEXITSTATUS(status) : -1, child_pasid, pasid);
	after = stats(fd);
	ok(after.live_mms == before.live_mms, "sva_child_exit_frees_pasid",
	   "bound address spaces: %lld before the child, %lld after it exited",
	   (long long)before.live_mms, (long long)after.live_mms);
	/* Its PASID now reaches nothing. */
	memset(p, 0x70, PAGE);
	d = dma(fd, 0, 1, p, 0, LEN, child_pasid ? child_pasid : pasid + 1);
	ok((d.error & LSVA_ERR_MEMTX) && filled(p, 0x70, PAGE),
	   "sva_dead_child_pasid_blocked", "error %#x", d.error);
	/* And the parent's still works. */
	load(fd, pasid, 0, 0x71, LEN);
	d = dma(fd, 0, 1, p, 0, LEN, pasid);
	ok(!d.error && filled(p, 0x71, LEN), "sva_parent_unaffected",
	   d.error ? "error %#x" : NULL, d.error);
	munmap(p, PAGE);
}

/*
 * A child binds its own address space through the parent's file and
 * exits: the binding outlives the mm, so only the mm's release stands
 * between the device and the freed page table.  Its PASID must fault
 * (not walk freed tables) while the binding still exists.
 */
static void t_child_exit_binding_kept(int fd, unsigned int pasid)
{
	struct lsva_stats before = stats(fd), after;
	unsigned char *p = map(PAGE, PROT_READ | PROT_WRITE);
	unsigned int child_pasid = 0;
	int status, pipefd[2];
	struct lsva_dma d;
	pid_t pid;

	if (!p || pipe(pipefd)) {
		ok(0, "sva_released_mm_blocked", "mmap/pipe");
		return;
	}
	pid = fork();
	if (!pid) {
		unsigned int cp = 0;

		memset(p, 0x81, PAGE);
		bind_edu(fd, 0, &cp);
		if (write(pipefd[1], &cp, sizeof(cp)) != sizeof(cp))
			_exit(3);
		_exit(cp ? 0 : 2);	/* exits bound, the file stays open */
	}
	if (read(pipefd[0], &child_pasid, sizeof(child_pasid)) !=
	    sizeof(child_pasid))
		child_pasid = 0;
	waitpid(pid, &status, 0);
	close(pipefd[0]);
	close(pipefd[1]);
	after = stats(fd);
	memset(p, 0x82, PAGE);
	load(fd, pasid, 0, 0x83, LEN);
	d = dma(fd, 0, 1, p, 0, LEN, child_pasid ? child_pasid : pasid + 7);
	ok(WIFEXITED(status) && !WEXITSTATUS(status) && child_pasid &&
	   after.live_mms == before.live_mms + 1 &&
	   (d.error & LSVA_ERR_MEMTX) && filled(p, 0x82, PAGE),
	   "sva_released_mm_blocked",
	   "child status %d PASID %#x; bound mms %lld -> %lld (binding kept); DMA with its PASID: error %#x",
	   WIFEXITED(status) ? WEXITSTATUS(status) : -1, child_pasid,
	   (long long)before.live_mms, (long long)after.live_mms, d.error);
	munmap(p, PAGE);
}

/*
 * The mm keeps its PASID after its last unbind, until it goes away: a
 * child binds, unbinds (its PASID is kept: the same one on the next
 * bind), unbinds again and exits with nothing bound; its kept PASID
 * goes with its mm.
 */
static void t_kept_pasid(void)
{
	struct { unsigned int p1, p2; long long kept, bound; } c = { 0 };
	struct lsva_stats before, after;
	int status, pipefd[2], fd;
	pid_t pid;

	fd = open(LSVA_DEV, O_RDWR);
	if (fd < 0 || pipe(pipefd)) {
		ok(0, "sva_unbind_keeps_pasid", "open/pipe");
		return;
	}
	before = stats(fd);
	pid = fork();
	if (!pid) {
		int cfd = open(LSVA_DEV, O_RDWR);
		struct lsva_stats s;

		if (cfd >= 0 && !bind_edu(cfd, 0, &c.p1) &&
		    !ioctl(cfd, LSVA_UNBIND, &(unsigned int){0})) {
			s = stats(cfd);
			c.kept = s.kept_mms;
			c.bound = s.live_mms;
			if (!bind_edu(cfd, 0, &c.p2))
				ioctl(cfd, LSVA_UNBIND, &(unsigned int){0});
		}
		if (write(pipefd[1], &c, sizeof(c)) != sizeof(c))
			_exit(3);
		_exit(0);	/* nothing bound: only the kept PASID */
	}
	if (read(pipefd[0], &c, sizeof(c)) != sizeof(c))
		memset(&c, 0, sizeof(c));
	waitpid(pid, &status, 0);
	close(pipefd[0]);
	close(pipefd[1]);
	ok(WIFEXITED(status) && !WEXITSTATUS(status) && c.p1 && c.p2 == c.p1 &&
	   c.kept == before.kept_mms + 1 && c.bound == before.live_mms,
	   "sva_unbind_keeps_pasid",
	   "PASID %#x, after unbind: kept %lld (was %lld), bound %lld (was %lld); bound again: PASID %#x",
	   c.p1, c.kept, (long long)before.kept_mms, c.bound,
	   (long long)before.live_mms, c.p2);
	after = stats(fd);
	ok(after.kept_mms == before.kept_mms && after.live_mms == before.live_mms,
	   "sva_exit_frees_kept_pasid",
	   "kept address spaces %lld before the child, %lld after it exited",
	   (long long)before.kept_mms, (long long)after.kept_mms);
	close(fd);
}

int main(void)
{
	unsigned int pasid = 0, again = 0, pasid1 = 0;
	struct lsva_stats s;
	int fd, err;

	printf("TAP version 13\n");
	fd = open(LSVA_DEV, O_RDWR);
	if (fd < 0) {
		ok(0, "sva_open", "%s: %s", LSVA_DEV, strerror(errno));
		printf("1..%d\n", nr);
		return 1;
	}
	err = bind_edu(fd, 0, &pasid);
	ok(!err && pasid, "sva_bind", err ? "bind: %s" : NULL, strerror(-err));
	if (err) {
		printf("1..%d\n", nr);
		return 1;
	}
	err = bind_edu(fd, 0, &again);
	ok(!err && again == pasid, "sva_bind_again_same_pasid",
	   "second bind: %d, PASID %#x vs %#x", err, again, pasid);
	err = bind_edu(fd, 1, &pasid1);
	ok(!err && pasid1 == pasid, "sva_one_pasid_per_mm",
	   "edu 1: %d, PASID %#x vs %#x", err, pasid1, pasid);
	s = stats(fd);
	ok(s.live_mms == 1, "sva_one_mm_bound", "live %lld",
	   (long long)s.live_mms);
	/* Drop the extra binds: edu 1 unbound, edu 0 bound once. */
	ok(!ioctl(fd, LSVA_UNBIND, &(unsigned int){1}) &&
	   !ioctl(fd, LSVA_UNBIND, &(unsigned int){0}), "sva_unbind_counted",
	   NULL);

	t_dma_roundtrip(fd, pasid);
	t_dma_hugepage(fd, pasid);
	t_fault_in(fd, pasid);
	t_readonly(fd, pasid);
	t_munmap_mprotect(fd, pasid);
	t_other_pasid(fd, pasid);
	t_fork(fd, pasid);
	t_child_exit(fd, pasid);
	t_child_exit_binding_kept(fd, pasid);
	t_kept_pasid();

	close(fd);
	fd = open(LSVA_DEV, O_RDWR);
	s = stats(fd);
	ok(fd >= 0 && s.live_mms == 0, "sva_close_unbinds_all",
	   "bound address spaces after close: %lld", (long long)s.live_mms);
	close(fd);
	printf("1..%d\n", nr);
	return failed ? 1 : 0;
}
