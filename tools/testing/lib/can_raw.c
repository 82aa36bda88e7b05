// SPDX-License-Identifier: GPL-2.0
/*
 * can_raw: see can_raw.h.
 */
#include <net/if.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/can.h>
#include <linux/can/raw.h>

#include "can_raw.h"

int can_raw_open(const char *ifname, int flags, int rcvbuf)
{
	struct sockaddr_can addr = {
		.can_family = AF_CAN,
		.can_ifindex = if_nametoindex(ifname),
	};
	int one = 1, sock;

	if (!addr.can_ifindex)
		return -1;
	sock = socket(PF_CAN, SOCK_RAW | flags, CAN_RAW);
	if (sock < 0)
		return -1;
	if (setsockopt(sock, SOL_CAN_RAW, CAN_RAW_FD_FRAMES, &one, sizeof(one)) ||
	    (rcvbuf && setsockopt(sock, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
				  sizeof(rcvbuf))) ||
	    bind(sock, (struct sockaddr *)&addr, sizeof(addr))) {
		close(sock);
		return -1;
	}
	return sock;
}
