/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bare_mhd.c: the smallest useful libmicrohttpd server, built only for tests/bench/load.py as
 * the ceiling idverify's HTTP layer is compared with (DESIGN.md 8): the same daemon flags and
 * thread pool as serve, GET answers {"status":"ok"}, any other method has its body read and
 * answers 202 with a small JSON object. No routing, no auth, no logging, no database.
 *
 * usage: bare_mhd PORT [THREADS]   (runs until SIGTERM or SIGINT)
 */
#include <microhttpd.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static enum MHD_Result
bare_access(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
	    const char *version, const char *upload_data, size_t *upload_data_size, void **req_cls)
{
	static int first;
	(void)cls, (void)url, (void)version, (void)upload_data;
	if (*req_cls == NULL) {
		*req_cls = &first;
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		*upload_data_size = 0; /* read and dropped */
		return MHD_YES;
	}
	bool get = strcmp(method, "GET") == 0;
	static const char ok[] = "{\"status\":\"ok\"}";
	static const char queued[] = "{\"status\":\"queued\"}";
	struct MHD_Response *r = MHD_create_response_from_buffer(
		get ? sizeof ok - 1 : sizeof queued - 1, (void *)(uintptr_t)(get ? ok : queued),
		MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	enum MHD_Result ret = MHD_queue_response(conn, get ? 200 : 202, r);
	MHD_destroy_response(r);
	return ret;
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bare_mhd PORT [THREADS]\n");
		return 2;
	}
	unsigned port = (unsigned)strtoul(argv[1], NULL, 10);
	unsigned threads = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 2;
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	struct MHD_Daemon *d = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ITC, (uint16_t)port, NULL,
		NULL, bare_access, NULL, MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_CONNECTION_LIMIT, 512u,
		MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "bare_mhd: cannot listen on %u\n", port);
		return 1;
	}
	printf("ready\n");
	fflush(stdout);
	int sig;
	sigwait(&sigs, &sig);
	MHD_stop_daemon(d);
	return 0;
}
