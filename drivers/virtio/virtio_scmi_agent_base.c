// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_scmi_agent: the Base protocol (SCMI 0x10, version 2.x): who the
 * platform is and what it offers, read once at probe, shown in sysfs under
 * the virtio device's scmi/.
 */
#include <linux/ctype.h>
#include <linux/device.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/virtio.h>

#include "virtio_scmi_agent.h"

#define VSCMI_BASE_DISCOVER_VENDOR		0x3
#define VSCMI_BASE_DISCOVER_SUB_VENDOR		0x4
#define VSCMI_BASE_DISCOVER_IMPL_VERSION	0x5
#define VSCMI_BASE_DISCOVER_LIST_PROTOCOLS	0x6
#define VSCMI_BASE_DISCOVER_AGENT		0x7

#define VSCMI_NAME_LEN	16

/**
 * vscmi_copy_name - a platform's name field, printable, NUL-terminated
 * @dst: where it goes: @len + 1 bytes
 * @src: the field
 * @len: its size
 */
void vscmi_copy_name(char *dst, const u8 *src, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len && src[i]; i++)
		dst[i] = isprint(src[i]) ? src[i] : '?';
	dst[i] = '\0';
}

static int vscmi_base_name(struct vscmi *sa, u8 msg_id, char *name)
{
	u8 rx[VSCMI_NAME_LEN];
	int len;

	len = vscmi_command(sa, VSCMI_PROTO_BASE, msg_id, NULL, 0, rx,
			    VSCMI_NAME_LEN, VSCMI_NAME_LEN);
	if (len < 0)
		return len;
	vscmi_copy_name(name, rx, len);
	return 0;
}

static int vscmi_base_u32(struct vscmi *sa, u8 msg_id, u32 *value)
{
	u8 rx[4];
	int len;

	len = vscmi_command(sa, VSCMI_PROTO_BASE, msg_id, NULL, 0, rx, 4, 4);
	if (len < 0)
		return len;
	*value = vscmi_le32(rx);
	return 0;
}

/*
 * DISCOVER_LIST_PROTOCOLS, as many times as it takes: each answer is a
 * count and that many ids, padded to a multiple of 4 bytes. The ids must
 * be new, and none of them Base.
 */
static int vscmi_base_list_protocols(struct vscmi *sa, unsigned int total)
{
	u8 rx[VSCMI_MAX_PAYLOAD];
	unsigned int n, i, j;
	__le32 skip;
	int len;

	sa->n_protocols = 0;
	while (sa->n_protocols < total) {
		skip = cpu_to_le32(sa->n_protocols);
		len = vscmi_command(sa, VSCMI_PROTO_BASE, VSCMI_BASE_DISCOVER_LIST_PROTOCOLS,
				    &skip, sizeof(skip), rx, 4, sizeof(rx));
		if (len < 0)
			return len;
		n = vscmi_le32(rx);
		if (!n || n > total - sa->n_protocols || 4 + ALIGN(n, 4) > len) {
			dev_err(&sa->vdev->dev, "protocol list of %u ids in %d bytes, after %u of %u\n",
				n, len, sa->n_protocols, total);
			return -EPROTO;
		}
		for (i = 0; i < n; i++) {
			u8 id = rx[4 + i];

			for (j = 0; j < sa->n_protocols; j++)
				if (sa->protocols[j] == id)
					break;
			if (id <= VSCMI_PROTO_BASE || j < sa->n_protocols) {
				dev_err(&sa->vdev->dev, "protocol list names 0x%x %s\n", id,
					j < sa->n_protocols ? "twice" : "(Base or reserved)");
				return -EPROTO;
			}
			sa->protocols[sa->n_protocols++] = id;
		}
	}
	return 0;
}

static int vscmi_base_agents(struct vscmi *sa)
{
	u8 rx[4 + VSCMI_NAME_LEN];
	unsigned int id;
	__le32 tx;
	int len;

	for (id = 0; id < sa->n_agents && id < VSCMI_MAX_AGENTS; id++) {
		tx = cpu_to_le32(id);
		len = vscmi_command(sa, VSCMI_PROTO_BASE, VSCMI_BASE_DISCOVER_AGENT,
				    &tx, sizeof(tx), rx, sizeof(rx), sizeof(rx));
		if (len < 0)
			return len;
		if (vscmi_le32(rx) != id) {
			dev_err(&sa->vdev->dev, "asked for agent %u, told of agent %u\n",
				id, vscmi_le32(rx));
			return -EPROTO;
		}
		vscmi_copy_name(sa->agents[id], rx + 4, VSCMI_NAME_LEN);
	}
	return 0;
}

/**
 * vscmi_base_discover - read the platform's identity and protocols
 * @sa: the agent, its command queue running
 *
 * Return: 0 or a negative errno; the device said why.
 */
int vscmi_base_discover(struct vscmi *sa)
{
	u8 attrs[4];
	int err;

	err = vscmi_base_u32(sa, VSCMI_PROTOCOL_VERSION, &sa->base_version);
	if (err)
		return err;
	if (sa->base_version >> 16 != 2) {
		dev_err(&sa->vdev->dev, "Base protocol %u.%u, not 2.x\n",
			sa->base_version >> 16, sa->base_version & 0xffff);
		return -EPROTO;
	}
	err = vscmi_command(sa, VSCMI_PROTO_BASE, VSCMI_PROTOCOL_ATTRIBUTES, NULL, 0,
			    attrs, sizeof(attrs), sizeof(attrs));
	if (err < 0)
		return err;
	sa->n_agents = attrs[1];
	err = vscmi_base_name(sa, VSCMI_BASE_DISCOVER_VENDOR, sa->vendor);
	if (!err)
		err = vscmi_base_name(sa, VSCMI_BASE_DISCOVER_SUB_VENDOR, sa->sub_vendor);
	if (!err)
		err = vscmi_base_u32(sa, VSCMI_BASE_DISCOVER_IMPL_VERSION, &sa->impl_version);
	if (!err)
		err = vscmi_base_list_protocols(sa, attrs[0]);
	if (!err)
		err = vscmi_base_agents(sa);
	return err;
}

static struct vscmi *vscmi_of(struct device *dev)
{
	return dev_to_virtio(dev)->priv;
}

static ssize_t vendor_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", vscmi_of(dev)->vendor);
}
static DEVICE_ATTR_RO(vendor);

static ssize_t sub_vendor_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", vscmi_of(dev)->sub_vendor);
}
static DEVICE_ATTR_RO(sub_vendor);

static ssize_t impl_version_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "0x%08x\n", vscmi_of(dev)->impl_version);
}
static DEVICE_ATTR_RO(impl_version);

static ssize_t base_version_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	u32 version = vscmi_of(dev)->base_version;

	return sysfs_emit(buf, "%u.%u\n", version >> 16, version & 0xffff);
}
static DEVICE_ATTR_RO(base_version);

/* The protocol ids, in hex, one line. */
static ssize_t protocols_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct vscmi *sa = vscmi_of(dev);
	unsigned int i;
	int len = 0;

	for (i = 0; i < sa->n_protocols; i++)
		len += sysfs_emit_at(buf, len, "%s0x%02x", i ? " " : "", sa->protocols[i]);
	return len + sysfs_emit_at(buf, len, "\n");
}
static DEVICE_ATTR_RO(protocols);

/* The agents, one a line: id and name (the first VSCMI_MAX_AGENTS). */
static ssize_t agents_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct vscmi *sa = vscmi_of(dev);
	unsigned int id;
	int len = 0;

	for (id = 0; id < sa->n_agents && id < VSCMI_MAX_AGENTS; id++)
		len += sysfs_emit_at(buf, len, "%u %s\n", id, sa->agents[id]);
	return len;
}
static DEVICE_ATTR_RO(agents);

static struct attribute *vscmi_base_attrs[] = {
	&dev_attr_vendor.attr,
	&dev_attr_sub_vendor.attr,
	&dev_attr_impl_version.attr,
	&dev_attr_base_version.attr,
	&dev_attr_protocols.attr,
	&dev_attr_agents.attr,
	NULL,
};

const struct attribute_group vscmi_base_group = {
	.name = "scmi",
	.attrs = vscmi_base_attrs,
};
