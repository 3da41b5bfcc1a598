package org.dsvmpools;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Arrays;

/**
 * The domain stays free of Azure SDK and Functions types; only {@code azure} and {@code functions} touch them.
 * The capabilities stand on the {@code pool} core and the neutral {@code cloud} errors, never on each other, and
 * JSON is written and read only by the codecs.
 */
@AnalyzeClasses(packages = "org.dsvmpools", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String[] DOMAIN = {
        "org.dsvmpools.pool..", "org.dsvmpools.cloud..", "org.dsvmpools.provisioning..", "org.dsvmpools.scaling..",
        "org.dsvmpools.onboarding..", "org.dsvmpools.door.."
    };
    private static final String[] CAPABILITIES = {
        "org.dsvmpools.provisioning..", "org.dsvmpools.scaling..", "org.dsvmpools.onboarding..", "org.dsvmpools.door.."
    };
    /** Besides the {@code *Json} codecs: the pool document, the roster manifest file and Event Grid's schemas. */
    private static final String[] JSON_CODECS = {"JsonObjectReader", "PoolDocuments", "Manifest", "RosterEvents"};

    @ArchTest
    static final ArchRule domainUsesNoAzureSdk = noClasses().that().resideInAnyPackage(DOMAIN)
            .should().dependOnClassesThat().resideInAnyPackage("com.azure..")
            .because("the domain must not depend on an SDK; adapters in org.dsvmpools.azure translate");

    @ArchTest
    static final ArchRule domainUsesNoFunctionsTypes = noClasses().that().resideInAnyPackage(DOMAIN)
            .should().dependOnClassesThat().resideInAnyPackage("com.microsoft.azure.functions..")
            .because("bindings belong to the thin classes of org.dsvmpools.functions");

    @ArchTest
    static final ArchRule adaptersDoNotKnowTheFunctionsRuntime = noClasses()
            .that().resideInAPackage("org.dsvmpools.azure..")
            .should().dependOnClassesThat().resideInAnyPackage("com.microsoft.azure.functions..", "org.dsvmpools.functions..");

    @ArchTest
    static final ArchRule domainDoesNotReachOutward = noClasses().that().resideInAnyPackage(DOMAIN)
            .should().dependOnClassesThat().resideInAnyPackage("org.dsvmpools.azure..", "org.dsvmpools.functions..");

    @ArchTest
    static final ArchRule provisioningStandsOnTheCoreOnly = standsOnTheCoreOnly("provisioning");

    @ArchTest
    static final ArchRule scalingStandsOnTheCoreOnly = standsOnTheCoreOnly("scaling");

    @ArchTest
    static final ArchRule onboardingStandsOnTheCoreOnly = standsOnTheCoreOnly("onboarding");

    @ArchTest
    static final ArchRule theFrontDoorStandsOnTheCoreOnly = standsOnTheCoreOnly("door");

    private static ArchRule standsOnTheCoreOnly(String capability) {
        String[] others = Arrays.stream(CAPABILITIES).filter(c -> !c.equals("org.dsvmpools." + capability + ".."))
                .toArray(String[]::new);
        return noClasses().that().resideInAPackage("org.dsvmpools." + capability + "..")
                .should().dependOnClassesThat().resideInAnyPackage(others)
                .because("a capability stands on the pool core and the cloud errors; what two share belongs there");
    }

    @ArchTest
    static final ArchRule theCoreAndTheCloudErrorsDependOnNoCapability = noClasses()
            .that().resideInAnyPackage("org.dsvmpools.pool..", "org.dsvmpools.cloud..")
            .should().dependOnClassesThat().resideInAnyPackage(CAPABILITIES);

    @ArchTest
    static final ArchRule jacksonStaysInTheJsonCodecs = noClasses()
            .that().resideInAnyPackage(DOMAIN).and().haveSimpleNameNotEndingWith("Json")
            .and(DescribedPredicate.describe("are not one of " + String.join(", ", JSON_CODECS),
                    c -> Arrays.stream(JSON_CODECS).noneMatch(name -> c.getSimpleName().equals(name)
                            || c.getName().contains("." + name + "$"))))
            .should().dependOnClassesThat().resideInAPackage("com.fasterxml.jackson..")
            .because("the domain's records are JSON-free; codecs translate at the edge");
}
