// SPDX-License-Identifier: GPL-2.0
/*
 * The thread that serves a back-end device's rings, and who it belongs to.
 *
 * A device with an owner (a vhost-vdpa user, which binds its address space
 * at VHOST_SET_OWNER) is served by a vhost_task: a thread of the owner's
 * process, as upstream vhost's worker is. The guest's work is then charged
 * to the VMM: its cgroups' CPU limits and accounting, its mm for guest
 * memory, and a SIGKILL to the VMM ends a pass stalled on its memory. A
 * device without one (virtio_vdpa, the host's own drivers) is served by a
 * kernel thread made with the device.
 *
 * Only the runner, the thread whose address space is the bound one (none
 * for the kernel thread), serves; a wake-up goes to it alone. A pass is
 * asked for with a bit, which the runner takes; a back-end's throttle
 * delay is a timer that asks later.
 */

#include <linux/kthread.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sched/signal.h>
#include <linux/sched/mm.h>
#include <linux/sched/vhost_task.h>
#include <linux/timer.h>

#include "vbe_priv.h"

/* dev->run_flags: a pass is wanted. */
#define VBE_PASS_WANTED 0

static unsigned int poll_us;
module_param(poll_us, uint, 0644);
MODULE_PARM_DESC(poll_us, "Microseconds a worker waits busy for the next kick after a pass (default 0: it sleeps)");

/*
 * After a pass, wait busy a moment for the next one: a kick or a
 * back-end's news then finds the runner awake, without the wake-up's
 * latency. Whether one was asked for.
 */
static bool vbe_poll(struct vbe_device *dev)
{
	unsigned int us = READ_ONCE(poll_us);
	u64 end;

	if (!us)
		return false;
	end = local_clock() + us * NSEC_PER_USEC;
	while (!test_bit(VBE_PASS_WANTED, &dev->run_flags)) {
		if (need_resched() || signal_pending(current) ||
		    local_clock() > end)
			return false;
		cpu_relax();
	}
	return true;
}

/*
 * One pass over the rings. Returns the delay in jiffies before the next
 * pass: 0 for none, VBE_AGAIN for at once.
 */
static long vbe_serve(struct vbe_device *dev)
{
	long delay = 0;
	unsigned int i;

	for (i = 0; i < dev->nvqs && vbe_running(dev); i++) {
		struct vbe_vq *vq = &dev->vqs[i];
		long ret;

		if (!vq->ready)
			continue;
		vbe_vq_disable_kicks(vq);
		ret = dev->info->handle_vq(dev, vq);
		/* an error is the device marked broken: nothing more to do */
		if (ret < 0 && ret != VBE_AGAIN)
			ret = 0;
		if (ret == VBE_AGAIN || delay == VBE_AGAIN)
			delay = VBE_AGAIN;
		else if (ret > 0 && (!delay || ret < delay))
			delay = ret;
	}
	/* after every handler: one may have returned another queue's buffers */
	for (i = 0; i < dev->nvqs && vbe_running(dev); i++)
		if (dev->vqs[i].ready)
			vbe_vq_interrupt(&dev->vqs[i]);
	return vbe_running(dev) ? delay : 0;
}

/* The owner's task, or the kernel thread when no address space is bound. */
static bool vbe_is_runner(const struct vbe_device *dev)
{
	return READ_ONCE(dev->mm) == current->mm;
}

/*
 * The runner's loop body: a pass if one is wanted. Called in
 * TASK_INTERRUPTIBLE state; returns false to sleep.
 */
static bool vbe_run(void *data)
{
	struct vbe_device *dev = data;
	long delay = 0;

	if (!vbe_is_runner(dev) ||
	    !test_and_clear_bit(VBE_PASS_WANTED, &dev->run_flags))
		return false;
	__set_current_state(TASK_RUNNING);
	mutex_lock(&dev->lock);
	/* the owner may have changed since the check above */
	if (vbe_running(dev) && vbe_is_runner(dev))
		delay = vbe_serve(dev);
	mutex_unlock(&dev->lock);
	/*
	 * Looping rather than serving on: kicks, other devices and reset get
	 * a turn. A throttle delay does not push back a pass asked for since.
	 */
	if (delay == VBE_AGAIN)
		set_bit(VBE_PASS_WANTED, &dev->run_flags);
	else if (delay)
		timer_reduce(&dev->throttle, jiffies + delay);
	else
		vbe_poll(dev);
	cond_resched();
	return true;
}

static int vbe_kthread(void *data)
{
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		if (!vbe_run(data))
			schedule();
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/* Any context. */
static void vbe_wake_runner(struct vbe_device *dev)
{
	unsigned long flags;

	set_bit(VBE_PASS_WANTED, &dev->run_flags);
	spin_lock_irqsave(&dev->run_lock, flags);
	if (dev->owner_task)
		vhost_task_wake(dev->owner_task);
	else if (dev->kthread)
		wake_up_process(dev->kthread);
	spin_unlock_irqrestore(&dev->run_lock, flags);
}

static void vbe_throttle_done(struct timer_list *t)
{
	vbe_wake_runner(container_of(t, struct vbe_device, throttle));
}

/**
 * vbe_device_kick - serve the rings now
 * @dev: the device
 *
 * For a back-end whose settings changed (a throttled queue may go on).
 * Any context.
 */
void vbe_device_kick(struct vbe_device *dev)
{
	vbe_wake_runner(dev);
}
EXPORT_SYMBOL_GPL(vbe_device_kick);

/**
 * vbe_worker_kick - the driver made buffers available
 * @dev: the device
 *
 * A queue waiting out a back-end's throttle delay keeps waiting: kicking
 * does not buy passes. Any context.
 */
void vbe_worker_kick(struct vbe_device *dev)
{
	if (!timer_pending(&dev->throttle))
		vbe_wake_runner(dev);
}

/*
 * Killed with its process: the owner's files close next, and vhost-vdpa's
 * release resets the device and unbinds the owner, which reaps the task.
 */
static void vbe_owner_task_killed(void *data)
{
}

/**
 * vbe_worker_bind_owner - serve from a thread of the calling process
 * @dev: the device
 * @mm: the caller's address space, which guest memory points into
 *
 * Called from vhost-vdpa's VHOST_SET_OWNER, in the owner's context.
 *
 * Return: 0 or a negative errno.
 */
int vbe_worker_bind_owner(struct vbe_device *dev, struct mm_struct *mm)
{
	char name[TASK_COMM_LEN];
	struct vhost_task *task;

	/* the task shares the caller's address space: it must be this one */
	if (mm != current->mm)
		return -EINVAL;
	vbe_worker_unbind_owner(dev);
	snprintf(name, sizeof(name), "vbe-%s", dev_name(&dev->vdpa.dev));
	task = vhost_task_create(vbe_run, vbe_owner_task_killed, dev, name);
	if (IS_ERR(task))
		return PTR_ERR(task);
	mmgrab(mm);
	mutex_lock(&dev->lock);
	dev->mm = mm;
	mutex_unlock(&dev->lock);
	spin_lock_irq(&dev->run_lock);
	dev->owner_task = task;
	spin_unlock_irq(&dev->run_lock);
	vhost_task_start(task);
	/* a pass the kernel thread took and left to the owner */
	vbe_wake_runner(dev);
	return 0;
}

/**
 * vbe_worker_unbind_owner - back to the kernel thread
 * @dev: the device
 *
 * Waits for the owner's task to end its pass and exit.
 */
void vbe_worker_unbind_owner(struct vbe_device *dev)
{
	struct vhost_task *task;
	struct mm_struct *mm;

	spin_lock_irq(&dev->run_lock);
	task = dev->owner_task;
	dev->owner_task = NULL;
	spin_unlock_irq(&dev->run_lock);
	mutex_lock(&dev->lock);
	mm = dev->mm;
	dev->mm = NULL;
	mutex_unlock(&dev->lock);
	if (task)
		vhost_task_stop(task);
	if (mm)
		mmdrop(mm);
	vbe_wake_runner(dev);
}

/**
 * vbe_worker_init - make the kernel thread of a new device
 * @dev: the device, named
 *
 * Return: 0 or a negative errno.
 */
int vbe_worker_init(struct vbe_device *dev)
{
	struct task_struct *kthread;

	spin_lock_init(&dev->run_lock);
	timer_setup(&dev->throttle, vbe_throttle_done, 0);
	kthread = kthread_run(vbe_kthread, dev, "vbe-%s", dev_name(&dev->vdpa.dev));
	if (IS_ERR(kthread))
		return PTR_ERR(kthread);
	spin_lock_irq(&dev->run_lock);
	dev->kthread = kthread;
	spin_unlock_irq(&dev->run_lock);
	return 0;
}

/**
 * vbe_worker_exit - stop serving the device for good
 * @dev: the device, unbound from its driver and owner
 */
void vbe_worker_exit(struct vbe_device *dev)
{
	struct task_struct *kthread;

	timer_shutdown_sync(&dev->throttle);
	vbe_worker_unbind_owner(dev);
	spin_lock_irq(&dev->run_lock);
	kthread = dev->kthread;
	dev->kthread = NULL;
	spin_unlock_irq(&dev->run_lock);
	if (kthread)
		kthread_stop(kthread);
}
