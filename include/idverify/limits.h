/* SPDX-License-Identifier: Apache-2.0 */
/*
 * limits.h: every compiled-in ceiling in one place (STYLE.md 13). Run-time configuration may
 * lower most of them; nothing may raise them past what the code was reviewed for.
 */
#ifndef IDVERIFY_LIMITS_H
#define IDVERIFY_LIMITS_H

/* HTTP */
#define IDV_LIMIT_JSON_BODY (64u * 1024u)              /* a JSON request body */
#define IDV_LIMIT_UPLOAD_BYTES (20u * 1024u * 1024u)   /* one uploaded document */
#define IDV_LIMIT_UPLOAD_BODY (45u * 1024u * 1024u)    /* a whole multipart upload request */
#define IDV_LIMIT_CONN_TIMEOUT_S 30u                   /* idle connection timeout */
#define IDV_LIMIT_CONNECTIONS 512u                     /* total concurrent connections */
#define IDV_LIMIT_CONNECTIONS_PER_IP 32u
#define IDV_LIMIT_CONN_MEMORY (256u * 1024u)           /* MHD per-connection pool */
#define IDV_LIMIT_SHUTDOWN_GRACE_S 5u                  /* finish in-flight requests on SIGTERM */
#define IDV_LIMIT_JSON_DEPTH 16u

/* Documents */
#define IDV_LIMIT_PIXELS (50ull * 1000ull * 1000ull)    /* decompression-bomb ceiling */
#define IDV_LIMIT_DIMENSION 20000u                      /* any one side, in pixels */
#define IDV_LIMIT_PDF_PAGES 10u
#define IDV_LIMIT_OCR_SECONDS 30u
#define IDV_LIMIT_QUEUE 100000u                        /* --max-queue ceiling */
#define IDV_LIMIT_WORKER_SECONDS 600u                  /* --worker-timeout ceiling */
#define IDV_LIMIT_WORKER_MEMORY_MB 16384u              /* --worker-memory ceiling */

/* Records */
#define IDV_LIMIT_RECORDS_FILE (64u * 1024u * 1024u)
#define IDV_LIMIT_RECORD_FIELD 256u

#endif
