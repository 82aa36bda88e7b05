/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stands first on the include path (compat/Kbuild.include): the kernel's
 * linux/can/dev.h, plus what the probes found missing.
 */
#include_next <linux/can/dev.h>

#ifndef VX_COMPAT_CAN_DEV_H
#define VX_COMPAT_CAN_DEV_H

#ifdef VX_HAVE_CAN_PRIV_FD
#define vx_can_data_bittiming(priv) (&(priv)->fd.data_bittiming)
#else
/* Before the CAN FD parameters moved into can_priv.fd (after 6.12). */
#define vx_can_data_bittiming(priv) (&(priv)->data_bittiming)
#endif

#ifndef VX_HAVE_CAN_CHANGE_MTU
/*
 * The CAN core now keeps the MTU to the control mode itself and has no
 * can_change_mtu() for drivers to name: leave ndo_change_mtu unset.
 */
#define can_change_mtu NULL
#endif

#endif /* VX_COMPAT_CAN_DEV_H */
