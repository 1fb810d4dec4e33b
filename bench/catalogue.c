/* catalogue - how the default catalogue of tracks fills as rows grow: for
 * each number of rows, the distinct tracks placed, the top track's rows,
 * the share of tracks placed once or twice, Spearman's r of a track's
 * popularity and its rows, and the distinct artists and albums placed,
 * against the Million Playlist Dataset's figures (66.3M placements, 2.26M
 * distinct tracks by 295,860 artists on 734,684 albums, its top track in
 * about 46K playlists). The model alone, one process, no files. Run by
 * bench/catalogue.sh; not a test. */
#include <stdio.h>
#include <stdlib.h>

#include "model.h"
#include "spotgen/dataset/targets.h"

#define BATCH 512

int main(int argc, char **argv)
{
  static sg_model m;
  sg_row *batch = malloc(BATCH * sizeof *batch);
  printf("| rows | tracks in the catalogue | distinct tracks placed | rows per track | top track's rows "
         "| placed once | placed once or twice | Spearman r(popularity, rows) | artists (catalogue) "
         "| distinct artists placed | distinct albums placed | albums per artist |\n"
         "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  for (int a = 1; a < argc; a++) {
    uint64_t rows = strtoull(argv[a], NULL, 10);
    if (bench_model(&m, rows) != 0)
      return 1;
    size_t n = m.catalog.tracks;
    uint32_t *count = calloc(n, sizeof *count);
    uint8_t *pop = calloc(n, 1);
    size_t na = m.catalog.artists;
    uint8_t *artist = calloc(na, 1), *album = calloc(na * SG_MAX_ALBUMS / 8 + 1, 1);
    if (!batch || !count || !pop || !artist || !album)
      return 1;
    uint64_t artists = 0, albums = 0;
    for (uint64_t r = 0; r < rows; r += BATCH) {
      size_t k = rows - r < BATCH ? (size_t)(rows - r) : BATCH;
      sg_model_rows(&m, r, k, batch);
      for (size_t i = 0; i < k; i++) {
        count[batch[i].track]++;
        pop[batch[i].track] = (uint8_t)batch[i].popularity_score;
        uint64_t al = batch[i].album;
        artists += !artist[batch[i].artist];
        artist[batch[i].artist] = 1;
        albums += !(album[al / 8] & (1u << (al % 8)));
        album[al / 8] |= (uint8_t)(1u << (al % 8));
      }
    }
    uint64_t distinct = 0, once = 0, twice = 0, top = 0;
    for (size_t t = 0; t < n; t++) {
      distinct += count[t] > 0;
      once += count[t] == 1;
      twice += count[t] == 2;
      top = count[t] > top ? count[t] : top;
    }
    printf("| %llu | %zu | %llu | %.1f | %llu | %.0f%% | %.0f%% | %.3f | %zu | %llu | %llu | %.2f |\n",
           (unsigned long long)rows, n, (unsigned long long)distinct, (double)rows / (double)distinct,
           (unsigned long long)top, 100.0 * (double)once / (double)distinct,
           100.0 * (double)(once + twice) / (double)distinct, sg_track_spearman(count, pop, n), na,
           (unsigned long long)artists, (unsigned long long)albums, (double)albums / (double)artists);
    fflush(stdout);
    free(count);
    free(pop);
    free(artist);
    free(album);
  }
  free(batch);
  return 0;
}
