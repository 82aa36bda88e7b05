// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_param: the property table, read from the device with GET_CONFIGS
 * page by page, every record checked before it counts: a device that
 * lies about its properties gets no sysfs tree.
 */
#include <linux/bsearch.h>
#include <linux/ctype.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/virtio.h>

#include "virtio_param.h"

/* Bytes of a GET_CONFIGS payload: a page's worth, or one whole record. */
static unsigned int vparam_page_len(struct vparam *vp)
{
	return max_t(unsigned int, PAGE_SIZE - sizeof(struct virtio_param_resp),
		     sizeof(struct virtio_param_configs) + vp->max_config_size);
}

static bool vparam_type_known(u32 type)
{
	return !!vparam_type_name(type);
}

static bool vparam_area_type_known(u32 id)
{
	switch (id & VIRTIO_PARAM_AREA_TYPE_MASK) {
	case VIRTIO_PARAM_AREA_GLOBAL:
	case VIRTIO_PARAM_AREA_WINDOW:
	case VIRTIO_PARAM_AREA_MIRROR:
	case VIRTIO_PARAM_AREA_SEAT:
	case VIRTIO_PARAM_AREA_DOOR:
	case VIRTIO_PARAM_AREA_WHEEL:
	case VIRTIO_PARAM_AREA_VENDOR:
		return true;
	}
	return false;
}

static bool vparam_integer_type(u32 type)
{
	switch (type) {
	case VIRTIO_PARAM_TYPE_BOOLEAN:
	case VIRTIO_PARAM_TYPE_INT32:
	case VIRTIO_PARAM_TYPE_INT32_VEC:
	case VIRTIO_PARAM_TYPE_INT64:
	case VIRTIO_PARAM_TYPE_INT64_VEC:
		return true;
	}
	return false;
}

/* A name of letters, digits and '_', NUL-padded, into name; its validity. */
static bool vparam_copy_name(char *name, const u8 *raw)
{
	unsigned int i;

	for (i = 0; i < VIRTIO_PARAM_NAME_LEN && raw[i]; i++) {
		/* ASCII: the kernel's isalnum() takes Latin-1 letters too */
		if (raw[i] >= 0x80 || (!isalnum(raw[i]) && raw[i] != '_'))
			return false;
		name[i] = raw[i];
	}
	name[i] = 0;
	return true;
}

/* One area's configuration, checked. */
static bool vparam_parse_area(struct vparam_prop *prop, struct vparam_area *area,
			      const struct virtio_param_area_config *raw)
{
	u32 type = vparam_type(prop->id);
	s64 min = (s64)le64_to_cpu(raw->min), max = (s64)le64_to_cpu(raw->max);

	area->prop = prop;
	area->status = U32_MAX;
	area->id = le32_to_cpu(raw->area);
	area->access = raw->access ? raw->access : prop->access;
	if (raw->access > VIRTIO_PARAM_ACCESS_READ_WRITE || (area->access & ~prop->access))
		return false;
	if ((prop->id & VIRTIO_PARAM_AREA_TYPE_MASK) == VIRTIO_PARAM_AREA_GLOBAL ?
	    area->id != 0 : area->id == 0)
		return false;
	area->ranged = min || max;
	if (!area->ranged)
		return true;
	switch (type) {
	case VIRTIO_PARAM_TYPE_FLOAT:
	case VIRTIO_PARAM_TYPE_FLOAT_VEC:
		if ((u64)min >> 32 || (u64)max >> 32 || !vparam_float_ordered(min, max))
			return false;
		break;
	case VIRTIO_PARAM_TYPE_BOOLEAN:
	case VIRTIO_PARAM_TYPE_INT32:
	case VIRTIO_PARAM_TYPE_INT32_VEC:
		if (min < S32_MIN || max > S32_MAX)
			return false;
		fallthrough;
	case VIRTIO_PARAM_TYPE_INT64:
	case VIRTIO_PARAM_TYPE_INT64_VEC:
		if (min > max)
			return false;
		break;
	default:
		/* no range for the other types */
		area->ranged = false;
		return true;
	}
	area->min = min;
	area->max = max;
	return true;
}

/* One record, checked, into prop: its length, or -EPROTO. */
static int vparam_parse_record(struct vparam *vp, struct vparam_prop *prop, const u8 *rec,
			       unsigned int left)
{
	struct virtio_param_prop_config cfg;
	const struct virtio_param_area_config *areas;
	const __le64 *enums;
	unsigned int size, i, j;
	u32 type;

	if (left < sizeof(cfg))
		return -EPROTO;
	memcpy(&cfg, rec, sizeof(cfg));
	prop->vp = vp;
	prop->id = le32_to_cpu(cfg.prop);
	prop->access = cfg.access;
	prop->change_mode = cfg.change_mode;
	prop->min_rate_mhz = le32_to_cpu(cfg.min_sample_rate_mhz);
	prop->max_rate_mhz = le32_to_cpu(cfg.max_sample_rate_mhz);
	prop->n_areas = le16_to_cpu(cfg.num_areas);
	prop->n_enums = le16_to_cpu(cfg.num_enum_values);
	type = vparam_type(prop->id);
	size = sizeof(cfg) + prop->n_areas * sizeof(*areas) + prop->n_enums * sizeof(*enums);
	if (le16_to_cpu(cfg.size) != size || size > left || size > vp->max_config_size ||
	    !vparam_type_known(type) || !vparam_area_type_known(prop->id) ||
	    !(prop->id & VIRTIO_PARAM_GROUP_MASK) ||
	    !prop->access || prop->access > VIRTIO_PARAM_ACCESS_READ_WRITE ||
	    prop->change_mode > VIRTIO_PARAM_CHANGE_MODE_CONTINUOUS ||
	    !prop->n_areas || prop->n_areas > vp->max_areas ||
	    prop->n_enums > VPARAM_MAX_ENUMS ||
	    (prop->n_enums && !vparam_integer_type(type)) ||
	    ((prop->id & VIRTIO_PARAM_AREA_TYPE_MASK) == VIRTIO_PARAM_AREA_GLOBAL &&
	     prop->n_areas != 1) ||
	    !vparam_copy_name(prop->name, cfg.name))
		return -EPROTO;
	if (prop->change_mode == VIRTIO_PARAM_CHANGE_MODE_CONTINUOUS ?
	    !prop->min_rate_mhz || prop->min_rate_mhz > prop->max_rate_mhz :
	    prop->min_rate_mhz || prop->max_rate_mhz)
		return -EPROTO;

	prop->areas = kcalloc(prop->n_areas, sizeof(*prop->areas), GFP_KERNEL);
	prop->enums = kcalloc(prop->n_enums, sizeof(*prop->enums), GFP_KERNEL);
	if (!prop->areas || (prop->n_enums && !prop->enums))
		return -ENOMEM;
	areas = (const void *)(rec + sizeof(cfg));
	for (i = 0; i < prop->n_areas; i++) {
		struct virtio_param_area_config raw;

		memcpy(&raw, &areas[i], sizeof(raw));
		if (!vparam_parse_area(prop, &prop->areas[i], &raw))
			return -EPROTO;
		for (j = 0; j < i; j++)
			if (prop->areas[j].id == prop->areas[i].id)
				return -EPROTO;
	}
	/* the property's access is its areas' widest */
	for (i = 0, j = 0; i < prop->n_areas; i++)
		j |= prop->areas[i].access;
	if (j != prop->access)
		return -EPROTO;
	enums = (const void *)(rec + sizeof(cfg) + prop->n_areas * sizeof(*areas));
	for (i = 0; i < prop->n_enums; i++) {
		__le64 raw;
		s64 v;

		memcpy(&raw, &enums[i], sizeof(raw));
		v = (s64)le64_to_cpu(raw);
		/* a value the type can hold */
		if ((type == VIRTIO_PARAM_TYPE_BOOLEAN && (v < 0 || v > 1)) ||
		    (vparam_elem_size(type) == 4 && (v < S32_MIN || v > S32_MAX)))
			return -EPROTO;
		prop->enums[i] = v;
	}
	return size;
}

static void vparam_table_free(struct kref *ref)
{
	struct vparam_table *table = container_of(ref, struct vparam_table, ref);
	unsigned int i;

	for (i = 0; i < table->n; i++) {
		kfree(table->props[i].areas);
		kfree(table->props[i].enums);
	}
	kfree(table->props);
	kfree(table);
}

/**
 * vparam_table_put - drop a reference to the table
 * @table: the table
 */
void vparam_table_put(struct vparam_table *table)
{
	kref_put(&table->ref, vparam_table_free);
}

static int vparam_prop_cmp(const void *a, const void *b)
{
	u32 x = ((const struct vparam_prop *)a)->id, y = ((const struct vparam_prop *)b)->id;

	return x < y ? -1 : x > y;
}

/* One page of GET_CONFIGS from index on, into the table; the next index. */
static int vparam_read_page(struct vparam *vp, struct vparam_table *table, u8 *page,
			    unsigned int index)
{
	struct virtio_param_configs head;
	unsigned int off, i;
	int len, n;

	len = vparam_request(vp, VIRTIO_PARAM_REQ_GET_CONFIGS, 0, 0, index, NULL, 0, page,
			     vparam_page_len(vp));
	if (len < 0)
		return len;
	if (len < sizeof(head))
		return -EPROTO;
	memcpy(&head, page, sizeof(head));
	/* at least one record, the next index after them: no loop, no gap */
	if (!le32_to_cpu(head.count) ||
	    le32_to_cpu(head.count) > vp->num_properties - index ||
	    le32_to_cpu(head.next) != index + le32_to_cpu(head.count)) {
		dev_err(&vp->vdev->dev, "GET_CONFIGS from %u: %u records, next %u, of %u\n",
			index, le32_to_cpu(head.count), le32_to_cpu(head.next),
			vp->num_properties);
		return -EPROTO;
	}
	off = sizeof(head);
	for (i = 0; i < le32_to_cpu(head.count); i++) {
		n = vparam_parse_record(vp, &table->props[index + i], page + off, len - off);
		table->n = index + i + 1;
		if (n < 0) {
			if (n == -EPROTO)
				dev_err(&vp->vdev->dev, "property record %u breaks the specification\n",
					index + i);
			return n;
		}
		off += n;
	}
	return le32_to_cpu(head.next);
}

/**
 * vparam_table_read - read the device's property table
 * @vp: the device, its queues running
 *
 * Return: the table, sorted by ID, with one reference, or an ERR_PTR: the
 * device said why.
 */
struct vparam_table *vparam_table_read(struct vparam *vp)
{
	struct vparam_table *table;
	unsigned int index = 0, i;
	u8 *page;
	int next = 0;

	table = kzalloc(sizeof(*table), GFP_KERNEL);
	page = kmalloc(vparam_page_len(vp), GFP_KERNEL);
	if (!table || !page) {
		kfree(table);
		kfree(page);
		return ERR_PTR(-ENOMEM);
	}
	kref_init(&table->ref);
	table->props = kcalloc(vp->num_properties, sizeof(*table->props), GFP_KERNEL);
	if (!table->props)
		next = -ENOMEM;
	while (next >= 0 && index < vp->num_properties) {
		next = vparam_read_page(vp, table, page, index);
		index = next;
	}
	kfree(page);
	if (next >= 0) {
		sort(table->props, table->n, sizeof(*table->props), vparam_prop_cmp, NULL);
		for (i = 1; i < table->n; i++) {
			if (table->props[i].id == table->props[i - 1].id) {
				dev_err(&vp->vdev->dev, "property 0x%08x described twice\n",
					table->props[i].id);
				next = -EPROTO;
				break;
			}
		}
	}
	/* the areas point at their property, which sorting moved */
	for (i = 0; next >= 0 && i < table->n; i++) {
		unsigned int a;

		table->props[i].table = table;
		for (a = 0; a < table->props[i].n_areas; a++)
			table->props[i].areas[a].prop = &table->props[i];
	}
	if (next < 0) {
		vparam_table_put(table);
		return ERR_PTR(next);
	}
	return table;
}

static int vparam_prop_key_cmp(const void *key, const void *elt)
{
	u32 id = *(const u32 *)key, other = ((const struct vparam_prop *)elt)->id;

	return id < other ? -1 : id > other;
}

/**
 * vparam_find_prop - a property by ID
 * @table: the table
 * @id: its ID
 *
 * Return: the property, or NULL.
 */
struct vparam_prop *vparam_find_prop(struct vparam_table *table, u32 id)
{
	return bsearch(&id, table->props, table->n, sizeof(*table->props),
		       vparam_prop_key_cmp);
}

/**
 * vparam_find_area - an area of a property by ID
 * @prop: the property
 * @id: its area ID
 *
 * Return: the area, or NULL.
 */
struct vparam_area *vparam_find_area(struct vparam_prop *prop, u32 id)
{
	unsigned int i;

	for (i = 0; i < prop->n_areas; i++)
		if (prop->areas[i].id == id)
			return &prop->areas[i];
	return NULL;
}
