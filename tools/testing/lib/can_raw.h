/* SPDX-License-Identifier: GPL-2.0 */
/*
 * can_raw: the raw CAN sockets the tests and tools put on an interface.
 */
#ifndef CAN_RAW_H
#define CAN_RAW_H

/*
 * A raw CAN socket bound to ifname that also takes CAN FD frames; flags
 * are added to its type (SOCK_NONBLOCK, SOCK_CLOEXEC), and a receive
 * buffer of rcvbuf bytes is forced unless it is 0. -1 on failure.
 */
int can_raw_open(const char *ifname, int flags, int rcvbuf);

#endif /* CAN_RAW_H */
