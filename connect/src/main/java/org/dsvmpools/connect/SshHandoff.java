package org.dsvmpools.connect;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What happens once the door names a seat: {@code ssh} run as the user at the pool's address, or, under
 * {@code ProxyCommand}, this process's stdin and stdout joined to that address for the ssh that started it.
 */
final class SshHandoff {
    private SshHandoff() {
    }

    /**
     * Where a connection to {@code host:port} really goes: {@code --connect-to HOST:PORT:HOST2:PORT2}, as curl's
     * option of that name (a private address, a jump through a tunnel, or the dev stack's sshd).
     */
    record ConnectTo(String host, int port, String toHost, int toPort) {
        static Optional<ConnectTo> parse(String given) {
            String[] parts = given.split(":");
            if (parts.length != 4) {
                return Optional.empty();
            }
            try {
                return Optional.of(new ConnectTo(parts[0], Integer.parseInt(parts[1]), parts[2],
                        Integer.parseInt(parts[3])));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        boolean matches(String otherHost, int otherPort) {
            return (host.isEmpty() || host.equalsIgnoreCase(otherHost)) && (port == 0 || port == otherPort);
        }
    }

    /** The address to dial for a seat at {@code host:port}. */
    static InetSocketAddress dial(String host, int port, List<ConnectTo> rules) {
        for (ConnectTo rule : rules) {
            if (rule.matches(host, port)) {
                return InetSocketAddress.createUnresolved(rule.toHost(), rule.toPort());
            }
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    /**
     * The ssh command for a seat: the user's account, the dialled address, and the pool's DNS name as the host
     * key's alias, so known_hosts names the pool even when {@code --connect-to} dials elsewhere. The user's own
     * arguments come after the destination, where OpenSSH still reads options and then the remote command.
     */
    static List<String> sshCommand(DoorClient.Answer.Ready seat, InetSocketAddress dial, List<String> extra) {
        List<String> command = new ArrayList<>(List.of("ssh", "-p", String.valueOf(dial.getPort()),
                "-o", "HostKeyAlias=" + seat.host(), "-l", seat.user(), dial.getHostString()));
        command.addAll(extra);
        return command;
    }

    /** Runs ssh in this terminal; its exit code is the command's. */
    static int runSsh(List<String> command) throws IOException, InterruptedException {
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }

    /** Joins stdin and stdout to the seat until either side closes: ssh's ProxyCommand. */
    static int proxy(InetSocketAddress dial, InputStream in, OutputStream out) throws IOException, InterruptedException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(dial.getHostString(), dial.getPort()), 30_000);
            socket.setTcpNoDelay(true);
            Thread up = new Thread(() -> {
                try {
                    in.transferTo(socket.getOutputStream());
                    socket.shutdownOutput();
                } catch (IOException closed) {
                    // The other side ended the session.
                }
            }, "proxy-up");
            up.setDaemon(true);
            up.start();
            try {
                socket.getInputStream().transferTo(out);
                out.flush();
            } catch (IOException closed) {
                // ssh closed its end.
            }
            return 0;
        }
    }

    /** An {@code ~/.ssh/config} entry that makes {@code ssh <pool>} go through the door. */
    static String configEntry(String pool, String poolAddress, String trustOption) {
        return String.join("\n",
                "Host " + pool,
                "  ProxyCommand dsvmpools-connect --proxy" + trustOption + " " + poolAddress,
                "  # your account name on the pool, as its owner added you (dsvmpools-connect prints it):",
                "  # User <name>",
                "");
    }
}
