// SPDX-License-Identifier: GPL-2.0
/*
 * virtio_param: values as the device encodes them and as sysfs shows them.
 *
 * Text is what cat and echo carry: integers in decimal, booleans 0 and 1,
 * vectors space-separated, strings as they are. Floats are converted here
 * in integer arithmetic, as the kernel does not use the FPU: shown with the
 * fewest significant digits, 6 to 9, that read back as the same binary32,
 * and parsed to the nearest binary32 (within one unit in the last place).
 * Sample rates are in hertz, to the millihertz the device counts.
 */
#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "virtio_param.h"

/* Significant digits of a binary32: 6 always survive, 9 always identify it. */
#define VPARAM_FLOAT_MIN_DIGITS	6
#define VPARAM_FLOAT_MAX_DIGITS	9

static const struct {
	u32 type;
	const char *name;
	unsigned int elem;	/* element size; 0 for strings and bytes */
	bool vector;
} vparam_types[] = {
	{ VIRTIO_PARAM_TYPE_STRING, "string", 0, false },
	{ VIRTIO_PARAM_TYPE_BOOLEAN, "boolean", 4, false },
	{ VIRTIO_PARAM_TYPE_INT32, "int32", 4, false },
	{ VIRTIO_PARAM_TYPE_INT32_VEC, "int32_vec", 4, true },
	{ VIRTIO_PARAM_TYPE_INT64, "int64", 8, false },
	{ VIRTIO_PARAM_TYPE_INT64_VEC, "int64_vec", 8, true },
	{ VIRTIO_PARAM_TYPE_FLOAT, "float", 4, false },
	{ VIRTIO_PARAM_TYPE_FLOAT_VEC, "float_vec", 4, true },
	{ VIRTIO_PARAM_TYPE_BYTES, "bytes", 0, true },
};

static int vparam_type_index(u32 type)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vparam_types); i++)
		if (vparam_types[i].type == type)
			return i;
	return -1;
}

/**
 * vparam_type_name - the name sysfs shows for a value type
 * @type: VIRTIO_PARAM_TYPE_*
 *
 * Return: the name, or NULL for a type this driver does not know.
 */
const char *vparam_type_name(u32 type)
{
	int i = vparam_type_index(type);

	return i < 0 ? NULL : vparam_types[i].name;
}

/**
 * vparam_elem_size - the size of a type's elements
 * @type: VIRTIO_PARAM_TYPE_*, one this driver knows
 *
 * Return: 4 or 8; 0 for strings and bytes.
 */
unsigned int vparam_elem_size(u32 type)
{
	return vparam_types[vparam_type_index(type)].elem;
}

static bool vparam_is_float(u32 type)
{
	return type == VIRTIO_PARAM_TYPE_FLOAT || type == VIRTIO_PARAM_TYPE_FLOAT_VEC;
}

static u32 vparam_le32(const u8 *p)
{
	__le32 v;

	memcpy(&v, p, sizeof(v));
	return le32_to_cpu(v);
}

static u64 vparam_le64(const u8 *p)
{
	__le64 v;

	memcpy(&v, p, sizeof(v));
	return le64_to_cpu(v);
}

/* An element as a signed 64-bit number (floats: their bits). */
static s64 vparam_elem(u32 type, const u8 *p)
{
	if (vparam_elem_size(type) == 8)
		return (s64)vparam_le64(p);
	return vparam_is_float(type) ? vparam_le32(p) : (s32)vparam_le32(p);
}

/**
 * vparam_value_len_ok - whether data are a value of a type
 * @type: VIRTIO_PARAM_TYPE_*
 * @len: their length, at most VPARAM_MAX_VALUE
 * @data: the data
 *
 * Return: true for a length the type allows, a string terminated by its
 * only NUL, a boolean 0 or 1.
 */
bool vparam_value_len_ok(u32 type, unsigned int len, const u8 *data)
{
	int i = vparam_type_index(type);

	if (i < 0 || len > VPARAM_MAX_VALUE)
		return false;
	if (type == VIRTIO_PARAM_TYPE_STRING)
		return len && !data[len - 1] && !memchr(data, 0, len - 1);
	if (type == VIRTIO_PARAM_TYPE_BOOLEAN)
		return len == 4 && vparam_le32(data) <= 1;
	if (!vparam_types[i].elem)
		return true;
	if (vparam_types[i].vector)
		return !(len % vparam_types[i].elem);
	return len == vparam_types[i].elem;
}

/* A binary32 as text, %g-like: 'precision' significant digits, no trailing zeros. */
static int vparam_format_float_digits(u32 bits, int precision, char *buf, size_t size)
{
	static const char *const special[] = { "inf", "-inf", "nan", "0", "-0" };
	bool neg = bits >> 31;
	int exp = (bits >> 23) & 0xff, e, d = 0, ndigits, x;
	u64 m = bits & 0x7fffff, p;
	char digits[24];

	if (exp == 0xff)
		return scnprintf(buf, size, "%s", special[m ? 2 : neg]);
	if (!exp && !m)
		return scnprintf(buf, size, "%s", special[3 + neg]);
	if (exp) {
		m |= 0x800000;
		e = exp - 150;
	} else {
		e = -149;
	}
	/* m * 2^e as m * 10^d, keeping some 60 bits of m */
	while (e > 0) {
		if (m < BIT_ULL(62)) {
			m <<= 1;
			e--;
		} else {
			m = div_u64(m + 5, 10);
			d++;
		}
	}
	while (e < 0) {
		if (m < U64_MAX / 10) {
			m *= 10;
			d--;
		} else {
			m = (m + 1) >> 1;
			e++;
		}
	}
	/* rounded once to the digits shown */
	ndigits = snprintf(digits, sizeof(digits), "%llu", m);
	if (ndigits > precision) {
		for (p = 1, x = ndigits - precision; x; x--)
			p *= 10;
		m = div64_u64(m + p / 2, p);
		d += ndigits - precision;
	}
	while (m && !(m % 10)) {
		m = div_u64(m, 10);
		d++;
	}
	ndigits = snprintf(digits, sizeof(digits), "%llu", m);
	x = ndigits - 1 + d;		/* the power of ten of the first digit */
	if (x < -5 || x >= precision)
		return scnprintf(buf, size, "%s%c%s%se%c%02d", neg ? "-" : "", digits[0],
				 ndigits > 1 ? "." : "", digits + 1, x < 0 ? '-' : '+', abs(x));
	if (d >= 0)
		return scnprintf(buf, size, "%s%s%.*s", neg ? "-" : "", digits, d, "00000000");
	if (ndigits + d > 0)
		return scnprintf(buf, size, "%s%.*s.%s", neg ? "-" : "", ndigits + d, digits,
				 digits + ndigits + d);
	return scnprintf(buf, size, "%s0.%.*s%s", neg ? "-" : "", -(ndigits + d), "00000", digits);
}

/* m * 2^e rounded to even at bit 'shift', returning the new m. */
static u64 vparam_round_shift(u64 m, unsigned int shift)
{
	u64 rem, half;

	if (!shift)
		return m;
	if (shift > 63)
		return 0;
	rem = m & (BIT_ULL(shift) - 1);
	half = BIT_ULL(shift - 1);
	m >>= shift;
	if (rem > half || (rem == half && (m & 1)))
		m++;
	return m;
}

/* Decimal text to the nearest binary32: 0, -EINVAL, -ERANGE. */
static int vparam_parse_float(const char *s, u32 *bits)
{
	bool neg = false, digits = false, point = false, sticky = false;
	int d, e = 0, exp10 = 0, biased, dropped = 0, fraction = 0, top, shift;
	u64 m = 0;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	for (; isdigit(*s) || *s == '.'; s++) {
		if (*s == '.') {
			if (point)
				return -EINVAL;
			point = true;
			continue;
		}
		digits = true;
		if (m < U64_MAX / 10 - 9) {
			m = m * 10 + (*s - '0');
			fraction += point;
		} else {
			/* past 19 digits: only whether they are 0 counts */
			sticky |= *s != '0';
			dropped += !point;
		}
	}
	if (!digits)
		return -EINVAL;
	d = dropped - fraction;
	if (*s == 'e' || *s == 'E') {
		bool eneg = false;

		s++;
		if (*s == '-' || *s == '+')
			eneg = *s++ == '-';
		if (!isdigit(*s))
			return -EINVAL;
		for (; isdigit(*s); s++)
			if (exp10 < 1000)
				exp10 = exp10 * 10 + (*s - '0');
		d += eneg ? -exp10 : exp10;
	}
	if (*s)
		return -EINVAL;
	if (!m) {
		*bits = (u32)neg << 31;
		return 0;
	}
	if (d > 60)
		return -ERANGE;
	if (d < -80) {
		*bits = (u32)neg << 31;
		return 0;
	}
	/* m * 10^d as m * 2^e, keeping some 62 bits and a sticky bit */
	while (d > 0) {
		if (m <= U64_MAX / 10) {
			m *= 10;
			d--;
		} else {
			m = (m >> 1) | (m & 1);
			e++;
		}
	}
	while (d < 0) {
		while (m < BIT_ULL(62)) {
			m <<= 1;
			e--;
		}
		m = div_u64(m, 10) | (m % 10 != 0);
		d++;
	}
	m |= sticky;
	/*
	 * 24 significant bits, fewer for a subnormal, rounded to even once:
	 * the value is m * 2^e, its leading bit at 2^(e + top).
	 */
	top = fls64(m) - 1;
	biased = e + top + 127;
	shift = top - 23 + (biased <= 0 ? 1 - biased : 0);
	m = shift > 0 ? vparam_round_shift(m, shift) : m << -shift;
	if (m >> 24) {
		m >>= 1;
		biased++;
	}
	if (biased <= 0)
		biased = m >> 23;	/* rounding may reach the smallest normal */
	if (biased >= 0xff)
		return -ERANGE;
	*bits = (u32)neg << 31 | (u32)biased << 23 | (u32)(m & 0x7fffff);
	return 0;
}

/* A binary32 as the shortest text, of 6 to 9 digits, that reads back as it. */
static int vparam_format_float(u32 bits, char *buf, size_t size)
{
	char text[24];
	int precision, len = 0;
	u32 back;

	for (precision = VPARAM_FLOAT_MIN_DIGITS; precision <= VPARAM_FLOAT_MAX_DIGITS;
	     precision++) {
		len = vparam_format_float_digits(bits, precision, text, sizeof(text));
		/* NaN and infinities: the one way to write them */
		if ((bits & 0x7f800000) == 0x7f800000 ||
		    (!vparam_parse_float(text, &back) && back == bits))
			break;
	}
	return scnprintf(buf, size, "%s", text) == len ? len : 0;
}

/**
 * vparam_value_format - a value as sysfs shows it
 * @type: its type, not BYTES
 * @data: its data, checked with vparam_value_len_ok()
 * @len: their length
 * @buf: where the text goes, with a newline
 * @size: its size
 *
 * Return: the text's length, or -EFBIG when it does not fit.
 */
ssize_t vparam_value_format(u32 type, const u8 *data, unsigned int len, char *buf,
			    size_t size)
{
	unsigned int elem = vparam_elem_size(type), i;
	size_t off = 0;

	if (type == VIRTIO_PARAM_TYPE_STRING) {
		off = scnprintf(buf, size, "%s\n", data);
		return off == len ? off : -EFBIG;
	}
	if (!elem)
		return -EINVAL;	/* bytes: no text */
	for (i = 0; i < len; i += elem) {
		const char *sep = i ? " " : "";
		s64 v = vparam_elem(type, data + i);

		if (size - off < 40)
			return -EFBIG;
		off += scnprintf(buf + off, size - off, "%s", sep);
		if (vparam_is_float(type))
			off += vparam_format_float((u32)v, buf + off, size - off);
		else
			off += scnprintf(buf + off, size - off, "%lld", v);
	}
	if (size - off < 2)
		return -EFBIG;
	buf[off++] = '\n';
	buf[off] = 0;
	return off;
}

/* Decimal, or hexadecimal after 0x: never octal, as a leading 0 would be. */
static unsigned int vparam_int_base(const char *text)
{
	if (*text == '-' || *text == '+')
		text++;
	return text[0] == '0' && (text[1] == 'x' || text[1] == 'X') ? 16 : 10;
}

/* A boolean: one of the words below, whole. */
static int vparam_parse_bool(const char *text, bool *b)
{
	static const char *const words[] = { "0", "n", "no", "off", "false",
					     "1", "y", "yes", "on", "true" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(words); i++) {
		if (!strcasecmp(text, words[i])) {
			*b = i >= ARRAY_SIZE(words) / 2;
			return 0;
		}
	}
	return -EINVAL;
}

/* One element of text into data: 0, -EINVAL or -ERANGE. */
static int vparam_parse_elem(u32 type, const char *text, u8 *data)
{
	__le32 v32;
	__le64 v64;
	s32 i32;
	s64 i64;
	u32 bits;
	bool b;
	int err;

	switch (type) {
	case VIRTIO_PARAM_TYPE_BOOLEAN:
		err = vparam_parse_bool(text, &b);
		v32 = cpu_to_le32(b);
		break;
	case VIRTIO_PARAM_TYPE_INT32:
	case VIRTIO_PARAM_TYPE_INT32_VEC:
		err = kstrtos32(text, vparam_int_base(text), &i32);
		v32 = cpu_to_le32(i32);
		break;
	case VIRTIO_PARAM_TYPE_FLOAT:
	case VIRTIO_PARAM_TYPE_FLOAT_VEC:
		err = vparam_parse_float(text, &bits);
		v32 = cpu_to_le32(bits);
		break;
	default:
		err = kstrtos64(text, vparam_int_base(text), &i64);
		v64 = cpu_to_le64(i64);
		if (!err)
			memcpy(data, &v64, sizeof(v64));
		return err;
	}
	if (!err)
		memcpy(data, &v32, sizeof(v32));
	return err;
}

/**
 * vparam_value_parse - text written to sysfs as a value
 * @type: the property's type, not BYTES
 * @text: the text, NUL-terminated; one final newline is allowed
 * @data: where the value's data go
 * @size: their room, the device's max_value_size
 *
 * Return: the data's length, or -EINVAL for text that is not of the type,
 * -ERANGE for a number the type cannot hold, -E2BIG for a value longer
 * than the device takes.
 */
int vparam_value_parse(u32 type, const char *text, u8 *data, unsigned int size)
{
	unsigned int elem = vparam_elem_size(type), len = 0;
	bool vector = vparam_types[vparam_type_index(type)].vector;
	char *copy, *cur, *word;
	int err = 0;

	copy = kstrdup(text, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	cur = strim(copy);
	if (type == VIRTIO_PARAM_TYPE_STRING) {
		/* only the final newline goes: a string may hold blanks */
		len = strlen(text);
		if (len && text[len - 1] == '\n')
			len--;
		if (len + 1 > size) {
			err = -E2BIG;
		} else {
			memcpy(data, text, len);
			data[len++] = 0;
		}
		goto out;
	}
	while (!err && (word = strsep(&cur, " \t\n"))) {
		if (!*word)
			continue;
		if (len && !vector) {
			err = -EINVAL;
			break;
		}
		if (len + elem > size) {
			err = -E2BIG;
			break;
		}
		err = vparam_parse_elem(type, word, data + len);
		len += elem;
	}
	if (!err && !len && !vector)
		err = -EINVAL;
out:
	kfree(copy);
	return err ? err : len;
}

/* A binary32's bits as a number that orders as the floats do. */
static s64 vparam_float_key(u32 bits)
{
	return bits >> 31 ? -(s64)(bits & 0x7fffffff) : (s64)bits;
}

static bool vparam_float_nan(u32 bits)
{
	return (bits & 0x7f800000) == 0x7f800000 && (bits & 0x7fffff);
}

/**
 * vparam_float_ordered - whether two binary32s make a range
 * @min: the smaller one's bits
 * @max: the larger one's bits
 *
 * Return: true when neither is NaN and @min <= @max.
 */
bool vparam_float_ordered(u32 min, u32 max)
{
	return !vparam_float_nan(min) && !vparam_float_nan(max) &&
	       vparam_float_key(min) <= vparam_float_key(max);
}

/**
 * vparam_value_in_range - whether a value is one its area takes
 * @area: the area
 * @data: the value's data, of its property's type
 * @len: their length
 *
 * Every element is checked against the area's range and the property's
 * enumerated values.
 *
 * Return: 0, -ERANGE outside the range, -EINVAL not among the values.
 */
int vparam_value_in_range(const struct vparam_area *area, const u8 *data,
			  unsigned int len)
{
	const struct vparam_prop *prop = area->prop;
	u32 type = vparam_type(prop->id);
	unsigned int elem = vparam_elem_size(type), i, j;
	s64 v;

	if (!elem || type == VIRTIO_PARAM_TYPE_BYTES)
		return 0;
	for (i = 0; i < len; i += elem) {
		v = vparam_elem(type, data + i);
		if (area->ranged && vparam_is_float(type)) {
			if (vparam_float_nan((u32)v) ||
			    vparam_float_key((u32)v) < vparam_float_key((u32)area->min) ||
			    vparam_float_key((u32)v) > vparam_float_key((u32)area->max))
				return -ERANGE;
		} else if (area->ranged && (v < area->min || v > area->max)) {
			return -ERANGE;
		}
		for (j = 0; j < prop->n_enums && prop->enums[j] != v; j++)
			;
		if (prop->n_enums && j == prop->n_enums)
			return -EINVAL;
	}
	return 0;
}

/**
 * vparam_rate_format - a sample rate in hertz, to the millihertz
 * @mhz: the rate in millihertz
 * @buf: a sysfs page
 *
 * Return: the text's length.
 */
ssize_t vparam_rate_format(u32 mhz, char *buf)
{
	char frac[8];
	int n;

	if (!(mhz % 1000))
		return sysfs_emit(buf, "%u\n", mhz / 1000);
	n = snprintf(frac, sizeof(frac), "%03u", mhz % 1000);
	while (n && frac[n - 1] == '0')
		frac[--n] = 0;
	return sysfs_emit(buf, "%u.%s\n", mhz / 1000, frac);
}

/**
 * vparam_rate_parse - a sample rate written in hertz
 * @text: decimal, at most 3 digits after the point
 * @mhz: the rate in millihertz
 *
 * Return: 0, -EINVAL, or -ERANGE for a rate over 32 bits of millihertz.
 */
int vparam_rate_parse(const char *text, u32 *mhz)
{
	char whole[16], *dot;
	unsigned int frac = 0, n, i;
	u32 hz;
	int err;

	n = strcspn(text, "\n");
	if (!n || n >= sizeof(whole) || (text[n] && strcmp(text + n, "\n")))
		return -EINVAL;
	memcpy(whole, text, n);
	whole[n] = 0;
	dot = strchr(whole, '.');
	if (dot) {
		*dot++ = 0;
		n = strlen(dot);
		if (!n || n > 3)
			return -EINVAL;
		for (i = 0; i < 3; i++) {
			if (i < n && !isdigit(dot[i]))
				return -EINVAL;
			frac = frac * 10 + (i < n ? dot[i] - '0' : 0);
		}
	}
	err = kstrtou32(whole, 10, &hz);
	if (err)
		return err;
	if (hz > (U32_MAX - frac) / 1000)
		return -ERANGE;
	*mhz = hz * 1000 + frac;
	return 0;
}
