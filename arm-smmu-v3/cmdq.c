// SPDX-License-Identifier: GPL-2.0
/*
 * The command queue: commands in, CMD_SYNC polled to completion.
 *
 * Every submission appends a CMD_SYNC whose completion signal is "none":
 * the SMMU has executed everything before the SYNC once CMDQ_CONS has
 * moved past it (QEMU offers no MSI, and we own no interrupt).  One
 * submitter at a time (cmdq_lock), so the SYNC is complete when CONS
 * equals our PROD.
 *
 * A command the SMMU cannot execute stops the queue: GERROR.CMDQ_ERR
 * toggles, CMDQ_CONS points at the command and CMDQ_CONS.ERR says why.
 * We report it, overwrite the command with a CMD_SYNC (which always
 * executes), acknowledge through GERRORN and write PROD again, so the
 * queue runs on; the submission that contained it returns -EIO.
 */
#define pr_fmt(fmt) "liommu-smmuv3: " fmt

#include <linux/delay.h>
#include <linux/io.h>
#include <linux/ktime.h>

#include "cmdq.h"
#include "regs.h"
#include "smmuv3.h"

/* How long a CMD_SYNC or free queue space may take. */
#define CMDQ_TIMEOUT_US		1000000

static u32 q_mask(const struct liommu_smmu_queue *q)
{
	return GENMASK(q->log2, 0);	/* index and wrap bit */
}

static u32 q_idx(const struct liommu_smmu_queue *q, u32 p)
{
	return p & GENMASK(q->log2 - 1, 0);
}

static bool q_full(const struct liommu_smmu_queue *q)
{
	return q_idx(q, q->prod) == q_idx(q, q->cons) &&
	       (q->prod ^ q->cons) & BIT(q->log2);
}

static u32 q_inc(const struct liommu_smmu_queue *q, u32 p)
{
	return (p + 1) & q_mask(q);
}

static const char *cerror_name(u32 err)
{
	switch (err) {
	case LIOMMU_SMMU_CMDQ_CONS_ERR_NONE:
		return "CERROR_NONE";
	case LIOMMU_SMMU_CMDQ_CONS_ERR_ILL:
		return "CERROR_ILL (illegal or unsupported command)";
	case LIOMMU_SMMU_CMDQ_CONS_ERR_ABT:
		return "CERROR_ABT (abort reading the command)";
	case LIOMMU_SMMU_CMDQ_CONS_ERR_ATC_INV_SYNC:
		return "CERROR_ATC_INV_SYNC (ATC invalidation timed out)";
	default:
		return "unknown CERROR";
	}
}

static void cmd_build_sync(u64 cmd[2])
{
	cmd[0] = FIELD_PREP(LIOMMU_SMMU_CMD_0_OPCODE,
			    LIOMMU_SMMU_CMD_0_OPCODE_SYNC) |
		 FIELD_PREP(LIOMMU_SMMU_SYNC_0_CS, LIOMMU_SMMU_SYNC_0_CS_NONE);
	cmd[1] = 0;
}

/**
 * liommu_smmu_cmd_cfgi_ste() - build CMD_CFGI_STE for one StreamID
 * @cmd: the command, filled
 * @sid: the StreamID whose cached STE to invalidate
 */
void liommu_smmu_cmd_cfgi_ste(u64 cmd[2], u32 sid)
{
	cmd[0] = FIELD_PREP(LIOMMU_SMMU_CMD_0_OPCODE,
			    LIOMMU_SMMU_CMD_0_OPCODE_CFGI_STE) |
		 FIELD_PREP(LIOMMU_SMMU_CFGI_0_SID, sid);
	cmd[1] = LIOMMU_SMMU_CFGI_1_LEAF;
}

static void cmdq_put(struct liommu_smmu_queue *q, const u64 cmd[2])
{
	__le64 *ent = q->ents + q_idx(q, q->prod) * q->dwords;

	ent[0] = cpu_to_le64(cmd[0]);
	ent[1] = cpu_to_le64(cmd[1]);
	q->prod = q_inc(q, q->prod);
}

/* A command error is pending: report it and get the queue going again. */
static void cmdq_recover(struct liommu_smmu_unit *unit, u32 gerror,
			 u32 gerrorn)
{
	struct liommu_smmu_queue *q = &unit->cmdq;
	u32 cons = readl(unit->regs + LIOMMU_SMMU_REG_CMDQ_CONS);
	u32 err = FIELD_GET(LIOMMU_SMMU_CMDQ_CONS_ERR, cons);
	__le64 *ent = q->ents + q_idx(q, cons) * q->dwords;
	u64 sync[2];

	pr_err("SMMU %u: command queue error %u, %s, at entry %u: command %#018llx %#018llx (opcode %#llx); replaced by CMD_SYNC\n",
	       unit->index, err, cerror_name(err), q_idx(q, cons),
	       le64_to_cpu(ent[0]), le64_to_cpu(ent[1]),
	       FIELD_GET(LIOMMU_SMMU_CMD_0_OPCODE, le64_to_cpu(ent[0])));
	unit->cmdq_errors++;
	unit->last_cerror = err;
	cmd_build_sync(sync);
	ent[0] = cpu_to_le64(sync[0]);
	ent[1] = cpu_to_le64(sync[1]);
	dma_wmb();
	/* Acknowledge: make GERRORN.CMDQ_ERR equal GERROR.CMDQ_ERR. */
	writel(gerrorn ^ LIOMMU_SMMU_GERROR_CMDQ_ERR,
	       unit->regs + LIOMMU_SMMU_REG_GERRORN);
	/* And restart consumption. */
	writel(q->prod, unit->regs + LIOMMU_SMMU_REG_CMDQ_PROD);
}

/*
 * Wait until the SMMU has consumed up to @until (all of the queue when
 * @until is our PROD), or until there is room for one more command when
 * @space.  Recovers command errors on the way; *@errors counts them.
 */
static int cmdq_wait(struct liommu_smmu_unit *unit, bool space,
		     unsigned int *errors)
{
	struct liommu_smmu_queue *q = &unit->cmdq;
	ktime_t end = ktime_add_us(ktime_get(), CMDQ_TIMEOUT_US);

	for (;;) {
		u32 gerror = readl(unit->regs + LIOMMU_SMMU_REG_GERROR);
		u32 gerrorn = readl(unit->regs + LIOMMU_SMMU_REG_GERRORN);

		if ((gerror ^ gerrorn) & LIOMMU_SMMU_GERROR_CMDQ_ERR) {
			cmdq_recover(unit, gerror, gerrorn);
			(*errors)++;
			if (ktime_after(ktime_get(), end))
				break;
			continue;
		}
		q->cons = readl(unit->regs + LIOMMU_SMMU_REG_CMDQ_CONS) &
			  q_mask(q);
		if (space ? !q_full(q) : q->cons == q->prod)
			return 0;
		if (ktime_after(ktime_get(), end))
			break;
		udelay(10);
	}
	pr_err("SMMU %u: command queue stuck: PROD %#x CONS %#x GERROR %#x\n",
	       unit->index, q->prod,
	       readl(unit->regs + LIOMMU_SMMU_REG_CMDQ_CONS),
	       readl(unit->regs + LIOMMU_SMMU_REG_GERROR));
	return -ETIMEDOUT;
}

/**
 * liommu_smmu_cmdq_submit() - run commands and wait for their completion
 * @unit: an SMMU whose command queue is enabled
 * @cmds: the commands, CPU order
 * @n: number of commands; 0 just issues the CMD_SYNC
 *
 * Appends a CMD_SYNC and polls until the SMMU has consumed it.
 *
 * Context: any; takes the unit's cmdq_lock (a spinlock) and polls.
 * Return: 0; -EIO if the SMMU refused a command (reported and skipped,
 * the others ran); -ETIMEDOUT if the queue did not move.
 */
int liommu_smmu_cmdq_submit(struct liommu_smmu_unit *unit,
			    const u64 (*cmds)[2], unsigned int n)
{
	struct liommu_smmu_queue *q = &unit->cmdq;
	unsigned int i, errors = 0;
	u64 sync[2];
	unsigned long flags;
	int err = 0;

	cmd_build_sync(sync);
	spin_lock_irqsave(&unit->cmdq_lock, flags);
	for (i = 0; i <= n; i++) {
		if (q_full(q)) {
			/* Publish what we have, then wait for room. */
			writel(q->prod, unit->regs + LIOMMU_SMMU_REG_CMDQ_PROD);
			err = cmdq_wait(unit, true, &errors);
			if (err)
				goto out_unlock;
		}
		cmdq_put(q, i < n ? cmds[i] : sync);
	}
	/* writel() orders the entries before PROD. */
	writel(q->prod, unit->regs + LIOMMU_SMMU_REG_CMDQ_PROD);
	err = cmdq_wait(unit, false, &errors);
	if (!err && errors)
		err = -EIO;
out_unlock:
	spin_unlock_irqrestore(&unit->cmdq_lock, flags);
	return err;
}
