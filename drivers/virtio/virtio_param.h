/* SPDX-License-Identifier: GPL-2.0 */
/*
 * virtio_param: the parameter server device (ID 38,
 * Documentation/virtio/virtio-param-spec.rst) as a sysfs tree of typed
 * properties. The device, its requests and its events:
 * virtio_param_core.c; the property table read from the device:
 * virtio_param_table.c; values as text: virtio_param_value.c; the sysfs
 * tree: virtio_param_sysfs.c.
 */
#ifndef _VIRTIO_PARAM_H
#define _VIRTIO_PARAM_H

#include <linux/kobject.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/ratelimit.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <linux/virtio_extra/virtio_param.h>

#include "virtio_event_queue.h"
#include "virtio_request.h"

/*
 * What this driver takes of a device's limits: a value's text must fit a
 * sysfs page (256 int32 elements of up to 12 characters do), and each
 * property is a directory of its own.
 */
#define VPARAM_MAX_VALUE	1024
#define VPARAM_MAX_PROPS	1024
#define VPARAM_MAX_AREAS	64
#define VPARAM_MAX_ENUMS	64
#define VPARAM_PROP_CONFIG_LEN	sizeof(struct virtio_param_prop_config)
#define VPARAM_MAX_CONFIG	(VPARAM_PROP_CONFIG_LEN + \
				 VPARAM_MAX_AREAS * sizeof(struct virtio_param_area_config) + \
				 VPARAM_MAX_ENUMS * sizeof(__le64))
/* A value as it travels: its head, then its data. */
#define VPARAM_VALUE_LEN	sizeof(struct virtio_param_value)

/**
 * struct vparam_area - one area of a property
 * @kobj: its directory, area_<id>.
 * @prop: its property.
 * @id: its area ID.
 * @access: its access mode (the property's unless narrowed).
 * @ranged: @min and @max hold.
 * @min: its smallest value, as the type encodes it in 64 bits.
 * @max: its largest.
 * @set_error: the status of the last SET_ERROR event, 0 for none. Under
 *	vparam.event_lock, as are the two below.
 * @set_errors: SET_ERROR events taken of this area: a SET that saw none
 *	come during it may clear @set_error.
 * @status: the status its last event said, U32_MAX before any.
 */
struct vparam_area {
	struct kobject kobj;
	struct vparam_prop *prop;
	u32 id;
	u8 access;
	bool ranged;
	s64 min;
	s64 max;
	u32 set_error;
	u64 set_errors;
	u32 status;
};

/**
 * struct vparam_prop - one property
 * @kobj: its directory, p_<id>.
 * @table: its table, which a directory's release puts.
 * @vp: its device.
 * @id: its property ID.
 * @access: its access mode.
 * @change_mode: its change mode.
 * @min_rate_mhz: CONTINUOUS: its slowest sampling, millihertz.
 * @max_rate_mhz: CONTINUOUS: its fastest.
 * @rate_mhz: CONTINUOUS: the rate subscribed, 0 for none. Written under
 *	vparam.sub_lock.
 * @name: its name, NUL-terminated.
 * @n_areas: how many areas.
 * @areas: those.
 * @n_enums: how many values it may take; 0 for any.
 * @enums: those.
 */
struct vparam_prop {
	struct kobject kobj;
	struct vparam_table *table;
	struct vparam *vp;
	u32 id;
	u8 access;
	u8 change_mode;
	u32 min_rate_mhz;
	u32 max_rate_mhz;
	u32 rate_mhz;
	char name[VIRTIO_PARAM_NAME_LEN + 1];
	unsigned int n_areas;
	struct vparam_area *areas;
	unsigned int n_enums;
	s64 *enums;
};

/**
 * struct vparam_table - the device's properties, sorted by ID
 * @ref: one for the table, one per directory in sysfs: the last put frees
 *	it (a directory may outlive the device's removal while its files are
 *	open).
 * @n: how many.
 * @props: those.
 */
struct vparam_table {
	struct kref ref;
	unsigned int n;
	struct vparam_prop *props;
};

/**
 * struct vparam_stats - what the event queue brought
 * @events: events taken.
 * @invalid: events that broke the specification, dropped.
 * @uevents_suppressed: change uevents left out by the rate limit.
 */
struct vparam_stats {
	u64 events;
	u64 invalid;
	u64 uevents_suppressed;
};

/**
 * struct vparam - one parameter server
 * @vdev: the virtio device.
 * @num_properties: the device's configuration, checked.
 * @max_config_size: ditto.
 * @max_value_size: ditto, at most VPARAM_MAX_VALUE.
 * @max_areas: ditto.
 * @lock: one request at a time (never taken by a reset: its holder may be
 *	waiting for the device).
 * @sub_lock: a subscription and its rate change together.
 * @requests: the request queue's request.
 * @events: the event queue.
 * @event_lock: @events, @stats and the areas' set_error, against the event
 *	work.
 * @stats: what the event queue brought.
 * @table: the properties.
 * @events_table: the same, once events may be taken (its sysfs tree made).
 * @dir: the properties directory under the device.
 * @uevent_rs: rate limit of the change uevents.
 * @rs: rate limit of this device's complaints.
 */
struct vparam {
	struct virtio_device *vdev;
	u32 num_properties;
	u32 max_config_size;
	u32 max_value_size;
	u16 max_areas;
	struct mutex lock; /* one request at a time */
	struct mutex sub_lock; /* subscriptions */
	struct vreq_queue requests;
	struct vevq events;
	spinlock_t event_lock; /* the event queue, stats, set errors */
	struct vparam_stats stats;
	struct vparam_table *table;
	struct vparam_table *events_table;
	struct kobject *dir;
	struct ratelimit_state uevent_rs;
	struct ratelimit_state rs;
};

#define vparam_complain(vp, fmt, ...) do {				\
	struct vparam *__vp = (vp);					\
									\
	if (__ratelimit(&__vp->rs))					\
		dev_warn(&__vp->vdev->dev, fmt, ##__VA_ARGS__);		\
} while (0)

static inline u32 vparam_type(u32 prop)
{
	return prop & VIRTIO_PARAM_TYPE_MASK;
}

/* virtio_param_core.c */
int vparam_request(struct vparam *vp, u16 type, u32 prop, u32 area, u32 arg,
		   const void *data, unsigned int data_len, void *payload,
		   unsigned int payload_len);
int vparam_status_errno(u32 status);
int vparam_get(struct vparam *vp, struct vparam_area *area, u32 *status, void *data,
	       unsigned int *len);
int vparam_set(struct vparam *vp, struct vparam_area *area, const void *data,
	       unsigned int len);
int vparam_subscribe(struct vparam *vp, struct vparam_prop *prop, u32 rate_mhz);

/* virtio_param_table.c */
struct vparam_table *vparam_table_read(struct vparam *vp);
void vparam_table_put(struct vparam_table *table);
struct vparam_prop *vparam_find_prop(struct vparam_table *table, u32 id);
struct vparam_area *vparam_find_area(struct vparam_prop *prop, u32 id);

/* virtio_param_value.c */
const char *vparam_type_name(u32 type);
unsigned int vparam_elem_size(u32 type);
bool vparam_float_ordered(u32 min, u32 max);
bool vparam_value_len_ok(u32 type, unsigned int len, const u8 *data);
ssize_t vparam_value_format(u32 type, const u8 *data, unsigned int len, char *buf,
			    size_t size);
int vparam_value_parse(u32 type, const char *text, u8 *data, unsigned int size);
int vparam_value_in_range(const struct vparam_area *area, const u8 *data,
			  unsigned int len);
ssize_t vparam_rate_format(u32 mhz, char *buf);
int vparam_rate_parse(const char *text, u32 *mhz);

/* virtio_param_sysfs.c */
extern const struct attribute_group *vparam_dev_groups[];
int vparam_sysfs_create(struct vparam *vp);
void vparam_sysfs_destroy(struct vparam *vp);
void vparam_sysfs_changed(struct vparam *vp, struct vparam_area *area, const char *attr);

#endif /* _VIRTIO_PARAM_H */
