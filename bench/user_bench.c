// SPDX-License-Identifier: GPL-2.0
/*
 * user_bench iommufd|vfio BDF PAGES REPEATS: the userspace rows of
 * make bench (Documentation/bench.rst).  scripts/bench runs it in both
 * boots of a profile, after the bench module:
 *
 *   iommufd  liommu's boot: BDF is handed to iommufd_lite, bound to an
 *            iommufd-lite fd and attached to an IOAS; IOMMU_IOAS_MAP and
 *            IOMMU_IOAS_UNMAP of PAGES * 4 KiB of this program's memory.
 *   vfio     the kernel's boot: BDF is bound to vfio-pci under the
 *            kernel's own IOMMU driver; a type1v2 container, and
 *            VFIO_IOMMU_MAP_DMA / VFIO_IOMMU_UNMAP_DMA of the same.
 *
 * Two kinds of memory: 4 KiB-backed (MADV_NOHUGEPAGE) and 2 MiB-backed
 * (2 MiB-aligned, MADV_HUGEPAGE: transparent huge pages, so both stacks
 * can map 2 MiB pages).  The memory is faulted in before any timing and
 * each repeat maps it at the same IOVA.  Output, the bench modules' own
 * format: "bench-raw: <row> <repeat> <ns>", "bench-error: <why>", and
 * "bench-end: user ok" when every row ran.
 *
 * The VFIO ioctls are written here from their uAPI numbers (the arm64
 * cross C library may lack <linux/vfio.h>); iommufd-lite's come from
 * include/uapi/liommu.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <uapi/liommu/iommufd.h>
#include <uapi/liommu/vfio.h>

#define PAGE		4096UL
#define HUGE		(2UL << 20)
#define IOVA		(1ULL << 32)

/* VFIO's container and type1 interface (<linux/vfio.h>). */
#define UB_VFIO_GET_API_VERSION		_IO(VFIO_TYPE, VFIO_BASE + 0)
#define UB_VFIO_SET_IOMMU		_IO(VFIO_TYPE, VFIO_BASE + 2)
#define UB_VFIO_GROUP_GET_STATUS	_IO(VFIO_TYPE, VFIO_BASE + 3)
#define UB_VFIO_GROUP_SET_CONTAINER	_IO(VFIO_TYPE, VFIO_BASE + 4)
#define UB_VFIO_IOMMU_MAP_DMA		_IO(VFIO_TYPE, VFIO_BASE + 13)
#define UB_VFIO_IOMMU_UNMAP_DMA		_IO(VFIO_TYPE, VFIO_BASE + 14)
#define UB_VFIO_TYPE1v2_IOMMU		3
#define UB_VFIO_GROUP_FLAGS_VIABLE	(1 << 0)
#define UB_VFIO_DMA_MAP_FLAG_READ	(1 << 0)
#define UB_VFIO_DMA_MAP_FLAG_WRITE	(1 << 1)

struct ub_vfio_group_status {
	uint32_t argsz;
	uint32_t flags;
};

struct ub_vfio_dma_map {
	uint32_t argsz;
	uint32_t flags;
	uint64_t vaddr;
	uint64_t iova;
	uint64_t size;
};

struct ub_vfio_dma_unmap {
	uint32_t argsz;
	uint32_t flags;
	uint64_t iova;
	uint64_t size;
};

/* One stack: map and unmap of [IOVA, IOVA + len) from @buf. */
struct ub_ops {
	const char *name;
	int (*open)(const char *bdf);
	int (*map)(void *buf, uint64_t len);
	int (*unmap)(uint64_t len);
};

static int ufd = -1, node = -1, container = -1, group = -1;
static uint32_t ioas;

static void error(const char *what)
{
	printf("bench-error: user_bench %s: %s\n", what, strerror(errno));
	fflush(stdout);
}

static int iommufd_open(const char *bdf)
{
	struct iommu_ioas_alloc ia = { .size = sizeof(ia) };
	struct vfio_device_bind_iommufd b = { .argsz = sizeof(b) };
	struct vfio_device_attach_iommufd_pt at = { .argsz = sizeof(at) };
	char path[64];

	snprintf(path, sizeof(path), "/dev/liommu/%s", bdf);
	ufd = open("/dev/iommufd-lite", O_RDWR);
	node = open(path, O_RDWR);
	if (ufd < 0 || node < 0)
		return -1;
	b.iommufd = ufd;
	if (ioctl(ufd, IOMMU_IOAS_ALLOC, &ia) ||
	    ioctl(node, VFIO_DEVICE_BIND_IOMMUFD, &b))
		return -1;
	ioas = ia.out_ioas_id;
	at.pt_id = ioas;
	return ioctl(node, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &at);
}

static int iommufd_map(void *buf, uint64_t len)
{
	struct iommu_ioas_map m = {
		.size = sizeof(m), .ioas_id = ioas,
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
			 IOMMU_IOAS_MAP_WRITEABLE,
		.user_va = (uintptr_t)buf, .length = len, .iova = IOVA,
	};

	return ioctl(ufd, IOMMU_IOAS_MAP, &m);
}

static int iommufd_unmap(uint64_t len)
{
	struct iommu_ioas_unmap u = {
		.size = sizeof(u), .ioas_id = ioas, .iova = IOVA, .length = len,
	};

	return ioctl(ufd, IOMMU_IOAS_UNMAP, &u) || u.length != len ? -1 : 0;
}

static int vfio_open(const char *bdf)
{
	struct ub_vfio_group_status st = { .argsz = sizeof(st) };
	char link[96], target[PATH_MAX], path[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return -1;
	target[n] = 0;
	snprintf(path, sizeof(path), "/dev/vfio/%s", basename(target));
	container = open("/dev/vfio/vfio", O_RDWR);
	group = open(path, O_RDWR);
	if (container < 0 || group < 0)
		return -1;
	if (ioctl(group, UB_VFIO_GROUP_GET_STATUS, &st))
		return -1;
	if (!(st.flags & UB_VFIO_GROUP_FLAGS_VIABLE)) {
		errno = EBUSY;
		return -1;
	}
	if (ioctl(group, UB_VFIO_GROUP_SET_CONTAINER, &container))
		return -1;
	return ioctl(container, UB_VFIO_SET_IOMMU, UB_VFIO_TYPE1v2_IOMMU);
}

static int vfio_map(void *buf, uint64_t len)
{
	struct ub_vfio_dma_map m = {
		.argsz = sizeof(m),
		.flags = UB_VFIO_DMA_MAP_FLAG_READ | UB_VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)buf, .iova = IOVA, .size = len,
	};

	return ioctl(container, UB_VFIO_IOMMU_MAP_DMA, &m);
}

static int vfio_unmap(uint64_t len)
{
	struct ub_vfio_dma_unmap u = {
		.argsz = sizeof(u), .iova = IOVA, .size = len,
	};

	return ioctl(container, UB_VFIO_IOMMU_UNMAP_DMA, &u) || u.size != len ?
	       -1 : 0;
}

static const struct ub_ops ub_stacks[] = {
	{ "iommufd", iommufd_open, iommufd_map, iommufd_unmap },
	{ "vfio", vfio_open, vfio_map, vfio_unmap },
};

/*
 * @len bytes of memory, faulted in: 4 KiB pages, or 2 MiB-aligned with
 * transparent huge pages asked for.  NULL on failure.
 */
static void *ub_memory(uint64_t len, int huge)
{
	size_t span = len + (huge ? HUGE : 0);
	uint8_t *p = mmap(NULL, span, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t off;

	if (p == MAP_FAILED)
		return NULL;
	if (huge)
		p = (uint8_t *)(((uintptr_t)p + HUGE - 1) & ~(HUGE - 1));
	madvise(p, len, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	for (off = 0; off < len; off += PAGE)
		p[off] = 1;
	return p;
}

/* How much of [p, p + len) the kernel backs with huge pages, in kB. */
static long ub_thp_kb(void *p, uint64_t len)
{
	char line[256];
	unsigned long lo, hi;
	long kb = -1, in = 0;
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx", &lo, &hi) == 2)
			in = lo <= (uintptr_t)p && (uintptr_t)p + len <= hi;
		else if (in && sscanf(line, "AnonHugePages: %ld kB", &kb) == 1)
			break;
	}
	fclose(f);
	return kb;
}

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000ULL + t.tv_nsec;
}

int main(int argc, char **argv)
{
	const struct ub_ops *ops = NULL;
	uint64_t len, t0, t1, t2;
	long pages, repeats, r;
	unsigned int i;
	int huge, bad = 0;

	if (argc != 5) {
		fprintf(stderr, "usage: user_bench iommufd|vfio BDF PAGES REPEATS\n");
		return 2;
	}
	for (i = 0; i < sizeof(ub_stacks) / sizeof(ub_stacks[0]); i++)
		if (!strcmp(argv[1], ub_stacks[i].name))
			ops = &ub_stacks[i];
	pages = strtol(argv[3], NULL, 0);
	repeats = strtol(argv[4], NULL, 0);
	if (!ops || pages <= 0 || repeats <= 0) {
		fprintf(stderr, "user_bench: bad arguments\n");
		return 2;
	}
	if (ops->open(argv[2])) {
		error("open");
		return 1;
	}
	len = (uint64_t)pages * PAGE;
	for (huge = 0; huge <= 1 && !bad; huge++) {
		const char *kind = huge ? "2m" : "4k";
		void *buf = ub_memory(len, huge);

		if (!buf) {
			error("memory");
			bad = 1;
			break;
		}
		printf("# user_bench %s: %s-backed memory, %ld kB of it in huge pages\n",
		       ops->name, kind, ub_thp_kb(buf, len));
		for (r = 0; r < repeats; r++) {
			t0 = now_ns();
			if (ops->map(buf, len)) {
				error("map");
				bad = 1;
				break;
			}
			t1 = now_ns();
			if (ops->unmap(len)) {
				error("unmap");
				bad = 1;
				break;
			}
			t2 = now_ns();
			/* Named for make bench's 256 MiB (the smoke maps less). */
			printf("bench-raw: user_map_256m_%s_ns %ld %llu\n", kind,
			       r, (unsigned long long)(t1 - t0));
			printf("bench-raw: user_unmap_256m_%s_ns %ld %llu\n", kind,
			       r, (unsigned long long)(t2 - t1));
			fflush(stdout);
		}
	}
	if (!bad)
		printf("bench-end: user ok\n");
	return bad;
}
