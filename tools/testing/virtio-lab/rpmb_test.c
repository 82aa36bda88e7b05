// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_rpmb through /dev/vrpmbN, against the lab's RPMB device played in
 * a thread of this process: the operations mmc-utils does, the MMC ioctl
 * sequences it and tee-supplicant use, the requests the driver refuses, a
 * device that lies or never answers, concurrent users, removal, sleep and
 * unloading. Needs virtio_lab and virtio_rpmb loaded (run-tests does).
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/mmc/ioctl.h>

#include "clock.h"
#include "klog.h"
#include "kselftest_harness.h"
#include "sysfs.h"
#include "rpmb_model.h"

#define MMC_READ_SINGLE_BLOCK 17
#define MMC_READ_MULTIPLE_BLOCK 18
#define MMC_WRITE_MULTIPLE_BLOCK 25
#define MMC_SEND_EXT_CSD 8
#define RELIABLE_WRITE 0x80000000U	/* write_flag: CMD23's reliable write bit */
#define FRAME_SIZE RPMB_FRAME_SIZE
#define MAX_WR 4
#define MAX_RD 8
#define TIMEOUT_PARAM "/sys/module/virtio_rpmb/parameters/timeout_ms"

static const uint8_t key[VIRTIO_RPMB_KEY_SIZE] = "virtio-extra rpmb_test key 0123";
static const uint8_t wrong_key[VIRTIO_RPMB_KEY_SIZE] = "not the key of this rpmb device";

/* The device, played by a thread while the test calls the driver. */
struct rpmb_dut {
	struct rpmb_model m;
	pthread_mutex_t lock;	/* the model: its thread, and the test */
	pthread_t thread;
	bool running;
	bool stop;
	char vdev[32];
	char dev[48];
	int fd;
};

static void *serve_thread(void *arg)
{
	struct rpmb_dut *dut = arg;
	struct pollfd pfd = { .fd = dut->m.lab.fd, .events = POLLIN };
	int err;

	while (!__atomic_load_n(&dut->stop, __ATOMIC_ACQUIRE)) {
		pthread_mutex_lock(&dut->lock);
		/* What is queued; -ETIMEDOUT once nothing is, 0 once removed. */
		err = rpmb_model_serve(&dut->m, 0);
		pthread_mutex_unlock(&dut->lock);
		if (err != -ETIMEDOUT)
			break;
		poll(&pfd, 1, 20);
	}
	return NULL;
}

/* Whether the driver made /dev/vrpmbN for the device yet. */
static bool find_dev(struct rpmb_dut *dut)
{
	char path[96], name[32];

	snprintf(path, sizeof(path), "/sys/bus/virtio/devices/%s/misc", dut->vdev);
	if (!sysfs_first_entry(path, name, sizeof(name)))
		return false;
	snprintf(dut->dev, sizeof(dut->dev), "/dev/%s", name);
	return true;
}

/* Create a device with these parameters and serve it; 0 or -errno. */
static int dut_start(struct rpmb_dut *dut, uint8_t capacity)
{
	struct rpmb_model_params p = {
		.capacity = capacity, .max_wr_cnt = MAX_WR, .max_rd_cnt = MAX_RD,
	};
	struct vlab_info info;
	int err;

	dut->fd = -1;
	pthread_mutex_init(&dut->lock, NULL);
	err = rpmb_model_create(&dut->m, &p);
	if (err)
		return err;
	err = vlab_info(&dut->m.lab, &info);
	if (err)
		return err;
	snprintf(dut->vdev, sizeof(dut->vdev), "%s", info.name);
	dut->stop = false;
	err = -pthread_create(&dut->thread, NULL, serve_thread, dut);
	dut->running = !err;
	return err;
}

/*
 * Wait for /dev/vrpmbN and open it; 0 or -errno. Its sysfs entry comes
 * before its node in /dev: ENOENT is waited out too.
 */
static int dut_open(struct rpmb_dut *dut)
{
	long long end = now_ms() + 10000;

	for (;;) {
		if (find_dev(dut)) {
			dut->fd = open(dut->dev, O_RDWR);
			if (dut->fd >= 0)
				return 0;
			if (errno != ENOENT)
				return -errno;
		}
		if (now_ms() > end)
			return -ETIMEDOUT;
		usleep(10000);
	}
}

static void dut_stop(struct rpmb_dut *dut)
{
	if (dut->fd >= 0)
		close(dut->fd);
	dut->fd = -1;
	if (dut->running) {
		__atomic_store_n(&dut->stop, true, __ATOMIC_RELEASE);
		pthread_join(dut->thread, NULL);
		dut->running = false;
	}
	rpmb_model_destroy(&dut->m);
}

/* Change the model while its thread is between events. */
#define WITH_MODEL(dut, stmt) do {				\
	struct rpmb_dut *__dut = (dut);				\
								\
	pthread_mutex_lock(&__dut->lock);			\
	stmt;							\
	pthread_mutex_unlock(&__dut->lock);			\
} while (0)

/* A counter of the model, at this offset in it. */
static unsigned long model_count(struct rpmb_dut *dut, size_t offset)
{
	unsigned long v;

	WITH_MODEL(dut, v = *(unsigned long *)((char *)&dut->m + offset));
	return v;
}

#define COUNT(dut, field) model_count(dut, offsetof(struct rpmb_model, field))

/* One MMC command carrying n frames. */
static struct mmc_ioc_cmd mmc_cmd(unsigned int opcode, bool write, struct virtio_rpmb_frame *frames,
				  unsigned int n)
{
	struct mmc_ioc_cmd ic = {
		.opcode = opcode,
		.write_flag = write ? 1 | (opcode == MMC_WRITE_MULTIPLE_BLOCK &&
					   n > 1 ? RELIABLE_WRITE : 0) : 0,
		.blksz = FRAME_SIZE,
		.blocks = n,
		.flags = 0x1b5,	/* R1 response, as mmc-utils sets it */
	};

	mmc_ioc_cmd_set_data(ic, frames);
	return ic;
}

/* MMC_IOC_MULTI_CMD with n commands; 0 or -errno. */
static int mmc_multi(int fd, const struct mmc_ioc_cmd *cmds, unsigned int n)
{
	struct mmc_ioc_multi_cmd *mc;
	int ret;

	mc = calloc(1, sizeof(*mc) + n * sizeof(*cmds));
	if (!mc)
		return -ENOMEM;
	mc->num_of_cmds = n;
	memcpy(mc->cmds, cmds, n * sizeof(*cmds));
	ret = ioctl(fd, MMC_IOC_MULTI_CMD, mc) ? -errno : 0;
	free(mc);
	return ret;
}

static struct virtio_rpmb_frame request(uint16_t type, uint16_t address, uint16_t count)
{
	struct virtio_rpmb_frame f = { 0 };

	f.req_resp = htobe16(type);
	f.address = htobe16(address);
	f.block_count = htobe16(count);
	return f;
}

static void fill_nonce(struct virtio_rpmb_frame *f, unsigned int seed)
{
	unsigned int i;

	for (i = 0; i < sizeof(f->nonce); i++)
		f->nonce[i] = (uint8_t)(seed * 31 + i);
}

/* The response's MAC is the one key makes over its frames. */
static bool mac_ok(const uint8_t *k, const struct virtio_rpmb_frame *resp, unsigned int n)
{
	uint8_t mac[VIRTIO_RPMB_KEY_SIZE];

	return !rpmb_mac(k, resp, n, mac) &&
	       !memcmp(mac, resp[n - 1].key_mac, sizeof(mac));
}

/* A request and its n response frames, as one MULTI_CMD; 0 or -errno. */
static int transact(int fd, struct virtio_rpmb_frame *req,
		    struct virtio_rpmb_frame *resp, unsigned int n)
{
	struct mmc_ioc_cmd cmds[2] = {
		mmc_cmd(MMC_WRITE_MULTIPLE_BLOCK, true, req, 1),
		mmc_cmd(MMC_READ_MULTIPLE_BLOCK, false, resp, n),
	};

	return mmc_multi(fd, cmds, 2);
}

/* The write counter, its response checked; the RPMB result, or -errno. */
static int read_counter(int fd, uint32_t *counter)
{
	struct virtio_rpmb_frame req = request(VIRTIO_RPMB_REQ_GET_WRITE_COUNTER, 0, 0), resp;
	int err;

	fill_nonce(&req, 7);
	err = transact(fd, &req, &resp, 1);
	if (err)
		return err;
	if (memcmp(resp.nonce, req.nonce, sizeof(req.nonce)) ||
	    !mac_ok(key, &resp, 1))
		return -EBADMSG;
	*counter = be32toh(resp.write_counter);
	return be16toh(resp.result);
}

/* Program the key; the RPMB result, or -errno. */
static int program_key(int fd, const uint8_t *k)
{
	struct virtio_rpmb_frame req = request(VIRTIO_RPMB_REQ_PROGRAM_KEY, 0, 1), result, resp;
	struct mmc_ioc_cmd cmds[3];
	int err;

	memcpy(req.key_mac, k, VIRTIO_RPMB_KEY_SIZE);
	result = request(VIRTIO_RPMB_REQ_RESULT_READ, 0, 0);
	cmds[0] = mmc_cmd(MMC_WRITE_MULTIPLE_BLOCK, true, &req, 1);
	cmds[1] = mmc_cmd(MMC_WRITE_MULTIPLE_BLOCK, true, &result, 1);
	cmds[2] = mmc_cmd(MMC_READ_MULTIPLE_BLOCK, false, &resp, 1);
	err = mmc_multi(fd, cmds, 3);
	return err ?: be16toh(resp.result);
}

/* Build n signed write frames of byte c at address with counter. */
static void write_frames(struct virtio_rpmb_frame *frames, unsigned int n, uint16_t address,
			 uint32_t counter, uint8_t c, const uint8_t *k)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		frames[i] = request(VIRTIO_RPMB_REQ_DATA_WRITE, address, n);
		frames[i].write_counter = htobe32(counter);
		memset(frames[i].data, c, sizeof(frames[i].data));
	}
	rpmb_mac(k, frames, n, frames[n - 1].key_mac);
}

/* A write at this counter of n blocks of byte c, with its result; the result or -errno. */
static int write_at(int fd, uint16_t address, unsigned int n, uint8_t c,
		    const uint8_t *k, uint32_t counter)
{
	struct virtio_rpmb_frame frames[MAX_WR + 1], result, resp;
	struct mmc_ioc_cmd cmds[3];
	int err;

	write_frames(frames, n, address, counter, c, k);
	result = request(VIRTIO_RPMB_REQ_RESULT_READ, 0, 0);
	cmds[0] = mmc_cmd(MMC_WRITE_MULTIPLE_BLOCK, true, frames, n);
	cmds[1] = mmc_cmd(MMC_WRITE_MULTIPLE_BLOCK, true, &result, 1);
	cmds[2] = mmc_cmd(MMC_READ_MULTIPLE_BLOCK, false, &resp, 1);
	err = mmc_multi(fd, cmds, 3);
	if (err)
		return err;
	if (be16toh(resp.result) == VIRTIO_RPMB_RES_OK &&
	    (be32toh(resp.write_counter) != counter + 1 || !mac_ok(key, &resp, 1)))
		return -EBADMSG;
	return be16toh(resp.result);
}

/* An authenticated write at the current counter; the result or -errno. */
static int write_blocks(int fd, uint16_t address, unsigned int n, uint8_t c,
			const uint8_t *k)
{
	uint32_t counter;
	int err;

	err = read_counter(fd, &counter);
	if (err)
		return err < 0 ? err : -EPROTO;
	return write_at(fd, address, n, c, k, counter);
}

/* An authenticated read of n blocks into resp; the result or -errno. */
static int read_blocks(int fd, uint16_t address, unsigned int n, struct virtio_rpmb_frame *resp)
{
	struct virtio_rpmb_frame req = request(VIRTIO_RPMB_REQ_DATA_READ, address, 0);
	int err;

	fill_nonce(&req, address);
	err = transact(fd, &req, resp, n);
	if (err)
		return err;
	if (be16toh(resp[n - 1].result) == VIRTIO_RPMB_RES_OK && !mac_ok(key, resp, n))
		return -EBADMSG;
	return be16toh(resp[n - 1].result);
}

/* Every block of resp holds byte c. */
static bool blocks_hold(const struct virtio_rpmb_frame *resp, unsigned int n, uint8_t c)
{
	unsigned int i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < sizeof(resp[i].data); j++)
			if (resp[i].data[j] != c)
				return false;
	return true;
}

static struct klog_mark log_mark;

/* Did the kernel log say this since the test's last mark? */
static bool logged(const char *text)
{
	return klog_since(&log_mark, text);
}

FIXTURE(rpmb) {
	struct rpmb_dut dut;
	char timeout[16];
};

FIXTURE_SETUP(rpmb)
{
	struct rpmb_dut *dut = &self->dut;

	ASSERT_EQ(0, sysfs_read(TIMEOUT_PARAM, self->timeout, sizeof(self->timeout)));
	ASSERT_EQ(0, klog_mark(&log_mark, "rpmb_test"));
	ASSERT_EQ(0, system("sysctl -qw kernel.printk_ratelimit=0"));
	ASSERT_EQ(0, dut_start(dut, 1));
	ASSERT_EQ(0, dut_open(dut));
	ASSERT_EQ(VIRTIO_RPMB_RES_OK, program_key(dut->fd, key));
}

FIXTURE_TEARDOWN(rpmb)
{
	sysfs_write(TIMEOUT_PARAM, self->timeout);
	dut_stop(&self->dut);
	/* A removal or a driver error must not have warned. */
	EXPECT_FALSE(logged("WARNING:"));
	EXPECT_FALSE(logged("BUG:"));
}

/* Key, counter, write and read: the counter goes up by one per write. */
TEST_F(rpmb, write_and_read_back)
{
	struct rpmb_dut *dut = &self->dut;
	struct virtio_rpmb_frame resp[MAX_RD];
	uint32_t counter;

	ASSERT_EQ(VIRTIO_RPMB_RES_OK, read_counter(dut->fd, &counter));
	EXPECT_EQ(0U, counter);
	ASSERT_EQ(VIRTIO_RPMB_RES_OK, write_blocks(dut->fd, 8, MAX_WR, 0x5a, key));
	ASSERT_EQ(VIRTIO_RPMB_RES_OK, read_counter(dut->fd, &counter));
	EXPECT_EQ(1U, counter);
	ASSERT_EQ(VIRTIO_RPMB_RES_OK, read_blocks(dut->fd, 8, MAX_WR, resp));
	EXPECT_TRUE(blocks_hold(resp, MAX_WR, 0x5a));
	EXPECT_EQ((uint16_t)MAX_WR, be16toh(resp[0].block_count));
	EXPECT_EQ(0UL, COUNT(dut, bad_chains));
}

/* The device's refusals reach the caller as RPMB results. */
TEST_F(rpmb, device_results_reach_the_caller)
{
	struct rpmb_dut *dut = &self->dut;
	struct virtio_rpmb_frame resp[MAX_RD];
	uint32_t counter;

	EXPECT_EQ(VIRTIO_RPMB_RES_WRITE_FAILURE, program_key(dut->fd, wrong_key));
	EXPECT_EQ(VIRTIO_RPMB_RES_AUTH_FAILURE, write_blocks(dut->fd, 0, 1, 1, wrong_key));
	EXPECT_EQ(VIRTIO_RPMB_RES_ADDR_FAILURE, write_blocks(dut->fd, 512, 1, 1, key));
	EXPECT_EQ(VIRTIO_RPMB_RES_ADDR_FAILURE, read_blocks(dut->fd, 510, 4, resp));
	ASSERT_EQ(VIRTIO_RPMB_RES_OK, read_counter(dut->fd, &counter));
	EXPECT_EQ(0U, counter);
	EXPECT_EQ(0UL, COUNT(dut, writes));
}

/* The driver refuses what is not an RPMB operation of this device. */
TEST_F(rpmb, refusals)
{
	struct rpmb_dut *dut = &self->dut;
	struct virtio_rpmb_frame frames[MAX_RD + 1] = { 0 }, resp[MAX_RD + 1];
	struct mmc_ioc_cmd cmd;
	struct mmc_ioc_multi_cmd *mc;
	unsigned long chains = COUNT(dut, chains);

	/* Not a transfer: EOPNOTSUPP. */
	cmd = mmc_cmd(MMC_SEND_EXT_CSD, false, frames, 1);
	EXPECT_EQ(-1, ioctl(dut->fd, MMC_IOC_CMD, &cmd));
	EXPECT_EQ(EOPNOTSUPP, errno);
	EXPECT_TRUE(logged("MMC command 8 is not an RPMB transfer"));
	/* Transfers of other than 512-byte blocks: EINVAL. */
	frames[0] = request(VIRTIO_RPMB_REQ_GET_WRITE_COUNTER, 0, 1);
	cmd = mmc_cmd(MMC_WRITE_MULTIPLE_BLOCK, true, frames, 1);
	cmd.blksz = 256;
	EXPECT_EQ(-1, ioctl(dut->fd, MMC_IOC_CMD, &cmd));
	EXPECT_EQ(EINVAL, errno);
	/* A read with no request before it. */
	cmd = mmc_cmd(MMC_READ_MULTIPLE_BLOCK, false, resp, 1);
	EXPECT_EQ(-1, ioctl(dut->fd, MMC_IOC_CMD, &cmd));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_TRUE(logged("with no request before it"));
	/* Not a request type. */
	frames[0] = request(0x0042, 0, 1);
	EXPECT_EQ(-EINVAL, transact(dut->fd, frames, resp, 1));
	/* Over the device's limits. */
	write_frames(frames, MAX_WR + 1, 0, 0, 1, key);
	cmd = mmc_cmd(MMC_WRITE_MULTIPLE_BLOCK, true, frames, MAX_WR + 1);
	EXPECT_EQ(-1, ioctl(dut->fd, MMC_IOC_CMD, &cmd));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_TRUE(logged("the device writes at most 4"));
	EXPECT_EQ(-EINVAL, read_blocks(dut->fd, 0, MAX_RD + 1, resp));
	EXPECT_TRUE(logged("the device reads at most 8"));
	/* More commands than MMC_IOC_MULTI_CMD takes. */
	mc = calloc(1, sizeof(*mc) + (MMC_IOC_MAX_CMDS + 1) * sizeof(cmd));
	ASSERT_NE(NULL, mc);
	mc->num_of_cmds = MMC_IOC_MAX_CMDS + 1;
	EXPECT_EQ(-1, ioctl(dut->fd, MMC_IOC_MULTI_CMD, mc));
	EXPECT_EQ(EINVAL, errno);
	free(mc);
	/* Not an MMC ioctl. */
	EXPECT_EQ(-1, ioctl(dut->fd, _IO('R', 0x42)));
	EXPECT_EQ(ENOTTY, errno);
	/* Bad user memory. */
	cmd = mmc_cmd(MMC_WRITE_MULTIPLE_BLOCK, true, NULL, 1);
	EXPECT_EQ(-1, ioctl(dut->fd, MMC_IOC_CMD, &cmd));
	EXPECT_EQ(EFAULT, errno);
	/* None of it reached the device, and it still works. */
	EXPECT_EQ(chains, COUNT(dut, chains));
	EXPECT_EQ(VIRTIO_RPMB_RES_OK, write_blocks(dut->fd, 0, 1, 1, key));
}

/* A sequence split over MMC_IOC_CMD calls, as tee-supplicant may issue it. */
TEST_F(rpmb, sequence_split_over_calls)
{
	struct rpmb_dut *dut = &self->dut;
	struct virtio_rpmb_frame req = request(VIRTIO_RPMB_REQ_GET_WRITE_COUNTER, 0, 0);
	struct virtio_rpmb_frame result = request(VIRTIO_RPMB_REQ_RESULT_READ, 0, 0);
	struct virtio_rpmb_frame frames[2], resp[MAX_WR];
	struct mmc_ioc_cmd cmd;

	/* The request waits in the file for the read. */
	fill_nonce(&req, 3);
	cmd = mmc_cmd(MMC_WRITE_MULTIPLE_BLOCK, true, &req, 1);
	ASSERT_EQ(0, ioctl(dut->fd, MMC_IOC_CMD, &cmd));
	EXPECT_EQ(0x900U, cmd.response[0]);
	cmd = mmc_cmd(MMC_READ_SINGLE_BLOCK, false, resp, 1);
	ASSERT_EQ(0, ioctl(dut->fd, MMC_IOC_CMD, &cmd));
	EXPECT_EQ(0, memcmp(resp[0].nonce, req.nonce, sizeof(req.nonce)));
	EXPECT_EQ(VIRTIO_RPMB_RESP_GET_WRITE_COUNTER, be16toh(resp[0].req_resp));

	/* A write goes at the end of its call; its result is read in the next. */
	write_frames(frames, 2, 4, be32toh(resp[0].write_counter), 0x33, key);
	cmd = mmc_cmd(MMC_WRITE_MULTIPLE_BLOCK, true, frames, 2);
	ASSERT_EQ(0, ioctl(dut->fd, MMC_IOC_CMD, &cmd));
	EXPECT_EQ(1UL, COUNT(dut, writes));
	cmd = mmc_cmd(MMC_WRITE_MULTIPLE_BLOCK, true, &result, 1);
	ASSERT_EQ(0, ioctl(dut->fd, MMC_IOC_CMD, &cmd));
	cmd = mmc_cmd(MMC_READ_MULTIPLE_BLOCK, false, resp, 1);
	ASSERT_EQ(0, ioctl(dut->fd, MMC_IOC_CMD, &cmd));
	EXPECT_EQ(VIRTIO_RPMB_RESP_DATA_WRITE, be16toh(resp[0].req_resp));
	EXPECT_EQ(VIRTIO_RPMB_RES_OK, be16toh(resp[0].result));
	ASSERT_EQ(VIRTIO_RPMB_RES_OK, read_blocks(dut->fd, 4, 2, resp));
	EXPECT_TRUE(blocks_hold(resp, 2, 0x33));
	EXPECT_EQ(0UL, COUNT(dut, bad_chains));
}

/* A lie of the device, and what the driver logs about it. */
struct lie {
	const char *what;
	enum rpmb_fault fault;
	const char *message;
};

static const struct lie lies[] = {
	{ "short", RPMB_FAULT_SHORT, "answered with" },
	{ "oversized", RPMB_FAULT_OVERSIZED, "answered with" },
	{ "wrong type", RPMB_FAULT_WRONG_TYPE, "answered with response" },
	{ "bad result", RPMB_FAULT_BAD_RESULT, "answered with undefined result" },
	{ "wrong address", RPMB_FAULT_WRONG_ADDRESS, "for address 8 answered for" },
	{ "wrong nonce", RPMB_FAULT_WRONG_NONCE, "answered without its nonce" },
	{ "wrong count", RPMB_FAULT_WRONG_COUNT, "answered with block count" },
	{ "fewer frames", RPMB_FAULT_FEWER_FRAMES, "answered with" },
};

/* Every lie: EIO, nothing copied to the caller, and service after it. */
TEST_F(rpmb, lying_device)
{
	struct rpmb_dut *dut = &self->dut;
	struct virtio_rpmb_frame resp[MAX_RD];
	unsigned int i;

	ASSERT_EQ(VIRTIO_RPMB_RES_OK, write_blocks(dut->fd, 8, 2, 0x77, key));
	for (i = 0; i < ARRAY_SIZE(lies); i++) {
		TH_LOG("lie: %s", lies[i].what);
		ASSERT_EQ(0, klog_mark(&log_mark, "rpmb_test"));
		WITH_MODEL(dut, rpmb_model_set_fault(&dut->m, lies[i].fault, 1));
		memset(resp, 0xee, sizeof(resp));
		EXPECT_EQ(-EIO, read_blocks(dut->fd, 8, 2, resp));
		EXPECT_TRUE(blocks_hold(resp, 2, 0xee));
		EXPECT_EQ(0xeeee, resp[0].req_resp);
		EXPECT_TRUE(logged(lies[i].message));
		memset(resp, 0xee, sizeof(resp));
		EXPECT_EQ(VIRTIO_RPMB_RES_OK, read_blocks(dut->fd, 8, 2, resp));
		EXPECT_TRUE(blocks_hold(resp, 2, 0x77));
	}
	WITH_MODEL(dut, rpmb_model_set_fault(&dut->m, RPMB_FAULT_NONE, 0));
	EXPECT_EQ(VIRTIO_RPMB_RES_OK, write_blocks(dut->fd, 8, 1, 0x78, key));
}

/* A lie about a write: the caller learns it failed. */
TEST_F(rpmb, lying_about_a_write)
{
	struct rpmb_dut *dut = &self->dut;
	uint32_t counter;

	WITH_MODEL(dut, rpmb_model_set_fault(&dut->m, RPMB_FAULT_WRONG_ADDRESS, 1));
	EXPECT_EQ(-EIO, write_at(dut->fd, 8, 1, 0x11, key, 0));
	EXPECT_TRUE(logged("request 0x0003 for address 8 answered for 9"));
	/* Done but lied about: the caller reads the counter to know. */
	WITH_MODEL(dut, rpmb_model_set_fault(&dut->m, RPMB_FAULT_NONE, 0));
	ASSERT_EQ(VIRTIO_RPMB_RES_OK, read_counter(dut->fd, &counter));
	EXPECT_EQ(1U, counter);
}

/* A device that stops answering: ETIMEDOUT, then EIO until it answers. */
TEST_F(rpmb, silent_device)
{
	struct rpmb_dut *dut = &self->dut;
	uint32_t counter;

	ASSERT_EQ(0, sysfs_write(TIMEOUT_PARAM, "300"));
	WITH_MODEL(dut, rpmb_model_set_fault(&dut->m, RPMB_FAULT_SILENT, 1));
	EXPECT_EQ(-ETIMEDOUT, read_counter(dut->fd, &counter));
	EXPECT_TRUE(logged("did not answer request 0x0002 in 300 ms"));
	/* The device still holds the request's buffers: nothing more goes. */
	EXPECT_EQ(-EIO, read_counter(dut->fd, &counter));
	EXPECT_TRUE(logged("device still holds a request it never answered"));
	/* Late, the answer; then normal service. */
	WITH_MODEL(dut, EXPECT_EQ(0, rpmb_model_release_held(&dut->m)));
	usleep(100000);
	EXPECT_EQ(VIRTIO_RPMB_RES_OK, read_counter(dut->fd, &counter));
	EXPECT_EQ(VIRTIO_RPMB_RES_OK, write_blocks(dut->fd, 0, 1, 2, key));
}

struct waiter {
	int fd;
	int err;
	uint32_t counter;
};

static void *wait_counter(void *arg)
{
	struct waiter *w = arg;

	w->err = read_counter(w->fd, &w->counter);
	return NULL;
}

/* Removed while a request is outstanding: ENODEV, and for the file after. */
TEST_F(rpmb, removal_with_request_outstanding)
{
	struct rpmb_dut *dut = &self->dut;
	struct waiter w = { .fd = dut->fd, .err = 1 };
	pthread_t t;
	uint32_t counter;

	WITH_MODEL(dut, rpmb_model_set_fault(&dut->m, RPMB_FAULT_SILENT, 1));
	ASSERT_EQ(0, pthread_create(&t, NULL, wait_counter, &w));
	while (!COUNT(dut, chains) || COUNT(dut, chains) < 2)
		usleep(10000);
	WITH_MODEL(dut, EXPECT_EQ(0, vlab_remove(&dut->m.lab, VLAB_REMOVE_SURPRISE)));
	pthread_join(t, NULL);
	EXPECT_EQ(-ENODEV, w.err);
	EXPECT_EQ(-ENODEV, read_counter(dut->fd, &counter));
	EXPECT_EQ(-1, access(dut->dev, F_OK));
}

/* Routes frames through the kernel's RPMB subsystem (vx_test_rpmb). */
struct subsystem_call {
	int fd;
	int err;
};

static void *route_counter_request(void *arg)
{
	struct subsystem_call *c = arg;
	struct virtio_rpmb_frame req = request(VIRTIO_RPMB_REQ_GET_WRITE_COUNTER, 0, 0);

	c->err = write(c->fd, &req, sizeof(req)) == sizeof(req) ? 0 : -errno;
	return NULL;
}

/*
 * A user of the kernel's RPMB subsystem (OP-TEE is one) keeps the RPMB
 * device and calls it while the virtio device is removed, and after: the
 * call in flight and the ones after get ENODEV, and nothing is used after
 * it is freed (no file of the driver's is open to keep its state alive).
 */
TEST_F(rpmb, subsystem_user_during_removal)
{
	struct rpmb_dut *dut = &self->dut;
	struct subsystem_call c = { .err = 1 };
	unsigned long chains;
	pthread_t t;

	if (system("modprobe -q vx_test_rpmb"))
		SKIP(return, "no RPMB subsystem in this kernel");
	c.fd = open("/dev/vx-test-rpmb", O_RDWR);
	ASSERT_LE(0, c.fd) TH_LOG("the RPMB subsystem has no device: %s", strerror(errno));
	close(dut->fd);
	dut->fd = -1;
	chains = COUNT(dut, chains);
	WITH_MODEL(dut, rpmb_model_set_fault(&dut->m, RPMB_FAULT_SILENT, 1));
	ASSERT_EQ(0, pthread_create(&t, NULL, route_counter_request, &c));
	while (COUNT(dut, chains) == chains)
		usleep(10000);
	WITH_MODEL(dut, EXPECT_EQ(0, vlab_remove(&dut->m.lab, VLAB_REMOVE_SURPRISE)));
	pthread_join(t, NULL);
	EXPECT_EQ(-ENODEV, c.err);
	route_counter_request(&c);
	EXPECT_EQ(-ENODEV, c.err);
	close(c.fd);
}

/* Removed in order while the file stays open, then closed. */
TEST_F(rpmb, removal_with_file_open)
{
	struct rpmb_dut *dut = &self->dut;
	uint32_t counter;

	WITH_MODEL(dut, EXPECT_EQ(0, vlab_remove(&dut->m.lab, 0)));
	EXPECT_EQ(-ENODEV, read_counter(dut->fd, &counter));
	EXPECT_EQ(-ENODEV, write_blocks(dut->fd, 0, 1, 1, key));
}

struct user {
	int fd;
	unsigned int index;
	int writes;
	int failures;
};

/*
 * Write own blocks and read them back; a lost race for the counter is
 * retried, as RPMB users do.
 */
static void *concurrent_user(void *arg)
{
	struct user *u = arg;
	struct virtio_rpmb_frame resp[2];
	uint16_t address = 16 * u->index;
	int i, res;

	for (i = 0; i < 12; i++) {
		do
			res = write_blocks(u->fd, address, 2, u->index * 16 + i, key);
		while (res == VIRTIO_RPMB_RES_COUNT_FAILURE);
		if (res) {
			u->failures++;
			continue;
		}
		u->writes++;
		if (read_blocks(u->fd, address, 2, resp) ||
		    !blocks_hold(resp, 2, u->index * 16 + i))
			u->failures++;
	}
	return NULL;
}

/* Users of one device, each on its file: no frames of one in another's chain. */
TEST_F(rpmb, concurrent_users)
{
	struct rpmb_dut *dut = &self->dut;
	struct user users[4];
	pthread_t t[4];
	uint32_t counter;
	int i, writes = 0;

	for (i = 0; i < 4; i++) {
		users[i] = (struct user){ .fd = open(dut->dev, O_RDWR), .index = i };
		ASSERT_LE(0, users[i].fd);
		ASSERT_EQ(0, pthread_create(&t[i], NULL, concurrent_user, &users[i]));
	}
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		close(users[i].fd);
		EXPECT_EQ(0, users[i].failures);
		writes += users[i].writes;
	}
	EXPECT_EQ(48, writes);
	EXPECT_EQ(0UL, COUNT(dut, bad_chains));
	ASSERT_EQ(VIRTIO_RPMB_RES_OK, read_counter(dut->fd, &counter));
	EXPECT_EQ(48U, counter);
}

/* Frozen, the device is refused; restored, it serves again. */
TEST_F(rpmb, freeze_and_restore)
{
	struct rpmb_dut *dut = &self->dut;
	char path[96];
	uint32_t counter;

	snprintf(path, sizeof(path), "/sys/bus/virtio/devices/%s/lab_sleep", dut->vdev);
	ASSERT_EQ(VIRTIO_RPMB_RES_OK, write_blocks(dut->fd, 0, 1, 9, key));
	ASSERT_EQ(0, sysfs_write(path, "freeze"));
	EXPECT_EQ(-EBUSY, read_counter(dut->fd, &counter));
	ASSERT_EQ(0, sysfs_write(path, "restore"));
	ASSERT_EQ(VIRTIO_RPMB_RES_OK, read_counter(dut->fd, &counter));
	EXPECT_EQ(1U, counter);
	/* Frozen with an unanswered request held: it is freed, service resumes. */
	ASSERT_EQ(0, sysfs_write(TIMEOUT_PARAM, "200"));
	WITH_MODEL(dut, rpmb_model_set_fault(&dut->m, RPMB_FAULT_SILENT, 1));
	EXPECT_EQ(-ETIMEDOUT, read_counter(dut->fd, &counter));
	ASSERT_EQ(0, sysfs_write(path, "freeze"));
	ASSERT_EQ(0, sysfs_write(path, "restore"));
	EXPECT_EQ(VIRTIO_RPMB_RES_OK, write_blocks(dut->fd, 0, 1, 10, key));
}

/* The module cannot go while a file is open. */
TEST_F(rpmb, unload_while_open)
{
	struct rpmb_dut *dut = &self->dut;
	uint32_t counter;

	EXPECT_EQ(-1, syscall(SYS_delete_module, "virtio_rpmb", O_NONBLOCK));
	EXPECT_EQ(EWOULDBLOCK, errno);
	EXPECT_EQ(VIRTIO_RPMB_RES_OK, read_counter(dut->fd, &counter));
}

/* Capacities the specification does not allow: no device node. */
TEST(capacity_out_of_range)
{
	static const uint8_t capacities[] = { 0, VIRTIO_RPMB_CAPACITY_MAX + 1 };
	struct rpmb_dut dut;
	unsigned int i;

	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, klog_mark(&log_mark, "rpmb_test"));
		ASSERT_EQ(0, dut_start(&dut, capacities[i]));
		usleep(200000);
		EXPECT_FALSE(find_dev(&dut));
		EXPECT_TRUE(logged("the specification allows 1 to 128"));
		dut_stop(&dut);
	}
}

TEST_HARNESS_MAIN
