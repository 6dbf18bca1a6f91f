package io.github.reluspectra.demo.report;

import java.util.List;

/**
 * The markup both demo pages share ({@code index.html} of the MLP run and of {@code --model lenet}): one page,
 * styles inline, no scripts, images and links only to files in the report directory, so that it opens from disk
 * without a network.
 */
final class HtmlPage {

    static final String STYLE = """
            body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:1100px;\
            margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
            h1{font-size:1.7em}h2{margin-top:2em;border-bottom:1px solid #ccc}h3{margin-top:1.5em}
            table{border-collapse:collapse;margin:.8em 0;font-size:.92em}
            th,td{border:1px solid #ccc;padding:.25em .6em;text-align:right}th{background:#f3f3f3}
            td.l,th.l{text-align:left}img{max-width:100%;border:1px solid #eee;margin:.4em 0}
            .meta{color:#555;font-size:.92em}.good{font-weight:bold}code{background:#f5f5f5;padding:0 .2em}
            .box{background:#f4f8fb;border:1px solid #bcd;padding:.6em 1em;margin:1em 0}.box li{margin:.2em 0}
            """;

    private final StringBuilder html = new StringBuilder();

    /** The page's head, with {@code title} as its title and first heading. */
    HtmlPage(String title) {
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(title))
                .append("</title><style>")
                .append(STYLE)
                .append("</style></head><body>\n<h1>")
                .append(esc(title))
                .append("</h1>\n");
    }

    /** Markup as it is. */
    HtmlPage append(Object markup) {
        html.append(markup);
        return this;
    }

    void h2(String id, String title) {
        html.append("<h2 id=\"").append(id).append("\">").append(title).append("</h2>\n");
    }

    void p(String cssClass, String content) {
        html.append(cssClass == null ? "<p>" : "<p class=\"" + cssClass + "\">")
                .append(content)
                .append("</p>\n");
    }

    void img(String src, String alt) {
        html.append("<img src=\"")
                .append(esc(src))
                .append("\" alt=\"")
                .append(esc(alt))
                .append("\">\n");
    }

    void item(String file, String what) {
        html.append("<li>").append(link(file)).append(" — ").append(esc(what)).append("</li>\n");
    }

    static String link(String file) {
        return "<a href=\"" + esc(file) + "\">" + esc(file) + "</a>";
    }

    void table(String[] header, List<String[]> rows) {
        table(header, rows, 0);
    }

    /** Cells are HTML already; the first {@code leftColumns} columns are left-aligned. */
    void table(String[] header, List<String[]> rows, int leftColumns) {
        html.append("<table><tr>");
        for (int i = 0; i < header.length; i++) {
            html.append(i < leftColumns ? "<th class=\"l\">" : "<th>")
                    .append(header[i])
                    .append("</th>");
        }
        html.append("</tr>\n");
        for (String[] row : rows) {
            html.append("<tr>");
            for (int i = 0; i < row.length; i++) {
                html.append(i < leftColumns ? "<td class=\"l\">" : "<td>")
                        .append(row[i])
                        .append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** The whole page, closed. */
    String end() {
        return html.append("</body></html>\n").toString();
    }
}
