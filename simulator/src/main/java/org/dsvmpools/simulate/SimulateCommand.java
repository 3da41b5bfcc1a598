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
 * Its options are {@link Options}, read by picocli; {@code --help} lists them, the bundled traces and the policies.
 */
public final class SimulateCommand {
    static final double DEFAULT_PRICE = 0.192;
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
        Options options = new Options();
        picocli.CommandLine line = Options.commandLine(options);
        try {
            line.parseArgs(args);
        } catch (picocli.CommandLine.ParameterException e) {
            // A mistake is one line that says what is wrong and where the options are (#30); main exits with 2.
            throw new IllegalArgumentException(String.valueOf(e.getMessage()).lines().findFirst().orElse("")
                    + suggestion(e) + " (./dsvmpools simulate --help lists the options)");
        }
        if (line.isUsageHelpRequested()) {
            out.print(line.getUsageMessage());
            return;
        }
        options.check();
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

    private static String suggestion(picocli.CommandLine.ParameterException e) {
        if (e instanceof picocli.CommandLine.UnmatchedArgumentException unmatched
                && !unmatched.getSuggestions().isEmpty()) {
            return "; did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?";
        }
        return "";
    }

    /**
     * The options, read by picocli: {@code --help} is made from these fields, and its lists of bundled traces and
     * policies from {@link TraceGenerator#BUNDLED} and {@link Policies#NAMES}, so the help cannot leave one out.
     */
    @picocli.CommandLine.Command(name = "./dsvmpools simulate", sortOptions = false, usageHelpWidth = 110,
            description = {"What a pool would cost under each scaling policy on a session trace, and who would wait."})
    static final class Options {
        @picocli.CommandLine.Option(names = "--bundled", paramLabel = "NAME", description = "a bundled trace (see"
                + " below), or all")
        String bundled;

        @picocli.CommandLine.Option(names = "--sessions", paramLabel = "FILE.csv", description = "sessions as"
                + " user,start,end (ISO-8601)")
        Path sessions;

        @picocli.CommandLine.Option(names = "--logons", paramLabel = "FILE.csv", description = "logon events as"
                + " time,user,event (Logon/Logoff)")
        Path logons;

        @picocli.CommandLine.Option(names = "--pool", paramLabel = "pool.json", description = "the pool document as"
                + " POSTed (default: the bundled trace's, else simulate/pool.json)")
        Path pool;

        @picocli.CommandLine.Option(names = "--policy", paramLabel = "NAME", description = "repeatable; default"
                + " all (see below)", converter = PolicyName.class)
        List<String> policies = new ArrayList<>();

        @picocli.CommandLine.Option(names = "--price", paramLabel = "X", description = "price per instance-hour"
                + " (default ${DEFAULT-VALUE})")
        double price = DEFAULT_PRICE;

        @picocli.CommandLine.Option(names = "--wake", paramLabel = "TIME=SEATS", description = "repeatable: a wake"
                + " call at TIME (ISO-8601 with offset) for SEATS seats", converter = WakeCallConverter.class)
        List<Policies.WakeCall> wakes = new ArrayList<>();

        @picocli.CommandLine.Option(names = "--front-door", paramLabel = "SHARE", description = "the share of users"
                + " (0 to 1) who come through the front door, which wakes the pool at once; the others are seen only"
                + " once an instance runs (default 1)", converter = ShareConverter.class)
        double frontDoor = Simulation.ALL_THROUGH_THE_DOOR;

        @picocli.CommandLine.Option(names = "--json", description = "the figures as a JSON array instead of a table")
        boolean json;

        @picocli.CommandLine.Option(names = "--plot", paramLabel = "out.png", description = "active users and"
                + " running instances over time, one panel per policy")
        Path plot;

        @picocli.CommandLine.Option(names = "--generate", paramLabel = "DIR", description = "write the bundled traces"
                + " into DIR and stop")
        Path generate;

        @picocli.CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "this text")
        boolean help;

        static picocli.CommandLine commandLine(Options options) {
            picocli.CommandLine line = new picocli.CommandLine(options);
            line.getCommandSpec().usageMessage().footer("", "bundled traces: " + String.join(", ",
                    TraceGenerator.BUNDLED.stream().map(TraceGenerator.Bundled::file).toList()),
                    "policies: " + String.join(", ", Policies.NAMES), "",
                    "example: ./dsvmpools simulate --bundled office-2-weeks.csv --policy dsvmpools --policy avd");
            return line;
        }

        /** What no single option can say: one trace, exactly. */
        void check() {
            if (policies.isEmpty()) {
                policies.addAll(Policies.NAMES);
            }
            if (generate == null && (sessions == null) == (logons == null) == (bundled == null)) {
                throw new IllegalArgumentException("give exactly one of --sessions, --logons or --bundled");
            }
        }

        static final class PolicyName implements picocli.CommandLine.ITypeConverter<String> {
            @Override
            public String convert(String policy) {
                if (!Policies.NAMES.contains(policy)) {
                    throw new picocli.CommandLine.TypeConversionException("unknown policy '" + policy + "'; known: "
                            + Policies.NAMES);
                }
                return policy;
            }
        }

        static final class WakeCallConverter implements picocli.CommandLine.ITypeConverter<Policies.WakeCall> {
            @Override
            public Policies.WakeCall convert(String value) {
                try {
                    return Policies.WakeCall.parse(value);
                } catch (IllegalArgumentException e) {
                    throw new picocli.CommandLine.TypeConversionException(e.getMessage());
                }
            }
        }

        static final class ShareConverter implements picocli.CommandLine.ITypeConverter<Double> {
            @Override
            public Double convert(String value) {
                double share;
                try {
                    share = Double.parseDouble(value);
                } catch (NumberFormatException e) {
                    share = Double.NaN;
                }
                if (!(share >= 0 && share <= 1)) {
                    throw new picocli.CommandLine.TypeConversionException("--front-door takes the share of users"
                            + " who come through the front door, from 0 to 1, not '" + value + "'");
                }
                return share;
            }
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
