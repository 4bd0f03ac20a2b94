/* SPDX-License-Identifier: Apache-2.0 */
#include "idverify/cmd.h"
#include "idverify/common.h"

int
idv_cmd_verify(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "idverify verify: not built yet\n");
	return 2;
}
