// SPDX-License-Identifier: GPL-2.0
/*
 * Mock nested domains, for the core's nested cases on every profile.
 *
 * A mock stage 1 is the identity over its parent (mock DMA through a
 * nested domain walks the parent's table), plus a small "IOTLB" of four
 * tags that the allocation data fills and user invalidation clears, so
 * that tests can see which entries an invalidation array reached.  The
 * data and entry formats are the mock's own (types 0xdead and
 * 0xdeadbeef, as upstream's iommufd self-test has them).
 */
#include <linux/err.h>
#include <linux/slab.h>
#include <liommu/compat.h>

#include "mock_priv.h"

static struct liommu_mock_nested *to_nested(struct liommu_domain *domain)
{
	return container_of(domain, struct liommu_mock_nested, dom);
}

static int mock_nested_invalidate(struct liommu_domain *domain,
				  struct liommu_user_data_array *array)
{
	struct liommu_mock_nested *n = to_nested(domain);
	struct liommu_mock_hwpt_inv inv;
	u32 i, done = 0;
	int err = 0;

	if (array->type != LIOMMU_MOCK_HWPT_INVALIDATE) {
		array->entry_num = 0;
		return -EOPNOTSUPP;
	}
	for (i = 0; i < array->entry_num; i++) {
		err = liommu_user_array_entry(array, i, &inv,
					      sizeof(inv), sizeof(inv));
		if (err)
			break;
		if (inv.flags & ~LIOMMU_MOCK_INV_ALL) {
			err = -EOPNOTSUPP;
			break;
		}
		if (!(inv.flags & LIOMMU_MOCK_INV_ALL) &&
		    inv.iotlb_id >= LIOMMU_MOCK_NESTED_IOTLB) {
			err = -EINVAL;
			break;
		}
		if (inv.flags & LIOMMU_MOCK_INV_ALL)
			memset(n->iotlb, 0, sizeof(n->iotlb));
		else
			n->iotlb[inv.iotlb_id] = 0;
		done++;
	}
	array->entry_num = done;
	return err;
}

static void mock_nested_free(struct liommu_domain *domain)
{
	kfree(to_nested(domain));
	liommu_mock_domain_count(-1);
}

static const struct liommu_domain_ops mock_nested_ops = {
	.attach_dev = liommu_mock_attach_dev,
	.cache_invalidate_user = mock_nested_invalidate,
	.free = mock_nested_free,
};

/**
 * liommu_mock_alloc_nested() - liommu_ops.domain_alloc_nested of mock0
 * @dev: the device
 * @parent: a mock NEST_PARENT paging domain (the core checked it)
 * @flags: must be 0
 * @data: LIOMMU_MOCK_HWPT_DATA and &struct liommu_mock_hwpt_data
 *
 * Return: the domain; ERR_PTR(-EOPNOTSUPP) for flags or another data
 * type, -EINVAL for a parent that is not the mock's paging domain or a
 * short structure, -E2BIG, -ENOMEM.
 */
struct liommu_domain *liommu_mock_alloc_nested(struct device *dev,
					       struct liommu_domain *parent,
					       u32 flags,
					       const struct liommu_user_data *data)
{
	struct liommu_mock_hwpt_data d;
	struct liommu_mock_nested *n;
	unsigned int i;
	int err;

	if (flags)
		return ERR_PTR(-EOPNOTSUPP);
	if (!liommu_mock_is_paging(parent))
		return ERR_PTR(-EINVAL);
	err = liommu_user_data_copy(data, LIOMMU_MOCK_HWPT_DATA, &d,
				    sizeof(d), sizeof(d));
	if (err)
		return ERR_PTR(err);
	n = kzalloc(sizeof(*n), GFP_KERNEL);
	if (!n)
		return ERR_PTR(-ENOMEM);
	for (i = 0; i < LIOMMU_MOCK_NESTED_IOTLB; i++)
		n->iotlb[i] = d.iotlb;
	n->dom.ops = &mock_nested_ops;
	liommu_mock_domain_count(1);
	return &n->dom;
}

/**
 * liommu_mock_nested_iotlb() - a tag of a mock nested domain's "IOTLB"
 * @domain: a mock nested domain
 * @id: 0 to LIOMMU_MOCK_NESTED_IOTLB - 1
 * @tag: set to the tag (0: invalidated)
 *
 * Return: 0; -EINVAL for another domain or a bad @id.
 */
int liommu_mock_nested_iotlb(struct liommu_domain *domain, unsigned int id,
			     u32 *tag)
{
	if (IS_ERR_OR_NULL(domain) || domain->ops != &mock_nested_ops ||
	    id >= LIOMMU_MOCK_NESTED_IOTLB || !tag)
		return -EINVAL;
	*tag = to_nested(domain)->iotlb[id];
	return 0;
}
LIOMMU_TEST_EXPORT(liommu_mock_nested_iotlb);
