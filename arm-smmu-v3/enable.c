// SPDX-License-Identifier: GPL-2.0
/*
 * Taking an SMMU over, and giving it back.
 *
 * Enable, in the order the architecture asks for (each CR0 change waits
 * for CR0ACK to follow):
 *   1. GBPA stays as we found it (it only matters while SMMUEN is 0);
 *   2. CR1: queues and tables inner-shareable write-back (the SMMU is
 *      IO-coherent, IDR0.COHACC); CR2: record invalid StreamIDs, private
 *      TLB maintenance;
 *   3. STRTAB_BASE and STRTAB_BASE_CFG;
 *   4. CMDQ_BASE, PROD = CONS = 0, CMDQEN;
 *   5. EVENTQ_BASE, PROD = CONS = 0, EVENTQEN;
 *   6. a bypass STE for every PCI device the SMMU translates;
 *   7. CMD_CFGI_ALL and CMD_TLBI_NSNH_ALL (plus CMD_TLBI_EL2_ALL only if
 *      IDR0.HYP), then CMD_SYNC: nothing cached from before us survives;
 *      no stage-2 command is issued (illegal on a stage-1-only SMMU);
 *   8. SMMUEN.
 * Disable reverses it: CR0 = 0 (SMMUEN and both queues off), the base
 * registers cleared, everything freed.
 */
#define pr_fmt(fmt) "liommu-smmuv3: " fmt

#include <linux/delay.h>
#include <linux/io.h>
#include <linux/io-64-nonatomic-hi-lo.h>
#include <linux/iopoll.h>
#include <linux/pci.h>

#include "cmdq.h"
#include "regs.h"
#include "smmuv3.h"
#include "ste.h"

#define CR0ACK_TIMEOUT_US	1000000

static int write_cr0(struct liommu_smmu_unit *unit, u32 val)
{
	u32 ack;
	int err;

	writel(val, unit->regs + LIOMMU_SMMU_REG_CR0);
	err = readl_poll_timeout(unit->regs + LIOMMU_SMMU_REG_CR0ACK, ack,
				 ack == val, 10, CR0ACK_TIMEOUT_US);
	if (err)
		pr_err("SMMU %u: CR0 %#x not acknowledged (CR0ACK %#x)\n",
		       unit->index, val, ack);
	return err;
}

/* A bypass STE for each PCI device this SMMU translates. */
static int add_pci_streams(struct liommu_smmu *smmu,
			   struct liommu_smmu_unit *unit)
{
	struct pci_dev *pdev = NULL;
	unsigned int nr = 0;
	u64 ste[8];
	int err = 0;

	liommu_smmu_ste_build(ste, LIOMMU_SMMU_STE_BYPASS);
	for_each_pci_dev(pdev) {
		unsigned int index;
		u32 sid;

		if (liommu_smmu_map_lookup(smmu, pci_domain_nr(pdev->bus),
					   pci_dev_id(pdev), &index, &sid) ||
		    index != unit->index)
			continue;
		err = liommu_smmu_strtab_add_sid(unit, sid);
		if (!err) {
			mutex_lock(&unit->ste_lock);
			err = liommu_smmu_ste_write(unit, sid, ste);
			mutex_unlock(&unit->ste_lock);
		}
		if (err) {
			pr_err("SMMU %u: %s (StreamID %#x): no bypass STE: %d\n",
			       unit->index, pci_name(pdev), sid, err);
			pci_dev_put(pdev);
			return err;
		}
		pr_info("SMMU %u: %s StreamID %#x: bypass\n", unit->index,
			pci_name(pdev), sid);
		nr++;
	}
	pr_info("SMMU %u: %u PCI device%s bypass; every other StreamID is invalid\n",
		unit->index, nr, nr == 1 ? "" : "s");
	return 0;
}

static int invalidate_all(struct liommu_smmu_unit *unit)
{
	u64 cmds[3][2] = {};
	unsigned int n = 0;

	cmds[n][0] = FIELD_PREP(LIOMMU_SMMU_CMD_0_OPCODE,
				LIOMMU_SMMU_CMD_0_OPCODE_CFGI_ALL);
	cmds[n++][1] = FIELD_PREP(LIOMMU_SMMU_CFGI_1_RANGE,
				  LIOMMU_SMMU_CFGI_1_RANGE_ALL);
	cmds[n++][0] = FIELD_PREP(LIOMMU_SMMU_CMD_0_OPCODE,
				  LIOMMU_SMMU_CMD_0_OPCODE_TLBI_NSNH_ALL);
	if (unit->feat.hyp)
		cmds[n++][0] = FIELD_PREP(LIOMMU_SMMU_CMD_0_OPCODE,
					  LIOMMU_SMMU_CMD_0_OPCODE_TLBI_EL2_ALL);
	return liommu_smmu_cmdq_submit(unit, cmds, n);
}

static void clear_bases(struct liommu_smmu_unit *unit)
{
	writeq(0, unit->regs + LIOMMU_SMMU_REG_STRTAB_BASE);
	writel(0, unit->regs + LIOMMU_SMMU_REG_STRTAB_BASE_CFG);
	writeq(0, unit->regs + LIOMMU_SMMU_REG_CMDQ_BASE);
	writeq(0, unit->regs + LIOMMU_SMMU_REG_EVENTQ_BASE);
}

/**
 * liommu_smmu_unit_enable() - take an SMMU over with bypass STEs
 * @smmu: the driver's state (for the StreamID maps)
 * @unit: a mapped SMMU with CR0 0
 *
 * Return: 0 with SMMUEN on; -EOPNOTSUPP for an SMMU this driver cannot
 * drive yet (not IO-coherent, preset tables, one register page); -ENOMEM;
 * -ETIMEDOUT or -EIO if the SMMU did not follow.  On error the SMMU is
 * off again and nothing stays allocated.
 */
int liommu_smmu_unit_enable(struct liommu_smmu *smmu,
			    struct liommu_smmu_unit *unit)
{
	struct liommu_smmu_strtab *st = &unit->strtab;
	u32 cr0 = 0;
	int err;

	spin_lock_init(&unit->cmdq_lock);
	mutex_init(&unit->ste_lock);
	mutex_init(&unit->evtq_lock);
	if (!unit->feat.coherent || unit->feat.tables_preset ||
	    unit->feat.queues_preset || unit->reg_size < LIOMMU_SMMU_REG_SIZE) {
		pr_err("SMMU %u: not IO-coherent, preset tables or queues, or one register page: not supported yet\n",
		       unit->index);
		return -EOPNOTSUPP;
	}
	err = liommu_smmu_queue_alloc(&unit->cmdq, min_t(unsigned int,
				      LIOMMU_SMMU_CMDQ_LOG2, unit->feat.cmdq_bits),
				      LIOMMU_SMMU_CMD_DWORDS,
				      LIOMMU_SMMU_REG_CMDQ_PROD,
				      LIOMMU_SMMU_REG_CMDQ_CONS);
	if (err)
		return err;
	err = liommu_smmu_queue_alloc(&unit->evtq, min_t(unsigned int,
				      LIOMMU_SMMU_EVTQ_LOG2, unit->feat.evtq_bits),
				      LIOMMU_SMMU_EVT_DWORDS,
				      LIOMMU_SMMU_REG_EVENTQ_PROD,
				      LIOMMU_SMMU_REG_EVENTQ_CONS);
	if (err)
		goto err_free_cmdq;
	err = liommu_smmu_strtab_alloc(unit);
	if (err)
		goto err_free_evtq;

	writel(FIELD_PREP(LIOMMU_SMMU_CR1_QUEUE_IC, LIOMMU_SMMU_CR1_CACHE_WB) |
	       FIELD_PREP(LIOMMU_SMMU_CR1_QUEUE_OC, LIOMMU_SMMU_CR1_CACHE_WB) |
	       FIELD_PREP(LIOMMU_SMMU_CR1_QUEUE_SH, LIOMMU_SMMU_CR1_SH_ISH) |
	       FIELD_PREP(LIOMMU_SMMU_CR1_TABLE_IC, LIOMMU_SMMU_CR1_CACHE_WB) |
	       FIELD_PREP(LIOMMU_SMMU_CR1_TABLE_OC, LIOMMU_SMMU_CR1_CACHE_WB) |
	       FIELD_PREP(LIOMMU_SMMU_CR1_TABLE_SH, LIOMMU_SMMU_CR1_SH_ISH),
	       unit->regs + LIOMMU_SMMU_REG_CR1);
	writel(LIOMMU_SMMU_CR2_RECINVSID | LIOMMU_SMMU_CR2_PTM,
	       unit->regs + LIOMMU_SMMU_REG_CR2);

	writeq(LIOMMU_SMMU_STRTAB_BASE_RA |
	       (st->base_phys & LIOMMU_SMMU_STRTAB_BASE_ADDR),
	       unit->regs + LIOMMU_SMMU_REG_STRTAB_BASE);
	writel(FIELD_PREP(LIOMMU_SMMU_STRTAB_BASE_CFG_FMT,
			  st->two_level ? LIOMMU_SMMU_STRTAB_BASE_CFG_FMT_2LVL :
					  LIOMMU_SMMU_STRTAB_BASE_CFG_FMT_LINEAR) |
	       FIELD_PREP(LIOMMU_SMMU_STRTAB_BASE_CFG_SPLIT, st->split) |
	       FIELD_PREP(LIOMMU_SMMU_STRTAB_BASE_CFG_LOG2SIZE, st->log2size),
	       unit->regs + LIOMMU_SMMU_REG_STRTAB_BASE_CFG);

	writeq(liommu_smmu_queue_base(&unit->cmdq),
	       unit->regs + LIOMMU_SMMU_REG_CMDQ_BASE);
	writel(0, unit->regs + LIOMMU_SMMU_REG_CMDQ_PROD);
	writel(0, unit->regs + LIOMMU_SMMU_REG_CMDQ_CONS);
	cr0 |= LIOMMU_SMMU_CR0_CMDQEN;
	err = write_cr0(unit, cr0);
	if (err)
		goto err_off;

	writeq(liommu_smmu_queue_base(&unit->evtq),
	       unit->regs + LIOMMU_SMMU_REG_EVENTQ_BASE);
	writel(0, unit->regs + LIOMMU_SMMU_REG_EVENTQ_PROD);
	writel(0, unit->regs + LIOMMU_SMMU_REG_EVENTQ_CONS);
	cr0 |= LIOMMU_SMMU_CR0_EVENTQEN;
	err = write_cr0(unit, cr0);
	if (err)
		goto err_off;

	err = add_pci_streams(smmu, unit);
	if (err)
		goto err_off;
	err = invalidate_all(unit);
	if (err)
		goto err_off;

	cr0 |= LIOMMU_SMMU_CR0_SMMUEN;
	err = write_cr0(unit, cr0);
	if (err)
		goto err_off;
	unit->enabled = true;
	pr_info("SMMU %u: enabled: %s stream table (%u-bit StreamIDs), command queue 2^%u, event queue 2^%u\n",
		unit->index, st->two_level ? "2-level" : "linear", st->log2size,
		unit->cmdq.log2, unit->evtq.log2);
	return 0;

err_off:
	write_cr0(unit, 0);
	clear_bases(unit);
	liommu_smmu_strtab_free(unit);
err_free_evtq:
	liommu_smmu_queue_free(&unit->evtq);
err_free_cmdq:
	liommu_smmu_queue_free(&unit->cmdq);
	return err;
}

/**
 * liommu_smmu_unit_disable() - give an SMMU back as we found it
 * @unit: an SMMU enabled by liommu_smmu_unit_enable(); nothing happens
 *	otherwise
 *
 * Turns SMMUEN and both queues off (CR0 reads 0 after), clears the base
 * registers and frees the tables and queues.  Traffic then follows GBPA,
 * which we never changed.
 */
void liommu_smmu_unit_disable(struct liommu_smmu_unit *unit)
{
	if (!unit->enabled)
		return;
	/* Whatever the SMMU reported meanwhile goes to the log. */
	liommu_smmu_evtq_poll(unit);
	write_cr0(unit, 0);
	unit->enabled = false;
	clear_bases(unit);
	liommu_smmu_strtab_free(unit);
	liommu_smmu_queue_free(&unit->evtq);
	liommu_smmu_queue_free(&unit->cmdq);
	pr_info("SMMU %u: disabled (CR0 %#x)\n", unit->index,
		readl(unit->regs + LIOMMU_SMMU_REG_CR0));
}
