package org.dsvmpools.functions;

import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.dsvmpools.door.DoorPorts;
import org.dsvmpools.door.Portal;
import org.dsvmpools.door.RosterEntry;
import org.dsvmpools.door.SignedInUser;
import org.dsvmpools.pool.Pool;
import org.dsvmpools.pool.PoolEvent;

/**
 * The portal's pages: the user's pools, and one pool's state, instances, events and, for its owner, its users and
 * forecast. Server-rendered HTML with forms and an inline SVG chart: nothing to load from anywhere, and every
 * control a link, a button or a labelled field, so the keyboard reaches all of it.
 */
final class PortalPages {
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
    private static final int CHART_WIDTH = 600;
    private static final int CHART_HEIGHT = 160;

    private PortalPages() {
    }

    static HttpResponseMessage pools(HttpRequestMessage<?> request, SignedInUser user, List<Portal.PoolLine> lines) {
        StringBuilder body = new StringBuilder("<p>Signed in as ").append(DoorPages.escape(user.shownAs()))
                .append(".</p>");
        if (lines.isEmpty()) {
            body.append("<p id=\"none\">You are not a user of any pool. Ask a pool's owner to add you.</p>");
        } else {
            body.append("<table id=\"pools\"><thead><tr><th scope=\"col\">pool</th><th scope=\"col\">state</th>"
                    + "<th scope=\"col\">you are</th><th scope=\"col\">your sessions this week</th>"
                    + "<th scope=\"col\"></th></tr></thead><tbody>");
            for (Portal.PoolLine line : lines) {
                String name = line.pool().name().value();
                body.append("<tr><td><a href=\"/api/portal/").append(name).append("\">").append(name)
                        .append("</a></td><td>").append(line.pool().status()).append("</td><td>")
                        .append(line.owner() ? "owner" : "user").append("</td><td class=\"sessions\">")
                        .append(sessions(line.sessionsThisWeek())).append("</td><td><a href=\"/api/p/").append(name)
                        .append("\">open</a></td></tr>");
            }
            body.append("</tbody></table><p>Weeks begin on Monday at 00:00 UTC.</p>");
        }
        return DoorPages.page(request, 200, "Your pools", "Your pools", body.toString(), false);
    }

    static HttpResponseMessage pool(HttpRequestMessage<?> request, Portal.View.Shown shown, String notice,
                                    int status) {
        Pool pool = shown.pool();
        String name = pool.name().value();
        StringBuilder body = new StringBuilder();
        if (notice != null) {
            body.append("<p id=\"notice\" role=\"status\">").append(DoorPages.escape(notice)).append("</p>");
        }
        body.append("<p id=\"state\">").append(pool.status()).append(". <a href=\"/api/p/").append(name)
                .append("\">Open the pool</a> · <a href=\"/api/portal\">all your pools</a></p>");
        instances(body, shown.activity());
        if (shown.owner()) {
            users(body, name, shown.roster());
            forecast(body, shown.activity());
            cost(body, shown.cost());
        }
        events(body, shown.events());
        return DoorPages.page(request, status, "Pool " + name, "Pool " + name, body.toString(), false);
    }

    /** "3 sessions, 4 h 10 min"; a dash for a pool the user is not a user of. */
    static String sessions(DoorPorts.UserSessions.Summary summary) {
        if (summary == null) {
            return "–";
        }
        long minutes = summary.time().toMinutes();
        return summary.sessions() + (summary.sessions() == 1 ? " session, " : " sessions, ") + minutes / 60 + " h "
                + minutes % 60 + " min";
    }

    /**
     * The compute so far this month, and what it stands on: the scaler's instance-hours, the size's price from
     * Azure's retail list. Said to be an estimate, since the bill also has disks, storage and network.
     */
    private static void cost(StringBuilder body, Optional<Portal.Cost> cost) {
        body.append("<h2>Compute this month</h2>");
        if (cost.isEmpty()) {
            body.append("<p id=\"cost\">Not counted yet: the scaler has not evaluated this pool.</p>");
            return;
        }
        Portal.Cost c = cost.get();
        String hours = String.format(java.util.Locale.ROOT, "%.1f", c.instanceHours());
        body.append("<p id=\"cost\">").append(hours).append(" instance-hours of ").append(DoorPages.escape(c.vmSize()))
                .append(" in ").append(c.month()).append(" (UTC)");
        if (c.amount() != null) {
            body.append(", about <strong>").append(String.format(java.util.Locale.ROOT, "%.2f", c.amount()))
                    .append(' ').append(DoorPages.escape(c.price().currency())).append("</strong> at the pay-as-you-go"
                    + " Linux price in ").append(DoorPages.escape(c.region())).append(" (")
                    .append(String.format(java.util.Locale.ROOT, "%.4f", c.price().amount())).append(" an hour).");
        } else {
            body.append(". No price: ").append(DoorPages.escape(c.price().why())).append('.');
        }
        body.append(" Compute only: disks, the share and network are billed apart, and your invoice is the"
                + " judge.</p>");
    }

    private static void instances(StringBuilder body, Optional<DoorPorts.PoolActivity.Activity> activity) {
        body.append("<h2>Instances</h2>");
        if (activity.isEmpty() || activity.get().instances().isEmpty()) {
            body.append("<p id=\"instances\">None running").append(activity.map(a -> " (seen at "
                    + a.seenAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + ")").orElse(""))
                    .append(".</p>");
            return;
        }
        body.append("<table id=\"instances\"><thead><tr><th scope=\"col\">instance</th><th scope=\"col\">state</th>"
                + "<th scope=\"col\">who is on it</th></tr></thead><tbody>");
        for (DoorPorts.PoolActivity.InstanceView instance : activity.get().instances()) {
            body.append("<tr><td>").append(DoorPages.escape(instance.id())).append("</td><td>")
                    .append(DoorPages.escape(instance.power())).append(instance.draining() ? ", draining" : "")
                    .append("</td><td>").append(DoorPages.escape(instance.users().isEmpty() ? "nobody"
                            : String.join(", ", instance.users()))).append("</td></tr>");
        }
        body.append("</tbody></table>");
        if (activity.get().failure() != null) {
            body.append("<p class=\"why\">The scaler's last evaluation failed: ")
                    .append(DoorPages.escape(activity.get().failure())).append("</p>");
        }
    }

    private static void users(StringBuilder body, String pool, List<RosterEntry> roster) {
        body.append("<h2>Users</h2><table id=\"roster\"><thead><tr><th scope=\"col\">name</th>"
                + "<th scope=\"col\">email</th><th scope=\"col\">state</th><th scope=\"col\"></th></tr></thead><tbody>");
        for (RosterEntry entry : roster) {
            body.append("<tr><td>").append(DoorPages.escape(entry.name())).append("</td><td>")
                    .append(DoorPages.escape(entry.email() == null ? "" : entry.email())).append("</td><td>")
                    .append(entry.active() ? "active" : "removed").append("</td><td>");
            if (entry.active()) {
                body.append("<form method=\"post\" action=\"/api/portal/").append(pool).append("/users/")
                        .append(DoorPages.escape(entry.name())).append("/remove\"><button type=\"submit\""
                                + " aria-label=\"Remove ").append(DoorPages.escape(entry.name()))
                        .append("\">Remove</button></form>");
            }
            body.append("</td></tr>");
        }
        body.append("</tbody></table><form id=\"add\" method=\"post\" action=\"/api/portal/").append(pool)
                .append("/users\"><label for=\"email\">Add a user by email</label> <input id=\"email\""
                        + " name=\"email\" type=\"email\" required maxlength=\"254\"> <button type=\"submit\">Add"
                        + "</button></form>");
    }

    /** The forecast as bars, one per slot: an inline SVG with its figures in its title for screen readers. */
    private static void forecast(StringBuilder body, Optional<DoorPorts.PoolActivity.Activity> activity) {
        body.append("<h2>Forecast</h2>");
        List<DoorPorts.PoolActivity.ForecastSlot> slots = activity.map(DoorPorts.PoolActivity.Activity::forecast)
                .orElse(List.of());
        if (slots.isEmpty()) {
            body.append("<p id=\"forecast\">No forecast yet: the scaler learns one from the pool's first days of"
                    + " use.</p>");
            return;
        }
        int most = Math.max(1, slots.stream().mapToInt(DoorPorts.PoolActivity.ForecastSlot::users).max().orElse(1));
        double width = (double) CHART_WIDTH / slots.size();
        StringBuilder summary = new StringBuilder();
        StringBuilder bars = new StringBuilder();
        for (int i = 0; i < slots.size(); i++) {
            DoorPorts.PoolActivity.ForecastSlot slot = slots.get(i);
            double height = (CHART_HEIGHT - 20) * slot.users() / (double) most;
            bars.append(String.format(java.util.Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\""
                    + " height=\"%.1f\" fill=\"#0b62d6\"><title>%s: %d users</title></rect>", i * width,
                    CHART_HEIGHT - 20 - height, Math.max(1, width - 2), height, HOUR.format(slot.at()), slot.users()));
            if (i % 4 == 0) {
                bars.append(String.format(java.util.Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\">%s"
                        + "</text>", i * width, CHART_HEIGHT - 5, HOUR.format(slot.at())));
                summary.append(HOUR.format(slot.at())).append(' ').append(slot.users()).append(", ");
            }
        }
        int days = activity.get().historyDays();
        body.append("<figure><svg id=\"forecast\" role=\"img\" width=\"").append(CHART_WIDTH).append("\" height=\"")
                .append(CHART_HEIGHT).append("\" viewBox=\"0 0 ").append(CHART_WIDTH).append(' ')
                .append(CHART_HEIGHT).append("\" aria-label=\"Users expected (UTC): ")
                .append(summary.substring(0, summary.length() - 2)).append("\">").append(bars)
                .append("</svg><figcaption>Users expected in each quarter hour of the next ")
                .append(slots.size() / 4).append(" hours (UTC, at most ").append(most).append("), learned from ")
                .append(days).append(days == 1 ? " day" : " days").append(" of history.</figcaption></figure>");
    }

    private static void events(StringBuilder body, List<PoolEvent> events) {
        body.append("<h2>Recent events</h2><ol id=\"events\">");
        for (PoolEvent event : events) {
            body.append("<li data-source=\"").append(event.source()).append("\" data-kind=\"").append(event.kind())
                    .append("\"><time datetime=\"").append(event.time()).append("\">")
                    .append(event.time().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)).append("</time> ")
                    .append(event.status()).append(", ").append(event.source())
                    .append(event.kind() == PoolEvent.Kind.state || event.kind() == PoolEvent.Kind.action ? ""
                            : " (" + event.kind() + ")").append(": ")
                    .append(DoorPages.escape(String.valueOf(event.reason()))).append("</li>");
        }
        body.append("</ol>");
    }
}
