// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_scmi_agent: the System Power protocol (SCMI 0x12, versions 1.x
 * and 2.x). A platform's graceful request to shut down or reset the system
 * goes to userspace through orderly_poweroff() or orderly_reboot(), as an
 * ACPI power button's does; when the request carries a timeout, the kernel
 * powers off or restarts by itself at three quarters of it, before the
 * platform cuts the power, unless the system is going down by then.
 *
 * Forceful requests are not served: the platform carries them out itself
 * and tells the agent for its information. Power-up and suspend requests
 * are not served either: a guest's suspend belongs to its VMM.
 *
 * System Power drives the whole system, so one platform at a time does:
 * the first agent whose platform has the protocol subscribes to its
 * requests, the others do not. The first request is served; later ones,
 * while it runs, are ignored.
 */
#include <linux/math.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/reboot.h>
#include <linux/virtio.h>
#include <linux/workqueue.h>

#include "virtio_scmi_agent.h"

#define VSCMI_SYSTEM_POWER_STATE_NOTIFY	0x5
#define VSCMI_SYSTEM_POWER_STATE_NOTIFIER 0x0
#define VSCMI_SYSTEM_GRACEFUL		BIT(0)

/* System states a platform requests. */
enum vscmi_system_state {
	VSCMI_SYSTEM_SHUTDOWN,
	VSCMI_SYSTEM_COLD_RESET,
	VSCMI_SYSTEM_WARM_RESET,
};

static const char *const vscmi_system_state_names[] = {
	[VSCMI_SYSTEM_SHUTDOWN] = "shutdown",
	[VSCMI_SYSTEM_COLD_RESET] = "cold reset",
	[VSCMI_SYSTEM_WARM_RESET] = "warm reset",
};

enum vscmi_power_state {
	VSCMI_POWER_IDLE,	/* no request served */
	VSCMI_POWER_REQUESTED,	/* userspace asked; the forced step may come */
	VSCMI_POWER_GOING,	/* the system is going down, or being forced */
};

/**
 * struct vscmi_power - the one platform that drives system power
 * @lock: what follows.
 * @owner: its agent, or NULL.
 * @version: its System Power protocol version.
 * @state: where its request is.
 * @transition: the system state requested.
 * @force_work: the forced power-off or restart, when a timeout was given.
 * @reboot_nb: sees the system go down: the forced step is then not needed.
 */
struct vscmi_power {
	struct mutex lock; /* the owner and its request */
	struct vscmi *owner;
	u32 version;
	enum vscmi_power_state state;
	enum vscmi_system_state transition;
	struct delayed_work force_work;
	struct notifier_block reboot_nb;
};

static struct vscmi_power vscmi_power = {
	.lock = __MUTEX_INITIALIZER(vscmi_power.lock),
};

/*
 * Userspace did not finish in time. Without the lock held: powering off
 * calls the reboot notifiers, this module's among them.
 */
static void vscmi_power_force(struct work_struct *work)
{
	enum vscmi_system_state transition;

	mutex_lock(&vscmi_power.lock);
	if (vscmi_power.state != VSCMI_POWER_REQUESTED || system_state > SYSTEM_RUNNING) {
		mutex_unlock(&vscmi_power.lock);
		return;
	}
	vscmi_power.state = VSCMI_POWER_GOING;
	transition = vscmi_power.transition;
	dev_warn(&vscmi_power.owner->vdev->dev,
		 "graceful %s not done in time: forcing it\n",
		 vscmi_system_state_names[transition]);
	mutex_unlock(&vscmi_power.lock);
	if (transition == VSCMI_SYSTEM_SHUTDOWN)
		kernel_power_off();
	else
		kernel_restart(NULL);
}

static int vscmi_power_going_down(struct notifier_block *nb, unsigned long action,
				  void *data)
{
	mutex_lock(&vscmi_power.lock);
	if (vscmi_power.state == VSCMI_POWER_REQUESTED)
		vscmi_power.state = VSCMI_POWER_GOING;
	mutex_unlock(&vscmi_power.lock);
	/* not _sync: this may run in the forced step itself */
	cancel_delayed_work(&vscmi_power.force_work);
	return NOTIFY_DONE;
}

static int vscmi_power_subscribe(struct vscmi *sa)
{
	__le32 enable = cpu_to_le32(1);

	return vscmi_command(sa, VSCMI_PROTO_SYSTEM, VSCMI_SYSTEM_POWER_STATE_NOTIFY,
			     &enable, sizeof(enable), NULL, 0, 0);
}

/**
 * vscmi_power_create - serve the platform's system power requests
 * @sa: the agent, its queues running
 *
 * Without the protocol, the event queue, or with another platform already
 * serving them, nothing is done.
 *
 * Return: 0 or a negative errno; the device said why.
 */
int vscmi_power_create(struct vscmi *sa)
{
	u8 rx[4];
	u32 version;
	int err;

	if (!memchr(sa->protocols, VSCMI_PROTO_SYSTEM, sa->n_protocols))
		return 0;
	if (!sa->has_events) {
		dev_info(&sa->vdev->dev, "no event queue: system power requests cannot come\n");
		return 0;
	}
	err = vscmi_command(sa, VSCMI_PROTO_SYSTEM, VSCMI_PROTOCOL_VERSION, NULL, 0,
			    rx, sizeof(rx), sizeof(rx));
	if (err < 0)
		return err;
	version = vscmi_le32(rx);
	if (version >> 16 < 1 || version >> 16 > 2) {
		dev_err(&sa->vdev->dev, "System Power protocol %u.%u, not 1.x or 2.x\n",
			version >> 16, version & 0xffff);
		return -EPROTO;
	}

	mutex_lock(&vscmi_power.lock);
	if (vscmi_power.owner) {
		mutex_unlock(&vscmi_power.lock);
		dev_info(&sa->vdev->dev, "system power requests are served from %s\n",
			 dev_name(&vscmi_power.owner->vdev->dev));
		return 0;
	}
	vscmi_power.owner = sa;
	vscmi_power.version = version;
	vscmi_power.state = VSCMI_POWER_IDLE;
	mutex_unlock(&vscmi_power.lock);

	err = vscmi_power_subscribe(sa);
	if (err < 0)
		vscmi_power_destroy(sa);
	return err < 0 ? err : 0;
}

/**
 * vscmi_power_restore - ask for the requests again, after a reset
 * @sa: the agent, its queues running
 */
void vscmi_power_restore(struct vscmi *sa)
{
	int err;

	mutex_lock(&vscmi_power.lock);
	if (vscmi_power.owner != sa) {
		mutex_unlock(&vscmi_power.lock);
		return;
	}
	mutex_unlock(&vscmi_power.lock);
	err = vscmi_power_subscribe(sa);
	if (err < 0)
		dev_err(&sa->vdev->dev, "system power requests lost on restore (%d)\n", err);
}

/**
 * vscmi_power_destroy - stop serving the requests, the forced step with them
 * @sa: the agent, reset: no notification comes any more
 */
void vscmi_power_destroy(struct vscmi *sa)
{
	mutex_lock(&vscmi_power.lock);
	if (vscmi_power.owner != sa) {
		mutex_unlock(&vscmi_power.lock);
		return;
	}
	vscmi_power.owner = NULL;
	vscmi_power.state = VSCMI_POWER_IDLE;
	mutex_unlock(&vscmi_power.lock);
	cancel_delayed_work_sync(&vscmi_power.force_work);
}

/**
 * vscmi_power_notification - a System Power protocol notification
 * @sa: the agent
 * @pdu: the notification (header and payload)
 */
void vscmi_power_notification(struct vscmi *sa, const struct vscmi_pdu *pdu)
{
	u32 agent, flags, transition, timeout = 0;
	unsigned int len;

	if ((vscmi_le32(pdu->data) & VIRTIO_SCMI_HDR_MSG_ID_MASK) !=
	    VSCMI_SYSTEM_POWER_STATE_NOTIFIER)
		return;
	mutex_lock(&vscmi_power.lock);
	if (vscmi_power.owner != sa) {
		mutex_unlock(&vscmi_power.lock);
		vscmi_complain(sa, "system power request, not asked for: ignored\n");
		return;
	}
	/* header, agent id, flags, state; and from 2.0 on, the timeout */
	len = vscmi_power.version >> 16 >= 2 ? 20 : 16;
	if (pdu->len < len) {
		mutex_unlock(&vscmi_power.lock);
		vscmi_complain(sa, "system power request of %u bytes: ignored\n", pdu->len);
		return;
	}
	agent = vscmi_le32(pdu->data + 4);
	flags = vscmi_le32(pdu->data + 8);
	transition = vscmi_le32(pdu->data + 12);
	if (len == 20)
		timeout = vscmi_le32(pdu->data + 16);

	if (transition >= ARRAY_SIZE(vscmi_system_state_names)) {
		mutex_unlock(&vscmi_power.lock);
		dev_warn(&sa->vdev->dev, "system state %u requested by agent %u: not served\n",
			 transition, agent);
		return;
	}
	if (!(flags & VSCMI_SYSTEM_GRACEFUL)) {
		mutex_unlock(&vscmi_power.lock);
		dev_warn(&sa->vdev->dev, "forceful %s by agent %u: left to the platform\n",
			 vscmi_system_state_names[transition], agent);
		return;
	}
	if (vscmi_power.state != VSCMI_POWER_IDLE || system_state > SYSTEM_RUNNING) {
		mutex_unlock(&vscmi_power.lock);
		dev_info(&sa->vdev->dev, "graceful %s by agent %u: the system is already going down\n",
			 vscmi_system_state_names[transition], agent);
		return;
	}
	vscmi_power.state = VSCMI_POWER_REQUESTED;
	vscmi_power.transition = transition;
	if (timeout)
		schedule_delayed_work(&vscmi_power.force_work,
				      msecs_to_jiffies(mult_frac(timeout, 3, 4)));
	mutex_unlock(&vscmi_power.lock);

	dev_info(&sa->vdev->dev, "graceful %s requested by agent %u, within %u ms\n",
		 vscmi_system_state_names[transition], agent, timeout);
	if (transition == VSCMI_SYSTEM_SHUTDOWN)
		orderly_poweroff(true);
	else
		orderly_reboot();
}

int vscmi_power_init(void)
{
	INIT_DELAYED_WORK(&vscmi_power.force_work, vscmi_power_force);
	vscmi_power.reboot_nb.notifier_call = vscmi_power_going_down;
	return register_reboot_notifier(&vscmi_power.reboot_nb);
}

void vscmi_power_exit(void)
{
	unregister_reboot_notifier(&vscmi_power.reboot_nb);
	cancel_delayed_work_sync(&vscmi_power.force_work);
}
