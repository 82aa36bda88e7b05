// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the virtio lab against a driver written elsewhere: the stock
 * virtio_rng bound to the lab's entropy model. Needs virtio_lab and
 * virtio_rng loaded (run through tools/testing/vm/vm-run).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>
#include <linux/virtio_extra/virtio_rng.h>

#include "kselftest_harness.h"
#include "sysfs.h"
#include "entropy_model.h"

#define TIMEOUT_MS 10000

static int device_present(const char *name)
{
	char path[128];
	struct stat st;

	snprintf(path, sizeof(path), "/sys/bus/virtio/devices/%s", name);
	return stat(path, &st) == 0;
}

/* Poll cond for up to ms milliseconds. */
static int wait_for(int (*cond)(const char *), const char *arg, int want,
		    int ms)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };

	for (; ms > 0; ms -= 10) {
		if (!!cond(arg) == want)
			return 1;
		nanosleep(&tick, NULL);
	}
	return !!cond(arg) == want;
}

/*
 * Credit no entropy from devices registered from now on: the model's bytes
 * are a counter. The kernel's hwrng thread still reads whichever hwrng is
 * current, so the tests serve, or expect to lose, the requests it makes.
 */
static void credit_no_entropy(void)
{
	sysfs_write("/sys/module/rng_core/parameters/default_quality", "0");
}

/*
 * Answer the device's requests until the driver's probe is done. On 6.1,
 * hwrng_register() lists the hwrng, then waits for the hwrng thread, which
 * may be waiting for a request of this device: a request held before the
 * probe is done would keep the device locked against unbinding.
 */
static int serve_until_probed(struct vlab *lab)
{
	struct vlab_event *ev;
	struct vlab_info info;
	uint8_t byte = 0;
	int waited = 0, err;

	for (;;) {
		err = vlab_info(lab, &info);
		if (err || (info.flags & VLAB_INFO_REGISTERED))
			return err;
		ev = vlab_next(lab, 10);
		if (ev && ev->type == VLAB_EVENT_CHAIN)
			vlab_complete(lab, ev->queue, ev->id, &byte, 1, 1, 0);
		else if (!ev && errno != ETIMEDOUT)
			return -errno;
		waited += ev ? 0 : 10;
		if (waited > TIMEOUT_MS)
			return -ETIMEDOUT;
	}
}

/* Make this device's hwrng the one /dev/hwrng reads. */
static int select_hwrng(struct vlab *lab)
{
	struct vlab_info info;
	char avail[512], *name;
	int err, tries;

	err = vlab_info(lab, &info);
	if (err)
		return err;
	/* virtio_rng names its hwrng after an index of its own: take the last. */
	for (tries = 0; tries < 500; tries++) {
		err = sysfs_read("/sys/class/misc/hw_random/rng_available", avail,
				 sizeof(avail));
		if (err)
			return err;
		name = strstr(avail, "virtio_rng");
		if (name)
			break;
		usleep(10000);
	}
	if (!name)
		return -ENOENT;
	while (strstr(name + 1, "virtio_rng"))
		name = strstr(name + 1, "virtio_rng");
	name[strcspn(name, " ")] = 0;
	return sysfs_write("/sys/class/misc/hw_random/rng_current", name);
}

struct server {
	struct entropy_model *m;
	uint64_t max_bytes;
	int err;
};

static void *serve(void *arg)
{
	struct server *s = arg;

	s->err = entropy_model_serve(s->m, s->max_bytes, TIMEOUT_MS);
	return NULL;
}

FIXTURE(entropy) {
	struct entropy_model m;
};

FIXTURE_SETUP(entropy)
{
	credit_no_entropy();
	ASSERT_EQ(0, entropy_model_create(&self->m, ENTROPY_COUNTER));
}

FIXTURE_TEARDOWN(entropy)
{
	vlab_close(&self->m.lab);
}

/* The driver negotiates, brings the device up, and the lab reports it. */
TEST_F(entropy, negotiation)
{
	struct vlab_event *ev;
	struct vlab_info info;
	char path[128], features[128];

	ev = vlab_wait(&self->m.lab, VLAB_EVENT_FEATURES, -1, TIMEOUT_MS, NULL);
	ASSERT_NE(NULL, ev);
	EXPECT_EQ(1ULL << VIRTIO_F_VERSION_1, ev->value);
	ASSERT_EQ(0, vlab_wait_status(&self->m.lab, VIRTIO_CONFIG_S_ACKNOWLEDGE |
				      VIRTIO_CONFIG_S_DRIVER |
				      VIRTIO_CONFIG_S_FEATURES_OK |
				      VIRTIO_CONFIG_S_DRIVER_OK, TIMEOUT_MS));
	ASSERT_EQ(0, vlab_info(&self->m.lab, &info));
	snprintf(path, sizeof(path), "/sys/bus/virtio/devices/%s/features", info.name);
	ASSERT_EQ(0, sysfs_read(path, features, sizeof(features)));
	/* Bit 32, VIRTIO_F_VERSION_1, is the 33rd character. */
	ASSERT_GT(strlen(features), 32U);
	EXPECT_EQ('1', features[32]);
	snprintf(path, sizeof(path), "/sys/bus/virtio/devices/%s/driver", info.name);
	EXPECT_EQ(0, access(path, F_OK));
}

/* /dev/hwrng serves exactly the bytes the model writes, in order. */
TEST_F(entropy, bytes_reach_hwrng)
{
	struct server s = { .m = &self->m };
	uint8_t buf[4096];
	size_t got = 0, breaks = 0, i;
	pthread_t thread;
	ssize_t n;
	int fd;

	ASSERT_EQ(0, pthread_create(&thread, NULL, serve, &s));
	ASSERT_EQ(0, select_hwrng(&self->m.lab));
	fd = open("/dev/hwrng", O_RDONLY);
	ASSERT_LE(0, fd);
	while (got < sizeof(buf)) {
		n = read(fd, buf + got, sizeof(buf) - got);
		ASSERT_LT(0, n);
		got += n;
	}
	close(fd);
	vlab_remove(&self->m.lab, 0);
	pthread_join(thread, NULL);
	EXPECT_EQ(0, s.err);
	/* A counter: a break only where another reader took a request. */
	for (i = 1; i < got; i++)
		breaks += buf[i] != (uint8_t)(buf[i - 1] + 1);
	TH_LOG("%zu bytes, %zu breaks in the counter", got, breaks);
	EXPECT_LE(breaks * 16, got);
}

struct blocked_reader {
	int fd;
	ssize_t n;
	int done;
};

static void *read_hwrng(void *arg)
{
	struct blocked_reader *r = arg;
	uint8_t byte;

	r->n = read(r->fd, &byte, 1);
	__atomic_store_n(&r->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/*
 * Start a reader of /dev/hwrng in a thread of its own (the driver's read
 * waits for the device, so it must not run in the model) and return the
 * request it makes the driver post, or NULL.
 */
static struct vlab_event *start_reader(struct vlab *lab,
				       struct blocked_reader *r,
				       pthread_t *thread)
{
	r->n = -2;
	r->done = 0;
	if (serve_until_probed(lab) || select_hwrng(lab))
		return NULL;
	r->fd = open("/dev/hwrng", O_RDONLY);
	if (r->fd < 0)
		return NULL;
	if (pthread_create(thread, NULL, read_hwrng, r)) {
		close(r->fd);
		return NULL;
	}
	return vlab_wait(lab, VLAB_EVENT_CHAIN, VIRTIO_RNG_VQ_REQUEST,
			 TIMEOUT_MS, NULL);
}

/* A device that holds a request forever, then vanishes: nobody hangs. */
TEST_F(entropy, surprise_removal_with_request_held)
{
	struct blocked_reader r;
	struct vlab_event *ev;
	struct vlab_info info;
	pthread_t thread;
	int i;

	ASSERT_EQ(0, vlab_info(&self->m.lab, &info));
	/* The request the reader waits for: held, never answered. */
	ev = start_reader(&self->m.lab, &r, &thread);
	ASSERT_NE(NULL, ev);
	usleep(100000);
	EXPECT_EQ(0, __atomic_load_n(&r.done, __ATOMIC_SEQ_CST));

	ASSERT_EQ(0, vlab_remove(&self->m.lab, VLAB_REMOVE_SURPRISE));
	for (i = 0; i < 1000 && !__atomic_load_n(&r.done, __ATOMIC_SEQ_CST); i++)
		usleep(10000);
	ASSERT_EQ(1, __atomic_load_n(&r.done, __ATOMIC_SEQ_CST));
	pthread_join(thread, NULL);
	close(r.fd);
	EXPECT_FALSE(device_present(info.name));
	/* The chain held across the removal can no longer be completed. */
	EXPECT_EQ(-ENODEV, vlab_complete(&self->m.lab, 0, ev->id, NULL, 0, 0, 0));
	ASSERT_NE(NULL, vlab_wait(&self->m.lab, VLAB_EVENT_REMOVED, -1,
				  TIMEOUT_MS, NULL));
}

struct binder {
	const char *name;
	int done;
};

static void *bind_rng(void *arg)
{
	struct binder *b = arg;

	sysfs_write("/sys/bus/virtio/drivers/virtio_rng/bind", b->name);
	__atomic_store_n(&b->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/* Unbinding resets the device: chains held are void, status goes to 0. */
TEST_F(entropy, reset_voids_held_chains)
{
	struct blocked_reader r;
	struct vlab_event *ev;
	struct vlab_info info;
	struct binder binder = { .name = info.name };
	pthread_t thread;
	uint8_t byte = 0, status = 0;
	uint32_t id;
	int waited;

	ASSERT_EQ(0, vlab_info(&self->m.lab, &info));
	ev = start_reader(&self->m.lab, &r, &thread);
	ASSERT_NE(NULL, ev);
	id = ev->id;

	ASSERT_EQ(0, sysfs_write("/sys/bus/virtio/drivers/virtio_rng/unbind", info.name));
	ASSERT_NE(NULL, vlab_wait(&self->m.lab, VLAB_EVENT_RESET, -1, TIMEOUT_MS, NULL));
	EXPECT_EQ(-ESTALE, vlab_complete(&self->m.lab, 0, id, &byte, 1, 1, 0));
	pthread_join(thread, NULL);
	close(r.fd);

	/*
	 * Bound again, it comes back up. Binding can wait for the device: on
	 * 6.1 hwrng_register() reads it under the lock that the kernel's hwrng
	 * thread holds while it waits for a request. So the bind runs beside
	 * the model, which answers every request until the bind has returned
	 * and the device is up.
	 */
	ASSERT_EQ(0, pthread_create(&thread, NULL, bind_rng, &binder));
	waited = 0;
	while (!__atomic_load_n(&binder.done, __ATOMIC_SEQ_CST) ||
	       !(status & VIRTIO_CONFIG_S_DRIVER_OK)) {
		ev = vlab_next(&self->m.lab, 100);
		if (!ev) {
			ASSERT_EQ(ETIMEDOUT, errno);
			waited += 100;
			ASSERT_GT(TIMEOUT_MS, waited);
			continue;
		}
		if (ev->type == VLAB_EVENT_CHAIN)
			ASSERT_EQ(0, vlab_complete(&self->m.lab, ev->queue, ev->id,
						   &byte, 1, 1, 0));
		if (ev->type == VLAB_EVENT_STATUS)
			status = ev->value;
	}
	pthread_join(thread, NULL);
}

/* Interrupts with nothing used, and requests on queues that do not exist. */
TEST_F(entropy, spurious_and_invalid_requests)
{
	struct vlab_complete bad = { .queue = 0, .id = 0, .flags = 1U << 7 };
	uint8_t bytes[8] = { 0 };

	ASSERT_EQ(0, vlab_wait_status(&self->m.lab, VIRTIO_CONFIG_S_DRIVER_OK, TIMEOUT_MS));
	EXPECT_EQ(0, vlab_interrupt(&self->m.lab, VIRTIO_RNG_VQ_REQUEST));
	EXPECT_EQ(0, vlab_interrupt(&self->m.lab, VIRTIO_RNG_VQ_REQUEST));
	EXPECT_EQ(-EINVAL, vlab_interrupt(&self->m.lab, 5));
	EXPECT_EQ(-EINVAL, vlab_complete(&self->m.lab, 5, 0, NULL, 0, 0, 0));
	EXPECT_EQ(-ESTALE, vlab_complete(&self->m.lab, 0, 63, NULL, 0, 0, 0));
	EXPECT_EQ(-EINVAL, ioctl(self->m.lab.fd, VLAB_IOC_COMPLETE, &bad) ? -errno : 0);
	EXPECT_EQ(-EINVAL, vlab_set_config(&self->m.lab, 0, bytes, 1, 0));
	EXPECT_EQ(-ENOTTY, ioctl(self->m.lab.fd, _IO(VLAB_IOC_MAGIC, 99)) ? -errno : 0);
}

/* The process that plays the device dies: the device goes away cleanly. */
TEST(process_death)
{
	struct entropy_model m;
	struct vlab_info info;
	int pipefd[2], status;
	pid_t child;

	ASSERT_EQ(0, pipe(pipefd));
	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		if (entropy_model_create(&m, ENTROPY_CRNG) || vlab_info(&m.lab, &info))
			_exit(1);
		write(pipefd[1], &info, sizeof(info));
		entropy_model_serve(&m, 0, -1);
		_exit(0);
	}
	ASSERT_EQ((ssize_t)sizeof(info), read(pipefd[0], &info, sizeof(info)));
	ASSERT_TRUE(wait_for(device_present, info.name, 1, TIMEOUT_MS));
	kill(child, SIGKILL);
	ASSERT_EQ(child, waitpid(child, &status, 0));
	EXPECT_TRUE(wait_for(device_present, info.name, 0, TIMEOUT_MS));
}

/* What the lab cannot play is refused precisely. */
TEST(create_refusals)
{
	struct vlab_create c = {
		.device_id = VIRTIO_ID_RNG,
		.num_queues = 1,
		.queue_size = { 64 },
	};
	struct vlab lab;

	ASSERT_EQ(0, vlab_open(&lab));
	c.features = 1ULL << VIRTIO_F_RING_PACKED;
	EXPECT_EQ(-EOPNOTSUPP, vlab_create(&lab, &c));
	c.features = 0;
	c.queue_size[0] = 100;
	EXPECT_EQ(-EINVAL, vlab_create(&lab, &c));
	c.queue_size[0] = 64;
	c.num_queues = VLAB_MAX_QUEUES + 1;
	EXPECT_EQ(-EINVAL, vlab_create(&lab, &c));
	c.num_queues = 1;
	c.config_size = VLAB_MAX_CONFIG + 1;
	EXPECT_EQ(-EINVAL, vlab_create(&lab, &c));
	c.config_size = 0;
	c.num_shm = 1;
	c.shm_size[0] = 1000;
	EXPECT_EQ(-EINVAL, vlab_create(&lab, &c));
	c.num_shm = 0;
	EXPECT_EQ(-ENODEV, vlab_interrupt(&lab, 0));
	EXPECT_EQ(0, vlab_create(&lab, &c));
	EXPECT_EQ(-EBUSY, vlab_create(&lab, &c));
	vlab_close(&lab);
}

/* Rewrite jobs the lab cannot run are refused; stopping none is no error. */
TEST(rewrite_refusals)
{
	struct vlab_create c = {
		.device_id = 0xfff0,	/* no driver binds to it */
		.num_queues = 1,
		.queue_size = { 64 },
	};
	uint8_t patterns[2 * (VLAB_MAX_REWRITE + 1)] = { 0 };
	struct vlab lab;

	ASSERT_EQ(0, vlab_open(&lab));
	ASSERT_EQ(0, vlab_create(&lab, &c));
	EXPECT_EQ(-EINVAL, vlab_rewrite(&lab, 1, 0, patterns, 4));
	EXPECT_EQ(-EINVAL, vlab_rewrite(&lab, 0, 0, patterns, VLAB_MAX_REWRITE + 1));
	EXPECT_EQ(-EFAULT, vlab_rewrite(&lab, 0, 0, (void *)8, 4));
	EXPECT_EQ(0, vlab_rewrite(&lab, 0, 0, NULL, 0));
	EXPECT_EQ(0, vlab_rewrite(&lab, 0, 0, patterns, VLAB_MAX_REWRITE));
	EXPECT_EQ(0, vlab_rewrite(&lab, 0, 0, NULL, 0));
	vlab_close(&lab);
}

/* Where the kernel's code lies in physical memory, from /proc/iomem. */
static uint64_t kernel_code_address(void)
{
	unsigned long long start = 0, end;
	char line[256];
	FILE *f = fopen("/proc/iomem", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, ": Kernel code") &&
		    sscanf(line, " %llx-%llx", &start, &end) == 2)
			break;
	fclose(f);
	return start;
}

/*
 * Guest memory is reached only where the kernel allocated RAM: the
 * kernel image, device memory and addresses beyond RAM are refused.
 */
TEST(memory_refusals)
{
	struct vlab_create c = {
		.device_id = 0xfff0,	/* no driver binds to it */
	};
	uint64_t code = kernel_code_address();
	uint8_t buf[64] = { 0 };
	struct vlab lab;

	ASSERT_NE((uint64_t)0, code);
	ASSERT_EQ(0, vlab_open(&lab));
	ASSERT_EQ(0, vlab_create(&lab, &c));
	EXPECT_EQ(-EFAULT, vlab_memory_write(&lab, code, buf, sizeof(buf)));
	EXPECT_EQ(-EFAULT, vlab_memory_read(&lab, code, buf, sizeof(buf)));
	/* the local APIC's registers, and far beyond RAM */
	EXPECT_EQ(-EFAULT, vlab_memory_read(&lab, 0xfee00000, buf, sizeof(buf)));
	EXPECT_EQ(-EFAULT, vlab_memory_read(&lab, 1ULL << 50, buf, sizeof(buf)));
	EXPECT_EQ(-EINVAL, vlab_memory_read(&lab, code, buf, 0));
	EXPECT_EQ(-EINVAL, vlab_memory_read(&lab, code, buf, VLAB_MAX_CHAIN_OUT + 1));
	EXPECT_EQ(-EINVAL, vlab_memory_read(&lab, UINT64_MAX - 8, buf, sizeof(buf)));
	vlab_close(&lab);
}

/* Shared memory regions are mapped into the process. */
TEST(shared_memory)
{
	struct vlab_create c = {
		.device_id = 0xfff0,	/* no driver binds to it */
		.num_shm = 2,
		.shm_size = { 4096, 65536 },
	};
	struct vlab lab;
	uint8_t *p;

	ASSERT_EQ(0, vlab_open(&lab));
	ASSERT_EQ(0, vlab_create(&lab, &c));
	p = vlab_map_shm(&lab, 1, 65536);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(0, p[65535]);
	p[65535] = 0x5a;
	EXPECT_EQ(0x5a, p[65535]);
	munmap(p, 65536);
	EXPECT_EQ(NULL, vlab_map_shm(&lab, 2, 4096));
	EXPECT_EQ(NULL, vlab_map_shm(&lab, 0, 8192));
	vlab_close(&lab);
}

/* More than half of the 64 MiB vm-run reserves for regions over 4 MiB. */
#define RESERVED_REGION (40ULL << 20)

/* The index of the first byte of p that is not 0, or size. */
static uint64_t first_nonzero(const uint8_t *p, uint64_t size)
{
	uint64_t i;

	for (i = 0; i < size && !p[i]; i++)
		;
	return i;
}

/*
 * Regions over 4 MiB come from the RAM reserved at boot: zeroed for each
 * device, held until the last mapping goes, and ENOSPC when the reserve
 * has no room.
 */
TEST(reserved_shared_memory)
{
	struct vlab_create c = {
		.device_id = 0xfff0,	/* no driver binds to it */
		.num_shm = 1,
		.shm_size = { RESERVED_REGION },
	};
	struct vlab first, second;
	uint8_t *p;

	ASSERT_EQ(0, vlab_open(&first));
	ASSERT_EQ(0, vlab_open(&second));
	ASSERT_EQ(0, vlab_create(&first, &c));
	p = vlab_map_shm(&first, 0, RESERVED_REGION);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(RESERVED_REGION, first_nonzero(p, RESERVED_REGION));
	memset(p, 0xa5, RESERVED_REGION);
	EXPECT_EQ(-ENOSPC, vlab_create(&second, &c));
	vlab_close(&first);
	/* the device is gone, its region is still mapped */
	EXPECT_EQ(-ENOSPC, vlab_create(&second, &c));
	EXPECT_EQ(0xa5, p[RESERVED_REGION - 1]);
	munmap(p, RESERVED_REGION);

	ASSERT_EQ(0, vlab_create(&second, &c));
	p = vlab_map_shm(&second, 0, RESERVED_REGION);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(RESERVED_REGION, first_nonzero(p, RESERVED_REGION));
	munmap(p, RESERVED_REGION);
	vlab_close(&second);

	c.shm_size[0] = VLAB_MAX_SHM_SIZE;
	ASSERT_EQ(0, vlab_open(&first));
	EXPECT_EQ(-ENOSPC, vlab_create(&first, &c));
	c.shm_size[0] = VLAB_MAX_SHM_SIZE + 4096;
	EXPECT_EQ(-EINVAL, vlab_create(&first, &c));
	vlab_close(&first);
}

TEST_HARNESS_MAIN
