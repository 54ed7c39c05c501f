/*
 * reprint/sys/quote.h - quoted speech in an article and who said it.
 *
 * Quotation marks: “…”, „…“ (or „…”), «…», ‘…’ and "…". A quote that does
 * not close by the end of its paragraph continues when the next paragraph
 * opens with the same mark (the convention for multi-paragraph quotes);
 * otherwise it ends with its paragraph, marked unclosed. Quotes of fewer
 * than `min_words` words (scare quotes, titles, single terms) are skipped.
 * An apostrophe (’ followed by a letter, as in "Iran’s") closes nothing.
 *
 * The speaker, outside quoted text, in the same sentence:
 *
 *   after the quote    ..." NAME said / said NAME / told NAME
 *   before the quote   NAME said: "..." / NAME asserted that "..."
 *
 * NAME is a run of capitalised words next to a speech verb ("said",
 * "told", "added", "stressed", ...; a few auxiliaries and adverbs may sit
 * between: "has once again rejected"), not after a preposition. A pronoun
 * ("he added") or a person's role ("the Iranian FM stressed", "the
 * spokesman said") resolves to the last person named as speaking before
 * the quote; a quote with no attribution that follows another quote in the
 * same or the previous paragraph takes its speaker. Anything else ("the
 * office said") is kept as a description. English attribution only.
 */
#ifndef REPRINT_QUOTE_H
#define REPRINT_QUOTE_H

#include "../common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum rp_speaker_basis {
    RP_SPEAKER_NONE = 0, /* no attribution found */
    RP_SPEAKER_NAMED,    /* a name next to the quote */
    RP_SPEAKER_RESOLVED, /* a pronoun, a role, or a continued quote:
                            speaker_* is where the person was named */
    RP_SPEAKER_ROLE      /* a description, no name ("the office") */
} rp_speaker_basis;

typedef struct rp_quote {
    uint32_t open, close;   /* the whole quotation, marks included */
    uint32_t start, end;    /* the quoted words, marks and edge spaces
                               excluded (bytes) */
    uint32_t speaker_start; /* the speaker as written; equal to */
    uint32_t speaker_end;   /*   speaker_start when there is none */
    uint16_t paragraphs;    /* paragraphs the quote spans, >= 1 */
    uint8_t basis;          /* rp_speaker_basis */
    uint8_t closed;         /* a closing mark was found */
} rp_quote;

/**
 * Find the quotes of `text` (valid UTF-8, `len` bytes, < 4 GiB), in text
 * order, into *out (malloc'ed; free()), count in *count.
 * @return RP_OK, RP_ENOMEM, or RP_EINVAL (len >= 4 GiB).
 */
RP_API int rp_quotes_find(rp_quote **out, size_t *count, const char *text,
                          size_t len, uint32_t min_words);

/**
 * The comparison key of a speaker's name: its last word, letters only,
 * ASCII lower-cased ("Hossein Amir-Abdollahian" and "Amirabdollahian" ->
 * "amirabdollahian"; "Kan’ani" -> "kanani"). Writes at most cap - 1 bytes
 * and a NUL; returns the key's length (0: no letters).
 */
RP_API size_t rp_speaker_key(char *out, size_t cap, const char *name,
                             size_t len);

#ifdef __cplusplus
}
#endif
#endif
