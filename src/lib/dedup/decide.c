/*
 * decide.c - the dedup job's decisions: leaders of one level from its
 * verified pairs, then the counts.
 */
#include "job.h"

#include <stdlib.h>

/* ---- clustering ----------------------------------------------------------- */

double rp__dedup_edge_sim(const job *j, const verified *v)
{
    return j->o->verify ? v->jaccard : v->estimate;
}

/* Leaders of one level: documents, or paragraph units of kept documents. */
int rp__dedup_cluster(job *j, int units)
{
    size_t n = units ? j->nunits : j->ndocs;
    const verified *v = units ? j->ppairs : j->dpairs;
    size_t nv = units ? j->npp : j->ndp;
    uint32_t *leader = malloc((n + 1) * sizeof *leader);
    double *sim = malloc((n + 1) * sizeof *sim);
    int ixm = j->nixm[units] > 0;
    uint8_t *active = units || ixm ? malloc(n + 1) : NULL;
    rp_edge *edges = malloc((nv + 1) * sizeof *edges);
    if (units) {
        j->unit_leader = leader;
        j->unit_sim = sim;
    } else {
        j->doc_leader = leader;
        j->doc_sim = sim;
    }
    int rc = RP_ENOMEM;
    if (!leader || !sim || !edges || ((units || ixm) && !active))
        goto done;
    for (size_t i = 0; i < nv; i++) {
        edges[i].a = v[i].a;
        edges[i].b = v[i].b;
        edges[i].sim = rp__dedup_edge_sim(j, &v[i]);
    }
    for (size_t i = 0; active && i < n; i++)
        active[i] = !units || j->doc_leader[j->unit_doc[i]] == RP_KEPT;
    /* units matched in the index are not kept: they lead nothing here */
    for (size_t i = 0; i < j->nixm[units]; i++)
        active[j->ixm[units][i].unit] = 0;
    rc = rp_cluster_leaders(leader, sim, units ? j->unit_rank : j->doc_rank,
                            units ? j->unit_doc : NULL, active, n, edges, nv,
                            units ? j->pthreshold : j->o->threshold);
    for (size_t i = 0; rc == RP_OK && i < j->nixm[units]; i++) {
        const ix_match *m = &j->ixm[units][i];
        leader[m->unit] = RP_INDEXED;
        sim[m->unit] = j->o->verify ? m->jaccard : m->estimate;
    }
    double t = units ? j->pthreshold : j->o->threshold;
    uint64_t above = 0;
    for (size_t i = 0; i < nv; i++)
        above += edges[i].sim >= t;
    if (units)
        j->st->para_pairs = above;
    else
        j->st->doc_pairs = above;
done:
    free(active);
    free(edges);
    return rc;
}

/* Counts, and documents left with no paragraph. */
int rp__dedup_tally(job *j)
{
    j->emptied = calloc(j->ndocs + 1, 1);
    if (!j->emptied)
        return RP_ENOMEM;
    for (size_t d = 0; d < j->ndocs; d++) {
        const doc *dc = &j->docs[d];
        if (j->doc_leader[d] != RP_KEPT) {
            j->st->docs_removed++;
            j->st->index_docs_removed += j->doc_leader[d] == RP_INDEXED;
            continue;
        }
        uint32_t removed = 0;
        for (uint32_t u = 0; u < dc->nunits; u++) {
            uint32_t l = j->unit_leader[dc->unit_first + u];
            removed += l != RP_KEPT;
            j->st->index_paras_removed += l == RP_INDEXED;
        }
        j->st->paras_removed += removed;
        if (removed && removed == dc->npara) {
            j->emptied[d] = 1;
            j->st->docs_emptied++;
        } else if (removed) {
            j->st->paras_changed_docs++;
        }
    }
    return RP_OK;
}
