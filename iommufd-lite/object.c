// SPDX-License-Identifier: GPL-2.0
/*
 * The object table of a context: every IOAS, HWPT and bound device has an
 * ID in &ufd_ctx.objects (iommufd_lite.h has the locking and what each
 * count pins).
 *
 * An object is made in three steps: ufd_obj_reserve() takes its ID (the
 * slot holds a zero entry, so no lookup finds it), the caller initialises
 * it, ufd_obj_publish() stores it.  A failure before publishing calls
 * ufd_obj_abort(): the ID goes back and the object is freed by its type's
 * free function, which copes with a half-built object.  Destroying never
 * fails once nothing uses the object.
 */
#include <linux/slab.h>

#include "iommufd_lite.h"

/**
 * ufd_obj_reserve() - take an ID for an object being built
 * @ctx: the context
 * @obj: the object
 * @type: its type
 *
 * Context: under @ctx->lock.
 * Return: 0, or -ENOMEM.
 */
int ufd_obj_reserve(struct ufd_ctx *ctx, struct ufd_obj *obj,
		    enum ufd_obj_type type)
{
	lockdep_assert_held(&ctx->lock);
	obj->type = type;
	obj->users = 0;
	return xa_alloc(&ctx->objects, &obj->id, NULL, xa_limit_31b,
			GFP_KERNEL_ACCOUNT);
}

/**
 * ufd_obj_publish() - make a reserved object visible by its ID
 * @ctx: the context
 * @obj: the object, fully initialised
 *
 * Context: under @ctx->lock.
 */
void ufd_obj_publish(struct ufd_ctx *ctx, struct ufd_obj *obj)
{
	void *old;

	lockdep_assert_held(&ctx->lock);
	old = xa_store(&ctx->objects, obj->id, obj, GFP_KERNEL);
	WARN_ON(old);
}

/* Free an object by its type; it is out of the table already. */
void ufd_obj_free(struct ufd_obj *obj)
{
	switch (obj->type) {
	case UFD_OBJ_IOAS:
		ufd_ioas_free(container_of(obj, struct ufd_ioas, obj));
		break;
	case UFD_OBJ_HWPT_PAGING:
	case UFD_OBJ_HWPT_NESTED:
		ufd_hwpt_free(container_of(obj, struct ufd_hwpt, obj));
		break;
	case UFD_OBJ_DEVICE:
		ufd_device_obj_free(container_of(obj, struct ufd_device_obj,
						 obj));
		break;
	case UFD_OBJ_FAULT:
		ufd_fault_free(container_of(obj, struct ufd_fault, obj));
		break;
	default:
		WARN_ON(1);
	}
}

/**
 * ufd_obj_abort() - undo ufd_obj_reserve() and free the object
 * @ctx: the context
 * @obj: the object, never published
 *
 * Context: under @ctx->lock.
 */
void ufd_obj_abort(struct ufd_ctx *ctx, struct ufd_obj *obj)
{
	lockdep_assert_held(&ctx->lock);
	xa_erase(&ctx->objects, obj->id);
	ufd_obj_free(obj);
}

/**
 * ufd_obj_find() - an object by ID and type
 * @ctx: the context
 * @id: the ID
 * @type: the type wanted, or UFD_OBJ_ANY
 *
 * The object stays valid while @ctx->lock is held.
 *
 * Context: under @ctx->lock.
 * Return: the object, or ERR_PTR(-ENOENT) when @id names none of @type.
 */
struct ufd_obj *ufd_obj_find(struct ufd_ctx *ctx, u32 id,
			     enum ufd_obj_type type)
{
	struct ufd_obj *obj;

	lockdep_assert_held(&ctx->lock);
	obj = xa_load(&ctx->objects, id);
	if (!obj || (type != UFD_OBJ_ANY && obj->type != type))
		return ERR_PTR(-ENOENT);
	return obj;
}

/**
 * ufd_obj_destroy() - remove an object nothing uses and free it
 * @ctx: the context
 * @obj: a published object
 *
 * Context: under @ctx->lock.
 * Return: 0, or -EBUSY while it has users.
 */
int ufd_obj_destroy(struct ufd_ctx *ctx, struct ufd_obj *obj)
{
	lockdep_assert_held(&ctx->lock);
	if (obj->users)
		return -EBUSY;
	xa_erase(&ctx->objects, obj->id);
	ufd_obj_free(obj);
	return 0;
}

/**
 * ufd_obj_destroy_all() - destroy every object of a closing context
 * @ctx: the context, with no device bound any more
 *
 * Objects are destroyed users last: each pass destroys those nothing uses
 * (nested HWPTs before their parents, HWPTs before their IOAS and fault
 * queue).  A fault queue whose fd is still open goes too: the fd keeps
 * its memory and finds it out of the table.
 *
 * Context: under @ctx->lock.
 */
void ufd_obj_destroy_all(struct ufd_ctx *ctx)
{
	struct ufd_obj *obj;
	unsigned long id;
	bool progress = true;

	lockdep_assert_held(&ctx->lock);
	while (progress) {
		progress = false;
		xa_for_each(&ctx->objects, id, obj)
			if (!ufd_obj_destroy(ctx, obj))
				progress = true;
	}
	xa_for_each(&ctx->objects, id, obj) {
		if (obj->type != UFD_OBJ_FAULT)
			continue;
		xa_erase(&ctx->objects, obj->id);
		ufd_obj_free(obj);
	}
	WARN_ON(!xa_empty(&ctx->objects));
}

/* IOMMU_DESTROY */
int ufd_destroy_ioctl(struct ufd_ucmd *ucmd)
{
	struct iommu_destroy *cmd = ucmd->cmd;
	struct ufd_obj *obj;

	obj = ufd_obj_find(ucmd->ctx, cmd->id, UFD_OBJ_ANY);
	if (IS_ERR(obj))
		return PTR_ERR(obj);
	/* A device goes away with its binding, never by ID. */
	if (obj->type == UFD_OBJ_DEVICE)
		return -EBUSY;
	return ufd_obj_destroy(ucmd->ctx, obj);
}

static void ufd_ctx_release(struct kref *kref)
{
	struct ufd_ctx *ctx = container_of(kref, struct ufd_ctx, kref);

	xa_destroy(&ctx->objects);
	mutex_destroy(&ctx->lock);
	kfree(ctx);
}

/**
 * ufd_ctx_put() - drop a reference to a context
 * @ctx: the context
 */
void ufd_ctx_put(struct ufd_ctx *ctx)
{
	kref_put(&ctx->kref, ufd_ctx_release);
}
