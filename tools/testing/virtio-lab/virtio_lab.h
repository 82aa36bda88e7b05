/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * Interface of the virtio lab, a test transport: a userspace process creates
 * a virtio device through /dev/virtio-lab and plays its device side, while
 * the kernel's virtio drivers bind to it as to real hardware.
 *
 * One open file creates at most one device. The process read()s events, one
 * struct vlab_event (plus data) per call, and acts with the ioctls below.
 * poll() reports POLLIN when an event is waiting and POLLHUP once the device
 * is gone. Closing the file removes the device as a surprise removal.
 */
#ifndef _VIRTIO_LAB_H
#define _VIRTIO_LAB_H

#include <linux/const.h>
#include <linux/ioctl.h>
#include <linux/types.h>

#define VLAB_MAX_QUEUES 16
#define VLAB_MAX_QUEUE_SIZE 1024
#define VLAB_MAX_CONFIG 4096
#define VLAB_MAX_SHM 4
#define VLAB_MAX_SHM_SIZE 0x40000000
/* Most driver-written bytes one chain may carry to the process. */
#define VLAB_MAX_CHAIN_OUT 0x100000
/* mmap() offset of shared memory region i: i * VLAB_SHM_MMAP_STRIDE. */
#define VLAB_SHM_MMAP_STRIDE 0x100000000ULL

/**
 * struct vlab_create - the device to create (VLAB_IOC_CREATE)
 * @device_id: virtio device ID.
 * @vendor_id: virtio vendor ID.
 * @features: feature bits the device offers. VIRTIO_F_RING_PACKED and
 *	VIRTIO_F_ACCESS_PLATFORM are refused: the lab plays split rings in
 *	kernel memory.
 * @num_queues: number of virtqueues, at most VLAB_MAX_QUEUES.
 * @config_size: bytes of configuration space, at most VLAB_MAX_CONFIG.
 * @config: user address of its initial contents.
 * @queue_size: size of each queue, a power of two up to VLAB_MAX_QUEUE_SIZE.
 * @num_shm: number of shared memory regions, at most VLAB_MAX_SHM.
 * @reserved: 0.
 * @shm_size: size of each region, a multiple of the page size up to
 *	VLAB_MAX_SHM_SIZE; region i has shmid i. Regions over 4 MiB come
 *	from the RAM given to the module with reserved_memory=SIZE@ADDR,
 *	reserved at boot: ENOSPC when it has no room for them.
 */
struct vlab_create {
	__u32 device_id;
	__u32 vendor_id;
	__u64 features;
	__u32 num_queues;
	__u32 config_size;
	__u64 config;
	__u16 queue_size[VLAB_MAX_QUEUES];
	__u32 num_shm;
	__u32 reserved;
	__u64 shm_size[VLAB_MAX_SHM];
};

/* Event types */
/* The driver wrote the status (value). */
#define VLAB_EVENT_STATUS 1
/* The driver accepted these features (value). */
#define VLAB_EVENT_FEATURES 2
/* The driver reset the device; every chain the process holds is void. */
#define VLAB_EVENT_RESET 3
/* The driver made a chain available: out_len bytes it wrote follow. */
#define VLAB_EVENT_CHAIN 4
/* The driver wrote out_len bytes of configuration at offset; they follow. */
#define VLAB_EVENT_CONFIG_WRITE 5
/* The device is gone (removed, or probe failed); no event follows. */
#define VLAB_EVENT_REMOVED 6
/*
 * The driver reset queue (VIRTIO_F_RING_RESET); the process's chains of it
 * are void. The ring may come back smaller (a resize).
 */
#define VLAB_EVENT_QUEUE_RESET 7

/**
 * struct vlab_event - one event, as read() returns it
 * @type: VLAB_EVENT_*.
 * @size: bytes of the record, this header and the data after it.
 * @value: the status or the features.
 * @queue: the queue of a chain, or the queue reset.
 * @id: the id to complete a chain with.
 * @offset: the configuration offset written.
 * @out_len: bytes of data that follow.
 * @in_len: bytes the device may write into a chain.
 * @reserved: 0.
 * @data: out_len bytes.
 */
struct vlab_event {
	__u32 type;
	__u32 size;
	__u64 value;
	__u32 queue;
	__u32 id;
	__u32 offset;
	__u32 out_len;
	__u32 in_len;
	__u32 reserved;
	__u8 data[];
};

/* Complete without interrupting the driver (raise it later, or never). */
#define VLAB_COMPLETE_NO_INTERRUPT _BITUL(0)

/**
 * struct vlab_complete - return a chain to the driver (VLAB_IOC_COMPLETE)
 * @queue: the chain's queue.
 * @id: the chain's id.
 * @used_len: the length the driver is told was written; need not be true.
 * @flags: VLAB_COMPLETE_*.
 * @data: user address of bytes to write into the device-writable part.
 * @data_len: how many; more than the writable capacity is cut.
 * @reserved: 0.
 */
struct vlab_complete {
	__u32 queue;
	__u32 id;
	__u32 used_len;
	__u32 flags;
	__u64 data;
	__u32 data_len;
	__u32 reserved;
};

/* Raise a configuration change interrupt after the write. */
#define VLAB_CONFIG_NOTIFY _BITUL(0)

/**
 * struct vlab_config - rewrite configuration space (VLAB_IOC_SET_CONFIG)
 * @offset: first byte.
 * @len: bytes; 0 with VLAB_CONFIG_NOTIFY only interrupts.
 * @data: user address of the new bytes.
 * @flags: VLAB_CONFIG_*.
 * @reserved: 0.
 */
struct vlab_config {
	__u32 offset;
	__u32 len;
	__u64 data;
	__u32 flags;
	__u32 reserved;
};

/* Break the virtqueues first, as when hardware vanishes. */
#define VLAB_REMOVE_SURPRISE _BITUL(0)

/* vlab_info.flags: registration returned, so a driver's probe is done. */
#define VLAB_INFO_REGISTERED _BITUL(0)

/**
 * struct vlab_info - the device as the kernel named it (VLAB_IOC_INFO)
 * @name: device name on the virtio bus, "virtioN".
 * @index: N.
 * @flags: VLAB_INFO_*.
 */
struct vlab_info {
	char name[32];
	__u32 index;
	__u32 flags;
};

/* Bytes of one rewrite pattern, at most. */
#define VLAB_MAX_REWRITE 64

/**
 * struct vlab_rewrite - keep writing returned buffers (VLAB_IOC_REWRITE)
 * @queue: the queue.
 * @offset: first byte, counted in the device-writable part of a chain.
 * @len: bytes, at most VLAB_MAX_REWRITE; 0 stops rewriting.
 * @reserved: 0.
 * @data: user address of 2 * @len bytes: two patterns, written in turn.
 *
 * From now on, the chain last completed on @queue keeps having these bytes
 * rewritten, the two patterns in turn, without pause, until the next
 * completion on @queue: a device that keeps writing a buffer it returned.
 * It stops at a reset of the device, at removal, or on request. For
 * drivers that keep their buffers for the life of the queues (receive
 * rings); one job per device, a new one replaces the old.
 */
struct vlab_rewrite {
	__u32 queue;
	__u32 offset;
	__u32 len;
	__u32 reserved;
	__u64 data;
};

/* vlab_memory.flags: write the bytes into guest memory, else read them. */
#define VLAB_MEMORY_WRITE _BITUL(0)

/**
 * struct vlab_memory - reach guest memory by address (VLAB_IOC_MEMORY)
 * @addr: guest-physical address, as drivers give them in scatter lists.
 * @len: bytes, at most VLAB_MAX_CHAIN_OUT.
 * @flags: VLAB_MEMORY_*.
 * @data: user address of the bytes.
 *
 * What a device with DMA can do. Only RAM the kernel has allocated is
 * reached: free pages, reserved pages (the kernel image; KFENCE's slab
 * objects are allowed) and what is not RAM are refused with EFAULT.
 */
struct vlab_memory {
	__u64 addr;
	__u32 len;
	__u32 flags;
	__u64 data;
};

#define VLAB_IOC_MAGIC 0xb7
#define VLAB_IOC_CREATE _IOW(VLAB_IOC_MAGIC, 0, struct vlab_create)
#define VLAB_IOC_COMPLETE _IOW(VLAB_IOC_MAGIC, 1, struct vlab_complete)
#define VLAB_IOC_SET_CONFIG _IOW(VLAB_IOC_MAGIC, 2, struct vlab_config)
/* Interrupt the driver for a queue (__u32), used buffers or not. */
#define VLAB_IOC_INTERRUPT _IOW(VLAB_IOC_MAGIC, 3, __u32)
/* Remove the device (__u32 VLAB_REMOVE_* flags). */
#define VLAB_IOC_REMOVE _IOW(VLAB_IOC_MAGIC, 4, __u32)
#define VLAB_IOC_INFO _IOR(VLAB_IOC_MAGIC, 5, struct vlab_info)
#define VLAB_IOC_REWRITE _IOW(VLAB_IOC_MAGIC, 6, struct vlab_rewrite)
#define VLAB_IOC_MEMORY _IOW(VLAB_IOC_MAGIC, 7, struct vlab_memory)

#endif /* _VIRTIO_LAB_H */
