// SPDX-License-Identifier: GPL-2.0
/*
 * vlab-rpmb: play a virtio RPMB device until removed or told to stop.
 *
 *	vlab-rpmb [--state FILE] [--capacity N] [--max-wr N] [--max-rd N]
 *
 * The key, the write counter and the data persist in FILE, saved after each
 * change (without --state, in memory only). --capacity counts 128 KiB
 * (default 1), --max-wr and --max-rd count 256-byte blocks per request
 * (defaults 2, as an eMMC with one reliable-write sector, and 0, no limit).
 * Prints the device's name when it is registered; SIGTERM or SIGINT remove
 * the device and end.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>

#include "rpmb_model.h"

/* A number 0..255, or -1. */
static int parse_u8(const char *arg)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(arg, &end, 0);
	return errno || end == arg || *end || v > 255 ? -1 : (int)v;
}

static uint8_t *number_option(struct rpmb_model_params *p, const char *name)
{
	if (!strcmp(name, "--capacity"))
		return &p->capacity;
	if (!strcmp(name, "--max-wr"))
		return &p->max_wr_cnt;
	if (!strcmp(name, "--max-rd"))
		return &p->max_rd_cnt;
	return NULL;
}

static const char *state_error(int err)
{
	if (err == -EBADMSG)
		return "not a vlab-rpmb state file, or damaged";
	if (err == -EINVAL)
		return "the state of a device of another --capacity";
	return strerror(-err);
}

/* Serve until the device is gone or a signal arrives on sig. */
static int serve(struct rpmb_model *m, int sig)
{
	struct pollfd pfd[2] = {
		{ .fd = m->lab.fd, .events = POLLIN },
		{ .fd = sig, .events = POLLIN },
	};
	int err;

	for (;;) {
		if (poll(pfd, 2, -1) < 0)
			return -errno;
		if (pfd[1].revents)
			return 0;
		/* What is queued; -ETIMEDOUT once nothing is. */
		err = rpmb_model_serve(m, 0);
		if (err != -ETIMEDOUT)
			return err;
	}
}

int main(int argc, char **argv)
{
	struct rpmb_model_params p = { .capacity = 1, .max_wr_cnt = 2 };
	struct rpmb_model m;
	struct vlab_info info;
	sigset_t stop;
	int i, value, sig, err;
	uint8_t *field;

	for (i = 1; i + 1 < argc; i += 2) {
		field = number_option(&p, argv[i]);
		value = parse_u8(argv[i + 1]);
		if (!strcmp(argv[i], "--state"))
			p.state_path = argv[i + 1];
		else if (field && value >= 0)
			*field = value;
		else
			break;
	}
	if (i != argc) {
		fprintf(stderr,
			"usage: vlab-rpmb [--state FILE] [--capacity N] [--max-wr N] [--max-rd N]\n");
		return 2;
	}

	/* Taken from a signalfd, so that none is lost between two polls. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigprocmask(SIG_BLOCK, &stop, NULL);
	sig = signalfd(-1, &stop, SFD_CLOEXEC);
	if (sig < 0) {
		perror("vlab-rpmb: signalfd");
		return 1;
	}

	err = rpmb_model_init(&m, &p);
	if (err && p.state_path) {
		fprintf(stderr, "vlab-rpmb: %s: %s\n", p.state_path, state_error(err));
		return 1;
	}
	if (!err)
		err = rpmb_model_start(&m);
	if (!err)
		err = vlab_info(&m.lab, &info);
	if (err) {
		fprintf(stderr, "vlab-rpmb: %s\n", strerror(-err));
		rpmb_model_destroy(&m);
		return 1;
	}
	printf("vlab-rpmb: %s\n", info.name);
	fflush(stdout);

	err = serve(&m, sig);
	if (err)
		fprintf(stderr, "vlab-rpmb: %s\n", strerror(-err));
	/* Every change is saved already: an orderly removal is all that is left. */
	vlab_remove(&m.lab, 0);
	rpmb_model_destroy(&m);
	return err ? 1 : 0;
}
