package org.dsvmpools.emulator;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The Azure Files REST API on a real folder per storage account ({@code files/<account>/<share>/...} under the
 * data folder, so a person can look at what was provisioned): shares, directories, small files (create, put
 * range, get, rename), leases, SharedKey authorisation against the keys listKeys returns, and errors
 * as the service sends them ({@code x-ms-error-code} and an XML body).
 */
final class FilesApi implements HttpHandler {
    private static final DateTimeFormatter SMB_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS'Z'");
    private static final String VERSION = "2025-05-05";

    private final StorageAccounts accounts;
    /**
     * What the service keeps of each file or directory beside its bytes, in one place, so a rename or a delete
     * moves or drops all of it at once (#30: four maps once let a directory rename leave leases behind).
     */
    private static final class PathState {
        String etag;
        String lease;
        /** A lease broken and not yet released: its id no longer authorises writes (Lease File: Broken state). */
        String broken;
        Map<String, String> metadata = Map.of();
    }

    private final Map<Path, PathState> states = new ConcurrentHashMap<>();
    private final AtomicLong versions = new AtomicLong(System.nanoTime());
    /** Put Range: "The maximum size of a range is 4 MiB." */
    static final long MAX_RANGE = 4L * 1024 * 1024;
    /**
     * Naming and referencing shares, directories, files and metadata: these names are reserved, in any case, and
     * with any extension.
     */
    static final java.util.Set<String> RESERVED = java.util.Set.of("con", "prn", "aux", "nul", "com1", "com2", "com3",
            "com4", "com5", "com6", "com7", "com8", "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7",
            "lpt8", "lpt9", "clock$");

    private final RequestLog log;
    private final Faults faults;
    /** The subnet the app's requests come from, when a test or the dev stack says; null: not checked. */
    private volatile String callerSubnet;
    private volatile int iopsLimit;
    private final Map<String, long[]> windows = new ConcurrentHashMap<>();

    private final java.time.Clock clock;

    FilesApi(StorageAccounts accounts, RequestLog log, Faults faults, java.time.Clock clock) {
        this.clock = clock;
        this.accounts = accounts;
        this.log = log;
        this.faults = faults;
    }

    /**
     * At most {@code perSecond} requests a second to one share, as Azure Files' scale targets cap a share's IOPS
     * (1,000 for a standard share, 20,000 with large file shares); beyond it, 503 {@code ServerBusy}. 0: no limit.
     */
    void iopsLimit(int perSecond) {
        iopsLimit = perSecond;
        windows.clear();
    }

    /** Whether one more request to {@code share} fits in the current second. */
    private boolean withinIops(String share) {
        int limit = iopsLimit;
        if (limit <= 0) {
            return true;
        }
        long second = clock.millis() / 1000;
        long[] window = windows.computeIfAbsent(share, s -> new long[2]);
        synchronized (window) {
            if (window[0] != second) {
                window[0] = second;
                window[1] = 0;
            }
            return ++window[1] <= limit;
        }
    }

    /** Requests come from {@code subnetId} from now on, and each account's firewall is checked against it. */
    void callerSubnet(String subnetId) {
        callerSubnet = subnetId;
    }

    /** A service error: status, code and message, sent as the service sends them. */
    private static final class FilesError extends RuntimeException {
        final int status;
        final String code;

        FilesError(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        java.time.Instant received = clock.instant();
        String query = exchange.getRequestURI().getRawQuery();
        java.util.concurrent.atomic.AtomicBoolean logged = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.function.IntConsumer logOnce = status -> {
            if (logged.compareAndSet(false, true)) {
                log.add(new RequestLog.Entry(received, exchange.getRequestMethod(), exchange.getRequestURI()
                        .getRawPath() + (query == null ? "" : "?" + query), status, java.time.Duration.ZERO));
            }
        };
        // Logged before the answer leaves: a client that clears the log once it has its answer never sees the
        // entry of a request it already had the answer to. A thread-local, since the JDK's server keeps exchange
        // attributes per context, shared by concurrent requests; the answer is sent on the handling thread.
        LOG_BEFORE_ANSWER.set(logOnce);
        try (exchange) {
            try {
                serve(exchange);
            } catch (FilesError e) {
                // Read what the client is still sending first: answering an unread 5 MiB upload and closing makes
                // the client's socket reset before it reads the answer, as a real server's lingering close avoids.
                exchange.getRequestBody().transferTo(java.io.OutputStream.nullOutputStream());
                sendError(exchange, e);
            } catch (IOException | RuntimeException e) {
                System.err.println("emulator: Files request failed: " + e);
                sendError(exchange, new FilesError(500, "InternalError", e.toString()));
            }
        }
        LOG_BEFORE_ANSWER.remove();
        logOnce.accept(exchange.getResponseCode());
    }

    private static final ThreadLocal<java.util.function.IntConsumer> LOG_BEFORE_ANSWER = new ThreadLocal<>();

    private void serve(HttpExchange exchange) throws IOException {
        String rawPath = exchange.getRequestURI().getRawPath();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        Optional<Faults.Fault> fault = faults.check(exchange.getRequestMethod(), rawPath + "?"
                + (rawQuery == null ? "" : rawQuery), "files");
        if (fault.isPresent() && fault.get().latencyMillis() > 0) {
            sleep(fault.get().latencyMillis());
        }
        if (fault.isPresent() && fault.get().status() > 0) {
            throw new FilesError(fault.get().status(), fault.get().status() == 503 ? "ServerBusy"
                    : fault.get().code(), fault.get().message());
        }
        served(exchange, rawPath);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void served(HttpExchange exchange, String rawPath) throws IOException {
        // Nested names arrive percent-encoded ("users%2Falice"); Azure reads the decoded slashes as the path.
        List<String> segments = new ArrayList<>();
        for (String segment : URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8).split("/")) {
            if (!segment.isEmpty()) {
                segments.add(segment);
            }
        }
        if (segments.isEmpty()) {
            throw new FilesError(400, "InvalidUri", "The requested URI does not represent any resource on the server.");
        }
        StorageAccounts.Account account = accounts.find(segments.get(0))
                .orElseThrow(() -> new FilesError(404, "ResourceNotFound", "The specified account does not exist."));
        if (!SharedKey.isValid(exchange.getRequestMethod(), rawPath, exchange.getRequestURI().getRawQuery(),
                exchange.getRequestHeaders(), account.name(), account.keys())) {
            throw new FilesError(403, "AuthenticationFailed", "Server failed to authenticate the request. Make sure"
                    + " the value of Authorization header is formed correctly including the signature.");
        }
        if (segments.size() >= 2 && !withinIops(account.name() + "/" + segments.get(1))) {
            throw new FilesError(503, "ServerBusy", "Operations per second is over the account limit.");
        }
        if (callerSubnet != null && !accounts.admits(account.name(), callerSubnet)) {
            // Azure Storage's answer to a request its network rules refuse.
            throw new FilesError(403, "AuthorizationFailure", "This request is not authorized to perform this"
                    + " operation.");
        }
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        Path target = resolve(account.root(), segments.subList(1, segments.size()));
        String restype = query.getOrDefault("restype", "");
        String method = exchange.getRequestMethod();
        if (segments.size() == 2 && restype.equals("share")) {
            share(exchange, method, target);
        } else if (restype.equals("directory")) {
            directory(exchange, method, target, query, account, segments);
        } else if (segments.size() >= 3) {
            file(exchange, method, target, query, account, segments.get(1));
        } else {
            throw new FilesError(400, "InvalidQueryParameterValue", "restype is required for " + rawPath);
        }
    }

    /** Path segments as they arrived (decoded); none may climb out of the share. */
    private static Path resolve(Path root, List<String> segments) {
        Path path = root;
        for (String segment : segments) {
            String base = segment.toLowerCase(Locale.ROOT).split("\\.", 2)[0];
            if (segment.equals(".") || segment.equals("..") || segment.contains("/") || segment.contains("\\")
                    || segment.indexOf('\0') >= 0 || RESERVED.contains(base)) {
                throw new FilesError(400, "InvalidResourceName", "The specifed resource name contains invalid"
                        + " characters.");
            }
            path = path.resolve(segment);
        }
        return path;
    }

    private void share(HttpExchange exchange, String method, Path share) throws IOException {
        switch (method) {
            case "PUT" -> {
                if (Files.isDirectory(share)) {
                    throw new FilesError(409, "ShareAlreadyExists", "The specified share already exists.");
                }
                Files.createDirectories(share);
                sendEmpty(exchange, 201, touched(share));
            }
            case "GET", "HEAD" -> {
                requireDirectory(share, "ShareNotFound", "The specified share does not exist.");
                Headers headers = withEtag(share);
                headers.set("x-ms-share-quota", "5120");
                sendEmpty(exchange, 200, headers);
            }
            case "DELETE" -> {
                requireDirectory(share, "ShareNotFound", "The specified share does not exist.");
                deleteTree(share);
                sendEmpty(exchange, 202, new Headers());
            }
            default -> throw new FilesError(405, "UnsupportedHttpVerb", method + " is not supported on shares");
        }
    }

    private void directory(HttpExchange exchange, String method, Path directory, Map<String, String> query,
                           StorageAccounts.Account account, List<String> segments) throws IOException {
        if (query.getOrDefault("comp", "").equals("list")) {
            requireDirectory(directory, "ResourceNotFound", "The specified resource does not exist.");
            sendXml(exchange, 200, listing(directory, account, segments));
            return;
        }
        if (query.getOrDefault("comp", "").equals("rename") && method.equals("PUT")) {
            rename(exchange, directory, account, segments);
            return;
        }
        switch (method) {
            case "PUT" -> {
                if (Files.exists(directory)) {
                    throw new FilesError(409, "ResourceAlreadyExists", "The specified resource already exists.");
                }
                if (!Files.isDirectory(directory.getParent())) {
                    throw new FilesError(404, "ParentNotFound", "The specified parent path does not exist.");
                }
                Files.createDirectory(directory);
                sendEmpty(exchange, 201, smb(touched(directory), "Directory"));
            }
            case "GET", "HEAD" -> {
                requireDirectory(directory, "ResourceNotFound", "The specified resource does not exist.");
                sendEmpty(exchange, 200, smb(withEtag(directory), "Directory"));
            }
            case "DELETE" -> {
                requireDirectory(directory, "ResourceNotFound", "The specified resource does not exist.");
                try {
                    Files.delete(directory);
                } catch (DirectoryNotEmptyException e) {
                    throw new FilesError(409, "DirectoryNotEmpty", "The specified directory is not empty.");
                }
                states.remove(directory);
                sendEmpty(exchange, 202, new Headers());
            }
            default -> throw new FilesError(405, "UnsupportedHttpVerb", method + " is not supported on directories");
        }
    }

    /** {@code x-ms-file-rename-source}: the source's URL (or path), which must be in the same share. */
    private static Path renameSource(Headers request, StorageAccounts.Account account, String share) {
        String header = request.getFirst("x-ms-file-rename-source");
        if (header == null) {
            throw new FilesError(400, "MissingRequiredHeader", "x-ms-file-rename-source is required");
        }
        String sourcePath = java.net.URI.create(header.replace(" ", "%20")).getRawPath();
        List<String> source = new ArrayList<>();
        for (String segment : URLDecoder.decode(sourcePath.replace("+", "%2B"), StandardCharsets.UTF_8).split("/")) {
            if (!segment.isEmpty()) {
                source.add(segment);
            }
        }
        if (!source.isEmpty() && source.get(0).equals(account.name())) {
            source.remove(0);
        }
        if (source.size() < 2 || !source.get(0).equals(share)) {
            throw new FilesError(400, "InvalidHeaderValue", "the rename source must be in the same share");
        }
        return resolve(account.root(), source);
    }

    /**
     * Rename Directory: {@code x-ms-file-rename-source} is the source's URL in the same share. The destination
     * must not exist (no replace-if-exists here), and its parent must.
     */
    private void rename(HttpExchange exchange, Path destination, StorageAccounts.Account account,
                        List<String> segments) throws IOException {
        Path from = renameSource(exchange.getRequestHeaders(), account, segments.get(1));
        requireDirectory(from, "ResourceNotFound", "The specified resource does not exist.");
        if (Files.exists(destination)) {
            throw new FilesError(409, "ResourceAlreadyExists", "The specified resource already exists.");
        }
        if (!Files.isDirectory(destination.getParent())) {
            throw new FilesError(404, "ParentNotFound", "The specified parent path does not exist.");
        }
        Files.move(from, destination);
        // Everything under the directory goes with it: its files' leases, metadata and ETags.
        for (Path held : List.copyOf(states.keySet())) {
            if (held.startsWith(from)) {
                states.put(destination.resolve(from.relativize(held)), states.remove(held));
            }
        }
        sendEmpty(exchange, 200, smb(touched(destination), "Directory"));
    }

    private void file(HttpExchange exchange, String method, Path file, Map<String, String> query,
                      StorageAccounts.Account account, String share) throws IOException {
        Headers request = exchange.getRequestHeaders();
        String comp = query.getOrDefault("comp", "");
        if (comp.equals("lease")) {
            lease(exchange, file);
            return;
        }
        if (comp.equals("rename") && method.equals("PUT")) {
            renameFile(exchange, file, request, account, share);
            return;
        }
        switch (method) {
            case "PUT" -> {
                if (comp.equals("metadata")) {
                    requireFile(file);
                    checkLease(request, file);
                    Map<String, String> given = new java.util.TreeMap<>();
                    request.forEach((name, values) -> {
                        if (name.toLowerCase(Locale.ROOT).startsWith("x-ms-meta-")) {
                            given.put(name.substring("x-ms-meta-".length()).toLowerCase(Locale.ROOT), values.get(0));
                        }
                    });
                    state(file).metadata = Map.copyOf(given);
                    sendEmpty(exchange, 200, touched(file));
                } else if (comp.equals("range")) {
                    requireFile(file);
                    checkLease(request, file);
                    putRange(exchange, file);
                } else if (comp.isEmpty() || comp.equals("properties")) {
                    if (!Files.isDirectory(file.getParent())) {
                        throw new FilesError(404, "ParentNotFound", "The specified parent path does not exist.");
                    }
                    if (Files.exists(file)) {
                        checkLease(request, file);
                    }
                    long length = Long.parseLong(Optional.ofNullable(request.getFirst("x-ms-content-length")).orElse("0"));
                    try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
                        out.setLength(length);
                    }
                    sendEmpty(exchange, 201, smb(touched(file), "Archive"));
                } else {
                    throw new FilesError(400, "InvalidQueryParameterValue", "comp=" + comp + " is not supported");
                }
            }
            case "GET", "HEAD" -> {
                requireFile(file);
                getFile(exchange, file, method.equals("HEAD"));
            }
            case "DELETE" -> {
                requireFile(file);
                checkLease(request, file);
                Files.delete(file);
                states.remove(file);
                sendEmpty(exchange, 202, new Headers());
            }
            default -> throw new FilesError(405, "UnsupportedHttpVerb", method + " is not supported on files");
        }
    }

    private void putRange(HttpExchange exchange, Path file) throws IOException {
        long[] range = range(exchange.getRequestHeaders().getFirst("x-ms-range"))
                .or(() -> range(exchange.getRequestHeaders().getFirst("Range")))
                .orElseThrow(() -> new FilesError(400, "MissingRequiredHeader", "x-ms-range is required"));
        if (range[1] - range[0] + 1 > MAX_RANGE) {
            throw new FilesError(413, "RequestBodyTooLarge", "The request body is too large and exceeds the maximum"
                    + " permissible limit.");
        }
        byte[] body = exchange.getRequestBody().readAllBytes();
        boolean clear = "clear".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("x-ms-write"));
        long size = Files.size(file);
        if (range[1] >= size) {
            throw new FilesError(416, "InvalidRange", "The range specified is invalid for the current size of the"
                    + " resource.");
        }
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            out.seek(range[0]);
            out.write(clear ? new byte[(int) (range[1] - range[0] + 1)] : body);
        }
        sendEmpty(exchange, 201, touched(file));
    }

    private void getFile(HttpExchange exchange, Path file, boolean headOnly) throws IOException {
        byte[] content = Files.readAllBytes(file);
        Headers headers = withEtag(file);
        headers.set("x-ms-type", "File");
        headers.set("Content-Type", "application/octet-stream");
        headers.set("Accept-Ranges", "bytes");
        PathState state = state(file);
        headers.set("x-ms-lease-state", state.lease != null ? "leased" : "available");
        headers.set("x-ms-lease-status", state.lease != null ? "locked" : "unlocked");
        new java.util.TreeMap<>(state.metadata).forEach((name, value) -> headers.set("x-ms-meta-" + name, value));
        smb(headers, "Archive");
        Optional<long[]> range = range(exchange.getRequestHeaders().getFirst("x-ms-range"))
                .or(() -> range(exchange.getRequestHeaders().getFirst("Range")));
        int status = 200;
        if (range.isPresent() && content.length > 0) {
            long start = range.get()[0];
            long end = Math.min(range.get()[1], content.length - 1);
            headers.set("Content-Range", "bytes " + start + "-" + end + "/" + content.length);
            byte[] part = new byte[(int) (end - start + 1)];
            System.arraycopy(content, (int) start, part, 0, part.length);
            content = part;
            status = 206;
        }
        send(exchange, status, headers, headOnly ? null : content, content.length);
    }

    /**
     * Lease File, as its state table has it: a lease is infinite and a break ends it at once. Acquire on a leased
     * file is 409 (the same proposed id renews it); break on an available file is 409; release or change with
     * another id is 409; a broken lease can be released by its id, and its id no longer authorises writes.
     */
    private void lease(HttpExchange exchange, Path file) throws IOException {
        requireFile(file);
        Headers request = exchange.getRequestHeaders();
        String action = Optional.ofNullable(request.getFirst("x-ms-lease-action")).orElse("").toLowerCase(Locale.ROOT);
        PathState state = state(file);
        String held = state.lease;
        String presented = request.getFirst("x-ms-lease-id");
        Headers headers = withEtag(file);
        switch (action) {
            case "acquire" -> {
                String proposed = request.getFirst("x-ms-proposed-lease-id");
                if (held != null && !held.equals(proposed)) {
                    throw new FilesError(409, "LeaseAlreadyPresent", "There is already a lease present.");
                }
                String id = Optional.ofNullable(proposed).orElse(UUID.randomUUID().toString());
                state.lease = id;
                state.broken = null;
                headers.set("x-ms-lease-id", id);
                sendEmpty(exchange, 201, headers);
            }
            case "release", "change" -> {
                if (held == null && action.equals("release") && presented != null
                        && presented.equals(state.broken)) {
                    state.broken = null;
                    sendEmpty(exchange, 200, headers);
                    return;
                }
                if (held == null) {
                    throw new FilesError(409, "LeaseNotPresentWithLeaseOperation", "There is currently no lease on"
                            + " the file.");
                }
                if (!held.equals(presented)) {
                    throw new FilesError(409, "LeaseIdMismatchWithLeaseOperation", "The lease ID specified did not"
                            + " match the lease ID for the file.");
                }
                if (action.equals("release")) {
                    state.lease = null;
                } else {
                    String id = request.getFirst("x-ms-proposed-lease-id");
                    state.lease = id;
                    headers.set("x-ms-lease-id", id);
                }
                sendEmpty(exchange, 200, headers);
            }
            case "break" -> {
                if (held == null) {
                    throw new FilesError(409, "LeaseNotPresentWithLeaseOperation", "There is currently no lease on"
                            + " the file.");
                }
                state.broken = state.lease;
                state.lease = null;
                headers.set("x-ms-lease-time", "0");
                sendEmpty(exchange, 202, headers);
            }
            default -> throw new FilesError(400, "InvalidHeaderValue", "x-ms-lease-action '" + action + "'");
        }
    }

    /**
     * Rename File: {@code x-ms-file-rename-source} names the source in the same share. An existing destination is
     * replaced only with {@code x-ms-file-rename-replace-if-exists: true}, and, when it is leased, only with its
     * lease id in {@code x-ms-destination-lease-id}. The destination's lease ends with the file it replaces.
     */
    private void renameFile(HttpExchange exchange, Path destination, Headers request, StorageAccounts.Account account,
                            String share) throws IOException {
        Path from = renameSource(request, account, share);
        requireFile(from);
        if (Files.exists(destination)) {
            if (!"true".equalsIgnoreCase(request.getFirst("x-ms-file-rename-replace-if-exists"))) {
                throw new FilesError(409, "ResourceAlreadyExists", "The specified resource already exists.");
            }
            String held = state(destination).lease;
            if (held != null && !held.equals(request.getFirst("x-ms-destination-lease-id"))) {
                throw new FilesError(412, request.getFirst("x-ms-destination-lease-id") == null ? "LeaseIdMissing"
                        : "LeaseIdMismatchWithFileOperation", "There is currently a lease on the destination file"
                        + " and the lease ID specified did not match it.");
            }
        }
        if (!Files.isDirectory(destination.getParent())) {
            throw new FilesError(404, "ParentNotFound", "The specified parent path does not exist.");
        }
        Files.move(from, destination, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        // The destination's lease ends with the file it replaced; the source's state is the file's now.
        PathState moved = states.remove(from);
        if (moved == null) {
            states.remove(destination);
        } else {
            states.put(destination, moved);
        }
        sendEmpty(exchange, 200, smb(touched(destination), "Archive"));
    }

    private void checkLease(Headers request, Path file) {
        String held = state(file).lease;
        String presented = request.getFirst("x-ms-lease-id");
        if (held == null && presented != null) {
            throw new FilesError(412, "LeaseNotPresentWithFileOperation", "There is currently no lease on the file.");
        }
        if (held != null && presented == null) {
            throw new FilesError(412, "LeaseIdMissing", "There is currently a lease on the file and no lease ID was"
                    + " specified in the request.");
        }
        if (held != null && !held.equals(presented)) {
            throw new FilesError(412, "LeaseIdMismatchWithFileOperation", "The lease ID specified did not match the"
                    + " lease ID for the file.");
        }
    }

    private String listing(Path directory, StorageAccounts.Account account, List<String> segments) throws IOException {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?><EnumerationResults"
                + " ServiceEndpoint=\"/" + escape(account.name()) + "/\" ShareName=\"" + escape(segments.get(1))
                + "\" DirectoryPath=\"" + escape(String.join("/", segments.subList(2, segments.size())))
                + "\"><Entries>");
        try (Stream<Path> children = Files.list(directory)) {
            for (Path child : children.sorted().toList()) {
                String name = escape(child.getFileName().toString());
                if (Files.isDirectory(child)) {
                    xml.append("<Directory><Name>").append(name).append("</Name><Properties /></Directory>");
                } else {
                    xml.append("<File><Name>").append(name).append("</Name><Properties><Content-Length>")
                            .append(Files.size(child)).append("</Content-Length></Properties></File>");
                }
            }
        }
        return xml.append("</Entries><NextMarker /></EnumerationResults>").toString();
    }

    private static void requireDirectory(Path path, String code, String message) {
        if (!Files.isDirectory(path)) {
            throw new FilesError(404, code, message);
        }
    }

    private static void requireFile(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new FilesError(404, "ResourceNotFound", "The specified resource does not exist.");
        }
    }

    private PathState state(Path path) {
        return states.computeIfAbsent(path, p -> new PathState());
    }

    private String etag(Path path) {
        PathState state = state(path);
        synchronized (state) {
            if (state.etag == null) {
                state.etag = newEtag();
            }
            return state.etag;
        }
    }

    private String newEtag() {
        return "\"0x" + Long.toHexString(versions.incrementAndGet()).toUpperCase(Locale.ROOT) + "\"";
    }

    private Headers touched(Path path) {
        state(path).etag = newEtag();
        return withEtag(path);
    }

    private Headers withEtag(Path path) {
        Headers headers = new Headers();
        headers.set("ETag", etag(path));
        headers.set("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)));
        return headers;
    }

    /** The SMB properties the SDK reads back from create and get-properties responses. */
    private static Headers smb(Headers headers, String attributes) {
        String now = SMB_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
        headers.set("x-ms-file-attributes", attributes);
        headers.set("x-ms-file-creation-time", now);
        headers.set("x-ms-file-last-write-time", now);
        headers.set("x-ms-file-change-time", now);
        headers.set("x-ms-file-id", "13835128424026341376");
        headers.set("x-ms-file-parent-id", "0");
        headers.set("x-ms-file-permission-key", "4066528134148476695*1");
        headers.set("x-ms-request-server-encrypted", "true");
        headers.set("x-ms-server-encrypted", "true");
        return headers;
    }

    private static Optional<long[]> range(String header) {
        if (header == null || !header.startsWith("bytes=")) {
            return Optional.empty();
        }
        String[] parts = header.substring("bytes=".length()).split("-", 2);
        long start = Long.parseLong(parts[0]);
        long end = parts.length > 1 && !parts[1].isEmpty() ? Long.parseLong(parts[1]) : Long.MAX_VALUE;
        return Optional.of(new long[] {start, end});
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static Map<String, String> query(String rawQuery) {
        Map<String, String> query = new java.util.HashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                String[] parts = pair.split("=", 2);
                query.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8).toLowerCase(Locale.ROOT),
                        parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "");
            }
        }
        return query;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private void sendError(HttpExchange exchange, FilesError error) throws IOException {
        Headers headers = new Headers();
        headers.set("x-ms-error-code", error.code);
        headers.set("Content-Type", "application/xml");
        byte[] body = ("<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>" + error.code + "</Code><Message>"
                + escape(error.getMessage()) + "\nRequestId:" + UUID.randomUUID() + "\nTime:"
                + DateTimeFormatter.ISO_INSTANT.format(clock.instant()) + "</Message></Error>")
                .getBytes(StandardCharsets.UTF_8);
        send(exchange, error.status, headers, exchange.getRequestMethod().equals("HEAD") ? null : body, body.length);
    }

    private static void sendXml(HttpExchange exchange, int status, String xml) throws IOException {
        Headers headers = new Headers();
        headers.set("Content-Type", "application/xml");
        byte[] body = xml.getBytes(StandardCharsets.UTF_8);
        send(exchange, status, headers, body, body.length);
    }

    private static void sendEmpty(HttpExchange exchange, int status, Headers headers) throws IOException {
        send(exchange, status, headers, null, 0);
    }

    private static void send(HttpExchange exchange, int status, Headers headers, byte[] body, long length)
            throws IOException {
        java.util.function.IntConsumer logOnce = LOG_BEFORE_ANSWER.get();
        if (logOnce != null) {
            logOnce.accept(status);
        }
        headers.forEach((name, values) -> exchange.getResponseHeaders().put(name, values));
        exchange.getResponseHeaders().set("x-ms-request-id", UUID.randomUUID().toString());
        exchange.getResponseHeaders().set("x-ms-version", Optional.ofNullable(
                exchange.getRequestHeaders().getFirst("x-ms-version")).orElse(VERSION));
        if (body == null) {
            if (exchange.getRequestMethod().equals("HEAD") && length > 0) {
                exchange.getResponseHeaders().set("Content-Length", "" + length);
            }
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
