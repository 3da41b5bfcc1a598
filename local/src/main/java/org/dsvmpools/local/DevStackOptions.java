package org.dsvmpools.local;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The options of {@code ./dsvmpools dev}, read by picocli: a user's mistake (an unknown option, a port that is
 * not a number, an emulator mode that is neither on nor off) is one line that says what is wrong, never a stack
 * trace; {@code --help} is generated from these fields, so it lists every option.
 */
@Command(name = "./dsvmpools dev", sortOptions = false, usageHelpWidth = 110,
        description = {"Azurite, a Functions-compatible host over the real functions and the Azure emulator (ARM,"
                + " Files, Graph, Entra ID), in the foreground; Ctrl-C stops them all. Prints the URLs, the"
                + " function key and the Event Grid topic key."},
        footer = {"", "example: ./dsvmpools dev --data-dir .dsvmpools --time-scale 0.01"})
final class DevStackOptions {
    /** Whether the Azure emulator runs. */
    enum EmulatorMode { on, off }

    @Option(names = "--port", paramLabel = "N", description = "the host's http port (${DEFAULT-VALUE})")
    int port = 7071;

    @Option(names = "--https-port", paramLabel = "N",
            description = "the host's https port, for the Event Grid topic with a key (${DEFAULT-VALUE})")
    int httpsPort = 7072;

    @Option(names = "--azurite-port", paramLabel = "N",
            description = "Azurite's blob port; queue and table on N+1 and N+2 (${DEFAULT-VALUE})")
    int azuritePort = 10000;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "keep Azurite's data, the keys and the"
            + " emulator's files in DIR (default: in memory, keys in .dsvmpools/)")
    Path dataDir;

    @Option(names = "--arm-port", paramLabel = "N", description = "the emulated ARM and Graph, https (${DEFAULT-VALUE})")
    int armPort = 7443;

    @Option(names = "--files-port", paramLabel = "N", description = "the emulated Azure Files, http (${DEFAULT-VALUE})")
    int filesPort = 7444;

    @Option(names = "--time-scale", paramLabel = "X", description = "Azure's durations times X in the emulator"
            + " (${DEFAULT-VALUE}: a VM starts in 0.9 s)")
    double timeScale = 0.01;

    @Option(names = "--faults", paramLabel = "FILE", description = "ARM faults to inject, as POST /emulator/faults"
            + " takes them")
    Path faults;

    @Option(names = "--emulator", paramLabel = "on|off", description = "off: no Azure emulator (the app then needs"
            + " a real ARM endpoint); default ${DEFAULT-VALUE}")
    EmulatorMode emulator = EmulatorMode.on;

    @Option(names = "--settings", paramLabel = "FILE", description = "the app settings (default"
            + " <root>/local.settings.json, made from the example if missing)")
    Path settings;

    @Option(names = "--root", paramLabel = "DIR", description = "the repository (the launcher's folder)")
    Path root = Path.of(".");

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "this text")
    boolean help;

    /** Which package the host scans for functions; the tests' sample functions live elsewhere. */
    @Option(names = "--scan", hidden = true)
    String scan = FunctionHost.DEFAULT_SCAN;

    /** A mistake in the command line, in one line for the user. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    /**
     * The options in {@code args}, or null when they asked for help (printed already).
     *
     * @throws UsageException for a mistake, its message the one line to print
     */
    static DevStackOptions parse(String[] args, java.io.PrintStream out) {
        DevStackOptions options = new DevStackOptions();
        CommandLine command = new CommandLine(options).setCaseInsensitiveEnumValuesAllowed(true);
        CommandLine.ParseResult parsed;
        try {
            parsed = command.parseArgs(args);
        } catch (CommandLine.UnmatchedArgumentException e) {
            String first = e.getUnmatched().isEmpty() ? "" : e.getUnmatched().get(0);
            java.util.List<String> near = command.getCommandSpec().optionsMap().keySet().stream()
                    .filter(name -> name.startsWith("--") && distance(name, first) <= 2).sorted().toList();
            throw new UsageException("unknown option " + first + (near.isEmpty() ? ""
                    : "; did you mean " + String.join(" or ", near) + "?") + " (--help lists the options)");
        } catch (CommandLine.ParameterException e) {
            throw new UsageException(e.getMessage() + " (--help lists the options)");
        }
        if (parsed.isUsageHelpRequested()) {
            command.usage(out);
            return null;
        }
        for (int candidate : new int[] {options.port, options.httpsPort, options.azuritePort, options.armPort,
            options.filesPort}) {
            // Azurite takes three ports from --azurite-port on.
            if (candidate < 1 || candidate > 65533) {
                throw new UsageException("a port must be from 1 to 65533, not " + candidate
                        + " (--help lists the options)");
            }
        }
        if (!(options.timeScale > 0)) {
            throw new UsageException("--time-scale must be more than 0, not " + options.timeScale);
        }
        return options;
    }

    /**
     * Edits between two names (Levenshtein), for "did you mean": picocli's own suggestions stay empty for a
     * misspelt long option followed by its value.
     */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int[] current = new int[b.length() + 1];
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                current[j] = Math.min(Math.min(current[j - 1], previous[j]) + 1,
                        previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            previous = current;
        }
        return previous[b.length()];
    }

    /** The help text, as --help prints it. */
    static String usage() {
        return new CommandLine(new DevStackOptions()).getUsageMessage();
    }
}
