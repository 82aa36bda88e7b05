/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * Do not edit directly, auto-generated from:
 *	Documentation/virtio/specs/param.yaml
 * by tools/virtio-spec/vspec-gen.py (uapi).
 */
/* VSPEC-GEN uapi header */

/*
 * Parameter server device. The device holds typed properties, each with one
 * value per area, on the property model of Android Automotive's Vehicle HAL:
 * 32-bit property IDs whose bits say the group, the area type and the value
 * type, access and change modes, value status, and the Vehicle HAL's status
 * codes as results. The driver discovers the properties' configurations page by
 * page, gets and sets values, and subscribes to value events.
 *
 * Specification: Documentation/virtio/virtio-param-spec.rst (proposal)
 */
#ifndef _UAPI_LINUX_VIRTIO_EXTRA_VIRTIO_PARAM_H
#define _UAPI_LINUX_VIRTIO_EXTRA_VIRTIO_PARAM_H

#include <linux/types.h>
#include <linux/virtio_ids.h>

#ifndef VIRTIO_ID_PARAM_SERV
#define VIRTIO_ID_PARAM_SERV 38
#endif

/* Feature bits */
/*
 * SUBSCRIBE accepts VIRTIO_PARAM_SUBSCRIBE_CHANGES_ONLY for CONTINUOUS
 * properties: samples equal to the last one sent are not sent.
 */
#define VIRTIO_PARAM_F_CHANGES_ONLY 0

/* Virtqueue indexes */
/* requestq, requests from the driver, each answered */
#define VIRTIO_PARAM_VQ_REQUEST 0
/* eventq, property events and set errors from the device */
#define VIRTIO_PARAM_VQ_EVENT 1
/* Number of virtqueues the device can have */
#define VIRTIO_PARAM_VQ_MAX_CNT 2

/* Bits of a property ID that say its group (VIRTIO_PARAM_GROUP_*). */
#define VIRTIO_PARAM_GROUP_MASK 0xf0000000

/* Bits of a property ID that say its area type (VIRTIO_PARAM_AREA_*). */
#define VIRTIO_PARAM_AREA_TYPE_MASK 0x0f000000

/* Bits of a property ID that say its value type (VIRTIO_PARAM_TYPE_*). */
#define VIRTIO_PARAM_TYPE_MASK 0x00ff0000

/* Bits of a property ID that number it within its group. */
#define VIRTIO_PARAM_NUMBER_MASK 0xffff

/* Bytes of a property's name, NUL-padded. */
#define VIRTIO_PARAM_NAME_LEN 32

/*
 * Property groups, in the bits VIRTIO_PARAM_GROUP_MASK of its ID.
 */
/* Defined by the Vehicle HAL. */
#define VIRTIO_PARAM_GROUP_SYSTEM 0x10000000
/* Defined by the vendor. */
#define VIRTIO_PARAM_GROUP_VENDOR 0x20000000
/* A Vehicle HAL property of a later release, backported. */
#define VIRTIO_PARAM_GROUP_BACKPORTED 0x30000000

/*
 * Area types, in the bits VIRTIO_PARAM_AREA_TYPE_MASK of a property ID.
 */
/* One value for the whole vehicle; its one area ID is 0. */
#define VIRTIO_PARAM_AREA_GLOBAL 0x01000000
/* Per window. */
#define VIRTIO_PARAM_AREA_WINDOW 0x03000000
/* Per mirror. */
#define VIRTIO_PARAM_AREA_MIRROR 0x04000000
/* Per seat. */
#define VIRTIO_PARAM_AREA_SEAT 0x05000000
/* Per door. */
#define VIRTIO_PARAM_AREA_DOOR 0x06000000
/* Per wheel. */
#define VIRTIO_PARAM_AREA_WHEEL 0x07000000
/* Vendor-defined areas. */
#define VIRTIO_PARAM_AREA_VENDOR 0x08000000

/*
 * Value types, in the bits VIRTIO_PARAM_TYPE_MASK of a property ID; each says
 * how a value's data is encoded.
 */
/* UTF-8 text, NUL-terminated; the NUL is counted in its length. */
#define VIRTIO_PARAM_TYPE_STRING 0x00100000
/* A le32, 0 or 1. */
#define VIRTIO_PARAM_TYPE_BOOLEAN 0x00200000
/* A le32, signed. */
#define VIRTIO_PARAM_TYPE_INT32 0x00400000
/* le32 elements, signed. */
#define VIRTIO_PARAM_TYPE_INT32_VEC 0x00410000
/* A le64, signed. */
#define VIRTIO_PARAM_TYPE_INT64 0x00500000
/* le64 elements, signed. */
#define VIRTIO_PARAM_TYPE_INT64_VEC 0x00510000
/* An IEEE 754 binary32, little-endian. */
#define VIRTIO_PARAM_TYPE_FLOAT 0x00600000
/* IEEE 754 binary32 elements, little-endian. */
#define VIRTIO_PARAM_TYPE_FLOAT_VEC 0x00610000
/* Bytes. */
#define VIRTIO_PARAM_TYPE_BYTES 0x00700000

/*
 * Access modes of a property or of one of its areas.
 */
/* In an area configuration, the property's access. */
#define VIRTIO_PARAM_ACCESS_NONE 0
/* GET only. */
#define VIRTIO_PARAM_ACCESS_READ 1
/* SET only. */
#define VIRTIO_PARAM_ACCESS_WRITE 2
/* GET and SET. */
#define VIRTIO_PARAM_ACCESS_READ_WRITE 3

/*
 * How a property's values change.
 */
/* Never, while the device exists; no subscription. */
#define VIRTIO_PARAM_CHANGE_MODE_STATIC 0
/* When something changes them; an event says so. */
#define VIRTIO_PARAM_CHANGE_MODE_ON_CHANGE 1
/* All the time; events carry samples at the subscribed rate. */
#define VIRTIO_PARAM_CHANGE_MODE_CONTINUOUS 2

/*
 * The status of a value, in virtio_param_value.status.
 */
/* The value is there. */
#define VIRTIO_PARAM_VALUE_STATUS_AVAILABLE 0
/* For now there is no value (for example, the sensor is off). */
#define VIRTIO_PARAM_VALUE_STATUS_UNAVAILABLE 1
/* The value could not be obtained. */
#define VIRTIO_PARAM_VALUE_STATUS_ERROR 2

/*
 * Request results and set errors: the Vehicle HAL's StatusCode values, in the
 * low 16 bits; the high 16 bits carry a vendor's error code.
 */
/* Done (SET, SUBSCRIBE - accepted). */
#define VIRTIO_PARAM_S_OK 0
/* Not now, for a short while (for example, while booting). */
#define VIRTIO_PARAM_S_TRY_AGAIN 1
/*
 * A malformed request, an unknown property or area, a value out of range.
 */
#define VIRTIO_PARAM_S_INVALID_ARG 2
/* Not available until something else changes. */
#define VIRTIO_PARAM_S_NOT_AVAILABLE 3
/* The property or area does not allow this access. */
#define VIRTIO_PARAM_S_ACCESS_DENIED 4
/* The device failed. */
#define VIRTIO_PARAM_S_INTERNAL_ERROR 5
/* Not available, as the feature is disabled. */
#define VIRTIO_PARAM_S_NOT_AVAILABLE_DISABLED 6
/* Not available at this low a speed. */
#define VIRTIO_PARAM_S_NOT_AVAILABLE_SPEED_LOW 7
/* Not available at this high a speed. */
#define VIRTIO_PARAM_S_NOT_AVAILABLE_SPEED_HIGH 8
/* Not available in this poor a visibility. */
#define VIRTIO_PARAM_S_NOT_AVAILABLE_POOR_VISIBILITY 9
/* Not available, for safety. */
#define VIRTIO_PARAM_S_NOT_AVAILABLE_SAFETY 10

/* The bits of a result that hold VIRTIO_PARAM_S_*. */
#define VIRTIO_PARAM_STATUS_SYSTEM_MASK 0xffff

/*
 * Request types, in virtio_param_req.type.
 */
/* Property configurations, from index arg on. */
#define VIRTIO_PARAM_REQ_GET_CONFIGS 1
/* The value of (prop, area). */
#define VIRTIO_PARAM_REQ_GET 2
/* Set (prop, area) to the value of arg bytes that follows. */
#define VIRTIO_PARAM_REQ_SET 3
/* Events of prop, as the virtio_param_subscribe that follows asks. */
#define VIRTIO_PARAM_REQ_SUBSCRIBE 4
/* No more events of prop. */
#define VIRTIO_PARAM_REQ_UNSUBSCRIBE 5

/*
 * Event types, in virtio_param_event.type.
 */
/* A value, or a change of its status, of a subscribed property. */
#define VIRTIO_PARAM_EVENT_PROPERTY 1
/* A SET that was accepted has failed. */
#define VIRTIO_PARAM_EVENT_SET_ERROR 2

/*
 * Bits of virtio_param_subscribe.flags.
 */
/*
 * CONTINUOUS properties: do not send a sample equal to the last one sent
 * (VIRTIO_PARAM_F_CHANGES_ONLY).
 */
#define VIRTIO_PARAM_SUBSCRIBE_CHANGES_ONLY (1U << 0)

/**
 * struct virtio_param_config - Device configuration layout, read-only for the
 * driver.
 * @num_properties: How many properties the device has, at least 1.
 * @max_config_size: The largest property configuration record, in bytes.
 * @max_value_size: The largest value data the device sends or accepts, in
 * bytes.
 * @max_areas: The most areas a property has, at least 1.
 * @reserved: Reserved, 0.
 */
struct virtio_param_config {
	__le32 num_properties;
	__le32 max_config_size;
	__le32 max_value_size;
	__le16 max_areas;
	__le16 reserved;
};

/**
 * struct virtio_param_req - A request, device-readable; SET and SUBSCRIBE are
 * followed by their data in the same device-readable part.
 * @type: Request type: VIRTIO_PARAM_REQ_*.
 * @reserved: Reserved, 0.
 * @prop: The property, for GET, SET, SUBSCRIBE and UNSUBSCRIBE; else 0.
 * @area: The area, for GET and SET; else 0.
 * @arg: GET_CONFIGS - the index of the first configuration; SET - the length of
 * the value data that follows; else 0.
 */
struct virtio_param_req {
	__le16 type;
	__le16 reserved;
	__le32 prop;
	__le32 area;
	__le32 arg;
};

/**
 * struct virtio_param_resp - The answer to a request, device-writable; followed
 * by len bytes of payload (GET_CONFIGS - virtio_param_configs and records; GET
 * - virtio_param_value and its data).
 * @status: Result, VIRTIO_PARAM_S_* (and a vendor code above).
 * @len: Bytes of payload that follow; 0 unless status is VIRTIO_PARAM_S_OK.
 */
struct virtio_param_resp {
	__le32 status;
	__le32 len;
};

/**
 * struct virtio_param_configs - The head of a GET_CONFIGS payload, followed by
 * count records.
 * @count: How many configuration records follow, at least 1.
 * @next: The index after the last record returned, num_properties when it was
 * the last.
 */
struct virtio_param_configs {
	__le32 count;
	__le32 next;
};

/**
 * struct virtio_param_prop_config - A property configuration record, followed
 * by num_areas virtio_param_area_config and num_enum_values le64; size bytes in
 * all, a multiple of 8.
 * @prop: The property ID.
 * @size: Bytes of the whole record.
 * @access: Access mode, not none: VIRTIO_PARAM_ACCESS_*.
 * @change_mode: Change mode: VIRTIO_PARAM_CHANGE_MODE_*.
 * @min_sample_rate_mhz: CONTINUOUS - the slowest sampling, in millihertz, at
 * least 1; else 0.
 * @max_sample_rate_mhz: CONTINUOUS - the fastest sampling, in millihertz; else
 * 0.
 * @num_areas: Area configurations that follow, at least 1.
 * @num_enum_values: Values an integer property may take, listed after the
 * areas; 0 for any.
 * @reserved: Reserved, 0.
 * @name: A name for people (ASCII letters, digits and _), NUL-padded; may be
 * empty.
 */
struct virtio_param_prop_config {
	__le32 prop;
	__le16 size;
	__u8 access;
	__u8 change_mode;
	__le32 min_sample_rate_mhz;
	__le32 max_sample_rate_mhz;
	__le16 num_areas;
	__le16 num_enum_values;
	__le32 reserved;
	__u8 name[32];
};

/**
 * struct virtio_param_area_config - One area of a property, in its
 * configuration record.
 * @area: The area ID; 0 for a GLOBAL property.
 * @access: Access mode of this area, none for the property's:
 * VIRTIO_PARAM_ACCESS_*.
 * @reserved: Reserved, 0.
 * @min: The smallest value, as max; min = max = 0 for no range.
 * @max: The largest value: a signed integer for BOOLEAN and the INT types, a
 * binary32 in the low 32 bits for the FLOAT types; 0 for the others.
 */
struct virtio_param_area_config {
	__le32 area;
	__u8 access;
	__u8 reserved[3];
	__le64 min;
	__le64 max;
};

/**
 * struct virtio_param_value - A value of one area, followed by len bytes of
 * data.
 * @prop: The property ID.
 * @area: The area ID.
 * @timestamp: When the value changed (ON_CHANGE) or was sampled (CONTINUOUS),
 * in nanoseconds of the device's monotonic clock.
 * @status: Value status: VIRTIO_PARAM_VALUE_STATUS_*.
 * @len: Bytes of data that follow, as the type encodes them; 0 unless status is
 * available.
 */
struct virtio_param_value {
	__le32 prop;
	__le32 area;
	__le64 timestamp;
	__le32 status;
	__le32 len;
};

/**
 * struct virtio_param_subscribe - The data of SUBSCRIBE, followed by num_areas
 * le32 area IDs (none - every area of the property).
 * @sample_rate_mhz: CONTINUOUS - the rate asked, in millihertz, which the
 * device clamps to the property's; else 0.
 * @flags: VIRTIO_PARAM_SUBSCRIBE_*
 * @num_areas: How many area IDs follow.
 */
struct virtio_param_subscribe {
	__le32 sample_rate_mhz;
	__le16 flags;
	__le16 num_areas;
};

/**
 * struct virtio_param_event - An event, device-writable, followed by a
 * virtio_param_value and its data (for SET_ERROR, len 0).
 * @type: Event type: VIRTIO_PARAM_EVENT_*.
 * @reserved: Reserved, 0.
 * @error: SET_ERROR - why the set failed, VIRTIO_PARAM_S_*; else 0.
 */
struct virtio_param_event {
	__le16 type;
	__le16 reserved;
	__le32 error;
};

/*
 * The device ID and the layouts the specification states, the
 * distribution's included. Never called: the compiler checks them
 * wherever this header is included (a negative array size fails).
 */
static inline void virtio_param_layout_check(void)
{
	(void)sizeof(char[VIRTIO_ID_PARAM_SERV == 38 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_param_config) == 16 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_config,
						 num_properties) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_config,
						 max_config_size) == 4 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_config,
						 max_value_size) == 8 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_config,
						 max_areas) == 12 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_config,
						 reserved) == 14 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_param_req) == 16 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_req,
						 type) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_req,
						 reserved) == 2 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_req,
						 prop) == 4 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_req,
						 area) == 8 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_req,
						 arg) == 12 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_param_resp) == 8 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_resp,
						 status) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_resp,
						 len) == 4 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_param_configs) == 8 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_configs,
						 count) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_configs,
						 next) == 4 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_param_prop_config) == 56 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_prop_config,
						 prop) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_prop_config,
						 size) == 4 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_prop_config,
						 access) == 6 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_prop_config,
						 change_mode) == 7 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_prop_config,
						 min_sample_rate_mhz) == 8 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_prop_config,
						 max_sample_rate_mhz) == 12 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_prop_config,
						 num_areas) == 16 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_prop_config,
						 num_enum_values) == 18 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_prop_config,
						 reserved) == 20 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_prop_config,
						 name) == 24 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_param_area_config) == 24 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_area_config,
						 area) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_area_config,
						 access) == 4 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_area_config,
						 reserved) == 5 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_area_config,
						 min) == 8 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_area_config,
						 max) == 16 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_param_value) == 24 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_value,
						 prop) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_value,
						 area) == 4 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_value,
						 timestamp) == 8 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_value,
						 status) == 16 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_value,
						 len) == 20 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_param_subscribe) == 8 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_subscribe,
						 sample_rate_mhz) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_subscribe,
						 flags) == 4 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_subscribe,
						 num_areas) == 6 ? 1 : -1]);
	(void)sizeof(char[sizeof(struct virtio_param_event) == 8 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_event,
						 type) == 0 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_event,
						 reserved) == 2 ? 1 : -1]);
	(void)sizeof(char[__builtin_offsetof(struct virtio_param_event,
						 error) == 4 ? 1 : -1]);
}

#endif /* _UAPI_LINUX_VIRTIO_EXTRA_VIRTIO_PARAM_H */
