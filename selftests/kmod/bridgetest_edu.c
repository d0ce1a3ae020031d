// SPDX-License-Identifier: GPL-2.0
/* edu.c again, for liommu_bridgetest.ko (a module of its own). */
#include "edu.c"
