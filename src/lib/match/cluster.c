/*
 * cluster.c - leader clustering in keep order (see reprint/sys/cluster.h).
 *
 * Edges at or above the threshold go into a CSR adjacency list; units are
 * put in rank order and visited once. Cost O(n + edges) when the ranks are
 * 0..n-1, else O(n log n + edges).
 */
#include "reprint/sys/cluster.h"

#include "../../util/sort.h"

#include <stdlib.h>
#include <string.h>

static int rank_before(const void *ctx, uint32_t a, uint32_t b)
{
    const uint32_t *rank = ctx;
    return rank[a] < rank[b];
}

int rp_cluster_leaders(uint32_t *leader, double *sim, const uint32_t *rank,
                       const uint32_t *group, const uint8_t *active, size_t n,
                       const rp_edge *edges, size_t nedges, double threshold)
{
    int rc = RP_ENOMEM;
    size_t *start = calloc(n + 1, sizeof *start);
    uint32_t *adj = NULL, *order = NULL, *tmp = NULL;
    double *adj_sim = NULL;
    size_t m = 0;
    if (!start)
        goto done;
    for (size_t e = 0; e < nedges; e++) {
        if (edges[e].sim < threshold)
            continue;
        start[edges[e].a + 1]++;
        start[edges[e].b + 1]++;
        m += 2;
    }
    for (size_t i = 0; i < n; i++)
        start[i + 1] += start[i];
    adj = malloc((m ? m : 1) * sizeof *adj);
    adj_sim = malloc((m ? m : 1) * sizeof *adj_sim);
    order = malloc((n ? n : 1) * sizeof *order);
    tmp = malloc((n ? n : 1) * sizeof *tmp);
    if (!adj || !adj_sim || !order || !tmp)
        goto done;
    {
        size_t *fill = calloc(n + 1, sizeof *fill);
        if (!fill)
            goto done;
        for (size_t e = 0; e < nedges; e++) {
            if (edges[e].sim < threshold)
                continue;
            uint32_t a = edges[e].a, b = edges[e].b;
            adj[start[a] + fill[a]] = b;
            adj_sim[start[a] + fill[a]++] = edges[e].sim;
            adj[start[b] + fill[b]] = a;
            adj_sim[start[b] + fill[b]++] = edges[e].sim;
        }
        free(fill);
    }
    for (size_t i = 0; i < n; i++) {
        order[i] = (uint32_t)i;
        leader[i] = RP_KEPT;
        sim[i] = 0;
    }
    /* ranks that are a permutation of 0..n-1 (as dedup's are) invert in
     * O(n); any other distinct ranks are sorted */
    int perm = 1;
    for (size_t i = 0; i < n; i++)
        tmp[i] = UINT32_MAX;
    for (size_t i = 0; i < n && perm; i++) {
        perm = rank[i] < n && tmp[rank[i]] == UINT32_MAX;
        if (perm)
            tmp[rank[i]] = (uint32_t)i;
    }
    if (perm)
        memcpy(order, tmp, n * sizeof *order);
    else
        rp_sort_indices(order, tmp, n, rank_before, rank);
    for (size_t oi = 0; oi < n; oi++) {
        uint32_t u = order[oi];
        if (active && !active[u])
            continue;
        uint32_t best = RP_KEPT;
        double best_sim = -1;
        for (size_t e = start[u]; e < start[u + 1]; e++) {
            uint32_t v = adj[e];
            if (rank[v] >= rank[u] || leader[v] != RP_KEPT ||
                (active && !active[v]) || (group && group[v] == group[u]))
                continue;
            if (adj_sim[e] > best_sim ||
                (adj_sim[e] == best_sim && rank[v] < rank[best])) {
                best = v;
                best_sim = adj_sim[e];
            }
        }
        if (best != RP_KEPT) {
            leader[u] = best;
            sim[u] = best_sim;
        }
    }
    rc = RP_OK;
done:
    free(start);
    free(adj);
    free(adj_sim);
    free(order);
    free(tmp);
    return rc;
}
