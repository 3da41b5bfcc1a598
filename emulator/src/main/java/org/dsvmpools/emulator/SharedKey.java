package org.dsvmpools.emulator;

import com.sun.net.httpserver.Headers;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.text.Collator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a Storage SharedKey signature the way the service does: the string to sign is rebuilt from the request
 * (verb, standard headers, canonical x-ms- headers, canonical resource with the query) and signed with each of
 * the account's keys.
 */
final class SharedKey {
    private static final String[] STANDARD_HEADERS = {"Content-Encoding", "Content-Language", "Content-Length",
        "Content-MD5", "Content-Type", "Date", "If-Modified-Since", "If-Match", "If-None-Match", "If-Unmodified-Since",
        "Range"};

    private SharedKey() {
    }

    static boolean isValid(String method, String rawPath, String rawQuery, Headers headers, String account,
                           List<String> keys) {
        String authorization = headers.getFirst("Authorization");
        String prefix = "SharedKey " + account + ":";
        if (authorization == null || !authorization.startsWith(prefix)) {
            return false;
        }
        byte[] presented = authorization.substring(prefix.length()).getBytes(StandardCharsets.UTF_8);
        String accountPrefix = "/" + account;
        List<String> paths = new ArrayList<>(List.of(rawPath));
        if (rawPath.startsWith(accountPrefix + "/")) {
            // A client that signs the host-style path (the SDK before its endpoint is restored) omits the account.
            paths.add(rawPath.substring(accountPrefix.length()));
        }
        for (String path : paths) {
            String stringToSign = stringToSign(method, path, rawQuery, headers, account);
            for (String key : keys) {
                if (MessageDigest.isEqual(presented, sign(stringToSign, key).getBytes(StandardCharsets.UTF_8))) {
                    return true;
                }
            }
        }
        return false;
    }

    static String stringToSign(String method, String rawPath, String rawQuery, Headers headers, String account) {
        StringBuilder builder = new StringBuilder(method);
        boolean xmsDate = headers.getFirst("x-ms-date") != null;
        for (String name : STANDARD_HEADERS) {
            String value = headers.getFirst(name);
            if (value == null || (name.equals("Content-Length") && value.equals("0"))
                    || (name.equals("Date") && xmsDate)) {
                value = "";
            }
            builder.append('\n').append(value);
        }
        Collator collator = Collator.getInstance(Locale.ROOT);
        TreeMap<String, String> xms = new TreeMap<>(collator);
        headers.forEach((name, values) -> {
            if (name.toLowerCase(Locale.ROOT).startsWith("x-ms-")) {
                xms.put(name.toLowerCase(Locale.ROOT), String.join(",", values));
            }
        });
        StringBuilder canonicalHeaders = new StringBuilder();
        for (Map.Entry<String, String> header : xms.entrySet()) {
            if (canonicalHeaders.length() > 0) {
                canonicalHeaders.append('\n');
            }
            canonicalHeaders.append(header.getKey()).append(':').append(header.getValue());
        }
        builder.append('\n').append(canonicalHeaders);
        builder.append('\n').append('/').append(account).append(rawPath.isEmpty() ? "/" : rawPath);
        if (rawQuery != null && !rawQuery.isEmpty()) {
            TreeMap<String, List<String>> pieces = new TreeMap<>(collator);
            for (String pair : rawQuery.split("&")) {
                String[] parts = pair.split("=", 2);
                String key = decode(parts[0]).toLowerCase(Locale.ROOT);
                List<String> values = pieces.computeIfAbsent(key, k -> new ArrayList<>());
                for (String value : (parts.length > 1 ? parts[1] : "").split(",", -1)) {
                    values.add(decode(value));
                }
            }
            for (Map.Entry<String, List<String>> piece : pieces.entrySet()) {
                List<String> values = piece.getValue();
                values.sort(collator);
                builder.append('\n').append(piece.getKey()).append(':').append(String.join(",", values));
            }
        }
        return builder.toString();
    }

    private static String sign(String stringToSign, String key) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(Base64.getDecoder().decode(key), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(hmac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
