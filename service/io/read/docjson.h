/* SPDX-License-Identifier: Apache-2.0 */
/*
 * docjson.h: a struct idv_document as JSON (jansson), the form `idverify check` prints and the
 * HTTP API returns. Document numbers are masked to their last 4 characters unless reveal is set.
 */
#ifndef IDVERIFY_DOCJSON_H
#define IDVERIFY_DOCJSON_H

#include <jansson.h>

#include "idverify/document.h"

#define IDV_DOCJSON_REVEAL 0x1u /* show document numbers in full */

/*
 * A new JSON object (caller json_decref()s it):
 *   {status, error:{type,detail} (when not ok), kind, fields:{name:{value,source,confidence,box}},
 *    barcodes:[{format,length}], mrz:{...} (when present), checks:[{name,result,detail}]}
 * Fields not read are null; address fields are grouped under fields.address. NULL only when
 * out of memory.
 */
json_t *idv_docjson(const struct idv_document *doc, unsigned flags);

#endif
