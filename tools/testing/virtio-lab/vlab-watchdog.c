// SPDX-License-Identifier: GPL-2.0
/*
 * vlab-watchdog: play a virtio watchdog device until removed or told to
 * stop, reporting on stdout what the driver does and when the timer runs
 * out.
 *
 *	vlab-watchdog [--basic] [--features LIST] [--min MS] [--max MS]
 *		      [--granularity MS] [--max-pretimeout MS]
 *		      [--boot-status N] [--queue-size N]
 *
 * --basic plays the basic protocol of Cloud Hypervisor's device: no
 * feature bit, no configuration, one queue (the other options are then
 * ignored). Otherwise the device offers the bits of LIST, a comma-separated
 * list of control, pretimeout, nowayout, timeleft and boot-status, or a
 * number, or "none" (default: all but nowayout), and offers the values
 * given, in milliseconds; defaults: a timeout of 1 s to 1 h in whole
 * seconds, as the Linux watchdog core counts them, and a pretimeout of up
 * to 60 s (0 when pretimeout is not offered). Values are offered as given,
 * also when they break the rules of the specification.
 *
 * Prints "vlab-watchdog: virtioN" once the device is registered, then one
 * line per event, flushed:
 *	vlab-watchdog: negotiated control features=0x1b	(or: basic)
 *	vlab-watchdog: started timeout=T pretimeout=P	(basic: started basic)
 *	vlab-watchdog: pinged
 *	vlab-watchdog: ping while stopped
 *	vlab-watchdog: set timeout=T pretimeout=P running=R
 *	vlab-watchdog: stopped
 *	vlab-watchdog: denied stop
 *	vlab-watchdog: refused CMD: invalid		(or: unsupported)
 *	vlab-watchdog: pretimeout sent timeleft=MS
 *	vlab-watchdog: pretimeout dropped
 *	vlab-watchdog: expired after N ms without a ping
 *	vlab-watchdog: reset				(or: reset, still running)
 *	vlab-watchdog: bad chain on queue Q
 *	vlab-watchdog: paused				(and: resumed)
 * An expiry resets nothing: the line is all that happens. SIGUSR1 pauses
 * the timer as a host pausing the virtual machine would, SIGUSR2 resumes
 * it; SIGTERM or SIGINT remove the device and end.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "watchdog_model.h"

#define BIT_ULL(n) (1ULL << (n))
/* The device-specific feature bits, 0 to 23. */
#define DEVICE_FEATURES 0xffffffULL

/* One line of the report, flushed: a test waits for it. */
#define say(fmt, ...) do {						\
	printf("vlab-watchdog: " fmt "\n", ##__VA_ARGS__);		\
	fflush(stdout);							\
} while (0)

static const struct {
	const char *name;
	unsigned int bit;
} feature_names[] = {
	{ "control", VIRTIO_WATCHDOG_F_CONTROL },
	{ "pretimeout", VIRTIO_WATCHDOG_F_PRETIMEOUT },
	{ "nowayout", VIRTIO_WATCHDOG_F_NOWAYOUT },
	{ "timeleft", VIRTIO_WATCHDOG_F_TIMELEFT },
	{ "boot-status", VIRTIO_WATCHDOG_F_BOOT_STATUS },
};

static const char usage[] =
	"usage: vlab-watchdog [--basic] [--features LIST] [--min MS] [--max MS]\n"
	"                     [--granularity MS] [--max-pretimeout MS]\n"
	"                     [--boot-status N] [--queue-size N]\n"
	"LIST: comma-separated control,pretimeout,nowayout,timeleft,boot-status;\n"
	"      a number; or none\n";

/* A number that fits 32 bits into *v; false if arg is none. */
static bool parse_u32(const char *arg, uint32_t *v)
{
	unsigned long long n;
	char *end;

	errno = 0;
	n = strtoull(arg, &end, 0);
	if (errno || end == arg || *end || arg[0] == '-' || n > UINT32_MAX)
		return false;
	*v = n;
	return true;
}

static bool parse_features(const char *arg, uint64_t *features)
{
	char *list, *name, *save;
	uint32_t number;
	unsigned int i;
	bool ok = true;

	if (parse_u32(arg, &number)) {
		*features = number;
		return true;
	}
	*features = 0;
	if (!strcmp(arg, "none"))
		return true;
	list = strdup(arg);
	if (!list)
		return false;
	for (name = strtok_r(list, ",", &save); name && ok;
	     name = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < ARRAY_SIZE(feature_names); i++)
			if (!strcmp(name, feature_names[i].name))
				break;
		ok = i < ARRAY_SIZE(feature_names);
		if (ok)
			*features |= BIT_ULL(feature_names[i].bit);
	}
	free(list);
	return ok;
}

static void report(struct watchdog_model *m, const struct watchdog_note *n)
{
	const char *cmd = watchdog_cmd_name(n->cmd);

	switch (n->type) {
	case WATCHDOG_NOTE_NEGOTIATED:
		say("negotiated %s features=0x%llx", n->basic ? "basic" : "control",
		    (unsigned long long)(n->features & DEVICE_FEATURES));
		break;
	case WATCHDOG_NOTE_STARTED:
		if (n->basic)
			say("started basic");
		else
			say("started timeout=%u pretimeout=%u", n->timeout_ms,
			    n->pretimeout_ms);
		break;
	case WATCHDOG_NOTE_PINGED:
		say("pinged");
		break;
	case WATCHDOG_NOTE_PING_STOPPED:
		say("ping while stopped");
		break;
	case WATCHDOG_NOTE_STOPPED:
		say("stopped");
		break;
	case WATCHDOG_NOTE_DENIED:
		say("denied stop");
		break;
	case WATCHDOG_NOTE_TIMEOUT_SET:
		say("set timeout=%u pretimeout=%u running=%d", n->timeout_ms,
		    n->pretimeout_ms, n->running);
		break;
	case WATCHDOG_NOTE_REFUSED:
		if (cmd)
			say("refused %s: %s", cmd,
			    n->status == VIRTIO_WATCHDOG_S_INVALID ? "invalid" :
			    "unsupported");
		else
			say("refused type=%u: unsupported", n->cmd);
		break;
	case WATCHDOG_NOTE_PRETIMEOUT:
		say("pretimeout sent timeleft=%u", n->timeleft_ms);
		break;
	case WATCHDOG_NOTE_PRETIMEOUT_DROPPED:
		say("pretimeout dropped");
		break;
	case WATCHDOG_NOTE_EXPIRED:
		say("expired after %llu ms without a ping",
		    (unsigned long long)n->silence_ms);
		break;
	case WATCHDOG_NOTE_RESET:
		say("%s", n->running ? "reset, still running" : "reset");
		break;
	case WATCHDOG_NOTE_BAD_CHAIN:
		say("bad chain on queue %u", n->queue);
		break;
	}
}

/*
 * Serve until the device is gone or SIGTERM or SIGINT arrive on sig; the
 * poll waits no longer than the timer's next deadline.
 */
static int serve(struct watchdog_model *m, int sig)
{
	struct pollfd pfd[2] = {
		{ .fd = m->lab.fd, .events = POLLIN },
		{ .fd = sig, .events = POLLIN },
	};
	struct signalfd_siginfo si;
	struct vlab_event *ev;
	int err;

	for (;;) {
		if (poll(pfd, 2, watchdog_model_tick(m)) < 0)
			return -errno;
		if (pfd[1].revents && read(sig, &si, sizeof(si)) == sizeof(si)) {
			if (si.ssi_signo != SIGUSR1 && si.ssi_signo != SIGUSR2)
				return 0;
			watchdog_model_pause(m, si.ssi_signo == SIGUSR1);
			say("%s", si.ssi_signo == SIGUSR1 ? "paused" : "resumed");
		}
		if (!pfd[0].revents)
			continue;
		ev = vlab_next(&m->lab, 0);
		if (!ev && errno == ETIMEDOUT)
			continue;
		if (!ev)
			return errno == ENODEV ? 0 : -errno;
		err = watchdog_model_handle(m, ev);
		/* A reset voids a chain; a removal ends the service. */
		if (err == -ENODEV)
			return 0;
		if (err < 0 && err != -ESTALE)
			return err;
	}
}

int main(int argc, char **argv)
{
	struct watchdog_model_params p = {
		.features = BIT_ULL(VIRTIO_WATCHDOG_F_CONTROL) |
			    BIT_ULL(VIRTIO_WATCHDOG_F_PRETIMEOUT) |
			    BIT_ULL(VIRTIO_WATCHDOG_F_TIMELEFT) |
			    BIT_ULL(VIRTIO_WATCHDOG_F_BOOT_STATUS),
		.min_timeout_ms = 1000,
		.max_timeout_ms = 3600000,
		.granularity_ms = 1000,
		.max_pretimeout_ms = 60000,
		.queue_size = WATCHDOG_MODEL_QUEUE_SIZE,
	};
	bool max_pretimeout_given = false;
	struct watchdog_model m;
	struct vlab_info info;
	uint32_t value = 0, *field;
	const char *opt;
	sigset_t sigs;
	int i, sig, err;
	bool ok;

	for (i = 1; i < argc; i++) {
		opt = argv[i];
		if (!strcmp(opt, "--basic")) {
			p.basic = true;
			continue;
		}
		if (i + 1 == argc)
			break;
		field = NULL;
		if (!strcmp(opt, "--min"))
			field = &p.min_timeout_ms;
		else if (!strcmp(opt, "--max"))
			field = &p.max_timeout_ms;
		else if (!strcmp(opt, "--granularity"))
			field = &p.granularity_ms;
		else if (!strcmp(opt, "--max-pretimeout"))
			field = &p.max_pretimeout_ms;
		else if (!strcmp(opt, "--boot-status"))
			field = &p.boot_status;
		i++;
		if (!strcmp(opt, "--features")) {
			ok = parse_features(argv[i], &p.features);
		} else if (!strcmp(opt, "--queue-size")) {
			ok = parse_u32(argv[i], &value) && value <= UINT16_MAX;
			p.queue_size = value;
		} else {
			ok = field && parse_u32(argv[i], field);
		}
		if (!ok)
			break;
		max_pretimeout_given |= field == &p.max_pretimeout_ms;
	}
	if (i != argc) {
		fputs(usage, stderr);
		return 2;
	}
	/* The default follows the specification: 0 without the feature. */
	if (!max_pretimeout_given &&
	    !(p.features & BIT_ULL(VIRTIO_WATCHDOG_F_PRETIMEOUT)))
		p.max_pretimeout_ms = 0;

	/* Taken from a signalfd, so that none is lost between two polls. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGUSR1);
	sigaddset(&sigs, SIGUSR2);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	sig = signalfd(-1, &sigs, SFD_CLOEXEC);
	if (sig < 0) {
		perror("vlab-watchdog: signalfd");
		return 1;
	}

	err = watchdog_model_init(&m, &p);
	if (err) {
		fprintf(stderr, "vlab-watchdog: %s\n", strerror(-err));
		return 1;
	}
	m.notify = report;
	err = watchdog_model_start(&m);
	if (!err)
		err = vlab_info(&m.lab, &info);
	if (err) {
		fprintf(stderr, "vlab-watchdog: %s\n", strerror(-err));
		watchdog_model_destroy(&m);
		return 1;
	}
	say("%s", info.name);

	err = serve(&m, sig);
	if (err)
		fprintf(stderr, "vlab-watchdog: %s\n", strerror(-err));
	vlab_remove(&m.lab, 0);
	watchdog_model_destroy(&m);
	close(sig);
	return err ? 1 : 0;
}
