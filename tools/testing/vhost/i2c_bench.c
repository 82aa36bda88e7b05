// SPDX-License-Identifier: GPL-2.0
/*
 * i2c-bench: transfers per second through two i2c-dev nodes, the same
 * transfers on each: a guest's adapter (i2c-virtio on vhost-i2c) and the
 * host adapter under it. A benchmark, not a test: it prints the ratio.
 *
 *	i2c-bench rdwr|smbus GUEST_NODE HOST_NODE ADDR [SECONDS]
 *
 * rdwr: I2C_RDWR, a 1-byte write then a 16-byte read (repeated START);
 * smbus: I2C_SMBUS, a byte-data read.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <linux/i2c.h>
#include <linux/i2c-dev.h>

#include "clock.h"

static int transfer(int fd, int smbus, unsigned int addr)
{
	uint8_t reg = 0, buf[16];
	struct i2c_msg msgs[2] = {
		{ .addr = addr, .len = 1, .buf = &reg },
		{ .addr = addr, .flags = I2C_M_RD, .len = sizeof(buf), .buf = buf },
	};
	struct i2c_rdwr_ioctl_data rdwr = { .msgs = msgs, .nmsgs = 2 };
	union i2c_smbus_data data;
	struct i2c_smbus_ioctl_data args = {
		.read_write = I2C_SMBUS_READ,
		.command = 0,
		.size = I2C_SMBUS_BYTE_DATA,
		.data = &data,
	};

	if (smbus)
		return ioctl(fd, I2C_SMBUS, &args);
	return ioctl(fd, I2C_RDWR, &rdwr) == 2 ? 0 : -1;
}

/* Transfers per second on node, for secs. */
static double rate(const char *node, int smbus, unsigned int addr, double secs)
{
	unsigned long n = 0;
	double start, end;
	int fd = open(node, O_RDWR);

	if (fd < 0 || ioctl(fd, I2C_SLAVE, addr)) {
		perror(node);
		exit(1);
	}
	start = now_seconds();
	end = start + secs;
	do {
		if (transfer(fd, smbus, addr)) {
			fprintf(stderr, "i2c-bench: a transfer on %s failed\n", node);
			exit(1);
		}
		n++;
	} while ((n % 16) || now_seconds() < end);
	close(fd);
	return n / (now_seconds() - start);
}

int main(int argc, char **argv)
{
	double secs = argc > 5 ? atof(argv[5]) : 3, guest, host;
	int smbus;
	unsigned int addr;

	if (argc < 5 || (strcmp(argv[1], "rdwr") && strcmp(argv[1], "smbus"))) {
		fprintf(stderr,
			"usage: i2c-bench rdwr|smbus GUEST_NODE HOST_NODE ADDR [SECONDS]\n");
		return 2;
	}
	smbus = !strcmp(argv[1], "smbus");
	addr = strtoul(argv[4], NULL, 0);
	guest = rate(argv[2], smbus, addr, secs);
	host = rate(argv[3], smbus, addr, secs);
	printf("%-5s %s: %6.0f/s through vhost-i2c, %7.0f/s on the host adapter: ratio %.2f\n",
	       argv[1], smbus ? "byte-data read  " : "write 1, read 16",
	       guest, host, guest / host);
	return 0;
}
