// SPDX-License-Identifier: GPL-2.0
/*
 * The state file of the lab's RPMB device: its key, write counter and data
 * area, kept across device re-creation as a device's flash keeps them.
 */
#define _GNU_SOURCE		/* mkostemp() */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rpmb_state.h"

#define RPMB_BLOCK VIRTIO_RPMB_BLOCK_SIZE

#define RPMB_STATE_MAGIC "VLABRPMB"
#define RPMB_STATE_VERSION 1

/* The state file: this header, little-endian, then the data area. */
struct rpmb_state_header {
	char magic[8];
	uint32_t version;
	uint32_t capacity;
	uint32_t write_counter;
	uint8_t key_programmed;
	uint8_t reserved[3];
	uint8_t key[VIRTIO_RPMB_KEY_SIZE];
};

static size_t rpmb_area_size(const struct rpmb_model *m)
{
	return (size_t)m->blocks * RPMB_BLOCK;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		len -= n;
	}
	return 0;
}

/* Exactly len bytes: a file that ends before is not a whole state. */
static int read_all(int fd, void *buf, size_t len)
{
	uint8_t *p = buf;
	ssize_t n;

	while (len) {
		n = read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EBADMSG;
		p += n;
		len -= n;
	}
	return 0;
}

static const uint8_t zeros[VIRTIO_RPMB_KEY_SIZE];

/* The header of a state with this key (NULL: none) and counter. */
static void rpmb_state_fill(const struct rpmb_model *m,
			    struct rpmb_state_header *hdr, const uint8_t *key,
			    uint32_t counter)
{
	memset(hdr, 0, sizeof(*hdr));
	memcpy(hdr->magic, RPMB_STATE_MAGIC, sizeof(hdr->magic));
	hdr->version = htole32(RPMB_STATE_VERSION);
	hdr->capacity = htole32(m->params.capacity);
	hdr->write_counter = htole32(counter);
	if (key) {
		hdr->key_programmed = 1;
		memcpy(hdr->key, key, sizeof(hdr->key));
	}
}

/*
 * -EBADMSG unless hdr is a state this model wrote, -EINVAL if of a device
 * of another capacity.
 */
static int rpmb_state_check(const struct rpmb_model *m,
			    const struct rpmb_state_header *hdr)
{
	if (memcmp(hdr->magic, RPMB_STATE_MAGIC, sizeof(hdr->magic)) ||
	    le32toh(hdr->version) != RPMB_STATE_VERSION ||
	    hdr->key_programmed > 1 ||
	    memcmp(hdr->reserved, zeros, sizeof(hdr->reserved)))
		return -EBADMSG;
	/* Without a key nothing was written. */
	if (!hdr->key_programmed &&
	    (hdr->write_counter || memcmp(hdr->key, zeros, sizeof(hdr->key))))
		return -EBADMSG;
	if (le32toh(hdr->capacity) != m->params.capacity)
		return -EINVAL;
	return 0;
}

/*
 * Write the state: hdr, then the data area with the n blocks from addr on
 * taken from frames. It goes to a new file that then replaces the old one,
 * so a crash leaves the old state or the new, never a mix.
 */
static int rpmb_state_write(const struct rpmb_model *m,
			    const struct rpmb_state_header *hdr, uint32_t addr,
			   const struct virtio_rpmb_frame *frames, uint32_t n)
{
	size_t size = rpmb_area_size(m), first = (size_t)addr * RPMB_BLOCK;
	size_t end = first + (size_t)n * RPMB_BLOCK;
	char *tmp, *dir;
	uint32_t i;
	int fd, err;

	if (asprintf(&tmp, "%s.XXXXXX", m->params.state_path) < 0)
		return -ENOMEM;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		free(tmp);
		return err;
	}
	err = write_all(fd, hdr, sizeof(*hdr));
	if (!err)
		err = write_all(fd, m->data, first);
	for (i = 0; !err && i < n; i++)
		err = write_all(fd, frames[i].data, RPMB_BLOCK);
	if (!err)
		err = write_all(fd, m->data + end, size - end);
	if (!err && fsync(fd))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, m->params.state_path))
		err = -errno;
	if (err)
		unlink(tmp);
	free(tmp);
	if (err)
		return err;

	/*
	 * The new state stands. Syncing the directory makes the rename
	 * survive a crash of the host too; where that fails, nothing is undone.
	 */
	dir = strdup(m->params.state_path);
	if (dir) {
		fd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0) {
			fsync(fd);
			close(fd);
		}
		free(dir);
	}
	return 0;
}

int rpmb_state_load(struct rpmb_model *m)
{
	size_t size = rpmb_area_size(m);
	struct rpmb_state_header hdr;
	struct stat st;
	int fd, err;

	fd = open(m->params.state_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		/* A fresh device; saved now, so a bad path fails here. */
		rpmb_state_fill(m, &hdr, NULL, 0);
		return rpmb_state_write(m, &hdr, 0, NULL, 0);
	}
	if (fd < 0)
		return -errno;
	err = read_all(fd, &hdr, sizeof(hdr));
	if (!err)
		err = rpmb_state_check(m, &hdr);
	if (!err && fstat(fd, &st))
		err = -errno;
	if (!err && st.st_size != (off_t)(sizeof(hdr) + size))
		err = -EBADMSG;
	if (!err)
		err = read_all(fd, m->data, size);
	close(fd);
	if (err)
		return err;
	m->key_programmed = hdr.key_programmed;
	memcpy(m->key, hdr.key, sizeof(m->key));
	m->write_counter = le32toh(hdr.write_counter);
	return 0;
}

int rpmb_state_save(const struct rpmb_model *m, const uint8_t *key,
		    uint32_t counter, uint32_t addr,
		    const struct virtio_rpmb_frame *frames, uint32_t n)
{
	struct rpmb_state_header hdr;

	rpmb_state_fill(m, &hdr, key, counter);
	return rpmb_state_write(m, &hdr, addr, frames, n);
}
