// SPDX-License-Identifier: GPL-2.0
/*
 * bridge_vfio BDF: drive QEMU's edu device through VFIO type1 on the
 * IOMMU that liommu_bridge.ko gives the kernel (selftests/guest/
 * 90-bridge.sh runs it, with vfio-pci bound to BDF).
 *
 * It maps two pages of its own memory with VFIO_IOMMU_MAP_DMA (A read
 * only, B read-write), has edu copy A into its buffer and its buffer out
 * to B (data checked both ways), unmaps B, has edu write to B's IOVA
 * again and checks that nothing arrived (the script looks for the fault
 * in the kernel log), unmaps A and closes device, group and container.
 *
 * Output: one line per result, "PASS name" or "FAIL name: why", which
 * the script turns into TAP; "IOVA_B 0x..." names the IOVA that must
 * fault.  edu registers (QEMU hw/misc/edu.c): 0x80 DMA source, 0x88
 * destination, 0x90 count, 0x98 command (bit 0 start, bit 1 buffer to
 * RAM); its buffer is at 0x40000.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <linux/vfio.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define EDU_ID		0x00
#define EDU_DMA_SRC	0x80
#define EDU_DMA_DST	0x88
#define EDU_DMA_COUNT	0x90
#define EDU_DMA_CMD	0x98
#define EDU_START	0x1
#define EDU_TO_RAM	0x2
#define EDU_BUF		0x40000
#define PAGE		4096
#define LEN		PAGE
#define IOVA_A		0x100000ULL
#define IOVA_B		0x200000ULL

static int failures;

static void result(int ok, const char *name, const char *why)
{
	if (ok) {
		printf("PASS %s\n", name);
	} else {
		printf("FAIL %s: %s (errno %d %s)\n", name, why, errno,
		       strerror(errno));
		failures++;
	}
	fflush(stdout);
}

static volatile uint8_t *bar;

static void wr64(unsigned int off, uint64_t v)
{
	*(volatile uint64_t *)(bar + off) = v;
}

/* edu answers only 32-bit reads below 0x80. */
static uint32_t rd32(unsigned int off)
{
	return *(volatile uint32_t *)(bar + off);
}

static uint64_t rd64(unsigned int off)
{
	return *(volatile uint64_t *)(bar + off);
}

/* One edu transfer; 0 when the engine finished within 3 s. */
static int edu_dma(uint64_t src, uint64_t dst, uint64_t cmd)
{
	struct timespec t0, t;

	wr64(EDU_DMA_SRC, src);
	wr64(EDU_DMA_DST, dst);
	wr64(EDU_DMA_COUNT, LEN);
	wr64(EDU_DMA_CMD, cmd | EDU_START);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (rd64(EDU_DMA_CMD) & EDU_START) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec > 3)
			return -1;
		usleep(1000);
	}
	return 0;
}

static int map_dma(int container, void *va, uint64_t iova, uint32_t flags)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = flags,
		.vaddr = (uintptr_t)va,
		.iova = iova,
		.size = PAGE,
	};

	return ioctl(container, VFIO_IOMMU_MAP_DMA, &map);
}

static int unmap_dma(int container, uint64_t iova)
{
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap),
		.iova = iova,
		.size = PAGE,
	};

	if (ioctl(container, VFIO_IOMMU_UNMAP_DMA, &unmap))
		return -1;
	return unmap.size == PAGE ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	struct vfio_region_info bar0 = { .argsz = sizeof(bar0) };
	struct vfio_region_info cfg = { .argsz = sizeof(cfg) };
	char path[256], link[256];
	int container, group, device;
	uint8_t *a, *b;
	uint16_t command;
	ssize_t n;
	int ok;

	if (argc != 2) {
		fprintf(stderr, "usage: bridge_vfio BDF\n");
		return 2;
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group",
		 argv[1]);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0) {
		result(0, "vfio_group", "no iommu_group link");
		return 1;
	}
	link[n] = 0;
	snprintf(path, sizeof(path), "/dev/vfio/%s", basename(link));

	container = open("/dev/vfio/vfio", O_RDWR);
	result(container >= 0 &&
	       ioctl(container, VFIO_GET_API_VERSION) == VFIO_API_VERSION &&
	       ioctl(container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) == 1,
	       "vfio_container_type1v2", "container or TYPE1v2 missing");
	group = open(path, O_RDWR);
	ok = group >= 0 && !ioctl(group, VFIO_GROUP_GET_STATUS, &status) &&
	     (status.flags & VFIO_GROUP_FLAGS_VIABLE);
	result(ok, "vfio_group_viable", path);
	if (!ok)
		return 1;
	ok = !ioctl(group, VFIO_GROUP_SET_CONTAINER, &container) &&
	     !ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU);
	result(ok, "vfio_set_iommu", "SET_CONTAINER/SET_IOMMU");
	if (!ok)
		return 1;
	device = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, argv[1]);
	bar0.index = VFIO_PCI_BAR0_REGION_INDEX;
	cfg.index = VFIO_PCI_CONFIG_REGION_INDEX;
	ok = device >= 0 && !ioctl(device, VFIO_DEVICE_GET_REGION_INFO, &bar0) &&
	     !ioctl(device, VFIO_DEVICE_GET_REGION_INFO, &cfg);
	if (ok) {
		bar = mmap(NULL, bar0.size, PROT_READ | PROT_WRITE, MAP_SHARED,
			   device, bar0.offset);
		ok = bar != MAP_FAILED && (rd32(EDU_ID) & 0xff) == 0xed;
	}
	result(ok, "vfio_device_bar", "device fd, BAR0 mmap or edu id");
	if (!ok)
		return 1;
	ok = pread(device, &command, 2, cfg.offset + 4) == 2;
	command |= 0x4;	/* bus master */
	ok = ok && pwrite(device, &command, 2, cfg.offset + 4) == 2;
	result(ok, "vfio_bus_master", "config space");

	a = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	b = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (int i = 0; i < PAGE; i++)
		a[i] = (uint8_t)(i * 7 + 3);
	memset(b, 0, PAGE);
	ok = !map_dma(container, a, IOVA_A, VFIO_DMA_MAP_FLAG_READ) &&
	     !map_dma(container, b, IOVA_B,
		      VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE);
	result(ok, "vfio_map_dma", "VFIO_IOMMU_MAP_DMA");
	if (!ok)
		return 1;
	result(!edu_dma(IOVA_A, EDU_BUF, 0), "vfio_edu_dma_from_iova",
	       "edu DMA from IOVA A timed out");
	result(!edu_dma(EDU_BUF, IOVA_B, EDU_TO_RAM), "vfio_edu_dma_to_iova",
	       "edu DMA to IOVA B timed out");
	result(!memcmp(a, b, LEN), "vfio_edu_data_both_ways",
	       "B does not hold what edu read from A");

	ok = !unmap_dma(container, IOVA_B);
	result(ok, "vfio_unmap_dma", "VFIO_IOMMU_UNMAP_DMA");
	memset(b, 0, PAGE);
	printf("IOVA_B %#llx\n", IOVA_B);
	result(!edu_dma(EDU_BUF, IOVA_B, EDU_TO_RAM),
	       "vfio_edu_dma_after_unmap_completes", "edu hung");
	ok = 1;
	for (int i = 0; i < LEN; i++)
		ok &= b[i] == 0;
	result(ok, "vfio_after_unmap_nothing_written",
	       "data reached the unmapped page");
	result(!unmap_dma(container, IOVA_A), "vfio_unmap_a", "unmap A");
	munmap((void *)bar, bar0.size);
	ok = !close(device) &&
	     !ioctl(group, VFIO_GROUP_UNSET_CONTAINER) &&
	     !close(group) && !close(container);
	result(ok, "vfio_close", "closing device, group or container");
	return failures ? 1 : 0;
}
