// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_scmi_agent: the Sensor protocol (SCMI 0x15, version 3.x) as a
 * hwmon device. Temperature, voltage, current, power and energy sensors
 * become temp, in, curr, power and energy channels, labelled with the
 * sensor's name and scaled as Linux's scmi-hwmon scales them (milli- for
 * the first three, micro- for the others), in signed arithmetic. A
 * SENSOR_UPDATE notification wakes poll() on the channel's input.
 *
 * The hwmon device hangs under an auxiliary device of the protocol,
 * virtio_scmi_agent.sensors.<n>, bound by this module's auxiliary driver,
 * as Linux's scmi-hwmon hangs under its protocol's scmi_device. Directly
 * under the virtio device, lm-sensors would fail on it: it follows each
 * device's 'device' link, and a virtio device has a 'device' attribute.
 */
#include <linux/auxiliary_bus.h>
#include <linux/hwmon.h>
#include <linux/math64.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/virtio.h>

#include "virtio_scmi_agent.h"

#define VSCMI_SENSOR_DESCRIPTION_GET	0x3
#define VSCMI_SENSOR_READING_GET	0x6
#define VSCMI_SENSOR_CONTINUOUS_UPDATE_NOTIFY 0xb
#define VSCMI_SENSOR_NAME_GET		0xc
#define VSCMI_SENSOR_UPDATE		0x1

#define VSCMI_SENSOR_ASYNC		BIT(31)
#define VSCMI_SENSOR_CONTINUOUS		BIT(30)
#define VSCMI_SENSOR_EXTENDED_NAME	BIT(29)
#define VSCMI_SENSOR_EXTENDED_ATTRS	BIT(8)
#define VSCMI_SENSOR_DESC_LEN		28
#define VSCMI_SENSOR_DESC_EXT_LEN	52
#define VSCMI_SENSOR_NAME_LEN		64

/* SCMI sensor classes this driver shows, and their hwmon types. */
static const struct {
	u8 class;
	enum hwmon_sensor_types type;
	u32 config;
	u32 input;	/* the input attribute */
	int scale;	/* to hwmon's unit, as a power of ten */
} vscmi_sensor_kinds[] = {
	{ 2, hwmon_temp, HWMON_T_INPUT | HWMON_T_LABEL, hwmon_temp_input, 3 },
	{ 5, hwmon_in, HWMON_I_INPUT | HWMON_I_LABEL, hwmon_in_input, 3 },
	{ 6, hwmon_curr, HWMON_C_INPUT | HWMON_C_LABEL, hwmon_curr_input, 3 },
	{ 7, hwmon_power, HWMON_P_INPUT | HWMON_P_LABEL, hwmon_power_input, 6 },
	{ 8, hwmon_energy, HWMON_E_INPUT | HWMON_E_LABEL, hwmon_energy_input, 6 },
};

#define VSCMI_SENSOR_KINDS ARRAY_SIZE(vscmi_sensor_kinds)

/**
 * struct vscmi_sensor - one sensor shown in hwmon
 * @id: its SCMI id.
 * @kind: its index in vscmi_sensor_kinds.
 * @channel: its channel among those of its kind.
 * @exponent: its unit's power of ten, as it reported.
 * @async: READING_GET answers with a delayed response.
 * @updates: the agent asks for its update notifications.
 * @label: its name.
 */
struct vscmi_sensor {
	u32 id;
	unsigned int kind;
	unsigned int channel;
	int exponent;
	bool async;
	bool updates;
	char label[VSCMI_SENSOR_NAME_LEN + 1];
};

/**
 * struct vscmi_sensors - the Sensor protocol of one agent
 * @adev: its auxiliary device; its release frees this.
 * @sa: the agent.
 * @hwmon: the hwmon device, while the auxiliary driver is bound. Under
 *	vscmi.sensors_lock.
 * @n: how many sensors are shown.
 * @sensors: those.
 * @by_kind: for each kind, its sensors by channel.
 * @n_by_kind: how many of each kind.
 * @configs: the channels' configurations, each list ending with 0.
 * @infos: hwmon's channel lists.
 * @info_ptrs: those, NULL-terminated.
 * @chip: what hwmon is given.
 */
struct vscmi_sensors {
	struct auxiliary_device adev;
	struct vscmi *sa;
	struct device *hwmon;
	unsigned int n;
	struct vscmi_sensor *sensors;
	struct vscmi_sensor **by_kind[VSCMI_SENSOR_KINDS];
	unsigned int n_by_kind[VSCMI_SENSOR_KINDS];
	u32 *configs[VSCMI_SENSOR_KINDS];
	struct hwmon_channel_info infos[VSCMI_SENSOR_KINDS];
	const struct hwmon_channel_info *info_ptrs[VSCMI_SENSOR_KINDS + 1];
	struct hwmon_chip_info chip;
};

static int vscmi_sensor_kind(u8 class)
{
	unsigned int i;

	for (i = 0; i < VSCMI_SENSOR_KINDS; i++)
		if (vscmi_sensor_kinds[i].class == class)
			return i;
	return -1;
}

/* value * 10^scale, in hwmon's long; -ERANGE when it does not fit. */
static int vscmi_sensor_scale(s64 value, int scale, long *out)
{
	static const s64 powers[] = {
		1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL,
		10000000LL, 100000000LL, 1000000000LL, 10000000000LL,
		100000000000LL, 1000000000000LL, 10000000000000LL,
		100000000000000LL, 1000000000000000LL, 10000000000000000LL,
		100000000000000000LL, 1000000000000000000LL,
	};
	s64 result;

	if (scale >= (int)ARRAY_SIZE(powers))
		return -ERANGE;
	if (scale <= -(int)ARRAY_SIZE(powers)) {
		*out = 0;
		return 0;
	}
	if (scale >= 0) {
		if (check_mul_overflow(value, powers[scale], &result))
			return -ERANGE;
	} else {
		result = div64_s64(value, powers[-scale]);
	}
	if (result > LONG_MAX || result < LONG_MIN)
		return -ERANGE;
	*out = result;
	return 0;
}

static struct vscmi_sensor *vscmi_sensor_of(struct vscmi_sensors *ss,
					    enum hwmon_sensor_types type, int channel)
{
	unsigned int k;

	for (k = 0; k < VSCMI_SENSOR_KINDS; k++)
		if (vscmi_sensor_kinds[k].type == type)
			return channel < ss->n_by_kind[k] ? ss->by_kind[k][channel] : NULL;
	return NULL;
}

/* READING_GET: the first axis's value; a delayed response for async sensors. */
static int vscmi_sensor_read_value(struct vscmi_sensors *ss, struct vscmi_sensor *s, s64 *value)
{
	struct vscmi *sa = ss->sa;
	struct vscmi_xfer *xfer;
	const u8 *payload;
	unsigned int len;
	u8 tx[8];
	int err;

	xfer = kzalloc(sizeof(*xfer), GFP_KERNEL);
	if (!xfer)
		return -ENOMEM;
	if (s->async) {
		xfer->delayed = kzalloc(sizeof(*xfer->delayed), GFP_KERNEL);
		if (!xfer->delayed) {
			kfree(xfer);
			return -ENOMEM;
		}
	}
	vscmi_put_le32(tx, s->id);
	vscmi_put_le32(tx + 4, s->async ? 1 : 0);
	xfer->hdr = vscmi_hdr(VSCMI_PROTO_SENSOR, VSCMI_SENSOR_READING_GET,
			      VIRTIO_SCMI_MSG_TYPE_COMMAND, 0);
	xfer->tx = tx;
	xfer->tx_len = sizeof(tx);
	err = vscmi_xfer(sa, xfer);
	if (!err)
		err = vscmi_status_errno(vscmi_le32(xfer->resp.data + 4));
	if (err)
		goto out;
	if (s->async) {
		/* the delayed response: header, status, sensor id, reading */
		err = vscmi_status_errno(vscmi_le32(xfer->delayed->pdu.data + 4));
		if (err)
			goto out;
		payload = xfer->delayed->pdu.data + 8;
		len = xfer->delayed->pdu.len - 8;
		if (len < 12 || vscmi_le32(payload) != s->id) {
			vscmi_complain(sa, "sensor %u: delayed reading of %u bytes for sensor %u\n",
				       s->id, len, len >= 4 ? vscmi_le32(payload) : 0);
			err = -EPROTO;
			goto out;
		}
		payload += 4;
	} else {
		payload = xfer->resp.data + 8;
		len = xfer->resp.len - 8;
		if (len < 8) {
			vscmi_complain(sa, "sensor %u: reading of %u bytes\n", s->id, len);
			err = -EPROTO;
			goto out;
		}
	}
	*value = (s64)((u64)vscmi_le32(payload + 4) << 32 | vscmi_le32(payload));
out:
	kfree(xfer->delayed);
	kfree(xfer);
	return err;
}

static int vscmi_sensor_read(struct device *dev, enum hwmon_sensor_types type, u32 attr,
			     int channel, long *val)
{
	struct vscmi_sensors *ss = dev_get_drvdata(dev);
	struct vscmi_sensor *s = vscmi_sensor_of(ss, type, channel);
	s64 value;
	int err;

	if (!s || attr != vscmi_sensor_kinds[s->kind].input)
		return -EOPNOTSUPP;
	err = vscmi_sensor_read_value(ss, s, &value);
	if (err)
		return err;
	return vscmi_sensor_scale(value, s->exponent + vscmi_sensor_kinds[s->kind].scale, val);
}

static int vscmi_sensor_read_string(struct device *dev, enum hwmon_sensor_types type,
				    u32 attr, int channel, const char **str)
{
	struct vscmi_sensor *s = vscmi_sensor_of(dev_get_drvdata(dev), type, channel);

	if (!s)
		return -EOPNOTSUPP;
	*str = s->label;
	return 0;
}

static umode_t vscmi_sensor_visible(const void *data, enum hwmon_sensor_types type,
				    u32 attr, int channel)
{
	return 0444;
}

static const struct hwmon_ops vscmi_sensor_ops = {
	.is_visible = vscmi_sensor_visible,
	.read = vscmi_sensor_read,
	.read_string = vscmi_sensor_read_string,
};

/* NAME_GET: the long name; the short one stays if it fails. */
static void vscmi_sensor_name(struct vscmi_sensors *ss, struct vscmi_sensor *s)
{
	u8 rx[4 + VSCMI_SENSOR_NAME_LEN];
	__le32 tx = cpu_to_le32(s->id);
	int len;

	len = vscmi_command(ss->sa, VSCMI_PROTO_SENSOR, VSCMI_SENSOR_NAME_GET, &tx,
			    sizeof(tx), rx, sizeof(rx), sizeof(rx));
	if (len < 0)
		dev_info(&ss->sa->vdev->dev, "sensor %u: no long name (%d)\n", s->id, len);
	else
		vscmi_copy_name(s->label, rx + 4, VSCMI_SENSOR_NAME_LEN);
}

/* CONTINUOUS_UPDATE_NOTIFY on: SENSOR_UPDATE then wakes poll(). */
static void vscmi_sensor_notify_on(struct vscmi_sensors *ss, struct vscmi_sensor *s)
{
	u8 tx[8];
	int err;

	vscmi_put_le32(tx, s->id);
	vscmi_put_le32(tx + 4, 1);
	err = vscmi_command(ss->sa, VSCMI_PROTO_SENSOR, VSCMI_SENSOR_CONTINUOUS_UPDATE_NOTIFY,
			    tx, sizeof(tx), NULL, 0, 0);
	if (err < 0)
		dev_info(&ss->sa->vdev->dev, "sensor %u: no update notifications (%d)\n",
			 s->id, err);
}

/* One descriptor of DESCRIPTION_GET, checked, into s; its length or -EPROTO. */
static int vscmi_sensor_parse(struct vscmi *sa, const u8 *d, unsigned int left,
			      struct vscmi_sensor *s, u32 *attr_low, u8 *class)
{
	unsigned int len = VSCMI_SENSOR_DESC_LEN;
	u32 attr_high;

	if (left < len)
		return -EPROTO;
	*attr_low = vscmi_le32(d + 4);
	if (*attr_low & VSCMI_SENSOR_EXTENDED_ATTRS)
		len = VSCMI_SENSOR_DESC_EXT_LEN;
	if (left < len)
		return -EPROTO;
	attr_high = vscmi_le32(d + 8);
	s->id = vscmi_le32(d);
	s->async = *attr_low & VSCMI_SENSOR_ASYNC;
	/* bits 15:11, a signed power of ten */
	s->exponent = sign_extend32((attr_high >> 11) & 0x1f, 4);
	*class = attr_high & 0xff;
	vscmi_copy_name(s->label, d + 12, 16);
	return len;
}

/* The sensors' descriptors, as many DESCRIPTION_GET as it takes. */
static int vscmi_sensors_describe(struct vscmi_sensors *ss, unsigned int total)
{
	struct vscmi *sa = ss->sa;
	unsigned int index = 0, returned, remaining, i, j, off;
	u8 rx[VSCMI_MAX_PAYLOAD];
	__le32 tx;
	int len, n;

	ss->sensors = kcalloc(total, sizeof(*ss->sensors), GFP_KERNEL);
	if (!ss->sensors)
		return -ENOMEM;
	while (index < total) {
		tx = cpu_to_le32(index);
		len = vscmi_command(sa, VSCMI_PROTO_SENSOR, VSCMI_SENSOR_DESCRIPTION_GET,
				    &tx, sizeof(tx), rx, 4, sizeof(rx));
		if (len < 0)
			return len;
		returned = vscmi_le32(rx) & 0xfff;
		remaining = vscmi_le32(rx) >> 16;
		if (!returned || returned + remaining != total - index) {
			dev_err(&sa->vdev->dev, "sensor descriptors: %u returned, %u remaining, at %u of %u\n",
				returned, remaining, index, total);
			return -EPROTO;
		}
		for (i = 0, off = 4; i < returned; i++, index++) {
			struct vscmi_sensor *s = &ss->sensors[ss->n];
			u32 attr_low;
			u8 class;
			int kind;

			n = vscmi_sensor_parse(sa, rx + off, len - off, s, &attr_low, &class);
			if (n < 0) {
				dev_err(&sa->vdev->dev, "sensor descriptor %u cut short\n", index);
				return n;
			}
			off += n;
			for (j = 0; j < ss->n; j++) {
				if (ss->sensors[j].id == s->id) {
					dev_err(&sa->vdev->dev, "sensor %u described twice\n",
						s->id);
					return -EPROTO;
				}
			}
			kind = vscmi_sensor_kind(class);
			if (kind < 0)
				continue;
			s->kind = kind;
			if (attr_low & VSCMI_SENSOR_EXTENDED_NAME)
				vscmi_sensor_name(ss, s);
			s->updates = attr_low & VSCMI_SENSOR_CONTINUOUS && sa->has_events;
			if (s->updates)
				vscmi_sensor_notify_on(ss, s);
			ss->n++;
		}
	}
	return 0;
}

/* The channel lists hwmon takes, from the sensors found. */
static int vscmi_sensors_channels(struct vscmi_sensors *ss)
{
	unsigned int k, i, n_infos = 0;

	for (i = 0; i < ss->n; i++)
		ss->sensors[i].channel = ss->n_by_kind[ss->sensors[i].kind]++;
	for (k = 0; k < VSCMI_SENSOR_KINDS; k++) {
		if (!ss->n_by_kind[k])
			continue;
		ss->by_kind[k] = kcalloc(ss->n_by_kind[k], sizeof(*ss->by_kind[k]), GFP_KERNEL);
		ss->configs[k] = kcalloc(ss->n_by_kind[k] + 1, sizeof(*ss->configs[k]), GFP_KERNEL);
		if (!ss->by_kind[k] || !ss->configs[k])
			return -ENOMEM;
		ss->infos[n_infos].type = vscmi_sensor_kinds[k].type;
		ss->infos[n_infos].config = ss->configs[k];
		ss->info_ptrs[n_infos] = &ss->infos[n_infos];
		n_infos++;
	}
	for (i = 0; i < ss->n; i++) {
		struct vscmi_sensor *s = &ss->sensors[i];

		ss->by_kind[s->kind][s->channel] = s;
		ss->configs[s->kind][s->channel] = vscmi_sensor_kinds[s->kind].config;
	}
	ss->chip.ops = &vscmi_sensor_ops;
	ss->chip.info = ss->info_ptrs;
	return 0;
}

static void vscmi_sensors_free(struct vscmi_sensors *ss)
{
	unsigned int k;

	for (k = 0; k < VSCMI_SENSOR_KINDS; k++) {
		kfree(ss->by_kind[k]);
		kfree(ss->configs[k]);
	}
	kfree(ss->sensors);
	kfree(ss);
}

static void vscmi_sensors_release(struct device *dev)
{
	vscmi_sensors_free(container_of(dev, struct vscmi_sensors, adev.dev));
}

/* Its protocol's version and sensors, without a device yet. */
static int vscmi_sensors_discover(struct vscmi *sa, struct vscmi_sensors *ss)
{
	u8 attrs[16];
	u32 version;
	int err;

	err = vscmi_command(sa, VSCMI_PROTO_SENSOR, VSCMI_PROTOCOL_VERSION, NULL, 0,
			    attrs, 4, 4);
	if (err < 0)
		return err;
	version = vscmi_le32(attrs);
	if (version >> 16 != 3) {
		dev_err(&sa->vdev->dev, "Sensor protocol %u.%u, not 3.x\n",
			version >> 16, version & 0xffff);
		return -EPROTO;
	}
	err = vscmi_command(sa, VSCMI_PROTO_SENSOR, VSCMI_PROTOCOL_ATTRIBUTES, NULL, 0,
			    attrs, 4, sizeof(attrs));
	if (err < 0)
		return err;
	err = vscmi_sensors_describe(ss, attrs[0] | attrs[1] << 8);
	if (err)
		return err;
	return vscmi_sensors_channels(ss);
}

/**
 * vscmi_sensors_create - the platform's sensors, as an auxiliary device
 *	whose driver shows them in hwmon
 * @sa: the agent, its queues running
 *
 * Without the Sensor protocol, or without a sensor hwmon shows, there is
 * no device. Once the device is initialised its release frees what this
 * allocated, on failure too; vscmi_sensors_destroy() removes it.
 *
 * Return: 0 or a negative errno; the device said why.
 */
int vscmi_sensors_create(struct vscmi *sa)
{
	struct vscmi_sensors *ss;
	int err;

	if (!memchr(sa->protocols, VSCMI_PROTO_SENSOR, sa->n_protocols))
		return 0;
	ss = kzalloc(sizeof(*ss), GFP_KERNEL);
	if (!ss)
		return -ENOMEM;
	ss->sa = sa;
	err = vscmi_sensors_discover(sa, ss);
	if (err || !ss->n) {
		vscmi_sensors_free(ss);
		return err;
	}
	ss->adev.name = "sensors";
	ss->adev.id = sa->index;
	ss->adev.dev.parent = &sa->vdev->dev;
	ss->adev.dev.release = vscmi_sensors_release;
	err = auxiliary_device_init(&ss->adev);
	if (err) {
		vscmi_sensors_free(ss);
		return err;
	}
	mutex_lock(&sa->sensors_lock);
	sa->sensors = ss;
	mutex_unlock(&sa->sensors_lock);
	err = auxiliary_device_add(&ss->adev);
	if (err) {
		mutex_lock(&sa->sensors_lock);
		sa->sensors = NULL;
		mutex_unlock(&sa->sensors_lock);
		auxiliary_device_uninit(&ss->adev);
	}
	return err;
}

/**
 * vscmi_sensors_destroy - remove the sensors' device, and so its hwmon one
 * @sa: the agent, reset: reads under way have ended
 */
void vscmi_sensors_destroy(struct vscmi *sa)
{
	struct vscmi_sensors *ss;

	mutex_lock(&sa->sensors_lock);
	ss = sa->sensors;
	sa->sensors = NULL;
	mutex_unlock(&sa->sensors_lock);
	if (!ss)
		return;
	auxiliary_device_delete(&ss->adev);
	auxiliary_device_uninit(&ss->adev);
}

/**
 * vscmi_sensors_restore - ask for the update notifications again, after a
 *	reset
 * @sa: the agent, its queues running
 */
void vscmi_sensors_restore(struct vscmi *sa)
{
	struct vscmi_sensors *ss;
	unsigned int i;

	/* a reference, not the lock, across the commands */
	mutex_lock(&sa->sensors_lock);
	ss = sa->sensors;
	if (ss)
		get_device(&ss->adev.dev);
	mutex_unlock(&sa->sensors_lock);
	if (!ss)
		return;
	for (i = 0; i < ss->n; i++)
		if (ss->sensors[i].updates)
			vscmi_sensor_notify_on(ss, &ss->sensors[i]);
	put_device(&ss->adev.dev);
}

static int vscmi_sensors_probe(struct auxiliary_device *adev,
			       const struct auxiliary_device_id *id)
{
	struct vscmi_sensors *ss = container_of(adev, struct vscmi_sensors, adev);
	struct device *hwmon;

	hwmon = devm_hwmon_device_register_with_info(&adev->dev, "scmi_sensors", ss,
						     &ss->chip, NULL);
	if (IS_ERR(hwmon))
		return PTR_ERR(hwmon);
	mutex_lock(&ss->sa->sensors_lock);
	ss->hwmon = hwmon;
	mutex_unlock(&ss->sa->sensors_lock);
	return 0;
}

/* hwmon's device goes after this returns: no notification reaches it. */
static void vscmi_sensors_remove(struct auxiliary_device *adev)
{
	struct vscmi_sensors *ss = container_of(adev, struct vscmi_sensors, adev);

	mutex_lock(&ss->sa->sensors_lock);
	ss->hwmon = NULL;
	mutex_unlock(&ss->sa->sensors_lock);
}

static const struct auxiliary_device_id vscmi_sensors_ids[] = {
	{ .name = KBUILD_MODNAME ".sensors" },
	{ }
};
MODULE_DEVICE_TABLE(auxiliary, vscmi_sensors_ids);

static struct auxiliary_driver vscmi_sensors_driver = {
	.name = "sensors",
	.probe = vscmi_sensors_probe,
	.remove = vscmi_sensors_remove,
	.id_table = vscmi_sensors_ids,
};

int vscmi_sensors_init(void)
{
	return auxiliary_driver_register(&vscmi_sensors_driver);
}

void vscmi_sensors_exit(void)
{
	auxiliary_driver_unregister(&vscmi_sensors_driver);
}

/**
 * vscmi_sensors_notification - a Sensor protocol notification
 * @sa: the agent
 * @pdu: the notification (header and payload)
 *
 * SENSOR_UPDATE wakes poll() on the sensor's input; the others are for
 * the raw interface only.
 */
void vscmi_sensors_notification(struct vscmi *sa, const struct vscmi_pdu *pdu)
{
	struct vscmi_sensors *ss;
	unsigned int i;
	u32 id;

	if ((vscmi_le32(pdu->data) & VIRTIO_SCMI_HDR_MSG_ID_MASK) != VSCMI_SENSOR_UPDATE)
		return;
	if (pdu->len < 12) {
		vscmi_complain(sa, "sensor update of %u bytes\n", pdu->len);
		return;
	}
	id = vscmi_le32(pdu->data + 8);
	mutex_lock(&sa->sensors_lock);
	ss = sa->sensors;
	for (i = 0; ss && i < ss->n; i++) {
		struct vscmi_sensor *s = &ss->sensors[i];

		if (s->id != id)
			continue;
		if (ss->hwmon)
			hwmon_notify_event(ss->hwmon, vscmi_sensor_kinds[s->kind].type,
					   vscmi_sensor_kinds[s->kind].input, s->channel);
		break;
	}
	if (ss && i == ss->n)
		vscmi_complain(sa, "update of sensor %u, which hwmon does not show\n", id);
	mutex_unlock(&sa->sensors_lock);
}
