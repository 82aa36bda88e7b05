/* SPDX-License-Identifier: GPL-2.0 */
/*
 * virtio-media (VIRTIO 1.4 section 5.22): a V4L2 device relayed over
 * virtio. virtio_media_dev.c speaks to the device (commands, events,
 * lifetime), virtio_media_v4l2.c is the video node (files, ioctls),
 * virtio_media_ctrls.c the extended control ioctls, virtio_media_buf.c a
 * session's buffer queues, virtio_media_mmap.c the mappings of shared
 * memory region 0, virtio_media_userptr.c the user memory of USERPTR
 * buffers.
 *
 * Lock order: vm->sessions_lock, then a session's queues_lock (a
 * spinlock). vm->cmd_lock and vm->orphans_lock are taken alone, and no
 * lock is held while a command waits for the device.
 */
#ifndef _VIRTIO_MEDIA_H
#define _VIRTIO_MEDIA_H

#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/ratelimit.h>
#include <linux/spinlock.h>
#include <linux/uio.h>
#include <linux/virtio_config.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <media/v4l2-device.h>
#include <media/v4l2-fh.h>
#include <linux/virtio_extra/virtio_media.h>

#include "virtio_request.h"

struct address_space;
struct virtio_device;
struct virtqueue;

/* Event buffers the driver keeps posted. */
#define VMEDIA_EVENT_BUFS 16
/* V4L2 events of one type a file keeps until it dequeues them. */
#define VMEDIA_EVENTS_PER_TYPE 8

/**
 * union vmedia_event - what the device writes into an event buffer
 * @hdr: the header every event starts with.
 * @error: VIRTIO_MEDIA_EVT_ERROR.
 * @dqbuf: VIRTIO_MEDIA_EVT_DQBUF, the largest.
 * @event: VIRTIO_MEDIA_EVT_EVENT.
 */
union vmedia_event {
	struct virtio_media_event_header hdr;
	struct virtio_media_event_error error;
	struct virtio_media_event_dqbuf dqbuf;
	struct virtio_media_event_event event;
};

/**
 * struct vmedia_event_buf - one posted event buffer
 * @ev: written by the device, on cache lines of its own.
 */
struct vmedia_event_buf {
	union vmedia_event ev __aligned(ARCH_DMA_MINALIGN);
} ____cacheline_aligned;

/**
 * struct vmedia - one virtio-media device
 * @v4l2_dev: the V4L2 device; its release frees this structure, once the
 *	video node's last user is gone.
 * @video: the video node.
 * @vdev: the virtio device, until removal.
 * @cmd_vq: the command queue.
 * @event_vq: the event queue.
 * @device_caps: the capabilities the node reports (from the config).
 * @guest_phys: the device takes guest-physical addresses (it did not
 *	offer VIRTIO_F_ACCESS_PLATFORM), which scatter lists carry.
 * @card: the device's name, NUL-terminated.
 * @cmd_lock: one command at a time; queue setup and teardown against
 *	commands.
 * @commands: the command queue's requests.
 * @sessions_lock: guards @sessions and each session's @dead against the
 *	event work.
 * @sessions: the open sessions.
 * @events: the event buffers.
 * @event_lock: the event queue and @gone, against its callback.
 * @gone: the device is being removed or frozen: event buffers stay ours.
 * @event_work: handles returned event buffers, in process context.
 * @shm: shared memory region 0, where MMAP buffers live (with
 *	V4L2_CAP_STREAMING only).
 * @map_lock: orders page faults against @generation and @revoked.
 * @generation: counts the device's resets (freeze): a mapping made before
 *	one maps nothing after it.
 * @revoked: removal took the mappings down: no page is mapped any more.
 * @munmap_lock: guards @munmaps.
 * @munmaps: mappings whose last user is gone, for @munmap_work.
 * @munmap_work: tells the device of them (MUNMAP), never under a
 *	process's mmap lock.
 * @orphans_lock: guards @orphans and @resets.
 * @orphans: USERPTR buffers the device may still use though no session
 *	can say when it stops (a QBUF or CLOSE it did not answer): pinned
 *	until the device is reset.
 * @resets: counts the device's resets, which end every use of user memory.
 * @rs: rate limit of this device's complaints.
 */
struct vmedia {
	struct v4l2_device v4l2_dev;
	struct video_device video;
	struct virtio_device *vdev;
	struct virtqueue *cmd_vq;
	struct virtqueue *event_vq;
	u32 device_caps;
	bool guest_phys;
	char card[VIRTIO_MEDIA_CARD_SIZE + 1];
	struct mutex cmd_lock; /* one command at a time; queue setup */
	struct vreq_queue commands;
	struct mutex sessions_lock; /* sessions, session->dead */
	struct list_head sessions;
	struct vmedia_event_buf *events;
	spinlock_t event_lock; /* event queue and gone, against its callback */
	bool gone;
	struct work_struct event_work;
	struct virtio_shm_region shm;
	struct mutex map_lock; /* generation, revoked, against page faults */
	u32 generation;
	bool revoked;
	spinlock_t munmap_lock; /* munmaps */
	struct list_head munmaps;
	struct work_struct munmap_work;
	spinlock_t orphans_lock; /* orphans, resets */
	struct list_head orphans;
	unsigned int resets;
	struct ratelimit_state rs;
};

/**
 * struct vmedia_userbuf - the user memory of a USERPTR buffer, pinned
 * while the device may use it
 * @node: in vm->orphans, or in a list of buffers to unpin.
 * @nplanes: its planes (1 for the single-planar types).
 * @userptr: each plane's address, as queued.
 * @length: each plane's length, as queued.
 * @dirty: the device may have written it (capture).
 * @npages: pages in @pages.
 * @pages: the pinned pages, plane after plane.
 */
struct vmedia_userbuf {
	struct list_head node;
	unsigned int nplanes;
	unsigned long userptr[VIDEO_MAX_PLANES];
	u32 length[VIDEO_MAX_PLANES];
	bool dirty;
	unsigned int npages;
	struct page *pages[];
};

/**
 * struct vmedia_done - a buffer the device returned (EVT_DQBUF), for DQBUF
 * @node: in its queue's @done.
 * @buf: the buffer, as the device described it.
 * @planes: its planes, for the multi-planar types.
 * @user: its user memory (USERPTR), pinned until DQBUF hands it over.
 */
struct vmedia_done {
	struct list_head node;
	struct v4l2_buffer buf;
	struct v4l2_plane planes[VIDEO_MAX_PLANES];
	struct vmedia_userbuf *user;
};

/**
 * struct vmedia_queue - a session's buffers of one direction
 * @type: the buffer type they were allocated for.
 * @memory: their memory, V4L2_MEMORY_MMAP or V4L2_MEMORY_USERPTR.
 * @num_buffers: how many the device allocated.
 * @queued: the buffers the device holds: queued and not yet returned.
 * @planes: the plane count each buffer was queued with (multi-planar).
 * @user: the user memory of each USERPTR buffer the device holds.
 * @done: buffers the device returned, oldest first.
 * @streaming: between a STREAMON and a STREAMOFF the device accepted.
 */
struct vmedia_queue {
	u32 type;
	u32 memory;
	u32 num_buffers;
	DECLARE_BITMAP(queued, VIDEO_MAX_FRAME);
	u8 planes[VIDEO_MAX_FRAME];
	struct vmedia_userbuf *user[VIDEO_MAX_FRAME];
	struct list_head done;
	bool streaming;
};

/* A session's queues: capture, then output. */
#define VMEDIA_QUEUES 2

/**
 * struct vmedia_session - one open of the video node
 * @fh: the V4L2 file handle (priorities, events).
 * @vm: the device.
 * @id: the device's session id.
 * @mapping: the address space of its file, where its mappings are.
 * @node: in vm->sessions; empty once the device forgot the session (a
 *	reset on freeze).
 * @dead: the errno the session ended with: an error event's, -EIO after
 *	a reset, -ENODEV once the device is removed; 0 while it lives.
 * @queues_lock: guards @queues against the event work.
 * @queues: its buffer queues.
 * @done_wait: DQBUF and poll() wait here for returned buffers.
 */
struct vmedia_session {
	struct v4l2_fh fh;
	struct vmedia *vm;
	u32 id;
	struct address_space *mapping;
	struct list_head node;
	int dead;
	spinlock_t queues_lock; /* queues */
	struct vmedia_queue queues[VMEDIA_QUEUES];
	wait_queue_head_t done_wait;
};

static inline struct vmedia_session *vmedia_session(struct v4l2_fh *fh)
{
	return container_of(fh, struct vmedia_session, fh);
}

/* The session of an open file: the core's ioctl ops need not pass its fh. */
static inline struct vmedia_session *vmedia_file_session(struct file *file)
{
	return vmedia_session(file_to_v4l2_fh(file));
}

#define vmedia_complain(vm, fmt, ...) do {				\
	struct vmedia *__vm = (vm);					\
									\
	if (__ratelimit(&__vm->rs))					\
		dev_warn(__vm->v4l2_dev.dev, fmt, ##__VA_ARGS__);	\
} while (0)

/**
 * struct vmedia_payload - what an ioctl carries, in the order it travels
 * @arg: the ioctl's argument, in the 64-bit layout (see the Kbuild
 *	condition).
 * @size: its size, _IOC_SIZE() of the ioctl.
 * @array: the array @arg points to, which follows it both ways, or NULL.
 * @array_len: its size in bytes.
 * @sg: the scatter list of the memory @shared, for the device to read
 *	only, or NULL.
 * @sg_len: its size in bytes.
 * @shared: memory the device reaches through @sg (from
 *	vmedia_alloc_dev_writable()). The command owns it while the device
 *	may use it: after the call it is the caller's again to read and free,
 *	or NULL when a device that did not answer keeps it.
 * @error_payload: the ioctl returns its argument on error too.
 * @returned: set when the device returned the payload.
 */
struct vmedia_payload {
	void *arg;
	size_t size;
	void *array;
	size_t array_len;
	struct virtio_media_sg_entry *sg;
	size_t sg_len;
	void *shared;
	bool error_payload;
	bool returned;
};

void *vmedia_alloc_dev_writable(size_t len);
/**
 * vmedia_sg_append - describe len bytes at guest-physical addr in a list
 * @sg: the list
 * @nsg: its entries, one more when addr does not continue the last
 * @from: the first entry of the value the bytes belong to: a value starts
 *	an entry of its own, as the device reads as many entries as cover it
 * @addr: where the bytes lie
 * @len: how many
 */
static inline void vmedia_sg_append(struct virtio_media_sg_entry *sg,
				    unsigned int *nsg, unsigned int from,
				    u64 addr, u32 len)
{
	struct virtio_media_sg_entry *last = *nsg > from ? &sg[*nsg - 1] : NULL;

	if (last && le64_to_cpu(last->start) + le32_to_cpu(last->len) == addr) {
		le32_add_cpu(&last->len, len);
		return;
	}
	last = &sg[(*nsg)++];
	last->start = cpu_to_le64(addr);
	last->len = cpu_to_le32(len);
	last->reserved = 0;
}

/*
 * Whether the device may still hold what a command gave it, after the
 * command failed with err: it did not answer, or broke the protocol.
 */
static inline bool vmedia_device_may_hold(int err)
{
	return err == -ETIMEDOUT || err == -EIO;
}

int vmedia_open_session(struct vmedia *vm, struct vmedia_session *s);
int vmedia_close_session(struct vmedia *vm, struct vmedia_session *s);
int vmedia_ioctl(struct vmedia_session *s, unsigned int cmd, void *arg,
		 size_t size);
int vmedia_ioctl_payload(struct vmedia_session *s, unsigned int cmd,
			 struct vmedia_payload *p);

int vmedia_video_register(struct vmedia *vm);

int vmedia_g_ext_ctrls(struct file *file, void *fh,
		       struct v4l2_ext_controls *cs);
int vmedia_s_ext_ctrls(struct file *file, void *fh,
		       struct v4l2_ext_controls *cs);
int vmedia_try_ext_ctrls(struct file *file, void *fh,
			 struct v4l2_ext_controls *cs);
int vmedia_ctrl_initial_event(struct vmedia_session *s, u32 id);

void vmedia_queues_init(struct vmedia_session *s);
void vmedia_queues_release(struct vmedia_session *s, bool device_may_hold,
			   unsigned int resets);
void vmedia_buffer_done(struct vmedia_session *s, struct vmedia_done *done);
void vmedia_queues_end(struct vmedia_session *s);
__poll_t vmedia_queues_poll(struct vmedia_session *s, struct file *file,
			    poll_table *wait);
bool vmedia_queues_mappable(struct vmedia_session *s);
int vmedia_reqbufs(struct file *file, void *fh,
		   struct v4l2_requestbuffers *rb);
int vmedia_create_bufs(struct file *file, void *fh,
		       struct v4l2_create_buffers *cb);
int vmedia_querybuf(struct file *file, void *fh, struct v4l2_buffer *b);
int vmedia_prepare_buf(struct file *file, void *fh, struct v4l2_buffer *b);
int vmedia_qbuf(struct file *file, void *fh, struct v4l2_buffer *b);
int vmedia_dqbuf(struct file *file, void *fh, struct v4l2_buffer *b);
int vmedia_streamon(struct file *file, void *fh, enum v4l2_buf_type type);
int vmedia_streamoff(struct file *file, void *fh, enum v4l2_buf_type type);

int vmedia_map(struct vmedia_session *s, u32 flags, u32 offset,
	       u64 *driver_addr, u64 *len);
void vmedia_unmap(struct vmedia *vm, u64 driver_addr);
void vmedia_flush_events(struct vmedia *vm);

bool vmedia_userptr_allowed(struct vmedia *vm);
int vmedia_userptr_pin(struct vmedia *vm, const struct v4l2_buffer *b,
		       struct vmedia_userbuf **user,
		       struct virtio_media_sg_entry **sg, size_t *sg_len);
void vmedia_userbuf_free(struct vmedia_userbuf *ub);
void vmedia_userbufs_free(struct list_head *list);
void vmedia_userbufs_orphan(struct vmedia *vm, struct list_head *list,
			    unsigned int resets);
unsigned int vmedia_resets(struct vmedia *vm);
void vmedia_userptr_init(struct vmedia *vm);
void vmedia_userptr_reset(struct vmedia *vm);

void vmedia_mmap_init(struct vmedia *vm);
void vmedia_mmap_exit(struct vmedia *vm);
void vmedia_mmap_revoke(struct vmedia *vm, bool removed);
int vmedia_mmap(struct file *file, struct vm_area_struct *vma);

#endif /* _VIRTIO_MEDIA_H */
