// SPDX-License-Identifier: GPL-2.0
/*
 * The I/O address space: IOMMU_IOAS_ALLOC, ALLOW_IOVAS, IOVA_RANGES, MAP,
 * COPY, UNMAP and IOMMU_OPTION.
 *
 * An IOAS is a sorted list of areas, each a slice of pinned pages at an
 * IOVA, and the list of paging HWPTs over it.  Invariants, all under the
 * context lock:
 *  - areas never overlap, and none lies in a reserved range of any
 *    attached domain (outside its aperture, or in its reserved regions:
 *    the x86 MSI window, the unit's own);
 *  - every area is mapped in every domain of @hwpts, with the area's
 *    rights: a map or copy is all or nothing across the domains, an
 *    unmap removes whole areas only and from every domain;
 *  - with no domain attached IOVAs are byte-granular; with one, IOVAs,
 *    lengths and the page offsets of the user memory keep the largest
 *    smallest-page-size of the attached domains (out_iova_alignment).
 * IOVAs the kernel picks come from the allowed ranges (ALLOW_IOVAS; all
 * of [PAGE_SIZE, ULONG_MAX - PAGE_SIZE] without any), aligned to what the
 * user address allows (up to 2 MiB) so that large pages can be used.
 */
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "iommufd_lite.h"

/* At most this many ranges in one ALLOW_IOVAS (and reserved ranges). */
#define UFD_MAX_RANGES		256

struct ufd_ioas *ufd_ioas_find(struct ufd_ctx *ctx, u32 id)
{
	struct ufd_obj *obj = ufd_obj_find(ctx, id, UFD_OBJ_IOAS);

	return IS_ERR(obj) ? ERR_CAST(obj) : container_of(obj, struct ufd_ioas, obj);
}

/* The smallest page of @domain. */
static u64 ufd_domain_granule(struct liommu_domain *domain)
{
	return domain->pgsize_bitmap ? 1ULL << __ffs(domain->pgsize_bitmap) :
				       PAGE_SIZE;
}

/* The IOVA alignment of @ioas: 1 with no domain. */
static u64 ufd_ioas_alignment(struct ufd_ioas *ioas)
{
	struct ufd_hwpt *hwpt;
	u64 align = 1;

	list_for_each_entry(hwpt, &ioas->hwpts, ioas_node)
		align = max(align, ufd_domain_granule(hwpt->domain));
	return align;
}

/*
 * Does [@start, @last] meet a reserved range of @domain?  Then *@end is
 * the last IOVA of that range.
 */
static bool ufd_domain_reserved(struct liommu_domain *domain, u64 start,
				u64 last, u64 *end)
{
	unsigned int i;

	if (start < domain->geometry.aperture_start) {
		*end = domain->geometry.aperture_start - 1;
		return true;
	}
	if (last > domain->geometry.aperture_end) {
		*end = U64_MAX;
		return true;
	}
	for (i = 0; i < domain->nr_resv && i < LIOMMU_MAX_RESV; i++) {
		if (domain->resv[i].start <= last &&
		    domain->resv[i].last >= start) {
			*end = domain->resv[i].last;
			return true;
		}
	}
	return false;
}

static bool ufd_ioas_reserved(struct ufd_ioas *ioas, u64 start, u64 last,
			      u64 *end)
{
	struct ufd_hwpt *hwpt;

	list_for_each_entry(hwpt, &ioas->hwpts, ioas_node)
		if (ufd_domain_reserved(hwpt->domain, start, last, end))
			return true;
	return false;
}

/* The first area meeting [@start, @last], or NULL. */
static struct ufd_area *ufd_area_first(struct ufd_ioas *ioas, u64 start,
				       u64 last)
{
	struct ufd_area *area;

	list_for_each_entry(area, &ioas->areas, node) {
		if (area->iova > last)
			break;
		if (area->iova + area->length - 1 >= start)
			return area;
	}
	return NULL;
}

/* Check a fixed IOVA range as upstream does: EINVAL, EOVERFLOW, EEXIST. */
static int ufd_check_iova(struct ufd_ioas *ioas, u64 iova, u64 length)
{
	u64 align = ufd_ioas_alignment(ioas), last, end;

	if (!length || (iova & (align - 1)) || (length & (align - 1)))
		return -EINVAL;
	if (check_add_overflow(iova, length - 1, &last))
		return -EOVERFLOW;
	if (ufd_ioas_reserved(ioas, iova, last, &end))
		return -EINVAL;
	if (ufd_area_first(ioas, iova, last))
		return -EEXIST;
	return 0;
}

/*
 * Find a free IOVA for @length bytes whose page offset is @uptr's, in the
 * allowed ranges, aligned for large pages where @uptr allows.
 */
static int ufd_alloc_iova(struct ufd_ioas *ioas, unsigned long uptr,
			  u64 length, u64 *iova)
{
	u64 align, off = uptr & (PAGE_SIZE - 1);
	struct iommu_iova_range all = {
		.start = PAGE_SIZE, .last = ULONG_MAX - PAGE_SIZE,
	};
	const struct iommu_iova_range *r = ioas->nr_allowed ? ioas->allowed : &all;
	u32 n = ioas->nr_allowed ? ioas->nr_allowed : 1, i;

	if (!length || length >= ULONG_MAX / 2)
		return -EOVERFLOW;
	if (off) {
		align = PAGE_SIZE;
	} else {
		align = roundup_pow_of_two(length);
		if (uptr)
			align = min_t(u64, align, 1ULL << __ffs64(uptr));
		align = min_t(u64, max_t(u64, align, PAGE_SIZE), SZ_2M);
	}
	if (align < ufd_ioas_alignment(ioas))
		return -EINVAL;
	for (i = 0; i < n; i++) {
		u64 c = ALIGN(max_t(u64, r[i].start, off) - off, align) + off;
		u64 end;
		struct ufd_area *area;

		while (c >= r[i].start && c <= r[i].last &&
		       length - 1 <= r[i].last - c) {
			if (ufd_ioas_reserved(ioas, c, c + length - 1, &end)) {
				/* continue past it */
			} else if ((area = ufd_area_first(ioas, c, c + length - 1))) {
				end = area->iova + area->length - 1;
			} else {
				*iova = c;
				return 0;
			}
			if (end >= r[i].last)
				break;
			c = ALIGN(end + 1 - off, align) + off;
			if (c <= end)
				break;
		}
	}
	return -ENOSPC;
}

/* Map @area into @domain, coalescing physically contiguous pages. */
static int ufd_area_map(struct ufd_ioas *ioas, struct ufd_area *area,
			struct liommu_domain *domain)
{
	unsigned long first = area->start_byte >> PAGE_SHIFT;
	unsigned long npages = DIV_ROUND_UP(area->length, PAGE_SIZE);
	unsigned long i = 0, run;
	int err;

	while (i < npages) {
		phys_addr_t pa = page_to_phys(area->pages->pages[first + i]);

		run = 1;
		while (!ioas->no_huge && i + run < npages &&
		       page_to_phys(area->pages->pages[first + i + run]) ==
		       pa + run * PAGE_SIZE)
			run++;
		err = liommu_map(domain, area->iova + i * PAGE_SIZE, pa,
				 run * PAGE_SIZE, area->prot, GFP_KERNEL);
		if (err) {
			if (i)
				liommu_unmap(domain, area->iova, i * PAGE_SIZE);
			return err;
		}
		i += run;
	}
	return 0;
}

static void ufd_area_unmap(struct ufd_area *area, struct liommu_domain *domain)
{
	ssize_t n = liommu_unmap(domain, area->iova,
				 round_up(area->length, PAGE_SIZE));

	WARN_ON(n != round_up(area->length, PAGE_SIZE));
}

/* Map @area into every domain of @ioas: all or nothing. */
static int ufd_area_map_all(struct ufd_ioas *ioas, struct ufd_area *area)
{
	struct ufd_hwpt *hwpt, *done;
	int err;

	list_for_each_entry(hwpt, &ioas->hwpts, ioas_node) {
		err = ufd_area_map(ioas, area, hwpt->domain);
		if (err)
			goto err_unmap;
	}
	return 0;

err_unmap:
	list_for_each_entry(done, &ioas->hwpts, ioas_node) {
		if (done == hwpt)
			break;
		ufd_area_unmap(area, done->domain);
	}
	return err;
}

static void ufd_area_insert(struct ufd_ioas *ioas, struct ufd_area *new)
{
	struct ufd_area *area;

	list_for_each_entry(area, &ioas->areas, node)
		if (area->iova > new->iova)
			break;
	list_add_tail(&new->node, &area->node);
}

/* Remove @area from every domain and free it. */
static void ufd_area_remove(struct ufd_ioas *ioas, struct ufd_area *area)
{
	struct ufd_hwpt *hwpt;

	list_for_each_entry(hwpt, &ioas->hwpts, ioas_node)
		ufd_area_unmap(area, hwpt->domain);
	list_del(&area->node);
	ufd_pages_put(area->pages);
	kfree(area);
}

/**
 * ufd_ioas_fill_domain() - map every area of an IOAS into a new domain
 * @ioas: the IOAS
 * @domain: a paging domain not yet in @ioas->hwpts
 *
 * Context: under the context lock.
 * Return: 0; -EINVAL when an area does not keep the domain's page
 * alignment; -EADDRINUSE when an area or an allowed range lies in a
 * reserved range of the domain; the core's error (nothing left mapped).
 */
int ufd_ioas_fill_domain(struct ufd_ioas *ioas, struct liommu_domain *domain)
{
	u64 g = ufd_domain_granule(domain), end;
	struct ufd_area *area, *done;
	u32 i;
	int err;

	list_for_each_entry(area, &ioas->areas, node) {
		if ((area->iova | area->length | area->start_byte) & (g - 1))
			return -EINVAL;
		if (ufd_domain_reserved(domain, area->iova,
					area->iova + area->length - 1, &end))
			return -EADDRINUSE;
	}
	for (i = 0; i < ioas->nr_allowed; i++)
		if (ufd_domain_reserved(domain, ioas->allowed[i].start,
					ioas->allowed[i].last, &end))
			return -EADDRINUSE;
	list_for_each_entry(area, &ioas->areas, node) {
		err = ufd_area_map(ioas, area, domain);
		if (err)
			goto err_unmap;
	}
	return 0;

err_unmap:
	list_for_each_entry(done, &ioas->areas, node) {
		if (done == area)
			break;
		ufd_area_unmap(done, domain);
	}
	return err;
}

/**
 * ufd_ioas_unfill_domain() - remove every area of an IOAS from a domain
 * @ioas: the IOAS
 * @domain: a domain that ufd_ioas_fill_domain() filled
 *
 * Context: under the context lock.
 */
void ufd_ioas_unfill_domain(struct ufd_ioas *ioas, struct liommu_domain *domain)
{
	struct ufd_area *area;

	list_for_each_entry(area, &ioas->areas, node)
		ufd_area_unmap(area, domain);
}

/* Free an IOAS (no HWPT uses it any more): unmap and unpin every area. */
void ufd_ioas_free(struct ufd_ioas *ioas)
{
	struct ufd_area *area, *next;

	WARN_ON(!list_empty(&ioas->hwpts));
	list_for_each_entry_safe(area, next, &ioas->areas, node)
		ufd_area_remove(ioas, area);
	kfree(ioas->allowed);
	kfree(ioas);
}

/* IOMMU_IOAS_ALLOC */
int ufd_ioas_alloc_ioctl(struct ufd_ucmd *ucmd)
{
	struct iommu_ioas_alloc *cmd = ucmd->cmd;
	struct ufd_ioas *ioas;
	int err;

	if (cmd->flags)
		return -EOPNOTSUPP;
	ioas = kzalloc(sizeof(*ioas), GFP_KERNEL_ACCOUNT);
	if (!ioas)
		return -ENOMEM;
	INIT_LIST_HEAD(&ioas->areas);
	INIT_LIST_HEAD(&ioas->hwpts);
	err = ufd_obj_reserve(ucmd->ctx, &ioas->obj, UFD_OBJ_IOAS);
	if (err) {
		kfree(ioas);
		return err;
	}
	cmd->out_ioas_id = ioas->obj.id;
	err = ufd_ucmd_respond(ucmd, sizeof(*cmd));
	if (err) {
		ufd_obj_abort(ucmd->ctx, &ioas->obj);
		return err;
	}
	ufd_obj_publish(ucmd->ctx, &ioas->obj);
	return 0;
}

/* IOMMU_IOAS_ALLOW_IOVAS */
int ufd_ioas_allow_iovas_ioctl(struct ufd_ucmd *ucmd)
{
	struct iommu_ioas_allow_iovas *cmd = ucmd->cmd;
	struct iommu_iova_range *r = NULL;
	struct ufd_ioas *ioas;
	u32 i, j;
	u64 end;

	if (cmd->__reserved)
		return -EOPNOTSUPP;
	ioas = ufd_ioas_find(ucmd->ctx, cmd->ioas_id);
	if (IS_ERR(ioas))
		return PTR_ERR(ioas);
	if (cmd->num_iovas > UFD_MAX_RANGES)
		return -E2BIG;
	if (cmd->num_iovas) {
		r = kcalloc(cmd->num_iovas, sizeof(*r), GFP_KERNEL_ACCOUNT);
		if (!r)
			return -ENOMEM;
		if (copy_from_user(r, u64_to_user_ptr(cmd->allowed_iovas),
				   cmd->num_iovas * sizeof(*r))) {
			kfree(r);
			return -EFAULT;
		}
	}
	for (i = 0; i < cmd->num_iovas; i++) {
		if (r[i].start >= r[i].last)
			goto err_inval;
		for (j = 0; j < i; j++)
			if (r[j].start <= r[i].last && r[j].last >= r[i].start)
				goto err_inval;
		if (ufd_ioas_reserved(ioas, r[i].start, r[i].last, &end)) {
			kfree(r);
			return -EADDRINUSE;
		}
	}
	/* Sorted, so that allocation takes the lowest IOVA first. */
	for (i = 1; i < cmd->num_iovas; i++)
		for (j = i; j && r[j - 1].start > r[j].start; j--)
			swap(r[j - 1], r[j]);
	kfree(ioas->allowed);
	ioas->allowed = r;
	ioas->nr_allowed = cmd->num_iovas;
	return 0;

err_inval:
	kfree(r);
	return -EINVAL;
}

/* Add the reserved ranges of @domain to @res (merged later). */
static u32 ufd_domain_resv_list(struct liommu_domain *domain,
				struct iommu_iova_range *res, u32 n, u32 max)
{
	unsigned int i;

	if (domain->geometry.aperture_start && n < max)
		res[n++] = (struct iommu_iova_range){
			0, domain->geometry.aperture_start - 1 };
	if (domain->geometry.aperture_end != U64_MAX && n < max)
		res[n++] = (struct iommu_iova_range){
			domain->geometry.aperture_end + 1, U64_MAX };
	for (i = 0; i < domain->nr_resv && i < LIOMMU_MAX_RESV && n < max; i++)
		res[n++] = (struct iommu_iova_range){
			domain->resv[i].start, domain->resv[i].last };
	return n;
}

/* IOMMU_IOAS_IOVA_RANGES */
int ufd_ioas_iova_ranges_ioctl(struct ufd_ucmd *ucmd)
{
	struct iommu_ioas_iova_ranges *cmd = ucmd->cmd;
	struct iommu_iova_range __user *out = u64_to_user_ptr(cmd->allowed_iovas);
	struct iommu_iova_range *res, hole;
	struct ufd_hwpt *hwpt;
	struct ufd_ioas *ioas;
	u32 n = 0, i, j, room = cmd->num_iovas, count = 0;
	u64 next = 0;
	bool done = false;
	int err;

	if (cmd->__reserved)
		return -EOPNOTSUPP;
	ioas = ufd_ioas_find(ucmd->ctx, cmd->ioas_id);
	if (IS_ERR(ioas))
		return PTR_ERR(ioas);
	res = kcalloc(UFD_MAX_RANGES, sizeof(*res), GFP_KERNEL);
	if (!res)
		return -ENOMEM;
	list_for_each_entry(hwpt, &ioas->hwpts, ioas_node)
		n = ufd_domain_resv_list(hwpt->domain, res, n, UFD_MAX_RANGES);
	for (i = 1; i < n; i++)
		for (j = i; j && res[j - 1].start > res[j].start; j--)
			swap(res[j - 1], res[j]);
	/* The holes between the reserved ranges, in order. */
	for (i = 0; i <= n && !done; i++) {
		if (i < n && res[i].start <= next) {
			if (res[i].last == U64_MAX)
				done = true;
			else
				next = max(next, res[i].last + 1);
			continue;
		}
		hole.start = next;
		hole.last = i < n ? res[i].start - 1 : U64_MAX;
		if (count < room && copy_to_user(&out[count], &hole, sizeof(hole))) {
			kfree(res);
			return -EFAULT;
		}
		count++;
		if (i == n || res[i].last == U64_MAX)
			done = true;
		else
			next = res[i].last + 1;
	}
	kfree(res);
	cmd->num_iovas = count;
	cmd->out_iova_alignment = ufd_ioas_alignment(ioas);
	err = ufd_ucmd_respond(ucmd, sizeof(*cmd));
	if (err)
		return err;
	return count > room ? -EMSGSIZE : 0;
}

static int ufd_map_prot(u32 flags)
{
	return (flags & IOMMU_IOAS_MAP_READABLE ? LIOMMU_READ : 0) |
	       (flags & IOMMU_IOAS_MAP_WRITEABLE ? LIOMMU_WRITE : 0);
}

#define UFD_MAP_FLAGS	(IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_WRITEABLE | \
			 IOMMU_IOAS_MAP_READABLE)

/*
 * Place @n slices (pages + start byte + length) contiguously at *@iova
 * (picked when !@fixed): checked, mapped into every domain, inserted.
 */
struct ufd_slice {
	struct ufd_pages *pages;
	unsigned long start_byte;
	u64 length;
};

static int ufd_ioas_place(struct ufd_ioas *ioas, struct ufd_slice *s, u32 n,
			  u64 length, u64 *iova, bool fixed, int prot,
			  unsigned long uptr_hint)
{
	u64 align = ufd_ioas_alignment(ioas), at;
	struct ufd_area **areas;
	u32 i;
	int err;

	if (fixed)
		err = ufd_check_iova(ioas, *iova, length);
	else
		err = ufd_alloc_iova(ioas, uptr_hint, length, iova);
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		if ((prot & LIOMMU_WRITE) && !s[i].pages->writable)
			return -EPERM;
		if ((s[i].start_byte % PAGE_SIZE) & (align - 1))
			return -EINVAL;
	}
	areas = kcalloc(n, sizeof(*areas), GFP_KERNEL);
	if (!areas)
		return -ENOMEM;
	at = *iova;
	for (i = 0; i < n; i++) {
		areas[i] = kzalloc(sizeof(*areas[i]), GFP_KERNEL_ACCOUNT);
		if (!areas[i]) {
			err = -ENOMEM;
			goto err_free;
		}
		areas[i]->iova = at;
		areas[i]->length = s[i].length;
		areas[i]->pages = s[i].pages;
		areas[i]->start_byte = s[i].start_byte;
		areas[i]->prot = prot;
		at += s[i].length;
	}
	for (i = 0; i < n; i++) {
		err = ufd_area_map_all(ioas, areas[i]);
		if (err)
			goto err_unmap;
	}
	for (i = 0; i < n; i++) {
		kref_get(&areas[i]->pages->kref);
		ufd_area_insert(ioas, areas[i]);
	}
	kfree(areas);
	return 0;

err_unmap:
	while (i--) {
		struct ufd_hwpt *hwpt;

		list_for_each_entry(hwpt, &ioas->hwpts, ioas_node)
			ufd_area_unmap(areas[i], hwpt->domain);
	}
	i = n;
err_free:
	while (i--)
		kfree(areas[i]);
	kfree(areas);
	return err;
}

/* IOMMU_IOAS_MAP */
int ufd_ioas_map_ioctl(struct ufd_ucmd *ucmd)
{
	struct iommu_ioas_map *cmd = ucmd->cmd;
	unsigned long uptr = cmd->user_va, first, npages;
	struct ufd_slice slice;
	struct ufd_pages *pages;
	struct ufd_ioas *ioas;
	u64 iova = cmd->iova, end;
	int err;

	if ((cmd->flags & ~UFD_MAP_FLAGS) || cmd->__reserved)
		return -EOPNOTSUPP;
	if (cmd->iova >= ULONG_MAX || cmd->length >= ULONG_MAX)
		return -EOVERFLOW;
	if (!(cmd->flags & (IOMMU_IOAS_MAP_WRITEABLE | IOMMU_IOAS_MAP_READABLE)))
		return -EINVAL;
	ioas = ufd_ioas_find(ucmd->ctx, cmd->ioas_id);
	if (IS_ERR(ioas))
		return PTR_ERR(ioas);
	if (!cmd->length)
		return -EINVAL;
	if (check_add_overflow((u64)uptr, cmd->length - 1, &end) ||
	    end >= TASK_SIZE_MAX)
		return -EOVERFLOW;
	/* Check the IOVA before pinning anything. */
	if (cmd->flags & IOMMU_IOAS_MAP_FIXED_IOVA)
		err = ufd_check_iova(ioas, iova, cmd->length);
	else
		err = ufd_alloc_iova(ioas, uptr, cmd->length, &iova);
	if (err)
		return err;
	first = uptr & PAGE_MASK;
	npages = (PAGE_ALIGN(end + 1) - first) >> PAGE_SHIFT;
	pages = ufd_pages_pin(ucmd->ctx, first, npages,
			      cmd->flags & IOMMU_IOAS_MAP_WRITEABLE);
	if (IS_ERR(pages))
		return PTR_ERR(pages);
	slice.pages = pages;
	slice.start_byte = uptr - first;
	slice.length = cmd->length;
	err = ufd_ioas_place(ioas, &slice, 1, cmd->length, &iova, true,
			     ufd_map_prot(cmd->flags), uptr);
	/* The area holds its own reference. */
	ufd_pages_put(pages);
	if (err)
		return err;
	cmd->iova = iova;
	err = ufd_ucmd_respond(ucmd, sizeof(*cmd));
	if (err) {
		struct ufd_area *area = ufd_area_first(ioas, iova, iova);

		ufd_area_remove(ioas, area);
	}
	return err;
}

/* IOMMU_IOAS_COPY */
int ufd_ioas_copy_ioctl(struct ufd_ucmd *ucmd)
{
	struct iommu_ioas_copy *cmd = ucmd->cmd;
	struct ufd_ioas *src, *dst;
	struct ufd_slice *s;
	struct ufd_area *area;
	u64 last, cur, iova = cmd->dst_iova;
	u32 n = 0, i;
	int err;

	if (cmd->flags & ~UFD_MAP_FLAGS)
		return -EOPNOTSUPP;
	if (cmd->length >= ULONG_MAX || cmd->src_iova >= ULONG_MAX ||
	    cmd->dst_iova >= ULONG_MAX)
		return -EOVERFLOW;
	if (!(cmd->flags & (IOMMU_IOAS_MAP_WRITEABLE | IOMMU_IOAS_MAP_READABLE)))
		return -EINVAL;
	src = ufd_ioas_find(ucmd->ctx, cmd->src_ioas_id);
	if (IS_ERR(src))
		return PTR_ERR(src);
	if (!cmd->length)
		return -EINVAL;
	if (check_add_overflow(cmd->src_iova, cmd->length - 1, &last))
		return -EOVERFLOW;
	/* The source range must be mapped without a gap. */
	cur = cmd->src_iova;
	list_for_each_entry(area, &src->areas, node) {
		if (area->iova + area->length - 1 < cur)
			continue;
		if (area->iova > cur)
			break;
		n++;
		if (area->iova + area->length - 1 >= last) {
			cur = last + 1;
			break;
		}
		cur = area->iova + area->length;
	}
	if (cur != last + 1 || !n)
		return -ENOENT;
	dst = ufd_ioas_find(ucmd->ctx, cmd->dst_ioas_id);
	if (IS_ERR(dst))
		return PTR_ERR(dst);
	s = kcalloc(n, sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	cur = cmd->src_iova;
	i = 0;
	list_for_each_entry(area, &src->areas, node) {
		u64 a_last = area->iova + area->length - 1;

		if (a_last < cur || i == n)
			continue;
		s[i].pages = area->pages;
		s[i].start_byte = area->start_byte + (cur - area->iova);
		s[i].length = min(a_last, last) - cur + 1;
		cur += s[i].length;
		i++;
	}
	err = ufd_ioas_place(dst, s, n, cmd->length, &iova,
			     cmd->flags & IOMMU_IOAS_MAP_FIXED_IOVA,
			     ufd_map_prot(cmd->flags),
			     s[0].start_byte % PAGE_SIZE);
	kfree(s);
	if (err)
		return err;
	cmd->dst_iova = iova;
	err = ufd_ucmd_respond(ucmd, sizeof(*cmd));
	if (err) {
		while ((area = ufd_area_first(dst, iova, iova + cmd->length - 1)))
			ufd_area_remove(dst, area);
	}
	return err;
}

/* IOMMU_IOAS_UNMAP: whole areas only, all of them or none. */
int ufd_ioas_unmap_ioctl(struct ufd_ucmd *ucmd)
{
	struct iommu_ioas_unmap *cmd = ucmd->cmd;
	struct ufd_area *area, *next;
	struct ufd_ioas *ioas;
	u64 start, last, unmapped = 0;

	ioas = ufd_ioas_find(ucmd->ctx, cmd->ioas_id);
	if (IS_ERR(ioas))
		return PTR_ERR(ioas);
	if (cmd->iova == 0 && cmd->length == U64_MAX) {
		start = 0;
		last = U64_MAX;
	} else {
		if (cmd->iova >= ULONG_MAX || cmd->length >= ULONG_MAX)
			return -EOVERFLOW;
		if (!cmd->length)
			return -EINVAL;
		start = cmd->iova;
		if (check_add_overflow(start, cmd->length - 1, &last))
			return -EOVERFLOW;
		list_for_each_entry(area, &ioas->areas, node) {
			u64 a_last = area->iova + area->length - 1;

			if (a_last < start || area->iova > last)
				continue;
			if (area->iova < start || a_last > last)
				return -ENOENT;
			unmapped += area->length;
		}
		if (!unmapped)
			return -ENOENT;
		unmapped = 0;
	}
	list_for_each_entry_safe(area, next, &ioas->areas, node) {
		if (area->iova + area->length - 1 < start || area->iova > last)
			continue;
		unmapped += area->length;
		ufd_area_remove(ioas, area);
	}
	cmd->length = unmapped;
	return ufd_ucmd_respond(ucmd, sizeof(*cmd));
}

/* IOMMU_OPTION */
int ufd_option_ioctl(struct ufd_ucmd *ucmd)
{
	struct iommu_option *cmd = ucmd->cmd;
	struct ufd_ctx *ctx = ucmd->ctx;
	struct ufd_ioas *ioas;
	int err = 0;

	if (cmd->__reserved)
		return -EOPNOTSUPP;
	switch (cmd->option_id) {
	case IOMMU_OPTION_RLIMIT_MODE:
		if (cmd->object_id)
			return -EOPNOTSUPP;
		if (cmd->op == IOMMU_OPTION_OP_GET) {
			cmd->val64 = ctx->account == UFD_ACCOUNT_MM;
			break;
		}
		if (cmd->op != IOMMU_OPTION_OP_SET)
			return -EOPNOTSUPP;
		if (!capable(CAP_SYS_RESOURCE))
			return -EPERM;
		if (!xa_empty(&ctx->objects))
			return -EBUSY;
		if (cmd->val64 > 1)
			return -EINVAL;
		ctx->account = cmd->val64 ? UFD_ACCOUNT_MM : UFD_ACCOUNT_USER;
		return 0;
	case IOMMU_OPTION_HUGE_PAGES:
		ioas = ufd_ioas_find(ctx, cmd->object_id);
		if (IS_ERR(ioas))
			return PTR_ERR(ioas);
		if (cmd->op == IOMMU_OPTION_OP_GET) {
			cmd->val64 = !ioas->no_huge;
			break;
		}
		if (cmd->op != IOMMU_OPTION_OP_SET)
			return -EOPNOTSUPP;
		if (cmd->val64 > 1)
			return -EINVAL;
		/* The existing mappings keep their page sizes. */
		if (!list_empty(&ioas->areas) && ioas->no_huge != !cmd->val64)
			return -EBUSY;
		ioas->no_huge = !cmd->val64;
		return 0;
	default:
		return -EOPNOTSUPP;
	}
	err = ufd_ucmd_respond(ucmd, sizeof(*cmd));
	return err;
}
