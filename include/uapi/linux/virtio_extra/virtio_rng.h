/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * Do not edit directly, auto-generated from:
 *	Documentation/virtio/specs/entropy.yaml
 * by tools/virtio-spec/vspec-gen.py (uapi).
 */
/* VSPEC-GEN uapi header */

/*
 * Entropy device. The driver posts device-writable buffers; the device fills
 * each with at least one random byte and reports how many in the used length.
 * There are no feature bits and no configuration space.
 *
 * Specification: VIRTIO 1.2, section 5.4 Entropy Device
 */
#ifndef _UAPI_LINUX_VIRTIO_EXTRA_VIRTIO_RNG_H
#define _UAPI_LINUX_VIRTIO_EXTRA_VIRTIO_RNG_H

#include <linux/types.h>
#include <linux/virtio_ids.h>

#ifndef VIRTIO_ID_RNG
#define VIRTIO_ID_RNG 4
#endif

/* Virtqueue indexes */
/* requestq, device-writable buffers to fill with random bytes */
#define VIRTIO_RNG_VQ_REQUEST 0
/* Number of virtqueues the device can have */
#define VIRTIO_RNG_VQ_MAX_CNT 1

/*
 * The device ID and the layouts the specification states, the
 * distribution's included. Never called: the compiler checks them
 * wherever this header is included (a negative array size fails).
 */
static inline void virtio_rng_layout_check(void)
{
	(void)sizeof(char[VIRTIO_ID_RNG == 4 ? 1 : -1]);
}

#endif /* _UAPI_LINUX_VIRTIO_EXTRA_VIRTIO_RNG_H */
