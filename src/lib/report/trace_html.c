/*
 * trace_html.c - the trace report for people: one self-contained file, no
 * external resource, one inline script (trace_html.js) that the
 * Content-Security-Policy pins by its SHA-256 (tools/embed-script.cmake);
 * no other script can run, and it builds the page only with
 * createElement and textContent.
 *
 * The page is its data (trace_html_data.c, a JSON data block) and the
 * script that draws one view at a time from it, chosen by the URL's
 * fragment:
 *
 *   #passages (default)  passages ranked by spread (outlets, documents),
 *                        with the counts, filtered by the search form
 *   #p12                 one passage: origin and basis, copy graph (at most
 *                        RP_TRACE_GRAPH_MAX members drawn, the rest named),
 *                        timeline with each member's source and evidence,
 *                        texts side by side with differences marked
 *   #documents, #d5      every document that shares text; one: where its
 *                        text came from and who took from it
 *   #outlets, #o1        the same per outlet
 *   #quotes, #boilerplate, #flows
 *   #q=word&o=outlet&d=doc&n=2&no=2   the search and filter, as a link
 *
 * A data block is read as one string, so a Reuters-21578 report loads in
 * about a second where the same report as markup took tens of seconds.
 * Without JavaScript the page shows the summary and the whole report as
 * compact lists in <noscript> after the script (trace_html_static.c),
 * under the same anchors (#p12, #d5, ...), as plain HTML escaped by
 * rp_html_put_text() and isolated in <bdi>; with JavaScript a browser
 * keeps them as one string, unparsed, and reaches them only after the
 * script has drawn the first view.
 */
#include "../trace/trace_job.h"

#include "../../util/html_out.h"
#include "trace_script.h" /* trace_script, TRACE_SCRIPT_SHA256: generated */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char html_head[] =
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
    "'none'; style-src 'unsafe-inline'; script-src '" TRACE_SCRIPT_SHA256
    "'\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    "\n<title>reprint trace</title>\n<style>\n"
    "body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:"
    "72em;padding:0 1em;color:#222}\n"
    "h2{border-top:1px solid #ccc;padding-top:1em}\n"
    "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid "
    "#ddd;padding:.2em .6em;text-align:left;vertical-align:top}\n"
    ".side{display:grid;grid-template-columns:repeat(auto-fit,minmax(20em,"
    "1fr));gap:1em}\n"
    "figure{margin:0;border:1px solid #ddd;border-radius:4px;padding:.5em}"
    "figcaption{font-weight:600;margin-bottom:.3em}\n"
    "blockquote{margin:0;white-space:pre-wrap;unicode-bidi:isolate}\n"
    "mark{background:#fe9}.ev{font-size:90%;color:#444}\n"
    ".tie{color:#a60}.nav{font-size:90%}svg text{font-size:12px}\n"
    ".graph{overflow-x:auto}.n{color:#555;font-size:90%}\n"
    "ol.rank li{margin:.3em 0}button{margin:.5em 0}\n"
    "form{display:flex;flex-wrap:wrap;gap:.5em 1em;align-items:end;"
    "background:#f6f6f6;padding:.6em;border-radius:4px}\n"
    "form[hidden]{display:none}label{display:flex;flex-direction:column;"
    "font-size:90%}\n"
    "</style></head><body id=\"top\">\n<h1>reprint trace</h1>\n";

/* the search and filter form: shown by the script, which applies it */
static const char html_form[] =
    "<form id=\"f\" hidden role=\"search\">"
    "<label>word<input name=\"q\" type=\"search\"></label>"
    "<label>outlet<input name=\"o\"></label>"
    "<label>document<input name=\"d\"></label>"
    "<label>documents at least<input name=\"n\" type=\"number\" min=\"0\" "
    "style=\"width:6em\"></label>"
    "<label>outlets at least<input name=\"no\" type=\"number\" min=\"0\" "
    "style=\"width:6em\"></label>"
    "<output id=\"shown\"></output></form>\n"
    "<nav class=\"nav\" id=\"nav\" hidden><a href=\"#passages\">passages</a>"
    " · <a href=\"#documents\">documents</a> · "
    "<a href=\"#outlets\">outlets</a> · <a href=\"#quotes\">quotes</a> · "
    "<a href=\"#boilerplate\">boilerplate</a> · "
    "<a href=\"#flows\">outlet flows</a></nav>\n";

int rp__trace_html(const tjob *j, rp_buf *b)
{
    const rp_trace_stats *st = j->st;
    trank *rank = NULL;
    size_t nrank = 0;
    int rc = rp__trace_rank(j, &rank, &nrank);
    if (rc != RP_OK)
        return rc;
    rp_buf_puts(b, html_head);
    rp_buf_printf(b,
         "<p>%zu documents, %llu candidate pairs, %llu sharing passages; "
         "%llu passages (%llu boilerplate), %llu quotes, %llu quoted in two "
         "or more documents. Origins follow publication dates; where the "
         "earliest dates overlap, only the text can decide, and otherwise "
         "the origin is left open (<span class=\"tie\">tie</span>).</p>\n",
         j->ndocs, (unsigned long long)st->candidate_pairs,
         (unsigned long long)st->aligned_pairs,
         (unsigned long long)st->passages,
         (unsigned long long)st->boilerplate, (unsigned long long)st->quotes,
         (unsigned long long)st->quote_clusters);
    rp_buf_puts(b, html_form);
    rp_buf_puts(b, "<main id=\"view\"></main>\n"
                   "<script type=\"application/json\" id=\"data\">");
    rc = rp__trace_html_data(j, rank, nrank, b);
    rp_buf_printf(b, "</script>\n<script>%s</script>\n", trace_script);
    /* after the script, so the first view is drawn before the parser
       reaches the lists (read as one string when scripts run) */
    if (rc == RP_OK)
        rc = rp__trace_html_static(j, rank, nrank, b);
    rp_buf_puts(b, "</body></html>\n");
    free(rank);
    if (rc == RP_OK && b->failed)
        rc = RP_ENOMEM;
    return rc;
}
