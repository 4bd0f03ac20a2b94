/* SPDX-License-Identifier: Apache-2.0 */
#include "idverify/cmd.h"
#include "idverify/common.h"

int
idv_cmd_keygen(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "idverify keygen: not built yet\n");
	return 2;
}
