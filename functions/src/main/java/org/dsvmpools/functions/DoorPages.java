package org.dsvmpools.functions;

import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatusType;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The front door's pages: plain HTML from the app, no script and nothing from another host (the policy says so
 * to the browser too), each saying what is happening or why not, in the page's title and its one heading.
 */
final class DoorPages {
    /** How often the waiting page reloads itself (a meta refresh: no script needed). */
    static final int REFRESH_SECONDS = 5;
    // Forms post back to the app only; inline SVG charts need nothing fetched.
    private static final String POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self';"
            + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    private static final String STYLE = "body{font-family:system-ui,sans-serif;max-width:40em;margin:3em auto;"
            + "padding:0 1em;line-height:1.5;color:#1b1b1b}h1{font-size:1.5em}h2{font-size:1.15em;margin-top:2em}"
            + "p.why{color:#555}table{border-collapse:collapse}td,th{padding:.2em .8em .2em 0;text-align:left}"
            + "a:focus,button:focus,input:focus{outline:3px solid #0b62d6;outline-offset:2px}"
            + "#notice{padding:.5em;border-left:4px solid #0b62d6;background:#eef4fc}";

    private DoorPages() {
    }

    static HttpResponseMessage waiting(HttpRequestMessage<?> request, String pool, String doing, Instant expected,
                                       String problem, Instant now) {
        StringBuilder body = new StringBuilder("<p id=\"doing\">").append(escape(doing)).append("</p>");
        if (expected != null) {
            Duration left = Duration.between(now, expected);
            body.append("<p id=\"expected\">Expected ready at <time datetime=\"").append(expected)
                    .append("\">").append(expected.truncatedTo(ChronoUnit.SECONDS)).append("</time>")
                    .append(left.isNegative() ? " (any moment now)" : " (in about " + roughly(left) + ")")
                    .append(".</p>");
        }
        if (problem != null) {
            body.append("<p id=\"problem\" class=\"why\">The last attempt to start it: ").append(escape(problem))
                    .append("</p>");
        }
        body.append("<p class=\"why\">This page checks again every ").append(REFRESH_SECONDS)
                .append(" seconds and takes you to the pool as soon as it has a seat for you.</p>");
        return page(request, 200, "Starting " + pool, "Pool " + pool + " is starting", body.toString(), true);
    }

    static HttpResponseMessage refused(HttpRequestMessage<?> request, int status, String reason, String title,
                                       String detail) {
        return page(request, status, title, title, "<p id=\"why\" data-reason=\"" + escape(reason) + "\">"
                + escape(detail) + "</p>", false);
    }

    static HttpResponseMessage redirect(HttpRequestMessage<?> request, String location, String cookie) {
        var response = request.createResponseBuilder(HttpStatusType.custom(302)).header("Location", location)
                .header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer");
        if (cookie != null) {
            response.header("Set-Cookie", cookie);
        }
        return response.build();
    }

    static HttpResponseMessage page(HttpRequestMessage<?> request, int status, String title, String heading,
                                            String body, boolean refresh) {
        String html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + (refresh ? "<meta http-equiv=\"refresh\" content=\"" + REFRESH_SECONDS + "\">" : "")
                + "<title>" + escape(title) + " · dsvm-pools</title><style>" + STYLE + "</style></head><body><main>"
                + "<h1>" + escape(heading) + "</h1>" + body + "</main></body></html>";
        return request.createResponseBuilder(HttpStatusType.custom(status))
                .header("Content-Type", "text/html; charset=utf-8").header("Cache-Control", "no-store")
                .header("Content-Security-Policy", POLICY).header("X-Content-Type-Options", "nosniff")
                // same-origin, not no-referrer: under no-referrer a browser sends Origin: null with the portal's own
                // form posts, which could then not be told from another site's (the Fetch standard's origin rules).
                .header("Referrer-Policy", "same-origin").body(html).build();
    }

    private static String roughly(Duration left) {
        long seconds = Math.max(1, left.toSeconds());
        return seconds < 90 ? seconds + " seconds" : (seconds + 30) / 60 + " minutes";
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
