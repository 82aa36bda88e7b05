/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The state file of the lab's RPMB device (rpmb_state.c), for the model.
 */
#ifndef RPMB_STATE_H
#define RPMB_STATE_H

#include "rpmb_model.h"

/*
 * Load m->params.state_path into m (key, counter, data area). A missing
 * file is a fresh device, saved at once. -EBADMSG: not a state file or
 * damaged; -EINVAL: the state of a device of another capacity.
 */
int rpmb_state_load(struct rpmb_model *m);

/*
 * Save the state with key (NULL: none programmed), counter, and the data
 * area with n blocks from addr on taken from frames. The file is replaced
 * whole: a crash leaves the old state or the new, never a mix.
 */
int rpmb_state_save(const struct rpmb_model *m, const uint8_t *key,
		    uint32_t counter, uint32_t addr,
		    const struct virtio_rpmb_frame *frames, uint32_t n);

#endif /* RPMB_STATE_H */
