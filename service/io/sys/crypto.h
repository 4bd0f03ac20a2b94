/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crypto.h: the only place that holds key material (STYLE.md 18). OpenSSL 3 EVP underneath.
 *
 * The master key (32 random bytes in a 0600 file made by `idverify keygen`) never leaves this
 * module: callers get sub-keys derived from it with HKDF-SHA256 under a fixed label
 * ("records", "audit", "access-count", "case-wrap"), and authenticated encryption with
 * AES-256-GCM whose associated data binds a blob to its owner (case id, document id).
 *
 * Sealed blob format (version 1): 0x01 || nonce[12] || ciphertext || tag[16].
 */
#ifndef IDVERIFY_CRYPTO_H
#define IDVERIFY_CRYPTO_H

#include "idverify/buf.h"

#define IDV_KEY_LEN 32
#define IDV_SEAL_OVERHEAD (1 + 12 + 16)

/* Write a new master key to path (mode 0600, O_EXCL: refuses to overwrite). */
enum idv_err idv_crypto_keygen(const char *path, char *why, size_t whysz);

/*
 * Load the master key: the file must exist, hold exactly 32 bytes and not be readable or
 * writable by group or others. On failure why gets a one-line explanation. A process that
 * loads it is made undumpable first (idv_crypto_protect_process), and the key is kept in a
 * page excluded from core dumps, wiped in forked children and locked in memory when allowed.
 */
enum idv_err idv_crypto_load_master(const char *path, char *why, size_t whysz);
bool idv_crypto_master_loaded(void);

/* No core dumps of this process, which holds keys and decrypted documents (issue 19): the
 * core size limit is set to 0 (soft and hard) and the process made undumpable
 * (PR_SET_DUMPABLE 0: no core, no ptrace by other processes of the same user, /proc/PID
 * owned by root). IDV_E_IO with why when the kernel refuses. */
enum idv_err idv_crypto_protect_process(char *why, size_t whysz);
void idv_crypto_unload_master(void); /* wipes */

/* Derive a sub-key of the master key for a purpose label. */
enum idv_err idv_crypto_derive(const char *label, uint8_t out[IDV_KEY_LEN]);

/* Cryptographically secure random bytes. */
enum idv_err idv_crypto_random(void *out, size_t n);

/* AES-256-GCM seal/open, appending to out (whose cap must allow len + IDV_SEAL_OVERHEAD).
 * open fails with IDV_E_CRYPTO when the tag, key or associated data do not match. */
enum idv_err idv_crypto_seal(const uint8_t key[IDV_KEY_LEN], const void *aad, size_t aadlen,
			     const void *plain, size_t len, struct idv_buf *out);
enum idv_err idv_crypto_open(const uint8_t key[IDV_KEY_LEN], const void *aad, size_t aadlen,
			     const void *sealed, size_t len, struct idv_buf *out);

/*
 * Seal (or, with open, open) p[0..len) into out under the sub-key derived for key_label, with
 * the text of aad_fmt as associated data (at most 1 KiB, else IDV_E_TOOBIG), so that a sealed
 * text cannot be moved to another purpose or owner. The sub-key is wiped before returning.
 */
enum idv_err idv_crypto_derived(bool open, const char *key_label, const void *p, size_t len,
				struct idv_buf *out, const char *aad_fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* HMAC-SHA256 of p[0..len) under the sub-key derived for key_label (wiped after). */
enum idv_err idv_crypto_hmac_derived(const char *key_label, const void *p, size_t len,
				     uint8_t out[32]);

/* SHA-256 and HMAC-SHA256. */
void idv_crypto_sha256(const void *p, size_t len, uint8_t out[32]);
void idv_crypto_hmac(const uint8_t key[IDV_KEY_LEN], const void *p, size_t len, uint8_t out[32]);

/* Ed25519 (RFC 8032) verification of sig over msg[0..len) with a raw 32-byte public key:
 * the signatures of authorized agents (DRP.md). */
bool idv_crypto_ed25519_verify(const uint8_t pub[32], const uint8_t sig[64], const void *msg,
			       size_t len);

/* Lower-case hex of n bytes into out (2n + 1 bytes). */
void idv_hex(const uint8_t *p, size_t n, char *out);

#endif
