// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_param: the sysfs tree. Under the virtio device:
 *
 *	properties/p_<id>/{name,type,access,change_mode,possible_values,
 *			   sample_rate,min_sample_rate,max_sample_rate}
 *	properties/p_<id>/area_<id>/{current_value,status,set_error,
 *				     min_value,max_value}
 *	param/{events,events_invalid,uevents_suppressed}
 *
 * The properties are kobjects, not devices: no uevent announces them, and
 * the driver's param/ group, made once the probe is over, says they are
 * there.
 * File names follow the firmware-attributes class (type, current_value,
 * min_value, max_value, possible_values); a file shows only where its
 * property has it. Reading current_value or status is a GET, writing
 * current_value a SET. An event wakes poll() on the area's current_value
 * (or set_error) through sysfs_notify(), and sends a KOBJ_CHANGE uevent of
 * the virtio device naming the property and area, ten a second at most.
 */
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/virtio.h>

#include "virtio_param.h"

static const char *const vparam_access_names[] = {
	[VIRTIO_PARAM_ACCESS_READ] = "read",
	[VIRTIO_PARAM_ACCESS_WRITE] = "write",
	[VIRTIO_PARAM_ACCESS_READ_WRITE] = "read_write",
};

static const char *const vparam_change_mode_names[] = {
	[VIRTIO_PARAM_CHANGE_MODE_STATIC] = "static",
	[VIRTIO_PARAM_CHANGE_MODE_ON_CHANGE] = "on_change",
	[VIRTIO_PARAM_CHANGE_MODE_CONTINUOUS] = "continuous",
};

static const char *const vparam_value_status_names[] = {
	[VIRTIO_PARAM_VALUE_STATUS_AVAILABLE] = "available",
	[VIRTIO_PARAM_VALUE_STATUS_UNAVAILABLE] = "unavailable",
	[VIRTIO_PARAM_VALUE_STATUS_ERROR] = "error",
};

static const char *const vparam_status_names[] = {
	[VIRTIO_PARAM_S_OK] = "none",
	[VIRTIO_PARAM_S_TRY_AGAIN] = "try_again",
	[VIRTIO_PARAM_S_INVALID_ARG] = "invalid_arg",
	[VIRTIO_PARAM_S_NOT_AVAILABLE] = "not_available",
	[VIRTIO_PARAM_S_ACCESS_DENIED] = "access_denied",
	[VIRTIO_PARAM_S_INTERNAL_ERROR] = "internal_error",
	[VIRTIO_PARAM_S_NOT_AVAILABLE_DISABLED] = "not_available_disabled",
	[VIRTIO_PARAM_S_NOT_AVAILABLE_SPEED_LOW] = "not_available_speed_low",
	[VIRTIO_PARAM_S_NOT_AVAILABLE_SPEED_HIGH] = "not_available_speed_high",
	[VIRTIO_PARAM_S_NOT_AVAILABLE_POOR_VISIBILITY] = "not_available_poor_visibility",
	[VIRTIO_PARAM_S_NOT_AVAILABLE_SAFETY] = "not_available_safety",
};

static struct vparam_prop *kobj_to_prop(struct kobject *kobj)
{
	return container_of(kobj, struct vparam_prop, kobj);
}

static struct vparam_area *kobj_to_area(struct kobject *kobj)
{
	return container_of(kobj, struct vparam_area, kobj);
}

/* --- the property's files --- */

static ssize_t name_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", kobj_to_prop(kobj)->name);
}

static ssize_t type_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", vparam_type_name(vparam_type(kobj_to_prop(kobj)->id)));
}

static ssize_t access_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", vparam_access_names[kobj_to_prop(kobj)->access]);
}

static ssize_t change_mode_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  vparam_change_mode_names[kobj_to_prop(kobj)->change_mode]);
}

static ssize_t possible_values_show(struct kobject *kobj, struct kobj_attribute *attr,
				    char *buf)
{
	struct vparam_prop *prop = kobj_to_prop(kobj);
	unsigned int i;
	int len = 0;

	for (i = 0; i < prop->n_enums; i++)
		len += sysfs_emit_at(buf, len, "%s%lld", i ? " " : "", prop->enums[i]);
	return len + sysfs_emit_at(buf, len, "\n");
}

static ssize_t sample_rate_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return vparam_rate_format(READ_ONCE(kobj_to_prop(kobj)->rate_mhz), buf);
}

/* A rate in hertz: clamped to the property's and subscribed; 0 unsubscribes. */
static ssize_t sample_rate_store(struct kobject *kobj, struct kobj_attribute *attr,
				 const char *buf, size_t count)
{
	struct vparam_prop *prop = kobj_to_prop(kobj);
	u32 rate;
	int err;

	err = vparam_rate_parse(buf, &rate);
	if (err)
		return err;
	if (rate)
		rate = clamp(rate, prop->min_rate_mhz, prop->max_rate_mhz);
	/* the device's subscription and the rate shown change together */
	mutex_lock(&prop->vp->sub_lock);
	err = vparam_subscribe(prop->vp, prop, rate);
	if (!err)
		WRITE_ONCE(prop->rate_mhz, rate);
	mutex_unlock(&prop->vp->sub_lock);
	return err ? err : count;
}

static ssize_t min_sample_rate_show(struct kobject *kobj, struct kobj_attribute *attr,
				    char *buf)
{
	return vparam_rate_format(kobj_to_prop(kobj)->min_rate_mhz, buf);
}

static ssize_t max_sample_rate_show(struct kobject *kobj, struct kobj_attribute *attr,
				    char *buf)
{
	return vparam_rate_format(kobj_to_prop(kobj)->max_rate_mhz, buf);
}

static struct kobj_attribute vparam_name_attr = __ATTR_RO(name);
static struct kobj_attribute vparam_type_attr = __ATTR_RO(type);
static struct kobj_attribute vparam_access_attr = __ATTR_RO(access);
static struct kobj_attribute vparam_change_mode_attr = __ATTR_RO(change_mode);
static struct kobj_attribute vparam_possible_values_attr = __ATTR_RO(possible_values);
static struct kobj_attribute vparam_sample_rate_attr = __ATTR_RW(sample_rate);
static struct kobj_attribute vparam_min_sample_rate_attr = __ATTR_RO(min_sample_rate);
static struct kobj_attribute vparam_max_sample_rate_attr = __ATTR_RO(max_sample_rate);

static struct attribute *vparam_prop_attrs[] = {
	&vparam_name_attr.attr,
	&vparam_type_attr.attr,
	&vparam_access_attr.attr,
	&vparam_change_mode_attr.attr,
	&vparam_possible_values_attr.attr,
	&vparam_sample_rate_attr.attr,
	&vparam_min_sample_rate_attr.attr,
	&vparam_max_sample_rate_attr.attr,
	NULL
};

static umode_t vparam_prop_visible(struct kobject *kobj, struct attribute *attr, int n)
{
	struct vparam_prop *prop = kobj_to_prop(kobj);

	if (attr == &vparam_possible_values_attr.attr)
		return prop->n_enums ? attr->mode : 0;
	if (attr == &vparam_sample_rate_attr.attr || attr == &vparam_min_sample_rate_attr.attr ||
	    attr == &vparam_max_sample_rate_attr.attr)
		return prop->change_mode == VIRTIO_PARAM_CHANGE_MODE_CONTINUOUS ? attr->mode : 0;
	return attr->mode;
}

static const struct attribute_group vparam_prop_group = {
	.attrs = vparam_prop_attrs,
	.is_visible = vparam_prop_visible,
};
__ATTRIBUTE_GROUPS(vparam_prop);

/* --- an area's files --- */

/* GET of an area, its data into a buffer the caller frees. */
static int vparam_area_get(struct vparam_area *area, u32 *status, u8 **data,
			   unsigned int *len)
{
	int err;

	*data = kmalloc(VPARAM_MAX_VALUE, GFP_KERNEL);
	if (!*data)
		return -ENOMEM;
	err = vparam_get(area->prop->vp, area, status, *data, len);
	if (err) {
		kfree(*data);
		*data = NULL;
	}
	return err;
}

/* The data of an available value; -ENODATA when there is none now. */
static int vparam_area_value(struct vparam_area *area, u8 **data, unsigned int *len)
{
	u32 status;
	int err;

	err = vparam_area_get(area, &status, data, len);
	if (!err && status != VIRTIO_PARAM_VALUE_STATUS_AVAILABLE) {
		kfree(*data);
		*data = NULL;
		err = -ENODATA;
	}
	return err;
}

/*
 * Check and SET data of len bytes. The last set error is forgotten, unless
 * another came meanwhile: it may be this SET's.
 */
static int vparam_area_set(struct vparam_area *area, const u8 *data, unsigned int len)
{
	struct vparam *vp = area->prop->vp;
	u64 set_errors;
	int err;

	err = vparam_value_in_range(area, data, len);
	if (err)
		return err;
	spin_lock_irq(&vp->event_lock);
	set_errors = area->set_errors;
	spin_unlock_irq(&vp->event_lock);
	err = vparam_set(vp, area, data, len);
	if (err)
		return err;
	spin_lock_irq(&vp->event_lock);
	if (area->set_errors == set_errors)
		area->set_error = 0;
	spin_unlock_irq(&vp->event_lock);
	return 0;
}

static ssize_t current_value_show(struct kobject *kobj, struct kobj_attribute *attr,
				  char *buf)
{
	struct vparam_area *area = kobj_to_area(kobj);
	unsigned int len;
	ssize_t ret;
	u8 *data;

	if (!(area->access & VIRTIO_PARAM_ACCESS_READ))
		return -EACCES;
	ret = vparam_area_value(area, &data, &len);
	if (ret)
		return ret;
	ret = vparam_value_format(vparam_type(area->prop->id), data, len, buf, PAGE_SIZE);
	kfree(data);
	return ret;
}

static ssize_t current_value_store(struct kobject *kobj, struct kobj_attribute *attr,
				   const char *buf, size_t count)
{
	struct vparam_area *area = kobj_to_area(kobj);
	struct vparam *vp = area->prop->vp;
	u8 *data;
	int len;

	if (!(area->access & VIRTIO_PARAM_ACCESS_WRITE))
		return -EACCES;
	data = kmalloc(VPARAM_MAX_VALUE, GFP_KERNEL);
	if (!data)
		return -ENOMEM;
	len = vparam_value_parse(vparam_type(area->prop->id), buf, data, vp->max_value_size);
	if (len >= 0)
		len = vparam_area_set(area, data, len);
	kfree(data);
	return len < 0 ? len : count;
}

static ssize_t status_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	unsigned int len;
	u32 status;
	u8 *data;
	int err;

	err = vparam_area_get(kobj_to_area(kobj), &status, &data, &len);
	if (err)
		return err;
	kfree(data);
	return sysfs_emit(buf, "%s\n", vparam_value_status_names[status]);
}

static ssize_t set_error_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	struct vparam_area *area = kobj_to_area(kobj);
	struct vparam *vp = area->prop->vp;
	u32 error;

	spin_lock_irq(&vp->event_lock);
	error = area->set_error;
	spin_unlock_irq(&vp->event_lock);
	error &= VIRTIO_PARAM_STATUS_SYSTEM_MASK;
	if (error < ARRAY_SIZE(vparam_status_names))
		return sysfs_emit(buf, "%s\n", vparam_status_names[error]);
	return sysfs_emit(buf, "%u\n", error);
}

/* A bound of the area's range, as its type shows a value. */
static ssize_t vparam_bound_show(struct vparam_area *area, s64 bound, char *buf)
{
	u32 type = vparam_type(area->prop->id);
	u8 data[8];
	__le64 v64 = cpu_to_le64(bound);
	__le32 v32 = cpu_to_le32((u32)bound);

	if (type == VIRTIO_PARAM_TYPE_INT64 || type == VIRTIO_PARAM_TYPE_INT64_VEC) {
		memcpy(data, &v64, sizeof(v64));
		return vparam_value_format(VIRTIO_PARAM_TYPE_INT64, data, 8, buf, PAGE_SIZE);
	}
	memcpy(data, &v32, sizeof(v32));
	if (type == VIRTIO_PARAM_TYPE_FLOAT || type == VIRTIO_PARAM_TYPE_FLOAT_VEC)
		return vparam_value_format(VIRTIO_PARAM_TYPE_FLOAT, data, 4, buf, PAGE_SIZE);
	return vparam_value_format(VIRTIO_PARAM_TYPE_INT32, data, 4, buf, PAGE_SIZE);
}

static ssize_t min_value_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	struct vparam_area *area = kobj_to_area(kobj);

	return vparam_bound_show(area, area->min, buf);
}

static ssize_t max_value_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	struct vparam_area *area = kobj_to_area(kobj);

	return vparam_bound_show(area, area->max, buf);
}

static struct kobj_attribute vparam_current_value_attr = __ATTR_RW(current_value);
static struct kobj_attribute vparam_status_attr = __ATTR_RO(status);
static struct kobj_attribute vparam_set_error_attr = __ATTR_RO(set_error);
static struct kobj_attribute vparam_min_value_attr = __ATTR_RO(min_value);
static struct kobj_attribute vparam_max_value_attr = __ATTR_RO(max_value);

/* BYTES: current_value as it is, read whole or in parts, written whole. */
static ssize_t current_value_bin_read(struct file *file, struct kobject *kobj,
				      vx_bin_attribute *attr, char *buf, loff_t pos,
				      size_t count)
{
	struct vparam_area *area = kobj_to_area(kobj);
	unsigned int len;
	u8 *data;
	int err;

	if (!(area->access & VIRTIO_PARAM_ACCESS_READ))
		return -EACCES;
	err = vparam_area_value(area, &data, &len);
	if (err)
		return err;
	if (pos >= len) {
		count = 0;
	} else {
		count = min_t(size_t, count, len - pos);
		memcpy(buf, data + pos, count);
	}
	kfree(data);
	return count;
}

static ssize_t current_value_bin_write(struct file *file, struct kobject *kobj,
				       vx_bin_attribute *attr, char *buf, loff_t pos,
				       size_t count)
{
	struct vparam_area *area = kobj_to_area(kobj);
	int err;

	if (!(area->access & VIRTIO_PARAM_ACCESS_WRITE))
		return -EACCES;
	/* one write is one value */
	if (pos)
		return -EINVAL;
	if (count > area->prop->vp->max_value_size)
		return -E2BIG;
	err = vparam_area_set(area, buf, count);
	return err ? err : count;
}

static struct bin_attribute vparam_current_value_bin_attr = {
	.attr = { .name = "current_value", .mode = 0644 },
	.read = current_value_bin_read,
	.write = current_value_bin_write,
};

static struct attribute *vparam_area_attrs[] = {
	&vparam_current_value_attr.attr,
	&vparam_status_attr.attr,
	&vparam_set_error_attr.attr,
	&vparam_min_value_attr.attr,
	&vparam_max_value_attr.attr,
	NULL
};

static vx_bin_attribute *vparam_area_bin_attrs[] = {
	&vparam_current_value_bin_attr,
	NULL
};

/* current_value's mode, from the area's access. */
static umode_t vparam_value_mode(struct vparam_area *area)
{
	return (area->access & VIRTIO_PARAM_ACCESS_READ ? 0444 : 0) |
	       (area->access & VIRTIO_PARAM_ACCESS_WRITE ? 0200 : 0);
}

static umode_t vparam_area_visible(struct kobject *kobj, struct attribute *attr, int n)
{
	struct vparam_area *area = kobj_to_area(kobj);
	bool bytes = vparam_type(area->prop->id) == VIRTIO_PARAM_TYPE_BYTES;

	if (attr == &vparam_current_value_attr.attr)
		return bytes ? 0 : vparam_value_mode(area);
	if (attr == &vparam_status_attr.attr)
		return area->access & VIRTIO_PARAM_ACCESS_READ ? attr->mode : 0;
	if (attr == &vparam_set_error_attr.attr)
		return area->access & VIRTIO_PARAM_ACCESS_WRITE ? attr->mode : 0;
	/* min_value, max_value */
	return area->ranged ? attr->mode : 0;
}

static umode_t vparam_area_bin_visible(struct kobject *kobj, vx_bin_attribute *attr,
				       int n)
{
	struct vparam_area *area = kobj_to_area(kobj);

	return vparam_type(area->prop->id) == VIRTIO_PARAM_TYPE_BYTES ?
	       vparam_value_mode(area) : 0;
}

static const struct attribute_group vparam_area_group = {
	.attrs = vparam_area_attrs,
	.bin_attrs = vparam_area_bin_attrs,
	.is_visible = vparam_area_visible,
	.is_bin_visible = vparam_area_bin_visible,
};
__ATTRIBUTE_GROUPS(vparam_area);

static void vparam_prop_release(struct kobject *kobj)
{
	vparam_table_put(kobj_to_prop(kobj)->table);
}

static void vparam_area_release(struct kobject *kobj)
{
	vparam_table_put(kobj_to_area(kobj)->prop->table);
}

static const struct kobj_type vparam_prop_ktype = {
	.release = vparam_prop_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = vparam_prop_groups,
};

static const struct kobj_type vparam_area_ktype = {
	.release = vparam_area_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = vparam_area_groups,
};

/* --- the device's counters --- */

static struct vparam *dev_to_vparam(struct device *dev)
{
	return dev_to_virtio(dev)->priv;
}

#define VPARAM_STAT_ATTR(_name, _field)					\
static ssize_t _name##_show(struct device *dev, struct device_attribute *attr, \
			    char *buf)					\
{									\
	struct vparam *vp = dev_to_vparam(dev);				\
	u64 v;								\
									\
	spin_lock_irq(&vp->event_lock);					\
	v = vp->stats._field;						\
	spin_unlock_irq(&vp->event_lock);				\
	return sysfs_emit(buf, "%llu\n", v);				\
}									\
static DEVICE_ATTR_RO(_name)

VPARAM_STAT_ATTR(events, events);
VPARAM_STAT_ATTR(events_invalid, invalid);
VPARAM_STAT_ATTR(uevents_suppressed, uevents_suppressed);

static struct attribute *vparam_stats_attrs[] = {
	&dev_attr_events.attr,
	&dev_attr_events_invalid.attr,
	&dev_attr_uevents_suppressed.attr,
	NULL
};

static const struct attribute_group vparam_stats_group = {
	.name = "param",
	.attrs = vparam_stats_attrs,
};

/* The driver's groups: made after the probe, which the properties precede. */
const struct attribute_group *vparam_dev_groups[] = {
	&vparam_stats_group,
	NULL
};

/**
 * vparam_sysfs_destroy - remove the tree, or what of it was made; reads and
 *	writes under way end first
 * @vp: the device, reset: requests under way have failed
 */
void vparam_sysfs_destroy(struct vparam *vp)
{
	struct vparam_table *table = vp->table;
	unsigned int i, a;

	for (i = 0; i < table->n && table->props[i].kobj.state_in_sysfs; i++) {
		struct vparam_prop *prop = &table->props[i];

		for (a = 0; a < prop->n_areas && prop->areas[a].kobj.state_in_sysfs; a++) {
			/* pollers wake, and their reads fail: the device is gone */
			sysfs_notify(&prop->areas[a].kobj, NULL, "current_value");
			kobject_del(&prop->areas[a].kobj);
			kobject_put(&prop->areas[a].kobj);
		}
		kobject_del(&prop->kobj);
		kobject_put(&prop->kobj);
	}
	kobject_del(vp->dir);
	kobject_put(vp->dir);
	vp->dir = NULL;
}

/**
 * vparam_sysfs_create - make the sysfs tree of the device's properties
 * @vp: the device, its table read
 *
 * Each directory holds a reference to the table, which its release drops.
 *
 * Return: 0, or a negative errno; nothing is left made.
 */
int vparam_sysfs_create(struct vparam *vp)
{
	struct vparam_table *table = vp->table;
	unsigned int i, a;
	int err;

	vp->dir = kobject_create_and_add("properties", &vp->vdev->dev.kobj);
	if (!vp->dir)
		return -ENOMEM;
	for (i = 0; i < table->n; i++) {
		struct vparam_prop *prop = &table->props[i];

		kref_get(&table->ref);
		err = kobject_init_and_add(&prop->kobj, &vparam_prop_ktype, vp->dir, "p_%08x",
					   prop->id);
		if (err) {
			kobject_put(&prop->kobj);
			goto undo;
		}
		for (a = 0; a < prop->n_areas; a++) {
			kref_get(&table->ref);
			err = kobject_init_and_add(&prop->areas[a].kobj, &vparam_area_ktype,
						   &prop->kobj, "area_%08x", prop->areas[a].id);
			if (err) {
				kobject_put(&prop->areas[a].kobj);
				goto undo;
			}
		}
	}
	return 0;

undo:
	vparam_sysfs_destroy(vp);
	return err;
}

/**
 * vparam_sysfs_changed - tell who watches an area that it changed
 * @vp: the device
 * @area: the area
 * @attr: the file that changed: current_value or set_error
 */
void vparam_sysfs_changed(struct vparam *vp, struct vparam_area *area, const char *attr)
{
	char prop_env[24], area_env[20], attr_env[24], *envp[4];

	sysfs_notify(&area->kobj, NULL, attr);
	if (!__ratelimit(&vp->uevent_rs)) {
		spin_lock_irq(&vp->event_lock);
		vp->stats.uevents_suppressed++;
		spin_unlock_irq(&vp->event_lock);
		return;
	}
	envp[0] = prop_env;
	envp[1] = area_env;
	envp[2] = attr_env;
	envp[3] = NULL;
	snprintf(prop_env, sizeof(prop_env), "PROPERTY=0x%08x", area->prop->id);
	snprintf(area_env, sizeof(area_env), "AREA=0x%08x", area->id);
	snprintf(attr_env, sizeof(attr_env), "ATTR=%s", attr);
	kobject_uevent_env(&vp->vdev->dev.kobj, KOBJ_CHANGE, envp);
}
