/* libFuzzer: an Avro container file, as verify reads an Iceberg table's
 * manifest and manifest list from a location it did not write (possibly a
 * hostile one): its header, schema and blocks are decoded record by record
 * to the end or to a refusal, never a crash, an overflow or a hang, and a
 * block inflates to at most SG_AVRO_BLOCK_MAX bytes. */
#include <stdint.h>
#include <stdlib.h>

#include "spotgen/lake/avro.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  sg_avro_reader r;
  if (sg_avro_open(&r, data, size, "fuzz") != SG_OK)
    return 0;
  cJSON *rec = NULL;
  for (int n = 0; n < 100000 && sg_avro_next(&r, &rec, "fuzz") == SG_OK && rec; n++) {
    cJSON_Delete(rec);
    rec = NULL;
  }
  cJSON_Delete(rec);
  sg_avro_close(&r);
  return 0;
}
