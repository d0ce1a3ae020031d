// SPDX-License-Identifier: GPL-2.0
/*
 * iommufd_*: userspace DMA through /dev/iommufd-lite and its device nodes.
 *
 * The program drives QEMU's edu devices the way a userspace driver would:
 * it binds each edu node (/dev/liommu/<bdf>, the devices handed to
 * iommufd_lite by 70-iommufd.sh) to an iommufd-lite fd, maps its own
 * memory into IOASes, programs edu's DMA engine through the mmapped BAR
 * and checks the bytes on both sides.  Then every command is given bad
 * input and must answer with upstream's errno, memory accounting and
 * cleanup on close are checked against the module's and the core's
 * counters (/sys/kernel/debug/iommufd-lite/stats), and two processes are
 * shown to be kept apart.  Prints TAP.
 *
 * Usage: iommufd_user BDF0 BDF1 [nested]; "nested" on a profile whose
 * unit nests (smmu-nested).  Built static for x86_64 and arm64 by
 * scripts/build.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <uapi/liommu/iommufd.h>
#include <uapi/liommu/vfio.h>

#define PAGE		4096UL
#define EDU_BAR_SIZE	(1UL << 20)
#define EDU_BUF		0x40000UL
#define EDU_REG_ID	0x00
#define EDU_DMA_SRC	0x80
#define EDU_DMA_DST	0x88
#define EDU_DMA_COUNT	0x90
#define EDU_DMA_CMD	0x98
#define EDU_DMA_START	1
#define EDU_DMA_TO_RAM	2
#define PCI_CMD_OFF	4
#define PCI_CMD_MEMORY	0x2
#define PCI_CMD_MASTER	0x4
#define STATS		"/sys/kernel/debug/iommufd-lite/stats"

static int nr, failed;

static void ok(int pass, const char *name, const char *fmt, ...)
{
	va_list ap;

	nr++;
	if (fmt && !pass) {
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

/* errno of a call that is to fail: 0 if it succeeded. */
static int fails(int ret)
{
	return ret ? errno : 0;
}

static void expect_errno(const char *name, int ret, int want)
{
	int got = fails(ret);

	ok(got == want, name, "errno %d (%s), want %d (%s)", got,
	   got ? strerror(got) : "success", want, strerror(want));
}

static long stat_of(const char *key)
{
	char line[128], k[64];
	long v, found = -1;
	FILE *f = fopen(STATS, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %ld", k, &v) == 2 && !strcmp(k, key))
			found = v;
	fclose(f);
	return found;
}

static long status_kb(const char *key)
{
	char line[128];
	long v = -1;
	size_t n = strlen(key);
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':')
			v = strtol(line + n + 1, NULL, 10);
	fclose(f);
	return v;
}

static long meminfo_kb(const char *key)
{
	char line[128];
	long v = -1;
	size_t n = strlen(key);
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':')
			v = strtol(line + n + 1, NULL, 10);
	fclose(f);
	return v;
}

/*
 * After a DMA that is meant to fault: let the unit's fault report reach
 * the console before the next TAP line, so that the two never share a
 * line.
 */
static void settle(void)
{
	usleep(300000);
}

static void write_proc(const char *path, const char *s);

/*
 * The system's FOLL_PIN pins so far, acquired - released, or LONG_MIN if
 * unknown.  The per-CPU parts of the counters are folded in first
 * (vm/stat_refresh): without that the difference can even be negative
 * (seen on the debug kernel: -1).
 */
static long pins_held(void)
{
	char key[64];
	long v, acq = -1, rel = -1;
	FILE *f;

	write_proc("/proc/sys/vm/stat_refresh", "1");
	f = fopen("/proc/vmstat", "r");
	if (!f)
		return LONG_MIN;
	while (fscanf(f, "%63s %ld", key, &v) == 2) {
		if (!strcmp(key, "nr_foll_pin_acquired"))
			acq = v;
		else if (!strcmp(key, "nr_foll_pin_released"))
			rel = v;
	}
	fclose(f);
	return acq < 0 || rel < 0 ? LONG_MIN : acq - rel;
}

static void write_proc(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(s, f);
		fclose(f);
	}
}

/*
 * MemFree back to at least @want kB.  Freed pages reach it with delay:
 * the per-CPU page lists and LRU batches keep some (7.3 kept a whole
 * 8 MiB buffer's worth); dropping caches and compacting drains them.
 */
static long memfree_back(long want)
{
	long v = meminfo_kb("MemFree");
	int i;

	for (i = 0; i < 20 && v < want; i++) {
		if (i == 5) {
			write_proc("/proc/sys/vm/drop_caches", "3");
			write_proc("/proc/sys/vm/compact_memory", "1");
		}
		usleep(100000);
		v = meminfo_kb("MemFree");
	}
	return v;
}

/* I/O page faults the core took from @bdf's unit since load. */
static long unit_faults(const char *bdf)
{
	char key[64];

	snprintf(key, sizeof(key), "unit_faults:%s", bdf);
	return stat_of(key);
}

/* The PCI command register as the kernel sees it (sysfs). */
static int sysfs_command(const char *bdf)
{
	char path[96];
	uint16_t cmd = 0;
	int fd, r;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", bdf);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	r = pread(fd, &cmd, 2, PCI_CMD_OFF);
	close(fd);
	return r == 2 ? cmd : -1;
}

/* ---- iommufd-lite --------------------------------------------------- */

static int ufd_open(void)
{
	return open("/dev/iommufd-lite", O_RDWR);
}

static int ioas_alloc(int fd, uint32_t *id)
{
	struct iommu_ioas_alloc c = { .size = sizeof(c) };
	int r = ioctl(fd, IOMMU_IOAS_ALLOC, &c);

	*id = c.out_ioas_id;
	return r;
}

static int ioas_map(int fd, uint32_t ioas, void *buf, uint64_t len,
		    uint64_t *iova, uint32_t flags)
{
	struct iommu_ioas_map m = {
		.size = sizeof(m), .flags = flags, .ioas_id = ioas,
		.user_va = (uintptr_t)buf, .length = len, .iova = *iova,
	};
	int r = ioctl(fd, IOMMU_IOAS_MAP, &m);

	if (!r)
		*iova = m.iova;
	return r;
}

#define RW	(IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE)
#define FIXED	IOMMU_IOAS_MAP_FIXED_IOVA

static int ioas_unmap(int fd, uint32_t ioas, uint64_t iova, uint64_t len,
		      uint64_t *out)
{
	struct iommu_ioas_unmap u = {
		.size = sizeof(u), .ioas_id = ioas, .iova = iova, .length = len,
	};
	int r = ioctl(fd, IOMMU_IOAS_UNMAP, &u);

	if (out)
		*out = u.length;
	return r;
}

static int destroy(int fd, uint32_t id)
{
	struct iommu_destroy d = { .size = sizeof(d), .id = id };

	return ioctl(fd, IOMMU_DESTROY, &d);
}

static int hwpt_alloc(int fd, uint32_t dev, uint32_t pt, uint32_t flags,
		      uint32_t type, void *data, uint32_t len, uint32_t *out)
{
	struct iommu_hwpt_alloc h = {
		.size = sizeof(h), .flags = flags, .dev_id = dev, .pt_id = pt,
		.data_type = type, .data_len = len, .data_uptr = (uintptr_t)data,
	};
	int r = ioctl(fd, IOMMU_HWPT_ALLOC, &h);

	*out = h.out_hwpt_id;
	return r;
}

/* ---- edu through its node -------------------------------------------- */

struct edu {
	const char *bdf;
	int fd;
	uint32_t devid;
	volatile uint8_t *bar;
};

static int edu_open(struct edu *e, const char *bdf)
{
	char path[64];

	memset(e, 0, sizeof(*e));
	e->bdf = bdf;
	snprintf(path, sizeof(path), "/dev/liommu/%s", bdf);
	e->fd = open(path, O_RDWR);
	return e->fd < 0 ? -1 : 0;
}

static int edu_bind(struct edu *e, int ufd)
{
	struct vfio_device_bind_iommufd b = {
		.argsz = sizeof(b), .iommufd = ufd,
	};

	if (ioctl(e->fd, VFIO_DEVICE_BIND_IOMMUFD, &b))
		return -1;
	e->devid = b.out_devid;
	return 0;
}

static int edu_attach(struct edu *e, uint32_t *pt)
{
	struct vfio_device_attach_iommufd_pt a = {
		.argsz = sizeof(a), .pt_id = *pt,
	};
	int r = ioctl(e->fd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &a);

	*pt = a.pt_id;
	return r;
}

static int edu_detach(struct edu *e)
{
	struct vfio_device_detach_iommufd_pt d = { .argsz = sizeof(d) };

	return ioctl(e->fd, VFIO_DEVICE_DETACH_IOMMUFD_PT, &d);
}

static int edu_command(struct edu *e, uint16_t cmd)
{
	off_t cfg = LIOMMU_VFIO_REGION_OFFSET(VFIO_PCI_CONFIG_REGION_INDEX);

	return pwrite(e->fd, &cmd, 2, cfg + PCI_CMD_OFF) == 2 ? 0 : -1;
}

static int edu_read_command(struct edu *e, uint16_t *cmd)
{
	off_t cfg = LIOMMU_VFIO_REGION_OFFSET(VFIO_PCI_CONFIG_REGION_INDEX);

	return pread(e->fd, cmd, 2, cfg + PCI_CMD_OFF) == 2 ? 0 : -1;
}

/* Map BAR0 and turn on memory decoding and bus mastering. */
static int edu_start(struct edu *e)
{
	void *p = mmap(NULL, EDU_BAR_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		       e->fd, LIOMMU_VFIO_REGION_OFFSET(VFIO_PCI_BAR0_REGION_INDEX));

	if (p == MAP_FAILED)
		return -1;
	e->bar = p;
	return edu_command(e, PCI_CMD_MEMORY | PCI_CMD_MASTER);
}

static void edu_close(struct edu *e)
{
	if (e->bar)
		munmap((void *)e->bar, EDU_BAR_SIZE);
	if (e->fd >= 0)
		close(e->fd);
	e->bar = NULL;
	e->fd = -1;
}

static void wr64(struct edu *e, unsigned int reg, uint64_t v)
{
	*(volatile uint64_t *)(e->bar + reg) = v;
}

static uint64_t rd64(struct edu *e, unsigned int reg)
{
	return *(volatile uint64_t *)(e->bar + reg);
}

/* One transfer; 0 when the engine finished (whatever it moved). */
static int edu_dma(struct edu *e, uint64_t iova, unsigned int off,
		   unsigned int len, int to_ram)
{
	struct timespec t0, t;

	wr64(e, EDU_DMA_SRC, to_ram ? EDU_BUF + off : iova);
	wr64(e, EDU_DMA_DST, to_ram ? iova : EDU_BUF + off);
	wr64(e, EDU_DMA_COUNT, len);
	wr64(e, EDU_DMA_CMD, EDU_DMA_START | (to_ram ? EDU_DMA_TO_RAM : 0));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (rd64(e, EDU_DMA_CMD) & EDU_DMA_START) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec > 5)
			return -1;
		usleep(10000);
	}
	return 0;
}

static void *anon(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	memset(p, 0, len);
	return p;
}

static void fill(uint8_t *p, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 7 + seed);
}

static int all(const uint8_t *p, int v, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

/* ---- one set-up: fd, an IOAS, edu bound, attached and started ------- */

struct env {
	int fd;
	uint32_t ioas;
	uint32_t hwpt;
	struct edu e;
};

static int env_open(struct env *v, const char *bdf)
{
	memset(v, 0, sizeof(*v));
	v->e.fd = -1;
	v->fd = ufd_open();
	if (v->fd < 0 || ioas_alloc(v->fd, &v->ioas) || edu_open(&v->e, bdf) ||
	    edu_bind(&v->e, v->fd))
		return -1;
	v->hwpt = v->ioas;
	if (edu_attach(&v->e, &v->hwpt) || edu_start(&v->e))
		return -1;
	return 0;
}

static void env_close(struct env *v)
{
	edu_close(&v->e);
	if (v->fd >= 0)
		close(v->fd);
	v->fd = -1;
}

/* ---- cases ------------------------------------------------------------ */

static void t_node(const char *bdf0)
{
	struct stat st = {};
	struct edu a, b;
	int fd;

	ok(!stat("/dev/iommufd-lite", &st) && (st.st_mode & 0777) == 0600 &&
	   S_ISCHR(st.st_mode), "iommufd_node_mode_0600", "mode %o",
	   st.st_mode & 0777);
	fd = ufd_open();
	ok(fd >= 0 && !edu_open(&a, bdf0) && !edu_bind(&a, fd) && a.devid,
	   "iommufd_bind_device", "%s: %s", bdf0, strerror(errno));
	/* One open of a node at a time: another user cannot have it. */
	expect_errno("iommufd_device_node_exclusive", edu_open(&b, bdf0), EBUSY);
	if (fd >= 0)
		close(fd);
	edu_close(&a);
}

static void t_info(struct env *v)
{
	struct vfio_device_info di = { .argsz = sizeof(di) };
	struct vfio_region_info ri = { .argsz = sizeof(ri),
				       .index = VFIO_PCI_BAR0_REGION_INDEX };
	struct vfio_region_info rc = { .argsz = sizeof(rc),
				       .index = VFIO_PCI_CONFIG_REGION_INDEX };
	uint16_t cmd = 0;

	ok(!ioctl(v->e.fd, VFIO_DEVICE_GET_INFO, &di) &&
	   (di.flags & VFIO_DEVICE_FLAGS_PCI) &&
	   di.num_regions == VFIO_PCI_NUM_REGIONS, "iommufd_device_info",
	   "flags %#x regions %u (%s)", di.flags, di.num_regions, strerror(errno));
	ok(!ioctl(v->e.fd, VFIO_DEVICE_GET_REGION_INFO, &ri) &&
	   ri.size == EDU_BAR_SIZE && (ri.flags & VFIO_REGION_INFO_FLAG_MMAP) &&
	   !ioctl(v->e.fd, VFIO_DEVICE_GET_REGION_INFO, &rc) && rc.size >= 256 &&
	   rc.offset == LIOMMU_VFIO_REGION_OFFSET(VFIO_PCI_CONFIG_REGION_INDEX),
	   "iommufd_region_info", "BAR0 %#llx flags %#x, config %#llx",
	   (unsigned long long)ri.size, ri.flags, (unsigned long long)rc.size);
	ok(!edu_read_command(&v->e, &cmd) &&
	   (cmd & (PCI_CMD_MASTER | PCI_CMD_MEMORY)) ==
	   (PCI_CMD_MASTER | PCI_CMD_MEMORY) &&
	   (*(volatile uint32_t *)(v->e.bar + EDU_REG_ID) & 0xff) == 0xed,
	   "iommufd_bar_mmap_and_bus_master", "command %#x id %#x", cmd,
	   *(volatile uint32_t *)(v->e.bar + EDU_REG_ID));
}

/*
 * IOMMU_GET_HW_INFO.  The SMMUv3 layout is later Linux's (6.12's header
 * has none, so gen-layout-check.sh cannot compare it): checked here.
 */
_Static_assert(sizeof(struct iommu_hw_info_arm_smmuv3) == 40, "smmuv3 info size");
_Static_assert(offsetof(struct iommu_hw_info_arm_smmuv3, idr) == 8, "idr");
_Static_assert(offsetof(struct iommu_hw_info_arm_smmuv3, iidr) == 32, "iidr");
_Static_assert(offsetof(struct iommu_hw_info_arm_smmuv3, aidr) == 36, "aidr");

/* A value the profile states (LIOMMU_EXPECT, from 70-iommufd.sh): -1 if none. */
static const char *expect_str(const char *key, char *out, size_t n)
{
	const char *e = getenv("LIOMMU_EXPECT"), *p;
	size_t k = strlen(key), i = 0;

	for (p = e; p && (p = strstr(p, key)); p += k) {
		if ((p != e && p[-1] != ' ' && p[-1] != '\n') || p[k] != '=')
			continue;
		for (p += k + 1; *p && *p != ' ' && *p != '\n' && i + 1 < n; p++)
			out[i++] = *p;
		out[i] = 0;
		return out;
	}
	return NULL;
}

static long expect_num(const char *key)
{
	char b[64];

	return expect_str(key, b, sizeof(b)) ? strtol(b, NULL, 0) : -1;
}

#define BITS(v, hi, lo)	(((v) >> (lo)) & ((1ULL << ((hi) - (lo) + 1)) - 1))

/* "4K,2M,1G"-style list of what a field's bits say, for the comparisons. */
static void list_add(char *out, size_t n, const char *item)
{
	if (*out)
		strncat(out, ",", n - strlen(out) - 1);
	strncat(out, item, n - strlen(out) - 1);
}

/*
 * The unit's raw registers as Linux's own DMAR code printed them at boot
 * ("... cap %llx ecap %llx"): it parses DMAR even with intel_iommu=off.
 * busybox dmesg shows the last 16 KiB unless given a size.
 */
static int kernel_log_caps(unsigned long long *cap, unsigned long long *ecap)
{
	char line[512];
	const char *p;
	FILE *f = popen("dmesg -s 4194304 2>/dev/null", "r");
	int found = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if ((p = strstr(line, "reg_base_addr fed90000")) &&
		    (p = strstr(p, " cap ")) &&
		    sscanf(p, " cap %llx ecap %llx", cap, ecap) == 2)
			found = 1;
	pclose(f);
	return found;
}

static void hw_info_vtd(const struct iommu_hw_info_vtd *d)
{
	unsigned long long cap = d->cap_reg, ecap = d->ecap_reg, lc, le;
	char want[64], got[64] = "";
	long scalable = expect_num("scalable");

	ok(BITS(cap, 21, 16) + 1 == (unsigned long long)expect_num("mgaw") &&
	   BITS(cap, 47, 40) + 1 == (unsigned long long)expect_num("fault_records"),
	   "iommufd_hw_info_vtd_cap", "cap %#llx: MGAW %llu NFR %llu, profile mgaw=%ld fault_records=%ld",
	   cap, BITS(cap, 21, 16) + 1, BITS(cap, 47, 40) + 1,
	   expect_num("mgaw"), expect_num("fault_records"));
	if (BITS(cap, 9, 9))
		list_add(got, sizeof(got), "39");
	if (BITS(cap, 10, 10))
		list_add(got, sizeof(got), "48");
	if (BITS(cap, 11, 11))
		list_add(got, sizeof(got), "57");
	ok(expect_str("sagaw", want, sizeof(want)) && !strcmp(got, want),
	   "iommufd_hw_info_vtd_sagaw", "cap %#llx: SAGAW %s, profile %s", cap,
	   got, expect_str("sagaw", want, sizeof(want)) ?: "-");
	strcpy(got, "4K");
	if (BITS(cap, 34, 34))
		list_add(got, sizeof(got), "2M");
	if (BITS(cap, 35, 35))
		list_add(got, sizeof(got), "1G");
	ok(expect_str("sl_pages", want, sizeof(want)) && !strcmp(got, want),
	   "iommufd_hw_info_vtd_sl_pages", "cap %#llx: SLLPS %s, profile %s",
	   cap, got, want);
	ok((long)BITS(ecap, 1, 1) == expect_num("qi") &&
	   (long)BITS(ecap, 6, 6) == expect_num("pass_through") &&
	   (long)BITS(ecap, 43, 43) == scalable &&
	   (long)BITS(ecap, 47, 47) == expect_num("first_stage") &&
	   (scalable ? (long)BITS(ecap, 46, 46) : 1) == expect_num("second_stage"),
	   "iommufd_hw_info_vtd_ecap", "ecap %#llx: QI %llu PT %llu SMTS %llu FLTS %llu SLTS %llu",
	   ecap, BITS(ecap, 1, 1), BITS(ecap, 6, 6), BITS(ecap, 43, 43),
	   BITS(ecap, 47, 47), BITS(ecap, 46, 46));
	if (!kernel_log_caps(&lc, &le))
		skip("iommufd_hw_info_vtd_equals_kernel_log",
		     "Linux's DMAR line is no longer in the kernel log");
	else
		ok(lc == cap && le == ecap, "iommufd_hw_info_vtd_equals_kernel_log",
		   "hw_info cap %#llx ecap %#llx, the kernel read cap %#llx ecap %#llx",
		   cap, ecap, lc, le);
	ok(!d->flags && !d->__reserved, "iommufd_hw_info_vtd_flags_zero",
	   "flags %#x reserved %#x", d->flags, d->__reserved);
}

static void hw_info_smmu(const struct iommu_hw_info_arm_smmuv3 *d)
{
	static const int oas[8] = { 32, 36, 40, 42, 44, 48, 52, -1 };
	uint32_t i0 = d->idr[0], i1 = d->idr[1], i5 = d->idr[5];
	char want[64], got[64] = "", ver[16];

	ok((long)BITS(i0, 1, 1) == expect_num("s1") &&
	   (long)BITS(i0, 0, 0) == expect_num("s2") &&
	   (long)(BITS(i0, 28, 27) == 1) == expect_num("st_2lvl"),
	   "iommufd_hw_info_smmu_idr0", "IDR0 %#x: S1P %llu S2P %llu ST_LEVEL %llu",
	   i0, BITS(i0, 1, 1), BITS(i0, 0, 0), BITS(i0, 28, 27));
	ok((long)BITS(i1, 5, 0) == expect_num("sid_bits") &&
	   (long)BITS(i1, 10, 6) == expect_num("ssid_bits") &&
	   (long)BITS(i1, 25, 21) == expect_num("cmdq_bits") &&
	   (long)BITS(i1, 20, 16) == expect_num("evtq_bits"),
	   "iommufd_hw_info_smmu_idr1", "IDR1 %#x: SIDSIZE %llu SSIDSIZE %llu CMDQS %llu EVTQS %llu",
	   i1, BITS(i1, 5, 0), BITS(i1, 10, 6), BITS(i1, 25, 21),
	   BITS(i1, 20, 16));
	if (BITS(i5, 4, 4))
		list_add(got, sizeof(got), "4K");
	if (BITS(i5, 5, 5))
		list_add(got, sizeof(got), "16K");
	if (BITS(i5, 6, 6))
		list_add(got, sizeof(got), "64K");
	ok(oas[BITS(i5, 2, 0)] == expect_num("oas") &&
	   expect_str("granules", want, sizeof(want)) && !strcmp(got, want),
	   "iommufd_hw_info_smmu_idr5", "IDR5 %#x: OAS %d granules %s",
	   i5, oas[BITS(i5, 2, 0)], got);
	snprintf(ver, sizeof(ver), "%llu.%llu", 3 + BITS(d->aidr, 7, 4),
		 BITS(d->aidr, 3, 0));
	ok(expect_str("smmu_version", want, sizeof(want)) && !strcmp(ver, want),
	   "iommufd_hw_info_smmu_aidr", "AIDR %#x: %s, profile %s", d->aidr,
	   ver, want);
	ok(!d->flags && !d->__reserved, "iommufd_hw_info_smmu_flags_zero",
	   "flags %#x reserved %#x", d->flags, d->__reserved);
}

static void t_hw_info(struct env *v)
{
	union {
		struct iommu_hw_info_vtd vtd;
		struct iommu_hw_info_arm_smmuv3 smmu;
		uint8_t b[64];
	} d, d2;
	struct iommu_hw_info hi = {
		.size = sizeof(hi), .dev_id = v->e.devid,
		.data_len = sizeof(d), .data_uptr = (uintptr_t)&d,
	};
#if defined(__x86_64__)
	const uint32_t type = IOMMU_HW_INFO_TYPE_INTEL_VTD;
	const uint32_t len = sizeof(struct iommu_hw_info_vtd);
#else
	const uint32_t type = IOMMU_HW_INFO_TYPE_ARM_SMMUV3;
	const uint32_t len = sizeof(struct iommu_hw_info_arm_smmuv3);
#endif
	uint8_t *unmapped;
	unsigned int i;
	int r;

	memset(&d, 0xa5, sizeof(d));
	r = ioctl(v->fd, IOMMU_GET_HW_INFO, &hi);
	ok(!r && hi.out_data_type == type && hi.data_len == len,
	   "iommufd_get_hw_info", "%s: type %u len %u, want %u and %u",
	   strerror(r ? errno : 0), hi.out_data_type, hi.data_len, type, len);
	if (r)
		return;
	for (i = len; i < sizeof(d) && !d.b[i]; i++)
		;
	ok(i == sizeof(d), "iommufd_hw_info_long_buffer_zero_filled",
	   "byte %u past the data is %#x", i, i < sizeof(d) ? d.b[i] : 0);
	if (type == IOMMU_HW_INFO_TYPE_INTEL_VTD)
		hw_info_vtd(&d.vtd);
	else
		hw_info_smmu(&d.smmu);

	/* Short: only data_len bytes written; data_len says the full size. */
	memset(&d2, 0xa5, sizeof(d2));
	hi.data_len = 8;
	hi.data_uptr = (uintptr_t)&d2;
	r = ioctl(v->fd, IOMMU_GET_HW_INFO, &hi);
	ok(!r && hi.data_len == len && !memcmp(&d2, &d, 8) && d2.b[8] == 0xa5 &&
	   d2.b[len - 1] == 0xa5, "iommufd_hw_info_short_buffer",
	   "%s: len %u, byte 8 %#x", strerror(r ? errno : 0), hi.data_len,
	   d2.b[8]);
	hi.data_len = 0;
	hi.data_uptr = 0;
	hi.out_data_type = 0x77;
	r = ioctl(v->fd, IOMMU_GET_HW_INFO, &hi);
	ok(!r && hi.data_len == len && hi.out_data_type == type,
	   "iommufd_hw_info_size_query", "%s: len %u type %u",
	   strerror(r ? errno : 0), hi.data_len, hi.out_data_type);
	/* The caller's whole data_len must be writable: EFAULT otherwise. */
	unmapped = anon(PAGE);
	munmap(unmapped, PAGE);
	hi.data_len = sizeof(d);
	hi.data_uptr = (uintptr_t)unmapped;
	expect_errno("iommufd_bad_hw_info_unwritable_buffer",
		     ioctl(v->fd, IOMMU_GET_HW_INFO, &hi), EFAULT);
	hi.data_uptr = (uintptr_t)&d;
	hi.__reserved[1] = 1;
	expect_errno("iommufd_bad_hw_info_reserved",
		     ioctl(v->fd, IOMMU_GET_HW_INFO, &hi), EOPNOTSUPP);
	hi.__reserved[1] = 0;
	hi.dev_id = v->ioas;
	expect_errno("iommufd_bad_hw_info_not_a_device",
		     ioctl(v->fd, IOMMU_GET_HW_INFO, &hi), ENOENT);
}

/* Ranges with a domain attached: aligned, no MSI window, no 0 page. */
static void t_ranges(struct env *v)
{
	struct iommu_iova_range r[16] = {};
	struct iommu_ioas_iova_ranges q = {
		.size = sizeof(q), .ioas_id = v->ioas, .num_iovas = 16,
		.allowed_iovas = (uintptr_t)r,
	};
	uint32_t ioas2, i;
	int msi_hole = 1;

	(void)msi_hole;

	ok(!ioctl(v->fd, IOMMU_IOAS_IOVA_RANGES, &q) && q.num_iovas >= 1 &&
	   q.num_iovas <= 16 &&
	   q.out_iova_alignment == PAGE && r[q.num_iovas - 1].last < (1ULL << 57),
	   "iommufd_iova_ranges_attached", "%u ranges, alignment %llu, last %#llx",
	   q.num_iovas, (unsigned long long)q.out_iova_alignment,
	   (unsigned long long)r[q.num_iovas && q.num_iovas <= 16 ? q.num_iovas - 1 : 0].last);
#if defined(__x86_64__)
	for (i = 0; i < q.num_iovas && i < 16; i++)
		if (r[i].start <= 0xfee00000ULL && r[i].last >= 0xfee00000ULL)
			msi_hole = 0;
	ok(msi_hole && q.num_iovas >= 2, "iommufd_iova_ranges_msi_window",
	   "0xfee00000 inside an allowed range");
#endif
	/* An IOAS with no domain: everything, byte granular. */
	q.num_iovas = 16;
	ok(!ioas_alloc(v->fd, &ioas2) && (q.ioas_id = ioas2) &&
	   !ioctl(v->fd, IOMMU_IOAS_IOVA_RANGES, &q) && q.num_iovas == 1 &&
	   r[0].start == 0 && r[0].last == UINT64_MAX &&
	   q.out_iova_alignment == 1, "iommufd_iova_ranges_no_domain",
	   "%u ranges, alignment %llu", q.num_iovas,
	   (unsigned long long)q.out_iova_alignment);
	destroy(v->fd, ioas2);
	(void)i;
}

/* Bytes go RAM -> edu -> RAM through the IOAS, both directions checked. */
static void t_dma(struct env *v)
{
	uint8_t *buf = anon(4 * PAGE);
	uint64_t iova = 0, unmapped = 0;
	long k, faults;
	int good;

	fill(buf, PAGE, 0x31);
	memset(buf + PAGE, 0xee, 3 * PAGE);
	if (ioas_map(v->fd, v->ioas, buf, 4 * PAGE, &iova, RW)) {
		ok(0, "iommufd_dma_roundtrip", "map: %s", strerror(errno));
		return;
	}
	good = !edu_dma(&v->e, iova, 0, PAGE, 0) &&
	       !edu_dma(&v->e, iova + 2 * PAGE + 0x100, 0, 0x800, 1);
	ok(good && !memcmp(buf + 2 * PAGE + 0x100, buf, 0x800) &&
	   all(buf + 2 * PAGE, 0xee, 0x100) &&
	   all(buf + 2 * PAGE + 0x900, 0xee, PAGE - 0x900),
	   "iommufd_dma_roundtrip", "iova %#llx: byte %#x",
	   (unsigned long long)iova, buf[2 * PAGE + 0x100]);
	/* The device's writes show in the process's memory at once. */
	fill(buf + PAGE, PAGE, 0x77);
	ok(!edu_dma(&v->e, iova + PAGE, 0, PAGE, 0) &&
	   !edu_dma(&v->e, iova + 3 * PAGE, 0, PAGE, 1) &&
	   !memcmp(buf + 3 * PAGE, buf + PAGE, PAGE), "iommufd_dma_second_page",
	   NULL);

	/* Unmapped: the device reaches nothing, in either direction. */
	ok(!ioas_unmap(v->fd, v->ioas, iova, 4 * PAGE, &unmapped) &&
	   unmapped == 4 * PAGE, "iommufd_unmap", "%s, %llu bytes",
	   strerror(errno), (unsigned long long)unmapped);
	memset(buf, 0x5a, 4 * PAGE);
	k = unit_faults(v->e.bdf);
	edu_dma(&v->e, iova + 2 * PAGE, 0, PAGE, 1);
	settle();
	faults = unit_faults(v->e.bdf) - k;
	ok(all(buf, 0x5a, 4 * PAGE) && faults > 0,
	   "iommufd_dma_after_unmap_writes_nothing",
	   "%ld faults; memory %s", faults,
	   all(buf, 0x5a, 4 * PAGE) ? "untouched" : "written");
	/* Reading from the hole leaves edu's buffer as it was. */
	k = unit_faults(v->e.bdf);
	edu_dma(&v->e, iova, 0, PAGE, 0);
	settle();
	faults = unit_faults(v->e.bdf) - k;
	iova = 0;
	if (!ioas_map(v->fd, v->ioas, buf, 4 * PAGE, &iova, RW)) {
		edu_dma(&v->e, iova + PAGE, 0, PAGE, 1);
		/* Had edu read the hole's old page, it would hold 0x5a. */
		ok(!all(buf + PAGE, 0x5a, PAGE) && faults > 0,
		   "iommufd_dma_after_unmap_reads_nothing",
		   "%ld faults; edu's buffer %s", faults,
		   all(buf + PAGE, 0x5a, PAGE) ? "holds the unmapped page" : "intact");
		ioas_unmap(v->fd, v->ioas, iova, 4 * PAGE, NULL);
	} else {
		ok(0, "iommufd_dma_after_unmap_reads_nothing", "remap: %s",
		   strerror(errno));
	}
	munmap(buf, 4 * PAGE);
}

/* A read-only map: the device reads it and cannot write it. */
static void t_read_only(struct env *v)
{
	uint8_t *buf = anon(2 * PAGE), *ro;
	uint64_t iova = 0, iova2 = 0;

	fill(buf, PAGE, 0x11);
	memset(buf + PAGE, 0x22, PAGE);
	if (ioas_map(v->fd, v->ioas, buf, 2 * PAGE, &iova,
		     IOMMU_IOAS_MAP_READABLE)) {
		ok(0, "iommufd_read_only_map", "map: %s", strerror(errno));
		return;
	}
	ok(!edu_dma(&v->e, iova, 0, PAGE, 0) &&
	   !edu_dma(&v->e, iova + PAGE, 0, PAGE, 1) && (settle(), 1) &&
	   all(buf + PAGE, 0x22, PAGE), "iommufd_read_only_map", "the device wrote a read-only mapping");
	ioas_unmap(v->fd, v->ioas, iova, 2 * PAGE, NULL);
	/* Memory the process may not write cannot be mapped writeable. */
	ro = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	expect_errno("iommufd_map_writeable_of_read_only_memory",
		     ioas_map(v->fd, v->ioas, ro, PAGE, &iova2, RW), EFAULT);
	munmap(ro, PAGE);
	munmap(buf, 2 * PAGE);
}

/* IOAS_COPY into a second IOAS; the device attached there reaches it. */
static void t_copy(struct env *v)
{
	uint8_t *buf = anon(2 * PAGE);
	uint64_t iova = 0;
	uint32_t ioas2, pt;
	struct iommu_ioas_copy c = { .size = sizeof(c) };
	long pinned;

	fill(buf, PAGE, 0x45);
	memset(buf + PAGE, 0, PAGE);
	if (ioas_map(v->fd, v->ioas, buf, 2 * PAGE, &iova, RW) ||
	    ioas_alloc(v->fd, &ioas2)) {
		ok(0, "iommufd_ioas_copy", "set-up: %s", strerror(errno));
		return;
	}
	pinned = stat_of("pinned_pages");
	c.flags = RW | FIXED;
	c.dst_ioas_id = ioas2;
	c.src_ioas_id = v->ioas;
	c.length = 2 * PAGE;
	c.src_iova = iova;
	c.dst_iova = 0x7000000;
	ok(!ioctl(v->fd, IOMMU_IOAS_COPY, &c) &&
	   stat_of("pinned_pages") == pinned, "iommufd_ioas_copy",
	   "%s; pinned %ld -> %ld", strerror(errno), pinned,
	   stat_of("pinned_pages"));
	pt = ioas2;
	ok(!edu_attach(&v->e, &pt) && !edu_dma(&v->e, 0x7000000, 0, PAGE, 0) &&
	   !edu_dma(&v->e, 0x7000000 + PAGE, 0, PAGE, 1) &&
	   !memcmp(buf, buf + PAGE, PAGE), "iommufd_dma_through_copy",
	   "%s", strerror(errno));
	/* The source unmapped: the copy keeps the pages pinned. */
	ioas_unmap(v->fd, v->ioas, iova, 2 * PAGE, NULL);
	ok(stat_of("pinned_pages") == pinned, "iommufd_copy_keeps_pages",
	   "pinned %ld, want %ld", stat_of("pinned_pages"), pinned);
	pt = v->ioas;
	edu_attach(&v->e, &pt);
	v->hwpt = pt;
	destroy(v->fd, ioas2);
	ok(stat_of("pinned_pages") == pinned - 2, "iommufd_copy_destroy_unpins",
	   "pinned %ld, want %ld", stat_of("pinned_pages"), pinned - 2);
	munmap(buf, 2 * PAGE);
}

/* One IOVA, two HWPTs mapping it to different pages: replace moves DMA. */
static void t_replace(struct env *v)
{
	uint8_t *x = anon(PAGE), *y = anon(PAGE), *src = anon(PAGE);
	uint64_t at = 0x10000000, s = 0x20000000;
	uint32_t ioas_b, h1, h2, pt;
	int good;

	fill(src, PAGE, 0x99);
	if (ioas_alloc(v->fd, &ioas_b) ||
	    hwpt_alloc(v->fd, v->e.devid, v->ioas, 0, 0, NULL, 0, &h1) ||
	    hwpt_alloc(v->fd, v->e.devid, ioas_b, 0, 0, NULL, 0, &h2) ||
	    ioas_map(v->fd, v->ioas, x, PAGE, &at, RW | FIXED) ||
	    ioas_map(v->fd, ioas_b, y, PAGE, &at, RW | FIXED) ||
	    ioas_map(v->fd, v->ioas, src, PAGE, &s, RW | FIXED) ||
	    ioas_map(v->fd, ioas_b, src, PAGE, &s, RW | FIXED)) {
		ok(0, "iommufd_hwpt_alloc_paging", "set-up: %s", strerror(errno));
		return;
	}
	ok(h1 && h2 && h1 != h2, "iommufd_hwpt_alloc_paging", NULL);
	pt = h1;
	good = !edu_attach(&v->e, &pt) && pt == h1 && !edu_dma(&v->e, s, 0, PAGE, 0) &&
	       !edu_dma(&v->e, at, 0, PAGE, 1);
	ok(good && !memcmp(x, src, PAGE) && all(y, 0, PAGE),
	   "iommufd_dma_through_hwpt1", "%s", strerror(errno));
	memset(x, 0, PAGE);
	pt = h2;
	good = !edu_attach(&v->e, &pt) && pt == h2 &&
	       !edu_dma(&v->e, at, 0, PAGE, 1);
	ok(good && !memcmp(y, src, PAGE) && all(x, 0, PAGE),
	   "iommufd_replace_moves_dma", "%s", strerror(errno));
	expect_errno("iommufd_destroy_attached_hwpt_busy", destroy(v->fd, h2),
		     EBUSY);
	expect_errno("iommufd_destroy_ioas_in_use_busy", destroy(v->fd, ioas_b),
		     EBUSY);
	/* Detached: blocked, nothing lands. */
	memset(y, 0, PAGE);
	ok(!edu_detach(&v->e) && !edu_dma(&v->e, at, 0, PAGE, 1) && (settle(), 1) &&
	   all(y, 0, PAGE),
	   "iommufd_detach_blocks_dma", "%s", strerror(errno));
	pt = v->ioas;
	ok(!edu_attach(&v->e, &pt) && !destroy(v->fd, h2) && !destroy(v->fd, h1) &&
	   !destroy(v->fd, ioas_b), "iommufd_destroy_after_detach", "%s",
	   strerror(errno));
	v->hwpt = pt;
	ioas_unmap(v->fd, v->ioas, at, PAGE, NULL);
	ioas_unmap(v->fd, v->ioas, s, PAGE, NULL);
	munmap(x, PAGE);
	munmap(y, PAGE);
	munmap(src, PAGE);
}

/* The bad-input table: each command, upstream's errno. */
static void t_bad(struct env *v)
{
	uint8_t *buf = anon(4 * PAGE);
	uint64_t iova, got;
	uint32_t id;
	struct {
		struct iommu_ioas_alloc c;
		uint32_t tail[3];
	} big = { { .size = sizeof(big) } };
	struct iommu_ioas_map m = {
		.size = sizeof(m), .flags = RW, .ioas_id = v->ioas,
		.user_va = (uintptr_t)buf, .length = PAGE,
	};
	struct iommu_iova_range r[1];
	struct iommu_ioas_iova_ranges q = {
		.size = sizeof(q), .ioas_id = v->ioas, .num_iovas = 1,
		.allowed_iovas = (uintptr_t)r,
	};
	struct iommu_option o = {
		.size = sizeof(o), .option_id = 99, .op = IOMMU_OPTION_OP_GET,
	};
	struct iommu_hw_info hi = { .size = sizeof(hi), .flags = 1,
				    .dev_id = v->e.devid };
	struct iommu_iova_range allow = { 0xfee00000ULL, 0xfeefffffULL };
	struct iommu_ioas_allow_iovas al = {
		.size = sizeof(al), .ioas_id = v->ioas, .num_iovas = 1,
		.allowed_iovas = (uintptr_t)&allow,
	};
	struct vfio_device_attach_iommufd_pt at = { .argsz = sizeof(at),
						    .flags = 1 };

	expect_errno("iommufd_bad_unknown_ioctl",
		     ioctl(v->fd, _IO(IOMMUFD_TYPE, 0xa0), &big), ENOTTY);
	expect_errno("iommufd_bad_vfio_ioas_not_supported",
		     ioctl(v->fd, IOMMU_VFIO_IOAS, &big), ENOTTY);
	big.c.size = 4;
	expect_errno("iommufd_bad_size_too_small",
		     ioctl(v->fd, IOMMU_IOAS_ALLOC, &big), EINVAL);
	big.c.size = sizeof(big);
	big.tail[1] = 1;
	expect_errno("iommufd_bad_nonzero_trailing_bytes",
		     ioctl(v->fd, IOMMU_IOAS_ALLOC, &big), E2BIG);
	big.tail[1] = 0;
	ok(!ioctl(v->fd, IOMMU_IOAS_ALLOC, &big) && big.c.out_ioas_id &&
	   !destroy(v->fd, big.c.out_ioas_id), "iommufd_zero_trailing_bytes_accepted",
	   "%s", strerror(errno));
	big.c.flags = 1;
	expect_errno("iommufd_bad_unknown_flags",
		     ioctl(v->fd, IOMMU_IOAS_ALLOC, &big), EOPNOTSUPP);
	m.flags = RW | 0x100;
	expect_errno("iommufd_bad_map_unknown_flags",
		     ioctl(v->fd, IOMMU_IOAS_MAP, &m), EOPNOTSUPP);
	m.flags = RW;
	m.__reserved = 1;
	expect_errno("iommufd_bad_nonzero_reserved",
		     ioctl(v->fd, IOMMU_IOAS_MAP, &m), EOPNOTSUPP);
	m.__reserved = 0;
	m.flags = 0;
	expect_errno("iommufd_bad_map_no_access", ioctl(v->fd, IOMMU_IOAS_MAP, &m),
		     EINVAL);
	m.flags = RW;
	m.ioas_id = 0x7777;
	expect_errno("iommufd_bad_unknown_object_id",
		     ioctl(v->fd, IOMMU_IOAS_MAP, &m), ENOENT);
	m.ioas_id = v->e.devid;
	expect_errno("iommufd_bad_wrong_type_object_id",
		     ioctl(v->fd, IOMMU_IOAS_MAP, &m), ENOENT);
	m.ioas_id = v->ioas;
	iova = 0x30000000;
	if (ioas_map(v->fd, v->ioas, buf, 2 * PAGE, &iova, RW | FIXED))
		ok(0, "iommufd_bad_overlapping_iova", "map: %s", strerror(errno));
	iova = 0x30000000 + PAGE;
	expect_errno("iommufd_bad_overlapping_iova",
		     ioas_map(v->fd, v->ioas, buf + 2 * PAGE, 2 * PAGE, &iova,
			      RW | FIXED), EEXIST);
	iova = 0x40000800;
	expect_errno("iommufd_bad_misaligned_iova",
		     ioas_map(v->fd, v->ioas, buf, PAGE, &iova, RW | FIXED), EINVAL);
	iova = 0x40000000;
	expect_errno("iommufd_bad_misaligned_length",
		     ioas_map(v->fd, v->ioas, buf, 100, &iova, RW | FIXED), EINVAL);
	iova = 1ULL << 60;
	expect_errno("iommufd_bad_iova_beyond_aperture",
		     ioas_map(v->fd, v->ioas, buf, PAGE, &iova, RW | FIXED), EINVAL);
#if defined(__x86_64__)
	iova = 0xfee00000ULL;
	expect_errno("iommufd_bad_iova_in_msi_window",
		     ioas_map(v->fd, v->ioas, buf, PAGE, &iova, RW | FIXED), EINVAL);
#else
	allow.start = 1ULL << 60;
	allow.last = (1ULL << 60) + PAGE - 1;
#endif
	expect_errno("iommufd_bad_allow_iovas_over_reserved",
		     ioctl(v->fd, IOMMU_IOAS_ALLOW_IOVAS, &al), EADDRINUSE);
	expect_errno("iommufd_bad_unmap_not_mapped",
		     ioas_unmap(v->fd, v->ioas, 0x50000000, PAGE, NULL), ENOENT);
	expect_errno("iommufd_bad_unmap_part_of_a_mapping",
		     ioas_unmap(v->fd, v->ioas, 0x30000000, PAGE, NULL), ENOENT);
	ok(!ioas_unmap(v->fd, v->ioas, 0x30000000, 2 * PAGE, &got) &&
	   got == 2 * PAGE, "iommufd_unmap_whole_mapping", "%s",
	   strerror(errno));
	q.num_iovas = 0;
	expect_errno("iommufd_bad_iova_ranges_too_small",
		     ioctl(v->fd, IOMMU_IOAS_IOVA_RANGES, &q), EMSGSIZE);
	expect_errno("iommufd_bad_option_unknown",
		     ioctl(v->fd, IOMMU_OPTION, &o), EOPNOTSUPP);
	expect_errno("iommufd_bad_hw_info_flags",
		     ioctl(v->fd, IOMMU_GET_HW_INFO, &hi), EOPNOTSUPP);
	expect_errno("iommufd_bad_hwpt_dirty_tracking",
		     hwpt_alloc(v->fd, v->e.devid, v->ioas,
				IOMMU_HWPT_ALLOC_DIRTY_TRACKING, 0, NULL, 0, &id),
		     EOPNOTSUPP);
	expect_errno("iommufd_bad_hwpt_pt_wrong_type",
		     hwpt_alloc(v->fd, v->e.devid, v->e.devid, 0, 0, NULL, 0, &id),
		     EINVAL);
	expect_errno("iommufd_bad_hwpt_unknown_device",
		     hwpt_alloc(v->fd, 0x7777, v->ioas, 0, 0, NULL, 0, &id), ENOENT);
	expect_errno("iommufd_bad_destroy_unknown_id", destroy(v->fd, 0x7777),
		     ENOENT);
	expect_errno("iommufd_bad_destroy_ioas_in_use", destroy(v->fd, v->ioas),
		     EBUSY);
	expect_errno("iommufd_bad_attach_flags",
		     ioctl(v->e.fd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &at), EINVAL);
	at.flags = 0;
	at.pt_id = 0x7777;
	expect_errno("iommufd_bad_attach_unknown_pt",
		     ioctl(v->e.fd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &at), ENOENT);
	expect_errno("iommufd_bad_bind_twice", edu_bind(&v->e, v->fd), EINVAL);
	munmap(buf, 4 * PAGE);
}

/* Kernel-picked IOVAs: allowed ranges respected, unmap-all, options. */
static void t_alloc_and_options(struct env *v)
{
	uint8_t *buf = anon(4 * PAGE);
	struct iommu_iova_range allow = { 0x60000000ULL, 0x6fffffffULL };
	struct iommu_ioas_allow_iovas al = {
		.size = sizeof(al), .ioas_id = v->ioas, .num_iovas = 1,
		.allowed_iovas = (uintptr_t)&allow,
	};
	struct iommu_option o = {
		.size = sizeof(o), .option_id = IOMMU_OPTION_HUGE_PAGES,
		.op = IOMMU_OPTION_OP_GET, .object_id = v->ioas,
	};
	uint64_t a = 0, b = 0, got = 0;

	ok(!ioctl(v->fd, IOMMU_IOAS_ALLOW_IOVAS, &al) &&
	   !ioas_map(v->fd, v->ioas, buf, PAGE, &a, RW) &&
	   !ioas_map(v->fd, v->ioas, buf + PAGE, 2 * PAGE, &b, RW) &&
	   a >= allow.start && a + PAGE - 1 <= allow.last && b >= allow.start &&
	   b + 2 * PAGE - 1 <= allow.last && (a % PAGE) == 0 && (b % PAGE) == 0,
	   "iommufd_alloc_iova_in_allowed_range", "%#llx %#llx: %s",
	   (unsigned long long)a, (unsigned long long)b, strerror(errno));
	ok(!ioas_unmap(v->fd, v->ioas, 0, UINT64_MAX, &got) && got == 3 * PAGE,
	   "iommufd_unmap_all", "%llu bytes: %s", (unsigned long long)got,
	   strerror(errno));
	al.num_iovas = 0;
	ioctl(v->fd, IOMMU_IOAS_ALLOW_IOVAS, &al);
	ok(!ioctl(v->fd, IOMMU_OPTION, &o) && o.val64 == 1 &&
	   (o.op = IOMMU_OPTION_OP_SET, o.val64 = 0, !ioctl(v->fd, IOMMU_OPTION, &o)) &&
	   (o.op = IOMMU_OPTION_OP_GET, !ioctl(v->fd, IOMMU_OPTION, &o)) &&
	   o.val64 == 0, "iommufd_option_huge_pages", "%s", strerror(errno));
	o.op = IOMMU_OPTION_OP_SET;
	o.val64 = 1;
	ioctl(v->fd, IOMMU_OPTION, &o);
	o.option_id = IOMMU_OPTION_RLIMIT_MODE;
	o.op = IOMMU_OPTION_OP_GET;
	o.object_id = 0;
	ok(!ioctl(v->fd, IOMMU_OPTION, &o) && o.val64 == 0 &&
	   (o.op = IOMMU_OPTION_OP_SET, fails(ioctl(v->fd, IOMMU_OPTION, &o)) == EBUSY),
	   "iommufd_option_rlimit_mode", "%s", strerror(errno));
	munmap(buf, 4 * PAGE);
}

/* RLIMIT_MEMLOCK: a map past it fails and pins nothing. */
static void t_rlimit(void)
{
	int st = 0;
	pid_t pid;
	long before = stat_of("pinned_pages");

	pid = fork();
	if (!pid) {
		struct rlimit rl = { 16 * PAGE, 16 * PAGE };
		uint8_t *buf = anon(64 * PAGE);
		uint64_t iova = 0;
		uint32_t ioas;
		int fd = ufd_open(), e;

		if (fd < 0 || ioas_alloc(fd, &ioas) || setrlimit(RLIMIT_MEMLOCK, &rl) ||
		    setresuid(65534, 65534, 65534))
			_exit(10);
		e = fails(ioas_map(fd, ioas, buf, 64 * PAGE, &iova, RW));
		if (e != ENOMEM)
			_exit(11);
		if (stat_of("pinned_pages") != -1 && stat_of("pinned_pages") != before)
			_exit(12);
		iova = 0;
		if (ioas_map(fd, ioas, buf, 8 * PAGE, &iova, RW))
			_exit(13);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "iommufd_rlimit_memlock_enomem",
	   "child exit %d (10 set-up, 11 errno, 12 pinned, 13 small map)",
	   WEXITSTATUS(st));
	ok(stat_of("pinned_pages") == before, "iommufd_rlimit_exit_unpins",
	   "pinned %ld, want %ld", stat_of("pinned_pages"), before);
}

/* RLIMIT_MODE 1: charged to the process, which /proc shows as VmPin. */
static void t_rlimit_mode_mm(void)
{
	struct iommu_option o = {
		.size = sizeof(o), .option_id = IOMMU_OPTION_RLIMIT_MODE,
		.op = IOMMU_OPTION_OP_SET, .val64 = 1,
	};
	uint8_t *buf = anon(16 * PAGE);
	uint64_t iova = 0;
	uint32_t ioas;
	long pin0 = status_kb("VmPin"), pin1 = -1, pin2;
	int fd = ufd_open();

	if (fd >= 0 && !ioctl(fd, IOMMU_OPTION, &o) && !ioas_alloc(fd, &ioas) &&
	    !ioas_map(fd, ioas, buf, 16 * PAGE, &iova, RW))
		pin1 = status_kb("VmPin");
	close(fd);
	pin2 = status_kb("VmPin");
	ok(pin1 == pin0 + 64 && pin2 == pin0, "iommufd_rlimit_mode_process",
	   "VmPin %ld -> %ld -> %ld kB", pin0, pin1, pin2);
	munmap(buf, 16 * PAGE);
}

/* Closing the fds with mappings and attachments unpins everything. */
static void t_close(const char *bdf, int iommufd_first)
{
	const char *name = iommufd_first ? "iommufd_close_iommufd_first_cleans_up" :
					   "iommufd_close_cleans_up";
	long pinned = stat_of("pinned_pages"), domains = stat_of("core_domains");
	long tables = stat_of("core_table_pages"), free0, pins0 = pins_held();
	size_t len = 8UL << 20;
	uint8_t *buf = anon(len);

	/*
	 * The same memory once touched and freed without iommufd-lite first:
	 * the page allocator's per-CPU lists then hold what they keep, and
	 * MemFree before and after compares like with like.
	 */
	munmap(buf, len);
	free0 = memfree_back(0);
	buf = anon(len);
	uint64_t iova = 0;
	struct env v;
	uint16_t cmd = 0xffff;
	long mid = -1, mid_dom = -1;

	if (env_open(&v, bdf) || ioas_map(v.fd, v.ioas, buf, len, &iova, RW)) {
		ok(0, name, "set-up: %s", strerror(errno));
		env_close(&v);
		return;
	}
	mid = stat_of("pinned_pages");
	mid_dom = stat_of("core_domains");
	if (iommufd_first) {
		struct vfio_device_attach_iommufd_pt a = { .argsz = sizeof(a),
							   .pt_id = v.ioas };

		close(v.fd);
		v.fd = -1;
		/* The device is unbound: no DMA, nothing to attach to. */
		int hw = sysfs_command(bdf);

		ok(fails(ioctl(v.e.fd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &a)) == EINVAL &&
		   fails(edu_read_command(&v.e, &cmd)) == EINVAL &&
		   hw >= 0 && !(hw & PCI_CMD_MASTER) &&
		   stat_of("pinned_pages") == pinned,
		   "iommufd_close_iommufd_unbinds_device",
		   "pinned %ld, command %#x", stat_of("pinned_pages"), hw);
	}
	env_close(&v);
	munmap(buf, len);
	ok(mid == pinned + (long)(len / PAGE) && mid_dom == domains + 1 &&
	   stat_of("pinned_pages") == pinned && stat_of("core_domains") == domains &&
	   stat_of("core_table_pages") == tables, name,
	   "pinned %ld/%ld/%ld, domains %ld/%ld/%ld, tables %ld/%ld",
	   pinned, mid, stat_of("pinned_pages"), domains, mid_dom,
	   stat_of("core_domains"), tables, stat_of("core_table_pages"));
	if (!iommufd_first) {
		/*
		 * The kernel's own pin count (every FOLL_PIN in the system,
		 * acquired minus released): nothing of ours is left.  MemFree
		 * is only shown: on 7.3 it stayed 6-8 MB short for seconds
		 * after the close, caches dropped and memory compacted, with
		 * every pin released (Documentation/iommufd-lite.rst).
		 */
		ok(pins0 != LONG_MIN && pins_held() <= pins0, "iommufd_close_pins_released",
		   "pins held: %ld before, %ld after", pins0, pins_held());
		printf("# MemFree %ld kB after the close, %ld kB before\n",
		       memfree_back(free0 - 1024), free0);
	}
}

/*
 * Fault queues.  No QEMU device issues page requests, so the module's
 * test-only report_fault file (loaded with test_faults=1) reports them
 * for the device through the core's own path; from there on everything
 * is the real path: the core routes the fault to the domain of the
 * fault-capable HWPT, iommufd-lite queues it, this program reads and
 * answers it, and the answer reaches the core's liommu_page_response()
 * (counted per unit in the stats file, with the last group index and
 * code; the unit itself refuses it: no page requests on QEMU).
 */
#define REPORT_FAULT	"/sys/kernel/debug/iommufd-lite/report_fault"

static int report_fault(const char *bdf, uint64_t addr, unsigned int grpid,
			unsigned int perm, int last, int pasid)
{
	char line[128];
	int fd = open(REPORT_FAULT, O_WRONLY), n, r;

	if (fd < 0)
		return -1;
	n = snprintf(line, sizeof(line), "%s %llx %u %x %d %d", bdf,
		     (unsigned long long)addr, grpid, perm, last, pasid);
	r = write(fd, line, n) == n ? 0 : -1;
	close(fd);
	return r;
}

static long unit_stat(const char *what, const char *bdf)
{
	char key[96];

	snprintf(key, sizeof(key), "unit_%s:%s", what, bdf);
	return stat_of(key);
}

static int fault_alloc(int fd, uint32_t *id, int *ffd)
{
	struct iommu_fault_alloc fa = { .size = sizeof(fa) };
	int r = ioctl(fd, IOMMU_FAULT_QUEUE_ALLOC, &fa);

	*id = fa.out_fault_id;
	*ffd = r ? -1 : (int)fa.out_fault_fd;
	return r;
}

static int hwpt_alloc_fault(int fd, uint32_t dev, uint32_t pt,
			    uint32_t fault_id, uint32_t *out)
{
	struct iommu_hwpt_alloc h = {
		.size = sizeof(h), .flags = IOMMU_HWPT_FAULT_ID_VALID,
		.dev_id = dev, .pt_id = pt, .fault_id = fault_id,
	};
	int r = ioctl(fd, IOMMU_HWPT_ALLOC, &h);

	*out = h.out_hwpt_id;
	return r;
}

static int respond(int ffd, uint32_t cookie, uint32_t code)
{
	struct iommu_hwpt_page_response r = { .cookie = cookie, .code = code };

	return write(ffd, &r, sizeof(r)) == sizeof(r) ? 0 : -1;
}

static void t_fault(const char *bdf)
{
	struct iommu_hwpt_pgfault rec[2];
	struct iommu_fault_alloc bad = { .size = sizeof(bad), .flags = 1 };
	uint32_t fid, hwpt, id, pt;
	long resp0, resp1;
	struct pollfd pfd;
	struct env v;
	ssize_t n;
	int ffd = -1, r;

	if (access(REPORT_FAULT, W_OK)) {
		skip("iommufd_fault_queue", "iommufd_lite.ko loaded without test_faults=1");
		return;
	}
	if (env_open(&v, bdf)) {
		ok(0, "iommufd_fault_queue", "set-up: %s", strerror(errno));
		env_close(&v);
		return;
	}
	expect_errno("iommufd_bad_fault_queue_flags",
		     ioctl(v.fd, IOMMU_FAULT_QUEUE_ALLOC, &bad), EOPNOTSUPP);
	r = fault_alloc(v.fd, &fid, &ffd);
	ok(!r && fid && ffd >= 0, "iommufd_fault_queue_alloc", "%s",
	   strerror(errno));
	if (r)
		goto out;
	expect_errno("iommufd_bad_hwpt_fault_id_unknown",
		     hwpt_alloc_fault(v.fd, v.e.devid, v.ioas, 0x7777, &id), ENOENT);
	expect_errno("iommufd_bad_hwpt_fault_id_wrong_type",
		     hwpt_alloc_fault(v.fd, v.e.devid, v.ioas, v.ioas, &id), ENOENT);
	r = hwpt_alloc_fault(v.fd, v.e.devid, v.ioas, fid, &hwpt);
	ok(!r, "iommufd_fault_hwpt_alloc", "%s", strerror(errno));
	if (r)
		goto out;
	expect_errno("iommufd_bad_destroy_fault_in_use", destroy(v.fd, fid), EBUSY);
	n = read(ffd, rec, sizeof(rec));
	ok(n == 0, "iommufd_fault_read_nothing_queued",
	   "read %zd (%s), want 0 as upstream", n, n < 0 ? strerror(errno) : "");
	pt = hwpt;
	ok(!edu_attach(&v.e, &pt) && pt == hwpt, "iommufd_fault_hwpt_attach",
	   "%s", strerror(errno));
	skip("iommufd_bad_fault_hwpt_device_without_iopf",
	     "no such device here: the core grants IOPF to every translated device alone in its group, and only such devices get a node");

	/* One fault: read back with the right fields, answered SUCCESS. */
	resp0 = unit_stat("responses", bdf);
	r = report_fault(bdf, 0x12345000, 7, 3, 1, -1);
	pfd = (struct pollfd){ .fd = ffd, .events = POLLIN };
	ok(!r && poll(&pfd, 1, 1000) == 1 && (pfd.revents & POLLIN),
	   "iommufd_fault_poll_readable", "report %d (%s), revents %#x", r,
	   strerror(errno), pfd.revents);
	expect_errno("iommufd_bad_fault_read_size",
		     read(ffd, rec, sizeof(rec[0]) - 8) < 0 ? -1 : 0, ESPIPE);
	memset(rec, 0, sizeof(rec));
	n = read(ffd, rec, sizeof(rec));
	ok(n == sizeof(rec[0]) && rec[0].dev_id == v.e.devid &&
	   rec[0].flags == IOMMU_PGFAULT_FLAGS_LAST_PAGE && rec[0].grpid == 7 &&
	   rec[0].perm == (IOMMU_PGFAULT_PERM_READ | IOMMU_PGFAULT_PERM_WRITE) &&
	   rec[0].addr == 0x12345000 && rec[0].cookie && !rec[0].pasid,
	   "iommufd_fault_record", "read %zd: flags %#x dev %u/%u pasid %u grpid %u perm %#x addr %#llx cookie %u",
	   n, rec[0].flags, rec[0].dev_id, v.e.devid, rec[0].pasid, rec[0].grpid,
	   rec[0].perm, (unsigned long long)rec[0].addr, rec[0].cookie);
	expect_errno("iommufd_bad_fault_response_cookie",
		     respond(ffd, rec[0].cookie + 100, IOMMUFD_PAGE_RESP_SUCCESS),
		     EINVAL);
	expect_errno("iommufd_bad_fault_response_code",
		     respond(ffd, rec[0].cookie, 5), EINVAL);
	r = respond(ffd, rec[0].cookie, IOMMUFD_PAGE_RESP_SUCCESS);
	resp1 = unit_stat("responses", bdf);
	ok(!r && resp1 == resp0 + 1 && unit_stat("last_resp_grpid", bdf) == 7 &&
	   unit_stat("last_resp_code", bdf) == IOMMUFD_PAGE_RESP_SUCCESS,
	   "iommufd_fault_response_reaches_core",
	   "write %d (%s), responses %ld -> %ld, last grpid %ld code %ld",
	   r, strerror(errno), resp0, resp1, unit_stat("last_resp_grpid", bdf),
	   unit_stat("last_resp_code", bdf));
	printf("# the unit answered the response with %ld (QEMU: no page requests)\n",
	       unit_stat("last_resp_err", bdf));
	expect_errno("iommufd_bad_fault_response_twice",
		     respond(ffd, rec[0].cookie, IOMMUFD_PAGE_RESP_SUCCESS), EINVAL);

	/*
	 * Two more, one read and one not: leaving the HWPT answers both
	 * INVALID.  The first carries PASID 0 (the core routes it to the
	 * device's own domain).
	 */
	report_fault(bdf, 0x2000, 9, 1, 1, 0);
	n = read(ffd, rec, sizeof(rec));
	r = report_fault(bdf, 0x3000, 10, 2, 1, -1);
	ok(n == sizeof(rec[0]) && rec[0].grpid == 9 && !rec[0].pasid &&
	   rec[0].flags == (IOMMU_PGFAULT_FLAGS_PASID_VALID |
			    IOMMU_PGFAULT_FLAGS_LAST_PAGE) &&
	   rec[0].perm == IOMMU_PGFAULT_PERM_READ,
	   "iommufd_fault_record_pasid", "read %zd: flags %#x pasid %u grpid %u",
	   n, rec[0].flags, rec[0].pasid, rec[0].grpid);
	resp0 = unit_stat("responses", bdf);
	pt = v.ioas;
	r = r || edu_attach(&v.e, &pt);
	resp1 = unit_stat("responses", bdf);
	ok(!r && resp1 == resp0 + 2 &&
	   unit_stat("last_resp_code", bdf) == IOMMUFD_PAGE_RESP_INVALID,
	   "iommufd_fault_detach_answers_pending",
	   "%s, responses %ld -> %ld, last code %ld", strerror(errno), resp0,
	   resp1, unit_stat("last_resp_code", bdf));
	n = read(ffd, rec, sizeof(rec));
	ok(n == 0, "iommufd_fault_nothing_left_after_detach", "read %zd", n);

	/* Closing the iommufd-lite fd with a fault pending answers it. */
	pt = hwpt;
	r = edu_attach(&v.e, &pt) || report_fault(bdf, 0x4000, 11, 1, 1, -1);
	resp0 = unit_stat("responses", bdf);
	close(ffd);
	ffd = -1;
	expect_errno("iommufd_bad_destroy_fault_used_by_hwpt", destroy(v.fd, fid),
		     EBUSY);
	env_close(&v);
	resp1 = unit_stat("responses", bdf);
	ok(!r && resp1 == resp0 + 1 && unit_stat("last_resp_grpid", bdf) == 11 &&
	   unit_stat("last_resp_code", bdf) == IOMMUFD_PAGE_RESP_INVALID,
	   "iommufd_fault_close_answers_pending",
	   "%s, responses %ld -> %ld, last grpid %ld code %ld", strerror(errno),
	   resp0, resp1, unit_stat("last_resp_grpid", bdf),
	   unit_stat("last_resp_code", bdf));
	return;
out:
	if (ffd >= 0)
		close(ffd);
	env_close(&v);
}

/* Two processes: neither reaches the other's objects or device. */
static void t_two_processes(struct env *v)
{
	int p[2], st = 0;
	pid_t pid;
	char c = 0;

	if (pipe(p))
		return;
	pid = fork();
	if (!pid) {
		uint8_t *buf = anon(PAGE);
		uint64_t iova = 0;
		struct edu e;
		int fd = ufd_open();

		if (fd < 0)
			_exit(10);
		/* The parent's IDs mean nothing in another fd. */
		if (fails(ioas_map(fd, v->ioas, buf, PAGE, &iova, RW)) != ENOENT)
			_exit(11);
		if (fails(destroy(fd, v->hwpt)) != ENOENT)
			_exit(12);
		/* The parent's device node is taken. */
		if (fails(edu_open(&e, v->e.bdf)) != EBUSY)
			_exit(13);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "iommufd_two_processes_apart",
	   "child exit %d (11 map, 12 destroy, 13 device)", WEXITSTATUS(st));
	/* The parent's objects are all still there. */
	ok(fails(destroy(v->fd, v->ioas)) == EBUSY, "iommufd_two_processes_objects_intact",
	   NULL);
	close(p[0]);
	close(p[1]);
	(void)c;
}

/* smmu-nested: a nested HWPT (stage 1 bypass) and HWPT_INVALIDATE. */
static void t_nested(struct env *v, int nests)
{
	struct iommu_hwpt_arm_smmuv3 ste = { .ste = { 0x9, 0 } };
	struct iommu_viommu_arm_smmuv3_invalidate inv[2] = {
		{ .cmd = { 0x10, 0 } },		/* CMD_TLBI_NH_ALL */
		{ .cmd = { 0xff, 0 } },		/* no such command */
	};
	struct iommu_hwpt_invalidate hi = {
		.size = sizeof(hi), .data_uptr = (uintptr_t)inv,
		.data_type = IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3,
		.entry_len = sizeof(inv[0]), .entry_num = 1,
	};
	uint8_t *buf = anon(2 * PAGE);
	uint64_t ipa = 0x8000000;
	uint32_t parent, nested, pt;
	int r;

	if (!nests) {
		skip("iommufd_nested_hwpt", "the unit does not nest here (smmu-nested only)");
		skip("iommufd_nested_dma_through_parent", "no nesting");
		skip("iommufd_hwpt_invalidate", "no nesting");
		skip("iommufd_hwpt_invalidate_bad_command", "no nesting");
		return;
	}
	fill(buf, PAGE, 0x3c);
	memset(buf + PAGE, 0, PAGE);
	r = hwpt_alloc(v->fd, v->e.devid, v->ioas, IOMMU_HWPT_ALLOC_NEST_PARENT,
		       0, NULL, 0, &parent) ||
	    ioas_map(v->fd, v->ioas, buf, 2 * PAGE, &ipa, RW | FIXED) ||
	    hwpt_alloc(v->fd, v->e.devid, parent, 0, IOMMU_HWPT_DATA_ARM_SMMUV3,
		       &ste, sizeof(ste), &nested);
	ok(!r, "iommufd_nested_hwpt", "%s", strerror(errno));
	if (r)
		return;
	pt = nested;
	ok(!edu_attach(&v->e, &pt) && !edu_dma(&v->e, ipa, 0, PAGE, 0) &&
	   !edu_dma(&v->e, ipa + PAGE, 0, PAGE, 1) && !memcmp(buf, buf + PAGE, PAGE),
	   "iommufd_nested_dma_through_parent", "%s", strerror(errno));
	hi.hwpt_id = nested;
	ok(!ioctl(v->fd, IOMMU_HWPT_INVALIDATE, &hi) && hi.entry_num == 1,
	   "iommufd_hwpt_invalidate", "%s, %u done", strerror(errno), hi.entry_num);
	hi.entry_num = 2;
	r = fails(ioctl(v->fd, IOMMU_HWPT_INVALIDATE, &hi));
	ok(r && hi.entry_num == 1, "iommufd_hwpt_invalidate_bad_command",
	   "errno %d, %u done", r, hi.entry_num);
	expect_errno("iommufd_destroy_nest_parent_busy", destroy(v->fd, parent), EBUSY);
	pt = v->ioas;
	edu_attach(&v->e, &pt);
	v->hwpt = pt;
	destroy(v->fd, nested);
	destroy(v->fd, parent);
	ioas_unmap(v->fd, v->ioas, ipa, 2 * PAGE, NULL);
	munmap(buf, 2 * PAGE);
}

int main(int argc, char **argv)
{
	struct env v;
	long pinned0;

	printf("TAP version 13\n");
	if (argc < 3) {
		printf("1..0 # SKIP usage: iommufd_user BDF0 BDF1 [nested]\n");
		return 0;
	}
	pinned0 = stat_of("pinned_pages");
	t_node(argv[1]);
	if (env_open(&v, argv[1])) {
		ok(0, "iommufd_setup", "%s: %s", argv[1], strerror(errno));
	} else {
		t_info(&v);
		t_hw_info(&v);
		t_ranges(&v);
		t_dma(&v);
		t_read_only(&v);
		t_copy(&v);
		t_replace(&v);
		t_bad(&v);
		t_alloc_and_options(&v);
		t_nested(&v, argc > 3 && !strcmp(argv[3], "nested"));
		t_two_processes(&v);
	}
	env_close(&v);
	t_rlimit();
	t_rlimit_mode_mm();
	t_close(argv[2], 0);
	t_close(argv[2], 1);
	t_fault(argv[2]);
	ok(stat_of("pinned_pages") == pinned0 && pinned0 == 0,
	   "iommufd_nothing_left_pinned", "pinned %ld (start %ld)",
	   stat_of("pinned_pages"), pinned0);
	printf("1..%d\n", nr);
	return failed ? 1 : 0;
}
