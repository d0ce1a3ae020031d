# SPDX-License-Identifier: GPL-2.0
#
# liommu: a loadable Linux IOMMU stack.
#
#   make check [TARGET=...] [PROFILE=...]   set up, build, run every test
#   make check KERNEL=<image> KDIR=<tree> [MODDIR=<dir>] [PROFILE=...]
#                                           the profiles of that kernel's
#                                           architecture on your kernel
#   make run                                boot vtd-sm-sl with the stack
#   make shell PROFILE=...                  interactive guest
#   make modules [TARGET=...]               build only
#   make modules KDIR=<kernel tree>         build against your own kernel
#                                           ([ARCH=arm64 CROSS_COMPILE=...])
#   make install [TARGET=...|KDIR=...] [DESTDIR=...]
#                                           install under lib/modules/<ver>/
#                                           updates/liommu and run depmod
#   make setup [TARGET=...]                 install and unpack only
#   make bench [PROFILE=...]                map/unmap against the kernel's
#                                           own driver (scripts/bench)
#   make soak [PROFILE=...] [SOAK_MS=...]   the stress suite for minutes
#                                           per profile (scripts/soak)
#
# The module build itself is Kbuild's (see Kbuild and scripts/build).

TARGET ?=
KDIR ?=
DESTDIR ?=
PROFILE ?=
KERNEL ?=
MODDIR ?=
RUN_PROFILE ?= vtd-sm-sl
SOAK_MS ?= 240000
DEFAULT_TARGET := x86_64-6.12

check_args := $(if $(TARGET),--target $(TARGET)) $(if $(PROFILE),--profile $(PROFILE)) \
	$(if $(KERNEL),--kernel $(KERNEL) --kdir $(KDIR)) $(if $(MODDIR),--moddir $(MODDIR))
build_target = $(or $(TARGET),$(if $(PROFILE),$(shell sed -n 's/^TARGET=//p' selftests/profiles/$(PROFILE)),$(DEFAULT_TARGET)))

.PHONY: all setup modules install check run shell clean bench soak

all: modules

setup:
	scripts/setup $(TARGET)

ifneq ($(KDIR),)
modules:
	scripts/build --kdir $(KDIR)

install:
	scripts/install --kdir $(KDIR) $(DESTDIR)
else
modules:
	scripts/setup $(build_target)
	scripts/build $(build_target)

install:
	scripts/install $(build_target) $(DESTDIR)
endif

check:
	scripts/check $(check_args)

run:
	scripts/run $(RUN_PROFILE)

bench:
	scripts/bench $(PROFILE)

soak:
	LIOMMU_SOAK_MS=$(SOAK_MS) scripts/soak $(PROFILE)

shell:
	@test -n "$(PROFILE)" || { echo "make shell PROFILE=<name>: profiles in selftests/profiles/"; exit 2; }
	scripts/setup $(build_target)
	scripts/build $(build_target)
	scripts/vm-run --mode shell $(PROFILE)

clean:
	rm -rf build/*/modules build/*/initramfs build/logs
