package org.dsvmpools.onboarding;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import org.dsvmpools.pool.LinuxUserName;

/**
 * The account name of a user whose event gives only an email: derived from the email's local part, the same way
 * every time. Compatibility forms are folded (a full-width letter becomes its ASCII letter), accents dropped, a
 * {@code +tag} cut, dots and other separators become {@code -}, and anything else outside {@code [a-z0-9_-]} goes.
 * The result must still pass {@link LinuxUserName}'s rules, so an email of only foreign letters gives no name and
 * the event must name the user.
 */
public final class UserNames {
    private static final int MAX = 32;

    private UserNames() {
    }

    public static Optional<LinuxUserName> fromEmail(String email) {
        if (email == null || email.indexOf('@') < 1) {
            return Optional.empty();
        }
        String local = email.substring(0, email.indexOf('@'));
        int plus = local.indexOf('+');
        if (plus >= 0) {
            local = local.substring(0, plus);
        }
        String folded = Normalizer.normalize(local, Normalizer.Form.NFKD).replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT);
        StringBuilder name = new StringBuilder();
        for (char c : folded.toCharArray()) {
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
                name.append(c);
            } else if ((c == '.' || c == ' ') && name.length() > 0 && name.charAt(name.length() - 1) != '-') {
                name.append('-');
            }
        }
        while (name.length() > 0 && !Character.isLetter(name.charAt(0))) {
            name.deleteCharAt(0);
        }
        String candidate = name.length() > MAX ? name.substring(0, MAX) : name.toString();
        candidate = candidate.replaceAll("-+$", "");
        return LinuxUserName.problem(candidate).isEmpty() ? Optional.of(new LinuxUserName(candidate))
                : Optional.empty();
    }
}
