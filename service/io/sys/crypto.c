/* SPDX-License-Identifier: Apache-2.0 */
/* crypto.c: master key, sub-key derivation, AES-256-GCM, hashes (see crypto.h). */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto.h"
#include "idverify/str.h"

/*
 * The master key lives in a page of its own (crypto_key_page): left out of core dumps
 * (MADV_DONTDUMP), zeroed in any forked child (MADV_WIPEONFORK), and kept out of swap (mlock,
 * when the memory-lock limit allows). The process itself is made undumpable when the key is
 * loaded (idv_crypto_protect_process).
 */
static uint8_t *crypto_master;
static bool crypto_have_master;

static uint8_t *
crypto_key_page(void)
{
	static uint8_t *page;
	if (page != NULL)
		return page;
	long psz = sysconf(_SC_PAGESIZE);
	void *p = mmap(NULL, psz > 0 ? (size_t)psz : 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	size_t n = psz > 0 ? (size_t)psz : 4096;
	if (madvise(p, n, MADV_DONTDUMP) != 0) {
		munmap(p, n);
		return NULL;
	}
	(void)madvise(p, n, MADV_WIPEONFORK); /* Linux 4.14+: best effort */
	(void)mlock(p, n);                    /* RLIMIT_MEMLOCK may refuse: best effort */
	page = p;
	return page;
}

enum idv_err
idv_crypto_protect_process(char *why, size_t whysz)
{
	struct rlimit none = {0, 0};
	if (setrlimit(RLIMIT_CORE, &none) != 0) {
		idv_why(why, whysz, "cannot disable core dumps (setrlimit RLIMIT_CORE): %s",
			strerror(errno));
		return IDV_E_IO;
	}
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
		idv_why(why, whysz, "cannot make the process undumpable (PR_SET_DUMPABLE): %s",
			strerror(errno));
		return IDV_E_IO;
	}
	return IDV_OK;
}

enum idv_err
idv_crypto_random(void *out, size_t n)
{
	if (n > INT32_MAX || RAND_bytes(out, (int)n) != 1)
		return IDV_E_CRYPTO;
	return IDV_OK;
}

enum idv_err
idv_crypto_keygen(const char *path, char *why, size_t whysz)
{
	uint8_t key[IDV_KEY_LEN];
	enum idv_err result = IDV_OK;
	int fd = -1;

	if (idv_crypto_random(key, sizeof key) != IDV_OK) {
		idv_why(why, whysz, "%s: the random number generator failed", path);
		return IDV_E_CRYPTO;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		int e = errno;
		if (e == EEXIST)
			idv_why(why, whysz, "%s exists already; refusing to overwrite a master key",
				path);
		else
			idv_why(why, whysz, "%s cannot be created", path);
		result = e == EEXIST ? IDV_E_CONFLICT : IDV_E_IO;
		goto out;
	}
	if (fchmod(fd, 0600) != 0 || write(fd, key, sizeof key) != (ssize_t)sizeof key ||
	    fsync(fd) != 0) {
		idv_why(why, whysz, "%s: write failed", path);
		result = IDV_E_IO;
		close(fd);
		fd = -1;
		unlink(path);
		goto out;
	}
out:
	if (fd >= 0)
		close(fd);
	OPENSSL_cleanse(key, sizeof key);
	return result;
}

enum idv_err
idv_crypto_load_master(const char *path, char *why, size_t whysz)
{
	enum idv_err result = IDV_OK;
	struct stat st;
	uint8_t key[IDV_KEY_LEN + 1];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		idv_why(why, whysz,
			"master key %s is missing or unreadable (create it with 'idverify keygen')",
			path);
		return IDV_E_IO;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		idv_why(why, whysz, "master key %s is not a regular file", path);
		result = IDV_E_IO;
		goto out;
	}
	if ((st.st_mode & 077) != 0) {
		idv_why(why, whysz,
			"master key %s is accessible by group or others; run: chmod 600 on it",
			path);
		result = IDV_E_FORBIDDEN;
		goto out;
	}
	ssize_t n = read(fd, key, sizeof key);
	if (n != IDV_KEY_LEN) {
		idv_why(why, whysz, "master key %s must hold exactly 32 bytes", path);
		result = IDV_E_INVAL;
		goto out;
	}
	if ((result = idv_crypto_protect_process(why, whysz)) != IDV_OK)
		goto out;
	if (crypto_master == NULL && (crypto_master = crypto_key_page()) == NULL) {
		idv_why(why, whysz, "cannot map a page for the master key outside core dumps");
		result = IDV_E_NOMEM;
		goto out;
	}
	memcpy(crypto_master, key, IDV_KEY_LEN);
	crypto_have_master = true;
out:
	OPENSSL_cleanse(key, sizeof key);
	close(fd);
	return result;
}

bool
idv_crypto_master_loaded(void)
{
	return crypto_have_master;
}

void
idv_crypto_unload_master(void)
{
	if (crypto_master != NULL)
		OPENSSL_cleanse(crypto_master, IDV_KEY_LEN);
	crypto_have_master = false;
}

enum idv_err
idv_crypto_derive(const char *label, uint8_t out[IDV_KEY_LEN])
{
	enum idv_err result = IDV_E_CRYPTO;
	EVP_KDF *kdf = NULL;
	EVP_KDF_CTX *ctx = NULL;
	if (!crypto_have_master)
		return IDV_E_STATE;
	kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	if (kdf == NULL)
		goto out;
	ctx = EVP_KDF_CTX_new(kdf);
	if (ctx == NULL)
		goto out;
	static char digest[] = "SHA256";
	static char salt[] = "idverify/v1";
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, crypto_master, IDV_KEY_LEN),
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, salt, sizeof salt - 1),
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)(uintptr_t)label,
						  strlen(label)),
		OSSL_PARAM_construct_end(),
	};
	if (EVP_KDF_derive(ctx, out, IDV_KEY_LEN, params) == 1)
		result = IDV_OK;
out:
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	return result;
}

enum idv_err
idv_crypto_seal(const uint8_t key[IDV_KEY_LEN], const void *aad, size_t aadlen, const void *plain,
		size_t len, struct idv_buf *out)
{
	enum idv_err result = IDV_E_CRYPTO;
	EVP_CIPHER_CTX *ctx = NULL;
	uint8_t nonce[12], tag[16];
	size_t total;
	int n = 0;

	if (len > INT32_MAX || aadlen > INT32_MAX || idv_size_add(len, IDV_SEAL_OVERHEAD, &total))
		return IDV_E_TOOBIG;
	if (idv_crypto_random(nonce, sizeof nonce) != IDV_OK)
		return IDV_E_CRYPTO;
	size_t start = out->len;
	if ((result = idv_buf_append_byte(out, 1)) != IDV_OK ||
	    (result = idv_buf_append(out, nonce, sizeof nonce)) != IDV_OK)
		return result;
	/* Reserve room for the ciphertext, then write into it. */
	size_t ct_at = out->len;
	if ((result = idv_buf_append_zeros(out, len)) != IDV_OK)
		return result;
	result = IDV_E_CRYPTO;
	ctx = EVP_CIPHER_CTX_new();
	if (ctx == NULL || EVP_EncryptInit_ex2(ctx, EVP_aes_256_gcm(), key, nonce, NULL) != 1 ||
	    (aadlen > 0 && EVP_EncryptUpdate(ctx, NULL, &n, aad, (int)aadlen) != 1) ||
	    (len > 0 && EVP_EncryptUpdate(ctx, out->data + ct_at, &n, plain, (int)len) != 1) ||
	    EVP_EncryptFinal_ex(ctx, out->data + ct_at + len, &n) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, sizeof tag, tag) != 1)
		goto out;
	if ((result = idv_buf_append(out, tag, sizeof tag)) != IDV_OK)
		goto out;
	result = IDV_OK;
out:
	EVP_CIPHER_CTX_free(ctx);
	if (result != IDV_OK && out->data != NULL && out->err == IDV_OK)
		out->len = start;
	return result;
}

enum idv_err
idv_crypto_open(const uint8_t key[IDV_KEY_LEN], const void *aad, size_t aadlen, const void *sealed,
		size_t len, struct idv_buf *out)
{
	const uint8_t *s = sealed;
	enum idv_err result = IDV_E_CRYPTO;
	EVP_CIPHER_CTX *ctx = NULL;
	int n = 0;
	if (len < IDV_SEAL_OVERHEAD || s[0] != 1 || len > INT32_MAX || aadlen > INT32_MAX)
		return IDV_E_CRYPTO;
	size_t ctlen = len - IDV_SEAL_OVERHEAD;
	const uint8_t *nonce = s + 1, *ct = s + 13, *tag = s + len - 16;
	size_t start = out->len;
	if ((result = idv_buf_append_zeros(out, ctlen)) != IDV_OK)
		return result;
	result = IDV_E_CRYPTO;
	ctx = EVP_CIPHER_CTX_new();
	if (ctx == NULL || EVP_DecryptInit_ex2(ctx, EVP_aes_256_gcm(), key, nonce, NULL) != 1 ||
	    (aadlen > 0 && EVP_DecryptUpdate(ctx, NULL, &n, aad, (int)aadlen) != 1) ||
	    (ctlen > 0 && EVP_DecryptUpdate(ctx, out->data + start, &n, ct, (int)ctlen) != 1) ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, (void *)(uintptr_t)tag) != 1 ||
	    EVP_DecryptFinal_ex(ctx, out->data + start + ctlen, &n) != 1)
		goto out;
	result = IDV_OK;
out:
	EVP_CIPHER_CTX_free(ctx);
	if (result != IDV_OK && out->data != NULL) {
		OPENSSL_cleanse(out->data + start, out->len - start);
		out->len = start;
		out->data[start] = '\0';
	}
	return result;
}

enum idv_err
idv_crypto_hmac_derived(const char *key_label, const void *p, size_t len, uint8_t out[32])
{
	uint8_t key[IDV_KEY_LEN];
	enum idv_err err = idv_crypto_derive(key_label, key);
	if (err == IDV_OK)
		idv_crypto_hmac(key, p, len, out);
	idv_wipe(key, sizeof key);
	return err;
}

enum idv_err
idv_crypto_derived(bool open, const char *key_label, const void *p, size_t len, struct idv_buf *out,
		   const char *aad_fmt, ...)
{
	uint8_t key[IDV_KEY_LEN];
	struct idv_buf aad;
	va_list ap;
	idv_buf_init(&aad, 1024);
	va_start(ap, aad_fmt);
	enum idv_err err = idv_buf_vprintf(&aad, aad_fmt, ap);
	va_end(ap);
	if (err == IDV_OK)
		err = idv_crypto_derive(key_label, key);
	if (err == IDV_OK)
		err = open ? idv_crypto_open(key, aad.data, aad.len, p, len, out)
			   : idv_crypto_seal(key, aad.data, aad.len, p, len, out);
	idv_buf_cleanup(&aad);
	idv_wipe(key, sizeof key);
	return err;
}

void
idv_crypto_sha256(const void *p, size_t len, uint8_t out[32])
{
	unsigned int n = 32;
	EVP_Digest(p, len, out, &n, EVP_sha256(), NULL);
}

void
idv_crypto_hmac(const uint8_t key[IDV_KEY_LEN], const void *p, size_t len, uint8_t out[32])
{
	unsigned int n = 32;
	HMAC(EVP_sha256(), key, IDV_KEY_LEN, p, len, out, &n);
}

bool
idv_crypto_ed25519_verify(const uint8_t pub[32], const uint8_t sig[64], const void *msg, size_t len)
{
	bool ok = false;
	EVP_MD_CTX *ctx = NULL;
	EVP_PKEY *key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, 32);
	if (key == NULL)
		goto out;
	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key) != 1)
		goto out;
	/* Ed25519 is one-shot: the whole message at once, no digest. */
	ok = EVP_DigestVerify(ctx, sig, 64, msg, len) == 1;
out:
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(key);
	return ok;
}

void
idv_hex(const uint8_t *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}
