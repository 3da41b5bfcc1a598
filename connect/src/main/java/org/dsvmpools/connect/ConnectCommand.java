package org.dsvmpools.connect;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dsvmpools connect POOL}: signs the user in (device code, once; the refresh token after), asks the front
 * door for a seat, waking the pool and waiting with a progress line while it starts, then runs {@code ssh} to
 * it, or under {@code --proxy} carries ssh's connection as its {@code ProxyCommand}. Everything it says goes to
 * stderr: under {@code --proxy}, stdout is the SSH stream.
 */
@Command(name = "dsvmpools-connect", sortOptions = false, usageHelpWidth = 110, mixinStandardHelpOptions = true,
        version = "dsvmpools-connect 0.1.0",
        description = {"Reach a pool over SSH through its front door, even when it is scaled to zero: sign in with"
                + " Entra ID, wake the pool, wait, then ssh to a free seat."},
        footer = {"", "examples:",
                "  dsvmpools-connect https://<app>.azurewebsites.net/api/p/ml-team",
                "  dsvmpools-connect --door https://<app>.azurewebsites.net/api ml-team -- -L 8888:localhost:8888",
                "  dsvmpools-connect --ssh-config https://<app>.azurewebsites.net/api/p/ml-team >> ~/.ssh/config",
                "exit codes: ssh's own; 1 refused or sign-in failed; 2 a mistake on the command line; 3 gave up"
                        + " waiting"})
public final class ConnectCommand implements Callable<Integer> {
    static final int REFUSED = 1;
    static final int GAVE_UP = 3;

    @Parameters(index = "0", paramLabel = "POOL", description = "the pool's address (https://<app>/api/p/<pool>),"
            + " or its name with --door")
    String pool;

    @Parameters(index = "1..*", paramLabel = "SSH-ARGS", description = "more arguments for ssh, after --")
    List<String> sshArguments = new ArrayList<>();

    @Option(names = "--door", paramLabel = "URL", description = "the front door's base, https://<app>/api"
            + " (default: $DSVMPOOLS_DOOR)")
    String door = System.getenv("DSVMPOOLS_DOOR");

    @Option(names = "--proxy", description = "be ssh's ProxyCommand: carry the connection on stdin and stdout")
    boolean proxy;

    @Option(names = "--ssh-config", description = "print an ~/.ssh/config entry for the pool and exit")
    boolean sshConfig;

    @Option(names = "--sign-in", description = "forget the cached sign-in and sign in again")
    boolean signInAgain;

    @Option(names = "--wait", paramLabel = "DURATION", description = "how long to wait for a seat, as 10m or 90s"
            + " (default ${DEFAULT-VALUE})", converter = DurationConverter.class, defaultValue = "15m")
    Duration wait;

    @Option(names = "--trust", paramLabel = "PEM", description = "also trust this certificate (the dev stack's"
            + " emulator: .dsvmpools/local-tls.pem)")
    Path trust;

    @Option(names = "--connect-to", paramLabel = "HOST:PORT:HOST2:PORT2", description = "dial HOST2:PORT2 for a"
            + " seat at HOST:PORT, as curl's option (an empty HOST or 0 PORT matches any)")
    List<String> connectTo = new ArrayList<>();

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "where the sign-in is kept (default"
            + " $XDG_CACHE_HOME/dsvmpools or ~/.cache/dsvmpools)")
    Path cacheDir;

    private final PrintStream messages;
    private final Clock clock;
    private final java.io.InputStream in;
    private final java.io.OutputStream out;

    ConnectCommand(PrintStream messages, Clock clock, java.io.InputStream in, java.io.OutputStream out) {
        this.messages = messages;
        this.clock = clock;
        this.in = in;
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.err, Clock.systemUTC(), System.in, System.out));
    }

    /** Runs the command line; a mistake on it is one line on stderr and exit code 2. */
    public static int run(String[] args, PrintStream messages, Clock clock, java.io.InputStream in, java.io.OutputStream out) {
        CommandLine line = new CommandLine(new ConnectCommand(messages, clock, in, out));
        line.setErr(new java.io.PrintWriter(messages, true));
        line.setOut(new java.io.PrintWriter(new java.io.OutputStreamWriter(out), true));
        line.setParameterExceptionHandler((e, given) -> {
            messages.println("dsvmpools-connect: " + e.getMessage() + " (dsvmpools-connect --help lists the options)");
            return CommandLine.ExitCode.USAGE;
        });
        return line.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        DoorAddress.Result address = DoorAddress.parse(pool, Optional.ofNullable(door).filter(d -> !d.isBlank()));
        if (address.problem() != null) {
            return mistake(address.problem());
        }
        List<SshHandoff.ConnectTo> rules = new ArrayList<>();
        for (String rule : connectTo) {
            Optional<SshHandoff.ConnectTo> parsed = SshHandoff.ConnectTo.parse(rule);
            if (parsed.isEmpty()) {
                return mistake("--connect-to " + rule + " is not HOST:PORT:HOST2:PORT2");
            }
            rules.add(parsed.get());
        }
        DoorAddress at = address.address();
        if (sshConfig) {
            PrintStream entry = new PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8);
            entry.print(SshHandoff.configEntry(at.pool(), at.base() + "/p/" + at.pool(),
                    trust == null ? "" : " --trust " + trust.toAbsolutePath()));
            entry.flush();
            return 0;
        }
        SSLContext tls;
        try {
            tls = Trust.context(trust);
        } catch (GeneralSecurityException | IOException e) {
            return mistake("--trust " + trust + ": " + e.getMessage());
        }
        HttpClient http = HttpClient.newBuilder().sslContext(tls).connectTimeout(DoorClient.TIMEOUT).build();
        DoorClient client = new DoorClient(http, at.base());
        Optional<DoorClient.Answer.Ready> seat;
        try {
            EntraSignIn signIn = new EntraSignIn(client.signInSettings(), tls.getSocketFactory(),
                    new TokenCache(cacheDir != null ? cacheDir : TokenCache.defaultFolder()), messages, clock);
            if (signInAgain) {
                signIn.signOut();
            }
            seat = awaitSeat(client, signIn, at.pool());
        } catch (DoorClient.DoorException | EntraSignIn.SignInException e) {
            messages.println("dsvmpools-connect: " + e.getMessage());
            return REFUSED;
        } catch (Refusal refusal) {
            return refusal.code;
        }
        if (seat.isEmpty()) {
            messages.println("dsvmpools-connect: no seat in pool " + at.pool() + " after " + wait.toMinutes()
                    + " min; try again later, or ask its owner");
            return GAVE_UP;
        }
        InetSocketAddress dial = SshHandoff.dial(seat.get().host(), seat.get().port(), rules);
        if (proxy) {
            return SshHandoff.proxy(dial, in, out);
        }
        return SshHandoff.runSsh(SshHandoff.sshCommand(seat.get(), dial, sshArguments));
    }

    /** A refusal by the door, already said. */
    private static final class Refusal extends Exception {
        final int code;

        Refusal(int code) {
            super(null, null, false, false);
            this.code = code;
        }
    }

    private Optional<DoorClient.Answer.Ready> awaitSeat(DoorClient client, EntraSignIn signIn, String poolName)
            throws DoorClient.DoorException, EntraSignIn.SignInException, Refusal, InterruptedException {
        Instant until = clock.instant().plus(wait);
        Progress progress = new Progress(messages, poolName, clock);
        String token = signIn.accessToken(false);
        boolean signedInAgain = false;
        while (true) {
            DoorClient.Answer answer = client.connect(poolName, token);
            if (answer instanceof DoorClient.Answer.Ready ready) {
                progress.done("a seat is free: " + ready.user() + "@" + ready.host());
                return Optional.of(ready);
            }
            if (answer instanceof DoorClient.Answer.Unauthenticated unauthenticated) {
                if (signedInAgain) {
                    messages.println("dsvmpools-connect: the front door refused the sign-in: " + unauthenticated.detail());
                    throw new Refusal(REFUSED);
                }
                signedInAgain = true;
                token = signIn.accessToken(true);
                continue;
            }
            if (answer instanceof DoorClient.Answer.Refused refused) {
                progress.done(null);
                messages.println("dsvmpools-connect: " + refused.title() + ": " + refused.detail());
                throw new Refusal(REFUSED);
            }
            DoorClient.Answer.Waiting waiting = (DoorClient.Answer.Waiting) answer;
            progress.show(waiting);
            if (!clock.instant().plus(waiting.retryAfter()).isBefore(until)) {
                progress.done(null);
                return Optional.empty();
            }
            Thread.sleep(waiting.retryAfter().toMillis());
        }
    }

    private int mistake(String what) {
        messages.println("dsvmpools-connect: " + what);
        return CommandLine.ExitCode.USAGE;
    }

    /** {@code 90s}, {@code 10m}, {@code 1h}, or ISO-8601 ({@code PT10M}). */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String given = value.strip().toLowerCase(java.util.Locale.ROOT);
            try {
                if (given.matches("\\d+[smh]")) {
                    long amount = Long.parseLong(given.substring(0, given.length() - 1));
                    return switch (given.charAt(given.length() - 1)) {
                        case 's' -> Duration.ofSeconds(amount);
                        case 'm' -> Duration.ofMinutes(amount);
                        default -> Duration.ofHours(amount);
                    };
                }
                return Duration.parse(value);
            } catch (RuntimeException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration such as 90s or 10m");
            }
        }
    }
}
