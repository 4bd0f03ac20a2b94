/* SPDX-License-Identifier: Apache-2.0 */
/* cmd_keygen.c: `idverify keygen` writes a new 32-byte master key (0600), never overwriting. */
#include "cmd.h"
#include "config.h"
#include "crypto.h"

static void
keygen_usage(FILE *out)
{
	fprintf(out, "usage: idverify keygen [--data-dir DIR] [--master-key FILE]\n\n"
		     "Writes a new random 32-byte master key (mode 0600) to FILE, by default\n"
		     "DATA_DIR/master.key, creating DATA_DIR if needed. Refuses to overwrite an\n"
		     "existing key: losing the master key makes every sealed record unreadable.\n");
}

int
idv_cmd_keygen(int argc, char **argv)
{
	char why[512];
	struct idv_cmd c;
	int status = idv_cmd_begin(&c, "keygen", argc, argv, 0, keygen_usage);
	if (status >= 0)
		return status;
	if (idv_config_ensure_data_dir(&c.cfg, why, sizeof why) != IDV_OK ||
	    idv_crypto_keygen(c.cfg.master_key, why, sizeof why) != IDV_OK) {
		fprintf(stderr, "idverify keygen: %s\n", why);
		return 1;
	}
	printf("idverify keygen: wrote %s\n", c.cfg.master_key);
	return 0;
}
