// SPDX-License-Identifier: GPL-2.0
/*
 * vhost-rng-bench: entropy throughput of vhost-rng through vhost-vdpa,
 * against its peers in the same run: reading /dev/urandom, and a userspace
 * device (user_rng.c) serving the same ring from another process the way
 * vhost-user daemons do. A benchmark, not a test: it prints ratios.
 *
 *	vhost-rng-bench /dev/vhost-vdpa-N [SECONDS]
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>

#include "bench_stats.h"
#include "clock.h"
#include "user_rng.h"
#include "vdpa_driver.h"

#define RING 256
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The guest's side: keep every ring entry busy with a size-byte request,
 * take completions in batches, kick once per batch. Bytes per second.
 */
static double drive(struct vd_mem *mem, struct vd_ring *r, size_t size,
		    double secs)
{
	double start, end;
	unsigned long long bytes = 0;
	uint32_t id, len;
	unsigned int i;

	for (i = 0; i < r->num; i++) {
		vd_desc(r, i, mem->iova + VD_RING_AREA + i * size, size,
			VRING_DESC_F_WRITE, 0);
		vd_publish(r, i);
	}
	vd_kick(r);
	start = now_seconds();
	end = start + secs;
	while (now_seconds() < end) {
		if (vd_wait_used(r, &id, &len, 1000) != 1) {
			fprintf(stderr, "vhost-rng-bench: no answer from the device\n");
			exit(1);
		}
		do {
			bytes += len;
			vd_publish(r, id);
		} while (vd_wait_used(r, &id, &len, 0) == 1);
		vd_kick(r);
	}
	return bytes / (now_seconds() - start);
}

static double bench_vhost(const char *path, size_t size, double secs)
{
	struct vd_dev d;
	double rate;

	if (vd_open(&d, path) ||
	    vd_start(&d, (1ull << VIRTIO_F_VERSION_1) |
		     (1ull << VIRTIO_F_ACCESS_PLATFORM), RING)) {
		fprintf(stderr, "vhost-rng-bench: cannot start %s\n", path);
		exit(1);
	}
	rate = drive(&d.mem, &d.ring, size, secs);
	vd_close(&d);
	return rate;
}

static double bench_user(size_t size, double secs)
{
	struct vd_ring ring = { .kick_fd = -1, .call_fd = -1 };
	struct vd_mem mem;
	double rate;
	pid_t pid;

	if (vd_mem_init(&mem, VD_MEM_SIZE, VD_IOVA_BASE) ||
	    vd_ring_init(&ring, &mem, RING))
		exit(1);
	pid = fork();
	if (pid == 0)
		user_rng_serve(&mem, &ring);
	rate = drive(&mem, &ring, size, secs);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	vd_ring_free(&ring);
	vd_mem_free(&mem);
	return rate;
}

static double bench_urandom(size_t size, double secs)
{
	unsigned long long bytes = 0;
	double start = now_seconds(), end = start + secs;
	char buf[4096];
	int fd = open("/dev/urandom", O_RDONLY);

	if (fd < 0)
		exit(1);
	while (now_seconds() < end) {
		ssize_t n = read(fd, buf, size);

		if (n <= 0)
			exit(1);
		bytes += n;
	}
	close(fd);
	return bytes / (now_seconds() - start);
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 64, 4096 };
	double secs = argc > 2 ? atof(argv[2]) : 3;
	unsigned int i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s /dev/vhost-vdpa-N [SECONDS]\n", argv[0]);
		return 2;
	}
	bench_poll_setup();
	printf("%-8s %14s %14s %14s %16s %16s\n", "request", "vhost-rng MB/s",
	       "urandom MB/s", "userspace MB/s", "vhost/urandom", "vhost/userspace");
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		double vhost = bench_vhost(argv[1], sizes[i], secs);
		double urandom = bench_urandom(sizes[i], secs);
		double user = bench_user(sizes[i], secs);

		printf("%-8zu %14.2f %14.2f %14.2f %16.3f %16.3f\n", sizes[i],
		       vhost / 1e6, urandom / 1e6, user / 1e6, vhost / urandom,
		       vhost / user);
	}
	return 0;
}
