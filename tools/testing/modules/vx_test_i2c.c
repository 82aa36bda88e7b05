// SPDX-License-Identifier: GPL-2.0
/*
 * vx_test_i2c: an I2C adapter with emulated targets, for testing the vhost-i2c
 * back-end. i2c-stub only does SMBus; this adapter does plain I2C transfers,
 * which are what virtio-i2c carries. It is test equipment and never installed.
 *
 * Loading the module registers the platform driver "vx_test_i2c" and its
 * platform device of the same name. The probe adds the adapter "vx-test-i2c"
 * (a dynamic bus number; find it through /sys/bus/i2c/devices/i2c-N/name),
 * and unbinding deletes it, so a test simulates surprise removal with
 *   echo vx_test_i2c > /sys/bus/platform/drivers/vx_test_i2c/unbind
 * and brings a new adapter, targets reset, back by writing to .../bind.
 *
 * Functionality: I2C_FUNC_I2C | I2C_FUNC_10BIT_ADDR | I2C_FUNC_SMBUS_EMUL.
 * A transfer runs its messages in order as one transaction with repeated
 * STARTs. It returns the number of messages, or the error of the first
 * message that fails (the messages before it have taken effect):
 *   -EOPNOTSUPP  a flag other than I2C_M_RD and I2C_M_TEN (I2C_M_RECV_LEN
 *                included; I2C_M_DMA_SAFE is accepted)
 *   -EINVAL      a message longer than 4096 bytes
 *   -ENXIO       no target at the address (address NAK)
 *   -EIO         the target refused data (data NAK)
 *
 * Targets; their state persists across transfers:
 *   0x50         256-byte EEPROM like a 24c02; initially byte i is i
 *   0x2a0 10-bit the same, separate memory; initially byte i is 0xff - i
 *   0x30         acknowledges its address, not data: zero-length messages
 *                succeed, any message with data fails with -EIO
 *   any other    -ENXIO; 0x50 with I2C_M_TEN and 0x2a0 without it included
 * An EEPROM write's first byte sets the word address pointer; the following
 * bytes are stored from the pointer on. A read returns bytes from the pointer
 * on. The pointer increments after each byte and wraps at 256. Zero-length
 * messages succeed and change nothing. So writing [0x10] and then reading 4
 * bytes, in one transfer or two, gives 10 11 12 13.
 *
 * Module parameter xfer_delay_us (0644, default 0): each transfer first
 * sleeps this long (uninterruptibly: keep it well below the hung-task
 * timeout), so that tests can remove things while transfers are in flight.
 *
 * Read-only attributes of the platform device, reset by each probe:
 *   transfers    transfers the adapter received (all of them, failed ones
 *                included), counted before the delay
 *   messages     messages executed successfully
 * so a test can prove that a refused request never reached the adapter.
 */

#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/i2c.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#define VTI2C_NAME "vx_test_i2c"
#define VTI2C_ADAPTER_NAME "vx-test-i2c"
#define VTI2C_MAX_LEN 4096
#define VTI2C_EEPROM_SIZE 256
#define VTI2C_ADDR_EEPROM 0x50
#define VTI2C_ADDR_EEPROM_10BIT 0x2a0
#define VTI2C_ADDR_NO_DATA 0x30
/* The message flags implemented; any other fails with -EOPNOTSUPP. */
#define VTI2C_FLAGS (I2C_M_RD | I2C_M_TEN | I2C_M_DMA_SAFE)

static unsigned int xfer_delay_us;
module_param(xfer_delay_us, uint, 0644);
MODULE_PARM_DESC(xfer_delay_us, "Sleep before each transfer, in microseconds (default 0)");

/**
 * struct vti2c_eeprom - an emulated 24c02-like EEPROM
 * @mem: the contents.
 * @ptr: the word address pointer: where the next byte is read or written.
 */
struct vti2c_eeprom {
	u8 mem[VTI2C_EEPROM_SIZE];
	unsigned int ptr;
};

/**
 * struct vti2c - the adapter and its targets
 * @adap: the I2C adapter.
 * @lock: protects the targets' state, @eeprom and @eeprom_10bit. The i2c core
 *	already serialises transfers under the adapter's bus lock, but only for
 *	callers that take it (__i2c_transfer() leaves that to its caller); the
 *	targets do not depend on every caller doing so.
 * @eeprom: the target at 0x50.
 * @eeprom_10bit: the target at 10-bit 0x2a0.
 * @transfers: transfers received.
 * @messages: messages executed successfully.
 */
struct vti2c {
	struct i2c_adapter adap;
	struct mutex lock;	/* see above */
	struct vti2c_eeprom eeprom;
	struct vti2c_eeprom eeprom_10bit;
	atomic_long_t transfers;
	atomic_long_t messages;
};

static void vti2c_eeprom_msg(struct vti2c_eeprom *e, struct i2c_msg *msg)
{
	unsigned int i;

	if (msg->flags & I2C_M_RD) {
		for (i = 0; i < msg->len; i++) {
			msg->buf[i] = e->mem[e->ptr];
			e->ptr = (e->ptr + 1) % VTI2C_EEPROM_SIZE;
		}
		return;
	}
	if (!msg->len)
		return;
	e->ptr = msg->buf[0];
	for (i = 1; i < msg->len; i++) {
		e->mem[e->ptr] = msg->buf[i];
		e->ptr = (e->ptr + 1) % VTI2C_EEPROM_SIZE;
	}
}

/* One message, with vt->lock held: 0 or a negative errno. */
static int vti2c_msg(struct vti2c *vt, struct i2c_msg *msg)
{
	bool ten = msg->flags & I2C_M_TEN;

	if (msg->flags & ~VTI2C_FLAGS)
		return -EOPNOTSUPP;
	if (msg->len > VTI2C_MAX_LEN)
		return -EINVAL;
	if (!ten && msg->addr == VTI2C_ADDR_EEPROM) {
		vti2c_eeprom_msg(&vt->eeprom, msg);
		return 0;
	}
	if (ten && msg->addr == VTI2C_ADDR_EEPROM_10BIT) {
		vti2c_eeprom_msg(&vt->eeprom_10bit, msg);
		return 0;
	}
	if (!ten && msg->addr == VTI2C_ADDR_NO_DATA)
		return msg->len ? -EIO : 0;
	return -ENXIO;
}

static int vti2c_xfer(struct i2c_adapter *adap, struct i2c_msg *msgs, int num)
{
	struct vti2c *vt = i2c_get_adapdata(adap);
	unsigned long delay = READ_ONCE(xfer_delay_us);
	int i, err = 0;

	atomic_long_inc(&vt->transfers);
	if (delay)
		usleep_range(delay, delay + delay / 16 + 10);

	mutex_lock(&vt->lock);
	for (i = 0; i < num; i++) {
		err = vti2c_msg(vt, &msgs[i]);
		if (err)
			break;
	}
	mutex_unlock(&vt->lock);
	atomic_long_add(i, &vt->messages);
	return err ? err : num;
}

static u32 vti2c_functionality(struct i2c_adapter *adap)
{
	return I2C_FUNC_I2C | I2C_FUNC_10BIT_ADDR | I2C_FUNC_SMBUS_EMUL;
}

static const struct i2c_algorithm vti2c_algo = {
	.master_xfer = vti2c_xfer,
	.functionality = vti2c_functionality,
};

static ssize_t transfers_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	struct vti2c *vt = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%lu\n", atomic_long_read(&vt->transfers));
}
static DEVICE_ATTR_RO(transfers);

static ssize_t messages_show(struct device *dev,
			     struct device_attribute *attr, char *buf)
{
	struct vti2c *vt = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%lu\n", atomic_long_read(&vt->messages));
}
static DEVICE_ATTR_RO(messages);

static struct attribute *vti2c_attrs[] = {
	&dev_attr_transfers.attr,
	&dev_attr_messages.attr,
	NULL
};
ATTRIBUTE_GROUPS(vti2c);

/*
 * Everything is device-managed: unbinding deletes the adapter, which waits
 * until nobody holds it (i2c_get_adapter(), an open /dev/i2c-N), and then
 * frees the state. The attributes are gone by then.
 */
static int vti2c_probe(struct platform_device *pdev)
{
	struct vti2c *vt;
	unsigned int i;

	vt = devm_kzalloc(&pdev->dev, sizeof(*vt), GFP_KERNEL);
	if (!vt)
		return -ENOMEM;
	mutex_init(&vt->lock);
	for (i = 0; i < VTI2C_EEPROM_SIZE; i++) {
		vt->eeprom.mem[i] = i;
		vt->eeprom_10bit.mem[i] = 0xff - i;
	}
	atomic_long_set(&vt->transfers, 0);
	atomic_long_set(&vt->messages, 0);

	vt->adap.owner = THIS_MODULE;
	vt->adap.algo = &vti2c_algo;
	vt->adap.dev.parent = &pdev->dev;
	strscpy(vt->adap.name, VTI2C_ADAPTER_NAME, sizeof(vt->adap.name));
	i2c_set_adapdata(&vt->adap, vt);
	platform_set_drvdata(pdev, vt);
	return devm_i2c_add_adapter(&pdev->dev, &vt->adap);
}

static struct platform_driver vti2c_driver = {
	.probe = vti2c_probe,
	.driver = {
		.name = VTI2C_NAME,
		.dev_groups = vti2c_groups,
	},
};

static struct platform_device *vti2c_pdev;

static int __init vti2c_init(void)
{
	int err;

	err = platform_driver_register(&vti2c_driver);
	if (err)
		return err;
	vti2c_pdev = platform_device_register_simple(VTI2C_NAME,
						     PLATFORM_DEVID_NONE,
						     NULL, 0);
	if (IS_ERR(vti2c_pdev)) {
		platform_driver_unregister(&vti2c_driver);
		return PTR_ERR(vti2c_pdev);
	}
	return 0;
}

static void __exit vti2c_exit(void)
{
	platform_device_unregister(vti2c_pdev);
	platform_driver_unregister(&vti2c_driver);
}

module_init(vti2c_init);
module_exit(vti2c_exit);
MODULE_DESCRIPTION("virtio-extra: an I2C adapter with emulated targets, for tests");
MODULE_LICENSE("GPL");
MODULE_AUTHOR("virtio-extra developers");
