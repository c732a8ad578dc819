/*
 * warden/escape.h - escaping for every text format Warden writes besides
 * JSON (which is json/writer.c's wd_json_write_str).
 *
 * Names and values in exports are hostile: a node called
 * `"]; evil [label="x` must not break a DOT file, inject Mermaid syntax or
 * HTML into a GitHub-rendered diagram, forge a Markdown table row, or open
 * an XML element. Writers never paste input into output; they call these.
 * Each appends the escaped form of len bytes of s to out; invalid UTF-8 and
 * control characters are replaced, never passed through.
 */
#ifndef WARDEN_ESCAPE_H
#define WARDEN_ESCAPE_H

#include "warden/util.h"

#ifdef __cplusplus
extern "C" {
#endif

/* XML / HTML / SVG text and attribute values (&<>"' escaped). */
void wd_escape_xml(wd_buf *out, const char *s, size_t len);
/* Markdown inline text, safe inside a table cell: no emphasis, links, HTML,
 * code spans, pipes, or line breaks can be formed. */
void wd_escape_md(wd_buf *out, const char *s, size_t len);
/* wd_escape_md for text GitHub renders (comments, documents): GitHub makes
 * @-mentions from the rendered text, which no escape prevents, so a word
 * joiner (U+2060) follows each '@' that could start a mention (not one
 * inside a word, as in an e-mail address): a node called "@everyone"
 * notifies nobody. */
void wd_escape_md_rendered(wd_buf *out, const char *s, size_t len);
/* The inside of a DOT double-quoted string (ID or label). */
void wd_escape_dot(wd_buf *out, const char *s, size_t len);
/* The inside of a Mermaid double-quoted label ("..."), using Mermaid's
 * #code; entities for quotes and HTML-significant characters. */
void wd_escape_mermaid(wd_buf *out, const char *s, size_t len);

#ifdef __cplusplus
}
#endif
#endif
