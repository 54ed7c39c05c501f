/*
 * example.c - a program using reprint's stable API (reprint/reprint.h), as
 * one outside the tree would. tests/lib/run.sh builds it against the
 * installed library with pkg-config and with find_package(reprint).
 *
 *   example CORPUS.jsonl OUTDIR
 *
 * prints the library version, how similar two texts are
 * (rp_similarity), then deduplicates CORPUS into OUTDIR/kept.jsonl with
 * the default options (rp_dedup_run) and prints what it did.
 */
#include <reprint/reprint.h>

#include <stdio.h>

static const char *wire =
    "Both Iran and Russia have repeatedly denied claims that Tehran has "
    "supplied drones for use in the war in Ukraine, officials said.";
static const char *paper =
    "KYIV - Both Iran and Russia have repeatedly denied claims that "
    "Tehran has supplied drones for use in the war in Ukraine. Our "
    "correspondent adds that the wreckage tells another story.";

static size_t len(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: example CORPUS.jsonl OUTDIR\n");
        return 2;
    }
    printf("reprint %s, library %u\n", RP_VERSION_STRING,
           rp_version_number());

    /* one call: how similar are these two texts? */
    rp_similarity_result sim = RP_SIMILARITY_RESULT_INIT;
    int rc = rp_similarity(&sim, wire, len(wire), paper, len(paper), NULL);
    if (rc != RP_OK) {
        fprintf(stderr, "example: %s\n", rp_strerror(rc));
        return 1;
    }
    printf("similarity: jaccard %.3f, wire in paper %.3f, paper in wire "
           "%.3f, %u passage(s) covering %u of %u words\n",
           sim.jaccard, sim.containment_a, sim.containment_b, sim.passages,
           sim.covered_a, sim.words_a);

    /* a small dedup: the defaults, kept records and the removal log */
    rp_dedup_options opts;
    rp_dedup_options_init(&opts, RP_DEDUP_OPTIONS_VERSION);
    char kept[4096], log[4096];
    snprintf(kept, sizeof kept, "%s/kept.jsonl", argv[2]);
    snprintf(log, sizeof log, "%s/log.jsonl", argv[2]);
    rp_dedup_outputs outs = {kept, log, NULL, NULL, NULL};
    rp_dedup_stats st = RP_DEDUP_STATS_INIT;
    rp_error err = {0};
    const char *inputs[1] = {argv[1]};
    rc = rp_dedup_run(inputs, 1, &opts, &outs, NULL, &st, &err);
    if (rc != RP_OK) {
        fprintf(stderr, "example: %s:%llu:%llu: %s\n", err.path,
                (unsigned long long)err.line,
                (unsigned long long)err.offset,
                err.message[0] ? err.message : rp_strerror(rc));
        return 1;
    }
    printf("dedup: %llu records in, %llu out, %llu documents and %llu "
           "paragraphs removed\n",
           (unsigned long long)st.records_in,
           (unsigned long long)st.records_out,
           (unsigned long long)st.docs_removed,
           (unsigned long long)st.paras_removed);
    return 0;
}
