package org.dsvmpools.simulate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleConsumer;
import org.dsvmpools.pool.PoolSpec;
import org.dsvmpools.pool.PoolSpecJson;
import org.dsvmpools.scaling.ScalingConfig;
import org.dsvmpools.scaling.ScalingConfigs;

/**
 * {@code ./dsvmpools simulate}: what a pool would cost under each policy on a session trace, and who would wait.
 *
 * <pre>
 *   --sessions FILE.csv     user,start,end (ISO-8601); or --logons FILE.csv with time,user,event (Logon/Logoff)
 *   --bundled NAME          a bundled trace (office-2-weeks.csv, class-burst.csv, overnight-jobs.csv), or all
 *   --pool pool.json        the pool document (as POSTed); default: the bundled simulate/pool.json
 *   --policy NAME           repeatable; default all: dsvmpools always-on schedule cpu-autoscale avd oracle
 *   --price 0.192           price per instance-hour
 *   --front-door SHARE      share of users (0-1) through the front door; the rest seen once an instance runs
 *   --wake TIME=SEATS       repeatable: a wake call at TIME (ISO-8601 with offset) for SEATS seats, as a teacher
 *                           would make before a class; only our policy has a wake API
 *   --json                  the figures as a JSON array instead of a table
 *   --plot out.png          active users and running instances over time, one panel per policy
 *   --generate DIR          write the bundled traces (made by the seeded generator) into DIR and stop
 * </pre>
 */
public final class SimulateCommand {
    static final double DEFAULT_PRICE = 0.192;
    static final String USAGE = """
            usage: ./dsvmpools simulate (--bundled NAME | --sessions FILE.csv | --logons FILE.csv) [options]

            What a pool would cost under each scaling policy on a session trace, and who would wait.

              --bundled NAME          a bundled trace: office-2-weeks.csv, class-burst.csv, overnight-jobs.csv, or all
              --sessions FILE.csv     sessions as user,start,end (ISO-8601)
              --logons FILE.csv       logon events as time,user,event (Logon/Logoff)
              --pool pool.json        the pool document as POSTed (default: the bundled simulate/pool.json)
              --policy NAME           repeatable; default all: dsvmpools always-on schedule cpu-autoscale avd oracle
              --price 0.192           price per instance-hour
              --wake TIME=SEATS       repeatable: a wake call at TIME (ISO-8601 with offset) for SEATS seats
              --front-door SHARE      the share of users (0 to 1) who come through the front door, which wakes the
                                      pool at once; the others are seen only once an instance runs (default 1)
              --json                  the figures as a JSON array instead of a table
              --plot out.png          active users and running instances over time, one panel per policy
              --generate DIR          write the bundled traces into DIR and stop
              --help                  this text

            example: ./dsvmpools simulate --bundled office-2-weeks.csv --policy dsvmpools --policy avd
            """;

    private SimulateCommand() {
    }

    public static void main(String[] args) throws Exception {
        try {
            run(args, System.out, System.err, System.console() != null);
        } catch (IllegalArgumentException | IOException e) {
            // A user's mistake (a file that is not there, a document that is not JSON) is one line (#30).
            System.err.println("simulate: " + mistake(e));
            System.exit(2);
        }
    }

    /** What went wrong, in one line: the file that is missing, or the reader's first line without its source. */
    static String mistake(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException missing) {
            return "no such file: " + missing.getFile();
        }
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException json) {
            return "not a JSON document: " + json.getOriginalMessage()
                    + (json.getLocation() == null ? "" : " (line " + json.getLocation().getLineNr() + ")");
        }
        return String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName());
    }

    static void run(String[] args, PrintStream out, PrintStream err, boolean terminal) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            out.print(USAGE);
            return;
        }
        Options options = Options.parse(args);
        if (options.generate != null) {
            generate(options.generate);
            out.println("wrote " + TraceGenerator.BUNDLED.size() + " traces to " + options.generate);
            return;
        }
        if ("all".equals(options.bundled)) {
            Path plot = options.plot;
            ArrayNode all = new ObjectMapper().createArrayNode();
            for (TraceGenerator.Bundled bundled : TraceGenerator.BUNDLED) {
                options.bundled = bundled.file();
                if (plot != null) {
                    String name = plot.getFileName().toString().replaceFirst("\\.png$", "");
                    options.plot = plot.resolveSibling(name + "-" + bundled.file().replace(".csv", ".png"));
                }
                List<SimulationResult> results = compare(options, err, terminal);
                if (options.json) {
                    json(results).forEach(result -> all.add(((ObjectNode) result).put("trace", bundled.file())));
                } else {
                    out.println("## " + bundled.file() + "\n");
                    out.print(table(results));
                    out.println();
                }
            }
            if (options.json) {
                out.print(all.toPrettyString() + "\n");
            }
            return;
        }
        List<SimulationResult> results = compare(options, err, terminal);
        out.print(options.json ? json(results).toPrettyString() + "\n" : table(results));
    }

    /** The figures of every policy asked for; a plot, when asked for, is written and said so on stderr. */
    private static List<SimulationResult> compare(Options options, PrintStream err, boolean terminal)
            throws Exception {
        List<TraceSession> trace = options.trace();
        ScalingConfig config = ScalingConfigs.of(options.pool());
        List<Simulation.Run> runs = new ArrayList<>();
        for (String policy : options.policies) {
            runs.add(simulate(policy, trace, config, options.wakes, options.price, options.frontDoor,
                    terminal ? bar(err, policy) : p -> { }));
        }
        SimulationResult oracle = Simulation.oracle(trace, config, options.price).result();
        List<SimulationResult> results = runs.stream().map(r -> r.result().relativeTo(oracle)).toList();
        if (options.plot != null) {
            Map<String, List<Simulation.Sample>> samples = new LinkedHashMap<>();
            runs.forEach(r -> samples.put(r.result().policy(), r.samples()));
            Plot.write(samples, options.plot);
            err.println("plot written to " + options.plot);
        }
        return results;
    }

    static Simulation.Run simulate(String policy, List<TraceSession> trace, ScalingConfig config,
                                   List<Policies.WakeCall> wakes, double price, double frontDoor,
                                   DoubleConsumer progress) {
        return policy.equals("oracle") ? Simulation.oracle(trace, config, price)
                : Simulation.run(trace, config, Policies.of(policy, config, wakes), price, frontDoor, progress);
    }

    static void generate(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (TraceGenerator.Bundled bundled : TraceGenerator.BUNDLED) {
            Files.writeString(dir.resolve(bundled.file()),
                    Traces.toCsv(TraceGenerator.generate(bundled.shape(), bundled.seed())));
        }
    }

    /** The figures as a table, then each policy's weeks. */
    static String table(List<SimulationResult> results) {
        return totals(results) + "\n" + weeks(results);
    }

    static String weeks(List<SimulationResult> results) {
        StringBuilder table = new StringBuilder("| policy | week of | sessions | waited | p95 wait (s) | cost |"
                + " cost vs oracle |\n|---|---|---|---|---|---|---|\n");
        for (SimulationResult r : results) {
            for (SimulationResult.Week week : r.weeks()) {
                table.append(String.format(Locale.ROOT, "| %s | %s | %d | %d (%.1f%%) | %.0f | %.2f | %.2f |%n",
                        r.policy(), week.start(), week.sessions(), week.waitedSessions(),
                        week.sessions() == 0 ? 0.0 : 100.0 * week.waitedSessions() / week.sessions(),
                        week.p95WaitSeconds(), week.cost(), week.costVsOracle()));
            }
        }
        return table.toString();
    }

    static String totals(List<SimulationResult> results) {
        StringBuilder table = new StringBuilder("| policy | instance-hours | cost | sessions | waited | p50 wait (s) |"
                + " p95 wait (s) | max wait (s) | cost vs oracle | interrupted |\n");
        table.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (SimulationResult r : results) {
            table.append(String.format(Locale.ROOT, "| %s | %.1f | %.2f | %d | %d (%.1f%%) | %.0f | %.0f | %.0f | %.2f | %d |%n",
                    r.policy(), r.instanceHours(), r.cost(), r.sessions(), r.waitedSessions(), 100 * r.waitedShare(),
                    r.p50WaitSeconds(), r.p95WaitSeconds(), r.maxWaitSeconds(), r.costVsOracle(),
                    r.interruptedSessions()));
        }
        return table.toString();
    }

    static ArrayNode json(List<SimulationResult> results) {
        ArrayNode array = new ObjectMapper().createArrayNode();
        for (SimulationResult r : results) {
            ObjectNode result = array.addObject().put("policy", r.policy()).put("instanceHours", round(r.instanceHours()))
                    .put("cost", round(r.cost())).put("sessions", r.sessions())
                    .put("waitedSessions", r.waitedSessions()).put("p50WaitSeconds", r.p50WaitSeconds())
                    .put("p95WaitSeconds", r.p95WaitSeconds()).put("maxWaitSeconds", r.maxWaitSeconds())
                    .put("costVsOracle", round(r.costVsOracle())).put("interruptedSessions", r.interruptedSessions());
            ArrayNode weeks = result.putArray("weeks");
            for (SimulationResult.Week week : r.weeks()) {
                weeks.addObject().put("start", week.start().toString()).put("sessions", week.sessions())
                        .put("waitedSessions", week.waitedSessions()).put("p95WaitSeconds", week.p95WaitSeconds())
                        .put("cost", round(week.cost())).put("costVsOracle", round(week.costVsOracle()));
            }
        }
        return array;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    /** A progress bar on the terminal's error stream, redrawn in place. */
    private static DoubleConsumer bar(PrintStream err, String policy) {
        return fraction -> {
            int filled = (int) Math.round(fraction * 30);
            err.print("\r" + String.format("%-14s", policy) + " [" + "#".repeat(filled) + " ".repeat(30 - filled)
                    + "] " + Math.round(fraction * 100) + "%" + (fraction >= 1 ? "\n" : ""));
        };
    }

    private static final class Options {
        Path sessions;
        Path logons;
        String bundled;
        Path pool;
        Path plot;
        Path generate;
        boolean json;
        double price = DEFAULT_PRICE;
        double frontDoor = Simulation.ALL_THROUGH_THE_DOOR;
        List<String> policies = new ArrayList<>();
        List<Policies.WakeCall> wakes = new ArrayList<>();

        static Options parse(String[] args) {
            Options options = new Options();
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (flag.equals("--json")) {
                    options.json = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(flag + " needs a value");
                }
                String value = args[++i];
                switch (flag) {
                    case "--sessions" -> options.sessions = Path.of(value);
                    case "--logons" -> options.logons = Path.of(value);
                    case "--bundled" -> options.bundled = value;
                    case "--pool" -> options.pool = Path.of(value);
                    case "--plot" -> options.plot = Path.of(value);
                    case "--generate" -> options.generate = Path.of(value);
                    case "--policy" -> options.policies.add(known(value));
                    case "--price" -> options.price = Double.parseDouble(value);
                    case "--wake" -> options.wakes.add(Policies.WakeCall.parse(value));
                    case "--front-door" -> options.frontDoor = share(value);
                    default -> throw new IllegalArgumentException("unknown option " + flag + "; valid: --bundled,"
                            + " --sessions, --logons, --pool, --policy, --price, --wake, --front-door, --json, --plot,"
                            + " --generate,"
                            + " --help (./dsvmpools simulate --help)");
                }
            }
            if (options.policies.isEmpty()) {
                options.policies.addAll(Policies.NAMES);
            }
            if (options.generate == null && (options.sessions == null) == (options.logons == null)
                    == (options.bundled == null)) {
                throw new IllegalArgumentException("give exactly one of --sessions, --logons or --bundled");
            }
            return options;
        }

        private static double share(String value) {
            double share;
            try {
                share = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                share = Double.NaN;
            }
            if (!(share >= 0 && share <= 1)) {
                throw new IllegalArgumentException("--front-door takes the share of users who come through the"
                        + " front door, from 0 to 1, not '" + value + "'");
            }
            return share;
        }

        private static String known(String policy) {
            if (!Policies.NAMES.contains(policy)) {
                throw new IllegalArgumentException("unknown policy '" + policy + "'; known: " + Policies.NAMES);
            }
            return policy;
        }

        List<TraceSession> trace() throws IOException {
            List<TraceSession> trace;
            if (sessions != null) {
                trace = Traces.readSessions(sessions);
            } else if (logons != null) {
                trace = Traces.fromLogonEvents(logons);
            } else {
                trace = bundledTrace(bundled);
            }
            if (trace.isEmpty()) {
                throw new IllegalArgumentException("the trace has no sessions");
            }
            return trace;
        }

        PoolSpec pool() throws IOException {
            String text = pool != null ? Files.readString(pool) : resource(TraceGenerator.BUNDLED.stream()
                    .filter(b -> b.file().equals(bundled)).map(TraceGenerator.Bundled::pool).findFirst()
                    .orElse("simulate/pool.json"));
            PoolSpecJson.ReadResult read = PoolSpecJson.read(new ObjectMapper().readTree(text));
            if (!read.isValid()) {
                throw new IllegalArgumentException("the pool document is invalid: " + String.join("; ", read.errors()
                        .stream().map(error -> error.pointer() + " " + error.message()).toList()));
            }
            return read.spec();
        }
    }

    static List<TraceSession> bundledTrace(String name) throws IOException {
        Path temp = Files.createTempFile("trace", ".csv");
        try {
            Files.writeString(temp, resource("traces/" + name));
            return Traces.readSessions(temp);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = SimulateCommand.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no bundled resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
