/* SPDX-License-Identifier: Apache-2.0 */
/*
 * flood.c: a small HTTP/1.1 load generator for tests/bench/load.py: CONNS threads, each on its
 * own keep-alive connection to 127.0.0.1:PORT, send GET PATH back to back for SECONDS, and the
 * latency of every answer is kept. Prints one JSON line: requests, per-second rate, answers by
 * status class, errors (connection failures, malformed answers), and latency percentiles in
 * microseconds. Written in C so that the client, not Python, is not what is measured.
 *
 * usage: flood PORT PATH CONNS SECONDS [PAUSE_US]
 * PAUSE_US: a pause after each answer (a paced probe rather than a flood).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define FLOOD_MAX_SAMPLES (1u << 20)

struct flood_thread {
	pthread_t t;
	unsigned port;
	const char *path;
	double until;
	unsigned pause_us;
	uint32_t *lat_us;
	size_t n;
	uint64_t s2xx, s503, sother, errors;
};

static double
flood_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
flood_connect(unsigned port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* One answer: status code, or -1 on a broken connection. */
static int
flood_read_answer(int fd, char *buf, size_t bufsz)
{
	size_t got = 0;
	char *end = NULL;
	while (end == NULL) {
		if (got == bufsz - 1)
			return -1;
		ssize_t n = read(fd, buf + got, bufsz - 1 - got);
		if (n <= 0)
			return -1;
		got += (size_t)n;
		buf[got] = '\0';
		end = strstr(buf, "\r\n\r\n");
	}
	int status = 0;
	if (strncmp(buf, "HTTP/1.1 ", 9) != 0)
		return -1;
	status = (int)strtol(buf + 9, NULL, 10);
	size_t clen = 0;
	char *cl = strcasestr(buf, "\r\nContent-Length:");
	if (cl != NULL)
		clen = (size_t)strtoul(cl + 17, NULL, 10);
	size_t have = got - (size_t)(end + 4 - buf);
	while (have < clen) {
		ssize_t n = read(fd, buf, bufsz - 1 < clen - have ? bufsz - 1 : clen - have);
		if (n <= 0)
			return -1;
		have += (size_t)n;
	}
	return status;
}

static void *
flood_main(void *arg)
{
	struct flood_thread *ft = arg;
	char req[256], buf[16384];
	int len = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", ft->path);
	int fd = -1;
	while (flood_now() < ft->until) {
		if (fd < 0 && (fd = flood_connect(ft->port)) < 0) {
			ft->errors++;
			usleep(1000);
			continue;
		}
		double t0 = flood_now();
		int status = -1;
		if (write(fd, req, (size_t)len) == len)
			status = flood_read_answer(fd, buf, sizeof buf);
		double dt = flood_now() - t0;
		if (status < 0) {
			ft->errors++;
			close(fd);
			fd = -1;
			continue;
		}
		if (ft->n < FLOOD_MAX_SAMPLES)
			ft->lat_us[ft->n++] = (uint32_t)(dt * 1e6);
		if (status >= 200 && status < 300)
			ft->s2xx++;
		else if (status == 503)
			ft->s503++;
		else
			ft->sother++;
		if (ft->pause_us > 0)
			usleep(ft->pause_us);
	}
	if (fd >= 0)
		close(fd);
	return NULL;
}

static int
flood_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	if (argc != 5 && argc != 6) {
		fprintf(stderr, "usage: flood PORT PATH CONNS SECONDS [PAUSE_US]\n");
		return 2;
	}
	unsigned port = (unsigned)strtoul(argv[1], NULL, 10);
	unsigned conns = (unsigned)strtoul(argv[3], NULL, 10);
	double secs = strtod(argv[4], NULL);
	struct flood_thread *ft = calloc(conns, sizeof *ft);
	double t0 = flood_now();
	for (unsigned i = 0; i < conns; i++) {
		ft[i].port = port;
		ft[i].path = argv[2];
		ft[i].until = t0 + secs;
		ft[i].pause_us = argc == 6 ? (unsigned)strtoul(argv[5], NULL, 10) : 0;
		ft[i].lat_us = malloc(FLOOD_MAX_SAMPLES * sizeof *ft[i].lat_us);
		pthread_create(&ft[i].t, NULL, flood_main, &ft[i]);
	}
	size_t total = 0;
	uint64_t s2xx = 0, s503 = 0, sother = 0, errors = 0;
	for (unsigned i = 0; i < conns; i++) {
		pthread_join(ft[i].t, NULL);
		total += ft[i].n;
		s2xx += ft[i].s2xx, s503 += ft[i].s503, sother += ft[i].sother, errors += ft[i].errors;
	}
	double elapsed = flood_now() - t0;
	uint32_t *all = malloc((total ? total : 1) * sizeof *all);
	size_t k = 0;
	for (unsigned i = 0; i < conns; i++) {
		memcpy(all + k, ft[i].lat_us, ft[i].n * sizeof *all);
		k += ft[i].n;
		free(ft[i].lat_us);
	}
	qsort(all, total, sizeof *all, flood_cmp);
#define PCT(p) (total ? all[(size_t)((double)(total - 1) * (p))] : 0)
	printf("{\"requests\":%zu,\"rps\":%.1f,\"s2xx\":%llu,\"s503\":%llu,\"other\":%llu,"
	       "\"errors\":%llu,\"p50_us\":%u,\"p90_us\":%u,\"p99_us\":%u,\"max_us\":%u}\n",
	       total, (double)total / elapsed, (unsigned long long)s2xx, (unsigned long long)s503,
	       (unsigned long long)sother, (unsigned long long)errors, PCT(0.5), PCT(0.9),
	       PCT(0.99), total ? all[total - 1] : 0);
	free(all);
	free(ft);
	return 0;
}
