package org.dsvmpools.local;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Set;

/**
 * One clock (#26): every module's main code reads the time from an injected {@link Clock}, so a test that fixes the
 * time fixes it for everything it drives, and a rule of the app never compares a test's time with today's. Only the
 * composition roots make the system clock. This module's tests see every module's main classes, so the rule is kept
 * here once for all of them. Elapsed time ({@code System.nanoTime}) is not a reading of the time and stays allowed.
 */
@AnalyzeClasses(packages = "org.dsvmpools", importOptions = ImportOption.DoNotIncludeTests.class)
class OneClockTest {
    /**
     * Where the system clock is made: the app's root (from its settings), and kit's SystemClock for the emulator, the
     * local host and the tests; both run ahead by DSVMPOOLS_CLOCK_AHEAD when a test run sets it. And the main of
     * dsvmpools connect, a client installed alone on users' machines (it has no kit), whose tests inject theirs.
     */
    static final Set<String> ROOTS = Set.of("org.dsvmpools.functions.App", "org.dsvmpools.kit.SystemClock",
            "org.dsvmpools.connect.ConnectCommand");

    private static final DescribedPredicate<JavaCall<?>> READS_THE_SYSTEM_CLOCK = DescribedPredicate.describe(
            "read the system clock", call -> {
                JavaClass owner = call.getTargetOwner();
                String name = call.getName();
                boolean noArguments = call.getTarget().getRawParameterTypes().isEmpty();
                return noArguments && name.equals("now") && (owner.isEquivalentTo(Instant.class)
                        || owner.isEquivalentTo(LocalDateTime.class) || owner.isEquivalentTo(LocalDate.class)
                        || owner.isEquivalentTo(OffsetDateTime.class) || owner.isEquivalentTo(ZonedDateTime.class))
                        || owner.isEquivalentTo(System.class) && name.equals("currentTimeMillis")
                        || owner.isEquivalentTo(Clock.class) && name.startsWith("system");
            });

    @ArchTest
    static final ArchRule onlyTheRootsMakeTheSystemClock = noClasses()
            .that(DescribedPredicate.describe("are not a composition root",
                    (JavaClass c) -> !ROOTS.contains(c.getName().replaceAll("\\$.*", ""))))
            .should().callCodeUnitWhere(READS_THE_SYSTEM_CLOCK)
            .because("the time comes from an injected Clock; only the composition roots make the system clock (#26)");
}
